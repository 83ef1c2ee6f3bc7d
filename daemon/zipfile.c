/*
 * ZIP archives in memory through libzip, read under limits (see
 * zipfile.h): the office documents a plan arrives as are ZIP archives of
 * XML parts, and a hostile one must cost no more than a real one.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "xmalloc.h"
#include "zipfile.h"

struct zipfile {
	char		*name;
	zip_t		*za;
	uint64_t	 total;		/* bytes inflated from all entries */
};

struct zipfile_entry {
	struct zipfile	*zf;
	zip_file_t	*file;
	char		*name;
	uint64_t	 compressed;
	uint64_t	 read;
	char		*error;
};

/* 1 if the bytes start like a ZIP archive ("PK\3\4" or an empty one). */
int
zipfile_magic(const void *data, size_t len)
{
	return (len >= 4 && (memcmp(data, "PK\003\004", 4) == 0 ||
	    memcmp(data, "PK\005\006", 4) == 0));
}

/* What a libzip error on opening means to the person who sent the file. */
static const char *
zipfile_open_reason(int code)
{
	switch (code) {
	case ZIP_ER_NOZIP:
		return ("not a ZIP archive, or a truncated one (its "
		    "directory is missing)");
	case ZIP_ER_INCONS:
		return ("damaged or truncated ZIP archive");
	case ZIP_ER_MEMORY:
		return ("out of memory");
	default:
		return ("cannot open the ZIP archive");
	}
}

/* Opens the archive in data (borrowed until zipfile_close); NULL on error. */
struct zipfile *
zipfile_open(const char *name, const void *data, size_t len, char **cause)
{
	struct zipfile	*zf;
	zip_source_t	*src;
	zip_error_t	 err;
	zip_int64_t	 n;

	zip_error_init(&err);
	if ((src = zip_source_buffer_create(data, len, 0, &err)) == NULL) {
		xasprintf(cause, "%s: %s", name, zip_error_strerror(&err));
		zip_error_fini(&err);
		return (NULL);
	}
	zf = xcalloc(1, sizeof *zf);
	if ((zf->za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS,
	    &err)) == NULL) {
		xasprintf(cause, "%s: %s (%s)", name,
		    zipfile_open_reason(zip_error_code_zip(&err)),
		    zip_error_strerror(&err));
		zip_error_fini(&err);
		zip_source_free(src);
		free(zf);
		return (NULL);
	}
	zip_error_fini(&err);
	zf->name = xstrdup(name);
	n = zip_get_num_entries(zf->za, 0);
	if (n < 0 || n > ZIPFILE_MAX_ENTRIES) {
		xasprintf(cause, "%s: ZIP archive of %lld entries (at most %d)",
		    name, (long long)n, ZIPFILE_MAX_ENTRIES);
		zipfile_close(zf);
		return (NULL);
	}
	return (zf);
}

/* Closes the archive; NULL is safe. */
void
zipfile_close(struct zipfile *zf)
{
	if (zf == NULL)
		return;
	if (zf->za != NULL)
		zip_discard(zf->za);
	free(zf->name);
	free(zf);
}

/* The name of the archive, for messages. */
const char *
zipfile_name(const struct zipfile *zf)
{
	return (zf->name);
}

/* 1 if the archive has an entry of that name (ASCII case ignored). */
int
zipfile_has(const struct zipfile *zf, const char *entry)
{
	return (zip_name_locate(zf->za, entry, ZIP_FL_NOCASE) >= 0);
}

/* Fills *cause with "NAME: ENTRY: message" and returns NULL. */
static void *
zipfile_entry_fail(struct zipfile *zf, const char *entry, char **cause,
    const char *msg)
{
	xasprintf(cause, "%s: %s: %s", zf->name, entry, msg);
	return (NULL);
}

/* Opens an entry for reading as a stream; NULL and *cause on error. */
struct zipfile_entry *
zipfile_entry_open(struct zipfile *zf, const char *entry, char **cause)
{
	struct zipfile_entry	*e;
	zip_stat_t		 st;
	zip_int64_t		 idx;
	zip_file_t		*file;
	char			 msg[128];

	if ((idx = zip_name_locate(zf->za, entry, ZIP_FL_NOCASE)) < 0)
		return (zipfile_entry_fail(zf, entry, cause,
		    "no such part in the archive"));
	zip_stat_init(&st);
	if (zip_stat_index(zf->za, (zip_uint64_t)idx, 0, &st) != 0)
		return (zipfile_entry_fail(zf, entry, cause,
		    zip_error_strerror(zip_get_error(zf->za))));
	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
	    st.encryption_method != ZIP_EM_NONE)
		return (zipfile_entry_fail(zf, entry, cause,
		    "encrypted (the document is password-protected)"));
	if ((st.valid & ZIP_STAT_SIZE) && st.size > ZIPFILE_MAX_ENTRY) {
		snprintf(msg, sizeof msg, "inflates to %llu bytes (at most "
		    "%d; a ZIP bomb?)", (unsigned long long)st.size,
		    ZIPFILE_MAX_ENTRY);
		return (zipfile_entry_fail(zf, entry, cause, msg));
	}
	if ((file = zip_fopen_index(zf->za, (zip_uint64_t)idx, 0)) == NULL)
		return (zipfile_entry_fail(zf, entry, cause,
		    zip_error_strerror(zip_get_error(zf->za))));
	e = xcalloc(1, sizeof *e);
	e->zf = zf;
	e->file = file;
	e->name = xstrdup(entry);
	e->compressed = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
	return (e);
}

/* Records the first error of an entry, "ENTRY: message"; returns -1. */
static long __attribute__((format(printf, 2, 3)))
zipfile_entry_set_error(struct zipfile_entry *e, const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[256];

	if (e->error == NULL) {
		va_start(ap, fmt);
		vsnprintf(msg, sizeof msg, fmt, ap);
		va_end(ap);
		xasprintf(&e->error, "%s: %s", e->name, msg);
	}
	return (-1);
}

/* Checks the limits after n more bytes were inflated; -1 past one. */
static long
zipfile_entry_limits(struct zipfile_entry *e, uint64_t n)
{
	uint64_t	 compressed = e->compressed > 0 ? e->compressed : 1;

	e->read += n;
	e->zf->total += n;
	if (e->read > ZIPFILE_MAX_ENTRY)
		return (zipfile_entry_set_error(e, "inflates to more than %d "
		    "bytes (a ZIP bomb?)", ZIPFILE_MAX_ENTRY));
	if (e->zf->total > ZIPFILE_MAX_TOTAL)
		return (zipfile_entry_set_error(e, "the archive inflates to "
		    "more than %d bytes (a ZIP bomb?)", ZIPFILE_MAX_TOTAL));
	if (e->read > ZIPFILE_RATIO_FLOOR &&
	    e->read / compressed > ZIPFILE_MAX_RATIO)
		return (zipfile_entry_set_error(e, "inflates more than %d "
		    "times its compressed size (a ZIP bomb?)",
		    ZIPFILE_MAX_RATIO));
	return ((long)n);
}

/* Reads up to n bytes: their count, 0 at the end, -1 on error. */
long
zipfile_entry_read(struct zipfile_entry *e, void *buf, size_t n)
{
	zip_int64_t	 got;

	if (e->error != NULL)
		return (-1);
	if (n > 1024 * 1024)
		n = 1024 * 1024;
	if ((got = zip_fread(e->file, buf, n)) < 0)
		return (zipfile_entry_set_error(e, "damaged (%s)",
		    zip_error_strerror(zip_file_get_error(e->file))));
	return (zipfile_entry_limits(e, (uint64_t)got));
}

/* The message of the entry's first error, or NULL. */
const char *
zipfile_entry_error(const struct zipfile_entry *e)
{
	return (e->error);
}

/* The name of the entry, for messages. */
const char *
zipfile_entry_name(const struct zipfile_entry *e)
{
	return (e->name);
}

/* Closes an entry; NULL is safe. */
void
zipfile_entry_close(struct zipfile_entry *e)
{
	if (e == NULL)
		return;
	zip_fclose(e->file);
	free(e->name);
	free(e->error);
	free(e);
}

/* A whole (small) entry: at most max bytes, NUL-terminated; caller frees. */
char *
zipfile_read_all(struct zipfile *zf, const char *entry, size_t max,
    size_t *len, char **cause)
{
	struct zipfile_entry	*e;
	struct buf		 b;
	char			 chunk[16384];
	long			 n;

	if ((e = zipfile_entry_open(zf, entry, cause)) == NULL)
		return (NULL);
	buf_init(&b);
	while ((n = zipfile_entry_read(e, chunk, sizeof chunk)) > 0) {
		if (b.len + (size_t)n > max) {
			xasprintf(cause, "%s: %s: larger than %zu bytes",
			    zf->name, entry, max);
			goto fail;
		}
		buf_add(&b, chunk, (size_t)n);
	}
	if (n < 0) {
		xasprintf(cause, "%s: %s", zf->name, zipfile_entry_error(e));
		goto fail;
	}
	zipfile_entry_close(e);
	*len = b.len;
	return (buf_steal(&b));
fail:
	zipfile_entry_close(e);
	buf_free(&b);
	return (NULL);
}
