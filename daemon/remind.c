/*
 * The planning pass.  Which stage of its reminders an occurrence is in (a
 * lead offset, due today, an overdue step, escalated) is a function of its
 * effective date and the day, so a pass need not remember what it said per
 * occurrence: it says a stage when the stage today differs from the stage
 * at the last pass (meta plan_day), and records only that day and a pass
 * counter (plan_seq) with the digests it queues, in one transaction.  An
 * occurrence that became news since the last pass (added, moved to another
 * date, reopened: occurrences.born >= plan_seq) or was snoozed then has its
 * current stage said.  After downtime this says the current stage of each
 * occurrence once, coalesced into that day's digest, never the stale ones.
 *
 * Everything the decision needs is in one covering index, so the pass
 * reads no table row of occurrences or tasks; the digests are recorded as
 * item lists (see compose.h) and rendered when the dispatcher sends them.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "compose.h"
#include "config.h"
#include "ids.h"
#include "log.h"
#include "remind.h"
#include "route.h"
#include "store.h"
#include "xmalloc.h"

#define REMIND_MAX_ESCALATION	200	/* items listed in one escalation */

struct remind_unit {
	int64_t	 id;
	char	*code;
	char	*emails;
	char	*webhook;
	char	*parent;
	size_t	 parent_idx;		/* or SIZE_MAX */
	size_t	 first, n;		/* its items, after sorting */
	size_t	 efirst, en;		/* its escalation items */
};

struct remind_item {
	int64_t		 id;		/* occurrence, or task (ongoing) */
	size_t		 unit;		/* index in units */
	int		 wd;
	char		 kind;		/* compose_kind_letter */
	char		 say;		/* in the unit's own digest */
	char		 escalate;
	char		*notice;	/* ongoing period key, or NULL */
};

/* A stage: none, a lead offset, or an overdue step. */
struct remind_stage {
	int	what;			/* 0 none, 1 lead, 2 overdue */
	int	value;
	int	wd;			/* working days left, < 0 late */
	int	escalated;
};

struct remind_ctx {
	struct store		*store;
	const struct config	*cf;
	struct calendar		*cal;
	time_t			 now;
	date_t			 today;
	date_t			 last;		/* last pass day, or DATE_NONE */
	int64_t			 seq;		/* passes made so far */
	struct remind_unit	*units;
	size_t			 nunits;
	size_t			*by_id;		/* unit index by id, or SIZE_MAX */
	size_t			 nby_id;
	int64_t			*inactive;	/* withdrawn task ids */
	size_t			 ninactive;
	int64_t			*past;		/* past at import, by id */
	size_t			 npast;
	size_t			 coordinator;	/* unit index, or SIZE_MAX */
	int64_t			 past_task;	/* last task named past */
	date_t			 from, to;	/* the window of effective dates */
	struct remind_stage	*at_today, *at_last;	/* by effective - from */
	struct remind_item	*items;
	size_t			 nitems;
	uint32_t		*order;		/* item indexes, sorted by unit */
	size_t			*esc;		/* item indexes by target */
	struct remind_stats	*stats;
	char			*cause;
};

/* Collects one unit of the directory (groups get no digest). */
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
	memset(ru, 0, sizeof *ru);
	ru->id = u->id;
	ru->code = xstrdup(u->code);
	ru->emails = xstrdup(u->emails != NULL ? u->emails : "");
	ru->webhook = u->webhook != NULL && u->webhook_disabled_at == NULL ?
	    xstrdup(u->webhook) : NULL;
	ru->parent = u->parent != NULL ? xstrdup(u->parent) : NULL;
	return (0);
}

/* The index of a unit by code (units are sorted by code), or SIZE_MAX. */
static size_t
remind_unit_by_code(const struct remind_ctx *rc, const char *code)
{
	size_t	lo = 0, hi = rc->nunits, mid;
	int	c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(code, rc->units[mid].code)) == 0)
			return (mid);
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return (SIZE_MAX);
}

/* Indexes the directory by id and resolves parents. */
static void
remind_index_units(struct remind_ctx *rc)
{
	size_t	i;
	int64_t	max = 0;

	for (i = 1; i < rc->nunits; i++)
		if (strcmp(rc->units[i - 1].code, rc->units[i].code) >= 0)
			fatalx("%s: units out of order", __func__);
	for (i = 0; i < rc->nunits; i++)
		if (rc->units[i].id > max)
			max = rc->units[i].id;
	rc->nby_id = (size_t)max + 1;
	rc->by_id = xreallocarray(NULL, rc->nby_id, sizeof *rc->by_id);
	for (i = 0; i < rc->nby_id; i++)
		rc->by_id[i] = SIZE_MAX;
	for (i = 0; i < rc->nunits; i++) {
		rc->by_id[rc->units[i].id] = i;
		rc->units[i].parent_idx = rc->units[i].parent != NULL ?
		    remind_unit_by_code(rc, rc->units[i].parent) : SIZE_MAX;
	}
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

/* The stage on day of an occurrence due on effective. */
static void
remind_stage_on(struct remind_ctx *rc, date_t day, date_t effective,
    struct remind_stage *st)
{
	const struct config	*cf = rc->cf;
	int			 wd, step;

	memset(st, 0, sizeof *st);
	if (day == DATE_NONE)
		return;
	if (effective >= day) {
		wd = calendar_working_days_between(rc->cal, day, effective);
		if ((st->value = remind_lead_stage(cf, wd)) >= 0)
			st->what = 1;
		st->wd = wd;
		return;
	}
	wd = calendar_working_days_between(rc->cal, effective, day);
	if (wd < 1)
		wd = 1;
	st->wd = -wd;
	step = (wd - 1) / cf->overdue_every + 1;
	if (step <= cf->overdue_max) {
		st->what = 2;
		st->value = step;
	}
	st->escalated = cf->escalate_after > 0 && wd >= cf->escalate_after;
}

/* The window of effective dates a pass looks at, and its stages. */
static void
remind_window(struct remind_ctx *rc)
{
	const struct config	*cf = rc->cf;
	int			 i, maxlead = 0, back;
	size_t			 n, k;

	for (i = 0; i < cf->nlead; i++)
		if (cf->lead[i] > maxlead)
			maxlead = cf->lead[i];
	back = cf->overdue_every * cf->overdue_max;
	if (cf->escalate_after + 1 > back)
		back = cf->escalate_after + 1;
	rc->from = calendar_add_working_days(rc->cal, rc->today, -(back + 1));
	rc->to = calendar_add_working_days(rc->cal, rc->today, maxlead);
	n = (size_t)(rc->to - rc->from) + 1;
	rc->at_today = xcalloc(n, sizeof *rc->at_today);
	rc->at_last = xcalloc(n, sizeof *rc->at_last);
	for (k = 0; k < n; k++) {
		remind_stage_on(rc, rc->today, rc->from + (date_t)k,
		    &rc->at_today[k]);
		remind_stage_on(rc, rc->last, rc->from + (date_t)k,
		    &rc->at_last[k]);
	}
}

/* 1 if id is in the ascending list v of n. */
static int
remind_listed(const int64_t *v, size_t n, int64_t id)
{
	size_t	lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (v[mid] == id)
			return (1);
		if (v[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (0);
}

/* 1 if a task is withdrawn. */
static int
remind_inactive(const struct remind_ctx *rc, int64_t task_id)
{
	return (remind_listed(rc->inactive, rc->ninactive, task_id));
}

/* Appends an item for a unit; the caller fills it. */
static struct remind_item *
remind_add(struct remind_ctx *rc, int64_t id, size_t unit)
{
	struct remind_item	*it;

	if (rc->nitems == UINT32_MAX)
		fatalx("%s: too many items", __func__);
	if ((rc->nitems & (rc->nitems - 1)) == 0)
		rc->items = xreallocarray(rc->items, rc->nitems ?
		    rc->nitems * 2 : 64, sizeof *rc->items);
	it = &rc->items[rc->nitems++];
	memset(it, 0, sizeof *it);
	it->id = id;
	it->unit = unit;
	return (it);
}

/* Decides what, if anything, an open occurrence gets today. */
static int
remind_occurrence(const struct store_stage_row *o, void *arg)
{
	struct remind_ctx		*rc = arg;
	const struct remind_stage	*now, *then;
	static const struct remind_stage none;
	struct remind_item		*it;
	size_t				 unit;
	int				 say, esc;

	if (o->effective < rc->from || o->effective > rc->to ||
	    o->unit_id < 0 || (size_t)o->unit_id >= rc->nby_id ||
	    (unit = rc->by_id[o->unit_id]) == SIZE_MAX)
		return (0);
	if (o->snooze_until != DATE_NONE && o->snooze_until > rc->today)
		return (0);
	/* Due before its plan was imported: the coordinator's, not theirs. */
	if (remind_listed(rc->past, rc->npast, o->id))
		return (0);
	now = &rc->at_today[o->effective - rc->from];
	then = &rc->at_last[o->effective - rc->from];
	if (rc->last == DATE_NONE || o->born >= rc->seq ||
	    (o->snooze_until != DATE_NONE && o->snooze_until > rc->last))
		then = &none;
	say = now->what != 0 && (now->what != then->what ||
	    now->value != then->value);
	esc = now->escalated && !then->escalated;
	if ((!say && !esc) || remind_inactive(rc, o->task_id))
		return (0);
	it = remind_add(rc, o->id, unit);
	it->wd = now->wd;
	it->say = say;
	it->escalate = esc;
	if (now->what == 2 || now->what == 0)
		it->kind = compose_kind_letter(MESSAGE_OVERDUE);
	else
		it->kind = compose_kind_letter(o->effective == rc->today ?
		    MESSAGE_DUE_TODAY : MESSAGE_DUE_SOON);
	return (0);
}

/* The key of the ongoing section's period, or NULL when never. */
static char *
remind_ongoing_period(const struct remind_ctx *rc, const char *unit)
{
	int	 y, m, d;
	char	*key;

	date_to_ymd(rc->today, &y, &m, &d);
	switch (rc->cf->ongoing_digest) {
	case CONFIG_ONGOING_NEVER:
		return (NULL);
	case CONFIG_ONGOING_DAILY:
		xasprintf(&key, "g/%s/%04d-%02d-%02d", unit, y, m, d);
		break;
	case CONFIG_ONGOING_WEEKLY:
		xasprintf(&key, "g/%s/w%d", unit, (int)((rc->today + 3) / 7));
		break;
	case CONFIG_ONGOING_MONTHLY:
	default:
		xasprintf(&key, "g/%s/%04d-%02d", unit, y, m);
		break;
	}
	return (key);
}

/* Adds an ongoing task to its unit's periodic section. */
static int
remind_ongoing(const struct store_occurrence *o, void *arg)
{
	struct remind_ctx	*rc = arg;
	struct remind_item	*it;
	size_t			 unit;
	char			*key;
	int			 seen;

	if (strcmp(o->kind, "ongoing") != 0 || o->unit_id < 0 ||
	    (size_t)o->unit_id >= rc->nby_id ||
	    (unit = rc->by_id[o->unit_id]) == SIZE_MAX)
		return (0);
	if ((key = remind_ongoing_period(rc, o->unit_code)) == NULL)
		return (0);
	if ((seen = store_notice_seen(rc->store, key, &rc->cause)) != 0) {
		free(key);
		return (seen < 0 ? -1 : 0);
	}
	it = remind_add(rc, o->task_id, unit);
	it->kind = compose_kind_letter(MESSAGE_ONGOING);
	it->say = 1;
	it->notice = key;
	return (0);
}

/*
 * Collects an occurrence past at import (the unit is not told of it) and
 * names its task to the coordinator, once ("p/TASK"): its first
 * occurrence stands for it.  Rows come by task.
 */
static int
remind_past(const struct store_past_row *r, void *arg)
{
	struct remind_ctx	*rc = arg;
	struct remind_item	*it;
	char			*key;
	int			 seen = 0;

	if ((rc->npast & (rc->npast - 1)) == 0)
		rc->past = xreallocarray(rc->past, rc->npast ? rc->npast * 2 :
		    16, sizeof *rc->past);
	rc->past[rc->npast++] = r->occurrence_id;
	if (r->task_id == rc->past_task || rc->coordinator == SIZE_MAX)
		return (0);
	rc->past_task = r->task_id;
	xasprintf(&key, "p/%lld", (long long)r->task_id);
	if ((seen = store_notice_seen(rc->store, key, &rc->cause)) != 0 ||
	    remind_inactive(rc, r->task_id)) {
		free(key);
		return (seen < 0 ? -1 : 0);
	}
	it = remind_add(rc, r->occurrence_id, rc->coordinator);
	it->kind = compose_kind_letter(MESSAGE_REVIEW);
	it->say = 1;
	it->notice = key;
	return (0);
}

/* Names a task whose time cell needs review, in the day's digest. */
static int
remind_review_task(const struct store_task *t, void *arg)
{
	struct remind_ctx	*rc = arg;
	struct remind_item	*it;

	it = remind_add(rc, t->id, rc->coordinator);
	it->kind = 'r';
	it->say = 1;
	return (0);
}

/*
 * The coordinator's section: tasks whose time cell needs review, every
 * day until fixed (the first item carries the day's notice, so a second
 * pass the same day adds nothing).  -1 and rc->cause on a read error.
 */
static int
remind_review(struct remind_ctx *rc)
{
	size_t	first = rc->nitems;
	char	*key, day[11];
	int	 seen;

	if (rc->coordinator == SIZE_MAX)
		return (0);
	date_format_iso(rc->today, day);
	xasprintf(&key, "r/%s/%s", rc->units[rc->coordinator].code, day);
	if ((seen = store_notice_seen(rc->store, key, &rc->cause)) == 0)
		seen = store_tasks_review(rc->store, NULL, remind_review_task,
		    rc, &rc->cause);
	if (seen < 0) {
		free(key);
		return (-1);
	}
	if (rc->nitems > first)
		rc->items[first].notice = key;
	else
		free(key);
	return (0);
}

/* The item at position i of the order by unit. */
static struct remind_item *
remind_sorted(struct remind_ctx *rc, size_t i)
{
	return (&rc->items[rc->order[i]]);
}

/*
 * Orders the items by unit (stably: each unit's stay in date order) and
 * lists the escalations by the unit they go to: the late unit's parent and
 * the coordinator, never the late unit itself.
 */
static void
remind_sort(struct remind_ctx *rc, size_t coordinator)
{
	struct remind_unit	*u;
	struct remind_item	*it;
	size_t			 i, pos, nesc = 0, target[2];
	int			 t;

	for (i = 0; i < rc->nitems; i++)
		rc->units[rc->items[i].unit].n++;
	for (i = 0, pos = 0; i < rc->nunits; i++) {
		rc->units[i].first = pos;
		pos += rc->units[i].n;
		rc->units[i].n = 0;
	}
	rc->order = xreallocarray(NULL, rc->nitems + 1, sizeof *rc->order);
	for (i = 0; i < rc->nitems; i++) {
		u = &rc->units[rc->items[i].unit];
		rc->order[u->first + u->n++] = (uint32_t)i;
	}
	/* Two passes again for the escalation lists. */
	for (pos = 0; pos < 2; pos++) {
		for (i = 0; i < rc->nitems; i++) {
			it = remind_sorted(rc, i);
			if (!it->escalate)
				continue;
			u = &rc->units[it->unit];
			target[0] = u->parent_idx;
			target[1] = coordinator != u->parent_idx ?
			    coordinator : SIZE_MAX;
			for (t = 0; t < 2; t++) {
				if (target[t] == SIZE_MAX ||
				    target[t] == it->unit)
					continue;
				if (pos == 0)
					rc->units[target[t]].en++;
				else {
					u = &rc->units[target[t]];
					rc->esc[u->efirst + u->en++] = i;
				}
			}
		}
		if (pos == 0) {
			for (i = 0; i < rc->nunits; i++) {
				rc->units[i].efirst = nesc;
				nesc += rc->units[i].en;
				rc->units[i].en = 0;
			}
			rc->esc = xreallocarray(NULL, nesc + 1,
			    sizeof *rc->esc);
		}
	}
}

/* Appends a decimal number. */
static void
remind_spec_number(struct buf *b, long long v)
{
	char			 digits[24], *p = digits + sizeof digits;
	unsigned long long	 u = v < 0 ? -(unsigned long long)v :
	    (unsigned long long)v;

	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	buf_add(b, p, (size_t)(digits + sizeof digits - p));
}

/*
 * Appends an occurrence to the spec: items of one kind and working days
 * (in a unit's list, those of one date) share an "i KIND WD ID..." line,
 * so a digest of 45 items is some 300 bytes, not 700.
 */
static void
remind_spec_item(struct buf *b, int *kind, int *wd, int k, int w, int64_t id)
{
	if (*kind != k || *wd != w) {
		if (*kind != 0)
			buf_addc(b, '\n');
		buf_addc(b, 'i');
		buf_addc(b, ' ');
		buf_addc(b, (char)k);
		buf_addc(b, ' ');
		remind_spec_number(b, w);
		*kind = k;
		*wd = w;
	}
	buf_addc(b, ' ');
	remind_spec_number(b, (long long)id);
}

/* The spec of a unit's digest or escalation digest; caller frees. */
static char *
remind_spec(struct remind_ctx *rc, const struct remind_unit *u,
    int escalation, size_t *n)
{
	struct remind_item	*it;
	struct buf		 b;
	size_t			 i, count;
	int			 kind = 0, wd = 0;

	buf_init(&b);
	buf_adds(&b, COMPOSE_MAGIC);
	*n = 0;
	if (escalation) {
		count = u->en > REMIND_MAX_ESCALATION ?
		    REMIND_MAX_ESCALATION : u->en;
		buf_printf(&b, "escalation 1\nmore %zu\n", u->en - count);
		for (i = 0; i < count; i++) {
			it = remind_sorted(rc, rc->esc[u->efirst + i]);
			remind_spec_item(&b, &kind, &wd, 'e', it->wd, it->id);
		}
		if (kind != 0)
			buf_addc(&b, '\n');
		*n = count;
		return (buf_steal(&b));
	}
	for (i = 0; i < u->n; i++) {
		it = remind_sorted(rc, u->first + i);
		if (!it->say)
			continue;
		if (it->kind == 'g' || it->kind == 'r') {
			if (kind != 0)
				buf_addc(&b, '\n');
			kind = 0;
			buf_printf(&b, "%c %lld\n", it->kind, (long long)it->id);
		} else
			remind_spec_item(&b, &kind, &wd, it->kind, it->wd,
			    it->id);
		(*n)++;
	}
	if (kind != 0)
		buf_addc(&b, '\n');
	return (buf_steal(&b));
}

/* Queues a digest along every route of a unit; 0 or -1. */
static int
remind_deliver(struct remind_ctx *rc, const struct remind_unit *u,
    const char *spec, const char *base)
{
	struct route_message	 msg;
	struct routes		 r;
	size_t			 i;
	int			 added, rc_ = 0;

	memset(&msg, 0, sizeof msg);
	msg.base = base;
	msg.unit_id = u->id;
	msg.day = rc->today;
	msg.now = rc->now;
	msg.spec = spec;
	route_unit(rc->cf, u->emails, u->webhook, &r);
	for (i = 0; rc_ == 0 && i < r.n; i++) {
		rc_ = route_queue(rc->store, rc->cf, &r.list[i], &msg, &added,
		    &rc->cause);
		rc->stats->messages += added;
	}
	if (r.n == 0)
		rc->stats->skipped_units++;
	route_clear(&r);
	return (rc_);
}

/*
 * The key base of a unit's digest of the day: "digest/CODE/DAY", and
 * "#2", "#3"... for later digests the same day (a task added after the
 * morning pass).  Only a second pass the same day needs to look.  NULL
 * and rc->cause if the outbox cannot be read.
 */
static char *
remind_base(struct remind_ctx *rc, const struct remind_unit *u,
    int escalation)
{
	char	*prefix, *base, *probe, day[11];
	int	 seq = 1, found;

	date_format_iso(rc->today, day);
	xasprintf(&prefix, "%s/%s/%s", escalation ? "escalation" : "digest",
	    u->code, day);
	base = xstrdup(prefix);
	if (rc->last != rc->today)
		goto out;
	for (;;) {
		xasprintf(&probe, "%s/", base);
		found = store_outbox_key_prefix(rc->store, probe, &rc->cause);
		free(probe);
		if (found < 0) {
			free(base);
			base = NULL;
		}
		if (found <= 0)
			break;
		free(base);
		xasprintf(&base, "%s#%d", prefix, ++seq);
	}
out:
	free(prefix);
	return (base);
}

/* Builds and queues one unit's digest (or escalation digest). */
static int
remind_digest(struct remind_ctx *rc, struct remind_unit *u, int escalation)
{
	struct remind_item	*it;
	char			*spec, *base;
	size_t			 n, i;
	int			 rc_;

	if ((escalation ? u->en : u->n) == 0)
		return (0);
	spec = remind_spec(rc, u, escalation, &n);
	if (n == 0) {
		free(spec);
		return (0);
	}
	if ((base = remind_base(rc, u, escalation)) == NULL) {
		free(spec);
		return (-1);
	}
	rc_ = remind_deliver(rc, u, spec, base);
	for (i = 0; rc_ == 0 && !escalation && i < u->n; i++) {
		it = remind_sorted(rc, u->first + i);
		if (it->notice != NULL)
			rc_ = store_notice_add(rc->store, it->notice,
			    rc->today, base, &rc->cause);
	}
	if (escalation)
		rc->stats->escalations++;
	else {
		rc->stats->units++;
		rc->stats->items += (int)n;
	}
	free(base);
	free(spec);
	return (rc_);
}

/* Reads the last pass and what today brings; 0, or -1 and rc->cause. */
static int
remind_collect(struct remind_ctx *rc)
{
	struct store_agenda_filter	 f;
	char				*v;

	if (store_meta_get(rc->store, "plan_day", &v, &rc->cause) != 0)
		return (-1);
	if (v == NULL || date_parse_iso(v, &rc->last) != 0)
		rc->last = DATE_NONE;
	free(v);
	if (store_meta_get(rc->store, "plan_seq", &v, &rc->cause) != 0)
		return (-1);
	rc->seq = v != NULL ? strtoll(v, NULL, 10) : 0;
	free(v);
	if (store_units(rc->store, 0, remind_collect_unit, rc,
	    &rc->cause) != 0)
		return (-1);
	remind_index_units(rc);
	if (store_tasks_inactive(rc->store, &rc->inactive, &rc->ninactive,
	    &rc->cause) != 0)
		return (-1);
	rc->coordinator = remind_unit_by_code(rc, rc->cf->coordinator);
	if (store_occ_past(rc->store, remind_past, rc, &rc->cause) != 0)
		return (-1);
	if (rc->npast > 1)
		qsort(rc->past, rc->npast, sizeof *rc->past, id_cmp);
	remind_window(rc);
	if (store_stage_window(rc->store, rc->from, rc->to, remind_occurrence,
	    rc, &rc->cause) != 0)
		return (-1);
	memset(&f, 0, sizeof f);
	f.open_only = 1;
	f.undated_only = 1;
	if (store_agenda(rc->store, &f, remind_ongoing, rc, &rc->cause) != 0)
		return (-1);
	return (remind_review(rc));
}

/* Records this pass: the day and the count, for the next one. */
static int
remind_record(struct remind_ctx *rc)
{
	char	day[11], seq[32];

	date_format_iso(rc->today, day);
	snprintf(seq, sizeof seq, "%lld", (long long)rc->seq + 1);
	if (store_meta_set(rc->store, "plan_day", day, &rc->cause) != 0 ||
	    store_meta_set(rc->store, "plan_seq", seq, &rc->cause) != 0)
		return (-1);
	return (0);
}

/* Frees what a pass collected. */
static void
remind_clear(struct remind_ctx *rc)
{
	size_t	i;

	for (i = 0; i < rc->nunits; i++) {
		free(rc->units[i].code);
		free(rc->units[i].emails);
		free(rc->units[i].webhook);
		free(rc->units[i].parent);
	}
	for (i = 0; i < rc->nitems; i++)
		free(rc->items[i].notice);
	free(rc->units);
	free(rc->by_id);
	free(rc->inactive);
	free(rc->past);
	free(rc->at_today);
	free(rc->at_last);
	free(rc->items);
	free(rc->order);
	free(rc->esc);
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
	/* A pass that could not read all it needed says nothing. */
	if (remind_collect(&rc) != 0)
		failed = 1;
	else
		remind_sort(&rc, remind_unit_by_code(&rc, cf->coordinator));
	for (i = 0; !failed && i < rc.nunits; i++)
		failed = remind_digest(&rc, &rc.units[i], 0) != 0;
	for (i = 0; !failed && i < rc.nunits; i++)
		failed = remind_digest(&rc, &rc.units[i], 1) != 0;
	/*
	 * A pass that said nothing is not recorded: every stage it saw was
	 * already the stage at the last recorded pass (or none), so that
	 * pass still serves as the reference, and an idle daemon writes
	 * nothing.
	 */
	if (!failed && rc.nitems > 0)
		failed = remind_record(&rc) != 0;
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
