/* What reports and completion links read beyond occurrences. */
#include <stdlib.h>

#include "store.h"
#include "store-private.h"
#include "xmalloc.h"

int
store_report_plan_title(struct store *s, const char *code, char **title,
    char **cause)
{
	sqlite3_stmt	*st;

	*title = NULL;
	st = store_prepare(s, STMT_REPORT_PLAN_TITLE, "SELECT title FROM "
	    "plans WHERE code = ?1");
	store_bind_text(st, 1, code);
	return (store_scalar_text(s, st, title, cause) < 0 ? -1 : 0);
}

/*
 * Binds the period, plan and unit to ?1..?4 of a tally statement and
 * calls fn for each of its rows.
 */
static int
store_tally_rows(struct store *s, sqlite3_stmt *st, date_t from, date_t to,
    int64_t plan_id, int64_t unit_id, store_tally_cb fn, void *arg,
    char **cause)
{
	struct store_tally	 t;
	int			 rc = 0;

	store_bind_date(st, 1, from);
	store_bind_date(st, 2, to);
	sqlite3_bind_int64(st, 3, plan_id);
	sqlite3_bind_int64(st, 4, unit_id);
	while (rc == 0 && (rc = store_step_row(s, st, cause)) == 1) {
		t.unit_id = sqlite3_column_int64(st, 0);
		t.effective = store_column_date(st, 1);
		t.status = store_column_text(st, 2);
		t.done_on = store_column_date(st, 3);
		t.extended = store_column_date(st, 4);
		t.n = sqlite3_column_int(st, 5);
		rc = fn(&t, arg);
	}
	sqlite3_reset(st);
	return (rc);
}

/*
 * One pass over the index occurrences_report (migration 10): the period's
 * rows only, read from the index without the table, grouped in the
 * index's order (no sort).  The active tasks of the plan are a list SQLite
 * builds once and probes, not a join per row.
 */
int
store_report_tally(struct store *s, date_t from, date_t to, int64_t plan_id,
    int64_t unit_id, store_tally_cb fn, void *arg, char **cause)
{
	sqlite3_stmt	*st;

	st = store_prepare(s, STMT_REPORT_TALLY, "SELECT o.unit_id, "
	    "o.effective, o.status, o.done_on, o.extended, count(*) FROM "
	    "occurrences o WHERE o.effective >= ?1 AND o.effective <= ?2 AND "
	    "o.task_id IN (SELECT id FROM tasks WHERE status = 'active' AND "
	    "(?3 = 0 OR plan_id = ?3)) AND (?4 = 0 OR o.unit_id = ?4) GROUP "
	    "BY o.effective, o.unit_id, o.status, o.done_on, o.extended");
	return (store_tally_rows(s, st, from, to, plan_id, unit_id, fn, arg,
	    cause));
}

/*
 * The same counts as store_report_tally, for one unit, to bring a kept
 * page of the console up to date after a write (report_update): SQLite
 * takes the index occurrences_unit (unit, effective) here, so the unit's
 * rows of the period (1,340 for a year on bench/console.sh's database)
 * rather than the period's range of occurrences_report, which holds every
 * unit's.
 */
int
store_report_tally_unit(struct store *s, date_t from, date_t to,
    int64_t plan_id, int64_t unit_id, store_tally_cb fn, void *arg,
    char **cause)
{
	sqlite3_stmt	*st;

	st = store_prepare(s, STMT_REPORT_TALLY_UNIT, "SELECT o.unit_id, "
	    "o.effective, o.status, o.done_on, o.extended, count(*) FROM "
	    "occurrences o WHERE o.unit_id = ?4 "
	    "AND o.effective >= ?1 AND o.effective <= ?2 AND o.task_id IN "
	    "(SELECT id FROM tasks WHERE status = 'active' AND (?3 = 0 OR "
	    "plan_id = ?3)) GROUP BY o.effective, o.status, o.done_on, "
	    "o.extended");
	return (store_tally_rows(s, st, from, to, plan_id, unit_id, fn, arg,
	    cause));
}
