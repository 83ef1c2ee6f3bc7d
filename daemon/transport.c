/*
 * The libcurl session options and outcome reading that the SMTP and webhook
 * channels share.  Every wait is bounded by the configured timeouts: the
 * connection (CURLOPT_CONNECTTIMEOUT), the whole transfer
 * (CURLOPT_TIMEOUT), a transfer that stops moving (the low-speed limit),
 * each reply of an SMTP server (CURLOPT_SERVER_RESPONSE_TIMEOUT, 120 s by
 * default otherwise), and the QUIT libcurl sends when a kept connection is
 * closed at clean-up: that wait takes the response timeout of the last
 * handle used, so it too ends after the configured timeout.
 */
#include <sys/socket.h>

#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "transport.h"

int
transport_setup(CURL *c, const struct transport_config *tc, char *errbuf)
{
	CURLcode	rc = CURLE_OK;

	rc |= curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	rc |= curl_easy_setopt(c, CURLOPT_NOPROXY, "127.0.0.1,::1,localhost");
	rc |= curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	rc |= curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	rc |= curl_easy_setopt(c, CURLOPT_SSLVERSION, CURL_SSLVERSION_TLSv1_2);
	if (tc->ca_file != NULL)
		rc |= curl_easy_setopt(c, CURLOPT_CAINFO, tc->ca_file);
	rc |= curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, tc->connect_timeout);
	rc |= curl_easy_setopt(c, CURLOPT_TIMEOUT, tc->timeout);
	rc |= curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	rc |= curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, tc->timeout);
	rc |= curl_easy_setopt(c, CURLOPT_SERVER_RESPONSE_TIMEOUT, tc->timeout);
	rc |= curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	return (rc == CURLE_OK ? 0 : -1);
}

int
transport_unreachable(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_USE_SSL_FAILED:
	case CURLE_LOGIN_DENIED:
	case CURLE_WEIRD_SERVER_REPLY:
		return (1);
	default:
		return (0);
	}
}

/*
 * A connection that timed out or broke stays in libcurl's cache, and its
 * clean-up would send QUIT and wait (up to the response timeout) for an
 * answer a dead server never gives: shut the socket so that the QUIT fails
 * at once.  libcurl still closes the descriptor, and never reuses a
 * connection it finds shut.
 */
void
transport_drop(CURL *c)
{
	curl_socket_t	fd = CURL_SOCKET_BAD;

	if (curl_easy_getinfo(c, CURLINFO_ACTIVESOCKET, &fd) == CURLE_OK &&
	    fd != CURL_SOCKET_BAD)
		shutdown(fd, SHUT_RDWR);
}

int
transport_is_loopback(const char *host, int name_too)
{
	return (strcmp(host, "127.0.0.1") == 0 || strcmp(host, "[::1]") == 0 ||
	    strcmp(host, "::1") == 0 ||
	    (name_too && strcasecmp(host, "localhost") == 0));
}

void
transport_copy_line(char *dst, size_t size, const char *src, size_t len)
{
	size_t	i, n = 0;

	while (len > 0 && (src[len - 1] == '\r' || src[len - 1] == '\n'))
		len--;
	for (i = 0; i < len && n + 1 < size; i++) {
		if ((unsigned char)src[i] < 0x20 || src[i] == 0x7f)
			dst[n++] = '?';
		else
			dst[n++] = src[i];
	}
	dst[n] = '\0';
}
