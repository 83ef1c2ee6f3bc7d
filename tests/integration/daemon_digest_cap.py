#!/usr/bin/python3
"""A digest has a size limit, and says how many more items are waiting.

Issue 16, item 8: 20,000 open items made a 19.7 MB email.  A digest lists
at most 500 items, the most urgent first, and at most 1 MiB once
rendered (the items listed halved until it fits); the text says how many
more there are.  Worked out by hand:

- Phòng A: 620 tasks due Mon 15/07/2024, told that day (due today):
  500 listed, "Ngoài ra còn 120 công việc khác"; 20 of them were due
  Fri 12/07 (1 working day late) and come first, in the overdue section;
- Phòng B: 300 tasks due that day, each with a 3,000-character title:
  listed 300 / 2^k items for the smallest k that fits in 1 MiB (k >= 1:
  300 such items are some 2 MB), the rest said as more, the whole message
  at most 1 MiB.
"""
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.environ.get("SRCDIR", "."), "tests",
                                "tools"))
from daemon_env import Checks, Env, missing  # noqa: E402

check = Checks()

UNITS_INI = """\
[unit a]
name = Phòng A
email = a@example.gov.vn

[unit b]
name = Phòng B
email = b@example.gov.vn

[unit coord]
name = Phòng Nội vụ
email = noivu@example.gov.vn
"""

LONG = ("Rà soát, cập nhật và công khai thủ tục hành chính thuộc thẩm "
        "quyền giải quyết của đơn vị. ")


def plan_csv():
    rows = ["STT,Nội dung,Cơ quan thực hiện,Thời gian thực hiện"]
    n = 0
    for i in range(20):
        n += 1
        rows.append("%d,Việc trễ %d,Phòng A,12/07/2024" % (n, i + 1))
    for i in range(600):
        n += 1
        rows.append("%d,Việc số %d,Phòng A,15/07/2024" % (n, i + 1))
    title = (LONG * 40)[:3000].strip()
    for i in range(300):
        n += 1
        rows.append('%d,"%s %d",Phòng B,15/07/2024' % (n, title, i + 1))
    return "\n".join(rows) + "\n"


def body_of(msg):
    return msg.get_body(("plain",)).get_content()


def listed(body):
    return re.findall(r"^\d+\. (.*)$", body, re.M)


def more_of(body):
    m = re.search(r"Ngoài ra còn (\d+) công việc khác", " ".join(
        body.split()))
    return int(m.group(1)) if m else 0


def main():
    if missing():
        print("skip: %s not set" % missing())
        return 77
    tmp = tempfile.mkdtemp(prefix="deadlined-cap-")
    try:
        env = Env(tmp, UNITS_INI, check, {"plan.csv": plan_csv()})
        env.ctl(None, "init")
        env.ctl("2024-07-01", "import", os.path.join(tmp, "plan.csv"),
                "--plan", "kh-lon")
        # A sends nothing on 12/07 (lead 7 3 1 0 told earlier days): the
        # first pass is on the due day.
        env.run_pass("2024-07-15T08:30")
        a = "digest/a/2024-07-15/spool/a@example.gov.vn"
        b = "digest/b/2024-07-15/spool/b@example.gov.vn"
        rows = {r["key"]: r for r in env.outbox()}
        check(rows.get(a, {}).get("state") == "sent", "A: %s" % rows.get(a))
        check(rows.get(b, {}).get("state") == "sent", "B: %s" % rows.get(b))
        msg = env.message(a)
        if msg is not None:
            body = body_of(msg)
            heads = listed(body)
            check(len(heads) == 500, "A lists %d, expected 500" % len(heads))
            check(more_of(body) == 120, "A says %d more, expected 120" %
                  more_of(body))
            late = [h for h in heads[:20] if "Việc trễ" in h]
            check(len(late) == 20, "the 20 late ones come first: %s" %
                  heads[:3])
        else:
            check(False, "no digest for A")
        path = os.path.join(env.spool, "digest_b_2024-07-15_spool_"
                            "b@example.gov.vn.eml")
        msg = env.message(b)
        if msg is not None:
            size = os.path.getsize(path)
            body = body_of(msg)
            n, more = len(listed(body)), more_of(body)
            check(size <= 1024 * 1024, "B's digest is %d bytes" % size)
            check(n + more == 300, "B lists %d and says %d more, of 300" %
                  (n, more))
            check(n in (150, 75, 37, 18, 9, 4, 2, 1), "B lists %d, not "
                  "300 halved" % n)
            check(n < 500 and more > 0, "B is capped by size: %d, %d more" %
                  (n, more))
        else:
            check(False, "no digest for B")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
