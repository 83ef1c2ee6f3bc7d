/*
 * Plan documents into tables of records.  This file checks the input,
 * chooses its reader by content (plan-tsv.c for the text export of the
 * document, plan-csv.c for CSV) and runs it with the record builder of
 * plan-reader.c; the text of cells is plan-text.c's, their items
 * plan-bullets.c's, the document's title and date plan-facts.c's.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "plan-office.h"
#include "plan-private.h"
#include "utf8.h"
#include "xmalloc.h"

/*
 * A reader of text, the probe that finds its header and the flags of its
 * record builder.  Office documents (plan-office.c) are recognised by
 * their signature before the checks of text.
 */
struct plan_format {
	int	(*probe)(const char *, const char *);
	int	(*read)(struct plan_reader *, const char *, const char *,
		    char **);
	int	  flags;
};

/* The text export first: its header is found among lines of prose. */
static const struct plan_format plan_formats[] = {
	{ plan_tsv_probe, plan_tsv_read, 0 },
	{ plan_csv_probe, plan_csv_read, PLAN_HEADER_FIRST },
};

/* Formats "NAME:LINE: message" into *cause and returns -1. */
static int __attribute__((format(printf, 4, 5)))
plan_line_error(char **cause, const char *name, unsigned line,
    const char *fmt, ...)
{
	struct plan_place	 place = { 0, line };
	va_list			 ap;
	char			 msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return (plan_reader_error(cause, name, place, "%s", msg));
}

/* The line number of offset off in data. */
static unsigned
plan_line_of(const char *data, size_t off)
{
	unsigned	 line = 1;
	size_t		 i;

	for (i = 0; i < off; i++) {
		if (data[i] == '\n')
			line++;
	}
	return (line);
}

/* Checks a whole input: size, NUL bytes, line length, UTF-8. */
static int
plan_check_input(const char *name, const char *data, size_t len,
    char **cause)
{
	const char	*p, *eol, *end = data + len, *nul;
	unsigned	 line;
	size_t		 i, n;
	uint32_t	 cp;

	if (len > PLAN_MAX_FILE)
		return (plan_line_error(cause, name, 1,
		    "file too large (%zu bytes, at most %d)", len,
		    PLAN_MAX_FILE));
	if ((nul = memchr(data, '\0', len)) != NULL)
		return (plan_line_error(cause, name,
		    plan_line_of(data, (size_t)(nul - data)),
		    "binary file (NUL byte)"));
	for (p = data, line = 1; p < end; p = eol + 1, line++) {
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		if (eol - p > PLAN_MAX_LINE)
			return (plan_line_error(cause, name, line,
			    "line longer than %d bytes", PLAN_MAX_LINE));
		for (i = 0; p + i < eol; i += n) {
			n = utf8_decode(p + i, (size_t)(eol - p) - i, &cp);
			if (n == 0)
				return (plan_line_error(cause, name, line,
				    "invalid UTF-8 (byte %zu of the line)",
				    i + 1));
		}
		if (eol == end)
			break;
	}
	return (0);
}

/*
 * 1 if a text whose header no reader finds should be read as CSV, for the
 * error: by its name, or commas without tabs on its first line.
 */
static int
plan_is_csv(const char *name, const char *data, size_t len)
{
	const char	*end = data + len, *eol;
	size_t		 n = strlen(name);

	if (n >= 4 && strcasecmp(name + n - 4, ".csv") == 0)
		return (1);
	for (; data < end; data = eol + 1) {
		if ((eol = memchr(data, '\n', (size_t)(end - data))) == NULL)
			eol = end;
		if (!plan_text_blank(data, eol))
			break;
		if (eol == end)
			return (0);
	}
	if (data >= end)
		return (0);
	return (memchr(data, ',', (size_t)(eol - data)) != NULL &&
	    memchr(data, '\t', (size_t)(eol - data)) == NULL);
}

/*
 * The reader of a text: the first whose probe finds its header, so that a
 * text export whose date line has commas is no CSV; else the one whose
 * error will name the problem best.
 */
static const struct plan_format *
plan_format_of(const char *name, const char *data, size_t len)
{
	size_t	 i;

	for (i = 0; i < sizeof plan_formats / sizeof plan_formats[0]; i++) {
		if (plan_formats[i].probe(data, data + len))
			return (&plan_formats[i]);
	}
	return (&plan_formats[plan_is_csv(name, data, len) ? 1 : 0]);
}

/* Reads a plan from memory; name is used for messages. */
int
plan_read_buffer(const char *name, const char *data, size_t len,
    struct plan_table *table, char **cause)
{
	return (plan_read_buffer_sheet(name, data, len, NULL, table, cause));
}

/* Reads a plan from memory, a spreadsheet's sheet by name. */
int
plan_read_buffer_sheet(const char *name, const char *data, size_t len,
    const char *sheet, struct plan_table *table, char **cause)
{
	const struct plan_format	*format;
	struct plan_reader		*r;
	int				 rv;

	memset(table, 0, sizeof *table);
	if (plan_office_probe(data, len))
		return (plan_office_read(name, data, len, sheet, table, cause));
	if (sheet != NULL)
		return (plan_line_error(cause, name, 1, "--sheet names a sheet "
		    "of a spreadsheet (.xlsx, .ods), and this is a text"));
	if (plan_check_input(name, data, len, cause) == -1)
		return (-1);
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	}
	if (plan_text_blank(data, data + len))
		return (plan_line_error(cause, name, 1, "empty file"));
	format = plan_format_of(name, data, len);
	r = plan_reader_new(name, table, format->flags);
	rv = format->read(r, data, data + len, cause);
	if (rv == 0)
		rv = plan_reader_finish(r, cause);
	plan_reader_free(r);
	if (rv != 0)
		plan_table_free(table);
	return (rv);
}

/* Fills *cause with "PATH: error" for a failed system call; returns -1. */
static int
plan_errno(char **cause, const char *path, int fd)
{
	int	 saved = errno;

	if (fd != -1)
		close(fd);
	if (cause != NULL)
		xasprintf(cause, "%s: %s", path, strerror(saved));
	return (-1);
}

/* Reads a plan file, refusing one larger than PLAN_MAX_FILE unread. */
int
plan_read_file(const char *path, struct plan_table *table, char **cause)
{
	return (plan_read_file_sheet(path, NULL, table, cause));
}

/* Reads a plan file, a spreadsheet's sheet by name. */
int
plan_read_file_sheet(const char *path, const char *sheet,
    struct plan_table *table, char **cause)
{
	struct stat	 st;
	char		*data;
	size_t		 len = 0, size;
	ssize_t		 n;
	int		 fd, rv;

	memset(table, 0, sizeof *table);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1)
		return (plan_errno(cause, path, -1));
	if (fstat(fd, &st) == -1)
		return (plan_errno(cause, path, fd));
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return (plan_line_error(cause, path, 1, "not a regular file"));
	}
	if (st.st_size > PLAN_MAX_FILE) {
		close(fd);
		return (plan_line_error(cause, path, 1,
		    "file too large (%lld bytes, at most %d)",
		    (long long)st.st_size, PLAN_MAX_FILE));
	}
	size = (size_t)st.st_size + 1;
	data = xmalloc(size);
	while (len < size) {
		if ((n = read(fd, data + len, size - len)) == -1) {
			if (errno == EINTR)
				continue;
			free(data);
			return (plan_errno(cause, path, fd));
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	rv = plan_read_buffer_sheet(path, data, len, sheet, table, cause);
	free(data);
	return (rv);
}
