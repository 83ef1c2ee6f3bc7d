#ifndef LUNAR_H
#define LUNAR_H

#include "date.h"

/*
 * The Vietnamese lunisolar calendar, computed from astronomical formulas
 * (new moons and solar longitude after Meeus) for a given time zone: +7 for
 * Vietnam, +8 gives the Chinese calendar.  Verified against PyEphem for the
 * lunar years 1900-2100.
 */
struct lunar_date {
	int	year;
	int	month;		/* 1..12 */
	int	day;		/* 1..30 */
	int	leap;		/* 1 if the month is the leap (intercalary) one */
};

int	 lunar_from_solar(date_t, double, struct lunar_date *);	/* 0 or -1 */
date_t	 lunar_to_solar(const struct lunar_date *, double);	/* or DATE_NONE */
date_t	 lunar_new_year(int, double);		/* solar date of lunar 1/1 */
/* Days (29 or 30) of lunar month (year, month, leap); 0 if no such month. */
int	 lunar_month_length(int, int, int, double);

#endif
