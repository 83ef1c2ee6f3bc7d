/*
 * The actions on occurrences beyond their status: extensions (moves), the
 * units' requests for them, the version a form carries, and the history
 * the console shows.  Writes run inside the caller's transaction.
 */
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "store-private.h"
#include "xmalloc.h"

int
store_occ_extend(struct store *s, int64_t id, date_t due, const char *reason,
    int64_t request, const struct store_actor *who, char **cause)
{
	sqlite3_stmt	*st;
	char		 now[32], old[11], new[11], *note;
	date_t		 was = DATE_NONE;
	int		 rc;

	st = store_prepare(s, STMT_OCC_EFFECTIVE, "SELECT effective FROM "
	    "occurrences WHERE id = ?1 AND status = 'open'");
	sqlite3_bind_int64(st, 1, id);
	if ((rc = store_step_row(s, st, cause)) == 1)
		was = store_column_date(st, 0);
	sqlite3_reset(st);
	if (rc < 0)
		return (-1);
	if (was == DATE_NONE) {
		xasprintf(cause, "no open occurrence %lld", (long long)id);
		return (-1);
	}
	store_now_text(now);
	st = store_prepare(s, STMT_OCC_MOVE, "INSERT INTO occurrence_moves "
	    "(occurrence_id, at, old_due, new_due, reason, by, origin, "
	    "request_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
	sqlite3_bind_int64(st, 1, id);
	store_bind_text(st, 2, now);
	store_bind_date(st, 3, was);
	store_bind_date(st, 4, due);
	store_bind_text(st, 5, reason);
	store_bind_text(st, 6, who->by);
	store_bind_text(st, 7, who->origin);
	if (request > 0)
		sqlite3_bind_int64(st, 8, request);
	else
		sqlite3_bind_null(st, 8);
	if (store_step_done(s, st, cause) != 0)
		return (-1);
	/* A new date is news to the planning pass; a snooze is over. */
	st = store_prepare(s, STMT_OCC_EXTEND, "UPDATE occurrences SET "
	    "extended = ?2, effective = ?2, snooze_until = NULL, changed_by = "
	    "?3, changed_at = ?4, sequence = sequence + 1, born = "
	    STORE_PLAN_SEQ " WHERE id = ?1");
	sqlite3_bind_int64(st, 1, id);
	store_bind_date(st, 2, due);
	store_bind_text(st, 3, who->by);
	store_bind_text(st, 4, now);
	if (store_step_done(s, st, cause) != 0)
		return (-1);
	date_format_iso(was, old);
	date_format_iso(due, new);
	xasprintf(&note, "%s -> %s: %s", old, new, reason != NULL ? reason :
	    "");
	rc = store_occ_log(s, id, "extend", who, note, cause);
	free(note);
	return (rc);
}

int64_t
store_occ_version(struct store *s, int64_t id, char **cause)
{
	sqlite3_stmt	*st;
	int64_t		 v = -1;

	st = store_prepare(s, STMT_OCC_VERSION, "SELECT coalesce(max(id), 0) "
	    "FROM occurrence_log WHERE occurrence_id = ?1");
	sqlite3_bind_int64(st, 1, id);
	if (store_scalar(s, st, &v, cause) < 0)
		return (-1);
	return (v);
}

int
store_history(struct store *s, int64_t task, int64_t occurrence, int limit,
    store_history_cb fn, void *arg, char **cause)
{
	struct store_history	 h;
	sqlite3_stmt		*st;
	int			 rc = 0, step;

	st = store_prepare(s, STMT_HISTORY, "SELECT l.occurrence_id, u.code, "
	    "u.name, o.nominal, l.at, l.action, l.by, l.origin, l.note FROM "
	    "occurrence_log l JOIN occurrences o ON o.id = l.occurrence_id "
	    "JOIN units u ON u.id = o.unit_id WHERE (?1 = 0 OR o.task_id = "
	    "?1) AND (?2 = 0 OR l.occurrence_id = ?2) ORDER BY l.id DESC "
	    "LIMIT ?3");
	sqlite3_bind_int64(st, 1, task);
	sqlite3_bind_int64(st, 2, occurrence);
	sqlite3_bind_int(st, 3, limit > 0 ? limit : -1);
	while (rc == 0 && (step = store_step_row(s, st, cause)) == 1) {
		memset(&h, 0, sizeof h);
		h.occurrence_id = sqlite3_column_int64(st, 0);
		h.unit_code = store_column_text(st, 1);
		h.unit_name = store_column_text(st, 2);
		h.nominal = store_column_date(st, 3);
		h.at = store_column_text(st, 4);
		h.action = store_column_text(st, 5);
		h.by = store_column_text(st, 6);
		h.origin = store_column_text(st, 7);
		h.note = store_column_text(st, 8);
		rc = fn(&h, arg);
	}
	if (rc == 0 && step < 0)
		rc = -1;
	sqlite3_reset(st);
	return (rc);
}

int
store_occ_moves(struct store *s, int64_t occurrence, store_move_cb fn,
    void *arg, char **cause)
{
	struct store_move	 m;
	sqlite3_stmt		*st;
	int			 rc = 0, step;

	st = store_prepare(s, STMT_OCC_MOVES, "SELECT at, old_due, new_due, "
	    "reason, by, origin FROM occurrence_moves WHERE occurrence_id = "
	    "?1 ORDER BY id");
	sqlite3_bind_int64(st, 1, occurrence);
	while (rc == 0 && (step = store_step_row(s, st, cause)) == 1) {
		m.at = store_column_text(st, 0);
		m.old_due = store_column_date(st, 1);
		m.new_due = store_column_date(st, 2);
		m.reason = store_column_text(st, 3);
		m.by = store_column_text(st, 4);
		m.origin = store_column_text(st, 5);
		rc = fn(&m, arg);
	}
	if (rc == 0 && step < 0)
		rc = -1;
	sqlite3_reset(st);
	return (rc);
}

/* Calls fn with the request in the current row of st. */
static int
store_request_emit(sqlite3_stmt *st, store_request_cb fn, void *arg)
{
	struct store_request	r;

	memset(&r, 0, sizeof r);
	r.id = sqlite3_column_int64(st, 0);
	r.occurrence_id = sqlite3_column_int64(st, 1);
	r.task_id = sqlite3_column_int64(st, 2);
	r.unit_code = store_column_text(st, 3);
	r.unit_name = store_column_text(st, 4);
	r.unit_lang = store_column_text(st, 5);
	r.plan_code = store_column_text(st, 6);
	r.ref = store_column_text(st, 7);
	r.title = store_column_text(st, 8);
	r.effective = store_column_date(st, 9);
	r.occ_status = store_column_text(st, 10);
	r.due = store_column_date(st, 11);
	r.reason = store_column_text(st, 12);
	r.by = store_column_text(st, 13);
	r.origin = store_column_text(st, 14);
	r.at = store_column_text(st, 15);
	r.state = store_column_text(st, 16);
	r.decided_by = store_column_text(st, 17);
	r.decided_at = store_column_text(st, 18);
	r.answer = store_column_text(st, 19);
	r.told = store_column_text(st, 20);
	return (fn(&r, arg));
}

int
store_requests(struct store *s, const struct store_request_filter *f,
    store_request_cb fn, void *arg, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc = 0, row;

	st = store_prepare(s, STMT_REQUESTS, "SELECT r.id, r.occurrence_id, "
	    "o.task_id, u.code, u.name, u.lang, p.code, t.ref, coalesce("
	    "nullif(t.content, ''), t.title), o.effective, o.status, r.due, "
	    "r.reason, r.by, r.origin, r.at, r.state, r.decided_by, "
	    "r.decided_at, r.answer, r.told FROM extension_requests r JOIN "
	    "occurrences o ON o.id = r.occurrence_id JOIN tasks t ON t.id = "
	    "o.task_id JOIN plans p ON p.id = t.plan_id JOIN units u ON u.id = "
	    "r.unit_id WHERE (?1 = 0 OR r.id = ?1) AND (?2 IS NULL OR "
	    "r.state = ?2) AND (?3 IS NULL OR u.code = ?3) AND (?4 = 0 OR "
	    "r.occurrence_id = ?4) AND (?5 = 0 OR (r.state <> 'pending' AND "
	    "r.told IS NULL)) ORDER BY r.id DESC LIMIT ?6");
	sqlite3_bind_int64(st, 1, f->id);
	store_bind_text(st, 2, f->state);
	store_bind_text(st, 3, f->unit);
	sqlite3_bind_int64(st, 4, f->occurrence_id);
	sqlite3_bind_int(st, 5, f->untold);
	sqlite3_bind_int(st, 6, f->limit > 0 ? f->limit : -1);
	while (rc == 0 && (row = store_step_row(s, st, cause)) == 1)
		rc = store_request_emit(st, fn, arg);
	if (rc == 0 && row < 0)
		rc = -1;
	sqlite3_reset(st);
	return (rc);
}

int64_t
store_request_add(struct store *s, int64_t occurrence, date_t due,
    const char *reason, const struct store_actor *who, char **cause)
{
	sqlite3_stmt	*st;
	char		 now[32];

	store_now_text(now);
	st = store_prepare(s, STMT_REQUEST_ADD, "INSERT INTO "
	    "extension_requests (occurrence_id, unit_id, due, reason, by, "
	    "origin, at) SELECT id, unit_id, ?2, ?3, ?4, ?5, ?6 FROM "
	    "occurrences WHERE id = ?1");
	sqlite3_bind_int64(st, 1, occurrence);
	store_bind_date(st, 2, due);
	store_bind_text(st, 3, reason);
	store_bind_text(st, 4, who->by);
	store_bind_text(st, 5, who->origin);
	store_bind_text(st, 6, now);
	if (store_step_changed(s, st, "occurrence", occurrence, cause) != 0)
		return (-1);
	return (sqlite3_last_insert_rowid(s->db));
}

int
store_request_decide(struct store *s, int64_t id, const char *state,
    const char *answer, const struct store_actor *who, char **cause)
{
	sqlite3_stmt	*st;
	char		 now[32];

	store_now_text(now);
	st = store_prepare(s, STMT_REQUEST_DECIDE, "UPDATE extension_requests "
	    "SET state = ?2, answer = ?3, decided_by = ?4, decided_at = ?5 "
	    "WHERE id = ?1 AND state = 'pending'");
	sqlite3_bind_int64(st, 1, id);
	store_bind_text(st, 2, state);
	store_bind_text(st, 3, answer);
	store_bind_text(st, 4, who->by);
	store_bind_text(st, 5, now);
	return (store_step_changed(s, st, "pending request", id, cause));
}

int
store_request_told(struct store *s, int64_t id, const char *told, char **cause)
{
	sqlite3_stmt	*st;

	st = store_prepare(s, STMT_REQUEST_TOLD, "UPDATE extension_requests "
	    "SET told = ?2 WHERE id = ?1 AND told IS NULL");
	sqlite3_bind_int64(st, 1, id);
	store_bind_text(st, 2, told);
	return (store_step_done(s, st, cause));
}
