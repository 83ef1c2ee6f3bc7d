#ifndef HTML_H
#define HTML_H

#include <stddef.h>

#include "date.h"
#include "xmalloc.h"

/*
 * The pieces every page of the HTTP server is made of: the frame (one
 * served stylesheet, no script, no inline style, so the strict
 * Content-Security-Policy holds), text and attributes escaped by one
 * function (buf_add_html), dates, numbers and bars.  Nothing here reads
 * the store.
 */

/* The stylesheet's path and text (served by the server, cacheable). */
#define HTML_CSS_PATH	"/console/style.css"
extern const char	html_css[];

/* Starts a page: lang ("vi", "en"), title, class of <body> or NULL. */
void	 html_begin(struct buf *, const char *, const char *, const char *);
/* Ends the page. */
void	 html_end(struct buf *);
/* Appends text, escaped; NULL appends nothing. */
void	 html_text(struct buf *, const char *);
/* Appends text with its line breaks as <br>. */
void	 html_lines(struct buf *, const char *);
/* Appends <tag class="cls">text</tag>; cls may be NULL. */
void	 html_elem(struct buf *, const char *, const char *, const char *);
/* Appends <a href="href">text</a>, both escaped. */
void	 html_link(struct buf *, const char *, const char *);
/* Appends a hidden input. */
void	 html_hidden(struct buf *, const char *, const char *);
/* Appends a number. */
void	 html_int(struct buf *, long long);
/* Appends a date as dd/mm/yyyy, "" for none. */
void	 html_date(struct buf *, date_t);
/* Appends a date with its weekday ("Thứ Sáu, 28/06/2024"). */
void	 html_day(struct buf *, date_t, const char *);
/* Appends a rate in tenths as "87,5%" (vi) or "87.5%", "-" for none. */
void	 html_rate(struct buf *, int, const char *);
/* Appends a bar of a rate in tenths (inline SVG, -1: empty). */
void	 html_bar(struct buf *, int, const char *);
/* Appends a query string value, percent-encoded. */
void	 html_query_value(struct buf *, const char *);

#endif
