#!/usr/bin/python3
"""The service under the store and signal faults of issue 16, short form.

Runs these rows of tests/stress/outbox_faults.py (see there): the
database on a full tmpfs in a pass, with SMTP and with the spool (root
only, skipped otherwise), a 2 s exclusive lock in a batch, a second daemon
and a --once beside a running one, SIGTERM and SIGHUP in a slow batch.
Each asserts one delivery per recipient, the time to stop and the log
written.  tests/stress/outbox_faults.py --long runs them larger.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "stress"))

import outbox_faults  # noqa: E402

ROWS = ["db-full", "db-full-spool", "lock-mid-batch", "second-daemon",
        "sigterm-slow", "sighup-slow"]


def main():
    return outbox_faults.fm.run(outbox_faults.matrix,
                                outbox_faults.print_table, False, ROWS)


if __name__ == "__main__":
    sys.exit(main())
