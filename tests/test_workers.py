"""Large builds spread page rendering and the leak guard's reading over worker processes:
that may never change a page or a finding."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from builder import audit, pages, workers
from builder.config import load_settings
from builder.load import Loader
from builder.pipeline import stage
from conftest import AS_OF, tree_bytes


@pytest.fixture
def pools(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The worker pools started, by size, on a machine with two cores."""
    started: list[int] = []
    real_pool = workers.ProcessPoolExecutor

    def counting_pool(count: int, **kwargs):
        started.append(count)
        return real_pool(count, **kwargs)

    monkeypatch.setattr(workers.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(workers, "ProcessPoolExecutor", counting_pool)
    return started


def test_pages_rendered_in_workers_equal_pages_rendered_in_one_process(
        example: Path, pools: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    settings, _ = load_settings(example / "mkdocs.yml")
    assert settings is not None

    def staged(parallel_from: int) -> dict[str, bytes]:
        monkeypatch.setattr(pages, "PARALLEL_PAGES", parallel_from)
        shutil.rmtree(settings.staging_dir, ignore_errors=True)
        assert stage(settings, date.fromisoformat(AS_OF), pdf="skip").ok
        return tree_bytes(settings.staging_dir)

    serial = staged(100_000)
    assert pools == []
    parallel = staged(8)
    assert pools == [2]
    assert parallel == serial
    assert sum(name.endswith(".md") for name in serial) > 60 and any(name.startswith("cases/") for name in serial)


def test_the_leak_guard_finds_the_same_leaks_in_workers(example_site: Path, tmp_path: Path, pools: list[int],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    site = shutil.copytree(example_site, tmp_path / "site")
    leaky = sorted(site.glob("cases/*/index.html"))[0]
    leaky.write_text(leaky.read_text("utf-8") + "<p>Zephyrine Rail Freight</p>", "utf-8")
    (site / "about/notes.txt").parent.mkdir(exist_ok=True)
    (site / "about/notes.txt").write_text("shortlisted: Zephyrine Rail Freight", "utf-8")
    settings, _ = load_settings(example_site.parent / "mkdocs.yml")
    assert settings is not None
    library = Loader().load(settings)

    def findings(parallel_from: int) -> list[audit.Finding]:
        monkeypatch.setattr(audit, "PARALLEL_FILES", parallel_from)
        return audit.audit(site, library, date.fromisoformat(AS_OF))

    serial = findings(100_000)
    assert pools == []
    parallel = findings(8)
    assert pools == [2]
    assert parallel == serial
    leaked = {finding.output for finding in serial}
    assert leaked == {leaky.relative_to(site).as_posix(), "about/notes.txt"}
