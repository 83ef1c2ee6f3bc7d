#ifndef TIMEEXPR_H
#define TIMEEXPR_H

#include <stddef.h>

#include "date.h"

/*
 * Vietnamese time expressions of a plan's "time" column ("Quý II/2024",
 * "Hàng tháng", "Ngày 30 tháng cuối cùng của quý", "Thường xuyên", ...)
 * turned into obligations.  One cell may give several obligations
 * ("Hàng quý, 06 tháng, năm" is three); a period and the day that
 * qualifies it ("Hằng tháng, trước ngày 22") are one.  Matching ignores
 * case and diacritics (NFC and NFD alike) and reads "hàng" and "hằng"
 * alike.
 *
 * Every word of the cell is accounted for: a number, a date or a time
 * word ("tháng", "quý", "trước", ...) that no reading used makes the
 * reading partial, and the result says which words were left over.
 */
enum timeexpr_kind {
	TIMEEXPR_ONCE,
	TIMEEXPR_RECURRING,
	TIMEEXPR_ONGOING,
	TIMEEXPR_ON_EVENT,
	TIMEEXPR_UNPARSED
};

/* How much of the cell the reading accounts for. */
enum timeexpr_quality {
	TIMEEXPR_EXACT,		/* every meaningful word */
	TIMEEXPR_PARTIAL,	/* a reading, with words left over */
	TIMEEXPR_UNREAD		/* no reading at all ("unparsed") */
};

/*
 * Where a deadline on a day off moves.  "trước (ngày) X" is due the day
 * before X and, on a day off, the working day before that: "before X"
 * never lands on or after X.  "sau X" moves forward.  Everything else
 * follows [calendar] dayoff_rule.
 */
enum timeexpr_dayoff {
	TIMEEXPR_DAYOFF_DEFAULT,
	TIMEEXPR_DAYOFF_PREVIOUS,
	TIMEEXPR_DAYOFF_NEXT
};

struct timeexpr_item {
	enum timeexpr_kind	 kind;
	date_t			 due;	/* ONCE: nominal due date, else DATE_NONE */
	date_t			 start;	/* ONCE over a range: its first day */
	char			*rrule;	/* RECURRING: rule text (see rule.h) */
	char			*label;	/* short phrase this item came from */
	enum timeexpr_dayoff	 dayoff;
};

struct timeexpr {
	struct timeexpr_item	*items;
	size_t			 n;
	enum timeexpr_quality	 quality;
	char			*leftover;	/* words not read, or NULL */
};

struct timeexpr_options {
	int	year;		/* the plan's year, for dates without one */
	int	period_day;	/* day of a period's last month; 0 = last day */
	date_t	start;		/* the plan's first day (for "Tết"); 0: 1 Jan */
};

/* A cell never yields more obligations than this; the rest is ignored. */
#define TIMEEXPR_MAX_ITEMS	64

/* The zone of the lunar calendar ("Tết Nguyên đán"): Vietnam, UTC+7. */
#define TIMEEXPR_LUNAR_ZONE	7.0

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
/* "exact", "partial", "unparsed". */
const char *timeexpr_quality_name(enum timeexpr_quality);
int	 timeexpr_quality_from_name(const char *, enum timeexpr_quality *);
/* NULL (the configured rule), "previous" or "next". */
const char *timeexpr_dayoff_name(enum timeexpr_dayoff);
int	 timeexpr_dayoff_from_name(const char *, enum timeexpr_dayoff *);

#endif
