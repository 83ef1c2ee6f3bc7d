#ifndef LINK_H
#define LINK_H

#include <stdint.h>
#include <time.h>

/*
 * Signed completion links.  A token names one occurrence, the unit it was
 * sent to, an action (done, waive, snooze), an expiry and the
 * occurrence's sequence when the link was made (it moves on at every
 * change of status or date, so a link stops working once the occurrence
 * is reopened), and carries an HMAC-SHA256 of that payload under the
 * [http] link_secret_file key:
 *
 *	token = base64url(payload) "." base64url(hmac)
 *	payload = "2|" occurrence "|" unit "|" action "|" expires "|" sequence
 *
 * (version 1, without the sequence, is read as sequence 0.)
 *
 * A unit's page link (/unit/<token>, the console's unit page) is a token
 * of action "unit" and occurrence 0; its sequence is the generation of
 * the unit's page links, which renewing them moves on.
 *
 * base64url without padding, so a token holds only [A-Za-z0-9_.-].
 * The pages behind a link are link-page.h's.
 */

#define LINK_OK		 0
#define LINK_MALFORMED	-1	/* not a token at all */
#define LINK_FORGED	-2	/* bad signature: forged, tampered, other key */
#define LINK_EXPIRED	-3	/* genuine but past its expiry */

#define LINK_UNIT_MAX	32
#define LINK_TOKEN_MAX	512	/* characters of a token */

struct link_claims {
	int64_t	occurrence;
	char	unit[LINK_UNIT_MAX + 1];
	char	action[8];		/* "done", "waive", "snooze", "unit" */
	time_t	expires;
	int	sequence;		/* the occurrence's, when made */
};

#define LINK_UNIT	"unit"

/* 1 if action is done, waive or snooze. */
int	 link_valid_action(const char *);
/* 1 if an occurrence and an action make a token: an occurrence's, a unit's. */
int	 link_valid_claims(int64_t, const char *);
/* A signed token; NULL if the key is empty or an argument invalid. */
char	*link_make(const char *, int64_t, int, const char *, const char *,
	    time_t);
/* LINK_OK and the claims, or a LINK_* error and *cause. */
int	 link_verify(const char *, const char *, time_t, struct link_claims *,
	    char **);
/* base_url "/done/" token; caller frees. */
char	*link_url(const char *, const char *);

#endif
