#ifndef TRANSPORT_H
#define TRANSPORT_H

#include <stddef.h>

#include <curl/curl.h>

/*
 * What the two libcurl channels (smtp.c, webhook.c) share: the options of
 * a session's handle, which bound every step of a transfer, and the reading
 * of its outcome and of the server's text.
 */
struct transport_config {
	long		 connect_timeout;	/* seconds */
	long		 timeout;		/* seconds, per message */
	const char	*ca_file;		/* NULL: system CAs */
};

/*
 * Sets the options every transfer of a session shares: no signals, no
 * proxy to the loopback, TLS 1.2 or later with certificates checked, and a
 * bound on each wait (connection, whole transfer, a stalled transfer, each
 * reply of the server, the QUIT of a connection closed at clean-up).  0 or
 * -1 if libcurl refuses one.
 */
int	 transport_setup(CURL *, const struct transport_config *, char *);
/*
 * 1 if a transfer ending in rc failed on the way to the server (no
 * connection, a timeout, a connection lost, TLS or login refused) rather
 * than on the message:
 * the next message would fare the same.
 */
int	 transport_unreachable(CURLcode);
/* Shuts a failed connection so that closing it does not wait for QUIT. */
void	 transport_drop(CURL *);
/* 1 if a host (as libcurl's URL parser gives it) is the loopback. */
int	 transport_is_loopback(const char *, int);
/* Copies a line of outside text without CR LF, control characters '?'. */
void	 transport_copy_line(char *, size_t, const char *, size_t);

#endif
