/*
 * Tests of units.c: the shipped directory loads whole, lookups by spelling
 * variants, and every error of a unit directory with its FILE:LINE.
 */
#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "scratch.h"
#include "units.h"
#include "xmalloc.h"


/* Writes len bytes to scratch_dir/name; caller frees the path. */
static char *
write_bytes(const char *name, const char *data, size_t len)
{
	char	*path;
	FILE	*f;

	xasprintf(&path, "%s/%s", scratch_dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return (path);
}

/* Loads text and expects success; caller frees. */
static struct units *
load_ok(const char *text)
{
	struct units	*u;
	char		*path, *cause = NULL;

	path = write_bytes("good.ini", text, strlen(text));
	if ((u = units_load(path, &cause)) == NULL)
		fail_msg("unexpected error: %s", cause);
	free(path);
	return (u);
}

/* Loads len bytes (SIZE_MAX: a string) and expects failure; caller frees. */
static char *
load_bad_bytes(const char *data, size_t len)
{
	struct units	*u;
	char		*path, *cause = NULL;

	if (len == SIZE_MAX)
		len = strlen(data);
	path = write_bytes("bad.ini", data, len);
	u = units_load(path, &cause);
	if (u != NULL)
		fail_msg("bad.ini loaded but should not have");
	assert_non_null(cause);
	free(path);
	return (cause);
}

/* Checks that cause has "TMPDIR/bad.ini:LINE: msg" (no line if 0). */
static void
expect_error(const char *cause, unsigned line, const char *msg)
{
	char	*want;

	if (line > 0)
		xasprintf(&want, "%s/bad.ini:%u: %s", scratch_dir, line, msg);
	else
		xasprintf(&want, "%s/bad.ini: %s", scratch_dir, msg);
	if (strstr(cause, want) == NULL)
		fail_msg("expected '%s' in '%s'", want, cause);
	free(want);
}

/* Loads text, which must fail with msg at line. */
static void
check_bad(const char *text, unsigned line, const char *msg)
{
	char	*cause;

	cause = load_bad_bytes(text, strlen(text));
	expect_error(cause, line, msg);
	free(cause);
}

/* Counts "[unit " and "[group " lines of a file, the simplest way. */
static void
count_sections(const char *path, size_t *units, size_t *groups)
{
	char	 line[4096];
	FILE	*f;

	*units = *groups = 0;
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof line, f) != NULL) {
		if (strncmp(line, "[unit ", 6) == 0)
			(*units)++;
		else if (strncmp(line, "[group ", 7) == 0)
			(*groups)++;
	}
	fclose(f);
}

/* Opens config/units.ini of the source tree, or skips. */
static struct units *
load_shipped(char **pathp)
{
	const char	*srcdir = getenv("SRCDIR");
	struct units	*u;
	char		*cause = NULL;

	if (srcdir == NULL)
		skip();
	xasprintf(pathp, "%s/config/units.ini", srcdir);
	if ((u = units_load(*pathp, &cause)) == NULL)
		fail_msg("%s", cause);
	return (u);
}

/* The shipped directory loads with every unit and group. */
static void
test_shipped(void **state)
{
	const struct unit_info	*ui;
	const struct group_info	*gi;
	struct units		*u;
	char			*path;
	size_t			 nu, ng;

	u = load_shipped(&path);
	count_sections(path, &nu, &ng);
	assert_true(nu >= 13);
	assert_int_equal(units_count(u), nu);
	assert_int_equal(units_group_count(u), ng);
	ui = units_find(u, "vp");
	assert_non_null(ui);
	assert_string_equal(ui->name, "Văn phòng HĐND và UBND huyện");
	assert_string_equal(ui->parent, "noivu");
	assert_int_equal(ui->nemails, 1);
	assert_string_equal(ui->emails[0], "vanphong@example.gov.vn");
	assert_int_equal(ui->naliases, 3);
	assert_string_equal(ui->aliases[1], "Văn phòng HĐND-UBND huyện");
	ui = units_find(u, "noivu");
	assert_int_equal(ui->nemails, 2);
	assert_string_equal(ui->emails[1], "lanhdao.noivu@example.gov.vn");
	assert_string_equal(ui->webhook,
	    "https://chat.example.invalid/hooks/noivu");
	assert_string_equal(units_find(u, "thue")->lang, "en");
	/* The 13 commune-level units of the seed, continued over two lines. */
	gi = units_find_group(u, "xa");
	assert_non_null(gi);
	assert_int_equal(gi->nmembers, 13);
	assert_string_equal(gi->members[0], "tt-tuyphuoc");
	assert_string_equal(gi->members[7], "phuocnghia");
	assert_string_equal(gi->members[12], "phuocthuan");
	/* Three "aliases" lines add up. */
	assert_int_equal(units_find_group(u, "phongban")->naliases, 7);
	assert_int_equal(units_find_group(u, "diaphuong")->nmembers, 30);
	assert_null(units_find(u, "xa"));
	assert_null(units_find_group(u, "noivu"));
	assert_null(units_unit(u, units_count(u)));
	assert_null(units_group(u, units_group_count(u)));
	units_free(u);
	units_free(NULL);
	free(path);
}

struct lookup_case {
	const char	*phrase;
	const char	*code;		/* NULL: no match */
	int		 is_group;
};

/* Spelling variants a plan uses, with the codes written by hand. */
static const struct lookup_case lookup_cases[] = {
	{ "Phòng Nội vụ", "noivu", 0 },
	{ "PHÒNG NỘI VỤ", "noivu", 0 },
	{ "phòng nội vụ huyện", "noivu", 0 },
	{ "Phòng Nội vụ.", "noivu", 0 },
	{ "  Phòng   Nội vụ  ", "noivu", 0 },
	{ "noivu", "noivu", 0 },
	{ "Phòng Văn hoá – Thông tin huyện", "vhtt", 0 },
	{ "Phòng Văn hóa và Thông tin", "vhtt", 0 },
	/* NFD: o + U+0300, a + U+0306, a + U+0301, o + U+0302 */
	{ "Pho\xcc\x80ng Va\xcc\x86n hoa\xcc\x81 va\xcc\x80 "
	  "Tho\xcc\x82ng tin", "vhtt", 0 },
	{ "UBND xã Phước Hoà", "phuochoa", 0 },
	{ "UBND xã Phước Hòa", "phuochoa", 0 },
	{ "Phòng Tài chính - Kế hoạch", "tckh", 0 },
	{ "Phòng Tài chính – Kế hoạch huyện.", "tckh", 0 },
	{ "Văn phòng HĐND & UBND huyện", "vp", 0 },
	{ "Ủy ban nhân dân các xã, thị trấn", "xa", 1 },
	{ "Uỷ ban nhân dân các xã, thị trấn", "xa", 1 },
	{ "UBND các xã, thị trấn.", "xa", 1 },
	{ "Các phòng, ban chuyên môn huyện", "phongban", 1 },
	{ "Chi cục Thuế", "thue", 0 },
	{ "Phòng Hành chính", NULL, 0 },
	{ "Phòng", NULL, 0 },
	{ "", NULL, 0 },
};

/* Lookups through units_lookup with case, NFD, tone and dash variants. */
static void
test_lookup(void **state)
{
	const struct lookup_case	*c;
	struct units			*u;
	const char			*code;
	char				*path;
	size_t				 i;
	int				 is_group;

	u = load_shipped(&path);
	for (i = 0; i < sizeof lookup_cases / sizeof lookup_cases[0]; i++) {
		c = &lookup_cases[i];
		is_group = -1;
		code = units_lookup(u, c->phrase, &is_group);
		if (c->code == NULL) {
			if (code != NULL)
				fail_msg("'%s' matched %s", c->phrase, code);
			continue;
		}
		if (code == NULL || strcmp(code, c->code) != 0)
			fail_msg("'%s': expected %s, got %s", c->phrase,
			    c->code, code != NULL ? code : "nothing");
		assert_int_equal(is_group, c->is_group);
	}
	units_free(u);
	free(path);
}

/* Codes: lower-case letters, digits and '-', at most 32. */
static void
test_valid_code(void **state)
{
	assert_true(units_valid_code("noivu"));
	assert_true(units_valid_code("tt-tuyphuoc"));
	assert_true(units_valid_code("0a"));
	assert_true(units_valid_code("abcdefghijklmnopqrstuvwxyz012345"));
	assert_false(units_valid_code("abcdefghijklmnopqrstuvwxyz0123456"));
	assert_false(units_valid_code(""));
	assert_false(units_valid_code("-a"));
	assert_false(units_valid_code("Noivu"));
	assert_false(units_valid_code("noi vu"));
	assert_false(units_valid_code("noi_vu"));
	assert_false(units_valid_code("nội"));
}

/* A small directory: fields, continuation lines, loopback webhooks. */
static void
test_small(void **state)
{
	const struct unit_info	*ui;
	const struct group_info	*gi;
	struct units		*u;
	int			 g;

	u = load_ok("; test\n[unit a]\nname = Phòng A\naliases = PA | P. A\n"
	    "email = a@example.gov.vn, b@example.gov.vn\n"
	    "webhook = http://127.0.0.1:8080/hook\n"
	    "webhook_template = slack\n"
	    "[unit b]\nname = Phòng B\nparent = a\nlang = en\n"
	    "webhook = http://[::1]:9/x\n"
	    "[unit c]\nname = Phòng C\n"
	    "webhook = https://hooks.example.invalid/c\n"
	    "[group g]\nname = Nhóm G\nmembers = a\n  b,\tc\n");
	assert_int_equal(units_count(u), 3);
	ui = units_unit(u, 0);
	assert_string_equal(ui->code, "a");
	assert_int_equal(ui->line, 3);
	assert_int_equal(ui->naliases, 2);
	assert_string_equal(ui->aliases[1], "P. A");
	assert_int_equal(ui->nemails, 2);
	assert_string_equal(ui->emails[1], "b@example.gov.vn");
	assert_string_equal(ui->lang, "vi");
	assert_string_equal(ui->webhook_template, "slack");
	assert_null(ui->parent);
	assert_string_equal(units_unit(u, 1)->lang, "en");
	gi = units_find_group(u, "g");
	assert_int_equal(gi->nmembers, 3);
	assert_string_equal(gi->members[0], "a");
	assert_string_equal(gi->members[1], "b");
	assert_string_equal(gi->members[2], "c");
	assert_string_equal(units_lookup(u, "P. A", &g), "a");
	assert_string_equal(units_lookup(u, "nhóm g", &g), "g");
	assert_int_equal(g, 1);
	units_free(u);
}

/* Each error of a directory, with the line it names. */
static void
test_errors(void **state)
{
	check_bad("[unit a]\nparent = zz\nname = A\n", 2,
	    "unit a: unknown parent 'zz'");
	check_bad("[unit a]\nname = A\n[group g]\nmembers = a zz\nname = G\n",
	    4, "group g: member 'zz' is no unit");
	check_bad("[unit a]\nname = A\n[group g]\nmembers = g2\nname = G\n"
	    "[group g2]\nmembers = a\nname = G2\n", 4,
	    "group g: member 'g2' is no unit");
	check_bad("[unit a]\nname = A\nemail = noivu@@example.gov.vn\n", 3,
	    "malformed email address 'noivu@@example.gov.vn'");
	check_bad("[unit a]\nname = A\nemail = ok@example.gov.vn, no-at-sign\n",
	    3, "malformed email address 'no-at-sign'");
	check_bad("[unit Noivu]\nname = A\n", 2, "bad code 'Noivu'");
	check_bad("[unit a_b]\nname = A\n", 2, "bad code 'a_b'");
	check_bad("[unit abcdefghijklmnopqrstuvwxyz0123456]\nname = A\n", 2,
	    "bad code 'abcdefghijklmnopqrstuvwxyz0123456'");
	check_bad("[unit a]\nname = A\nfax = 0256 3833 000\n", 3,
	    "unknown key 'fax' in [unit a]");
	check_bad("[unit a]\nname = A\n[group g]\nname = G\nmembers = a\n"
	    "colour = red\n", 6, "unknown key 'colour' in [group g]");
	check_bad("[unit a]\nname = A\nwebhook = "
	    "http://chat.example.gov.vn/hook\n", 3, "webhook must be an "
	    "https:// URL (http:// only to loopback)");
	check_bad("[unit a]\nname = A\nwebhook = http://127.0.0.1.evil.example/"
	    "\n", 3, "webhook must be an https://");
	check_bad("[unit a]\nname = A\nwebhook = http://localhost.evil.example/"
	    "\n", 3, "webhook must be an https://");
	check_bad("[unit a]\nname = A\nwebhook = https://\n", 3,
	    "webhook must be an https://");
	check_bad("[unit a]\nname = A\n[group g]\nname = G\n", 4,
	    "group g has no members");
	check_bad("[unit a]\nname = A\n[office x]\nname = X\n", 4,
	    "unknown section [office x]");
	check_bad("[unit a]\nname = A\n[unit b]\nname = B\n"
	    "[unit a]\nname = C\n", 6, "code 'a' defined twice");
	check_bad("[unit a]\nname = A\n[group a]\nname = G\nmembers = a\n", 4,
	    "code 'a' defined twice");
	check_bad("[unit a]\nname = A\nname = B\n", 3, "name set twice");
	check_bad("[unit a]\nname = A\nlang = fr\n", 3,
	    "lang must be vi or en");
	check_bad("[unit a]\nname = A\nwebhook_template = discord\n", 3,
	    "webhook_template must be json, slack, telegram, teams or "
	    "googlechat");
	check_bad("; nothing but comments\n", 0, "no [unit CODE] section");
}

/* A unit or group without a name is refused, not indexed. */
static void
test_missing_name(void **state)
{
	check_bad("[unit a]\nemail = a@example.gov.vn\n", 2,
	    "unit a has no name");
	check_bad("[unit a]\nname = A\n[group g]\nmembers = a\n", 4,
	    "group g has no name");
}

/* One alias used by two units is refused, whatever its spelling. */
static void
test_duplicate_alias(void **state)
{
	char	*cause, *line2, *line5;

	cause = load_bad_bytes("[unit a]\nname = Phòng A\naliases = Phòng Chung"
	    "\n[unit b]\nname = Phòng B\naliases = PHÒNG CHUNG huyện\n", SIZE_MAX);
	assert_non_null(strstr(cause, "duplicate name or alias 'phong chung'"));
	xasprintf(&line2, "%s/bad.ini:2: ", scratch_dir);
	xasprintf(&line5, "%s/bad.ini:5: ", scratch_dir);
	assert_true(strstr(cause, line2) != NULL ||
	    strstr(cause, line5) != NULL);
	free(line2);
	free(line5);
	free(cause);
	/* A unit's name equal to another's alias. */
	cause = load_bad_bytes("[unit a]\nname = Phòng Nội vụ\n[unit b]\n"
	    "name = B\naliases = Phòng Nội Vụ\n", SIZE_MAX);
	assert_non_null(strstr(cause, "duplicate name or alias "
	    "'phong noi vu'"));
	free(cause);
}

/* The file itself: missing, a directory, not text, a line of 1 MB. */
static void
test_bad_files(void **state)
{
	static const char nul[] = "[unit a]\nname = A\0B\n";
	struct units	*u;
	struct buf	 b;
	char		*path, *cause = NULL;

	xasprintf(&path, "%s/none.ini", scratch_dir);
	assert_null(units_load(path, &cause));
	assert_non_null(strstr(cause, path));
	assert_non_null(strstr(cause, "cannot open"));
	assert_null(strchr(cause, '\n'));
	free(cause);
	free(path);

	u = units_load(scratch_dir, &cause);
	assert_null(u);
	assert_non_null(strstr(cause, "not a regular file"));
	free(cause);

	cause = load_bad_bytes("[unit a]\nname = Ph\xe1\xbb\n", SIZE_MAX);
	expect_error(cause, 2, "not valid UTF-8");
	free(cause);
	cause = load_bad_bytes(nul, sizeof nul - 1);
	expect_error(cause, 2, "not valid UTF-8");
	free(cause);

	buf_init(&b);
	buf_adds(&b, "[unit a]\nname = A\naliases = ");
	while (b.len < 1024 * 1024)
		buf_adds(&b, "x | ");
	buf_adds(&b, "\n");
	cause = load_bad_bytes(b.data, b.len);
	expect_error(cause, 3, "line too long");
	assert_null(strchr(cause, '\n'));
	free(cause);
	buf_free(&b);
}

/* Several problems are all reported, one per line. */
static void
test_many_errors(void **state)
{
	char	*cause, *p;
	int	 lines = 1;

	cause = load_bad_bytes("[unit a]\nname = A\nfax = 1\n[unit b]\n"
	    "name = B\nparent = nobody\nemail = x@@y\n", SIZE_MAX);
	for (p = cause; *p != '\0'; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 3);
	expect_error(cause, 3, "unknown key 'fax' in [unit a]");
	expect_error(cause, 7, "malformed email address 'x@@y'");
	expect_error(cause, 5, "unit b: unknown parent 'nobody'");
	free(cause);
}

/* Makes the temporary directory. */
static int
setup(void **state)
{
	return (scratch_make("units"));
}

/* Removes the temporary directory. */
static int
teardown(void **state)
{
	return (scratch_remove());
}

/* default_lang reaches the units that name no language, and only them. */
static void
test_default_lang(void **state)
{
	struct units	*u;

	(void)state;
	u = load_ok("[unit a]\nname = A\n[unit b]\nname = B\nlang = vi\n"
	    "[unit c]\nname = C\nlang = en\n");
	assert_string_equal(units_find(u, "a")->lang, "vi");
	units_default_lang(u, "en");
	assert_string_equal(units_find(u, "a")->lang, "en");
	assert_string_equal(units_find(u, "b")->lang, "vi");
	assert_string_equal(units_find(u, "c")->lang, "en");
	units_default_lang(u, "vi");
	assert_string_equal(units_find(u, "a")->lang, "vi");
	assert_string_equal(units_find(u, "c")->lang, "en");
	units_free(u);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_valid_code),
		cmocka_unit_test(test_small),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_missing_name),
		cmocka_unit_test(test_duplicate_alias),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_many_errors),
		cmocka_unit_test(test_default_lang),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}
