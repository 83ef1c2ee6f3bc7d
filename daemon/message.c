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

/* Plain text lines are wrapped at this many characters. */
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
	const char	*footer;
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
	"Thư này được gửi tự động từ hệ thống nhắc hạn công việc "
	    "(deadlined), đề nghị không trả lời thư này. Khi đã hoàn thành "
	    "công việc, đề nghị bấm vào đường dẫn xác nhận hoàn thành để dừng "
	    "nhắc hạn.",
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
	"This message was sent automatically by the deadline reminder "
	    "service (deadlined); please do not reply. Once a task is done, "
	    "follow its link to stop the reminders.",
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

/* Appends one paragraph wrapped on spaces; words are never split. */
static void
message_wrap_line(struct buf *b, size_t *column, const char *indent,
    const char *s, size_t n)
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
		if (*column > start && *column + 1 + w > MESSAGE_WIDTH) {
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
 * Appends first then text wrapped at MESSAGE_WIDTH, continuation lines
 * and the text's own lines starting with indent, and a final newline.
 */
static void
message_wrap(struct buf *b, const char *first, const char *indent,
    const char *text)
{
	const char	*nl;
	size_t		 column, len;

	buf_adds(b, first);
	column = utf8_width(first, strlen(first));
	for (;;) {
		nl = strchr(text, '\n');
		len = nl == NULL ? strlen(text) : (size_t)(nl - text);
		message_wrap_line(b, &column, indent, text, len);
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

/* The labelled lines of an item, in order; values are allocated. */
static size_t
message_fields(const struct message_digest *d, const struct message_lang *lang,
    const struct message_item *it, struct message_field *f)
{
	size_t	 n = 0;
	char	*due;

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
	if (d->escalation || it->kind == MESSAGE_ESCALATION)
		message_add_field(f, &n, lang->label_unit, it->unit_name, 0);
	message_add_field(f, &n, lang->label_action, it->action, 0);
	message_add_field(f, &n, lang->label_time, it->time_text == NULL &&
	    it->kind == MESSAGE_ONGOING ? lang->ongoing : it->time_text, 0);
	message_add_field(f, &n, lang->label_lead, it->lead_units, 0);
	message_add_field(f, &n, lang->label_support, it->support_units, 0);
	message_add_field(f, &n, lang->label_notes, it->notes, 0);
	message_add_field(f, &n, lang->label_done, it->done_link, 1);
	return (n);
}

/* Frees the values of fields. */
static void
message_fields_free(struct message_field *f, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(f[i].value);
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
	c = strcmp(x->plan_ref ? x->plan_ref : "", y->plan_ref ? y->plan_ref : "");
	if (c != 0)
		return (c);
	return (strcmp(x->title ? x->title : "", y->title ? y->title : ""));
}

/* The items of d in digest order; caller frees the array. */
static const struct message_item **
message_sorted(const struct message_digest *d)
{
	const struct message_item	**v;
	size_t				  i;

	v = xreallocarray(NULL, d->n == 0 ? 1 : d->n, sizeof *v);
	for (i = 0; i < d->n; i++)
		v[i] = &d->items[i];
	if (d->n > 1)
		qsort(v, d->n, sizeof *v, message_compare);
	return (v);
}

/* Counts the items of each section. */
static void
message_counts(const struct message_digest *d, int counts[MESSAGE_SECTIONS])
{
	size_t	i;

	memset(counts, 0, MESSAGE_SECTIONS * sizeof counts[0]);
	for (i = 0; i < d->n; i++)
		counts[message_section_of(&d->items[i])]++;
}

/* The subject line; caller frees. */
static char *
message_subject(const struct message_digest *d, const struct message_lang *lang)
{
	struct buf	 b;
	int		 counts[MESSAGE_SECTIONS], i, any = 0;
	char		*day;

	buf_init(&b);
	day = message_day(lang, d->day);
	message_subst(&b, d->escalation ? lang->subject_escalation :
	    lang->subject_daily, day);
	free(day);
	buf_adds(&b, ": ");
	message_counts(d, counts);
	for (i = 0; i < MESSAGE_SECTIONS; i++) {
		if (counts[i] == 0)
			continue;
		buf_printf(&b, "%s%d %s", any ? ", " : "", counts[i],
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

/* Appends one numbered item as wrapped text. */
static void
message_text_item(struct buf *b, const struct message_digest *d,
    const struct message_lang *lang, const struct message_item *it, int number)
{
	struct message_field	 f[MESSAGE_FIELDS];
	size_t			 n, i;
	char			*heading, *first, *indent;

	heading = message_heading(it);
	xasprintf(&first, "%d. ", number);
	xasprintf(&indent, "%*s", (int)strlen(first), "");
	message_wrap(b, first, indent, heading);
	free(heading);
	free(first);
	free(indent);
	n = message_fields(d, lang, it, f);
	for (i = 0; i < n; i++) {
		xasprintf(&first, "%s%s: ", MESSAGE_INDENT, f[i].label);
		message_wrap(b, first, MESSAGE_INDENT "  ", f[i].value);
		free(first);
	}
	message_fields_free(f, n);
}

/* Appends the sections of the sorted items as text. */
static void
message_text_sections(struct buf *b, const struct message_digest *d,
    const struct message_lang *lang, const struct message_item **v)
{
	int	counts[MESSAGE_SECTIONS], numbered = 0, number = 0;
	size_t	i;
	enum message_section s, last = MESSAGE_SECTIONS;

	message_counts(d, counts);
	for (i = 0; i < d->n; i++) {
		s = message_section_of(v[i]);
		if (s != last) {
			buf_printf(b, "\n%s. %s (%d)\n", message_roman(numbered++),
			    lang->sections[s], counts[s]);
			last = s;
			number = 0;
		}
		buf_addc(b, '\n');
		message_text_item(b, d, lang, v[i], ++number);
	}
}

/* The plain text body; caller frees. */
static char *
message_text(const struct message_digest *d, const struct message_lang *lang,
    const struct message_item **v)
{
	struct buf	 b;
	char		*s;

	buf_init(&b);
	s = message_addressee(d);
	message_subst(&b, lang->greeting, s);
	buf_adds(&b, "\n\n");
	free(s);
	s = message_intro(d, lang);
	message_wrap(&b, "", "", s);
	free(s);
	if (d->n == 0)
		buf_printf(&b, "\n%s\n", lang->empty);
	message_text_sections(&b, d, lang, v);
	if (d->more > 0) {
		struct buf	t;

		xasprintf(&s, "%zu", d->more);
		buf_init(&t);
		message_subst(&t, lang->more, s);
		free(s);
		s = buf_steal(&t);
		buf_addc(&b, '\n');
		message_wrap(&b, "", "", s);
		free(s);
	}
	if (d->feed_link != NULL && *d->feed_link != '\0') {
		buf_addc(&b, '\n');
		message_wrap(&b, "", "", lang->feed);
		s = message_clean(d->feed_link);
		buf_printf(&b, "%s\n", s);
		free(s);
	}
	buf_adds(&b, "\n-- \n");
	message_wrap(&b, "", "", lang->footer);
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

/* Appends one item as an HTML list entry. */
static void
message_html_item(struct buf *b, const struct message_digest *d,
    const struct message_lang *lang, const struct message_item *it)
{
	struct message_field	 f[MESSAGE_FIELDS];
	size_t			 n, i;
	char			*heading;

	heading = message_heading(it);
	buf_adds(b, "<li><b>");
	buf_add_html(b, heading, 1);
	buf_adds(b, "</b>");
	free(heading);
	n = message_fields(d, lang, it, f);
	for (i = 0; i < n; i++) {
		buf_adds(b, "<br>\n");
		buf_add_html(b, f[i].label, 1);
		buf_adds(b, ": ");
		if (f[i].link)
			message_html_link(b, f[i].value);
		else
			buf_add_html(b, f[i].value, 1);
	}
	buf_adds(b, "</li>\n");
	message_fields_free(f, n);
}

/* Appends the sections of the sorted items as HTML lists. */
static void
message_html_sections(struct buf *b, const struct message_digest *d,
    const struct message_lang *lang, const struct message_item **v)
{
	int	counts[MESSAGE_SECTIONS], numbered = 0;
	size_t	i;
	enum message_section s, last = MESSAGE_SECTIONS;

	message_counts(d, counts);
	for (i = 0; i < d->n; i++) {
		s = message_section_of(v[i]);
		if (s != last) {
			if (last != MESSAGE_SECTIONS)
				buf_adds(b, "</ol>\n");
			buf_printf(b, "<h3>%s. %s (%d)</h3>\n<ol>\n",
			    message_roman(numbered++), lang->sections[s],
			    counts[s]);
			last = s;
		}
		message_html_item(b, d, lang, v[i]);
	}
	if (last != MESSAGE_SECTIONS)
		buf_adds(b, "</ol>\n");
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

/* The HTML alternative; caller frees. */
static char *
message_html(const struct message_digest *d, const struct message_lang *lang,
    const struct message_item **v, const char *subject)
{
	struct buf	 b;
	char		*s;

	buf_init(&b);
	buf_printf(&b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<title>", lang->code);
	buf_add_html(&b, subject, 1);
	buf_adds(&b, "</title>\n</head>\n<body>\n");
	s = message_addressee(d);
	message_html_para(&b, lang->greeting, s);
	free(s);
	s = message_intro(d, lang);
	message_html_para(&b, "%s", s);
	free(s);
	if (d->n == 0)
		message_html_para(&b, lang->empty, "");
	message_html_sections(&b, d, lang, v);
	if (d->more > 0) {
		xasprintf(&s, "%zu", d->more);
		message_html_para(&b, lang->more, s);
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
	buf_add_html(&b, lang->footer, 1);
	buf_adds(&b, "</small></p>\n</body>\n</html>\n");
	return (buf_steal(&b));
}

/* Subject, text and optional HTML of a digest; caller frees each. */
void
message_render(const struct message_digest *d, char **subject, char **text,
    char **html)
{
	const struct message_lang	 *lang = message_lang_of(d);
	const struct message_item	**v;

	v = message_sorted(d);
	*subject = message_subject(d, lang);
	*text = message_text(d, lang, v);
	if (html != NULL)
		*html = message_html(d, lang, v, *subject);
	free(v);
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

/* The counts object: {"overdue": 2, "due_today": 1, ...}; new reference. */
static json_t *
message_json_counts(const struct message_digest *d)
{
	int	c[MESSAGE_SECTIONS];

	json_t	*o;

	message_counts(d, c);
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

/* The digest as compact JSON built with jansson; caller frees. */
char *
message_render_json(const struct message_digest *d)
{
	const struct message_item	**v;
	json_t				 *root, *items;
	char				 *s, *subject;
	size_t				  i;

	v = message_sorted(d);
	items = json_array();
	for (i = 0; i < d->n; i++)
		json_array_append_new(items, message_json_item(d, v[i]));
	free(v);
	subject = message_subject(d, message_lang_of(d));
	root = json_pack("{s:{s:o, s:o}, s:o, s:s, s:b, s:o, s:o, s:o, s:I, "
	    "s:o}",
	    "unit", "code", message_json_string(d->unit_code),
	    "name", message_json_string(d->unit_name),
	    "date", message_json_date(d->day),
	    "lang", message_lang_of(d)->code,
	    "escalation", d->escalation != 0,
	    "subject", message_json_string(subject),
	    "counts", message_json_counts(d),
	    "items", items,
	    "more", (json_int_t)d->more,
	    "feed", message_json_string(d->feed_link));
	free(subject);
	if (root == NULL || (s = json_dumps(root, JSON_COMPACT)) == NULL)
		fatalx("message_render_json: cannot build JSON");
	json_decref(root);
	return (s);
}
