#ifndef HTTPD_H
#define HTTPD_H

#include <stddef.h>

#include "link.h"

/*
 * The built-in HTTP server (libmicrohttpd, one polling thread).
 * It serves the feeds the daemon wrote (httpd-feeds.h holds them), a
 * health document and the pages of completion links: it never builds a
 * path from a request, and only completion links reach the database.
 */
struct config;
struct httpd;
struct httpd_feed;

/* What a request path asks for. */
#define HTTPD_NAME_MAX	64
#define HTTPD_TOKEN_MAX	64
enum httpd_target {
	HTTPD_NOT_FOUND,
	HTTPD_FEED,
	HTTPD_HEALTH,
	HTTPD_DONE,		/* /done/<link token>: completion links */
	HTTPD_CONSOLE		/* /console..., /unit/<token>: console.h */
};
#define HTTPD_LINK_MAX	LINK_TOKEN_MAX
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
/* Serves these feeds from now on (httpd_feeds_set); 0 or -1 and *cause. */
int		 httpd_set_feeds(struct httpd *, const struct httpd_feed *,
		     size_t, char **);
void		 httpd_set_health(struct httpd *, const char *);
/* Parses a decoded path and ?kind= value (NULL: none) into *r. */
void		 httpd_route(const char *, const char *, struct httpd_route *);

#endif
