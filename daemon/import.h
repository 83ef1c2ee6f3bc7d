#ifndef IMPORT_H
#define IMPORT_H

#include <stddef.h>

#include "schedule.h"

/*
 * deadlinectl import: a plan document into tasks, assignments and
 * occurrences, in one transaction, with a report of everything the
 * reader could not place.  Importing again updates in place by reference.
 */
struct store;
struct units;

struct import_options {
	const char			*path;
	const char			*plan_code;	/* NULL: from the document's
							   number, or its file
							   name */
	const char			*sheet;		/* NULL: the first with a
							   plan */
	int				 year;		/* 0: from the document */
	date_t				 from;		/* DATE_NONE: the document's
							   date, else today */
	const char			*coordinator;	/* unit code */
	int				 period_day;
	int				 dry_run;
	const struct schedule_options	*schedule;
};

enum import_issue_kind {
	IMPORT_UNMATCHED_UNIT,
	IMPORT_UNPARSED_TIME,
	IMPORT_BULLET_MISMATCH,
	IMPORT_UNKNOWN_COLUMN,		/* kept in the notes only */
	IMPORT_PARTIAL_TIME,	/* read, with words left over: flagged */
	IMPORT_PAST_DEADLINE	/* due before the import: not chased */
};

struct import_issue {
	enum import_issue_kind	 kind;
	char			*ref;
	unsigned		 line;
	char			*text;
	char			*detail;	/* words left over, a date; or NULL */
};

/* Where the plan's start date came from. */
enum import_start {
	IMPORT_START_DOCUMENT,	/* its place-and-date line */
	IMPORT_START_OPTION,	/* import --from */
	IMPORT_START_TODAY,	/* the day of the import */
	IMPORT_START_KEPT	/* the day of an earlier import */
};

struct import_report {
	char			*plan_code;
	char			*number;	/* the document's, or NULL */
	int			 year;
	date_t			 starts;	/* the plan's first day */
	enum import_start	 starts_from;
	int			 partial;	/* tasks read in part */
	int			 unparsed;	/* tasks not read */
	int			 past;		/* tasks due before the import */
	int			 rows;		/* task rows of the table */
	int			 bullets;	/* row bullets (pairs) */
	int			 tasks;		/* tasks written */
	int			 kinds[5];	/* by timeexpr kind */
	int			 added;
	int			 changed;
	int			 unchanged;
	int			 withdrawn;
	int			 unit_phrases;
	int			 unit_matched;
	int			 occurrences;
	struct import_issue	*issues;
	size_t			 nissues;
};

/* 0, or -1 and *cause with the report cleared; the report: caller clears. */
int	 import_plan(struct store *, const struct units *,
	    const struct import_options *, struct import_report *, char **);
void	 import_report_clear(struct import_report *);
const char *import_issue_name(enum import_issue_kind);
const char *import_start_name(enum import_start);	/* "document", ... */
/* A plan code from a file name: basename without extension, [a-z0-9-]. */
char	*import_code_from_path(const char *);	/* caller frees */

#endif
