/*
 * dispatch: a pass sends what is due through the channel each row names
 * and records the result; a folder that cannot be written is retried
 * after the backoff (base 60 s, doubled, jitter at most a fifth) with its
 * other messages deferred, not tried; a channel nobody knows fails the
 * message for good.  Messages are queued through route.c, already
 * rendered, so only the dispatcher is under test.  Times worked by hand.
 */
#include <sys/stat.h>

#include <dirent.h>
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
#include "dispatch.h"
#include "passes.h"
#include "route.h"
#include "scratch.h"
#include "store.h"
#include "xmalloc.h"

#define NOW	1721032200	/* Monday 15/07/2024 08:30 UTC+7 */

struct fixture {
	char		*spool;
	struct config	*cf;
	struct store	*store;
};

/* One outbox row as read back. */
struct row {
	char	key[96], state[16], error[160];
	int	attempts;
	time_t	next;
};

struct rows {
	struct row	r[4];
	int		n;
};

/* Copies one outbox row. */
static int
copy_row(const struct store_outbox *m, void *arg)
{
	struct rows	*rs = arg;
	struct row	*r;

	if (rs->n == 4)
		fail_msg("more than four messages");
	r = &rs->r[rs->n++];
	snprintf(r->key, sizeof r->key, "%s", m->key);
	snprintf(r->state, sizeof r->state, "%s", m->state);
	snprintf(r->error, sizeof r->error, "%s",
	    m->last_error != NULL ? m->last_error : "");
	r->attempts = m->attempts;
	r->next = m->next_attempt;
	return (0);
}

/* The outbox now, in id order. */
static struct rows
outbox(struct fixture *fx)
{
	struct rows	rs;

	memset(&rs, 0, sizeof rs);
	assert_int_equal(store_outbox_list(fx->store, NULL, copy_row, &rs, NULL),
	    0);
	return (rs);
}

/* Files in the spool folder, hidden ones too. */
static int
spooled(struct fixture *fx)
{
	struct dirent	*de;
	DIR		*d;
	int		 n = 0;

	if ((d = opendir(fx->spool)) == NULL)
		return (-1);
	while ((de = readdir(d)) != NULL)
		n += strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0;
	closedir(d);
	return (n);
}

/* Queues one rendered message to a unit along one route. */
static void
queue(struct fixture *fx, const struct route *rt, const char *base)
{
	struct route_message	 msg;
	char			*cause = NULL;
	int			 added;

	memset(&msg, 0, sizeof msg);
	msg.base = base;
	msg.day = date_from_ymd(2024, 7, 15);
	msg.now = NOW - 1800;
	msg.subject = "Nhắc hạn";
	msg.body = rt->kind == ROUTE_WEBHOOK ? "{\"text\":\"x\"}" :
	    "Subject: x\r\n\r\nx\r\n";
	if (route_queue(fx->store, fx->cf, rt, &msg, &added, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(added, 1);
}

static int
setup(void **state)
{
	struct fixture	*fx;
	struct routes	 r;
	char		*path, *cause = NULL;
	size_t		 i;

	fx = xcalloc(1, sizeof *fx);
	assert_int_equal(scratch_make("dispatch"), 0);
	fx->spool = scratch_path("spool");
	assert_non_null(fx->cf = config_load(NULL, &cause));
	fx->cf->channel = CONFIG_CHANNEL_SPOOL;
	free(fx->cf->spool_dir);
	fx->cf->spool_dir = xstrdup(fx->spool);
	fx->cf->backoff_base = 60;
	fx->cf->backoff_max = 21600;
	fx->cf->lifetime_days = 3;
	path = scratch_path("test.db");
	fx->store = store_open(path, 1, 1000, &cause);
	free(path);
	assert_non_null(fx->store);
	route_unit(fx->cf, "a@example.test, b@example.test",
	    "https://hooks.example.test/a", &r);
	assert_int_equal(r.n, 3);
	for (i = 0; i < r.n; i++)
		queue(fx, &r.list[i], "digest/a/2024-07-15");
	route_clear(&r);
	*state = fx;
	return (0);
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;

	free(fx->spool);
	return (scratch_teardown(fx->store, NULL, fx->cf, fx));
}

/* Three due messages, one spool: three files, three rows sent. */
static void
test_sent(void **state)
{
	struct fixture		*fx = *state;
	struct dispatch_stats	 ds;
	struct rows		 rs;
	int			 i;

	ds = pass_dispatch(fx->store, fx->cf, NOW);
	assert_int_equal(ds.sent, 3);
	assert_int_equal(ds.retried + ds.failed + ds.dead + ds.deferred, 0);
	assert_int_equal(spooled(fx), 3);
	rs = outbox(fx);
	assert_int_equal(rs.n, 3);
	for (i = 0; i < 3; i++) {
		assert_string_equal(rs.r[i].state, "sent");
		assert_int_equal(rs.r[i].attempts, 1);
	}
	/* Nothing is due any more: a second pass sends nothing. */
	ds = pass_dispatch(fx->store, fx->cf, NOW + 60);
	assert_int_equal(ds.sent, 0);
	assert_int_equal(spooled(fx), 3);
}

/*
 * The spool is a file, not a folder: the first message is retried after
 * 60 to 72 seconds, the two others deferred (not counted as attempts);
 * once the folder is there, the retry is sent when due.
 */
static void
test_retry(void **state)
{
	struct fixture		*fx = *state;
	struct dispatch_stats	 ds;
	struct rows		 rs;
	FILE			*f;

	assert_non_null(f = fopen(fx->spool, "w"));
	fclose(f);
	ds = pass_dispatch(fx->store, fx->cf, NOW);
	assert_int_equal(ds.sent, 0);
	assert_int_equal(ds.retried, 1);
	assert_int_equal(ds.deferred, 2);
	rs = outbox(fx);
	assert_string_equal(rs.r[0].state, "pending");
	assert_int_equal(rs.r[0].attempts, 1);
	assert_in_range(rs.r[0].next, NOW + 60, NOW + 72);
	assert_non_null(strstr(rs.r[0].error, fx->spool));
	assert_int_equal(rs.r[1].attempts, 0);
	assert_int_equal(rs.r[2].attempts, 0);
	assert_int_equal(unlink(fx->spool), 0);
	/* Before the retry is due nothing of it goes. */
	ds = pass_dispatch(fx->store, fx->cf, NOW + 59);
	assert_int_equal(ds.retried + ds.failed, 0);
	assert_string_equal(outbox(fx).r[0].state, "pending");
	ds = pass_dispatch(fx->store, fx->cf, NOW + 72);
	rs = outbox(fx);
	assert_string_equal(rs.r[0].state, "sent");
	assert_int_equal(rs.r[0].attempts, 2);
	assert_string_equal(rs.r[1].state, "sent");
	assert_string_equal(rs.r[2].state, "sent");
	assert_int_equal(spooled(fx), 3);
}

/* A row naming a channel nobody has fails for good, with why. */
static void
test_unknown_channel(void **state)
{
	struct fixture		*fx = *state;
	struct dispatch_stats	 ds;
	struct route		 rt;
	struct rows		 rs;

	rt.kind = ROUTE_EMAIL;
	rt.channel = "pigeon";
	rt.to = "c@example.test";
	queue(fx, &rt, "digest/c/2024-07-15");
	ds = pass_dispatch(fx->store, fx->cf, NOW);
	assert_int_equal(ds.sent, 3);
	assert_int_equal(ds.failed, 1);
	rs = outbox(fx);
	assert_int_equal(rs.n, 4);
	assert_string_equal(rs.r[3].state, "failed");
	assert_string_equal(rs.r[3].error, "unknown channel pigeon");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_channel, setup,
		    teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
