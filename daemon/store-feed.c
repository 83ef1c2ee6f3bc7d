/* What the calendar feeds read: dated occurrences with their task. */
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "store-private.h"
#include "xmalloc.h"

/* Fills a feed row from the current row of st. */
static void
store_feed_row(sqlite3_stmt *st, struct store_feed_row *r)
{
	memset(r, 0, sizeof *r);
	r->task_id = sqlite3_column_int64(st, 0);
	r->unit_id = sqlite3_column_int64(st, 1);
	r->unit_code = store_column_text(st, 2);
	r->unit_name = store_column_text(st, 3);
	r->plan_code = store_column_text(st, 4);
	r->ref = store_column_text(st, 5);
	r->section = store_column_text(st, 6);
	r->category = store_column_text(st, 7);
	r->title = store_column_text(st, 8);
	r->content = store_column_text(st, 9);
	r->time_text = store_column_text(st, 10);
	r->kind = store_column_text(st, 11);
	r->rrule = store_column_text(st, 12);
	r->due = store_column_date(st, 13);
	r->starts = store_column_date(st, 14);
	r->ends = store_column_date(st, 15);
	r->revision = sqlite3_column_int(st, 16);
	r->nominal = store_column_date(st, 17);
	r->effective = store_column_date(st, 18);
	r->status = store_column_text(st, 19);
	r->sequence = sqlite3_column_int(st, 20);
}

int
store_feed_rows(struct store *s, const char *unit, store_feed_cb fn,
    void *arg, char **cause)
{
	struct store_feed_row	 r;
	sqlite3_stmt		*st;
	int			 rc = 0;

	/*
	 * A unit's or group's feed reads its occurrences by unit (index
	 * occurrences_unit), not every row: with a million occurrences and a
	 * thousand feeds a scan per feed is a billion rows.
	 */
#define STORE_FEED_SELECT "SELECT t.id, o.unit_id, u.code, u.name, p.code, " \
	"t.ref, t.section, t.category, t.title, t.content, t.time_text, " \
	"t.kind, t.rrule, t.due, t.starts, t.ends, t.revision, o.nominal, " \
	"o.effective, o.status, o.sequence FROM occurrences o JOIN tasks t " \
	"ON t.id = o.task_id JOIN plans p ON p.id = t.plan_id JOIN units u " \
	"ON u.id = o.unit_id WHERE t.status = 'active' "
#define STORE_FEED_ORDER " ORDER BY p.code, t.ref, t.id, u.code, o.nominal"
	if (unit == NULL)
		st = store_prepare(s, STMT_FEED_ROWS, STORE_FEED_SELECT
		    STORE_FEED_ORDER);
	else
		st = store_prepare(s, STMT_FEED_ROWS_UNIT, STORE_FEED_SELECT
		    "AND o.unit_id IN (SELECT id FROM units WHERE code = ?1 "
		    "UNION ALL SELECT m.unit_id FROM group_members m JOIN units "
		    "g ON g.id = m.group_id WHERE g.code = ?1)"
		    STORE_FEED_ORDER);
	if (unit != NULL)
		store_bind_text(st, 1, unit);
	while (rc == 0 && (rc = store_step_row(s, st, cause)) == 1) {
		store_feed_row(st, &r);
		rc = fn(&r, arg);
	}
	sqlite3_reset(st);
	return (rc);
}

/* One name of a task's units: a unit, or the group that brought it in. */
struct store_feed_name {
	int	 lead;
	char	*name;
	char	*code;
};

/* Orders names as the feed lists them: leads first, then by code. */
static int
store_feed_name_cmp(const void *a, const void *b)
{
	const struct store_feed_name	*x = a, *y = b;
	int				 c;

	if (x->lead != y->lead)
		return (y->lead - x->lead);
	if ((c = strcmp(x->code, y->code)) != 0)
		return (c);
	return (strcmp(x->name, y->name));
}

/* 1 if a name comes earlier in v for the same role. */
static int
store_feed_name_seen(const struct store_feed_name *v, size_t i)
{
	size_t	j;

	for (j = 0; j < i; j++) {
		if (v[j].lead == v[i].lead && strcmp(v[j].name, v[i].name) == 0)
			return (1);
	}
	return (0);
}

/* Joins the names in order, each once per role, into two lists. */
static void
store_feed_join_names(struct store_feed_name *v, size_t n, char **lead,
    char **support)
{
	struct buf	b[2];
	size_t		i;
	int		k;

	if (n > 1)
		qsort(v, n, sizeof *v, store_feed_name_cmp);
	buf_init(&b[0]);
	buf_init(&b[1]);
	for (i = 0; i < n; i++) {
		k = v[i].lead ? 0 : 1;
		if (!store_feed_name_seen(v, i)) {
			if (b[k].len != 0)
				buf_adds(&b[k], "; ");
			buf_adds(&b[k], v[i].name);
		}
	}
	*lead = buf_steal(&b[0]);
	*support = buf_steal(&b[1]);
}

/*
 * The names of a task's lead and supporting units, "; "-separated, a group
 * named once for all the members it brought in, in the order of the least
 * code each name stands for.  The rows come straight from the primary key
 * and are grouped here: GROUP BY and ORDER BY in SQL built two temporary
 * b-trees for every task of a feed.  Caller frees both.
 */
int
store_feed_task_units(struct store *s, int64_t task_id, char **lead,
    char **support, char **cause)
{
	sqlite3_stmt		*st;
	struct store_feed_name	*v = NULL;
	size_t			 n = 0, size = 0, i;
	int			 rc;

	st = store_prepare(s, STMT_FEED_TASK_UNITS, "SELECT a.role = 'lead', "
	    "coalesce(g.name, u.name), coalesce(g.code, u.code) FROM "
	    "assignments a JOIN units u ON u.id = a.unit_id LEFT JOIN units g "
	    "ON g.code = a.via AND g.is_group = 1 WHERE a.task_id = ?1 AND "
	    "a.role IN ('lead', 'support')");
	sqlite3_bind_int64(st, 1, task_id);
	while ((rc = store_step_row(s, st, cause)) == 1) {
		if (n == size) {
			size = size == 0 ? 8 : size * 2;
			v = xreallocarray(v, size, sizeof *v);
		}
		v[n].lead = sqlite3_column_int(st, 0);
		v[n].name = xstrdup(store_column_text(st, 1));
		v[n++].code = xstrdup(store_column_text(st, 2));
	}
	sqlite3_reset(st);
	if (rc == 0)
		store_feed_join_names(v, n, lead, support);
	else
		*lead = *support = NULL;
	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].code);
	}
	free(v);
	return (rc);
}
