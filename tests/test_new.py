"""`casebook new` writes commented starting files that pass validation as written."""

from __future__ import annotations

import json
import re
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


@pytest.mark.parametrize("kind, folder", [("case", "cases"), ("whitepaper", "whitepapers"), ("kit", "kits")])
def test_new_file_shows_every_field_of_its_kind(project: Path, kind: str, folder: str) -> None:
    """Every field the schema knows is in the starting file, set or commented, with a comment near it."""
    schema = json.loads(casebook("schema", kind, cwd=project).stdout)
    fields = [*schema["properties"], *(f for model in schema.get("$defs", {}).values() for f in model["properties"])]
    assert casebook("new", kind, "fresh-start", cwd=project).returncode == 0
    text = (project / folder / "fresh-start.md").read_text("utf-8")
    missing = [f for f in fields if not re.search(rf"^[ #]*(- )?{f}:", text, re.M)]
    assert missing == []
