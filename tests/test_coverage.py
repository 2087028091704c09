"""The coverage report, checked against hand-counted fixtures."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from conftest import AS_OF, MINIMAL_CASE, casebook, write


def fixture(project: Path) -> None:
    # retail/smb/steady/decision-maker (the minimal case), twice, and one manufacturing enterprise case
    write(project, "cases/a.md", MINIMAL_CASE)
    write(project, "cases/b.md", MINIMAL_CASE.replace("roles: [decision-maker]", "roles: [decision-maker, administrator]"))
    write(project, "cases/c.md", MINIMAL_CASE.replace("industry: retail", "industry: manufacturing")
          .replace("size: smb", "size: enterprise").replace("stage: steady", "stage: cold-start"))
    write(project, "cases/hidden.md", MINIMAL_CASE.replace("status: approved", "status: draft")
          .replace("industry: retail", "industry: healthcare"))


def test_csv_counts_public_cases_and_marks_gaps_and_thin_cells(project: Path) -> None:
    fixture(project)
    run = casebook("report", "coverage", "--as-of", AS_OF, "--format", "csv", cwd=project)
    assert run.returncode == 0, run.output
    rows = {(r["facet"], r["industry"], r["segment"]): (int(r["public_cases"]), r["status"])
            for r in csv.DictReader(io.StringIO(run.stdout))}
    assert rows[("sizes", "retail", "smb")] == (2, "")
    assert rows[("sizes", "manufacturing", "enterprise")] == (1, "thin")
    assert rows[("sizes", "healthcare", "smb")] == (0, "gap")  # the draft does not count
    assert rows[("roles", "retail", "decision-maker")] == (2, "")
    assert rows[("roles", "retail", "administrator")] == (1, "thin")
    assert rows[("stages", "manufacturing", "cold-start")] == (1, "thin")
    assert len(rows) == 8 * 4 + 8 * 3 + 8 * 3


def test_text_table_and_html_heatmap(project: Path, tmp_path: Path) -> None:
    fixture(project)
    page = tmp_path / "coverage.html"
    run = casebook("report", "coverage", "--as-of", AS_OF, "--html", str(page), cwd=project)
    assert "Industry × company size" in run.stdout
    retail = next(line for line in run.stdout.splitlines() if line.startswith("Retail"))
    assert retail.split()[1:] == ["0", "gap", "2", "0", "gap", "0", "gap"]
    html = page.read_text("utf-8")
    assert html.count("<svg") == 3 and ">2<" in html and "0 gap" in html and "1 thin" in html


def test_build_writes_the_report_outside_the_site(project: Path) -> None:
    fixture(project)
    assert casebook("build", "--as-of", AS_OF, "--no-pdf", cwd=project).returncode == 0
    assert (project / ".casebook/reports/coverage.html").exists()
    assert not list((project / "site").rglob("coverage*"))


def test_heatmap_column_labels_are_printed_whole(project: Path, tmp_path: Path) -> None:
    page = tmp_path / "coverage.html"
    assert casebook("report", "coverage", "--as-of", AS_OF, "--html", str(page), cwd=project).returncode == 0
    labels = re.findall(r"<title>([^<]+)</title>((?:<tspan[^>]*>[^<]*</tspan>)+)", page.read_text("utf-8"))
    assert {title for title, _ in labels} >= {"Small and medium businesses", "Decision-makers", "Business users"}
    for title, spans in labels:
        assert " ".join(re.findall(r">([^<]*)</tspan>", spans)) == title
