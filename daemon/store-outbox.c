/*
 * The outbox.  A message is claimed with a lease in one short transaction,
 * sent outside any transaction, and its result recorded in another; a crash
 * in between leaves a lease that expires, so the message is sent again with
 * the same key.
 */
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "store-private.h"
#include "xmalloc.h"

static const char *store_outbox_states[] = { "pending", "sending", "sent",
    "failed", "dead" };

int
store_outbox_add(struct store *s, const struct store_outbox *m,
    int64_t unit_id, int *added, char **cause)
{
	sqlite3_stmt	*st;

	st = store_prepare(s, STMT_OUTBOX_INSERT, "INSERT INTO outbox (key, "
	    "unit_id, kind, channel, recipient, day, subject, body, "
	    "next_attempt, created_at, expires_at, spec) VALUES (?1, ?2, ?3, "
	    "?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10, ?11) ON CONFLICT (key) DO "
	    "NOTHING");
	store_bind_text(st, 1, m->key);
	if (unit_id != 0)
		sqlite3_bind_int64(st, 2, unit_id);
	store_bind_text(st, 3, m->kind);
	store_bind_text(st, 4, m->channel);
	store_bind_text(st, 5, m->recipient);
	store_bind_text(st, 6, m->day);
	store_bind_text(st, 7, m->subject);
	store_bind_text(st, 8, m->body != NULL ? m->body : "");
	sqlite3_bind_int64(st, 9, (sqlite3_int64)m->created_at);
	sqlite3_bind_int64(st, 10, (sqlite3_int64)m->expires_at);
	store_bind_text(st, 11, m->spec);
	if (store_step_done(s, st, cause) != 0)
		return (-1);
	*added = sqlite3_changes(s->db) > 0;
	return (0);
}

#define STORE_OUTBOX_COLUMNS "o.id, o.key, u.code, o.kind, o.channel, " \
	"o.recipient, o.day, o.subject, o.body, o.state, o.attempts, " \
	"o.next_attempt, o.created_at, o.expires_at, o.sent_at, o.last_error, " \
	"o.spec"

/* Calls fn with the message in the current row of st. */
static int
store_outbox_emit(sqlite3_stmt *st, store_outbox_cb fn, void *arg)
{
	struct store_outbox	m;

	memset(&m, 0, sizeof m);
	m.id = sqlite3_column_int64(st, 0);
	m.key = store_column_text(st, 1);
	m.unit_code = store_column_text(st, 2);
	m.kind = store_column_text(st, 3);
	m.channel = store_column_text(st, 4);
	m.recipient = store_column_text(st, 5);
	m.day = store_column_text(st, 6);
	m.subject = store_column_text(st, 7);
	m.body = store_column_text(st, 8);
	m.state = store_column_text(st, 9);
	m.attempts = sqlite3_column_int(st, 10);
	m.next_attempt = (time_t)sqlite3_column_int64(st, 11);
	m.created_at = (time_t)sqlite3_column_int64(st, 12);
	m.expires_at = (time_t)sqlite3_column_int64(st, 13);
	m.sent_at = (time_t)sqlite3_column_int64(st, 14);
	m.last_error = store_column_text(st, 15);
	m.spec = store_column_text(st, 16);
	return (fn(&m, arg));
}

/* A copy of a text column, or NULL. */
static const char *
store_outbox_text(sqlite3_stmt *st, int i)
{
	const char	*t = store_column_text(st, i);

	return (t != NULL ? xstrdup(t) : NULL);
}

/* Copies the message in the current row of st onto a growing array. */
static void
store_outbox_copy(sqlite3_stmt *st, struct store_outbox **v, size_t *n)
{
	struct store_outbox	*m;

	*v = xreallocarray(*v, *n + 1, sizeof **v);
	m = &(*v)[(*n)++];
	memset(m, 0, sizeof *m);
	m->id = sqlite3_column_int64(st, 0);
	m->key = store_outbox_text(st, 1);
	m->unit_code = store_outbox_text(st, 2);
	m->kind = store_outbox_text(st, 3);
	m->channel = store_outbox_text(st, 4);
	m->recipient = store_outbox_text(st, 5);
	m->day = store_outbox_text(st, 6);
	m->subject = store_outbox_text(st, 7);
	m->body = store_outbox_text(st, 8);
	m->state = store_outbox_text(st, 9);
	m->attempts = sqlite3_column_int(st, 10);
	m->next_attempt = (time_t)sqlite3_column_int64(st, 11);
	m->created_at = (time_t)sqlite3_column_int64(st, 12);
	m->expires_at = (time_t)sqlite3_column_int64(st, 13);
	m->spec = store_outbox_text(st, 16);
}

void
store_outbox_free(struct store_outbox *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free((char *)v[i].key);
		free((char *)v[i].unit_code);
		free((char *)v[i].kind);
		free((char *)v[i].channel);
		free((char *)v[i].recipient);
		free((char *)v[i].day);
		free((char *)v[i].subject);
		free((char *)v[i].body);
		free((char *)v[i].state);
		free((char *)v[i].spec);
	}
	free(v);
}

/* Orders claimed messages as they were chosen: due first, then by id. */
static int
store_outbox_order(const void *a, const void *b)
{
	const struct store_outbox	*x = a, *y = b;

	if (x->next_attempt != y->next_attempt)
		return (x->next_attempt < y->next_attempt ? -1 : 1);
	return (x->id < y->id ? -1 : x->id > y->id);
}

/*
 * The claim hands out exactly the rows its UPDATE changed (RETURNING), so
 * a message whose result was not recorded is never handed out again while
 * its lease runs, and a claim that could not be written hands out nothing.
 * The attempt is counted when the message is tried, not here.
 */
int
store_outbox_claim(struct store *s, time_t now, time_t lease_until, int limit,
    struct store_outbox **out, size_t *nout, char **cause)
{
	struct store_outbox	*claimed = NULL;
	sqlite3_stmt		*st;
	size_t			 n = 0;
	int			 rc;

	*out = NULL;
	*nout = 0;
	if (store_begin(s, cause) != 0)
		return (-1);
	st = store_prepare(s, STMT_OUTBOX_LEASE, "UPDATE outbox SET state = "
	    "'sending', lease_until = ?2 WHERE id IN (SELECT id FROM outbox "
	    "WHERE (state = 'pending' AND next_attempt <= ?1) OR (state = "
	    "'sending' AND lease_until < ?1) ORDER BY next_attempt, id LIMIT "
	    "?3) RETURNING id, key, (SELECT code FROM units u WHERE u.id = "
	    "outbox.unit_id), kind, channel, recipient, day, subject, body, "
	    "state, attempts, next_attempt, created_at, expires_at, sent_at, "
	    "last_error, spec");
	sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)lease_until);
	sqlite3_bind_int(st, 3, limit);
	while ((rc = store_step_row(s, st, cause)) == 1)
		store_outbox_copy(st, &claimed, &n);
	if (rc < 0) {
		sqlite3_reset(st);
		goto fail;
	}
	sqlite3_reset(st);
	if (store_commit(s, cause) != 0)
		goto fail;
	if (n > 1)
		qsort(claimed, n, sizeof *claimed, store_outbox_order);
	*out = claimed;
	*nout = n;
	return (0);
fail:
	store_rollback(s);
	store_outbox_free(claimed, n);
	return (-1);
}

/*
 * Runs one statement per id in one transaction, binding the id, t and
 * (where the statement has a third parameter) text; 0 or -1 and *cause.
 */
static int
store_outbox_each(struct store *s, enum store_stmt which, const char *sql,
    const int64_t *ids, size_t n, time_t t, const char *text, char **cause)
{
	sqlite3_stmt	*st;
	size_t		 i;

	if (n == 0)
		return (0);
	if (store_begin(s, cause) != 0)
		return (-1);
	for (i = 0; i < n; i++) {
		st = store_prepare(s, which, sql);
		sqlite3_bind_int64(st, 1, ids[i]);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)t);
		if (sqlite3_bind_parameter_count(st) >= 3)
			store_bind_text(st, 3, text);
		if (store_step_done(s, st, cause) != 0)
			goto fail;
	}
	if (store_commit(s, cause) != 0)
		goto fail;
	return (0);
fail:
	store_rollback(s);
	return (-1);
}

int
store_outbox_renew(struct store *s, const int64_t *ids, size_t n,
    time_t lease_until, char **cause)
{
	return (store_outbox_each(s, STMT_OUTBOX_RENEW, "UPDATE outbox SET "
	    "lease_until = ?2 WHERE id = ?1 AND state = 'sending'", ids, n,
	    lease_until, NULL, cause));
}

int
store_outbox_release(struct store *s, const int64_t *ids, size_t n,
    time_t next, const char *why, char **cause)
{
	return (store_outbox_each(s, STMT_OUTBOX_RELEASE, "UPDATE outbox SET "
	    "state = 'pending', lease_until = NULL, next_attempt = CASE WHEN "
	    "?2 > 0 THEN ?2 ELSE next_attempt END, last_error = coalesce(?3, "
	    "last_error) WHERE id = ?1 AND state = 'sending'", ids, n, next,
	    why, cause));
}

int
store_outbox_result(struct store *s, int64_t id, const char *state,
    time_t next, const char *detail, char **cause)
{
	struct store_outbox_outcome	o;

	memset(&o, 0, sizeof o);
	o.id = id;
	o.state = state;
	o.next = next;
	o.detail = detail;
	o.tried = 1;
	return (store_outbox_record(s, &o, cause));
}

int
store_outbox_record(struct store *s, const struct store_outbox_outcome *o,
    char **cause)
{
	sqlite3_stmt	*st;
	time_t		 now = date_now();

	if (store_begin(s, cause) != 0)
		return (-1);
	st = store_prepare(s, STMT_OUTBOX_RESULT, "UPDATE outbox SET "
	    "state = ?2, next_attempt = ?3, lease_until = NULL, attempts = "
	    "attempts + ?8, last_error = CASE WHEN ?2 = 'sent' THEN last_error "
	    "ELSE ?4 END, sent_at = CASE WHEN ?2 = 'sent' THEN ?5 ELSE "
	    "sent_at END, subject = coalesce(?6, subject), body = coalesce(?7, "
	    "body) WHERE id = ?1");
	sqlite3_bind_int64(st, 1, o->id);
	store_bind_text(st, 2, o->state);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)o->next);
	store_bind_text(st, 4, o->detail);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)now);
	store_bind_text(st, 6, o->subject);
	store_bind_text(st, 7, o->body);
	sqlite3_bind_int(st, 8, o->tried ? 1 : 0);
	if (store_step_done(s, st, cause) != 0)
		goto fail;
	st = store_prepare(s, STMT_OUTBOX_DELIVERY, "INSERT INTO deliveries "
	    "(outbox_id, at, result, detail) VALUES (?1, ?2, ?3, ?4)");
	sqlite3_bind_int64(st, 1, o->id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	store_bind_text(st, 3, o->state);
	store_bind_text(st, 4, o->detail);
	if (store_step_done(s, st, cause) != 0 || store_commit(s, cause) != 0)
		goto fail;
	return (0);
fail:
	store_rollback(s);
	return (-1);
}

int
store_outbox_list(struct store *s, const char *state, store_outbox_cb fn,
    void *arg, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc = 0, row;

	st = store_prepare(s, STMT_OUTBOX_LIST, "SELECT " STORE_OUTBOX_COLUMNS
	    " FROM outbox o LEFT JOIN units u ON u.id = o.unit_id WHERE "
	    "?1 IS NULL OR o.state = ?1 ORDER BY o.id");
	store_bind_text(st, 1, state);
	while (rc == 0 && (row = store_step_row(s, st, cause)) == 1)
		rc = store_outbox_emit(st, fn, arg);
	if (rc == 0 && row < 0)
		rc = -1;
	sqlite3_reset(st);
	return (rc);
}

int
store_outbox_retry(struct store *s, int64_t id, time_t now, char **cause)
{
	sqlite3_stmt	*st;

	st = store_prepare(s, STMT_OUTBOX_RETRY, "UPDATE outbox SET state = "
	    "'pending', next_attempt = ?2, expires_at = max(expires_at, ?2 + "
	    "86400), lease_until = NULL WHERE id = ?1 AND state IN ('failed', "
	    "'dead', 'pending')");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	return (store_step_changed(s, st, "failed, dead or pending message", id,
	    cause));
}

time_t
store_outbox_next(struct store *s, char **cause)
{
	sqlite3_stmt	*st;
	time_t		 t = 0;
	int		 row;

	st = store_prepare(s, STMT_OUTBOX_NEXT, "SELECT min(CASE state WHEN "
	    "'pending' THEN next_attempt ELSE lease_until END) FROM outbox "
	    "WHERE state IN ('pending', 'sending')");
	if ((row = store_step_row(s, st, cause)) == 1 &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL)
		t = (time_t)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return (row < 0 ? -1 : t);
}

int
store_outbox_counts_since(struct store *s, time_t since, int64_t counts[5],
    char **cause)
{
	sqlite3_stmt	*st;
	const char	*state;
	int		 i, row;

	memset(counts, 0, 5 * sizeof counts[0]);
	st = store_prepare(s, STMT_OUTBOX_COUNTS, "SELECT state, count(*) "
	    "FROM outbox WHERE created_at >= ?1 GROUP BY state");
	sqlite3_bind_int64(st, 1, (sqlite3_int64)since);
	while ((row = store_step_row(s, st, cause)) == 1) {
		state = store_column_text(st, 0);
		for (i = 0; i < 5; i++)
			if (strcmp(state, store_outbox_states[i]) == 0)
				counts[i] = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return (row < 0 ? -1 : 0);
}

int
store_outbox_counts(struct store *s, int64_t counts[5], char **cause)
{
	return (store_outbox_counts_since(s, 0, counts, cause));
}

int
store_outbox_key_prefix(struct store *s, const char *prefix, char **cause)
{
	sqlite3_stmt	*st;
	int		 found = 0;

	/* A range over the key's unique index, not a scan of the outbox. */
	st = store_prepare(s, STMT_OUTBOX_KEY_PREFIX, "SELECT 1 FROM outbox "
	    "WHERE key > ?1 AND key < ?1 || char(0x10ffff) LIMIT 1");
	store_bind_text(st, 1, prefix);
	found = store_step_row(s, st, cause);
	sqlite3_reset(st);
	return (found);
}

int
store_notice_seen(struct store *s, const char *key, char **cause)
{
	sqlite3_stmt	*st;
	int		 seen;

	st = store_prepare(s, STMT_NOTICE_GET, "SELECT 1 FROM notices WHERE "
	    "key = ?1");
	store_bind_text(st, 1, key);
	seen = store_step_row(s, st, cause);
	sqlite3_reset(st);
	return (seen);
}

int
store_notice_add(struct store *s, const char *key, date_t day,
    const char *outbox_key, char **cause)
{
	sqlite3_stmt	*st;

	st = store_prepare(s, STMT_NOTICE_ADD, "INSERT OR IGNORE INTO notices "
	    "(key, day, outbox_key) VALUES (?1, ?2, ?3)");
	store_bind_text(st, 1, key);
	store_bind_date(st, 2, day);
	store_bind_text(st, 3, outbox_key);
	return (store_step_done(s, st, cause));
}

int
store_feed_token(struct store *s, const char *name, char **token,
    char **cause)
{
	sqlite3_stmt	*st;

	*token = NULL;
	st = store_prepare(s, STMT_FEED_TOKEN, "SELECT token FROM feeds WHERE "
	    "name = ?1");
	store_bind_text(st, 1, name);
	return (store_scalar_text(s, st, token, cause) < 0 ? -1 : 0);
}

int
store_feed_set_token(struct store *s, const char *name, const char *token,
    char **cause)
{
	sqlite3_stmt	*st;

	st = store_prepare(s, STMT_FEED_SET_TOKEN, "INSERT INTO feeds (name, "
	    "token) VALUES (?1, ?2) ON CONFLICT (name) DO UPDATE SET "
	    "token = ?2");
	store_bind_text(st, 1, name);
	store_bind_text(st, 2, token);
	return (store_step_done(s, st, cause));
}
