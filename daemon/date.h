#ifndef DATE_H
#define DATE_H

#include <stdint.h>
#include <time.h>

/*
 * A civil date is a day number: days since 1970-01-01 in the proleptic
 * Gregorian calendar.  Arithmetic on dates is integer arithmetic.
 */
typedef int32_t date_t;
#define DATE_NONE	INT32_MIN

date_t	 date_from_ymd(int, int, int);
void	 date_to_ymd(date_t, int *, int *, int *);
int	 date_valid(int, int, int);
int	 date_is_leap(int);
int	 date_days_in_month(int, int);
date_t	 date_last_of_month(int, int);
int	 date_weekday(date_t);		/* 0 Sunday .. 6 Saturday */
int	 date_year(date_t);
int	 date_parse_iso(const char *, date_t *);	/* YYYY-MM-DD; 0 or -1 */
int	 date_parse_user(const char *, date_t *);	/* ISO or dd/mm/yyyy */
void	 date_format_iso(date_t, char[11]);
void	 date_format_vn(date_t, char[11]);	/* dd/mm/yyyy */
const char *date_weekday_vn(date_t);	/* "Thứ Hai" .. "Chủ nhật" */
const char *date_weekday_en(date_t);

/* The clock: wall time, or a fixed instant set with --now. */
int	 date_parse_now(const char *, time_t *);	/* DATE[THH:MM[:SS]] */
void	 date_set_now(time_t);
/* A clock that starts at t and runs on (the daemon with --now). */
void	 date_set_running_now(time_t);
time_t	 date_now(void);
date_t	 date_today(void);			/* local date of date_now() */
date_t	 date_of_time(time_t);			/* local date of an instant */
time_t	 date_time_at(date_t, int, int);	/* local instant of date hh:mm */
int	 date_set_timezone(const char *);	/* 0 or -1 if unknown */
int	 date_known_timezone(const char *);	/* 1 if it could be set */

#endif
