#ifndef PLAN_PRIVATE_H
#define PLAN_PRIVATE_H

/*
 * Shared by the plan*.c files only.  A reader (plan-tsv.c, plan-csv.c, and
 * any later one: a table of a .docx or .xlsx) turns its input into rows of
 * cleaned cells and feeds them, with where each row is, to one record
 * builder (plan-reader.c), which recognises the header, maps the columns and
 * makes the records; prose outside the table goes to plan_reader_prose().
 */
#include <stddef.h>

#include "plan.h"

#define PLAN_MAX_COLUMNS	64
#define PLAN_NO_HEADER		"no table header found (expected columns " \
	"STT, Nhiệm vụ, Cơ quan thực hiện, Thời gian thực hiện)"

/*
 * Where a row starts: a line of a text or CSV file (table 0), or row "row"
 * (from 1) of the table'th table (from 1) of a document.
 */
struct plan_place {
	unsigned	table;
	unsigned	row;
};

/*
 * plan-reader.c: "NAME:LINE: message" or "NAME: table T, row R: message",
 * the form every reader's errors take.
 */
int	 plan_reader_error(char **, const char *, struct plan_place,
	    const char *, ...) __attribute__((format(printf, 4, 5)));

/*
 * plan-reader.c: the record builder.  A reader with PLAN_HEADER_FIRST (CSV)
 * must give the header as its first non-empty row; others may give rows
 * before it, which are skipped until a row names the units or time column.
 * Cells are cleaned text: plain UTF-8, one paragraph or bullet per line
 * ("\n"), no tabs or other controls, list markers ("- ", "1. ") kept at the
 * start of their line; cells of merged spans repeated in every row they
 * cover.  The cells are borrowed.  plan_reader_row() fails only for a
 * PLAN_HEADER_FIRST reader whose first row is no header.
 */
#define PLAN_HEADER_FIRST	0x1

struct plan_reader;
struct plan_reader *plan_reader_new(const char *, struct plan_table *, int);
int	 plan_reader_row(struct plan_reader *, struct plan_place, char **,
	    size_t, char **);
void	 plan_reader_prose(struct plan_reader *, const char *);
int	 plan_reader_has_header(const struct plan_reader *);
const char *plan_reader_name(const struct plan_reader *);
/* Fails when no header was seen; else gives the table the document facts. */
int	 plan_reader_finish(struct plan_reader *, char **);
void	 plan_reader_free(struct plan_reader *);
/* A later table's header row: its columns replace the current ones. */
int	 plan_reader_new_header(struct plan_reader *, struct plan_place,
	    char **, size_t, char **);
/* 1 if cells (cleaned) would be taken as the header of a table. */
int	 plan_reader_header_test(char **, size_t);

/*
 * plan-tsv.c and plan-csv.c: readers of a whole text, and their probes:
 * 1 if the text holds a table header where that reader looks for one.
 */
int	 plan_tsv_read(struct plan_reader *, const char *, const char *,
	    char **);
int	 plan_tsv_probe(const char *, const char *);
int	 plan_csv_read(struct plan_reader *, const char *, const char *,
	    char **);
int	 plan_csv_probe(const char *, const char *);

/* plan-facts.c: the title, year and date line in the prose. */
struct plan_facts {
	char	*title;
	char	*number;	/* "Số: 45/KH-UBND": "45/KH-UBND" */
	int	 title_next;	/* 0 before "KẾ HOẠCH", 1, 2 in the title */
	int	 date_year;
	int	 date_month;
	int	 date_day;
};
void	 plan_facts_line(struct plan_facts *, const char *);
void	 plan_facts_finish(struct plan_facts *, struct plan_table *);
void	 plan_facts_clear(struct plan_facts *);

/* plan-text.c: cell text and folding. */
char	*plan_text_clean(const char *, size_t);		/* caller frees */
char	*plan_text_fold(const char *);			/* caller frees */
int	 plan_text_fold_match(const char *, const char *, int);
int	 plan_text_blank(const char *, const char *);

/* plan-bullets.c */
int	 plan_bullets_starts_item(const char *);

#endif
