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
#include "store.h"

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
