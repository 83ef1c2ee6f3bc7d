#ifndef DAEMON_H
#define DAEMON_H

#include <signal.h>
#include <stdint.h>
#include <time.h>

#include "date.h"

/* The service's state and its one pass: schedule, plan, dispatch. */
struct calendar;
struct config;
struct dispatch;
struct httpd;
struct store;
struct units;

struct daemon {
	const char		*config_path;
	struct config		*cf;
	struct store		*store;
	struct units		*units;
	struct calendar		*calendar;
	volatile sig_atomic_t	 quit;
	volatile sig_atomic_t	 reload;
	volatile sig_atomic_t	 interrupted;	/* quit or reload: end the pass */
	/* Feeds the watchdog and reads signals; runs between messages. */
	void			(*keepalive)(void);
	int			 failed;
	int			 once;		/* one pass: no HTTP server */
	int			 data_version;
	date_t			 scheduled_day;	/* DATE_NONE: schedule all */
	int64_t			 scheduled_seq;	/* the change log's then */
	time_t			 due;		/* next send, retry or midnight */
	time_t			 recorded;	/* last heartbeat in the store */
	int			 watch_fd;	/* inotify on the database, or -1 */
	struct httpd		*httpd;		/* NULL: [http] disabled */
	struct dispatch		*dispatch;	/* what the store owes */
	int			 lock_fd;	/* one daemon per database */
	int			 units_pending;	/* not synced at start (a lock) */
	int			 pass_faulted;	/* the store failed this pass */
	int			 faults;	/* passes failed in a row */
	time_t			 fault_since;
	time_t			 backoff_until;	/* no pass before, after faults */
	int			 feeds_version;
	date_t			 feeds_day;
	/*
	 * What the feed files show: the signature of what they depend on
	 * besides the data (feed_signature) and the change log's number
	 * when they were written; NULL: not known, every feed is rendered.
	 */
	char			*feeds_signature;
	int64_t			 feeds_seq;
};

/*
 * Loads everything or dies with a clear message (start-up), among them
 * another deadlined already running on the same database.
 */
void	daemon_start(struct daemon *, const char *);
/* Starts the HTTP server, once the clock is set (requests read it). */
void	daemon_listen(struct daemon *);
/* Watches the database's folder; the fd wakes the loop on writes, or -1. */
int	daemon_watch(struct daemon *);
/* Reads pending watch events (the loop then runs a pass). */
void	daemon_watch_drain(struct daemon *);
/* Re-reads config, units and calendar into copies; swaps only if valid. */
int	daemon_reload(struct daemon *);
/*
 * One pass; returns the time of the next thing to do.  A signal ends it
 * between two stages or two messages.  When the store fails, passes back
 * off (1 s, doubling up to 5 minutes) and the failure is logged once.
 */
time_t	daemon_pass(struct daemon *);
/* Frees everything; d->failed is read before (it clears the struct). */
void	daemon_stop(struct daemon *);

#endif
