/* deadlinectl status and backup: operations for the administrator. */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "calendar.h"
#include "config.h"
#include "ctl.h"
#include "date.h"
#include "store.h"
#include "xmalloc.h"

/* Why status is unhealthy when the heartbeat is older than it should be. */
#define CTL_OPS_NOT_SEEN	"daemon not seen for 30 min"
_Static_assert(STORE_ALIVE_SECONDS == 30 * 60, "CTL_OPS_NOT_SEEN is wrong");
/* Failed and dead messages are looked for over this window. */
#define CTL_OPS_FAILURE_WINDOW	86400

static const char *const ctl_ops_states[5] = { "pending", "sending", "sent",
    "failed", "dead" };

struct ctl_ops_status {
	const char	*db_path;
	int		 schema;
	time_t		 now;
	time_t		 last_pass;	/* 0: never */
	time_t		 next_wake;	/* 0: unknown */
	int		 alive;
	int64_t		 outbox[5];
	int64_t		 recent[5];
	const char	*feeds_dir;
	int		 feeds_present;
	int		 feeds;
	time_t		 feeds_newest;	/* 0: no feed */
	char		*days_off[2];	/* this year, next year: or NULL */
	int		 healthy;
};

/* Reads a meta value holding epoch seconds; 0 if absent, bad or unread. */
static time_t
ctl_ops_meta_time(struct store *s, const char *key)
{
	char		*v, *end, *cause = NULL;
	long long	 t;

	if (store_meta_get(s, key, &v, &cause) != 0) {
		ctl_fail("%s", cause);
		free(cause);
		return (0);
	}
	if (v == NULL)
		return (0);
	errno = 0;
	t = strtoll(v, &end, 10);
	if (*v == '\0' || *end != '\0' || errno != 0 || t < 0)
		t = 0;
	free(v);
	return ((time_t)t);
}

/* Counts the .ics files of the feeds directory and finds the newest. */
static void
ctl_ops_feeds(struct ctl_ops_status *st)
{
	struct dirent	*de;
	struct stat	 sb;
	size_t		 n;
	DIR		*d;

	if ((d = opendir(st->feeds_dir)) == NULL)
		return;
	st->feeds_present = 1;
	while ((de = readdir(d)) != NULL) {
		/* Skips dot files and the temporary files of a rewrite. */
		n = strlen(de->d_name);
		if (de->d_name[0] == '.' || n < 5 ||
		    strcmp(de->d_name + n - 4, ".ics") != 0)
			continue;
		if (fstatat(dirfd(d), de->d_name, &sb, 0) != 0 ||
		    !S_ISREG(sb.st_mode))
			continue;
		st->feeds++;
		if (sb.st_mtime > st->feeds_newest)
			st->feeds_newest = sb.st_mtime;
	}
	closedir(d);
}

/* The warnings of the days-off file for this year and the next. */
static void
ctl_ops_days_off(struct ctl *ctl, struct ctl_ops_status *st)
{
	struct calendar	*cal;
	int		 year = date_year(date_today()), i;

	if ((cal = ctl_calendar(ctl)) == NULL) {
		xasprintf(&st->days_off[0], "%s cannot be read: the days off "
		    "the government decides are not applied",
		    ctl->cf->days_off_file);
		return;
	}
	for (i = 0; i < 2; i++)
		st->days_off[i] = calendar_check_decided(cal,
		    ctl->cf->days_off_file, year + i);
}

/* Gathers everything status reports; 0 or -1 if the store cannot open. */
static int
ctl_ops_gather(struct ctl *ctl, struct ctl_ops_status *st)
{
	struct store	*s;
	time_t		 age;
	char		*cause = NULL;

	memset(st, 0, sizeof *st);
	st->db_path = ctl->cf->db_path;
	st->feeds_dir = ctl->cf->feeds_dir;
	st->now = date_now();
	if ((s = ctl_store(ctl)) == NULL)
		return (-1);
	st->schema = store_schema_version(s);
	st->last_pass = ctl_ops_meta_time(s, "last_pass");
	st->next_wake = ctl_ops_meta_time(s, "next_wake");
	/* A pass recorded ahead of now (a simulated clock) counts as seen. */
	age = st->now - st->last_pass;
	st->alive = st->last_pass != 0 && age < STORE_ALIVE_SECONDS;
	if (store_outbox_counts(s, st->outbox, &cause) != 0 ||
	    store_outbox_counts_since(s, st->now - CTL_OPS_FAILURE_WINDOW,
	    st->recent, &cause) != 0) {
		ctl_fail("%s", cause);
		free(cause);
		return (-1);
	}
	ctl_ops_feeds(st);
	ctl_ops_days_off(ctl, st);
	st->healthy = st->alive && st->recent[3] + st->recent[4] == 0;
	return (0);
}

/* Formats an instant as local "YYYY-MM-DD HH:MM:SS", or "never" for 0. */
static void
ctl_ops_time(time_t t, char buf[32])
{
	struct tm	tm;

	if (t == 0) {
		snprintf(buf, 32, "never");
		return;
	}
	localtime_r(&t, &tm);
	strftime(buf, 32, "%Y-%m-%d %H:%M:%S", &tm);
}

/* Formats an instant as RFC 3339 local time with its offset. */
static json_t *
ctl_ops_json_time(time_t t)
{
	struct tm	tm;
	char		day[32], buf[64];
	long		off;

	if (t == 0)
		return (json_null());
	localtime_r(&t, &tm);
	strftime(day, sizeof day, "%Y-%m-%dT%H:%M:%S", &tm);
	off = tm.tm_gmtoff / 60;
	snprintf(buf, sizeof buf, "%s%c%02ld:%02ld", day, off < 0 ? '-' : '+',
	    labs(off) / 60, labs(off) % 60);
	return (json_string(buf));
}

/* Writes an age such as "42 s", "5 min", "3 h" or "2 days". */
static void
ctl_ops_age(time_t seconds, char buf[64])
{
	if (seconds < 0)
		snprintf(buf, 64, "%lld s in the future",
		    (long long)-seconds);
	else if (seconds < 120)
		snprintf(buf, 64, "%lld s ago", (long long)seconds);
	else if (seconds < 7200)
		snprintf(buf, 64, "%lld min ago", (long long)seconds / 60);
	else if (seconds < 172800)
		snprintf(buf, 64, "%lld h ago", (long long)seconds / 3600);
	else
		snprintf(buf, 64, "%lld days ago", (long long)seconds / 86400);
}

/* Prints the status as aligned "name: value" lines. */
static void
ctl_ops_print_table(const struct ctl_ops_status *st)
{
	char	when[32], age[64], wake[32];
	int	i;

	ctl_ops_time(st->last_pass, when);
	ctl_ops_time(st->next_wake, wake);
	ctl_ops_age(st->now - st->last_pass, age);
	if (st->last_pass == 0)
		printf("daemon:        no pass recorded yet\n");
	else
		printf("daemon:        %s (last pass %s, %s; next wake-up "
		    "%s)\n", st->alive ? "running" : "not seen", when, age,
		    wake);
	printf("database:      %s (schema %d)\n", st->db_path, st->schema);
	printf("outbox:       ");
	for (i = 0; i < 5; i++)
		printf(" %s %lld%s", ctl_ops_states[i],
		    (long long)st->outbox[i], i < 4 ? "," : "\n");
	printf("last 24 hours: failed %lld, dead %lld\n",
	    (long long)st->recent[3], (long long)st->recent[4]);
	ctl_ops_time(st->feeds_newest, when);
	if (!st->feeds_present)
		printf("feeds:         %s does not exist yet\n", st->feeds_dir);
	else
		printf("feeds:         %d .ics files in %s, newest %s\n",
		    st->feeds, st->feeds_dir, when);
	for (i = 0; i < 2; i++) {
		if (st->days_off[i] != NULL)
			printf("warning:       %s\n", st->days_off[i]);
	}
	if (st->healthy)
		printf("status:        healthy\n");
	else
		printf("status:        unhealthy: %s%s%s\n", st->alive ? "" :
		    CTL_OPS_NOT_SEEN, !st->alive && st->recent[3] +
		    st->recent[4] != 0 ? "; " : "", st->recent[3] +
		    st->recent[4] != 0 ? "failed or dead messages in the last "
		    "24 hours" : "");
}

/* Prints the status as one JSON object. */
static void
ctl_ops_print_json(const struct ctl_ops_status *st)
{
	json_t	*root, *outbox, *recent, *reasons, *warnings;
	int	 i;

	outbox = json_object();
	for (i = 0; i < 5; i++)
		json_object_set_new(outbox, ctl_ops_states[i],
		    json_integer(st->outbox[i]));
	recent = json_pack("{s:I, s:I}", "failed", (json_int_t)st->recent[3],
	    "dead", (json_int_t)st->recent[4]);
	warnings = json_array();
	for (i = 0; i < 2; i++) {
		if (st->days_off[i] != NULL)
			json_array_append_new(warnings,
			    json_string(st->days_off[i]));
	}
	reasons = json_array();
	if (!st->alive)
		json_array_append_new(reasons, json_string(CTL_OPS_NOT_SEEN));
	if (st->recent[3] + st->recent[4] != 0)
		json_array_append_new(reasons, json_string("failed or dead "
		    "messages in the last 24 hours"));
	root = json_pack("{s:b, s:o, s:o, s:o, s:{s:b, s:o, s:o}, "
	    "s:{s:s, s:i}, s:o, s:o, s:{s:s, s:b, s:i, s:o}}",
	    "healthy", st->healthy,
	    "reasons", reasons,
	    "warnings", warnings,
	    "now", ctl_ops_json_time(st->now),
	    "daemon", "alive", st->alive, "last_pass",
	    ctl_ops_json_time(st->last_pass), "next_wake",
	    ctl_ops_json_time(st->next_wake),
	    "database", "path", st->db_path, "schema_version", st->schema,
	    "outbox", outbox,
	    "last_day", recent,
	    "feeds", "dir", st->feeds_dir, "present", st->feeds_present,
	    "files", st->feeds, "newest", ctl_ops_json_time(st->feeds_newest));
	if (root == NULL) {
		ctl_fail("status: cannot build the JSON document");
		return;
	}
	json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(root);
}

int
ctl_cmd_status(struct ctl *ctl, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	struct ctl_ops_status	st;
	int			ch, json = 0;

	while ((ch = getopt_long(argc, argv, "f:", longopts, NULL)) != -1) {
		if (ch == 'f' && strcmp(optarg, "json") == 0)
			json = 1;
		else if (ch == 'f' && strcmp(optarg, "table") == 0)
			json = 0;
		else
			return (ctl_usage_name("status"));
	}
	if (optind != argc)
		return (ctl_usage_name("status"));
	if (ctl_ops_gather(ctl, &st) != 0)
		return (CTL_FAIL);
	if (json)
		ctl_ops_print_json(&st);
	else
		ctl_ops_print_table(&st);
	free(st.days_off[0]);
	free(st.days_off[1]);
	return (st.healthy ? CTL_OK : CTL_FAIL);
}

/* Opens the copy and runs SQLite's integrity check on it. */
static int
ctl_ops_verify(const char *path, char **cause)
{
	struct store	*copy;
	int		 rc;

	if ((copy = store_open(path, 0, 5000, cause)) == NULL)
		return (-1);
	rc = store_integrity_check(copy, cause);
	store_close(copy);
	return (rc);
}

int
ctl_cmd_backup(struct ctl *ctl, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "force", no_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 }
	};
	struct store	*s;
	struct stat	 sb;
	const char	*to;
	char		*cause = NULL;
	mode_t		 old;
	int		 ch, force = 0, rc;

	while ((ch = getopt_long(argc, argv, "F", longopts, NULL)) != -1) {
		if (ch != 'F')
			return (ctl_usage_name("backup"));
		force = 1;
	}
	if (optind + 1 != argc)
		return (ctl_usage_name("backup"));
	to = argv[optind];
	if (!force && lstat(to, &sb) == 0)
		return (ctl_fail("%s exists; use --force to replace it", to));
	if ((s = ctl_store(ctl)) == NULL)
		return (CTL_FAIL);
	/* The copy holds feed tokens and addresses: private to its owner. */
	old = umask(077);
	rc = store_backup(s, to, &cause);
	umask(old);
	if (rc != 0 || ctl_ops_verify(to, &cause) != 0) {
		ctl_fail("%s", cause);
		free(cause);
		return (CTL_FAIL);
	}
	if (stat(to, &sb) != 0)
		return (ctl_fail("%s: %s", to, strerror(errno)));
	printf("%s: %lld bytes, integrity ok\n", to, (long long)sb.st_size);
	return (CTL_OK);
}
