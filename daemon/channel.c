/* Channel lookup and the spool channel: each message a file, atomically. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "channel.h"
#include "config.h"
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

	xasprintf(&name, "%s.%s", m->key, strcmp(m->kind, "webhook") == 0 ?
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

/* Opens the spool: the directory must exist or be creatable. */
static void *
channel_spool_open(const struct config *cf, char **cause)
{
	if (mkdir(cf->spool_dir, 0750) != 0 && errno != EEXIST) {
		xasprintf(cause, "%s: %s", cf->spool_dir, strerror(errno));
		return (NULL);
	}
	return (xstrdup(cf->spool_dir));
}

/* Writes all of buf to fd; 0 or -1. */
static int
channel_write_all(int fd, const char *buf, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		if ((n = write(fd, buf, len)) < 0) {
			if (errno == EINTR)
				continue;
			return (-1);
		}
		buf += n;
		len -= (size_t)n;
	}
	return (0);
}

/* Writes one message as a file: temp file, fsync, rename. */
static void
channel_spool_send(void *arg, const struct store_outbox *m,
    struct channel_result *r)
{
	const char	*dir = arg;
	char		*name, *path, *tmp;
	int		 fd;

	name = channel_spool_name(m);
	xasprintf(&path, "%s/%s", dir, name);
	xasprintf(&tmp, "%s/.%s.tmp", dir, name);
	r->status = CHANNEL_RETRY;
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0640)) == -1) {
		snprintf(r->detail, sizeof r->detail, "%s: %s", tmp,
		    strerror(errno));
		goto out;
	}
	if (channel_write_all(fd, m->body, strlen(m->body)) != 0 ||
	    fsync(fd) != 0) {
		snprintf(r->detail, sizeof r->detail, "%s: %s", tmp,
		    strerror(errno));
		close(fd);
		unlink(tmp);
		goto out;
	}
	close(fd);
	if (rename(tmp, path) != 0) {
		snprintf(r->detail, sizeof r->detail, "%s: %s", path,
		    strerror(errno));
		unlink(tmp);
		goto out;
	}
	r->status = CHANNEL_SENT;
	snprintf(r->detail, sizeof r->detail, "spooled %s", name);
out:
	free(name);
	free(path);
	free(tmp);
}

/* Closes the spool session. */
static void
channel_spool_close(void *arg)
{
	free(arg);
}

const struct channel channel_spool = {
	"spool", channel_spool_open, channel_spool_send, channel_spool_close
};
