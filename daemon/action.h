#ifndef ACTION_H
#define ACTION_H

#include <stdint.h>

#include "date.h"
#include "store.h"

/*
 * The actions on an occurrence, with one meaning whoever asks: the
 * coordinator's console, a unit's page or completion link, deadlinectl.
 *
 *	done	the work is done (on a day, today by default)
 *	reopen	done or waived becomes open again
 *	waive	not applicable, with a reason: out of the on-time figures
 *	snooze	no reminder for N working days; the deadline stays
 *	extend	a new due date with a reason: the occurrence moves (its
 *		old date kept), reminders, feeds and reports follow it
 *	request	a unit asks for an extension (a date and a reason); it
 *		waits for the coordinator
 *	approve	the coordinator grants a request: extend to its date
 *	decline	the coordinator refuses a request, with a word of why
 *
 * A unit acts on its own occurrences only, and never reopens, extends
 * or answers requests; the coordinator and the CLI never request.
 * Each action is checked, then written with its history row (who, from
 * where, why) in one transaction.
 */
struct calendar;

enum action_kind {
	ACTION_DONE,
	ACTION_REOPEN,
	ACTION_WAIVE,
	ACTION_SNOOZE,
	ACTION_EXTEND,
	ACTION_REQUEST,
	ACTION_APPROVE,
	ACTION_DECLINE
};

/* What action_apply() returns. */
#define ACTION_OK		 0
#define ACTION_INVALID		-1	/* bad input: nothing checked further */
#define ACTION_NOT_FOUND	-2	/* no such occurrence or request */
#define ACTION_FORBIDDEN	-3	/* not the acting unit's, or not its */
#define ACTION_CONFLICT		-4	/* not now: changed, done, pending */
#define ACTION_FAILED		-5	/* the store failed or is busy */

/* Why, in more detail (action_why_text says it in words). */
enum action_why {
	ACTION_WHY_NONE,
	ACTION_WHY_NO_OCCURRENCE,
	ACTION_WHY_NO_REQUEST,
	ACTION_WHY_NOT_YOURS,
	ACTION_WHY_NOT_ALLOWED,
	ACTION_WHY_NO_REASON,
	ACTION_WHY_BAD_TEXT,
	ACTION_WHY_TOO_LONG,
	ACTION_WHY_BAD_DATE,
	ACTION_WHY_NOT_LATER,
	ACTION_WHY_TOO_FAR,
	ACTION_WHY_BAD_DAYS,
	ACTION_WHY_NOT_OPEN,
	ACTION_WHY_ALREADY_OPEN,
	ACTION_WHY_CHANGED,
	ACTION_WHY_PENDING,
	ACTION_WHY_DECIDED,
	ACTION_WHY_STORE
};

#define ACTION_REASON_MAX	2000	/* characters */
#define ACTION_SNOOZE_MAX	30	/* working days */
#define ACTION_EXTEND_MAX	366	/* days past the current due date */

struct action {
	enum action_kind	 kind;
	int64_t			 occurrence;
	int64_t			 request;	/* approve, decline */
	const char		*unit;		/* acting unit, or NULL */
	struct store_actor	 who;
	const char		*reason;	/* or the answer to a request */
	date_t			 date;		/* done on; extend, request to */
	int			 days;		/* snooze */
	int64_t			 version;	/* the form's; -1: unchecked */
	int			 sequence;	/* a link's; -1: unchecked */
};

struct action_result {
	enum action_why		 why;
	int64_t			 occurrence;
	int64_t			 request;	/* the request made or answered */
	date_t			 old_due;
	date_t			 new_due;	/* extend, approve */
	date_t			 until;		/* snooze */
	date_t			 done_on;
};

/* An action's name ("done", "extend"...) and back; 0 or -1. */
const char	*action_name(enum action_kind);
int		 action_parse(const char *, enum action_kind *);
/* Applies an action in its own transaction; ACTION_* and *cause. */
int		 action_apply(struct store *, struct calendar *,
		     const struct action *, date_t, struct action_result *,
		     char **);
/* The same inside the caller's transaction (rolled back on failure). */
int		 action_apply_locked(struct store *, struct calendar *,
		     const struct action *, date_t, struct action_result *,
		     char **);
/* What why means, in "vi" or "en"; static. */
const char	*action_why_text(enum action_why, const char *);
/* 1 if a reason has something besides white space. */
int		 action_reason_given(const char *);

#endif
