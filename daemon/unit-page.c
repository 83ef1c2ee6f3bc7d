/*
 * A unit's own page, /unit/<token>: its overdue and coming work with the
 * actions a unit may take (done, ask for an extension, not applicable),
 * its requests and the answers, what it finished lately, and its
 * calendar feed's address with a QR code.  The token (link.h, action
 * "unit") names the unit and nothing else: every action goes through
 * action_apply() with the unit set, which refuses another unit's
 * occurrence.  Vietnamese, or English when the unit's language is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "action.h"
#include "console-private.h"
#include "html.h"
#include "link.h"
#include "log.h"
#include "qr.h"
#include "store.h"

#define UNIT_PAGE_AHEAD		60	/* days of coming work shown */
#define UNIT_PAGE_RECENT	30	/* days of finished work shown */

/* The words of the page, by language. */
struct unit_words {
	const char	*lang;
	const char	*overdue, *coming, *nothing, *requests, *recent;
	const char	*ongoing, *feed, *feed_none, *feed_help;
	const char	*due, *done, *request, *request_help, *waive;
	const char	*waive_help, *new_date, *reason, *send, *asked;
	const char	*approved, *declined, *waiting, *intro, *ok;
	const char	*expired, *expired_text, *invalid, *invalid_text;
	const char	*replaced_text, *refused, *back, *stale_form;
	const char	*plan_date, *qr_label, *done_on;
};

static const struct unit_words unit_vi = {
	"vi", "Quá hạn", "Sắp đến hạn (60 ngày tới)", "Không có việc nào.",
	"Đề nghị gia hạn", "Đã hoàn thành gần đây", "Nhiệm vụ thường xuyên",
	"Lịch công việc của đơn vị",
	"Lịch của đơn vị chưa được tạo; vui lòng quay lại sau.",
	"Thêm vào Google Calendar, Outlook hoặc điện thoại bằng địa chỉ "
	"dưới đây, hoặc quét mã QR bằng điện thoại.",
	"Hạn", "Đã hoàn thành", "Đề nghị gia hạn",
	"Đề nghị sẽ được Phòng Nội vụ xem xét; kết quả báo trong thư nhắc "
	"tiếp theo.", "Không áp dụng",
	"Công việc này không áp dụng với đơn vị (ghi rõ lý do).", "Hạn mới",
	"Lý do", "Gửi", "đề nghị gia hạn đến", "đã đồng ý", "không đồng ý",
	"chờ duyệt",
	"Danh sách việc của đơn vị. Bấm \"Đã hoàn thành\" khi xong việc để "
	"dừng thư nhắc.", "Đã ghi nhận. Cảm ơn đơn vị.",
	"Liên kết đã hết hạn", "Liên kết này đã hết hạn. Vui lòng dùng "
	"liên kết \"Xem và cập nhật\" trong thư nhắc mới nhất.",
	"Liên kết không hợp lệ", "Liên kết này không hợp lệ hoặc đã bị sửa "
	"đổi. Vui lòng dùng đúng liên kết trong thư nhắc.",
	"Liên kết này đã được thay bằng liên kết mới. Vui lòng dùng liên "
	"kết trong thư nhắc mới nhất.", "Chưa thực hiện được",
	"Quay lại danh sách", "Biểu mẫu không hợp lệ hoặc đã cũ. Vui lòng "
	"tải lại trang. Không có thay đổi nào.", "theo kế hoạch",
	"Mã QR địa chỉ lịch của đơn vị", "ngày",
};

static const struct unit_words unit_en = {
	"en", "Overdue", "Coming (next 60 days)", "Nothing here.",
	"Extension requests", "Finished lately", "Ongoing tasks",
	"The unit's calendar",
	"The unit's calendar is not made yet; please come back later.",
	"Add it to Google Calendar, Outlook or a phone with the address "
	"below, or scan the QR code with a phone.",
	"Due", "Done", "Ask for an extension",
	"The coordinator will answer; the answer comes in the next "
	"reminder.", "Not applicable",
	"This task does not apply to the unit (say why).", "New date",
	"Reason", "Send", "asked to move to", "approved", "declined",
	"waiting",
	"The unit's work. Press \"Done\" when a task is done to stop its "
	"reminders.", "Recorded. Thank you.",
	"Link expired", "This link has expired. Please use the \"View and "
	"update\" link of the latest reminder.",
	"Invalid link", "This link is not valid or was altered. Please use "
	"the link of the reminder as it is.",
	"This link was replaced by a new one. Please use the link of the "
	"latest reminder.", "Not done",
	"Back to the list", "The form is not valid or is old. Please reload "
	"the page. Nothing changed.", "as planned",
	"QR code of the unit's calendar address", "on",
};

/* The unit of the page, verified. */
struct unit_ctx {
	struct console			*c;
	const struct console_request	*req;
	const char			*token;
	const struct unit_words		*w;
	date_t				 today;
	char				 code[LINK_UNIT_MAX + 1];
	char				*name;
	int64_t				 id;
	char				 csrf[CONSOLE_AUTH_CSRF_LEN + 1];
	struct buf			 b;
	int				 read_failed;
};

/* A read of the store failed: logs and frees cause, says so on the page. */
static void
unit_page_read_failed(struct unit_ctx *ux, char *cause)
{
	log_warnx("unit page %s: %s", ux->code, cause != NULL ? cause :
	    "read error");
	free(cause);
	ux->read_failed = 1;
	buf_adds(&ux->b, "<p class=\"error\">Không đọc được cơ sở dữ liệu; "
	    "trang này có thể thiếu. <span lang=\"en\">The database could not "
	    "be read; this page may be incomplete.</span></p>\n");
}

/* A page of one message in the unit's language. */
static void
unit_page_message(struct console_response *r, const struct unit_words *w,
    int status, const char *title, const char *text, const char *back)
{
	struct buf	b;

	buf_init(&b);
	html_begin(&b, w->lang, title, "narrow");
	buf_adds(&b, "<main>\n<h1>");
	html_text(&b, title);
	buf_adds(&b, "</h1>\n<p>");
	html_text(&b, text);
	buf_adds(&b, "</p>\n");
	if (back != NULL) {
		buf_adds(&b, "<p>");
		html_link(&b, back, w->back);
		buf_adds(&b, "</p>\n");
	}
	buf_adds(&b, "</main>\n");
	html_end(&b);
	r->status = status;
	r->body = buf_steal(&b);
}

/* Copies the unit's name and language. */
static int
unit_page_unit(const struct store_unit *u, void *arg)
{
	struct unit_ctx	*ux = arg;

	ux->id = u->id;
	free(ux->name);
	ux->name = xstrdup(u->name);
	ux->w = u->lang != NULL && strcmp(u->lang, "en") == 0 ? &unit_en :
	    &unit_vi;
	return (0);
}

/*
 * Verifies the token: a unit's, signed, not expired, of the unit's
 * current generation.  0, or -1 with the refusal page made.
 */
static int
unit_page_verify(struct unit_ctx *ux, time_t now, struct console_response *r)
{
	struct link_claims	 cl;
	char			*cause = NULL;
	int			 rc;

	ux->w = &unit_vi;
	rc = link_verify(ux->c->key, ux->token, now, &cl, &cause);
	free(cause);
	if ((rc == LINK_OK || rc == LINK_EXPIRED) &&
	    strcmp(cl.action, LINK_UNIT) == 0) {
		snprintf(ux->code, sizeof ux->code, "%s", cl.unit);
		if (store_unit_get(ux->c->store, ux->code, unit_page_unit, ux,
		    &cause) < 0) {
			log_warnx("unit page %s: %s", ux->code, cause);
			free(cause);
			unit_page_message(r, ux->w, 503, ux->w->refused,
			    "Không đọc được cơ sở dữ liệu.", NULL);
			return (-1);
		}
	}
	if (rc == LINK_EXPIRED && ux->id != 0) {
		unit_page_message(r, ux->w, 410, ux->w->expired,
		    ux->w->expired_text, NULL);
		return (-1);
	}
	if (rc != LINK_OK || strcmp(cl.action, LINK_UNIT) != 0 ||
	    ux->id == 0) {
		r->auth_failed = 1;
		unit_page_message(r, ux->w, 403, ux->w->invalid,
		    ux->w->invalid_text, NULL);
		return (-1);
	}
	if ((rc = store_unit_link_generation(ux->c->store, ux->id,
	    &cause)) < 0) {
		log_warnx("unit page %s: %s", ux->code, cause);
		free(cause);
		unit_page_message(r, ux->w, 503, ux->w->refused,
		    "Không đọc được cơ sở dữ liệu.", NULL);
		return (-1);
	}
	if (cl.sequence != rc) {
		unit_page_message(r, ux->w, 410, ux->w->expired,
		    ux->w->replaced_text, NULL);
		return (-1);
	}
	return (0);
}

/* Starts a form of an action on an occurrence. */
static void
unit_page_form(struct unit_ctx *ux, const char *op, int64_t occ,
    int64_t version)
{
	char	num[24];

	buf_adds(&ux->b, "<form method=\"post\">");
	html_hidden(&ux->b, "csrf", ux->csrf);
	html_hidden(&ux->b, "op", op);
	snprintf(num, sizeof num, "%lld", (long long)occ);
	html_hidden(&ux->b, "occ", num);
	snprintf(num, sizeof num, "%lld", (long long)version);
	html_hidden(&ux->b, "v", num);
}

/* Appends the forms of an open occurrence. */
static void
unit_page_forms(struct unit_ctx *ux, int64_t occ, int pending)
{
	const struct unit_words	*w = ux->w;
	char			*cause = NULL;
	int64_t			 v;

	if ((v = store_occ_version(ux->c->store, occ, &cause)) < 0) {
		unit_page_read_failed(ux, cause);
		return;
	}
	buf_adds(&ux->b, "<div class=\"actions\">");
	unit_page_form(ux, "done", occ, v);
	buf_adds(&ux->b, "<button type=\"submit\">");
	html_text(&ux->b, w->done);
	buf_adds(&ux->b, "</button></form></div>\n");
	if (!pending) {
		buf_adds(&ux->b, "<details><summary>");
		html_text(&ux->b, w->request);
		buf_adds(&ux->b, "</summary>");
		unit_page_form(ux, "request", occ, v);
		buf_adds(&ux->b, "<label>");
		html_text(&ux->b, w->new_date);
		buf_adds(&ux->b, " <input type=\"date\" name=\"date\" required>"
		    "</label> <input type=\"text\" name=\"reason\" maxlength="
		    "\"500\" required placeholder=\"");
		html_text(&ux->b, w->reason);
		buf_adds(&ux->b, "\"><button type=\"submit\">");
		html_text(&ux->b, w->send);
		buf_adds(&ux->b, "</button></form><p class=\"note\">");
		html_text(&ux->b, w->request_help);
		buf_adds(&ux->b, "</p></details>\n");
	}
	buf_adds(&ux->b, "<details><summary>");
	html_text(&ux->b, w->waive);
	buf_adds(&ux->b, "</summary>");
	unit_page_form(ux, "waive", occ, v);
	buf_adds(&ux->b, "<input type=\"text\" name=\"reason\" maxlength=\"500\" "
	    "required placeholder=\"");
	html_text(&ux->b, w->reason);
	buf_adds(&ux->b, "\"><button type=\"submit\">");
	html_text(&ux->b, w->send);
	buf_adds(&ux->b, "</button></form><p class=\"note\">");
	html_text(&ux->b, w->waive_help);
	buf_adds(&ux->b, "</p></details>\n");
}

/* The pending request of an occurrence, if any. */
struct unit_pending {
	int	found;
	date_t	due;
};

static int
unit_page_pending_one(const struct store_request *rq, void *arg)
{
	struct unit_pending	*up = arg;

	up->found = 1;
	up->due = rq->due;
	return (0);
}

/* Appends one open occurrence with its forms. */
static int
unit_page_item(const struct store_occurrence *o, void *arg)
{
	struct unit_ctx			*ux = arg;
	struct store_request_filter	 f;
	struct unit_pending		 up;
	int				 late = o->effective < ux->today;

	memset(&f, 0, sizeof f);
	memset(&up, 0, sizeof up);
	f.occurrence_id = o->id;
	f.state = "pending";
	store_requests(ux->c->store, &f, unit_page_pending_one, &up, NULL);
	buf_printf(&ux->b, "<div class=\"item%s\" id=\"o%lld\"><h3>",
	    late ? " overdue" : "", (long long)o->id);
	html_text(&ux->b, o->content != NULL && *o->content != '\0' ?
	    o->content : o->title);
	buf_adds(&ux->b, "</h3><span class=\"muted\">");
	html_text(&ux->b, o->plan_code);
	buf_adds(&ux->b, " ");
	html_text(&ux->b, o->ref);
	buf_adds(&ux->b, "</span><br>");
	html_text(&ux->b, ux->w->due);
	buf_adds(&ux->b, ": <b>");
	html_day(&ux->b, o->effective, ux->w->lang);
	buf_adds(&ux->b, "</b> ");
	console_status_tag(&ux->b, o->status, o->effective, ux->today,
	    o->extended, ux->w->lang);
	if (up.found) {
		buf_adds(&ux->b, " <span class=\"tag pending\">");
		html_text(&ux->b, ux->w->asked);
		buf_adds(&ux->b, " ");
		html_date(&ux->b, up.due);
		buf_adds(&ux->b, ": ");
		html_text(&ux->b, ux->w->waiting);
		buf_adds(&ux->b, "</span>");
	}
	unit_page_forms(ux, o->id, up.found);
	buf_adds(&ux->b, "</div>\n");
	return (0);
}

/* Appends the open work: overdue, then coming. */
static void
unit_page_open(struct unit_ctx *ux)
{
	struct store_agenda_filter	f;
	size_t				before;
	int				pass;
	char				*cause = NULL;

	for (pass = 0; pass < 2; pass++) {
		buf_adds(&ux->b, "<h2>");
		html_text(&ux->b, pass == 0 ? ux->w->overdue : ux->w->coming);
		buf_adds(&ux->b, "</h2>\n");
		memset(&f, 0, sizeof f);
		f.unit = ux->code;
		f.open_only = 1;
		f.from = pass == 0 ? DATE_NONE : ux->today;
		f.to = pass == 0 ? ux->today - 1 : ux->today +
		    UNIT_PAGE_AHEAD;
		before = ux->b.len;
		if (store_agenda(ux->c->store, &f, unit_page_item, ux,
		    &cause) < 0)
			unit_page_read_failed(ux, cause);
		if (ux->b.len == before) {
			buf_adds(&ux->b, "<p class=\"muted\">");
			html_text(&ux->b, ux->w->nothing);
			buf_adds(&ux->b, "</p>\n");
		}
	}
}

/* Appends one request of the unit and its answer. */
static int
unit_page_request(const struct store_request *rq, void *arg)
{
	struct unit_ctx	*ux = arg;

	buf_adds(&ux->b, "<li>");
	html_text(&ux->b, rq->plan_code);
	buf_adds(&ux->b, " ");
	html_text(&ux->b, rq->ref);
	buf_adds(&ux->b, ": ");
	html_text(&ux->b, ux->w->asked);
	buf_adds(&ux->b, " ");
	html_date(&ux->b, rq->due);
	buf_adds(&ux->b, " – ");
	if (strcmp(rq->state, "pending") == 0)
		buf_adds(&ux->b, "<span class=\"tag pending\">");
	else if (strcmp(rq->state, "approved") == 0)
		buf_adds(&ux->b, "<span class=\"tag done\">");
	else
		buf_adds(&ux->b, "<span class=\"tag overdue\">");
	html_text(&ux->b, strcmp(rq->state, "pending") == 0 ? ux->w->waiting :
	    strcmp(rq->state, "approved") == 0 ? ux->w->approved :
	    ux->w->declined);
	buf_adds(&ux->b, "</span>");
	if (rq->answer != NULL) {
		buf_adds(&ux->b, " ");
		html_text(&ux->b, rq->answer);
	}
	buf_adds(&ux->b, "</li>\n");
	return (0);
}

/* Lists a finished occurrence of the last days. */
static int
unit_page_finished(const struct store_occurrence *o, void *arg)
{
	struct unit_ctx	*ux = arg;

	if (strcmp(o->status, "open") == 0)
		return (0);
	buf_adds(&ux->b, "<li>");
	html_text(&ux->b, o->plan_code);
	buf_adds(&ux->b, " ");
	html_text(&ux->b, o->ref);
	buf_adds(&ux->b, " ");
	console_status_tag(&ux->b, o->status, o->effective, ux->today,
	    o->extended, ux->w->lang);
	if (o->done_on != DATE_NONE) {
		buf_adds(&ux->b, " ");
		html_text(&ux->b, ux->w->done_on);
		buf_adds(&ux->b, " ");
		html_date(&ux->b, o->done_on);
	}
	buf_adds(&ux->b, "</li>\n");
	return (0);
}

/* Appends the requests and the work finished lately. */
static void
unit_page_history(struct unit_ctx *ux)
{
	struct store_request_filter	 rf;
	struct store_agenda_filter	 f;
	size_t				 before;
	char				*cause = NULL;

	memset(&rf, 0, sizeof rf);
	rf.unit = ux->code;
	rf.limit = 20;
	buf_adds(&ux->b, "<h2>");
	html_text(&ux->b, ux->w->requests);
	buf_adds(&ux->b, "</h2>\n<ul>\n");
	before = ux->b.len;
	store_requests(ux->c->store, &rf, unit_page_request, ux, NULL);
	if (ux->b.len == before) {
		buf_adds(&ux->b, "<li class=\"muted\">");
		html_text(&ux->b, ux->w->nothing);
		buf_adds(&ux->b, "</li>\n");
	}
	buf_adds(&ux->b, "</ul>\n<h2>");
	html_text(&ux->b, ux->w->recent);
	buf_adds(&ux->b, "</h2>\n<ul>\n");
	memset(&f, 0, sizeof f);
	f.unit = ux->code;
	f.from = ux->today - UNIT_PAGE_RECENT;
	f.to = ux->today + UNIT_PAGE_AHEAD;
	before = ux->b.len;
	if (store_agenda(ux->c->store, &f, unit_page_finished, ux, &cause) < 0)
		unit_page_read_failed(ux, cause);
	if (ux->b.len == before) {
		buf_adds(&ux->b, "<li class=\"muted\">");
		html_text(&ux->b, ux->w->nothing);
		buf_adds(&ux->b, "</li>\n");
	}
	buf_adds(&ux->b, "</ul>\n");
}

/* Appends the feed's addresses (https, webcal) and a QR code. */
static void
unit_page_feed(struct unit_ctx *ux)
{
	char	*token, *path, *url, *webcal, *cause = NULL;

	buf_adds(&ux->b, "<h2>");
	html_text(&ux->b, ux->w->feed);
	buf_adds(&ux->b, "</h2>\n");
	if (store_feed_token(ux->c->store, ux->code, &token, &cause) != 0) {
		unit_page_read_failed(ux, cause);
		return;
	}
	if (token == NULL) {
		buf_adds(&ux->b, "<p class=\"muted\">");
		html_text(&ux->b, ux->w->feed_none);
		buf_adds(&ux->b, "</p>\n");
		return;
	}
	xasprintf(&path, "/feeds/%s/%s.ics", token, ux->code);
	url = console_auth_url(ux->c->base_url, path);
	xasprintf(&webcal, "webcal%s", strchr(url, ':'));
	buf_adds(&ux->b, "<div class=\"qr card\"><div>");
	qr_svg(&ux->b, url, ux->w->qr_label);
	buf_adds(&ux->b, "</div><div><p>");
	html_text(&ux->b, ux->w->feed_help);
	buf_adds(&ux->b, "</p><p class=\"url\">");
	html_link(&ux->b, url, url);
	buf_adds(&ux->b, "</p><p class=\"url\">");
	html_link(&ux->b, webcal, webcal);
	buf_adds(&ux->b, "</p></div></div>\n");
	free(webcal);
	free(url);
	free(path);
	free(token);
}

/* GET: the page. */
static void
unit_page_show(struct unit_ctx *ux, struct console_response *r)
{
	const char		*ok = console_field(ux->req->query,
	    ux->req->nquery, "ok");
	enum action_kind	 kind;

	buf_init(&ux->b);
	html_begin(&ux->b, ux->w->lang, ux->name, "narrow");
	buf_adds(&ux->b, "<main>\n<h1>");
	html_text(&ux->b, ux->name);
	buf_adds(&ux->b, "</h1>\n");
	if (ok != NULL && action_parse(ok, &kind) == 0) {
		buf_adds(&ux->b, "<p class=\"msg\">");
		html_text(&ux->b, ux->w->ok);
		buf_adds(&ux->b, "</p>\n");
	}
	buf_adds(&ux->b, "<p class=\"muted\">");
	html_text(&ux->b, ux->w->intro);
	buf_adds(&ux->b, "</p>\n");
	unit_page_open(ux);
	unit_page_history(ux);
	unit_page_feed(ux);
	buf_adds(&ux->b, "</main>\n");
	html_end(&ux->b);
	r->status = ux->read_failed ? 500 : 200;
	r->body = buf_steal(&ux->b);
}

/* Reads the form into an action of the unit; 0 or -1. */
static int
unit_page_action(struct unit_ctx *ux, struct action *a)
{
	const struct console_request	*req = ux->req;
	const char			*v;
	char				*end;

	memset(a, 0, sizeof *a);
	v = console_field(req->form, req->nform, "op");
	if (action_parse(v, &a->kind) != 0)
		return (-1);
	if ((v = console_field(req->form, req->nform, "occ")) == NULL ||
	    (a->occurrence = strtoll(v, &end, 10)) <= 0 || *end != '\0')
		return (-1);
	a->unit = ux->code;
	a->reason = console_field(req->form, req->nform, "reason");
	a->date = DATE_NONE;
	if ((v = console_field(req->form, req->nform, "date")) != NULL &&
	    *v != '\0' && date_parse_iso(v, &a->date) != 0)
		a->date = DATE_NONE;
	a->version = -1;
	if ((v = console_field(req->form, req->nform, "v")) != NULL)
		a->version = strtoll(v, &end, 10);
	a->sequence = -1;
	return (0);
}

/* POST: one action of the unit, then back to its page. */
static void
unit_page_post(struct unit_ctx *ux, struct console_response *r)
{
	struct action		 a;
	struct action_result	 res;
	char			 by[64], *cause = NULL, *back;
	int			 rc;

	xasprintf(&back, "/unit/%s", ux->token);
	if (!console_auth_csrf_ok(ux->c->key, "unit", ux->token,
	    console_field(ux->req->form, ux->req->nform, "csrf")) ||
	    (ux->req->origin != NULL && strcasecmp(ux->req->origin,
	    ux->c->origin) != 0) || unit_page_action(ux, &a) != 0) {
		r->auth_failed = 1;
		unit_page_message(r, ux->w, 403, ux->w->refused,
		    ux->w->stale_form, back);
		free(back);
		return;
	}
	snprintf(by, sizeof by, "unit:%s", ux->code);
	a.who.by = by;
	a.who.origin = ux->req->client;
	rc = action_apply(ux->c->store, ux->c->cal, &a, ux->today, &res,
	    &cause);
	if (rc != ACTION_OK) {
		static const int status[] = { 200, 400, 404, 403, 409, 503 };

		if (rc == ACTION_FAILED)
			log_warnx("unit page of %s: %s", ux->code, cause);
		free(cause);
		unit_page_message(r, ux->w, status[-rc], ux->w->refused,
		    action_why_text(res.why, ux->w->lang), back);
		free(back);
		return;
	}
	r->status = 303;
	xasprintf(&r->location, "%s?ok=%s", back, action_name(a.kind));
	free(back);
}

void
unit_page_handle(struct console *c, const struct console_request *req,
    time_t now, struct console_response *r)
{
	struct unit_ctx	ux;

	memset(&ux, 0, sizeof ux);
	ux.c = c;
	ux.req = req;
	ux.token = req->path + 6;
	ux.today = date_of_time(now);
	if (unit_page_verify(&ux, now, r) == 0) {
		console_auth_csrf(c->key, "unit", ux.token, ux.csrf);
		if (req->post)
			unit_page_post(&ux, r);
		else
			unit_page_show(&ux, r);
		if (req->post && r->status == 303)
			console_invalidate(c);
	}
	free(ux.name);
}
