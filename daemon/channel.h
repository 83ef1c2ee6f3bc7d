#ifndef CHANNEL_H
#define CHANNEL_H

#include <stddef.h>

/*
 * Delivery channels behind the outbox, chosen by name at start-up:
 * spool (files in a folder), smtp (libcurl), webhook (libcurl, signed).
 */
struct config;
struct store_outbox;

enum channel_status {
	CHANNEL_SENT,
	CHANNEL_RETRY,		/* temporary: try again after a backoff */
	CHANNEL_FAILED,		/* permanent for this message */
	CHANNEL_GONE		/* the endpoint is gone (HTTP 410) */
};

struct channel_result {
	enum channel_status	status;
	int			retry_after;	/* seconds, 0: use backoff */
	int			unreachable;	/* the destination failed (no
						   connection, timeout, full
						   disk), not the message */
	char			detail[512];	/* never holds a secret */
};

struct channel {
	const char	*name;
	/* Opens a session for a batch; NULL and *cause on failure. */
	void		*(*open)(const struct config *, char **);
	void		 (*send)(void *, const struct store_outbox *,
			     struct channel_result *);
	void		 (*close)(void *);
	/*
	 * The destination a message goes to, as "scheme://host:port", when
	 * the channel has several (webhooks); NULL: one for the channel.
	 */
	void		 (*destination)(const struct store_outbox *, char *,
			     size_t);
};

extern const struct channel channel_spool;
extern const struct channel channel_smtp;
extern const struct channel channel_webhook;

const struct channel *channel_find(const char *);
/* The file name a message gets in the spool (also used by tests). */
char	*channel_spool_name(const struct store_outbox *);	/* caller frees */

#endif
