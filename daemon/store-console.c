/*
 * What the console keeps: single-use login links and sessions (by the
 * SHA-256 of their secret, never the secret), the generation of each
 * unit's page links, and the plans it lists.  Times are Unix seconds.
 */
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "store-private.h"
#include "xmalloc.h"

int
store_console_login_add(struct store *s, const char *hash, const char *user,
    time_t created, time_t expires, char **cause)
{
	sqlite3_stmt	*st;

	st = store_prepare(s, STMT_CONSOLE_LOGIN_ADD, "INSERT INTO "
	    "console_logins (hash, user, created_at, expires_at) VALUES (?1, "
	    "?2, ?3, ?4)");
	store_bind_text(st, 1, hash);
	store_bind_text(st, 2, user);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)created);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)expires);
	return (store_step_done(s, st, cause));
}

int
store_console_login_state(struct store *s, const char *hash, time_t now,
    char **user, char **cause)
{
	sqlite3_stmt	*st;
	int		 state = STORE_LOGIN_UNKNOWN, row;

	*user = NULL;
	st = store_prepare(s, STMT_CONSOLE_LOGIN_GET, "SELECT user, "
	    "expires_at, used_at FROM console_logins WHERE hash = ?1");
	store_bind_text(st, 1, hash);
	if ((row = store_step_row(s, st, cause)) < 0)
		state = -1;
	else if (row == 1) {
		if (sqlite3_column_type(st, 2) != SQLITE_NULL)
			state = STORE_LOGIN_USED;
		else if (sqlite3_column_int64(st, 1) < (sqlite3_int64)now)
			state = STORE_LOGIN_EXPIRED;
		else
			state = STORE_LOGIN_VALID;
		*user = xstrdup(store_column_text(st, 0));
	}
	sqlite3_reset(st);
	return (state);
}

int
store_console_login_use(struct store *s, const char *hash, time_t now,
    const char *origin, char **cause)
{
	sqlite3_stmt	*st;

	st = store_prepare(s, STMT_CONSOLE_LOGIN_USE, "UPDATE console_logins "
	    "SET used_at = ?2, used_from = ?3 WHERE hash = ?1 AND used_at IS "
	    "NULL AND expires_at >= ?2");
	store_bind_text(st, 1, hash);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	store_bind_text(st, 3, origin);
	if (store_step_done(s, st, cause) != 0)
		return (-1);
	if (sqlite3_changes(s->db) == 0) {
		*cause = xstrdup("login link unknown, used or expired");
		return (-1);
	}
	return (0);
}

int64_t
store_console_session_add(struct store *s, const char *hash, const char *user,
    time_t created, time_t expires, const char *origin, char **cause)
{
	sqlite3_stmt	*st;

	st = store_prepare(s, STMT_CONSOLE_SESSION_ADD, "INSERT INTO "
	    "console_sessions (hash, user, created_at, expires_at, origin) "
	    "VALUES (?1, ?2, ?3, ?4, ?5)");
	store_bind_text(st, 1, hash);
	store_bind_text(st, 2, user);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)created);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)expires);
	store_bind_text(st, 5, origin);
	if (store_step_done(s, st, cause) != 0)
		return (-1);
	return (sqlite3_last_insert_rowid(s->db));
}

/* Calls fn with the session in the current row of st. */
static int
store_session_emit(sqlite3_stmt *st, store_session_cb fn, void *arg)
{
	struct store_session	ss;

	memset(&ss, 0, sizeof ss);
	ss.id = sqlite3_column_int64(st, 0);
	ss.user = store_column_text(st, 1);
	ss.created_at = (time_t)sqlite3_column_int64(st, 2);
	ss.expires_at = (time_t)sqlite3_column_int64(st, 3);
	ss.origin = store_column_text(st, 4);
	ss.revoked_at = (time_t)sqlite3_column_int64(st, 5);
	ss.hash = store_column_text(st, 6);
	return (fn(&ss, arg));
}

int
store_console_session_get(struct store *s, const char *hash,
    store_session_cb fn, void *arg, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = store_prepare(s, STMT_CONSOLE_SESSION_GET, "SELECT id, user, "
	    "created_at, expires_at, origin, coalesce(revoked_at, 0), hash "
	    "FROM console_sessions WHERE hash = ?1");
	store_bind_text(st, 1, hash);
	if ((rc = store_step_row(s, st, cause)) == 1 &&
	    store_session_emit(st, fn, arg) != 0)
		rc = -1;
	sqlite3_reset(st);
	return (rc);
}

int
store_console_sessions(struct store *s, time_t since, store_session_cb fn,
    void *arg, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc = 0, step;

	st = store_prepare(s, STMT_CONSOLE_SESSIONS, "SELECT id, user, "
	    "created_at, expires_at, origin, coalesce(revoked_at, 0), hash "
	    "FROM console_sessions WHERE expires_at >= ?1 ORDER BY id");
	sqlite3_bind_int64(st, 1, (sqlite3_int64)since);
	while (rc == 0 && (step = store_step_row(s, st, cause)) == 1)
		rc = store_session_emit(st, fn, arg);
	if (rc == 0 && step < 0)
		rc = -1;
	sqlite3_reset(st);
	return (rc);
}

int
store_console_session_revoke(struct store *s, int64_t id, const char *user,
    time_t now, int *n, char **cause)
{
	sqlite3_stmt	*st;

	st = store_prepare(s, STMT_CONSOLE_SESSION_REVOKE, "UPDATE "
	    "console_sessions SET revoked_at = ?3 WHERE revoked_at IS NULL "
	    "AND expires_at >= ?3 AND (?1 = 0 OR id = ?1) AND (?2 IS NULL OR "
	    "user = ?2)");
	sqlite3_bind_int64(st, 1, id);
	store_bind_text(st, 2, user);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
	if (store_step_done(s, st, cause) != 0)
		return (-1);
	*n = sqlite3_changes(s->db);
	return (0);
}

int
store_console_session_revoke_hash(struct store *s, const char *hash,
    time_t now, int *n, char **cause)
{
	sqlite3_stmt	*st;

	st = store_prepare(s, STMT_CONSOLE_SESSION_END, "UPDATE "
	    "console_sessions SET revoked_at = ?2 WHERE hash = ?1 AND "
	    "revoked_at IS NULL");
	store_bind_text(st, 1, hash);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	if (store_step_done(s, st, cause) != 0)
		return (-1);
	*n = sqlite3_changes(s->db);
	return (0);
}

int
store_unit_link_generation(struct store *s, int64_t unit_id, char **cause)
{
	sqlite3_stmt	*st;
	int64_t		 g = 0;

	st = store_prepare(s, STMT_UNIT_LINK_GET, "SELECT generation FROM "
	    "unit_links WHERE unit_id = ?1");
	sqlite3_bind_int64(st, 1, unit_id);
	if (store_scalar(s, st, &g, cause) < 0)
		return (-1);
	return ((int)g);
}

int
store_unit_link_renew(struct store *s, int64_t unit_id, char **cause)
{
	sqlite3_stmt	*st;

	st = store_prepare(s, STMT_UNIT_LINK_RENEW, "INSERT INTO unit_links "
	    "(unit_id, generation) VALUES (?1, 1) ON CONFLICT (unit_id) DO "
	    "UPDATE SET generation = generation + 1");
	sqlite3_bind_int64(st, 1, unit_id);
	return (store_step_done(s, st, cause));
}

int
store_plans(struct store *s, store_plan_cb fn, void *arg, char **cause)
{
	struct store_plan	 p;
	sqlite3_stmt		*st;
	int			 rc = 0, step;

	st = store_prepare(s, STMT_PLANS, "SELECT code, title, year, starts, "
	    "ends, coordinator, source, reply_to FROM plans ORDER BY code");
	while (rc == 0 && (step = store_step_row(s, st, cause)) == 1) {
		memset(&p, 0, sizeof p);
		p.code = store_column_text(st, 0);
		p.title = store_column_text(st, 1);
		p.year = sqlite3_column_int(st, 2);
		p.starts = store_column_date(st, 3);
		p.ends = store_column_date(st, 4);
		p.coordinator = store_column_text(st, 5);
		p.source = store_column_text(st, 6);
		p.reply_to = store_column_text(st, 7);
		rc = fn(&p, arg);
	}
	if (rc == 0 && step < 0)
		rc = -1;
	sqlite3_reset(st);
	return (rc);
}

/* Calls fn for each row (task_id, unit_id, effective) of an overdue query. */
static int
store_overdue_rows(struct store *s, sqlite3_stmt *st, store_overdue_cb fn,
    void *arg, char **cause)
{
	struct store_overdue	 o;
	int			 rc = 0;

	while (rc == 0 && (rc = store_step_row(s, st, cause)) == 1) {
		o.task_id = sqlite3_column_int64(st, 0);
		o.unit_id = sqlite3_column_int64(st, 1);
		o.effective = store_column_date(st, 2);
		rc = fn(&o, arg);
	}
	sqlite3_reset(st);
	return (rc);
}

/*
 * From the index occurrences_due (status, effective, unit_id, task_id,
 * ...): the overdue rows are one range of it, read without the table.
 */
int
store_console_overdue(struct store *s, date_t to, int64_t plan_id,
    store_overdue_cb fn, void *arg, char **cause)
{
	sqlite3_stmt	*st;

	st = store_prepare(s, STMT_CONSOLE_OVERDUE, "SELECT task_id, unit_id, "
	    "effective FROM occurrences WHERE status = 'open' AND effective <= "
	    "?1 AND task_id IN (SELECT id FROM tasks WHERE status = 'active' "
	    "AND (?2 = 0 OR plan_id = ?2))");
	store_bind_date(st, 1, to);
	sqlite3_bind_int64(st, 2, plan_id);
	return (store_overdue_rows(s, st, fn, arg, cause));
}

/*
 * What store_console_overdue gives, for one unit and one task, to bring
 * a kept overdue page up to date after a write: through the unique index
 * (task, unit, nominal).
 */
int
store_console_overdue_of(struct store *s, date_t to, int64_t plan_id,
    int64_t unit_id, int64_t task_id, store_overdue_cb fn, void *arg,
    char **cause)
{
	sqlite3_stmt	*st;

	st = store_prepare(s, STMT_CONSOLE_OVERDUE_OF, "SELECT task_id, "
	    "unit_id, effective FROM occurrences WHERE task_id = ?3 AND "
	    "unit_id = ?4 AND status = 'open' AND effective <= ?1 AND task_id "
	    "IN (SELECT id FROM tasks WHERE status = 'active' AND (?2 = 0 OR "
	    "plan_id = ?2))");
	store_bind_date(st, 1, to);
	sqlite3_bind_int64(st, 2, plan_id);
	sqlite3_bind_int64(st, 3, task_id);
	sqlite3_bind_int64(st, 4, unit_id);
	return (store_overdue_rows(s, st, fn, arg, cause));
}

int
store_console_tasks(struct store *s, int64_t plan_id, store_console_task_cb fn,
    void *arg, char **cause)
{
	struct store_console_task	 t;
	sqlite3_stmt			*st;
	int				 rc = 0;

	st = store_prepare(s, STMT_CONSOLE_TASKS, "SELECT t.id, p.code, t.ref "
	    "FROM tasks t JOIN plans p ON p.id = t.plan_id WHERE t.status = "
	    "'active' AND (?1 = 0 OR t.plan_id = ?1) ORDER BY t.id");
	sqlite3_bind_int64(st, 1, plan_id);
	while (rc == 0 && (rc = store_step_row(s, st, cause)) == 1) {
		t.id = sqlite3_column_int64(st, 0);
		t.plan = store_column_text(st, 1);
		t.ref = store_column_text(st, 2);
		rc = fn(&t, arg);
	}
	sqlite3_reset(st);
	return (rc);
}

int
store_console_task_title(struct store *s, int64_t id, char **title,
    char **cause)
{
	sqlite3_stmt	*st;

	*title = NULL;
	st = store_prepare(s, STMT_CONSOLE_TASK_TITLE, "SELECT coalesce("
	    "nullif(content, ''), title) FROM tasks WHERE id = ?1");
	sqlite3_bind_int64(st, 1, id);
	return (store_scalar_text(s, st, title, cause) < 0 ? -1 : 0);
}
