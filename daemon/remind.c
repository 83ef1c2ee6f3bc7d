/*
 * The planning pass.  Stages of a reminder are recorded as notices keyed by
 * occurrence and stage, so a stage is said once, and a pass after downtime
 * says only the current stage of each occurrence (catch-up, coalesced into
 * that day's digest), never the stale ones.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "calendar.h"
#include "config.h"
#include "link.h"
#include "log.h"
#include "message.h"
#include "mime.h"
#include "remind.h"
#include "store.h"
#include "xmalloc.h"

#define REMIND_MAX_ESCALATION	200	/* items in one escalation digest */

struct remind_unit {
	int64_t	 id;
	char	*code;
	char	*name;
	char	*lang;
	char	*emails;
	char	*webhook;
	char	*webhook_template;
	char	*parent;
};

struct remind_item {
	int64_t			 unit_id;
	struct message_item	 msg;
	char			*plan_ref;
	char			*title;
	char			*action;
	char			*time_text;
	char			*unit_name;
	char			*lead_units;
	char			*support_units;
	char			*notice;	/* stage key, NULL: none */
	char			*escalate;	/* escalation key, NULL: none */
	struct remind_unit	*owner;		/* NULL: not in the directory */
	int			 escalated;	/* in an escalation digest */
	char			*done_link;	/* or NULL */
	const char		*unit_code;
};

struct remind_ctx {
	struct store		*store;
	const struct config	*cf;
	struct calendar		*cal;
	time_t			 now;
	date_t			 today;
	struct remind_unit	*units;
	size_t			 nunits;
	struct remind_item	*items;
	size_t			 nitems;
	struct remind_stats	*stats;
	char			*link_key;	/* NULL: no completion links */
	char			*cause;
};

/* Collects one unit of the directory. */
static int
remind_collect_unit(const struct store_unit *u, void *arg)
{
	struct remind_ctx	*rc = arg;
	struct remind_unit	*ru;

	if (u->is_group)
		return (0);
	rc->units = xreallocarray(rc->units, rc->nunits + 1,
	    sizeof *rc->units);
	ru = &rc->units[rc->nunits++];
	ru->id = u->id;
	ru->code = xstrdup(u->code);
	ru->name = xstrdup(u->name);
	ru->lang = xstrdup(u->lang != NULL ? u->lang : "vi");
	ru->emails = xstrdup(u->emails != NULL ? u->emails : "");
	ru->webhook = u->webhook != NULL && u->webhook_disabled_at == NULL ?
	    xstrdup(u->webhook) : NULL;
	ru->webhook_template = u->webhook_template != NULL ?
	    xstrdup(u->webhook_template) : NULL;
	ru->parent = u->parent != NULL ? xstrdup(u->parent) : NULL;
	return (0);
}

/* Finds a unit by id or code. */
static struct remind_unit *
remind_unit(struct remind_ctx *rc, int64_t id, const char *code)
{
	size_t	i;

	for (i = 0; i < rc->nunits; i++)
		if ((code == NULL && rc->units[i].id == id) ||
		    (code != NULL && strcmp(rc->units[i].code, code) == 0))
			return (&rc->units[i]);
	return (NULL);
}

/* The signed completion link of an occurrence, or NULL; caller frees. */
static char *
remind_done_link(struct remind_ctx *rc, const struct store_occurrence *o)
{
	char	*token, *url;

	token = link_make(rc->link_key, o->id, o->unit_code, "done", rc->now +
	    (time_t)rc->cf->http_link_days * 86400);
	if (token == NULL)
		return (NULL);
	url = link_url(rc->cf->http_base_url, token);
	free(token);
	return (url);
}

/* A task's lead and supporting unit names (a group once), NULL if none. */
static void
remind_task_units(struct remind_ctx *rc, int64_t task_id, char **lead,
    char **support)
{
	store_feed_task_units(rc->store, task_id, lead, support);
	if (**lead == '\0') {
		free(*lead);
		*lead = NULL;
	}
	if (**support == '\0') {
		free(*support);
		*support = NULL;
	}
}

/* Adds an item for an occurrence or an ongoing task. */
static struct remind_item *
remind_add(struct remind_ctx *rc, const struct store_occurrence *o,
    enum message_kind kind, int wd)
{
	struct remind_item	*it;

	rc->items = xreallocarray(rc->items, rc->nitems + 1,
	    sizeof *rc->items);
	it = &rc->items[rc->nitems++];
	memset(it, 0, sizeof *it);
	it->unit_id = o->unit_id;
	it->owner = remind_unit(rc, o->unit_id, NULL);
	xasprintf(&it->plan_ref, "%s %s", o->plan_code, o->ref);
	it->title = xstrdup(o->content != NULL && *o->content != '\0' ?
	    o->content : o->title);
	it->action = o->content != NULL && *o->content != '\0' ?
	    xstrdup(o->title) : NULL;
	it->time_text = o->time_text != NULL ? xstrdup(o->time_text) : NULL;
	it->unit_name = xstrdup(o->unit_name);
	remind_task_units(rc, o->task_id, &it->lead_units, &it->support_units);
	it->msg.nominal = o->nominal;
	it->msg.effective = o->effective;
	it->msg.working_days_left = wd;
	it->msg.kind = kind;
	if (rc->link_key != NULL && o->id != 0)
		it->done_link = remind_done_link(rc, o);
	return (it);
}

/* The lead stage for wd working days left: the smallest offset >= wd. */
static int
remind_lead_stage(const struct config *cf, int wd)
{
	int	i, stage = -1;

	for (i = 0; i < cf->nlead; i++)
		if (cf->lead[i] >= wd && (stage < 0 || cf->lead[i] < stage))
			stage = cf->lead[i];
	return (stage);
}

/* Decides what, if anything, an open occurrence gets today. */
static int
remind_occurrence(const struct store_occurrence *o, void *arg)
{
	struct remind_ctx	*rc = arg;
	const struct config	*cf = rc->cf;
	struct remind_item	*it;
	char			*key;
	int			 wd, stage, step;

	if (o->snooze_until != DATE_NONE && o->snooze_until > rc->today)
		return (0);
	if (o->effective >= rc->today) {
		wd = calendar_working_days_between(rc->cal, rc->today,
		    o->effective);
		if ((stage = remind_lead_stage(cf, wd)) < 0)
			return (0);
		xasprintf(&key, "o%lld/lead/%d", (long long)o->id, stage);
		if (store_notice_seen(rc->store, key)) {
			free(key);
			return (0);
		}
		it = remind_add(rc, o, o->effective == rc->today ?
		    MESSAGE_DUE_TODAY : MESSAGE_DUE_SOON, wd);
		it->notice = key;
		return (0);
	}
	wd = calendar_working_days_between(rc->cal, o->effective, rc->today);
	if (wd < 1)
		wd = 1;
	step = (wd - 1) / cf->overdue_every + 1;
	it = NULL;
	if (step <= cf->overdue_max) {
		xasprintf(&key, "o%lld/overdue/%d", (long long)o->id, step);
		if (!store_notice_seen(rc->store, key)) {
			it = remind_add(rc, o, MESSAGE_OVERDUE, -wd);
			it->notice = key;
		} else
			free(key);
	}
	if (cf->escalate_after > 0 && wd >= cf->escalate_after) {
		xasprintf(&key, "o%lld/escalate", (long long)o->id);
		if (store_notice_seen(rc->store, key))
			free(key);
		else {
			if (it == NULL)
				it = remind_add(rc, o, MESSAGE_OVERDUE, -wd);
			it->escalate = key;
		}
	}
	return (0);
}

/* The key of the ongoing section's period, or NULL when never. */
static char *
remind_ongoing_period(const struct remind_ctx *rc, const char *unit)
{
	int	 y, m, d;
	char	*key;

	date_to_ymd(rc->today, &y, &m, &d);
	if (strcmp(rc->cf->ongoing_digest, "never") == 0)
		return (NULL);
	if (strcmp(rc->cf->ongoing_digest, "daily") == 0)
		xasprintf(&key, "g/%s/%04d-%02d-%02d", unit, y, m, d);
	else if (strcmp(rc->cf->ongoing_digest, "weekly") == 0)
		xasprintf(&key, "g/%s/w%d", unit, (int)((rc->today + 3) / 7));
	else
		xasprintf(&key, "g/%s/%04d-%02d", unit, y, m);
	return (key);
}

/* Adds an ongoing task to its unit's periodic section. */
static int
remind_ongoing(const struct store_occurrence *o, void *arg)
{
	struct remind_ctx	*rc = arg;
	struct remind_item	*it;
	char			*key;

	if (strcmp(o->kind, "ongoing") != 0)
		return (0);
	if ((key = remind_ongoing_period(rc, o->unit_code)) == NULL)
		return (0);
	if (store_notice_seen(rc->store, key)) {
		free(key);
		return (0);
	}
	it = remind_add(rc, o, MESSAGE_ONGOING, 0);
	it->notice = key;
	return (0);
}

/*
 * The webhook body: the digest document, or for chat services that want
 * their own shape, {"text": ...} (Slack-style; Telegram's sendMessage takes
 * the same with chat_id in the URL).
 */
static char *
remind_webhook_body(const struct message_digest *dg, const char *template,
    const char *subject, const char *text)
{
	json_t	*o;
	char	*all, *out;

	if (template == NULL || strcmp(template, "json") == 0)
		return (message_render_json(dg));
	xasprintf(&all, "%s\n\n%s", subject, text);
	if (strcmp(template, "telegram") == 0)
		o = json_pack("{s:s, s:b}", "text", all,
		    "disable_web_page_preview", 1);
	else
		o = json_pack("{s:s}", "text", all);
	out = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	free(all);
	return (out != NULL ? out : message_render_json(dg));
}

/* Builds the body of one message for a recipient; NULL and cause. */
static char *
remind_body(struct remind_ctx *rc, const struct remind_unit *u,
    const struct message_digest *dg, const char *kind, const char *to,
    const char *key, char **subject)
{
	struct mime_message	 mm;
	char			*text = NULL, *html = NULL, *out = NULL, *id;
	size_t			 len;

	message_render(dg, subject, &text, &html);
	if (strcmp(kind, "webhook") == 0) {
		out = remind_webhook_body(dg, u->webhook_template, *subject,
		    text);
		free(text);
		free(html);
		return (out);
	}
	memset(&mm, 0, sizeof mm);
	id = mime_message_id(key, rc->cf->smtp_from);
	mm.from_name = rc->cf->smtp_from_name;
	mm.from_addr = rc->cf->smtp_from;
	mm.to_name = dg->unit_name;
	mm.to_addr = to;
	mm.reply_to = *rc->cf->smtp_reply_to != '\0' ?
	    rc->cf->smtp_reply_to : NULL;
	mm.subject = *subject;
	mm.text = text;
	mm.html = html;
	mm.message_id = id;
	mm.date = rc->now;
	if (mime_build(&mm, &out, &len, &rc->cause) != 0)
		out = NULL;
	free(id);
	free(text);
	free(html);
	return (out);
}

/* Queues one message; 0 or -1. */
static int
remind_queue(struct remind_ctx *rc, const struct remind_unit *u,
    const struct message_digest *dg, const char *base, const char *channel,
    const char *kind, const char *to)
{
	struct store_outbox	 m;
	char			*key, *body, *subject = NULL, day[11];
	int			 added = 0, rc_ = 0;

	xasprintf(&key, "%s/%s/%s", base, channel, to);
	if ((body = remind_body(rc, u, dg, kind, to, key, &subject)) == NULL) {
		free(key);
		free(subject);
		return (-1);
	}
	date_format_iso(rc->today, day);
	memset(&m, 0, sizeof m);
	m.key = key;
	m.kind = kind;
	m.channel = channel;
	m.recipient = to;
	m.day = day;
	m.subject = subject;
	m.body = body;
	m.created_at = rc->now;
	m.expires_at = rc->now + (time_t)rc->cf->lifetime_days * 86400;
	if (store_outbox_add(rc->store, &m, u->id, &added, &rc->cause) != 0)
		rc_ = -1;
	rc->stats->messages += added;
	free(key);
	free(body);
	free(subject);
	return (rc_);
}

/* Queues a digest to every address of a unit the configured channel uses. */
static int
remind_deliver(struct remind_ctx *rc, const struct remind_unit *u,
    const struct message_digest *dg, const char *base)
{
	const char	*ch = rc->cf->channel;
	int		 spool = strcmp(ch, "spool") == 0;
	int		 mail = spool || strcmp(ch, "smtp") == 0 ||
	    (strcmp(ch, "auto") == 0 && *rc->cf->smtp_url != '\0');
	int		 hook = spool || strcmp(ch, "webhook") == 0 ||
	    strcmp(ch, "auto") == 0;
	char		*copy, *addr, *save = NULL;
	int		 n = 0, rc_ = 0;

	copy = xstrdup(u->emails);
	for (addr = strtok_r(copy, ", ", &save); mail && rc_ == 0 &&
	    addr != NULL; addr = strtok_r(NULL, ", ", &save), n++)
		rc_ = remind_queue(rc, u, dg, base, spool ? "spool" : "smtp",
		    "email", addr);
	free(copy);
	if (rc_ == 0 && hook && u->webhook != NULL) {
		rc_ = remind_queue(rc, u, dg, base, spool ? "spool" :
		    "webhook", "webhook", u->webhook);
		n++;
	}
	if (n == 0)
		rc->stats->skipped_units++;
	return (rc_);
}

/* 1 if target is where an item's escalation goes: parent or coordinator. */
static int
remind_escalates_to(const struct remind_ctx *rc, const struct remind_item *it,
    const struct remind_unit *target)
{
	const struct remind_unit	*owner = it->owner;

	if (it->escalate == NULL || owner == NULL || owner == target)
		return (0);
	return ((owner->parent != NULL &&
	    strcmp(owner->parent, target->code) == 0) ||
	    strcmp(rc->cf->coordinator, target->code) == 0);
}

/*
 * Fills a digest with the message items of the matching items.  An
 * escalation digest takes at most REMIND_MAX_ESCALATION items; the rest stay
 * unrecorded and come on the next working days.
 */
static size_t
remind_gather(struct remind_ctx *rc, struct message_item *out,
    int64_t unit_id, int escalation, const struct remind_unit *target)
{
	size_t	i, n = 0;

	for (i = 0; i < rc->nitems; i++) {
		struct remind_item *it = &rc->items[i];

		if (!escalation && (it->unit_id != unit_id ||
		    it->notice == NULL))
			continue;
		if (escalation) {
			if (!remind_escalates_to(rc, it, target))
				continue;
			if (n == REMIND_MAX_ESCALATION)
				break;
			it->escalated = 1;
		}
		out[n] = it->msg;
		out[n].plan_ref = it->plan_ref;
		out[n].title = it->title;
		out[n].action = it->action;
		out[n].time_text = it->time_text;
		out[n].unit_name = it->unit_name;
		out[n].lead_units = it->lead_units;
		out[n].support_units = it->support_units;
		if (escalation)
			out[n].kind = MESSAGE_ESCALATION;
		else
			out[n].done_link = it->done_link;
		n++;
	}
	return (n);
}

/* Builds, queues and records one unit's digest (or escalation digest). */
static int
remind_digest(struct remind_ctx *rc, struct remind_unit *u, int escalation)
{
	struct message_digest	 dg;
	struct message_item	*items;
	char			*base, *prefix, day[11], *link = NULL;
	size_t			 n, i;
	int			 rc_ = 0, seq;

	items = xcalloc(rc->nitems + 1, sizeof *items);
	if ((n = remind_gather(rc, items, u->id, escalation, u)) == 0) {
		free(items);
		return (0);
	}
	date_format_iso(rc->today, day);
	xasprintf(&prefix, "%s/%s/%s", escalation ? "escalation" : "digest",
	    u->code, day);
	seq = store_outbox_count_like(rc->store, prefix);
	if (seq == 0)
		base = xstrdup(prefix);
	else
		xasprintf(&base, "%s#%d", prefix, seq + 1);
	memset(&dg, 0, sizeof dg);
	dg.unit_code = u->code;
	dg.unit_name = u->name;
	dg.lang = u->lang;
	dg.day = rc->today;
	dg.items = items;
	dg.n = n;
	dg.escalation = escalation;
	dg.feed_link = link;
	rc_ = remind_deliver(rc, u, &dg, base);
	for (i = 0; rc_ == 0 && i < rc->nitems && !escalation; i++)
		if (rc->items[i].unit_id == u->id && rc->items[i].notice != NULL)
			rc_ = store_notice_add(rc->store, rc->items[i].notice,
			    rc->today, base, &rc->cause);
	if (escalation)
		rc->stats->escalations++;
	else {
		rc->stats->units++;
		rc->stats->items += (int)n;
	}
	free(prefix);
	free(base);
	free(items);
	return (rc_);
}

/* 1 if some unit of the directory would receive the item's escalation. */
static int
remind_has_escalation_target(const struct remind_ctx *rc,
    const struct remind_item *it)
{
	size_t	i;

	for (i = 0; i < rc->nunits; i++)
		if (remind_escalates_to(rc, it, &rc->units[i]))
			return (1);
	return (0);
}

/*
 * Records the escalation notices once the escalation digests are queued:
 * of the items a digest carried, and of those nobody would receive.
 */
static int
remind_escalations_done(struct remind_ctx *rc)
{
	struct remind_item	*it;
	size_t			 i;

	for (i = 0; i < rc->nitems; i++) {
		it = &rc->items[i];
		if (it->escalate == NULL || (!it->escalated &&
		    remind_has_escalation_target(rc, it)))
			continue;
		if (store_notice_add(rc->store, it->escalate, rc->today, NULL,
		    &rc->cause) != 0)
			return (-1);
	}
	return (0);
}

/* Reads what today brings: occurrences in the window, ongoing tasks. */
static void
remind_collect(struct remind_ctx *rc)
{
	struct store_agenda_filter	f;
	const struct config		*cf = rc->cf;
	int				 i, maxlead = 0, back;

	for (i = 0; i < cf->nlead; i++)
		if (cf->lead[i] > maxlead)
			maxlead = cf->lead[i];
	back = cf->overdue_every * cf->overdue_max;
	if (cf->escalate_after + 1 > back)
		back = cf->escalate_after + 1;
	memset(&f, 0, sizeof f);
	f.open_only = 1;
	f.from = calendar_add_working_days(rc->cal, rc->today, -(back + 1));
	f.to = calendar_add_working_days(rc->cal, rc->today, maxlead);
	store_units(rc->store, 0, remind_collect_unit, rc);
	store_agenda(rc->store, &f, remind_occurrence, rc);
	f.undated_only = 1;
	store_agenda(rc->store, &f, remind_ongoing, rc);
}

/* Frees what a pass collected. */
static void
remind_clear(struct remind_ctx *rc)
{
	size_t	i;

	for (i = 0; i < rc->nunits; i++) {
		free(rc->units[i].code);
		free(rc->units[i].name);
		free(rc->units[i].lang);
		free(rc->units[i].emails);
		free(rc->units[i].webhook);
		free(rc->units[i].webhook_template);
		free(rc->units[i].parent);
	}
	for (i = 0; i < rc->nitems; i++) {
		free(rc->items[i].plan_ref);
		free(rc->items[i].title);
		free(rc->items[i].action);
		free(rc->items[i].time_text);
		free(rc->items[i].unit_name);
		free(rc->items[i].lead_units);
		free(rc->items[i].support_units);
		free(rc->items[i].notice);
		free(rc->items[i].escalate);
		free(rc->items[i].done_link);
	}
	free(rc->units);
	free(rc->items);
	if (rc->link_key != NULL) {
		explicit_bzero(rc->link_key, strlen(rc->link_key));
		free(rc->link_key);
	}
}

/* Reads the key of completion links if one is configured. */
static void
remind_link_key(struct remind_ctx *rc)
{
	char	*cause = NULL;

	if (*rc->cf->http_link_secret_file == '\0')
		return;
	if ((rc->link_key = config_read_secret(rc->cf->http_link_secret_file,
	    &cause)) == NULL || *rc->link_key == '\0') {
		log_warnx("completion links left out: %s", cause != NULL ?
		    cause : "empty link secret file");
		free(rc->link_key);
		rc->link_key = NULL;
	}
	free(cause);
}

/* 1 if a pass may send today at this time. */
static int
remind_sending_time(const struct config *cf, struct calendar *cal, time_t now)
{
	date_t	today = date_of_time(now);

	if (cf->working_days_only && !calendar_is_working_day(cal, today))
		return (0);
	return (now >= date_time_at(today, cf->send_hour, cf->send_minute));
}

time_t
remind_next(const struct config *cf, struct calendar *cal, time_t now)
{
	date_t	day = date_of_time(now);
	time_t	t;
	int	i;

	for (i = 0; i < 400; i++, day++) {
		if (cf->working_days_only && !calendar_is_working_day(cal, day))
			continue;
		t = date_time_at(day, cf->send_hour, cf->send_minute);
		if (t > now)
			return (t);
	}
	return (now + 86400);
}

int
remind_pass(struct store *s, const struct config *cf, struct calendar *cal,
    time_t now, struct remind_stats *stats, char **cause)
{
	struct remind_ctx	rc;
	size_t			i;
	int			failed = 0;

	memset(stats, 0, sizeof *stats);
	if (!remind_sending_time(cf, cal, now))
		return (0);
	memset(&rc, 0, sizeof rc);
	rc.store = s;
	rc.cf = cf;
	rc.cal = cal;
	rc.now = now;
	rc.today = date_of_time(now);
	rc.stats = stats;
	if (store_begin(s, cause) != 0)
		return (-1);
	remind_link_key(&rc);
	remind_collect(&rc);
	for (i = 0; !failed && i < rc.nunits; i++)
		failed = remind_digest(&rc, &rc.units[i], 0) != 0;
	for (i = 0; !failed && i < rc.nunits; i++)
		failed = remind_digest(&rc, &rc.units[i], 1) != 0;
	if (!failed)
		failed = remind_escalations_done(&rc) != 0;
	if (failed || store_commit(s, &rc.cause) != 0) {
		store_rollback(s);
		*cause = rc.cause != NULL ? rc.cause : xstrdup("planning failed");
		rc.cause = NULL;
		failed = 1;
	}
	free(rc.cause);
	remind_clear(&rc);
	return (failed ? -1 : 0);
}
