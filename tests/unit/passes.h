/*
 * The daemon's stages run once by a unit test, which fails on an error.
 */
#ifndef PASSES_H
#define PASSES_H

#include <time.h>

#include "calendar.h"
#include "date.h"
#include "dispatch.h"

struct config;
struct store;

/*
 * Schedules every task in the caller's transaction: the calendar and its
 * day-off rule, today, the horizon, past_import.
 */
void			 pass_schedule(struct store *, struct calendar *,
			     enum calendar_rule, date_t, date_t, int);

/* One dispatch pass at now with a fresh dispatcher; its counts. */
struct dispatch_stats	 pass_dispatch(struct store *, const struct config *,
			     time_t);

#endif
