/*
 * RFC 4180 CSV with the header as its first row: fields quoted or not,
 * "" for a quote inside quotes, line breaks inside quoted fields, CR LF or
 * LF.  A row's place is the line where it starts.
 */
#include <stdlib.h>
#include <string.h>

#include "plan-private.h"
#include "xmalloc.h"

/* Fills *cause with "NAME:LINE: msg" for a CSV error; returns -1. */
static int
plan_csv_error(char **cause, const char *name, unsigned line,
    const char *msg)
{
	struct plan_place	 place = { 0, line };

	return (plan_reader_error(cause, name, place, "%s", msg));
}

/* Reads one CSV field at *pp into b, unquoting it. */
static int
plan_csv_field(const char *name, const char **pp, const char *end,
    unsigned *line, struct buf *b, char **cause)
{
	const char	*p = *pp, *s;
	unsigned	 start = *line;

	if (p >= end || *p != '"') {
		for (s = p; p < end && *p != ',' && *p != '\n' && *p != '\r';)
			p++;
		buf_add(b, s, (size_t)(p - s));
		*pp = p;
		return (0);
	}
	for (p++;; p++) {
		if (p >= end)
			return (plan_csv_error(cause, name, start,
			    "unterminated quoted field"));
		if (*p == '"' && p + 1 < end && p[1] == '"')
			p++;
		else if (*p == '"')
			break;
		else if (*p == '\n')
			(*line)++;
		buf_addc(b, *p);
	}
	p++;
	if (p < end && *p != ',' && *p != '\n' && *p != '\r')
		return (plan_csv_error(cause, name, *line,
		    "text after a closing quote"));
	*pp = p;
	return (0);
}

/* Reads one CSV record into cleaned cells; *n is their count. */
static int
plan_csv_record(const char *name, const char **pp, const char *end,
    unsigned *line, char **cells, size_t *n, char **cause)
{
	struct buf		 b;
	struct plan_place	 place = { 0, 0 };

	*n = 0;
	for (;;) {
		if (*n == PLAN_MAX_COLUMNS) {
			place.row = *line;
			return (plan_reader_error(cause, name, place,
			    "more than %d columns", PLAN_MAX_COLUMNS));
		}
		buf_init(&b);
		if (plan_csv_field(name, pp, end, line, &b, cause) == -1) {
			buf_free(&b);
			return (-1);
		}
		cells[(*n)++] = plan_text_clean(b.data, b.len);
		buf_free(&b);
		if (*pp < end && **pp == ',') {
			(*pp)++;
			continue;
		}
		break;
	}
	if (*pp < end && **pp == '\r')
		(*pp)++;
	if (*pp < end && **pp == '\n')
		(*pp)++;
	(*line)++;
	return (0);
}

/* Frees n cells. */
static void
plan_csv_cells_free(char **cells, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(cells[i]);
}

/* Reads an RFC 4180 CSV table whose first row is the header. */
int
plan_csv_read(struct plan_reader *r, const char *p, const char *end,
    char **cause)
{
	char			*cells[PLAN_MAX_COLUMNS];
	const char		*name = plan_reader_name(r);
	struct plan_place	 place = { 0, 0 };
	size_t			 n;
	unsigned		 line = 1;
	int			 rv;

	while (p < end) {
		place.row = line;
		rv = plan_csv_record(name, &p, end, &line, cells, &n, cause);
		if (rv == 0)
			rv = plan_reader_row(r, place, cells, n, cause);
		plan_csv_cells_free(cells, n);
		if (rv == -1)
			return (-1);
	}
	return (0);
}

/* 1 if the first row of the text with any text in it is a table header. */
int
plan_csv_probe(const char *p, const char *end)
{
	char		*cells[PLAN_MAX_COLUMNS];
	size_t		 n, i;
	unsigned	 line = 1;
	int		 found = -1;

	while (found == -1 && p < end) {
		if (plan_csv_record(NULL, &p, end, &line, cells, &n,
		    NULL) == -1)
			found = 0;
		else {
			for (i = 0; i < n && *cells[i] == '\0'; i++)
				;
			if (i < n)
				found = plan_reader_header_test(cells, n);
		}
		plan_csv_cells_free(cells, n);
	}
	return (found == 1);
}
