/*
 * The pages of the HTTP server that reach the store (see httpd-links.h):
 * completion links and the console with the units' pages (console.h).
 * They run on the worker of httpd-work.c: a POST that waits on a writer's
 * lock (up to the busy timeout, then a 503 page) holds its own connection
 * only, never the feeds.  The store connection, the calendar and the
 * console are used by the worker's thread alone; what a request carries
 * (path, query, form, cookie, client) is copied on the server's thread
 * before the job is queued, and the answer read there after it ran.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "calendar.h"
#include "config.h"
#include "console.h"
#include "date.h"
#include "html.h"
#include "httpd-guard.h"
#include "httpd-links.h"
#include "httpd-work.h"
#include "link.h"
#include "link-page.h"
#include "log.h"
#include "setup.h"
#include "store.h"
#include "xmalloc.h"

#define HTTPD_LINKS_FORM_MAX	8192	/* bytes: 2,000 characters of UTF-8 */
#define HTTPD_LINKS_HTML	"text/html; charset=utf-8"

#define HTTPD_LINKS_CONSOLE_FORM_MAX	16384	/* bytes of a console form */

/*
 * What every page says about itself: no framing, no referrer, no script,
 * styles from the served stylesheet only, forms posted here only.
 */
#define HTTPD_LINKS_CSP		"default-src 'none'; style-src 'self'; "\
	"img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; "\
	"base-uri 'none'"

struct httpd_links {
	char			*key;
	struct store		*store;		/* the worker's own */
	struct calendar		*calendar;
	struct console		*console;	/* NULL: [console] disabled */
	struct httpd_work	*work;
};

/* A request to /done/ or the console: its form, then its page. */
struct httpd_links_req {
	struct httpd_links		*links;
	int				 post;
	int				 console;	/* else /done/ */
	char				 token[LINK_TOKEN_MAX + 1];
	char				 client[64];
	struct MHD_PostProcessor	*pp;
	struct buf			 note;
	char				 days[8];
	size_t				 form_bytes;
	int				 too_large;
	int				 queued;
	volatile int			 state;		/* HTTPD_WORK_* */
	char				*html;
	int				 status;
	struct console_request		 creq;
	struct console_response		 cres;
};

struct httpd_links *
httpd_links_new(const struct config *cf, char **cause)
{
	struct httpd_links	*l;

	*cause = NULL;
	if (*cf->http_link_secret_file == '\0')
		return (NULL);
	l = xcalloc(1, sizeof *l);
	if ((l->key = config_read_secret(cf->http_link_secret_file,
	    cause)) == NULL ||
	    (l->store = store_open(cf->db_path, 0, cf->busy_timeout_ms,
	    cause)) == NULL ||
	    (l->calendar = setup_calendar(cf, cause)) == NULL ||
	    (l->work = httpd_work_new(cause)) == NULL) {
		httpd_links_free(l);
		return (NULL);
	}
	l->console = console_new(cf, l->key, l->store, l->calendar);
	return (l);
}

void
httpd_links_stop(struct httpd_links *l)
{
	if (l != NULL)
		httpd_work_stop(l->work);
}

void
httpd_links_free(struct httpd_links *l)
{
	if (l == NULL)
		return;
	httpd_work_free(l->work);
	console_free(l->console);
	if (l->key != NULL) {
		explicit_bzero(l->key, strlen(l->key));
		free(l->key);
	}
	store_close(l->store);
	calendar_free(l->calendar);
	free(l);
}

void
httpd_links_req_free(struct httpd_links_req *r)
{
	if (r == NULL)
		return;
	if (r->pp != NULL)
		MHD_destroy_post_processor(r->pp);
	buf_free(&r->note);
	free(r->html);
	console_request_clear(&r->creq);
	console_response_clear(&r->cres);
	free(r);
}

/* Collects the fields of a completion form. */
static enum MHD_Result
httpd_links_field(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *filename, const char *type, const char *encoding,
    const char *data, uint64_t off, size_t size)
{
	struct httpd_links_req	*r = cls;

	if (r->note.len + size > HTTPD_LINKS_FORM_MAX) {
		r->too_large = 1;
		return (MHD_NO);
	}
	if (strcmp(key, "note") == 0)
		buf_add(&r->note, data, size);
	else if (strcmp(key, "days") == 0 && off + size < sizeof r->days)
		memcpy(r->days + off, data, size);
	return (MHD_YES);
}

/* The worker's job: the page of a GET, or the action of a POST. */
static void
httpd_links_job(void *arg)
{
	struct httpd_links_req	*r = arg;
	struct httpd_links	*l = r->links;
	long			 days;

	if (r->console) {
		console_handle(l->console, &r->creq, date_now(), &r->cres);
		return;
	}
	if (!r->post) {
		link_page_show(l->store, l->key, r->token, date_now(),
		    &r->html, &r->status);
		return;
	}
	days = strtol(r->days, NULL, 10);
	link_page_apply_from(l->store, l->calendar, l->key, r->token,
	    r->note.data, days > 0 && days <= LINK_PAGE_SNOOZE_MAX ?
	    (int)days : 0, date_now(), r->client, &r->html, &r->status);
	/* The console's figures change with what a link records. */
	if (r->status == 200 && l->console != NULL)
		console_invalidate(l->console);
}

/* A response of a page with the headers every page has. */
static struct MHD_Response *
httpd_links_response(const char *type, const char *body)
{
	struct MHD_Response	*resp;

	resp = MHD_create_response_from_buffer(strlen(body), (void *)body,
	    MHD_RESPMEM_MUST_COPY);
	if (resp == NULL)
		fatalx("http: cannot make a response");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
	    "no-store");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Content-Security-Policy",
	    HTTPD_LINKS_CSP);
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	return (resp);
}

/* Queues a page (or text) with the headers every page has. */
static enum MHD_Result
httpd_links_page(struct MHD_Connection *c, int status, const char *type,
    const char *html)
{
	struct MHD_Response	*resp;
	enum MHD_Result		 rc;

	resp = httpd_links_response(type, html);
	rc = MHD_queue_response(c, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return (rc);
}

/* Queues the console's answer: its page, cookie and redirect. */
static enum MHD_Result
httpd_links_console_page(struct MHD_Connection *c,
    const struct console_response *cr)
{
	struct MHD_Response	*resp;
	enum MHD_Result		 rc;

	resp = httpd_links_response(HTTPD_LINKS_HTML, cr->body != NULL ?
	    cr->body : "");
	if (cr->cookie != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE,
		    cr->cookie);
	if (cr->location != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION,
		    cr->location);
	rc = MHD_queue_response(c, (unsigned)cr->status, resp);
	MHD_destroy_response(resp);
	return (rc);
}

/* The 429 page of a client that guessed at secrets too often. */
static enum MHD_Result
httpd_links_refused(struct MHD_Connection *c)
{
	struct buf		 b;
	enum MHD_Result		 rc;

	buf_init(&b);
	html_begin(&b, "vi", "Quá nhiều yêu cầu", "narrow");
	buf_adds(&b, "<main>\n<h1>Quá nhiều yêu cầu</h1>\n<p>Địa chỉ này đã "
	    "gửi quá nhiều liên kết hoặc biểu mẫu không hợp lệ. Vui lòng thử "
	    "lại sau ít phút.</p>\n<p lang=\"en\">Too many invalid links or "
	    "forms from this address. Please try again in a few minutes.</p>\n"
	    "</main>\n");
	html_end(&b);
	rc = httpd_links_page(c, MHD_HTTP_TOO_MANY_REQUESTS, HTTPD_LINKS_HTML,
	    b.data);
	buf_free(&b);
	return (rc);
}

/* The 503 page of a request the worker cannot take or did not run. */
static enum MHD_Result
httpd_links_busy(struct MHD_Connection *c)
{
	enum MHD_Result	 rc;
	char		*html;
	int		 status;

	link_page_busy(&html, &status);
	rc = httpd_links_page(c, status, HTTPD_LINKS_HTML, html);
	free(html);
	return (rc);
}

/* Reads the body of a POST into its form; 0 when it is all in. */
static int
httpd_links_upload(struct httpd_links_req *r, const char *upload,
    size_t *upload_size)
{
	if (*upload_size == 0)
		return (0);
	if (r->pp == NULL || MHD_post_process(r->pp, upload,
	    *upload_size) != MHD_YES)
		r->too_large = 1;
	*upload_size = 0;
	return (1);
}

/*
 * A new request: NULL if the client is refused (too many bad tokens),
 * else its state with the client's address.
 */
static struct httpd_links_req *
httpd_links_req_new(struct httpd_links *l, struct httpd_guard *g,
    struct MHD_Connection *c, int post)
{
	struct httpd_links_req	*r;

	if (httpd_guard_refused(g, c))
		return (NULL);
	r = xcalloc(1, sizeof *r);
	r->links = l;
	r->post = post;
	buf_init(&r->note);
	httpd_guard_client(g, c, r->client, sizeof r->client);
	return (r);
}

/* Takes a POST's body as it comes, then queues the request for the worker. */
static enum MHD_Result
httpd_links_take(struct httpd_links *l, struct MHD_Connection *c,
    struct httpd_links_req *r, const char *upload, size_t *upload_size)
{
	if (r->post && httpd_links_upload(r, upload, upload_size))
		return (MHD_YES);
	if (r->post && (r->pp == NULL || r->too_large))
		return (httpd_links_page(c, MHD_HTTP_BAD_REQUEST,
		    "text/plain; charset=utf-8", "bad form\n"));
	if (httpd_work_queue(l->work, c, httpd_links_job, r, &r->state) != 0)
		return (httpd_links_busy(c));
	r->queued = 1;
	return (MHD_YES);
}

enum MHD_Result
httpd_links_request(struct httpd_links *l, struct httpd_guard *g,
    struct MHD_Connection *c, int post, const char *token,
    const char *upload, size_t *upload_size, struct httpd_links_req **reqp)
{
	struct httpd_links_req	*r = *reqp;

	if (r == NULL) {
		if ((r = *reqp = httpd_links_req_new(l, g, c, post)) == NULL)
			return (httpd_links_refused(c));
		snprintf(r->token, sizeof r->token, "%s", token);
		if (post)
			r->pp = MHD_create_post_processor(c, 16384,
			    httpd_links_field, r);
		if (post)
			return (MHD_YES);
	}
	if (r->queued) {
		if (r->state != HTTPD_WORK_DONE)
			return (httpd_links_busy(c));
		if (r->status == MHD_HTTP_FORBIDDEN)
			httpd_guard_failed(g, c);
		return (httpd_links_page(c, r->status, HTTPD_LINKS_HTML,
		    r->html));
	}
	return (httpd_links_take(l, c, r, upload, upload_size));
}

/*
 * Collects a field of a console form; a value may come in pieces (off
 * above 0), which are appended to the field they continue.
 */
static enum MHD_Result
httpd_links_console_field(void *cls, enum MHD_ValueKind kind,
    const char *key, const char *filename, const char *type,
    const char *encoding, const char *data, uint64_t off, size_t size)
{
	struct httpd_links_req	*r = cls;
	struct console_request	*cr = &r->creq;
	struct console_field	*f;
	size_t			 len;

	r->form_bytes += size + strlen(key);
	if (r->form_bytes > HTTPD_LINKS_CONSOLE_FORM_MAX) {
		r->too_large = 1;
		return (MHD_NO);
	}
	if (off == 0) {
		if (console_field_add(cr->form, &cr->nform, key, data,
		    size) != 0) {
			r->too_large = 1;
			return (MHD_NO);
		}
		return (MHD_YES);
	}
	if (cr->nform == 0 ||
	    strcmp((f = &cr->form[cr->nform - 1])->name, key) != 0) {
		r->too_large = 1;
		return (MHD_NO);
	}
	len = strlen(f->value);
	f->value = xrealloc(f->value, len + size + 1);
	memcpy(f->value + len, data, size);
	f->value[len + size] = '\0';
	return (MHD_YES);
}

/* Copies a query argument of a console request. */
static enum MHD_Result
httpd_links_console_arg(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct console_request	*cr = cls;

	if (value == NULL)
		value = "";
	console_field_add(cr->query, &cr->nquery, key, value, strlen(value));
	return (MHD_YES);
}

/* Copies what a console request carries, on the server's thread. */
static void
httpd_links_console_copy(struct httpd_links *l, struct MHD_Connection *c,
    const char *url, struct httpd_links_req *r)
{
	struct console_request	*cr = &r->creq;
	const char		*v;

	cr->post = r->post;
	cr->path = xstrdup(url);
	memcpy(cr->client, r->client, sizeof cr->client);
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND,
	    httpd_links_console_arg, cr);
	if ((v = MHD_lookup_connection_value(c, MHD_COOKIE_KIND,
	    console_cookie_name(l->console))) != NULL)
		cr->cookie = xstrdup(v);
	if ((v = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    "Origin")) != NULL)
		cr->origin = xstrdup(v);
}

/* Queues the stylesheet: public, cached for a day. */
static enum MHD_Result
httpd_links_css(struct MHD_Connection *c)
{
	struct MHD_Response	*resp;
	enum MHD_Result		 rc;

	resp = MHD_create_response_from_buffer(strlen(html_css),
	    (void *)html_css, MHD_RESPMEM_PERSISTENT);
	if (resp == NULL)
		fatalx("http: cannot make a response");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "text/css; charset=utf-8");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
	    "public, max-age=86400");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	rc = MHD_queue_response(c, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return (rc);
}

enum MHD_Result
httpd_links_console(struct httpd_links *l, struct httpd_guard *g,
    struct MHD_Connection *c, int post, const char *url,
    const char *upload, size_t *upload_size, struct httpd_links_req **reqp)
{
	struct httpd_links_req	*r = *reqp;

	if (r == NULL && !post && strcmp(url, HTML_CSS_PATH) == 0)
		return (httpd_links_css(c));
	if (l->console == NULL)
		return (httpd_links_page(c, MHD_HTTP_NOT_FOUND,
		    "text/plain; charset=utf-8", "not found\n"));
	if (r == NULL) {
		if ((r = *reqp = httpd_links_req_new(l, g, c, post)) == NULL)
			return (httpd_links_refused(c));
		r->console = 1;
		httpd_links_console_copy(l, c, url, r);
		if (post) {
			r->pp = MHD_create_post_processor(c, 16384,
			    httpd_links_console_field, r);
			return (MHD_YES);
		}
	}
	if (r->queued) {
		if (r->state != HTTPD_WORK_DONE)
			return (httpd_links_busy(c));
		if (r->cres.auth_failed)
			httpd_guard_failed(g, c);
		return (httpd_links_console_page(c, &r->cres));
	}
	return (httpd_links_take(l, c, r, upload, upload_size));
}
