"""The approval lifecycle report and build warnings, checked against hand-set dates."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import MINIMAL_CASE, casebook, write

DAY = "2026-06-01"


def case(project: Path, slug: str, old: str, new: str) -> None:
    assert old in MINIMAL_CASE
    write(project, f"cases/{slug}.md", MINIMAL_CASE.replace(old, new))


def lifecycle(project: Path) -> None:
    approved = "  approved_on: 2025-04-01"
    case(project, "expiring", approved, approved + "\n  expires_on: 2026-06-11")      # in 10 days
    case(project, "expired", approved, approved + "\n  expires_on: 2026-05-01")       # 31 days ago
    case(project, "embargoed", "stage: steady", "stage: steady\npublish_on: 2026-06-06")  # lifts in 5 days
    case(project, "old", "date: 2025-05-01", "date: 2023-01-15")                      # older than 730 days
    case(project, "draft", "status: approved", "status: draft")
    case(project, "fine", "title:", "title:")


def test_report_lists_each_notice_under_its_category(project: Path) -> None:
    lifecycle(project)
    run = casebook("report", "freshness", "--as-of", DAY, cwd=project)
    assert run.returncode == 0, run.output
    out = run.stdout
    assert "Approval expires soon: 1\n  2026-06-11    +10 days  cases/expiring.md:19" in out
    assert "Approval expired, case still in the repository: 1\n  2026-05-01    -31 days  cases/expired.md:19" in out
    assert "Embargo lifts soon: 1\n  2026-06-06     +5 days  cases/embargoed.md:11" in out
    assert "Case is older than the freshness limit: 1\n  2023-01-15  -1233 days  cases/old.md:4" in out
    assert "Results not yet approved by the customer: 1\n  2025-05-01   -396 days  cases/draft.md:16" in out
    assert out.strip().endswith("5 notices")


def test_within_moves_the_horizon(project: Path) -> None:
    lifecycle(project)
    run = casebook("report", "freshness", "--as-of", DAY, "--within", "7", cwd=project)
    assert "Approval expires soon: 0" in run.stdout and "Embargo lifts soon: 1" in run.stdout


def test_build_and_validate_warn_and_github_format(project: Path) -> None:
    lifecycle(project)
    run = casebook("validate", "--as-of", DAY, cwd=project)
    assert run.returncode == 0
    assert "cases/expiring.md:19: warning: approval expires soon (2026-06-11, in 10 days)" in run.stdout
    assert "cases/expired.md:19: warning: approval expired, case still in the repository (2026-05-01, 31 days ago)" in run.stdout
    assert "cases/draft.md" not in run.stdout  # drafts are normal work in progress: the report lists them
    github = casebook("report", "freshness", "--as-of", DAY, "--format", "github", cwd=project)
    assert "::warning file=cases/embargoed.md,line=11::embargo lifts soon (2026-06-06, in 5 days)" in github.stdout


def test_bad_within(project: Path) -> None:
    run = casebook("report", "freshness", "--within", "0", cwd=project, env={**os.environ})
    assert run.returncode == 1 and "--within takes a number of days" in run.stderr
