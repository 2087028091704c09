"""The leak guard scans every output (pages, PDFs, zips, JSON, XML) for non-public content."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import AS_OF, casebook, tree_bytes


def test_example_site_passes_the_audit(example_site: Path) -> None:
    project = example_site.parent
    run = casebook("audit", str(example_site), "--as-of", AS_OF, cwd=project)
    assert run.returncode == 0, run.output
    assert ": 0 leaks" in run.stdout


def test_a_template_that_prints_internal_fails_the_build(example: Path) -> None:
    assert casebook("build", "--as-of", AS_OF, cwd=example).returncode == 0
    before = tree_bytes(example / "site")
    template = example / "site_templates/pages/case.md.j2"
    template.write_text(template.read_text().replace("<h1>{{ m.title }}</h1>", "<h1>{{ m.title }}</h1>\n<p>{{ m.internal }}</p>"))
    run = casebook("build", "--as-of", AS_OF, cwd=example)
    assert run.returncode == 1
    assert "cases/northwind-grocers-shelf-gaps/index.html: leaked internal value" in run.stderr
    assert "from cases/northwind-grocers-shelf-gaps.md" in run.stderr
    assert tree_bytes(example / "site") == before


def test_a_pdf_template_that_prints_a_hidden_case_fails_the_build(example: Path) -> None:
    lib = example / "site_templates/pdf/casebook.typ"
    lib.write_text(lib.read_text() + '\n#text("Zephyrine Rail Freight")\n')
    run = casebook("build", "--as-of", AS_OF, cwd=example)
    assert run.returncode == 1
    assert "downloads/casebooks/" in run.stderr and "leaked customer name 'Zephyrine Rail Freight'" in run.stderr
    assert not (example / "site").exists()


def test_a_stale_page_left_in_the_site_is_caught(example: Path) -> None:
    assert casebook("build", "--as-of", "2031-03-02", cwd=example).returncode == 0  # the embargo has lifted
    stale = example / "site/cases/zephyrine-rail-freight-yard-automation"
    kept = example.parent / "kept"
    shutil.copytree(stale, kept)
    assert casebook("build", "--as-of", AS_OF, cwd=example).returncode == 0  # embargoed again: the page is gone
    shutil.copytree(kept, stale)  # someone copies an old page back by hand
    run = casebook("audit", "site", "--as-of", AS_OF, cwd=example)
    assert run.returncode == 1
    assert "cases/zephyrine-rail-freight-yard-automation/index.html: leaked customer name 'Zephyrine Rail Freight'" in run.stdout
