/*
 * The cells of office documents: their text cleaned as it is read (the
 * record builder's contract: one paragraph or bullet a line, no controls),
 * and the grid of a table, where a cell merged over several rows is given
 * to each of them and one merged over several columns to the first.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan-grid.h"
#include "plan-office-parts.h"
#include "utf8.h"

/* Sets up an empty cell text. */
void
plan_cell_init(struct plan_cell *c)
{
	buf_init(&c->out);
	buf_init(&c->line);
	c->space = 0;
	c->too_long = 0;
}

/* Frees a cell text; it may be set up again. */
void
plan_cell_free(struct plan_cell *c)
{
	buf_free(&c->out);
	buf_free(&c->line);
	c->space = c->too_long = 0;
}

/* Ends the current line: kept if it has text. */
void
plan_cell_break(struct plan_cell *c)
{
	if (c->line.len > 0) {
		if (c->out.len > 0)
			buf_addc(&c->out, '\n');
		buf_add(&c->out, c->line.data, c->line.len);
		c->line.len = 0;
		c->line.data[0] = '\0';
	}
	c->space = 0;
}

/* 1 if a code point is white space or a control: it becomes one space. */
static int
plan_cell_is_space(uint32_t cp)
{
	return (cp <= ' ' || cp == 0x7f || (cp >= 0x80 && cp <= 0xa0) ||
	    cp == 0x2028 || cp == 0x2029 || cp == 0x3000 ||
	    (cp >= 0x2000 && cp <= 0x200a) || cp == 0x202f || cp == 0x205f);
}

/* 1 if a code point is invisible and dropped (soft hyphen, BOM, ZW*). */
static int
plan_cell_is_dropped(uint32_t cp)
{
	return (cp == 0xad || cp == 0xfeff || (cp >= 0x200b &&
	    cp <= 0x200d) || cp == 0x2060);
}

/* Adds one code point to the current line. */
static void
plan_cell_cp(struct plan_cell *c, uint32_t cp)
{
	char	 s[4];
	size_t	 n;

	if (plan_cell_is_dropped(cp))
		return;
	if (plan_cell_is_space(cp)) {
		c->space = 1;
		return;
	}
	n = utf8_encode(cp, s);
	if (c->out.len + c->line.len + n + 1 > PLAN_MAX_LINE) {
		c->too_long = 1;
		return;
	}
	if (c->space && c->line.len > 0)
		buf_addc(&c->line, ' ');
	c->space = 0;
	buf_add(&c->line, s, n);
}

/* Adds text; with breaks, a '\n' in it ends the line. */
void
plan_cell_add(struct plan_cell *c, const char *s, int breaks)
{
	size_t		 n = strlen(s), len;
	uint32_t	 cp;

	while (n > 0) {
		if ((len = utf8_decode(s, n, &cp)) == 0) {
			cp = 0xfffd;
			len = 1;
		}
		if (cp == '\n' && breaks)
			plan_cell_break(c);
		else
			plan_cell_cp(c, cp);
		s += len;
		n -= len;
	}
}

/* 1 if no text was added since the last take. */
int
plan_cell_empty(const struct plan_cell *c)
{
	return (c->out.len == 0 && c->line.len == 0);
}

/* The cleaned text; caller frees; the cell is empty again. */
char *
plan_cell_take(struct plan_cell *c)
{
	char	*text;

	plan_cell_break(c);
	text = buf_steal(&c->out);
	plan_cell_free(c);
	plan_cell_init(c);
	return (text);
}

/* A text spanning rows from a cell above. */
struct plan_span {
	char		*text;
	unsigned	 until;		/* last row it covers */
};

struct plan_grid {
	struct plan_reader	*reader;
	unsigned		 table;
	unsigned		 row;
	unsigned		 width;
	char			*cells[PLAN_MAX_COLUMNS];
	struct plan_span	 spans[PLAN_MAX_COLUMNS];
};

/* A grid for the table'th table of the document. */
struct plan_grid *
plan_grid_new(struct plan_reader *r, unsigned table)
{
	struct plan_grid	*g = xcalloc(1, sizeof *g);

	g->reader = r;
	g->table = table;
	return (g);
}

/* Forgets the span of a column. */
static void
plan_grid_end_span(struct plan_grid *g, unsigned col)
{
	free(g->spans[col].text);
	g->spans[col].text = NULL;
	g->spans[col].until = 0;
}

/* Frees the cells of the current row. */
static void
plan_grid_clear_row(struct plan_grid *g)
{
	unsigned	 i;

	for (i = 0; i < PLAN_MAX_COLUMNS; i++) {
		free(g->cells[i]);
		g->cells[i] = NULL;
	}
}

/* Frees the grid; NULL is safe. */
void
plan_grid_free(struct plan_grid *g)
{
	unsigned	 i;

	if (g == NULL)
		return;
	plan_grid_clear_row(g);
	for (i = 0; i < PLAN_MAX_COLUMNS; i++)
		plan_grid_end_span(g, i);
	free(g);
}

/* Starts row "row" (from 1) of the table. */
void
plan_grid_row_begin(struct plan_grid *g, unsigned row)
{
	plan_grid_clear_row(g);
	g->row = row;
}

/* Columns the rows have had so far. */
unsigned
plan_grid_width(const struct plan_grid *g)
{
	return (g->width);
}

/* 1 if the column is covered by a cell spanning rows from above. */
int
plan_grid_spanned(const struct plan_grid *g, unsigned col)
{
	return (col < PLAN_MAX_COLUMNS && g->spans[col].text != NULL &&
	    g->spans[col].until >= g->row);
}

/* Marks columns col+1 .. col+span-1 of the row as empty cells. */
static void
plan_grid_fill(struct plan_grid *g, unsigned col, unsigned span)
{
	unsigned	 i;

	for (i = col + 1; i < col + span && i < PLAN_MAX_COLUMNS; i++) {
		if (g->cells[i] == NULL)
			g->cells[i] = xstrdup("");
	}
	if (col + span > g->width)
		g->width = col + span > PLAN_MAX_COLUMNS ? PLAN_MAX_COLUMNS :
		    col + span;
}

/* Places cell text (taken over) at a column; -1 past PLAN_MAX_COLUMNS. */
int
plan_grid_put(struct plan_grid *g, unsigned col, char *text, unsigned cols,
    unsigned rows)
{
	unsigned	 i;

	if (col >= PLAN_MAX_COLUMNS) {
		free(text);
		return (-1);
	}
	if (cols == 0)
		cols = 1;
	free(g->cells[col]);
	g->cells[col] = text;
	for (i = col; i < col + cols && i < PLAN_MAX_COLUMNS; i++)
		plan_grid_end_span(g, i);
	if (rows > 1) {
		g->spans[col].text = xstrdup(text);
		g->spans[col].until = rows == PLAN_SPAN_OPEN ? PLAN_SPAN_OPEN :
		    g->row + rows - 1;
	}
	plan_grid_fill(g, col, cols);
	return (0);
}

/* A covered cell: the text of the span above it, if any; -1 as above. */
int
plan_grid_cover(struct plan_grid *g, unsigned col, unsigned cols)
{
	if (col >= PLAN_MAX_COLUMNS)
		return (-1);
	if (cols == 0)
		cols = 1;
	if (g->cells[col] == NULL)
		g->cells[col] = xstrdup(plan_grid_spanned(g, col) ?
		    g->spans[col].text : "");
	plan_grid_fill(g, col, cols);
	return (0);
}

/*
 * Completes the row: a column no cell was placed in takes the text of a
 * span of counted rows above it; an open span (a Word vertical merge)
 * not continued in this row ends.
 */
static unsigned
plan_grid_complete(struct plan_grid *g)
{
	unsigned	 i, n = 0;

	for (i = 0; i < PLAN_MAX_COLUMNS; i++) {
		if (g->cells[i] == NULL && g->spans[i].until == PLAN_SPAN_OPEN)
			plan_grid_end_span(g, i);
		else if (g->cells[i] == NULL && plan_grid_spanned(g, i))
			g->cells[i] = xstrdup(g->spans[i].text);
		if (g->cells[i] != NULL)
			n = i + 1;
	}
	for (i = 0; i < n; i++) {
		if (g->cells[i] == NULL)
			g->cells[i] = xstrdup("");
	}
	if (n > g->width)
		g->width = n;
	return (n);
}

/* 1 if the cells of the row so far would be taken as a table header. */
int
plan_grid_header_test(const struct plan_grid *g)
{
	char		*cells[PLAN_MAX_COLUMNS];
	unsigned	 i, n = 0;

	for (i = 0; i < PLAN_MAX_COLUMNS; i++) {
		cells[i] = g->cells[i] != NULL ? g->cells[i] : (char *)"";
		if (g->cells[i] != NULL)
			n = i + 1;
	}
	return (n > 0 && plan_reader_header_test(cells, n));
}

/* 1 if no cell of the row so far has text. */
int
plan_grid_row_empty(const struct plan_grid *g)
{
	unsigned	 i;

	for (i = 0; i < PLAN_MAX_COLUMNS; i++) {
		if (g->cells[i] != NULL && *g->cells[i] != '\0')
			return (0);
	}
	return (1);
}

/* Feeds a text of paragraphs ("\n" between lines) as prose. */
void
plan_grid_prose(struct plan_reader *r, const char *text)
{
	const char	*eol;
	char		*line;

	while (*text != '\0') {
		if ((eol = strchr(text, '\n')) == NULL)
			eol = text + strlen(text);
		line = xstrndup(text, (size_t)(eol - text));
		plan_reader_prose(r, line);
		free(line);
		text = *eol == '\n' ? eol + 1 : eol;
	}
}

/* Ends the row and hands it on as the kind says; -1 and *cause. */
int
plan_grid_row_end(struct plan_grid *g, enum plan_grid_row kind,
    char **cause)
{
	struct plan_place	 place = { g->table, g->row };
	unsigned		 n = plan_grid_complete(g), i;
	int			 had = plan_reader_has_header(g->reader);

	if (kind == PLAN_GRID_SKIP || n == 0)
		return (0);
	if (kind == PLAN_GRID_HEADER)
		return (plan_reader_new_header(g->reader, place, g->cells, n,
		    cause));
	if (kind == PLAN_GRID_ROW) {
		if (plan_reader_row(g->reader, place, g->cells, n,
		    cause) == -1)
			return (-1);
		if (had || plan_reader_has_header(g->reader))
			return (0);
	}
	for (i = 0; i < n; i++) {
		if (*g->cells[i] != '\0') {
			plan_grid_prose(g->reader, g->cells[i]);
			plan_reader_prose(g->reader, "");
		}
	}
	return (0);
}

/* The text a column of the row will have, or NULL. */
static const char *
plan_grid_text_at(const struct plan_grid *g, unsigned col)
{
	if (g->cells[col] != NULL)
		return (g->cells[col]);
	if (plan_grid_spanned(g, col) && g->spans[col].until != PLAN_SPAN_OPEN)
		return (g->spans[col].text);
	return (NULL);
}

/* 1 if the row has no text, merged from above or its own. */
static int
plan_grid_row_blank(const struct plan_grid *g)
{
	const char	*text;
	unsigned	 i;

	for (i = 0; i < PLAN_MAX_COLUMNS; i++) {
		if ((text = plan_grid_text_at(g, i)) != NULL && *text != '\0')
			return (0);
	}
	return (1);
}

/* 1 if text is a task's number: "3", "1.2", "IV". */
static int
plan_grid_is_number(const char *text)
{
	size_t	 n = strlen(text);

	if (n == 0 || n > 8)
		return (0);
	return (strspn(text, "0123456789.") == n ||
	    strspn(text, "IVXL") == n);
}

/* 1 if the row looks like a task: a number first, two more cells. */
static int
plan_grid_looks_like_task(const struct plan_grid *g)
{
	const char	*text;
	unsigned	 i, filled = 0;
	int		 first = 1, number = 0;

	for (i = 0; i < PLAN_MAX_COLUMNS; i++) {
		if ((text = plan_grid_text_at(g, i)) == NULL || *text == '\0')
			continue;
		if (first)
			number = plan_grid_is_number(text);
		first = 0;
		filled++;
	}
	return (number && filled >= 3);
}

/*
 * 1 if the row is prose: text alone in column col, not a number (merged
 * across or not: LibreOffice merges a paragraph across the sheet).
 */
static int
plan_grid_prose_row(const struct plan_grid *g, unsigned col)
{
	const char	*text;
	unsigned	 i;

	for (i = 0; i < PLAN_MAX_COLUMNS; i++) {
		text = plan_grid_text_at(g, i);
		if (i != col && text != NULL && *text != '\0')
			return (0);
	}
	text = plan_grid_text_at(g, col);
	return (col < PLAN_MAX_COLUMNS && text != NULL && *text != '\0' &&
	    !plan_grid_is_number(text));
}

/* The column of the row's first cell with text. */
static unsigned
plan_grid_first_col(const struct plan_grid *g)
{
	const char	*text;
	unsigned	 i;

	for (i = 0; i < PLAN_MAX_COLUMNS; i++) {
		if ((text = plan_grid_text_at(g, i)) != NULL && *text != '\0')
			return (i);
	}
	return (0);
}

/* Rows missing between row prev and row r of a sheet are empty rows. */
void
plan_grid_sheet_gap(struct plan_sheet *flow, unsigned prev, unsigned r)
{
	if (flow->state == PLAN_SHEET_TABLE && r > prev + 1) {
		flow->state = PLAN_SHEET_AFTER;
		flow->empty_row = prev + 1;
	}
}

/* Ends a row of a sheet (see plan-office.h); -1 and *cause. */
int
plan_grid_sheet_row_end(struct plan_grid *g, struct plan_sheet *flow,
    char **cause)
{
	enum plan_grid_row	 kind = PLAN_GRID_ROW;
	int			 rv;

	if (flow->state == PLAN_SHEET_TABLE && (plan_grid_row_blank(g) ||
	    plan_grid_prose_row(g, flow->first_col))) {
		flow->state = PLAN_SHEET_AFTER;
		flow->empty_row = g->row;
		kind = PLAN_GRID_SKIP;
	} else if (flow->state == PLAN_SHEET_AFTER) {
		if (plan_grid_row_blank(g))
			kind = PLAN_GRID_SKIP;
		else if (plan_grid_header_test(g)) {
			flow->state = PLAN_SHEET_TABLE;
			kind = PLAN_GRID_HEADER;
		}
		else if (plan_grid_looks_like_task(g))
			return (plan_office_error(cause,
			    plan_reader_name(g->reader), "table %u, row %u: a "
			    "row of the table after row %u, which ends it (an "
			    "empty row, or text in the first column alone)",
			    g->table, g->row, flow->empty_row));
		else
			kind = PLAN_GRID_SKIP;
	}
	rv = plan_grid_row_end(g, kind, cause);
	if (flow->state == PLAN_SHEET_BEFORE &&
	    plan_reader_has_header(g->reader)) {
		flow->state = PLAN_SHEET_TABLE;
		flow->first_col = plan_grid_first_col(g);
	}
	return (rv);
}
