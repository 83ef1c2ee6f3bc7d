#!/usr/bin/python3
"""Delivery against servers that stop answering (issue 16), short form.

Runs these rows of tests/stress/outbox_faults.py (see there): an SMTP
server hanging at RCPT, in the middle of DATA and at QUIT, every webhook
of a host hanging (one timeout a pass, not one a message, attempts
counted only for the one tried), and a batch three leases long.
Each asserts deliveries per recipient, the time of the pass and the log
written.  tests/stress/outbox_faults.py --long runs them larger.
"""
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "stress"))

import outbox_faults  # noqa: E402

ROWS = ["lease-renewed", "smtp-hang-rcpt", "smtp-hang-data", "smtp-hang-quit",
        "webhook-hang-all"]


def main():
    why = outbox_faults.fm.missing()
    if why:
        print("skip: " + why)
        return 77
    t0 = time.monotonic()
    rows = outbox_faults.matrix(False, ROWS)
    outbox_faults.print_table(rows)
    good = sum(1 for r in rows if r.ok())
    print("%.0f s" % (time.monotonic() - t0))
    print("%d passed, %d failed" % (good, len(rows) - good))
    return 0 if good == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
