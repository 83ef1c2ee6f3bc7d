/*
 * A scratch folder for one test: made under /tmp, removed whole (made
 * writable first, for tests that take the write bit away).  Header only,
 * so each test program stays one file for CMake's glob.
 */
#ifndef SCRATCH_H
#define SCRATCH_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "xmalloc.h"

/* Makes /tmp/NAME.XXXXXX into dir (64 bytes); fails the test if it cannot. */
static inline void
scratch_new(char dir[64], const char *name)
{
	snprintf(dir, 64, "/tmp/%s.XXXXXX", name);
	if (mkdtemp(dir) == NULL)
		fail_msg("mkdtemp %s: cannot make a scratch folder", dir);
}

/* The path of a file in the scratch folder; caller frees. */
static inline char *
scratch_path(const char *dir, const char *file)
{
	char	*path;

	xasprintf(&path, "%s/%s", dir, file);
	return (path);
}

/* Removes the scratch folder and everything in it. */
static inline void
scratch_remove(const char *dir)
{
	char	*cmd;

	xasprintf(&cmd, "chmod -R u+w '%s'; rm -rf '%s'", dir, dir);
	if (system(cmd) != 0)
		fail_msg("cannot remove %s", dir);
	free(cmd);
}

#endif
