/*
 * Plans as they arrive: office documents, recognised by content.  A ZIP
 * archive is an OpenDocument file by its "mimetype" entry or an Office Open
 * XML one by the main part that [Content_Types].xml names; the format
 * chooses the reader (plan-docx.c, plan-xlsx.c, plan-odf.c).  Formats
 * read by no reader here (Word 97-2003, Excel 97-2003, PDF, RTF,
 * presentations) and password-protected documents are refused with the
 * command that converts them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan-office.h"
#include "utf8.h"
#include "xmlpart.h"
#include "zipfile.h"

#define PLAN_OFFICE_CONVERT	"soffice --headless --convert-to docx FILE"
#define PLAN_OFFICE_CONVERT_XLSX \
	"soffice --headless --convert-to xlsx FILE"

#define PLAN_NS_CT \
	"http://schemas.openxmlformats.org/package/2006/content-types"
#define PLAN_NS_RELS \
	"http://schemas.openxmlformats.org/package/2006/relationships"

/* The formats an archive may hold. */
enum plan_office_format {
	PLAN_OFFICE_NONE,
	PLAN_OFFICE_DOCX,
	PLAN_OFFICE_XLSX,
	PLAN_OFFICE_ODT,
	PLAN_OFFICE_ODS
};

/* A main part's content type, and the format it makes the archive. */
struct plan_office_type {
	const char		*type;
	enum plan_office_format	 format;
	const char		*refused;	/* why, when not read */
};

static const struct plan_office_type plan_office_types[] = {
	{ "application/vnd.openxmlformats-officedocument.wordprocessingml."
	    "document.main+xml", PLAN_OFFICE_DOCX, NULL },
	{ "application/vnd.openxmlformats-officedocument.wordprocessingml."
	    "template.main+xml", PLAN_OFFICE_DOCX, NULL },
	{ "application/vnd.ms-word.document.macroEnabled.main+xml",
	    PLAN_OFFICE_DOCX, NULL },
	{ "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
	    PLAN_OFFICE_DOCX, NULL },
	{ "application/vnd.openxmlformats-officedocument.spreadsheetml."
	    "sheet.main+xml", PLAN_OFFICE_XLSX, NULL },
	{ "application/vnd.openxmlformats-officedocument.spreadsheetml."
	    "template.main+xml", PLAN_OFFICE_XLSX, NULL },
	{ "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
	    PLAN_OFFICE_XLSX, NULL },
	{ "application/vnd.ms-excel.template.macroEnabled.main+xml",
	    PLAN_OFFICE_XLSX, NULL },
	{ "application/vnd.ms-excel.sheet.binary.macroEnabled.main",
	    PLAN_OFFICE_NONE, "an Excel binary workbook (.xlsb); convert it: "
	    PLAN_OFFICE_CONVERT_XLSX },
	{ "application/vnd.openxmlformats-officedocument.presentationml."
	    "presentation.main+xml", PLAN_OFFICE_NONE, "a presentation, not "
	    "a plan; save the plan's table as .docx or .xlsx" },
};

/* Formats "NAME: message" into *cause; returns -1. */
int
plan_office_error(char **cause, const char *name, const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[1024];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (cause != NULL)
		xasprintf(cause, "%s: %s", name, msg);
	return (-1);
}

/*
 * 1 if the n bytes at data hold a directory entry of a compound file
 * named s: its UTF-16LE name, NUL-terminated, on a 64-byte boundary (an
 * entry's name starts it), so that text such as "Book Title" is no entry.
 */
static int
plan_office_has_stream(const char *data, size_t len, const char *s)
{
	size_t	 n = strlen(s), i, j;

	for (i = 0; i + 2 * n + 2 <= len; i += 64) {
		for (j = 0; j < n; j++) {
			if (data[i + 2 * j] != s[j] ||
			    data[i + 2 * j + 1] != '\0')
				break;
		}
		if (j == n && data[i + 2 * n] == '\0' &&
		    data[i + 2 * n + 1] == '\0')
			return (1);
	}
	return (0);
}

/*
 * The error for an OLE2 compound file: a password-protected Office Open
 * XML document (its package is the "EncryptedPackage" stream), or a Word
 * or Excel 97-2003 file, told apart by their streams' names.
 */
static int
plan_office_ole2(const char *name, const char *data, size_t len,
    char **cause)
{
	if (plan_office_has_stream(data, len, "EncryptedPackage"))
		return (plan_office_error(cause, name, "a password-protected "
		    "(encrypted) document; open it, remove the password, save "
		    "it again and import that file"));
	if (plan_office_has_stream(data, len, "WordDocument"))
		return (plan_office_error(cause, name, "a Word 97-2003 "
		    "document (.doc), which is not read here; convert it: "
		    PLAN_OFFICE_CONVERT));
	if (plan_office_has_stream(data, len, "Workbook") ||
	    plan_office_has_stream(data, len, "Book"))
		return (plan_office_error(cause, name, "an Excel 97-2003 "
		    "workbook (.xls), which is not read here; convert it: "
		    PLAN_OFFICE_CONVERT_XLSX));
	return (plan_office_error(cause, name, "an OLE2 compound file (an "
	    "old Office format), which is not read here; convert it: "
	    PLAN_OFFICE_CONVERT));
}

/* 1 if the bytes are a document for this file: ZIP, OLE2, PDF, RTF. */
int
plan_office_probe(const char *data, size_t len)
{
	return (zipfile_magic(data, len) ||
	    (len >= 8 && memcmp(data, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
	    8) == 0) || (len >= 5 && memcmp(data, "%PDF-", 5) == 0) ||
	    (len >= 5 && memcmp(data, "{\\rtf", 5) == 0));
}

/* The format of an OpenDocument archive by its "mimetype" entry. */
static int
plan_office_odf_format(struct zipfile *zf, const char *name,
    enum plan_office_format *format, char **cause)
{
	char	*type;
	size_t	 len;

	if ((type = zipfile_read_all(zf, "mimetype", 256, &len,
	    cause)) == NULL)
		return (-1);
	if (strcmp(type, "application/vnd.oasis.opendocument.text") == 0 ||
	    strcmp(type, "application/vnd.oasis.opendocument.text-template") ==
	    0)
		*format = PLAN_OFFICE_ODT;
	else if (strcmp(type,
	    "application/vnd.oasis.opendocument.spreadsheet") == 0 ||
	    strcmp(type,
	    "application/vnd.oasis.opendocument.spreadsheet-template") == 0)
		*format = PLAN_OFFICE_ODS;
	else {
		plan_office_error(cause, name, "an OpenDocument file of type "
		    "\"%.100s\", not a text (.odt) or spreadsheet (.ods); "
		    "convert it: %s", utf8_valid_str(type) ? type : "?",
		    PLAN_OFFICE_CONVERT);
		free(type);
		return (-1);
	}
	free(type);
	return (0);
}

/* The format a content type of a main part names; -1 if refused. */
static int
plan_office_type_of(const char *name, const char *type, const char *part,
    enum plan_office_format *format, char **main, char **cause)
{
	size_t	 i;

	for (i = 0; i < sizeof plan_office_types /
	    sizeof plan_office_types[0]; i++) {
		if (strcmp(type, plan_office_types[i].type) != 0)
			continue;
		if (plan_office_types[i].refused != NULL)
			return (plan_office_error(cause, name, "%s",
			    plan_office_types[i].refused));
		*format = plan_office_types[i].format;
		free(*main);
		*main = xstrdup(part[0] == '/' ? part + 1 : part);
		return (0);
	}
	return (0);
}

/* The main part of an Office Open XML archive and its format. */
static int
plan_office_ooxml_format(struct zipfile *zf, const char *name,
    enum plan_office_format *format, char **main, char **cause)
{
	struct xmlpart	*x;
	char		*type, *part, *err;
	int		 rv = 0;

	if ((x = xmlpart_open(zf, "[Content_Types].xml", cause)) == NULL)
		return (-1);
	while (*format == PLAN_OFFICE_NONE && (rv = xmlpart_next(x)) == 1) {
		if (xmlpart_type(x) != XMLPART_START ||
		    !xmlpart_is(x, PLAN_NS_CT, "Override"))
			continue;
		type = xmlpart_attr(x, NULL, "ContentType");
		part = xmlpart_attr(x, NULL, "PartName");
		rv = 0;
		if (type != NULL && part != NULL)
			rv = plan_office_type_of(name, type, part, format,
			    main, cause);
		free(type);
		free(part);
		if (rv == -1)
			break;
	}
	if (rv == -1 && *cause == NULL) {
		err = xmlpart_error(x);
		plan_office_error(cause, name, "%s", err);
		free(err);
	}
	xmlpart_close(x);
	if (rv != -1 && *format == PLAN_OFFICE_NONE)
		rv = plan_office_error(cause, name, "an Office Open XML "
		    "package with no document or workbook in it");
	return (rv == -1 ? -1 : 0);
}

/* Runs the reader of the archive's format. */
static int
plan_office_dispatch(struct plan_reader *r, struct zipfile *zf,
    const char *name, const char *sheet, char **cause)
{
	enum plan_office_format	 format = PLAN_OFFICE_NONE;
	char			*main = NULL;
	int			 rv = -1;

	if (zipfile_has(zf, "mimetype")) {
		if (plan_office_odf_format(zf, name, &format, cause) == -1)
			return (-1);
	} else if (zipfile_has(zf, "[Content_Types].xml")) {
		if (plan_office_ooxml_format(zf, name, &format, &main,
		    cause) == -1)
			return (-1);
	} else
		return (plan_office_error(cause, name, "a ZIP archive that is "
		    "no office document (no [Content_Types].xml or mimetype "
		    "entry)"));
	if (sheet != NULL && format != PLAN_OFFICE_XLSX &&
	    format != PLAN_OFFICE_ODS) {
		free(main);
		return (plan_office_error(cause, name, "--sheet names a sheet "
		    "of a spreadsheet (.xlsx, .ods), and this is a text "
		    "document"));
	}
	if (format == PLAN_OFFICE_DOCX)
		rv = plan_docx_read(r, zf, main, cause);
	else if (format == PLAN_OFFICE_XLSX)
		rv = plan_xlsx_read(r, zf, main, sheet, cause);
	else
		rv = plan_odf_read(r, zf, format == PLAN_OFFICE_ODS, sheet,
		    cause);
	free(main);
	return (rv);
}

/*
 * Reads an office document (plan_office_probe() said so) into the table;
 * on error fills *cause, returns -1 and leaves the table empty.
 */
int
plan_office_read(const char *name, const char *data, size_t len,
    const char *sheet, struct plan_table *table, char **cause)
{
	struct plan_reader	*r;
	struct zipfile		*zf;
	int			 rv;

	memset(table, 0, sizeof *table);
	if (len >= 8 && memcmp(data, "\xd0\xcf\x11\xe0", 4) == 0)
		return (plan_office_ole2(name, data, len, cause));
	if (memcmp(data, "%PDF-", 5) == 0)
		return (plan_office_error(cause, name, "a PDF file, which is "
		    "not read here; import the Word document it was made "
		    "from, or convert it: %s", PLAN_OFFICE_CONVERT));
	if (!zipfile_magic(data, len))
		return (plan_office_error(cause, name, "an RTF document, which "
		    "is not read here; convert it: %s", PLAN_OFFICE_CONVERT));
	if ((zf = zipfile_open(name, data, len, cause)) == NULL)
		return (-1);
	r = plan_reader_new(name, table, 0);
	rv = plan_office_dispatch(r, zf, name, sheet, cause);
	if (rv == 0)
		rv = plan_reader_finish(r, cause);
	plan_reader_free(r);
	zipfile_close(zf);
	if (rv != 0)
		plan_table_free(table);
	return (rv);
}

/* Closes a part read to its end: 0, or -1 and *cause if rv is -1. */
int
plan_office_part_end(struct xmlpart *x, struct zipfile *zf, int rv,
    char **cause)
{
	char	*err;

	if (rv == -1) {
		err = xmlpart_error(x);
		plan_office_error(cause, zipfile_name(zf), "%s", err);
		free(err);
	}
	xmlpart_close(x);
	return (rv == -1 ? -1 : 0);
}

/* One relationship of a part. */
struct plan_rel {
	char	*id;
	char	*type;
	char	*target;	/* resolved to an entry name */
};

/* The rels part of a part: "word/document.xml" -> "word/_rels/..." */
static char *
plan_office_rels_name(const char *part)
{
	const char	*slash = strrchr(part, '/');
	char		*rels;

	if (slash == NULL)
		xasprintf(&rels, "_rels/%s.rels", part);
	else
		xasprintf(&rels, "%.*s/_rels/%s.rels", (int)(slash - part),
		    part, slash + 1);
	return (rels);
}

/* Resolves a target relative to the part's folder; caller frees. */
static char *
plan_office_resolve(const char *part, const char *target)
{
	struct buf	 b;
	const char	*slash, *seg, *end;
	size_t		 n;

	buf_init(&b);
	if (*target == '/')
		target++;
	else if ((slash = strrchr(part, '/')) != NULL)
		buf_add(&b, part, (size_t)(slash - part));
	for (seg = target; *seg != '\0'; seg = *end == '/' ? end + 1 : end) {
		if ((end = strchr(seg, '/')) == NULL)
			end = seg + strlen(seg);
		n = (size_t)(end - seg);
		if (n == 0 || (n == 1 && seg[0] == '.'))
			continue;
		if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			while (b.len > 0 && b.data[b.len - 1] != '/')
				b.len--;
			if (b.len > 0)
				b.len--;
			b.data[b.len] = '\0';
			continue;
		}
		if (b.len > 0)
			buf_addc(&b, '/');
		buf_add(&b, seg, n);
	}
	return (buf_steal(&b));
}

/* 1 if the relationship at x matches: by type suffix or by id. */
static int
plan_office_rel_match(struct xmlpart *x, const char *type, const char *id)
{
	char	*v, *mode;
	size_t	 n, vn;
	int	 match = 0;

	if ((mode = xmlpart_attr(x, NULL, "TargetMode")) != NULL &&
	    strcmp(mode, "External") == 0) {
		free(mode);
		return (0);
	}
	free(mode);
	if ((v = xmlpart_attr(x, NULL, id != NULL ? "Id" : "Type")) == NULL)
		return (0);
	if (id != NULL)
		match = strcmp(v, id) == 0;
	else {
		n = strlen(type);
		vn = strlen(v);
		match = vn >= n && strcmp(v + vn - n, type) == 0 &&
		    (vn == n || v[vn - n - 1] == '/');
	}
	free(v);
	return (match);
}

/* The target of the relationship of a part by type or id; NULL if none. */
static char *
plan_office_rel_find(struct zipfile *zf, const char *part, const char *type,
    const char *id, char **cause)
{
	struct xmlpart	*x;
	char		*rels, *target = NULL, *resolved = NULL, *err;
	int		 rv;

	rels = plan_office_rels_name(part);
	if (!zipfile_has(zf, rels)) {
		free(rels);
		return (NULL);
	}
	x = xmlpart_open(zf, rels, cause);
	free(rels);
	if (x == NULL)
		return (NULL);
	while (target == NULL && (rv = xmlpart_next(x)) == 1) {
		if (xmlpart_type(x) == XMLPART_START &&
		    xmlpart_is(x, PLAN_NS_RELS, "Relationship") &&
		    plan_office_rel_match(x, type, id))
			target = xmlpart_attr(x, NULL, "Target");
	}
	if (target == NULL && rv == -1) {
		err = xmlpart_error(x);
		plan_office_error(cause, zipfile_name(zf), "%s", err);
		free(err);
	}
	xmlpart_close(x);
	if (target != NULL)
		resolved = plan_office_resolve(part, target);
	free(target);
	return (resolved);
}

/* The entry of the first relationship of that type; NULL if none. */
char *
plan_office_rel(struct zipfile *zf, const char *part, const char *type,
    char **cause)
{
	return (plan_office_rel_find(zf, part, type, NULL, cause));
}

/* The entry of the relationship of that id; NULL if none. */
char *
plan_office_rel_id(struct zipfile *zf, const char *part, const char *id,
    char **cause)
{
	return (plan_office_rel_find(zf, part, NULL, id, cause));
}

/* A list item's number n in a style ('1', '0', 'a', 'A', 'i', 'I'). */
void
plan_office_number(char style, int n, char *out, size_t size)
{
	static const char	*roman[] = { "m", "cm", "d", "cd", "c", "xc",
				    "l", "xl", "x", "ix", "v", "iv", "i" };
	static const int	 values[] = { 1000, 900, 500, 400, 100, 90, 50,
				    40, 10, 9, 5, 4, 1 };
	size_t			 i, len = 0;

	out[0] = '\0';
	if ((style == 'i' || style == 'I') && n > 0 && n < 4000) {
		for (i = 0; i < 13; i++) {
			for (; n >= values[i] && len + 3 < size;
			    n -= values[i])
				len += (size_t)snprintf(out + len, size - len,
				    "%s", roman[i]);
		}
	} else if ((style == 'a' || style == 'A') && n > 0) {
		for (i = 0; i < (size_t)((n - 1) / 26 + 1) && i + 1 < size &&
		    i < 8; i++)
			out[i] = (char)('a' + (n - 1) % 26);
		out[i] = '\0';
	} else
		snprintf(out, size, style == '0' ? "%02d" : "%d", n);
	for (i = 0; (style == 'A' || style == 'I') && out[i] != '\0'; i++)
		out[i] = (char)(out[i] - 'a' + 'A');
}

/* A bullet character as a house marker: itself if one, else "•". */
void
plan_office_bullet(const char *bullet, char *out, size_t size)
{
	static const char	*kept[] = { "-", "+", "*", "\xe2\x80\xa2",
				    "\xe2\x80\x93" };
	size_t			 i;

	for (i = 0; i < sizeof kept / sizeof kept[0]; i++) {
		if (strcmp(bullet, kept[i]) == 0) {
			snprintf(out, size, "%s", kept[i]);
			return;
		}
	}
	snprintf(out, size, "\xe2\x80\xa2");
}
