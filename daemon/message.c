/*
 * Reminder digests: the words of the daily mail to a unit and of the
 * escalation mail to a coordinator, in Vietnamese (the default) or
 * English, as wrapped plain text, HTML and JSON.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "date.h"
#include "log.h"
#include "message.h"
#include "utf8.h"
#include "xmalloc.h"

/*
 * Mail text lines are wrapped at this many characters; chat text is not
 * wrapped (width 0), since chat clients wrap it to their own screen.
 */
#define MESSAGE_WIDTH	76
#define MESSAGE_INDENT	"   "
#define MESSAGE_FIELDS	9

enum message_section {
	MESSAGE_SECTION_OVERDUE,
	MESSAGE_SECTION_TODAY,
	MESSAGE_SECTION_SOON,
	MESSAGE_SECTION_ONGOING,
	MESSAGE_SECTION_REVIEW,
	MESSAGE_SECTIONS
};

/* The words of one language; "%s" marks where a value goes. */
struct message_lang {
	const char	*code;
	const char	*subject_daily;
	const char	*subject_escalation;
	const char	*count_words[MESSAGE_SECTIONS];
	const char	*count_none;
	const char	*greeting;
	const char	*intro_daily;
	const char	*intro_escalation;
	const char	*sections[MESSAGE_SECTIONS];
	const char	*label_unit;
	const char	*label_due;
	const char	*label_action;
	const char	*label_time;
	const char	*label_lead;
	const char	*label_support;
	const char	*label_done;
	const char	*label_notes;
	const char	*overdue[3];	/* prefix, one, many */
	const char	*soon[3];
	const char	*overdue_plain;
	const char	*today;
	const char	*ongoing;
	const char	*moved;
	const char	*empty;
	const char	*more;		/* items left out */
	const char	*feed;
	const char	*label_late_units;	/* a task's late units */
	const char	*quiet;		/* overdue, reminded before: "(%s): " */
	const char	*quiet_more;	/* "and %s more" */
	const char	*ongoing_note;
	const char	*ongoing_note_page;	/* with the unit's page */
	const char	*unit_page;
	const char	*footer_auto;
	const char	*footer_reply;	/* "%s": whom replies reach */
	const char	*footer_noreply;
	const char	*footer_link;	/* items carry done links */
	const char	*footer_tell;	/* no links: reply when done */
	const char	*(*weekday)(date_t);
	const char	*label_review;
	const char	*review[3];	/* by enum message_review */
};

static const struct message_lang message_vi = {
	"vi",
	"[deadlined] Nhắc hạn công việc ngày %s",
	"[deadlined] Công việc quá hạn của các đơn vị ngày %s",
	{ "quá hạn", "đến hạn hôm nay", "sắp đến hạn",
	  "công việc thường xuyên", "thời hạn cần xem lại" },
	"không có công việc đến hạn",
	"Kính gửi: %s",
	"Hệ thống nhắc hạn công việc xin thông báo tình hình thực hiện các "
	    "nhiệm vụ của đơn vị tính đến %s như sau:",
	"Hệ thống nhắc hạn công việc xin báo cáo các nhiệm vụ của các đơn vị "
	    "đã quá hạn tính đến %s như sau:",
	{ "CÔNG VIỆC ĐÃ QUÁ HẠN", "CÔNG VIỆC ĐẾN HẠN HÔM NAY",
	  "CÔNG VIỆC SẮP ĐẾN HẠN", "CÔNG VIỆC THƯỜNG XUYÊN",
	  "THỜI HẠN CẦN XEM LẠI" },
	"Đơn vị", "Hạn", "Nhiệm vụ", "Thời gian thực hiện", "Chủ trì",
	"Phối hợp", "Xác nhận hoàn thành", "Ghi chú",
	{ "Đã quá hạn ", " ngày làm việc", " ngày làm việc" },
	{ "Còn ", " ngày làm việc", " ngày làm việc" },
	"Đã quá hạn",
	"Hạn hôm nay",
	"Công việc thường xuyên",
	"hạn gốc %s rơi vào ngày nghỉ",
	"Không có công việc nào cần nhắc.",
	"Ngoài ra còn %s công việc khác không liệt kê trong thư này; "
	    "danh sách đầy đủ có trong lịch công việc chung.",
	"Lịch công việc của đơn vị (đăng ký trên Google Calendar, Outlook "
	    "hoặc điện thoại):",
	"Đơn vị chưa hoàn thành",
	"Vẫn quá hạn, đã nhắc trước đây, không nhắc lại từng việc (%s): ",
	"và %s công việc khác",
	"Chỉ nêu tên nhiệm vụ; nội dung đầy đủ có trong kế hoạch.",
	"Chỉ nêu tên nhiệm vụ; nội dung đầy đủ trên trang công việc của đơn "
	    "vị (đường dẫn ở cuối thư).",
	"Trang công việc của đơn vị (nội dung đầy đủ, xác nhận hoàn thành, "
	    "xin gia hạn):",
	"Thư này được gửi tự động từ hệ thống nhắc hạn công việc "
	    "(deadlined).",
	"Thư trả lời sẽ được gửi đến %s.",
	"Đề nghị không trả lời thư này.",
	"Khi đã hoàn thành công việc, đề nghị bấm vào đường dẫn xác nhận "
	    "hoàn thành để dừng nhắc hạn.",
	"Khi đã hoàn thành công việc, đề nghị trả lời thư này để dừng nhắc "
	    "hạn.",
	date_weekday_vn,
	"Cần xem lại",
	{ "hệ thống chỉ đọc được một phần thời gian thực hiện, phần chưa "
	    "đọc: %s (sửa bằng deadlinectl task set-due hoặc set-rule)",
	  "hệ thống chưa đọc được thời gian thực hiện (đặt hạn bằng "
	    "deadlinectl task set-due hoặc set-rule)",
	  "hạn đã qua trước khi kế hoạch được nhập vào hệ thống; không nhắc "
	    "đơn vị" }
};

static const struct message_lang message_en = {
	"en",
	"[deadlined] Deadline reminder for %s",
	"[deadlined] Overdue tasks of other units on %s",
	{ "overdue", "due today", "due soon", "ongoing", "to review" },
	"nothing due",
	"Dear %s,",
	"This is the status of your unit's tasks as of %s:",
	"The following tasks of other units are overdue as of %s:",
	{ "OVERDUE", "DUE TODAY", "DUE SOON", "ONGOING TASKS",
	  "DEADLINES TO REVIEW" },
	"Unit", "Due", "Action", "Time frame", "Lead", "Support",
	"Mark as done", "Notes",
	{ "Overdue by ", " working day", " working days" },
	{ "", " working day left", " working days left" },
	"Overdue",
	"Due today",
	"Ongoing task",
	"originally due %s, a day off",
	"Nothing needs a reminder.",
	"%s more tasks are not listed in this message; the shared "
	    "calendar has the full list.",
	"Your unit's calendar (subscribe in Google Calendar, Outlook or on a "
	    "phone):",
	"Units not done",
	"Still overdue, reminded before, not repeated one by one (%s): ",
	"and %s more",
	"Titles only; the plan has the full text.",
	"Titles only; your unit's page has the full text (link at the end).",
	"Your unit's page (full text, mark as done, ask for more time):",
	"This message was sent automatically by the deadline reminder "
	    "service (deadlined).",
	"Replies reach %s.",
	"Please do not reply.",
	"Once a task is done, follow its link to stop the reminders.",
	"Once a task is done, reply to this message to stop the reminders.",
	date_weekday_en,
	"To review",
	{ "the time column was read in part, left over: %s (fix with "
	    "deadlinectl task set-due or set-rule)",
	  "the time column could not be read (set a date with deadlinectl "
	    "task set-due or set-rule)",
	  "due before the plan was imported; the unit is not reminded" }
};

/* One labelled line of an item. */
struct message_field {
	const char	*label;
	char		*owned_label;	/* or NULL */
	char		*value;
	int		 link;
};

/* The JSON status word of a kind; escalations are "overdue". */
const char *
message_kind_status(enum message_kind kind)
{
	switch (kind) {
	case MESSAGE_DUE_SOON:
		return ("due_soon");
	case MESSAGE_DUE_TODAY:
		return ("due_today");
	case MESSAGE_ONGOING:
		return ("ongoing");
	case MESSAGE_REVIEW:
		return ("review");
	case MESSAGE_OVERDUE:
	case MESSAGE_ESCALATION:
		break;
	}
	return ("overdue");
}

/* The language of a digest: English if asked for, else Vietnamese. */
static const struct message_lang *
message_lang_of(const struct message_digest *d)
{
	if (d->lang != NULL && strcmp(d->lang, "en") == 0)
		return (&message_en);
	return (&message_vi);
}

/* The section an item is listed in. */
static enum message_section
message_section_of(const struct message_item *item)
{
	switch (item->kind) {
	case MESSAGE_DUE_TODAY:
		return (MESSAGE_SECTION_TODAY);
	case MESSAGE_DUE_SOON:
		return (MESSAGE_SECTION_SOON);
	case MESSAGE_ONGOING:
		return (MESSAGE_SECTION_ONGOING);
	case MESSAGE_REVIEW:
		return (MESSAGE_SECTION_REVIEW);
	case MESSAGE_OVERDUE:
	case MESSAGE_ESCALATION:
		break;
	}
	return (MESSAGE_SECTION_OVERDUE);
}

/*
 * A copy of s that is valid UTF-8 without control characters: invalid
 * bytes become U+FFFD, CR is dropped, TAB and other controls become a
 * space, LF is kept.  Caller frees; NULL stays NULL.
 */
static char *
message_clean(const char *s)
{
	struct buf	b;
	size_t		i, n, len;
	uint32_t	cp;

	if (s == NULL)
		return (NULL);
	buf_init(&b);
	n = strlen(s);
	for (i = 0; i < n; i += len) {
		if ((len = utf8_decode(s + i, n - i, &cp)) == 0) {
			buf_adds(&b, "\xef\xbf\xbd");
			len = 1;
		} else if (s[i] == '\r')
			;
		else if (s[i] != '\n' && ((unsigned char)s[i] < 0x20 ||
		    s[i] == 0x7f))
			buf_addc(&b, ' ');
		else
			buf_add(&b, s + i, len);
	}
	return (buf_steal(&b));
}

/* Appends tmpl with its "%s" replaced by value. */
static void
message_subst(struct buf *b, const char *tmpl, const char *value)
{
	const char	*at = strstr(tmpl, "%s");

	if (at == NULL) {
		buf_adds(b, tmpl);
		return;
	}
	buf_add(b, tmpl, (size_t)(at - tmpl));
	buf_adds(b, value);
	buf_adds(b, at + 2);
}

/* "Thứ Hai, 01/07/2024" or "Monday, 01/07/2024"; caller frees. */
static char *
message_day(const struct message_lang *lang, date_t day)
{
	char	 vn[11], *s;

	date_format_vn(day, vn);
	xasprintf(&s, "%s, %s", lang->weekday(day), vn);
	return (s);
}

/*
 * Appends one paragraph wrapped on spaces at width (0: never); words are
 * never split.
 */
static void
message_wrap_line(struct buf *b, size_t width, size_t *column,
    const char *indent, const char *s, size_t n)
{
	size_t	i = 0, len, w, start = *column;

	while (i < n) {
		while (i < n && s[i] == ' ')
			i++;
		for (len = 0; i + len < n && s[i + len] != ' '; len++)
			;
		if (len == 0)
			break;
		w = utf8_width(s + i, len);
		if (width > 0 && *column > start && *column + 1 + w > width) {
			buf_printf(b, "\n%s", indent);
			*column = start = utf8_width(indent, strlen(indent));
		} else if (*column > start) {
			buf_addc(b, ' ');
			(*column)++;
		}
		buf_add(b, s + i, len);
		*column += w;
		i += len;
	}
}

/*
 * Appends first then text wrapped at width (0: its own lines only),
 * continuation lines and the text's own lines starting with indent, and a
 * final newline.
 */
static void
message_wrap(struct buf *b, size_t width, const char *first,
    const char *indent, const char *text)
{
	const char	*nl;
	size_t		 column, len;

	buf_adds(b, first);
	column = utf8_width(first, strlen(first));
	for (;;) {
		nl = strchr(text, '\n');
		len = nl == NULL ? strlen(text) : (size_t)(nl - text);
		message_wrap_line(b, width, &column, indent, text, len);
		if (nl == NULL)
			break;
		text = nl + 1;
		if (strspn(text, " \n") == strlen(text))
			break;
		buf_printf(b, "\n%s", indent);
		column = utf8_width(indent, strlen(indent));
	}
	buf_addc(b, '\n');
}

/* Appends "prefix N suffix" with the suffix for one or many. */
static void
message_count(struct buf *b, const char *const words[3], int n)
{
	buf_printf(b, "%s%d%s", words[0], n, n == 1 ? words[1] : words[2]);
}

/* The due value of an item: date, status, moved note; caller frees. */
static char *
message_due(const struct message_lang *lang, const struct message_item *it)
{
	struct buf	 b;
	char		*day, vn[11];

	buf_init(&b);
	day = message_day(lang, it->effective);
	buf_printf(&b, "%s - ", day);
	free(day);
	if (it->kind == MESSAGE_DUE_TODAY)
		buf_adds(&b, lang->today);
	else if (it->kind == MESSAGE_DUE_SOON)
		message_count(&b, lang->soon, it->working_days_left);
	else if (it->working_days_left < 0)
		message_count(&b, lang->overdue, -it->working_days_left);
	else
		buf_adds(&b, lang->overdue_plain);
	if (it->nominal != DATE_NONE && it->nominal != it->effective) {
		date_format_vn(it->nominal, vn);
		buf_adds(&b, " (");
		message_subst(&b, lang->moved, vn);
		buf_addc(&b, ')');
	}
	return (buf_steal(&b));
}

/* Adds a field if its value is given and not empty. */
static void
message_add_field(struct message_field *f, size_t *n, const char *label,
    const char *value, int link)
{
	if (value == NULL || *value == '\0' || *n == MESSAGE_FIELDS)
		return;
	f[*n].label = label;
	f[*n].owned_label = NULL;
	f[*n].value = message_clean(value);
	f[*n].link = link;
	(*n)++;
}

/* Why a review item is listed, in words; caller frees. */
static char *
message_review_note(const struct message_lang *lang,
    const struct message_item *it)
{
	struct buf	b;

	buf_init(&b);
	message_subst(&b, lang->review[it->review], it->leftover != NULL ?
	    it->leftover : "");
	return (buf_steal(&b));
}

/*
 * One entry of a digest: an item, or in an escalation digest the items
 * of one task (its late units), the most late first.
 */
struct message_entry {
	const struct message_item *const *v;
	size_t			 n;
};

/* What a rendering needs: the items sorted, grouped, counted. */
struct message_view {
	const struct message_digest	 *d;
	const struct message_lang	 *lang;
	const struct message_item	**v;
	struct message_entry		 *e;
	size_t				  ne;
	int				  counts[MESSAGE_SECTIONS];
	int				  links;	/* an item has one */
	size_t				  width;	/* 0: no wrapping */
};

/* strcmp with NULL as "". */
static int
message_strcmp(const char *a, const char *b)
{
	return (strcmp(a != NULL ? a : "", b != NULL ? b : ""));
}

/* "A, B (hạn 28/06/2024), C": an entry's late units; caller frees. */
static char *
message_late_units(const struct message_lang *lang,
    const struct message_entry *e)
{
	struct buf	 b;
	size_t		 i;
	char		*name, vn[11];

	buf_init(&b);
	for (i = 0; i < e->n; i++) {
		name = message_clean(e->v[i]->unit_name != NULL ?
		    e->v[i]->unit_name : "");
		buf_printf(&b, "%s%s", i > 0 ? ", " : "", name);
		free(name);
		if (e->v[i]->effective != e->v[0]->effective) {
			date_format_vn(e->v[i]->effective, vn);
			buf_printf(&b, " (%s %s)", lang->label_due, vn);
		}
	}
	return (buf_steal(&b));
}

/* The labelled lines of an entry, in order; values are allocated. */
static size_t
message_fields(const struct message_digest *d, const struct message_lang *lang,
    const struct message_entry *e, struct message_field *f)
{
	const struct message_item	*it = e->v[0];
	size_t				 n = 0;
	char				*due, *label;

	if (it->kind == MESSAGE_REVIEW) {
		if (it->effective != DATE_NONE) {
			due = message_day(lang, it->effective);
			message_add_field(f, &n, lang->label_due, due, 0);
			free(due);
		}
		due = message_review_note(lang, it);
		message_add_field(f, &n, lang->label_review, due, 0);
		free(due);
		message_add_field(f, &n, lang->label_unit, it->unit_name, 0);
		message_add_field(f, &n, lang->label_time, it->time_text, 0);
		message_add_field(f, &n, lang->label_lead, it->lead_units, 0);
		return (n);
	}
	if (it->kind != MESSAGE_ONGOING && it->effective != DATE_NONE) {
		due = message_due(lang, it);
		message_add_field(f, &n, lang->label_due, due, 0);
		free(due);
	}
	if (e->n > 1) {
		due = message_late_units(lang, e);
		message_add_field(f, &n, lang->label_late_units, due, 0);
		free(due);
		xasprintf(&label, "%s (%zu)", lang->label_late_units, e->n);
		f[n - 1].label = NULL;
		f[n - 1].owned_label = label;
	} else if (d->escalation || it->kind == MESSAGE_ESCALATION)
		message_add_field(f, &n, lang->label_unit, it->unit_name, 0);
	/* The action is said once: not again when it is the heading's title. */
	if (message_strcmp(it->action, it->title) != 0)
		message_add_field(f, &n, lang->label_action, it->action, 0);
	message_add_field(f, &n, lang->label_time, it->time_text == NULL &&
	    it->kind == MESSAGE_ONGOING ? lang->ongoing : it->time_text, 0);
	message_add_field(f, &n, lang->label_lead, it->lead_units, 0);
	message_add_field(f, &n, lang->label_support, it->support_units, 0);
	message_add_field(f, &n, lang->label_notes, it->notes, 0);
	message_add_field(f, &n, lang->label_done, it->done_link, 1);
	return (n);
}

/* The label of a field. */
static const char *
message_field_label(const struct message_field *f)
{
	return (f->owned_label != NULL ? f->owned_label : f->label);
}

/* Frees the values of fields. */
static void
message_fields_free(struct message_field *f, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(f[i].value);
		free(f[i].owned_label);
	}
}

/* "[ref] title" of an item, cleaned; caller frees. */
static char *
message_heading(const struct message_item *it)
{
	char	*ref, *title, *s;

	ref = message_clean(it->plan_ref);
	title = message_clean(it->title == NULL ? "" : it->title);
	if (ref != NULL && *ref != '\0')
		xasprintf(&s, "[%s] %s", ref, title);
	else
		s = xstrdup(title);
	free(ref);
	free(title);
	return (s);
}

/* The heading cut to one line of width columns, "…" if cut; caller frees. */
static char *
message_heading_line(const struct message_item *it, size_t width)
{
	char	*s, *cut;
	size_t	 len, keep, i;

	s = message_heading(it);
	len = strlen(s);
	for (i = 0; i < len; i++)
		if (s[i] == '\n')
			s[i] = ' ';
	if (utf8_width(s, len) <= width)
		return (s);
	/* Cut at the last space that leaves room for "…", not in a word. */
	keep = utf8_cut_width(s, len, width - 1);
	if (s[keep] != ' ') {
		while (keep > 0 && s[keep - 1] != ' ')
			keep--;
		if (keep == 0)
			keep = utf8_cut_width(s, len, width - 1);
	}
	while (keep > 0 && s[keep - 1] == ' ')
		keep--;
	xasprintf(&cut, "%.*s…", (int)keep, s);
	free(s);
	return (cut);
}

/* Orders items by section, effective date, plan reference and title. */
static int
message_compare(const void *a, const void *b)
{
	const struct message_item	*x = *(const struct message_item *const *)a;
	const struct message_item	*y = *(const struct message_item *const *)b;
	int				 c;

	if (message_section_of(x) != message_section_of(y))
		return (message_section_of(x) < message_section_of(y) ? -1 : 1);
	if (x->effective != y->effective)
		return (x->effective < y->effective ? -1 : 1);
	if ((c = message_strcmp(x->plan_ref, y->plan_ref)) != 0)
		return (c);
	return (message_strcmp(x->title, y->title));
}

/*
 * Orders an escalation digest's items by section, then by task (plan
 * reference, title, id) so that a task's late units come together, the
 * most late first, then by unit name.
 */
static int
message_compare_task(const void *a, const void *b)
{
	const struct message_item	*x = *(const struct message_item *const *)a;
	const struct message_item	*y = *(const struct message_item *const *)b;
	int				 c;

	if (message_section_of(x) != message_section_of(y))
		return (message_section_of(x) < message_section_of(y) ? -1 : 1);
	if ((c = message_strcmp(x->plan_ref, y->plan_ref)) != 0 ||
	    (c = message_strcmp(x->title, y->title)) != 0)
		return (c);
	if (x->task_id != y->task_id)
		return (x->task_id < y->task_id ? -1 : 1);
	if (x->effective != y->effective)
		return (x->effective < y->effective ? -1 : 1);
	return (message_strcmp(x->unit_name, y->unit_name));
}

/* 1 if two items are the same task in the same section. */
static int
message_same_task(const struct message_item *x, const struct message_item *y)
{
	return (message_section_of(x) == message_section_of(y) &&
	    x->task_id == y->task_id &&
	    message_strcmp(x->plan_ref, y->plan_ref) == 0 &&
	    message_strcmp(x->title, y->title) == 0);
}

/* Sorts, groups and counts the items of d; message_view_free frees. */
static void
message_view_init(const struct message_digest *d, struct message_view *w)
{
	struct message_entry	*e;
	size_t			 i;

	memset(w, 0, sizeof *w);
	w->d = d;
	w->lang = message_lang_of(d);
	w->width = MESSAGE_WIDTH;
	w->v = xreallocarray(NULL, d->n == 0 ? 1 : d->n, sizeof *w->v);
	for (i = 0; i < d->n; i++) {
		w->v[i] = &d->items[i];
		if (d->items[i].done_link != NULL)
			w->links = 1;
	}
	if (d->n > 1)
		qsort(w->v, d->n, sizeof *w->v, d->escalation ?
		    message_compare_task : message_compare);
	w->e = xcalloc(d->n == 0 ? 1 : d->n, sizeof *w->e);
	for (i = 0; i < d->n; i++) {
		e = &w->e[w->ne > 0 ? w->ne - 1 : 0];
		if (d->escalation && w->ne > 0 &&
		    message_same_task(e->v[0], w->v[i])) {
			e->n++;
			continue;
		}
		e = &w->e[w->ne++];
		e->v = &w->v[i];
		e->n = 1;
		w->counts[message_section_of(w->v[i])]++;
	}
	if (!d->escalation)
		w->counts[MESSAGE_SECTION_OVERDUE] += (int)d->nquiet;
}

static void
message_view_free(struct message_view *w)
{
	free(w->v);
	free(w->e);
}

/* The subject line; caller frees. */
static char *
message_subject(const struct message_view *w)
{
	const struct message_lang	*lang = w->lang;
	struct buf			 b;
	int				 i, any = 0;
	char				*day;

	buf_init(&b);
	day = message_day(lang, w->d->day);
	message_subst(&b, w->d->escalation ? lang->subject_escalation :
	    lang->subject_daily, day);
	free(day);
	buf_adds(&b, ": ");
	for (i = 0; i < MESSAGE_SECTIONS; i++) {
		if (w->counts[i] == 0)
			continue;
		buf_printf(&b, "%s%d %s", any ? ", " : "", w->counts[i],
		    lang->count_words[i]);
		any = 1;
	}
	if (!any)
		buf_adds(&b, lang->count_none);
	return (buf_steal(&b));
}

/* "I", "II", "III", "IV": numbers of the sections present. */
static const char *
message_roman(int n)
{
	static const char	*roman[] = { "I", "II", "III", "IV", "V" };

	return (roman[n < 5 ? n : 4]);
}

/* The addressee's name, cleaned, or its code; caller frees. */
static char *
message_addressee(const struct message_digest *d)
{
	if (d->unit_name != NULL && *d->unit_name != '\0')
		return (message_clean(d->unit_name));
	return (message_clean(d->unit_code != NULL ? d->unit_code : ""));
}

/* The introductory sentence naming the day; caller frees. */
static char *
message_intro(const struct message_digest *d, const struct message_lang *lang)
{
	struct buf	 b;
	char		*day;

	buf_init(&b);
	day = message_day(lang, d->day);
	message_subst(&b, d->escalation ? lang->intro_escalation :
	    lang->intro_daily, day);
	free(day);
	return (buf_steal(&b));
}

/* At most this many overdue items are named in the quiet line. */
#define MESSAGE_QUIET_NAMED	20

/*
 * The one line naming the overdue items not reminded one by one today:
 * "... (2): KH 3 (31/05/2024); KH 7 (14/06/2024)"; caller frees.
 */
static char *
message_quiet_line(const struct message_digest *d,
    const struct message_lang *lang)
{
	struct buf	 b;
	size_t		 i;
	char		*s, vn[11];

	buf_init(&b);
	xasprintf(&s, "%zu", d->nquiet);
	message_subst(&b, lang->quiet, s);
	free(s);
	for (i = 0; i < d->nquiet && i < MESSAGE_QUIET_NAMED; i++) {
		s = message_clean(d->quiet[i].plan_ref != NULL ?
		    d->quiet[i].plan_ref : "");
		buf_printf(&b, "%s%s", i > 0 ? "; " : "", s);
		free(s);
		if (d->quiet[i].effective != DATE_NONE) {
			date_format_vn(d->quiet[i].effective, vn);
			buf_printf(&b, " (%s)", vn);
		}
	}
	if (d->nquiet > MESSAGE_QUIET_NAMED) {
		xasprintf(&s, "%zu", d->nquiet - MESSAGE_QUIET_NAMED);
		buf_adds(&b, "; ");
		message_subst(&b, lang->quiet_more, s);
		free(s);
	}
	buf_addc(&b, '.');
	return (buf_steal(&b));
}

/*
 * The footer: sent automatically; whom replies reach (or not to reply);
 * how to stop the reminders, a link promised only when items have one.
 * Caller frees.
 */
static char *
message_footer(const struct message_view *w)
{
	const struct message_lang	*lang = w->lang;
	const struct message_digest	*d = w->d;
	struct buf			 b;
	char				*who, *name, *addr;

	buf_init(&b);
	buf_adds(&b, lang->footer_auto);
	buf_addc(&b, ' ');
	if (d->reply_addr != NULL && *d->reply_addr != '\0') {
		addr = message_clean(d->reply_addr);
		if (d->reply_name != NULL && *d->reply_name != '\0') {
			name = message_clean(d->reply_name);
			xasprintf(&who, "%s (%s)", name, addr);
			free(name);
		} else
			who = xstrdup(addr);
		message_subst(&b, lang->footer_reply, who);
		free(who);
		free(addr);
	} else
		buf_adds(&b, lang->footer_noreply);
	if (w->links) {
		buf_addc(&b, ' ');
		buf_adds(&b, lang->footer_link);
	} else if (!d->escalation && d->reply_addr != NULL &&
	    *d->reply_addr != '\0' && w->counts[MESSAGE_SECTION_OVERDUE] +
	    w->counts[MESSAGE_SECTION_TODAY] + w->counts[MESSAGE_SECTION_SOON]
	    > 0) {
		buf_addc(&b, ' ');
		buf_adds(&b, lang->footer_tell);
	}
	return (buf_steal(&b));
}

/* The note over the ongoing titles: where their full text is. */
static const char *
message_ongoing_note(const struct message_view *w)
{
	if (w->d->unit_link != NULL && *w->d->unit_link != '\0')
		return (w->lang->ongoing_note_page);
	return (w->lang->ongoing_note);
}

/* The entries of section s: *first and the count. */
static size_t
message_section_entries(const struct message_view *w, enum message_section s,
    size_t *first)
{
	size_t	i, n = 0;

	*first = 0;
	for (i = 0; i < w->ne; i++) {
		if (message_section_of(w->e[i].v[0]) != s)
			continue;
		if (n++ == 0)
			*first = i;
	}
	return (n);
}

/*
 * What a format writes of the sections; the walk over them (which
 * sections, in which order, their notes and entries) is message_sections
 * and message_entry's, the same for text and HTML.
 */
struct message_writer {
	/* The heading of a section: "I. NAME (count)". */
	void	(*heading)(struct buf *, const char *, const char *, int);
	/* A paragraph; gap: set apart from what comes before. */
	void	(*para)(struct buf *, const struct message_view *,
		    const char *, int);
	/* Opens (1) or closes (0) the list of a section's n entries. */
	void	(*list)(struct buf *, size_t, int);
	/* An ongoing task: its numbered heading on one line. */
	void	(*ongoing)(struct buf *, const struct message_item *, int);
	/* The numbered heading of an entry with fields. */
	void	(*head)(struct buf *, const struct message_view *,
		    const char *, int);
	/* One labelled field of an entry. */
	void	(*field)(struct buf *, const struct message_view *,
		    const struct message_field *);
	/* After an entry's fields. */
	void	(*end)(struct buf *);
};

/* Appends one numbered entry: an ongoing task's line, or its fields. */
static void
message_entry(struct buf *b, const struct message_view *w,
    const struct message_writer *out, const struct message_entry *e,
    int number)
{
	struct message_field	 f[MESSAGE_FIELDS];
	size_t			 n, i;
	char			*heading;

	if (e->v[0]->kind == MESSAGE_ONGOING) {
		out->ongoing(b, e->v[0], number);
		return;
	}
	heading = message_heading(e->v[0]);
	out->head(b, w, heading, number);
	free(heading);
	n = message_fields(w->d, w->lang, e, f);
	for (i = 0; i < n; i++)
		out->field(b, w, &f[i]);
	message_fields_free(f, n);
	out->end(b);
}

/* Appends the sections of the entries, each with its notes. */
static void
message_sections(struct buf *b, const struct message_view *w,
    const struct message_writer *out)
{
	int			 numbered = 0;
	size_t			 i, first, n;
	enum message_section	 s;
	char			*line;

	for (s = 0; s < MESSAGE_SECTIONS; s++) {
		if (w->counts[s] == 0)
			continue;
		out->heading(b, message_roman(numbered++), w->lang->sections[s],
		    w->counts[s]);
		n = message_section_entries(w, s, &first);
		if (s == MESSAGE_SECTION_ONGOING)
			out->para(b, w, message_ongoing_note(w), 0);
		out->list(b, n, 1);
		for (i = 0; i < n; i++)
			message_entry(b, w, out, &w->e[first + i], (int)i + 1);
		out->list(b, n, 0);
		if (s == MESSAGE_SECTION_OVERDUE && w->d->nquiet > 0 &&
		    !w->d->escalation) {
			line = message_quiet_line(w->d, w->lang);
			out->para(b, w, line, 1);
			free(line);
		}
	}
}

/* Text: a section's heading after a blank line. */
static void
message_text_heading(struct buf *b, const char *roman, const char *name,
    int count)
{
	buf_printf(b, "\n%s. %s (%d)\n", roman, name, count);
}

/* Text: a wrapped paragraph, after a blank line if gap. */
static void
message_text_para(struct buf *b, const struct message_view *w,
    const char *text, int gap)
{
	if (gap)
		buf_addc(b, '\n');
	message_wrap(b, w->width, "", "", text);
}

/* Text: a list is its entries alone. */
static void
message_text_list(struct buf *b, size_t n, int open)
{
}

/* Text: "N. heading" cut to one line of the mail's width. */
static void
message_text_ongoing(struct buf *b, const struct message_item *it,
    int number)
{
	char	*first, *heading;

	xasprintf(&first, "%d. ", number);
	heading = message_heading_line(it, MESSAGE_WIDTH - strlen(first));
	buf_printf(b, "%s%s\n", first, heading);
	free(heading);
	free(first);
}

/* Text: a blank line, then "N. heading" wrapped under its number. */
static void
message_text_head(struct buf *b, const struct message_view *w,
    const char *heading, int number)
{
	char	*first, *indent;

	xasprintf(&first, "%d. ", number);
	xasprintf(&indent, "%*s", (int)strlen(first), "");
	buf_addc(b, '\n');
	message_wrap(b, w->width, first, indent, heading);
	free(first);
	free(indent);
}

/* Text: "   Label: value", wrapped under the label. */
static void
message_text_field(struct buf *b, const struct message_view *w,
    const struct message_field *f)
{
	char	*first;

	xasprintf(&first, "%s%s: ", MESSAGE_INDENT, message_field_label(f));
	message_wrap(b, w->width, first, MESSAGE_INDENT "  ", f->value);
	free(first);
}

/* Text: an entry ends with its last field. */
static void
message_text_end(struct buf *b)
{
}

static const struct message_writer message_text_writer = {
	message_text_heading, message_text_para, message_text_list,
	message_text_ongoing, message_text_head, message_text_field,
	message_text_end
};

/* The plain text body; caller frees. */
static char *
message_text(const struct message_view *w)
{
	const struct message_digest	*d = w->d;
	const struct message_lang	*lang = w->lang;
	struct buf			 b;
	char				*s;

	buf_init(&b);
	s = message_addressee(d);
	message_subst(&b, lang->greeting, s);
	buf_adds(&b, "\n\n");
	free(s);
	s = message_intro(d, lang);
	message_wrap(&b, w->width, "", "", s);
	free(s);
	if (d->n == 0 && d->nquiet == 0)
		buf_printf(&b, "\n%s\n", lang->empty);
	message_sections(&b, w, &message_text_writer);
	if (d->more > 0) {
		struct buf	t;

		xasprintf(&s, "%zu", d->more);
		buf_init(&t);
		message_subst(&t, lang->more, s);
		free(s);
		s = buf_steal(&t);
		buf_addc(&b, '\n');
		message_wrap(&b, w->width, "", "", s);
		free(s);
	}
	if (d->unit_link != NULL && *d->unit_link != '\0') {
		buf_addc(&b, '\n');
		message_wrap(&b, w->width, "", "", lang->unit_page);
		s = message_clean(d->unit_link);
		buf_printf(&b, "%s\n", s);
		free(s);
	}
	if (d->feed_link != NULL && *d->feed_link != '\0') {
		buf_addc(&b, '\n');
		message_wrap(&b, w->width, "", "", lang->feed);
		s = message_clean(d->feed_link);
		buf_printf(&b, "%s\n", s);
		free(s);
	}
	buf_adds(&b, "\n-- \n");
	s = message_footer(w);
	message_wrap(&b, w->width, "", "", s);
	free(s);
	return (buf_steal(&b));
}

/* Appends a link: escaped text in an escaped href. */
static void
message_html_link(struct buf *b, const char *url)
{
	buf_adds(b, "<a href=\"");
	buf_add_html(b, url, 1);
	buf_adds(b, "\">");
	buf_add_html(b, url, 1);
	buf_adds(b, "</a>");
}

/* Appends "<p>" tmpl with value substituted and escaped "</p>". */
static void
message_html_para(struct buf *b, const char *tmpl, const char *value)
{
	struct buf	 t;

	buf_init(&t);
	message_subst(&t, tmpl, value);
	buf_adds(b, "<p>");
	buf_add_html(b, t.data, 1);
	buf_adds(b, "</p>\n");
	buf_free(&t);
}

/* HTML: a section's heading. */
static void
message_html_heading(struct buf *b, const char *roman, const char *name,
    int count)
{
	buf_printf(b, "<h3>%s. %s (%d)</h3>\n", roman, name, count);
}

/* HTML: a paragraph, escaped. */
static void
message_html_note(struct buf *b, const struct message_view *w,
    const char *text, int gap)
{
	message_html_para(b, "%s", text);
}

/* HTML: a numbered list of n entries (none: no list). */
static void
message_html_list(struct buf *b, size_t n, int open)
{
	if (n > 0)
		buf_adds(b, open ? "<ol>\n" : "</ol>\n");
}

/* HTML: an ongoing task's heading cut to one line. */
static void
message_html_ongoing(struct buf *b, const struct message_item *it,
    int number)
{
	char	*heading;

	heading = message_heading_line(it, MESSAGE_WIDTH);
	buf_adds(b, "<li>");
	buf_add_html(b, heading, 1);
	buf_adds(b, "</li>\n");
	free(heading);
}

/* HTML: an entry's heading in bold. */
static void
message_html_head(struct buf *b, const struct message_view *w,
    const char *heading, int number)
{
	buf_adds(b, "<li><b>");
	buf_add_html(b, heading, 1);
	buf_adds(b, "</b>");
}

/* HTML: "<br>Label: value", a link as one. */
static void
message_html_field(struct buf *b, const struct message_view *w,
    const struct message_field *f)
{
	buf_adds(b, "<br>\n");
	buf_add_html(b, message_field_label(f), 1);
	buf_adds(b, ": ");
	if (f->link)
		message_html_link(b, f->value);
	else
		buf_add_html(b, f->value, 1);
}

/* HTML: the end of an entry. */
static void
message_html_end(struct buf *b)
{
	buf_adds(b, "</li>\n");
}

static const struct message_writer message_html_writer = {
	message_html_heading, message_html_note, message_html_list,
	message_html_ongoing, message_html_head, message_html_field,
	message_html_end
};

/* The HTML alternative; caller frees. */
static char *
message_html(const struct message_view *w, const char *subject)
{
	const struct message_digest	*d = w->d;
	const struct message_lang	*lang = w->lang;
	struct buf			 b;
	char				*s;

	buf_init(&b);
	buf_printf(&b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\">\n<title>",
	    lang->code);
	buf_add_html(&b, subject, 1);
	buf_adds(&b, "</title>\n</head>\n<body>\n");
	s = message_addressee(d);
	message_html_para(&b, lang->greeting, s);
	free(s);
	s = message_intro(d, lang);
	message_html_para(&b, "%s", s);
	free(s);
	if (d->n == 0 && d->nquiet == 0)
		message_html_para(&b, lang->empty, "");
	message_sections(&b, w, &message_html_writer);
	if (d->more > 0) {
		xasprintf(&s, "%zu", d->more);
		message_html_para(&b, lang->more, s);
		free(s);
	}
	if (d->unit_link != NULL && *d->unit_link != '\0') {
		message_html_para(&b, lang->unit_page, "");
		s = message_clean(d->unit_link);
		buf_adds(&b, "<p>");
		message_html_link(&b, s);
		buf_adds(&b, "</p>\n");
		free(s);
	}
	if (d->feed_link != NULL && *d->feed_link != '\0') {
		message_html_para(&b, lang->feed, "");
		s = message_clean(d->feed_link);
		buf_adds(&b, "<p>");
		message_html_link(&b, s);
		buf_adds(&b, "</p>\n");
		free(s);
	}
	buf_adds(&b, "<hr>\n<p><small>");
	s = message_footer(w);
	buf_add_html(&b, s, 1);
	free(s);
	buf_adds(&b, "</small></p>\n</body>\n</html>\n");
	return (buf_steal(&b));
}

/* Subject, text and optional HTML of a digest; caller frees each. */
void
message_render(const struct message_digest *d, char **subject, char **text,
    char **html)
{
	struct message_view	w;

	message_view_init(d, &w);
	*subject = message_subject(&w);
	*text = message_text(&w);
	if (html != NULL)
		*html = message_html(&w, *subject);
	message_view_free(&w);
}

void
message_render_chat(const struct message_digest *d, char **subject,
    char **text)
{
	struct message_view	w;

	message_view_init(d, &w);
	w.width = 0;
	*subject = message_subject(&w);
	*text = message_text(&w);
	message_view_free(&w);
}

/* A JSON string of a cleaned copy of s, or null; new reference. */
static json_t *
message_json_string(const char *s)
{
	json_t	*j;
	char	*clean;

	if (s == NULL)
		return (json_null());
	clean = message_clean(s);
	j = json_string(clean);
	free(clean);
	return (j != NULL ? j : json_null());
}

/* A JSON ISO date, or null for DATE_NONE; new reference. */
static json_t *
message_json_date(date_t day)
{
	char	iso[11];

	if (day == DATE_NONE)
		return (json_null());
	date_format_iso(day, iso);
	return (json_string(iso));
}

/* The JSON object of one item; new reference. */
static json_t *
message_json_item(const struct message_digest *d, const struct message_item *it)
{
	json_t	*j;

	j = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:i, s:o}",
	    "ref", message_json_string(it->plan_ref),
	    "title", message_json_string(it->title),
	    "action", message_json_string(it->action),
	    "time_text", message_json_string(it->time_text),
	    "due", message_json_date(it->kind == MESSAGE_ONGOING ?
	    DATE_NONE : it->effective),
	    "nominal_due", message_json_date(it->kind == MESSAGE_ONGOING ?
	    DATE_NONE : it->nominal),
	    "lead_units", message_json_string(it->lead_units),
	    "status", message_kind_status(it->kind),
	    "working_days_left", it->working_days_left,
	    "done_link", message_json_string(it->done_link));
	if (j == NULL)
		fatalx("message_json_item: json_pack failed");
	json_object_set_new(j, "support_units",
	    message_json_string(it->support_units));
	json_object_set_new(j, "notes", message_json_string(it->notes));
	if (d->escalation || it->kind == MESSAGE_ESCALATION ||
	    it->kind == MESSAGE_REVIEW)
		json_object_set_new(j, "unit", message_json_string(it->unit_name));
	if (it->kind == MESSAGE_REVIEW) {
		json_object_set_new(j, "review", json_string(
		    it->review == MESSAGE_REVIEW_PAST ? "past" :
		    it->review == MESSAGE_REVIEW_UNPARSED ? "unparsed" :
		    "partial"));
		json_object_set_new(j, "leftover",
		    message_json_string(it->leftover));
	}
	return (j);
}

/*
 * The late units of an escalation entry: [{unit, due, working_days_left}],
 * earliest due first; new reference.
 */
static json_t *
message_json_late_units(const struct message_entry *e)
{
	json_t	*a = json_array();
	size_t	 i;

	for (i = 0; i < e->n; i++)
		json_array_append_new(a, json_pack("{s:o, s:o, s:i}",
		    "unit", message_json_string(e->v[i]->unit_name),
		    "due", message_json_date(e->v[i]->effective),
		    "working_days_left", e->v[i]->working_days_left));
	return (a);
}

/*
 * The JSON object of one entry: its first item's, and for another unit's
 * late task its late units in place of the one unit; new reference.
 */
static json_t *
message_json_entry(const struct message_digest *d,
    const struct message_entry *e)
{
	json_t	*j = message_json_item(d, e->v[0]);

	if (e->v[0]->kind == MESSAGE_ESCALATION) {
		json_object_del(j, "unit");
		json_object_set_new(j, "late_units",
		    message_json_late_units(e));
	}
	return (j);
}

/* The counts object: {"overdue": 2, "due_today": 1, ...}; new reference. */
static json_t *
message_json_counts(const struct message_view *w)
{
	const int	*c = w->counts;
	json_t		*o;

	o = json_pack("{s:i, s:i, s:i, s:i}",
	    "overdue", c[MESSAGE_SECTION_OVERDUE],
	    "due_today", c[MESSAGE_SECTION_TODAY],
	    "due_soon", c[MESSAGE_SECTION_SOON],
	    "ongoing", c[MESSAGE_SECTION_ONGOING]);
	/* Only a coordinator's digest has them: the others keep their shape. */
	if (o != NULL && c[MESSAGE_SECTION_REVIEW] > 0)
		json_object_set_new(o, "review",
		    json_integer(c[MESSAGE_SECTION_REVIEW]));
	return (o);
}

/* The overdue items not reminded one by one: [{ref, title, due}]. */
static json_t *
message_json_quiet(const struct message_digest *d)
{
	json_t	*a = json_array();
	size_t	 i;

	for (i = 0; i < d->nquiet; i++)
		json_array_append_new(a, json_pack("{s:o, s:o, s:o}",
		    "ref", message_json_string(d->quiet[i].plan_ref),
		    "title", message_json_string(d->quiet[i].title),
		    "due", message_json_date(d->quiet[i].effective)));
	return (a);
}

/* The digest as compact JSON built with jansson; caller frees. */
char *
message_render_json(const struct message_digest *d)
{
	struct message_view	 w;
	json_t			*root, *items;
	char			*s, *subject;
	size_t			 i;

	message_view_init(d, &w);
	items = json_array();
	for (i = 0; i < w.ne; i++)
		json_array_append_new(items, message_json_entry(d, &w.e[i]));
	subject = message_subject(&w);
	root = json_pack("{s:{s:o, s:o}, s:o, s:s, s:b, s:o, s:o, s:o, s:I, "
	    "s:o}",
	    "unit", "code", message_json_string(d->unit_code),
	    "name", message_json_string(d->unit_name),
	    "date", message_json_date(d->day),
	    "lang", w.lang->code,
	    "escalation", d->escalation != 0,
	    "subject", message_json_string(subject),
	    "counts", message_json_counts(&w),
	    "items", items,
	    "more", (json_int_t)d->more,
	    "feed", message_json_string(d->feed_link));
	free(subject);
	message_view_free(&w);
	if (root == NULL)
		fatalx("message_render_json: cannot build JSON");
	/* Only a digest with such items has them: the others keep their shape. */
	if (d->nquiet > 0 && !d->escalation)
		json_object_set_new(root, "overdue_not_repeated",
		    message_json_quiet(d));
	if (d->unit_link != NULL)
		json_object_set_new(root, "unit_page",
		    message_json_string(d->unit_link));
	if ((s = json_dumps(root, JSON_COMPACT)) == NULL)
		fatalx("message_render_json: cannot build JSON");
	json_decref(root);
	return (s);
}
