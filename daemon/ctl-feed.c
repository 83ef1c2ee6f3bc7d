/*
 * deadlinectl feed: write a feed, list feeds and their addresses, print
 * one feed's address, rotate a token.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "ctl.h"
#include "feed.h"
#include "output.h"
#include "store.h"
#include "xmalloc.h"

/* What feed list carries from one feed to the next. */
struct ctl_feed_list {
	struct ctl	*ctl;
	struct output	*out;
	int		 full;		/* every column, not the table's two */
	int		 failed;
};

/*
 * The address of a feed file ("webcal" or NULL for the http(s) form of
 * base_url); caller frees.  webcal:// is what calendar applications open
 * as "subscribe" when the address is clicked.
 */
static char *
ctl_feed_url(const struct config *cf, const char *token, const char *name,
    int todo, const char *scheme)
{
	const char	*base = cf->http_base_url, *rest;
	char		*url;
	size_t		 blen = strlen(base);

	while (blen > 0 && base[blen - 1] == '/')
		blen--;
	if (scheme != NULL && (rest = strstr(base, "://")) != NULL) {
		blen -= (size_t)(rest - base);
		base = rest;
		xasprintf(&url, "%s%.*s/feeds/%s/%s%s.ics", scheme, (int)blen,
		    base, token, name, todo ? "-todo" : "");
	} else
		xasprintf(&url, "%.*s/feeds/%s/%s%s.ics", (int)blen, base,
		    token, name, todo ? "-todo" : "");
	return (url);
}

/* Adds one feed: its name, token (made if missing) and addresses. */
static int
ctl_feed_list_row(const char *name, void *arg)
{
	struct ctl_feed_list	*l = arg;
	const struct config	*cf = l->ctl->cf;
	char			*token, *url, *cause = NULL;

	if ((token = feed_token(l->ctl->store, cf, name, 0, &cause)) == NULL) {
		ctl_fail("%s: %s", name, cause);
		free(cause);
		l->failed = 1;
		return (-1);
	}
	output_row(l->out);
	output_str(l->out, name);
	url = ctl_feed_url(cf, token, name, 0, NULL);
	if (!l->full) {
		output_str(l->out, url);
		free(url);
		free(token);
		return (0);
	}
	output_str(l->out, token);
	output_str(l->out, url);
	free(url);
	url = ctl_feed_url(cf, token, name, 0, "webcal");
	output_str(l->out, url);
	free(url);
	url = cf->feeds_todo ? ctl_feed_url(cf, token, name, 1, NULL) : NULL;
	output_str(l->out, url);
	free(url);
	free(token);
	return (0);
}

/* Warns, once, that addresses on a loopback base_url work here only. */
static void
ctl_feed_warn_loopback(const struct config *cf)
{
	if (config_url_is_loopback(cf->http_base_url))
		fprintf(stderr, "warning: http.base_url %s is this machine's "
		    "loopback address: these addresses work on this machine "
		    "only\n", cf->http_base_url);
}

/* Reads "--format F" and nothing else after argv[first]; 0 or -1. */
static int
ctl_feed_format(int argc, char **argv, int first, enum output_format *fmt)
{
	if (argc == first)
		return (0);
	if (argc == first + 2 && strcmp(argv[first], "--format") == 0)
		return (ctl_format(argv[first + 1], fmt));
	if (argc == first + 1 && strncmp(argv[first], "--format=", 9) == 0)
		return (ctl_format(argv[first] + 9, fmt));
	ctl_usage_name("feed");
	return (-1);
}

/*
 * The columns of feed list and feed url: a table has the name and the
 * address, uncut; CSV and JSON every form of it.
 */
static const char *const ctl_feed_table_columns[] = { "name", "url", NULL };
static const char *const ctl_feed_columns[] = { "name", "token", "url",
    "webcal", "todo_url", NULL };

/* A listing of feeds in format fmt. */
static void
ctl_feed_list_init(struct ctl_feed_list *l, struct ctl *ctl,
    enum output_format fmt)
{
	memset(l, 0, sizeof *l);
	l->ctl = ctl;
	l->full = fmt != OUTPUT_TABLE;
	l->out = output_new(fmt, l->full ? ctl_feed_columns :
	    ctl_feed_table_columns);
	output_whole(l->out, "url");
}

/*
 * deadlinectl feed list [--format F]: every feed and its address, never
 * cut (the table is as wide as the longest).
 */
static int
ctl_feed_list(struct ctl *ctl, int argc, char **argv)
{
	struct ctl_feed_list	 l;
	enum output_format	 fmt = OUTPUT_TABLE;
	char			*cause = NULL;

	if (ctl_feed_format(argc, argv, 2, &fmt) != 0)
		return (CTL_USAGE);
	if (ctl_store(ctl) == NULL)
		return (CTL_FAIL);
	ctl_feed_warn_loopback(ctl->cf);
	ctl_feed_list_init(&l, ctl, fmt);
	if (feed_names(ctl->store, ctl_feed_list_row, &l, &cause) != 0 &&
	    cause != NULL) {
		ctl_fail("%s", cause);
		free(cause);
		l.failed = 1;
	}
	output_finish(l.out, stdout);
	return (l.failed ? CTL_FAIL : CTL_OK);
}

/* 0 if name is a feed ("all", a unit or a group), else -1 and a message. */
static int
ctl_feed_exists(struct ctl *ctl, const char *name)
{
	char	*cause = NULL;
	int64_t	 id;

	if (strcmp(name, FEED_ALL) == 0)
		return (0);
	if ((id = store_unit_id(ctl->store, name, &cause)) > 0)
		return (0);
	if (id < 0) {
		ctl_fail("%s", cause);
		free(cause);
	} else
		ctl_fail("no feed '%s' (a unit, a group or all)", name);
	return (-1);
}

/*
 * deadlinectl feed url NAME [--format F]: the address of one feed to
 * paste into a calendar, https then webcal form, one a line; in CSV or
 * JSON the row of feed list.
 */
static int
ctl_feed_url_cmd(struct ctl *ctl, int argc, char **argv)
{
	struct ctl_feed_list	 l;
	enum output_format	 fmt = OUTPUT_TABLE;
	char			*token, *url, *cause = NULL;

	if (argc < 3 || ctl_feed_format(argc, argv, 3, &fmt) != 0)
		return (argc < 3 ? ctl_usage_name("feed") : CTL_USAGE);
	if (ctl_store(ctl) == NULL || ctl_feed_exists(ctl, argv[2]) != 0)
		return (CTL_FAIL);
	ctl_feed_warn_loopback(ctl->cf);
	if (fmt != OUTPUT_TABLE) {
		ctl_feed_list_init(&l, ctl, fmt);
		ctl_feed_list_row(argv[2], &l);
		output_finish(l.out, stdout);
		return (l.failed ? CTL_FAIL : CTL_OK);
	}
	if ((token = feed_token(ctl->store, ctl->cf, argv[2], 0,
	    &cause)) == NULL) {
		ctl_fail("%s", cause);
		free(cause);
		return (CTL_FAIL);
	}
	url = ctl_feed_url(ctl->cf, token, argv[2], 0, NULL);
	printf("%s\n", url);
	free(url);
	url = ctl_feed_url(ctl->cf, token, argv[2], 0, "webcal");
	printf("%s\n", url);
	free(url);
	free(token);
	return (CTL_OK);
}

/* deadlinectl feed rotate-token NAME. */
static int
ctl_feed_rotate(struct ctl *ctl, int argc, char **argv)
{
	char	*token, *cause = NULL;

	if (argc != 3)
		return (ctl_usage_name("feed"));
	if (ctl_store(ctl) == NULL || ctl_feed_exists(ctl, argv[2]) != 0)
		return (CTL_FAIL);
	if ((token = feed_token(ctl->store, ctl->cf, argv[2], 1,
	    &cause)) == NULL) {
		ctl_fail("%s", cause);
		free(cause);
		return (CTL_FAIL);
	}
	printf("%s %s\n", argv[2], token);
	free(token);
	return (CTL_OK);
}

/* Writes text to path ("-": stdout); 0 or -1. */
static int
ctl_feed_output(const char *path, const char *text, size_t len)
{
	FILE	*f = stdout;
	int	 rc = 0;

	if (strcmp(path, "-") != 0 && (f = fopen(path, "w")) == NULL)
		return (ctl_fail("%s: %m", path) ? -1 : -1);
	if (fwrite(text, 1, len, f) != len)
		rc = -1;
	if (f != stdout ? fclose(f) != 0 : fflush(f) != 0)
		rc = -1;
	if (rc != 0)
		ctl_fail("%s: %m", path);
	return (rc);
}

/* deadlinectl feed NAME|all [-o FILE] [--todo]. */
static int
ctl_feed_write(struct ctl *ctl, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "todo", no_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*path = "-";
	char		*text, *cause = NULL;
	size_t		 len;
	int		 ch, todo = 0, rc;

	while ((ch = getopt_long(argc, argv, "o:t", longopts, NULL)) != -1) {
		if (ch == 'o')
			path = optarg;
		else if (ch == 't')
			todo = 1;
		else
			return (ctl_usage_name("feed"));
	}
	if (optind + 1 != argc)
		return (ctl_usage_name("feed"));
	if (ctl_store(ctl) == NULL)
		return (CTL_FAIL);
	if (feed_render(ctl->store, ctl->cf, argv[optind], todo, date_now(),
	    date_today(), &text, &len, &cause) != 0) {
		ctl_fail("%s", cause);
		free(cause);
		return (CTL_FAIL);
	}
	rc = ctl_feed_output(path, text, len);
	free(text);
	return (rc == 0 ? CTL_OK : CTL_FAIL);
}

int
ctl_cmd_feed(struct ctl *ctl, int argc, char **argv)
{
	if (argc < 2)
		return (ctl_usage_name("feed"));
	if (strcmp(argv[1], "list") == 0)
		return (ctl_feed_list(ctl, argc, argv));
	if (strcmp(argv[1], "url") == 0)
		return (ctl_feed_url_cmd(ctl, argc, argv));
	if (strcmp(argv[1], "rotate-token") == 0)
		return (ctl_feed_rotate(ctl, argc, argv));
	return (ctl_feed_write(ctl, argc, argv));
}
