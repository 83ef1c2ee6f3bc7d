/* Plans, tasks and their assignments in the store. */
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "store-private.h"
#include "xmalloc.h"

int64_t
store_plan_id(struct store *s, const char *code, char **cause)
{
	sqlite3_stmt	*st;
	int64_t		 id = 0;

	st = store_prepare(s, STMT_PLAN_ID, "SELECT id FROM plans WHERE "
	    "code = ?1");
	store_bind_text(st, 1, code);
	if (store_scalar(s, st, &id, cause) < 0)
		return (-1);
	return (id);
}

int
store_plan_starts(struct store *s, const char *code, date_t *starts,
    char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	*starts = DATE_NONE;
	st = store_prepare(s, STMT_PLAN_STARTS, "SELECT starts FROM plans "
	    "WHERE code = ?1");
	store_bind_text(st, 1, code);
	rc = store_step_row(s, st, cause);
	if (rc == 1)
		*starts = store_column_date(st, 0);
	sqlite3_reset(st);
	return (rc < 0 ? -1 : 0);
}

int
store_plan_set_reply_to(struct store *s, const char *code,
    const char *reply_to, char **cause)
{
	sqlite3_stmt	*st;

	st = store_prepare(s, STMT_PLAN_SET_REPLY_TO, "UPDATE plans SET "
	    "reply_to = ?2 WHERE code = ?1");
	store_bind_text(st, 1, code);
	store_bind_text(st, 2, reply_to);
	if (store_step_done(s, st, cause) != 0)
		return (-1);
	return (sqlite3_changes(s->db) == 0 ? 1 : 0);
}

int
store_plan_reply_to(struct store *s, const char *code, char **reply_to,
    char **cause)
{
	sqlite3_stmt	*st;
	const char	*v;
	int		 rc;

	*reply_to = NULL;
	st = store_prepare(s, STMT_PLAN_REPLY_TO, "SELECT reply_to FROM "
	    "plans WHERE code = ?1");
	store_bind_text(st, 1, code);
	rc = store_step_row(s, st, cause);
	if (rc == 1 && (v = store_column_text(st, 0)) != NULL && *v != '\0')
		*reply_to = xstrdup(v);
	sqlite3_reset(st);
	return (rc < 0 ? -1 : 0);
}

int64_t
store_plan_upsert(struct store *s, const struct store_plan *p,
    int *generation, char **cause)
{
	sqlite3_stmt	*st;
	char		 now[32];
	int64_t		 id = -1;

	store_now_text(now);
	st = store_prepare(s, STMT_PLAN_UPSERT, "INSERT INTO plans (code, "
	    "title, year, starts, ends, coordinator, source, generation, "
	    "imported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8) "
	    "ON CONFLICT (code) DO UPDATE SET title = ?2, year = ?3, "
	    "starts = ?4, ends = ?5, coordinator = ?6, source = ?7, "
	    "generation = generation + 1, imported_at = ?8 "
	    "RETURNING id, generation");
	store_bind_text(st, 1, p->code);
	store_bind_text(st, 2, p->title);
	sqlite3_bind_int(st, 3, p->year);
	store_bind_date(st, 4, p->starts);
	store_bind_date(st, 5, p->ends);
	store_bind_text(st, 6, p->coordinator);
	store_bind_text(st, 7, p->source);
	store_bind_text(st, 8, now);
	if (store_step_row(s, st, cause) == 1) {
		id = sqlite3_column_int64(st, 0);
		*generation = sqlite3_column_int(st, 1);
	}
	sqlite3_reset(st);
	return (id);
}

/* 1 if text column i of st differs from v (NULL-aware). */
static int
store_text_differs(sqlite3_stmt *st, int i, const char *v)
{
	const char	*have = store_column_text(st, i);

	if (have == NULL || v == NULL)
		return ((have == NULL) != (v == NULL));
	return (strcmp(have, v) != 0);
}

/* 1 if date column i of st differs from d. */
static int
store_date_differs(sqlite3_stmt *st, int i, date_t d)
{
	return (store_column_date(st, i) != d);
}

/* Binds the task's fields to ?2..?17 and ?19..?22. */
static void
store_task_bind(sqlite3_stmt *st, const struct store_task *t, int generation)
{
	char	now[32];

	store_now_text(now);
	sqlite3_bind_int64(st, 2, t->plan_id);
	store_bind_borrowed(st, 3, t->ref);
	store_bind_borrowed(st, 4, t->section);
	store_bind_borrowed(st, 5, t->category);
	store_bind_borrowed(st, 6, t->content);
	store_bind_borrowed(st, 7, t->title);
	store_bind_borrowed(st, 8, t->time_text);
	store_bind_borrowed(st, 9, t->kind);
	store_bind_date(st, 10, t->due);
	store_bind_borrowed(st, 11, t->rrule);
	store_bind_date(st, 12, t->starts);
	store_bind_date(st, 13, t->ends);
	sqlite3_bind_int(st, 14, (int)t->source_line);
	store_bind_borrowed(st, 15, t->unmatched);
	sqlite3_bind_int(st, 16, generation);
	store_bind_text(st, 17, now);
	store_bind_borrowed(st, 19, t->notes);
	store_bind_borrowed(st, 20, t->dayoff);
	store_bind_borrowed(st, 21, t->quality != NULL ? t->quality : "exact");
	store_bind_borrowed(st, 22, t->leftover);
}

/* Looks a task up by plan and reference; 1 and *differs if found, 0, -1. */
static int
store_task_find(struct store *s, const struct store_task *t, int64_t *id,
    int *differs, char **cause)
{
	sqlite3_stmt	*st;
	int		 found;

	st = store_prepare(s, STMT_TASK_FIND, "SELECT id, section, category, "
	    "content, title, time_text, kind, due, rrule, starts, ends, "
	    "unmatched, status, notes, dayoff, quality, leftover FROM tasks "
	    "WHERE plan_id = ?1 AND ref = ?2");
	sqlite3_bind_int64(st, 1, t->plan_id);
	store_bind_text(st, 2, t->ref);
	found = store_step_row(s, st, cause);
	if (found == 1) {
		*id = sqlite3_column_int64(st, 0);
		*differs = store_text_differs(st, 1, t->section) ||
		    store_text_differs(st, 2, t->category) ||
		    store_text_differs(st, 3, t->content) ||
		    store_text_differs(st, 4, t->title) ||
		    store_text_differs(st, 5, t->time_text) ||
		    store_text_differs(st, 6, t->kind) ||
		    store_date_differs(st, 7, t->due) ||
		    store_text_differs(st, 8, t->rrule) ||
		    store_date_differs(st, 9, t->starts) ||
		    store_date_differs(st, 10, t->ends) ||
		    store_text_differs(st, 11, t->unmatched) ||
		    store_text_differs(st, 12, "active") ||
		    store_text_differs(st, 13, t->notes) ||
		    store_text_differs(st, 14, t->dayoff) ||
		    store_text_differs(st, 15, t->quality != NULL ?
		    t->quality : "exact") ||
		    store_text_differs(st, 16, t->leftover);
	}
	sqlite3_reset(st);
	return (found);
}

int
store_plan_has_tasks(struct store *s, int64_t plan_id, char **cause)
{
	sqlite3_stmt	*st;
	int64_t		 any = 0;

	st = store_prepare(s, STMT_PLAN_HAS_TASKS, "SELECT EXISTS (SELECT 1 "
	    "FROM tasks WHERE plan_id = ?1)");
	sqlite3_bind_int64(st, 1, plan_id);
	if (store_scalar(s, st, &any, cause) < 0)
		return (-1);
	return (any != 0);
}

int64_t
store_task_insert(struct store *s, const struct store_task *t, int generation,
    char **cause)
{
	sqlite3_stmt	*st;

	st = store_prepare(s, STMT_TASK_INSERT, "INSERT INTO tasks (plan_id, "
	    "ref, section, category, content, title, time_text, kind, due, "
	    "rrule, starts, ends, source_line, unmatched, generation, "
	    "updated_at, notes, dayoff, quality, leftover) VALUES (?2, ?3, "
	    "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
	    "?19, ?20, ?21, ?22)");
	store_task_bind(st, t, generation);
	if (store_step_done(s, st, cause) != 0)
		return (-1);
	return (sqlite3_last_insert_rowid(s->db));
}

int64_t
store_task_upsert(struct store *s, const struct store_task *t, int generation,
    int *changed, char **cause)
{
	sqlite3_stmt	*st;
	int64_t		 id = 0;
	int		 differs = 0, found;

	if ((found = store_task_find(s, t, &id, &differs, cause)) < 0)
		return (-1);
	if (!found) {
		*changed = 2;
		return (store_task_insert(s, t, generation, cause));
	}
	*changed = differs;
	st = store_prepare(s, STMT_TASK_UPDATE, "UPDATE tasks SET "
	    "section = ?4, category = ?5, content = ?6, title = ?7, "
	    "time_text = ?8, kind = ?9, due = ?10, rrule = ?11, "
	    "starts = ?12, ends = ?13, source_line = ?14, "
	    "unmatched = ?15, generation = ?16, status = 'active', "
	    "notes = ?19, dayoff = ?20, quality = ?21, leftover = ?22, "
	    "revision = revision + ?18, updated_at = CASE WHEN ?18 "
	    "THEN ?17 ELSE updated_at END WHERE id = ?1 AND "
	    "plan_id = ?2 AND ref = ?3");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 18, differs);
	store_task_bind(st, t, generation);
	if (store_step_done(s, st, cause) != 0)
		return (-1);
	return (id);
}

int
store_task_clear_assignments(struct store *s, int64_t task_id, char **cause)
{
	sqlite3_stmt	*st;

	st = store_prepare(s, STMT_TASK_UNASSIGN, "DELETE FROM assignments "
	    "WHERE task_id = ?1");
	sqlite3_bind_int64(st, 1, task_id);
	return (store_step_done(s, st, cause));
}

/*
 * Assignments are written by statements of one row and of
 * STORE_ASSIGN_ROWS rows, of the same text: a task's rows go through the
 * conflict handling one after the other, and a unit named twice keeps its
 * strongest role, lead over support.
 */
#define STORE_ASSIGN_INSERT "INSERT INTO assignments (task_id, unit_id, " \
	"role, via) VALUES "
#define STORE_ASSIGN_ROW "(?, ?, ?, ?)"
#define STORE_ASSIGN_CONFLICT " ON CONFLICT (task_id, unit_id) DO UPDATE " \
	"SET role = CASE WHEN role = 'lead' OR excluded.role = 'lead' THEN " \
	"'lead' WHEN role = 'support' OR excluded.role = 'support' THEN " \
	"'support' ELSE role END"

int
store_task_assign(struct store *s, int64_t task_id, int64_t unit_id,
    const char *role, const char *via, char **cause)
{
	struct store_assign_row	r;

	r.task_id = task_id;
	r.unit_id = unit_id;
	r.role = role;
	r.via = via;
	return (store_task_assign_rows(s, &r, 1, cause));
}

int
store_task_assign_rows(struct store *s, const struct store_assign_row *rows,
    size_t n, char **cause)
{
	sqlite3_stmt	*st;
	size_t		 i, batch;
	int		 p;

	for (; n > 0; rows += batch, n -= batch) {
		batch = n >= STORE_ASSIGN_ROWS ? STORE_ASSIGN_ROWS : 1;
		st = store_prepare_rows(s, batch == 1 ?
		    &s->stmts[STMT_TASK_ASSIGN] : &s->assign_batch,
		    STORE_ASSIGN_INSERT, STORE_ASSIGN_ROW, batch,
		    STORE_ASSIGN_CONFLICT);
		for (i = 0, p = 1; i < batch; i++, p += 4) {
			sqlite3_bind_int64(st, p, rows[i].task_id);
			sqlite3_bind_int64(st, p + 1, rows[i].unit_id);
			store_bind_borrowed(st, p + 2, rows[i].role);
			store_bind_borrowed(st, p + 3, rows[i].via);
		}
		if (store_step_done(s, st, cause) != 0)
			return (-1);
	}
	return (0);
}

int
store_plan_withdraw_unseen(struct store *s, int64_t plan_id, int generation,
    int *n, char **cause)
{
	sqlite3_stmt	*st;

	st = store_prepare(s, STMT_TASK_WITHDRAW, "UPDATE tasks SET status = "
	    "'withdrawn', revision = revision + 1 WHERE plan_id = ?1 AND "
	    "generation <> ?2 AND status = 'active'");
	sqlite3_bind_int64(st, 1, plan_id);
	sqlite3_bind_int(st, 2, generation);
	if (store_step_done(s, st, cause) != 0)
		return (-1);
	*n = sqlite3_changes(s->db);
	return (0);
}

/*
 * The columns of a task listing, after the ones every listing has: the
 * reading of its time cell.  Joined to plans as p.
 */
#define STORE_TASK_COLUMNS "t.id, t.plan_id, p.code, t.ref, t.section, " \
	"t.category, t.content, t.title, t.time_text, t.kind, t.due, " \
	"t.rrule, t.starts, t.ends, t.source_line, t.status, t.unmatched, " \
	"t.revision, (SELECT group_concat(u.code || ':' || a.role, ' ') FROM " \
	"assignments a JOIN units u ON u.id = a.unit_id WHERE a.task_id = " \
	"t.id), t.notes, t.dayoff, t.quality, t.leftover"

/* Fills a task from a row of STORE_TASK_COLUMNS (borrowed strings). */
static void
store_task_row(sqlite3_stmt *st, struct store_task *t)
{
	memset(t, 0, sizeof *t);
	t->id = sqlite3_column_int64(st, 0);
	t->plan_id = sqlite3_column_int64(st, 1);
	t->plan_code = store_column_text(st, 2);
	t->ref = store_column_text(st, 3);
	t->section = store_column_text(st, 4);
	t->category = store_column_text(st, 5);
	t->content = store_column_text(st, 6);
	t->title = store_column_text(st, 7);
	t->time_text = store_column_text(st, 8);
	t->kind = store_column_text(st, 9);
	t->due = store_column_date(st, 10);
	t->rrule = store_column_text(st, 11);
	t->starts = store_column_date(st, 12);
	t->ends = store_column_date(st, 13);
	t->source_line = (unsigned)sqlite3_column_int(st, 14);
	t->status = store_column_text(st, 15);
	t->unmatched = store_column_text(st, 16);
	t->revision = sqlite3_column_int(st, 17);
	t->units = store_column_text(st, 18);
	t->notes = store_column_text(st, 19);
	t->dayoff = store_column_text(st, 20);
	t->quality = store_column_text(st, 21);
	t->leftover = store_column_text(st, 22);
}

/* Calls fn with each task st (bound) reads; 0, fn's value, or -1. */
static int
store_tasks_walk(struct store *s, sqlite3_stmt *st, store_task_cb fn,
    void *arg, char **cause)
{
	struct store_task	 t;
	int			 rc = 0;

	while (rc == 0 && (rc = store_step_row(s, st, cause)) == 1) {
		store_task_row(st, &t);
		rc = fn(&t, arg);
	}
	sqlite3_reset(st);
	return (rc);
}

int
store_tasks(struct store *s, const char *plan, int64_t task_id,
    store_task_cb fn, void *arg, char **cause)
{
	sqlite3_stmt	*st;

	st = store_prepare(s, STMT_TASKS, "SELECT " STORE_TASK_COLUMNS
	    " FROM tasks t JOIN plans p ON p.id = t.plan_id WHERE (?1 IS "
	    "NULL OR p.code = ?1) AND (?2 = 0 OR t.id = ?2) ORDER BY p.code, "
	    "t.id");
	store_bind_text(st, 1, plan);
	sqlite3_bind_int64(st, 2, task_id);
	return (store_tasks_walk(s, st, fn, arg, cause));
}

int
store_tasks_review(struct store *s, const char *plan, store_task_cb fn,
    void *arg, char **cause)
{
	sqlite3_stmt	*st;

	/* The partial index: the daily digest reads no other task. */
	st = store_prepare(s, STMT_TASKS_REVIEW, "SELECT " STORE_TASK_COLUMNS
	    " FROM tasks t INDEXED BY tasks_review JOIN plans p ON p.id = "
	    "t.plan_id WHERE t.quality <> 'exact' AND t.status = 'active' "
	    "AND (?1 IS NULL OR p.code = ?1) ORDER BY t.id");
	store_bind_text(st, 1, plan);
	return (store_tasks_walk(s, st, fn, arg, cause));
}

int
store_occ_past(struct store *s, store_past_cb fn, void *arg, char **cause)
{
	struct store_past_row	 r;
	sqlite3_stmt		*st;
	int			 rc = 0;

	st = store_prepare(s, STMT_OCC_PAST, "SELECT id, task_id FROM "
	    "occurrences INDEXED BY occurrences_past WHERE past_import <> 0 "
	    "AND status = 'open' ORDER BY task_id, id");
	while (rc == 0 && (rc = store_step_row(s, st, cause)) == 1) {
		memset(&r, 0, sizeof r);
		r.occurrence_id = sqlite3_column_int64(st, 0);
		r.task_id = sqlite3_column_int64(st, 1);
		r.nominal = r.effective = DATE_NONE;
		rc = fn(&r, arg);
	}
	sqlite3_reset(st);
	return (rc);
}

int
store_plan_past_tasks(struct store *s, int64_t plan_id, int generation,
    store_past_cb fn, void *arg, char **cause)
{
	struct store_past_row	 r;
	sqlite3_stmt		*st;
	int			 rc = 0;

	st = store_prepare(s, STMT_PLAN_PAST_TASKS, "SELECT min(o.id), t.id, "
	    "t.ref, min(o.nominal), min(o.effective), t.time_text, "
	    "t.source_line, count(DISTINCT o.nominal) FROM occurrences o "
	    "INDEXED BY occurrences_past JOIN tasks t ON t.id = o.task_id "
	    "WHERE o.past_import <> 0 AND o.past_import = ?2 AND t.plan_id = "
	    "?1 GROUP BY t.id "
	    "ORDER BY t.id");
	sqlite3_bind_int64(st, 1, plan_id);
	sqlite3_bind_int(st, 2, generation);
	while (rc == 0 && (rc = store_step_row(s, st, cause)) == 1) {
		r.occurrence_id = sqlite3_column_int64(st, 0);
		r.task_id = sqlite3_column_int64(st, 1);
		r.ref = store_column_text(st, 2);
		r.nominal = store_column_date(st, 3);
		r.effective = store_column_date(st, 4);
		r.time_text = store_column_text(st, 5);
		r.line = (unsigned)sqlite3_column_int(st, 6);
		r.dates = sqlite3_column_int(st, 7);
		rc = fn(&r, arg);
	}
	sqlite3_reset(st);
	return (rc);
}

/* A unit of the task being gathered, and what orders it. */
struct store_schedule_unit {
	int64_t		 id;
	int		 lead;
	char		*code;
};

/* The units being gathered and the task they belong to. */
struct store_schedule_gather {
	struct store_schedule_task	 t;
	struct store_schedule_unit	*v;
	int64_t				*ids;
	size_t				 size;
};

/* Lead first, then by code: the order of their occurrences. */
static int
store_schedule_unit_cmp(const void *a, const void *b)
{
	const struct store_schedule_unit	*ua = a, *ub = b;

	if (ua->lead != ub->lead)
		return (ub->lead - ua->lead);
	return (strcmp(ua->code, ub->code));
}

/* Forgets the task gathered. */
static void
store_schedule_forget(struct store_schedule_gather *g)
{
	struct store_schedule_task	*t = &g->t;
	size_t				 i;

	for (i = 0; i < t->nunits; i++)
		free(g->v[i].code);
	free((char *)t->plan_code);
	free((char *)t->ref);
	free((char *)t->kind);
	free((char *)t->rrule);
	free((char *)t->dayoff);
	t->id = 0;
	t->plan_code = t->ref = t->kind = t->rrule = t->dayoff = NULL;
	t->nunits = 0;
}

/* Hands the task gathered to fn and forgets it; fn's result. */
static int
store_schedule_flush(struct store_schedule_gather *g, store_schedule_cb fn,
    void *arg)
{
	struct store_schedule_task	*t = &g->t;
	size_t				 i;
	int				 rc;

	if (t->id == 0)
		return (0);
	if (t->nunits > 1)
		qsort(g->v, t->nunits, sizeof *g->v, store_schedule_unit_cmp);
	for (i = 0; i < t->nunits; i++)
		g->ids[i] = g->v[i].id;
	t->units = g->ids;
	rc = fn(t, arg);
	store_schedule_forget(g);
	return (rc);
}

/* Adds the unit in the current row of st to the task gathered. */
static void
store_schedule_add_unit(struct store_schedule_gather *g, sqlite3_stmt *st)
{
	struct store_schedule_unit	*u;

	if (g->t.nunits == g->size) {
		g->size = g->size == 0 ? 8 : g->size * 2;
		g->v = xreallocarray(g->v, g->size, sizeof *g->v);
		g->ids = xreallocarray(g->ids, g->size, sizeof *g->ids);
	}
	u = &g->v[g->t.nunits++];
	u->id = sqlite3_column_int64(st, 9);
	u->lead = sqlite3_column_int(st, 10);
	u->code = xstrdup(store_column_text(st, 11));
}

int
store_schedule_tasks(struct store *s, const char *plan, int64_t task_id,
    store_schedule_cb fn, void *arg, char **cause)
{
	struct store_schedule_gather	 g;
	struct store_schedule_task	*t = &g.t;
	sqlite3_stmt			*st;
	int64_t				 id;
	int				 rc = 0, row = 0;

	/*
	 * One statement for the whole run rather than a listing and then one
	 * query of assignments per task: a row per (task, unit), with the
	 * units that get occurrences (no report_to, no retired unit, no
	 * group), and whether the task has any occurrence yet (if not, there
	 * is nothing to mark or sweep).  A task without such a unit comes as
	 * one row, unit NULL.  Its units are put in order here, not by the
	 * statement: one plan's tasks then come in the order of a scan of
	 * the table (CROSS JOIN keeps it the outer loop), the order of their
	 * ids, with no sort at all (see docs/BENCHMARKS.md).
	 * A task's rows are read after those before it were scheduled, which
	 * wrote occurrences of those tasks only.  The listing of one task or
	 * of every plan is sorted by plan and id.
	 */
	if (plan != NULL && task_id == 0) {
		st = store_prepare(s, STMT_SCHEDULE_PLAN, "SELECT t.id, p.code, "
		    "t.ref, t.kind, t.due, t.rrule, t.starts, t.ends, EXISTS "
		    "(SELECT 1 FROM occurrences o WHERE o.task_id = t.id), "
		    "u.id, a.role = 'lead', u.code, t.dayoff FROM tasks t CROSS "
		    "JOIN "
		    "plans p ON p.id = t.plan_id LEFT JOIN assignments a ON "
		    "a.task_id = t.id AND a.role <> 'report_to' LEFT JOIN "
		    "units u ON u.id = a.unit_id AND u.retired_at IS NULL AND "
		    "u.is_group = 0 WHERE t.status = 'active' AND p.code = ?1 "
		    "ORDER BY t.id");
		store_bind_text(st, 1, plan);
	} else {
		st = store_prepare(s, STMT_SCHEDULE_TASKS, "SELECT t.id, "
		    "p.code, t.ref, t.kind, t.due, t.rrule, t.starts, t.ends, "
		    "EXISTS (SELECT 1 FROM occurrences o WHERE o.task_id = "
		    "t.id), u.id, a.role = 'lead', u.code, t.dayoff FROM tasks t "
		    "JOIN "
		    "plans p ON p.id = t.plan_id LEFT JOIN assignments a ON "
		    "a.task_id = t.id AND a.role <> 'report_to' LEFT JOIN "
		    "units u ON u.id = a.unit_id AND u.retired_at IS NULL AND "
		    "u.is_group = 0 WHERE t.status = 'active' AND (?1 IS NULL "
		    "OR p.code = ?1) AND (?2 = 0 OR t.id = ?2) ORDER BY "
		    "p.code, t.id");
		store_bind_text(st, 1, plan);
		sqlite3_bind_int64(st, 2, task_id);
	}
	memset(&g, 0, sizeof g);
	while (rc == 0 && (row = store_step_row(s, st, cause)) == 1) {
		id = sqlite3_column_int64(st, 0);
		if (id != t->id) {
			if ((rc = store_schedule_flush(&g, fn, arg)) != 0)
				break;
			t->id = id;
			t->plan_code = xstrdup(store_column_text(st, 1));
			t->ref = xstrdup(store_column_text(st, 2));
			t->kind = xstrdup(store_column_text(st, 3));
			t->due = store_column_date(st, 4);
			t->rrule = store_column_text(st, 5) != NULL ?
			    xstrdup(store_column_text(st, 5)) : NULL;
			t->starts = store_column_date(st, 6);
			t->ends = store_column_date(st, 7);
			t->has_occurrences = sqlite3_column_int(st, 8);
			t->dayoff = store_column_text(st, 12) != NULL ?
			    xstrdup(store_column_text(st, 12)) : NULL;
		}
		if (sqlite3_column_type(st, 9) != SQLITE_NULL)
			store_schedule_add_unit(&g, st);
	}
	if (rc == 0 && row == 0)
		rc = store_schedule_flush(&g, fn, arg);
	else if (rc == 0) {
		store_schedule_forget(&g);
		rc = -1;
	}
	sqlite3_reset(st);
	free(g.v);
	free(g.ids);
	return (rc);
}

int
store_task_set_due(struct store *s, int64_t task_id, date_t due, char **cause)
{
	sqlite3_stmt	*st;
	char		 now[32];

	store_now_text(now);
	st = store_prepare(s, STMT_TASK_SET_DUE, "UPDATE tasks SET kind = "
	    "'once', due = ?2, rrule = NULL, starts = NULL, ends = NULL, "
	    "dayoff = NULL, quality = 'exact', leftover = NULL, "
	    "revision = revision + 1, updated_at = ?3 WHERE id = ?1");
	sqlite3_bind_int64(st, 1, task_id);
	store_bind_date(st, 2, due);
	store_bind_text(st, 3, now);
	return (store_step_changed(s, st, "task", task_id, cause));
}

int
store_task_set_rule(struct store *s, int64_t task_id, const char *rrule,
    date_t starts, date_t ends, char **cause)
{
	sqlite3_stmt	*st;
	char		 now[32];

	/* ISO dates compare as text: max() is the later one. */
	store_now_text(now);
	st = store_prepare(s, STMT_TASK_SET_RULE, "UPDATE tasks SET kind = "
	    "'recurring', due = NULL, rrule = ?2, starts = max(?3, (SELECT "
	    "p.starts FROM plans p WHERE p.id = tasks.plan_id)), ends = "
	    "coalesce(?4, (SELECT p.ends FROM plans p WHERE p.id = "
	    "tasks.plan_id)), "
	    "dayoff = NULL, quality = 'exact', leftover = NULL, "
	    "revision = revision + 1, updated_at = ?5 WHERE id = ?1");
	sqlite3_bind_int64(st, 1, task_id);
	store_bind_text(st, 2, rrule);
	store_bind_date(st, 3, starts);
	store_bind_date(st, 4, ends);
	store_bind_text(st, 5, now);
	return (store_step_changed(s, st, "task", task_id, cause));
}

/* A task's notes ("" is none). */
int
store_task_notes(struct store *s, int64_t task_id, char **notes,
    char **cause)
{
	sqlite3_stmt	*st;

	*notes = NULL;
	st = store_prepare(s, STMT_TASK_NOTES, "SELECT notes FROM tasks "
	    "WHERE id = ?1");
	sqlite3_bind_int64(st, 1, task_id);
	if (store_scalar_text(s, st, notes, cause) < 0)
		return (-1);
	if (*notes != NULL && **notes == '\0') {
		free(*notes);
		*notes = NULL;
	}
	return (0);
}
