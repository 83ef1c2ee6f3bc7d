/* deadlinectl report: on-time figures per unit over a period. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "date.h"
#include "report.h"
#include "store.h"

/* Reads the options of report; 0 or -1. */
static int
ctl_report_options(int argc, char **argv, struct report_options *opt,
    enum output_format *fmt)
{
	static const struct option longopts[] = {
		{ "period", required_argument, NULL, 'P' },
		{ "unit", required_argument, NULL, 'u' },
		{ "plan", required_argument, NULL, 'p' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	int	ch;

	while ((ch = getopt_long(argc, argv, "P:u:p:f:", longopts,
	    NULL)) != -1) {
		if (ch == 'P' && report_parse_period(optarg,
		    &opt->period) == 0)
			continue;
		if (ch == 'P') {
			ctl_fail("--period '%s': expected YYYY, YYYY-H1, "
			    "YYYY-Q2 or YYYY-MM", optarg);
			return (-1);
		}
		if (ch == 'u')
			opt->unit = optarg;
		else if (ch == 'p')
			opt->plan = optarg;
		else if (ch != 'f' || ctl_format(optarg, fmt) != 0)
			return (-1);
	}
	return (optind == argc ? 0 : -1);
}

int
ctl_cmd_report(struct ctl *ctl, int argc, char **argv)
{
	struct report_options	 opt;
	struct report		 r;
	enum output_format	 fmt = OUTPUT_TABLE;
	struct store		*s;
	char			*cause = NULL, *text;

	memset(&opt, 0, sizeof opt);
	opt.today = date_today();
	report_period_set(&opt.period, REPORT_YEAR, date_year(opt.today), 0);
	if (ctl_report_options(argc, argv, &opt, &fmt) != 0)
		return (ctl_usage_name("report"));
	if ((s = ctl_store(ctl)) == NULL || ctl_calendar(ctl) == NULL)
		return (CTL_FAIL);
	if (report_build(s, ctl->calendar, &opt, &r, &cause) != 0) {
		ctl_fail("%s", cause);
		free(cause);
		return (CTL_FAIL);
	}
	if (fmt == OUTPUT_CSV)
		text = report_render_csv(&r);
	else if (fmt == OUTPUT_JSON)
		text = report_render_json(&r);
	else
		text = report_render_text(&r);
	fputs(text, stdout);
	if (fmt == OUTPUT_JSON)
		fputc('\n', stdout);
	free(text);
	report_clear(&r);
	return (CTL_OK);
}
