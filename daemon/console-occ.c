/*
 * One occurrence in the console: what it is, its dates (nominal, due,
 * extended), its moves and history, a pending request, and the forms of
 * every action the coordinator may take on it now.  Each form carries the
 * occurrence's version: a form sent twice, or after someone else acted,
 * changes nothing (action.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "console-private.h"
#include "html.h"
#include "store.h"

/* The occurrence, copied out of the store. */
struct occ_view {
	int	 found;
	int64_t	 id;
	int64_t	 task_id;
	char	*unit;
	char	*unit_name;
	char	*plan;
	char	*ref;
	char	*title;
	char	*action;
	char	*time_text;
	char	*status;
	char	*note;
	char	*role;
	date_t	 nominal;
	date_t	 effective;
	date_t	 extended;
	date_t	 done_on;
	date_t	 snooze_until;
};

void
console_status_tag(struct buf *b, const char *status, date_t effective,
    date_t today, date_t extended, const char *lang)
{
	int	en = lang != NULL && strcmp(lang, "en") == 0;

	if (strcmp(status, "done") == 0)
		buf_adds(b, en ? "<span class=\"tag done\">done</span>" :
		    "<span class=\"tag done\">đã xong</span>");
	else if (strcmp(status, "waived") == 0)
		buf_adds(b, en ? "<span class=\"tag waived\">not applicable"
		    "</span>" : "<span class=\"tag waived\">được miễn</span>");
	else if (effective != DATE_NONE && effective < today)
		buf_adds(b, en ? "<span class=\"tag overdue\">overdue</span>" :
		    "<span class=\"tag overdue\">quá hạn</span>");
	else
		buf_adds(b, en ? "<span class=\"tag\">open</span>" :
		    "<span class=\"tag\">đang mở</span>");
	if (extended != DATE_NONE)
		buf_adds(b, en ? " <span class=\"tag extended\">extended</span>" :
		    " <span class=\"tag extended\">đã gia hạn</span>");
}

/* Copies the occurrence. */
static int
console_occ_copy(const struct store_occurrence *o, void *arg)
{
	struct occ_view	*v = arg;
	int		 has = o->content != NULL && *o->content != '\0';

	v->found = 1;
	v->id = o->id;
	v->task_id = o->task_id;
	v->unit = xstrdup(o->unit_code);
	v->unit_name = xstrdup(o->unit_name);
	v->plan = xstrdup(o->plan_code);
	v->ref = xstrdup(o->ref);
	v->title = xstrdup(has ? o->content : o->title);
	v->action = has ? xstrdup(o->title) : NULL;
	v->time_text = o->time_text != NULL ? xstrdup(o->time_text) : NULL;
	v->status = xstrdup(o->status);
	v->note = o->note != NULL ? xstrdup(o->note) : NULL;
	v->role = o->role != NULL ? xstrdup(o->role) : NULL;
	v->nominal = o->nominal;
	v->effective = o->effective;
	v->extended = o->extended;
	v->done_on = o->done_on;
	v->snooze_until = o->snooze_until;
	return (0);
}

/* Frees a copied occurrence. */
static void
console_occ_free(struct occ_view *v)
{
	free(v->unit);
	free(v->unit_name);
	free(v->plan);
	free(v->ref);
	free(v->title);
	free(v->action);
	free(v->time_text);
	free(v->status);
	free(v->note);
	free(v->role);
}

/* Appends the description of the occurrence. */
static void
console_occ_describe(struct console_page *p, const struct occ_view *v)
{
	struct buf	*b = &p->main;

	buf_adds(b, "<div class=\"card\"><table>\n");
	buf_printf(b, "<tr><th>Nhiệm vụ</th><td><a href=\"/console/task/%lld\">",
	    (long long)v->task_id);
	html_text(b, v->plan);
	buf_adds(b, " ");
	html_text(b, v->ref);
	buf_adds(b, "</a><br>");
	html_lines(b, v->title);
	buf_adds(b, "</td></tr>\n<tr><th>Đơn vị</th><td><a href=\"/console/"
	    "unit/");
	html_text(b, v->unit);
	buf_adds(b, "\">");
	html_text(b, v->unit_name);
	buf_adds(b, "</a>");
	if (v->role != NULL)
		buf_printf(b, " (%s)", strcmp(v->role, "lead") == 0 ?
		    "chủ trì" : "phối hợp");
	buf_adds(b, "</td></tr>\n");
	console_field_row(b, "Thời gian (theo kế hoạch)", v->time_text);
	buf_adds(b, "<tr><th>Hạn</th><td>");
	html_day(b, v->effective, "vi");
	if (v->nominal != v->effective) {
		buf_adds(b, " <span class=\"muted\">(ghi trong kế hoạch: ");
		html_date(b, v->nominal);
		buf_adds(b, ")</span>");
	}
	buf_adds(b, "</td></tr>\n<tr><th>Trạng thái</th><td>");
	console_status_tag(b, v->status, v->effective, p->today, v->extended,
	    "vi");
	if (v->done_on != DATE_NONE) {
		buf_adds(b, " ngày ");
		html_date(b, v->done_on);
	}
	if (v->snooze_until != DATE_NONE && v->snooze_until > p->today) {
		buf_adds(b, " · lùi nhắc đến ");
		html_date(b, v->snooze_until);
	}
	buf_adds(b, "</td></tr>\n");
	console_field_row(b, "Ghi chú", v->note);
	buf_adds(b, "</table></div>\n");
}

/* Appends one move of the occurrence. */
static int
console_occ_move(const struct store_move *m, void *arg)
{
	struct buf	*b = arg;

	buf_adds(b, "<tr><td>");
	html_date(b, m->old_due);
	buf_adds(b, " → ");
	html_date(b, m->new_due);
	buf_adds(b, "</td><td>");
	html_text(b, m->reason);
	buf_adds(b, "</td><td>");
	html_text(b, m->by);
	buf_adds(b, "</td><td>");
	html_text(b, m->at);
	buf_adds(b, "</td></tr>\n");
	return (0);
}

/* Appends one history row. */
static int
console_history_row(const struct store_history *h, void *arg)
{
	struct buf	*b = arg;

	buf_adds(b, "<tr><td>");
	html_text(b, h->at);
	buf_adds(b, "</td><td>");
	html_text(b, h->unit_name);
	buf_adds(b, "</td><td>");
	html_text(b, h->action);
	buf_adds(b, "</td><td>");
	html_text(b, h->by);
	buf_adds(b, "</td><td class=\"hide-narrow\">");
	html_text(b, h->origin);
	buf_adds(b, "</td><td>");
	html_lines(b, h->note);
	buf_adds(b, "</td></tr>\n");
	return (0);
}

/* Appends a history table of a task or an occurrence. */
void
console_history(struct console_page *p, int64_t task, int64_t occ)
{
	size_t	before;
	char	*cause = NULL;

	buf_adds(&p->main, "<h2>Lịch sử</h2>\n<div class=\"scroll\"><table>"
	    "<thead><tr><th>Lúc</th><th>Đơn vị</th><th>Thao tác</th><th>Người "
	    "thực hiện</th><th class=\"hide-narrow\">Từ</th><th>Lý do, ghi "
	    "chú</th></tr></thead>\n<tbody>\n");
	before = p->main.len;
	if (store_history(p->c->store, task, occ, 100, console_history_row,
	    &p->main, &cause) != 0)
		console_read_failed(p, cause);
	if (p->main.len == before)
		buf_adds(&p->main, "<tr><td colspan=\"6\" class=\"muted\">Chưa có "
		    "thao tác nào.</td></tr>\n");
	buf_adds(&p->main, "</tbody></table></div>\n");
}

/* Appends the answer forms of a pending request (shared). */
void
console_request_forms(struct console_page *p, int64_t request)
{
	buf_adds(&p->main, "<div class=\"actions\">");
	console_form_begin(p, "approve", request, -1);
	buf_adds(&p->main, "<input type=\"text\" name=\"reason\" maxlength="
	    "\"500\" placeholder=\"Ý kiến (không bắt buộc)\"><button type="
	    "\"submit\">Đồng ý</button></form>");
	console_form_begin(p, "decline", request, -1);
	buf_adds(&p->main, "<input type=\"text\" name=\"reason\" maxlength="
	    "\"500\" required placeholder=\"Lý do không đồng ý\"><button "
	    "class=\"light\" type=\"submit\">Không đồng ý</button></form>");
	buf_adds(&p->main, "</div>\n");
}

/* Shows a pending request of the occurrence with its answer forms. */
static int
console_occ_request(const struct store_request *rq, void *arg)
{
	struct console_page	*p = arg;

	buf_adds(&p->main, "<div class=\"card\"><b>Đề nghị gia hạn đến ");
	html_date(&p->main, rq->due);
	buf_adds(&p->main, "</b> <span class=\"tag pending\">chờ duyệt</span>"
	    "<br>Lý do: ");
	html_text(&p->main, rq->reason);
	buf_adds(&p->main, "<br><span class=\"muted\">");
	html_text(&p->main, rq->by);
	buf_adds(&p->main, ", ");
	html_text(&p->main, rq->at);
	buf_adds(&p->main, "</span>");
	console_request_forms(p, rq->id);
	buf_adds(&p->main, "</div>\n");
	return (0);
}

/* Appends the forms of the actions open to the coordinator now. */
static void
console_occ_forms(struct console_page *p, const struct occ_view *v,
    int64_t version)
{
	struct buf	*b = &p->main;
	char		 today[11];

	date_format_iso(p->today, today);
	buf_adds(b, "<h2>Xử lý</h2>\n<div class=\"actions\">");
	if (strcmp(v->status, "open") != 0) {
		console_form_begin(p, "reopen", v->id, version);
		buf_adds(b, "<input type=\"text\" name=\"reason\" maxlength=\"500\" "
		    "placeholder=\"Lý do mở lại\"><button type=\"submit\">Mở lại"
		    "</button></form></div>\n");
		return;
	}
	console_form_begin(p, "done", v->id, version);
	buf_adds(b, "<label>Ngày hoàn thành <input type=\"date\" name=\"date\" "
	    "value=\"");
	buf_adds(b, today);
	buf_adds(b, "\" max=\"");
	buf_adds(b, today);
	buf_adds(b, "\"></label><button type=\"submit\">Đã hoàn thành</button>"
	    "</form></div>\n<details><summary>Gia hạn</summary>");
	console_form_begin(p, "extend", v->id, version);
	buf_adds(b, "<label>Hạn mới <input type=\"date\" name=\"date\" "
	    "required></label> <input type=\"text\" name=\"reason\" maxlength="
	    "\"500\" required placeholder=\"Lý do gia hạn\"><button type="
	    "\"submit\">Gia hạn</button></form></details>\n"
	    "<details><summary>Miễn thực hiện (không áp dụng)</summary>");
	console_form_begin(p, "waive", v->id, version);
	buf_adds(b, "<input type=\"text\" name=\"reason\" maxlength=\"500\" "
	    "required placeholder=\"Lý do miễn\"><button type=\"submit\">Miễn "
	    "thực hiện</button></form></details>\n<details><summary>Lùi nhắc "
	    "việc</summary>");
	console_form_begin(p, "snooze", v->id, version);
	buf_adds(b, "<label>Số ngày làm việc <input type=\"number\" name=\"days\" "
	    "min=\"1\" max=\"30\" value=\"3\" required></label> <input type="
	    "\"text\" name=\"reason\" maxlength=\"500\" placeholder=\"Lý do "
	    "(không bắt buộc)\"><button type=\"submit\">Lùi nhắc</button>"
	    "</form><p class=\"note\">Hạn giữ nguyên; chỉ thư nhắc tạm dừng."
	    "</p></details>\n");
}

void
console_page_occ(struct console_page *p, int64_t id)
{
	struct store_request_filter	 f;
	struct occ_view			 v;
	char				 title[160], *cause = NULL;
	int64_t				 version;

	memset(&v, 0, sizeof v);
	if (store_occ_get(p->c->store, id, console_occ_copy, &v, &cause) != 0) {
		console_occ_free(&v);
		console_read_failed(p, cause);
		return;
	}
	if (!v.found) {
		p->status = 404;
		console_title(p, "Không tìm thấy công việc");
		buf_adds(&p->main, "<h1>Không tìm thấy công việc</h1>\n");
		return;
	}
	snprintf(title, sizeof title, "%s %s – %s", v.plan, v.ref,
	    v.unit_name);
	console_title(p, title);
	buf_adds(&p->main, "<h1>");
	html_text(&p->main, title);
	buf_adds(&p->main, "</h1>\n");
	console_occ_describe(p, &v);
	memset(&f, 0, sizeof f);
	f.occurrence_id = id;
	f.state = "pending";
	store_requests(p->c->store, &f, console_occ_request, p, NULL);
	if ((version = store_occ_version(p->c->store, id, &cause)) < 0)
		console_read_failed(p, cause);
	else
		console_occ_forms(p, &v, version);
	buf_adds(&p->main, "<h2>Gia hạn</h2>\n<div class=\"scroll\"><table>"
	    "<thead><tr><th>Hạn</th><th>Lý do</th><th>Người gia hạn</th><th>"
	    "Lúc</th></tr></thead>\n<tbody>\n");
	cause = NULL;
	if (store_occ_moves(p->c->store, id, console_occ_move, &p->main,
	    &cause) != 0)
		console_read_failed(p, cause);
	buf_adds(&p->main, "</tbody></table></div>\n");
	console_history(p, 0, id);
	console_occ_free(&v);
}
