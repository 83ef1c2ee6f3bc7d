#ifndef HTTPD_WORK_H
#define HTTPD_WORK_H

#include <microhttpd.h>

/*
 * A worker thread for the requests that reach the database (completion
 * links), so that the server's thread, which serves the feeds, never
 * waits on SQLite: a writer holding the lock delays those requests, not
 * the feeds.  The request's connection is suspended while its job waits
 * and runs, and resumed when it is done; libmicrohttpd then calls the
 * access handler again, which answers from what the job left.
 */
struct httpd_work;

#define HTTPD_WORK_QUEUED	0
#define HTTPD_WORK_DONE		1	/* the job ran */
#define HTTPD_WORK_DROPPED	2	/* it did not: the server stops */

/* Starts the thread; NULL and *cause. */
struct httpd_work	*httpd_work_new(char **);
/*
 * Ends the thread once its job in hand is done: the jobs still waiting
 * are dropped and their connections resumed (libmicrohttpd refuses to
 * stop with a connection suspended).  Later jobs are refused.
 */
void			 httpd_work_stop(struct httpd_work *);
/* Stops the worker if running and frees it; NULL is safe. */
void			 httpd_work_free(struct httpd_work *);
/*
 * Suspends the connection and queues fn(arg) on the worker, which sets
 * *state to HTTPD_WORK_DONE or HTTPD_WORK_DROPPED, then resumes the
 * connection; nothing of arg or state is touched after that.  -1 (and
 * nothing queued) when too many jobs wait or the worker stops.
 */
int			 httpd_work_queue(struct httpd_work *,
			     struct MHD_Connection *, void (*)(void *),
			     void *, volatile int *);

#endif
