/*
 * The pages behind completion links: GET shows what the link would do and
 * never writes; POST verifies again, checks the occurrence belongs to the
 * token's unit and is still open, and records the action in one BEGIN
 * IMMEDIATE transaction.  The handlers are pure: the HTTP server passes
 * the token, the form fields and the time, and sends back the page and
 * its status.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "calendar.h"
#include "date.h"
#include "html.h"
#include "link.h"
#include "link-page.h"
#include "log.h"
#include "store.h"
#include "utf8.h"
#include "xmalloc.h"

/* The occurrence a page talks about, copied out of the store. */
struct link_occ {
	int	 found;
	int64_t	 id;
	char	*unit_code;
	char	*unit_name;
	char	*plan_ref;
	char	*title;
	char	*status;
	date_t	 effective;
	date_t	 done_on;
	date_t	 snooze_until;
	int	 sequence;
};

/* Starts a page with an escaped title as <title> and <h1>. */
static void
link_page_start(struct buf *b, const char *title)
{
	buf_init(b);
	html_begin(b, "vi", title, "narrow");
	buf_adds(b, "<main>\n<h1>");
	buf_add_html(b, title, 0);
	buf_adds(b, "</h1>\n");
}

/* Finishes a page into *html and sets *status; 0 if status is 200. */
static int
link_page_end(struct buf *b, int code, char **html, int *status)
{
	buf_adds(b, "</main>\n");
	html_end(b);
	*html = buf_steal(b);
	*status = code;
	return (code == 200 ? 0 : -1);
}

/* A page with a title and one paragraph of text. */
static int
link_message(int code, const char *title, const char *text, char **html,
    int *status)
{
	struct buf	b;

	link_page_start(&b, title);
	buf_adds(&b, "<p>");
	buf_add_html(&b, text, 0);
	buf_adds(&b, "</p>\n");
	return (link_page_end(&b, code, html, status));
}

int
link_page_busy(char **html, int *status)
{
	return (link_message(503, "Hệ thống đang bận", "Chưa ghi nhận "
	    "được. Vui lòng thử lại sau ít phút.", html, status));
}

/* The page for a token that failed verification. */
static int
link_refused(int result, char **html, int *status)
{
	if (result == LINK_EXPIRED)
		return (link_message(410, "Liên kết đã hết hạn", "Liên kết "
		    "này đã hết hạn. Vui lòng dùng liên kết trong thư nhắc "
		    "mới nhất hoặc liên hệ Phòng Nội vụ.", html, status));
	return (link_message(403, "Liên kết không hợp lệ", "Liên kết này "
	    "không hợp lệ hoặc đã bị sửa đổi. Vui lòng dùng đúng liên kết "
	    "trong thư nhắc.", html, status));
}

/*
 * The page for a genuine link to an occurrence that changed since it was
 * made: reopened, or given another date.
 */
static int
link_outdated(char **html, int *status)
{
	return (link_message(410, "Liên kết không còn hiệu lực", "Công việc "
	    "này đã thay đổi (được mở lại hoặc đổi hạn) sau khi liên kết "
	    "được gửi. Vui lòng dùng liên kết trong thư nhắc mới nhất. "
	    "Không có thay đổi nào.", html, status));
}

/* Copies the occurrence store_occ_get found. */
static int
link_occ_copy(const struct store_occurrence *o, void *arg)
{
	struct link_occ	*lo = arg;

	lo->found = 1;
	lo->id = o->id;
	lo->unit_code = xstrdup(o->unit_code);
	lo->unit_name = xstrdup(o->unit_name);
	xasprintf(&lo->plan_ref, "%s %s", o->plan_code, o->ref);
	lo->title = xstrdup(o->content != NULL && *o->content != '\0' ?
	    o->content : o->title);
	lo->status = xstrdup(o->status);
	lo->effective = o->effective;
	lo->done_on = o->done_on;
	lo->snooze_until = o->snooze_until;
	lo->sequence = o->sequence;
	return (0);
}

/* Frees a copied occurrence. */
static void
link_occ_clear(struct link_occ *lo)
{
	free(lo->unit_code);
	free(lo->unit_name);
	free(lo->plan_ref);
	free(lo->title);
	free(lo->status);
	memset(lo, 0, sizeof *lo);
}

/* 1 if the token's action was carried out already. */
static int
link_used(const struct link_occ *lo, const struct link_claims *c,
    date_t today)
{
	if (strcmp(lo->status, "open") != 0)
		return (1);
	return (strcmp(c->action, "snooze") == 0 &&
	    lo->snooze_until != DATE_NONE && lo->snooze_until > today);
}

/* Loads the token's occurrence; 0, or -1 with the refusal page. */
static int
link_load(struct store *s, const struct link_claims *c, struct link_occ *lo,
    char **html, int *status)
{
	char	*cause = NULL;

	memset(lo, 0, sizeof *lo);
	if (store_occ_get(s, c->occurrence, link_occ_copy, lo, &cause) != 0) {
		log_warnx("link: occurrence %lld: %s", (long long)c->occurrence,
		    cause != NULL ? cause : "read error");
		free(cause);
		link_occ_clear(lo);
		return (link_page_busy(html, status));
	}
	if (!lo->found)
		return (link_message(404, "Không tìm thấy công việc", "Công "
		    "việc của liên kết này không còn trong kế hoạch.", html,
		    status));
	if (strcmp(lo->unit_code, c->unit) != 0) {
		link_occ_clear(lo);
		return (link_refused(LINK_FORGED, html, status));
	}
	return (0);
}

/* Appends "Thứ Sáu, 28/06/2024" for a date. */
static void
link_add_date(struct buf *b, date_t d)
{
	char	vn[11];

	if (d == DATE_NONE) {
		buf_adds(b, "không có");
		return;
	}
	date_format_vn(d, vn);
	buf_printf(b, "%s, %s", date_weekday_vn(d), vn);
}

/* The table describing an occurrence. */
static void
link_describe(struct buf *b, const struct link_occ *lo)
{
	buf_adds(b, "<table>\n<tr><th>Nhiệm vụ</th><td>");
	buf_add_html(b, lo->title, 0);
	buf_adds(b, "</td></tr>\n<tr><th>Kế hoạch</th><td>");
	buf_add_html(b, lo->plan_ref, 0);
	buf_adds(b, "</td></tr>\n<tr><th>Đơn vị</th><td>");
	buf_add_html(b, lo->unit_name, 0);
	buf_adds(b, "</td></tr>\n<tr><th>Hạn</th><td>");
	link_add_date(b, lo->effective);
	buf_adds(b, "</td></tr>\n</table>\n");
}

/* The page saying the action was recorded before. */
static int
link_already(const struct link_occ *lo, int code, char **html, int *status)
{
	struct buf	b;

	link_page_start(&b, "Đã được ghi nhận trước đó");
	link_describe(&b, lo);
	buf_adds(&b, "<p>Công việc này đã được ghi nhận trước đó (");
	if (strcmp(lo->status, "done") == 0) {
		buf_adds(&b, "đã hoàn thành ngày ");
		link_add_date(&b, lo->done_on);
	} else if (strcmp(lo->status, "waived") == 0)
		buf_adds(&b, "đã được miễn thực hiện");
	else {
		buf_adds(&b, "đã lùi nhắc đến ");
		link_add_date(&b, lo->snooze_until);
	}
	buf_adds(&b, "). Không có thay đổi nào.</p>\n");
	return (link_page_end(&b, code, html, status));
}

/* The title of the confirmation page of an action. */
static const char *
link_action_title(const char *action)
{
	if (strcmp(action, "waive") == 0)
		return ("Đề nghị miễn thực hiện");
	if (strcmp(action, "snooze") == 0)
		return ("Lùi thời hạn nhắc việc");
	return ("Xác nhận đã hoàn thành");
}

/* The POST form of an action. */
static void
link_form(struct buf *b, const char *action)
{
	buf_adds(b, "<form method=\"post\">\n");
	if (strcmp(action, "done") == 0)
		buf_adds(b, "<p><label for=\"note\">Ghi chú (không bắt buộc)"
		    "</label></p>\n<textarea id=\"note\" name=\"note\" "
		    "maxlength=\"2000\"></textarea>\n<p><button type=\"submit\">"
		    "Xác nhận đã hoàn thành</button></p>\n");
	else if (strcmp(action, "waive") == 0)
		buf_adds(b, "<p><label for=\"note\">Lý do miễn thực hiện "
		    "(bắt buộc)</label></p>\n<textarea id=\"note\" name=\"note\" "
		    "maxlength=\"2000\" required></textarea>\n<p><button "
		    "type=\"submit\">Xác nhận miễn thực hiện</button></p>\n");
	else
		buf_printf(b, "<p><label for=\"days\">Lùi nhắc thêm (số ngày "
		    "làm việc)</label> <input id=\"days\" name=\"days\" "
		    "type=\"number\" min=\"1\" max=\"%d\" value=\"%d\" "
		    "required></p>\n<p><button type=\"submit\">Xác nhận lùi "
		    "nhắc</button></p>\n", LINK_PAGE_SNOOZE_MAX,
		    LINK_PAGE_SNOOZE_DEFAULT);
	buf_adds(b, "</form>\n");
}

int
link_page_show(struct store *s, const char *key, const char *token, time_t now,
    char **html, int *status)
{
	struct link_claims	 c;
	struct link_occ		 lo;
	struct buf		 b;
	char			*cause = NULL;
	int			 rc;

	if ((rc = link_verify(key, token, now, &c, &cause)) != LINK_OK) {
		free(cause);
		return (link_refused(rc, html, status));
	}
	if (strcmp(c.action, LINK_UNIT) == 0)
		return (link_refused(LINK_FORGED, html, status));
	if (link_load(s, &c, &lo, html, status) != 0)
		return (-1);
	if (link_used(&lo, &c, date_of_time(now))) {
		rc = link_already(&lo, 410, html, status);
		link_occ_clear(&lo);
		return (rc);
	}
	if (lo.sequence != c.sequence) {
		link_occ_clear(&lo);
		return (link_outdated(html, status));
	}
	link_page_start(&b, link_action_title(c.action));
	link_describe(&b, &lo);
	link_form(&b, c.action);
	link_occ_clear(&lo);
	return (link_page_end(&b, 200, html, status));
}

/* 1 if a note has something besides white space. */
static int
link_note_given(const char *note)
{
	for (; note != NULL && *note != '\0'; note++)
		if (*note != ' ' && *note != '\t' && *note != '\r' &&
		    *note != '\n')
			return (1);
	return (0);
}

/* Checks the form fields of an action; 0, or -1 with the 400 page. */
static int
link_check_form(const struct link_claims *c, const char *note, int *days,
    char **html, int *status)
{
	if (note != NULL && utf8_chars(note) > 2000)
		return (link_message(400, "Ghi chú quá dài", "Ghi chú tối đa "
		    "2000 ký tự. Không có thay đổi nào.", html, status));
	if (strcmp(c->action, "waive") == 0 && !link_note_given(note))
		return (link_message(400, "Cần ghi lý do", "Đề nghị miễn thực "
		    "hiện cần ghi rõ lý do. Không có thay đổi nào.", html,
		    status));
	if (*days == 0)
		*days = LINK_PAGE_SNOOZE_DEFAULT;
	if (strcmp(c->action, "snooze") == 0 && (*days < 1 ||
	    *days > LINK_PAGE_SNOOZE_MAX))
		return (link_message(400, "Số ngày không hợp lệ", "Số ngày "
		    "làm việc phải từ 1 đến 30. Không có thay đổi nào.", html,
		    status));
	return (0);
}

/* Writes the action (action.h); 0 or -1 and *cause. */
static int
link_write(struct store *s, struct calendar *cal,
    const struct link_claims *c, const char *note, int days, date_t today,
    const char *origin, date_t *until, char **cause)
{
	struct action		a;
	struct action_result	r;
	char			by[64];
	int			rc;

	snprintf(by, sizeof by, "link:%s", c->unit);
	memset(&a, 0, sizeof a);
	action_parse(c->action, &a.kind);
	a.occurrence = c->occurrence;
	a.unit = c->unit;
	a.who.by = by;
	a.who.origin = origin;
	a.reason = note;
	a.date = DATE_NONE;
	a.days = days;
	a.version = -1;
	a.sequence = c->sequence;
	rc = action_apply_locked(s, cal, &a, today, &r, cause);
	*until = r.until;
	return (rc == ACTION_OK ? 0 : -1);
}

/* The page confirming what was recorded. */
static int
link_applied(const struct link_claims *c, const struct link_occ *lo,
    date_t today, date_t until, char **html, int *status)
{
	struct buf	b;

	if (strcmp(c->action, "done") == 0)
		link_page_start(&b, "Đã ghi nhận hoàn thành");
	else if (strcmp(c->action, "waive") == 0)
		link_page_start(&b, "Đã ghi nhận miễn thực hiện");
	else
		link_page_start(&b, "Đã lùi thời hạn nhắc việc");
	link_describe(&b, lo);
	buf_adds(&b, "<p>Đã ghi nhận ngày ");
	link_add_date(&b, today);
	if (strcmp(c->action, "snooze") == 0) {
		buf_adds(&b, ". Nhắc việc tạm dừng đến ");
		link_add_date(&b, until);
	}
	buf_adds(&b, ". Cảm ơn đơn vị.</p>\n");
	return (link_page_end(&b, 200, html, status));
}

/* Loads, checks and writes inside the caller's transaction. */
static int
link_apply_locked(struct store *s, struct calendar *cal,
    const struct link_claims *c, const char *note, int days, time_t now,
    const char *origin, char **html, int *status)
{
	struct link_occ	 lo;
	date_t		 today = date_of_time(now), until = DATE_NONE;
	char		*cause = NULL;
	int		 rc;

	if (link_load(s, c, &lo, html, status) != 0)
		return (1);
	if (link_used(&lo, c, today)) {
		link_already(&lo, 200, html, status);
		link_occ_clear(&lo);
		return (1);
	}
	if (lo.sequence != c->sequence) {
		link_occ_clear(&lo);
		link_outdated(html, status);
		return (1);
	}
	if (link_write(s, cal, c, note, days, today, origin, &until,
	    &cause) != 0) {
		log_warnx("link for occurrence %lld: %s",
		    (long long)c->occurrence, cause);
		free(cause);
		link_occ_clear(&lo);
		link_message(500, "Lỗi hệ thống", "Chưa ghi nhận được. Vui "
		    "lòng thử lại sau.", html, status);
		return (-1);
	}
	rc = link_applied(c, &lo, today, until, html, status);
	link_occ_clear(&lo);
	return (rc);
}

int
link_page_apply(struct store *s, struct calendar *cal, const char *key,
    const char *token, const char *note, int snooze_days, time_t now,
    char **html, int *status)
{
	return (link_page_apply_from(s, cal, key, token, note, snooze_days,
	    now, NULL, html, status));
}

int
link_page_apply_from(struct store *s, struct calendar *cal, const char *key,
    const char *token, const char *note, int snooze_days, time_t now,
    const char *origin, char **html, int *status)
{
	struct link_claims	 c;
	char			*cause = NULL;
	int			 rc;

	if ((rc = link_verify(key, token, now, &c, &cause)) != LINK_OK) {
		free(cause);
		return (link_refused(rc, html, status));
	}
	if (strcmp(c.action, LINK_UNIT) == 0)
		return (link_refused(LINK_FORGED, html, status));
	if (link_check_form(&c, note, &snooze_days, html, status) != 0)
		return (-1);
	if (store_begin(s, &cause) != 0) {
		log_warnx("link: %s", cause);
		free(cause);
		return (link_page_busy(html, status));
	}
	rc = link_apply_locked(s, cal, &c, note, snooze_days, now, origin,
	    html, status);
	if (rc != 0) {
		store_rollback(s);
		return (*status == 200 ? 0 : -1);
	}
	if (store_commit(s, &cause) != 0) {
		store_rollback(s);
		log_warnx("link: %s", cause);
		free(cause);
		free(*html);
		return (link_message(500, "Lỗi hệ thống", "Chưa ghi nhận "
		    "được. Vui lòng thử lại sau.", html, status));
	}
	return (0);
}
