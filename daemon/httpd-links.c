/*
 * Completion links on the HTTP server (see httpd-links.h).  The pages
 * read and write the store, so they run on the worker of httpd-work.c:
 * a POST that waits on a writer's lock (up to the busy timeout, then a
 * 503 page) holds its own connection only, never the feeds.  The store
 * connection and the calendar are used by the worker's thread alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "calendar.h"
#include "config.h"
#include "date.h"
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

/* What every page says about itself: no framing, no referrer, no script. */
#define HTTPD_LINKS_CSP		"default-src 'none'; style-src "	\
	"'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; "	\
	"base-uri 'none'"

struct httpd_links {
	char			*key;
	struct store		*store;		/* the worker's own */
	struct calendar		*calendar;
	struct httpd_work	*work;
};

/* A request to /done/: its form while it arrives, then its page. */
struct httpd_links_req {
	struct httpd_links		*links;
	int				 post;
	char				 token[LINK_TOKEN_MAX + 1];
	struct MHD_PostProcessor	*pp;
	struct buf			 note;
	char				 days[8];
	int				 too_large;
	int				 queued;
	volatile int			 state;		/* HTTPD_WORK_* */
	char				*html;
	int				 status;
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

	if (!r->post) {
		link_page_show(l->store, l->key, r->token, date_now(),
		    &r->html, &r->status);
		return;
	}
	days = strtol(r->days, NULL, 10);
	link_page_apply(l->store, l->calendar, l->key, r->token, r->note.data,
	    days > 0 && days <= LINK_PAGE_SNOOZE_MAX ? (int)days : 0,
	    date_now(), &r->html, &r->status);
}

/* Queues a page (or text) with the headers every page has. */
static enum MHD_Result
httpd_links_page(struct MHD_Connection *c, int status, const char *type,
    const char *html)
{
	struct MHD_Response	*resp;
	enum MHD_Result		 rc;

	resp = MHD_create_response_from_buffer(strlen(html), (void *)html,
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
	rc = MHD_queue_response(c, (unsigned)status, resp);
	MHD_destroy_response(resp);
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

enum MHD_Result
httpd_links_request(struct httpd_links *l, struct MHD_Connection *c,
    int post, const char *token, const char *upload, size_t *upload_size,
    struct httpd_links_req **reqp)
{
	struct httpd_links_req	*r = *reqp;

	if (r == NULL) {
		r = *reqp = xcalloc(1, sizeof *r);
		r->links = l;
		r->post = post;
		snprintf(r->token, sizeof r->token, "%s", token);
		buf_init(&r->note);
		if (post)
			r->pp = MHD_create_post_processor(c, 16384,
			    httpd_links_field, r);
		if (post)
			return (MHD_YES);
	}
	if (r->queued) {
		if (r->state != HTTPD_WORK_DONE)
			return (httpd_links_busy(c));
		return (httpd_links_page(c, r->status, HTTPD_LINKS_HTML,
		    r->html));
	}
	if (post && httpd_links_upload(r, upload, upload_size))
		return (MHD_YES);
	if (post && (r->pp == NULL || r->too_large))
		return (httpd_links_page(c, MHD_HTTP_BAD_REQUEST,
		    "text/plain; charset=utf-8", "bad form\n"));
	if (httpd_work_queue(l->work, c, httpd_links_job, r, &r->state) != 0)
		return (httpd_links_busy(c));
	r->queued = 1;
	return (MHD_YES);
}
