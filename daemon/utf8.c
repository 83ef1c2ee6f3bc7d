/*
 * The one UTF-8 layer: strict decoding, encoding, validation, counting and
 * cutting on character boundaries.  Every reader of outside text (plans,
 * configuration, the days-off file, headers, feeds) goes through
 * utf8_decode(), so all of them refuse the same bytes.
 */
#include <stdint.h>
#include <string.h>

#include "utf8.h"

/* Decodes the sequence at s (n bytes left) into *cp; its length, or 0. */
size_t
utf8_decode(const char *str, size_t n, uint32_t *cp)
{
	static const uint32_t	 min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	const unsigned char	*s = (const unsigned char *)str;
	uint32_t		 c;
	size_t			 len, i;

	if (n == 0)
		return (0);
	if (s[0] < 0x80) {
		*cp = s[0];
		return (1);
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return (0);
	if (n < len)
		return (0);
	c = s[0] & (0x7f >> len);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return (0);
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min[len] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return (0);
	*cp = c;
	return (len);
}

/* Length of the sequence at s, or 1 for an invalid byte (to skip it). */
size_t
utf8_step(const char *s, size_t n)
{
	uint32_t	cp;
	size_t		len = utf8_decode(s, n, &cp);

	return (len == 0 ? 1 : len);
}

/* Writes cp (a scalar value) as UTF-8 into out; its length, 1 to 4. */
size_t
utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return (1);
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return (2);
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return (3);
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return (4);
}

/* 1 if the n bytes at s are strict UTF-8 (NUL allowed only if n counts it). */
int
utf8_valid(const char *s, size_t n)
{
	size_t		i = 0, len;
	uint32_t	cp;

	while (i < n) {
		if ((len = utf8_decode(s + i, n - i, &cp)) == 0)
			return (0);
		i += len;
	}
	return (1);
}

/* 1 if the string s is strict UTF-8. */
int
utf8_valid_str(const char *s)
{
	return (utf8_valid(s, strlen(s)));
}

/* 1 if the n bytes at s are strict UTF-8 without NUL or C0 controls but TAB. */
int
utf8_text_valid(const char *s, size_t n)
{
	size_t		i = 0, len;
	uint32_t	cp;

	while (i < n) {
		if ((len = utf8_decode(s + i, n - i, &cp)) == 0)
			return (0);
		if (cp < 0x20 && cp != '\t')
			return (0);
		i += len;
	}
	return (1);
}

/* Code points of a string, as a browser's maxlength counts them. */
size_t
utf8_chars(const char *s)
{
	size_t	n = strlen(s), i = 0, chars = 0;

	while (i < n) {
		i += utf8_step(s + i, n - i);
		chars++;
	}
	return (chars);
}

/* 1 if cp is a combining diacritical mark (U+0300..U+036F, U+1DC0..U+1DFF). */
int
utf8_is_combining(uint32_t cp)
{
	return ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x1dc0 &&
	    cp <= 0x1dff));
}

/* Columns of the character at s (0 for a combining mark); its bytes in *len. */
static size_t
utf8_columns(const char *s, size_t n, size_t *len)
{
	uint32_t	cp;

	if ((*len = utf8_decode(s, n, &cp)) == 0) {
		*len = 1;
		return (1);
	}
	return (utf8_is_combining(cp) ? 0 : 1);
}

/* Display columns of s[0..n): code points but combining marks. */
size_t
utf8_width(const char *s, size_t n)
{
	size_t	i = 0, w = 0, len;

	while (i < n) {
		w += utf8_columns(s + i, n - i, &len);
		i += len;
	}
	return (w);
}

/* Bytes of the longest prefix of s[0..n) of at most max columns. */
size_t
utf8_cut_width(const char *s, size_t n, size_t max)
{
	size_t	i = 0, w = 0, c, len;

	while (i < n) {
		c = utf8_columns(s + i, n - i, &len);
		if (w + c > max)
			break;
		w += c;
		i += len;
	}
	return (i);
}

/* Bytes of the longest prefix of s[0..n) of at most max bytes, whole characters. */
size_t
utf8_cut_bytes(const char *s, size_t n, size_t max)
{
	size_t	i = 0, len;

	while (i < n) {
		len = utf8_step(s + i, n - i);
		if (i + len > max)
			break;
		i += len;
	}
	return (i);
}
