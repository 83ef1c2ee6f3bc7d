/*
 * Excel workbooks (.xlsx): the sheet named by --sheet, or the first
 * visible sheet whose rows hold a plan header.  Cells are shared strings,
 * inline strings, numbers, booleans or formulas' cached values; a number
 * whose style is a date format (or a "d" cell) becomes dd/mm/yyyy, counted
 * from 1900 or 1904 as the workbook says.  Merged ranges give their text
 * to every row they cover.  The sheet streams once for its merged ranges
 * (written after the rows) and once for the rows.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "date.h"
#include "plan-grid.h"
#include "plan-office-parts.h"
#include "utf8.h"
#include "xmlpart.h"
#include "zipfile.h"

#define XLSX_NS		"http://schemas.openxmlformats.org/" \
	"spreadsheetml/2006/main"
#define XLSX_NS_STRICT	"http://purl.oclc.org/ooxml/spreadsheetml/main"
#define XLSX_NS_R	"http://schemas.openxmlformats.org/" \
	"officeDocument/2006/relationships"
#define XLSX_NS_R_STRICT "http://purl.oclc.org/ooxml/officeDocument/" \
	"relationships"

#define XLSX_MAX_STRINGS	(1024 * 1024)
#define XLSX_MAX_STYLES		65536
#define XLSX_MAX_SHEETS		1024
#define XLSX_MAX_MERGES		(1024 * 1024)
#define XLSX_MAX_ROW		1048576
#define XLSX_MAX_COL		16384

struct xlsx_sheet {
	char		*name;
	char		*rid;
	int		 hidden;
};

struct xlsx_merge {
	unsigned	 row1, col1, row2, col2;
};

struct xlsx {
	struct plan_reader	*reader;
	struct zipfile		*zf;
	const char		*name;
	const char		*book;		/* the workbook part */
	int			 date1904;
	struct buf		 strings;	/* shared strings, NUL-ended */
	size_t			*offsets;
	size_t			 nstrings;
	unsigned char		*xf_date;	/* 1 if style i is a date */
	size_t			 nxf;
	struct xlsx_sheet	*sheets;
	size_t			 nsheets;
	struct xlsx_merge	*merges;	/* of the sheet, by row1 */
	size_t			 nmerges;
};

/* The state of a sheet's read: row, cell, and the merges in force. */
struct xlsx_read {
	struct xlsx		*xl;
	struct xmlpart		*x;
	const struct xlsx_sheet	*sheet;
	struct plan_grid	*grid;
	struct plan_sheet	 flow;
	char			**cause;
	unsigned		 row;
	unsigned		 col;		/* next cell without "r" */
	int			 in_row;
	size_t			 next_merge;
	size_t			*active;	/* merges covering this row */
	size_t			 nactive;
	/* the cell being read */
	unsigned		 cell_col;
	char			*type;
	int			 style;
	int			 in_value;
	int			 in_inline;
	int			 in_phonetic;
	struct buf		 value;
	struct plan_cell	 text;
};

/* 1 if the current element is the SpreadsheetML element local. */
static int
xlsx_is(const struct xmlpart *x, const char *local)
{
	const char	*ns = xmlpart_ns(x);

	return (strcmp(xmlpart_local(x), local) == 0 &&
	    (strcmp(ns, XLSX_NS) == 0 || strcmp(ns, XLSX_NS_STRICT) == 0));
}

/* An attribute without namespace as a number from 0 to max, or def. */
static long
xlsx_attr_long(const struct xmlpart *x, const char *local, long max,
    long def)
{
	return (xmlpart_attr_long(x, NULL, local, max, def));
}

/* 1 if an attribute is "1" or "true". */
static int
xlsx_attr_true(const struct xmlpart *x, const char *local)
{
	char	*v = xmlpart_attr(x, NULL, local);
	int	 on = v != NULL && (strcmp(v, "1") == 0 ||
		    strcmp(v, "true") == 0);

	free(v);
	return (on);
}

/*
 * Adds text of a t element: "_xHHHH_" is how the format writes a
 * character XML cannot hold (a line break is "_x000D_" or "\n").
 */
static void
xlsx_add_text(struct plan_cell *c, const char *s)
{
	struct buf	 b;
	char		 enc[4];
	unsigned long	 cp;
	char		*end;

	buf_init(&b);
	while (*s != '\0') {
		if (s[0] == '_' && s[1] == 'x' && strspn(s + 2,
		    "0123456789abcdefABCDEF") >= 4 && s[6] == '_') {
			cp = strtoul(s + 2, &end, 16);
			if (cp == '\r')
				cp = '\n';
			if (cp != 0)
				buf_add(&b, enc, utf8_encode((uint32_t)cp,
				    enc));
			s += 7;
		} else
			buf_addc(&b, *s++);
	}
	plan_cell_add(c, b.data, 1);
	buf_free(&b);
}

/* Reads the part to its end, calling fn on each node; -1 and *cause. */
static int
xlsx_walk(struct xlsx *xl, const char *part,
    int (*fn)(struct xlsx *, struct xmlpart *, void *), void *arg,
    char **cause)
{
	struct xmlpart	*x;
	int		 rv;

	if ((x = xmlpart_open(xl->zf, part, cause)) == NULL)
		return (-1);
	while ((rv = xmlpart_next(x)) == 1) {
		if ((rv = fn(xl, x, arg)) == -1)
			break;
	}
	if (rv == -1 && !xmlpart_failed(x)) {
		xmlpart_close(x);
		return (-1);
	}
	return (plan_office_part_end(x, xl->zf, rv, cause));
}

/* workbook.xml: the 1904 flag and the sheets in order. */
static int
xlsx_book_node(struct xlsx *xl, struct xmlpart *x, void *arg)
{
	struct xlsx_sheet	*sh;
	char			*state;

	if (xmlpart_type(x) != XMLPART_START)
		return (0);
	if (xlsx_is(x, "workbookPr"))
		xl->date1904 = xlsx_attr_true(x, "date1904");
	else if (xlsx_is(x, "sheet") && xl->nsheets < XLSX_MAX_SHEETS) {
		xl->sheets = xreallocarray(xl->sheets, xl->nsheets + 1,
		    sizeof *xl->sheets);
		sh = &xl->sheets[xl->nsheets++];
		sh->name = xmlpart_attr(x, NULL, "name");
		if ((sh->rid = xmlpart_attr(x, XLSX_NS_R, "id")) == NULL)
			sh->rid = xmlpart_attr(x, XLSX_NS_R_STRICT, "id");
		state = xmlpart_attr(x, NULL, "state");
		sh->hidden = state != NULL && strcmp(state, "visible") != 0;
		free(state);
		if (sh->name == NULL)
			sh->name = xstrdup("");
	}
	return (0);
}

/* sharedStrings.xml: each si's text, runs joined, phonetics left out. */
static int
xlsx_strings_node(struct xlsx *xl, struct xmlpart *x, void *arg)
{
	struct xlsx_read	*s = arg;
	char			*text;

	if (xmlpart_type(x) == XMLPART_START && (xlsx_is(x, "rPh") ||
	    xlsx_is(x, "phoneticPr")))
		return (xmlpart_skip(x));
	if (xmlpart_type(x) == XMLPART_START && xlsx_is(x, "t"))
		s->in_value = !xmlpart_empty(x);
	else if (xmlpart_type(x) == XMLPART_END && xlsx_is(x, "t"))
		s->in_value = 0;
	else if (xmlpart_type(x) == XMLPART_TEXT && s->in_value)
		xlsx_add_text(&s->text, xmlpart_text(x));
	else if ((xmlpart_type(x) == XMLPART_END && xlsx_is(x, "si")) ||
	    (xmlpart_type(x) == XMLPART_START && xlsx_is(x, "si") &&
	    xmlpart_empty(x))) {
		if (xl->nstrings == XLSX_MAX_STRINGS)
			return (plan_office_error(s->cause, xl->name, "more "
			    "than %d shared strings", XLSX_MAX_STRINGS));
		text = plan_cell_take(&s->text);
		xl->offsets = xreallocarray(xl->offsets, xl->nstrings + 1,
		    sizeof *xl->offsets);
		xl->offsets[xl->nstrings++] = xl->strings.len;
		buf_add(&xl->strings, text, strlen(text) + 1);
		free(text);
	}
	return (0);
}

/*
 * 1 if a number format code shows a date: it has a day, month or year
 * code outside quotes, escapes and brackets ("dd/mm/yyyy", "[$-42A]d
 * mmm"), and is not a time of day alone ("h:mm", where m is minutes).
 */
static int
xlsx_format_is_date(const char *code)
{
	const char	*p;
	int		 day = 0, month = 0, year = 0, time = 0;

	for (p = code; *p != '\0'; p++) {
		if (strncasecmp(p, "general", 7) == 0)
			p += 6;
		else if (*p == '"') {
			while (p[1] != '\0' && p[1] != '"')
				p++;
			if (p[1] == '"')
				p++;
		} else if (*p == '\\' && p[1] != '\0')
			p++;
		else if (*p == '[') {
			while (p[1] != '\0' && p[1] != ']')
				p++;
		} else if (*p == ';')
			break;
		else if (*p == 'd' || *p == 'D')
			day = 1;
		else if (*p == 'y' || *p == 'Y')
			year = 1;
		else if (*p == 'm' || *p == 'M')
			month = 1;
		else if (*p == 'h' || *p == 'H' || *p == 's' || *p == 'S')
			time = 1;
	}
	return (day || year || (month && !time));
}

/* 1 if a built-in number format is a date. */
static int
xlsx_builtin_is_date(long id)
{
	return ((id >= 14 && id <= 17) || id == 22 || (id >= 27 &&
	    id <= 36) || (id >= 50 && id <= 58));
}

/* What styles.xml is being read into. */
struct xlsx_styles {
	long		*date_formats;	/* custom format ids that are dates */
	size_t		 ndate_formats;
	int		 in_xfs;
};

/* 1 if a format id is a date, built-in or custom. */
static int
xlsx_id_is_date(const struct xlsx_styles *st, long id)
{
	size_t	 i;

	if (xlsx_builtin_is_date(id))
		return (1);
	for (i = 0; i < st->ndate_formats; i++) {
		if (st->date_formats[i] == id)
			return (1);
	}
	return (0);
}

/* styles.xml: custom number formats, then each cell style's format. */
static int
xlsx_styles_node(struct xlsx *xl, struct xmlpart *x, void *arg)
{
	struct xlsx_styles	*st = arg;
	char			*code;
	long			 id;

	if (xmlpart_type(x) == XMLPART_END && xlsx_is(x, "cellXfs"))
		st->in_xfs = 0;
	if (xmlpart_type(x) != XMLPART_START)
		return (0);
	if (xlsx_is(x, "numFmt") && st->ndate_formats < XLSX_MAX_STYLES) {
		code = xmlpart_attr(x, NULL, "formatCode");
		id = xlsx_attr_long(x, "numFmtId", 100000, -1);
		if (code != NULL && id >= 0 && xlsx_format_is_date(code)) {
			st->date_formats = xreallocarray(st->date_formats,
			    st->ndate_formats + 1, sizeof *st->date_formats);
			st->date_formats[st->ndate_formats++] = id;
		}
		free(code);
	} else if (xlsx_is(x, "cellXfs"))
		st->in_xfs = !xmlpart_empty(x);
	else if (st->in_xfs && xlsx_is(x, "xf") && xl->nxf < XLSX_MAX_STYLES) {
		xl->xf_date = xrealloc(xl->xf_date, xl->nxf + 1);
		xl->xf_date[xl->nxf++] = (unsigned char)xlsx_id_is_date(st,
		    xlsx_attr_long(x, "numFmtId", 100000, 0));
	}
	return (0);
}

/* Reads the part of the workbook's relationship of a type, if any. */
static int
xlsx_read_related(struct xlsx *xl, const char *type,
    int (*fn)(struct xlsx *, struct xmlpart *, void *), void *arg,
    char **cause)
{
	char	*part;
	int	 rv = 0;

	if ((part = plan_office_rel(xl->zf, xl->book, type, cause)) == NULL)
		return (*cause != NULL ? -1 : 0);
	if (zipfile_has(xl->zf, part))
		rv = xlsx_walk(xl, part, fn, arg, cause);
	free(part);
	return (rv);
}

/* Parses a cell reference "BC12" into a column (from 0) and row. */
static int
xlsx_ref(const char *ref, unsigned *col, unsigned *row)
{
	const char	*p = ref;
	unsigned long	 c = 0, r;
	char		*end;

	while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')) {
		c = c * 26 + (unsigned long)((*p | 0x20) - 'a' + 1);
		if (c > XLSX_MAX_COL)
			return (-1);
		p++;
	}
	if (p == ref || *p < '1' || *p > '9')
		return (-1);
	r = strtoul(p, &end, 10);
	if (*end != '\0' || r > XLSX_MAX_ROW)
		return (-1);
	*col = (unsigned)(c - 1);
	*row = (unsigned)r;
	return (0);
}

/* A column's letters ("A", "BC") for messages. */
static void
xlsx_col_name(unsigned col, char out[8])
{
	char		 rev[8];
	size_t		 n = 0, i;

	col++;
	while (col > 0 && n < 7) {
		rev[n++] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	for (i = 0; i < n; i++)
		out[i] = rev[n - 1 - i];
	out[n] = '\0';
}

/* "NAME: sheet "S", cell B5: message"; returns -1. */
static int
xlsx_cell_error(struct xlsx_read *s, char **cause, const char *msg)
{
	char	 col[8];

	xlsx_col_name(s->cell_col, col);
	return (plan_office_error(cause, s->xl->name, "sheet \"%s\", cell "
	    "%s%u: %s", s->sheet->name, col, s->row, msg));
}

/* Compares merges by first row. */
static int
xlsx_merge_cmp(const void *a, const void *b)
{
	const struct xlsx_merge	*x = a, *y = b;

	return (x->row1 < y->row1 ? -1 : x->row1 > y->row1);
}

/* A sheet's mergeCell: its range "A5:A7" kept. */
static int
xlsx_merges_node(struct xlsx *xl, struct xmlpart *x, void *arg)
{
	struct xlsx_merge	 m;
	char			*ref, *colon;

	if (xmlpart_type(x) == XMLPART_START && xlsx_is(x, "sheetData"))
		return (xmlpart_skip(x));
	if (xmlpart_type(x) != XMLPART_START || !xlsx_is(x, "mergeCell") ||
	    xl->nmerges == XLSX_MAX_MERGES)
		return (0);
	if ((ref = xmlpart_attr(x, NULL, "ref")) == NULL)
		return (0);
	if ((colon = strchr(ref, ':')) != NULL) {
		*colon = '\0';
		if (xlsx_ref(ref, &m.col1, &m.row1) == 0 &&
		    xlsx_ref(colon + 1, &m.col2, &m.row2) == 0 &&
		    m.row2 >= m.row1 && m.col2 >= m.col1) {
			xl->merges = xreallocarray(xl->merges, xl->nmerges + 1,
			    sizeof *xl->merges);
			xl->merges[xl->nmerges++] = m;
		}
	}
	free(ref);
	return (0);
}

/* Updates the merges in force for row: new ones added, past ones gone. */
static void
xlsx_merges_for_row(struct xlsx_read *s)
{
	struct xlsx	*xl = s->xl;
	size_t		 i, n = 0;

	for (i = 0; i < s->nactive; i++) {
		if (xl->merges[s->active[i]].row2 >= s->row)
			s->active[n++] = s->active[i];
	}
	s->nactive = n;
	while (s->next_merge < xl->nmerges &&
	    xl->merges[s->next_merge].row1 <= s->row) {
		if (xl->merges[s->next_merge].row2 >= s->row) {
			s->active = xreallocarray(s->active, s->nactive + 1,
			    sizeof *s->active);
			s->active[s->nactive++] = s->next_merge;
		}
		s->next_merge++;
	}
}

/* The merge covering the cell, or NULL. */
static const struct xlsx_merge *
xlsx_merge_at(const struct xlsx_read *s, unsigned col)
{
	const struct xlsx_merge	*m;
	size_t			 i;

	for (i = 0; i < s->nactive; i++) {
		m = &s->xl->merges[s->active[i]];
		if (col >= m->col1 && col <= m->col2)
			return (m);
	}
	return (NULL);
}

/* A serial day number as dd/mm/yyyy, counted as the workbook says. */
static void
xlsx_date(const struct xlsx *xl, double serial, struct plan_cell *c)
{
	char	 out[11];
	long	 days = (long)floor(serial);

	if (xl->date1904)
		date_format_vn(date_from_ymd(1904, 1, 1) + (date_t)days, out);
	else if (days == 60)
		snprintf(out, sizeof out, "29/02/1900");
	else if (days < 60)
		date_format_vn(date_from_ymd(1899, 12, 31) + (date_t)days, out);
	else
		date_format_vn(date_from_ymd(1899, 12, 30) + (date_t)days, out);
	plan_cell_add(c, out, 0);
}

/* The text of a finished cell from its type, value and style. */
static int
xlsx_cell_value(struct xlsx_read *s, char **cause)
{
	const char	*type = s->type != NULL ? s->type : "n";
	const char	*v = s->value.data != NULL ? s->value.data : "";
	char		*end;
	double		 d;
	unsigned long	 i;
	date_t		 day;

	if (strcmp(type, "s") == 0 && *v != '\0') {
		i = strtoul(v, &end, 10);
		if (*end != '\0' || i >= s->xl->nstrings)
			return (xlsx_cell_error(s, cause, "no such shared "
			    "string (a damaged workbook)"));
		plan_cell_add(&s->text, s->xl->strings.data +
		    s->xl->offsets[i], 1);
	} else if (strcmp(type, "b") == 0 && *v != '\0')
		plan_cell_add(&s->text, strcmp(v, "1") == 0 ? "TRUE" : "FALSE",
		    0);
	else if (strcmp(type, "d") == 0 && strlen(v) >= 10) {
		end = xstrndup(v, 10);
		if (date_parse_iso(end, &day) == 0) {
			char out[11];

			date_format_vn(day, out);
			plan_cell_add(&s->text, out, 0);
		} else
			xlsx_add_text(&s->text, v);
		free(end);
	} else if (strcmp(type, "n") == 0 && *v != '\0' && s->style >= 0 &&
	    (size_t)s->style < s->xl->nxf && s->xl->xf_date[s->style] &&
	    (d = strtod(v, &end), *end == '\0') && d >= 1 && d < 2958466)
		xlsx_date(s->xl, d, &s->text);
	else if (strcmp(type, "inlineStr") != 0)
		xlsx_add_text(&s->text, v);
	return (0);
}

/* A cell starts: its column, type and style. */
static int
xlsx_cell_begin(struct xlsx_read *s, struct xmlpart *x, char **cause)
{
	char		*ref;
	unsigned	 col, row;

	s->cell_col = s->col;
	if ((ref = xmlpart_attr(x, NULL, "r")) != NULL) {
		if (xlsx_ref(ref, &col, &row) == 0)
			s->cell_col = col;
		free(ref);
	}
	s->col = s->cell_col + 1;
	free(s->type);
	s->type = xmlpart_attr(x, NULL, "t");
	s->style = (int)xlsx_attr_long(x, "s", XLSX_MAX_STYLES, -1);
	s->value.len = 0;
	if (s->value.data != NULL)
		s->value.data[0] = '\0';
	plan_cell_free(&s->text);
	plan_cell_init(&s->text);
	return (0);
}

/* A cell ends: its text placed in the grid unless a merge covers it. */
static int
xlsx_cell_end(struct xlsx_read *s, char **cause)
{
	const struct xlsx_merge	*m;
	char			*text;

	if (xlsx_cell_value(s, cause) == -1)
		return (-1);
	if (s->text.too_long)
		return (xlsx_cell_error(s, cause, "text longer than the limit "
		    "of a cell"));
	m = xlsx_merge_at(s, s->cell_col);
	if (m != NULL && (m->row1 != s->row || m->col1 != s->cell_col))
		return (0);	/* covered: the grid repeats the origin */
	text = plan_cell_take(&s->text);
	if (*text == '\0' && m == NULL) {
		free(text);
		return (0);
	}
	if (plan_grid_put(s->grid, s->cell_col, text, m != NULL ?
	    m->col2 - m->col1 + 1 : 1, m != NULL ? m->row2 - m->row1 + 1 :
	    1) == -1)
		return (xlsx_cell_error(s, cause, "past the 64th column, "
		    "more columns than a plan table may have"));
	return (0);
}

/* A row starts: its number, and the merges in force. */
static void
xlsx_row_begin(struct xlsx_read *s, struct xmlpart *x)
{
	long	 r = xlsx_attr_long(x, "r", XLSX_MAX_ROW, 0);
	unsigned prev = s->row;

	s->row = r > 0 ? (unsigned)r : s->row + 1;
	plan_grid_sheet_gap(&s->flow, prev, s->row);
	s->col = 0;
	s->in_row = 1;
	xlsx_merges_for_row(s);
	plan_grid_row_begin(s->grid, s->row);
}

/* Handles a node of sheetData. */
static int
xlsx_sheet_node(struct xlsx *xl, struct xmlpart *x, void *arg)
{
	struct xlsx_read	*s = arg;
	enum xmlpart_node	 t = xmlpart_type(x);

	if (t == XMLPART_START && (xlsx_is(x, "f") || xlsx_is(x, "rPh") ||
	    xlsx_is(x, "extLst") || xlsx_is(x, "mergeCells") ||
	    xlsx_is(x, "conditionalFormatting") ||
	    xlsx_is(x, "dataValidations")))
		return (xmlpart_skip(x));
	if (t == XMLPART_START && xlsx_is(x, "row")) {
		xlsx_row_begin(s, x);
		if (!xmlpart_empty(x))
			return (0);
		t = XMLPART_END;
	}
	if (t == XMLPART_END && xlsx_is(x, "row")) {
		s->in_row = 0;
		return (plan_grid_sheet_row_end(s->grid, &s->flow,
		    s->cause));
	}
	if (!s->in_row)
		return (0);
	if (t == XMLPART_START && xlsx_is(x, "c")) {
		xlsx_cell_begin(s, x, s->cause);
		return (xmlpart_empty(x) ? xlsx_cell_end(s, s->cause) : 0);
	}
	if (t == XMLPART_END && xlsx_is(x, "c"))
		return (xlsx_cell_end(s, s->cause));
	if (t == XMLPART_START && (xlsx_is(x, "v") || xlsx_is(x, "t")))
		s->in_value = xlsx_is(x, "v") ? 1 : 2;
	else if (t == XMLPART_END && (xlsx_is(x, "v") || xlsx_is(x, "t")))
		s->in_value = 0;
	else if (t == XMLPART_TEXT && s->in_value == 1)
		buf_adds(&s->value, xmlpart_text(x));
	else if (t == XMLPART_TEXT && s->in_value == 2)
		xlsx_add_text(&s->text, xmlpart_text(x));
	return (0);
}

/* Reads one sheet into the builder; -1 and *cause on error. */
static int
xlsx_sheet_read(struct xlsx *xl, size_t index, char **cause)
{
	struct xlsx_read	 s;
	char			*part;
	int			 rv = -1;

	part = plan_office_rel_id(xl->zf, xl->book, xl->sheets[index].rid,
	    cause);
	if (part == NULL)
		return (*cause != NULL ? -1 : plan_office_error(cause,
		    xl->name, "sheet \"%s\": its part is missing",
		    xl->sheets[index].name));
	memset(&s, 0, sizeof s);
	s.xl = xl;
	s.sheet = &xl->sheets[index];
	s.cause = cause;
	buf_init(&s.value);
	plan_cell_init(&s.text);
	free(xl->merges);
	xl->merges = NULL;
	xl->nmerges = 0;
	if (xlsx_walk(xl, part, xlsx_merges_node, NULL, cause) == -1)
		goto out;
	if (xl->nmerges > 0)
		qsort(xl->merges, xl->nmerges, sizeof *xl->merges,
		    xlsx_merge_cmp);
	s.grid = plan_grid_new(xl->reader, (unsigned)index + 1);
	rv = xlsx_walk(xl, part, xlsx_sheet_node, &s, cause);
out:
	plan_grid_free(s.grid);
	plan_cell_free(&s.text);
	buf_free(&s.value);
	free(s.type);
	free(s.active);
	free(part);
	return (rv);
}

/* The names of the sheets, for messages: "A", "B"; caller frees. */
static char *
xlsx_sheet_names(const struct xlsx *xl)
{
	struct buf	 b;
	size_t		 i;

	buf_init(&b);
	for (i = 0; i < xl->nsheets && b.len < 512; i++)
		buf_printf(&b, "%s\"%s\"", i > 0 ? ", " : "",
		    xl->sheets[i].name);
	return (buf_steal(&b));
}

/* Reads the sheet the user named, or the first with a plan header. */
static int
xlsx_sheets(struct xlsx *xl, const char *wanted, char **cause)
{
	char	*names;
	size_t	 i;
	int	 rv;

	for (i = 0; i < xl->nsheets; i++) {
		if (wanted != NULL && strcmp(xl->sheets[i].name, wanted) != 0)
			continue;
		if (wanted == NULL && xl->sheets[i].hidden)
			continue;
		if (xlsx_sheet_read(xl, i, cause) == -1)
			return (-1);
		if (plan_reader_has_header(xl->reader))
			return (0);
		if (wanted != NULL)
			break;
	}
	names = xlsx_sheet_names(xl);
	if (wanted != NULL && i == xl->nsheets)
		rv = plan_office_error(cause, xl->name, "no sheet named "
		    "\"%s\" (its sheets: %s)", wanted, names);
	else if (wanted != NULL)
		rv = plan_office_error(cause, xl->name, "sheet \"%s\" has no "
		    "plan table: no row names the units or time column (such "
		    "as STT, Nhiệm vụ, Cơ quan thực hiện, Thời gian thực "
		    "hiện)", wanted);
	else
		rv = plan_office_error(cause, xl->name, "no sheet has a plan "
		    "table: no row names the units or time column (such as "
		    "STT, Nhiệm vụ, Cơ quan thực hiện, Thời gian thực hiện); "
		    "its sheets: %s", names);
	free(names);
	return (rv);
}

/* Reads an Excel workbook whose main part is "part". */
int
plan_xlsx_read(struct plan_reader *r, struct zipfile *zf, const char *part,
    const char *sheet, char **cause)
{
	struct xlsx		 xl;
	struct xlsx_read	 strings;
	struct xlsx_styles	 styles;
	size_t			 i;
	int			 rv = -1;

	memset(&xl, 0, sizeof xl);
	memset(&strings, 0, sizeof strings);
	memset(&styles, 0, sizeof styles);
	xl.reader = r;
	xl.zf = zf;
	xl.name = zipfile_name(zf);
	xl.book = part;
	buf_init(&xl.strings);
	plan_cell_init(&strings.text);
	strings.cause = cause;
	if (xlsx_walk(&xl, part, xlsx_book_node, NULL, cause) == -1 ||
	    xlsx_read_related(&xl, "sharedStrings", xlsx_strings_node,
	    &strings, cause) == -1 ||
	    xlsx_read_related(&xl, "styles", xlsx_styles_node, &styles,
	    cause) == -1)
		goto out;
	rv = xlsx_sheets(&xl, sheet, cause);
out:
	plan_cell_free(&strings.text);
	free(styles.date_formats);
	buf_free(&xl.strings);
	free(xl.offsets);
	free(xl.xf_date);
	for (i = 0; i < xl.nsheets; i++) {
		free(xl.sheets[i].name);
		free(xl.sheets[i].rid);
	}
	free(xl.sheets);
	free(xl.merges);
	return (rv);
}
