#ifndef WEBHOOK_H
#define WEBHOOK_H

#include <stddef.h>

/*
 * Signed HTTPS POSTs following the Standard Webhooks scheme
 * (webhook-id, webhook-timestamp, webhook-signature: v1,<base64 HMAC>).
 */

struct webhook_config {
	long		 connect_timeout;	/* seconds */
	long		 timeout;		/* seconds, per request */
	int		 allow_http_loopback;	/* tests: http:// to loopback */
	const char	*ca_file;		/* NULL: system CAs */
};

enum webhook_status {
	WEBHOOK_OK,		/* 2xx */
	WEBHOOK_RETRY,		/* 429, 5xx, timeout, connection error */
	WEBHOOK_GONE,		/* 410: disable the endpoint */
	WEBHOOK_PERMFAIL	/* other 4xx, 3xx, refused URL or secret */
};

#define WEBHOOK_REASON_SIZE	256

struct webhook_result {
	enum webhook_status status;
	long		 http_status;	/* 0 if no response */
	long		 retry_after;	/* seconds from Retry-After, -1 if none */
	int		 unreachable;	/* the server failed, not the message */
	char		 reason[WEBHOOK_REASON_SIZE];
};

struct webhook_session;

int	 webhook_sign(const char *, const char *, long, const char *, size_t,
	    char **, char **);
int	 webhook_check_url(const char *, int, char **);
struct webhook_session *webhook_open(const struct webhook_config *);
int	 webhook_post(struct webhook_session *, const char *, const char *,
	    long, const char *const *, size_t, const char *, size_t,
	    struct webhook_result *);
void	 webhook_close(struct webhook_session *);

#endif
