/*
 * Vietnamese time expressions into obligations.
 *
 * The text is folded (lower case, no diacritics, đ -> d; NFC and NFD alike)
 * into word, number and punctuation tokens that remember which bytes of the
 * original they came from, so labels quote the text as written.  A table of
 * patterns is then tried at every token, most specific first; what is left
 * over is prose and is skipped.  Only when no date or period is found does
 * the opening phrase decide between ongoing, on-event and unparsed.  Every
 * pattern is a short fixed sequence, so the scan is linear in the input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "fold.h"
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

struct te_capture {
	int	day;
	int	month;
	int	year;
	int	has_year;
	int	quarter;
	int	num;
};

struct te_parse {
	const char		*text;
	struct te_token		*tok;
	size_t			 n;
	size_t			 size;
	struct buf		 folded;
	size_t			 start;		/* first token after bullets */
	int			 year;
	int			 period_day;
	int			 milestones;	/* task text: deadlines only */
	char			*stage;		/* "Giai đoạn 1" while in one */
	struct timeexpr		*out;
};

typedef void (*te_handler)(struct te_parse *, const struct te_capture *,
    const char *);

/* Pattern flags. */
#define TE_MILESTONE	0x1	/* also a deadline inside task text */
#define TE_PERIOD	0x2	/* a period: a list of periods may follow */
#define TE_LIST		0x4	/* bare period word: only inside such a list */

struct te_pattern {
	const char	*pattern;
	te_handler	 handler;
	int		 flags;
	const char	*label;		/* NULL: the matched text */
};

struct te_fallback {
	const char		*pattern;
	enum timeexpr_kind	 kind;
};

typedef int (*te_capture_fn)(struct te_parse *, size_t *,
    struct te_capture *);

struct te_capture_def {
	char		letter;
	te_capture_fn	fn;
};

static void	te_h_date(struct te_parse *, const struct te_capture *,
		    const char *);
static void	te_h_before(struct te_parse *, const struct te_capture *,
		    const char *);
static void	te_h_month(struct te_parse *, const struct te_capture *,
		    const char *);
static void	te_h_before_month(struct te_parse *,
		    const struct te_capture *, const char *);
static void	te_h_quarter(struct te_parse *, const struct te_capture *,
		    const char *);
static void	te_h_first_half(struct te_parse *, const struct te_capture *,
		    const char *);
static void	te_h_year_end(struct te_parse *, const struct te_capture *,
		    const char *);
static void	te_h_stage(struct te_parse *, const struct te_capture *,
		    const char *);
static void	te_h_monthly(struct te_parse *, const struct te_capture *,
		    const char *);
static void	te_h_quarterly(struct te_parse *, const struct te_capture *,
		    const char *);
static void	te_h_halfyearly(struct te_parse *, const struct te_capture *,
		    const char *);
static void	te_h_yearly(struct te_parse *, const struct te_capture *,
		    const char *);
static void	te_h_monthly_day(struct te_parse *, const struct te_capture *,
		    const char *);
static void	te_h_monthly_before(struct te_parse *,
		    const struct te_capture *, const char *);
static void	te_h_quarterly_day(struct te_parse *,
		    const struct te_capture *, const char *);
static void	te_h_yearly_day(struct te_parse *, const struct te_capture *,
		    const char *);
static void	te_h_yearly_before(struct te_parse *,
		    const struct te_capture *, const char *);

static int	te_cap_date(struct te_parse *, size_t *, struct te_capture *);
static int	te_cap_full_date(struct te_parse *, size_t *,
		    struct te_capture *);
static int	te_cap_day_month(struct te_parse *, size_t *,
		    struct te_capture *);
static int	te_cap_month(struct te_parse *, size_t *, struct te_capture *);
static int	te_cap_month_year(struct te_parse *, size_t *,
		    struct te_capture *);
static int	te_cap_quarter(struct te_parse *, size_t *,
		    struct te_capture *);
static int	te_cap_day(struct te_parse *, size_t *, struct te_capture *);
static int	te_cap_stage(struct te_parse *, size_t *, struct te_capture *);
static int	te_cap_year(struct te_parse *, size_t *, struct te_capture *);
static int	te_cap_range(struct te_parse *, size_t *, struct te_capture *);

/*
 * Pattern elements are separated by one space: a word or number, several
 * separated by '|', "%X" a capture (see te_captures), "^" the start of the
 * bullet, "$" its end; a trailing '?' makes an element optional.
 */
static const struct te_pattern te_patterns[] = {
	/* A day of every period, before the plain dates they contain. */
	{ "truoc ngay mung|mong? %N hang|moi thang", te_h_monthly_before,
	    TE_MILESTONE, NULL },
	{ "truoc ngay mung|mong? %A hang|moi nam", te_h_yearly_before,
	    TE_MILESTONE, NULL },
	{ "ngay mung|mong? %N hang|moi thang", te_h_monthly_day, 0, NULL },
	{ "ngay mung|mong? %A hang|moi nam", te_h_yearly_day, 0, NULL },
	{ "ngay %N cua? thang cuoi cung? cua? moi|hang? quy",
	    te_h_quarterly_day, 0, NULL },

	/* One date. */
	{ "truoc ngay mung|mong? %D", te_h_before, TE_MILESTONE, NULL },
	{ "cham nhat la|vao? ngay? %D", te_h_date, TE_MILESTONE, NULL },
	{ "han chot la|vao? ngay? %D", te_h_date, TE_MILESTONE, NULL },
	{ "den ngay %D", te_h_date, 0, NULL },
	{ "ngay mung|mong? %D", te_h_date, 0, NULL },
	{ "^ %D $", te_h_date, 0, NULL },
	{ "%F", te_h_date, 0, NULL },
	{ "truoc thang %M", te_h_before_month, TE_MILESTONE, NULL },
	{ "thang %M", te_h_month, 0, NULL },
	{ "^ %P $", te_h_month, 0, NULL },
	{ "quy %Q", te_h_quarter, 0, NULL },
	{ "6 thang dau nam %Y?", te_h_first_half, 0, NULL },
	{ "6 thang cuoi nam %Y?", te_h_year_end, 0, NULL },
	{ "cuoi nam %Y?", te_h_year_end, 0, NULL },
	{ "nam %Y", te_h_year_end, 0, NULL },
	{ "giai doan %R", te_h_year_end, 0, NULL },
	{ "%R", te_h_year_end, 0, NULL },
	{ "giai doan %S :?", te_h_stage, 0, "Giai đoạn" },
	{ "dot %S :?", te_h_stage, 0, "Đợt" },

	/* Periods: due at the end of each, or on options.period_day. */
	{ "hang|moi thang", te_h_monthly, TE_PERIOD, "Hàng tháng" },
	{ "hang|moi quy", te_h_quarterly, TE_PERIOD, "Hàng quý" },
	{ "hang|moi 6 thang", te_h_halfyearly, TE_PERIOD, "06 tháng" },
	{ "hang|moi nam", te_h_yearly, TE_PERIOD, "Hàng năm" },
	{ "6 thang", te_h_halfyearly, TE_PERIOD|TE_LIST, "06 tháng" },
	{ "nam", te_h_yearly, TE_PERIOD|TE_LIST, "Năm" },
};

/* Opening phrases of a bullet without any date or period. */
static const struct te_fallback te_fallbacks[] = {
	{ "^ thuong xuyen", TIMEEXPR_ONGOING },
	{ "^ lien tuc", TIMEEXPR_ONGOING },
	{ "^ theo quy dinh", TIMEEXPR_ON_EVENT },
	{ "^ theo yeu cau", TIMEEXPR_ON_EVENT },
	{ "^ theo tien do", TIMEEXPR_ON_EVENT },
	{ "^ theo ke hoach", TIMEEXPR_ON_EVENT },
	{ "^ theo de xuat", TIMEEXPR_ON_EVENT },
	{ "^ theo dang ky", TIMEEXPR_ON_EVENT },
	{ "^ theo thoi gian", TIMEEXPR_ON_EVENT },
	{ "^ theo chi dao", TIMEEXPR_ON_EVENT },
	{ "^ theo huong dan", TIMEEXPR_ON_EVENT },
	{ "^ theo van ban", TIMEEXPR_ON_EVENT },
	{ "^ theo lich", TIMEEXPR_ON_EVENT },
	{ "^ tuy theo", TIMEEXPR_ON_EVENT },
	{ "^ khi", TIMEEXPR_ON_EVENT },
	{ "^ sau khi", TIMEEXPR_ON_EVENT },
	{ "^ ngay sau khi", TIMEEXPR_ON_EVENT },
	{ "^ truoc khi", TIMEEXPR_ON_EVENT },
	{ "^ dot xuat", TIMEEXPR_ON_EVENT },
};

/*
 * Captures: D a date (year optional), F a date with its year, A a day and
 * month, M a month (year optional), P a month with its year, Q a quarter,
 * N a day of the month, S a stage number, Y a year or range, R a range.
 */
static const struct te_capture_def te_captures[] = {
	{ 'D', te_cap_date },
	{ 'F', te_cap_full_date },
	{ 'A', te_cap_day_month },
	{ 'M', te_cap_month },
	{ 'P', te_cap_month_year },
	{ 'Q', te_cap_quarter },
	{ 'N', te_cap_day },
	{ 'S', te_cap_stage },
	{ 'Y', te_cap_year },
	{ 'R', te_cap_range },
};

static const char *te_roman[] = {
	"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"
};

static const char *te_kind_names[] = {
	"once", "recurring", "ongoing", "on_event", "unparsed"
};

/* Folds a code point: an ASCII character, ' ', or 0 to drop it. */
static int
te_fold_cp(uint32_t cp)
{
	char	c;

	if ((c = fold_letter(cp)) != 0)
		return (c);
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

/* 1 if token i exists and its folded text is w. */
static int
te_is_word(const struct te_parse *p, size_t i, const char *w)
{
	const struct te_token	*t;

	if (i >= p->n)
		return (0);
	t = &p->tok[i];
	return (t->flen == strlen(w) &&
	    memcmp(p->folded.data + t->foff, w, t->flen) == 0);
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

/* 1 if only closing punctuation is left from token i. */
static int
te_at_end(const struct te_parse *p, size_t i)
{
	for (; i < p->n; i++) {
		if (!te_is_punct(p, i, ".,;:!"))
			return (0);
	}
	return (1);
}

/* 1 if token i separates the items of a list of periods. */
static int
te_is_separator(const struct te_parse *p, size_t i)
{
	return (te_is_punct(p, i, ",;.-&+/") || te_is_word(p, i, "va"));
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

/* Reads "/2024", "-2024", ".2024", "/24" or "năm 2024" at *ip. */
static int
te_year_suffix(struct te_parse *p, size_t *ip, struct te_capture *c)
{
	size_t	i = *ip;
	long	y;
	int	sep = te_is_punct(p, i, "/.-");

	if (!sep && !te_is_word(p, i, "nam"))
		return (-1);
	if ((y = te_num(p, i + 1, 4)) < 0)
		return (-1);
	if (p->tok[i + 1].flen == 2 && sep)
		y += 2000;
	else if (p->tok[i + 1].flen != 4)
		return (-1);
	c->year = (int)y;
	c->has_year = 1;
	*ip = i + 2;
	return (0);
}

/* Reads "15/12", "15.12", "15-12" or "15 tháng 12" at *ip. */
static int
te_cap_day_month(struct te_parse *p, size_t *ip, struct te_capture *c)
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
	c->day = (int)d;
	c->month = (int)m;
	*ip = i + 3;
	return (0);
}

/* Reads an ISO date "2024-12-15" at *ip. */
static int
te_cap_iso(struct te_parse *p, size_t *ip, struct te_capture *c)
{
	size_t	i = *ip;

	if (te_num(p, i, 4) < 0 || p->tok[i].flen != 4 ||
	    !te_is_punct(p, i + 1, "-") || te_num(p, i + 2, 2) < 1 ||
	    !te_is_punct(p, i + 3, "-") || te_num(p, i + 4, 2) < 1)
		return (-1);
	c->year = (int)p->tok[i].value;
	c->month = (int)p->tok[i + 2].value;
	c->day = (int)p->tok[i + 4].value;
	c->has_year = 1;
	*ip = i + 5;
	return (0);
}

/* Reads a valid date at *ip, the plan's year when none is written. */
static int
te_cap_date(struct te_parse *p, size_t *ip, struct te_capture *c)
{
	size_t	i = *ip;

	if (te_cap_iso(p, &i, c) != 0) {
		if (te_cap_day_month(p, &i, c) != 0)
			return (-1);
		te_year_suffix(p, &i, c);
	}
	if (!date_valid(c->year, c->month, c->day))
		return (-1);
	*ip = i;
	return (0);
}

/* Reads a valid date with its year written at *ip. */
static int
te_cap_full_date(struct te_parse *p, size_t *ip, struct te_capture *c)
{
	size_t	i = *ip;

	if (te_cap_date(p, &i, c) != 0 || !c->has_year)
		return (-1);
	*ip = i;
	return (0);
}

/* Reads a month "5", "5/2024", "5 năm 2024" at *ip. */
static int
te_cap_month(struct te_parse *p, size_t *ip, struct te_capture *c)
{
	size_t	i = *ip;
	long	m;

	if ((m = te_num(p, i, 2)) < 1 || m > 12)
		return (-1);
	i++;
	te_year_suffix(p, &i, c);
	if (!date_valid(c->year, (int)m, 1))
		return (-1);
	c->month = (int)m;
	*ip = i;
	return (0);
}

/* Reads a month with its year "6/2024" at *ip. */
static int
te_cap_month_year(struct te_parse *p, size_t *ip, struct te_capture *c)
{
	size_t	i = *ip;

	if (te_cap_month(p, &i, c) != 0 || !c->has_year)
		return (-1);
	*ip = i;
	return (0);
}

/* Reads a quarter "II", "2", "III/2024", "1 năm 2018" at *ip. */
static int
te_cap_quarter(struct te_parse *p, size_t *ip, struct te_capture *c)
{
	size_t	i = *ip;
	long	q;

	if ((q = te_roman_at(p, i)) < 0)
		q = te_num(p, i, 2);
	if (q < 1 || q > 4)
		return (-1);
	i++;
	te_year_suffix(p, &i, c);
	if (!date_valid(c->year, (int)q * 3, 1))
		return (-1);
	c->quarter = (int)q;
	*ip = i;
	return (0);
}

/* Reads a day of the month 1..31 at *ip. */
static int
te_cap_day(struct te_parse *p, size_t *ip, struct te_capture *c)
{
	long	d;

	if ((d = te_num(p, *ip, 2)) < 1 || d > 31)
		return (-1);
	c->num = (int)d;
	(*ip)++;
	return (0);
}

/* Reads a stage number "1".."99" or "I".."X" at *ip. */
static int
te_cap_stage(struct te_parse *p, size_t *ip, struct te_capture *c)
{
	long	s;

	if ((s = te_roman_at(p, *ip)) < 0)
		s = te_num(p, *ip, 2);
	if (s < 1)
		return (-1);
	c->num = (int)s;
	(*ip)++;
	return (0);
}

/* Reads a year, or a range "2021 - 2025" keeping its last year, at *ip. */
static int
te_cap_year(struct te_parse *p, size_t *ip, struct te_capture *c)
{
	size_t	i = *ip;
	long	first, last;

	if ((first = te_num(p, i, 4)) < 1 || p->tok[i].flen != 4)
		return (-1);
	c->year = (int)first;
	c->has_year = 1;
	c->num = 0;
	*ip = i + 1;
	if (!te_is_punct(p, i + 1, "-") ||
	    (last = te_num(p, i + 2, 4)) < first || p->tok[i + 2].flen != 4)
		return (0);
	c->year = (int)last;
	c->num = 1;
	*ip = i + 3;
	return (0);
}

/* Reads a range of years "2021-2025" at *ip, keeping its last year. */
static int
te_cap_range(struct te_parse *p, size_t *ip, struct te_capture *c)
{
	size_t	i = *ip;

	if (te_cap_year(p, &i, c) != 0 || c->num != 1)
		return (-1);
	*ip = i;
	return (0);
}

/* Runs the capture named by letter at *ip. */
static int
te_capture(struct te_parse *p, char letter, size_t *ip, struct te_capture *c)
{
	size_t	k;

	for (k = 0; k < sizeof te_captures / sizeof te_captures[0]; k++) {
		if (te_captures[k].letter == letter)
			return (te_captures[k].fn(p, ip, c));
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
		alt = strcspn(e, "|");
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
	if (e[0] == '%')
		return (te_capture(p, e[1], ip, c));
	return (te_match_literals(p, e, len, ip));
}

/* Matches a whole pattern at token i; 1 with *endp after it, or 0. */
static int
te_match(struct te_parse *p, const char *pattern, size_t i, size_t *endp,
    struct te_capture *c)
{
	const char	*e, *next;
	size_t		 len;
	int		 optional;

	memset(c, 0, sizeof *c);
	c->year = p->year;
	for (e = pattern; *e != '\0'; e = next) {
		len = strcspn(e, " ");
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
	while (b.len > 0 && strchr(" .,;:", b.data[b.len - 1]) != NULL)
		b.data[--b.len] = '\0';
	return (buf_steal(&b));
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

/* Appends an item unless the same obligation is already there. */
static void
te_add(struct te_parse *p, enum timeexpr_kind kind, date_t due, char *rrule,
    const char *label)
{
	struct timeexpr		*te = p->out;
	struct timeexpr_item	*it;
	size_t			 i;

	for (i = 0; i < te->n; i++) {
		it = &te->items[i];
		if (it->kind == kind && it->due == due &&
		    (it->rrule == NULL) == (rrule == NULL) &&
		    (rrule == NULL || strcmp(it->rrule, rrule) == 0)) {
			free(rrule);
			return;
		}
	}
	if (te->n >= TIMEEXPR_MAX_ITEMS) {
		free(rrule);
		return;
	}
	te->items = xreallocarray(te->items, te->n + 1, sizeof *te->items);
	it = &te->items[te->n++];
	it->kind = kind;
	it->due = due;
	it->rrule = rrule;
	if (kind == TIMEEXPR_ONCE && p->stage != NULL)
		label = p->stage;
	it->label = xstrdup(label);
}

/* Adds a once item due on day, if day is a real date. */
static void
te_add_day(struct te_parse *p, date_t day, const char *label)
{
	int	y, m, d;

	date_to_ymd(day, &y, &m, &d);
	if (date_valid(y, m, d))
		te_add(p, TIMEEXPR_ONCE, day, NULL, label);
}

/* Adds a once item due on y-m-d, if that is a real date. */
static void
te_add_ymd(struct te_parse *p, int y, int m, int d, const char *label)
{
	if (date_valid(y, m, d))
		te_add(p, TIMEEXPR_ONCE, date_from_ymd(y, m, d), NULL, label);
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

/* Handler: once on the date. */
static void
te_h_date(struct te_parse *p, const struct te_capture *c, const char *label)
{
	te_add_ymd(p, c->year, c->month, c->day, label);
}

/* Handler: once on the day before the date ("trước ngày"). */
static void
te_h_before(struct te_parse *p, const struct te_capture *c, const char *label)
{
	te_add_day(p, date_from_ymd(c->year, c->month, c->day) - 1, label);
}

/* Handler: once on the month's last day. */
static void
te_h_month(struct te_parse *p, const struct te_capture *c, const char *label)
{
	te_add_ymd(p, c->year, c->month,
	    date_days_in_month(c->year, c->month), label);
}

/* Handler: once on the last day before the month ("trước tháng"). */
static void
te_h_before_month(struct te_parse *p, const struct te_capture *c,
    const char *label)
{
	te_add_day(p, date_from_ymd(c->year, c->month, 1) - 1, label);
}

/* Handler: once on the quarter's last day. */
static void
te_h_quarter(struct te_parse *p, const struct te_capture *c,
    const char *label)
{
	int	m = c->quarter * 3;

	te_add_ymd(p, c->year, m, date_days_in_month(c->year, m), label);
}

/* Handler: once on 30 June ("6 tháng đầu năm"). */
static void
te_h_first_half(struct te_parse *p, const struct te_capture *c,
    const char *label)
{
	te_add_ymd(p, c->year, 6, 30, label);
}

/* Handler: once on 31 December of the (last) year. */
static void
te_h_year_end(struct te_parse *p, const struct te_capture *c,
    const char *label)
{
	te_add_ymd(p, c->year, 12, 31, label);
}

/* Handler: the following dates belong to stage N ("Giai đoạn 1:"). */
static void
te_h_stage(struct te_parse *p, const struct te_capture *c, const char *label)
{
	free(p->stage);
	xasprintf(&p->stage, "%s %d", label, c->num);
}

/* Handler: every month. */
static void
te_h_monthly(struct te_parse *p, const struct te_capture *c,
    const char *label)
{
	te_add(p, TIMEEXPR_RECURRING, DATE_NONE,
	    te_rule_monthly(NULL, p->period_day), label);
}

/* Handler: every quarter. */
static void
te_h_quarterly(struct te_parse *p, const struct te_capture *c,
    const char *label)
{
	te_add(p, TIMEEXPR_RECURRING, DATE_NONE,
	    te_rule_monthly("3,6,9,12", p->period_day), label);
}

/* Handler: every half year. */
static void
te_h_halfyearly(struct te_parse *p, const struct te_capture *c,
    const char *label)
{
	te_add(p, TIMEEXPR_RECURRING, DATE_NONE,
	    te_rule_monthly("6,12", p->period_day), label);
}

/* Handler: every year, in December. */
static void
te_h_yearly(struct te_parse *p, const struct te_capture *c,
    const char *label)
{
	te_add(p, TIMEEXPR_RECURRING, DATE_NONE,
	    te_rule_yearly(12, p->period_day), label);
}

/* Handler: day N of every month ("ngày 25 hàng tháng"). */
static void
te_h_monthly_day(struct te_parse *p, const struct te_capture *c,
    const char *label)
{
	te_add(p, TIMEEXPR_RECURRING, DATE_NONE,
	    te_rule_monthly(NULL, c->num), label);
}

/* Handler: the day before day N of every month (day 1: the last). */
static void
te_h_monthly_before(struct te_parse *p, const struct te_capture *c,
    const char *label)
{
	te_add(p, TIMEEXPR_RECURRING, DATE_NONE,
	    te_rule_monthly(NULL, c->num - 1), label);
}

/* Handler: day N of each quarter's last month. */
static void
te_h_quarterly_day(struct te_parse *p, const struct te_capture *c,
    const char *label)
{
	te_add(p, TIMEEXPR_RECURRING, DATE_NONE,
	    te_rule_monthly("3,6,9,12", c->num), label);
}

/* Handler: a day and month of every year ("ngày 20/11 hằng năm"). */
static void
te_h_yearly_day(struct te_parse *p, const struct te_capture *c,
    const char *label)
{
	te_add(p, TIMEEXPR_RECURRING, DATE_NONE,
	    te_rule_yearly(c->month, c->day), label);
}

/* Handler: the day before a day and month of every year. */
static void
te_h_yearly_before(struct te_parse *p, const struct te_capture *c,
    const char *label)
{
	int	m = c->month, d = c->day - 1;

	if (d == 0) {
		m = m == 1 ? 12 : m - 1;
		d = 31;		/* clamped to the month's last day */
	}
	te_add(p, TIMEEXPR_RECURRING, DATE_NONE, te_rule_yearly(m, d), label);
}

/* 1 if a bare period word may end at token i: end of text or separator. */
static int
te_list_boundary(const struct te_parse *p, size_t i)
{
	return (i >= p->n || te_is_separator(p, i));
}

/* The first pattern allowed and matching at token i, or NULL. */
static const struct te_pattern *
te_pattern_at(struct te_parse *p, size_t i, int list_ok, size_t *endp,
    struct te_capture *c)
{
	const struct te_pattern	*pat;
	size_t			 k;

	for (k = 0; k < sizeof te_patterns / sizeof te_patterns[0]; k++) {
		pat = &te_patterns[k];
		if (p->milestones && (pat->flags & TE_MILESTONE) == 0)
			continue;
		if ((pat->flags & TE_LIST) && !list_ok)
			continue;
		if (!te_match(p, pat->pattern, i, endp, c) || *endp <= i)
			continue;
		if ((pat->flags & TE_LIST) && !te_list_boundary(p, *endp))
			continue;
		return (pat);
	}
	return (NULL);
}

/* Runs a matched pattern's handler over tokens [i, end). */
static void
te_apply(struct te_parse *p, const struct te_pattern *pat,
    const struct te_capture *c, size_t i, size_t end)
{
	char	*label;

	if (pat->label != NULL)
		label = xstrdup(pat->label);
	else
		label = te_label(p->text + p->tok[i].ostart,
		    p->tok[end - 1].oend - p->tok[i].ostart);
	pat->handler(p, c, label);
	free(label);
}

/* Tries the patterns at every token, left to right. */
static void
te_scan(struct te_parse *p)
{
	const struct te_pattern	*pat;
	struct te_capture	 c;
	size_t			 i = p->start, end;
	int			 list_ok = 1;

	while (i < p->n && p->out->n < TIMEEXPR_MAX_ITEMS) {
		pat = te_is_glued(p, i) ? NULL :
		    te_pattern_at(p, i, list_ok, &end, &c);
		if (pat != NULL) {
			te_apply(p, pat, &c, i, end);
			list_ok = (pat->flags & TE_PERIOD) != 0;
			i = end;
			continue;
		}
		if (!te_is_separator(p, i))
			list_ok = 0;
		i++;
	}
}

/* Without dates or periods: ongoing, on event, or unparsed. */
static void
te_fallback(struct te_parse *p)
{
	struct te_capture	 c;
	enum timeexpr_kind	 kind = TIMEEXPR_UNPARSED;
	char			*label;
	size_t			 k, end;

	for (k = 0; k < sizeof te_fallbacks / sizeof te_fallbacks[0]; k++) {
		if (te_match(p, te_fallbacks[k].pattern, p->start, &end, &c)) {
			kind = te_fallbacks[k].kind;
			break;
		}
	}
	label = te_text_label(p->text);
	te_add(p, kind, DATE_NONE, NULL, label);
	free(label);
}

/* Prepares a parse of text into te. */
static void
te_begin(struct te_parse *p, const char *text,
    const struct timeexpr_options *opt, struct timeexpr *te, int milestones)
{
	memset(p, 0, sizeof *p);
	p->text = text != NULL ? text : "";
	p->milestones = milestones;
	if (opt != NULL) {
		p->year = opt->year;
		p->period_day = opt->period_day;
	} else
		p->year = date_year(date_today());
	if (p->period_day < 0 || p->period_day > 31)
		p->period_day = 0;
	p->out = te;
	te->items = NULL;
	te->n = 0;
	buf_init(&p->folded);
	te_tokenize(p, p->text);
	while (p->start < p->n && te_is_punct(p, p->start, "-+*"))
		p->start++;
}

/* Frees the parse state (not the result). */
static void
te_end(struct te_parse *p)
{
	free(p->tok);
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
	if (te->n == 0)
		te_fallback(&p);
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
	te->items = NULL;
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
