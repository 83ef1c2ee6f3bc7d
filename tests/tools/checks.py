"""The count of an integration test's checks, shared by every script.

A script makes one Checks (check = Checks()), calls check(cond, what) for
each thing it verifies and ends with `return check.summary()`: a failed
check prints "FAIL: what" at once (on stdout, or the stream given), the
summary prints "N passed, M failed" and gives the exit status, 1 when any
check failed, else 0.  A script that cannot run returns 77 itself, before
or instead of the summary.

Not a test itself (tests/tools is not globbed).
"""


class Checks:
    """Counts checks; prints each failure and the closing line."""

    def __init__(self, stream=None):
        self.passed = 0
        self.failed = 0
        self.stream = stream

    def __call__(self, cond, what):
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL: " + what, file=self.stream)

    def summary(self):
        print("%d passed, %d failed" % (self.passed, self.failed))
        return 1 if self.failed else 0
