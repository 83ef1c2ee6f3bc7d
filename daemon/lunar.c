/*
 * The Vietnamese lunisolar calendar.  Months begin on the local day of the
 * new moon; month 11 is the month that holds the December solstice; a "sui"
 * (month 11 to the next month 11) of 13 months has a leap month, the first
 * one without a major solar term (a multiple of 30 degrees of the sun's
 * longitude).  New moons follow Meeus, Astronomical Algorithms, ch. 49, the
 * sun's apparent longitude ch. 25 (low accuracy), Delta T the polynomials of
 * Espenak and Meeus.  Verified against PyEphem for 1900-2100.
 */
#include <math.h>
#include <stddef.h>

#include "lunar.h"

#define LUNAR_SYNODIC	29.530588861
#define LUNAR_JD_EPOCH	2440587.5	/* JD of 1970-01-01 00:00 UT */
#define LUNAR_DEG	(M_PI / 180.0)

/* The months of one sui, from month 11 to the next month 11 inclusive. */
struct lunar_sui {
	int	year;			/* year of the first month 11 */
	int	count;			/* 12 or 13 months */
	int	leap;			/* leap month offset, 0 if none */
	long	k;			/* lunation number of the first month */
	date_t	start[14];
};

/* Terms of the new moon correction: coefficient, power of E, multiples. */
static const struct {
	double	coeff;
	int	epow, mm, m, f, om;
} lunar_terms[] = {
	{ -0.40720, 0, 1, 0, 0, 0 }, { 0.17241, 1, 0, 1, 0, 0 },
	{ 0.01608, 0, 2, 0, 0, 0 }, { 0.01039, 0, 0, 0, 2, 0 },
	{ 0.00739, 1, 1, -1, 0, 0 }, { -0.00514, 1, 1, 1, 0, 0 },
	{ 0.00208, 2, 0, 2, 0, 0 }, { -0.00111, 0, 1, 0, -2, 0 },
	{ -0.00057, 0, 1, 0, 2, 0 }, { 0.00056, 1, 2, 1, 0, 0 },
	{ -0.00042, 0, 3, 0, 0, 0 }, { 0.00042, 1, 0, 1, 2, 0 },
	{ 0.00038, 1, 0, 1, -2, 0 }, { -0.00024, 1, 2, -1, 0, 0 },
	{ -0.00017, 0, 0, 0, 0, 1 }, { -0.00007, 0, 1, 2, 0, 0 },
	{ 0.00004, 0, 2, 0, -2, 0 }, { 0.00004, 0, 0, 3, 0, 0 },
	{ 0.00003, 0, 1, 1, -2, 0 }, { 0.00003, 0, 2, 0, 2, 0 },
	{ -0.00003, 0, 1, 1, 2, 0 }, { 0.00003, 0, 1, -1, 2, 0 },
	{ -0.00002, 0, 1, -1, -2, 0 }, { -0.00002, 0, 3, 1, 0, 0 },
	{ 0.00002, 0, 4, 0, 0, 0 },
};

/* Planetary arguments A1..A14: constant, rate per lunation, coefficient. */
static const struct {
	double	base, rate, coeff;
} lunar_planets[] = {
	{ 299.77, 0.107408, 0.000325 }, { 251.88, 0.016321, 0.000165 },
	{ 251.83, 26.651886, 0.000164 }, { 349.42, 36.412478, 0.000126 },
	{ 84.66, 18.206239, 0.000110 }, { 141.74, 53.303771, 0.000062 },
	{ 207.14, 2.453732, 0.000060 }, { 154.84, 7.306860, 0.000056 },
	{ 34.52, 27.261239, 0.000047 }, { 207.19, 0.121824, 0.000042 },
	{ 291.34, 1.844379, 0.000040 }, { 161.72, 24.198154, 0.000037 },
	{ 239.56, 25.513099, 0.000035 }, { 331.55, 3.592518, 0.000023 },
};

/* Delta T = TT - UT in seconds for a decimal year (Espenak and Meeus). */
static double
lunar_delta_t(double y)
{
	double	t, u = (y - 1820) / 100;

	if (y < 1860 || y >= 2150)
		return (-20 + 32 * u * u);
	if (y < 1900) {
		t = y - 1860;
		return (7.62 + 0.5737 * t - 0.251754 * t * t +
		    0.01680668 * pow(t, 3) - 0.0004473624 * pow(t, 4) +
		    pow(t, 5) / 233174);
	}
	if (y < 1920) {
		t = y - 1900;
		return (-2.79 + 1.494119 * t - 0.0598939 * t * t +
		    0.0061966 * pow(t, 3) - 0.000197 * pow(t, 4));
	}
	if (y < 1941) {
		t = y - 1920;
		return (21.20 + 0.84493 * t - 0.076100 * t * t +
		    0.0020936 * pow(t, 3));
	}
	if (y < 1961) {
		t = y - 1950;
		return (29.07 + 0.407 * t - t * t / 233 + pow(t, 3) / 2547);
	}
	if (y < 1986) {
		t = y - 1975;
		return (45.45 + 1.067 * t - t * t / 260 - pow(t, 3) / 718);
	}
	if (y < 2005) {
		t = y - 2000;
		return (63.86 + 0.3345 * t - 0.060374 * t * t +
		    0.0017275 * pow(t, 3) + 0.000651814 * pow(t, 4) +
		    0.00002373599 * pow(t, 5));
	}
	if (y < 2050) {
		t = y - 2000;
		return (62.92 + 0.32217 * t + 0.005589 * t * t);
	}
	return (-20 + 32 * u * u - 0.5628 * (2150 - y));
}

/* Delta T in days at a Julian day. */
static double
lunar_delta_t_days(double jd)
{
	return (lunar_delta_t(2000.0 + (jd - 2451545.0) / 365.25) / 86400.0);
}

/* Julian Ephemeris Day of the new moon of lunation k (k = 0: Jan 2000). */
static double
lunar_new_moon_jde(long k)
{
	double	t, e, m, mm, f, om, jde, arg;
	size_t	i;

	t = k / 1236.85;
	jde = 2451550.09766 + LUNAR_SYNODIC * k + 0.00015437 * t * t -
	    0.000000150 * pow(t, 3) + 0.00000000073 * pow(t, 4);
	e = 1 - 0.002516 * t - 0.0000074 * t * t;
	m = 2.5534 + 29.10535670 * k - 0.0000014 * t * t -
	    0.00000011 * pow(t, 3);
	mm = 201.5643 + 385.81693528 * k + 0.0107582 * t * t +
	    0.00001238 * pow(t, 3) - 0.000000058 * pow(t, 4);
	f = 160.7108 + 390.67050284 * k - 0.0016118 * t * t -
	    0.00000227 * pow(t, 3) + 0.000000011 * pow(t, 4);
	om = 124.7746 - 1.56375588 * k + 0.0020672 * t * t +
	    0.00000215 * pow(t, 3);
	for (i = 0; i < sizeof lunar_terms / sizeof lunar_terms[0]; i++) {
		arg = lunar_terms[i].mm * mm + lunar_terms[i].m * m +
		    lunar_terms[i].f * f + lunar_terms[i].om * om;
		jde += lunar_terms[i].coeff * pow(e, lunar_terms[i].epow) *
		    sin(arg * LUNAR_DEG);
	}
	for (i = 0; i < sizeof lunar_planets / sizeof lunar_planets[0]; i++) {
		arg = lunar_planets[i].base + lunar_planets[i].rate * k;
		if (i == 0)
			arg -= 0.009173 * t * t;
		jde += lunar_planets[i].coeff * sin(arg * LUNAR_DEG);
	}
	return (jde);
}

/* Local civil date of the new moon of lunation k. */
static date_t
lunar_new_moon_day(long k, double tz)
{
	double	jd = lunar_new_moon_jde(k);

	jd -= lunar_delta_t_days(jd);
	return ((date_t)floor(jd - LUNAR_JD_EPOCH + tz / 24.0));
}

/* Lunation number of the last new moon on or before local day d. */
static long
lunar_lunation_of(date_t d, double tz)
{
	long	k;

	k = (long)floor((d + LUNAR_JD_EPOCH - 2451550.09766) / LUNAR_SYNODIC);
	while (lunar_new_moon_day(k + 1, tz) <= d)
		k++;
	while (lunar_new_moon_day(k, tz) > d)
		k--;
	return (k);
}

/* Sun's apparent longitude in degrees at local midnight starting day d. */
static double
lunar_sun_longitude(date_t d, double tz)
{
	double	jd, t, m, c, om, l;

	jd = d + LUNAR_JD_EPOCH - tz / 24.0;
	jd += lunar_delta_t_days(jd);
	t = (jd - 2451545.0) / 36525;
	m = (357.52911 + 35999.05029 * t - 0.0001537 * t * t) * LUNAR_DEG;
	c = (1.914602 - 0.004817 * t - 0.000014 * t * t) * sin(m) +
	    (0.019993 - 0.000101 * t) * sin(2 * m) + 0.000289 * sin(3 * m);
	l = 280.46646 + 36000.76983 * t + 0.0003032 * t * t + c;
	om = (125.04 - 1934.136 * t) * LUNAR_DEG;
	l = l - 0.00569 - 0.00478 * sin(om);
	l = fmod(l, 360.0);
	return (l < 0 ? l + 360.0 : l);
}

/* Lunation number of month 11 (the one holding the December solstice). */
static long
lunar_month11(int year, double tz)
{
	long	k;

	k = lunar_lunation_of(date_from_ymd(year, 12, 31), tz);
	if (lunar_sun_longitude(lunar_new_moon_day(k, tz), tz) >= 270.0)
		k--;
	return (k);
}

/* Whether the month from day a to day b (excluded) has no major term. */
static int
lunar_no_major_term(date_t a, date_t b, double tz)
{
	return (floor(lunar_sun_longitude(a, tz) / 30.0) ==
	    floor(lunar_sun_longitude(b, tz) / 30.0));
}

/* Fills the months of the sui beginning in Gregorian year y. */
static void
lunar_sui(int year, double tz, struct lunar_sui *s)
{
	int	i;

	s->year = year;
	s->k = lunar_month11(year, tz);
	s->count = (int)(lunar_month11(year + 1, tz) - s->k);
	for (i = 0; i <= s->count && i < 14; i++)
		s->start[i] = lunar_new_moon_day(s->k + i, tz);
	s->leap = 0;
	if (s->count != 13)
		return;
	for (i = 1; i < s->count; i++) {
		if (lunar_no_major_term(s->start[i], s->start[i + 1], tz)) {
			s->leap = i;
			break;
		}
	}
}

/* Month number, leap flag and lunar year of the month at offset i. */
static void
lunar_sui_month(const struct lunar_sui *s, int i, struct lunar_date *ld)
{
	int	n = i;

	ld->leap = (s->leap != 0 && i == s->leap);
	if (s->leap != 0 && i >= s->leap)
		n--;
	ld->month = (10 + n) % 12 + 1;
	ld->year = s->year + (n >= 2);
}

/* The lunar date of solar day d in zone tz; 0 or -1. */
int
lunar_from_solar(date_t d, double tz, struct lunar_date *ld)
{
	struct lunar_sui	s;
	int			y, i;

	y = date_year(d);
	if (y < 1 || y > 9998)
		return (-1);
	lunar_sui(y, tz, &s);
	if (d < s.start[0])
		lunar_sui(y - 1, tz, &s);
	i = s.count - 1;
	while (i > 0 && s.start[i] > d)
		i--;
	lunar_sui_month(&s, i, ld);
	ld->day = d - s.start[i] + 1;
	return (0);
}

/* The solar day of a lunar date in zone tz, or DATE_NONE. */
date_t
lunar_to_solar(const struct lunar_date *ld, double tz)
{
	struct lunar_sui	s;
	struct lunar_date	m;
	int			i;

	if (ld->month < 1 || ld->month > 12 || ld->day < 1 || ld->day > 30 ||
	    ld->year < 2 || ld->year > 9998)
		return (DATE_NONE);
	lunar_sui(ld->month >= 11 ? ld->year : ld->year - 1, tz, &s);
	for (i = 0; i < s.count; i++) {
		lunar_sui_month(&s, i, &m);
		if (m.year != ld->year || m.month != ld->month ||
		    m.leap != (ld->leap != 0))
			continue;
		if (ld->day > s.start[i + 1] - s.start[i])
			return (DATE_NONE);
		return (s.start[i] + ld->day - 1);
	}
	return (DATE_NONE);
}

/* The solar day of lunar 1/1 of year in zone tz. */
date_t
lunar_new_year(int year, double tz)
{
	struct lunar_date	ld = { year, 1, 1, 0 };

	return (lunar_to_solar(&ld, tz));
}

/* Days (29 or 30) of a lunar month, 0 if there is no such month. */
int
lunar_month_length(int year, int month, int leap, double tz)
{
	struct lunar_date	ld = { year, month, 1, leap };
	date_t			start;

	start = lunar_to_solar(&ld, tz);
	if (start == DATE_NONE)
		return (0);
	ld.day = 30;
	return (lunar_to_solar(&ld, tz) == DATE_NONE ? 29 : 30);
}
