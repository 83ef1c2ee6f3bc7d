#ifndef SMTP_H
#define SMTP_H

#include <stddef.h>

/*
 * Delivery of ready-made messages over SMTP through libcurl: one reused
 * handle (and so one kept-alive connection) per session, one envelope per
 * recipient.
 */

struct smtp_config {
	const char	*url;		/* smtp://host:port or smtps://host:port */
	const char	*helo;		/* EHLO name; NULL lets libcurl choose */
	const char	*username;	/* NULL: no AUTH */
	const char	*password;	/* never logged */
	const char	*ca_file;	/* NULL: system CAs */
	int		 starttls;	/* 1 required; 0 only to 127.0.0.1/::1 */
	long		 connect_timeout;	/* seconds */
	long		 timeout;		/* seconds, per message */
	const char	*from_addr;	/* envelope sender */
};

enum smtp_status {
	SMTP_OK,
	SMTP_TEMPFAIL,		/* 4xx, connection, TLS or timeout: retry */
	SMTP_PERMFAIL		/* 5xx or refused input: do not retry */
};

#define SMTP_TEXT_SIZE	256

struct smtp_result {
	enum smtp_status status;
	long		 code;		/* last server reply code, 0 if none */
	int		 unreachable;	/* the server failed, not the message */
	char		 text[SMTP_TEXT_SIZE];	/* reply line or error */
};

struct smtp_session;

struct smtp_session *smtp_open(const struct smtp_config *, char **);
int	 smtp_send(struct smtp_session *, const char *, const char *, size_t,
	    struct smtp_result *);
void	 smtp_close(struct smtp_session *);
int	 smtp_address_valid(const char *);

#endif
