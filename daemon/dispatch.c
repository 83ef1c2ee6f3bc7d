/* The outbox dispatcher: claim a batch, send outside the transaction, record. */
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

/* The detail of a message held back by a rendering failure. */
#define DISPATCH_RENDERING	"rendering: "

struct dispatch_session {
	const struct channel	*channel;
	void			*handle;
	int			 failed;	/* open failed this batch */
	char			*open_error;
};

struct dispatch_batch {
	struct store		*store;
	const struct config	*cf;
	time_t			 now;
	volatile sig_atomic_t	*stop;
	void			(*tick)(void);
	struct dispatch_stats	*stats;
	struct dispatch_session	 sessions[3];
	int			 stopped;
	char			*link_key;	/* NULL: no completion links */
	int			 link_read;
	int			 rendered;	/* this message, just now */
};

long
dispatch_backoff(const struct config *cf, int attempt)
{
	long	delay = cf->backoff_base;
	int	i;

	for (i = 1; i < attempt && delay < cf->backoff_max; i++)
		delay *= 2;
	return (delay > cf->backoff_max ? cf->backoff_max : delay);
}

/* The session of a channel, opened on first use in this batch. */
static struct dispatch_session *
dispatch_session(struct dispatch_batch *b, const char *name)
{
	const struct channel	*ch = channel_find(name);
	struct dispatch_session	*ss;
	size_t			 i;

	if (ch == NULL)
		return (NULL);
	for (i = 0; i < 3; i++) {
		ss = &b->sessions[i];
		if (ss->channel == ch)
			return (ss);
		if (ss->channel == NULL)
			break;
	}
	if (i == 3)
		return (NULL);
	ss->channel = ch;
	ss->handle = ch->open(b->cf, &ss->open_error);
	ss->failed = ss->handle == NULL;
	if (ss->failed)
		log_warnx("channel %s: %s", name, ss->open_error);
	return (ss);
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

/* Records the outcome of one attempt. */
static void
dispatch_record(struct dispatch_batch *b, const struct store_outbox *m,
    const struct channel_result *r)
{
	const char	*state;
	time_t		 next = b->now;
	long		 delay, jitter;
	char		*cause = NULL;

	switch (r->status) {
	case CHANNEL_SENT:
		state = "sent";
		b->stats->sent++;
		break;
	case CHANNEL_RETRY:
		delay = dispatch_backoff(b->cf, m->attempts);	/* attempts made */
		jitter = delay / 5 > 0 ? random() % (delay / 5 + 1) : 0;
		delay += jitter;
		if (r->retry_after > delay)
			delay = r->retry_after;
		next = b->now + delay;
		if (next > m->expires_at) {
			state = "dead";
			b->stats->dead++;
		} else {
			state = "pending";
			b->stats->retried++;
		}
		break;
	case CHANNEL_GONE:
		state = "failed";
		b->stats->failed++;
		dispatch_disable(b, m);
		break;
	default:
		state = "failed";
		b->stats->failed++;
		break;
	}
	if (strcmp(state, "sent") != 0)
		log_warnx("message %s to %s: %s (%s)", m->key, m->recipient,
		    state, r->detail);
	/* A digest rendered for this attempt keeps its rendering. */
	if (store_outbox_result_body(b->store, m->id, state, next, r->detail,
	    b->rendered ? m->subject : NULL, b->rendered ? m->body : NULL,
	    &cause) != 0) {
		log_warnx("recording %s: %s", m->key, cause);
		free(cause);
	}
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
	struct channel_result	 r;
	char			*cause = NULL;
	int			 rc;

	rc = compose_render(b->store, b->cf, m, dispatch_link_key(b),
	    subject, body, &cause);
	if (rc == 0) {
		m->subject = *subject;
		m->body = *body;
		return (0);
	}
	memset(&r, 0, sizeof r);
	if (rc == 1) {
		/* Everything in it was done or withdrawn since the plan. */
		if (store_outbox_result(b->store, m->id, "dead", b->now,
		    "nothing left to say: done or withdrawn since planned",
		    &cause) != 0) {
			log_warnx("recording %s: %s", m->key, cause);
			free(cause);
		}
		b->stats->dead++;
		return (1);
	}
	/*
	 * What fails here is the configuration (the sender, the directory),
	 * not the message: retried with backoff, and at once after a reload
	 * (dispatch_config_changed).
	 */
	r.status = CHANNEL_RETRY;
	snprintf(r.detail, sizeof r.detail, DISPATCH_RENDERING "%s", cause);
	free(cause);
	dispatch_record(b, m, &r);
	return (1);
}

/* Sends one claimed message. */
static int
dispatch_one(const struct store_outbox *claimed, void *arg)
{
	struct dispatch_batch	*b = arg;
	struct dispatch_session	*ss;
	struct channel_result	 r;
	struct store_outbox	 copy = *claimed, *m = &copy;
	char			*subject = NULL, *body = NULL;

	if (*b->stop) {
		b->stopped = 1;
		return (1);
	}
	b->rendered = m->spec != NULL && (m->body == NULL || *m->body == '\0');
	if (b->rendered && dispatch_render(b, m, &subject, &body) != 0) {
		if (b->tick != NULL)
			b->tick();
		return (0);
	}
	memset(&r, 0, sizeof r);
	ss = dispatch_session(b, m->channel);
	if (ss == NULL) {
		r.status = CHANNEL_FAILED;
		snprintf(r.detail, sizeof r.detail, "unknown channel %s",
		    m->channel);
	} else if (ss->failed) {
		r.status = CHANNEL_RETRY;
		snprintf(r.detail, sizeof r.detail, "%s", ss->open_error);
	} else
		ss->channel->send(ss->handle, m, &r);
	dispatch_record(b, m, &r);
	free(subject);
	free(body);
	if (b->tick != NULL)
		b->tick();
	return (0);
}

/* Closes the sessions a batch opened. */
static void
dispatch_close(struct dispatch_batch *b)
{
	size_t	i;

	for (i = 0; i < 3; i++) {
		if (b->sessions[i].handle != NULL)
			b->sessions[i].channel->close(b->sessions[i].handle);
		free(b->sessions[i].open_error);
	}
	memset(b->sessions, 0, sizeof b->sessions);
}

int
dispatch_run(struct store *s, const struct config *cf, time_t now,
    volatile sig_atomic_t *stop, void (*tick)(void),
    struct dispatch_stats *stats, char **cause)
{
	struct dispatch_batch	b;
	int			n;

	memset(stats, 0, sizeof *stats);
	memset(&b, 0, sizeof b);
	b.store = s;
	b.cf = cf;
	b.now = now;
	b.stop = stop;
	b.tick = tick;
	b.stats = stats;
	do {
		n = store_outbox_claim(s, now, cf->lease_seconds,
		    cf->batch_size, dispatch_one, &b, cause);
	} while (n > 0 && !b.stopped && !*stop);
	/* Sessions (one SMTP connection) last over every batch of the pass. */
	dispatch_close(&b);
	if (b.link_key != NULL) {
		explicit_bzero(b.link_key, strlen(b.link_key));
		free(b.link_key);
	}
	return (n < 0 ? -1 : 0);
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
	store_outbox_list(s, "pending", dispatch_held_add, &held);
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
