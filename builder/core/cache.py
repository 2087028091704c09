"""The build cache folder (.casebook/cache): entries named by the digest of what made them,
so a hit is always right; written atomically, since render workers and parallel CI jobs
may race; never trusted blindly (each entry's digest is recorded beside it when written,
and an entry that no longer matches is a miss); and dropped once no build has used them
for CACHE_DAYS."""

from __future__ import annotations

import functools
import hashlib
import os
import threading
from datetime import datetime
from importlib import metadata
from pathlib import Path

CACHE_DAYS = 30


def user_cache() -> Path:
    """Caches that serve every project of this user (downloads, fonts made from the same
    bytes): $XDG_CACHE_HOME/casebook, or ~/.cache/casebook."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "casebook"


def write(path: Path, data: bytes) -> None:
    """Store an entry and, beside it, the digest it is read back against."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _replace(path, data)
    _replace(_digest_file(path), hashlib.sha256(data).hexdigest().encode("ascii"))


def read(path: Path) -> bytes | None:
    """An entry's bytes, or None when it is missing, unreadable, or not what was written
    (truncated, replaced, swapped with another): the caller makes it again."""
    try:
        data = path.read_bytes()
        recorded = _digest_file(path).read_bytes()
    except OSError:
        return None
    return data if hashlib.sha256(data).hexdigest().encode("ascii") == recorded else None


def _digest_file(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def _replace(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def prune(folder: Path, used: set[str]) -> None:
    """Mark this run's entries (by key, the name up to the first dot) as used, and drop
    those unused for CACHE_DAYS: other branches' entries survive that long, so switching
    back stays incremental."""
    if not folder.is_dir():
        return
    now = datetime.now().timestamp()
    for path in folder.iterdir():
        key = path.name.split(".", 1)[0]
        try:
            age = now - path.stat().st_mtime
        except FileNotFoundError:  # a writer's temporary file, just renamed
            continue
        if key in used:
            if age > 86400:  # a day's precision is plenty, and `serve` (which watches the cache) sees no churn
                os.utime(path)
        elif age > CACHE_DAYS * 86400:
            path.unlink(missing_ok=True)


def versions(*packages: str) -> str:
    """The installed versions of libraries that shape cached results: an upgrade misses."""
    return ", ".join(f"{name} {_version(name)}" for name in packages)


@functools.lru_cache(maxsize=None)
def _version(package: str) -> str:
    """Read once per process: the package metadata is a file lookup each time, and every
    `serve` rebuild asks (packages are not upgraded under a running process)."""
    return metadata.version(package)
