/*
 * The record builder every plan reader feeds: it recognises the table's
 * header row (and its repetitions on later pages), maps the cells of each
 * row onto the fields by that header, and turns rows into sections,
 * subheadings and tasks, joining a row cut by a page break to the one
 * before.  Readers give it rows of cleaned cells and where each row is.
 * The table it fills is freed here too, and every reader's errors take
 * their "NAME:LINE: message" form here, so the readers and plan.c above
 * them all call down into this file and never the other way.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan-private.h"
#include "xmalloc.h"

/*
 * What a column holds: a field of the record, the product (a labelled line
 * of the notes), or something not understood (also kept in the notes, and
 * named in the table's list of unknown columns).
 */
enum plan_column {
	PLAN_COL_NUMBER,
	PLAN_COL_CONTENT,
	PLAN_COL_ACTION,
	PLAN_COL_UNITS,
	PLAN_COL_SUPPORT,
	PLAN_COL_TIME,
	PLAN_COL_NOTES,
	PLAN_COL_PRODUCT,
	PLAN_COL_EXTRA
};
#define PLAN_NFIELDS	PLAN_COL_PRODUCT

/* A header name, folded; prefix names also match longer headers. */
struct plan_header_name {
	const char		*name;
	enum plan_column	 column;
	int			 prefix;
};

static const struct plan_header_name plan_header_names[] = {
	{ "stt", PLAN_COL_NUMBER, 0 },
	{ "tt", PLAN_COL_NUMBER, 0 },
	{ "so tt", PLAN_COL_NUMBER, 0 },
	{ "so thu tu", PLAN_COL_NUMBER, 0 },
	{ "no", PLAN_COL_NUMBER, 0 },
	{ "number", PLAN_COL_NUMBER, 0 },
	{ "#", PLAN_COL_NUMBER, 0 },
	{ "noi dung", PLAN_COL_CONTENT, 1 },
	{ "tieu chi", PLAN_COL_CONTENT, 1 },
	{ "content", PLAN_COL_CONTENT, 1 },
	{ "nhiem vu", PLAN_COL_ACTION, 1 },
	{ "giai phap", PLAN_COL_ACTION, 1 },
	{ "task", PLAN_COL_ACTION, 1 },
	{ "tasks", PLAN_COL_ACTION, 1 },
	{ "action", PLAN_COL_ACTION, 1 },
	{ "actions", PLAN_COL_ACTION, 1 },
	{ "co quan thuc hien", PLAN_COL_UNITS, 1 },
	{ "co quan don vi thuc hien", PLAN_COL_UNITS, 1 },
	{ "don vi thuc hien", PLAN_COL_UNITS, 1 },
	{ "co quan chu tri", PLAN_COL_UNITS, 1 },
	{ "don vi chu tri", PLAN_COL_UNITS, 1 },
	{ "co quan don vi chu tri", PLAN_COL_UNITS, 1 },
	{ "chu tri", PLAN_COL_UNITS, 1 },
	{ "lead", PLAN_COL_UNITS, 1 },
	{ "units", PLAN_COL_UNITS, 1 },
	{ "unit", PLAN_COL_UNITS, 1 },
	{ "responsible", PLAN_COL_UNITS, 1 },
	{ "co quan phoi hop", PLAN_COL_SUPPORT, 1 },
	{ "don vi phoi hop", PLAN_COL_SUPPORT, 1 },
	{ "co quan don vi phoi hop", PLAN_COL_SUPPORT, 1 },
	{ "phoi hop", PLAN_COL_SUPPORT, 1 },
	{ "support", PLAN_COL_SUPPORT, 1 },
	{ "supporting", PLAN_COL_SUPPORT, 1 },
	{ "thoi gian", PLAN_COL_TIME, 1 },
	{ "thoi han", PLAN_COL_TIME, 1 },
	{ "han hoan thanh", PLAN_COL_TIME, 1 },
	{ "deadline", PLAN_COL_TIME, 1 },
	{ "time", PLAN_COL_TIME, 1 },
	{ "due", PLAN_COL_TIME, 1 },
	{ "ghi chu", PLAN_COL_NOTES, 1 },
	{ "notes", PLAN_COL_NOTES, 1 },
	{ "note", PLAN_COL_NOTES, 1 },
	{ "san pham", PLAN_COL_PRODUCT, 1 },
	{ "ket qua dau ra", PLAN_COL_PRODUCT, 1 },
	{ "output", PLAN_COL_PRODUCT, 1 },
	{ "outputs", PLAN_COL_PRODUCT, 1 },
	{ "deliverable", PLAN_COL_PRODUCT, 1 },
	{ "deliverables", PLAN_COL_PRODUCT, 1 },
};

/* A growable text field of the last record, for page-break joins. */
struct plan_field {
	char	**text;
	size_t	  len;
	size_t	  size;
};

/* The state of one read: the table being filled and the row context. */
struct plan_reader {
	const char		*name;
	struct plan_table	*table;
	size_t			 alloc;
	int			 flags;
	int			 have_header;
	int			 after_header;
	enum plan_column	 columns[PLAN_MAX_COLUMNS];
	char			*labels[PLAN_MAX_COLUMNS];
	char			*folded[PLAN_MAX_COLUMNS];
	size_t			 ncolumns;
	uint64_t		 unnamed;	/* columns named as unknown */
	char			*section;
	enum plan_category	 category;
	struct plan_facts	 facts;
	struct plan_field	 last[PLAN_NFIELDS];
};

/* 1 if s is a roman numeral, the number of a section row. */
static int
plan_is_roman(const char *s)
{
	size_t	 n = strlen(s);

	if (n == 0 || n > 8)
		return (0);
	return (strspn(s, "IVXLCDM") == n);
}

/* The category a subheading names. */
static enum plan_category
plan_category_of(const char *text)
{
	char			*f = plan_text_fold(text);
	enum plan_category	 c = PLAN_CATEGORY_NONE;

	if (plan_text_fold_match(f, "noi dung can khac phuc", 1))
		c = PLAN_CATEGORY_FIX;
	else if (plan_text_fold_match(f, "noi dung can duy tri", 1))
		c = PLAN_CATEGORY_MAINTAIN;
	free(f);
	return (c);
}

/* The column a header cell names, or PLAN_COL_EXTRA. */
static enum plan_column
plan_column_of(const char *folded)
{
	size_t	 i;

	for (i = 0; i < sizeof plan_header_names /
	    sizeof plan_header_names[0]; i++) {
		if (plan_text_fold_match(folded, plan_header_names[i].name,
		    plan_header_names[i].prefix))
			return (plan_header_names[i].column);
	}
	return (PLAN_COL_EXTRA);
}

/* Forgets the header of the reader. */
static void
plan_reader_clear_header(struct plan_reader *r)
{
	size_t	 i;

	for (i = 0; i < r->ncolumns; i++) {
		free(r->labels[i]);
		free(r->folded[i]);
	}
	r->ncolumns = 0;
}

/*
 * Maps header cells onto columns: the first column of each kind counts, a
 * later one of the same kind is extra.  1 if they name a time or units
 * column, which makes them a header.
 */
static int
plan_header_map(char **folded, size_t n, enum plan_column *columns)
{
	enum plan_column	 col;
	int			 seen[PLAN_COL_EXTRA] = { 0 };
	size_t			 i;

	for (i = 0; i < n; i++) {
		col = plan_column_of(folded[i]);
		if (col != PLAN_COL_EXTRA && seen[col])
			col = PLAN_COL_EXTRA;
		if (col != PLAN_COL_EXTRA)
			seen[col] = 1;
		columns[i] = col;
	}
	return (seen[PLAN_COL_TIME] || seen[PLAN_COL_UNITS]);
}

/* 1 if cleaned cells would be taken as the header of a table. */
int
plan_reader_header_test(char **cells, size_t n)
{
	enum plan_column	 columns[PLAN_MAX_COLUMNS];
	char			*folded[PLAN_MAX_COLUMNS];
	size_t			 i;
	int			 is_header;

	if (n > PLAN_MAX_COLUMNS)
		n = PLAN_MAX_COLUMNS;
	for (i = 0; i < n; i++)
		folded[i] = plan_text_fold(cells[i]);
	is_header = plan_header_map(folded, n, columns);
	for (i = 0; i < n; i++)
		free(folded[i]);
	return (is_header);
}

/* Adds a column not understood to the table's list, with its place. */
static void
plan_reader_unknown(struct plan_reader *r, struct plan_place place,
    const char *name)
{
	struct plan_table	*t = r->table;
	struct plan_unknown	*u;

	t->unknown = xreallocarray(t->unknown, t->nunknown + 1,
	    sizeof *t->unknown);
	u = &t->unknown[t->nunknown++];
	u->name = xstrdup(name);
	u->table = place.table;
	u->line = place.row;
}

/*
 * Takes cells as the header if it names a time or units column; the
 * columns it names but nobody here understands go to the table's list.
 */
static int
plan_reader_header(struct plan_reader *r, struct plan_place place,
    char **cells, size_t n)
{
	size_t	 i;

	for (i = 0; i < n && i < PLAN_MAX_COLUMNS; i++) {
		r->labels[i] = xstrdup(cells[i]);
		r->folded[i] = plan_text_fold(cells[i]);
	}
	r->ncolumns = i;
	if (!plan_header_map(r->folded, r->ncolumns, r->columns)) {
		plan_reader_clear_header(r);
		return (0);
	}
	for (i = 0; i < r->ncolumns; i++) {
		if (r->columns[i] != PLAN_COL_EXTRA || *r->labels[i] == '\0')
			continue;
		plan_reader_unknown(r, place, r->labels[i]);
		r->unnamed |= (uint64_t)1 << i;
	}
	r->have_header = 1;
	return (1);
}

/*
 * Names once, by its number, a column that holds text under no header
 * ("column 8, no header").
 */
static void
plan_reader_unlabelled(struct plan_reader *r, struct plan_place place,
    size_t i)
{
	char	*name;

	if (i >= 64 || (r->unnamed & ((uint64_t)1 << i)))
		return;
	r->unnamed |= (uint64_t)1 << i;
	xasprintf(&name, "column %zu, no header", i + 1);
	plan_reader_unknown(r, place, name);
	free(name);
}

/* 1 if cells repeat the header (a new page of the table). */
static int
plan_reader_is_header(struct plan_reader *r, char **cells, size_t n)
{
	size_t	 i, same = 0;
	char	*f;

	for (i = 0; i < n && i < r->ncolumns; i++) {
		f = plan_text_fold(cells[i]);
		if (strcmp(f, r->folded[i]) != 0) {
			free(f);
			return (0);
		}
		if (*f != '\0')
			same++;
		free(f);
	}
	return (same >= 2);
}

/* Appends "label: value" (or value) as a line of notes. */
static void
plan_add_note(struct buf *notes, const char *label, const char *value)
{
	if (*value == '\0')
		return;
	if (notes->len > 0)
		buf_addc(notes, '\n');
	if (label != NULL && *label != '\0')
		buf_printf(notes, "%s: %s", label, value);
	else
		buf_adds(notes, value);
}

/*
 * Maps the cleaned cells of a row onto the fields; fields[] caller frees.
 * The notes are the "Ghi chú" cell, then "Header: value" lines of the
 * product and of the columns not understood, in their order.
 */
static void
plan_reader_fields(struct plan_reader *r, struct plan_place place,
    char **cells, size_t n, char **fields)
{
	struct buf	 notes;
	size_t		 i;

	memset(fields, 0, PLAN_NFIELDS * sizeof *fields);
	for (i = 0; i < n && i < r->ncolumns; i++) {
		if (r->columns[i] < PLAN_NFIELDS)
			fields[r->columns[i]] = xstrdup(cells[i]);
	}
	buf_init(&notes);
	if (fields[PLAN_COL_NOTES] != NULL)
		plan_add_note(&notes, NULL, fields[PLAN_COL_NOTES]);
	for (i = 0; i < n; i++) {
		if (*cells[i] == '\0' || (i < r->ncolumns &&
		    r->columns[i] < PLAN_NFIELDS))
			continue;
		if (i >= r->ncolumns || *r->labels[i] == '\0') {
			plan_reader_unlabelled(r, place, i);
			plan_add_note(&notes, NULL, cells[i]);
		} else
			plan_add_note(&notes, r->labels[i], cells[i]);
	}
	free(fields[PLAN_COL_NOTES]);
	fields[PLAN_COL_NOTES] = buf_steal(&notes);
	for (i = 0; i < PLAN_NFIELDS; i++) {
		if (fields[i] == NULL)
			fields[i] = xstrdup("");
	}
}

/* Points the growable fields at the strings of the last record. */
static void
plan_reader_track(struct plan_reader *r, struct plan_record *rec)
{
	char	**text[PLAN_NFIELDS];
	size_t	  i;

	text[PLAN_COL_NUMBER] = &rec->number;
	text[PLAN_COL_CONTENT] = &rec->content;
	text[PLAN_COL_ACTION] = &rec->action;
	text[PLAN_COL_UNITS] = &rec->units;
	text[PLAN_COL_SUPPORT] = &rec->support;
	text[PLAN_COL_TIME] = &rec->time;
	text[PLAN_COL_NOTES] = &rec->notes;
	for (i = 0; i < PLAN_NFIELDS; i++) {
		r->last[i].text = text[i];
		r->last[i].len = strlen(*text[i]);
		r->last[i].size = r->last[i].len + 1;
	}
}

/* Appends a record made of fields (taken over) to the table. */
static void
plan_reader_add(struct plan_reader *r, enum plan_record_type type,
    struct plan_place place, char **fields)
{
	struct plan_table	*t = r->table;
	struct plan_record	*rec;

	if (t->n == r->alloc) {
		r->alloc = r->alloc == 0 ? 64 : r->alloc * 2;
		t->records = xreallocarray(t->records, r->alloc,
		    sizeof *t->records);
	}
	rec = &t->records[t->n++];
	memset(rec, 0, sizeof *rec);
	rec->type = type;
	rec->table = place.table;
	rec->line = place.row;
	rec->number = fields[PLAN_COL_NUMBER];
	rec->section = xstrdup(r->section != NULL ? r->section : "");
	rec->category = r->category;
	rec->content = fields[PLAN_COL_CONTENT];
	rec->action = fields[PLAN_COL_ACTION];
	rec->units = fields[PLAN_COL_UNITS];
	rec->support = fields[PLAN_COL_SUPPORT];
	rec->time = fields[PLAN_COL_TIME];
	rec->notes = fields[PLAN_COL_NOTES];
	plan_reader_track(r, rec);
}

/*
 * Joins the rest of a cell cut by a page break to its start: on a new line
 * if the rest starts a bullet or numbered item, else after one space (the
 * cut falls between words in these documents).  The capacity grows by
 * doubling so that a long chain of page breaks stays linear.
 */
static void
plan_join(struct plan_field *f, char *rest)
{
	size_t	 n = strlen(rest), need;

	if (n == 0) {
		free(rest);
		return;
	}
	need = f->len + 1 + n + 1;
	if (need > f->size) {
		f->size = need > f->size * 2 ? need : f->size * 2;
		*f->text = xrealloc(*f->text, f->size);
	}
	if (f->len > 0)
		(*f->text)[f->len++] = plan_bullets_starts_item(rest) ?
		    '\n' : ' ';
	memcpy(*f->text + f->len, rest, n + 1);
	f->len += n;
	free(rest);
}

/* Joins a continuation row to the last record, cell by cell. */
static void
plan_reader_continue(struct plan_reader *r, char **fields)
{
	size_t	 i;

	free(fields[PLAN_COL_NUMBER]);
	for (i = PLAN_COL_CONTENT; i < PLAN_NFIELDS; i++)
		plan_join(&r->last[i], fields[i]);
}

/* 1 if the fields hold text in the content column only. */
static int
plan_content_only(char **fields)
{
	return (*fields[PLAN_COL_NUMBER] == '\0' &&
	    *fields[PLAN_COL_CONTENT] != '\0' &&
	    *fields[PLAN_COL_ACTION] == '\0' &&
	    *fields[PLAN_COL_UNITS] == '\0' &&
	    *fields[PLAN_COL_SUPPORT] == '\0' &&
	    *fields[PLAN_COL_TIME] == '\0' &&
	    *fields[PLAN_COL_NOTES] == '\0');
}

/* 1 if every cell is empty. */
static int
plan_cells_empty(char **cells, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (*cells[i] != '\0')
			return (0);
	}
	return (1);
}

/* Records a row of fields: continuation, section, subheading or task. */
static void
plan_reader_record(struct plan_reader *r, struct plan_place place,
    char **fields, int after_header)
{
	const char	*number = fields[PLAN_COL_NUMBER];
	int		 only = plan_content_only(fields);

	if (*number == '\0' && after_header && r->table->n > 0 &&
	    !(only && plan_category_of(fields[PLAN_COL_CONTENT]) !=
	    PLAN_CATEGORY_NONE)) {
		plan_reader_continue(r, fields);
		return;
	}
	if (plan_is_roman(number)) {
		free(r->section);
		r->section = xstrdup(number);
		r->category = PLAN_CATEGORY_NONE;
		plan_reader_add(r, PLAN_SECTION, place, fields);
	} else if (only) {
		r->category = plan_category_of(fields[PLAN_COL_CONTENT]);
		plan_reader_add(r, PLAN_SUBHEADING, place, fields);
	} else
		plan_reader_add(r, PLAN_TASK, place, fields);
}

/* Handles one row of cleaned cells (see plan-private.h). */
int
plan_reader_row(struct plan_reader *r, struct plan_place place, char **cells,
    size_t n, char **cause)
{
	char			*fields[PLAN_NFIELDS];
	struct plan_place	 first = { 0, 1 };
	int			 after_header = r->after_header;

	if (plan_cells_empty(cells, n))
		return (0);
	if (!r->have_header) {
		if (plan_reader_header(r, place, cells, n)) {
			r->after_header = 1;
			return (0);
		}
		if (r->flags & PLAN_HEADER_FIRST)
			return (plan_reader_error(cause, r->name, first, "%s",
			    PLAN_NO_HEADER));
		return (0);
	}
	if (plan_reader_is_header(r, cells, n)) {
		r->after_header = 1;
		return (0);
	}
	r->after_header = 0;
	plan_reader_fields(r, place, cells, n, fields);
	plan_reader_record(r, place, fields, after_header);
	return (0);
}

/* A builder filling table (emptied) for the input called name (borrowed). */
struct plan_reader *
plan_reader_new(const char *name, struct plan_table *table, int flags)
{
	struct plan_reader	*r = xcalloc(1, sizeof *r);

	memset(table, 0, sizeof *table);
	r->name = name;
	r->table = table;
	r->flags = flags;
	return (r);
}

/* Reads a line of prose outside the table (cleaned text). */
void
plan_reader_prose(struct plan_reader *r, const char *text)
{
	plan_facts_line(&r->facts, text);
}

/* 1 once the header of the table has been seen. */
int
plan_reader_has_header(const struct plan_reader *r)
{
	return (r->have_header);
}

/* The name of the input, for messages. */
const char *
plan_reader_name(const struct plan_reader *r)
{
	return (r->name);
}

/* Ends the read: an error if no header was seen, else the facts are set. */
int
plan_reader_finish(struct plan_reader *r, char **cause)
{
	struct plan_place	 first = { 0, 1 };

	if (!r->have_header)
		return (plan_reader_error(cause, r->name, first, "%s",
		    PLAN_NO_HEADER));
	plan_facts_finish(&r->facts, r->table);
	return (0);
}

/* Frees the builder (not the table); NULL is safe. */
void
plan_reader_free(struct plan_reader *r)
{
	if (r == NULL)
		return;
	plan_reader_clear_header(r);
	plan_facts_clear(&r->facts);
	free(r->section);
	free(r);
}

/*
 * The first row of a later table (a document's, or a sheet's after its
 * table ended), which names columns: a repetition of the header is
 * skipped as any is; other columns replace the current ones, so that a
 * second table with columns of its own is read by them, from no section.
 */
int
plan_reader_new_header(struct plan_reader *r, struct plan_place place,
    char **cells, size_t n, char **cause)
{
	if (r->have_header && !plan_reader_is_header(r, cells, n)) {
		plan_reader_clear_header(r);
		r->have_header = 0;
		r->unnamed = 0;
		free(r->section);
		r->section = NULL;
		r->category = PLAN_CATEGORY_NONE;
	}
	return (plan_reader_row(r, place, cells, n, cause));
}

/* Formats "NAME:LINE: message" (or "NAME: table T, row R: ") into *cause. */
int
plan_reader_error(char **cause, const char *name, struct plan_place place,
    const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (cause == NULL)
		return (-1);
	if (place.table == 0)
		xasprintf(cause, "%s:%u: %s", name, place.row, msg);
	else
		xasprintf(cause, "%s: table %u, row %u: %s", name, place.table,
		    place.row, msg);
	return (-1);
}

/* Frees the strings of one record. */
static void
plan_record_clear(struct plan_record *rec)
{
	free(rec->number);
	free(rec->section);
	free(rec->content);
	free(rec->action);
	free(rec->units);
	free(rec->support);
	free(rec->time);
	free(rec->notes);
}

/* Frees the records of a table and empties it; NULL is safe. */
void
plan_table_free(struct plan_table *table)
{
	size_t	 i;

	if (table == NULL)
		return;
	for (i = 0; i < table->n; i++)
		plan_record_clear(&table->records[i]);
	for (i = 0; i < table->nunknown; i++)
		free(table->unknown[i].name);
	free(table->unknown);
	free(table->records);
	free(table->title);
	free(table->number);
	memset(table, 0, sizeof *table);
}
