/*
 * Peers of the unit tests: a program of tests/peers/ (aiosmtpd, an HTTP
 * receiver) started by Debian's python3 on 127.0.0.1 for one test, in a
 * scratch folder with two self-signed certificates made for the run.
 */
#ifndef PEER_H
#define PEER_H

#include <sys/types.h>

#include <limits.h>
#include <stdarg.h>

#define PEER_PYTHON	"/usr/bin/python3"

/* One running peer. */
struct peer {
	pid_t	 pid;
	int	 port;			/* from its "READY <port>" line */
	char	 path[PATH_MAX];	/* where it writes what it received */
};

/* The certificates of peer_setup(), in the scratch folder (scratch.h). */
extern char	 peer_cert[PATH_MAX], peer_key[PATH_MAX];
extern char	 peer_other_cert[PATH_MAX];	/* signed by nobody peers use */

int	 peer_missing(const char *);
int	 peer_setup(const char *, const char *);
int	 peer_teardown(void **);
void	 peer_startv(struct peer *, const char *, va_list);
void	 peer_stop(struct peer *);
int	 peer_stop_all(void **);

#endif
