/*
 * Unit tests for schedule.c and the store's side of issue #17: a task's
 * own day-off rule against the configured one, occurrences past at
 * import (marked on new rows only, kept by the rows that existed), the
 * tasks that need review and what set-due / set-rule do to them, and
 * migration 7 on a database of schema 6.
 *
 * The calendar is the computed one (no overrides file).  2024: 30/11 is a
 * Saturday, 29/11 a Friday, 2/12 a Monday; 30/4, 1/5 are days off (Tue,
 * Wed); 31/3 is a Sunday; 31/5 a Friday.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "calendar.h"
#include "date.h"
#include "directory.h"
#include "passes.h"
#include "schedule.h"
#include "scratch.h"
#include "scratch.h"
#include "store.h"
#include "units.h"
#include "xmalloc.h"

#define D(y, m, d)	date_from_ymd(y, m, d)
#define MONTHLY_END	"FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1"

struct fixture {
	struct store	*store;
	struct calendar	*cal;
	int64_t		 plan;
	int		 generation;
};

/* One occurrence as the agenda lists it. */
struct seen {
	char	ref[16];
	date_t	nominal;
	date_t	effective;
};

struct seen_list {
	struct seen	v[64];
	size_t		n;
};

/* Collects an occurrence of the agenda. */
static int
collect(const struct store_occurrence *o, void *arg)
{
	struct seen_list	*l = arg;

	if (l->n < 64 && o->nominal != DATE_NONE) {
		snprintf(l->v[l->n].ref, sizeof l->v[l->n].ref, "%s", o->ref);
		l->v[l->n].nominal = o->nominal;
		l->v[l->n].effective = o->effective;
		l->n++;
	}
	return (0);
}

/* The effective date of ref's occurrence on nominal, or DATE_NONE. */
static date_t
effective(struct fixture *fx, const char *ref, date_t nominal)
{
	struct store_agenda_filter	f;
	struct seen_list		l;
	size_t				i;

	memset(&f, 0, sizeof f);
	memset(&l, 0, sizeof l);
	f.from = f.to = DATE_NONE;
	assert_int_equal(store_agenda(fx->store, &f, collect, &l, NULL), 0);
	for (i = 0; i < l.n; i++)
		if (strcmp(l.v[i].ref, ref) == 0 && l.v[i].nominal == nominal)
			return (l.v[i].effective);
	return (DATE_NONE);
}

/* Adds a task of the plan, led by unit "a". */
static int64_t
add_task(struct fixture *fx, const char *ref, date_t due, const char *rrule,
    const char *dayoff, const char *quality)
{
	struct store_task	 t;
	char			*cause = NULL;
	int64_t			 id;
	int			 changed;

	memset(&t, 0, sizeof t);
	t.plan_id = fx->plan;
	t.ref = ref;
	t.title = ref;
	t.time_text = "x";
	t.kind = rrule != NULL ? "recurring" : due != DATE_NONE ? "once" :
	    "unparsed";
	t.due = due;
	t.rrule = rrule;
	t.starts = rrule != NULL ? D(2024, 3, 12) : DATE_NONE;
	t.ends = rrule != NULL ? D(2024, 12, 31) : DATE_NONE;
	t.dayoff = dayoff;
	t.quality = quality;
	t.leftover = strcmp(quality, "exact") != 0 ? "trước" : NULL;
	assert_int_equal(store_begin(fx->store, &cause), 0);
	if ((id = store_task_upsert(fx->store, &t, fx->generation, &changed,
	    &cause)) < 0)
		fail_msg("%s", cause);
	assert_int_equal(store_task_assign(fx->store, id,
	    store_unit_id(fx->store, "a", NULL), "lead", NULL, &cause), 0);
	assert_int_equal(store_commit(fx->store, &cause), 0);
	return (id);
}

/* Schedules every task with a configured rule, today and an import mark. */
static void
schedule(struct fixture *fx, enum calendar_rule rule, date_t today, int past)
{
	char	*cause = NULL;

	assert_int_equal(store_begin(fx->store, &cause), 0);
	pass_schedule(fx->store, fx->cal, rule, today, D(2024, 12, 31), past);
	assert_int_equal(store_commit(fx->store, &cause), 0);
}

/* Creates the store of a test: two units, a plan issued 12/03/2024. */
static int
setup(void **state)
{
	struct fixture		*fx;
	struct calendar_options	 o;
	struct store_plan	 p;
	char			 path[128], *cause = NULL;

	fx = xcalloc(1, sizeof *fx);
	assert_int_equal(scratch_make("schedule"), 0);
	snprintf(path, sizeof path, "%s/test.db", scratch_dir);
	if ((fx->store = store_open(path, 1, 5000, &cause)) == NULL)
		fail_msg("%s", cause);
	calendar_default_options(&o);
	assert_non_null(fx->cal = calendar_new(&o));
	memset(&p, 0, sizeof p);
	p.code = "kh";
	p.year = 2024;
	p.starts = D(2024, 3, 12);
	p.ends = D(2024, 12, 31);
	assert_int_equal(store_begin(fx->store, &cause), 0);
	scratch_units(fx->store, "[unit a]\nname = Phòng A\n"
	    "[unit b]\nname = Phòng B\n");
	fx->plan = store_plan_upsert(fx->store, &p, &fx->generation, &cause);
	assert_true(fx->plan > 0);
	assert_int_equal(store_commit(fx->store, &cause), 0);
	*state = fx;
	return (0);
}

/* Removes the store and its directory. */
static int
teardown(void **state)
{
	struct fixture	*fx = *state;

	return (scratch_teardown(fx->store, fx->cal, NULL, fx));
}

/*
 * 30/11/2024, a Saturday: the configured rule moves it (next: Monday
 * 2/12, previous: Friday 29/11, none: stays), but a task written
 * "trước ..." always goes back and one written "sau ..." forward.
 */
static void
test_dayoff_rule(void **state)
{
	struct fixture	*fx = *state;
	date_t		 sat = D(2024, 11, 30);

	add_task(fx, "T", sat, NULL, NULL, "exact");
	add_task(fx, "B", sat, NULL, "previous", "exact");
	add_task(fx, "A", sat, NULL, "next", "exact");
	schedule(fx, CALENDAR_NEXT, D(2024, 6, 1), 0);
	assert_int_equal(effective(fx, "T", sat), D(2024, 12, 2));
	assert_int_equal(effective(fx, "B", sat), D(2024, 11, 29));
	assert_int_equal(effective(fx, "A", sat), D(2024, 12, 2));
	schedule(fx, CALENDAR_NONE, D(2024, 6, 1), 0);
	assert_int_equal(effective(fx, "T", sat), sat);
	assert_int_equal(effective(fx, "B", sat), D(2024, 11, 29));
	assert_int_equal(effective(fx, "A", sat), D(2024, 12, 2));
	schedule(fx, CALENDAR_PREVIOUS, D(2024, 6, 1), 0);
	assert_int_equal(effective(fx, "T", sat), D(2024, 11, 29));
	assert_int_equal(effective(fx, "B", sat), D(2024, 11, 29));
	assert_int_equal(effective(fx, "A", sat), D(2024, 12, 2));
}

/* Counts the rows of a past listing and keeps their task ids. */
struct past_list {
	int64_t	task[16];
	int	dates[16];
	size_t	n;
};

static int
collect_past(const struct store_past_row *r, void *arg)
{
	struct past_list	*l = arg;

	if (l->n < 16) {
		l->task[l->n] = r->task_id;
		l->dates[l->n] = r->dates;
		l->n++;
	}
	return (0);
}

/*
 * Imported (mark 1) on 01/06/2024, a plan issued 12/03: the monthly
 * task's 31/03, 30/04 and 31/05 and the one-off 30/04 were due already.
 * A later import (mark 2) leaves those rows as they are and marks only
 * what is new; a date moved to the future is not past.
 */
static void
test_past_import(void **state)
{
	struct fixture		*fx = *state;
	struct past_list	 l;
	int64_t			 monthly, once, later;
	char			*cause = NULL;

	monthly = add_task(fx, "M", DATE_NONE, MONTHLY_END, NULL, "exact");
	once = add_task(fx, "O", D(2024, 4, 30), NULL, NULL, "exact");
	schedule(fx, CALENDAR_NEXT, D(2024, 6, 1), 1);
	memset(&l, 0, sizeof l);
	assert_int_equal(store_occ_past(fx->store, collect_past, &l, NULL), 0);
	/* Occurrences by task: M three times, then O. */
	assert_int_equal(l.n, 4);
	assert_true(l.task[0] == monthly && l.task[2] == monthly &&
	    l.task[3] == once);
	memset(&l, 0, sizeof l);
	assert_int_equal(store_plan_past_tasks(fx->store, fx->plan, 1,
	    collect_past, &l, NULL), 0);
	assert_int_equal(l.n, 2);
	assert_true(l.task[0] == monthly && l.dates[0] == 3);
	assert_true(l.task[1] == once && l.dates[1] == 1);

	/* Again, mark 2: nothing new, nothing moves. */
	later = add_task(fx, "L", D(2024, 5, 15), NULL, NULL, "exact");
	schedule(fx, CALENDAR_NEXT, D(2024, 6, 1), 2);
	memset(&l, 0, sizeof l);
	assert_int_equal(store_plan_past_tasks(fx->store, fx->plan, 1,
	    collect_past, &l, NULL), 0);
	assert_int_equal(l.n, 2);
	memset(&l, 0, sizeof l);
	assert_int_equal(store_plan_past_tasks(fx->store, fx->plan, 2,
	    collect_past, &l, NULL), 0);
	assert_int_equal(l.n, 1);
	assert_true(l.task[0] == later);

	/* O due 15/07 now: its past row goes, the new one is not past. */
	assert_int_equal(store_begin(fx->store, &cause), 0);
	assert_int_equal(store_task_set_due(fx->store, once, D(2024, 7, 15),
	    &cause), 0);
	assert_int_equal(store_commit(fx->store, &cause), 0);
	schedule(fx, CALENDAR_NEXT, D(2024, 6, 1), 0);
	memset(&l, 0, sizeof l);
	assert_int_equal(store_occ_past(fx->store, collect_past, &l, NULL), 0);
	assert_int_equal(l.n, 4);		/* M three times, L */
	assert_true(l.task[3] == later);
	assert_int_equal(effective(fx, "O", D(2024, 7, 15)), D(2024, 7, 15));
}

/* Collects the refs of a task listing. */
struct ref_list {
	char	ref[8][16];
	char	quality[8][16];
	date_t	starts[8];
	date_t	ends[8];
	size_t	n;
};

static int
collect_ref(const struct store_task *t, void *arg)
{
	struct ref_list	*l = arg;

	if (l->n < 8) {
		snprintf(l->ref[l->n], sizeof l->ref[0], "%s", t->ref);
		snprintf(l->quality[l->n], sizeof l->quality[0], "%s",
		    t->quality);
		l->starts[l->n] = t->starts;
		l->ends[l->n] = t->ends;
		l->n++;
	}
	return (0);
}

/*
 * The tasks that need review: partial and unparsed, active.  set-due and
 * set-rule make a reading exact; a rule runs from max(the date given,
 * the plan's start) to the plan's end unless told.
 */
static void
test_review(void **state)
{
	struct fixture	*fx = *state;
	struct ref_list	 l;
	int64_t		 p, u;
	char		*cause = NULL;

	add_task(fx, "E", D(2024, 6, 30), NULL, NULL, "exact");
	p = add_task(fx, "P", D(2024, 6, 30), NULL, NULL, "partial");
	u = add_task(fx, "U", DATE_NONE, NULL, NULL, "unparsed");
	memset(&l, 0, sizeof l);
	assert_int_equal(store_tasks_review(fx->store, NULL, collect_ref, &l,
	    NULL), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.ref[0], "P");
	assert_string_equal(l.quality[0], "partial");
	assert_string_equal(l.ref[1], "U");
	assert_string_equal(l.quality[1], "unparsed");
	memset(&l, 0, sizeof l);
	assert_int_equal(store_tasks_review(fx->store, "other", collect_ref, &l,
	    NULL), 0);
	assert_int_equal(l.n, 0);

	assert_int_equal(store_begin(fx->store, &cause), 0);
	assert_int_equal(store_task_set_due(fx->store, p, D(2024, 7, 1),
	    &cause), 0);
	/* From 01/01, before the plan (12/03): the plan's start wins. */
	assert_int_equal(store_task_set_rule(fx->store, u, MONTHLY_END,
	    D(2024, 1, 1), DATE_NONE, &cause), 0);
	assert_int_equal(store_commit(fx->store, &cause), 0);
	memset(&l, 0, sizeof l);
	assert_int_equal(store_tasks_review(fx->store, NULL, collect_ref, &l,
	    NULL), 0);
	assert_int_equal(l.n, 0);
	memset(&l, 0, sizeof l);
	assert_int_equal(store_tasks(fx->store, "kh", u, collect_ref, &l, NULL),
	    0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.quality[0], "exact");
	assert_int_equal(l.starts[0], D(2024, 3, 12));
	assert_int_equal(l.ends[0], D(2024, 12, 31));
	/* From 01/08, after the plan's start: 01/08. */
	assert_int_equal(store_begin(fx->store, &cause), 0);
	assert_int_equal(store_task_set_rule(fx->store, u, MONTHLY_END,
	    D(2024, 8, 1), DATE_NONE, &cause), 0);
	assert_int_equal(store_commit(fx->store, &cause), 0);
	memset(&l, 0, sizeof l);
	assert_int_equal(store_tasks(fx->store, "kh", u, collect_ref, &l, NULL),
	    0);
	assert_int_equal(l.starts[0], D(2024, 8, 1));
}

/* Collects quality, dayoff and leftover of every task. */
static int
collect_reading(const struct store_task *t, void *arg)
{
	struct buf	*b = arg;

	buf_printf(b, "%s:%s:%s:%s ", t->ref, t->quality, t->dayoff != NULL ?
	    t->dayoff : "-", t->leftover != NULL ? t->leftover : "-");
	return (0);
}

/*
 * A database of schema 6 migrates to 7: its unparsed task needs review,
 * the others are exact, nothing is past at import.
 */
static void
test_migration(void **state)
{
	struct past_list	 past;
	struct ref_list		 review;
	struct store		*s;
	struct buf		 b;
	char			 path[128], *cause = NULL;

	snprintf(path, sizeof path, "%s/v6.db", scratch_dir);
	scratch_schema(path, 6);
	scratch_exec(path, "INSERT INTO units (code, name, updated_at) VALUES "
	    "('a', 'Phòng A', 'x');"
	    "INSERT INTO plans (code, year, starts, ends) VALUES ('old', 2024, "
	    "'2024-01-01', '2024-12-31');"
	    "INSERT INTO tasks (plan_id, ref, title, kind, updated_at) VALUES "
	    "(1, 'U', 'u', 'unparsed', 'x');"
	    "INSERT INTO tasks (plan_id, ref, title, kind, due, updated_at) "
	    "VALUES (1, 'X', 'x', 'once', '2024-05-31', 'x');"
	    "INSERT INTO occurrences (task_id, unit_id, nominal, effective) "
	    "VALUES (2, 1, '2024-05-31', '2024-05-31')");
	assert_non_null(s = store_open(path, 0, 5000, &cause));
	assert_int_equal(store_schema_version(s), STORE_SCHEMA_VERSION);
	buf_init(&b);
	assert_int_equal(store_tasks(s, NULL, 0, collect_reading, &b, NULL), 0);
	assert_string_equal(b.data, "U:unparsed:-:- X:exact:-:- ");
	buf_free(&b);
	memset(&past, 0, sizeof past);
	assert_int_equal(store_occ_past(s, collect_past, &past, NULL), 0);
	assert_int_equal(past.n, 0);
	memset(&review, 0, sizeof review);
	assert_int_equal(store_tasks_review(s, NULL, collect_ref, &review,
	    NULL), 0);
	assert_int_equal(review.n, 1);
	assert_string_equal(review.ref[0], "U");
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dayoff_rule, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_past_import, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_review, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migration, setup,
		    teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
