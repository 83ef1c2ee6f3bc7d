#ifndef ROUTE_H
#define ROUTE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "date.h"

/*
 * The one road to the outbox.  Producers (the planning pass, reports,
 * send-test) say who a message is for; this module alone decides which
 * channel carries each kind of message under the configured channel
 * setting, and queues the outbox rows (key, kind, channel, expiry).  The
 * dispatcher later finds the backend by the channel name a row holds.
 */
struct config;
struct store;
struct store_outbox;

enum route_kind {
	ROUTE_EMAIL,
	ROUTE_WEBHOOK
};

/* One destination: a kind of message, the channel that carries it, to. */
struct route {
	enum route_kind	 kind;
	const char	*channel;	/* "spool", "smtp" or "webhook" */
	const char	*to;		/* an address or a webhook URL */
};

/* The routes of one unit; route_clear() frees them. */
struct routes {
	struct route	*list;
	size_t		 n;
	char		*copy;		/* the addresses the list points into */
};

/* The channel a kind of message takes under the configuration, or NULL. */
const char	*route_channel(const struct config *, enum route_kind);
/* 1 if webhooks go out signed (the webhook channel; the spool does not). */
int		 route_signs_webhooks(const struct config *);
/* Fills r with a unit's routes: each of emails (", "), then webhook. */
void		 route_unit(const struct config *, const char *, const char *,
		     struct routes *);
/* The same through one named backend; -1 if the name is unknown. */
int		 route_unit_named(const char *, const char *, const char *,
		     struct routes *);
void		 route_clear(struct routes *);

/* "email" or "webhook", as the outbox stores a kind. */
const char	*route_kind_name(enum route_kind);
/* The kind of an outbox row. */
enum route_kind	 route_kind_of(const struct store_outbox *);

/* What a producer queues along a route. */
struct route_message {
	const char	*base;		/* key: base/channel/to */
	int64_t		 unit_id;
	date_t		 day;
	time_t		 now;
	const char	*spec;		/* a planned digest's items, or NULL */
	const char	*subject;	/* or a rendered message: */
	const char	*body;
	time_t		 expires_at;	/* 0: now + [outbox] lifetime_days */
};

/* The outbox key of a message along a route; caller frees. */
char		*route_key(const struct route *, const char *);
/* Queues one message along a route; *added is 1 if it was new. */
int		 route_queue(struct store *, const struct config *,
		     const struct route *, const struct route_message *, int *,
		     char **);

#endif
