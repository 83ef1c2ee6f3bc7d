#ifndef LINK_PAGE_H
#define LINK_PAGE_H

#include <time.h>

/*
 * The pages behind completion links (link.h makes and verifies the
 * tokens).  Both handlers are pure: the HTTP server passes the link key,
 * the token, the form fields and the time, and sends back *html (caller
 * frees) with the HTTP *status.
 */
struct calendar;
struct store;

#define LINK_PAGE_SNOOZE_DEFAULT	3
#define LINK_PAGE_SNOOZE_MAX		30

/* GET: the confirmation page; changes nothing.  0 if status is 200. */
int	 link_page_show(struct store *, const char *, const char *, time_t,
	    char **, int *);
/* The 503 page: the database is busy, try again in a few minutes. */
int	 link_page_busy(char **, int *);
/* POST: verifies and applies the action.  0 if status is 200. */
int	 link_page_apply(struct store *, struct calendar *, const char *,
	    const char *, const char *, int, time_t, char **, int *);
/* The same, recording where the request came from (an address). */
int	 link_page_apply_from(struct store *, struct calendar *, const char *,
	    const char *, const char *, int, time_t, const char *, char **,
	    int *);

#endif
