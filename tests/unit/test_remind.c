/*
 * Tests for remind.c: the planning pass over a small store made here
 * (two units, one task a date around Monday 2024-07-15), with the
 * reminders it must queue worked out by hand from the policy of the
 * tests: lead 7 3 1 0 working days, overdue every 3 working days at most
 * 5 times, escalation after 5 working days late, send time 08:00,
 * Saturdays and Sundays off (no holiday falls in June or July 2024).
 *
 * Working days are counted in (from, to]: from Monday 15 July, Monday 22
 * is 5 working days ahead (16, 17, 18, 19, 22), Wednesday 24 is 7,
 * Thursday 25 is 8, beyond the longest lead; Friday 12 is 1 behind,
 * Monday 8 is 5 behind, Monday 24 June 15 behind.  The pass looks back
 * 15 + 1 working days (overdue_every * overdue_max, + 1): to Friday 21
 * June, so Thursday 20 June is out of its window.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "calendar.h"
#include "config.h"
#include "date.h"
#include "directory.h"
#include "remind.h"
#include "scratch.h"
#include "store.h"
#include "units.h"
#include "xmalloc.h"

/*
 * The tasks: occurrence and task ids are the due date's month and day
 * (kt's), or that plus 1000 for the cases that must stay silent on
 * Monday 15 (a done occurrence, a withdrawn task, one snoozed to the
 * 17th).  vp is the coordinator; kt has no parent, so kt's escalations
 * go to vp alone.
 */
static const struct {
	int		 id;
	const char	*unit, *due, *task_status, *occ_status, *snooze;
} tasks[] = {
	{ 620, "kt", "2024-06-20", "active", "open", NULL },
	{ 624, "kt", "2024-06-24", "active", "open", NULL },
	{ 708, "kt", "2024-07-08", "active", "open", NULL },
	{ 712, "kt", "2024-07-12", "active", "open", NULL },
	{ 715, "kt", "2024-07-15", "active", "open", NULL },
	{ 716, "kt", "2024-07-16", "active", "open", NULL },
	{ 717, "vp", "2024-07-17", "active", "open", NULL },
	{ 722, "kt", "2024-07-22", "active", "open", NULL },
	{ 724, "kt", "2024-07-24", "active", "open", NULL },
	{ 725, "kt", "2024-07-25", "active", "open", NULL },
	{ 726, "kt", "2024-07-26", "active", "open", NULL },
	{ 1715, "kt", "2024-07-15", "active", "done", NULL },
	{ 1716, "kt", "2024-07-15", "withdrawn", "open", NULL },
	{ 1717, "kt", "2024-07-15", "active", "open", "2024-07-17" },
};

/* Appends one row of the outbox ("key\nspec") to a buf. */
static int
add_row(void *arg, int ncol, char **col, char **names)
{
	buf_printf(arg, "%s\n%s", col[0], col[1] != NULL ? col[1] : "NULL\n");
	return (0);
}

/* Checks the outbox rows of day, as "key\nspec" one after the other. */
static void
assert_outbox(const char *day, const char *want)
{
	char	*path = scratch_path("deadlined.db"), *sql, *err = NULL;
	sqlite3	*db;
	struct buf b;

	buf_init(&b);
	xasprintf(&sql, "SELECT key, spec FROM outbox WHERE day = '%s' "
	    "ORDER BY key", day);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, add_row, &b, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err);
	sqlite3_close(db);
	free(sql);
	free(path);
	buf_addc(&b, '\0');
	assert_string_equal(b.data, want);
	buf_free(&b);
}

/* Writes the units and the configuration. */
static void
write_config(void)
{
	scratch_write("units.ini", "[unit kt]\nname = Phòng Kinh tế\nemail = "
	    "kt@example.gov.vn\n\n[unit vp]\nname = Văn phòng UBND\nemail = "
	    "vp@example.gov.vn\n");
	scratch_policy_config("deadlined.db", "vp");
}

/* Fills the store: the units through the directory, the tasks in SQL. */
static void
fill_store(struct store *s)
{
	struct buf	 b;
	char		*cause = NULL;
	size_t		 i;

	assert_int_equal(store_begin(s, &cause), 0);
	scratch_units(s, NULL);
	assert_int_equal(store_commit(s, &cause), 0);
	buf_init(&b);
	buf_printf(&b, "BEGIN; INSERT INTO plans (code, title, year, starts, "
	    "ends, generation) VALUES ('kh', 'Kế hoạch', 2024, '2024-01-01', "
	    "'2024-12-31', 1);");
	for (i = 0; i < sizeof tasks / sizeof tasks[0]; i++)
		buf_printf(&b, "INSERT INTO tasks (id, plan_id, ref, title, kind, "
		    "due, status, updated_at) VALUES (%d, 1, 'T%d', 'Nhiệm vụ "
		    "%d', 'once', '%s', '%s', '2024-01-01T00:00:00');"
		    "INSERT INTO assignments (task_id, unit_id, role) SELECT %d, "
		    "id, 'lead' FROM units WHERE code = '%s';"
		    "INSERT INTO occurrences (id, task_id, unit_id, nominal, "
		    "effective, status, snooze_until) SELECT %d, %d, id, '%s', "
		    "'%s', '%s', %s%s%s FROM units WHERE code = '%s';",
		    tasks[i].id, tasks[i].id, tasks[i].id, tasks[i].due,
		    tasks[i].task_status, tasks[i].id, tasks[i].unit,
		    tasks[i].id, tasks[i].id, tasks[i].due, tasks[i].due,
		    tasks[i].occ_status, tasks[i].snooze ? "'" : "",
		    tasks[i].snooze ? tasks[i].snooze : "NULL",
		    tasks[i].snooze ? "'" : "", tasks[i].unit);
	buf_printf(&b, "COMMIT;");
	buf_addc(&b, '\0');
	scratch_sql("deadlined.db", b.data);
	buf_free(&b);
}

/* The store, the configuration and the calendar of the passes. */
struct pass_env {
	struct store	*store;
	struct config	*cf;
	struct calendar	*cal;
};

/* Makes the store and loads the configuration. */
static int
setup(void **state)
{
	static struct pass_env	 e;
	struct calendar_options	 co;
	char			*path, *cause = NULL;

	if (scratch_make("remind") != 0 || date_set_timezone("Asia/Ho_Chi_Minh"))
		return (-1);
	write_config();
	path = scratch_path("deadlined.ini");
	if ((e.cf = config_load(path, &cause)) == NULL)
		fail_msg("config: %s", cause);
	free(path);
	calendar_default_options(&co);
	assert_non_null(e.cal = calendar_new(&co));
	path = scratch_path("deadlined.db");
	if ((e.store = store_open(path, 1, 1000, &cause)) == NULL)
		fail_msg("store: %s", cause);
	free(path);
	fill_store(e.store);
	*state = &e;
	return (0);
}

/* Closes the store and removes the files. */
static int
teardown(void **state)
{
	struct pass_env	*e = *state;

	return (scratch_teardown(e->store, e->cal, e->cf, NULL));
}

/* The counts a pass must give: digests, items, escalations, rows. */
struct counts {
	int	units, items, escalations, messages;
};

/* A pass on a day of July 2024 at hh:mm that must give the counts want. */
static void
pass_at(struct pass_env *e, int day, int hour, int minute,
    struct counts want)
{
	struct remind_stats	 rs;
	char			*cause = NULL;

	if (remind_pass(e->store, e->cf, e->cal, date_time_at(date_from_ymd(
	    2024, 7, day), hour, minute), &rs, &cause) != 0)
		fail_msg("pass on 2024-07-%02d: %s", day, cause);
	assert_int_equal(rs.units, want.units);
	assert_int_equal(rs.items, want.items);
	assert_int_equal(rs.escalations, want.escalations);
	assert_int_equal(rs.messages, want.messages);
}

/*
 * Monday 15, the first pass: every occurrence with a stage is told once.
 * Before 08:00 nothing is planned; a second pass the same day adds
 * nothing.
 */
static void
test_first_day(void **state)
{
	struct pass_env		*e = *state;

	pass_at(e, 15, 7, 59, (struct counts){ 0, 0, 0, 0 });
	assert_outbox("2024-07-15", "");

	pass_at(e, 15, 8, 30, (struct counts){ 2, 8, 1, 3 });
	/* kt: 620 out of the window, 624 the 5th and last overdue step
	 * ((15 - 1) / 3 + 1), 708 step 2 and escalated, 712 step 1, 715 due
	 * today, 716 lead 1, 722 lead 7 (5 days left), 724 lead 7 (7 left),
	 * 725 and 726 beyond the longest lead; 1715 done, 1716 withdrawn,
	 * 1717 snoozed.  vp: 717, 2 days left, lead 3.  vp is told of kt's
	 * two escalated occurrences, 624 and 708. */
	assert_outbox("2024-07-15",
	    "digest/kt/2024-07-15/spool/kt@example.gov.vn\n"
	    "deadlined-plan 1\n"
	    "i o -15 624\n"
	    "i o -5 708\n"
	    "i o -1 712\n"
	    "i t 0 715\n"
	    "i s 1 716\n"
	    "i s 5 722\n"
	    "i s 7 724\n"
	    "digest/vp/2024-07-15/spool/vp@example.gov.vn\n"
	    "deadlined-plan 1\n"
	    "i s 2 717\n"
	    "escalation/vp/2024-07-15/spool/vp@example.gov.vn\n"
	    "deadlined-plan 1\n"
	    "escalation 1\n"
	    "more 0\n"
	    "i e -15 624\n"
	    "i e -5 708\n");
	pass_at(e, 15, 14, 0, (struct counts){ 0, 0, 0, 0 });
}

/*
 * Tuesday 16: only the occurrences whose stage changed since Monday.
 * 715 is now 1 day late, 716 due today, 717 one day ahead (lead 1), 725
 * enters the lead of 7 (7 left); 624 is past its last overdue step (16
 * late: step 6 > 5), 708 (6 late) and 712 (2 late) keep their step, 722
 * (4 left) and 724 (6 left) keep lead 7, 726 is 8 ahead, 1717 is still
 * snoozed.  No new escalation.
 */
static void
test_next_day(void **state)
{
	struct pass_env		*e = *state;

	pass_at(e, 16, 8, 0, (struct counts){ 2, 4, 0, 2 });
	assert_outbox("2024-07-16",
	    "digest/kt/2024-07-16/spool/kt@example.gov.vn\n"
	    "deadlined-plan 1\n"
	    "i o -1 715\n"
	    "i t 0 716\n"
	    "i s 7 725\n"
	    "digest/vp/2024-07-16/spool/vp@example.gov.vn\n"
	    "deadlined-plan 1\n"
	    "i s 1 717\n");
}

/*
 * Saturday 20 and Sunday 21 are not working days: no pass plans anything,
 * so Monday 22 is compared with Tuesday 16, and counts 4 working days
 * since it, not 6.  From the 22nd the window starts on 28 June (624 is out
 * of it).  kt: 708, 10 late, step 4 (step 2 on the 16th); 712, 6 late,
 * step 2 and now escalated; 715 and 1717 (no longer snoozed, never told,
 * so told its stage now), 5 late, step 2, escalated, on one line; 716, 4
 * late, step 2; 722 due today; 724, 2 left, lead 3; 725, 3 left, lead 3;
 * 726, 4 left, lead 7.  vp: 717, 3 late, step 1.
 */
static void
test_after_weekend(void **state)
{
	struct pass_env		*e = *state;

	pass_at(e, 20, 9, 0, (struct counts){ 0, 0, 0, 0 });
	pass_at(e, 21, 9, 0, (struct counts){ 0, 0, 0, 0 });
	pass_at(e, 22, 8, 0, (struct counts){ 2, 10, 1, 3 });
	assert_outbox("2024-07-20", "");
	assert_outbox("2024-07-22",
	    "digest/kt/2024-07-22/spool/kt@example.gov.vn\n"
	    "deadlined-plan 1\n"
	    "i o -10 708\n"
	    "i o -6 712\n"
	    "i o -5 715 1717\n"
	    "i o -4 716\n"
	    "i t 0 722\n"
	    "i s 2 724\n"
	    "i s 3 725\n"
	    "i s 4 726\n"
	    "digest/vp/2024-07-22/spool/vp@example.gov.vn\n"
	    "deadlined-plan 1\n"
	    "i o -3 717\n"
	    "escalation/vp/2024-07-22/spool/vp@example.gov.vn\n"
	    "deadlined-plan 1\n"
	    "escalation 1\n"
	    "more 0\n"
	    "i e -6 712\n"
	    "i e -5 715 1717\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_day),
		cmocka_unit_test(test_next_day),
		cmocka_unit_test(test_after_weekend),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}
