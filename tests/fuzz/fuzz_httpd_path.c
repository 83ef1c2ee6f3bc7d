/*
 * libFuzzer harness for the HTTP server's request parsing: the input is a
 * decoded path, a NUL-free ?kind= value and an If-None-Match value,
 * separated by newlines.  A feed route must only ever carry a token and a
 * name of [a-z0-9_-], so no request can name anything outside the table.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "httpd.h"
#include "httpd-feeds.h"

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
	char			*copy, *path, *kind, *inm;

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
	free(copy);
	return (0);
}
