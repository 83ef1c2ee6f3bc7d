/*
 * The built-in HTTP server.  libmicrohttpd runs one polling thread (epoll)
 * beside the main loop: on two cores a pool of two plus the clients'
 * threads preempted each other, and the 304 p99 was three times that of
 * one thread (bench/serve.sh).  The request handler routes: feeds are
 * served from the table of httpd-feeds.c, which the daemon sets; no
 * request opens a file; only completion links (/done/<token>, when a link
 * key is configured) reach the database, through the server's own
 * connection, which a second mutex keeps to one request at a time.
 */
#include <sys/socket.h>

#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <microhttpd.h>

#include "calendar.h"
#include "config.h"
#include "date.h"
#include "httpd.h"
#include "httpd-feeds.h"
#include "link.h"
#include "link-page.h"
#include "log.h"
#include "setup.h"
#include "store.h"
#include "xmalloc.h"

/*
 * A connection's memory: the request's line and headers must fit (some
 * 14 KiB of headers here; calendar clients send under 1 KiB).  It is not
 * larger because libmicrohttpd zeroes all of it after every request: at
 * 32 KiB that memset was a tenth of the server's CPU on 304s.
 */
#define HTTPD_MEMORY_LIMIT	(16 * 1024)
#define HTTPD_PATH_MAX		256
#define HTTPD_NOT_FOUND_BODY	"not found\n"
#define HTTPD_BAD_METHOD_BODY	"method not allowed\n"
#define HTTPD_FEEDS_PREFIX	"/feeds/"
#define HTTPD_DONE_PREFIX	"/done/"
#define HTTPD_FORM_MAX		8192	/* bytes: 2,000 characters of UTF-8 */

struct httpd {
	struct MHD_Daemon	*mhd;
	pthread_mutex_t		 lock;
	pthread_mutex_t		 done_lock;	/* the store, for /done/ */
	struct httpd_feeds	*feeds;
	struct MHD_Response	*not_found;
	struct MHD_Response	*bad_method;
	char			*health;
	int			 port;
	char			*link_key;	/* NULL: no completion links */
	struct store		*store;		/* the HTTP thread's own */
	struct calendar		*calendar;
};

/* A POST to /done/ being received: its form fields. */
struct httpd_post {
	struct MHD_PostProcessor	*pp;
	struct buf			 note;
	char				 days[8];
	int				 too_large;
};

/*
 * A path component, up to stop or the end: [a-z0-9_-] only, 1 to max
 * bytes; its length or 0.  Tested byte by byte without strchr, which
 * was two calls a byte on every request.
 */
static size_t
httpd_component(const char *s, char stop, size_t max)
{
	size_t	n;
	char	c;

	for (n = 0; (c = s[n]) != '\0' && c != stop; n++) {
		if (n == max || !((c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return (0);
	}
	return (n);
}

void
httpd_route(const char *path, const char *kind, struct httpd_route *r)
{
	const char	*p;
	size_t		 n, m;
	int		 todo = kind != NULL && strcmp(kind, "todo") == 0;

	memset(r, 0, sizeof *r);
	r->target = HTTPD_NOT_FOUND;
	if (strcmp(path, "/healthz") == 0) {
		r->target = HTTPD_HEALTH;
		return;
	}
	if (strncmp(path, HTTPD_DONE_PREFIX, strlen(HTTPD_DONE_PREFIX)) == 0) {
		p = path + strlen(HTTPD_DONE_PREFIX);
		n = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789-_.");
		if (n == 0 || n > HTTPD_LINK_MAX || p[n] != '\0' || kind != NULL)
			return;
		memcpy(r->link, p, n);
		r->target = HTTPD_DONE;
		return;
	}
	if (strncmp(path, HTTPD_FEEDS_PREFIX, strlen(HTTPD_FEEDS_PREFIX)) != 0 ||
	    (kind != NULL && !todo))
		return;
	p = path + strlen(HTTPD_FEEDS_PREFIX);
	if ((n = httpd_component(p, '/', HTTPD_TOKEN_MAX)) == 0 || p[n] != '/')
		return;
	memcpy(r->token, p, n);
	p += n + 1;
	if ((m = httpd_component(p, '.', HTTPD_NAME_MAX - 5)) == 0 ||
	    strcmp(p + m, ".ics") != 0)
		return;
	memcpy(r->name, p, m);
	if (todo && (m < 5 || strcmp(r->name + m - 5, "-todo") != 0))
		strcat(r->name, "-todo");
	r->target = HTTPD_FEED;
}

/* A small text response, made from a copy of body; caller destroys. */
static struct MHD_Response *
httpd_text_response(unsigned status, const char *type, const char *body,
    const char *cache)
{
	struct MHD_Response	*r;

	r = MHD_create_response_from_buffer(strlen(body), (void *)body,
	    MHD_RESPMEM_MUST_COPY);
	if (r == NULL)
		fatalx("http: cannot make a response");
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, cache);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	return (r);
}

/* Queues a small text response. */
static enum MHD_Result
httpd_text(struct MHD_Connection *c, unsigned status, const char *type,
    const char *body, const char *cache)
{
	struct MHD_Response	*r;
	enum MHD_Result		 rc;

	r = httpd_text_response(status, type, body, cache);
	rc = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return (rc);
}

/* Queues the 404 every unknown path, name or token gets. */
static enum MHD_Result
httpd_not_found(struct httpd *h, struct MHD_Connection *c)
{
	return (MHD_queue_response(c, MHD_HTTP_NOT_FOUND, h->not_found));
}

/* Queues the 405 of a method other than GET and HEAD. */
static enum MHD_Result
httpd_bad_method(struct httpd *h, struct MHD_Connection *c)
{
	return (MHD_queue_response(c, MHD_HTTP_METHOD_NOT_ALLOWED,
	    h->bad_method));
}

/* Queues the health document. */
static enum MHD_Result
httpd_health(struct httpd *h, struct MHD_Connection *c)
{
	enum MHD_Result	 rc;
	char		*body;

	pthread_mutex_lock(&h->lock);
	body = xstrdup(h->health != NULL ? h->health : "{}");
	pthread_mutex_unlock(&h->lock);
	rc = httpd_text(c, MHD_HTTP_OK, "application/json", body, "no-store");
	free(body);
	return (rc);
}

/* The value of a hexadecimal digit, or -1. */
static int
httpd_hex(char c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/*
 * Decodes %XX in place (libmicrohttpd's unescape callback).  An encoded
 * NUL, '/' or '\\' becomes DEL, which no route accepts: a decoded string
 * is never cut short, nor split into more path components than were sent.
 */
static size_t
httpd_unescape(void *arg, struct MHD_Connection *c, char *s)
{
	char	*start = s, *out = s;
	int	 hi, lo, v;

	for (; *s != '\0'; s++) {
		if (*s == '%' && (hi = httpd_hex(s[1])) != -1 &&
		    (lo = httpd_hex(s[2])) != -1) {
			v = hi * 16 + lo;
			*out++ = (v == 0 || v == '/' || v == '\\') ? 0x7f :
			    (char)v;
			s += 2;
		} else
			*out++ = *s;
	}
	*out = '\0';
	return ((size_t)(out - start));
}

/* Sends a completion page. */
static enum MHD_Result
httpd_page(struct MHD_Connection *c, int status, char *html)
{
	enum MHD_Result	rc;

	rc = httpd_text(c, (unsigned)status, "text/html; charset=utf-8",
	    html != NULL ? html : "", "no-store");
	free(html);
	return (rc);
}

/* Collects the fields of a completion form. */
static enum MHD_Result
httpd_post_field(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *filename, const char *type, const char *encoding,
    const char *data, uint64_t off, size_t size)
{
	struct httpd_post	*post = cls;

	if (post->note.len + size > HTTPD_FORM_MAX) {
		post->too_large = 1;
		return (MHD_NO);
	}
	if (strcmp(key, "note") == 0)
		buf_add(&post->note, data, size);
	else if (strcmp(key, "days") == 0 && off + size < sizeof post->days)
		memcpy(post->days + off, data, size);
	return (MHD_YES);
}

/*
 * The state of a GET or HEAD between the two calls of the access handler.
 * libmicrohttpd closes the connection after a response queued in the
 * first call, made before it knows the whole request was read: every
 * feed fetch, 304s included, then paid for a new TCP connection.  A
 * request without a body is answered in the second call instead, and its
 * connection is kept alive.
 */
static char	httpd_headers_read;

/* 1 if the request announces a body, which a GET or HEAD never reads. */
static int
httpd_has_body(struct MHD_Connection *c)
{
	const char	*v;

	if (MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_TRANSFER_ENCODING) != NULL)
		return (1);
	v = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_LENGTH);
	return (v != NULL && v[strspn(v, "0")] != '\0');
}

/* Frees a POST's state when its connection is done with it. */
static void
httpd_completed(void *cls, struct MHD_Connection *c, void **state,
    enum MHD_RequestTerminationCode code)
{
	struct httpd_post	*post = *state;

	if (post == NULL || *state == &httpd_headers_read) {
		*state = NULL;
		return;
	}
	if (post->pp != NULL)
		MHD_destroy_post_processor(post->pp);
	buf_free(&post->note);
	free(post);
	*state = NULL;
}

/* GET shows a completion page (changes nothing); POST applies it. */
static enum MHD_Result
httpd_done(struct httpd *h, struct MHD_Connection *c, const char *method,
    const char *token, const char *upload, size_t *upload_size, void **state)
{
	struct httpd_post	*post = *state;
	char			*html = NULL;
	int			 status = 500;
	long			 days;

	if (h->link_key == NULL || h->store == NULL)
		return (httpd_not_found(h, c));
	if (strcmp(method, MHD_HTTP_METHOD_POST) != 0) {
		pthread_mutex_lock(&h->done_lock);
		link_page_show(h->store, h->link_key, token, date_now(), &html,
		    &status);
		pthread_mutex_unlock(&h->done_lock);
		return (httpd_page(c, status, html));
	}
	if (post == NULL) {
		post = xcalloc(1, sizeof *post);
		buf_init(&post->note);
		post->pp = MHD_create_post_processor(c, 16384, httpd_post_field,
		    post);
		*state = post;
		return (MHD_YES);
	}
	if (*upload_size != 0) {
		if (post->pp == NULL || MHD_post_process(post->pp, upload,
		    *upload_size) != MHD_YES)
			post->too_large = 1;
		*upload_size = 0;
		return (MHD_YES);
	}
	if (post->pp == NULL || post->too_large)
		return (httpd_text(c, MHD_HTTP_BAD_REQUEST,
		    "text/plain; charset=utf-8", "bad form\n", "no-store"));
	days = strtol(post->days, NULL, 10);
	pthread_mutex_lock(&h->done_lock);
	link_page_apply(h->store, h->calendar, h->link_key, token,
	    post->note.data, days > 0 && days <= LINK_PAGE_SNOOZE_MAX ?
	    (int)days : 0, date_now(), &html, &status);
	pthread_mutex_unlock(&h->done_lock);
	return (httpd_page(c, status, html));
}

/* libmicrohttpd's access handler: routes one request. */
static enum MHD_Result
httpd_request(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **state)
{
	struct httpd		*h = cls;
	struct httpd_route	 route;
	enum MHD_Result		 rc;
	int			 post = strcmp(method, MHD_HTTP_METHOD_POST) == 0;

	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD) != 0 && !post)
		return (httpd_bad_method(h, c));
	if (!post && *state == NULL && !httpd_has_body(c)) {
		*state = &httpd_headers_read;
		return (MHD_YES);
	}
	if (strlen(url) > HTTPD_PATH_MAX + HTTPD_LINK_MAX)
		return (httpd_not_found(h, c));
	httpd_route(url, MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND,
	    "kind"), &route);
	if (route.target == HTTPD_DONE)
		return (httpd_done(h, c, method, route.link, upload_data,
		    upload_data_size, state));
	if (post)
		return (httpd_bad_method(h, c));
	if (strlen(url) > HTTPD_PATH_MAX)
		return (httpd_not_found(h, c));
	if (route.target == HTTPD_HEALTH)
		return (httpd_health(h, c));
	if (route.target == HTTPD_FEED &&
	    httpd_feeds_serve(h->feeds, c, route.name, route.token, &rc))
		return (rc);
	return (httpd_not_found(h, c));
}

/* Sends libmicrohttpd's messages to the log. */
static void
httpd_log(void *arg, const char *fmt, va_list ap)
{
	char	*msg;

	if (vasprintf(&msg, fmt, ap) == -1)
		return;
	msg[strcspn(msg, "\n")] = '\0';
	log_warnx("http: %s", msg);
	free(msg);
}

/* Resolves "host:port" or "[v6]:port" (numeric host); 0 or -1. */
static int
httpd_address(const char *listen, struct sockaddr_storage *ss, char **cause)
{
	struct addrinfo	 hints, *ai;
	char		*host, *port;
	int		 error;

	host = xstrdup(listen);
	if (*host == '[' && (port = strstr(host, "]:")) != NULL) {
		*port = '\0';
		port += 2;
		memmove(host, host + 1, strlen(host));
	} else if ((port = strrchr(host, ':')) != NULL)
		*port++ = '\0';
	if (port == NULL || *host == '\0' || *port == '\0') {
		xasprintf(cause, "http.listen '%s': expected HOST:PORT", listen);
		free(host);
		return (-1);
	}
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	if ((error = getaddrinfo(host, port, &hints, &ai)) != 0) {
		xasprintf(cause, "http.listen '%s': %s", listen,
		    gai_strerror(error));
		free(host);
		return (-1);
	}
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	freeaddrinfo(ai);
	free(host);
	return (0);
}

/* The link key, a store connection and a calendar for /done/. */
static int
httpd_links_open(struct httpd *h, const struct config *cf, char **cause)
{
	if (*cf->http_link_secret_file == '\0')
		return (0);
	if ((h->link_key = config_read_secret(cf->http_link_secret_file,
	    cause)) == NULL ||
	    (h->store = store_open(cf->db_path, 0, cf->busy_timeout_ms,
	    cause)) == NULL ||
	    (h->calendar = setup_calendar(cf, cause)) == NULL)
		return (-1);
	return (0);
}

/* Releases what httpd_links_open took; the key is wiped. */
static void
httpd_links_close(struct httpd *h)
{
	if (h->link_key != NULL) {
		explicit_bzero(h->link_key, strlen(h->link_key));
		free(h->link_key);
		h->link_key = NULL;
	}
	store_close(h->store);
	h->store = NULL;
	calendar_free(h->calendar);
	h->calendar = NULL;
}

struct httpd *
httpd_start(const struct config *cf, char **cause)
{
	struct sockaddr_storage	 ss;
	const union MHD_DaemonInfo *info;
	struct httpd		*h;
	sigset_t		 all, saved;
	unsigned		 flags, per_ip;

	if (httpd_address(cf->http_listen, &ss, cause) != 0)
		return (NULL);
	h = xcalloc(1, sizeof *h);
	if (httpd_links_open(h, cf, cause) != 0) {
		httpd_links_close(h);
		free(h);
		return (NULL);
	}
	pthread_mutex_init(&h->lock, NULL);
	pthread_mutex_init(&h->done_lock, NULL);
	h->feeds = httpd_feeds_new(cf->feeds_refresh_minutes);
	h->not_found = httpd_text_response(MHD_HTTP_NOT_FOUND,
	    "text/plain; charset=utf-8", HTTPD_NOT_FOUND_BODY, "no-store");
	h->bad_method = httpd_text_response(MHD_HTTP_METHOD_NOT_ALLOWED,
	    "text/plain; charset=utf-8", HTTPD_BAD_METHOD_BODY, "no-store");
	flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	per_ip = cf->http_max_connections > 1 ?
	    (unsigned)cf->http_max_connections / 2 : 1;
	/* The server's thread takes no signal: the main loop handles them. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &saved);
	h->mhd = MHD_start_daemon(flags, 0, NULL, NULL, httpd_request, h,
	    MHD_OPTION_EXTERNAL_LOGGER, httpd_log, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)cf->http_max_connections,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cf->http_timeout,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTPD_MEMORY_LIMIT,
	    MHD_OPTION_UNESCAPE_CALLBACK, httpd_unescape, NULL,
	    MHD_OPTION_NOTIFY_COMPLETED, httpd_completed, NULL,
	    MHD_OPTION_END);
	pthread_sigmask(SIG_SETMASK, &saved, NULL);
	if (h->mhd == NULL) {
		xasprintf(cause, "http.listen %s: cannot listen (address in "
		    "use or not local?)", cf->http_listen);
		MHD_destroy_response(h->not_found);
		MHD_destroy_response(h->bad_method);
		pthread_mutex_destroy(&h->lock);
		pthread_mutex_destroy(&h->done_lock);
		httpd_feeds_free(h->feeds);
		httpd_links_close(h);
		free(h);
		return (NULL);
	}
	info = MHD_get_daemon_info(h->mhd, MHD_DAEMON_INFO_BIND_PORT);
	h->port = info != NULL ? info->port : 0;
	return (h);
}

void
httpd_stop(struct httpd *h)
{
	if (h == NULL)
		return;
	MHD_stop_daemon(h->mhd);
	httpd_links_close(h);
	httpd_feeds_free(h->feeds);
	MHD_destroy_response(h->not_found);
	MHD_destroy_response(h->bad_method);
	free(h->health);
	pthread_mutex_destroy(&h->lock);
	pthread_mutex_destroy(&h->done_lock);
	free(h);
}

int
httpd_port(struct httpd *h)
{
	return (h->port);
}

void
httpd_set_health(struct httpd *h, const char *json)
{
	char	*copy = xstrdup(json);

	pthread_mutex_lock(&h->lock);
	free(h->health);
	h->health = copy;
	pthread_mutex_unlock(&h->lock);
}

int
httpd_set_feeds(struct httpd *h, const struct httpd_feed *feeds, size_t n,
    char **cause)
{
	return (httpd_feeds_set(h->feeds, feeds, n, cause));
}
