#ifndef ATOMIC_H
#define ATOMIC_H

#include <stdio.h>
#include <sys/types.h>

/*
 * A file that appears whole or not at all: written under a hidden
 * temporary name beside it (".NAME.tmp"), flushed to disk, renamed over
 * the old file, and the folder synced, without which the rename may not
 * survive a power cut that what the caller records next does.  The
 * temporary name is fixed, so a write cut short by a crash is overwritten
 * by the next attempt, not left behind (one writer per folder: the
 * daemon's lock).
 */
struct atomic;

/* Starts a file to appear at path with mode; NULL and *cause. */
struct atomic	*atomic_open(const char *, mode_t, char **);
/* The stream to write the content to (owned by the atomic file). */
FILE		*atomic_stream(struct atomic *);
/*
 * Syncs, renames over path and syncs the folder (dirfd, or -1: open the
 * path's folder); 0 or -1 and *cause, the temporary file removed.  Frees.
 */
int		 atomic_commit(struct atomic *, int, char **);
/* Drops the temporary file and frees; NULL is safe. */
void		 atomic_abort(struct atomic *);

#endif
