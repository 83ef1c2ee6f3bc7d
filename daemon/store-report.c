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
