/*
 * Tests of output.c: aligned tables with Vietnamese text, RFC 4180 CSV
 * written out by hand, JSON read back with jansson, dates and NULL cells.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "date.h"
#include "output.h"

static const char *const columns[] = { "code", "name", "due", "count", NULL };

/* Prints an output into a string; caller frees. */
static char *
render(struct output *o)
{
	char	*text = NULL;
	size_t	 len = 0;
	FILE	*f;

	f = open_memstream(&text, &len);
	assert_non_null(f);
	output_finish(o, f);
	assert_int_equal(fclose(f), 0);
	return (text);
}

/* Adds one row of the four columns; a NULL code or date is a NULL cell. */
static void
row(struct output *o, const char *code, const char *name, date_t due,
    int64_t count)
{
	output_row(o);
	output_str(o, code);
	output_str(o, name);
	output_date(o, due);
	output_int(o, count);
}

/* Compares rendered text with the expected text. */
static void
expect_text(const char *have, const char *want)
{
	if (strcmp(have, want) != 0)
		fail_msg("expected\n[%s]\ngot\n[%s]", want, have);
}

/* Format names. */
static void
test_parse_format(void **state)
{
	enum output_format	f = OUTPUT_TABLE;

	assert_int_equal(output_parse_format("csv", &f), 0);
	assert_int_equal(f, OUTPUT_CSV);
	assert_int_equal(output_parse_format("json", &f), 0);
	assert_int_equal(f, OUTPUT_JSON);
	assert_int_equal(output_parse_format("table", &f), 0);
	assert_int_equal(f, OUTPUT_TABLE);
	assert_int_equal(output_parse_format("xml", &f), -1);
	assert_int_equal(output_parse_format("", &f), -1);
	assert_int_equal(f, OUTPUT_TABLE);
}

/* A table: columns as wide as their widest cell in characters, dd/mm/yyyy. */
static void
test_table(void **state)
{
	struct output	*o;
	char		*text;

	o = output_new(OUTPUT_TABLE, columns);
	row(o, "vhtt", "Phòng Văn hóa và Thông tin", date_from_ymd(2024, 6, 30),
	    3);
	row(o, "xa", "UBND các xã", DATE_NONE, 12);
	row(o, NULL, "Phước Hòa", date_from_ymd(2024, 12, 31), 0);
	text = render(o);
	expect_text(text,
	    "code  name                        due         count\n"
	    "vhtt  Phòng Văn hóa và Thông tin  30/06/2024  3\n"
	    "xa    UBND các xã                             12\n"
	    "      Phước Hòa                   31/12/2024  0\n");
	free(text);
}

/* Combining marks take no column; long cells are cut at 60 with "…". */
static void
test_table_width(void **state)
{
	static const char *const two[] = { "a", "b", NULL };
	struct output	*o;
	char		 long_cell[71], *text, want[256];

	memset(long_cell, 'x', 70);
	long_cell[70] = '\0';
	o = output_new(OUTPUT_TABLE, two);
	output_row(o);
	output_str(o, "Pho\xcc\x80ng");
	output_str(o, "y");
	output_row(o);
	output_str(o, "Phong");
	output_str(o, "z");
	text = render(o);
	expect_text(text, "a      b\nPho\xcc\x80ng  y\nPhong  z\n");
	free(text);

	o = output_new(OUTPUT_TABLE, two);
	output_row(o);
	output_str(o, long_cell);
	output_str(o, "e");
	text = render(o);
	snprintf(want, sizeof want, "a%59s  b\n%.59s…  e\n", "", long_cell);
	expect_text(text, want);
	free(text);
}

/* CSV: header, CRLF, quoting of commas, quotes, CR and LF; ISO dates. */
static void
test_csv(void **state)
{
	struct output	*o;
	char		*text;

	o = output_new(OUTPUT_CSV, columns);
	row(o, "vhtt", "Phòng Văn hóa, Thông tin", date_from_ymd(2024, 6, 30),
	    3);
	row(o, "xa", "UBND \"các\" xã\nthị trấn", DATE_NONE, -12);
	row(o, NULL, "a\rb", date_from_ymd(2024, 12, 31), 0);
	row(o, "plain text", " spaced ", date_from_ymd(2024, 2, 29),
	    INT64_MAX);
	text = render(o);
	expect_text(text,
	    "code,name,due,count\r\n"
	    "vhtt,\"Phòng Văn hóa, Thông tin\",2024-06-30,3\r\n"
	    "xa,\"UBND \"\"các\"\" xã\nthị trấn\",,-12\r\n"
	    ",\"a\rb\",2024-12-31,0\r\n"
	    "plain text, spaced ,2024-02-29,9223372036854775807\r\n");
	free(text);
}

/*
 * CSV text cells that a spreadsheet would read as a formula (=, +, -, @,
 * TAB, CR first) get a leading apostrophe (OWASP, CSV injection); the
 * apostrophe is inside the quotes when the cell is quoted.  Numbers,
 * dates, text that only holds such a character later, the table and the
 * JSON forms are left as they are.
 */
static void
test_csv_formulas(void **state)
{
	struct output	*o;
	char		*text;

	o = output_new(OUTPUT_CSV, columns);
	row(o, "=1+2", "+84 912 345 678", date_from_ymd(2024, 6, 30), -12);
	row(o, "-", "@SUM(A1:A9)", DATE_NONE, 0);
	row(o, "\t=1", "\r=cmd|' /C calc'!A0", DATE_NONE, 1);
	row(o, "=HYPERLINK(\"http://x.invalid\",\"a\")", "=A1,B1",
	    DATE_NONE, 2);
	row(o, "a=1", "Phòng Nội vụ - Văn thư", DATE_NONE, 3);
	row(o, "'=1", "", DATE_NONE, 4);
	text = render(o);
	expect_text(text,
	    "code,name,due,count\r\n"
	    "'=1+2,'+84 912 345 678,2024-06-30,-12\r\n"
	    "'-,'@SUM(A1:A9),,0\r\n"
	    "'\t=1,\"'\r=cmd|' /C calc'!A0\",,1\r\n"
	    "\"'=HYPERLINK(\"\"http://x.invalid\"\",\"\"a\"\")\","
	    "\"'=A1,B1\",,2\r\n"
	    "a=1,Phòng Nội vụ - Văn thư,,3\r\n"
	    "'=1,,,4\r\n");
	free(text);
	o = output_new(OUTPUT_JSON, columns);
	row(o, "=1+2", "@x", DATE_NONE, -1);
	text = render(o);
	assert_non_null(strstr(text, "\"code\": \"=1+2\""));
	assert_non_null(strstr(text, "\"name\": \"@x\""));
	free(text);
	o = output_new(OUTPUT_TABLE, columns);
	row(o, "=1+2", "@x", DATE_NONE, -1);
	text = render(o);
	assert_non_null(strstr(text, "\n=1+2  @x"));
	free(text);
}

/* An empty listing still has its header (CSV, table) or is [] (JSON). */
static void
test_empty(void **state)
{
	char	*text;

	text = render(output_new(OUTPUT_CSV, columns));
	expect_text(text, "code,name,due,count\r\n");
	free(text);
	text = render(output_new(OUTPUT_TABLE, columns));
	expect_text(text, "code  name  due  count\n");
	free(text);
	text = render(output_new(OUTPUT_JSON, columns));
	expect_text(text, "[]\n");
	free(text);
}

/* Checks that a JSON object's keys come in the column order. */
static void
expect_keys(json_t *obj)
{
	void	*it;
	size_t	 i = 0;

	for (it = json_object_iter(obj); it != NULL;
	    it = json_object_iter_next(obj, it))
		assert_string_equal(json_object_iter_key(it), columns[i++]);
	assert_int_equal(i, 4);
}

/* JSON: an array of objects, numbers as numbers, NULL as null. */
static void
test_json(void **state)
{
	json_error_t	 err;
	json_t		*root, *r;
	struct output	*o;
	char		*text;

	o = output_new(OUTPUT_JSON, columns);
	row(o, "vhtt", "Phòng Văn hóa, Thông tin", date_from_ymd(2024, 6, 30),
	    3);
	row(o, "xa", "UBND \"các\" xã\nthị trấn\t\\", DATE_NONE, -12);
	row(o, NULL, "</script>", date_from_ymd(2024, 12, 31), 0);
	text = render(o);
	root = json_loads(text, JSON_REJECT_DUPLICATES, &err);
	if (root == NULL)
		fail_msg("%s: %s", err.text, text);
	assert_true(json_is_array(root));
	assert_int_equal(json_array_size(root), 3);

	r = json_array_get(root, 0);
	expect_keys(r);
	assert_string_equal(json_string_value(json_object_get(r, "code")),
	    "vhtt");
	assert_string_equal(json_string_value(json_object_get(r, "name")),
	    "Phòng Văn hóa, Thông tin");
	assert_string_equal(json_string_value(json_object_get(r, "due")),
	    "2024-06-30");
	assert_true(json_is_integer(json_object_get(r, "count")));
	assert_int_equal(json_integer_value(json_object_get(r, "count")), 3);

	r = json_array_get(root, 1);
	expect_keys(r);
	assert_string_equal(json_string_value(json_object_get(r, "name")),
	    "UBND \"các\" xã\nthị trấn\t\\");
	assert_true(json_is_null(json_object_get(r, "due")));
	assert_int_equal(json_integer_value(json_object_get(r, "count")), -12);

	r = json_array_get(root, 2);
	assert_true(json_is_null(json_object_get(r, "code")));
	assert_string_equal(json_string_value(json_object_get(r, "name")),
	    "</script>");
	assert_string_equal(json_string_value(json_object_get(r, "due")),
	    "2024-12-31");
	assert_int_equal(json_integer_value(json_object_get(r, "count")), 0);
	json_decref(root);
	assert_int_equal(text[strlen(text) - 1], '\n');
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_format),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_table_width),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_csv_formulas),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_json),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
