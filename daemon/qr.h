#ifndef QR_H
#define QR_H

#include "xmalloc.h"

/*
 * A QR code of a text (libqrencode) drawn as inline SVG: one path of the
 * dark modules, row runs merged, a quiet zone of 4 modules.  No image
 * file, nothing loaded: the page's Content-Security-Policy needs nothing.
 */

/* Appends the SVG of text with an accessible label; 0, or -1 (too long). */
int	 qr_svg(struct buf *, const char *, const char *);

#endif
