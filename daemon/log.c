/*
 * Logging to stderr.  Under journald (JOURNAL_STREAM set) each line carries a
 * "<N>" priority prefix and no timestamp; otherwise a local timestamp.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"

static const char	*log_progname = "deadlined";
static int		 log_verbose;
static int		 log_floor;	/* the command line's -v: a minimum */
static int		 log_journal;

void
log_init(const char *progname, int verbose)
{
	log_progname = progname;
	log_verbose = verbose;
	log_floor = verbose > 0 ? verbose : 0;
	log_journal = getenv("JOURNAL_STREAM") != NULL;
}

void
log_set_verbose(int verbose)
{
	log_verbose = verbose > log_floor ? verbose : log_floor;
}

/* Writes one line at priority pri, with errno's text when errnum is not 0. */
static void
log_vwrite(int pri, int errnum, const char *fmt, va_list ap)
{
	char		 msg[2048], stamp[32];
	struct tm	 tm;
	time_t		 now;

	vsnprintf(msg, sizeof msg, fmt, ap);
	if (log_journal) {
		if (errnum != 0)
			fprintf(stderr, "<%d>%s: %s\n", pri, msg, strerror(errnum));
		else
			fprintf(stderr, "<%d>%s\n", pri, msg);
		return;
	}
	now = time(NULL);
	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm);
	if (errnum != 0)
		fprintf(stderr, "%s %s: %s: %s\n", stamp, log_progname, msg,
		    strerror(errnum));
	else
		fprintf(stderr, "%s %s: %s\n", stamp, log_progname, msg);
}

void
log_warnx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_PRI_WARNING, 0, fmt, ap);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;

	va_start(ap, fmt);
	log_vwrite(LOG_PRI_WARNING, saved, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	ap;

	if (log_verbose < 0)
		return;
	va_start(ap, fmt);
	log_vwrite(LOG_PRI_INFO, 0, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	ap;

	if (log_verbose < 1)
		return;
	va_start(ap, fmt);
	log_vwrite(LOG_PRI_DEBUG, 0, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;

	va_start(ap, fmt);
	log_vwrite(LOG_PRI_ERR, saved, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_PRI_ERR, 0, fmt, ap);
	va_end(ap);
	exit(1);
}
