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

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "stress"))

import outbox_faults  # noqa: E402

ROWS = ["lease-renewed", "smtp-hang-rcpt", "smtp-hang-data", "smtp-hang-quit",
        "webhook-hang-all"]


def main():
    return outbox_faults.fm.run(outbox_faults.matrix,
                                outbox_faults.print_table, False, ROWS)


if __name__ == "__main__":
    sys.exit(main())
