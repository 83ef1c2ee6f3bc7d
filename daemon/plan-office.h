#ifndef PLAN_OFFICE_H
#define PLAN_OFFICE_H

/*
 * Shared by the readers of office documents (plan-office.c chooses among
 * plan-docx.c, plan-xlsx.c and plan-odf.c): the text of a cell or
 * paragraph as it is built, and the grid that resolves merged cells into
 * the rows the record builder takes (plan-grid.c).
 */
#include <stddef.h>

#include "plan-private.h"
#include "xmalloc.h"

struct zipfile;

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

/* plan-office.c: the document's errors, "NAME: message"; returns -1. */
int	 plan_office_error(char **, const char *, const char *, ...)
	    __attribute__((format(printf, 3, 4)));

/*
 * A list item's number n in a style: '1' (3), '0' (03), 'a' (c), 'A',
 * 'i' (iii), 'I'; into out.
 */
void	 plan_office_number(char, int, char *, size_t);
/* A bullet character as a house marker ("-", "+", "•"...) into out. */
void	 plan_office_bullet(const char *, char *, size_t);

/* The readers; each fills the builder or *cause. */
int	 plan_docx_read(struct plan_reader *, struct zipfile *, const char *,
	    char **);
int	 plan_xlsx_read(struct plan_reader *, struct zipfile *, const char *,
	    const char *, char **);
int	 plan_odf_read(struct plan_reader *, struct zipfile *, int,
	    const char *, char **);

/* Closes a part read to its end: 0, or -1 and *cause if rv is -1. */
struct xmlpart;
int	 plan_office_part_end(struct xmlpart *, struct zipfile *, int,
	    char **);

/* plan-docx-lists.c: list markers of Word paragraphs. */
struct plan_docx_lists;
struct plan_docx_lists *plan_docx_lists_load(struct zipfile *, const char *,
	    char **);
void	 plan_docx_lists_marker(struct plan_docx_lists *, int, int,
	    const char *, char *, size_t);
void	 plan_docx_lists_free(struct plan_docx_lists *);

/* plan-office.c: office documents by content (see plan.c). */
int	 plan_office_probe(const char *, size_t);
int	 plan_office_read(const char *, const char *, size_t, const char *,
	    struct plan_table *, char **);

/* OOXML relationships: the target of the first of a type, resolved. */
char	*plan_office_rel(struct zipfile *, const char *, const char *,
	    char **);				/* caller frees */
char	*plan_office_rel_id(struct zipfile *, const char *, const char *,
	    char **);				/* caller frees */

#endif
