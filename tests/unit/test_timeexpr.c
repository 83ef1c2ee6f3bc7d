/*
 * Unit tests for timeexpr.c, table-driven: each phrase with its reading
 * worked out by hand (kind, nominal date or rule, first day of a range,
 * day-off rule, label) and, for the ones flagged, the words left over.
 *
 * The phrases are the seed's time column (tests/fixtures/seed-tuyphuoc-
 * 2024.txt), the forms issue #17 names, phrases of published plans and
 * reporting rules of other provinces and ministries (2019-2026, sources
 * above each group), and the variants the design names.  Hostile input
 * last.  Then period_day, milestones in task text, limits.
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

#define PREV		TIMEEXPR_DAYOFF_PREVIOUS
#define NEXT		TIMEEXPR_DAYOFF_NEXT
#define DFLT		TIMEEXPR_DAYOFF_DEFAULT

struct expect_item {
	enum timeexpr_kind	 kind;
	int			 y, m, d;	/* ONCE: nominal due */
	int			 sy, sm, sd;	/* ONCE over a range: start */
	const char		*rrule;		/* RECURRING */
	enum timeexpr_dayoff	 dayoff;
	const char		*label;		/* NULL: not checked */
};

struct expect {
	const char		*text;
	enum timeexpr_quality	 quality;
	const char		*leftover;	/* flagged: the words left over */
	size_t			 n;
	struct expect_item	 items[4];
};

#define ONCE(y, m, d, l)	{ TIMEEXPR_ONCE, y, m, d, 0, 0, 0, NULL, DFLT, l }
#define BEFORE(y, m, d, l)	{ TIMEEXPR_ONCE, y, m, d, 0, 0, 0, NULL, PREV, l }
#define AFTER(y, m, d, l)	{ TIMEEXPR_ONCE, y, m, d, 0, 0, 0, NULL, NEXT, l }
#define RANGE(sy, sm, sd, y, m, d, l) \
	{ TIMEEXPR_ONCE, y, m, d, sy, sm, sd, NULL, DFLT, l }
#define EVERY(r, l)		{ TIMEEXPR_RECURRING, 0, 0, 0, 0, 0, 0, r, DFLT, l }
#define EVERY_B(r, l)		{ TIMEEXPR_RECURRING, 0, 0, 0, 0, 0, 0, r, PREV, l }
#define ONGOING(l)		{ TIMEEXPR_ONGOING, 0, 0, 0, 0, 0, 0, NULL, DFLT, l }
#define EVENT(l)		{ TIMEEXPR_ON_EVENT, 0, 0, 0, 0, 0, 0, NULL, DFLT, l }
#define UNPARSED(l)		{ TIMEEXPR_UNPARSED, 0, 0, 0, 0, 0, 0, NULL, DFLT, l }

/* A phrase read exactly, in part (flagged), or not at all. */
#define X(text, n, ...)		{ text, TIMEEXPR_EXACT, NULL, n, { __VA_ARGS__ } }
#define P(text, left, n, ...)	{ text, TIMEEXPR_PARTIAL, left, n, { __VA_ARGS__ } }
#define U(text, left, l)	{ text, TIMEEXPR_UNREAD, left, 1, { UNPARSED(l) } }

/* Every distinct bullet of the seed's time column, plan year 2024. */
static const struct expect seed_cases[] = {
	X("Theo tiến độ tỉnh giao", 1, EVENT("Theo tiến độ tỉnh giao")),
	X("Thường xuyên", 1, ONGOING("Thường xuyên")),
	X("Theo tiến độ Kế hoạch đề ra", 1,
	    EVENT("Theo tiến độ Kế hoạch đề ra")),
	X("Hàng quý, 06 tháng, năm.", 3, EVERY(QUARTERLY_END, "Hàng quý"),
	    EVERY(HALF_END, "06 tháng"), EVERY(YEARLY_END, "Năm")),
	X("Hoàn thành trong tháng 5/2024", 1,
	    ONCE(2024, 5, 31, "tháng 5/2024")),
	X("Tháng 6/2024", 1, ONCE(2024, 6, 30, "Tháng 6/2024")),
	X("Tháng 8/2024", 1, ONCE(2024, 8, 31, "Tháng 8/2024")),
	X("Hoàn thành trong quý III/2024", 1,
	    ONCE(2024, 9, 30, "quý III/2024")),
	/* The council's rules set the day: the year's end stands. */
	X("Hàng năm, theo thời gian quy định của Hội đồng Sáng kiến huyện", 1,
	    EVERY(YEARLY_END, "Hàng năm")),
	X("Quý II/2024", 1, ONCE(2024, 6, 30, "Quý II/2024")),
	X("Theo yêu cầu của Đoàn kiểm tra", 1,
	    EVENT("Theo yêu cầu của Đoàn kiểm tra")),
	/* "Before November": 31 October, never in November. */
	X("Hoàn thành trước tháng 11/2024", 1,
	    BEFORE(2024, 10, 31, "trước tháng 11/2024")),
	X("Sau khi tổ chức đối thoại", 1, EVENT("Sau khi tổ chức đối thoại")),
	X("Theo yêu cầu của tỉnh", 1, EVENT("Theo yêu cầu của tỉnh")),
	X("Năm 2024", 1, ONCE(2024, 12, 31, "Năm 2024")),
	X("Quý III/2024", 1, ONCE(2024, 9, 30, "Quý III/2024")),
	X("Theo quy định", 1, EVENT("Theo quy định")),
	X("Theo đề xuất của cơ quan, đơn vị", 1,
	    EVENT("Theo đề xuất của cơ quan, đơn vị")),
	X("Hàng tháng", 1, EVERY(MONTHLY_END, "Hàng tháng")),
	X("Hàng quý", 1, EVERY(QUARTERLY_END, "Hàng quý")),
	X("Ngày 30 tháng cuối cùng của quý", 1,
	    EVERY(QUARTERLY_30, "Ngày 30 tháng cuối cùng của quý")),
	X("Khi có hồ sơ trễ hẹn", 1, EVENT("Khi có hồ sơ trễ hẹn")),
	X("Khi có phản ánh, kiến nghị", 1,
	    EVENT("Khi có phản ánh, kiến nghị")),
	X("Khi có quy định mới của các bộ, ngành có liên quan", 1,
	    EVENT("Khi có quy định mới của các bộ, ngành có liên quan")),
	X("Theo Kế hoạch của UBND huyện.", 1,
	    EVENT("Theo Kế hoạch của UBND huyện")),
	X("06 tháng, năm", 2, EVERY(HALF_END, "06 tháng"),
	    EVERY(YEARLY_END, "Năm")),
	X("Hoàn thành trước tháng 12/2024", 1,
	    BEFORE(2024, 11, 30, "trước tháng 12/2024")),
	X("Thường xuyên khi có sự thay đổi", 1,
	    ONGOING("Thường xuyên khi có sự thay đổi")),
	/* The report's own time follows guidance: an event, no date. */
	X("Hoàn thành việc đánh giá trước ngày 15/12 và thời gian gửi báo "
	    "cáo theo văn bản hướng dẫn của huyện", 1,
	    BEFORE(2024, 12, 14, "trước ngày 15/12")),
	X("Theo quy định của tỉnh.", 1, EVENT("Theo quy định của tỉnh")),
	X("Theo đăng ký đi học của CBCC", 1,
	    EVENT("Theo đăng ký đi học của CBCC")),
	X("Sau khi Đề án được phê duyệt", 1,
	    EVENT("Sau khi Đề án được phê duyệt")),
	X("Theo quy định của tỉnh", 1, EVENT("Theo quy định của tỉnh")),
	X("Theo thời gian mở lớp của tỉnh và đăng ký của các đơn vị", 1,
	    EVENT(NULL)),
	X("Theo thời gian quy định của tỉnh", 1,
	    EVENT("Theo thời gian quy định của tỉnh")),
	X("Tháng 9/2024", 1, ONCE(2024, 9, 30, "Tháng 9/2024")),
	X("Sau khi có quyết định giao dự toán", 1,
	    EVENT("Sau khi có quyết định giao dự toán")),
	X("Theo yêu cầu của cơ quan có thẩm quyền", 1, EVENT(NULL)),
	X("Sau khi có kết luận thanh tra, kiểm tra", 1, EVENT(NULL)),
	X("Sau khi có quy định mới của cơ quan có thẩm quyền", 1, EVENT(NULL)),
	X("Thường xuyên và theo đề xuất của các cơ quan, đơn vị", 1,
	    ONGOING("Thường xuyên và theo đề xuất của các cơ quan, đơn vị")),
	X("Tháng 5/2024", 1, ONCE(2024, 5, 31, "Tháng 5/2024")),
	X("Khi có sự thay đổi", 1, EVENT("Khi có sự thay đổi")),
	X("Ban hành DMHS trong tháng 01/2024 và lập hồ sơ sau khi đã giải "
	    "quyết xong công việc.", 1, ONCE(2024, 1, 31, "tháng 01/2024")),
	X("Theo Kế hoạch huyện đề ra", 1, EVENT("Theo Kế hoạch huyện đề ra")),
	X("- Thường xuyên", 1, ONGOING("Thường xuyên")),

	/* Halves of bullets the seed splits across page breaks. */
	U("Hoàn thành trước tháng", "trước tháng", "Hoàn thành trước tháng"),
	X("11/2024", 1, ONCE(2024, 11, 30, "11/2024")),
	U("Tháng", "Tháng", "Tháng"),
	X("6/2024", 1, ONCE(2024, 6, 30, "6/2024")),
	X("Theo quy", 1, EVENT("Theo quy")),
	U("định của tỉnh", "định của tỉnh", "định của tỉnh"),
	U("giao dự toán", "giao dự toán", "giao dự toán"),
	U("Ban hành DMHS trong", "Ban hành DMHS trong", "Ban hành DMHS trong"),
	X("tháng 01/2024 và lập hồ sơ sau khi đã giải quyết xong công việc.",
	    1, ONCE(2024, 1, 31, "tháng 01/2024")),
	X("Theo Kế hoạch huyện", 1, EVENT("Theo Kế hoạch huyện")),
	U("đề ra", "đề ra", "đề ra"),
	U("Thời gian thực hiện", "Thời gian thực hiện", "Thời gian thực hiện"),
};

/*
 * The forms issue #17 names, plan year 2025, plan issued 12/03/2025 (so
 * the next Tết is Bính Ngọ, 17/02/2026; Ất Tỵ, 29/01/2025, is past).
 */
static const struct expect issue_cases[] = {
	X("Hằng tháng, trước ngày 22", 1, EVERY_B("FREQ=MONTHLY;BYMONTHDAY=21",
	    "Hằng tháng, trước ngày 22")),
	X("Hằng quý (trước ngày 18 tháng cuối quý)", 1,
	    EVERY_B("FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=17",
	    "Hằng quý (trước ngày 18 tháng cuối quý)")),
	X("Hằng năm (trước ngày 05/12)", 1,
	    EVERY_B("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=4",
	    "Hằng năm (trước ngày 05/12)")),
	X("trước 25/11 hằng năm", 1,
	    EVERY_B("FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=24",
	    "trước 25/11 hằng năm")),
	X("Định kỳ 6 tháng (trước 10/6 và 10/12)", 1,
	    EVERY_B("FREQ=MONTHLY;BYMONTH=6,12;BYMONTHDAY=9",
	    "Định kỳ 6 tháng (trước 10/6 và 10/12)")),
	X("Định kỳ hằng quý", 1, EVERY(QUARTERLY_END, "Hàng quý")),
	X("định kỳ 6 tháng", 1, EVERY(HALF_END, "06 tháng")),
	X("Từ tháng 4 đến tháng 7/2025", 1,
	    RANGE(2025, 4, 1, 2025, 7, 31, "Từ tháng 4 đến tháng 7/2025")),
	X("Từ 15/4/2025 đến 15/8/2025", 1,
	    RANGE(2025, 4, 15, 2025, 8, 15, "Từ 15/4/2025 đến 15/8/2025")),
	X("Tháng 4-7/2025", 1, RANGE(2025, 4, 1, 2025, 7, 31,
	    "Tháng 4-7/2025")),
	X("Quý II-III/2025", 1, RANGE(2025, 4, 1, 2025, 9, 30,
	    "Quý II-III/2025")),
	/* Within the first week: by the 7th, on a day off the day before. */
	X("tuần đầu của tháng", 1, EVERY_B("FREQ=MONTHLY;BYMONTHDAY=7",
	    "tuần đầu của tháng")),
	X("tuần đầu tiên của tháng", 1,
	    EVERY_B("FREQ=MONTHLY;BYMONTHDAY=7", NULL)),
	X("tuần cuối mỗi quý", 1, EVERY_B(QUARTERLY_END, "tuần cuối mỗi quý")),
	/* Tết's eve, 16/02/2026; its second day, 18/02/2026. */
	X("trước Tết Nguyên đán", 1,
	    BEFORE(2026, 2, 16, "trước Tết Nguyên đán")),
	X("sau Tết Nguyên đán", 1, AFTER(2026, 2, 18, "sau Tết Nguyên đán")),
	/* "Trước" governs a date with or without "ngày", with "mùng". */
	X("trước 20/8", 1, BEFORE(2025, 8, 19, "trước 20/8")),
	X("trước ngày mùng 5 hằng tháng", 1,
	    EVERY_B("FREQ=MONTHLY;BYMONTHDAY=4", NULL)),
	X("trước ngày 15 tháng cuối cùng của mỗi quý", 1,
	    EVERY_B("FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=14", NULL)),
	X("trước ngày 15/12 hằng năm", 1,
	    EVERY_B("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=14", NULL)),
};

/*
 * Phrases of published plans, reports and reporting rules, as written
 * there; plan year 2025, issued 12/03/2025 unless a year is written.
 */
static const struct expect published_cases[] = {
	/* Cục Trợ giúp pháp lý, thông báo 20/03/2017 (tgpl.moj.gov.vn). */
	X("trước ngày 25/06 đối với báo cáo 06 tháng; trước ngày 28/11 đối "
	    "với báo cáo năm", 2,
	    EVERY_B("FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=24",
	    "trước ngày 25/06 đối với báo cáo 06 tháng"),
	    EVERY_B("FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=27",
	    "trước ngày 28/11 đối với báo cáo năm")),
	/* Ninh Bình, Kế hoạch 130/KH-UBND, 13/07/2022. */
	P("định kỳ 6 tháng, hằng năm, đầu kỳ, giữa kỳ, cuối kỳ hoặc đột xuất "
	    "khi cần thiết", "đầu kỳ; giữa kỳ; cuối kỳ", 2,
	    EVERY(HALF_END, "06 tháng"), EVERY(YEARLY_END, "Hàng năm")),
	/* Bộ Nội vụ to the provinces, 2025 (thanhnienonline.com). */
	X("Số liệu phải được gửi về Bộ Nội vụ trước 30/8", 1,
	    BEFORE(2025, 8, 29, "trước 30/8")),
	X("báo cáo Chính phủ, Thủ tướng trước 30/9", 1,
	    BEFORE(2025, 9, 29, "trước 30/9")),
	/* Phiên họp Chính phủ, 25/10/2025 (vietbao.vn). */
	X("từ nay đến hết năm 2025 và những năm tiếp theo", 1,
	    ONCE(2025, 12, 31, "đến hết năm 2025")),
	/* Nghị quyết 86/NQ-CP, 04/11/2025 (baothanhhoa.vn). */
	X("hoàn thành các nhiệm vụ trong tháng 11, tháng 12 năm 2025", 2,
	    ONCE(2025, 11, 30, "tháng 11"),
	    ONCE(2025, 12, 31, "tháng 12 năm 2025")),
	/* Phiên họp Chính phủ tháng 4/2025 (nguoiquansat.vn). */
	X("đến hết quý II", 1, ONCE(2025, 6, 30, "đến hết quý II")),
	/* Thông tư 02/2023/TT-BTTTT, art. on report deadlines. */
	X("Chậm nhất ngày 15 (mười lăm) của tháng báo cáo đối với báo cáo "
	    "định kỳ hằng tháng", 1, EVERY("FREQ=MONTHLY;BYMONTHDAY=15", NULL)),
	X("Chậm nhất ngày 06 (sáu) của tháng cuối quý đối với báo cáo định kỳ "
	    "hằng quý", 1,
	    EVERY("FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=6", NULL)),
	X("Chậm nhất ngày 06 (sáu) tháng 06 (sáu) đối với báo cáo định kỳ 06 "
	    "(sáu) tháng", 1, EVERY("FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=6", NULL)),
	X("Chậm nhất ngày 25 (hai mươi lăm) tháng 11 (mười một) đối với báo "
	    "cáo định kỳ hằng năm", 1,
	    EVERY("FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=25", NULL)),
	X("Chậm nhất ngày 16 (mười sáu) của tháng báo cáo đối với báo cáo "
	    "định kỳ hằng tháng", 1, EVERY("FREQ=MONTHLY;BYMONTHDAY=16", NULL)),
	X("Chậm nhất ngày 08 (tám) của tháng cuối quý đối với báo cáo định kỳ "
	    "hằng quý", 1,
	    EVERY("FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=8", NULL)),
	X("Chậm nhất ngày 08 (tám) tháng 06 (sáu) đối với báo cáo định kỳ 06 "
	    "(sáu) tháng", 1, EVERY("FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=8", NULL)),
	X("Chậm nhất ngày 27 (hai mươi bảy) tháng 11 (mười một) đối với báo "
	    "cáo định kỳ hằng năm", 1,
	    EVERY("FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=27", NULL)),
	/*
	 * Thông tư 03/2015/TT-BTTTT (ppdvn.gov.vn): "6 tháng đầu năm" names
	 * the report, not a deadline, and "năm báo cáo" is left: flagged.
	 */
	P("Báo cáo 6 tháng đầu năm gửi trước ngày 10/07 của năm báo cáo",
	    "năm", 2, ONCE(2025, 6, 30, "6 tháng đầu năm"),
	    BEFORE(2025, 7, 9, "trước ngày 10/07")),
	P("Báo cáo cả năm gửi trước ngày 10/01 của năm liền kề năm báo cáo",
	    "năm; năm liền kề năm", 1, BEFORE(2025, 1, 9, "trước ngày 10/01")),
	P("Số liệu báo cáo 6 tháng đầu năm tính từ ngày 01/01 đến ngày 30/06 "
	    "của năm báo cáo", "năm", 2, ONCE(2025, 6, 30, "6 tháng đầu năm"),
	    RANGE(2025, 1, 1, 2025, 6, 30, "từ ngày 01/01 đến ngày 30/06")),
	/* Văn phòng UBND tỉnh Ninh Bình, 986/VPUBND-PVHCC, 06/2025. */
	P("hoàn thành ngay sau UBND xã đi vào hoạt động (trước 7h00 sáng ngày "
	    "01/7/2025)", "sau; trước 7h00", 1,
	    ONCE(2025, 7, 1, "ngày 01/7/2025")),
	/* Đảng ủy Chính phủ, the reorganisation's dates (moitruongngaynay). */
	X("báo cáo Trung ương trước ngày 1/4/2025", 1,
	    BEFORE(2025, 3, 31, "trước ngày 1/4/2025")),
	X("dự kiến sẽ hoàn thành trước ngày 31/10/2025", 1,
	    BEFORE(2025, 10, 30, "trước ngày 31/10/2025")),
	/* Nghị định 09/2019/NĐ-CP, art. 13: which period, it does not say. */
	U("chậm nhất vào ngày 25 của tháng cuối kỳ báo cáo",
	    "chậm nhất vào ngày 25 của tháng cuối kỳ", NULL),
	/* Nghị định 09/2019/NĐ-CP, art. 12: a data period, not a deadline. */
	U("Tính từ ngày 15 tháng trước đến ngày 14 của tháng thuộc kỳ báo cáo",
	    "ngày 15 tháng trước đến ngày 14 của tháng", NULL),
	/* Chính phủ, the reorganisation (ksbtdanang.vn). */
	X("bảo đảm đúng tiến độ theo chỉ đạo của Trung ương, Bộ Chính trị, "
	    "Ban Bí thư (trong tháng 5 và tháng 6 năm 2025)", 2,
	    ONCE(2025, 5, 31, "tháng 5"), ONCE(2025, 6, 30, "tháng 6 năm 2025")),
	/* UBND tỉnh Hải Dương, 07/2020 (baohaiduong.vn): dotted dates. */
	X("Các huyện thành lập đoàn đánh giá mức độ hoàn thành các tiêu chí, "
	    "thời gian xong trước ngày 31.7", 1,
	    BEFORE(2025, 7, 30, "trước ngày 31.7")),
	X("hoàn thiện hồ sơ báo cáo UBND tỉnh trước ngày 15.9", 1,
	    BEFORE(2025, 9, 14, "trước ngày 15.9")),
	X("tổng hợp kết quả, báo cáo UBND tỉnh trước ngày 5.10", 1,
	    BEFORE(2025, 10, 4, "trước ngày 5.10")),
	X("hoàn thiện hồ sơ trình Bộ Nông nghiệp và Phát triển nông thôn "
	    "trước ngày 30.11", 1, BEFORE(2025, 11, 29, "trước ngày 30.11")),
	/*
	 * UBND tỉnh Quảng Nam, Công văn 3308/UBND-KTN, 2020: the deadline
	 * moved; the one it replaces and the plan it cites are no deadline.
	 */
	X("lùi thời gian hoàn thành các mục tiêu chương trình xây dựng nông "
	    "thôn mới giai đoạn 2016 - 2020 đến trước tháng 9.2020 (thay cho "
	    "trước tháng 6.2020 tại Kế hoạch số 7809/KH-UBND ngày 27.12.2019 "
	    "của UBND tỉnh)", 1, BEFORE(2020, 8, 31, "trước tháng 9.2020")),
	/* HĐND Tuyên Quang, 2018: "ngay" (at once) is no "ngày" (day). */
	X("nhiều phần việc đã được chính quyền các xã phấn đấu hoàn thành "
	    "ngay trong quý I-2018", 1, ONCE(2018, 3, 31, "quý I-2018")),
	/* UBND xã Châu Phong (An Giang): before what, it does not say. */
	P("các hoạt động trước, trong và sau Tết Nguyên đán", "trước", 1,
	    AFTER(2026, 2, 18, "sau Tết Nguyên đán")),
	/* Luật Phổ biến, giáo dục pháp luật 2012, art. 8. */
	X("ngày 09 tháng 11 hằng năm", 1,
	    EVERY("FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=9", NULL)),
	/* Hội đồng phối hợp PBGDPL, Quyết định 156, 24/10/2025. */
	X("Kế hoạch nhiệm vụ trọng tâm quý IV/2025", 1,
	    ONCE(2025, 12, 31, "quý IV/2025")),
	/* HĐND phường An Hải (Đà Nẵng), 15/08/2025. */
	X("chỉ tiêu, giải pháp trọng tâm cần tập trung thực hiện 6 tháng cuối "
	    "năm 2025", 1, ONCE(2025, 12, 31, "6 tháng cuối năm 2025")),
	X("thảo luận, quyết nghị các nhiệm vụ trọng tâm những tháng cuối năm "
	    "2025", 1, ONCE(2025, 12, 31, "những tháng cuối năm 2025")),
	/* UBND phường Tân Hưng (Hải Phòng), 29/08/2025. */
	X("triển khai nhiệm vụ trọng tâm tháng 9/2025", 1,
	    ONCE(2025, 9, 30, "tháng 9/2025")),
	/* UBND tỉnh Vĩnh Long, 07/2025 (baovinhlong.com.vn). */
	X("trong tháng 8 và tháng 9 năm 2025", 2, ONCE(2025, 8, 31, "tháng 8"),
	    ONCE(2025, 9, 30, "tháng 9 năm 2025")),
	/* Phó Thủ tướng Trần Lưu Quang, 2024 (giadinhvaphapluat.vn). */
	X("phải hoàn thành trước tháng 10/2024", 1,
	    BEFORE(2024, 9, 30, "trước tháng 10/2024")),
	/* Bộ trưởng Bộ Nội vụ, 03/2025 (bacphu.socson.hanoi.gov.vn). */
	X("Tập trung hoàn thiện việc sát nhập các đơn vị hành chính cấp tỉnh "
	    "trước 30/8/2025", 1, BEFORE(2025, 8, 29, "trước 30/8/2025")),
	X("hoàn thành toàn bộ việc sắp xếp đơn vị hành chính cấp xã trước "
	    "ngày 30/6", 1, BEFORE(2025, 6, 29, "trước ngày 30/6")),
	X("sáp nhập đơn vị hành chính cấp tỉnh hoàn thành trước ngày 30/8", 1,
	    BEFORE(2025, 8, 29, "trước ngày 30/8")),
	/* A start without an end is no deadline. */
	U("vận hành đơn vị hành chính cấp tỉnh bắt đầu từ ngày 1/9",
	    "ngày 1/9", NULL),
	/* Báo Quảng Ngãi, 01/2021. */
	X("tập trung giải ngân vốn kế hoạch năm 2020 trong thời gian còn lại "
	    "(đến ngày 31.1.2021)", 2, ONCE(2020, 12, 31, "năm 2020"),
	    ONCE(2021, 1, 31, "đến ngày 31.1.2021")),
	/* Thông tư 44/2019/TT-BGTVT, art. 7. */
	X("Báo cáo định kỳ hàng tháng: Thời hạn gửi báo cáo chậm nhất vào "
	    "ngày 20 của tháng báo cáo.", 1,
	    EVERY("FREQ=MONTHLY;BYMONTHDAY=20", NULL)),
	X("Báo cáo định kỳ hàng quý: Thời hạn gửi báo cáo chậm nhất vào ngày "
	    "20 của tháng cuối quý thuộc kỳ báo cáo.", 1,
	    EVERY("FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=20", NULL)),
	X("Báo cáo định kỳ 6 tháng: Thời hạn gửi báo cáo chậm nhất vào ngày "
	    "20/6 và ngày 20/12 hàng năm.", 1,
	    EVERY("FREQ=MONTHLY;BYMONTH=6,12;BYMONTHDAY=20", NULL)),
	X("Báo cáo định kỳ hàng năm: Thời hạn gửi báo cáo chậm nhất là ngày "
	    "20/12 hàng năm.", 1,
	    EVERY("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=20", NULL)),
	/* UBND tỉnh Kon Tum, 02/2025. */
	X("tập trung hoàn thành đúng tiến độ các công việc của tháng 02 và "
	    "quý I năm 2025", 2, ONCE(2025, 2, 28, "tháng 02"),
	    ONCE(2025, 3, 31, "quý I năm 2025")),
	X("nhất là các nhiệm vụ hoàn thành trong quý I năm 2025", 1,
	    ONCE(2025, 3, 31, "quý I năm 2025")),
	X("thực hiện nghiêm, có hiệu quả chỉ đạo tại các kết luận hằng tháng, "
	    "quý", 2, EVERY(MONTHLY_END, "Hàng tháng"),
	    EVERY(QUARTERLY_END, "Hàng quý")),
	/* Nghỉ "tết" without "trước"/"sau Tết": flagged. */
	U("Bắt tay vào công việc sau dịp nghỉ tết", "sau dịp nghỉ tết", NULL),
	/* UBND tỉnh Ninh Thuận, Quyết định 55/2007: mid-term and final. */
	P("sơ kết giữa kỳ vào năm 2008 và tổng kết vào năm 2010", "giữa kỳ", 2,
	    ONCE(2008, 12, 31, "năm 2008"), ONCE(2010, 12, 31, "năm 2010")),
	/* UBND xã Nghĩa Trung (Đồng Nai), lịch làm việc 2026. */
	P("Tuần thứ 07 từ ngày 09/02/2026 đến ngày 13/02/2026",
	    "Tuần thứ 07", 1, RANGE(2026, 2, 9, 2026, 2, 13,
	    "từ ngày 09/02/2026 đến ngày 13/02/2026")),
	/* Tổng cục Thống kê, chế độ báo cáo: "năm sau", "năm báo cáo". */
	U("15/9 năm sau", "15/9 năm sau", "15/9 năm sau"),
	U("19/6 và 19/12 năm báo cáo", "19/6 và 19/12 năm", NULL),
	X("Ngày 10/8", 1, ONCE(2025, 8, 10, "Ngày 10/8")),
	/* Ủy ban Quốc gia về chuyển đổi số, 2025 (phunutoday.vn). */
	X("đến ngày 30/6/2025, toàn thể lãnh đạo, cán bộ và công chức", 1,
	    ONCE(2025, 6, 30, "đến ngày 30/6/2025")),
	X("Mục tiêu đến cuối năm 2025", 1,
	    ONCE(2025, 12, 31, "đến cuối năm 2025")),
	/* Văn phòng Chính phủ, Thông báo 408/TB-VPCP, 08/2025 (cafef.vn). */
	X("hoàn thành cung cấp dịch vụ công trực tuyến cấp xã trước "
	    "15/8/2025", 1, BEFORE(2025, 8, 14, "trước 15/8/2025")),
	/* UBND tỉnh Quảng Ngãi, Quyết định 393/QĐ-UBND, 14/07/2025. */
	X("để thực hiện trong các tháng còn lại của năm 2025", 1,
	    ONCE(2025, 12, 31, "các tháng còn lại của năm 2025")),
	/* Tỉnh Vĩnh Phúc, 10/2024. */
	X("các tháng cuối năm 2024 và năm 2025", 2,
	    ONCE(2024, 12, 31, "các tháng cuối năm 2024"),
	    ONCE(2025, 12, 31, "năm 2025")),
	P("Chín tháng đầu năm 2024", "tháng đầu", 1,
	    ONCE(2024, 12, 31, "năm 2024")),
	/* UBND huyện Mường Tè, 02/2025: an event, Tết inside it. */
	X("trở lại làm việc ngay sau khi kết thúc thời gian nghỉ Tết", 1,
	    EVENT(NULL)),
	/* Thủ tướng, 2025 (vietnam24h.com.vn): a start, no deadline. */
	U("chuẩn bị sẵn sàng để từ ngày 1/7/2025 vận hành bộ máy mới",
	    "ngày 1/7/2025", NULL),
	/* Bộ trưởng Bộ Nội vụ, 03/2025: both dates are due. */
	X("hoàn thành toàn bộ việc sắp xếp đơn vị hành chính cấp xã trước "
	    "ngày 30/6 để đến ngày 1/7, các đơn vị hành chính cấp xã được vận "
	    "hành theo tổ chức mới", 2, BEFORE(2025, 6, 29, "trước ngày 30/6"),
	    ONCE(2025, 7, 1, "đến ngày 1/7")),
	/* The reorganisation's milestones (moitruongngaynay.vn, 03/2025). */
	X("25/3/2025: Đảng ủy Chính phủ báo cáo Bộ Chính trị đề án sắp xếp "
	    "lại đơn vị hành chính các cấp", 1, ONCE(2025, 3, 25, "25/3/2025")),
	P("15/7/2025: Tỉnh ủy, thành ủy (trước sáp nhập) kiện toàn tổ chức, "
	    "cán bộ", "trước", 1, ONCE(2025, 7, 15, "15/7/2025")),
	P("31/10/2025: Tỉnh ủy, Thành ủy (sau sáp nhập) hoàn thiện các văn "
	    "kiện", "sau", 1, ONCE(2025, 10, 31, "31/10/2025")),
	/* Tỉnh Vĩnh Phúc, 10/2024: "early 2025", when? */
	P("Dự báo các tháng cuối năm 2024, đầu năm 2025", "đầu", 2,
	    ONCE(2024, 12, 31, "các tháng cuối năm 2024"),
	    ONCE(2025, 12, 31, "năm 2025")),
	/* Nghị quyết 162/NQ-CP and 124/NQ-CP, 2025: periods, not months. */
	P("Trong 05 tháng đầu năm 2025", "05 tháng đầu", 1,
	    ONCE(2025, 12, 31, "năm 2025")),
	P("tình hình kinh tế - xã hội tháng 4 và 4 tháng đầu năm 2025",
	    "4 tháng đầu", 2, ONCE(2025, 4, 30, "tháng 4"),
	    ONCE(2025, 12, 31, "năm 2025")),
	/* A plan's own citation: a reference, not a deadline. */
	U("Thực hiện Quyết định số 264/QĐ-UBND ngày 22/01/2024",
	    "Thực hiện Quyết định số 264/QĐ-UBND ngày 22/01/2024", NULL),
	/* Kế hoạch CCHC xã Long Phụng, 18/07/2025; Thanh Hóa 130/KH-UBND. */
	X("Hằng năm (trước ngày 05/12)", 1,
	    EVERY_B("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=4", NULL)),
	X("Năm 2025 và những năm tiếp theo", 1,
	    ONCE(2025, 12, 31, "Năm 2025")),
	X("Trước ngày 15/12/2025", 1,
	    BEFORE(2025, 12, 14, "Trước ngày 15/12/2025")),
	X("Trong tháng 7/2025", 1, ONCE(2025, 7, 31, "tháng 7/2025")),
};

/* The variants the design names, plan year 2024. */
static const struct expect variant_cases[] = {
	X("trong tháng 01/2024", 1, ONCE(2024, 1, 31, "tháng 01/2024")),
	X("tháng 2/2024", 1, ONCE(2024, 2, 29, NULL)),
	X("tháng 2/2023", 1, ONCE(2023, 2, 28, NULL)),
	X("tháng 5 năm 2024", 1, ONCE(2024, 5, 31, NULL)),
	X("trước tháng 11/2024", 1, BEFORE(2024, 10, 31, NULL)),
	X("trước tháng 1/2025", 1, BEFORE(2024, 12, 31, NULL)),
	X("trước tháng 3/2024", 1, BEFORE(2024, 2, 29, NULL)),
	X("quý 2/2024", 1, ONCE(2024, 6, 30, "quý 2/2024")),
	X("quý III-2021", 1, ONCE(2021, 9, 30, "quý III-2021")),
	X("Quý IV/2024", 1, ONCE(2024, 12, 31, NULL)),
	X("trong quý 1 năm 2018", 1, ONCE(2018, 3, 31, "quý 1 năm 2018")),
	X("Hoàn thành trong quý III–2024", 1, ONCE(2024, 9, 30, NULL)),
	X("cuối năm", 1, ONCE(2024, 12, 31, "cuối năm")),
	X("6 tháng đầu năm", 1, ONCE(2024, 6, 30, "6 tháng đầu năm")),
	X("06 tháng đầu năm 2025", 1, ONCE(2025, 6, 30, NULL)),
	X("trước ngày 15/12", 1, BEFORE(2024, 12, 14, "trước ngày 15/12")),
	X("trước ngày 01/01/2025", 1, BEFORE(2024, 12, 31, NULL)),
	X("trước ngày 1/3/2024", 1, BEFORE(2024, 2, 29, NULL)),
	X("trước ngày 1/3/2023", 1, BEFORE(2023, 2, 28, NULL)),
	X("trước ngày 01/5", 1, BEFORE(2024, 4, 30, NULL)),
	X("chậm nhất ngày 15/12/2024", 1,
	    ONCE(2024, 12, 15, "chậm nhất ngày 15/12/2024")),
	X("chậm nhất là ngày 15/12", 1,
	    ONCE(2024, 12, 15, "chậm nhất là ngày 15/12")),
	X("đến ngày 30.6.2024", 1, ONCE(2024, 6, 30, "đến ngày 30.6.2024")),
	X("Hạn 20/6", 1, ONCE(2024, 6, 20, "Hạn 20/6")),
	X("hạn chót ngày 20/6/2024", 1, ONCE(2024, 6, 20, NULL)),
	X("ngày 05-06-2024", 1, ONCE(2024, 6, 5, "ngày 05-06-2024")),
	X("ngày 15 tháng 12 năm 2024", 1, ONCE(2024, 12, 15, NULL)),
	X("15/12/2024", 1, ONCE(2024, 12, 15, "15/12/2024")),
	X("5/6/2024", 1, ONCE(2024, 6, 5, NULL)),
	X("15/12", 1, ONCE(2024, 12, 15, "15/12")),
	X("2024-12-15", 1, ONCE(2024, 12, 15, NULL)),
	X("2024-2025", 1, RANGE(2024, 1, 1, 2025, 12, 31, "2024-2025")),
	X("2021-2025", 1, RANGE(2021, 1, 1, 2025, 12, 31, NULL)),
	X("giai đoạn 2021 - 2025", 1,
	    RANGE(2021, 1, 1, 2025, 12, 31, "giai đoạn 2021 - 2025")),
	X("Giai đoạn 1: hoàn thành trước ngày 30/6/2024; Giai đoạn 2: hoàn "
	    "thành trước ngày 30/9/2024", 2,
	    BEFORE(2024, 6, 29, "Giai đoạn 1"),
	    BEFORE(2024, 9, 29, "Giai đoạn 2")),
	X("Hằng tháng", 1, EVERY(MONTHLY_END, "Hàng tháng")),
	X("HÀNG QUÝ", 1, EVERY(QUARTERLY_END, "Hàng quý")),
	X("hàng năm", 1, EVERY(YEARLY_END, "Hàng năm")),
	X("Năm", 1, EVERY(YEARLY_END, "Năm")),
	X("6 tháng", 1, EVERY(HALF_END, "06 tháng")),
	X("cuối mỗi quý", 1, EVERY(QUARTERLY_END, NULL)),
	X("Hằng tuần", 1, EVERY("FREQ=WEEKLY;BYDAY=FR", "Hàng tuần")),
	X("Hàng quý, 06 tháng và năm", 3, EVERY(QUARTERLY_END, NULL),
	    EVERY(HALF_END, NULL), EVERY(YEARLY_END, NULL)),
	X("Hàng quý, hàng quý", 1, EVERY(QUARTERLY_END, NULL)),
	X("ngày 30 tháng cuối cùng của mỗi quý", 1, EVERY(QUARTERLY_30, NULL)),
	X("trước ngày 20/11 hằng năm", 1,
	    EVERY_B("FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=19",
	    "trước ngày 20/11 hằng năm")),
	X("trước ngày 1/3 hằng năm", 1,
	    EVERY_B("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1",
	    NULL)),
	X("trước ngày 01/01 hàng năm", 1, EVERY_B(YEARLY_END, NULL)),
	X("ngày 30 tháng 6 hằng năm", 1,
	    EVERY("FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=30", NULL)),
	X("tháng 12 hằng năm", 1, EVERY(YEARLY_END, NULL)),
	X("trong quý I hằng năm", 1,
	    EVERY("FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=31", NULL)),
	X("trước ngày mùng 3 hàng tháng", 1,
	    EVERY_B("FREQ=MONTHLY;BYMONTHDAY=2",
	    "trước ngày mùng 3 hàng tháng")),
	X("trước ngày mùng 1 hàng tháng", 1, EVERY_B(MONTHLY_END, NULL)),
	X("ngày 25 hàng tháng", 1,
	    EVERY("FREQ=MONTHLY;BYMONTHDAY=25", "ngày 25 hàng tháng")),
	X("ngày 10 và 25 hằng tháng", 2,
	    EVERY("FREQ=MONTHLY;BYMONTHDAY=10", NULL),
	    EVERY("FREQ=MONTHLY;BYMONTHDAY=25", NULL)),
	X("ngày 30 hàng tháng", 1,
	    EVERY("FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1", NULL)),
	X("ngày 31 hằng tháng", 1, EVERY(MONTHLY_END, NULL)),
	X("Hằng quý, trước ngày 10 của tháng đầu quý sau", 1,
	    EVERY_B("FREQ=MONTHLY;BYMONTH=1,4,7,10;BYMONTHDAY=9", NULL)),
	X("Hằng tháng, trước ngày 5 của tháng sau", 1,
	    EVERY_B("FREQ=MONTHLY;BYMONTHDAY=4", NULL)),
	X("tuần đầu tháng 5/2024", 1, BEFORE(2024, 5, 7, NULL)),
	X("tuần cuối tháng 6/2024", 1, BEFORE(2024, 6, 30, NULL)),
	X("Cả năm", 1, ONGOING("Cả năm")),
	X("Hằng ngày", 1, ONGOING("Hằng ngày")),
	X("Thường xuyên; hằng quý", 2, ONGOING("Thường xuyên"),
	    EVERY(QUARTERLY_END, "Hàng quý")),
	X("Thường xuyên và theo đề xuất của các cơ quan", 1, ONGOING(NULL)),
	X("Theo đề xuất của Phòng Nội vụ", 1, EVENT(NULL)),
	X("Theo đăng ký của các đơn vị", 1, EVENT(NULL)),
	X("Báo cáo theo quý", 1, EVERY(QUARTERLY_END, "Hàng quý")),
	X("  -  Theo Kế hoạch của UBND tỉnh .  ", 1,
	    EVENT("Theo Kế hoạch của UBND tỉnh")),
	X("Trong thời hạn 05 ngày làm việc kể từ ngày nhận hồ sơ", 1,
	    EVENT(NULL)),
	/* 15/12 fits no quarter: the quarters stand, flagged. */
	P("Hàng quý, trước ngày 15/12", "trước ngày 15/12", 1,
	    EVERY(QUARTERLY_END, "Hàng quý")),
	/* "đầu năm": early in the year, but when? */
	P("Quý IV/2024 và đầu năm 2025", "đầu", 2,
	    ONCE(2024, 12, 31, "Quý IV/2024"), ONCE(2025, 12, 31, "năm 2025")),
	U("Tổ chức hội nghị", "Tổ chức hội nghị", "Tổ chức hội nghị"),
	U("trước ngày 20", "trước ngày 20", "trước ngày 20"),

	/* NFD (decomposed) spellings. */
	X("Ha\xcc\x86\xcc\x80ng quy\xcc\x81", 1,
	    EVERY(QUARTERLY_END, "Hàng quý")),
	X("Hoa\xcc\x80n tha\xcc\x80nh trong quy\xcc\x81 III/2024", 1,
	    ONCE(2024, 9, 30, "quy\xcc\x81 III/2024")),
	X("tru\xcc\x9bo\xcc\x9b\xcc\x81" "c nga\xcc\x80y 15/12", 1,
	    BEFORE(2024, 12, 14, NULL)),
	X("Thu\xcc\x9bo\xcc\x9b\xcc\x80ng xuye\xcc\x82n", 1, ONGOING(NULL)),
	X("Nga\xcc\x80y 30 tha\xcc\x81ng cuo\xcc\x82\xcc\x81i cu\xcc\x80ng "
	    "cu\xcc\x89" "a quy\xcc\x81", 1, EVERY(QUARTERLY_30, NULL)),
	X("Theo quy \xc4\x91i\xcc\xa3nh", 1, EVENT(NULL)),
};

/* Hostile input, plan year 2024: nothing read into a false date. */
static const struct expect hostile_cases[] = {
	U("", "", ""),
	U("32/13/2024", "32/13/2024", "32/13/2024"),
	U("ngày 32/13/2024", "ngày 32/13/2024", NULL),
	U("trước ngày 30/02/2024", "trước ngày 30/02/2024", NULL),
	U("tháng 13/2024", "tháng 13/2024", NULL),
	U("tháng 0/2024", "tháng 0/2024", NULL),
	U("Quý V/2024", "Quý V/2024", NULL),
	U("quý 0/2024", "quý 0/2024", NULL),
	U("99999999999999999999/12/2024", NULL, NULL),
	U("ngày 15/99999999999999999999", NULL, NULL),
	U("2025-2021", "2025-2021", NULL),
	U("ngày 29/2/2023", "ngày 29/2/2023", NULL),
	X("\xff\xfe Quý II/2024 \xc3", 1, ONCE(2024, 6, 30, NULL)),
	U("\xc0\xaf\xed\xa0\x80\xf8\x88\x80\x80\x80", NULL,
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"),
	X("Theo\tquy\x01 định", 1, EVENT("Theo quy định")),
};

/* A table of cases and the options they are read with. */
struct table {
	const char		*name;
	const struct expect	*cases;
	size_t			 n;
	struct timeexpr_options	 opt;
};

/* One case and its options: the state of a cmocka test. */
struct one {
	const struct expect		*c;
	const struct timeexpr_options	*opt;
};

/* Checks one parsed item against its expectation. */
static void
check_item(const char *text, const struct timeexpr_item *it,
    const struct expect_item *want)
{
	if (it->kind != want->kind || it->dayoff != want->dayoff)
		print_error("\"%s\": kind %s dayoff %d, expected %s %d\n", text,
		    timeexpr_kind_name(it->kind), (int)it->dayoff,
		    timeexpr_kind_name(want->kind), (int)want->dayoff);
	assert_int_equal(it->kind, want->kind);
	assert_int_equal(it->dayoff, want->dayoff);
	assert_non_null(it->label);
	if (want->label != NULL)
		assert_string_equal(it->label, want->label);
	if (want->kind == TIMEEXPR_ONCE)
		assert_int_equal(it->due,
		    date_from_ymd(want->y, want->m, want->d));
	else
		assert_int_equal(it->due, DATE_NONE);
	if (want->sy != 0)
		assert_int_equal(it->start,
		    date_from_ymd(want->sy, want->sm, want->sd));
	else
		assert_int_equal(it->start, DATE_NONE);
	if (want->kind == TIMEEXPR_RECURRING) {
		assert_non_null(it->rrule);
		assert_string_equal(it->rrule, want->rrule);
	} else
		assert_null(it->rrule);
}

/* Parses one case with options and checks quality, leftover and items. */
static void
check_case(const struct expect *c, const struct timeexpr_options *opt)
{
	struct timeexpr	te;
	size_t		i;

	assert_int_equal(timeexpr_parse(c->text, opt, &te), 0);
	if (te.n != c->n || te.quality != c->quality)
		print_error("\"%s\": %zu items, %s; expected %zu, %s\n",
		    c->text, te.n, timeexpr_quality_name(te.quality), c->n,
		    timeexpr_quality_name(c->quality));
	assert_int_equal(te.n, c->n);
	assert_int_equal(te.quality, c->quality);
	if (c->quality == TIMEEXPR_EXACT)
		assert_null(te.leftover);
	else {
		assert_non_null(te.leftover);
		if (c->leftover != NULL)
			assert_string_equal(te.leftover, c->leftover);
	}
	for (i = 0; i < te.n; i++)
		check_item(c->text, &te.items[i], &c->items[i]);
	timeexpr_clear(&te);
	assert_null(te.items);
	assert_null(te.leftover);
	assert_int_equal(te.n, 0);
}

/* One table case. */
static void
test_case(void **state)
{
	const struct one	*one = *state;

	check_case(one->c, one->opt);
}

/* Dates without a year take the plan's year. */
static void
test_plan_year(void **state)
{
	struct timeexpr_options	 opt = { 2025, 0, 0 };
	const struct expect	 cases[] = {
		X("trước ngày 15/12", 1, BEFORE(2025, 12, 14, NULL)),
		X("cuối năm", 1, ONCE(2025, 12, 31, NULL)),
		X("6 tháng đầu năm", 1, ONCE(2025, 6, 30, NULL)),
		X("Quý II", 1, ONCE(2025, 6, 30, NULL)),
		X("trong tháng 2", 1, ONCE(2025, 2, 28, NULL)),
		X("Quý II/2024", 1, ONCE(2024, 6, 30, NULL)),
		X("trước ngày 01/01", 1, BEFORE(2024, 12, 31, NULL)),
		/*
		 * The range's first month takes the year of its last, the
		 * year before when the months run past December.
		 */
		X("Từ tháng 11 đến tháng 2/2026", 1,
		    RANGE(2025, 11, 1, 2026, 2, 28, NULL)),
		X("Từ tháng 7 đến tháng 4/2024", 1,
		    RANGE(2023, 7, 1, 2024, 4, 30, NULL)),
		/* A range of years names a programme beside a deadline. */
		X("Chương trình giai đoạn 2021-2025, báo cáo trước ngày 15/12",
		    1, BEFORE(2025, 12, 14, NULL)),
		X("Giai đoạn 2021-2025", 1,
		    RANGE(2021, 1, 1, 2025, 12, 31, NULL)),
	};
	size_t			 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check_case(&cases[i], &opt);
}

/*
 * Tết: the next after the plan's start (none: 1 January of its year), or
 * the one a year or a stem-and-branch name chooses.  Lunar new years:
 * 10/02/2024, 29/01/2025, 17/02/2026.
 */
static void
test_tet(void **state)
{
	struct timeexpr_options	 jan = { 2025, 0, 0 };
	struct timeexpr_options	 march = { 2025, 0, 0 };
	const struct expect	 before = X("trước Tết Nguyên đán", 1,
	    BEFORE(2025, 1, 28, NULL));
	const struct expect	 named[] = {
		X("trước Tết Nguyên đán Ất Tỵ", 1, BEFORE(2025, 1, 28, NULL)),
		X("trước Tết Giáp Thìn", 1, BEFORE(2024, 2, 9, NULL)),
		X("sau Tết Nguyên đán năm 2026", 1, AFTER(2026, 2, 18, NULL)),
		X("trước Tết Dương lịch", 1, BEFORE(2025, 12, 31, NULL)),
	};
	size_t			 i;

	check_case(&before, &jan);
	march.start = date_from_ymd(2025, 3, 12);
	for (i = 0; i < sizeof named / sizeof named[0]; i++)
		check_case(&named[i], &march);
}

/* period_day replaces "the last day" of periods, not of one-off dates. */
static void
test_period_day(void **state)
{
	struct timeexpr_options	 opt = { 2024, 20, 0 };
	const struct expect	 day20[] = {
		X("Hàng tháng", 1, EVERY("FREQ=MONTHLY;BYMONTHDAY=20", NULL)),
		X("Hàng quý, 06 tháng, năm", 3,
		    EVERY("FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=20", NULL),
		    EVERY("FREQ=MONTHLY;BYMONTH=6,12;BYMONTHDAY=20", NULL),
		    EVERY("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=20", NULL)),
		X("Quý II/2024", 1, ONCE(2024, 6, 30, NULL)),
		X("ngày 25 hàng tháng", 1,
		    EVERY("FREQ=MONTHLY;BYMONTHDAY=25", NULL)),
		X("Ngày 30 tháng cuối cùng của quý", 1,
		    EVERY(QUARTERLY_30, NULL)),
	};
	const struct expect	 day30[] = {
		X("Hàng quý", 1, EVERY(QUARTERLY_30, NULL)),
		X("Hàng tháng", 1, EVERY(
		    "FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1", NULL)),
		X("Năm", 1,
		    EVERY("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=30", NULL)),
	};
	const struct expect	 day31 = X("06 tháng, năm", 2,
	    EVERY(HALF_END, NULL), EVERY(YEARLY_END, NULL));
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
	const struct expect	c = X("trước ngày 15/12", 1,
	    BEFORE(2030, 12, 14, NULL));

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
	check_item("", &te.items[0], &(struct expect_item)BEFORE(2024, 11, 19,
	    "trước ngày 20/11"));
	timeexpr_clear(&te);

	timeexpr_milestones("Nộp hồ sơ chậm nhất ngày 15/12/2024.", &opt, &te);
	assert_int_equal(te.n, 1);
	check_item("", &te.items[0], &(struct expect_item)ONCE(2024, 12, 15,
	    "chậm nhất ngày 15/12/2024"));
	timeexpr_clear(&te);

	timeexpr_milestones("Báo cáo trước ngày 20/11 hằng năm", &opt, &te);
	assert_int_equal(te.n, 1);
	check_item("", &te.items[0], &(struct expect_item)EVERY_B(
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
		"Thường xuyên kiểm tra",
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

/* Names round-trip; clearing NULL or an empty result is safe. */
static void
test_names(void **state)
{
	const char		*kinds[] = { "once", "recurring", "ongoing",
	    "on_event", "unparsed" };
	const char		*qualities[] = { "exact", "partial", "unparsed" };
	enum timeexpr_kind	 kind;
	enum timeexpr_quality	 q;
	enum timeexpr_dayoff	 d;
	struct timeexpr		 empty = { NULL, 0, TIMEEXPR_EXACT, NULL };
	size_t			 i;

	for (i = 0; i < 5; i++) {
		assert_string_equal(timeexpr_kind_name((enum timeexpr_kind)i),
		    kinds[i]);
		assert_int_equal(timeexpr_kind_from_name(kinds[i], &kind), 0);
		assert_int_equal(kind, (enum timeexpr_kind)i);
	}
	assert_int_equal(timeexpr_kind_from_name("weekly", &kind), -1);
	for (i = 0; i < 3; i++) {
		assert_string_equal(timeexpr_quality_name(
		    (enum timeexpr_quality)i), qualities[i]);
		assert_int_equal(timeexpr_quality_from_name(qualities[i], &q),
		    0);
		assert_int_equal(q, (enum timeexpr_quality)i);
	}
	assert_int_equal(timeexpr_quality_from_name("good", &q), -1);
	assert_null(timeexpr_dayoff_name(TIMEEXPR_DAYOFF_DEFAULT));
	assert_string_equal(timeexpr_dayoff_name(PREV), "previous");
	assert_string_equal(timeexpr_dayoff_name(NEXT), "next");
	assert_int_equal(timeexpr_dayoff_from_name(NULL, &d), 0);
	assert_int_equal(d, DFLT);
	assert_int_equal(timeexpr_dayoff_from_name("previous", &d), 0);
	assert_int_equal(d, PREV);
	assert_int_equal(timeexpr_dayoff_from_name("none", &d), -1);
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
		"tháng 1, ", "theo ", "(sáu) ", "hằng tháng ngày 5 ",
		"trước ngày 10/6 và ", "số 1/KH-UBND ngày 1/1/2024 ",
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

static const struct table tables[] = {
	{ "seed", seed_cases, sizeof seed_cases / sizeof seed_cases[0],
	    { 2024, 0, 0 } },
	{ "issue", issue_cases, sizeof issue_cases / sizeof issue_cases[0],
	    { 2025, 0, 0 } },
	{ "published", published_cases,
	    sizeof published_cases / sizeof published_cases[0],
	    { 2025, 0, 0 } },
	{ "variant", variant_cases,
	    sizeof variant_cases / sizeof variant_cases[0], { 2024, 0, 0 } },
	{ "hostile", hostile_cases,
	    sizeof hostile_cases / sizeof hostile_cases[0], { 2024, 0, 0 } },
};

/* Runs one test per table case, then the fixed tests. */
int
main(void)
{
	const struct CMUnitTest	 fixed[] = {
		cmocka_unit_test(test_plan_year),
		cmocka_unit_test(test_tet),
		cmocka_unit_test(test_period_day),
		cmocka_unit_test(test_no_options),
		cmocka_unit_test(test_milestones),
		cmocka_unit_test(test_milestones_none),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_huge),
		cmocka_unit_test(test_item_cap),
	};
	struct timeexpr_options	 opts[sizeof tables / sizeof tables[0]];
	size_t			 ncases = 0, nfixed, i, k, t = 0;
	struct CMUnitTest	*tests;
	struct one		*ones;
	int			 rc;

	nfixed = sizeof fixed / sizeof fixed[0];
	for (k = 0; k < sizeof tables / sizeof tables[0]; k++) {
		ncases += tables[k].n;
		opts[k] = tables[k].opt;
		/* The issue's and published phrases: a plan of 12/03/2025. */
		if (tables[k].opt.year == 2025)
			opts[k].start = date_from_ymd(2025, 3, 12);
	}
	tests = calloc(ncases + nfixed, sizeof *tests);
	ones = calloc(ncases, sizeof *ones);
	if (tests == NULL || ones == NULL)
		return (1);
	for (k = 0; k < sizeof tables / sizeof tables[0]; k++) {
		for (i = 0; i < tables[k].n; i++, t++) {
			ones[t].c = &tables[k].cases[i];
			ones[t].opt = &opts[k];
			tests[t].name = tables[k].cases[i].text;
			tests[t].test_func = test_case;
			tests[t].initial_state = &ones[t];
		}
	}
	memcpy(tests + ncases, fixed, sizeof fixed);
	rc = _cmocka_run_group_tests("timeexpr", tests, ncases + nfixed, NULL,
	    NULL);
	free(tests);
	free(ones);
	return (rc);
}
