#ifndef SETUP_H
#define SETUP_H

#include "calendar.h"
#include "schedule.h"

/* Objects both programs build from a configuration. */
struct config;
struct units;

/* The working-day calendar with the overrides file; NULL and *cause. */
struct calendar	*setup_calendar(const struct config *, char **);
/* Scheduler options for today and the configured horizon. */
void		 setup_schedule(const struct config *, struct calendar *,
		     struct schedule_options *);
/*
 * The unit directory of [daemon] units_file, units without a language in
 * [reminders] default_lang; NULL and *cause.
 */
struct units	*setup_units(const struct config *, char **);

#endif
