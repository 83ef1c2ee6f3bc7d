/*
 * What the console reads to bring a kept page up to date after a write
 * (console.c, console-pages.c, report_update): one unit's figures of a
 * period, one (unit, task)'s overdue occurrences, instead of the whole
 * period or every overdue occurrence again.
 */
#include <stdlib.h>

#include "store.h"
#include "store-private.h"

/*
 * The same counts as store_report_tally, for one unit: SQLite takes the
 * index occurrences_unit (unit, effective) here, so the unit's rows of the
 * period (1,340 for a year on bench/console.sh's database) rather than
 * the period's range of occurrences_report, which holds every unit's.
 */
int
store_report_tally_unit(struct store *s, date_t from, date_t to,
    int64_t plan_id, int64_t unit_id, store_tally_cb fn, void *arg,
    char **cause)
{
	struct store_tally	 t;
	sqlite3_stmt		*st;
	int			 rc = 0;

	st = store_prepare(s, STMT_REPORT_TALLY_UNIT, "SELECT o.unit_id, "
	    "o.effective, o.status, o.done_on, o.extended, count(*) FROM "
	    "occurrences o WHERE o.unit_id = ?4 "
	    "AND o.effective >= ?1 AND o.effective <= ?2 AND o.task_id IN "
	    "(SELECT id FROM tasks WHERE status = 'active' AND (?3 = 0 OR "
	    "plan_id = ?3)) GROUP BY o.effective, o.status, o.done_on, "
	    "o.extended");
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
 * What store_console_overdue gives, for one unit and one task: through
 * the unique index (task, unit, nominal).
 */
int
store_console_overdue_of(struct store *s, date_t to, int64_t plan_id,
    int64_t unit_id, int64_t task_id, store_overdue_cb fn, void *arg,
    char **cause)
{
	struct store_overdue	 o;
	sqlite3_stmt		*st;
	int			 rc = 0;

	st = store_prepare(s, STMT_CONSOLE_OVERDUE_OF, "SELECT task_id, "
	    "unit_id, effective FROM occurrences WHERE task_id = ?3 AND "
	    "unit_id = ?4 AND status = 'open' AND effective <= ?1 AND task_id "
	    "IN (SELECT id FROM tasks WHERE status = 'active' AND (?2 = 0 OR "
	    "plan_id = ?2))");
	store_bind_date(st, 1, to);
	sqlite3_bind_int64(st, 2, plan_id);
	sqlite3_bind_int64(st, 3, task_id);
	sqlite3_bind_int64(st, 4, unit_id);
	while (rc == 0 && (rc = store_step_row(s, st, cause)) == 1) {
		o.task_id = sqlite3_column_int64(st, 0);
		o.unit_id = sqlite3_column_int64(st, 1);
		o.effective = store_column_date(st, 2);
		rc = fn(&o, arg);
	}
	sqlite3_reset(st);
	return (rc);
}
