#ifndef MIME_H
#define MIME_H

#include <stddef.h>
#include <time.h>

/*
 * RFC 5322 / MIME messages for the mail channel, and the guard against
 * header injection: libcurl hands CR and LF in addresses straight to the
 * SMTP server as commands, so every address and header value is checked
 * here before anything is sent.
 */

/* Limits on addresses (RFC 5321 4.5.3.1) and on display names. */
#define MIME_MAX_LOCAL		64
#define MIME_MAX_DOMAIN		253
#define MIME_MAX_ADDRESS	254
#define MIME_MAX_HEADER_VALUE	4096

/* A file attached to a message; borrowed. */
struct mime_attachment {
	const char	*name;		/* file name, UTF-8 */
	const char	*type;		/* "text/csv" */
	const char	*data;
	size_t		 len;
};

/* One message, one recipient; every string is UTF-8 and borrowed. */
struct mime_message {
	const char	*from_name;	/* display name or NULL */
	const char	*from_addr;	/* local@domain */
	const char	*to_name;	/* display name or NULL */
	const char	*to_addr;
	const char	*reply_to;	/* local@domain or NULL */
	const char	*subject;
	const char	*text;		/* plain text body, LF or CRLF lines */
	const char	*html;		/* HTML alternative or NULL */
	const char	*message_id;	/* "left@right" without <> */
	time_t		 date;		/* for the Date header */
	const char	*attachment_name;	/* NULL: no attachment */
	const char	*attachment_type;	/* "text/csv" */
	const char	*attachment_data;
	size_t		 attachment_len;
	const struct mime_attachment *more;	/* attached after it */
	size_t		 nmore;
};

/* 0 if a header value has no CR, LF, NUL, control or bad UTF-8; or -1. */
int	 mime_check_header_value(const char *, char **);
int	 mime_check_header_bytes(const char *, size_t, char **);
/* 0 if addr is a plain addr-spec local@domain, or -1 with cause. */
int	 mime_check_address(const char *, char **);
/* RFC 2047 encoded-words for a phrase, folded with CRLF SP; caller frees. */
char	*mime_encode_word(const char *);
/* Quoted-printable body with CRLF lines of at most 76; caller frees. */
char	*mime_encode_qp(const char *, size_t);
/* A stable Message-ID (no <>) for a key: hash @ the sender's domain. */
char	*mime_message_id(const char *, const char *);	/* caller frees */
struct config;
/*
 * Sets the headers every message of ours carries: From ([smtp] from and
 * from_name), To, Reply-To ([smtp] reply_to if set), a Message-ID made
 * from key, and Date; clears the rest of m.  Returns the Message-ID, which
 * m borrows: caller frees it after mime_build().
 */
char	*mime_message_init(struct mime_message *, const struct config *,
	    const char *, const char *, const char *, time_t);
/* Builds the message into *out (caller frees), or -1 with cause. */
int	 mime_build(const struct mime_message *, char **, size_t *, char **);

#endif
