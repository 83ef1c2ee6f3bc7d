#ifndef PLAN_GRID_H
#define PLAN_GRID_H

/*
 * Shared by the readers of office documents (plan-docx.c, plan-xlsx.c,
 * plan-odf.c): the text of a cell or paragraph as it is built, and the
 * grid that resolves merged cells into the rows the record builder takes.
 */
#include <stddef.h>

#include "plan-private.h"
#include "xmalloc.h"


/*
 * Cleaned text being built: white space and controls collapse to one
 * space, lines are trimmed and empty ones dropped, a line ends at
 * plan_cell_break() (and at '\n' in the text when asked).  Past
 * PLAN_MAX_LINE bytes the rest is dropped and too_long is set.
 */
struct plan_cell {
	struct buf	 out;
	struct buf	 line;
	int		 space;
	int		 too_long;
};
void	 plan_cell_init(struct plan_cell *);
void	 plan_cell_add(struct plan_cell *, const char *, int);
void	 plan_cell_break(struct plan_cell *);
int	 plan_cell_empty(const struct plan_cell *);
char	*plan_cell_take(struct plan_cell *);	/* caller frees; reinits */
void	 plan_cell_free(struct plan_cell *);

/*
 * One table's rows as cells are placed into grid columns.  A cell that
 * spans rows is remembered and repeated in each row it covers (the record
 * builder's contract); one that spans columns leaves the others empty.
 */
#define PLAN_SPAN_OPEN	0xffffffffU	/* rows: until a cell ends it */

enum plan_grid_row {
	PLAN_GRID_ROW,		/* a row of the table, for the builder */
	PLAN_GRID_HEADER,	/* a later table's header, maybe new */
	PLAN_GRID_PROSE,	/* the cells' lines are prose */
	PLAN_GRID_SKIP		/* a repeated header row: dropped */
};

struct plan_grid;
struct plan_grid *plan_grid_new(struct plan_reader *, unsigned);
void	 plan_grid_free(struct plan_grid *);
void	 plan_grid_row_begin(struct plan_grid *, unsigned);
/* Places cell text (taken over) at a column; -1 past PLAN_MAX_COLUMNS. */
int	 plan_grid_put(struct plan_grid *, unsigned, char *, unsigned,
	    unsigned);
/* A covered cell: the text of the span above it, if any; -1 as above. */
int	 plan_grid_cover(struct plan_grid *, unsigned, unsigned);
/* 1 if the column is covered by a cell spanning rows from above. */
int	 plan_grid_spanned(const struct plan_grid *, unsigned);
/* Ends the row and hands it on as the kind says; -1 and *cause. */
int	 plan_grid_row_end(struct plan_grid *, enum plan_grid_row, char **);
/* 1 if the cells of the row so far would be taken as a table header. */
int	 plan_grid_header_test(const struct plan_grid *);
/*
 * A sheet's rows: offered to the builder until its header (those that are
 * no header are prose), then the table's rows up to an empty row or a row
 * of prose (text in the table's first column alone, not a number), after
 * which rows are left out unless they repeat a
 * header; a row that looks like a task there is an error, not something
 * dropped in silence.
 */
enum plan_sheet_state {
	PLAN_SHEET_BEFORE,
	PLAN_SHEET_TABLE,
	PLAN_SHEET_AFTER
};
struct plan_sheet {
	enum plan_sheet_state	 state;
	unsigned		 empty_row;	/* the row that ended it */
	unsigned		 first_col;	/* the header's first cell */
};
int	 plan_grid_sheet_row_end(struct plan_grid *, struct plan_sheet *,
	    char **);
/* Rows missing before row r (a gap in a sheet) are empty rows. */
void	 plan_grid_sheet_gap(struct plan_sheet *, unsigned, unsigned);
/* 1 if no cell of the row so far has text. */
int	 plan_grid_row_empty(const struct plan_grid *);
/* Columns the rows have had so far. */
unsigned plan_grid_width(const struct plan_grid *);
/* Feeds a text of paragraphs ("\n" between lines) as prose. */
void	 plan_grid_prose(struct plan_reader *, const char *);

#endif
