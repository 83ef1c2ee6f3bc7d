/*
 * Tests for feed.c, store-feed.c and httpd.c: a small store built through
 * the store API and the scheduler, its feeds checked line by line against
 * dates worked out by hand (2024: 30/3 is a Saturday, 30/6 a Sunday), a
 * libical re-parse, the files feed_write_all leaves, and the HTTP server
 * on a free loopback port with libcurl as the client.
 */
#include <sys/socket.h>
#include <sys/stat.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <libical/ical.h>

#include "calendar.h"
#include "config.h"
#include "date.h"
#include "directory.h"
#include "feed.h"
#include "httpd.h"
#include "httpd-feeds.h"
#include "link.h"
#include "passes.h"
#include "schedule.h"
#include "scratch.h"
#include "store.h"
#include "units.h"
#include "xmalloc.h"

#define D(y, m, d)	date_from_ymd(y, m, d)
#define STAMP		1714521600	/* 2024-05-01T00:00:00Z */
#define QUARTERLY	"FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=28,29,30;" \
			"BYSETPOS=-1"
/* The host of the fixture's base_url, the domain of a new install's UIDs. */
#define DOMAIN		"nhachan.example.gov.vn"
#define UID_ONCE	"kh1-M1-alpha@" DOMAIN
#define UID_QUARTER	"kh1-M2-alpha@" DOMAIN
#define UID_QUARTER_B	"kh1-M2-beta@" DOMAIN
#define LINK_KEY	"dGhlIGxpbmsga2V5IG9mIHRoZSBmZWVkIHRlc3Rz"

static const char units_ini[] =
    "[unit alpha]\nname = Phòng Alpha\nemail = alpha@example.gov.vn\n\n"
    "[unit beta]\nname = UBND xã Beta\nemail = beta@example.gov.vn\n\n"
    "[unit gamma]\nname = UBND xã Gamma\nemail = gamma@example.gov.vn\n\n"
    "[group xa]\nname = UBND các xã\nmembers = beta gamma\n";

struct fixture {
	struct store	*store;
	struct config	*cf;
	struct calendar	*cal;
	int64_t		 once_id;
	int64_t		 quarter_id;
};

/* Writes a file under the fixture's directory. */
static void
write_file(const struct fixture *fx, const char *name, const char *text)
{
	char	 path[256];
	FILE	*f;

	snprintf(path, sizeof path, "%s/%s", scratch_dir, name);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

/* Schedules every task as of today. */
static void
schedule(struct fixture *fx, date_t today)
{
	char	*cause = NULL;

	assert_int_equal(store_begin(fx->store, &cause), 0);
	pass_schedule(fx->store, fx->cal, CALENDAR_NEXT, today,
	    D(2024, 12, 31), 0);
	assert_int_equal(store_commit(fx->store, &cause), 0);
}

/* Adds a task assigned to units ("code:role" words). */
static int64_t
add_task(struct fixture *fx, int64_t plan, const char *ref, const char *title,
    date_t due, const char *rrule, const char *const *units)
{
	struct store_task	 t;
	char			*cause = NULL, code[32], *role;
	int64_t			 id;
	int			 changed;

	memset(&t, 0, sizeof t);
	t.plan_id = plan;
	t.ref = ref;
	t.section = "II";
	t.category = "fix";
	t.content = "Nội dung thử";
	t.title = title;
	t.time_text = rrule != NULL ? "Hàng quý" : "Tháng 3/2024";
	t.kind = rrule != NULL ? "recurring" : "once";
	t.due = due;
	t.rrule = rrule;
	t.starts = rrule != NULL ? D(2024, 1, 1) : DATE_NONE;
	t.ends = rrule != NULL ? D(2024, 12, 31) : DATE_NONE;
	if ((id = store_task_upsert(fx->store, &t, 1, &changed, &cause)) < 0)
		fail_msg("%s", cause);
	for (; *units != NULL; units++) {
		snprintf(code, sizeof code, "%s", *units);
		role = strchr(code, ':');
		*role++ = '\0';
		assert_int_equal(store_task_assign(fx->store, id,
		    store_unit_id(fx->store, code, NULL), role, NULL, &cause),
		    0);
	}
	return (id);
}

/* Builds the store: units, a plan, a one-off and a quarterly task. */
static void
build_store(struct fixture *fx)
{
	static const char *const once_units[] = { "alpha:lead", NULL };
	static const char *const quarter_units[] = { "alpha:lead",
	    "beta:support", "gamma:support", NULL };
	struct store_plan	 p;
	char			 path[256], *cause = NULL;
	int64_t			 plan;
	int			 gen;

	snprintf(path, sizeof path, "%s/test.db", scratch_dir);
	if ((fx->store = store_open(path, 1, 5000, &cause)) == NULL)
		fail_msg("%s", cause);
	memset(&p, 0, sizeof p);
	p.code = "kh1";
	p.title = "Kế hoạch thử";
	p.year = 2024;
	p.starts = D(2024, 1, 1);
	p.ends = D(2024, 12, 31);
	assert_int_equal(store_begin(fx->store, &cause), 0);
	scratch_units(fx->store, units_ini);
	assert_true((plan = store_plan_upsert(fx->store, &p, &gen, &cause)) > 0);
	fx->once_id = add_task(fx, plan, "M1", "Rà soát thủ tục", D(2024, 3, 30),
	    NULL, once_units);
	fx->quarter_id = add_task(fx, plan, "M2", "Báo cáo quý", DATE_NONE,
	    QUARTERLY, quarter_units);
	assert_int_equal(store_commit(fx->store, &cause), 0);
}

/* The calendar with the example overrides file. */
static struct calendar *
new_calendar(void)
{
	struct calendar_options	 o;
	struct calendar		*cal;
	char			 path[1024], *cause = NULL;
	const char		*src = getenv("SRCDIR");

	calendar_default_options(&o);
	assert_non_null(cal = calendar_new(&o));
	snprintf(path, sizeof path, "%s/config/days-off.ini",
	    src != NULL ? src : ".");
	if (calendar_load_overrides(cal, path, &cause) != 0)
		fail_msg("%s", cause);
	return (cal);
}

/* cmocka setup: a fresh store scheduled as of 1/5/2024. */
static int
setup(void **state)
{
	struct fixture	*fx;
	char		*cause = NULL;

	fx = xcalloc(1, sizeof *fx);
	assert_int_equal(scratch_make("feed"), 0);
	assert_non_null(fx->cf = config_load(NULL, &cause));
	free(fx->cf->feeds_dir);
	xasprintf(&fx->cf->feeds_dir, "%s/feeds", scratch_dir);
	free(fx->cf->http_listen);
	fx->cf->http_listen = xstrdup("127.0.0.1:0");
	free(fx->cf->http_base_url);
	fx->cf->http_base_url = xstrdup("https://nhachan.example.gov.vn/lich/");
	fx->cal = new_calendar();
	build_store(fx);
	schedule(fx, D(2024, 5, 1));
	*state = fx;
	return (0);
}

/* cmocka teardown. */
static int
teardown(void **state)
{
	struct fixture	*fx = *state;

	return (scratch_teardown(fx->store, fx->cal, fx->cf, fx));
}

/* Renders a feed as it is. */
static char *
render_raw(struct fixture *fx, const char *name, int todo, date_t today)
{
	char	*text, *cause = NULL;
	size_t	 len;

	if (feed_render(fx->store, fx->cf, name, todo, STAMP, today, &text,
	    &len, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(strlen(text), len);
	return (text);
}

/* Renders a feed, unfolded (continuation lines joined). */
static char *
render(struct fixture *fx, const char *name, int todo, date_t today)
{
	char	*text, *p, *q;

	text = render_raw(fx, name, todo, today);
	for (p = q = text; *p != '\0'; p++) {
		if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ')
			p += 2;
		else
			*q++ = *p;
	}
	*q = '\0';
	return (text);
}

/* The component with this UID (and RECURRENCE-ID date, or NULL). */
static char *
component(const char *text, const char *uid, const char *recid)
{
	const char	*p = text, *end;
	char		*c, want[128];

	while ((p = strstr(p, "\r\nBEGIN:V")) != NULL) {
		p += 2;
		if ((end = strstr(p, "\r\nEND:V")) == NULL)
			break;
		c = xstrndup(p, (size_t)(end - p) + 2);
		snprintf(want, sizeof want, "\r\nUID:%s\r\n", uid);
		if (strstr(c, want) != NULL && (recid == NULL) ==
		    (strstr(c, "RECURRENCE-ID") == NULL)) {
			snprintf(want, sizeof want,
			    "\r\nRECURRENCE-ID;VALUE=DATE:%s\r\n", recid);
			if (recid == NULL || strstr(c, want) != NULL)
				return (c);
		}
		free(c);
	}
	return (NULL);
}

/* Asserts that a component holds a whole line. */
static void
assert_line(const char *c, const char *line)
{
	char	*want;

	xasprintf(&want, "\r\n%s\r\n", line);
	if (strstr(c, want) == NULL)
		fail_msg("no line '%s' in:\n%s", line, c);
	free(want);
}

/* The SEQUENCE of a component. */
static int
sequence(const char *c)
{
	const char	*p;

	assert_non_null(p = strstr(c, "\r\nSEQUENCE:"));
	return (atoi(p + 11));
}

/* Counts the occurrences of s in text. */
static int
count(const char *text, const char *s)
{
	int	n = 0;

	while ((text = strstr(text, s)) != NULL) {
		n++;
		text++;
	}
	return (n);
}

/* Finds the id of a unit's occurrence of a task on a nominal date. */
struct find_occ {
	int64_t	task_id;
	date_t	nominal;
	int64_t	id;
};

/* store_agenda callback of occurrence_id. */
static int
find_occ_cb(const struct store_occurrence *o, void *arg)
{
	struct find_occ	*f = arg;

	if (o->task_id == f->task_id && o->nominal == f->nominal)
		f->id = o->id;
	return (0);
}

/* The id of unit's occurrence of a task on nominal. */
static int64_t
occurrence_id(struct fixture *fx, const char *unit, int64_t task,
    date_t nominal)
{
	struct store_agenda_filter	f;
	struct find_occ			fo = { task, nominal, 0 };

	memset(&f, 0, sizeof f);
	f.unit = unit;
	f.from = f.to = DATE_NONE;
	store_agenda(fx->store, &f, find_occ_cb, &fo, NULL);
	assert_true(fo.id > 0);
	return (fo.id);
}

/* Marks an occurrence done. */
static void
mark_done(struct fixture *fx, const char *unit, int64_t task, date_t nominal)
{
	char	*cause = NULL;

	assert_int_equal(store_begin(fx->store, &cause), 0);
	if (store_occ_set_status(fx->store, occurrence_id(fx, unit, task,
	    nominal), "done", nominal, NULL, "test", &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(store_commit(fx->store, &cause), 0);
}

/* A one-off task: all-day on its effective date, overdue once past. */
static void
test_one_off(void **state)
{
	struct fixture	*fx = *state;
	char		*text, *c;

	text = render(fx, "alpha", 0, D(2024, 5, 1));
	assert_non_null(c = component(text, UID_ONCE, NULL));
	/* Due Saturday 30/3: Monday 1/4, and past on 1/5. */
	assert_line(c, "DTSTART;VALUE=DATE:20240401");
	assert_line(c, "DTEND;VALUE=DATE:20240402");
	assert_line(c, "SUMMARY:[Quá hạn] Rà soát thủ tục");
	assert_line(c, "DTSTAMP:20240501T000000Z");
	assert_line(c, "CATEGORIES:Mục II,Khắc phục");
	assert_line(c, "SEQUENCE:1");
	assert_non_null(strstr(c, "\\nChủ trì: Phòng Alpha"));
	assert_non_null(strstr(c, "\\nKế hoạch: kh1\\, mục M1"));
	assert_non_null(strstr(c, "\\nThời gian: Tháng 3/2024"));
	assert_null(strstr(c, "RRULE"));
	free(c);
	free(text);
	text = render(fx, "alpha", 0, D(2024, 3, 1));
	assert_non_null(c = component(text, UID_ONCE, NULL));
	assert_line(c, "SUMMARY:Rà soát thủ tục");
	free(c);
	assert_non_null(strstr(text, "\r\nX-WR-CALNAME:Phòng Alpha\r\n"));
	free(text);
}

/* A quarterly task: its rule, UNTIL and the overrides of moved dates. */
static void
test_recurring(void **state)
{
	struct fixture	*fx = *state;
	char		*text, *c;

	text = render(fx, "alpha", 0, D(2024, 5, 1));
	assert_int_equal(count(text, "BEGIN:VEVENT"), 4);
	assert_non_null(c = component(text, UID_QUARTER, NULL));
	assert_line(c, "DTSTART;VALUE=DATE:20240330");
	/* Written in the form every client expands alike. */
	assert_line(c, "RRULE:FREQ=MONTHLY;UNTIL=20241230;BYMONTHDAY=30;"
	    "BYMONTH=3,6,9,12");
	assert_line(c, "SUMMARY:Báo cáo quý");
	assert_non_null(strstr(c, "\\nPhối hợp: UBND xã Beta\\; UBND xã "
	    "Gamma"));
	free(c);
	/* 30/3 Saturday -> 1/4, overdue on 1/5; 30/6 Sunday -> 1/7. */
	assert_non_null(c = component(text, UID_QUARTER, "20240330"));
	assert_line(c, "DTSTART;VALUE=DATE:20240401");
	assert_line(c, "SUMMARY:[Quá hạn] Báo cáo quý");
	free(c);
	assert_non_null(c = component(text, UID_QUARTER, "20240630"));
	assert_line(c, "DTSTART;VALUE=DATE:20240701");
	assert_line(c, "SUMMARY:Báo cáo quý");
	free(c);
	/* 30/9 and 30/12 are Mondays: no override. */
	assert_null(component(text, UID_QUARTER, "20240930"));
	assert_null(component(text, UID_QUARTER, "20241230"));
	free(text);
}

/* Done: an override with the mark, a higher SEQUENCE, the same UIDs. */
static void
test_done(void **state)
{
	struct fixture	*fx = *state;
	char		*before, *after, *again, *c;
	int		 seq;

	before = render(fx, "alpha", 0, D(2024, 5, 1));
	assert_non_null(c = component(before, UID_QUARTER, NULL));
	seq = sequence(c);
	free(c);
	mark_done(fx, "alpha", fx->quarter_id, D(2024, 9, 30));
	after = render(fx, "alpha", 0, D(2024, 5, 1));
	assert_non_null(c = component(after, UID_QUARTER, "20240930"));
	assert_line(c, "DTSTART;VALUE=DATE:20240930");
	assert_line(c, "SUMMARY:[Đã xong] Báo cáo quý");
	assert_true(sequence(c) > seq);
	free(c);
	assert_non_null(c = component(after, UID_QUARTER, NULL));
	assert_true(sequence(c) > seq);
	free(c);
	assert_int_equal(count(after, "\r\nUID:"), count(before, "\r\nUID:") + 1);
	assert_int_equal(count(after, "\r\nUID:" UID_QUARTER "\r\n"), 4);
	/* Scheduling again changes nothing: the same bytes. */
	schedule(fx, D(2024, 5, 1));
	again = render(fx, "alpha", 0, D(2024, 5, 1));
	assert_string_equal(after, again);
	free(before);
	free(after);
	free(again);
}

/*
 * A new due date set on 1/3, before the old one: the same UID, the new
 * date, a higher SEQUENCE, and the old date gone.
 */
static void
test_set_due(void **state)
{
	struct fixture	*fx = *state;
	char		*text, *c, *cause = NULL;
	int		 seq;

	schedule(fx, D(2024, 3, 1));
	text = render(fx, "alpha", 0, D(2024, 3, 1));
	assert_non_null(c = component(text, UID_ONCE, NULL));
	seq = sequence(c);
	free(c);
	free(text);
	assert_int_equal(store_begin(fx->store, &cause), 0);
	assert_int_equal(store_task_set_due(fx->store, fx->once_id,
	    D(2024, 6, 14), &cause), 0);
	assert_int_equal(store_commit(fx->store, &cause), 0);
	schedule(fx, D(2024, 3, 1));
	text = render(fx, "alpha", 0, D(2024, 3, 1));
	assert_int_equal(count(text, "kh1-M1-alpha"), 1);
	assert_non_null(c = component(text, UID_ONCE, NULL));
	assert_line(c, "DTSTART;VALUE=DATE:20240614");
	assert_line(c, "SUMMARY:Rà soát thủ tục");
	assert_true(sequence(c) > seq);
	free(c);
	free(text);
}

/*
 * Moved on 1/5, after the old date passed: the old occurrence stays (the
 * scheduler keeps history), so both dates show, the old under its own UID.
 */
static void
test_set_due_late(void **state)
{
	struct fixture	*fx = *state;
	char		*text, *c, *cause = NULL;

	assert_int_equal(store_begin(fx->store, &cause), 0);
	assert_int_equal(store_task_set_due(fx->store, fx->once_id,
	    D(2024, 6, 14), &cause), 0);
	assert_int_equal(store_commit(fx->store, &cause), 0);
	schedule(fx, D(2024, 5, 1));
	text = render(fx, "alpha", 0, D(2024, 5, 1));
	assert_non_null(c = component(text, UID_ONCE, NULL));
	assert_line(c, "DTSTART;VALUE=DATE:20240614");
	free(c);
	assert_non_null(c = component(text, "kh1-M1-alpha-20240330@" DOMAIN,
	    NULL));
	assert_line(c, "DTSTART;VALUE=DATE:20240401");
	assert_line(c, "SUMMARY:[Quá hạn] Rà soát thủ tục");
	free(c);
	free(text);
}

/*
 * A rule changed in May: the open quarterly 30/3 stays, the monthly rule
 * runs from January, so no one rule gives the dates: one event each.
 */
static void
test_rule_change(void **state)
{
	struct fixture	*fx = *state;
	char		*text, *c, *cause = NULL;

	assert_int_equal(store_begin(fx->store, &cause), 0);
	assert_int_equal(store_task_set_rule(fx->store, fx->quarter_id,
	    "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1", D(2024, 1, 1),
	    D(2024, 12, 31), &cause), 0);
	assert_int_equal(store_commit(fx->store, &cause), 0);
	schedule(fx, D(2024, 5, 1));
	text = render(fx, "alpha", 0, D(2024, 5, 1));
	assert_null(strstr(text, "RRULE"));
	assert_int_equal(count(text, "\r\nUID:kh1-M2-alpha-2024"), 13);
	assert_non_null(c = component(text, "kh1-M2-alpha-20240330@" DOMAIN,
	    NULL));
	assert_line(c, "DTSTART;VALUE=DATE:20240401");
	assert_line(c, "SEQUENCE:2");
	free(c);
	/* Sunday 31/3 -> 1/4; 31/8 to 3/9 off (days-off.ini) -> 4/9. */
	assert_non_null(c = component(text, "kh1-M2-alpha-20240331@" DOMAIN,
	    NULL));
	assert_line(c, "DTSTART;VALUE=DATE:20240401");
	free(c);
	assert_non_null(c = component(text, "kh1-M2-alpha-20240831@" DOMAIN,
	    NULL));
	assert_line(c, "DTSTART;VALUE=DATE:20240904");
	free(c);
	free(text);
}

/* A group's feed holds its members' events; "all" holds every one. */
static void
test_group_and_all(void **state)
{
	struct fixture	*fx = *state;
	char		*text, *cause = NULL;
	size_t		 len;

	text = render(fx, "xa", 0, D(2024, 5, 1));
	assert_non_null(strstr(text, "\r\nX-WR-CALNAME:UBND các xã\r\n"));
	assert_int_equal(count(text, "BEGIN:VEVENT"), 6);
	assert_int_equal(count(text, "\r\nUID:" UID_QUARTER_B "\r\n"), 3);
	assert_int_equal(count(text, "\r\nUID:kh1-M2-gamma@" DOMAIN "\r\n"), 3);
	assert_null(strstr(text, "alpha"));
	free(text);
	text = render(fx, "all", 0, D(2024, 5, 1));
	assert_int_equal(count(text, "BEGIN:VEVENT"), 10);
	free(text);
	text = render(fx, "beta", 0, D(2024, 5, 1));
	assert_int_equal(count(text, "BEGIN:VEVENT"), 3);
	free(text);
	assert_int_equal(feed_render(fx->store, fx->cf, "nobody", 0, STAMP,
	    D(2024, 5, 1), &text, &len, &cause), -1);
	assert_null(text);
	assert_non_null(cause);
	free(cause);
}

/* Counts libical's X-LIC-ERROR properties in a component tree. */
static int
lic_errors(icalcomponent *c)
{
	icalcomponent	*sub;
	int		 n;

	n = icalcomponent_count_properties(c, ICAL_XLICERROR_PROPERTY);
	for (sub = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT);
	    sub != NULL;
	    sub = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT))
		n += lic_errors(sub);
	return (n);
}

/* Every feed and variant parses in libical without an error. */
static void
test_libical(void **state)
{
	static const char *const names[] = { "alpha", "beta", "gamma", "xa",
	    "all", NULL };
	struct fixture		*fx = *state;
	const char *const	*name;
	icalcomponent		*cal;
	char			*text;
	int			 todo;

	mark_done(fx, "beta", fx->quarter_id, D(2024, 6, 30));
	for (name = names; *name != NULL; name++) {
		for (todo = 0; todo < 2; todo++) {
			text = render_raw(fx, *name, todo, D(2024, 5, 1));
			assert_non_null(cal = icalparser_parse_string(text));
			assert_int_equal(lic_errors(cal), 0);
			assert_int_equal(icalcomponent_count_components(cal,
			    todo ? ICAL_VTODO_COMPONENT : ICAL_VEVENT_COMPONENT),
			    count(text, todo ? "BEGIN:VTODO" : "BEGIN:VEVENT"));
			icalcomponent_free(cal);
			free(text);
		}
	}
}

/* The VTODO variant: one per occurrence, a done one completed. */
static void
test_todo(void **state)
{
	struct fixture	*fx = *state;
	char		*text;

	mark_done(fx, "alpha", fx->quarter_id, D(2024, 9, 30));
	text = render(fx, "alpha", 1, D(2024, 5, 1));
	assert_int_equal(count(text, "BEGIN:VTODO"), 5);
	assert_int_equal(count(text, "BEGIN:VEVENT"), 0);
	assert_int_equal(count(text, "\r\nSTATUS:COMPLETED\r\n"), 1);
	assert_int_equal(count(text, "\r\nDUE;VALUE=DATE:20240701\r\n"), 1);
	free(text);
}

/* The value of the first "NAME:" line of a component; caller frees. */
static char *
line_value(const char *c, const char *name)
{
	const char	*p, *end;
	char		 want[64];

	snprintf(want, sizeof want, "\r\n%s:", name);
	if ((p = strstr(c, want)) == NULL)
		return (NULL);
	p += strlen(want);
	assert_non_null(end = strstr(p, "\r\n"));
	return (xstrndup(p, (size_t)(end - p)));
}

/* Sets a link key in a file of the fixture (mode 0600). */
static void
set_link_key(struct fixture *fx)
{
	char	path[256];

	write_file(fx, "link.key", LINK_KEY "\n");
	snprintf(path, sizeof path, "%s/link.key", scratch_dir);
	assert_int_equal(chmod(path, 0600), 0);
	free(fx->cf->http_link_secret_file);
	fx->cf->http_link_secret_file = xstrdup(path);
}

/*
 * Checks that a component's URL is the completion link of unit alpha's
 * occurrence of task on nominal, valid until the end of day until.
 */
static void
assert_link(struct fixture *fx, const char *c, int64_t task, date_t nominal,
    date_t until)
{
	struct link_claims	 claims;
	const char		*prefix = "https://nhachan.example.gov.vn/lich/done/";
	char			*url, *cause = NULL;

	assert_non_null(url = line_value(c, "URL"));
	assert_true(strncmp(url, prefix, strlen(prefix)) == 0);
	if (link_verify(LINK_KEY, url + strlen(prefix),
	    date_time_at(until, 23, 59), &claims, &cause) != LINK_OK)
		fail_msg("%s: %s", url, cause);
	assert_int_equal(claims.occurrence, occurrence_id(fx, "alpha", task,
	    nominal));
	assert_string_equal(claims.unit, "alpha");
	assert_string_equal(claims.action, "done");
	assert_int_equal(claims.expires, date_time_at(until + 1, 0, 0));
	free(url);
}

/*
 * Each event's URL is the page of its occurrence's completion link, as a
 * reminder's: a recurring event's own names its next open occurrence, an
 * override its own.  On 1/5/2024, with links valid 30 days: the one-off
 * due 1/4 (Saturday 30/3 moved) is 30 days past, so its link runs to the
 * end of its third period, 1/4 + 90 days = 30/6; the next quarter is due
 * 1/7 (Sunday 30/6 moved), its link runs to 1/7 + 30 = 31/7.  Without a
 * link key there is no URL.
 */
static void
test_event_url(void **state)
{
	struct fixture	*fx = *state;
	char		*text, *c;

	text = render(fx, "alpha", 0, D(2024, 5, 1));
	assert_null(strstr(text, "\r\nURL"));
	free(text);
	set_link_key(fx);
	text = render(fx, "alpha", 0, D(2024, 5, 1));
	assert_int_equal(count(text, "\r\nURL:"), 4);
	assert_non_null(c = component(text, UID_ONCE, NULL));
	assert_link(fx, c, fx->once_id, D(2024, 3, 30), D(2024, 6, 30));
	free(c);
	assert_non_null(c = component(text, UID_QUARTER, NULL));
	assert_link(fx, c, fx->quarter_id, D(2024, 6, 30), D(2024, 7, 31));
	free(c);
	assert_non_null(c = component(text, UID_QUARTER, "20240330"));
	assert_link(fx, c, fx->quarter_id, D(2024, 3, 30), D(2024, 6, 30));
	free(c);
	assert_non_null(c = component(text, UID_QUARTER, "20240630"));
	assert_link(fx, c, fx->quarter_id, D(2024, 6, 30), D(2024, 7, 31));
	free(c);
	free(text);
	/* A day later the same bytes: links move on once a period. */
	text = render(fx, "alpha", 0, D(2024, 5, 1));
	c = render(fx, "alpha", 0, D(2024, 5, 2));
	assert_string_equal(text, c);
	free(c);
	free(text);
	/* The VTODO of the quarter due 30/9 has the event's URL. */
	text = render(fx, "alpha", 1, D(2024, 5, 1));
	assert_int_equal(count(text, "\r\nURL:"), 5);
	assert_non_null(c = component(text, UID_QUARTER "-20240930", NULL));
	assert_link(fx, c, fx->quarter_id, D(2024, 6, 30), D(2024, 7, 31));
	free(c);
	free(text);
}

/*
 * [feeds] alarm_days: a DISPLAY alarm that many days before the all-day
 * start of each event still to do; none on an overdue or done one, none
 * by default.
 */
static void
test_alarm(void **state)
{
	struct fixture	*fx = *state;
	char		*text, *c, *alarm;

	text = render(fx, "alpha", 0, D(2024, 5, 1));
	assert_null(strstr(text, "VALARM"));
	free(text);
	fx->cf->feeds_alarm_days = 3;
	text = render(fx, "alpha", 0, D(2024, 5, 1));
	/* The quarter's rule and the override of 30/6; not 30/3, overdue. */
	assert_int_equal(count(text, "BEGIN:VALARM"), 2);
	assert_non_null(c = component(text, UID_ONCE, NULL));
	assert_null(strstr(c, "VALARM"));
	free(c);
	assert_non_null(c = component(text, UID_QUARTER, "20240330"));
	assert_null(strstr(c, "VALARM"));
	free(c);
	assert_non_null(c = component(text, UID_QUARTER, NULL));
	assert_non_null(alarm = strstr(c, "\r\nBEGIN:VALARM\r\n"));
	assert_string_equal(alarm, "\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\n"
	    "DESCRIPTION:Báo cáo quý\r\nTRIGGER:-P3D\r\n");
	free(c);
	free(text);
	/* Done on 30/6: its override loses the alarm. */
	mark_done(fx, "alpha", fx->quarter_id, D(2024, 6, 30));
	text = render(fx, "alpha", 0, D(2024, 5, 1));
	assert_int_equal(count(text, "BEGIN:VALARM"), 1);
	free(text);
	/* VTODO: the quarters of 30/9 and 30/12. */
	text = render(fx, "alpha", 1, D(2024, 5, 1));
	assert_int_equal(count(text, "BEGIN:VALARM"), 2);
	assert_int_equal(count(text, "\r\nTRIGGER:-P3D\r\n"), 2);
	free(text);
}

/* The UID of the one-off task in the alpha feed rendered now. */
static char *
once_uid(struct fixture *fx)
{
	char	*text, *uid;

	text = render(fx, "alpha", 0, D(2024, 5, 1));
	assert_non_null(uid = line_value(strstr(text, "BEGIN:VEVENT") - 2,
	    "UID"));
	free(text);
	return (uid);
}

/*
 * The domain of the UIDs: a new install's is base_url's host, kept once
 * recorded even when base_url changes; an install whose feeds were handed
 * out before the domain was recorded (a token, no record) keeps the old
 * shared "deadlined"; [feeds] uid_domain replaces either and stays.
 */
static void
test_uid_domain(void **state)
{
	struct fixture	*fx = *state;
	char		*uid, *cause = NULL, *token;

	assert_non_null(uid = once_uid(fx));
	assert_string_equal(uid, "kh1-M1-alpha@nhachan.example.gov.vn");
	free(uid);
	free(fx->cf->http_base_url);
	fx->cf->http_base_url = xstrdup("https://lich.example.gov.vn");
	assert_non_null(uid = once_uid(fx));
	assert_string_equal(uid, "kh1-M1-alpha@nhachan.example.gov.vn");
	free(uid);
	assert_non_null(token = feed_token(fx->store, fx->cf, "alpha", 0,
	    &cause));
	free(token);

	/* What an older version left: tokens, no recorded domain. */
	teardown(state);
	setup(state);
	fx = *state;
	assert_int_equal(store_begin(fx->store, &cause), 0);
	assert_int_equal(store_feed_set_token(fx->store, "all",
	    "0123456789abcdef0123456789abcdef", &cause), 0);
	assert_int_equal(store_commit(fx->store, &cause), 0);
	assert_non_null(uid = once_uid(fx));
	assert_string_equal(uid, "kh1-M1-alpha@deadlined");
	free(uid);
	/* The administrator opts in, then removes the key: it stays. */
	free(fx->cf->feeds_uid_domain);
	fx->cf->feeds_uid_domain = xstrdup("ubnd.example.gov.vn");
	assert_non_null(uid = once_uid(fx));
	assert_string_equal(uid, "kh1-M1-alpha@ubnd.example.gov.vn");
	free(uid);
	free(fx->cf->feeds_uid_domain);
	fx->cf->feeds_uid_domain = xstrdup("");
	assert_non_null(uid = once_uid(fx));
	assert_string_equal(uid, "kh1-M1-alpha@ubnd.example.gov.vn");
	free(uid);
}

/* A new install with a loopback base_url: this machine's name. */
static void
test_uid_domain_loopback(void **state)
{
	struct fixture	*fx = *state;
	char		 host[256], *uid, *want;

	free(fx->cf->http_base_url);
	fx->cf->http_base_url = xstrdup("http://127.0.0.1:8087");
	memset(host, 0, sizeof host);
	assert_int_equal(gethostname(host, sizeof host - 1), 0);
	if (*host == '\0' || strcmp(host, "localhost") == 0)
		skip();
	xasprintf(&want, "kh1-M1-alpha@%s", host);
	assert_non_null(uid = once_uid(fx));
	assert_string_equal(uid, want);
	free(uid);
	free(want);
}

/* Reads a whole file; caller frees. */
static char *
slurp(const char *path)
{
	struct buf	 b;
	char		 chunk[4096];
	size_t		 n;
	FILE		*f;

	assert_non_null(f = fopen(path, "rb"));
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	return (buf_steal(&b));
}

/* The path of a served file in stats, by name. */
static const struct feed_file *
served(const struct feed_stats *st, const char *name)
{
	size_t	i;

	for (i = 0; i < st->nfiles; i++)
		if (strcmp(st->files[i].name, name) == 0)
			return (&st->files[i]);
	fail_msg("%s not served", name);
	return (NULL);
}

/* Calls of the watchdog's keepalive by feed_write_all. */
static int	keepalives;

static void
count_keepalive(void)
{
	keepalives++;
}

/* Writes every feed; checks the stats of a pass and the keepalives. */
static void
write_all(struct fixture *fx, time_t now, struct feed_stats *st, int written)
{
	char	*cause = NULL;

	keepalives = 0;
	if (feed_write_all(fx->store, fx->cf, now, count_keepalive, st,
	    &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(st->feeds, 5);		/* all alpha beta gamma xa */
	assert_int_equal(st->nfiles, 10);
	assert_int_equal(keepalives, 10);	/* after each file */
	assert_int_equal(st->written, written);
	assert_int_equal(st->unchanged, 10 - written);
}

/* Files are rewritten only when their content changes; tokens stay. */
static void
test_write_all(void **state)
{
	struct fixture			*fx = *state;
	struct feed_stats		 st1, st2;
	const struct feed_file		*f1, *f2;
	char				*a, *b;

	write_all(fx, STAMP, &st1, 10);
	f1 = served(&st1, "alpha");
	assert_int_equal(strlen(f1->token), 32);
	assert_int_equal(strspn(f1->token, "0123456789abcdef"), 32);
	assert_string_not_equal(f1->token, served(&st1, "beta")->token);
	assert_string_equal(f1->token, served(&st1, "alpha-todo")->token);
	a = slurp(f1->path);
	write_all(fx, STAMP + 3600, &st2, 0);
	f2 = served(&st2, "alpha");
	assert_string_equal(f1->token, f2->token);
	b = slurp(f2->path);
	assert_string_equal(a, b);
	free(b);
	feed_stats_clear(&st2);
	/* Alpha's change shows in alpha's and all's files only. */
	mark_done(fx, "alpha", fx->quarter_id, D(2024, 9, 30));
	write_all(fx, STAMP + 7200, &st2, 4);
	b = slurp(served(&st2, "alpha")->path);
	assert_string_not_equal(a, b);
	assert_non_null(strstr(b, "DTSTAMP:20240501T020000Z"));
	free(a);
	free(b);
	feed_stats_clear(&st1);
	feed_stats_clear(&st2);
}

/* The text with every DTSTAMP line taken out; caller frees. */
static char *
without_dtstamp(const char *text)
{
	struct buf	 b;
	const char	*p = text, *end;

	buf_init(&b);
	while (*p != '\0') {
		end = strstr(p, "\r\n");
		end = end != NULL ? end + 2 : p + strlen(p);
		if (strncmp(p, "DTSTAMP:", 8) != 0)
			buf_add(&b, p, (size_t)(end - p));
		p = end;
	}
	return (buf_steal(&b));
}

/* The units of the change log after *seq (moved on to the last). */
static void
changes(struct fixture *fx, int64_t *seq, struct feed_units *fu)
{
	char	*cause = NULL;

	memset(fu, 0, sizeof *fu);
	if (store_changes_since(fx->store, *seq, seq, feed_units_add, fu,
	    &cause) != 0)
		fail_msg("%s", cause);
}

/* feed_write_changed with the keepalives counted; checks the files. */
static void
write_changed(struct fixture *fx, time_t now, const struct feed_units *fu,
    struct feed_stats *st, int written, int kept)
{
	char	*cause = NULL;

	keepalives = 0;
	if (feed_write_changed(fx->store, fx->cf, now, fu, count_keepalive, st,
	    &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(st->feeds, 5);
	assert_int_equal(st->nfiles, 10);	/* kept ones are served too */
	assert_int_equal(keepalives, 10);
	assert_int_equal(st->written, written);
	assert_int_equal(st->kept, kept);
	assert_int_equal(st->unchanged, 10 - written);
}

/*
 * After beta's occurrence is marked done, the feeds that show beta are
 * rendered (beta, its group xa, all, and their -todo files), alpha's and
 * gamma's kept unread; gamma-todo.ics, removed, is rendered again.  The
 * result is what a full rendering gives: byte for byte what it writes in
 * a new folder for the files rewritten, and but their DTSTAMP lines (the
 * time they were written) for the files kept; and a full pass over the
 * folder (feed_write_all, which compares every file with its rendering
 * at the file's own DTSTAMP) finds nothing to write.  With no change,
 * nothing is rendered; with "everything", all is.
 */
static void
test_write_changed(void **state)
{
	static const char *const names[] = { "all", "all-todo", "alpha",
	    "alpha-todo", "beta", "beta-todo", "gamma", "gamma-todo", "xa",
	    "xa-todo" };
	static const int rewritten[] = { 1, 1, 0, 0, 1, 1, 0, 1, 1, 1 };
	struct fixture		*fx = *state;
	struct feed_units	 fu;
	struct feed_stats	 st, fresh;
	char			*dir, path[512], *a, *b, *sa, *sb, *cause = NULL;
	int64_t			 seq = -1;
	size_t			 i;

	set_link_key(fx);
	write_all(fx, STAMP, &st, 10);
	feed_stats_clear(&st);
	changes(fx, &seq, &fu);
	assert_true(fu.all);			/* never read: everything */
	feed_units_clear(&fu);

	mark_done(fx, "beta", fx->quarter_id, D(2024, 9, 30));
	changes(fx, &seq, &fu);
	assert_false(fu.all);
	assert_true(fu.n >= 1);
	for (i = 0; i < fu.n; i++)
		assert_int_equal(fu.v[i], store_unit_id(fx->store, "beta",
		    NULL));
	snprintf(path, sizeof path, "%s/gamma-todo.ics", fx->cf->feeds_dir);
	assert_int_equal(unlink(path), 0);
	write_changed(fx, STAMP + 3600, &fu, &st, 7, 3);
	feed_units_clear(&fu);
	for (i = 0; i < 10; i++)
		assert_int_equal(strlen(served(&st, names[i])->token), 32);

	/* A full rendering into a new folder, at the same time. */
	dir = fx->cf->feeds_dir;
	xasprintf(&fx->cf->feeds_dir, "%s/fresh", scratch_dir);
	if (feed_write_all(fx->store, fx->cf, STAMP + 3600, NULL, &fresh,
	    &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(fresh.written, 10);
	for (i = 0; i < 10; i++) {
		a = slurp(served(&st, names[i])->path);
		b = slurp(served(&fresh, names[i])->path);
		if (rewritten[i])
			assert_string_equal(a, b);
		else {
			assert_string_not_equal(a, b);
			sa = without_dtstamp(a);
			sb = without_dtstamp(b);
			assert_string_equal(sa, sb);
			assert_true(strlen(sa) < strlen(a));
			free(sa);
			free(sb);
		}
		free(a);
		free(b);
	}
	feed_stats_clear(&fresh);
	free(fx->cf->feeds_dir);
	fx->cf->feeds_dir = dir;
	feed_stats_clear(&st);
	write_all(fx, STAMP + 7200, &st, 0);
	feed_stats_clear(&st);

	/* Nothing changed: nothing rendered. */
	changes(fx, &seq, &fu);
	assert_false(fu.all);
	assert_int_equal(fu.n, 0);
	write_changed(fx, STAMP + 7200, &fu, &st, 0, 10);
	feed_stats_clear(&st);
	/* Everything: every file rendered, none to write. */
	assert_int_equal(feed_units_add(0, 0, &fu), 1);
	write_changed(fx, STAMP + 7200, &fu, &st, 0, 0);
	feed_stats_clear(&st);
	feed_units_clear(&fu);
}

/* A group's member changed: its own, the group's and all's feeds. */
static void
test_write_changed_member(void **state)
{
	struct fixture		*fx = *state;
	struct feed_units	 fu;
	struct feed_stats	 st;
	int64_t			 seq = -1;

	write_all(fx, STAMP, &st, 10);
	feed_stats_clear(&st);
	changes(fx, &seq, &fu);
	feed_units_clear(&fu);
	mark_done(fx, "gamma", fx->quarter_id, D(2024, 9, 30));
	changes(fx, &seq, &fu);
	write_changed(fx, STAMP + 60, &fu, &st, 6, 4);
	feed_stats_clear(&st);
	feed_units_clear(&fu);
	/* The full pass agrees: nothing left to write. */
	write_all(fx, STAMP + 120, &st, 0);
	feed_stats_clear(&st);
}

/* The signature moves with each thing the files depend on but the data. */
static void
test_signature(void **state)
{
	struct fixture	*fx = *state;
	char		*s0, *s1, *cause = NULL;

#define SIGNATURE(day)	({						\
	char	*sig_;							\
	if ((sig_ = feed_signature(fx->store, fx->cf, day,		\
	    &cause)) == NULL)						\
		fail_msg("%s", cause);					\
	sig_; })
	s0 = SIGNATURE(D(2024, 5, 1));
	assert_int_equal(strlen(s0), 64);
	assert_int_equal(strspn(s0, "0123456789abcdef"), 64);
	s1 = SIGNATURE(D(2024, 5, 1));
	assert_string_equal(s0, s1);		/* the same inputs */
	free(s1);
	s1 = SIGNATURE(D(2024, 5, 2));		/* a new day */
	assert_string_not_equal(s0, s1);
	free(s1);
	fx->cf->feeds_refresh_minutes++;	/* a setting */
	s1 = SIGNATURE(D(2024, 5, 1));
	assert_string_not_equal(s0, s1);
	free(s1);
	fx->cf->feeds_refresh_minutes--;
	s1 = SIGNATURE(D(2024, 5, 1));
	assert_string_equal(s0, s1);
	free(s1);
	set_link_key(fx);			/* a key */
	free(s0);
	s0 = SIGNATURE(D(2024, 5, 1));
	write_file(fx, "link.key", "another key of the links, as long\n");
	s1 = SIGNATURE(D(2024, 5, 1));		/* its bytes, not its path */
	assert_string_not_equal(s0, s1);
	free(s1);
	free(fx->cf->feeds_dir);		/* the folder */
	xasprintf(&fx->cf->feeds_dir, "%s/other", scratch_dir);
	s1 = SIGNATURE(D(2024, 5, 1));
	assert_string_not_equal(s0, s1);
	free(s1);
	free(s0);
#undef SIGNATURE
}

/* Request paths: what is a feed, what is not. */
static void
test_route(void **state)
{
	struct httpd_route	r;

	httpd_route("/feeds/0123abcd/alpha.ics", NULL, &r);
	assert_int_equal(r.target, HTTPD_FEED);
	assert_string_equal(r.token, "0123abcd");
	assert_string_equal(r.name, "alpha");
	httpd_route("/feeds/0123abcd/alpha.ics", "todo", &r);
	assert_string_equal(r.name, "alpha-todo");
	httpd_route("/feeds/0123abcd/alpha-todo.ics", "todo", &r);
	assert_string_equal(r.name, "alpha-todo");
	httpd_route("/healthz", NULL, &r);
	assert_int_equal(r.target, HTTPD_HEALTH);
	httpd_route("/feeds/0123abcd/alpha.ics", "event", &r);
	assert_int_equal(r.target, HTTPD_NOT_FOUND);
	httpd_route("/feeds/0123abcd/../alpha.ics", NULL, &r);
	assert_int_equal(r.target, HTTPD_NOT_FOUND);
	httpd_route("/feeds/0123abcd/x/alpha.ics", NULL, &r);
	assert_int_equal(r.target, HTTPD_NOT_FOUND);
	httpd_route("/feeds//alpha.ics", NULL, &r);
	assert_int_equal(r.target, HTTPD_NOT_FOUND);
	httpd_route("/feeds/0123abcd/.ics", NULL, &r);
	assert_int_equal(r.target, HTTPD_NOT_FOUND);
	httpd_route("/feeds/0123abcd/alpha.ics.bak", NULL, &r);
	assert_int_equal(r.target, HTTPD_NOT_FOUND);
	httpd_route("/feeds/0123abcd/Alpha.ics", NULL, &r);
	assert_int_equal(r.target, HTTPD_NOT_FOUND);
	httpd_route("/feeds/0123456789abcdef0123456789abcdef0123456789abcdef"
	    "0123456789abcdef0/a.ics", NULL, &r);
	assert_int_equal(r.target, HTTPD_NOT_FOUND);
	assert_true(httpd_feeds_etag_match("\"ab\"", "\"ab\""));
	assert_true(httpd_feeds_etag_match("\"x\", W/\"ab\"", "\"ab\""));
	assert_true(httpd_feeds_etag_match("*", "\"ab\""));
	assert_false(httpd_feeds_etag_match("\"abc\"", "\"ab\""));
	assert_false(httpd_feeds_etag_match("", "\"ab\""));
}

/* One HTTP exchange's result. */
struct reply {
	long		status;
	long		connects;	/* new connections it took */
	struct buf	head;
	struct buf	body;
};

/* libcurl write callback into a buf. */
static size_t
collect(char *p, size_t size, size_t n, void *arg)
{
	buf_add(arg, p, size * n);
	return (size * n);
}

/*
 * Sends one request on a handle, whose connection it keeps for the next:
 * method GET, HEAD, POST or GET-BODY (a GET with a body), with one header
 * or NULL.
 */
static void
request_on(CURL *curl, int port, const char *method, const char *path,
    const char *header, struct reply *r)
{
	struct curl_slist	*headers = NULL;
	char			 url[512];

	memset(r, 0, sizeof *r);
	buf_init(&r->head);
	buf_init(&r->body);
	snprintf(url, sizeof url, "http://127.0.0.1:%d%s", port, path);
	curl_easy_reset(curl);
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &r->body);
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, collect);
	curl_easy_setopt(curl, CURLOPT_HEADERDATA, &r->head);
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
	else if (strcmp(method, "POST") == 0)
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, "x=1");
	else if (strcmp(method, "GET-BODY") == 0) {
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, "x=1");
		curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, "GET");
	}
	if (header != NULL) {
		headers = curl_slist_append(headers, header);
		curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	}
	assert_int_equal(curl_easy_perform(curl), CURLE_OK);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &r->connects);
	curl_slist_free_all(headers);
}

/* Sends one request on a connection of its own. */
static void
request(int port, const char *method, const char *path, const char *header,
    struct reply *r)
{
	CURL	*curl;

	assert_non_null(curl = curl_easy_init());
	request_on(curl, port, method, path, header, r);
	curl_easy_cleanup(curl);
}

/* Frees a reply. */
static void
reply_free(struct reply *r)
{
	buf_free(&r->head);
	buf_free(&r->body);
}

/* A response header's value (first), copied; NULL if none. */
static char *
header_value(const struct reply *r, const char *name)
{
	const char	*p;
	size_t		 n = strlen(name);

	for (p = r->head.data; p != NULL && *p != '\0'; p = strchr(p, '\n')) {
		p += *p == '\n';
		if (strncasecmp(p, name, n) == 0 && p[n] == ':')
			return (xstrndup(p + n + 2, strcspn(p + n + 2, "\r\n")));
	}
	return (NULL);
}

/* Checks a 404 that says nothing about why. */
static void
assert_not_found(int port, const char *path)
{
	struct reply	r;

	request(port, "GET", path, NULL, &r);
	assert_int_equal(r.status, 404);
	assert_string_equal(r.body.data, "not found\n");
	reply_free(&r);
}

/* The server under a fixture, its feeds set from feed_write_all. */
struct server {
	struct httpd		*httpd;
	struct feed_stats	 st;
	struct httpd_feed	*files;		/* st's, as the server takes */
	int			 port;
	char			 path[256];	/* alpha's URL path */
	char			*alpha;		/* its bytes */
};

/* Starts the server with the fixture's feeds. */
static void
server_start(struct fixture *fx, struct server *sv)
{
	char	*cause = NULL;
	size_t	 i;

	if ((sv->httpd = httpd_start(fx->cf, &cause)) == NULL)
		fail_msg("%s", cause);
	assert_true((sv->port = httpd_port(sv->httpd)) > 0);
	write_all(fx, STAMP, &sv->st, 10);
	sv->files = xcalloc(sv->st.nfiles, sizeof *sv->files);
	for (i = 0; i < sv->st.nfiles; i++) {
		sv->files[i].name = sv->st.files[i].name;
		sv->files[i].token = sv->st.files[i].token;
		sv->files[i].path = sv->st.files[i].path;
	}
	if (httpd_set_feeds(sv->httpd, sv->files, sv->st.nfiles,
	    &cause) != 0)
		fail_msg("%s", cause);
	snprintf(sv->path, sizeof sv->path, "/feeds/%s/alpha.ics",
	    served(&sv->st, "alpha")->token);
	sv->alpha = slurp(served(&sv->st, "alpha")->path);
}

/* Stops the server. */
static void
server_stop(struct server *sv)
{
	httpd_stop(sv->httpd);
	free(sv->files);
	feed_stats_clear(&sv->st);
	free(sv->alpha);
}

/* GET, the validators, 304 and HEAD. */
static void
test_httpd_feed(void **state)
{
	struct server	 sv;
	struct reply	 r;
	char		*etag, *v, hdr[256];

	server_start(*state, &sv);
	request(sv.port, "GET", sv.path, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body.data, sv.alpha);
	assert_non_null(v = header_value(&r, "Content-Type"));
	assert_string_equal(v, "text/calendar; charset=utf-8");
	free(v);
	assert_non_null(v = header_value(&r, "Cache-Control"));
	assert_string_equal(v, "private, max-age=3600");
	free(v);
	assert_non_null(v = header_value(&r, "Last-Modified"));
	free(v);
	assert_non_null(etag = header_value(&r, "ETag"));
	assert_int_equal(strlen(etag), 66);
	reply_free(&r);
	snprintf(hdr, sizeof hdr, "If-None-Match: \"x\", %s", etag);
	request(sv.port, "GET", sv.path, hdr, &r);
	assert_int_equal(r.status, 304);
	assert_int_equal(r.body.len, 0);
	assert_non_null(v = header_value(&r, "ETag"));
	assert_string_equal(v, etag);
	free(v);
	reply_free(&r);
	request(sv.port, "GET", sv.path, "If-None-Match: \"old\"", &r);
	assert_int_equal(r.status, 200);
	reply_free(&r);
	request(sv.port, "HEAD", sv.path, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.body.len, 0);
	assert_non_null(v = header_value(&r, "Content-Length"));
	assert_int_equal(strtoul(v, NULL, 10), strlen(sv.alpha));
	free(v);
	reply_free(&r);
	free(etag);
	server_stop(&sv);
}

/*
 * One connection carries a client's requests, whatever their answer: a
 * new TCP connection per request costs more than the answer.  A GET that
 * sends a body is still answered.
 */
static void
test_httpd_keepalive(void **state)
{
	struct server	 sv;
	struct reply	 r;
	CURL		*curl;
	char		*etag, *v, hdr[256];
	int		 i;

	server_start(*state, &sv);
	assert_non_null(curl = curl_easy_init());
	request_on(curl, sv.port, "GET", sv.path, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.connects, 1);
	assert_non_null(etag = header_value(&r, "ETag"));
	reply_free(&r);
	snprintf(hdr, sizeof hdr, "If-None-Match: %s", etag);
	for (i = 0; i < 3; i++) {
		request_on(curl, sv.port, "GET", sv.path, hdr, &r);
		assert_int_equal(r.status, 304);
		assert_int_equal(r.connects, 0);
		assert_null(v = header_value(&r, "Connection"));
		reply_free(&r);
	}
	request_on(curl, sv.port, "HEAD", sv.path, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.connects, 0);
	reply_free(&r);
	request_on(curl, sv.port, "GET", "/feeds/x/alpha.ics", NULL, &r);
	assert_int_equal(r.status, 404);
	assert_string_equal(r.body.data, "not found\n");
	assert_int_equal(r.connects, 0);
	reply_free(&r);
	request_on(curl, sv.port, "GET", "/healthz", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.connects, 0);
	reply_free(&r);
	request_on(curl, sv.port, "GET-BODY", sv.path, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body.data, sv.alpha);
	reply_free(&r);
	curl_easy_cleanup(curl);
	free(etag);
	server_stop(&sv);
}

/* GETs a feed by its token and name: 200 with the bytes of its file. */
static void
expect_file_served(const struct server *sv, const struct httpd_feed *f)
{
	struct reply	 r;
	char		 path[512], *bytes;

	snprintf(path, sizeof path, "/feeds/%s/%s.ics", f->token, f->name);
	request(sv->port, "GET", path, NULL, &r);
	assert_int_equal(r.status, 200);
	bytes = slurp(f->path);
	assert_string_equal(r.body.data, bytes);
	free(bytes);
	reply_free(&r);
}

/*
 * Every served file is found by its name and token, whatever its place
 * in the table (set here in reverse order); another name's token is
 * refused.
 */
static void
test_httpd_every_feed(void **state)
{
	struct server		 sv;
	struct httpd_feed	*reversed;
	const struct httpd_feed	*f, *other;
	char			 path[512], *cause = NULL;
	size_t			 i, n;

	server_start(*state, &sv);
	n = sv.st.nfiles;
	reversed = xcalloc(n, sizeof *reversed);
	for (i = 0; i < n; i++)
		reversed[i] = sv.files[n - 1 - i];
	assert_int_equal(httpd_set_feeds(sv.httpd, reversed, n, &cause), 0);
	free(reversed);
	for (i = 0; i < sv.st.nfiles; i++) {
		f = &sv.files[i];
		expect_file_served(&sv, f);
		other = &sv.files[(i + 2) % sv.st.nfiles];
		if (strcmp(other->token, f->token) != 0) {
			snprintf(path, sizeof path, "/feeds/%s/%s.ics",
			    other->token, f->name);
			assert_not_found(sv.port, path);
		}
	}
	server_stop(&sv);
}

/* Request headers: 8,000 bytes are served, 40,000 refused with 431. */
static void
test_httpd_header_limit(void **state)
{
	struct server	 sv;
	struct reply	 r;
	char		*pad;

	server_start(*state, &sv);
	pad = xmalloc(40000 + 1);
	memcpy(pad, "X-Pad: ", 7);
	memset(pad + 7, 'a', 40000 - 7);
	pad[8000] = '\0';
	request(sv.port, "GET", sv.path, pad, &r);
	assert_int_equal(r.status, 200);
	reply_free(&r);
	pad[8000] = 'a';
	pad[40000] = '\0';
	request(sv.port, "GET", sv.path, pad, &r);
	assert_int_equal(r.status, 431);
	reply_free(&r);
	free(pad);
	server_stop(&sv);
}

/* Wrong tokens, unknown names, traversal, other methods, the health. */
static void
test_httpd_errors(void **state)
{
	struct fixture	*fx = *state;
	struct server	 sv;
	struct reply	 r;
	const char	*token;
	char		 path[512], *v;

	server_start(fx, &sv);
	token = served(&sv.st, "alpha")->token;
	assert_not_found(sv.port, "/feeds/0123456789abcdef0123456789abcdef/"
	    "alpha.ics");
	snprintf(path, sizeof path, "/feeds/%s/beta.ics", token);
	assert_not_found(sv.port, path);	/* another feed's token */
	snprintf(path, sizeof path, "/feeds/%s/nobody.ics", token);
	assert_not_found(sv.port, path);
	snprintf(path, sizeof path, "/feeds/%s/../alpha.ics", token);
	assert_not_found(sv.port, path);
	snprintf(path, sizeof path, "/feeds/%s%%2falpha.ics", token);
	assert_not_found(sv.port, path);
	snprintf(path, sizeof path, "/feeds/%s/alpha.ics%%00.txt", token);
	assert_not_found(sv.port, path);
	snprintf(path, sizeof path, "/feeds/%s/..%%2f..%%2fetc%%2fpasswd",
	    token);
	assert_not_found(sv.port, path);
	assert_not_found(sv.port, "/");
	assert_not_found(sv.port, "/feeds/");
	memset(path, 'a', 400);
	memcpy(path, "/feeds/", 7);
	strcpy(path + 400, ".ics");
	assert_not_found(sv.port, path);
	request(sv.port, "POST", sv.path, NULL, &r);
	assert_int_equal(r.status, 405);
	assert_non_null(v = header_value(&r, "Allow"));
	assert_string_equal(v, "GET, HEAD");
	free(v);
	reply_free(&r);
	/* Without a health token, the details are never shown. */
	httpd_set_health(sv.httpd, "{\"last_pass\": 1714521600}");
	request(sv.port, "GET", "/healthz", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body.data, "{\"status\":\"ok\"}");
	assert_non_null(v = header_value(&r, "Content-Type"));
	assert_string_equal(v, "application/json");
	free(v);
	reply_free(&r);
	snprintf(path, sizeof path, "%s?kind=todo", sv.path);
	request(sv.port, "GET", path, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.data, "BEGIN:VTODO"));
	reply_free(&r);
	server_stop(&sv);
}

/* A new table replaces the old one whole. */
static void
test_httpd_swap(void **state)
{
	struct fixture		*fx = *state;
	struct server		 sv;
	struct httpd_feed	 f;
	struct reply		 r;
	char			*etag, *v, *cause = NULL;

	server_start(fx, &sv);
	request(sv.port, "GET", sv.path, NULL, &r);
	assert_non_null(etag = header_value(&r, "ETag"));
	reply_free(&r);
	memset(&f, 0, sizeof f);
	f.name = "alpha";
	f.token = served(&sv.st, "alpha")->token;
	f.data = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n";
	f.len = strlen(f.data);
	f.mtime = STAMP;
	assert_int_equal(httpd_set_feeds(sv.httpd, &f, 1, &cause), 0);
	request(sv.port, "GET", sv.path, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body.data, f.data);
	assert_non_null(v = header_value(&r, "ETag"));
	assert_string_not_equal(v, etag);
	free(v);
	assert_non_null(v = header_value(&r, "Last-Modified"));
	assert_string_equal(v, "Wed, 01 May 2024 00:00:00 GMT");
	free(v);
	reply_free(&r);
	/* The todo file is gone from the table. */
	assert_not_found(sv.port, "/feeds/x/alpha-todo.ics");
	f.path = "/nonexistent/alpha.ics";
	f.data = NULL;
	assert_int_equal(httpd_set_feeds(sv.httpd, &f, 1, &cause), -1);
	free(cause);
	free(etag);
	server_stop(&sv);
}

#define BIG_FEED	(8 * 1024 * 1024)

/* Connects to the server with a small receive buffer; the socket. */
static int
slow_client(int port)
{
	struct sockaddr_in	sin;
	int			s, small = 4096;

	assert_true((s = socket(AF_INET, SOCK_STREAM, 0)) != -1);
	setsockopt(s, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(s, (struct sockaddr *)&sin, sizeof sin), 0);
	return (s);
}

/*
 * A response being sent keeps its bytes when the table is swapped (and
 * the entry that made it freed): the client reads the whole old feed.
 */
static void
test_httpd_swap_while_sending(void **state)
{
	struct fixture		*fx = *state;
	struct server		 sv;
	struct httpd_feed	 f;
	struct buf		 got;
	char			*big, chunk[65536], *cause = NULL, *body;
	ssize_t			 n;
	size_t			 i;
	int			 s;

	server_start(fx, &sv);
	big = xmalloc(BIG_FEED);
	for (i = 0; i < BIG_FEED; i++)
		big[i] = "0123456789abcdefghijklmnopqrstuvwxyz\r\n"[i % 38];
	memset(&f, 0, sizeof f);
	f.name = "alpha";
	f.token = served(&sv.st, "alpha")->token;
	f.data = big;
	f.len = BIG_FEED;
	f.mtime = STAMP;
	assert_int_equal(httpd_set_feeds(sv.httpd, &f, 1, &cause), 0);
	s = slow_client(sv.port);
	n = snprintf(chunk, sizeof chunk, "GET %s HTTP/1.1\r\nHost: x\r\n"
	    "Connection: close\r\n\r\n", sv.path);
	assert_int_equal(write(s, chunk, (size_t)n), n);
	buf_init(&got);
	assert_true((n = read(s, chunk, 100)) > 0);
	buf_add(&got, chunk, (size_t)n);
	/* The response is queued: swap the table under it. */
	f.data = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n";
	f.len = strlen(f.data);
	assert_int_equal(httpd_set_feeds(sv.httpd, &f, 1, &cause), 0);
	while ((n = read(s, chunk, sizeof chunk)) > 0)
		buf_add(&got, chunk, (size_t)n);
	close(s);
	buf_add(&got, "", 1);
	assert_non_null(body = strstr(got.data, "\r\n\r\n"));
	body += 4;
	assert_int_equal(got.len - 1 - (size_t)(body - got.data), BIG_FEED);
	assert_memory_equal(body, big, BIG_FEED);
	buf_free(&got);
	free(big);
	server_stop(&sv);
}

#define CLIENTS		50
#define PER_CLIENT	4

/* What one client thread did. */
struct client {
	const struct server	*sv;
	int			 ok;
};

/* Fetches the feed PER_CLIENT times; counts the right answers. */
static void *
client_run(void *arg)
{
	struct client	*c = arg;
	struct reply	 r;
	int		 i;

	for (i = 0; i < PER_CLIENT; i++) {
		request(c->sv->port, "GET", c->sv->path, NULL, &r);
		if (r.status == 200 && strcmp(r.body.data, c->sv->alpha) == 0)
			c->ok++;
		reply_free(&r);
	}
	return (NULL);
}

/* 200 requests from 50 threads all succeed. */
static void
test_httpd_concurrent(void **state)
{
	struct server	 sv;
	struct client	 c[CLIENTS];
	pthread_t	 t[CLIENTS];
	int		 i, ok = 0;

	server_start(*state, &sv);
	for (i = 0; i < CLIENTS; i++) {
		c[i].sv = &sv;
		c[i].ok = 0;
		assert_int_equal(pthread_create(&t[i], NULL, client_run, &c[i]),
		    0);
	}
	for (i = 0; i < CLIENTS; i++) {
		pthread_join(t[i], NULL);
		ok += c[i].ok;
	}
	assert_int_equal(ok, CLIENTS * PER_CLIENT);
	server_stop(&sv);
}

/* A listen address that cannot be used is refused with a reason. */
static void
test_httpd_bad_listen(void **state)
{
	struct fixture	*fx = *state;
	char		*cause = NULL;

	free(fx->cf->http_listen);
	fx->cf->http_listen = xstrdup("127.0.0.1");
	assert_null(httpd_start(fx->cf, &cause));
	assert_non_null(strstr(cause, "HOST:PORT"));
	free(cause);
	cause = NULL;
	free(fx->cf->http_listen);
	fx->cf->http_listen = xstrdup("localhost:8087");
	assert_null(httpd_start(fx->cf, &cause));
	free(cause);
}

/* Writes a big feed file of n bytes, filled with c; returns its path. */
static char *
big_file(const struct fixture *fx, const char *name, size_t n, char c)
{
	char	*path, *bytes;
	FILE	*f;

	xasprintf(&path, "%s/%s", scratch_dir, name);
	bytes = xmalloc(n);
	memset(bytes, c, n);
	memcpy(bytes, "BEGIN:VCALENDAR\r\n", 17);
	assert_non_null(f = fopen(path, "wb"));
	assert_int_equal(fwrite(bytes, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
	free(bytes);
	return (path);
}

/* The quoted SHA-256 of a file as sha256sum(1) computes it. */
static char *
sha256_etag(const char *path)
{
	char	 cmd[512], hex[65], *etag;
	FILE	*p;

	snprintf(cmd, sizeof cmd, "sha256sum '%s'", path);
	assert_non_null(p = popen(cmd, "r"));
	assert_int_equal(fscanf(p, "%64s", hex), 1);
	assert_int_equal(pclose(p), 0);
	xasprintf(&etag, "\"%s\"", hex);
	return (etag);
}

/*
 * A feed over the in-memory limit is sent from its file: every byte, its
 * ETag the file's SHA-256, 304 on a match, identity even when gzip is
 * accepted; replaced on disk and set again, the new bytes and ETag.
 */
static void
test_httpd_large(void **state)
{
	struct fixture		*fx = *state;
	struct httpd		*h;
	struct httpd_feed	 f;
	struct reply		 r;
	const char		*token = "0123456789abcdef0123456789abcdef";
	char			*cause = NULL, *path, *next, *etag, *v, hdr[256];
	char			 url[128];
	size_t			 n = 3 * 1024 * 1024 + 7;
	int			 port;

	path = big_file(fx, "big.ics", n, 'x');
	memset(&f, 0, sizeof f);
	f.name = "big";
	f.token = token;
	f.path = path;
	if ((h = httpd_start(fx->cf, &cause)) == NULL)
		fail_msg("%s", cause);
	port = httpd_port(h);
	if (httpd_set_feeds(h, &f, 1, &cause) != 0)
		fail_msg("%s", cause);
	snprintf(url, sizeof url, "/feeds/%s/big.ics", token);
	request(port, "GET", url, "Accept-Encoding: gzip", &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.body.len, n);
	assert_memory_equal(r.body.data, "BEGIN:VCALENDAR\r\nxxx", 20);
	assert_int_equal(r.body.data[n - 1], 'x');
	assert_null(v = header_value(&r, "Content-Encoding"));
	assert_non_null(v = header_value(&r, "ETag"));
	etag = sha256_etag(path);
	assert_string_equal(v, etag);
	free(v);
	reply_free(&r);
	snprintf(hdr, sizeof hdr, "If-None-Match: %s", etag);
	request(port, "GET", url, hdr, &r);
	assert_int_equal(r.status, 304);
	reply_free(&r);

	/* The same file set again: the same ETag, not hashed again. */
	if (httpd_set_feeds(h, &f, 1, &cause) != 0)
		fail_msg("%s", cause);
	request(port, "GET", url, hdr, &r);
	assert_int_equal(r.status, 304);
	reply_free(&r);

	/* Replaced by rename: the new bytes once set. */
	next = big_file(fx, "big.next", n + 1, 'y');
	assert_int_equal(rename(next, path), 0);
	free(next);
	if (httpd_set_feeds(h, &f, 1, &cause) != 0)
		fail_msg("%s", cause);
	request(port, "GET", url, hdr, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.body.len, n + 1);
	assert_int_equal(r.body.data[n], 'y');
	assert_non_null(v = header_value(&r, "ETag"));
	free(etag);
	etag = sha256_etag(path);
	assert_string_equal(v, etag);
	free(v);
	reply_free(&r);
	free(etag);
	httpd_stop(h);
	free(path);
}

/*
 * A feed sent from its file and being sent keeps its bytes when the file
 * is replaced and the table swapped (the entry's descriptor closed): each
 * response has a descriptor of its own.
 */
static void
test_httpd_large_swap_while_sending(void **state)
{
	struct fixture		*fx = *state;
	struct httpd		*h;
	struct httpd_feed	 f;
	struct buf		 got;
	const char		*token = "0123456789abcdef0123456789abcdef";
	char			*cause = NULL, *path, *next, *body;
	char			 chunk[65536];
	size_t			 n = 3 * 1024 * 1024 + 7, i;
	ssize_t			 k;
	int			 s;

	path = big_file(fx, "big.ics", n, 'x');
	memset(&f, 0, sizeof f);
	f.name = "big";
	f.token = token;
	f.path = path;
	if ((h = httpd_start(fx->cf, &cause)) == NULL)
		fail_msg("%s", cause);
	if (httpd_set_feeds(h, &f, 1, &cause) != 0)
		fail_msg("%s", cause);
	s = slow_client(httpd_port(h));
	k = snprintf(chunk, sizeof chunk, "GET /feeds/%s/big.ics HTTP/1.1\r\n"
	    "Host: x\r\nConnection: close\r\n\r\n", token);
	assert_int_equal(write(s, chunk, (size_t)k), k);
	buf_init(&got);
	assert_true((k = read(s, chunk, 100)) > 0);
	buf_add(&got, chunk, (size_t)k);
	next = big_file(fx, "big.next", n + 1, 'y');
	assert_int_equal(rename(next, path), 0);
	free(next);
	if (httpd_set_feeds(h, &f, 1, &cause) != 0)
		fail_msg("%s", cause);
	while ((k = read(s, chunk, sizeof chunk)) > 0)
		buf_add(&got, chunk, (size_t)k);
	close(s);
	buf_add(&got, "", 1);
	assert_non_null(body = strstr(got.data, "\r\n\r\n"));
	body += 4;
	assert_int_equal(got.len - 1 - (size_t)(body - got.data), n);
	for (i = 17; i < n && body[i] == 'x'; i++)
		;
	assert_int_equal(i, n);
	buf_free(&got);
	httpd_stop(h);
	free(path);
}

/*
 * Set again, the feeds whose files did not change are served as they
 * were (their entries are kept), whether the table is replaced whole (the
 * names changed) or entry by entry; a file replaced is read again.
 */
static void
test_httpd_keep(void **state)
{
	struct fixture		*fx = *state;
	struct server		 sv;
	struct reply		 r;
	const char		*fresh = "BEGIN:VCALENDAR\r\nX-NEW:1\r\n"
				    "END:VCALENDAR\r\n";
	const struct httpd_feed	*file;
	char			*etag, *v, *cause = NULL, *tmp;
	char			 hdr[256], path[512];
	FILE			*f;
	size_t			 n;
	int			 i;

	server_start(fx, &sv);
	request(sv.port, "GET", sv.path, NULL, &r);
	assert_non_null(etag = header_value(&r, "ETag"));
	reply_free(&r);
	for (i = 0; i < 2; i++) {
		if (httpd_set_feeds(sv.httpd, sv.files, sv.st.nfiles,
		    &cause) != 0)
			fail_msg("%s", cause);
	}
	request(sv.port, "GET", sv.path, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body.data, sv.alpha);
	assert_non_null(v = header_value(&r, "ETag"));
	assert_string_equal(v, etag);
	free(v);
	reply_free(&r);
	snprintf(hdr, sizeof hdr, "If-None-Match: %s", etag);
	request(sv.port, "GET", sv.path, hdr, &r);
	assert_int_equal(r.status, 304);
	reply_free(&r);

	/* A feed fewer, then back: new tables, the other entries kept. */
	file = &sv.files[0];
	assert_string_not_equal(file->name, "alpha");
	if (httpd_set_feeds(sv.httpd, sv.files + 1, sv.st.nfiles - 1,
	    &cause) != 0)
		fail_msg("%s", cause);
	snprintf(path, sizeof path, "/feeds/%s/%s.ics", file->token,
	    file->name);
	assert_not_found(sv.port, path);
	request(sv.port, "GET", sv.path, hdr, &r);
	assert_int_equal(r.status, 304);
	reply_free(&r);
	if (httpd_set_feeds(sv.httpd, sv.files, sv.st.nfiles, &cause) != 0)
		fail_msg("%s", cause);

	/* alpha replaced by rename: its new bytes; the others as they were. */
	xasprintf(&tmp, "%s.new", served(&sv.st, "alpha")->path);
	assert_non_null(f = fopen(tmp, "wb"));
	assert_true(fputs(fresh, f) >= 0);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(rename(tmp, served(&sv.st, "alpha")->path), 0);
	free(tmp);
	if (httpd_set_feeds(sv.httpd, sv.files, sv.st.nfiles, &cause) != 0)
		fail_msg("%s", cause);
	request(sv.port, "GET", sv.path, hdr, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body.data, fresh);
	reply_free(&r);
	for (n = 0; n < sv.st.nfiles; n++)
		expect_file_served(&sv, &sv.files[n]);
	free(etag);
	server_stop(&sv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_one_off, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recurring, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_done, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_due, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_due_late, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_rule_change, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_group_and_all, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_libical, setup, teardown),
		cmocka_unit_test_setup_teardown(test_todo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_event_url, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_alarm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_uid_domain, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_uid_domain_loopback, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_write_all, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_write_changed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_write_changed_member,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_signature, setup,
		    teardown),
		cmocka_unit_test(test_route),
		cmocka_unit_test_setup_teardown(test_httpd_feed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_httpd_keepalive, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_httpd_every_feed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_httpd_header_limit, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_httpd_errors, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_httpd_swap, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_httpd_swap_while_sending,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_httpd_concurrent, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_httpd_bad_listen, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_httpd_large_swap_while_sending, setup, teardown),
		cmocka_unit_test_setup_teardown(test_httpd_keep, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_httpd_large, setup,
		    teardown),
	};
	int	failed;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	failed = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return (failed);
}
