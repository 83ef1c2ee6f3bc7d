/*
 * Tests for date.c: the ISO form of a day number, checked against the
 * snprintf() it replaced and read back with date_parse_iso().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "date.h"

/* Known days, including the ends of leap and common years. */
static void
test_format_iso_known(void **state)
{
	char	buf[11];

	date_format_iso(0, buf);
	assert_string_equal(buf, "1970-01-01");
	date_format_iso(date_from_ymd(2024, 2, 29), buf);
	assert_string_equal(buf, "2024-02-29");
	date_format_iso(date_from_ymd(2024, 12, 31), buf);
	assert_string_equal(buf, "2024-12-31");
	date_format_iso(date_from_ymd(2000, 3, 1), buf);
	assert_string_equal(buf, "2000-03-01");
	date_format_iso(date_from_ymd(1, 1, 1), buf);
	assert_string_equal(buf, "0001-01-01");
	date_format_iso(date_from_ymd(9999, 12, 31), buf);
	assert_string_equal(buf, "9999-12-31");
}

/* Days from year -300 to 10300 (each one in 1900-2100) as snprintf did. */
static void
test_format_iso_snprintf(void **state)
{
	char	buf[11], want[16];
	date_t	d, first, last, back, dense, dense_end;
	int	y, m, dd;

	first = date_from_ymd(-300, 1, 1);
	last = date_from_ymd(10300, 12, 31);
	dense = date_from_ymd(1900, 1, 1);
	dense_end = date_from_ymd(2100, 12, 31);
	for (d = first; d <= last; d += d >= dense && d <= dense_end ? 1 : 7) {
		date_to_ymd(d, &y, &m, &dd);
		snprintf(want, sizeof want, "%04u-%02u-%02u",
		    (unsigned)y % 10000u, (unsigned)m % 100u,
		    (unsigned)dd % 100u);
		date_format_iso(d, buf);
		if (strcmp(buf, want) != 0)
			fail_msg("day %d: '%s', want '%s'", (int)d, buf, want);
		if (y >= 1 && y <= 9999 && (date_parse_iso(buf, &back) != 0 ||
		    back != d))
			fail_msg("day %d: '%s' does not read back", (int)d,
			    buf);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_iso_known),
		cmocka_unit_test(test_format_iso_snprintf),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
