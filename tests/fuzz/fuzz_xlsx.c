/*
 * libFuzzer harness for the Excel reader (plan-xlsx.c): the input's parts
 * are the plan's sheet, xl/sharedStrings.xml and xl/styles.xml of an
 * .xlsx whose first sheet has no plan (see office_zip.h), or a whole
 * archive.  Each is read for the first sheet with a plan header and as
 * --sheet "Kế hoạch".
 */
#include "office_zip.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define XLSX_REL \
	"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

static const struct office_part xlsx_layout[] = {
	{ "[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\""
	    "http://schemas.openxmlformats.org/package/2006/content-types\">"
	    "<Override PartName=\"/xl/workbook.xml\" ContentType=\""
	    "application/vnd.openxmlformats-officedocument.spreadsheetml."
	    "sheet.main+xml\"/></Types>", 0 },
	{ "xl/workbook.xml", "<?xml version=\"1.0\"?><workbook xmlns=\""
	    "http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
	    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/"
	    "relationships\"><workbookPr date1904=\"false\"/><sheets>"
	    "<sheet name=\"Ghi chú\" sheetId=\"1\" r:id=\"rId1\"/>"
	    "<sheet name=\"Kế hoạch\" sheetId=\"2\" r:id=\"rId2\"/>"
	    "</sheets></workbook>", 0 },
	{ "xl/_rels/workbook.xml.rels", "<?xml version=\"1.0\"?>"
	    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
	    "2006/relationships\">"
	    "<Relationship Id=\"rId1\" Type=\"" XLSX_REL "worksheet\" "
	    "Target=\"worksheets/sheet1.xml\"/>"
	    "<Relationship Id=\"rId2\" Type=\"" XLSX_REL "worksheet\" "
	    "Target=\"/xl/worksheets/sheet2.xml\"/>"
	    "<Relationship Id=\"rId3\" Type=\"" XLSX_REL "sharedStrings\" "
	    "Target=\"sharedStrings.xml\"/>"
	    "<Relationship Id=\"rId4\" Type=\"" XLSX_REL "styles\" "
	    "Target=\"styles.xml\"/></Relationships>", 0 },
	{ "xl/worksheets/sheet1.xml", "<?xml version=\"1.0\"?><worksheet "
	    "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/"
	    "main\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is>"
	    "<t>Ghi chú</t></is></c></row></sheetData></worksheet>", 0 },
	{ "xl/worksheets/sheet2.xml", NULL, 0 },
	{ "xl/sharedStrings.xml", NULL, 1 },
	{ "xl/styles.xml", NULL, 2 },
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t	 n = sizeof xlsx_layout / sizeof xlsx_layout[0];

	office_fuzz("fuzz.xlsx", xlsx_layout, n, data, size, NULL);
	office_fuzz("fuzz.xlsx", xlsx_layout, n, data, size, "Kế hoạch");
	return (0);
}
