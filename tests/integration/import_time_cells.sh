#!/bin/sh
# Every time cell of every test plan read exactly, flagged or unparsed,
# none read into a date its hand-worked expectation contradicts
# (bench/time_cells.py, tests/fixtures/time-cells.txt).
exec "${PYTHON:-/usr/bin/python3}" "$SRCDIR/bench/time_cells.py" "$SRCDIR"
