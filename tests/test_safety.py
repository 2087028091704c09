"""Nothing the user had is lost, and nothing outside the repository is published."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from builder.content.settings import load_settings
from builder.content.load import Loader
from builder.pipeline.stage import stage
from conftest import AS_OF, MINIMAL_CASE, casebook, tree_bytes, write


@pytest.mark.parametrize("site_dir", [".", "cases", "..", "docs", "site_templates/pages"])
def test_build_refuses_a_site_dir_that_holds_sources(example: Path, site_dir: str) -> None:
    before = tree_bytes(example / "cases")
    run = casebook("build", "--as-of", AS_OF, "--site-dir", site_dir, cwd=example)
    assert run.returncode == 1 and "--site-dir:" in run.stderr and "Traceback" not in run.output
    assert tree_bytes(example / "cases") == before and (example / "mkdocs.yml").exists()


@pytest.mark.parametrize("option", ["staging_dir: .", "staging_dir: cases", "staging_dir: docs"])
def test_config_refuses_a_staging_dir_that_holds_sources(example: Path, option: str) -> None:
    config = example / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - casebook:\n", f"  - casebook:\n      {option}\n"))
    before = tree_bytes(example)
    run = casebook("build", "--as-of", AS_OF, cwd=example)
    assert run.returncode == 1 and "mkdocs.yml:" in run.stdout and "staging_dir: " in run.stdout
    assert tree_bytes(example) == before


def test_staging_never_empties_a_folder_it_did_not_make(example: Path) -> None:
    write(example, "brand/keep.txt", "precious")
    config = example / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - casebook:\n", "  - casebook:\n      staging_dir: brand\n"))
    run = casebook("build", "--as-of", AS_OF, cwd=example)
    assert run.returncode == 1 and "already holds files that Casebook did not write" in run.stdout
    assert (example / "brand/keep.txt").read_text() == "precious"


def test_docs_symlink_out_of_the_repo_is_refused(example: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("# Payroll figures")
    os.symlink(secret, example / "docs/leak.md")
    run = casebook("build", "--as-of", AS_OF, cwd=example)
    assert run.returncode == 1 and "docs/leak.md:1: error: file is a symlink to outside the repository" in run.stdout
    assert not (example / "site").exists()


def test_docs_page_cannot_replace_a_generated_page(example: Path) -> None:
    write(example, "docs/cases/index.md", "# Mine")
    run = casebook("build", "--as-of", AS_OF, cwd=example)
    assert run.returncode == 1 and "docs/cases/index.md:1: error: 'cases/index.md' would replace a page" in run.stdout


def test_emoji_and_cjk_titles_keep_their_page_meta(project: Path) -> None:
    write(project, "cases/acme.md", MINIMAL_CASE.replace('title: "How Acme Widgets halved returns"',
                                                         'title: "Rocket 🚀 launch 火箭"'))
    assert casebook("build", "--as-of", AS_OF, cwd=project).returncode == 0
    page = (project / "site/cases/acme/index.html").read_text("utf-8")
    assert "<title>Rocket 🚀 launch 火箭 - " in page and "hide: [navigation" not in page


def test_gated_paper_figures_are_not_published(example_site: Path) -> None:
    media = {p.name for p in (example_site / "assets/casebook/media").iterdir()}
    assert not any("retail-benchmark-2026-fig1" in name for name in media)
    assert any("frontline-ai-playbook-fig1" in name for name in media)


def test_serve_loader_rechecks_referenced_files(example: Path) -> None:
    settings, _ = load_settings(example / "mkdocs.yml")
    loader = Loader()
    assert stage(settings, date(2026, 11, 23), loader).ok
    (example / "cases/logos/northwind-grocers-shelf-gaps.svg").unlink()
    result = stage(settings, date(2026, 11, 23), loader)
    assert not result.ok
    assert any(p.path == "cases/northwind-grocers-shelf-gaps.md" and "does not exist" in p.message for p in result.problems)
