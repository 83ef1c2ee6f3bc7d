/*
 * Unit tests of the plan table reader.  Expected values were read by hand
 * from tests/fixtures/seed-tuyphuoc-2024.txt and plan-sample.csv.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plan-private.h"
#include "plan.h"
#include "xmalloc.h"

#define NO_HEADER	"no table header found (expected columns STT, " \
	"Nhiệm vụ, Cơ quan thực hiện, Thời gian thực hiện)"

/* Path of a fixture under SRCDIR (or next to this file); caller frees. */
static char *
fixture(const char *name)
{
	const char	*src = getenv("SRCDIR");
	char		*path;
	size_t		 n;

	if (src != NULL) {
		xasprintf(&path, "%s/tests/fixtures/%s", src, name);
		return (path);
	}
	n = strlen(__FILE__) - strlen("unit/test_plan.c");
	xasprintf(&path, "%.*sfixtures/%s", (int)n, __FILE__, name);
	return (path);
}

/* Reads a fixture, failing the test on error. */
static void
read_fixture(const char *name, struct plan_table *t)
{
	char	*path = fixture(name), *cause = NULL;

	if (plan_read_file(path, t, &cause) != 0)
		fail_msg("%s", cause);
	free(path);
}

/* The record that starts on line, or fails the test. */
static struct plan_record *
at_line(struct plan_table *t, unsigned line)
{
	size_t	 i;

	for (i = 0; i < t->n; i++) {
		if (t->records[i].line == line)
			return (&t->records[i]);
	}
	fail_msg("no record on line %u", line);
	return (NULL);
}

/* Counts records of a type, in a section if section is not NULL. */
static size_t
count(struct plan_table *t, enum plan_record_type type, const char *section)
{
	size_t	 i, n = 0;

	for (i = 0; i < t->n; i++) {
		if (t->records[i].type == type && (section == NULL ||
		    strcmp(t->records[i].section, section) == 0))
			n++;
	}
	return (n);
}

/* Splits cell and checks the items against want (NULL-terminated). */
static void
check_bullets(const char *cell, const char **want)
{
	char	**items;
	size_t	  n, i, nwant = 0;

	while (want[nwant] != NULL)
		nwant++;
	n = plan_split_bullets(cell, &items);
	if (n != nwant)
		fail_msg("\"%s\": %zu items, want %zu", cell, n, nwant);
	for (i = 0; i < n; i++)
		assert_string_equal(items[i], want[i]);
	plan_bullets_free(items, n);
}

/* Reads a buffer that must fail with the cause want. */
static void
check_error(const char *name, const char *data, size_t len, const char *want)
{
	struct plan_table	 t;
	char			*cause = NULL;

	assert_int_equal(plan_read_buffer(name, data, len, &t, &cause), -1);
	assert_non_null(cause);
	assert_string_equal(cause, want);
	assert_int_equal(t.n, 0);
	assert_null(t.records);
	assert_null(t.title);
	free(cause);
	plan_table_free(&t);
}

/* check_error() on a string literal, NUL bytes included. */
#define CHECK_ERROR(name, lit, want) \
	check_error((name), (lit), sizeof(lit) - 1, (want))

/* 1 if s starts with prefix. */
static int
starts_with(const char *s, const char *prefix)
{
	return (strncmp(s, prefix, strlen(prefix)) == 0);
}

/* Reads a string that must parse. */
static void
read_string(const char *name, const char *data, struct plan_table *t)
{
	char	*cause = NULL;

	if (plan_read_buffer(name, data, strlen(data), t, &cause) != 0)
		fail_msg("%s", cause);
}

/* The whole seed: records of each kind, per section and per category. */
static void
test_seed_counts(void **state)
{
	static const char	*sections[] = { "I", "II", "III", "IV", "V",
	    "VI", "VII", "VIII", "IX" };
	static const size_t	 tasks[] = { 8, 3, 6, 4, 7, 6, 12, 3, 2 };
	struct plan_table	 t;
	size_t			 i, fix = 0, maintain = 0, none = 0;

	read_fixture("seed-tuyphuoc-2024.txt", &t);
	assert_int_equal(t.n, 74);
	assert_int_equal(count(&t, PLAN_TASK, NULL), 51);
	assert_int_equal(count(&t, PLAN_SECTION, NULL), 9);
	assert_int_equal(count(&t, PLAN_SUBHEADING, NULL), 14);
	for (i = 0; i < 9; i++) {
		if (count(&t, PLAN_TASK, sections[i]) != tasks[i])
			fail_msg("section %s: %zu tasks, want %zu", sections[i],
			    count(&t, PLAN_TASK, sections[i]), tasks[i]);
	}
	for (i = 0; i < t.n; i++) {
		if (t.records[i].type != PLAN_TASK)
			continue;
		if (t.records[i].category == PLAN_CATEGORY_FIX)
			fix++;
		else if (t.records[i].category == PLAN_CATEGORY_MAINTAIN)
			maintain++;
		else
			none++;
	}
	assert_int_equal(fix, 17);
	assert_int_equal(maintain, 32);
	assert_int_equal(none, 2);
	assert_string_equal(t.title, "Khắc phục tồn tại, hạn chế và nhiệm vụ, "
	    "giải pháp nâng cao Chỉ số cải cách hành chính huyện Tuy Phước "
	    "năm 2024");
	assert_int_equal(t.year, 2024);
	/* "Tuy Phước, ngày tháng năm 2024": an unsigned draft, no date */
	assert_int_equal(t.issued_year, 0);
	assert_int_equal(t.issued_month, 0);
	assert_int_equal(t.issued_day, 0);
	assert_int_equal(t.records[0].line, 30);
	assert_int_equal(t.records[t.n - 1].line, 183);
	plan_table_free(&t);
	plan_table_free(&t);
	plan_table_free(NULL);
}

/* Sections and subheadings of the seed, including one after a page break. */
static void
test_seed_headings(void **state)
{
	struct plan_table	 t;
	struct plan_record	*r;

	read_fixture("seed-tuyphuoc-2024.txt", &t);
	r = at_line(&t, 30);
	assert_int_equal(r->type, PLAN_SECTION);
	assert_string_equal(r->number, "I");
	assert_string_equal(r->content, "CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH");
	r = at_line(&t, 178);
	assert_int_equal(r->type, PLAN_SECTION);
	assert_string_equal(r->number, "IX");
	assert_string_equal(r->content, "ĐÁNH GIÁ TÁC ĐỘNG CỦA CẢI CÁCH HÀNH "
	    "CHÍNH ĐẾN NGƯỜI DÂN, TỔ CHỨC");
	r = at_line(&t, 31);
	assert_int_equal(r->type, PLAN_SUBHEADING);
	assert_int_equal(r->category, PLAN_CATEGORY_FIX);
	assert_string_equal(r->content, "Nội dung cần khắc phục");
	r = at_line(&t, 56);
	assert_int_equal(r->type, PLAN_SUBHEADING);
	assert_int_equal(r->category, PLAN_CATEGORY_MAINTAIN);
	/* Right after a repeated header, yet a subheading, not a join. */
	r = at_line(&t, 106);
	assert_int_equal(r->type, PLAN_SUBHEADING);
	assert_int_equal(r->category, PLAN_CATEGORY_MAINTAIN);
	assert_string_equal(r->section, "V");
	assert_string_equal(at_line(&t, 103)->content,
	    "Cán bộ, công chức cấp xã");
	r = at_line(&t, 107);
	assert_int_equal(r->category, PLAN_CATEGORY_MAINTAIN);
	assert_string_equal(r->number, "1");
	/* Section IX has no subheading: the section reset the category. */
	r = at_line(&t, 179);
	assert_int_equal(r->category, PLAN_CATEGORY_NONE);
	assert_string_equal(r->section, "IX");
	plan_table_free(&t);
}

/* Task I "1" (maintain): action, units and time cut at lines 34-37. */
static void
test_seed_page_break(void **state)
{
	static const char	*action[] = {
	    "Tập trung rà soát các mục tiêu, chỉ tiêu, nhiệm vụ được giao "
	    "trong Kế hoạch cải cách hành chính năm 2024 để tổ chức thực hiện "
	    "đảm bảo đạt 100% Kế hoạch đề ra.",
	    "Theo dõi, tổng hợp và báo cáo kết quả, tiến độ thực hiện của các "
	    "cơ quan, đơn vị liên quan cho Lãnh đạo UBND huyện.", NULL };
	static const char	*time[] = { "Theo tiến độ Kế hoạch đề ra",
	    "Hàng quý, 06 tháng, năm.", NULL };
	struct plan_table	 t;
	struct plan_record	*r;

	read_fixture("seed-tuyphuoc-2024.txt", &t);
	r = at_line(&t, 34);
	assert_int_equal(r->type, PLAN_TASK);
	assert_string_equal(r->number, "1");
	assert_string_equal(r->section, "I");
	assert_int_equal(r->category, PLAN_CATEGORY_MAINTAIN);
	assert_string_equal(r->content, "Mức độ hoàn thành kế hoạch CCHC");
	assert_string_equal(r->units, "- Các phòng chuyên môn huyện; UBND các "
	    "xã, thị trấn.\n- Phòng Nội vụ");
	assert_string_equal(r->time, "- Theo tiến độ Kế hoạch đề ra\n"
	    "- Hàng quý, 06 tháng, năm.");
	assert_string_equal(r->notes, "");
	check_bullets(r->action, action);
	check_bullets(r->time, time);
	/* The continuation row is no record of its own. */
	assert_int_equal((r + 1)->line, 38);
	plan_table_free(&t);
}

/* Other rows cut by page breaks, with words cut in two. */
static void
test_seed_continuations(void **state)
{
	static const char	*time7[] = {
	    "Hoàn thành trước tháng 11/2024", "Sau khi tổ chức đối thoại",
	    NULL };
	static const char	*time1[] = { "Tháng 6/2024", "Tháng 6/2024",
	    NULL };
	struct plan_table	 t;
	struct plan_record	*r;
	char			**items;
	size_t			 n;

	read_fixture("seed-tuyphuoc-2024.txt", &t);
	r = at_line(&t, 43);
	assert_string_equal(r->content, "Có ít nhất một hình thức tuyên truyền "
	    "khác: Tổ chức các cuộc thi tìm hiểu về CCHC, tọa đàm về CCHC");
	assert_string_equal(r->units, "Văn phòng HĐND và UBND chủ trì phối hợp "
	    "với Phòng Nội vụ và các phòng có liên quan");
	r = at_line(&t, 49);
	assert_string_equal(r->content,
	    "Tổ chức đối thoại với cá nhân, tổ chức, doanh nghiệp");
	assert_string_equal(r->time, "- Hoàn thành trước tháng 11/2024 - Sau "
	    "khi tổ chức đối thoại");
	check_bullets(r->time, time7);
	r = at_line(&t, 72);
	assert_string_equal(r->content, "Cập nhật và công khai kịp thời, đầy "
	    "đủ TTHC trên Cổng thông tin điện tử, Trang thông tin điện tử và "
	    "tại Bộ phận Một cửa cấp huyện, cấp xã");
	r = at_line(&t, 110);
	assert_string_equal(r->content, "Mức độ thực hiện các nhiệm vụ, chỉ "
	    "tiêu đào tạo, bồi dưỡng CBCCVC theo Kế hoạch");
	assert_string_equal(r->units, "- Phòng Nội vụ phối hợp với các cơ "
	    "quan, đơn vị liên quan.\n- Phòng Nội vụ phối hợp với các cơ quan, "
	    "đơn vị liên quan");
	assert_string_equal(r->time, "- Theo quy định của tỉnh\n- Theo thời "
	    "gian mở lớp của tỉnh và đăng ký của các đơn vị");
	r = at_line(&t, 135);
	assert_string_equal(r->units,
	    "- Phòng Văn hoá – Thông tin - UBND các xã, thị trấn");
	check_bullets(r->time, time1);
	/* Task VII "4": two page breaks in a row (lines 147 and 150). */
	r = at_line(&t, 144);
	n = plan_split_bullets(r->action, &items);
	assert_int_equal(n, 3);
	assert_string_equal(items[0], "Tiếp tục tuyên truyền, vận động người "
	    "dân thực hiện thanh toán trực tuyến khi thực hiện TTHC có yêu cầu "
	    "thực hiện nghĩa vụ tài chính.");
	assert_true(starts_with(items[1], "Tiếp tục chỉ đạo Bộ phận Một cửa"));
	assert_non_null(strstr(items[2], "hàng tháng (nêu cụ thể những đơn "
	    "vị thực hiện đạt và chưa đạt chỉ tiêu đề ra)."));
	plan_bullets_free(items, n);
	assert_string_equal(r->units, "- Các phòng, ban chuyên môn huyện; "
	    "UBND các xã, thị trấn; Chi nhánh Văn phòng Đăng ký đất đai\n"
	    "- Văn phòng HĐND và UBND huyện; UBND các xã, thị trấn\n"
	    "- Văn phòng HĐND và UBND huyện");
	assert_string_equal(r->time,
	    "- Thường xuyên\n- Thường xuyên\n- Hàng tháng");
	r = at_line(&t, 179);
	assert_string_equal(r->content, "Đánh giá mức độ hài lòng của người "
	    "dân và doanh nghịệp đối với sự phục vụ của cơ quan hành chính.");
	plan_table_free(&t);
}

/* Numbered items across a page break (task I "3", lines 39 and 42). */
static void
test_seed_numbered(void **state)
{
	struct plan_table	 t;
	struct plan_record	*r;
	char			**items;
	size_t			 n;

	read_fixture("seed-tuyphuoc-2024.txt", &t);
	r = at_line(&t, 39);
	n = plan_split_bullets(r->action, &items);
	assert_int_equal(n, 4);
	assert_string_equal(items[0], "Tiếp tục duy trì chuyên mục cải cách "
	    "hành chính trên hệ thống Đài Truyền thanh huyện.");
	assert_string_equal(items[1], "Tăng cường viết tin, bài đăng trên "
	    "Cổng thông tin điện tử huyện (Mỗi cơ quan, đơn vị, địa phương "
	    "phải có ít nhất 01 tin, bài/năm).");
	assert_true(starts_with(items[2], "Tiếp tục thiết kế nội dung pano"));
	assert_true(starts_with(items[3], "Rà soát dự trù kinh phí"));
	plan_bullets_free(items, n);
	assert_string_equal(r->time,
	    "- Thường xuyên - Thường xuyên\n- Tháng 6/2024\n- Tháng 8/2024");
	plan_table_free(&t);
}

/* HTML in the seed's cells: paragraphs, lists, italics. */
static void
test_seed_html(void **state)
{
	struct plan_table	 t;
	struct plan_record	*r;

	read_fixture("seed-tuyphuoc-2024.txt", &t);
	r = at_line(&t, 32);
	assert_string_equal(r->units, "- Các phòng, ban chuyên môn huyện; UBND "
	    "các xã, thị trấn có liên quan\n- Văn phòng HĐND và UBND huyện");
	assert_string_equal(r->time, "- Theo tiến độ tỉnh giao\n"
	    "- Thường xuyên");
	r = at_line(&t, 48);
	assert_string_equal(r->time,
	    "- Quý II/2024 - Theo yêu cầu của Đoàn kiểm tra");
	r = at_line(&t, 76);
	assert_non_null(strstr(r->action, "tại cơ quan, đơn vị mình (đặc biệt "
	    "là trên lĩnh vực chứng thực tại các xã, thị trấn).\n- Theo dõi"));
	assert_string_equal(r->time, "- Thường xuyên\n- Ngày 30 tháng cuối "
	    "cùng của quý");
	plan_table_free(&t);
}

/* No markup, entity or prose leaks into the records. */
static void
test_seed_clean(void **state)
{
	struct plan_table	 t;
	struct plan_record	*r;
	const char		*fields[6], *f, *amp;
	size_t			 i, j;

	read_fixture("seed-tuyphuoc-2024.txt", &t);
	for (i = 0; i < t.n; i++) {
		r = &t.records[i];
		assert_true(r->line >= 30 && r->line <= 186);
		fields[0] = r->content;
		fields[1] = r->action;
		fields[2] = r->units;
		fields[3] = r->time;
		fields[4] = r->notes;
		fields[5] = r->number;
		for (j = 0; j < 6; j++) {
			f = fields[j];
			assert_null(strchr(f, '<'));
			assert_null(strchr(f, '>'));
			assert_null(strchr(f, '\t'));
			assert_null(strstr(f, "\n\n"));
			assert_null(strstr(f, "  "));
			assert_null(strstr(f, "Nơi nhận"));
			assert_null(strstr(f, "MỤC ĐÍCH"));
			if ((amp = strchr(f, '&')) != NULL)
				assert_null(strchr(amp, ';'));
			if (*f != '\0') {
				assert_true(f[0] != ' ' && f[0] != '\n');
				assert_true(f[strlen(f) - 1] != ' ');
			}
		}
	}
	plan_table_free(&t);
}

/* Entities and tags decoded in a small text export. */
static void
test_entities(void **state)
{
	struct plan_table	 t;
	struct plan_record	*r;

	read_string("e.txt",
	    "STT\tNội dung\tNhiệm vụ\tCơ quan thực hiện\tThời gian\n"
	    "1\tPh&ograve;ng N&#7897;i v&#x1EE5;&nbsp;&nbsp; huy&ecirc;n"
	    "\t<ul><li>Tr&#432;&#7899;c</li><li>&lt;b&gt; &amp; &foo; "
	    "&#0; x</li></ul>\t<p>A</p><br/><p>  </p>B<i>C</i>\t"
	    "Qu&yacute; II&ndash;2024 &quot;x&quot; &apos;y&apos;\n", &t);
	assert_int_equal(t.n, 1);
	r = &t.records[0];
	assert_string_equal(r->content, "Phòng Nội vụ huyên");
	assert_string_equal(r->action,
	    "Trước\n<b> & &foo; \xef\xbf\xbd x");
	assert_string_equal(r->units, "A\nBC");
	assert_string_equal(r->time, "Quý II–2024 \"x\" 'y'");
	assert_int_equal(t.year, 0);
	assert_null(t.title);
	plan_table_free(&t);
}

/* The bullet splitter on task and time cells. */
static void
test_bullets(void **state)
{
	char	**items;

	assert_int_equal(plan_split_bullets("", &items), 0);
	assert_null(items);
	assert_int_equal(plan_split_bullets(NULL, &items), 0);
	assert_int_equal(plan_split_bullets(" \n \n", &items), 0);
	check_bullets("Thường xuyên", (const char *[]){ "Thường xuyên", NULL });
	check_bullets("- Thường xuyên - Thường xuyên",
	    (const char *[]){ "Thường xuyên", "Thường xuyên", NULL });
	check_bullets("- Tháng 6/2024 - Tháng 6/2024",
	    (const char *[]){ "Tháng 6/2024", "Tháng 6/2024", NULL });
	check_bullets("- Kế hoạch giai đoạn 2021 - 2025",
	    (const char *[]){ "Kế hoạch giai đoạn 2021 - 2025", NULL });
	check_bullets("- Chỉ tiêu kinh tế - xã hội - Đạt",
	    (const char *[]){ "Chỉ tiêu kinh tế - xã hội", "Đạt", NULL });
	check_bullets("Giai đoạn 2021 - 2025 - Đạt",
	    (const char *[]){ "Giai đoạn 2021 - 2025 - Đạt", NULL });
	check_bullets("- Sơ đồ của huyện - 100% xã",
	    (const char *[]){ "Sơ đồ của huyện", "100% xã", NULL });
	check_bullets("- Từ ngày 15/12 - 30/12",
	    (const char *[]){ "Từ ngày 15/12 - 30/12", NULL });
	check_bullets("- Quý II/2024 - Ủy ban kiểm tra",
	    (const char *[]){ "Quý II/2024", "Ủy ban kiểm tra", NULL });
	check_bullets("1. Một. 2. Hai, 3. Ba. 3. Bốn.",
	    (const char *[]){ "Một.", "Hai, 3. Ba.", "Bốn.", NULL });
	check_bullets("1. A\n2. B\n4. C",
	    (const char *[]){ "A", "B", "4. C", NULL });
	check_bullets("Ngày 14/11/2023. 2. Không",
	    (const char *[]){ "Ngày 14/11/2023. 2. Không", NULL });
	check_bullets("1.5 điểm. 2. Khác",
	    (const char *[]){ "1.5 điểm. 2. Khác", NULL });
	check_bullets("+ Một\n• Hai\n- Ba\n– Bốn\n* Năm",
	    (const char *[]){ "Một", "Hai", "Ba", "Bốn", "Năm", NULL });
	check_bullets("  a  \n\n b .",
	    (const char *[]){ "a", "b .", NULL });
	check_bullets("-Liền\n- ",
	    (const char *[]){ "-Liền", NULL });
	check_bullets("+ Một + Hai - Ba",
	    (const char *[]){ "Một", "Hai - Ba", NULL });
}

/* The CSV fixture: BOM, CRLF, quotes, newlines, another column order. */
static void
test_csv_sample(void **state)
{
	static const char	*action[] = { "Xây dựng báo cáo \"tự đánh giá\" "
	    "Chỉ số CCHC năm 2024", "Gửi hồ sơ về Sở Nội vụ đúng hạn", NULL };
	struct plan_table	 t;
	struct plan_record	*r;

	read_fixture("plan-sample.csv", &t);
	assert_int_equal(t.n, 15);
	assert_int_equal(count(&t, PLAN_TASK, NULL), 9);
	assert_int_equal(count(&t, PLAN_TASK, "I"), 5);
	assert_int_equal(count(&t, PLAN_TASK, "II"), 4);
	assert_int_equal(count(&t, PLAN_SECTION, NULL), 2);
	assert_int_equal(count(&t, PLAN_SUBHEADING, NULL), 4);
	assert_null(t.title);
	assert_int_equal(t.year, 0);
	r = at_line(&t, 2);
	assert_int_equal(r->type, PLAN_SECTION);
	assert_string_equal(r->content, "CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH");
	r = at_line(&t, 5);
	assert_int_equal(r->type, PLAN_TASK);
	assert_string_equal(r->number, "2");
	assert_string_equal(r->section, "I");
	assert_int_equal(r->category, PLAN_CATEGORY_FIX);
	assert_string_equal(r->time, "trước ngày 20/11/2024");
	check_bullets(r->action, action);
	assert_string_equal(r->units, "Văn phòng HĐND và UBND huyện");
	assert_string_equal(r->content, "Tự đánh giá, chấm điểm Chỉ số CCHC");
	assert_string_equal(r->notes, "Kèm tài liệu kiểm chứng\n"
	    "Sản phẩm/kết quả: Báo cáo, phụ lục kèm theo");
	r = at_line(&t, 4);
	assert_string_equal(r->notes, "Sản phẩm/kết quả: Báo cáo quý");
	assert_string_equal(r->time, "Hàng quý");
	r = at_line(&t, 7);
	assert_string_equal(r->time, "Quý 2/2024");
	assert_string_equal(r->notes, "");
	r = at_line(&t, 10);
	assert_int_equal(r->category, PLAN_CATEGORY_MAINTAIN);
	assert_string_equal(r->time, "- Tháng 6/2024\n- Tháng 12/2024");
	r = at_line(&t, 14);
	assert_int_equal(r->type, PLAN_SECTION);
	assert_string_equal(r->number, "II");
	r = at_line(&t, 16);
	assert_string_equal(r->section, "II");
	assert_int_equal(r->category, PLAN_CATEGORY_FIX);
	assert_string_equal(r->time, "Theo yêu cầu của UBND tỉnh");
	r = at_line(&t, 17);
	assert_string_equal(r->action,
	    "Tổng hợp số liệu thu, chi ngân sách & báo cáo UBND huyện");
	assert_string_equal(r->units, "Phòng Tài chính – Kế hoạch");
	r = at_line(&t, 19);
	assert_int_equal(r->category, PLAN_CATEGORY_MAINTAIN);
	assert_string_equal(r->units, "UBND các xã, thị trấn");
	assert_string_equal(r->time, "Năm 2024");
	r = at_line(&t, 20);
	assert_string_equal(r->notes, "Phối hợp Văn phòng HĐND và UBND huyện");
	plan_table_free(&t);
}

/* CSV details: English headers, LF only, detection by content. */
static void
test_csv_quirks(void **state)
{
	struct plan_table	 t;
	struct plan_record	*r;

	read_string("plan.txt", "Due,No,Task,Responsible,Owner email,NOTES,"
	    "Content\n"
	    "\"Q1, 2024\",1,\"say \"\"hi\"\"\",Phòng Tư pháp,"
	    "a@example.gov.vn,,\"x\ny\"\n"
	    "\n"
	    ",,,,,,\n"
	    "Hàng tháng,2,b,c,,n,\"\"\n"
	    "d,3,e,f,,,g,extra\n", &t);
	assert_int_equal(t.n, 3);
	r = &t.records[0];
	assert_int_equal(r->line, 2);
	assert_string_equal(r->time, "Q1, 2024");
	assert_string_equal(r->number, "1");
	assert_string_equal(r->action, "say \"hi\"");
	assert_string_equal(r->units, "Phòng Tư pháp");
	assert_string_equal(r->content, "x\ny");
	assert_string_equal(r->notes, "Owner email: a@example.gov.vn");
	r = &t.records[1];
	assert_int_equal(r->line, 6);
	assert_string_equal(r->notes, "n");
	assert_string_equal(r->content, "");
	r = &t.records[2];
	assert_string_equal(r->notes, "extra");
	plan_table_free(&t);

	/* Headers without diacritics or in capitals; CR LF; no final EOL. */
	read_string("x.csv", "stt,NỘI DUNG,Nhiem vu giai phap,Don vi thuc "
	    "hien,THỜI HẠN,Ghi chu\r\n1,a,b,c,d,e", &t);
	assert_int_equal(t.n, 1);
	r = &t.records[0];
	assert_string_equal(r->content, "a");
	assert_string_equal(r->action, "b");
	assert_string_equal(r->units, "c");
	assert_string_equal(r->time, "d");
	assert_string_equal(r->notes, "e");
	plan_table_free(&t);

	/* A repeated header row is skipped, as on a new page. */
	read_string("x.csv", "STT,Nội dung,Thời gian\n1,a,b\n"
	    "STT,Nội dung,Thời gian\n2,c,d\n", &t);
	assert_int_equal(t.n, 2);
	assert_string_equal(t.records[1].number, "2");
	plan_table_free(&t);
}

/* A small text export: title, date, page break, end of table. */
static void
test_tsv_small(void **state)
{
	struct plan_table	 t;
	struct plan_record	*r;

	read_string("k.txt", "\xef\xbb\xbfUBND HUYỆN TUY PHƯỚC\r\n"
	    "Tuy Phước, ngày 05 tháng 3 năm 2025\r\n\r\n"
	    "KẾ HOẠCH\r\n\r\nTriển khai công tác\r\ncải cách hành chính\r\n"
	    "\r\nThân bài\tcó tab\r\n"
	    "STT\tNội dung\tNhiệm vụ\tCơ quan thực hiện\tThời gian thực hiện"
	    "\tGhi chú\r\n"
	    "I\tCHỈ ĐẠO\t\t\t\t\r\n"
	    "\tNội dung cần khắc phục\t\t\t\t\r\n"
	    "1\tViệc\t- Lập Kế\t- Phòng Nội vụ;\t- Quý II/2024\t\r\n"
	    "\r\n"
	    "STT\tNội dung\tNhiệm vụ\tCơ quan thực hiện\tThời gian thực hiện"
	    "\tGhi chú\r\n"
	    "\t\t\t\t\t\r\n"
	    "\tmột\thoạch\t- Phòng Tư pháp\t\tghi\r\n"
	    "\tNội dung cần duy trì\t\t\t\t\r\n"
	    "2\t\t\t\tThường xuyên\t\r\n"
	    "\tLẻ\t\t\t\t\r\n"
	    "III. TỔ CHỨC THỰC HIỆN\r\n"
	    "3\tSau bảng\t\t\tx\t\r\n", &t);
	assert_string_equal(t.title, "Triển khai công tác cải cách hành chính");
	assert_int_equal(t.year, 2025);
	assert_int_equal(t.issued_year, 2025);
	assert_int_equal(t.issued_month, 3);
	assert_int_equal(t.issued_day, 5);
	assert_int_equal(t.n, 6);
	r = at_line(&t, 13);
	assert_string_equal(r->content, "Việc một");
	assert_string_equal(r->action, "- Lập Kế hoạch");
	assert_string_equal(r->units, "- Phòng Nội vụ;\n- Phòng Tư pháp");
	assert_string_equal(r->time, "- Quý II/2024");
	assert_string_equal(r->notes, "ghi");
	assert_int_equal(r->category, PLAN_CATEGORY_FIX);
	r = at_line(&t, 18);
	assert_int_equal(r->type, PLAN_SUBHEADING);
	r = at_line(&t, 19);
	assert_int_equal(r->category, PLAN_CATEGORY_MAINTAIN);
	r = at_line(&t, 20);
	assert_int_equal(r->type, PLAN_SUBHEADING);
	assert_int_equal(r->category, PLAN_CATEGORY_NONE);
	plan_table_free(&t);
}

/* The place-and-date line gives the issue date; other dates do not. */
static void
test_issued(void **state)
{
	static const char body[] =
	    "STT\tNội dung\tNhiệm vụ\tCơ quan thực hiện\tThời gian thực hiện"
	    "\n1\tViệc\tLập\tPhòng Nội vụ\tQuý II/2025\n";
	static const struct {
		const char	*line;
		int		 y, m, d;
	} cases[] = {
		{ "Xã Tuy Phước, ngày 12 tháng 8 năm 2025", 2025, 8, 12 },
		{ "Quy Nhơn, ngày 01 tháng 02 năm 2024", 2024, 2, 1 },
		{ "Hà Nội, ngày 29 tháng 02 năm 2024", 2024, 2, 29 },
		{ "Hà Nội, ngày 29 tháng 02 năm 2025", 0, 0, 0 },
		{ "Hà Nội, ngày 32 tháng 1 năm 2025", 0, 0, 0 },
		{ "Căn cứ Thông báo số 76/TB-UBND ngày 15/3/2024", 0, 0, 0 },
		{ "Tuy Phước, ngày      tháng 3 năm 2025", 0, 0, 0 },
	};
	struct plan_table	 t;
	char			*doc;
	size_t			 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		xasprintf(&doc, "ỦY BAN NHÂN DÂN\n%s\n\n%s", cases[i].line,
		    body);
		read_string("d.txt", doc, &t);
		if (t.issued_year != cases[i].y)
			print_error("case %zu\n", i);
		assert_int_equal(t.issued_year, cases[i].y);
		assert_int_equal(t.issued_month, cases[i].m);
		assert_int_equal(t.issued_day, cases[i].d);
		plan_table_free(&t);
		free(doc);
	}
}

/* Every bad input gives FILE:LINE: message and an empty table. */
static void
test_errors(void **state)
{
	char	*big, *cause = NULL;
	char	 cols[200];
	size_t	 n;

	CHECK_ERROR("e.csv", "", "e.csv:1: empty file");
	CHECK_ERROR("e.txt", " \r\n\n\t\n", "e.txt:1: empty file");
	CHECK_ERROR("e.txt", "\xef\xbb\xbf\n", "e.txt:1: empty file");
	CHECK_ERROR("b.txt", "STT\tx\nab\0cd\n",
	    "b.txt:2: binary file (NUL byte)");
	CHECK_ERROR("u.txt", "STT\tThời gian\n1\t\xc3\x28\n",
	    "u.txt:2: invalid UTF-8 (byte 3 of the line)");
	CHECK_ERROR("u.txt", "a\nb\n\xc0\xaf\n",
	    "u.txt:3: invalid UTF-8 (byte 1 of the line)");
	CHECK_ERROR("u.txt", "\xed\xa0\x80",
	    "u.txt:1: invalid UTF-8 (byte 1 of the line)");
	CHECK_ERROR("u.txt", "ab\xf4\x90\x80\x80",
	    "u.txt:1: invalid UTF-8 (byte 3 of the line)");
	CHECK_ERROR("q.csv", "STT,Thời gian\n1,\"abc\nxyz\n",
	    "q.csv:2: unterminated quoted field");
	CHECK_ERROR("q.csv", "STT,Thời gian\n1,\"a\"b\n",
	    "q.csv:2: text after a closing quote");
	CHECK_ERROR("h.csv", "a,b,c\n1,2,3\n", "h.csv:1: " NO_HEADER);
	CHECK_ERROR("h.csv", "\n\nSTT,Nội dung\n1,a\n",
	    "h.csv:1: " NO_HEADER);
	CHECK_ERROR("h.txt", "Nơi nhận:\n- Lưu: VT.\n",
	    "h.txt:1: " NO_HEADER);
	CHECK_ERROR("h.txt", "STT\tNội dung\tNhiệm vụ\n1\ta\tb\n",
	    "h.txt:1: " NO_HEADER);
	memset(cols, ',', sizeof cols);
	memcpy(cols, "STT,Thời gian\n", strlen("STT,Thời gian\n"));
	check_error("c.csv", cols, sizeof cols, "c.csv:2: more than 64 columns");

	n = PLAN_MAX_LINE + 20;
	big = malloc(n);
	assert_non_null(big);
	memset(big, 'a', n);
	memcpy(big, "STT\tThời gian\n", strlen("STT\tThời gian\n"));
	check_error("l.txt", big, n, "l.txt:2: line longer than 1048576 bytes");
	free(big);

	n = (size_t)PLAN_MAX_FILE + 1;
	big = malloc(n);
	assert_non_null(big);
	memset(big, '\n', n);
	check_error("f.txt", big, n,
	    "f.txt:1: file too large (33554433 bytes, at most 33554432)");
	free(big);

	assert_int_equal(plan_read_file("/nonexistent/plan.csv", &(struct
	    plan_table){ 0 }, &cause), -1);
	assert_string_equal(cause,
	    "/nonexistent/plan.csv: No such file or directory");
	free(cause);
}

/* Files: too large (checked before reading), not regular, empty. */
static void
test_file_errors(void **state)
{
	struct plan_table	 t;
	char			 path[] = "/tmp/test_plan.XXXXXX", *cause = NULL;
	char			*want;
	int			 fd;

	fd = mkstemp(path);
	assert_true(fd != -1);
	assert_int_equal(plan_read_file(path, &t, &cause), -1);
	xasprintf(&want, "%s:1: empty file", path);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	/* A sparse file: reading it would find NUL bytes, not the size. */
	assert_int_equal(ftruncate(fd, (off_t)PLAN_MAX_FILE + 1), 0);
	assert_int_equal(plan_read_file(path, &t, &cause), -1);
	xasprintf(&want, "%s:1: file too large (33554433 bytes, at most "
	    "33554432)", path);
	assert_string_equal(cause, want);
	assert_int_equal(t.n, 0);
	free(want);
	free(cause);
	close(fd);
	unlink(path);
	assert_int_equal(plan_read_file("/tmp", &t, &cause), -1);
	assert_string_equal(cause, "/tmp:1: not a regular file");
	free(cause);
}

/* Feeds one row of cells to a builder, as a table reader does. */
static int
feed_row(struct plan_reader *r, unsigned table, unsigned row,
    const char **cells, char **cause)
{
	struct plan_place	 place = { table, row };
	char			*copy[8];
	size_t			 n = 0, i;
	int			 rv;

	for (; cells[n] != NULL; n++)
		copy[n] = xstrdup(cells[n]);
	rv = plan_reader_row(r, place, copy, n, cause);
	for (i = 0; i < n; i++)
		free(copy[i]);
	return (rv);
}

/*
 * The builder as a reader of a document's tables feeds it: prose, then a
 * header and rows whose places are rows of the document's second table.
 */
static void
test_reader_rows(void **state)
{
	static const char	*layout[] = { "UBND XÃ A", "Số: 1/KH-UBND",
	    NULL };
	static const char	*header[] = { "STT", "Nội dung",
	    "Đơn vị thực hiện", "Thời gian", NULL };
	static const char	*section[] = { "I", "Cải cách", "", "", NULL };
	static const char	*task[] = { "1", "Rà soát", "Văn phòng",
	    "Quý II/2025", NULL };
	static const char	*first[] = { "Hàng tháng", "a", NULL };
	struct plan_table	 t;
	struct plan_reader	*r;
	char			*cause = NULL;

	r = plan_reader_new("kh.docx", &t, 0);
	assert_int_equal(feed_row(r, 1, 1, layout, &cause), 0);
	plan_reader_prose(r, "KẾ HOẠCH");
	plan_reader_prose(r, "Cải cách hành chính năm 2025");
	plan_reader_prose(r, "");
	plan_reader_prose(r, "Xã A, ngày 12 tháng 3 năm 2025");
	assert_int_equal(plan_reader_has_header(r), 0);
	assert_int_equal(feed_row(r, 2, 1, header, &cause), 0);
	assert_int_equal(plan_reader_has_header(r), 1);
	assert_int_equal(feed_row(r, 2, 2, section, &cause), 0);
	assert_int_equal(feed_row(r, 2, 14, task, &cause), 0);
	assert_int_equal(plan_reader_finish(r, &cause), 0);
	plan_reader_free(r);
	assert_int_equal(t.n, 2);
	assert_int_equal(t.records[0].type, PLAN_SECTION);
	assert_int_equal(t.records[1].type, PLAN_TASK);
	assert_int_equal(t.records[1].table, 2);
	assert_int_equal(t.records[1].line, 14);
	assert_string_equal(t.records[1].section, "I");
	assert_string_equal(t.records[1].units, "Văn phòng");
	assert_string_equal(t.records[1].time, "Quý II/2025");
	assert_string_equal(t.title, "Cải cách hành chính năm 2025");
	assert_int_equal(t.issued_day, 12);
	assert_int_equal(t.issued_month, 3);
	plan_table_free(&t);

	/* A reader that must start with its header, and one that never has. */
	r = plan_reader_new("x.csv", &t, PLAN_HEADER_FIRST);
	assert_int_equal(feed_row(r, 0, 3, first, &cause), -1);
	assert_string_equal(cause, "x.csv:1: " NO_HEADER);
	free(cause);
	cause = NULL;
	plan_reader_free(r);
	plan_table_free(&t);
	r = plan_reader_new("kh.docx", &t, 0);
	assert_int_equal(feed_row(r, 1, 1, layout, &cause), 0);
	assert_int_equal(plan_reader_finish(r, &cause), -1);
	assert_string_equal(cause, "kh.docx:1: " NO_HEADER);
	free(cause);
	plan_reader_free(r);
	assert_int_equal(t.n, 0);
	plan_table_free(&t);
}

/*
 * The format is the content's: a text export whose first line has commas
 * (its place-and-date line) is no CSV, nor is one called .csv, and a CSV
 * called .txt is read as CSV.
 */
static void
test_format_by_content(void **state)
{
	struct plan_table	 t;

	read_string("kh.txt", "Xã Phước An, ngày 12 tháng 3 năm 2024\n"
	    "KẾ HOẠCH\nRà soát, đánh giá\n\n"
	    "STT\tNội dung\tCơ quan thực hiện\tThời gian\n"
	    "1\tRà soát, đánh giá\tVăn phòng, Công an xã\tQuý II/2024\n", &t);
	assert_int_equal(t.n, 1);
	assert_string_equal(t.records[0].units, "Văn phòng, Công an xã");
	assert_int_equal(t.issued_day, 12);
	assert_string_equal(t.title, "Rà soát, đánh giá");
	plan_table_free(&t);
	read_string("kh.csv", "Xã A, ngày 2 tháng 1 năm 2025\n"
	    "STT\tNội dung\tThời gian\n1\ta, b\tQuý I/2025\n", &t);
	assert_int_equal(t.n, 1);
	assert_string_equal(t.records[0].content, "a, b");
	plan_table_free(&t);
	read_string("kh.txt", "STT,Nội dung,Thời gian\n1,\"a\tb\",Quý I/2025\n",
	    &t);
	assert_int_equal(t.n, 1);
	assert_string_equal(t.records[0].time, "Quý I/2025");
	plan_table_free(&t);
}

/*
 * Lead and support columns in their usual spellings, the product, notes,
 * and the columns nobody understands, named with where they are.
 */
static void
test_columns(void **state)
{
	struct plan_table	 t;
	struct plan_record	*r;

	read_string("c.csv", "STT,Nội dung công việc,Chủ trì,Phối hợp,"
	    "Thời gian hoàn thành,Sản phẩm,Người theo dõi,Ghi chú\n"
	    "1,Rà soát,Sở Nội vụ,\"Sở Tư pháp, Sở Tài chính\",Quý II/2025,"
	    "Báo cáo,Ông A,ghi,x\n"
	    "2,b,c,,Năm 2025,,,,\n", &t);
	assert_int_equal(t.n, 2);
	r = &t.records[0];
	assert_string_equal(r->units, "Sở Nội vụ");
	assert_string_equal(r->support, "Sở Tư pháp, Sở Tài chính");
	assert_string_equal(r->time, "Quý II/2025");
	assert_string_equal(r->notes,
	    "ghi\nSản phẩm: Báo cáo\nNgười theo dõi: Ông A\nx");
	assert_string_equal(t.records[1].support, "");
	assert_string_equal(t.records[1].notes, "");
	assert_int_equal(t.nunknown, 2);
	assert_string_equal(t.unknown[0].name, "Người theo dõi");
	assert_int_equal(t.unknown[0].line, 1);
	assert_string_equal(t.unknown[1].name, "column 9, no header");
	assert_int_equal(t.unknown[1].line, 2);
	plan_table_free(&t);

	read_string("k.txt", "STT\tNhiệm vụ\tCơ quan chủ trì\t"
	    "Cơ quan phối hợp\tKết quả đầu ra\tThời hạn\n"
	    "1\ta\tVăn phòng\tCông an xã\tKế hoạch\tTháng 6/2025\n"
	    "STT\tNhiệm vụ\tCơ quan chủ trì\t"
	    "Cơ quan phối hợp\tKết quả đầu ra\tThời hạn\n"
	    "\t\t\tvà Đoàn Thanh niên\t\t\n", &t);
	assert_int_equal(t.n, 1);
	r = &t.records[0];
	assert_string_equal(r->units, "Văn phòng");
	assert_string_equal(r->support, "Công an xã và Đoàn Thanh niên");
	assert_string_equal(r->notes, "Kết quả đầu ra: Kế hoạch");
	assert_int_equal(t.nunknown, 0);
	plan_table_free(&t);

	read_string("d.csv", "TT,Nhiệm vụ,Đơn vị chủ trì,Đơn vị phối hợp,"
	    "Thời gian\n1,a,Phòng Nội vụ,Phòng Tư pháp,Năm 2025\n", &t);
	assert_string_equal(t.records[0].units, "Phòng Nội vụ");
	assert_string_equal(t.records[0].support, "Phòng Tư pháp");
	plan_table_free(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_counts),
		cmocka_unit_test(test_seed_headings),
		cmocka_unit_test(test_seed_page_break),
		cmocka_unit_test(test_seed_continuations),
		cmocka_unit_test(test_seed_numbered),
		cmocka_unit_test(test_seed_html),
		cmocka_unit_test(test_seed_clean),
		cmocka_unit_test(test_entities),
		cmocka_unit_test(test_bullets),
		cmocka_unit_test(test_csv_sample),
		cmocka_unit_test(test_csv_quirks),
		cmocka_unit_test(test_tsv_small),
		cmocka_unit_test(test_issued),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_file_errors),
		cmocka_unit_test(test_reader_rows),
		cmocka_unit_test(test_format_by_content),
		cmocka_unit_test(test_columns),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
