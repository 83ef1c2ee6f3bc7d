/* Occurrences from tasks: expansion, the day-off rule, regeneration. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rule.h"
#include "schedule.h"
#include "store.h"
#include "xmalloc.h"

/*
 * Expansions already done in this run: libical's iterator (through ICU)
 * costs most of the time, and a plan has few distinct rules and ranges.
 */
#define SCHEDULE_MEMO_MAX	64

struct schedule_memo {
	char	*rrule;
	date_t	 from;
	date_t	 until;
	date_t	*dates;
	size_t	 ndates;
};

struct schedule_task_state {
	struct store			*store;
	const struct schedule_options	*opt;
	struct schedule_stats		*stats;
	const struct store_schedule_task *task;	/* being scheduled */
	date_t				*dates;
	size_t				 ndates;
	struct store_occ_row		*rows;	/* not written yet */
	size_t				 nrows;
	size_t				 rows_size;
	char				*cause;
	int				 failed;
	struct schedule_memo		 memo[SCHEDULE_MEMO_MAX];
	size_t				 nmemo;
	size_t				 next_memo;	/* replaced next when full */
};

/* Collects one nominal date of a rule. */
static int
schedule_collect_date(date_t d, void *arg)
{
	struct schedule_task_state	*ts = arg;

	ts->dates = xreallocarray(ts->dates, ts->ndates + 1,
	    sizeof *ts->dates);
	ts->dates[ts->ndates++] = d;
	return (0);
}

/* The memo of an expansion, or NULL. */
static struct schedule_memo *
schedule_memo_find(struct schedule_task_state *ts, const char *rrule,
    date_t from, date_t until)
{
	size_t	i;

	for (i = 0; i < ts->nmemo; i++)
		if (ts->memo[i].from == from && ts->memo[i].until == until &&
		    strcmp(ts->memo[i].rrule, rrule) == 0)
			return (&ts->memo[i]);
	return (NULL);
}

/* Remembers the dates just expanded (ts->dates) for rrule and range. */
static void
schedule_memo_add(struct schedule_task_state *ts, const char *rrule,
    date_t from, date_t until)
{
	struct schedule_memo	*m;

	if (ts->nmemo < SCHEDULE_MEMO_MAX)
		m = &ts->memo[ts->nmemo++];
	else {
		m = &ts->memo[ts->next_memo];
		ts->next_memo = (ts->next_memo + 1) % SCHEDULE_MEMO_MAX;
		free(m->rrule);
		free(m->dates);
	}
	m->rrule = xstrdup(rrule);
	m->from = from;
	m->until = until;
	m->ndates = ts->ndates;
	m->dates = xreallocarray(NULL, ts->ndates + 1, sizeof *m->dates);
	/* No dates (all before the plan's start): ts->dates may be NULL. */
	if (ts->ndates > 0)
		memcpy(m->dates, ts->dates, ts->ndates * sizeof *m->dates);
}

/* Frees the memo. */
static void
schedule_memo_clear(struct schedule_task_state *ts)
{
	size_t	i;

	for (i = 0; i < ts->nmemo; i++) {
		free(ts->memo[i].rrule);
		free(ts->memo[i].dates);
	}
	ts->nmemo = ts->next_memo = 0;
}

/* The nominal dates of a task up to the horizon. */
static int
schedule_dates(struct schedule_task_state *ts,
    const struct store_schedule_task *t)
{
	struct schedule_memo	*m;
	date_t			 until;

	if (strcmp(t->kind, "once") == 0) {
		if (t->due != DATE_NONE)
			schedule_collect_date(t->due, ts);
		return (0);
	}
	if (strcmp(t->kind, "recurring") != 0 || t->rrule == NULL ||
	    t->starts == DATE_NONE)
		return (0);
	until = t->ends;
	if (until == DATE_NONE || until > ts->opt->horizon)
		until = ts->opt->horizon;
	if ((m = schedule_memo_find(ts, t->rrule, t->starts, until)) != NULL) {
		ts->dates = xreallocarray(ts->dates, m->ndates + 1,
		    sizeof *ts->dates);
		memcpy(ts->dates, m->dates, m->ndates * sizeof *ts->dates);
		ts->ndates = m->ndates;
		return (0);
	}
	if (rule_expand(t->rrule, t->starts, until, schedule_collect_date, ts,
	    &ts->cause) < 0)
		return (-1);
	schedule_memo_add(ts, t->rrule, t->starts, until);
	return (0);
}

/*
 * Writes the occurrences gathered so far: all of them, or (all 0) only as
 * many as fill whole statements, keeping the rest for later.
 */
static int
schedule_flush(struct schedule_task_state *ts, int all)
{
	size_t	n = ts->nrows;

	if (!all)
		n -= n % store_occ_batch_rows(ts->store);
	if (n == 0)
		return (0);
	if (store_occ_upsert_rows(ts->store, ts->rows, n, &ts->cause) != 0)
		return (-1);
	ts->nrows -= n;
	memmove(ts->rows, ts->rows + n, ts->nrows * sizeof *ts->rows);
	return (0);
}

/* The day-off rule of a task: its own, else the configured one. */
static enum calendar_rule
schedule_rule(const struct schedule_options *opt, const char *dayoff)
{
	if (dayoff != NULL && strcmp(dayoff, "previous") == 0)
		return (CALENDAR_PREVIOUS);
	if (dayoff != NULL && strcmp(dayoff, "next") == 0)
		return (CALENDAR_NEXT);
	return (opt->rule);
}

/*
 * Gathers the occurrences of one task and sweeps the stale ones.  A task
 * with no occurrence yet has nothing to mark or sweep (rows created now
 * are unmarked), which saves two statements for each new task, and its
 * rows can wait to be written with the next tasks', many to a statement:
 * nothing else touches them in between, and the order, which numbers them,
 * stays date by date and unit by unit.  A task that has occurrences has
 * the rows gathered before it written first, and its own before its sweep.
 * (A failure to write is reported with the task at hand, which may not be
 * the one whose row failed; every caller rolls the transaction back.)
 */
static int
schedule_write(struct schedule_task_state *ts)
{
	const struct store_schedule_task	*t = ts->task;
	struct calendar				*cal = ts->opt->calendar;
	struct store_occ_row			*r;
	enum calendar_rule			 rule;
	date_t					 eff;
	int					 past;
	size_t					 i, j, n;
	int					 removed = 0;

	if (t->has_occurrences && (schedule_flush(ts, 1) != 0 ||
	    store_occ_mark(ts->store, t->id, ts->opt->today,
	    &ts->cause) != 0))
		return (-1);
	n = ts->nrows + ts->ndates * t->nunits;
	if (n > ts->rows_size) {
		ts->rows = xreallocarray(ts->rows, n, sizeof *ts->rows);
		ts->rows_size = n;
	}
	r = ts->rows + ts->nrows;
	rule = schedule_rule(ts->opt, t->dayoff);
	for (i = 0; i < ts->ndates; i++) {
		eff = calendar_effective(cal, ts->dates[i], rule);
		past = eff < ts->opt->today ? ts->opt->past_import : 0;
		for (j = 0; j < t->nunits; j++, r++) {
			r->task_id = t->id;
			r->unit_id = t->units[j];
			r->nominal = ts->dates[i];
			r->effective = eff;
			r->past_import = past;
		}
	}
	ts->stats->occurrences += (int)(n - ts->nrows);
	ts->nrows = n;
	if (t->has_occurrences && (schedule_flush(ts, 1) != 0 ||
	    store_occ_sweep(ts->store, t->id, &removed, &ts->cause) != 0))
		return (-1);
	ts->stats->removed += removed;
	return (schedule_flush(ts, 0));
}

/* Schedules one active task. */
static int
schedule_one(const struct store_schedule_task *t, void *arg)
{
	struct schedule_task_state	*ts = arg;
	int				 rc;

	ts->task = t;
	ts->ndates = 0;
	rc = schedule_dates(ts, t);
	if (rc == 0)
		rc = schedule_write(ts);
	if (rc != 0) {
		char *c = ts->cause;
		xasprintf(&ts->cause, "task %s %s: %s", t->plan_code, t->ref,
		    c != NULL ? c : "failed");
		free(c);
		ts->failed = 1;
		return (-1);
	}
	ts->stats->tasks++;
	return (0);
}

/* Runs schedule_one over a listing and reports the first failure. */
static int
schedule_run(struct store *s, const char *plan, int64_t task_id,
    const struct schedule_options *opt, struct schedule_stats *stats,
    char **cause)
{
	struct schedule_task_state	ts;

	memset(&ts, 0, sizeof ts);
	memset(stats, 0, sizeof *stats);
	ts.store = s;
	ts.opt = opt;
	ts.stats = stats;
	if (store_schedule_tasks(s, plan, task_id, schedule_one, &ts,
	    &ts.cause) != 0)
		ts.failed = 1;
	if (!ts.failed && schedule_flush(&ts, 1) != 0) {
		char *c = ts.cause;
		xasprintf(&ts.cause, "writing occurrences: %s", c);
		free(c);
		ts.failed = 1;
	}
	schedule_memo_clear(&ts);
	free(ts.dates);
	free(ts.rows);
	if (ts.failed) {
		*cause = ts.cause;
		return (-1);
	}
	free(ts.cause);
	return (0);
}

int
schedule_plan(struct store *s, const char *plan,
    const struct schedule_options *opt, struct schedule_stats *stats,
    char **cause)
{
	return (schedule_run(s, plan, 0, opt, stats, cause));
}

int
schedule_task(struct store *s, int64_t task_id,
    const struct schedule_options *opt, struct schedule_stats *stats,
    char **cause)
{
	return (schedule_run(s, NULL, task_id, opt, stats, cause));
}
