/*
 * The daemon's stages run once by a unit test (see passes.h).  Not a test
 * itself: tests/CMakeLists.txt links it into each test_*.c.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "dispatch.h"
#include "passes.h"
#include "schedule.h"
#include "store.h"

void
pass_schedule(struct store *s, struct calendar *cal, enum calendar_rule rule,
    date_t today, date_t horizon, int past)
{
	struct schedule_options	so;
	struct schedule_stats	ss;
	char			*cause = NULL;

	memset(&so, 0, sizeof so);
	so.calendar = cal;
	so.rule = rule;
	so.today = today;
	so.horizon = horizon;
	so.past_import = past;
	if (schedule_plan(s, NULL, &so, &ss, &cause) != 0)
		fail_msg("%s", cause);
}

struct dispatch_stats
pass_dispatch(struct store *s, const struct config *cf, time_t now)
{
	struct dispatch		*dp = dispatch_create();
	struct dispatch_stats	 ds;
	volatile sig_atomic_t	 stop = 0;
	char			*cause = NULL;

	memset(&ds, 0, sizeof ds);
	if (dispatch_run(dp, s, cf, now, &stop, NULL, &ds, &cause) != 0)
		fail_msg("%s", cause);
	dispatch_free(dp, s);
	return (ds);
}
