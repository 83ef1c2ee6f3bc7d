// icaljs_expand: the dates of the events of .ics files, as ical.js (the
// parser of Thunderbird and many web calendars) reads them.
//
// Usage: node icaljs_expand.mjs ICALJS FROM TO FILE...
//   ICALJS: the ical.js module file (node_modules/ical.js/dist/ical.js)
//   FROM, TO: YYYY-MM-DD, TO excluded
//
// Prints one line "FILE<TAB>YYYY-MM-DD<TAB>SUMMARY" per occurrence of every
// VEVENT starting in [FROM, TO), in the way a client shows them: an event
// with its exceptions (VEVENTs with a RECURRENCE-ID) related to it, each
// occurrence at the date and with the summary its exception gives.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [, , modulePath, fromText, toText, ...files] = process.argv;
const ICAL = (await import(pathToFileURL(modulePath).href)).default;
const from = ICAL.Time.fromDateString(fromText);
const to = ICAL.Time.fromDateString(toText);
const MAX_INSTANCES = 100000;

// The ISO date of an ICAL.Time.
function day(t) {
	const pad = (n, w) => String(n).padStart(w, "0");
	return `${pad(t.year, 4)}-${pad(t.month, 2)}-${pad(t.day, 2)}`;
}

// Prints an occurrence that starts inside [from, to).
function print(file, start, summary) {
	if (start.compare(from) >= 0 && start.compare(to) < 0)
		process.stdout.write(`${file}\t${day(start)}\t${summary ?? ""}\n`);
}

for (const file of files) {
	const root = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));
	const masters = new Map();
	const exceptions = [];
	for (const c of root.getAllSubcomponents("vevent")) {
		const ev = new ICAL.Event(c);
		if (ev.isRecurrenceException())
			exceptions.push(ev);
		else
			masters.set(ev.uid, ev);
	}
	for (const ex of exceptions) {
		const master = masters.get(ex.uid);
		if (master === undefined)
			throw new Error(`${file}: exception without its event`);
		master.relateException(ex);
	}
	for (const ev of masters.values()) {
		if (!ev.isRecurring()) {
			print(file, ev.startDate, ev.summary);
			continue;
		}
		const it = ev.iterator();
		let next, n = 0;
		while ((next = it.next()) && next.compare(to) < 0) {
			if (++n > MAX_INSTANCES)
				throw new Error(`${file}: ${ev.uid}: endless`);
			const d = ev.getOccurrenceDetails(next);
			print(file, d.startDate, d.item.summary);
		}
	}
}
