/*
 * What changed since a reader last looked (migration 11): the console's
 * kept pages and the feed files are made again for the units named, not
 * for every unit, and not at all for a commit that changed none of them
 * (a session, the outbox, a heartbeat).
 */
#include <stdlib.h>

#include "store.h"
#include "store-private.h"

/* The last number the change log gave, or -1 and *cause. */
static int64_t
store_changes_top(struct store *s, char **cause)
{
	sqlite3_stmt	*st;
	int64_t		 top = 0;

	st = store_prepare(s, STMT_CHANGES_TOP, "SELECT seq FROM "
	    "sqlite_sequence WHERE name = 'changes'");
	if (store_scalar(s, st, &top, cause) < 0)
		return (-1);
	return (top);
}

int
store_changes_since(struct store *s, int64_t since, int64_t *last,
    store_change_cb fn, void *arg, char **cause)
{
	sqlite3_stmt	*st;
	int64_t		 top, seq, expect = since + 1;
	int		 rc, stop = 0;

	if ((top = store_changes_top(s, cause)) < 0)
		return (-1);
	*last = top;
	/* Never read, or a log that went back (another database). */
	if (since < 0 || since > top)
		return (fn(0, 0, arg) < 0 ? -1 : 0);
	st = store_prepare(s, STMT_CHANGES_SINCE, "SELECT seq, unit_id, "
	    "task_id FROM changes WHERE seq > ?1 ORDER BY seq");
	sqlite3_bind_int64(st, 1, since);
	while (stop == 0 && (rc = store_step_row(s, st, cause)) == 1) {
		seq = sqlite3_column_int64(st, 0);
		if (seq > *last)
			*last = seq;
		/* A number missing was pruned: some changes are not known. */
		if (seq != expect++ || sqlite3_column_type(st, 1) ==
		    SQLITE_NULL)
			stop = fn(0, 0, arg);
		else
			stop = fn(sqlite3_column_int64(st, 1),
			    sqlite3_column_int64(st, 2), arg);
	}
	sqlite3_reset(st);
	if (stop < 0 || (stop == 0 && rc < 0))
		return (-1);
	return (0);
}

int
store_changes_prune(struct store *s, int64_t keep, char **cause)
{
	sqlite3_stmt	*st;

	st = store_prepare(s, STMT_CHANGES_PRUNE, "DELETE FROM changes "
	    "WHERE seq <= (SELECT max(seq) FROM changes) - ?1");
	sqlite3_bind_int64(st, 1, keep);
	return (store_step_done(s, st, cause));
}
