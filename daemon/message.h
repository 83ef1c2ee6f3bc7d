#ifndef MESSAGE_H
#define MESSAGE_H

#include <stddef.h>
#include <stdint.h>

#include "date.h"

/*
 * The daily reminder digest of one unit, or the escalation digest sent to
 * a coordinator, rendered as mail text (Vietnamese or English), an HTML
 * alternative, and a JSON document for webhooks.  A unit's overdue count
 * is the agenda's: items not reminded one by one that day (quiet) are
 * counted and named in one line.  Ongoing tasks are one line each.  An
 * escalation lists a task once with its late units.
 */
enum message_kind {
	MESSAGE_DUE_SOON,
	MESSAGE_DUE_TODAY,
	MESSAGE_OVERDUE,
	MESSAGE_ONGOING,	/* "Thường xuyên": no date */
	MESSAGE_ESCALATION,	/* another unit's overdue item */
	MESSAGE_REVIEW		/* to the coordinator: a date to look at */
};

/* Why a MESSAGE_REVIEW item is listed. */
enum message_review {
	MESSAGE_REVIEW_PARTIAL,	/* time cell read in part */
	MESSAGE_REVIEW_UNPARSED,	/* time cell not read */
	MESSAGE_REVIEW_PAST	/* due before the plan was imported */
};

/* One task of the digest; every string is UTF-8 and borrowed. */
struct message_item {
	const char		*plan_ref;	/* "KH-CCHC-2024 III.DT.2.b" */
	const char		*title;		/* the plan's content column */
	const char		*action;	/* "Nhiệm vụ, giải pháp", or NULL */
	const char		*time_text;	/* "Quý II/2024", or NULL */
	const char		*lead_units;	/* or NULL */
	const char		*support_units;	/* or NULL */
	const char		*notes;		/* the plan's notes, or NULL */
	const char		*unit_name;	/* the late unit (escalation) */
	date_t			 nominal;	/* as written, or DATE_NONE */
	date_t			 effective;	/* after the day-off rule */
	int			 working_days_left; /* negative: overdue */
	enum message_kind	 kind;
	const char		*done_link;	/* or NULL */
	enum message_review	 review;	/* MESSAGE_REVIEW only */
	const char		*leftover;	/* words not read, or NULL */
	int64_t			 task_id;	/* groups escalations; 0: by ref */
};

struct message_digest {
	const char		*unit_code;
	const char		*unit_name;	/* the addressee */
	const char		*lang;		/* "vi" (default) or "en" */
	date_t			 day;		/* the day of the digest */
	const char		*feed_link;	/* or NULL */
	const char		*unit_link;	/* the unit's page, or NULL */
	const struct message_item *items;
	size_t			 n;
	int			 escalation;	/* 1: to a coordinator */
	size_t			 more;		/* items left out (a cap) */
	/* Overdue, not reminded one by one today: counted, named in a line. */
	const struct message_item *quiet;
	size_t			 nquiet;
	const char		*reply_name;	/* whom replies reach, or NULL */
	const char		*reply_addr;	/* NULL: replies reach nobody */
};

/* Subject, text and (if html is not NULL) HTML; caller frees all three. */
void	 message_render(const struct message_digest *, char **, char **,
	    char **);
/*
 * Subject and text for a chat service: the mail's text with paragraphs
 * unbroken (chat clients wrap to their own screen); caller frees both.
 */
void	 message_render_chat(const struct message_digest *, char **, char **);
/* The digest as a JSON document for webhooks; caller frees. */
char	*message_render_json(const struct message_digest *);
/* The status word of a kind: "overdue", "due_today", ...; static. */
const char *message_kind_status(enum message_kind);

#endif
