/*
 * The list numbering of a Word document: what marker a numbered or
 * bulleted paragraph shows ("1.", "a)", "-", "•"), from its numbering
 * properties or its style's, with the numbering definitions of
 * numbering.xml and the paragraph styles of styles.xml.  Counters run
 * through the document in order, as Word counts them.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan-docx-lists.h"
#include "plan-office-parts.h"
#include "xmalloc.h"
#include "xmlpart.h"
#include "zipfile.h"

#define DOCX_LEVELS		9
#define DOCX_MAX_LISTS		4096
#define DOCX_MAX_STYLES		4096
#define DOCX_STYLE_DEPTH	10

#define DOCX_NS		"http://schemas.openxmlformats.org/" \
	"wordprocessingml/2006/main"
#define DOCX_NS_STRICT	"http://purl.oclc.org/ooxml/wordprocessingml/main"

enum docx_format {
	DOCX_DECIMAL,
	DOCX_DECIMAL_ZERO,
	DOCX_LOWER_LETTER,
	DOCX_UPPER_LETTER,
	DOCX_LOWER_ROMAN,
	DOCX_UPPER_ROMAN,
	DOCX_BULLET,
	DOCX_NONE
};

static const struct {
	const char		*name;
	enum docx_format	 format;
} docx_formats[] = {
	{ "decimal", DOCX_DECIMAL },
	{ "decimalZero", DOCX_DECIMAL_ZERO },
	{ "lowerLetter", DOCX_LOWER_LETTER },
	{ "upperLetter", DOCX_UPPER_LETTER },
	{ "lowerRoman", DOCX_LOWER_ROMAN },
	{ "upperRoman", DOCX_UPPER_ROMAN },
	{ "bullet", DOCX_BULLET },
	{ "none", DOCX_NONE },
};

struct docx_level {
	enum docx_format	 format;
	char			 text[32];	/* lvlText: "%1.", "-" */
	int			 start;
};

struct docx_abstract {
	int			 id;
	struct docx_level	 levels[DOCX_LEVELS];
};

struct docx_num {
	int			 id;
	int			 abstract;
	int			 start[DOCX_LEVELS];	/* override, or -1 */
	int			 count[DOCX_LEVELS];
	int			 started[DOCX_LEVELS];
};

struct docx_style {
	char			*id;
	char			*based_on;
	int			 num;		/* -1: none given */
	int			 level;
};

struct plan_docx_lists {
	struct docx_abstract	*abstracts;
	size_t			 nabstracts;
	struct docx_num		*nums;
	size_t			 nnums;
	struct docx_style	*styles;
	size_t			 nstyles;
};

/* 1 if the current element is the WordprocessingML element local. */
static int
docx_is(const struct xmlpart *x, const char *local)
{
	const char	*ns = xmlpart_ns(x);

	return (strcmp(xmlpart_local(x), local) == 0 &&
	    (strcmp(ns, DOCX_NS) == 0 || strcmp(ns, DOCX_NS_STRICT) == 0));
}

/* The w:val (or other) attribute of the current element; caller frees. */
static char *
docx_attr(const struct xmlpart *x, const char *local)
{
	return (xmlpart_attr(x, xmlpart_ns(x), local));
}

/* A w: attribute as a number from 0 to max, or def. */
static int
docx_attr_int(const struct xmlpart *x, const char *local, int max, int def)
{
	return ((int)xmlpart_attr_long(x, xmlpart_ns(x), local, max, def));
}

/* The format a w:numFmt value names. */
static enum docx_format
docx_format_of(const char *name)
{
	size_t	 i;

	for (i = 0; i < sizeof docx_formats / sizeof docx_formats[0]; i++) {
		if (strcmp(name, docx_formats[i].name) == 0)
			return (docx_formats[i].format);
	}
	return (DOCX_DECIMAL);
}

/* Reads w:start, w:numFmt, w:lvlText of a level. */
static void
docx_level_attr(struct xmlpart *x, struct docx_level *lv)
{
	char	*v;

	if (docx_is(x, "start"))
		lv->start = docx_attr_int(x, "val", 100000, 1);
	else if (docx_is(x, "numFmt") && (v = docx_attr(x, "val")) != NULL) {
		lv->format = docx_format_of(v);
		free(v);
	} else if (docx_is(x, "lvlText") &&
	    (v = docx_attr(x, "val")) != NULL) {
		snprintf(lv->text, sizeof lv->text, "%s", v);
		free(v);
	}
}

/* Starts an abstract numbering definition; NULL past the limit. */
static struct docx_abstract *
docx_abstract_new(struct plan_docx_lists *l, struct xmlpart *x)
{
	struct docx_abstract	*a;
	int			 i;

	if (l->nabstracts == DOCX_MAX_LISTS)
		return (NULL);
	l->abstracts = xreallocarray(l->abstracts, l->nabstracts + 1,
	    sizeof *l->abstracts);
	a = &l->abstracts[l->nabstracts++];
	memset(a, 0, sizeof *a);
	a->id = docx_attr_int(x, "abstractNumId", 1000000000, -1);
	for (i = 0; i < DOCX_LEVELS; i++) {
		a->levels[i].start = 1;
		snprintf(a->levels[i].text, sizeof a->levels[i].text, "%%%d.",
		    i + 1);
	}
	return (a);
}

/* Starts a numbering instance; NULL past the limit. */
static struct docx_num *
docx_num_new(struct plan_docx_lists *l, struct xmlpart *x)
{
	struct docx_num	*n;
	int		 i;

	if (l->nnums == DOCX_MAX_LISTS)
		return (NULL);
	l->nums = xreallocarray(l->nums, l->nnums + 1, sizeof *l->nums);
	n = &l->nums[l->nnums++];
	memset(n, 0, sizeof *n);
	n->id = docx_attr_int(x, "numId", 1000000000, -1);
	n->abstract = -1;
	for (i = 0; i < DOCX_LEVELS; i++)
		n->start[i] = -1;
	return (n);
}

/* What numbering.xml is being read into. */
struct docx_numbering_state {
	struct docx_abstract	*abstract;
	struct docx_level	*level;
	struct docx_num		*num;
	int			 override;
};

/* Handles one start tag of numbering.xml. */
static void
docx_numbering_start(struct plan_docx_lists *l, struct xmlpart *x,
    struct docx_numbering_state *s)
{
	int	 i;

	if (docx_is(x, "abstractNum")) {
		s->abstract = docx_abstract_new(l, x);
		s->num = NULL;
	} else if (docx_is(x, "num")) {
		s->num = docx_num_new(l, x);
		s->abstract = NULL;
	} else if (docx_is(x, "lvl") && s->abstract != NULL) {
		i = docx_attr_int(x, "ilvl", DOCX_LEVELS - 1, -1);
		s->level = i >= 0 ? &s->abstract->levels[i] : NULL;
	} else if (s->level != NULL && s->abstract != NULL)
		docx_level_attr(x, s->level);
	else if (s->num != NULL && docx_is(x, "abstractNumId"))
		s->num->abstract = docx_attr_int(x, "val", 1000000000, -1);
	else if (s->num != NULL && docx_is(x, "lvlOverride"))
		s->override = docx_attr_int(x, "ilvl", DOCX_LEVELS - 1, -1);
	else if (s->num != NULL && docx_is(x, "startOverride") &&
	    s->override >= 0)
		s->num->start[s->override] = docx_attr_int(x, "val", 100000,
		    1);
}

/* Handles one end tag of numbering.xml. */
static void
docx_numbering_end(struct xmlpart *x, struct docx_numbering_state *s)
{
	if (docx_is(x, "lvl"))
		s->level = NULL;
	else if (docx_is(x, "abstractNum"))
		s->abstract = NULL;
	else if (docx_is(x, "num"))
		s->num = NULL;
	else if (docx_is(x, "lvlOverride"))
		s->override = -1;
}

/* Reads numbering.xml; -1 and *cause on error. */
static int
docx_numbering_read(struct plan_docx_lists *l, struct zipfile *zf,
    const char *part, char **cause)
{
	struct docx_numbering_state	 s;
	struct xmlpart			*x;
	int				 rv;

	memset(&s, 0, sizeof s);
	s.override = -1;
	if ((x = xmlpart_open(zf, part, cause)) == NULL)
		return (-1);
	while ((rv = xmlpart_next(x)) == 1) {
		if (xmlpart_type(x) == XMLPART_START) {
			docx_numbering_start(l, x, &s);
			if (xmlpart_empty(x))
				docx_numbering_end(x, &s);
		} else if (xmlpart_type(x) == XMLPART_END)
			docx_numbering_end(x, &s);
	}
	return (plan_office_part_end(x, zf, rv, cause));
}

/* Handles one start tag of styles.xml. */
static void
docx_styles_start(struct plan_docx_lists *l, struct xmlpart *x,
    struct docx_style **cur)
{
	struct docx_style	*st;
	char			*type;

	if (docx_is(x, "style")) {
		*cur = NULL;
		type = docx_attr(x, "type");
		if (type != NULL && strcmp(type, "paragraph") == 0 &&
		    l->nstyles < DOCX_MAX_STYLES) {
			l->styles = xreallocarray(l->styles, l->nstyles + 1,
			    sizeof *l->styles);
			st = *cur = &l->styles[l->nstyles++];
			memset(st, 0, sizeof *st);
			st->id = docx_attr(x, "styleId");
			st->num = -1;
		}
		free(type);
	} else if (*cur == NULL)
		return;
	else if (docx_is(x, "basedOn") && (*cur)->based_on == NULL)
		(*cur)->based_on = docx_attr(x, "val");
	else if (docx_is(x, "numId"))
		(*cur)->num = docx_attr_int(x, "val", 1000000000, -1);
	else if (docx_is(x, "ilvl"))
		(*cur)->level = docx_attr_int(x, "val", DOCX_LEVELS - 1, 0);
}

/* Reads the paragraph styles of styles.xml; -1 and *cause on error. */
static int
docx_styles_read(struct plan_docx_lists *l, struct zipfile *zf,
    const char *part, char **cause)
{
	struct docx_style	*cur = NULL;
	struct xmlpart		*x;
	int			 rv;

	if ((x = xmlpart_open(zf, part, cause)) == NULL)
		return (-1);
	while ((rv = xmlpart_next(x)) == 1) {
		if (xmlpart_type(x) == XMLPART_START &&
		    (docx_is(x, "pPrChange") || docx_is(x, "rPr"))) {
			if ((rv = xmlpart_skip(x)) == -1)
				break;
		} else if (xmlpart_type(x) == XMLPART_START)
			docx_styles_start(l, x, &cur);
	}
	return (plan_office_part_end(x, zf, rv, cause));
}

/* Compares abstract definitions, numbering instances by id. */
static int
docx_abstract_cmp(const void *a, const void *b)
{
	const struct docx_abstract	*x = a, *y = b;

	return (x->id < y->id ? -1 : x->id > y->id);
}

static int
docx_num_cmp(const void *a, const void *b)
{
	const struct docx_num	*x = a, *y = b;

	return (x->id < y->id ? -1 : x->id > y->id);
}

/* Compares styles by id (NULL first). */
static int
docx_style_cmp(const void *a, const void *b)
{
	const struct docx_style	*x = a, *y = b;

	if (x->id == NULL || y->id == NULL)
		return ((x->id != NULL) - (y->id != NULL));
	return (strcmp(x->id, y->id));
}

/* The style of that id, or NULL. */
static struct docx_style *
docx_style_find(const struct plan_docx_lists *l, const char *id)
{
	struct docx_style	 key;

	if (id == NULL || l->nstyles == 0)
		return (NULL);
	key.id = (char *)(uintptr_t)id;
	return (bsearch(&key, l->styles, l->nstyles, sizeof *l->styles,
	    docx_style_cmp));
}

/* Gives each style the numbering of the nearest style it is based on. */
static void
docx_styles_inherit(struct plan_docx_lists *l)
{
	struct docx_style	*st, *base;
	size_t			 i;
	int			 depth;

	for (i = 0; i < l->nstyles; i++) {
		st = &l->styles[i];
		base = st;
		for (depth = 0; base != NULL && base->num == -1 &&
		    depth < DOCX_STYLE_DEPTH; depth++)
			base = docx_style_find(l, base->based_on);
		if (base != NULL && base != st && base->num != -1) {
			st->num = base->num;
			st->level = base->level;
		}
	}
}

/* The numbering definitions and list styles of a document part. */
struct plan_docx_lists *
plan_docx_lists_load(struct zipfile *zf, const char *part, char **cause)
{
	struct plan_docx_lists	*l = xcalloc(1, sizeof *l);
	char			*numbering, *styles;
	int			 rv = 0;

	numbering = plan_office_rel(zf, part, "numbering", cause);
	if (numbering == NULL && *cause != NULL)
		rv = -1;
	else if (numbering != NULL && zipfile_has(zf, numbering))
		rv = docx_numbering_read(l, zf, numbering, cause);
	free(numbering);
	styles = rv == 0 ? plan_office_rel(zf, part, "styles", cause) : NULL;
	if (rv == 0 && styles == NULL && *cause != NULL)
		rv = -1;
	else if (styles != NULL && zipfile_has(zf, styles))
		rv = docx_styles_read(l, zf, styles, cause);
	free(styles);
	if (rv == -1) {
		plan_docx_lists_free(l);
		return (NULL);
	}
	if (l->nabstracts > 0)
		qsort(l->abstracts, l->nabstracts, sizeof *l->abstracts,
		    docx_abstract_cmp);
	if (l->nnums > 0)
		qsort(l->nums, l->nnums, sizeof *l->nums, docx_num_cmp);
	if (l->nstyles > 0)
		qsort(l->styles, l->nstyles, sizeof *l->styles,
		    docx_style_cmp);
	docx_styles_inherit(l);
	return (l);
}

/* Frees the lists; NULL is safe. */
void
plan_docx_lists_free(struct plan_docx_lists *l)
{
	size_t	 i;

	if (l == NULL)
		return;
	for (i = 0; i < l->nstyles; i++) {
		free(l->styles[i].id);
		free(l->styles[i].based_on);
	}
	free(l->styles);
	free(l->abstracts);
	free(l->nums);
	free(l);
}

/* The style letter of plan_office_number() for a format. */
static char
docx_style_letter(enum docx_format f)
{
	static const char	 letters[] = { '1', '0', 'a', 'A', 'i', 'I' };

	return ((size_t)f < sizeof letters ? letters[f] : '1');
}

/* Counts a paragraph at a level: starts or advances it, resets deeper. */
static void
docx_count(struct docx_num *n, const struct docx_abstract *a, int level)
{
	int	 i;

	if (!n->started[level]) {
		n->count[level] = n->start[level] >= 0 ? n->start[level] :
		    a->levels[level].start;
		n->started[level] = 1;
	} else if (n->count[level] < 1000000)
		n->count[level]++;
	for (i = level + 1; i < DOCX_LEVELS; i++)
		n->started[i] = 0;
}

/* Expands a level's text ("%1.%2.") with the counters into out. */
static void
docx_expand(const struct docx_num *n, const struct docx_abstract *a,
    const char *text, char *out, size_t size)
{
	const char	*p;
	char		 number[32];
	size_t		 len = 0;
	int		 k, value;

	out[0] = '\0';
	for (p = text; *p != '\0' && len + 1 < size; p++) {
		if (p[0] == '%' && p[1] >= '1' && p[1] <= '9') {
			k = p[1] - '1';
			value = n->started[k] ? n->count[k] :
			    a->levels[k].start;
			plan_office_number(docx_style_letter(
			    a->levels[k].format), value, number,
			    sizeof number);
			len += (size_t)snprintf(out + len, size - len, "%s",
			    number);
			if (len >= size)
				len = size - 1;
			p++;
		} else
			out[len++] = *p;
		out[len] = '\0';
	}
}

/*
 * The marker of a paragraph with numbering num and level (-1: none given,
 * its style's apply) and style id (or NULL), into out ("" if none); the
 * list's counters advance.
 */
void
plan_docx_lists_marker(struct plan_docx_lists *l, int num, int level,
    const char *style, char *out, size_t size)
{
	struct docx_style	*st;
	struct docx_num		*n, nkey;
	struct docx_abstract	*a, akey;
	const struct docx_level	*lv;

	out[0] = '\0';
	if (num == -1 && (st = docx_style_find(l, style)) != NULL) {
		num = st->num;
		if (level == -1)
			level = st->level;
	}
	if (num <= 0 || l->nnums == 0)
		return;
	if (level < 0 || level >= DOCX_LEVELS)
		level = 0;
	nkey.id = num;
	if ((n = bsearch(&nkey, l->nums, l->nnums, sizeof *l->nums,
	    docx_num_cmp)) == NULL || l->nabstracts == 0)
		return;
	akey.id = n->abstract;
	if ((a = bsearch(&akey, l->abstracts, l->nabstracts,
	    sizeof *l->abstracts, docx_abstract_cmp)) == NULL)
		return;
	lv = &a->levels[level];
	docx_count(n, a, level);
	if (lv->format == DOCX_BULLET)
		plan_office_bullet(lv->text, out, size);
	else if (lv->format != DOCX_NONE)
		docx_expand(n, a, lv->text, out, size);
}
