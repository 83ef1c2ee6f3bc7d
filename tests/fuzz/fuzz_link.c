/*
 * libFuzzer harness for completion-link tokens.  The input is verified as
 * a token under a fixed key: only a genuine token may verify, and its
 * claims must be well formed.  The input is also read as claims
 * ("occurrence|unit|action|expires[|sequence]"): a token made from them
 * must verify to the same claims, fail under another key, and fail once
 * its first character is changed.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "link.h"
#include "units.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FUZZ_KEY	"fuzz-link-key-0123456789abcdef"
#define FUZZ_OTHER_KEY	"another-key-fedcba9876543210"
#define FUZZ_NOW	((time_t)1719795600)

/* Aborts unless the claims of a verified token are well formed. */
static void
fuzz_check_claims(const struct link_claims *c)
{
	if (c->occurrence < 0 || c->sequence < 0 ||
	    !units_valid_code(c->unit) ||
	    !link_valid_claims(c->occurrence, c->action) ||
	    c->expires < FUZZ_NOW)
		abort();
}

/* Verifies text as a token; the result must be one of the LINK_* codes. */
static void
fuzz_verify(const char *text)
{
	struct link_claims	 c;
	char			*cause = NULL;
	int			 rc;

	rc = link_verify(FUZZ_KEY, text, FUZZ_NOW, &c, &cause);
	if (rc == LINK_OK) {
		if (cause != NULL)
			abort();
		fuzz_check_claims(&c);
		return;
	}
	if ((rc != LINK_MALFORMED && rc != LINK_FORGED &&
	    rc != LINK_EXPIRED) || cause == NULL)
		abort();
	free(cause);
}

/* Aborts if token verifies under key; frees the cause. */
static void
fuzz_must_fail(const char *key, const char *token)
{
	struct link_claims	 c;
	char			*cause = NULL;

	if (link_verify(key, token, FUZZ_NOW, &c, &cause) == LINK_OK)
		abort();
	free(cause);
}

/*
 * Makes a token from "occurrence|unit|action|expires[|sequence]" and
 * checks it.
 */
static void
fuzz_roundtrip(char *text)
{
	struct link_claims	 c;
	char			*field[4], *p = text, *token, *cause = NULL;
	long long		 occ, expires, sequence = 0;
	int			 i;

	for (i = 0; i < 4; i++) {
		field[i] = p;
		if ((p = strchr(p, '|')) == NULL && i != 3)
			return;
		if (p != NULL)
			*p++ = '\0';
	}
	occ = strtoll(field[0], NULL, 10);
	expires = strtoll(field[3], NULL, 10);
	if (p != NULL)
		sequence = strtoll(p, NULL, 10);
	if (sequence < 0 || sequence > INT_MAX)
		return;
	/* A negative expiry is never made by the daemon (now + days). */
	if (expires < 0)
		return;
	token = link_make(FUZZ_KEY, occ, (int)sequence, field[1], field[2],
	    (time_t)expires);
	if (token == NULL)
		return;
	if (strspn(token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789_-.") != strlen(token))
		abort();
	if (link_verify(FUZZ_KEY, token, (time_t)expires, &c, &cause) !=
	    LINK_OK)
		abort();
	if (c.occurrence != occ || c.sequence != sequence ||
	    strcmp(c.unit, field[1]) != 0 ||
	    strcmp(c.action, field[2]) != 0 || c.expires != (time_t)expires)
		abort();
	fuzz_must_fail(FUZZ_OTHER_KEY, token);
	token[0] = token[0] == 'A' ? 'B' : 'A';
	fuzz_must_fail(FUZZ_KEY, token);
	free(token);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*text;

	if (size > 4096)
		return (0);
	if ((text = malloc(size + 1)) == NULL)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	fuzz_verify(text);
	fuzz_roundtrip(text);
	free(text);
	return (0);
}
