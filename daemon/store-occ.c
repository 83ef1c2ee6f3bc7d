/* Occurrences: one per task x unit x due date, and their status. */
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "store-private.h"
#include "xmalloc.h"

/*
 * What an upsert changes in an occurrence that exists: the date the
 * scheduler works out, unless an extension set another (migration 7),
 * which wins until the occurrence is regenerated under another nominal
 * date.  A new date is news to the planning pass: born moves on.
 */
#define STORE_OCC_NEW_DATE "coalesce(extended, excluded.effective)"
#define STORE_OCC_UPSERT_SET "SET mark = 0, sequence = sequence + " \
	"(effective <> " STORE_OCC_NEW_DATE "), born = CASE WHEN effective " \
	"<> " STORE_OCC_NEW_DATE " THEN excluded.born ELSE born END, " \
	"effective = " STORE_OCC_NEW_DATE

int
store_occ_mark(struct store *s, int64_t task_id, date_t from, char **cause)
{
	sqlite3_stmt	*st;

	/*
	 * "+status": look the task up by its index, not every open row.  A
	 * date past at import was never the unit's: it goes too unless the
	 * task still has it (task set-due replaces it).
	 */
	st = store_prepare(s, STMT_OCC_MARK, "UPDATE occurrences SET mark = 1 "
	    "WHERE task_id = ?1 AND +status = 'open' AND (nominal >= ?2 OR "
	    "past_import <> 0)");
	sqlite3_bind_int64(st, 1, task_id);
	store_bind_date(st, 2, from);
	return (store_step_done(s, st, cause));
}

/*
 * Occurrences are upserted by statements of one row, STORE_OCC_ROWS rows
 * and (between store_bulk on and off) STORE_OCC_BULK_ROWS rows, all of the
 * same text.  The rows of a multi-row VALUES go through the conflict
 * handling one after the other, exactly as separate statements would.
 * What they share is the cost of a statement, a good part of the cost of
 * an occurrence written alone: cursors on the table, its three indexes and
 * the two parents of its foreign keys opened and closed, the program
 * started and halted.  A multi-row statement keeps a statement journal, a
 * copy of every page it changes that existed when it began (in 1 KiB
 * allocations in bulk mode, a temporary file past 64 KiB otherwise): each
 * statement journals again the index pages the previous one changed (see
 * docs/BENCHMARKS.md).  A new date is news to the planning pass: born
 * moves on.  Only a new row takes past_import (migration 7): a date
 * already known before this import was the unit's to keep.
 */
#define STORE_OCC_INSERT "INSERT INTO occurrences (task_id, unit_id, " \
	"nominal, effective, born, past_import) VALUES "
#define STORE_OCC_ROW "(?, ?, ?, ?, ?, ?)"
#define STORE_OCC_CONFLICT " ON CONFLICT (task_id, unit_id, nominal) DO " \
	"UPDATE " STORE_OCC_UPSERT_SET

/* The statement that upserts n rows: 1, STORE_OCC_ROWS or _BULK_ROWS. */
static sqlite3_stmt *
store_occ_statement(struct store *s, size_t n)
{
	sqlite3_stmt	**slot = &s->occ_batch;

	if (n == 1)
		slot = &s->stmts[STMT_OCC_UPSERT];
	else if (n == STORE_OCC_ROWS)
		slot = &s->occ_tail;
	return (store_prepare_rows(s, slot, STORE_OCC_INSERT, STORE_OCC_ROW,
	    n, STORE_OCC_CONFLICT));
}

/*
 * Upserts `nrows` rows in one statement.  The dates are written as text in
 * the store and bound from there without a copy: the text outlives the
 * step, and the next use binds every parameter again.
 */
static int
store_occ_upsert_batch(struct store *s, const struct store_occ_row *rows,
    size_t nrows, int64_t born, char **cause)
{
	sqlite3_stmt	*st = store_occ_statement(s, nrows);
	size_t		 i;
	int		 p;

	for (i = 0, p = 1; i < nrows; i++, p += 6) {
		date_format_iso(rows[i].nominal, s->occ_dates[i][0]);
		date_format_iso(rows[i].effective, s->occ_dates[i][1]);
		sqlite3_bind_int64(st, p, rows[i].task_id);
		sqlite3_bind_int64(st, p + 1, rows[i].unit_id);
		sqlite3_bind_text(st, p + 2, s->occ_dates[i][0], 10,
		    SQLITE_STATIC);
		sqlite3_bind_text(st, p + 3, s->occ_dates[i][1], 10,
		    SQLITE_STATIC);
		sqlite3_bind_int64(st, p + 4, born);
		sqlite3_bind_int(st, p + 5, rows[i].past_import);
	}
	return (store_step_done(s, st, cause));
}

size_t
store_occ_batch_rows(struct store *s)
{
	return (s->bulk ? STORE_OCC_BULK_ROWS : STORE_OCC_ROWS);
}

int
store_occ_upsert_rows(struct store *s, const struct store_occ_row *rows,
    size_t n, char **cause)
{
	size_t		 batch;
	int64_t		 born = 0;
	char		*seq;

	if (n == 0)
		return (0);
	if (store_meta_get(s, "plan_seq", &seq, cause) != 0)
		return (-1);
	if (seq != NULL)
		born = strtoll(seq, NULL, 10);
	free(seq);
	while (n > 0) {
		if (n >= store_occ_batch_rows(s))
			batch = store_occ_batch_rows(s);
		else
			batch = n >= STORE_OCC_ROWS ? STORE_OCC_ROWS : 1;
		if (store_occ_upsert_batch(s, rows, batch, born, cause) != 0)
			return (-1);
		rows += batch;
		n -= batch;
	}
	return (0);
}

int
store_occ_sweep(struct store *s, int64_t task_id, int *n, char **cause)
{
	sqlite3_stmt	*st;

	st = store_prepare(s, STMT_OCC_SWEEP, "DELETE FROM occurrences WHERE "
	    "task_id = ?1 AND mark = 1 AND +status = 'open'");
	sqlite3_bind_int64(st, 1, task_id);
	if (store_step_done(s, st, cause) != 0)
		return (-1);
	if (n != NULL)
		*n = sqlite3_changes(s->db);
	return (0);
}

#define STORE_OCC_SELECT "SELECT o.id, o.task_id, o.unit_id, u.code, " \
	"u.name, p.code, t.ref, t.title, t.content, t.time_text, t.kind, " \
	"t.rrule, a.role, o.nominal, o.effective, o.status, o.done_on, " \
	"o.note, o.snooze_until, o.sequence, o.extended FROM occurrences o " \
	"JOIN tasks t " \
	"ON t.id = o.task_id JOIN plans p ON p.id = t.plan_id JOIN units u " \
	"ON u.id = o.unit_id LEFT JOIN assignments a ON a.task_id = " \
	"o.task_id AND a.unit_id = o.unit_id "

/* Calls fn with the occurrence in the current row of st. */
static int
store_occ_emit(sqlite3_stmt *st, store_occ_cb fn, void *arg)
{
	struct store_occurrence	o;

	memset(&o, 0, sizeof o);
	o.id = sqlite3_column_int64(st, 0);
	o.task_id = sqlite3_column_int64(st, 1);
	o.unit_id = sqlite3_column_int64(st, 2);
	o.unit_code = store_column_text(st, 3);
	o.unit_name = store_column_text(st, 4);
	o.plan_code = store_column_text(st, 5);
	o.ref = store_column_text(st, 6);
	o.title = store_column_text(st, 7);
	o.content = store_column_text(st, 8);
	o.time_text = store_column_text(st, 9);
	o.kind = store_column_text(st, 10);
	o.rrule = store_column_text(st, 11);
	o.role = store_column_text(st, 12);
	o.nominal = store_column_date(st, 13);
	o.effective = store_column_date(st, 14);
	o.status = store_column_text(st, 15);
	o.done_on = store_column_date(st, 16);
	o.note = store_column_text(st, 17);
	o.snooze_until = store_column_date(st, 18);
	o.sequence = sqlite3_column_int(st, 19);
	o.extended = store_column_date(st, 20);
	return (fn(&o, arg));
}

/* Lists the dated occurrences the filter selects. */
static int
store_agenda_dated(struct store *s, const struct store_agenda_filter *f,
    store_occ_cb fn, void *arg, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc = 0;

	st = store_prepare(s, STMT_OCC_AGENDA, STORE_OCC_SELECT "WHERE "
	    "t.status = 'active' AND (?1 IS NULL OR u.code = ?1) AND "
	    "(?2 IS NULL OR p.code = ?2) AND (?3 IS NULL OR o.effective >= ?3) "
	    "AND (?4 IS NULL OR o.effective <= ?4) AND (?5 = 0 OR o.status = "
	    "'open') ORDER BY o.effective, p.code, t.ref, u.code");
	store_bind_text(st, 1, f->unit);
	store_bind_text(st, 2, f->plan);
	store_bind_date(st, 3, f->from);
	store_bind_date(st, 4, f->to);
	sqlite3_bind_int(st, 5, f->open_only);
	while (rc == 0 && (rc = store_step_row(s, st, cause)) == 1)
		rc = store_occ_emit(st, fn, arg);
	sqlite3_reset(st);
	return (rc);
}

/* Lists the undated obligations (ongoing, on event, unparsed) per unit. */
static int
store_agenda_undated(struct store *s, const struct store_agenda_filter *f,
    store_occ_cb fn, void *arg, char **cause)
{
	struct store_occurrence	 o;
	sqlite3_stmt		*st;
	int			 rc = 0;

	st = store_prepare(s, STMT_OCC_UNDATED, "SELECT t.id, a.unit_id, "
	    "u.code, u.name, p.code, t.ref, t.title, t.content, t.time_text, "
	    "t.kind, a.role FROM tasks t JOIN plans p ON p.id = t.plan_id "
	    "JOIN assignments a ON a.task_id = t.id JOIN units u ON u.id = "
	    "a.unit_id WHERE t.status = 'active' AND (t.kind = 'ongoing' OR "
	    "t.kind = 'on_event' OR t.kind = 'unparsed') AND u.is_group = 0 "
	    "AND (?1 IS NULL OR "
	    "u.code = ?1) AND (?2 IS NULL OR p.code = ?2) ORDER BY p.code, "
	    "t.ref, u.code");
	store_bind_text(st, 1, f->unit);
	store_bind_text(st, 2, f->plan);
	while (rc == 0 && (rc = store_step_row(s, st, cause)) == 1) {
		memset(&o, 0, sizeof o);
		o.task_id = sqlite3_column_int64(st, 0);
		o.unit_id = sqlite3_column_int64(st, 1);
		o.unit_code = store_column_text(st, 2);
		o.unit_name = store_column_text(st, 3);
		o.plan_code = store_column_text(st, 4);
		o.ref = store_column_text(st, 5);
		o.title = store_column_text(st, 6);
		o.content = store_column_text(st, 7);
		o.time_text = store_column_text(st, 8);
		o.kind = store_column_text(st, 9);
		o.role = store_column_text(st, 10);
		o.nominal = o.effective = o.done_on = o.snooze_until =
		    o.extended = DATE_NONE;
		o.status = "open";
		rc = fn(&o, arg);
	}
	sqlite3_reset(st);
	return (rc);
}

int
store_agenda(struct store *s, const struct store_agenda_filter *f,
    store_occ_cb fn, void *arg, char **cause)
{
	int	rc;

	if (!f->undated_only &&
	    (rc = store_agenda_dated(s, f, fn, arg, cause)) != 0)
		return (rc);
	if (f->include_undated || f->undated_only)
		return (store_agenda_undated(s, f, fn, arg, cause));
	return (0);
}

int
store_stage_window(struct store *s, date_t from, date_t to, store_stage_cb fn,
    void *arg, char **cause)
{
	struct store_stage_row	 r;
	sqlite3_stmt		*st;
	int			 rc = 0;

	/* Every column is in occurrences_due: no row of the table is read. */
	st = store_prepare(s, STMT_OCC_STAGE_WINDOW, "SELECT id, task_id, "
	    "unit_id, effective, born, snooze_until FROM occurrences "
	    "INDEXED BY occurrences_due WHERE status = 'open' AND effective "
	    "BETWEEN ?1 AND ?2");
	store_bind_date(st, 1, from);
	store_bind_date(st, 2, to);
	while (rc == 0 && (rc = store_step_row(s, st, cause)) == 1) {
		r.id = sqlite3_column_int64(st, 0);
		r.task_id = sqlite3_column_int64(st, 1);
		r.unit_id = sqlite3_column_int64(st, 2);
		r.effective = store_column_date(st, 3);
		r.born = sqlite3_column_int64(st, 4);
		r.snooze_until = store_column_date(st, 5);
		rc = fn(&r, arg);
	}
	sqlite3_reset(st);
	return (rc);
}

int
store_tasks_inactive(struct store *s, int64_t **ids, size_t *n, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	*ids = NULL;
	*n = 0;
	st = store_prepare(s, STMT_TASKS_INACTIVE, "SELECT id FROM tasks "
	    "INDEXED BY tasks_inactive WHERE status <> 'active' ORDER BY id");
	while ((rc = store_step_row(s, st, cause)) == 1) {
		*ids = xreallocarray(*ids, *n + 1, sizeof **ids);
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	return (rc);
}

int
store_task_occurrences(struct store *s, int64_t task, store_occ_cb fn,
    void *arg, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc = 0, step;

	st = store_prepare(s, STMT_TASK_OCCURRENCES, STORE_OCC_SELECT "WHERE "
	    "o.task_id = ?1 ORDER BY o.nominal, u.code");
	sqlite3_bind_int64(st, 1, task);
	while (rc == 0 && (step = store_step_row(s, st, cause)) == 1)
		rc = store_occ_emit(st, fn, arg);
	if (rc == 0 && step < 0)
		rc = -1;
	sqlite3_reset(st);
	return (rc);
}

int
store_occ_get(struct store *s, int64_t id, store_occ_cb fn, void *arg,
    char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = store_prepare(s, STMT_OCC_GET, STORE_OCC_SELECT "WHERE o.id = ?1");
	sqlite3_bind_int64(st, 1, id);
	if ((rc = store_step_row(s, st, cause)) == 1)
		rc = store_occ_emit(st, fn, arg);
	sqlite3_reset(st);
	return (rc);
}

/* Appends to an occurrence's history: what, who, from where, why. */
int
store_occ_log(struct store *s, int64_t id, const char *action,
    const struct store_actor *who, const char *note, char **cause)
{
	sqlite3_stmt	*st;
	char		 now[32];

	store_now_text(now);
	st = store_prepare(s, STMT_OCC_LOG, "INSERT INTO occurrence_log "
	    "(occurrence_id, at, action, by, note, origin) VALUES (?1, ?2, "
	    "?3, ?4, ?5, ?6)");
	sqlite3_bind_int64(st, 1, id);
	store_bind_text(st, 2, now);
	store_bind_text(st, 3, action);
	store_bind_text(st, 4, who->by);
	store_bind_text(st, 5, note);
	store_bind_text(st, 6, who->origin);
	return (store_step_done(s, st, cause));
}

int
store_occ_set_status(struct store *s, int64_t id, const char *status,
    date_t done_on, const char *note, const char *by, char **cause)
{
	struct store_actor	who = { by, NULL };

	return (store_occ_set_status_by(s, id, status, done_on, note, &who,
	    cause));
}

int
store_occ_set_status_by(struct store *s, int64_t id, const char *status,
    date_t done_on, const char *note, const struct store_actor *who,
    char **cause)
{
	sqlite3_stmt	*st;
	char		 now[32];

	store_now_text(now);
	/* Reopened, it is new to the planning pass: its stage is said. */
	st = store_prepare(s, STMT_OCC_SET_STATUS, "UPDATE occurrences SET "
	    "status = ?2, done_on = ?3, note = ?4, changed_by = ?5, "
	    "changed_at = ?6, sequence = sequence + 1, born = "
	    STORE_PLAN_SEQ " WHERE id = ?1");
	sqlite3_bind_int64(st, 1, id);
	store_bind_text(st, 2, status);
	store_bind_date(st, 3, done_on);
	store_bind_text(st, 4, note);
	store_bind_text(st, 5, who->by);
	store_bind_text(st, 6, now);
	if (store_step_changed(s, st, "occurrence", id, cause) != 0)
		return (-1);
	return (store_occ_log(s, id, status, who, note, cause));
}

int
store_occ_snooze(struct store *s, int64_t id, date_t until, const char *by,
    char **cause)
{
	struct store_actor	who = { by, NULL };

	return (store_occ_snooze_by(s, id, until, NULL, &who, cause));
}

int
store_occ_snooze_by(struct store *s, int64_t id, date_t until,
    const char *note, const struct store_actor *who, char **cause)
{
	sqlite3_stmt	*st;

	st = store_prepare(s, STMT_OCC_SNOOZE, "UPDATE occurrences SET "
	    "snooze_until = ?2 WHERE id = ?1 AND status = 'open'");
	sqlite3_bind_int64(st, 1, id);
	store_bind_date(st, 2, until);
	if (store_step_changed(s, st, "open occurrence", id, cause) != 0)
		return (-1);
	return (store_occ_log(s, id, "snooze", who, note, cause));
}
