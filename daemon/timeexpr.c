/*
 * Vietnamese time expressions into obligations.
 *
 * The text is folded (lower case, no diacritics, đ -> d; NFC and NFD alike)
 * into word, number and punctuation tokens that remember which bytes of the
 * original they came from, so labels quote the text as written.  Reading
 * goes in three steps:
 *
 * 1. A scan from left to right turns phrases into fragments: a dated item
 *    ("Quý II/2024"), a period ("Hằng quý"), a day of a period ("trước
 *    ngày 18 tháng cuối quý"), a day and month without a year ("05/12"),
 *    an ongoing phrase, or an event clause ("Theo yêu cầu của ..."), which
 *    swallows the rest of its clause.  Every phrase is a short fixed
 *    sequence, so the scan is linear in the input.
 * 2. The fragments of each clause (up to a ";") are combined: a period and
 *    the day that qualifies it are one obligation ("Hằng tháng, trước ngày
 *    22" is the 21st of every month), a period with days and months is a
 *    yearly one ("Định kỳ 6 tháng (trước 10/6 và 10/12)").  A fragment that
 *    fits nothing is not used.
 * 3. Every token no obligation used is looked at: a number or a time word
 *    left over makes the reading partial, and the words are reported.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "fold.h"
#include "lunar.h"
#include "timeexpr.h"
#include "utf8.h"
#include "xmalloc.h"

enum te_token_type {
	TE_WORD,
	TE_NUM,
	TE_PUNCT
};

struct te_token {
	enum te_token_type	 type;
	size_t			 foff;	/* offset in the folded text */
	size_t			 flen;
	long			 value;	/* TE_NUM: value, -1 when too long */
	size_t			 ostart;	/* bytes of the original */
	size_t			 oend;
};

/* What a capture read: a date, a month, a quarter, a year, a number. */
struct te_when {
	int	day;
	int	month;
	int	year;
	int	has_year;
	int	quarter;
	int	num;		/* day of month, stage; year: 1 if a range */
	int	first_year;	/* year ranges: the first year */
	int	can;		/* Tết: heavenly stem 0..9, or -1 */
	int	chi;		/* Tết: bit mask of earthly branches */
};

struct te_capture {
	struct te_when	w[2];
	int		n;
};

/* Periods of recurring obligations. */
enum te_period {
	TE_P_NONE,
	TE_P_WEEK,
	TE_P_MONTH,
	TE_P_QUARTER,
	TE_P_HALF,
	TE_P_YEAR
};

/*
 * Which month of its period a day falls in: the last (the default, as
 * Decree 09/2019 counts reports), the first, or the one after the period.
 * The quarter anchors name the period themselves ("tháng cuối quý").
 */
enum te_anchor {
	TE_A_LAST,
	TE_A_FIRST,
	TE_A_NEXT,
	TE_A_LAST_OF_QUARTER,
	TE_A_FIRST_OF_NEXT_QUARTER
};

enum te_frag_type {
	TE_F_ITEM,		/* an obligation read whole */
	TE_F_PERIOD,		/* a bare period: "Hằng quý" */
	TE_F_DAY,		/* a day of a period: "trước ngày 22" */
	TE_F_YEARLESS,		/* a date without a year: "05/12", "tháng 6" */
	TE_F_ONGOING,		/* "Thường xuyên" */
	TE_F_READ		/* read, no obligation: a programme's years */
};

struct te_frag {
	enum te_frag_type	 type;
	size_t			 first;		/* tokens [first, end) */
	size_t			 end;
	size_t			 lfirst;	/* first token of the label */
	int			 clause;
	int			 deadline;	/* "trước", "chậm nhất", "hạn" */
	enum timeexpr_dayoff	 dayoff;
	/* TE_F_ITEM */
	enum timeexpr_kind	 kind;
	date_t			 due;
	date_t			 start;
	char			*rrule;
	const char		*label;		/* fixed label, or NULL */
	char			*stage;		/* "Giai đoạn 1", or NULL */
	/* TE_F_PERIOD */
	enum te_period		 period;
	/* TE_F_DAY: day (0: the last), shifted a day back for "trước" */
	int			 day;
	int			 shift;
	enum te_anchor		 anchor;
	/* TE_F_YEARLESS: the due's month and day (0: the last) */
	int			 month;
	int			 used;		/* became (part of) an item */
	int			 years;		/* a range of years */
};

/* An obligation waiting to be added in the order of the text. */
struct te_pending {
	size_t			 order;
	enum timeexpr_kind	 kind;
	date_t			 due;
	date_t			 start;
	char			*rrule;
	char			*label;
	enum timeexpr_dayoff	 dayoff;
};

struct te_parse {
	const char		*text;
	struct te_token		*tok;
	size_t			 n;
	size_t			 size;
	struct buf		 folded;
	int			*clause;	/* clause of each token */
	char			*used;		/* each token: accounted for */
	size_t			 start;		/* first token after bullets */
	int			 year;
	int			 period_day;
	date_t			 plan_start;
	int			 milestones;	/* task text: deadlines only */
	int			 list_ok;	/* a bare period may follow */
	int			 events;	/* event clauses seen */
	char			*stage;		/* "Giai đoạn 1" while in one */
	struct te_frag		*frag;
	size_t			 nfrag;
	size_t			 sfrag;
	struct te_pending	*pend;
	size_t			 npend;
	size_t			 spend;
	struct timeexpr		*out;
	uint64_t		 pat_may[257];	/* see te_pattern_at */
};

struct te_pattern;
typedef void (*te_handler)(struct te_parse *, const struct te_capture *,
    size_t, size_t, const struct te_pattern *);

/* Pattern flags. */
#define TE_PERIOD	0x1	/* a period: a list of periods may follow */
#define TE_DEADLINE	0x2	/* a deadline word: a milestone in task text */

struct te_pattern {
	const char	*pattern;
	te_handler	 handler;
	int		 flags;
	const char	*label;		/* NULL: the matched text */
	int		 arg;
};

typedef int (*te_capture_fn)(struct te_parse *, size_t *, struct te_when *);

struct te_capture_def {
	char		letter;
	te_capture_fn	fn;
};

/* What a deadline prefix said: "trước ngày", "chậm nhất là ngày", ... */
struct te_prefix {
	int	before;		/* "trước": the day before */
	int	deadline;	/* a deadline word */
	int	day_word;	/* "ngày" or "mùng": a day follows */
	size_t	label;		/* first token of the label */
};

/* Week forms: which week of which period. */
enum te_week {
	TE_W_FIRST,
	TE_W_LAST
};

static void	te_h_noop(struct te_parse *, const struct te_capture *, size_t,
		    size_t, const struct te_pattern *);
static void	te_h_period(struct te_parse *, const struct te_capture *,
		    size_t, size_t, const struct te_pattern *);
static void	te_h_ongoing(struct te_parse *, const struct te_capture *,
		    size_t, size_t, const struct te_pattern *);
static void	te_h_stage(struct te_parse *, const struct te_capture *,
		    size_t, size_t, const struct te_pattern *);
static void	te_h_tet(struct te_parse *, const struct te_capture *, size_t,
		    size_t, const struct te_pattern *);
static void	te_h_new_year(struct te_parse *, const struct te_capture *,
		    size_t, size_t, const struct te_pattern *);
static void	te_h_range_dates(struct te_parse *, const struct te_capture *,
		    size_t, size_t, const struct te_pattern *);
static void	te_h_range_months(struct te_parse *,
		    const struct te_capture *, size_t, size_t,
		    const struct te_pattern *);
static void	te_h_range_quarters(struct te_parse *,
		    const struct te_capture *, size_t, size_t,
		    const struct te_pattern *);
static void	te_h_range_years(struct te_parse *, const struct te_capture *,
		    size_t, size_t, const struct te_pattern *);
static void	te_h_week_month(struct te_parse *, const struct te_capture *,
		    size_t, size_t, const struct te_pattern *);
static void	te_h_week_period(struct te_parse *,
		    const struct te_capture *, size_t, size_t,
		    const struct te_pattern *);

static int	te_cap_date(struct te_parse *, size_t *, struct te_when *);
static int	te_cap_full_date(struct te_parse *, size_t *,
		    struct te_when *);
static int	te_cap_month(struct te_parse *, size_t *, struct te_when *);
static int	te_cap_month_year(struct te_parse *, size_t *,
		    struct te_when *);
static int	te_cap_quarter(struct te_parse *, size_t *, struct te_when *);
static int	te_cap_day(struct te_parse *, size_t *, struct te_when *);
static int	te_cap_stage(struct te_parse *, size_t *, struct te_when *);
static int	te_cap_year(struct te_parse *, size_t *, struct te_when *);
static int	te_cap_range(struct te_parse *, size_t *, struct te_when *);
static int	te_cap_quarter_word(struct te_parse *, size_t *,
		    struct te_when *);
static int	te_cap_tet(struct te_parse *, size_t *, struct te_when *);

#define TE_TET_BEFORE	0
#define TE_TET_AFTER	1

/*
 * Pattern elements are separated by one space: a word or number, several
 * separated by '|', "%X" a capture (see te_captures), "^" the start of the
 * bullet, "$" its end, "~" "no number follows"; a trailing '?' makes an
 * element optional.  At each token the first pattern that matches wins,
 * then event clauses, then dates (te_object), then bare periods.
 */
static const struct te_pattern te_patterns[] = {
	/* Beyond the plan's year or "from now": nothing to remind of. */
	{ "va? cac|nhung nam tiep|sau|ke theo|tiep?", te_h_noop, 0, NULL, 0 },
	{ "tu nay|bay gio?", te_h_noop, 0, NULL, 0 },

	/* The lunar new year (lunar.c) and the solar one. */
	{ "truoc dip? tet duong lich %Y?", te_h_new_year, TE_DEADLINE, NULL,
	    0 },
	{ "truoc dip? tet nguyen? dan? am? lich? co? truyen? %T", te_h_tet,
	    TE_DEADLINE, NULL, TE_TET_BEFORE },
	{ "sau dip? tet nguyen? dan? am? lich? co? truyen? %T", te_h_tet, 0,
	    NULL, TE_TET_AFTER },

	/* Ranges: one obligation from the first day to the last. */
	{ "tu ngay? mung? %D den|toi het? ngay? %D", te_h_range_dates, 0,
	    NULL, 0 },
	{ "tu thang %M den|toi het? thang %M", te_h_range_months, 0, NULL, 0 },
	{ "thang %M - thang? %M", te_h_range_months, 0, NULL, 0 },
	{ "tu quy %Q den|toi het? quy %Q", te_h_range_quarters, 0, NULL, 0 },
	{ "quy %Q - quy? %Q", te_h_range_quarters, 0, NULL, 0 },
	{ "tu nam %Y den|toi het? nam? %Y", te_h_range_years, 0, NULL, 0 },

	/* Weeks: "within the first week" is "before the 8th". */
	{ "tuan dau tien? cua? thang %M", te_h_week_month, 0, NULL,
	    TE_W_FIRST },
	{ "tuan cuoi cung? cua? thang %M", te_h_week_month, 0, NULL,
	    TE_W_LAST },
	{ "tuan dau tien? cua? moi|hang|cac? thang", te_h_week_period, 0,
	    NULL, TE_W_FIRST * 16 + TE_P_MONTH },
	{ "tuan cuoi cung? cua? moi|hang|cac? thang", te_h_week_period, 0,
	    NULL, TE_W_LAST * 16 + TE_P_MONTH },
	{ "tuan dau tien? cua? moi|hang|cac? quy", te_h_week_period, 0,
	    NULL, TE_W_FIRST * 16 + TE_P_QUARTER },
	{ "tuan cuoi cung? cua? moi|hang|cac? quy", te_h_week_period, 0,
	    NULL, TE_W_LAST * 16 + TE_P_QUARTER },
	{ "tuan dau tien? cua? moi|hang? nam", te_h_week_period, 0, NULL,
	    TE_W_FIRST * 16 + TE_P_YEAR },
	{ "tuan cuoi cung? cua? moi|hang? nam", te_h_week_period, 0, NULL,
	    TE_W_LAST * 16 + TE_P_YEAR },
	{ "hang|moi tuan", te_h_period, TE_PERIOD, "Hàng tuần", TE_P_WEEK },

	/* Periods: due at the end of each, or on options.period_day. */
	{ "dinh ky :? hang|moi? 6 thang", te_h_period, TE_PERIOD, "06 tháng",
	    TE_P_HALF },
	{ "dinh ky :? hang|moi|theo? thang", te_h_period, TE_PERIOD,
	    "Hàng tháng", TE_P_MONTH },
	{ "dinh ky :? hang|moi|theo? quy", te_h_period, TE_PERIOD,
	    "Hàng quý", TE_P_QUARTER },
	{ "dinh ky :? hang|moi|theo? nam", te_h_period, TE_PERIOD,
	    "Hàng năm", TE_P_YEAR },
	{ "dinh ky :? hang|moi? tuan", te_h_period, TE_PERIOD, "Hàng tuần",
	    TE_P_WEEK },
	{ "hang|moi 6 thang", te_h_period, TE_PERIOD, "06 tháng", TE_P_HALF },
	{ "6 thang mot|1 lan", te_h_period, TE_PERIOD, "06 tháng", TE_P_HALF },
	{ "6 thang / lan", te_h_period, TE_PERIOD, "06 tháng", TE_P_HALF },
	{ "hang|moi thang", te_h_period, TE_PERIOD, "Hàng tháng",
	    TE_P_MONTH },
	{ "hang|moi quy", te_h_period, TE_PERIOD, "Hàng quý", TE_P_QUARTER },
	{ "hang|moi nam", te_h_period, TE_PERIOD, "Hàng năm", TE_P_YEAR },
	{ "cuoi moi|hang|cac thang", te_h_period, TE_PERIOD, NULL,
	    TE_P_MONTH },
	{ "cuoi moi|hang|cac quy", te_h_period, TE_PERIOD, NULL,
	    TE_P_QUARTER },
	{ "cuoi moi|hang|cac nam", te_h_period, TE_PERIOD, NULL, TE_P_YEAR },
	{ "theo thang ~", te_h_period, TE_PERIOD, "Hàng tháng", TE_P_MONTH },
	{ "theo %K ~", te_h_period, TE_PERIOD, "Hàng quý", TE_P_QUARTER },

	/* "For the six-month report": a bare period may follow. */
	{ "doi voi bao? cao? dinh? ky?", te_h_noop, TE_PERIOD, NULL, 0 },

	/* No date: work that goes on. */
	{ "thuong xuyen", te_h_ongoing, 0, NULL, 0 },
	{ "lien tuc", te_h_ongoing, 0, NULL, 0 },
	{ "hang|moi ngay ~", te_h_ongoing, 0, NULL, 0 },
	{ "^ trong? ca|quanh|suot nam %Y?", te_h_ongoing, 0, NULL, 0 },

	/* Stages: the dates that follow belong to them. */
	{ "giai doan %S :?", te_h_stage, 0, "Giai đoạn", 0 },
	{ "dot %S :?", te_h_stage, 0, "Đợt", 0 },
};

/*
 * Captures: D a date (year optional), F a date with its year, M a month
 * (year optional), P a month with its year, Q a quarter, N a day of the
 * month, S a stage number, Y a year or range, R a range of years, K the
 * word "quý" written with its accent, T what may follow "Tết".
 */
static const struct te_capture_def te_captures[] = {
	{ 'D', te_cap_date },
	{ 'F', te_cap_full_date },
	{ 'M', te_cap_month },
	{ 'P', te_cap_month_year },
	{ 'Q', te_cap_quarter },
	{ 'N', te_cap_day },
	{ 'S', te_cap_stage },
	{ 'Y', te_cap_year },
	{ 'R', te_cap_range },
	{ 'K', te_cap_quarter_word },
	{ 'T', te_cap_tet },
};

static const char *te_roman[] = {
	"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"
};

/* The ten heavenly stems and twelve earthly branches of a lunar year. */
static const char *te_stems[] = {
	"giap", "at", "binh", "dinh", "mau", "ky", "canh", "tan", "nham", "quy"
};
static const char *te_branches[] = {
	"ty", "suu", "dan", "mao", "thin", "ty", "ngo", "mui", "than", "dau",
	"tuat", "hoi"
};

/* Words that start a clause about an event, not a date. */
static const char *te_event_words[] = {
	"ngay sau khi", "ngay khi", "sau khi", "truoc khi", "khi", "theo",
	"tuy theo", "tuy thuoc", "dot xuat", "kip thoi", "ke tu", "can cu",
	"trong vong", "trong thoi han", "trong qua trinh", "thay cho",
	"thay the", NULL
};

static const char *te_kind_names[] = {
	"once", "recurring", "ongoing", "on_event", "unparsed"
};

static const char *te_quality_names[] = {
	"exact", "partial", "unparsed"
};

/* Folds a code point: an ASCII character, ' ', or 0 to drop it. */
static int
te_fold_cp(uint32_t cp)
{
	char	c;

	if ((c = fold_letter(cp)) != 0)
		return (c);
	if (cp == '\n')
		return (';');	/* a line ends a clause */
	if (cp < 0x20 || cp == 0x7f)
		return (' ');
	if (cp < 0x80)
		return ((int)cp);
	if (utf8_is_combining(cp))
		return (0);
	if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212)
		return ('-');	/* hyphens, dashes, minus */
	return (' ');
}

/* The token type a folded character belongs to, or -1 for a space. */
static int
te_char_type(int c)
{
	if (c >= 'a' && c <= 'z')
		return (TE_WORD);
	if (c >= '0' && c <= '9')
		return (TE_NUM);
	if (c == ' ')
		return (-1);
	return (TE_PUNCT);
}

/* Starts a new token of type at original byte offset off. */
static struct te_token *
te_token_new(struct te_parse *p, int type, size_t off)
{
	struct te_token	*t;

	if (p->n == p->size) {
		p->size = p->size == 0 ? 32 : p->size * 2;
		p->tok = xreallocarray(p->tok, p->size, sizeof *p->tok);
	}
	t = &p->tok[p->n++];
	t->type = type;
	t->foff = p->folded.len;
	t->flen = 0;
	t->value = 0;
	t->ostart = t->oend = off;
	return (t);
}

/* Adds folded character c from bytes [off, end); the open token or NULL. */
static struct te_token *
te_token_feed(struct te_parse *p, struct te_token *cur, int c, size_t off,
    size_t end)
{
	int	type = te_char_type(c);

	if (type < 0)
		return (NULL);
	if (cur == NULL || (int)cur->type != type || type == TE_PUNCT)
		cur = te_token_new(p, type, off);
	buf_addc(&p->folded, (char)c);
	cur->flen++;
	cur->oend = end;
	if (type == TE_NUM) {
		if (cur->value >= 0 && cur->value < 100000000L)
			cur->value = cur->value * 10 + (c - '0');
		else
			cur->value = -1;
	}
	return (type == TE_PUNCT ? NULL : cur);
}

/* Splits the text into folded tokens. */
static void
te_tokenize(struct te_parse *p, const char *text)
{
	struct te_token		*cur = NULL;
	size_t			 len = strlen(text), i = 0, adv;
	uint32_t		 cp;
	int			 c;

	while (i < len) {
		if ((adv = utf8_decode(text + i, len - i, &cp)) == 0) {
			adv = 1;
			c = ' ';
		} else
			c = te_fold_cp(cp);
		if (c == 0 && cur != NULL)
			cur->oend = i + adv;
		else if (c != 0)
			cur = te_token_feed(p, cur, c, i, i + adv);
		i += adv;
	}
}

/* Number words, as written out after a figure: "ngày 06 (sáu)". */
static const char *te_number_words[] = {
	"mot", "hai", "ba", "bon", "tu", "nam", "sau", "bay", "tam", "chin",
	"muoi", "lam", "linh", "le", "tram", "nghin", "ngan", NULL
};

/*
 * The length of s up to its first byte stop or its end: strcspn for one
 * byte without its set-up, which the pattern matcher would pay millions
 * of times on a long cell.
 */
static size_t
te_span(const char *s, char stop)
{
	size_t	n = 0;

	while (s[n] != '\0' && s[n] != stop)
		n++;
	return (n);
}

/* 1 if token i exists and its folded text is w. */
static int
te_is_word(const struct te_parse *p, size_t i, const char *w)
{
	const struct te_token	*t;
	const char		*f;
	size_t			 k;

	if (i >= p->n)
		return (0);
	t = &p->tok[i];
	f = p->folded.data + t->foff;
	for (k = 0; k < t->flen; k++)
		if (w[k] == '\0' || w[k] != f[k])
			return (0);
	return (w[k] == '\0');
}

/* 1 if token i is one of the words of the list (NULL-terminated). */
static int
te_is_one_of(const struct te_parse *p, size_t i, const char *const *words)
{
	for (; *words != NULL; words++)
		if (te_is_word(p, i, *words))
			return (1);
	return (0);
}

/* 1 if the tokens at i spell the words of phrase ("sau khi"). */
static int
te_is_phrase(const struct te_parse *p, size_t i, const char *phrase,
    size_t *len)
{
	char	 word[32];
	size_t	 n = 0, k;

	while (*phrase != '\0') {
		k = strcspn(phrase, " ");
		if (k >= sizeof word)
			return (0);
		memcpy(word, phrase, k);
		word[k] = '\0';
		if (!te_is_word(p, i + n, word))
			return (0);
		n++;
		phrase += k;
		if (*phrase == ' ')
			phrase++;
	}
	*len = n;
	return (1);
}

/* 1 if token i is one of the punctuation characters in set. */
static int
te_is_punct(const struct te_parse *p, size_t i, const char *set)
{
	if (i >= p->n || p->tok[i].type != TE_PUNCT)
		return (0);
	return (strchr(set, p->folded.data[p->tok[i].foff]) != NULL);
}

/* The value of token i if it is a number of at most maxd digits, or -1. */
static long
te_num(const struct te_parse *p, size_t i, size_t maxd)
{
	if (i >= p->n || p->tok[i].type != TE_NUM || p->tok[i].flen > maxd)
		return (-1);
	return (p->tok[i].value);
}

/* The value of a Roman numeral word I..X at token i, or -1. */
static int
te_roman_at(const struct te_parse *p, size_t i)
{
	size_t	k;

	for (k = 0; k < sizeof te_roman / sizeof te_roman[0]; k++) {
		if (te_is_word(p, i, te_roman[k]))
			return ((int)k + 1);
	}
	return (-1);
}

/* 1 if word i, as written, has one of the code points of marks. */
static int
te_has_mark(const struct te_parse *p, size_t i, const uint32_t *marks)
{
	const struct te_token	*t = &p->tok[i];
	const char		*s = p->text + t->ostart;
	size_t			 len = t->oend - t->ostart, k = 0, adv, m;
	uint32_t		 cp;

	while (k < len) {
		if ((adv = utf8_decode(s + k, len - k, &cp)) == 0)
			adv = 1;
		else
			for (m = 0; marks[m] != 0; m++)
				if (cp == marks[m])
					return (1);
		k += adv;
	}
	return (0);
}

/*
 * 1 if word i carries an acute accent as written: "quý" (a quarter) and
 * not "quy" (as in "quy định").  Folding has dropped the accent, the
 * original still has it, precomposed or combining, old or new placement.
 */
static int
te_has_acute(const struct te_parse *p, size_t i)
{
	static const uint32_t	acute[] = { 0xfd, 0xdd, 0xfa, 0xda, 0x301, 0 };

	return (te_has_mark(p, i, acute));
}

/* 1 if word i is "ngày" (a day), not "ngay" (at once), as written. */
static int
te_is_day_word(const struct te_parse *p, size_t i)
{
	static const uint32_t	grave[] = { 0xe0, 0xc0, 0x300, 0 };

	return (te_is_word(p, i, "ngay") && te_has_mark(p, i, grave));
}

/* 1 if only closing punctuation is left from token i. */
static int
te_at_end(const struct te_parse *p, size_t i)
{
	for (; i < p->n; i++) {
		if (!te_is_punct(p, i, ".,;:!)"))
			return (0);
	}
	return (1);
}

/* 1 if token i separates the items of a list. */
static int
te_is_separator(const struct te_parse *p, size_t i)
{
	return (te_is_punct(p, i, ",;.-&+/()") || te_is_word(p, i, "va"));
}

/* 1 if token i is the tail of a number like "30/6/2024" begun earlier. */
static int
te_is_glued(const struct te_parse *p, size_t i)
{
	if (i < 2 || p->tok[i].type != TE_NUM || !te_is_punct(p, i - 1, "/.-"))
		return (0);
	return (p->tok[i - 2].type == TE_NUM &&
	    p->tok[i - 2].oend == p->tok[i - 1].ostart);
}

/* 1 if token i (punctuation) is glued between two numbers: "30.6". */
static int
te_between_numbers(const struct te_parse *p, size_t i)
{
	return (i > 0 && i + 1 < p->n && p->tok[i - 1].type == TE_NUM &&
	    p->tok[i + 1].type == TE_NUM &&
	    p->tok[i - 1].oend == p->tok[i].ostart &&
	    p->tok[i].oend == p->tok[i + 1].ostart);
}

/*
 * Drops a figure's spelling in words that follows it ("06 (sáu)", "25
 * (hai mươi lăm)"), as Decree 30/2020 style writes amounts: the words are
 * no date and "sáu" would read as "sau" (after).  Labels still quote them.
 */
static void
te_drop_spelled(struct te_parse *p)
{
	size_t	i, j, k, out = 0;

	for (i = 0; i < p->n; i++) {
		if (i > 0 && p->tok[i - 1].type == TE_NUM &&
		    te_is_punct(p, i, "(")) {
			for (j = i + 1; j < p->n &&
			    te_is_one_of(p, j, te_number_words); j++)
				;
			if (j > i + 1 && te_is_punct(p, j, ")")) {
				i = j;
				continue;
			}
		}
		k = i;
		p->tok[out++] = p->tok[k];
	}
	p->n = out;
}

/* Numbers each token with its clause: ";", a line, or a full stop. */
static void
te_clauses(struct te_parse *p)
{
	size_t	i;
	int	c = 0;

	p->clause = xcalloc(p->n + 1, sizeof *p->clause);
	for (i = 0; i < p->n; i++) {
		if (te_is_punct(p, i, ";") ||
		    (te_is_punct(p, i, ".") && !te_between_numbers(p, i)))
			c++;
		p->clause[i] = c;
	}
}

/* Reads "/2024", "-2024", ".2024", "/24" or "năm 2024" at *ip. */
static int
te_year_suffix(struct te_parse *p, size_t *ip, struct te_when *w)
{
	size_t	i = *ip;
	long	y;
	int	sep = te_is_punct(p, i, "/.-");

	if (!sep && !te_is_word(p, i, "nam"))
		return (-1);
	if ((y = te_num(p, i + 1, 4)) < 0)
		return (-1);
	if (p->tok[i + 1].flen == 2 && te_is_punct(p, i, "/."))
		y += 2000;
	else if (p->tok[i + 1].flen != 4)
		return (-1);
	w->year = (int)y;
	w->has_year = 1;
	*ip = i + 2;
	return (0);
}

/*
 * The year written after a list that continues at i: "tháng 11, tháng
 * 12 năm 2025", "quý I, II/2025".  Looks at most a dozen items ahead.
 */
static int
te_list_year(struct te_parse *p, size_t i, const char *word, int quarters,
    struct te_when *w)
{
	int	k, v;

	for (k = 0; k < 12; k++) {
		if (!te_is_punct(p, i, ",&") && !te_is_word(p, i, "va"))
			return (-1);
		i++;
		if (te_is_word(p, i, word))
			i++;
		v = quarters ? te_roman_at(p, i) : -1;
		if (v < 0)
			v = (int)te_num(p, i, 2);
		if (v < 1 || v > (quarters ? 4 : 12))
			return (-1);
		i++;
		if (te_year_suffix(p, &i, w) == 0)
			return (0);
	}
	return (-1);
}

/* Reads "15/12", "15.12", "15-12" or "15 tháng 12" at *ip. */
static int
te_cap_day_month(struct te_parse *p, size_t *ip, struct te_when *w)
{
	size_t	i = *ip;
	long	d, m;

	if ((d = te_num(p, i, 2)) < 1 || d > 31)
		return (-1);
	if (!te_is_punct(p, i + 1, "/.-") && !te_is_word(p, i + 1, "thang"))
		return (-1);
	if ((m = te_num(p, i + 2, 2)) < 1 || m > 12)
		return (-1);
	if (d > date_days_in_month(2000, (int)m))
		return (-1);
	w->day = (int)d;
	w->month = (int)m;
	*ip = i + 3;
	return (0);
}

/* Reads an ISO date "2024-12-15" at *ip. */
static int
te_cap_iso(struct te_parse *p, size_t *ip, struct te_when *w)
{
	size_t	i = *ip;

	if (te_num(p, i, 4) < 0 || p->tok[i].flen != 4 ||
	    !te_is_punct(p, i + 1, "-") || te_num(p, i + 2, 2) < 1 ||
	    !te_is_punct(p, i + 3, "-") || te_num(p, i + 4, 2) < 1)
		return (-1);
	w->year = (int)p->tok[i].value;
	w->month = (int)p->tok[i + 2].value;
	w->day = (int)p->tok[i + 4].value;
	w->has_year = 1;
	*ip = i + 5;
	return (0);
}

/* Reads a valid date at *ip, the plan's year when none is written. */
static int
te_cap_date(struct te_parse *p, size_t *ip, struct te_when *w)
{
	size_t	i = *ip;

	if (te_cap_iso(p, &i, w) != 0) {
		if (te_cap_day_month(p, &i, w) != 0)
			return (-1);
		te_year_suffix(p, &i, w);
	}
	if (!date_valid(w->year, w->month, w->day))
		return (-1);
	*ip = i;
	return (0);
}

/* Reads a valid date with its year written at *ip. */
static int
te_cap_full_date(struct te_parse *p, size_t *ip, struct te_when *w)
{
	size_t	i = *ip;

	if (te_cap_date(p, &i, w) != 0 || !w->has_year)
		return (-1);
	*ip = i;
	return (0);
}

/* Reads a month "5", "5/2024", "5 năm 2024" at *ip. */
static int
te_cap_month(struct te_parse *p, size_t *ip, struct te_when *w)
{
	size_t	i = *ip;
	long	m;

	if ((m = te_num(p, i, 2)) < 1 || m > 12)
		return (-1);
	i++;
	if (te_year_suffix(p, &i, w) != 0)
		te_list_year(p, i, "thang", 0, w);
	if (!date_valid(w->year, (int)m, 1))
		return (-1);
	w->month = (int)m;
	*ip = i;
	return (0);
}

/* Reads a month with its year "6/2024" at *ip. */
static int
te_cap_month_year(struct te_parse *p, size_t *ip, struct te_when *w)
{
	size_t	i = *ip;

	if (te_cap_month(p, &i, w) != 0 || !w->has_year)
		return (-1);
	*ip = i;
	return (0);
}

/* Reads a quarter "II", "2", "III/2024", "1 năm 2018" at *ip. */
static int
te_cap_quarter(struct te_parse *p, size_t *ip, struct te_when *w)
{
	size_t	i = *ip;
	long	q;

	if ((q = te_roman_at(p, i)) < 0)
		q = te_num(p, i, 2);
	if (q < 1 || q > 4)
		return (-1);
	i++;
	if (te_year_suffix(p, &i, w) != 0)
		te_list_year(p, i, "quy", 1, w);
	if (!date_valid(w->year, (int)q * 3, 1))
		return (-1);
	w->quarter = (int)q;
	*ip = i;
	return (0);
}

/* Reads a day of the month 1..31 at *ip. */
static int
te_cap_day(struct te_parse *p, size_t *ip, struct te_when *w)
{
	long	d;

	if ((d = te_num(p, *ip, 2)) < 1 || d > 31)
		return (-1);
	w->num = (int)d;
	(*ip)++;
	return (0);
}

/* Reads a stage number "1".."99" or "I".."X" at *ip. */
static int
te_cap_stage(struct te_parse *p, size_t *ip, struct te_when *w)
{
	long	s;

	if ((s = te_roman_at(p, *ip)) < 0)
		s = te_num(p, *ip, 2);
	if (s < 1)
		return (-1);
	w->num = (int)s;
	(*ip)++;
	return (0);
}

/* Reads a year, or a range "2021 - 2025" keeping its last year, at *ip. */
static int
te_cap_year(struct te_parse *p, size_t *ip, struct te_when *w)
{
	size_t	i = *ip;
	long	first, last;

	if ((first = te_num(p, i, 4)) < 1 || p->tok[i].flen != 4)
		return (-1);
	w->year = w->first_year = (int)first;
	w->has_year = 1;
	w->num = 0;
	*ip = i + 1;
	if (!te_is_punct(p, i + 1, "-") ||
	    (last = te_num(p, i + 2, 4)) < first || p->tok[i + 2].flen != 4)
		return (0);
	w->year = (int)last;
	w->num = 1;
	*ip = i + 3;
	return (0);
}

/* Reads a range of years "2021-2025" at *ip, keeping its last year. */
static int
te_cap_range(struct te_parse *p, size_t *ip, struct te_when *w)
{
	size_t	i = *ip;

	if (te_cap_year(p, &i, w) != 0 || w->num != 1)
		return (-1);
	*ip = i;
	return (0);
}

/* Reads the word "quý" with its accent at *ip. */
static int
te_cap_quarter_word(struct te_parse *p, size_t *ip, struct te_when *w)
{
	if (!te_is_word(p, *ip, "quy") || !te_has_acute(p, *ip))
		return (-1);
	(*ip)++;
	return (0);
}

/* Reads what names a Tết: "Ất Tỵ", "năm 2025", both or nothing. */
static int
te_cap_tet(struct te_parse *p, size_t *ip, struct te_when *w)
{
	size_t	i = *ip, k;
	int	can = -1, chi = 0;

	for (k = 0; k < sizeof te_stems / sizeof te_stems[0]; k++)
		if (te_is_word(p, i, te_stems[k]))
			can = (int)k;
	for (k = 0; can >= 0 && k < sizeof te_branches /
	    sizeof te_branches[0]; k++)
		if (te_is_word(p, i + 1, te_branches[k]))
			chi |= 1 << k;
	if (can >= 0 && chi != 0) {
		w->can = can;
		w->chi = chi;
		i += 2;
	}
	if (te_is_word(p, i, "nam") && te_num(p, i + 1, 4) > 0 &&
	    p->tok[i + 1].flen == 4)
		i++;
	if (te_num(p, i, 4) > 0 && p->tok[i].flen == 4) {
		w->year = (int)p->tok[i].value;
		w->has_year = 1;
		i++;
	}
	*ip = i;
	return (0);
}

/* Runs the capture named by letter at *ip into the next slot of c. */
static int
te_capture(struct te_parse *p, char letter, size_t *ip, struct te_capture *c)
{
	size_t	k;

	for (k = 0; k < sizeof te_captures / sizeof te_captures[0]; k++) {
		if (te_captures[k].letter != letter)
			continue;
		if (te_captures[k].fn(p, ip, &c->w[c->n < 2 ? c->n : 1]) != 0)
			return (-1);
		if (c->n < 2)
			c->n++;
		return (0);
	}
	return (-1);
}

/* 1 if token i equals one literal of a pattern ("6" matches "06"). */
static int
te_literal(const struct te_parse *p, size_t i, const char *lit, size_t len)
{
	const struct te_token	*t = &p->tok[i];

	if (lit[0] >= '0' && lit[0] <= '9')
		return (t->type == TE_NUM && t->flen <= 2 &&
		    t->value == strtol(lit, NULL, 10));
	return (t->flen == len &&
	    memcmp(p->folded.data + t->foff, lit, len) == 0);
}

/* Matches one of the '|'-separated literals e[0..len) at *ip. */
static int
te_match_literals(struct te_parse *p, const char *e, size_t len, size_t *ip)
{
	size_t	alt;

	if (*ip >= p->n)
		return (-1);
	while (len > 0) {
		alt = te_span(e, '|');
		if (alt > len)
			alt = len;
		if (te_literal(p, *ip, e, alt)) {
			(*ip)++;
			return (0);
		}
		len -= alt < len ? alt + 1 : alt;
		e += alt + 1;
	}
	return (-1);
}

/* Matches one pattern element e[0..len) at *ip; 0 and advances, or -1. */
static int
te_match_element(struct te_parse *p, const char *e, size_t len, size_t *ip,
    struct te_capture *c)
{
	if (len == 1 && e[0] == '^')
		return (*ip == p->start ? 0 : -1);
	if (len == 1 && e[0] == '$')
		return (te_at_end(p, *ip) ? 0 : -1);
	if (len == 1 && e[0] == '~')
		return (te_num(p, *ip, 16) >= 0 ? -1 : 0);
	if (e[0] == '%')
		return (te_capture(p, e[1], ip, c));
	return (te_match_literals(p, e, len, ip));
}

/* Prepares the capture slots: the plan's year, no Tết name. */
static void
te_capture_init(const struct te_parse *p, struct te_capture *c)
{
	int	k;

	memset(c, 0, sizeof *c);
	for (k = 0; k < 2; k++) {
		c->w[k].year = p->year;
		c->w[k].can = -1;
	}
}

/*
 * 0 if the pattern's first element, a literal, cannot match token i by its
 * first byte; the scan tries every pattern at every token.
 */
static int
te_pattern_may_start(const struct te_parse *p, size_t i, const char *e)
{
	const struct te_token	*t;
	size_t			 k;
	char			 c0;
	int			 alt = 1;

	if (e[0] == '^' || e[0] == '%' || e[0] == '~')
		return (1);
	t = i < p->n ? &p->tok[i] : NULL;
	c0 = t != NULL && t->flen > 0 ? p->folded.data[t->foff] : '\0';
	for (k = 0; e[k] != '\0' && e[k] != ' '; k++) {
		if (alt && t != NULL && (e[k] >= '0' && e[k] <= '9' ?
		    t->type == TE_NUM : e[k] == c0))
			return (1);
		alt = e[k] == '|';
	}
	return (k == 0 || e[k - 1] == '?');	/* optional: may be absent */
}

/* Matches a whole pattern at token i; 1 with *endp after it, or 0. */
static int
te_match(struct te_parse *p, const char *pattern, size_t i, size_t *endp,
    struct te_capture *c)
{
	const char	*e, *next;
	size_t		 len;
	int		 optional;

	te_capture_init(p, c);
	if (!te_pattern_may_start(p, i, pattern))
		return (0);
	for (e = pattern; *e != '\0'; e = next) {
		len = te_span(e, ' ');
		next = e[len] == ' ' ? e + len + 1 : e + len;
		optional = len > 1 && e[len - 1] == '?';
		if (optional)
			len--;
		if (te_match_element(p, e, len, &i, c) != 0 && !optional)
			return (0);
	}
	*endp = i;
	return (1);
}

/* A label from bytes of the original: valid UTF-8, spaces collapsed. */
static char *
te_label(const char *s, size_t len)
{
	struct buf	 b;
	size_t		 i = 0, adv;
	uint32_t	 cp;

	buf_init(&b);
	while (i < len) {
		if ((adv = utf8_decode(s + i, len - i, &cp)) == 0) {
			adv = 1;
			buf_adds(&b, "\xef\xbf\xbd");
		} else if (cp <= 0x20 || cp == 0x7f) {
			if (b.len > 0 && b.data[b.len - 1] != ' ')
				buf_addc(&b, ' ');
		} else
			buf_add(&b, s + i, adv);
		i += adv;
	}
	while (b.len > 0 && strchr(" .,;:(", b.data[b.len - 1]) != NULL)
		b.data[--b.len] = '\0';
	return (buf_steal(&b));
}

/* The label of tokens [first, end), parentheses closed; caller frees. */
static char *
te_span_label(const struct te_parse *p, size_t first, size_t end)
{
	size_t	i;
	int	open = 0;

	if (end <= first)
		return (xstrdup(""));
	for (i = first; i < end; i++)
		open += te_is_punct(p, i, "(") - te_is_punct(p, i, ")");
	for (; open > 0 && te_is_punct(p, end, ")"); open--)
		end++;
	return (te_label(p->text + p->tok[first].ostart,
	    p->tok[end - 1].oend - p->tok[first].ostart));
}

/* The whole bullet as a label, without its leading "- " marker. */
static char *
te_text_label(const char *text)
{
	while (*text == ' ' || *text == '\t' || *text == '\n' ||
	    *text == '\r' || *text == '-' || *text == '+' || *text == '*')
		text++;
	if (strncmp(text, "\xe2\x80\xa2", 3) == 0)	/* U+2022 bullet */
		return (te_text_label(text + 3));
	return (te_label(text, strlen(text)));
}

/* Marks tokens [first, end) as accounted for. */
static void
te_use(struct te_parse *p, size_t first, size_t end)
{
	for (; first < end && first < p->n; first++)
		p->used[first] = 1;
}

/* A new fragment over tokens [first, end), labelled from lfirst. */
static struct te_frag *
te_frag_new(struct te_parse *p, enum te_frag_type type, size_t first,
    size_t end, size_t lfirst)
{
	struct te_frag	*f;

	if (p->nfrag == p->sfrag) {
		p->sfrag = p->sfrag == 0 ? 16 : p->sfrag * 2;
		p->frag = xreallocarray(p->frag, p->sfrag, sizeof *p->frag);
	}
	f = &p->frag[p->nfrag++];
	memset(f, 0, sizeof *f);
	f->type = type;
	f->first = first;
	f->end = end;
	f->lfirst = lfirst;
	f->clause = p->clause[first];
	f->due = f->start = DATE_NONE;
	return (f);
}

/* A fragment that is a whole once item. */
static struct te_frag *
te_frag_once(struct te_parse *p, size_t first, size_t end, size_t lfirst,
    date_t due, enum timeexpr_dayoff dayoff)
{
	struct te_frag	*f = te_frag_new(p, TE_F_ITEM, first, end, lfirst);

	f->kind = TIMEEXPR_ONCE;
	f->due = due;
	f->dayoff = dayoff;
	if (p->stage != NULL)
		f->stage = xstrdup(p->stage);
	return (f);
}

/*
 * The monthly rule for day `day` (0: the last) of the months listed, or of
 * every month; a day past 28 is written as the clamp "that day or the
 * month's last" libical expands.  Caller frees.
 */
static char *
te_rule_monthly(const char *months, int day)
{
	struct buf	b;
	int		d;

	if (day <= 0 || day > 31)
		day = 31;
	buf_init(&b);
	buf_adds(&b, "FREQ=MONTHLY");
	if (months != NULL)
		buf_printf(&b, ";BYMONTH=%s", months);
	if (day <= 28)
		buf_printf(&b, ";BYMONTHDAY=%d", day);
	else {
		buf_adds(&b, ";BYMONTHDAY=28");
		for (d = 29; d <= day; d++)
			buf_printf(&b, ",%d", d);
		buf_adds(&b, ";BYSETPOS=-1");
	}
	return (buf_steal(&b));
}

/* The yearly rule for day/month, 29 February as February's last. */
static char *
te_rule_yearly(int month, int day)
{
	char	*rule;
	int	 last = date_days_in_month(2000, month);

	if (day <= 0 || day > last)
		day = last;
	if (month == 2 && day == 29)
		return (xstrdup(
		    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1"));
	xasprintf(&rule, "FREQ=YEARLY;BYMONTH=%d;BYMONTHDAY=%d", month, day);
	return (rule);
}

/*
 * The rule for day `day` (0: the last) of the given months (a bit per
 * month, bit 1 January): yearly for one month, monthly with BYMONTH for
 * several, plain monthly for all twelve.  Caller frees.
 */
static char *
te_rule_months(unsigned mask, int day)
{
	struct buf	 b;
	char		*rule;
	int		 m, n = 0, one = 0;

	for (m = 1; m <= 12; m++)
		if (mask & (1u << m)) {
			n++;
			one = m;
		}
	if (n == 1)
		return (te_rule_yearly(one, day));
	if (n == 12)
		return (te_rule_monthly(NULL, day));
	buf_init(&b);
	for (m = 1; m <= 12; m++)
		if (mask & (1u << m))
			buf_printf(&b, "%s%d", b.len > 0 ? "," : "", m);
	rule = te_rule_monthly(b.data, day);
	buf_free(&b);
	return (rule);
}

/* The last month of each period, a bit per month. */
static unsigned
te_period_months(enum te_period period)
{
	switch (period) {
	case TE_P_MONTH:
		return (0x1ffe);
	case TE_P_QUARTER:
		return ((1u << 3) | (1u << 6) | (1u << 9) | (1u << 12));
	case TE_P_HALF:
		return ((1u << 6) | (1u << 12));
	case TE_P_YEAR:
		return (1u << 12);
	default:
		break;
	}
	return (0);
}

/* The months of mask moved by delta months (wrapping round the year). */
static unsigned
te_shift_months(unsigned mask, int delta)
{
	unsigned	out = 0;
	int		m, to;

	for (m = 1; m <= 12; m++) {
		if ((mask & (1u << m)) == 0)
			continue;
		to = ((m - 1 + delta) % 12 + 12) % 12 + 1;
		out |= 1u << to;
	}
	return (out);
}

/* The default rule of a period: its end, or options.period_day. */
static char *
te_period_rule(const struct te_parse *p, enum te_period period)
{
	if (period == TE_P_WEEK)
		return (xstrdup("FREQ=WEEKLY;BYDAY=FR"));
	if (period == TE_P_YEAR)
		return (te_rule_yearly(12, p->period_day));
	return (te_rule_months(te_period_months(period), p->period_day));
}

/* Handler: nothing to remind of; the words are accounted for. */
static void
te_h_noop(struct te_parse *p, const struct te_capture *c, size_t first,
    size_t end, const struct te_pattern *pat)
{
	te_use(p, first, end);
}

/* Handler: a bare period ("Hằng quý"). */
static void
te_h_period(struct te_parse *p, const struct te_capture *c, size_t first,
    size_t end, const struct te_pattern *pat)
{
	struct te_frag	*f = te_frag_new(p, TE_F_PERIOD, first, end, first);

	f->period = (enum te_period)pat->arg;
	f->label = pat->label;
}

/* Handler: ongoing work ("Thường xuyên"). */
static void
te_h_ongoing(struct te_parse *p, const struct te_capture *c, size_t first,
    size_t end, const struct te_pattern *pat)
{
	te_frag_new(p, TE_F_ONGOING, first, end, first);
}

/* Handler: the following dates belong to stage N ("Giai đoạn 1:"). */
static void
te_h_stage(struct te_parse *p, const struct te_capture *c, size_t first,
    size_t end, const struct te_pattern *pat)
{
	free(p->stage);
	xasprintf(&p->stage, "%s %d", pat->label, c->w[0].num);
	te_use(p, first, end);
}

/* The year a stem and branch name, nearest the plan's year, or 0. */
static int
te_stem_branch_year(int near, int can, int chi)
{
	int	y, d;

	for (d = 0; d <= 30; d++) {
		y = near + (d % 2 == 0 ? d / 2 : -(d + 1) / 2);
		if ((y - 4) % 10 == can && (chi & (1 << ((y - 4) % 12))))
			return (y);
	}
	return (0);
}

/* The first day of the lunar year a Tết phrase names. */
static date_t
te_tet_day(const struct te_parse *p, const struct te_when *w)
{
	date_t	from;
	int	y;

	if (w->has_year)
		return (lunar_new_year(w->year, TIMEEXPR_LUNAR_ZONE));
	if (w->can >= 0 &&
	    (y = te_stem_branch_year(p->year, w->can, w->chi)) != 0)
		return (lunar_new_year(y, TIMEEXPR_LUNAR_ZONE));
	from = p->plan_start != DATE_NONE ? p->plan_start :
	    date_from_ymd(p->year, 1, 1);
	y = date_year(from);
	if (lunar_new_year(y, TIMEEXPR_LUNAR_ZONE) <= from)
		y++;
	return (lunar_new_year(y, TIMEEXPR_LUNAR_ZONE));
}

/*
 * Handler: before Tết (its eve, moved back off the holiday), or after it
 * (the second day, moved forward to the first working day).
 */
static void
te_h_tet(struct te_parse *p, const struct te_capture *c, size_t first,
    size_t end, const struct te_pattern *pat)
{
	date_t		 tet = te_tet_day(p, &c->w[0]);
	struct te_frag	*f;

	if (tet == DATE_NONE)
		return;
	if (pat->arg == TE_TET_BEFORE) {
		f = te_frag_once(p, first, end, first, tet - 1,
		    TIMEEXPR_DAYOFF_PREVIOUS);
		f->deadline = 1;
	} else
		te_frag_once(p, first, end, first, tet + 1,
		    TIMEEXPR_DAYOFF_NEXT);
}

/* Handler: before the solar new year, 31 December. */
static void
te_h_new_year(struct te_parse *p, const struct te_capture *c, size_t first,
    size_t end, const struct te_pattern *pat)
{
	const struct te_when	*w = &c->w[0];
	struct te_frag		*f;
	int			 y = w->has_year ? w->year - 1 : p->year;

	f = te_frag_once(p, first, end, first, date_from_ymd(y, 12, 31),
	    TIMEEXPR_DAYOFF_PREVIOUS);
	f->deadline = 1;
}

/* A once item over [from, to]; nothing if the range runs backwards. */
static void
te_range(struct te_parse *p, size_t first, size_t end, date_t from, date_t to)
{
	struct te_frag	*f;

	if (from == DATE_NONE || to == DATE_NONE || from > to)
		return;
	f = te_frag_once(p, first, end, first, to, TIMEEXPR_DAYOFF_DEFAULT);
	f->start = from;
}

/*
 * The year of a range's first end, when it has none of its own: the
 * second end's, or the one before when the months run past December
 * ("từ tháng 11 đến tháng 2/2025").
 */
static int
te_range_first_year(const struct te_capture *c, int m0, int m1)
{
	if (c->w[0].has_year || !c->w[1].has_year)
		return (c->w[0].year);
	return (m0 > m1 ? c->w[1].year - 1 : c->w[1].year);
}

/* Handler: "Từ 15/4/2025 đến 15/8/2025". */
static void
te_h_range_dates(struct te_parse *p, const struct te_capture *c,
    size_t first, size_t end, const struct te_pattern *pat)
{
	const struct te_when	*a = &c->w[0], *b = &c->w[1];
	int			 y = te_range_first_year(c, a->month * 32 +
	    a->day, b->month * 32 + b->day);

	if (!date_valid(y, a->month, a->day))
		return;
	te_range(p, first, end, date_from_ymd(y, a->month, a->day),
	    date_from_ymd(b->year, b->month, b->day));
}

/* Handler: "Từ tháng 4 đến tháng 7/2025", "Tháng 4-7/2025". */
static void
te_h_range_months(struct te_parse *p, const struct te_capture *c,
    size_t first, size_t end, const struct te_pattern *pat)
{
	const struct te_when	*a = &c->w[0], *b = &c->w[1];
	int			 y = te_range_first_year(c, a->month, b->month);

	te_range(p, first, end, date_from_ymd(y, a->month, 1),
	    date_last_of_month(b->year, b->month));
}

/* Handler: "Quý II-III/2025". */
static void
te_h_range_quarters(struct te_parse *p, const struct te_capture *c,
    size_t first, size_t end, const struct te_pattern *pat)
{
	const struct te_when	*a = &c->w[0], *b = &c->w[1];
	int			 y = te_range_first_year(c, a->quarter,
	    b->quarter);

	te_range(p, first, end, date_from_ymd(y, a->quarter * 3 - 2, 1),
	    date_last_of_month(b->year, b->quarter * 3));
}

/* Handler: "Từ năm 2024 đến năm 2025". */
static void
te_h_range_years(struct te_parse *p, const struct te_capture *c,
    size_t first, size_t end, const struct te_pattern *pat)
{
	te_range(p, first, end, date_from_ymd(c->w[0].first_year, 1, 1),
	    date_from_ymd(c->w[1].year, 12, 31));
}

/* Handler: the first or last week of one month ("tuần đầu tháng 5/2025"). */
static void
te_h_week_month(struct te_parse *p, const struct te_capture *c,
    size_t first, size_t end, const struct te_pattern *pat)
{
	const struct te_when	*w = &c->w[0];
	date_t			 due;

	if (pat->arg == TE_W_FIRST)
		due = date_from_ymd(w->year, w->month, 7);
	else
		due = date_last_of_month(w->year, w->month);
	te_frag_once(p, first, end, first, due, TIMEEXPR_DAYOFF_PREVIOUS);
}

/*
 * Handler: the first or last week of every period ("tuần đầu tiên của
 * tháng", "tuần cuối mỗi quý"): a period and a day of it, due within the
 * week (the 7th of the first month, the last day of the last one).
 */
static void
te_h_week_period(struct te_parse *p, const struct te_capture *c,
    size_t first, size_t end, const struct te_pattern *pat)
{
	struct te_frag	*per, *day;

	per = te_frag_new(p, TE_F_PERIOD, first, end, first);
	per->period = (enum te_period)(pat->arg % 16);
	day = te_frag_new(p, TE_F_DAY, first, end, first);
	day->dayoff = TIMEEXPR_DAYOFF_PREVIOUS;
	if (pat->arg / 16 == TE_W_FIRST) {
		day->day = 7;
		day->anchor = TE_A_FIRST;
	} else
		day->day = 0;
}

/* te_pattern_at's masks: a bit for each pattern, bit 63 for "done". */
_Static_assert(sizeof te_patterns / sizeof te_patterns[0] <= 63,
    "too many time patterns for te_pattern_at's masks");

/* The first pattern matching at token i, or NULL. */
static const struct te_pattern *
te_pattern_at(struct te_parse *p, size_t i, size_t *endp,
    struct te_capture *c)
{
	const struct te_pattern	*pat;
	const struct te_token	*t;
	size_t			 k, key = 0;
	uint64_t		 may;

	/*
	 * Which patterns may start at a token depends on its first byte
	 * only, or on its being a number: worked out once a parse for each,
	 * bit 63 marking it done.
	 */
	if (i < p->n) {
		t = &p->tok[i];
		if (t->type == TE_NUM)
			key = 256;
		else if (t->flen > 0)
			key = (unsigned char)p->folded.data[t->foff];
	}
	if ((may = p->pat_may[key]) == 0) {
		may = (uint64_t)1 << 63;
		for (k = 0; k < sizeof te_patterns / sizeof te_patterns[0]; k++)
			if (te_pattern_may_start(p, i, te_patterns[k].pattern))
				may |= (uint64_t)1 << k;
		p->pat_may[key] = may;
	}
	for (k = 0; k < sizeof te_patterns / sizeof te_patterns[0]; k++) {
		if ((may & (uint64_t)1 << k) == 0)
			continue;
		pat = &te_patterns[k];
		if (te_match(p, pat->pattern, i, endp, c) && *endp > i)
			return (pat);
	}
	return (NULL);
}

/* 1 if an event clause stops before token i: a deadline word starts. */
static int
te_event_stop(const struct te_parse *p, size_t i)
{
	static const char *const periods[] = { "thang", "quy", "nam", "tuan",
	    NULL };

	if (te_is_word(p, i, "truoc"))
		return (!te_is_word(p, i + 1, "khi"));
	if (te_is_punct(p, i, "("))
		return (1);	/* "(trong tháng 5 và tháng 6 năm 2025)" */
	if ((te_is_word(p, i, "cham") && te_is_word(p, i + 1, "nhat")) ||
	    (te_is_word(p, i, "han") && te_is_word(p, i + 1, "chot")) ||
	    (te_is_word(p, i, "dinh") && te_is_word(p, i + 1, "ky")) ||
	    (te_is_word(p, i, "thuong") && te_is_word(p, i + 1, "xuyen")))
		return (1);
	return ((te_is_word(p, i, "hang") || te_is_word(p, i, "moi")) &&
	    te_is_one_of(p, i + 1, periods));
}

/*
 * An event clause at i ("Theo yêu cầu của tỉnh", "Khi có ..."): it is
 * accounted for up to the end of its clause or a deadline word, and dates
 * inside it ("theo Quyết định ... ngày 22/01/2024") are not deadlines.
 * The end of the clause, or i if none starts here.
 */
static size_t
te_event_at(struct te_parse *p, size_t i)
{
	size_t	k, len = 0, j;

	for (k = 0; te_event_words[k] != NULL; k++)
		if (te_is_phrase(p, i, te_event_words[k], &len))
			break;
	if (te_event_words[k] == NULL)
		return (i);
	if (te_is_word(p, i, "theo") && i > 0 && te_is_word(p, i - 1, "tiep"))
		return (i);
	if (te_is_word(p, i, "thay")) {
		/* "(thay cho trước tháng 6.2020 ...)": a date no longer due. */
		for (j = i + len; j < p->n && p->clause[j] == p->clause[i] &&
		    !te_is_punct(p, j, ")"); j++)
			;
		te_use(p, i, j);
		return (j);
	}
	for (j = i + len; j < p->n && p->clause[j] == p->clause[i] &&
	    !te_event_stop(p, j); j++)
		;
	te_use(p, i, j);
	p->events++;
	return (j);
}

/* 1 if token j begins right where token i ends: "264/QĐ-UBND". */
static int
te_glued(const struct te_parse *p, size_t i, size_t j)
{
	return (j < p->n && p->tok[i].oend == p->tok[j].ostart);
}

/*
 * A document's number and date ("số 7809/KH-UBND ngày 27.12.2019",
 * "Quyết định 264/QĐ-UBND ngày 22/01/2024", "Nghị định 09/2019/NĐ-CP"):
 * a reference, not a deadline.  A number glued by '/' to a code with
 * letters; then its date.  The token after it, or i.
 */
static size_t
te_reference_at(struct te_parse *p, size_t i)
{
	struct te_when	w;
	size_t		j = i, k;
	int		letters = 0;

	if (te_is_word(p, j, "so"))
		j++;
	if (te_num(p, j, 8) < 0 || !te_is_punct(p, j + 1, "/") ||
	    !te_glued(p, j, j + 1))
		return (i);
	for (k = j + 1; k + 1 < p->n && te_glued(p, k, k + 1) &&
	    (p->tok[k + 1].type != TE_PUNCT || te_is_punct(p, k + 1, "/-"));
	    k++)
		letters |= p->tok[k + 1].type == TE_WORD;
	if (!letters)
		return (i);
	j = k + 1;
	memset(&w, 0, sizeof w);
	w.year = p->year;
	k = j + 1;
	if (te_is_word(p, j, "ngay") && te_cap_date(p, &k, &w) == 0)
		j = k;
	te_use(p, i, j);
	return (j);
}

/*
 * Reads a deadline prefix at i: "trước (ngày) (mùng)", "chậm nhất (là)
 * (vào) (ngày)", "hạn (chót) (là)", "đến (hết) (ngày)", "trong", "vào".
 * Returns the token after it (i when there is none).
 */
static size_t
te_prefix(const struct te_parse *p, size_t i, struct te_prefix *pf)
{
	memset(pf, 0, sizeof *pf);
	pf->label = i;
	if (te_is_word(p, i, "truoc") && !te_is_word(p, i + 1, "khi")) {
		pf->before = pf->deadline = 1;
		i++;
	} else if (te_is_word(p, i, "cham") && te_is_word(p, i + 1, "nhat")) {
		pf->deadline = 1;
		i += 2;
	} else if ((te_is_word(p, i, "thoi") || te_is_word(p, i, "han")) &&
	    (te_is_word(p, i + 1, "han") || te_is_word(p, i + 1, "chot"))) {
		pf->deadline = 1;
		i += 2;
	} else if (te_is_word(p, i, "han") || te_is_word(p, i, "den") ||
	    te_is_word(p, i, "toi")) {
		pf->deadline = 1;
		i++;
		if (te_is_word(p, i, "het"))
			i++;
	} else if (te_is_word(p, i, "trong") || te_is_word(p, i, "vao"))
		pf->label = ++i;
	if (pf->deadline && te_is_word(p, i, "la"))
		i++;
	if (pf->deadline && te_is_word(p, i, "vao"))
		i++;
	if (te_is_word(p, i, "ngay")) {
		pf->day_word = 1;
		i++;
	}
	if (te_is_word(p, i, "mung") || te_is_word(p, i, "mong")) {
		pf->day_word = 1;
		i++;
	}
	return (i);
}

/* The dayoff rule of what a prefix governs. */
static enum timeexpr_dayoff
te_prefix_dayoff(const struct te_prefix *pf)
{
	return (pf->before ? TIMEEXPR_DAYOFF_PREVIOUS :
	    TIMEEXPR_DAYOFF_DEFAULT);
}

/*
 * Records a due date read at [first, end): a once item if its year was
 * written, else a date that a period can make yearly (month and day, 0 for
 * the last), due in the plan's year meanwhile.
 */
static void
te_dated(struct te_parse *p, size_t first, size_t end,
    const struct te_prefix *pf, date_t due, int has_year, int month, int day)
{
	struct te_frag	*f;
	int		 y, m, d;

	if (due == DATE_NONE)
		return;
	date_to_ymd(due, &y, &m, &d);
	if (!date_valid(y, m, d))
		return;
	if (has_year) {
		f = te_frag_once(p, first, end, pf->label, due,
		    te_prefix_dayoff(pf));
	} else {
		f = te_frag_new(p, TE_F_YEARLESS, first, end, pf->label);
		f->due = due;
		f->dayoff = te_prefix_dayoff(pf);
		f->month = month;
		f->day = day;
		if (p->stage != NULL)
			f->stage = xstrdup(p->stage);
	}
	f->deadline = pf->deadline;
}

/* A date "15/12(/2024)" at j; "trước" makes it the 14th. */
static size_t
te_obj_date(struct te_parse *p, size_t first, size_t j,
    const struct te_prefix *pf, const struct te_when *w)
{
	date_t	due = date_from_ymd(w->year, w->month, w->day);
	int	m = w->month, d = w->day;

	if (pf->before) {
		due--;
		if (--d == 0) {
			m = m == 1 ? 12 : m - 1;
			d = 0;
		}
	}
	te_dated(p, first, j, pf, due, w->has_year, m, d);
	return (j);
}

/* A month: due on its last day, or the day before it begins ("trước"). */
static void
te_obj_month(struct te_parse *p, size_t first, size_t end,
    const struct te_prefix *pf, const struct te_when *w, int month)
{
	if (pf->before)
		te_dated(p, first, end, pf, date_from_ymd(w->year, month,
		    1) - 1, w->has_year, month == 1 ? 12 : month - 1, 0);
	else
		te_dated(p, first, end, pf, date_last_of_month(w->year,
		    month), w->has_year, month, 0);
}

/* 1 if token i is a period word: "tháng", "quý", "năm", "tuần", "kỳ". */
static int
te_is_period_word(const struct te_parse *p, size_t i)
{
	static const char *const words[] = { "thang", "quy", "nam", "tuan",
	    "ky", NULL };

	return (te_is_one_of(p, i, words));
}

/* A quarter: due on its last day, or the day before it begins. */
static void
te_obj_quarter(struct te_parse *p, size_t first, size_t end,
    const struct te_prefix *pf, const struct te_when *w)
{
	te_obj_month(p, first, end, pf, w, pf->before ? w->quarter * 3 - 2 :
	    w->quarter * 3);
}

/*
 * More months or quarters listed after one, with or without the word:
 * "tháng 11, 12/2025", "quý I, II/2025".  The token after the last.
 */
static size_t
te_more_periods(struct te_parse *p, size_t end, const struct te_prefix *pf,
    int quarters)
{
	struct te_capture	c;
	struct te_prefix	more = *pf;
	size_t			k, next;

	while (end < p->n && (te_is_punct(p, end, ",&") ||
	    te_is_word(p, end, "va"))) {
		k = end + 1;
		if (te_is_word(p, k, quarters ? "quy" : "thang"))
			k++;
		te_capture_init(p, &c);
		next = k;
		if ((quarters ? te_cap_quarter(p, &next, &c.w[0]) :
		    te_cap_month(p, &next, &c.w[0])) != 0 ||
		    te_is_period_word(p, next))
			break;		/* "tháng 4 và 4 tháng đầu năm" */
		more.label = end + 1;
		if (quarters)
			te_obj_quarter(p, end + 1, next, &more, &c.w[0]);
		else
			te_obj_month(p, end + 1, next, &more, &c.w[0],
			    c.w[0].month);
		end = next;
	}
	return (end);
}

/*
 * A day of a period after "ngày N": which month of the period it names
 * ("tháng cuối (cùng) của (mỗi) quý", "tháng đầu quý sau", "tháng sau",
 * "tháng báo cáo"); the token after what was read.
 */
static size_t
te_anchor(const struct te_parse *p, size_t i, enum te_anchor *anchor)
{
	size_t	j = i;

	*anchor = TE_A_LAST;
	if (te_is_word(p, j, "cua"))
		j++;
	if (!te_is_word(p, j, "thang"))
		return (i);
	j++;
	if (te_is_word(p, j, "cuoi")) {
		j++;
		if (te_is_word(p, j, "cung"))
			j++;
		if (te_is_word(p, j, "ky")) {
			j++;
			if (te_is_word(p, j, "bao") && te_is_word(p, j + 1,
			    "cao"))
				j += 2;
			return (j);
		}
		if (te_is_word(p, j, "cua"))
			j++;
		if (te_is_word(p, j, "moi") || te_is_word(p, j, "hang") ||
		    te_is_word(p, j, "cac"))
			j++;
		if (!te_is_word(p, j, "quy"))
			return (i);
		*anchor = TE_A_LAST_OF_QUARTER;
		return (j + 1);
	}
	if (te_is_word(p, j, "dau")) {
		j++;
		if (te_is_word(p, j, "cua"))
			j++;
		if (!te_is_word(p, j, "quy"))
			return (i);
		j++;
		if (te_is_word(p, j, "sau") || te_is_word(p, j, "ke"))
			j++;
		else if (te_is_word(p, j, "tiep") && te_is_word(p, j + 1,
		    "theo"))
			j += 2;
		else
			return (i);
		if (te_is_word(p, j - 1, "ke") && te_is_word(p, j, "tiep"))
			j++;
		*anchor = TE_A_FIRST_OF_NEXT_QUARTER;
		return (j);
	}
	if (te_is_word(p, j, "sau")) {
		*anchor = TE_A_NEXT;
		return (j + 1);
	}
	if (te_is_word(p, j, "tiep") && te_is_word(p, j + 1, "theo")) {
		*anchor = TE_A_NEXT;
		return (j + 2);
	}
	if (te_is_word(p, j, "bao") && te_is_word(p, j + 1, "cao"))
		return (j + 2);
	return (i);
}

/* A day of a period: "(trước) ngày 22", "ngày 30 tháng cuối quý". */
static size_t
te_obj_day(struct te_parse *p, size_t first, size_t j,
    const struct te_prefix *pf, int day)
{
	struct te_frag	*f;
	enum te_anchor	 anchor;
	size_t		 end = te_anchor(p, j, &anchor);

	f = te_frag_new(p, TE_F_DAY, first, end, pf->label);
	f->day = day;
	f->shift = pf->before;
	f->anchor = anchor;
	f->deadline = pf->deadline;
	f->dayoff = te_prefix_dayoff(pf);
	return (end);
}

/* Objects after "ngày"/"mùng": a date, else a day of a period. */
static size_t
te_obj_after_day_word(struct te_parse *p, size_t first, size_t j,
    const struct te_prefix *pf)
{
	struct te_capture	c;
	size_t			k = j;

	te_capture_init(p, &c);
	if (te_cap_date(p, &k, &c.w[0]) == 0)
		return (te_obj_date(p, first, k, pf, &c.w[0]));
	k = j;
	if (te_cap_day(p, &k, &c.w[0]) == 0)
		return (te_obj_day(p, first, k, pf, c.w[0].num));
	return (0);
}

/* "6 tháng đầu năm", "cuối năm", "năm 2024", "quý III", "tháng 5"... */
static size_t
te_obj_period_end(struct te_parse *p, size_t first, size_t j,
    const struct te_prefix *pf)
{
	struct te_capture	 c;
	const struct te_when	*w = &c.w[0];
	size_t			 end;

	if (te_match(p, "6 thang dau nam %Y?", j, &end, &c) && !pf->before) {
		te_dated(p, first, end, pf, date_from_ymd(w->year, 6, 30),
		    w->has_year, 6, 30);
		return (end);
	}
	if ((te_match(p, "6 thang cuoi nam %Y?", j, &end, &c) ||
	    te_match(p, "nhung|cac? thang? cuoi nam %Y?", j, &end, &c) ||
	    te_match(p, "nhung|cac? thang con lai cua? nam %Y?", j, &end,
	    &c)) &&
	    !pf->before) {
		te_dated(p, first, end, pf, date_from_ymd(w->year, 12, 31),
		    w->has_year, 12, 0);
		return (end);
	}
	if (te_match(p, "cuoi? thang %M", j, &end, &c)) {
		te_obj_month(p, first, end, pf, w, w->month);
		return (te_more_periods(p, end, pf, 0));
	}
	if (te_match(p, "cuoi? quy %Q", j, &end, &c)) {
		te_obj_quarter(p, first, end, pf, w);
		return (te_more_periods(p, end, pf, 1));
	}
	return (0);
}

/* Years and ranges of years: "năm 2024", "2021-2025", "giai đoạn ...". */
static size_t
te_obj_years(struct te_parse *p, size_t first, size_t j,
    const struct te_prefix *pf)
{
	struct te_capture	 c;
	const struct te_when	*w = &c.w[0];
	size_t			 end, n;

	if ((te_match(p, "nam|giai? doan? %R", j, &end, &c) ||
	    te_match(p, "%R", j, &end, &c)) && !pf->before) {
		n = p->nfrag;
		te_range(p, first, end, date_from_ymd(w->first_year, 1, 1),
		    date_from_ymd(w->year, 12, 31));
		if (p->nfrag > n)
			p->frag[n].years = 1;
		return (end);
	}
	if (te_match(p, "nam %Y", j, &end, &c)) {
		te_dated(p, first, end, pf, date_from_ymd(pf->before ?
		    w->year - 1 : w->year, 12, 31), 1, 12, 0);
		return (end);
	}
	return (0);
}

/* Plain dates: with a year anywhere, without one after a prefix or alone. */
static size_t
te_obj_plain(struct te_parse *p, size_t first, size_t j,
    const struct te_prefix *pf)
{
	struct te_capture	 c;
	const struct te_when	*w = &c.w[0];
	size_t			 end;
	int			 alone = j == p->start;

	if (te_match(p, "%F", j, &end, &c))
		return (te_obj_date(p, first, end, pf, w));
	if ((pf->deadline || alone) && te_match(p, "%D", j, &end, &c) &&
	    (pf->deadline || te_at_end(p, end)))
		return (te_obj_date(p, first, end, pf, w));
	if ((pf->deadline || alone) && te_match(p, "%P", j, &end, &c) &&
	    (pf->deadline || te_at_end(p, end))) {
		te_obj_month(p, first, end, pf, w, w->month);
		return (end);
	}
	return (0);
}

/* One object at j after the prefix read from first; its end, or 0. */
static size_t
te_object_at(struct te_parse *p, size_t first, size_t j,
    const struct te_prefix *pf)
{
	size_t	end;

	if (pf->day_word)
		return (te_obj_after_day_word(p, first, j, pf));
	if ((end = te_obj_period_end(p, first, j, pf)) != 0 ||
	    (end = te_obj_years(p, first, j, pf)) != 0 ||
	    (end = te_obj_plain(p, first, j, pf)) != 0)
		return (end);
	return (0);
}

/*
 * A date or day at i, with its prefix, and the ones listed after it that
 * the prefix also governs ("trước 10/6 và 10/12", "ngày 10 và 25").
 * The token after them, or i.
 */
static size_t
te_object(struct te_parse *p, size_t i)
{
	struct te_prefix	pf, more;
	size_t			j, end, k, next;

	j = te_prefix(p, i, &pf);
	if ((end = te_object_at(p, i, j, &pf)) == 0)
		return (i);
	while ((pf.deadline || pf.day_word) && end < p->n &&
	    (te_is_punct(p, end, ",&") || te_is_word(p, end, "va"))) {
		k = te_prefix(p, end + 1, &more);
		if (more.deadline)
			break;
		more.before = pf.before;
		more.deadline = pf.deadline;
		more.day_word |= pf.day_word;
		if ((next = te_object_at(p, end + 1, k, &more)) == 0)
			break;
		end = next;
	}
	return (end);
}

/*
 * "(bắt đầu) từ ngày 1/9" without an end (te_patterns has the ranges): a
 * start, not a deadline.  The date is skipped unread (so it is left over
 * and the cell flagged); the token after it, or i.
 */
static size_t
te_start_only(struct te_parse *p, size_t i)
{
	struct te_when	w;
	size_t		j = i + 1;

	if (!te_is_word(p, i, "tu"))
		return (i);
	if (te_is_word(p, j, "ngay") || te_is_word(p, j, "mung"))
		j++;
	else if (te_is_word(p, j, "thang") || te_is_word(p, j, "quy"))
		j++;
	memset(&w, 0, sizeof w);
	w.year = p->year;
	if (te_cap_date(p, &j, &w) == 0 || te_cap_month(p, &j, &w) == 0 ||
	    te_cap_quarter(p, &j, &w) == 0)
		return (j);
	return (i);
}

/* 1 if a bare period word may end at token i: end of text or separator. */
static int
te_list_boundary(const struct te_parse *p, size_t i)
{
	return (i >= p->n || te_is_separator(p, i));
}

/*
 * A bare period in a list ("Hàng quý, 06 tháng, năm"; "06 tháng, năm" at
 * the start of a bullet): the token after it, or i.
 */
static size_t
te_list_period(struct te_parse *p, size_t i)
{
	struct te_capture	 c;
	struct te_frag		*f;
	size_t			 end;
	enum te_period		 period = TE_P_NONE;
	const char		*label = NULL;

	if (!p->list_ok && i != p->start)
		return (i);
	if (te_match(p, "6 thang", i, &end, &c)) {
		period = TE_P_HALF;
		label = "06 tháng";
	} else if (te_match(p, "nam", i, &end, &c)) {
		period = TE_P_YEAR;
		label = "Năm";
	} else if (p->list_ok && te_match(p, "thang", i, &end, &c)) {
		period = TE_P_MONTH;
		label = "Hàng tháng";
	} else if (p->list_ok && te_match(p, "quy", i, &end, &c)) {
		period = TE_P_QUARTER;
		label = "Hàng quý";
	}
	if (period == TE_P_NONE || !te_list_boundary(p, end))
		return (i);
	f = te_frag_new(p, TE_F_PERIOD, i, end, i);
	f->period = period;
	f->label = label;
	return (end);
}

/* Reads what starts at token i; the token after it, or i for nothing. */
static size_t
te_step(struct te_parse *p, size_t i, int *period)
{
	const struct te_pattern	*pat;
	struct te_capture	 c;
	size_t			 end, k;

	*period = 0;
	if ((pat = te_pattern_at(p, i, &end, &c)) != NULL) {
		k = p->nfrag;
		pat->handler(p, &c, i, end, pat);
		for (; k < p->nfrag && (pat->flags & TE_DEADLINE); k++)
			p->frag[k].deadline = 1;
		*period = (pat->flags & TE_PERIOD) != 0;
		return (end);
	}
	if ((end = te_event_at(p, i)) > i || (end = te_reference_at(p, i)) > i ||
	    (end = te_start_only(p, i)) > i || (end = te_object(p, i)) > i)
		return (end);
	if ((end = te_list_period(p, i)) > i)
		*period = 1;
	return (end);
}

/* Reads the bullet into fragments, left to right. */
static void
te_scan(struct te_parse *p)
{
	size_t	i = p->start, end;
	int	period;

	p->list_ok = 0;
	while (i < p->n && p->nfrag < 16 * TIMEEXPR_MAX_ITEMS * 64) {
		if (te_is_glued(p, i)) {
			i++;
			continue;
		}
		if ((end = te_step(p, i, &period)) > i) {
			p->list_ok = period;
			i = end;
			continue;
		}
		if (!te_is_separator(p, i))
			p->list_ok = 0;
		i++;
	}
}

/* Queues an obligation, in the order of token `order` (takes rrule, label). */
static void
te_pend(struct te_parse *p, size_t order, enum timeexpr_kind kind, date_t due,
    date_t start, char *rrule, char *label, enum timeexpr_dayoff dayoff)
{
	struct te_pending	*q;

	if (p->npend == p->spend) {
		p->spend = p->spend == 0 ? 8 : p->spend * 2;
		p->pend = xreallocarray(p->pend, p->spend, sizeof *p->pend);
	}
	q = &p->pend[p->npend++];
	q->order = order;
	q->kind = kind;
	q->due = due;
	q->start = start;
	q->rrule = rrule;
	q->label = label;
	q->dayoff = dayoff;
}

/* Marks fragment f as part of an obligation: its words are accounted for. */
static void
te_frag_used(struct te_parse *p, struct te_frag *f)
{
	f->used = 1;
	te_use(p, f->first, f->end);
}

/* The label of fragments a and b together (b may be NULL); caller frees. */
static char *
te_pair_label(const struct te_parse *p, const struct te_frag *a,
    const struct te_frag *b)
{
	size_t	first = a->lfirst, end = a->end;

	if (b != NULL) {
		if (b->lfirst < first)
			first = b->lfirst;
		if (b->end > end)
			end = b->end;
	}
	return (te_span_label(p, first, end));
}

/* In task text only deadlines count: a deadline word must be among them. */
static int
te_wanted(const struct te_parse *p, const struct te_frag *a,
    const struct te_frag *b)
{
	if (!p->milestones)
		return (1);
	return (a->deadline || (b != NULL && b->deadline));
}

/* A period qualified by a day: one rule ("Hằng quý (trước ngày 18 ...)"). */
static void
te_emit_period_day(struct te_parse *p, struct te_frag *per,
    struct te_frag *day)
{
	unsigned	months = te_period_months(per->period);
	int		d = day->day;

	if (!te_wanted(p, per, day))
		return;
	if (day->anchor == TE_A_NEXT ||
	    day->anchor == TE_A_FIRST_OF_NEXT_QUARTER)
		months = te_shift_months(months, 1);
	else if (day->anchor == TE_A_FIRST)
		months = te_shift_months(months, per->period == TE_P_QUARTER ?
		    -2 : per->period == TE_P_HALF ? -5 :
		    per->period == TE_P_YEAR ? -11 : 0);
	if (day->shift && d > 0 && --d == 0)
		months = te_shift_months(months, -1);
	te_pend(p, per->first < day->first ? per->first : day->first,
	    TIMEEXPR_RECURRING, DATE_NONE, DATE_NONE,
	    te_rule_months(months, d), te_pair_label(p, per, day),
	    day->dayoff);
	te_frag_used(p, per);
	te_frag_used(p, day);
}

/* A period on its own: due at the end of each (or on period_day). */
static void
te_emit_period(struct te_parse *p, struct te_frag *per)
{
	if (!te_wanted(p, per, NULL))
		return;
	te_pend(p, per->first, TIMEEXPR_RECURRING, DATE_NONE, DATE_NONE,
	    te_period_rule(p, per->period), per->label != NULL ?
	    xstrdup(per->label) : te_span_label(p, per->lfirst, per->end),
	    TIMEEXPR_DAYOFF_DEFAULT);
	te_frag_used(p, per);
}

/* A date without a year on its own: due in the plan's year. */
static void
te_emit_yearless_once(struct te_parse *p, struct te_frag *f)
{
	if (!te_wanted(p, f, NULL))
		return;
	te_pend(p, f->first, TIMEEXPR_ONCE, f->due, DATE_NONE, NULL,
	    f->stage != NULL ? xstrdup(f->stage) :
	    te_span_label(p, f->lfirst, f->end), f->dayoff);
	te_frag_used(p, f);
}

/*
 * Dates without a year under a period ("Hằng năm (trước ngày 05/12)",
 * "Định kỳ 6 tháng (trước 10/6 và 10/12)"): yearly on those days, one
 * rule when they share a day of the month.
 */
static void
te_emit_yearly(struct te_parse *p, struct te_frag *per, struct te_frag **v,
    size_t n)
{
	unsigned	mask = 0;
	size_t		i;
	int		same = 1, any = !p->milestones;

	for (i = 0; i < n; i++) {
		mask |= 1u << v[i]->month;
		same &= v[i]->day == v[0]->day;
		any |= v[i]->deadline;
	}
	if (!any)
		return;
	if (same)
		te_pend(p, per->first < v[0]->first ? per->first : v[0]->first,
		    TIMEEXPR_RECURRING, DATE_NONE, DATE_NONE,
		    te_rule_months(mask, v[0]->day),
		    te_pair_label(p, per, v[n - 1]), v[0]->dayoff);
	else {
		for (i = 0; i < n; i++)
			te_pend(p, v[i]->first, TIMEEXPR_RECURRING, DATE_NONE,
			    DATE_NONE, te_rule_yearly(v[i]->month, v[i]->day),
			    te_pair_label(p, per, v[i]), v[i]->dayoff);
	}
	te_frag_used(p, per);
	for (i = 0; i < n; i++)
		te_frag_used(p, v[i]);
}

/*
 * 1 if dates without a year fit one period as its yearly days: any under
 * a year or half year; under quarters or months, one for each.
 */
static int
te_yearless_fit(const struct te_frag *per, struct te_frag **v, size_t n)
{
	unsigned	seen = 0, q;
	size_t		i;

	if (per->period == TE_P_YEAR || per->period == TE_P_HALF)
		return (1);
	if (per->period == TE_P_QUARTER && n == 4) {
		for (i = 0; i < n; i++) {
			q = 1u << ((v[i]->month - 1) / 3);
			if (seen & q)
				return (0);
			seen |= q;
		}
		return (1);
	}
	if (per->period == TE_P_MONTH && n == 12) {
		for (i = 0; i < n; i++)
			seen |= 1u << v[i]->month;
		return (seen == 0x1ffe);
	}
	return (0);
}

/*
 * Whole items and ongoing phrases of a clause.  A range of years in a
 * clause that has a deadline names a programme ("chương trình ... giai
 * đoạn 2016 - 2020 đến trước tháng 9.2020"): read, no obligation.
 */
static void
te_emit_items(struct te_parse *p, struct te_frag *f, size_t n)
{
	size_t	i;
	char	*label;
	int	deadline = 0;

	for (i = 0; i < n; i++)
		deadline |= f[i].deadline;
	for (i = 0; i < n; i++)
		if (f[i].type == TE_F_ITEM && f[i].years && deadline) {
			te_frag_used(p, &f[i]);
			f[i].type = TE_F_READ;
		}

	for (i = 0; i < n; i++) {
		if (f[i].type == TE_F_ONGOING && !p->milestones) {
			te_pend(p, f[i].first, TIMEEXPR_ONGOING, DATE_NONE,
			    DATE_NONE, NULL, te_span_label(p, f[i].lfirst,
			    f[i].end), TIMEEXPR_DAYOFF_DEFAULT);
			te_frag_used(p, &f[i]);
		}
		if (f[i].type != TE_F_ITEM || !te_wanted(p, &f[i], NULL))
			continue;
		if (f[i].label != NULL)
			label = xstrdup(f[i].label);
		else if (f[i].stage != NULL && f[i].kind == TIMEEXPR_ONCE)
			label = xstrdup(f[i].stage);
		else
			label = te_span_label(p, f[i].lfirst, f[i].end);
		te_pend(p, f[i].first, f[i].kind, f[i].due, f[i].start,
		    f[i].rrule != NULL ? xstrdup(f[i].rrule) : NULL, label,
		    f[i].dayoff);
		te_frag_used(p, &f[i]);
	}
}

/* The quarter a day names by itself ("tháng cuối quý"), as a period. */
static int
te_day_names_quarter(const struct te_frag *f)
{
	return (f->anchor == TE_A_LAST_OF_QUARTER ||
	    f->anchor == TE_A_FIRST_OF_NEXT_QUARTER);
}

/*
 * Periods and days of a clause: each day with each period it fits (a day
 * naming the quarter goes with the quarter, written or not), else the
 * periods alone.  At most one of each kind of period and a few dozen
 * distinct days take part, so hostile input stays linear.
 */
static void
te_combine_days(struct te_parse *p, struct te_frag *f, size_t n,
    struct te_frag **per, size_t nper)
{
	struct te_frag	 implied, *quarter = NULL;
	size_t		 i, k;
	int		 combined = 0, seen[32 * 5 * 2];

	memset(seen, 0, sizeof seen);
	for (k = 0; k < nper; k++)
		if (per[k]->period == TE_P_QUARTER)
			quarter = per[k];
	for (i = 0; i < n; i++) {
		if (f[i].type != TE_F_DAY || seen[(f[i].day * 5 +
		    (int)f[i].anchor) * 2 + f[i].shift]++)
			continue;
		if (te_day_names_quarter(&f[i])) {
			if (quarter == NULL) {
				implied = f[i];
				implied.type = TE_F_PERIOD;
				implied.period = TE_P_QUARTER;
				te_emit_period_day(p, &implied, &f[i]);
			} else
				te_emit_period_day(p, quarter, &f[i]);
			combined = 1;
			continue;
		}
		for (k = 0; k < nper; k++) {
			if (per[k]->period == TE_P_WEEK)
				continue;
			te_emit_period_day(p, per[k], &f[i]);
			combined = 1;
		}
	}
	for (i = 0; combined && i < n; i++)
		if (f[i].type == TE_F_DAY && !f[i].used)
			te_frag_used(p, &f[i]);	/* the same day again */
	for (k = 0; k < nper; k++)
		if (!per[k]->used && (!combined ||
		    per[k]->period == TE_P_WEEK))
			te_emit_period(p, per[k]);
}

/*
 * 1 if period frag f says "every year" of the dates just before it
 * ("ngày 20/6 và ngày 20/12 hàng năm"), not a period of its own.
 */
static int
te_every_year(const struct te_frag *f, size_t i)
{
	return (i > 0 && f[i].period == TE_P_YEAR &&
	    (f[i - 1].type == TE_F_YEARLESS || f[i - 1].type == TE_F_DAY) &&
	    f[i - 1].end == f[i].first);
}

/* Combines the fragments of one clause into obligations. */
static void
te_combine_clause(struct te_parse *p, struct te_frag *f, size_t n)
{
	struct te_frag	*per[6], **yl, *every = NULL;
	size_t		 i, k, nper = 0, nyl = 0, ndays = 0;

	yl = xreallocarray(NULL, n + 1, sizeof *yl);
	for (i = 0; i < n; i++) {
		if (f[i].type == TE_F_PERIOD && te_every_year(f, i) &&
		    every == NULL) {
			every = &f[i];
			continue;
		}
		if (f[i].type == TE_F_PERIOD) {
			for (k = 0; k < nper; k++)
				if (per[k]->period == f[i].period)
					break;
			if (k == nper)
				per[nper++] = &f[i];
			else
				te_use(p, f[i].first, f[i].end);
		} else if (f[i].type == TE_F_YEARLESS)
			yl[nyl++] = &f[i];
		else if (f[i].type == TE_F_DAY)
			ndays++;
	}
	/* "every year" goes with another period, else is the period. */
	if (every != NULL && nper > 0)
		te_use(p, every->first, every->end);
	else if (every != NULL)
		per[nper++] = every;
	if (ndays > 0)
		te_combine_days(p, f, n, per, nper);
	else if (nper == 1 && nyl > 0 && te_yearless_fit(per[0], yl, nyl))
		te_emit_yearly(p, per[0], yl, nyl);
	else
		for (k = 0; k < nper; k++)
			te_emit_period(p, per[k]);
	for (i = 0; nper == 0 && i < nyl; i++)
		te_emit_yearless_once(p, yl[i]);
	te_emit_items(p, f, n);
	free(yl);
}

/* Orders pending obligations by where they begin in the text. */
static int
te_pending_cmp(const void *a, const void *b)
{
	const struct te_pending	*x = a, *y = b;

	if (x->order != y->order)
		return (x->order < y->order ? -1 : 1);
	return (x < y ? -1 : x > y);
}

/* Appends an item unless the same obligation is already there. */
static void
te_add(struct te_parse *p, enum timeexpr_kind kind, date_t due, date_t start,
    char *rrule, char *label, enum timeexpr_dayoff dayoff)
{
	struct timeexpr		*te = p->out;
	struct timeexpr_item	*it;
	size_t			 i;

	for (i = 0; i < te->n; i++) {
		it = &te->items[i];
		if (it->kind == kind && it->due == due &&
		    it->dayoff == dayoff && it->start == start &&
		    (it->rrule == NULL) == (rrule == NULL) &&
		    (rrule == NULL || strcmp(it->rrule, rrule) == 0))
			goto drop;
	}
	if (te->n >= TIMEEXPR_MAX_ITEMS)
		goto drop;
	te->items = xreallocarray(te->items, te->n + 1, sizeof *te->items);
	it = &te->items[te->n++];
	it->kind = kind;
	it->due = due;
	it->start = start;
	it->rrule = rrule;
	it->label = label;
	it->dayoff = dayoff;
	return;
drop:
	free(rrule);
	free(label);
}

/* Combines every clause and adds the obligations in the text's order. */
static void
te_combine(struct te_parse *p)
{
	size_t	a = 0, b, i;

	while (a < p->nfrag) {
		for (b = a; b < p->nfrag &&
		    p->frag[b].clause == p->frag[a].clause; b++)
			;
		te_combine_clause(p, p->frag + a, b - a);
		a = b;
	}
	if (p->npend > 1)
		qsort(p->pend, p->npend, sizeof *p->pend, te_pending_cmp);
	for (i = 0; i < p->npend; i++)
		te_add(p, p->pend[i].kind, p->pend[i].due, p->pend[i].start,
		    p->pend[i].rrule, p->pend[i].label, p->pend[i].dayoff);
	p->npend = 0;
}


/*
 * 1 if token i means something for a date when left unread: a number, a
 * period word, or a word that governs a date ("trước", "chậm nhất",
 * "hạn chót", "đầu/giữa/cuối" a period, "mùng" a number).  "quy" counts
 * only written "quý": "quy định" is prose.
 */
static int
te_significant(const struct te_parse *p, size_t i)
{
	static const char *const always[] = { "thang", "nam", "tuan", "tet",
	    NULL };

	if (p->tok[i].type == TE_NUM)
		return (1);
	if (p->tok[i].type != TE_WORD)
		return (0);
	if (te_is_one_of(p, i, always))
		return (1);
	if (te_is_word(p, i, "quy"))
		return (te_has_acute(p, i));
	if (te_is_word(p, i, "ngay"))
		return (te_is_day_word(p, i));
	if (te_is_word(p, i, "truoc") || te_is_word(p, i, "sau"))
		return (!te_is_word(p, i + 1, "khi"));
	if (te_is_word(p, i, "cham") || te_is_word(p, i, "chot"))
		return (te_is_word(p, i + 1, "nhat") ||
		    (i > 0 && te_is_word(p, i - 1, "han")));
	if (te_is_word(p, i, "nhat"))
		return (i > 0 && te_is_word(p, i - 1, "cham"));
	if (te_is_word(p, i, "han"))	/* "Thời hạn gửi ...": a label */
		return (te_is_word(p, i + 1, "chot"));
	if (te_is_word(p, i, "dinh") && te_is_word(p, i + 1, "ky"))
		return (1);
	if (te_is_word(p, i, "ky") && i > 0 && (te_is_word(p, i - 1, "dinh") ||
	    te_is_word(p, i - 1, "dau") || te_is_word(p, i - 1, "giua") ||
	    te_is_word(p, i - 1, "cuoi")))
		return (1);
	if (te_is_word(p, i, "dau") || te_is_word(p, i, "giua") ||
	    te_is_word(p, i, "cuoi") || te_is_word(p, i, "hang") ||
	    te_is_word(p, i, "moi"))
		return (te_is_period_word(p, i + 1));
	if (te_is_word(p, i, "mung") || te_is_word(p, i, "mong"))
		return (te_num(p, i + 1, 16) >= 0);
	return (0);
}

/*
 * The words left over: each run of unread tokens within a clause, cut to
 * its first and last meaningful token, joined by "; "; NULL if none.
 */
static char *
te_leftover(struct te_parse *p)
{
	struct buf	 b;
	size_t		 i, first, last;
	char		*label;
	int		 any;

	buf_init(&b);
	for (i = p->start; i < p->n; ) {
		if (p->used[i] || te_is_punct(p, i, ",;.:()!?")) {
			i++;
			continue;
		}
		any = 0;
		first = last = i;
		for (; i < p->n && !p->used[i] &&
		    !te_is_punct(p, i, ",;.:()!?"); i++) {
			if (!te_significant(p, i))
				continue;
			if (!any)
				first = i;
			last = i;
			any = 1;
		}
		if (!any)
			continue;
		label = te_span_label(p, first, last + 1);
		if (b.len > 0)
			buf_adds(&b, "; ");
		buf_adds(&b, label);
		free(label);
	}
	if (b.len == 0) {
		buf_free(&b);
		return (NULL);
	}
	return (buf_steal(&b));
}

/*
 * Without any dated, recurring or ongoing item: on event when an event
 * clause was read, else unparsed.  A lone ongoing phrase is labelled with
 * the whole bullet, as it stands for all of it.
 */
static void
te_fallback(struct te_parse *p)
{
	struct timeexpr	*te = p->out;
	char		*label;

	if (te->n == 1 && te->items[0].kind == TIMEEXPR_ONGOING) {
		free(te->items[0].label);
		te->items[0].label = te_text_label(p->text);
	}
	if (te->n > 0)
		return;
	label = te_text_label(p->text);
	te_add(p, p->events > 0 ? TIMEEXPR_ON_EVENT : TIMEEXPR_UNPARSED,
	    DATE_NONE, DATE_NONE, NULL, label, TIMEEXPR_DAYOFF_DEFAULT);
}

/* How much the reading accounts for, and the words it left over. */
static void
te_quality(struct te_parse *p)
{
	struct timeexpr	*te = p->out;

	te->leftover = te_leftover(p);
	if (te->n == 1 && te->items[0].kind == TIMEEXPR_UNPARSED) {
		te->quality = TIMEEXPR_UNREAD;
		if (te->leftover == NULL)
			te->leftover = xstrdup(te->items[0].label);
	} else if (te->leftover != NULL)
		te->quality = TIMEEXPR_PARTIAL;
	else
		te->quality = TIMEEXPR_EXACT;
}

/* Prepares a parse of text into te. */
static void
te_begin(struct te_parse *p, const char *text,
    const struct timeexpr_options *opt, struct timeexpr *te, int milestones)
{
	memset(p, 0, sizeof *p);
	p->text = text != NULL ? text : "";
	p->milestones = milestones;
	p->plan_start = DATE_NONE;
	if (opt != NULL) {
		p->year = opt->year;
		p->period_day = opt->period_day;
		if (opt->start != 0 && opt->start != DATE_NONE)
			p->plan_start = opt->start;
	} else
		p->year = date_year(date_today());
	if (p->period_day < 0 || p->period_day > 31)
		p->period_day = 0;
	p->out = te;
	memset(te, 0, sizeof *te);
	buf_init(&p->folded);
	te_tokenize(p, p->text);
	te_drop_spelled(p);
	te_clauses(p);
	p->used = xcalloc(p->n + 1, 1);
	while (p->start < p->n && te_is_punct(p, p->start, "-+*"))
		p->start++;
}

/* Frees the parse state (not the result). */
static void
te_end(struct te_parse *p)
{
	size_t	i;

	for (i = 0; i < p->nfrag; i++) {
		free(p->frag[i].rrule);
		free(p->frag[i].stage);
	}
	free(p->frag);
	free(p->pend);
	free(p->tok);
	free(p->clause);
	free(p->used);
	free(p->stage);
	buf_free(&p->folded);
}

/* Reads one bullet of a time cell; at least one item, see timeexpr.h. */
int
timeexpr_parse(const char *text, const struct timeexpr_options *opt,
    struct timeexpr *te)
{
	struct te_parse	p;

	te_begin(&p, text, opt, te, 0);
	te_scan(&p);
	te_combine(&p);
	te_fallback(&p);
	te_quality(&p);
	te_end(&p);
	return (0);
}

/* Reads the deadlines inside task text; possibly none. */
int
timeexpr_milestones(const char *text, const struct timeexpr_options *opt,
    struct timeexpr *te)
{
	struct te_parse	p;

	te_begin(&p, text, opt, te, 1);
	te_scan(&p);
	te_combine(&p);
	te_end(&p);
	return (0);
}

/* Frees the items of a result and empties it; NULL is safe. */
void
timeexpr_clear(struct timeexpr *te)
{
	size_t	i;

	if (te == NULL)
		return;
	for (i = 0; i < te->n; i++) {
		free(te->items[i].rrule);
		free(te->items[i].label);
	}
	free(te->items);
	free(te->leftover);
	te->items = NULL;
	te->leftover = NULL;
	te->n = 0;
}

/* The stored name of a kind: "once", "recurring", ... */
const char *
timeexpr_kind_name(enum timeexpr_kind kind)
{
	if ((size_t)kind >= sizeof te_kind_names / sizeof te_kind_names[0])
		return ("unknown");
	return (te_kind_names[kind]);
}

/* The kind of a stored name; 0, or -1 if unknown. */
int
timeexpr_kind_from_name(const char *name, enum timeexpr_kind *kind)
{
	size_t	i;

	for (i = 0; i < sizeof te_kind_names / sizeof te_kind_names[0]; i++) {
		if (strcmp(name, te_kind_names[i]) == 0) {
			*kind = (enum timeexpr_kind)i;
			return (0);
		}
	}
	return (-1);
}

/* The stored name of a quality: "exact", "partial", "unparsed". */
const char *
timeexpr_quality_name(enum timeexpr_quality q)
{
	if ((size_t)q >= sizeof te_quality_names / sizeof te_quality_names[0])
		return ("unknown");
	return (te_quality_names[q]);
}

/* The quality of a stored name; 0, or -1 if unknown. */
int
timeexpr_quality_from_name(const char *name, enum timeexpr_quality *q)
{
	size_t	i;

	for (i = 0; i < sizeof te_quality_names / sizeof te_quality_names[0];
	    i++) {
		if (strcmp(name, te_quality_names[i]) == 0) {
			*q = (enum timeexpr_quality)i;
			return (0);
		}
	}
	return (-1);
}

/* The stored name of a day-off rule: NULL for the configured one. */
const char *
timeexpr_dayoff_name(enum timeexpr_dayoff d)
{
	switch (d) {
	case TIMEEXPR_DAYOFF_PREVIOUS:
		return ("previous");
	case TIMEEXPR_DAYOFF_NEXT:
		return ("next");
	case TIMEEXPR_DAYOFF_DEFAULT:
		break;
	}
	return (NULL);
}

/* The day-off rule of a stored name (NULL: the configured one); 0 or -1. */
int
timeexpr_dayoff_from_name(const char *name, enum timeexpr_dayoff *d)
{
	if (name == NULL)
		*d = TIMEEXPR_DAYOFF_DEFAULT;
	else if (strcmp(name, "previous") == 0)
		*d = TIMEEXPR_DAYOFF_PREVIOUS;
	else if (strcmp(name, "next") == 0)
		*d = TIMEEXPR_DAYOFF_NEXT;
	else
		return (-1);
	return (0);
}
