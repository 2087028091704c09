"""Shared fixtures: throwaway projects built from the repository's own files, and
the real `casebook` command run as a user runs it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-23"
CASEBOOK = str(Path(sys.executable).with_name("casebook"))
NPM_MODULES = REPO / ".cache/npm/node_modules"  # the checkers `make test-npm` installs

MINIMAL_CASE = """---
title: "How Acme Widgets halved returns"
summary: "Acme Widgets cut product returns in half with one shared workflow."
date: 2025-05-01
customer:
  name: Acme Widgets
  industry: retail
  size: smb
roles: [decision-maker]
stage: steady
products: [Lumora Flow]
results:
  - metric: Product returns
    value: "-50%"
approval:
  status: approved
  approved_by: Jo Doe (Acme Widgets)
  approved_on: 2025-04-01
---

## Challenge

Returns were high.

## Solution

One workflow.

## Results

Half the returns.
"""


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def casebook(*args: str, cwd: Path, env: dict[str, str] | None = None, timeout: int = 300) -> Run:
    done = subprocess.run([CASEBOOK, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
    return Run(done.returncode, done.stdout, done.stderr)


def copy_project(target: Path, content: bool = True) -> Path:
    """A project like the repository: config, templates, docs and (optionally) the example content."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", target / "mkdocs.yml")
    for folder in ("site_templates", "docs", *(("cases", "whitepapers", "kits") if content else ())):
        shutil.copytree(REPO / folder, target / folder)
    return target


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """An empty project (no content) with the repository's config and templates."""
    return copy_project(tmp_path / "project", content=False)


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A private copy of the example project, free to edit and build."""
    return copy_project(tmp_path / "example")


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site, built once with the real command."""
    root = copy_project(tmp_path_factory.mktemp("built") / "example")
    run = casebook("build", "--as-of", AS_OF, cwd=root)
    assert run.returncode == 0, run.output
    return root / "site"


def npm_tool(rel: str) -> Path:
    """A file of an npm checker; a missing one is a setup error, not a reason to skip."""
    path = NPM_MODULES / rel
    assert path.is_file(), f"{path} is missing: run `make test-npm` (make test does)"
    return path


def write(root: Path, rel: str, text: str | bytes) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
