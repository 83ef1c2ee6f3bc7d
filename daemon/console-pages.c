/*
 * The coordinator's pages of figures: the overview of a period (one row
 * per unit, worst first, with the on-time rate as a bar), the overdue
 * work by task (its late units listed, not one row per unit) and a month
 * as a calendar.  None of them has a form, so console.c keeps them
 * rendered until the database changes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assignees.h"
#include "calendar.h"
#include "console-private.h"
#include "html.h"
#include "report.h"
#include "store.h"

#define OVERDUE_TASKS_PAGE	40	/* tasks on a page of overdue work */
#define OVERDUE_UNITS_SHOWN	30	/* late units named per task */
#define MONTH_TASKS_SHOWN	5	/* tasks named in a day of the month */

/* A unit the overdue page may name. */
struct overdue_unit {
	int64_t	 id;
	char	*code;
	char	*name;
};

/* One overdue occurrence. */
struct overdue_occ {
	int64_t				 task_id;
	const struct overdue_unit	*unit;
	date_t				 effective;
	int				 days;
};

/* An active task, with its title and lead unit once shown. */
struct overdue_task {
	int64_t	 task_id;
	char	*plan;
	char	*ref;
	int	 named;		/* title and lead read */
	char	*title;
	char	*lead;
};

/* A task with overdue occurrences, ranked. */
struct overdue_rank {
	struct overdue_task	*task;
	size_t			 first, n;	/* its occurrences */
	date_t			 oldest;
};

/*
 * What the overdue page is made from: the units and active tasks (which
 * change only with an "everything" write) and the overdue occurrences
 * (patched per unit and task).
 */
struct overdue_ctx {
	struct report_workdays	 wd;
	date_t			 today;
	int64_t			 plan_id;	/* 0: every plan */
	int			 none;		/* an unknown plan */
	struct overdue_unit	*units;		/* by id */
	size_t			 nunits;
	struct overdue_occ	*occ;
	size_t			 nocc;
	struct overdue_task	*tasks;		/* by id */
	size_t			 ntasks;
};

/* What a kept page was made from. */
enum console_kept_kind {
	CONSOLE_KEPT_OVERVIEW,
	CONSOLE_KEPT_OVERDUE
};
struct console_kept {
	enum console_kept_kind	 kind;
	struct report		 r;
	struct overdue_ctx	 ox;
};

static struct console_kept *console_kept_take(struct console_page *,
	    enum console_kept_kind);

void
console_query(struct buf *b, const char *const *kv, size_t n)
{
	size_t	i;
	int	first = 1;

	for (i = 0; i + 1 < n; i += 2) {
		if (kv[i + 1] == NULL || *kv[i + 1] == '\0')
			continue;
		buf_addc(b, first ? '?' : '&');
		first = 0;
		buf_adds(b, kv[i]);
		buf_addc(b, '=');
		html_query_value(b, kv[i + 1]);
	}
}

/* Appends a filter link: path with the query, "on" when current. */
static void
console_filter(struct buf *b, const char *path, const char *const *kv,
    size_t n, const char *label, int on)
{
	struct buf	href;

	buf_init(&href);
	buf_adds(&href, path);
	console_query(&href, kv, n);
	buf_adds(b, "<a href=\"");
	html_text(b, href.data);
	buf_adds(b, on ? "\" class=\"on\">" : "\">");
	html_text(b, label);
	buf_adds(b, "</a>");
	buf_free(&href);
}

/* The plan of the request, if it names one that exists. */
static const char *
console_plan_arg(struct console_page *p)
{
	const char	*plan = console_arg(p, "plan");

	if (plan == NULL || *plan == '\0' ||
	    store_plan_id(p->c->store, plan, NULL) <= 0)
		return (NULL);
	return (plan);
}

/* Gathers the plans for the filter. */
struct console_plans {
	struct buf	*b;
	const char	*path;
	const char	*plan;
	const char	*period;
};

/* Appends one plan's filter link. */
static int
console_plan_link(const struct store_plan *pl, void *arg)
{
	struct console_plans	*cp = arg;
	const char		*kv[] = { "period", cp->period, "plan",
	    pl->code };

	console_filter(cp->b, cp->path, kv, 4, pl->code, cp->plan != NULL &&
	    strcmp(cp->plan, pl->code) == 0);
	return (0);
}

/* Appends the plan filter: every plan, then each one. */
static void
console_plans_filter(struct console_page *p, const char *path,
    const char *plan, const char *period)
{
	struct console_plans	 cp;
	const char		*kv[] = { "period", period };
	char			*cause = NULL;

	buf_adds(&p->main, "<div class=\"filters\"><span class=\"muted\">"
	    "Kế hoạch:</span>");
	console_filter(&p->main, path, kv, 2, "Tất cả", plan == NULL);
	cp.b = &p->main;
	cp.path = path;
	cp.plan = plan;
	cp.period = period;
	if (store_plans(p->c->store, console_plan_link, &cp, &cause) != 0)
		console_read_failed(p, cause);
	buf_adds(&p->main, "</div>\n");
}

/* The period of today of a span. */
static void
console_period_of(struct report_period *rp, enum report_span span,
    date_t today)
{
	int	y, m, d;

	date_to_ymd(today, &y, &m, &d);
	report_period_set(rp, span, y, span == REPORT_MONTH ? m :
	    span == REPORT_QUARTER ? (m - 1) / 3 + 1 : span == REPORT_HALF ?
	    (m - 1) / 6 + 1 : 0);
}

/* The period before (-1) or after (1) a period. */
static void
console_period_step(const struct report_period *rp, int dir,
    struct report_period *out)
{
	int	per = rp->span == REPORT_MONTH ? 12 : rp->span ==
	    REPORT_QUARTER ? 4 : rp->span == REPORT_HALF ? 2 : 1;
	int	y = rp->year, n = rp->n + dir;

	if (rp->span == REPORT_YEAR) {
		report_period_set(out, REPORT_YEAR, y + dir, 0);
		return;
	}
	if (n < 1) {
		n = per;
		y--;
	} else if (n > per) {
		n = 1;
		y++;
	}
	report_period_set(out, rp->span, y, n);
}

/* Appends the period filter: this month ... this year, before, after. */
static void
console_periods_filter(struct console_page *p, const char *path,
    const struct report_period *cur, const char *plan)
{
	static const struct {
		enum report_span	 span;
		const char		*label;
	} spans[] = {
		{ REPORT_MONTH, "Tháng này" }, { REPORT_QUARTER, "Quý này" },
		{ REPORT_HALF, "6 tháng" }, { REPORT_YEAR, "Năm nay" },
	};
	struct report_period	 rp;
	const char		*kv[] = { "period", NULL, "plan", plan };
	char			 label[64];
	size_t			 i;

	buf_adds(&p->main, "<div class=\"filters\"><span class=\"muted\">"
	    "Kỳ:</span>");
	for (i = 0; i < sizeof spans / sizeof spans[0]; i++) {
		console_period_of(&rp, spans[i].span, p->today);
		kv[1] = rp.key;
		console_filter(&p->main, path, kv, 4, spans[i].label,
		    strcmp(rp.key, cur->key) == 0);
	}
	console_period_step(cur, -1, &rp);
	kv[1] = rp.key;
	snprintf(label, sizeof label, "« %s", rp.label);
	console_filter(&p->main, path, kv, 4, label, 0);
	console_period_step(cur, 1, &rp);
	kv[1] = rp.key;
	snprintf(label, sizeof label, "%s »", rp.label);
	console_filter(&p->main, path, kv, 4, label, 0);
	buf_adds(&p->main, "</div>\n");
}

/* The order of the overview's rows, set by ?sort=. */
static int
console_by_rate(const void *a, const void *b)
{
	const struct report_row	*x = a, *y = b;

	if ((x->rate10 < 0) != (y->rate10 < 0))
		return (x->rate10 < 0 ? 1 : -1);
	if (x->rate10 != y->rate10)
		return (x->rate10 < y->rate10 ? -1 : 1);
	if (x->overdue != y->overdue)
		return (x->overdue > y->overdue ? -1 : 1);
	return (strcmp(x->unit, y->unit));
}

static int
console_by_overdue(const void *a, const void *b)
{
	const struct report_row	*x = a, *y = b;

	if (x->overdue != y->overdue)
		return (x->overdue > y->overdue ? -1 : 1);
	return (console_by_rate(a, b));
}

static int
console_by_due(const void *a, const void *b)
{
	const struct report_row	*x = a, *y = b;

	if (x->due != y->due)
		return (x->due > y->due ? -1 : 1);
	return (strcmp(x->unit, y->unit));
}

static int
console_by_name(const void *a, const void *b)
{
	const struct report_row	*x = a, *y = b;

	return (strcmp(x->name, y->name));
}

/* Appends a sortable column head. */
static void
console_sort_head(struct buf *b, const struct report *r, const char *plan,
    const char *sort, const char *key, const char *label, int numeric)
{
	const char	*kv[] = { "period", r->period.key, "plan", plan,
	    "sort", key };

	buf_adds(b, numeric ? "<th class=\"n\">" : "<th>");
	if (strcmp(sort, key) == 0)
		html_text(b, label);
	else
		console_filter(b, "/console", kv, 6, label, 0);
	buf_adds(b, "</th>");
}

/* Appends one row of the overview. */
static void
console_overview_row(struct buf *b, const struct report_row *row, int rank)
{
	buf_adds(b, row->overdue > 0 ? "<tr class=\"bad\">" : rank > 0 ?
	    "<tr>" : "<tr class=\"total\">");
	buf_adds(b, "<td class=\"n\">");
	if (rank > 0)
		html_int(b, rank);
	buf_adds(b, "</td><td>");
	if (rank > 0) {
		buf_adds(b, "<a href=\"/console/unit/");
		html_text(b, row->unit);
		buf_adds(b, "\">");
		html_text(b, row->name);
		buf_adds(b, "</a>");
	} else
		html_text(b, row->name);
	buf_printf(b, "</td><td class=\"n\">%d</td><td class=\"n\">%d</td>"
	    "<td class=\"n\">%d</td><td class=\"n\">%d</td><td class=\"n\">%d"
	    "</td><td class=\"n hide-narrow\">%d</td><td class=\"n "
	    "hide-narrow\">%d</td><td class=\"n\">", row->due, row->on_time,
	    row->late, row->overdue, row->waived, row->extended,
	    row->not_yet_due);
	html_bar(b, row->rate10, "vi");
	html_rate(b, row->rate10, "vi");
	buf_adds(b, "</td></tr>\n");
}

/* Appends the summary card of the whole. */
static void
console_overview_summary(struct buf *b, const struct report *r)
{
	const struct report_row	*t = &r->total;

	buf_adds(b, "<div class=\"card\"><b>Tỷ lệ đúng hạn chung: ");
	html_bar(b, t->rate10, "vi");
	html_rate(b, t->rate10, "vi");
	buf_printf(b, "</b><br><span class=\"muted\">%d việc đến hạn: %d đúng "
	    "hạn, %d trễ hạn, %d quá hạn chưa xong, %d được miễn, %d chưa "
	    "đến hạn; %d việc được gia hạn (tính theo hạn mới).</span></div>\n",
	    t->due, t->on_time, t->late, t->overdue, t->waived,
	    t->not_yet_due, t->extended);
}

/* The print heading: an administrative document's title block. */
static void
console_print_heading(struct buf *b, const struct report *r, date_t today)
{
	buf_adds(b, "<div class=\"printonly\"><p><b>BÁO CÁO TIẾN ĐỘ THỰC HIỆN "
	    "KẾ HOẠCH</b><br>");
	html_text(b, r->plan_title != NULL ? r->plan_title : r->plan != NULL ?
	    r->plan : "Tất cả kế hoạch");
	buf_adds(b, "<br>Kỳ báo cáo: ");
	html_text(b, r->period.label);
	buf_adds(b, " (");
	html_date(b, r->period.from);
	buf_adds(b, " - ");
	html_date(b, r->period.to);
	buf_adds(b, "). Số liệu tính đến ngày ");
	html_date(b, today);
	buf_adds(b, ".</p></div>\n");
}

void
console_page_overview(struct console_page *p)
{
	struct report_options	 opt;
	struct console_kept	*k;
	struct report		*r;
	const char		*arg = console_arg(p, "period");
	const char		*sort = console_arg(p, "sort"), *plan;
	char			*cause = NULL, title[128];
	size_t			 i;
	int			 (*cmp)(const void *, const void *);

	memset(&opt, 0, sizeof opt);
	if (arg == NULL || report_parse_period(arg, &opt.period) != 0)
		console_period_of(&opt.period, REPORT_QUARTER, p->today);
	opt.plan = plan = console_plan_arg(p);
	opt.today = p->today;
	if (sort == NULL || (strcmp(sort, "unit") != 0 && strcmp(sort,
	    "overdue") != 0 && strcmp(sort, "due") != 0))
		sort = "rate";
	p->nav = "overview";
	p->cacheable = 1;
	snprintf(title, sizeof title, "Tổng quan %s", opt.period.label);
	console_title(p, title);
	k = console_kept_take(p, CONSOLE_KEPT_OVERVIEW);
	if (p->kept == NULL && report_build(p->c->store, p->c->cal, &opt,
	    &k->r, &cause) != 0) {
		console_kept_free(k);
		p->status = 500;
		buf_adds(&p->main, "<p class=\"msg error\">");
		html_text(&p->main, cause);
		buf_adds(&p->main, "</p>\n");
		free(cause);
		return;
	}
	p->kept = k;
	r = &k->r;
	/* From the report's own order, built or brought up to date. */
	report_rank(r);
	cmp = strcmp(sort, "unit") == 0 ? console_by_name : strcmp(sort,
	    "overdue") == 0 ? console_by_overdue : strcmp(sort, "due") == 0 ?
	    console_by_due : console_by_rate;
	if (r->n > 1)
		qsort(r->rows, r->n, sizeof *r->rows, cmp);
	console_print_heading(&p->main, r, p->today);
	buf_adds(&p->main, "<h1>Tiến độ ");
	html_text(&p->main, opt.period.label);
	buf_adds(&p->main, "</h1>\n");
	console_periods_filter(p, "/console", &opt.period, plan);
	console_plans_filter(p, "/console", plan, opt.period.key);
	console_overview_summary(&p->main, r);
	buf_adds(&p->main, "<div class=\"scroll\"><table id=\"overview\">"
	    "<thead><tr><th class=\"n\">#</th>");
	console_sort_head(&p->main, r, plan, sort, "unit", "Đơn vị", 0);
	console_sort_head(&p->main, r, plan, sort, "due", "Đến hạn", 1);
	buf_adds(&p->main, "<th class=\"n\">Đúng hạn</th><th class=\"n\">Trễ "
	    "hạn</th>");
	console_sort_head(&p->main, r, plan, sort, "overdue", "Quá hạn", 1);
	buf_adds(&p->main, "<th class=\"n\">Miễn</th><th class=\"n "
	    "hide-narrow\">Gia hạn</th><th class=\"n hide-narrow\">Chưa đến "
	    "hạn</th>");
	console_sort_head(&p->main, r, plan, sort, "rate", "Tỷ lệ đúng hạn",
	    0);
	buf_adds(&p->main, "</tr></thead>\n<tbody>\n");
	for (i = 0; i < r->n; i++)
		console_overview_row(&p->main, &r->rows[i], (int)i + 1);
	buf_adds(&p->main, "</tbody>\n<tfoot>\n");
	console_overview_row(&p->main, &r->total, 0);
	buf_adds(&p->main, "</tfoot></table></div>\n<p class=\"note\">Tỷ lệ "
	    "đúng hạn = việc hoàn thành đúng hạn / (việc đến hạn - được miễn "
	    "- chưa đến hạn). Việc được gia hạn tính theo hạn mới; việc được "
	    "miễn không tính vào tỷ lệ.</p>\n");
}

/* Keeps a unit. */
static int
console_overdue_unit(const struct store_unit *u, void *arg)
{
	struct overdue_ctx	*ox = arg;
	struct overdue_unit	*ou;

	if ((ox->nunits & (ox->nunits - 1)) == 0)
		ox->units = xreallocarray(ox->units, ox->nunits ?
		    ox->nunits * 2 : 1, sizeof *ox->units);
	ou = &ox->units[ox->nunits++];
	ou->id = u->id;
	ou->code = xstrdup(u->code);
	ou->name = xstrdup(u->name != NULL ? u->name : u->code);
	return (0);
}

/* Orders units by id. */
static int
console_overdue_unit_cmp(const void *a, const void *b)
{
	const struct overdue_unit	*x = a, *y = b;

	return (x->id < y->id ? -1 : x->id > y->id);
}

/* Keeps an active task (they come by id). */
static int
console_overdue_task_add(const struct store_console_task *t, void *arg)
{
	struct overdue_ctx	*ox = arg;
	struct overdue_task	*ot;

	if ((ox->ntasks & (ox->ntasks - 1)) == 0)
		ox->tasks = xreallocarray(ox->tasks, ox->ntasks ?
		    ox->ntasks * 2 : 1, sizeof *ox->tasks);
	ot = &ox->tasks[ox->ntasks++];
	memset(ot, 0, sizeof *ot);
	ot->task_id = t->id;
	ot->plan = xstrdup(t->plan);
	ot->ref = xstrdup(t->ref);
	return (0);
}

/* Collects an overdue occurrence of a known unit (days come later). */
static int
console_overdue_row(const struct store_overdue *o, void *arg)
{
	struct overdue_ctx	*ox = arg;
	struct overdue_unit	 key, *ou;
	struct overdue_occ	*oc;

	key.id = o->unit_id;
	ou = bsearch(&key, ox->units, ox->nunits, sizeof *ox->units,
	    console_overdue_unit_cmp);
	if (ou == NULL)
		return (0);
	if ((ox->nocc & (ox->nocc - 1)) == 0)
		ox->occ = xreallocarray(ox->occ, ox->nocc ? ox->nocc * 2 : 1,
		    sizeof *ox->occ);
	oc = &ox->occ[ox->nocc++];
	oc->task_id = o->task_id;
	oc->unit = ou;
	oc->effective = o->effective;
	oc->days = 0;
	return (0);
}

/* Counts the working days the occurrences from the first are overdue. */
static void
console_overdue_days(struct overdue_ctx *ox, size_t first)
{
	size_t	i;

	for (i = first; i < ox->nocc; i++) {
		ox->occ[i].days = report_workdays(&ox->wd,
		    ox->occ[i].effective, ox->today);
		if (ox->occ[i].days < 1)
			ox->occ[i].days = 1;
	}
}

/* Orders occurrences by task, then most overdue first, then unit. */
static int
console_overdue_occ_cmp(const void *a, const void *b)
{
	const struct overdue_occ	*x = a, *y = b;

	if (x->task_id != y->task_id)
		return (x->task_id < y->task_id ? -1 : 1);
	if (x->effective != y->effective)
		return (x->effective < y->effective ? -1 : 1);
	return (strcmp(x->unit->code, y->unit->code));
}

/* Orders tasks by late units (most first), oldest date, then reference. */
static int
console_overdue_rank_cmp(const void *a, const void *b)
{
	const struct overdue_rank	*x = a, *y = b;
	int				 c;

	if (x->n != y->n)
		return (x->n > y->n ? -1 : 1);
	if (x->oldest != y->oldest)
		return (x->oldest < y->oldest ? -1 : 1);
	if ((c = strcmp(x->task->plan, y->task->plan)) != 0)
		return (c);
	return (strcmp(x->task->ref, y->task->ref));
}

/*
 * Sorts the occurrences by task and ranks the tasks that have some;
 * the ranking is the caller's to free.
 */
static struct overdue_rank *
console_overdue_group(struct overdue_ctx *ox, size_t *nranked)
{
	struct overdue_rank	*rk = NULL;
	size_t			 i, t = 0, n = 0;

	if (ox->nocc > 1)
		qsort(ox->occ, ox->nocc, sizeof *ox->occ,
		    console_overdue_occ_cmp);
	for (i = 0; i < ox->nocc; i++) {
		while (t < ox->ntasks && ox->tasks[t].task_id <
		    ox->occ[i].task_id)
			t++;
		if (t == ox->ntasks)
			break;
		if (ox->tasks[t].task_id != ox->occ[i].task_id)
			continue;
		if (n == 0 || rk[n - 1].task != &ox->tasks[t]) {
			if ((n & (n - 1)) == 0)
				rk = xreallocarray(rk, n ? n * 2 : 1,
				    sizeof *rk);
			rk[n].task = &ox->tasks[t];
			rk[n].first = i;
			rk[n].n = 0;
			rk[n].oldest = ox->occ[i].effective;
			n++;
		}
		rk[n - 1].n++;
	}
	if (n > 1)
		qsort(rk, n, sizeof *rk, console_overdue_rank_cmp);
	*nranked = n;
	return (rk);
}

/* Reads a task's title and lead unit once; 0, or -1 and *cause. */
static int
console_overdue_name(struct console_page *p, struct overdue_task *t,
    char **cause)
{
	char	*support;

	if (t->named)
		return (0);
	if (store_console_task_title(p->c->store, t->task_id, &t->title,
	    cause) != 0)
		return (-1);
	if (assignees_names(p->c->store, t->task_id, &t->lead, &support,
	    cause) != 0) {
		free(t->title);
		t->title = NULL;
		return (-1);
	}
	free(support);
	t->named = 1;
	return (0);
}

/* Appends one task of the overdue page. */
static void
console_overdue_task(struct console_page *p, const struct overdue_ctx *ox,
    const struct overdue_rank *rk)
{
	const struct overdue_occ	*oc;
	struct overdue_task		*t = rk->task;
	char				*cause = NULL;
	size_t				 i;

	if (console_overdue_name(p, t, &cause) != 0) {
		console_read_failed(p, cause);
		return;
	}
	buf_printf(&p->main, "<tr><td><a href=\"/console/task/%lld\">",
	    (long long)t->task_id);
	html_text(&p->main, t->plan);
	buf_adds(&p->main, " ");
	html_text(&p->main, t->ref);
	buf_adds(&p->main, "</a><br>");
	html_text(&p->main, t->title != NULL ? t->title : "");
	buf_adds(&p->main, "</td><td class=\"hide-narrow\">");
	html_text(&p->main, t->lead);
	buf_printf(&p->main, "</td><td class=\"n\">%zu</td><td>", rk->n);
	for (i = 0; i < rk->n && i < OVERDUE_UNITS_SHOWN; i++) {
		oc = &ox->occ[rk->first + i];
		if (i > 0)
			buf_adds(&p->main, ", ");
		html_text(&p->main, oc->unit->name);
		buf_printf(&p->main, " (%d)", oc->days);
	}
	if (rk->n > OVERDUE_UNITS_SHOWN)
		buf_printf(&p->main, " <a href=\"/console/task/%lld\">và %zu "
		    "đơn vị khác</a>", (long long)t->task_id,
		    rk->n - OVERDUE_UNITS_SHOWN);
	buf_adds(&p->main, "</td></tr>\n");
}

/* Frees what the overdue page collected. */
static void
console_overdue_free(struct overdue_ctx *ox)
{
	size_t	i;

	for (i = 0; i < ox->nunits; i++) {
		free(ox->units[i].code);
		free(ox->units[i].name);
	}
	for (i = 0; i < ox->ntasks; i++) {
		free(ox->tasks[i].plan);
		free(ox->tasks[i].ref);
		free(ox->tasks[i].title);
		free(ox->tasks[i].lead);
	}
	free(ox->units);
	free(ox->occ);
	free(ox->tasks);
	report_workdays_clear(&ox->wd);
	memset(ox, 0, sizeof *ox);
}

/* Appends the links to the pages of the overdue list. */
static void
console_overdue_pages(struct console_page *p, const char *plan, size_t pages,
    size_t page)
{
	const char	*kv[] = { "plan", plan, "page", NULL };
	char		 num[32], label[32];
	size_t		 i;

	if (pages < 2)
		return;
	buf_adds(&p->main, "<div class=\"filters\"><span class=\"muted\">"
	    "Trang:</span>");
	for (i = 1; i <= pages; i++) {
		snprintf(num, sizeof num, "%zu", i);
		snprintf(label, sizeof label, "%zu", i);
		kv[3] = i > 1 ? num : NULL;
		console_filter(&p->main, "/console/overdue", kv, 4, label,
		    i == page);
	}
	buf_adds(&p->main, "</div>\n");
}

/*
 * Reads the overdue occurrences (plan id 0: every plan) with their units
 * and tasks; 0, or -1 and *cause.
 */
static int
console_overdue_read(struct console_page *p, const char *plan,
    struct overdue_ctx *ox, char **cause)
{
	date_t	lo = ox->today;
	size_t	i;

	if (plan != NULL && (ox->plan_id = store_plan_id(p->c->store, plan,
	    cause)) < 0)
		return (-1);
	/* An unknown plan has nothing overdue. */
	if (plan != NULL && ox->plan_id == 0) {
		ox->none = 1;
		return (0);
	}
	if (store_units(p->c->store, 1, console_overdue_unit, ox, cause) != 0)
		return (-1);
	if (ox->nunits > 1)
		qsort(ox->units, ox->nunits, sizeof *ox->units,
		    console_overdue_unit_cmp);
	if (store_console_tasks(p->c->store, ox->plan_id,
	    console_overdue_task_add, ox, cause) != 0 ||
	    store_console_overdue(p->c->store, ox->today - 1, ox->plan_id,
	    console_overdue_row, ox, cause) != 0)
		return (-1);
	for (i = 0; i < ox->nocc; i++)
		if (ox->occ[i].effective < lo)
			lo = ox->occ[i].effective;
	report_workdays_init(&ox->wd, p->c->cal, lo, ox->today);
	console_overdue_days(ox, 0);
	return (0);
}

/*
 * The overdue occurrences of the (unit, task) pairs changed are read
 * again: the old ones out, the ones overdue now in.
 */
static int
console_overdue_patch(struct console *c, struct overdue_ctx *ox,
    const struct console_changes *ch, char **cause)
{
	struct console_change	key;
	size_t			i, kept = 0, first;

	if (ox->none)
		return (0);
	for (i = 0; i < ox->nocc; i++) {
		key.unit = ox->occ[i].unit->id;
		key.task = ox->occ[i].task_id;
		if (bsearch(&key, ch->v, ch->n, sizeof *ch->v,
		    console_change_cmp) == NULL)
			ox->occ[kept++] = ox->occ[i];
	}
	ox->nocc = kept;
	first = ox->nocc;
	for (i = 0; i < ch->n; i++)
		if (store_console_overdue_of(c->store, ox->today - 1,
		    ox->plan_id, ch->v[i].unit, ch->v[i].task,
		    console_overdue_row, ox, cause) != 0)
			return (-1);
	console_overdue_days(ox, first);
	return (0);
}

void
console_kept_free(struct console_kept *k)
{
	if (k == NULL)
		return;
	report_clear(&k->r);
	console_overdue_free(&k->ox);
	free(k);
}

int
console_kept_patch(struct console *c, struct console_kept *k,
    const struct console_changes *ch, char **cause)
{
	if (k->kind == CONSOLE_KEPT_OVERVIEW)
		return (report_update(c->store, c->cal, &k->r, ch->units,
		    ch->nunits, cause));
	return (console_overdue_patch(c, &k->ox, ch, cause));
}

/* What the page is made from: the kept one of its kind, or a new one. */
static struct console_kept *
console_kept_take(struct console_page *p, enum console_kept_kind kind)
{
	struct console_kept	*k = p->kept;

	if (k != NULL && k->kind == kind)
		return (k);
	console_kept_free(k);
	p->kept = NULL;
	k = xcalloc(1, sizeof *k);
	k->kind = kind;
	return (k);
}

void
console_page_overdue(struct console_page *p)
{
	struct overdue_ctx		*ox;
	struct overdue_rank		*rk;
	struct console_kept		*k;
	const char			*plan = console_plan_arg(p), *arg;
	char				*cause = NULL;
	size_t				 i, page = 1, pages, nrk = 0;

	p->nav = "overdue";
	p->cacheable = 1;
	console_title(p, "Việc quá hạn");
	if ((arg = console_arg(p, "page")) != NULL)
		page = (size_t)strtoul(arg, NULL, 10);
	k = console_kept_take(p, CONSOLE_KEPT_OVERDUE);
	ox = &k->ox;
	if (p->kept == NULL) {
		ox->today = p->today;
		if (console_overdue_read(p, plan, ox, &cause) != 0) {
			console_read_failed(p, cause);
			console_overdue_free(ox);
			ox->today = p->today;
		}
	}
	p->kept = k;
	rk = console_overdue_group(ox, &nrk);
	pages = (nrk + OVERDUE_TASKS_PAGE - 1) / OVERDUE_TASKS_PAGE;
	if (page < 1 || page > pages)
		page = 1;
	buf_adds(&p->main, "<h1>Việc quá hạn</h1>\n");
	console_plans_filter(p, "/console/overdue", plan, NULL);
	buf_printf(&p->main, "<p>%zu việc quá hạn chưa hoàn thành, thuộc %zu "
	    "nhiệm vụ, tính đến ngày ", ox->nocc, nrk);
	html_date(&p->main, p->today);
	buf_adds(&p->main, ". Số trong ngoặc: số ngày làm việc đã quá hạn.</p>"
	    "\n");
	if (nrk > 0) {
		buf_adds(&p->main, "<div class=\"scroll\"><table id=\"overdue\">"
		    "<thead><tr><th>Nhiệm vụ</th><th class=\"hide-narrow\">Đơn "
		    "vị chủ trì</th><th class=\"n\">Đơn vị trễ</th><th>Các đơn "
		    "vị trễ hạn</th></tr></thead>\n<tbody>\n");
		for (i = (page - 1) * OVERDUE_TASKS_PAGE; i < nrk &&
		    i < page * OVERDUE_TASKS_PAGE; i++)
			console_overdue_task(p, ox, &rk[i]);
		buf_adds(&p->main, "</tbody></table></div>\n");
	}
	console_overdue_pages(p, plan, pages, page);
	free(rk);
}

/* One task on one day of the month view. */
struct month_task {
	date_t	 day;
	int64_t	 task_id;
	char	*label;		/* "PLAN REF" */
	int	 n, open, overdue;
};

struct month_ctx {
	date_t			 today;
	struct month_task	*t;
	size_t			 n;
};

/* Counts an occurrence on its day under its task. */
static int
console_month_row(const struct store_occurrence *o, void *arg)
{
	struct month_ctx	*mx = arg;
	struct month_task	*t = NULL;
	size_t			 i;
	int			 open = strcmp(o->status, "open") == 0;

	for (i = mx->n; i > 0; i--) {
		if (mx->t[i - 1].day != o->effective)
			break;
		if (mx->t[i - 1].task_id == o->task_id) {
			t = &mx->t[i - 1];
			break;
		}
	}
	if (t == NULL) {
		mx->t = xreallocarray(mx->t, mx->n + 1, sizeof *mx->t);
		t = &mx->t[mx->n++];
		memset(t, 0, sizeof *t);
		t->day = o->effective;
		t->task_id = o->task_id;
		xasprintf(&t->label, "%s %s", o->plan_code, o->ref);
	}
	t->n++;
	t->open += open;
	t->overdue += open && o->effective < mx->today;
	return (0);
}

/* Appends the tasks of one day. */
static void
console_month_day(struct buf *b, const struct month_ctx *mx, size_t *k,
    date_t day, int one_unit)
{
	size_t	shown = 0, more = 0;

	buf_adds(b, "<ul>");
	for (; *k < mx->n && mx->t[*k].day == day; (*k)++) {
		if (shown == MONTH_TASKS_SHOWN) {
			more++;
			continue;
		}
		shown++;
		buf_printf(b, "<li><a href=\"/console/task/%lld\">",
		    (long long)mx->t[*k].task_id);
		html_text(b, mx->t[*k].label);
		buf_adds(b, "</a>");
		if (!one_unit)
			buf_printf(b, " (%d)", mx->t[*k].n);
		if (mx->t[*k].overdue > 0)
			buf_adds(b, " <span class=\"tag overdue\">quá hạn</span>");
		else if (mx->t[*k].open == 0)
			buf_adds(b, " <span class=\"tag done\">xong</span>");
		buf_adds(b, "</li>");
	}
	if (more > 0)
		buf_printf(b, "<li class=\"muted\">+%zu nhiệm vụ</li>", more);
	buf_adds(b, "</ul>");
}

/* Appends the grid of a month, weeks from Monday. */
static void
console_month_grid(struct console_page *p, const struct month_ctx *mx,
    int y, int m, int one_unit)
{
	static const char *const heads[] = { "Thứ Hai", "Thứ Ba", "Thứ Tư",
	    "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật" };
	date_t	first = date_from_ymd(y, m, 1), last = date_last_of_month(y, m);
	date_t	d = first - (date_weekday(first) + 6) % 7;
	size_t	i, k = 0;
	int	dy, dm, dd;

	buf_adds(&p->main, "<div class=\"scroll\"><table class=\"month\">"
	    "<thead><tr>");
	for (i = 0; i < 7; i++) {
		buf_adds(&p->main, "<th>");
		html_text(&p->main, heads[i]);
		buf_adds(&p->main, "</th>");
	}
	buf_adds(&p->main, "</tr></thead>\n<tbody>\n");
	for (; d <= last; d += 7) {
		buf_adds(&p->main, "<tr>");
		for (i = 0; i < 7; i++) {
			if (d + (date_t)i < first || d + (date_t)i > last) {
				buf_adds(&p->main, "<td class=\"off\"></td>");
				continue;
			}
			date_to_ymd(d + (date_t)i, &dy, &dm, &dd);
			buf_printf(&p->main, "<td%s><span class=\"d\">%d</span>",
			    calendar_is_working_day(p->c->cal, d + (date_t)i) ?
			    "" : " class=\"off\"", dd);
			console_month_day(&p->main, mx, &k, d + (date_t)i,
			    one_unit);
			buf_adds(&p->main, "</td>");
		}
		buf_adds(&p->main, "</tr>\n");
	}
	buf_adds(&p->main, "</tbody></table></div>\n");
}

/* Reads ?month=YYYY-MM, else today's month. */
static void
console_month_arg(struct console_page *p, int *y, int *m)
{
	const char	*arg = console_arg(p, "month");
	int		 d, n = 0;

	date_to_ymd(p->today, y, m, &d);
	if (arg != NULL && sscanf(arg, "%4d-%2d%n", y, m, &n) == 2 &&
	    arg[n] == '\0' && *y >= 1900 && *y <= 2100 && *m >= 1 && *m <= 12)
		return;
	date_to_ymd(p->today, y, m, &d);
}

void
console_page_month(struct console_page *p)
{
	struct store_agenda_filter	 f;
	struct month_ctx		 mx;
	const char			*unit = console_arg(p, "unit");
	const char			*plan = console_plan_arg(p);
	const char			*kv[] = { "month", NULL, "unit", NULL,
	    "plan", plan };
	char				 key[2][24], title[96], *cause = NULL;
	size_t				 i;
	int				 y, m, py, pm, ny, nm;

	if (unit != NULL && store_unit_id(p->c->store, unit, NULL) <= 0)
		unit = NULL;
	kv[3] = unit;
	console_month_arg(p, &y, &m);
	p->nav = "month";
	p->cacheable = 1;
	snprintf(title, sizeof title, "Lịch tháng %02d/%04d", m, y);
	console_title(p, title);
	memset(&f, 0, sizeof f);
	f.unit = unit;
	f.plan = plan;
	f.from = date_from_ymd(y, m, 1);
	f.to = date_last_of_month(y, m);
	memset(&mx, 0, sizeof mx);
	mx.today = p->today;
	if (store_agenda(p->c->store, &f, console_month_row, &mx, &cause) < 0)
		console_read_failed(p, cause);
	buf_adds(&p->main, "<h1>");
	html_text(&p->main, title);
	if (unit != NULL) {
		buf_adds(&p->main, " – ");
		html_text(&p->main, unit);
	}
	buf_adds(&p->main, "</h1>\n<div class=\"filters\">");
	py = m == 1 ? y - 1 : y;
	pm = m == 1 ? 12 : m - 1;
	ny = m == 12 ? y + 1 : y;
	nm = m == 12 ? 1 : m + 1;
	snprintf(key[0], sizeof key[0], "%04d-%02d", py, pm);
	snprintf(key[1], sizeof key[1], "%04d-%02d", ny, nm);
	kv[1] = key[0];
	console_filter(&p->main, "/console/month", kv, 6, "« Tháng trước", 0);
	kv[1] = NULL;
	console_filter(&p->main, "/console/month", kv, 6, "Tháng này", 0);
	kv[1] = key[1];
	console_filter(&p->main, "/console/month", kv, 6, "Tháng sau »", 0);
	buf_adds(&p->main, "</div>\n");
	console_month_grid(p, &mx, y, m, unit != NULL);
	buf_adds(&p->main, "<p class=\"note\">Hạn theo ngày hiệu lực (sau khi "
	    "dời ngày nghỉ, và theo hạn mới với việc được gia hạn). Số trong "
	    "ngoặc: số đơn vị. Ô màu xám: ngày nghỉ.</p>\n");
	for (i = 0; i < mx.n; i++)
		free(mx.t[i].label);
	free(mx.t);
}
