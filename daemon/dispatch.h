#ifndef DISPATCH_H
#define DISPATCH_H

#include <signal.h>
#include <time.h>

/*
 * Hands claimed outbox messages to their channels and records each result:
 * sent, retried with exponential backoff and jitter (or Retry-After), failed
 * for good, or dead once past its lifetime.
 */
struct config;
struct store;

struct dispatch_stats {
	int	sent;
	int	retried;
	int	failed;
	int	dead;
};

/*
 * Sends what is due at now; stops early when *stop becomes non-zero.  tick
 * (if not NULL) runs after every message, to keep a watchdog fed.
 */
int	dispatch_run(struct store *, const struct config *, time_t,
	    volatile sig_atomic_t *, void (*)(void), struct dispatch_stats *,
	    char **);
/*
 * Makes the messages that failed at rendering (the configuration: sender,
 * directory) due at now, after a reload; how many.
 */
int	dispatch_config_changed(struct store *, time_t);
/* Seconds to wait after n attempts failed (n >= 1), without jitter. */
long	dispatch_backoff(const struct config *, int);

#endif
