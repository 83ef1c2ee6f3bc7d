/*
 * Tests of utf8.c: strict validation written by hand, every byte string of
 * up to three bytes from a small alphabet judged against Python's strict
 * decoder, encoding round trips, counting and cutting.
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

#include "utf8.h"
#include "xmalloc.h"

struct valid_case {
	const char	*s;
	size_t		 len;
	int		 valid;		/* utf8_valid */
	int		 text;		/* utf8_text_valid */
};

/* Validation cases, lengths given since some hold NUL. */
static const struct valid_case valid_cases[] = {
	{ "Phòng Nội vụ", sizeof "Phòng Nội vụ" - 1, 1, 1 },
	{ "a\tb", 3, 1, 1 },
	{ "", 0, 1, 1 },
	{ "\xf0\x9f\x98\x80", 4, 1, 1 },	/* U+1F600 */
	{ "\xf4\x8f\xbf\xbf", 4, 1, 1 },	/* U+10FFFF */
	{ "\xef\xbb\xbf", 3, 1, 1 },		/* BOM is valid UTF-8 */
	{ "a\nb", 3, 1, 0 },
	{ "a\rb", 3, 1, 0 },
	{ "a\0b", 3, 1, 0 },
	{ "\x1f", 1, 1, 0 },
	{ "\xff", 1, 0, 0 },
	{ "\xc0\x80", 2, 0, 0 },		/* overlong NUL */
	{ "\xc1\xbf", 2, 0, 0 },		/* overlong */
	{ "\xe0\x80\xaf", 3, 0, 0 },		/* overlong '/' */
	{ "\xe0\x9f\xbf", 3, 0, 0 },		/* overlong U+07FF */
	{ "\xf0\x80\x80\xaf", 4, 0, 0 },	/* overlong '/' */
	{ "\xf0\x8f\xbf\xbf", 4, 0, 0 },	/* overlong U+FFFF */
	{ "\xed\xa0\x80", 3, 0, 0 },		/* U+D800 */
	{ "\xed\xbf\xbf", 3, 0, 0 },		/* U+DFFF */
	{ "\xee\x80\x80", 3, 1, 1 },		/* U+E000 */
	{ "\xf4\x90\x80\x80", 4, 0, 0 },	/* U+110000 */
	{ "\xf5\x80\x80\x80", 4, 0, 0 },
	{ "\xc3", 1, 0, 0 },			/* truncated */
	{ "\xe1\xbb", 2, 0, 0 },
	{ "\xc3\x28", 2, 0, 0 },		/* bad continuation */
	{ "\x80", 1, 0, 0 },			/* lone continuation */
	{ "Phòng", 3, 0, 0 }			/* cut inside "ò" */
};

/* Strict validation, with and without controls. */
static void
test_utf8_valid(void **state)
{
	size_t	 i;

	for (i = 0; i < sizeof valid_cases / sizeof valid_cases[0]; i++) {
		if (utf8_valid(valid_cases[i].s, valid_cases[i].len) !=
		    valid_cases[i].valid ||
		    utf8_text_valid(valid_cases[i].s, valid_cases[i].len) !=
		    valid_cases[i].text)
			print_error("valid case %zu\n", i);
		assert_int_equal(utf8_valid(valid_cases[i].s,
		    valid_cases[i].len), valid_cases[i].valid);
		assert_int_equal(utf8_text_valid(valid_cases[i].s,
		    valid_cases[i].len), valid_cases[i].text);
	}
}

/* Decoding gives the code point and length worked out by hand. */
static void
test_utf8_decode(void **state)
{
	uint32_t	cp = 0;

	assert_int_equal(utf8_decode("A", 1, &cp), 1);
	assert_int_equal(cp, 0x41);
	assert_int_equal(utf8_decode("đ", 2, &cp), 2);
	assert_int_equal(cp, 0x111);
	assert_int_equal(utf8_decode("ễ", 3, &cp), 3);
	assert_int_equal(cp, 0x1ec5);
	assert_int_equal(utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1f600);
	assert_int_equal(utf8_decode("ễ", 2, &cp), 0);	/* cut */
	assert_int_equal(utf8_decode("", 0, &cp), 0);
	assert_int_equal(utf8_step("\xff" "a", 2), 1);
	assert_int_equal(utf8_step("ễa", 4), 3);
}

/* Every scalar value encodes to what decodes back to it. */
static void
test_utf8_round_trip(void **state)
{
	char		 s[4];
	uint32_t	 cp, back;
	size_t		 len;

	for (cp = 0; cp <= 0x10ffff; cp++) {
		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		len = utf8_encode(cp, s);
		assert_int_equal(len, cp < 0x80 ? 1 : cp < 0x800 ? 2 :
		    cp < 0x10000 ? 3 : 4);
		assert_int_equal(utf8_decode(s, len, &back), len);
		assert_int_equal(back, cp);
	}
}

/* Counting characters and columns; cutting on boundaries. */
static void
test_utf8_count_cut(void **state)
{
	/* "Hoá" with the tone as a combining mark: 4 code points, 3 columns. */
	static const char nfd[] = "Hoa\xcc\x81";
	static const char vn[] = "Phòng Nội vụ";

	assert_int_equal(utf8_chars(vn), 12);
	assert_int_equal(utf8_chars(nfd), 4);
	assert_int_equal(utf8_chars("\xff\xfe"), 2);
	assert_int_equal(utf8_width(nfd, strlen(nfd)), 3);
	assert_int_equal(utf8_width(vn, strlen(vn)), 12);
	/* "Phòng" is P h ò(2 bytes) n g: 3 columns are "Phò", 4 bytes. */
	assert_int_equal(utf8_cut_width(vn, strlen(vn), 3), 4);
	/* the combining mark rides with its letter */
	assert_int_equal(utf8_cut_width(nfd, strlen(nfd), 3), strlen(nfd));
	assert_int_equal(utf8_cut_width(nfd, strlen(nfd), 2), 2);
	/* 3 bytes cannot hold "Phò" (4): "Ph" */
	assert_int_equal(utf8_cut_bytes(vn, strlen(vn), 3), 2);
	assert_int_equal(utf8_cut_bytes(vn, strlen(vn), 4), 4);
	assert_int_equal(utf8_cut_bytes(vn, strlen(vn), 100), strlen(vn));
	assert_true(utf8_is_combining(0x301));
	assert_false(utf8_is_combining(0x1ec5));
}

/* Python's strict decoder, one verdict a line for the strings on stdin. */
static const char python_decode[] =
    "import sys\n"
    "for line in sys.stdin:\n"
    "    b = bytes.fromhex(line.strip())\n"
    "    try:\n"
    "        b.decode('utf-8', 'strict')\n"
    "        print(1)\n"
    "    except UnicodeDecodeError:\n"
    "        print(0)\n";

/* Bytes that exercise every decoder branch: lead bytes and continuations. */
static const unsigned char alphabet[] = {
	0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1,
	0xc2, 0xdf, 0xe0, 0xe1, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf4, 0xf5,
	0xff
};
#define ALPHABET	(sizeof alphabet)

/* Every string of one to three alphabet bytes, and four-byte forms. */
static size_t
python_cases(unsigned char (*out)[4], size_t *lens)
{
	size_t	n = 0, a, b, c;

	for (a = 0; a < ALPHABET; a++) {
		out[n][0] = alphabet[a];
		lens[n++] = 1;
		for (b = 0; b < ALPHABET; b++) {
			out[n][0] = alphabet[a];
			out[n][1] = alphabet[b];
			lens[n++] = 2;
			for (c = 0; c < ALPHABET; c++) {
				out[n][0] = alphabet[a];
				out[n][1] = alphabet[b];
				out[n][2] = alphabet[c];
				lens[n++] = 3;
				out[n][0] = alphabet[a];
				out[n][1] = alphabet[b];
				out[n][2] = alphabet[c];
				out[n][3] = 0x80;
				lens[n++] = 4;
			}
		}
	}
	return (n);
}

/* utf8_valid agrees with Python's strict decoder on every case. */
static void
test_utf8_against_python(void **state)
{
	unsigned char	(*cases)[4];
	size_t		*lens, n, i, k, bad = 0;
	char		 in[] = "/tmp/test_utf8.XXXXXX", *cmd, line[16];
	FILE		*f, *p;
	int		 fd, want;

	if (access("/usr/bin/python3", X_OK) != 0)
		skip();
	n = ALPHABET * (1 + ALPHABET * (1 + 2 * ALPHABET));
	cases = xcalloc(n, sizeof *cases);
	lens = xcalloc(n, sizeof *lens);
	assert_int_equal(python_cases(cases, lens), n);
	assert_true((fd = mkstemp(in)) != -1);
	assert_non_null(f = fdopen(fd, "w"));
	for (i = 0; i < n; i++) {
		for (k = 0; k < lens[i]; k++)
			fprintf(f, "%02x", cases[i][k]);
		fputc('\n', f);
	}
	fclose(f);
	setenv("PYDECODE", python_decode, 1);
	xasprintf(&cmd, "/usr/bin/python3 -c \"$PYDECODE\" < %s", in);
	assert_non_null(p = popen(cmd, "r"));
	for (i = 0; i < n && fgets(line, sizeof line, p) != NULL; i++) {
		want = line[0] == '1';
		if (utf8_valid((const char *)cases[i], lens[i]) != want) {
			print_error("case %zu (%zu bytes): python %d\n", i,
			    lens[i], want);
			bad++;
		}
	}
	assert_int_equal(pclose(p), 0);
	unlink(in);
	assert_int_equal(i, n);
	assert_int_equal(bad, 0);
	free(cmd);
	free(cases);
	free(lens);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_utf8_decode),
		cmocka_unit_test(test_utf8_round_trip),
		cmocka_unit_test(test_utf8_count_cut),
		cmocka_unit_test(test_utf8_against_python)
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
