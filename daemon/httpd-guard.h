#ifndef HTTPD_GUARD_H
#define HTTPD_GUARD_H

#include <microhttpd.h>

/*
 * What keeps the HTTP server from being starved (httpd.c installs it):
 * a whole-request deadline and per-address connection limits.
 *
 * libmicrohttpd's own timeout is an idle timeout, reset by every byte, so
 * a client that drips a byte every few seconds could hold a connection
 * for ever.  Here each connection has a deadline: its request must have
 * arrived whole within [http] timeout seconds of the connection, or of
 * the previous response on it.  A thread of the guard shuts down the
 * socket of a request past its deadline; libmicrohttpd then closes it.
 *
 * Each address may hold half of max_connections.  A trusted proxy
 * ([http] trusted_proxies) is not counted by its own address: each of
 * its requests is counted against the client that X-Forwarded-For names
 * (the rightmost address there that is not a trusted proxy), so clients
 * behind a reverse proxy on 127.0.0.1 do not share one limit.  The header
 * is ignored from any other peer.
 */
struct config;
struct config_ip;
struct httpd_guard;

/* Starts the guard's thread; NULL and *cause. */
struct httpd_guard	*httpd_guard_new(const struct config *, char **);
void			 httpd_guard_free(struct httpd_guard *); /* NULL ok */
/* libmicrohttpd's accept policy: MHD_NO past the limit of an address. */
enum MHD_Result		 httpd_guard_accept(void *, const struct sockaddr *,
			     socklen_t);
/* libmicrohttpd's connection notifier: counts and arms the deadline. */
void			 httpd_guard_notify(void *, struct MHD_Connection *,
			     void **, enum MHD_ConnectionNotificationCode);
/*
 * A request's headers are in: counts it against its forwarded client;
 * 0 if that client has too many requests running (answer 429).
 */
int			 httpd_guard_admit(struct httpd_guard *,
			     struct MHD_Connection *);
/* The request has arrived whole: its deadline is met. */
void			 httpd_guard_arrived(struct httpd_guard *,
			     struct MHD_Connection *);
/* The request is over: uncounts it, and the next one's deadline runs. */
void			 httpd_guard_completed(struct httpd_guard *,
			     struct MHD_Connection *);
/*
 * Guessing secrets (link tokens, sessions, login links, CSRF tokens): a
 * client whose requests failed GUARD_FAIL_MAX times within the last
 * GUARD_FAIL_WINDOW seconds is refused (429) on those pages until the
 * window has passed.  Counted by the forwarded client as above.
 */
#define GUARD_FAIL_MAX		20
#define GUARD_FAIL_WINDOW	600
/* 1 if the request's client failed too often lately. */
int			 httpd_guard_refused(struct httpd_guard *,
			     struct MHD_Connection *);
/* Counts a request refused for a bad secret against its client. */
void			 httpd_guard_failed(struct httpd_guard *,
			     struct MHD_Connection *);
/* The request's client (forwarded, else the peer) as text. */
void			 httpd_guard_client(struct httpd_guard *,
			     struct MHD_Connection *, char *, size_t);
/* Connections cut at their deadline so far. */
unsigned		 httpd_guard_cut(struct httpd_guard *);
/*
 * The client of an X-Forwarded-For value sent by a trusted proxy: the
 * rightmost address that is not one of the proxies; 0, or -1 if none
 * can be read.
 */
int			 httpd_guard_forwarded(const char *,
			     const struct config_ip *, int, struct config_ip *);

#endif
