/*
 * bench_planonly: the planning pass of deadlined, timed in-process, for
 * bench/planning_vs_remind.sh.  Built with the daemon (CMakeLists.txt), so
 * that a change of an internal signature it calls breaks the build, not
 * the benchmark's next run.
 *   bench_planonly CONFIG NOW
 *	remind_pass() then dispatch_run(), under a VFS that counts the pages
 *	SQLite reads; prints "plan deliver units items escalations messages
 *	sent pages from to" (seconds, counts, the pass's window).
 *   bench_planonly --plan-only CONFIG NOW
 *	what a `deadlined --once` does around its planning and the planning
 *	alone: configuration, calendar, store, remind_pass(), close; prints
 *	nothing (timed from outside, as a whole process).
 *   bench_planonly --phases CONFIG NOW
 *	as --plan-only, and prints the seconds of each step since main().
 *   bench_planonly --start-up
 *	exits at once: the cost of starting the process (its libraries).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sqlite3.h>
#include "calendar.h"
#include "config.h"
#include "date.h"
#include "dispatch.h"
#include "remind.h"
#include "setup.h"
#include "store.h"
#include "xmalloc.h"
/* The default VFS behind one that counts the pages read (xRead calls). */
static sqlite3_vfs	*real, counting;
static sqlite3_io_methods methods;
static long		 reads;
struct file {
	sqlite3_file	 base;
	sqlite3_file	*real;
};
static int
count_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
	sqlite3_file	*r = ((struct file *)f)->real;

	reads++;
	return (r->pMethods->xRead(r, buf, n, off));
}
/* Each method but xRead is the real file's, called on the real file. */
#define FWD(name, args, call) static int name args { \
	sqlite3_file *r = ((struct file *)f)->real; return (r->pMethods->call); }
FWD(f_close, (sqlite3_file *f), xClose(r))
FWD(f_write, (sqlite3_file *f, const void *b, int n, sqlite3_int64 o),
    xWrite(r, b, n, o))
FWD(f_truncate, (sqlite3_file *f, sqlite3_int64 n), xTruncate(r, n))
FWD(f_sync, (sqlite3_file *f, int fl), xSync(r, fl))
FWD(f_size, (sqlite3_file *f, sqlite3_int64 *n), xFileSize(r, n))
FWD(f_lock, (sqlite3_file *f, int l), xLock(r, l))
FWD(f_unlock, (sqlite3_file *f, int l), xUnlock(r, l))
FWD(f_reserved, (sqlite3_file *f, int *o), xCheckReservedLock(r, o))
FWD(f_control, (sqlite3_file *f, int op, void *a), xFileControl(r, op, a))
FWD(f_sector, (sqlite3_file *f), xSectorSize(r))
FWD(f_device, (sqlite3_file *f), xDeviceCharacteristics(r))
FWD(f_shm_map, (sqlite3_file *f, int g, int n, int e, void volatile **p),
    xShmMap(r, g, n, e, p))
FWD(f_shm_lock, (sqlite3_file *f, int o, int n, int fl), xShmLock(r, o, n, fl))
FWD(f_shm_unmap, (sqlite3_file *f, int d), xShmUnmap(r, d))
static void
f_shm_barrier(sqlite3_file *f)
{
	sqlite3_file	*r = ((struct file *)f)->real;

	r->pMethods->xShmBarrier(r);
}
static int
count_open(sqlite3_vfs *v, const char *name, sqlite3_file *f, int fl, int *o)
{
	struct file	*cf = (struct file *)f;
	int		 rc;

	cf->real = (sqlite3_file *)(cf + 1);
	rc = real->xOpen(real, name, cf->real, fl, o);
	f->pMethods = cf->real->pMethods != NULL ? &methods : NULL;
	return (rc);
}
/* Installs the counting VFS as the default, before the store opens. */
static void
count_install(void)
{
	static const sqlite3_io_methods m = { 2, f_close, count_read, f_write,
	    f_truncate, f_sync, f_size, f_lock, f_unlock, f_reserved,
	    f_control, f_sector, f_device, f_shm_map, f_shm_lock,
	    f_shm_barrier, f_shm_unmap, NULL, NULL };

	methods = m;
	real = sqlite3_vfs_find(NULL);
	counting = *real;
	counting.zName = "counting";
	counting.szOsFile = (int)sizeof(struct file) + real->szOsFile;
	counting.xOpen = count_open;
	sqlite3_vfs_register(&counting, 1);
}
/* Seconds from a to now. */
static double
since(const struct timespec *a)
{
	struct timespec	b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return ((double)(b.tv_sec - a->tv_sec) + (b.tv_nsec - a->tv_nsec) / 1e9);
}

/* With --phases, prints the seconds since main() at the end of a step. */
static void
phase(int on, const struct timespec *start, const char *name)
{
	if (on)
		printf("%s %.4f\n", name, since(start));
}

/* The window of effective dates remind.c reads (remind_window). */
static void
pass_window(const struct config *cf, struct calendar *cal, time_t now,
    char *from, char *to)
{
	int	i, lead = 0, back;

	for (i = 0; i < cf->nlead; i++)
		if (cf->lead[i] > lead)
			lead = cf->lead[i];
	back = cf->overdue_every * cf->overdue_max;
	if (cf->escalate_after + 1 > back)
		back = cf->escalate_after + 1;
	date_format_iso(calendar_add_working_days(cal, date_of_time(now),
	    -(back + 1)), from);
	date_format_iso(calendar_add_working_days(cal, date_of_time(now),
	    lead), to);
}

int
main(int argc, char **argv)
{
	static volatile sig_atomic_t stop;
	struct config		*cf = NULL;
	struct calendar		*cal = NULL;
	struct store		*s = NULL;
	struct remind_stats	 rs;
	struct dispatch_stats	 ds;
	struct dispatch		*dp = NULL;
	struct timespec		 start, a;
	char			*cause = NULL;
	double			 plan, deliver;
	time_t			 now;
	long			 pages;
	int			 plan_only = 0, phases = 0;
	char			 from[11], to[11];

	clock_gettime(CLOCK_MONOTONIC, &start);
	if (argc == 2 && strcmp(argv[1], "--start-up") == 0)
		return (0);
	if (argc == 4 && strcmp(argv[1], "--plan-only") == 0)
		plan_only = 1;
	else if (argc == 4 && strcmp(argv[1], "--phases") == 0)
		plan_only = phases = 1;
	if (plan_only) {
		argc--;
		argv++;
	} else
		count_install();
	if (argc != 3 || date_parse_now(argv[2], &now) != 0) {
		fprintf(stderr, "usage: bench_planonly [--plan-only | --phases] "
		    "CONFIG NOW\n");
		return (1);
	}
	if ((cf = config_load(argv[1], &cause)) == NULL)
		goto fail;
	if (date_set_timezone(cf->timezone) != 0) {
		xasprintf(&cause, "bad timezone %s", cf->timezone);
		goto fail;
	}
	phase(phases, &start, "config");
	if ((cal = setup_calendar(cf, &cause)) == NULL)
		goto fail;
	phase(phases, &start, "calendar");
	if ((s = store_open(cf->db_path, 1, cf->busy_timeout_ms,
	    &cause)) == NULL)
		goto fail;
	phase(phases, &start, "store_open");
	date_set_now(now);
	reads = 0;
	clock_gettime(CLOCK_MONOTONIC, &a);
	if (remind_pass(s, cf, cal, now, &rs, &cause) != 0)
		goto fail;
	plan = since(&a);
	pages = reads;
	phase(phases, &start, "remind_pass");
	if (plan_only) {
		store_close(s);
		phase(phases, &start, "store_close");
		goto done;
	}
	pass_window(cf, cal, now, from, to);
	clock_gettime(CLOCK_MONOTONIC, &a);
	dp = dispatch_create();
	if (dispatch_run(dp, s, cf, now, &stop, NULL, &ds, &cause) != 0)
		goto fail;
	dispatch_free(dp, s);
	deliver = since(&a);
	printf("%.4f %.4f %d %d %d %d %d %ld %s %s\n", plan, deliver,
	    rs.units, rs.items, rs.escalations, rs.messages, ds.sent, pages,
	    from, to);
	store_close(s);
done:
	calendar_free(cal);
	config_free(cf);
	return (0);
fail:
	fprintf(stderr, "planonly: %s\n", cause != NULL ? cause : "failed");
	free(cause);
	if (dp != NULL)
		dispatch_free(dp, s);
	if (s != NULL)
		store_close(s);
	if (cal != NULL)
		calendar_free(cal);
	if (cf != NULL)
		config_free(cf);
	return (1);
}
