#ifndef DISPATCH_H
#define DISPATCH_H

#include <signal.h>
#include <stddef.h>
#include <time.h>

/*
 * Hands claimed outbox messages to their channels and records each result:
 * sent, retried with exponential backoff and jitter (or Retry-After), failed
 * for good, or dead once past its lifetime.
 *
 * A message is sent at most once per claim.  When the store cannot take a
 * result (a full disk, a lock held past the busy timeout) the pass sends
 * nothing more: the result is kept here and recorded first thing at the
 * next pass, and the messages claimed but not tried are given back then, so
 * nothing is sent twice by this process.  A destination that fails on the
 * way (no connection, a timeout, a full spool) is not tried again in the
 * same pass: its other messages wait, their attempts not counted.
 */
struct config;
struct dispatch;
struct store;

struct dispatch_stats {
	int	sent;
	int	retried;
	int	failed;
	int	dead;
	int	deferred;	/* not tried: their destination failed */
	int	unrecorded;	/* results and give-backs the store owes */
};

struct dispatch	*dispatch_create(void);
/*
 * Records what the store still owes (a last try); logs what it could not
 * take, then frees.  NULL is fine.
 */
void	dispatch_free(struct dispatch *, struct store *);
/*
 * Sends what is due at now; stops early when *stop becomes non-zero, after
 * the message in flight.  tick (if not NULL) runs before and after every
 * message: it feeds a watchdog and reads signals into *stop.  0, or -1 and
 * *cause when the store failed (the caller backs off).
 */
int	dispatch_run(struct dispatch *, struct store *, const struct config *,
	    time_t, volatile sig_atomic_t *, void (*)(void),
	    struct dispatch_stats *, char **);
/*
 * Makes the messages that failed at rendering (the configuration: sender,
 * directory) due at now, after a reload; how many.
 */
int	dispatch_config_changed(struct store *, time_t);

#endif
