/* deadlinectl init, check-config, units, holidays. */
#include <errno.h>
#include <getopt.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "config.h"
#include "ctl.h"
#include "date.h"
#include "directory.h"
#include "ownership.h"
#include "route.h"
#include "setup.h"
#include "store.h"
#include "units.h"
#include "xmalloc.h"

/* Syncs units.ini into the store in one transaction and prints a summary. */
static int
ctl_sync_units(struct ctl *ctl, struct store *s)
{
	struct store_sync_stats	 st;
	struct units		*u;
	char			*cause = NULL;

	if ((u = ctl_units(ctl)) == NULL)
		return (CTL_FAIL);
	if (store_begin(s, &cause) != 0 ||
	    directory_sync(s, u, &st, &cause) != 0 ||
	    store_commit(s, &cause) != 0) {
		store_rollback(s);
		ctl_fail("%s", cause);
		free(cause);
		return (CTL_FAIL);
	}
	printf("units: %d added, %d changed, %d retired, %d unchanged\n",
	    st.added, st.changed, st.retired, st.unchanged);
	return (CTL_OK);
}

/* Prints msg, if any, as a warning and frees it. */
static void
ctl_warn(char *msg)
{
	if (msg != NULL)
		fprintf(stderr, "warning: %s\n", msg);
	free(msg);
}

/*
 * Warns about a run as root on the service's database, and names the
 * database files that already belong to root there with the chown that
 * gives them back; changes nothing itself.
 */
void
ctl_warn_root(struct ctl *ctl, const char *command)
{
	ctl_warn(ownership_root_warning(ctl->cf->db_path, command));
	ctl_warn(ownership_root_leftovers(ctl->cf->db_path));
}

int
ctl_cmd_init(struct ctl *ctl, int argc, char **argv)
{
	char	*cause = NULL;
	int	 rc;

	if (argc != 1)
		return (ctl_usage_name("init"));
	if (ctl_units(ctl) == NULL)
		return (CTL_FAIL);
	if (mkdir(ctl->cf->state_dir, 0750) != 0 && errno != EEXIST)
		return (ctl_fail("%s: %s", ctl->cf->state_dir, strerror(errno)));
	ctl_warn(ownership_root_warning(ctl->cf->db_path, "init"));
	ctl->store = store_open(ctl->cf->db_path, 1, ctl->cf->busy_timeout_ms,
	    &cause);
	if (ctl->store == NULL) {
		ctl_fail("%s", cause);
		free(cause);
		return (CTL_FAIL);
	}
	printf("database %s (schema version %d)\n", ctl->cf->db_path,
	    store_schema_version(ctl->store));
	rc = ctl_sync_units(ctl, ctl->store);
	store_close(ctl->store);	/* its -wal and -shm go */
	ctl->store = NULL;
	ctl_warn(ownership_root_leftovers(ctl->cf->db_path));
	return (rc);
}

/*
 * Warns when this year or the next has no decisions in the days-off file;
 * the number of warnings.
 */
static int
ctl_check_decided(struct ctl *ctl, const struct calendar *cal)
{
	char	*msg;
	int	 year = date_year(date_today()), y, n = 0;

	for (y = year; y <= year + 1; y++) {
		if ((msg = calendar_check_decided(cal, ctl->cf->days_off_file,
		    y)) == NULL)
			continue;
		fprintf(stderr, "warning: %s\n", msg);
		free(msg);
		n++;
	}
	return (n);
}

/* Checks the secret files the unit directory names, at their units. */
static int
ctl_check_unit_secrets(struct ctl *ctl, const struct units *u)
{
	const struct unit_info	*ui;
	char			*cause = NULL;
	size_t			 i;
	int			 bad = 0;

	for (i = 0; i < units_count(u); i++) {
		ui = units_unit(u, i);
		if (ui->webhook_secret_file == NULL)
			continue;
		if (config_check_secret_file(ui->webhook_secret_file,
		    &cause) != 0) {
			fprintf(stderr, "%s:%u: unit %s: webhook_secret_file "
			    "%s\n", ctl->cf->units_file, ui->line, ui->code,
			    cause);
			free(cause);
			bad = 1;
		}
	}
	return (bad);
}

/* Checks the unit directory against the configuration; 1 if bad. */
static int
ctl_check_units(struct ctl *ctl)
{
	struct units	*u;
	char		*cause = NULL;
	int		 bad = 0;

	if ((u = units_load(ctl->cf->units_file, &cause)) == NULL) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		return (1);
	}
	if (*ctl->cf->coordinator != '\0' &&
	    units_find(u, ctl->cf->coordinator) == NULL) {
		fprintf(stderr, "%s: plan.coordinator '%s' is not a unit of "
		    "%s\n", ctl->config_path, ctl->cf->coordinator,
		    ctl->cf->units_file);
		bad = 1;
	}
	if (route_signs_webhooks(ctl->cf))
		bad |= ctl_check_unit_secrets(ctl, u);
	units_free(u);
	return (bad);
}

/* Prints the settings that would make the service useless; how many. */
static int
ctl_check_warnings(struct ctl *ctl)
{
	char	*text, *line, *save = NULL;
	int	 n = 0;

	if ((text = config_warnings(ctl->cf)) == NULL)
		return (0);
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		fprintf(stderr, "warning: %s\n", line);
		n++;
	}
	free(text);
	return (n);
}

/* deadlinectl check-config [--strict]. */
int
ctl_cmd_check_config(struct ctl *ctl, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "strict", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	struct calendar	*cal;
	char		*cause = NULL;
	int		 ch, bad, strict = 0, warnings;

	while ((ch = getopt_long(argc, argv, "s", longopts, NULL)) != -1) {
		if (ch != 's')
			return (ctl_usage_name("check-config"));
		strict = 1;
	}
	if (optind != argc)
		return (ctl_usage_name("check-config"));
	bad = ctl_check_units(ctl);
	warnings = 0;
	if ((cal = setup_calendar(ctl->cf, &cause)) == NULL) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		bad = 1;
	} else
		warnings += ctl_check_decided(ctl, cal);
	calendar_free(cal);
	if (config_check(ctl->cf, &cause) != 0) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		bad = 1;
	}
	warnings += ctl_check_warnings(ctl);
	if (bad)
		return (CTL_FAIL);
	if (strict && warnings > 0) {
		fprintf(stderr, "%d warning%s, which --strict makes errors\n",
		    warnings, warnings == 1 ? "" : "s");
		return (CTL_FAIL);
	}
	printf("configuration OK\n");
	return (CTL_OK);
}

struct ctl_units_list {
	struct output	*out;
};

/* Adds one unit or group to the listing. */
static int
ctl_units_row(const struct store_unit *u, void *arg)
{
	struct ctl_units_list	*l = arg;

	output_row(l->out);
	output_str(l->out, u->code);
	output_str(l->out, u->is_group ? "group" : "unit");
	output_str(l->out, u->name);
	output_str(l->out, u->is_group ? u->members : u->emails);
	output_str(l->out, u->webhook);
	output_str(l->out, u->parent);
	output_str(l->out, u->lang);
	output_str(l->out, u->retired_at);
	return (0);
}

int
ctl_cmd_units(struct ctl *ctl, int argc, char **argv)
{
	static const char *const columns[] = { "code", "type", "name",
	    "email_or_members", "webhook", "parent", "lang", "retired", NULL };
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "all", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 }
	};
	struct ctl_units_list	 l;
	enum output_format	 fmt = OUTPUT_TABLE;
	struct store		*s;
	char			*cause = NULL;
	int			 ch, all = 0, rc;

	while ((ch = getopt_long(argc, argv, "f:a", longopts, NULL)) != -1) {
		if (ch == 'f' && ctl_format(optarg, &fmt) == 0)
			continue;
		if (ch == 'a') {
			all = 1;
			continue;
		}
		return (ctl_usage_name("units"));
	}
	if ((s = ctl_store(ctl)) == NULL)
		return (CTL_FAIL);
	if (optind < argc && strcmp(argv[optind], "sync") == 0)
		return (ctl_sync_units(ctl, s));
	if (optind < argc)
		return (ctl_usage_name("units"));
	l.out = output_new(fmt, columns);
	rc = store_units(s, all, ctl_units_row, &l, &cause);
	output_finish(l.out, stdout);
	if (rc != 0) {
		ctl_fail("%s", cause);
		free(cause);
		return (CTL_FAIL);
	}
	return (CTL_OK);
}

int
ctl_cmd_holidays(struct ctl *ctl, int argc, char **argv)
{
	static const char *const columns[] = { "date", "kind", "name",
	    "origin", NULL };
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	enum output_format	 fmt = OUTPUT_TABLE;
	struct calendar_day	*days = NULL;
	struct calendar		*cal;
	struct output		*out;
	long			 year;
	size_t			 n, i;
	int			 ch;

	while ((ch = getopt_long(argc, argv, "f:", longopts, NULL)) != -1) {
		if (ch == 'f' && ctl_format(optarg, &fmt) == 0)
			continue;
		return (ctl_usage_name("holidays"));
	}
	if (optind + 1 != argc ||
	    config_parse_long(argv[optind], 1900, 2100, &year) != 0)
		return (ctl_usage_name("holidays"));
	if ((cal = ctl_calendar(ctl)) == NULL)
		return (CTL_FAIL);
	n = calendar_year(cal, (int)year, &days);
	out = output_new(fmt, columns);
	for (i = 0; i < n; i++) {
		output_row(out);
		output_date(out, days[i].date);
		output_str(out, days[i].kind == CALENDAR_DAY_OFF ? "day-off" :
		    "working-day");
		output_str(out, days[i].name);
		output_str(out, days[i].origin == CALENDAR_COMPUTED ?
		    "computed" : "decided");
	}
	output_finish(out, stdout);
	free(days);
	return (CTL_OK);
}
