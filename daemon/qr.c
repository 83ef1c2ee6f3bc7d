/* QR codes as inline SVG (see qr.h). */
#include <errno.h>
#include <string.h>

#include <qrencode.h>

#include "qr.h"

#define QR_QUIET	4	/* modules of white around the code */

/* Appends the path of the dark modules, one subpath per run of a row. */
static void
qr_path(struct buf *b, const QRcode *q)
{
	int	x, y, run;

	for (y = 0; y < q->width; y++) {
		for (x = 0; x < q->width; x += run) {
			run = 0;
			while (x + run < q->width &&
			    (q->data[y * q->width + x + run] & 1))
				run++;
			if (run == 0) {
				run = 1;
				continue;
			}
			buf_printf(b, "M%d %dh%dv1h-%dz", x + QR_QUIET,
			    y + QR_QUIET, run, run);
		}
	}
}

int
qr_svg(struct buf *b, const char *text, const char *label)
{
	QRcode	*q;
	int	 size;

	/* Level M: a phone reads it from a screen or a printed page. */
	if ((q = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M)) == NULL)
		return (-1);
	size = q->width + 2 * QR_QUIET;
	buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "
	    "%d %d\" role=\"img\" shape-rendering=\"crispEdges\" "
	    "aria-label=\"", size, size);
	buf_add_html(b, label, 0);
	buf_printf(b, "\"><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
	    "<path fill=\"#000\" d=\"", size, size);
	qr_path(b, q);
	buf_adds(b, "\"/></svg>");
	QRcode_free(q);
	return (0);
}
