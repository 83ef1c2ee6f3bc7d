/*
 * libFuzzer harness for the OpenDocument reader (plan-odf.c): the input's
 * parts are content.xml and styles.xml of an .odt, or of an .ods when the
 * content names office:spreadsheet (see office_zip.h), or a whole
 * archive.
 */
#include "office_zip.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const struct office_part odt_layout[] = {
	{ "mimetype", "application/vnd.oasis.opendocument.text", 0 },
	{ "META-INF/manifest.xml", "<?xml version=\"1.0\"?><manifest:manifest "
	    "xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:"
	    "1.0\"><manifest:file-entry manifest:full-path=\"content.xml\" "
	    "manifest:media-type=\"text/xml\"/></manifest:manifest>", 0 },
	{ "content.xml", NULL, 0 },
	{ "styles.xml", NULL, 1 },
};

static const struct office_part ods_layout[] = {
	{ "mimetype", "application/vnd.oasis.opendocument.spreadsheet", 0 },
	{ "content.xml", NULL, 0 },
	{ "styles.xml", NULL, 1 },
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (memmem(data, size, "office:spreadsheet", 18) != NULL)
		office_fuzz("fuzz.ods", ods_layout,
		    sizeof ods_layout / sizeof ods_layout[0], data, size,
		    NULL);
	else
		office_fuzz("fuzz.odt", odt_layout,
		    sizeof odt_layout / sizeof odt_layout[0], data, size,
		    NULL);
	return (0);
}
