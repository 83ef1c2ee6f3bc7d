/*
 * The SQLite store.  Schema changes are numbered migrations recorded in
 * PRAGMA user_version; statements are prepared once and kept; every write
 * runs inside a short BEGIN IMMEDIATE transaction opened by the caller.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store.h"
#include "store-private.h"
#include "xmalloc.h"

/*
 * A trigger that writes an "everything changed" row (migration 11) after
 * `event` on `table`.  When the last row already says so, it is taken
 * out first: the log keeps one such row, under a new number, however
 * many rows an import writes, and a reader that had read the old one
 * still hears of the new (a reader before it sees a number missing, which
 * also means everything).
 */
#define STORE_CHANGES_ALL_TRIGGER(name, event, table)			\
	"CREATE TRIGGER " name " AFTER " event " ON " table " BEGIN"	\
	"  DELETE FROM changes WHERE seq = (SELECT max(seq) FROM changes)"	\
	"  AND unit_id IS NULL;"					\
	"  INSERT INTO changes (unit_id, task_id) VALUES (NULL, NULL);"	\
	"  END;"

static const char *store_migrations[] = {
	/* 1: directory, plans, tasks, occurrences */
	"CREATE TABLE units ("
	"  id INTEGER PRIMARY KEY,"
	"  code TEXT NOT NULL UNIQUE,"
	"  name TEXT NOT NULL,"
	"  is_group INTEGER NOT NULL DEFAULT 0,"
	"  lang TEXT NOT NULL DEFAULT 'vi',"
	"  emails TEXT NOT NULL DEFAULT '',"
	"  webhook TEXT,"
	"  webhook_secret_file TEXT,"
	"  webhook_template TEXT,"
	"  parent TEXT,"
	"  aliases TEXT NOT NULL DEFAULT '',"
	"  members TEXT NOT NULL DEFAULT '',"
	"  retired_at TEXT,"
	"  updated_at TEXT NOT NULL);"
	"CREATE TABLE group_members ("
	"  group_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,"
	"  unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,"
	"  PRIMARY KEY (group_id, unit_id));"
	"CREATE TABLE unit_history ("
	"  id INTEGER PRIMARY KEY,"
	"  unit_code TEXT NOT NULL,"
	"  at TEXT NOT NULL,"
	"  change TEXT NOT NULL CHECK (change IN ('added','changed',"
	"    'retired','restored')),"
	"  detail TEXT);"
	"CREATE TABLE plans ("
	"  id INTEGER PRIMARY KEY,"
	"  code TEXT NOT NULL UNIQUE,"
	"  title TEXT,"
	"  year INTEGER NOT NULL,"
	"  starts TEXT NOT NULL,"
	"  ends TEXT NOT NULL,"
	"  coordinator TEXT,"
	"  source TEXT,"
	"  generation INTEGER NOT NULL DEFAULT 0,"
	"  imported_at TEXT);"
	"CREATE TABLE tasks ("
	"  id INTEGER PRIMARY KEY,"
	"  plan_id INTEGER NOT NULL REFERENCES plans(id),"
	"  ref TEXT NOT NULL,"
	"  section TEXT,"
	"  category TEXT,"
	"  content TEXT,"
	"  title TEXT NOT NULL,"
	"  time_text TEXT,"
	"  kind TEXT NOT NULL CHECK (kind IN ('once','recurring','ongoing',"
	"    'on_event','unparsed')),"
	"  due TEXT,"
	"  rrule TEXT,"
	"  starts TEXT,"
	"  ends TEXT,"
	"  source_line INTEGER,"
	"  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active',"
	"    'withdrawn')),"
	"  unmatched TEXT,"
	"  generation INTEGER NOT NULL DEFAULT 0,"
	"  revision INTEGER NOT NULL DEFAULT 1,"
	"  updated_at TEXT NOT NULL,"
	"  UNIQUE (plan_id, ref));"
	"CREATE TABLE assignments ("
	"  task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,"
	"  unit_id INTEGER NOT NULL REFERENCES units(id),"
	"  role TEXT NOT NULL CHECK (role IN ('lead','support','report_to')),"
	"  via TEXT,"
	"  PRIMARY KEY (task_id, unit_id));"
	"CREATE TABLE occurrences ("
	"  id INTEGER PRIMARY KEY,"
	"  task_id INTEGER NOT NULL REFERENCES tasks(id),"
	"  unit_id INTEGER NOT NULL REFERENCES units(id),"
	"  nominal TEXT NOT NULL,"
	"  effective TEXT NOT NULL,"
	"  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','done',"
	"    'waived')),"
	"  done_on TEXT,"
	"  note TEXT,"
	"  changed_by TEXT,"
	"  changed_at TEXT,"
	"  snooze_until TEXT,"
	"  sequence INTEGER NOT NULL DEFAULT 0,"
	"  mark INTEGER NOT NULL DEFAULT 0,"
	"  UNIQUE (task_id, unit_id, nominal));"
	"CREATE INDEX occurrences_due ON occurrences (status, effective);"
	"CREATE INDEX occurrences_unit ON occurrences (unit_id, effective);"
	"CREATE TABLE occurrence_log ("
	"  id INTEGER PRIMARY KEY,"
	"  occurrence_id INTEGER NOT NULL REFERENCES occurrences(id)"
	"    ON DELETE CASCADE,"
	"  at TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  by TEXT,"
	"  note TEXT);",

	/* 2: delivery: outbox, results, reminders given, feeds, daemon state */
	"ALTER TABLE units ADD COLUMN webhook_disabled_at TEXT;"
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY,"
	"  key TEXT NOT NULL UNIQUE,"
	"  unit_id INTEGER REFERENCES units(id),"
	"  kind TEXT NOT NULL,"
	"  channel TEXT NOT NULL,"
	"  recipient TEXT NOT NULL,"
	"  day TEXT NOT NULL,"
	"  subject TEXT,"
	"  body TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending',"
	"    'sending','sent','failed','dead')),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt INTEGER NOT NULL,"
	"  lease_until INTEGER,"
	"  last_error TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  expires_at INTEGER NOT NULL,"
	"  sent_at INTEGER);"
	"CREATE INDEX outbox_due ON outbox (state, next_attempt);"
	"CREATE TABLE deliveries ("
	"  id INTEGER PRIMARY KEY,"
	"  outbox_id INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,"
	"  at INTEGER NOT NULL,"
	"  result TEXT NOT NULL,"
	"  detail TEXT);"
	"CREATE TABLE notices ("
	"  key TEXT PRIMARY KEY,"
	"  day TEXT NOT NULL,"
	"  outbox_key TEXT);"
	"CREATE TABLE feeds ("
	"  name TEXT PRIMARY KEY,"
	"  token TEXT NOT NULL,"
	"  etag TEXT,"
	"  generated_at INTEGER);"
	"CREATE TABLE meta ("
	"  key TEXT PRIMARY KEY,"
	"  value TEXT);",

	/* 3: indexes for the cascades of deleted occurrences and messages */
	"CREATE INDEX occurrence_log_occurrence ON occurrence_log "
	"  (occurrence_id);"
	"CREATE INDEX deliveries_outbox ON deliveries (outbox_id);",

	/*
	 * 4: the planning pass reads no row of occurrences or tasks.  It asks
	 * only which stage each open occurrence of the window is in today and
	 * was in at the last pass (meta plan_day, plan_seq), so the index
	 * covers what that needs; born is the plan_seq at which an occurrence
	 * appeared, changed date or was reopened (new since the last pass:
	 * its current stage is said).  Withdrawn and undated tasks, few,
	 * get partial indexes so no pass scans every task or assignment.  A
	 * planned digest keeps its item list in spec and is rendered when
	 * first sent.
	 */
	"ALTER TABLE occurrences ADD COLUMN born INTEGER NOT NULL DEFAULT 0;"
	"DROP INDEX occurrences_due;"
	"CREATE INDEX occurrences_due ON occurrences (status, effective, "
	"  unit_id, task_id, born, snooze_until);"
	"CREATE INDEX tasks_inactive ON tasks (id) WHERE status <> 'active';"
	"CREATE INDEX tasks_undated ON tasks (kind) WHERE kind = 'ongoing' OR "
	"  kind = 'on_event' OR kind = 'unparsed';"
	"ALTER TABLE outbox ADD COLUMN spec TEXT;"
	/*
	 * A database that planned before: the last day it said something is
	 * the last pass, so its first pass now says only what changed since,
	 * not every current stage again.
	 */
	"INSERT OR IGNORE INTO meta (key, value) SELECT 'plan_day', "
	"  (SELECT max(day) FROM notices) WHERE EXISTS (SELECT 1 FROM notices);"
	"INSERT OR IGNORE INTO meta (key, value) SELECT 'plan_seq', '1' "
	"  WHERE EXISTS (SELECT 1 FROM notices);",

	/*
	 * 5: CHECK (x IN ('a', 'b', 'c')) becomes x = 'a' OR x = 'b' OR ...,
	 * which accepts exactly the same values.  SQLite (3.40 at least)
	 * evaluates an IN list of more than two constants inside a CHECK by
	 * building a temporary b-tree for every row written (the cost is in
	 * docs/BENCHMARKS.md).  Nothing on disk depends on the text of a
	 * CHECK, so it is replaced in sqlite_master without rebuilding any
	 * table, the way lang_altertable.html#otheralter describes;
	 * store_migrate() then bumps schema_version so that every
	 * connection reads the new text.
	 */
	"PRAGMA writable_schema = ON;"
	"UPDATE sqlite_master SET sql = replace(sql,"
	"  'change IN (''added'',''changed'',    ''retired'',''restored'')',"
	"  'change = ''added'' OR change = ''changed'' OR"
	"  change = ''retired'' OR change = ''restored''')"
	"  WHERE type = 'table' AND name = 'unit_history';"
	"UPDATE sqlite_master SET sql = replace(sql,"
	"  'kind IN (''once'',''recurring'',''ongoing'',    ''on_event'',"
	"''unparsed'')',"
	"  'kind = ''once'' OR kind = ''recurring'' OR kind = ''ongoing'' OR"
	"  kind = ''on_event'' OR kind = ''unparsed''')"
	"  WHERE type = 'table' AND name = 'tasks';"
	"UPDATE sqlite_master SET sql = replace(sql,"
	"  'role IN (''lead'',''support'',''report_to'')',"
	"  'role = ''lead'' OR role = ''support'' OR role = ''report_to''')"
	"  WHERE type = 'table' AND name = 'assignments';"
	"UPDATE sqlite_master SET sql = replace(sql,"
	"  'status IN (''open'',''done'',    ''waived'')',"
	"  'status = ''open'' OR status = ''done'' OR status = ''waived''')"
	"  WHERE type = 'table' AND name = 'occurrences';"
	"UPDATE sqlite_master SET sql = replace(sql,"
	"  'state IN (''pending'',    ''sending'',''sent'',''failed'',"
	"''dead'')',"
	"  'state = ''pending'' OR state = ''sending'' OR state = ''sent'' OR"
	"  state = ''failed'' OR state = ''dead''')"
	"  WHERE type = 'table' AND name = 'outbox';"
	"PRAGMA writable_schema = OFF;",

	/* 6: a task's notes: the plan's "Ghi chú", product, other columns */
	"ALTER TABLE tasks ADD COLUMN notes TEXT;",

	/*
	 * 7: how a task's time cell was read (issue #17): quality exact,
	 * partial or unparsed with the words left over, and a day-off rule
	 * of the task's own ("trước X" moves to the previous working day,
	 * NULL follows [calendar] dayoff_rule).  An occurrence whose date
	 * had passed when its plan was imported carries that import's plan
	 * generation in past_import: the planning pass neither reminds the
	 * unit of it nor escalates it.  Few rows of either kind, so partial
	 * indexes spare the pass a read of every task or occurrence.
	 */
	"ALTER TABLE tasks ADD COLUMN dayoff TEXT CHECK (dayoff IS NULL OR"
	"  dayoff = 'previous' OR dayoff = 'next');"
	"ALTER TABLE tasks ADD COLUMN quality TEXT NOT NULL DEFAULT 'exact'"
	"  CHECK (quality = 'exact' OR quality = 'partial' OR"
	"  quality = 'unparsed');"
	"ALTER TABLE tasks ADD COLUMN leftover TEXT;"
	"UPDATE tasks SET quality = 'unparsed' WHERE kind = 'unparsed';"
	"ALTER TABLE occurrences ADD COLUMN past_import INTEGER NOT NULL"
	"  DEFAULT 0;"
	"CREATE INDEX tasks_review ON tasks (id) WHERE quality <> 'exact';"
	"CREATE INDEX occurrences_past ON occurrences (id, task_id, status)"
	"  WHERE past_import <> 0;",

	/*
	 * 8: the console and the actions on an occurrence (issue #19).  An
	 * extension sets `extended`, the due date that wins over the one the
	 * scheduler works out (effective follows it, so reminders, feeds and
	 * reports do), and keeps the date it replaced in occurrence_moves.  A
	 * unit's request for one waits in extension_requests until the
	 * coordinator answers; `told` names the digest that told the unit.
	 * Every history row says where it came from.  Console sign-in: a
	 * login link is used once and makes a session; both are kept as
	 * SHA-256 hashes, never as the secret.  unit_links holds the
	 * generation of a unit's page links: renewing it ends the old ones.
	 */
	"ALTER TABLE occurrences ADD COLUMN extended TEXT;"
	"ALTER TABLE occurrence_log ADD COLUMN origin TEXT;"
	"CREATE TABLE occurrence_moves ("
	"  id INTEGER PRIMARY KEY,"
	"  occurrence_id INTEGER NOT NULL REFERENCES occurrences(id)"
	"    ON DELETE CASCADE,"
	"  at TEXT NOT NULL,"
	"  old_due TEXT NOT NULL,"
	"  new_due TEXT NOT NULL,"
	"  reason TEXT NOT NULL,"
	"  by TEXT NOT NULL,"
	"  origin TEXT,"
	"  request_id INTEGER);"
	"CREATE INDEX occurrence_moves_occurrence ON occurrence_moves "
	"  (occurrence_id);"
	"CREATE TABLE extension_requests ("
	"  id INTEGER PRIMARY KEY,"
	"  occurrence_id INTEGER NOT NULL REFERENCES occurrences(id)"
	"    ON DELETE CASCADE,"
	"  unit_id INTEGER NOT NULL REFERENCES units(id),"
	"  due TEXT NOT NULL,"
	"  reason TEXT NOT NULL,"
	"  by TEXT NOT NULL,"
	"  origin TEXT,"
	"  at TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'pending' CHECK (state = 'pending' OR"
	"    state = 'approved' OR state = 'declined'),"
	"  decided_by TEXT,"
	"  decided_at TEXT,"
	"  answer TEXT,"
	"  told TEXT);"
	"CREATE INDEX extension_requests_occurrence ON extension_requests "
	"  (occurrence_id);"
	"CREATE INDEX extension_requests_pending ON extension_requests (id)"
	"  WHERE state = 'pending';"
	"CREATE INDEX extension_requests_untold ON extension_requests"
	"  (unit_id) WHERE state <> 'pending' AND told IS NULL;"
	"CREATE TABLE console_logins ("
	"  hash TEXT PRIMARY KEY,"
	"  user TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  expires_at INTEGER NOT NULL,"
	"  used_at INTEGER,"
	"  used_from TEXT);"
	"CREATE TABLE console_sessions ("
	"  id INTEGER PRIMARY KEY,"
	"  hash TEXT NOT NULL UNIQUE,"
	"  user TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  expires_at INTEGER NOT NULL,"
	"  origin TEXT,"
	"  revoked_at INTEGER);"
	"CREATE TABLE unit_links ("
	"  unit_id INTEGER PRIMARY KEY REFERENCES units(id),"
	"  generation INTEGER NOT NULL DEFAULT 0);",

	/*
	 * 9: whom a plan's replies reach (deadlinectl plan reply-to): a
	 * digest of one plan's items says this address before [smtp]
	 * reply_to and the coordinator's.  NULL: none set.
	 */
	"ALTER TABLE plans ADD COLUMN reply_to TEXT;",

	/*
	 * 10: what a report (and the console's overview) reads of an
	 * occurrence, in the order it counts them: a period's rows are one
	 * range of this index, read without the table and grouped without a
	 * sort (store_report_tally; the figures are in NOTES of issue #19).
	 */
	"CREATE INDEX occurrences_report ON occurrences (effective, unit_id,"
	"  status, done_on, extended, task_id);",

	/*
	 * 11: what changed, for the pages and feeds kept rendered (the
	 * console's, the feed files): a row per changed occurrence names its
	 * unit and task, so that only that unit's rows are made again; a row
	 * without a unit (a plan, task, unit or assignment written, an
	 * occurrence added or removed) means "everything".  Written by
	 * triggers, so that no writer, this program's or another's, can
	 * forget; an update that changes only the planning pass's mark
	 * writes nothing.  group_members has none: every sync of the unit
	 * directory writes it again, and a group's members change only with
	 * a row of units (its members, a unit added or retired).
	 * AUTOINCREMENT: a number is never used twice, so a reader that
	 * finds its last number pruned knows it missed some
	 * (store_changes_since).  An "everything" row is not kept twice in
	 * a row: an import leaves one, not one per occurrence.
	 */
	"CREATE TABLE changes ("
	"  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  unit_id INTEGER,"
	"  task_id INTEGER);"
	"CREATE TRIGGER occurrences_changed AFTER UPDATE ON occurrences"
	"  WHEN OLD.status IS NOT NEW.status"
	"  OR OLD.effective IS NOT NEW.effective"
	"  OR OLD.nominal IS NOT NEW.nominal"
	"  OR OLD.done_on IS NOT NEW.done_on"
	"  OR OLD.extended IS NOT NEW.extended"
	"  OR OLD.sequence IS NOT NEW.sequence"
	"  OR OLD.note IS NOT NEW.note"
	"  OR OLD.snooze_until IS NOT NEW.snooze_until"
	"  OR OLD.unit_id IS NOT NEW.unit_id"
	"  OR OLD.task_id IS NOT NEW.task_id"
	"  BEGIN"
	"  INSERT INTO changes (unit_id, task_id) VALUES (OLD.unit_id,"
	"    OLD.task_id);"
	"  INSERT INTO changes (unit_id, task_id) SELECT NEW.unit_id,"
	"    NEW.task_id WHERE OLD.unit_id IS NOT NEW.unit_id"
	"    OR OLD.task_id IS NOT NEW.task_id;"
	"  END;"
	STORE_CHANGES_ALL_TRIGGER("occurrences_added", "INSERT", "occurrences")
	STORE_CHANGES_ALL_TRIGGER("occurrences_removed", "DELETE",
	    "occurrences")
	STORE_CHANGES_ALL_TRIGGER("tasks_added", "INSERT", "tasks")
	STORE_CHANGES_ALL_TRIGGER("tasks_changed", "UPDATE", "tasks")
	STORE_CHANGES_ALL_TRIGGER("tasks_removed", "DELETE", "tasks")
	STORE_CHANGES_ALL_TRIGGER("units_added", "INSERT", "units")
	STORE_CHANGES_ALL_TRIGGER("units_changed", "UPDATE", "units")
	STORE_CHANGES_ALL_TRIGGER("units_removed", "DELETE", "units")
	STORE_CHANGES_ALL_TRIGGER("plans_added", "INSERT", "plans")
	STORE_CHANGES_ALL_TRIGGER("plans_changed", "UPDATE", "plans")
	STORE_CHANGES_ALL_TRIGGER("plans_removed", "DELETE", "plans")
	STORE_CHANGES_ALL_TRIGGER("assignments_added", "INSERT",
	    "assignments")
	STORE_CHANGES_ALL_TRIGGER("assignments_changed", "UPDATE",
	    "assignments")
	STORE_CHANGES_ALL_TRIGGER("assignments_removed", "DELETE",
	    "assignments"),
};
#define STORE_NMIGRATIONS \
	(int)(sizeof store_migrations / sizeof store_migrations[0])

/* Runs SQL without results; 0 or -1 and *cause. */
int
store_exec(struct store *s, const char *sql, char **cause)
{
	char	*err = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		if (cause != NULL)
			xasprintf(cause, "%s: %s", s->path, err != NULL ? err :
			    sqlite3_errmsg(s->db));
		sqlite3_free(err);
		return (-1);
	}
	return (0);
}

/* Returns the prepared statement for sql, preparing it the first time. */
sqlite3_stmt *
store_prepare(struct store *s, enum store_stmt which, const char *sql)
{
	sqlite3_stmt	*st;

	if ((st = s->stmts[which]) != NULL) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return (st);
	}
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
	    NULL) != SQLITE_OK)
		fatalx("%s: prepare: %s: %s", s->path, sqlite3_errmsg(s->db),
		    sql);
	s->stmts[which] = st;
	return (st);
}

/*
 * Anonymous parameters: SQLite looks a numbered one (?NNN) up in a list,
 * which makes preparing a statement of thousands of rows quadratic.
 */
sqlite3_stmt *
store_prepare_rows(struct store *s, sqlite3_stmt **slot, const char *head,
    const char *row, size_t n, const char *tail)
{
	struct buf	 sql;
	size_t		 i;

	if (*slot != NULL) {
		sqlite3_reset(*slot);
		return (*slot);
	}
	buf_init(&sql);
	buf_adds(&sql, head);
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_adds(&sql, ", ");
		buf_adds(&sql, row);
	}
	buf_adds(&sql, tail);
	if (sqlite3_prepare_v3(s->db, sql.data, -1,
	    SQLITE_PREPARE_PERSISTENT, slot, NULL) != SQLITE_OK)
		fatalx("%s: prepare: %s: %s", s->path, sqlite3_errmsg(s->db),
		    sql.data);
	buf_free(&sql);
	return (*slot);
}

/* The one integer a query run once (a pragma) gives; 0, or -1 and *cause. */
static int
store_query_int(struct store *s, const char *sql, int64_t *v, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		xasprintf(cause, "%s: %s", s->path, sqlite3_errmsg(s->db));
		return (-1);
	}
	rc = store_scalar(s, st, v, cause);
	sqlite3_finalize(st);
	if (rc == 0)
		xasprintf(cause, "%s: %s: no result", s->path, sql);
	return (rc == 1 ? 0 : -1);
}

/* Reads PRAGMA user_version, or -1 (e.g. not a database). */
static int
store_user_version(struct store *s, char **cause)
{
	int64_t	v;

	if (store_query_int(s, "PRAGMA user_version", &v, cause) != 0)
		return (-1);
	return ((int)v);
}

/*
 * Bumps schema_version.  A migration that edits sqlite_master in place needs
 * it so that every connection, this one included, reads the schema again;
 * after one that ran DDL it merely costs one more read of the schema.
 */
static int
store_bump_schema_version(struct store *s, char **cause)
{
	char	sql[64];
	int64_t	v;

	if (store_query_int(s, "PRAGMA schema_version", &v, cause) != 0)
		return (-1);
	snprintf(sql, sizeof sql, "PRAGMA schema_version = %lld",
	    (long long)v + 1);
	return (store_exec(s, sql, cause));
}

/* Applies the migrations after `from` up to `to`, each in a transaction. */
static int
store_migrate(struct store *s, int from, int to, char **cause)
{
	char	sql[64];
	int	v;

	for (v = from; v < to; v++) {
		if (store_exec(s, "BEGIN IMMEDIATE", cause) != 0)
			return (-1);
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
		if (store_exec(s, store_migrations[v], cause) != 0 ||
		    store_bump_schema_version(s, cause) != 0 ||
		    store_exec(s, sql, cause) != 0) {
			store_exec(s, "ROLLBACK", NULL);
			return (-1);
		}
		if (store_exec(s, "COMMIT", cause) != 0)
			return (-1);
	}
	return (0);
}

/* Sets the connection's pragmas. */
static int
store_pragmas(struct store *s, int busy_ms, char **cause)
{
	sqlite3_busy_timeout(s->db, busy_ms);
	if (store_exec(s, "PRAGMA foreign_keys = ON", cause) != 0 ||
	    store_exec(s, "PRAGMA journal_mode = WAL", cause) != 0 ||
	    store_exec(s, "PRAGMA synchronous = FULL", cause) != 0)
		return (-1);
	return (0);
}

/*
 * SQLite's process-wide settings, before its first use.  Memory statistics
 * (sqlite3_memory_used(), the soft heap limit; neither is used here) cost a
 * global mutex and counters around every allocation SQLite makes, and most
 * statements allocate cursors (docs/BENCHMARKS.md).
 * The statement journal keeps SQLite's default (spilled to a temporary
 * file past 64 KiB): raised to 4 MiB, the dispatcher's claim of 1,000
 * queued messages failed with SQLITE_FULL (bench/email_vs_msmtp.sh).
 */
static pthread_once_t	store_config_once = PTHREAD_ONCE_INIT;

static void
store_sqlite_config(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/*
 * Creates a new database file private to its owner (0600, whatever the
 * umask) before SQLite opens it: SQLite would create it 0644 less the
 * umask, and gives its -wal and -shm files the mode of the database.
 */
static int
store_create_private(const char *path, char **cause)
{
	int	fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) == -1) {
		if (errno == EEXIST)
			return (0);
		xasprintf(cause, "%s: cannot create database: %s", path,
		    strerror(errno));
		return (-1);
	}
	if (fchmod(fd, 0600) != 0) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		close(fd);
		return (-1);
	}
	close(fd);
	return (0);
}

/*
 * Says why a database could not be read: only a file that is not an
 * SQLite database is "not a deadlined database"; a full disk, an I/O error
 * or a refused permission says so, with the system's reason.
 */
static void
store_open_error(struct store *s, char **cause)
{
	int	code = sqlite3_extended_errcode(s->db), sys;

	if ((code & 0xff) == SQLITE_NOTADB) {
		xasprintf(cause, "%s: not a deadlined database (%s)", s->path,
		    sqlite3_errmsg(s->db));
		return;
	}
	sys = sqlite3_system_errno(s->db);
	if (sys != 0)
		xasprintf(cause, "%s: cannot read the database: %s (%s)",
		    s->path, sqlite3_errmsg(s->db), strerror(sys));
	else
		xasprintf(cause, "%s: cannot read the database: %s", s->path,
		    sqlite3_errmsg(s->db));
}

/* 1 if the database has no tables of its own, 0 if it has, -1 and *cause. */
static int
store_is_empty(struct store *s, char **cause)
{
	int64_t	n;

	if (store_query_int(s, "SELECT count(*) FROM sqlite_master", &n,
	    cause) != 0)
		return (-1);
	return (n == 0);
}

struct store *
store_open(const char *path, int create, int busy_ms, char **cause)
{
	struct store	*s;
	int		 flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	int		 v, empty;
	char		*sub = NULL;

	pthread_once(&store_config_once, store_sqlite_config);
	if (!create && access(path, F_OK) != 0) {
		xasprintf(cause, "%s: no database (run 'deadlinectl init' "
		    "first)", path);
		return (NULL);
	}
	if (create)
		flags |= SQLITE_OPEN_CREATE;
	s = xcalloc(1, sizeof *s);
	s->path = xstrdup(path);
	if (create && store_create_private(path, cause) != 0)
		goto fail;
	if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
		xasprintf(cause, "%s: cannot open database: %s", path,
		    s->db != NULL ? sqlite3_errmsg(s->db) : "out of memory");
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	/* Even the first read waits for a writer (a recovery, a checkpoint). */
	sqlite3_busy_timeout(s->db, busy_ms);
	if ((v = store_user_version(s, &sub)) < 0) {
		store_open_error(s, cause);
		goto fail;
	}
	if (v > STORE_SCHEMA_VERSION) {
		xasprintf(cause, "%s: database schema version %d is newer than "
		    "this program's (%d); refusing to touch it", path, v,
		    STORE_SCHEMA_VERSION);
		goto fail;
	}
	if (v == 0 && (empty = store_is_empty(s, cause)) != 1) {
		if (empty == 0)
			xasprintf(cause, "%s: not a deadlined database (it has "
			    "tables but no schema version)", path);
		goto fail;
	}
	if (store_pragmas(s, busy_ms, cause) != 0 ||
	    store_migrate(s, v, STORE_SCHEMA_VERSION, cause) != 0)
		goto fail;
	free(sub);
	return (s);
fail:
	free(sub);
	store_close(s);
	return (NULL);
}

void
store_close(struct store *s)
{
	int	i;

	if (s == NULL)
		return;
	for (i = 0; i < STORE_NSTMTS; i++)
		sqlite3_finalize(s->stmts[i]);
	sqlite3_finalize(s->occ_batch);
	sqlite3_finalize(s->occ_tail);
	sqlite3_finalize(s->assign_batch);
	if (s->db != NULL)
		sqlite3_close(s->db);
	free(s->path);
	free(s);
}

int
store_schema_version(struct store *s)
{
	char	*cause = NULL;
	int	 v;

	v = store_user_version(s, &cause);
	free(cause);
	return (v);
}

int
store_begin(struct store *s, char **cause)
{
	return (store_exec(s, "BEGIN IMMEDIATE", cause));
}

int
store_commit(struct store *s, char **cause)
{
	return (store_exec(s, "COMMIT", cause));
}

void
store_rollback(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		store_exec(s, "ROLLBACK", NULL);
}

int
store_bulk(struct store *s, int on, char **cause)
{
	char	sql[80];
	int64_t	size;

	/*
	 * The default page cache (2 MB) is far smaller than what a large
	 * import dirties, so SQLite spills pages to the WAL mid-transaction,
	 * reads them back and writes them again.  64 MB is a ceiling, not an
	 * allocation: pages are taken as they are touched.  Temporary
	 * b-trees (the scheduler's sort, statement journals) stay in memory
	 * instead of in a file under /var/tmp.  temp_store cannot change
	 * inside a transaction, hence a call on each side of it.
	 */
	if (on) {
		if (store_query_int(s, "PRAGMA cache_size", &size, cause) != 0)
			return (-1);
		s->bulk = 1;
		s->cache_size = (int)size;
		return (store_exec(s, "PRAGMA cache_size = -65536; "
		    "PRAGMA temp_store = MEMORY", cause));
	}
	/* The large statement holds megabytes; a daemon has no use for it. */
	s->bulk = 0;
	sqlite3_finalize(s->occ_batch);
	s->occ_batch = NULL;
	if (s->cache_size == 0)
		return (store_exec(s, "PRAGMA temp_store = DEFAULT", cause));
	snprintf(sql, sizeof sql, "PRAGMA cache_size = %d; "
	    "PRAGMA temp_store = DEFAULT", s->cache_size);
	s->cache_size = 0;
	return (store_exec(s, sql, cause));
}

int
store_data_version(struct store *s)
{
	sqlite3_stmt	*st;
	int64_t		 v = -1;

	st = store_prepare(s, STMT_DATA_VERSION, "PRAGMA data_version");
	if (store_scalar(s, st, &v, NULL) != 1)
		return (-1);
	return ((int)v);
}

int
store_integrity_check(struct store *s, char **cause)
{
	sqlite3_stmt	*st;
	char		*r = NULL;
	int		 rc;

	if (sqlite3_prepare_v2(s->db, "PRAGMA integrity_check", -1, &st,
	    NULL) != SQLITE_OK) {
		xasprintf(cause, "%s: %s", s->path, sqlite3_errmsg(s->db));
		return (-1);
	}
	rc = store_scalar_text(s, st, &r, cause);
	sqlite3_finalize(st);
	if (rc == 1 && r != NULL && strcmp(r, "ok") == 0)
		rc = 0;
	else if (rc >= 0) {
		xasprintf(cause, "%s: integrity check: %s", s->path,
		    r != NULL ? r : "no result");
		rc = -1;
	}
	free(r);
	return (rc);
}

int
store_backup(struct store *s, const char *to, char **cause)
{
	sqlite3_backup	*b;
	sqlite3		*dst = NULL;
	char		*tmp;
	int		 rc;

	xasprintf(&tmp, "%s.tmp%ld", to, (long)getpid());
	if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		xasprintf(cause, "%s: %s", tmp, sqlite3_errmsg(dst));
		goto fail;
	}
	if ((b = sqlite3_backup_init(dst, "main", s->db, "main")) == NULL) {
		xasprintf(cause, "%s: %s", to, sqlite3_errmsg(dst));
		goto fail;
	}
	while ((rc = sqlite3_backup_step(b, 256)) == SQLITE_OK ||
	    rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		sqlite3_sleep(10);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		xasprintf(cause, "%s: backup failed: %s", to,
		    sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_close(dst);
	dst = NULL;
	if (rename(tmp, to) != 0) {
		xasprintf(cause, "%s: %s", to, strerror(errno));
		goto fail;
	}
	free(tmp);
	return (0);
fail:
	if (dst != NULL)
		sqlite3_close(dst);
	unlink(tmp);
	free(tmp);
	return (-1);
}

/* Binds a date as ISO text, or NULL for DATE_NONE. */
void
store_bind_date(sqlite3_stmt *st, int i, date_t d)
{
	char	buf[11];

	if (d == DATE_NONE) {
		sqlite3_bind_null(st, i);
		return;
	}
	date_format_iso(d, buf);
	sqlite3_bind_text(st, i, buf, -1, SQLITE_TRANSIENT);
}

/* Binds text, or NULL for a NULL pointer. */
void
store_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

/*
 * Binds text without copying it, or NULL for a NULL pointer: the text must
 * stay unchanged until the statement is stepped and reset.  The statement
 * keeps the pointer afterwards but reads it only in a step, and every use
 * binds all its parameters again.
 */
void
store_bind_borrowed(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

/* Reads an ISO date column, DATE_NONE when NULL or malformed. */
date_t
store_column_date(sqlite3_stmt *st, int i)
{
	const char	*s = (const char *)sqlite3_column_text(st, i);
	date_t		 d;

	if (s == NULL || date_parse_iso(s, &d) != 0)
		return (DATE_NONE);
	return (d);
}

/* Reads a text column (borrowed until the next step). */
const char *
store_column_text(sqlite3_stmt *st, int i)
{
	return ((const char *)sqlite3_column_text(st, i));
}

/* Steps a write statement; 0 or -1 and *cause. */
int
store_step_done(struct store *s, sqlite3_stmt *st, char **cause)
{
	int	rc;

	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		if (cause != NULL)
			xasprintf(cause, "%s: %s", s->path,
			    sqlite3_errmsg(s->db));
		sqlite3_reset(st);
		return (-1);
	}
	sqlite3_reset(st);
	return (0);
}

/* Steps a write that must change a row (an update by id). */
int
store_step_changed(struct store *s, sqlite3_stmt *st, const char *what,
    int64_t id, char **cause)
{
	if (store_step_done(s, st, cause) != 0)
		return (-1);
	if (sqlite3_changes(s->db) == 0) {
		xasprintf(cause, "no %s %lld", what, (long long)id);
		return (-1);
	}
	return (0);
}

/* The cause of a failed step, read before the statement is reset. */
int
store_step_failed(struct store *s, char **cause)
{
	if (cause != NULL)
		xasprintf(cause, "%s: %s", s->path, sqlite3_errmsg(s->db));
	return (-1);
}

/* Reads the one number a statement yields, if any. */
int
store_scalar(struct store *s, sqlite3_stmt *st, int64_t *v, char **cause)
{
	int	rc;

	if ((rc = store_step_row(s, st, cause)) == 1)
		*v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return (rc);
}

/* Reads the one text a statement yields, if any. */
int
store_scalar_text(struct store *s, sqlite3_stmt *st, char **v, char **cause)
{
	const char	*text;
	int		 rc;

	if ((rc = store_step_row(s, st, cause)) == 1) {
		text = store_column_text(st, 0);
		*v = text != NULL ? xstrdup(text) : NULL;
	}
	sqlite3_reset(st);
	return (rc);
}

/* The local time now as ISO text (changed_at, history). */
void
store_now_text(char buf[32])
{
	struct tm	tm;
	time_t		t = date_now();

	localtime_r(&t, &tm);
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%S", &tm);
}

/* Writing a key of meta sets its value. */
#define STORE_META_INSERT "INSERT INTO meta (key, value) VALUES "
#define STORE_META_CONFLICT " ON CONFLICT (key) DO UPDATE SET value = " \
	"excluded.value"

int
store_meta_set(struct store *s, const char *key, const char *value,
    char **cause)
{
	sqlite3_stmt	*st;

	st = store_prepare(s, STMT_META_SET, STORE_META_INSERT "(?1, ?2)"
	    STORE_META_CONFLICT);
	store_bind_text(st, 1, key);
	store_bind_text(st, 2, value);
	return (store_step_done(s, st, cause));
}

int
store_heartbeat(struct store *s, time_t last, time_t next, char **cause)
{
	sqlite3_stmt	*st;

	st = store_prepare(s, STMT_HEARTBEAT, STORE_META_INSERT "('last_pass', "
	    "?1), ('next_wake', ?2)" STORE_META_CONFLICT);
	sqlite3_bind_int64(st, 1, (sqlite3_int64)last);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)next);
	return (store_step_done(s, st, cause));
}

/*
 * Whether a commit waits for the disk (synchronous FULL, the default) or
 * not (NORMAL: in WAL mode the log is synced at checkpoints only, so a
 * power loss can undo the last commits but never corrupt the file).
 */
int
store_durable(struct store *s, int full, char **cause)
{
	return (store_exec(s, full ? "PRAGMA synchronous = FULL" :
	    "PRAGMA synchronous = NORMAL", cause));
}

int
store_meta_get(struct store *s, const char *key, char **value, char **cause)
{
	sqlite3_stmt	*st;

	*value = NULL;
	st = store_prepare(s, STMT_META_GET, "SELECT value FROM meta "
	    "WHERE key = ?1");
	store_bind_text(st, 1, key);
	return (store_scalar_text(s, st, value, cause) < 0 ? -1 : 0);
}

char *
store_feed_stamp(struct store *s, char **cause)
{
	sqlite3_stmt	*st;
	char		*stamp = NULL;

	st = store_prepare(s, STMT_FEED_STAMP, "SELECT (SELECT count(*) || "
	    "'.' || total(revision) || '.' || max(updated_at) || '.' || "
	    "max(id) FROM tasks) || '/' || (SELECT count(*) || '.' || "
	    "total(sequence) || '.' || max(id) FROM occurrences) || '/' || "
	    "(SELECT count(*) || '.' || max(updated_at) FROM units) || '/' || "
	    "(SELECT count(*) || '.' || total(task_id * unit_id) FROM "
	    "assignments) || '/' || (SELECT count(*) FROM feeds)");
	if (store_scalar_text(s, st, &stamp, cause) < 0)
		return (NULL);
	/* An empty table makes the whole stamp NULL. */
	return (stamp != NULL ? stamp : xstrdup(""));
}
