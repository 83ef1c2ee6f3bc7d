#!/usr/bin/python3
"""What the planning pass records, and what the dispatcher makes of it.

230 tasks of Phòng A, all due Monday 01/07/2024, first planned on
Wednesday 10/07 (7 working days late: overdue step 3, escalated):
- Phòng A's digest lists all 230; the escalation digest to the
  coordinator (also A's parent: one digest) lists 200 and says 30 more;
- a second pass the same day plans nothing;
- a digest planned but not yet rendered (as after a crash between the
  planning and the first send) is rendered at send time without the items
  done in between, under the same key and Message-ID;
- a planned digest whose items are all done by then is settled as dead
  with that reason, never sent empty;
- a done occurrence is not told again on the next day.
The counts and dates here were worked out by hand from the calendar.
"""
import json
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.environ.get("SRCDIR", "."), "tests",
                                "tools"))
from daemon_env import Checks, Env, missing, spool_name  # noqa: E402

N = 230
check = Checks()

UNITS_INI = """\
[unit a]
name = Phòng A
email = a@example.gov.vn
parent = coord

[unit coord]
name = Phòng Nội vụ
email = noivu@example.gov.vn
"""


def plan_csv(title, n, due):
    rows = ["STT,Nội dung,Cơ quan thực hiện,Thời gian thực hiện"]
    rows += ["%d,%s %d,Phòng A,%s" % (i, title, i, due)
             for i in range(1, n + 1)]
    return "\n".join(rows) + "\n"


def items(msg):
    """The numbered item headings of a plain text digest."""
    body = msg.get_body(("plain",)).get_content()
    return re.findall(r"^\d+\. (.*)$", body, re.M), body


DIGEST = "digest/a/2024-07-10/spool/a@example.gov.vn"
ESCAL = "escalation/coord/2024-07-10/spool/noivu@example.gov.vn"


def unrender(env, key):
    """The row as planned and not yet sent, its spool file gone."""
    env.sql("UPDATE outbox SET body = '', subject = NULL, state = "
            "'pending', next_attempt = 0, lease_until = NULL WHERE key = ?",
            (key,))
    os.unlink(os.path.join(env.spool, spool_name(key)))


def main():
    if missing():
        print("skip: %s not set" % missing())
        return 77
    tmp = tempfile.mkdtemp(prefix="deadlined-plan-")
    try:
        env = Env(tmp, UNITS_INI, check, {
            "plan.csv": plan_csv("Việc số", N, "01/07/2024"),
            "plan2.csv": plan_csv("Việc mới", 300, "12/07/2024")})
        env.ctl(None, "init")
        env.ctl("2024-06-20", "import", os.path.join(tmp, "plan.csv"),
                "--plan", "kh-plan")

        # First pass: every item, once, and the capped escalation.
        env.run_pass("2024-07-10T08:30")
        rows = {r["key"]: r for r in env.outbox()}
        check(sorted(rows) == sorted([DIGEST, ESCAL]),
              "first pass: messages %s" % sorted(rows))
        for key in (DIGEST, ESCAL):
            r = rows.get(key)
            check(r is not None and r["state"] == "sent",
                  "%s: sent (%s)" % (key, r))
            spec = env.sql("SELECT spec FROM outbox WHERE key = ?", (key,))
            check(spec and spec[0][0].startswith("deadlined-plan 1\n"),
                  "%s: planned as an item list" % key)
        msg = env.message(DIGEST)
        check(msg is not None, "digest spooled")
        first_id = msg["Message-ID"] if msg else None
        heads, body = items(msg)
        check(len(heads) == N, "digest lists %d items, expected %d" % (
            len(heads), N))
        check("CÔNG VIỆC ĐÃ QUÁ HẠN (%d)" % N in body,
              "all %d in the overdue section" % N)
        check(body.count("Đã quá hạn 7 ngày làm việc") == N,
              "each 7 working days late")
        check(rows[DIGEST]["subject"].startswith("[deadlined]"),
              "outbox shows the rendered subject: %r" % rows[DIGEST]["subject"])
        esc = env.message(ESCAL)
        eheads, ebody = items(esc)
        check(len(eheads) == 200, "escalation lists %d, expected 200" %
              len(eheads))
        flat = " ".join(ebody.split())
        check("Ngoài ra còn 30 công việc khác" in flat,
              "escalation says 30 more")

        # Same day again: nothing new.
        env.run_pass("2024-07-10T09:00")
        check(len(env.outbox()) == 2, "second pass the same day planned "
              "nothing")

        # Planned, not yet rendered; one item done in between.
        unrender(env, DIGEST)
        agenda = json.loads(env.ctl("2024-07-10", "agenda", "--all",
                                    "--format", "json"))
        first = [a["id"] for a in agenda if a["ref"] == "1"]
        check(len(first) == 1, "occurrence of row 1: %s" % first)
        env.ctl("2024-07-10T09:10", "done", str(first[0]))
        env.run_pass("2024-07-10T09:30")
        rows = {r["key"]: r for r in env.outbox()}
        check(len(rows) == 2 and rows[DIGEST]["state"] == "sent",
              "re-rendered under the same key: %s" % rows.get(DIGEST))
        msg = env.message(DIGEST)
        check(msg is not None, "digest spooled again")
        if msg is not None:
            heads, body = items(msg)
            check(len(heads) == N - 1, "%d items after one done, expected "
                  "%d" % (len(heads), N - 1))
            check(not any(h.endswith("Việc số 1") for h in heads),
                  "the done item is left out")
            check(msg["Message-ID"] == first_id, "same Message-ID %s, "
                  "was %s" % (msg["Message-ID"], first_id))

        # Everything done before the first send: dead, not empty.
        unrender(env, DIGEST)
        env.sql("UPDATE occurrences SET status = 'done', done_on = "
                "'2024-07-10' WHERE status = 'open'")
        env.run_pass("2024-07-10T10:00")
        r = {r["key"]: r for r in env.outbox()}[DIGEST]
        check(r["state"] == "dead" and "nothing left" in (
            r["last_error"] or ""), "all done: %s" % r)
        check(env.message(DIGEST) is None, "no empty digest spooled")

        # Nothing open: the next working day says nothing.
        env.run_pass("2024-07-11T08:30")
        check(len(env.outbox()) == 2, "nothing after done")

        # A plan imported after that pass is news: its 300 tasks due the
        # next working day (written 256 to a statement) are said at the
        # next pass the same day, each once.
        env.ctl("2024-07-11T09:00", "import", os.path.join(tmp, "plan2.csv"),
                "--plan", "kh-moi")
        env.run_pass("2024-07-11T09:30")
        key = "digest/a/2024-07-11/spool/a@example.gov.vn"
        rows = {r["key"]: r for r in env.outbox()}
        check(sorted(rows) == sorted([DIGEST, ESCAL, key]),
              "after the import: messages %s" % sorted(rows))
        msg = env.message(key)
        if msg is not None:
            heads, body = items(msg)
            check(len(heads) == 300, "%d new items, expected 300" %
                  len(heads))
            check(body.count("Còn 1 ngày làm việc") == 300,
                  "each due in 1 working day")
        else:
            check(False, "no digest of the imported plan")
        env.run_pass("2024-07-11T10:00")
        check(len(env.outbox()) == 3, "said once")
        check(env.sql("PRAGMA integrity_check")[0][0] == "ok",
              "integrity_check")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
