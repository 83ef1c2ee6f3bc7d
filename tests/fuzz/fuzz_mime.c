/*
 * Fuzzes mime_build: the input, split at NUL bytes, gives the subject,
 * display names, body, HTML and recipient.  Either the message is refused
 * or its header block holds only the expected fields, each once, and
 * folded lines; every line ends in CRLF and is at most 998 octets.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mime.h"
#include "xmalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *fuzz_headers[] = { "Date", "From", "To", "Reply-To",
	"Subject", "Message-ID", "MIME-Version", "Auto-Submitted",
	"X-Auto-Response-Suppress", "Content-Type",
	"Content-Transfer-Encoding" };

#define FUZZ_NHEADERS	(sizeof fuzz_headers / sizeof fuzz_headers[0])

/* Aborts unless every line of s[0..n) ends in CRLF and fits 998 octets. */
static void
fuzz_check_lines(const char *s, size_t n)
{
	size_t	i, column = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '\r' && (i + 1 == n || s[i + 1] != '\n'))
			abort();
		if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r'))
			abort();
		column = s[i] == '\n' ? 0 : column + 1;
		if (column > 999)
			abort();
	}
	if (n < 2 || s[n - 1] != '\n')
		abort();
}

/* Aborts unless the line is a folded one or a known header, once. */
static void
fuzz_check_header(const char *line, size_t n, int *seen)
{
	size_t	i, len;

	if (line[0] == ' ')
		return;
	for (i = 0; i < FUZZ_NHEADERS; i++) {
		len = strlen(fuzz_headers[i]);
		if (n > len + 1 && memcmp(line, fuzz_headers[i], len) == 0 &&
		    line[len] == ':' && line[len + 1] == ' ')
			break;
	}
	if (i == FUZZ_NHEADERS || seen[i]++)
		abort();
}

/* Checks the header block of a built message. */
static void
fuzz_check_message(const char *out, size_t n)
{
	const char	*end, *line, *eol;
	int		 seen[FUZZ_NHEADERS] = { 0 };

	fuzz_check_lines(out, n);
	if ((end = strstr(out, "\r\n\r\n")) == NULL)
		abort();
	for (line = out; line <= end; line = eol + 2) {
		eol = strstr(line, "\r\n");
		fuzz_check_header(line, (size_t)(eol - line), seen);
	}
	if (strlen(out) != n)
		abort();
}

/* Checks that encoded-words only break lines with CRLF SP. */
static void
fuzz_check_word(const char *s)
{
	char		*w = mime_encode_word(s);
	const char	*p;

	for (p = w; *p != '\0'; p++) {
		if ((*p == '\r' && strncmp(p, "\r\n ", 3) != 0) ||
		    (*p == '\n' && (p == w || p[-1] != '\r')))
			abort();
	}
	free(w);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mime_message	 m;
	char			*copy, *field[6], *out, *cause = NULL, *p;
	size_t			 i, outlen;

	if (mime_check_header_bytes((const char *)data, size, &cause) == 0 &&
	    memchr(data, '\0', size) != NULL)
		abort();
	free(cause);
	cause = NULL;
	copy = xmalloc(size + 1);
	memcpy(copy, data, size);
	copy[size] = '\0';
	for (i = 0, p = copy; i < 6; i++) {
		field[i] = p;
		p += strlen(p);
		if (p < copy + size)
			p++;
	}
	memset(&m, 0, sizeof m);
	m.subject = field[0];
	m.from_name = field[1];
	m.from_addr = "nhachan@example.gov.vn";
	m.to_name = field[2];
	m.to_addr = *field[5] != '\0' ? field[5] : "noivu@example.gov.vn";
	m.text = field[3];
	m.html = *field[4] != '\0' ? field[4] : NULL;
	m.message_id = "ob1.due.0@deadlined.example.gov.vn";
	m.date = 1719795600;
	if (size > 0 && data[0] == 'A') {
		m.attachment_name = field[2];
		m.attachment_type = "text/csv";
		m.attachment_data = (const char *)data;
		m.attachment_len = size;
	}
	fuzz_check_word(field[0]);
	if (mime_build(&m, &out, &outlen, &cause) == 0) {
		fuzz_check_message(out, outlen);
		free(out);
	} else {
		if (cause == NULL || out != NULL)
			abort();
		free(cause);
	}
	free(copy);
	return (0);
}
