/*
 * Civil dates as day numbers, and the clock.  The day-number conversion is
 * the usual era-based one (400-year cycles of 146097 days), valid for every
 * year an int can hold.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "date.h"

static time_t	date_fixed_now = (time_t)-1;
static time_t	date_offset;
static int	date_running;

date_t
date_from_ymd(int y, int m, int d)
{
	int	era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (date_t)(era * 146097 + doe - 719468);
}

void
date_to_ymd(date_t day, int *yp, int *mp, int *dp)
{
	int	z, era, doe, yoe, y, doy, mp0, d, m;

	z = day + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp0 = (5 * doy + 2) / 153;
	d = doy - (153 * mp0 + 2) / 5 + 1;
	m = mp0 + (mp0 < 10 ? 3 : -9);
	if (yp != NULL)
		*yp = y + (m <= 2);
	if (mp != NULL)
		*mp = m;
	if (dp != NULL)
		*dp = d;
}

int
date_is_leap(int y)
{
	return (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
}

int
date_days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (m < 1 || m > 12)
		return (0);
	if (m == 2 && date_is_leap(y))
		return (29);
	return (days[m - 1]);
}

int
date_valid(int y, int m, int d)
{
	return (y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
	    d <= date_days_in_month(y, m));
}

date_t
date_last_of_month(int y, int m)
{
	return (date_from_ymd(y, m, date_days_in_month(y, m)));
}

int
date_weekday(date_t day)
{
	int	w = (day + 4) % 7;	/* 1970-01-01 was a Thursday */

	return (w < 0 ? w + 7 : w);
}

int
date_year(date_t day)
{
	int	y;

	date_to_ymd(day, &y, NULL, NULL);
	return (y);
}

/* Reads exactly n digits at *sp into *out, advancing *sp; 0 or -1. */
static int
date_digits(const char **sp, int n, int *out)
{
	int	v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*sp)[i]))
			return (-1);
		v = v * 10 + ((*sp)[i] - '0');
	}
	*sp += n;
	*out = v;
	return (0);
}

int
date_parse_iso(const char *s, date_t *out)
{
	int	y, m, d;

	if (date_digits(&s, 4, &y) != 0 || *s++ != '-' ||
	    date_digits(&s, 2, &m) != 0 || *s++ != '-' ||
	    date_digits(&s, 2, &d) != 0 || *s != '\0')
		return (-1);
	if (!date_valid(y, m, d))
		return (-1);
	*out = date_from_ymd(y, m, d);
	return (0);
}

int
date_parse_user(const char *s, date_t *out)
{
	int	y, m, d, n = 0;

	if (date_parse_iso(s, out) == 0)
		return (0);
	if (sscanf(s, "%2d/%2d/%4d%n", &d, &m, &y, &n) != 3 ||
	    s[n] != '\0' || !date_valid(y, m, d))
		return (-1);
	*out = date_from_ymd(y, m, d);
	return (0);
}

/*
 * What snprintf "%04u-%02u-%02u" gives, digit by digit: the store binds two
 * dates for every occurrence it writes, and snprintf was most of the cost.
 */
void
date_format_iso(date_t day, char buf[11])
{
	unsigned	yy, mm, dd;
	int		y, m, d;

	date_to_ymd(day, &y, &m, &d);
	yy = (unsigned)y % 10000u;
	mm = (unsigned)m % 100u;
	dd = (unsigned)d % 100u;
	buf[0] = (char)('0' + yy / 1000);
	buf[1] = (char)('0' + yy / 100 % 10);
	buf[2] = (char)('0' + yy / 10 % 10);
	buf[3] = (char)('0' + yy % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + mm / 10);
	buf[6] = (char)('0' + mm % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + dd / 10);
	buf[9] = (char)('0' + dd % 10);
	buf[10] = '\0';
}

void
date_format_vn(date_t day, char buf[11])
{
	int	y, m, d;

	date_to_ymd(day, &y, &m, &d);
	snprintf(buf, 11, "%02u/%02u/%04u", (unsigned)d % 100u,
	    (unsigned)m % 100u, (unsigned)y % 10000u);
}

const char *
date_weekday_vn(date_t day)
{
	static const char *names[] = { "Chủ nhật", "Thứ Hai", "Thứ Ba",
	    "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy" };

	return (names[date_weekday(day)]);
}

const char *
date_weekday_en(date_t day)
{
	static const char *names[] = { "Sunday", "Monday", "Tuesday",
	    "Wednesday", "Thursday", "Friday", "Saturday" };

	return (names[date_weekday(day)]);
}

int
date_known_timezone(const char *zone)
{
	char	path[512];

	if (zone == NULL || *zone == '\0' || strstr(zone, "..") != NULL)
		return (0);
	if (strcmp(zone, "UTC") == 0)
		return (1);
	snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", zone);
	return (access(path, R_OK) == 0);
}

int
date_set_timezone(const char *zone)
{
	const char	*now = getenv("TZ");

	if (!date_known_timezone(zone))
		return (-1);
	/* setenv races with readers of the environment in other threads. */
	if (now == NULL || strcmp(now, zone) != 0)
		setenv("TZ", zone, 1);
	tzset();
	return (0);
}

int
date_parse_now(const char *s, time_t *out)
{
	char	 day[11];
	date_t	 d;
	int	 hh = 0, mm = 0, ss = 0, n = 0;
	size_t	 len;

	len = strcspn(s, "T ");
	if (len != 10)
		return (-1);
	memcpy(day, s, 10);
	day[10] = '\0';
	if (date_parse_iso(day, &d) != 0)
		return (-1);
	s += len;
	if (*s != '\0') {
		s++;
		if (sscanf(s, "%2d:%2d%n", &hh, &mm, &n) != 2)
			return (-1);
		s += n;
		if (*s == ':') {
			if (sscanf(s + 1, "%2d%n", &ss, &n) != 1)
				return (-1);
			s += 1 + n;
		}
		if (*s != '\0' || hh > 23 || mm > 59 || ss > 59 || hh < 0 ||
		    mm < 0 || ss < 0)
			return (-1);
	}
	*out = date_time_at(d, hh, mm) + ss;
	return (0);
}

void
date_set_now(time_t t)
{
	date_fixed_now = t;
	date_running = 0;
}

void
date_set_running_now(time_t t)
{
	date_offset = t - time(NULL);
	date_running = 1;
}

time_t
date_now(void)
{
	if (date_running)
		return (time(NULL) + date_offset);
	if (date_fixed_now != (time_t)-1)
		return (date_fixed_now);
	return (time(NULL));
}

date_t
date_of_time(time_t t)
{
	struct tm	tm;

	localtime_r(&t, &tm);
	return (date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday));
}

date_t
date_today(void)
{
	return (date_of_time(date_now()));
}

time_t
date_time_at(date_t day, int hh, int mm)
{
	struct tm	tm;
	int		y, m, d;

	date_to_ymd(day, &y, &m, &d);
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_isdst = -1;
	return (mktime(&tm));
}
