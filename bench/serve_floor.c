/*
 * The floor of bench/serve.sh: libmicrohttpd answering a request that has
 * If-None-Match with one 304 made at start, and any other with a 200 of
 * FILE's bytes read at start, with the headers, connection options and
 * single polling thread deadlined uses, and nothing else.  What it
 * achieves under the same wrk load is what the machine allows; deadlined
 * can only be slower.
 *   cc -O2 -o serve_floor bench/serve_floor.c -lmicrohttpd
 *   serve_floor PORT FILE	(runs until SIGTERM or SIGINT)
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include <microhttpd.h>

static struct MHD_Response	*floor_response, *floor_full;
static char			 floor_headers_read;

/* Answers in the second call, as deadlined does, to keep connections. */
static enum MHD_Result
floor_request(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **state)
{
	if (*state == NULL) {
		*state = &floor_headers_read;
		return (MHD_YES);
	}
	if (MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_IF_NONE_MATCH) == NULL)
		return (MHD_queue_response(c, MHD_HTTP_OK, floor_full));
	return (MHD_queue_response(c, MHD_HTTP_NOT_MODIFIED, floor_response));
}

/* The whole file in memory, or NULL. */
static char *
floor_read(const char *path, size_t *len)
{
	FILE	*f;
	char	*p = NULL;
	long	 n;

	if ((f = fopen(path, "rb")) == NULL || fseek(f, 0, SEEK_END) != 0 ||
	    (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0 ||
	    (p = malloc((size_t)n + 1)) == NULL ||
	    fread(p, 1, (size_t)n, f) != (size_t)n) {
		free(p);
		if (f != NULL)
			fclose(f);
		return (NULL);
	}
	fclose(f);
	*len = (size_t)n;
	return (p);
}

int
main(int argc, char **argv)
{
	struct MHD_Daemon	*mhd;
	struct MHD_Response	*r;
	sigset_t		 set;
	char			*bytes;
	size_t			 len;
	int			 sig;

	if (argc != 3) {
		fprintf(stderr, "usage: serve_floor port file\n");
		return (1);
	}
	if ((bytes = floor_read(argv[2], &len)) == NULL) {
		fprintf(stderr, "serve_floor: cannot read %s\n", argv[2]);
		return (1);
	}
	floor_full = MHD_create_response_from_buffer(len, bytes,
	    MHD_RESPMEM_MUST_FREE);
	if (floor_full == NULL)
		return (1);
	MHD_add_response_header(floor_full, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "text/calendar; charset=utf-8");
	r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	if (r == NULL)
		return (1);
	MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, "\"0123456789abcdef"
	    "0123456789abcdef0123456789abcdef0123456789abcdef-gz\"");
	MHD_add_response_header(r, MHD_HTTP_HEADER_LAST_MODIFIED,
	    "Mon, 01 Jul 2024 09:00:00 GMT");
	MHD_add_response_header(r, MHD_HTTP_HEADER_VARY,
	    MHD_HTTP_HEADER_ACCEPT_ENCODING);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
	    "private, max-age=3600");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	floor_response = r;
	/* The server's thread takes no signal: main waits for them. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	mhd = MHD_start_daemon(MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG,
	    (uint16_t)strtoul(argv[1], NULL, 10), NULL, NULL, floor_request,
	    NULL,
	    MHD_OPTION_CONNECTION_LIMIT, 200u,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, 100u,
	    MHD_OPTION_CONNECTION_TIMEOUT, 30u,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(16 * 1024),
	    MHD_OPTION_END);
	if (mhd == NULL) {
		fprintf(stderr, "serve_floor: cannot listen on %s\n", argv[1]);
		return (1);
	}
	sigwait(&set, &sig);
	MHD_stop_daemon(mhd);
	MHD_destroy_response(r);
	MHD_destroy_response(floor_full);
	return (0);
}
