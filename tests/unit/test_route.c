/*
 * route: which channel carries each kind of message under each channel
 * setting, the routes of a unit, and the outbox row a route queues (key,
 * kind, channel, expiry).  Every expected value is written out by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "date.h"
#include "route.h"
#include "scratch.h"
#include "store.h"
#include "xmalloc.h"

#define SMTP	"smtp://127.0.0.1:25"

/* A default configuration with the channel set and smtp url or not. */
static struct config *
config_with(enum config_channel channel, const char *smtp_url)
{
	struct config	*cf;
	char		*cause = NULL;

	assert_non_null(cf = config_load(NULL, &cause));
	cf->channel = channel;
	free(cf->smtp_url);
	cf->smtp_url = xstrdup(smtp_url);
	return (cf);
}

/* The channel of each kind under one setting, as "mail/hook". */
static void
check_channels(enum config_channel setting, const char *smtp_url,
    const char *mail, const char *hook)
{
	struct config	*cf = config_with(setting, smtp_url);
	const char	*m = route_channel(cf, ROUTE_EMAIL);
	const char	*h = route_channel(cf, ROUTE_WEBHOOK);

	if (mail == NULL)
		assert_null(m);
	else
		assert_string_equal(m, mail);
	if (hook == NULL)
		assert_null(h);
	else
		assert_string_equal(h, hook);
	config_free(cf);
}

/* spool takes both kinds, smtp and webhook one each, auto what is set. */
static void
test_channels(void **state)
{
	(void)state;
	check_channels(CONFIG_CHANNEL_SPOOL, "", "spool", "spool");
	check_channels(CONFIG_CHANNEL_SPOOL, SMTP, "spool", "spool");
	check_channels(CONFIG_CHANNEL_SMTP, SMTP, "smtp", NULL);
	check_channels(CONFIG_CHANNEL_WEBHOOK, SMTP, NULL, "webhook");
	check_channels(CONFIG_CHANNEL_AUTO, SMTP, "smtp", "webhook");
	check_channels(CONFIG_CHANNEL_AUTO, "", NULL, "webhook");
}

/* Only the webhook channel signs; the spool writes webhooks as they are. */
static void
test_signs(void **state)
{
	struct config	*cf;

	(void)state;
	cf = config_with(CONFIG_CHANNEL_WEBHOOK, "");
	assert_true(route_signs_webhooks(cf));
	config_free(cf);
	cf = config_with(CONFIG_CHANNEL_AUTO, "");
	assert_true(route_signs_webhooks(cf));
	config_free(cf);
	cf = config_with(CONFIG_CHANNEL_SPOOL, "");
	assert_false(route_signs_webhooks(cf));
	config_free(cf);
	cf = config_with(CONFIG_CHANNEL_SMTP, SMTP);
	assert_false(route_signs_webhooks(cf));
	config_free(cf);
}

/* One route as "kind channel to". */
static void
check_route(const struct route *rt, enum route_kind kind, const char *channel,
    const char *to)
{
	assert_int_equal(rt->kind, kind);
	assert_string_equal(rt->channel, channel);
	assert_string_equal(rt->to, to);
}

/* A unit's routes: its addresses in order, then its webhook. */
static void
test_unit(void **state)
{
	struct config	*cf;
	struct routes	 r;
	const char	*hook = "https://hooks.example.test/a";

	(void)state;
	cf = config_with(CONFIG_CHANNEL_AUTO, SMTP);
	route_unit(cf, "a@example.test, b@example.test", hook, &r);
	assert_int_equal(r.n, 3);
	check_route(&r.list[0], ROUTE_EMAIL, "smtp", "a@example.test");
	check_route(&r.list[1], ROUTE_EMAIL, "smtp", "b@example.test");
	check_route(&r.list[2], ROUTE_WEBHOOK, "webhook", hook);
	route_clear(&r);
	/* No smtp url: auto has no way for mail, only the webhook. */
	free(cf->smtp_url);
	cf->smtp_url = xstrdup("");
	route_unit(cf, "a@example.test", hook, &r);
	assert_int_equal(r.n, 1);
	check_route(&r.list[0], ROUTE_WEBHOOK, "webhook", hook);
	route_clear(&r);
	/* Nothing to say it to: no route (the pass counts a skipped unit). */
	route_unit(cf, "a@example.test", NULL, &r);
	assert_int_equal(r.n, 0);
	route_clear(&r);
	route_unit(cf, NULL, "", &r);
	assert_int_equal(r.n, 0);
	route_clear(&r);
	config_free(cf);
}

/* A named channel (send-test --channel) carries what it can. */
static void
test_named(void **state)
{
	struct routes	 r;
	const char	*hook = "https://hooks.example.test/a";

	(void)state;
	assert_int_equal(route_unit_named("spool", "a@example.test", hook,
	    &r), 0);
	assert_int_equal(r.n, 2);
	check_route(&r.list[0], ROUTE_EMAIL, "spool", "a@example.test");
	check_route(&r.list[1], ROUTE_WEBHOOK, "spool", hook);
	route_clear(&r);
	assert_int_equal(route_unit_named("smtp", "a@example.test", hook,
	    &r), 0);
	assert_int_equal(r.n, 1);
	check_route(&r.list[0], ROUTE_EMAIL, "smtp", "a@example.test");
	route_clear(&r);
	assert_int_equal(route_unit_named("webhook", "a@example.test", hook,
	    &r), 0);
	assert_int_equal(r.n, 1);
	check_route(&r.list[0], ROUTE_WEBHOOK, "webhook", hook);
	route_clear(&r);
	assert_int_equal(route_unit_named("pigeon", "a@example.test", hook,
	    &r), -1);
	assert_int_equal(r.n, 0);
	route_clear(&r);
}

/* The outbox row a route queues, read back. */
struct row {
	char	key[128], kind[16], channel[16], to[64], day[11];
	time_t	created_at, expires_at;
	int	n;
};

/* Copies the one outbox row. */
static int
copy_row(const struct store_outbox *m, void *arg)
{
	struct row	*r = arg;

	snprintf(r->key, sizeof r->key, "%s", m->key);
	snprintf(r->kind, sizeof r->kind, "%s", m->kind);
	snprintf(r->channel, sizeof r->channel, "%s", m->channel);
	snprintf(r->to, sizeof r->to, "%s", m->recipient);
	snprintf(r->day, sizeof r->day, "%s", m->day);
	r->created_at = m->created_at;
	r->expires_at = m->expires_at;
	r->n++;
	return (0);
}

/* A queued row has the key base/channel/to, the kind, the expiry. */
static void
test_queue(void **state)
{
	struct config		*cf = config_with(CONFIG_CHANNEL_SPOOL, "");
	struct store		*s;
	struct routes		 r;
	struct route_message	 msg;
	struct row		 row;
	char			*path, *cause = NULL;
	int			 added;

	(void)state;
	assert_int_equal(scratch_make("route"), 0);
	path = scratch_path("test.db");
	assert_non_null(s = store_open(path, 1, 1000, &cause));
	free(path);
	cf->lifetime_days = 2;
	route_unit(cf, NULL, "https://hooks.example.test/a", &r);
	assert_int_equal(r.n, 1);
	memset(&msg, 0, sizeof msg);
	msg.base = "digest/phuocan/2024-07-15";
	msg.day = date_from_ymd(2024, 7, 15);
	msg.now = 1721000000;
	msg.subject = "s";
	msg.body = "{}";
	assert_int_equal(route_queue(s, cf, &r.list[0], &msg, &added,
	    &cause), 0);
	assert_int_equal(added, 1);
	/* The same key again adds nothing. */
	assert_int_equal(route_queue(s, cf, &r.list[0], &msg, &added,
	    &cause), 0);
	assert_int_equal(added, 0);
	memset(&row, 0, sizeof row);
	assert_int_equal(store_outbox_list(s, NULL, copy_row, &row, NULL), 0);
	assert_int_equal(row.n, 1);
	assert_string_equal(row.key,
	    "digest/phuocan/2024-07-15/spool/https://hooks.example.test/a");
	assert_string_equal(row.kind, "webhook");
	assert_string_equal(row.channel, "spool");
	assert_string_equal(row.to, "https://hooks.example.test/a");
	assert_string_equal(row.day, "2024-07-15");
	assert_int_equal(row.created_at, 1721000000);
	/* Two days of 86,400 seconds after it was made. */
	assert_int_equal(row.expires_at, 1721000000 + 172800);
	/* A message with its own expiry (a login link: 15 minutes). */
	msg.base = "console-link/1721000000";
	msg.expires_at = 1721000000 + 900;
	assert_int_equal(route_queue(s, cf, &r.list[0], &msg, &added,
	    &cause), 0);
	assert_int_equal(added, 1);
	memset(&row, 0, sizeof row);
	assert_int_equal(store_outbox_list(s, NULL, copy_row, &row, NULL), 0);
	assert_int_equal(row.n, 2);
	assert_string_equal(row.key,
	    "console-link/1721000000/spool/https://hooks.example.test/a");
	assert_int_equal(row.expires_at, 1721000000 + 900);
	route_clear(&r);
	store_close(s);
	config_free(cf);
	assert_int_equal(scratch_remove(), 0);
}

/* The kind of a stored row, by its name. */
static void
test_kind(void **state)
{
	struct store_outbox	m;

	(void)state;
	memset(&m, 0, sizeof m);
	m.kind = "webhook";
	assert_int_equal(route_kind_of(&m), ROUTE_WEBHOOK);
	m.kind = "email";
	assert_int_equal(route_kind_of(&m), ROUTE_EMAIL);
	assert_string_equal(route_kind_name(ROUTE_WEBHOOK), "webhook");
	assert_string_equal(route_kind_name(ROUTE_EMAIL), "email");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_channels),
		cmocka_unit_test(test_signs),
		cmocka_unit_test(test_unit),
		cmocka_unit_test(test_named),
		cmocka_unit_test(test_queue),
		cmocka_unit_test(test_kind),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
