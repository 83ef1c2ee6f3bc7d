/*
 * The built-in HTTP server.  libmicrohttpd runs one polling thread (epoll)
 * beside the main loop: on two cores a pool of two plus the clients'
 * threads preempted each other, and the 304 p99 was three times that of
 * one thread (bench/serve.sh).  The request handler only reads an
 * in-memory table of feeds that httpd_set_feeds swaps under a mutex.
 * Each feed is also kept gzip-compressed: calendar clients ask for it, and
 * it is a tenth of the bytes to send.  Its responses (200 and 304, each
 * encoding) are made once when the table is set, so a request allocates
 * nothing; libmicrohttpd counts the references to a response and frees
 * its bytes with the last, so a response still being sent keeps them
 * after a swap.  A feed too large to hold (HTTPD_INLINE_MAX,
 * HTTPD_INLINE_BUDGET) is sent from a descriptor of its file opened when
 * the table is set; its 304 is made then, its 200 for each request (see
 * httpd_file_response).  No request opens a file; only completion links
 * (/done/<token>, when a link key is configured) reach the database,
 * through the server's own connection, which a second mutex keeps to one
 * request at a time.
 */
#include <sys/socket.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <zlib.h>

#include "calendar.h"
#include "config.h"
#include "date.h"
#include "httpd.h"
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
#define HTTPD_GZIP_LEVEL	6
#define HTTPD_GZIP_SUFFIX	"-gz"

/*
 * Feeds are held in memory (and gzipped) up to 2 MiB each and 4 MiB in
 * all (bytes and gzip; a district's unit feeds are some tens of KiB each,
 * and a swap holds the old table too); a larger feed, or one past that,
 * is sent from its file (sendfile, identity only) so that the daemon's
 * memory does not grow with the data: the "all" feed of a million
 * occurrences is about half a gigabyte.
 */
#define HTTPD_INLINE_MAX	(2 * 1024 * 1024)
#define HTTPD_INLINE_BUDGET	(4 * 1024 * 1024)

/* One encoding of a feed: its ETag and its two responses. */
struct httpd_variant {
	char			 etag[2 + 64 + sizeof HTTPD_GZIP_SUFFIX];
	struct MHD_Response	*ok;		/* 200 with the bytes */
	struct MHD_Response	*not_modified;	/* 304 */
};

/* One served feed: its bytes, validators and responses. */
struct httpd_entry {
	char			*name;
	char			*token;
	size_t			 token_len;
	char			*data;		/* freed with plain.ok */
	size_t			 len;
	char			*gz;		/* gzip of data, freed with
						   gzip.ok; NULL: not smaller */
	size_t			 gzlen;
	char			 modified[64];
	struct httpd_variant	 plain;
	struct httpd_variant	 gzip;		/* none when gz is NULL */
	struct stat		 file;		/* read or sent: st_size > 0;
						   the entry, or its ETag, is
						   kept while the file is the
						   same */
	int			 fd;		/* sent from that file, or -1 */
	int			 kept;		/* also in the table being
						   set (main thread only) */
};

struct httpd_table {
	struct httpd_entry	**v;
	size_t			  n;
};

struct httpd {
	struct MHD_Daemon	*mhd;
	pthread_mutex_t		 lock;
	pthread_mutex_t		 done_lock;	/* the store, for /done/ */
	struct httpd_table	 table;
	struct MHD_Response	*not_found;
	struct MHD_Response	*bad_method;
	char			*health;
	char			 cache_control[64];
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

/* Drops the responses of a variant; their bytes go with the last user. */
static void
httpd_variant_clear(struct httpd_variant *v)
{
	if (v->ok != NULL)
		MHD_destroy_response(v->ok);
	if (v->not_modified != NULL)
		MHD_destroy_response(v->not_modified);
}

/* Frees an entry, whose responses are made. */
static void
httpd_entry_free(struct httpd_entry *e)
{
	free(e->name);
	free(e->token);
	if (e->fd != -1)
		close(e->fd);
	httpd_variant_clear(&e->plain);
	httpd_variant_clear(&e->gzip);
	free(e);
}

/*
 * Frees the table's entries but those kept in the other table, whose mark
 * it clears.
 */
static void
httpd_table_clear(struct httpd_table *t)
{
	size_t	i;

	for (i = 0; i < t->n; i++) {
		if (t->v[i]->kept)
			t->v[i]->kept = 0;
		else
			httpd_entry_free(t->v[i]);
	}
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

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

int
httpd_etag_match(const char *header, const char *etag)
{
	const char	*p = header;
	size_t		 n, len = strlen(etag);

	while (*p != '\0') {
		p += strspn(p, " \t,");
		if (*p == '*')
			return (1);
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		n = strcspn(p, ",");
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n == len && memcmp(p, etag, len) == 0)
			return (1);
		p += strcspn(p, ",");
	}
	return (0);
}

/*
 * A response of len bytes that frees them (free_bytes) when its last
 * reference is dropped.  Only memory can be missing: that is fatal, as
 * with xmalloc.
 */
static struct MHD_Response *
httpd_response(size_t len, char *bytes, int free_bytes)
{
	struct MHD_Response	*r;

	r = MHD_create_response_from_buffer_with_free_callback_cls(len, bytes,
	    free_bytes ? free : NULL, bytes);
	if (r == NULL)
		fatalx("http: cannot make a response");
	return (r);
}

/* A small text response, made from a copy of body; caller destroys. */
static struct MHD_Response *
httpd_text_response(unsigned status, const char *type, const char *body,
    const char *cache)
{
	struct MHD_Response	*r;

	r = httpd_response(strlen(body), xstrdup(body), 1);
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

/* The slot of a feed name in a table sorted by name (names are unique). */
static struct httpd_entry **
httpd_slot(const struct httpd_table *t, const char *name)
{
	size_t	lo = 0, hi = t->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(t->v[mid]->name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo < t->n && strcmp(t->v[lo]->name, name) == 0 ? &t->v[lo] :
	    NULL);
}

/* The entry of a feed name, or NULL. */
static struct httpd_entry *
httpd_find(const struct httpd_table *t, const char *name)
{
	struct httpd_entry	**slot = httpd_slot(t, name);

	return (slot != NULL ? *slot : NULL);
}

/*
 * Finds the entry of a route, or NULL; the caller holds the lock.  The
 * table is sorted by name: a binary search finds the name's entries, as
 * a scan comparing every name took a strcmp per feed on each request.
 * Every entry of the name is compared in constant time, so a wrong token
 * costs what a right one does; an unknown name answers as a wrong token
 * does.
 */
static struct httpd_entry *
httpd_lookup(struct httpd *h, const struct httpd_route *r)
{
	struct httpd_entry	*e;
	size_t			 len = strlen(r->token);

	if ((e = httpd_find(&h->table, r->name)) != NULL &&
	    e->token_len == len && CRYPTO_memcmp(e->token, r->token, len) == 0)
		return (e);
	return (NULL);
}

/* 1 if the request's validators match the variant (answer 304). */
static int
httpd_not_modified(struct MHD_Connection *c, const struct httpd_entry *e,
    const char *etag)
{
	const char	*v;

	if ((v = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_IF_NONE_MATCH)) != NULL)
		return (httpd_etag_match(v, etag));
	if ((v = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_IF_MODIFIED_SINCE)) != NULL)
		return (strcmp(v, e->modified) == 0);
	return (0);
}

int
httpd_accepts_gzip(const char *header)
{
	const char	*p = header, *q;
	size_t		 n;

	while (*p != '\0') {
		p += strspn(p, " \t,");
		n = strcspn(p, " \t;,");
		if ((n == 4 && strncasecmp(p, "gzip", 4) == 0) ||
		    (n == 6 && strncasecmp(p, "x-gzip", 6) == 0)) {
			q = p + n + strspn(p + n, " \t");
			if (*q != ';')
				return (1);
			q += 1 + strspn(q + 1, " \t");
			if (strncasecmp(q, "q=", 2) != 0)
				return (1);
			return (strtod(q + 2, NULL) > 0);
		}
		p += strcspn(p, ",");
	}
	return (0);
}

/* Adds the validators and caching headers of a feed response. */
static void
httpd_feed_headers(struct httpd *h, struct MHD_Response *r,
    const struct httpd_entry *e, const char *etag)
{
	MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, etag);
	MHD_add_response_header(r, MHD_HTTP_HEADER_LAST_MODIFIED, e->modified);
	MHD_add_response_header(r, MHD_HTTP_HEADER_VARY,
	    MHD_HTTP_HEADER_ACCEPT_ENCODING);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
	    h->cache_control);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
}

/*
 * The 200 of a feed sent from its file, made for each request and on its
 * own descriptor (a swap closes the entry's).  It is not made with the
 * table: libmicrohttpd gives a response from a descriptor a 4 KiB read
 * buffer, 8.5 MB for the 2,000 feeds sent from their files with a million
 * occurrences, and twice that during a swap.  The caller holds the lock;
 * NULL if no descriptor is left.
 */
static struct MHD_Response *
httpd_file_response(struct httpd *h, const struct httpd_entry *e)
{
	struct MHD_Response	*r;
	int			 fd;

	if ((fd = fcntl(e->fd, F_DUPFD_CLOEXEC, 0)) == -1) {
		log_warn("http: %s", e->name);
		return (NULL);
	}
	if ((r = MHD_create_response_from_fd64(e->len, fd)) == NULL)
		fatalx("http: cannot make a response");
	httpd_feed_headers(h, r, e, e->plain.etag);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "text/calendar; charset=utf-8");
	return (r);
}

/*
 * Queues a feed, gzipped if the client takes it, or 304 if it has it.
 * The response is queued under the lock: libmicrohttpd then holds its own
 * reference before a swap can drop the table's.
 */
static enum MHD_Result
httpd_feed(struct httpd *h, struct MHD_Connection *c,
    const struct httpd_route *route)
{
	struct httpd_entry	*e;
	struct httpd_variant	*variant;
	struct MHD_Response	*r;
	const char		*v;
	enum MHD_Result		 rc = MHD_NO;
	int			 gzip;

	v = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_ACCEPT_ENCODING);
	gzip = v != NULL && httpd_accepts_gzip(v);
	pthread_mutex_lock(&h->lock);
	if ((e = httpd_lookup(h, route)) != NULL) {
		variant = gzip && e->gz != NULL ? &e->gzip : &e->plain;
		if (httpd_not_modified(c, e, variant->etag))
			rc = MHD_queue_response(c, MHD_HTTP_NOT_MODIFIED,
			    variant->not_modified);
		else if (e->fd == -1)
			rc = MHD_queue_response(c, MHD_HTTP_OK, variant->ok);
		else if ((r = httpd_file_response(h, e)) != NULL) {
			rc = MHD_queue_response(c, MHD_HTTP_OK, r);
			MHD_destroy_response(r);
		}
	}
	pthread_mutex_unlock(&h->lock);
	if (e == NULL)
		return (httpd_not_found(h, c));
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
	link_page_apply(h->store, h->calendar, h->link_key, token, post->note.data,
	    days > 0 && days <= LINK_PAGE_SNOOZE_MAX ? (int)days : 0, date_now(),
	    &html, &status);
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
	if (route.target == HTTPD_FEED)
		return (httpd_feed(h, c, &route));
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
	snprintf(h->cache_control, sizeof h->cache_control,
	    "private, max-age=%d", cf->feeds_refresh_minutes * 60);
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
	httpd_table_clear(&h->table);
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

/*
 * Reads a whole file into memory of its size: a growing buffer took up to
 * twice that, which HTTPD_INLINE_BUDGET did not count.  NULL and *cause
 * if it cannot.  Caller frees.
 */
static char *
httpd_read(const char *path, size_t *len, struct stat *sb, char **cause)
{
	char		*data, extra;
	size_t		 size, got = 0;
	ssize_t		 n = 0;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, sb) != 0) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return (NULL);
	}
	size = (size_t)sb->st_size;
	data = xmalloc(size + 1);
	while (got < size && (n = read(fd, data + got, size - got)) > 0)
		got += (size_t)n;
	if (n < 0 || got != size || read(fd, &extra, 1) != 0) {
		xasprintf(cause, "%s: changed or unreadable while read", path);
		close(fd);
		free(data);
		return (NULL);
	}
	close(fd);
	data[size] = '\0';
	*len = size;
	return (data);
}

/* The gzip of the entry's bytes, if smaller; 0 or -1. */
static int
httpd_gzip(struct httpd_entry *e)
{
	z_stream	z;
	size_t		size;
	int		rc;

	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, HTTPD_GZIP_LEVEL, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		return (-1);
	size = deflateBound(&z, e->len);
	e->gz = xmalloc(size);
	z.next_in = (unsigned char *)e->data;
	z.avail_in = e->len;
	z.next_out = (unsigned char *)e->gz;
	z.avail_out = size;
	rc = deflate(&z, Z_FINISH);
	e->gzlen = size - z.avail_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END || e->gzlen >= e->len) {
		free(e->gz);
		e->gz = NULL;
		return (-1);
	}
	/* Held at its bound it would be the plain size again, uncounted. */
	e->gz = xrealloc(e->gz, e->gzlen);
	return (0);
}

/*
 * Takes the gzip of an entry from the old table's entry of the same name
 * and bytes, or makes it.  The old table is only changed by the caller's
 * thread, and an entry's bytes never change.
 */
static void
httpd_compress(struct httpd *h, struct httpd_entry *e)
{
	const struct httpd_entry *old = httpd_find(&h->table, e->name);

	if (old != NULL && old->gz != NULL &&
	    strcmp(old->plain.etag, e->plain.etag) == 0) {
		e->gz = xmalloc(old->gzlen);
		memcpy(e->gz, old->gz, old->gzlen);
		e->gzlen = old->gzlen;
		return;
	}
	httpd_gzip(e);
}

/* Formats a strong ETag of a SHA-256 digest, and its gzip variant's. */
static void
httpd_etags(struct httpd_entry *e, const unsigned char *md, unsigned int mdlen)
{
	unsigned int	i;

	e->plain.etag[0] = '"';
	for (i = 0; i < mdlen && i < 32; i++)
		snprintf(e->plain.etag + 1 + 2 * i, 3, "%02x", md[i]);
	strcat(e->plain.etag, "\"");
	memcpy(e->gzip.etag, e->plain.etag, strlen(e->plain.etag) - 1);
	strcat(e->gzip.etag, HTTPD_GZIP_SUFFIX "\"");
}

/* Sets the strong ETag (SHA-256 of the bytes) and Last-Modified. */
static void
httpd_validators(struct httpd_entry *e, time_t mtime)
{
	unsigned char	md[EVP_MAX_MD_SIZE];
	unsigned int	mdlen = 0;
	struct tm	tm;

	EVP_Digest(e->data, e->len, md, &mdlen, EVP_sha256(), NULL);
	httpd_etags(e, md, mdlen);
	gmtime_r(&mtime, &tm);
	strftime(e->modified, sizeof e->modified, "%a, %d %b %Y %H:%M:%S GMT",
	    &tm);
}

/* Makes a variant's 200 of len bytes, which it frees, and its 304. */
static void
httpd_variant_make(struct httpd *h, const struct httpd_entry *e,
    struct httpd_variant *v, char *bytes, size_t len, int gzip)
{
	v->ok = httpd_response(len, bytes, 1);
	httpd_feed_headers(h, v->ok, e, v->etag);
	MHD_add_response_header(v->ok, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "text/calendar; charset=utf-8");
	if (gzip)
		MHD_add_response_header(v->ok,
		    MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
	v->not_modified = httpd_response(0, NULL, 0);
	httpd_feed_headers(h, v->not_modified, e, v->etag);
}

/* 1 if a file is the one read or sent before (device, inode, size, mtime). */
static int
httpd_same_file(const struct stat *before, const struct stat *now)
{
	return (before->st_size > 0 && before->st_dev == now->st_dev &&
	    before->st_ino == now->st_ino && before->st_size == now->st_size &&
	    before->st_mtim.tv_sec == now->st_mtim.tv_sec &&
	    before->st_mtim.tv_nsec == now->st_mtim.tv_nsec);
}

/*
 * Makes an entry that is sent from its file: one descriptor, kept open by
 * the entry (a rename over the file leaves this one as it was); the
 * ETag is hashed as the file is read, or taken from the old table's entry
 * when the file is the same (device, inode, size, mtime).  0 or -1.
 */
static int
httpd_entry_file(struct httpd *h, struct httpd_entry *e, const char *path,
    char **cause)
{
	const struct httpd_entry *old;
	unsigned char		 md[EVP_MAX_MD_SIZE], chunk[65536];
	unsigned int		 mdlen = 0;
	EVP_MD_CTX		*ctx;
	struct tm		 tm;
	ssize_t			 n;
	int			 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &e->file) != 0) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return (-1);
	}
	old = httpd_find(&h->table, e->name);
	if (old != NULL && httpd_same_file(&old->file, &e->file))
		memcpy(e->plain.etag, old->plain.etag, sizeof e->plain.etag);
	else {
		if ((ctx = EVP_MD_CTX_new()) == NULL ||
		    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1)
			fatalx("http: no SHA-256");
		while ((n = pread(fd, chunk, sizeof chunk,
		    (off_t)e->len)) > 0) {
			EVP_DigestUpdate(ctx, chunk, (size_t)n);
			e->len += (size_t)n;
		}
		EVP_DigestFinal_ex(ctx, md, &mdlen);
		EVP_MD_CTX_free(ctx);
		if (n < 0 || e->len != (size_t)e->file.st_size) {
			xasprintf(cause, "%s: changed or unreadable while read",
			    path);
			close(fd);
			return (-1);
		}
		httpd_etags(e, md, mdlen);
	}
	e->len = (size_t)e->file.st_size;
	gmtime_r(&e->file.st_mtime, &tm);
	strftime(e->modified, sizeof e->modified, "%a, %d %b %Y %H:%M:%S GMT",
	    &tm);
	e->fd = fd;
	e->plain.not_modified = httpd_response(0, NULL, 0);
	httpd_feed_headers(h, e->plain.not_modified, e, e->plain.etag);
	return (0);
}

/*
 * A new entry for one feed, its responses made; NULL and *cause.  *budget
 * is what memory is left for feeds held in memory.
 */
static struct httpd_entry *
httpd_entry_new(struct httpd *h, const struct httpd_feed *f, size_t *budget,
    char **cause)
{
	struct httpd_entry	*e;
	struct stat		 sb;
	time_t			 mtime = f->mtime;

	e = xcalloc(1, sizeof *e);
	e->fd = -1;
	if (f->data == NULL && stat(f->path, &sb) == 0 && sb.st_size > 0 &&
	    ((size_t)sb.st_size > HTTPD_INLINE_MAX ||
	    (size_t)sb.st_size > *budget)) {
		e->name = xstrdup(f->name);
		e->token = xstrdup(f->token);
		e->token_len = strlen(f->token);
		if (httpd_entry_file(h, e, f->path, cause) != 0) {
			httpd_entry_free(e);
			return (NULL);
		}
		return (e);
	}
	if (f->data != NULL) {
		e->data = xmalloc(f->len + 1);
		memcpy(e->data, f->data, f->len);
		e->len = f->len;
	} else if ((e->data = httpd_read(f->path, &e->len, &e->file,
	    cause)) == NULL) {
		free(e);
		return (NULL);
	} else
		mtime = e->file.st_mtime;
	e->name = xstrdup(f->name);
	e->token = xstrdup(f->token);
	e->token_len = strlen(f->token);
	httpd_validators(e, mtime);
	httpd_compress(h, e);
	*budget -= *budget > e->len + e->gzlen ? e->len + e->gzlen : *budget;
	httpd_variant_make(h, e, &e->plain, e->data, e->len, 0);
	if (e->gz != NULL)
		httpd_variant_make(h, e, &e->gzip, e->gz, e->gzlen, 1);
	return (e);
}

/*
 * The served entry of a feed whose file is the one it was made from, or
 * NULL.  It is kept as it is: a swap then holds twice only the feeds that
 * changed (2,002 feeds of a million occurrences cost some 7 MB a table),
 * and reads, hashes and compresses no other.  One held in memory must
 * still fit in *budget.
 */
static struct httpd_entry *
httpd_entry_same(struct httpd *h, const struct httpd_feed *f, size_t *budget)
{
	struct httpd_entry	*old;
	struct stat		 sb;

	if (f->data != NULL || (old = httpd_find(&h->table, f->name)) == NULL ||
	    strcmp(old->token, f->token) != 0 || stat(f->path, &sb) != 0 ||
	    !httpd_same_file(&old->file, &sb))
		return (NULL);
	if (old->fd == -1) {
		if (old->len + old->gzlen > *budget)
			return (NULL);
		*budget -= old->len + old->gzlen;
	}
	return (old);
}

/* Orders entries by name (qsort). */
static int
httpd_entry_cmp(const void *a, const void *b)
{
	const struct httpd_entry	*ea = *(struct httpd_entry *const *)a;
	const struct httpd_entry	*eb = *(struct httpd_entry *const *)b;

	return (strcmp(ea->name, eb->name));
}

/* 1 if the feeds have the names of the served table's entries. */
static int
httpd_same_names(struct httpd *h, const struct httpd_feed *feeds, size_t n)
{
	size_t	i;

	if (n == 0 || n != h->table.n)
		return (0);
	for (i = 0; i < n; i++) {
		if (httpd_find(&h->table, feeds[i].name) == NULL)
			return (0);
	}
	return (1);
}

/*
 * Replaces the served entries one by one, for feeds of the same names (a
 * new day rewrites every feed of a big district): each old entry goes as
 * soon as its successor is in, so a swap holds one feed twice, not the
 * whole table.  With a million occurrences, the day's rewrite of all
 * 2,002 feeds peaked at 33.7 MiB RSS with a new table, 29.1 MiB so.  On
 * failure the feeds not yet read keep their old entries.
 */
static int
httpd_replace_each(struct httpd *h, const struct httpd_feed *feeds,
    size_t n, char **cause)
{
	struct httpd_entry	**slot, *old, *e;
	size_t			  i, budget = HTTPD_INLINE_BUDGET;

	for (i = 0; i < n; i++) {
		if (httpd_entry_same(h, &feeds[i], &budget) != NULL)
			continue;
		if ((e = httpd_entry_new(h, &feeds[i], &budget, cause)) == NULL)
			return (-1);
		slot = httpd_slot(&h->table, feeds[i].name);
		pthread_mutex_lock(&h->lock);
		old = *slot;
		*slot = e;
		pthread_mutex_unlock(&h->lock);
		/* A response of the old entry queued keeps its bytes. */
		httpd_entry_free(old);
	}
	return (0);
}

int
httpd_set_feeds(struct httpd *h, const struct httpd_feed *feeds, size_t n,
    char **cause)
{
	struct httpd_table	t, old;
	size_t			budget = HTTPD_INLINE_BUDGET;

	if (httpd_same_names(h, feeds, n))
		return (httpd_replace_each(h, feeds, n, cause));
	t.v = xcalloc(n + 1, sizeof *t.v);
	for (t.n = 0; t.n < n; t.n++) {
		if ((t.v[t.n] = httpd_entry_same(h, &feeds[t.n],
		    &budget)) != NULL)
			t.v[t.n]->kept = 1;
		else if ((t.v[t.n] = httpd_entry_new(h, &feeds[t.n], &budget,
		    cause)) == NULL) {
			httpd_table_clear(&t);
			return (-1);
		}
	}
	qsort(t.v, t.n, sizeof *t.v, httpd_entry_cmp);
	pthread_mutex_lock(&h->lock);
	old = h->table;
	h->table = t;
	pthread_mutex_unlock(&h->lock);
	/*
	 * No request finds the old entries now but those kept; a response
	 * of the others that is queued keeps its bytes until it is sent.
	 */
	httpd_table_clear(&old);
	return (0);
}
