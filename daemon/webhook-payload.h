#ifndef WEBHOOK_PAYLOAD_H
#define WEBHOOK_PAYLOAD_H

/*
 * The body a unit's webhook receives: the digest as deadlined's own JSON
 * document, or the message text in the shape a chat service documents
 * for its incoming webhooks (Slack, Telegram's sendMessage, Microsoft
 * Teams, Google Chat), cut to the size each one takes.
 */
struct message_digest;

enum webhook_payload_format {
	WEBHOOK_PAYLOAD_JSON,
	WEBHOOK_PAYLOAD_SLACK,
	WEBHOOK_PAYLOAD_TELEGRAM,
	WEBHOOK_PAYLOAD_TEAMS,
	WEBHOOK_PAYLOAD_GOOGLECHAT
};

/* The format a units.ini webhook_template names (NULL: json), or -1. */
int	 webhook_payload_format(const char *);
/* The body for a format, subject and text; caller frees. */
char	*webhook_payload_body(enum webhook_payload_format,
	    const struct message_digest *, const char *, const char *);

#endif
