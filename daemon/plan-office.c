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

#include "plan-grid.h"
#include "plan-office.h"
#include "plan-office-parts.h"
#include "utf8.h"
#include "xmlpart.h"
#include "zipfile.h"

#define PLAN_OFFICE_CONVERT	"soffice --headless --convert-to docx FILE"
#define PLAN_OFFICE_CONVERT_XLSX \
	"soffice --headless --convert-to xlsx FILE"

#define PLAN_NS_CT \
	"http://schemas.openxmlformats.org/package/2006/content-types"

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
