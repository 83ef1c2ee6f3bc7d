/*
 * Tests for ics.c: exact lines written by hand, CRLF and folding on UTF-8
 * boundaries, a libical re-parse with its RFC 5546 restrictions, and an
 * independent reading by python3-icalendar and
 * python3-recurring-ical-events (tests/tools/ics_check.py) compared with
 * dates worked out by hand.
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
#include <jansson.h>
#include <libical/ical.h>

#include "date.h"
#include "ics.h"
#include "xmalloc.h"

#define PYTHON		"/usr/bin/python3"
#define STAMP		1718000000	/* 2024-06-10T06:13:20Z */
#define QUARTERLY	"FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=30"
#define LAST_DAY	"FREQ=MONTHLY;BYMONTHDAY=-1"
#define FEED_NAME	"UBND xã Phước Hòa, huyện Tuy Phước; tỉnh Bình Định"
#define SUMMARY_Q	"Báo cáo CCHC quý, gửi Phòng Nội vụ; bản \\ giấy\n" \
			"và bản điện tử"
#define DESCRIPTION_Q	"Đơn vị chủ trì: UBND xã Phước Hòa, phối hợp: " \
			"Văn phòng HĐND và UBND huyện; hạn chót theo Kế " \
			"hoạch số 12/KH-UBND\nGhi chú: gửi qua hệ thống " \
			"quản lý văn bản \\ điều hành"

static int	python_missing;
static int	python_skipped;

static struct ics_instance	quarter_instances[3];

/* The events of the small feed every test renders. */
static void
small_events(struct ics_event ev[3])
{
	memset(ev, 0, 3 * sizeof *ev);
	memset(quarter_instances, 0, sizeof quarter_instances);
	/* 2024-03-30 (Saturday) moved to Monday 2024-04-01, overdue. */
	quarter_instances[0].nominal = date_from_ymd(2024, 3, 30);
	quarter_instances[0].effective = date_from_ymd(2024, 4, 1);
	quarter_instances[0].overdue = 1;
	/* 2024-06-30 (Sunday) moved to Monday 2024-07-01. */
	quarter_instances[1].nominal = date_from_ymd(2024, 6, 30);
	quarter_instances[1].effective = date_from_ymd(2024, 7, 1);
	/* 2024-09-30 (Monday) done. */
	quarter_instances[2].nominal = date_from_ymd(2024, 9, 30);
	quarter_instances[2].effective = date_from_ymd(2024, 9, 30);
	quarter_instances[2].done = 1;
	ev[0].uid = "quy-cchc-1@phuochoa.example.gov.vn";
	ev[0].summary = SUMMARY_Q;
	ev[0].description = DESCRIPTION_Q;
	ev[0].categories = "Cải cách hành chính, Phòng Nội vụ";
	ev[0].start = date_from_ymd(2024, 3, 30);
	ev[0].rrule = QUARTERLY;
	ev[0].until = date_from_ymd(2024, 12, 30);
	ev[0].sequence = 3;
	ev[0].last_modified = STAMP - 86400;
	ev[0].instances = quarter_instances;
	ev[0].ninstances = 3;
	ev[1].uid = "thang-2@phuochoa.example.gov.vn";
	ev[1].summary = "Báo cáo tháng";
	ev[1].start = date_from_ymd(2024, 1, 31);
	ev[1].rrule = LAST_DAY;
	ev[1].until = date_from_ymd(2024, 12, 31);
	ev[2].uid = "mot-lan-3@phuochoa.example.gov.vn";
	ev[2].summary = "Tự kiểm tra CCHC năm 2024";
	ev[2].location = "Hội trường UBND xã";
	ev[2].start = date_from_ymd(2024, 5, 31);
	ev[2].until = DATE_NONE;
	ev[2].sequence = 1;
	ev[2].overdue = 1;
}

/* The feed around the small events. */
static void
small_feed(struct ics_feed *feed, const struct ics_event *ev, int todo)
{
	memset(feed, 0, sizeof *feed);
	feed->name = FEED_NAME;
	feed->timezone = "Asia/Ho_Chi_Minh";
	feed->organizer = "mailto:noivu@tuyphuoc.example.gov.vn";
	feed->organizer_name = "Phòng Nội vụ huyện Tuy Phước";
	feed->refresh_minutes = 60;
	feed->dtstamp = STAMP;
	feed->todo = todo;
	feed->horizon = DATE_NONE;
	feed->events = ev;
	feed->n = 3;
}

/* Renders the small feed; caller frees. */
static char *
render_small(int todo, size_t *len)
{
	struct ics_event	 ev[3];
	struct ics_feed		 feed;
	char			*cause = NULL, *text;

	small_events(ev);
	small_feed(&feed, ev, todo);
	text = ics_render(&feed, len, &cause);
	if (text == NULL)
		fail_msg("ics_render: %s", cause);
	return (text);
}

/* The text with folded lines joined again (RFC 5545 3.1); caller frees. */
static char *
unfold(const char *s)
{
	struct buf	b;

	buf_init(&b);
	for (; *s != '\0'; s++) {
		if (s[0] == '\r' && s[1] == '\n' &&
		    (s[2] == ' ' || s[2] == '\t'))
			s += 2;
		else
			buf_addc(&b, *s);
	}
	return (buf_steal(&b));
}

/* How many times needle occurs in s. */
static int
count(const char *s, const char *needle)
{
	int	n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s += strlen(needle);
	}
	return (n);
}

/* Whether s[0..len) is valid UTF-8 (no overlongs, no surrogates). */
static int
valid_utf8(const unsigned char *s, size_t len)
{
	size_t		i = 0, n, k;
	uint32_t	c;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		n = s[i] >= 0xf0 ? 4 : s[i] >= 0xe0 ? 3 : s[i] >= 0xc2 ? 2 : 0;
		if (n == 0 || s[i] > 0xf4 || i + n > len)
			return (0);
		c = s[i] & (0x7f >> n);
		for (k = 1; k < n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return (0);
			c = (c << 6) | (s[i + k] & 0x3f);
		}
		if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
		    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
			return (0);
		i += n;
	}
	return (1);
}

/*
 * Checks the physical lines: each ends in CRLF, has no other CR or LF, is
 * at most 75 octets and is valid UTF-8 on its own (no fold inside a
 * character).  Returns the number of lines.
 */
static int
check_lines(const char *text, size_t len)
{
	const char	*p = text, *end = text + len, *eol;
	size_t		 n;
	int		 lines = 0;

	assert_true(len >= 2);
	assert_memory_equal(end - 2, "\r\n", 2);
	while (p < end) {
		eol = memchr(p, '\n', (size_t)(end - p));
		assert_non_null(eol);
		assert_true(eol > p && eol[-1] == '\r');
		n = (size_t)(eol - 1 - p);
		assert_null(memchr(p, '\r', n));
		if (n > 75)
			fail_msg("line of %zu octets: %.*s", n, (int)n, p);
		if (!valid_utf8((const unsigned char *)p, n))
			fail_msg("line splits a character: %.*s", (int)n, p);
		p = eol + 1;
		lines++;
	}
	return (lines);
}

/* Exact lines of the small VEVENT feed, written by hand. */
static void
test_exact_lines(void **state)
{
	static const char	*head = "BEGIN:VCALENDAR\r\n"
	    "PRODID:-//deadlined//deadlined 0.1//VI\r\n"
	    "VERSION:2.0\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n";
	char			*text, *flat;
	size_t			 len;

	text = render_small(0, &len);
	assert_int_equal(strlen(text), len);
	flat = unfold(text);
	assert_true(strncmp(flat, head, strlen(head)) == 0);
	assert_non_null(strstr(flat, "\r\nX-WR-CALNAME:UBND xã Phước Hòa\\, "
	    "huyện Tuy Phước\\; tỉnh Bình Định\r\n"));
	assert_non_null(strstr(flat, "\r\nX-WR-TIMEZONE:Asia/Ho_Chi_Minh\r\n"));
	assert_non_null(strstr(flat,
	    "\r\nREFRESH-INTERVAL;VALUE=DURATION:PT60M\r\n"));
	assert_non_null(strstr(flat, "\r\nX-PUBLISHED-TTL:PT60M\r\n"));
	/* One master and three overrides, one master, one one-off. */
	assert_int_equal(count(flat, "BEGIN:VEVENT\r\n"), 6);
	assert_int_equal(count(flat, "END:VEVENT\r\n"), 6);
	assert_int_equal(count(flat,
	    "\r\nUID:quy-cchc-1@phuochoa.example.gov.vn\r\n"), 4);
	assert_int_equal(count(flat, "\r\nDTSTAMP:20240610T061320Z\r\n"), 6);
	assert_int_equal(count(flat, "\r\nLAST-MODIFIED:20240609T061320Z\r\n"),
	    4);
	assert_int_equal(count(flat, "\r\nSEQUENCE:3\r\n"), 4);
	assert_int_equal(count(flat, "\r\nSEQUENCE:0\r\n"), 1);
	assert_int_equal(count(flat, "\r\nSEQUENCE:1\r\n"), 1);
	assert_int_equal(count(flat, "\r\nSTATUS:CONFIRMED\r\n"), 6);
	assert_int_equal(count(flat, "\r\nTRANSP:TRANSPARENT\r\n"), 6);
	assert_int_equal(count(flat, "\r\nORGANIZER;CN=Phòng Nội vụ huyện Tuy "
	    "Phước:mailto:noivu@tuyphuoc.example.gov.vn\r\n"), 6);
	assert_non_null(strstr(flat, "\r\nDTSTART;VALUE=DATE:20240330\r\n"
	    "DTEND;VALUE=DATE:20240331\r\n"));
	assert_non_null(strstr(flat, "\r\nDTSTART;VALUE=DATE:20240401\r\n"
	    "DTEND;VALUE=DATE:20240402\r\n"));
	assert_non_null(strstr(flat, "\r\nDTSTART;VALUE=DATE:20240131\r\n"
	    "DTEND;VALUE=DATE:20240201\r\n"));
	assert_non_null(strstr(flat, "\r\nDTSTART;VALUE=DATE:20240531\r\n"
	    "DTEND;VALUE=DATE:20240601\r\n"));
	assert_non_null(strstr(flat,
	    "\r\nRECURRENCE-ID;VALUE=DATE:20240330\r\n"));
	assert_non_null(strstr(flat,
	    "\r\nRECURRENCE-ID;VALUE=DATE:20240630\r\n"));
	assert_non_null(strstr(flat,
	    "\r\nRECURRENCE-ID;VALUE=DATE:20240930\r\n"));
	assert_non_null(strstr(flat, "\r\nRRULE:FREQ=MONTHLY;UNTIL=20241230;"
	    "BYMONTHDAY=30;BYMONTH=3,6,9,12\r\n"));
	assert_non_null(strstr(flat, "\r\nRRULE:FREQ=MONTHLY;UNTIL=20241231;"
	    "BYMONTHDAY=-1\r\n"));
	assert_non_null(strstr(flat, "\r\nSUMMARY:[Quá hạn] Tự kiểm tra CCHC "
	    "năm 2024\r\n"));
	assert_non_null(strstr(flat, "\r\nLOCATION:Hội trường UBND xã\r\n"));
	assert_non_null(strstr(flat, "\r\nCATEGORIES:Cải cách hành chính,"
	    "Phòng Nội vụ\r\n"));
	assert_null(strstr(flat, "TZID"));
	assert_null(strstr(flat, "X-LIC-ERROR"));
	assert_true(len > 15 &&
	    strcmp(text + len - 15, "END:VCALENDAR\r\n") == 0);
	free(flat);
	free(text);
}

/* Commas, semicolons, backslashes and newlines are escaped in TEXT. */
static void
test_escaping(void **state)
{
	char	*text, *flat;
	size_t	 len;

	text = render_small(0, &len);
	flat = unfold(text);
	assert_int_equal(count(flat, "\r\nSUMMARY:Báo cáo CCHC quý\\, gửi "
	    "Phòng Nội vụ\\; bản \\\\ giấy\\nvà bản điện tử\r\n"), 2);
	assert_int_equal(count(flat, "\r\nSUMMARY:[Quá hạn] Báo cáo CCHC "
	    "quý\\, gửi Phòng Nội vụ\\; bản \\\\ giấy\\nvà bản điện "
	    "tử\r\n"), 1);
	assert_int_equal(count(flat, "\r\nSUMMARY:[Đã xong] Báo cáo CCHC "
	    "quý\\, gửi Phòng Nội vụ\\; bản \\\\ giấy\\nvà bản điện "
	    "tử\r\n"), 1);
	assert_int_equal(count(flat, "\r\nDESCRIPTION:Đơn vị chủ trì: UBND xã "
	    "Phước Hòa\\, phối hợp: Văn phòng HĐND và UBND huyện\\; hạn chót "
	    "theo Kế hoạch số 12/KH-UBND\\nGhi chú: gửi qua hệ thống quản lý "
	    "văn bản \\\\ điều hành\r\n"), 4);
	free(flat);
	free(text);
}

/* The same input renders to the same bytes; a later DTSTAMP only moves it. */
static void
test_stable(void **state)
{
	struct ics_event	 ev[3];
	struct ics_feed		 feed;
	char			*a, *b, *c, *cause = NULL;
	size_t			 alen, blen, clen;

	small_events(ev);
	small_feed(&feed, ev, 0);
	a = ics_render(&feed, &alen, &cause);
	b = ics_render(&feed, &blen, &cause);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(alen, blen);
	assert_memory_equal(a, b, alen);
	feed.dtstamp = STAMP + 3600;
	c = ics_render(&feed, &clen, &cause);
	assert_non_null(c);
	assert_int_equal(clen, alen);
	assert_int_equal(count(c, "DTSTAMP:20240610T071320Z\r\n"), 6);
	assert_int_equal(count(c, "UID:quy-cchc-1@phuochoa.example.gov.vn\r\n"),
	    4);
	free(a);
	free(b);
	free(c);
}

/*
 * Folding: long texts of 1- to 4-octet characters at every offset against
 * the 75-octet limit, and escapes next to it.
 */
static void
test_folding(void **state)
{
	static const char	*pieces[] = { "a", "đ", "ễ", "𝄞", "\\", ",",
	    "\n", ";", " ", "Ư" };
	struct ics_event	 ev[3];
	struct ics_feed		 feed;
	struct buf		 summary;
	char			*text, *cause = NULL;
	size_t			 len, i, k, lines = 0;

	small_events(ev);
	small_feed(&feed, ev, 0);
	for (i = 0; i < 160; i++) {
		buf_init(&summary);
		for (k = 0; k < i; k++)
			buf_adds(&summary, "x");
		for (k = 0; k < 120; k++)
			buf_adds(&summary, pieces[(k * (i % 7 + 1) + i) %
			    (sizeof pieces / sizeof pieces[0])]);
		ev[2].summary = summary.data;
		ev[2].description = summary.data + i / 2;
		feed.name = summary.data + i / 3;
		text = ics_render(&feed, &len, &cause);
		assert_non_null(text);
		lines += (size_t)check_lines(text, len);
		free(text);
		buf_free(&summary);
	}
	assert_true(lines > 160 * 20);
}

/* Every property of a component tree that is an X-LIC-ERROR. */
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

/* libical reads the feed back without errors and within RFC 5546. */
static void
reparse(int todo, icalcomponent_kind kind, int expected)
{
	icalcomponent	*cal, *c;
	char		*text;
	size_t		 len;
	int		 n = 0;

	text = render_small(todo, &len);
	cal = icalparser_parse_string(text);
	assert_non_null(cal);
	assert_int_equal(icalcomponent_isa(cal), ICAL_VCALENDAR_COMPONENT);
	assert_int_equal(lic_errors(cal), 0);
	assert_int_equal(icalrestriction_check(cal), 1);
	assert_int_equal(lic_errors(cal), 0);
	for (c = icalcomponent_get_first_component(cal, kind); c != NULL;
	    c = icalcomponent_get_next_component(cal, kind)) {
		if (kind == ICAL_VEVENT_COMPONENT)
			assert_true(icalcomponent_get_dtstart(c).is_date);
		else
			assert_true(icalcomponent_get_due(c).is_date);
		n++;
	}
	assert_int_equal(n, expected);
	icalcomponent_free(cal);
	free(text);
}

/* libical reads a feed back without errors and within RFC 5546. */
static void
reparse_text_ok(const struct ics_feed *feed)
{
	icalcomponent	*cal;
	char		*text, *cause = NULL;
	size_t		 len;

	assert_non_null(text = ics_render(feed, &len, &cause));
	assert_non_null(cal = icalparser_parse_string(text));
	assert_int_equal(lic_errors(cal), 0);
	assert_int_equal(icalrestriction_check(cal), 1);
	assert_int_equal(lic_errors(cal), 0);
	icalcomponent_free(cal);
	free(text);
}

/* libical re-parse of the VEVENT feed and of the VTODO feed. */
static void
test_libical_reparse(void **state)
{
	reparse(0, ICAL_VEVENT_COMPONENT, 6);
	/* 4 quarters, 12 month ends, 1 one-off. */
	reparse(1, ICAL_VTODO_COMPONENT, 17);
}

/*
 * URL on the event and on an override (its own, or the event's), and a
 * VALARM three days before each component still to do: the master and the
 * moved 30/6 instance; not the overdue or done ones.
 */
static void
test_url_alarm(void **state)
{
	struct ics_event	 ev[3];
	struct ics_feed		 feed;
	char			*text, *flat, *cause = NULL;
	size_t			 len;

	small_events(ev);
	small_feed(&feed, ev, 0);
	ev[0].url = "https://lich.example.gov.vn/phuochoa/viec/quy-cchc-1/"
	    "chi-tiet-theo-doi-tien-do";
	quarter_instances[0].url = "https://lich.example.gov.vn/done/abc.def";
	feed.alarm_days = 3;
	assert_non_null(text = ics_render(&feed, &len, &cause));
	check_lines(text, len);
	flat = unfold(text);
	assert_int_equal(count(flat, "\r\nURL:https://lich.example.gov.vn/"
	    "phuochoa/viec/quy-cchc-1/chi-tiet-theo-doi-tien-do\r\n"), 3);
	assert_int_equal(count(flat, "\r\nURL:https://lich.example.gov.vn/"
	    "done/abc.def\r\n"), 1);
	assert_int_equal(count(flat, "\r\nURL:"), 4);
	/* Master, 30/6 moved; the monthly event: 3 alarms. */
	assert_int_equal(count(flat, "BEGIN:VALARM\r\nACTION:DISPLAY\r\n"
	    "DESCRIPTION:Báo cáo CCHC quý\\, gửi Phòng Nội vụ\\; bản \\\\ "
	    "giấy\\nvà bản điện tử\r\nTRIGGER:-P3D\r\nEND:VALARM\r\n"
	    "END:VEVENT\r\n"), 2);
	assert_int_equal(count(flat, "BEGIN:VALARM\r\n"), 3);
	free(flat);
	free(text);
	reparse_text_ok(&feed);
}

/* Bad input is refused with a cause, never rendered half. */
static void
test_errors(void **state)
{
	struct ics_event	 ev[3];
	struct ics_feed		 feed;
	char			*cause;
	size_t			 i;

	for (i = 0; i < 13; i++) {
		small_events(ev);
		small_feed(&feed, ev, i == 7);
		switch (i) {
		case 0:
			ev[2].summary = "h\xe1\xbb";	/* truncated UTF-8 */
			break;
		case 1:
			ev[0].rrule = "FREQ=SOMETIMES";
			break;
		case 2:
			ev[0].until = date_from_ymd(2024, 1, 1);
			break;
		case 3:
			ev[0].rrule = QUARTERLY ";COUNT=4";
			break;
		case 4:
			ev[1].uid = "";
			break;
		case 5:
			feed.refresh_minutes = 0;
			break;
		case 6:
			ev[0].start = date_from_ymd(2024, 3, 29);
			break;
		case 7:
			ev[1].rrule = "FREQ=HOURLY";
			break;
		case 8:
			/* ical.js would show 39 events a year. */
			ev[1].rrule = "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;"
			    "BYSETPOS=-1";
			break;
		case 9:
			/* A URL is written unescaped: no space, no CR LF. */
			ev[2].url = "https://lich.example.gov.vn/done/a b";
			break;
		case 10:
			quarter_instances[1].url =
			    "https://lich.example.gov.vn/done/a\r\nX-EVIL:1";
			break;
		case 11:
			ev[2].url = "";
			break;
		case 12:
			feed.alarm_days = ICS_MAX_ALARM_DAYS + 1;
			break;
		}
		cause = NULL;
		assert_null(ics_render(&feed, NULL, &cause));
		assert_non_null(cause);
		assert_true(*cause != '\0');
		free(cause);
	}
}

/*
 * Rules in the form every client expands alike: the clamps of rule.c
 * ("day N or the month's last") become BYMONTHDAY=-1 or N where that is
 * the same in every month the rule has, and none otherwise.
 */
static void
test_portable_rule(void **state)
{
	static const struct {
		const char	*rule;
		const char	*want;		/* NULL: none */
	} cases[] = {
		{ "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1",
		    "FREQ=MONTHLY;BYMONTHDAY=-1" },
		{ "FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=28,29,30,31;"
		    "BYSETPOS=-1", "FREQ=MONTHLY;BYMONTHDAY=-1;BYMONTH=3,6,9,12" },
		/* Day 30 of March, June, September, December: all have it. */
		{ "FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=28,29,30;"
		    "BYSETPOS=-1", "FREQ=MONTHLY;BYMONTHDAY=30;BYMONTH=3,6,9,12" },
		/* Day 30 of June and November: both their last. */
		{ "FREQ=MONTHLY;BYMONTH=6,11;BYMONTHDAY=28,29,30;BYSETPOS=-1",
		    "FREQ=MONTHLY;BYMONTHDAY=-1;BYMONTH=6,11" },
		{ "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1",
		    "FREQ=YEARLY;BYMONTHDAY=-1;BYMONTH=2" },
		{ "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=28,29,30,31;BYSETPOS=-1",
		    "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1" },
		/* Day 30 of every month: February has not it, others more. */
		{ "FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1", NULL },
		{ "FREQ=MONTHLY;BYMONTH=1,2;BYMONTHDAY=28,29,30;BYSETPOS=-1",
		    NULL },
		/* A yearly BYSETPOS picks one day of the whole year. */
		{ "FREQ=YEARLY;BYMONTH=6,12;BYMONTHDAY=28,29,30;BYSETPOS=-1",
		    NULL },
		{ "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", NULL },
		{ "FREQ=MONTHLY;BYMONTHDAY=1,15;BYSETPOS=1", NULL },
		{ "FREQ=MONTHLY;BYMONTHDAY=29,30,31;BYSETPOS=-1", NULL },
		/* Without BYSETPOS: as it is. */
		{ "FREQ=MONTHLY;BYMONTHDAY=15", "FREQ=MONTHLY;BYMONTHDAY=15" },
		{ "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31",
		    "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31" },
		{ "FREQ=SOMETIMES", NULL },
	};
	char	*got;
	size_t	 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		got = ics_portable_rule(cases[i].rule);
		if ((got == NULL) != (cases[i].want == NULL) || (got != NULL &&
		    strcmp(got, cases[i].want) != 0))
			fail_msg("%s: got %s, want %s", cases[i].rule,
			    got != NULL ? got : "none", cases[i].want != NULL ?
			    cases[i].want : "none");
		free(got);
	}
}

/* Whether the independent checker can run; skips the test if not. */
static int
python_ready(void)
{
	if (python_missing) {
		python_skipped = 1;
		skip();
	}
	return (1);
}

/* The path of tests/tools/ics_check.py; caller frees. */
static char *
checker_path(void)
{
	const char	*srcdir = getenv("SRCDIR");
	char		*path, *cut;

	if (srcdir != NULL && *srcdir != '\0') {
		xasprintf(&path, "%s/tests/tools/ics_check.py", srcdir);
		return (path);
	}
	path = xstrdup(__FILE__);
	if ((cut = strstr(path, "/unit/test_ics.c")) != NULL)
		*cut = '\0';
	xasprintf(&cut, "%s/tools/ics_check.py", path);
	free(path);
	return (cut);
}

/* Runs ics_check.py on text with a range, returns its JSON; caller frees. */
static json_t *
python_read(const char *text, size_t len, const char *from, const char *to)
{
	char		 file[] = "/tmp/test_ics.XXXXXX", *script, *cmd;
	struct buf	 out;
	char		 chunk[4096];
	json_error_t	 error;
	json_t		*doc;
	FILE		*f;
	size_t		 n;
	int		 fd;

	fd = mkstemp(file);
	assert_true(fd != -1);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
	script = checker_path();
	xasprintf(&cmd, "%s %s %s %s %s", PYTHON, script, file, from, to);
	f = popen(cmd, "r");
	assert_non_null(f);
	buf_init(&out);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&out, chunk, n);
	assert_int_equal(pclose(f), 0);
	unlink(file);
	doc = json_loads(out.data, 0, &error);
	if (doc == NULL)
		fail_msg("ics_check.py output: %s", error.text);
	buf_free(&out);
	free(cmd);
	free(script);
	return (doc);
}

/* Compares the expanded [uid, date, summary] list with the expected one. */
static void
check_expanded(json_t *doc, const char *expected[][3], size_t n)
{
	json_t	*list, *row;
	size_t	 i;

	list = json_object_get(doc, "expanded");
	assert_true(json_is_array(list));
	assert_int_equal(json_array_size(list), n);
	for (i = 0; i < n; i++) {
		row = json_array_get(list, i);
		assert_string_equal(json_string_value(json_array_get(row, 0)),
		    expected[i][0]);
		assert_string_equal(json_string_value(json_array_get(row, 1)),
		    expected[i][1]);
		assert_string_equal(json_string_value(json_array_get(row, 2)),
		    expected[i][2]);
	}
}

#define Q	"quy-cchc-1@phuochoa.example.gov.vn"
#define M	"thang-2@phuochoa.example.gov.vn"
#define O	"mot-lan-3@phuochoa.example.gov.vn"

/* recurring_ical_events expands the feed to the dates worked out by hand. */
static void
test_python_expansion(void **state)
{
	static const char	*expected[][3] = {
		{ O, "2024-05-31", "[Quá hạn] Tự kiểm tra CCHC năm 2024" },
		{ Q, "2024-04-01", "[Quá hạn] " SUMMARY_Q },
		{ Q, "2024-07-01", SUMMARY_Q },
		{ Q, "2024-09-30", "[Đã xong] " SUMMARY_Q },
		{ Q, "2024-12-30", SUMMARY_Q },
		{ M, "2024-01-31", "Báo cáo tháng" },
		{ M, "2024-02-29", "Báo cáo tháng" },
		{ M, "2024-03-31", "Báo cáo tháng" },
		{ M, "2024-04-30", "Báo cáo tháng" },
		{ M, "2024-05-31", "Báo cáo tháng" },
		{ M, "2024-06-30", "Báo cáo tháng" },
		{ M, "2024-07-31", "Báo cáo tháng" },
		{ M, "2024-08-31", "Báo cáo tháng" },
		{ M, "2024-09-30", "Báo cáo tháng" },
		{ M, "2024-10-31", "Báo cáo tháng" },
		{ M, "2024-11-30", "Báo cáo tháng" },
		{ M, "2024-12-31", "Báo cáo tháng" },
	};
	json_t	*doc;
	char	*text;
	size_t	 len;

	python_ready();
	text = render_small(0, &len);
	doc = python_read(text, len, "2023-01-01", "2026-01-01");
	check_expanded(doc, expected, sizeof expected / sizeof expected[0]);
	json_decref(doc);
	free(text);
}

/* A calendar property read back by python3-icalendar. */
static const char *
calendar_value(json_t *doc, const char *name)
{
	return (json_string_value(json_object_get(json_object_get(doc,
	    "calendar"), name)));
}

/* python3-icalendar reads the escaped texts back to the originals. */
static void
test_python_texts(void **state)
{
	json_t	*doc, *comps, *c;
	char	*text;
	size_t	 len;

	python_ready();
	text = render_small(0, &len);
	doc = python_read(text, len, "2024-01-01", "2025-01-01");
	assert_int_equal(json_array_size(json_object_get(doc, "errors")), 0);
	assert_string_equal(calendar_value(doc, "x-wr-calname"), FEED_NAME);
	assert_string_equal(calendar_value(doc, "x-wr-timezone"),
	    "Asia/Ho_Chi_Minh");
	assert_string_equal(calendar_value(doc, "method"), "PUBLISH");
	comps = json_object_get(doc, "components");
	assert_int_equal(json_array_size(comps), 6);
	c = json_array_get(comps, 0);
	assert_string_equal(json_string_value(json_object_get(c, "summary")),
	    SUMMARY_Q);
	assert_string_equal(json_string_value(json_object_get(c,
	    "description")), DESCRIPTION_Q);
	assert_string_equal(json_string_value(json_object_get(c, "dtstart")),
	    "2024-03-30");
	assert_string_equal(json_string_value(json_object_get(c, "dtend")),
	    "2024-03-31");
	assert_int_equal(json_integer_value(json_object_get(c, "sequence")), 3);
	assert_string_equal(json_string_value(json_array_get(
	    json_object_get(c, "categories"), 1)), "Phòng Nội vụ");
	c = json_array_get(comps, 5);
	assert_string_equal(json_string_value(json_object_get(c, "location")),
	    "Hội trường UBND xã");
	json_decref(doc);
	free(text);
}

/* Control characters and CR LF in input come out as clean text. */
static void
test_python_controls(void **state)
{
	struct ics_event	 ev[3];
	struct ics_feed		 feed;
	json_t			*doc, *c;
	char			*text, *cause = NULL;
	size_t			 len;

	python_ready();
	small_events(ev);
	small_feed(&feed, ev, 0);
	ev[2].summary = "Dòng một\r\nDòng hai\rba\x01 bốn\ttab";
	text = ics_render(&feed, &len, &cause);
	assert_non_null(text);
	check_lines(text, len);
	doc = python_read(text, len, "2024-01-01", "2025-01-01");
	c = json_array_get(json_object_get(doc, "components"), 5);
	assert_string_equal(json_string_value(json_object_get(c, "summary")),
	    "[Quá hạn] Dòng một\nDòng hai\nba  bốn\ttab");
	json_decref(doc);
	free(text);
}

/* The VTODO feed: one per occurrence, moved, marked and completed. */
static void
test_python_todo(void **state)
{
	static const char	*due[][3] = {
		{ Q "-20240330", "2024-04-01", "NEEDS-ACTION" },
		{ Q "-20240630", "2024-07-01", "NEEDS-ACTION" },
		{ Q "-20240930", "2024-09-30", "COMPLETED" },
		{ Q "-20241230", "2024-12-30", "NEEDS-ACTION" },
		{ M "-20240131", "2024-01-31", "NEEDS-ACTION" },
		{ M "-20240229", "2024-02-29", "NEEDS-ACTION" },
	};
	json_t	*doc, *comps, *c;
	char	*text;
	size_t	 len, i;

	python_ready();
	text = render_small(1, &len);
	check_lines(text, len);
	doc = python_read(text, len, "2024-01-01", "2025-01-01");
	comps = json_object_get(doc, "components");
	assert_int_equal(json_array_size(comps), 17);
	assert_int_equal(json_array_size(json_object_get(doc, "expanded")), 0);
	for (i = 0; i < sizeof due / sizeof due[0]; i++) {
		c = json_array_get(comps, i);
		assert_string_equal(json_string_value(json_object_get(c,
		    "type")), "VTODO");
		assert_string_equal(json_string_value(json_object_get(c,
		    "uid")), due[i][0]);
		assert_string_equal(json_string_value(json_object_get(c,
		    "due")), due[i][1]);
		assert_string_equal(json_string_value(json_object_get(c,
		    "status")), due[i][2]);
	}
	c = json_array_get(comps, 16);
	assert_string_equal(json_string_value(json_object_get(c, "uid")), O);
	assert_string_equal(json_string_value(json_object_get(c, "summary")),
	    "[Quá hạn] Tự kiểm tra CCHC năm 2024");
	json_decref(doc);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_lines),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_stable),
		cmocka_unit_test(test_folding),
		cmocka_unit_test(test_libical_reparse),
		cmocka_unit_test(test_url_alarm),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_portable_rule),
		cmocka_unit_test(test_python_expansion),
		cmocka_unit_test(test_python_texts),
		cmocka_unit_test(test_python_controls),
		cmocka_unit_test(test_python_todo),
	};
	int	failed;

	python_missing = system(PYTHON " -c 'import icalendar, "
	    "recurring_ical_events' 2>/dev/null") != 0;
	failed = cmocka_run_group_tests(tests, NULL, NULL);
	if (failed == 0 && python_skipped)
		return (77);
	return (failed);
}
