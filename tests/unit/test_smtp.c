/*
 * Tests for smtp.c against a real SMTP server: Debian's aiosmtpd, started
 * by tests/peers/smtp_peer.py on 127.0.0.1 with a certificate made for the
 * test run.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
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

#include "smtp.h"
#include "peer.h"
#include "scratch.h"
#include "xmalloc.h"

static int	 maildirs;	/* peers started: each has a maildir of its own */

/* Starts aiosmtpd on a maildir of its own with extra arguments (NULL-ended). */
static void
peer_start(struct peer *p, ...)
{
	va_list	ap;

	snprintf(p->path, sizeof p->path, "%s/mail%d", scratch_dir, ++maildirs);
	assert_int_equal(mkdir(p->path, 0700), 0);
	va_start(ap, p);
	peer_startv(p, "--maildir", ap);
	va_end(ap);
}

/* Reads a whole file; caller frees; NULL if missing. */
static char *
read_file(const char *dir, const char *name)
{
	char	 path[PATH_MAX], *data;
	FILE	*f;
	long	 len;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if ((f = fopen(path, "rb")) == NULL)
		return (NULL);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	data = xmalloc(len + 1);
	assert_int_equal(fread(data, 1, len, f), (size_t)len);
	data[len] = '\0';
	fclose(f);
	return (data);
}

/* Number of TCP connections the peer has accepted. */
static int
peer_connections(struct peer *p)
{
	char	*s = read_file(p->path, "connections");
	int	 n = s == NULL ? 0 : atoi(s);

	free(s);
	return (n);
}

/* Number of messages the peer has stored. */
static int
peer_messages(struct peer *p)
{
	DIR		*d;
	struct dirent	*de;
	int		 n = 0;
	size_t		 len;

	assert_non_null(d = opendir(p->path));
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len > 4 && strcmp(de->d_name + len - 4, ".eml") == 0)
			n++;
	}
	closedir(d);
	return (n);
}

/* A session configuration towards the peer. */
static struct smtp_config
config_for(struct peer *p, char *url, size_t size, const char *scheme)
{
	struct smtp_config	conf;

	snprintf(url, size, "%s://127.0.0.1:%d", scheme, p->port);
	memset(&conf, 0, sizeof conf);
	conf.url = url;
	conf.helo = "deadlined.example.gov.vn";
	conf.ca_file = peer_cert;
	conf.starttls = 1;
	conf.connect_timeout = 5;
	conf.timeout = 10;
	conf.from_addr = "nhacviec@ubnd-tuyphuoc.example.gov.vn";
	return (conf);
}

/* A short message, CRLF line endings, with a line that needs dot-stuffing. */
static char *
make_message(const char *rcpt)
{
	char	*msg;

	xasprintf(&msg, "From: nhacviec@ubnd-tuyphuoc.example.gov.vn\r\n"
	    "To: %s\r\nSubject: =?UTF-8?B?Tmjhuq9jIHZp4buHYw==?=\r\n"
	    "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
	    "\r\nH\xe1\xba\xa1n ch\xc3\xb3t: 30/06/2024\r\n.\r\n..dots\r\n",
	    rcpt);
	return (msg);
}

/* Sends one message; returns the status and checks the text is filled. */
static enum smtp_status
send_one(struct smtp_session *s, const char *rcpt, struct smtp_result *res)
{
	char	*msg = make_message(rcpt);
	int	 rc;

	rc = smtp_send(s, rcpt, msg, strlen(msg), res);
	free(msg);
	assert_int_equal(rc == 0, res->status == SMTP_OK);
	assert_true(res->text[0] != '\0');
	return (res->status);
}

/* Checks message number n reached rcpt with the exact bytes sent. */
static void
check_stored(struct peer *p, int n, const char *rcpt)
{
	char	 name[32], *env, *eml, *msg, expect[512];

	snprintf(name, sizeof name, "%d.env", n);
	assert_non_null(env = read_file(p->path, name));
	snprintf(expect, sizeof expect,
	    "nhacviec@ubnd-tuyphuoc.example.gov.vn\n%s\n", rcpt);
	assert_string_equal(env, expect);
	snprintf(name, sizeof name, "%d.eml", n);
	assert_non_null(eml = read_file(p->path, name));
	msg = make_message(rcpt);
	assert_string_equal(eml, msg);
	free(msg);
	free(env);
	free(eml);
}

/* Three recipients over one session: three envelopes, one connection. */
static void
test_three_messages_one_connection(void **state)
{
	struct peer		 p;
	struct smtp_config	 conf;
	struct smtp_session	*s;
	struct smtp_result	 res;
	char			 url[64], *cause = NULL;
	static const char	*rcpts[] = { "vanphong@phuocan.example.gov.vn",
	    "noivu@tuyphuoc.example.gov.vn", "tuphap@dieutri.example.gov.vn" };
	int			 i;

	peer_start(&p, "--tls-cert", peer_cert, "--tls-key", peer_key, NULL);
	conf = config_for(&p, url, sizeof url, "smtp");
	assert_non_null(s = smtp_open(&conf, &cause));
	for (i = 0; i < 3; i++) {
		assert_int_equal(send_one(s, rcpts[i], &res), SMTP_OK);
		assert_int_equal(res.code, 250);
	}
	smtp_close(s);
	for (i = 0; i < 3; i++)
		check_stored(&p, i + 1, rcpts[i]);
	assert_int_equal(peer_connections(&p), 1);
	peer_stop(&p);
}

/* Implicit TLS (smtps://) delivers too. */
static void
test_smtps(void **state)
{
	struct peer		 p;
	struct smtp_config	 conf;
	struct smtp_session	*s;
	struct smtp_result	 res;
	char			 url[64], *cause = NULL;

	peer_start(&p, "--tls-cert", peer_cert, "--tls-key", peer_key,
	    "--implicit-tls", NULL);
	conf = config_for(&p, url, sizeof url, "smtps");
	assert_non_null(s = smtp_open(&conf, &cause));
	assert_int_equal(send_one(s, "a@phuocson.example.gov.vn", &res),
	    SMTP_OK);
	smtp_close(s);
	check_stored(&p, 1, "a@phuocson.example.gov.vn");
	peer_stop(&p);
}

/* A rejected recipient is permanent; the next one still goes through. */
static void
test_reject_then_next(void **state)
{
	struct peer		 p;
	struct smtp_config	 conf;
	struct smtp_session	*s;
	struct smtp_result	 res;
	char			 url[64], *cause = NULL;

	peer_start(&p, "--tls-cert", peer_cert, "--tls-key", peer_key,
	    "--reject", "khongco@phuochoa.example.gov.vn", NULL);
	conf = config_for(&p, url, sizeof url, "smtp");
	assert_non_null(s = smtp_open(&conf, &cause));
	assert_int_equal(send_one(s, "khongco@phuochoa.example.gov.vn", &res),
	    SMTP_PERMFAIL);
	assert_int_equal(res.code, 550);
	assert_non_null(strstr(res.text, "550"));
	assert_int_equal(send_one(s, "vanphong@phuochoa.example.gov.vn", &res),
	    SMTP_OK);
	smtp_close(s);
	assert_int_equal(peer_messages(&p), 1);
	check_stored(&p, 1, "vanphong@phuochoa.example.gov.vn");
	peer_stop(&p);
}

/* A 451 is temporary and a retry succeeds. */
static void
test_tempfail_then_retry(void **state)
{
	struct peer		 p;
	struct smtp_config	 conf;
	struct smtp_session	*s;
	struct smtp_result	 res;
	char			 url[64], *cause = NULL;

	peer_start(&p, "--tls-cert", peer_cert, "--tls-key", peer_key,
	    "--tempfail-first", "1", NULL);
	conf = config_for(&p, url, sizeof url, "smtp");
	assert_non_null(s = smtp_open(&conf, &cause));
	assert_int_equal(send_one(s, "a@phuocloc.example.gov.vn", &res),
	    SMTP_TEMPFAIL);
	assert_int_equal(res.code, 451);
	assert_int_equal(peer_messages(&p), 0);
	assert_int_equal(send_one(s, "a@phuocloc.example.gov.vn", &res),
	    SMTP_OK);
	smtp_close(s);
	check_stored(&p, 1, "a@phuocloc.example.gov.vn");
	peer_stop(&p);
}

/* STARTTLS required but not offered: nothing is sent in clear. */
static void
test_starttls_missing(void **state)
{
	struct peer		 p;
	struct smtp_config	 conf;
	struct smtp_session	*s;
	struct smtp_result	 res;
	char			 url[64], *cause = NULL;

	peer_start(&p, "--no-starttls", NULL);
	conf = config_for(&p, url, sizeof url, "smtp");
	assert_non_null(s = smtp_open(&conf, &cause));
	assert_int_equal(send_one(s, "a@phuocthang.example.gov.vn", &res),
	    SMTP_TEMPFAIL);
	smtp_close(s);
	assert_int_equal(peer_connections(&p), 1);
	assert_int_equal(peer_messages(&p), 0);
	peer_stop(&p);
}

/* A certificate not signed by ca_file is refused, for STARTTLS and smtps. */
static void
test_bad_certificate(void **state)
{
	struct peer		 p, q;
	struct smtp_config	 conf;
	struct smtp_session	*s;
	struct smtp_result	 res;
	char			 url[64], *cause = NULL;

	peer_start(&p, "--tls-cert", peer_cert, "--tls-key", peer_key, NULL);
	conf = config_for(&p, url, sizeof url, "smtp");
	conf.ca_file = peer_other_cert;
	assert_non_null(s = smtp_open(&conf, &cause));
	assert_int_equal(send_one(s, "a@phuocthanh.example.gov.vn", &res),
	    SMTP_TEMPFAIL);
	smtp_close(s);
	assert_int_equal(peer_messages(&p), 0);
	peer_stop(&p);

	peer_start(&q, "--tls-cert", peer_cert, "--tls-key", peer_key,
	    "--implicit-tls", NULL);
	conf = config_for(&q, url, sizeof url, "smtps");
	conf.ca_file = peer_other_cert;
	assert_non_null(s = smtp_open(&conf, &cause));
	assert_int_equal(send_one(s, "a@phuocthanh.example.gov.vn", &res),
	    SMTP_TEMPFAIL);
	smtp_close(s);
	assert_int_equal(peer_messages(&q), 0);
	peer_stop(&q);
}

/* AUTH with the right password delivers; a wrong one is refused (5xx). */
static void
test_auth(void **state)
{
	struct peer		 p;
	struct smtp_config	 conf;
	struct smtp_session	*s;
	struct smtp_result	 res;
	char			 url[64], *cause = NULL;

	peer_start(&p, "--tls-cert", peer_cert, "--tls-key", peer_key,
	    "--auth", "nhacviec:M4t-kh4u-dung", NULL);
	conf = config_for(&p, url, sizeof url, "smtp");
	conf.username = "nhacviec";
	conf.password = "M4t-kh4u-dung";
	assert_non_null(s = smtp_open(&conf, &cause));
	assert_int_equal(send_one(s, "a@phuocquang.example.gov.vn", &res),
	    SMTP_OK);
	smtp_close(s);
	check_stored(&p, 1, "a@phuocquang.example.gov.vn");

	conf.password = "M4t-kh4u-sai";
	assert_non_null(s = smtp_open(&conf, &cause));
	assert_int_equal(send_one(s, "b@phuocquang.example.gov.vn", &res),
	    SMTP_PERMFAIL);
	assert_int_equal(res.code, 535);
	assert_null(strstr(res.text, "M4t-kh4u"));
	smtp_close(s);
	assert_int_equal(peer_messages(&p), 1);
	peer_stop(&p);
}

/* CR or LF in a recipient or sender is refused before any connection. */
static void
test_injection_refused(void **state)
{
	struct peer		 p;
	struct smtp_config	 conf;
	struct smtp_session	*s;
	struct smtp_result	 res;
	char			 url[64], *cause = NULL;

	peer_start(&p, "--tls-cert", peer_cert, "--tls-key", peer_key, NULL);
	conf = config_for(&p, url, sizeof url, "smtp");
	assert_non_null(s = smtp_open(&conf, &cause));
	assert_int_equal(send_one(s, "a@phuocnghia.example.gov.vn\r\n"
	    "RCPT TO:<b@x.invalid>", &res), SMTP_PERMFAIL);
	assert_int_equal(send_one(s, "a@x.invalid\nDATA", &res),
	    SMTP_PERMFAIL);
	assert_int_equal(send_one(s, "", &res), SMTP_PERMFAIL);
	assert_int_equal(res.code, 0);
	smtp_close(s);
	conf.from_addr = "a@x.invalid\r\nRSET";
	assert_null(s = smtp_open(&conf, &cause));
	assert_non_null(cause);
	free(cause);
	assert_int_equal(peer_connections(&p), 0);
	peer_stop(&p);
}

/* Plaintext only to the loopback; bad URLs are refused with a cause. */
static void
test_config_checks(void **state)
{
	struct peer		 p;
	struct smtp_config	 conf;
	struct smtp_session	*s;
	struct smtp_result	 res;
	char			 url[64], *cause = NULL;
	static const char	*bad[] = { "smtp://mail.example.invalid:25",
	    "http://127.0.0.1:25", "smtp://u:secret@127.0.0.1:25",
	    "smtp://127.0.0.1:25/path", "smtp://", "not a url" };
	size_t			 i;

	peer_start(&p, "--no-starttls", NULL);
	conf = config_for(&p, url, sizeof url, "smtp");
	conf.starttls = 0;
	conf.ca_file = NULL;
	assert_non_null(s = smtp_open(&conf, &cause));
	assert_int_equal(send_one(s, "a@phuocthuan.example.gov.vn", &res),
	    SMTP_OK);
	smtp_close(s);
	check_stored(&p, 1, "a@phuocthuan.example.gov.vn");
	peer_stop(&p);

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		conf.url = bad[i];
		cause = NULL;
		assert_null(s = smtp_open(&conf, &cause));
		assert_non_null(cause);
		assert_null(strstr(cause, "secret"));
		free(cause);
	}
	conf.url = "smtp://127.0.0.1:25";
	conf.helo = "bad helo\r\n";
	assert_null(s = smtp_open(&conf, &cause));
	free(cause);
}

/* Makes the scratch folder and the two certificates. */
static int
setup(void **state)
{
	return (peer_setup("smtp", "smtp_peer.py"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_three_messages_one_connection, peer_stop_all),
		cmocka_unit_test_teardown(test_smtps, peer_stop_all),
		cmocka_unit_test_teardown(test_reject_then_next, peer_stop_all),
		cmocka_unit_test_teardown(test_tempfail_then_retry, peer_stop_all),
		cmocka_unit_test_teardown(test_starttls_missing, peer_stop_all),
		cmocka_unit_test_teardown(test_bad_certificate, peer_stop_all),
		cmocka_unit_test_teardown(test_auth, peer_stop_all),
		cmocka_unit_test_teardown(test_injection_refused, peer_stop_all),
		cmocka_unit_test_teardown(test_config_checks, peer_stop_all),
	};

	if (peer_missing("aiosmtpd")) {
		fprintf(stderr, "python3 with aiosmtpd or openssl missing\n");
		return (77);
	}
	signal(SIGPIPE, SIG_IGN);
	return (cmocka_run_group_tests(tests, setup, peer_teardown));
}
