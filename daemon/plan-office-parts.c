/*
 * Below the readers of office documents: errors that name the document,
 * a part closed at its end, OOXML relationships resolved to entry names,
 * list numbers and bullets as the house writes them.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan-office-parts.h"
#include "xmalloc.h"
#include "xmlpart.h"
#include "zipfile.h"

#define PLAN_NS_RELS \
	"http://schemas.openxmlformats.org/package/2006/relationships"

/* Formats "NAME: message" into *cause; returns -1. */
int
plan_office_error(char **cause, const char *name, const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[1024];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (cause != NULL)
		xasprintf(cause, "%s: %s", name, msg);
	return (-1);
}

/* Closes a part read to its end: 0, or -1 and *cause if rv is -1. */
int
plan_office_part_end(struct xmlpart *x, struct zipfile *zf, int rv,
    char **cause)
{
	char	*err;

	if (rv == -1) {
		err = xmlpart_error(x);
		plan_office_error(cause, zipfile_name(zf), "%s", err);
		free(err);
	}
	xmlpart_close(x);
	return (rv == -1 ? -1 : 0);
}

/* One relationship of a part. */
struct plan_rel {
	char	*id;
	char	*type;
	char	*target;	/* resolved to an entry name */
};

/* The rels part of a part: "word/document.xml" -> "word/_rels/..." */
static char *
plan_office_rels_name(const char *part)
{
	const char	*slash = strrchr(part, '/');
	char		*rels;

	if (slash == NULL)
		xasprintf(&rels, "_rels/%s.rels", part);
	else
		xasprintf(&rels, "%.*s/_rels/%s.rels", (int)(slash - part),
		    part, slash + 1);
	return (rels);
}

/* Resolves a target relative to the part's folder; caller frees. */
static char *
plan_office_resolve(const char *part, const char *target)
{
	struct buf	 b;
	const char	*slash, *seg, *end;
	size_t		 n;

	buf_init(&b);
	if (*target == '/')
		target++;
	else if ((slash = strrchr(part, '/')) != NULL)
		buf_add(&b, part, (size_t)(slash - part));
	for (seg = target; *seg != '\0'; seg = *end == '/' ? end + 1 : end) {
		if ((end = strchr(seg, '/')) == NULL)
			end = seg + strlen(seg);
		n = (size_t)(end - seg);
		if (n == 0 || (n == 1 && seg[0] == '.'))
			continue;
		if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			while (b.len > 0 && b.data[b.len - 1] != '/')
				b.len--;
			if (b.len > 0)
				b.len--;
			b.data[b.len] = '\0';
			continue;
		}
		if (b.len > 0)
			buf_addc(&b, '/');
		buf_add(&b, seg, n);
	}
	return (buf_steal(&b));
}

/* 1 if the relationship at x matches: by type suffix or by id. */
static int
plan_office_rel_match(struct xmlpart *x, const char *type, const char *id)
{
	char	*v, *mode;
	size_t	 n, vn;
	int	 match = 0;

	if ((mode = xmlpart_attr(x, NULL, "TargetMode")) != NULL &&
	    strcmp(mode, "External") == 0) {
		free(mode);
		return (0);
	}
	free(mode);
	if ((v = xmlpart_attr(x, NULL, id != NULL ? "Id" : "Type")) == NULL)
		return (0);
	if (id != NULL)
		match = strcmp(v, id) == 0;
	else {
		n = strlen(type);
		vn = strlen(v);
		match = vn >= n && strcmp(v + vn - n, type) == 0 &&
		    (vn == n || v[vn - n - 1] == '/');
	}
	free(v);
	return (match);
}

/* The target of the relationship of a part by type or id; NULL if none. */
static char *
plan_office_rel_find(struct zipfile *zf, const char *part, const char *type,
    const char *id, char **cause)
{
	struct xmlpart	*x;
	char		*rels, *target = NULL, *resolved = NULL, *err;
	int		 rv;

	rels = plan_office_rels_name(part);
	if (!zipfile_has(zf, rels)) {
		free(rels);
		return (NULL);
	}
	x = xmlpart_open(zf, rels, cause);
	free(rels);
	if (x == NULL)
		return (NULL);
	while (target == NULL && (rv = xmlpart_next(x)) == 1) {
		if (xmlpart_type(x) == XMLPART_START &&
		    xmlpart_is(x, PLAN_NS_RELS, "Relationship") &&
		    plan_office_rel_match(x, type, id))
			target = xmlpart_attr(x, NULL, "Target");
	}
	if (target == NULL && rv == -1) {
		err = xmlpart_error(x);
		plan_office_error(cause, zipfile_name(zf), "%s", err);
		free(err);
	}
	xmlpart_close(x);
	if (target != NULL)
		resolved = plan_office_resolve(part, target);
	free(target);
	return (resolved);
}

/* The entry of the first relationship of that type; NULL if none. */
char *
plan_office_rel(struct zipfile *zf, const char *part, const char *type,
    char **cause)
{
	return (plan_office_rel_find(zf, part, type, NULL, cause));
}

/* The entry of the relationship of that id; NULL if none. */
char *
plan_office_rel_id(struct zipfile *zf, const char *part, const char *id,
    char **cause)
{
	return (plan_office_rel_find(zf, part, NULL, id, cause));
}

/* A list item's number n in a style ('1', '0', 'a', 'A', 'i', 'I'). */
void
plan_office_number(char style, int n, char *out, size_t size)
{
	static const char	*roman[] = { "m", "cm", "d", "cd", "c", "xc",
				    "l", "xl", "x", "ix", "v", "iv", "i" };
	static const int	 values[] = { 1000, 900, 500, 400, 100, 90, 50,
				    40, 10, 9, 5, 4, 1 };
	size_t			 i, len = 0;

	out[0] = '\0';
	if ((style == 'i' || style == 'I') && n > 0 && n < 4000) {
		for (i = 0; i < 13; i++) {
			for (; n >= values[i] && len + 3 < size;
			    n -= values[i])
				len += (size_t)snprintf(out + len, size - len,
				    "%s", roman[i]);
		}
	} else if ((style == 'a' || style == 'A') && n > 0) {
		for (i = 0; i < (size_t)((n - 1) / 26 + 1) && i + 1 < size &&
		    i < 8; i++)
			out[i] = (char)('a' + (n - 1) % 26);
		out[i] = '\0';
	} else
		snprintf(out, size, style == '0' ? "%02d" : "%d", n);
	for (i = 0; (style == 'A' || style == 'I') && out[i] != '\0'; i++)
		out[i] = (char)(out[i] - 'a' + 'A');
}

/* A bullet character as a house marker: itself if one, else "•". */
void
plan_office_bullet(const char *bullet, char *out, size_t size)
{
	static const char	*kept[] = { "-", "+", "*", "\xe2\x80\xa2",
				    "\xe2\x80\x93" };
	size_t			 i;

	for (i = 0; i < sizeof kept / sizeof kept[0]; i++) {
		if (strcmp(bullet, kept[i]) == 0) {
			snprintf(out, size, "%s", kept[i]);
			return;
		}
	}
	snprintf(out, size, "\xe2\x80\xa2");
}
