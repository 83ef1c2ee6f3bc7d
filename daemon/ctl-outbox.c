/* deadlinectl outbox: what is queued, sent, failed or dead, and retry. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "ctl.h"
#include "store.h"

/* Formats an instant as local ISO text, or "" for 0. */
static void
ctl_time_text(time_t t, char buf[32])
{
	struct tm	tm;

	buf[0] = '\0';
	if (t == 0)
		return;
	localtime_r(&t, &tm);
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%S", &tm);
}

/* Adds one message to the listing. */
static int
ctl_outbox_row(const struct store_outbox *m, void *arg)
{
	struct output	*out = arg;
	char		 buf[32];

	output_row(out);
	output_int(out, m->id);
	output_str(out, m->state);
	output_str(out, m->day);
	output_str(out, m->kind);
	output_str(out, m->channel);
	output_str(out, m->unit_code);
	output_str(out, m->recipient);
	output_int(out, m->attempts);
	ctl_time_text(strcmp(m->state, "sent") == 0 ? m->sent_at :
	    m->next_attempt, buf);
	output_str(out, buf);
	output_str(out, m->last_error);
	output_str(out, m->key);
	output_str(out, m->subject);
	return (0);
}

/* deadlinectl outbox retry ID. */
static int
ctl_outbox_retry(struct ctl *ctl, const char *arg)
{
	struct store	*s;
	char		*cause = NULL;
	long		 id;

	if (config_parse_long(arg, 1, 0x7fffffffL, &id) != 0)
		return (ctl_usage_name("outbox"));
	if ((s = ctl_store(ctl)) == NULL)
		return (CTL_FAIL);
	if (store_begin(s, &cause) != 0 ||
	    store_outbox_retry(s, id, date_now(), &cause) != 0 ||
	    store_commit(s, &cause) != 0) {
		store_rollback(s);
		ctl_fail("%s", cause);
		free(cause);
		return (CTL_FAIL);
	}
	printf("message %ld: pending, sent on the daemon's next pass\n", id);
	return (CTL_OK);
}

int
ctl_cmd_outbox(struct ctl *ctl, int argc, char **argv)
{
	static const char *const columns[] = { "id", "state", "day", "kind",
	    "channel", "unit", "recipient", "attempts", "when", "last_error",
	    "key", "subject", NULL };
	static const char *states[] = { "pending", "sending", "sent",
	    "failed", "dead", NULL };
	static const struct option longopts[] = {
		{ "state", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	enum output_format	 fmt = OUTPUT_TABLE;
	const char		*state = NULL;
	char			*cause = NULL;
	struct output		*out;
	struct store		*s;
	int			 ch, i;

	while ((ch = getopt_long(argc, argv, "s:f:", longopts, NULL)) != -1) {
		if (ch == 's') {
			for (i = 0; states[i] != NULL; i++)
				if (strcmp(states[i], optarg) == 0)
					break;
			if (states[i] == NULL)
				return (ctl_fail("unknown state '%s' (pending, "
				    "sending, sent, failed, dead)", optarg));
			state = optarg;
		} else if (ch != 'f' || ctl_format(optarg, &fmt) != 0)
			return (ctl_usage_name("outbox"));
	}
	if (optind + 2 == argc && strcmp(argv[optind], "retry") == 0)
		return (ctl_outbox_retry(ctl, argv[optind + 1]));
	if (optind != argc)
		return (ctl_usage_name("outbox"));
	if ((s = ctl_store(ctl)) == NULL)
		return (CTL_FAIL);
	out = output_new(fmt, columns);
	if (store_outbox_list(s, state, ctl_outbox_row, out, &cause) != 0) {
		free(output_string(out));
		ctl_fail("%s", cause);
		free(cause);
		return (CTL_FAIL);
	}
	output_finish(out, stdout);
	return (CTL_OK);
}
