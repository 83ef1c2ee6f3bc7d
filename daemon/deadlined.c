/*
 * deadlined: the service.  It runs in the foreground (systemd Type=notify),
 * sleeps until the next thing to do, and acts on flags that its signal
 * handling sets: SIGHUP reloads into a fresh copy, SIGTERM/SIGINT stop
 * after the message in flight.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#ifdef HAVE_LIBSYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include "calendar.h"
#include "config.h"
#include "daemon.h"
#include "date.h"
#include "log.h"
#include "xmalloc.h"

/* Tells systemd about a state change, when run under it. */
static void
deadlined_notify(const char *state)
{
#ifdef HAVE_LIBSYSTEMD
	sd_notify(0, state);
#else
	(void)state;
#endif
}

/*
 * Raises the soft limit of open files to the hard one.  Each feed the HTTP
 * server sends from its file holds a descriptor, so a district of some 500
 * units passes systemd's default soft limit of 1024; the hard limit
 * (524288 under systemd) is there to be taken by a program that, like
 * this one, uses poll and epoll and never select.
 */
static void
deadlined_files(void)
{
	struct rlimit	rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= rl.rlim_max)
		return;
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		log_warnx("raising the limit of open files: %s",
		    strerror(errno));
}

/* Microseconds of the watchdog interval, 0 when none is set. */
static uint64_t
deadlined_watchdog(void)
{
	uint64_t	usec = 0;

#ifdef HAVE_LIBSYSTEMD
	if (sd_watchdog_enabled(0, &usec) <= 0)
		usec = 0;
#endif
	return (usec);
}

/* What the pass's tick reaches: set once in main(). */
static struct daemon	*deadlined_daemon;
static int		 deadlined_sigfd = -1;
static uint64_t		 deadlined_watchdog_usec;

static void	deadlined_read_signals(int, struct daemon *);

/*
 * Runs between two messages of a pass, two feed files and two stages: reads
 * pending signals (so SIGTERM and SIGHUP end the pass after the message in
 * flight) and feeds the watchdog, at most once a second.
 */
static void
deadlined_tick(void)
{
	static struct timespec	last;
	struct timespec		ts;

	if (deadlined_sigfd != -1)
		deadlined_read_signals(deadlined_sigfd, deadlined_daemon);
	if (deadlined_watchdog_usec == 0)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (last.tv_sec != 0 && ts.tv_sec - last.tv_sec < 1)
		return;
	last = ts;
	deadlined_notify("WATCHDOG=1");
}

static __attribute__((noreturn)) void
usage(void)
{
	fprintf(stderr, "usage: deadlined [-c CONFIG] [--now DATE[THH:MM]] "
	    "[--once] [-v]\n");
	exit(2);
}

/* Blocks the signals the loop handles and returns a signalfd for them. */
static int
deadlined_signals(void)
{
	sigset_t	set;
	int		fd;

	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	if (sigprocmask(SIG_BLOCK, &set, NULL) == -1)
		fatal("sigprocmask");
	if ((fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) == -1)
		fatal("signalfd");
	signal(SIGPIPE, SIG_IGN);
	return (fd);
}

/* Reads pending signals into the daemon's flags. */
static void
deadlined_read_signals(int fd, struct daemon *d)
{
	struct signalfd_siginfo	si;

	while (read(fd, &si, sizeof si) == (ssize_t)sizeof si) {
		if (si.ssi_signo == SIGHUP)
			d->reload = 1;
		else
			d->quit = 1;
		d->interrupted = 1;
	}
}

/*
 * Sleeps until a deadline, a signal, or a write into the database's folder
 * (another program's change).  The watchdog is fed here, without a pass,
 * so that it does not wake the loop's work.
 */
static void
deadlined_sleep(int sigfd, struct daemon *d, time_t until, uint64_t watchdog)
{
	struct pollfd	pfd[2];
	time_t		now;
	long		ms;
	nfds_t		n = 1;
	int		r;

	pfd[0].fd = sigfd;
	pfd[0].events = POLLIN;
	if (d->watch_fd != -1) {
		pfd[1].fd = d->watch_fd;
		pfd[1].events = POLLIN;
		n = 2;
	}
	for (;;) {
		if (until <= (now = date_now()))
			return;
		ms = (long)(until - now) * 1000;
		if (watchdog != 0 && ms > (long)(watchdog / 2000))
			ms = (long)(watchdog / 2000);
		if ((r = poll(pfd, n, (int)ms)) > 0)
			break;
		if (r == -1 && errno != EINTR)
			return;
		if (watchdog != 0)
			deadlined_notify("WATCHDOG=1");
	}
	if (pfd[0].revents & POLLIN)
		deadlined_read_signals(sigfd, d);
	if (n == 2 && (pfd[1].revents & POLLIN))
		daemon_watch_drain(d);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "now", required_argument, NULL, 'n' },
		{ "once", no_argument, NULL, 'o' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct daemon	 d;
	const char	*config = NULL, *now = NULL;
	uint64_t	 watchdog;
	time_t		 t, wake;
	int		 ch, once = 0, verbose = 0, sigfd, failed;

	while ((ch = getopt_long(argc, argv, "c:n:ovVh", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			config = optarg;
			break;
		case 'n':
			now = optarg;
			break;
		case 'o':
			once = 1;
			break;
		case 'v':
			verbose++;
			break;
		case 'V':
			printf("deadlined %s\n", DEADLINED_VERSION);
			return (0);
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	log_init("deadlined", verbose);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		fatalx("curl_global_init failed");
	if (config == NULL && (config = getenv("DEADLINED_CONFIG")) == NULL)
		config = config_default_path();
	deadlined_files();
	memset(&d, 0, sizeof d);
	d.once = once;
	/* Signals are read from the start: a pass notices them (--once too). */
	sigfd = deadlined_signals();
	deadlined_daemon = &d;
	deadlined_sigfd = sigfd;
	d.keepalive = deadlined_tick;
	daemon_start(&d, config);
	if (now != NULL) {
		if (date_parse_now(now, &t) != 0)
			fatalx("--now '%s': expected YYYY-MM-DD[THH:MM]", now);
		if (once)
			date_set_now(t);
		else
			date_set_running_now(t);
	}
	daemon_listen(&d);
	if (once) {
		daemon_pass(&d);
		/* daemon_stop() clears d: read the outcome first. */
		failed = d.failed;
		daemon_stop(&d);
		close(sigfd);
		curl_global_cleanup();
		return (failed ? 1 : 0);
	}
	daemon_watch(&d);
	watchdog = deadlined_watchdog();
	deadlined_watchdog_usec = watchdog;
	deadlined_notify("READY=1");
	log_info("started (config %s, database %s)", config, d.cf->db_path);
	while (!d.quit) {
		if (d.reload) {
			deadlined_notify("RELOADING=1");
			daemon_reload(&d);
			deadlined_notify("READY=1");
		}
		d.interrupted = 0;
		wake = daemon_pass(&d);
		if (watchdog != 0)
			deadlined_notify("WATCHDOG=1");
		if (!d.quit && !d.reload)
			deadlined_sleep(sigfd, &d, wake, watchdog);
	}
	deadlined_notify("STOPPING=1");
	log_info("stopping");
	daemon_stop(&d);
	close(sigfd);
	curl_global_cleanup();
	return (0);
}
