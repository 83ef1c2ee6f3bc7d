/* The service's pass and its (re)configuration. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "calendar.h"
#include "config.h"
#include "daemon.h"
#include "directory.h"
#include "dispatch.h"
#include "feed.h"
#include "httpd.h"
#include "httpd-feeds.h"
#include "ids.h"
#include "log.h"
#include "ownership.h"
#include "remind.h"
#include "report.h"
#include "schedule.h"
#include "setup.h"
#include "store.h"
#include "units.h"
#include "xmalloc.h"

/* Loads config, units and calendar; NULLs and *cause on any failure. */
static int
daemon_load(const char *path, struct config **cfp, struct units **up,
    struct calendar **calp, char **cause)
{
	char	*sub = NULL;

	*cfp = NULL;
	*up = NULL;
	*calp = NULL;
	if ((*cfp = config_load(path, cause)) == NULL)
		return (-1);
	if (config_check(*cfp, &sub) != 0 ||
	    (*up = setup_units(*cfp, &sub)) == NULL ||
	    (*calp = setup_calendar(*cfp, &sub)) == NULL) {
		*cause = sub;
		units_free(*up);
		config_free(*cfp);
		*up = NULL;
		*cfp = NULL;
		return (-1);
	}
	return (0);
}

/* Syncs the unit directory into the store in one transaction. */
static int
daemon_sync_units(struct daemon *d, struct units *u, char **cause)
{
	struct store_sync_stats	st;

	if (store_begin(d->store, cause) != 0)
		return (-1);
	if (directory_sync(d->store, u, &st, cause) != 0 ||
	    store_commit(d->store, cause) != 0) {
		store_rollback(d->store);
		return (-1);
	}
	if (st.added + st.changed + st.retired > 0)
		log_info("units: %d added, %d changed, %d retired", st.added,
		    st.changed, st.retired);
	return (0);
}

/*
 * cause, followed by which of the database's files this user cannot write,
 * whose they are and the fix, if any: "attempt to write a readonly
 * database" alone sends administrators searching.  Frees cause; caller
 * frees.
 */
static char *
daemon_ownership(struct daemon *d, char *cause)
{
	char	*why, *s;

	if ((why = ownership_problem(d->cf->db_path)) == NULL)
		return (cause);
	xasprintf(&s, "%s: %s", cause, why);
	free(why);
	free(cause);
	return (s);
}

/*
 * Takes the lock of the one daemon of a database: flock(2) on DB.lock
 * beside it, which holds the pid of the owner.  Two daemons would claim
 * each other's messages once a lease ran out, and send them twice.
 * Returns the descriptor (kept until exit), or -1 and *cause.
 */
static int
daemon_lock(const char *db_path, char **cause)
{
	char	*path, pid[32];
	ssize_t	 n;
	int	 fd;

	xasprintf(&path, "%s.lock", db_path);
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno != EWOULDBLOCK)
			xasprintf(cause, "%s: %s", path, strerror(errno));
		else {
			n = pread(fd, pid, sizeof pid - 1, 0);
			pid[n > 0 ? strcspn(pid, "\n") : 0] = '\0';
			xasprintf(cause, "%s: another deadlined (pid %s) is "
			    "already running on this database", db_path,
			    *pid != '\0' ? pid : "?");
		}
		close(fd);
		fd = -1;
		goto out;
	}
	n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n)
		log_warn("%s", path);
out:
	free(path);
	return (fd);
}

void
daemon_start(struct daemon *d, const char *path)
{
	char	*cause = NULL;

	d->config_path = path;
	d->lock_fd = -1;
	if (daemon_load(path, &d->cf, &d->units, &d->calendar, &cause) != 0)
		fatalx("%s", cause);
	log_set_verbose(d->cf->verbose);
	if (date_set_timezone(d->cf->timezone) != 0)
		fatalx("%s: unknown time zone %s", path, d->cf->timezone);
	if (mkdir(d->cf->state_dir, 0750) != 0 && errno != EEXIST)
		fatal("%s", d->cf->state_dir);
	if ((d->lock_fd = daemon_lock(d->cf->db_path, &cause)) == -1)
		fatalx("%s", daemon_ownership(d, cause));
	d->store = store_open(d->cf->db_path, 1, d->cf->busy_timeout_ms,
	    &cause);
	if (d->store == NULL)
		fatalx("%s", daemon_ownership(d, cause));
	/* A lock held for a while must not keep the service from starting. */
	if (daemon_sync_units(d, d->units, &cause) != 0) {
		cause = daemon_ownership(d, cause);
		log_warnx("units: %s; tried again at the next pass", cause);
		free(cause);
		d->units_pending = 1;
	}
	d->dispatch = dispatch_create();
	d->data_version = -1;
	d->watch_fd = -1;
	d->scheduled_day = DATE_NONE;
	d->scheduled_seq = -1;
	d->feeds_version = -1;
	d->feeds_day = DATE_NONE;
	d->feeds_signature = NULL;	/* not known: every feed first */
	d->feeds_seq = -1;
}

int
daemon_watch(struct daemon *d)
{
	char	*dir, *slash;
	int	 fd;

	d->watch_fd = -1;
	if ((fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) == -1)
		return (-1);
	dir = xstrdup(d->cf->db_path);
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	else {
		free(dir);
		dir = xstrdup(".");
	}
	if (inotify_add_watch(fd, dir, IN_MODIFY | IN_CLOSE_WRITE |
	    IN_MOVED_TO | IN_CREATE) == -1) {
		log_warn("inotify on %s; polling every 10 s instead", dir);
		close(fd);
		fd = -1;
	}
	free(dir);
	d->watch_fd = fd;
	return (fd);
}

void
daemon_watch_drain(struct daemon *d)
{
	char	buf[4096];

	while (d->watch_fd != -1 && read(d->watch_fd, buf, sizeof buf) > 0)
		;
}

void
daemon_listen(struct daemon *d)
{
	char	*cause = NULL;

	if (d->cf->http_enabled && !d->once &&
	    (d->httpd = httpd_start(d->cf, &cause)) == NULL)
		fatalx("%s", cause);
}

int
daemon_reload(struct daemon *d)
{
	struct config	*cf;
	struct units	*u;
	struct calendar	*cal;
	char		*cause = NULL;

	d->reload = 0;
	if (daemon_load(d->config_path, &cf, &u, &cal, &cause) != 0 ||
	    daemon_sync_units(d, u, &cause) != 0) {
		log_warnx("reload failed, keeping the running configuration: "
		    "%s", cause);
		free(cause);
		/* daemon_load left NULLs if it failed; sync leaves all three. */
		config_free(cf);
		units_free(u);
		calendar_free(cal);
		return (-1);
	}
	if (strcmp(cf->db_path, d->cf->db_path) != 0)
		log_warnx("database.path changed: takes effect on restart");
	free(cf->db_path);
	cf->db_path = xstrdup(d->cf->db_path);
	d->units_pending = 0;
	config_free(d->cf);
	units_free(d->units);
	calendar_free(d->calendar);
	d->cf = cf;
	d->units = u;
	d->calendar = cal;
	date_set_timezone(cf->timezone);
	log_set_verbose(cf->verbose);
	d->scheduled_day = DATE_NONE;
	d->feeds_version = -1;
	d->due = 0;
	dispatch_config_changed(d->store, date_now());
	log_info("configuration reloaded");
	return (0);
}

/*
 * A stage could not read or write the store (a full disk, a lock held past
 * the busy timeout).  The first failing pass of a run of them logs it; the
 * later ones only in debug, since they come back every few seconds to
 * minutes while the fault lasts (daemon_backoff()).
 */
static void
daemon_fault(struct daemon *d, const char *stage, char *cause)
{
	d->failed = 1;
	d->pass_faulted = 1;
	if (d->faults == 0 || d->once)
		log_warnx("%s: %s", stage, cause);
	else
		log_debug("%s: %s", stage, cause);
	free(cause);
}

/* Syncs the unit directory that could not be synced at start. */
static void
daemon_units_again(struct daemon *d)
{
	char	*cause = NULL;

	if (daemon_sync_units(d, d->units, &cause) != 0)
		daemon_fault(d, "units", cause);
	else
		d->units_pending = 0;
}

/* The tasks the change log names since the last scheduling. */
struct daemon_tasks {
	int64_t	*v;
	size_t	 n;
	size_t	 size;
	int	 all;		/* "everything": every task */
};

/* A store_change_cb: adds the task, or sets all (and stops) for (0, 0). */
static int
daemon_tasks_add(int64_t unit, int64_t task, void *arg)
{
	struct daemon_tasks	*t = arg;

	if (unit == 0) {
		t->all = 1;
		return (1);
	}
	if (t->n == t->size) {
		t->size = t->size == 0 ? 16 : t->size * 2;
		t->v = xreallocarray(t->v, t->size, sizeof *t->v);
	}
	t->v[t->n++] = task;
	return (0);
}

/* A store_change_cb that reads nothing: the number of the last change. */
static int
daemon_tasks_none(int64_t unit, int64_t task, void *arg)
{
	(void)unit;
	(void)task;
	(void)arg;
	return (1);
}

/*
 * Schedules what the change log says may schedule otherwise: every task,
 * or only the tasks of the occurrences changed since the last scheduling
 * of the same day under the same configuration.  What scheduling reads
 * is the tasks, plans, assignments and units (any write of those logs
 * "everything"), the calendar and options (a reload or a new day clears
 * scheduled_day) and a task's own occurrences: an occurrence done or
 * reopened, extended or moved changes what the sweep and the upsert do
 * for its task (a reopened occurrence of a date the rule no longer gives
 * is swept), never for another.  Scheduling the other tasks again on
 * inputs unchanged since they were scheduled writes nothing.  The log is
 * read inside the transaction (BEGIN IMMEDIATE: no other writer), and
 * the number kept is the last one at its end, this pass's own changes
 * included.  0, or -1 and *cause.
 */
static int
daemon_schedule_tasks(struct daemon *d, date_t today,
    const struct schedule_options *so, struct schedule_stats *ss,
    int64_t *last, char **cause)
{
	struct daemon_tasks	t;
	struct schedule_stats	one;
	int64_t			since;
	size_t			i;
	int			rc = 0;

	memset(&t, 0, sizeof t);
	memset(ss, 0, sizeof *ss);
	since = today == d->scheduled_day ? d->scheduled_seq : -1;
	if (store_changes_since(d->store, since, last, daemon_tasks_add, &t,
	    cause) != 0)
		return (-1);
	if (t.all)
		rc = schedule_plan(d->store, NULL, so, ss, cause);
	else if (t.n > 0) {
		t.n = ids_sort_unique(t.v, t.n);
		for (i = 0; rc == 0 && i < t.n; i++) {
			if ((rc = schedule_task(d->store, t.v[i], so, &one,
			    cause)) == 0) {
				ss->tasks += one.tasks;
				ss->occurrences += one.occurrences;
				ss->removed += one.removed;
			}
		}
	}
	free(t.v);
	if (rc == 0)
		rc = store_changes_since(d->store, *last, last,
		    daemon_tasks_none, NULL, cause);
	return (rc);
}

/* Materializes occurrences when the data or the day changed. */
static void
daemon_schedule(struct daemon *d, date_t today)
{
	struct schedule_options	so;
	struct schedule_stats	ss;
	char			*cause = NULL;
	int64_t			 last = -1;
	int			 dv;

	dv = store_data_version(d->store);
	if (dv == d->data_version && today == d->scheduled_day)
		return;
	setup_schedule(d->cf, d->calendar, &so);
	if (store_begin(d->store, &cause) != 0 ||
	    daemon_schedule_tasks(d, today, &so, &ss, &last, &cause) != 0 ||
	    store_changes_prune(d->store, STORE_CHANGES_KEEP, &cause) != 0 ||
	    store_commit(d->store, &cause) != 0) {
		store_rollback(d->store);
		d->scheduled_day = DATE_NONE;	/* every task next time */
		daemon_fault(d, "scheduling", cause);
		return;
	}
	log_debug("scheduled %d tasks, %d occurrences", ss.tasks,
	    ss.occurrences);
	d->data_version = store_data_version(d->store);
	d->scheduled_day = today;
	d->scheduled_seq = last;
}

/* Back to commits that wait for the disk, for everything but the heartbeat. */
static void
daemon_durable(struct daemon *d)
{
	char	*cause = NULL;

	if (store_durable(d->store, 1, &cause) != 0)
		daemon_fault(d, "database", cause);
}

/*
 * Records when the pass ran and when the next one is due.  This is the
 * heartbeat `deadlinectl status` reads, written every ten minutes when
 * idle: one prepared statement, its own commit, which does not wait for
 * the disk (losing the last heartbeat to a power cut costs nothing).  On
 * the idle machine an fdatasync, then the parsing of BEGIN and COMMIT,
 * were most of what a heartbeat cost (bench/idle.sh).
 */
static void
daemon_record(struct daemon *d, time_t now, time_t wake)
{
	char	*cause = NULL;

	if (store_durable(d->store, 0, &cause) != 0 ||
	    store_heartbeat(d->store, now, wake, &cause) != 0)
		daemon_fault(d, "recording the pass", cause);
	/*
	 * d->data_version is left alone: this connection's commits do not
	 * change it, and reading it here would swallow a change another
	 * program made during the pass (a task marked done while sending).
	 */
	daemon_durable(d);
}

/*
 * Where a daemon without an HTTP server (deadlined --once from cron)
 * keeps what its feed files show, for the next run: "SIGNATURE SEQ".
 */
#define DAEMON_FEEDS_META	"feeds_state"

/*
 * Remembers what the feed files just written show: in memory, and in the
 * store for a daemon without an HTTP server.  Not stored, the next run
 * renders what changed since the number stored before: more, not less.
 */
static void
daemon_feeds_record(struct daemon *d, const char *signature, int64_t seq)
{
	char	*value, *cause = NULL;

	if (d->feeds_signature != NULL && seq == d->feeds_seq &&
	    strcmp(signature, d->feeds_signature) == 0)
		return;
	free(d->feeds_signature);
	d->feeds_signature = xstrdup(signature);
	d->feeds_seq = seq;
	if (d->httpd != NULL)
		return;
	xasprintf(&value, "%s %lld", signature, (long long)seq);
	if (store_begin(d->store, &cause) != 0 ||
	    store_meta_set(d->store, DAEMON_FEEDS_META, value, &cause) != 0 ||
	    store_commit(d->store, &cause) != 0) {
		store_rollback(d->store);
		log_warnx("feeds: %s", cause);
		free(cause);
	}
	free(value);
}

/*
 * Reads what a previous run's feed files show, once, for a daemon
 * without an HTTP server; a serving daemon renders every feed at its
 * first pass (it reads them all to serve them anyway).  A value that
 * cannot be read or parsed leaves it unknown: every feed is rendered.
 */
static void
daemon_feeds_load(struct daemon *d)
{
	char		*value = NULL, *cause = NULL, *sp, *end;
	long long	 seq;

	if (d->httpd != NULL || d->feeds_signature != NULL)
		return;
	if (store_meta_get(d->store, DAEMON_FEEDS_META, &value, &cause) != 0) {
		log_warnx("feeds: %s", cause);
		free(cause);
		return;
	}
	if (value != NULL && (sp = strchr(value, ' ')) != NULL) {
		*sp++ = '\0';
		errno = 0;
		seq = strtoll(sp, &end, 10);
		if (errno == 0 && end != sp && *end == '\0' && seq >= 0) {
			d->feeds_signature = xstrdup(value);
			d->feeds_seq = seq;
		}
	}
	free(value);
}

/* Hands the feed files written to the HTTP server; 0 or -1. */
static int
daemon_serve_feeds(struct daemon *d, const struct feed_stats *fs,
    char **cause)
{
	struct httpd_feed	*v;
	size_t			 i;
	int			 rc;

	v = xcalloc(fs->nfiles + 1, sizeof *v);
	for (i = 0; i < fs->nfiles; i++) {
		v[i].name = fs->files[i].name;
		v[i].token = fs->files[i].token;
		v[i].path = fs->files[i].path;
	}
	rc = httpd_set_feeds(d->httpd, v, fs->nfiles, cause);
	free(v);
	return (rc);
}

/*
 * Rewrites the feeds when the data or the day changed, and serves them.
 * Only the feeds that show a unit the change log names since the files
 * were written are rendered (feed_write_changed); every feed when what
 * else they depend on changed (a new day, the settings, the link key:
 * feed_signature), when "everything" changed (a task, plan, unit or
 * assignment written), or when that is not known (the first pass of a
 * serving daemon).  The change log is read before rendering: a write
 * during the pass is rendered now or again at the next, never missed.
 */
static void
daemon_feeds(struct daemon *d, time_t now)
{
	struct feed_stats	 fs;
	struct feed_units	 fu;
	char			*cause = NULL, *signature = NULL;
	int64_t			 since = -1, last = -1;
	date_t			 today = date_of_time(now);
	int			 dv = store_data_version(d->store);

	if (dv == d->feeds_version && today == d->feeds_day)
		return;
	memset(&fs, 0, sizeof fs);
	memset(&fu, 0, sizeof fu);
	daemon_feeds_load(d);
	if ((signature = feed_signature(d->store, d->cf, today,
	    &cause)) == NULL)
		goto fail;
	if (d->feeds_signature != NULL &&
	    strcmp(signature, d->feeds_signature) == 0)
		since = d->feeds_seq;
	if (store_changes_since(d->store, since, &last, feed_units_add, &fu,
	    &cause) != 0)
		goto fail;
	if (feed_write_changed(d->store, d->cf, now, &fu, d->keepalive, &fs,
	    &cause) != 0 ||
	    (d->httpd != NULL && daemon_serve_feeds(d, &fs, &cause) != 0))
		goto fail;
	if (fs.written > 0)
		log_info("feeds: %d files written", fs.written);
	log_debug("feeds: %d files rendered, %d kept unread (%s)",
	    (int)fs.nfiles - fs.kept, fs.kept, fu.all ? "every feed" :
	    "changed units");
	d->feeds_version = dv;
	d->feeds_day = today;
	daemon_feeds_record(d, signature, last);
	goto out;
fail:
	/* Not a reason to back off, but said once while the store fails. */
	if (d->faults == 0 || d->once)
		log_warnx("feeds: %s", cause);
	else
		log_debug("feeds: %s", cause);
	free(cause);
	d->failed = 1;
out:
	free(signature);
	feed_units_clear(&fu);
	feed_stats_clear(&fs);
}

/* Hands the HTTP server the health document of this pass. */
static void
daemon_health(struct daemon *d, time_t now, time_t wake)
{
	int64_t	 c[5] = { 0, 0, 0, 0, 0 };
	json_t	*o;
	char	*text, *cause = NULL;

	if (store_outbox_counts(d->store, c, &cause) != 0) {
		log_warnx("health: %s", cause);
		free(cause);
	}
	o = json_pack("{s:I, s:I, s:I, s:I, s:I, s:b}", "last_pass",
	    (json_int_t)now, "next_wake", (json_int_t)wake, "outbox_pending",
	    (json_int_t)c[0], "outbox_failed", (json_int_t)c[3], "outbox_dead",
	    (json_int_t)c[4], "failures", d->failed);
	text = json_dumps(o, JSON_COMPACT);
	httpd_set_health(d->httpd, text);
	free(text);
	json_decref(o);
}

/*
 * Caps a wake-up for the things no timer announces.  Changes made by
 * deadlinectl are noticed within 10 seconds: by a poll, or at once through
 * the watch, which leaves only the heartbeat to wake the loop.
 */
static time_t
daemon_poll(struct daemon *d, time_t now, time_t wake)
{
	time_t	t;

	if (d->watch_fd == -1)
		t = now + 10;
	else
		t = d->recorded + STORE_HEARTBEAT_SECONDS;
	if (t <= now)
		t = now + 1;
	return (t < wake ? t : wake);
}

/* The earliest of the next send time, retry and midnight; then a poll. */
static time_t
daemon_next(struct daemon *d, time_t now)
{
	time_t	wake, t;
	char	*cause = NULL;

	wake = remind_next(d->cf, d->calendar, now);
	if ((t = store_outbox_next(d->store, &cause)) < 0) {
		/* Unknown: look again within a poll, as after a retry. */
		log_warnx("outbox: %s", cause);
		free(cause);
		t = now + 1;
	}
	if (t != 0 && t < wake)
		wake = t > now ? t : now + 1;
	t = date_time_at(date_of_time(now) + 1, 0, 0);
	if (t < wake)
		wake = t;
	d->due = wake;
	return (daemon_poll(d, now, wake));
}

/*
 * An idle poll: nothing is due and no other connection wrote since the
 * last pass, so only a heartbeat (every STORE_HEARTBEAT_SECONDS) is
 * written.  While the store fails, nothing at all before the backoff ends.
 * Returns the next wake-up, or 0 when a full pass is needed.
 */
static time_t
daemon_idle(struct daemon *d, time_t now, int dv)
{
	time_t	wake;
	int	beat;

	if (now < d->backoff_until)
		return (d->backoff_until);
	if (d->due == 0 || now >= d->due || dv != d->data_version)
		return (0);
	beat = now - d->recorded >= STORE_HEARTBEAT_SECONDS;
	if (beat)
		d->recorded = now;	/* a failed record is not retried at once */
	wake = daemon_poll(d, now, d->due);
	if (beat)
		daemon_record(d, now, wake);
	return (wake);
}

/*
 * After a pass in which the store failed, the next one waits 1 s, then 2,
 * 4 ... up to 5 minutes: a full disk must not turn the loop into a flood of
 * passes and log lines.  The first pass that works again says so.
 */
static time_t
daemon_backoff(struct daemon *d, time_t now, time_t wake)
{
	long	delay;

	if (!d->pass_faulted) {
		if (d->faults > 0)
			log_info("the database works again, after %d failed "
			    "passes over %lld s", d->faults,
			    (long long)(now - d->fault_since));
		d->faults = 0;
		d->backoff_until = 0;
		return (wake);
	}
	delay = d->faults < 9 ? 1L << d->faults : 300;
	if (delay > 300)
		delay = 300;
	if (d->faults == 0) {
		d->fault_since = now;
		if (!d->once)
			log_warnx("passes paused after a database failure: "
			    "next in 1 s, then less often (at most every 5 "
			    "minutes) until it works again");
	}
	d->faults++;
	d->backoff_until = now + delay;
	d->due = d->backoff_until;
	return (d->backoff_until);
}

/* Polls signals; 1 if one asks the pass to end (quit or reload). */
static int
daemon_interrupted(struct daemon *d)
{
	if (d->keepalive != NULL)
		d->keepalive();
	return (d->interrupted);
}

/* Plans the messages that are due and queues the reports. */
static void
daemon_plan(struct daemon *d, time_t now, int *messages)
{
	struct remind_stats	rs;
	char			*cause = NULL;
	int			 queued;

	memset(&rs, 0, sizeof rs);
	if (remind_pass(d->store, d->cf, d->calendar, now, &rs, &cause) != 0) {
		daemon_fault(d, "planning", cause);
		cause = NULL;
	} else if (rs.messages > 0)
		log_info("queued %d messages: %d digests with %d items, %d "
		    "escalations", rs.messages, rs.units, rs.items,
		    rs.escalations);
	if (rs.skipped_units > 0)
		log_warnx("%d units have no address for the configured channel",
		    rs.skipped_units);
	*messages = rs.messages;
	if (daemon_interrupted(d))
		return;
	/* As before, a report that fails fails alone: no backoff for it. */
	if (report_queue_due(d->store, d->cf, d->calendar, now, &queued,
	    &cause) != 0) {
		if (d->faults == 0 || d->once)
			log_warnx("report: %s", cause);
		free(cause);
	} else if (queued > 0)
		log_info("queued %d on-time report messages", queued);
}

/* Delivers the outbox; the number of messages sent. */
static int
daemon_dispatch(struct daemon *d, time_t now)
{
	struct dispatch_stats	ds;
	char			*cause = NULL;

	if (dispatch_run(d->dispatch, d->store, d->cf, now, &d->interrupted,
	    d->keepalive, &ds, &cause) != 0)
		daemon_fault(d, "delivery stopped", cause);
	if (ds.sent + ds.retried + ds.failed + ds.dead + ds.deferred > 0)
		log_info("delivery: %d sent, %d to retry, %d failed, %d dead, "
		    "%d waiting for their destination", ds.sent, ds.retried,
		    ds.failed, ds.dead, ds.deferred);
	if (ds.unrecorded > 0 && (d->faults == 0 || d->once))
		log_warnx("delivery: %d results kept until the database takes "
		    "them", ds.unrecorded);
	return (ds.sent);
}

time_t
daemon_pass(struct daemon *d)
{
	time_t	now = date_now(), wake;
	int	dv, messages = 0, sent = 0, record;

	dv = store_data_version(d->store);
	if ((wake = daemon_idle(d, now, dv)) != 0)
		return (wake);
	d->pass_faulted = 0;
	if (d->units_pending)
		daemon_units_again(d);
	daemon_schedule(d, date_of_time(now));
	if (!daemon_interrupted(d))
		daemon_plan(d, now, &messages);
	if (!daemon_interrupted(d))
		sent = daemon_dispatch(d, now);
	if (!daemon_interrupted(d))
		daemon_feeds(d, now);
	if (daemon_interrupted(d))
		return (now);
	record = dv == d->data_version || messages > 0 || sent > 0 ||
	    d->pass_faulted;
	if (record)
		d->recorded = now;	/* the next heartbeat counts from here */
	wake = daemon_next(d, now);
	if (record && !d->pass_faulted)
		daemon_record(d, now, wake);
	wake = daemon_backoff(d, now, wake);
	if (d->httpd != NULL)
		daemon_health(d, now, wake);
	return (wake);
}

void
daemon_stop(struct daemon *d)
{
	if (d->watch_fd != -1)
		close(d->watch_fd);
	httpd_stop(d->httpd);
	dispatch_free(d->dispatch, d->store);
	store_close(d->store);
	if (d->lock_fd != -1)
		close(d->lock_fd);
	units_free(d->units);
	calendar_free(d->calendar);
	config_free(d->cf);
	free(d->feeds_signature);
	memset(d, 0, sizeof *d);
}
