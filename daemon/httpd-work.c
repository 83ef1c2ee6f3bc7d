/*
 * The worker of the HTTP server (see httpd-work.h): one thread, a queue
 * of jobs, each holding a suspended connection.  A connection is resumed
 * only after its job's results are written, and libmicrohttpd takes its
 * own lock to resume it, so the server's thread sees those results when
 * it calls the access handler again.  libmicrohttpd refuses to stop with
 * a connection suspended: the server stops the worker first, which
 * resumes them all.
 */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "httpd-work.h"
#include "xmalloc.h"

#define HTTPD_WORK_MAX	64	/* jobs waiting; more are refused (503) */

/* One request waiting for the worker. */
struct work_job {
	struct MHD_Connection	*c;
	void			(*fn)(void *);
	void			*arg;
	volatile int		*state;
	struct work_job		*next;
};

struct httpd_work {
	pthread_mutex_t		 lock;
	pthread_cond_t		 wake;
	pthread_t		 thread;
	int			 stopping;
	struct work_job		*head, *tail;
	int			 waiting;
};

/* Runs or drops a job, then gives its connection back to the server. */
static void
work_finish(struct work_job *j, int run)
{
	if (run)
		j->fn(j->arg);
	*j->state = run ? HTTPD_WORK_DONE : HTTPD_WORK_DROPPED;
	MHD_resume_connection(j->c);
	free(j);
}

/* The worker's loop: a job at a time, in the order they came. */
static void *
work_loop(void *arg)
{
	struct httpd_work	*w = arg;
	struct work_job		*j;
	int			 run;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (w->head == NULL && !w->stopping)
			pthread_cond_wait(&w->wake, &w->lock);
		if ((j = w->head) == NULL)
			break;
		if ((w->head = j->next) == NULL)
			w->tail = NULL;
		w->waiting--;
		run = !w->stopping;
		pthread_mutex_unlock(&w->lock);
		work_finish(j, run);
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	return (NULL);
}

struct httpd_work *
httpd_work_new(char **cause)
{
	struct httpd_work	*w;
	sigset_t		 all, saved;
	int			 error;

	w = xcalloc(1, sizeof *w);
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	/* The worker takes no signal: the main loop handles them. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &saved);
	error = pthread_create(&w->thread, NULL, work_loop, w);
	pthread_sigmask(SIG_SETMASK, &saved, NULL);
	if (error != 0) {
		xasprintf(cause, "http: cannot start a thread: %s",
		    strerror(error));
		pthread_cond_destroy(&w->wake);
		pthread_mutex_destroy(&w->lock);
		free(w);
		return (NULL);
	}
	return (w);
}

void
httpd_work_stop(struct httpd_work *w)
{
	int	joined;

	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	joined = w->stopping;
	w->stopping = 1;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	if (!joined)
		pthread_join(w->thread, NULL);
}

void
httpd_work_free(struct httpd_work *w)
{
	if (w == NULL)
		return;
	httpd_work_stop(w);
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

int
httpd_work_queue(struct httpd_work *w, struct MHD_Connection *c,
    void (*fn)(void *), void *arg, volatile int *state)
{
	struct work_job	*j;

	pthread_mutex_lock(&w->lock);
	if (w->stopping || w->waiting >= HTTPD_WORK_MAX) {
		pthread_mutex_unlock(&w->lock);
		return (-1);
	}
	j = xcalloc(1, sizeof *j);
	j->c = c;
	j->fn = fn;
	j->arg = arg;
	j->state = state;
	*state = HTTPD_WORK_QUEUED;
	/* Suspended before the worker can resume it. */
	MHD_suspend_connection(c);
	if (w->tail != NULL)
		w->tail->next = j;
	else
		w->head = j;
	w->tail = j;
	w->waiting++;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	return (0);
}
