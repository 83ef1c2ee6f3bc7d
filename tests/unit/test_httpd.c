/*
 * Tests of the HTTP server's guard and its configuration: which client an
 * X-Forwarded-For value names when it comes from a trusted proxy (the
 * rightmost address that is not a proxy), and [http] trusted_proxies as
 * read from a file.  The server itself is tested against real clients in
 * test_feed and tests/integration/httpd*.py.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "httpd-guard.h"
#include "xmalloc.h"

/* The proxies 127.0.0.1, ::1 and 10.0.0.5. */
static int
proxies(struct config_ip *v)
{
	assert_int_equal(config_parse_ip("127.0.0.1", &v[0]), 0);
	assert_int_equal(config_parse_ip("::1", &v[1]), 0);
	assert_int_equal(config_parse_ip("10.0.0.5", &v[2]), 0);
	return (3);
}

/* Expects value to name client want ("" for none). */
static void
expect_client(const char *value, const char *want)
{
	struct config_ip	v[3], got, ip;
	int			n = proxies(v), rc;

	rc = httpd_guard_forwarded(value, v, n, &got);
	if (*want == '\0') {
		if (rc != -1)
			fail_msg("'%s': a client was read", value);
		return;
	}
	if (rc != 0)
		fail_msg("'%s': no client read, %s expected", value, want);
	assert_int_equal(config_parse_ip(want, &ip), 0);
	if (memcmp(ip.addr, got.addr, 16) != 0)
		fail_msg("'%s': another client than %s", value, want);
}

/* The rightmost address that is not a trusted proxy is the client. */
static void
test_forwarded(void **state)
{
	expect_client("203.0.113.7", "203.0.113.7");
	expect_client("203.0.113.7, 127.0.0.1", "203.0.113.7");
	/* A client may write anything on the left: it is not read. */
	expect_client("198.51.100.1, 203.0.113.7", "203.0.113.7");
	expect_client("garbage, 203.0.113.7", "203.0.113.7");
	expect_client("203.0.113.7,10.0.0.5 , ::1", "203.0.113.7");
	expect_client(" 2001:db8::7 ", "2001:db8::7");
	expect_client("[2001:db8::7]:4711, 127.0.0.1", "2001:db8::7");
	expect_client("203.0.113.7:4711", "203.0.113.7");
	/* An IPv4 client is the same whether mapped or not. */
	expect_client("::ffff:203.0.113.7", "203.0.113.7");
	/* Nothing readable where the client should be, or only proxies. */
	expect_client("", "");
	expect_client("127.0.0.1, ::1", "");
	expect_client("203.0.113.7, unknown", "");
	expect_client("203.0.113.7, [2001:db8::7", "");
	expect_client("203.0.113.999", "");
	expect_client("example.invalid", "");
}

/* A value longer than the guard reads is read from its right end. */
static void
test_forwarded_long(void **state)
{
	struct buf	b;
	int		i;

	buf_init(&b);
	for (i = 0; i < 500; i++)
		buf_adds(&b, "198.51.100.1, ");
	buf_adds(&b, "203.0.113.7, 127.0.0.1");
	expect_client(b.data, "203.0.113.7");
	buf_free(&b);
}

/* Writes text as a config file and loads it; NULL and *cause on error. */
static struct config *
load(const char *text, char **cause)
{
	char		 path[] = "/tmp/test_httpd.XXXXXX";
	struct config	*cf;
	FILE		*f;
	int		 fd;

	assert_true((fd = mkstemp(path)) != -1);
	assert_non_null(f = fdopen(fd, "w"));
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
	cf = config_load(path, cause);
	unlink(path);
	return (cf);
}

/* trusted_proxies: addresses by spaces or commas, mapped IPv4; errors. */
static void
test_trusted_proxies(void **state)
{
	struct config		*cf;
	struct config_ip	 ip;
	char			*cause = NULL;

	cf = load("[http]\ntrusted_proxies = 127.0.0.1 ::1,10.0.0.5\n",
	    &cause);
	assert_non_null(cf);
	assert_int_equal(cf->http_nproxies, 3);
	assert_int_equal(config_parse_ip("::ffff:127.0.0.1", &ip), 0);
	assert_memory_equal(cf->http_proxies[0].addr, ip.addr, 16);
	config_free(cf);
	cf = load("[http]\n", &cause);
	assert_int_equal(cf->http_nproxies, 0);
	config_free(cf);
	assert_null(load("[http]\ntrusted_proxies = localhost\n", &cause));
	assert_non_null(strstr(cause, ":2: http.trusted_proxies = "
	    "'localhost': expected up to 16 IP addresses"));
	free(cause);
	assert_null(load("[http]\ntrusted_proxies = 10.0.0.0/8\n", &cause));
	assert_non_null(strstr(cause, ":2: http.trusted_proxies"));
	free(cause);
	assert_null(load("[http]\ntrusted_proxies = 1.1.1.1 1.1.1.2 1.1.1.3 "
	    "1.1.1.4 1.1.1.5 1.1.1.6 1.1.1.7 1.1.1.8 1.1.1.9 1.1.1.10 1.1.1.11 "
	    "1.1.1.12 1.1.1.13 1.1.1.14 1.1.1.15 1.1.1.16 1.1.1.17\n", &cause));
	assert_non_null(strstr(cause, "up to 16"));
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forwarded),
		cmocka_unit_test(test_forwarded_long),
		cmocka_unit_test(test_trusted_proxies),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
