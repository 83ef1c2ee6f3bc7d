#ifndef SCHEDULE_H
#define SCHEDULE_H

#include "calendar.h"
#include "date.h"

/*
 * Materializes occurrences (task x assigned unit x due date) from tasks:
 * one-off dates and recurrence rules, moved by the day-off rule (the
 * task's own, "previous" for "trước X", else the configured one).
 * Idempotent: running it twice changes nothing; a changed rule regenerates
 * the open occurrences from `today` on and leaves history alone.
 */
struct store;

struct schedule_stats {
	int	tasks;
	int	occurrences;
	int	removed;
};

struct schedule_options {
	struct calendar		*calendar;
	enum calendar_rule	 rule;
	date_t			 today;
	date_t			 horizon;	/* last nominal date to create */
	int			 past_import;	/* not 0: the import's plan
						   generation, marked on new
						   occurrences due before
						   today (see store.h) */
};

/* Schedules the active tasks of a plan (NULL: all); inside a transaction. */
int	schedule_plan(struct store *, const char *, const struct
	    schedule_options *, struct schedule_stats *, char **);
int	schedule_task(struct store *, int64_t, const struct schedule_options *,
	    struct schedule_stats *, char **);

#endif
