/* The smtp channel: the outbox's ready-made messages through smtp.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "channel.h"
#include "config.h"
#include "smtp.h"
#include "store.h"
#include "xmalloc.h"

struct channel_smtp_session {
	struct smtp_session	*smtp;
	char			*password;
};

/* Opens one SMTP session (one connection) for a batch. */
static void *
channel_smtp_open(const struct config *cf, char **cause)
{
	struct channel_smtp_session	*cs;
	struct smtp_config		 sc;

	if (*cf->smtp_url == '\0') {
		*cause = xstrdup("smtp.url is not set");
		return (NULL);
	}
	cs = xcalloc(1, sizeof *cs);
	if (*cf->smtp_password_file != '\0' &&
	    (cs->password = config_read_secret(cf->smtp_password_file,
	    cause)) == NULL) {
		free(cs);
		return (NULL);
	}
	memset(&sc, 0, sizeof sc);
	sc.url = cf->smtp_url;
	sc.helo = *cf->smtp_helo != '\0' ? cf->smtp_helo : NULL;
	sc.username = *cf->smtp_username != '\0' ? cf->smtp_username : NULL;
	sc.password = cs->password;
	sc.ca_file = *cf->smtp_ca_file != '\0' ? cf->smtp_ca_file : NULL;
	sc.starttls = cf->smtp_starttls;
	sc.connect_timeout = cf->smtp_connect_timeout;
	sc.timeout = cf->smtp_timeout;
	sc.from_addr = cf->smtp_from;
	if ((cs->smtp = smtp_open(&sc, cause)) == NULL) {
		if (cs->password != NULL)
			explicit_bzero(cs->password, strlen(cs->password));
		free(cs->password);
		free(cs);
		return (NULL);
	}
	return (cs);
}

/* Sends one message to its one recipient. */
static void
channel_smtp_send(void *arg, const struct store_outbox *m,
    struct channel_result *r)
{
	struct channel_smtp_session	*cs = arg;
	struct smtp_result		 sr;

	memset(&sr, 0, sizeof sr);
	smtp_send(cs->smtp, m->recipient, m->body, strlen(m->body), &sr);
	switch (sr.status) {
	case SMTP_OK:
		r->status = CHANNEL_SENT;
		break;
	case SMTP_TEMPFAIL:
		r->status = CHANNEL_RETRY;
		break;
	default:
		r->status = CHANNEL_FAILED;
		break;
	}
	r->unreachable = sr.unreachable;
	snprintf(r->detail, sizeof r->detail, "smtp %ld %s", sr.code, sr.text);
}

/* Ends the session. */
static void
channel_smtp_close(void *arg)
{
	struct channel_smtp_session	*cs = arg;

	smtp_close(cs->smtp);
	if (cs->password != NULL)
		explicit_bzero(cs->password, strlen(cs->password));
	free(cs->password);
	free(cs);
}

const struct channel channel_smtp = {
	"smtp", channel_smtp_open, channel_smtp_send, channel_smtp_close, NULL
};
