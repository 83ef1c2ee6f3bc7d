/*
 * The working-day calendar.  Each year's days off are computed once, on first
 * use, into a table of one entry per day of the year, so that asking whether a
 * day is a working day is a lookup.  Years outside 1900-2100 have weekends
 * only.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>

#include <ini.h>

#include "calendar.h"
#include "lunar.h"
#include "utf8.h"
#include "xmalloc.h"

#define CALENDAR_FIRST_YEAR	1900
#define CALENDAR_LAST_YEAR	2100
#define CALENDAR_YEARS		(CALENDAR_LAST_YEAR - CALENDAR_FIRST_YEAR + 1)
#define CALENDAR_NAME_MAX	(sizeof ((struct calendar_day *)0)->name)

enum calendar_key {
	CALENDAR_KEY_TET,
	CALENDAR_KEY_OFF,
	CALENDAR_KEY_WORK
};

/* One line of the overrides file. */
struct calendar_override {
	int			year;
	enum calendar_key	key;
	date_t			from;
	date_t			to;
	char			name[CALENDAR_NAME_MAX];
};

/* The cached days of one year: idx[doy] is -1 or an index into days. */
struct calendar_year {
	date_t			 jan1;
	int			 length;
	short			 idx[366];
	struct calendar_day	*days;
	size_t			 ndays;
};

struct calendar {
	struct calendar_options		 opts;
	struct calendar_override	*overrides;
	size_t				 noverrides;
	int				 loaded;	/* a file was read */
	unsigned char			 decided[CALENDAR_YEARS];
	struct calendar_year		*years[CALENDAR_YEARS];
};

/* A holiday as the law defines it, before compensatory days. */
struct calendar_holiday {
	date_t		 date;
	const char	*name;		/* base name, for "Nghỉ bù ..." */
	char		 label[CALENDAR_NAME_MAX];
};

/* The state of one overrides file being read. */
struct calendar_reader {
	FILE				*f;
	const char			*path;
	int				 line;
	int				 year;	/* 0: no valid section */
	char				*text;
	size_t				 size;
	struct buf			 errors;
	int				 nerrors;
	struct calendar_override	*list;
	size_t				 nlist;
	unsigned char			 sections[CALENDAR_YEARS];
};

static const char *calendar_keys[] = { "tet", "off", "work" };
static const char *calendar_default_names[] = {
	"Tết Nguyên đán", "Ngày nghỉ theo quyết định của Chính phủ",
	"Ngày làm bù"
};
static const char *calendar_tet_days[] = {
	"mùng 1 Tết", "mùng 2 Tết", "mùng 3 Tết", "mùng 4 Tết"
};

/* Fills o with the defaults: Saturday and Sunday off, 1/9, UTC+7. */
void
calendar_default_options(struct calendar_options *o)
{
	o->weekend = (1U << 0) | (1U << 6);
	o->national_day_extra = -1;
	o->tz_hours = 7.0;
}

/* Makes a calendar; NULL if the options are invalid.  Caller frees. */
struct calendar *
calendar_new(const struct calendar_options *o)
{
	struct calendar	*cal;

	if ((o->weekend & 0x7f) == 0x7f ||
	    (o->national_day_extra != -1 && o->national_day_extra != 1) ||
	    o->tz_hours < -12 || o->tz_hours > 14)
		return (NULL);
	cal = xcalloc(1, sizeof *cal);
	cal->opts = *o;
	cal->opts.weekend &= 0x7f;
	return (cal);
}

/* Drops every cached year (after the overrides changed). */
static void
calendar_flush(struct calendar *cal)
{
	int	i;

	for (i = 0; i < CALENDAR_YEARS; i++) {
		if (cal->years[i] == NULL)
			continue;
		free(cal->years[i]->days);
		free(cal->years[i]);
		cal->years[i] = NULL;
	}
}

/* Frees a calendar and its cached years; NULL is fine. */
void
calendar_free(struct calendar *cal)
{
	if (cal == NULL)
		return;
	calendar_flush(cal);
	free(cal->overrides);
	free(cal);
}

/* Whether d is a weekly rest day. */
static int
calendar_is_weekend(const struct calendar *cal, date_t d)
{
	return ((cal->opts.weekend >> date_weekday(d)) & 1);
}

/* Adds a holiday to the list, keeping it sorted by date. */
static void
calendar_add_holiday(struct calendar_holiday *h, int *n, date_t d,
    const char *name, const char *label)
{
	int	i = *n;

	while (i > 0 && h[i - 1].date > d) {
		h[i] = h[i - 1];
		i--;
	}
	h[i].date = d;
	h[i].name = name;
	snprintf(h[i].label, sizeof h[i].label, "%s", label);
	(*n)++;
}

/* Whether the overrides replace the computed Tết block of year. */
static int
calendar_tet_overridden(const struct calendar *cal, int year)
{
	size_t	i;

	for (i = 0; i < cal->noverrides; i++) {
		if (cal->overrides[i].year == year &&
		    cal->overrides[i].key == CALENDAR_KEY_TET)
			return (1);
	}
	return (0);
}

/* Adds the computed Tết block: the last day of the year and four more. */
static void
calendar_add_tet(struct calendar *cal, int year, struct calendar_holiday *h,
    int *n)
{
	static const char	*tet = "Tết Nguyên đán";
	struct lunar_date	 ld;
	date_t			 t;
	char			 label[CALENDAR_NAME_MAX];
	int			 i;

	if (calendar_tet_overridden(cal, year))
		return;
	t = lunar_new_year(year, cal->opts.tz_hours);
	if (t == DATE_NONE ||
	    lunar_from_solar(t - 1, cal->opts.tz_hours, &ld) != 0)
		return;
	snprintf(label, sizeof label, "%s (%d tháng Chạp)", tet, ld.day);
	calendar_add_holiday(h, n, t - 1, tet, label);
	for (i = 0; i < 4; i++) {
		snprintf(label, sizeof label, "%s (%s)", tet,
		    calendar_tet_days[i]);
		calendar_add_holiday(h, n, t + i, tet, label);
	}
}

/* Fills h with the holidays of the Labour Code for year; returns count. */
static int
calendar_holidays(struct calendar *cal, int year, struct calendar_holiday *h)
{
	struct lunar_date	 gio_to = { year, 3, 10, 0 };
	date_t			 d;
	int			 n = 0;

	calendar_add_holiday(h, &n, date_from_ymd(year, 1, 1),
	    "Tết Dương lịch", "Tết Dương lịch");
	calendar_add_tet(cal, year, h, &n);
	d = lunar_to_solar(&gio_to, cal->opts.tz_hours);
	if (d != DATE_NONE)
		calendar_add_holiday(h, &n, d, "Giỗ Tổ Hùng Vương",
		    "Giỗ Tổ Hùng Vương (10/3 âm lịch)");
	calendar_add_holiday(h, &n, date_from_ymd(year, 4, 30),
	    "Ngày Chiến thắng", "Ngày Chiến thắng");
	calendar_add_holiday(h, &n, date_from_ymd(year, 5, 1),
	    "Ngày Quốc tế Lao động", "Ngày Quốc tế Lao động");
	calendar_add_holiday(h, &n, date_from_ymd(year, 9, 2),
	    "Quốc khánh", "Quốc khánh");
	calendar_add_holiday(h, &n,
	    date_from_ymd(year, 9, 2 + cal->opts.national_day_extra),
	    "Quốc khánh", "Quốc khánh");
	return (n);
}

/* Marks day d of a year being built as a day off (or make-up day). */
static void
calendar_mark(struct calendar_day *tmp, date_t jan1, date_t d,
    enum calendar_kind kind, enum calendar_origin origin, const char *name)
{
	struct calendar_day	*cd = &tmp[d - jan1];

	cd->date = d;
	cd->kind = kind;
	cd->origin = origin;
	snprintf(cd->name, sizeof cd->name, "%s", name);
}

/*
 * Marks the holidays and their compensatory days (Labour Code art. 111): a
 * holiday on a weekly rest day, or on another holiday, gives the next day
 * that is neither a rest day nor a holiday nor already given.
 */
static void
calendar_mark_computed(struct calendar *cal, int year, date_t jan1, int length,
    struct calendar_day *tmp)
{
	struct calendar_holiday	 h[16];
	char			 name[CALENDAR_NAME_MAX];
	date_t			 c;
	int			 n, i;

	n = calendar_holidays(cal, year, h);
	for (i = 0; i < n; i++)
		calendar_mark(tmp, jan1, h[i].date, CALENDAR_DAY_OFF,
		    CALENDAR_COMPUTED, h[i].label);
	for (i = 0; i < n; i++) {
		if (!calendar_is_weekend(cal, h[i].date) &&
		    (i == 0 || h[i - 1].date != h[i].date))
			continue;
		c = h[i].date + 1;
		while (c - jan1 < length && (calendar_is_weekend(cal, c) ||
		    tmp[c - jan1].date != DATE_NONE))
			c++;
		if (c - jan1 >= length)
			continue;
		snprintf(name, sizeof name, "Nghỉ bù %s", h[i].name);
		calendar_mark(tmp, jan1, c, CALENDAR_DAY_OFF,
		    CALENDAR_COMPUTED, name);
	}
}

/* Marks the overrides of year: days off first, then make-up days. */
static void
calendar_mark_overrides(struct calendar *cal, int year, date_t jan1,
    struct calendar_day *tmp)
{
	struct calendar_override	*o;
	enum calendar_kind		 kind;
	size_t				 i;
	date_t				 d;
	int				 pass;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < cal->noverrides; i++) {
			o = &cal->overrides[i];
			if (o->year != year ||
			    (o->key == CALENDAR_KEY_WORK) != (pass == 1))
				continue;
			kind = pass == 1 ? CALENDAR_WORKING_DAY :
			    CALENDAR_DAY_OFF;
			for (d = o->from; d <= o->to; d++)
				calendar_mark(tmp, jan1, d, kind,
				    CALENDAR_OVERRIDE, o->name);
		}
	}
}

/* Computes the table of a year (1900-2100); caller frees. */
static struct calendar_year *
calendar_build(struct calendar *cal, int year)
{
	struct calendar_year	*cy;
	struct calendar_day	 tmp[366];
	int			 i;

	cy = xcalloc(1, sizeof *cy);
	cy->jan1 = date_from_ymd(year, 1, 1);
	cy->length = date_is_leap(year) ? 366 : 365;
	for (i = 0; i < 366; i++)
		tmp[i].date = DATE_NONE;
	calendar_mark_computed(cal, year, cy->jan1, cy->length, tmp);
	calendar_mark_overrides(cal, year, cy->jan1, tmp);
	cy->days = xreallocarray(NULL, 366, sizeof *cy->days);
	for (i = 0; i < 366; i++) {
		cy->idx[i] = -1;
		if (tmp[i].date == DATE_NONE)
			continue;
		cy->idx[i] = (short)cy->ndays;
		cy->days[cy->ndays++] = tmp[i];
	}
	return (cy);
}

/* The cached table of year, built on first use; NULL outside 1900-2100. */
static struct calendar_year *
calendar_get_year(struct calendar *cal, int year)
{
	struct calendar_year	**slot;

	if (year < CALENDAR_FIRST_YEAR || year > CALENDAR_LAST_YEAR)
		return (NULL);
	slot = &cal->years[year - CALENDAR_FIRST_YEAR];
	if (*slot == NULL)
		*slot = calendar_build(cal, year);
	return (*slot);
}

/* The entry of day d if it is not an ordinary day, or NULL. */
static const struct calendar_day *
calendar_lookup(struct calendar *cal, date_t d)
{
	struct calendar_year	*cy;
	int			 i;

	if ((cy = calendar_get_year(cal, date_year(d))) == NULL)
		return (NULL);
	i = cy->idx[d - cy->jan1];
	return (i < 0 ? NULL : &cy->days[i]);
}

/* Whether d is a working day (O(1) once its year is cached). */
int
calendar_is_working_day(struct calendar *cal, date_t d)
{
	const struct calendar_day	*cd;

	if ((cd = calendar_lookup(cal, d)) != NULL)
		return (cd->kind == CALENDAR_WORKING_DAY);
	return (!calendar_is_weekend(cal, d));
}

/* Whether d is a day off other than a plain weekend; its name. */
int
calendar_holiday(struct calendar *cal, date_t d, const char **name)
{
	const struct calendar_day	*cd;

	cd = calendar_lookup(cal, d);
	if (cd == NULL || cd->kind != CALENDAR_DAY_OFF)
		return (0);
	if (name != NULL)
		*name = cd->name;
	return (1);
}

/* The first working day on or after d. */
date_t
calendar_next_working_day(struct calendar *cal, date_t d)
{
	while (!calendar_is_working_day(cal, d))
		d++;
	return (d);
}

/* The last working day on or before d. */
date_t
calendar_previous_working_day(struct calendar *cal, date_t d)
{
	while (!calendar_is_working_day(cal, d))
		d--;
	return (d);
}

/* Moves n working days from d, back when n < 0. */
date_t
calendar_add_working_days(struct calendar *cal, date_t d, int n)
{
	int	step = n < 0 ? -1 : 1;

	while (n != 0) {
		d += step;
		if (calendar_is_working_day(cal, d))
			n -= step;
	}
	return (d);
}

/* Working days in (from, to]; negative when to < from. */
int
calendar_working_days_between(struct calendar *cal, date_t from, date_t to)
{
	date_t	d;
	int	n = 0;

	if (to < from)
		return (-calendar_working_days_between(cal, to, from));
	for (d = from + 1; d <= to; d++)
		n += calendar_is_working_day(cal, d);
	return (n);
}

/* The date a deadline on d moves to under the day-off rule. */
date_t
calendar_effective(struct calendar *cal, date_t d, enum calendar_rule rule)
{
	switch (rule) {
	case CALENDAR_NEXT:
		return (calendar_next_working_day(cal, d));
	case CALENDAR_PREVIOUS:
		return (calendar_previous_working_day(cal, d));
	case CALENDAR_NONE:
		break;
	}
	return (d);
}

int
calendar_weekend_mask(const char *s)
{
	static const char *days[] = { "sun", "mon", "tue", "wed", "thu", "fri",
	    "sat" };
	char	*copy, *word, *save = NULL;
	int	 mask = 0, i;

	copy = xstrdup(s);
	for (word = strtok_r(copy, " ,", &save); word != NULL;
	    word = strtok_r(NULL, " ,", &save)) {
		for (i = 0; i < 7; i++)
			if (strcasecmp(word, days[i]) == 0)
				break;
		if (i == 7) {
			mask = -1;
			break;
		}
		mask |= 1 << i;
	}
	free(copy);
	return (mask);
}

/* Copies the listed days of year into *out (caller frees); count. */
size_t
calendar_year(struct calendar *cal, int year, struct calendar_day **out)
{
	struct calendar_year	*cy;

	*out = NULL;
	if ((cy = calendar_get_year(cal, year)) == NULL || cy->ndays == 0)
		return (0);
	*out = xreallocarray(NULL, cy->ndays, sizeof **out);
	memcpy(*out, cy->days, cy->ndays * sizeof **out);
	return (cy->ndays);
}

/* Adds "PATH:LINE: message" to the reader's errors. */
static void __attribute__((format(printf, 2, 3)))
calendar_error(struct calendar_reader *r, const char *fmt, ...)
{
	va_list	ap;
	char	msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (r->nerrors++ > 0)
		buf_addc(&r->errors, '\n');
	buf_printf(&r->errors, "%s:%d: %s", r->path, r->line, msg);
}

/* Checks a "[YEAR]" line and makes it the current section. */
static void
calendar_section(struct calendar_reader *r, const char *s, size_t n)
{
	int	year = 0;
	size_t	i;

	r->year = 0;
	if (n < 2 || s[n - 1] != ']') {
		calendar_error(r, "section header without closing ']'");
		return;
	}
	for (i = 1; i < n - 1 && i < 6 && isdigit((unsigned char)s[i]); i++)
		year = year * 10 + (s[i] - '0');
	if (i != n - 1 || n != 6 || year < CALENDAR_FIRST_YEAR ||
	    year > CALENDAR_LAST_YEAR) {
		calendar_error(r, "section must be a year from %d to %d: "
		    "%.*s", CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR, (int)n, s);
		return;
	}
	r->year = year;
	r->sections[year - CALENDAR_FIRST_YEAR] = 1;
}

/*
 * Checks one line and returns what inih should see: the line, or an empty
 * line when it is refused.  Leading blanks are dropped so that inih never
 * treats a line as the continuation of the previous value.
 */
static const char *
calendar_check_line(struct calendar_reader *r, ssize_t len, int max)
{
	char	*s = r->text;
	size_t	 n = (size_t)len;

	if (n > 0 && s[n - 1] == '\n')
		n--;
	if (n > 0 && s[n - 1] == '\r')
		n--;
	if (r->line == 1 && n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
		s += 3;
		n -= 3;
	}
	if (n > (size_t)max) {
		calendar_error(r, "line too long (%zu bytes, at most %d)", n,
		    max);
		return ("");
	}
	if (memchr(s, '\0', n) != NULL || !utf8_text_valid(s, n)) {
		calendar_error(r, "not valid UTF-8 text (or contains NUL or "
		    "control characters)");
		return ("");
	}
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	s[n] = '\0';
	if (n == 0 || *s == ';' || *s == '#')
		return (s);
	if (*s == '[')
		calendar_section(r, s, n);
	else if (strchr(s, '=') == NULL) {
		calendar_error(r, "expected KEY = VALUE or [YEAR]");
		return ("");
	}
	return (s);
}

/* inih's reader: reads and checks one whole line, counting lines. */
static char *
calendar_read_line(char *str, int num, void *stream)
{
	struct calendar_reader	*r = stream;
	ssize_t			 len;
	const char		*line;

	if ((len = getline(&r->text, &r->size, r->f)) == -1)
		return (NULL);
	r->line++;
	line = calendar_check_line(r, len, num - 2);
	snprintf(str, (size_t)num, "%s\n", line);
	return (str);
}

/* Parses "DATE[..DATE]" at the start of s into the override. */
static int
calendar_parse_range(struct calendar_reader *r, char *s,
    struct calendar_override *o)
{
	char	*dots;

	if ((dots = strstr(s, "..")) != NULL)
		*dots = '\0';
	if (date_parse_user(s, &o->from) != 0) {
		calendar_error(r, "bad date: %s (expected YYYY-MM-DD or "
		    "DD/MM/YYYY)", s);
		return (-1);
	}
	o->to = o->from;
	if (dots != NULL && date_parse_user(dots + 2, &o->to) != 0) {
		calendar_error(r, "bad date: %s (expected YYYY-MM-DD or "
		    "DD/MM/YYYY)", dots + 2);
		return (-1);
	}
	if (o->to < o->from) {
		calendar_error(r, "bad range: %s..%s ends before it starts", s,
		    dots + 2);
		return (-1);
	}
	if (date_year(o->from) != r->year || date_year(o->to) != r->year) {
		calendar_error(r, "date outside the section's year %d",
		    r->year);
		return (-1);
	}
	return (0);
}

/* Parses "DATE[..DATE] [NAME]" into the override. */
static int
calendar_parse_value(struct calendar_reader *r, const char *value,
    struct calendar_override *o)
{
	char	*copy, *name;
	int	 rc;

	copy = xstrdup(value);
	name = copy + strcspn(copy, " \t");
	if (*name != '\0')
		*name++ = '\0';
	name += strspn(name, " \t");
	rc = calendar_parse_range(r, copy, o);
	if (rc == 0 && strlen(name) >= sizeof o->name) {
		calendar_error(r, "name too long");
		rc = -1;
	}
	if (rc == 0)
		snprintf(o->name, sizeof o->name, "%s", *name != '\0' ? name :
		    calendar_default_names[o->key]);
	free(copy);
	return (rc);
}

/* inih's handler: one "tet", "off" or "work" line of a [YEAR] section. */
static int
calendar_handler(void *arg, const char *section, const char *key,
    const char *value)
{
	struct calendar_reader		*r = arg;
	struct calendar_override	 o;
	size_t				 i;

	if (*section == '\0') {
		calendar_error(r, "%s outside a [YEAR] section", key);
		return (1);
	}
	if (r->year == 0)
		return (1);	/* the section line was reported */
	for (i = 0; i < sizeof calendar_keys / sizeof calendar_keys[0]; i++) {
		if (strcmp(key, calendar_keys[i]) == 0)
			break;
	}
	if (i == sizeof calendar_keys / sizeof calendar_keys[0]) {
		calendar_error(r, "unknown key: %s (tet, off or work)", key);
		return (1);
	}
	memset(&o, 0, sizeof o);
	o.year = r->year;
	o.key = (enum calendar_key)i;
	if (calendar_parse_value(r, value, &o) != 0)
		return (1);
	r->list = xreallocarray(r->list, r->nlist + 1, sizeof *r->list);
	r->list[r->nlist++] = o;
	return (1);
}

/* Reads an overrides file; -1 and every FILE:LINE error in *cause. */
int
calendar_load_overrides(struct calendar *cal, const char *path, char **cause)
{
	struct calendar_reader	r;
	int			rc;

	memset(&r, 0, sizeof r);
	r.path = path;
	buf_init(&r.errors);
	if ((r.f = fopen(path, "r")) == NULL) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		buf_free(&r.errors);
		return (-1);
	}
	rc = ini_parse_stream(calendar_read_line, &r, calendar_handler, &r);
	if (rc != 0 && r.nerrors == 0) {
		r.line = rc;
		calendar_error(&r, "syntax error");
	}
	fclose(r.f);
	free(r.text);
	if (r.nerrors > 0) {
		*cause = buf_steal(&r.errors);
		free(r.list);
		return (-1);
	}
	buf_free(&r.errors);
	free(cal->overrides);
	cal->overrides = r.list;
	cal->noverrides = r.nlist;
	cal->loaded = 1;
	memcpy(cal->decided, r.sections, sizeof cal->decided);
	calendar_flush(cal);
	return (0);
}

/* 1 if the days-off file read has a section for year, even an empty one. */
static int
calendar_decided(const struct calendar *cal, int year)
{
	if (!cal->loaded || year < CALENDAR_FIRST_YEAR ||
	    year > CALENDAR_LAST_YEAR)
		return (0);
	return (cal->decided[year - CALENDAR_FIRST_YEAR]);
}

/*
 * What is missing for year when the days-off file (path, "" for none) has
 * no section for it, or NULL; caller frees.
 */
char *
calendar_check_decided(const struct calendar *cal, const char *path,
    int year)
{
	char	*msg;

	if (calendar_decided(cal, year))
		return (NULL);
	if (*path == '\0')
		xasprintf(&msg, "no days-off file (calendar.days_off_file): the "
		    "days off the government decides for %d (the Tết block, "
		    "swapped days) are not applied", year);
	else
		xasprintf(&msg, "%s has no [%d] section: the Tết block and "
		    "swapped days the government decides for %d are not "
		    "applied (the computed Tết days are used); add them once "
		    "decided", path, year, year);
	return (msg);
}
