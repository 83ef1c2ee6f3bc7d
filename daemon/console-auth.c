/*
 * Secrets, hashes, CSRF tokens, login links and unit page links (see
 * console-auth.h).  Nothing here keeps state: the store holds the hashes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "console-auth.h"
#include "link.h"
#include "log.h"
#include "store.h"
#include "utf8.h"
#include "xmalloc.h"

/* base64url without padding of n bytes into out (4 * ceil(n / 3) + 1). */
static void
console_auth_b64(const unsigned char *in, size_t n, char *out)
{
	char	*p;

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
}

char *
console_auth_secret(void)
{
	unsigned char	 raw[32];
	char		*out;

	if (RAND_bytes(raw, sizeof raw) != 1)
		fatalx("cannot read random bytes");
	out = xmalloc(48);
	console_auth_b64(raw, sizeof raw, out);
	explicit_bzero(raw, sizeof raw);
	return (out);
}

void
console_auth_hash(const char *secret, char out[CONSOLE_AUTH_HASH_LEN + 1])
{
	unsigned char	md[32];
	unsigned int	len = sizeof md;
	int		i;

	EVP_Digest(secret, strlen(secret), md, &len, EVP_sha256(), NULL);
	for (i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

void
console_auth_csrf(const char *key, const char *scope, const char *value,
    char out[CONSOLE_AUTH_CSRF_LEN + 1])
{
	unsigned char	 mac[32];
	unsigned int	 len = sizeof mac;
	char		*msg, b64[48];

	xasprintf(&msg, "csrf|%s|%s", scope, value);
	HMAC(EVP_sha256(), key, (int)strlen(key), (unsigned char *)msg,
	    strlen(msg), mac, &len);
	free(msg);
	console_auth_b64(mac, sizeof mac, b64);
	memcpy(out, b64, CONSOLE_AUTH_CSRF_LEN);
	out[CONSOLE_AUTH_CSRF_LEN] = '\0';
}

int
console_auth_csrf_ok(const char *key, const char *scope, const char *value,
    const char *given)
{
	char	want[CONSOLE_AUTH_CSRF_LEN + 1];

	if (given == NULL || strlen(given) != CONSOLE_AUTH_CSRF_LEN)
		return (0);
	console_auth_csrf(key, scope, value, want);
	return (CRYPTO_memcmp(want, given, CONSOLE_AUTH_CSRF_LEN) == 0);
}

int
console_auth_user_valid(const char *name)
{
	const unsigned char	*p;
	size_t			 n;

	if (name == NULL || !utf8_valid_str(name))
		return (0);
	n = utf8_chars(name);
	if (n == 0 || n > CONSOLE_AUTH_USER_MAX || *name == ' ')
		return (0);
	for (p = (const unsigned char *)name; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			return (0);
	return (1);
}

char *
console_auth_url(const char *base, const char *path)
{
	size_t	 n = strlen(base);
	char	*url;

	while (n > 0 && base[n - 1] == '/')
		n--;
	xasprintf(&url, "%.*s%s", (int)n, base, path);
	return (url);
}

char *
console_auth_login_link(struct store *s, const char *base_url,
    const char *user, int minutes, time_t now, char **cause)
{
	char	 hash[CONSOLE_AUTH_HASH_LEN + 1], *secret, *path, *url;

	if (!console_auth_user_valid(user)) {
		xasprintf(cause, "'%s': a name is 1 to %d printable characters",
		    user, CONSOLE_AUTH_USER_MAX);
		return (NULL);
	}
	secret = console_auth_secret();
	console_auth_hash(secret, hash);
	if (store_begin(s, cause) != 0 || store_console_login_add(s, hash,
	    user, now, now + (time_t)minutes * 60, cause) != 0 ||
	    store_commit(s, cause) != 0) {
		store_rollback(s);
		explicit_bzero(secret, strlen(secret));
		free(secret);
		return (NULL);
	}
	xasprintf(&path, "/console/login/%s", secret);
	url = console_auth_url(base_url, path);
	explicit_bzero(secret, strlen(secret));
	explicit_bzero(path, strlen(path));
	free(secret);
	free(path);
	return (url);
}

char *
console_auth_unit_url(struct store *s, const char *key, const char *base_url,
    const char *unit, int days, time_t now, char **cause)
{
	int64_t	 id;
	char	*token, *path, *url;
	int	 generation;

	if (key == NULL || *key == '\0') {
		*cause = xstrdup("no link key ([http] link_secret_file)");
		return (NULL);
	}
	if ((id = store_unit_id(s, unit, cause)) <= 0) {
		if (id == 0)
			xasprintf(cause, "unknown unit '%s'", unit);
		return (NULL);
	}
	if ((generation = store_unit_link_generation(s, id, cause)) < 0)
		return (NULL);
	token = link_make(key, 0, generation, unit, LINK_UNIT, now +
	    (time_t)days * 86400);
	if (token == NULL) {
		xasprintf(cause, "'%s': no link can name this unit", unit);
		return (NULL);
	}
	xasprintf(&path, "/unit/%s", token);
	url = console_auth_url(base_url, path);
	free(token);
	free(path);
	return (url);
}
