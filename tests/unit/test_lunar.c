/*
 * Tests for lunar.c: known dates, and every month start of the lunar years
 * 1900-2100 against an independent PyEphem computation
 * (tests/tools/lunar_reference.py), in UTC+7 and UTC+8.
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
#include "lunar.h"

#define PYTHON	"/usr/bin/python3"

/* Asserts that lunar y/m (leap) day d is the solar date Y-M-D in zone tz. */
static void
check_pair(int ly, int lm, int leap, int ld, double tz, int y, int m, int d)
{
	struct lunar_date	in = { ly, lm, ld, leap }, out;
	date_t			solar = date_from_ymd(y, m, d);

	assert_int_equal(lunar_to_solar(&in, tz), solar);
	assert_int_equal(lunar_from_solar(solar, tz, &out), 0);
	assert_int_equal(out.year, ly);
	assert_int_equal(out.month, lm);
	assert_int_equal(out.leap, leap);
	assert_int_equal(out.day, ld);
}

/* Published dates of Tết and of Giỗ Tổ Hùng Vương. */
static void
test_known_dates(void **state)
{
	assert_int_equal(lunar_new_year(2024, 7), date_from_ymd(2024, 2, 10));
	assert_int_equal(lunar_new_year(2025, 7), date_from_ymd(2025, 1, 29));
	assert_int_equal(lunar_new_year(2023, 7), date_from_ymd(2023, 1, 22));
	/* 2030: 2 February in Vietnam, 3 February in China. */
	assert_int_equal(lunar_new_year(2030, 7), date_from_ymd(2030, 2, 2));
	assert_int_equal(lunar_new_year(2030, 8), date_from_ymd(2030, 2, 3));
	/* 1985: 21 January in Vietnam, 20 February in China. */
	assert_int_equal(lunar_new_year(1985, 7), date_from_ymd(1985, 1, 21));
	assert_int_equal(lunar_new_year(1985, 8), date_from_ymd(1985, 2, 20));
	/* 2007: 17 February in Vietnam, 18 February in China. */
	assert_int_equal(lunar_new_year(2007, 7), date_from_ymd(2007, 2, 17));
	assert_int_equal(lunar_new_year(2007, 8), date_from_ymd(2007, 2, 18));
	check_pair(2023, 3, 0, 10, 7, 2023, 4, 29);	/* Giỗ Tổ 2023 */
	check_pair(2024, 3, 0, 10, 7, 2024, 4, 18);	/* Giỗ Tổ 2024 */
	check_pair(2025, 3, 0, 10, 7, 2025, 4, 7);	/* Giỗ Tổ 2025 */
}

/* Leap months of recent years: 2017 (6), 2020 (4), 2023 (2), 2025 (6). */
static void
test_leap_months(void **state)
{
	struct lunar_date	ld = { 2024, 3, 1, 1 };

	check_pair(2017, 6, 1, 1, 7, 2017, 7, 23);
	check_pair(2020, 4, 1, 1, 7, 2020, 5, 23);
	check_pair(2023, 2, 1, 1, 7, 2023, 3, 22);
	check_pair(2025, 6, 1, 1, 7, 2025, 7, 25);
	/* No leap month 3 in 2024. */
	assert_int_equal(lunar_to_solar(&ld, 7), DATE_NONE);
}

/* The last day of the lunar year: 30 Tết 09/02/2024, but 29 Tết 28/01/2025. */
static void
test_month_lengths(void **state)
{
	struct lunar_date	ld = { 2024, 12, 30, 0 };

	assert_int_equal(lunar_month_length(2023, 12, 0, 7), 30);
	check_pair(2023, 12, 0, 30, 7, 2024, 2, 9);
	assert_int_equal(lunar_month_length(2024, 12, 0, 7), 29);
	check_pair(2024, 12, 0, 29, 7, 2025, 1, 28);
	assert_int_equal(lunar_to_solar(&ld, 7), DATE_NONE);
	assert_int_equal(lunar_month_length(2024, 3, 1, 7), 0);
	ld.month = 13;
	assert_int_equal(lunar_to_solar(&ld, 7), DATE_NONE);
	ld.month = 1;
	ld.day = 0;
	assert_int_equal(lunar_to_solar(&ld, 7), DATE_NONE);
}

/* Every day of a stretch maps back and forth. */
static void
test_round_trip(void **state)
{
	struct lunar_date	ld;
	date_t			d;

	for (d = date_from_ymd(1999, 1, 1); d < date_from_ymd(2003, 1, 1); d++) {
		assert_int_equal(lunar_from_solar(d, 7, &ld), 0);
		assert_int_equal(lunar_to_solar(&ld, 7), d);
	}
}

/*
 * Compares every month start of 1900-2100 with the PyEphem reference.  A new
 * moon within a minute of local midnight is within the error of either side
 * (Delta T, truncated series): there one day either way is accepted.
 */
static void
compare_reference(double tz)
{
	char			 cmd[1024], line[128], iso[16];
	const char		*src = getenv("SRCDIR");
	struct lunar_date	 ld, out, prev = { 0, 0, 0, 0 };
	date_t			 start, got, prev_start = DATE_NONE;
	FILE			*f;
	int			 n = 0, near = 0, margin, prev_close = 1;

	if (access(PYTHON, X_OK) != 0 ||
	    system(PYTHON " -c 'import ephem' >/dev/null 2>&1") != 0)
		skip();		/* python3 with ephem: only this case */
	snprintf(cmd, sizeof cmd, "%s %s/tests/tools/lunar_reference.py "
	    "1900 2100 %g", PYTHON, src != NULL ? src : ".", tz);
	f = popen(cmd, "r");
	assert_non_null(f);
	while (fgets(line, sizeof line, f) != NULL) {
		assert_int_equal(sscanf(line, "%d %d %d %15s %d", &ld.year,
		    &ld.month, &ld.leap, iso, &margin), 5);
		assert_int_equal(date_parse_iso(iso, &start), 0);
		ld.day = 1;
		got = lunar_to_solar(&ld, tz);
		if (margin < 60) {
			assert_in_range(got, start - 1, start + 1);
			prev_close = 1;
			near++;
			continue;
		}
		if (got != start)
			fail_msg("tz %g: lunar %d/%d%s starts %s", tz,
			    ld.month, ld.year, ld.leap ? " (leap)" : "", iso);
		assert_int_equal(lunar_from_solar(start, tz, &out), 0);
		assert_int_equal(out.year, ld.year);
		assert_int_equal(out.month, ld.month);
		assert_int_equal(out.leap, ld.leap);
		assert_int_equal(out.day, 1);
		if (!prev_close)
			assert_int_equal(lunar_month_length(prev.year,
			    prev.month, prev.leap, tz), start - prev_start);
		prev = ld;
		prev_start = start;
		prev_close = 0;
		n++;
	}
	assert_int_equal(pclose(f), 0);
	assert_in_range(near, 0, 6);
	/* 201 years of 12 months, plus about 74 leap months. */
	assert_in_range(n + near, 201 * 12 + 70, 201 * 12 + 80);
}

/* The Vietnamese calendar (UTC+7). */
static void
test_reference_vietnam(void **state)
{
	compare_reference(7);
}

/* The Chinese calendar (UTC+8). */
static void
test_reference_china(void **state)
{
	compare_reference(8);
}


int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_dates),
		cmocka_unit_test(test_leap_months),
		cmocka_unit_test(test_month_lengths),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_reference_vietnam),
		cmocka_unit_test(test_reference_china),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
