/*
 * Peers of the unit tests, shared by test_smtp and test_webhook (see
 * peer.h).  Not a test itself: tests/CMakeLists.txt globs test_*.c only
 * and links this file into each of them.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <limits.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "peer.h"
#include "scratch.h"
#include "xmalloc.h"

#define PEER_WAIT_MS	15000
#define PEER_MAX	4

char		 peer_cert[PATH_MAX], peer_key[PATH_MAX];
char		 peer_other_cert[PATH_MAX];
static char	*peer_script;
static pid_t	 peer_running[PEER_MAX];	/* to stop if a test fails */

/* Why the peers cannot run (python3, openssl(1) or the module), or 0. */
int
peer_missing(const char *module)
{
	char	cmd[256];

	if (access(PEER_PYTHON, X_OK) != 0 ||
	    system("openssl version >/dev/null 2>&1") != 0)
		return (1);
	if (module == NULL)
		return (0);
	snprintf(cmd, sizeof cmd, PEER_PYTHON " -c 'import %s' 2>/dev/null",
	    module);
	return (system(cmd) != 0);
}

/* Finds tests/peers/<script> from SRCDIR or from this file's path. */
static void
peer_find_script(const char *script)
{
	const char	*src = getenv("SRCDIR");
	const char	*slash = strrchr(__FILE__, '/');

	if (src != NULL)
		xasprintf(&peer_script, "%s/tests/peers/%s", src, script);
	else if (slash != NULL)
		xasprintf(&peer_script, "%.*s/../peers/%s",
		    (int)(slash - __FILE__), __FILE__, script);
	else
		xasprintf(&peer_script, "../peers/%s", script);
}

/* Makes a self-signed certificate for 127.0.0.1 with openssl(1). */
static int
peer_make_cert(const char *certfile, const char *keyfile)
{
	char	cmd[3 * PATH_MAX];

	snprintf(cmd, sizeof cmd, "openssl req -x509 -newkey rsa:2048 -nodes "
	    "-subj /CN=localhost -addext subjectAltName=IP:127.0.0.1,"
	    "DNS:localhost -days 2 -keyout '%s' -out '%s' 2>/dev/null",
	    keyfile, certfile);
	return (system(cmd) == 0 ? 0 : -1);
}

/* Makes the scratch folder of test <name>, its certificates; finds the peer. */
int
peer_setup(const char *name, const char *script)
{
	char	other_key[PATH_MAX];

	if (scratch_make(name) != 0)
		return (-1);
	snprintf(peer_cert, sizeof peer_cert, "%s/cert.pem", scratch_dir);
	snprintf(peer_key, sizeof peer_key, "%s/key.pem", scratch_dir);
	snprintf(peer_other_cert, sizeof peer_other_cert, "%s/other.pem",
	    scratch_dir);
	snprintf(other_key, sizeof other_key, "%s/otherkey.pem", scratch_dir);
	if (peer_make_cert(peer_cert, peer_key) != 0 ||
	    peer_make_cert(peer_other_cert, other_key) != 0)
		return (-1);
	peer_find_script(script);
	return (0);
}

/* Removes the scratch folder (a cmocka group teardown). */
int
peer_teardown(void **state)
{
	free(peer_script);
	peer_script = NULL;
	return (scratch_remove());
}

/* Records a started peer. */
static void
peer_remember(pid_t pid)
{
	size_t	i;

	for (i = 0; i < PEER_MAX; i++) {
		if (peer_running[i] == 0) {
			peer_running[i] = pid;
			return;
		}
	}
	fail_msg("too many peers");
}

/* Reads the "READY <port>" line of a peer within PEER_WAIT_MS; -1 if none. */
static int
peer_read_port(int fd)
{
	char		line[64];
	struct pollfd	pfd = { fd, POLLIN, 0 };
	int		got = 0, n, port = -1;

	line[0] = '\0';
	while (got < (int)sizeof line - 1 && strchr(line, '\n') == NULL) {
		if (poll(&pfd, 1, PEER_WAIT_MS) != 1)
			break;
		if ((n = read(fd, line + got, sizeof line - 1 - got)) <= 0)
			break;
		got += n;
		line[got] = '\0';
	}
	if (sscanf(line, "READY %d", &port) != 1)
		return (-1);
	return (port);
}

/* Starts the peer with "<option> p->path" and ap (NULL-ended). */
void
peer_startv(struct peer *p, const char *option, va_list ap)
{
	char		*argv[32];
	const char	*arg;
	int		 fds[2], argc = 0;

	argv[argc++] = (char *)PEER_PYTHON;
	argv[argc++] = peer_script;
	argv[argc++] = (char *)option;
	argv[argc++] = p->path;
	while ((arg = va_arg(ap, const char *)) != NULL && argc < 30)
		argv[argc++] = (char *)arg;
	argv[argc] = NULL;
	assert_int_equal(pipe(fds), 0);
	p->pid = fork();
	assert_true(p->pid != -1);
	if (p->pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execv(PEER_PYTHON, argv);
		_exit(127);
	}
	close(fds[1]);
	peer_remember(p->pid);
	p->port = peer_read_port(fds[0]);
	close(fds[0]);
	assert_true(p->port > 0);
}

/* Stops the peer. */
void
peer_stop(struct peer *p)
{
	size_t	i;

	kill(p->pid, SIGTERM);
	waitpid(p->pid, NULL, 0);
	for (i = 0; i < PEER_MAX; i++) {
		if (peer_running[i] == p->pid)
			peer_running[i] = 0;
	}
}

/* Stops the peers a failed test left running (a cmocka teardown). */
int
peer_stop_all(void **state)
{
	size_t	i;

	for (i = 0; i < PEER_MAX; i++) {
		if (peer_running[i] != 0) {
			kill(peer_running[i], SIGTERM);
			waitpid(peer_running[i], NULL, 0);
			peer_running[i] = 0;
		}
	}
	return (0);
}
