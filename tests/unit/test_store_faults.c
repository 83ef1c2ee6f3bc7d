/*
 * Read errors in the store (issue #18, STYLE 17): SQLite's reads go through
 * a VFS that wraps the default one and fails the Nth xRead with
 * SQLITE_IOERR_READ, as a failing disk would.
 *
 * The planning pass over a database where every occurrence must be told:
 * 30 units (u01..u30, one address each) and 80 one-off tasks assigned to
 * all of them, task i due on the (i mod 7)th of Mon 15, Tue 16, Wed 17,
 * Thu 18, Fri 19, Mon 22, Tue 23 July 2024; the pass runs on Mon 15 July
 * 2024 at 08:30 with lead_days 7 3 1 0.  Each occurrence is 0 to 6 working
 * days ahead, so each is in a lead stage and, at the first pass, told:
 * 30 digests of 30 x 80 = 2,400 items, 30 messages, no escalation.
 *
 * For every read the pass makes, a pass that fails at that read must fail
 * and record nothing (no day planned, no message queued), and the next
 * pass, on the same connection, must tell all 2,400 items.  Every reader
 * of the store, and the feeds, the report and the scheduler over it, must
 * fail with the cause at every read they make, never take it for the end
 * of the rows.
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

#include "assignees.h"
#include "calendar.h"
#include "config.h"
#include "date.h"
#include "directory.h"
#include "feed.h"
#include "remind.h"
#include "report.h"
#include "schedule.h"
#include "scratch.h"
#include "store.h"
#include "units.h"
#include "xmalloc.h"

#define UNITS		30
#define TASKS		80
#define ITEMS		(UNITS * TASKS)


/*
 * The faulty VFS: every file it opens is the default VFS's file behind
 * io methods that count xRead calls while armed and fail the one numbered
 * fault_at.  Version 2 methods (no xFetch), so that no page is read by
 * memory mapping around the count.
 */
struct fault_file {
	sqlite3_file	 base;
	sqlite3_file	*real;		/* follows this struct */
};

static sqlite3_vfs		*fault_real;
static sqlite3_vfs		 fault_vfs;
static int			 fault_armed;
static long			 fault_reads;	/* xRead calls while armed */
static long			 fault_at;	/* 0: never fail */

/* The real file behind a faulty one. */
static sqlite3_file *
fault_real_file(sqlite3_file *f)
{
	return (((struct fault_file *)f)->real);
}

/* The other methods, and the VFS's own, pass through to the real ones. */
static int
fault_close(sqlite3_file *f)
{
	sqlite3_file	*r = fault_real_file(f);

	return (r->pMethods->xClose(r));
}

/* Counts reads while armed and fails the one numbered fault_at. */
static int
fault_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
	sqlite3_file	*r = fault_real_file(f);

	if (fault_armed && ++fault_reads == fault_at)
		return (SQLITE_IOERR_READ);
	return (r->pMethods->xRead(r, buf, n, off));
}

static int
fault_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
	sqlite3_file	*r = fault_real_file(f);

	return (r->pMethods->xWrite(r, buf, n, off));
}

static int
fault_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	sqlite3_file	*r = fault_real_file(f);

	return (r->pMethods->xTruncate(r, size));
}

static int
fault_sync(sqlite3_file *f, int flags)
{
	sqlite3_file	*r = fault_real_file(f);

	return (r->pMethods->xSync(r, flags));
}

static int
fault_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
	sqlite3_file	*r = fault_real_file(f);

	return (r->pMethods->xFileSize(r, size));
}

static int
fault_lock(sqlite3_file *f, int lock)
{
	sqlite3_file	*r = fault_real_file(f);

	return (r->pMethods->xLock(r, lock));
}

static int
fault_unlock(sqlite3_file *f, int lock)
{
	sqlite3_file	*r = fault_real_file(f);

	return (r->pMethods->xUnlock(r, lock));
}

static int
fault_check_reserved(sqlite3_file *f, int *out)
{
	sqlite3_file	*r = fault_real_file(f);

	return (r->pMethods->xCheckReservedLock(r, out));
}

static int
fault_file_control(sqlite3_file *f, int op, void *arg)
{
	sqlite3_file	*r = fault_real_file(f);

	return (r->pMethods->xFileControl(r, op, arg));
}

static int
fault_sector_size(sqlite3_file *f)
{
	sqlite3_file	*r = fault_real_file(f);

	return (r->pMethods->xSectorSize(r));
}

static int
fault_device(sqlite3_file *f)
{
	sqlite3_file	*r = fault_real_file(f);

	return (r->pMethods->xDeviceCharacteristics(r));
}

static int
fault_shm_map(sqlite3_file *f, int region, int size, int extend,
    void volatile **p)
{
	sqlite3_file	*r = fault_real_file(f);

	return (r->pMethods->xShmMap(r, region, size, extend, p));
}

static int
fault_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	sqlite3_file	*r = fault_real_file(f);

	return (r->pMethods->xShmLock(r, offset, n, flags));
}

static void
fault_shm_barrier(sqlite3_file *f)
{
	sqlite3_file	*r = fault_real_file(f);

	r->pMethods->xShmBarrier(r);
}

static int
fault_shm_unmap(sqlite3_file *f, int delete)
{
	sqlite3_file	*r = fault_real_file(f);

	return (r->pMethods->xShmUnmap(r, delete));
}

static const sqlite3_io_methods fault_methods = {
	2, fault_close, fault_read, fault_write, fault_truncate, fault_sync,
	fault_file_size, fault_lock, fault_unlock, fault_check_reserved,
	fault_file_control, fault_sector_size, fault_device, fault_shm_map,
	fault_shm_lock, fault_shm_barrier, fault_shm_unmap, NULL, NULL
};

/* Opens the real file and puts the faulty methods in front of it. */
static int
fault_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags,
    int *out)
{
	struct fault_file	*ff = (struct fault_file *)f;
	int			 rc;

	ff->real = (sqlite3_file *)(ff + 1);
	rc = fault_real->xOpen(fault_real, name, ff->real, flags, out);
	f->pMethods = ff->real->pMethods != NULL ? &fault_methods : NULL;
	return (rc);
}

/* Pass through to the default VFS. */
static int
fault_delete(sqlite3_vfs *vfs, const char *name, int sync)
{
	return (fault_real->xDelete(fault_real, name, sync));
}

static int
fault_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	return (fault_real->xAccess(fault_real, name, flags, out));
}

static int
fault_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	return (fault_real->xFullPathname(fault_real, name, n, out));
}

static int
fault_randomness(sqlite3_vfs *vfs, int n, char *out)
{
	return (fault_real->xRandomness(fault_real, n, out));
}

static int
fault_sleep(sqlite3_vfs *vfs, int us)
{
	return (fault_real->xSleep(fault_real, us));
}

static int
fault_current_time(sqlite3_vfs *vfs, double *t)
{
	return (fault_real->xCurrentTime(fault_real, t));
}

static int
fault_last_error(sqlite3_vfs *vfs, int n, char *out)
{
	return (fault_real->xGetLastError(fault_real, n, out));
}

static int
fault_current_time64(sqlite3_vfs *vfs, sqlite3_int64 *t)
{
	return (fault_real->xCurrentTimeInt64(fault_real, t));
}

/* Makes the faulty VFS SQLite's default, disarmed. */
static void
fault_register(void)
{
	assert_non_null(fault_real = sqlite3_vfs_find(NULL));
	assert_true(fault_real->iVersion >= 2);
	memset(&fault_vfs, 0, sizeof fault_vfs);
	fault_vfs.iVersion = 2;
	fault_vfs.szOsFile = (int)sizeof(struct fault_file) +
	    fault_real->szOsFile;
	fault_vfs.mxPathname = fault_real->mxPathname;
	fault_vfs.zName = "fault";
	fault_vfs.xOpen = fault_open;
	fault_vfs.xDelete = fault_delete;
	fault_vfs.xAccess = fault_access;
	fault_vfs.xFullPathname = fault_full_pathname;
	fault_vfs.xRandomness = fault_randomness;
	fault_vfs.xSleep = fault_sleep;
	fault_vfs.xCurrentTime = fault_current_time;
	fault_vfs.xGetLastError = fault_last_error;
	fault_vfs.xCurrentTimeInt64 = fault_current_time64;
	assert_int_equal(sqlite3_vfs_register(&fault_vfs, 1), SQLITE_OK);
}

/* Counts reads from now on and fails the one numbered at (0: none). */
static void
fault_arm(long at)
{
	fault_reads = 0;
	fault_at = at;
	fault_armed = 1;
}

/* Stops counting and failing. */
static void
fault_disarm(void)
{
	fault_armed = 0;
}

/* Copies scratch file from to to (a checkpointed database, no WAL). */
static void
copy_file(const char *from, const char *to)
{
	char	*a = scratch_path(from), *b = scratch_path(to), buf[65536];
	FILE	*in, *out;
	size_t	 n;

	assert_non_null(in = fopen(a, "rb"));
	assert_non_null(out = fopen(b, "wb"));
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	assert_int_equal(fclose(out), 0);
	free(a);
	free(b);
}

/* The integer an SQL query on the scratch database name gives. */
static int64_t
raw_int(const char *name, const char *sql)
{
	char		*path = scratch_path(name);
	sqlite3		*db;
	sqlite3_stmt	*st;
	int64_t		 v;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(path);
	return (v);
}

/*
 * extras.db: pristine.db and what the console and the outbox keep: 4 log
 * entries and 2 moves of occurrence 5, a login link, 3 sessions (one
 * expired at 1000), page links of unit 7 at generation 3, and 5 messages
 * (3 pending, 1 sent, 1 failed) under digest/u0N/.
 */
static void
make_extras(void)
{
	copy_file("pristine.db", "extras.db");
	scratch_sql("extras.db",
	    "BEGIN;"
	    "INSERT INTO occurrence_log (occurrence_id, at, action, by) VALUES "
	    "  (5, '2024-07-01T08:00:00', 'note', 'a'),"
	    "  (5, '2024-07-02T08:00:00', 'note', 'b'),"
	    "  (5, '2024-07-03T08:00:00', 'extend', 'c'),"
	    "  (5, '2024-07-04T08:00:00', 'extend', 'd');"
	    "INSERT INTO occurrence_moves (occurrence_id, at, old_due, new_due, "
	    "  reason, by) VALUES "
	    "  (5, '2024-07-03T08:00:00', '2024-07-15', '2024-07-20', 'r', 'c'),"
	    "  (5, '2024-07-04T08:00:00', '2024-07-20', '2024-07-25', 'r', 'd');"
	    "INSERT INTO console_logins (hash, user, created_at, expires_at) "
	    "  VALUES ('h1', 'admin', 100, 5000000000);"
	    "INSERT INTO console_sessions (hash, user, created_at, expires_at) "
	    "  VALUES ('s1', 'admin', 100, 1000), ('s2', 'admin', 100, "
	    "  5000000000), ('s3', 'clerk', 100, 5000000000);"
	    "INSERT INTO unit_links (unit_id, generation) VALUES (7, 3);"
	    "INSERT INTO outbox (key, unit_id, kind, channel, recipient, day, "
	    "  body, state, next_attempt, created_at, expires_at) VALUES "
	    "  ('digest/u01/1', 1, 'digest', 'email', 'a@x', '2024-07-15', 'b', "
	    "  'pending', 3000, 2000, 9000),"
	    "  ('digest/u02/1', 2, 'digest', 'email', 'a@x', '2024-07-15', 'b', "
	    "  'pending', 2500, 2000, 9000),"
	    "  ('digest/u03/1', 3, 'digest', 'email', 'a@x', '2024-07-15', 'b', "
	    "  'pending', 4000, 2000, 9000),"
	    "  ('digest/u04/1', 4, 'digest', 'email', 'a@x', '2024-07-15', 'b', "
	    "  'sent', 2000, 2000, 9000),"
	    "  ('digest/u05/1', 5, 'digest', 'email', 'a@x', '2024-07-15', 'b', "
	    "  'failed', 2000, 500, 9000);"
	    "COMMIT;"
	    "PRAGMA wal_checkpoint(TRUNCATE);");
}

/* Writes the configuration and the units, and fills pristine.db. */
static void
make_database(void)
{
	struct store	*s;
	struct buf	 b;
	char		*path, *cause = NULL;
	int		 i;

	buf_init(&b);
	for (i = 1; i <= UNITS; i++)
		buf_printf(&b, "[unit u%02d]\nname = UBND xã Thử %d\nemail = "
		    "u%02d@example.gov.vn\n\n", i, i, i);
	scratch_write("units.ini", b.data);
	buf_free(&b);
	scratch_policy_config("work.db", "u01");

	path = scratch_path("pristine.db");
	assert_non_null(s = store_open(path, 1, 1000, &cause));
	free(path);
	assert_int_equal(store_begin(s, &cause), 0);
	scratch_units(s, NULL);
	assert_int_equal(store_commit(s, &cause), 0);
	store_close(s);
	scratch_sql("pristine.db",
	    "BEGIN;"
	    "INSERT INTO plans (code, title, year, starts, ends, generation) "
	    "  VALUES ('kh', 'Kế hoạch', 2024, '2024-01-01', '2024-12-31', 1);"
	    "WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM "
	    "  seq WHERE i < 80) "
	    "INSERT INTO tasks (plan_id, ref, title, kind, due, updated_at) "
	    "  SELECT 1, 'T' || i, 'Nhiệm vụ ' || i, 'once', "
	    "  json_extract('[\"2024-07-15\",\"2024-07-16\",\"2024-07-17\","
	    "  \"2024-07-18\",\"2024-07-19\",\"2024-07-22\",\"2024-07-23\"]', "
	    "  '$[' || (i % 7) || ']'), '2024-01-01T00:00:00' FROM seq;"
	    "INSERT INTO assignments (task_id, unit_id, role) "
	    "  SELECT t.id, u.id, 'lead' FROM tasks t, units u;"
	    "INSERT INTO occurrences (task_id, unit_id, nominal, effective) "
	    "  SELECT a.task_id, a.unit_id, t.due, t.due FROM assignments a "
	    "  JOIN tasks t ON t.id = a.task_id ORDER BY t.due, a.unit_id;"
	    "COMMIT;"
	    "PRAGMA wal_checkpoint(TRUNCATE);");
	assert_int_equal(raw_int("pristine.db", "SELECT count(*) FROM "
	    "occurrences WHERE status = 'open'"), ITEMS);
	make_extras();
}

/* The database, the clock, the faulty VFS. */
static int
setup(void **state)
{
	assert_int_equal(scratch_make("store_faults"), 0);
	assert_int_equal(date_set_timezone("Asia/Ho_Chi_Minh"), 0);
	date_set_now(date_time_at(date_from_ymd(2024, 7, 15), 8, 30));
	make_database();
	fault_register();
	return (0);
}

/* Removes the faulty VFS and the files. */
static int
teardown(void **state)
{
	sqlite3_vfs_unregister(&fault_vfs);
	scratch_remove();
	return (0);
}

/* The configuration and the calendar of the passes. */
struct pass_env {
	struct config	*cf;
	struct calendar	*cal;
	time_t		 now;
};

/* Loads the configuration written by make_database(). */
static void
pass_env_load(struct pass_env *e)
{
	struct calendar_options	 co;
	char			*path = scratch_path("deadlined.ini"), *cause = NULL;

	e->cf = config_load(path, &cause);
	if (e->cf == NULL)
		fail_msg("config: %s", cause);
	free(path);
	calendar_default_options(&co);
	assert_non_null(e->cal = calendar_new(&co));
	e->now = date_time_at(date_from_ymd(2024, 7, 15), 8, 30);
}

/* Frees what pass_env_load() made. */
static void
pass_env_free(struct pass_env *e)
{
	config_free(e->cf);
	calendar_free(e->cal);
}

/* A pass on a fresh copy of pristine.db failing at read `at` (0: none). */
static int
pass_failing_at(struct pass_env *e, long at, struct remind_stats *rs,
    char **cause)
{
	struct store	*s;
	char		*path = scratch_path("work.db"), *sub = NULL;
	int		 rc;

	copy_file("pristine.db", "work.db");
	assert_non_null(s = store_open(path, 0, 1000, &sub));
	free(path);
	fault_arm(at);
	rc = remind_pass(s, e->cf, e->cal, e->now, rs, cause);
	fault_disarm();
	if (at > 0 && rc != 0 && fault_reads >= at) {
		/* The next pass, on the same connection, tells everything. */
		assert_int_equal(raw_int("work.db", "SELECT count(*) FROM "
		    "meta WHERE key = 'plan_day'"), 0);
		assert_int_equal(raw_int("work.db", "SELECT count(*) FROM "
		    "outbox"), 0);
		if (remind_pass(s, e->cf, e->cal, e->now, rs, &sub) != 0)
			fail_msg("the pass after the failed one: %s", sub);
	}
	store_close(s);
	return (rc);
}

/*
 * A fault at each read of the pass in turn: the pass fails and records
 * nothing, and the next one tells all 2,400 items.
 */
static void
test_pass_read_errors(void **state)
{
	struct remind_stats	 rs;
	struct pass_env		 e;
	char			*cause = NULL;
	long			 reads, at;

	pass_env_load(&e);
	if (pass_failing_at(&e, 0, &rs, &cause) != 0)
		fail_msg("the pass without a fault: %s", cause);
	assert_int_equal(rs.units, UNITS);
	assert_int_equal(rs.items, ITEMS);
	assert_int_equal(rs.messages, UNITS);
	assert_int_equal(rs.escalations, 0);
	reads = fault_reads;
	assert_true(reads > 10);
	for (at = 1; at <= reads; at++) {
		cause = NULL;
		memset(&rs, 0, sizeof rs);
		if (pass_failing_at(&e, at, &rs, &cause) == 0)
			fail_msg("read %ld of %ld failed, the pass did not "
			    "(%d of %d items told)", at, reads, rs.items,
			    ITEMS);
		assert_non_null(cause);
		if (strstr(cause, "I/O error") == NULL)
			fail_msg("read %ld: cause '%s'", at, cause);
		free(cause);
		assert_int_equal(rs.items, ITEMS);
		assert_int_equal(rs.messages, UNITS);
	}
	pass_env_free(&e);
}

/* A reader of the store: 0, or -1 and *cause. */
struct reader {
	const char	*name;
	int		(*fn)(struct store *, struct pass_env *, char **);
	int		 has_cause;
	const char	*db;		/* NULL: pristine.db */
};

/* Count the rows they are given. */
static int
count_unit(const struct store_unit *row, void *arg)
{
	(*(int *)arg)++;
	return (0);
}

static int
count_task(const struct store_task *row, void *arg)
{
	(*(int *)arg)++;
	return (0);
}

static int
count_schedule(const struct store_schedule_task *row, void *arg)
{
	(*(int *)arg)++;
	return (0);
}

static int
count_occ(const struct store_occurrence *row, void *arg)
{
	(*(int *)arg)++;
	return (0);
}

static int
count_stage(const struct store_stage_row *row, void *arg)
{
	(*(int *)arg)++;
	return (0);
}

static int
count_feed(const struct store_feed_row *row, void *arg)
{
	(*(int *)arg)++;
	return (0);
}

/* The readers of the table below. */
static int
read_units(struct store *s, struct pass_env *e, char **cause)
{
	int	n = 0;

	if (store_units(s, 1, count_unit, &n, cause) != 0)
		return (-1);
	assert_int_equal(n, UNITS);
	return (0);
}

static int
read_unit_get(struct store *s, struct pass_env *e, char **cause)
{
	int	n = 0;

	if (store_unit_get(s, "u17", count_unit, &n,
	    cause) != 0)
		return (-1);
	assert_int_equal(n, 1);
	return (0);
}

static int
read_unit_id(struct store *s, struct pass_env *e, char **cause)
{
	int64_t	id = store_unit_id(s, "u30", cause);

	return (id < 0 ? -1 : (assert_int_equal(id, 30), 0));
}

static int
read_plan_id(struct store *s, struct pass_env *e, char **cause)
{
	return (store_plan_id(s, "kh", cause) < 0 ? -1 : 0);
}

static int
read_plan_has_tasks(struct store *s, struct pass_env *e, char **cause)
{
	return (store_plan_has_tasks(s, 1, cause) < 0 ? -1 : 0);
}

static int
read_tasks(struct store *s, struct pass_env *e, char **cause)
{
	int	n = 0;

	if (store_tasks(s, NULL, 0, count_task, &n, cause) != 0)
		return (-1);
	assert_int_equal(n, TASKS);
	return (0);
}

static int
read_schedule_tasks(struct store *s, struct pass_env *e, char **cause)
{
	int	n = 0;

	if (store_schedule_tasks(s, "kh", 0, count_schedule, &n, cause) != 0)
		return (-1);
	assert_int_equal(n, TASKS);
	return (0);
}

static int
read_agenda(struct store *s, struct pass_env *e, char **cause)
{
	struct store_agenda_filter	f;
	int				n = 0;

	memset(&f, 0, sizeof f);
	f.from = f.to = DATE_NONE;
	f.include_undated = 1;
	if (store_agenda(s, &f, count_occ, &n, cause) != 0)
		return (-1);
	assert_int_equal(n, ITEMS);
	return (0);
}

static int
read_occ_get(struct store *s, struct pass_env *e, char **cause)
{
	int	n = 0;

	if (store_occ_get(s, 1200, count_occ, &n, cause) != 0)
		return (-1);
	assert_int_equal(n, 1);
	return (0);
}

static int
read_stage_window(struct store *s, struct pass_env *e, char **cause)
{
	int	n = 0;

	if (store_stage_window(s, date_from_ymd(2024, 1, 1),
	    date_from_ymd(2024, 12, 31), count_stage, &n, cause) != 0)
		return (-1);
	assert_int_equal(n, ITEMS);
	return (0);
}

static int
read_tasks_inactive(struct store *s, struct pass_env *e, char **cause)
{
	int64_t	*ids;
	size_t	 n;
	int	 rc;

	rc = store_tasks_inactive(s, &ids, &n, cause);
	free(ids);
	return (rc);
}

/* Counts a row past at import. */
static int
count_past(const struct store_past_row *row, void *arg)
{
	(*(int *)arg)++;
	return (0);
}

static int
read_tasks_review(struct store *s, struct pass_env *e, char **cause)
{
	int	n = 0;

	if (store_tasks_review(s, NULL, count_task, &n, cause) != 0)
		return (-1);
	assert_int_equal(n, 0);
	return (0);
}

static int
read_occ_past(struct store *s, struct pass_env *e, char **cause)
{
	int	n = 0;

	if (store_occ_past(s, count_past, &n, cause) != 0)
		return (-1);
	assert_int_equal(n, 0);
	return (0);
}

static int
read_plan_past_tasks(struct store *s, struct pass_env *e, char **cause)
{
	int	n = 0;

	if (store_plan_past_tasks(s, 1, 1, count_past, &n, cause) != 0)
		return (-1);
	assert_int_equal(n, 0);
	return (0);
}

static int
read_notice_seen(struct store *s, struct pass_env *e, char **cause)
{
	return (store_notice_seen(s, "p/1", cause) < 0 ? -1 : 0);
}

static int
read_plan_starts(struct store *s, struct pass_env *e, char **cause)
{
	date_t	starts;

	return (store_plan_starts(s, "kh", &starts, cause));
}

static int
read_feed_rows(struct store *s, struct pass_env *e, char **cause)
{
	int	n = 0;

	if (store_feed_rows(s, "u05", count_feed, &n, cause) != 0)
		return (-1);
	assert_int_equal(n, TASKS);
	return (0);
}

static int
read_assignees(struct store *s, struct pass_env *e, char **cause)
{
	char	*lead, *support;

	if (assignees_names(s, 7, &lead, &support, cause) != 0)
		return (-1);
	free(lead);
	free(support);
	return (0);
}

static int
read_meta(struct store *s, struct pass_env *e, char **cause)
{
	char	*v;

	if (store_meta_get(s, "plan_day", &v, cause) != 0)
		return (-1);
	free(v);
	return (0);
}

static int
read_feed_stamp(struct store *s, struct pass_env *e, char **cause)
{
	char	*v;

	if ((v = store_feed_stamp(s, cause)) == NULL)
		return (-1);
	free(v);
	return (0);
}

static int
read_task_notes(struct store *s, struct pass_env *e, char **cause)
{
	char	*v;

	if (store_task_notes(s, 3, &v, cause) != 0)
		return (-1);
	free(v);
	return (0);
}

static int
read_plan_title(struct store *s, struct pass_env *e, char **cause)
{
	char	*v;

	if (store_report_plan_title(s, "kh", &v, cause) != 0)
		return (-1);
	free(v);
	return (0);
}

static int
read_feed_all(struct store *s, struct pass_env *e, char **cause)
{
	char	*out;
	size_t	 len;

	if (feed_render(s, e->cf, "all", 0, e->now, date_from_ymd(2024, 7,
	    15), &out, &len, cause) != 0)
		return (-1);
	free(out);
	return (0);
}

static int
read_report(struct store *s, struct pass_env *e, char **cause)
{
	struct report_options	o;
	struct report		r;

	memset(&o, 0, sizeof o);
	assert_int_equal(report_parse_period("2024-07", &o.period), 0);
	o.plan = "kh";
	o.unit = "u09";
	o.today = date_from_ymd(2024, 7, 31);
	if (report_build(s, e->cal, &o, &r, cause) != 0)
		return (-1);
	assert_int_equal(r.total.due, TASKS);
	report_clear(&r);
	return (0);
}

static int
read_schedule(struct store *s, struct pass_env *e, char **cause)
{
	struct schedule_options	 so;
	struct schedule_stats	 ss;
	int			 rc;

	memset(&so, 0, sizeof so);
	so.calendar = e->cal;
	so.rule = CALENDAR_NEXT;
	so.today = date_from_ymd(2024, 7, 1);
	so.horizon = date_from_ymd(2024, 12, 31);
	if (store_begin(s, cause) != 0)
		return (-1);
	if ((rc = schedule_plan(s, "kh", &so, &ss, cause)) == 0)
		rc = store_commit(s, cause);
	store_rollback(s);
	return (rc);
}

/* Counts a row of the console's readers. */
static int
count_history(const struct store_history *row, void *arg)
{
	(*(int *)arg)++;
	return (0);
}

static int
count_move(const struct store_move *row, void *arg)
{
	(*(int *)arg)++;
	return (0);
}

static int
count_session(const struct store_session *row, void *arg)
{
	(*(int *)arg)++;
	return (0);
}

static int
count_plan(const struct store_plan *row, void *arg)
{
	(*(int *)arg)++;
	return (0);
}

static int
count_outbox(const struct store_outbox *row, void *arg)
{
	(*(int *)arg)++;
	return (0);
}

static int
read_occ_extend(struct store *s, struct pass_env *e, char **cause)
{
	struct store_actor	who = { "clerk", "cli" };
	int			rc;

	if (store_begin(s, cause) != 0)
		return (-1);
	rc = store_occ_extend(s, 5, date_from_ymd(2024, 8, 1), "r", 0, &who,
	    cause);
	/* The rollback's reads are not the reader's. */
	fault_disarm();
	store_rollback(s);
	return (rc);
}

static int
read_occ_version(struct store *s, struct pass_env *e, char **cause)
{
	int64_t	v = store_occ_version(s, 5, cause);

	return (v < 0 ? -1 : (assert_int_equal(v, 4), 0));
}

static int
read_history(struct store *s, struct pass_env *e, char **cause)
{
	int	n = 0;

	if (store_history(s, 0, 5, 100, count_history, &n, cause) != 0)
		return (-1);
	assert_int_equal(n, 4);
	return (0);
}

static int
read_occ_moves(struct store *s, struct pass_env *e, char **cause)
{
	int	n = 0;

	if (store_occ_moves(s, 5, count_move, &n, cause) != 0)
		return (-1);
	assert_int_equal(n, 2);
	return (0);
}

static int
read_task_occurrences(struct store *s, struct pass_env *e, char **cause)
{
	int	n = 0;

	if (store_task_occurrences(s, 3, count_occ, &n, cause) != 0)
		return (-1);
	assert_int_equal(n, UNITS);
	return (0);
}

static int
read_login_state(struct store *s, struct pass_env *e, char **cause)
{
	char	*user;
	int	 state;

	state = store_console_login_state(s, "h1", 2000, &user, cause);
	if (state < 0)
		return (-1);
	assert_int_equal(state, STORE_LOGIN_VALID);
	assert_string_equal(user, "admin");
	free(user);
	return (0);
}

static int
read_session_get(struct store *s, struct pass_env *e, char **cause)
{
	int	n = 0;

	if (store_console_session_get(s, "s3", count_session, &n, cause) != 1)
		return (-1);
	assert_int_equal(n, 1);
	return (0);
}

static int
read_sessions(struct store *s, struct pass_env *e, char **cause)
{
	int	n = 0;

	if (store_console_sessions(s, 2000, count_session, &n, cause) != 0)
		return (-1);
	assert_int_equal(n, 2);
	return (0);
}

static int
read_link_generation(struct store *s, struct pass_env *e, char **cause)
{
	int	g = store_unit_link_generation(s, 7, cause);

	return (g < 0 ? -1 : (assert_int_equal(g, 3), 0));
}

static int
read_plans(struct store *s, struct pass_env *e, char **cause)
{
	int	n = 0;

	if (store_plans(s, count_plan, &n, cause) != 0)
		return (-1);
	assert_int_equal(n, 1);
	return (0);
}

static int
read_outbox_list(struct store *s, struct pass_env *e, char **cause)
{
	int	n = 0;

	if (store_outbox_list(s, "pending", count_outbox, &n, cause) != 0)
		return (-1);
	assert_int_equal(n, 3);
	return (0);
}

static int
read_outbox_next(struct store *s, struct pass_env *e, char **cause)
{
	time_t	t = store_outbox_next(s, cause);

	return (t < 0 ? -1 : (assert_int_equal(t, 2500), 0));
}

static int
read_outbox_counts(struct store *s, struct pass_env *e, char **cause)
{
	int64_t	c[5];

	if (store_outbox_counts_since(s, 1000, c, cause) != 0)
		return (-1);
	/* pending, sending, sent, failed, dead; the failed one is older. */
	assert_int_equal(c[0], 3);
	assert_int_equal(c[2], 1);
	assert_int_equal(c[3], 0);
	return (0);
}

static int
read_outbox_key_prefix(struct store *s, struct pass_env *e, char **cause)
{
	int	found = store_outbox_key_prefix(s, "digest/u03/", cause);

	return (found < 0 ? -1 : (assert_int_equal(found, 1), 0));
}

/*
 * Each reader on a fresh connection fails at each read it makes in turn:
 * it must return -1 with the I/O error, whatever it read before.
 */
static void
test_reader_errors(void **state)
{
	static const struct reader readers[] = {
		{ "store_units", read_units, 1, NULL },
		{ "store_unit_get", read_unit_get, 1, NULL },
		{ "store_unit_id", read_unit_id, 1, NULL },
		{ "store_plan_id", read_plan_id, 1, NULL },
		{ "store_plan_has_tasks", read_plan_has_tasks, 1, NULL },
		{ "store_tasks", read_tasks, 1, NULL },
		{ "store_schedule_tasks", read_schedule_tasks, 1, NULL },
		{ "store_agenda", read_agenda, 1, NULL },
		{ "store_occ_get", read_occ_get, 1, NULL },
		{ "store_stage_window", read_stage_window, 1, NULL },
		{ "store_tasks_inactive", read_tasks_inactive, 1, NULL },
		{ "store_tasks_review", read_tasks_review, 1, NULL },
		{ "store_occ_past", read_occ_past, 1, NULL },
		{ "store_plan_past_tasks", read_plan_past_tasks, 1, NULL },
		{ "store_plan_starts", read_plan_starts, 1, NULL },
		{ "store_notice_seen", read_notice_seen, 1, NULL },
		{ "store_feed_rows", read_feed_rows, 1, NULL },
		{ "assignees_names", read_assignees, 1, NULL },
		{ "store_meta_get", read_meta, 1, NULL },
		{ "store_feed_stamp", read_feed_stamp, 1, NULL },
		{ "store_task_notes", read_task_notes, 1, NULL },
		{ "store_report_plan_title", read_plan_title, 1, NULL },
		{ "feed_render", read_feed_all, 1, NULL },
		{ "report_build", read_report, 1, NULL },
		{ "schedule_plan", read_schedule, 1, NULL },
		{ "store_occ_extend", read_occ_extend, 1, "extras.db" },
		{ "store_occ_version", read_occ_version, 1, "extras.db" },
		{ "store_history", read_history, 1, "extras.db" },
		{ "store_occ_moves", read_occ_moves, 1, "extras.db" },
		{ "store_task_occurrences", read_task_occurrences, 1, NULL },
		{ "store_console_login_state", read_login_state, 1,
		    "extras.db" },
		{ "store_console_session_get", read_session_get, 1,
		    "extras.db" },
		{ "store_console_sessions", read_sessions, 1, "extras.db" },
		{ "store_unit_link_generation", read_link_generation, 1,
		    "extras.db" },
		{ "store_plans", read_plans, 1, NULL },
		{ "store_outbox_list", read_outbox_list, 1, "extras.db" },
		{ "store_outbox_next", read_outbox_next, 1, "extras.db" },
		{ "store_outbox_counts_since", read_outbox_counts, 1,
		    "extras.db" },
		{ "store_outbox_key_prefix", read_outbox_key_prefix, 1,
		    "extras.db" },
	};
	const struct reader	*r;
	struct pass_env		 e;
	struct store		*s;
	char			*path = scratch_path("work.db"), *cause;
	long			 reads, at;
	size_t			 i;
	int			 rc;

	pass_env_load(&e);
	for (i = 0; i < sizeof readers / sizeof readers[0]; i++) {
		r = &readers[i];
		for (at = 0, reads = 1; at <= reads; at++) {
			copy_file(r->db != NULL ? r->db : "pristine.db",
			    "work.db");
			cause = NULL;
			assert_non_null(s = store_open(path, 0, 1000, &cause));
			fault_arm(at);
			rc = r->fn(s, &e, &cause);
			fault_disarm();
			store_close(s);
			if (at == 0) {
				if (rc != 0)
					fail_msg("%s: %s", r->name, cause);
				reads = fault_reads;
				assert_true(reads > 0);
				continue;
			}
			if (rc == 0)
				fail_msg("%s: read %ld of %ld failed, the "
				    "reader did not", r->name, at, reads);
			if (r->has_cause && (cause == NULL ||
			    strstr(cause, "I/O error") == NULL))
				fail_msg("%s: read %ld: cause '%s'", r->name,
				    at, cause != NULL ? cause : "(none)");
			free(cause);
		}
	}
	free(path);
	pass_env_free(&e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pass_read_errors),
		cmocka_unit_test(test_reader_errors),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}
