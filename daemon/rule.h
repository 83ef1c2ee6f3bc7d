#ifndef RULE_H
#define RULE_H

#include "date.h"

/*
 * Recurrence through libical's RRULE engine, so that the feeds export
 * exactly the rule the scheduler expanded.  Rules are RFC 5545 recur text
 * without the "RRULE:" prefix and without DTSTART, e.g.
 * "FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=28,29,30;BYSETPOS=-1".
 * Only day rules: FREQ=DAILY or longer, no BYHOUR/BYMINUTE/BYSECOND.
 *
 * The iteration starts at the first day of the FREQ period (day, week,
 * month, year) that holds `from': INTERVAL, COUNT and the day a bare rule
 * takes from DTSTART (FREQ=MONTHLY alone is the 1st) count from there.
 * A DTSTART that does not match the rule is never reported.  libical 3.0.16
 * applies BYSETPOS per month for FREQ=MONTHLY with BYMONTH (checked in
 * test_rule.c against python-dateutil).
 */

typedef int (*rule_cb)(date_t, void *);	/* non-zero stops the expansion */

/* Calls fn for each occurrence in [from, until]; count, or -1 and *cause. */
int	 rule_expand(const char *, date_t, date_t, rule_cb, void *, char **);
int	 rule_check(const char *, char **);		/* 0 or -1 and *cause */
/* First occurrence in [from, until], or DATE_NONE. */
date_t	 rule_first(const char *, date_t, date_t);
/*
 * The rule for --every month|quarter|half-year|year with day N of the
 * period's last month (0: its last day; N beyond a short month: that
 * month's last day).  Caller frees; NULL and *cause on a bad name or day.
 */
char	*rule_every(const char *, int, char **);

#endif
