/*
 * Tests of fold.c: hand-written folds, NFC and NFD alike, invalid UTF-8,
 * and every table letter against Python's unicodedata.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fold.h"
#include "xmalloc.h"

struct fold_case {
	const char	*in;
	const char	*out;
};

/* Expected folds, written by hand. */
static const struct fold_case fold_cases[] = {
	{ "Phòng Văn hoá – Thông tin huyện.", "phong van hoa thong tin" },
	{ "Phòng Văn hóa và Thông tin", "phong van hoa thong tin" },
	{ "Văn phòng HĐND và UBND huyện", "van phong hdnd ubnd" },
	{ "Văn phòng HĐND & UBND", "van phong hdnd ubnd" },
	{ "UBND các xã, thị trấn.", "ubnd cac xa thi tran" },
	{ "Các phòng, ban chuyên môn huyện;", "cac phong ban chuyen mon" },
	{ "Phòng Tài chính – Kế hoạch", "phong tai chinh ke hoach" },
	{ "Phòng Tài chính - Kế hoạch", "phong tai chinh ke hoach" },
	{ "Phòng Tài chính—Kế hoạch", "phong tai chinh ke hoach" },
	{ "Trung tâm Văn hóa - Thông tin - Thể thao",
	    "trung tam van hoa thong tin the thao" },
	{ "Ủy ban nhân dân", "uy ban nhan dan" },
	{ "Uỷ ban nhân dân", "uy ban nhan dan" },
	{ "ĐƯỜNG Đi đến", "duong di den" },
	{ "  Phòng   Nội\tvụ \n", "phong noi vu" },
	{ "(qua Phòng Nội vụ)", "qua phong noi vu" },
	{ "Sở: Tư pháp...", "so tu phap" },
	{ "huyện", "huyen" },
	{ "UBND huyện", "ubnd" },
	{ "huyện Tuy Phước", "huyen tuy phuoc" },
	{ "Phòng Nội vụ huyện.", "phong noi vu" },
	{ "Quyết định 264/QĐ-UBND", "quyet dinh 264/qd ubnd" },
	{ "Phước Hòa", "phuoc hoa" },
	{ "Phước Hoà", "phuoc hoa" },
	{ "Nghĩa Ứng Ỷ Ỵ ỹ", "nghia ung y y y" },
	{ "Phòng\xc2\xa0Y tế", "phong y te" },		/* no-break space */
	{ "Phòng\xe2\x80\x8bY tế", "phongy te" },	/* zero width space */
	{ "Phòng \xe2\x80\x9cY tế\xe2\x80\x9d", "phong y te" },
	{ "và", "" },
	{ "", "" },
	{ " - ; , ", "" },
	{ "São Paulo Ñandú", "sao paulo nandu" },
	{ "Łódź", "\xc5\x81odz" },		/* Ł has no decomposition */
	{ "日本 語", "日本 語" }
};

/* The same names decomposed (NFD), written by hand. */
static const struct fold_case fold_nfd_cases[] = {
	/* "Phòng Văn hoá" with o + U+0300, a + U+0306 + ... */
	{ "Pho\xcc\x80ng Va\xcc\x86n hoa\xcc\x81", "phong van hoa" },
	/* "Ủy" as U + U+0309, and as U + U+031B-less hook */
	{ "U\xcc\x89y ban", "uy ban" },
	/* "Phước" as u + U+031B, o + U+031B + U+0301 */
	{ "Phu\xcc\x9bo\xcc\x9b\xcc\x81\x63", "phuoc" },
	/* "thị trấn" as i + U+0323, a + U+0302 + U+0301 */
	{ "thi\xcc\xa3 tra\xcc\x82\xcc\x81n", "thi tran" },
	/* "và" decomposed is still a connector */
	{ "HĐND va\xcc\x80 UBND", "hdnd ubnd" },
	/* "huyện" decomposed at the end is still dropped */
	{ "Phòng Y tế huye\xcc\x82\xcc\xa3n", "phong y te" }
};

/* Invalid UTF-8: bad bytes are dropped, the rest folds. */
static const struct fold_case fold_bad_cases[] = {
	{ "Ph\xffòng", "phong" },
	{ "\xc3", "" },
	{ "ab\xc3", "ab" },
	{ "a\xc0\xafz", "az" },			/* overlong '/' */
	{ "a\xed\xa0\x80z", "az" },		/* surrogate */
	{ "a\xf4\x90\x80\x80z", "az" },		/* above U+10FFFF */
	{ "a\xe1\xbbz", "az" },			/* truncated sequence */
	{ "\x80\x80\x80", "" },
	{ "x\x01y", "xy" }			/* C0 control */
};


/* Checks one table of folds. */
static void
check_cases(const struct fold_case *cases, size_t n)
{
	char	*got;
	size_t	 i;

	for (i = 0; i < n; i++) {
		got = fold_name(cases[i].in);
		if (strcmp(got, cases[i].out) != 0)
			print_error("fold '%s': got '%s', want '%s'\n",
			    cases[i].in, got, cases[i].out);
		assert_string_equal(got, cases[i].out);
		free(got);
	}
}

/* Hand-written folds of NFC names. */
static void
test_fold_names(void **state)
{
	check_cases(fold_cases, sizeof fold_cases / sizeof fold_cases[0]);
}

/* Hand-written folds of NFD names. */
static void
test_fold_nfd(void **state)
{
	check_cases(fold_nfd_cases,
	    sizeof fold_nfd_cases / sizeof fold_nfd_cases[0]);
}

/* Invalid UTF-8 never crashes and drops the bad bytes. */
static void
test_fold_invalid(void **state)
{
	check_cases(fold_bad_cases,
	    sizeof fold_bad_cases / sizeof fold_bad_cases[0]);
}

/* NFC and NFD spellings of the same names fold alike. */
static void
test_fold_nfc_nfd_alike(void **state)
{
	static const char *const pairs[][2] = {
		{ "Phước Thắng", "Phu\xcc\x9bo\xcc\x9b\xcc\x81\x63 Tha\xcc\x86\xcc\x81ng" },
		{ "Diêu Trì", "Die\xcc\x82u Tri\xcc\x80" },
		{ "Đăng ký đất đai", "Đa\xcc\x86ng ky\xcc\x81 \xc4\x91\x61\xcc\x82\xcc\x81t \xc4\x91\x61i" },
		{ "Ủy", "Uy\xcc\x89" }	/* old placement: Uỷ */
	};
	char	*a, *b;
	size_t	 i;

	for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		a = fold_name(pairs[i][0]);
		b = fold_name(pairs[i][1]);
		assert_string_equal(a, b);
		free(a);
		free(b);
	}
}

/* Python's independent fold: NFD, combining marks dropped, đ -> d. */
static const char python_fold[] =
    "import sys, unicodedata\n"
    "for line in open(sys.argv[1], encoding='utf-8'):\n"
    "    cp = line.rstrip('\\n')\n"
    "    c = chr(int(cp, 16))\n"
    "    d = ''.join(x for x in unicodedata.normalize('NFD', c)\n"
    "                if not 0x300 <= ord(x) <= 0x36f)\n"
    "    if c in '\\u0110\\u0111\\u00d0\\u00f0':\n"
    "        d = 'd'\n"
    "    if len(d) == 1 and d.isascii() and d.isalpha():\n"
    "        print(cp, d.lower())\n"
    "    else:\n"
    "        print(cp, c)\n";

/* Encodes a code point below U+10000 as UTF-8 with "x" around it. */
static void
encode_letter(uint32_t cp, char *out)
{
	if (cp < 0x800) {
		out[0] = 'x';
		out[1] = (char)(0xC0 | (cp >> 6));
		out[2] = (char)(0x80 | (cp & 0x3F));
		out[3] = 'x';
		out[4] = '\0';
		return;
	}
	out[0] = 'x';
	out[1] = (char)(0xE0 | (cp >> 12));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	out[4] = 'x';
	out[5] = '\0';
}

/* Compares one line of Python's answer with fold_name. */
static int
check_python_line(const char *line)
{
	unsigned long	 cp;
	char		 in[8], want[16], *got, *end;
	int		 bad;

	cp = strtoul(line, &end, 16);
	if (*end != ' ')
		return (1);
	encode_letter((uint32_t)cp, in);
	snprintf(want, sizeof want, "x%.*sx", (int)strcspn(end + 1, "\n"),
	    end + 1);
	got = fold_name(in);
	bad = strcmp(got, want) != 0;
	if (bad)
		print_error("U+%04lX: fold_name '%s', python '%s'\n", cp, got,
		    want);
	free(got);
	return (bad);
}

/* Every Latin letter of the table's ranges folds as Python folds it. */
static void
test_fold_against_python(void **state)
{
	char	 path[] = "/tmp/test_fold.XXXXXX", *cmd, line[256];
	FILE	*f, *p;
	int	 fd, bad = 0, lines = 0;
	uint32_t cp;

	if (access("/usr/bin/python3", X_OK) != 0)
		skip();
	assert_true((fd = mkstemp(path)) != -1);
	assert_non_null(f = fdopen(fd, "w"));
	for (cp = 0x00C0; cp <= 0x024F; cp++)
		fprintf(f, "%04X\n", cp);
	for (cp = 0x1E00; cp <= 0x1EFF; cp++)
		fprintf(f, "%04X\n", cp);
	fclose(f);
	xasprintf(&cmd, "/usr/bin/python3 -c \"$PYFOLD\" %s", path);
	setenv("PYFOLD", python_fold, 1);
	assert_non_null(p = popen(cmd, "r"));
	while (fgets(line, sizeof line, p) != NULL) {
		bad += check_python_line(line);
		lines++;
	}
	assert_int_equal(pclose(p), 0);
	unlink(path);
	free(cmd);
	assert_int_equal(lines, (0x024F - 0x00C0 + 1) + (0x1EFF - 0x1E00 + 1));
	assert_int_equal(bad, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold_names),
		cmocka_unit_test(test_fold_nfd),
		cmocka_unit_test(test_fold_invalid),
		cmocka_unit_test(test_fold_nfc_nfd_alike),
		cmocka_unit_test(test_fold_against_python)
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
