/*
 * iCalendar feeds.  libical builds every component, so escaping, folding at
 * 75 octets (on UTF-8 character boundaries in libical 3.0.16, which the
 * unit test checks) and CRLF line ends are libical's, except for the two
 * x-properties of TEXT value (see ics_add_line).  Each component is
 * rendered and freed on its own and the texts are concatenated: the feed
 * then costs time and memory linear in its size, whatever the number of
 * events.  The whole model is checked before anything is rendered.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "date.h"
#include "ics.h"
#include "rule.h"
#include "xmalloc.h"

#define ICS_PRODID		"-//deadlined//deadlined 0.1//VI"
#define ICS_MARK_DONE		"[Đã xong] "
#define ICS_MARK_OVERDUE	"[Quá hạn] "
#define ICS_FOOTER		"END:VCALENDAR\r\n"
#define ICS_MAX_OCCURRENCES	100000

/* Dates a rule expands to, collected by rule_expand's callback. */
struct ics_dates {
	date_t	*v;
	size_t	 n;
	size_t	 size;
	int	 overflow;
};

/* Length of the UTF-8 sequence at s, or 0 if it is not valid UTF-8. */
static size_t
ics_utf8_len(const unsigned char *s)
{
	uint32_t	c;
	size_t		n, i;

	if (s[0] < 0x80)
		return (1);
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return (0);
	c = s[0] & (0x7f >> n);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return (0);
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return (0);
	return (n);
}

/* Checks that s is valid UTF-8; 0 or -1. */
static int
ics_utf8_valid(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n;

	while (*p != '\0') {
		if ((n = ics_utf8_len(p)) == 0)
			return (-1);
		p += n;
	}
	return (0);
}

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

/* Octets of the next folded piece of p: at most max, whole characters. */
static size_t
ics_fold_at(const char *p, size_t left, size_t max)
{
	size_t	n;

	if (left <= max)
		return (left);
	for (n = max; n > 0; n--) {
		if (((unsigned char)p[n] & 0xc0) != 0x80)
			return (n);
	}
	return (max);
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
		n = ics_fold_at(p, left, max);
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

/* An all-day libical date. */
static struct icaltimetype
ics_date(date_t day)
{
	struct icaltimetype	t;
	int			y, m, d;

	memset(&t, 0, sizeof t);
	t.is_date = 1;
	date_to_ymd(day, &y, &m, &d);
	t.year = y;
	t.month = m;
	t.day = d;
	return (t);
}

/* A libical UTC date-time. */
static struct icaltimetype
ics_utc(time_t t)
{
	return (icaltime_from_timet_with_zone(t, 0,
	    icaltimezone_get_utc_timezone()));
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
	if (ics_utf8_valid(s) != 0) {
		xasprintf(cause, "event %s: %s is not valid UTF-8", uid, what);
		return (-1);
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
	}
	return (0);
}

/*
 * Checks that the rule of ev is a day rule that produces its start; 0 or
 * -1.  rule_first alone answers for a good rule: rule_check, which names
 * what is wrong, only runs for a bad one.
 */
static int
ics_check_rule(const struct ics_event *ev, char **cause)
{
	char	*why = NULL;

	if (rule_first(ev->rrule, ev->start, ev->start) == ev->start)
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
ics_check_event(const struct ics_event *ev, char **cause)
{
	if (ev->uid == NULL || *ev->uid == '\0') {
		*cause = xstrdup("event without a UID");
		return (-1);
	}
	if (ics_utf8_valid(ev->uid) != 0) {
		*cause = xstrdup("event UID is not valid UTF-8");
		return (-1);
	}
	if (ics_check_text(ev->uid, "summary", ev->summary, 1, cause) != 0 ||
	    ics_check_text(ev->uid, "description", ev->description, 0,
	    cause) != 0 ||
	    ics_check_text(ev->uid, "categories", ev->categories, 0,
	    cause) != 0 ||
	    ics_check_text(ev->uid, "location", ev->location, 0, cause) != 0)
		return (-1);
	if (ics_check_dates(ev, cause) != 0)
		return (-1);
	if (ev->rrule != NULL && (ics_check_text(ev->uid, "rule", ev->rrule, 1,
	    cause) != 0 || ics_check_rule(ev, cause) != 0))
		return (-1);
	return (0);
}

/* Checks the feed's own fields; 0 or -1. */
static int
ics_check_feed(const struct ics_feed *feed, char **cause)
{
	if (feed->name == NULL || ics_utf8_valid(feed->name) != 0 ||
	    feed->timezone == NULL || ics_utf8_valid(feed->timezone) != 0) {
		*cause = xstrdup("feed without a valid name or time zone");
		return (-1);
	}
	if (feed->organizer != NULL && (ics_utf8_valid(feed->organizer) != 0 ||
	    strncmp(feed->organizer, "mailto:", 7) != 0)) {
		*cause = xstrdup("feed organizer is not a mailto: URI");
		return (-1);
	}
	if (feed->organizer_name != NULL &&
	    ics_utf8_valid(feed->organizer_name) != 0) {
		*cause = xstrdup("feed organizer name is not valid UTF-8");
		return (-1);
	}
	if (feed->refresh_minutes <= 0) {
		xasprintf(cause, "bad refresh interval: %d minutes",
		    feed->refresh_minutes);
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

/* Adds a TEXT property made by fn from cleaned text, unless text is NULL. */
static void
ics_add_text(icalcomponent *c, icalproperty *(*fn)(const char *),
    const char *text)
{
	char	*clean;

	if (text == NULL)
		return;
	clean = ics_clean(text, 0);
	icalcomponent_add_property(c, fn(clean));
	free(clean);
}

/* Adds SUMMARY: the title with the done or overdue mark. */
static void
ics_add_summary(icalcomponent *c, const char *title, int done, int overdue)
{
	char	*text;

	if (done)
		xasprintf(&text, "%s%s", ICS_MARK_DONE, title);
	else if (overdue)
		xasprintf(&text, "%s%s", ICS_MARK_OVERDUE, title);
	else
		text = xstrdup(title);
	ics_add_text(c, icalproperty_new_summary, text);
	free(text);
}

/* Adds ORGANIZER with its CN, if the feed has one. */
static void
ics_add_organizer(icalcomponent *c, const struct ics_feed *feed)
{
	icalproperty	*p;
	char		*name;

	if (feed->organizer == NULL)
		return;
	p = icalproperty_new_organizer(feed->organizer);
	if (feed->organizer_name != NULL) {
		name = ics_clean(feed->organizer_name, 1);
		icalproperty_add_parameter(p, icalparameter_new_cn(name));
		free(name);
	}
	icalcomponent_add_property(c, p);
}

/* Adds what every component of an event carries, marks aside. */
static void
ics_add_common(icalcomponent *c, const struct ics_feed *feed,
    const struct ics_event *ev, const char *uid)
{
	char	*categories;

	ics_add_text(c, icalproperty_new_uid, uid);
	icalcomponent_add_property(c,
	    icalproperty_new_dtstamp(ics_utc(feed->dtstamp)));
	ics_add_text(c, icalproperty_new_description, ev->description);
	if (ev->categories != NULL &&
	    (categories = ics_categories(ev->categories)) != NULL) {
		icalcomponent_add_property(c,
		    icalproperty_new_categories(categories));
		free(categories);
	}
	ics_add_text(c, icalproperty_new_location, ev->location);
	icalcomponent_add_property(c, icalproperty_new_sequence(ev->sequence));
	if (ev->last_modified != 0)
		icalcomponent_add_property(c,
		    icalproperty_new_lastmodified(ics_utc(ev->last_modified)));
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
	return (0);
}

/* A new all-day VEVENT of ev due on day, with its mark. */
static icalcomponent *
ics_vevent(const struct ics_feed *feed, const struct ics_event *ev,
    date_t day, int done, int overdue)
{
	icalcomponent	*c;

	c = icalcomponent_new_vevent();
	ics_add_common(c, feed, ev, ev->uid);
	icalcomponent_add_property(c, icalproperty_new_dtstart(ics_date(day)));
	icalcomponent_add_property(c,
	    icalproperty_new_dtend(ics_date(day + 1)));
	ics_add_summary(c, ev->summary, done, overdue);
	icalcomponent_add_property(c,
	    icalproperty_new_status(ICAL_STATUS_CONFIRMED));
	icalcomponent_add_property(c,
	    icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
	ics_add_organizer(c, feed);
	return (c);
}

/* Appends the VEVENTs of one event: itself and its overrides; 0 or -1. */
static int
ics_events(const struct ics_feed *feed, const struct ics_event *ev,
    struct buf *b, char **cause)
{
	const struct ics_instance	*in;
	struct icalrecurrencetype	 r;
	icalcomponent			*c;
	size_t				 i;

	if (ev->rrule == NULL) {
		ics_append(b, ics_vevent(feed, ev, ev->start, ev->done,
		    ev->overdue));
		return (0);
	}
	if (ics_rule(ev, &r, cause) != 0)
		return (-1);
	c = ics_vevent(feed, ev, ev->start, 0, 0);
	icalcomponent_add_property(c, icalproperty_new_rrule(r));
	ics_append(b, c);
	for (i = 0; i < ev->ninstances; i++) {
		in = &ev->instances[i];
		c = ics_vevent(feed, ev, in->effective, in->done, in->overdue);
		icalcomponent_add_property(c,
		    icalproperty_new_recurrenceid(ics_date(in->nominal)));
		ics_append(b, c);
	}
	return (0);
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

/* A new VTODO of ev due on day, with its UID, status and mark. */
static icalcomponent *
ics_vtodo(const struct ics_feed *feed, const struct ics_event *ev,
    const char *uid, date_t day, int done, int overdue)
{
	icalcomponent	*c;

	c = icalcomponent_new_vtodo();
	ics_add_common(c, feed, ev, uid);
	/* RFC 5546 wants DTSTART, PRIORITY and ORGANIZER with PUBLISH. */
	icalcomponent_add_property(c, icalproperty_new_dtstart(ics_date(day)));
	icalcomponent_add_property(c, icalproperty_new_due(ics_date(day)));
	icalcomponent_add_property(c, icalproperty_new_priority(0));
	ics_add_organizer(c, feed);
	ics_add_summary(c, ev->summary, done, overdue);
	icalcomponent_add_property(c, icalproperty_new_status(done ?
	    ICAL_STATUS_COMPLETED : ICAL_STATUS_NEEDSACTION));
	if (done)
		icalcomponent_add_property(c,
		    icalproperty_new_percentcomplete(100));
	return (c);
}

/* Appends the VTODO of one nominal date of a recurring event. */
static void
ics_todo_occurrence(const struct ics_feed *feed, const struct ics_event *ev,
    date_t nominal, struct buf *b)
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
		ics_append(b, ics_vtodo(feed, ev, uid, nominal, 0, 0));
	else
		ics_append(b, ics_vtodo(feed, ev, uid, in->effective,
		    in->done, in->overdue));
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
ics_todos(const struct ics_feed *feed, const struct ics_event *ev,
    struct buf *b, char **cause)
{
	struct ics_dates		 dates = { NULL, 0, 0, 0 };
	struct icalrecurrencetype	 r;
	size_t				 i;

	if (ev->rrule == NULL) {
		ics_append(b, ics_vtodo(feed, ev, ev->uid, ev->start, ev->done,
		    ev->overdue));
		return (0);
	}
	if (ics_rule(ev, &r, cause) != 0)
		return (-1);
	if (rule_expand(ev->rrule, ev->start, ics_todo_until(feed, ev),
	    ics_collect, &dates, cause) == -1) {
		free(dates.v);
		return (-1);
	}
	if (dates.overflow) {
		free(dates.v);
		xasprintf(cause, "event %s: more than %d occurrences", ev->uid,
		    ICS_MAX_OCCURRENCES);
		return (-1);
	}
	for (i = 0; i < dates.n; i++)
		ics_todo_occurrence(feed, ev, dates.v[i], b);
	free(dates.v);
	return (0);
}

/* Checks the model, then renders the feed; caller frees. */
char *
ics_render(const struct ics_feed *feed, size_t *len, char **cause)
{
	struct buf	 b;
	size_t		 i;
	int		 error;

	if (ics_check_feed(feed, cause) != 0)
		return (NULL);
	for (i = 0; i < feed->n; i++) {
		if (ics_check_event(&feed->events[i], cause) != 0)
			return (NULL);
	}
	buf_init(&b);
	ics_header(feed, &b);
	for (i = 0; i < feed->n; i++) {
		if (feed->todo)
			error = ics_todos(feed, &feed->events[i], &b, cause);
		else
			error = ics_events(feed, &feed->events[i], &b, cause);
		if (error != 0) {
			buf_free(&b);
			return (NULL);
		}
	}
	buf_adds(&b, ICS_FOOTER);
	if (len != NULL)
		*len = b.len;
	return (buf_steal(&b));
}
