/* deadlinectl send-test: one test message through a channel, right now. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>

#include "channel.h"
#include "config.h"
#include "ctl.h"
#include "mime.h"
#include "route.h"
#include "store.h"
#include "units.h"
#include "xmalloc.h"

/* Builds the test email for one address; NULL and *cause. */
static char *
ctl_send_mail(const struct config *cf, const struct unit_info *u,
    const char *to, const char *key, char **cause)
{
	struct mime_message	 mm;
	char			*out = NULL, *text, *id;
	size_t			 len;

	xasprintf(&text, "Kính gửi: %s\n\nĐây là thư thử nghiệm của hệ thống "
	    "nhắc hạn công việc (deadlined).\nNếu nhận được thư này, địa chỉ "
	    "%s đã được cấu hình đúng.\n", u->name, to);
	id = mime_message_init(&mm, cf, u->name, to, key, date_now());
	mm.subject = "[deadlined] Thư thử nghiệm";
	mm.text = text;
	if (mime_build(&mm, &out, &len, cause) != 0)
		out = NULL;
	free(text);
	free(id);
	return (out);
}

/* Sends one message through a channel session and prints the answer. */
static int
ctl_send_one(const struct channel *ch, void *session, struct store_outbox *m)
{
	struct channel_result	r;

	memset(&r, 0, sizeof r);
	ch->send(session, m, &r);
	printf("%s %s: %s (%s)\n", m->channel, m->recipient,
	    r.status == CHANNEL_SENT ? "sent" : r.status == CHANNEL_RETRY ?
	    "temporary failure" : r.status == CHANNEL_GONE ? "gone" :
	    "failed", r.detail);
	return (r.status == CHANNEL_SENT ? 0 : -1);
}

/* The test body for one route; NULL and *cause. */
static char *
ctl_send_body(const struct config *cf, const struct unit_info *u,
    const struct route *rt, const char *key, char **cause)
{
	json_t	*o;
	char	*body;

	if (rt->kind == ROUTE_EMAIL)
		return (ctl_send_mail(cf, u, rt->to, key, cause));
	o = json_pack("{s:b, s:s, s:s, s:s}", "test", 1, "unit", u->code,
	    "name", u->name, "text", "[deadlined] Tin thử nghiệm");
	body = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return (body);
}

/* Sends the test along one route through its channel; 0 or -1. */
static int
ctl_send_route(struct ctl *ctl, const struct unit_info *u,
    const struct route *rt, size_t n)
{
	const struct channel	*ch = channel_find(rt->channel);
	struct store_outbox	 m;
	void			*session;
	char			*cause = NULL, *key, *body;
	int			 rc = -1;

	xasprintf(&key, "test.%s.%lld.%zu", u->code, (long long)date_now(), n);
	if ((session = ch->open(ctl->cf, &cause)) == NULL)
		ctl_fail("channel %s: %s", rt->channel, cause);
	else if ((body = ctl_send_body(ctl->cf, u, rt, key, &cause)) == NULL)
		ctl_fail("%s", cause);
	else {
		memset(&m, 0, sizeof m);
		m.key = key;
		m.unit_code = u->code;
		m.channel = rt->channel;
		m.kind = route_kind_name(rt->kind);
		m.recipient = rt->to;
		m.body = body;
		rc = ctl_send_one(ch, session, &m);
		free(body);
	}
	if (session != NULL)
		ch->close(session);
	free(cause);
	free(key);
	return (rc);
}

/* Sends the test along every route of the unit; chname forces a channel. */
static int
ctl_send_unit(struct ctl *ctl, const struct unit_info *u, const char *chname)
{
	struct routes	 r;
	struct buf	 emails;
	char		*joined, *setting;
	size_t		 i, n;
	int		 bad = 0;

	buf_init(&emails);
	for (i = 0; i < u->nemails; i++)
		buf_printf(&emails, "%s%s", i > 0 ? ", " : "", u->emails[i]);
	joined = buf_steal(&emails);
	if (chname == NULL)
		route_unit(ctl->cf, joined, u->webhook, &r);
	else if (route_unit_named(chname, joined, u->webhook, &r) != 0) {
		free(joined);
		return (ctl_fail("unknown channel '%s'", chname));
	}
	for (i = 0; i < r.n; i++)
		bad |= ctl_send_route(ctl, u, &r.list[i], i + 1) != 0;
	free(joined);
	n = r.n;
	route_clear(&r);
	if (n == 0) {
		setting = config_enum_word("reminders", "channel",
		    ctl->cf->channel);
		ctl_fail("unit %s has no address for channel %s", u->code,
		    chname != NULL ? chname : setting);
		free(setting);
		return (CTL_FAIL);
	}
	return (bad ? CTL_FAIL : CTL_OK);
}

int
ctl_cmd_send_test(struct ctl *ctl, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "unit", required_argument, NULL, 'u' },
		{ "channel", required_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 }
	};
	const struct unit_info	*u;
	const char		*unit = NULL, *chname = NULL;
	struct units		*dir;
	int			 ch, rc;

	while ((ch = getopt_long(argc, argv, "u:C:", longopts, NULL)) != -1) {
		if (ch == 'u')
			unit = optarg;
		else if (ch == 'C')
			chname = optarg;
		else
			return (ctl_usage_name("send-test"));
	}
	if (optind != argc || unit == NULL)
		return (ctl_usage_name("send-test"));
	if ((dir = ctl_units(ctl)) == NULL)
		return (CTL_FAIL);
	if ((u = units_find(dir, unit)) == NULL)
		return (ctl_fail("unknown unit '%s'", unit));
	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = ctl_send_unit(ctl, u, chname);
	curl_global_cleanup();
	return (rc);
}
