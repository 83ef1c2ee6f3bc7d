/*
 * The scratch folder of a unit test program (see scratch.h).  Not a test
 * itself: tests/CMakeLists.txt links it into each test_*.c.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <sys/stat.h>

#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "calendar.h"
#include "config.h"
#include "directory.h"
#include "scratch.h"
#include "store.h"
#include "units.h"
#include "xmalloc.h"

char	 scratch_dir[64];

/* Makes /tmp/deadlined-test-<name>-XXXXXX; 0, or -1. */
int
scratch_make(const char *name)
{
	if (snprintf(scratch_dir, sizeof scratch_dir,
	    "/tmp/deadlined-test-%s-XXXXXX", name) >= (int)sizeof scratch_dir ||
	    mkdtemp(scratch_dir) == NULL)
		return (-1);
	return (0);
}

/* Removes one entry of the scratch folder. */
static int
scratch_remove_entry(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	return (remove(path));
}

/* Removes the scratch folder and all it holds; 0, or -1. */
int
scratch_remove(void)
{
	return (nftw(scratch_dir, scratch_remove_entry, 16,
	    FTW_DEPTH | FTW_PHYS));
}

/* The path of name in the scratch folder; caller frees. */
char *
scratch_path(const char *name)
{
	char	*path;

	xasprintf(&path, "%s/%s", scratch_dir, name);
	return (path);
}

/* Writes text to name in the scratch folder; fails the test. */
void
scratch_write(const char *name, const char *text)
{
	char	*path = scratch_path(name);
	FILE	*f;

	assert_non_null(f = fopen(path, "wb"));
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	free(path);
}

/* Runs SQL on the database name through a plain connection; fails the test. */
void
scratch_sql(const char *name, const char *sql)
{
	char	*path = scratch_path(name);

	scratch_exec(path, sql);
	free(path);
}

/* Runs SQL on the database file at path, plainly; fails the test. */
void
scratch_exec(const char *path, const char *sql)
{
	sqlite3	*db;
	char	*err = NULL;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err);
	sqlite3_close(db);
}

/* Reads the whole file at path, NUL-terminated; fails the test. */
char *
scratch_read(const char *path, size_t *len)
{
	struct buf	 b;
	char		 chunk[4096];
	size_t		 n;
	FILE		*f;

	if ((f = fopen(path, "rb")) == NULL)
		fail_msg("%s: cannot open", path);
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	if (len != NULL)
		*len = b.len;
	return (buf_steal(&b));
}

/*
 * Makes the database at path as an older deadlined left it at schema
 * version v (0: empty): tests/fixtures/store/schema-vV.sql.  A fixture
 * whose first line is "-- on schema-vN.sql" holds what the migrations
 * after N added, and is applied on version N made first.
 */
void
scratch_schema(const char *path, int v)
{
	const char	*src = getenv("SRCDIR");
	char		*fixture, *sql;
	int		 on;

	if (v == 0) {
		scratch_exec(path, "PRAGMA user_version = 0");
		return;
	}
	xasprintf(&fixture, "%s/tests/fixtures/store/schema-v%d.sql",
	    src != NULL ? src : ".", v);
	sql = scratch_read(fixture, NULL);
	if (sscanf(sql, "-- on schema-v%d.sql", &on) == 1) {
		assert_true(on > 0 && on < v);
		scratch_schema(path, on);
	}
	scratch_exec(path, sql);
	free(sql);
	free(fixture);
}

void
scratch_units(struct store *s, const char *text)
{
	struct store_sync_stats	 st;
	struct units		*u;
	char			*path, *cause = NULL;

	if (text != NULL)
		scratch_write("units.ini", text);
	path = scratch_path("units.ini");
	if ((u = units_load(path, &cause)) == NULL)
		fail_msg("%s", cause);
	free(path);
	if (directory_sync(s, u, &st, &cause) != 0)
		fail_msg("%s", cause);
	units_free(u);
}

void
scratch_policy_config(const char *db, const char *coordinator)
{
	struct buf	b;

	buf_init(&b);
	buf_printf(&b, "[daemon]\nstate_dir = %s\nunits_file = %s/units.ini\n"
	    "[database]\npath = %s/%s\n[plan]\ncoordinator = %s\n"
	    "[reminders]\nlead_days = 7 3 1 0\noverdue_every = 3\n"
	    "overdue_max = 5\nescalate_after = 5\nsend_time = 08:00\n"
	    "channel = spool\n[report]\nschedule = off\n[http]\n"
	    "enabled = no\n", scratch_dir, scratch_dir, scratch_dir, db,
	    coordinator);
	scratch_write("deadlined.ini", b.data);
	buf_free(&b);
}

int
scratch_teardown(struct store *s, struct calendar *cal, struct config *cf,
    void *fx)
{
	if (s != NULL)
		store_close(s);
	calendar_free(cal);
	config_free(cf);
	free(fx);
	return (scratch_remove());
}
