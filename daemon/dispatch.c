/* The outbox dispatcher: claim a batch, send outside the transaction, record. */
#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "channel.h"
#include "compose.h"
#include "config.h"
#include "dispatch.h"
#include "log.h"
#include "store.h"
#include "xmalloc.h"

#define DISPATCH_CHANNELS	3
#define DISPATCH_DEST_SIZE	320
/* The detail of a message held back by a rendering failure. */
#define DISPATCH_RENDERING	"rendering: "

/* An outcome the store could not take yet; its strings are owned. */
struct dispatch_owed {
	struct store_outbox_outcome	 o;
	char				*key;
};

/* What outlives a pass: what the store still owes. */
struct dispatch {
	struct dispatch_owed	*owed;
	size_t			 nowed;
	int64_t			*unsent;	/* claimed, never tried */
	size_t			 nunsent;
};

struct dispatch_session {
	const struct channel	*channel;
	void			*handle;
	int			 failed;	/* open failed this pass */
	char			*open_error;
};

/* A destination that failed in this pass, and when to try it again. */
struct dispatch_trip {
	char	 name[DISPATCH_DEST_SIZE];
	time_t	 next;
	char	 why[DISPATCH_DEST_SIZE + 512 + 64];
};

/*
 * A claimed message given back untried: because its destination failed
 * (trip, an index into the pass's trips) or the pass ended (trip -1: due
 * again as it was).
 */
struct dispatch_giveback {
	int64_t	 id;
	ssize_t	 trip;
};

struct dispatch_batch {
	struct dispatch		*dp;
	struct store		*store;
	const struct config	*cf;
	time_t			 now;
	volatile sig_atomic_t	*stop;
	void			(*tick)(void);
	struct dispatch_stats	*stats;
	struct dispatch_session	 sessions[DISPATCH_CHANNELS];
	struct dispatch_trip	*trips;
	size_t			 ntrips;
	struct dispatch_giveback *giveback;
	size_t			 ngiveback;
	struct timespec		 started;	/* the pass, monotonic */
	struct timespec		 renewed;	/* the batch's lease */
	char			*link_key;	/* NULL: no completion links */
	int			 link_read;
	int			 broken;	/* the store failed: stop */
	char			*cause;		/* why */
	int			 rendered;	/* this message, just now */
};

/* Seconds to wait after n attempts failed (n >= 1), without jitter. */
static long
dispatch_backoff(const struct config *cf, int attempt)
{
	long	delay = cf->backoff_base;
	int	i;

	for (i = 1; i < attempt && delay < cf->backoff_max; i++)
		delay *= 2;
	return (delay > cf->backoff_max ? cf->backoff_max : delay);
}

struct dispatch *
dispatch_create(void)
{
	return (xcalloc(1, sizeof (struct dispatch)));
}

/* Frees an owed outcome's strings. */
static void
dispatch_owed_clear(struct dispatch_owed *w)
{
	free((char *)w->o.state);
	free((char *)w->o.detail);
	free((char *)w->o.subject);
	free((char *)w->o.body);
	free(w->key);
}

/* Keeps an outcome the store did not take, to record at the next pass. */
static void
dispatch_owe(struct dispatch *dp, const struct store_outbox_outcome *o,
    const char *key)
{
	struct dispatch_owed	*w;

	dp->owed = xreallocarray(dp->owed, dp->nowed + 1, sizeof *dp->owed);
	w = &dp->owed[dp->nowed++];
	w->o = *o;
	w->o.state = xstrdup(o->state);
	w->o.detail = o->detail != NULL ? xstrdup(o->detail) : NULL;
	w->o.subject = o->subject != NULL ? xstrdup(o->subject) : NULL;
	w->o.body = o->body != NULL ? xstrdup(o->body) : NULL;
	w->key = xstrdup(key);
}

/* Keeps the id of a claimed message to give back at the next pass. */
static void
dispatch_owe_unsent(struct dispatch *dp, int64_t id)
{
	dp->unsent = xreallocarray(dp->unsent, dp->nunsent + 1,
	    sizeof *dp->unsent);
	dp->unsent[dp->nunsent++] = id;
}

/*
 * Records what the store owes from earlier passes, outcomes first (in the
 * order they happened), then gives back what was never tried.
 */
static int
dispatch_flush(struct dispatch *dp, struct store *s, char **cause)
{
	size_t	done;

	for (done = 0; done < dp->nowed; done++) {
		if (store_outbox_record(s, &dp->owed[done].o, cause) != 0)
			break;
		dispatch_owed_clear(&dp->owed[done]);
	}
	if (done > 0) {
		memmove(dp->owed, dp->owed + done, (dp->nowed - done) *
		    sizeof *dp->owed);
		dp->nowed -= done;
	}
	if (dp->nowed > 0)
		return (-1);
	if (store_outbox_release(s, dp->unsent, dp->nunsent, 0, NULL,
	    cause) != 0)
		return (-1);
	dp->nunsent = 0;
	return (0);
}

void
dispatch_free(struct dispatch *dp, struct store *s)
{
	size_t	 i;
	char	*cause = NULL;

	if (dp == NULL)
		return;
	if (s != NULL && (dp->nowed > 0 || dp->nunsent > 0) &&
	    dispatch_flush(dp, s, &cause) != 0) {
		log_warnx("%zu delivery results and %zu untried messages could "
		    "not be recorded (%s): those messages go out again once "
		    "their lease ends, with the same Message-ID or webhook-id",
		    dp->nowed, dp->nunsent, cause);
		for (i = 0; i < dp->nowed; i++)
			log_warnx("not recorded: %s %s", dp->owed[i].key,
			    dp->owed[i].o.state);
		free(cause);
	}
	for (i = 0; i < dp->nowed; i++)
		dispatch_owed_clear(&dp->owed[i]);
	free(dp->owed);
	free(dp->unsent);
	free(dp);
}

/* Seconds since a monotonic instant. */
static double
dispatch_elapsed(const struct timespec *since)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)(ts.tv_sec - since->tv_sec) +
	    (double)(ts.tv_nsec - since->tv_nsec) / 1e9);
}

/* The end of a lease taken now: the pass's clock plus its time so far. */
static time_t
dispatch_lease_until(struct dispatch_batch *b)
{
	return (b->now + (time_t)dispatch_elapsed(&b->started) +
	    b->cf->lease_seconds);
}

/* Stops the pass on a store failure; the first cause is kept. */
static void
dispatch_break(struct dispatch_batch *b, char *cause)
{
	if (!b->broken) {
		b->broken = 1;
		b->cause = cause;
	} else
		free(cause);
}

/* The session of a channel, opened on first use in this pass. */
static struct dispatch_session *
dispatch_session(struct dispatch_batch *b, const struct channel *ch)
{
	struct dispatch_session	*ss;
	size_t			 i;

	for (i = 0; i < DISPATCH_CHANNELS; i++) {
		ss = &b->sessions[i];
		if (ss->channel == ch)
			return (ss);
		if (ss->channel == NULL)
			break;
	}
	if (i == DISPATCH_CHANNELS)
		return (NULL);
	ss->channel = ch;
	ss->handle = ch->open(b->cf, &ss->open_error);
	ss->failed = ss->handle == NULL;
	if (ss->failed)
		log_warnx("channel %s: %s", ch->name, ss->open_error);
	return (ss);
}

/* The name a message's destination is known by in this pass. */
static void
dispatch_destination(const struct channel *ch, const struct store_outbox *m,
    char *buf, size_t size)
{
	size_t	len;

	len = (size_t)snprintf(buf, size, "%s", m->channel);
	if (ch != NULL && ch->destination != NULL && len + 1 < size) {
		buf[len++] = ' ';
		ch->destination(m, buf + len, size - len);
	}
}

/* The trip of a destination, or NULL if it has not failed in this pass. */
static struct dispatch_trip *
dispatch_tripped(struct dispatch_batch *b, const char *dest)
{
	size_t	i;

	for (i = 0; i < b->ntrips; i++)
		if (strcmp(b->trips[i].name, dest) == 0)
			return (&b->trips[i]);
	return (NULL);
}

/* Notes that a destination failed; its other messages wait until next. */
static void
dispatch_trip(struct dispatch_batch *b, const char *dest, time_t next,
    const char *detail)
{
	struct dispatch_trip	*t;

	if (dispatch_tripped(b, dest) != NULL)
		return;
	b->trips = xreallocarray(b->trips, b->ntrips + 1, sizeof *b->trips);
	t = &b->trips[b->ntrips++];
	snprintf(t->name, sizeof t->name, "%s", dest);
	t->next = next;
	snprintf(t->why, sizeof t->why, "not tried: %s failed earlier in "
	    "the pass (%s)", dest, detail);
	log_warnx("%s: %s; not tried again in this pass", dest, detail);
}

/* Gives a claimed message back at the end of the batch, untried. */
static void
dispatch_give_back(struct dispatch_batch *b, int64_t id, ssize_t trip)
{
	b->giveback = xreallocarray(b->giveback, b->ngiveback + 1,
	    sizeof *b->giveback);
	b->giveback[b->ngiveback].id = id;
	b->giveback[b->ngiveback++].trip = trip;
}

/* Orders give-backs by the trip they wait for. */
static int
dispatch_giveback_order(const void *a, const void *b)
{
	const struct dispatch_giveback	*x = a, *y = b;

	return (x->trip < y->trip ? -1 : x->trip > y->trip);
}

/*
 * Gives back what the batch did not try, one transaction per trip; on a
 * store failure the ids are kept for the next pass (then due at once).
 */
static void
dispatch_give_back_all(struct dispatch_batch *b)
{
	const struct dispatch_trip	*t;
	int64_t				*ids;
	size_t				 i, j, k;
	char				*cause = NULL;

	if (b->ngiveback == 0)
		return;
	qsort(b->giveback, b->ngiveback, sizeof *b->giveback,
	    dispatch_giveback_order);
	ids = xcalloc(b->ngiveback + 1, sizeof *ids);
	for (i = 0; i < b->ngiveback; i = j) {
		for (j = i, k = 0; j < b->ngiveback &&
		    b->giveback[j].trip == b->giveback[i].trip; j++)
			ids[k++] = b->giveback[j].id;
		t = b->giveback[i].trip < 0 ? NULL :
		    &b->trips[b->giveback[i].trip];
		if (b->broken || store_outbox_release(b->store, ids, k,
		    t != NULL ? t->next : 0, t != NULL ? t->why : NULL,
		    &cause) != 0) {
			if (cause != NULL)
				dispatch_break(b, cause);
			cause = NULL;
			for (k = i; k < j; k++)
				dispatch_owe_unsent(b->dp, b->giveback[k].id);
		}
	}
	free(ids);
	b->ngiveback = 0;
}

/* Disables a webhook endpoint that answered 410 Gone. */
static void
dispatch_disable(struct dispatch_batch *b, const struct store_outbox *m)
{
	char	*cause = NULL;

	log_warnx("unit %s: webhook %s answered 410 Gone; disabled until the "
	    "unit directory changes it", m->unit_code != NULL ? m->unit_code :
	    "?", m->recipient);
	if (m->unit_code == NULL)
		return;
	if (store_begin(b->store, &cause) != 0 ||
	    store_unit_disable_webhook(b->store, m->unit_code, &cause) != 0 ||
	    store_commit(b->store, &cause) != 0) {
		store_rollback(b->store);
		log_warnx("disabling webhook of %s: %s", m->unit_code, cause);
		free(cause);
	}
}

/*
 * Records an outcome; when the store cannot take it, keeps it for the next
 * pass and stops this one.
 */
static void
dispatch_store(struct dispatch_batch *b, const struct store_outbox *m,
    const struct store_outbox_outcome *o)
{
	char	*cause = NULL;

	if (store_outbox_record(b->store, o, &cause) == 0)
		return;
	dispatch_owe(b->dp, o, m->key);
	dispatch_break(b, cause);
}

/* The state and time of the next try after a temporary failure. */
static const char *
dispatch_retry_state(struct dispatch_batch *b, const struct store_outbox *m,
    const struct channel_result *r, time_t *next)
{
	long	delay, jitter;

	delay = dispatch_backoff(b->cf, m->attempts + 1);
	jitter = delay / 5 > 0 ? random() % (delay / 5 + 1) : 0;
	delay += jitter;
	if (r->retry_after > delay)
		delay = r->retry_after;
	*next = b->now + delay;
	if (*next > m->expires_at) {
		b->stats->dead++;
		return ("dead");
	}
	b->stats->retried++;
	return ("pending");
}

/* Records the outcome of one attempt; returns the time of the next one. */
static time_t
dispatch_record(struct dispatch_batch *b, const struct store_outbox *m,
    const struct channel_result *r, int tried)
{
	struct store_outbox_outcome	o;

	memset(&o, 0, sizeof o);
	o.id = m->id;
	o.next = b->now;
	o.detail = r->detail;
	o.tried = tried;
	switch (r->status) {
	case CHANNEL_SENT:
		o.state = "sent";
		b->stats->sent++;
		break;
	case CHANNEL_RETRY:
		o.state = dispatch_retry_state(b, m, r, &o.next);
		break;
	case CHANNEL_GONE:
		o.state = "failed";
		b->stats->failed++;
		dispatch_disable(b, m);
		break;
	default:
		o.state = "failed";
		b->stats->failed++;
		break;
	}
	if (strcmp(o.state, "sent") != 0)
		log_warnx("message %s to %s: %s (%s)", m->key, m->recipient,
		    o.state, r->detail);
	/* A digest rendered for this attempt keeps its rendering. */
	if (b->rendered) {
		o.subject = m->subject;
		o.body = m->body;
	}
	dispatch_store(b, m, &o);
	return (o.next);
}

/* Reads the key of completion links once, if one is configured. */
static const char *
dispatch_link_key(struct dispatch_batch *b)
{
	char	*cause = NULL;

	if (b->link_read)
		return (b->link_key);
	b->link_read = 1;
	if (*b->cf->http_link_secret_file == '\0')
		return (NULL);
	if ((b->link_key = config_read_secret(b->cf->http_link_secret_file,
	    &cause)) == NULL || *b->link_key == '\0') {
		log_warnx("completion links left out: %s", cause != NULL ?
		    cause : "empty link secret file");
		free(b->link_key);
		b->link_key = NULL;
	}
	free(cause);
	return (b->link_key);
}

/*
 * Renders a planned digest the first time it is taken; the rendering is
 * stored with the attempt's result, so a retry sends the same bytes (a
 * crash before that result renders it again, under the same key and
 * Message-ID).  0 to send; 1 when the message is settled without sending.
 */
static int
dispatch_render(struct dispatch_batch *b, struct store_outbox *m,
    char **subject, char **body)
{
	struct store_outbox_outcome	 o;
	struct channel_result		 r;
	char				*cause = NULL;
	int				 rc;

	rc = compose_render(b->store, b->cf, m, dispatch_link_key(b),
	    subject, body, &cause);
	if (rc == 0) {
		m->subject = *subject;
		m->body = *body;
		return (0);
	}
	b->rendered = 0;
	if (rc == 1) {
		/* Everything in it was done or withdrawn since the plan. */
		memset(&o, 0, sizeof o);
		o.id = m->id;
		o.state = "dead";
		o.next = b->now;
		o.detail = "nothing left to say: done or withdrawn since planned";
		dispatch_store(b, m, &o);
		b->stats->dead++;
		return (1);
	}
	/*
	 * What fails here is the configuration (the sender, the directory),
	 * not the message: retried with backoff, and at once after a reload
	 * (dispatch_config_changed).  It counts as an attempt, so that the
	 * backoff grows while the configuration stays wrong.
	 */
	memset(&r, 0, sizeof r);
	r.status = CHANNEL_RETRY;
	snprintf(r.detail, sizeof r.detail, DISPATCH_RENDERING "%s", cause);
	free(cause);
	dispatch_record(b, m, &r, 1);
	return (1);
}

/*
 * A message whose destination failed earlier in this pass: given back
 * untried, due when that destination is tried again (dead if that is past
 * its lifetime).
 */
static void
dispatch_defer(struct dispatch_batch *b, const struct store_outbox *m,
    const struct dispatch_trip *t)
{
	struct store_outbox_outcome	o;

	if (t->next <= m->expires_at) {
		dispatch_give_back(b, m->id, t - b->trips);
		b->stats->deferred++;
		return;
	}
	memset(&o, 0, sizeof o);
	o.id = m->id;
	o.state = "dead";
	o.next = b->now;
	o.detail = "its destination did not answer until its lifetime ended";
	log_warnx("message %s to %s: dead (%s)", m->key, m->recipient,
	    o.detail);
	dispatch_store(b, m, &o);
	b->stats->dead++;
}

/* Hands one message to its channel; the result is in r. */
static void
dispatch_send(struct dispatch_batch *b, const struct channel *ch,
    const struct store_outbox *m, struct channel_result *r)
{
	struct dispatch_session	*ss;

	memset(r, 0, sizeof *r);
	if (ch == NULL || (ss = dispatch_session(b, ch)) == NULL) {
		r->status = CHANNEL_FAILED;
		snprintf(r->detail, sizeof r->detail, "unknown channel %s",
		    m->channel);
	} else if (ss->failed) {
		r->status = CHANNEL_RETRY;
		r->unreachable = 1;
		snprintf(r->detail, sizeof r->detail, "%s", ss->open_error);
	} else
		ss->channel->send(ss->handle, m, r);
}

/* Sends one claimed message and records the result. */
static void
dispatch_one(struct dispatch_batch *b, const struct store_outbox *claimed)
{
	const struct channel	*ch = channel_find(claimed->channel);
	struct dispatch_trip	*t;
	struct channel_result	 r;
	struct store_outbox	 copy = *claimed, *m = &copy;
	char			 dest[DISPATCH_DEST_SIZE];
	char			*subject = NULL, *body = NULL;
	time_t			 next;

	dispatch_destination(ch, m, dest, sizeof dest);
	if ((t = dispatch_tripped(b, dest)) != NULL) {
		dispatch_defer(b, m, t);
		return;
	}
	b->rendered = m->spec != NULL && (m->body == NULL || *m->body == '\0');
	if (b->rendered && dispatch_render(b, m, &subject, &body) != 0)
		return;
	dispatch_send(b, ch, m, &r);
	next = dispatch_record(b, m, &r, 1);
	if (r.status == CHANNEL_RETRY && r.unreachable)
		dispatch_trip(b, dest, next, r.detail);
	free(subject);
	free(body);
}

/*
 * Extends the lease of the batch's messages not yet tried when a third of
 * it has gone, so that a batch longer than the lease never leaves a message
 * waiting in it with a lease run out.
 */
static void
dispatch_renew(struct dispatch_batch *b, const struct store_outbox *v,
    size_t n)
{
	int64_t	*ids;
	size_t	 i;
	char	*cause = NULL;

	if (dispatch_elapsed(&b->renewed) * 3 < b->cf->lease_seconds)
		return;
	ids = xcalloc(n, sizeof *ids);
	for (i = 0; i < n; i++)
		ids[i] = v[i].id;
	if (store_outbox_renew(b->store, ids, n, dispatch_lease_until(b),
	    &cause) != 0)
		dispatch_break(b, cause);
	else
		clock_gettime(CLOCK_MONOTONIC, &b->renewed);
	free(ids);
}

/*
 * Sends a claimed batch in order.  A signal, or a store that failed, ends
 * it between two messages; what was not tried is given back.
 */
static void
dispatch_batch(struct dispatch_batch *b, const struct store_outbox *v,
    size_t n)
{
	size_t	i;

	clock_gettime(CLOCK_MONOTONIC, &b->renewed);
	for (i = 0; i < n; i++) {
		if (b->tick != NULL)
			b->tick();
		if (!b->broken && !*b->stop)
			dispatch_renew(b, v + i, n - i);
		if (b->broken || *b->stop)
			break;
		dispatch_one(b, &v[i]);
	}
	for (; i < n; i++)
		dispatch_give_back(b, v[i].id, -1);
	dispatch_give_back_all(b);
	if (b->tick != NULL)
		b->tick();
}

/* Closes the sessions a pass opened. */
static void
dispatch_close(struct dispatch_batch *b)
{
	size_t	i;

	for (i = 0; i < DISPATCH_CHANNELS; i++) {
		if (b->sessions[i].handle != NULL)
			b->sessions[i].channel->close(b->sessions[i].handle);
		free(b->sessions[i].open_error);
	}
	memset(b->sessions, 0, sizeof b->sessions);
}

/* Claims and sends batches until none is left, a signal or a failure. */
static void
dispatch_batches(struct dispatch_batch *b)
{
	struct store_outbox	*v;
	size_t			 n;
	char			*cause = NULL;

	while (!b->broken && !*b->stop) {
		if (store_outbox_claim(b->store, b->now,
		    dispatch_lease_until(b), b->cf->batch_size, &v, &n,
		    &cause) != 0) {
			dispatch_break(b, cause);
			break;
		}
		if (n == 0)
			break;
		dispatch_batch(b, v, n);
		store_outbox_free(v, n);
	}
}

int
dispatch_run(struct dispatch *dp, struct store *s, const struct config *cf,
    time_t now, volatile sig_atomic_t *stop, void (*tick)(void),
    struct dispatch_stats *stats, char **cause)
{
	struct dispatch_batch	b;
	char			*sub = NULL;

	memset(stats, 0, sizeof *stats);
	memset(&b, 0, sizeof b);
	b.dp = dp;
	b.store = s;
	b.cf = cf;
	b.now = now;
	b.stop = stop;
	b.tick = tick;
	b.stats = stats;
	clock_gettime(CLOCK_MONOTONIC, &b.started);
	if (dispatch_flush(dp, s, &sub) != 0)
		dispatch_break(&b, sub);
	/* Sessions (one SMTP connection) last over every batch of the pass. */
	dispatch_batches(&b);
	dispatch_close(&b);
	if (b.link_key != NULL) {
		explicit_bzero(b.link_key, strlen(b.link_key));
		free(b.link_key);
	}
	free(b.trips);
	free(b.giveback);
	stats->unrecorded = (int)(dp->nowed + dp->nunsent);
	if (!b.broken)
		return (0);
	*cause = b.cause;
	return (-1);
}

/* Ids of pending messages held back by a rendering failure. */
struct dispatch_held {
	int64_t	*v;
	size_t	 n;
};

/* Collects a pending message whose last try failed at rendering. */
static int
dispatch_held_add(const struct store_outbox *m, void *arg)
{
	struct dispatch_held	*held = arg;

	if (m->last_error == NULL || strncmp(m->last_error,
	    DISPATCH_RENDERING, strlen(DISPATCH_RENDERING)) != 0)
		return (0);
	held->v = xreallocarray(held->v, held->n + 1, sizeof *held->v);
	held->v[held->n++] = m->id;
	return (0);
}

int
dispatch_config_changed(struct store *s, time_t now)
{
	struct dispatch_held	 held;
	size_t			 i;
	char			*cause = NULL;
	int			 n = 0;

	memset(&held, 0, sizeof held);
	if (store_outbox_list(s, "pending", dispatch_held_add, &held,
	    &cause) != 0) {
		log_warnx("outbox: %s", cause);
		free(cause);
		cause = NULL;
	}
	for (i = 0; i < held.n; i++) {
		if (store_outbox_retry(s, held.v[i], now, &cause) == 0)
			n++;
		else {
			log_warnx("outbox: %s", cause);
			free(cause);
			cause = NULL;
		}
	}
	free(held.v);
	if (n > 0)
		log_info("outbox: %d messages held by the configuration are "
		    "due again", n);
	return (n);
}
