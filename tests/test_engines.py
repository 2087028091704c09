"""Both site engines, MkDocs and ProperDocs, build the example to the same site: the same
files, and the same text and links on every page. The engine is chosen in mkdocs.yml or for
one run with --engine; `casebook compare` is the check a team runs before switching."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import AS_OF, casebook
from test_serve import serving, wait_for

GENERATOR = re.compile(r'<meta name="generator" content="([^"]+)"')


def generator(site: Path) -> str:
    return GENERATOR.search((site / "index.html").read_text("utf-8")).group(1)


def choose_engine(project: Path, name: str) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text("utf-8")
    assert "\n  - casebook:\n" in text
    config.write_text(text.replace("\n  - casebook:\n", f"\n  - casebook:\n      engine: {name}\n", 1), "utf-8")


@pytest.fixture(scope="module")
def properdocs_site(example_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example built by ProperDocs, from the same project (its collateral cache is warm)."""
    site = tmp_path_factory.mktemp("properdocs") / "site"
    run = casebook("build", "--as-of", AS_OF, "--engine", "properdocs", "--site-dir", str(site), cwd=example_site.parent)
    assert run.returncode == 0, run.output
    return site


def test_both_engines_build_the_example_to_the_same_pages(example_site: Path, properdocs_site: Path) -> None:
    assert generator(example_site).startswith("mkdocs-1.")
    assert generator(properdocs_site).startswith("mkdocs-ProperDocs 1.")
    assert (properdocs_site / "downloads/cases/northwind-grocers-shelf-gaps.pdf").is_file()
    run = casebook("compare", str(example_site), str(properdocs_site), cwd=example_site.parent)
    assert run.returncode == 0, run.output
    pages = sum(1 for _ in example_site.rglob("*.html"))
    assert pages > 60
    assert re.search(rf"compared {sum(1 for p in example_site.rglob('*') if p.is_file())} files: 0 differences", run.stdout)


def test_compare_names_each_page_that_differs(example_site: Path, properdocs_site: Path, tmp_path: Path) -> None:
    changed = tmp_path / "changed"
    shutil.copytree(properdocs_site, changed)
    page = changed / "cases/northwind-grocers-shelf-gaps/index.html"
    page.write_text(page.read_text("utf-8").replace("Northwind Grocers", "Northwind Grosers"), "utf-8")
    (changed / "about/index.html").unlink()
    run = casebook("compare", str(example_site), str(changed), cwd=tmp_path)
    assert run.returncode == 1
    assert "cases/northwind-grocers-shelf-gaps/index.html: the text differs: 'Grocers' against 'Grosers'" in run.stdout
    assert "cases/northwind-grocers-shelf-gaps/index.html: the meta differs:" in run.stdout
    assert f"only in {example_site}: about/index.html" in run.stdout
    assert "3 differences" in run.stdout


def test_the_engine_option_of_mkdocs_yml_picks_the_engine(example: Path) -> None:
    choose_engine(example, "properdocs")
    run = casebook("build", "--as-of", AS_OF, "--no-pdf", cwd=example)
    assert run.returncode == 0, run.output
    assert generator(example / "site").startswith("mkdocs-ProperDocs")
    run = casebook("build", "--as-of", AS_OF, "--no-pdf", "--engine", "mkdocs", cwd=example)
    assert run.returncode == 0, run.output
    assert generator(example / "site").startswith("mkdocs-1.")


def test_an_unknown_engine_is_a_located_error(project: Path) -> None:
    choose_engine(project, "zensical")
    line = project.joinpath("mkdocs.yml").read_text("utf-8").splitlines().index("      engine: zensical") + 1
    for command in ("validate", "build"):
        run = casebook(command, cwd=project)
        assert run.returncode == 1
        assert f"mkdocs.yml:{line}: error: plugins[1].casebook.engine: 'zensical' is not allowed" in run.output
        assert "'mkdocs' or 'properdocs'" in run.output
        assert "Traceback" not in run.output
    assert not (project / "site").exists()


def test_serve_runs_on_properdocs(example: Path) -> None:
    choose_engine(example, "properdocs")
    log: list[str] = []
    with serving(example, log) as url:
        home = wait_for(url, "mkdocs-ProperDocs")
    assert "<title>Lumora Customer Stories" in home
    assert "Serving on" in log[0], log[0]
