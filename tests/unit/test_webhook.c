/*
 * Tests for webhook.c: the signature against the Standard Webhooks
 * published test vector, and POSTs to a real receiver
 * (tests/peers/webhook_peer.py, http.server on 127.0.0.1) that checks
 * signatures with its own implementation of the scheme.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "webhook.h"
#include "peer.h"
#include "scratch.h"
#include "xmalloc.h"

/* Secrets of the tests (random, made for them); A is unknown to the peer. */
#define SECRET_A	"whsec_c2VjcmV0LWEtZm9yLWRlYWRsaW5lZC10ZXN0cw=="
#define SECRET_B	"whsec_2q5GlHq0pbm5M1XlCt0rY6nBn8FkSxJXuQq9pg2WdBk="
#define BODY		"{\"don_vi\":\"UBND x\xc3\xa3 Ph\xc6\xb0\xe1\xbb\x9b" \
			    "c An\",\"han\":\"2024-06-30\"}"

static int	 logs;	/* peers started: each has a log of its own */

/* Starts the receiver on a log of its own with extra arguments (NULL-ended). */
static void
peer_start(struct peer *p, ...)
{
	va_list	ap;

	snprintf(p->path, sizeof p->path, "%s/requests%d.jsonl", scratch_dir,
	    ++logs);
	va_start(ap, p);
	peer_startv(p, "--log", ap);
	va_end(ap);
}

/* The requests the peer logged, as a JSON array; caller frees. */
static json_t *
peer_requests(struct peer *p)
{
	json_t		*all = json_array(), *one;
	json_error_t	 error;
	char		 line[8192];
	FILE		*f;

	if ((f = fopen(p->path, "r")) == NULL)
		return (all);
	while (fgets(line, sizeof line, f) != NULL) {
		one = json_loads(line, 0, &error);
		assert_non_null(one);
		json_array_append_new(all, one);
	}
	fclose(f);
	return (all);
}

/* A string field of a logged request ("headers" looked into if hdr). */
static const char *
field(json_t *all, size_t i, const char *name, int hdr)
{
	json_t	*req = json_array_get(all, i);

	if (hdr)
		req = json_object_get(req, "headers");
	return (json_string_value(json_object_get(req, name)));
}

/* A session for the tests. */
static struct webhook_session *
open_session(long timeout, int allow_http, const char *ca_file)
{
	struct webhook_config	conf = { 2, timeout, allow_http, ca_file };

	return (webhook_open(&conf));
}

/* The peer's URL. */
static char *
peer_url(struct peer *p, const char *scheme)
{
	char	*url;

	xasprintf(&url, "%s://127.0.0.1:%d/deadlined", scheme, p->port);
	return (url);
}

/* POSTs BODY signed with the given secrets; returns the status. */
static enum webhook_status
post(struct webhook_session *s, const char *url, const char *id,
    const char *const *secrets, size_t n, struct webhook_result *res)
{
	int	rc;

	rc = webhook_post(s, url, id, (long)time(NULL), secrets, n, BODY,
	    strlen(BODY), res);
	assert_int_equal(rc == 0, res->status == WEBHOOK_OK);
	assert_true(res->reason[0] != '\0');
	return (res->status);
}

/* The published Standard Webhooks test vector, and bad inputs. */
static void
test_sign_vector(void **state)
{
	const char	*body = "{\"test\": 2432232314}";
	char		*sig = NULL, *cause = NULL;

	assert_int_equal(webhook_sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
	    "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body, strlen(body),
	    &sig, &cause), 0);
	assert_string_equal(sig,
	    "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
	free(sig);
	/* The prefix is optional, as in the reference libraries. */
	assert_int_equal(webhook_sign("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
	    "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body, strlen(body),
	    &sig, &cause), 0);
	assert_string_equal(sig,
	    "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
	free(sig);
	assert_int_equal(webhook_sign("whsec_not*base64!", "msg_1", 1, body,
	    strlen(body), &sig, &cause), -1);
	assert_null(sig);
	assert_null(strstr(cause, "base64!"));
	free(cause);
	assert_int_equal(webhook_sign("whsec_c2hvcnQ=", "msg_1", 1, body,
	    strlen(body), &sig, &cause), -1);
	free(cause);
	assert_int_equal(webhook_sign(SECRET_A, "msg_1\r\nX-Evil: 1", 1, body,
	    strlen(body), &sig, &cause), -1);
	free(cause);
}

/* A signed POST is accepted by the peer, headers and body as sent. */
static void
test_post_signed(void **state)
{
	struct peer		 p;
	struct webhook_session	*s;
	struct webhook_result	 res;
	const char		*secrets[] = { SECRET_B };
	char			*url;
	json_t			*all;

	peer_start(&p, "--secret", SECRET_B, "--responses", "200", NULL);
	url = peer_url(&p, "http");
	s = open_session(10, 1, NULL);
	assert_int_equal(post(s, url, "occ-17-lead-3-webhook", secrets, 1,
	    &res), WEBHOOK_OK);
	assert_int_equal(res.http_status, 200);
	all = peer_requests(&p);
	assert_int_equal(json_array_size(all), 1);
	assert_true(json_is_true(json_object_get(json_array_get(all, 0),
	    "signature_valid")));
	assert_string_equal(field(all, 0, "body", 0), BODY);
	assert_string_equal(field(all, 0, "method", 0), "POST");
	assert_string_equal(field(all, 0, "webhook-id", 1),
	    "occ-17-lead-3-webhook");
	assert_string_equal(field(all, 0, "content-type", 1),
	    "application/json");
	assert_non_null(field(all, 0, "webhook-timestamp", 1));
	json_decref(all);
	webhook_close(s);
	free(url);
	peer_stop(&p);
}

/* 500 then 200: retry, then done, with the same id on one connection. */
static void
test_retry_then_ok(void **state)
{
	struct peer		 p;
	struct webhook_session	*s;
	struct webhook_result	 res;
	const char		*secrets[] = { SECRET_B };
	char			*url;
	json_t			*all, *a, *b;

	peer_start(&p, "--secret", SECRET_B, "--responses", "500,200", NULL);
	url = peer_url(&p, "http");
	s = open_session(10, 1, NULL);
	assert_int_equal(post(s, url, "msg-42", secrets, 1, &res),
	    WEBHOOK_RETRY);
	assert_int_equal(res.http_status, 500);
	assert_int_equal(res.retry_after, -1);
	assert_non_null(strstr(res.reason, "500"));
	assert_int_equal(post(s, url, "msg-42", secrets, 1, &res), WEBHOOK_OK);
	all = peer_requests(&p);
	assert_int_equal(json_array_size(all), 2);
	assert_string_equal(field(all, 0, "webhook-id", 1), "msg-42");
	assert_string_equal(field(all, 1, "webhook-id", 1), "msg-42");
	a = json_object_get(json_array_get(all, 0), "client_port");
	b = json_object_get(json_array_get(all, 1), "client_port");
	assert_int_equal(json_integer_value(a), json_integer_value(b));
	json_decref(all);
	webhook_close(s);
	free(url);
	peer_stop(&p);
}

/* 410 disables the endpoint; 400 is permanent. */
static void
test_gone_and_permfail(void **state)
{
	struct peer		 p;
	struct webhook_session	*s;
	struct webhook_result	 res;
	const char		*secrets[] = { SECRET_B };
	char			*url;

	peer_start(&p, "--secret", SECRET_B, "--responses", "410,400", NULL);
	url = peer_url(&p, "http");
	s = open_session(10, 1, NULL);
	assert_int_equal(post(s, url, "msg-1", secrets, 1, &res), WEBHOOK_GONE);
	assert_int_equal(res.http_status, 410);
	assert_int_equal(post(s, url, "msg-2", secrets, 1, &res),
	    WEBHOOK_PERMFAIL);
	assert_int_equal(res.http_status, 400);
	webhook_close(s);
	free(url);
	peer_stop(&p);
}

/* Retry-After as delta-seconds and as an HTTP-date. */
static void
test_retry_after(void **state)
{
	struct peer		 p;
	struct webhook_session	*s;
	struct webhook_result	 res;
	const char		*secrets[] = { SECRET_B };
	char			*url;

	peer_start(&p, "--secret", SECRET_B, "--responses",
	    "429:retry-after=7,503:retry-date=30,503", NULL);
	url = peer_url(&p, "http");
	s = open_session(10, 1, NULL);
	assert_int_equal(post(s, url, "msg-1", secrets, 1, &res),
	    WEBHOOK_RETRY);
	assert_int_equal(res.http_status, 429);
	assert_int_equal(res.retry_after, 7);
	assert_int_equal(post(s, url, "msg-1", secrets, 1, &res),
	    WEBHOOK_RETRY);
	assert_int_equal(res.http_status, 503);
	assert_in_range(res.retry_after, 25, 31);
	assert_int_equal(post(s, url, "msg-1", secrets, 1, &res),
	    WEBHOOK_RETRY);
	assert_int_equal(res.retry_after, -1);
	webhook_close(s);
	free(url);
	peer_stop(&p);
}

/* A receiver that never answers is a retry after the 2 s timeout. */
static void
test_timeout(void **state)
{
	struct peer		 p;
	struct webhook_session	*s;
	struct webhook_result	 res;
	const char		*secrets[] = { SECRET_B };
	char			*url;
	struct timespec		 t0, t1;

	peer_start(&p, "--secret", SECRET_B, "--responses", "hang", NULL);
	url = peer_url(&p, "http");
	s = open_session(2, 1, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(post(s, url, "msg-1", secrets, 1, &res),
	    WEBHOOK_RETRY);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(res.http_status, 0);
	assert_in_range(t1.tv_sec - t0.tv_sec, 1, 5);
	webhook_close(s);
	free(url);
	peer_stop(&p);
}

/* A redirect is not followed and is permanent. */
static void
test_redirect(void **state)
{
	struct peer		 p;
	struct webhook_session	*s;
	struct webhook_result	 res;
	const char		*secrets[] = { SECRET_B };
	char			*url;
	json_t			*all;

	peer_start(&p, "--secret", SECRET_B, "--responses", "redirect", NULL);
	url = peer_url(&p, "http");
	s = open_session(10, 1, NULL);
	assert_int_equal(post(s, url, "msg-1", secrets, 1, &res),
	    WEBHOOK_PERMFAIL);
	assert_int_equal(res.http_status, 302);
	assert_non_null(strstr(res.reason, "redirect"));
	all = peer_requests(&p);
	assert_int_equal(json_array_size(all), 1);
	json_decref(all);
	webhook_close(s);
	free(url);
	peer_stop(&p);
}

/* http:// only to the loopback and only when allowed; bad URLs refused. */
static void
test_url_checks(void **state)
{
	struct peer		 p;
	struct webhook_session	*s;
	struct webhook_result	 res;
	const char		*secrets[] = { SECRET_B };
	static const char	*bad[] = { "http://hooks.example.invalid/x",
	    "https://user:s3cr3t@hooks.example.invalid/x",
	    "https://hooks.example.invalid/a b",
	    "https://hooks.example.invalid/x\r\nX-Evil: 1",
	    "ftp://hooks.example.invalid/x", "https://", "", "hooks" };
	char			*url, *cause;
	size_t			 i;
	json_t			*all;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cause = NULL;
		assert_int_equal(webhook_check_url(bad[i], 1, &cause), -1);
		assert_non_null(cause);
		assert_null(strstr(cause, "s3cr3t"));
		free(cause);
	}
	assert_int_equal(webhook_check_url(
	    "https://hooks.example.gov.vn/deadlined?k=1", 0, &cause), 0);
	assert_int_equal(webhook_check_url("http://localhost:1/x", 1, &cause),
	    0);

	peer_start(&p, "--secret", SECRET_B, NULL);
	url = peer_url(&p, "http");
	s = open_session(10, 0, NULL);
	assert_int_equal(post(s, url, "msg-1", secrets, 1, &res),
	    WEBHOOK_PERMFAIL);
	assert_non_null(strstr(res.reason, "https"));
	assert_int_equal(post(s, "http://hooks.example.invalid/x", "msg-1",
	    secrets, 1, &res), WEBHOOK_PERMFAIL);
	assert_int_equal(post(s, url, "msg-1", secrets, 0, &res),
	    WEBHOOK_PERMFAIL);
	all = peer_requests(&p);
	assert_int_equal(json_array_size(all), 0);
	json_decref(all);
	webhook_close(s);
	free(url);
	peer_stop(&p);
}

/* Two secrets give two signatures; the peer accepts if one matches. */
static void
test_rotation(void **state)
{
	struct peer		 p;
	struct webhook_session	*s;
	struct webhook_result	 res;
	const char		*both[] = { SECRET_A, SECRET_B };
	const char		*old[] = { SECRET_A };
	char			*url;
	json_t			*all;
	const char		*sig;

	peer_start(&p, "--secret", SECRET_B, NULL);
	url = peer_url(&p, "http");
	s = open_session(10, 1, NULL);
	assert_int_equal(post(s, url, "msg-1", both, 2, &res), WEBHOOK_OK);
	assert_int_equal(post(s, url, "msg-2", old, 1, &res),
	    WEBHOOK_PERMFAIL);
	assert_int_equal(res.http_status, 401);
	all = peer_requests(&p);
	assert_int_equal(json_array_size(all), 2);
	assert_int_equal(json_integer_value(json_object_get(
	    json_array_get(all, 0), "signatures")), 2);
	sig = field(all, 0, "webhook-signature", 1);
	assert_non_null(sig);
	assert_true(strncmp(sig, "v1,", 3) == 0);
	assert_non_null(strstr(sig, " v1,"));
	assert_true(json_is_true(json_object_get(json_array_get(all, 0),
	    "signature_valid")));
	assert_true(json_is_false(json_object_get(json_array_get(all, 1),
	    "signature_valid")));
	json_decref(all);
	webhook_close(s);
	free(url);
	peer_stop(&p);
}

/* HTTPS with the receiver's certificate; a foreign CA is refused. */
static void
test_https(void **state)
{
	struct peer		 p;
	struct webhook_session	*s;
	struct webhook_result	 res;
	const char		*secrets[] = { SECRET_B };
	char			*url;
	json_t			*all;

	peer_start(&p, "--secret", SECRET_B, "--tls-cert", peer_cert,
	    "--tls-key", peer_key, NULL);
	url = peer_url(&p, "https");
	s = open_session(10, 0, peer_cert);
	assert_int_equal(post(s, url, "msg-1", secrets, 1, &res), WEBHOOK_OK);
	webhook_close(s);
	s = open_session(10, 0, peer_other_cert);
	assert_int_equal(post(s, url, "msg-2", secrets, 1, &res),
	    WEBHOOK_RETRY);
	assert_int_equal(res.http_status, 0);
	webhook_close(s);
	all = peer_requests(&p);
	assert_int_equal(json_array_size(all), 1);
	json_decref(all);
	free(url);
	peer_stop(&p);
}

/* Makes the scratch folder and the two certificates. */
static int
setup(void **state)
{
	return (peer_setup("webhook", "webhook_peer.py"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sign_vector),
		cmocka_unit_test_teardown(test_post_signed, peer_stop_all),
		cmocka_unit_test_teardown(test_retry_then_ok, peer_stop_all),
		cmocka_unit_test_teardown(test_gone_and_permfail, peer_stop_all),
		cmocka_unit_test_teardown(test_retry_after, peer_stop_all),
		cmocka_unit_test_teardown(test_timeout, peer_stop_all),
		cmocka_unit_test_teardown(test_redirect, peer_stop_all),
		cmocka_unit_test_teardown(test_url_checks, peer_stop_all),
		cmocka_unit_test_teardown(test_rotation, peer_stop_all),
		cmocka_unit_test_teardown(test_https, peer_stop_all),
	};

	if (peer_missing(NULL)) {
		fprintf(stderr, "python3 or openssl missing\n");
		return (77);
	}
	signal(SIGPIPE, SIG_IGN);
	return (cmocka_run_group_tests(tests, setup, peer_teardown));
}
