"""One build at a time per project: two builds, or a build and a `serve` rebuild, would
share the staging tree and the cache. A second one waits, saying so, and gives up with a
clear message if the first never ends."""

from __future__ import annotations

import fcntl
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

WAIT_SECONDS = 600


class Busy(Exception):
    """Another build kept the project for longer than we wait."""


@contextmanager
def build_lock(cache_dir: Path, wait: float = WAIT_SECONDS) -> Iterator[None]:
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / "build.lock"
    with open(path, "a+") as handle:
        _acquire(handle, path, wait)
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(str(os.getpid()))
            handle.flush()
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _acquire(handle, path: Path, wait: float) -> None:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        pass
    handle.seek(0)
    holder = handle.read().strip() or "?"
    print(f"waiting for another Casebook build in this project to finish (process {holder})", file=sys.stderr)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        time.sleep(0.2)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            continue
    raise Busy(f"another Casebook build (process {holder}) has held {path} for {wait:.0f} s; "
               "stop it, or wait for it to finish")
