"""The staging docs tree: written so that unchanged files keep their bytes and mtime.

`mkdocs serve` (and `--dirty` builds) then see only what really changed, and a
file the pipeline no longer produces (a case that lost approval) is removed.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

Source = str | bytes | Path  # text, bytes, or a file to copy
MARKER = ".casebook-staging"  # a folder without it is not ours to empty


class NotOurs(Exception):
    """The target folder holds files Casebook did not write."""


@dataclass(frozen=True)
class WriteStats:
    written: int
    unchanged: int
    removed: int


def _bytes(source: Source) -> bytes:
    if isinstance(source, Path):
        return source.read_bytes()
    return source.encode("utf-8") if isinstance(source, str) else source


def write_tree(root: Path, files: dict[str, Source]) -> WriteStats:
    """Make root hold exactly files ({relative POSIX path: source})."""
    if root.is_dir() and any(root.iterdir()) and not (root / MARKER).exists():
        raise NotOurs(f"'{root}' already holds files that Casebook did not write")
    root.mkdir(parents=True, exist_ok=True)
    if not (root / MARKER).exists():
        (root / MARKER).touch()
    written = unchanged = 0
    for rel, source in sorted(files.items()):
        target = root / rel
        data = _bytes(source)
        if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
            unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        _atomic_write(target, data)
        written += 1
    removed = _prune(root, set(files) | {MARKER})
    return WriteStats(written, unchanged, removed)


def _atomic_write(target: Path, data: bytes) -> None:
    handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _prune(root: Path, keep: set[str]) -> int:
    removed = 0
    for dirpath, dirnames, filenames in os.walk(root, topdown=False):
        for name in filenames:
            path = Path(dirpath, name)
            if path.relative_to(root).as_posix() not in keep:
                path.unlink()
                removed += 1
        if dirpath != str(root) and not os.listdir(dirpath):
            os.rmdir(dirpath)
    return removed
