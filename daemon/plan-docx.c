/*
 * Word documents (.docx): the main part read as a stream.  Paragraphs
 * outside tables are prose (the title, the number, the place-and-date
 * line); each top-level table is offered to the record builder row by row
 * until one has the plan's header, and later tables continue it when they
 * have as many columns or start with a header.  Inside a cell each
 * paragraph is a line, led by its list marker; line breaks end lines;
 * vertically merged cells (w:vMerge) are repeated down, cells spanning
 * columns (w:gridSpan) fill them; header rows (w:tblHeader) after the
 * header are dropped; tracked changes are read as accepted (w:ins kept,
 * w:del dropped, a deleted row dropped); fields and hyperlinks are read
 * as the text they show.  Tables nested in a cell are lines of the cell.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan-docx-lists.h"
#include "plan-grid.h"
#include "plan-office-parts.h"
#include "xmlpart.h"
#include "zipfile.h"

#define DOCX_NS		"http://schemas.openxmlformats.org/" \
	"wordprocessingml/2006/main"
#define DOCX_NS_STRICT	"http://purl.oclc.org/ooxml/wordprocessingml/main"
#define DOCX_NS_MC	"http://schemas.openxmlformats.org/" \
	"markup-compatibility/2006"

enum docx_merge {
	DOCX_MERGE_NONE,
	DOCX_MERGE_RESTART,
	DOCX_MERGE_CONTINUE
};

/* Elements whose whole content is not the document's current text. */
static const char *docx_skipped[] = {
	"del", "moveFrom", "pPrChange", "rPrChange", "tblPrChange",
	"trPrChange", "tcPrChange", "sectPrChange", "numberingChange",
	"sdtPr", "sdtEndPr", "drawing", "pict", "object", "instrText",
	"delText", "delInstrText", "rPr", "sectPr", "tblPr", "fldData",
};

struct docx {
	struct plan_reader	*reader;
	struct xmlpart		*x;
	struct plan_docx_lists	*lists;
	const char		*name;

	/* the paragraph being read */
	struct plan_cell	 para;
	int			 num;		/* w:numId, -1 if none */
	int			 level;		/* w:ilvl, -1 if none */
	char			*style;		/* w:pStyle */
	int			 in_run;
	int			 in_text;

	/* tables: depth of nesting, the top-level one's grid and place */
	int			 depth;
	unsigned		 tables;
	struct plan_grid	*grid;
	int			 kind;		/* -1 undecided, or a kind */
	unsigned		 grid_cols;	/* its w:gridCol count */
	unsigned		 plan_cols;	/* the plan table's */
	unsigned		 row;
	unsigned		 col;
	int			 row_header;
	int			 row_deleted;
	int			 in_row_props;
	int			 in_cell;
	int			 in_cell_props;
	struct plan_cell	 cell;
	unsigned		 span;
	enum docx_merge		 merge;
	int			 hmerge;
};

/* The local name of the current WordprocessingML element, or "". */
static const char *
docx_name(const struct docx *d)
{
	const char	*ns = xmlpart_ns(d->x);

	if (strcmp(ns, DOCX_NS) != 0 && strcmp(ns, DOCX_NS_STRICT) != 0)
		return ("");
	return (xmlpart_local(d->x));
}

/* A w: attribute of the current element; caller frees. */
static char *
docx_attr(const struct docx *d, const char *local)
{
	return (xmlpart_attr(d->x, xmlpart_ns(d->x), local));
}

/* A w: attribute as a number from 0 to max, or def. */
static int
docx_attr_int(const struct docx *d, const char *local, int max, int def)
{
	return ((int)xmlpart_attr_long(d->x, xmlpart_ns(d->x), local, max,
	    def));
}

/* 1 if an on/off property (w:tblHeader) is on: no w:val, or not false. */
static int
docx_on(const struct docx *d)
{
	char	*v = docx_attr(d, "val");
	int	 on;

	on = v == NULL || (strcmp(v, "0") != 0 && strcmp(v, "false") != 0 &&
	    strcmp(v, "off") != 0);
	free(v);
	return (on);
}

/* 1 if the element's content is to be skipped whole. */
static int
docx_skipped_element(const struct docx *d, const char *name)
{
	size_t	 i;

	if (strcmp(xmlpart_ns(d->x), DOCX_NS_MC) == 0)
		return (strcmp(xmlpart_local(d->x), "AlternateContent") == 0);
	for (i = 0; i < sizeof docx_skipped / sizeof docx_skipped[0]; i++) {
		if (strcmp(name, docx_skipped[i]) == 0)
			return (1);
	}
	return (0);
}

/* "NAME: table T, row R, cell C: message"; returns -1. */
static int
docx_cell_error(struct docx *d, char **cause, const char *msg)
{
	return (plan_office_error(cause, d->name, "table %u, row %u, cell "
	    "%u: %s", d->tables, d->row, d->col + 1, msg));
}

/* A paragraph starts. */
static void
docx_para_begin(struct docx *d)
{
	plan_cell_free(&d->para);
	plan_cell_init(&d->para);
	d->num = d->level = -1;
	free(d->style);
	d->style = NULL;
}

/* A paragraph ends: its marker and text go to the cell or the prose. */
static int
docx_para_end(struct docx *d, char **cause)
{
	char	 marker[64];
	char	*text;

	plan_docx_lists_marker(d->lists, d->num, d->level, d->style, marker,
	    sizeof marker);
	if (d->para.too_long)
		return (d->in_cell ? docx_cell_error(d, cause, "text longer "
		    "than the limit of a cell") : plan_office_error(cause,
		    d->name, "a paragraph longer than %d bytes",
		    PLAN_MAX_LINE));
	text = plan_cell_take(&d->para);
	if (d->depth > 0 && d->in_cell) {
		if (*text != '\0' && *marker != '\0') {
			plan_cell_add(&d->cell, marker, 0);
			plan_cell_add(&d->cell, " ", 0);
		}
		plan_cell_add(&d->cell, text, 1);
		plan_cell_break(&d->cell);
	} else if (d->depth == 0 && !plan_reader_has_header(d->reader)) {
		plan_grid_prose(d->reader, text);
		plan_reader_prose(d->reader, "");
	}
	free(text);
	return (0);
}

/* A top-level table starts. */
static void
docx_table_begin(struct docx *d)
{
	d->tables++;
	d->grid = plan_grid_new(d->reader, d->tables);
	d->kind = -1;
	d->grid_cols = 0;
	d->row = 0;
}

/* A top-level table ends. */
static void
docx_table_end(struct docx *d)
{
	plan_grid_free(d->grid);
	d->grid = NULL;
}

/* A row of the top-level table starts. */
static void
docx_row_begin(struct docx *d)
{
	d->row++;
	d->col = 0;
	d->row_header = d->row_deleted = 0;
	plan_grid_row_begin(d->grid, d->row);
}

/* A cell of the top-level table starts. */
static void
docx_cell_begin(struct docx *d)
{
	d->in_cell = 1;
	d->span = 1;
	d->merge = DOCX_MERGE_NONE;
	d->hmerge = 0;
	plan_cell_free(&d->cell);
	plan_cell_init(&d->cell);
}

/* A cell ends: placed in the grid, or covered by the merge above it. */
static int
docx_cell_end(struct docx *d, char **cause)
{
	char	*text;
	int	 rv;

	d->in_cell = 0;
	if (d->cell.too_long)
		return (docx_cell_error(d, cause, "text longer than the limit "
		    "of a cell"));
	text = plan_cell_take(&d->cell);
	if (d->hmerge) {
		free(text);
		rv = plan_grid_put(d->grid, d->col, xstrdup(""), d->span, 1);
	} else if (d->merge == DOCX_MERGE_CONTINUE) {
		free(text);
		rv = plan_grid_cover(d->grid, d->col, d->span);
	} else
		rv = plan_grid_put(d->grid, d->col, text, d->span,
		    d->merge == DOCX_MERGE_RESTART ? PLAN_SPAN_OPEN : 1);
	if (rv == -1)
		return (docx_cell_error(d, cause, "more columns than a plan "
		    "table may have (64)"));
	d->col += d->span;
	return (0);
}

/*
 * What a table's rows are, decided at its first row: before the plan's
 * header every table is offered to the builder (a row that is no header
 * is prose); after it, a table continues the plan when it has as many
 * columns or starts with a header, else it is prose.
 */
static int
docx_table_kind(struct docx *d)
{
	if (!plan_reader_has_header(d->reader))
		return (PLAN_GRID_ROW);
	if (d->grid_cols == d->plan_cols || plan_grid_header_test(d->grid))
		return (PLAN_GRID_ROW);
	return (PLAN_GRID_PROSE);
}

/* A row ends: handed on as its table's kind says. */
static int
docx_row_end(struct docx *d, char **cause)
{
	enum plan_grid_row	 kind;
	int			 had = plan_reader_has_header(d->reader);

	if (d->kind == -1 && !d->row_deleted &&
	    !plan_grid_row_empty(d->grid)) {
		d->kind = docx_table_kind(d);
		kind = d->kind == PLAN_GRID_ROW && had &&
		    plan_grid_header_test(d->grid) ? PLAN_GRID_HEADER :
		    (enum plan_grid_row)d->kind;
	} else
		kind = d->kind == -1 ? PLAN_GRID_SKIP :
		    (enum plan_grid_row)d->kind;
	if (d->row_deleted || (kind == PLAN_GRID_ROW && had && d->row_header &&
	    !plan_grid_header_test(d->grid)))
		kind = PLAN_GRID_SKIP;
	if (plan_grid_row_end(d->grid, kind, cause) == -1)
		return (-1);
	if (!had && plan_reader_has_header(d->reader))
		d->plan_cols = d->grid_cols;
	return (0);
}

/* Start tags of table structure (top level only); 1 if handled. */
static int
docx_table_start(struct docx *d, const char *name)
{
	if (strcmp(name, "tbl") == 0) {
		if (++d->depth == 1)
			docx_table_begin(d);
	} else if (d->depth != 1)
		return (0);
	else if (strcmp(name, "gridCol") == 0)
		d->grid_cols++;
	else if (strcmp(name, "tr") == 0)
		docx_row_begin(d);
	else if (strcmp(name, "trPr") == 0)
		d->in_row_props = 1;
	else if (strcmp(name, "tc") == 0)
		docx_cell_begin(d);
	else if (strcmp(name, "tcPr") == 0)
		d->in_cell_props = 1;
	else
		return (0);
	return (1);
}

/* Start tags of row and cell properties; 1 if handled. */
static int
docx_props_start(struct docx *d, const char *name)
{
	char	*v;

	if (d->in_row_props && strcmp(name, "tblHeader") == 0)
		d->row_header = docx_on(d);
	else if (d->in_row_props && strcmp(name, "del") == 0)
		d->row_deleted = 1;
	else if (d->in_row_props && strcmp(name, "gridBefore") == 0)
		d->col += (unsigned)docx_attr_int(d, "val", 64, 0);
	else if (d->in_cell_props && strcmp(name, "gridSpan") == 0)
		d->span = (unsigned)docx_attr_int(d, "val", 64, 1);
	else if (d->in_cell_props && strcmp(name, "vMerge") == 0) {
		v = docx_attr(d, "val");
		d->merge = v != NULL && strcmp(v, "restart") == 0 ?
		    DOCX_MERGE_RESTART : DOCX_MERGE_CONTINUE;
		free(v);
	} else if (d->in_cell_props && strcmp(name, "hMerge") == 0) {
		v = docx_attr(d, "val");
		d->hmerge = v == NULL || strcmp(v, "restart") != 0;
		free(v);
	} else
		return (0);
	if (d->span == 0)
		d->span = 1;
	return (1);
}

/* Start tags inside a paragraph; 1 if handled. */
static int
docx_para_start(struct docx *d, const char *name)
{
	if (strcmp(name, "p") == 0)
		docx_para_begin(d);
	else if (strcmp(name, "pStyle") == 0) {
		free(d->style);
		d->style = docx_attr(d, "val");
	} else if (strcmp(name, "numId") == 0)
		d->num = docx_attr_int(d, "val", 1000000000, -1);
	else if (strcmp(name, "ilvl") == 0)
		d->level = docx_attr_int(d, "val", 8, 0);
	else if (strcmp(name, "r") == 0)
		d->in_run++;
	else if (strcmp(name, "t") == 0)
		d->in_text = 1;
	else if (!d->in_run)
		return (0);
	else if (strcmp(name, "tab") == 0 || strcmp(name, "ptab") == 0)
		plan_cell_add(&d->para, " ", 0);
	else if (strcmp(name, "br") == 0 || strcmp(name, "cr") == 0)
		plan_cell_break(&d->para);
	else if (strcmp(name, "noBreakHyphen") == 0)
		plan_cell_add(&d->para, "-", 0);
	else
		return (0);
	return (1);
}

static int	docx_end(struct docx *, char **);

/* Handles a start tag. */
static int
docx_start(struct docx *d, char **cause)
{
	const char	*name = docx_name(d);
	int		 empty = xmlpart_empty(d->x);

	if (docx_skipped_element(d, name)) {
		if (d->in_row_props && strcmp(name, "del") == 0)
			d->row_deleted = 1;
		return (xmlpart_skip(d->x));
	}
	if (!docx_table_start(d, name) && !docx_props_start(d, name))
		docx_para_start(d, name);
	if (empty && (strcmp(name, "t") == 0 || strcmp(name, "r") == 0 ||
	    strcmp(name, "p") == 0 || strcmp(name, "tc") == 0 ||
	    strcmp(name, "tr") == 0 || strcmp(name, "tbl") == 0 ||
	    strcmp(name, "trPr") == 0 || strcmp(name, "tcPr") == 0))
		return (docx_end(d, cause));
	return (0);
}

/* Handles an end tag. */
static int
docx_end(struct docx *d, char **cause)
{
	const char	*name = docx_name(d);

	if (strcmp(name, "p") == 0)
		return (docx_para_end(d, cause));
	if (strcmp(name, "t") == 0)
		d->in_text = 0;
	else if (strcmp(name, "r") == 0 && d->in_run > 0)
		d->in_run--;
	else if (strcmp(name, "tbl") == 0 && d->depth > 0) {
		if (d->depth-- == 1)
			docx_table_end(d);
	} else if (d->depth != 1)
		return (0);
	else if (strcmp(name, "trPr") == 0)
		d->in_row_props = 0;
	else if (strcmp(name, "tcPr") == 0)
		d->in_cell_props = 0;
	else if (strcmp(name, "tc") == 0 && d->in_cell)
		return (docx_cell_end(d, cause));
	else if (strcmp(name, "tr") == 0)
		return (docx_row_end(d, cause));
	return (0);
}

/* Reads the main part, node by node. */
static int
docx_body(struct docx *d, char **cause)
{
	char	*err;
	int	 rv;

	while ((rv = xmlpart_next(d->x)) == 1) {
		rv = 0;
		if (xmlpart_type(d->x) == XMLPART_START)
			rv = docx_start(d, cause);
		else if (xmlpart_type(d->x) == XMLPART_END)
			rv = docx_end(d, cause);
		else if (xmlpart_type(d->x) == XMLPART_TEXT && d->in_text &&
		    d->in_run)
			plan_cell_add(&d->para, xmlpart_text(d->x), 0);
		if (rv == -1)
			break;
	}
	if (rv == -1 && xmlpart_failed(d->x)) {
		err = xmlpart_error(d->x);
		plan_office_error(cause, d->name, "%s", err);
		free(err);
	}
	return (rv == -1 ? -1 : 0);
}

/* Reads a Word document whose main part is "part". */
int
plan_docx_read(struct plan_reader *r, struct zipfile *zf, const char *part,
    char **cause)
{
	struct docx	 d;
	int		 rv = -1;

	memset(&d, 0, sizeof d);
	d.reader = r;
	d.name = zipfile_name(zf);
	plan_cell_init(&d.para);
	plan_cell_init(&d.cell);
	if ((d.lists = plan_docx_lists_load(zf, part, cause)) == NULL)
		goto out;
	if ((d.x = xmlpart_open(zf, part, cause)) == NULL)
		goto out;
	if ((rv = docx_body(&d, cause)) == 0 &&
	    !plan_reader_has_header(r))
		rv = plan_office_error(cause, d.name, "no plan table: none of "
		    "its %u tables has a header row naming the units or time "
		    "column (%s)", d.tables, "such as STT, Nhiệm vụ, Cơ quan "
		    "thực hiện, Thời gian thực hiện");
out:
	xmlpart_close(d.x);
	plan_grid_free(d.grid);
	plan_docx_lists_free(d.lists);
	plan_cell_free(&d.para);
	plan_cell_free(&d.cell);
	free(d.style);
	return (rv);
}
