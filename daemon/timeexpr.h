#ifndef TIMEEXPR_H
#define TIMEEXPR_H

#include <stddef.h>

#include "date.h"

/*
 * Vietnamese time expressions of a plan's "time" column ("Quý II/2024",
 * "Hàng tháng", "Ngày 30 tháng cuối cùng của quý", "Thường xuyên", ...)
 * turned into obligations.  One cell may give several obligations
 * ("Hàng quý, 06 tháng, năm" is three).  Matching ignores case and
 * diacritics (NFC and NFD alike) and reads "hàng" and "hằng" alike.
 */
enum timeexpr_kind {
	TIMEEXPR_ONCE,
	TIMEEXPR_RECURRING,
	TIMEEXPR_ONGOING,
	TIMEEXPR_ON_EVENT,
	TIMEEXPR_UNPARSED
};

struct timeexpr_item {
	enum timeexpr_kind	 kind;
	date_t			 due;	/* ONCE: nominal due date, else DATE_NONE */
	char			*rrule;	/* RECURRING: rule text (see rule.h) */
	char			*label;	/* short phrase this item came from */
};

struct timeexpr {
	struct timeexpr_item	*items;
	size_t			 n;
};

struct timeexpr_options {
	int	year;		/* the plan's year, for dates without one */
	int	period_day;	/* day of a period's last month; 0 = last day */
};

/* A cell never yields more obligations than this; the rest is ignored. */
#define TIMEEXPR_MAX_ITEMS	64

/*
 * Reads one bullet of a time cell into *te (overwritten, not freed first;
 * release with timeexpr_clear).  Always yields at least one item: UNPARSED,
 * labelled with the text, when nothing is understood.  Returns 0.
 */
int	 timeexpr_parse(const char *, const struct timeexpr_options *,
	    struct timeexpr *);
/*
 * Deadlines written inside a task's text ("... trước ngày 20/11 ...",
 * "chậm nhất ngày 15/12/2024"); zero items when there are none.  Returns 0.
 */
int	 timeexpr_milestones(const char *, const struct timeexpr_options *,
	    struct timeexpr *);
void	 timeexpr_clear(struct timeexpr *);	/* NULL is safe */
const char *timeexpr_kind_name(enum timeexpr_kind);	/* "once", ... */
int	 timeexpr_kind_from_name(const char *, enum timeexpr_kind *);

#endif
