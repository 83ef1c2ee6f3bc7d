#!/usr/bin/python3
"""Reference Vietnamese lunar calendar computed with PyEphem (VSOP87/ELP).

Prints one line per lunar month whose lunar year is in [FIRST, LAST]:
    YEAR MONTH LEAP YYYY-MM-DD MARGIN
the solar date (in the zone, hours east of UTC) of the month's first day,
and the seconds between the new moon and the nearest local midnight: within
a minute the date itself is uncertain (Delta T, series truncation).
Rules: a month starts on the local date of a new moon; month 11 holds the
local date of the December solstice; in a sui (month 11 to the next month
11) of 13 months the leap month is the first month without a major solar
term (the sun's apparent longitude crossing a multiple of 30 degrees).

Usage: lunar_reference.py [FIRST LAST [TZ_HOURS]]  (default 1900 2100 7)
Exits 77 when ephem is not installed.
"""
import datetime
import math
import sys

try:
    import ephem
except ImportError:
    sys.exit(77)

EPOCH = datetime.date(1899, 12, 31)     # ephem day 0 is 1899-12-31 12:00 UT


def local_date(t, tz):
    """Civil date, in zone tz, of the ephem instant t."""
    return EPOCH + datetime.timedelta(days=math.floor(float(t) + 0.5 + tz / 24.0))


def local_midnight(d, tz):
    """The ephem instant of 00:00 local time on date d."""
    return ephem.Date((d - EPOCH).days - 0.5 - tz / 24.0)


def sun_longitude(t):
    """Apparent geocentric ecliptic longitude of the sun, of date, degrees."""
    sun = ephem.Sun(ephem.Date(t))
    eq = ephem.Equatorial(sun.g_ra, sun.g_dec, epoch=ephem.Date(t))
    return math.degrees(float(ephem.Ecliptic(eq, epoch=ephem.Date(t)).lon))


def new_moons(first_year, last_year, tz):
    """Local dates of every new moon from Nov of first_year to Jan after last."""
    t = ephem.Date(datetime.datetime(first_year, 11, 1))
    end = ephem.Date(datetime.datetime(last_year + 1, 2, 1))
    out = []
    while t < end:
        t = ephem.next_new_moon(t)
        day = float(t) + 0.5 + tz / 24.0
        margin = abs(day - round(day)) * 86400.0
        out.append((local_date(t, tz), margin))
        t = ephem.Date(t + 1)
    return out


def month11_index(moons, year, tz):
    """Index in moons of the month holding the December solstice of year."""
    sol = local_date(ephem.next_solstice(ephem.Date(datetime.datetime(year, 12, 1))), tz)
    for i in range(len(moons) - 1):
        if moons[i][0] <= sol < moons[i + 1][0]:
            return i
    raise RuntimeError("no month 11 for %d" % year)


def has_major_term(a, b, tz):
    """Whether the month from date a to date b (excluded) holds a major term."""
    la = sun_longitude(local_midnight(a, tz))
    lb = sun_longitude(local_midnight(b, tz))
    return math.floor(la / 30.0) != math.floor(lb / 30.0)


def sui_months(moons, year, tz):
    """(lunar year, month, leap, (start, margin)) of the sui of year."""
    a = month11_index(moons, year, tz)
    b = month11_index(moons, year + 1, tz)
    leap = 0
    if b - a == 13:
        for i in range(1, 13):
            if not has_major_term(moons[a + i][0], moons[a + i + 1][0], tz):
                leap = i
                break
    out = []
    n = 0
    for i in range(b - a):
        is_leap = leap != 0 and i == leap
        if leap != 0 and i >= leap:
            n = i - 1
        else:
            n = i
        month = (10 + n) % 12 + 1
        out.append((year + (1 if n >= 2 else 0), month, int(is_leap), moons[a + i]))
    return out


def main():
    first, last, tz = 1900, 2100, 7.0
    if len(sys.argv) >= 3:
        first, last = int(sys.argv[1]), int(sys.argv[2])
    if len(sys.argv) >= 4:
        tz = float(sys.argv[3])
    moons = new_moons(first - 2, last + 1, tz)
    for year in range(first - 1, last + 1):
        for (ly, m, leap, (start, margin)) in sui_months(moons, year, tz):
            if first <= ly <= last:
                print("%d %d %d %s %.0f" % (ly, m, leap, start.isoformat(), margin))


if __name__ == "__main__":
    main()
