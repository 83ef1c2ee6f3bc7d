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

#include "scratch.h"
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
	char	*path = scratch_path(name), *err = NULL;
	sqlite3	*db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err);
	sqlite3_close(db);
	free(path);
}
