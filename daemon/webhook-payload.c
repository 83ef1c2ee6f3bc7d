/*
 * Webhook bodies.  "json" is deadlined's digest document
 * (message_render_json).  The chat services take the message's text in
 * their own shapes, as their documentation for incoming webhooks gives:
 *
 *	slack		{"text": ...}, at most 40,000 characters
 *	telegram	sendMessage: {"text": ..., "disable_web_page_preview":
 *			true}, chat_id in the URL; 1-4096 characters
 *	teams		{"type": "message", "attachments": [one Adaptive Card
 *			with TextBlocks]}, the shape Teams' incoming webhooks
 *			and Workflows take; some 28 KB at most
 *	googlechat	{"text": ...}, a message of at most 32,000 bytes
 *
 * A text too long is cut at a line and ends with "[…]": a service answers
 * a longer one with an error, and the message would never arrive.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "log.h"
#include "message.h"
#include "utf8.h"
#include "webhook-payload.h"
#include "xmalloc.h"

/* The names of the formats, by enum. */
static const char *const webhook_payload_names[] = { "json", "slack",
    "telegram", "teams", "googlechat" };

/* Limits of each format's text: characters and bytes (0: none). */
static const struct {
	size_t	chars;
	size_t	bytes;
} webhook_payload_limits[] = {
	{ 0, 0 }, { 40000, 0 }, { 4096, 0 }, { 0, 24000 }, { 0, 30000 }
};

#define WEBHOOK_PAYLOAD_CUT	"\n[…]"

int
webhook_payload_format(const char *name)
{
	size_t	i;

	if (name == NULL)
		return (WEBHOOK_PAYLOAD_JSON);
	for (i = 0; i < sizeof webhook_payload_names /
	    sizeof webhook_payload_names[0]; i++)
		if (strcmp(name, webhook_payload_names[i]) == 0)
			return ((int)i);
	return (-1);
}

/* Bytes of the longest prefix of s of at most chars code points. */
static size_t
webhook_payload_cut_chars(const char *s, size_t len, size_t chars)
{
	size_t	i = 0, n = 0;

	while (i < len && n < chars) {
		i += utf8_step(s + i, len - i);
		n++;
	}
	return (i);
}

/*
 * "subject\n\ntext", cut at a line to fit the limits of a format with
 * room for the "[…]" that says so; caller frees.
 */
static char *
webhook_payload_text(enum webhook_payload_format f, const char *subject,
    const char *text)
{
	size_t	 len, keep, room = strlen(WEBHOOK_PAYLOAD_CUT);
	char	*all, *cut;

	xasprintf(&all, "%s\n\n%s", subject, text);
	len = keep = strlen(all);
	if (webhook_payload_limits[f].chars > 0 && utf8_chars(all) >
	    webhook_payload_limits[f].chars)
		keep = webhook_payload_cut_chars(all, len,
		    webhook_payload_limits[f].chars - 4);
	if (webhook_payload_limits[f].bytes > 0 && keep >
	    webhook_payload_limits[f].bytes)
		keep = utf8_cut_bytes(all, len,
		    webhook_payload_limits[f].bytes - room);
	if (keep == len)
		return (all);
	while (keep > 0 && all[keep - 1] != '\n')
		keep--;
	while (keep > 0 && all[keep - 1] == '\n')
		keep--;
	xasprintf(&cut, "%.*s%s", (int)keep, all, WEBHOOK_PAYLOAD_CUT);
	free(all);
	return (cut);
}

/* The Teams message: one Adaptive Card, the subject then the text. */
static json_t *
webhook_payload_teams(const char *subject, const char *text)
{
	return (json_pack("{s:s, s:[{s:s, s:n, s:{s:s, s:s, s:s, s:[{s:s, "
	    "s:s, s:s, s:s, s:b}, {s:s, s:s, s:b}]}}]}",
	    "type", "message",
	    "attachments",
	    "contentType", "application/vnd.microsoft.card.adaptive",
	    "contentUrl",
	    "content",
	    "$schema", "http://adaptivecards.io/schemas/adaptive-card.json",
	    "type", "AdaptiveCard",
	    "version", "1.2",
	    "body",
	    "type", "TextBlock", "text", subject, "weight", "Bolder",
	    "size", "Medium", "wrap", 1,
	    "type", "TextBlock", "text", text, "wrap", 1));
}

char *
webhook_payload_body(enum webhook_payload_format f,
    const struct message_digest *dg, const char *subject, const char *text)
{
	json_t	*o;
	char	*all, *out;
	size_t	 skip;

	if (f == WEBHOOK_PAYLOAD_JSON)
		return (message_render_json(dg));
	all = webhook_payload_text(f, subject, text);
	switch (f) {
	case WEBHOOK_PAYLOAD_TELEGRAM:
		o = json_pack("{s:s, s:b}", "text", all,
		    "disable_web_page_preview", 1);
		break;
	case WEBHOOK_PAYLOAD_TEAMS:
		/* The card shows the subject apart: the text without it. */
		skip = strlen(subject) + 2;
		o = webhook_payload_teams(subject, strlen(all) >= skip ?
		    all + skip : "");
		break;
	default:
		o = json_pack("{s:s}", "text", all);
		break;
	}
	free(all);
	if (o == NULL || (out = json_dumps(o, JSON_COMPACT)) == NULL)
		fatalx("webhook_payload_body: cannot build JSON");
	json_decref(o);
	return (out);
}
