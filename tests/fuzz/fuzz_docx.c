/*
 * libFuzzer harness for the Word reader (plan-docx.c, plan-docx-lists.c):
 * the input's parts are word/document.xml, word/numbering.xml and
 * word/styles.xml of a .docx (see office_zip.h), or a whole archive.
 */
#include "office_zip.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const struct office_part docx_layout[] = {
	{ "[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\""
	    "http://schemas.openxmlformats.org/package/2006/content-types\">"
	    "<Override PartName=\"/word/document.xml\" ContentType=\""
	    "application/vnd.openxmlformats-officedocument.wordprocessingml."
	    "document.main+xml\"/></Types>", 0 },
	{ "word/_rels/document.xml.rels", "<?xml version=\"1.0\"?>"
	    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
	    "2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://"
	    "schemas.openxmlformats.org/officeDocument/2006/relationships/"
	    "numbering\" Target=\"numbering.xml\"/><Relationship Id=\"rId2\" "
	    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
	    "relationships/styles\" Target=\"../word/./styles.xml\"/>"
	    "</Relationships>", 0 },
	{ "word/document.xml", NULL, 0 },
	{ "word/numbering.xml", NULL, 1 },
	{ "word/styles.xml", NULL, 2 },
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	office_fuzz("fuzz.docx", docx_layout,
	    sizeof docx_layout / sizeof docx_layout[0], data, size, NULL);
	return (0);
}
