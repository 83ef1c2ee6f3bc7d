/*
 * import: a plan read into the store, then read again changed.  A CSV of
 * three tasks written here; the counts and dates worked out by hand:
 *   1  "trước ngày 20/11/2024"  once, due Wednesday 20/11/2024 -> the
 *      working day before, Tuesday 19/11 ('trước' moves it back)
 *   2  "Quý 2/2024"             once, due at the end of June: 30/06/2024
 *      is a Sunday, the day-off rule 'next' makes it Monday 01/07
 *   3  "Hàng quý"               quarterly, at each quarter's end: 31/03
 *      (a Sunday: 01/04), 30/06 (01/07), 30/09, 31/12
 * Unit phrases: "Phòng Nội vụ" (1, 3) and "Phòng Tư pháp" (2) match.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "calendar.h"
#include "config.h"
#include "date.h"
#include "directory.h"
#include "import.h"
#include "schedule.h"
#include "scratch.h"
#include "setup.h"
#include "store.h"
#include "units.h"
#include "xmalloc.h"

#define PLAN	"kh-cchc-2024.csv"
#define HEADER	"STT,Thời gian thực hiện,Nhiệm vụ,Cơ quan chủ trì\n"
#define TASK1	"1,trước ngày 20/11/2024,Gửi báo cáo tự đánh giá Chỉ số " \
		"CCHC,Phòng Nội vụ\n"
#define TASK2	"2,Quý 2/2024,\"Rà soát, đơn giản hoá thủ tục hành " \
		"chính\",Phòng Tư pháp\n"
#define TASK3	"3,Hàng quý,Báo cáo kết quả cải cách hành chính," \
		"Phòng Nội vụ\n"

struct fixture {
	char			*plan;
	struct config		*cf;
	struct calendar		*cal;
	struct units		*units;
	struct store		*store;
	struct schedule_options	 so;
};

static int
setup(void **state)
{
	struct fixture		*fx;
	struct store_sync_stats	 st;
	char			*path, *cause = NULL;

	fx = xcalloc(1, sizeof *fx);
	assert_int_equal(scratch_make("import"), 0);
	assert_int_equal(date_set_timezone("Asia/Ho_Chi_Minh"), 0);
	date_set_now(date_time_at(date_from_ymd(2024, 1, 10), 9, 0));
	assert_non_null(fx->cf = config_load(NULL, &cause));
	assert_non_null(fx->cal = setup_calendar(fx->cf, &cause));
	setup_schedule(fx->cf, fx->cal, &fx->so);
	scratch_write("units.ini", "[unit noivu]\nname = Phòng Nội vụ\nemail = "
	    "noivu@example.test\n\n[unit tuphap]\nname = Phòng Tư pháp\n"
	    "email = tuphap@example.test\n");
	path = scratch_path("units.ini");
	assert_non_null(fx->units = units_load(path, &cause));
	free(path);
	path = scratch_path("test.db");
	assert_non_null(fx->store = store_open(path, 1, 1000, &cause));
	free(path);
	assert_int_equal(store_begin(fx->store, &cause), 0);
	assert_int_equal(directory_sync(fx->store, fx->units, &st, &cause), 0);
	assert_int_equal(store_commit(fx->store, &cause), 0);
	fx->plan = scratch_path(PLAN);
	*state = fx;
	return (0);
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;

	units_free(fx->units);
	free(fx->plan);
	return (scratch_teardown(fx->store, fx->cal, fx->cf, fx));
}

/* Imports the plan file as it is now; the report. */
static struct import_report
import(struct fixture *fx, int dry_run)
{
	struct import_options	opt;
	struct import_report	r;
	char			*cause = NULL;

	memset(&opt, 0, sizeof opt);
	memset(&r, 0, sizeof r);
	opt.path = fx->plan;
	opt.from = DATE_NONE;
	opt.dry_run = dry_run;
	opt.schedule = &fx->so;
	if (import_plan(fx->store, fx->units, &opt, &r, &cause) != 0)
		fail_msg("%s", cause);
	return (r);
}

/* The effective dates of a task's occurrences, by its reference. */
struct dates {
	date_t	d[8];
	int	n;
};

/* Adds one occurrence's effective date. */
static int
add_date(const struct store_occurrence *o, void *arg)
{
	struct dates	*ds = arg;

	if (ds->n < 8)
		ds->d[ds->n] = o->effective;
	ds->n++;
	return (0);
}

/* The effective dates of a unit's occurrences. */
static struct dates
dates_of(struct fixture *fx, const char *unit)
{
	struct store_agenda_filter	 f;
	struct dates			 ds;
	char				*cause = NULL;

	memset(&f, 0, sizeof f);
	memset(&ds, 0, sizeof ds);
	f.unit = unit;
	f.from = f.to = DATE_NONE;
	if (store_agenda(fx->store, &f, add_date, &ds, &cause) != 0)
		fail_msg("%s", cause);
	return (ds);
}

/* A first import: three tasks, every unit matched, the dates by hand. */
static void
test_first(void **state)
{
	struct fixture		*fx = *state;
	struct import_report	 r;
	struct dates		 ds;

	scratch_write(PLAN, HEADER TASK1 TASK2 TASK3);
	r = import(fx, 0);
	assert_string_equal(r.plan_code, "kh-cchc-2024");
	assert_int_equal(r.year, 2024);
	assert_int_equal(r.rows, 3);
	assert_int_equal(r.tasks, 3);
	assert_int_equal(r.added, 3);
	assert_int_equal(r.changed + r.unchanged + r.withdrawn, 0);
	assert_int_equal(r.unit_phrases, 3);
	assert_int_equal(r.unit_matched, 3);
	/* 1 + 1 + 4 quarterly reports. */
	assert_int_equal(r.occurrences, 6);
	import_report_clear(&r);
	ds = dates_of(fx, "tuphap");
	assert_int_equal(ds.n, 1);
	assert_int_equal(ds.d[0], date_from_ymd(2024, 7, 1));
	ds = dates_of(fx, "noivu");
	/* 31/03 and 30/06 are Sundays: the next working day. */
	assert_int_equal(ds.n, 5);
	assert_int_equal(ds.d[0], date_from_ymd(2024, 4, 1));
	assert_int_equal(ds.d[1], date_from_ymd(2024, 7, 1));
	assert_int_equal(ds.d[2], date_from_ymd(2024, 9, 30));
	assert_int_equal(ds.d[3], date_from_ymd(2024, 11, 19));
	assert_int_equal(ds.d[4], date_from_ymd(2024, 12, 31));
}

/* The same file again changes nothing; an edit and a removal do. */
static void
test_again(void **state)
{
	struct fixture		*fx = *state;
	struct import_report	 r;
	struct dates		 ds;

	scratch_write(PLAN, HEADER TASK1 TASK2 TASK3);
	r = import(fx, 0);
	import_report_clear(&r);
	r = import(fx, 0);
	assert_int_equal(r.added + r.changed + r.withdrawn, 0);
	assert_int_equal(r.unchanged, 3);
	import_report_clear(&r);
	/* Task 2 moves to the third quarter; task 3 is gone. */
	scratch_write(PLAN, HEADER TASK1 "2,Quý 3/2024,\"Rà soát, đơn giản "
	    "hoá thủ tục hành chính\",Phòng Tư pháp\n");
	/* A dry run says so and writes nothing. */
	r = import(fx, 1);
	assert_int_equal(r.changed, 1);
	assert_int_equal(r.withdrawn, 1);
	import_report_clear(&r);
	assert_int_equal(dates_of(fx, "noivu").n, 5);
	r = import(fx, 0);
	assert_int_equal(r.unchanged, 1);
	assert_int_equal(r.changed, 1);
	assert_int_equal(r.withdrawn, 1);
	assert_int_equal(r.added, 0);
	import_report_clear(&r);
	/* 30/09/2024 is a Monday; the quarterly reports are withdrawn. */
	ds = dates_of(fx, "tuphap");
	assert_int_equal(ds.n, 1);
	assert_int_equal(ds.d[0], date_from_ymd(2024, 9, 30));
	ds = dates_of(fx, "noivu");
	assert_int_equal(ds.n, 1);
	assert_int_equal(ds.d[0], date_from_ymd(2024, 11, 19));
}

/* A plan code from a file name. */
static void
test_code(void **state)
{
	char	*code;

	(void)state;
	code = import_code_from_path("/srv/plans/KH-CCHC-2024.csv");
	assert_string_equal(code, "kh-cchc-2024");
	free(code);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_again, setup, teardown),
		cmocka_unit_test(test_code),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
