#ifndef HTTPD_FEEDS_H
#define HTTPD_FEEDS_H

#include <stddef.h>
#include <time.h>

#include <microhttpd.h>

/*
 * The HTTP server's table of feeds (httpd.c routes to it): the files the
 * daemon wrote, held in memory with their gzip, or sent from their files
 * when large, each with its ETags and its 200 and 304 responses made once
 * when the table is set.  Setting runs on the daemon's thread, serving on
 * the server's.
 */
struct httpd_feeds;

/* One feed to serve: "noivu" (noivu.ics) or "noivu-todo" (?kind=todo). */
struct httpd_feed {
	const char	*name;
	const char	*token;
	const char	*path;		/* read when set, unless data */
	const char	*data;		/* NULL: read path */
	size_t		 len;
	time_t		 mtime;		/* with data: its Last-Modified */
};

/* An empty table whose responses say max-age of refresh_minutes. */
struct httpd_feeds	*httpd_feeds_new(int);
void			 httpd_feeds_free(struct httpd_feeds *); /* NULL ok */
/*
 * Reads the feeds and swaps them in: the table whole, or entry by entry
 * when the names are those served; a feed whose file did not change keeps
 * its entry.  On failure the feeds not yet read stay as they were; -1.
 */
int			 httpd_feeds_set(struct httpd_feeds *,
			     const struct httpd_feed *, size_t, char **);
/*
 * Queues feed name of token on the connection (200, or 304 when the
 * client has it) and sets *rc; 0 if no feed has that name and token.
 */
int			 httpd_feeds_serve(struct httpd_feeds *,
			     struct MHD_Connection *, const char *,
			     const char *, enum MHD_Result *);
/* 1 if an If-None-Match header value matches the quoted strong etag. */
int			 httpd_feeds_etag_match(const char *, const char *);
/* 1 if an Accept-Encoding header value takes gzip (q above 0). */
int			 httpd_feeds_accepts_gzip(const char *);

#endif
