/*
 * OpenDocument text (.odt) and spreadsheets (.ods): content.xml read as a
 * stream.  A text is read as a Word document is (plan-docx.c): prose
 * paragraphs, tables offered to the record builder until one has the
 * plan's header, later tables continuing it; a spreadsheet as a workbook
 * (plan-xlsx.c): the sheet named, or the first with a header.  Cells span
 * columns and rows (table:number-columns-spanned, -rows-spanned) over
 * covered cells; repeated cells and rows (the long runs of empty ones at
 * a sheet's end) are counted, not expanded, when empty.  List items are
 * lines led by their marker from the list style.  Tracked changes are
 * read as accepted: deleted text lives in text:tracked-changes, skipped.
 * A password-protected file is refused by its manifest.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "plan-grid.h"
#include "plan-office-parts.h"
#include "xmlpart.h"
#include "zipfile.h"

#define ODF_NS_OFFICE	"urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define ODF_NS_TEXT	"urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define ODF_NS_TABLE	"urn:oasis:names:tc:opendocument:xmlns:table:1.0"
#define ODF_NS_STYLE	"urn:oasis:names:tc:opendocument:xmlns:style:1.0"
#define ODF_NS_MANIFEST	"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"

#define ODF_LEVELS		10
#define ODF_MAX_STYLES		4096
#define ODF_MAX_REPEAT		1000	/* repeats of a row with text */
#define ODF_MAX_ROWS		1048576

/* A level of a list style: a bullet, or a number with its affixes. */
struct odf_level {
	char		 bullet[8];	/* "" for a number */
	char		 format;	/* '1', 'a', 'A', 'i', 'I', 0: none */
	char		 prefix[8];
	char		 suffix[8];
	int		 start;
	int		 display;	/* levels shown: "1.2." */
};

struct odf_list_style {
	char			*name;
	struct odf_level	 levels[ODF_LEVELS];
	int			 count[ODF_LEVELS];
	int			 started[ODF_LEVELS];
};

/* A cell placed in the current row, kept to repeat the row. */
struct odf_placed {
	unsigned	 col;
	char		*text;
	unsigned	 cols;
	int		 covered;
};

struct odf {
	struct plan_reader	*reader;
	struct xmlpart		*x;
	const char		*name;
	int			 spreadsheet;
	const char		*wanted;	/* --sheet */

	struct odf_list_style	*styles;
	size_t			 nstyles;
	char			**hidden;	/* table styles not shown */
	size_t			 nhidden;
	char			*table_style;	/* style:style being read */
	struct odf_list_style	*style;		/* being read */
	int			 list_depth;
	struct odf_list_style	*list[ODF_LEVELS + 1];
	char			 marker[64];	/* for the item's paragraph */

	struct plan_cell	 para;
	int			 para_depth;

	int			 depth;		/* of table:table */
	unsigned		 tables;
	char			*sheet_name;
	struct plan_grid	*grid;
	struct plan_sheet	 flow;
	int			 kind;
	unsigned		 grid_cols;
	unsigned		 plan_cols;
	int			 header_rows;
	unsigned		 row;
	unsigned		 row_repeat;
	unsigned		 col;
	int			 in_cell;
	struct plan_cell	 cell;
	unsigned		 cell_cols;
	unsigned		 cell_rows;
	unsigned		 cell_repeat;
	char			*cell_date;
	struct odf_placed	*placed;
	size_t			 nplaced;
	int			 done;		/* the plan's sheet was read */
	int			 styles_only;	/* reading styles.xml */
};

/* 1 if the current element is {ns}local. */
static int
odf_is(const struct odf *o, const char *ns, const char *local)
{
	return (strcmp(xmlpart_local(o->x), local) == 0 &&
	    strcmp(xmlpart_ns(o->x), ns) == 0);
}

/* A number attribute from 1 to max, or def. */
static unsigned
odf_attr_count(const struct odf *o, const char *ns, const char *local,
    unsigned max, unsigned def)
{
	long	 v = xmlpart_attr_long(o->x, ns, local, (long)max, -1);

	return (v >= 1 ? (unsigned)v : def);
}

/* A short string attribute copied into out ("" if absent). */
static void
odf_attr_copy(const struct odf *o, const char *ns, const char *local,
    char *out, size_t size)
{
	char	*v = xmlpart_attr(o->x, ns, local);

	snprintf(out, size, "%s", v != NULL ? v : "");
	free(v);
}

/* The list style of that name, or NULL. */
static struct odf_list_style *
odf_style_find(struct odf *o, const char *name)
{
	size_t	 i;

	if (name == NULL)
		return (NULL);
	for (i = o->nstyles; i > 0; i--) {
		if (strcmp(o->styles[i - 1].name, name) == 0)
			return (&o->styles[i - 1]);
	}
	return (NULL);
}

/* A list style starts (text:list-style). */
static void
odf_style_begin(struct odf *o)
{
	struct odf_list_style	*st;
	int			 i;

	o->style = NULL;
	if (o->nstyles == ODF_MAX_STYLES)
		return;
	o->styles = xreallocarray(o->styles, o->nstyles + 1,
	    sizeof *o->styles);
	st = o->style = &o->styles[o->nstyles++];
	memset(st, 0, sizeof *st);
	if ((st->name = xmlpart_attr(o->x, ODF_NS_STYLE, "name")) == NULL)
		st->name = xstrdup("");
	for (i = 0; i < ODF_LEVELS; i++) {
		st->levels[i].format = '1';
		st->levels[i].start = 1;
		st->levels[i].display = 1;
		snprintf(st->levels[i].suffix, sizeof st->levels[i].suffix,
		    ".");
	}
}

/* A level of the list style being read. */
static void
odf_style_level(struct odf *o, int bullet)
{
	struct odf_level	*lv;
	char			 format[8];
	unsigned		 level;

	if (o->style == NULL)
		return;
	level = odf_attr_count(o, ODF_NS_TEXT, "level", ODF_LEVELS, 1);
	lv = &o->style->levels[level - 1];
	memset(lv, 0, sizeof *lv);
	lv->start = (int)odf_attr_count(o, ODF_NS_TEXT, "start-value", 100000,
	    1);
	lv->display = (int)odf_attr_count(o, ODF_NS_TEXT, "display-levels",
	    ODF_LEVELS, 1);
	if (bullet) {
		odf_attr_copy(o, ODF_NS_TEXT, "bullet-char", lv->bullet,
		    sizeof lv->bullet);
		if (lv->bullet[0] == '\0')
			snprintf(lv->bullet, sizeof lv->bullet, "\xe2\x80\xa2");
		return;
	}
	odf_attr_copy(o, ODF_NS_STYLE, "num-format", format, sizeof format);
	lv->format = strchr("1aAiI", format[0]) != NULL ? format[0] : 0;
	odf_attr_copy(o, ODF_NS_STYLE, "num-prefix", lv->prefix,
	    sizeof lv->prefix);
	odf_attr_copy(o, ODF_NS_STYLE, "num-suffix", lv->suffix,
	    sizeof lv->suffix);
}

/* A table style: remembered when it hides its sheet. */
static void
odf_table_style(struct odf *o, int properties)
{
	char	*v;

	if (!properties) {
		free(o->table_style);
		o->table_style = NULL;
		v = xmlpart_attr(o->x, ODF_NS_STYLE, "family");
		if (v != NULL && strcmp(v, "table") == 0)
			o->table_style = xmlpart_attr(o->x, ODF_NS_STYLE,
			    "name");
		free(v);
		return;
	}
	v = xmlpart_attr(o->x, ODF_NS_TABLE, "display");
	if (o->table_style != NULL && v != NULL && strcmp(v, "false") == 0 &&
	    o->nhidden < ODF_MAX_STYLES) {
		o->hidden = xreallocarray(o->hidden, o->nhidden + 1,
		    sizeof *o->hidden);
		o->hidden[o->nhidden++] = xstrdup(o->table_style);
	}
	free(v);
}

/* 1 if the current table (a sheet) has a style that hides it. */
static int
odf_table_hidden(struct odf *o)
{
	char	*name = xmlpart_attr(o->x, ODF_NS_TABLE, "style-name");
	size_t	 i;
	int	 hidden = 0;

	for (i = 0; name != NULL && i < o->nhidden && !hidden; i++)
		hidden = strcmp(o->hidden[i], name) == 0;
	free(name);
	return (hidden);
}

/* Start tags of list and table styles; 1 if handled. */
static int
odf_style_start(struct odf *o)
{
	if (odf_is(o, ODF_NS_STYLE, "style"))
		odf_table_style(o, 0);
	else if (odf_is(o, ODF_NS_STYLE, "table-properties"))
		odf_table_style(o, 1);
	else if (odf_is(o, ODF_NS_TEXT, "list-style"))
		odf_style_begin(o);
	else if (odf_is(o, ODF_NS_TEXT, "list-level-style-number"))
		odf_style_level(o, 0);
	else if (odf_is(o, ODF_NS_TEXT, "list-level-style-bullet") ||
	    odf_is(o, ODF_NS_TEXT, "list-level-style-image"))
		odf_style_level(o, 1);
	else
		return (0);
	return (1);
}

/* A list starts: its style (or its parent's); a new list restarts it. */
static void
odf_list_begin(struct odf *o)
{
	struct odf_list_style	*st;
	char			*name, *cont;
	int			 i;

	name = xmlpart_attr(o->x, ODF_NS_TEXT, "style-name");
	cont = xmlpart_attr(o->x, ODF_NS_TEXT, "continue-numbering");
	st = odf_style_find(o, name);
	if (st == NULL && o->list_depth > 0)
		st = o->list[o->list_depth];
	if (o->list_depth < ODF_LEVELS)
		o->list_depth++;
	o->list[o->list_depth] = st;
	if (cont == NULL || strcmp(cont, "true") != 0) {
		free(cont);
		cont = xmlpart_attr(o->x, ODF_NS_TEXT, "continue-list");
	}
	if (st != NULL && o->list_depth == 1 && cont == NULL) {
		for (i = 0; i < ODF_LEVELS; i++)
			st->started[i] = 0;
	}
	free(name);
	free(cont);
}

/* A list item starts: the marker its first paragraph will show. */
static void
odf_item_begin(struct odf *o)
{
	struct odf_list_style	*st = o->list[o->list_depth];
	struct odf_level	*lv;
	char			 number[32];
	int			 level = o->list_depth - 1, i, from;
	size_t			 len;

	o->marker[0] = '\0';
	if (st == NULL || level < 0)
		return;
	lv = &st->levels[level];
	if (!st->started[level]) {
		st->count[level] = lv->start;
		st->started[level] = 1;
	} else if (st->count[level] < 1000000)
		st->count[level]++;
	for (i = level + 1; i < ODF_LEVELS; i++)
		st->started[i] = 0;
	if (lv->bullet[0] != '\0') {
		plan_office_bullet(lv->bullet, o->marker, sizeof o->marker);
		return;
	}
	if (lv->format == 0)
		return;
	len = (size_t)snprintf(o->marker, sizeof o->marker, "%s", lv->prefix);
	from = level - lv->display + 1 < 0 ? 0 : level - lv->display + 1;
	for (i = from; i <= level && len < sizeof o->marker; i++) {
		plan_office_number(st->levels[i].format != 0 ?
		    st->levels[i].format : '1', st->started[i] ?
		    st->count[i] : st->levels[i].start, number,
		    sizeof number);
		len += (size_t)snprintf(o->marker + len, sizeof o->marker - len,
		    "%s%s", i > from ? "." : "", number);
	}
	if (len < sizeof o->marker)
		snprintf(o->marker + len, sizeof o->marker - len, "%s",
		    lv->suffix);
}

/* "NAME: table T, row R, cell C: message" (or the sheet's name). */
static int
odf_cell_error(struct odf *o, char **cause, const char *msg)
{
	if (o->spreadsheet)
		return (plan_office_error(cause, o->name, "sheet \"%s\", row "
		    "%u, column %u: %s", o->sheet_name != NULL ?
		    o->sheet_name : "", o->row, o->col + 1, msg));
	return (plan_office_error(cause, o->name, "table %u, row %u, cell "
	    "%u: %s", o->tables, o->row, o->col + 1, msg));
}

/* A paragraph ends: a line of the cell, or prose outside tables. */
static int
odf_para_end(struct odf *o, char **cause)
{
	char	*text;

	if (o->para.too_long)
		return (odf_cell_error(o, cause, "text longer than the limit "
		    "of a cell"));
	text = plan_cell_take(&o->para);
	if (o->depth > 0 && o->in_cell) {
		if (*text != '\0' && o->marker[0] != '\0') {
			plan_cell_add(&o->cell, o->marker, 0);
			plan_cell_add(&o->cell, " ", 0);
		}
		plan_cell_add(&o->cell, text, 1);
		plan_cell_break(&o->cell);
	} else if (o->depth == 0 && !o->spreadsheet &&
	    !plan_reader_has_header(o->reader)) {
		plan_grid_prose(o->reader, text);
		plan_reader_prose(o->reader, "");
	}
	o->marker[0] = '\0';
	free(text);
	return (0);
}

/* Start tags inside paragraphs; 1 if handled. */
static int
odf_text_start(struct odf *o)
{
	unsigned	 n;

	if (odf_is(o, ODF_NS_TEXT, "p") || odf_is(o, ODF_NS_TEXT, "h")) {
		if (o->para_depth++ == 0) {
			plan_cell_free(&o->para);
			plan_cell_init(&o->para);
		}
	} else if (odf_is(o, ODF_NS_TEXT, "list"))
		odf_list_begin(o);
	else if (odf_is(o, ODF_NS_TEXT, "list-item"))
		odf_item_begin(o);
	else if (odf_is(o, ODF_NS_TEXT, "list-header"))
		o->marker[0] = '\0';
	else if (o->para_depth == 0)
		return (0);
	else if (odf_is(o, ODF_NS_TEXT, "s")) {
		n = odf_attr_count(o, ODF_NS_TEXT, "c", 1000, 1);
		while (n-- > 0)
			plan_cell_add(&o->para, " ", 0);
	} else if (odf_is(o, ODF_NS_TEXT, "tab"))
		plan_cell_add(&o->para, " ", 0);
	else if (odf_is(o, ODF_NS_TEXT, "line-break"))
		plan_cell_break(&o->para);
	else
		return (0);
	return (1);
}

/* A table (or a sheet) starts. */
static int
odf_table_begin(struct odf *o)
{
	o->tables++;
	o->kind = -1;
	o->grid_cols = 0;
	o->row = 0;
	memset(&o->flow, 0, sizeof o->flow);
	free(o->sheet_name);
	o->sheet_name = xmlpart_attr(o->x, ODF_NS_TABLE, "name");
	if (o->sheet_name == NULL)
		o->sheet_name = xstrdup("");
	if (o->spreadsheet && (o->done || (o->wanted != NULL &&
	    strcmp(o->wanted, o->sheet_name) != 0) || (o->wanted == NULL &&
	    odf_table_hidden(o))))
		return (1);	/* skipped */
	plan_grid_free(o->grid);
	o->grid = plan_grid_new(o->reader, o->tables);
	return (0);
}

/* A table ends; a spreadsheet is done once a sheet had the header. */
static void
odf_table_end(struct odf *o)
{
	plan_grid_free(o->grid);
	o->grid = NULL;
	if (o->spreadsheet && plan_reader_has_header(o->reader))
		o->done = 1;
}

/* Frees the cells kept of the current row. */
static void
odf_placed_clear(struct odf *o)
{
	size_t	 i;

	for (i = 0; i < o->nplaced; i++)
		free(o->placed[i].text);
	o->nplaced = 0;
}

/* A row starts (table:table-row). */
static void
odf_row_begin(struct odf *o)
{
	o->row++;
	o->col = 0;
	o->row_repeat = odf_attr_count(o, ODF_NS_TABLE,
	    "number-rows-repeated", ODF_MAX_ROWS, 1);
	odf_placed_clear(o);
	plan_grid_row_begin(o->grid, o->row);
}

/* A cell starts: its spans, repeats and (spreadsheets) date value. */
static void
odf_cell_begin(struct odf *o)
{
	o->in_cell = 1;
	o->cell_cols = odf_attr_count(o, ODF_NS_TABLE,
	    "number-columns-spanned", 64, 1);
	o->cell_rows = odf_attr_count(o, ODF_NS_TABLE,
	    "number-rows-spanned", ODF_MAX_ROWS, 1);
	o->cell_repeat = odf_attr_count(o, ODF_NS_TABLE,
	    "number-columns-repeated", 16384, 1);
	free(o->cell_date);
	o->cell_date = xmlpart_attr(o->x, ODF_NS_OFFICE, "date-value");
	plan_cell_free(&o->cell);
	plan_cell_init(&o->cell);
}

/* Places one cell (or covered cell) in the grid and keeps it. */
static int
odf_place(struct odf *o, char *text, int covered, unsigned rows,
    char **cause)
{
	struct odf_placed	*p;
	int			 rv;

	if (covered) {
		free(text);
		rv = plan_grid_cover(o->grid, o->col, 1);
	} else {
		if (o->row_repeat > 1) {
			o->placed = xreallocarray(o->placed, o->nplaced + 1,
			    sizeof *o->placed);
			p = &o->placed[o->nplaced++];
			p->col = o->col;
			p->text = xstrdup(text);
			p->cols = o->cell_cols;
			p->covered = 0;
		}
		rv = plan_grid_put(o->grid, o->col, text, o->cell_cols, rows);
	}
	if (rv == -1)
		return (odf_cell_error(o, cause, "more columns than a plan "
		    "table may have (64)"));
	return (0);
}

/* The text of a finished cell: a date value as dd/mm/yyyy. */
static char *
odf_cell_text(struct odf *o)
{
	char	 out[11], *iso;
	date_t	 day;

	if (o->cell_date != NULL && strlen(o->cell_date) >= 10) {
		iso = xstrndup(o->cell_date, 10);
		if (date_parse_iso(iso, &day) == 0) {
			free(iso);
			free(plan_cell_take(&o->cell));
			date_format_vn(day, out);
			return (xstrdup(out));
		}
		free(iso);
	}
	return (plan_cell_take(&o->cell));
}

/* A cell ends: placed once per repeat; empty repeats only counted. */
static int
odf_cell_end(struct odf *o, int covered, char **cause)
{
	char		*text;
	unsigned	 i;

	o->in_cell = 0;
	if (o->cell.too_long)
		return (odf_cell_error(o, cause, "text longer than the limit "
		    "of a cell"));
	text = odf_cell_text(o);
	if (*text == '\0' && !covered && o->cell_cols == 1 &&
	    o->cell_rows == 1) {
		free(text);
		o->col += o->cell_repeat;
		return (0);
	}
	for (i = 0; i < o->cell_repeat; i++) {
		if (odf_place(o, xstrdup(text), covered, o->cell_rows,
		    cause) == -1) {
			free(text);
			return (-1);
		}
		o->col++;
	}
	free(text);
	return (0);
}

/* What a table's rows are (see plan-docx.c). */
static int
odf_table_kind(struct odf *o)
{
	if (!plan_reader_has_header(o->reader))
		return (PLAN_GRID_ROW);
	if (o->grid_cols == o->plan_cols || plan_grid_header_test(o->grid))
		return (PLAN_GRID_ROW);
	return (PLAN_GRID_PROSE);
}

/* Hands a finished row of a text's table on. */
static int
odf_text_row_end(struct odf *o, char **cause)
{
	enum plan_grid_row	 kind;
	int			 had = plan_reader_has_header(o->reader);

	if (o->kind == -1 && !plan_grid_row_empty(o->grid)) {
		o->kind = odf_table_kind(o);
		kind = o->kind == PLAN_GRID_ROW && had &&
		    plan_grid_header_test(o->grid) ? PLAN_GRID_HEADER :
		    (enum plan_grid_row)o->kind;
	} else
		kind = o->kind == -1 ? PLAN_GRID_SKIP :
		    (enum plan_grid_row)o->kind;
	if (kind == PLAN_GRID_ROW && had && o->header_rows > 0 &&
	    !plan_grid_header_test(o->grid))
		kind = PLAN_GRID_SKIP;
	if (plan_grid_row_end(o->grid, kind, cause) == -1)
		return (-1);
	if (!had && plan_reader_has_header(o->reader))
		o->plan_cols = o->grid_cols;
	return (0);
}

/* Places the kept cells of the row again, for a repeat of it. */
static int
odf_row_replay(struct odf *o, char **cause)
{
	size_t	 i;

	plan_grid_row_begin(o->grid, o->row);
	for (i = 0; i < o->nplaced; i++) {
		if (plan_grid_put(o->grid, o->placed[i].col,
		    xstrdup(o->placed[i].text), o->placed[i].cols, 1) == -1)
			return (odf_cell_error(o, cause, "more columns than a "
			    "plan table may have (64)"));
	}
	return (0);
}

/* A row ends: handed on, as often as it is repeated. */
static int
odf_row_end(struct odf *o, char **cause)
{
	unsigned	 i, repeat = o->row_repeat;

	if (repeat > 1 && o->nplaced == 0) {
		if (o->spreadsheet) {
			if (plan_grid_sheet_row_end(o->grid, &o->flow,
			    cause) == -1)
				return (-1);
		} else if (odf_text_row_end(o, cause) == -1)
			return (-1);
		plan_grid_sheet_gap(&o->flow, o->row, o->row + repeat - 1);
		o->row += repeat - 1;
		return (0);
	}
	if (repeat > ODF_MAX_REPEAT)
		return (odf_cell_error(o, cause, "a row with text repeated "
		    "more than 1,000 times"));
	for (i = 0; i < repeat; i++) {
		if (i > 0) {
			o->row++;
			if (odf_row_replay(o, cause) == -1)
				return (-1);
		}
		if (o->spreadsheet ? plan_grid_sheet_row_end(o->grid, &o->flow,
		    cause) == -1 : odf_text_row_end(o, cause) == -1)
			return (-1);
	}
	odf_placed_clear(o);
	return (0);
}

/* Start tags of table structure; 1 if handled, -1 on error. */
static int
odf_table_start(struct odf *o)
{
	if (odf_is(o, ODF_NS_TABLE, "table")) {
		if (++o->depth == 1 && odf_table_begin(o)) {
			o->depth--;
			return (xmlpart_skip(o->x) == -1 ? -1 : 1);
		}
	} else if (o->depth != 1)
		return (0);
	else if (odf_is(o, ODF_NS_TABLE, "table-column"))
		o->grid_cols += odf_attr_count(o, ODF_NS_TABLE,
		    "number-columns-repeated", 16384, 1);
	else if (odf_is(o, ODF_NS_TABLE, "table-header-rows"))
		o->header_rows = 1;
	else if (odf_is(o, ODF_NS_TABLE, "table-row"))
		odf_row_begin(o);
	else if (odf_is(o, ODF_NS_TABLE, "table-cell") ||
	    odf_is(o, ODF_NS_TABLE, "covered-table-cell"))
		odf_cell_begin(o);
	else
		return (0);
	return (1);
}

/* 1 if the element's content is not the document's current text. */
static int
odf_skipped(const struct odf *o)
{
	return (odf_is(o, ODF_NS_TEXT, "tracked-changes") ||
	    odf_is(o, ODF_NS_TEXT, "note") ||
	    odf_is(o, ODF_NS_OFFICE, "annotation") ||
	    odf_is(o, ODF_NS_TEXT, "sequence-decls") ||
	    odf_is(o, ODF_NS_TEXT, "variable-decls") ||
	    odf_is(o, ODF_NS_TABLE, "shapes") ||
	    odf_is(o, ODF_NS_OFFICE, "forms") ||
	    odf_is(o, ODF_NS_OFFICE, "scripts") ||
	    odf_is(o, ODF_NS_OFFICE, "font-face-decls") ||
	    strcmp(xmlpart_ns(o->x),
	    "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0") == 0);
}

static int	odf_end(struct odf *, char **);

/* Handles a start tag. */
static int
odf_start(struct odf *o, char **cause)
{
	int	 rv;

	if (odf_skipped(o))
		return (xmlpart_skip(o->x));
	if (odf_style_start(o) || o->styles_only)
		return (0);
	if ((rv = odf_table_start(o)) == -1)
		return (-1);
	if (rv == 0)
		odf_text_start(o);
	if (xmlpart_empty(o->x))
		return (odf_end(o, cause));
	return (0);
}

/* Handles an end tag. */
static int
odf_end(struct odf *o, char **cause)
{
	if (odf_is(o, ODF_NS_TEXT, "list-style"))
		o->style = NULL;
	else if (o->styles_only)
		return (0);
	else if ((odf_is(o, ODF_NS_TEXT, "p") || odf_is(o, ODF_NS_TEXT,
	    "h")) && o->para_depth > 0 && --o->para_depth == 0)
		return (odf_para_end(o, cause));
	else if (odf_is(o, ODF_NS_TEXT, "list") && o->list_depth > 0)
		o->list_depth--;
	else if (odf_is(o, ODF_NS_TABLE, "table") && o->depth > 0) {
		if (o->depth-- == 1)
			odf_table_end(o);
	} else if (o->depth != 1)
		return (0);
	else if (odf_is(o, ODF_NS_TABLE, "table-header-rows"))
		o->header_rows = 0;
	else if (odf_is(o, ODF_NS_TABLE, "table-cell") && o->in_cell)
		return (odf_cell_end(o, 0, cause));
	else if (odf_is(o, ODF_NS_TABLE, "covered-table-cell") && o->in_cell)
		return (odf_cell_end(o, 1, cause));
	else if (odf_is(o, ODF_NS_TABLE, "table-row"))
		return (odf_row_end(o, cause));
	return (0);
}

/* Reads a part node by node; -1 and *cause on error. */
static int
odf_walk(struct odf *o, struct zipfile *zf, const char *part, char **cause)
{
	int	 rv;

	if ((o->x = xmlpart_open(zf, part, cause)) == NULL)
		return (-1);
	while ((rv = xmlpart_next(o->x)) == 1) {
		rv = 0;
		if (xmlpart_type(o->x) == XMLPART_START)
			rv = odf_start(o, cause);
		else if (xmlpart_type(o->x) == XMLPART_END)
			rv = odf_end(o, cause);
		else if (xmlpart_type(o->x) == XMLPART_TEXT &&
		    o->para_depth > 0)
			plan_cell_add(&o->para, xmlpart_text(o->x), 0);
		if (rv == -1)
			break;
	}
	if (rv == -1 && !xmlpart_failed(o->x)) {
		xmlpart_close(o->x);
		o->x = NULL;
		return (-1);
	}
	rv = plan_office_part_end(o->x, zf, rv, cause);
	o->x = NULL;
	return (rv);
}

/* -1 and *cause if the manifest says the content is encrypted. */
static int
odf_check_encrypted(struct odf *o, struct zipfile *zf, char **cause)
{
	struct xmlpart	*x;
	int		 rv, encrypted = 0;

	if (!zipfile_has(zf, "META-INF/manifest.xml"))
		return (0);
	if ((x = xmlpart_open(zf, "META-INF/manifest.xml", cause)) == NULL)
		return (-1);
	while (!encrypted && (rv = xmlpart_next(x)) == 1) {
		encrypted = xmlpart_type(x) == XMLPART_START &&
		    xmlpart_is(x, ODF_NS_MANIFEST, "encryption-data");
	}
	if (encrypted) {
		xmlpart_close(x);
		return (plan_office_error(cause, o->name, "a password-"
		    "protected (encrypted) document; open it, remove the "
		    "password, save it again and import that file"));
	}
	return (plan_office_part_end(x, zf, rv, cause));
}

/* The error when no table (or sheet) had the plan's header. */
static int
odf_no_header(struct odf *o, char **cause)
{
	if (o->spreadsheet && o->wanted != NULL && o->tables == 0)
		return (plan_office_error(cause, o->name, "no sheet named "
		    "\"%s\"", o->wanted));
	if (o->spreadsheet && o->wanted != NULL)
		return (plan_office_error(cause, o->name, "sheet \"%s\" has no "
		    "plan table: no row names the units or time column",
		    o->wanted));
	return (plan_office_error(cause, o->name, "no plan table: none of "
	    "its %u %s has a header row naming the units or time column "
	    "(such as STT, Nhiệm vụ, Cơ quan thực hiện, Thời gian thực "
	    "hiện)", o->tables, o->spreadsheet ? "sheets" : "tables"));
}

/* Reads an OpenDocument text or spreadsheet. */
int
plan_odf_read(struct plan_reader *r, struct zipfile *zf, int spreadsheet,
    const char *sheet, char **cause)
{
	struct odf	 o;
	size_t		 i;
	int		 rv = -1;

	memset(&o, 0, sizeof o);
	o.reader = r;
	o.name = zipfile_name(zf);
	o.spreadsheet = spreadsheet;
	o.wanted = sheet;
	plan_cell_init(&o.para);
	plan_cell_init(&o.cell);
	if (odf_check_encrypted(&o, zf, cause) == -1)
		goto out;
	o.styles_only = 1;
	if (zipfile_has(zf, "styles.xml") &&
	    odf_walk(&o, zf, "styles.xml", cause) == -1)
		goto out;
	o.styles_only = 0;
	if (odf_walk(&o, zf, "content.xml", cause) == -1)
		goto out;
	rv = plan_reader_has_header(r) ? 0 : odf_no_header(&o, cause);
out:
	plan_grid_free(o.grid);
	plan_cell_free(&o.para);
	plan_cell_free(&o.cell);
	odf_placed_clear(&o);
	free(o.placed);
	free(o.cell_date);
	free(o.sheet_name);
	for (i = 0; i < o.nstyles; i++)
		free(o.styles[i].name);
	free(o.styles);
	for (i = 0; i < o.nhidden; i++)
		free(o.hidden[i]);
	free(o.hidden);
	free(o.table_style);
	return (rv);
}
