/* The calendar, scheduler options and unit directory from a configuration. */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "setup.h"
#include "units.h"
#include "xmalloc.h"

struct calendar *
setup_calendar(const struct config *cf, char **cause)
{
	struct calendar_options	 opt;
	struct calendar		*cal;
	int			 mask;

	calendar_default_options(&opt);
	if ((mask = calendar_weekend_mask(cf->weekend)) < 0) {
		xasprintf(cause, "calendar.weekend '%s': unknown day name",
		    cf->weekend);
		return (NULL);
	}
	opt.weekend = (unsigned)mask;
	opt.national_day_extra = cf->national_day_extra;
	if ((cal = calendar_new(&opt)) == NULL) {
		xasprintf(cause, "calendar options are not valid (weekend '%s',"
		    " national_day_extra %d)", cf->weekend,
		    cf->national_day_extra);
		return (NULL);
	}
	if (*cf->days_off_file != '\0' &&
	    calendar_load_overrides(cal, cf->days_off_file, cause) != 0) {
		calendar_free(cal);
		return (NULL);
	}
	return (cal);
}

void
setup_schedule(const struct config *cf, struct calendar *cal,
    struct schedule_options *so)
{
	memset(so, 0, sizeof *so);
	so->calendar = cal;
	so->rule = cf->dayoff_rule;
	so->today = date_today();
	so->horizon = so->today + cf->horizon_days;
}

struct units *
setup_units(const struct config *cf, char **cause)
{
	struct units	*u;

	if ((u = units_load(cf->units_file, cause)) == NULL)
		return (NULL);
	units_default_lang(u, cf->default_lang == CONFIG_LANG_EN ? "en" :
	    "vi");
	return (u);
}
