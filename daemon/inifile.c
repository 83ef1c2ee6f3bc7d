/* INI reading with line numbers and up-front validation of the file. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <ini.h>

#include "inifile.h"
#include "utf8.h"
#include "xmalloc.h"

struct inifile_errors {
	struct buf	text;
	int		count;
};

struct inifile_reader {
	const char	*data;
	size_t		 off;
	size_t		 len;
	unsigned	 line;
};

struct inifile_state {
	const char		*path;
	struct inifile_reader	 reader;
	inifile_cb		 cb;
	void			*arg;
};

struct inifile_errors *
inifile_errors_new(void)
{
	struct inifile_errors	*e;

	e = xcalloc(1, sizeof *e);
	buf_init(&e->text);
	return (e);
}

void
inifile_errors_free(struct inifile_errors *e)
{
	if (e == NULL)
		return;
	buf_free(&e->text);
	free(e);
}

void
inifile_error(struct inifile_errors *e, const char *path, unsigned line,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		msg = NULL;
	va_end(ap);
	if (line > 0)
		buf_printf(&e->text, "%s:%u: %s\n", path, line,
		    msg != NULL ? msg : "error");
	else
		buf_printf(&e->text, "%s: %s\n", path,
		    msg != NULL ? msg : "error");
	free(msg);
	e->count++;
}

int
inifile_error_count(const struct inifile_errors *e)
{
	return (e->count);
}

const char *
inifile_errors_text(const struct inifile_errors *e)
{
	return (e->text.data != NULL ? e->text.data : "");
}

char *
inifile_errors_steal(struct inifile_errors *e)
{
	char	*s;
	size_t	 len;

	s = buf_steal(&e->text);
	len = strlen(s);
	if (len > 0 && s[len - 1] == '\n')
		s[len - 1] = '\0';
	buf_init(&e->text);
	e->count = 0;
	return (s);
}

/* Reads a whole file into memory, refusing one too large; caller frees. */
static char *
inifile_slurp(const char *path, size_t *lenp, struct inifile_errors *e)
{
	struct stat	 st;
	FILE		*f;
	char		*data;

	if ((f = fopen(path, "rb")) == NULL) {
		inifile_error(e, path, 0, "cannot open: %s", strerror(errno));
		return (NULL);
	}
	if (fstat(fileno(f), &st) == -1 || !S_ISREG(st.st_mode)) {
		inifile_error(e, path, 0, "not a regular file");
		fclose(f);
		return (NULL);
	}
	if (st.st_size > INIFILE_MAX_SIZE) {
		inifile_error(e, path, 0, "file too large (%lld bytes, at most "
		    "%d)", (long long)st.st_size, INIFILE_MAX_SIZE);
		fclose(f);
		return (NULL);
	}
	data = xmalloc((size_t)st.st_size + 1);
	if (fread(data, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		inifile_error(e, path, 0, "read error: %s", strerror(errno));
		fclose(f);
		free(data);
		return (NULL);
	}
	fclose(f);
	data[st.st_size] = '\0';
	*lenp = (size_t)st.st_size;
	return (data);
}

/* Checks every line for length, NUL bytes and UTF-8; 0 if the file is sound. */
static int
inifile_scan(const char *path, const char *data, size_t len,
    struct inifile_errors *e)
{
	size_t		 start = 0, end, n;
	unsigned	 line = 1;
	int		 bad = 0;

	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		start = 3;
	while (start < len) {
		end = start;
		while (end < len && data[end] != '\n')
			end++;
		n = end - start;
		if (n > 0 && data[start + n - 1] == '\r')
			n--;
		if (n > INIFILE_MAX_LINE) {
			inifile_error(e, path, line, "line too long (%zu bytes, "
			    "at most %d; continue a value on an indented next "
			    "line)", n, INIFILE_MAX_LINE);
			bad = 1;
		} else if (!utf8_text_valid(data + start, n)) {
			inifile_error(e, path, line, "not valid UTF-8 text "
			    "(or contains NUL or control characters)");
			bad = 1;
		}
		if (bad)
			return (-1);
		start = end + 1;
		line++;
	}
	return (0);
}

/* inih's reader: hands out one line per call and counts lines. */
static char *
inifile_read(char *str, int num, void *stream)
{
	struct inifile_reader	*r = stream;
	size_t			 n = 0;

	if (r->off >= r->len)
		return (NULL);
	while (r->off < r->len && n + 1 < (size_t)num) {
		str[n++] = r->data[r->off];
		if (r->data[r->off++] == '\n')
			break;
	}
	str[n] = '\0';
	r->line++;
	return (str);
}

/* inih's handler: passes the key on with its line number. */
static int
inifile_handler(void *arg, const char *section, const char *key,
    const char *value)
{
	struct inifile_state	*s = arg;

	/* Errors are collected by the callback; inih's own count only syntax. */
	s->cb(s->arg, section, key, value, s->reader.line);
	return (1);
}

int
inifile_parse(const char *path, inifile_cb cb, void *arg,
    struct inifile_errors *e)
{
	struct inifile_state	 s;
	char			*data;
	size_t			 len;
	int			 rc, before = e->count;

	if ((data = inifile_slurp(path, &len, e)) == NULL)
		return (-1);
	if (inifile_scan(path, data, len, e) != 0) {
		free(data);
		return (-1);
	}
	memset(&s, 0, sizeof s);
	s.path = path;
	s.reader.data = data;
	s.reader.len = len;
	s.cb = cb;
	s.arg = arg;
	rc = ini_parse_stream(inifile_read, &s.reader, inifile_handler, &s);
	if (rc > 0)
		inifile_error(e, path, (unsigned)rc, "syntax error (expected "
		    "[section] or key = value)");
	else if (rc < 0)
		inifile_error(e, path, 0, "cannot parse");
	free(data);
	return (e->count == before ? 0 : -1);
}
