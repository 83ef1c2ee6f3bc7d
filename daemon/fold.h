#ifndef FOLD_H
#define FOLD_H

#include <stddef.h>
#include <stdint.h>

/*
 * Folding of Vietnamese names for matching: lower case, no diacritics
 * (NFC and NFD alike, old and new tone placement alike, đ -> d),
 * connectors "và", "&", "-", "–" between words dropped, spacing collapsed,
 * trailing punctuation and a trailing "huyện" dropped.
 * "Phòng Văn hoá – Thông tin huyện." -> "phong van hoa thong tin".
 */
char	*fold_name(const char *);		/* caller frees */
/*
 * The lower-case ASCII base letter of a letter, precomposed or not
 * ("ễ" -> 'e', "Ơ" -> 'o', "đ" and "Đ" -> 'd', ASCII letters lowered),
 * or 0 for anything else.  The one Vietnamese folding table of the house.
 */
char	 fold_letter(uint32_t);
/* 1 if cp is an upper-case Latin or Vietnamese letter ("Đ", "Ư", "Ễ"). */
int	 fold_is_upper(uint32_t);

#endif
