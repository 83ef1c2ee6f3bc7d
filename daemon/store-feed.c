/* What the calendar feeds and digests read: occurrences, a task's units. */
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "store-private.h"
#include "xmalloc.h"

/* Fills a feed row from the current row of st. */
static void
store_feed_row(sqlite3_stmt *st, struct store_feed_row *r)
{
	memset(r, 0, sizeof *r);
	r->task_id = sqlite3_column_int64(st, 0);
	r->unit_id = sqlite3_column_int64(st, 1);
	r->unit_code = store_column_text(st, 2);
	r->unit_name = store_column_text(st, 3);
	r->plan_code = store_column_text(st, 4);
	r->ref = store_column_text(st, 5);
	r->section = store_column_text(st, 6);
	r->category = store_column_text(st, 7);
	r->title = store_column_text(st, 8);
	r->content = store_column_text(st, 9);
	r->time_text = store_column_text(st, 10);
	r->kind = store_column_text(st, 11);
	r->rrule = store_column_text(st, 12);
	r->due = store_column_date(st, 13);
	r->starts = store_column_date(st, 14);
	r->ends = store_column_date(st, 15);
	r->revision = sqlite3_column_int(st, 16);
	r->nominal = store_column_date(st, 17);
	r->effective = store_column_date(st, 18);
	r->status = store_column_text(st, 19);
	r->sequence = sqlite3_column_int(st, 20);
	r->occurrence_id = sqlite3_column_int64(st, 21);
}

int
store_feed_rows(struct store *s, const char *unit, store_feed_cb fn,
    void *arg, char **cause)
{
	struct store_feed_row	 r;
	sqlite3_stmt		*st;
	int			 rc = 0;

	/*
	 * A unit's or group's feed reads its occurrences by unit (index
	 * occurrences_unit), not every row: with a million occurrences and a
	 * thousand feeds a scan per feed is a billion rows.
	 */
#define STORE_FEED_SELECT "SELECT t.id, o.unit_id, u.code, u.name, p.code, " \
	"t.ref, t.section, t.category, t.title, t.content, t.time_text, " \
	"t.kind, t.rrule, t.due, t.starts, t.ends, t.revision, o.nominal, " \
	"o.effective, o.status, o.sequence, o.id FROM occurrences o JOIN " \
	"tasks t ON t.id = o.task_id JOIN plans p ON p.id = t.plan_id JOIN " \
	"units u ON u.id = o.unit_id WHERE t.status = 'active' "
#define STORE_FEED_ORDER " ORDER BY p.code, t.ref, t.id, u.code, o.nominal"
	if (unit == NULL)
		st = store_prepare(s, STMT_FEED_ROWS, STORE_FEED_SELECT
		    STORE_FEED_ORDER);
	else
		st = store_prepare(s, STMT_FEED_ROWS_UNIT, STORE_FEED_SELECT
		    "AND o.unit_id IN (SELECT id FROM units WHERE code = ?1 "
		    "UNION ALL SELECT m.unit_id FROM group_members m JOIN units "
		    "g ON g.id = m.group_id WHERE g.code = ?1)"
		    STORE_FEED_ORDER);
	if (unit != NULL)
		store_bind_text(st, 1, unit);
	while (rc == 0 && (rc = store_step_row(s, st, cause)) == 1) {
		store_feed_row(st, &r);
		rc = fn(&r, arg);
	}
	sqlite3_reset(st);
	return (rc);
}

/*
 * The rows come straight from the primary key, unordered: GROUP BY and
 * ORDER BY in SQL built two temporary b-trees for every task of a feed
 * (see docs/BENCHMARKS.md); assignees.c puts them in order.
 */
int
store_task_units(struct store *s, int64_t task_id, store_task_unit_cb fn,
    void *arg, char **cause)
{
	struct store_task_unit	 u;
	sqlite3_stmt		*st;
	int			 rc = 0;

	st = store_prepare(s, STMT_TASK_UNITS, "SELECT a.role = 'lead', "
	    "coalesce(g.name, u.name), coalesce(g.code, u.code) FROM "
	    "assignments a JOIN units u ON u.id = a.unit_id LEFT JOIN units g "
	    "ON g.code = a.via AND g.is_group = 1 WHERE a.task_id = ?1 AND "
	    "a.role IN ('lead', 'support')");
	sqlite3_bind_int64(st, 1, task_id);
	while (rc == 0 && (rc = store_step_row(s, st, cause)) == 1) {
		u.lead = sqlite3_column_int(st, 0);
		u.name = store_column_text(st, 1);
		u.code = store_column_text(st, 2);
		rc = fn(&u, arg);
	}
	sqlite3_reset(st);
	return (rc);
}

/*
 * The same sets as store_feed_rows' unit filter, read the other way: the
 * unit's own code and that of every group it is a member of.
 */
int
store_feed_unit_names(struct store *s, int64_t unit_id,
    int (*fn)(const char *, void *), void *arg, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc = 0;

	st = store_prepare(s, STMT_FEED_UNIT_NAMES, "SELECT code FROM units "
	    "WHERE id = ?1 UNION SELECT g.code FROM group_members m JOIN "
	    "units g ON g.id = m.group_id WHERE m.unit_id = ?1");
	sqlite3_bind_int64(st, 1, unit_id);
	while (rc == 0 && (rc = store_step_row(s, st, cause)) == 1)
		rc = fn((const char *)sqlite3_column_text(st, 0), arg);
	sqlite3_reset(st);
	return (rc);
}
