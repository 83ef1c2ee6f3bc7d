/*
 * atomic: a file appears whole with its mode, an aborted one leaves
 * nothing behind, a failure names the file, and a temporary file left by
 * a crash is taken over by the next write.
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

#include "atomic.h"
#include "scratch.h"
#include "xmalloc.h"

/* The content of a file, or NULL if it does not exist; caller frees. */
static char *
slurp(const char *path)
{
	char	 buf[256];
	FILE	*f;
	size_t	 n;

	if ((f = fopen(path, "r")) == NULL)
		return (NULL);
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return (xstrdup(buf));
}

/* Writes, replaces, aborts and fails in a scratch folder. */
static void
test_atomic(void **state)
{
	struct atomic	*a;
	struct stat	 sb;
	char		*path, *tmp, *text, *cause = NULL;

	(void)state;
	assert_int_equal(scratch_make("atomic"), 0);
	path = scratch_path("feed.ics");
	tmp = scratch_path(".feed.ics.tmp");
	/* A first write: the file appears with the mode asked for. */
	assert_non_null(a = atomic_open(path, 0640, &cause));
	assert_null(slurp(path));
	fputs("one\n", atomic_stream(a));
	assert_int_equal(atomic_commit(a, -1, &cause), 0);
	assert_string_equal(text = slurp(path), "one\n");
	free(text);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0640);
	assert_int_equal(access(tmp, F_OK), -1);
	/* An aborted write leaves the old file and no temporary file. */
	assert_non_null(a = atomic_open(path, 0640, &cause));
	fputs("two\n", atomic_stream(a));
	atomic_abort(a);
	assert_string_equal(text = slurp(path), "one\n");
	free(text);
	assert_int_equal(access(tmp, F_OK), -1);
	/* A crash's leftover is overwritten whole, not appended to. */
	assert_non_null(a = atomic_open(tmp, 0600, &cause));
	fputs("left over by a crash, longer than the next\n",
	    atomic_stream(a));
	assert_int_equal(atomic_commit(a, -1, &cause), 0);
	assert_non_null(a = atomic_open(path, 0644, &cause));
	fputs("three\n", atomic_stream(a));
	assert_int_equal(atomic_commit(a, -1, &cause), 0);
	assert_string_equal(text = slurp(path), "three\n");
	free(text);
	assert_int_equal(access(tmp, F_OK), -1);
	free(path);
	/* A folder that does not exist: the cause names the file. */
	path = scratch_path("gone/feed.ics");
	assert_null(atomic_open(path, 0640, &cause));
	assert_non_null(strstr(cause, "/gone/.feed.ics.tmp: No such file"));
	free(cause);
	free(path);
	free(tmp);
	atomic_abort(NULL);
	assert_int_equal(scratch_remove(), 0);
}

/* The folder an atomic file (and the database's ownership) is synced in. */
static void
check_dirname(const char *path, const char *want)
{
	char	*dir = xdirname(path);

	assert_string_equal(dir, want);
	free(dir);
}

/* The folder part of paths: nested, bare, at the root, relative. */
static void
test_dirname(void **state)
{
	(void)state;
	check_dirname("/var/lib/deadlined/deadlined.db", "/var/lib/deadlined");
	check_dirname("deadlined.db", ".");
	check_dirname("/deadlined.db", "/");
	check_dirname("state/feeds/a.ics", "state/feeds");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_atomic),
		cmocka_unit_test(test_dirname),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
