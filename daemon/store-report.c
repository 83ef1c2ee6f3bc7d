/* What reports and completion links read beyond occurrences. */
#include <stdlib.h>

#include "store.h"
#include "store-private.h"
#include "xmalloc.h"

char *
store_report_plan_title(struct store *s, const char *code)
{
	sqlite3_stmt	*st;
	char		*title = NULL;

	st = store_prepare(s, STMT_REPORT_PLAN_TITLE, "SELECT title FROM "
	    "plans WHERE code = ?1");
	store_bind_text(st, 1, code);
	if (sqlite3_step(st) == SQLITE_ROW && store_column_text(st, 0) != NULL)
		title = xstrdup(store_column_text(st, 0));
	sqlite3_reset(st);
	return (title);
}

int64_t
store_report_log_count(struct store *s, int64_t occurrence)
{
	sqlite3_stmt	*st;
	int64_t		 n = 0;

	st = store_prepare(s, STMT_REPORT_LOG_COUNT, "SELECT count(*) FROM "
	    "occurrence_log WHERE ?1 = 0 OR occurrence_id = ?1");
	sqlite3_bind_int64(st, 1, occurrence);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return (n);
}
