#ifndef REMIND_H
#define REMIND_H

#include <time.h>

/*
 * The planning pass: which unit must be told what today (lead reminders,
 * due today, overdue repeats, escalations, the periodic ongoing section),
 * recorded as one planned digest per unit and day in the outbox, with the
 * day of the pass that keeps it from being said twice (see remind.c).
 */
struct calendar;
struct config;
struct store;

struct remind_stats {
	int	units;		/* digests queued */
	int	items;
	int	escalations;
	int	messages;	/* outbox rows added */
	int	skipped_units;	/* units with no address */
};

/* One pass at instant now; 0, or -1 and *cause (nothing written). */
int	 remind_pass(struct store *, const struct config *, struct calendar *,
	    time_t, struct remind_stats *, char **);
/* When the next pass after now is due (the next send time). */
time_t	 remind_next(const struct config *, struct calendar *, time_t);

#endif
