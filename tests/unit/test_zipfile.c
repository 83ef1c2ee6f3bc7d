/*
 * Tests of zipfile.c and xmlpart.c on archives built here with libzip:
 * entries read whole and as streams, the limits (entries, ratio, declared
 * size, encrypted entries), damaged archives; XML parts' prologs (a DTD,
 * UTF-16, a long prolog refused; comments and processing instructions
 * passed), nodes, attributes and skipping.
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

#include "xmalloc.h"
#include "xmlpart.h"
#include "zipfile.h"
#include "zipmem.h"

/* 1 if cause holds every word given (NULL-terminated). */
static int
says(const char *cause, ...)
{
	va_list		 ap;
	const char	*w;
	int		 ok = cause != NULL;

	va_start(ap, cause);
	while (ok && (w = va_arg(ap, const char *)) != NULL)
		ok = strstr(cause, w) != NULL;
	va_end(ap);
	if (!ok)
		fprintf(stderr, "cause: %s\n", cause != NULL ? cause :
		    "(null)");
	return (ok);
}

static void
test_read(void **state)
{
	struct zipmem_entry	 e[] = {
		{ "word/document.xml", "<a>Kế hoạch</a>", 0, 1, NULL },
		{ "mimetype", "application/x", 0, 0, NULL },
	};
	struct zipfile	*zf;
	char		*data, *all, *cause = NULL;
	size_t		 len, n;

	data = zipmem_build(e, 2, &len);
	assert_true(zipfile_magic(data, len));
	assert_non_null(zf = zipfile_open("plan.docx", data, len, &cause));
	assert_true(zipfile_has(zf, "WORD/Document.xml"));
	assert_false(zipfile_has(zf, "word/styles.xml"));
	all = zipfile_read_all(zf, "word/document.xml", 100, &n, &cause);
	assert_non_null(all);
	assert_string_equal(all, "<a>Kế hoạch</a>");
	assert_int_equal(n, strlen("<a>Kế hoạch</a>"));
	free(all);
	assert_null(zipfile_read_all(zf, "word/document.xml", 5, &n, &cause));
	assert_true(says(cause, "plan.docx: word/document.xml: larger than 5",
	    NULL));
	free(cause);
	cause = NULL;
	assert_null(zipfile_entry_open(zf, "word/styles.xml", &cause));
	assert_true(says(cause, "plan.docx: word/styles.xml: no such part",
	    NULL));
	free(cause);
	zipfile_close(zf);
	free(data);
}

static void
test_damaged(void **state)
{
	struct zipmem_entry	 e[] = { { "a.xml", "<a/>", 0, 1, NULL } };
	char		*data, *cause = NULL;
	size_t		 len;

	assert_null(zipfile_open("x.docx", "PK\3\4garbage", 11, &cause));
	assert_true(says(cause, "x.docx: ", "ZIP", NULL));
	free(cause);
	cause = NULL;
	data = zipmem_build(e, 1, &len);
	assert_null(zipfile_open("cut.docx", data, len - 10, &cause));
	assert_true(says(cause, "cut.docx: ", "truncated", NULL));
	free(cause);
	free(data);
}

static void
test_entries(void **state)
{
	struct zipmem_entry	*e = xcalloc(ZIPFILE_MAX_ENTRIES + 1, sizeof *e);
	char		 names[ZIPFILE_MAX_ENTRIES + 1][16];
	char		*data, *cause = NULL;
	struct zipfile	*zf;
	size_t		 len, i;

	for (i = 0; i <= ZIPFILE_MAX_ENTRIES; i++) {
		snprintf(names[i], sizeof names[i], "p%zu", i);
		e[i].name = names[i];
		e[i].data = "";
	}
	data = zipmem_build(e, ZIPFILE_MAX_ENTRIES, &len);
	assert_non_null(zf = zipfile_open("ok.docx", data, len, &cause));
	zipfile_close(zf);
	free(data);
	data = zipmem_build(e, ZIPFILE_MAX_ENTRIES + 1, &len);
	assert_null(zipfile_open("many.docx", data, len, &cause));
	assert_true(says(cause, "many.docx: ZIP archive of 10001 entries "
	    "(at most 10000)", NULL));
	free(cause);
	free(data);
	free(e);
}

static void
test_ratio(void **state)
{
	size_t			 big = 8 * 1024 * 1024, len, total = 0;
	char			*zeros = xcalloc(1, big), *data, *cause = NULL;
	char			 buf[65536];
	struct zipmem_entry		 e[] = { { "bomb.xml", zeros, big, 1, NULL } };
	struct zipfile		*zf;
	struct zipfile_entry	*ze;
	long			 n;

	memset(zeros, ' ', big);
	data = zipmem_build(e, 1, &len);
	assert_true(len < big / 500);
	zf = zipfile_open("bomb.docx", data, len, &cause);
	assert_non_null(zf);
	assert_non_null(ze = zipfile_entry_open(zf, "bomb.xml", &cause));
	while ((n = zipfile_entry_read(ze, buf, sizeof buf)) > 0)
		total += (size_t)n;
	assert_int_equal(n, -1);
	/* Stopped once past the floor, not at the end. */
	assert_true(total <= ZIPFILE_RATIO_FLOOR + sizeof buf);
	assert_true(total < big);
	assert_true(says(zipfile_entry_error(ze), "bomb.xml: inflates more "
	    "than 200 times", NULL));
	zipfile_entry_close(ze);
	zipfile_close(zf);
	free(data);
	free(zeros);
}

static void
test_encrypted(void **state)
{
	struct zipmem_entry	 e[] = {
		{ "word/document.xml", "<a>bí mật</a>", 0, 1, "mật khẩu" },
	};
	struct zipfile	*zf;
	char		*data, *cause = NULL;
	size_t		 len;

	if (!zip_encryption_method_supported(ZIP_EM_AES_256, 1))
		skip();
	data = zipmem_build(e, 1, &len);
	assert_non_null(zf = zipfile_open("secret.docx", data, len, &cause));
	assert_null(zipfile_entry_open(zf, "word/document.xml", &cause));
	assert_true(says(cause, "secret.docx: word/document.xml: encrypted",
	    "password", NULL));
	free(cause);
	zipfile_close(zf);
	free(data);
}

/* Opens one part from an archive holding only it; *cause on error. */
static struct xmlpart *
part_of(const char *xml, size_t xlen, struct zipfile **zf, char **data,
    char **cause)
{
	struct zipmem_entry	 e[] = { { "part.xml", xml, xlen, 1, NULL } };
	size_t		 len;

	*data = zipmem_build(e, 1, &len);
	*zf = zipfile_open("doc.docx", *data, len, cause);
	assert_non_null(*zf);
	return (xmlpart_open(*zf, "part.xml", cause));
}

/* The error of opening, or of reading to the end of, a part; or NULL. */
static char *
part_error(const char *xml, size_t xlen)
{
	struct zipfile	*zf;
	struct xmlpart	*x;
	char		*data, *cause = NULL;
	int		 rv;

	if ((x = part_of(xml, xlen, &zf, &data, &cause)) != NULL) {
		while ((rv = xmlpart_next(x)) == 1)
			;
		if (rv == -1)
			cause = xmlpart_error(x);
		xmlpart_close(x);
	}
	zipfile_close(zf);
	free(data);
	return (cause);
}

static void
test_prolog(void **state)
{
	char	*cause, *big;
	size_t	 n = 70 * 1024;

	assert_null(part_error("<?xml version=\"1.0\"?>\n<!-- c -->\n<?pi x?>"
	    "<a/>", 0));
	assert_null(part_error("\xef\xbb\xbf<a/>", 0));
	cause = part_error("<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY e "
	    "\"x\">]><a>&e;</a>", 0);
	assert_true(says(cause, "part.xml: a document type declaration", NULL));
	free(cause);
	cause = part_error("<!-- - --><!DOCTYPE a SYSTEM \"file:///etc/"
	    "passwd\"><a/>", 0);
	assert_true(says(cause, "document type declaration", NULL));
	free(cause);
	cause = part_error("\xff\xfe<\0a\0/\0>\0", 10);
	assert_true(says(cause, "part.xml: not UTF-8", NULL));
	free(cause);
	big = xmalloc(n + 16);
	memcpy(big, "<!--", 4);
	memset(big + 4, 'x', n);
	memcpy(big + 4 + n, "--><a/>", 8);
	cause = part_error(big, 0);
	assert_true(says(cause, "no root element in its first 65536 bytes",
	    NULL));
	free(cause);
	free(big);
	cause = part_error("<a>\n<b>\n</a>", 0);
	assert_true(says(cause, "part.xml:3:", NULL));
	free(cause);
}

static void
test_nodes(void **state)
{
	const char	*xml = "<w:d xmlns:w=\"urn:w\" xmlns:v=\"urn:v\">"
			    "<w:p w:val=\"12\" v:val=\"x\"/><w:skip><w:t>no"
			    "</w:t></w:skip><w:t>có</w:t></w:d>";
	struct zipfile	*zf;
	struct xmlpart	*x;
	char		*data, *cause = NULL, *v;
	int		 texts = 0;

	assert_non_null(x = part_of(xml, 0, &zf, &data, &cause));
	while (xmlpart_next(x) == 1) {
		if (xmlpart_type(x) == XMLPART_START && xmlpart_is(x, "urn:w",
		    "p")) {
			assert_true(xmlpart_empty(x));
			assert_int_equal(xmlpart_depth(x), 1);
			assert_int_equal(xmlpart_attr_long(x, "urn:w", "val",
			    100, -1), 12);
			assert_int_equal(xmlpart_attr_long(x, "urn:w", "val",
			    10, -1), -1);
			v = xmlpart_attr(x, "urn:v", "val");
			assert_string_equal(v, "x");
			free(v);
			assert_null(xmlpart_attr(x, "urn:v", "none"));
		} else if (xmlpart_type(x) == XMLPART_START &&
		    xmlpart_is(x, NULL, "skip"))
			assert_int_equal(xmlpart_skip(x), 0);
		else if (xmlpart_type(x) == XMLPART_TEXT) {
			assert_string_equal(xmlpart_text(x), "có");
			texts++;
		}
	}
	assert_int_equal(texts, 1);
	assert_false(xmlpart_failed(x));
	xmlpart_close(x);
	zipfile_close(zf);
	free(data);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_entries),
		cmocka_unit_test(test_ratio),
		cmocka_unit_test(test_encrypted),
		cmocka_unit_test(test_prolog),
		cmocka_unit_test(test_nodes),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
