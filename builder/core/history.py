"""A file's earlier versions from git, newest first: what a proof compares against.
Without git, or outside a repository, there is no history, and no error: the caller
still has the file as it is."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

MAX_VERSIONS = 200  # an approval further back than this many commits of one file is not searched


@dataclass(frozen=True)
class Version:
    commit: str
    day: str  # the commit's date, YYYY-MM-DD
    raw: bytes


def versions(root: Path, rel: str) -> Iterator[Version]:
    """The committed versions of root/rel, newest first (renames not followed)."""
    log = _git(root, "log", f"--max-count={MAX_VERSIONS}", "--format=%H %cs", "--", rel)
    for line in (log or b"").decode().split("\n"):
        if line.strip():
            commit, day = line.split()
            raw = _git(root, "show", f"{commit}:./{rel}")  # ./: relative to the project, inside the repository
            if raw is not None:
                yield Version(commit, day, raw)


def _git(root: Path, *args: str) -> bytes | None:
    try:
        run = subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return run.stdout if run.returncode == 0 else None
