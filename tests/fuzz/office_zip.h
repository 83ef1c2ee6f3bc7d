/*
 * Shared by the office harnesses (fuzz_docx.c, fuzz_xlsx.c, fuzz_odf.c).
 * Mutating a ZIP archive byte by byte mostly breaks its checksums, so an
 * input is split at NUL bytes into the XML parts the reader reads (the
 * main part first), which are stored in a fresh archive around the fixed
 * parts of the format; an input that starts like a ZIP archive is read as
 * one, to reach the archive layer too.  Then each record of the result is
 * checked as fuzz_plan.c checks them.
 */
#ifndef OFFICE_ZIP_H
#define OFFICE_ZIP_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "plan.h"
#include "plan_bullets.h"
#include "xmalloc.h"

#define OFFICE_MAX_PARTS	4

/* A part of the archive: its name and fixed text, or the input's Nth. */
struct office_part {
	const char	*name;
	const char	*text;		/* NULL: the input's part "input" */
	int		 input;
};

/* Splits the input at NUL bytes into at most OFFICE_MAX_PARTS parts. */
static size_t
office_split(const uint8_t *data, size_t size, const uint8_t **parts,
    size_t *lens)
{
	const uint8_t	*nul;
	size_t		 n = 0;

	while (n < OFFICE_MAX_PARTS - 1 &&
	    (nul = memchr(data, '\0', size)) != NULL) {
		parts[n] = data;
		lens[n++] = (size_t)(nul - data);
		size -= (size_t)(nul - data) + 1;
		data = nul + 1;
	}
	parts[n] = data;
	lens[n++] = size;
	return (n);
}

/* Adds one stored entry to the archive being built. */
static void
office_add(zip_t *za, const char *name, const void *data, size_t len)
{
	zip_source_t	*src;
	zip_int64_t	 idx;

	if ((src = zip_source_buffer(za, data, len, 0)) == NULL)
		abort();
	if ((idx = zip_file_add(za, name, src, ZIP_FL_OVERWRITE)) < 0) {
		zip_source_free(src);
		abort();
	}
	zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
}

/* The archive of the fixed parts and the input's parts; caller frees. */
static char *
office_archive(const struct office_part *layout, size_t nlayout,
    const uint8_t *data, size_t size, size_t *len)
{
	const uint8_t	*parts[OFFICE_MAX_PARTS];
	size_t		 lens[OFFICE_MAX_PARTS], n, i;
	zip_error_t	 err;
	zip_source_t	*src;
	zip_stat_t	 st;
	zip_t		*za;
	char		*out;

	n = office_split(data, size, parts, lens);
	zip_error_init(&err);
	if ((src = zip_source_buffer_create(NULL, 0, 0, &err)) == NULL)
		abort();
	zip_source_keep(src);
	if ((za = zip_open_from_source(src, ZIP_TRUNCATE, &err)) == NULL)
		abort();
	for (i = 0; i < nlayout; i++) {
		if (layout[i].text != NULL)
			office_add(za, layout[i].name, layout[i].text,
			    strlen(layout[i].text));
		else if ((size_t)layout[i].input < n)
			office_add(za, layout[i].name,
			    parts[layout[i].input], lens[layout[i].input]);
	}
	if (zip_close(za) != 0)
		abort();
	zip_stat_init(&st);
	if (zip_source_stat(src, &st) != 0 || zip_source_open(src) != 0)
		abort();
	out = xmalloc(st.size + 1);
	if (zip_source_read(src, out, st.size) != (zip_int64_t)st.size)
		abort();
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&err);
	*len = st.size;
	return (out);
}

/* A cell of an office reader: no tab or CR, bullets trimmed. */
static void
office_check_cell(const char *cell)
{
	if (strchr(cell, '\t') != NULL || strchr(cell, '\r') != NULL)
		abort();
	fuzz_check_bullets(cell);
}

/* Reads an archive as name (sheet or NULL) and checks what comes out. */
static void
office_read(const char *name, const char *data, size_t len,
    const char *sheet)
{
	struct plan_table	 table;
	char			*cause = NULL;
	size_t			 i;

	if (plan_read_buffer_sheet(name, data, len, sheet, &table,
	    &cause) == -1) {
		if (cause == NULL || strncmp(cause, name, strlen(name)) != 0 ||
		    table.n != 0 || table.records != NULL)
			abort();
		free(cause);
		return;
	}
	for (i = 0; i < table.n; i++) {
		office_check_cell(table.records[i].content);
		office_check_cell(table.records[i].action);
		office_check_cell(table.records[i].units);
		office_check_cell(table.records[i].time);
		office_check_cell(table.records[i].notes);
	}
	free(plan_number_code(&table));
	plan_table_free(&table);
}

/* Reads the input as an archive, or as parts in the layout. */
static void
office_fuzz(const char *name, const struct office_part *layout,
    size_t nlayout, const uint8_t *data, size_t size, const char *sheet)
{
	char	*archive;
	size_t	 len;

	if (size >= 4 && memcmp(data, "PK\003\004", 4) == 0) {
		office_read(name, (const char *)data, size, sheet);
		return;
	}
	archive = office_archive(layout, nlayout, data, size, &len);
	office_read(name, archive, len, sheet);
	free(archive);
}

#endif
