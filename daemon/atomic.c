/* Files replaced whole: temporary file, fsync, rename, folder fsync. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic.h"
#include "xmalloc.h"

struct atomic {
	char	*path;
	char	*tmp;
	mode_t	 mode;
	FILE	*f;
};

struct atomic *
atomic_open(const char *path, mode_t mode, char **cause)
{
	struct atomic	*a;
	const char	*base = strrchr(path, '/');
	char		*dir = xdirname(path);
	int		 fd;

	a = xcalloc(1, sizeof *a);
	a->path = xstrdup(path);
	a->mode = mode;
	xasprintf(&a->tmp, "%s/.%s.tmp", dir, base != NULL ? base + 1 : path);
	free(dir);
	if ((fd = open(a->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    mode)) == -1 || (a->f = fdopen(fd, "wb")) == NULL) {
		xasprintf(cause, "%s: %s", a->tmp, strerror(errno));
		if (fd != -1) {
			close(fd);
			unlink(a->tmp);
		}
		free(a->tmp);
		a->tmp = NULL;
		atomic_abort(a);
		return (NULL);
	}
	return (a);
}

FILE *
atomic_stream(struct atomic *a)
{
	return (a->f);
}

/* Syncs the folder of a's path, or dirfd; 0 or -1 and *cause. */
static int
atomic_sync_dir(const struct atomic *a, int dirfd, char **cause)
{
	char	*dir = xdirname(a->path);
	int	 fd = dirfd, rc = 0;

	if (fd == -1)
		fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1 || fsync(fd) != 0) {
		xasprintf(cause, "%s: %s", dir, strerror(errno));
		rc = -1;
	}
	if (fd != -1 && fd != dirfd)
		close(fd);
	free(dir);
	return (rc);
}

int
atomic_commit(struct atomic *a, int dirfd, char **cause)
{
	FILE	*f = a->f;
	int	 rc = -1;

	a->f = NULL;
	if (fflush(f) != 0 || fchmod(fileno(f), a->mode) != 0 ||
	    fsync(fileno(f)) != 0) {
		xasprintf(cause, "%s: %s", a->path, strerror(errno));
		fclose(f);
	} else if (fclose(f) != 0)
		xasprintf(cause, "%s: %s", a->path, strerror(errno));
	else if (rename(a->tmp, a->path) != 0)
		xasprintf(cause, "%s: %s", a->path, strerror(errno));
	else {
		free(a->tmp);
		a->tmp = NULL;
		rc = atomic_sync_dir(a, dirfd, cause);
	}
	atomic_abort(a);
	return (rc);
}

void
atomic_abort(struct atomic *a)
{
	if (a == NULL)
		return;
	if (a->f != NULL)
		fclose(a->f);
	if (a->tmp != NULL)
		unlink(a->tmp);
	free(a->tmp);
	free(a->path);
	free(a);
}
