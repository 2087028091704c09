"""The performance report: analytics exports joined with the catalog, checked against
hand-computed figures, and malformed exports reported with file and line."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

from conftest import AS_OF, MINIMAL_CASE, REPO, casebook, copy_project, write

PAPER = """---
title: "Operations benchmark"
summary: "What a hundred operations teams do differently."
date: 2025-06-01
industries: [all]
roles: [administrator]
authors: [Ada Analyst]
status: published
---

## Findings

Teams that share one workflow win.
"""

GA4 = """# ----------------------------------------
# Pages and screens: Page path and screen class
# Start date: 20261001
# End date: 20261031

Page path and screen class,Views,Active users
/,500,400
/cases/a/,100,80
/cases/b/?utm_source=linkedin&utm_medium=social,40,30
/cases/b/,60,50
/cases/c/index.html,25,20
/industries/retail/,70,60
/cases/hidden/,9,9
/cases/old-name/,11,10
(not set),3,3

# Events: Event name, Link URL
Event name,Link URL,Event count
file_download,https://stories.lumora.example/downloads/cases/a.pdf,10
file_download,/downloads/cases/b.pdf,5
file_download,https://stories.lumora.example/downloads/casebooks/retail.pdf,7
click,https://example.org/,99
"""


def fixture(project: Path) -> None:
    # a and b: retail smb; b also for administrators; c: manufacturing enterprise; hidden: a draft
    write(project, "cases/a.md", MINIMAL_CASE)
    write(project, "cases/b.md", MINIMAL_CASE.replace("roles: [decision-maker]", "roles: [decision-maker, administrator]"))
    write(project, "cases/c.md", MINIMAL_CASE.replace("industry: retail", "industry: manufacturing")
          .replace("size: smb", "size: enterprise"))
    write(project, "cases/hidden.md", MINIMAL_CASE.replace("status: approved", "status: draft"))
    write(project, "whitepapers/benchmark.md", PAPER)


def report(project: Path, *files: Path, fmt: str = "csv") -> dict[tuple[str, str, str], dict[str, str]]:
    args = [arg for f in files for arg in ("--analytics", str(f))]
    run = casebook("report", "performance", "--as-of", AS_OF, "--format", fmt, *args, cwd=project)
    assert run.returncode == 0, run.output
    return {(r["section"], r["facet"], r["key"]): r for r in csv.DictReader(io.StringIO(run.stdout))}


def figures(row: dict[str, str]) -> tuple[int, int, int, str]:
    return int(row["items"]), int(row["views"]), int(row["downloads"]), row["download_rate"]


def test_ga4_export_joined_with_the_catalog(project: Path, tmp_path: Path) -> None:
    fixture(project)
    rows = report(project, write(tmp_path, "ga4.csv", GA4))
    # items: query strings and index.html fold into the page; a file's downloads go to its item
    assert figures(rows[("item", "case", "a")]) == (1, 100, 10, "0.1000")
    assert figures(rows[("item", "case", "b")]) == (1, 100, 5, "0.0500")
    assert figures(rows[("item", "case", "c")]) == (1, 25, 0, "0.0000")
    assert figures(rows[("item", "whitepaper", "benchmark")]) == (1, 0, 0, "")
    assert figures(rows[("item", "casebook", "retail")]) == (1, 0, 7, "")
    # segments: the case book's downloads count, but only items with a page make the rate
    assert figures(rows[("segment", "industries", "retail")]) == (3, 200, 22, "0.0750")
    assert figures(rows[("segment", "industries", "manufacturing")]) == (2, 25, 0, "0.0000")
    assert figures(rows[("segment", "industries", "*")]) == (1, 0, 0, "")  # the paper for all industries
    assert figures(rows[("segment", "roles", "decision-maker")]) == (3, 225, 15, "0.0667")
    assert figures(rows[("segment", "roles", "administrator")]) == (2, 100, 5, "0.0500")  # b and the paper
    assert figures(rows[("segment", "sizes", "smb")]) == (2, 200, 15, "0.0750")
    assert figures(rows[("segment", "kinds", "case")]) == (3, 225, 15, "0.0667")
    assert figures(rows[("segment", "kinds", "casebook")]) == (2, 0, 7, "")
    # nothing dropped silently: a draft's page, a renamed slug and GA4's "(not set)"
    unknown = {key: (int(r["views"]), r["label"]) for (section, _, key), r in rows.items() if section == "unknown"}
    assert unknown == {"/cases/hidden/": (9, f"not public on {AS_OF}"), "/cases/old-name/": (11, "no such page or file"),
                       "(not set)": (3, "not a page address")}
    assert not any(key == "hidden" for _, _, key in rows)


def test_text_report_lists_top_bottom_and_silent_items(project: Path, tmp_path: Path) -> None:
    fixture(project)
    page = tmp_path / "performance.html"
    run = casebook("report", "performance", "--as-of", AS_OF, "--analytics", str(write(tmp_path, "ga4.csv", GA4)),
                   "--html", str(page), cwd=project)
    assert run.returncode == 0, run.output
    out = run.stdout
    assert "225 page views and 22 downloads of 6 public items and case books; 570 views" in out
    retail = next(line for line in out.splitlines() if line.startswith("Retail"))
    assert retail.split()[1:] == ["3", "200", "22", "7.5%"]
    top = out.split("Top 5 items by views")[1].split("\n\n")[0].splitlines()[1:]
    assert [line.split()[6] for line in top] == ["a", "b", "c"]  # ties on views broken by downloads
    silent = out.split("No traffic (2)")[1].split("\n\n")[0]
    assert "benchmark" in silent and "casebook" in silent and "manufacturing" in silent
    html = page.read_text("utf-8")
    assert html.count("<svg") == 4 and "200 views" in html and "22 downloads (7.5%)" in html


def test_plausible_export_zip_and_several_files_add_up(project: Path, tmp_path: Path) -> None:
    fixture(project)
    export = tmp_path / "plausible.zip"
    with zipfile.ZipFile(export, "w") as archive:
        archive.writestr("visitors.csv", "date,visitors,pageviews\r\n2026-10-01,5,9\r\n")
        archive.writestr("pages.csv", "name,visitors,pageviews,bounce_rate,time_on_page\r\n"
                                      "/cases/a/,30,42,50,61\r\n/cases/c/,2,3,0,10\r\n")
        archive.writestr("custom_props.csv", "prop,name,unique_conversions,total_conversions\r\n"
                                             "url,https://stories.lumora.example/downloads/cases/a.pdf,3,4\r\n"
                                             "path,/cases/a/,9,9\r\n")
    rows = report(project, export)
    assert figures(rows[("item", "case", "a")]) == (1, 42, 4, "0.0952")
    assert figures(rows[("item", "case", "c")]) == (1, 3, 0, "0.0000")
    both = report(project, export, write(tmp_path, "ga4.csv", GA4))
    assert figures(both[("item", "case", "a")]) == (1, 142, 14, "0.0986")


def test_malformed_exports_get_located_errors_all_in_one_run(project: Path, tmp_path: Path) -> None:
    fixture(project)
    bad_counts = write(tmp_path, "counts.csv", "Page path,Views\n/cases/a/,12x\n/cases/b/,-5\n/cases/c/,7\n")
    short = write(tmp_path, "short.csv", "Event name,Link URL,Event count\nfile_download\n")
    latin1 = write(tmp_path, "latin1.csv", "Page path,Views\n/caf\xe9/,1\n".encode("latin-1"))
    other = write(tmp_path, "other.csv", "Country,Users\nFrance,3\n")
    empty = write(tmp_path, "empty.csv", "# nothing here\n")
    no_pages = tmp_path / "export.zip"
    with zipfile.ZipFile(no_pages, "w") as archive:
        archive.writestr("visitors.csv", "date,visitors\r\n")
    files = [bad_counts, short, latin1, other, empty, no_pages, tmp_path / "missing.csv"]
    run = casebook("report", "performance", "--as-of", AS_OF, *[a for f in files for a in ("--analytics", str(f))], cwd=project)
    assert run.returncode == 1
    assert "Traceback" not in run.output
    lines = run.stdout.splitlines()
    assert f"{bad_counts}:2: error: Views: '12x' is not a count" in run.stdout
    assert f"{bad_counts}:3: error: Views: '-5' is not a count" in run.stdout
    assert any(line.startswith(f"{short}:2: error: row has 1 columns") for line in lines)
    assert f"{latin1}:2: error: file is not UTF-8 text" in run.stdout
    assert any(line.startswith(f"{other}:1: error: no table with page views or downloads") and "Page path and screen class" in line
               for line in lines)
    assert f"{empty}:1: error: file is empty" in run.stdout
    assert f"{no_pages}:1: error: zip holds no pages.csv" in run.stdout
    assert f"{tmp_path / 'missing.csv'}:1: error: analytics file not found" in run.stdout
    assert "nothing reported" in run.stderr


def test_sample_exports_run_on_the_example_content(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "example")
    for sample in sorted((REPO / "examples/analytics").iterdir()):
        run = casebook("report", "performance", "--as-of", AS_OF, "--analytics", str(sample), cwd=project)
        assert run.returncode == 0, run.output
        assert "By industry" in run.stdout and "/cases/harbor-lane-store-tasks/  (no such page or file)" in run.stdout
        assert "/cases/ottoline-savings-bank-branch-queues/  (not public on" in run.stdout


def test_hostile_and_odd_exports(project: Path, tmp_path: Path) -> None:
    fixture(project)
    props = tmp_path / "props.csv"
    props.write_text("prop,name,unique_conversions,total_conversions\nurl,+cmd|' /C calc'!A0,1,2\n")
    semicolons = write(tmp_path, "excel.csv", "Page path;Views\n/cases/a/;7\n")
    rows = report(project, props, semicolons)
    assert figures(rows[("item", "case", "a")]) == (1, 7, 0, "0.0000")
    assert ("unknown", "path", "'+cmd|' /C calc'!A0") in rows  # the formula is text in any spreadsheet
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(damaged, "w") as archive:
        archive.writestr("pages.csv", "name,visitors,pageviews\n/cases/a/,1,2\n" * 50)
    data = bytearray(damaged.read_bytes())
    data[60:70] = b"XXXXXXXXXX"  # inside the compressed member: a CRC or inflate error
    damaged.write_bytes(bytes(data))
    superscript = write(tmp_path, "sup.csv", "Page path,Views\n/cases/a/,\u00b2\n/cases/b/," + "9" * 5000 + "\n")
    run = casebook("report", "performance", "--as-of", AS_OF, "--analytics", str(damaged), "--analytics", str(superscript),
                   cwd=project)
    assert run.returncode == 1 and "Traceback" not in run.output
    assert f"{damaged}:1: error: the zip is damaged" in run.stdout or f"{damaged}/pages.csv" in run.stdout
    assert f"{superscript}:2: error: Views: '\u00b2' is not a count" in run.stdout
    assert f"{superscript}:3: error: Views:" in run.stdout
    missing_dir = casebook("report", "performance", "--as-of", AS_OF, "--analytics", str(props),
                           "--html", str(tmp_path / "no/such/dir/x.html"), cwd=project)
    assert missing_dir.returncode == 1 and "--html: cannot write" in missing_dir.stderr and "Traceback" not in missing_dir.output


def test_file_urls_site_matches_index_html_paths(project: Path, tmp_path: Path) -> None:
    fixture(project)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("site_url: https://stories.lumora.example/",
                                                 "site_url: https://lumora.example/customers/\nuse_directory_urls: false"))
    export = write(tmp_path, "ga4.csv", "Page path,Views\n/customers/index.html,50\n/customers/,5\n/customers/cases/index.html,4\n"
                                        "/customers/cases/a.html,9\n")
    run = casebook("report", "performance", "--as-of", AS_OF, "--analytics", str(export), cwd=project)
    assert run.returncode == 0, run.output
    assert "59 views and 0 downloads on other site pages" in run.stdout and "Unknown or renamed paths (0)" in run.stdout
    assert re.search(r"\n\s+9 views .* a\s", run.stdout)


def test_visitors_own_pdfs_count_per_item_and_once_per_segment(project: Path, tmp_path: Path) -> None:
    """The case library's browser pack reports its download as customer-stories.pdf?cases=...:
    each case it held is credited, and a segment counts the pack once however many of its cases it held."""
    fixture(project)
    export = ("Event name,Link URL,Event count\n"
              'file_download,"https://stories.lumora.example/downloads/customer-stories.pdf?cases=a,c",3\n'
              'file_download,"https://stories.lumora.example/downloads/customer-stories.pdf?cases=a,b",2\n'
              "file_download,https://stories.lumora.example/downloads/customer-stories.pdf?cases=hidden,1\n")
    rows = report(project, write(tmp_path, "ga4.csv", export))
    packs = lambda *key: int(rows[key]["own_pdfs"])  # noqa: E731
    assert (packs("item", "case", "a"), packs("item", "case", "b"), packs("item", "case", "c")) == (5, 2, 3)
    assert figures(rows[("item", "case", "a")]) == (1, 0, 0, "")  # a pack is no download of the one-pager
    assert packs("segment", "industries", "retail") == 5 and packs("segment", "industries", "manufacturing") == 3
    assert packs("segment", "sizes", "smb") == 5 and packs("segment", "kinds", "case") == 5
    unknown = {key: r for (section, _, key), r in rows.items() if section == "unknown"}
    assert list(unknown) == ["/downloads/customer-stories.pdf?cases=hidden"]
    assert unknown["/downloads/customer-stories.pdf?cases=hidden"]["downloads"] == "1"
    run = casebook("report", "performance", "--as-of", AS_OF, "--analytics", str(tmp_path / "ga4.csv"), cwd=project)
    assert "6 visitors' own PDFs from the case library" in run.stdout
    assert re.search(r"Retail\s+\d+\s+\d+\s+\d+\s+\S+\s+5\n", run.stdout), run.stdout
