/*
 * The report as an .xlsx workbook for the coordinator's Excel: one sheet,
 * a frozen header row in Vietnamese, units worst first then the total,
 * figures as numbers (rates with one decimal), column widths set.
 * libxlsxwriter 1.1.4 (Debian 12) writes only to a file: the workbook is
 * written in a private temporary directory, read back and removed.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "report.h"
#include "report-mail.h"
#include "report-xlsx.h"
#include "xmalloc.h"

/* A column: its header and width in characters. */
struct report_xlsx_column {
	const char	*head;
	double		 width;
};

static const struct report_xlsx_column report_xlsx_columns[] = {
	{ "STT", 5 }, { "Mã đơn vị", 12 }, { "Đơn vị", 36 },
	{ "Đến hạn", 9 }, { "Đúng hạn", 10 }, { "Trễ hạn", 9 },
	{ "Số ngày trễ", 12 }, { "Ngày trễ TB", 12 }, { "Quá hạn", 9 },
	{ "Số ngày quá hạn", 16 }, { "Chưa đến hạn", 13 },
	{ "Được miễn", 10 }, { "Tỷ lệ đúng hạn (%)", 19 },
	{ "Không có hạn", 13 }, { "Được gia hạn", 13 }
};
#define REPORT_XLSX_NCOLS \
	(sizeof report_xlsx_columns / sizeof report_xlsx_columns[0])

/* The formats of the sheet. */
struct report_xlsx_formats {
	lxw_format	*head;
	lxw_format	*tenths;	/* "0.0" */
	lxw_format	*bold;
	lxw_format	*bold_tenths;
};

/* Writes tenths as a number with one decimal, or leaves the cell empty. */
static void
report_xlsx_tenths(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
    int tenths, lxw_format *f)
{
	if (tenths >= 0)
		worksheet_write_number(ws, row, col, tenths / 10.0, f);
}

/* Writes one unit (or the total) on a row. */
static void
report_xlsx_row(lxw_worksheet *ws, lxw_row_t row, int rank,
    const struct report_row *r, const struct report_xlsx_formats *fm,
    int total)
{
	lxw_format	*plain = total ? fm->bold : NULL;
	lxw_format	*tenths = total ? fm->bold_tenths : fm->tenths;

	if (rank > 0)
		worksheet_write_number(ws, row, 0, rank, plain);
	worksheet_write_string(ws, row, 1, r->unit, plain);
	worksheet_write_string(ws, row, 2, r->name, plain);
	worksheet_write_number(ws, row, 3, r->due, plain);
	worksheet_write_number(ws, row, 4, r->on_time, plain);
	worksheet_write_number(ws, row, 5, r->late, plain);
	worksheet_write_number(ws, row, 6, r->late_days, plain);
	report_xlsx_tenths(ws, row, 7, r->late_avg10, tenths);
	worksheet_write_number(ws, row, 8, r->overdue, plain);
	worksheet_write_number(ws, row, 9, r->overdue_days, plain);
	worksheet_write_number(ws, row, 10, r->not_yet_due, plain);
	worksheet_write_number(ws, row, 11, r->waived, plain);
	report_xlsx_tenths(ws, row, 12, r->rate10, tenths);
	worksheet_write_number(ws, row, 13, r->undated, plain);
	worksheet_write_number(ws, row, 14, r->extended, plain);
}

/* Fills the sheet: header, units worst first, total. */
static void
report_xlsx_sheet(lxw_workbook *wb, const struct report *r)
{
	struct report_xlsx_formats	  fm;
	const struct report_row		**v;
	lxw_worksheet			 *ws;
	size_t				  i;

	fm.head = workbook_add_format(wb);
	format_set_bold(fm.head);
	format_set_text_wrap(fm.head);
	format_set_bottom(fm.head, LXW_BORDER_THIN);
	fm.tenths = workbook_add_format(wb);
	format_set_num_format(fm.tenths, "0.0");
	fm.bold = workbook_add_format(wb);
	format_set_bold(fm.bold);
	fm.bold_tenths = workbook_add_format(wb);
	format_set_bold(fm.bold_tenths);
	format_set_num_format(fm.bold_tenths, "0.0");
	ws = workbook_add_worksheet(wb, "Báo cáo");
	for (i = 0; i < REPORT_XLSX_NCOLS; i++) {
		worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i,
		    report_xlsx_columns[i].width, NULL);
		worksheet_write_string(ws, 0, (lxw_col_t)i,
		    report_xlsx_columns[i].head, fm.head);
	}
	worksheet_freeze_panes(ws, 1, 0);
	v = report_mail_worst_first(r);
	for (i = 0; i < r->n; i++)
		report_xlsx_row(ws, (lxw_row_t)i + 1, (int)i + 1, v[i], &fm, 0);
	free(v);
	report_xlsx_row(ws, (lxw_row_t)r->n + 1, 0, &r->total, &fm, 1);
}

/* Reads a whole file into *data (caller frees); 0 or -1 and *cause. */
static int
report_xlsx_slurp(const char *path, char **data, size_t *len, char **cause)
{
	FILE	*f;
	long	 size;

	if ((f = fopen(path, "rb")) == NULL || fseek(f, 0, SEEK_END) != 0 ||
	    (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		if (f != NULL)
			fclose(f);
		return (-1);
	}
	*data = xmalloc((size_t)size + 1);
	if (fread(*data, 1, (size_t)size, f) != (size_t)size) {
		xasprintf(cause, "%s: short read", path);
		free(*data);
		*data = NULL;
		fclose(f);
		return (-1);
	}
	fclose(f);
	*len = (size_t)size;
	return (0);
}

int
report_xlsx_build(const struct report *r, char **data, size_t *len,
    char **cause)
{
	lxw_workbook_options	 opt;
	lxw_workbook		*wb;
	lxw_error		 err;
	const char		*tmp = getenv("TMPDIR");
	char			*dir, *path;
	int			 rc = -1;

	*data = NULL;
	*len = 0;
	xasprintf(&dir, "%s/deadlined-xlsx-XXXXXX", tmp != NULL &&
	    *tmp == '/' ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL) {
		xasprintf(cause, "%s: %s", dir, strerror(errno));
		free(dir);
		return (-1);
	}
	xasprintf(&path, "%s/report.xlsx", dir);
	memset(&opt, 0, sizeof opt);
	opt.tmpdir = dir;
	if ((wb = workbook_new_opt(path, &opt)) == NULL) {
		xasprintf(cause, "%s: cannot create the workbook", path);
		goto out;
	}
	report_xlsx_sheet(wb, r);
	if ((err = workbook_close(wb)) != LXW_NO_ERROR) {
		xasprintf(cause, "%s: %s", path, lxw_strerror(err));
		goto out;
	}
	rc = report_xlsx_slurp(path, data, len, cause);
out:
	unlink(path);
	rmdir(dir);
	free(path);
	free(dir);
	return (rc);
}
