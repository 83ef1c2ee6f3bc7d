#ifndef REPORT_H
#define REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "date.h"

/*
 * On-time reports per unit over a period (year, half, quarter, month).
 *
 * An occurrence belongs to the period when its EFFECTIVE due date (after
 * the day-off rule) falls in it.  For each unit, as of the report's day
 * (today, or --now):
 *
 *	due		occurrences due in the period
 *	on_time		done, and done_on <= effective
 *	late		done, and done_on > effective
 *	late_days	sum over late occurrences of the working days in
 *			(effective, done_on], at least 1 each
 *	late_avg	late_days / late, one decimal (empty when late = 0)
 *	overdue		still open, effective < today
 *	overdue_days	sum over overdue occurrences of the working days in
 *			(effective, today], at least 1 each
 *	not_yet_due	still open, effective >= today
 *	waived		waived (excused); not counted in the rate
 *	extended	of the due, those whose date an extension moved: each
 *			is counted against its new date, in the period of
 *			that date, like any other
 *	rate		100 * on_time / (due - waived - not_yet_due), that is
 *			100 * on_time / (on_time + late + overdue), rounded
 *			half up to one decimal; empty (JSON null) when the
 *			denominator is 0
 *	undated		active ongoing, on-event and unparsed assignments of
 *			the unit: no due date to be late against, listed apart
 *			and counted in nothing else
 *
 * Units are ranked by rate, highest first, units without a rate last,
 * then by unit code.  The total row (unit TOTAL) sums every unit and
 * computes its rate and late_avg from those sums.
 */
struct calendar;
struct config;
struct store;

enum report_span {
	REPORT_YEAR,
	REPORT_HALF,
	REPORT_QUARTER,
	REPORT_MONTH
};

struct report_period {
	enum report_span span;
	int		 year;
	int		 n;		/* half, quarter or month number */
	date_t		 from;
	date_t		 to;
	char		 key[24];	/* "2024", "2024-H1", "2024-Q2", "2024-05" */
	char		 label[40];	/* "quý II/2024", "tháng 05/2024" */
};

struct report_options {
	struct report_period	 period;
	const char		*unit;	/* unit code or NULL */
	const char		*plan;	/* plan code or NULL */
	date_t			 today;
};

struct report_row {
	char	*unit;
	char	*name;
	int	 due;
	int	 on_time;
	int	 late;
	int	 late_days;
	int	 overdue;
	int	 overdue_days;
	int	 not_yet_due;
	int	 waived;
	int	 extended;
	int	 undated;
	int	 rate10;	/* rate in tenths of a percent, -1: none */
	int	 late_avg10;	/* late_avg in tenths of a day, -1: none */
};

struct report {
	struct report_period	 period;
	char			*plan;		/* NULL: every plan */
	char			*plan_title;	/* or NULL */
	date_t			 today;
	struct report_row	*rows;		/* ranked */
	size_t			 n;
	struct report_row	 total;
};

/*
 * Working days in (a, b] (calendar_working_days_between), looked up in a
 * table of the days in [lo, hi] made once, for the many occurrences a
 * report or the overdue page counts; days outside it are counted by the
 * calendar.  report_workdays_clear frees the table.
 */
struct report_workdays {
	struct calendar	*cal;
	date_t		 lo;
	size_t		 n;
	int		*cum;		/* cum[i]: working days in (lo, lo + i] */
};
void	 report_workdays_init(struct report_workdays *, struct calendar *,
	    date_t, date_t);
int	 report_workdays(const struct report_workdays *, date_t, date_t);
void	 report_workdays_clear(struct report_workdays *);

/* "2024", "2024-H1", "2024-Q2" or "2024-05"; 0 or -1. */
int	 report_parse_period(const char *, struct report_period *);
void	 report_period_set(struct report_period *, enum report_span, int, int);
/* Builds a report; 0, or -1 and *cause.  report_clear frees it. */
int	 report_build(struct store *, struct calendar *,
	    const struct report_options *, struct report *, char **);
void	 report_clear(struct report *);
/*
 * A report built for every unit (no unit option) brought up to date for
 * the units of the ids given, when only their occurrences changed since
 * it was built: the same report report_build would give now.  0, or -1
 * and *cause (the report is then to be built again).
 */
int	 report_update(struct store *, struct calendar *, struct report *,
	    const int64_t *, size_t, char **);
/* Sums the total and ranks the rows again after they changed. */
void	 report_rank(struct report *);
/*
 * Renderings; caller frees.  Text is Vietnamese, for the terminal (the
 * mail's narrower table is report-mail.c's).
 */
char	*report_render_text(const struct report *);
char	*report_render_csv(const struct report *);
char	*report_render_json(const struct report *);
/*
 * Queues the scheduled reports ([report] schedule, to) that are due at
 * now: on (or, after downtime, after) the first working day of the month
 * or quarter following the period, once per period and recipient.
 */
int	 report_queue_due(struct store *, const struct config *,
	    struct calendar *, time_t, int *, char **);

#endif
