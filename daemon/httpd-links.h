#ifndef HTTPD_LINKS_H
#define HTTPD_LINKS_H

#include <stddef.h>

#include <microhttpd.h>

/*
 * The server's side of completion links (/done/<token>): the form of a
 * POST, the worker that runs the pages of link-page.c on the server's own
 * store connection, and the page responses with their security headers
 * (no framing, no referrer, nothing loaded from elsewhere).
 */
struct config;
struct httpd_guard;
struct httpd_links;
struct httpd_links_req;

/* NULL with *cause NULL when no link key is configured; else *cause. */
struct httpd_links	*httpd_links_new(const struct config *, char **);
/* Stops the worker (httpd_work_stop): before the server stops. */
void			 httpd_links_stop(struct httpd_links *);
/* Frees what httpd_links_new made; NULL is safe. */
void			 httpd_links_free(struct httpd_links *);
/*
 * One call of the access handler for /done/<token>: GET shows the page,
 * POST reads the form and applies it, each on the worker.  *req is the
 * request's state, made on the first call.
 */
enum MHD_Result		 httpd_links_request(struct httpd_links *,
			     struct httpd_guard *, struct MHD_Connection *, int,
			     const char *, const char *, size_t *,
			     struct httpd_links_req **);
/*
 * The same for the console and the units' pages (console.h): the path,
 * GET or POST.  The stylesheet is served at once; a client that guessed
 * at secrets too often gets 429 (httpd-guard.h).
 */
enum MHD_Result		 httpd_links_console(struct httpd_links *,
			     struct httpd_guard *, struct MHD_Connection *, int,
			     const char *, const char *, size_t *,
			     struct httpd_links_req **);
/* Frees a request's state once the request is over; NULL is safe. */
void			 httpd_links_req_free(struct httpd_links_req *);

#endif
