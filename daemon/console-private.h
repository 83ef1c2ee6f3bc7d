#ifndef CONSOLE_PRIVATE_H
#define CONSOLE_PRIVATE_H

/* Shared by console.c, console-pages.c, console-occ.c and unit-page.c. */
#include <stdint.h>

#include "console.h"
#include "console-auth.h"
#include "date.h"
#include "xmalloc.h"

#define CONSOLE_CACHE_SLOTS	32

/*
 * What a kept page was made from (console-pages.c): the overview's rows
 * per unit, the overdue page's occurrences; brought up to date after a
 * write that touched a few units instead of read again whole.
 */
struct console_kept;

/* The occurrences a write changed, by (unit, task), sorted, distinct. */
struct console_change {
	int64_t	unit;
	int64_t	task;
};
struct console_changes {
	int			 all;	/* everything may have changed */
	struct console_change	*v;
	size_t			 n;
	int64_t			*units;	/* their units, sorted, distinct */
	size_t			 nunits;
};

/*
 * A rendered <main> of a page that carries no form, by request, and what
 * it was made from if it can be brought up to date (html NULL: to be
 * patched with the changes pending and rendered again from kept).
 */
struct console_cache_entry {
	char			*key;
	char			*html;
	struct console_kept	*kept;
	struct console_changes	 pending;	/* since, for kept */
	const char		*nav;		/* the page's section */
	unsigned		 stamp;		/* when kept, for the oldest */
};


struct console {
	char			*key;
	struct store		*store;		/* the worker's */
	struct calendar		*cal;
	char			*base_url;
	char			*origin;	/* scheme://host[:port] */
	int			 secure;	/* base_url is https */
	int			 session_hours;
	int			 link_days;
	char			*coordinator;
	int			 data_version;
	int			 dirty;		/* this connection wrote */
	int64_t			 changes_seq;	/* the change log read to */
	date_t			 cache_day;
	struct console_cache_entry cache[CONSOLE_CACHE_SLOTS];
	unsigned		 cache_next;
};

/* One page being made. */
struct console_page {
	struct console			*c;
	const struct console_request	*req;
	time_t				 now;
	date_t				 today;
	const char			*user;	/* the signed-in coordinator */
	char				 csrf[CONSOLE_AUTH_CSRF_LEN + 1];
	struct buf			 main;	/* what goes in <main> */
	char				*title;
	const char			*nav;	/* the section it is in */
	int				 status;
	int				 cacheable;
	struct console_kept		*kept;	/* what it was made from */
};

/* console-pages.c: the coordinator's pages (GET). */
void	 console_page_overview(struct console_page *);
void	 console_page_overdue(struct console_page *);
void	 console_page_month(struct console_page *);
void	 console_page_task(struct console_page *, int64_t);
void	 console_page_unit(struct console_page *, const char *);
void	 console_page_requests(struct console_page *);
/* console-occ.c: one occurrence, its history and its forms. */
void	 console_page_occ(struct console_page *, int64_t);
/* Appends the status tag of an occurrence ("Quá hạn", "Đã xong"...). */
void	 console_status_tag(struct buf *, const char *, date_t, date_t,
	    date_t, const char *);
/* Appends the history of a task or an occurrence (the other 0). */
void	 console_history(struct console_page *, int64_t, int64_t);
/* Appends the approve and decline forms of a pending request. */
void	 console_request_forms(struct console_page *, int64_t);
/* Appends a query string: "?" and name=value pairs whose value is set. */
void	 console_query(struct buf *, const char *const *, size_t);

/* Frees what a page was made from; NULL is nothing. */
void	 console_kept_free(struct console_kept *);
/*
 * Brings what a page was made from up to date with changes (not "all");
 * 0, or -1 and *cause: the page is to be made again from scratch.
 */
int	 console_kept_patch(struct console *, struct console_kept *,
	    const struct console_changes *, char **);

/* console-page.c: for the pages. */

/* Forgets every rendered page. */
void	 console_cache_clear(struct console *);
/* Orders struct console_change by unit, then task. */
int	 console_change_cmp(const void *, const void *);

/* The value of a query field of the page's request, or NULL. */
const char *console_arg(const struct console_page *, const char *);
/* A read of the store failed: logs and frees cause, says so, 500. */
void	 console_read_failed(struct console_page *, char *);
/* Appends a row of a description table, skipped when empty. */
void	 console_field_row(struct buf *, const char *, const char *);
/* Sets the page's title (copied). */
void	 console_title(struct console_page *, const char *);
/* Starts a form of an action: hidden csrf, op, occurrence, version. */
void	 console_form_begin(struct console_page *, const char *, int64_t,
	    int64_t);
/* The path of the page being shown, with its query (for "back"). */
char	*console_here(const struct console_page *);

/* unit-page.c: /unit/<token>. */
void	 unit_page_handle(struct console *, const struct console_request *,
	    time_t, struct console_response *);

#endif
