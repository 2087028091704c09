"""The project's own code passes ruff, with the settings in pyproject.toml (as the
pre-commit hook runs it)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO


def test_ruff_finds_nothing() -> None:
    ruff = str(Path(sys.executable).with_name("ruff"))
    run = subprocess.run([ruff, "check", "builder", "tests", "bench"], cwd=REPO, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
