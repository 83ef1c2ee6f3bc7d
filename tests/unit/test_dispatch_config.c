/*
 * A message that fails on the configuration is held, not failed (#16 item
 * 5): a planned digest that cannot be rendered with the running sender is
 * left pending with its cause, and a reload that fixes the sender makes
 * it due at once (dispatch_config_changed), so it is sent with the same
 * key.  check-config refuses such a sender now; this is what happens if
 * one ever gets through (the config is changed in memory here).
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

#include "calendar.h"
#include "config.h"
#include "date.h"
#include "directory.h"
#include "dispatch.h"
#include "passes.h"
#include "remind.h"
#include "schedule.h"
#include "scratch.h"
#include "setup.h"
#include "store.h"
#include "units.h"
#include "xmalloc.h"

struct fixture {
	struct config	*cf;
	struct store	*store;
	struct calendar	*cal;
	time_t		 now;		/* Monday 15/07/2024 08:30 */
};

/* The state and last error of every outbox row, in id order. */
struct rows {
	char	state[4][16];
	char	error[4][160];
	int	n;
};

/* Copies one outbox row. */
static int
copy_row(const struct store_outbox *m, void *arg)
{
	struct rows	*r = arg;

	if (r->n == 4)
		fail_msg("more than four messages");
	snprintf(r->state[r->n], sizeof r->state[0], "%s", m->state);
	snprintf(r->error[r->n], sizeof r->error[0], "%s",
	    m->last_error != NULL ? m->last_error : "");
	r->n++;
	return (0);
}

/* The outbox as it is now. */
static struct rows
outbox(struct fixture *fx)
{
	struct rows	r;

	memset(&r, 0, sizeof r);
	store_outbox_list(fx->store, NULL, copy_row, &r, NULL);
	return (r);
}

/* Files in the spool folder. */
static int
spooled(struct fixture *fx)
{
	struct dirent	*de;
	DIR		*d;
	int		 n = 0;

	if ((d = opendir(fx->cf->spool_dir)) == NULL)
		return (0);
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return (n);
}

/* Writes a file under the fixture's folder; caller frees the path. */
static char *
write_file(struct fixture *fx, const char *name, const char *text)
{
	char	*path;
	FILE	*f;

	xasprintf(&path, "%s/%s", scratch_dir, name);
	assert_non_null(f = fopen(path, "w"));
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
	return (path);
}

/* Two units, one task due today for each, planned by remind_pass. */
static int
setup(void **state)
{
	struct fixture		*fx;
	struct store_sync_stats	 st;
	struct store_plan	 p;
	struct store_task	 t;
	struct schedule_options	 so;
	struct schedule_stats	 ss;
	struct remind_stats	 rs;
	struct units		*u;
	char			*path, *cause = NULL, *text;
	int64_t			 plan, task;
	int			 gen, changed;

	fx = xcalloc(1, sizeof *fx);
	assert_int_equal(scratch_make("dispatch_config"), 0);
	free(write_file(fx, "units.ini", "[unit a]\nname = Phòng A\n"
	    "email = a@example.gov.vn\n[unit b]\nname = Phòng B\n"
	    "email = b@example.gov.vn\n"));
	xasprintf(&text, "[daemon]\nstate_dir = %s\nunits_file = units.ini\n"
	    "[report]\nschedule = off\n", scratch_dir);
	path = write_file(fx, "deadlined.ini", text);
	free(text);
	if ((fx->cf = config_load(path, &cause)) == NULL)
		fail_msg("%s", cause);
	free(path);
	assert_int_equal(date_set_timezone(fx->cf->timezone), 0);
	fx->now = date_time_at(date_from_ymd(2024, 7, 15), 8, 30);
	date_set_now(fx->now);
	if ((fx->cal = setup_calendar(fx->cf, &cause)) == NULL)
		fail_msg("%s", cause);
	if ((fx->store = store_open(fx->cf->db_path, 1, 1000, &cause)) == NULL)
		fail_msg("%s", cause);
	if ((u = units_load(fx->cf->units_file, &cause)) == NULL)
		fail_msg("%s", cause);
	assert_int_equal(store_begin(fx->store, &cause), 0);
	assert_int_equal(directory_sync(fx->store, u, &st, &cause), 0);
	units_free(u);
	memset(&p, 0, sizeof p);
	p.code = "KH-1";
	p.title = "Kế hoạch";
	p.year = 2024;
	p.starts = date_from_ymd(2024, 1, 1);
	p.ends = date_from_ymd(2024, 12, 31);
	assert_true((plan = store_plan_upsert(fx->store, &p, &gen,
	    &cause)) > 0);
	memset(&t, 0, sizeof t);
	t.plan_id = plan;
	t.ref = "1";
	t.title = "Báo cáo quý II";
	t.kind = "once";
	t.due = date_from_ymd(2024, 7, 15);
	t.starts = t.ends = DATE_NONE;
	assert_true((task = store_task_upsert(fx->store, &t, gen, &changed,
	    &cause)) > 0);
	assert_int_equal(store_task_assign(fx->store, task,
	    store_unit_id(fx->store, "a", NULL), "lead", NULL, &cause), 0);
	assert_int_equal(store_task_assign(fx->store, task,
	    store_unit_id(fx->store, "b", NULL), "support", NULL, &cause),
	    0);
	setup_schedule(fx->cf, fx->cal, &so);
	so.today = date_from_ymd(2024, 7, 1);
	if (schedule_plan(fx->store, NULL, &so, &ss, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(store_commit(fx->store, &cause), 0);
	if (remind_pass(fx->store, fx->cf, fx->cal, fx->now, &rs, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(rs.messages, 2);
	*state = fx;
	return (0);
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;

	return (scratch_teardown(fx->store, fx->cal, fx->cf, fx));
}

/* A sender refused at rendering holds both digests; a reload sends them. */
static void
test_held_then_sent(void **state)
{
	struct fixture		*fx = *state;
	struct dispatch_stats	 ds;
	struct rows		 r;
	char			*good = fx->cf->smtp_from;
	int			 i;

	fx->cf->smtp_from = xstrdup("<>");
	ds = pass_dispatch(fx->store, fx->cf, fx->now);
	assert_int_equal(ds.sent, 0);
	assert_int_equal(ds.failed, 0);
	assert_int_equal(ds.retried, 2);
	r = outbox(fx);
	assert_int_equal(r.n, 2);
	for (i = 0; i < 2; i++) {
		assert_string_equal(r.state[i], "pending");
		assert_non_null(strstr(r.error[i], "rendering: from_addr: "));
	}
	assert_int_equal(spooled(fx), 0);

	/* Still held a second later: the backoff (60 s) holds. */
	ds = pass_dispatch(fx->store, fx->cf, fx->now + 1);
	assert_int_equal(ds.sent + ds.retried + ds.failed, 0);

	/* The reload fixes the sender: due at once, sent. */
	free(fx->cf->smtp_from);
	fx->cf->smtp_from = good;
	assert_int_equal(dispatch_config_changed(fx->store, fx->now + 2), 2);
	ds = pass_dispatch(fx->store, fx->cf, fx->now + 2);
	assert_int_equal(ds.sent, 2);
	r = outbox(fx);
	for (i = 0; i < 2; i++)
		assert_string_equal(r.state[i], "sent");
	assert_int_equal(spooled(fx), 2);
	/* Nothing is held now: a second reload releases nothing. */
	assert_int_equal(dispatch_config_changed(fx->store, fx->now + 3), 0);
}

/* A failure that is not at rendering is not released by a reload. */
static void
test_reload_releases_only_held(void **state)
{
	struct fixture		*fx = *state;
	struct dispatch_stats	 ds;

	ds = pass_dispatch(fx->store, fx->cf, fx->now);
	assert_int_equal(ds.sent, 2);
	assert_int_equal(dispatch_config_changed(fx->store, fx->now + 1), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_held_then_sent, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_reload_releases_only_held,
		    setup, teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
