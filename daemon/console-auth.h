#ifndef CONSOLE_AUTH_H
#define CONSOLE_AUTH_H

#include <time.h>

/*
 * Who may use the console and the unit pages, shared by the server and
 * deadlinectl.  A coordinator signs in through a single-use login link
 * (deadlinectl console-link NAME), which makes a session; the store keeps
 * the SHA-256 of each secret, never the secret.  Forms carry a CSRF token,
 * an HMAC under the link key of the session (or the unit page's token),
 * so a page of another site cannot post one.  A unit's page is reached by
 * a signed link.h token of action "unit" that names the unit.
 */
struct store;

#define CONSOLE_AUTH_SECRET_LEN	43	/* base64url of 32 random bytes */
#define CONSOLE_AUTH_HASH_LEN	64	/* hex SHA-256 */
#define CONSOLE_AUTH_CSRF_LEN	43
#define CONSOLE_AUTH_USER_MAX	64	/* characters of a name */

/* A new random secret (32 bytes, base64url); caller frees. */
char	*console_auth_secret(void);
/* The hex SHA-256 of a secret. */
void	 console_auth_hash(const char *, char[CONSOLE_AUTH_HASH_LEN + 1]);
/* The CSRF token of a scope ("session", "unit", "login") and value. */
void	 console_auth_csrf(const char *, const char *, const char *,
	    char[CONSOLE_AUTH_CSRF_LEN + 1]);
/* 1 if given is that token (compared in constant time). */
int	 console_auth_csrf_ok(const char *, const char *, const char *,
	    const char *);
/* 1 if a name is fit for a console user: 1 to 64 printable characters. */
int	 console_auth_user_valid(const char *);
/*
 * Makes a single-use login link for a user, valid for minutes: records
 * its hash (own transaction) and returns base_url/console/login/SECRET
 * (caller frees), or NULL and *cause.
 */
char	*console_auth_login_link(struct store *, const char *, const char *,
	    int, time_t, char **);
/* The address of a unit's page (caller frees), or NULL and *cause. */
char	*console_auth_unit_url(struct store *, const char *, const char *,
	    const char *, int, time_t, char **);
/* base_url with path appended, without a doubled slash; caller frees. */
char	*console_auth_url(const char *, const char *);

#endif
