#ifndef CTL_H
#define CTL_H

#include "output.h"

/*
 * deadlinectl's shared state and helpers; each group of subcommands lives in
 * its own ctl-*.c file and registers in the table of deadlinectl.c.
 */
struct calendar;
struct config;
struct store;
struct units;

#define CTL_OK		0
#define CTL_FAIL	1
#define CTL_USAGE	2

struct ctl {
	const char		*config_path;
	const char		*db_override;
	struct config		*cf;
	struct store		*store;
	struct calendar		*calendar;
	struct units		*units;
};

struct ctl_command {
	const char	*name;
	int		(*fn)(struct ctl *, int, char **);
	const char	*usage;
	const char	*help;
};

struct store	*ctl_store(struct ctl *);
struct calendar	*ctl_calendar(struct ctl *);
struct units	*ctl_units(struct ctl *);
/* Prints "deadlinectl: ..." to stderr; returns CTL_FAIL. */
int		 ctl_fail(const char *, ...) __attribute__((format(printf, 1,
		     2)));
/* Warns when run as root on the service's database (init, import). */
void		 ctl_warn_root(struct ctl *, const char *);
int		 ctl_usage(const struct ctl_command *);
int		 ctl_usage_name(const char *);
/* Parses --format; on a bad value prints an error and returns -1. */
int		 ctl_format(const char *, enum output_format *);
int		 ctl_parse_date(const char *, date_t *);
/* True if argv has --help or -h. */
int		 ctl_wants_help(int, char **);

extern const struct ctl_command ctl_commands[];

int	ctl_cmd_init(struct ctl *, int, char **);
int	ctl_cmd_check_config(struct ctl *, int, char **);
int	ctl_cmd_units(struct ctl *, int, char **);
int	ctl_cmd_import(struct ctl *, int, char **);
int	ctl_cmd_task(struct ctl *, int, char **);
int	ctl_cmd_tasks(struct ctl *, int, char **);
int	ctl_cmd_plan(struct ctl *, int, char **);
int	ctl_cmd_done(struct ctl *, int, char **);
int	ctl_cmd_reopen(struct ctl *, int, char **);
int	ctl_cmd_agenda(struct ctl *, int, char **);
int	ctl_cmd_holidays(struct ctl *, int, char **);
int	ctl_cmd_schedule(struct ctl *, int, char **);
int	ctl_cmd_outbox(struct ctl *, int, char **);
int	ctl_cmd_send_test(struct ctl *, int, char **);

/* ctl-ops.c: operations. */
int	ctl_cmd_status(struct ctl *, int, char **);
int	ctl_cmd_backup(struct ctl *, int, char **);
int	ctl_cmd_report(struct ctl *, int, char **);

/* ctl-feed.c: calendar feeds. */
int	ctl_cmd_feed(struct ctl *, int, char **);

/* ctl-actions.c: extend, waive, snooze, requests (action.h). */
struct action;
int	ctl_action_run(struct ctl *, struct action *);
int	ctl_cmd_extend(struct ctl *, int, char **);
int	ctl_cmd_waive(struct ctl *, int, char **);
int	ctl_cmd_snooze(struct ctl *, int, char **);
int	ctl_cmd_requests(struct ctl *, int, char **);

/* ctl-console.c: the console's sign-in, sessions, unit page links. */
int	ctl_cmd_console_link(struct ctl *, int, char **);
int	ctl_cmd_sessions(struct ctl *, int, char **);
int	ctl_cmd_unit_link(struct ctl *, int, char **);

#endif
