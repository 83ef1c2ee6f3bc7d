/*
 * iCalendar feeds.  libical renders every property that carries text, so
 * escaping, folding at 75 octets (on UTF-8 character boundaries in libical
 * 3.0.16, which the unit test checks) and CRLF line ends are libical's,
 * except for the two x-properties of TEXT value (see ics_add_line).  The
 * texts events share (the feed's, a task's) are rendered once and reused,
 * and dates, numbers and plain UIDs, which need no escaping nor folding,
 * are written directly: building a libical component per event cost most
 * of a feed's time.  The output is byte for byte libical's.  The whole
 * model is checked before anything is rendered.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "date.h"
#include "ics.h"
#include "rule.h"
#include "utf8.h"
#include "xmalloc.h"

#define ICS_PRODID		"-//deadlined//deadlined 0.1//VI"
#define ICS_MARK_DONE		"[Đã xong] "
#define ICS_MARK_OVERDUE	"[Quá hạn] "
#define ICS_FOOTER		"END:VCALENDAR\r\n"
#define ICS_END_VEVENT		"END:VEVENT\r\n"
#define ICS_UID_PLAIN		"abcdefghijklmnopqrstuvwxyz" \
				"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@._-"

/* One memoized expansion: a rule, its range and its dates. */
struct ics_rules_entry {
	char			*rule;
	date_t			 from;
	date_t			 until;
	struct ics_dates	 dates;
	struct ics_rules_entry	*next;
};

struct ics_rules {
	struct ics_rules_entry	**buckets;
	size_t			  nbuckets;
	size_t			  n;
};

/* A property's text, kept while its source string comes again. */
/*
 * The rendered line of the last source text seen.  Compared by content:
 * a streaming render frees a task's texts once its events are written,
 * and the next task's may come at the same address.
 */
struct ics_memo {
	char		*src;
	char		*text;
};

/* 1 if the memo holds the line of src. */
static int
ics_memo_hit(const struct ics_memo *m, const char *src)
{
	return (m->text != NULL && m->src != NULL && strcmp(m->src, src) == 0);
}

/* Keeps text as the line of src. */
static void
ics_memo_set(struct ics_memo *m, const char *src, char *text)
{
	free(m->src);
	free(m->text);
	m->src = xstrdup(src);
	m->text = text;
}

/* A render: its text, the memo of rules and of lines events share. */
struct ics_out {
	const struct ics_feed	*feed;
	struct ics_rules	*rules;
	struct buf		 b;
	char			*dtstamp;
	char			*organizer;	/* "" when none */
	char			*confirmed;
	char			*transparent;
	char			*priority;
	char			*needs_action;
	char			*completed;
	char			*percent;
	struct ics_memo		 description;
	struct ics_memo		 categories;
	struct ics_memo		 location;
	struct ics_memo		 summary[3];	/* plain, done, overdue */
	struct ics_memo		 alarm;		/* the VALARM of a title */
};

/*
 * Copies text with CR LF and lone CR made LF and other control characters
 * made spaces (libical drops CR and passes controls through raw); with
 * oneline, LF becomes a space too.  Caller frees.
 */
static char *
ics_clean(const char *s, int oneline)
{
	char	*out, *p;

	out = p = xmalloc(strlen(s) + 1);
	for (; *s != '\0'; s++) {
		if (s[0] == '\r' && s[1] == '\n')
			continue;
		if (*s == '\r' || *s == '\n')
			*p++ = oneline ? ' ' : '\n';
		else if ((unsigned char)*s < 0x20 && *s != '\t')
			*p++ = ' ';
		else if (*s == 0x7f)
			*p++ = ' ';
		else
			*p++ = *s;
	}
	*p = '\0';
	return (out);
}

/* Escapes TEXT as RFC 5545 says (3.3.11); caller frees. */
static char *
ics_escape_text(const char *s)
{
	struct buf	 b;
	char		*clean, *p;

	buf_init(&b);
	clean = ics_clean(s, 0);
	for (p = clean; *p != '\0'; p++) {
		if (*p == '\\' || *p == ';' || *p == ',')
			buf_addc(&b, '\\');
		if (*p == '\n')
			buf_adds(&b, "\\n");
		else
			buf_addc(&b, *p);
	}
	free(clean);
	return (buf_steal(&b));
}

/*
 * Appends one content line folded at 75 octets, never inside a UTF-8
 * sequence.  Only for the x-properties of TEXT value: libical 3.0.16 leaves
 * ',' and ';' in their values unescaped.
 */
static void
ics_add_line(struct buf *b, const char *name, const char *text)
{
	char		*escaped, *line;
	const char	*p;
	size_t		 left, n, max = 75;

	escaped = ics_escape_text(text);
	xasprintf(&line, "%s:%s", name, escaped);
	free(escaped);
	for (p = line, left = strlen(line); left > 0; max = 74) {
		if ((n = utf8_cut_bytes(p, left, max)) == 0)
			n = left < max ? left : max;
		if (p != line)
			buf_addc(b, ' ');
		buf_add(b, p, n);
		buf_adds(b, "\r\n");
		p += n;
		left -= n;
	}
	free(line);
}

/*
 * Category names separated by , or ; as one comma-separated list; NULL if
 * none.  libical leaves ';' unescaped in CATEGORIES, so it cannot be part
 * of a name.  Caller frees.
 */
static char *
ics_categories(const char *s)
{
	struct buf	 b;
	char		*clean, *name, *last, *end;

	buf_init(&b);
	clean = ics_clean(s, 1);
	for (name = strtok_r(clean, ",;", &last); name != NULL;
	    name = strtok_r(NULL, ",;", &last)) {
		name += strspn(name, " \t");
		end = name + strlen(name);
		while (end > name && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		if (*name == '\0')
			continue;
		if (b.len != 0)
			buf_addc(&b, ',');
		buf_adds(&b, name);
	}
	free(clean);
	if (b.len == 0) {
		buf_free(&b);
		return (NULL);
	}
	return (buf_steal(&b));
}

/* A libical UTC date-time. */
static struct icaltimetype
ics_utc(time_t t)
{
	return (icaltime_from_timet_with_zone(t, 0,
	    icaltimezone_get_utc_timezone()));
}

/* Collects one date of a rule's expansion; non-zero stops it. */
static int
ics_collect(date_t day, void *arg)
{
	struct ics_dates	*dates = arg;

	if (dates->n == ICS_MAX_OCCURRENCES) {
		dates->overflow = 1;
		return (1);
	}
	if (dates->n == dates->size) {
		dates->size = dates->size == 0 ? 16 : dates->size * 2;
		dates->v = xreallocarray(dates->v, dates->size,
		    sizeof *dates->v);
	}
	dates->v[dates->n++] = day;
	return (0);
}

/* The bucket of a memo key (FNV-1a over the rule and both dates). */
static size_t
ics_rules_hash(const char *rule, date_t from, date_t until, size_t nbuckets)
{
	uint64_t	h = 14695981039346656037ULL;

	for (; *rule != '\0'; rule++)
		h = (h ^ (unsigned char)*rule) * 1099511628211ULL;
	h = (h ^ (uint64_t)(int64_t)from) * 1099511628211ULL;
	h = (h ^ (uint64_t)(int64_t)until) * 1099511628211ULL;
	return ((size_t)(h % nbuckets));
}

/* A new, empty memo of rule expansions. */
struct ics_rules *
ics_rules_new(void)
{
	struct ics_rules	*rules;

	rules = xcalloc(1, sizeof *rules);
	rules->nbuckets = 64;
	rules->buckets = xcalloc(rules->nbuckets, sizeof *rules->buckets);
	return (rules);
}

/* Frees a memo and the dates it gave. */
void
ics_rules_free(struct ics_rules *rules)
{
	struct ics_rules_entry	*e, *next;
	size_t			 i;

	if (rules == NULL)
		return;
	for (i = 0; i < rules->nbuckets; i++) {
		for (e = rules->buckets[i]; e != NULL; e = next) {
			next = e->next;
			free(e->rule);
			free(e->dates.v);
			free(e);
		}
	}
	free(rules->buckets);
	free(rules);
}

/* Doubles the buckets of a memo when its chains grow long. */
static void
ics_rules_grow(struct ics_rules *rules)
{
	struct ics_rules_entry	**old = rules->buckets, *e, *next;
	size_t			  nold = rules->nbuckets, i, b;

	rules->nbuckets *= 2;
	rules->buckets = xcalloc(rules->nbuckets, sizeof *rules->buckets);
	for (i = 0; i < nold; i++) {
		for (e = old[i]; e != NULL; e = next) {
			next = e->next;
			b = ics_rules_hash(e->rule, e->from, e->until,
			    rules->nbuckets);
			e->next = rules->buckets[b];
			rules->buckets[b] = e;
		}
	}
	free(old);
}

/* The memoized dates of a rule from an anchor to a date, or NULL. */
const struct ics_dates *
ics_rules_expand(struct ics_rules *rules, const char *rule, date_t from,
    date_t until, char **cause)
{
	struct ics_rules_entry	*e;
	struct ics_dates	 dates = { NULL, 0, 0, 0 };
	size_t			 b;

	b = ics_rules_hash(rule, from, until, rules->nbuckets);
	for (e = rules->buckets[b]; e != NULL; e = e->next) {
		if (e->from == from && e->until == until &&
		    strcmp(e->rule, rule) == 0)
			return (&e->dates);
	}
	if (rule_expand(rule, from, until, ics_collect, &dates, cause) == -1) {
		free(dates.v);
		return (NULL);
	}
	if (rules->n >= 2 * rules->nbuckets) {
		ics_rules_grow(rules);
		b = ics_rules_hash(rule, from, until, rules->nbuckets);
	}
	e = xmalloc(sizeof *e);
	e->rule = xstrdup(rule);
	e->from = from;
	e->until = until;
	e->dates = dates;
	e->next = rules->buckets[b];
	rules->buckets[b] = e;
	rules->n++;
	return (&e->dates);
}

/* Checks one text field: present if required, valid UTF-8; 0 or -1. */
static int
ics_check_text(const char *uid, const char *what, const char *s,
    int required, char **cause)
{
	if (s == NULL && !required)
		return (0);
	if (s == NULL || (required && *s == '\0')) {
		xasprintf(cause, "event %s: no %s", uid, what);
		return (-1);
	}
	if (!utf8_valid_str(s)) {
		xasprintf(cause, "event %s: %s is not valid UTF-8", uid, what);
		return (-1);
	}
	return (0);
}

/*
 * Checks a URL: valid UTF-8, no space nor control character (a URI value
 * is written as it is, unescaped); 0 or -1.
 */
static int
ics_check_url(const char *uid, const char *url, char **cause)
{
	const unsigned char	*p;

	if (url == NULL)
		return (0);
	if (*url == '\0' || !utf8_valid_str(url)) {
		xasprintf(cause, "event %s: empty or invalid URL", uid);
		return (-1);
	}
	for (p = (const unsigned char *)url; *p != '\0'; p++) {
		if (*p <= ' ' || *p == 0x7f) {
			xasprintf(cause, "event %s: URL with a space or a "
			    "control character", uid);
			return (-1);
		}
	}
	return (0);
}

/* Checks the dates of an event and of its instances; 0 or -1. */
static int
ics_check_dates(const struct ics_event *ev, char **cause)
{
	size_t	i;

	if (ev->start == DATE_NONE) {
		xasprintf(cause, "event %s: no date", ev->uid);
		return (-1);
	}
	if (ev->until != DATE_NONE && (ev->rrule == NULL ||
	    ev->until < ev->start)) {
		xasprintf(cause, "event %s: bad end of recurrence", ev->uid);
		return (-1);
	}
	for (i = 0; i < ev->ninstances; i++) {
		if (ev->instances[i].nominal == DATE_NONE ||
		    ev->instances[i].effective == DATE_NONE) {
			xasprintf(cause, "event %s: instance without a date",
			    ev->uid);
			return (-1);
		}
		if (ics_check_url(ev->uid, ev->instances[i].url, cause) != 0)
			return (-1);
	}
	return (0);
}

/*
 * Checks that the rule of ev is a day rule that produces its start; 0 or
 * -1.  The memoized expansion alone answers for a good rule: rule_check,
 * which names what is wrong, only runs for a bad one.
 */
static int
ics_check_rule(const struct ics_event *ev, struct ics_rules *rules,
    char **cause)
{
	const struct ics_dates	*dates;
	char			*why = NULL;

	dates = ics_rules_expand(rules, ev->rrule, ev->start, ev->start, &why);
	free(why);
	why = NULL;
	if (dates != NULL && dates->n == 1)
		return (0);
	if (rule_check(ev->rrule, &why) != 0) {
		xasprintf(cause, "event %s: %s", ev->uid, why);
		free(why);
	} else
		xasprintf(cause, "event %s: its date is not one of its rule",
		    ev->uid);
	return (-1);
}

/* Checks an event before anything is built from it; 0 or -1. */
static int
ics_check_event(const struct ics_event *ev, struct ics_rules *rules,
    char **cause)
{
	if (ev->uid == NULL || *ev->uid == '\0') {
		*cause = xstrdup("event without a UID");
		return (-1);
	}
	if (!utf8_valid_str(ev->uid)) {
		*cause = xstrdup("event UID is not valid UTF-8");
		return (-1);
	}
	if (ics_check_text(ev->uid, "summary", ev->summary, 1, cause) != 0 ||
	    ics_check_text(ev->uid, "description", ev->description, 0,
	    cause) != 0 ||
	    ics_check_text(ev->uid, "categories", ev->categories, 0,
	    cause) != 0 ||
	    ics_check_text(ev->uid, "location", ev->location, 0, cause) != 0 ||
	    ics_check_url(ev->uid, ev->url, cause) != 0)
		return (-1);
	if (ics_check_dates(ev, cause) != 0)
		return (-1);
	if (ev->rrule != NULL && (ics_check_text(ev->uid, "rule", ev->rrule, 1,
	    cause) != 0 || ics_check_rule(ev, rules, cause) != 0))
		return (-1);
	return (0);
}

/* Checks the feed's own fields; 0 or -1. */
static int
ics_check_feed(const struct ics_feed *feed, char **cause)
{
	if (feed->name == NULL || !utf8_valid_str(feed->name) ||
	    feed->timezone == NULL || !utf8_valid_str(feed->timezone)) {
		*cause = xstrdup("feed without a valid name or time zone");
		return (-1);
	}
	if (feed->organizer != NULL && (!utf8_valid_str(feed->organizer) ||
	    strncmp(feed->organizer, "mailto:", 7) != 0)) {
		*cause = xstrdup("feed organizer is not a mailto: URI");
		return (-1);
	}
	if (feed->organizer_name != NULL &&
	    !utf8_valid_str(feed->organizer_name)) {
		*cause = xstrdup("feed organizer name is not valid UTF-8");
		return (-1);
	}
	if (feed->refresh_minutes <= 0) {
		xasprintf(cause, "bad refresh interval: %d minutes",
		    feed->refresh_minutes);
		return (-1);
	}
	if (feed->alarm_days < 0 || feed->alarm_days > ICS_MAX_ALARM_DAYS) {
		xasprintf(cause, "bad alarm: %d days before", feed->alarm_days);
		return (-1);
	}
	return (0);
}

/* Adds an x-property whose value is already in iCalendar syntax. */
static void
ics_add_x(icalcomponent *c, const char *name, const char *value,
    int duration)
{
	icalproperty	*p;

	p = icalproperty_new_x(value);
	icalproperty_set_x_name(p, name);
	if (duration)
		icalproperty_add_parameter(p,
		    icalparameter_new_value(ICAL_VALUE_DURATION));
	icalcomponent_add_property(c, p);
}

/* Appends the text of a component to b and frees the component. */
static void
ics_append(struct buf *b, icalcomponent *c)
{
	char	*text;

	text = icalcomponent_as_ical_string_r(c);
	buf_adds(b, text);
	free(text);
	icalcomponent_free(c);
}

/* Appends the VCALENDAR properties, without its END line. */
static void
ics_header(const struct ics_feed *feed, struct buf *b)
{
	icalcomponent	*cal;
	char		 duration[32];
	size_t		 start;

	cal = icalcomponent_new_vcalendar();
	icalcomponent_add_property(cal, icalproperty_new_prodid(ICS_PRODID));
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
	icalcomponent_add_property(cal,
	    icalproperty_new_method(ICAL_METHOD_PUBLISH));
	snprintf(duration, sizeof duration, "PT%dM", feed->refresh_minutes);
	ics_add_x(cal, "REFRESH-INTERVAL", duration, 1);
	ics_add_x(cal, "X-PUBLISHED-TTL", duration, 0);
	start = b->len;
	ics_append(b, cal);
	if (b->len - start >= strlen(ICS_FOOTER) &&
	    strcmp(b->data + b->len - strlen(ICS_FOOTER), ICS_FOOTER) == 0) {
		b->len -= strlen(ICS_FOOTER);
		b->data[b->len] = '\0';
	}
	ics_add_line(b, "X-WR-CALNAME", feed->name);
	ics_add_line(b, "X-WR-TIMEZONE", feed->timezone);
}

/* The text of a property as libical writes it; frees p.  Caller frees. */
static char *
ics_prop(icalproperty *p)
{
	char	*text;

	text = icalproperty_as_ical_string_r(p);
	icalproperty_free(p);
	return (text);
}

/* Appends the text of a property and frees it. */
static void
ics_add_prop(struct ics_out *o, icalproperty *p)
{
	char	*text;

	text = ics_prop(p);
	buf_adds(&o->b, text);
	free(text);
}

/* The text of a TEXT property made by fn from cleaned text; caller frees. */
static char *
ics_text_prop(icalproperty *(*fn)(const char *), const char *text)
{
	char	*clean, *out;

	clean = ics_clean(text, 0);
	out = ics_prop(fn(clean));
	free(clean);
	return (out);
}

/* Appends a TEXT property of src made by fn, rendered once per new src. */
static void
ics_add_memo(struct ics_out *o, struct ics_memo *m, const char *src,
    icalproperty *(*fn)(const char *))
{
	if (src == NULL)
		return;
	if (!ics_memo_hit(m, src))
		ics_memo_set(m, src, ics_text_prop(fn, src));
	buf_adds(&o->b, m->text);
}

/* Appends CATEGORIES of src, rendered once per new src. */
static void
ics_add_categories(struct ics_out *o, const char *src)
{
	struct ics_memo	*m = &o->categories;
	char		*names;

	if (src == NULL)
		return;
	if (!ics_memo_hit(m, src)) {
		if ((names = ics_categories(src)) != NULL)
			ics_memo_set(m, src, ics_prop(
			    icalproperty_new_categories(names)));
		else
			ics_memo_set(m, src, xstrdup(""));
		free(names);
	}
	buf_adds(&o->b, m->text);
}

/* Appends SUMMARY: the title with the done or overdue mark. */
static void
ics_add_summary(struct ics_out *o, const char *title, int done, int overdue)
{
	struct ics_memo	*m;
	char		*text;

	m = &o->summary[done ? 1 : (overdue ? 2 : 0)];
	if (!ics_memo_hit(m, title)) {
		xasprintf(&text, "%s%s", done ? ICS_MARK_DONE :
		    (overdue ? ICS_MARK_OVERDUE : ""), title);
		ics_memo_set(m, title, ics_text_prop(icalproperty_new_summary,
		    text));
		free(text);
	}
	buf_adds(&o->b, m->text);
}

/*
 * Appends the UID line.  A short UID of characters TEXT escaping leaves
 * alone is written as libical would write it; any other goes to libical.
 */
static void
ics_add_uid(struct ics_out *o, const char *uid)
{
	size_t	n = strlen(uid);

	if (n + 4 < 75 && strspn(uid, ICS_UID_PLAIN) == n) {
		buf_add(&o->b, "UID:", 4);
		buf_add(&o->b, uid, n);
		buf_add(&o->b, "\r\n", 2);
	} else
		ics_add_prop(o, icalproperty_new_uid(uid));
}

/* Appends "NAME;VALUE=DATE:YYYYMMDD", as libical writes an all-day date. */
static void
ics_add_date(struct ics_out *o, const char *name, date_t day)
{
	char	line[64];
	int	y, m, d, n;

	date_to_ymd(day, &y, &m, &d);
	n = snprintf(line, sizeof line, "%s;VALUE=DATE:%04d%02d%02d\r\n",
	    name, y, m, d);
	buf_add(&o->b, line, (size_t)n);
}

/* Appends SEQUENCE, an integer property. */
static void
ics_add_sequence(struct ics_out *o, int sequence)
{
	char	line[32];
	int	n;

	n = snprintf(line, sizeof line, "SEQUENCE:%d\r\n", sequence);
	buf_add(&o->b, line, (size_t)n);
}

/* Appends URL, a URI value (folded by libical, never escaped). */
static void
ics_add_url(struct ics_out *o, const char *url)
{
	if (url != NULL)
		ics_add_prop(o, icalproperty_new_url(url));
}

/*
 * The VALARM of an event titled title: a DISPLAY alarm (RFC 5545 3.6.6:
 * ACTION, DESCRIPTION and TRIGGER) alarm_days before the all-day start.
 * Caller frees.
 */
static char *
ics_alarm_text(const char *title, int alarm_days)
{
	struct icaltriggertype	 trigger;
	icalcomponent		*alarm;
	char			*clean, *text;

	memset(&trigger, 0, sizeof trigger);
	trigger.time = icaltime_null_time();
	trigger.duration = icaldurationtype_null_duration();
	trigger.duration.is_neg = 1;
	trigger.duration.days = (unsigned int)alarm_days;
	clean = ics_clean(title, 0);
	alarm = icalcomponent_new_valarm();
	icalcomponent_add_property(alarm,
	    icalproperty_new_action(ICAL_ACTION_DISPLAY));
	icalcomponent_add_property(alarm, icalproperty_new_description(clean));
	icalcomponent_add_property(alarm, icalproperty_new_trigger(trigger));
	text = icalcomponent_as_ical_string_r(alarm);
	icalcomponent_free(alarm);
	free(clean);
	return (text);
}

/*
 * Appends the VALARM of a component still to do, if the feed has alarms:
 * none on a done or overdue one, whose day has come (a client shows a
 * missed alarm of each on subscribing).
 */
static void
ics_add_alarm(struct ics_out *o, const char *title, int done, int overdue)
{
	if (o->feed->alarm_days == 0 || done || overdue)
		return;
	if (!ics_memo_hit(&o->alarm, title))
		ics_memo_set(&o->alarm, title, ics_alarm_text(title,
		    o->feed->alarm_days));
	buf_adds(&o->b, o->alarm.text);
}

/* The ORGANIZER line with its CN, or "" if the feed has none. */
static char *
ics_organizer(const struct ics_feed *feed)
{
	icalproperty	*p;
	char		*name;

	if (feed->organizer == NULL)
		return (xstrdup(""));
	p = icalproperty_new_organizer(feed->organizer);
	if (feed->organizer_name != NULL) {
		name = ics_clean(feed->organizer_name, 1);
		icalproperty_add_parameter(p, icalparameter_new_cn(name));
		free(name);
	}
	return (ics_prop(p));
}

/* Starts a render: the lines every event shares, rendered once. */
static void
ics_out_init(struct ics_out *o, const struct ics_feed *feed)
{
	memset(o, 0, sizeof *o);
	o->feed = feed;
	o->rules = ics_rules_new();
	buf_init(&o->b);
	o->dtstamp = ics_prop(icalproperty_new_dtstamp(ics_utc(
	    feed->dtstamp)));
	o->organizer = ics_organizer(feed);
	o->confirmed = ics_prop(icalproperty_new_status(
	    ICAL_STATUS_CONFIRMED));
	o->transparent = ics_prop(icalproperty_new_transp(
	    ICAL_TRANSP_TRANSPARENT));
	o->priority = ics_prop(icalproperty_new_priority(0));
	o->needs_action = ics_prop(icalproperty_new_status(
	    ICAL_STATUS_NEEDSACTION));
	o->completed = ics_prop(icalproperty_new_status(
	    ICAL_STATUS_COMPLETED));
	o->percent = ics_prop(icalproperty_new_percentcomplete(100));
}

/* Frees what a render holds, but its text. */
static void
ics_out_clear(struct ics_out *o)
{
	size_t	i;

	ics_rules_free(o->rules);
	free(o->dtstamp);
	free(o->organizer);
	free(o->confirmed);
	free(o->transparent);
	free(o->priority);
	free(o->needs_action);
	free(o->completed);
	free(o->percent);
	free(o->description.text);
	free(o->description.src);
	free(o->categories.text);
	free(o->categories.src);
	free(o->location.text);
	free(o->location.src);
	free(o->alarm.text);
	free(o->alarm.src);
	for (i = 0; i < 3; i++) {
		free(o->summary[i].text);
		free(o->summary[i].src);
	}
}

/* Appends the lines every component of an event carries, marks aside. */
static void
ics_add_common(struct ics_out *o, const struct ics_event *ev,
    const char *uid)
{
	ics_add_uid(o, uid);
	buf_adds(&o->b, o->dtstamp);
	ics_add_memo(o, &o->description, ev->description,
	    icalproperty_new_description);
	ics_add_categories(o, ev->categories);
	ics_add_memo(o, &o->location, ev->location, icalproperty_new_location);
	ics_add_sequence(o, ev->sequence);
	if (ev->last_modified != 0)
		ics_add_prop(o, icalproperty_new_lastmodified(
		    ics_utc(ev->last_modified)));
}

/* The fewest and the most days month m (1 to 12) has. */
static void
ics_month_length(int m, int *fewest, int *most)
{
	static const int	days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
				    31, 30, 31 };

	*fewest = days[m - 1];
	*most = m == 2 ? 29 : days[m - 1];
}

/* 1 if the rule's BYMONTH has month m, or it has no BYMONTH. */
static int
ics_rule_has_month(const struct icalrecurrencetype *r, int m)
{
	int	i;

	if (r->by_month[0] == ICAL_RECURRENCE_ARRAY_MAX)
		return (1);
	for (i = 0; r->by_month[i] != ICAL_RECURRENCE_ARRAY_MAX; i++) {
		if (icalrecurrencetype_month_month(r->by_month[i]) == m)
			return (1);
	}
	return (0);
}

/* N when BYMONTHDAY is 28, 29, ... N and nothing else; else 0. */
static int
ics_clamp_day(const struct icalrecurrencetype *r)
{
	int	i;

	if (r->by_day[0] != ICAL_RECURRENCE_ARRAY_MAX ||
	    r->by_year_day[0] != ICAL_RECURRENCE_ARRAY_MAX ||
	    r->by_week_no[0] != ICAL_RECURRENCE_ARRAY_MAX ||
	    r->by_set_pos[0] != -1 ||
	    r->by_set_pos[1] != ICAL_RECURRENCE_ARRAY_MAX)
		return (0);
	for (i = 0; r->by_month_day[i] != ICAL_RECURRENCE_ARRAY_MAX; i++) {
		if (r->by_month_day[i] != 28 + i)
			return (0);
	}
	return (i == 0 ? 0 : 27 + i);
}

/*
 * Rewrites "day N or the month's last day" (BYMONTHDAY=28,...,N;
 * BYSETPOS=-1, which ical.js expands as every listed day) as BYMONTHDAY=-1
 * when that day is the last of every month of the rule, or BYMONTHDAY=N
 * when every month has day N; 0 when neither holds (a monthly "day 30").
 */
static int
ics_unclamp(struct icalrecurrencetype *r)
{
	int	n, m, fewest, most, months = 0, last = 1, plain = 1;

	if ((r->freq != ICAL_MONTHLY_RECURRENCE &&
	    r->freq != ICAL_YEARLY_RECURRENCE) || (n = ics_clamp_day(r)) == 0)
		return (0);
	for (m = 1; m <= 12; m++) {
		if (!ics_rule_has_month(r, m))
			continue;
		months++;
		ics_month_length(m, &fewest, &most);
		last &= most <= n;
		plain &= fewest >= n;
	}
	/* A yearly BYSETPOS picks from the whole year's days. */
	if ((r->freq == ICAL_YEARLY_RECURRENCE && months != 1) ||
	    (!last && !plain))
		return (0);
	r->by_set_pos[0] = ICAL_RECURRENCE_ARRAY_MAX;
	r->by_month_day[0] = last ? -1 : n;
	r->by_month_day[1] = ICAL_RECURRENCE_ARRAY_MAX;
	return (1);
}

/*
 * The rule as every client expands it alike, or NULL; caller frees.  Only
 * BYSETPOS is at stake (ical.js ignores it with a set of BYMONTHDAY); a
 * rule without it is returned as it is.
 */
char *
ics_portable_rule(const char *rule)
{
	struct icalrecurrencetype	 r;
	char				*text, *out;

	icalerror_clear_errno();
	r = icalrecurrencetype_from_string(rule);
	if (r.freq == ICAL_NO_RECURRENCE || icalerrno != ICAL_NO_ERROR) {
		icalerror_clear_errno();
		return (NULL);
	}
	if (r.by_set_pos[0] == ICAL_RECURRENCE_ARRAY_MAX)
		return (xstrdup(rule));
	if (!ics_unclamp(&r))
		return (NULL);
	text = icalrecurrencetype_as_string_r(&r);
	out = xstrdup(text);
	icalmemory_free_buffer(text);
	return (out);
}

/* Parses the rule of ev with its UNTIL into *r; 0 or -1. */
static int
ics_rule(const struct ics_event *ev, struct icalrecurrencetype *r,
    char **cause)
{
	char	*text;
	int	 y, m, d;

	if (ev->until != DATE_NONE && (strstr(ev->rrule, "UNTIL=") != NULL ||
	    strstr(ev->rrule, "COUNT=") != NULL)) {
		xasprintf(cause, "event %s: rule has its own end", ev->uid);
		return (-1);
	}
	if (ev->until == DATE_NONE)
		text = xstrdup(ev->rrule);
	else {
		date_to_ymd(ev->until, &y, &m, &d);
		xasprintf(&text, "%s;UNTIL=%04d%02d%02d", ev->rrule, y, m, d);
	}
	icalerror_clear_errno();
	*r = icalrecurrencetype_from_string(text);
	free(text);
	if (r->freq == ICAL_NO_RECURRENCE || icalerrno != ICAL_NO_ERROR) {
		icalerror_clear_errno();
		xasprintf(cause, "event %s: bad rule: %s", ev->uid, ev->rrule);
		return (-1);
	}
	if (r->by_set_pos[0] != ICAL_RECURRENCE_ARRAY_MAX) {
		xasprintf(cause, "event %s: BYSETPOS, which clients expand "
		    "differently: %s", ev->uid, ev->rrule);
		return (-1);
	}
	return (0);
}

/* Appends an all-day VEVENT of ev due on day, up to its URL. */
static void
ics_vevent(struct ics_out *o, const struct ics_event *ev, date_t day,
    int done, int overdue, const char *url)
{
	buf_adds(&o->b, "BEGIN:VEVENT\r\n");
	ics_add_common(o, ev, ev->uid);
	ics_add_date(o, "DTSTART", day);
	ics_add_date(o, "DTEND", day + 1);
	ics_add_summary(o, ev->summary, done, overdue);
	buf_adds(&o->b, o->confirmed);
	buf_adds(&o->b, o->transparent);
	buf_adds(&o->b, o->organizer);
	ics_add_url(o, url);
}

/* Ends a VEVENT: its alarm, if it has one, then END:VEVENT. */
static void
ics_end_vevent(struct ics_out *o, const struct ics_event *ev, int done,
    int overdue)
{
	ics_add_alarm(o, ev->summary, done, overdue);
	buf_adds(&o->b, ICS_END_VEVENT);
}

/* Appends the VEVENTs of one event: itself and its overrides; 0 or -1. */
static int
ics_events(struct ics_out *o, const struct ics_event *ev, char **cause)
{
	const struct ics_instance	*in;
	struct icalrecurrencetype	 r;
	size_t				 i;

	if (ev->rrule == NULL) {
		ics_vevent(o, ev, ev->start, ev->done, ev->overdue, ev->url);
		ics_end_vevent(o, ev, ev->done, ev->overdue);
		return (0);
	}
	if (ics_rule(ev, &r, cause) != 0)
		return (-1);
	ics_vevent(o, ev, ev->start, 0, 0, ev->url);
	ics_add_prop(o, icalproperty_new_rrule(r));
	ics_end_vevent(o, ev, 0, 0);
	for (i = 0; i < ev->ninstances; i++) {
		in = &ev->instances[i];
		ics_vevent(o, ev, in->effective, in->done, in->overdue,
		    in->url != NULL ? in->url : ev->url);
		ics_add_date(o, "RECURRENCE-ID", in->nominal);
		ics_end_vevent(o, ev, in->done, in->overdue);
	}
	return (0);
}

/* Appends a VTODO of ev due on day, with its UID, status and mark. */
static void
ics_vtodo(struct ics_out *o, const struct ics_event *ev, const char *uid,
    date_t day, int done, int overdue, const char *url)
{
	buf_adds(&o->b, "BEGIN:VTODO\r\n");
	ics_add_common(o, ev, uid);
	/* RFC 5546 wants DTSTART, PRIORITY and ORGANIZER with PUBLISH. */
	ics_add_date(o, "DTSTART", day);
	ics_add_date(o, "DUE", day);
	buf_adds(&o->b, o->priority);
	buf_adds(&o->b, o->organizer);
	ics_add_summary(o, ev->summary, done, overdue);
	buf_adds(&o->b, done ? o->completed : o->needs_action);
	if (done)
		buf_adds(&o->b, o->percent);
	ics_add_url(o, url);
	ics_add_alarm(o, ev->summary, done, overdue);
	buf_adds(&o->b, "END:VTODO\r\n");
}

/* Appends the VTODO of one nominal date of a recurring event. */
static void
ics_todo_occurrence(struct ics_out *o, const struct ics_event *ev,
    date_t nominal)
{
	const struct ics_instance	*in = NULL;
	char				*uid;
	size_t				 i;
	int				 y, m, d;

	for (i = 0; i < ev->ninstances; i++) {
		if (ev->instances[i].nominal == nominal)
			in = &ev->instances[i];
	}
	date_to_ymd(nominal, &y, &m, &d);
	xasprintf(&uid, "%s-%04d%02d%02d", ev->uid, y, m, d);
	if (in == NULL)
		ics_vtodo(o, ev, uid, nominal, 0, 0, ev->url);
	else
		ics_vtodo(o, ev, uid, in->effective, in->done, in->overdue,
		    in->url != NULL ? in->url : ev->url);
	free(uid);
}

/* The last nominal date a VTODO feed expands a rule of ev to. */
static date_t
ics_todo_until(const struct ics_feed *feed, const struct ics_event *ev)
{
	if (ev->until != DATE_NONE)
		return (ev->until);
	if (feed->horizon != DATE_NONE)
		return (feed->horizon);
	return (date_from_ymd(date_year(ev->start), 12, 31));
}

/* Appends the VTODOs of one event, one per occurrence; 0 or -1. */
static int
ics_todos(struct ics_out *o, const struct ics_event *ev, char **cause)
{
	const struct ics_dates		*dates;
	struct icalrecurrencetype	 r;
	size_t				 i;

	if (ev->rrule == NULL) {
		ics_vtodo(o, ev, ev->uid, ev->start, ev->done, ev->overdue,
		    ev->url);
		return (0);
	}
	if (ics_rule(ev, &r, cause) != 0)
		return (-1);
	if ((dates = ics_rules_expand(o->rules, ev->rrule, ev->start,
	    ics_todo_until(o->feed, ev), cause)) == NULL)
		return (-1);
	if (dates->overflow) {
		xasprintf(cause, "event %s: more than %d occurrences", ev->uid,
		    ICS_MAX_OCCURRENCES);
		return (-1);
	}
	for (i = 0; i < dates->n; i++)
		ics_todo_occurrence(o, ev, dates->v[i]);
	return (0);
}

/* A streaming render: text goes to the sink in chunks of about this. */
#define ICS_CHUNK	65536

struct ics_writer {
	struct ics_feed	 feed;		/* a copy; events unused */
	struct ics_out	 o;
	ics_sink	 sink;
	void		*arg;
	int		 failed;
};

/* Hands what is buffered to the sink; 0 or -1. */
static int
ics_writer_flush(struct ics_writer *w, char **cause)
{
	if (w->o.b.len == 0 || w->failed)
		return (w->failed ? -1 : 0);
	if (w->sink(w->o.b.data, w->o.b.len, w->arg) != 0) {
		w->failed = 1;
		*cause = xstrdup("cannot write the feed");
		return (-1);
	}
	w->o.b.len = 0;
	w->o.b.data[0] = '\0';
	return (0);
}

struct ics_writer *
ics_writer_new(const struct ics_feed *feed, ics_sink sink, void *arg,
    char **cause)
{
	struct ics_writer	*w;

	if (ics_check_feed(feed, cause) != 0)
		return (NULL);
	w = xcalloc(1, sizeof *w);
	w->feed = *feed;
	w->feed.events = NULL;
	w->feed.n = 0;
	w->sink = sink;
	w->arg = arg;
	ics_out_init(&w->o, &w->feed);
	ics_header(&w->feed, &w->o.b);
	return (w);
}

int
ics_writer_add(struct ics_writer *w, const struct ics_event *events,
    size_t n, char **cause)
{
	size_t	i;
	int	error = 0;

	if (w->failed)
		return (-1);
	for (i = 0; error == 0 && i < n; i++)
		error = ics_check_event(&events[i], w->o.rules, cause);
	for (i = 0; error == 0 && i < n; i++) {
		if (w->feed.todo)
			error = ics_todos(&w->o, &events[i], cause);
		else
			error = ics_events(&w->o, &events[i], cause);
	}
	if (error != 0) {
		w->failed = 1;
		return (-1);
	}
	if (w->o.b.len >= ICS_CHUNK)
		return (ics_writer_flush(w, cause));
	return (0);
}

int
ics_writer_finish(struct ics_writer *w, char **cause)
{
	int	rc = -1;

	if (!w->failed) {
		buf_adds(&w->o.b, ICS_FOOTER);
		rc = ics_writer_flush(w, cause);
	}
	ics_writer_free(w);
	return (rc);
}

void
ics_writer_free(struct ics_writer *w)
{
	if (w == NULL)
		return;
	ics_out_clear(&w->o);
	buf_free(&w->o.b);
	free(w);
}

/* The sink of ics_render: a growing buffer. */
static int
ics_render_sink(const char *data, size_t len, void *arg)
{
	buf_add(arg, data, len);
	return (0);
}

/* Checks the model, then renders the feed; caller frees. */
char *
ics_render(const struct ics_feed *feed, size_t *len, char **cause)
{
	struct ics_writer	*w;
	struct buf		 b;
	size_t			 i;
	int			 error = 0;

	/* The whole model is checked before a line is written. */
	if (ics_check_feed(feed, cause) != 0)
		return (NULL);
	{
		struct ics_rules	*rules = ics_rules_new();

		for (i = 0; error == 0 && i < feed->n; i++)
			error = ics_check_event(&feed->events[i], rules, cause);
		ics_rules_free(rules);
		if (error != 0)
			return (NULL);
	}
	buf_init(&b);
	if ((w = ics_writer_new(feed, ics_render_sink, &b, cause)) == NULL ||
	    ics_writer_add(w, feed->events, feed->n, cause) != 0) {
		ics_writer_free(w);
		buf_free(&b);
		return (NULL);
	}
	if (ics_writer_finish(w, cause) != 0) {
		buf_free(&b);
		return (NULL);
	}
	if (len != NULL)
		*len = b.len;
	return (buf_steal(&b));
}
