/*
 * The "responsible units" cell of a plan row: bullets, then units with
 * roles.
 *
 * Names contain the very characters that separate them ("UBND các xã,
 * thị trấn", "Văn phòng HĐND và UBND huyện", "Trung tâm Văn hóa - Thông
 * tin - Thể thao"), so every split is tried against the caller's lookup and
 * the longest known name wins; only what matches nothing is split plainly.
 * Nothing is dropped: an unknown phrase is kept with a NULL code.
 */
#include <ctype.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>

#include "assign.h"
#include "fold.h"
#include "plan.h"
#include "utf8.h"
#include "xmalloc.h"

/* Most " - " pieces one name spans, most commas inside one name. */
#define ASSIGN_MAX_DASHES	4
#define ASSIGN_MAX_COMMAS	6
/* Most words tried at the end and start of pieces joined by " - ". */
#define ASSIGN_MAX_WORDS	8
/* Most "và" splits tried for one run of pieces (keeps it linear). */
#define ASSIGN_MAX_AND		64

/* A piece of text: a slice of a longer string. */
struct assign_span {
	const char	*s;
	size_t		 len;
};

/* What the parser needs at hand. */
struct assign_ctx {
	assign_lookup		 lookup;
	void			*arg;
	struct assign_list	*list;
	int			 budget;	/* lookups left for one run */
};

/*
 * Role words, folded, that divide a bullet into lead and support parts:
 * what comes before the first leads, what comes after any supports.
 */
static const char *const assign_markers[][3] = {
	{ "phoi", "hop", "voi" },
	{ "phoi", "hop", NULL },
	{ "chu", "tri", NULL },
	{ "tham", "muu", "cho" },
	{ "tham", "muu", NULL },
	{ "giup", NULL, NULL }
};

/*
 * A role word that is part of a name or a noun instead: "Trung tâm Trợ
 * giúp pháp lý", "Tổ giúp việc", "Ban Tham mưu", "cơ quan tham mưu".
 * The folded word before it, or (after: 1) the word after it.
 */
static const struct {
	const char	*marker;
	const char	*word;
	int		 after;
} assign_not_markers[] = {
	{ "giup", "tro", 0 },
	{ "giup", "viec", 1 },
	{ "tham", "ban", 0 },
	{ "tham", "phong", 0 },
	{ "tham", "quan", 0 }
};

/*
 * First words, folded, of the names of offices and bodies: a comma piece
 * that starts with none of them continues an unknown name ("Sở Văn hóa,
 * Thể thao và Du lịch").  Acronyms in capitals ("UBND", "MTTQ") count too.
 */
static const char *const assign_name_starts[] = {
	"ban", "bao", "benh", "bo", "buu", "cac", "chi", "cong", "cuc", "dai",
	"dang", "dien", "doan", "doi", "hat", "hoi", "huyen", "kho", "khoi",
	"lien", "mat", "ngan", "nha", "nhung", "phong", "phuong", "quy", "so",
	"thanh", "thi", "tinh", "to", "toa", "tong", "tram", "trung",
	"truong", "ubnd", "uy", "van", "vien", "xa"
};

/* Trailing words, folded, that narrow a collective without naming it. */
static const char *const assign_suffixes[] = {
	"co lien quan",
	"lien quan"
};

/* "và" as written: NFC and NFD, any case; "&". */
static const char *const assign_and_words[] = {
	"v\xc3\xa0", "V\xc3\xa0", "V\xc3\x80", "v\xc3\x80",
	"va\xcc\x80", "Va\xcc\x80", "VA\xcc\x80", "&"
};

/* Bullet markers at the start of a line. */
static const char *const assign_bullet_marks[] = {
	"-", "+", "*", "\xe2\x80\xa2", "\xe2\x80\x93", "\xe2\x80\x94"
};

/* Punctuation trimmed from both ends of a phrase. */
static const char assign_trim_chars[] = " \t\r\n;,.:";

/* Returns the role's name, as the database and the listings spell it. */
const char *
assign_role_name(enum assign_role role)
{
	switch (role) {
	case ASSIGN_LEAD:
		return ("lead");
	case ASSIGN_SUPPORT:
		return ("support");
	case ASSIGN_REPORT_TO:
		return ("report_to");
	}
	return ("unknown");
}

/* Frees the units of a list and empties it; the list itself is kept. */
void
assign_list_clear(struct assign_list *list)
{
	size_t	 i;

	if (list == NULL)
		return;
	for (i = 0; i < list->n; i++) {
		free(list->v[i].phrase);
		free(list->v[i].code);
	}
	free(list->v);
	list->v = NULL;
	list->n = 0;
}

/* Drops the units added after the first n. */
static void
assign_list_truncate(struct assign_list *list, size_t n)
{
	while (list->n > n) {
		list->n--;
		free(list->v[list->n].phrase);
		free(list->v[list->n].code);
	}
}

/* Narrows a span to its text without surrounding spaces and separators. */
static struct assign_span
assign_trim(struct assign_span sp)
{
	while (sp.len > 0 && strchr(assign_trim_chars, sp.s[0]) != NULL) {
		sp.s++;
		sp.len--;
	}
	while (sp.len > 0 && strchr(assign_trim_chars, sp.s[sp.len - 1]) !=
	    NULL)
		sp.len--;
	return (sp);
}

/* Returns the span from a's start to b's end. */
static struct assign_span
assign_join(struct assign_span a, struct assign_span b)
{
	struct assign_span	 sp;

	sp.s = a.s;
	sp.len = (size_t)(b.s + b.len - a.s);
	return (sp);
}

/* Returns 1 if the span folds to nothing (punctuation, connectors). */
static int
assign_is_blank(struct assign_span sp)
{
	char	*text, *folded;
	int	 blank;

	text = xstrndup(sp.s, sp.len);
	folded = fold_name(text);
	blank = (folded[0] == '\0');
	free(folded);
	free(text);
	return (blank);
}

/* Asks the caller's lookup about a span; returns the code or NULL. */
static const char *
assign_ask(struct assign_ctx *ctx, const char *s, size_t len, int *is_group)
{
	const char	*code;
	char		*text;

	text = xstrndup(s, len);
	*is_group = 0;
	code = ctx->lookup(ctx->arg, text, is_group);
	free(text);
	return (code);
}

/* Returns 1 if the span's folded text is one of the narrowing suffixes. */
static int
assign_is_suffix(const char *s, size_t len)
{
	char	*text, *folded;
	size_t	 i;
	int	 found = 0;

	text = xstrndup(s, len);
	folded = fold_name(text);
	for (i = 0; i < sizeof assign_suffixes / sizeof assign_suffixes[0];
	    i++) {
		if (strcmp(folded, assign_suffixes[i]) == 0)
			found = 1;
	}
	free(folded);
	free(text);
	return (found);
}

/* Finds a span's code: as written, else without a trailing "có liên quan". */
static const char *
assign_find_text(struct assign_ctx *ctx, const char *s, size_t len,
    int *is_group)
{
	const char	*code;
	size_t		 i, words = 0;

	if ((code = assign_ask(ctx, s, len, is_group)) != NULL)
		return (code);
	for (i = len; i > 0 && words < 3; i--) {
		if (s[i - 1] != ' ')
			continue;
		words++;
		if (assign_is_suffix(s + i, len - i) &&
		    (code = assign_ask(ctx, s, i - 1, is_group)) != NULL)
			return (code);
	}
	return (NULL);
}

/*
 * Returns a copy of s with a word repeated right after itself written once
 * ("thị trấn trấn": page breaks repeat a word), or NULL if none is; caller
 * frees.
 */
static char *
assign_undouble(const char *s, size_t len)
{
	struct buf	 b;
	const char	*word, *prev = NULL;
	size_t		 i = 0, wlen, plen = 0;
	int		 doubled = 0;

	buf_init(&b);
	while (i < len) {
		word = s + i;
		wlen = strcspn(word, " ");
		if (wlen > len - i)
			wlen = len - i;
		if (prev != NULL && wlen == plen && wlen > 0 &&
		    memcmp(prev, word, wlen) == 0)
			doubled = 1;
		else
			buf_add(&b, word, wlen + (i + wlen < len));
		prev = word;
		plen = wlen;
		i += wlen + 1;
	}
	if (doubled)
		return (buf_steal(&b));
	buf_free(&b);
	return (NULL);
}

/*
 * Finds a span's code: as written, without a trailing "có liên quan"
 * ("UBND các xã, thị trấn có liên quan" is the group, narrowed), or with
 * a doubled word written once.
 */
static const char *
assign_find(struct assign_ctx *ctx, struct assign_span sp, int *is_group)
{
	const char	*code;
	char		*undoubled;

	sp = assign_trim(sp);
	if (sp.len == 0 || assign_is_blank(sp))
		return (NULL);
	if ((code = assign_find_text(ctx, sp.s, sp.len, is_group)) != NULL)
		return (code);
	if ((undoubled = assign_undouble(sp.s, sp.len)) == NULL)
		return (NULL);
	code = assign_find_text(ctx, undoubled, strlen(undoubled), is_group);
	free(undoubled);
	return (code);
}

/* Appends a unit; code may be NULL. */
static void
assign_add(struct assign_ctx *ctx, struct assign_span sp, const char *code,
    int is_group, enum assign_role role)
{
	struct assign_list	*list = ctx->list;
	struct assign_unit	*u;

	sp = assign_trim(sp);
	list->v = xreallocarray(list->v, list->n + 1, sizeof *list->v);
	u = &list->v[list->n++];
	u->phrase = xstrndup(sp.s, sp.len);
	u->code = (code != NULL) ? xstrdup(code) : NULL;
	u->is_group = (code != NULL) ? is_group : 0;
	u->role = role;
}

/* Returns the length of a "và" word at s (followed by a space), or 0. */
static size_t
assign_and_at(const char *s, size_t len)
{
	size_t	 i, n;

	for (i = 0; i < sizeof assign_and_words / sizeof assign_and_words[0];
	    i++) {
		n = strlen(assign_and_words[i]);
		if (n < len && memcmp(s, assign_and_words[i], n) == 0 &&
		    s[n] == ' ')
			return (n);
	}
	return (0);
}

/*
 * Covers a span with known names joined by "và", preferring the longest
 * name on the left.  Strict: all must be known, else nothing is added and 0
 * returned.  Loose: the part after the last known name is kept unknown,
 * and *rest (if not NULL) set to it.
 */
static int
assign_match_and(struct assign_ctx *ctx, struct assign_span sp,
    enum assign_role role, int strict, struct assign_span *rest)
{
	struct assign_span	 left, right;
	const char		*code;
	size_t			 i, n, mark = ctx->list->n;
	int			 is_group;

	if ((code = assign_find(ctx, sp, &is_group)) != NULL) {
		assign_add(ctx, sp, code, is_group, role);
		return (1);
	}
	for (i = sp.len; ctx->budget > 0 && i > 1; i--) {
		if (sp.s[i - 2] != ' ' ||
		    (n = assign_and_at(sp.s + i - 1, sp.len - i + 1)) == 0)
			continue;
		left.s = sp.s;
		left.len = i - 2;
		right.s = sp.s + i - 1 + n;
		right.len = sp.len - (i - 1 + n);
		ctx->budget--;
		if ((code = assign_find(ctx, left, &is_group)) == NULL)
			continue;
		assign_add(ctx, left, code, is_group, role);
		if (assign_match_and(ctx, right, role, strict, rest))
			return (1);
		assign_list_truncate(ctx->list, mark);
	}
	if (strict)
		return (0);
	assign_add(ctx, sp, NULL, 0, role);
	if (rest != NULL)
		*rest = sp;
	return (1);
}

/* Cuts a span at ';' and ','; returns the pieces, caller frees. */
static size_t
assign_pieces(struct assign_span sp, struct assign_span **pieces)
{
	struct assign_span	*v = NULL;
	size_t			 n = 0, i, start = 0;

	for (i = 0; i <= sp.len; i++) {
		if (i < sp.len && sp.s[i] != ';' && sp.s[i] != ',')
			continue;
		v = xreallocarray(v, n + 1, sizeof *v);
		v[n].s = sp.s + start;
		v[n].len = i - start;
		n++;
		start = i + 1;
	}
	*pieces = v;
	return (n);
}

/* Returns the folded first word of a span; caller frees. */
static char *
assign_first_word(struct assign_span sp)
{
	char	*text, *folded, *space;

	sp = assign_trim(sp);
	text = xstrndup(sp.s, strcspn(sp.s, " ") < sp.len ?
	    strcspn(sp.s, " ") : sp.len);
	folded = fold_name(text);
	free(text);
	if ((space = strchr(folded, ' ')) != NULL)
		*space = '\0';
	return (folded);
}

/* Returns 1 if the span starts with an acronym in capitals ("UBND"). */
static int
assign_starts_acronym(struct assign_span sp)
{
	size_t		 i = 0, len, letters = 0;
	uint32_t	 cp;

	sp = assign_trim(sp);
	while (i < sp.len && sp.s[i] != ' ') {
		if ((len = utf8_decode(sp.s + i, sp.len - i, &cp)) == 0)
			return (0);
		if (!fold_is_upper(cp))
			return (0);
		letters++;
		i += len;
	}
	return (letters >= 2);
}

/* Returns 1 if the span starts with a lower-case letter. */
static int
assign_starts_lower(struct assign_span sp)
{
	uint32_t	 cp;

	sp = assign_trim(sp);
	if (sp.len == 0 || utf8_decode(sp.s, sp.len, &cp) == 0)
		return (0);
	return (fold_letter(cp) != 0 && !fold_is_upper(cp));
}

/* Returns 1 if the folded word starts the name of an office or body. */
static int
assign_is_head_word(const char *word)
{
	size_t	 i;

	for (i = 0; i < sizeof assign_name_starts /
	    sizeof assign_name_starts[0]; i++) {
		if (strcmp(word, assign_name_starts[i]) == 0)
			return (1);
	}
	return (0);
}

/* Returns 1 if the span names a collective: the word "các" or "những". */
static int
assign_is_collective(struct assign_span sp)
{
	char		*text, *folded;
	const char	*p;
	int		 found = 0;

	text = xstrndup(sp.s, sp.len);
	folded = fold_name(text);
	for (p = folded; !found && *p != '\0'; p += strcspn(p, " ")) {
		p += strspn(p, " ");
		found = strncmp(p, "cac", 3) == 0 && (p[3] == ' ' ||
		    p[3] == '\0');
		found |= strncmp(p, "nhung", 5) == 0 && (p[5] == ' ' ||
		    p[5] == '\0');
	}
	free(folded);
	free(text);
	return (found);
}

/*
 * Returns 1 if the comma piece next continues the name before it, which is
 * a collective ("Các phòng, ban, ngành": a piece in lower case that is
 * not another collective) or unknown (a piece not starting like a name,
 * "Sở Văn hóa, Thể thao và Du lịch"), and next names nothing known.
 */
static int
assign_continues(struct assign_ctx *ctx, struct assign_span name, int known,
    struct assign_span next)
{
	char	*word;
	int	 cont, is_group;

	if (next.s[-1] != ',' || assign_trim(next).len == 0 ||
	    assign_is_blank(next))
		return (0);
	word = assign_first_word(next);
	cont = assign_is_collective(name) && assign_starts_lower(next) &&
	    strcmp(word, "cac") != 0 && strcmp(word, "nhung") != 0;
	if (!known && !assign_is_head_word(word) &&
	    !assign_starts_acronym(next))
		cont = 1;
	free(word);
	return (cont && assign_find(ctx, next, &is_group) == NULL);
}

/*
 * Returns the last of the pieces after end that continue the name from
 * start to the end of piece end (see assign_continues), end if none does.
 */
static size_t
assign_extend(struct assign_ctx *ctx, struct assign_span start,
    struct assign_span *pieces, size_t n, size_t end, int known)
{
	while (end + 1 < n && assign_continues(ctx, assign_join(start,
	    pieces[end]), known, pieces[end + 1]))
		end++;
	return (end);
}

/*
 * Reads a list of units separated by ';' and ',': from each piece, the
 * longest run of pieces that is a known name (or known names joined by
 * "và") is one unit; a piece matching nothing is kept as unknown.  A
 * collective or unknown name goes on over the comma pieces that continue
 * it (assign_continues), and is then one unknown phrase, whole: commas
 * inside a collective never split it.
 */
static void
assign_units(struct assign_ctx *ctx, struct assign_span sp,
    enum assign_role role)
{
	struct assign_span	*pieces, tail;
	size_t			 n, i, j, last, end, mark;

	n = assign_pieces(sp, &pieces);
	for (i = 0; i < n; i = j + 1) {
		if (assign_is_blank(pieces[i])) {
			j = i;
			continue;
		}
		mark = ctx->list->n;
		last = (n - 1 - i > ASSIGN_MAX_COMMAS) ?
		    i + ASSIGN_MAX_COMMAS : n - 1;
		for (j = last + 1; j > i; j--) {
			ctx->budget = ASSIGN_MAX_AND;
			if (assign_match_and(ctx, assign_join(pieces[i],
			    pieces[j - 1]), role, 1, NULL))
				break;
		}
		if (j > i) {
			/* A known run, unless a collective goes on after it. */
			j--;
			tail = pieces[i];
			end = assign_extend(ctx, tail, pieces, n, j, 1);
		} else {
			/* Known names and "và", then an unknown tail. */
			j = i;
			ctx->budget = ASSIGN_MAX_AND;
			tail.len = 0;
			assign_match_and(ctx, pieces[i], role, 0, &tail);
			if (tail.len == 0)
				continue;
			mark = ctx->list->n - 1;
			end = assign_extend(ctx, tail, pieces, n, i, 0);
		}
		if (end > j) {
			assign_list_truncate(ctx->list, mark);
			assign_add(ctx, assign_join(tail, pieces[end]), NULL,
			    0, role);
			j = end;
		}
	}
	free(pieces);
}

/* A word of a bullet and its folded form. */
struct assign_word {
	struct assign_span	 sp;
	char			*folded;
};

/* Cuts a span into words at spaces; caller frees with assign_words_free. */
static size_t
assign_words(struct assign_span sp, struct assign_word **words)
{
	struct assign_word	*v = NULL;
	size_t			 n = 0, i = 0, start;
	char			*text;

	while (i < sp.len) {
		while (i < sp.len && sp.s[i] == ' ')
			i++;
		if (i == sp.len)
			break;
		start = i;
		while (i < sp.len && sp.s[i] != ' ')
			i++;
		v = xreallocarray(v, n + 1, sizeof *v);
		v[n].sp.s = sp.s + start;
		v[n].sp.len = i - start;
		text = xstrndup(v[n].sp.s, v[n].sp.len);
		v[n].folded = fold_name(text);
		free(text);
		n++;
	}
	*words = v;
	return (n);
}

/* Frees words from assign_words. */
static void
assign_words_free(struct assign_word *words, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(words[i].folded);
	free(words);
}

/* Returns 1 if the role word at word i belongs to a name or a noun. */
static int
assign_not_marker(struct assign_word *words, size_t n, size_t i)
{
	const char	*word;
	size_t		 k;

	for (k = 0; k < sizeof assign_not_markers /
	    sizeof assign_not_markers[0]; k++) {
		if (strcmp(words[i].folded, assign_not_markers[k].marker) != 0)
			continue;
		word = assign_not_markers[k].word;
		if (!assign_not_markers[k].after && i > 0 &&
		    strcmp(words[i - 1].folded, word) == 0)
			return (1);
		if (assign_not_markers[k].after && i + 1 < n &&
		    strcmp(words[i + 1].folded, word) == 0)
			return (1);
	}
	return (0);
}

/* Returns how many words a role marker spans at word i, or 0. */
static size_t
assign_marker_at(struct assign_word *words, size_t n, size_t i)
{
	size_t	 m, k;

	if (assign_not_marker(words, n, i))
		return (0);
	for (m = 0; m < sizeof assign_markers / sizeof assign_markers[0];
	    m++) {
		for (k = 0; k < 3 && assign_markers[m][k] != NULL; k++) {
			if (i + k >= n ||
			    strcmp(words[i + k].folded, assign_markers[m][k]) != 0)
				break;
		}
		if (k == 3 || (k > 0 && assign_markers[m][k] == NULL))
			return (k);
	}
	return (0);
}

/*
 * Reads the text between role markers: every unit of the first part
 * (before "chủ trì", "phối hợp", "tham mưu", "giúp", or the whole bullet
 * when it has none) leads its own share, every unit of a later part
 * supports.
 */
static void
assign_roles(struct assign_ctx *ctx, struct assign_span sp)
{
	struct assign_word	*words;
	struct assign_span	 part;
	size_t			 n, i, k, start = 0;
	int			 first = 1;

	n = assign_words(sp, &words);
	for (i = 0; i <= n; i++) {
		k = (i < n) ? assign_marker_at(words, n, i) : 1;
		if (k == 0)
			continue;
		part.s = (start < n) ? words[start].sp.s : sp.s + sp.len;
		part.len = (i < n) ? (size_t)(words[i].sp.s - part.s) :
		    (size_t)(sp.s + sp.len - part.s);
		if (i > start)
			assign_units(ctx, part, first ? ASSIGN_LEAD :
			    ASSIGN_SUPPORT);
		first = 0;
		start = i + k;
		i += k - 1;
	}
	assign_words_free(words, n);
}

/* Returns 1 if the span, spaces skipped, starts with the word "qua". */
static int
assign_is_qua(struct assign_span *sp)
{
	struct assign_span	 rest = *sp;

	while (rest.len > 0 && rest.s[0] == ' ') {
		rest.s++;
		rest.len--;
	}
	if (rest.len < 4 || strncasecmp(rest.s, "qua", 3) != 0 ||
	    rest.s[3] != ' ')
		return (0);
	sp->s = rest.s + 4;
	sp->len = rest.len - 4;
	return (1);
}

/*
 * Finds "(qua X)" parentheticals in text and blanks them out of work (a
 * copy of text) so the roles do not see them; returns their X, caller
 * frees.
 */
static size_t
assign_find_report(const char *text, char *work, struct assign_span **spans)
{
	struct assign_span	*v = NULL, inner;
	const char		*open, *close;
	size_t			 n = 0;

	for (open = strchr(text, '('); open != NULL;
	    open = strchr(open + 1, '(')) {
		if ((close = strchr(open, ')')) == NULL)
			close = open + strlen(open);
		inner.s = open + 1;
		inner.len = (size_t)(close - inner.s);
		if (!assign_is_qua(&inner))
			continue;
		v = xreallocarray(v, n + 1, sizeof *v);
		v[n++] = inner;
		memset(work + (open - text), ' ', (size_t)(close - open) +
		    (*close != '\0'));
	}
	*spans = v;
	return (n);
}

/* Copies a bullet with line breaks and tabs made spaces; caller frees. */
static char *
assign_flatten(const char *bullet)
{
	char	*text, *p;

	text = xstrdup(bullet);
	for (p = text; *p != '\0'; p++) {
		if (*p == '\t' || *p == '\r' || *p == '\n')
			*p = ' ';
	}
	return (text);
}

/*
 * Reads one bullet into units appended to list: the units before any role
 * word lead, the others support, "(qua X)" is reported to.  Returns how
 * many of the added phrases matched nothing.
 */
int
assign_parse(const char *bullet, assign_lookup lookup, void *arg,
    struct assign_list *list)
{
	struct assign_ctx	 ctx = { lookup, arg, list, 0 };
	struct assign_span	*report, whole;
	char			*text, *work;
	size_t			 n, i, mark = list->n;
	int			 unknown = 0;

	text = assign_flatten(bullet);
	work = xstrdup(text);
	n = assign_find_report(text, work, &report);
	whole.s = work;
	whole.len = strlen(work);
	assign_roles(&ctx, whole);
	for (i = 0; i < n; i++)
		assign_units(&ctx, report[i], ASSIGN_REPORT_TO);
	for (i = mark; i < list->n; i++) {
		if (list->v[i].code == NULL)
			unknown++;
	}
	free(report);
	free(work);
	free(text);
	return (unknown);
}

/* Reads a cell of a support column: as a bullet, then every doer supports. */
int
assign_parse_support(const char *bullet, assign_lookup lookup, void *arg,
    struct assign_list *list)
{
	size_t	 mark = list->n, i;
	int	 unknown;

	unknown = assign_parse(bullet, lookup, arg, list);
	for (i = mark; i < list->n; i++) {
		if (list->v[i].role == ASSIGN_LEAD)
			list->v[i].role = ASSIGN_SUPPORT;
	}
	return (unknown);
}

/* Returns the length of a bullet marker and its spaces at s, or 0. */
static size_t
assign_bullet_mark(const char *s)
{
	size_t	 i, n;

	for (i = 0; i < sizeof assign_bullet_marks /
	    sizeof assign_bullet_marks[0]; i++) {
		n = strlen(assign_bullet_marks[i]);
		if (strncmp(s, assign_bullet_marks[i], n) != 0)
			continue;
		if (s[n] != ' ' && s[n] != '\t' && s[n] != '\0' &&
		    (s[0] != '-' || s[1] == '-'))
			continue;
		while (s[n] == ' ' || s[n] == '\t')
			n++;
		return (n);
	}
	return (0);
}

/* Appends a trimmed copy of a span to a list of strings. */
static void
assign_push(char ***v, size_t *n, const char *s, size_t len)
{
	while (len > 0 && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = xstrndup(s, len);
}

/*
 * Cuts one line of a cell into segments: the whole line, or, for a line
 * that starts with a bullet marker, the text between " - ".
 */
static void
assign_line_segments(const char *line, size_t len, char ***v, size_t *n)
{
	size_t	 mark, i, start;

	while (len > 0 && isspace((unsigned char)*line)) {
		line++;
		len--;
	}
	if (len == 0)
		return;
	if ((mark = assign_bullet_mark(line)) == 0 || mark > len) {
		assign_push(v, n, line, len);
		return;
	}
	for (i = start = mark; i < len; i++) {
		if (line[i] != '-' || !isspace((unsigned char)line[i - 1]) ||
		    (i + 1 < len && !isspace((unsigned char)line[i + 1])))
			continue;
		assign_push(v, n, line + start, i - start);
		start = i + 1;
	}
	assign_push(v, n, line + start, len - start);
}

/* Returns the start offsets of up to the last max words of s. */
static size_t
assign_tail_words(const char *s, size_t len, size_t *starts, size_t max)
{
	size_t	 n = 0, i;

	for (i = len; i > 0 && n < max; i--) {
		if (s[i - 1] != ' ' && (i == 1 || s[i - 2] == ' '))
			starts[n++] = i - 1;
	}
	return (n);
}

/* Returns the end offsets of up to the first max words of s. */
static size_t
assign_head_words(const char *s, size_t len, size_t *ends, size_t max)
{
	size_t	 n = 0, i;

	for (i = 1; i <= len && n < max; i++) {
		if (s[i - 1] != ' ' && (i == len || s[i] == ' '))
			ends[n++] = i;
	}
	return (n);
}

/* Returns 1 if "tail - middle - head" is a known name. */
static int
assign_dash_known(struct assign_ctx *ctx, struct assign_span tail,
    char **middle, size_t nmiddle, struct assign_span head)
{
	struct assign_span	 sp;
	struct buf		 b;
	const char		*code;
	size_t			 i;
	int			 is_group;

	buf_init(&b);
	buf_add(&b, tail.s, tail.len);
	for (i = 0; i < nmiddle; i++) {
		buf_adds(&b, " - ");
		buf_adds(&b, middle[i]);
	}
	buf_adds(&b, " - ");
	buf_add(&b, head.s, head.len);
	sp.s = b.data;
	sp.len = b.len;
	code = assign_find(ctx, sp, &is_group);
	buf_free(&b);
	return (code != NULL);
}

/*
 * Returns 1 if segments first..last joined by " - " hold a known name
 * across every junction: the end of first's last unit phrase, the whole
 * middle segments, the start of last's first unit phrase.
 */
static int
assign_dash_run(struct assign_ctx *ctx, char **seg, size_t first,
    size_t last)
{
	struct assign_span	 tail, head;
	const char		*s = seg[first], *p;
	size_t			 starts[ASSIGN_MAX_WORDS];
	size_t			 ends[ASSIGN_MAX_WORDS];
	size_t			 nt, nh, t, h, len;

	for (p = s + strlen(s); p > s && p[-1] != ';' && p[-1] != ',';)
		p--;
	len = strlen(p);
	nt = assign_tail_words(p, len, starts, ASSIGN_MAX_WORDS);
	head.s = seg[last];
	head.len = strcspn(seg[last], ";,");
	nh = assign_head_words(head.s, head.len, ends, ASSIGN_MAX_WORDS);
	for (t = nt; t > 0; t--) {
		tail.s = p + starts[t - 1];
		tail.len = len - starts[t - 1];
		for (h = nh; h > 0; h--) {
			head.len = ends[h - 1];
			if (assign_dash_known(ctx, tail, seg + first + 1,
			    last - first - 1, head))
				return (1);
		}
	}
	return (0);
}

/* Replaces segments first..last with their text joined by " - ". */
static void
assign_dash_merge(char **seg, size_t *n, size_t first, size_t last)
{
	struct buf	 b;
	size_t		 i;

	buf_init(&b);
	for (i = first; i <= last; i++) {
		if (i > first)
			buf_adds(&b, " - ");
		buf_adds(&b, seg[i]);
		free(seg[i]);
	}
	seg[first] = buf_steal(&b);
	memmove(seg + first + 1, seg + last + 1,
	    (*n - last - 1) * sizeof *seg);
	*n -= last - first;
}

/*
 * Splits a units cell into bullets: one a line, and on a line that starts
 * with "- ", one between " - ", except where " - " joins a known name.
 * Returns the count; caller frees with plan_bullets_free().
 */
size_t
assign_split_bullets(const char *cell, assign_lookup lookup, void *arg,
    char ***items)
{
	struct assign_ctx	 ctx = { lookup, arg, NULL, 0 };
	char			**seg = xcalloc(1, sizeof *seg);
	const char		*line, *end;
	size_t			 n = 0, i, j, last;

	for (line = cell; *line != '\0'; line = end + (*end != '\0')) {
		end = line + strcspn(line, "\n");
		assign_line_segments(line, (size_t)(end - line), &seg, &n);
	}
	for (i = 0; i + 1 < n; ) {
		last = (n - 1 - i > ASSIGN_MAX_DASHES) ?
		    i + ASSIGN_MAX_DASHES : n - 1;
		for (j = last; j > i; j--) {
			if (assign_dash_run(&ctx, seg, i, j))
				break;
		}
		if (j > i)
			assign_dash_merge(seg, &n, i, j);
		else
			i++;
	}
	for (i = j = 0; i < n; i++) {
		if (seg[i][0] == '\0')
			free(seg[i]);
		else
			seg[j++] = seg[i];
	}
	*items = seg;
	return (j);
}
