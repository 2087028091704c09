"""The leak guard catches fragments: a distinctive part of a non-public value written into
any output is a leak, and neither the example site nor a 1,000-case synthetic site has a
false alarm."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import AS_OF, REPO, casebook

NOTE = ("Escalate to Dana Thistlewood (dana.thistlewood@lumora.example), deal OPP-48213 worth USD 2.4M, "
        "phone +44 20 7946 0958, renewal risk flagged by procurement in the last quarterly review")
PLANTED = {
    "e-mail address": "dana.thistlewood@lumora.example",
    "identifier": "opp-48213",
    "amount": "usd 2.4m",
    "number": "44 20 7946 0958",
    "name": "thistlewood",
    "phrase": "flagged by procurement in",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import copy_project

    root = copy_project(tmp_path_factory.mktemp("fragments") / "example")
    case = root / "cases/northwind-grocers-shelf-gaps.md"
    text = case.read_text("utf-8")
    case.write_text(text.replace("internal:\n", f'internal:\n  escalation: "{NOTE}"\n', 1), "utf-8")
    run = casebook("build", "--as-of", AS_OF, "--no-pdf", cwd=root)
    assert run.returncode == 0, run.output
    return root / "site"


def plant(site: Path, text: str) -> str:
    page = site / "about/index.html"
    original = page.read_text("utf-8")
    page.write_text(original.replace("</article>", f"<p>Contact: {text}</p></article>", 1), "utf-8")
    try:
        run = casebook("audit", str(site), "--as-of", AS_OF, cwd=site.parent)
    finally:
        page.write_text(original, "utf-8")
    assert run.returncode == 1, run.output
    return run.stdout


@pytest.mark.parametrize("kind", PLANTED)
def test_a_planted_fragment_of_an_internal_value_is_caught(site: Path, kind: str) -> None:
    shown = PLANTED[kind].upper() if kind == "identifier" else PLANTED[kind]
    out = plant(site, f"see {shown} for details")
    assert f"about/index.html: leaked {kind} '{PLANTED[kind]}' of internal value" in out
    assert "from cases/northwind-grocers-shelf-gaps.md" in out


def test_the_first_words_of_a_hidden_summary_are_caught(site: Path) -> None:
    out = plant(site, "A farmer-owned dairy cooperative used our tools.")
    assert "about/index.html: leaked phrase 'a farmer-owned dairy cooperative' of summary" in out
    assert "from cases/marlowe-ridge-dairy-demand-forecasting.md" in out


def test_the_example_site_has_no_false_alarm(example_site: Path) -> None:
    run = casebook("audit", str(example_site), "--as-of", AS_OF, cwd=example_site.parent)
    assert run.returncode == 0, run.stdout
    assert "0 leaks" in run.stdout


def test_a_synthetic_site_of_1000_cases_has_no_false_alarm(tmp_path: Path) -> None:
    root = tmp_path / "cb1000"
    subprocess.run([sys.executable, str(REPO / "bench/generate.py"), "1000", str(root)], check=True, capture_output=True)
    run = casebook("build", "--as-of", AS_OF, "--no-pdf", cwd=root, timeout=600)
    assert run.returncode == 0, run.output  # the build runs the guard on every file
    assert "built 900 public cases" in run.stdout
    run = casebook("audit", "site", "--as-of", AS_OF, cwd=root)
    assert run.returncode == 0 and "0 leaks" in run.stdout, run.stdout
