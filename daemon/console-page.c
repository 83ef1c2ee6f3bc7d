/*
 * Below the console's pages and the unit page: the fields of a request,
 * the cache of rendered pages forgotten, and the parts every page writes
 * the same way (title, a form's hidden fields, a read that failed).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console-private.h"
#include "html.h"
#include "log.h"

/* Forgets every rendered page. */
void
console_cache_clear(struct console *c)
{
	size_t	i;

	for (i = 0; i < CONSOLE_CACHE_SLOTS; i++) {
		free(c->cache[i].key);
		free(c->cache[i].html);
		console_kept_free(c->cache[i].kept);
		free(c->cache[i].pending.v);
		free(c->cache[i].pending.units);
		memset(&c->cache[i], 0, sizeof c->cache[i]);
	}
}

/*
 * This connection's own commits do not move data_version: the next page
 * reads the change log to learn what they changed.
 */
void
console_invalidate(struct console *c)
{
	c->dirty = 1;
}

/* Orders changes by unit, then task. */
int
console_change_cmp(const void *a, const void *b)
{
	const struct console_change	*x = a, *y = b;

	if (x->unit != y->unit)
		return (x->unit < y->unit ? -1 : 1);
	return (x->task < y->task ? -1 : x->task > y->task);
}

const char *
console_field(const struct console_field *f, size_t n, const char *name)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(f[i].name, name) == 0)
			return (f[i].value);
	return (NULL);
}

int
console_field_add(struct console_field *f, size_t *n, const char *name,
    const char *value, size_t len)
{
	if (*n == CONSOLE_FIELDS_MAX || len > CONSOLE_VALUE_MAX ||
	    console_field(f, *n, name) != NULL)
		return (-1);
	f[*n].name = xstrdup(name);
	f[*n].value = xstrndup(value, len);
	(*n)++;
	return (0);
}

void
console_request_clear(struct console_request *r)
{
	size_t	i;

	for (i = 0; i < r->nquery; i++) {
		free(r->query[i].name);
		free(r->query[i].value);
	}
	for (i = 0; i < r->nform; i++) {
		free(r->form[i].name);
		free(r->form[i].value);
	}
	free(r->path);
	if (r->cookie != NULL)
		explicit_bzero(r->cookie, strlen(r->cookie));
	free(r->cookie);
	free(r->origin);
	memset(r, 0, sizeof *r);
}

void
console_response_clear(struct console_response *r)
{
	free(r->body);
	free(r->cookie);
	free(r->location);
	memset(r, 0, sizeof *r);
}

const char *
console_arg(const struct console_page *p, const char *name)
{
	return (console_field(p->req->query, p->req->nquery, name));
}

void
console_read_failed(struct console_page *p, char *cause)
{
	log_warnx("console: %s: %s", p->req->path, cause != NULL ? cause :
	    "read error");
	free(cause);
	p->status = 500;
	p->cacheable = 0;
	buf_adds(&p->main, "<p class=\"error\">Không đọc được cơ sở dữ liệu; "
	    "trang này có thể thiếu. <span lang=\"en\">The database could not "
	    "be read; this page may be incomplete.</span></p>\n");
}

void
console_title(struct console_page *p, const char *title)
{
	free(p->title);
	p->title = xstrdup(title);
}

char *
console_here(const struct console_page *p)
{
	struct buf	b;
	size_t		i;

	buf_init(&b);
	buf_adds(&b, p->req->path);
	for (i = 0; i < p->req->nquery; i++) {
		if (strcmp(p->req->query[i].name, "ok") == 0)
			continue;
		buf_addc(&b, b.len == strlen(p->req->path) ? '?' : '&');
		html_query_value(&b, p->req->query[i].name);
		buf_addc(&b, '=');
		html_query_value(&b, p->req->query[i].value);
	}
	return (buf_steal(&b));
}

void
console_form_begin(struct console_page *p, const char *op, int64_t occ,
    int64_t version)
{
	char	*here, num[24];

	buf_adds(&p->main, "<form method=\"post\" action=\"/console/action\">");
	html_hidden(&p->main, "csrf", p->csrf);
	html_hidden(&p->main, "op", op);
	snprintf(num, sizeof num, "%lld", (long long)occ);
	html_hidden(&p->main, strcmp(op, "approve") == 0 ||
	    strcmp(op, "decline") == 0 ? "req" : "occ", num);
	if (version >= 0) {
		snprintf(num, sizeof num, "%lld", (long long)version);
		html_hidden(&p->main, "v", num);
	}
	here = console_here(p);
	html_hidden(&p->main, "back", here);
	free(here);
}


/* Appends a row of a description table, skipped when empty. */
void
console_field_row(struct buf *b, const char *label, const char *value)
{
	if (value == NULL || *value == '\0')
		return;
	buf_adds(b, "<tr><th>");
	html_text(b, label);
	buf_adds(b, "</th><td>");
	html_lines(b, value);
	buf_adds(b, "</td></tr>\n");
}
