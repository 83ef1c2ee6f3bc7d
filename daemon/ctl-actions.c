/*
 * deadlinectl extend, waive, snooze, requests: the actions on an
 * occurrence from the command line.  Each goes through action_apply(),
 * as the console's and the unit page's do, recorded as "cli:USER" from
 * "cli".
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "calendar.h"
#include "config.h"
#include "ctl.h"
#include "store.h"
#include "xmalloc.h"

/* Fills who with "cli:NAME": --by, else the (sudo) user. */
static void
ctl_action_who(struct action *a, const char *by, char *buf, size_t len)
{
	if (by == NULL && (by = getenv("SUDO_USER")) == NULL &&
	    (by = getenv("USER")) == NULL)
		by = "?";
	snprintf(buf, len, "cli:%s", by);
	a->who.by = buf;
	a->who.origin = "cli";
}

/* Applies an action and says what happened; CTL_OK or CTL_FAIL. */
int
ctl_action_run(struct ctl *ctl, struct action *a)
{
	struct action_result	 r;
	struct store		*s;
	char			*cause = NULL, d[11];

	if ((s = ctl_store(ctl)) == NULL || ctl_calendar(ctl) == NULL)
		return (CTL_FAIL);
	if (action_apply(s, ctl->calendar, a, date_today(), &r, &cause) !=
	    ACTION_OK) {
		ctl_fail("%s %lld: %s", action_name(a->kind), (long long)(
		    a->request > 0 ? a->request : a->occurrence), cause);
		free(cause);
		return (CTL_FAIL);
	}
	if (a->kind == ACTION_APPROVE || a->kind == ACTION_DECLINE)
		printf("request %lld: %s", (long long)a->request,
		    a->kind == ACTION_APPROVE ? "approved" : "declined");
	else
		printf("occurrence %lld: %s", (long long)a->occurrence,
		    a->kind == ACTION_REOPEN ? "open" : a->kind == ACTION_DONE ?
		    "done" : a->kind == ACTION_WAIVE ? "waived" :
		    action_name(a->kind));
	if (r.new_due != DATE_NONE) {
		date_format_iso(r.new_due, d);
		printf(", due %s", d);
	}
	if (r.until != DATE_NONE) {
		date_format_iso(r.until, d);
		printf(", no reminder before %s", d);
	}
	printf("\n");
	return (CTL_OK);
}

/* Reads an id argument; 0 or -1. */
static int
ctl_action_id(const char *s, int64_t *id)
{
	long	v;

	if (config_parse_long(s, 1, 0x7fffffffL, &v) != 0)
		return (-1);
	*id = v;
	return (0);
}

/* deadlinectl extend|waive|snooze OCCURRENCE [DATE] [options]. */
static int
ctl_action_occurrence(struct ctl *ctl, int argc, char **argv,
    enum action_kind kind)
{
	static const struct option longopts[] = {
		{ "reason", required_argument, NULL, 'r' },
		{ "days", required_argument, NULL, 'n' },
		{ "by", required_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 }
	};
	struct action	 a;
	const char	*by = NULL;
	char		 who[128];
	long		 days = 3;
	int		 ch, want = kind == ACTION_EXTEND ? 2 : 1;

	memset(&a, 0, sizeof a);
	a.kind = kind;
	a.date = DATE_NONE;
	a.version = -1;
	a.sequence = -1;
	while ((ch = getopt_long(argc, argv, "r:n:b:", longopts, NULL)) != -1) {
		if (ch == 'r')
			a.reason = optarg;
		else if (ch == 'b')
			by = optarg;
		else if (ch == 'n' && kind == ACTION_SNOOZE &&
		    config_parse_long(optarg, 1, ACTION_SNOOZE_MAX, &days) == 0)
			continue;
		else
			return (ctl_usage_name(argv[0]));
	}
	if (optind + want != argc ||
	    ctl_action_id(argv[optind], &a.occurrence) != 0 ||
	    (kind == ACTION_EXTEND && ctl_parse_date(argv[optind + 1],
	    &a.date) != 0))
		return (ctl_usage_name(argv[0]));
	a.days = (int)days;
	ctl_action_who(&a, by, who, sizeof who);
	return (ctl_action_run(ctl, &a));
}

int
ctl_cmd_extend(struct ctl *ctl, int argc, char **argv)
{
	return (ctl_action_occurrence(ctl, argc, argv, ACTION_EXTEND));
}

int
ctl_cmd_waive(struct ctl *ctl, int argc, char **argv)
{
	return (ctl_action_occurrence(ctl, argc, argv, ACTION_WAIVE));
}

int
ctl_cmd_snooze(struct ctl *ctl, int argc, char **argv)
{
	return (ctl_action_occurrence(ctl, argc, argv, ACTION_SNOOZE));
}

/* Adds one request to the listing. */
static int
ctl_request_row(const struct store_request *rq, void *arg)
{
	struct output	*o = arg;

	output_row(o);
	output_int(o, rq->id);
	output_str(o, rq->state);
	output_int(o, rq->occurrence_id);
	output_str(o, rq->unit_code);
	output_str(o, rq->plan_code);
	output_str(o, rq->ref);
	output_date(o, rq->effective);
	output_date(o, rq->due);
	output_str(o, rq->reason);
	output_str(o, rq->by);
	output_str(o, rq->at);
	output_str(o, rq->decided_by);
	output_str(o, rq->answer);
	return (0);
}

/* deadlinectl requests [list] [--state S|all] [--unit U] [--format F]. */
static int
ctl_requests_list(struct ctl *ctl, int argc, char **argv)
{
	static const char *const columns[] = { "id", "state", "occurrence",
	    "unit", "plan", "ref", "due", "asked", "reason", "by", "at",
	    "decided_by", "answer", NULL };
	static const struct option longopts[] = {
		{ "state", required_argument, NULL, 's' },
		{ "unit", required_argument, NULL, 'u' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	struct store_request_filter	 f;
	enum output_format		 fmt = OUTPUT_TABLE;
	struct output			*o;
	struct store			*s;
	int				 ch;
	char				*cause = NULL;

	memset(&f, 0, sizeof f);
	f.state = "pending";
	while ((ch = getopt_long(argc, argv, "s:u:f:", longopts, NULL)) != -1) {
		if (ch == 's' && (strcmp(optarg, "pending") == 0 ||
		    strcmp(optarg, "approved") == 0 ||
		    strcmp(optarg, "declined") == 0))
			f.state = optarg;
		else if (ch == 's' && strcmp(optarg, "all") == 0)
			f.state = NULL;
		else if (ch == 'u')
			f.unit = optarg;
		else if (ch == 'f' && ctl_format(optarg, &fmt) == 0)
			continue;
		else
			return (ctl_usage_name("requests"));
	}
	if (optind != argc || (s = ctl_store(ctl)) == NULL)
		return (optind != argc ? ctl_usage_name("requests") : CTL_FAIL);
	o = output_new(fmt, columns);
	if (store_requests(s, &f, ctl_request_row, o, &cause) != 0) {
		output_finish(o, stdout);
		ctl_fail("cannot read the requests: %s", cause);
		free(cause);
		return (CTL_FAIL);
	}
	output_finish(o, stdout);
	return (CTL_OK);
}

/* deadlinectl requests approve|decline ID [--reason WORD] [--by WHO]. */
static int
ctl_requests_answer(struct ctl *ctl, int argc, char **argv,
    enum action_kind kind)
{
	static const struct option longopts[] = {
		{ "reason", required_argument, NULL, 'r' },
		{ "by", required_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 }
	};
	struct action	 a;
	const char	*by = NULL;
	char		 who[128];
	int		 ch;

	memset(&a, 0, sizeof a);
	a.kind = kind;
	a.date = DATE_NONE;
	a.version = -1;
	a.sequence = -1;
	while ((ch = getopt_long(argc, argv, "r:b:", longopts, NULL)) != -1) {
		if (ch == 'r')
			a.reason = optarg;
		else if (ch == 'b')
			by = optarg;
		else
			return (ctl_usage_name("requests"));
	}
	if (optind + 1 != argc || ctl_action_id(argv[optind], &a.request) != 0)
		return (ctl_usage_name("requests"));
	ctl_action_who(&a, by, who, sizeof who);
	return (ctl_action_run(ctl, &a));
}

int
ctl_cmd_requests(struct ctl *ctl, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "approve") == 0)
		return (ctl_requests_answer(ctl, argc - 1, argv + 1,
		    ACTION_APPROVE));
	if (argc >= 2 && strcmp(argv[1], "decline") == 0)
		return (ctl_requests_answer(ctl, argc - 1, argv + 1,
		    ACTION_DECLINE));
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return (ctl_requests_list(ctl, argc - 1, argv + 1));
	return (ctl_requests_list(ctl, argc, argv));
}
