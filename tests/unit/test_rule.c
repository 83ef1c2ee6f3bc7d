/*
 * Tests for rule.c: the rules the product uses, with dates worked out by
 * hand, and a cross-check of the same expansions with python-dateutil.
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

#include "date.h"
#include "rule.h"

#define PYTHON	"/usr/bin/python3"

/* The dates an expansion produced, as "YYYY-MM-DD ..." text. */
struct collect {
	char	text[4096];
	int	stop_after;
	int	seen;
};

/* Appends d to the collected text. */
static int
collect_cb(date_t d, void *arg)
{
	struct collect	*c = arg;
	char		 iso[11];
	size_t		 len = strlen(c->text);

	date_format_iso(d, iso);
	snprintf(c->text + len, sizeof c->text - len, "%s%s", len ? " " : "",
	    iso);
	c->seen++;
	return (c->stop_after != 0 && c->seen >= c->stop_after);
}

/* Expands rule over [from, until] (ISO dates) and returns the text. */
static const char *
expand(const char *rule, const char *from, const char *until, int *count)
{
	static struct collect	 c;
	date_t			 a, b;
	char			*cause = NULL;
	int			 n;

	memset(&c, 0, sizeof c);
	assert_int_equal(date_parse_iso(from, &a), 0);
	assert_int_equal(date_parse_iso(until, &b), 0);
	n = rule_expand(rule, a, b, collect_cb, &c, &cause);
	if (n < 0)
		fail_msg("%s: %s", rule, cause);
	if (count != NULL)
		*count = n;
	return (c.text);
}

/* Asserts the expansion of rule over [from, until]. */
static void
check(const char *rule, const char *from, const char *until,
    const char *expected)
{
	int	n;

	assert_string_equal(expand(rule, from, until, &n), expected);
}

/* Last day of each month, including 29 February 2024 and 28 February 2023. */
static void
test_monthly_last_day(void **state)
{
	const char	*r = "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1";

	check(r, "2024-01-01", "2024-06-30", "2024-01-31 2024-02-29 "
	    "2024-03-31 2024-04-30 2024-05-31 2024-06-30");
	check(r, "2023-02-01", "2023-04-30", "2023-02-28 2023-03-31 "
	    "2023-04-30");
	/* from in the middle of a month, until before its end */
	check(r, "2024-04-15", "2024-05-30", "2024-04-30");
}

/* Day 30 clamped: 28/29 February, 30 elsewhere. */
static void
test_monthly_day_30(void **state)
{
	const char	*r = "FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1";

	check(r, "2023-01-01", "2023-04-30", "2023-01-30 2023-02-28 "
	    "2023-03-30 2023-04-30");
	check(r, "2024-02-01", "2024-03-31", "2024-02-29 2024-03-30");
}

/* A plain BYMONTHDAY=31 skips short months (libical as RFC 5545 says). */
static void
test_monthly_plain(void **state)
{
	check("FREQ=MONTHLY;BYMONTHDAY=31", "2024-01-01", "2024-05-31",
	    "2024-01-31 2024-03-31 2024-05-31");
	check("FREQ=MONTHLY;BYMONTHDAY=15", "2024-01-16", "2024-03-15",
	    "2024-02-15 2024-03-15");
	check("FREQ=MONTHLY;BYMONTHDAY=1", "2024-01-01", "2024-03-01",
	    "2024-01-01 2024-02-01 2024-03-01");
}

/* Quarter ends, half-years, years, day 30 of each quarter's last month. */
static void
test_periods(void **state)
{
	check("FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=28,29,30,31;"
	    "BYSETPOS=-1", "2024-01-01", "2025-03-31", "2024-03-31 "
	    "2024-06-30 2024-09-30 2024-12-31 2025-03-31");
	check("FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=28,29,30;BYSETPOS=-1",
	    "2024-01-01", "2024-12-31", "2024-03-30 2024-06-30 2024-09-30 "
	    "2024-12-30");
	check("FREQ=MONTHLY;BYMONTH=6,12;BYMONTHDAY=28,29,30,31;BYSETPOS=-1",
	    "2024-01-01", "2025-12-31", "2024-06-30 2024-12-31 2025-06-30 "
	    "2025-12-31");
	check("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31", "2023-06-01",
	    "2025-12-30", "2023-12-31 2024-12-31");
	check("FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=19", "2024-01-01",
	    "2026-11-19", "2024-11-19 2025-11-19 2026-11-19");
	check("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1",
	    "2023-01-01", "2025-12-31", "2023-02-28 2024-02-29 2025-02-28");
	/* the same quarter ends through INTERVAL=3 from a March */
	check("FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=28,29,30,31;BYSETPOS=-1",
	    "2024-03-01", "2024-12-31", "2024-03-31 2024-06-30 2024-09-30 "
	    "2024-12-31");
}

/* COUNT and UNTIL inside the rule; a DTSTART that does not match. */
static void
test_count_until(void **state)
{
	int	n;

	check("FREQ=MONTHLY;BYMONTHDAY=15;COUNT=2", "2024-01-01",
	    "2024-12-31", "2024-01-15 2024-02-15");
	check("FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20240315", "2024-01-01",
	    "2024-12-31", "2024-01-15 2024-02-15 2024-03-15");
	check("FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1;COUNT=3",
	    "2024-01-10", "2024-12-31", "2024-01-31 2024-02-29 2024-03-31");
	/* the period start (Wed 3 Jan 2024's week from Monday 1) */
	check("FREQ=WEEKLY;BYDAY=FR;COUNT=2", "2024-01-03", "2024-12-31",
	    "2024-01-05 2024-01-12");
	check("FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=1", "2024-01-01",
	    "2025-01-01", "2024-01-01 2025-01-01");
	assert_string_equal(expand("FREQ=MONTHLY;BYMONTHDAY=15", "2024-03-16",
	    "2024-04-14", &n), "");
	assert_int_equal(n, 0);
	assert_string_equal(expand("FREQ=MONTHLY;BYMONTHDAY=15", "2024-05-01",
	    "2024-04-01", &n), "");
}

/* The callback stops the expansion; rule_first. */
static void
test_stop_and_first(void **state)
{
	struct collect	c;
	char		*cause = NULL;

	memset(&c, 0, sizeof c);
	c.stop_after = 2;
	assert_int_equal(rule_expand("FREQ=MONTHLY;BYMONTHDAY=10",
	    date_from_ymd(2024, 1, 1), date_from_ymd(2024, 12, 31),
	    collect_cb, &c, &cause), 2);
	assert_string_equal(c.text, "2024-01-10 2024-02-10");
	assert_int_equal(rule_first("FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;"
	    "BYSETPOS=-1", date_from_ymd(2023, 2, 1),
	    date_from_ymd(2023, 12, 31)), date_from_ymd(2023, 2, 28));
	assert_int_equal(rule_first("FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=19",
	    date_from_ymd(2024, 11, 20), date_from_ymd(2025, 11, 18)),
	    DATE_NONE);
	assert_int_equal(rule_first("nonsense", date_from_ymd(2024, 1, 1),
	    date_from_ymd(2024, 12, 31)), DATE_NONE);
}

/* Bad rules fail with a cause. */
static void
test_invalid(void **state)
{
	static const char *bad[] = {
		"", "garbage", "FREQ=BOGUS", "FREQ=MONTHLY;BYMONTHDAY=xx",
		"FREQ=MONTHLY;FOO=1", "RRULE:FREQ=MONTHLY",
		"FREQ=HOURLY", "FREQ=DAILY;BYHOUR=9",
		"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
	};
	size_t	 i;
	char	*cause;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cause = NULL;
		if (rule_check(bad[i], &cause) != -1)
			fail_msg("accepted: %s", bad[i]);
		assert_non_null(cause);
		free(cause);
		cause = NULL;
		assert_int_equal(rule_expand(bad[i], 0, 1000, NULL, NULL,
		    &cause), -1);
		assert_non_null(cause);
		free(cause);
	}
	cause = NULL;
	assert_int_equal(rule_check("FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;"
	    "BYSETPOS=-1", &cause), 0);
	assert_null(cause);
}

/* rule_every builds the product's rules. */
static void
test_every(void **state)
{
	static const struct {
		const char	*period;
		int		 day;
		const char	*rule;
	} cases[] = {
		{ "month", 0, "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1" },
		{ "month", 31, "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1" },
		{ "month", 30, "FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1" },
		{ "month", 29, "FREQ=MONTHLY;BYMONTHDAY=28,29;BYSETPOS=-1" },
		{ "month", 28, "FREQ=MONTHLY;BYMONTHDAY=28" },
		{ "month", 5, "FREQ=MONTHLY;BYMONTHDAY=5" },
		{ "quarter", 0, "FREQ=MONTHLY;BYMONTH=3,6,9,12;"
		    "BYMONTHDAY=28,29,30,31;BYSETPOS=-1" },
		{ "quarter", 30, "FREQ=MONTHLY;BYMONTH=3,6,9,12;"
		    "BYMONTHDAY=28,29,30;BYSETPOS=-1" },
		{ "half-year", 0, "FREQ=MONTHLY;BYMONTH=6,12;"
		    "BYMONTHDAY=28,29,30,31;BYSETPOS=-1" },
		{ "year", 0, "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31" },
		{ "year", 20, "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=20" },
	};
	size_t	 i;
	char	*rule, *cause = NULL;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		rule = rule_every(cases[i].period, cases[i].day, &cause);
		assert_non_null(rule);
		assert_string_equal(rule, cases[i].rule);
		assert_int_equal(rule_check(rule, &cause), 0);
		free(rule);
	}
	assert_null(rule_every("week", 0, &cause));
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	assert_null(rule_every("month", 32, &cause));
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	assert_null(rule_every("month", -1, &cause));
	free(cause);
}

/* The same expansions by python-dateutil; skipped if it is missing. */
static void
test_dateutil(void **state)
{
	static const char *rules[] = {
		"FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1",
		"FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1",
		"FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=28,29,30,31;"
		    "BYSETPOS=-1",
		"FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=28,29,30;BYSETPOS=-1",
		"FREQ=MONTHLY;BYMONTH=6,12;BYMONTHDAY=28,29,30,31;BYSETPOS=-1",
		"FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31",
		"FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=19",
		"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1",
		"FREQ=MONTHLY;BYMONTHDAY=31",
		"FREQ=MONTHLY;BYDAY=-1FR",
	};
	char	 cmd[1024], out[8192];
	size_t	 i, len;
	FILE	*f;

	if (system(PYTHON " -c 'import dateutil' >/dev/null 2>&1") != 0)
		skip();
	for (i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		snprintf(cmd, sizeof cmd, PYTHON " -c 'import datetime,sys;"
		    "from dateutil.rrule import rrulestr;"
		    "r=rrulestr(sys.argv[1],dtstart=datetime.datetime(2023,1,1));"
		    "print(\" \".join(d.date().isoformat() for d in "
		    "r.between(datetime.datetime(2023,1,1),"
		    "datetime.datetime(2028,12,31),inc=True)))' '%s'", rules[i]);
		f = popen(cmd, "r");
		assert_non_null(f);
		len = fread(out, 1, sizeof out - 1, f);
		out[len] = '\0';
		assert_int_equal(pclose(f), 0);
		out[strcspn(out, "\n")] = '\0';
		assert_string_equal(expand(rules[i], "2023-01-01",
		    "2028-12-31", NULL), out);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_monthly_last_day),
		cmocka_unit_test(test_monthly_day_30),
		cmocka_unit_test(test_monthly_plain),
		cmocka_unit_test(test_periods),
		cmocka_unit_test(test_count_until),
		cmocka_unit_test(test_stop_and_first),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_every),
		cmocka_unit_test(test_dateutil),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
