/*
 * deadlinectl console-link, sessions, unit-link: who may use the console
 * and the units' pages (console-auth.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "console-auth.h"
#include "ctl.h"
#include "mime.h"
#include "route.h"
#include "store.h"
#include "xmalloc.h"

/* The link key, or NULL after saying why. */
static char *
ctl_console_key(struct ctl *ctl)
{
	char	*key, *cause = NULL;

	if (*ctl->cf->http_link_secret_file == '\0') {
		ctl_fail("no link key: set [http] link_secret_file");
		return (NULL);
	}
	if ((key = config_read_secret(ctl->cf->http_link_secret_file,
	    &cause)) == NULL) {
		ctl_fail("%s", cause);
		free(cause);
	}
	return (key);
}

/* Queues the login link as a mail to address; 0 or -1 and *cause. */
static int
ctl_console_mail(struct ctl *ctl, const char *user, const char *address,
    const char *url, int minutes, char **cause)
{
	const struct config	*cf = ctl->cf;
	struct mime_message	 mm;
	struct route_message	 msg;
	struct routes		 r;
	char			*text, *base, *key, *id, *body = NULL;
	size_t			 len;
	time_t			 now = date_now();
	int			 added = 0, rc = -1;

	route_unit(cf, address, NULL, &r);
	if (r.n != 1) {
		route_clear(&r);
		*cause = xstrdup("no mail channel: [reminders] channel is "
		    "webhook, or auto without [smtp] url");
		return (-1);
	}
	xasprintf(&text, "Kính gửi %s,\n\nĐường dẫn đăng nhập trang điều "
	    "hành nhắc hạn công việc (dùng một lần, hết hạn sau %d phút):\n\n"
	    "%s\n\nNếu anh/chị không yêu cầu, vui lòng bỏ qua thư này.\n",
	    user, minutes, url);
	xasprintf(&base, "console-link/%lld", (long long)now);
	key = route_key(&r.list[0], base);
	id = mime_message_init(&mm, cf, user, address, key, now);
	mm.subject = "Đăng nhập trang điều hành nhắc hạn";
	mm.text = text;
	if (mime_build(&mm, &body, &len, cause) == 0) {
		memset(&msg, 0, sizeof msg);
		msg.base = base;
		msg.day = date_today();
		msg.now = now;
		msg.subject = mm.subject;
		msg.body = body;
		msg.expires_at = now + (time_t)minutes * 60;
		if (store_begin(ctl->store, cause) == 0 &&
		    route_queue(ctl->store, cf, &r.list[0], &msg, &added,
		    cause) == 0 && store_commit(ctl->store, cause) == 0)
			rc = 0;
		else
			store_rollback(ctl->store);
	}
	route_clear(&r);
	free(body);
	free(text);
	free(base);
	free(key);
	free(id);
	return (rc);
}

int
ctl_cmd_console_link(struct ctl *ctl, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "minutes", required_argument, NULL, 'm' },
		{ "mail", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*mail = NULL;
	char		*url, *cause = NULL;
	long		 minutes = ctl->cf->console_login_minutes;
	int		 ch;

	while ((ch = getopt_long(argc, argv, "m:a:", longopts, NULL)) != -1) {
		if (ch == 'm' && config_parse_long(optarg, 5, 10080, &minutes) == 0)
			continue;
		if (ch == 'a' && mime_check_address(optarg, &cause) == 0) {
			mail = optarg;
			continue;
		}
		if (cause != NULL) {
			ctl_fail("--mail '%s': %s", optarg, cause);
			free(cause);
			return (CTL_USAGE);
		}
		return (ctl_usage_name("console-link"));
	}
	if (optind + 1 != argc)
		return (ctl_usage_name("console-link"));
	if (ctl_store(ctl) == NULL)
		return (CTL_FAIL);
	if ((url = console_auth_login_link(ctl->store, ctl->cf->http_base_url,
	    argv[optind], (int)minutes, date_now(), &cause)) == NULL ||
	    (mail != NULL && ctl_console_mail(ctl, argv[optind], mail, url,
	    (int)minutes, &cause) != 0)) {
		ctl_fail("%s", cause);
		free(cause);
		free(url);
		return (CTL_FAIL);
	}
	if (mail != NULL)
		printf("login link for %s queued to %s (single use, %ld "
		    "minutes)\n", argv[optind], mail, minutes);
	else
		printf("%s\n", url);
	explicit_bzero(url, strlen(url));
	free(url);
	return (CTL_OK);
}

/* An instant as local "YYYY-MM-DD HH:MM", or "" for 0. */
static void
ctl_console_time(time_t t, char out[20])
{
	struct tm	tm;

	*out = '\0';
	if (t == 0)
		return;
	localtime_r(&t, &tm);
	strftime(out, 20, "%Y-%m-%d %H:%M", &tm);
}

/* Adds one session to the listing. */
static int
ctl_session_row(const struct store_session *ss, void *arg)
{
	struct output	*o = arg;
	char		 t[20];

	output_row(o);
	output_int(o, ss->id);
	output_str(o, ss->user);
	ctl_console_time(ss->created_at, t);
	output_str(o, t);
	ctl_console_time(ss->expires_at, t);
	output_str(o, t);
	output_str(o, ss->origin);
	ctl_console_time(ss->revoked_at, t);
	output_str(o, ss->revoked_at != 0 ? t : NULL);
	return (0);
}

/* deadlinectl sessions revoke ID|--user NAME|--all. */
static int
ctl_sessions_revoke(struct ctl *ctl, int argc, char **argv)
{
	char	*cause = NULL;
	long	 id = 0;
	int	 n = 0;
	const char *user = NULL;

	if (argc == 3 && strcmp(argv[2], "--all") == 0)
		;
	else if (argc == 4 && strcmp(argv[2], "--user") == 0)
		user = argv[3];
	else if (argc != 3 || config_parse_long(argv[2], 1, 0x7fffffffL, &id) != 0)
		return (ctl_usage_name("sessions"));
	if (ctl_store(ctl) == NULL)
		return (CTL_FAIL);
	if (store_begin(ctl->store, &cause) != 0 ||
	    store_console_session_revoke(ctl->store, id, user, date_now(), &n,
	    &cause) != 0 || store_commit(ctl->store, &cause) != 0) {
		store_rollback(ctl->store);
		ctl_fail("%s", cause);
		free(cause);
		return (CTL_FAIL);
	}
	printf("%d session%s revoked\n", n, n == 1 ? "" : "s");
	return (id != 0 && n == 0 ? ctl_fail("no live session %ld", id) :
	    CTL_OK);
}

int
ctl_cmd_sessions(struct ctl *ctl, int argc, char **argv)
{
	static const char *const columns[] = { "id", "user", "created",
	    "expires", "from", "revoked", NULL };
	static const struct option longopts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	enum output_format	 fmt = OUTPUT_TABLE;
	struct output		*o;
	time_t			 since = date_now();
	char			*cause = NULL;
	int			 ch;

	if (argc >= 2 && strcmp(argv[1], "revoke") == 0)
		return (ctl_sessions_revoke(ctl, argc, argv));
	while ((ch = getopt_long(argc, argv, "af:", longopts, NULL)) != -1) {
		if (ch == 'a')
			since = 0;
		else if (ch != 'f' || ctl_format(optarg, &fmt) != 0)
			return (ctl_usage_name("sessions"));
	}
	if (optind != argc)
		return (ctl_usage_name("sessions"));
	if (ctl_store(ctl) == NULL)
		return (CTL_FAIL);
	o = output_new(fmt, columns);
	if (store_console_sessions(ctl->store, since, ctl_session_row, o,
	    &cause) != 0) {
		free(output_string(o));
		ctl_fail("%s", cause);
		free(cause);
		return (CTL_FAIL);
	}
	output_finish(o, stdout);
	return (CTL_OK);
}

int
ctl_cmd_unit_link(struct ctl *ctl, int argc, char **argv)
{
	char	*key, *url, *cause = NULL;
	int64_t	 id;
	int	 renew = argc == 3 && strcmp(argv[2], "--renew") == 0;

	if (argc != 2 && !renew)
		return (ctl_usage_name("unit-link"));
	if (ctl_store(ctl) == NULL || (key = ctl_console_key(ctl)) == NULL)
		return (CTL_FAIL);
	if (renew && ((id = store_unit_id(ctl->store, argv[1], &cause)) <= 0 ||
	    store_begin(ctl->store, &cause) != 0 ||
	    store_unit_link_renew(ctl->store, id, &cause) != 0 ||
	    store_commit(ctl->store, &cause) != 0)) {
		store_rollback(ctl->store);
		if (cause == NULL)
			xasprintf(&cause, "unknown unit '%s'", argv[1]);
		goto fail;
	}
	if ((url = console_auth_unit_url(ctl->store, key,
	    ctl->cf->http_base_url, argv[1], ctl->cf->http_link_days,
	    date_now(), &cause)) == NULL)
		goto fail;
	printf("%s\n", url);
	free(url);
	explicit_bzero(key, strlen(key));
	free(key);
	return (CTL_OK);
fail:
	ctl_fail("%s", cause);
	free(cause);
	explicit_bzero(key, strlen(key));
	free(key);
	return (CTL_FAIL);
}
