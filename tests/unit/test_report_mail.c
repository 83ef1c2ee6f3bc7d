/*
 * Tests for report-mail.c and report-xlsx.c on a report built by hand:
 * units worst first (no rate last), the text table in 76 columns with a
 * long name cut by "…", the HTML table, the CSV's BOM, and a workbook
 * that is a zip archive (openpyxl reads it in report_mail.py).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report.h"
#include "report-mail.h"
#include "report-xlsx.h"
#include "utf8.h"

static char str0[] = "a";
static char str1[] = "Phòng A";
static char str2[] = "b";
static char str3[] = "Ủy ban nhân dân xã Phước Thuận, huyện Tuy Phước";
static char str4[] = "c";
static char str5[] = "Phòng C";
static char str6[] = "d";
static char str7[] = "Phòng D";
static char str8[] = "TOTAL";
static char str9[] = "Tổng cộng";
static struct report_row	rows[4];
static struct report		r;

/* Four units: rates 75,0 / 20,0 / none / 20,0 with more overdue. */
static int
setup(void **state)
{
	(void)state;
	memset(rows, 0, sizeof rows);
	memset(&r, 0, sizeof r);
	rows[0] = (struct report_row){ .unit = str0, .name = str1,
	    .due = 4, .on_time = 3, .overdue = 1, .rate10 = 750,
	    .late_avg10 = -1 };
	rows[1] = (struct report_row){ .unit = str2, .name = str3, .due = 5, .on_time = 1,
	    .late = 2, .late_days = 5, .overdue = 2, .rate10 = 200,
	    .late_avg10 = 25 };
	rows[2] = (struct report_row){ .unit = str4, .name = str5,
	    .rate10 = -1, .late_avg10 = -1 };
	rows[3] = (struct report_row){ .unit = str6, .name = str7,
	    .due = 5, .on_time = 1, .overdue = 4, .rate10 = 200,
	    .late_avg10 = -1 };
	r.rows = rows;
	r.n = 4;
	r.total = (struct report_row){ .unit = str8, .name = str9,
	    .due = 14, .on_time = 5, .late = 2, .overdue = 7, .rate10 = 357,
	    .late_avg10 = 25 };
	report_period_set(&r.period, REPORT_MONTH, 2024, 5);
	r.today = date_from_ymd(2024, 6, 3);
	return (0);
}

/* Worst first: 20,0 with 4 overdue, 20,0 with 2, 75,0, then no rate. */
static void
test_worst_first(void **state)
{
	const struct report_row	**v;

	(void)state;
	v = report_mail_worst_first(&r);
	assert_string_equal(v[0]->unit, "d");
	assert_string_equal(v[1]->unit, "b");
	assert_string_equal(v[2]->unit, "a");
	assert_string_equal(v[3]->unit, "c");
	free(v);
}

/* The text: 73 columns a row, the long name cut to 35 columns and "…". */
static void
test_text(void **state)
{
	struct report_mail	 m;
	char			*line, *save = NULL;
	int			 rows_seen = 0;

	(void)state;
	report_mail_render(&r, &m);
	assert_string_equal(m.subject, "Báo cáo tiến độ thực hiện kế hoạch "
	    "tháng 05/2024");
	assert_non_null(strstr(m.text,
	    "\n  1  Phòng D                                  5     1     0     "
	    "4    20,0\n"
	    "  2  Ủy ban nhân dân xã Phước Thuận, huy…     5     1     2     "
	    "2    20,0\n"
	    "  3  Phòng A                                  4     3     0     "
	    "1    75,0\n"
	    "  4  Phòng C                                  0     0     0     "
	    "0       -\n"
	    "     Tổng cộng                               14     5     2     "
	    "7    35,7\n"));
	for (line = strtok_r(m.text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		assert_true(utf8_width(line, strlen(line)) <= 76);
		if (line[2] >= '1' && line[2] <= '4' && line[3] == ' ') {
			assert_int_equal(utf8_width(line, strlen(line)), 73);
			rows_seen++;
		}
	}
	assert_int_equal(rows_seen, 4);
	assert_non_null(strstr(m.html, ">1. Phòng D</td>"));
	assert_non_null(strstr(m.html, ">4. Phòng C</td>"));
	assert_memory_equal(m.csv, "\xef\xbb\xbfunit,name,", 13);
	assert_int_equal(m.csv_len, strlen(m.csv));
	assert_string_equal(m.csv_name, "bao-cao-2024-05.csv");
	assert_string_equal(m.xlsx_name, "bao-cao-2024-05.xlsx");
	report_mail_clear(&m);
}

/* The workbook is a zip archive with the sheet inside. */
static void
test_xlsx(void **state)
{
	char	*data = NULL, *cause = NULL;
	size_t	 len = 0;

	(void)state;
	assert_int_equal(report_xlsx_build(&r, &data, &len, &cause), 0);
	assert_null(cause);
	assert_true(len > 1000);
	assert_memory_equal(data, "PK\x03\x04", 4);
	assert_non_null(memmem(data, len, "xl/worksheets/sheet1.xml", 24));
	free(data);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_worst_first, setup),
		cmocka_unit_test_setup(test_text, setup),
		cmocka_unit_test_setup(test_xlsx, setup),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
