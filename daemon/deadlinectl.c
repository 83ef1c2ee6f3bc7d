/*
 * deadlinectl: the administrator's tool.  Global options come before the
 * subcommand; each subcommand parses its own.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "config.h"
#include "ctl.h"
#include "date.h"
#include "log.h"
#include "ownership.h"
#include "setup.h"
#include "store.h"
#include "units.h"
#include "xmalloc.h"

/* Set when a failure was the database's files refusing this user. */
static int ctl_store_denied;

const struct ctl_command ctl_commands[] = {
	{ "init", ctl_cmd_init, "init",
	  "create the database and sync the unit directory" },
	{ "check-config", ctl_cmd_check_config, "check-config [--strict]",
	  "check the configuration, unit directory and days-off file" },
	{ "units", ctl_cmd_units, "units [sync] [--all] [--format F]",
	  "list units and groups, or sync them from units.ini" },
	{ "import", ctl_cmd_import, "import FILE [--plan CODE] [--year Y] "
	  "[--sheet NAME] [--dry-run] [--format table|json]",
	  "import a plan document" },
	{ "task", ctl_cmd_task, "task add|show|set-due|set-rule ...",
	  "add, show or change one task" },
	{ "plan", ctl_cmd_plan, "plan [list] [--format F] | plan reply-to "
	  "PLAN ADDRESS|--clear", "list the imported plans, or set whom a "
	  "plan's replies reach" },
	{ "tasks", ctl_cmd_tasks, "tasks [--plan CODE] [--format F]",
	  "list tasks" },
	{ "done", ctl_cmd_done, "done OCCURRENCE [--date D] [--note T] "
	  "[--by WHO]", "mark an occurrence done" },
	{ "reopen", ctl_cmd_reopen, "reopen OCCURRENCE [--note T]",
	  "reopen a done occurrence" },
	{ "agenda", ctl_cmd_agenda, "agenda [--unit U] [--plan P] [--days N] "
	  "[--overdue] [--all] [--format F]", "list coming and overdue "
	  "deadlines" },
	{ "schedule", ctl_cmd_schedule, "schedule [--plan CODE]",
	  "materialize occurrences up to the horizon" },
	{ "outbox", ctl_cmd_outbox, "outbox [--state pending|sending|sent|"
	  "failed|dead] [--format F] | outbox retry ID",
	  "list queued and sent messages, or retry one" },
	{ "send-test", ctl_cmd_send_test, "send-test --unit CODE "
	  "[--channel spool|smtp|webhook]", "send one test message to a unit "
	  "now and print the answer" },
	{ "report", ctl_cmd_report, "report [--period 2024|2024-H1|2024-Q2|"
	  "2024-05] [--unit U] [--plan P] [--format table|csv|json]",
	  "on-time figures per unit over a period" },
	{ "status", ctl_cmd_status, "status [--format table|json]",
	  "daemon, outbox and feeds health (exit 1 if unhealthy)" },
	{ "backup", ctl_cmd_backup, "backup FILE [--force]",
	  "copy the database into FILE while the daemon runs" },
	{ "feed", ctl_cmd_feed, "feed NAME|all [-o FILE] [--todo] | feed url "
	  "NAME [--format F] | feed list [--format F] | feed rotate-token NAME",
	  "write a calendar feed, print a feed's address, list the feeds with "
	  "their addresses, or rotate a feed's token" },
	{ "holidays", ctl_cmd_holidays, "holidays YEAR [--format F]",
	  "list the days off and make-up working days of a year" },
	{ "extend", ctl_cmd_extend, "extend OCCURRENCE DATE --reason TEXT "
	  "[--by WHO]", "move an occurrence to a later due date" },
	{ "waive", ctl_cmd_waive, "waive OCCURRENCE --reason TEXT [--by WHO]",
	  "mark an occurrence not applicable (out of the on-time figures)" },
	{ "snooze", ctl_cmd_snooze, "snooze OCCURRENCE [--days N] "
	  "[--reason TEXT] [--by WHO]", "no reminder for N working days; "
	  "the deadline stays" },
	{ "requests", ctl_cmd_requests, "requests [list] [--state pending|"
	  "approved|declined|all] [--unit U] [--format F] | requests approve "
	  "ID [--reason TEXT] | requests decline ID --reason TEXT",
	  "the units' extension requests: list, approve, decline" },
	{ "console-link", ctl_cmd_console_link, "console-link NAME "
	  "[--minutes N] [--mail ADDRESS]", "a single-use sign-in link to the "
	  "console for NAME" },
	{ "sessions", ctl_cmd_sessions, "sessions [--all] [--format F] | "
	  "sessions revoke ID|--user NAME|--all", "list or revoke the "
	  "console's sessions" },
	{ "unit-link", ctl_cmd_unit_link, "unit-link UNIT [--renew]",
	  "the address of a unit's page; --renew ends the old ones" },
	{ NULL, NULL, NULL, NULL }
};

int
ctl_fail(const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		fatal("vasprintf");
	va_end(ap);
	fprintf(stderr, "deadlinectl: %s\n", msg);
	if (strstr(msg, "readonly database") != NULL ||
	    strstr(msg, "unable to open database file") != NULL)
		ctl_store_denied = 1;
	free(msg);
	return (CTL_FAIL);
}

int
ctl_usage(const struct ctl_command *c)
{
	fprintf(stderr, "usage: deadlinectl [-c CONFIG] [--db PATH] "
	    "[--now DATE[THH:MM]] %s\n", c->usage);
	return (CTL_USAGE);
}

int
ctl_usage_name(const char *name)
{
	const struct ctl_command	*c;

	for (c = ctl_commands; c->name != NULL; c++)
		if (strcmp(c->name, name) == 0)
			return (ctl_usage(c));
	return (CTL_USAGE);
}

int
ctl_wants_help(int argc, char **argv)
{
	int	i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return (1);
	return (0);
}

int
ctl_format(const char *s, enum output_format *out)
{
	if (output_parse_format(s, out) != 0) {
		ctl_fail("unknown format '%s' (table, csv or json)", s);
		return (-1);
	}
	return (0);
}

int
ctl_parse_date(const char *s, date_t *out)
{
	return (date_parse_user(s, out));
}

struct store *
ctl_store(struct ctl *ctl)
{
	char	*cause = NULL;

	if (ctl->store != NULL)
		return (ctl->store);
	ctl->store = store_open(ctl->cf->db_path, 0, ctl->cf->busy_timeout_ms,
	    &cause);
	if (ctl->store == NULL) {
		ctl_fail("%s", cause);
		free(cause);
	}
	return (ctl->store);
}

struct calendar *
ctl_calendar(struct ctl *ctl)
{
	char	*cause = NULL;

	if (ctl->calendar != NULL)
		return (ctl->calendar);
	if ((ctl->calendar = setup_calendar(ctl->cf, &cause)) == NULL) {
		ctl_fail("%s", cause);
		free(cause);
	}
	return (ctl->calendar);
}

struct units *
ctl_units(struct ctl *ctl)
{
	char	*cause = NULL;

	if (ctl->units != NULL)
		return (ctl->units);
	if ((ctl->units = setup_units(ctl->cf, &cause)) == NULL) {
		ctl_fail("%s", cause);
		free(cause);
	}
	return (ctl->units);
}

/* Prints the list of subcommands. */
static void
ctl_help(FILE *f)
{
	const struct ctl_command	*c;

	fprintf(f, "usage: deadlinectl [-c CONFIG] [--db PATH] [--now DATE"
	    "[THH:MM]] [-v] [--excel] COMMAND [ARGS]\n\ncommands:\n");
	for (c = ctl_commands; c->name != NULL; c++)
		fprintf(f, "  %-14s %s\n", c->name, c->help);
	fprintf(f, "\n'deadlinectl COMMAND --help' shows a command's usage.\n"
	    "Exit status: 0 ok, 1 failure, 2 usage.\n");
}

/* Reads the global options; returns the index of the subcommand. */
static int
ctl_global_options(struct ctl *ctl, int argc, char **argv, const char **now,
    int *verbose)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "db", required_argument, NULL, 'd' },
		{ "now", required_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int	ch;

	while ((ch = getopt_long(argc, argv, "+c:d:n:vhV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			ctl->config_path = optarg;
			break;
		case 'd':
			ctl->db_override = optarg;
			break;
		case 'n':
			*now = optarg;
			break;
		case 'v':
			(*verbose)++;
			break;
		case 'h':
			ctl_help(stdout);
			exit(CTL_OK);
		case 'V':
			printf("deadlinectl %s\n", DEADLINED_VERSION);
			exit(CTL_OK);
		default:
			ctl_help(stderr);
			exit(CTL_USAGE);
		}
	}
	return (optind);
}

/*
 * Takes --excel out of argv wherever it is before a "--" (after the
 * command too, where it is usually typed: agenda --format csv --excel):
 * CSV then starts with a UTF-8 byte order mark, which Excel needs to read
 * Vietnamese.  Returns the new argc.
 */
static int
ctl_take_excel(int argc, char **argv)
{
	int	i, n = 1;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			while (i < argc)
				argv[n++] = argv[i++];
			break;
		}
		if (strcmp(argv[i], "--excel") == 0)
			output_excel_all(1);
		else
			argv[n++] = argv[i];
	}
	argv[n] = NULL;
	return (n);
}

/* Loads the configuration and applies --db, the time zone and --now. */
static int
ctl_setup(struct ctl *ctl, const char *now)
{
	char	*cause = NULL;
	time_t	 t;

	if (ctl->config_path == NULL)
		ctl->config_path = getenv("DEADLINED_CONFIG");
	if (ctl->config_path == NULL)
		ctl->config_path = config_default_path();
	if ((ctl->cf = config_load(ctl->config_path, &cause)) == NULL) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		return (-1);
	}
	if (ctl->db_override != NULL) {
		free(ctl->cf->db_path);
		ctl->cf->db_path = xstrdup(ctl->db_override);
	}
	if (date_set_timezone(ctl->cf->timezone) != 0)
		return (ctl_fail("%s: unknown time zone '%s'",
		    ctl->config_path, ctl->cf->timezone) ? -1 : -1);
	if (now != NULL) {
		if (date_parse_now(now, &t) != 0)
			return (ctl_fail("--now '%s': expected YYYY-MM-DD or "
			    "YYYY-MM-DDTHH:MM", now) ? -1 : -1);
		date_set_now(t);
	}
	return (0);
}

/*
 * After a failure SQLite reports as "attempt to write a readonly
 * database" or "unable to open database file", says which of the
 * database's files this user cannot write, whose they are and the fix.
 */
static void
ctl_ownership(struct ctl *ctl)
{
	char	*why;

	if ((why = ownership_problem(ctl->cf->db_path)) != NULL)
		ctl_fail("%s", why);
	free(why);
}

int
main(int argc, char **argv)
{
	const struct ctl_command	*c;
	struct ctl			 ctl;
	const char			*now = NULL;
	int				 first, verbose = 0, rc;

	memset(&ctl, 0, sizeof ctl);
	log_init("deadlinectl", 0);
	argc = ctl_take_excel(argc, argv);
	first = ctl_global_options(&ctl, argc, argv, &now, &verbose);
	if (first >= argc) {
		ctl_help(stderr);
		return (CTL_USAGE);
	}
	for (c = ctl_commands; c->name != NULL; c++)
		if (strcmp(c->name, argv[first]) == 0)
			break;
	if (c->name == NULL) {
		ctl_fail("unknown command '%s' (see deadlinectl --help)",
		    argv[first]);
		return (CTL_USAGE);
	}
	if (ctl_wants_help(argc - first, argv + first) &&
	    strcmp(c->name, "task") != 0) {
		printf("usage: deadlinectl %s\n%s\n", c->usage, c->help);
		return (CTL_OK);
	}
	log_set_verbose(verbose);
	if (ctl_setup(&ctl, now) != 0) {
		config_free(ctl.cf);
		return (CTL_FAIL);
	}
	optind = 0;	/* GNU getopt: start afresh on the subcommand */
	rc = c->fn(&ctl, argc - first, argv + first);
	if (rc == CTL_FAIL && ctl_store_denied)
		ctl_ownership(&ctl);
	store_close(ctl.store);
	calendar_free(ctl.calendar);
	units_free(ctl.units);
	config_free(ctl.cf);
	return (rc);
}
