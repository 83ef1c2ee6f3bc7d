/*
 * Recurrence rules expanded by libical.  The rule has no DTSTART of its own:
 * the iteration starts at the beginning of the period (day, week, month or
 * year of FREQ) that contains the first date asked for, so INTERVAL, COUNT
 * and the days a bare rule inherits from DTSTART (a FREQ=MONTHLY without
 * BYMONTHDAY falls on the 1st) count from there.  Some libical versions
 * return DTSTART as the first instance even when it does not match the rule
 * (3.0.16 does not, and does not count it in COUNT either); such a DTSTART
 * is checked against the rule and dropped if it is not a real one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libical/ical.h>

#include "rule.h"
#include "xmalloc.h"

/* The state of rule_first's callback. */
struct rule_first_state {
	date_t	found;
};

/* The libical date of day d. */
static struct icaltimetype
rule_icaldate(date_t d)
{
	struct icaltimetype	t;
	int			y, m, day;

	/* Not icaltime_null_date(): its -1 hours make libical repeat dates. */
	memset(&t, 0, sizeof t);
	date_to_ymd(d, &y, &m, &day);
	t.year = y;
	t.month = m;
	t.day = day;
	t.is_date = 1;
	return (t);
}

/* The day of a libical time. */
static date_t
rule_date(struct icaltimetype t)
{
	return (date_from_ymd(t.year, t.month, t.day));
}

/* Parses rule text, refusing what is not a date rule; -1 and *cause. */
static int
rule_parse(const char *text, struct icalrecurrencetype *rt, char **cause)
{
	if (text == NULL || *text == '\0' ||
	    strncasecmp(text, "RRULE:", 6) == 0) {
		xasprintf(cause, "bad recurrence rule: \"%s\" (expected "
		    "FREQ=...;... without RRULE:)", text != NULL ? text : "");
		return (-1);
	}
	icalerror_clear_errno();
	*rt = icalrecurrencetype_from_string(text);
	if (rt->freq == ICAL_NO_RECURRENCE) {
		xasprintf(cause, "bad recurrence rule: \"%s\"", text);
		icalerror_clear_errno();
		return (-1);
	}
	if (rt->freq < ICAL_DAILY_RECURRENCE ||
	    rt->by_hour[0] != ICAL_RECURRENCE_ARRAY_MAX ||
	    rt->by_minute[0] != ICAL_RECURRENCE_ARRAY_MAX ||
	    rt->by_second[0] != ICAL_RECURRENCE_ARRAY_MAX) {
		xasprintf(cause, "bad recurrence rule: \"%s\" (deadlines are "
		    "days: FREQ=DAILY or longer, no BYHOUR, BYMINUTE, "
		    "BYSECOND)", text);
		return (-1);
	}
	return (0);
}

/* The first day of the period of FREQ, shifted back by n periods. */
static date_t
rule_period_start(const struct icalrecurrencetype *rt, date_t d, int n)
{
	int	y, m, day, wkst;

	date_to_ymd(d, &y, &m, &day);
	switch (rt->freq) {
	case ICAL_YEARLY_RECURRENCE:
		return (date_from_ymd(y - n, 1, 1));
	case ICAL_MONTHLY_RECURRENCE:
		m -= n % 12;
		y -= n / 12;
		if (m < 1) {
			m += 12;
			y--;
		}
		return (date_from_ymd(y, m, 1));
	case ICAL_WEEKLY_RECURRENCE:
		wkst = rt->week_start == ICAL_NO_WEEKDAY ? 1 :
		    (int)rt->week_start - 1;
		d -= (date_weekday(d) - wkst + 7) % 7;
		return (d - 7 * n);
	default:
		return (d - n);
	}
}

/*
 * Whether dtstart is an instance of the rule in its own right: expand from
 * one INTERVAL earlier, where the same phase holds, and look for it.
 */
static int
rule_dtstart_matches(struct icalrecurrencetype rt, date_t dtstart)
{
	icalrecur_iterator	*it;
	struct icaltimetype	 t;
	date_t			 d = DATE_NONE;
	int			 interval = rt.interval > 0 ? rt.interval : 1;

	rt.count = 0;
	rt.until = icaltime_null_time();
	it = icalrecur_iterator_new(rt,
	    rule_icaldate(rule_period_start(&rt, dtstart, interval)));
	if (it == NULL)
		return (0);
	for (;;) {
		t = icalrecur_iterator_next(it);
		if (icaltime_is_null_time(t) || (d = rule_date(t)) >= dtstart)
			break;
	}
	icalrecur_iterator_free(it);
	return (d == dtstart);
}

/* Makes the iterator of the rule for a range starting at from. */
static icalrecur_iterator *
rule_iterator(const char *text, struct icalrecurrencetype rt, date_t from,
    date_t *dtstart, int *skip, char **cause)
{
	icalrecur_iterator	*it;

	*dtstart = rule_period_start(&rt, from, 0);
	*skip = !rule_dtstart_matches(rt, *dtstart);
	icalerror_clear_errno();
	it = icalrecur_iterator_new(rt, rule_icaldate(*dtstart));
	if (it == NULL) {
		xasprintf(cause, "bad recurrence rule: \"%s\" (%s)", text,
		    icalerror_strerror(icalerrno));
		icalerror_clear_errno();
	}
	return (it);
}

/* Calls fn for each occurrence in [from, until]; count, or -1 and *cause. */
int
rule_expand(const char *text, date_t from, date_t until, rule_cb fn,
    void *arg, char **cause)
{
	struct icalrecurrencetype	 rt;
	icalrecur_iterator		*it;
	struct icaltimetype		 t;
	date_t				 dtstart, d;
	int				 skip, n = 0;

	if (rule_parse(text, &rt, cause) != 0)
		return (-1);
	if (until < from)
		return (0);
	if ((it = rule_iterator(text, rt, from, &dtstart, &skip, cause)) ==
	    NULL)
		return (-1);
	for (;;) {
		t = icalrecur_iterator_next(it);
		if (icaltime_is_null_time(t) || (d = rule_date(t)) > until)
			break;
		if (d < from || (skip && d == dtstart))
			continue;
		n++;
		if (fn != NULL && fn(d, arg) != 0)
			break;
	}
	icalrecur_iterator_free(it);
	return (n);
}

/* Whether text is a usable rule; 0, or -1 and *cause. */
int
rule_check(const char *text, char **cause)
{
	struct icalrecurrencetype	 rt;
	icalrecur_iterator		*it;
	date_t				 dtstart;
	int				 skip;

	if (rule_parse(text, &rt, cause) != 0)
		return (-1);
	it = rule_iterator(text, rt, date_from_ymd(2000, 1, 1), &dtstart,
	    &skip, cause);
	if (it == NULL)
		return (-1);
	icalrecur_iterator_free(it);
	return (0);
}

/* rule_first's callback: keeps the first date and stops. */
static int
rule_first_cb(date_t d, void *arg)
{
	struct rule_first_state	*st = arg;

	st->found = d;
	return (1);
}

/* The first occurrence in [from, until], or DATE_NONE. */
date_t
rule_first(const char *text, date_t from, date_t until)
{
	struct rule_first_state	 st = { DATE_NONE };
	char			*cause = NULL;

	if (rule_expand(text, from, until, rule_first_cb, &st, &cause) < 0)
		free(cause);
	return (st.found);
}

/* The BYMONTHDAY part for day n of a month (0: the last day). */
static const char *
rule_month_day(int day, char *buf, size_t len)
{
	if (day == 0 || day == 31)
		return ("BYMONTHDAY=28,29,30,31;BYSETPOS=-1");
	if (day == 30)
		return ("BYMONTHDAY=28,29,30;BYSETPOS=-1");
	if (day == 29)
		return ("BYMONTHDAY=28,29;BYSETPOS=-1");
	snprintf(buf, len, "BYMONTHDAY=%d", day);
	return (buf);
}

/* The rule text for every period on day N of its last month; caller frees. */
char *
rule_every(const char *period, int day, char **cause)
{
	static const struct {
		const char	*name;
		const char	*prefix;
	} periods[] = {
		{ "month", "FREQ=MONTHLY;" },
		{ "quarter", "FREQ=MONTHLY;BYMONTH=3,6,9,12;" },
		{ "half-year", "FREQ=MONTHLY;BYMONTH=6,12;" },
		{ "year", "FREQ=YEARLY;BYMONTH=12;" },
	};
	char	 buf[32], *rule;
	size_t	 i;

	for (i = 0; i < sizeof periods / sizeof periods[0]; i++) {
		if (strcmp(period, periods[i].name) == 0)
			break;
	}
	if (i == sizeof periods / sizeof periods[0]) {
		xasprintf(cause, "unknown period: %s (month, quarter, "
		    "half-year or year)", period);
		return (NULL);
	}
	if (day < 0 || day > 31) {
		xasprintf(cause, "bad day of the month: %d (0 to 31, 0 for the "
		    "last day)", day);
		return (NULL);
	}
	if (strcmp(period, "year") == 0)
		xasprintf(&rule, "%sBYMONTHDAY=%d", periods[i].prefix,
		    day == 0 ? 31 : day);
	else
		xasprintf(&rule, "%s%s", periods[i].prefix,
		    rule_month_day(day, buf, sizeof buf));
	return (rule);
}
