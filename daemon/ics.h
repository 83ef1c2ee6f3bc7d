#ifndef ICS_H
#define ICS_H

#include <stddef.h>
#include <time.h>

#include "date.h"

/*
 * iCalendar (RFC 5545) feeds built with libical.  The caller fills a model
 * of borrowed strings; ics_render() returns the text, an ics_writer streams
 * it.  Every date is an
 * all-day date (VALUE=DATE), so no TZID and no VTIMEZONE is ever needed.
 */

/* One occurrence of a recurring event that moved (day-off rule) or is done. */
struct ics_instance {
	date_t		 nominal;	/* the date the rule produces */
	date_t		 effective;	/* the date it is due */
	int		 done;
	int		 overdue;
	const char	*url;		/* its own URL; NULL: the event's */
};

struct ics_event {
	const char	*uid;		/* stable across renders */
	const char	*summary;	/* title, without a done/overdue mark */
	const char	*description;	/* NULL: none */
	const char	*categories;	/* names split by , or ;  NULL: none */
	const char	*location;	/* NULL: none */
	const char	*url;		/* URL of the task's page; NULL: none */
	/* One-off: the effective due date; recurring: first nominal date. */
	date_t		 start;
	/* RRULE text without "RRULE:" and without UNTIL; NULL: one-off. */
	const char	*rrule;
	date_t		 until;		/* last nominal date; DATE_NONE: open */
	int		 sequence;
	int		 done;		/* one-off; instances have theirs */
	int		 overdue;	/* one-off only */
	time_t		 last_modified;	/* UTC instant; 0: none */
	const struct ics_instance *instances;
	size_t		 ninstances;
};

struct ics_feed {
	const char	*name;		/* X-WR-CALNAME */
	const char	*timezone;	/* X-WR-TIMEZONE: Asia/Ho_Chi_Minh */
	/*
	 * ORGANIZER of every VEVENT ("mailto:..."), which RFC 5546 requires
	 * with METHOD:PUBLISH; NULL: none (clients accept that too).
	 */
	const char	*organizer;
	const char	*organizer_name;	/* its CN; NULL: none */
	int		 refresh_minutes;	/* REFRESH-INTERVAL and TTL */
	/*
	 * A VALARM (DISPLAY) this many days before the all-day start of every
	 * event still to do (not done, not overdue); 0: none.
	 */
	int		 alarm_days;
	time_t		 dtstamp;	/* UTC instant of the render */
	int		 todo;		/* 1: one VTODO per occurrence */
	/* VTODO: last date for open rules; DATE_NONE: 31/12 of start's year. */
	date_t		 horizon;
	const struct ics_event *events;
	size_t		 n;
};

#define ICS_MAX_ALARM_DAYS	365

/* The dates a rule expands to, at most ICS_MAX_OCCURRENCES. */
#define ICS_MAX_OCCURRENCES	100000
struct ics_dates {
	date_t		*v;
	size_t		 n;
	size_t		 size;
	int		 overflow;	/* there were more */
};

/*
 * A memo of rule expansions.  Expanding a rule builds libical (and ICU)
 * iterators, tens of microseconds each, while the events of a feed share
 * few distinct rules and ranges: each is expanded once.
 */
struct ics_rules;

/* The feed as CRLF text of *len bytes; caller frees; NULL and *cause. */
char	*ics_render(const struct ics_feed *, size_t *, char **);

/*
 * The same text streamed, for feeds too large to hold: the header at
 * ics_writer_new (feed's events are ignored), events as they are added,
 * the footer at ics_writer_finish, which frees the writer.  The sink gets
 * chunks of about 64 KiB and returns 0, or -1 to fail the render.
 */
typedef int (*ics_sink)(const char *, size_t, void *);
struct ics_writer;
struct ics_writer *ics_writer_new(const struct ics_feed *, ics_sink, void *,
	    char **);
int	 ics_writer_add(struct ics_writer *, const struct ics_event *, size_t,
	    char **);
int	 ics_writer_finish(struct ics_writer *, char **);
void	 ics_writer_free(struct ics_writer *);	/* abandons; NULL is safe */
struct ics_rules *ics_rules_new(void);
void	 ics_rules_free(struct ics_rules *);	/* NULL is safe */
/*
 * The dates of a rule anchored at from, up to until (rule_expand's); owned
 * by the memo.  NULL and *cause for a bad rule.
 */
const struct ics_dates *ics_rules_expand(struct ics_rules *, const char *,
	    date_t, date_t, char **);
/*
 * A rule in the form libical, python-dateutil and ical.js expand alike: no
 * BYSETPOS, "day N or the last" as BYMONTHDAY=-1 or N where that is the
 * same; NULL when there is none (write explicit dates).  Caller frees.
 */
char	*ics_portable_rule(const char *);

#endif
