/* deadlinectl feed: write a feed, list feeds and URLs, rotate a token. */
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
	int		 failed;
};

/* Adds one feed, with its token (made if missing) and URL. */
static int
ctl_feed_list_row(const char *name, void *arg)
{
	struct ctl_feed_list	*l = arg;
	const char		*base = l->ctl->cf->http_base_url;
	char			*token, *url, *cause = NULL;
	size_t			 blen = strlen(base);

	if ((token = feed_token(l->ctl->store, name, 0, &cause)) == NULL) {
		ctl_fail("%s: %s", name, cause);
		free(cause);
		l->failed = 1;
		return (-1);
	}
	if (blen > 0 && base[blen - 1] == '/')
		blen--;
	xasprintf(&url, "%.*s/feeds/%s/%s.ics", (int)blen, base, token, name);
	output_row(l->out);
	output_str(l->out, name);
	output_str(l->out, token);
	output_str(l->out, url);
	free(url);
	free(token);
	return (0);
}

/* deadlinectl feed list [--format F]. */
static int
ctl_feed_list(struct ctl *ctl, int argc, char **argv)
{
	static const char *const columns[] = { "name", "token", "url", NULL };
	struct ctl_feed_list	 l;
	enum output_format	 fmt = OUTPUT_TABLE;
	char			*cause = NULL;

	if (argc == 4 && strcmp(argv[2], "--format") == 0) {
		if (ctl_format(argv[3], &fmt) != 0)
			return (CTL_USAGE);
	} else if (argc != 2)
		return (ctl_usage_name("feed"));
	if (ctl_store(ctl) == NULL)
		return (CTL_FAIL);
	memset(&l, 0, sizeof l);
	l.ctl = ctl;
	l.out = output_new(fmt, columns);
	if (feed_names(ctl->store, ctl_feed_list_row, &l, &cause) != 0 &&
	    cause != NULL) {
		ctl_fail("%s", cause);
		free(cause);
		l.failed = 1;
	}
	output_finish(l.out, stdout);
	return (l.failed ? CTL_FAIL : CTL_OK);
}

/* deadlinectl feed rotate-token NAME. */
static int
ctl_feed_rotate(struct ctl *ctl, int argc, char **argv)
{
	char	*token, *cause = NULL;
	int64_t	 id = 0;

	if (argc != 3)
		return (ctl_usage_name("feed"));
	if (ctl_store(ctl) == NULL)
		return (CTL_FAIL);
	if (strcmp(argv[2], FEED_ALL) != 0 &&
	    (id = store_unit_id(ctl->store, argv[2], &cause)) == 0)
		return (ctl_fail("no feed '%s' (a unit, a group or all)",
		    argv[2]));
	if (id < 0 ||
	    (token = feed_token(ctl->store, argv[2], 1, &cause)) == NULL) {
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
	if (strcmp(argv[1], "rotate-token") == 0)
		return (ctl_feed_rotate(ctl, argc, argv));
	return (ctl_feed_write(ctl, argc, argv));
}
