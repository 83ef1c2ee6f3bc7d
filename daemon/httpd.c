/*
 * The built-in HTTP server.  libmicrohttpd runs one polling thread (epoll)
 * beside the main loop: on two cores a pool of two plus the clients'
 * threads preempted each other, and the 304 p99 was three times that of
 * one thread (bench/serve.sh).  The request handler checks the request
 * (one Host, at most one Content-Length, no NUL in the request line) and
 * routes it: feeds are served from the table of httpd-feeds.c, which the
 * daemon sets, and no request opens a file; completion links
 * (/done/<token>, when a link key is configured) go to httpd-links.c,
 * whose worker alone reaches the database, so that this thread never
 * waits on it.  httpd-guard.c bounds each request in time and each
 * address in connections.
 */
#include <sys/socket.h>

#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <microhttpd.h>

#include <openssl/crypto.h>

#include "config.h"
#include "console.h"
#include "httpd.h"
#include "httpd-feeds.h"
#include "httpd-guard.h"
#include "httpd-links.h"
#include "log.h"
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
#define HTTPD_BAD_REQUEST_BODY	"bad request\n"
#define HTTPD_FEEDS_PREFIX	"/feeds/"
#define HTTPD_DONE_PREFIX	"/done/"
#define HTTPD_HEALTH_PUBLIC	"{\"status\":\"ok\"}"
#define HTTPD_TEXT		"text/plain; charset=utf-8"

struct httpd {
	struct MHD_Daemon	*mhd;
	pthread_mutex_t		 lock;		/* health */
	struct httpd_feeds	*feeds;
	struct httpd_links	*links;		/* NULL: no completion links */
	struct httpd_guard	*guard;
	struct MHD_Response	*not_found;
	struct MHD_Response	*bad_method;
	struct MHD_Response	*bad_request;
	char			*health;
	char			*health_token;	/* NULL: details never shown */
	int			 port;
};

/*
 * One request, made when its request line is read (the URI log callback)
 * and freed when it is over.  libmicrohttpd closes the connection after a
 * response queued in the first call of the access handler, made before
 * it knows the whole request was read: every feed fetch, 304s included,
 * then paid for a new TCP connection.  A request without a body is
 * answered in the second call instead, and its connection kept alive.
 */
struct httpd_req {
	size_t			 uri_len;	/* the raw URI, up to a NUL */
	int			 checked;	/* the first call was made */
	struct httpd_links_req	*link;
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
	if (console_owns(path)) {
		r->target = HTTPD_CONSOLE;
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
	if (status == MHD_HTTP_UNAUTHORIZED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
		    "Bearer");
	if (status == MHD_HTTP_BAD_REQUEST)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
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

/* Queues the 400 of a request that breaks HTTP's rules. */
static enum MHD_Result
httpd_bad_request(struct httpd *h, struct MHD_Connection *c)
{
	return (MHD_queue_response(c, MHD_HTTP_BAD_REQUEST, h->bad_request));
}

/* Queues the 405 of a method other than GET and HEAD. */
static enum MHD_Result
httpd_bad_method(struct httpd *h, struct MHD_Connection *c)
{
	return (MHD_queue_response(c, MHD_HTTP_METHOD_NOT_ALLOWED,
	    h->bad_method));
}

/*
 * 1 if the request carries the health token ("Authorization: Bearer
 * TOKEN"), compared in constant time; -1 if it carries another.
 */
static int
httpd_health_auth(struct httpd *h, struct MHD_Connection *c)
{
	const char	*v;
	size_t		 len;

	v = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_AUTHORIZATION);
	if (v == NULL)
		return (0);
	if (h->health_token == NULL || strncmp(v, "Bearer ", 7) != 0)
		return (-1);
	v += 7;
	len = strlen(h->health_token);
	if (strlen(v) != len || CRYPTO_memcmp(v, h->health_token, len) != 0)
		return (-1);
	return (1);
}

/*
 * Queues the health document: to everyone, only that the server runs; the
 * details (passes, outbox counts) to a request with the health token.
 */
static enum MHD_Result
httpd_health(struct httpd *h, struct MHD_Connection *c)
{
	enum MHD_Result	 rc;
	char		*body;
	int		 auth = httpd_health_auth(h, c);

	if (auth < 0)
		return (httpd_text(c, MHD_HTTP_UNAUTHORIZED, HTTPD_TEXT,
		    "unauthorized\n", "no-store"));
	if (auth == 0)
		return (httpd_text(c, MHD_HTTP_OK, "application/json",
		    HTTPD_HEALTH_PUBLIC, "no-store"));
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

/*
 * The URI log callback, called when the request line is read: makes the
 * request's state and notes how long its URI is up to the first NUL.
 */
static void *
httpd_begin(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct httpd_req	*req;

	req = xcalloc(1, sizeof *req);
	req->uri_len = strlen(uri);
	return (req);
}

/* Frees a request's state when it is over; the guard counts it done. */
static void
httpd_completed(void *cls, struct MHD_Connection *c, void **state,
    enum MHD_RequestTerminationCode code)
{
	struct httpd		*h = cls;
	struct httpd_req	*req = *state;

	httpd_guard_completed(h->guard, c);
	if (req == NULL)
		return;
	httpd_links_req_free(req->link);
	free(req);
	*state = NULL;
}

/* Counts the Host and Content-Length headers of a request. */
static enum MHD_Result
httpd_count_header(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	int	*n = cls;

	if (strcasecmp(key, MHD_HTTP_HEADER_HOST) == 0)
		n[0]++;
	else if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0)
		n[1]++;
	else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0)
		n[2]++;
	return (MHD_YES);
}

/*
 * 1 if a request keeps HTTP's rules where a proxy and this server could
 * read it differently: exactly one Host; at most one Content-Length and
 * not with a Transfer-Encoding; no NUL in the request line.  The URI ends
 * one byte (the NUL libmicrohttpd writes) before the version: a URI that
 * is shorter up to its first NUL held one of its own.
 */
static int
httpd_sane(struct MHD_Connection *c, const struct httpd_req *req,
    const char *url, const char *version)
{
	int	n[3] = { 0, 0, 0 };

	if (version != url + req->uri_len + 1)
		return (0);
	MHD_get_connection_values(c, MHD_HEADER_KIND, httpd_count_header, n);
	return (n[0] == 1 && n[1] <= 1 && (n[1] == 0 || n[2] == 0));
}

/*
 * The first call of the access handler, the headers read: checks the
 * request and its client's share.  MHD_YES to go on, or the response.
 */
static enum MHD_Result
httpd_first(struct httpd *h, struct MHD_Connection *c, struct httpd_req *req,
    const char *url, const char *method, const char *version, int *go)
{
	*go = 0;
	req->checked = 1;
	if (!httpd_sane(c, req, url, version))
		return (httpd_bad_request(h, c));
	if (!httpd_guard_admit(h->guard, c))
		return (httpd_text(c, MHD_HTTP_TOO_MANY_REQUESTS, HTTPD_TEXT,
		    "too many requests\n", "no-store"));
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD) != 0 &&
	    strcmp(method, MHD_HTTP_METHOD_POST) != 0)
		return (httpd_bad_method(h, c));
	if (strcmp(method, MHD_HTTP_METHOD_POST) != 0 && !httpd_has_body(c))
		return (MHD_YES);
	*go = 1;
	return (MHD_YES);
}

/* libmicrohttpd's access handler: checks and routes one request. */
static enum MHD_Result
httpd_request(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **state)
{
	struct httpd		*h = cls;
	struct httpd_req	*req = *state;
	struct httpd_route	 route;
	enum MHD_Result		 rc;
	int			 post = strcmp(method, MHD_HTTP_METHOD_POST) == 0;
	int			 go;

	if (req == NULL)
		return (MHD_NO);
	if (!req->checked) {
		rc = httpd_first(h, c, req, url, method, version, &go);
		if (!go)
			return (rc);
	} else if (*upload_data_size == 0)
		httpd_guard_arrived(h->guard, c);
	if (strlen(url) > HTTPD_PATH_MAX + HTTPD_LINK_MAX)
		return (httpd_not_found(h, c));
	httpd_route(url, MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND,
	    "kind"), &route);
	if ((route.target == HTTPD_DONE || route.target == HTTPD_CONSOLE) &&
	    h->links == NULL)
		return (httpd_not_found(h, c));
	if (route.target == HTTPD_DONE)
		return (httpd_links_request(h->links, h->guard, c, post,
		    route.link, upload_data, upload_data_size, &req->link));
	if (route.target == HTTPD_CONSOLE)
		return (httpd_links_console(h->links, h->guard, c, post, url,
		    upload_data, upload_data_size, &req->link));
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

/* Frees what httpd_start made; the server is not running. */
static void
httpd_free(struct httpd *h)
{
	httpd_links_free(h->links);
	httpd_guard_free(h->guard);
	httpd_feeds_free(h->feeds);
	if (h->not_found != NULL)
		MHD_destroy_response(h->not_found);
	if (h->bad_method != NULL)
		MHD_destroy_response(h->bad_method);
	if (h->bad_request != NULL)
		MHD_destroy_response(h->bad_request);
	free(h->health);
	if (h->health_token != NULL) {
		explicit_bzero(h->health_token, strlen(h->health_token));
		free(h->health_token);
	}
	pthread_mutex_destroy(&h->lock);
	free(h);
}

/* Makes what the server needs before it listens; 0 or -1 and *cause. */
static int
httpd_prepare(struct httpd *h, const struct config *cf, char **cause)
{
	h->feeds = httpd_feeds_new(cf->feeds_refresh_minutes);
	h->not_found = httpd_text_response(MHD_HTTP_NOT_FOUND, HTTPD_TEXT,
	    HTTPD_NOT_FOUND_BODY, "no-store");
	h->bad_method = httpd_text_response(MHD_HTTP_METHOD_NOT_ALLOWED,
	    HTTPD_TEXT, HTTPD_BAD_METHOD_BODY, "no-store");
	h->bad_request = httpd_text_response(MHD_HTTP_BAD_REQUEST, HTTPD_TEXT,
	    HTTPD_BAD_REQUEST_BODY, "no-store");
	if (*cf->http_health_token_file != '\0' &&
	    (h->health_token = config_read_secret(cf->http_health_token_file,
	    cause)) == NULL)
		return (-1);
	h->links = httpd_links_new(cf, cause);
	if (h->links == NULL && *cause != NULL)
		return (-1);
	if ((h->guard = httpd_guard_new(cf, cause)) == NULL)
		return (-1);
	return (0);
}

struct httpd *
httpd_start(const struct config *cf, char **cause)
{
	struct sockaddr_storage	 ss;
	const union MHD_DaemonInfo *info;
	struct httpd		*h;
	sigset_t		 all, saved;
	unsigned		 flags;

	if (httpd_address(cf->http_listen, &ss, cause) != 0)
		return (NULL);
	h = xcalloc(1, sizeof *h);
	pthread_mutex_init(&h->lock, NULL);
	if (httpd_prepare(h, cf, cause) != 0) {
		httpd_free(h);
		return (NULL);
	}
	flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG |
	    MHD_ALLOW_SUSPEND_RESUME;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	/* The server's thread takes no signal: the main loop handles them. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &saved);
	h->mhd = MHD_start_daemon(flags, 0, httpd_guard_accept, h->guard,
	    httpd_request, h,
	    MHD_OPTION_EXTERNAL_LOGGER, httpd_log, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)cf->http_max_connections,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cf->http_timeout,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTPD_MEMORY_LIMIT,
	    MHD_OPTION_URI_LOG_CALLBACK, httpd_begin, h,
	    MHD_OPTION_UNESCAPE_CALLBACK, httpd_unescape, NULL,
	    MHD_OPTION_NOTIFY_COMPLETED, httpd_completed, h,
	    MHD_OPTION_NOTIFY_CONNECTION, httpd_guard_notify, h->guard,
	    MHD_OPTION_END);
	pthread_sigmask(SIG_SETMASK, &saved, NULL);
	if (h->mhd == NULL) {
		xasprintf(cause, "http.listen %s: cannot listen (address in "
		    "use or not local?)", cf->http_listen);
		httpd_free(h);
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
	/* No connection may stay suspended when libmicrohttpd stops. */
	httpd_links_stop(h->links);
	MHD_stop_daemon(h->mhd);
	httpd_free(h);
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
