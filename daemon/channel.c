/* Channel lookup and the spool channel: each message a file, atomically. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"
#include "channel.h"
#include "config.h"
#include "route.h"
#include "store.h"
#include "xmalloc.h"

const struct channel *
channel_find(const char *name)
{
	static const struct channel *all[] = { &channel_spool, &channel_smtp,
	    &channel_webhook };
	size_t	i;

	for (i = 0; i < sizeof all / sizeof all[0]; i++)
		if (strcmp(all[i]->name, name) == 0)
			return (all[i]);
	return (NULL);
}

char *
channel_spool_name(const struct store_outbox *m)
{
	char	*name, *p;

	xasprintf(&name, "%s.%s", m->key, route_kind_of(m) == ROUTE_WEBHOOK ?
	    "json" : "eml");
	for (p = name; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
		    *p == '_' || *p == '@')
			continue;
		*p = '_';
	}
	if (name[0] == '.')
		name[0] = '_';
	return (name);
}

/* A spool session: the folder, and a descriptor of it to sync renames. */
struct channel_spool_session {
	char	*dir;
	int	 dirfd;
};

/* Opens the spool: the directory must exist or be creatable. */
static void *
channel_spool_open(const struct config *cf, char **cause)
{
	struct channel_spool_session	*ss;
	int				 fd;

	if (mkdir(cf->spool_dir, 0750) != 0 && errno != EEXIST) {
		xasprintf(cause, "%s: %s", cf->spool_dir, strerror(errno));
		return (NULL);
	}
	if ((fd = open(cf->spool_dir, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1) {
		xasprintf(cause, "%s: %s", cf->spool_dir, strerror(errno));
		return (NULL);
	}
	ss = xcalloc(1, sizeof *ss);
	ss->dir = xstrdup(cf->spool_dir);
	ss->dirfd = fd;
	return (ss);
}

/*
 * Writes one message as a file that appears whole (atomic.c), the folder
 * synced before SENT is recorded.  A failure is the folder's (full, gone,
 * read-only), so the rest of the pass leaves the spool alone.
 */
static void
channel_spool_send(void *arg, const struct store_outbox *m,
    struct channel_result *r)
{
	struct channel_spool_session	*ss = arg;
	struct atomic			*a;
	char				*name, *path, *cause = NULL;

	name = channel_spool_name(m);
	xasprintf(&path, "%s/%s", ss->dir, name);
	r->status = CHANNEL_RETRY;
	r->unreachable = 1;
	if ((a = atomic_open(path, 0640, &cause)) == NULL)
		goto out;
	if (fputs(m->body, atomic_stream(a)) == EOF) {
		xasprintf(&cause, "%s: %s", path, strerror(errno));
		atomic_abort(a);
		goto out;
	}
	if (atomic_commit(a, ss->dirfd, &cause) != 0)
		goto out;
	r->status = CHANNEL_SENT;
	r->unreachable = 0;
	snprintf(r->detail, sizeof r->detail, "spooled %s", name);
out:
	if (cause != NULL)
		snprintf(r->detail, sizeof r->detail, "%s", cause);
	free(cause);
	free(name);
	free(path);
}

/* Closes the spool session. */
static void
channel_spool_close(void *arg)
{
	struct channel_spool_session	*ss = arg;

	close(ss->dirfd);
	free(ss->dir);
	free(ss);
}

const struct channel channel_spool = {
	"spool", channel_spool_open, channel_spool_send, channel_spool_close,
	NULL
};
