/*
 * Tests for calendar.c: the published holidays of 2023-2025 with and without
 * config/days-off.ini, compensatory days, working-day arithmetic across Tết,
 * the day-off rule, options, and errors in the overrides file.
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
#include "date.h"

#define D(y, m, d)	date_from_ymd(y, m, d)

/* A calendar with default options, and the example overrides if asked. */
static struct calendar *
new_calendar(int overrides)
{
	struct calendar_options	 o;
	struct calendar		*cal;
	char			 path[1024], *cause = NULL;
	const char		*src = getenv("SRCDIR");

	calendar_default_options(&o);
	cal = calendar_new(&o);
	assert_non_null(cal);
	if (overrides) {
		snprintf(path, sizeof path, "%s/config/days-off.ini",
		    src != NULL ? src : ".");
		if (calendar_load_overrides(cal, path, &cause) != 0)
			fail_msg("%s", cause);
	}
	return (cal);
}

/* Asserts that the days off of a year, weekends aside, are exactly list. */
static void
check_days_off(struct calendar *cal, int year, const date_t *list, size_t n)
{
	struct calendar_day	*days;
	size_t			 count, i, off = 0;
	char			 iso[11];

	count = calendar_year(cal, year, &days);
	for (i = 0; i < count; i++) {
		if (days[i].kind != CALENDAR_DAY_OFF)
			continue;
		date_format_iso(days[i].date, iso);
		if (off >= n || days[i].date != list[off])
			fail_msg("%d: unexpected day off %s (%s)", year, iso,
			    days[i].name);
		off++;
	}
	assert_int_equal(off, n);
	free(days);
}

/* The computed holidays of 2023, with the compensatory days. */
static void
test_2023_computed(void **state)
{
	struct calendar	*cal = new_calendar(0);
	const date_t	 off[] = {
		D(2023, 1, 1), D(2023, 1, 2),		/* 1/1 Sunday */
		D(2023, 1, 21), D(2023, 1, 22), D(2023, 1, 23),
		D(2023, 1, 24), D(2023, 1, 25),		/* Tết 22/1 */
		D(2023, 1, 26), D(2023, 1, 27),		/* for 21, 22 */
		D(2023, 4, 29), D(2023, 4, 30), D(2023, 5, 1),
		D(2023, 5, 2), D(2023, 5, 3),
		D(2023, 9, 1), D(2023, 9, 2), D(2023, 9, 4),
	};
	const char	*name;

	check_days_off(cal, 2023, off, sizeof off / sizeof off[0]);
	assert_int_equal(calendar_holiday(cal, D(2023, 4, 29), &name), 1);
	assert_string_equal(name, "Giỗ Tổ Hùng Vương (10/3 âm lịch)");
	assert_int_equal(calendar_holiday(cal, D(2023, 5, 2), &name), 1);
	assert_string_equal(name, "Nghỉ bù Giỗ Tổ Hùng Vương");
	assert_int_equal(calendar_holiday(cal, D(2023, 5, 3), &name), 1);
	assert_string_equal(name, "Nghỉ bù Ngày Chiến thắng");
	assert_int_equal(calendar_holiday(cal, D(2023, 1, 2), &name), 1);
	assert_string_equal(name, "Nghỉ bù Tết Dương lịch");
	assert_int_equal(calendar_holiday(cal, D(2023, 1, 21), &name), 1);
	assert_string_equal(name, "Tết Nguyên đán (30 tháng Chạp)");
	assert_int_equal(calendar_holiday(cal, D(2023, 1, 22), &name), 1);
	assert_string_equal(name, "Tết Nguyên đán (mùng 1 Tết)");
	assert_int_equal(calendar_holiday(cal, D(2023, 5, 4), &name), 0);
	assert_true(calendar_is_working_day(cal, D(2023, 5, 4)));
	assert_false(calendar_is_working_day(cal, D(2023, 5, 6)));
	calendar_free(cal);
}

/* 2024 and 2025 as computed, and as the government decided. */
static void
test_2024_2025(void **state)
{
	struct calendar	*cal = new_calendar(0);
	const date_t	 off24[] = {
		D(2024, 1, 1), D(2024, 2, 9), D(2024, 2, 10), D(2024, 2, 11),
		D(2024, 2, 12), D(2024, 2, 13), D(2024, 2, 14), D(2024, 2, 15),
		D(2024, 4, 18), D(2024, 4, 30), D(2024, 5, 1), D(2024, 9, 1),
		D(2024, 9, 2), D(2024, 9, 3),
	};
	const date_t	 off25[] = {
		D(2025, 1, 1), D(2025, 1, 28), D(2025, 1, 29), D(2025, 1, 30),
		D(2025, 1, 31), D(2025, 2, 1), D(2025, 2, 3), D(2025, 4, 7),
		D(2025, 4, 30), D(2025, 5, 1), D(2025, 9, 1), D(2025, 9, 2),
	};
	/* 2450/VPCP-KGVX: Monday 29/4 off (made up on Saturday 4/5). */
	const date_t	 off24o[] = {
		D(2024, 1, 1), D(2024, 2, 8), D(2024, 2, 9), D(2024, 2, 10),
		D(2024, 2, 11), D(2024, 2, 12), D(2024, 2, 13), D(2024, 2, 14),
		D(2024, 4, 18), D(2024, 4, 29), D(2024, 4, 30), D(2024, 5, 1),
		D(2024, 9, 1), D(2024, 9, 2), D(2024, 9, 3),
	};
	/* 6150/TB-BLĐTBXH: Friday 2/5 off (made up on Saturday 26/4). */
	const date_t	 off25o[] = {
		D(2025, 1, 1), D(2025, 1, 25), D(2025, 1, 26), D(2025, 1, 27),
		D(2025, 1, 28), D(2025, 1, 29), D(2025, 1, 30), D(2025, 1, 31),
		D(2025, 2, 1), D(2025, 2, 2), D(2025, 4, 7), D(2025, 4, 30),
		D(2025, 5, 1), D(2025, 5, 2), D(2025, 9, 1), D(2025, 9, 2),
	};
	const char	*name;

	check_days_off(cal, 2024, off24, sizeof off24 / sizeof off24[0]);
	check_days_off(cal, 2025, off25, sizeof off25 / sizeof off25[0]);
	assert_int_equal(calendar_holiday(cal, D(2024, 2, 9), &name), 1);
	assert_string_equal(name, "Tết Nguyên đán (30 tháng Chạp)");
	assert_int_equal(calendar_holiday(cal, D(2025, 1, 28), &name), 1);
	assert_string_equal(name, "Tết Nguyên đán (29 tháng Chạp)");
	calendar_free(cal);

	cal = new_calendar(1);
	check_days_off(cal, 2024, off24o, sizeof off24o / sizeof off24o[0]);
	check_days_off(cal, 2025, off25o, sizeof off25o / sizeof off25o[0]);
	assert_true(calendar_is_working_day(cal, D(2024, 2, 15)));
	assert_true(calendar_is_working_day(cal, D(2024, 5, 4)));	/* Sat */
	assert_false(calendar_is_working_day(cal, D(2024, 4, 29)));
	assert_true(calendar_is_working_day(cal, D(2024, 5, 2)));
	assert_true(calendar_is_working_day(cal, D(2025, 2, 3)));
	assert_true(calendar_is_working_day(cal, D(2025, 4, 26)));	/* Sat */
	assert_int_equal(calendar_holiday(cal, D(2024, 2, 8), &name), 1);
	assert_string_equal(name, "Tết Nguyên đán Giáp Thìn");
	assert_int_equal(calendar_holiday(cal, D(2024, 5, 4), &name), 0);
	calendar_free(cal);
}

/*
 * 2026 as computed and as decided (Thông báo 9441/TB-BNV, văn bản
 * 12729/VPCP-KGVX): Tết from Saturday 14/2 to Sunday 22/2, Friday 2/1 and
 * Monday 31/8 off, made up on Saturdays 10/1 and 22/8; Giỗ Tổ on Sunday
 * 26/4 gives Monday 27/4.
 */
static void
test_2026(void **state)
{
	struct calendar	*cal = new_calendar(0);
	const date_t	 off[] = {
		D(2026, 1, 1), D(2026, 2, 16), D(2026, 2, 17), D(2026, 2, 18),
		D(2026, 2, 19), D(2026, 2, 20), D(2026, 4, 26), D(2026, 4, 27),
		D(2026, 4, 30), D(2026, 5, 1), D(2026, 9, 1), D(2026, 9, 2),
	};
	const date_t	 offo[] = {
		D(2026, 1, 1), D(2026, 1, 2), D(2026, 2, 14), D(2026, 2, 15),
		D(2026, 2, 16), D(2026, 2, 17), D(2026, 2, 18), D(2026, 2, 19),
		D(2026, 2, 20), D(2026, 2, 21), D(2026, 2, 22), D(2026, 4, 26),
		D(2026, 4, 27), D(2026, 4, 30), D(2026, 5, 1), D(2026, 8, 31),
		D(2026, 9, 1), D(2026, 9, 2),
	};

	check_days_off(cal, 2026, off, sizeof off / sizeof off[0]);
	calendar_free(cal);
	cal = new_calendar(1);
	check_days_off(cal, 2026, offo, sizeof offo / sizeof offo[0]);
	assert_true(calendar_is_working_day(cal, D(2026, 1, 10)));	/* Sat */
	assert_true(calendar_is_working_day(cal, D(2026, 8, 22)));	/* Sat */
	assert_false(calendar_is_working_day(cal, D(2026, 8, 31)));
	/* Before 31/8/2026: Friday 28/8, not the make-up Saturday 22/8... */
	assert_int_equal(calendar_previous_working_day(cal, D(2026, 9, 2)),
	    D(2026, 8, 28));
	/* ... and 1 working day after Friday 21/8 is Saturday 22/8. */
	assert_int_equal(calendar_add_working_days(cal, D(2026, 8, 21), 1),
	    D(2026, 8, 22));
	assert_int_equal(calendar_next_working_day(cal, D(2026, 2, 14)),
	    D(2026, 2, 23));
	calendar_free(cal);
}

/* Which years the shipped file decides, and the warning of the others. */
static void
test_decided(void **state)
{
	struct calendar	*plain = new_calendar(0), *gov = new_calendar(1);
	char		*msg;

	/* The shipped file decides 2024 to 2026: no warning for those. */
	assert_non_null(msg = calendar_check_decided(gov, "d.ini", 2023));
	free(msg);
	assert_null(calendar_check_decided(gov, "d.ini", 2024));
	assert_null(calendar_check_decided(gov, "d.ini", 2025));
	assert_null(calendar_check_decided(gov, "d.ini", 2026));
	assert_non_null(msg = calendar_check_decided(gov, "d.ini", 1800));
	free(msg);
	msg = calendar_check_decided(gov, "d.ini", 2027);
	assert_string_equal(msg, "d.ini has no [2027] section: the Tết block "
	    "and swapped days the government decides for 2027 are not applied "
	    "(the computed Tết days are used); add them once decided");
	free(msg);
	msg = calendar_check_decided(plain, "", 2025);
	assert_string_equal(msg, "no days-off file (calendar.days_off_file): "
	    "the days off the government decides for 2025 (the Tết block, "
	    "swapped days) are not applied");
	free(msg);
	calendar_free(plain);
	calendar_free(gov);
}

/* The make-up day is listed by calendar_year with its origin. */
static void
test_year_listing(void **state)
{
	struct calendar		*cal = new_calendar(1);
	struct calendar_day	*days;
	size_t			 n, i;
	int			 found = 0;

	n = calendar_year(cal, 2024, &days);
	for (i = 0; i < n; i++) {
		if (i > 0)
			assert_true(days[i - 1].date < days[i].date);
		if (days[i].kind != CALENDAR_WORKING_DAY)
			continue;
		assert_int_equal(days[i].date, D(2024, 5, 4));
		assert_int_equal(days[i].origin, CALENDAR_OVERRIDE);
		assert_string_equal(days[i].name,
		    "Làm bù cho thứ Hai 29/04/2024");
		found++;
	}
	assert_int_equal(found, 1);
	free(days);
	assert_int_equal(calendar_year(cal, 2200, &days), 0);
	assert_null(days);
	calendar_free(cal);
}

/* Working-day arithmetic across Tết 2024, both ways. */
static void
test_arithmetic(void **state)
{
	struct calendar	*plain = new_calendar(0), *gov = new_calendar(1);

	assert_int_equal(calendar_add_working_days(plain, D(2024, 2, 7), 1),
	    D(2024, 2, 8));
	assert_int_equal(calendar_add_working_days(plain, D(2024, 2, 7), 2),
	    D(2024, 2, 16));
	assert_int_equal(calendar_add_working_days(gov, D(2024, 2, 7), 1),
	    D(2024, 2, 15));
	assert_int_equal(calendar_add_working_days(gov, D(2024, 2, 19), -1),
	    D(2024, 2, 16));
	assert_int_equal(calendar_add_working_days(gov, D(2024, 2, 19), -2),
	    D(2024, 2, 15));
	assert_int_equal(calendar_add_working_days(plain, D(2024, 2, 19), -2),
	    D(2024, 2, 8));
	assert_int_equal(calendar_add_working_days(plain, D(2024, 2, 10), 0),
	    D(2024, 2, 10));
	/* across the year end: Fri 29/12/2023 + 1 = Tue 2/1/2024 (1/1 off) */
	assert_int_equal(calendar_add_working_days(plain, D(2023, 12, 29), 1),
	    D(2024, 1, 2));
	/* February 2024: 21 weekdays, 4 (or 5) of them off, Thu 1/2 excluded */
	assert_int_equal(calendar_working_days_between(plain, D(2024, 2, 1),
	    D(2024, 2, 29)), 15);
	assert_int_equal(calendar_working_days_between(gov, D(2024, 2, 1),
	    D(2024, 2, 29)), 15);
	assert_int_equal(calendar_working_days_between(gov, D(2024, 2, 29),
	    D(2024, 2, 1)), -15);
	assert_int_equal(calendar_working_days_between(gov, D(2024, 2, 7),
	    D(2024, 2, 7)), 0);
	/* May 2024 with the swap: 23 weekdays, 30/4 outside, 1/5 off,
	 * Saturday 4/5 worked (for Monday 29/4): 23 in (30/4, 31/5] */
	assert_int_equal(calendar_working_days_between(gov, D(2024, 4, 30),
	    D(2024, 5, 31)), 23);
	assert_int_equal(calendar_next_working_day(plain, D(2024, 2, 9)),
	    D(2024, 2, 16));
	assert_int_equal(calendar_previous_working_day(plain, D(2024, 2, 15)),
	    D(2024, 2, 8));
	assert_int_equal(calendar_next_working_day(plain, D(2024, 2, 16)),
	    D(2024, 2, 16));
	calendar_free(plain);
	calendar_free(gov);
}

/* The day-off rule of the Civil Code and its names. */
static void
test_effective(void **state)
{
	struct calendar		*cal = new_calendar(0);

	assert_int_equal(calendar_effective(cal, D(2023, 4, 29),
	    CALENDAR_NEXT), D(2023, 5, 4));
	assert_int_equal(calendar_effective(cal, D(2023, 4, 29),
	    CALENDAR_PREVIOUS), D(2023, 4, 28));
	assert_int_equal(calendar_effective(cal, D(2023, 4, 29),
	    CALENDAR_NONE), D(2023, 4, 29));
	assert_int_equal(calendar_effective(cal, D(2023, 5, 4),
	    CALENDAR_NEXT), D(2023, 5, 4));
	/* Weekend names to bits (1 << weekday, Sunday 0), by hand. */
	assert_int_equal(calendar_weekend_mask("sat sun"), 64 + 1);
	assert_int_equal(calendar_weekend_mask("fri,sat"), 32 + 64);
	assert_int_equal(calendar_weekend_mask("Sun"), 1);
	assert_int_equal(calendar_weekend_mask(""), 0);
	assert_int_equal(calendar_weekend_mask("sat sunday"), -1);
	calendar_free(cal);
}

/* Options: zone of the lunar calendar, 3/9, a Sunday-only weekend. */
static void
test_options(void **state)
{
	struct calendar_options	 o;
	struct calendar		*vn, *cn, *cal;

	calendar_default_options(&o);
	vn = calendar_new(&o);
	o.tz_hours = 8;
	cn = calendar_new(&o);
	/* Tết 2030: Saturday 2/2 in Vietnam, Sunday 3/2 in China */
	assert_int_equal(calendar_holiday(vn, D(2030, 2, 1), NULL), 1);
	assert_int_equal(calendar_holiday(cn, D(2030, 2, 1), NULL), 0);
	assert_true(calendar_is_working_day(cn, D(2030, 2, 1)));
	assert_int_equal(calendar_holiday(vn, D(2030, 2, 5), NULL), 1);
	assert_int_equal(calendar_holiday(cn, D(2030, 2, 6), NULL), 1);
	assert_int_equal(calendar_holiday(vn, D(2030, 2, 6), NULL), 1); /* bù */
	calendar_free(vn);
	calendar_free(cn);

	calendar_default_options(&o);
	o.national_day_extra = 1;
	cal = calendar_new(&o);
	assert_int_equal(calendar_holiday(cal, D(2024, 9, 1), NULL), 0);
	assert_int_equal(calendar_holiday(cal, D(2024, 9, 3), NULL), 1);
	assert_true(calendar_is_working_day(cal, D(2024, 9, 4)));
	calendar_free(cal);

	calendar_default_options(&o);
	o.weekend = 1U << 0;
	cal = calendar_new(&o);
	assert_true(calendar_is_working_day(cal, D(2023, 5, 6)));
	assert_int_equal(calendar_holiday(cal, D(2023, 5, 2), NULL), 1);
	assert_int_equal(calendar_holiday(cal, D(2023, 5, 3), NULL), 0);
	calendar_free(cal);

	o.weekend = 0x7f;
	assert_null(calendar_new(&o));
	calendar_default_options(&o);
	o.national_day_extra = 2;
	assert_null(calendar_new(&o));
	/* outside 1900-2100: weekends only */
	calendar_default_options(&o);
	cal = calendar_new(&o);
	assert_true(calendar_is_working_day(cal, D(2101, 1, 3)));
	assert_false(calendar_is_working_day(cal, D(2101, 1, 2)));
	calendar_free(cal);
}

/* Writes text to a temporary file; returns its path (static). */
static const char *
write_temp(const char *text, size_t len)
{
	static char	 path[64];
	int		 fd;

	snprintf(path, sizeof path, "/tmp/test_calendar.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
	return (path);
}

/* Every bad line is reported with its number; nothing is applied. */
static void
test_override_errors(void **state)
{
	static const char	 text[] =
	    "[2024]\n"					/* 1 */
	    "off = 2024-02-30 Bad\n"			/* 2 bad date */
	    "off = 2024-05-03..2024-05-01 X\n"		/* 3 bad range */
	    "holiday = 2024-01-02 X\n"			/* 4 unknown key */
	    "[abc]\n"					/* 5 not a year */
	    "off = 2024-01-02 X\n"			/* 6 skipped */
	    "[2025]\n"					/* 7 */
	    "off = 2024-12-31 X\n"			/* 8 outside year */
	    "; %s\n"					/* 9 too long */
	    "off = 2025-01-02 \xff\n"			/* 10 bad UTF-8 */
	    "just some words\n"				/* 11 no '=' */
	    "off = 2025-03-03 Good\n";			/* 12 */
	static const char	 tail[] =
	    "off = 2025-03-04 A\0B\n"			/* 13 NUL */
	    "[2025\n";					/* 14 no ']' */
	struct calendar		*cal = new_calendar(0);
	char			 buf[1024], longline[251], expect[256];
	char			*cause = NULL;
	const char		*path;
	static const int	 lines[] = { 2, 3, 4, 5, 8, 9, 10, 11, 13, 14 };
	size_t			 i, len;

	memset(longline, 'x', 250);
	longline[250] = '\0';
	len = (size_t)snprintf(buf, sizeof buf, text, longline);
	memcpy(buf + len, tail, sizeof tail - 1);
	len += sizeof tail - 1;
	path = write_temp(buf, len);
	assert_int_equal(calendar_load_overrides(cal, path, &cause), -1);
	assert_non_null(cause);
	for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		snprintf(expect, sizeof expect, "%s:%d: ", path, lines[i]);
		if (strstr(cause, expect) == NULL)
			fail_msg("no error for line %d in:\n%s", lines[i],
			    cause);
	}
	assert_null(strstr(cause, ":6: "));
	assert_null(strstr(cause, ":12: "));
	assert_non_null(strstr(cause, "unknown key: holiday"));
	assert_true(calendar_is_working_day(cal, D(2025, 3, 3)));
	free(cause);
	unlink(path);

	cause = NULL;
	path = write_temp("off = 2024-01-02 X\n", 19);
	assert_int_equal(calendar_load_overrides(cal, path, &cause), -1);
	snprintf(expect, sizeof expect, "%s:1: ", path);
	assert_non_null(strstr(cause, expect));
	free(cause);
	unlink(path);

	cause = NULL;
	assert_int_equal(calendar_load_overrides(cal, "/nonexistent/x.ini",
	    &cause), -1);
	assert_non_null(strstr(cause, "/nonexistent/x.ini"));
	free(cause);
	calendar_free(cal);
}

/* A good file with DD/MM/YYYY dates, blanks and a CRLF line. */
static void
test_override_good(void **state)
{
	static const char	 text[] =
	    "# comment\n"
	    "[2026]\n"
	    "  off = 05/01/2026..06/01/2026 Nghỉ thêm\r\n"
	    "work = 2026-01-10\n";
	struct calendar		*cal = new_calendar(0);
	char			*cause = NULL;
	const char		*path, *name;

	path = write_temp(text, sizeof text - 1);
	if (calendar_load_overrides(cal, path, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(calendar_holiday(cal, D(2026, 1, 5), &name), 1);
	assert_string_equal(name, "Nghỉ thêm");
	assert_int_equal(calendar_holiday(cal, D(2026, 1, 6), NULL), 1);
	assert_true(calendar_is_working_day(cal, D(2026, 1, 10)));
	assert_true(calendar_is_working_day(cal, D(2026, 1, 7)));
	unlink(path);
	calendar_free(cal);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_2023_computed),
		cmocka_unit_test(test_2024_2025),
		cmocka_unit_test(test_2026),
		cmocka_unit_test(test_decided),
		cmocka_unit_test(test_year_listing),
		cmocka_unit_test(test_arithmetic),
		cmocka_unit_test(test_effective),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_override_errors),
		cmocka_unit_test(test_override_good),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
