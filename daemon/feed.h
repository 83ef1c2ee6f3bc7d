#ifndef FEED_H
#define FEED_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "date.h"
#include "ics.h"

/*
 * Calendar feeds built from the store: one per unit, one per group (its
 * members' occurrences) and "all".  Each task x unit is one event: a
 * one-off task an all-day VEVENT on its effective date, a recurring task
 * one VEVENT with the scheduler's RRULE and RECURRENCE-ID overrides for
 * the instances that moved, are done or are overdue.  ics.c renders them.
 */
struct config;
struct store;

#define FEED_ALL	"all"

/* A feed file: "noivu" (noivu.ics) or "noivu-todo", its token and path. */
struct feed_file {
	char	*name;
	char	*token;
	char	*path;
};

struct feed_stats {
	int			 feeds;		/* names */
	int			 written;	/* files rewritten */
	int			 unchanged;	/* files left as they were */
	int			 kept;		/* of those, not rendered: none
						   of their units changed */
	struct feed_file	*files;		/* what to serve; owned */
	size_t			 nfiles;
};

/*
 * Renders feed name ("all", a unit or a group code) as of today, stamped
 * dtstamp; *out (caller frees) and *len, or -1 and *cause.
 */
int	 feed_render(struct store *, const struct config *, const char *, int,
	    time_t, date_t, char **, size_t *, char **);
/* The same, streamed to a sink (see ics.h) in bounded memory. */
int	 feed_render_to(struct store *, const struct config *, const char *,
	    int, time_t, date_t, ics_sink, void *, char **);
/*
 * Writes every feed into cf->feeds_dir (temp file, fsync, rename), only
 * where the content changed, and gives each feed a token; 0 or -1.
 * keepalive (or NULL) is called after each file: the systemd watchdog.
 */
int	 feed_write_all(struct store *, const struct config *, time_t,
	    void (*)(void), struct feed_stats *, char **);
/*
 * The units whose occurrences changed since the feed files were written,
 * read from the change log (store_changes_since with feed_units_add), or
 * all: "everything" changed.
 */
struct feed_units {
	int64_t	*v;
	size_t	 n;
	size_t	 size;
	int	 all;
};
/* A store_change_cb: adds the unit, or sets all (and stops) for (0, 0). */
int	 feed_units_add(int64_t, int64_t, void *);
void	 feed_units_clear(struct feed_units *);
/*
 * feed_write_all for a pass that knows what changed: the feeds that show
 * a unit of u (its own, its groups', "all") are rendered as there, every
 * other file is kept unread.  A file missing is rendered; u->all is
 * feed_write_all.  The files of every feed are in *st as there.
 */
int	 feed_write_changed(struct store *, const struct config *, time_t,
	    const struct feed_units *, void (*)(void), struct feed_stats *,
	    char **);
/*
 * What the files depend on besides the data, as a SHA-256 in hex: the
 * day, the folder, feed_settings(), the UIDs' domain and the link key's
 * bytes.  Files written under another signature are all rendered again.
 * Caller frees; NULL and *cause.
 */
char	*feed_signature(struct store *, const struct config *, date_t,
	    char **);
void	 feed_stats_clear(struct feed_stats *);
/*
 * The settings a feed's text depends on, as one line: a pass that keeps
 * the feeds of unchanged data (deadlined --once) compares it too, so that
 * a changed setting rewrites them.  Caller frees.
 */
char	*feed_settings(const struct config *);
/*
 * A feed's token, made when missing or when rotate; caller frees.  The
 * domain of the UIDs is chosen and recorded before the first token.
 */
char	*feed_token(struct store *, const struct config *, const char *, int,
	    char **);
/*
 * Calls fn with "all" and every active unit and group code, in order;
 * fn's result, or -1 and *cause if the codes cannot be read.
 */
int	 feed_names(struct store *, int (*)(const char *, void *), void *,
	    char **);

#endif
