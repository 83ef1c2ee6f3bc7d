/*
 * Tests for message.c: digests rendered in Vietnamese and English checked
 * against lines written by hand, sorting, wrapping, HTML escaping, and the
 * JSON document parsed back with jansson.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "date.h"
#include "message.h"

#define DONE_LINK	"https://deadlined.example.gov.vn/done/abc123?sig=xyz"
#define FEED_LINK	"https://deadlined.example.gov.vn/feed/noivu.ics?t=abc"

static struct message_item	items[4];
static struct message_digest	digest;

/* Four items in scrambled order, one per section, for Phòng Nội vụ. */
static int
setup(void **state)
{
	memset(items, 0, sizeof items);
	items[0].plan_ref = "KH-CCHC-2024 III.DT.2.b";
	items[0].title = "Tỷ lệ hồ sơ trễ hạn trong giải quyết thủ tục hành "
	    "chính còn cao";
	items[0].action = "Rà soát, thống kê hồ sơ trễ hạn";
	items[0].time_text = "Quý II/2024";
	items[0].lead_units = "Văn phòng HĐND và UBND huyện";
	items[0].support_units = "UBND các xã, thị trấn";
	items[0].nominal = date_from_ymd(2024, 6, 30);
	items[0].effective = date_from_ymd(2024, 7, 1);
	items[0].kind = MESSAGE_DUE_TODAY;
	items[0].done_link = DONE_LINK;
	items[1].plan_ref = "KH-CCHC-2024 II.3";
	items[1].title = "Báo cáo tháng";
	items[1].nominal = items[1].effective = date_from_ymd(2024, 7, 4);
	items[1].working_days_left = 3;
	items[1].kind = MESSAGE_DUE_SOON;
	items[2].plan_ref = "KH-CCHC-2024 I.2";
	items[2].title = "Tuyên truyền cải cách hành chính";
	items[2].time_text = "Thường xuyên";
	items[2].nominal = items[2].effective = DATE_NONE;
	items[2].kind = MESSAGE_ONGOING;
	items[3].plan_ref = "KH-CCHC-2024 I.1";
	items[3].title = "Ban hành kế hoạch";
	items[3].nominal = items[3].effective = date_from_ymd(2024, 6, 28);
	items[3].working_days_left = -1;
	items[3].kind = MESSAGE_OVERDUE;
	memset(&digest, 0, sizeof digest);
	digest.unit_code = "noivu";
	digest.unit_name = "Phòng Nội vụ";
	digest.lang = "vi";
	digest.day = date_from_ymd(2024, 7, 1);
	digest.feed_link = FEED_LINK;
	digest.items = items;
	digest.n = 4;
	return (0);
}

/* Asserts that needle occurs in haystack; returns where. */
static const char *
find(const char *haystack, const char *needle)
{
	const char	*at = strstr(haystack, needle);

	if (at == NULL)
		fail_msg("missing \"%s\" in:\n%s", needle, haystack);
	return (at);
}

/* Asserts that the needles occur in this order. */
static void
assert_order(const char *text, const char *const *needles, size_t n)
{
	size_t	i;

	for (i = 1; i < n; i++)
		assert_true(find(text, needles[i - 1]) < find(text, needles[i]));
}

/* A copy of s with each newline made a space; caller frees. */
static char *
xstrdup_flat(const char *s)
{
	char	*c = strdup(s), *p;

	assert_non_null(c);
	for (p = c; *p != '\0'; p++)
		if (*p == '\n')
			*p = ' ';
	while (p > c && p[-1] == ' ')
		*--p = '\0';
	return (c);
}

/* The Vietnamese digest, line by line where it matters. */
static void
test_render_vi(void **state)
{
	static const char *const	 order[] = {
		"I. CÔNG VIỆC ĐÃ QUÁ HẠN (1)", "II. CÔNG VIỆC ĐẾN HẠN HÔM NAY (1)",
		"III. CÔNG VIỆC SẮP ĐẾN HẠN (1)", "IV. CÔNG VIỆC THƯỜNG XUYÊN (1)",
		"Lịch công việc", FEED_LINK
	};
	char				*subject, *text, *html;

	message_render(&digest, &subject, &text, &html);
	assert_string_equal(subject, "[deadlined] Nhắc hạn công việc ngày "
	    "Thứ Hai, 01/07/2024: 1 quá hạn, 1 đến hạn hôm nay, 1 sắp đến "
	    "hạn, 1 công việc thường xuyên");
	assert_memory_equal(text, "Kính gửi: Phòng Nội vụ\n\n", 32);
	find(text, "\n1. [KH-CCHC-2024 I.1] Ban hành kế hoạch\n"
	    "   Hạn: Thứ Sáu, 28/06/2024 - Đã quá hạn 1 ngày làm việc\n");
	find(text, "\n1. [KH-CCHC-2024 III.DT.2.b] Tỷ lệ hồ sơ trễ hạn trong "
	    "giải quyết thủ tục\n   hành chính còn cao\n"
	    "   Hạn: Thứ Hai, 01/07/2024 - Hạn hôm nay (hạn gốc 30/06/2024 rơi "
	    "vào ngày\n     nghỉ)\n"
	    "   Nhiệm vụ: Rà soát, thống kê hồ sơ trễ hạn\n"
	    "   Thời gian thực hiện: Quý II/2024\n"
	    "   Chủ trì: Văn phòng HĐND và UBND huyện\n"
	    "   Phối hợp: UBND các xã, thị trấn\n"
	    "   Xác nhận hoàn thành: " DONE_LINK "\n");
	find(text, "\n1. [KH-CCHC-2024 II.3] Báo cáo tháng\n"
	    "   Hạn: Thứ Năm, 04/07/2024 - Còn 3 ngày làm việc\n");
	/* An ongoing task is one line under the section's note. */
	find(text, "IV. CÔNG VIỆC THƯỜNG XUYÊN (1)\nChỉ nêu tên nhiệm vụ; nội dung "
	    "đầy đủ có trong kế hoạch.\n1. [KH-CCHC-2024 I.2] Tuyên truyền cải "
	    "cách hành chính\n\n");
	/* No address for replies: none asked; a done link: the link promised. */
	find(text, "\n-- \nThư này được gửi tự động từ hệ thống nhắc hạn công "
	    "việc (deadlined). Đề nghị\nkhông trả lời thư này. Khi đã hoàn "
	    "thành công việc, đề nghị bấm vào đường\ndẫn xác nhận hoàn thành để "
	    "dừng nhắc hạn.\n");
	assert_order(text, order, sizeof order / sizeof order[0]);
	find(html, "<html lang=\"vi\">");
	find(html, "<a href=\"" DONE_LINK "\">");
	free(subject);
	free(text);
	free(html);
}

/* The English digest, with singular and plural day counts. */
static void
test_render_en(void **state)
{
	char	*subject, *text;

	digest.lang = "en";
	items[1].working_days_left = 1;
	message_render(&digest, &subject, &text, NULL);
	assert_string_equal(subject, "[deadlined] Deadline reminder for "
	    "Monday, 01/07/2024: 1 overdue, 1 due today, 1 due soon, "
	    "1 ongoing");
	assert_memory_equal(text, "Dear Phòng Nội vụ,\n\n", 25);
	find(text, "\n   Due: Friday, 28/06/2024 - Overdue by 1 working day\n");
	find(text, "\n   Due: Thursday, 04/07/2024 - 1 working day left\n");
	find(text, "Due today (originally due 30/06/2024, a day\n     off)");
	find(text, "\n   Mark as done: " DONE_LINK "\n");
	find(text, "\nI. OVERDUE (1)\n");
	items[1].working_days_left = 5;
	items[3].working_days_left = -4;
	free(subject);
	free(text);
	message_render(&digest, &subject, &text, NULL);
	find(text, " - Overdue by 4 working days\n");
	find(text, " - 5 working days left\n");
	free(subject);
	free(text);
}

/* Within a section: by effective date, then by plan reference. */
static void
test_sorting(void **state)
{
	static const char *const	 order[] = { "[B 1] late", "[A 10] y",
		"[A 2] x", "[C] early today", "[B] soon" };
	struct message_item		 v[5];
	char				*subject, *text;

	memset(v, 0, sizeof v);
	v[0] = (struct message_item){ .plan_ref = "B", .title = "soon",
	    .kind = MESSAGE_DUE_SOON, .working_days_left = 2,
	    .nominal = 19900, .effective = 19900 };
	v[1] = (struct message_item){ .plan_ref = "A 2", .title = "x",
	    .kind = MESSAGE_OVERDUE, .working_days_left = -2,
	    .nominal = 19800, .effective = 19800 };
	v[2] = (struct message_item){ .plan_ref = "A 10", .title = "y",
	    .kind = MESSAGE_OVERDUE, .working_days_left = -2,
	    .nominal = 19800, .effective = 19800 };
	v[3] = (struct message_item){ .plan_ref = "B 1", .title = "late",
	    .kind = MESSAGE_OVERDUE, .working_days_left = -9,
	    .nominal = 19700, .effective = 19700 };
	v[4] = (struct message_item){ .plan_ref = "C", .title = "early today",
	    .kind = MESSAGE_DUE_TODAY, .nominal = 19899, .effective = 19899 };
	digest.items = v;
	digest.n = 5;
	message_render(&digest, &subject, &text, NULL);
	assert_order(text, order, 5);
	/* "A 10" sorts before "A 2": references compare as text. */
	find(text, "1. [B 1] late");
	find(text, "2. [A 10] y");
	find(text, "3. [A 2] x");
	find(text, "1. [C] early today");
	find(subject, "3 quá hạn, 1 đến hạn hôm nay, 1 sắp đến hạn");
	free(subject);
	free(text);
}

/* Weekday names of every day of one week, in both languages. */
static void
test_weekdays(void **state)
{
	static const char *const	vi[] = { "Thứ Hai, 01/07/2024",
		"Thứ Ba, 02/07/2024", "Thứ Tư, 03/07/2024",
		"Thứ Năm, 04/07/2024", "Thứ Sáu, 05/07/2024",
		"Thứ Bảy, 06/07/2024", "Chủ nhật, 07/07/2024" };
	static const char *const	en[] = { "Monday, 01/07/2024",
		"Tuesday, 02/07/2024", "Wednesday, 03/07/2024",
		"Thursday, 04/07/2024", "Friday, 05/07/2024",
		"Saturday, 06/07/2024", "Sunday, 07/07/2024" };
	char				*subject, *text;
	int				 i;

	digest.n = 0;
	for (i = 0; i < 7; i++) {
		digest.day = date_from_ymd(2024, 7, 1 + i);
		digest.lang = "vi";
		message_render(&digest, &subject, &text, NULL);
		find(subject, vi[i]);
		free(subject);
		free(text);
		digest.lang = "en";
		message_render(&digest, &subject, &text, NULL);
		find(subject, en[i]);
		free(subject);
		free(text);
	}
}

/* 1 if s[0..n) is valid UTF-8 (checked here, not with mime.c). */
static int
valid_utf8(const unsigned char *s, size_t n)
{
	size_t	i = 0, k, len;

	while (i < n) {
		if (s[i] < 0x80)
			len = 1;
		else if ((s[i] & 0xe0) == 0xc0)
			len = 2;
		else if ((s[i] & 0xf0) == 0xe0)
			len = 3;
		else if ((s[i] & 0xf8) == 0xf0)
			len = 4;
		else
			return (0);
		if (i + len > n)
			return (0);
		for (k = 1; k < len; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return (0);
		i += len;
	}
	return (1);
}

/* Long titles wrap on spaces at 76 characters; no character is split. */
static void
test_wrap(void **state)
{
	const char	*title = "Nâng cao chất lượng, hiệu quả hoạt động của Bộ "
			    "phận Tiếp nhận và Trả kết quả cấp huyện và cấp xã; "
			    "đẩy mạnh cung cấp dịch vụ công trực tuyến toàn "
			    "trình, một phần; số hóa hồ sơ, kết quả giải quyết "
			    "thủ tục hành chính ỹỹỹỹỹỹỹỹỹỹỹỹỹỹỹỹỹỹỹỹỹỹỹỹỹỹỹỹỹỹ";
	struct message_item	 it = { .plan_ref = "R", .title = title,
				    .kind = MESSAGE_DUE_SOON, .nominal = 19910,
				    .effective = 19910, .working_days_left = 3 };
	char			*subject, *text, *line, *save = NULL, *p;
	char			 joined[2048] = "";
	size_t			 chars, lines = 0;

	digest.items = &it;
	digest.n = 1;
	message_render(&digest, &subject, &text, NULL);
	p = strstr(find(text, "1. [R] "), "   Hạn: ");
	assert_non_null(p);
	*p = '\0';
	for (line = strtok_r(strstr(text, "1. [R] ") + 7, "\n", &save);
	    line != NULL; line = strtok_r(NULL, "\n", &save)) {
		assert_true(valid_utf8((unsigned char *)line, strlen(line)));
		for (chars = 0, p = line; *p != '\0'; p++)
			chars += (*p & 0xc0) != 0x80;
		assert_true(chars <= 76);
		if (lines++ > 0) {
			assert_memory_equal(line, "   ", 3);
			assert_true(line[3] != ' ');
			strcat(joined, " ");
			line += 3;
		}
		strcat(joined, line);
	}
	assert_true(lines >= 3);
	assert_string_equal(joined, title);
	free(subject);
	free(text);
}

/* The escalation digest names each late unit. */
static void
test_escalation(void **state)
{
	struct message_item	 v[2] = {
		{ .plan_ref = "KH 1", .title = "Báo cáo quý",
		  .unit_name = "UBND xã Phước An", .kind = MESSAGE_ESCALATION,
		  .working_days_left = -6, .nominal = 19890,
		  .effective = 19890 },
		{ .plan_ref = "KH 2", .title = "Kiểm tra",
		  .unit_name = "UBND thị trấn Diêu Trì", .kind = MESSAGE_OVERDUE,
		  .working_days_left = -2, .nominal = 19900,
		  .effective = 19900 } };
	char			*subject, *text;

	digest.items = v;
	digest.n = 2;
	digest.escalation = 1;
	message_render(&digest, &subject, &text, NULL);
	assert_string_equal(subject, "[deadlined] Công việc quá hạn của các "
	    "đơn vị ngày Thứ Hai, 01/07/2024: 2 quá hạn");
	find(text, "\n   Đơn vị: UBND xã Phước An\n");
	find(text, "\n   Đơn vị: UBND thị trấn Diêu Trì\n");
	find(text, "Đã quá hạn 6 ngày làm việc");
	free(subject);
	free(text);
}

/*
 * Ongoing tasks take one line each under a count, cut to 76 columns with
 * "…": 40 of them with 300-character titles are 40 lines, not 475.
 */
static void
test_ongoing_titles(void **state)
{
	struct message_item	 v[40];
	char			 refs[40][16], title[400], *subject, *text;
	char			*at, *end, *line, *save = NULL;
	size_t			 i, lines = 0, chars;
	char			*p;

	memset(v, 0, sizeof v);
	snprintf(title, sizeof title, "%s", "Tuyên truyền, phổ biến các văn "
	    "bản về cải cách hành chính đến cán bộ, công chức và người dân "
	    "trên địa bàn; lồng ghép trong các cuộc họp, hội nghị; đăng tải "
	    "trên Cổng thông tin điện tử của huyện và trang thông tin của "
	    "các xã, thị trấn một cách thường xuyên, liên tục.");
	for (i = 0; i < 40; i++) {
		snprintf(refs[i], sizeof refs[i], "TX %02zu", i + 1);
		v[i].plan_ref = refs[i];
		v[i].title = title;
		v[i].lead_units = "Phòng Nội vụ";
		v[i].support_units = "UBND các xã, thị trấn";
		v[i].kind = MESSAGE_ONGOING;
		v[i].nominal = v[i].effective = DATE_NONE;
	}
	digest.items = v;
	digest.n = 40;
	message_render(&digest, &subject, &text, NULL);
	find(subject, ": 40 công việc thường xuyên");
	at = (char *)find(text, "I. CÔNG VIỆC THƯỜNG XUYÊN (40)\n");
	end = (char *)find(at, "\n\n");
	*end = '\0';
	/* "1. [TX 01] Tuyên truyền, ... cán bộ, công…": 76 columns. */
	find(at, "\n1. [TX 01] Tuyên truyền, phổ biến các văn bản về cải cách "
	    "hành chính đến…\n");
	find(at, "\n40. [TX 40] Tuyên truyền, phổ biến các văn bản về cải cách "
	    "hành chính đến…");
	for (line = strtok_r(at, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		for (chars = 0, p = line; *p != '\0'; p++)
			chars += (*p & 0xc0) != 0x80;
		assert_true(chars <= 76);
		lines++;
	}
	/* The heading, the note, 40 titles. */
	assert_int_equal(lines, 42);
	assert_null(strstr(text, "Phối hợp"));
	free(subject);
	free(text);
}

/* The late unit i of a JSON item: its name, due date and days left. */
static void
check_late_unit(json_t *item, size_t i, const char *unit, const char *due,
    int left)
{
	json_t	*u = json_array_get(json_object_get(item, "late_units"), i);

	assert_non_null(u);
	assert_string_equal(json_string_value(json_object_get(u, "unit")),
	    unit);
	assert_string_equal(json_string_value(json_object_get(u, "due")), due);
	assert_int_equal(json_integer_value(json_object_get(u,
	    "working_days_left")), left);
}

/*
 * The escalation's JSON is grouped as its text is: one item per task with
 * its late units (19890 is 16/06/2024, 19900 is 26/06/2024), no "unit".
 */
static void
check_escalation_json(const struct message_digest *d)
{
	json_t		*root, *list, *first, *second;
	json_error_t	 err;
	char		*json;

	json = message_render_json(d);
	root = json_loads(json, 0, &err);
	assert_non_null(root);
	list = json_object_get(root, "items");
	assert_int_equal(json_array_size(list), 2);
	first = json_array_get(list, 0);
	second = json_array_get(list, 1);
	assert_string_equal(json_string_value(json_object_get(first, "ref")),
	    "KH 1");
	assert_string_equal(json_string_value(json_object_get(second, "ref")),
	    "KH 2");
	assert_int_equal(json_array_size(json_object_get(first, "late_units")),
	    3);
	check_late_unit(first, 0, "UBND xã Phước An", "2024-06-16", -10);
	check_late_unit(first, 1, "UBND xã Phước Hòa", "2024-06-16", -10);
	check_late_unit(first, 2, "UBND thị trấn Diêu Trì", "2024-06-26", -3);
	assert_int_equal(json_array_size(json_object_get(second,
	    "late_units")), 1);
	check_late_unit(second, 0, "UBND xã Phước An", "2024-06-26", -2);
	assert_null(json_object_get(first, "unit"));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
	    root, "counts"), "overdue")), 2);
	json_decref(root);
	free(json);
}

/*
 * An escalation lists a task once with its late units: three communes
 * late on "Báo cáo quý" (two due 16/06/2024, one 26/06/2024), one on
 * "Kiểm tra": two entries, "2 quá hạn".
 */
static void
test_escalation_grouped(void **state)
{
	struct message_item	 v[4] = {
		{ .plan_ref = "KH 1", .title = "Báo cáo quý", .task_id = 7,
		  .unit_name = "UBND thị trấn Diêu Trì",
		  .kind = MESSAGE_ESCALATION, .working_days_left = -3,
		  .nominal = 19900, .effective = 19900 },
		{ .plan_ref = "KH 2", .title = "Kiểm tra", .task_id = 9,
		  .unit_name = "UBND xã Phước An", .kind = MESSAGE_ESCALATION,
		  .working_days_left = -2, .nominal = 19900,
		  .effective = 19900 },
		{ .plan_ref = "KH 1", .title = "Báo cáo quý", .task_id = 7,
		  .unit_name = "UBND xã Phước Hòa", .kind = MESSAGE_ESCALATION,
		  .working_days_left = -10, .nominal = 19890,
		  .effective = 19890 },
		{ .plan_ref = "KH 1", .title = "Báo cáo quý", .task_id = 7,
		  .unit_name = "UBND xã Phước An", .kind = MESSAGE_ESCALATION,
		  .working_days_left = -10, .nominal = 19890,
		  .effective = 19890 } };
	static const char *const	 order[] = { "1. [KH 1] Báo cáo quý",
		"2. [KH 2] Kiểm tra", "   Đơn vị: UBND xã Phước An" };
	char			*subject, *text;

	digest.items = v;
	digest.n = 4;
	digest.escalation = 1;
	message_render(&digest, &subject, &text, NULL);
	assert_string_equal(subject, "[deadlined] Công việc quá hạn của các "
	    "đơn vị ngày Thứ Hai, 01/07/2024: 2 quá hạn");
	find(text, "I. CÔNG VIỆC ĐÃ QUÁ HẠN (2)\n");
	find(text, "1. [KH 1] Báo cáo quý\n"
	    "   Hạn: Chủ nhật, 16/06/2024 - Đã quá hạn 10 ngày làm việc\n"
	    "   Đơn vị chưa hoàn thành (3): UBND xã Phước An, UBND xã Phước "
	    "Hòa, UBND thị\n     trấn Diêu Trì (Hạn 26/06/2024)\n");
	assert_order(text, order, 3);
	assert_null(strstr(text, "3. "));
	free(subject);
	free(text);
	check_escalation_json(&digest);
}

/*
 * Overdue items not reminded one by one today are counted and named in
 * one line: one reminded, three quiet, "4 quá hạn" as the agenda shows.
 */
static void
test_overdue_quiet(void **state)
{
	struct message_item	 quiet[3] = {
		{ .plan_ref = "KH 3", .title = "a", .kind = MESSAGE_OVERDUE,
		  .effective = 19874, .nominal = 19874 },
		{ .plan_ref = "KH 5", .title = "b", .kind = MESSAGE_OVERDUE,
		  .effective = 19888, .nominal = 19888 },
		{ .plan_ref = "KH 8", .title = "c", .kind = MESSAGE_OVERDUE,
		  .effective = 19890, .nominal = 19890 } };
	char			*subject, *text, *html, *json;
	json_t			*root;
	json_error_t		 err;

	digest.items = &items[3];	/* I.1, one day late */
	digest.n = 1;
	digest.quiet = quiet;
	digest.nquiet = 3;
	message_render(&digest, &subject, &text, &html);
	assert_string_equal(subject, "[deadlined] Nhắc hạn công việc ngày "
	    "Thứ Hai, 01/07/2024: 4 quá hạn");
	find(text, "I. CÔNG VIỆC ĐÃ QUÁ HẠN (4)\n\n1. [KH-CCHC-2024 I.1]");
	/* 19874 = 31/05/2024, 19888 = 14/06/2024, 19890 = 16/06/2024. */
	find(text, "\nVẫn quá hạn, đã nhắc trước đây, không nhắc lại từng việc "
	    "(3): KH 3\n(31/05/2024); KH 5 (14/06/2024); KH 8 (16/06/2024).\n");
	find(html, "<h3>I. CÔNG VIỆC ĐÃ QUÁ HẠN (4)</h3>");
	find(html, "(3): KH 3 (31/05/2024); KH 5 (14/06/2024); KH 8 "
	    "(16/06/2024).</p>");
	json = message_render_json(&digest);
	root = json_loads(json, 0, &err);
	assert_non_null(root);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
	    root, "counts"), "overdue")), 4);
	assert_int_equal(json_array_size(json_object_get(root,
	    "overdue_not_repeated")), 3);
	json_decref(root);
	free(json);
	free(subject);
	free(text);
	free(html);
	/* Nothing reminded one by one: the section holds the line alone. */
	digest.items = &items[0];
	message_render(&digest, &subject, &text, NULL);
	find(subject, ": 3 quá hạn, 1 đến hạn hôm nay");
	find(text, "I. CÔNG VIỆC ĐÃ QUÁ HẠN (3)\n\nVẫn quá hạn");
	free(subject);
	free(text);
	digest.lang = "en";
	message_render(&digest, &subject, &text, NULL);
	find(subject, ": 3 overdue, 1 due today");
	find(text, "I. OVERDUE (3)\n\nStill overdue, reminded before, not "
	    "repeated one by one (3): KH 3\n(31/05/2024); KH 5 (14/06/2024); "
	    "KH 8 (16/06/2024).\n");
	free(subject);
	free(text);
}

/*
 * The footer names whom replies reach; without done links it asks for a
 * reply when the work is done, and promises no link.
 */
static void
test_footer_reply(void **state)
{
	char	*subject, *text, *flat;

	items[0].done_link = NULL;
	digest.reply_name = "Phòng Nội vụ";
	digest.reply_addr = "noivu@example.gov.vn";
	message_render(&digest, &subject, &text, NULL);
	flat = xstrdup_flat(find(text, "\n-- \n") + 5);
	assert_string_equal(flat, "Thư này được gửi tự động từ hệ thống nhắc "
	    "hạn công việc (deadlined). Thư trả lời sẽ được gửi đến Phòng Nội "
	    "vụ (noivu@example.gov.vn). Khi đã hoàn thành công việc, đề nghị "
	    "trả lời thư này để dừng nhắc hạn.");
	free(flat);
	free(subject);
	free(text);
	items[0].done_link = DONE_LINK;
	message_render(&digest, &subject, &text, NULL);
	flat = xstrdup_flat(find(text, "\n-- \n") + 5);
	find(flat, "(noivu@example.gov.vn). Khi đã hoàn thành công việc, đề "
	    "nghị bấm vào đường dẫn xác nhận hoàn thành để dừng nhắc hạn.");
	free(flat);
	free(subject);
	free(text);
}

/* The unit's page: named at the end, over the ongoing titles, in JSON. */
static void
test_unit_page(void **state)
{
	char		*subject, *text, *html, *json;
	json_t		*root;

	digest.unit_link = "https://nhachan.example.gov.vn/unit/abc";
	message_render(&digest, &subject, &text, &html);
	find(text, "IV. CÔNG VIỆC THƯỜNG XUYÊN (1)\nChỉ nêu tên nhiệm vụ; nội "
	    "dung đầy đủ trên trang công việc của đơn vị (đường\ndẫn ở cuối "
	    "thư).\n1. [KH-CCHC-2024 I.2]");
	find(text, "\nTrang công việc của đơn vị (nội dung đầy đủ, xác nhận "
	    "hoàn thành, xin gia\nhạn):\nhttps://nhachan.example.gov.vn/unit/"
	    "abc\n\nLịch công việc");
	find(html, "<a href=\"https://nhachan.example.gov.vn/unit/abc\">");
	json = message_render_json(&digest);
	assert_non_null(root = json_loads(json, 0, NULL));
	assert_string_equal(json_string_value(json_object_get(root,
	    "unit_page")), "https://nhachan.example.gov.vn/unit/abc");
	json_decref(root);
	free(json);
	free(subject);
	free(text);
	free(html);
	digest.unit_link = NULL;
}

/* Every value is HTML-escaped; invalid UTF-8 becomes U+FFFD. */
static void
test_html_escape(void **state)
{
	struct message_item	 it = { .plan_ref = "<R&D>",
				    .title = "<script>alert('x')</script> \xc3\x28",
				    .kind = MESSAGE_DUE_TODAY, .nominal = 19905,
				    .effective = 19905,
				    .done_link = "https://x.invalid/d?a=1&b=\"2\"" };
	char			*subject, *text, *html;

	digest.items = &it;
	digest.n = 1;
	message_render(&digest, &subject, &text, &html);
	assert_null(strstr(html, "<script>"));
	assert_null(strstr(html, "<R&D>"));
	find(html, "<b>[&lt;R&amp;D&gt;] &lt;script&gt;alert(&#39;x&#39;)"
	    "&lt;/script&gt; \xef\xbf\xbd(</b>");
	find(html, "<a href=\"https://x.invalid/d?a=1&amp;b=&quot;2&quot;\">");
	find(text, "1. [<R&D>] <script>alert('x')</script> \xef\xbf\xbd(\n");
	assert_true(valid_utf8((unsigned char *)text, strlen(text)));
	free(subject);
	free(text);
	free(html);
}

/* A digest without items says so. */
static void
test_empty(void **state)
{
	char	*subject, *text;

	digest.n = 0;
	message_render(&digest, &subject, &text, NULL);
	assert_string_equal(subject, "[deadlined] Nhắc hạn công việc ngày "
	    "Thứ Hai, 01/07/2024: không có công việc đến hạn");
	find(text, "\nKhông có công việc nào cần nhắc.\n");
	free(subject);
	free(text);
}

/* Returns the string member key of object o, failing if absent. */
static const char *
member(json_t *o, const char *key)
{
	json_t	*v = json_object_get(o, key);

	if (!json_is_string(v))
		fail_msg("\"%s\" is not a string", key);
	return (json_string_value(v));
}

/* The JSON document parsed back with jansson. */
static void
test_json(void **state)
{
	json_error_t	 error;
	json_t		*root, *list, *it;
	char		*s;

	s = message_render_json(&digest);
	root = json_loads(s, 0, &error);
	assert_non_null(root);
	assert_string_equal(member(json_object_get(root, "unit"), "code"),
	    "noivu");
	assert_string_equal(member(json_object_get(root, "unit"), "name"),
	    "Phòng Nội vụ");
	assert_string_equal(member(root, "date"), "2024-07-01");
	assert_string_equal(member(root, "lang"), "vi");
	assert_string_equal(member(root, "feed"), FEED_LINK);
	assert_true(json_is_false(json_object_get(root, "escalation")));
	list = json_object_get(root, "items");
	assert_int_equal(json_array_size(list), 4);
	it = json_array_get(list, 0);
	assert_string_equal(member(it, "ref"), "KH-CCHC-2024 I.1");
	assert_string_equal(member(it, "status"), "overdue");
	assert_string_equal(member(it, "due"), "2024-06-28");
	assert_int_equal(json_integer_value(json_object_get(it,
	    "working_days_left")), -1);
	assert_true(json_is_null(json_object_get(it, "done_link")));
	it = json_array_get(list, 1);
	assert_string_equal(member(it, "status"), "due_today");
	assert_string_equal(member(it, "due"), "2024-07-01");
	assert_string_equal(member(it, "nominal_due"), "2024-06-30");
	assert_string_equal(member(it, "done_link"), DONE_LINK);
	assert_string_equal(member(it, "title"), items[0].title);
	assert_string_equal(member(json_array_get(list, 2), "status"),
	    "due_soon");
	it = json_array_get(list, 3);
	assert_string_equal(member(it, "status"), "ongoing");
	assert_true(json_is_null(json_object_get(it, "due")));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
	    root, "counts"), "overdue")), 1);
	json_decref(root);
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_render_vi, setup),
		cmocka_unit_test_setup(test_render_en, setup),
		cmocka_unit_test_setup(test_sorting, setup),
		cmocka_unit_test_setup(test_weekdays, setup),
		cmocka_unit_test_setup(test_wrap, setup),
		cmocka_unit_test_setup(test_escalation, setup),
		cmocka_unit_test_setup(test_escalation_grouped, setup),
		cmocka_unit_test_setup(test_ongoing_titles, setup),
		cmocka_unit_test_setup(test_overdue_quiet, setup),
		cmocka_unit_test_setup(test_footer_reply, setup),
		cmocka_unit_test_setup(test_unit_page, setup),
		cmocka_unit_test_setup(test_html_escape, setup),
		cmocka_unit_test_setup(test_empty, setup),
		cmocka_unit_test_setup(test_json, setup),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
