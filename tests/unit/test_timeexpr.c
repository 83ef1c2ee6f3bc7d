/*
 * Unit tests for timeexpr.c: every distinct time bullet of the seed plan
 * (tests/fixtures/seed-tuyphuoc-2024.txt, column 5) and the variants the
 * design names, each with the obligations worked out by hand; period_day;
 * milestones in task text; hostile input.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "date.h"
#include "timeexpr.h"
#include "xmalloc.h"

/* The rules of rule.h, written out. */
#define MONTHLY_END	"FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1"
#define QUARTERLY_END	\
	"FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=28,29,30,31;BYSETPOS=-1"
#define QUARTERLY_30	\
	"FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=28,29,30;BYSETPOS=-1"
#define HALF_END	\
	"FREQ=MONTHLY;BYMONTH=6,12;BYMONTHDAY=28,29,30,31;BYSETPOS=-1"
#define YEARLY_END	"FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31"

struct expect_item {
	enum timeexpr_kind	 kind;
	int			 y, m, d;	/* ONCE */
	const char		*rrule;		/* RECURRING */
	const char		*label;		/* NULL: not checked */
};

struct expect {
	const char		*text;
	size_t			 n;
	struct expect_item	 items[3];
};

#define ONCE(y, m, d, l)	{ TIMEEXPR_ONCE, y, m, d, NULL, l }
#define EVERY(r, l)		{ TIMEEXPR_RECURRING, 0, 0, 0, r, l }
#define ONGOING(l)		{ TIMEEXPR_ONGOING, 0, 0, 0, NULL, l }
#define EVENT(l)		{ TIMEEXPR_ON_EVENT, 0, 0, 0, NULL, l }
#define UNPARSED(l)		{ TIMEEXPR_UNPARSED, 0, 0, 0, NULL, l }

/* Every distinct bullet of the seed's time column, plan year 2024. */
static const struct expect seed_cases[] = {
	{ "Theo tiến độ tỉnh giao", 1,
	    { EVENT("Theo tiến độ tỉnh giao") } },
	{ "Thường xuyên", 1, { ONGOING("Thường xuyên") } },
	{ "Theo tiến độ Kế hoạch đề ra", 1,
	    { EVENT("Theo tiến độ Kế hoạch đề ra") } },
	{ "Hàng quý, 06 tháng, năm.", 3,
	    { EVERY(QUARTERLY_END, "Hàng quý"), EVERY(HALF_END, "06 tháng"),
	    EVERY(YEARLY_END, "Năm") } },
	{ "Hoàn thành trong tháng 5/2024", 1,
	    { ONCE(2024, 5, 31, "tháng 5/2024") } },
	{ "Tháng 6/2024", 1, { ONCE(2024, 6, 30, "Tháng 6/2024") } },
	{ "Tháng 8/2024", 1, { ONCE(2024, 8, 31, "Tháng 8/2024") } },
	{ "Hoàn thành trong quý III/2024", 1,
	    { ONCE(2024, 9, 30, "quý III/2024") } },
	{ "Hàng năm, theo thời gian quy định của Hội đồng Sáng kiến huyện", 1,
	    { EVERY(YEARLY_END, "Hàng năm") } },
	{ "Quý II/2024", 1, { ONCE(2024, 6, 30, "Quý II/2024") } },
	{ "Theo yêu cầu của Đoàn kiểm tra", 1,
	    { EVENT("Theo yêu cầu của Đoàn kiểm tra") } },
	{ "Hoàn thành trước tháng 11/2024", 1,
	    { ONCE(2024, 10, 31, "trước tháng 11/2024") } },
	{ "Sau khi tổ chức đối thoại", 1,
	    { EVENT("Sau khi tổ chức đối thoại") } },
	{ "Theo yêu cầu của tỉnh", 1, { EVENT("Theo yêu cầu của tỉnh") } },
	{ "Năm 2024", 1, { ONCE(2024, 12, 31, "Năm 2024") } },
	{ "Quý III/2024", 1, { ONCE(2024, 9, 30, "Quý III/2024") } },
	{ "Theo quy định", 1, { EVENT("Theo quy định") } },
	{ "Theo đề xuất của cơ quan, đơn vị", 1,
	    { EVENT("Theo đề xuất của cơ quan, đơn vị") } },
	{ "Hàng tháng", 1, { EVERY(MONTHLY_END, "Hàng tháng") } },
	{ "Hàng quý", 1, { EVERY(QUARTERLY_END, "Hàng quý") } },
	{ "Ngày 30 tháng cuối cùng của quý", 1,
	    { EVERY(QUARTERLY_30, "Ngày 30 tháng cuối cùng của quý") } },
	{ "Khi có hồ sơ trễ hẹn", 1, { EVENT("Khi có hồ sơ trễ hẹn") } },
	{ "Khi có phản ánh, kiến nghị", 1,
	    { EVENT("Khi có phản ánh, kiến nghị") } },
	{ "Khi có quy định mới của các bộ, ngành có liên quan", 1,
	    { EVENT("Khi có quy định mới của các bộ, ngành có liên quan") } },
	{ "Theo Kế hoạch của UBND huyện.", 1,
	    { EVENT("Theo Kế hoạch của UBND huyện") } },
	{ "06 tháng, năm", 2,
	    { EVERY(HALF_END, "06 tháng"), EVERY(YEARLY_END, "Năm") } },
	{ "Hoàn thành trước tháng 12/2024", 1,
	    { ONCE(2024, 11, 30, "trước tháng 12/2024") } },
	{ "Thường xuyên khi có sự thay đổi", 1,
	    { ONGOING("Thường xuyên khi có sự thay đổi") } },
	{ "Hoàn thành việc đánh giá trước ngày 15/12 và thời gian gửi báo "
	    "cáo theo văn bản hướng dẫn của huyện", 1,
	    { ONCE(2024, 12, 14, "trước ngày 15/12") } },
	{ "Theo quy định của tỉnh.", 1, { EVENT("Theo quy định của tỉnh") } },
	{ "Theo đăng ký đi học của CBCC", 1,
	    { EVENT("Theo đăng ký đi học của CBCC") } },
	{ "Sau khi Đề án được phê duyệt", 1,
	    { EVENT("Sau khi Đề án được phê duyệt") } },
	{ "Theo quy định của tỉnh", 1, { EVENT("Theo quy định của tỉnh") } },
	{ "Theo thời gian mở lớp của tỉnh và đăng ký của các đơn vị", 1,
	    { EVENT(NULL) } },
	{ "Theo thời gian quy định của tỉnh", 1,
	    { EVENT("Theo thời gian quy định của tỉnh") } },
	{ "Tháng 9/2024", 1, { ONCE(2024, 9, 30, "Tháng 9/2024") } },
	{ "Sau khi có quyết định giao dự toán", 1,
	    { EVENT("Sau khi có quyết định giao dự toán") } },
	{ "Theo yêu cầu của cơ quan có thẩm quyền", 1, { EVENT(NULL) } },
	{ "Sau khi có kết luận thanh tra, kiểm tra", 1, { EVENT(NULL) } },
	{ "Sau khi có quy định mới của cơ quan có thẩm quyền", 1,
	    { EVENT(NULL) } },
	{ "Thường xuyên và theo đề xuất của các cơ quan, đơn vị", 1,
	    { ONGOING("Thường xuyên và theo đề xuất của các cơ quan, đơn vị") } },
	{ "Tháng 5/2024", 1, { ONCE(2024, 5, 31, "Tháng 5/2024") } },
	{ "Khi có sự thay đổi", 1, { EVENT("Khi có sự thay đổi") } },
	{ "Ban hành DMHS trong tháng 01/2024 và lập hồ sơ sau khi đã giải "
	    "quyết xong công việc.", 1,
	    { ONCE(2024, 1, 31, "tháng 01/2024") } },
	{ "Theo Kế hoạch huyện đề ra", 1,
	    { EVENT("Theo Kế hoạch huyện đề ra") } },
	{ "- Thường xuyên", 1, { ONGOING("Thường xuyên") } },

	/* Halves of bullets the seed splits across page breaks. */
	{ "Hoàn thành trước tháng", 1, { UNPARSED("Hoàn thành trước tháng") } },
	{ "11/2024", 1, { ONCE(2024, 11, 30, "11/2024") } },
	{ "Tháng", 1, { UNPARSED("Tháng") } },
	{ "6/2024", 1, { ONCE(2024, 6, 30, "6/2024") } },
	{ "Theo quy", 1, { EVENT("Theo quy") } },
	{ "định của tỉnh", 1, { UNPARSED("định của tỉnh") } },
	{ "giao dự toán", 1, { UNPARSED("giao dự toán") } },
	{ "Ban hành DMHS trong", 1, { UNPARSED("Ban hành DMHS trong") } },
	{ "tháng 01/2024 và lập hồ sơ sau khi đã giải quyết xong công việc.",
	    1, { ONCE(2024, 1, 31, "tháng 01/2024") } },
	{ "Theo Kế hoạch huyện", 1, { EVENT("Theo Kế hoạch huyện") } },
	{ "đề ra", 1, { UNPARSED("đề ra") } },
	{ "Thời gian thực hiện", 1, { UNPARSED("Thời gian thực hiện") } },
};

/* The variants the design and the issue name, plan year 2024. */
static const struct expect variant_cases[] = {
	{ "trong tháng 01/2024", 1, { ONCE(2024, 1, 31, "tháng 01/2024") } },
	{ "tháng 2/2024", 1, { ONCE(2024, 2, 29, NULL) } },
	{ "tháng 2/2023", 1, { ONCE(2023, 2, 28, NULL) } },
	{ "tháng 5 năm 2024", 1, { ONCE(2024, 5, 31, NULL) } },
	{ "trước tháng 11/2024", 1, { ONCE(2024, 10, 31, NULL) } },
	{ "trước tháng 1/2025", 1, { ONCE(2024, 12, 31, NULL) } },
	{ "trước tháng 3/2024", 1, { ONCE(2024, 2, 29, NULL) } },
	{ "quý 2/2024", 1, { ONCE(2024, 6, 30, "quý 2/2024") } },
	{ "quý III-2021", 1, { ONCE(2021, 9, 30, "quý III-2021") } },
	{ "Quý IV/2024", 1, { ONCE(2024, 12, 31, NULL) } },
	{ "trong quý 1 năm 2018", 1, { ONCE(2018, 3, 31, "quý 1 năm 2018") } },
	{ "Hoàn thành trong quý III–2024", 1, { ONCE(2024, 9, 30, NULL) } },
	{ "cuối năm", 1, { ONCE(2024, 12, 31, "cuối năm") } },
	{ "6 tháng đầu năm", 1, { ONCE(2024, 6, 30, "6 tháng đầu năm") } },
	{ "06 tháng đầu năm 2025", 1, { ONCE(2025, 6, 30, NULL) } },
	{ "trước ngày 15/12", 1, { ONCE(2024, 12, 14, "trước ngày 15/12") } },
	{ "trước ngày 01/01/2025", 1, { ONCE(2024, 12, 31, NULL) } },
	{ "trước ngày 1/3/2024", 1, { ONCE(2024, 2, 29, NULL) } },
	{ "trước ngày 1/3/2023", 1, { ONCE(2023, 2, 28, NULL) } },
	{ "trước ngày 01/5", 1, { ONCE(2024, 4, 30, NULL) } },
	{ "chậm nhất ngày 15/12/2024", 1,
	    { ONCE(2024, 12, 15, "chậm nhất ngày 15/12/2024") } },
	{ "chậm nhất là ngày 15/12", 1,
	    { ONCE(2024, 12, 15, "chậm nhất là ngày 15/12") } },
	{ "đến ngày 30.6.2024", 1, { ONCE(2024, 6, 30, "đến ngày 30.6.2024") } },
	{ "ngày 05-06-2024", 1, { ONCE(2024, 6, 5, "ngày 05-06-2024") } },
	{ "ngày 15 tháng 12 năm 2024", 1, { ONCE(2024, 12, 15, NULL) } },
	{ "15/12/2024", 1, { ONCE(2024, 12, 15, "15/12/2024") } },
	{ "5/6/2024", 1, { ONCE(2024, 6, 5, NULL) } },
	{ "15/12", 1, { ONCE(2024, 12, 15, "15/12") } },
	{ "2024-12-15", 1, { ONCE(2024, 12, 15, NULL) } },
	{ "2024-2025", 1, { ONCE(2025, 12, 31, "2024-2025") } },
	{ "2021-2025", 1, { ONCE(2025, 12, 31, NULL) } },
	{ "giai đoạn 2021 - 2025", 1,
	    { ONCE(2025, 12, 31, "giai đoạn 2021 - 2025") } },
	{ "Giai đoạn 1: hoàn thành trước ngày 30/6/2024; Giai đoạn 2: hoàn "
	    "thành trước ngày 30/9/2024", 2,
	    { ONCE(2024, 6, 29, "Giai đoạn 1"),
	    ONCE(2024, 9, 29, "Giai đoạn 2") } },
	{ "Hằng tháng", 1, { EVERY(MONTHLY_END, "Hàng tháng") } },
	{ "HÀNG QUÝ", 1, { EVERY(QUARTERLY_END, "Hàng quý") } },
	{ "hàng năm", 1, { EVERY(YEARLY_END, "Hàng năm") } },
	{ "Năm", 1, { EVERY(YEARLY_END, "Năm") } },
	{ "6 tháng", 1, { EVERY(HALF_END, "06 tháng") } },
	{ "cuối mỗi quý", 1, { EVERY(QUARTERLY_END, NULL) } },
	{ "Hàng quý, 06 tháng và năm", 3,
	    { EVERY(QUARTERLY_END, NULL), EVERY(HALF_END, NULL),
	    EVERY(YEARLY_END, NULL) } },
	{ "Hàng quý, hàng quý", 1, { EVERY(QUARTERLY_END, NULL) } },
	{ "ngày 30 tháng cuối cùng của mỗi quý", 1,
	    { EVERY(QUARTERLY_30, NULL) } },
	{ "trước ngày 20/11 hằng năm", 1,
	    { EVERY("FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=19",
	    "trước ngày 20/11 hằng năm") } },
	{ "trước ngày 1/3 hằng năm", 1,
	    { EVERY("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1",
	    NULL) } },
	{ "trước ngày 01/01 hàng năm", 1, { EVERY(YEARLY_END, NULL) } },
	{ "ngày 30 tháng 6 hằng năm", 1,
	    { EVERY("FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=30", NULL) } },
	{ "trước ngày mùng 3 hàng tháng", 1,
	    { EVERY("FREQ=MONTHLY;BYMONTHDAY=2",
	    "trước ngày mùng 3 hàng tháng") } },
	{ "trước ngày mùng 1 hàng tháng", 1, { EVERY(MONTHLY_END, NULL) } },
	{ "ngày 25 hàng tháng", 1,
	    { EVERY("FREQ=MONTHLY;BYMONTHDAY=25", "ngày 25 hàng tháng") } },
	{ "ngày 30 hàng tháng", 1,
	    { EVERY("FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1", NULL) } },
	{ "ngày 31 hằng tháng", 1, { EVERY(MONTHLY_END, NULL) } },
	{ "Thường xuyên và theo đề xuất của các cơ quan", 1, { ONGOING(NULL) } },
	{ "Theo đề xuất của Phòng Nội vụ", 1, { EVENT(NULL) } },
	{ "Theo đăng ký của các đơn vị", 1, { EVENT(NULL) } },
	{ "  -  Theo Kế hoạch của UBND tỉnh .  ", 1,
	    { EVENT("Theo Kế hoạch của UBND tỉnh") } },
	{ "Hàng quý, trước ngày 15/12", 1, { EVERY(QUARTERLY_END, NULL) } },
	{ "Tổ chức hội nghị", 1, { UNPARSED("Tổ chức hội nghị") } },

	/* NFD (decomposed) spellings. */
	{ "Ha\xcc\x86\xcc\x80ng quy\xcc\x81", 1,
	    { EVERY(QUARTERLY_END, "Hàng quý") } },
	{ "Hoa\xcc\x80n tha\xcc\x80nh trong quy\xcc\x81 III/2024", 1,
	    { ONCE(2024, 9, 30, "quy\xcc\x81 III/2024") } },
	{ "tru\xcc\x9bo\xcc\x9b\xcc\x81" "c nga\xcc\x80y 15/12", 1,
	    { ONCE(2024, 12, 14, NULL) } },
	{ "Thu\xcc\x9bo\xcc\x9b\xcc\x80ng xuye\xcc\x82n", 1, { ONGOING(NULL) } },
	{ "Nga\xcc\x80y 30 tha\xcc\x81ng cuo\xcc\x82\xcc\x81i cu\xcc\x80ng "
	    "cu\xcc\x89" "a quy\xcc\x81", 1, { EVERY(QUARTERLY_30, NULL) } },
	{ "Theo quy \xc4\x91i\xcc\xa3nh", 1, { EVENT(NULL) } },

	/* Hostile. */
	{ "", 1, { UNPARSED("") } },
	{ "32/13/2024", 1, { UNPARSED("32/13/2024") } },
	{ "ngày 32/13/2024", 1, { UNPARSED(NULL) } },
	{ "trước ngày 30/02/2024", 1, { UNPARSED(NULL) } },
	{ "tháng 13/2024", 1, { UNPARSED(NULL) } },
	{ "tháng 0/2024", 1, { UNPARSED(NULL) } },
	{ "Quý V/2024", 1, { UNPARSED(NULL) } },
	{ "quý 0/2024", 1, { UNPARSED(NULL) } },
	{ "99999999999999999999/12/2024", 1, { UNPARSED(NULL) } },
	{ "ngày 15/99999999999999999999", 1, { UNPARSED(NULL) } },
	{ "2025-2021", 1, { UNPARSED(NULL) } },
	{ "ngày 29/2/2023", 1, { UNPARSED(NULL) } },
	{ "\xff\xfe Quý II/2024 \xc3", 1, { ONCE(2024, 6, 30, NULL) } },
	{ "\xc0\xaf\xed\xa0\x80\xf8\x88\x80\x80\x80", 1,
	    { UNPARSED("\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
	    "\xef\xbf\xbd") } },
	{ "Theo\tquy\x01 định", 1, { EVENT("Theo quy định") } },
};

/* Checks one parsed item against its expectation. */
static void
check_item(const struct timeexpr_item *it, const struct expect_item *want)
{
	assert_int_equal(it->kind, want->kind);
	assert_non_null(it->label);
	if (want->label != NULL)
		assert_string_equal(it->label, want->label);
	if (want->kind == TIMEEXPR_ONCE)
		assert_int_equal(it->due,
		    date_from_ymd(want->y, want->m, want->d));
	else
		assert_int_equal(it->due, DATE_NONE);
	if (want->kind == TIMEEXPR_RECURRING) {
		assert_non_null(it->rrule);
		assert_string_equal(it->rrule, want->rrule);
	} else
		assert_null(it->rrule);
}

/* Parses one case with options and checks every item. */
static void
check_case(const struct expect *c, const struct timeexpr_options *opt)
{
	struct timeexpr	te;
	size_t		i;

	assert_int_equal(timeexpr_parse(c->text, opt, &te), 0);
	if (te.n != c->n)
		print_error("\"%s\": %zu items, expected %zu\n", c->text,
		    te.n, c->n);
	assert_int_equal(te.n, c->n);
	for (i = 0; i < te.n; i++)
		check_item(&te.items[i], &c->items[i]);
	timeexpr_clear(&te);
	assert_null(te.items);
	assert_int_equal(te.n, 0);
}

/* One table case, plan year 2024. */
static void
test_case(void **state)
{
	struct timeexpr_options	opt = { 2024, 0, 0 };

	check_case(*state, &opt);
}

/* Dates without a year take the plan's year. */
static void
test_plan_year(void **state)
{
	struct timeexpr_options	 opt = { 2025, 0, 0 };
	const struct expect	 cases[] = {
		{ "trước ngày 15/12", 1, { ONCE(2025, 12, 14, NULL) } },
		{ "cuối năm", 1, { ONCE(2025, 12, 31, NULL) } },
		{ "6 tháng đầu năm", 1, { ONCE(2025, 6, 30, NULL) } },
		{ "Quý II", 1, { ONCE(2025, 6, 30, NULL) } },
		{ "trong tháng 2", 1, { ONCE(2025, 2, 28, NULL) } },
		{ "Quý II/2024", 1, { ONCE(2024, 6, 30, NULL) } },
		{ "trước ngày 01/01", 1, { ONCE(2024, 12, 31, NULL) } },
	};
	size_t			 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check_case(&cases[i], &opt);
}

/* period_day replaces "the last day" of periods, not of one-off dates. */
static void
test_period_day(void **state)
{
	struct timeexpr_options	 opt = { 2024, 20, 0 };
	const struct expect	 day20[] = {
		{ "Hàng tháng", 1,
		    { EVERY("FREQ=MONTHLY;BYMONTHDAY=20", NULL) } },
		{ "Hàng quý, 06 tháng, năm", 3,
		    { EVERY("FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=20", NULL),
		    EVERY("FREQ=MONTHLY;BYMONTH=6,12;BYMONTHDAY=20", NULL),
		    EVERY("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=20", NULL) } },
		{ "Quý II/2024", 1, { ONCE(2024, 6, 30, NULL) } },
		{ "ngày 25 hàng tháng", 1,
		    { EVERY("FREQ=MONTHLY;BYMONTHDAY=25", NULL) } },
		{ "Ngày 30 tháng cuối cùng của quý", 1,
		    { EVERY(QUARTERLY_30, NULL) } },
	};
	const struct expect	 day30[] = {
		{ "Hàng quý", 1, { EVERY(QUARTERLY_30, NULL) } },
		{ "Hàng tháng", 1, { EVERY(
		    "FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1", NULL) } },
		{ "Năm", 1,
		    { EVERY("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=30", NULL) } },
	};
	const struct expect	 day31 = { "06 tháng, năm", 2,
	    { EVERY(HALF_END, NULL), EVERY(YEARLY_END, NULL) } };
	size_t			 i;

	for (i = 0; i < sizeof day20 / sizeof day20[0]; i++)
		check_case(&day20[i], &opt);
	opt.period_day = 30;
	for (i = 0; i < sizeof day30 / sizeof day30[0]; i++)
		check_case(&day30[i], &opt);
	opt.period_day = 31;
	check_case(&day31, &opt);
	opt.period_day = 99;		/* out of range: the last day */
	check_case(&day31, &opt);
}

/* Without options the year is the clock's. */
static void
test_no_options(void **state)
{
	const struct expect	c = { "trước ngày 15/12", 1,
	    { ONCE(2030, 12, 14, NULL) } };

	date_set_now(date_time_at(date_from_ymd(2030, 6, 1), 12, 0));
	check_case(&c, NULL);
}

/* Deadlines inside task text, and none where there are none. */
static void
test_milestones(void **state)
{
	struct timeexpr_options	 opt = { 2024, 0, 0 };
	struct timeexpr		 te;

	timeexpr_milestones("Các đơn vị báo cáo kết quả, gửi về Phòng Nội vụ "
	    "trước ngày 20/11 để tổng hợp", &opt, &te);
	assert_int_equal(te.n, 1);
	check_item(&te.items[0], &(struct expect_item)ONCE(2024, 11, 19,
	    "trước ngày 20/11"));
	timeexpr_clear(&te);

	timeexpr_milestones("Nộp hồ sơ chậm nhất ngày 15/12/2024.", &opt, &te);
	assert_int_equal(te.n, 1);
	check_item(&te.items[0], &(struct expect_item)ONCE(2024, 12, 15,
	    "chậm nhất ngày 15/12/2024"));
	timeexpr_clear(&te);

	timeexpr_milestones("Báo cáo trước ngày 20/11 hằng năm", &opt, &te);
	assert_int_equal(te.n, 1);
	check_item(&te.items[0], &(struct expect_item)EVERY(
	    "FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=19", NULL));
	timeexpr_clear(&te);
}

/* Task text without a deadline gives no milestone. */
static void
test_milestones_none(void **state)
{
	struct timeexpr_options	 opt = { 2024, 0, 0 };
	struct timeexpr		 te;
	const char		*texts[] = {
		"Tăng cường công tác kiểm tra cải cách hành chính",
		"Thực hiện Quyết định số 264/QĐ-UBND ngày 22/01/2024",
		"Báo cáo hàng quý, 06 tháng, năm",
		"Trong năm 2024, hoàn thành quý III/2024",
		"",
		"trước ngày 32/13",
	};
	size_t			 i;

	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		timeexpr_milestones(texts[i], &opt, &te);
		assert_int_equal(te.n, 0);
		assert_null(te.items);
		timeexpr_clear(&te);
	}
}

/* Kind names round-trip; clearing NULL or an empty result is safe. */
static void
test_kind_names(void **state)
{
	const char		*names[] = { "once", "recurring", "ongoing",
	    "on_event", "unparsed" };
	enum timeexpr_kind	 kind;
	struct timeexpr		 empty = { NULL, 0, TIMEEXPR_EXACT, NULL };
	size_t			 i;

	for (i = 0; i < 5; i++) {
		assert_string_equal(timeexpr_kind_name((enum timeexpr_kind)i),
		    names[i]);
		assert_int_equal(timeexpr_kind_from_name(names[i], &kind), 0);
		assert_int_equal(kind, (enum timeexpr_kind)i);
	}
	assert_int_equal(timeexpr_kind_from_name("weekly", &kind), -1);
	timeexpr_clear(NULL);
	timeexpr_clear(&empty);
}

/* Fills a 1 MB buffer with copies of unit, NUL-terminated; caller frees. */
static char *
repeat(const char *unit)
{
	size_t	 len = strlen(unit), size = 1024 * 1024, i;
	char	*s = malloc(size + 1);

	assert_non_null(s);
	for (i = 0; i < size; i++)
		s[i] = unit[i % len];
	s[size] = '\0';
	return (s);
}

/* Megabytes of repeated phrases stay linear, bounded and well formed. */
static void
test_huge(void **state)
{
	struct timeexpr_options	 opt = { 2024, 0, 0 };
	struct timeexpr		 te;
	const char		*units[] = {
		"ngày 1/1/2024 ", "Giai đoạn 1: ", "9", " ", "\xcc\x81",
		"\xff", "Hàng quý, ", "năm, ", "a/", "1-", "quý II/2024 ",
	};
	char			*s;
	size_t			 i;

	for (i = 0; i < sizeof units / sizeof units[0]; i++) {
		s = repeat(units[i]);
		timeexpr_parse(s, &opt, &te);
		assert_true(te.n >= 1 && te.n <= TIMEEXPR_MAX_ITEMS);
		timeexpr_clear(&te);
		timeexpr_milestones(s, &opt, &te);
		timeexpr_clear(&te);
		free(s);
	}
}

/* Different dates each give an item, up to the cap. */
static void
test_item_cap(void **state)
{
	struct timeexpr_options	 opt = { 2024, 0, 0 };
	struct timeexpr		 te;
	struct buf		 b;
	char			 day[11];
	int			 d;

	buf_init(&b);
	for (d = 0; d < 366; d++) {
		date_format_vn(date_from_ymd(2024, 1, 1) + d, day);
		buf_printf(&b, "ngày %s; ", day);
	}
	timeexpr_parse(b.data, &opt, &te);
	assert_int_equal(te.n, TIMEEXPR_MAX_ITEMS);
	assert_int_equal(te.items[0].due, date_from_ymd(2024, 1, 1));
	assert_int_equal(te.items[TIMEEXPR_MAX_ITEMS - 1].due,
	    date_from_ymd(2024, 3, 4));
	timeexpr_clear(&te);
	buf_free(&b);
}

/* Runs one test per table case, then the fixed tests. */
int
main(void)
{
	const struct CMUnitTest	 fixed[] = {
		cmocka_unit_test(test_plan_year),
		cmocka_unit_test(test_period_day),
		cmocka_unit_test(test_no_options),
		cmocka_unit_test(test_milestones),
		cmocka_unit_test(test_milestones_none),
		cmocka_unit_test(test_kind_names),
		cmocka_unit_test(test_huge),
		cmocka_unit_test(test_item_cap),
	};
	size_t			 nseed, nvar, nfixed, n, i;
	struct CMUnitTest	*tests;
	int			 rc;

	nseed = sizeof seed_cases / sizeof seed_cases[0];
	nvar = sizeof variant_cases / sizeof variant_cases[0];
	nfixed = sizeof fixed / sizeof fixed[0];
	n = nseed + nvar + nfixed;
	tests = calloc(n, sizeof *tests);
	if (tests == NULL)
		return (1);
	for (i = 0; i < nseed + nvar; i++) {
		tests[i].name = i < nseed ? seed_cases[i].text :
		    variant_cases[i - nseed].text;
		tests[i].test_func = test_case;
		tests[i].initial_state = (void *)(i < nseed ? &seed_cases[i] :
		    &variant_cases[i - nseed]);
	}
	memcpy(tests + nseed + nvar, fixed, sizeof fixed);
	rc = _cmocka_run_group_tests("timeexpr", tests, n, NULL, NULL);
	free(tests);
	return (rc);
}
