/*
 * The webhook channel: signed POSTs through webhook.c.  Each unit's secrets
 * come from the file units.ini names (one per line: several lines sign with
 * each, for rotation); they are read per batch and wiped after it.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "channel.h"
#include "config.h"
#include "store.h"
#include "units.h"
#include "webhook.h"
#include "xmalloc.h"

struct channel_webhook_session {
	struct webhook_session	*hook;
	struct units		*units;
};

/* Opens a session and the unit directory that names the secret files. */
static void *
channel_webhook_open(const struct config *cf, char **cause)
{
	struct channel_webhook_session	*cs;
	struct webhook_config		 wc;

	cs = xcalloc(1, sizeof *cs);
	if ((cs->units = units_load(cf->units_file, cause)) == NULL) {
		free(cs);
		return (NULL);
	}
	memset(&wc, 0, sizeof wc);
	wc.connect_timeout = cf->webhook_connect_timeout;
	wc.timeout = cf->webhook_timeout;
	wc.allow_http_loopback = cf->webhook_allow_http_loopback;
	wc.ca_file = *cf->webhook_ca_file != '\0' ? cf->webhook_ca_file : NULL;
	if ((cs->hook = webhook_open(&wc)) == NULL) {
		*cause = xstrdup("cannot create an HTTP session");
		units_free(cs->units);
		free(cs);
		return (NULL);
	}
	return (cs);
}

/* Reads every secret line of a private file; count, or -1 and *cause. */
static int
channel_webhook_secrets(const char *path, char ***out, char **cause)
{
	char	 line[1024], **v = NULL;
	FILE	*f;
	size_t	 len;
	int	 n = 0;

	if (config_check_secret_file(path, cause) != 0)
		return (-1);
	if ((f = fopen(path, "r")) == NULL) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (-1);
	}
	while (fgets(line, sizeof line, f) != NULL) {
		len = strcspn(line, "\r\n");
		while (len > 0 && isspace((unsigned char)line[len - 1]))
			len--;
		line[len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		v = xreallocarray(v, (size_t)n + 1, sizeof *v);
		v[n++] = xstrdup(line);
	}
	explicit_bzero(line, sizeof line);
	fclose(f);
	if (n == 0)
		xasprintf(cause, "%s: no secret in the file", path);
	*out = v;
	return (n == 0 ? -1 : n);
}

/* Wipes and frees secrets. */
static void
channel_webhook_wipe(char **v, int n)
{
	int	i;

	for (i = 0; i < n; i++) {
		explicit_bzero(v[i], strlen(v[i]));
		free(v[i]);
	}
	free(v);
}

/* Posts one message, signed with the unit's secrets. */
static void
channel_webhook_send(void *arg, const struct store_outbox *m,
    struct channel_result *r)
{
	struct channel_webhook_session	*cs = arg;
	const struct unit_info		*ui;
	struct webhook_result		 wr;
	char				**secrets = NULL, *cause = NULL;
	int				 n;

	r->status = CHANNEL_FAILED;
	ui = m->unit_code != NULL ? units_find(cs->units, m->unit_code) : NULL;
	if (ui == NULL || ui->webhook_secret_file == NULL) {
		snprintf(r->detail, sizeof r->detail, "unit %s has no "
		    "webhook_secret_file", m->unit_code != NULL ?
		    m->unit_code : "?");
		return;
	}
	if ((n = channel_webhook_secrets(ui->webhook_secret_file, &secrets,
	    &cause)) < 0) {
		snprintf(r->detail, sizeof r->detail, "%s", cause);
		free(cause);
		return;
	}
	memset(&wr, 0, sizeof wr);
	webhook_post(cs->hook, m->recipient, m->key, (long)date_now(),
	    (const char *const *)secrets, (size_t)n, m->body, strlen(m->body),
	    &wr);
	channel_webhook_wipe(secrets, n);
	if (wr.status == WEBHOOK_OK)
		r->status = CHANNEL_SENT;
	else if (wr.status == WEBHOOK_RETRY) {
		r->status = CHANNEL_RETRY;
		r->retry_after = wr.retry_after > 0 ? (int)wr.retry_after : 0;
	} else if (wr.status == WEBHOOK_GONE)
		r->status = CHANNEL_GONE;
	r->unreachable = wr.unreachable;
	snprintf(r->detail, sizeof r->detail, "http %ld %s", wr.http_status,
	    wr.reason);
}

/* Ends the session. */
static void
channel_webhook_close(void *arg)
{
	struct channel_webhook_session	*cs = arg;

	webhook_close(cs->hook);
	units_free(cs->units);
	free(cs);
}

/* The origin of a webhook URL: its text up to the path. */
static void
channel_webhook_destination(const struct store_outbox *m, char *buf,
    size_t size)
{
	const char	*p = strstr(m->recipient, "://");
	size_t		 len;

	p = p != NULL ? p + 3 : m->recipient;
	len = (size_t)(p - m->recipient) + strcspn(p, "/?#");
	snprintf(buf, size, "%.*s", (int)len, m->recipient);
}

const struct channel channel_webhook = {
	"webhook", channel_webhook_open, channel_webhook_send,
	channel_webhook_close, channel_webhook_destination
};
