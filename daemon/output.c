/* Table, CSV and JSON listings. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "log.h"
#include "output.h"
#include "utf8.h"
#include "xmalloc.h"

/* The width a table cuts a long cell at. */
#define OUTPUT_CUT	60

enum output_kind {
	OUTPUT_KIND_STR,
	OUTPUT_KIND_INT,
	OUTPUT_KIND_NULL
};

struct output_cell {
	enum output_kind	 kind;
	char			*text;		/* table and CSV form */
	char			*json_text;	/* JSON string form, if different */
	int64_t			 number;
};

struct output {
	enum output_format	  format;
	const char *const	 *columns;
	size_t			  ncolumns;
	unsigned char		 *whole;	/* per column: never cut */
	int			  excel;	/* CSV: a BOM first */
	struct output_cell	 *cells;
	size_t			  ncells;
	size_t			  scells;	/* allocated */
	size_t			  nrows;
};

/* Whether outputs made from now on are for Excel (output_excel_all()). */
static int output_excel_default;

int
output_parse_format(const char *s, enum output_format *out)
{
	if (strcmp(s, "table") == 0)
		*out = OUTPUT_TABLE;
	else if (strcmp(s, "csv") == 0)
		*out = OUTPUT_CSV;
	else if (strcmp(s, "json") == 0)
		*out = OUTPUT_JSON;
	else
		return (-1);
	return (0);
}

struct output *
output_new(enum output_format format, const char *const *columns)
{
	struct output	*o;

	o = xcalloc(1, sizeof *o);
	o->format = format;
	o->columns = columns;
	while (columns[o->ncolumns] != NULL)
		o->ncolumns++;
	o->whole = xcalloc(o->ncolumns + 1, 1);
	o->excel = output_excel_default;
	return (o);
}

void
output_excel(struct output *o, int on)
{
	o->excel = on;
}

void
output_excel_all(int on)
{
	output_excel_default = on;
}

void
output_whole(struct output *o, const char *column)
{
	size_t	i;

	for (i = 0; i < o->ncolumns; i++) {
		if (strcmp(o->columns[i], column) == 0)
			o->whole[i] = 1;
	}
}

void
output_row(struct output *o)
{
	o->nrows++;
}

/* Appends a cell to the current row. */
static struct output_cell *
output_cell(struct output *o, enum output_kind kind)
{
	struct output_cell	*c;

	/* Doubling: a listing of thousands of rows is linear, not quadratic. */
	if (o->ncells == o->scells) {
		o->scells = o->scells == 0 ? 256 : o->scells * 2;
		o->cells = xreallocarray(o->cells, o->scells, sizeof *o->cells);
	}
	c = &o->cells[o->ncells++];
	memset(c, 0, sizeof *c);
	c->kind = kind;
	return (c);
}

void
output_str(struct output *o, const char *s)
{
	if (s == NULL) {
		output_null(o);
		return;
	}
	output_cell(o, OUTPUT_KIND_STR)->text = xstrdup(s);
}

void
output_int(struct output *o, int64_t v)
{
	struct output_cell	*c = output_cell(o, OUTPUT_KIND_INT);

	c->number = v;
	xasprintf(&c->text, "%lld", (long long)v);
}

void
output_date(struct output *o, date_t d)
{
	struct output_cell	*c;
	char			 buf[11];

	if (d == DATE_NONE) {
		output_null(o);
		return;
	}
	c = output_cell(o, OUTPUT_KIND_STR);
	if (o->format == OUTPUT_TABLE)
		date_format_vn(d, buf);
	else
		date_format_iso(d, buf);
	c->text = xstrdup(buf);
}

void
output_null(struct output *o)
{
	output_cell(o, OUTPUT_KIND_NULL)->text = xstrdup("");
}

/*
 * Prints the cells as an aligned table; long cells are cut at 60 columns,
 * but in the columns output_whole names.
 */
static void
output_table(struct output *o, FILE *f)
{
	size_t	*width, i, r, w, len, cut;

	width = xcalloc(o->ncolumns, sizeof *width);
	for (i = 0; i < o->ncolumns; i++)
		width[i] = utf8_width(o->columns[i], strlen(o->columns[i]));
	for (i = 0; i < o->ncells; i++) {
		w = utf8_width(o->cells[i].text,
		    strlen(o->cells[i].text));
		cut = o->whole[i % o->ncolumns] ? SIZE_MAX : OUTPUT_CUT;
		if (w > cut)
			w = cut;
		if (w > width[i % o->ncolumns])
			width[i % o->ncolumns] = w;
	}
	for (i = 0; i < o->ncolumns; i++) {
		len = strlen(o->columns[i]);
		if (i + 1 == o->ncolumns)	/* no trailing blanks */
			fprintf(f, "%s%s", i ? "  " : "", o->columns[i]);
		else
			fprintf(f, "%s%-*s", i ? "  " : "", (int)(width[i] +
			    len - utf8_width(o->columns[i], len)),
			    o->columns[i]);
	}
	fputc('\n', f);
	for (r = 0; r < o->nrows; r++) {
		for (i = 0; i < o->ncolumns && r * o->ncolumns + i < o->ncells;
		    i++) {
			const char *t = o->cells[r * o->ncolumns + i].text;
			size_t tw;
			struct buf b;

			len = strlen(t);
			tw = utf8_width(t, len);
			cut = o->whole[i] ? SIZE_MAX : OUTPUT_CUT;
			buf_init(&b);
			if (tw > cut) {
				buf_add(&b, t, utf8_cut_width(t, len, cut - 1));
				buf_adds(&b, "…");
				tw = cut;
			} else
				buf_adds(&b, t);
			for (; tw < width[i] && i + 1 < o->ncolumns; tw++)
				buf_addc(&b, ' ');
			fprintf(f, "%s%s", i ? "  " : "", b.data);
			buf_free(&b);
		}
		fputc('\n', f);
	}
	free(width);
}

/*
 * 1 if a spreadsheet would read a text cell as a formula: it starts with
 * =, +, -, @, TAB or CR (OWASP, "CSV Injection").
 */
static int
output_csv_formula(const char *s)
{
	return (*s != '\0' && strchr("=+-@\t\r", *s) != NULL);
}

/*
 * Writes one CSV field with RFC 4180 quoting.  A text cell that could be
 * read as a formula gets a leading apostrophe, which spreadsheets show
 * as text and do not run (deadlinectl(1)); numbers are written as they
 * are.
 */
static void
output_csv_field(FILE *f, const char *s, int text)
{
	int	quote = strpbrk(s, ",\"\r\n") != NULL;

	if (quote)
		fputc('"', f);
	if (text && output_csv_formula(s))
		fputc('\'', f);
	if (!quote) {
		fputs(s, f);
		return;
	}
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/*
 * Prints the cells as CSV with a header row and CRLF line ends, after a
 * UTF-8 byte order mark for Excel.
 */
static void
output_csv(struct output *o, FILE *f)
{
	size_t	i, r;

	if (o->excel)
		fputs("\xef\xbb\xbf", f);
	for (i = 0; i < o->ncolumns; i++) {
		if (i > 0)
			fputc(',', f);
		output_csv_field(f, o->columns[i], 0);
	}
	fputs("\r\n", f);
	for (r = 0; r < o->nrows; r++) {
		for (i = 0; i < o->ncolumns; i++) {
			if (i > 0)
				fputc(',', f);
			if (r * o->ncolumns + i < o->ncells)
				output_csv_field(f,
				    o->cells[r * o->ncolumns + i].text,
				    o->cells[r * o->ncolumns + i].kind ==
				    OUTPUT_KIND_STR);
		}
		fputs("\r\n", f);
	}
}

/* Prints the cells as a JSON array of objects. */
static void
output_json(struct output *o, FILE *f)
{
	json_t	*array, *row, *v;
	size_t	 i, r;
	char	*text;

	array = json_array();
	for (r = 0; r < o->nrows; r++) {
		row = json_object();
		for (i = 0; i < o->ncolumns; i++) {
			struct output_cell *c;

			if (r * o->ncolumns + i >= o->ncells)
				break;
			c = &o->cells[r * o->ncolumns + i];
			if (c->kind == OUTPUT_KIND_INT)
				v = json_integer(c->number);
			else if (c->kind == OUTPUT_KIND_NULL)
				v = json_null();
			else if ((v = json_string(c->text)) == NULL)
				v = json_stringn_nocheck(c->text,
				    strlen(c->text));
			json_object_set_new(row, o->columns[i], v);
		}
		json_array_append_new(array, row);
	}
	text = json_dumps(array, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (text != NULL) {
		fputs(text, f);
		fputc('\n', f);
		free(text);
	}
	json_decref(array);
}

void
output_finish(struct output *o, FILE *f)
{
	size_t	i;

	switch (o->format) {
	case OUTPUT_TABLE:
		output_table(o, f);
		break;
	case OUTPUT_CSV:
		output_csv(o, f);
		break;
	case OUTPUT_JSON:
		output_json(o, f);
		break;
	}
	for (i = 0; i < o->ncells; i++) {
		free(o->cells[i].text);
		free(o->cells[i].json_text);
	}
	free(o->cells);
	free(o->whole);
	free(o);
}

char *
output_string(struct output *o)
{
	char	*text = NULL;
	size_t	 len = 0;
	FILE	*f;

	if ((f = open_memstream(&text, &len)) == NULL)
		fatal("open_memstream");
	output_finish(o, f);
	if (fclose(f) != 0)
		fatal("open_memstream");
	return (text);
}
