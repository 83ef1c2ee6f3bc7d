/*
 * Rendering of planned digests.  The planning pass decides and records only
 * which items a unit is told (the spec); the words are put together here,
 * when the dispatcher first takes the message, and stored back, so a retry
 * or a resend after a crash carries the same bytes and the same key.
 * Items done or withdrawn in between are left out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assignees.h"
#include "compose.h"
#include "config.h"
#include "console-auth.h"
#include "ids.h"
#include "link.h"
#include "mime.h"
#include "route.h"
#include "store.h"
#include "webhook-payload.h"
#include "xmalloc.h"

/*
 * A digest lists at most this many items, the most urgent first, and is
 * at most this large once rendered (halving the items listed until it
 * fits); it says how many more there are.  20,000 open items made a
 * 19.7 MB email that no mail server takes.
 */
#define COMPOSE_MAX_ITEMS	500
#define COMPOSE_MAX_BYTES	(1024 * 1024)

/* The strings an item owns; the last is its plan's code. */
#define COMPOSE_NSTRINGS	10
#define COMPOSE_PLAN		(COMPOSE_NSTRINGS - 1)

struct compose_addressee {
	int64_t	 id;
	char	*code;
	char	*name;
	char	*lang;
	char	*webhook_template;
};

/* One item and the strings it owns. */
struct compose_item {
	struct message_item	 msg;
	int64_t			 occ_id;	/* 0: ongoing */
	int64_t			 task_id;
	char			*strings[COMPOSE_NSTRINGS];
	int			 found;
};

struct compose_ctx {
	struct store		*store;
	const struct config	*cf;
	const struct store_outbox *m;
	const char		*link_key;
	struct compose_addressee unit;
	struct compose_item	*items;
	size_t			 n;
	int			 escalation;
	size_t			 more;
	struct compose_item	*current;
	int64_t			*said;		/* spec occurrences, ascending */
	size_t			 nsaid;
	int64_t			*past;		/* past at import, ascending */
	size_t			 npast;
	struct compose_item	*quiet;		/* overdue, not said today */
	size_t			 nquiet;
	date_t			 day;
	char			*reply_name;	/* whom replies reach */
	char			*reply_addr;
	char			*unit_link;	/* the unit's page, or NULL */
	char			*cause;		/* a read failed */
};

char
compose_kind_letter(enum message_kind kind)
{
	switch (kind) {
	case MESSAGE_DUE_SOON:
		return ('s');
	case MESSAGE_DUE_TODAY:
		return ('t');
	case MESSAGE_OVERDUE:
		return ('o');
	case MESSAGE_ESCALATION:
		return ('e');
	case MESSAGE_REVIEW:
		return ('p');
	case MESSAGE_ONGOING:
		break;
	}
	return ('g');
}

/* The kind of a spec letter, or -1. */
static int
compose_letter_kind(char c)
{
	switch (c) {
	case 's':
		return (MESSAGE_DUE_SOON);
	case 't':
		return (MESSAGE_DUE_TODAY);
	case 'o':
		return (MESSAGE_OVERDUE);
	case 'e':
		return (MESSAGE_ESCALATION);
	case 'p':
		return (MESSAGE_REVIEW);	/* past at import */
	}
	return (-1);
}

static int
compose_unit(const struct store_unit *u, void *arg)
{
	struct compose_addressee	*a = arg;

	a->id = u->id;
	a->code = xstrdup(u->code);
	a->name = xstrdup(u->name);
	a->lang = xstrdup(u->lang != NULL ? u->lang : "vi");
	a->webhook_template = u->webhook_template != NULL ?
	    xstrdup(u->webhook_template) : NULL;
	return (0);
}

/* Keeps a copy of s in the item, or NULL. */
static const char *
compose_keep(struct compose_item *it, int slot, const char *s)
{
	it->strings[slot] = s != NULL ? xstrdup(s) : NULL;
	return (it->strings[slot]);
}

/* A task's lead and supporting units and its notes, NULL if none; 0, -1. */
static int
compose_task_units(struct compose_ctx *cc, struct compose_item *it)
{
	char	*lead, *support;

	if (assignees_names(cc->store, it->task_id, &lead, &support,
	    &cc->cause) != 0)
		return (-1);
	it->strings[5] = *lead != '\0' ? lead : NULL;
	it->strings[6] = *support != '\0' ? support : NULL;
	if (*lead == '\0')
		free(lead);
	if (*support == '\0')
		free(support);
	it->msg.lead_units = it->strings[5];
	it->msg.support_units = it->strings[6];
	if (store_task_notes(cc->store, it->task_id, &it->strings[8],
	    &cc->cause) != 0)
		return (-1);
	it->msg.notes = it->strings[8];
	return (0);
}

/* Fills an item from its occurrence or ongoing task; 0 or -1. */
static int
compose_fill(struct compose_ctx *cc, struct compose_item *it,
    const struct store_occurrence *o)
{
	int	has_content = o->content != NULL && *o->content != '\0';
	char	*ref, *token;

	xasprintf(&ref, "%s %s", o->plan_code, o->ref);
	it->strings[0] = ref;
	it->msg.plan_ref = ref;
	compose_keep(it, COMPOSE_PLAN, o->plan_code);
	it->msg.title = compose_keep(it, 1, has_content ? o->content :
	    o->title);
	it->msg.action = has_content ? compose_keep(it, 2, o->title) : NULL;
	it->msg.time_text = compose_keep(it, 3, o->time_text);
	it->msg.unit_name = compose_keep(it, 4, o->unit_name);
	it->msg.nominal = o->nominal;
	it->msg.effective = o->effective;
	it->task_id = it->msg.task_id = o->task_id;
	if (compose_task_units(cc, it) != 0)
		return (-1);
	if (it->msg.kind == MESSAGE_REVIEW)
		it->msg.review = MESSAGE_REVIEW_PAST;
	if (cc->link_key != NULL && it->occ_id != 0 &&
	    it->msg.kind != MESSAGE_ESCALATION &&
	    it->msg.kind != MESSAGE_REVIEW) {
		token = link_make(cc->link_key, o->id, o->sequence,
		    o->unit_code, "done", cc->m->created_at +
		    (time_t)cc->cf->http_link_days * 86400);
		if (token != NULL) {
			it->strings[7] = link_url(cc->cf->http_base_url, token);
			it->msg.done_link = it->strings[7];
			free(token);
		}
	}
	it->found = 1;
	return (0);
}

/* An occurrence still open is said; one done or gone since is not. */
static int
compose_occurrence(const struct store_occurrence *o, void *arg)
{
	struct compose_ctx	*cc = arg;

	if (strcmp(o->status, "open") == 0)
		return (compose_fill(cc, cc->current, o));
	return (0);
}

/* Picks the addressee's ongoing tasks the spec names. */
static int
compose_ongoing(const struct store_occurrence *o, void *arg)
{
	struct compose_ctx	*cc = arg;
	size_t			 i;

	if (strcmp(o->kind, "ongoing") != 0)
		return (0);
	for (i = 0; i < cc->n; i++) {
		if (cc->items[i].occ_id == 0 && !cc->items[i].found &&
		    cc->items[i].msg.kind == MESSAGE_ONGOING &&
		    cc->items[i].task_id == o->task_id)
			return (compose_fill(cc, &cc->items[i], o));
	}
	return (0);
}

/* Fills a review item from its task ("r" in the spec). */
static int
compose_review_task(const struct store_task *t, void *arg)
{
	struct compose_ctx	*cc = arg;
	struct compose_item	*it;
	int			 has_content;
	size_t			 i;
	char			*ref;

	for (i = 0; i < cc->n; i++) {
		it = &cc->items[i];
		if (it->occ_id != 0 || it->found || it->task_id != t->id ||
		    it->msg.kind != MESSAGE_REVIEW)
			continue;
		has_content = t->content != NULL && *t->content != '\0';
		xasprintf(&ref, "%s %s", t->plan_code, t->ref);
		compose_keep(it, COMPOSE_PLAN, t->plan_code);
		it->msg.task_id = t->id;
		it->strings[0] = ref;
		it->msg.plan_ref = ref;
		it->msg.title = compose_keep(it, 1, has_content ? t->content :
		    t->title);
		it->msg.action = has_content ? compose_keep(it, 2, t->title) :
		    NULL;
		it->msg.time_text = compose_keep(it, 3, t->time_text);
		it->msg.leftover = compose_keep(it, 4, t->leftover);
		it->msg.review = strcmp(t->quality, "unparsed") == 0 ?
		    MESSAGE_REVIEW_UNPARSED : MESSAGE_REVIEW_PARTIAL;
		it->msg.nominal = it->msg.effective = t->due;
		if (compose_task_units(cc, it) != 0)
			return (-1);
		it->found = 1;
	}
	return (0);
}

/* 1 if id is in the ascending list v of n. */
static int
compose_listed_id(const int64_t *v, size_t n, int64_t id)
{
	return (n > 0 && bsearch(&id, v, n, sizeof *v, id_cmp) !=
	    NULL);
}

/* Collects an occurrence past at import: the unit is not told of it. */
static int
compose_past(const struct store_past_row *r, void *arg)
{
	struct compose_ctx	*cc = arg;

	cc->past = xreallocarray(cc->past, cc->npast + 1, sizeof *cc->past);
	cc->past[cc->npast++] = r->occurrence_id;
	return (0);
}

/*
 * Keeps an overdue occurrence of the addressee that the spec does not
 * say today (reminded before, between repeats or past overdue_max): the
 * digest counts it, as the agenda does, and names it in one line.
 */
static int
compose_quiet(const struct store_occurrence *o, void *arg)
{
	struct compose_ctx	*cc = arg;
	struct compose_item	*it;

	if (strcmp(o->status, "open") != 0 || o->effective == DATE_NONE ||
	    o->effective >= cc->day ||
	    compose_listed_id(cc->said, cc->nsaid, o->id) ||
	    compose_listed_id(cc->past, cc->npast, o->id))
		return (0);
	cc->quiet = xreallocarray(cc->quiet, cc->nquiet + 1,
	    sizeof *cc->quiet);
	it = &cc->quiet[cc->nquiet++];
	memset(it, 0, sizeof *it);
	it->occ_id = o->id;
	xasprintf(&it->strings[0], "%s %s", o->plan_code, o->ref);
	it->msg.plan_ref = it->strings[0];
	compose_keep(it, COMPOSE_PLAN, o->plan_code);
	it->msg.title = compose_keep(it, 1, o->content != NULL &&
	    *o->content != '\0' ? o->content : o->title);
	it->msg.nominal = o->nominal;
	it->msg.effective = o->effective;
	it->msg.kind = MESSAGE_OVERDUE;
	it->msg.task_id = o->task_id;
	it->found = 1;
	return (0);
}

/*
 * Reads the addressee's overdue items the spec leaves out (a unit's
 * digest only; an escalation lists other units' items); 0 or -1.
 */
static int
compose_read_quiet(struct compose_ctx *cc)
{
	struct store_agenda_filter	 f;
	size_t				 i;

	if (cc->escalation)
		return (0);
	for (i = 0; i < cc->n; i++) {
		if (cc->items[i].occ_id == 0)
			continue;
		cc->said = xreallocarray(cc->said, cc->nsaid + 1,
		    sizeof *cc->said);
		cc->said[cc->nsaid++] = cc->items[i].occ_id;
	}
	if (cc->nsaid > 1)
		qsort(cc->said, cc->nsaid, sizeof *cc->said, id_cmp);
	if (store_occ_past(cc->store, compose_past, cc, &cc->cause) != 0)
		return (-1);
	if (cc->npast > 1)
		qsort(cc->past, cc->npast, sizeof *cc->past, id_cmp);
	memset(&f, 0, sizeof f);
	f.unit = cc->unit.code;
	f.from = DATE_NONE;
	f.to = cc->day - 1;
	f.open_only = 1;
	return (store_agenda(cc->store, &f, compose_quiet, cc, &cc->cause));
}

/* Copies the coordinator's name and first address, for replies. */
static int
compose_coordinator(const struct store_unit *u, void *arg)
{
	struct compose_ctx	*cc = arg;
	size_t			 len;
	const char		*e;

	cc->reply_name = xstrdup(u->name);
	if (u->emails == NULL)
		return (0);
	e = u->emails + strspn(u->emails, ", ;");
	if ((len = strcspn(e, ", ;")) > 0)
		cc->reply_addr = xstrndup(e, len);
	return (0);
}

/* The plan of every item the digest names, or NULL if several. */
static const char *
compose_one_plan(const struct compose_ctx *cc)
{
	const char	*plan = NULL, *p;
	size_t		 i;

	for (i = 0; i < cc->n + cc->nquiet; i++) {
		if (i < cc->n && !cc->items[i].found)
			continue;
		p = i < cc->n ? cc->items[i].strings[COMPOSE_PLAN] :
		    cc->quiet[i - cc->n].strings[COMPOSE_PLAN];
		if (p == NULL || (plan != NULL && strcmp(plan, p) != 0))
			return (NULL);
		plan = p;
	}
	return (plan);
}

/*
 * Whom replies reach: the Reply-To of the one plan all items come from,
 * else [smtp] reply_to, else the coordinator's first address; mail only
 * (a chat message has no one to reply to).  0 or -1.
 */
static int
compose_reply(struct compose_ctx *cc)
{
	const struct config	*cf = cc->cf;
	const char		*plan, *other;
	char			*plan_addr = NULL;

	if (route_kind_of(cc->m) == ROUTE_WEBHOOK)
		return (0);
	if (*cf->coordinator != '\0' && store_unit_get(cc->store,
	    cf->coordinator, compose_coordinator, cc, &cc->cause) != 0)
		return (-1);
	if ((plan = compose_one_plan(cc)) != NULL && store_plan_reply_to(
	    cc->store, plan, &plan_addr, &cc->cause) != 0)
		return (-1);
	other = plan_addr != NULL ? plan_addr : cf->smtp_reply_to;
	/* Another address than the coordinator's is named alone. */
	if (*other != '\0' && (cc->reply_addr == NULL ||
	    strcmp(other, cc->reply_addr) != 0)) {
		free(cc->reply_addr);
		free(cc->reply_name);
		cc->reply_addr = xstrdup(other);
		cc->reply_name = NULL;
	}
	free(plan_addr);
	return (0);
}

/*
 * The address of the unit's page on the console, where the digest's
 * items are in full (a unit's digest, with links and the console on);
 * a unit without one gets the digest without it.
 */
static void
compose_unit_link(struct compose_ctx *cc)
{
	const struct config	*cf = cc->cf;
	char			*cause = NULL;

	if (cc->escalation || cc->link_key == NULL || !cf->console_enabled ||
	    *cf->http_base_url == '\0')
		return;
	cc->unit_link = console_auth_unit_url(cc->store, cc->link_key,
	    cf->http_base_url, cc->unit.code, cf->http_link_days,
	    cc->m->created_at, &cause);
	free(cause);
}

/* Adds an item of an occurrence. */
static void
compose_add_occ(struct compose_ctx *cc, int64_t id, int kind, int wd)
{
	struct compose_item	*it;

	cc->items = xreallocarray(cc->items, cc->n + 1, sizeof *cc->items);
	it = &cc->items[cc->n++];
	memset(it, 0, sizeof *it);
	it->occ_id = id;
	it->msg.kind = (enum message_kind)kind;
	it->msg.working_days_left = wd;
}

/* Reads an "i KIND WD ID..." line up to end; 0 or -1 and *cause. */
static int
compose_parse_group(struct compose_ctx *cc, const char *line,
    const char *end, char **cause)
{
	const char	*p = line + 2;
	char		*q;
	long long	 id;
	long		 wd;
	int		 kind;

	if ((kind = compose_letter_kind(*p)) < 0 || p[1] != ' ')
		goto bad;
	wd = strtol(p + 2, &q, 10);
	if (q == p + 2 || wd < -100000 || wd > 100000)
		goto bad;
	for (p = q; p < end && *p == ' '; p = q) {
		if (p[1] < '0' || p[1] > '9')
			goto bad;
		id = strtoll(p + 1, &q, 10);
		if (q == p + 1 || id <= 0)
			goto bad;
		compose_add_occ(cc, id, kind, (int)wd);
	}
	if (p != end && !(p + 1 == end && *p == '\n'))
		goto bad;
	return (0);
bad:
	*cause = xstrdup("bad items");
	return (-1);
}

/* Reads the spec into items; 0 or -1 and *cause. */
static int
compose_parse(struct compose_ctx *cc, const char *spec, char **cause)
{
	const char		*line, *end;
	struct compose_item	*it;
	long long		 id;
	int			 wd, lineno = 1;

	if (strncmp(spec, COMPOSE_MAGIC, strlen(COMPOSE_MAGIC)) != 0) {
		xasprintf(cause, "not a planned digest");
		return (-1);
	}
	for (line = spec + strlen(COMPOSE_MAGIC); *line != '\0'; line = end) {
		lineno++;
		end = strchr(line, '\n');
		end = end != NULL ? end + 1 : line + strlen(line);
		if (*line == '\n')
			continue;
		if (line[0] == 'i' && line[1] == ' ') {
			if (compose_parse_group(cc, line, end, cause) != 0) {
				free(*cause);
				xasprintf(cause, "planned digest, line %d: bad "
				    "items", lineno);
				return (-1);
			}
			continue;
		}
		if (sscanf(line, "escalation %d", &wd) == 1) {
			cc->escalation = wd != 0;
			continue;
		}
		if (sscanf(line, "more %lld", &id) == 1 && id >= 0) {
			cc->more = (size_t)id;
			continue;
		}
		if ((line[0] != 'g' && line[0] != 'r') ||
		    sscanf(line + 1, " %lld", &id) != 1 || id <= 0) {
			xasprintf(cause, "planned digest, line %d: not an item",
			    lineno);
			return (-1);
		}
		cc->items = xreallocarray(cc->items, cc->n + 1,
		    sizeof *cc->items);
		it = &cc->items[cc->n++];
		memset(it, 0, sizeof *it);
		it->task_id = id;
		it->msg.kind = line[0] == 'r' ? MESSAGE_REVIEW :
		    MESSAGE_ONGOING;
		it->msg.nominal = it->msg.effective = DATE_NONE;
	}
	return (0);
}

/* The body of the message for its recipient; NULL and *cause. */
static char *
compose_body(struct compose_ctx *cc, const struct message_digest *dg,
    char **subject, char **cause)
{
	const struct store_outbox *m = cc->m;
	struct mime_message	 mm;
	char			*text = NULL, *html = NULL, *out = NULL, *id;
	size_t			 len;
	int			 format;

	if (route_kind_of(m) == ROUTE_WEBHOOK) {
		message_render_chat(dg, subject, &text);
		format = webhook_payload_format(cc->unit.webhook_template);
		out = webhook_payload_body(format < 0 ? WEBHOOK_PAYLOAD_JSON :
		    (enum webhook_payload_format)format, dg, *subject, text);
		free(text);
		return (out);
	}
	message_render(dg, subject, &text, &html);
	id = mime_message_init(&mm, cc->cf, dg->unit_name, m->recipient,
	    m->key, m->created_at);
	mm.reply_to = cc->reply_addr;
	mm.subject = *subject;
	mm.text = text;
	mm.html = html;
	if (mime_build(&mm, &out, &len, cause) != 0)
		out = NULL;
	free(id);
	free(text);
	free(html);
	return (out);
}

/* The messages of the quiet items; caller frees. */
static struct message_item *
compose_quiet_items(struct compose_ctx *cc)
{
	struct message_item	*v;
	size_t			 i;

	v = xcalloc(cc->nquiet + 1, sizeof *v);
	for (i = 0; i < cc->nquiet; i++)
		v[i] = cc->quiet[i].msg;
	return (v);
}

/* The urgency of a kind: what is late first, what has no date last. */
static int
compose_rank(enum message_kind kind)
{
	switch (kind) {
	case MESSAGE_OVERDUE:
	case MESSAGE_ESCALATION:
		return (0);
	case MESSAGE_DUE_TODAY:
		return (1);
	case MESSAGE_DUE_SOON:
		return (2);
	case MESSAGE_ONGOING:
	case MESSAGE_REVIEW:
		break;
	}
	return (3);
}

/*
 * The items still open, the most urgent first and in the spec's order
 * within the same urgency; caller frees.
 */
static struct message_item *
compose_listed(struct compose_ctx *cc, size_t *n)
{
	struct message_item	*v;
	size_t			 i;
	int			 rank;

	v = xcalloc(cc->n + 1, sizeof *v);
	*n = 0;
	for (rank = 0; rank <= 3; rank++)
		for (i = 0; i < cc->n; i++)
			if (cc->items[i].found &&
			    compose_rank(cc->items[i].msg.kind) == rank)
				v[(*n)++] = cc->items[i].msg;
	return (v);
}

/*
 * Renders the digest of n items, listing at most COMPOSE_MAX_ITEMS of them
 * and fewer while the body is over COMPOSE_MAX_BYTES; the rest are counted
 * as "more".  0, or -1 and *cause.
 */
static int
compose_capped(struct compose_ctx *cc, struct message_digest *dg, size_t n,
    char **subject, char **body, char **cause)
{
	size_t	listed = n < COMPOSE_MAX_ITEMS ? n : COMPOSE_MAX_ITEMS;

	for (;;) {
		dg->n = listed;
		dg->more = cc->more + (n - listed);
		if ((*body = compose_body(cc, dg, subject, cause)) == NULL) {
			free(*subject);
			*subject = NULL;
			return (-1);
		}
		if (strlen(*body) <= COMPOSE_MAX_BYTES || listed == 1)
			return (0);
		free(*body);
		free(*subject);
		*body = *subject = NULL;
		listed /= 2;
	}
}

static void
compose_free(struct compose_ctx *cc)
{
	size_t	i;
	int	j;

	for (i = 0; i < cc->n; i++)
		for (j = 0; j < COMPOSE_NSTRINGS; j++)
			free(cc->items[i].strings[j]);
	free(cc->items);
	free(cc->unit.code);
	free(cc->unit.name);
	free(cc->unit.lang);
	free(cc->unit.webhook_template);
	for (i = 0; i < cc->nquiet; i++)
		for (j = 0; j < COMPOSE_NSTRINGS; j++)
			free(cc->quiet[i].strings[j]);
	free(cc->quiet);
	free(cc->said);
	free(cc->past);
	free(cc->reply_name);
	free(cc->reply_addr);
	free(cc->unit_link);
	free(cc->cause);
}

int
compose_render(struct store *s, const struct config *cf,
    const struct store_outbox *m, const char *link_key, char **subject,
    char **body, char **cause)
{
	struct compose_ctx		 cc;
	struct store_agenda_filter	 f;
	struct message_digest		 dg;
	struct message_item		*v;
	size_t				 i, n = 0;
	int				 rc = -1, ongoing = 0, review = 0;

	*subject = *body = NULL;
	memset(&cc, 0, sizeof cc);
	cc.store = s;
	cc.cf = cf;
	cc.m = m;
	cc.link_key = link_key;
	if (m->unit_code != NULL && store_unit_get(s, m->unit_code,
	    compose_unit, &cc.unit, cause) != 0)
		goto out;
	if (cc.unit.code == NULL) {
		xasprintf(cause, "planned digest for a unit no longer in the "
		    "directory");
		goto out;
	}
	if (compose_parse(&cc, m->spec, cause) != 0)
		goto out;
	for (i = 0; i < cc.n; i++) {
		if (cc.items[i].occ_id == 0) {
			if (cc.items[i].msg.kind == MESSAGE_REVIEW)
				review = 1;
			else
				ongoing = 1;
			continue;
		}
		cc.current = &cc.items[i];
		if (store_occ_get(s, cc.items[i].occ_id, compose_occurrence,
		    &cc, &cc.cause) != 0)
			goto unread;
	}
	if (ongoing) {
		memset(&f, 0, sizeof f);
		f.unit = cc.unit.code;
		f.undated_only = 1;
		if (store_agenda(s, &f, compose_ongoing, &cc, &cc.cause) != 0)
			goto unread;
	}
	if (review && store_tasks_review(s, NULL, compose_review_task, &cc,
	    &cc.cause) != 0)
		goto unread;
	v = compose_listed(&cc, &n);
	if (n == 0) {
		free(v);
		rc = 1;
		goto out;
	}
	if (date_parse_iso(m->day, &cc.day) != 0)
		cc.day = date_of_time(m->created_at);
	if (compose_read_quiet(&cc) != 0 || compose_reply(&cc) != 0) {
		free(v);
		goto unread;
	}
	compose_unit_link(&cc);
	memset(&dg, 0, sizeof dg);
	dg.unit_code = cc.unit.code;
	dg.unit_name = cc.unit.name;
	dg.lang = cc.unit.lang;
	dg.day = cc.day;
	dg.items = v;
	dg.escalation = cc.escalation;
	dg.quiet = compose_quiet_items(&cc);
	dg.nquiet = cc.nquiet;
	dg.reply_name = cc.reply_name;
	dg.reply_addr = cc.reply_addr;
	dg.unit_link = cc.unit_link;
	if (compose_capped(&cc, &dg, n, subject, body, cause) == 0)
		rc = 0;
	free(v);
	free((void *)dg.quiet);
	goto out;
unread:
	/* An item that could not be read is not one done since. */
	if (cc.cause == NULL)
		xasprintf(&cc.cause, "cannot read occurrence %lld",
		    (long long)cc.current->occ_id);
	*cause = cc.cause;
	cc.cause = NULL;
out:
	compose_free(&cc);
	return (rc);
}
