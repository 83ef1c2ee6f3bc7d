/*
 * libFuzzer harness for the HTTP server's request parsing: the input is a
 * decoded path, a NUL-free ?kind= value, an If-None-Match value and an
 * X-Forwarded-For value, separated by newlines.  A feed route must only
 * ever carry a token and a name of [a-z0-9_-], so no request can name
 * anything outside the table; a forwarded client is never a trusted proxy.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "httpd.h"
#include "httpd-feeds.h"
#include "httpd-guard.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* 1 if s is a non-empty word of [a-z0-9_-]. */
static int
fuzz_word(const char *s)
{
	return (*s != '\0' && strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "0123456789_-") == strlen(s));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct httpd_route	 r;
	struct config_ip	 proxy, client;
	char			*copy, *path, *kind, *inm, *xff;

	copy = malloc(size + 1);
	memcpy(copy, data, size);
	copy[size] = '\0';
	path = copy;
	kind = strchr(path, '\n');
	if (kind != NULL)
		*kind++ = '\0';
	inm = kind != NULL ? strchr(kind, '\n') : NULL;
	if (inm != NULL)
		*inm++ = '\0';
	xff = inm != NULL ? strchr(inm, '\n') : NULL;
	if (xff != NULL)
		*xff++ = '\0';
	httpd_route(path, kind != NULL && *kind != '\0' ? kind : NULL, &r);
	if (r.target == HTTPD_FEED && (!fuzz_word(r.token) ||
	    !fuzz_word(r.name) || strlen(r.token) > HTTPD_TOKEN_MAX ||
	    strlen(r.name) > HTTPD_NAME_MAX ||
	    strncmp(path, "/feeds/", 7) != 0))
		abort();
	if (r.target == HTTPD_HEALTH && strcmp(path, "/healthz") != 0)
		abort();
	if (inm != NULL)
		(void)httpd_feeds_etag_match(inm, "\"0123\"");
	if (xff != NULL && config_parse_ip("127.0.0.1", &proxy) == 0 &&
	    httpd_guard_forwarded(xff, &proxy, 1, &client) == 0 &&
	    memcmp(proxy.addr, client.addr, 16) == 0)
		abort();
	free(copy);
	return (0);
}
