#ifndef PLAN_H
#define PLAN_H

#include <stddef.h>

/*
 * Reads a plan document into records: the seed's text export (tab-separated
 * table with repeated page headers, rows split across pages, HTML fragments
 * in cells, prose around the table) or RFC 4180 CSV with a header row.
 * Cells come out as plain UTF-8 text: HTML removed, entities decoded, one
 * bullet or paragraph per line.  Every string of a record is allocated and
 * never NULL ("" when empty); a cell cut by a page break is joined again.
 */
enum plan_record_type {
	PLAN_SECTION,		/* "I  CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH" */
	PLAN_SUBHEADING,	/* "Nội dung cần khắc phục" */
	PLAN_TASK
};

enum plan_category {
	PLAN_CATEGORY_NONE,
	PLAN_CATEGORY_FIX,	/* "Nội dung cần khắc phục" */
	PLAN_CATEGORY_MAINTAIN	/* "Nội dung cần duy trì (thực hiện)" */
};

struct plan_record {
	enum plan_record_type	 type;
	unsigned		 table;		/* 0, or the Nth table of a document */
	unsigned		 line;		/* first source line of the row, or
						   its row in that table */
	char			*number;	/* STT as written: "I", "1", "" */
	char			*section;	/* number of the current section */
	enum plan_category	 category;	/* from the current subheading */
	char			*content;	/* section title / subheading / content */
	char			*action;	/* "Nhiệm vụ, giải pháp" */
	char			*units;		/* "Cơ quan thực hiện" or the
						   lead: "Đơn vị chủ trì" */
	char			*support;	/* "Đơn vị phối hợp" */
	char			*time;		/* "Thời gian thực hiện" */
	char			*notes;		/* "Ghi chú", then "Header: value"
						   lines of the product ("Sản
						   phẩm") and unknown columns */
};

/* A column not understood: its header, or "column N, no header". */
struct plan_unknown {
	char			*name;
	unsigned		 table;		/* as in a record */
	unsigned		 line;		/* of the header, or first cell */
};

struct plan_table {
	struct plan_record	*records;
	size_t			 n;
	char			*title;		/* the document's title or NULL */
	char			*number;	/* its number ("45/KH-UBND") or
						   NULL */
	int			 year;		/* year the document names, or 0 */
	int			 issued_year;	/* its place-and-date line: */
	int			 issued_month;	/* "Tuy Phước, ngày 12 tháng 3 */
	int			 issued_day;	/* năm 2024"; 0 when absent */
	struct plan_unknown	*unknown;	/* columns kept only in notes */
	size_t			 nunknown;
};

#define PLAN_MAX_FILE	(32 * 1024 * 1024)
#define PLAN_MAX_LINE	(1024 * 1024)

/*
 * Reads a plan.  The format is found by content: the text export when a
 * tab-separated line is a table header, CSV when its first row is one; a
 * text with neither is read (for the error) as CSV when its name ends in
 * ".csv" or its first line has commas and no tabs, else as the export.
 * On error fills *cause with "FILE:LINE: message" (caller frees), returns
 * -1 and leaves the table empty.  plan_table_free(NULL) is safe.
 */
int	 plan_read_file(const char *, struct plan_table *, char **);
int	 plan_read_buffer(const char *, const char *, size_t,
	    struct plan_table *, char **);
/*
 * The same for office documents too (.docx, .xlsx, .odt, .ods, found by
 * content; other binary formats are refused with how to convert them):
 * sheet names the sheet of a spreadsheet to read, NULL for the first
 * with a plan header.
 */
int	 plan_read_file_sheet(const char *, const char *,
	    struct plan_table *, char **);
int	 plan_read_buffer_sheet(const char *, const char *, size_t,
	    const char *, struct plan_table *, char **);
void	 plan_table_free(struct plan_table *);
/*
 * A plan code from the document's number and year ("45/KH-UBND" of 2024:
 * "45-kh-ubnd-2024"), or NULL if it has none; caller frees.
 */
char	*plan_number_code(const struct plan_table *);
/*
 * Splits a cell into its items; caller frees with plan_bullets_free().
 * Items are the lines of the cell, without a leading "- ", "+ ", "* ",
 * "• " or "– " marker; a line that starts with such a marker is also split
 * at " - " (the same marker between spaces) when an upper-case letter, or a
 * digit not preceded by a digit, follows ("- Quý II/2024 - Theo yêu cầu",
 * "- Tháng 6/2024 - Tháng 6/2024", but not "2021 - 2025" or "kinh tế - xã
 * hội").  Numbered items "1. a. 2. b" are split when the numbers run in
 * sequence from 1, at the start of a line or after ". ".  Items are trimmed
 * of spaces only; an empty cell gives 0 items.
 */
size_t	 plan_split_bullets(const char *, char ***);
void	 plan_bullets_free(char **, size_t);

#endif
