/*
 * Plan documents into the store.  Each task row is read into bullets; the
 * Nth bullet of the task, units and time cells form one task (a cell with a
 * single bullet applies to every pair); a time bullet with several
 * obligations ("Hàng quý, 06 tháng, năm") gives one task per obligation.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "assign.h"
#include "import.h"
#include "plan.h"
#include "store.h"
#include "timeexpr.h"
#include "units.h"
#include "xmalloc.h"

/*
 * What reading a text gave, by the text: a plan repeats a few unit and time
 * phrases on most of its rows ("UBND các xã, thị trấn", "Hàng quý"), and
 * matching a units phrase tries many spans, each folded and looked up in
 * the directory.  The readers depend only on the text, the directory and
 * the import's options, so each distinct text is read once per import and
 * its result borrowed from here until the import ends.
 */
struct import_memo_slot {
	char			*text;
	void			*value;
};

struct import_memo {
	struct import_memo_slot	*v;
	size_t			 size;		/* slots, a power of 2 */
	size_t			 n;
	void			(*free)(void *);	/* of a value */
};

/* A units cell split into bullets. */
struct import_bullets {
	char			**items;
	size_t			  n;
};

/* A unit's id in the store, by code (borrowed from the directory). */
struct import_unit_id {
	const char			*code;
	int64_t				 id;
};

struct import_state {
	struct store			*store;
	const struct units		*units;
	const struct import_options	*opt;
	struct import_report		*report;
	int64_t				 plan_id;
	int				 generation;
	int				 plan_had_tasks;
	date_t				 starts;	/* the plan's first day */
	date_t				 rule_starts;	/* of its recurring tasks */
	date_t				 ends;
	char				**refs;		/* hash set of refs used */
	size_t				 refs_size;	/* slots, a power of 2 */
	size_t				 nrefs;
	struct import_unit_id		*unit_ids;	/* code -> store id */
	size_t				 unit_ids_size;	/* a power of 2 */
	struct timeexpr_options		 time_options;
	struct import_memo		 unit_cells;	/* import_bullets */
	struct import_memo		 unit_bullets;	/* assign_list */
	struct import_memo		 support_bullets; /* assign_list */
	struct import_memo		 time_bullets;	/* timeexpr */
	struct store_assign_row		*assigns;	/* not written yet */
	size_t				 nassigns;
	size_t				 assigns_size;
	char				*cause;
};

/* One pair of bullets of a row, ready to become tasks. */
struct import_pair {
	const struct plan_record	*rec;
	char				*ref;
	const char			*action;
	const char			*units;
	const char			*support;	/* support column */
	const char			*time;
};

const char *
import_issue_name(enum import_issue_kind kind)
{
	switch (kind) {
	case IMPORT_UNMATCHED_UNIT:
		return ("unmatched-unit");
	case IMPORT_UNPARSED_TIME:
		return ("unparsed-time");
	case IMPORT_BULLET_MISMATCH:
		return ("bullet-mismatch");
	case IMPORT_UNKNOWN_COLUMN:
		return ("unknown-column");
	case IMPORT_PARTIAL_TIME:
		return ("partial-time");
	case IMPORT_PAST_DEADLINE:
		return ("past-deadline");
	}
	return ("?");
}

const char *
import_start_name(enum import_start from)
{
	switch (from) {
	case IMPORT_START_DOCUMENT:
		return ("document");
	case IMPORT_START_OPTION:
		return ("option");
	case IMPORT_START_KEPT:
		return ("kept");
	case IMPORT_START_TODAY:
		break;
	}
	return ("today");
}

char *
import_code_from_path(const char *path)
{
	const char	*base = strrchr(path, '/');
	char		*code, *dot;
	size_t		 i, n = 0;

	base = base != NULL ? base + 1 : path;
	code = xstrdup(base);
	if ((dot = strrchr(code, '.')) != NULL && dot != code)
		*dot = '\0';
	for (i = 0; code[i] != '\0' && n < 32; i++) {
		unsigned char c = (unsigned char)code[i];

		if (isalnum(c))
			code[n++] = (char)tolower(c);
		else if (n > 0 && code[n - 1] != '-')
			code[n++] = '-';
	}
	while (n > 0 && code[n - 1] == '-')
		n--;
	code[n] = '\0';
	if (n == 0) {
		free(code);
		code = xstrdup("plan");
	}
	return (code);
}

/* Records something the import could not place (detail may be NULL). */
static void
import_issue(struct import_state *st, enum import_issue_kind kind,
    const char *ref, unsigned line, const char *text, const char *detail)
{
	struct import_report	*r = st->report;
	struct import_issue	*is;

	r->issues = xreallocarray(r->issues, r->nissues + 1,
	    sizeof *r->issues);
	is = &r->issues[r->nissues++];
	is->kind = kind;
	is->ref = xstrdup(ref);
	is->line = line;
	is->text = xstrdup(text);
	is->detail = detail != NULL ? xstrdup(detail) : NULL;
}

/* FNV-1a hash of a string. */
static size_t
import_hash(const char *s)
{
	size_t	h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return (h);
}

/* The slot of ref in the set: where it is, or the empty one it would take. */
static size_t
import_ref_slot(struct import_state *st, const char *ref)
{
	size_t	i = import_hash(ref) & (st->refs_size - 1);

	while (st->refs[i] != NULL && strcmp(st->refs[i], ref) != 0)
		i = (i + 1) & (st->refs_size - 1);
	return (i);
}

/* Doubles the set (it stays at most half full). */
static void
import_refs_grow(struct import_state *st)
{
	char	**old = st->refs;
	size_t	  oldsize = st->refs_size, i;

	st->refs_size = oldsize == 0 ? 1024 : oldsize * 2;
	st->refs = xcalloc(st->refs_size, sizeof *st->refs);
	for (i = 0; i < oldsize; i++)
		if (old[i] != NULL)
			st->refs[import_ref_slot(st, old[i])] = old[i];
	free(old);
}

/* The slot of text in a memo: where it is, or the empty one it would take. */
static struct import_memo_slot *
import_memo_slot(struct import_memo *m, const char *text)
{
	size_t	i = import_hash(text) & (m->size - 1);

	while (m->v[i].text != NULL && strcmp(m->v[i].text, text) != 0)
		i = (i + 1) & (m->size - 1);
	return (&m->v[i]);
}

/*
 * The result remembered for text, or NULL; a NULL return leaves the memo
 * ready for import_memo_add() of the same text.
 */
static void *
import_memo_find(struct import_memo *m, const char *text)
{
	struct import_memo_slot	*old = m->v, *slot;
	size_t			 oldsize = m->size, i;

	if ((m->n + 1) * 2 > m->size) {
		/* Grown beforehand, so that the add needs no check. */
		m->size = oldsize == 0 ? 64 : oldsize * 2;
		m->v = xcalloc(m->size, sizeof *m->v);
		for (i = 0; i < oldsize; i++) {
			if (old[i].text == NULL)
				continue;
			slot = import_memo_slot(m, old[i].text);
			*slot = old[i];
		}
		free(old);
	}
	return (import_memo_slot(m, text)->value);
}

/* Remembers value (owned by the memo from now on) for text. */
static void
import_memo_add(struct import_memo *m, const char *text, void *value)
{
	struct import_memo_slot	*slot = import_memo_slot(m, text);

	slot->text = xstrdup(text);
	slot->value = value;
	m->n++;
}

/* Frees a memo and every result in it. */
static void
import_memo_clear(struct import_memo *m)
{
	size_t	i;

	for (i = 0; i < m->size; i++) {
		if (m->v[i].text == NULL)
			continue;
		free(m->v[i].text);
		m->free(m->v[i].value);
	}
	free(m->v);
	m->v = NULL;
	m->size = m->n = 0;
}

/* Frees an import_bullets. */
static void
import_bullets_free(void *arg)
{
	struct import_bullets	*b = arg;

	plan_bullets_free(b->items, b->n);
	free(b);
}

/* Frees an assign_list. */
static void
import_assign_list_free(void *arg)
{
	assign_list_clear(arg);
	free(arg);
}

/* Frees a timeexpr. */
static void
import_timeexpr_free(void *arg)
{
	timeexpr_clear(arg);
	free(arg);
}

/* The bullets of a units cell (borrowed). */
static const struct import_bullets *
import_unit_cell(struct import_state *st, const char *cell)
{
	struct import_bullets	*b;

	if ((b = import_memo_find(&st->unit_cells, cell)) == NULL) {
		b = xcalloc(1, sizeof *b);
		b->n = assign_split_bullets(cell, units_lookup,
		    (void *)st->units, &b->items);
		import_memo_add(&st->unit_cells, cell, b);
	}
	return (b);
}

/* The units of one bullet of a units cell (borrowed). */
static const struct assign_list *
import_unit_bullet(struct import_state *st, const char *text)
{
	struct assign_list	*list;

	if ((list = import_memo_find(&st->unit_bullets, text)) == NULL) {
		list = xcalloc(1, sizeof *list);
		assign_parse(text, units_lookup, (void *)st->units, list);
		import_memo_add(&st->unit_bullets, text, list);
	}
	return (list);
}

/* The units of one bullet of a support column (borrowed). */
static const struct assign_list *
import_support_bullet(struct import_state *st, const char *text)
{
	struct assign_list	*list;

	if ((list = import_memo_find(&st->support_bullets, text)) == NULL) {
		list = xcalloc(1, sizeof *list);
		assign_parse_support(text, units_lookup, (void *)st->units,
		    list);
		import_memo_add(&st->support_bullets, text, list);
	}
	return (list);
}

/* The obligations of one bullet of a time cell (borrowed). */
static const struct timeexpr *
import_time_bullet(struct import_state *st, const char *text)
{
	struct timeexpr	*te;

	if ((te = import_memo_find(&st->time_bullets, text)) == NULL) {
		te = xcalloc(1, sizeof *te);
		timeexpr_parse(text, &st->time_options, te);
		import_memo_add(&st->time_bullets, text, te);
	}
	return (te);
}

/*
 * Reads the store ids of the directory's units once: the import looks one
 * up for every assignment, and the directory was synced just before and
 * does not change until the import ends.
 */
static int
import_unit_ids_load(struct import_state *st)
{
	const struct unit_info	*u;
	size_t			 n = units_count(st->units), i, slot;

	st->unit_ids_size = 16;
	while (st->unit_ids_size < n * 2)
		st->unit_ids_size *= 2;
	st->unit_ids = xcalloc(st->unit_ids_size, sizeof *st->unit_ids);
	for (i = 0; i < n; i++) {
		u = units_unit(st->units, i);
		slot = import_hash(u->code) & (st->unit_ids_size - 1);
		while (st->unit_ids[slot].code != NULL)
			slot = (slot + 1) & (st->unit_ids_size - 1);
		st->unit_ids[slot].code = u->code;
		if ((st->unit_ids[slot].id = store_unit_id(st->store, u->code,
		    &st->cause)) < 0)
			return (-1);
	}
	return (0);
}

/* The store id of a unit, 0 if none, -1 and st->cause. */
static int64_t
import_unit_id(struct import_state *st, const char *code)
{
	size_t	slot = import_hash(code) & (st->unit_ids_size - 1);

	for (; st->unit_ids[slot].code != NULL;
	    slot = (slot + 1) & (st->unit_ids_size - 1))
		if (strcmp(st->unit_ids[slot].code, code) == 0)
			return (st->unit_ids[slot].id);
	return (store_unit_id(st->store, code, &st->cause));
}

/* Makes a reference unique within the import ("I.KP.1", "I.KP.1~2"). */
static char *
import_unique_ref(struct import_state *st, const char *want)
{
	char	*ref = xstrdup(want);
	size_t	 slot;
	int	 n = 1;

	if ((st->nrefs + 1) * 2 > st->refs_size)
		import_refs_grow(st);
	while (st->refs[slot = import_ref_slot(st, ref)] != NULL) {
		free(ref);
		xasprintf(&ref, "%s~%d", want, ++n);
	}
	st->refs[slot] = xstrdup(ref);
	st->nrefs++;
	return (ref);
}

/* The reference of a row: section, category and number. */
static char *
import_row_ref(const struct plan_record *rec)
{
	const char	*cat = "";
	char		*ref;

	if (rec->category == PLAN_CATEGORY_FIX)
		cat = "KP.";
	else if (rec->category == PLAN_CATEGORY_MAINTAIN)
		cat = "DT.";
	if (rec->section != NULL && *rec->section != '\0')
		xasprintf(&ref, "%s.%s%s", rec->section, cat,
		    *rec->number != '\0' ? rec->number : "0");
	else if (*rec->number != '\0')
		xasprintf(&ref, "%s%s", cat, rec->number);
	else
		xasprintf(&ref, "R%u", rec->line);
	return (ref);
}

/*
 * Writes the assignments gathered so far: all of them, or (all 0) only as
 * many as fill whole statements, keeping the rest for later.  Nothing reads
 * or deletes a task's assignments between its turn and the write, the
 * rows keep their order, and the unit strings are borrowed from the
 * directory and the memos, which last until the import ends.
 */
static int
import_assign_flush(struct import_state *st, int all)
{
	size_t	n = st->nassigns;

	if (!all)
		n -= n % STORE_ASSIGN_ROWS;
	if (n == 0)
		return (0);
	if (store_task_assign_rows(st->store, st->assigns, n,
	    &st->cause) != 0)
		return (-1);
	st->nassigns -= n;
	memmove(st->assigns, st->assigns + n,
	    st->nassigns * sizeof *st->assigns);
	return (0);
}

/* Gathers one assignment; whole statements' worth are written. */
static int
import_assign_add(struct import_state *st, int64_t task_id, int64_t unit_id,
    const char *role, const char *via)
{
	struct store_assign_row	*r;

	if (st->nassigns == st->assigns_size) {
		st->assigns_size = st->assigns_size == 0 ? STORE_ASSIGN_ROWS :
		    st->assigns_size * 2;
		st->assigns = xreallocarray(st->assigns, st->assigns_size,
		    sizeof *st->assigns);
	}
	r = &st->assigns[st->nassigns++];
	r->task_id = task_id;
	r->unit_id = unit_id;
	r->role = role;
	r->via = via;
	return (import_assign_flush(st, 0));
}

/* Assigns one matched code (a unit, or every member of a group). */
static int
import_assign_code(struct import_state *st, int64_t task_id, const char *code,
    int is_group, const char *role)
{
	const struct group_info	*g;
	size_t			 i;
	int64_t			 uid;

	if (!is_group) {
		if ((uid = import_unit_id(st, code)) <= 0)
			return (uid < 0 ? -1 : 0);
		return (import_assign_add(st, task_id, uid, role, NULL));
	}
	if ((g = units_find_group(st->units, code)) == NULL)
		return (0);
	for (i = 0; i < g->nmembers; i++) {
		if ((uid = import_unit_id(st, g->members[i])) < 0)
			return (-1);
		if (uid == 0)
			continue;
		if (import_assign_add(st, task_id, uid, role, code) != 0)
			return (-1);
	}
	return (0);
}

/* Assigns the matched units of a list; *any is set if one does work. */
static int
import_assign_list(struct import_state *st, int64_t task_id,
    const struct assign_list *list, int *any)
{
	const struct assign_unit	*u;
	size_t				 i;

	for (i = 0; i < list->n; i++) {
		u = &list->v[i];
		if (u->code == NULL)
			continue;
		if (import_assign_code(st, task_id, u->code, u->is_group,
		    assign_role_name(u->role)) != 0)
			return (-1);
		if (u->role != ASSIGN_REPORT_TO)
			*any = 1;
	}
	return (0);
}

/*
 * Assigns the units of the lists (NULL-terminated: the units bullet, the
 * support column's); unmatched go to the report.
 * A task inserted just now (is_new) has no assignments to clear; before
 * clearing those of another, the ones gathered are written, so that the
 * rows are written and deleted in the order of the plan.
 */
static int
import_assign(struct import_state *st, int64_t task_id, int is_new,
    const struct assign_list **lists, int has_unmatched)
{
	size_t	 k;
	int	 any = 0;

	if (!is_new && (import_assign_flush(st, 1) != 0 ||
	    store_task_clear_assignments(st->store, task_id,
	    &st->cause) != 0))
		return (-1);
	for (k = 0; lists[k] != NULL; k++) {
		if (import_assign_list(st, task_id, lists[k], &any) != 0)
			return (-1);
	}
	if ((!any || has_unmatched) && st->opt->coordinator != NULL) {
		int64_t uid = import_unit_id(st, st->opt->coordinator);
		if (uid < 0 || (uid != 0 && import_assign_add(st, task_id, uid,
		    any ? "support" : "lead", NULL) != 0))
			return (-1);
	}
	return (0);
}

/* Counts unit phrases and reports the unmatched ones of a bullet. */
static void
import_check_units(struct import_state *st, const struct assign_list *list,
    const char *ref, unsigned line, struct buf *unmatched)
{
	size_t	i;

	for (i = 0; i < list->n; i++) {
		st->report->unit_phrases++;
		if (list->v[i].code != NULL) {
			st->report->unit_matched++;
			continue;
		}
		import_issue(st, IMPORT_UNMATCHED_UNIT, ref, line,
		    list->v[i].phrase, NULL);
		if (unmatched->len > 0)
			buf_adds(unmatched, " | ");
		buf_adds(unmatched, list->v[i].phrase);
	}
}

/* Writes one task (one obligation of one pair) and its assignments. */
static int
import_write_task(struct import_state *st, const struct import_pair *p,
    const struct timeexpr_item *it, const struct timeexpr *te,
    const char *ref, const struct assign_list **lists, const char *unmatched)
{
	struct store_task	 t;
	int64_t			 id;
	int			 changed;

	memset(&t, 0, sizeof t);
	t.plan_id = st->plan_id;
	t.ref = ref;
	t.section = p->rec->section;
	t.category = p->rec->category == PLAN_CATEGORY_FIX ? "fix" :
	    p->rec->category == PLAN_CATEGORY_MAINTAIN ? "maintain" : NULL;
	t.content = p->rec->content;
	t.title = *p->action != '\0' ? p->action : p->rec->content;
	if (t.title == NULL || *t.title == '\0')
		t.title = ref;
	t.time_text = p->time;
	t.kind = timeexpr_kind_name(it->kind);
	t.due = it->kind == TIMEEXPR_ONCE ? it->due : DATE_NONE;
	t.rrule = it->kind == TIMEEXPR_RECURRING ? it->rrule : NULL;
	t.starts = it->kind == TIMEEXPR_RECURRING ? st->rule_starts :
	    it->kind == TIMEEXPR_ONCE ? it->start : DATE_NONE;
	t.ends = it->kind == TIMEEXPR_RECURRING ? st->ends : DATE_NONE;
	t.source_line = p->rec->line;
	t.unmatched = *unmatched != '\0' ? unmatched : NULL;
	t.dayoff = timeexpr_dayoff_name(it->dayoff);
	t.quality = timeexpr_quality_name(te != NULL ? te->quality :
	    TIMEEXPR_EXACT);
	t.leftover = te != NULL ? te->leftover : NULL;
	t.notes = *p->rec->notes != '\0' ? p->rec->notes : NULL;
	/*
	 * A plan without tasks before this import has no task to find, and
	 * the refs are unique within the import: insert without looking.
	 */
	if (st->plan_had_tasks)
		id = store_task_upsert(st->store, &t, st->generation, &changed,
		    &st->cause);
	else {
		id = store_task_insert(st->store, &t, st->generation,
		    &st->cause);
		changed = 2;
	}
	if (id < 0)
		return (-1);
	st->report->tasks++;
	st->report->kinds[it->kind]++;
	if (te != NULL && te->quality == TIMEEXPR_PARTIAL)
		st->report->partial++;
	else if (te != NULL && te->quality == TIMEEXPR_UNREAD)
		st->report->unparsed++;
	if (changed == 2)
		st->report->added++;
	else if (changed == 1)
		st->report->changed++;
	else
		st->report->unchanged++;
	return (import_assign(st, id, changed == 2, lists,
	    *unmatched != '\0'));
}

/* Turns one pair of bullets into its tasks. */
static int
import_pair(struct import_state *st, const struct import_pair *p)
{
	const struct timeexpr		*te;
	const struct assign_list	*lists[3] = { NULL, NULL, NULL };
	struct timeexpr			 ms;
	struct buf			 unmatched;
	char				*ref;
	size_t				 i;
	int				 rc = 0;

	memset(&ms, 0, sizeof ms);
	buf_init(&unmatched);
	lists[0] = import_unit_bullet(st, p->units);
	import_check_units(st, lists[0], p->ref, p->rec->line, &unmatched);
	if (*p->support != '\0') {
		lists[1] = import_support_bullet(st, p->support);
		import_check_units(st, lists[1], p->ref, p->rec->line,
		    &unmatched);
	}
	te = import_time_bullet(st, p->time);
	timeexpr_milestones(p->action, &st->time_options, &ms);
	if (te->quality != TIMEEXPR_EXACT)
		import_issue(st, te->quality == TIMEEXPR_PARTIAL ?
		    IMPORT_PARTIAL_TIME : IMPORT_UNPARSED_TIME, p->ref,
		    p->rec->line, p->time, te->leftover);
	for (i = 0; rc == 0 && i < te->n; i++) {
		if (te->n == 1)
			ref = import_unique_ref(st, p->ref);
		else {
			char *want;
			xasprintf(&want, "%s-%zu", p->ref, i + 1);
			ref = import_unique_ref(st, want);
			free(want);
		}
		rc = import_write_task(st, p, &te->items[i], te, ref, lists,
		    unmatched.data);
		free(ref);
	}
	for (i = 0; rc == 0 && i < ms.n; i++) {
		char *want;
		xasprintf(&want, "%s.m%zu", p->ref, i + 1);
		ref = import_unique_ref(st, want);
		free(want);
		rc = import_write_task(st, p, &ms.items[i], NULL, ref, lists,
		    unmatched.data);
		free(ref);
	}
	timeexpr_clear(&ms);
	buf_free(&unmatched);
	return (rc);
}

/* Picks the ith bullet of a cell that has n (one bullet applies to all). */
static const char *
import_pick(char **items, size_t n, size_t i)
{
	if (n == 0)
		return ("");
	if (i < n)
		return (items[i]);
	return (items[n == 1 ? 0 : n - 1]);
}

/* Splits a task row into bullet pairs and imports each. */
static int
import_row(struct import_state *st, const struct plan_record *rec)
{
	const struct import_bullets	*units, *support;
	struct import_pair		 p;
	char				**actions = NULL, **times = NULL;
	size_t				 na, nt, nu, ns, n, i;
	char				*row_ref;
	int				 rc = 0;

	na = plan_split_bullets(rec->action != NULL ? rec->action : "",
	    &actions);
	nt = plan_split_bullets(rec->time != NULL ? rec->time : "", &times);
	units = import_unit_cell(st, rec->units != NULL ? rec->units : "");
	nu = units->n;
	support = import_unit_cell(st, rec->support);
	ns = support->n;
	n = na > nt ? na : nt;
	if (nu > n)
		n = nu;
	if (ns > n)
		n = ns;
	if (n == 0)
		n = 1;
	row_ref = import_row_ref(rec);
	if ((na > 1 && na != n) || (nt > 1 && nt != n) || (nu > 1 && nu != n) ||
	    (ns > 1 && ns != n)) {
		char *msg;
		if (ns > 0)
			xasprintf(&msg, "%zu task, %zu unit, %zu support and "
			    "%zu time bullets", na, nu, ns, nt);
		else
			xasprintf(&msg, "%zu task, %zu unit and %zu time "
			    "bullets", na, nu, nt);
		import_issue(st, IMPORT_BULLET_MISMATCH, row_ref, rec->line,
		    msg, NULL);
		free(msg);
	}
	st->report->rows++;
	for (i = 0; rc == 0 && i < n; i++) {
		memset(&p, 0, sizeof p);
		p.rec = rec;
		if (n > 1)
			xasprintf(&p.ref, "%s.%c", row_ref, (int)('a' + i % 26));
		else
			p.ref = xstrdup(row_ref);
		p.action = import_pick(actions, na, i);
		p.units = import_pick(units->items, nu, i);
		p.support = import_pick(support->items, ns, i);
		p.time = import_pick(times, nt, i);
		st->report->bullets++;
		rc = import_pair(st, &p);
		free(p.ref);
	}
	free(row_ref);
	plan_bullets_free(actions, na);
	plan_bullets_free(times, nt);
	return (rc);
}

/* Prefixes the error of a row with where the row is: "FILE:LINE: ". */
static void
import_where(struct import_state *st, int line)
{
	char	*c;

	xasprintf(&c, "%s:%d: %s", st->opt->path, line, st->cause != NULL ?
	    st->cause : "cannot import the row");
	free(st->cause);
	st->cause = c;
}

/*
 * Lists a task whose date had passed when its plan was imported: kept,
 * not chased (the unit could not have known), named to the coordinator.
 */
static int
import_past_task(const struct store_past_row *r, void *arg)
{
	struct import_state	*st = arg;
	char			 nominal[11], effective[11], *detail;

	date_format_iso(r->nominal, nominal);
	date_format_iso(r->effective, effective);
	if (r->dates > 1)
		xasprintf(&detail, "%d dates, the first %s", r->dates, nominal);
	else if (r->nominal == r->effective)
		detail = xstrdup(nominal);
	else
		xasprintf(&detail, "%s (effective %s)", nominal, effective);
	import_issue(st, IMPORT_PAST_DEADLINE, r->ref, r->line,
	    r->time_text != NULL ? r->time_text : "", detail);
	free(detail);
	st->report->past++;
	return (0);
}

/* Everything inside the transaction: plan row, tasks, withdrawals, schedule. */
static int
import_tables(struct import_state *st, const struct plan_table *table)
{
	struct store_plan	 plan;
	struct schedule_options	 so;
	struct schedule_stats	 ss;
	size_t			 i;

	memset(&plan, 0, sizeof plan);
	plan.code = st->report->plan_code;
	plan.title = table->title;
	plan.year = st->report->year;
	plan.starts = st->starts;
	plan.ends = st->ends;
	plan.coordinator = st->opt->coordinator;
	plan.source = st->opt->path;
	st->plan_id = store_plan_upsert(st->store, &plan, &st->generation,
	    &st->cause);
	if (st->plan_id < 0)
		return (-1);
	if ((st->plan_had_tasks = store_plan_has_tasks(st->store,
	    st->plan_id, &st->cause)) < 0)
		return (-1);
	for (i = 0; i < table->n; i++) {
		if (table->records[i].type != PLAN_TASK)
			continue;
		if (import_row(st, &table->records[i]) != 0) {
			import_where(st, table->records[i].line);
			return (-1);
		}
	}
	if (import_assign_flush(st, 1) != 0)
		return (-1);
	if (store_plan_withdraw_unseen(st->store, st->plan_id, st->generation,
	    &st->report->withdrawn, &st->cause) != 0)
		return (-1);
	if (st->opt->schedule == NULL)
		return (0);
	so = *st->opt->schedule;
	so.past_import = st->generation;
	if (schedule_plan(st->store, st->report->plan_code, &so, &ss,
	    &st->cause) != 0)
		return (-1);
	st->report->occurrences = ss.occurrences;
	return (store_plan_past_tasks(st->store, st->plan_id, st->generation,
	    import_past_task, st, &st->cause));
}

/*
 * The plan's first day: import --from, else its place-and-date line
 * ("Tuy Phước, ngày 12 tháng 3 năm 2024"; a blank day is the 1st), else
 * the day of its first import (a later one keeps it).  Its year: --year,
 * else the one the document
 * names, else that of the first day, never the clock's alone.  Recurring
 * tasks run from the first day, or 1 January of a plan issued the year
 * before, to the end of the plan's year.  -1 and st->cause on a read error.
 */
static int
import_dates(struct import_state *st, const struct plan_table *table)
{
	struct import_report	*r = st->report;
	date_t			 jan1;

	if (st->opt->from != DATE_NONE && st->opt->from != 0) {
		r->starts = st->opt->from;
		r->starts_from = IMPORT_START_OPTION;
	} else if (table->issued_year != 0 && table->issued_month != 0) {
		r->starts = date_from_ymd(table->issued_year,
		    table->issued_month, table->issued_day > 0 ?
		    table->issued_day : 1);
		r->starts_from = IMPORT_START_DOCUMENT;
	} else {
		if (store_plan_starts(st->store, r->plan_code, &r->starts,
		    &st->cause) != 0)
			return (-1);
		r->starts_from = IMPORT_START_KEPT;
		if (r->starts == DATE_NONE) {
			r->starts = date_today();
			r->starts_from = IMPORT_START_TODAY;
		}
	}
	r->year = st->opt->year != 0 ? st->opt->year : table->year != 0 ?
	    table->year : date_year(r->starts);
	jan1 = date_from_ymd(r->year, 1, 1);
	st->starts = r->starts;
	st->rule_starts = r->starts > jan1 ? r->starts : jan1;
	st->ends = date_from_ymd(r->year, 12, 31);
	return (0);
}

/* 1 if the table has at least one task row. */
static int
import_has_tasks(const struct plan_table *table)
{
	size_t	i;

	for (i = 0; i < table->n; i++)
		if (table->records[i].type == PLAN_TASK)
			return (1);
	return (0);
}

int
import_plan(struct store *s, const struct units *units,
    const struct import_options *opt, struct import_report *report,
    char **cause)
{
	struct import_state	 st;
	struct plan_table	 table;
	size_t			 i;
	int			 rc = -1;

	memset(report, 0, sizeof *report);
	memset(&st, 0, sizeof st);
	memset(&table, 0, sizeof table);
	st.store = s;
	st.units = units;
	st.opt = opt;
	st.report = report;
	if (opt->coordinator != NULL && units_find(units,
	    opt->coordinator) == NULL) {
		xasprintf(cause, "coordinator '%s' is not a unit of the "
		    "directory", opt->coordinator);
		return (-1);
	}
	if (plan_read_file_sheet(opt->path, opt->sheet, &table, cause) != 0)
		return (-1);
	if (!import_has_tasks(&table)) {
		/* An empty table would withdraw the whole plan on re-import. */
		xasprintf(cause, "%s: no task rows under the table header",
		    opt->path);
		plan_table_free(&table);
		return (-1);
	}
	for (i = 0; i < table.nunknown; i++)
		import_issue(&st, IMPORT_UNKNOWN_COLUMN, "column",
		    table.unknown[i].line, table.unknown[i].name, NULL);
	report->plan_code = opt->plan_code != NULL ? xstrdup(opt->plan_code) :
	    table.number != NULL ? plan_number_code(&table) :
	    import_code_from_path(opt->path);
	report->number = table.number != NULL ? xstrdup(table.number) : NULL;
	st.unit_cells.free = import_bullets_free;
	st.unit_bullets.free = import_assign_list_free;
	st.support_bullets.free = import_assign_list_free;
	st.time_bullets.free = import_timeexpr_free;
	if (store_bulk(s, 1, cause) != 0 || store_begin(s, cause) != 0)
		goto done;
	if (import_dates(&st, &table) != 0) {
		store_rollback(s);
		*cause = st.cause;
		st.cause = NULL;
		goto done;
	}
	st.time_options.year = report->year;
	st.time_options.period_day = opt->period_day;
	st.time_options.start = st.starts;
	if (import_unit_ids_load(&st) != 0 ||
	    import_tables(&st, &table) != 0) {
		store_rollback(s);
		*cause = st.cause;
		st.cause = NULL;
		goto done;
	}
	if (opt->dry_run)
		store_rollback(s);
	else if (store_commit(s, cause) != 0) {
		store_rollback(s);
		goto done;
	}
	rc = 0;
done:
	store_bulk(s, 0, NULL);
	for (i = 0; i < st.refs_size; i++)
		free(st.refs[i]);
	free(st.refs);
	free(st.unit_ids);
	free(st.assigns);
	import_memo_clear(&st.unit_cells);
	import_memo_clear(&st.unit_bullets);
	import_memo_clear(&st.support_bullets);
	import_memo_clear(&st.time_bullets);
	free(st.cause);
	plan_table_free(&table);
	if (rc != 0)
		import_report_clear(report);	/* a failure reports nothing */
	return (rc);
}

void
import_report_clear(struct import_report *r)
{
	size_t	i;

	for (i = 0; i < r->nissues; i++) {
		free(r->issues[i].ref);
		free(r->issues[i].text);
		free(r->issues[i].detail);
	}
	free(r->issues);
	free(r->plan_code);
	free(r->number);
	memset(r, 0, sizeof *r);
}
