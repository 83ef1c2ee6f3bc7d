/*
 * Calendar feeds from the store.  The rows of a feed come ordered by task,
 * unit and nominal date; each run of one task x unit (a series) becomes
 * one event.  A recurring series is exported as its rule only when the
 * rule, expanded from the first nominal date to the last, gives exactly
 * the nominal dates stored (a rule changed in mid-year leaves done
 * occurrences of the old rule behind): otherwise each occurrence is a
 * one-off event, so a client never shows a date the agenda does not.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "assignees.h"
#include "atomic.h"
#include "config.h"
#include "feed.h"
#include "ics.h"
#include "ids.h"
#include "link.h"
#include "log.h"
#include "store.h"
#include "xmalloc.h"

/*
 * Feeds name every task of a unit: readable by the daemon's group (a web
 * server in it may send them), never by others, whatever the umask.
 */
#define FEED_MODE	0640
#define FEED_DIR_MODE	0750

#define FEED_ALL_NAME	"Tất cả đơn vị"
/*
 * The domain of every install's UIDs before each had its own; kept by the
 * installs that handed feeds out then (feed_uid_domain).
 */
#define FEED_UID_LEGACY	"deadlined"
#define FEED_UID_META	"feed_uid_domain"

/*
 * A task's DESCRIPTION names every lead and support unit: on a province's
 * database (150 units, 1,340 tasks) building it for each unit's feed again
 * took two thirds of rendering the feeds.  A pass keeps each task's text
 * once, up to this many bytes; past it a text is built each time.
 */
#define FEED_DESC_CACHE_MAX	(8 * 1024 * 1024)

/* The DESCRIPTION of each task built so far in a pass (open addressing). */
struct feed_descs {
	int64_t	*task;		/* 0: empty slot */
	char	**text;
	size_t	 size;		/* slots, a power of two */
	size_t	 n;
	size_t	 bytes;
};

/* What every feed of a pass shares. */
struct feed_ctx {
	struct store		*store;
	const struct config	*cf;
	char			*link_key;	/* NULL: no completion links */
	char			*uid_domain;
	struct feed_descs	*descs;		/* NULL: none kept */
};

/* One stored occurrence of the series being read. */
struct feed_occ {
	int64_t	id;
	date_t	nominal;
	date_t	effective;
	int	done;
	int	open;
	int	sequence;
};

/* The model being built, and the series being read. */
struct feed_model {
	const struct feed_ctx	*ctx;
	struct store		*store;
	struct ics_rules	*rules;
	date_t			 today;
	struct ics_event	*events;
	size_t			 nevents;
	size_t			 sevents;
	void			**owned;
	size_t			 nowned;
	size_t			 sowned;

	int64_t			 task_id;	/* the series: 0 before any */
	int64_t			 unit_id;
	char			*unit_code;
	char			*uid;
	const char		*kind;
	char			*rrule;
	date_t			 due;
	date_t			 starts;
	int			 revision;
	struct feed_occ		*occ;
	size_t			 nocc;
	size_t			 socc;

	int64_t			 text_task;	/* texts of this task */
	char			*summary;
	char			*description;
	char			*categories;

	/* Each series is written out as soon as it is read. */
	struct ics_writer	*writer;
	char			*cause;
	int			 failed;
};

/* Keeps p until the model is freed; returns p. */
static void *
feed_keep(struct feed_model *m, void *p)
{
	if (m->nowned == m->sowned) {
		m->sowned = m->sowned == 0 ? 64 : m->sowned * 2;
		m->owned = xreallocarray(m->owned, m->sowned,
		    sizeof *m->owned);
	}
	m->owned[m->nowned++] = p;
	return (p);
}

/* Frees what the series written last held. */
static void
feed_model_drop(struct feed_model *m)
{
	size_t	i;

	for (i = 0; i < m->nowned; i++)
		free(m->owned[i]);
	m->nowned = 0;
	m->nevents = 0;
}

/* Frees the model's memory. */
static void
feed_model_free(struct feed_model *m)
{
	feed_model_drop(m);
	free(m->owned);
	free(m->events);
	free(m->occ);
	free(m->unit_code);
	free(m->summary);
	free(m->description);
	free(m->categories);
	ics_rules_free(m->rules);
}

/* A new event in the model, zeroed. */
static struct ics_event *
feed_new_event(struct feed_model *m)
{
	struct ics_event	*ev;

	if (m->nevents == m->sevents) {
		m->sevents = m->sevents == 0 ? 64 : m->sevents * 2;
		m->events = xreallocarray(m->events, m->sevents,
		    sizeof *m->events);
	}
	ev = &m->events[m->nevents++];
	memset(ev, 0, sizeof *ev);
	ev->until = DATE_NONE;
	return (ev);
}

/* "plan-ref-unit": letters, digits, '.', '_' and '-' only; caller frees. */
static char *
feed_uid_base(const char *plan, const char *ref, const char *unit)
{
	char	*s, *p;

	xasprintf(&s, "%s-%s-%s", plan, ref, unit);
	for (p = s; *p != '\0'; p++) {
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789._-", *p) == NULL)
			*p = '-';
	}
	return (s);
}

/* The UID of a series, with a date suffix for a one-off of a series. */
static char *
feed_uid(struct feed_model *m, date_t nominal)
{
	char	*uid;
	int	 y, mo, d;

	if (nominal == DATE_NONE)
		xasprintf(&uid, "%s@%s", m->uid, m->ctx->uid_domain);
	else {
		date_to_ymd(nominal, &y, &mo, &d);
		xasprintf(&uid, "%s-%04d%02d%02d@%s", m->uid, y, mo, d,
		    m->ctx->uid_domain);
	}
	return (feed_keep(m, uid));
}

/*
 * The last day a feed's link to an occurrence due on day works: link_days
 * after the due date, moved on by whole periods of link_days once that
 * has passed, so that it is always at least link_days ahead of today yet
 * changes (and rewrites the feed) once a period, not every day.
 */
static date_t
feed_link_until(date_t day, date_t today, int link_days)
{
	date_t	periods = 0;

	if (today > day)
		periods = (today - day) / link_days + 1;
	return (day + (periods + 1) * link_days);
}

/*
 * The URL of the event of occurrence o: today, the page of its completion
 * link (what a reminder's link opens; none without a link key).  This is
 * the one place that says where an event leads: when the console serves
 * task and unit pages (issue #19) it switches here to them, with
 * m->task_id, m->unit_code and the configuration's base_url at hand.
 * Caller frees; NULL: no URL.
 */
static char *
feed_event_url(const struct feed_model *m, const struct feed_occ *o)
{
	const struct config	*cf = m->ctx->cf;
	char			*token, *url;
	time_t			 expires;

	if (m->ctx->link_key == NULL || o->id == 0)
		return (NULL);
	expires = date_time_at(feed_link_until(o->effective, m->today,
	    cf->http_link_days) + 1, 0, 0);
	if ((token = link_make(m->ctx->link_key, o->id, o->sequence,
	    m->unit_code, "done", expires)) == NULL)
		return (NULL);
	url = link_url(cf->http_base_url, token);
	free(token);
	return (url);
}

/* The URL of occurrence o, kept with the series; NULL: none. */
static const char *
feed_keep_url(struct feed_model *m, const struct feed_occ *o)
{
	char	*url;

	if ((url = feed_event_url(m, o)) == NULL)
		return (NULL);
	return (feed_keep(m, url));
}

/*
 * The occurrence a recurring event's own URL names: the first still open
 * from today on (the instances before it have their own), else the last.
 */
static const struct feed_occ *
feed_url_occurrence(const struct feed_model *m)
{
	size_t	i;

	for (i = 0; i < m->nocc; i++) {
		if (m->occ[i].open && m->occ[i].effective >= m->today)
			return (&m->occ[i]);
	}
	return (&m->occ[m->nocc - 1]);
}

/* The category of a task in words. */
static const char *
feed_category_name(const char *category)
{
	if (strcmp(category, "fix") == 0)
		return ("Khắc phục");
	if (strcmp(category, "maintain") == 0)
		return ("Duy trì");
	return (category);
}

/* Builds the DESCRIPTION of a task; caller frees; NULL and *cause. */
static char *
feed_description(struct store *s, const struct store_feed_row *r,
    char **cause)
{
	struct buf	 b;
	char		*lead, *support, *notes;

	buf_init(&b);
	buf_adds(&b, r->title);
	if (r->content != NULL && *r->content != '\0')
		buf_printf(&b, "\nNội dung: %s", r->content);
	buf_printf(&b, "\nKế hoạch: %s, mục %s", r->plan_code, r->ref);
	if (assignees_names(s, r->task_id, &lead, &support, cause) != 0) {
		buf_free(&b);
		return (NULL);
	}
	if (*lead != '\0')
		buf_printf(&b, "\nChủ trì: %s", lead);
	if (*support != '\0')
		buf_printf(&b, "\nPhối hợp: %s", support);
	free(lead);
	free(support);
	if (r->time_text != NULL && *r->time_text != '\0')
		buf_printf(&b, "\nThời gian: %s", r->time_text);
	if (store_task_notes(s, r->task_id, &notes, cause) != 0) {
		buf_free(&b);
		return (NULL);
	}
	if (notes != NULL)
		buf_printf(&b, "\nGhi chú: %s", notes);
	free(notes);
	return (buf_steal(&b));
}

/* The slot of a task in the table: its own or the empty one to take. */
static size_t
feed_descs_slot(const struct feed_descs *d, int64_t task)
{
	size_t	i = ((uint64_t)task * 0x9e3779b97f4a7c15ULL) & (d->size - 1);

	while (d->task[i] != 0 && d->task[i] != task)
		i = (i + 1) & (d->size - 1);
	return (i);
}

/* Doubles the table, keeping what it holds. */
static void
feed_descs_grow(struct feed_descs *d)
{
	struct feed_descs	old = *d;
	size_t			i, j;

	d->size = old.size == 0 ? 256 : old.size * 2;
	d->task = xcalloc(d->size, sizeof *d->task);
	d->text = xcalloc(d->size, sizeof *d->text);
	for (i = 0; i < old.size; i++) {
		if (old.task[i] == 0)
			continue;
		j = feed_descs_slot(d, old.task[i]);
		d->task[j] = old.task[i];
		d->text[j] = old.text[i];
	}
	free(old.task);
	free(old.text);
}

/* Keeps a task's text while the table has room for it. */
static void
feed_descs_put(struct feed_descs *d, int64_t task, const char *text)
{
	size_t	len = strlen(text) + 1, i;

	if (task == 0 || d->bytes + len > FEED_DESC_CACHE_MAX)
		return;
	if (2 * (d->n + 1) > d->size)
		feed_descs_grow(d);
	i = feed_descs_slot(d, task);
	d->task[i] = task;
	d->text[i] = xstrdup(text);
	d->n++;
	d->bytes += len;
}

/* Frees the table. */
static void
feed_descs_free(struct feed_descs *d)
{
	size_t	i;

	if (d == NULL)
		return;
	for (i = 0; i < d->size; i++)
		free(d->text[i]);
	free(d->task);
	free(d->text);
	free(d);
}

/* The row's task's DESCRIPTION, kept for the pass; caller frees. */
static char *
feed_description_kept(struct feed_model *m, const struct store_feed_row *r)
{
	struct feed_descs	*d = m->ctx->descs;
	char			*text;
	size_t			 i;

	if (d != NULL && d->size > 0) {
		i = feed_descs_slot(d, r->task_id);
		if (d->task[i] == r->task_id)
			return (xstrdup(d->text[i]));
	}
	if ((text = feed_description(m->store, r, &m->cause)) != NULL &&
	    d != NULL)
		feed_descs_put(d, r->task_id, text);
	return (text);
}

/* Sets the texts shared by every event of the row's task. */
static void
feed_task_texts(struct feed_model *m, const struct store_feed_row *r)
{
	char	*categories = NULL;

	if (m->text_task == r->task_id)
		return;
	m->text_task = r->task_id;
	free(m->summary);
	free(m->description);
	free(m->categories);
	m->summary = xstrdup(r->title);
	if ((m->description = feed_description_kept(m, r)) == NULL)
		m->failed = 1;
	if (r->section != NULL && *r->section != '\0' && r->category != NULL &&
	    *r->category != '\0')
		xasprintf(&categories, "Mục %s, %s", r->section,
		    feed_category_name(r->category));
	else if (r->section != NULL && *r->section != '\0')
		xasprintf(&categories, "Mục %s", r->section);
	else if (r->category != NULL && *r->category != '\0')
		categories = xstrdup(feed_category_name(r->category));
	m->categories = categories;
}

/* 1 if the expansion gives exactly the series' nominal dates. */
static int
feed_rule_matches(const struct feed_model *m, const struct ics_dates *dates)
{
	size_t	i;

	if (dates == NULL || dates->overflow || dates->n != m->nocc)
		return (0);
	for (i = 0; i < m->nocc; i++) {
		if (dates->v[i] != m->occ[i].nominal)
			return (0);
	}
	return (1);
}

/*
 * The first nominal date if the rule gives exactly the series; else NONE.
 * Expansions come from the model's memo: tasks share few rules.
 */
static date_t
feed_rule_start(const struct feed_model *m)
{
	const struct ics_dates	*first;
	date_t			 last = m->occ[m->nocc - 1].nominal, start;
	char			*cause = NULL;

	if (strcmp(m->kind, "recurring") != 0 || m->rrule == NULL ||
	    m->starts == DATE_NONE ||
	    strstr(m->rrule, "UNTIL=") != NULL ||
	    strstr(m->rrule, "COUNT=") != NULL)
		return (DATE_NONE);
	first = ics_rules_expand(m->rules, m->rrule, m->starts, last, &cause);
	free(cause);
	cause = NULL;
	if (first == NULL || first->n == 0 ||
	    (start = first->v[0]) != m->occ[0].nominal)
		return (DATE_NONE);
	if (!feed_rule_matches(m, ics_rules_expand(m->rules, m->rrule, start,
	    last, &cause))) {
		free(cause);
		return (DATE_NONE);
	}
	return (start);
}

/* The sequence of the series: task revision plus its occurrences'. */
static int
feed_sequence(const struct feed_model *m)
{
	size_t	i;
	int	seq = m->revision;

	for (i = 0; i < m->nocc; i++)
		seq += m->occ[i].sequence;
	return (seq);
}

/* 1 if an occurrence is open and its date passed. */
static int
feed_overdue(const struct feed_model *m, const struct feed_occ *o)
{
	return (o->open && o->effective < m->today);
}

/* Adds the series as one recurring event with its overrides. */
static void
feed_add_recurring(struct feed_model *m, date_t start)
{
	struct ics_event	*ev;
	struct ics_instance	*in;
	const struct feed_occ	*o;
	size_t			 i, n = 0;

	in = feed_keep(m, xcalloc(m->nocc, sizeof *in));
	for (i = 0; i < m->nocc; i++) {
		o = &m->occ[i];
		if (o->effective == o->nominal && !o->done &&
		    !feed_overdue(m, o))
			continue;
		in[n].nominal = o->nominal;
		in[n].effective = o->effective;
		in[n].done = o->done;
		in[n].overdue = feed_overdue(m, o);
		in[n].url = feed_keep_url(m, o);
		n++;
	}
	ev = feed_new_event(m);
	ev->uid = feed_uid(m, DATE_NONE);
	ev->url = feed_keep_url(m, feed_url_occurrence(m));
	ev->start = start;
	ev->rrule = m->rrule;
	ev->until = m->occ[m->nocc - 1].nominal;
	ev->instances = in;
	ev->ninstances = n;
}

/* Adds each occurrence of the series as a one-off event. */
static void
feed_add_once(struct feed_model *m)
{
	struct ics_event	*ev;
	const struct feed_occ	*o;
	size_t			 i;
	int			 plain;

	for (i = 0; i < m->nocc; i++) {
		o = &m->occ[i];
		plain = strcmp(m->kind, "once") == 0 && (m->nocc == 1 ||
		    o->nominal == m->due);
		ev = feed_new_event(m);
		ev->uid = feed_uid(m, plain ? DATE_NONE : o->nominal);
		ev->start = o->effective;
		ev->done = o->done;
		ev->overdue = feed_overdue(m, o);
		ev->url = feed_keep_url(m, o);
	}
}

/* Turns the series read so far into events and writes them out. */
static void
feed_flush(struct feed_model *m)
{
	size_t	first = m->nevents, i;
	date_t	start;
	int	seq;

	if (m->nocc == 0 || m->failed)
		return;
	seq = feed_sequence(m);
	if ((start = feed_rule_start(m)) != DATE_NONE)
		feed_add_recurring(m, start);
	else
		feed_add_once(m);
	for (i = first; i < m->nevents; i++) {
		m->events[i].summary = m->summary;
		m->events[i].description = m->description;
		m->events[i].categories = m->categories;
		m->events[i].sequence = seq;
	}
	m->nocc = 0;
	if (ics_writer_add(m->writer, m->events, m->nevents, &m->cause) != 0)
		m->failed = 1;
	feed_model_drop(m);
}

/* Starts a new series at row r. */
static void
feed_begin_series(struct feed_model *m, const struct store_feed_row *r)
{
	m->task_id = r->task_id;
	m->unit_id = r->unit_id;
	free(m->unit_code);
	m->unit_code = xstrdup(r->unit_code);
	m->uid = feed_keep(m, feed_uid_base(r->plan_code, r->ref,
	    r->unit_code));
	m->kind = strcmp(r->kind, "recurring") == 0 ? "recurring" : "once";
	/* A rule clients expand differently is written as one-off events. */
	m->rrule = r->rrule != NULL ? ics_portable_rule(r->rrule) : NULL;
	if (m->rrule != NULL)
		feed_keep(m, m->rrule);
	m->due = r->due;
	m->starts = r->starts;
	m->revision = r->revision;
	feed_task_texts(m, r);
}

/* Reads one row into the model. */
static int
feed_row(const struct store_feed_row *r, void *arg)
{
	struct feed_model	*m = arg;
	struct feed_occ		*o;

	if (m->failed)
		return (1);
	if (r->nominal == DATE_NONE || r->effective == DATE_NONE)
		return (0);
	if (r->task_id != m->task_id || r->unit_id != m->unit_id) {
		feed_flush(m);
		feed_begin_series(m, r);
	}
	if (m->nocc == m->socc) {
		m->socc = m->socc == 0 ? 16 : m->socc * 2;
		m->occ = xreallocarray(m->occ, m->socc, sizeof *m->occ);
	}
	o = &m->occ[m->nocc++];
	o->id = r->occurrence_id;
	o->nominal = r->nominal;
	o->effective = r->effective;
	o->done = strcmp(r->status, "done") == 0;
	o->open = strcmp(r->status, "open") == 0;
	o->sequence = r->sequence;
	return (0);
}

/* Copies a unit's or group's name. */
static int
feed_unit_name(const struct store_unit *u, void *arg)
{
	*(char **)arg = xstrdup(u->name);
	return (0);
}

/* The feed's calendar name; caller frees; NULL and *cause if none. */
static char *
feed_calendar_name(struct store *s, const char *name, char **cause)
{
	char	*title = NULL;

	if (strcmp(name, FEED_ALL) == 0)
		return (xstrdup(FEED_ALL_NAME));
	if (store_unit_get(s, name, feed_unit_name, &title, cause) != 0)
		return (NULL);
	if (title == NULL)
		xasprintf(cause, "no feed '%s' (a unit, a group or all)",
		    name);
	return (title);
}

/* Fills the feed's own fields from the configuration. */
static void
feed_header(struct ics_feed *f, const struct config *cf, const char *title,
    char **organizer)
{
	memset(f, 0, sizeof *f);
	f->name = title;
	f->timezone = cf->timezone;
	f->refresh_minutes = cf->feeds_refresh_minutes;
	f->alarm_days = cf->feeds_alarm_days;
	f->horizon = DATE_NONE;
	*organizer = NULL;
	if (cf->smtp_from != NULL && strchr(cf->smtp_from, '@') != NULL &&
	    strpbrk(cf->smtp_from, " \t\r\n<>\"") == NULL) {
		xasprintf(organizer, "mailto:%s", cf->smtp_from);
		f->organizer = *organizer;
		if (cf->smtp_from_name != NULL && *cf->smtp_from_name != '\0')
			f->organizer_name = cf->smtp_from_name;
	}
}

/*
 * The domain this install's UIDs end in, a host name it alone has (RFC
 * 5545 3.8.4.7): chosen at the first feed or token and recorded, so that
 * it never changes under subscribers (every event with a new UID is
 * another event to a client).  [feeds] uid_domain, when set, is the
 * administrator's choice and replaces the recorded one.  Otherwise an
 * install that handed feeds out before the domain was recorded (a token
 * exists) keeps the domain every install shared then; a new one takes
 * base_url's host, or this machine's name when that is a loopback.
 */
static int
feed_domain_choose(struct store *s, const struct config *cf, char **domain,
    char **cause)
{
	char	 name[256], *token;

	if (*cf->feeds_uid_domain != '\0') {
		*domain = xstrdup(cf->feeds_uid_domain);
		return (0);
	}
	if (store_meta_get(s, FEED_UID_META, domain, cause) != 0)
		return (-1);
	if (*domain != NULL)
		return (0);
	if (store_feed_token(s, FEED_ALL, &token, cause) != 0)
		return (-1);
	if (token != NULL) {
		free(token);
		*domain = xstrdup(FEED_UID_LEGACY);
		return (0);
	}
	if (!config_url_is_loopback(cf->http_base_url) &&
	    (*domain = config_url_host(cf->http_base_url)) != NULL)
		return (0);
	memset(name, 0, sizeof name);
	if (gethostname(name, sizeof name - 1) == 0 && *name != '\0' &&
	    strcmp(name, "localhost") != 0)
		*domain = xstrdup(name);
	else
		*domain = xstrdup(FEED_UID_LEGACY);
	return (0);
}

/* Records the domain of the UIDs if it is not the recorded one; 0 or -1. */
static int
feed_domain_record(struct store *s, const char *domain, char **cause)
{
	char	*old = NULL;
	int	 rc = 0;

	if (store_meta_get(s, FEED_UID_META, &old, cause) != 0)
		return (-1);
	if (old == NULL || strcmp(old, domain) != 0) {
		if (store_begin(s, cause) != 0)
			rc = -1;
		else if (store_meta_set(s, FEED_UID_META, domain, cause) != 0 ||
		    store_commit(s, cause) != 0) {
			store_rollback(s);
			rc = -1;
		}
	}
	free(old);
	return (rc);
}

/* The domain of the UIDs, recorded; caller frees; NULL and *cause. */
static char *
feed_uid_domain(struct store *s, const struct config *cf, char **cause)
{
	char	*domain;

	if (feed_domain_choose(s, cf, &domain, cause) != 0)
		return (NULL);
	if (feed_domain_record(s, domain, cause) != 0) {
		free(domain);
		return (NULL);
	}
	return (domain);
}

/* Sets up what the feeds of a pass share; 0 or -1 and *cause. */
static int
feed_ctx_init(struct feed_ctx *ctx, struct store *s,
    const struct config *cf, char **cause)
{
	char	*why = NULL;

	memset(ctx, 0, sizeof *ctx);
	ctx->store = s;
	ctx->cf = cf;
	if ((ctx->uid_domain = feed_uid_domain(s, cf, cause)) == NULL)
		return (-1);
	ctx->descs = xcalloc(1, sizeof *ctx->descs);
	if (*cf->http_link_secret_file == '\0')
		return (0);
	if ((ctx->link_key = config_read_secret(cf->http_link_secret_file,
	    &why)) == NULL) {
		log_warnx("feed URLs left out: %s", why);
		free(why);
	}
	return (0);
}

/* Frees what feed_ctx_init set up. */
static void
feed_ctx_clear(struct feed_ctx *ctx)
{
	free(ctx->link_key);
	free(ctx->uid_domain);
	feed_descs_free(ctx->descs);
	memset(ctx, 0, sizeof *ctx);
}

/* Renders one feed with the pass's shared settings. */
static int
feed_render_ctx(const struct feed_ctx *ctx, const char *name, int todo,
    time_t dtstamp, date_t today, ics_sink sink, void *arg, char **cause)
{
	struct feed_model	 m;
	struct ics_feed		 f;
	struct store		*s = ctx->store;
	char			*title, *organizer;
	int			 all = strcmp(name, FEED_ALL) == 0, rc = 0;

	if ((title = feed_calendar_name(s, name, cause)) == NULL)
		return (-1);
	feed_header(&f, ctx->cf, title, &organizer);
	f.dtstamp = dtstamp;
	f.todo = todo;
	memset(&m, 0, sizeof m);
	m.ctx = ctx;
	m.store = s;
	m.rules = ics_rules_new();
	m.today = today;
	if ((m.writer = ics_writer_new(&f, sink, arg, cause)) == NULL)
		rc = -1;
	else {
		if (store_feed_rows(s, all ? NULL : name, feed_row, &m,
		    &m.cause) < 0)
			m.failed = 1;
		feed_flush(&m);
		if (m.failed) {
			ics_writer_free(m.writer);
			*cause = m.cause != NULL ? m.cause :
			    xstrdup("cannot render the feed");
			m.cause = NULL;
			rc = -1;
		} else
			rc = ics_writer_finish(m.writer, cause);
	}
	free(m.cause);
	feed_model_free(&m);
	free(organizer);
	free(title);
	return (rc);
}

int
feed_render_to(struct store *s, const struct config *cf, const char *name,
    int todo, time_t dtstamp, date_t today, ics_sink sink, void *arg,
    char **cause)
{
	struct feed_ctx	ctx;
	int		rc;

	if (feed_ctx_init(&ctx, s, cf, cause) != 0)
		return (-1);
	rc = feed_render_ctx(&ctx, name, todo, dtstamp, today, sink, arg,
	    cause);
	feed_ctx_clear(&ctx);
	return (rc);
}

/* The sink of feed_render: a growing buffer. */
static int
feed_buf_sink(const char *data, size_t len, void *arg)
{
	buf_add(arg, data, len);
	return (0);
}

int
feed_render(struct store *s, const struct config *cf, const char *name,
    int todo, time_t dtstamp, date_t today, char **out, size_t *len,
    char **cause)
{
	struct buf	b;

	*out = NULL;
	buf_init(&b);
	if (feed_render_to(s, cf, name, todo, dtstamp, today, feed_buf_sink,
	    &b, cause) != 0) {
		buf_free(&b);
		return (-1);
	}
	*len = b.len;
	*out = buf_steal(&b);
	return (0);
}

char *
feed_token(struct store *s, const struct config *cf, const char *name,
    int rotate, char **cause)
{
	unsigned char	 bytes[16];
	char		*token, *domain;
	size_t		 i;

	if (!rotate) {
		if (store_feed_token(s, name, &token, cause) != 0)
			return (NULL);
		if (token != NULL)
			return (token);
	}
	/* Before the first token: it marks feeds handed out. */
	if ((domain = feed_uid_domain(s, cf, cause)) == NULL)
		return (NULL);
	free(domain);
	if (RAND_bytes(bytes, sizeof bytes) != 1) {
		*cause = xstrdup("no random bytes for a feed token");
		return (NULL);
	}
	token = xmalloc(2 * sizeof bytes + 1);
	for (i = 0; i < sizeof bytes; i++)
		snprintf(token + 2 * i, 3, "%02x", bytes[i]);
	if (store_begin(s, cause) != 0)
		goto fail;
	if (store_feed_set_token(s, name, token, cause) != 0 ||
	    store_commit(s, cause) != 0) {
		store_rollback(s);
		goto fail;
	}
	return (token);
fail:
	free(token);
	return (NULL);
}

/* Feed names collected for feed_names. */
struct feed_name_list {
	char	**v;
	size_t	  n;
};

/* Collects the code of an active unit or group. */
static int
feed_collect_name(const struct store_unit *u, void *arg)
{
	struct feed_name_list	*l = arg;

	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	l->v[l->n++] = xstrdup(u->code);
	return (0);
}

int
feed_names(struct store *s, int (*fn)(const char *, void *), void *arg,
    char **cause)
{
	struct feed_name_list	l = { NULL, 0 };
	size_t			i;
	int			rc;

	if ((rc = store_units(s, 0, feed_collect_name, &l, cause)) == 0)
		rc = fn(FEED_ALL, arg);
	for (i = 0; i < l.n; i++) {
		if (rc == 0 && strcmp(l.v[i], FEED_ALL) != 0)
			rc = fn(l.v[i], arg);
		free(l.v[i]);
	}
	free(l.v);
	return (rc);
}

/* The DTSTAMP of a feed file (its first, near the top), or 0 if none. */
static time_t
feed_file_stamp(FILE *f)
{
	struct tm	 tm;
	char		 head[16384], *p, *end;
	size_t		 n;

	n = fread(head, 1, sizeof head - 1, f);
	head[n] = '\0';
	rewind(f);
	if ((p = strstr(head, "\nDTSTAMP:")) == NULL)
		return (0);
	memset(&tm, 0, sizeof tm);
	end = strptime(p + 9, "%Y%m%dT%H%M%SZ", &tm);
	if (end == NULL || (*end != '\r' && *end != '\n'))
		return (0);
	return (timegm(&tm));
}

/* Compares a rendering with a file as the chunks come. */
struct feed_cmp {
	FILE	*f;
	int	 differs;
};

static int
feed_cmp_sink(const char *data, size_t len, void *arg)
{
	struct feed_cmp	*c = arg;
	char		 chunk[16384];
	size_t		 k;

	while (len > 0) {
		k = len < sizeof chunk ? len : sizeof chunk;
		if (fread(chunk, 1, k, c->f) != k ||
		    memcmp(chunk, data, k) != 0) {
			c->differs = 1;
			return (-1);	/* no need to render the rest */
		}
		data += k;
		len -= k;
	}
	return (0);
}

/* Writes a rendering into a temporary file, keeping the first error. */
struct feed_out {
	FILE	*f;
	int	 error;
};

static int
feed_file_sink(const char *data, size_t len, void *arg)
{
	struct feed_out	*out = arg;

	if (fwrite(data, 1, len, out->f) == len)
		return (0);
	out->error = errno != 0 ? errno : EIO;
	return (-1);
}

/* What feed_write_all carries from one feed to the next. */
struct feed_writer {
	const struct feed_ctx	*ctx;
	struct store		*store;
	const struct config	*cf;
	time_t			 now;
	struct feed_stats	*stats;
	void			(*keepalive)(void);
	char			*cause;
	char			**only;		/* sorted; NULL: every feed */
	size_t			 nonly;
};

/*
 * 1 if the file at path is what the feed renders to today with the file's
 * own DTSTAMP: the data did not change.  Compared as it renders, so
 * neither is held in memory.
 */
static int
feed_unchanged(struct feed_writer *w, const char *name, int todo,
    const char *path)
{
	struct feed_cmp	 c;
	struct stat	 sb;
	time_t		 stamp;
	char		*cause = NULL;
	int		 same = 0;

	memset(&c, 0, sizeof c);
	if ((c.f = fopen(path, "rb")) == NULL)
		return (0);
	/* A file written by an older version may be open to others. */
	if (fstat(fileno(c.f), &sb) == 0 && (sb.st_mode & 07777) != FEED_MODE)
		fchmod(fileno(c.f), FEED_MODE);
	if ((stamp = feed_file_stamp(c.f)) != 0 && feed_render_ctx(w->ctx,
	    name, todo, stamp, date_of_time(w->now), feed_cmp_sink, &c,
	    &cause) == 0 && !c.differs)
		same = fgetc(c.f) == EOF;
	free(cause);
	fclose(c.f);
	return (same);
}

/*
 * Writes one feed file unless it would not change: rendered into a
 * temporary file, flushed to disk, then renamed over the old one, so a
 * reader sees the old feed or the new, never a part.
 */
static int
feed_update(struct feed_writer *w, const char *name, int todo,
    const char *path)
{
	struct feed_out	 out;
	struct atomic	*a;
	int		 rc;

	if (feed_unchanged(w, name, todo, path)) {
		w->stats->unchanged++;
		return (0);
	}
	if ((a = atomic_open(path, FEED_MODE, &w->cause)) == NULL)
		return (-1);
	out.f = atomic_stream(a);
	out.error = 0;
	rc = feed_render_ctx(w->ctx, name, todo, w->now, date_of_time(w->now),
	    feed_file_sink, &out, &w->cause);
	if (rc != 0) {
		if (out.error != 0) {
			free(w->cause);
			xasprintf(&w->cause, "%s: %s", path,
			    strerror(out.error));
		}
		atomic_abort(a);
		return (-1);
	}
	if (atomic_commit(a, -1, &w->cause) != 0)
		return (-1);
	w->stats->written++;
	return (0);
}

/* Adds a served file to the stats. */
static void
feed_add_file(struct feed_stats *st, const char *name, const char *token,
    const char *path)
{
	struct feed_file	*f;

	st->files = xreallocarray(st->files, st->nfiles + 1,
	    sizeof *st->files);
	f = &st->files[st->nfiles++];
	memset(f, 0, sizeof *f);
	f->name = xstrdup(name);
	f->token = xstrdup(token);
	f->path = xstrdup(path);
}

/* Orders feed names (strcmp), for bsearch. */
static int
feed_name_cmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/*
 * 1 if a feed's file is there to keep: a regular file, not empty (a
 * rendering is never empty).  Its mode is made right as feed_unchanged
 * would.
 */
static int
feed_kept(const char *path)
{
	struct stat	sb;

	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size == 0)
		return (0);
	if ((sb.st_mode & 07777) != FEED_MODE)
		chmod(path, FEED_MODE);
	return (1);
}

/* Writes the files of one feed name: .ics and, if wanted, -todo.ics. */
static int
feed_write_one(const char *name, void *arg)
{
	struct feed_writer	*w = arg;
	char			*token, *file, *path;
	int			 todo, keep, rc = 0;

	if ((token = feed_token(w->store, w->cf, name, 0, &w->cause)) == NULL)
		return (-1);
	w->stats->feeds++;
	keep = w->only != NULL && bsearch(&name, w->only, w->nonly,
	    sizeof *w->only, feed_name_cmp) == NULL;
	for (todo = 0; rc == 0 && todo <= (w->cf->feeds_todo ? 1 : 0); todo++) {
		xasprintf(&file, "%s%s", name, todo ? "-todo" : "");
		xasprintf(&path, "%s/%s.ics", w->cf->feeds_dir, file);
		if (keep && feed_kept(path)) {
			w->stats->unchanged++;
			w->stats->kept++;
		} else
			rc = feed_update(w, name, todo, path);
		if (rc == 0)
			feed_add_file(w->stats, file, token, path);
		if (w->keepalive != NULL)
			w->keepalive();
		free(path);
		free(file);
	}
	free(token);
	return (rc);
}

int
feed_units_add(int64_t unit, int64_t task, void *arg)
{
	struct feed_units	*u = arg;

	(void)task;
	if (unit == 0) {
		u->all = 1;
		return (1);	/* nothing more to learn */
	}
	if (u->n == u->size) {
		u->size = u->size == 0 ? 16 : u->size * 2;
		u->v = xreallocarray(u->v, u->size, sizeof *u->v);
	}
	u->v[u->n++] = unit;
	return (0);
}

void
feed_units_clear(struct feed_units *u)
{
	free(u->v);
	memset(u, 0, sizeof *u);
}

/* Adds a feed name to the writer's sorted set (kept unique). */
static int
feed_only_add(const char *name, void *arg)
{
	struct feed_writer	*w = arg;

	if (w->only != NULL && bsearch(&name, w->only, w->nonly,
	    sizeof *w->only, feed_name_cmp) != NULL)
		return (0);
	w->only = xreallocarray(w->only, w->nonly + 1, sizeof *w->only);
	w->only[w->nonly++] = xstrdup(name);
	qsort(w->only, w->nonly, sizeof *w->only, feed_name_cmp);
	return (0);
}

/*
 * The names of the feeds that show a unit of u: its own, its groups' and
 * "all" when any; 0, or -1 and *cause.
 */
static int
feed_only(struct feed_writer *w, const struct feed_units *u, char **cause)
{
	int64_t	*v;
	size_t	 i, n;
	int	 rc = 0;

	w->only = xcalloc(1, sizeof *w->only);	/* none: not NULL */
	w->nonly = 0;
	/* A write names its unit once per occurrence: ask once a unit. */
	v = xreallocarray(NULL, u->n + 1, sizeof *v);
	if (u->n > 0)
		memcpy(v, u->v, u->n * sizeof *v);
	n = ids_sort_unique(v, u->n);
	for (i = 0; rc == 0 && i < n; i++)
		rc = store_feed_unit_names(w->store, v[i], feed_only_add, w,
		    cause);
	free(v);
	if (rc == 0 && u->n > 0)
		feed_only_add(FEED_ALL, w);
	return (rc);
}

int
feed_write_all(struct store *s, const struct config *cf, time_t now,
    void (*keepalive)(void), struct feed_stats *st, char **cause)
{
	return (feed_write_changed(s, cf, now, NULL, keepalive, st, cause));
}

int
feed_write_changed(struct store *s, const struct config *cf, time_t now,
    const struct feed_units *u, void (*keepalive)(void),
    struct feed_stats *st, char **cause)
{
	struct feed_writer	w;
	struct feed_ctx		ctx;
	size_t			i;
	int			rc = 0;

	memset(st, 0, sizeof *st);
	if (mkdir(cf->feeds_dir, FEED_DIR_MODE) != 0 && errno != EEXIST) {
		xasprintf(cause, "%s: %s", cf->feeds_dir, strerror(errno));
		return (-1);
	}
	if (feed_ctx_init(&ctx, s, cf, cause) != 0)
		return (-1);
	memset(&w, 0, sizeof w);
	w.ctx = &ctx;
	w.store = s;
	w.cf = cf;
	w.now = now;
	w.keepalive = keepalive;
	w.stats = st;
	if ((u != NULL && !u->all && feed_only(&w, u, &w.cause) != 0) ||
	    feed_names(s, feed_write_one, &w, &w.cause) != 0) {
		*cause = w.cause != NULL ? w.cause : xstrdup("feeds failed");
		w.cause = NULL;
		rc = -1;
	}
	for (i = 0; i < w.nonly; i++)
		free(w.only[i]);
	free(w.only);
	free(w.cause);
	feed_ctx_clear(&ctx);
	return (rc);
}

char *
feed_signature(struct store *s, const struct config *cf, date_t today,
    char **cause)
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen = 0, i;
	char		 day[11], *domain, *key = NULL, *why = NULL;
	char		*settings, *text, *hex;

	if ((domain = feed_uid_domain(s, cf, cause)) == NULL)
		return (NULL);
	/* An unreadable key leaves the URLs out: that too is a state. */
	if (*cf->http_link_secret_file != '\0' && (key =
	    config_read_secret(cf->http_link_secret_file, &why)) == NULL)
		free(why);
	date_format_iso(today, day);
	settings = feed_settings(cf);
	xasprintf(&text, "%s\n%s\n%s\n%s\n%s%s", day, cf->feeds_dir,
	    settings, domain, key != NULL ? "key=" : "no key",
	    key != NULL ? key : "");
	EVP_Digest(text, strlen(text), md, &mdlen, EVP_sha256(), NULL);
	if (key != NULL)
		explicit_bzero(key, strlen(key));
	explicit_bzero(text, strlen(text));
	free(key);
	free(text);
	free(settings);
	free(domain);
	hex = xmalloc(2 * mdlen + 1);
	for (i = 0; i < mdlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	hex[2 * mdlen] = '\0';
	return (hex);
}

char *
feed_settings(const struct config *cf)
{
	char	*s;

	xasprintf(&s, "refresh=%d todo=%d alarm=%d uid=%s base=%s key=%s "
	    "link_days=%d tz=%s from=%s name=%s", cf->feeds_refresh_minutes,
	    cf->feeds_todo, cf->feeds_alarm_days, cf->feeds_uid_domain,
	    cf->http_base_url, cf->http_link_secret_file, cf->http_link_days,
	    cf->timezone, cf->smtp_from, cf->smtp_from_name);
	return (s);
}

void
feed_stats_clear(struct feed_stats *st)
{
	size_t	i;

	for (i = 0; i < st->nfiles; i++) {
		free(st->files[i].name);
		free(st->files[i].token);
		free(st->files[i].path);
	}
	free(st->files);
	memset(st, 0, sizeof *st);
}
