/*
 * On-time reports: figures per unit over a period, rendered as a text
 * table (Vietnamese, for the terminal), CSV and JSON, and the scheduled
 * report mailed to the coordinator through the outbox (its words and
 * attachments: report-mail.c, report-xlsx.c).
 * The definitions of every figure are in report.h.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "calendar.h"
#include "config.h"
#include "ids.h"
#include "mime.h"
#include "output.h"
#include "report.h"
#include "report-mail.h"
#include "report-xlsx.h"
#include "route.h"
#include "store.h"
#include "utf8.h"
#include "xmalloc.h"

#define REPORT_RATE_HEADER "rate=100*on_time/(due-waived-not_yet_due)"
#define REPORT_RATE_TEXT "Tỷ lệ đúng hạn = số việc hoàn thành đúng hạn / " \
	"(số việc đến hạn - được miễn - chưa đến hạn) x 100."

/* A unit a report may count: its row once it has one (-1 until then). */
struct report_unit {
	int64_t	 id;
	char	*code;
	char	*name;
	long	 row;
};

struct report_ctx {
	struct report		*r;
	struct report_workdays	 wd;
	struct report_unit	*units;		/* by id */
	size_t			 nunits;
	struct report_unit	*last;		/* of the previous lookup */
};

/* Tables of working days longer than this are not made (days). */
#define REPORT_WORKDAYS_MAX 20000

static const char *const report_roman[] = { "I", "II", "III", "IV" };

void
report_period_set(struct report_period *p, enum report_span span, int year,
    int n)
{
	memset(p, 0, sizeof *p);
	p->span = span;
	p->year = year;
	p->n = n;
	switch (span) {
	case REPORT_YEAR:
		p->from = date_from_ymd(year, 1, 1);
		p->to = date_from_ymd(year, 12, 31);
		snprintf(p->key, sizeof p->key, "%04d", year);
		snprintf(p->label, sizeof p->label, "năm %04d", year);
		break;
	case REPORT_HALF:
		p->from = date_from_ymd(year, 6 * n - 5, 1);
		p->to = date_last_of_month(year, 6 * n);
		snprintf(p->key, sizeof p->key, "%04d-H%d", year, n);
		snprintf(p->label, sizeof p->label, "6 tháng %s năm %04d",
		    n == 1 ? "đầu" : "cuối", year);
		break;
	case REPORT_QUARTER:
		p->from = date_from_ymd(year, 3 * n - 2, 1);
		p->to = date_last_of_month(year, 3 * n);
		snprintf(p->key, sizeof p->key, "%04d-Q%d", year, n);
		snprintf(p->label, sizeof p->label, "quý %s/%04d",
		    report_roman[n - 1], year);
		break;
	case REPORT_MONTH:
		p->from = date_from_ymd(year, n, 1);
		p->to = date_last_of_month(year, n);
		snprintf(p->key, sizeof p->key, "%04d-%02d", year, n);
		snprintf(p->label, sizeof p->label, "tháng %02d/%04d", n, year);
		break;
	}
}

int
report_parse_period(const char *s, struct report_period *p)
{
	int	year, n, used = 0;
	char	c;

	if (sscanf(s, "%4d%n", &year, &used) != 1 || used != 4 ||
	    year < 1900 || year > 2100)
		return (-1);
	if (s[4] == '\0') {
		report_period_set(p, REPORT_YEAR, year, 0);
		return (0);
	}
	if (s[4] != '-' || strlen(s) != 7)
		return (-1);
	c = s[5];
	if ((c == 'H' || c == 'h') && (s[6] == '1' || s[6] == '2')) {
		report_period_set(p, REPORT_HALF, year, s[6] - '0');
		return (0);
	}
	if ((c == 'Q' || c == 'q') && s[6] >= '1' && s[6] <= '4') {
		report_period_set(p, REPORT_QUARTER, year, s[6] - '0');
		return (0);
	}
	if (c < '0' || c > '1' || s[6] < '0' || s[6] > '9')
		return (-1);
	n = (c - '0') * 10 + (s[6] - '0');
	if (n < 1 || n > 12)
		return (-1);
	report_period_set(p, REPORT_MONTH, year, n);
	return (0);
}

void
report_workdays_init(struct report_workdays *wd, struct calendar *cal,
    date_t lo, date_t hi)
{
	size_t	i;

	memset(wd, 0, sizeof *wd);
	wd->cal = cal;
	if (lo == DATE_NONE || hi == DATE_NONE || hi < lo ||
	    hi - lo >= REPORT_WORKDAYS_MAX)
		return;
	wd->lo = lo;
	wd->n = (size_t)(hi - lo) + 1;
	wd->cum = xreallocarray(NULL, wd->n, sizeof *wd->cum);
	wd->cum[0] = 0;
	for (i = 1; i < wd->n; i++)
		wd->cum[i] = wd->cum[i - 1] +
		    calendar_is_working_day(cal, lo + (date_t)i);
}

int
report_workdays(const struct report_workdays *wd, date_t a, date_t b)
{
	if (wd->cum != NULL && a >= wd->lo && b >= wd->lo &&
	    (size_t)(a - wd->lo) < wd->n && (size_t)(b - wd->lo) < wd->n)
		return (wd->cum[b - wd->lo] - wd->cum[a - wd->lo]);
	return (calendar_working_days_between(wd->cal, a, b));
}

void
report_workdays_clear(struct report_workdays *wd)
{
	free(wd->cum);
	memset(wd, 0, sizeof *wd);
}

/* Appends a new row for a unit; its index. */
static size_t
report_row_add(struct report *r, const char *unit, const char *name)
{
	struct report_row	*row;

	r->rows = xreallocarray(r->rows, r->n + 1, sizeof *r->rows);
	row = &r->rows[r->n];
	memset(row, 0, sizeof *row);
	row->unit = xstrdup(unit);
	row->name = xstrdup(name != NULL ? name : unit);
	return (r->n++);
}

/* The row of a unit by code, added if new. */
static struct report_row *
report_row(struct report *r, const char *unit, const char *name)
{
	size_t	i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->rows[i].unit, unit) == 0)
			return (&r->rows[i]);
	/* Not in one expression: adding the row moves r->rows. */
	i = report_row_add(r, unit, name);
	return (&r->rows[i]);
}

/* Working days from a to b, at least 1. */
static int
report_days(const struct report_workdays *wd, date_t a, date_t b)
{
	int	days = report_workdays(wd, a, b);

	return (days < 1 ? 1 : days);
}

/* Keeps a unit the report may meet. */
static int
report_unit_add(const struct store_unit *u, void *arg)
{
	struct report_ctx	*ctx = arg;
	struct report_unit	*ru;

	if ((ctx->nunits & (ctx->nunits - 1)) == 0)
		ctx->units = xreallocarray(ctx->units, ctx->nunits ?
		    ctx->nunits * 2 : 16, sizeof *ctx->units);
	ru = &ctx->units[ctx->nunits++];
	ru->id = u->id;
	ru->code = xstrdup(u->code);
	ru->name = xstrdup(u->name != NULL ? u->name : u->code);
	ru->row = -1;
	return (0);
}

/* Orders units by id. */
static int
report_unit_cmp(const void *a, const void *b)
{
	const struct report_unit	*x = a, *y = b;

	return (x->id < y->id ? -1 : x->id > y->id);
}

/* The row of a unit by id (added if new), or NULL if no such unit. */
static struct report_row *
report_unit_row(struct report_ctx *ctx, int64_t id)
{
	struct report_unit	 key, *ru = ctx->last;

	if (ru == NULL || ru->id != id) {
		key.id = id;
		ru = bsearch(&key, ctx->units, ctx->nunits, sizeof *ctx->units,
		    report_unit_cmp);
		if (ru == NULL)
			return (NULL);
		ctx->last = ru;
	}
	if (ru->row < 0)
		ru->row = (long)report_row_add(ctx->r, ru->code, ru->name);
	return (&ctx->r->rows[ru->row]);
}

/* Counts n dated occurrences alike in what a report reads. */
static int
report_dated(const struct store_tally *t, void *arg)
{
	struct report_ctx	*ctx = arg;
	struct report		*r = ctx->r;
	struct report_row	*row;

	/* A row without its unit was never joined to one: not counted. */
	if ((row = report_unit_row(ctx, t->unit_id)) == NULL)
		return (0);
	row->due += t->n;
	if (t->extended != DATE_NONE)
		row->extended += t->n;
	if (strcmp(t->status, "waived") == 0)
		row->waived += t->n;
	else if (strcmp(t->status, "done") == 0) {
		if (t->done_on == DATE_NONE || t->done_on <= t->effective)
			row->on_time += t->n;
		else {
			row->late += t->n;
			row->late_days += t->n * report_days(&ctx->wd,
			    t->effective, t->done_on);
		}
	} else if (t->effective < r->today) {
		row->overdue += t->n;
		row->overdue_days += t->n * report_days(&ctx->wd, t->effective,
		    r->today);
	} else
		row->not_yet_due += t->n;
	return (0);
}

/* Counts one undated assignment. */
static int
report_undated(const struct store_occurrence *o, void *arg)
{
	struct report_ctx	*ctx = arg;

	report_row(ctx->r, o->unit_code, o->unit_name)->undated++;
	return (0);
}

/* Rounds 1000 * a / b (tenths of a percent) or 10 * a / b; -1 if b is 0. */
static int
report_tenths(int a, int b, int scale)
{
	if (b == 0)
		return (-1);
	return ((int)(((long long)a * scale * 2 + b) / (2LL * b)));
}

/* Fills the derived figures of a row. */
static void
report_finish_row(struct report_row *row)
{
	row->rate10 = report_tenths(row->on_time, row->on_time + row->late +
	    row->overdue, 1000);
	row->late_avg10 = report_tenths(row->late_days, row->late, 10);
}

/* Orders rows by rate (highest first, none last), then unit code. */
static int
report_cmp(const void *a, const void *b)
{
	const struct report_row	*x = a, *y = b;

	if (x->rate10 != y->rate10)
		return (x->rate10 > y->rate10 ? -1 : 1);
	return (strcmp(x->unit, y->unit));
}

/* Adds a row into the total. */
static void
report_sum(struct report_row *t, const struct report_row *row)
{
	t->due += row->due;
	t->on_time += row->on_time;
	t->late += row->late;
	t->late_days += row->late_days;
	t->overdue += row->overdue;
	t->overdue_days += row->overdue_days;
	t->not_yet_due += row->not_yet_due;
	t->waived += row->waived;
	t->extended += row->extended;
	t->undated += row->undated;
}

/* Frees what report_build kept while counting. */
static void
report_ctx_clear(struct report_ctx *ctx)
{
	size_t	i;

	for (i = 0; i < ctx->nunits; i++) {
		free(ctx->units[i].code);
		free(ctx->units[i].name);
	}
	free(ctx->units);
	report_workdays_clear(&ctx->wd);
}

/*
 * The store counts the period's occurrences alike in what a report reads
 * (store_report_tally): a few per unit and day, not one call per
 * occurrence; working days come from one table made for the period.
 */
int
report_build(struct store *s, struct calendar *cal,
    const struct report_options *opt, struct report *r, char **cause)
{
	struct store_agenda_filter	f;
	struct report_ctx		ctx;
	int64_t				plan_id = 0, unit_id = 0;
	date_t				hi;

	memset(r, 0, sizeof *r);
	memset(&ctx, 0, sizeof ctx);
	r->period = opt->period;
	r->today = opt->today;
	if (opt->plan != NULL) {
		if ((plan_id = store_plan_id(s, opt->plan, cause)) <= 0) {
			if (plan_id == 0)
				xasprintf(cause, "unknown plan '%s'",
				    opt->plan);
			return (-1);
		}
		r->plan = xstrdup(opt->plan);
		if (store_report_plan_title(s, opt->plan, &r->plan_title,
		    cause) != 0)
			goto fail;
	}
	if (opt->unit != NULL &&
	    (unit_id = store_unit_id(s, opt->unit, cause)) <= 0) {
		if (unit_id == 0)
			xasprintf(cause, "unknown unit '%s'", opt->unit);
		goto fail;
	}
	ctx.r = r;
	if (store_units(s, 1, report_unit_add, &ctx, cause) != 0)
		goto fail;
	if (ctx.nunits > 1)
		qsort(ctx.units, ctx.nunits, sizeof *ctx.units,
		    report_unit_cmp);
	hi = opt->period.to > opt->today ? opt->period.to : opt->today;
	report_workdays_init(&ctx.wd, cal, opt->period.from, hi);
	if (store_report_tally(s, opt->period.from, opt->period.to, plan_id,
	    unit_id, report_dated, &ctx, cause) != 0)
		goto fail;
	memset(&f, 0, sizeof f);
	f.unit = opt->unit;
	f.plan = opt->plan;
	f.undated_only = 1;
	if (store_agenda(s, &f, report_undated, &ctx, cause) != 0)
		goto fail;
	report_ctx_clear(&ctx);
	r->total.unit = xstrdup("TOTAL");
	r->total.name = xstrdup("Tổng cộng");
	report_rank(r);
	return (0);
fail:
	report_ctx_clear(&ctx);
	report_clear(r);
	return (-1);
}

void
report_clear(struct report *r)
{
	size_t	i;

	for (i = 0; i < r->n; i++) {
		free(r->rows[i].unit);
		free(r->rows[i].name);
	}
	free(r->rows);
	free(r->total.unit);
	free(r->total.name);
	free(r->plan);
	free(r->plan_title);
	memset(r, 0, sizeof *r);
}

/* Takes row i out of a report (its order is restored by the caller). */
static void
report_row_remove(struct report *r, size_t i)
{
	free(r->rows[i].unit);
	free(r->rows[i].name);
	r->rows[i] = r->rows[--r->n];
}

/* Puts the figures of a unit counted afresh (or none) into its row. */
static void
report_row_replace(struct report *r, const struct report_unit *ru,
    const struct report_row *fresh)
{
	struct report_row	*row = NULL;
	size_t			 i;
	int			 undated = 0;
	char			*unit, *name;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->rows[i].unit, ru->code) == 0) {
			row = &r->rows[i];
			break;
		}
	if (row != NULL)
		undated = row->undated;
	/* report_build gives a unit a row when something counted it. */
	if (fresh == NULL && undated == 0) {
		if (row != NULL)
			report_row_remove(r, i);
		return;
	}
	if (row == NULL) {
		/* Not in one expression: adding the row moves r->rows. */
		i = report_row_add(r, ru->code, ru->name);
		row = &r->rows[i];
	}
	unit = row->unit;
	name = row->name;
	if (fresh != NULL)
		*row = *fresh;
	else
		memset(row, 0, sizeof *row);
	row->unit = unit;
	row->name = name;
	row->undated = undated;
}

void
report_rank(struct report *r)
{
	size_t	i;

	memset(&r->total.due, 0, sizeof r->total - offsetof(struct report_row,
	    due));
	for (i = 0; i < r->n; i++) {
		report_finish_row(&r->rows[i]);
		report_sum(&r->total, &r->rows[i]);
	}
	report_finish_row(&r->total);
	if (r->n > 1)
		qsort(r->rows, r->n, sizeof *r->rows, report_cmp);
}

/*
 * Counts the units again through store_report_tally_unit, each alone, and
 * puts their figures in place of the old: what report_build would give
 * now, for a report built for every unit, if nothing but these units'
 * occurrences changed since (their undated count is kept: assignments
 * changed mean a new report).
 */
int
report_update(struct store *s, struct calendar *cal, struct report *r,
    const int64_t *ids, size_t nids, char **cause)
{
	struct report_ctx	 ctx;
	struct report		 fresh;
	struct report_unit	 key, *ru;
	struct report_row	*row;
	int64_t			*want, plan_id = 0;
	size_t			 i, j, n = 0;
	date_t			 hi;

	memset(&ctx, 0, sizeof ctx);
	memset(&fresh, 0, sizeof fresh);
	fresh.today = r->today;
	if (r->plan != NULL) {
		if ((plan_id = store_plan_id(s, r->plan, cause)) <= 0) {
			if (plan_id == 0)
				xasprintf(cause, "unknown plan '%s'", r->plan);
			return (-1);
		}
	}
	want = xreallocarray(NULL, nids ? nids : 1, sizeof *want);
	memcpy(want, ids, nids * sizeof *want);
	n = ids_sort_unique(want, nids);
	ctx.r = &fresh;
	if (store_units(s, 1, report_unit_add, &ctx, cause) != 0)
		goto fail;
	if (ctx.nunits > 1)
		qsort(ctx.units, ctx.nunits, sizeof *ctx.units,
		    report_unit_cmp);
	hi = r->period.to > r->today ? r->period.to : r->today;
	report_workdays_init(&ctx.wd, cal, r->period.from, hi);
	for (i = 0; i < n; i++) {
		key.id = want[i];
		if (bsearch(&key, ctx.units, ctx.nunits, sizeof *ctx.units,
		    report_unit_cmp) == NULL)
			continue;
		if (store_report_tally_unit(s, r->period.from, r->period.to,
		    plan_id, want[i], report_dated, &ctx, cause) != 0)
			goto fail;
	}
	for (i = 0; i < n; i++) {
		key.id = want[i];
		if ((ru = bsearch(&key, ctx.units, ctx.nunits,
		    sizeof *ctx.units, report_unit_cmp)) == NULL)
			continue;
		row = NULL;
		for (j = 0; j < fresh.n; j++)
			if (strcmp(fresh.rows[j].unit, ru->code) == 0)
				row = &fresh.rows[j];
		report_row_replace(r, ru, row);
	}
	report_rank(r);
	free(want);
	report_ctx_clear(&ctx);
	report_clear(&fresh);
	return (0);
fail:
	free(want);
	report_ctx_clear(&ctx);
	report_clear(&fresh);
	return (-1);
}

/* Tenths as "87.5" (sep '.') or "87,5"; empty when none. */
static void
report_decimal(char *out, size_t len, int tenths, char sep)
{
	if (tenths < 0)
		*out = '\0';
	else
		snprintf(out, len, "%d%c%d", tenths / 10, sep, tenths % 10);
}

/* The columns of the CSV form. */
static const char *const report_csv_columns[] = { "unit", "name", "due",
    "on_time", "late", "late_days", "late_avg", "overdue", "overdue_days",
    "not_yet_due", "waived", REPORT_RATE_HEADER, "undated", "extended",
    NULL };

/* Adds one row to the CSV form. */
static void
report_csv_row(struct output *o, const struct report_row *row)
{
	char	rate[16], avg[16];

	report_decimal(rate, sizeof rate, row->rate10, '.');
	report_decimal(avg, sizeof avg, row->late_avg10, '.');
	output_row(o);
	output_str(o, row->unit);
	output_str(o, row->name);
	output_int(o, row->due);
	output_int(o, row->on_time);
	output_int(o, row->late);
	output_int(o, row->late_days);
	output_str(o, avg);
	output_int(o, row->overdue);
	output_int(o, row->overdue_days);
	output_int(o, row->not_yet_due);
	output_int(o, row->waived);
	output_str(o, rate);
	output_int(o, row->undated);
	output_int(o, row->extended);
}

char *
report_render_csv(const struct report *r)
{
	struct output	*o;
	size_t		 i;

	o = output_new(OUTPUT_CSV, report_csv_columns);
	for (i = 0; i < r->n; i++)
		report_csv_row(o, &r->rows[i]);
	report_csv_row(o, &r->total);
	return (output_string(o));
}

/* A tenths figure as a JSON real, or null. */
static json_t *
report_json_tenths(int tenths)
{
	return (tenths < 0 ? json_null() : json_real(tenths / 10.0));
}

/* One row as a JSON object. */
static json_t *
report_json_row(const struct report_row *row, int rank)
{
	json_t	*o;

	o = json_pack("{s:s, s:s, s:i, s:i, s:i, s:i, s:o, s:i, s:i, s:i, "
	    "s:i, s:o, s:i, s:i}", "unit", row->unit, "name", row->name,
	    "due", row->due, "on_time", row->on_time, "late", row->late,
	    "late_days", row->late_days, "late_avg",
	    report_json_tenths(row->late_avg10), "overdue", row->overdue,
	    "overdue_days", row->overdue_days, "not_yet_due",
	    row->not_yet_due, "waived", row->waived, "rate",
	    report_json_tenths(row->rate10), "undated", row->undated,
	    "extended", row->extended);
	if (rank > 0)
		json_object_set_new(o, "rank", json_integer(rank));
	return (o);
}

char *
report_render_json(const struct report *r)
{
	json_t	*o, *units;
	char	 from[11], to[11], today[11], *text;
	size_t	 i;

	date_format_iso(r->period.from, from);
	date_format_iso(r->period.to, to);
	date_format_iso(r->today, today);
	units = json_array();
	for (i = 0; i < r->n; i++)
		json_array_append_new(units, report_json_row(&r->rows[i],
		    (int)i + 1));
	o = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:o, s:o}",
	    "period", r->period.key, "from", from, "to", to, "today", today,
	    "plan", r->plan != NULL ? json_string(r->plan) : json_null(),
	    "plan_title", r->plan_title != NULL ? json_string(r->plan_title) :
	    json_null(), "rate_definition", "100 * on_time / (due - waived - "
	    "not_yet_due), one decimal; null when the denominator is 0",
	    "units", units, "total", report_json_row(&r->total, 0));
	text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
	    JSON_REAL_PRECISION(6));
	json_decref(o);
	return (text);
}

#define REPORT_NCOLS	12
static const char *const report_text_head[REPORT_NCOLS] = { "STT",
    "Đơn vị", "Đến hạn", "Đúng hạn", "Trễ hạn", "Ngày trễ TB", "Quá hạn",
    "Ngày quá hạn", "Chưa đến hạn", "Miễn", "Gia hạn", "Tỷ lệ (%)" };

/* The cells of one row of the text table; caller frees each. */
static void
report_text_cells(const struct report_row *row, int rank,
    char *cells[REPORT_NCOLS])
{
	char	rate[16], avg[16];

	report_decimal(rate, sizeof rate, row->rate10, ',');
	report_decimal(avg, sizeof avg, row->late_avg10, ',');
	if (rank > 0)
		xasprintf(&cells[0], "%d", rank);
	else
		cells[0] = xstrdup("");
	cells[1] = xstrdup(row->name);
	xasprintf(&cells[2], "%d", row->due);
	xasprintf(&cells[3], "%d", row->on_time);
	xasprintf(&cells[4], "%d", row->late);
	cells[5] = xstrdup(*avg != '\0' ? avg : "-");
	xasprintf(&cells[6], "%d", row->overdue);
	xasprintf(&cells[7], "%d", row->overdue_days);
	xasprintf(&cells[8], "%d", row->not_yet_due);
	xasprintf(&cells[9], "%d", row->waived);
	xasprintf(&cells[10], "%d", row->extended);
	cells[11] = xstrdup(*rate != '\0' ? rate : "-");
}

/* Appends one padded line of cells (column 1 left, others right). */
static void
report_text_line(struct buf *b, char *const *cells, const size_t *width)
{
	size_t	i, w, pad;

	for (i = 0; i < REPORT_NCOLS; i++) {
		w = utf8_width(cells[i], strlen(cells[i]));
		pad = width[i] > w ? width[i] - w : 0;
		if (i != 1)
			buf_printf(b, "%*s", (int)pad, "");
		buf_adds(b, cells[i]);
		if (i == 1)
			buf_printf(b, "%*s", (int)pad, "");
		buf_adds(b, i + 1 < REPORT_NCOLS ? "  " : "\n");
	}
}

/* Appends the aligned table of units and the total. */
static void
report_text_table(struct buf *b, const struct report *r)
{
	char	*(*cells)[REPORT_NCOLS];
	size_t	 width[REPORT_NCOLS], i, j, n = r->n + 2;

	cells = xcalloc(n, sizeof *cells);
	for (j = 0; j < REPORT_NCOLS; j++)
		cells[0][j] = xstrdup(report_text_head[j]);
	for (i = 0; i < r->n; i++)
		report_text_cells(&r->rows[i], (int)i + 1, cells[i + 1]);
	report_text_cells(&r->total, 0, cells[n - 1]);
	for (j = 0; j < REPORT_NCOLS; j++) {
		width[j] = 0;
		for (i = 0; i < n; i++)
			if (utf8_width(cells[i][j], strlen(cells[i][j])) >
			    width[j])
				width[j] = utf8_width(cells[i][j],
				    strlen(cells[i][j]));
	}
	for (i = 0; i < n; i++) {
		report_text_line(b, cells[i], width);
		for (j = 0; j < REPORT_NCOLS; j++)
			free(cells[i][j]);
	}
	free(cells);
}

/* Appends the units with undated obligations, if any. */
static void
report_text_undated(struct buf *b, const struct report *r)
{
	size_t	i;

	if (r->total.undated == 0)
		return;
	buf_adds(b, "\nNhiệm vụ thường xuyên, theo sự kiện (không có hạn, "
	    "không tính vào tỷ lệ):\n");
	for (i = 0; i < r->n; i++)
		if (r->rows[i].undated > 0)
			buf_printf(b, "  %s: %d\n", r->rows[i].name,
			    r->rows[i].undated);
}

/* The report's title line. */
static char *
report_title(const struct report *r)
{
	char	*title;

	xasprintf(&title, "Báo cáo tiến độ thực hiện kế hoạch %s%s%s",
	    r->plan != NULL ? r->plan : "", r->plan != NULL ? " " : "",
	    r->period.label);
	return (title);
}

char *
report_render_text(const struct report *r)
{
	struct buf	 b;
	char		 from[11], to[11], today[11], *title;

	date_format_vn(r->period.from, from);
	date_format_vn(r->period.to, to);
	date_format_vn(r->today, today);
	title = report_title(r);
	buf_init(&b);
	buf_printf(&b, "%s\n", title);
	if (r->plan_title != NULL)
		buf_printf(&b, "%s\n", r->plan_title);
	buf_printf(&b, "Kỳ báo cáo: %s - %s (theo hạn sau khi dời ngày "
	    "nghỉ). Số liệu tính đến ngày %s.\n\n", from, to, today);
	free(title);
	report_text_table(&b, r);
	buf_adds(&b, "\n" REPORT_RATE_TEXT "\nNgày trễ, ngày quá hạn tính "
	    "theo ngày làm việc; \"-\": không có số liệu. Việc được gia hạn "
	    "tính theo hạn mới.\n");
	report_text_undated(&b, r);
	return (buf_steal(&b));
}

/* The recipient unit of scheduled reports. */
struct report_to {
	int64_t	 id;
	char	*code;
	char	*name;
	char	*emails;
};

/* Copies the recipient unit store_unit_get found. */
static int
report_to_copy(const struct store_unit *u, void *arg)
{
	struct report_to	*to = arg;

	to->id = u->id;
	to->code = xstrdup(u->code);
	to->name = xstrdup(u->name);
	to->emails = xstrdup(u->emails != NULL ? u->emails : "");
	return (0);
}

/* Builds the mail of a report to one address; 0 or -1 and *cause. */
static int
report_mail(const struct report *r, const struct config *cf,
    const struct report_to *to, const char *addr, const char *key,
    time_t now, char **subject, char **body, char **cause)
{
	struct mime_message	 mm;
	struct mime_attachment	 xlsx;
	struct report_mail	 rm;
	char			*id;
	size_t			 len;
	int			 rc;

	report_mail_render(r, &rm);
	if (report_xlsx_build(r, &rm.xlsx, &rm.xlsx_len, cause) != 0) {
		report_mail_clear(&rm);
		return (-1);
	}
	id = mime_message_init(&mm, cf, to->name, addr, key, now);
	mm.subject = rm.subject;
	mm.text = rm.text;
	mm.html = rm.html;
	mm.attachment_name = rm.csv_name;
	mm.attachment_type = "text/csv";
	mm.attachment_data = rm.csv;
	mm.attachment_len = rm.csv_len;
	xlsx.name = rm.xlsx_name;
	xlsx.type = "application/"
	    "vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	xlsx.data = rm.xlsx;
	xlsx.len = rm.xlsx_len;
	mm.more = &xlsx;
	mm.nmore = 1;
	rc = mime_build(&mm, body, &len, cause);
	*subject = rm.subject;
	rm.subject = NULL;
	report_mail_clear(&rm);
	free(id);
	return (rc);
}

/* Queues one report along every mail route of the recipient; 0 or -1. */
static int
report_queue_one(struct store *s, const struct config *cf,
    const struct report *r, const struct report_to *to, time_t now,
    int *queued, char **cause)
{
	struct route_message	 msg;
	struct routes		 routes;
	char			*base, *key, *subject, *body;
	size_t			 i;
	int			 added, rc = 0;

	xasprintf(&base, "report/%s/%s", to->code, r->period.key);
	memset(&msg, 0, sizeof msg);
	msg.base = base;
	msg.unit_id = to->id;
	msg.day = r->today;
	msg.now = now;
	route_unit(cf, to->emails, NULL, &routes);
	for (i = 0; rc == 0 && i < routes.n; i++) {
		key = route_key(&routes.list[i], base);
		subject = body = NULL;
		if ((rc = report_mail(r, cf, to, routes.list[i].to, key, now,
		    &subject, &body, cause)) == 0) {
			msg.subject = subject;
			msg.body = body;
			rc = route_queue(s, cf, &routes.list[i], &msg, &added,
			    cause);
			*queued += added;
		}
		free(key);
		free(subject);
		free(body);
	}
	route_clear(&routes);
	free(base);
	return (rc);
}

/* Builds and queues the report of a period unless done; 0 or -1. */
static int
report_queue_period(struct store *s, const struct config *cf,
    struct calendar *cal, const struct report_period *p,
    const struct report_to *to, time_t now, int *queued, char **cause)
{
	struct report_options	 opt;
	struct report		 r;
	char			*notice;
	int			 rc;

	xasprintf(&notice, "report/%s/%s", to->code, p->key);
	if ((rc = store_notice_seen(s, notice, cause)) != 0) {
		free(notice);
		return (rc < 0 ? -1 : 0);
	}
	memset(&opt, 0, sizeof opt);
	opt.period = *p;
	opt.today = date_of_time(now);
	if ((rc = report_build(s, cal, &opt, &r, cause)) == 0) {
		if ((rc = store_begin(s, cause)) == 0) {
			if (report_queue_one(s, cf, &r, to, now, queued,
			    cause) != 0 || store_notice_add(s, notice,
			    opt.today, NULL, cause) != 0 ||
			    store_commit(s, cause) != 0) {
				store_rollback(s);
				rc = -1;
			}
		}
		report_clear(&r);
	}
	free(notice);
	return (rc);
}

/* The periods whose report is due at today, into p; their number. */
static int
report_due_periods(const struct config *cf, struct calendar *cal,
    date_t today, struct report_period p[2])
{
	int	y, m, d, n = 0;

	date_to_ymd(today, &y, &m, &d);
	if (today < calendar_next_working_day(cal, date_from_ymd(y, m, 1)))
		return (0);
	if (cf->report_schedule == CONFIG_REPORT_MONTHLY ||
	    cf->report_schedule == CONFIG_REPORT_BOTH)
		report_period_set(&p[n++], REPORT_MONTH, m == 1 ? y - 1 : y,
		    m == 1 ? 12 : m - 1);
	if ((cf->report_schedule == CONFIG_REPORT_QUARTERLY ||
	    cf->report_schedule == CONFIG_REPORT_BOTH) && m % 3 == 1)
		report_period_set(&p[n++], REPORT_QUARTER, m == 1 ? y - 1 : y,
		    m == 1 ? 4 : (m - 1) / 3);
	return (n);
}

int
report_queue_due(struct store *s, const struct config *cf,
    struct calendar *cal, time_t now, int *queued, char **cause)
{
	struct report_period	 p[2];
	struct report_to	 to;
	const char		*code;
	date_t			 today = date_of_time(now);
	int			 i, n, rc = 0;

	*queued = 0;
	code = *cf->report_to != '\0' ? cf->report_to : cf->coordinator;
	if (cf->report_schedule == CONFIG_REPORT_OFF || *code == '\0' ||
	    route_channel(cf, ROUTE_EMAIL) == NULL ||
	    now < date_time_at(today, cf->send_hour, cf->send_minute) ||
	    (n = report_due_periods(cf, cal, today, p)) == 0)
		return (0);
	memset(&to, 0, sizeof to);
	if (store_unit_get(s, code, report_to_copy, &to, cause) != 0)
		return (-1);
	if (to.code == NULL) {
		xasprintf(cause, "[report] to: unknown unit '%s'", code);
		return (-1);
	}
	for (i = 0; rc == 0 && i < n; i++)
		rc = report_queue_period(s, cf, cal, &p[i], &to, now, queued,
		    cause);
	free(to.code);
	free(to.name);
	free(to.emails);
	return (rc);
}
