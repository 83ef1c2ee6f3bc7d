/*
 * Plan table reader.  Two inputs: the text export of the plan document
 * (prose, then a tab-separated table whose header repeats on every page and
 * whose rows may be cut by a page break, cells holding HTML fragments) and
 * RFC 4180 CSV with a header row.  Both are turned into rows of cells and
 * fed to one row engine that knows sections, subheadings and continuations.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "fold.h"
#include "plan.h"
#include "utf8.h"
#include "xmalloc.h"

#define PLAN_MAX_COLUMNS	64
#define PLAN_NO_HEADER		"no table header found (expected columns " \
	"STT, Nhiệm vụ, Cơ quan thực hiện, Thời gian thực hiện)"

enum plan_column {
	PLAN_COL_NUMBER,
	PLAN_COL_CONTENT,
	PLAN_COL_ACTION,
	PLAN_COL_UNITS,
	PLAN_COL_TIME,
	PLAN_COL_NOTES,
	PLAN_COL_EXTRA
};
#define PLAN_NFIELDS	PLAN_COL_EXTRA

/* A header name, folded; prefix names also match longer headers. */
struct plan_header_name {
	const char		*name;
	enum plan_column	 column;
	int			 prefix;
};

static const struct plan_header_name plan_header_names[] = {
	{ "stt", PLAN_COL_NUMBER, 0 },
	{ "tt", PLAN_COL_NUMBER, 0 },
	{ "so tt", PLAN_COL_NUMBER, 0 },
	{ "so thu tu", PLAN_COL_NUMBER, 0 },
	{ "no", PLAN_COL_NUMBER, 0 },
	{ "number", PLAN_COL_NUMBER, 0 },
	{ "#", PLAN_COL_NUMBER, 0 },
	{ "noi dung", PLAN_COL_CONTENT, 1 },
	{ "tieu chi", PLAN_COL_CONTENT, 1 },
	{ "content", PLAN_COL_CONTENT, 1 },
	{ "nhiem vu", PLAN_COL_ACTION, 1 },
	{ "giai phap", PLAN_COL_ACTION, 1 },
	{ "task", PLAN_COL_ACTION, 1 },
	{ "tasks", PLAN_COL_ACTION, 1 },
	{ "action", PLAN_COL_ACTION, 1 },
	{ "actions", PLAN_COL_ACTION, 1 },
	{ "co quan thuc hien", PLAN_COL_UNITS, 1 },
	{ "co quan don vi thuc hien", PLAN_COL_UNITS, 1 },
	{ "don vi thuc hien", PLAN_COL_UNITS, 1 },
	{ "co quan chu tri", PLAN_COL_UNITS, 1 },
	{ "don vi chu tri", PLAN_COL_UNITS, 1 },
	{ "units", PLAN_COL_UNITS, 1 },
	{ "unit", PLAN_COL_UNITS, 1 },
	{ "responsible", PLAN_COL_UNITS, 1 },
	{ "thoi gian", PLAN_COL_TIME, 1 },
	{ "thoi han", PLAN_COL_TIME, 1 },
	{ "han hoan thanh", PLAN_COL_TIME, 1 },
	{ "deadline", PLAN_COL_TIME, 1 },
	{ "time", PLAN_COL_TIME, 1 },
	{ "due", PLAN_COL_TIME, 1 },
	{ "ghi chu", PLAN_COL_NOTES, 1 },
	{ "notes", PLAN_COL_NOTES, 1 },
	{ "note", PLAN_COL_NOTES, 1 },
};

/* HTML named entities met in Vietnamese text. */
struct plan_entity {
	const char	*name;
	uint32_t	 cp;
};

static const struct plan_entity plan_entities[] = {
	{ "nbsp", 0xa0 }, { "amp", '&' }, { "lt", '<' }, { "gt", '>' },
	{ "quot", '"' }, { "apos", '\'' },
	{ "Agrave", 0xc0 }, { "Aacute", 0xc1 }, { "Acirc", 0xc2 },
	{ "Atilde", 0xc3 }, { "Egrave", 0xc8 }, { "Eacute", 0xc9 },
	{ "Ecirc", 0xca }, { "Igrave", 0xcc }, { "Iacute", 0xcd },
	{ "Icirc", 0xce }, { "Ntilde", 0xd1 }, { "Ograve", 0xd2 },
	{ "Oacute", 0xd3 }, { "Ocirc", 0xd4 }, { "Otilde", 0xd5 },
	{ "Ugrave", 0xd9 }, { "Uacute", 0xda }, { "Ucirc", 0xdb },
	{ "Yacute", 0xdd },
	{ "agrave", 0xe0 }, { "aacute", 0xe1 }, { "acirc", 0xe2 },
	{ "atilde", 0xe3 }, { "egrave", 0xe8 }, { "eacute", 0xe9 },
	{ "ecirc", 0xea }, { "igrave", 0xec }, { "iacute", 0xed },
	{ "icirc", 0xee }, { "ntilde", 0xf1 }, { "ograve", 0xf2 },
	{ "oacute", 0xf3 }, { "ocirc", 0xf4 }, { "otilde", 0xf5 },
	{ "ugrave", 0xf9 }, { "uacute", 0xfa }, { "ucirc", 0xfb },
	{ "yacute", 0xfd },
	{ "Dstrok", 0x110 }, { "dstrok", 0x111 }, { "Abreve", 0x102 },
	{ "abreve", 0x103 }, { "Itilde", 0x128 }, { "itilde", 0x129 },
	{ "Utilde", 0x168 }, { "utilde", 0x169 },
	{ "ndash", 0x2013 }, { "mdash", 0x2014 }, { "lsquo", 0x2018 },
	{ "rsquo", 0x2019 }, { "ldquo", 0x201c }, { "rdquo", 0x201d },
	{ "hellip", 0x2026 }, { "bull", 0x2022 }, { "middot", 0xb7 },
	{ "laquo", 0xab }, { "raquo", 0xbb }, { "deg", 0xb0 },
	{ "copy", 0xa9 }, { "reg", 0xae }, { "times", 0xd7 },
	{ "plusmn", 0xb1 }, { "sect", 0xa7 }, { "shy", 0xad },
};

/* Tags that end a line of text. */
static const char *plan_block_tags[] = {
	"p", "br", "li", "ul", "ol", "div", "tr", "td", "th", "table",
	"h1", "h2", "h3", "h4", "h5", "h6", "hr", "blockquote", "dd", "dt",
};

/* A growable text field of the last record, for page-break joins. */
struct plan_field {
	char	**text;
	size_t	  len;
	size_t	  size;
};

/* The state of one read: the table being filled and the row context. */
struct plan_reader {
	const char		*name;
	struct plan_table	*table;
	size_t			 alloc;
	int			 csv;
	int			 have_header;
	int			 after_header;
	enum plan_column	 columns[PLAN_MAX_COLUMNS];
	char			*labels[PLAN_MAX_COLUMNS];
	char			*folded[PLAN_MAX_COLUMNS];
	size_t			 ncolumns;
	char			*section;
	enum plan_category	 category;
	char			*title;
	int			 title_next;
	int			 title_done;
	int			 date_year;
	int			 date_month;
	int			 date_day;
	struct plan_field	 last[PLAN_NFIELDS];
};

/* Formats "NAME:LINE: message" into *cause and returns -1. */
static int __attribute__((format(printf, 4, 5)))
plan_error(char **cause, const char *name, unsigned line, const char *fmt,
    ...)
{
	va_list	 ap;
	char	 msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (cause != NULL)
		xasprintf(cause, "%s:%u: %s", name, line, msg);
	return (-1);
}

/* What code point cp folds to: a letter, digit or '#', ' ', or 0 to drop. */
static char
plan_fold_char(uint32_t cp)
{
	char	 c;

	if ((c = fold_letter(cp)) != 0)
		return (c);
	if ((cp >= '0' && cp <= '9') || cp == '#')
		return ((char)cp);
	return (utf8_is_combining(cp) ? 0 : ' ');
}

/* Folds s to lower-case ASCII words separated by one space; caller frees. */
static char *
plan_fold(const char *s)
{
	struct buf		 b;
	const char		*p = s;
	size_t			 n = strlen(s), len;
	uint32_t		 cp;
	char			 c;

	buf_init(&b);
	while (n > 0) {
		if ((len = utf8_decode(p, n, &cp)) == 0) {
			cp = '?';
			len = 1;
		}
		p += len;
		n -= len;
		if ((c = plan_fold_char(cp)) == 0)
			continue;
		if (c == ' ' && (b.len == 0 || b.data[b.len - 1] == ' '))
			continue;
		buf_addc(&b, c);
	}
	if (b.len > 0 && b.data[b.len - 1] == ' ')
		b.data[--b.len] = '\0';
	return (buf_steal(&b));
}

/* 1 if folded text s is word or starts with word followed by a space. */
static int
plan_fold_match(const char *s, const char *word, int prefix)
{
	size_t	 n = strlen(word);

	if (strncmp(s, word, n) != 0)
		return (0);
	return (s[n] == '\0' || (prefix && s[n] == ' '));
}

/* Text builder for cell cleaning: one line at a time, spaces collapsed. */
struct plan_text {
	struct buf	 out;
	struct buf	 line;
	int		 space;
};

/* Ends the current line: kept if it has text. */
static void
plan_text_break(struct plan_text *t)
{
	if (t->line.len > 0) {
		if (t->out.len > 0)
			buf_addc(&t->out, '\n');
		buf_add(&t->out, t->line.data, t->line.len);
		t->line.len = 0;
		t->line.data[0] = '\0';
	}
	t->space = 0;
}

/* Adds bytes to the current line, after a pending space if any. */
static void
plan_text_add(struct plan_text *t, const char *s, size_t n)
{
	if (t->space && t->line.len > 0)
		buf_addc(&t->line, ' ');
	t->space = 0;
	buf_add(&t->line, s, n);
}

/*
 * Adds a decoded code point: spaces and controls collapse.  Called for
 * every character of every cell, so nothing is allocated here.
 */
static void
plan_text_cp(struct plan_text *t, uint32_t cp)
{
	char	 s[4];

	if (cp == '\n') {
		plan_text_break(t);
		return;
	}
	if (cp <= ' ' || cp == 0xa0 || cp == 0x7f || cp == 0xad ||
	    (cp >= 0x80 && cp < 0xa0)) {
		t->space = 1;
		return;
	}
	plan_text_add(t, s, utf8_encode(cp, s));
}

/* 1 if the tag name of length n ends a line. */
static int
plan_is_block_tag(const char *name, size_t n)
{
	size_t	 i;

	for (i = 0; i < sizeof plan_block_tags / sizeof plan_block_tags[0];
	    i++) {
		if (strlen(plan_block_tags[i]) == n &&
		    strncasecmp(plan_block_tags[i], name, n) == 0)
			return (1);
	}
	return (0);
}

/* Skips an HTML tag at s; returns its length or 0 if s is not a tag. */
static size_t
plan_skip_tag(const char *s, const char *end, int *block)
{
	const char	*p = s + 1, *name, *close;

	if (p < end && (*p == '/' || *p == '!'))
		p++;
	if (p >= end || !((*p >= 'a' && *p <= 'z') || (*p >= 'A' &&
	    *p <= 'Z') || s[1] == '!'))
		return (0);
	if ((close = memchr(p, '>', (size_t)(end - p))) == NULL)
		return (0);
	name = p;
	while (p < close && ((*p >= 'a' && *p <= 'z') ||
	    (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
		p++;
	*block = plan_is_block_tag(name, (size_t)(p - name));
	return ((size_t)(close - s) + 1);
}

/* Decodes a numeric entity body ("#233", "#xE9"); 0 if invalid. */
static uint32_t
plan_entity_number(const char *s, size_t n)
{
	uint32_t	 cp = 0;
	size_t		 i = 1;
	int		 hex = 0, d;

	if (n > 1 && (s[1] == 'x' || s[1] == 'X')) {
		hex = 1;
		i = 2;
	}
	if (i == n || n - i > 7)
		return (0);
	for (; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			d = s[i] - '0';
		else if (hex && s[i] >= 'a' && s[i] <= 'f')
			d = s[i] - 'a' + 10;
		else if (hex && s[i] >= 'A' && s[i] <= 'F')
			d = s[i] - 'A' + 10;
		else
			return (0);
		cp = cp * (hex ? 16 : 10) + (uint32_t)d;
	}
	if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return (0xfffd);
	return (cp);
}

/* Decodes an entity at s ("&...;"); returns its length or 0 if none. */
static size_t
plan_decode_entity(const char *s, const char *end, uint32_t *cp)
{
	const char	*semi;
	size_t		 n, i;

	for (semi = s + 1; semi < end && semi - s <= 12; semi++) {
		if (*semi == ';')
			break;
	}
	if (semi >= end || *semi != ';' || semi == s + 1)
		return (0);
	n = (size_t)(semi - s - 1);
	if (s[1] == '#') {
		if ((*cp = plan_entity_number(s + 1, n)) == 0)
			return (0);
		return (n + 2);
	}
	for (i = 0; i < sizeof plan_entities / sizeof plan_entities[0]; i++) {
		if (strlen(plan_entities[i].name) == n &&
		    strncmp(plan_entities[i].name, s + 1, n) == 0) {
			*cp = plan_entities[i].cp;
			return (n + 2);
		}
	}
	return (0);
}

/*
 * Cleans a cell: tags removed (block tags end a line), entities decoded,
 * spaces collapsed, lines trimmed, empty lines dropped; caller frees.
 */
static char *
plan_clean(const char *s, size_t n)
{
	struct plan_text	 t;
	const char		*end = s + n;
	size_t			 len;
	uint32_t		 cp;
	int			 block;

	buf_init(&t.out);
	buf_init(&t.line);
	t.space = 0;
	while (s < end) {
		len = 0;
		if (*s == '<' && (len = plan_skip_tag(s, end, &block)) != 0) {
			if (block)
				plan_text_break(&t);
		} else if (*s == '&' &&
		    (len = plan_decode_entity(s, end, &cp)) != 0)
			plan_text_cp(&t, cp);
		else if ((len = utf8_decode(s, (size_t)(end - s), &cp)) != 0)
			plan_text_cp(&t, cp == '\r' ? '\n' : cp);
		else {
			len = 1;
			plan_text_cp(&t, 0xfffd);
		}
		s += len;
	}
	plan_text_break(&t);
	buf_free(&t.line);
	return (buf_steal(&t.out));
}

/* Length of a leading bullet marker ("- ", "+ ", "• ", "– ") or 0. */
static size_t
plan_marker(const char *s)
{
	if ((s[0] == '-' || s[0] == '+' || s[0] == '*') && s[1] == ' ')
		return (2);
	if ((strncmp(s, "\xe2\x80\xa2", 3) == 0 ||
	    strncmp(s, "\xe2\x80\x93", 3) == 0) && s[3] == ' ')
		return (4);
	return (0);
}

/* Length of a leading "N. " (N from 1 to 999); sets *number. */
static size_t
plan_number_marker(const char *s, int *number)
{
	size_t	 i = 0;
	int	 n = 0;

	while (i < 3 && s[i] >= '0' && s[i] <= '9')
		n = n * 10 + (s[i++] - '0');
	if (i == 0 || s[0] == '0' || s[i] != '.' || s[i + 1] != ' ')
		return (0);
	*number = n;
	return (i + 2);
}

/* 1 if continuation text starts a new bullet or numbered item. */
static int
plan_starts_item(const char *s)
{
	int	 number;

	return (plan_marker(s) != 0 || plan_number_marker(s, &number) != 0);
}

/* Appends the trimmed text s..e to the item list unless empty. */
static void
plan_push_item(char ***items, size_t *n, const char *s, const char *e)
{
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if (s == e)
		return;
	*items = xreallocarray(*items, *n + 1, sizeof **items);
	(*items)[(*n)++] = xstrndup(s, (size_t)(e - s));
}

/*
 * 1 if the bullet separator " m " at s splits a bulleted line: it must be
 * followed by an upper-case letter, or by a digit not preceded by a digit
 * ("Tháng 6/2024 - Tháng 6/2024" splits, "2021 - 2025" does not).
 */
static int
plan_inline_bullet(const char *line, const char *s, const char *marker,
    size_t mlen)
{
	const char	*next;
	uint32_t	 cp;

	if (s[0] != ' ' || strncmp(s + 1, marker, mlen - 1) != 0 ||
	    s[mlen] != ' ')
		return (0);
	next = s + mlen + 1;
	if (*next >= '0' && *next <= '9')
		return (s == line || !(s[-1] >= '0' && s[-1] <= '9'));
	if (utf8_decode(next, strlen(next), &cp) == 0)
		return (0);
	return (fold_is_upper(cp));
}

/* Splits one line of a cell into items; *next is the expected number. */
static void
plan_split_line(const char *line, int *next, char ***items, size_t *n)
{
	const char	*s = line, *item, *marker = NULL;
	size_t		 mlen, len;
	int		 number;

	if ((mlen = plan_marker(s)) != 0) {
		marker = s;
		s += mlen;
	} else if ((len = plan_number_marker(s, &number)) != 0 &&
	    (number == *next || number == 1)) {
		*next = number + 1;
		s += len;
	}
	item = s;
	for (; *s != '\0'; s++) {
		if (marker != NULL && plan_inline_bullet(line, s, marker,
		    mlen)) {
			plan_push_item(items, n, item, s);
			s += mlen;
			item = s + 1;
		} else if (*next > 1 && s[0] == '.' && s[1] == ' ' &&
		    (len = plan_number_marker(s + 2, &number)) != 0 &&
		    number == *next) {
			plan_push_item(items, n, item, s + 1);
			*next = number + 1;
			s += 1 + len;
			item = s + 1;
		}
	}
	plan_push_item(items, n, item, s);
}

/* Splits a cell into its items (see plan.h); caller frees the items. */
size_t
plan_split_bullets(const char *cell, char ***items)
{
	const char	*line, *eol;
	char		*copy;
	size_t		 n = 0;
	int		 next = 1;

	*items = NULL;
	if (cell == NULL)
		return (0);
	for (line = cell; *line != '\0'; line = eol + (*eol != '\0')) {
		if ((eol = strchr(line, '\n')) == NULL)
			eol = line + strlen(line);
		while (line < eol && (*line == ' ' || *line == '\t'))
			line++;
		copy = xstrndup(line, (size_t)(eol - line));
		plan_split_line(copy, &next, items, &n);
		free(copy);
	}
	return (n);
}

/* Frees the items of plan_split_bullets(). */
void
plan_bullets_free(char **items, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(items[i]);
	free(items);
}

/* Frees the strings of one record. */
static void
plan_record_clear(struct plan_record *rec)
{
	free(rec->number);
	free(rec->section);
	free(rec->content);
	free(rec->action);
	free(rec->units);
	free(rec->time);
	free(rec->notes);
}

/* Frees the records of a table and empties it; NULL is safe. */
void
plan_table_free(struct plan_table *table)
{
	size_t	 i;

	if (table == NULL)
		return;
	for (i = 0; i < table->n; i++)
		plan_record_clear(&table->records[i]);
	free(table->records);
	free(table->title);
	memset(table, 0, sizeof *table);
}

/* 1 if s is a roman numeral, the number of a section row. */
static int
plan_is_roman(const char *s)
{
	size_t	 n = strlen(s);

	if (n == 0 || n > 8)
		return (0);
	return (strspn(s, "IVXLCDM") == n);
}

/* The category a subheading names. */
static enum plan_category
plan_category_of(const char *text)
{
	char			*f = plan_fold(text);
	enum plan_category	 c = PLAN_CATEGORY_NONE;

	if (plan_fold_match(f, "noi dung can khac phuc", 1))
		c = PLAN_CATEGORY_FIX;
	else if (plan_fold_match(f, "noi dung can duy tri", 1))
		c = PLAN_CATEGORY_MAINTAIN;
	free(f);
	return (c);
}

/* The column a header cell names, or PLAN_COL_EXTRA. */
static enum plan_column
plan_column_of(const char *folded)
{
	size_t	 i;

	for (i = 0; i < sizeof plan_header_names /
	    sizeof plan_header_names[0]; i++) {
		if (plan_fold_match(folded, plan_header_names[i].name,
		    plan_header_names[i].prefix))
			return (plan_header_names[i].column);
	}
	return (PLAN_COL_EXTRA);
}

/* Forgets the header of the reader. */
static void
plan_reader_clear_header(struct plan_reader *r)
{
	size_t	 i;

	for (i = 0; i < r->ncolumns; i++) {
		free(r->labels[i]);
		free(r->folded[i]);
	}
	r->ncolumns = 0;
}

/* Takes cells as the header if it names a time or units column. */
static int
plan_reader_header(struct plan_reader *r, char **cells, size_t n)
{
	enum plan_column	 col;
	int			 seen[PLAN_NFIELDS] = { 0 };
	size_t			 i;

	for (i = 0; i < n && i < PLAN_MAX_COLUMNS; i++) {
		r->labels[i] = xstrdup(cells[i]);
		r->folded[i] = plan_fold(cells[i]);
		col = plan_column_of(r->folded[i]);
		if (col != PLAN_COL_EXTRA && seen[col])
			col = PLAN_COL_EXTRA;
		if (col != PLAN_COL_EXTRA)
			seen[col] = 1;
		r->columns[i] = col;
		r->ncolumns = i + 1;
	}
	if (!seen[PLAN_COL_TIME] && !seen[PLAN_COL_UNITS]) {
		plan_reader_clear_header(r);
		return (0);
	}
	r->have_header = 1;
	return (1);
}

/* 1 if cells repeat the header (a new page of the table). */
static int
plan_reader_is_header(struct plan_reader *r, char **cells, size_t n)
{
	size_t	 i, same = 0;
	char	*f;

	for (i = 0; i < n && i < r->ncolumns; i++) {
		f = plan_fold(cells[i]);
		if (strcmp(f, r->folded[i]) != 0) {
			free(f);
			return (0);
		}
		if (*f != '\0')
			same++;
		free(f);
	}
	return (same >= 2);
}

/* Appends "label: value" (or value) as a line of notes. */
static void
plan_add_note(struct buf *notes, const char *label, const char *value)
{
	if (*value == '\0')
		return;
	if (notes->len > 0)
		buf_addc(notes, '\n');
	if (label != NULL && *label != '\0')
		buf_printf(notes, "%s: %s", label, value);
	else
		buf_adds(notes, value);
}

/* Maps the cleaned cells of a row onto the fields; fields[] caller frees. */
static void
plan_reader_fields(struct plan_reader *r, char **cells, size_t n,
    char **fields)
{
	struct buf	 notes;
	size_t		 i;

	memset(fields, 0, PLAN_NFIELDS * sizeof *fields);
	for (i = 0; i < n && i < r->ncolumns; i++) {
		if (r->columns[i] != PLAN_COL_EXTRA)
			fields[r->columns[i]] = xstrdup(cells[i]);
	}
	buf_init(&notes);
	if (fields[PLAN_COL_NOTES] != NULL)
		plan_add_note(&notes, NULL, fields[PLAN_COL_NOTES]);
	for (i = 0; i < n; i++) {
		if (i >= r->ncolumns)
			plan_add_note(&notes, NULL, cells[i]);
		else if (r->columns[i] == PLAN_COL_EXTRA)
			plan_add_note(&notes, r->labels[i], cells[i]);
	}
	free(fields[PLAN_COL_NOTES]);
	fields[PLAN_COL_NOTES] = buf_steal(&notes);
	for (i = 0; i < PLAN_NFIELDS; i++) {
		if (fields[i] == NULL)
			fields[i] = xstrdup("");
	}
}

/* Points the growable fields at the strings of the last record. */
static void
plan_reader_track(struct plan_reader *r, struct plan_record *rec)
{
	char	**text[PLAN_NFIELDS];
	size_t	  i;

	text[PLAN_COL_NUMBER] = &rec->number;
	text[PLAN_COL_CONTENT] = &rec->content;
	text[PLAN_COL_ACTION] = &rec->action;
	text[PLAN_COL_UNITS] = &rec->units;
	text[PLAN_COL_TIME] = &rec->time;
	text[PLAN_COL_NOTES] = &rec->notes;
	for (i = 0; i < PLAN_NFIELDS; i++) {
		r->last[i].text = text[i];
		r->last[i].len = strlen(*text[i]);
		r->last[i].size = r->last[i].len + 1;
	}
}

/* Appends a record made of fields (taken over) to the table. */
static void
plan_reader_add(struct plan_reader *r, enum plan_record_type type,
    unsigned line, char **fields)
{
	struct plan_table	*t = r->table;
	struct plan_record	*rec;

	if (t->n == r->alloc) {
		r->alloc = r->alloc == 0 ? 64 : r->alloc * 2;
		t->records = xreallocarray(t->records, r->alloc,
		    sizeof *t->records);
	}
	rec = &t->records[t->n++];
	memset(rec, 0, sizeof *rec);
	rec->type = type;
	rec->line = line;
	rec->number = fields[PLAN_COL_NUMBER];
	rec->section = xstrdup(r->section != NULL ? r->section : "");
	rec->category = r->category;
	rec->content = fields[PLAN_COL_CONTENT];
	rec->action = fields[PLAN_COL_ACTION];
	rec->units = fields[PLAN_COL_UNITS];
	rec->time = fields[PLAN_COL_TIME];
	rec->notes = fields[PLAN_COL_NOTES];
	plan_reader_track(r, rec);
}

/*
 * Joins the rest of a cell cut by a page break to its start: on a new line
 * if the rest starts a bullet or numbered item, else after one space (the
 * cut falls between words in these documents).  The capacity grows by
 * doubling so that a long chain of page breaks stays linear.
 */
static void
plan_join(struct plan_field *f, char *rest)
{
	size_t	 n = strlen(rest), need;

	if (n == 0) {
		free(rest);
		return;
	}
	need = f->len + 1 + n + 1;
	if (need > f->size) {
		f->size = need > f->size * 2 ? need : f->size * 2;
		*f->text = xrealloc(*f->text, f->size);
	}
	if (f->len > 0)
		(*f->text)[f->len++] = plan_starts_item(rest) ? '\n' : ' ';
	memcpy(*f->text + f->len, rest, n + 1);
	f->len += n;
	free(rest);
}

/* Joins a continuation row to the last record, cell by cell. */
static void
plan_reader_continue(struct plan_reader *r, char **fields)
{
	size_t	 i;

	free(fields[PLAN_COL_NUMBER]);
	for (i = PLAN_COL_CONTENT; i < PLAN_NFIELDS; i++)
		plan_join(&r->last[i], fields[i]);
}

/* 1 if the fields hold text in the content column only. */
static int
plan_content_only(char **fields)
{
	return (*fields[PLAN_COL_NUMBER] == '\0' &&
	    *fields[PLAN_COL_CONTENT] != '\0' &&
	    *fields[PLAN_COL_ACTION] == '\0' &&
	    *fields[PLAN_COL_UNITS] == '\0' &&
	    *fields[PLAN_COL_TIME] == '\0' &&
	    *fields[PLAN_COL_NOTES] == '\0');
}

/* 1 if every cell is empty. */
static int
plan_cells_empty(char **cells, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (*cells[i] != '\0')
			return (0);
	}
	return (1);
}

/* Records a row of fields: continuation, section, subheading or task. */
static void
plan_reader_record(struct plan_reader *r, unsigned line, char **fields,
    int after_header)
{
	const char	*number = fields[PLAN_COL_NUMBER];
	int		 only = plan_content_only(fields);

	if (*number == '\0' && after_header && r->table->n > 0 &&
	    !(only && plan_category_of(fields[PLAN_COL_CONTENT]) !=
	    PLAN_CATEGORY_NONE)) {
		plan_reader_continue(r, fields);
		return;
	}
	if (plan_is_roman(number)) {
		free(r->section);
		r->section = xstrdup(number);
		r->category = PLAN_CATEGORY_NONE;
		plan_reader_add(r, PLAN_SECTION, line, fields);
	} else if (only) {
		r->category = plan_category_of(fields[PLAN_COL_CONTENT]);
		plan_reader_add(r, PLAN_SUBHEADING, line, fields);
	} else
		plan_reader_add(r, PLAN_TASK, line, fields);
}

/* Handles one row of cleaned cells; -1 if a CSV does not start a header. */
static int
plan_reader_row(struct plan_reader *r, unsigned line, char **cells,
    size_t n)
{
	char	*fields[PLAN_NFIELDS];
	int	 after_header = r->after_header;

	if (plan_cells_empty(cells, n))
		return (0);
	if (!r->have_header) {
		if (plan_reader_header(r, cells, n)) {
			r->after_header = 1;
			return (0);
		}
		return (r->csv ? -1 : 0);
	}
	if (plan_reader_is_header(r, cells, n)) {
		r->after_header = 1;
		return (0);
	}
	r->after_header = 0;
	plan_reader_fields(r, cells, n, fields);
	plan_reader_record(r, line, fields, after_header);
	return (0);
}

/* Frees n cleaned cells. */
static void
plan_cells_free(char **cells, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(cells[i]);
}

/* 1 if s..e holds only white space. */
static int
plan_blank(const char *s, const char *e)
{
	for (; s < e; s++) {
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return (0);
	}
	return (1);
}

/* Finds the word w in folded text f; returns what follows it or NULL. */
static const char *
plan_find_word(const char *f, const char *w)
{
	const char	*p = f;
	size_t		 n = strlen(w);

	while ((p = strstr(p, w)) != NULL) {
		if ((p == f || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return (p + n);
		p += n;
	}
	return (NULL);
}

/* The year in "năm 2024" of text, or 0. */
static int
plan_find_year(const char *text)
{
	char		*f = plan_fold(text);
	const char	*p = f;
	int		 year = 0;

	while (year == 0 && (p = plan_find_word(p, "nam")) != NULL) {
		if (p[0] == ' ' && strspn(p + 1, "0123456789") == 4 &&
		    (p[5] == ' ' || p[5] == '\0') &&
		    (p[1] == '1' || p[1] == '2'))
			year = (int)strtol(p + 1, NULL, 10);
	}
	free(f);
	return (year);
}

/* Days of a month of the Gregorian calendar. */
static int
plan_month_days(int year, int month)
{
	static const int	days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
				    31, 30, 31 };

	if (month == 2 && year % 4 == 0 && (year % 100 != 0 ||
	    year % 400 == 0))
		return (29);
	return (days[month - 1]);
}

/* A number of one to four digits at p followed by a space or the end. */
static int
plan_number_at(const char *p, int max)
{
	size_t	n = strspn(p, "0123456789");
	int	v;

	if (n == 0 || n > 4 || (p[n] != ' ' && p[n] != '\0'))
		return (0);
	v = (int)strtol(p, NULL, 10);
	return (v >= 1 && v <= max ? v : 0);
}

/*
 * The day and month of the place-and-date line in folded text f,
 * "... ngay 12 thang 3 nam 2024" (also "ngay 05 thang 02"): 0 when the
 * words are not there in that order with valid numbers.
 */
static void
plan_find_day_month(const char *f, int *day, int *month)
{
	const char	*p = f;

	*day = *month = 0;
	while ((p = plan_find_word(p, "ngay")) != NULL) {
		if (*p != ' ' || (*day = plan_number_at(p + 1, 31)) == 0)
			continue;
		p += 1 + strspn(p + 1, "0123456789");
		if (strncmp(p, " thang ", 7) == 0 &&
		    (*month = plan_number_at(p + 7, 12)) != 0)
			return;
		*day = 0;
	}
}

/* Reads a prose line before the table: the title and the date line. */
static void
plan_reader_prose(struct plan_reader *r, const char *s, const char *e)
{
	char	*text = plan_clean(s, (size_t)(e - s)), *f, *title;

	if (*text == '\0') {
		if (r->title_next == 2)
			r->title_next = 3;
	} else if (r->title_next == 0) {
		f = plan_fold(text);
		if (strcmp(f, "ke hoach") == 0)
			r->title_next = 1;
		free(f);
	} else if (r->title_next == 1) {
		r->title = xstrdup(text);
		r->title_next = 2;
	} else if (r->title_next == 2 && strlen(r->title) < 1024) {
		xasprintf(&title, "%s %s", r->title, text);
		free(r->title);
		r->title = title;
	}
	if (r->date_year == 0 && *text != '\0') {
		f = plan_fold(text);
		if (plan_find_word(f, "ngay") != NULL) {
			r->date_year = plan_find_year(text);
			plan_find_day_month(f, &r->date_day, &r->date_month);
		}
		free(f);
	}
	free(text);
}

/* Splits a tab-separated line into cleaned cells and handles the row. */
static int
plan_tsv_row(struct plan_reader *r, unsigned line, const char *s,
    const char *e, char **cause)
{
	char		*cells[PLAN_MAX_COLUMNS];
	const char	*tab;
	size_t		 n = 0;

	for (;;) {
		if (n == PLAN_MAX_COLUMNS) {
			plan_cells_free(cells, n);
			return (plan_error(cause, r->name, line,
			    "more than %d columns", PLAN_MAX_COLUMNS));
		}
		if ((tab = memchr(s, '\t', (size_t)(e - s))) == NULL)
			tab = e;
		cells[n++] = plan_clean(s, (size_t)(tab - s));
		if (tab == e)
			break;
		s = tab + 1;
	}
	plan_reader_row(r, line, cells, n);
	plan_cells_free(cells, n);
	return (0);
}

/* Reads the text export: prose, then the table up to the next prose. */
static int
plan_read_tsv(struct plan_reader *r, const char *p, const char *end,
    char **cause)
{
	const char	*eol, *e;
	unsigned	 line = 0;

	for (; p < end; p = eol + 1) {
		line++;
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		e = eol;
		if (e > p && e[-1] == '\r')
			e--;
		if (memchr(p, '\t', (size_t)(e - p)) != NULL) {
			if (plan_tsv_row(r, line, p, e, cause) == -1)
				return (-1);
		} else if (!r->have_header)
			plan_reader_prose(r, p, e);
		else if (!plan_blank(p, e))
			break;
		if (eol == end)
			break;
	}
	if (!r->have_header)
		return (plan_error(cause, r->name, 1, "%s", PLAN_NO_HEADER));
	return (0);
}

/* Reads one CSV field at *pp into b, unquoting it. */
static int
plan_csv_field(struct plan_reader *r, const char **pp, const char *end,
    unsigned *line, struct buf *b, char **cause)
{
	const char	*p = *pp, *s;
	unsigned	 start = *line;

	if (p >= end || *p != '"') {
		for (s = p; p < end && *p != ',' && *p != '\n' && *p != '\r';)
			p++;
		buf_add(b, s, (size_t)(p - s));
		*pp = p;
		return (0);
	}
	for (p++;; p++) {
		if (p >= end)
			return (plan_error(cause, r->name, start,
			    "unterminated quoted field"));
		if (*p == '"' && p + 1 < end && p[1] == '"')
			p++;
		else if (*p == '"')
			break;
		else if (*p == '\n')
			(*line)++;
		buf_addc(b, *p);
	}
	p++;
	if (p < end && *p != ',' && *p != '\n' && *p != '\r')
		return (plan_error(cause, r->name, *line,
		    "text after a closing quote"));
	*pp = p;
	return (0);
}

/* Reads one CSV record into cleaned cells; *n is their count. */
static int
plan_csv_record(struct plan_reader *r, const char **pp, const char *end,
    unsigned *line, char **cells, size_t *n, char **cause)
{
	struct buf	 b;

	*n = 0;
	for (;;) {
		if (*n == PLAN_MAX_COLUMNS)
			return (plan_error(cause, r->name, *line,
			    "more than %d columns", PLAN_MAX_COLUMNS));
		buf_init(&b);
		if (plan_csv_field(r, pp, end, line, &b, cause) == -1) {
			buf_free(&b);
			return (-1);
		}
		cells[(*n)++] = plan_clean(b.data, b.len);
		buf_free(&b);
		if (*pp < end && **pp == ',') {
			(*pp)++;
			continue;
		}
		break;
	}
	if (*pp < end && **pp == '\r')
		(*pp)++;
	if (*pp < end && **pp == '\n')
		(*pp)++;
	(*line)++;
	return (0);
}

/* Reads an RFC 4180 CSV table whose first row is the header. */
static int
plan_read_csv(struct plan_reader *r, const char *p, const char *end,
    char **cause)
{
	char		*cells[PLAN_MAX_COLUMNS];
	size_t		 n;
	unsigned	 line = 1, start;
	int		 rv;

	while (p < end) {
		start = line;
		rv = plan_csv_record(r, &p, end, &line, cells, &n, cause);
		if (rv == 0 && plan_reader_row(r, start, cells, n) == -1)
			rv = plan_error(cause, r->name, 1, "%s", PLAN_NO_HEADER);
		plan_cells_free(cells, n);
		if (rv == -1)
			return (-1);
	}
	if (!r->have_header)
		return (plan_error(cause, r->name, 1, "%s", PLAN_NO_HEADER));
	return (0);
}

/* The line number of offset off in data. */
static unsigned
plan_line_of(const char *data, size_t off)
{
	unsigned	 line = 1;
	size_t		 i;

	for (i = 0; i < off; i++) {
		if (data[i] == '\n')
			line++;
	}
	return (line);
}

/* Checks a whole input: size, NUL bytes, line length, UTF-8. */
static int
plan_check_input(const char *name, const char *data, size_t len,
    char **cause)
{
	const char	*p, *eol, *end = data + len, *nul;
	unsigned	 line;
	size_t		 i, n;
	uint32_t	 cp;

	if (len > PLAN_MAX_FILE)
		return (plan_error(cause, name, 1,
		    "file too large (%zu bytes, at most %d)", len,
		    PLAN_MAX_FILE));
	if ((nul = memchr(data, '\0', len)) != NULL)
		return (plan_error(cause, name,
		    plan_line_of(data, (size_t)(nul - data)),
		    "binary file (NUL byte)"));
	for (p = data, line = 1; p < end; p = eol + 1, line++) {
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		if (eol - p > PLAN_MAX_LINE)
			return (plan_error(cause, name, line,
			    "line longer than %d bytes", PLAN_MAX_LINE));
		for (i = 0; p + i < eol; i += n) {
			n = utf8_decode(p + i, (size_t)(eol - p) - i, &cp);
			if (n == 0)
				return (plan_error(cause, name, line,
				    "invalid UTF-8 (byte %zu of the line)",
				    i + 1));
		}
		if (eol == end)
			break;
	}
	return (0);
}

/* 1 if the input is CSV: by its name, or commas without tabs. */
static int
plan_is_csv(const char *name, const char *data, size_t len)
{
	const char	*end = data + len, *eol;
	size_t		 n = strlen(name);

	if (n >= 4 && strcasecmp(name + n - 4, ".csv") == 0)
		return (1);
	for (; data < end; data = eol + 1) {
		if ((eol = memchr(data, '\n', (size_t)(end - data))) == NULL)
			eol = end;
		if (!plan_blank(data, eol))
			break;
		if (eol == end)
			return (0);
	}
	if (data >= end)
		return (0);
	return (memchr(data, ',', (size_t)(eol - data)) != NULL &&
	    memchr(data, '\t', (size_t)(eol - data)) == NULL);
}

/* Reads a plan from memory; name is used for messages and detection. */
int
plan_read_buffer(const char *name, const char *data, size_t len,
    struct plan_table *table, char **cause)
{
	struct plan_reader	 r;
	int			 rv;

	memset(table, 0, sizeof *table);
	if (plan_check_input(name, data, len, cause) == -1)
		return (-1);
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	}
	if (plan_blank(data, data + len))
		return (plan_error(cause, name, 1, "empty file"));
	memset(&r, 0, sizeof r);
	r.name = name;
	r.table = table;
	r.csv = plan_is_csv(name, data, len);
	if (r.csv)
		rv = plan_read_csv(&r, data, data + len, cause);
	else
		rv = plan_read_tsv(&r, data, data + len, cause);
	if (rv == 0) {
		table->year = r.title != NULL ? plan_find_year(r.title) : 0;
		if (table->year == 0)
			table->year = r.date_year;
		if (r.date_year != 0 && r.date_month != 0 &&
		    r.date_day <= plan_month_days(r.date_year, r.date_month)) {
			table->issued_year = r.date_year;
			table->issued_month = r.date_month;
			table->issued_day = r.date_day;
		}
		table->title = r.title;
		r.title = NULL;
	} else
		plan_table_free(table);
	plan_reader_clear_header(&r);
	free(r.section);
	free(r.title);
	return (rv);
}

/* Fills *cause with "PATH: error" for a failed system call; returns -1. */
static int
plan_errno(char **cause, const char *path, int fd)
{
	int	 saved = errno;

	if (fd != -1)
		close(fd);
	if (cause != NULL)
		xasprintf(cause, "%s: %s", path, strerror(saved));
	return (-1);
}

/* Reads a plan file, refusing one larger than PLAN_MAX_FILE unread. */
int
plan_read_file(const char *path, struct plan_table *table, char **cause)
{
	struct stat	 st;
	char		*data;
	size_t		 len = 0, size;
	ssize_t		 n;
	int		 fd, rv;

	memset(table, 0, sizeof *table);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1)
		return (plan_errno(cause, path, -1));
	if (fstat(fd, &st) == -1)
		return (plan_errno(cause, path, fd));
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return (plan_error(cause, path, 1, "not a regular file"));
	}
	if (st.st_size > PLAN_MAX_FILE) {
		close(fd);
		return (plan_error(cause, path, 1,
		    "file too large (%lld bytes, at most %d)",
		    (long long)st.st_size, PLAN_MAX_FILE));
	}
	size = (size_t)st.st_size + 1;
	data = xmalloc(size);
	while (len < size) {
		if ((n = read(fd, data + len, size - len)) == -1) {
			if (errno == EINTR)
				continue;
			free(data);
			return (plan_errno(cause, path, fd));
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	rv = plan_read_buffer(path, data, len, table, cause);
	free(data);
	return (rv);
}
