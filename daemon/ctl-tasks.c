/* deadlinectl import, task, tasks, done, reopen, agenda, schedule. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "action.h"
#include "calendar.h"
#include "config.h"
#include "ctl.h"
#include "directory.h"
#include "import.h"
#include "rule.h"
#include "schedule.h"
#include "setup.h"
#include "store.h"
#include "timeexpr.h"
#include "units.h"
#include "xmalloc.h"

/* Syncs the directory, inside the caller's transaction. */
static int
ctl_sync_quiet(struct ctl *ctl, struct store *s, char **cause)
{
	struct store_sync_stats	st;

	return (directory_sync(s, ctl_units(ctl), &st, cause));
}

/* Prints an import report as text. */
static void
ctl_import_print(const struct import_report *r, int dry_run)
{
	static const char *const from[] = { "its place-and-date line",
	    "--from", "the day of the import", "the day of its first import" };
	char	day[11];
	size_t	i;
	int	k;

	date_format_iso(r->starts, day);
	printf("plan %s (year %d)%s\n", r->plan_code, r->year,
	    dry_run ? ": dry run, nothing written" : "");
	printf("starts: %s (%s)\n", day, from[r->starts_from]);
	if (r->number != NULL)
		printf("document: Số %s\n", r->number);
	printf("rows: %d task rows, %d bullet pairs, %d tasks (%d new, %d "
	    "changed, %d unchanged, %d withdrawn)\n", r->rows, r->bullets,
	    r->tasks, r->added, r->changed, r->unchanged, r->withdrawn);
	printf("kinds:");
	for (k = 0; k < 5; k++)
		printf(" %s %d", timeexpr_kind_name((enum timeexpr_kind)k),
		    r->kinds[k]);
	printf("\ntime cells: %d tasks read in part, %d not read (deadlinectl "
	    "tasks --needs-review)\n", r->partial, r->unparsed);
	printf("past: %d tasks due before the import, kept and not chased\n",
	    r->past);
	printf("units: %d of %d phrases matched\noccurrences: %d\n",
	    r->unit_matched, r->unit_phrases, r->occurrences);
	for (i = 0; i < r->nissues; i++) {
		printf("%s: %s (line %u): %s",
		    import_issue_name(r->issues[i].kind), r->issues[i].ref,
		    r->issues[i].line, r->issues[i].text);
		if (r->issues[i].kind == IMPORT_PAST_DEADLINE)
			printf(" -- due %s", r->issues[i].detail);
		else if (r->issues[i].detail != NULL)
			printf(" -- left over: %s", r->issues[i].detail);
		printf("\n");
	}
}

/* Prints an import report as JSON. */
static void
ctl_import_json(const struct import_report *r, int dry_run)
{
	json_t	*o, *kinds, *issues, *is;
	char	*text, day[11];
	size_t	 i;
	int	 k;

	kinds = json_object();
	for (k = 0; k < 5; k++)
		json_object_set_new(kinds, timeexpr_kind_name(
		    (enum timeexpr_kind)k), json_integer(r->kinds[k]));
	issues = json_array();
	for (i = 0; i < r->nissues; i++) {
		is = json_pack("{s:s, s:s, s:i, s:s}",
		    "kind", import_issue_name(r->issues[i].kind),
		    "ref", r->issues[i].ref, "line", (int)r->issues[i].line,
		    "text", r->issues[i].text);
		json_object_set_new(is, "detail", r->issues[i].detail != NULL ?
		    json_string(r->issues[i].detail) : json_null());
		json_array_append_new(issues, is);
	}
	o = json_pack("{s:s, s:i, s:b, s:i, s:i, s:i, s:i, s:i, s:i, s:i, "
	    "s:i, s:i, s:i, s:o, s:o}", "plan", r->plan_code, "year", r->year,
	    "dry_run", dry_run, "rows", r->rows, "bullets", r->bullets,
	    "tasks", r->tasks, "added", r->added, "changed", r->changed,
	    "unchanged", r->unchanged, "withdrawn", r->withdrawn,
	    "unit_phrases", r->unit_phrases, "unit_matched", r->unit_matched,
	    "occurrences", r->occurrences, "kinds", kinds, "issues", issues);
	date_format_iso(r->starts, day);
	json_object_set_new(o, "starts", json_string(day));
	json_object_set_new(o, "starts_from",
	    json_string(import_start_name(r->starts_from)));
	json_object_set_new(o, "partial", json_integer(r->partial));
	json_object_set_new(o, "unparsed", json_integer(r->unparsed));
	json_object_set_new(o, "past", json_integer(r->past));
	json_object_set_new(o, "number", r->number != NULL ?
	    json_string(r->number) : json_null());
	text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	puts(text);
	free(text);
	json_decref(o);
}

int
ctl_cmd_import(struct ctl *ctl, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "plan", required_argument, NULL, 'p' },
		{ "year", required_argument, NULL, 'y' },
		{ "from", required_argument, NULL, 'F' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "format", required_argument, NULL, 'f' },
		{ "sheet", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	struct import_options	 opt;
	struct import_report	 r;
	struct schedule_options	 so;
	enum output_format	 fmt = OUTPUT_TABLE;
	struct store		*s;
	char			*cause = NULL;
	long			 year;
	int			 ch;

	memset(&opt, 0, sizeof opt);
	opt.from = DATE_NONE;
	while ((ch = getopt_long(argc, argv, "p:y:F:nf:s:", longopts,
	    NULL)) != -1) {
		if (ch == 'p' && units_valid_code(optarg))
			opt.plan_code = optarg;
		else if (ch == 'F' && ctl_parse_date(optarg, &opt.from) == 0)
			continue;
		else if (ch == 's' && *optarg != '\0')
			opt.sheet = optarg;
		else if (ch == 'y' && config_parse_long(optarg, 1900, 2100,
		    &year) == 0)
			opt.year = (int)year;
		else if (ch == 'n')
			opt.dry_run = 1;
		else if (ch == 'f' && ctl_format(optarg, &fmt) == 0 &&
		    fmt != OUTPUT_CSV)
			continue;
		else
			return (ctl_usage_name("import"));
	}
	if (optind + 1 != argc)
		return (ctl_usage_name("import"));
	opt.path = argv[optind];
	opt.coordinator = *ctl->cf->coordinator != '\0' ?
	    ctl->cf->coordinator : NULL;
	opt.period_day = ctl->cf->period_day;
	ctl_warn_root(ctl, "import");
	if ((s = ctl_store(ctl)) == NULL || ctl_units(ctl) == NULL ||
	    ctl_calendar(ctl) == NULL)
		return (CTL_FAIL);
	setup_schedule(ctl->cf, ctl->calendar, &so);
	opt.schedule = &so;
	if (store_begin(s, &cause) != 0 || ctl_sync_quiet(ctl, s,
	    &cause) != 0 || store_commit(s, &cause) != 0) {
		store_rollback(s);
		ctl_fail("%s", cause);
		free(cause);
		return (CTL_FAIL);
	}
	if (import_plan(s, ctl->units, &opt, &r, &cause) != 0) {
		ctl_fail("%s", cause);
		free(cause);
		return (CTL_FAIL);
	}
	if (fmt == OUTPUT_JSON)
		ctl_import_json(&r, opt.dry_run);
	else
		ctl_import_print(&r, opt.dry_run);
	import_report_clear(&r);
	return (CTL_OK);
}

struct ctl_task_list {
	struct output	*out;
	int		 n;
};

/* Adds one task to the listing. */
static int
ctl_tasks_row(const struct store_task *t, void *arg)
{
	struct ctl_task_list	*l = arg;

	output_row(l->out);
	output_int(l->out, t->id);
	output_str(l->out, t->plan_code);
	output_str(l->out, t->ref);
	output_str(l->out, t->section);
	output_str(l->out, t->category);
	output_str(l->out, t->kind);
	output_date(l->out, t->due);
	output_str(l->out, t->rrule);
	output_str(l->out, t->units);
	output_str(l->out, t->title);
	output_str(l->out, t->time_text);
	output_str(l->out, t->content);
	output_str(l->out, t->status);
	output_str(l->out, t->unmatched);
	output_int(l->out, t->source_line);
	output_str(l->out, t->notes);
	output_date(l->out, t->starts);
	output_str(l->out, t->dayoff);
	output_str(l->out, t->quality);
	output_str(l->out, t->leftover);
	l->n++;
	return (0);
}

/* The columns of a task; the reading of its time cell comes last. */
static const char *const ctl_task_columns[] = { "id", "plan", "ref",
    "section", "category", "kind", "due", "rule", "units", "title",
    "time_text", "content", "status", "unmatched", "line", "notes",
    "starts", "dayoff", "quality", "leftover", NULL };

int
ctl_cmd_tasks(struct ctl *ctl, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "plan", required_argument, NULL, 'p' },
		{ "format", required_argument, NULL, 'f' },
		{ "needs-review", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	struct ctl_task_list	 l;
	enum output_format	 fmt = OUTPUT_TABLE;
	const char		*plan = NULL;
	struct store		*s;
	char			*cause = NULL;
	int			 ch, rc, review = 0;

	while ((ch = getopt_long(argc, argv, "p:f:r", longopts, NULL)) != -1) {
		if (ch == 'p')
			plan = optarg;
		else if (ch == 'r')
			review = 1;
		else if (ch != 'f' || ctl_format(optarg, &fmt) != 0)
			return (ctl_usage_name("tasks"));
	}
	if (optind != argc)
		return (ctl_usage_name("tasks"));
	if ((s = ctl_store(ctl)) == NULL)
		return (CTL_FAIL);
	l.out = output_new(fmt, ctl_task_columns);
	l.n = 0;
	if (review)
		rc = store_tasks_review(s, plan, ctl_tasks_row, &l, &cause);
	else
		rc = store_tasks(s, plan, 0, ctl_tasks_row, &l, &cause);
	output_finish(l.out, stdout);
	if (rc != 0) {
		ctl_fail("%s", cause);
		free(cause);
		return (CTL_FAIL);
	}
	return (CTL_OK);
}

/* deadlinectl task show ID. */
static int
ctl_task_show(struct ctl *ctl, struct store *s, int argc, char **argv)
{
	struct ctl_task_list	 l;
	enum output_format	 fmt = OUTPUT_TABLE;
	char			*cause = NULL;
	long			 id;

	if (argc == 4 && strncmp(argv[3], "--format=", 9) == 0) {
		if (ctl_format(argv[3] + 9, &fmt) != 0)
			return (CTL_USAGE);
		argc--;
	}
	if (argc != 3 || config_parse_long(argv[2], 1, 0x7fffffffL, &id) != 0)
		return (ctl_usage_name("task"));
	if (fmt == OUTPUT_TABLE)
		fmt = OUTPUT_JSON;
	l.out = output_new(fmt, ctl_task_columns);
	l.n = 0;
	if (store_tasks(s, NULL, id, ctl_tasks_row, &l, &cause) != 0) {
		output_finish(l.out, stdout);
		ctl_fail("%s", cause);
		free(cause);
		return (CTL_FAIL);
	}
	if (l.n == 0) {
		output_finish(l.out, stdout);
		return (ctl_fail("no task %ld", id));
	}
	output_finish(l.out, stdout);
	return (CTL_OK);
}

struct ctl_task_add {
	const char	*title;
	const char	*plan;
	const char	*ref;
	date_t		 due;
	const char	*every;
	long		 day;
	const char	*rrule;
	date_t		 from;
	date_t		 until;
	const char	**units;
	size_t		 nunits;
};

/* Reads the options of task add; 0 or -1. */
static int
ctl_task_add_options(struct ctl_task_add *a, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "due", required_argument, NULL, 'd' },
		{ "every", required_argument, NULL, 'e' },
		{ "day", required_argument, NULL, 'D' },
		{ "rrule", required_argument, NULL, 'r' },
		{ "unit", required_argument, NULL, 'u' },
		{ "plan", required_argument, NULL, 'p' },
		{ "ref", required_argument, NULL, 'R' },
		{ "from", required_argument, NULL, 'F' },
		{ "until", required_argument, NULL, 'U' },
		{ NULL, 0, NULL, 0 }
	};
	int	ch, bad = 0;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "d:e:D:r:u:p:R:F:U:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'd':
			bad |= ctl_parse_date(optarg, &a->due) != 0;
			break;
		case 'e':
			a->every = optarg;
			break;
		case 'D':
			bad |= config_parse_long(optarg, 0, 31, &a->day) != 0;
			break;
		case 'r':
			a->rrule = optarg;
			break;
		case 'u':
			a->units = xreallocarray(a->units, a->nunits + 1,
			    sizeof *a->units);
			a->units[a->nunits++] = optarg;
			break;
		case 'p':
			a->plan = optarg;
			break;
		case 'R':
			a->ref = optarg;
			break;
		case 'F':
			bad |= ctl_parse_date(optarg, &a->from) != 0;
			break;
		case 'U':
			bad |= ctl_parse_date(optarg, &a->until) != 0;
			break;
		default:
			bad = 1;
		}
	}
	/* getopt moved the words "add" and TITLE to the end, in order. */
	if (optind + 2 != argc || bad || a->nunits == 0 ||
	    ((a->due != DATE_NONE) + (a->every != NULL) + (a->rrule != NULL))
	    != 1)
		return (-1);
	a->title = argv[optind + 1];
	return (0);
}

/* Counts tasks of a plan, for a default reference. */
static int
ctl_count_task(const struct store_task *t, void *arg)
{
	(*(int *)arg)++;
	return (0);
}

/* Writes the task, its units and occurrences in one transaction. */
static int
ctl_task_add_write(struct ctl *ctl, struct store *s, struct ctl_task_add *a,
    const char *rrule, char **cause)
{
	struct store_plan	 plan;
	struct store_task	 t;
	struct schedule_options	 so;
	struct schedule_stats	 ss;
	int64_t			 id, uid, pid;
	size_t			 i;
	int			 gen, changed, n = 0;
	char			*ref = NULL;

	memset(&plan, 0, sizeof plan);
	plan.code = a->plan;
	plan.year = date_year(date_today());
	plan.starts = date_from_ymd(plan.year, 1, 1);
	plan.ends = date_from_ymd(plan.year, 12, 31);
	plan.title = "Công việc nhập tay";
	if ((pid = store_plan_id(s, a->plan, cause)) < 0 || (pid == 0 &&
	    (pid = store_plan_upsert(s, &plan, &gen, cause)) < 0) ||
	    store_tasks(s, a->plan, 0, ctl_count_task, &n, cause) != 0)
		return (-1);
	if (a->ref == NULL)
		xasprintf(&ref, "M%d", n + 1);
	memset(&t, 0, sizeof t);
	t.plan_id = pid;
	t.ref = a->ref != NULL ? a->ref : ref;
	t.title = a->title;
	t.kind = rrule != NULL ? "recurring" : "once";
	t.due = rrule != NULL ? DATE_NONE : a->due;
	t.rrule = rrule;
	t.starts = rrule != NULL ? (a->from != DATE_NONE ? a->from :
	    date_today()) : DATE_NONE;
	t.ends = rrule != NULL ? a->until : DATE_NONE;
	id = store_task_upsert(s, &t, 0, &changed, cause);
	if (id < 0) {
		free(ref);
		return (-1);
	}
	for (i = 0; i < a->nunits; i++) {
		if ((uid = store_unit_id(s, a->units[i], cause)) <= 0) {
			if (uid == 0)
				xasprintf(cause, "unknown unit '%s'",
				    a->units[i]);
			goto fail;
		}
		if (store_task_assign(s, id, uid, i == 0 ? "lead" : "support",
		    NULL, cause) != 0)
			goto fail;
	}
	setup_schedule(ctl->cf, ctl->calendar, &so);
	if (schedule_task(s, id, &so, &ss, cause) != 0)
		goto fail;
	printf("task %lld (%s %s): %d occurrences\n", (long long)id, a->plan,
	    t.ref, ss.occurrences);
	free(ref);
	return (0);
fail:
	free(ref);
	return (-1);
}

/* deadlinectl task add TITLE ... */
static int
ctl_task_add(struct ctl *ctl, struct store *s, int argc, char **argv)
{
	struct ctl_task_add	 a;
	char			*rrule = NULL, *cause = NULL;
	int			 rc = CTL_FAIL;

	memset(&a, 0, sizeof a);
	a.due = a.from = a.until = DATE_NONE;
	a.plan = "manual";
	if (ctl_task_add_options(&a, argc, argv) != 0) {
		free(a.units);
		return (ctl_usage_name("task"));
	}
	if (a.every != NULL)
		rrule = rule_every(a.every, (int)a.day, &cause);
	else if (a.rrule != NULL && rule_check(a.rrule, &cause) == 0)
		rrule = xstrdup(a.rrule);
	if ((a.every != NULL || a.rrule != NULL) && rrule == NULL)
		goto done;
	if (ctl_calendar(ctl) == NULL)
		goto done;
	if (store_begin(s, &cause) != 0 ||
	    ctl_task_add_write(ctl, s, &a, rrule, &cause) != 0 ||
	    store_commit(s, &cause) != 0) {
		store_rollback(s);
		goto done;
	}
	rc = CTL_OK;
done:
	if (cause != NULL)
		ctl_fail("%s", cause);
	free(cause);
	free(rrule);
	free(a.units);
	return (rc);
}

/* deadlinectl task set-due ID DATE | set-rule ID RRULE. */
static int
ctl_task_set(struct ctl *ctl, struct store *s, int argc, char **argv)
{
	struct schedule_options	 so;
	struct schedule_stats	 ss;
	char			*cause = NULL;
	long			 id;
	date_t			 due = DATE_NONE;
	int			 rule = strcmp(argv[1], "set-rule") == 0;

	if (argc != 4 || config_parse_long(argv[2], 1, 0x7fffffffL, &id) != 0 ||
	    (!rule && ctl_parse_date(argv[3], &due) != 0))
		return (ctl_usage_name("task"));
	if (rule && rule_check(argv[3], &cause) != 0)
		goto fail;
	if (ctl_calendar(ctl) == NULL)
		return (CTL_FAIL);
	/*
	 * A rule set now runs from today (or the plan's start, if later) to
	 * the plan's end: the dates before today were never the unit's.
	 */
	setup_schedule(ctl->cf, ctl->calendar, &so);
	if (store_begin(s, &cause) != 0 ||
	    (rule ? store_task_set_rule(s, id, argv[3], date_today(),
	    DATE_NONE, &cause) :
	    store_task_set_due(s, id, due, &cause)) != 0 ||
	    schedule_task(s, id, &so, &ss, &cause) != 0 ||
	    store_commit(s, &cause) != 0) {
		store_rollback(s);
		goto fail;
	}
	printf("task %ld: %d occurrences, %d removed\n", id, ss.occurrences,
	    ss.removed);
	return (CTL_OK);
fail:
	ctl_fail("%s", cause);
	free(cause);
	return (CTL_FAIL);
}

int
ctl_cmd_task(struct ctl *ctl, int argc, char **argv)
{
	struct store	*s;

	if (argc < 2 || ctl_wants_help(argc, argv)) {
		printf("usage:\n"
		    "  deadlinectl task add TITLE (--due DATE | --every month|"
		    "quarter|half-year|year [--day N] | --rrule RRULE)\n"
		    "      --unit CODE [--unit CODE ...] [--plan CODE] "
		    "[--ref REF] [--from DATE] [--until DATE]\n"
		    "  deadlinectl task show ID [--format=json|csv|table]\n"
		    "  deadlinectl task set-due ID DATE\n"
		    "  deadlinectl task set-rule ID RRULE\n");
		return (argc < 2 ? CTL_USAGE : CTL_OK);
	}
	if ((s = ctl_store(ctl)) == NULL)
		return (CTL_FAIL);
	if (strcmp(argv[1], "add") == 0)
		return (ctl_task_add(ctl, s, argc, argv));
	if (strcmp(argv[1], "show") == 0)
		return (ctl_task_show(ctl, s, argc, argv));
	if (strcmp(argv[1], "set-due") == 0 || strcmp(argv[1], "set-rule") == 0)
		return (ctl_task_set(ctl, s, argc, argv));
	return (ctl_usage_name("task"));
}

/* done / reopen: the shared part. */
static int
ctl_set_status(struct ctl *ctl, int argc, char **argv, const char *status)
{
	static const struct option longopts[] = {
		{ "date", required_argument, NULL, 'd' },
		{ "note", required_argument, NULL, 'n' },
		{ "by", required_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*note = NULL, *by = getenv("SUDO_USER");
	struct action	 a;
	char		 who[128];
	date_t		 day = date_today();
	long		 id;
	int		 ch, done = strcmp(status, "done") == 0;

	if (by == NULL && (by = getenv("USER")) == NULL)
		by = "?";
	while ((ch = getopt_long(argc, argv, "d:n:b:", longopts, NULL)) != -1) {
		if (ch == 'd' && done && ctl_parse_date(optarg, &day) == 0)
			continue;
		if (ch == 'n')
			note = optarg;
		else if (ch == 'b')
			by = optarg;
		else
			return (ctl_usage_name(argv[0]));
	}
	if (optind + 1 != argc ||
	    config_parse_long(argv[optind], 1, 0x7fffffffL, &id) != 0)
		return (ctl_usage_name(argv[0]));
	/* The one action_apply() of every entry point (ctl-actions.c). */
	memset(&a, 0, sizeof a);
	a.kind = done ? ACTION_DONE : ACTION_REOPEN;
	a.occurrence = id;
	a.reason = note;
	a.date = done ? day : DATE_NONE;
	a.version = -1;
	a.sequence = -1;
	snprintf(who, sizeof who, "cli:%s", by);
	a.who.by = who;
	a.who.origin = "cli";
	return (ctl_action_run(ctl, &a));
}

int
ctl_cmd_done(struct ctl *ctl, int argc, char **argv)
{
	return (ctl_set_status(ctl, argc, argv, "done"));
}

int
ctl_cmd_reopen(struct ctl *ctl, int argc, char **argv)
{
	return (ctl_set_status(ctl, argc, argv, "open"));
}

struct ctl_agenda {
	struct output	*out;
	struct calendar	*cal;
	date_t		 today;
	int		 overdue_only;
};

/* Adds one occurrence to the agenda listing. */
static int
ctl_agenda_row(const struct store_occurrence *o, void *arg)
{
	struct ctl_agenda	*a = arg;
	int			 open = strcmp(o->status, "open") == 0;

	if (a->overdue_only && (!open || o->effective == DATE_NONE ||
	    o->effective >= a->today))
		return (0);
	output_row(a->out);
	if (o->id != 0)
		output_int(a->out, o->id);
	else
		output_null(a->out);
	output_date(a->out, o->effective);
	output_date(a->out, o->effective != o->nominal ? o->nominal :
	    DATE_NONE);
	if (o->effective != DATE_NONE && open)
		output_int(a->out, calendar_working_days_between(a->cal,
		    a->today, o->effective));
	else
		output_null(a->out);
	output_str(a->out, o->effective == DATE_NONE ? o->kind : open &&
	    o->effective < a->today ? "overdue" : o->status);
	output_str(a->out, o->unit_code);
	output_str(a->out, o->role);
	output_str(a->out, o->plan_code);
	output_str(a->out, o->ref);
	output_str(a->out, o->title);
	return (0);
}

int
ctl_cmd_agenda(struct ctl *ctl, int argc, char **argv)
{
	static const char *const columns[] = { "id", "due", "nominal",
	    "working_days_left", "status", "unit", "role", "plan", "ref",
	    "title", NULL };
	static const struct option longopts[] = {
		{ "unit", required_argument, NULL, 'u' },
		{ "plan", required_argument, NULL, 'p' },
		{ "days", required_argument, NULL, 'd' },
		{ "overdue", no_argument, NULL, 'o' },
		{ "all", no_argument, NULL, 'a' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	struct store_agenda_filter	 f;
	struct ctl_agenda		 a;
	enum output_format		 fmt = OUTPUT_TABLE;
	struct store			*s;
	char				*cause = NULL;
	long				 days = 30;
	int				 ch, all = 0, rc;

	memset(&a, 0, sizeof a);
	memset(&f, 0, sizeof f);
	while ((ch = getopt_long(argc, argv, "u:p:d:oaf:", longopts,
	    NULL)) != -1) {
		if (ch == 'u')
			f.unit = optarg;
		else if (ch == 'p')
			f.plan = optarg;
		else if (ch == 'd' && config_parse_long(optarg, 0, 3660,
		    &days) == 0)
			continue;
		else if (ch == 'o')
			a.overdue_only = 1;
		else if (ch == 'a')
			all = 1;
		else if (ch != 'f' || ctl_format(optarg, &fmt) != 0)
			return (ctl_usage_name("agenda"));
	}
	if (optind != argc)
		return (ctl_usage_name("agenda"));
	if ((s = ctl_store(ctl)) == NULL || ctl_calendar(ctl) == NULL)
		return (CTL_FAIL);
	a.cal = ctl->calendar;
	a.today = date_today();
	f.from = DATE_NONE;
	f.to = all ? DATE_NONE : a.today + (date_t)days;
	f.open_only = !all;
	f.include_undated = all;
	a.out = output_new(fmt, columns);
	rc = store_agenda(s, &f, ctl_agenda_row, &a, &cause);
	output_finish(a.out, stdout);
	if (rc != 0) {
		ctl_fail("%s", cause);
		free(cause);
		return (CTL_FAIL);
	}
	return (CTL_OK);
}

int
ctl_cmd_schedule(struct ctl *ctl, int argc, char **argv)
{
	struct schedule_options	 so;
	struct schedule_stats	 ss;
	struct store		*s;
	char			*cause = NULL;
	const char		*plan = NULL;

	if (argc == 3 && strcmp(argv[1], "--plan") == 0)
		plan = argv[2];
	else if (argc != 1)
		return (ctl_usage_name("schedule"));
	if ((s = ctl_store(ctl)) == NULL || ctl_calendar(ctl) == NULL)
		return (CTL_FAIL);
	setup_schedule(ctl->cf, ctl->calendar, &so);
	/* A whole plan's year is an import's worth of rows: its page cache. */
	if (store_bulk(s, 1, &cause) != 0 || store_begin(s, &cause) != 0 ||
	    schedule_plan(s, plan, &so, &ss, &cause) != 0 ||
	    store_commit(s, &cause) != 0) {
		store_rollback(s);
		store_bulk(s, 0, NULL);
		ctl_fail("%s", cause);
		free(cause);
		return (CTL_FAIL);
	}
	store_bulk(s, 0, NULL);
	printf("%d tasks, %d occurrences, %d removed\n", ss.tasks,
	    ss.occurrences, ss.removed);
	return (CTL_OK);
}
