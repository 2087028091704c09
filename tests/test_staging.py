"""The staging docs tree is rewritten only where content changed, and pruned of what is gone.
(Collateral is off here; its own incremental rendering is tested in test_collateral.)"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from builder.content.settings import load_settings
from builder.content.load import Loader
from builder.site.pages import PageCache
from builder.pipeline.stage import stage
from conftest import tree_bytes

DAY = date(2026, 11, 23)


def snapshot(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}


def test_restaging_unchanged_content_writes_nothing(example: Path) -> None:
    settings, _ = load_settings(example / "mkdocs.yml")
    first = stage(settings, DAY, pdf="skip")
    assert first.ok and first.stats.written > 50
    before = snapshot(settings.staging_dir)
    again = stage(settings, DAY, pdf="skip")
    assert again.stats.written == 0 and again.stats.removed == 0
    assert snapshot(settings.staging_dir) == before


def test_editing_one_case_rewrites_only_pages_that_show_it(example: Path) -> None:
    settings, _ = load_settings(example / "mkdocs.yml")
    loader = Loader()
    stage(settings, DAY, loader, pdf="skip")
    before = snapshot(settings.staging_dir)
    case = example / "cases/petalworks-florist-first-workflows.md"
    case.write_text(case.read_text().replace("## Solution", "## Solution\n\nA new sentence.", 1))
    result = stage(settings, DAY, loader, pdf="skip")
    after = snapshot(settings.staging_dir)
    changed = {rel for rel in after if after[rel] != before.get(rel)}
    assert changed == {"cases/petalworks-florist-first-workflows.md"}
    assert result.stats.written == 1


def test_a_case_that_loses_approval_disappears(example: Path) -> None:
    settings, _ = load_settings(example / "mkdocs.yml")
    stage(settings, DAY, pdf="skip")
    page = settings.staging_dir / "cases/petalworks-florist-first-workflows.md"
    assert page.exists()
    case = example / "cases/petalworks-florist-first-workflows.md"
    case.write_text(case.read_text().replace("status: approved", "status: withdrawn"))
    result = stage(settings, DAY, pdf="skip")
    assert result.ok and result.stats.removed >= 1
    assert not page.exists()
    assert "Petalworks" not in (settings.staging_dir / "cases/index.md").read_text()


def test_serve_rebuilds_stage_exactly_what_a_full_build_stages(example: Path) -> None:
    """`serve` keeps loaded items, rendered pages, collateral plans and feeds between
    rebuilds; after edits its staging tree must equal a fresh full render, byte for byte."""
    def settings():
        return load_settings(example / "mkdocs.yml")[0]

    day = DAY
    loader, pages = Loader(), PageCache()
    assert stage(settings(), day, loader, pdf="render", pages=pages).ok
    case = example / "cases/harbor-lane-outfitters-store-tasks.md"
    case.write_text(case.read_text().replace("title: \"", "title: \"Edited ", 1))  # shown in related cards, hubs, library
    paper = example / "whitepapers/frontline-ai-playbook.md"
    paper.write_text(paper.read_text().replace("summary: \"", "summary: \"Revised. ", 1))
    result = stage(settings(), day, loader, pdf="cached", pages=pages)
    assert result.ok and result.collateral is not None
    assert "downloads/cases/harbor-lane-outfitters-store-tasks.pdf" in result.collateral.pending  # its old PDF is not linked
    served = tree_bytes(example / ".casebook/docs")
    assert any(b"Edited Harbor" in data for rel, data in served.items() if rel.startswith("industries/"))
    assert any(b"Edited Harbor" in data for rel, data in served.items() if rel.startswith("feeds/"))
    assert stage(settings(), day, Loader(), pdf="cached").ok
    assert tree_bytes(example / ".casebook/docs") == served
