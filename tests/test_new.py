"""`casebook new` writes commented starting files that pass validation as written."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import casebook, write


@pytest.mark.parametrize("kind, folder", [("case", "cases"), ("whitepaper", "whitepapers"), ("kit", "kits")])
def test_new_file_validates(project: Path, kind: str, folder: str) -> None:
    run = casebook("new", kind, "fresh-start", cwd=project)
    assert run.returncode == 0, run.output
    path = project / folder / "fresh-start.md"
    assert f"wrote {folder}/fresh-start.md" in run.stdout
    text = path.read_text("utf-8")
    assert text.startswith("---\n") and "# " in text  # commented for marketers
    check = casebook("validate", cwd=project)
    assert check.returncode == 0, check.output
    assert "0 errors, 0 warnings" in check.stdout


def test_new_case_is_a_draft_and_not_published(project: Path) -> None:
    assert casebook("new", "case", "fresh-start", cwd=project).returncode == 0
    run = casebook("build", "--no-pdf", cwd=project)
    assert run.returncode == 0, run.output
    assert not (project / "site/cases/fresh-start").exists()


def test_new_never_overwrites(project: Path) -> None:
    original = write(project, "cases/taken.md", "mine\n")
    run = casebook("new", "case", "taken", cwd=project)
    assert run.returncode == 1
    assert "cases/taken.md already exists" in run.stderr
    assert original.read_text() == "mine\n"


def test_new_refuses_a_bad_slug(project: Path) -> None:
    run = casebook("new", "case", "Big News!", cwd=project)
    assert run.returncode == 1 and "not a valid slug" in run.stderr
    assert not (project / "cases").exists()
