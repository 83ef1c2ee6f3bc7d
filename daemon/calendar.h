#ifndef CALENDAR_H
#define CALENDAR_H

#include <stddef.h>

#include "date.h"

/*
 * The working-day calendar: weekends, Vietnamese public holidays (Labour Code
 * 2019, art. 112) with compensatory days, and an overrides file for what only
 * the government can decide (the actual Tết block, swaps, make-up Saturdays).
 */
struct calendar;

enum calendar_rule {			/* day-off rule for deadlines */
	CALENDAR_NEXT,			/* Civil Code 2015, art. 148 */
	CALENDAR_PREVIOUS,
	CALENDAR_NONE
};

enum calendar_kind {
	CALENDAR_DAY_OFF,
	CALENDAR_WORKING_DAY		/* a make-up working day on a weekend */
};

enum calendar_origin {
	CALENDAR_COMPUTED,
	CALENDAR_OVERRIDE
};

struct calendar_options {
	unsigned	weekend;	/* bit (1 << weekday), 0 = Sunday */
	int		national_day_extra;	/* -1: 1/9 (default), +1: 3/9 */
	double		tz_hours;	/* lunar calendar zone, default 7 */
};

struct calendar_day {
	date_t			date;
	enum calendar_kind	kind;
	enum calendar_origin	origin;
	char			name[160];	/* Vietnamese, UTF-8 */
};

void	 calendar_default_options(struct calendar_options *);
struct calendar *calendar_new(const struct calendar_options *);
void	 calendar_free(struct calendar *);
/* Reads days-off.ini; on error fills *cause ("FILE:LINE: message" lines). */
int	 calendar_load_overrides(struct calendar *, const char *, char **);
/*
 * The warning when year is not decided (path: the file or ""), or NULL:
 * decided means the days-off file has a [YEAR] section, the government's
 * decisions of that year entered (a section may rightly be empty).
 * Without them the computed Tết block stands, which is not the one
 * decided, and no swapped day is known.
 */
char	*calendar_check_decided(const struct calendar *, const char *, int);

int	 calendar_is_working_day(struct calendar *, date_t);
/* 1 and the day's name if d is a day off other than a plain weekend. */
int	 calendar_holiday(struct calendar *, date_t, const char **);
date_t	 calendar_next_working_day(struct calendar *, date_t);	/* >= d */
date_t	 calendar_previous_working_day(struct calendar *, date_t); /* <= d */
/* Moves n working days from d (n < 0 goes back); n == 0 returns d. */
date_t	 calendar_add_working_days(struct calendar *, date_t, int);
/* Working days in (from, to]; negative when to < from. */
int	 calendar_working_days_between(struct calendar *, date_t, date_t);
date_t	 calendar_effective(struct calendar *, date_t, enum calendar_rule);
/* Weekend day names ("sat sun") to a bit mask; -1 if one is unknown. */
int	 calendar_weekend_mask(const char *);
/* Every day off (not plain weekends) and make-up day of a year; caller frees. */
size_t	 calendar_year(struct calendar *, int, struct calendar_day **);

#endif
