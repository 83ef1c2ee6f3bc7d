#!/usr/bin/python3
"""The short fault matrix under ctest (well under 90 s).

Imports tests/stress/fault_matrix.py and runs every row in its short form:
two digest days, four units a row, about twenty SIGKILLs over 48
messages.  tests/stress/fault_matrix.py --long is the full run recorded in
docs/RELIABILITY.md.
"""
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "stress"))

import fault_matrix  # noqa: E402


def main():
    why = fault_matrix.missing()
    if why:
        print("skip: " + why)
        return 77
    t0 = time.monotonic()
    rows = fault_matrix.matrix(False)
    fault_matrix.print_table(rows)
    good = sum(1 for r in rows if r.ok())
    print("%.0f s" % (time.monotonic() - t0))
    print("%d passed, %d failed" % (good, len(rows) - good))
    return 0 if good == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
