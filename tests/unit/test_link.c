/*
 * Tests for link.c: tokens made and verified, every kind of refusal, the
 * alphabet of tokens, and the GET and POST handlers against a real store
 * in a temporary directory (two units, three one-off tasks due Friday
 * 28/06/2024, each assigned to both units).
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
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sqlite3.h>

#include "calendar.h"
#include "date.h"
#include "directory.h"
#include "link.h"
#include "link-page.h"
#include "passes.h"
#include "schedule.h"
#include "scratch.h"
#include "store.h"
#include "units.h"
#include "xmalloc.h"

#define KEY	"k3y-for-tests-0123456789abcdef"
#define UNIT_A	"phuocan"
#define UNIT_B	"phuochoa"

struct fixture {
	struct store	*store;
	struct calendar	*cal;
	time_t		 now;		/* Friday 28/06/2024 09:00 */
	int64_t		 occ[3][2];	/* task x unit (A, B) */
};

struct occ_copy {
	int	sequence;
	char	status[16];
	date_t	done_on;
	date_t	snooze_until;
	char	note[64];
	int	found;
};

/* Remembers the occurrence ids of each task and unit. */
static int
collect_occ(const struct store_occurrence *o, void *arg)
{
	struct fixture	*fx = arg;
	int		 t = o->ref[1] - '1', u = strcmp(o->unit_code, UNIT_B) == 0;

	fx->occ[t][u] = o->id;
	return (0);
}

/* Copies what the tests look at. */
static int
copy_occ(const struct store_occurrence *o, void *arg)
{
	struct occ_copy	*c = arg;

	c->found = 1;
	c->sequence = o->sequence;
	snprintf(c->status, sizeof c->status, "%s", o->status);
	snprintf(c->note, sizeof c->note, "%s", o->note != NULL ? o->note : "");
	c->done_on = o->done_on;
	c->snooze_until = o->snooze_until;
	return (0);
}

/* Adds the plan, three tasks and their occurrences. */
static void
write_plan(struct fixture *fx)
{
	static const char *titles[] = { "Báo cáo <quý> II & kết quả",
	    "Rà soát thủ tục hành chính", "Cập nhật cổng thông tin" };
	struct store_plan	 p;
	struct store_task	 t;
	char			*cause = NULL, ref[4];
	int64_t			 plan, task;
	int			 i, gen, changed;

	memset(&p, 0, sizeof p);
	p.code = "KH-CCHC-2024";
	p.title = "Kế hoạch cải cách hành chính năm 2024";
	p.year = 2024;
	p.starts = date_from_ymd(2024, 1, 1);
	p.ends = date_from_ymd(2024, 12, 31);
	plan = store_plan_upsert(fx->store, &p, &gen, &cause);
	assert_true(plan > 0);
	for (i = 0; i < 3; i++) {
		memset(&t, 0, sizeof t);
		snprintf(ref, sizeof ref, "T%d", i + 1);
		t.plan_id = plan;
		t.ref = ref;
		t.title = titles[i];
		t.kind = "once";
		t.due = date_from_ymd(2024, 6, 28);
		t.starts = t.ends = DATE_NONE;
		task = store_task_upsert(fx->store, &t, gen, &changed, &cause);
		assert_true(task > 0);
		assert_int_equal(store_task_assign(fx->store, task,
		    store_unit_id(fx->store, UNIT_A, NULL), "lead", NULL,
		    &cause), 0);
		assert_int_equal(store_task_assign(fx->store, task,
		    store_unit_id(fx->store, UNIT_B, NULL), "support", NULL,
		    &cause), 0);
	}
	pass_schedule(fx->store, fx->cal, CALENDAR_NEXT,
	    date_from_ymd(2024, 6, 1), date_from_ymd(2024, 12, 31), 0);
}

static int
setup(void **state)
{
	struct fixture		*fx;
	struct calendar_options	 co;
	struct store_agenda_filter f;
	char			*path, *cause = NULL;

	fx = xcalloc(1, sizeof *fx);
	assert_int_equal(scratch_make("link"), 0);
	assert_int_equal(date_set_timezone("Asia/Ho_Chi_Minh"), 0);
	fx->now = date_time_at(date_from_ymd(2024, 6, 28), 9, 0);
	date_set_now(fx->now);
	calendar_default_options(&co);
	fx->cal = calendar_new(&co);
	xasprintf(&path, "%s/test.db", scratch_dir);
	fx->store = store_open(path, 1, 1000, &cause);
	if (fx->store == NULL)
		fail_msg("store_open: %s", cause);
	free(path);
	assert_int_equal(store_begin(fx->store, &cause), 0);
	scratch_units(fx->store, "[unit " UNIT_A "]\nname = UBND xã Phước An\n"
	    "email = phuocan@example.gov.vn\n\n[unit " UNIT_B "]\n"
	    "name = UBND xã Phước Hòa\nemail = phuochoa@example.gov.vn\n");
	write_plan(fx);
	assert_int_equal(store_commit(fx->store, &cause), 0);
	memset(&f, 0, sizeof f);
	f.from = f.to = DATE_NONE;
	store_agenda(fx->store, &f, collect_occ, fx, NULL);
	assert_true(fx->occ[2][1] > 0);
	*state = fx;
	return (0);
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;

	return (scratch_teardown(fx->store, fx->cal, NULL, fx));
}

/* Rows of an occurrence's history (0: of every one), read with plain SQL. */
static int64_t
log_count(struct fixture *fx, int64_t occurrence)
{
	sqlite3_stmt	*st;
	sqlite3		*db;
	char		*path;
	int64_t		 n;

	xasprintf(&path, "%s/test.db", scratch_dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM "
	    "occurrence_log WHERE ?1 = 0 OR occurrence_id = ?1", -1, &st,
	    NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, occurrence);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(path);
	return (n);
}

/* The occurrence as the store has it now. */
static struct occ_copy
get_occ(struct fixture *fx, int64_t id)
{
	struct occ_copy	c;

	memset(&c, 0, sizeof c);
	assert_int_equal(store_occ_get(fx->store, id, copy_occ, &c, NULL), 0);
	assert_true(c.found);
	return (c);
}

/*
 * A token made now for an occurrence as it is, unit and action, valid a
 * week.
 */
static char *
token(struct fixture *fx, int64_t occ, const char *unit, const char *action)
{
	char	*t = link_make(KEY, occ, get_occ(fx, occ).sequence, unit, action,
	    fx->now + 7 * 86400);

	assert_non_null(t);
	return (t);
}

/* Verifies and returns the result, freeing any cause. */
static int
verify(const char *key, const char *tok, time_t now)
{
	struct link_claims	 c;
	char			*cause = NULL;
	int			 rc;

	rc = link_verify(key, tok, now, &c, &cause);
	if (rc != LINK_OK)
		assert_non_null(cause);
	free(cause);
	return (rc);
}

static void
test_round_trip(void **state)
{
	struct link_claims	 c;
	char			*t, *cause = NULL;

	(void)state;
	t = link_make(KEY, 42, 7, UNIT_A, "snooze", 1719540000);
	assert_non_null(t);
	assert_int_equal(link_verify(KEY, t, 1719540000, &c, &cause), LINK_OK);
	assert_null(cause);
	assert_int_equal(c.occurrence, 42);
	assert_int_equal(c.sequence, 7);
	assert_string_equal(c.unit, UNIT_A);
	assert_string_equal(c.action, "snooze");
	assert_int_equal(c.expires, 1719540000);
	free(t);
	assert_null(link_make("", 42, 0, UNIT_A, "done", 1));
	assert_null(link_make(KEY, 42, 0, "Bad Unit", "done", 1));
	assert_null(link_make(KEY, 42, 0, UNIT_A, "delete", 1));
	assert_null(link_make(KEY, 0, 0, UNIT_A, "done", 1));
	assert_null(link_make(KEY, 42, -1, UNIT_A, "done", 1));
}

static void
test_refusals(void **state)
{
	char	*t, *other, *mixed, *bad;
	size_t	 n;

	(void)state;
	t = link_make(KEY, 42, 0, UNIT_A, "done", 2000000000);
	other = link_make(KEY, 43, 0, UNIT_A, "done", 2000000000);
	/* Payload of 43 with the signature of 42: tampered payload. */
	xasprintf(&mixed, "%.*s%s", (int)(strchr(other, '.') - other), other,
	    strchr(t, '.'));
	assert_int_equal(verify(KEY, mixed, 0), LINK_FORGED);
	/* First character of the signature changed. */
	bad = xstrdup(t);
	n = (size_t)(strchr(bad, '.') - bad) + 1;
	bad[n] = bad[n] == 'A' ? 'B' : 'A';
	assert_int_equal(verify(KEY, bad, 0), LINK_FORGED);
	assert_int_equal(verify("another key", t, 0), LINK_FORGED);
	/* Truncated: part of the signature, all of it, half the token. */
	bad[n] = t[n];
	bad[strlen(bad) - 5] = '\0';
	assert_int_equal(verify(KEY, bad, 0), LINK_MALFORMED);
	bad[n - 1] = '\0';
	assert_int_equal(verify(KEY, bad, 0), LINK_MALFORMED);
	assert_int_equal(verify(KEY, "", 0), LINK_MALFORMED);
	assert_int_equal(verify(KEY, "abc!def.ghi", 0), LINK_MALFORMED);
	assert_int_equal(verify(KEY, "%2F%2B.abcd", 0), LINK_MALFORMED);
	assert_int_equal(verify(KEY, "a.b.c", 0), LINK_MALFORMED);
	assert_int_equal(verify("", t, 0), LINK_MALFORMED);
	/* Expiry: valid up to and including the instant, not after. */
	assert_int_equal(verify(KEY, t, 2000000000), LINK_OK);
	assert_int_equal(verify(KEY, t, 2000000001), LINK_EXPIRED);
	free(t);
	free(other);
	free(mixed);
	free(bad);
}

static void
test_alphabet(void **state)
{
	static const char *units[] = { "a", UNIT_A, "ubnd-xa-phuoc-thuan-99",
	    "0123456789abcdefghijklmnopqrstuv" };
	static const char *actions[] = { "done", "waive", "snooze" };
	char	 key[32], *t;
	int	 i;

	(void)state;
	for (i = 0; i < 600; i++) {
		snprintf(key, sizeof key, "key-%d", i * 7919);
		t = link_make(key, (int64_t)i * 1000003 + 1, i * 37,
		    units[i % 4], actions[i % 3], (time_t)1700000000 +
		    i * 86399);
		assert_non_null(t);
		assert_null(strpbrk(t, "/+= \n"));
		assert_int_equal(verify(key, t, 1700000000), LINK_OK);
		free(t);
	}
}

static void
test_url(void **state)
{
	char	*u;

	(void)state;
	u = link_url("https://hen.example.gov.vn/", "abc.def");
	assert_string_equal(u, "https://hen.example.gov.vn/done/abc.def");
	free(u);
	u = link_url("http://127.0.0.1:8087", "x.y");
	assert_string_equal(u, "http://127.0.0.1:8087/done/x.y");
	free(u);
}

static void
test_page_get(void **state)
{
	struct fixture	*fx = *state;
	struct occ_copy	 before, after;
	int64_t		 logs;
	char		*t, *html = NULL;
	int		 status = 0;

	t = token(fx, fx->occ[0][0], UNIT_A, "done");
	before = get_occ(fx, fx->occ[0][0]);
	logs = log_count(fx, 0);
	assert_int_equal(link_page_show(fx->store, KEY, t, fx->now, &html, &status),
	    0);
	assert_int_equal(status, 200);
	assert_non_null(strstr(html, "Báo cáo &lt;quý&gt; II &amp; kết quả"));
	assert_null(strstr(html, "<quý>"));
	assert_non_null(strstr(html, "KH-CCHC-2024 T1"));
	assert_non_null(strstr(html, "UBND xã Phước An"));
	assert_non_null(strstr(html, "Thứ Sáu, 28/06/2024"));
	assert_non_null(strstr(html, "<textarea"));
	assert_non_null(strstr(html, "method=\"post\""));
	assert_non_null(strstr(html, "Xác nhận đã hoàn thành"));
	free(html);
	after = get_occ(fx, fx->occ[0][0]);
	assert_string_equal(after.status, before.status);
	assert_string_equal(after.status, "open");
	assert_int_equal(log_count(fx, 0), logs);
	/* Expired and forged tokens get their own pages. */
	assert_int_equal(link_page_show(fx->store, KEY, t, fx->now + 8 * 86400,
	    &html, &status), -1);
	assert_int_equal(status, 410);
	assert_non_null(strstr(html, "Liên kết đã hết hạn"));
	free(html);
	assert_int_equal(link_page_show(fx->store, "other", t, fx->now, &html,
	    &status), -1);
	assert_int_equal(status, 403);
	free(html);
	free(t);
	/* The waive and snooze forms. */
	t = token(fx, fx->occ[1][0], UNIT_A, "snooze");
	link_page_show(fx->store, KEY, t, fx->now, &html, &status);
	assert_int_equal(status, 200);
	assert_non_null(strstr(html, "name=\"days\""));
	assert_non_null(strstr(html, "value=\"3\""));
	free(html);
	free(t);
	t = token(fx, fx->occ[1][0], UNIT_A, "waive");
	link_page_show(fx->store, KEY, t, fx->now, &html, &status);
	assert_non_null(strstr(html, "required"));
	free(html);
	free(t);
}

static void
test_apply_done(void **state)
{
	struct fixture	*fx = *state;
	struct occ_copy	 c;
	int64_t		 logs;
	char		*t, *html = NULL;
	int		 status = 0;

	t = token(fx, fx->occ[0][0], UNIT_A, "done");
	logs = log_count(fx, fx->occ[0][0]);
	assert_int_equal(link_page_apply(fx->store, fx->cal, KEY, t, "Đã gửi <b>",
	    0, fx->now, &html, &status), 0);
	assert_int_equal(status, 200);
	assert_non_null(strstr(html, "Đã ghi nhận hoàn thành"));
	free(html);
	c = get_occ(fx, fx->occ[0][0]);
	assert_string_equal(c.status, "done");
	assert_int_equal(c.done_on, date_from_ymd(2024, 6, 28));
	assert_string_equal(c.note, "Đã gửi <b>");
	assert_int_equal(log_count(fx, fx->occ[0][0]),
	    logs + 1);
	/* A second POST changes nothing. */
	assert_int_equal(link_page_apply(fx->store, fx->cal, KEY, t, "lại", 0,
	    fx->now + 86400, &html, &status), 0);
	assert_int_equal(status, 200);
	assert_non_null(strstr(html, "đã được ghi nhận trước đó"));
	free(html);
	c = get_occ(fx, fx->occ[0][0]);
	assert_int_equal(c.done_on, date_from_ymd(2024, 6, 28));
	assert_string_equal(c.note, "Đã gửi <b>");
	assert_int_equal(log_count(fx, fx->occ[0][0]),
	    logs + 1);
	/* And a GET now says it was used. */
	link_page_show(fx->store, KEY, t, fx->now, &html, &status);
	assert_int_equal(status, 410);
	free(html);
	/* Unit B's occurrence of the same task is untouched. */
	assert_string_equal(get_occ(fx, fx->occ[0][1]).status, "open");
	free(t);
}

/* A version 1 token (no sequence) made by hand: base64url, HMAC-SHA256. */
static char *
v1_token(const char *payload)
{
	unsigned char	 mac[32];
	unsigned int	 len = sizeof mac;
	char		 p64[256], m64[64], *t, *c;

	HMAC(EVP_sha256(), KEY, (int)strlen(KEY),
	    (const unsigned char *)payload, strlen(payload), mac, &len);
	EVP_EncodeBlock((unsigned char *)p64, (const unsigned char *)payload,
	    (int)strlen(payload));
	EVP_EncodeBlock((unsigned char *)m64, mac, (int)len);
	xasprintf(&t, "%s.%s", p64, m64);
	for (c = t; *c != '\0'; c++)
		*c = *c == '+' ? '-' : *c == '/' ? '_' : *c;
	while ((c = strchr(t, '=')) != NULL)
		memmove(c, c + 1, strlen(c));
	return (t);
}

/*
 * A done link stops working once its occurrence is reopened (#16 item
 * 8): after the reopen the page and the POST say the link is outdated and
 * change nothing; a link made after the reopen works.  A version 1 link
 * stands for sequence 0: it works on an occurrence never changed, not
 * after a reopen.
 */
static void
test_reopen_outdates(void **state)
{
	struct fixture	*fx = *state;
	int64_t		 occ = fx->occ[2][0], logs;
	char		*t, *fresh, *old, *payload, *html = NULL, *cause = NULL;
	int		 status = 0;

	t = token(fx, occ, UNIT_A, "done");
	xasprintf(&payload, "1|%lld|%s|done|%lld", (long long)occ, UNIT_A,
	    (long long)(fx->now + 86400));
	old = v1_token(payload);
	assert_int_equal(link_page_show(fx->store, KEY, old, fx->now, &html,
	    &status), 0);
	assert_int_equal(status, 200);
	free(html);
	assert_int_equal(link_page_apply(fx->store, fx->cal, KEY, t, NULL, 0,
	    fx->now, &html, &status), 0);
	free(html);
	assert_string_equal(get_occ(fx, occ).status, "done");
	assert_int_equal(store_begin(fx->store, &cause), 0);
	assert_int_equal(store_occ_set_status(fx->store, occ, "open", DATE_NONE,
	    "chưa xong", "test", &cause), 0);
	assert_int_equal(store_commit(fx->store, &cause), 0);
	logs = log_count(fx, occ);

	assert_int_equal(link_page_show(fx->store, KEY, t, fx->now, &html,
	    &status), -1);
	assert_int_equal(status, 410);
	assert_non_null(strstr(html, "không còn hiệu lực"));
	assert_null(strstr(html, "<form"));
	free(html);
	assert_int_equal(link_page_apply(fx->store, fx->cal, KEY, t, "lại", 0,
	    fx->now, &html, &status), -1);
	assert_int_equal(status, 410);
	free(html);
	assert_int_equal(link_page_apply(fx->store, fx->cal, KEY, old, NULL, 0,
	    fx->now, &html, &status), -1);
	assert_int_equal(status, 410);
	free(html);
	assert_string_equal(get_occ(fx, occ).status, "open");
	assert_int_equal(log_count(fx, occ), logs);

	fresh = token(fx, occ, UNIT_A, "done");
	assert_int_equal(link_page_apply(fx->store, fx->cal, KEY, fresh, NULL,
	    0, fx->now, &html, &status), 0);
	assert_int_equal(status, 200);
	assert_string_equal(get_occ(fx, occ).status, "done");
	free(html);
	free(fresh);
	free(old);
	free(payload);
	free(t);
}

static void
test_apply_other_unit(void **state)
{
	struct fixture	*fx = *state;
	int64_t		 logs = log_count(fx, 0);
	char		*t, *html = NULL;
	int		 status = 0;

	t = token(fx, fx->occ[0][1], UNIT_A, "done");
	assert_int_equal(link_page_apply(fx->store, fx->cal, KEY, t, NULL, 0,
	    fx->now, &html, &status), -1);
	assert_int_equal(status, 403);
	free(html);
	assert_string_equal(get_occ(fx, fx->occ[0][1]).status, "open");
	assert_int_equal(log_count(fx, 0), logs);
	free(t);
}

static void
test_apply_waive(void **state)
{
	struct fixture	*fx = *state;
	struct occ_copy	 c;
	char		*t, *html = NULL;
	int		 status = 0;

	t = token(fx, fx->occ[1][1], UNIT_B, "waive");
	assert_int_equal(link_page_apply(fx->store, fx->cal, KEY, t, NULL, 0,
	    fx->now, &html, &status), -1);
	assert_int_equal(status, 400);
	free(html);
	assert_int_equal(link_page_apply(fx->store, fx->cal, KEY, t, " \r\n ", 0,
	    fx->now, &html, &status), -1);
	assert_int_equal(status, 400);
	free(html);
	assert_string_equal(get_occ(fx, fx->occ[1][1]).status, "open");
	assert_int_equal(link_page_apply(fx->store, fx->cal, KEY, t, "Không phát "
	    "sinh hồ sơ", 0, fx->now, &html, &status), 0);
	assert_int_equal(status, 200);
	free(html);
	c = get_occ(fx, fx->occ[1][1]);
	assert_string_equal(c.status, "waived");
	assert_string_equal(c.note, "Không phát sinh hồ sơ");
	free(t);
}

static void
test_apply_snooze(void **state)
{
	struct fixture	*fx = *state;
	char		*t, *html = NULL;
	int		 status = 0;

	t = token(fx, fx->occ[2][0], UNIT_A, "snooze");
	assert_int_equal(link_page_apply(fx->store, fx->cal, KEY, t, NULL, 31,
	    fx->now, &html, &status), -1);
	assert_int_equal(status, 400);
	free(html);
	/* Friday 28/06/2024 + 3 working days = Wednesday 03/07/2024. */
	assert_int_equal(link_page_apply(fx->store, fx->cal, KEY, t, NULL, 3,
	    fx->now, &html, &status), 0);
	assert_int_equal(status, 200);
	assert_non_null(strstr(html, "Thứ Tư, 03/07/2024"));
	free(html);
	assert_int_equal(get_occ(fx, fx->occ[2][0]).snooze_until,
	    date_from_ymd(2024, 7, 3));
	assert_string_equal(get_occ(fx, fx->occ[2][0]).status, "open");
	/* Snoozed already: the same link changes nothing more. */
	assert_int_equal(link_page_apply(fx->store, fx->cal, KEY, t, NULL, 5,
	    fx->now, &html, &status), 0);
	assert_non_null(strstr(html, "đã được ghi nhận trước đó"));
	free(html);
	assert_int_equal(get_occ(fx, fx->occ[2][0]).snooze_until,
	    date_from_ymd(2024, 7, 3));
	free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_alphabet),
		cmocka_unit_test(test_url),
		cmocka_unit_test_setup_teardown(test_page_get, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_apply_done, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_reopen_outdates, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_apply_other_unit, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_apply_waive, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_apply_snooze, setup,
		    teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
