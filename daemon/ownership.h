#ifndef OWNERSHIP_H
#define OWNERSHIP_H

/*
 * Who may write the database's files.  The usual mistake: an administrator
 * runs deadlinectl init or import as root, the files it creates belong to
 * root, and deadlined, which runs as its own user, reads "attempt to write
 * a readonly database".  These name the file, its owner and the fix; they
 * never change an owner themselves.
 */

/*
 * The database's files (the database, its directory, its -wal, -shm,
 * -journal and deadlined's .lock) that this process cannot write, the
 * first with its owner and mode, and the commands that fix them, as one
 * message; NULL if all are writable.  Caller frees.
 */
char	*ownership_problem(const char *);
/*
 * When this process runs as root on a database whose directory (or the
 * database itself) belongs to another user, the service's, a warning that
 * what it creates will belong to root, with the command to run instead;
 * NULL otherwise.  Caller frees.
 */
char	*ownership_root_warning(const char *, const char *);
/*
 * After a run as root: the database's files that now belong to root in a
 * directory of another user, with the chown that gives them back; NULL if
 * none.  Caller frees.
 */
char	*ownership_root_leftovers(const char *);

#endif
