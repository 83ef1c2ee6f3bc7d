#ifndef OUTPUT_H
#define OUTPUT_H

#include <stdint.h>
#include <stdio.h>

#include "date.h"

/*
 * Listings for deadlinectl: rows of named columns printed as an aligned
 * table (dates dd/mm/yyyy), RFC 4180 CSV or JSON (dates ISO; JSON built
 * with jansson, never by hand).
 */
enum output_format {
	OUTPUT_TABLE,
	OUTPUT_CSV,
	OUTPUT_JSON
};

struct output;

int		 output_parse_format(const char *, enum output_format *);
struct output	*output_new(enum output_format, const char *const *);
/*
 * Never cuts the cells of a column in a table (long cells are cut at 60
 * columns): for what is copied from the terminal, such as addresses.
 */
void		 output_whole(struct output *, const char *);
/*
 * CSV for Excel: a UTF-8 byte order mark before the header, without which
 * Excel reads the file in the machine's legacy code page and garbles
 * Vietnamese.  output_excel() sets it for one output, output_excel_all()
 * for every output made after (deadlinectl --excel).
 */
void		 output_excel(struct output *, int);
void		 output_excel_all(int);
void		 output_row(struct output *);
void		 output_str(struct output *, const char *);
void		 output_int(struct output *, int64_t);
void		 output_date(struct output *, date_t);
void		 output_null(struct output *);
/* Prints everything and frees the output. */
void		 output_finish(struct output *, FILE *);
/* The same into memory; caller frees. */
char		*output_string(struct output *);

#endif
