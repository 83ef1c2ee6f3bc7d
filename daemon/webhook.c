/*
 * Webhook delivery: a JSON body POSTed over HTTPS, signed as the Standard
 * Webhooks specification says (https://www.standardwebhooks.com):
 * webhook-signature is "v1," and the base64 HMAC-SHA256 of
 * "<id>.<timestamp>.<body>" keyed by the base64-decoded part of a
 * "whsec_..." secret, one such entry per secret while a secret is rotated.
 * Redirects are never followed; the URL is checked before any connection.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "log.h"
#include "transport.h"
#include "webhook.h"
#include "xmalloc.h"

#define WEBHOOK_SECRET_PREFIX	"whsec_"
#define WEBHOOK_KEY_MIN		16	/* bytes; the spec asks 24 to 64 */
#define WEBHOOK_KEY_MAX		64
#define WEBHOOK_CONNECT_TIMEOUT	10	/* seconds, if not configured */
#define WEBHOOK_TIMEOUT		30
#define WEBHOOK_RETRY_MAX	86400	/* longest Retry-After honoured */

struct webhook_session {
	CURL		*curl;
	char		 errbuf[CURL_ERROR_SIZE];
	char		 status_line[WEBHOOK_REASON_SIZE];
	long		 retry_after;
	int		 allow_http_loopback;
};

/* Returns 1 if s is non-empty printable ASCII without spaces. */
static int
webhook_token_valid(const char *s)
{
	const unsigned char	*p;

	if (s == NULL || *s == '\0' || strlen(s) > 256)
		return (0);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p <= 0x20 || *p >= 0x7f)
			return (0);
	}
	return (1);
}

/* Decodes a secret ("whsec_" and base64) into key; returns its length or -1. */
static int
webhook_decode_secret(const char *secret, unsigned char *key, size_t size)
{
	unsigned char	 out[(WEBHOOK_KEY_MAX + 2) / 3 * 3 + 3];
	size_t		 len, pad = 0, i;
	int		 n;

	if (strncmp(secret, WEBHOOK_SECRET_PREFIX,
	    strlen(WEBHOOK_SECRET_PREFIX)) == 0)
		secret += strlen(WEBHOOK_SECRET_PREFIX);
	len = strlen(secret);
	if (len == 0 || len % 4 != 0 || len / 4 * 3 > sizeof out)
		return (-1);
	for (i = 0; i < len; i++) {
		if (secret[i] == '=' && i >= len - 2)
			pad++;
		else if (pad != 0 || (!isalnum((unsigned char)secret[i]) &&
		    secret[i] != '+' && secret[i] != '/'))
			return (-1);
	}
	n = EVP_DecodeBlock(out, (const unsigned char *)secret, (int)len);
	if (n < 0 || (size_t)n < pad || (size_t)n - pad > size)
		return (-1);
	memcpy(key, out, (size_t)n - pad);
	OPENSSL_cleanse(out, sizeof out);
	return (n - (int)pad);
}

/*
 * Signs one message with one secret; *sig_out is "v1,<base64>" (caller
 * frees).  The secret never appears in *cause.
 */
int
webhook_sign(const char *secret, const char *id, long ts, const char *body,
    size_t len, char **sig_out, char **cause)
{
	unsigned char	 key[WEBHOOK_KEY_MAX], mac[EVP_MAX_MD_SIZE];
	char		 b64[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
	unsigned int	 maclen = 0;
	struct buf	 b;
	int		 keylen;

	*sig_out = NULL;
	if (!webhook_token_valid(id)) {
		xasprintf(cause, "webhook id is empty or holds a space or "
		    "control character");
		return (-1);
	}
	keylen = secret == NULL ? -1 :
	    webhook_decode_secret(secret, key, sizeof key);
	if (keylen < WEBHOOK_KEY_MIN) {
		xasprintf(cause, "webhook secret is not whsec_ and base64 of "
		    "%d to %d bytes", WEBHOOK_KEY_MIN, WEBHOOK_KEY_MAX);
		OPENSSL_cleanse(key, sizeof key);
		return (-1);
	}
	buf_init(&b);
	buf_printf(&b, "%s.%ld.", id, ts);
	buf_add(&b, body, len);
	if (HMAC(EVP_sha256(), key, keylen, (unsigned char *)b.data, b.len,
	    mac, &maclen) == NULL)
		fatalx("HMAC-SHA256 failed");
	OPENSSL_cleanse(key, sizeof key);
	buf_free(&b);
	EVP_EncodeBlock((unsigned char *)b64, mac, (int)maclen);
	xasprintf(sig_out, "v1,%s", b64);
	return (0);
}

/* Checks scheme, host and user of a parsed URL. */
static int
webhook_check_parts(CURLU *u, int allow_http_loopback, char **cause)
{
	char	*scheme = NULL, *host = NULL, *user = NULL;
	int	 rc = -1;

	curl_url_get(u, CURLUPART_SCHEME, &scheme, 0);
	curl_url_get(u, CURLUPART_HOST, &host, 0);
	curl_url_get(u, CURLUPART_USER, &user, 0);
	if (host == NULL || *host == '\0')
		xasprintf(cause, "webhook url has no host");
	else if (user != NULL)
		xasprintf(cause, "webhook url must not hold a user name or "
		    "password");
	else if (scheme != NULL && strcmp(scheme, "https") == 0)
		rc = 0;
	else if (scheme != NULL && strcmp(scheme, "http") == 0 &&
	    allow_http_loopback && transport_is_loopback(host, 1))
		rc = 0;
	else
		xasprintf(cause, "webhook url must use https:// (http:// "
		    "only to the loopback in a test setup)");
	curl_free(scheme);
	curl_free(host);
	curl_free(user);
	return (rc);
}

/* Checks a webhook URL before any connection; -1 and *cause if refused. */
int
webhook_check_url(const char *url, int allow_http_loopback, char **cause)
{
	const unsigned char	*p;
	CURLU			*u;
	int			 rc;

	if (url == NULL || *url == '\0') {
		xasprintf(cause, "webhook url is empty");
		return (-1);
	}
	for (p = (const unsigned char *)url; *p != '\0'; p++) {
		if (*p <= 0x20 || *p == 0x7f) {
			xasprintf(cause, "webhook url holds a space or control "
			    "character");
			return (-1);
		}
	}
	if ((u = curl_url()) == NULL)
		fatalx("curl_url failed");
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK) {
		xasprintf(cause, "webhook url is not a valid URL");
		rc = -1;
	} else
		rc = webhook_check_parts(u, allow_http_loopback, cause);
	curl_url_cleanup(u);
	return (rc);
}

/* libcurl write callback: the response body is not needed. */
static size_t
webhook_discard(char *ptr, size_t size, size_t nitems, void *arg)
{
	return (size * nitems);
}

/* Parses a Retry-After value (delta-seconds or HTTP-date); -1 if neither. */
static long
webhook_parse_retry_after(const char *value)
{
	char	*end;
	long	 n;
	time_t	 t;

	while (*value == ' ' || *value == '\t')
		value++;
	if (isdigit((unsigned char)*value)) {
		n = strtol(value, &end, 10);
		while (*end == ' ' || *end == '\t')
			end++;
		if (*end != '\0')
			return (-1);
		return (n > WEBHOOK_RETRY_MAX ? WEBHOOK_RETRY_MAX : n);
	}
	if ((t = curl_getdate(value, NULL)) == -1)
		return (-1);
	/* An HTTP-date is the server's clock: compare with the real one. */
	t -= time(NULL);
	if (t < 0)
		return (0);
	return (t > WEBHOOK_RETRY_MAX ? WEBHOOK_RETRY_MAX : (long)t);
}

/* libcurl header callback: keeps the status line and Retry-After. */
static size_t
webhook_header(char *ptr, size_t size, size_t nitems, void *arg)
{
	struct webhook_session	*s = arg;
	char			 line[WEBHOOK_REASON_SIZE];
	size_t			 len = size * nitems;

	transport_copy_line(line, sizeof line, ptr, len);
	if (strncmp(line, "HTTP/", 5) == 0) {
		memcpy(s->status_line, line, sizeof s->status_line);
		s->retry_after = -1;
	} else if (strncasecmp(line, "retry-after:", 12) == 0)
		s->retry_after = webhook_parse_retry_after(line + 12);
	return (len);
}

/* Opens a session with one reusable handle; dies only if out of memory. */
struct webhook_session *
webhook_open(const struct webhook_config *conf)
{
	struct transport_config	 tc;
	struct webhook_session	*s;
	CURL			*c;
	CURLcode		 rc = CURLE_OK;

	s = xcalloc(1, sizeof *s);
	if ((c = s->curl = curl_easy_init()) == NULL)
		fatalx("curl_easy_init failed");
	tc.connect_timeout = conf->connect_timeout > 0 ?
	    conf->connect_timeout : WEBHOOK_CONNECT_TIMEOUT;
	tc.timeout = conf->timeout > 0 ? conf->timeout : WEBHOOK_TIMEOUT;
	tc.ca_file = conf->ca_file;
	if (transport_setup(c, &tc, s->errbuf) != 0)
		fatalx("libcurl refuses a webhook option");
	rc |= curl_easy_setopt(c, CURLOPT_POST, 1L);
	rc |= curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	rc |= curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, webhook_discard);
	rc |= curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, webhook_header);
	rc |= curl_easy_setopt(c, CURLOPT_HEADERDATA, s);
	if (rc != CURLE_OK)
		fatalx("libcurl refuses a webhook option");
	s->allow_http_loopback = conf->allow_http_loopback;
	return (s);
}

/* Sets the reason of a result, cut to its size. */
static void __attribute__((format(printf, 2, 3)))
webhook_set_reason(struct webhook_result *res, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(res->reason, sizeof res->reason, fmt, ap);
	va_end(ap);
}

/* Fills res with a refusal made before anything was sent; frees cause. */
static int
webhook_refuse(struct webhook_result *res, char *cause)
{
	res->status = WEBHOOK_PERMFAIL;
	webhook_set_reason(res, "%s", cause);
	free(cause);
	return (-1);
}

/* Builds the webhook-signature value, one v1 entry per secret; caller frees. */
static char *
webhook_signatures(const char *const *secrets, size_t nsecrets,
    const char *id, long ts, const char *body, size_t len, char **cause)
{
	struct buf	 b;
	char		*sig;
	size_t		 i;

	if (nsecrets == 0) {
		xasprintf(cause, "webhook has no secret");
		return (NULL);
	}
	buf_init(&b);
	for (i = 0; i < nsecrets; i++) {
		if (webhook_sign(secrets[i], id, ts, body, len, &sig,
		    cause) != 0) {
			buf_free(&b);
			return (NULL);
		}
		buf_printf(&b, "%s%s", i == 0 ? "" : " ", sig);
		free(sig);
	}
	return (buf_steal(&b));
}

/* Appends one header line to a list; takes over line. */
static struct curl_slist *
webhook_add_header(struct curl_slist *list, char *line)
{
	struct curl_slist	*next;

	if ((next = curl_slist_append(list, line)) == NULL)
		fatalx("curl_slist_append failed");
	free(line);
	return (next);
}

/* Returns the request headers; caller frees with curl_slist_free_all. */
static struct curl_slist *
webhook_headers(const char *id, long ts, const char *signature)
{
	struct curl_slist	*list = NULL;
	char			*line;

	list = webhook_add_header(list,
	    xstrdup("Content-Type: application/json"));
	list = webhook_add_header(list, xstrdup("User-Agent: deadlined"));
	list = webhook_add_header(list, xstrdup("Expect:"));
	xasprintf(&line, "webhook-id: %s", id);
	list = webhook_add_header(list, line);
	xasprintf(&line, "webhook-timestamp: %ld", ts);
	list = webhook_add_header(list, line);
	xasprintf(&line, "webhook-signature: %s", signature);
	list = webhook_add_header(list, line);
	return (list);
}

/* Fills res from an HTTP status. */
static void
webhook_classify_status(struct webhook_session *s, struct webhook_result *res)
{
	long	code = res->http_status;

	if (code >= 200 && code <= 299)
		res->status = WEBHOOK_OK;
	else if (code == 410)
		res->status = WEBHOOK_GONE;
	else if (code == 429 || (code >= 500 && code <= 599))
		res->status = WEBHOOK_RETRY;
	else
		res->status = WEBHOOK_PERMFAIL;
	if (res->status == WEBHOOK_RETRY)
		res->retry_after = s->retry_after;
	if (code >= 300 && code <= 399)
		webhook_set_reason(res, "%s (redirect not followed)",
		    s->status_line);
	else
		webhook_set_reason(res, "%s", s->status_line);
}

/* Fills res from a finished transfer. */
static void
webhook_classify(struct webhook_session *s, CURLcode rc,
    struct webhook_result *res)
{
	res->http_status = 0;
	res->retry_after = -1;
	res->unreachable = 0;
	if (rc == CURLE_OK) {
		curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE,
		    &res->http_status);
		webhook_classify_status(s, res);
		return;
	}
	if (rc == CURLE_UNSUPPORTED_PROTOCOL || rc == CURLE_URL_MALFORMAT)
		res->status = WEBHOOK_PERMFAIL;
	else
		res->status = WEBHOOK_RETRY;
	res->unreachable = transport_unreachable(rc);
	webhook_set_reason(res, "%s", s->errbuf[0] != '\0' ? s->errbuf :
	    curl_easy_strerror(rc));
}

/* Sets the per-request options: URL, protocol, headers, body. */
static void
webhook_set_request(struct webhook_session *s, const char *url,
    struct curl_slist *headers, const char *body, size_t len)
{
	const char	*proto;

	proto = strncmp(url, "https:", 6) == 0 ? "https" : "http";
	curl_easy_setopt(s->curl, CURLOPT_URL, url);
	curl_easy_setopt(s->curl, CURLOPT_PROTOCOLS_STR, proto);
	curl_easy_setopt(s->curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(s->curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(s->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
}

/*
 * POSTs one signed JSON body; 0 if delivered (2xx), else -1 and res says
 * whether to retry, give up or disable the endpoint.
 */
int
webhook_post(struct webhook_session *s, const char *url, const char *id,
    long timestamp, const char *const *secrets, size_t nsecrets,
    const char *body, size_t len, struct webhook_result *res)
{
	struct curl_slist	*headers;
	char			*signature, *cause = NULL;
	CURLcode		 rc;

	res->http_status = 0;
	res->retry_after = -1;
	res->unreachable = 0;
	if (webhook_check_url(url, s->allow_http_loopback, &cause) != 0)
		return (webhook_refuse(res, cause));
	signature = webhook_signatures(secrets, nsecrets, id, timestamp, body,
	    len, &cause);
	if (signature == NULL)
		return (webhook_refuse(res, cause));
	headers = webhook_headers(id, timestamp, signature);
	free(signature);
	s->errbuf[0] = '\0';
	s->status_line[0] = '\0';
	s->retry_after = -1;
	webhook_set_request(s, url, headers, body, len);
	rc = curl_easy_perform(s->curl);
	webhook_classify(s, rc, res);
	if (res->unreachable)
		transport_drop(s->curl);
	curl_easy_setopt(s->curl, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(s->curl, CURLOPT_POSTFIELDS, NULL);
	curl_slist_free_all(headers);
	return (res->status == WEBHOOK_OK ? 0 : -1);
}

/* Closes connections and frees the session; NULL is fine. */
void
webhook_close(struct webhook_session *s)
{
	if (s == NULL)
		return;
	curl_easy_cleanup(s->curl);
	free(s);
}
