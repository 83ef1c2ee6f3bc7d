#ifndef COMPOSE_H
#define COMPOSE_H

#include <time.h>

#include "message.h"

/*
 * A planned digest, as the planning pass records it in the outbox (spec)
 * and as the dispatcher renders it when the message is first sent.  The
 * spec is text, one line each:
 *
 *	deadlined-plan 1
 *	escalation 0|1
 *	more N			escalation items left out
 *	i KIND WD ID...		occurrences: KIND s(oon) t(oday) o(verdue)
 *				e(scalation); WD working days left, < 0 late
 *	g TASK			an ongoing task of the addressee
 */
struct config;
struct store;
struct store_outbox;

#define COMPOSE_MAGIC	"deadlined-plan 1\n"

/* The spec letter of a kind. */
char	 compose_kind_letter(enum message_kind);

/*
 * Renders a planned message: its subject and the body its kind (email,
 * webhook) takes.  0; 1 when nothing is left to say (every item done or
 * withdrawn since); -1 and *cause.  link_key may be NULL (no done links).
 */
int	 compose_render(struct store *, const struct config *,
	    const struct store_outbox *, const char *, char **, char **,
	    char **);

#endif
