/*
 * The HTTP server's guard: whole-request deadlines and per-address limits
 * (see httpd-guard.h for what and why).  libmicrohttpd calls the accept
 * policy, the connection notifier and the access handler on its one
 * thread; the guard's own thread, the reaper, only reads the deadlines
 * and shuts sockets down.  A socket is shut down only while its
 * connection is in the list under the lock, and libmicrohttpd takes a
 * connection out of it (the CLOSED notice) before it closes the
 * descriptor, so no descriptor number is ever reused under the reaper.
 */
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "config.h"
#include "httpd-guard.h"
#include "log.h"
#include "xmalloc.h"

#define GUARD_BUCKETS		256
#define GUARD_FAIL_SLOTS	1024	/* addresses whose failures count */
#define GUARD_FORWARDED_MAX	1024	/* bytes of X-Forwarded-For read */

/* What an address holds: connections (a direct peer), requests (proxied). */
struct guard_count {
	struct config_ip	 ip;
	unsigned		 conns;
	unsigned		 requests;
	struct guard_count	*next;
};

/* One connection: its peer, its current request's client, its deadline. */
struct guard_conn {
	struct MHD_Connection	*c;
	int			 fd;
	struct config_ip	 peer;
	int			 proxied;	/* peer is a trusted proxy */
	struct config_ip	 client;	/* forwarded: counted here */
	int			 forwarded;
	int64_t			 deadline;	/* monotonic ns */
	int			 armed;
	int			 cut;
	struct guard_conn	*prev, *next;
};

/*
 * The failures of an address in its window.  A fixed table: an address
 * takes the slot of its hash when that slot's window is over or it held
 * few failures; two busy addresses in one slot share a count, which errs
 * on the side of refusing.
 */
struct guard_fail {
	struct config_ip	 ip;
	unsigned		 count;
	int64_t			 since;		/* monotonic ns */
};

struct httpd_guard {
	struct guard_fail	 fails[GUARD_FAIL_SLOTS];
	pthread_mutex_t		 lock;
	pthread_cond_t		 wake;
	pthread_t		 reaper;
	int			 stopping;
	int			 idle;		/* the reaper has no deadline */
	int64_t			 timeout;	/* ns */
	unsigned		 per_address;
	struct config_ip	 proxies[CONFIG_MAX_PROXIES];
	int			 nproxies;
	struct guard_count	*buckets[GUARD_BUCKETS];
	struct guard_conn	*conns;
	unsigned		 cut;
};

/* The monotonic clock in nanoseconds. */
static int64_t
guard_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec);
}

/* An address of a socket as a config_ip (IPv4 mapped); 0 or -1. */
static int
guard_ip_of(const struct sockaddr *sa, struct config_ip *ip)
{
	const struct sockaddr_in	*sin = (const struct sockaddr_in *)sa;
	const struct sockaddr_in6	*sin6 = (const struct sockaddr_in6 *)sa;

	memset(ip, 0, sizeof *ip);
	if (sa == NULL)
		return (-1);
	if (sa->sa_family == AF_INET6) {
		memcpy(ip->addr, &sin6->sin6_addr, 16);
		return (0);
	}
	if (sa->sa_family != AF_INET)
		return (-1);
	ip->addr[10] = ip->addr[11] = 0xff;
	memcpy(ip->addr + 12, &sin->sin_addr, 4);
	return (0);
}

/* 1 if ip is one of n proxies. */
static int
guard_in(const struct config_ip *ip, const struct config_ip *proxies, int n)
{
	int	i;

	for (i = 0; i < n; i++)
		if (memcmp(ip->addr, proxies[i].addr, 16) == 0)
			return (1);
	return (0);
}

/* The count of an address, made when create; the caller holds the lock. */
static struct guard_count *
guard_count(struct httpd_guard *g, const struct config_ip *ip, int create)
{
	struct guard_count	*e;
	uint32_t		 h = 2166136261u;
	int			 i;

	for (i = 0; i < 16; i++)
		h = (h ^ ip->addr[i]) * 16777619u;
	for (e = g->buckets[h % GUARD_BUCKETS]; e != NULL; e = e->next)
		if (memcmp(e->ip.addr, ip->addr, 16) == 0)
			return (e);
	if (!create)
		return (NULL);
	e = xcalloc(1, sizeof *e);
	e->ip = *ip;
	e->next = g->buckets[h % GUARD_BUCKETS];
	g->buckets[h % GUARD_BUCKETS] = e;
	return (e);
}

/* Drops an address that holds nothing; the caller holds the lock. */
static void
guard_count_drop(struct httpd_guard *g, struct guard_count *e)
{
	struct guard_count	**p;
	uint32_t		  h = 2166136261u;
	int			  i;

	if (e->conns > 0 || e->requests > 0)
		return;
	for (i = 0; i < 16; i++)
		h = (h ^ e->ip.addr[i]) * 16777619u;
	for (p = &g->buckets[h % GUARD_BUCKETS]; *p != e; p = &(*p)->next)
		;
	*p = e->next;
	free(e);
}

/* Sets a connection's deadline from now; the caller holds the lock. */
static void
guard_arm(struct httpd_guard *g, struct guard_conn *gc)
{
	gc->deadline = guard_now() + g->timeout;
	gc->armed = 1;
	if (g->idle)
		pthread_cond_signal(&g->wake);
}

/*
 * The reaper: shuts down the socket of every connection past its
 * deadline, then sleeps until the next deadline (or until one is set).
 */
static void *
guard_reaper(void *arg)
{
	struct httpd_guard	*g = arg;
	struct guard_conn	*gc;
	struct timespec		 ts;
	int64_t			 now, next;

	pthread_mutex_lock(&g->lock);
	while (!g->stopping) {
		now = guard_now();
		next = 0;
		for (gc = g->conns; gc != NULL; gc = gc->next) {
			if (!gc->armed || gc->cut)
				continue;
			if (gc->deadline <= now) {
				shutdown(gc->fd, SHUT_RDWR);
				gc->cut = 1;
				g->cut++;
			} else if (next == 0 || gc->deadline < next)
				next = gc->deadline;
		}
		g->idle = next == 0;
		if (g->idle)
			pthread_cond_wait(&g->wake, &g->lock);
		else {
			ts.tv_sec = (time_t)(next / 1000000000);
			ts.tv_nsec = (long)(next % 1000000000);
			pthread_cond_timedwait(&g->wake, &g->lock, &ts);
		}
	}
	pthread_mutex_unlock(&g->lock);
	return (NULL);
}

struct httpd_guard *
httpd_guard_new(const struct config *cf, char **cause)
{
	struct httpd_guard	*g;
	pthread_condattr_t	 ca;
	sigset_t		 all, saved;
	int			 error;

	g = xcalloc(1, sizeof *g);
	g->timeout = (int64_t)cf->http_timeout * 1000000000;
	g->per_address = cf->http_max_connections > 1 ?
	    (unsigned)cf->http_max_connections / 2 : 1;
	memcpy(g->proxies, cf->http_proxies, sizeof g->proxies);
	g->nproxies = cf->http_nproxies;
	pthread_mutex_init(&g->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&g->wake, &ca);
	pthread_condattr_destroy(&ca);
	/* The reaper takes no signal: the main loop handles them. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &saved);
	error = pthread_create(&g->reaper, NULL, guard_reaper, g);
	pthread_sigmask(SIG_SETMASK, &saved, NULL);
	if (error != 0) {
		xasprintf(cause, "http: cannot start a thread: %s",
		    strerror(error));
		pthread_cond_destroy(&g->wake);
		pthread_mutex_destroy(&g->lock);
		free(g);
		return (NULL);
	}
	return (g);
}

void
httpd_guard_free(struct httpd_guard *g)
{
	struct guard_count	*e, *next;
	struct guard_conn	*gc, *gnext;
	size_t			 i;

	if (g == NULL)
		return;
	pthread_mutex_lock(&g->lock);
	g->stopping = 1;
	pthread_cond_signal(&g->wake);
	pthread_mutex_unlock(&g->lock);
	pthread_join(g->reaper, NULL);
	for (i = 0; i < GUARD_BUCKETS; i++)
		for (e = g->buckets[i]; e != NULL; e = next) {
			next = e->next;
			free(e);
		}
	for (gc = g->conns; gc != NULL; gc = gnext) {
		gnext = gc->next;
		free(gc);
	}
	pthread_cond_destroy(&g->wake);
	pthread_mutex_destroy(&g->lock);
	free(g);
}

enum MHD_Result
httpd_guard_accept(void *cls, const struct sockaddr *sa, socklen_t len)
{
	struct httpd_guard	*g = cls;
	struct guard_count	*e;
	struct config_ip	 ip;
	int			 ok;

	if (guard_ip_of(sa, &ip) != 0)
		return (MHD_NO);
	if (guard_in(&ip, g->proxies, g->nproxies))
		return (MHD_YES);
	pthread_mutex_lock(&g->lock);
	e = guard_count(g, &ip, 0);
	ok = e == NULL || e->conns < g->per_address;
	pthread_mutex_unlock(&g->lock);
	return (ok ? MHD_YES : MHD_NO);
}

/* A new connection: counted against its peer, its deadline set. */
static struct guard_conn *
guard_started(struct httpd_guard *g, struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo	*ci;
	struct guard_conn		*gc;

	gc = xcalloc(1, sizeof *gc);
	gc->c = c;
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	gc->fd = ci != NULL ? ci->connect_fd : -1;
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	guard_ip_of(ci != NULL ? ci->client_addr : NULL, &gc->peer);
	gc->proxied = guard_in(&gc->peer, g->proxies, g->nproxies);
	pthread_mutex_lock(&g->lock);
	if (!gc->proxied)
		guard_count(g, &gc->peer, 1)->conns++;
	gc->next = g->conns;
	if (g->conns != NULL)
		g->conns->prev = gc;
	g->conns = gc;
	if (gc->fd != -1)
		guard_arm(g, gc);
	pthread_mutex_unlock(&g->lock);
	return (gc);
}

/* A closed connection: uncounted and out of the reaper's list. */
static void
guard_closed(struct httpd_guard *g, struct guard_conn *gc)
{
	struct guard_count	*e;

	pthread_mutex_lock(&g->lock);
	if (gc->prev != NULL)
		gc->prev->next = gc->next;
	else
		g->conns = gc->next;
	if (gc->next != NULL)
		gc->next->prev = gc->prev;
	if (!gc->proxied && (e = guard_count(g, &gc->peer, 0)) != NULL) {
		e->conns--;
		guard_count_drop(g, e);
	}
	if (gc->forwarded && (e = guard_count(g, &gc->client, 0)) != NULL) {
		e->requests--;
		guard_count_drop(g, e);
	}
	pthread_mutex_unlock(&g->lock);
	free(gc);
}

void
httpd_guard_notify(void *cls, struct MHD_Connection *c, void **context,
    enum MHD_ConnectionNotificationCode code)
{
	struct httpd_guard	*g = cls;

	if (code == MHD_CONNECTION_NOTIFY_STARTED)
		*context = guard_started(g, c);
	else if (code == MHD_CONNECTION_NOTIFY_CLOSED && *context != NULL) {
		guard_closed(g, *context);
		*context = NULL;
	}
}

/* The guard's record of a connection, or NULL. */
static struct guard_conn *
guard_conn_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo	*ci;

	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return (ci != NULL ? ci->socket_context : NULL);
}

/* Keeps the last X-Forwarded-For header: its entries are the nearest. */
static enum MHD_Result
guard_last_forwarded(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	if (strcasecmp(key, "X-Forwarded-For") == 0)
		*(const char **)cls = value;
	return (MHD_YES);
}

int
httpd_guard_admit(struct httpd_guard *g, struct MHD_Connection *c)
{
	struct guard_conn	*gc = guard_conn_of(c);
	struct guard_count	*e;
	struct config_ip	 client;
	const char		*xff = NULL;
	int			 ok;

	if (gc == NULL || !gc->proxied || gc->forwarded)
		return (1);
	MHD_get_connection_values(c, MHD_HEADER_KIND, guard_last_forwarded,
	    &xff);
	if (xff == NULL || httpd_guard_forwarded(xff, g->proxies, g->nproxies,
	    &client) != 0)
		client = gc->peer;
	pthread_mutex_lock(&g->lock);
	e = guard_count(g, &client, 1);
	if ((ok = e->requests < g->per_address)) {
		e->requests++;
		gc->client = client;
		gc->forwarded = 1;
	} else
		guard_count_drop(g, e);
	pthread_mutex_unlock(&g->lock);
	return (ok);
}

void
httpd_guard_arrived(struct httpd_guard *g, struct MHD_Connection *c)
{
	struct guard_conn	*gc = guard_conn_of(c);

	if (gc == NULL)
		return;
	pthread_mutex_lock(&g->lock);
	gc->armed = 0;
	pthread_mutex_unlock(&g->lock);
}

void
httpd_guard_completed(struct httpd_guard *g, struct MHD_Connection *c)
{
	struct guard_conn	*gc = guard_conn_of(c);
	struct guard_count	*e;

	if (gc == NULL)
		return;
	pthread_mutex_lock(&g->lock);
	if (gc->forwarded && (e = guard_count(g, &gc->client, 0)) != NULL) {
		e->requests--;
		guard_count_drop(g, e);
	}
	gc->forwarded = 0;
	if (gc->fd != -1)
		guard_arm(g, gc);
	pthread_mutex_unlock(&g->lock);
}

/* The address a connection's requests are counted against. */
static void
guard_client_of(struct httpd_guard *g, struct MHD_Connection *c,
    struct config_ip *ip)
{
	struct guard_conn	*gc = guard_conn_of(c);

	memset(ip, 0, sizeof *ip);
	if (gc == NULL)
		return;
	pthread_mutex_lock(&g->lock);
	*ip = gc->forwarded ? gc->client : gc->peer;
	pthread_mutex_unlock(&g->lock);
}

/* The failure slot of an address; the caller holds the lock. */
static struct guard_fail *
guard_fail_slot(struct httpd_guard *g, const struct config_ip *ip)
{
	uint32_t	h = 2166136261u;
	int		i;

	for (i = 0; i < 16; i++)
		h = (h ^ ip->addr[i]) * 16777619u;
	return (&g->fails[h % GUARD_FAIL_SLOTS]);
}

int
httpd_guard_refused(struct httpd_guard *g, struct MHD_Connection *c)
{
	struct config_ip	 ip;
	struct guard_fail	*f;
	int64_t			 now = guard_now();
	int			 refused;

	guard_client_of(g, c, &ip);
	pthread_mutex_lock(&g->lock);
	f = guard_fail_slot(g, &ip);
	refused = f->count >= GUARD_FAIL_MAX && now - f->since <
	    (int64_t)GUARD_FAIL_WINDOW * 1000000000 &&
	    memcmp(f->ip.addr, ip.addr, 16) == 0;
	pthread_mutex_unlock(&g->lock);
	return (refused);
}

void
httpd_guard_failed(struct httpd_guard *g, struct MHD_Connection *c)
{
	struct config_ip	 ip;
	struct guard_fail	*f;
	int64_t			 now = guard_now();

	guard_client_of(g, c, &ip);
	pthread_mutex_lock(&g->lock);
	f = guard_fail_slot(g, &ip);
	if (now - f->since >= (int64_t)GUARD_FAIL_WINDOW * 1000000000 ||
	    (memcmp(f->ip.addr, ip.addr, 16) != 0 && f->count < 3)) {
		f->ip = ip;
		f->count = 0;
		f->since = now;
	}
	f->count++;
	pthread_mutex_unlock(&g->lock);
}

void
httpd_guard_client(struct httpd_guard *g, struct MHD_Connection *c,
    char *out, size_t len)
{
	struct config_ip	ip;
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0xff, 0xff };

	guard_client_of(g, c, &ip);
	if (memcmp(ip.addr, mapped, 12) == 0)
		inet_ntop(AF_INET, ip.addr + 12, out, (socklen_t)len);
	else
		inet_ntop(AF_INET6, ip.addr, out, (socklen_t)len);
}

unsigned
httpd_guard_cut(struct httpd_guard *g)
{
	unsigned	n;

	pthread_mutex_lock(&g->lock);
	n = g->cut;
	pthread_mutex_unlock(&g->lock);
	return (n);
}

/*
 * Reads one X-Forwarded-For entry: an address, "[v6]" or "[v6]:port",
 * or "a.b.c.d:port" (some proxies add the port); 0 or -1.
 */
static int
guard_entry(char *s, struct config_ip *ip)
{
	char	*end, *colon;

	s += strspn(s, " \t");
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
	if (*s == '[') {
		if ((end = strchr(s, ']')) == NULL || (end[1] != '\0' &&
		    end[1] != ':'))
			return (-1);
		*end = '\0';
		s++;
	} else if ((colon = strchr(s, ':')) != NULL &&
	    strchr(colon + 1, ':') == NULL)
		*colon = '\0';
	return (config_parse_ip(s, ip));
}

int
httpd_guard_forwarded(const char *value, const struct config_ip *proxies,
    int nproxies, struct config_ip *client)
{
	char	 copy[GUARD_FORWARDED_MAX + 1], *comma;
	size_t	 len = strlen(value);

	/* A longer list is cut from the left: the near end is what counts. */
	if (len > GUARD_FORWARDED_MAX)
		value += len - GUARD_FORWARDED_MAX;
	snprintf(copy, sizeof copy, "%s", value);
	for (;;) {
		comma = strrchr(copy, ',');
		if (guard_entry(comma != NULL ? comma + 1 : copy, client) != 0)
			return (-1);
		if (!guard_in(client, proxies, nproxies))
			return (0);
		if (comma == NULL)
			return (-1);
		*comma = '\0';
	}
}
