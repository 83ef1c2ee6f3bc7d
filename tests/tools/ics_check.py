#!/usr/bin/python3
"""Independent reading of an .ics feed for the tests of daemon/ics.c.

Usage: ics_check.py FILE [FROM TO]

Parses FILE with python3-icalendar and prints one JSON document:
  calendar:   the VCALENDAR properties (name, timezone, prodid, ...)
  components: every VEVENT/VTODO with its decoded properties
  expanded:   with FROM and TO (YYYY-MM-DD, TO excluded), the VEVENTs
              expanded by python3-recurring-ical-events, overrides applied,
              as sorted [uid, date, summary] triples
Exits 77 when either module is missing, 1 when the file does not parse.
"""
import datetime
import json
import sys

try:
    import icalendar
    import recurring_ical_events
except ImportError as e:
    print("ics_check.py: %s" % e, file=sys.stderr)
    sys.exit(77)


def day(value):
    """An ISO date (or date-time) string of a DATE/DATE-TIME property."""
    if value is None:
        return None
    return value.dt.isoformat()


def text(value):
    """A decoded TEXT property, or None."""
    return None if value is None else str(value)


def categories(comp):
    """The category names of a component, across all CATEGORIES lines."""
    value = comp.get("CATEGORIES")
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    names = []
    for v in values:
        names.extend(str(c) for c in v.cats)
    return names


def component(comp):
    """The properties of one VEVENT or VTODO as plain JSON values."""
    rrule = comp.get("RRULE")
    return {
        "type": comp.name,
        "uid": text(comp.get("UID")),
        "summary": text(comp.get("SUMMARY")),
        "description": text(comp.get("DESCRIPTION")),
        "location": text(comp.get("LOCATION")),
        "categories": categories(comp),
        "status": text(comp.get("STATUS")),
        "sequence": None if comp.get("SEQUENCE") is None
        else int(comp.get("SEQUENCE")),
        "dtstamp": day(comp.get("DTSTAMP")),
        "last_modified": day(comp.get("LAST-MODIFIED")),
        "dtstart": day(comp.get("DTSTART")),
        "dtend": day(comp.get("DTEND")),
        "due": day(comp.get("DUE")),
        "recurrence_id": day(comp.get("RECURRENCE-ID")),
        "rrule": None if rrule is None else rrule.to_ical().decode(),
        "organizer": text(comp.get("ORGANIZER")),
    }


def expand(cal, start, end):
    """Sorted [uid, date, summary] of the VEVENTs between start and end."""
    out = []
    for ev in recurring_ical_events.of(cal).between(start, end):
        out.append([str(ev["UID"]), ev["DTSTART"].dt.isoformat(),
                    str(ev["SUMMARY"])])
    return sorted(out)


def main(argv):
    if len(argv) not in (2, 4):
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], "rb") as f:
        data = f.read()
    try:
        cal = icalendar.Calendar.from_ical(data)
    except ValueError as e:
        print("ics_check.py: %s" % e, file=sys.stderr)
        return 1
    doc = {
        "calendar": {k.lower(): str(cal.get(k)) for k in
                     ("PRODID", "VERSION", "CALSCALE", "METHOD",
                      "X-WR-CALNAME", "X-WR-TIMEZONE", "REFRESH-INTERVAL",
                      "X-PUBLISHED-TTL") if cal.get(k) is not None},
        "components": [component(c) for c in cal.walk()
                       if c.name in ("VEVENT", "VTODO")],
        "errors": [str(e) for c in cal.walk() for e in c.errors],
    }
    if len(argv) == 4:
        start = datetime.date.fromisoformat(argv[2])
        end = datetime.date.fromisoformat(argv[3])
        doc["expanded"] = expand(cal, start, end)
    json.dump(doc, sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
