/*
 * SMTP delivery through libcurl.  A session owns one easy handle so that
 * libcurl keeps the connection open between messages to the same server.
 * Certificates are always verified and smtp:// requires STARTTLS, except
 * for an explicit plaintext test setup on the loopback address.  Addresses
 * are checked before libcurl sees them: it would pass CR or LF through to
 * the server as extra commands.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "log.h"
#include "smtp.h"
#include "transport.h"
#include "xmalloc.h"

struct smtp_session {
	CURL			*curl;
	char			 errbuf[CURL_ERROR_SIZE];
	char			 reply[SMTP_TEXT_SIZE];	/* last reply line */
	const char		*msg;	/* message being sent, borrowed */
	size_t			 len;
	size_t			 off;	/* bytes handed to libcurl so far */
};

/* Returns 1 if an address (envelope sender or recipient) is safe to send. */
int
smtp_address_valid(const char *addr)
{
	const unsigned char	*p;

	if (addr == NULL || strlen(addr) > 320)
		return (0);
	for (p = (const unsigned char *)addr; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f || *p == ' ' || *p == '<' ||
		    *p == '>')
			return (0);
	}
	return (1);
}

/* Returns 1 if a EHLO name holds only host name or address characters. */
static int
smtp_helo_valid(const char *helo)
{
	const char	*p;

	if (*helo == '\0' || strlen(helo) > 255)
		return (0);
	for (p = helo; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && strchr(".-[]:", *p) == NULL)
			return (0);
	}
	return (1);
}

/* Checks scheme, host, user and path of a parsed SMTP URL. */
static int
smtp_check_url(CURLU *u, const struct smtp_config *conf, int *implicit,
    char **cause)
{
	char	*scheme = NULL, *host = NULL, *user = NULL, *path = NULL;
	int	 rc = -1;

	curl_url_get(u, CURLUPART_SCHEME, &scheme, 0);
	curl_url_get(u, CURLUPART_HOST, &host, 0);
	curl_url_get(u, CURLUPART_USER, &user, 0);
	curl_url_get(u, CURLUPART_PATH, &path, 0);
	if (scheme == NULL || (strcmp(scheme, "smtp") != 0 &&
	    strcmp(scheme, "smtps") != 0))
		xasprintf(cause, "smtp url must start with smtp:// or smtps://");
	else if (host == NULL || *host == '\0')
		xasprintf(cause, "smtp url has no host");
	else if (user != NULL)
		xasprintf(cause, "smtp url must not hold a user name or "
		    "password (use username and password_file)");
	else if (path != NULL && *path != '\0' && strcmp(path, "/") != 0)
		xasprintf(cause, "smtp url must not have a path (use helo)");
	else if (strcmp(scheme, "smtp") == 0 && !conf->starttls &&
	    !transport_is_loopback(host, 0))
		xasprintf(cause, "smtp without STARTTLS is allowed only to "
		    "127.0.0.1 or ::1, not to %s", host);
	else {
		*implicit = strcmp(scheme, "smtps") == 0;
		rc = 0;
	}
	curl_free(scheme);
	curl_free(host);
	curl_free(user);
	curl_free(path);
	return (rc);
}

/* Checks the configured URL and builds the one libcurl uses; caller frees. */
static char *
smtp_make_url(const struct smtp_config *conf, int *implicit, char **cause)
{
	CURLU	*u;
	char	*path, *url = NULL, *out = NULL;

	if ((u = curl_url()) == NULL)
		fatalx("curl_url failed");
	if (conf->url == NULL ||
	    curl_url_set(u, CURLUPART_URL, conf->url, 0) != CURLUE_OK) {
		xasprintf(cause, "smtp url is not a valid URL");
		goto fail;
	}
	if (smtp_check_url(u, conf, implicit, cause) != 0)
		goto fail;
	if (conf->helo != NULL) {
		if (!smtp_helo_valid(conf->helo)) {
			xasprintf(cause, "smtp helo is not a host name");
			goto fail;
		}
		xasprintf(&path, "/%s", conf->helo);
		curl_url_set(u, CURLUPART_PATH, path, 0);
		free(path);
	}
	if (curl_url_get(u, CURLUPART_URL, &url, 0) != CURLUE_OK) {
		xasprintf(cause, "smtp url cannot be rebuilt");
		goto fail;
	}
	out = xstrdup(url);
fail:
	curl_free(url);
	curl_url_cleanup(u);
	return (out);
}

/* libcurl read callback: hands out the message being sent. */
static size_t
smtp_read(char *ptr, size_t size, size_t nitems, void *arg)
{
	struct smtp_session	*s = arg;
	size_t			 n = size * nitems;

	if (n > s->len - s->off)
		n = s->len - s->off;
	memcpy(ptr, s->msg + s->off, n);
	s->off += n;
	return (n);
}

/* libcurl header callback: for SMTP each call is a server reply line. */
static size_t
smtp_header(char *ptr, size_t size, size_t nitems, void *arg)
{
	struct smtp_session	*s = arg;

	transport_copy_line(s->reply, sizeof s->reply, ptr, size * nitems);
	return (size * nitems);
}

/* Sets the options that stay the same for every message of a session. */
static int
smtp_setup(struct smtp_session *s, const struct smtp_config *conf,
    const char *url, int implicit)
{
	struct transport_config	 tc;
	CURL			*c = s->curl;
	CURLcode		 rc = CURLE_OK;
	long			 use_ssl;

	tc.connect_timeout = conf->connect_timeout;
	tc.timeout = conf->timeout;
	tc.ca_file = conf->ca_file;
	if (transport_setup(c, &tc, s->errbuf) != 0)
		return (-1);
	use_ssl = (implicit || conf->starttls) ? CURLUSESSL_ALL : CURLUSESSL_NONE;
	rc |= curl_easy_setopt(c, CURLOPT_URL, url);
	rc |= curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	rc |= curl_easy_setopt(c, CURLOPT_USE_SSL, use_ssl);
	rc |= curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	rc |= curl_easy_setopt(c, CURLOPT_READFUNCTION, smtp_read);
	rc |= curl_easy_setopt(c, CURLOPT_READDATA, s);
	rc |= curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, smtp_header);
	rc |= curl_easy_setopt(c, CURLOPT_HEADERDATA, s);
	rc |= curl_easy_setopt(c, CURLOPT_MAIL_FROM, conf->from_addr);
	if (conf->username != NULL) {
		rc |= curl_easy_setopt(c, CURLOPT_USERNAME, conf->username);
		rc |= curl_easy_setopt(c, CURLOPT_PASSWORD,
		    conf->password != NULL ? conf->password : "");
	}
	return (rc == CURLE_OK ? 0 : -1);
}

/* Opens a session (no connection yet); NULL and *cause on error. */
struct smtp_session *
smtp_open(const struct smtp_config *conf, char **cause)
{
	struct smtp_session	*s;
	char			*url;
	int			 implicit = 0;

	if (!smtp_address_valid(conf->from_addr)) {
		xasprintf(cause, "smtp sender address is missing or holds a "
		    "control character, space or angle bracket");
		return (NULL);
	}
	if (conf->connect_timeout <= 0 || conf->timeout <= 0) {
		xasprintf(cause, "smtp timeouts must be positive");
		return (NULL);
	}
	if ((url = smtp_make_url(conf, &implicit, cause)) == NULL)
		return (NULL);
	s = xcalloc(1, sizeof *s);
	if ((s->curl = curl_easy_init()) == NULL ||
	    smtp_setup(s, conf, url, implicit) != 0) {
		xasprintf(cause, "libcurl cannot set up an smtp handle");
		smtp_close(s);
		s = NULL;
	}
	free(url);
	return (s);
}

/* Sets the text of a result, cut to its size. */
static void __attribute__((format(printf, 2, 3)))
smtp_set_text(struct smtp_result *res, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(res->text, sizeof res->text, fmt, ap);
	va_end(ap);
}

/* Fills res from a finished transfer. */
static void
smtp_classify(struct smtp_session *s, CURLcode rc, struct smtp_result *res)
{
	const char	*error;

	res->code = 0;
	curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, &res->code);
	if (rc == CURLE_OK)
		res->status = SMTP_OK;
	else if (res->code >= 500 && res->code <= 599)
		res->status = SMTP_PERMFAIL;
	else
		res->status = SMTP_TEMPFAIL;
	/*
	 * A reply of 400 or more is about this message (libcurl reports a
	 * refused RCPT or DATA as a send error or a weird reply), except 421:
	 * the server closes the connection, for every message.  Otherwise
	 * the failure is on the way to the server.
	 */
	res->unreachable = rc != CURLE_OK && (res->code == 421 ||
	    (res->code < 400 && transport_unreachable(rc)));
	error = s->errbuf[0] != '\0' ? s->errbuf : curl_easy_strerror(rc);
	if (rc == CURLE_OK)
		smtp_set_text(res, "%s", s->reply);
	else if (res->code >= 400 && s->reply[0] != '\0')
		smtp_set_text(res, "%s: %s", error, s->reply);
	else
		smtp_set_text(res, "%s", error);
}

/* Sends one message to one recipient; 0 if accepted, else -1 and res says why. */
int
smtp_send(struct smtp_session *s, const char *rcpt, const char *msg,
    size_t len, struct smtp_result *res)
{
	struct curl_slist	*list;
	CURLcode		 rc;

	if (!smtp_address_valid(rcpt) || *rcpt == '\0') {
		res->status = SMTP_PERMFAIL;
		res->code = 0;
		res->unreachable = 0;
		smtp_set_text(res, "recipient address is empty or holds a "
		    "control character, space or angle bracket");
		return (-1);
	}
	if ((list = curl_slist_append(NULL, rcpt)) == NULL)
		fatalx("curl_slist_append failed");
	s->msg = msg;
	s->len = len;
	s->off = 0;
	s->errbuf[0] = '\0';
	s->reply[0] = '\0';
	curl_easy_setopt(s->curl, CURLOPT_MAIL_RCPT, list);
	curl_easy_setopt(s->curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	rc = curl_easy_perform(s->curl);
	smtp_classify(s, rc, res);
	if (res->unreachable)
		transport_drop(s->curl);
	curl_easy_setopt(s->curl, CURLOPT_MAIL_RCPT, NULL);
	curl_slist_free_all(list);
	s->msg = NULL;
	return (res->status == SMTP_OK ? 0 : -1);
}

/* Closes the connection if any and frees the session; NULL is fine. */
void
smtp_close(struct smtp_session *s)
{
	if (s == NULL)
		return;
	if (s->curl != NULL)
		curl_easy_cleanup(s->curl);
	free(s);
}
