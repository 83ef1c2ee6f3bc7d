#ifndef CONSOLE_H
#define CONSOLE_H

#include <stddef.h>
#include <time.h>

/*
 * The coordinator's console (/console/...) and the units' pages
 * (/unit/<token>), server-rendered HTML.  The HTTP server (httpd-links.c)
 * copies what a request carries into a struct console_request on its own
 * thread and runs console_handle() on its worker, which alone reads and
 * writes the store; the answer comes back as a struct console_response.
 *
 * Access: the console wants a session (console-auth.h), the unit pages a
 * signed unit token; every POST wants the CSRF token of the page it came
 * from, and an Origin header, when sent, must be the console's own.  GET
 * never writes.  A request refused for a bad secret (token, session,
 * login link, CSRF token) sets auth_failed, which the server counts
 * against the client's address (httpd-guard.h).
 */
struct calendar;
struct config;
struct console;
struct store;

#include "console-page.h"

/* The console on the worker's store; NULL when [console] is disabled. */
struct console	*console_new(const struct config *, const char *,
		     struct store *, struct calendar *);
void		 console_free(struct console *);	/* NULL is safe */
/* 1 if a path is the console's or a unit page's. */
int		 console_owns(const char *);
/* The cookie that holds a session: its name under this configuration. */
const char	*console_cookie_name(const struct console *);
/* Answers one request (on the worker). */
void		 console_handle(struct console *,
		     const struct console_request *, time_t,
		     struct console_response *);

#endif
