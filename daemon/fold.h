#ifndef FOLD_H
#define FOLD_H

#include <stddef.h>

/*
 * Folding of Vietnamese names for matching: lower case, no diacritics
 * (NFC and NFD alike, old and new tone placement alike, đ -> d),
 * connectors "và", "&", "-", "–" between words dropped, spacing collapsed,
 * trailing punctuation and a trailing "huyện" dropped.
 * "Phòng Văn hoá – Thông tin huyện." -> "phong van hoa thong tin".
 */
char	*fold_name(const char *);		/* caller frees */
/* 1 if s is valid UTF-8 of n bytes without NUL or C0 controls but TAB. */
int	 fold_utf8_valid(const char *, size_t);

#endif
