/* The unit directory in the store: sync from units.ini, history, listing. */
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "store-private.h"
#include "xmalloc.h"

/* The stored form of a unit or group, compared to detect changes. */
struct store_unit_row {
	const char	*code;
	const char	*name;
	int		 is_group;
	const char	*lang;
	char		*emails;
	const char	*webhook;
	const char	*webhook_secret_file;
	const char	*webhook_template;
	const char	*parent;
	char		*aliases;
	char		*members;
};

/* Joins n strings with sep; caller frees. */
static char *
store_join(char *const *list, size_t n, const char *sep)
{
	struct buf	b;
	size_t		i;

	buf_init(&b);
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_adds(&b, sep);
		buf_adds(&b, list[i]);
	}
	return (buf_steal(&b));
}

int64_t
store_unit_id(struct store *s, const char *code, char **cause)
{
	sqlite3_stmt	*st;
	int64_t		 id = 0;

	st = store_prepare(s, STMT_UNIT_ID, "SELECT id FROM units WHERE "
	    "code = ?1");
	store_bind_text(st, 1, code);
	if (store_scalar(s, st, &id, cause) < 0)
		return (-1);
	return (id);
}

/* Records one change of the directory. */
static int
store_unit_history(struct store *s, const char *code, const char *change,
    const char *detail, char **cause)
{
	sqlite3_stmt	*st;
	char		 now[32];

	store_now_text(now);
	st = store_prepare(s, STMT_UNIT_HISTORY, "INSERT INTO unit_history "
	    "(unit_code, at, change, detail) VALUES (?1, ?2, ?3, ?4)");
	store_bind_text(st, 1, code);
	store_bind_text(st, 2, now);
	store_bind_text(st, 3, change);
	store_bind_text(st, 4, detail);
	return (store_step_done(s, st, cause));
}

/* Compares a stored row with the wanted one; 1 if they differ. */
static int
store_unit_differs(sqlite3_stmt *st, const struct store_unit_row *r)
{
	const char	*cols[] = { r->name, r->lang, r->emails, r->webhook,
	    r->webhook_secret_file, r->webhook_template, r->parent,
	    r->aliases, r->members };
	const char	*have;
	size_t		 i;

	for (i = 0; i < sizeof cols / sizeof cols[0]; i++) {
		have = store_column_text(st, (int)i + 1);
		if ((have == NULL) != (cols[i] == NULL))
			return (1);
		if (have != NULL && strcmp(have, cols[i]) != 0)
			return (1);
	}
	return (sqlite3_column_int(st, 10) != r->is_group ||
	    sqlite3_column_type(st, 11) != SQLITE_NULL);
}

/* Binds the row's fields to ?1..?11 of an insert or update. */
static void
store_unit_bind(sqlite3_stmt *st, const struct store_unit_row *r,
    const char *now)
{
	store_bind_text(st, 1, r->code);
	store_bind_text(st, 2, r->name);
	sqlite3_bind_int(st, 3, r->is_group);
	store_bind_text(st, 4, r->lang);
	store_bind_text(st, 5, r->emails);
	store_bind_text(st, 6, r->webhook);
	store_bind_text(st, 7, r->webhook_secret_file);
	store_bind_text(st, 8, r->webhook_template);
	store_bind_text(st, 9, r->parent);
	store_bind_text(st, 10, r->aliases);
	store_bind_text(st, 11, r->members);
	store_bind_text(st, 12, now);
}

/* Adds or updates one unit or group; counts what happened. */
static int
store_unit_put(struct store *s, const struct store_unit_row *r,
    struct store_sync_stats *stats, char **cause)
{
	sqlite3_stmt	*st;
	char		 now[32];
	int		 found, differs = 0, retired = 0;

	store_now_text(now);
	st = store_prepare(s, STMT_UNIT_BY_CODE, "SELECT id, name, lang, "
	    "emails, webhook, webhook_secret_file, webhook_template, parent, "
	    "aliases, members, is_group, retired_at FROM units WHERE "
	    "code = ?1");
	store_bind_text(st, 1, r->code);
	found = store_step_row(s, st, cause);
	if (found == 1) {
		differs = store_unit_differs(st, r);
		retired = sqlite3_column_type(st, 11) != SQLITE_NULL;
	}
	sqlite3_reset(st);
	if (found < 0)
		return (-1);
	if (found && !differs) {
		stats->unchanged++;
		return (0);
	}
	if (found)
		st = store_prepare(s, STMT_UNIT_UPDATE, "UPDATE units SET "
		    "name = ?2, is_group = ?3, lang = ?4, emails = ?5, "
		    "webhook = ?6, webhook_secret_file = ?7, "
		    "webhook_template = ?8, parent = ?9, aliases = ?10, "
		    "members = ?11, updated_at = ?12, retired_at = NULL "
		    "WHERE code = ?1");
	else
		st = store_prepare(s, STMT_UNIT_INSERT, "INSERT INTO units "
		    "(code, name, is_group, lang, emails, webhook, "
		    "webhook_secret_file, webhook_template, parent, aliases, "
		    "members, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
		    "?8, ?9, ?10, ?11, ?12)");
	store_unit_bind(st, r, now);
	if (store_step_done(s, st, cause) != 0)
		return (-1);
	if (found)
		stats->changed++;
	else
		stats->added++;
	return (store_unit_history(s, r->code, !found ? "added" :
	    retired ? "restored" : "changed", r->name, cause));
}

/* Replaces a group's member list. */
static int
store_group_set_members(struct store *s, const struct store_unit_def *g,
    char **cause)
{
	sqlite3_stmt	*st;
	int64_t		 gid, uid;
	size_t		 i;

	if ((gid = store_unit_id(s, g->code, cause)) < 0)
		return (-1);
	st = store_prepare(s, STMT_GROUP_CLEAR, "DELETE FROM group_members "
	    "WHERE group_id = ?1");
	sqlite3_bind_int64(st, 1, gid);
	if (store_step_done(s, st, cause) != 0)
		return (-1);
	for (i = 0; i < g->nmembers; i++) {
		if ((uid = store_unit_id(s, g->members[i], cause)) < 0)
			return (-1);
		st = store_prepare(s, STMT_GROUP_ADD, "INSERT OR IGNORE INTO "
		    "group_members (group_id, unit_id) VALUES (?1, ?2)");
		sqlite3_bind_int64(st, 1, gid);
		sqlite3_bind_int64(st, 2, uid);
		if (store_step_done(s, st, cause) != 0)
			return (-1);
	}
	return (0);
}

/* Orders codes for bsearch. */
static int
store_code_cmp(const void *a, const void *b)
{
	return (strcmp(*(const char *const *)a, *(const char *const *)b));
}

/* Retires every stored unit that codes (n, sorted) does not have. */
static int
store_units_retire(struct store *s, const char **codes, size_t ncodes,
    struct store_sync_stats *stats, char **cause)
{
	sqlite3_stmt	*st, *up;
	char		 now[32];
	char		**gone = NULL;
	const char	*code;
	size_t		 n = 0, i;
	int		 rc;

	st = store_prepare(s, STMT_UNITS_CODES, "SELECT code, is_group FROM "
	    "units WHERE retired_at IS NULL");
	while ((rc = store_step_row(s, st, cause)) == 1) {
		code = store_column_text(st, 0);
		if (bsearch(&code, codes, ncodes, sizeof *codes,
		    store_code_cmp) != NULL)
			continue;
		gone = xreallocarray(gone, n + 1, sizeof *gone);
		gone[n++] = xstrdup(code);
	}
	sqlite3_reset(st);
	store_now_text(now);
	for (i = 0; i < n; i++) {
		if (rc != 0) {
			free(gone[i]);
			continue;
		}
		up = store_prepare(s, STMT_UNIT_RETIRE, "UPDATE units SET "
		    "retired_at = ?2, updated_at = ?2 WHERE code = ?1");
		store_bind_text(up, 1, gone[i]);
		store_bind_text(up, 2, now);
		if (store_step_done(s, up, cause) != 0 ||
		    store_unit_history(s, gone[i], "retired", NULL,
		    cause) != 0)
			rc = -1;
		stats->retired++;
		free(gone[i]);
	}
	free(gone);
	return (rc);
}

/* Adds or updates one unit or group as the store keeps it. */
static int
store_unit_put_def(struct store *s, const struct store_unit_def *d,
    struct store_sync_stats *stats, char **cause)
{
	struct store_unit_row	r;
	int			rc;

	memset(&r, 0, sizeof r);
	r.code = d->code;
	r.name = d->name;
	r.is_group = d->is_group;
	r.lang = d->lang;
	r.emails = store_join(d->emails, d->nemails, ", ");
	r.webhook = d->webhook;
	r.webhook_secret_file = d->webhook_secret_file;
	r.webhook_template = d->webhook_template;
	r.parent = d->parent;
	r.aliases = store_join(d->aliases, d->naliases, " | ");
	r.members = store_join(d->members, d->nmembers, " ");
	rc = store_unit_put(s, &r, stats, cause);
	free(r.emails);
	free(r.aliases);
	free(r.members);
	return (rc);
}

/* Units first: a group's members must be there before the group's list. */
int
store_sync_units(struct store *s, const struct store_unit_def *v, size_t n,
    struct store_sync_stats *stats, char **cause)
{
	const char	**codes;
	size_t		  i;
	int		  pass, rc = 0;

	memset(stats, 0, sizeof *stats);
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; rc == 0 && i < n; i++) {
			if (v[i].is_group != pass)
				continue;
			rc = store_unit_put_def(s, &v[i], stats, cause);
			if (rc == 0 && v[i].is_group)
				rc = store_group_set_members(s, &v[i], cause);
		}
	}
	if (rc != 0)
		return (-1);
	codes = xcalloc(n + 1, sizeof *codes);
	for (i = 0; i < n; i++)
		codes[i] = v[i].code;
	qsort(codes, n, sizeof *codes, store_code_cmp);
	rc = store_units_retire(s, codes, n, stats, cause);
	free(codes);
	return (rc);
}

/* Calls fn with the unit in the current row of st. */
static int
store_unit_emit(sqlite3_stmt *st, store_unit_cb fn, void *arg)
{
	struct store_unit	su;

	memset(&su, 0, sizeof su);
	su.id = sqlite3_column_int64(st, 0);
	su.code = store_column_text(st, 1);
	su.name = store_column_text(st, 2);
	su.is_group = sqlite3_column_int(st, 3);
	su.lang = store_column_text(st, 4);
	su.emails = store_column_text(st, 5);
	su.webhook = store_column_text(st, 6);
	su.webhook_secret_file = store_column_text(st, 7);
	su.webhook_template = store_column_text(st, 8);
	su.parent = store_column_text(st, 9);
	su.members = store_column_text(st, 10);
	su.retired_at = store_column_text(st, 11);
	su.webhook_disabled_at = store_column_text(st, 12);
	return (fn(&su, arg));
}

#define STORE_UNIT_COLUMNS "id, code, name, is_group, lang, emails, " \
	"webhook, webhook_secret_file, webhook_template, parent, members, " \
	"retired_at, webhook_disabled_at"

int
store_units(struct store *s, int with_retired, store_unit_cb fn, void *arg,
    char **cause)
{
	sqlite3_stmt	*st;
	int		 rc = 0;

	st = store_prepare(s, STMT_UNITS_ALL, "SELECT " STORE_UNIT_COLUMNS
	    " FROM units WHERE ?1 OR retired_at IS NULL ORDER BY is_group, "
	    "code");
	sqlite3_bind_int(st, 1, with_retired);
	while (rc == 0 && (rc = store_step_row(s, st, cause)) == 1)
		rc = store_unit_emit(st, fn, arg);
	sqlite3_reset(st);
	return (rc);
}

int
store_unit_get(struct store *s, const char *code, store_unit_cb fn, void *arg,
    char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = store_prepare(s, STMT_UNIT_GET, "SELECT " STORE_UNIT_COLUMNS
	    " FROM units WHERE code = ?1");
	store_bind_text(st, 1, code);
	if ((rc = store_step_row(s, st, cause)) == 1)
		rc = store_unit_emit(st, fn, arg);
	sqlite3_reset(st);
	return (rc);
}

int
store_unit_disable_webhook(struct store *s, const char *code, char **cause)
{
	sqlite3_stmt	*st;
	char		 now[32];

	store_now_text(now);
	st = store_prepare(s, STMT_UNIT_DISABLE_WEBHOOK, "UPDATE units SET "
	    "webhook_disabled_at = ?2 WHERE code = ?1");
	store_bind_text(st, 1, code);
	store_bind_text(st, 2, now);
	if (store_step_done(s, st, cause) != 0)
		return (-1);
	return (store_unit_history(s, code, "changed", "webhook disabled "
	    "(HTTP 410)", cause));
}
