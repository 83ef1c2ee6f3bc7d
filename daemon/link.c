/*
 * Signed completion links: the token codec.  A token is made when a
 * digest is rendered and verified when its page is asked for; it carries
 * claims (occurrence, unit, action, expiry) under an HMAC-SHA256, and
 * nothing here reads the store.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "link.h"
#include "units.h"
#include "xmalloc.h"

#define LINK_MAC_LEN	32
#define LINK_PAYLOAD_MAX	128

int
link_valid_action(const char *action)
{
	return (action != NULL && (strcmp(action, "done") == 0 ||
	    strcmp(action, "waive") == 0 || strcmp(action, "snooze") == 0));
}

int
link_valid_claims(int64_t occurrence, const char *action)
{
	if (action != NULL && strcmp(action, LINK_UNIT) == 0)
		return (occurrence == 0);
	return (occurrence > 0 && link_valid_action(action));
}

/* base64url without padding of n bytes; caller frees. */
static char *
link_b64_encode(const unsigned char *in, size_t n)
{
	char	*out, *p;

	out = xmalloc(4 * ((n + 2) / 3) + 1);
	EVP_EncodeBlock((unsigned char *)out, in, (int)n);
	for (p = out; *p != '\0'; p++) {
		if (*p == '+')
			*p = '-';
		else if (*p == '/')
			*p = '_';
		else if (*p == '=') {
			*p = '\0';
			break;
		}
	}
	return (out);
}

/* Decodes n base64url characters into out (3 * ceil(n / 4) bytes). */
static int
link_b64_decode(const char *in, size_t n, unsigned char *out)
{
	char	*tmp;
	size_t	 i, pad;
	int	 len;

	if (n == 0 || n % 4 == 1)
		return (-1);
	pad = (4 - n % 4) % 4;
	tmp = xmalloc(n + pad + 1);
	for (i = 0; i < n; i++) {
		if (in[i] == '-')
			tmp[i] = '+';
		else if (in[i] == '_')
			tmp[i] = '/';
		else if ((in[i] >= 'A' && in[i] <= 'Z') || (in[i] >= 'a' &&
		    in[i] <= 'z') || (in[i] >= '0' && in[i] <= '9'))
			tmp[i] = in[i];
		else {
			free(tmp);
			return (-1);
		}
	}
	memset(tmp + n, '=', pad);
	tmp[n + pad] = '\0';
	len = EVP_DecodeBlock(out, (unsigned char *)tmp, (int)(n + pad));
	free(tmp);
	return (len < 0 ? -1 : len - (int)pad);
}

/* HMAC-SHA256 of a payload under key into mac. */
static void
link_sign(const char *key, const unsigned char *payload, size_t n,
    unsigned char mac[LINK_MAC_LEN])
{
	unsigned int	len = LINK_MAC_LEN;

	HMAC(EVP_sha256(), key, (int)strlen(key), payload, n, mac, &len);
}

char *
link_make(const char *key, int64_t occurrence, int sequence, const char *unit,
    const char *action, time_t expires)
{
	unsigned char	 mac[LINK_MAC_LEN];
	char		 payload[LINK_PAYLOAD_MAX], *p64, *m64, *token;
	int		 n;

	if (key == NULL || *key == '\0' || sequence < 0 ||
	    !units_valid_code(unit) || !link_valid_claims(occurrence, action))
		return (NULL);
	n = snprintf(payload, sizeof payload, "2|%" PRId64 "|%s|%s|%lld|%d",
	    occurrence, unit, action, (long long)expires, sequence);
	if (n < 0 || (size_t)n >= sizeof payload)
		return (NULL);
	link_sign(key, (unsigned char *)payload, (size_t)n, mac);
	p64 = link_b64_encode((unsigned char *)payload, (size_t)n);
	m64 = link_b64_encode(mac, sizeof mac);
	xasprintf(&token, "%s.%s", p64, m64);
	free(p64);
	free(m64);
	return (token);
}

/* Parses a decimal number filling a whole field; 0 or -1. */
static int
link_parse_number(const char *s, long long min, long long *out)
{
	char		*end;
	long long	 v;

	if (*s < '0' || *s > '9')
		return (-1);
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end != '\0' || errno != 0 || v < min)
		return (-1);
	*out = v;
	return (0);
}

/*
 * Splits a verified payload into claims; 0 or -1.  Version 1 had no
 * sequence: its links stand for sequence 0, an occurrence never changed.
 */
static int
link_parse_payload(char *payload, struct link_claims *c)
{
	char		*field[6], *p = payload;
	long long	 occ, expires, sequence = 0;
	int		 n, want;

	want = strncmp(payload, "1|", 2) == 0 ? 5 : 6;
	for (n = 0; n < want; n++) {
		field[n] = p;
		if ((p = strchr(p, '|')) != NULL)
			*p++ = '\0';
		else if (n != want - 1)
			return (-1);
	}
	if (p != NULL || strcmp(field[0], want == 5 ? "1" : "2") != 0)
		return (-1);
	if (link_parse_number(field[1], 0, &occ) != 0 ||
	    link_parse_number(field[4], 0, &expires) != 0 ||
	    (want == 6 && (link_parse_number(field[5], 0, &sequence) != 0 ||
	    sequence > INT_MAX)) ||
	    !units_valid_code(field[2]) || !link_valid_claims(occ, field[3]))
		return (-1);
	memset(c, 0, sizeof *c);
	c->occurrence = occ;
	snprintf(c->unit, sizeof c->unit, "%s", field[2]);
	snprintf(c->action, sizeof c->action, "%s", field[3]);
	c->expires = (time_t)expires;
	c->sequence = (int)sequence;
	return (0);
}

/* Checks a token's form and signature; LINK_* and claims. */
static int
link_check_token(const char *key, const char *token, struct link_claims *c,
    char **cause)
{
	unsigned char	 payload[LINK_PAYLOAD_MAX + 4], mac[LINK_MAC_LEN + 4];
	unsigned char	 want[LINK_MAC_LEN];
	const char	*dot;
	size_t		 plen, mlen;
	int		 n;

	if ((dot = strchr(token, '.')) == NULL || strchr(dot + 1, '.') != NULL) {
		*cause = xstrdup("malformed link");
		return (LINK_MALFORMED);
	}
	plen = (size_t)(dot - token);
	mlen = strlen(dot + 1);
	if (plen > 4 * LINK_PAYLOAD_MAX / 3 || mlen != 43 ||
	    (n = link_b64_decode(token, plen, payload)) <= 0 ||
	    link_b64_decode(dot + 1, mlen, mac) != LINK_MAC_LEN) {
		*cause = xstrdup("malformed link");
		return (LINK_MALFORMED);
	}
	link_sign(key, payload, (size_t)n, want);
	if (CRYPTO_memcmp(want, mac, LINK_MAC_LEN) != 0) {
		*cause = xstrdup("link signature does not match");
		return (LINK_FORGED);
	}
	payload[n] = '\0';
	if (memchr(payload, '\0', (size_t)n) != NULL ||
	    link_parse_payload((char *)payload, c) != 0) {
		*cause = xstrdup("malformed link payload");
		return (LINK_MALFORMED);
	}
	return (LINK_OK);
}

int
link_verify(const char *key, const char *token, time_t now,
    struct link_claims *c, char **cause)
{
	int	rc;

	memset(c, 0, sizeof *c);
	if (key == NULL || *key == '\0') {
		*cause = xstrdup("completion links are not configured");
		return (LINK_MALFORMED);
	}
	if (token == NULL || strlen(token) > LINK_TOKEN_MAX) {
		*cause = xstrdup("malformed link");
		return (LINK_MALFORMED);
	}
	if ((rc = link_check_token(key, token, c, cause)) != LINK_OK)
		return (rc);
	if (now > c->expires) {
		*cause = xstrdup("link expired");
		return (LINK_EXPIRED);
	}
	return (LINK_OK);
}

char *
link_url(const char *base_url, const char *token)
{
	size_t	 n = strlen(base_url);
	char	*url;

	while (n > 0 && base_url[n - 1] == '/')
		n--;
	xasprintf(&url, "%.*s/done/%s", (int)n, base_url, token);
	return (url);
}
