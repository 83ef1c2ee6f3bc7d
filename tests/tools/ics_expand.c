/*
 * ics_expand: the dates of the events of .ics files, as libical reads them.
 *
 * Usage: ics_expand FROM TO FILE...   (FROM, TO: YYYY-MM-DD, TO excluded)
 *
 * Prints one line "FILE<TAB>YYYY-MM-DD<TAB>SUMMARY" per occurrence of every
 * VEVENT that starts in [FROM, TO): a recurring event is expanded with
 * libical's own recurrence iterator (RRULE, RDATE, EXDATE), and an
 * instance overridden by a VEVENT with its RECURRENCE-ID takes that one's
 * date and summary, as calendar clients do.  Independent of deadlined's
 * code: only libical's parser and iterator.  Exits 1 on a file that does
 * not parse or an event it cannot read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#define MAX_INSTANCES	100000

/* Reads a whole file; NULL on error; caller frees. */
static char *
read_file(const char *path)
{
	FILE	*f;
	char	*data = NULL;
	size_t	 len = 0, n;

	if ((f = fopen(path, "rb")) == NULL)
		return (NULL);
	for (;;) {
		data = realloc(data, len + 65536 + 1);
		if (data == NULL)
			abort();
		if ((n = fread(data + len, 1, 65536, f)) == 0)
			break;
		len += n;
	}
	fclose(f);
	data[len] = '\0';
	return (data);
}

/* Parses YYYY-MM-DD into an all-day icaltimetype. */
static struct icaltimetype
parse_day(const char *s)
{
	struct icaltimetype	t = icaltime_null_date();

	if (sscanf(s, "%4d-%2d-%2d", &t.year, &t.month, &t.day) != 3) {
		fprintf(stderr, "ics_expand: bad date %s\n", s);
		exit(2);
	}
	t.is_date = 1;
	return (t);
}

/* Compares the dates of two times, ignoring the time of day. */
static int
day_cmp(struct icaltimetype a, struct icaltimetype b)
{
	return (icaltime_compare_date_only(a, b));
}

/* The override of master's instance on day, or NULL. */
static icalcomponent *
find_override(icalcomponent *cal, const char *uid, struct icaltimetype day)
{
	icalcomponent	*c;
	icalproperty	*rid;

	for (c = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	    c != NULL;
	    c = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
		rid = icalcomponent_get_first_property(c,
		    ICAL_RECURRENCEID_PROPERTY);
		if (rid == NULL || strcmp(icalcomponent_get_uid(c), uid) != 0)
			continue;
		if (day_cmp(icalproperty_get_recurrenceid(rid), day) == 0)
			return (c);
	}
	return (NULL);
}

/* Prints one occurrence if it starts inside [from, to). */
static void
print_one(const char *path, icalcomponent *c, struct icaltimetype from,
    struct icaltimetype to)
{
	struct icaltimetype	start = icalcomponent_get_dtstart(c);
	const char		*summary = icalcomponent_get_summary(c);

	if (day_cmp(start, from) < 0 || day_cmp(start, to) >= 0)
		return;
	printf("%s\t%04d-%02d-%02d\t%s\n", path, start.year, start.month,
	    start.day, summary != NULL ? summary : "");
}

/* 1 if day is one of the EXDATEs of master. */
static int
excluded(icalcomponent *master, struct icaltimetype day)
{
	icalproperty	*p;

	for (p = icalcomponent_get_first_property(master, ICAL_EXDATE_PROPERTY);
	    p != NULL;
	    p = icalcomponent_get_next_property(master, ICAL_EXDATE_PROPERTY)) {
		if (day_cmp(icalproperty_get_exdate(p), day) == 0)
			return (1);
	}
	return (0);
}

/* Prints the instance of master on day, or its override. */
static void
print_instance(const char *path, icalcomponent *cal, icalcomponent *master,
    struct icaltimetype day, struct icaltimetype from, struct icaltimetype to)
{
	icalcomponent	*over, *copy;

	if (excluded(master, day))
		return;
	if ((over = find_override(cal, icalcomponent_get_uid(master),
	    day)) != NULL) {
		print_one(path, over, from, to);
		return;
	}
	copy = icalcomponent_new_clone(master);
	icalcomponent_set_dtstart(copy, day);
	print_one(path, copy, from, to);
	icalcomponent_free(copy);
}

/* Expands a master with an RRULE and its RDATEs; 0 or -1. */
static int
expand(const char *path, icalcomponent *cal, icalcomponent *master,
    struct icaltimetype from, struct icaltimetype to)
{
	struct icaltimetype	 dtstart = icalcomponent_get_dtstart(master);
	struct icaltimetype	 next, *rdates = NULL;
	icalrecur_iterator	*it;
	icalproperty		*p;
	size_t			 nrdates = 0, i;
	int			 n = 0;

	/* Gathered first: excluded() walks the same properties. */
	for (p = icalcomponent_get_first_property(master, ICAL_RDATE_PROPERTY);
	    p != NULL;
	    p = icalcomponent_get_next_property(master, ICAL_RDATE_PROPERTY)) {
		rdates = realloc(rdates, (nrdates + 1) * sizeof *rdates);
		if (rdates == NULL)
			abort();
		rdates[nrdates++] = icalproperty_get_rdate(p).time;
	}

	p = icalcomponent_get_first_property(master, ICAL_RRULE_PROPERTY);
	if (p != NULL) {
		it = icalrecur_iterator_new(icalproperty_get_rrule(p), dtstart);
		if (it == NULL) {
			free(rdates);
			return (-1);
		}
		while (n++ < MAX_INSTANCES) {
			next = icalrecur_iterator_next(it);
			if (icaltime_is_null_time(next) ||
			    day_cmp(next, to) >= 0)
				break;
			print_instance(path, cal, master, next, from, to);
		}
		icalrecur_iterator_free(it);
	}
	for (i = 0; i < nrdates; i++)
		print_instance(path, cal, master, rdates[i], from, to);
	free(rdates);
	return (0);
}

/* Prints the occurrences of every event of a parsed calendar; 0 or -1. */
static int
walk(const char *path, icalcomponent *cal, struct icaltimetype from,
    struct icaltimetype to)
{
	icalcomponent	*c;
	icalcomponent	**masters = NULL;
	size_t		 n = 0, i;
	int		 rc = 0;

	/* The iterator of a nested walk would disturb the outer one. */
	for (c = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	    c != NULL;
	    c = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
		if (icalcomponent_get_first_property(c,
		    ICAL_RECURRENCEID_PROPERTY) != NULL)
			continue;
		masters = realloc(masters, (n + 1) * sizeof *masters);
		if (masters == NULL)
			abort();
		masters[n++] = c;
	}
	for (i = 0; rc == 0 && i < n; i++) {
		if (icalcomponent_get_first_property(masters[i],
		    ICAL_RRULE_PROPERTY) == NULL &&
		    icalcomponent_get_first_property(masters[i],
		    ICAL_RDATE_PROPERTY) == NULL)
			print_one(path, masters[i], from, to);
		else
			rc = expand(path, cal, masters[i], from, to);
	}
	free(masters);
	return (rc);
}

int
main(int argc, char **argv)
{
	struct icaltimetype	 from, to;
	icalcomponent		*cal;
	char			*text;
	int			 i;

	if (argc < 4) {
		fprintf(stderr, "usage: ics_expand FROM TO FILE...\n");
		return (2);
	}
	from = parse_day(argv[1]);
	to = parse_day(argv[2]);
	for (i = 3; i < argc; i++) {
		if ((text = read_file(argv[i])) == NULL) {
			perror(argv[i]);
			return (1);
		}
		cal = icalparser_parse_string(text);
		free(text);
		if (cal == NULL || icalcomponent_isa(cal) !=
		    ICAL_VCALENDAR_COMPONENT || walk(argv[i], cal, from,
		    to) != 0) {
			fprintf(stderr, "ics_expand: %s: cannot read\n",
			    argv[i]);
			if (cal != NULL)
				icalcomponent_free(cal);
			return (1);
		}
		icalcomponent_free(cal);
	}
	return (0);
}
