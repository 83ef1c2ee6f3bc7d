/*
 * The report mailed to the coordinator: the words and tables of the mail,
 * worst units first (whom to call), as plain text that fits 76 columns
 * (units as rows, a few columns) and as an HTML table, with the full
 * figures attached as CSV (UTF-8 with a BOM, which Excel needs to read
 * Vietnamese) and as an .xlsx workbook (report-xlsx.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report-mail.h"
#include "utf8.h"
#include "xmalloc.h"

#define REPORT_MAIL_WIDTH	76
#define REPORT_MAIL_NAME	36	/* columns of a unit's name */
#define REPORT_MAIL_UTF8_BOM	"\xef\xbb\xbf"

/* Orders rows worst first: lowest rate, then most overdue, then code. */
static int
report_mail_worst_cmp(const void *a, const void *b)
{
	const struct report_row	*x = *(const struct report_row *const *)a;
	const struct report_row	*y = *(const struct report_row *const *)b;

	if ((x->rate10 < 0) != (y->rate10 < 0))
		return (x->rate10 < 0 ? 1 : -1);
	if (x->rate10 != y->rate10)
		return (x->rate10 < y->rate10 ? -1 : 1);
	if (x->overdue != y->overdue)
		return (x->overdue > y->overdue ? -1 : 1);
	return (strcmp(x->unit, y->unit));
}

const struct report_row **
report_mail_worst_first(const struct report *r)
{
	const struct report_row	**v;
	size_t			  i;

	v = xcalloc(r->n + 1, sizeof *v);
	for (i = 0; i < r->n; i++)
		v[i] = &r->rows[i];
	if (r->n > 1)
		qsort(v, r->n, sizeof *v, report_mail_worst_cmp);
	return (v);
}

/* Tenths as "87,5", or "-" when none; into out. */
static void
report_mail_rate(char *out, size_t len, int tenths)
{
	if (tenths < 0)
		snprintf(out, len, "-");
	else
		snprintf(out, len, "%d,%d", tenths / 10, tenths % 10);
}

/* s padded or cut ("…") to width columns, left aligned; caller frees. */
static char *
report_mail_fit(const char *s, size_t width)
{
	size_t	 len = strlen(s), w = utf8_width(s, len), keep;
	char	*out;

	if (w <= width) {
		xasprintf(&out, "%s%*s", s, (int)(width - w), "");
		return (out);
	}
	keep = utf8_cut_width(s, len, width - 1);
	w = utf8_width(s, keep) + 1;
	xasprintf(&out, "%.*s…%*s", (int)keep, s, (int)(width - w), "");
	return (out);
}

/* Appends s right aligned in width columns (printf counts bytes). */
static void
report_mail_right(struct buf *b, const char *s, size_t width)
{
	size_t	w = utf8_width(s, strlen(s));

	buf_printf(b, "%*s%s", (int)(width > w ? width - w : 0), "", s);
}

/* Appends one line of the text table. */
static void
report_mail_text_row(struct buf *b, const char *rank, const char *name,
    const char *due, const char *on_time, const char *late,
    const char *overdue, const char *rate)
{
	char	*fitted;

	fitted = report_mail_fit(name, REPORT_MAIL_NAME);
	report_mail_right(b, rank, 3);
	buf_printf(b, "  %s", fitted);
	report_mail_right(b, due, 6);
	report_mail_right(b, on_time, 6);
	report_mail_right(b, late, 6);
	report_mail_right(b, overdue, 6);
	report_mail_right(b, rate, 8);
	buf_addc(b, '\n');
	free(fitted);
}

/* Appends the figures of one row to the text table. */
static void
report_mail_text_figures(struct buf *b, const char *rank,
    const struct report_row *row)
{
	char	due[16], on_time[16], late[16], overdue[16], rate[16];

	snprintf(due, sizeof due, "%d", row->due);
	snprintf(on_time, sizeof on_time, "%d", row->on_time);
	snprintf(late, sizeof late, "%d", row->late);
	snprintf(overdue, sizeof overdue, "%d", row->overdue);
	report_mail_rate(rate, sizeof rate, row->rate10);
	report_mail_text_row(b, rank, row->name, due, on_time, late, overdue,
	    rate);
}

/* Appends s wrapped on spaces at REPORT_MAIL_WIDTH columns, and "\n". */
static void
report_mail_wrap(struct buf *b, const char *s)
{
	size_t	column = 0, len, w;

	while (*s != '\0') {
		s += strspn(s, " \n");
		if ((len = strcspn(s, " \n")) == 0)
			break;
		w = utf8_width(s, len);
		if (column > 0 && column + 1 + w > REPORT_MAIL_WIDTH) {
			buf_addc(b, '\n');
			column = 0;
		} else if (column > 0) {
			buf_addc(b, ' ');
			column++;
		}
		buf_add(b, s, len);
		column += w;
		s += len;
	}
	buf_addc(b, '\n');
}

/* The period, the day of the figures, and the plan's title. */
static void
report_mail_intro(struct buf *b, const struct report *r)
{
	char	from[11], to[11], today[11];

	date_format_vn(r->period.from, from);
	date_format_vn(r->period.to, to);
	date_format_vn(r->today, today);
	if (r->plan_title != NULL)
		report_mail_wrap(b, r->plan_title);
	buf_printf(b, "Kỳ báo cáo: %s - %s. Số liệu tính đến ngày %s.\n"
	    "Đơn vị có tỷ lệ đúng hạn thấp nhất xếp trước.\n", from, to, today);
}

/* The plain text body, 76 columns at most; caller frees. */
static char *
report_mail_text(const struct report *r, const char *csv_name,
    const char *xlsx_name)
{
	const struct report_row	**v;
	struct buf		  b;
	size_t			  i;
	char			  rank[24];

	buf_init(&b);
	buf_adds(&b, "Kính gửi lãnh đạo đơn vị,\n\n");
	report_mail_intro(&b, r);
	buf_addc(&b, '\n');
	report_mail_text_row(&b, "STT", "Đơn vị", "Hạn", "Đúng", "Trễ", "Quá",
	    "Tỷ lệ");
	v = report_mail_worst_first(r);
	for (i = 0; i < r->n; i++) {
		snprintf(rank, sizeof rank, "%zu", i + 1);
		report_mail_text_figures(&b, rank, v[i]);
	}
	free(v);
	report_mail_text_figures(&b, "", &r->total);
	buf_adds(&b, "\nHạn: số việc đến hạn trong kỳ; Đúng: hoàn thành đúng "
	    "hạn; Trễ: hoàn thành\nsau hạn; Quá: quá hạn chưa hoàn thành; Tỷ "
	    "lệ: % đúng hạn = Đúng / (Đúng +\nTrễ + Quá) x 100; \"-\": không "
	    "có việc đến hạn.\n");
	buf_printf(&b, "\nSố liệu đầy đủ (ngày trễ, ngày quá hạn, việc được "
	    "miễn, việc chưa đến hạn)\ntrong tệp đính kèm %s (Excel) và %s.\n",
	    xlsx_name, csv_name);
	buf_adds(&b, "\n-- \nThư này được gửi tự động bởi hệ thống nhắc hạn "
	    "công việc (deadlined).\n");
	return (buf_steal(&b));
}

/* Appends one <td> (or <th>) cell, escaped, right aligned if numeric. */
static void
report_mail_cell(struct buf *b, const char *tag, const char *value,
    int numeric)
{
	buf_printf(b, "<%s style=\"border:1px solid #999;padding:2px 4px;"
	    "text-align:%s\">", tag, numeric ? "right" : "left");
	buf_add_html(b, value, 1);
	buf_printf(b, "</%s>", tag);
}

/*
 * Appends one row of the HTML table: "rank. name" and five figures, as
 * the text table, so that it fits a phone 360 pixels wide.
 */
static void
report_mail_html_row(struct buf *b, const char *rank,
    const struct report_row *row, int total)
{
	char	n[5][16], *name;

	snprintf(n[0], sizeof n[0], "%d", row->due);
	snprintf(n[1], sizeof n[1], "%d", row->on_time);
	snprintf(n[2], sizeof n[2], "%d", row->late);
	snprintf(n[3], sizeof n[3], "%d", row->overdue);
	report_mail_rate(n[4], sizeof n[4], row->rate10);
	if (*rank != '\0')
		xasprintf(&name, "%s. %s", rank, row->name);
	else
		name = xstrdup(row->name);
	buf_adds(b, total ? "<tr style=\"font-weight:bold\">" : "<tr>");
	report_mail_cell(b, "td", name, 0);
	report_mail_cell(b, "td", n[0], 1);
	report_mail_cell(b, "td", n[1], 1);
	report_mail_cell(b, "td", n[2], 1);
	report_mail_cell(b, "td", n[3], 1);
	report_mail_cell(b, "td", n[4], 1);
	buf_adds(b, "</tr>\n");
	free(name);
}

/* The HTML body: the same table as the text; caller frees. */
static char *
report_mail_html(const struct report *r, const char *subject,
    const char *csv_name, const char *xlsx_name)
{
	static const char *const head[] = { "Đơn vị", "Hạn", "Đúng", "Trễ",
	    "Quá", "Tỷ lệ (%)" };
	const struct report_row	**v;
	struct buf		  b, intro;
	size_t			  i;
	char			  rank[24];

	buf_init(&b);
	buf_adds(&b, "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta "
	    "charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width="
	    "device-width, initial-scale=1\">\n<title>");
	buf_add_html(&b, subject, 1);
	buf_adds(&b, "</title>\n</head>\n<body>\n<p>Kính gửi lãnh đạo đơn "
	    "vị,</p>\n<p>");
	buf_init(&intro);
	report_mail_intro(&intro, r);
	buf_add_html(&b, intro.data, 1);
	buf_free(&intro);
	buf_adds(&b, "</p>\n<table style=\"border-collapse:collapse\">\n"
	    "<tr>");
	for (i = 0; i < sizeof head / sizeof head[0]; i++)
		report_mail_cell(&b, "th", head[i], i != 0);
	buf_adds(&b, "</tr>\n");
	v = report_mail_worst_first(r);
	for (i = 0; i < r->n; i++) {
		snprintf(rank, sizeof rank, "%zu", i + 1);
		report_mail_html_row(&b, rank, v[i], 0);
	}
	free(v);
	report_mail_html_row(&b, "", &r->total, 1);
	buf_adds(&b, "</table>\n<p>Hạn: số việc đến hạn trong kỳ; Đúng: hoàn "
	    "thành đúng hạn; Trễ: hoàn thành sau hạn; Quá: quá hạn chưa hoàn "
	    "thành; Tỷ lệ đúng hạn = Đúng / (Đúng + Trễ + Quá) x 100; "
	    "&quot;-&quot;: không có việc đến hạn.</p>\n<p>Số liệu đầy đủ "
	    "(ngày trễ, ngày quá hạn, việc được miễn, việc chưa đến hạn) trong "
	    "tệp đính kèm ");
	buf_add_html(&b, xlsx_name, 1);
	buf_adds(&b, " (Excel) và ");
	buf_add_html(&b, csv_name, 1);
	buf_adds(&b, ".</p>\n<hr>\n<p><small>Thư này được gửi tự động bởi hệ "
	    "thống nhắc hạn công việc (deadlined).</small></p>\n</body>\n"
	    "</html>\n");
	return (buf_steal(&b));
}

void
report_mail_render(const struct report *r, struct report_mail *m)
{
	char	*csv, *title;

	memset(m, 0, sizeof *m);
	xasprintf(&title, "Báo cáo tiến độ thực hiện kế hoạch %s%s%s",
	    r->plan != NULL ? r->plan : "", r->plan != NULL ? " " : "",
	    r->period.label);
	m->subject = title;
	xasprintf(&m->csv_name, "bao-cao-%s.csv", r->period.key);
	xasprintf(&m->xlsx_name, "bao-cao-%s.xlsx", r->period.key);
	m->text = report_mail_text(r, m->csv_name, m->xlsx_name);
	m->html = report_mail_html(r, m->subject, m->csv_name, m->xlsx_name);
	csv = report_render_csv(r);
	xasprintf(&m->csv, "%s%s", REPORT_MAIL_UTF8_BOM, csv);
	free(csv);
	m->csv_len = strlen(m->csv);
}

void
report_mail_clear(struct report_mail *m)
{
	free(m->subject);
	free(m->text);
	free(m->html);
	free(m->csv);
	free(m->csv_name);
	free(m->xlsx_name);
	free(m->xlsx);
	memset(m, 0, sizeof *m);
}
