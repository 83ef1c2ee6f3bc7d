/*
 * The text of plan cells: HTML fragments of the document's export made into
 * plain lines (tags removed, block tags ending a line, entities decoded,
 * spaces collapsed), and the folding that header and prose recognition
 * compare with.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fold.h"
#include "plan-private.h"
#include "utf8.h"
#include "xmalloc.h"

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
char *
plan_text_fold(const char *s)
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
int
plan_text_fold_match(const char *s, const char *word, int prefix)
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
char *
plan_text_clean(const char *s, size_t n)
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

/* 1 if s..e holds only white space. */
int
plan_text_blank(const char *s, const char *e)
{
	for (; s < e; s++) {
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return (0);
	}
	return (1);
}
