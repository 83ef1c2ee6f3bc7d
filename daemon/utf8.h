#ifndef UTF8_H
#define UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * The one UTF-8 layer: every module that looks inside text decodes,
 * encodes, validates, counts and cuts it here.  Decoding is strict
 * (RFC 3629): no overlong forms, no surrogates, nothing past U+10FFFF.
 * Vietnamese folding of letters lives in fold.h, on top of this.
 */

/* Decodes the sequence at s (n bytes left) into *cp; its length, or 0. */
size_t	 utf8_decode(const char *, size_t, uint32_t *);
/* Length of the sequence at s, or 1 for an invalid byte (to skip it). */
size_t	 utf8_step(const char *, size_t);
/* Writes cp (a scalar value) as UTF-8 into out; its length, 1 to 4. */
size_t	 utf8_encode(uint32_t, char [4]);
/* 1 if the n bytes at s are strict UTF-8 (NUL allowed only if n counts it). */
int	 utf8_valid(const char *, size_t);
/* 1 if the string s is strict UTF-8. */
int	 utf8_valid_str(const char *);
/* 1 if the n bytes at s are strict UTF-8 without NUL or C0 controls but TAB. */
int	 utf8_text_valid(const char *, size_t);
/* Code points of a string, as a browser's maxlength counts them. */
size_t	 utf8_chars(const char *);
/* Display columns of s[0..n): code points but combining marks. */
size_t	 utf8_width(const char *, size_t);
/* Bytes of the longest prefix of s[0..n) of at most max columns. */
size_t	 utf8_cut_width(const char *, size_t, size_t);
/* Bytes of the longest prefix of s[0..n) of at most max bytes, whole characters. */
size_t	 utf8_cut_bytes(const char *, size_t, size_t);
/* 1 if cp is a combining diacritical mark (U+0300..U+036F, U+1DC0..U+1DFF). */
int	 utf8_is_combining(uint32_t);

#endif
