"""deadlinectl as the integration tests drive it: one configuration, --now.

A script finds its programs with programs(), writes a configuration with
write_config() (the state directory, the units and days off of the source
tree, the coordinator; more sections appended) and makes one Ctl for it.
ctl.run() gives the finished process whatever its exit status; must(),
ok() and json() stop the script (exit 1, the command and its stderr on
stderr) when deadlinectl fails, for the steps a later check builds on.
Every call is bounded through timing.scaled().

Not a test itself (tests/tools is not globbed).
"""
import json
import os
import subprocess
import sys

import timing


def source_dir():
    """The source tree: $SRCDIR, or the one this file stands in."""
    return os.environ.get("SRCDIR", os.path.dirname(os.path.dirname(
        os.path.dirname(os.path.abspath(__file__)))))


def deadlinectl():
    """$DEADLINECTL if it names an executable, else None (skip: 77)."""
    exe = os.environ.get("DEADLINECTL")
    if not exe or not os.access(exe, os.X_OK):
        print("DEADLINECTL not set or not executable: skipped")
        return None
    return exe


def write_config(path, state, src, coordinator="noivu", more=""):
    """Writes a configuration at path: state directory state, the source
    tree's units and days off, the plan's coordinator, then more."""
    with open(path, "w", encoding="utf-8") as f:
        f.write("[daemon]\nstate_dir = %s\n"
                "units_file = %s/config/units.ini\n"
                "[calendar]\ndays_off_file = %s/config/days-off.ini\n"
                "[plan]\ncoordinator = %s\n%s" % (state, src, src,
                                                   coordinator, more))
    return path


class Ctl:
    """deadlinectl -c CFG --now NOW ARGS..., bounded in time."""

    def __init__(self, exe, cfg, now, timeout=120):
        self.exe = exe
        self.cfg = cfg
        self.now = now
        self.timeout = timeout

    def run(self, *args, now=None):
        """The finished process, whatever its exit status."""
        cmd = [self.exe, "-c", self.cfg, "--now", now or self.now]
        return subprocess.run(cmd + list(args), capture_output=True,
                              text=True, timeout=timing.scaled(self.timeout))

    def must(self, *args, now=None):
        """The finished process; the script stops if it failed."""
        p = self.run(*args, now=now)
        if p.returncode != 0:
            print("command failed (%d): %s\n%s" % (
                p.returncode, " ".join(args), p.stderr), file=sys.stderr)
            sys.exit(1)
        return p

    def ok(self, *args, now=None):
        """The standard output of a command that must succeed."""
        return self.must(*args, now=now).stdout

    def json(self, *args, now=None):
        """The JSON output of a command that must succeed."""
        return json.loads(self.ok(*args, now=now))
