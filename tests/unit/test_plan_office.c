/*
 * Tests of plan-office.c and the readers on small documents written here
 * (the integration tests use documents made by office software): formats
 * refused by their signature and compound-file streams, the document's
 * number and the code made of it, dates of a workbook (1900 and 1904
 * systems, built-in and custom formats, not "General" nor a time), and
 * the list numbering of a Word document.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zip.h>

#include "plan.h"
#include "xmalloc.h"
#include "zipmem.h"

#define XLSX_REL \
	"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

/* A part of an archive to build. */
struct part {
	const char	*name;
	const char	*text;
};

/* Builds an archive of stored parts in memory; caller frees. */
static char *
build(const struct part *p, size_t n, size_t *len)
{
	struct zipmem_entry	e[8];
	size_t			i;

	assert_true(n <= sizeof e / sizeof e[0]);
	memset(e, 0, sizeof e);
	for (i = 0; i < n; i++) {
		e[i].name = p[i].name;
		e[i].data = p[i].text;
	}
	return (zipmem_build(e, n, len));
}

/* Reads data as name; the cause on error (caller frees) or NULL. */
static char *
read_error(const char *name, const char *data, size_t len,
    struct plan_table *t)
{
	char	*cause = NULL;

	if (plan_read_buffer_sheet(name, data, len, NULL, t, &cause) == 0)
		return (NULL);
	assert_non_null(cause);
	assert_int_equal(t->n, 0);
	return (cause);
}

/* A compound file whose directory holds one stream of that name. */
static char *
compound(const char *stream, size_t *len)
{
	char	*data = xcalloc(1, 2048);
	size_t	 i;

	memcpy(data, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8);
	/* A second directory entry (512 + 128) names the stream. */
	for (i = 0; stream[i] != '\0'; i++)
		data[640 + 2 * i] = stream[i];
	*len = 2048;
	return (data);
}

static void
test_refused(void **state)
{
	static const struct {
		const char	*stream;
		const char	*words;
	} cases[] = {
		{ "EncryptedPackage", "a password-protected (encrypted)" },
		{ "WordDocument", "Word 97-2003 document (.doc), which is not "
		    "read here; convert it: soffice --headless --convert-to "
		    "docx FILE" },
		{ "Workbook", "Excel 97-2003 workbook (.xls), which is not "
		    "read here; convert it: soffice --headless --convert-to "
		    "xlsx FILE" },
		{ "Contents", "an OLE2 compound file" },
	};
	struct plan_table	 t;
	char			*data, *cause;
	size_t			 len, i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		data = compound(cases[i].stream, &len);
		cause = read_error("ke-hoach.docx", data, len, &t);
		assert_non_null(strstr(cause, "ke-hoach.docx: "));
		if (strstr(cause, cases[i].words) == NULL)
			fail_msg("%s: %s", cases[i].stream, cause);
		free(cause);
		free(data);
	}
	cause = read_error("a.pdf", "%PDF-1.7\n", 9, &t);
	assert_non_null(strstr(cause, "a.pdf: a PDF file"));
	free(cause);
	cause = read_error("a.rtf", "{\\rtf1 x}", 9, &t);
	assert_non_null(strstr(cause, "a.rtf: an RTF document"));
	free(cause);
}

/* A Word document of one paragraph of prose and a two-row table. */
static char *
docx(const char *prose, const char *time, const char *numbering,
    size_t *len)
{
	struct part	 parts[4];
	char		*body, *out;
	size_t		 n = 0;

	xasprintf(&body, "<?xml version=\"1.0\"?><w:document xmlns:w=\""
	    "http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
	    "<w:body><w:p><w:r><w:t>%s</w:t></w:r></w:p>"
	    "<w:p><w:r><w:t>KẾ HOẠCH</w:t></w:r></w:p>"
	    "<w:p><w:r><w:t>Rà soát năm 2024</w:t></w:r></w:p><w:tbl>"
	    "<w:tr><w:tc><w:p><w:r><w:t>STT</w:t></w:r></w:p></w:tc>"
	    "<w:tc><w:p><w:r><w:t>Thời gian thực hiện</w:t></w:r></w:p></w:tc>"
	    "</w:tr><w:tr><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>"
	    "<w:tc>%s</w:tc></w:tr></w:tbl></w:body></w:document>", prose,
	    time);
	parts[n++] = (struct part){ "[Content_Types].xml", "<Types xmlns=\""
	    "http://schemas.openxmlformats.org/package/2006/content-types\">"
	    "<Override PartName=\"/word/document.xml\" ContentType=\""
	    "application/vnd.openxmlformats-officedocument.wordprocessingml."
	    "document.main+xml\"/></Types>" };
	parts[n++] = (struct part){ "word/document.xml", body };
	if (numbering != NULL) {
		parts[n++] = (struct part){ "word/_rels/document.xml.rels",
		    "<Relationships xmlns=\"http://schemas.openxmlformats.org/"
		    "package/2006/relationships\"><Relationship Id=\"r1\" "
		    "Type=\"" XLSX_REL "numbering\" Target=\"numbering.xml\"/>"
		    "</Relationships>" };
		parts[n++] = (struct part){ "word/numbering.xml", numbering };
	}
	out = build(parts, n, len);
	free(body);
	return (out);
}

static void
test_number(void **state)
{
	static const struct {
		const char	*prose;
		const char	*number;
		const char	*code;
	} cases[] = {
		{ "Số: 45/KH-UBND", "45/KH-UBND", "45-kh-ubnd-2024" },
		{ "Số:123/QĐ-UBND ngày 5/3/2024", "123/QĐ-UBND",
		    "123-qd-ubnd-2024" },
		{ "Số: /KH-UBND", NULL, NULL },		/* a draft */
		{ "Căn cứ Quyết định số 264/QĐ-UBND", NULL, NULL },
		{ "Số: 45", NULL, NULL },
	};
	struct plan_table	 t;
	char			*data, *cause = NULL, *code;
	size_t			 len, i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		data = docx(cases[i].prose, "<w:p><w:r><w:t>Quý II</w:t></w:r>"
		    "</w:p>", NULL, &len);
		assert_int_equal(plan_read_buffer("a.docx", data, len, &t,
		    &cause), 0);
		assert_int_equal(t.year, 2024);
		assert_string_equal(t.title, "Rà soát năm 2024");
		code = plan_number_code(&t);
		if (cases[i].number == NULL) {
			assert_null(t.number);
			assert_null(code);
		} else {
			assert_string_equal(t.number, cases[i].number);
			assert_string_equal(code, cases[i].code);
		}
		free(code);
		plan_table_free(&t);
		free(data);
	}
}

static void
test_docx_lists(void **state)
{
	const char	*numbering = "<w:numbering xmlns:w=\"http://schemas."
			    "openxmlformats.org/wordprocessingml/2006/main\">"
			    "<w:abstractNum w:abstractNumId=\"3\">"
			    "<w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/>"
			    "<w:numFmt w:val=\"lowerLetter\"/>"
			    "<w:lvlText w:val=\"%1)\"/></w:lvl>"
			    "<w:lvl w:ilvl=\"1\"><w:numFmt w:val=\"bullet\"/>"
			    "<w:lvlText w:val=\"\xef\x82\xb7\"/></w:lvl>"
			    "<w:lvl w:ilvl=\"2\">"
			    "<w:numFmt w:val=\"upperRoman\"/>"
			    "<w:lvlText w:val=\"%1.%3.\"/></w:lvl>"
			    "</w:abstractNum>"
			    "<w:num w:numId=\"7\">"
			    "<w:abstractNumId w:val=\"3\"/>"
			    "<w:lvlOverride w:ilvl=\"0\"><w:startOverride "
			    "w:val=\"4\"/></w:lvlOverride></w:num>"
			    "</w:numbering>";
	const char	*cell = "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/>"
			    "<w:numId w:val=\"7\"/></w:numPr></w:pPr><w:r><w:t>"
			    "Một</w:t></w:r></w:p>"
			    "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"1\"/>"
			    "<w:numId w:val=\"7\"/></w:numPr></w:pPr><w:r><w:t>"
			    "Hai</w:t></w:r></w:p>"
			    "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"2\"/>"
			    "<w:numId w:val=\"7\"/></w:numPr></w:pPr><w:r><w:t>"
			    "Ba</w:t></w:r></w:p>"
			    "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"2\"/>"
			    "<w:numId w:val=\"7\"/></w:numPr></w:pPr><w:r><w:t>"
			    "Bốn</w:t></w:r></w:p>"
			    "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/>"
			    "<w:numId w:val=\"7\"/></w:numPr></w:pPr><w:r><w:t>"
			    "Năm</w:t><w:br/><w:t>sáu</w:t><w:tab/><w:t>bảy"
			    "</w:t></w:r></w:p>"
			    "<w:p><w:pPr><w:numPr><w:numId w:val=\"0\"/>"
			    "</w:numPr>"
			    "</w:pPr><w:r><w:t>Tám</w:t></w:r></w:p>";
	struct plan_table	 t;
	char			*data, *cause = NULL;
	size_t			 len;

	data = docx("Số: 1/KH-UBND", cell, numbering, &len);
	assert_int_equal(plan_read_buffer("a.docx", data, len, &t, &cause), 0);
	assert_int_equal(t.n, 1);
	/* d) e) by the override; a Symbol-font bullet is "•"; %1.%3. */
	assert_string_equal(t.records[0].time, "d) Một\n\xe2\x80\xa2 Hai\n"
	    "d.I. Ba\nd.II. Bốn\ne) Năm\nsáu bảy\nTám");
	plan_table_free(&t);
	free(data);
}

/* A workbook of one sheet: the header, then one row of a number cell. */
static char *
xlsx(int date1904, const char *formats, int style, const char *value,
    size_t *len)
{
	struct part	 parts[6];
	char		*book, *sheet, *styles, *out;

	xasprintf(&book, "<workbook xmlns=\"http://schemas.openxmlformats.org/"
	    "spreadsheetml/2006/main\" xmlns:r=\"http://schemas."
	    "openxmlformats.org/officeDocument/2006/relationships\">"
	    "<workbookPr date1904=\"%d\"/><sheets><sheet name=\"KH\" "
	    "sheetId=\"1\" r:id=\"s1\"/></sheets></workbook>", date1904);
	xasprintf(&sheet, "<worksheet xmlns=\"http://schemas.openxmlformats."
	    "org/spreadsheetml/2006/main\"><sheetData><row r=\"1\"><c r=\"A1\" "
	    "t=\"inlineStr\"><is><t>STT</t></is></c><c r=\"B1\" t=\""
	    "inlineStr\"><is><t>Thời hạn</t></is></c></row><row r=\"2\">"
	    "<c r=\"A2\"><v>1</v></c><c r=\"B2\" s=\"%d\"><v>%s</v></c></row>"
	    "</sheetData></worksheet>", style, value);
	xasprintf(&styles, "<styleSheet xmlns=\"http://schemas.openxmlformats."
	    "org/spreadsheetml/2006/main\"><numFmts>%s</numFmts><cellXfs>"
	    "<xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/>"
	    "<xf numFmtId=\"2\"/></cellXfs></styleSheet>", formats);
	parts[0] = (struct part){ "[Content_Types].xml", "<Types xmlns=\""
	    "http://schemas.openxmlformats.org/package/2006/content-types\">"
	    "<Override PartName=\"/xl/workbook.xml\" ContentType=\""
	    "application/vnd.openxmlformats-officedocument.spreadsheetml."
	    "sheet.main+xml\"/></Types>" };
	parts[1] = (struct part){ "xl/workbook.xml", book };
	parts[2] = (struct part){ "xl/_rels/workbook.xml.rels", "<Relationships"
	    " xmlns=\"http://schemas.openxmlformats.org/package/2006/"
	    "relationships\"><Relationship Id=\"s1\" Type=\"" XLSX_REL
	    "worksheet\" Target=\"sheets/../worksheets/s.xml\"/><Relationship "
	    "Id=\"st\" Type=\"" XLSX_REL "styles\" Target=\"/xl/styles.xml\"/>"
	    "</Relationships>" };
	parts[3] = (struct part){ "xl/worksheets/s.xml", sheet };
	parts[4] = (struct part){ "xl/styles.xml", styles };
	out = build(parts, 5, len);
	free(book);
	free(sheet);
	free(styles);
	return (out);
}

static void
test_xlsx_dates(void **state)
{
	static const struct {
		int		 date1904;
		const char	*format;	/* custom format 164 */
		int		 style;
		const char	*value;
		const char	*text;
	} cases[] = {
		/* 31/05/2024: 45443 days after 30/12/1899, 43981 after
		 * 1/1/1904. */
		{ 0, "", 1, "45443", "31/05/2024" },
		{ 1, "", 1, "43981", "31/05/2024" },
		{ 0, "", 1, "45443.75", "31/05/2024" },
		/* Excel's 29/02/1900, which never was; day 1 and day 61. */
		{ 0, "", 1, "60", "29/02/1900" },
		{ 0, "", 1, "1", "01/01/1900" },
		{ 0, "", 1, "61", "01/03/1900" },
		{ 0, "dd/mm/yyyy", 2, "45443", "31/05/2024" },
		{ 0, "[$-42A]d mmmm yyyy", 2, "45443", "31/05/2024" },
		{ 0, "General", 2, "45443", "45443" },
		{ 0, "h:mm", 2, "45443", "45443" },
		{ 0, "\"ngày\" 0", 2, "45443", "45443" },
		{ 0, "", 3, "45443", "45443" },
		{ 0, "", 0, "45443", "45443" },
	};
	struct plan_table	 t;
	char			*data, *cause = NULL, *formats;
	size_t			 len, i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		xasprintf(&formats, "<numFmt numFmtId=\"164\" formatCode="
		    "\"%s\"/>", cases[i].format);
		if (strchr(cases[i].format, '"') != NULL) {
			free(formats);
			formats = xstrdup("<numFmt numFmtId=\"164\" formatCode="
			    "\"&quot;ngày&quot; 0\"/>");
		}
		data = xlsx(cases[i].date1904, formats, cases[i].style,
		    cases[i].value, &len);
		if (plan_read_buffer("a.xlsx", data, len, &t, &cause) != 0)
			fail_msg("%s", cause);
		assert_int_equal(t.n, 1);
		if (strcmp(t.records[0].time, cases[i].text) != 0)
			fail_msg("case %zu: %s, want %s", i, t.records[0].time,
			    cases[i].text);
		plan_table_free(&t);
		free(data);
		free(formats);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_number),
		cmocka_unit_test(test_docx_lists),
		cmocka_unit_test(test_xlsx_dates),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
