/* Routes: which channel carries a unit's messages, and their outbox rows. */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "route.h"
#include "store.h"
#include "xmalloc.h"

/* The backends a setting can name, by the name the outbox stores. */
static const struct {
	const char		*name;
	enum config_channel	 setting;
} route_backends[] = {
	{ "spool", CONFIG_CHANNEL_SPOOL },
	{ "smtp", CONFIG_CHANNEL_SMTP },
	{ "webhook", CONFIG_CHANNEL_WEBHOOK }
};

/*
 * The channel a kind takes under a setting, by config.h's rule: spool
 * takes everything (a test or a hand-off to another mailer), smtp only
 * mail, webhook only webhooks, auto both where each is configured (a
 * webhook needs no server setting, its URL is the unit's).
 */
static const char *
route_channel_for(enum config_channel setting, int smtp_set,
    enum route_kind kind)
{
	if (setting == CONFIG_CHANNEL_SPOOL)
		return ("spool");
	if (kind == ROUTE_EMAIL)
		return (config_mails_by_smtp(setting, smtp_set) ? "smtp" : NULL);
	return (config_posts_webhooks(setting) ? "webhook" : NULL);
}

/* The setting a backend name stands for; -1 if none. */
static int
route_backend(const char *name, enum config_channel *setting)
{
	size_t	i;

	for (i = 0; i < sizeof route_backends / sizeof route_backends[0]; i++)
		if (strcmp(route_backends[i].name, name) == 0) {
			*setting = route_backends[i].setting;
			return (0);
		}
	return (-1);
}

const char *
route_channel(const struct config *cf, enum route_kind kind)
{
	return (route_channel_for(cf->channel, *cf->smtp_url != '\0', kind));
}

int
route_signs_webhooks(const struct config *cf)
{
	return (config_posts_webhooks(cf->channel));
}

/* Adds one route. */
static void
route_add(struct routes *r, enum route_kind kind, const char *channel,
    const char *to)
{
	r->list = xreallocarray(r->list, r->n + 1, sizeof *r->list);
	r->list[r->n].kind = kind;
	r->list[r->n].channel = channel;
	r->list[r->n].to = to;
	r->n++;
}

/* Fills r with the routes the two channels give: addresses, then hook. */
static void
route_fill(const char *mail, const char *hook, const char *emails,
    const char *webhook, struct routes *r)
{
	char	*addr, *save = NULL;

	memset(r, 0, sizeof *r);
	r->copy = xstrdup(emails != NULL ? emails : "");
	for (addr = strtok_r(r->copy, ", ", &save); mail != NULL &&
	    addr != NULL; addr = strtok_r(NULL, ", ", &save))
		route_add(r, ROUTE_EMAIL, mail, addr);
	if (hook != NULL && webhook != NULL && *webhook != '\0')
		route_add(r, ROUTE_WEBHOOK, hook, webhook);
}

void
route_unit(const struct config *cf, const char *emails, const char *webhook,
    struct routes *r)
{
	route_fill(route_channel(cf, ROUTE_EMAIL),
	    route_channel(cf, ROUTE_WEBHOOK), emails, webhook, r);
}

int
route_unit_named(const char *name, const char *emails, const char *webhook,
    struct routes *r)
{
	enum config_channel	setting;

	memset(r, 0, sizeof *r);
	if (route_backend(name, &setting) != 0)
		return (-1);
	route_fill(route_channel_for(setting, 1, ROUTE_EMAIL),
	    route_channel_for(setting, 1, ROUTE_WEBHOOK), emails, webhook, r);
	return (0);
}

void
route_clear(struct routes *r)
{
	free(r->list);
	free(r->copy);
	memset(r, 0, sizeof *r);
}

const char *
route_kind_name(enum route_kind kind)
{
	return (kind == ROUTE_WEBHOOK ? "webhook" : "email");
}

enum route_kind
route_kind_of(const struct store_outbox *m)
{
	return (strcmp(m->kind, "webhook") == 0 ? ROUTE_WEBHOOK : ROUTE_EMAIL);
}

char *
route_key(const struct route *rt, const char *base)
{
	char	*key;

	xasprintf(&key, "%s/%s/%s", base, rt->channel, rt->to);
	return (key);
}

int
route_queue(struct store *s, const struct config *cf, const struct route *rt,
    const struct route_message *msg, int *added, char **cause)
{
	struct store_outbox	 m;
	char			*key, day[11];
	int			 rc;

	memset(&m, 0, sizeof m);
	date_format_iso(msg->day, day);
	key = route_key(rt, msg->base);
	m.key = key;
	m.kind = route_kind_name(rt->kind);
	m.channel = rt->channel;
	m.recipient = rt->to;
	m.day = day;
	m.spec = msg->spec;
	m.subject = msg->subject;
	m.body = msg->body;
	m.created_at = msg->now;
	m.expires_at = msg->expires_at != 0 ? msg->expires_at :
	    msg->now + (time_t)cf->lifetime_days * 86400;
	*added = 0;
	rc = store_outbox_add(s, &m, msg->unit_id, added, cause);
	free(key);
	return (rc);
}
