/*
 * The HTTP server's table of feeds: what the daemon wrote, as the server
 * sends it.  The request handler (httpd.c) only reads the table, which
 * httpd_feeds_set swaps under a mutex.  Each feed is also kept
 * gzip-compressed: calendar clients ask for it, and it is a tenth of the
 * bytes to send.  Its responses (200 and 304, each encoding) are made once
 * when the table is set, so a request allocates nothing; libmicrohttpd
 * counts the references to a response and frees its bytes with the last,
 * so a response still being sent keeps them after a swap.  A feed too
 * large to hold (HTTPD_FEEDS_INLINE_MAX, HTTPD_FEEDS_INLINE_BUDGET) is
 * sent from a descriptor of its file opened when the table is set; its
 * 304 is made then, its 200 for each request (see
 * httpd_feeds_file_response).  No request opens a file.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
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

#include "httpd-feeds.h"
#include "log.h"
#include "xmalloc.h"

#define HTTPD_FEEDS_GZIP_LEVEL	6
#define HTTPD_FEEDS_GZIP_SUFFIX	"-gz"

/*
 * Feeds are held in memory (and gzipped) up to 2 MiB each and 4 MiB in
 * all (bytes and gzip; a district's unit feeds are some tens of KiB each,
 * and a swap holds the old table too); a larger feed, or one past that,
 * is sent from its file (sendfile, identity only) so that the daemon's
 * memory does not grow with the data: the "all" feed of a million
 * occurrences is about half a gigabyte.
 */
#define HTTPD_FEEDS_INLINE_MAX		(2 * 1024 * 1024)
#define HTTPD_FEEDS_INLINE_BUDGET	(4 * 1024 * 1024)

/* One encoding of a feed: its ETag and its two responses. */
struct feeds_variant {
	char			 etag[2 + 64 + sizeof HTTPD_FEEDS_GZIP_SUFFIX];
	struct MHD_Response	*ok;		/* 200 with the bytes */
	struct MHD_Response	*not_modified;	/* 304 */
};

/* One served feed: its bytes, validators and responses. */
struct feeds_entry {
	char			*name;
	char			*token;
	size_t			 token_len;
	char			*data;		/* freed with plain.ok */
	size_t			 len;
	char			*gz;		/* gzip of data, freed with
						   gzip.ok; NULL: not smaller */
	size_t			 gzlen;
	char			 modified[64];
	struct feeds_variant	 plain;
	struct feeds_variant	 gzip;		/* none when gz is NULL */
	struct stat		 file;		/* read or sent: st_size > 0;
						   the entry, or its ETag, is
						   kept while the file is the
						   same */
	int			 fd;		/* sent from that file, or -1 */
	int			 kept;		/* also in the table being
						   set (main thread only) */
};

/* The entries, sorted by name. */
struct feeds_table {
	struct feeds_entry	**v;
	size_t			  n;
};

/* The table and what guards it. */
struct httpd_feeds {
	pthread_mutex_t		lock;
	struct feeds_table	table;
	char			cache_control[64];
};


/* Drops the responses of a variant; their bytes go with the last user. */
static void
httpd_feeds_variant_clear(struct feeds_variant *v)
{
	if (v->ok != NULL)
		MHD_destroy_response(v->ok);
	if (v->not_modified != NULL)
		MHD_destroy_response(v->not_modified);
}

/* Frees an entry, whose responses are made. */
static void
httpd_feeds_entry_free(struct feeds_entry *e)
{
	free(e->name);
	free(e->token);
	if (e->fd != -1)
		close(e->fd);
	httpd_feeds_variant_clear(&e->plain);
	httpd_feeds_variant_clear(&e->gzip);
	free(e);
}

/*
 * Frees the table's entries but those kept in the other table, whose mark
 * it clears.
 */
static void
httpd_feeds_table_clear(struct feeds_table *t)
{
	size_t	i;

	for (i = 0; i < t->n; i++) {
		if (t->v[i]->kept)
			t->v[i]->kept = 0;
		else
			httpd_feeds_entry_free(t->v[i]);
	}
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

int
httpd_feeds_etag_match(const char *header, const char *etag)
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
httpd_feeds_response(size_t len, char *bytes, int free_bytes)
{
	struct MHD_Response	*r;

	r = MHD_create_response_from_buffer_with_free_callback_cls(len, bytes,
	    free_bytes ? free : NULL, bytes);
	if (r == NULL)
		fatalx("http: cannot make a response");
	return (r);
}

/* The slot of a feed name in a table sorted by name (names are unique). */
static struct feeds_entry **
httpd_feeds_slot(const struct feeds_table *t, const char *name)
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
static struct feeds_entry *
httpd_feeds_find(const struct feeds_table *t, const char *name)
{
	struct feeds_entry	**slot = httpd_feeds_slot(t, name);

	return (slot != NULL ? *slot : NULL);
}

/*
 * Finds the entry of a feed name and token, or NULL; the caller holds
 * the lock.  The
 * table is sorted by name: a binary search finds the name's entries, as
 * a scan comparing every name took a strcmp per feed on each request.
 * Every entry of the name is compared in constant time, so a wrong token
 * costs what a right one does; an unknown name answers as a wrong token
 * does.
 */
static struct feeds_entry *
httpd_feeds_lookup(struct httpd_feeds *ft, const char *name,
    const char *token)
{
	struct feeds_entry	*e;
	size_t			 len = strlen(token);

	if ((e = httpd_feeds_find(&ft->table, name)) != NULL &&
	    e->token_len == len && CRYPTO_memcmp(e->token, token, len) == 0)
		return (e);
	return (NULL);
}

/* 1 if the request's validators match the variant (answer 304). */
static int
httpd_feeds_not_modified(struct MHD_Connection *c,
    const struct feeds_entry *e, const char *etag)
{
	const char	*v;

	if ((v = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_IF_NONE_MATCH)) != NULL)
		return (httpd_feeds_etag_match(v, etag));
	if ((v = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_IF_MODIFIED_SINCE)) != NULL)
		return (strcmp(v, e->modified) == 0);
	return (0);
}

int
httpd_feeds_accepts_gzip(const char *header)
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
httpd_feeds_feed_headers(struct httpd_feeds *ft, struct MHD_Response *r,
    const struct feeds_entry *e, const char *etag)
{
	MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, etag);
	MHD_add_response_header(r, MHD_HTTP_HEADER_LAST_MODIFIED, e->modified);
	MHD_add_response_header(r, MHD_HTTP_HEADER_VARY,
	    MHD_HTTP_HEADER_ACCEPT_ENCODING);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
	    ft->cache_control);
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
httpd_feeds_file_response(struct httpd_feeds *ft,
    const struct feeds_entry *e)
{
	struct MHD_Response	*r;
	int			 fd;

	if ((fd = fcntl(e->fd, F_DUPFD_CLOEXEC, 0)) == -1) {
		log_warn("http: %s", e->name);
		return (NULL);
	}
	if ((r = MHD_create_response_from_fd64(e->len, fd)) == NULL)
		fatalx("http: cannot make a response");
	httpd_feeds_feed_headers(ft, r, e, e->plain.etag);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "text/calendar; charset=utf-8");
	return (r);
}

int
httpd_feeds_serve(struct httpd_feeds *ft, struct MHD_Connection *c,
    const char *name, const char *token, enum MHD_Result *rc)
{
	struct feeds_entry	*e;
	struct feeds_variant	*variant;
	struct MHD_Response	*r;
	const char		*v;
	int			 gzip;

	*rc = MHD_NO;
	v = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_ACCEPT_ENCODING);
	gzip = v != NULL && httpd_feeds_accepts_gzip(v);
	/*
	 * The response is queued under the lock: libmicrohttpd then holds
	 * its own reference before a swap can drop the table's.
	 */
	pthread_mutex_lock(&ft->lock);
	if ((e = httpd_feeds_lookup(ft, name, token)) != NULL) {
		variant = gzip && e->gz != NULL ? &e->gzip : &e->plain;
		if (httpd_feeds_not_modified(c, e, variant->etag))
			*rc = MHD_queue_response(c, MHD_HTTP_NOT_MODIFIED,
			    variant->not_modified);
		else if (e->fd == -1)
			*rc = MHD_queue_response(c, MHD_HTTP_OK, variant->ok);
		else if ((r = httpd_feeds_file_response(ft, e)) != NULL) {
			*rc = MHD_queue_response(c, MHD_HTTP_OK, r);
			MHD_destroy_response(r);
		}
	}
	pthread_mutex_unlock(&ft->lock);
	return (e != NULL);
}

/*
 * Reads a whole file into memory of its size: a growing buffer took up to
 * twice that, which HTTPD_FEEDS_INLINE_BUDGET did not count.  NULL and *cause
 * if it cannot.  Caller frees.
 */
static char *
httpd_feeds_read(const char *path, size_t *len, struct stat *sb, char **cause)
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
httpd_feeds_gzip(struct feeds_entry *e)
{
	z_stream	z;
	size_t		size;
	int		rc;

	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, HTTPD_FEEDS_GZIP_LEVEL, Z_DEFLATED, 15 + 16, 8,
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
httpd_feeds_compress(struct httpd_feeds *ft, struct feeds_entry *e)
{
	const struct feeds_entry *old;

	old = httpd_feeds_find(&ft->table, e->name);

	if (old != NULL && old->gz != NULL &&
	    strcmp(old->plain.etag, e->plain.etag) == 0) {
		e->gz = xmalloc(old->gzlen);
		memcpy(e->gz, old->gz, old->gzlen);
		e->gzlen = old->gzlen;
		return;
	}
	httpd_feeds_gzip(e);
}

/* Formats a strong ETag of a SHA-256 digest, and its gzip variant's. */
static void
httpd_feeds_etags(struct feeds_entry *e, const unsigned char *md,
    unsigned int mdlen)
{
	unsigned int	i;

	e->plain.etag[0] = '"';
	for (i = 0; i < mdlen && i < 32; i++)
		snprintf(e->plain.etag + 1 + 2 * i, 3, "%02x", md[i]);
	strcat(e->plain.etag, "\"");
	memcpy(e->gzip.etag, e->plain.etag, strlen(e->plain.etag) - 1);
	strcat(e->gzip.etag, HTTPD_FEEDS_GZIP_SUFFIX "\"");
}

/* Sets the strong ETag (SHA-256 of the bytes) and Last-Modified. */
static void
httpd_feeds_validators(struct feeds_entry *e, time_t mtime)
{
	unsigned char	md[EVP_MAX_MD_SIZE];
	unsigned int	mdlen = 0;
	struct tm	tm;

	EVP_Digest(e->data, e->len, md, &mdlen, EVP_sha256(), NULL);
	httpd_feeds_etags(e, md, mdlen);
	gmtime_r(&mtime, &tm);
	strftime(e->modified, sizeof e->modified, "%a, %d %b %Y %H:%M:%S GMT",
	    &tm);
}

/* Makes a variant's 200 of len bytes, which it frees, and its 304. */
static void
httpd_feeds_variant_make(struct httpd_feeds *ft,
    const struct feeds_entry *e, struct feeds_variant *v,
    char *bytes, size_t len, int gzip)
{
	v->ok = httpd_feeds_response(len, bytes, 1);
	httpd_feeds_feed_headers(ft, v->ok, e, v->etag);
	MHD_add_response_header(v->ok, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "text/calendar; charset=utf-8");
	if (gzip)
		MHD_add_response_header(v->ok,
		    MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
	v->not_modified = httpd_feeds_response(0, NULL, 0);
	httpd_feeds_feed_headers(ft, v->not_modified, e, v->etag);
}

/* 1 if a file is the one read or sent before (device, inode, size, mtime). */
static int
httpd_feeds_same_file(const struct stat *before, const struct stat *now)
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
httpd_feeds_entry_file(struct httpd_feeds *ft, struct feeds_entry *e,
    const char *path, char **cause)
{
	const struct feeds_entry *old;
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
	old = httpd_feeds_find(&ft->table, e->name);
	if (old != NULL && httpd_feeds_same_file(&old->file, &e->file))
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
		httpd_feeds_etags(e, md, mdlen);
	}
	e->len = (size_t)e->file.st_size;
	gmtime_r(&e->file.st_mtime, &tm);
	strftime(e->modified, sizeof e->modified, "%a, %d %b %Y %H:%M:%S GMT",
	    &tm);
	e->fd = fd;
	e->plain.not_modified = httpd_feeds_response(0, NULL, 0);
	httpd_feeds_feed_headers(ft, e->plain.not_modified, e, e->plain.etag);
	return (0);
}

/*
 * A new entry for one feed, its responses made; NULL and *cause.  *budget
 * is what memory is left for feeds held in memory.
 */
static struct feeds_entry *
httpd_feeds_entry_new(struct httpd_feeds *ft, const struct httpd_feed *f,
    size_t *budget, char **cause)
{
	struct feeds_entry	*e;
	struct stat		 sb;
	time_t			 mtime = f->mtime;

	e = xcalloc(1, sizeof *e);
	e->fd = -1;
	if (f->data == NULL && stat(f->path, &sb) == 0 && sb.st_size > 0 &&
	    ((size_t)sb.st_size > HTTPD_FEEDS_INLINE_MAX ||
	    (size_t)sb.st_size > *budget)) {
		e->name = xstrdup(f->name);
		e->token = xstrdup(f->token);
		e->token_len = strlen(f->token);
		if (httpd_feeds_entry_file(ft, e, f->path, cause) != 0) {
			httpd_feeds_entry_free(e);
			return (NULL);
		}
		return (e);
	}
	if (f->data != NULL) {
		e->data = xmalloc(f->len + 1);
		memcpy(e->data, f->data, f->len);
		e->len = f->len;
	} else if ((e->data = httpd_feeds_read(f->path, &e->len, &e->file,
	    cause)) == NULL) {
		free(e);
		return (NULL);
	} else
		mtime = e->file.st_mtime;
	e->name = xstrdup(f->name);
	e->token = xstrdup(f->token);
	e->token_len = strlen(f->token);
	httpd_feeds_validators(e, mtime);
	httpd_feeds_compress(ft, e);
	*budget -= *budget > e->len + e->gzlen ? e->len + e->gzlen : *budget;
	httpd_feeds_variant_make(ft, e, &e->plain, e->data, e->len, 0);
	if (e->gz != NULL)
		httpd_feeds_variant_make(ft, e, &e->gzip, e->gz, e->gzlen, 1);
	return (e);
}

/*
 * The served entry of a feed whose file is the one it was made from, or
 * NULL.  It is kept as it is: a swap then holds twice only the feeds that
 * changed (2,002 feeds of a million occurrences cost some 7 MB a table),
 * and reads, hashes and compresses no other.  One held in memory must
 * still fit in *budget.
 */
static struct feeds_entry *
httpd_feeds_entry_same(struct httpd_feeds *ft, const struct httpd_feed *f,
    size_t *budget)
{
	struct feeds_entry	*old;
	struct stat		 sb;

	if (f->data != NULL ||
	    (old = httpd_feeds_find(&ft->table, f->name)) == NULL ||
	    strcmp(old->token, f->token) != 0 || stat(f->path, &sb) != 0 ||
	    !httpd_feeds_same_file(&old->file, &sb))
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
httpd_feeds_entry_cmp(const void *a, const void *b)
{
	const struct feeds_entry	*ea = *(struct feeds_entry *const *)a;
	const struct feeds_entry	*eb = *(struct feeds_entry *const *)b;

	return (strcmp(ea->name, eb->name));
}

/* 1 if the feeds have the names of the served table's entries. */
static int
httpd_feeds_same_names(struct httpd_feeds *ft, const struct httpd_feed *feeds,
    size_t n)
{
	size_t	i;

	if (n == 0 || n != ft->table.n)
		return (0);
	for (i = 0; i < n; i++) {
		if (httpd_feeds_find(&ft->table, feeds[i].name) == NULL)
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
httpd_feeds_replace_each(struct httpd_feeds *ft, const struct httpd_feed *feeds,
    size_t n, char **cause)
{
	struct feeds_entry	**slot, *old, *e;
	size_t			  i, budget = HTTPD_FEEDS_INLINE_BUDGET;

	for (i = 0; i < n; i++) {
		if (httpd_feeds_entry_same(ft, &feeds[i], &budget) != NULL)
			continue;
		if ((e = httpd_feeds_entry_new(ft, &feeds[i], &budget,
		    cause)) == NULL)
			return (-1);
		slot = httpd_feeds_slot(&ft->table, feeds[i].name);
		pthread_mutex_lock(&ft->lock);
		old = *slot;
		*slot = e;
		pthread_mutex_unlock(&ft->lock);
		/* A response of the old entry queued keeps its bytes. */
		httpd_feeds_entry_free(old);
	}
	return (0);
}

int
httpd_feeds_set(struct httpd_feeds *ft, const struct httpd_feed *feeds,
    size_t n, char **cause)
{
	struct feeds_table	t, old;
	size_t			budget = HTTPD_FEEDS_INLINE_BUDGET;

	if (httpd_feeds_same_names(ft, feeds, n))
		return (httpd_feeds_replace_each(ft, feeds, n, cause));
	t.v = xcalloc(n + 1, sizeof *t.v);
	for (t.n = 0; t.n < n; t.n++) {
		if ((t.v[t.n] = httpd_feeds_entry_same(ft, &feeds[t.n],
		    &budget)) != NULL)
			t.v[t.n]->kept = 1;
		else if ((t.v[t.n] = httpd_feeds_entry_new(ft, &feeds[t.n],
		    &budget, cause)) == NULL) {
			httpd_feeds_table_clear(&t);
			return (-1);
		}
	}
	qsort(t.v, t.n, sizeof *t.v, httpd_feeds_entry_cmp);
	pthread_mutex_lock(&ft->lock);
	old = ft->table;
	ft->table = t;
	pthread_mutex_unlock(&ft->lock);
	/*
	 * No request finds the old entries now but those kept; a response
	 * of the others that is queued keeps its bytes until it is sent.
	 */
	httpd_feeds_table_clear(&old);
	return (0);
}

struct httpd_feeds *
httpd_feeds_new(int refresh_minutes)
{
	struct httpd_feeds	*ft;

	ft = xcalloc(1, sizeof *ft);
	pthread_mutex_init(&ft->lock, NULL);
	snprintf(ft->cache_control, sizeof ft->cache_control,
	    "private, max-age=%d", refresh_minutes * 60);
	return (ft);
}

void
httpd_feeds_free(struct httpd_feeds *ft)
{
	if (ft == NULL)
		return;
	httpd_feeds_table_clear(&ft->table);
	pthread_mutex_destroy(&ft->lock);
	free(ft);
}
