/* Who may write the database's files, and what to say when the wrong one does. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ownership.h"
#include "xmalloc.h"

/* The files SQLite and deadlined write beside a database, by suffix. */
static const char *const ownership_suffixes[] = { "", "-wal", "-shm",
    "-journal", ".lock", NULL };

/* A user's name, or its number when it has none; caller frees. */
static char *
ownership_name(uid_t uid)
{
	struct passwd	*pw = getpwuid(uid);
	char		*name;

	if (pw != NULL)
		return (xstrdup(pw->pw_name));
	xasprintf(&name, "%lu", (unsigned long)uid);
	return (name);
}

/* Adds "NAME (uid N)" to b. */
static void
ownership_add_user(struct buf *b, uid_t uid)
{
	char	*name = ownership_name(uid);

	buf_printf(b, "%s (uid %lu)", name, (unsigned long)uid);
	free(name);
}

/* What ownership_problem() finds, as it goes. */
struct ownership_found {
	struct buf	 first;		/* the first file, described */
	struct buf	 others;	/* the others, named */
	struct buf	 chown;		/* files of another owner */
	struct buf	 chmod;		/* this user's, not writable */
	int		 readonly_fs;
};

/* Describes path, which this process cannot write, in f->first. */
static void
ownership_describe(struct ownership_found *f, const char *path,
    const struct stat *st)
{
	buf_printf(&f->first, "%s belongs to ", path);
	ownership_add_user(&f->first, st->st_uid);
	buf_printf(&f->first, ", mode %04o: ", (unsigned)(st->st_mode & 07777));
	if (st->st_uid == geteuid())
		buf_adds(&f->first, "its owner, who runs this, cannot write it");
	else {
		buf_adds(&f->first, "the user running this, ");
		ownership_add_user(&f->first, geteuid());
		buf_adds(&f->first, ", cannot write it");
	}
}

/* Checks one file or directory; absent is fine (SQLite makes it). */
static void
ownership_check(struct ownership_found *f, const char *path)
{
	struct stat	st;

	if (stat(path, &st) != 0 ||
	    faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) == 0)
		return;
	if (errno == EROFS) {
		f->readonly_fs = 1;
		return;
	}
	if (f->first.len == 0)
		ownership_describe(f, path, &st);
	else
		buf_printf(&f->others, "%s%s", f->others.len ? ", " : "",
		    path);
	buf_printf(st.st_uid == geteuid() ? &f->chmod : &f->chown, " %s",
	    path);
}

/* The message of what f holds; caller frees. */
static char *
ownership_message(struct ownership_found *f, const char *db)
{
	struct buf	 b;
	char		*name;

	buf_init(&b);
	if (f->first.len > 0) {
		buf_adds(&b, f->first.data);
		if (f->others.len > 0)
			buf_printf(&b, ", nor %s", f->others.data);
		buf_adds(&b, "; fix:");
		if (f->chown.len > 0) {
			name = ownership_name(geteuid());
			buf_printf(&b, " chown %s:%s", name, f->chown.data);
			free(name);
		}
		if (f->chmod.len > 0)
			buf_printf(&b, "%s chmod u+w%s", f->chown.len > 0 ?
			    " and" : "", f->chmod.data);
	}
	if (f->readonly_fs)
		buf_printf(&b, "%s%s is on a read-only file system (for the "
		    "service: ReadWritePaths= of its unit)", b.len ? "; " : "",
		    db);
	return (buf_steal(&b));
}

char *
ownership_problem(const char *db)
{
	struct ownership_found	 f;
	char			*path, *msg = NULL;
	size_t			 i;

	memset(&f, 0, sizeof f);
	buf_init(&f.first);
	buf_init(&f.others);
	buf_init(&f.chown);
	buf_init(&f.chmod);
	for (i = 0; ownership_suffixes[i] != NULL; i++) {
		xasprintf(&path, "%s%s", db, ownership_suffixes[i]);
		ownership_check(&f, path);
		free(path);
		if (i == 0) {
			path = xdirname(db);
			ownership_check(&f, path);
			free(path);
		}
	}
	if (f.first.len > 0 || f.readonly_fs)
		msg = ownership_message(&f, db);
	buf_free(&f.first);
	buf_free(&f.others);
	buf_free(&f.chown);
	buf_free(&f.chmod);
	return (msg);
}

/*
 * The service's user: the owner of the database's directory, else, when
 * root owns that, of the database itself; -1 if neither exists.
 */
static int
ownership_service(const char *db, uid_t *uid, char **what)
{
	struct stat	 st;
	char		*dir = xdirname(db);

	if (stat(dir, &st) == 0 && st.st_uid != 0) {
		*uid = st.st_uid;
		*what = dir;
		return (0);
	}
	free(dir);
	if (stat(db, &st) == 0) {
		*uid = st.st_uid;
		*what = xstrdup(db);
		return (0);
	}
	return (-1);
}

char *
ownership_root_warning(const char *db, const char *command)
{
	uid_t	 owner;
	char	*what, *name, *msg;

	if (geteuid() != 0 || ownership_service(db, &owner, &what) != 0)
		return (NULL);
	if (owner == 0) {
		free(what);
		return (NULL);
	}
	name = ownership_name(owner);
	xasprintf(&msg, "deadlinectl %s runs as root on the database of %s "
	    "(%s belongs to %s): what it creates belongs to root, which "
	    "deadlined, running as %s, cannot write; run it as that user "
	    "instead: runuser -u %s -- deadlinectl %s ...", command, name,
	    what, name, name, name, command);
	free(name);
	free(what);
	return (msg);
}

char *
ownership_root_leftovers(const char *db)
{
	struct stat	 st;
	struct buf	 b;
	uid_t		 owner;
	char		*what, *path, *name, *msg = NULL;
	size_t		 i;

	if (geteuid() != 0 || ownership_service(db, &owner, &what) != 0)
		return (NULL);
	name = ownership_name(owner);
	buf_init(&b);
	for (i = 0; owner != 0 && ownership_suffixes[i] != NULL; i++) {
		xasprintf(&path, "%s%s", db, ownership_suffixes[i]);
		if (stat(path, &st) == 0 && st.st_uid == 0)
			buf_printf(&b, " %s", path);
		free(path);
	}
	if (b.len > 0)
		xasprintf(&msg, "%.*s belong%s to root, which deadlined, "
		    "running as %s (the owner of %s), cannot write; nothing "
		    "was changed: fix with chown %s:%.*s", (int)b.len - 1,
		    b.data + 1, strchr(b.data + 1, ' ') == NULL ? "s" : "",
		    name, what, name, (int)b.len, b.data);
	buf_free(&b);
	free(name);
	free(what);
	return (msg);
}
