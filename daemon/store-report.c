/* What reports and completion links read beyond occurrences. */
#include <stdlib.h>

#include "store.h"
#include "store-private.h"
#include "xmalloc.h"

int
store_report_plan_title(struct store *s, const char *code, char **title,
    char **cause)
{
	sqlite3_stmt	*st;

	*title = NULL;
	st = store_prepare(s, STMT_REPORT_PLAN_TITLE, "SELECT title FROM "
	    "plans WHERE code = ?1");
	store_bind_text(st, 1, code);
	return (store_scalar_text(s, st, title, cause) < 0 ? -1 : 0);
}

int64_t
store_report_log_count(struct store *s, int64_t occurrence)
{
	sqlite3_stmt	*st;
	int64_t		 n = -1;

	st = store_prepare(s, STMT_REPORT_LOG_COUNT, "SELECT count(*) FROM "
	    "occurrence_log WHERE ?1 = 0 OR occurrence_id = ?1");
	sqlite3_bind_int64(st, 1, occurrence);
	store_scalar(s, st, &n, NULL);
	return (n);
}
