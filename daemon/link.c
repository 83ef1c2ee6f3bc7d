/*
 * Signed completion links and the two request handlers behind them: GET
 * shows what the link would do and never writes; POST verifies again,
 * checks the occurrence belongs to the token's unit and is still open, and
 * records the action in one BEGIN IMMEDIATE transaction.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "calendar.h"
#include "date.h"
#include "link.h"
#include "log.h"
#include "store.h"
#include "units.h"
#include "utf8.h"
#include "xmalloc.h"

#define LINK_MAC_LEN	32
#define LINK_PAYLOAD_MAX	128

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
};

int
link_valid_action(const char *action)
{
	return (action != NULL && (strcmp(action, "done") == 0 ||
	    strcmp(action, "waive") == 0 || strcmp(action, "snooze") == 0));
}

/* base64url without padding of n bytes; caller frees. */
static char *
link_b64_encode(const unsigned char *in, size_t n)
{
	char	*out, *p;

	out = xmalloc(4 * ((n + 2) / 3) + 1);
	EVP_EncodeBlock((unsigned char *)out, in, (int)n);
	for (p = out; *p != '\0'; p++) {
		if (*p == '+')
			*p = '-';
		else if (*p == '/')
			*p = '_';
		else if (*p == '=') {
			*p = '\0';
			break;
		}
	}
	return (out);
}

/* Decodes n base64url characters into out (3 * ceil(n / 4) bytes). */
static int
link_b64_decode(const char *in, size_t n, unsigned char *out)
{
	char	*tmp;
	size_t	 i, pad;
	int	 len;

	if (n == 0 || n % 4 == 1)
		return (-1);
	pad = (4 - n % 4) % 4;
	tmp = xmalloc(n + pad + 1);
	for (i = 0; i < n; i++) {
		if (in[i] == '-')
			tmp[i] = '+';
		else if (in[i] == '_')
			tmp[i] = '/';
		else if ((in[i] >= 'A' && in[i] <= 'Z') || (in[i] >= 'a' &&
		    in[i] <= 'z') || (in[i] >= '0' && in[i] <= '9'))
			tmp[i] = in[i];
		else {
			free(tmp);
			return (-1);
		}
	}
	memset(tmp + n, '=', pad);
	tmp[n + pad] = '\0';
	len = EVP_DecodeBlock(out, (unsigned char *)tmp, (int)(n + pad));
	free(tmp);
	return (len < 0 ? -1 : len - (int)pad);
}

/* HMAC-SHA256 of a payload under key into mac. */
static void
link_sign(const char *key, const unsigned char *payload, size_t n,
    unsigned char mac[LINK_MAC_LEN])
{
	unsigned int	len = LINK_MAC_LEN;

	HMAC(EVP_sha256(), key, (int)strlen(key), payload, n, mac, &len);
}

char *
link_make(const char *key, int64_t occurrence, const char *unit,
    const char *action, time_t expires)
{
	unsigned char	 mac[LINK_MAC_LEN];
	char		 payload[LINK_PAYLOAD_MAX], *p64, *m64, *token;
	int		 n;

	if (key == NULL || *key == '\0' || occurrence <= 0 ||
	    !units_valid_code(unit) || !link_valid_action(action))
		return (NULL);
	n = snprintf(payload, sizeof payload, "1|%" PRId64 "|%s|%s|%lld",
	    occurrence, unit, action, (long long)expires);
	if (n < 0 || (size_t)n >= sizeof payload)
		return (NULL);
	link_sign(key, (unsigned char *)payload, (size_t)n, mac);
	p64 = link_b64_encode((unsigned char *)payload, (size_t)n);
	m64 = link_b64_encode(mac, sizeof mac);
	xasprintf(&token, "%s.%s", p64, m64);
	free(p64);
	free(m64);
	return (token);
}

/* Parses a decimal number filling a whole field; 0 or -1. */
static int
link_parse_number(const char *s, long long min, long long *out)
{
	char		*end;
	long long	 v;

	if (*s < '0' || *s > '9')
		return (-1);
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end != '\0' || errno != 0 || v < min)
		return (-1);
	*out = v;
	return (0);
}

/* Splits a verified payload into claims; 0 or -1. */
static int
link_parse_payload(char *payload, struct link_claims *c)
{
	char		*field[5], *p = payload;
	long long	 occ, expires;
	int		 n;

	for (n = 0; n < 5; n++) {
		field[n] = p;
		if ((p = strchr(p, '|')) != NULL)
			*p++ = '\0';
		else if (n != 4)
			return (-1);
	}
	if (p != NULL || strcmp(field[0], "1") != 0)
		return (-1);
	if (link_parse_number(field[1], 1, &occ) != 0 ||
	    link_parse_number(field[4], 0, &expires) != 0 ||
	    !units_valid_code(field[2]) || !link_valid_action(field[3]))
		return (-1);
	memset(c, 0, sizeof *c);
	c->occurrence = occ;
	snprintf(c->unit, sizeof c->unit, "%s", field[2]);
	snprintf(c->action, sizeof c->action, "%s", field[3]);
	c->expires = (time_t)expires;
	return (0);
}

/* Checks a token's form and signature; LINK_* and claims. */
static int
link_check_token(const char *key, const char *token, struct link_claims *c,
    char **cause)
{
	unsigned char	 payload[LINK_PAYLOAD_MAX + 4], mac[LINK_MAC_LEN + 4];
	unsigned char	 want[LINK_MAC_LEN];
	const char	*dot;
	size_t		 plen, mlen;
	int		 n;

	if ((dot = strchr(token, '.')) == NULL || strchr(dot + 1, '.') != NULL) {
		*cause = xstrdup("malformed link");
		return (LINK_MALFORMED);
	}
	plen = (size_t)(dot - token);
	mlen = strlen(dot + 1);
	if (plen > 4 * LINK_PAYLOAD_MAX / 3 || mlen != 43 ||
	    (n = link_b64_decode(token, plen, payload)) <= 0 ||
	    link_b64_decode(dot + 1, mlen, mac) != LINK_MAC_LEN) {
		*cause = xstrdup("malformed link");
		return (LINK_MALFORMED);
	}
	link_sign(key, payload, (size_t)n, want);
	if (CRYPTO_memcmp(want, mac, LINK_MAC_LEN) != 0) {
		*cause = xstrdup("link signature does not match");
		return (LINK_FORGED);
	}
	payload[n] = '\0';
	if (memchr(payload, '\0', (size_t)n) != NULL ||
	    link_parse_payload((char *)payload, c) != 0) {
		*cause = xstrdup("malformed link payload");
		return (LINK_MALFORMED);
	}
	return (LINK_OK);
}

int
link_verify(const char *key, const char *token, time_t now,
    struct link_claims *c, char **cause)
{
	int	rc;

	memset(c, 0, sizeof *c);
	if (key == NULL || *key == '\0') {
		*cause = xstrdup("completion links are not configured");
		return (LINK_MALFORMED);
	}
	if (token == NULL || strlen(token) > 512) {
		*cause = xstrdup("malformed link");
		return (LINK_MALFORMED);
	}
	if ((rc = link_check_token(key, token, c, cause)) != LINK_OK)
		return (rc);
	if (now > c->expires) {
		*cause = xstrdup("link expired");
		return (LINK_EXPIRED);
	}
	return (LINK_OK);
}

char *
link_url(const char *base_url, const char *token)
{
	size_t	 n = strlen(base_url);
	char	*url;

	while (n > 0 && base_url[n - 1] == '/')
		n--;
	xasprintf(&url, "%.*s/done/%s", (int)n, base_url, token);
	return (url);
}

/* Starts a page with an escaped title as <title> and <h1>. */
static void
link_page_start(struct buf *b, const char *title)
{
	buf_init(b);
	buf_adds(b, "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\">\n"
	    "<meta name=\"robots\" content=\"noindex\">\n<title>");
	buf_add_html(b, title, 0);
	buf_adds(b, "</title>\n<style>body{font-family:sans-serif;max-width:"
	    "40em;margin:2em auto;padding:0 1em}th{text-align:left;"
	    "padding-right:1em;vertical-align:top}textarea{width:100%;"
	    "min-height:5em}button{margin-top:1em;padding:.5em 1em}</style>\n"
	    "</head>\n<body>\n<h1>");
	buf_add_html(b, title, 0);
	buf_adds(b, "</h1>\n");
}

/* Finishes a page into *html and sets *status; 0 if status is 200. */
static int
link_page_end(struct buf *b, int code, char **html, int *status)
{
	buf_adds(b, "</body>\n</html>\n");
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
	memset(lo, 0, sizeof *lo);
	store_occ_get(s, c->occurrence, link_occ_copy, lo);
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
		    "nhắc</button></p>\n", LINK_SNOOZE_MAX,
		    LINK_SNOOZE_DEFAULT);
	buf_adds(b, "</form>\n");
}

int
link_page(struct store *s, const char *key, const char *token, time_t now,
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
	if (link_load(s, &c, &lo, html, status) != 0)
		return (-1);
	if (link_used(&lo, &c, date_of_time(now))) {
		rc = link_already(&lo, 410, html, status);
		link_occ_clear(&lo);
		return (rc);
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
		*days = LINK_SNOOZE_DEFAULT;
	if (strcmp(c->action, "snooze") == 0 && (*days < 1 ||
	    *days > LINK_SNOOZE_MAX))
		return (link_message(400, "Số ngày không hợp lệ", "Số ngày "
		    "làm việc phải từ 1 đến 30. Không có thay đổi nào.", html,
		    status));
	return (0);
}

/* Writes the action; 0 or -1 and *cause. */
static int
link_write(struct store *s, struct calendar *cal,
    const struct link_claims *c, const char *note, int days, date_t today,
    date_t *until, char **cause)
{
	char	*by;
	int	 rc;

	xasprintf(&by, "link:%s", c->unit);
	if (strcmp(c->action, "done") == 0)
		rc = store_occ_set_status(s, c->occurrence, "done", today,
		    link_note_given(note) ? note : NULL, by, cause);
	else if (strcmp(c->action, "waive") == 0)
		rc = store_occ_set_status(s, c->occurrence, "waived",
		    DATE_NONE, note, by, cause);
	else {
		*until = calendar_add_working_days(cal, today, days);
		rc = store_occ_snooze(s, c->occurrence, *until, by, cause);
	}
	free(by);
	return (rc);
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
    char **html, int *status)
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
	if (link_write(s, cal, c, note, days, today, &until, &cause) != 0) {
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
link_apply(struct store *s, struct calendar *cal, const char *key,
    const char *token, const char *note, int snooze_days, time_t now,
    char **html, int *status)
{
	struct link_claims	 c;
	char			*cause = NULL;
	int			 rc;

	if ((rc = link_verify(key, token, now, &c, &cause)) != LINK_OK) {
		free(cause);
		return (link_refused(rc, html, status));
	}
	if (link_check_form(&c, note, &snooze_days, html, status) != 0)
		return (-1);
	if (store_begin(s, &cause) != 0) {
		log_warnx("link: %s", cause);
		free(cause);
		return (link_message(503, "Hệ thống đang bận", "Chưa ghi nhận "
		    "được. Vui lòng thử lại sau ít phút.", html, status));
	}
	rc = link_apply_locked(s, cal, &c, note, snooze_days, now, html,
	    status);
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
