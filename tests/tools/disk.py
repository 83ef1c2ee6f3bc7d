"""A full file system for the tests of ENOSPC: a tmpfs (root only), filled.

Not a test itself (tests/tools is not globbed).
"""
import os
import subprocess


def mount_tmpfs(path, size):
    """Makes path and mounts a tmpfs of size there; None, or why not."""
    os.mkdir(path)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=" + size,
                        "tmpfs", path], capture_output=True, text=True)
    return None if r.returncode == 0 else (r.stderr.strip() or "refused")


def fill(path):
    """Fills the file system of path with one file (to the last 512
    bytes); returns its name."""
    filler = os.path.join(path, "filler")
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    for chunk in (65536, 512):
        try:
            while True:
                os.write(fd, b"\0" * chunk)
        except OSError:
            pass
    os.close(fd)
    return filler
