#ifndef STORE_PRIVATE_H
#define STORE_PRIVATE_H

/* Shared by the store*.c files only: the handle and statement cache. */
#include <sqlite3.h>

#include "date.h"
#include "log.h"
#include "store.h"

enum store_stmt {
	STMT_DATA_VERSION,
	STMT_META_SET,
	STMT_HEARTBEAT,
	STMT_META_GET,
	STMT_FEED_STAMP,
	STMT_UNIT_ID,
	STMT_UNIT_BY_CODE,
	STMT_UNIT_GET,
	STMT_UNIT_DISABLE_WEBHOOK,
	STMT_UNIT_INSERT,
	STMT_UNIT_UPDATE,
	STMT_UNIT_RETIRE,
	STMT_UNIT_HISTORY,
	STMT_UNITS_ALL,
	STMT_UNITS_CODES,
	STMT_GROUP_CLEAR,
	STMT_GROUP_ADD,
	STMT_PLAN_ID,
	STMT_PLAN_STARTS,
	STMT_PLAN_UPSERT,
	STMT_PLAN_HAS_TASKS,
	STMT_TASK_FIND,
	STMT_TASK_INSERT,
	STMT_TASK_UPDATE,
	STMT_TASK_WITHDRAW,
	STMT_TASK_ASSIGN,
	STMT_TASK_UNASSIGN,
	STMT_TASKS,
	STMT_TASK_NOTES,
	STMT_SCHEDULE_TASKS,
	STMT_SCHEDULE_PLAN,
	STMT_TASK_SET_DUE,
	STMT_TASK_SET_RULE,
	STMT_TASKS_REVIEW,
	STMT_OCC_PAST,
	STMT_PLAN_PAST_TASKS,
	STMT_PLAN_SET_REPLY_TO,
	STMT_PLAN_REPLY_TO,
	STMT_OCC_MARK,
	STMT_OCC_UPSERT,
	STMT_OCC_SWEEP,
	STMT_OCC_GET,
	STMT_OCC_AGENDA,
	STMT_OCC_AGENDA_UNIT,
	STMT_OCC_UNDATED,
	STMT_OCC_SET_STATUS,
	STMT_OCC_LOG,
	STMT_OCC_SNOOZE,
	STMT_OCC_STAGE_WINDOW,
	STMT_TASKS_INACTIVE,
	STMT_OUTBOX_KEY_PREFIX,
	STMT_OUTBOX_INSERT,
	STMT_OUTBOX_LEASE,
	STMT_OUTBOX_RESULT,
	STMT_OUTBOX_DELIVERY,
	STMT_OUTBOX_LIST,
	STMT_OUTBOX_RETRY,
	STMT_OUTBOX_NEXT,
	STMT_OUTBOX_RENEW,
	STMT_OUTBOX_RELEASE,
	STMT_OUTBOX_COUNTS,
	STMT_NOTICE_GET,
	STMT_NOTICE_ADD,
	STMT_FEED_TOKEN,
	STMT_FEED_SET_TOKEN,
	STMT_FEED_ROWS,
	STMT_FEED_ROWS_UNIT,
	STMT_TASK_UNITS,
	STMT_REPORT_PLAN_TITLE,
	STMT_REPORT_TALLY,
	STMT_CONSOLE_OVERDUE,
	STMT_CONSOLE_TASKS,
	STMT_CONSOLE_TASK_TITLE,
	STMT_TASK_OCCURRENCES,
	STMT_OCC_EFFECTIVE,
	STMT_OCC_MOVE,
	STMT_OCC_EXTEND,
	STMT_OCC_VERSION,
	STMT_OCC_MOVES,
	STMT_HISTORY,
	STMT_REQUESTS,
	STMT_REQUEST_ADD,
	STMT_REQUEST_DECIDE,
	STMT_REQUEST_TOLD,
	STMT_CONSOLE_LOGIN_ADD,
	STMT_CONSOLE_LOGIN_GET,
	STMT_CONSOLE_LOGIN_USE,
	STMT_CONSOLE_SESSION_ADD,
	STMT_CONSOLE_SESSION_GET,
	STMT_CONSOLE_SESSIONS,
	STMT_CONSOLE_SESSION_REVOKE,
	STMT_CONSOLE_SESSION_END,
	STMT_UNIT_LINK_GET,
	STMT_UNIT_LINK_RENEW,
	STMT_PLANS,
	STMT_CHANGES_TOP,
	STMT_CHANGES_SINCE,
	STMT_CHANGES_PRUNE,
	STMT_FEED_UNIT_NAMES,
	STMT_REPORT_TALLY_UNIT,
	STMT_CONSOLE_OVERDUE_OF,
	STMT_NSTMTS_
};
#define STORE_NSTMTS	STMT_NSTMTS_

/* The number of planning passes made so far (see migration 4). */
#define STORE_PLAN_SEQ "coalesce((SELECT CAST(value AS INTEGER) FROM meta " \
	"WHERE key = 'plan_seq'), 0)"

struct store {
	sqlite3		*db;
	char		*path;
	sqlite3_stmt	*stmts[STORE_NSTMTS];
	sqlite3_stmt	*occ_batch;	/* STORE_OCC_BULK_ROWS rows */
	sqlite3_stmt	*occ_tail;	/* STORE_OCC_ROWS rows */
	sqlite3_stmt	*assign_batch;	/* STORE_ASSIGN_ROWS rows */
	char		 occ_dates[STORE_OCC_BULK_ROWS][2][11];	/* theirs */
	int		 bulk;		/* between store_bulk on and off */
	int		 cache_size;	/* to restore after store_bulk, or 0 */
};

int		 store_exec(struct store *, const char *, char **);
sqlite3_stmt	*store_prepare(struct store *, enum store_stmt, const char *);
/*
 * The statement that writes n rows: head ("INSERT INTO t (a, b) VALUES "),
 * n times row ("(?, ?)"), tail (its ON CONFLICT clause), prepared into
 * *slot the first time and reset after.  A statement of one row and one of
 * many are the same text, so they cannot drift apart.
 */
sqlite3_stmt	*store_prepare_rows(struct store *, sqlite3_stmt **,
		     const char *, const char *, size_t, const char *);
void		 store_bind_date(sqlite3_stmt *, int, date_t);
void		 store_bind_text(sqlite3_stmt *, int, const char *);
void		 store_bind_borrowed(sqlite3_stmt *, int, const char *);
date_t		 store_column_date(sqlite3_stmt *, int);
const char	*store_column_text(sqlite3_stmt *, int);
int		 store_step_done(struct store *, sqlite3_stmt *, char **);
/* Steps a write that must change a row; -1 and "no WHAT ID" if none. */
int		 store_step_changed(struct store *, sqlite3_stmt *,
		     const char *, int64_t, char **);
/* Fills *cause with the error of the last step; returns -1. */
int		 store_step_failed(struct store *, char **);

/*
 * Steps a statement that reads: 1 a row is ready, 0 no more rows, -1 and
 * *cause on anything else (an I/O error, a corrupt page, no memory, busy),
 * which is never taken for the end of the rows.  The caller resets st.
 * Inline: the planning pass steps once per open occurrence of its window,
 * and a call per row cost it 0.5% more instructions.
 */
static inline int
store_step_row(struct store *s, sqlite3_stmt *st, char **cause)
{
	int	rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return (1);
	if (rc == SQLITE_DONE)
		return (0);
	return (store_step_failed(s, cause));
}

/*
 * Steps a statement that reads one value and resets it: 1 and *v from
 * column 0 of its row, 0 when there is no row (*v untouched), -1 and
 * *cause on an error.
 */
int		 store_scalar(struct store *, sqlite3_stmt *, int64_t *,
		     char **);
/* The same for text: *v allocated, NULL for SQL NULL; caller frees. */
int		 store_scalar_text(struct store *, sqlite3_stmt *, char **,
		     char **);
void		 store_now_text(char[32]);

#endif
