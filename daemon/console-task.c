/*
 * The console's pages of one task, of one unit and of the units'
 * requests: what the task says (reference, text, time phrase, rule,
 * units and roles, notes), its due dates with their figures, the units of
 * one date with their state, and the history of who did what.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console-private.h"
#include "html.h"
#include "report.h"
#include "store.h"

/* The task, copied out of the store. */
struct task_view {
	int	 found;
	char	*plan;
	char	*ref;
	char	*section;
	char	*category;
	char	*content;
	char	*title;
	char	*time_text;
	char	*kind;
	char	*rrule;
	char	*units;
	char	*notes;
	char	*status;
	date_t	 due;
};

/* Copies a string or NULL. */
static char *
console_dup(const char *s)
{
	return (s != NULL ? xstrdup(s) : NULL);
}

/* Copies the task. */
static int
console_task_copy(const struct store_task *t, void *arg)
{
	struct task_view	*v = arg;

	v->found = 1;
	v->plan = console_dup(t->plan_code);
	v->ref = console_dup(t->ref);
	v->section = console_dup(t->section);
	v->category = console_dup(t->category);
	v->content = console_dup(t->content);
	v->title = console_dup(t->title);
	v->time_text = console_dup(t->time_text);
	v->kind = console_dup(t->kind);
	v->rrule = console_dup(t->rrule);
	v->units = console_dup(t->units);
	v->notes = console_dup(t->notes);
	v->status = console_dup(t->status);
	v->due = t->due;
	return (0);
}

/* Frees a copied task. */
static void
console_task_free(struct task_view *v)
{
	free(v->plan);
	free(v->ref);
	free(v->section);
	free(v->category);
	free(v->content);
	free(v->title);
	free(v->time_text);
	free(v->kind);
	free(v->rrule);
	free(v->units);
	free(v->notes);
	free(v->status);
}

/* The words of a task's kind. */
static const char *
console_kind_words(const char *kind)
{
	if (strcmp(kind, "once") == 0)
		return ("Một lần");
	if (strcmp(kind, "recurring") == 0)
		return ("Định kỳ");
	if (strcmp(kind, "ongoing") == 0)
		return ("Thường xuyên (không có hạn)");
	if (strcmp(kind, "on_event") == 0)
		return ("Theo sự kiện (chưa có hạn)");
	return ("Chưa đọc được thời hạn");
}

/* Appends the units of a task ("code:role code:role") with their roles. */
static void
console_task_units(struct buf *b, const char *units)
{
	char	*copy, *word, *save = NULL, *colon;
	int	 first = 1;

	if (units == NULL)
		return;
	buf_adds(b, "<tr><th>Đơn vị</th><td>");
	copy = xstrdup(units);
	for (word = strtok_r(copy, " ", &save); word != NULL;
	    word = strtok_r(NULL, " ", &save)) {
		if ((colon = strchr(word, ':')) != NULL)
			*colon++ = '\0';
		if (!first)
			buf_adds(b, ", ");
		first = 0;
		buf_adds(b, "<a href=\"/console/unit/");
		html_text(b, word);
		buf_adds(b, "\">");
		html_text(b, word);
		buf_adds(b, "</a>");
		if (colon != NULL && strcmp(colon, "lead") == 0)
			buf_adds(b, " (chủ trì)");
		else if (colon != NULL && strcmp(colon, "support") == 0)
			buf_adds(b, " (phối hợp)");
	}
	free(copy);
	buf_adds(b, "</td></tr>\n");
}

/* One due date of the task and its figures. */
struct task_date {
	date_t	nominal;
	date_t	effective;	/* of its first unit */
	int	n, open, overdue, done, waived, extended;
};

/* One unit of the chosen date. */
struct task_unit {
	int64_t	 id;
	char	*unit;
	char	*name;
	char	*role;
	char	*status;
	date_t	 effective;
	date_t	 extended;
	date_t	 done_on;
};

struct task_ctx {
	date_t			 today;
	date_t			 chosen;	/* nominal, or DATE_NONE */
	struct task_date	*dates;
	size_t			 ndates;
	struct task_unit	*units;
	size_t			 nunits;
};

/* Counts an occurrence under its date; keeps it if of the chosen date. */
static int
console_task_occ(const struct store_occurrence *o, void *arg)
{
	struct task_ctx		*tx = arg;
	struct task_date	*d;
	struct task_unit	*u;
	int			 open = strcmp(o->status, "open") == 0;

	if (tx->ndates == 0 || tx->dates[tx->ndates - 1].nominal !=
	    o->nominal) {
		tx->dates = xreallocarray(tx->dates, tx->ndates + 1,
		    sizeof *tx->dates);
		d = &tx->dates[tx->ndates++];
		memset(d, 0, sizeof *d);
		d->nominal = o->nominal;
		d->effective = o->effective;
	}
	d = &tx->dates[tx->ndates - 1];
	d->n++;
	d->open += open;
	d->overdue += open && o->effective < tx->today;
	d->done += strcmp(o->status, "done") == 0;
	d->waived += strcmp(o->status, "waived") == 0;
	d->extended += o->extended != DATE_NONE;
	if (tx->chosen == DATE_NONE || o->nominal != tx->chosen)
		return (0);
	tx->units = xreallocarray(tx->units, tx->nunits + 1,
	    sizeof *tx->units);
	u = &tx->units[tx->nunits++];
	u->id = o->id;
	u->unit = xstrdup(o->unit_code);
	u->name = xstrdup(o->unit_name);
	u->role = console_dup(o->role);
	u->status = xstrdup(o->status);
	u->effective = o->effective;
	u->extended = o->extended;
	u->done_on = o->done_on;
	return (0);
}

/* The date to show: ?due=, else the first open one from today, else last. */
static date_t
console_task_pick(struct console_page *p, const struct task_ctx *tx)
{
	const char	*arg = console_arg(p, "due");
	date_t		 d;
	size_t		 i;

	if (arg != NULL && date_parse_iso(arg, &d) == 0)
		for (i = 0; i < tx->ndates; i++)
			if (tx->dates[i].nominal == d)
				return (d);
	for (i = 0; i < tx->ndates; i++)
		if (tx->dates[i].open > 0 && tx->dates[i].effective >=
		    p->today)
			return (tx->dates[i].nominal);
	return (tx->ndates > 0 ? tx->dates[tx->ndates - 1].nominal :
	    DATE_NONE);
}

/* Appends the table of the task's due dates. */
static void
console_task_dates(struct console_page *p, int64_t id,
    const struct task_ctx *tx)
{
	const struct task_date	*d;
	char			 iso[11];
	size_t			 i;

	buf_adds(&p->main, "<h2>Các kỳ hạn</h2>\n<div class=\"scroll\"><table>"
	    "<thead><tr><th>Hạn</th><th class=\"n\">Đơn vị</th><th class=\"n\">"
	    "Đã xong</th><th class=\"n\">Quá hạn</th><th class=\"n\">Miễn</th>"
	    "<th class=\"n\">Gia hạn</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < tx->ndates; i++) {
		d = &tx->dates[i];
		date_format_iso(d->nominal, iso);
		buf_printf(&p->main, "<tr%s><td><a href=\"/console/task/%lld"
		    "?due=%s\">", d->overdue > 0 ? " class=\"bad\"" : "",
		    (long long)id, iso);
		html_date(&p->main, d->effective);
		buf_adds(&p->main, "</a>");
		if (d->nominal == tx->chosen)
			buf_adds(&p->main, " ◀");
		buf_printf(&p->main, "</td><td class=\"n\">%d</td><td class=\"n\">"
		    "%d</td><td class=\"n\">%d</td><td class=\"n\">%d</td><td "
		    "class=\"n\">%d</td></tr>\n", d->n, d->done, d->overdue,
		    d->waived, d->extended);
	}
	buf_adds(&p->main, "</tbody></table></div>\n");
}

/* Appends the units of the chosen date. */
static void
console_task_chosen(struct console_page *p, const struct task_ctx *tx)
{
	const struct task_unit	*u;
	size_t			 i;

	buf_adds(&p->main, "<h2>Các đơn vị, hạn ");
	html_date(&p->main, tx->chosen);
	buf_adds(&p->main, " (theo kế hoạch)</h2>\n<div class=\"scroll\"><table "
	    "id=\"units\"><thead><tr><th>Đơn vị</th><th>Vai trò</th><th>Hạn"
	    "</th><th>Trạng thái</th><th></th></tr></thead>\n<tbody>\n");
	for (i = 0; i < tx->nunits; i++) {
		u = &tx->units[i];
		buf_adds(&p->main, "<tr><td>");
		html_text(&p->main, u->name);
		buf_adds(&p->main, "</td><td>");
		html_text(&p->main, u->role != NULL && strcmp(u->role,
		    "lead") == 0 ? "chủ trì" : "phối hợp");
		buf_adds(&p->main, "</td><td>");
		html_date(&p->main, u->effective);
		buf_adds(&p->main, "</td><td>");
		console_status_tag(&p->main, u->status, u->effective, p->today,
		    u->extended, "vi");
		if (u->done_on != DATE_NONE) {
			buf_adds(&p->main, " ");
			html_date(&p->main, u->done_on);
		}
		buf_printf(&p->main, "</td><td><a href=\"/console/occurrence/"
		    "%lld\">Xử lý</a></td></tr>\n", (long long)u->id);
	}
	buf_adds(&p->main, "</tbody></table></div>\n");
}

/* Frees what the task page collected. */
static void
console_task_ctx_free(struct task_ctx *tx)
{
	size_t	i;

	for (i = 0; i < tx->nunits; i++) {
		free(tx->units[i].unit);
		free(tx->units[i].name);
		free(tx->units[i].role);
		free(tx->units[i].status);
	}
	free(tx->units);
	free(tx->dates);
}

/* Appends the description of the task. */
static void
console_task_describe(struct buf *b, const struct task_view *v)
{
	char	due[11];

	buf_adds(b, "<div class=\"card\"><table>\n");
	console_field_row(b, "Kế hoạch", v->plan);
	console_field_row(b, "Mục", v->section);
	console_field_row(b, "Nhóm", v->category);
	console_field_row(b, "Nhiệm vụ", v->title);
	console_field_row(b, "Nội dung", v->content);
	console_field_row(b, "Thời gian (nguyên văn)", v->time_text);
	console_field_row(b, "Loại", console_kind_words(v->kind));
	console_field_row(b, "Quy tắc lặp", v->rrule);
	if (v->due != DATE_NONE) {
		date_format_vn(v->due, due);
		console_field_row(b, "Hạn (theo kế hoạch)", due);
	}
	console_task_units(b, v->units);
	console_field_row(b, "Ghi chú", v->notes);
	if (v->status != NULL && strcmp(v->status, "active") != 0)
		console_field_row(b, "Tình trạng", "Đã rút khỏi kế hoạch");
	buf_adds(b, "</table></div>\n");
}

void
console_page_task(struct console_page *p, int64_t id)
{
	struct task_view	 v;
	struct task_ctx		 tx;
	char			 title[160], *cause = NULL;

	memset(&v, 0, sizeof v);
	if (store_tasks(p->c->store, NULL, id, console_task_copy, &v,
	    &cause) < 0) {
		console_read_failed(p, cause);
		return;
	}
	if (!v.found) {
		p->status = 404;
		console_title(p, "Không tìm thấy nhiệm vụ");
		buf_adds(&p->main, "<h1>Không tìm thấy nhiệm vụ</h1>\n");
		return;
	}
	snprintf(title, sizeof title, "%s %s", v.plan, v.ref);
	console_title(p, title);
	buf_adds(&p->main, "<h1>");
	html_text(&p->main, title);
	buf_adds(&p->main, "</h1>\n");
	console_task_describe(&p->main, &v);
	memset(&tx, 0, sizeof tx);
	tx.today = p->today;
	tx.chosen = DATE_NONE;
	if (store_task_occurrences(p->c->store, id, console_task_occ, &tx,
	    &cause) != 0)
		console_read_failed(p, cause);
	tx.chosen = console_task_pick(p, &tx);
	free(tx.dates);
	tx.dates = NULL;
	tx.ndates = 0;
	cause = NULL;
	if (store_task_occurrences(p->c->store, id, console_task_occ, &tx,
	    &cause) != 0)
		console_read_failed(p, cause);
	if (tx.ndates > 0) {
		console_task_dates(p, id, &tx);
		console_task_chosen(p, &tx);
	}
	console_history(p, id, 0);
	console_task_ctx_free(&tx);
	console_task_free(&v);
}

/* The unit of the coordinator's unit page. */
struct unit_view {
	int	 found;
	char	*code;
	char	*name;
	char	*emails;
	int	 is_group;
};

/* Copies the unit. */
static int
console_unit_copy(const struct store_unit *u, void *arg)
{
	struct unit_view	*v = arg;

	v->found = 1;
	v->code = xstrdup(u->code);
	v->name = xstrdup(u->name);
	v->emails = console_dup(u->emails);
	v->is_group = u->is_group;
	return (0);
}

/* Lists one occurrence of the unit. */
static int
console_unit_occ(const struct store_occurrence *o, void *arg)
{
	struct console_page	*p = arg;

	buf_adds(&p->main, "<tr><td>");
	html_date(&p->main, o->effective);
	buf_printf(&p->main, "</td><td><a href=\"/console/task/%lld\">",
	    (long long)o->task_id);
	html_text(&p->main, o->plan_code);
	buf_adds(&p->main, " ");
	html_text(&p->main, o->ref);
	buf_adds(&p->main, "</a> ");
	html_text(&p->main, o->content != NULL && *o->content != '\0' ?
	    o->content : o->title);
	buf_adds(&p->main, "</td><td>");
	console_status_tag(&p->main, o->status, o->effective, p->today,
	    o->extended, "vi");
	buf_printf(&p->main, "</td><td><a href=\"/console/occurrence/%lld\">"
	    "Xử lý</a></td></tr>\n", (long long)o->id);
	return (0);
}

/* Appends the unit's figures this quarter. */
static void
console_unit_figures(struct console_page *p, const char *code)
{
	struct report_options	 opt;
	struct report		 r;
	char			*cause = NULL;
	int			 y, m, d;

	memset(&opt, 0, sizeof opt);
	date_to_ymd(p->today, &y, &m, &d);
	report_period_set(&opt.period, REPORT_QUARTER, y, (m - 1) / 3 + 1);
	opt.unit = code;
	opt.today = p->today;
	if (report_build(p->c->store, p->c->cal, &opt, &r, &cause) != 0) {
		free(cause);
		return;
	}
	buf_adds(&p->main, "<div class=\"card\">");
	html_text(&p->main, opt.period.label);
	buf_adds(&p->main, ": ");
	html_bar(&p->main, r.total.rate10, "vi");
	html_rate(&p->main, r.total.rate10, "vi");
	buf_printf(&p->main, " đúng hạn · %d đến hạn, %d đúng hạn, %d trễ, %d "
	    "quá hạn, %d được miễn, %d được gia hạn</div>\n", r.total.due,
	    r.total.on_time, r.total.late, r.total.overdue, r.total.waived,
	    r.total.extended);
	report_clear(&r);
}

void
console_page_unit(struct console_page *p, const char *code)
{
	struct store_agenda_filter	 f;
	struct unit_view		 v;
	size_t				 before;
	char				*cause = NULL;

	memset(&v, 0, sizeof v);
	if (*code != '\0' && store_unit_get(p->c->store, code,
	    console_unit_copy, &v, &cause) < 0) {
		console_read_failed(p, cause);
		return;
	}
	if (!v.found) {
		p->status = 404;
		console_title(p, "Không tìm thấy đơn vị");
		buf_adds(&p->main, "<h1>Không tìm thấy đơn vị</h1>\n");
		return;
	}
	console_title(p, v.name);
	buf_adds(&p->main, "<h1>");
	html_text(&p->main, v.name);
	buf_adds(&p->main, "</h1>\n<p class=\"muted\">");
	html_text(&p->main, v.code);
	if (v.emails != NULL && *v.emails != '\0') {
		buf_adds(&p->main, " · ");
		html_text(&p->main, v.emails);
	}
	buf_adds(&p->main, " · <a href=\"/console/month?unit=");
	html_text(&p->main, v.code);
	buf_adds(&p->main, "\">Lịch tháng</a></p>\n");
	console_unit_figures(p, v.code);
	buf_adds(&p->main, "<h2>Việc chưa xong (quá hạn và 60 ngày tới)</h2>\n"
	    "<div class=\"scroll\"><table><thead><tr><th>Hạn</th><th>Nhiệm vụ"
	    "</th><th>Trạng thái</th><th></th></tr></thead>\n<tbody>\n");
	memset(&f, 0, sizeof f);
	f.unit = v.code;
	f.from = DATE_NONE;
	f.to = p->today + 60;
	f.open_only = 1;
	before = p->main.len;
	if (store_agenda(p->c->store, &f, console_unit_occ, p, &cause) < 0)
		console_read_failed(p, cause);
	if (p->main.len == before)
		buf_adds(&p->main, "<tr><td colspan=\"4\" class=\"muted\">Không "
		    "có việc nào.</td></tr>\n");
	buf_adds(&p->main, "</tbody></table></div>\n<p class=\"note\">Đường dẫn "
	    "trang của đơn vị (gửi kèm thư nhắc hằng ngày): <code>deadlinectl "
	    "unit-link ");
	html_text(&p->main, v.code);
	buf_adds(&p->main, "</code></p>\n");
	free(v.code);
	free(v.name);
	free(v.emails);
}

/* Appends one request of the requests page. */
static int
console_request_row(const struct store_request *rq, void *arg)
{
	struct console_page	*p = arg;
	int			 pending = strcmp(rq->state, "pending") == 0;

	buf_adds(&p->main, "<div class=\"item\"><h3>");
	html_text(&p->main, rq->unit_name);
	buf_printf(&p->main, " · <a href=\"/console/occurrence/%lld\">",
	    (long long)rq->occurrence_id);
	html_text(&p->main, rq->plan_code);
	buf_adds(&p->main, " ");
	html_text(&p->main, rq->ref);
	buf_adds(&p->main, "</a></h3>");
	html_text(&p->main, rq->title);
	buf_adds(&p->main, "<br>Hạn hiện tại ");
	html_date(&p->main, rq->effective);
	buf_adds(&p->main, ", đề nghị gia hạn đến <b>");
	html_date(&p->main, rq->due);
	buf_adds(&p->main, "</b>. Lý do: ");
	html_text(&p->main, rq->reason);
	buf_adds(&p->main, "<br><span class=\"muted\">");
	html_text(&p->main, rq->by);
	buf_adds(&p->main, ", ");
	html_text(&p->main, rq->at);
	buf_adds(&p->main, "</span> ");
	if (pending)
		console_request_forms(p, rq->id);
	else {
		buf_adds(&p->main, strcmp(rq->state, "approved") == 0 ?
		    "<span class=\"tag done\">đã đồng ý</span> " :
		    "<span class=\"tag overdue\">không đồng ý</span> ");
		html_text(&p->main, rq->answer);
		buf_adds(&p->main, " <span class=\"muted\">(");
		html_text(&p->main, rq->decided_by);
		buf_adds(&p->main, rq->told != NULL ? ", đã báo đơn vị)" :
		    ", chưa báo đơn vị)");
		buf_adds(&p->main, "</span>");
	}
	buf_adds(&p->main, "</div>\n");
	return (0);
}

/* Appends a request already answered. */
static int
console_answered_row(const struct store_request *rq, void *arg)
{
	if (strcmp(rq->state, "pending") == 0)
		return (0);
	return (console_request_row(rq, arg));
}

void
console_page_requests(struct console_page *p)
{
	struct store_request_filter	 f;
	size_t				 before;

	p->nav = "requests";
	console_title(p, "Đề nghị gia hạn");
	buf_adds(&p->main, "<h1>Đề nghị gia hạn chờ duyệt</h1>\n");
	memset(&f, 0, sizeof f);
	f.state = "pending";
	before = p->main.len;
	store_requests(p->c->store, &f, console_request_row, p, NULL);
	if (p->main.len == before)
		buf_adds(&p->main, "<p class=\"muted\">Không có đề nghị nào đang "
		    "chờ.</p>\n");
	buf_adds(&p->main, "<h2>Đã trả lời gần đây</h2>\n");
	f.state = NULL;
	f.limit = 30;
	f.untold = 0;
	store_requests(p->c->store, &f, console_answered_row, p, NULL);
}
