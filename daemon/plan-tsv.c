/*
 * The text export of a plan document: prose (the title, the place-and-date
 * line), then a tab-separated table whose header repeats on every page and
 * whose rows may be cut by a page break, cells holding HTML fragments, then
 * prose again (signatures, "Nơi nhận"), which ends the table.
 */
#include <stdlib.h>
#include <string.h>

#include "plan-private.h"

/* Frees n cells. */
static void
plan_tsv_cells_free(char **cells, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(cells[i]);
}

/* Splits the line s..e at its tabs into cleaned cells; -1 if too many. */
static int
plan_tsv_split(const char *s, const char *e, char **cells, size_t *n)
{
	const char	*tab;

	*n = 0;
	for (;;) {
		if (*n == PLAN_MAX_COLUMNS) {
			plan_tsv_cells_free(cells, *n);
			*n = 0;
			return (-1);
		}
		if ((tab = memchr(s, '\t', (size_t)(e - s))) == NULL)
			tab = e;
		cells[(*n)++] = plan_text_clean(s, (size_t)(tab - s));
		if (tab == e)
			return (0);
		s = tab + 1;
	}
}

/* Splits a tab-separated line into cleaned cells and handles the row. */
static int
plan_tsv_row(struct plan_reader *r, unsigned line, const char *s,
    const char *e, char **cause)
{
	char			*cells[PLAN_MAX_COLUMNS];
	struct plan_place	 place = { 0, line };
	size_t			 n;
	int			 rv;

	if (plan_tsv_split(s, e, cells, &n) == -1)
		return (plan_reader_error(cause, plan_reader_name(r), place,
		    "more than %d columns", PLAN_MAX_COLUMNS));
	rv = plan_reader_row(r, place, cells, n, cause);
	plan_tsv_cells_free(cells, n);
	return (rv);
}

/* Hands a line of prose to the builder, cleaned. */
static void
plan_tsv_prose(struct plan_reader *r, const char *s, const char *e)
{
	char	*text = plan_text_clean(s, (size_t)(e - s));

	plan_reader_prose(r, text);
	free(text);
}

/* The end of the line at p (its '\n' or end) and *e, the end of its text. */
static const char *
plan_tsv_eol(const char *p, const char *end, const char **e)
{
	const char	*eol;

	if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
		eol = end;
	*e = eol;
	if (*e > p && (*e)[-1] == '\r')
		(*e)--;
	return (eol);
}

/* Reads the text export: prose, then the table up to the next prose. */
int
plan_tsv_read(struct plan_reader *r, const char *p, const char *end,
    char **cause)
{
	const char	*eol, *e;
	unsigned	 line = 0;

	for (; p < end; p = eol + 1) {
		line++;
		eol = plan_tsv_eol(p, end, &e);
		if (memchr(p, '\t', (size_t)(e - p)) != NULL) {
			if (plan_tsv_row(r, line, p, e, cause) == -1)
				return (-1);
		} else if (!plan_reader_has_header(r))
			plan_tsv_prose(r, p, e);
		else if (!plan_text_blank(p, e))
			break;
		if (eol == end)
			break;
	}
	return (0);
}

/* 1 if a tab-separated line of the text is a table header. */
int
plan_tsv_probe(const char *p, const char *end)
{
	char		*cells[PLAN_MAX_COLUMNS];
	const char	*eol, *e;
	size_t		 n;
	int		 found = 0;

	for (; !found && p < end; p = eol + 1) {
		eol = plan_tsv_eol(p, end, &e);
		if (memchr(p, '\t', (size_t)(e - p)) != NULL &&
		    plan_tsv_split(p, e, cells, &n) == 0) {
			found = plan_reader_header_test(cells, n);
			plan_tsv_cells_free(cells, n);
		}
		if (eol == end)
			break;
	}
	return (found);
}
