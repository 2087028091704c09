"""The build cache folder (.casebook/cache): entries named by the digest of what made them,
so a hit is always right; written atomically, since render workers and parallel CI jobs
may race; and dropped once no build has used them for CACHE_DAYS."""

from __future__ import annotations

import os
from datetime import datetime
from importlib import metadata
from pathlib import Path

CACHE_DAYS = 30


def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
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
        age = now - path.stat().st_mtime
        if key in used:
            if age > 86400:  # a day's precision is plenty, and `serve` (which watches the cache) sees no churn
                os.utime(path)
        elif age > CACHE_DAYS * 86400:
            path.unlink(missing_ok=True)


def versions(*packages: str) -> str:
    """The installed versions of libraries that shape cached results: an upgrade misses."""
    return ", ".join(f"{name} {metadata.version(name)}" for name in packages)
