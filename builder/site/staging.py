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


def write_tree(root: Path, files: dict[str, Source], memory: Written | None = None) -> WriteStats:
    """Make root hold exactly files ({relative POSIX path: source}); `memory` keeps what
    was written across `serve` rebuilds."""
    if root.is_dir() and any(root.iterdir()) and not (root / MARKER).exists():
        raise NotOurs(f"'{root}' already holds files that Casebook did not write")
    root.mkdir(parents=True, exist_ok=True)
    if not (root / MARKER).exists():
        (root / MARKER).touch()
    written = unchanged = 0
    for rel, source in sorted(files.items()):
        target = root / rel
        if memory is not None and _still(target, source, memory):
            unchanged += 1
            continue
        data = _bytes(source)
        if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
            unchanged += 1
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            _atomic_write(target, data)
            written += 1
        if memory is not None:
            memory[target] = (source, _stat(target))
    removed = _prune(root, set(files) | {MARKER})
    return WriteStats(written, unchanged, removed)


Written = dict[Path, tuple[Source, "tuple[int, int] | None"]]  # target -> (what it last received, its stat then)


def _still(target: Path, source: Source, written: Written) -> bool:
    """Handed the very same text or bytes object again (`serve` keeps unchanged pages and
    PDFs), a file nobody touched since need not be read to compare."""
    kept = written.get(target)
    return kept is not None and kept[0] is source and not isinstance(source, Path) and kept[1] == _stat(target)


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


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
