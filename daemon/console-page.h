#ifndef CONSOLE_PAGE_H
#define CONSOLE_PAGE_H

/*
 * A console request and its response as the HTTP server hands them over,
 * and what every page of the console and the unit page share below them
 * (console-page.c): fields, titles, forms, a failed read said on the page.
 */
#include <stddef.h>

struct console;

#define CONSOLE_FIELDS_MAX	32	/* query or form fields of a request */
#define CONSOLE_VALUE_MAX	8192	/* bytes of one value */

struct console_field {
	char	*name;
	char	*value;
};

struct console_request {
	int			 post;
	char			*path;
	struct console_field	 query[CONSOLE_FIELDS_MAX];
	size_t			 nquery;
	struct console_field	 form[CONSOLE_FIELDS_MAX];
	size_t			 nform;
	char			*cookie;	/* the session cookie, or NULL */
	char			*origin;	/* the Origin header, or NULL */
	char			 client[64];	/* the client's address */
};

struct console_response {
	int	 status;
	char	*body;
	char	*cookie;	/* a Set-Cookie value, or NULL */
	char	*location;	/* where a 303 goes, or NULL */
	int	 auth_failed;
};

/* The store changed on this connection: the next page checks the pages. */
void		 console_invalidate(struct console *);
/* Frees what a request or a response holds; both may be reused. */
void		 console_request_clear(struct console_request *);
void		 console_response_clear(struct console_response *);
/* The value of a query or form field, or NULL. */
const char	*console_field(const struct console_field *, size_t,
		     const char *);
/* Adds a field (copied), unless full; 0 or -1. */
int		 console_field_add(struct console_field *, size_t *,
		     const char *, const char *, size_t);

#endif
