/*
 * XML parts of office documents read as streams of nodes (xmlpart.h).
 * Before libxml2 sees a byte, the part's prolog is read and checked: UTF-8,
 * no document type declaration.  With no DTD there is no entity to expand
 * (billion laughs) or to load (XXE), whatever the parser's defaults; the
 * external entity loader refuses everything all the same.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlreader.h>

#include "xmalloc.h"
#include "xmlpart.h"
#include "zipfile.h"

/* How far into a part its root element must start. */
#define XMLPART_MAX_PROLOG	(64 * 1024)
/*
 * The most bytes handed to libxml2 at a time.  xmlTextReader parses 512
 * bytes (its CHUNK_SIZE) each time it asks for 4,096, and discards what it
 * parsed only once it has caught up: through a long run without nodes
 * (white space between elements, a long text) it would keep the whole
 * part in memory (100 MiB of such input took 107 MiB; 5 MiB this way).
 */
#define XMLPART_READ_CHUNK	512

struct xmlpart {
	struct zipfile_entry	*entry;
	xmlTextReaderPtr	 reader;
	char			*head;		/* the prolog, read ahead */
	size_t			 head_len;
	size_t			 head_off;
	char			*error;		/* "ENTRY:LINE: message" */
	int			 type;
};

/* No entity is ever loaded from outside the part. */
static xmlParserInputPtr
xmlpart_no_entity(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	return (NULL);
}

/* libxml2's own messages go nowhere: each part keeps its first error. */
static void
xmlpart_quiet(void *ctx, const char *msg, ...)
{
}

/* Sets up libxml2 once: parser, silence, no external entities. */
static void
xmlpart_init(void)
{
	static int	 done;

	if (done)
		return;
	done = 1;
	xmlInitParser();
	xmlSetGenericErrorFunc(NULL, xmlpart_quiet);
	xmlSetExternalEntityLoader(xmlpart_no_entity);
}

/* Keeps the first error of the part; formats like printf. */
static void __attribute__((format(printf, 2, 3)))
xmlpart_set_error(struct xmlpart *x, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	if (x->error != NULL)
		return;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		msg = NULL;
	va_end(ap);
	if (msg == NULL)
		msg = xstrdup("out of memory");
	x->error = msg;
}

/* The parser's errors: the first one is kept with its line. */
static void
xmlpart_parser_error(void *arg, xmlErrorPtr err)
{
	struct xmlpart	*x = arg;
	char		*msg;
	size_t		 n;

	if (err == NULL || err->level < XML_ERR_ERROR)
		return;
	msg = xstrdup(err->message != NULL ? err->message : "XML error");
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	xmlpart_set_error(x, "%s:%d: %s", zipfile_entry_name(x->entry),
	    err->line, msg);
	free(msg);
}

/* Reads more of the entry into the head buffer; -1 on error, 0 at end. */
static int
xmlpart_read_head(struct xmlpart *x)
{
	char	 chunk[4096];
	long	 n;

	if ((n = zipfile_entry_read(x->entry, chunk, sizeof chunk)) < 0) {
		xmlpart_set_error(x, "%s", zipfile_entry_error(x->entry));
		return (-1);
	}
	x->head = xrealloc(x->head, x->head_len + (size_t)n + 1);
	memcpy(x->head + x->head_len, chunk, (size_t)n);
	x->head_len += (size_t)n;
	x->head[x->head_len] = '\0';
	return (n > 0);
}

/*
 * Finds where the construct at p ("<?", "<!--") ends: after its closing
 * string, or NULL if the head does not hold it yet.
 */
static const char *
xmlpart_after(const char *p, const char *end, const char *close)
{
	size_t	 n = strlen(close);

	for (; p + n <= end; p++) {
		if (memcmp(p, close, n) == 0)
			return (p + n);
	}
	return (NULL);
}

/*
 * Checks the prolog in head: 1 once the root element starts, 0 if more
 * is needed, -1 (with the error set) for UTF-16 or a declaration.
 */
static int
xmlpart_check_prolog(struct xmlpart *x)
{
	const char	*p = x->head, *end, *next;
	const char	*name = zipfile_entry_name(x->entry);

	if (x->head == NULL)
		return (0);
	end = x->head + x->head_len;
	if (x->head_len >= 2 && ((unsigned char)p[0] == 0xfe ||
	    (unsigned char)p[0] == 0xff || p[0] == '\0' || p[1] == '\0')) {
		xmlpart_set_error(x, "%s: not UTF-8 XML", name);
		return (-1);
	}
	if (x->head_len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < end) {
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
			p++;
			continue;
		}
		if (*p != '<' || p + 1 >= end)
			return (*p != '<');	/* the parser will say */
		if (p[1] == '?')
			next = xmlpart_after(p + 2, end, "?>");
		else if (end - p >= 4 && memcmp(p, "<!--", 4) == 0)
			next = xmlpart_after(p + 4, end, "-->");
		else if (p[1] == '!' && (end - p >= 4 ||
		    memcmp(p, "<!--", (size_t)(end - p)) != 0)) {
			xmlpart_set_error(x, "%s: a document type declaration "
			    "(DTD), which no office document has", name);
			return (-1);
		} else if (p[1] == '!')
			next = NULL;
		else
			return (1);
		if (next == NULL)
			return (0);
		p = next;
	}
	return (0);
}

/* Reads the prolog ahead and checks it; -1 on error. */
static int
xmlpart_prolog(struct xmlpart *x)
{
	int	 rv, more;

	for (;;) {
		if ((rv = xmlpart_check_prolog(x)) != 0)
			return (rv == 1 ? 0 : -1);
		if (x->head_len > XMLPART_MAX_PROLOG) {
			xmlpart_set_error(x, "%s: no root element in its "
			    "first %d bytes", zipfile_entry_name(x->entry),
			    XMLPART_MAX_PROLOG);
			return (-1);
		}
		if ((more = xmlpart_read_head(x)) == -1)
			return (-1);
		if (more == 0)
			return (0);	/* the parser will say */
	}
}

/* libxml2's input: the head read ahead, then the rest of the entry. */
static int
xmlpart_input(void *arg, char *buf, int len)
{
	struct xmlpart	*x = arg;
	size_t		 n;
	long		 got;

	if (len <= 0)
		return (0);
	if (len > XMLPART_READ_CHUNK)
		len = XMLPART_READ_CHUNK;
	if (x->head_off < x->head_len) {
		n = x->head_len - x->head_off;
		if (n > (size_t)len)
			n = (size_t)len;
		memcpy(buf, x->head + x->head_off, n);
		x->head_off += n;
		return ((int)n);
	}
	if ((got = zipfile_entry_read(x->entry, buf, (size_t)len)) < 0) {
		xmlpart_set_error(x, "%s", zipfile_entry_error(x->entry));
		return (-1);
	}
	return ((int)got);
}

/* Fills *cause from the part's error and closes it; returns NULL. */
static struct xmlpart *
xmlpart_open_fail(struct xmlpart *x, struct zipfile *zf, char **cause)
{
	xasprintf(cause, "%s: %s", zipfile_name(zf), x->error != NULL ?
	    x->error : "cannot read the part");
	xmlpart_close(x);
	return (NULL);
}

/* Opens the part ENTRY of the archive; NULL and *cause on error. */
struct xmlpart *
xmlpart_open(struct zipfile *zf, const char *entry, char **cause)
{
	struct xmlpart	*x;
	int		 options = XML_PARSE_NONET | XML_PARSE_NOERROR |
			    XML_PARSE_NOWARNING | XML_PARSE_NOCDATA;

	xmlpart_init();
	x = xcalloc(1, sizeof *x);
	x->type = XMLPART_OTHER;
	if ((x->entry = zipfile_entry_open(zf, entry, cause)) == NULL) {
		free(x);
		return (NULL);
	}
	if (xmlpart_prolog(x) == -1)
		return (xmlpart_open_fail(x, zf, cause));
	x->reader = xmlReaderForIO(xmlpart_input, NULL, x, entry, NULL,
	    options);
	if (x->reader == NULL) {
		xmlpart_set_error(x, "%s: cannot start the XML parser", entry);
		return (xmlpart_open_fail(x, zf, cause));
	}
	xmlTextReaderSetStructuredErrorHandler(x->reader,
	    xmlpart_parser_error, x);
	return (x);
}

/* Moves to the next node: 1, 0 at the end of the part, -1 on error. */
int
xmlpart_next(struct xmlpart *x)
{
	int	 rv;

	if (x->error != NULL)
		return (-1);
	if ((rv = xmlTextReaderRead(x->reader)) != 1) {
		if (rv == 0 && x->error == NULL)
			return (0);
		xmlpart_set_error(x, "%s: malformed XML",
		    zipfile_entry_name(x->entry));
		return (-1);
	}
	switch (xmlTextReaderNodeType(x->reader)) {
	case XML_READER_TYPE_ELEMENT:
		x->type = XMLPART_START;
		break;
	case XML_READER_TYPE_END_ELEMENT:
		x->type = XMLPART_END;
		break;
	case XML_READER_TYPE_TEXT:
	case XML_READER_TYPE_CDATA:
	case XML_READER_TYPE_WHITESPACE:
	case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
		x->type = XMLPART_TEXT;
		break;
	case XML_READER_TYPE_DOCUMENT_TYPE:
	case XML_READER_TYPE_ENTITY_REFERENCE:
	case XML_READER_TYPE_ENTITY:
		xmlpart_set_error(x, "%s: a document type declaration (DTD), "
		    "which no office document has",
		    zipfile_entry_name(x->entry));
		return (-1);
	default:
		x->type = XMLPART_OTHER;
		break;
	}
	return (1);
}

/* The kind of the current node. */
enum xmlpart_node
xmlpart_type(const struct xmlpart *x)
{
	return ((enum xmlpart_node)x->type);
}

/* 1 if the current element is {ns}local (ns NULL: any namespace). */
int
xmlpart_is(const struct xmlpart *x, const char *ns, const char *local)
{
	const char	*name, *uri;

	if (x->type != XMLPART_START && x->type != XMLPART_END)
		return (0);
	name = (const char *)xmlTextReaderConstLocalName(x->reader);
	if (name == NULL || strcmp(name, local) != 0)
		return (0);
	if (ns == NULL)
		return (1);
	uri = (const char *)xmlTextReaderConstNamespaceUri(x->reader);
	return (uri != NULL && strcmp(uri, ns) == 0);
}

/* The current element's local name ("" if none); borrowed. */
const char *
xmlpart_local(const struct xmlpart *x)
{
	const char	*name;

	if (x->type != XMLPART_START && x->type != XMLPART_END)
		return ("");
	name = (const char *)xmlTextReaderConstLocalName(x->reader);
	return (name != NULL ? name : "");
}

/* The current element's namespace URI ("" if none); borrowed. */
const char *
xmlpart_ns(const struct xmlpart *x)
{
	const char	*uri;

	if (x->type != XMLPART_START && x->type != XMLPART_END)
		return ("");
	uri = (const char *)xmlTextReaderConstNamespaceUri(x->reader);
	return (uri != NULL ? uri : "");
}

/* 1 if the current start tag is an empty element ("<a/>"). */
int
xmlpart_empty(const struct xmlpart *x)
{
	return (x->type == XMLPART_START &&
	    xmlTextReaderIsEmptyElement(x->reader) == 1);
}

/* Depth of the current node (the root is 0). */
int
xmlpart_depth(const struct xmlpart *x)
{
	return (xmlTextReaderDepth(x->reader));
}

/* The text of a text node (borrowed until the next move). */
const char *
xmlpart_text(const struct xmlpart *x)
{
	const char	*v;

	if (x->type != XMLPART_TEXT)
		return ("");
	v = (const char *)xmlTextReaderConstValue(x->reader);
	return (v != NULL ? v : "");
}

/* The attribute {ns}local of the current element or NULL; caller frees. */
char *
xmlpart_attr(const struct xmlpart *x, const char *ns, const char *local)
{
	xmlChar	*v;
	char	*s;

	if (x->type != XMLPART_START)
		return (NULL);
	if (ns != NULL)
		v = xmlTextReaderGetAttributeNs(x->reader,
		    (const xmlChar *)local, (const xmlChar *)ns);
	else
		v = xmlTextReaderGetAttribute(x->reader,
		    (const xmlChar *)local);
	if (v == NULL)
		return (NULL);
	s = xstrdup((const char *)v);
	xmlFree(v);
	return (s);
}

/* An attribute read as a number from 0 to max; def when absent or bad. */
long
xmlpart_attr_long(const struct xmlpart *x, const char *ns,
    const char *local, long max, long def)
{
	char	*s, *end;
	long	 v;

	if ((s = xmlpart_attr(x, ns, local)) == NULL)
		return (def);
	v = strtol(s, &end, 10);
	if (end == s || *end != '\0' || v < 0 || v > max)
		v = def;
	free(s);
	return (v);
}

/* Skips the rest of the current element: -1 on error. */
int
xmlpart_skip(struct xmlpart *x)
{
	int	 depth, rv;

	if (x->type != XMLPART_START || xmlpart_empty(x))
		return (0);
	depth = xmlpart_depth(x);
	while ((rv = xmlpart_next(x)) == 1) {
		if (x->type == XMLPART_END && xmlpart_depth(x) == depth)
			return (0);
	}
	if (rv == 0)
		xmlpart_set_error(x, "%s: the part ends inside an element",
		    zipfile_entry_name(x->entry));
	return (-1);
}

/* 1 once the part had an error (of the XML or of the archive). */
int
xmlpart_failed(const struct xmlpart *x)
{
	return (x->error != NULL);
}

/* "ENTRY:LINE: message" of the error after a -1; caller frees. */
char *
xmlpart_error(const struct xmlpart *x)
{
	return (xstrdup(x->error != NULL ? x->error : "XML error"));
}

/* Closes the part; NULL is safe. */
void
xmlpart_close(struct xmlpart *x)
{
	if (x == NULL)
		return;
	if (x->reader != NULL)
		xmlFreeTextReader(x->reader);
	zipfile_entry_close(x->entry);
	free(x->head);
	free(x->error);
	free(x);
}
