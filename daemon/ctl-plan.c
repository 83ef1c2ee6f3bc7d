/*
 * deadlinectl plan: the imported plans, and whom each plan's replies reach
 * (a digest whose items all come from one plan says its Reply-To).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "mime.h"
#include "store.h"
#include "xmalloc.h"

/* Adds one plan to the listing. */
static int
ctl_plan_row(const struct store_plan *p, void *arg)
{
	struct output	*out = arg;

	output_row(out);
	output_str(out, p->code);
	output_str(out, p->title);
	output_int(out, p->year);
	output_date(out, p->starts);
	output_date(out, p->ends);
	output_str(out, p->reply_to);
	return (0);
}

/* deadlinectl plan list [--format F]. */
static int
ctl_plan_list(struct ctl *ctl, int argc, char **argv)
{
	static const char *const columns[] = { "code", "title", "year",
	    "starts", "ends", "reply_to", NULL };
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	enum output_format	 fmt = OUTPUT_TABLE;
	struct output		*out;
	char			*cause = NULL;
	int			 ch;

	while ((ch = getopt_long(argc, argv, "f:", longopts, NULL)) != -1) {
		if (ch == 'f' && ctl_format(optarg, &fmt) == 0)
			continue;
		return (ctl_usage_name("plan"));
	}
	if (optind != argc)
		return (ctl_usage_name("plan"));
	if (ctl_store(ctl) == NULL)
		return (CTL_FAIL);
	out = output_new(fmt, columns);
	output_whole(out, "reply_to");
	if (store_plans(ctl->store, ctl_plan_row, out, &cause) != 0) {
		free(output_string(out));
		ctl_fail("cannot read the plans: %s", cause);
		free(cause);
		return (CTL_FAIL);
	}
	output_finish(out, stdout);
	return (CTL_OK);
}

/*
 * deadlinectl plan reply-to PLAN ADDRESS|--clear: one address, checked as
 * [smtp] reply_to is (no CR or LF, local@domain).
 */
static int
ctl_plan_reply_to(struct ctl *ctl, int argc, char **argv)
{
	const char	*plan, *addr;
	char		*cause = NULL;
	int		 rc;

	if (argc != 3)
		return (ctl_usage_name("plan"));
	plan = argv[1];
	addr = strcmp(argv[2], "--clear") == 0 ? NULL : argv[2];
	if (addr != NULL && mime_check_address(addr, &cause) != 0) {
		ctl_fail("plan %s: reply-to: expected one address "
		    "local@domain: %s", plan, cause);
		free(cause);
		return (CTL_FAIL);
	}
	if (ctl_store(ctl) == NULL)
		return (CTL_FAIL);
	if (store_begin(ctl->store, &cause) != 0 ||
	    (rc = store_plan_set_reply_to(ctl->store, plan, addr,
	    &cause)) < 0 || store_commit(ctl->store, &cause) != 0) {
		store_rollback(ctl->store);
		ctl_fail("plan %s: %s", plan, cause);
		free(cause);
		return (CTL_FAIL);
	}
	if (rc == 1)
		return (ctl_fail("unknown plan '%s'", plan));
	return (CTL_OK);
}

int
ctl_cmd_plan(struct ctl *ctl, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "reply-to") == 0)
		return (ctl_plan_reply_to(ctl, argc - 1, argv + 1));
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return (ctl_plan_list(ctl, argc - 1, argv + 1));
	return (ctl_plan_list(ctl, argc, argv));
}
