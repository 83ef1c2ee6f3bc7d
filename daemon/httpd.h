#ifndef HTTPD_H
#define HTTPD_H

#include <stddef.h>
#include <time.h>

/*
 * The built-in HTTP server (libmicrohttpd, one polling thread).
 * It serves the feeds the daemon wrote, from an in-memory copy swapped
 * whole under a mutex, gzipped once for the clients that accept it, and a
 * health document: it never builds a path from a request, and only
 * completion links reach the database.
 */
struct config;
struct httpd;

/* One served feed: "noivu" (noivu.ics) or "noivu-todo" (?kind=todo). */
struct httpd_feed {
	const char	*name;
	const char	*token;
	const char	*path;		/* read when set, unless data */
	const char	*data;		/* NULL: read path */
	size_t		 len;
	time_t		 mtime;		/* with data: its Last-Modified */
};

/* What a request path asks for. */
#define HTTPD_NAME_MAX	64
#define HTTPD_TOKEN_MAX	64
enum httpd_target {
	HTTPD_NOT_FOUND,
	HTTPD_FEED,
	HTTPD_HEALTH,
	HTTPD_DONE		/* /done/<link token>: completion links */
};
#define HTTPD_LINK_MAX	512
struct httpd_route {
	enum httpd_target	target;
	char			token[HTTPD_TOKEN_MAX + 1];
	char			name[HTTPD_NAME_MAX + 1];	/* -todo added */
	char			link[HTTPD_LINK_MAX + 1];
};

/* Binds cf->http_listen and starts the thread; NULL and *cause. */
struct httpd	*httpd_start(const struct config *, char **);
void		 httpd_stop(struct httpd *);	/* NULL is safe */
int		 httpd_port(struct httpd *);	/* the bound port */
/*
 * Reads the feeds and swaps them in: the table whole, or entry by entry
 * when the names are those served; a feed whose file did not change keeps
 * its entry.  On failure the feeds not yet read stay as they were; -1.
 */
int		 httpd_set_feeds(struct httpd *, const struct httpd_feed *,
		     size_t, char **);
void		 httpd_set_health(struct httpd *, const char *);
/* Parses a decoded path and ?kind= value (NULL: none) into *r. */
void		 httpd_route(const char *, const char *, struct httpd_route *);
/* 1 if an If-None-Match header value matches the quoted strong etag. */
int		 httpd_etag_match(const char *, const char *);
/* 1 if an Accept-Encoding header value takes gzip (q above 0). */
int		 httpd_accepts_gzip(const char *);

#endif
