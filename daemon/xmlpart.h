#ifndef XMLPART_H
#define XMLPART_H

/*
 * An XML part of an office document (a ZIP entry) read as a stream of
 * nodes through libxml2's xmlTextReader, so that memory stays bounded by
 * the current node whatever the part's size.  Safe against hostile parts:
 * the part must be UTF-8 and may not have a document type declaration
 * (no office format uses one), so no entity is ever declared, expanded or
 * loaded; no network; libxml2's own limits on depth and text size.
 */
struct zipfile;
struct xmlpart;

enum xmlpart_node {
	XMLPART_START,		/* an element's start tag (or empty element) */
	XMLPART_END,		/* its end tag; none after an empty element */
	XMLPART_TEXT,		/* text, CDATA or white space */
	XMLPART_OTHER		/* comments, processing instructions */
};

/* Opens the part ENTRY of the archive; NULL and *cause on error. */
struct xmlpart *xmlpart_open(struct zipfile *, const char *, char **);
/* Moves to the next node: 1, 0 at the end of the part, -1 on error. */
int	 xmlpart_next(struct xmlpart *);
enum xmlpart_node xmlpart_type(const struct xmlpart *);
/* 1 if the current element is {ns}local (ns NULL: any namespace). */
int	 xmlpart_is(const struct xmlpart *, const char *, const char *);
/* The current element's local name and namespace ("" if none); borrowed. */
const char *xmlpart_local(const struct xmlpart *);
const char *xmlpart_ns(const struct xmlpart *);
/* 1 if the current start tag is an empty element ("<a/>"). */
int	 xmlpart_empty(const struct xmlpart *);
/* Depth of the current node (the root is 0). */
int	 xmlpart_depth(const struct xmlpart *);
/* The text of a text node (borrowed until the next move). */
const char *xmlpart_text(const struct xmlpart *);
/* The attribute {ns}local of the current element or NULL; caller frees. */
char	*xmlpart_attr(const struct xmlpart *, const char *, const char *);
/* An attribute read as a number from 0 to max; def when absent or bad. */
long	 xmlpart_attr_long(const struct xmlpart *, const char *,
	    const char *, long, long);
/* Skips the rest of the current element: -1 on error. */
int	 xmlpart_skip(struct xmlpart *);
/* 1 once the part had an error (of the XML or of the archive). */
int	 xmlpart_failed(const struct xmlpart *);
/* "ENTRY:LINE: message" of the error after a -1; caller frees. */
char	*xmlpart_error(const struct xmlpart *);
void	 xmlpart_close(struct xmlpart *);

#endif
