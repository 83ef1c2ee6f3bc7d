/*
 * Building RFC 5322 messages with MIME bodies: RFC 2047 encoded-words for
 * names and subjects, quoted-printable text, base64 attachments, CRLF
 * line endings, and validation of every header value and address.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "config.h"
#include "mime.h"
#include "utf8.h"
#include "xmalloc.h"

/* Encoded-word payload: 42 bytes give 56 base64 characters, 68 in all. */
#define MIME_WORD_BYTES	42
#define MIME_LINE	78
#define MIME_QP_LINE	76

static const char mime_hex[] = "0123456789ABCDEF";

/* Refuses CR, LF, NUL, other controls and invalid UTF-8 in n bytes. */
int
mime_check_header_bytes(const char *s, size_t n, char **cause)
{
	size_t		i, len;
	uint32_t	cp;

	if (n > MIME_MAX_HEADER_VALUE) {
		xasprintf(cause, "longer than %d bytes", MIME_MAX_HEADER_VALUE);
		return (-1);
	}
	for (i = 0; i < n; i += len) {
		if (s[i] == '\r' || s[i] == '\n') {
			*cause = xstrdup("contains a line break (CR or LF)");
			return (-1);
		}
		if (s[i] == '\0') {
			*cause = xstrdup("contains a NUL byte");
			return (-1);
		}
		if (((unsigned char)s[i] < 0x20 && s[i] != '\t') ||
		    s[i] == 0x7f) {
			xasprintf(cause, "contains control character 0x%02x",
			    (unsigned char)s[i]);
			return (-1);
		}
		if ((len = utf8_decode(s + i, n - i, &cp)) == 0) {
			xasprintf(cause, "invalid UTF-8 at byte %zu", i);
			return (-1);
		}
	}
	return (0);
}

/* Refuses a missing header value or one mime_check_header_bytes refuses. */
int
mime_check_header_value(const char *s, char **cause)
{
	if (s == NULL) {
		*cause = xstrdup("missing");
		return (-1);
	}
	return (mime_check_header_bytes(s, strlen(s), cause));
}

/* 1 if c may appear in a dot-atom (RFC 5322 atext or '.'). */
static int
mime_is_atext(int c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '.')
		return (1);
	return (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/* 0 if s[0..n) is a dot-atom: atext, no leading, trailing or double dot. */
static int
mime_check_dot_atom(const char *s, size_t n)
{
	size_t	i;

	if (n == 0 || s[0] == '.' || s[n - 1] == '.')
		return (-1);
	for (i = 0; i < n; i++) {
		if (!mime_is_atext((unsigned char)s[i]))
			return (-1);
		if (s[i] == '.' && s[i + 1] == '.')
			return (-1);
	}
	return (0);
}

/* 0 if s[0..n) is a host name: letters, digits, '-', dotted labels. */
static int
mime_check_domain(const char *s, size_t n)
{
	size_t	i, label = 0;

	if (n == 0 || n > MIME_MAX_DOMAIN || s[n - 1] == '.')
		return (-1);
	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (label == 0 || s[i - 1] == '-')
				return (-1);
			label = 0;
			continue;
		}
		if (s[i] == '-' && label == 0)
			return (-1);
		if (s[i] != '-' && !((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
			return (-1);
		if (++label > 63)
			return (-1);
	}
	return (s[n - 1] == '-' ? -1 : 0);
}

/* Accepts a plain addr-spec: dot-atom local part, host name domain. */
int
mime_check_address(const char *addr, char **cause)
{
	const char	*at;
	size_t		 len;

	if (mime_check_header_value(addr, cause) != 0)
		return (-1);
	len = strlen(addr);
	if ((at = strchr(addr, '@')) == NULL || strchr(at + 1, '@') != NULL) {
		xasprintf(cause, "\"%s\" is not local@domain", addr);
		return (-1);
	}
	if (len > MIME_MAX_ADDRESS || (size_t)(at - addr) > MIME_MAX_LOCAL) {
		xasprintf(cause, "address \"%.64s...\" is too long", addr);
		return (-1);
	}
	if (mime_check_dot_atom(addr, (size_t)(at - addr)) != 0) {
		xasprintf(cause, "bad local part in \"%s\"", addr);
		return (-1);
	}
	if (mime_check_domain(at + 1, strlen(at + 1)) != 0) {
		xasprintf(cause, "bad domain in \"%s\"", addr);
		return (-1);
	}
	return (0);
}

/* 0 if id is "left@right" with dot-atoms on both sides. */
static int
mime_check_message_id(const char *id, char **cause)
{
	const char	*at;

	if (mime_check_header_value(id, cause) != 0)
		return (-1);
	if (strlen(id) > 900 || (at = strchr(id, '@')) == NULL ||
	    mime_check_dot_atom(id, (size_t)(at - id)) != 0 ||
	    mime_check_dot_atom(at + 1, strlen(at + 1)) != 0) {
		xasprintf(cause, "\"%.64s\" is not left@right of atext", id);
		return (-1);
	}
	return (0);
}

/* Appends one encoded-word holding s[0..n). */
static void
mime_add_word(struct buf *b, const char *s, size_t n)
{
	unsigned char	out[4 * ((MIME_WORD_BYTES + 2) / 3) + 1];
	int		len;

	len = EVP_EncodeBlock(out, (const unsigned char *)s, (int)n);
	buf_adds(b, "=?UTF-8?B?");
	buf_add(b, (const char *)out, (size_t)len);
	buf_adds(b, "?=");
}

/*
 * Appends s as encoded-words of whole characters, folded with CRLF SP,
 * split after a space where possible: some decoders (Python's address
 * parser) wrongly keep the folding space between two words.
 */
static void
mime_add_words(struct buf *b, const char *s)
{
	size_t	n = strlen(s), start = 0, end, len, space;

	while (start < n) {
		end = space = start;
		while (end < n) {
			len = utf8_step(s + end, n - end);
			if (end + len - start > MIME_WORD_BYTES && end > start)
				break;
			end += len;
			if (s[end - 1] == ' ')
				space = end;
		}
		if (end < n && space > start)
			end = space;
		if (start != 0)
			buf_adds(b, "\r\n ");
		mime_add_word(b, s + start, end - start);
		start = end;
	}
}

/* 1 if a phrase may go out as written: atext and single inner spaces. */
static int
mime_phrase_is_plain(const char *s)
{
	size_t	i, n = strlen(s);

	if (n == 0 || n > 60 || s[0] == ' ' || s[n - 1] == ' ')
		return (0);
	for (i = 0; i < n; i++) {
		if (s[i] == '.' || s[i] == '=' || s[i] == '?')
			return (0);
		if (s[i] == ' ' ? s[i + 1] == ' ' :
		    !mime_is_atext((unsigned char)s[i]))
			return (0);
	}
	return (1);
}

/* The phrase as written if plain, else encoded-words; caller frees. */
char *
mime_encode_word(const char *s)
{
	struct buf	b;

	if (mime_phrase_is_plain(s))
		return (xstrdup(s));
	buf_init(&b);
	mime_add_words(&b, s);
	return (buf_steal(&b));
}

/*
 * 1 if an unstructured value may go out as printable ASCII folded at its
 * spaces: no "=?" to be mistaken for an encoded-word, no runs of spaces
 * that unfolding would change, and no word too long for one line.
 */
static int
mime_text_is_plain(const char *s)
{
	size_t	i, word = 0, n = strlen(s);

	if (n == 0 || s[0] == ' ' || s[n - 1] == ' ' || strstr(s, "=?"))
		return (0);
	for (i = 0; i < n; i++) {
		if (s[i] < 0x20 || s[i] > 0x7e)
			return (0);
		if (s[i] == ' ' && s[i + 1] == ' ')
			return (0);
		word = s[i] == ' ' ? 0 : word + 1;
		if (word > 60)
			return (0);
	}
	return (1);
}

/* Appends plain ASCII folded before a space where a line would pass 78. */
static void
mime_add_folded(struct buf *b, const char *s, size_t column)
{
	const char	*sp;
	size_t		 word;

	while (*s != '\0') {
		sp = strchr(s + 1, ' ');
		word = sp == NULL ? strlen(s) : (size_t)(sp - s);
		if (*s == ' ' && column + word > MIME_LINE) {
			buf_adds(b, "\r\n");
			column = 0;
		}
		buf_add(b, s, word);
		column += word;
		s += word;
	}
}

/* Appends "Name: value" for an unstructured value such as Subject. */
static void
mime_add_unstructured(struct buf *b, const char *name, const char *value)
{
	buf_printf(b, "%s: ", name);
	if (*value == '\0')
		;
	else if (mime_text_is_plain(value))
		mime_add_folded(b, value, strlen(name) + 2);
	else
		mime_add_words(b, value);
	buf_adds(b, "\r\n");
}

/* Column after the last line break in b. */
static size_t
mime_column(const struct buf *b)
{
	size_t	i = b->len;

	while (i > 0 && b->data[i - 1] != '\n')
		i--;
	return (b->len - i);
}

/* Appends "Name: phrase <addr>" or "Name: addr". */
static void
mime_add_mailbox(struct buf *b, const char *name, const char *phrase,
    const char *addr)
{
	char	*word;

	buf_printf(b, "%s: ", name);
	if (phrase == NULL || *phrase == '\0') {
		buf_printf(b, "%s\r\n", addr);
		return;
	}
	word = mime_encode_word(phrase);
	buf_adds(b, word);
	free(word);
	if (mime_column(b) + strlen(addr) + 3 > MIME_LINE)
		buf_adds(b, "\r\n");
	buf_printf(b, " <%s>\r\n", addr);
}

/* Appends the Date header: "Mon, 01 Jul 2024 08:00:00 +0700". */
static void
mime_add_date(struct buf *b, time_t t)
{
	static const char	*days[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
				    "Fri", "Sat" };
	static const char	*months[] = { "Jan", "Feb", "Mar", "Apr", "May",
				    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm		 tm;
	long			 off;

	if (localtime_r(&t, &tm) == NULL) {
		t = 0;
		gmtime_r(&t, &tm);
	}
	off = tm.tm_gmtoff / 60;
	buf_printf(b, "Date: %s, %02d %s %04d %02d:%02d:%02d %c%02ld%02ld\r\n",
	    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec,
	    off < 0 ? '-' : '+', labs(off) / 60, labs(off) % 60);
}

/* Appends one quoted-printable token, breaking the line softly first. */
static void
mime_qp_token(struct buf *b, size_t *column, const char *tok, size_t n)
{
	if (*column + n > MIME_QP_LINE - 1) {
		buf_adds(b, "=\r\n");
		*column = 0;
	}
	buf_add(b, tok, n);
	*column += n;
}

/* Encodes one character of a line at s (n bytes left) into tok. */
static size_t
mime_qp_char(const char *s, size_t n, size_t at, char *tok)
{
	unsigned char	c = (unsigned char)s[0];
	size_t		len, i, out = 0;
	int		escape;

	len = c < 0x80 ? 1 : utf8_step(s, n);
	escape = c >= 0x80 || c == '=' || (c < 0x20 && c != '\t') ||
	    c == 0x7f || ((c == ' ' || c == '\t') && n == 1) ||
	    (at == 0 && c == '.') ||
	    (at == 0 && c == 'F' && n >= 5 && memcmp(s, "From ", 5) == 0);
	for (i = 0; i < len; i++) {
		if (!escape) {
			tok[out++] = s[i];
			continue;
		}
		tok[out++] = '=';
		tok[out++] = mime_hex[(unsigned char)s[i] >> 4];
		tok[out++] = mime_hex[(unsigned char)s[i] & 0xf];
	}
	return (out);
}

/* Appends one line (without its break) quoted-printable. */
static void
mime_qp_line(struct buf *b, const char *s, size_t n)
{
	char	tok[12];
	size_t	i = 0, len, column = 0;

	while (i < n) {
		len = s[i] & 0x80 ? utf8_step(s + i, n - i) : 1;
		mime_qp_token(b, &column, tok, mime_qp_char(s + i, n - i, i,
		    tok));
		i += len;
	}
}

/* Quoted-printable of n bytes, CRLF line breaks; caller frees. */
char *
mime_encode_qp(const char *s, size_t n)
{
	struct buf	 b;
	const char	*nl;
	size_t		 len;

	buf_init(&b);
	while (n > 0) {
		nl = memchr(s, '\n', n);
		len = nl == NULL ? n : (size_t)(nl - s);
		if (nl != NULL && len > 0 && s[len - 1] == '\r')
			mime_qp_line(&b, s, len - 1);
		else
			mime_qp_line(&b, s, len);
		buf_adds(&b, nl == NULL ? "=\r\n" : "\r\n");
		if (nl == NULL)
			break;
		s += len + 1;
		n -= len + 1;
	}
	return (buf_steal(&b));
}

/* Appends data base64-encoded in CRLF lines of 76 characters. */
static void
mime_add_base64(struct buf *b, const char *data, size_t n)
{
	unsigned char	out[77];
	size_t		chunk;
	int		len;

	while (n > 0) {
		chunk = n > 57 ? 57 : n;
		len = EVP_EncodeBlock(out, (const unsigned char *)data,
		    (int)chunk);
		buf_add(b, (const char *)out, (size_t)len);
		buf_adds(b, "\r\n");
		data += chunk;
		n -= chunk;
	}
}

/* Appends part headers and a quoted-printable body of the given type. */
static void
mime_add_text_part(struct buf *b, const char *type, const char *text)
{
	char	*qp;

	buf_printf(b, "Content-Type: %s; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n", type);
	qp = mime_encode_qp(text, strlen(text));
	buf_adds(b, qp);
	free(qp);
}

/* 1 if name may go out as a quoted filename parameter. */
static int
mime_filename_is_plain(const char *name)
{
	size_t	i;

	for (i = 0; name[i] != '\0'; i++) {
		if (name[i] < 0x20 || name[i] > 0x7e || name[i] == '"' ||
		    name[i] == '\\' || name[i] == '%')
			return (0);
	}
	return (i > 0 && i <= 60);
}

/* Appends the attachment part: name per RFC 2231 if not plain ASCII. */
static void
mime_add_attachment(struct buf *b, const struct mime_attachment *a)
{
	const unsigned char	*u = (const unsigned char *)a->name;

	buf_printf(b, "Content-Type: %s%s\r\n", a->type,
	    strncmp(a->type, "text/", 5) == 0 ?
	    "; charset=utf-8" : "");
	buf_adds(b, "Content-Transfer-Encoding: base64\r\n"
	    "Content-Disposition: attachment;\r\n filename");
	if (mime_filename_is_plain(a->name))
		buf_printf(b, "=\"%s\"", a->name);
	else {
		buf_adds(b, "*=UTF-8''");
		for (; *u != '\0'; u++) {
			if (mime_is_atext(*u) && *u != '%' && *u != '\'' &&
			    *u != '*')
				buf_addc(b, (char)*u);
			else
				buf_printf(b, "%%%02X", *u);
		}
	}
	buf_adds(b, "\r\n\r\n");
	mime_add_base64(b, a->data, a->len);
}

/* 0 if the attachment fields are usable, or -1 with cause. */
static int
mime_check_attachment(const struct mime_attachment *a, char **cause)
{
	const char	*t = a->type, *slash;
	char		*why = NULL;
	size_t		 i;

	if (a->name == NULL || mime_check_header_value(a->name, &why) != 0 ||
	    strlen(a->name) > 200 || *a->name == '\0') {
		if (why == NULL)
			why = xstrdup("empty or longer than 200 bytes");
		xasprintf(cause, "attachment_name: %s", why);
		free(why);
		return (-1);
	}
	if (t == NULL || (slash = strchr(t, '/')) == NULL || slash == t ||
	    slash[1] == '\0' || strlen(t) > 100)
		goto bad_type;
	for (i = 0; t[i] != '\0'; i++) {
		if (t + i != slash && (!mime_is_atext((unsigned char)t[i]) ||
		    t[i] == '/'))
			goto bad_type;
	}
	if (a->data == NULL && a->len != 0)
		goto bad_type;
	return (0);
bad_type:
	xasprintf(cause, "attachment_type: \"%.100s\" is not type/subtype",
	    t == NULL ? "" : t);
	return (-1);
}

/* 0 if s is valid UTF-8 for a body, or -1 with a cause naming field. */
static int
mime_check_body(const char *field, const char *s, char **cause)
{
	size_t		i, len, n;
	uint32_t	cp;

	if (s == NULL) {
		xasprintf(cause, "%s: missing", field);
		return (-1);
	}
	n = strlen(s);
	for (i = 0; i < n; i += len) {
		if ((len = utf8_decode(s + i, n - i, &cp)) == 0) {
			xasprintf(cause, "%s: invalid UTF-8 at byte %zu", field, i);
			return (-1);
		}
	}
	return (0);
}

/* Checks one header field with check(); prefixes the cause with field. */
static int
mime_check_field(const char *field, const char *value,
    int (*check)(const char *, char **), char **cause)
{
	char	*why;

	if (check(value, &why) == 0)
		return (0);
	xasprintf(cause, "%s: %s", field, why);
	free(why);
	return (-1);
}

/* The attachment of m's attachment_* fields. */
static void
mime_first_attachment(const struct mime_message *m, struct mime_attachment *a)
{
	a->name = m->attachment_name;
	a->type = m->attachment_type;
	a->data = m->attachment_data;
	a->len = m->attachment_len;
}

/* 0 if every field of m may be sent, or -1 with a cause naming it. */
static int
mime_check_message(const struct mime_message *m, char **cause)
{
	struct mime_attachment	first;
	size_t			i;

	if (mime_check_field("from_addr", m->from_addr, mime_check_address,
	    cause) != 0 ||
	    mime_check_field("to_addr", m->to_addr, mime_check_address,
	    cause) != 0 ||
	    (m->reply_to != NULL && mime_check_field("reply_to", m->reply_to,
	    mime_check_address, cause) != 0) ||
	    (m->from_name != NULL && mime_check_field("from_name",
	    m->from_name, mime_check_header_value, cause) != 0) ||
	    (m->to_name != NULL && mime_check_field("to_name", m->to_name,
	    mime_check_header_value, cause) != 0) ||
	    mime_check_field("subject", m->subject, mime_check_header_value,
	    cause) != 0 ||
	    mime_check_field("message_id", m->message_id,
	    mime_check_message_id, cause) != 0 ||
	    mime_check_body("text", m->text, cause) != 0 ||
	    (m->html != NULL && mime_check_body("html", m->html, cause) != 0))
		return (-1);
	if (m->attachment_name != NULL) {
		mime_first_attachment(m, &first);
		if (mime_check_attachment(&first, cause) != 0)
			return (-1);
	}
	for (i = 0; i < m->nmore; i++)
		if (mime_check_attachment(&m->more[i], cause) != 0)
			return (-1);
	return (0);
}

/* A text entity (part headers, blank line, body); caller frees. */
static char *
mime_text_entity(const char *type, const char *text)
{
	struct buf	b;

	buf_init(&b);
	mime_add_text_part(&b, type, text);
	return (buf_steal(&b));
}

/* An attachment entity; caller frees. */
static char *
mime_attachment_entity(const struct mime_attachment *a)
{
	struct buf	b;

	buf_init(&b);
	mime_add_attachment(&b, a);
	return (buf_steal(&b));
}

/* FNV-1a of s, to derive a boundary that is stable for one message. */
static uint32_t
mime_hash(const char *s)
{
	uint32_t	h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return (h);
}

/*
 * A multipart entity of n parts; caller frees.  The boundary starts with
 * "=_", which quoted-printable and base64 never produce, and is checked
 * against the parts anyway.
 */
static char *
mime_multipart(const char *subtype, char *const *parts, size_t n,
    const char *seed)
{
	struct buf	 b;
	char		*boundary = NULL;
	unsigned	 k = 0;
	size_t		 i, found;

	do {
		free(boundary);
		xasprintf(&boundary, "=_deadlined_%08x_%s_%u", mime_hash(seed),
		    subtype, k++);
		for (i = 0, found = 0; i < n; i++)
			found += strstr(parts[i], boundary) != NULL;
	} while (found > 0);
	buf_init(&b);
	buf_printf(&b, "Content-Type: multipart/%s;\r\n boundary=\"%s\"\r\n\r\n",
	    subtype, boundary);
	buf_printf(&b, "This is a MIME message.\r\n--%s\r\n", boundary);
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s\r\n--%s%s\r\n", parts[i], boundary,
		    i + 1 < n ? "" : "--");
	free(boundary);
	return (buf_steal(&b));
}

/* The body entity of m: text, alternative, mixed; caller frees. */
static char *
mime_body_entity(const struct mime_message *m)
{
	struct mime_attachment	  first;
	char			 *pair[2], **parts, *mixed;
	size_t			  i, n = 0;

	pair[0] = mime_text_entity("text/plain", m->text);
	if (m->html != NULL) {
		pair[1] = mime_text_entity("text/html", m->html);
		mixed = mime_multipart("alternative", pair, 2, m->message_id);
		free(pair[0]);
		free(pair[1]);
		pair[0] = mixed;
	}
	if (m->attachment_name == NULL && m->nmore == 0)
		return (pair[0]);
	parts = xcalloc(m->nmore + 2, sizeof *parts);
	parts[n++] = pair[0];
	if (m->attachment_name != NULL) {
		mime_first_attachment(m, &first);
		parts[n++] = mime_attachment_entity(&first);
	}
	for (i = 0; i < m->nmore; i++)
		parts[n++] = mime_attachment_entity(&m->more[i]);
	mixed = mime_multipart("mixed", parts, n, m->message_id);
	for (i = 0; i < n; i++)
		free(parts[i]);
	free(parts);
	return (mixed);
}

/* Validates every field of m, then writes the message; caller frees. */
int
mime_build(const struct mime_message *m, char **out, size_t *outlen,
    char **cause)
{
	struct buf	 b;
	char		*body;

	*out = NULL;
	*outlen = 0;
	if (mime_check_message(m, cause) != 0)
		return (-1);
	buf_init(&b);
	mime_add_date(&b, m->date);
	mime_add_mailbox(&b, "From", m->from_name, m->from_addr);
	mime_add_mailbox(&b, "To", m->to_name, m->to_addr);
	if (m->reply_to != NULL)
		buf_printf(&b, "Reply-To: %s\r\n", m->reply_to);
	mime_add_unstructured(&b, "Subject", m->subject);
	buf_printf(&b, "Message-ID: <%s>\r\n", m->message_id);
	buf_adds(&b, "MIME-Version: 1.0\r\n"
	    "Auto-Submitted: auto-generated\r\n"
	    "X-Auto-Response-Suppress: All\r\n");
	body = mime_body_entity(m);
	buf_adds(&b, body);
	free(body);
	*outlen = b.len;
	*out = buf_steal(&b);
	return (0);
}

char *
mime_message_id(const char *key, const char *from)
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 len = 0;
	char		 hex[33], *id;
	const char	*at = strrchr(from, '@');
	int		 i;

	EVP_Digest(key, strlen(key), md, &len, EVP_sha256(), NULL);
	for (i = 0; i < 16; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	xasprintf(&id, "%s@%s", hex, at != NULL && at[1] != '\0' ? at + 1 :
	    "deadlined.invalid");
	return (id);
}

char *
mime_message_init(struct mime_message *m, const struct config *cf,
    const char *to_name, const char *to_addr, const char *key, time_t date)
{
	char	*id = mime_message_id(key, cf->smtp_from);

	memset(m, 0, sizeof *m);
	m->from_name = cf->smtp_from_name;
	m->from_addr = cf->smtp_from;
	m->to_name = to_name;
	m->to_addr = to_addr;
	m->reply_to = *cf->smtp_reply_to != '\0' ? cf->smtp_reply_to : NULL;
	m->message_id = id;
	m->date = date;
	return (id);
}
