/*
 * Tests of the store (store*.c): creation, migrations from each older
 * version, refusals that leave a foreign file untouched, units sync with its
 * history, tasks, occurrences and the outbox.  Rows are read back with plain
 * sqlite3 calls on a second connection, not through the store.
 */
#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "date.h"
#include "directory.h"
#include "scratch.h"
#include "store.h"
#include "units.h"
#include "xmalloc.h"

static int	 dbcount;

/* A fresh database path in the temporary directory; caller frees. */
static char *
new_path(const char *what)
{
	char	*path;

	xasprintf(&path, "%s/%s-%d.db", scratch_dir, what, ++dbcount);
	return (path);
}

/* Writes text to scratch_dir/name; caller frees the path. */
static char *
write_file(const char *name, const char *text)
{
	char	*path;
	FILE	*f;

	xasprintf(&path, "%s/%s", scratch_dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	return (path);
}

/* 1 if path exists. */
static int
exists(const char *path)
{
	struct stat	st;

	return (stat(path, &st) == 0);
}

/* The first column of the first row of a query as an integer. */
static int64_t
raw_int(const char *path, const char *sql)
{
	sqlite3_stmt	*st;
	sqlite3		*db;
	int64_t		 v = -1;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return (v);
}

/* The first column of the first row as text, or "(none)"; caller frees. */
static char *
raw_text(const char *path, const char *sql)
{
	sqlite3_stmt	*st;
	sqlite3		*db;
	char		*v = NULL;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW) {
		if (sqlite3_column_type(st, 0) == SQLITE_NULL)
			v = xstrdup("(null)");
		else
			v = xstrdup((const char *)sqlite3_column_text(st, 0));
	} else
		v = xstrdup("(none)");
	sqlite3_finalize(st);
	sqlite3_close(db);
	return (v);
}

/* Checks that a query gives the text want. */
static void
expect_text(const char *path, const char *sql, const char *want)
{
	char	*have = raw_text(path, sql);

	if (strcmp(have, want) != 0)
		fail_msg("%s: expected '%s', got '%s'", sql, want, have);
	free(have);
}

/* Opens (creating) a store and fails the test on error. */
static struct store *
open_ok(const char *path)
{
	struct store	*s;
	char		*cause = NULL;

	if ((s = store_open(path, 1, 2000, &cause)) == NULL)
		fail_msg("store_open: %s", cause);
	return (s);
}

/* Sets the clock to a local date and time in Vietnam. */
static void
set_clock(int y, int m, int d, int hh, int mm)
{
	date_set_now(date_time_at(date_from_ymd(y, m, d), hh, mm));
}

/* A new database is created at the current schema version. */
static void
test_create(void **state)
{
	struct store	*s;
	char		*path;

	path = new_path("create");
	s = open_ok(path);
	assert_int_equal(store_schema_version(s), STORE_SCHEMA_VERSION);
	assert_int_equal(STORE_SCHEMA_VERSION, 11);
	assert_int_equal(store_integrity_check(s, NULL), 0);
	store_close(s);
	assert_int_equal(raw_int(path, "PRAGMA user_version"), 11);
	expect_text(path, "PRAGMA journal_mode", "wal");
	assert_int_equal(raw_int(path, "SELECT count(*) FROM sqlite_master "
	    "WHERE type = 'table' AND name IN ('units', 'group_members', "
	    "'unit_history', 'plans', 'tasks', 'assignments', 'occurrences', "
	    "'occurrence_log', 'outbox', 'deliveries', 'notices', 'feeds', "
	    "'meta')"), 13);
	/* Opening again changes nothing. */
	s = open_ok(path);
	assert_int_equal(store_schema_version(s), 11);
	store_close(s);
	store_close(NULL);
	free(path);
}

/* Versions 0 (an empty file), 1, 2 and 3 migrate to 7, keeping rows. */
static void
test_migrations(void **state)
{
	struct store	*s;
	char		*path, *cause = NULL;

	/* From nothing: version 0 is an empty database. */
	path = new_path("v0");
	scratch_schema(path, 0);
	assert_int_equal(raw_int(path, "PRAGMA user_version"), 0);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM sqlite_master"),
	    0);
	s = open_ok(path);
	assert_int_equal(store_schema_version(s), 11);
	store_close(s);
	free(path);

	/* From version 2: the indexes of migration 3 appear. */
	path = new_path("v2");
	scratch_schema(path, 2);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM sqlite_master "
	    "WHERE name IN ('occurrence_log_occurrence', 'deliveries_outbox')"),
	    0);
	s = open_ok(path);
	assert_int_equal(store_schema_version(s), 11);
	store_close(s);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM sqlite_master "
	    "WHERE name IN ('occurrence_log_occurrence', 'deliveries_outbox')"),
	    2);
	/* and those of migration 4: born, the covering index, spec. */
	assert_int_equal(raw_int(path, "SELECT count(*) FROM "
	    "pragma_table_info('occurrences') WHERE name = 'born'"), 1);
	/* and the notes of migration 6. */
	assert_int_equal(raw_int(path, "SELECT count(*) FROM "
	    "pragma_table_info('tasks') WHERE name = 'notes'"), 1);
	/* and a task's reading and occurrences past at import: 7. */
	assert_int_equal(raw_int(path, "SELECT count(*) FROM "
	    "pragma_table_info('tasks') WHERE name IN ('dayoff', 'quality', "
	    "'leftover')"), 3);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM "
	    "pragma_table_info('occurrences') WHERE name = 'past_import'"), 1);
	/* and the extensions, requests and console sessions of 8. */
	assert_int_equal(raw_int(path, "SELECT count(*) FROM "
	    "pragma_table_info('occurrences') WHERE name = 'extended'"), 1);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM "
	    "pragma_table_info('occurrence_log') WHERE name = 'origin'"), 1);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM sqlite_master "
	    "WHERE type = 'table' AND name IN ('occurrence_moves', "
	    "'extension_requests', 'console_logins', 'console_sessions', "
	    "'unit_links')"), 5);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM "
	    "pragma_index_info('occurrences_due')"), 6);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM "
	    "pragma_table_info('outbox') WHERE name = 'spec'"), 1);
	free(path);

	/* From version 3 with notices: the last pass is their last day. */
	path = new_path("v3");
	scratch_schema(path, 3);
	scratch_exec(path, "INSERT INTO notices (key, day) VALUES "
	    "('o1/lead/3', '2024-07-09'), ('o2/overdue/1', '2024-07-10')");
	s = open_ok(path);
	assert_int_equal(store_schema_version(s), 11);
	store_close(s);
	expect_text(path, "SELECT group_concat(key || '=' || value, ' ') FROM "
	    "(SELECT * FROM meta WHERE key LIKE 'plan_%' ORDER BY key)",
	    "plan_day=2024-07-10 plan_seq=1");
	free(path);

	/* From version 1, with a unit in it. */
	path = new_path("v1");
	scratch_schema(path, 1);
	assert_int_equal(raw_int(path, "PRAGMA user_version"), 1);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM sqlite_master "
	    "WHERE name = 'outbox'"), 0);
	scratch_exec(path, "INSERT INTO units (code, name, emails, updated_at) "
	    "VALUES ('noivu', 'Phòng Nội vụ', 'noivu@example.gov.vn', "
	    "'2024-01-02T08:00:00')");
	if ((s = store_open(path, 0, 2000, &cause)) == NULL)
		fail_msg("%s", cause);
	assert_int_equal(store_schema_version(s), 11);
	assert_int_equal(store_unit_id(s, "noivu", NULL), 1);
	store_close(s);
	assert_int_equal(raw_int(path, "PRAGMA user_version"), 11);
	expect_text(path, "SELECT name || '/' || emails FROM units WHERE "
	    "code = 'noivu'", "Phòng Nội vụ/noivu@example.gov.vn");
	expect_text(path, "SELECT webhook_disabled_at FROM units", "(null)");
	assert_int_equal(raw_int(path, "SELECT count(*) FROM "
	    "pragma_table_info('units') WHERE "
	    "name = 'webhook_disabled_at'"), 1);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM sqlite_master "
	    "WHERE name IN ('outbox', 'deliveries', 'notices', 'feeds', "
	    "'meta')"), 5);
	free(path);
}

/* The sqlite3_exec() result code of sql on a plain connection. */
static int
raw_exec_rc(const char *path, const char *sql)
{
	sqlite3	*db;
	int	 rc;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return (rc);
}

/* How many times opcode appears in the program of sql (EXPLAIN). */
static int
raw_opcodes(const char *path, const char *sql, const char *opcode)
{
	sqlite3_stmt	*st;
	sqlite3		*db;
	char		*explain;
	int		 n = 0;

	/* Read-write: a read-only connection compiles no CHECK at all. */
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	xasprintf(&explain, "EXPLAIN %s", sql);
	if (sqlite3_prepare_v2(db, explain, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", explain, sqlite3_errmsg(db));
	while (sqlite3_step(st) == SQLITE_ROW)
		if (strcmp((const char *)sqlite3_column_text(st, 1),
		    opcode) == 0)
			n++;
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(explain);
	return (n);
}

/*
 * Migration 4 spells the IN-list CHECKs as ORs: the rows of version 3 stay,
 * the same values are refused, and an insert builds no temporary b-tree.
 */
static void
test_migration_checks(void **state)
{
	static const char	*inserts[] = {
		"INSERT INTO unit_history (unit_code, at, change) VALUES "
		"('noivu', 'x', 'added')",
		"INSERT INTO tasks (plan_id, ref, title, kind, updated_at) "
		"VALUES (1, 'I.1', 't', 'once', 'x')",
		"INSERT INTO assignments (task_id, unit_id, role) VALUES "
		"(1, 1, 'lead')",
		"INSERT INTO occurrences (task_id, unit_id, nominal, "
		"effective) VALUES (1, 1, '2024-02-01', '2024-02-01')",
		"INSERT INTO outbox (key, kind, channel, recipient, day, body, "
		"next_attempt, created_at, expires_at) VALUES ('k', 'k', 'c', "
		"'r', 'd', 'b', 0, 0, 0)",
	};
	struct store	*s;
	char		*path;
	size_t		 i;

	path = new_path("v3");
	scratch_schema(path, 3);
	scratch_exec(path, "INSERT INTO units (code, name, updated_at) VALUES "
	    "('noivu', 'Phòng Nội vụ', 'x');"
	    "INSERT INTO plans (code, year, starts, ends) VALUES ('p', 2024, "
	    "'2024-01-01', '2024-12-31');"
	    "INSERT INTO tasks (plan_id, ref, title, kind, updated_at) VALUES "
	    "(1, 'I.0', 't', 'recurring', 'x');"
	    "INSERT INTO occurrences (task_id, unit_id, nominal, effective, "
	    "status) VALUES (1, 1, '2024-01-31', '2024-01-31', 'waived')");
	for (i = 0; i < sizeof inserts / sizeof inserts[0]; i++)
		assert_int_not_equal(raw_opcodes(path, inserts[i],
		    "OpenEphemeral"), 0);

	s = open_ok(path);
	assert_int_equal(store_schema_version(s), 11);
	assert_int_equal(store_integrity_check(s, NULL), 0);
	store_close(s);
	expect_text(path, "SELECT ref || '/' || kind FROM tasks",
	    "I.0/recurring");
	expect_text(path, "SELECT status FROM occurrences", "waived");
	/* Only the two-value status of tasks keeps its IN (no b-tree). */
	assert_int_equal(raw_int(path, "SELECT count(*) FROM sqlite_master "
	    "WHERE sql LIKE '% IN (%'"), 1);
	for (i = 0; i < sizeof inserts / sizeof inserts[0]; i++)
		assert_int_equal(raw_opcodes(path, inserts[i],
		    "OpenEphemeral"), 0);
	assert_int_not_equal(raw_exec_rc(path, "INSERT INTO occurrences "
	    "(task_id, unit_id, nominal, effective, status) VALUES (1, 1, "
	    "'2024-03-01', '2024-03-01', 'closed')"), SQLITE_OK);
	assert_int_not_equal(raw_exec_rc(path, "INSERT INTO tasks (plan_id, "
	    "ref, title, kind, updated_at) VALUES (1, 'I.2', 't', 'daily', "
	    "'x')"), SQLITE_OK);
	assert_int_not_equal(raw_exec_rc(path, "INSERT INTO assignments "
	    "(task_id, unit_id, role) VALUES (1, 1, 'boss')"), SQLITE_OK);
	assert_int_not_equal(raw_exec_rc(path, "INSERT INTO unit_history "
	    "(unit_code, at, change) VALUES ('noivu', 'x', 'moved')"),
	    SQLITE_OK);
	assert_int_not_equal(raw_exec_rc(path, "INSERT INTO outbox (key, "
	    "kind, channel, recipient, day, body, state, next_attempt, "
	    "created_at, expires_at) VALUES ('k', 'k', 'c', 'r', 'd', 'b', "
	    "'lost', 0, 0, 0)"), SQLITE_OK);
	for (i = 0; i < sizeof inserts / sizeof inserts[0]; i++)
		assert_int_equal(raw_exec_rc(path, inserts[i]), SQLITE_OK);
	free(path);
}

/* Opens path expecting a refusal containing msg; the file stays as it was. */
static void
expect_refusal(const char *path, int create, const char *msg)
{
	struct store	*s;
	char		*before, *after, *cause = NULL, *wal;
	size_t		 nbefore, nafter;

	before = scratch_read(path, &nbefore);
	s = store_open(path, create, 100, &cause);
	if (s != NULL)
		fail_msg("%s was opened", path);
	if (cause == NULL || strstr(cause, msg) == NULL || strstr(cause,
	    path) == NULL)
		fail_msg("expected '%s' and the path in '%s'", msg, cause);
	assert_null(strchr(cause, '\n'));
	free(cause);
	after = scratch_read(path, &nafter);
	assert_int_equal(nbefore, nafter);
	assert_memory_equal(before, after, nbefore);
	xasprintf(&wal, "%s-wal", path);
	assert_false(exists(wal));
	free(wal);
	free(before);
	free(after);
}

/* Files that are not ours are refused and never overwritten. */
static void
test_refusals(void **state)
{
	char	*path, *cause = NULL;

	path = write_file("hello.db", "hello");
	expect_refusal(path, 1, "not a deadlined database");
	expect_refusal(path, 0, "not a deadlined database");
	free(path);

	path = write_file("text.db", "[unit noivu]\nname = Phòng Nội vụ\n"
	    "this is a units.ini given by mistake, long enough to fill more "
	    "than the hundred bytes of an SQLite header, so that it is read "
	    "as one.\n");
	expect_refusal(path, 1, "not a deadlined database");
	free(path);

	path = new_path("newer");
	scratch_exec(path, "CREATE TABLE units (id INTEGER PRIMARY KEY); "
	    "INSERT INTO units VALUES (7); PRAGMA user_version = 99");
	expect_refusal(path, 1, "schema version 99 is newer");
	expect_refusal(path, 0, "refusing to touch it");
	assert_int_equal(raw_int(path, "PRAGMA user_version"), 99);
	free(path);

	path = new_path("foreign");
	scratch_exec(path, "CREATE TABLE contacts (name TEXT); INSERT INTO "
	    "contacts VALUES ('Phòng Tư pháp')");
	expect_refusal(path, 1, "it has tables but no schema version");
	free(path);

	/* No database and no permission to create: an error, no file. */
	path = new_path("missing");
	assert_null(store_open(path, 0, 100, &cause));
	assert_non_null(strstr(cause, "deadlinectl init"));
	assert_non_null(strstr(cause, path));
	free(cause);
	assert_false(exists(path));
	free(path);
}

/* Loads a unit directory written to a temporary file; caller frees. */
static struct units *
units_from(const char *text)
{
	struct units	*u;
	char		*path, *cause = NULL;

	path = write_file("units.ini", text);
	if ((u = units_load(path, &cause)) == NULL)
		fail_msg("%s", cause);
	free(path);
	return (u);
}

/* Syncs a directory in one transaction; checks the four counts. */
static void
sync_expect(struct store *s, const char *text, int added, int changed,
    int retired, int unchanged)
{
	struct store_sync_stats	 st;
	struct units		*u = units_from(text);
	char			*cause = NULL;

	assert_int_equal(store_begin(s, &cause), 0);
	if (directory_sync(s, u, &st, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(store_commit(s, &cause), 0);
	units_free(u);
	assert_int_equal(st.added, added);
	assert_int_equal(st.changed, changed);
	assert_int_equal(st.retired, retired);
	assert_int_equal(st.unchanged, unchanged);
}

static const char units_v1[] =
    "[unit a]\nname = Phòng A\nemail = a@example.gov.vn\n"
    "[unit b]\nname = Phòng B\nparent = a\n"
    "[unit c]\nname = UBND xã C\n"
    "[group g]\nname = Nhóm G\nmembers = a b\n";
static const char units_v2[] =
    "[unit a]\nname = Phòng A mới\nemail = a@example.gov.vn\n"
    "[unit b]\nname = Phòng B\nparent = a\n"
    "[unit d]\nname = UBND xã D\n"
    "[group g]\nname = Nhóm G\nmembers = a d\n";

/* Counts store_units rows. */
static int
count_unit(const struct store_unit *u, void *arg)
{
	(*(int *)arg)++;
	return (0);
}

/* Added, changed, retired, unchanged and restored across syncs. */
static void
test_units_sync(void **state)
{
	struct store	*s;
	char		*path;
	int		 count;

	set_clock(2024, 3, 1, 8, 0);
	path = new_path("sync");
	s = open_ok(path);
	sync_expect(s, units_v1, 4, 0, 0, 0);
	sync_expect(s, units_v1, 0, 0, 0, 4);
	set_clock(2024, 3, 2, 9, 30);
	sync_expect(s, units_v2, 1, 2, 1, 1);
	expect_text(path, "SELECT name FROM units WHERE code = 'a'",
	    "Phòng A mới");
	expect_text(path, "SELECT retired_at FROM units WHERE code = 'c'",
	    "2024-03-02T09:30:00");
	expect_text(path, "SELECT group_concat(u.code, ' ') FROM group_members "
	    "m JOIN units u ON u.id = m.unit_id JOIN units g ON g.id = "
	    "m.group_id WHERE g.code = 'g' AND u.retired_at IS NULL", "a d");
	count = 0;
	assert_int_equal(store_units(s, 0, count_unit, &count, NULL), 0);
	assert_int_equal(count, 4);
	count = 0;
	assert_int_equal(store_units(s, 1, count_unit, &count, NULL), 0);
	assert_int_equal(count, 5);

	/* Back to v1: c comes back, d goes. */
	sync_expect(s, units_v1, 0, 3, 1, 1);
	expect_text(path, "SELECT retired_at FROM units WHERE code = 'c'",
	    "(null)");
	expect_text(path, "SELECT retired_at IS NOT NULL FROM units WHERE "
	    "code = 'd'", "1");
	store_close(s);
	expect_text(path, "SELECT group_concat(change || ':' || unit_code, "
	    "' ') FROM (SELECT * FROM unit_history ORDER BY id)",
	    "added:a added:b added:c added:g changed:a added:d changed:g "
	    "retired:c changed:a restored:c changed:g retired:d");
	expect_text(path, "SELECT at FROM unit_history ORDER BY id LIMIT 1",
	    "2024-03-01T08:00:00");
	assert_int_equal(raw_int(path, "SELECT count(*) FROM group_members"),
	    2);
	free(path);
}

/* Creates plan "kh-2024" and returns its id. */
static int64_t
make_plan(struct store *s, int *generation)
{
	struct store_plan	 p;
	char			*cause = NULL;
	int64_t			 id;

	memset(&p, 0, sizeof p);
	p.code = "kh-2024";
	p.title = "Kế hoạch cải cách hành chính năm 2024";
	p.year = 2024;
	p.starts = date_from_ymd(2024, 1, 1);
	p.ends = date_from_ymd(2024, 12, 31);
	p.coordinator = "a";
	if ((id = store_plan_upsert(s, &p, generation, &cause)) <= 0)
		fail_msg("%s", cause);
	return (id);
}

/* Fills a once task due on the given date. */
static void
task_once(struct store_task *t, int64_t plan, const char *ref,
    const char *title, date_t due)
{
	memset(t, 0, sizeof *t);
	t->plan_id = plan;
	t->ref = ref;
	t->title = title;
	t->content = title;
	t->time_text = "Quý II/2024";
	t->kind = "once";
	t->due = due;
	t->starts = t->ends = DATE_NONE;
	t->source_line = 12;
}

struct task_seen {
	const char	*ref;
	int		 revision;
	char		 status[16];
};

/* Finds one task's revision and status. */
static int
task_probe(const struct store_task *t, void *arg)
{
	struct task_seen	*ts = arg;

	if (strcmp(t->ref, ts->ref) == 0) {
		ts->revision = t->revision;
		snprintf(ts->status, sizeof ts->status, "%s", t->status);
	}
	return (0);
}

/* Upserts a task and checks *changed. */
static int64_t
upsert_expect(struct store *s, const struct store_task *t, int generation,
    int want)
{
	char	*cause = NULL;
	int64_t	 id;
	int	 changed = -1;

	if ((id = store_task_upsert(s, t, generation, &changed, &cause)) <= 0)
		fail_msg("%s", cause);
	assert_int_equal(changed, want);
	return (id);
}

/* Task upserts report new, same and changed; withdrawal of unseen tasks. */
static void
test_tasks(void **state)
{
	struct task_seen	 ts;
	struct store_task	 t1, t2;
	struct store		*s;
	int64_t			 plan, id1, id2;
	char			*path, *cause = NULL;
	int			 gen, n;

	path = new_path("tasks");
	s = open_ok(path);
	plan = make_plan(s, &gen);
	assert_int_equal(gen, 1);
	assert_int_equal(store_plan_has_tasks(s, plan, NULL), 0);
	task_once(&t1, plan, "I.1", "Xây dựng kế hoạch", date_from_ymd(2024,
	    6, 30));
	task_once(&t2, plan, "I.2", "Báo cáo quý", date_from_ymd(2024, 3, 31));
	id1 = upsert_expect(s, &t1, gen, 2);
	assert_int_equal(store_plan_has_tasks(s, plan, NULL), 1);
	/* An insert is only for a (plan, ref) known to be free. */
	assert_int_equal(store_task_insert(s, &t1, gen, &cause), -1);
	assert_non_null(strstr(cause, "UNIQUE"));
	free(cause);
	cause = NULL;
	assert_int_equal(upsert_expect(s, &t1, gen, 0), id1);
	id2 = upsert_expect(s, &t2, gen, 2);
	assert_int_not_equal(id1, id2);
	ts.ref = "I.1";
	assert_int_equal(store_tasks(s, "kh-2024", 0, task_probe, &ts, NULL),
	    0);
	assert_int_equal(ts.revision, 1);
	t1.title = "Xây dựng kế hoạch (sửa đổi)";
	assert_int_equal(upsert_expect(s, &t1, gen, 1), id1);
	assert_int_equal(store_tasks(s, NULL, id1, task_probe, &ts, NULL), 0);
	assert_int_equal(ts.revision, 2);
	assert_string_equal(ts.status, "active");
	t1.due = date_from_ymd(2024, 7, 1);
	upsert_expect(s, &t1, gen, 1);
	assert_int_equal(store_tasks(s, NULL, 0, task_probe, &ts, NULL), 0);
	assert_int_equal(ts.revision, 3);
	expect_text(path, "SELECT due FROM tasks WHERE ref = 'I.1'",
	    "2024-07-01");

	/* A second import that sees only I.1 withdraws I.2. */
	assert_int_equal(make_plan(s, &gen), plan);
	assert_int_equal(gen, 2);
	upsert_expect(s, &t1, gen, 0);
	assert_int_equal(store_plan_withdraw_unseen(s, plan, gen, &n, &cause),
	    0);
	assert_int_equal(n, 1);
	ts.ref = "I.2";
	assert_int_equal(store_tasks(s, NULL, 0, task_probe, &ts, NULL), 0);
	assert_string_equal(ts.status, "withdrawn");
	assert_int_equal(ts.revision, 2);
	assert_int_equal(store_plan_withdraw_unseen(s, plan, gen, &n, &cause),
	    0);
	assert_int_equal(n, 0);
	/* Seen again: active again, and that is a change. */
	upsert_expect(s, &t2, gen, 1);
	assert_int_equal(store_tasks(s, NULL, 0, task_probe, &ts, NULL), 0);
	assert_string_equal(ts.status, "active");
	store_close(s);
	free(path);
}

/* Sets up units a and b, a plan and one task; returns the task id. */
static int64_t
occ_fixture(struct store *s)
{
	struct store_task	 t;
	int			 gen;

	sync_expect(s, units_v1, 4, 0, 0, 0);
	task_once(&t, make_plan(s, &gen), "II.3", "Báo cáo tháng", DATE_NONE);
	t.kind = "recurring";
	t.rrule = "FREQ=MONTHLY;BYMONTHDAY=10";
	return (upsert_expect(s, &t, gen, 2));
}

/* Upserts one occurrence of unit code on y-m-d, effective on ey-em-ed. */
static void
occ_put(struct store *s, int64_t task, const char *code, date_t nominal,
    date_t effective)
{
	char	*cause = NULL;

	struct store_occ_row	 r;

	memset(&r, 0, sizeof r);
	r.task_id = task;
	r.unit_id = store_unit_id(s, code, NULL);
	r.nominal = nominal;
	r.effective = effective;
	if (store_occ_upsert_rows(s, &r, 1, &cause) != 0)
		fail_msg("%s", cause);
}

/* Id of the occurrence of unit a on a nominal date (raw). */
static int64_t
occ_id(const char *path, const char *nominal)
{
	char	*sql;
	int64_t	 id;

	xasprintf(&sql, "SELECT o.id FROM occurrences o JOIN units u ON u.id = "
	    "o.unit_id WHERE u.code = 'a' AND o.nominal = '%s'", nominal);
	id = raw_int(path, sql);
	free(sql);
	return (id);
}

/* Regeneration keeps done and past occurrences, sweeps unproduced ones. */
static void
test_occurrences(void **state)
{
	struct store	*s;
	int64_t		 task, done_id;
	char		*path, *cause = NULL;
	int		 n;

	set_clock(2024, 3, 1, 8, 0);
	path = new_path("occ");
	s = open_ok(path);
	task = occ_fixture(s);
	occ_put(s, task, "a", date_from_ymd(2024, 2, 10), date_from_ymd(2024,
	    2, 12));
	occ_put(s, task, "a", date_from_ymd(2024, 3, 10), date_from_ymd(2024,
	    3, 11));
	occ_put(s, task, "a", date_from_ymd(2024, 4, 10), date_from_ymd(2024,
	    4, 10));
	occ_put(s, task, "a", date_from_ymd(2024, 5, 10), date_from_ymd(2024,
	    5, 10));
	occ_put(s, task, "b", date_from_ymd(2024, 4, 10), date_from_ymd(2024,
	    4, 10));
	assert_int_equal(raw_int(path, "SELECT count(*) FROM occurrences"),
	    5);
	done_id = occ_id(path, "2024-05-10");
	assert_int_equal(store_occ_set_status(s, done_id, "done",
	    date_from_ymd(2024, 2, 28), "đã gửi báo cáo", "Nguyễn Văn A",
	    &cause), 0);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM occurrences "
	    "WHERE status = 'done'"), 1);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM occurrences "
	    "WHERE status = 'open'"), 4);

	/* Regenerate from today: only 10/03 (moved) and b's 10/04 again. */
	assert_int_equal(store_occ_mark(s, task, date_from_ymd(2024, 3, 1),
	    &cause), 0);
	occ_put(s, task, "a", date_from_ymd(2024, 3, 10), date_from_ymd(2024,
	    3, 12));
	occ_put(s, task, "b", date_from_ymd(2024, 4, 10), date_from_ymd(2024,
	    4, 10));
	assert_int_equal(store_occ_sweep(s, task, &n, &cause), 0);
	assert_int_equal(n, 1);
	store_close(s);
	assert_int_equal(occ_id(path, "2024-04-10"), -1);
	assert_true(occ_id(path, "2024-02-10") > 0);
	assert_int_equal(occ_id(path, "2024-05-10"), done_id);
	expect_text(path, "SELECT effective || ' ' || sequence FROM "
	    "occurrences WHERE nominal = '2024-03-10'", "2024-03-12 1");
	expect_text(path, "SELECT sequence FROM occurrences o JOIN units u ON "
	    "u.id = o.unit_id WHERE u.code = 'b'", "0");
	expect_text(path, "SELECT status || ' ' || done_on || ' ' || note || "
	    "' ' || changed_by || ' ' || sequence FROM occurrences WHERE "
	    "nominal = '2024-05-10'", "done 2024-02-28 đã gửi báo cáo Nguyễn "
	    "Văn A 1");
	expect_text(path, "SELECT action || '|' || by || '|' || note || '|' || "
	    "at FROM occurrence_log", "done|Nguyễn Văn A|đã gửi báo cáo|"
	    "2024-03-01T08:00:00");
	assert_int_equal(raw_int(path, "SELECT sum(mark) FROM occurrences"), 0);
	free(path);
}

/* What store_changes_since told: the calls, in order. */
struct changes_seen {
	int	n;
	int64_t	unit[8];
	int64_t	task[8];
};

/* Records one change. */
static int
changes_record(int64_t unit, int64_t task, void *arg)
{
	struct changes_seen	*cs = arg;

	if (cs->n < 8) {
		cs->unit[cs->n] = unit;
		cs->task[cs->n] = task;
	}
	cs->n++;
	return (0);
}

/* The changes after since; *last moved on. */
static struct changes_seen
changes_after(struct store *s, int64_t *last)
{
	struct changes_seen	 cs;
	char			*cause = NULL;

	memset(&cs, 0, sizeof cs);
	if (store_changes_since(s, *last, last, changes_record, &cs,
	    &cause) != 0)
		fail_msg("%s", cause);
	return (cs);
}

/*
 * The change log (migration 11): an action names its unit and task, a
 * new or removed occurrence says "everything" once however many rows, the
 * planning pass's mark and an upsert to the same date say nothing, and a
 * reader whose changes were pruned, or who never read, hears "everything".
 */
static void
test_changes(void **state)
{
	struct changes_seen	 cs;
	struct store		*s;
	int64_t			 task, last = -1, a, b, id;
	char			*path, *cause = NULL;
	int			 n;

	set_clock(2024, 3, 1, 8, 0);
	path = new_path("changes");
	s = open_ok(path);
	task = occ_fixture(s);
	a = store_unit_id(s, "a", NULL);
	b = store_unit_id(s, "b", NULL);
	cs = changes_after(s, &last);
	assert_int_equal(cs.n, 1);
	assert_int_equal(cs.unit[0], 0);
	cs = changes_after(s, &last);
	assert_int_equal(cs.n, 0);

	/*
	 * Three new occurrences after the fixture's own "everything" row,
	 * which this reader has read: still one such row, a new one.
	 */
	n = (int)raw_int(path, "SELECT count(*) FROM changes");
	occ_put(s, task, "a", date_from_ymd(2024, 3, 10), date_from_ymd(2024,
	    3, 11));
	occ_put(s, task, "a", date_from_ymd(2024, 4, 10), date_from_ymd(2024,
	    4, 10));
	occ_put(s, task, "b", date_from_ymd(2024, 4, 10), date_from_ymd(2024,
	    4, 10));
	assert_int_equal(raw_int(path, "SELECT count(*) FROM changes"), n);
	cs = changes_after(s, &last);
	assert_int_equal(cs.n, 1);
	assert_int_equal(cs.unit[0], 0);

	/* The planning pass again, nothing moved: nothing to tell. */
	assert_int_equal(store_occ_mark(s, task, date_from_ymd(2024, 3, 1),
	    &cause), 0);
	occ_put(s, task, "a", date_from_ymd(2024, 3, 10), date_from_ymd(2024,
	    3, 11));
	occ_put(s, task, "a", date_from_ymd(2024, 4, 10), date_from_ymd(2024,
	    4, 10));
	occ_put(s, task, "b", date_from_ymd(2024, 4, 10), date_from_ymd(2024,
	    4, 10));
	assert_int_equal(store_occ_sweep(s, task, &n, &cause), 0);
	assert_int_equal(n, 0);
	cs = changes_after(s, &last);
	assert_int_equal(cs.n, 0);

	/* a's 10/04 done, then b's 10/04 moved by the planning pass. */
	id = occ_id(path, "2024-04-10");
	assert_int_equal(store_occ_set_status(s, id, "done",
	    date_from_ymd(2024, 3, 1), NULL, "x", &cause), 0);
	occ_put(s, task, "b", date_from_ymd(2024, 4, 10), date_from_ymd(2024,
	    4, 11));
	cs = changes_after(s, &last);
	assert_int_equal(cs.n, 2);
	assert_int_equal(cs.unit[0], a);
	assert_int_equal(cs.task[0], task);
	assert_int_equal(cs.unit[1], b);
	assert_int_equal(cs.task[1], task);

	/* Two changes, all but the last pruned: "everything", then done. */
	assert_int_equal(store_occ_set_status(s, id, "open", DATE_NONE, NULL,
	    "x", &cause), 0);
	assert_int_equal(store_occ_snooze(s, id, date_from_ymd(2024, 4, 1),
	    "x", &cause), 0);
	assert_int_equal(store_changes_prune(s, 1, &cause), 0);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM changes"), 1);
	cs = changes_after(s, &last);
	assert_int_equal(cs.n, 1);
	assert_int_equal(cs.unit[0], 0);
	cs = changes_after(s, &last);
	assert_int_equal(cs.n, 0);

	/* A reader ahead of the log (another database): "everything". */
	last += 5;
	cs = changes_after(s, &last);
	assert_int_equal(cs.n, 1);
	assert_int_equal(cs.unit[0], 0);
	store_close(s);
	free(path);
}

/*
 * Many rows at once (more than a statement's worth, with rows repeated in
 * and across statements and rows already stored) leave the same table,
 * ids included, as the same rows written one by one; so do they in bulk
 * mode, in one transaction, with its larger statement.
 */
static void
test_occ_rows(void **state)
{
	static const char	*names[] = { "rows", "one-by-one", "bulk" };
	struct store_occ_row	*rows;
	struct store		*s;
	const size_t		 n = STORE_OCC_BULK_ROWS + STORE_OCC_ROWS + 80;
	char			*path[3], *dump[3], *cause = NULL;
	int64_t			 task, a, b;
	date_t			 day = date_from_ymd(2024, 1, 1);
	size_t			 i;
	int			 k;

	rows = xcalloc(n, sizeof *rows);
	for (k = 0; k < 3; k++) {
		path[k] = new_path(names[k]);
		s = open_ok(path[k]);
		task = occ_fixture(s);
		a = store_unit_id(s, "a", NULL);
		b = store_unit_id(s, "b", NULL);
		occ_put(s, task, "b", day + 5, day + 9);	/* moved back */
		occ_put(s, task, "a", day + 150, day + 150);
		for (i = 0; i < n; i++) {
			rows[i].task_id = task;
			rows[i].unit_id = i % 2 == 0 ? a : b;
			rows[i].nominal = day + (date_t)(i / 2);
			rows[i].effective = rows[i].nominal + (i % 7 == 0);
		}
		rows[40] = rows[2];		/* again, same statement */
		rows[STORE_OCC_ROWS + 3] = rows[12];	/* again, later */
		rows[STORE_OCC_ROWS + 3].effective += 2;
		rows[STORE_OCC_BULK_ROWS + 5] = rows[4000];	/* across */
		rows[STORE_OCC_BULK_ROWS + 5].effective -= 1;
		if (k == 2)
			assert_int_equal(store_bulk(s, 1, &cause) == 0 &&
			    store_begin(s, &cause) == 0, 1);
		if (k != 1)
			assert_int_equal(store_occ_upsert_rows(s, rows, n,
			    &cause), 0);
		for (i = 0; k == 1 && i < n; i++)
			assert_int_equal(store_occ_upsert_rows(s, &rows[i], 1,
			    &cause), 0);
		assert_int_equal(store_occ_upsert_rows(s, rows, 0, &cause), 0);
		if (k == 2)
			assert_int_equal(store_commit(s, &cause) == 0 &&
			    store_bulk(s, 0, &cause) == 0, 1);
		store_close(s);
		dump[k] = raw_text(path[k], "SELECT group_concat(x, ' ') FROM "
		    "(SELECT id || ':' || task_id || ':' || unit_id || ':' || "
		    "nominal || ':' || effective || ':' || sequence || ':' || "
		    "mark AS x FROM occurrences ORDER BY id)");
	}
	assert_string_equal(dump[0], dump[1]);
	assert_string_equal(dump[2], dump[1]);
	/* Three rows repeated; the two stored before are among the rows. */
	assert_int_equal(raw_int(path[0], "SELECT count(*) FROM occurrences"),
	    (int64_t)n - 3);
	assert_int_equal(raw_int(path[0], "SELECT count(*) FROM occurrences "
	    "WHERE sequence = 1"), 3);
	for (k = 0; k < 3; k++) {
		free(path[k]);
		free(dump[k]);
	}
	free(rows);
}

/*
 * Assignments many at once (more than a statement's worth, a unit named
 * again with another role in and across statements) leave the same table
 * as the same rows written one by one.
 */
static void
test_assign_rows(void **state)
{
	static const char	*roles[] = { "support", "lead", "report_to" };
	struct store_assign_row	*rows;
	struct store_task	 t;
	struct store		*s;
	const size_t		 n = STORE_ASSIGN_ROWS + 40, ntasks = n / 3;
	char			*path[2], *dump[2], *cause = NULL, ref[32];
	int64_t			 unit[3], first = 0, id;
	size_t			 i;
	int			 k, gen;

	rows = xcalloc(n, sizeof *rows);
	for (k = 0; k < 2; k++) {
		path[k] = new_path(k == 0 ? "assign-rows" : "assign-one");
		s = open_ok(path[k]);
		sync_expect(s, units_v1, 4, 0, 0, 0);
		unit[0] = store_unit_id(s, "a", NULL);
		unit[1] = store_unit_id(s, "b", NULL);
		unit[2] = store_unit_id(s, "c", NULL);
		gen = 0;
		t.plan_id = make_plan(s, &gen);
		for (i = 0; i < ntasks; i++) {
			snprintf(ref, sizeof ref, "I.%zu", i);
			task_once(&t, t.plan_id, ref, "Báo cáo", DATE_NONE);
			id = upsert_expect(s, &t, gen, 2);
			if (i == 0)
				first = id;
		}
		for (i = 0; i < n; i++) {
			rows[i].task_id = first + (int64_t)(i / 3 % ntasks);
			rows[i].unit_id = unit[i % 3];
			rows[i].role = roles[i % 3];
			rows[i].via = i % 5 == 0 ? "g" : NULL;
		}
		rows[7].unit_id = rows[6].unit_id;	/* lead after support */
		rows[STORE_ASSIGN_ROWS + 2] = rows[4];	/* support after lead */
		rows[STORE_ASSIGN_ROWS + 2].role = "support";
		rows[STORE_ASSIGN_ROWS + 3] = rows[3];	/* again, later */
		rows[STORE_ASSIGN_ROWS + 3].role = "lead";
		if (k == 0)
			assert_int_equal(store_task_assign_rows(s, rows, n,
			    &cause), 0);
		for (i = 0; k == 1 && i < n; i++)
			assert_int_equal(store_task_assign(s, rows[i].task_id,
			    rows[i].unit_id, rows[i].role, rows[i].via,
			    &cause), 0);
		store_close(s);
		dump[k] = raw_text(path[k], "SELECT group_concat(x, ' ') FROM "
		    "(SELECT rowid || ':' || task_id || ':' || unit_id || ':' "
		    "|| role || ':' || coalesce(via, '-') AS x FROM assignments "
		    "ORDER BY rowid)");
	}
	assert_string_equal(dump[0], dump[1]);
	assert_non_null(strstr(dump[0], ":lead:"));
	for (k = 0; k < 2; k++) {
		free(path[k]);
		free(dump[k]);
	}
	free(rows);
}

/* Appends "ref:unit,unit " of each task listed to a buf. */
static int
schedule_listed(const struct store_schedule_task *t, void *arg)
{
	struct buf	*b = arg;
	size_t		 i;

	buf_printf(b, "%s:", t->ref);
	for (i = 0; i < t->nunits; i++)
		buf_printf(b, "%s%lld", i > 0 ? "," : "", (long long)t->units[i]);
	buf_adds(b, " ");
	return (0);
}

/*
 * The scheduling listing, of a plan, of every plan and of one task: the
 * lead first, then by code; no report_to, no group.
 */
static void
test_schedule_listing(void **state)
{
	struct store_task	 t;
	struct store		*s;
	struct buf		 b[3];
	char			*path, *cause = NULL, want[64];
	int64_t			 task, a, bb, c, g;
	int			 gen, k;

	path = new_path("schedule-listing");
	s = open_ok(path);
	sync_expect(s, units_v1, 4, 0, 0, 0);
	a = store_unit_id(s, "a", NULL);
	bb = store_unit_id(s, "b", NULL);
	c = store_unit_id(s, "c", NULL);
	g = store_unit_id(s, "g", NULL);
	task_once(&t, make_plan(s, &gen), "I.1", "Báo cáo", DATE_NONE);
	task = upsert_expect(s, &t, gen, 2);
	assert_int_equal(store_task_assign(s, task, c, "support", NULL,
	    &cause), 0);
	assert_int_equal(store_task_assign(s, task, g, "support", NULL,
	    &cause), 0);
	assert_int_equal(store_task_assign(s, task, bb, "lead", NULL, &cause),
	    0);
	assert_int_equal(store_task_assign(s, task, a, "support", "g",
	    &cause), 0);
	task_once(&t, t.plan_id, "I.2", "Không đơn vị", DATE_NONE);
	upsert_expect(s, &t, gen, 2);
	task_once(&t, t.plan_id, "I.3", "Qua", DATE_NONE);
	assert_int_equal(store_task_assign(s, upsert_expect(s, &t, gen, 2), a,
	    "report_to", NULL, &cause), 0);
	for (k = 0; k < 3; k++) {
		buf_init(&b[k]);
		assert_int_equal(store_schedule_tasks(s, k == 0 ? "kh-2024" :
		    NULL, k == 2 ? task : 0, schedule_listed, &b[k], NULL), 0);
	}
	snprintf(want, sizeof want, "I.1:%lld,%lld,%lld I.2: I.3: ",
	    (long long)bb, (long long)a, (long long)c);
	assert_string_equal(b[0].data, want);
	assert_string_equal(b[1].data, want);
	snprintf(want, sizeof want, "I.1:%lld,%lld,%lld ", (long long)bb,
	    (long long)a, (long long)c);
	assert_string_equal(b[2].data, want);
	for (k = 0; k < 3; k++)
		buf_free(&b[k]);
	store_close(s);
	free(path);
}

/* Status changes: reopen, unknown ids, the log. */
static void
test_occ_status(void **state)
{
	struct store	*s;
	int64_t		 task, id;
	char		*path, *cause = NULL;

	path = new_path("status");
	s = open_ok(path);
	task = occ_fixture(s);
	occ_put(s, task, "a", date_from_ymd(2024, 6, 10), date_from_ymd(2024,
	    6, 10));
	id = occ_id(path, "2024-06-10");
	assert_int_equal(store_occ_set_status(s, id, "done", date_from_ymd(2024,
	    6, 9), NULL, "cli", &cause), 0);
	assert_int_equal(store_occ_set_status(s, id, "open", DATE_NONE,
	    "nhầm", "cli", &cause), 0);
	assert_int_equal(store_occ_set_status(s, id + 100, "done", DATE_NONE,
	    NULL, "cli", &cause), -1);
	assert_non_null(strstr(cause, "no occurrence"));
	free(cause);
	cause = NULL;
	assert_int_equal(store_occ_set_status(s, id, "finished", DATE_NONE,
	    NULL, "cli", &cause), -1);
	free(cause);
	store_close(s);
	expect_text(path, "SELECT group_concat(action, ',') FROM (SELECT "
	    "action FROM occurrence_log ORDER BY id)", "done,open");
	expect_text(path, "SELECT status || ' ' || ifnull(done_on, '-') || ' ' "
	    "|| sequence FROM occurrences", "open - 2");
	free(path);
}

struct agenda_seen {
	struct buf	b;
};

/* Appends "unit:nominal:status " for each agenda row. */
static int
agenda_row(const struct store_occurrence *o, void *arg)
{
	struct agenda_seen	*a = arg;
	char			 d[11];

	date_format_iso(o->nominal, d);
	buf_printf(&a->b, "%s:%s:%s ", o->unit_code, d, o->status);
	return (0);
}

/* Runs the agenda with a filter; checks the rows written by hand. */
static void
agenda_expect(struct store *s, const char *unit, date_t from, date_t to,
    int open_only, const char *want)
{
	struct store_agenda_filter	 f;
	struct agenda_seen		 a;

	memset(&f, 0, sizeof f);
	f.unit = unit;
	f.from = from;
	f.to = to;
	f.open_only = open_only;
	buf_init(&a.b);
	assert_int_equal(store_agenda(s, &f, agenda_row, &a, NULL), 0);
	if (strcmp(a.b.data, want) != 0)
		fail_msg("agenda: expected '%s', got '%s'", want, a.b.data);
	buf_free(&a.b);
}

/* Agenda filters: unit, date range on the effective date, open only. */
static void
test_agenda(void **state)
{
	struct store	*s;
	int64_t		 task;
	char		*path, *cause = NULL;

	path = new_path("agenda");
	s = open_ok(path);
	task = occ_fixture(s);
	occ_put(s, task, "a", date_from_ymd(2024, 3, 10), date_from_ymd(2024,
	    3, 11));
	occ_put(s, task, "a", date_from_ymd(2024, 4, 10), date_from_ymd(2024,
	    4, 10));
	occ_put(s, task, "b", date_from_ymd(2024, 4, 10), date_from_ymd(2024,
	    4, 10));
	occ_put(s, task, "c", date_from_ymd(2024, 5, 10), date_from_ymd(2024,
	    5, 10));
	assert_int_equal(store_occ_set_status(s, occ_id(path, "2024-04-10"),
	    "done", date_from_ymd(2024, 4, 1), NULL, NULL, &cause), 0);
	agenda_expect(s, NULL, DATE_NONE, DATE_NONE, 0, "a:2024-03-10:open "
	    "a:2024-04-10:done b:2024-04-10:open c:2024-05-10:open ");
	agenda_expect(s, "a", DATE_NONE, DATE_NONE, 0, "a:2024-03-10:open "
	    "a:2024-04-10:done ");
	agenda_expect(s, "a", DATE_NONE, DATE_NONE, 1, "a:2024-03-10:open ");
	agenda_expect(s, NULL, date_from_ymd(2024, 3, 11), date_from_ymd(2024,
	    4, 10), 1, "a:2024-03-10:open b:2024-04-10:open ");
	agenda_expect(s, NULL, date_from_ymd(2024, 3, 12), DATE_NONE, 0,
	    "a:2024-04-10:done b:2024-04-10:open c:2024-05-10:open ");
	agenda_expect(s, NULL, DATE_NONE, date_from_ymd(2024, 3, 10), 0, "");
	agenda_expect(s, "nosuch", DATE_NONE, DATE_NONE, 0, "");
	store_close(s);
	free(path);
}

/* Fills a message. */
static void
message(struct store_outbox *m, const char *key, time_t created)
{
	memset(m, 0, sizeof *m);
	m->key = key;
	m->kind = "digest";
	m->channel = "smtp";
	m->recipient = "a@example.gov.vn";
	m->day = "2024-03-01";
	m->subject = "Nhắc hạn: 2 việc sắp đến hạn";
	m->body = "Kính gửi Phòng A, ...";
	m->created_at = created;
	m->expires_at = created + 3 * 86400;
}

/* Claims at now (a lease of 300 s) and checks the keys handed out. */
static void
claim_expect(struct store *s, time_t now, int n, const char *keys)
{
	struct store_outbox	*v;
	char			 seen[256] = "", *cause = NULL;
	size_t			 got, i, len;

	assert_int_equal(store_outbox_claim(s, now, now + 300, 10, &v, &got,
	    &cause), 0);
	assert_int_equal(got, n);
	for (i = 0; i < got; i++) {
		assert_string_equal(v[i].state, "sending");
		len = strlen(seen);
		snprintf(seen + len, sizeof seen - len, "%s ", v[i].key);
	}
	assert_string_equal(seen, keys);
	store_outbox_free(v, got);
}

/* Adds a message and checks whether it was new. */
static void
add_expect(struct store *s, const struct store_outbox *m, int want)
{
	char	*cause = NULL;
	int	 added = -1;

	assert_int_equal(store_outbox_add(s, m, store_unit_id(s, "a", NULL),
	    &added, &cause), 0);
	assert_int_equal(added, want);
}

/* The outbox: one row per key, leases, crash recovery, results. */
static void
test_outbox(void **state)
{
	struct store_outbox	 m;
	struct store		*s;
	int64_t			 counts[5];
	char			*path, *cause = NULL;
	/* 2024-03-01T08:00+07:00 */
	time_t			 t0 = 1709254800;

	date_set_now(t0);
	path = new_path("outbox");
	s = open_ok(path);
	sync_expect(s, units_v1, 4, 0, 0, 0);
	message(&m, "digest/a/2024-03-01/1", t0);
	add_expect(s, &m, 1);
	m.body = "another body";
	add_expect(s, &m, 0);
	message(&m, "digest/b/2024-03-01/1", t0 + 600);
	add_expect(s, &m, 1);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM outbox"), 2);
	expect_text(path, "SELECT body FROM outbox WHERE key = "
	    "'digest/a/2024-03-01/1'", "Kính gửi Phòng A, ...");
	assert_int_equal(store_outbox_next(s, NULL), t0);

	/* The first is due, the second not yet. */
	claim_expect(s, t0, 1, "digest/a/2024-03-01/1 ");
	/* An attempt counts when it is made, not when claimed. */
	expect_text(path, "SELECT state || ' ' || attempts || ' ' || "
	    "lease_until FROM outbox WHERE id = 1", "sending 0 1709255100");
	claim_expect(s, t0 + 100, 0, "");
	assert_int_equal(store_outbox_next(s, NULL), t0 + 300);
	/* The sender died: the lease runs out and the same key comes back. */
	claim_expect(s, t0 + 301, 1, "digest/a/2024-03-01/1 ");
	expect_text(path, "SELECT attempts FROM outbox WHERE id = 1", "0");
	date_set_now(t0 + 302);
	assert_int_equal(store_outbox_result(s, 1, "pending", t0 + 900,
	    "421 4.7.0 try again later", &cause), 0);
	expect_text(path, "SELECT state || ' ' || next_attempt || ' ' || "
	    "ifnull(lease_until, '-') || ' ' || last_error || ' ' || attempts "
	    "FROM outbox WHERE id = 1", "pending 1709255700 - 421 4.7.0 try "
	    "again later 1");
	assert_int_equal(store_outbox_next(s, NULL), t0 + 600);
	/* Handed out in the order chosen: the one due first, first. */
	claim_expect(s, t0 + 900, 2, "digest/b/2024-03-01/1 "
	    "digest/a/2024-03-01/1 ");
	date_set_now(t0 + 905);
	assert_int_equal(store_outbox_result(s, 1, "sent", 0, "250 2.0.0 OK",
	    &cause), 0);
	assert_int_equal(store_outbox_result(s, 2, "failed", 0,
	    "550 5.1.1 no such user", &cause), 0);
	expect_text(path, "SELECT state || ' ' || sent_at || ' ' || last_error "
	    "FROM outbox WHERE id = 1", "sent 1709255705 421 4.7.0 try again "
	    "later");
	expect_text(path, "SELECT group_concat(outbox_id || ':' || result || "
	    "':' || at, ' ') FROM (SELECT * FROM deliveries ORDER BY id)",
	    "1:pending:1709255102 1:sent:1709255705 2:failed:1709255705");
	assert_int_equal(store_outbox_next(s, NULL), 0);
	claim_expect(s, t0 + 99999, 0, "");

	/* Retry a failed one; then it dies. */
	assert_int_equal(store_outbox_retry(s, 2, t0 + 1000, &cause), 0);
	assert_int_equal(store_outbox_retry(s, 1, t0 + 1000, &cause), -1);
	free(cause);
	cause = NULL;
	claim_expect(s, t0 + 1000, 1, "digest/b/2024-03-01/1 ");
	assert_int_equal(store_outbox_result(s, 2, "dead", 0, "expired",
	    &cause), 0);
	store_outbox_counts(s, counts, NULL);
	assert_int_equal(counts[0], 0);
	assert_int_equal(counts[1], 0);
	assert_int_equal(counts[2], 1);
	assert_int_equal(counts[3], 0);
	assert_int_equal(counts[4], 1);
	/* Keys by prefix: longer keys only, no LIKE wildcards. */
	assert_int_equal(store_outbox_key_prefix(s, "digest/a/", NULL), 1);
	assert_int_equal(store_outbox_key_prefix(s, "digest/", NULL), 1);
	assert_int_equal(store_outbox_key_prefix(s, "digest/a%", NULL), 0);
	assert_int_equal(store_outbox_key_prefix(s, "digest/c/", NULL), 0);
	assert_int_equal(store_outbox_key_prefix(s, "digest/b/2024-03-01/1",
	    NULL), 0);
	assert_int_equal(store_outbox_key_prefix(s, "digest/b/2024-03-01/",
	    NULL), 1);
	store_close(s);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM deliveries"), 4);
	free(path);
}

/* Notices, meta values and feed tokens. */
static void
test_notices_meta(void **state)
{
	struct store	*s;
	char		*path, *cause = NULL, *v;

	path = new_path("meta");
	s = open_ok(path);
	assert_int_equal(store_notice_seen(s, "escalate/7", NULL), 0);
	assert_int_equal(store_notice_add(s, "escalate/7", date_from_ymd(2024,
	    3, 1), "digest/a/2024-03-01/1", &cause), 0);
	assert_int_equal(store_notice_seen(s, "escalate/7", NULL), 1);
	assert_int_equal(store_notice_add(s, "escalate/7", date_from_ymd(2024,
	    3, 2), NULL, &cause), 0);
	assert_int_equal(store_meta_get(s, "last_pass", &v, &cause), 0);
	assert_null(v);
	assert_int_equal(store_meta_set(s, "last_pass", "2024-03-01T08:00",
	    &cause), 0);
	assert_int_equal(store_meta_set(s, "last_pass", "2024-03-02T08:00",
	    &cause), 0);
	assert_int_equal(store_meta_get(s, "last_pass", &v, &cause), 0);
	assert_string_equal(v, "2024-03-02T08:00");
	free(v);
	assert_int_equal(store_feed_token(s, "unit-a", &v, &cause), 0);
	assert_null(v);
	assert_int_equal(store_feed_set_token(s, "unit-a", "t0k3n", &cause), 0);
	assert_int_equal(store_feed_token(s, "unit-a", &v, &cause), 0);
	assert_string_equal(v, "t0k3n");
	free(v);
	store_close(s);
	expect_text(path, "SELECT day || ' ' || outbox_key FROM notices",
	    "2024-03-01 digest/a/2024-03-01/1");
	free(path);
}

/* Makes the temporary directory; dates are in Vietnam. */
static int
setup(void **state)
{
	if (date_set_timezone("Asia/Ho_Chi_Minh") != 0)
		return (-1);
	return (scratch_make("store"));
}

/* Removes the temporary directory. */
static int
teardown(void **state)
{
	return (scratch_remove());
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create),
		cmocka_unit_test(test_migrations),
		cmocka_unit_test(test_migration_checks),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_units_sync),
		cmocka_unit_test(test_tasks),
		cmocka_unit_test(test_occurrences),
		cmocka_unit_test(test_changes),
		cmocka_unit_test(test_occ_rows),
		cmocka_unit_test(test_assign_rows),
		cmocka_unit_test(test_schedule_listing),
		cmocka_unit_test(test_occ_status),
		cmocka_unit_test(test_agenda),
		cmocka_unit_test(test_outbox),
		cmocka_unit_test(test_notices_meta),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}
