#!/usr/bin/python3
"""The short fault matrix under ctest (well under 90 s).

Imports tests/stress/fault_matrix.py and runs every row in its short form:
two digest days, four units a row, about twenty SIGKILLs over 48
messages.  tests/stress/fault_matrix.py --long is the full run recorded in
docs/RELIABILITY.md.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "stress"))

import fault_matrix  # noqa: E402


def main():
    return fault_matrix.run(fault_matrix.matrix, fault_matrix.print_table,
                            False)


if __name__ == "__main__":
    sys.exit(main())
