"""Parsed items are kept between runs (.casebook/cache/items.sqlite) and many files are
parsed in parallel: neither may ever change what a run reports or builds."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.content import load
from builder.core import workers
from builder.content.settings import load_settings
from builder.content.load import Loader
from conftest import AS_OF, MINIMAL_CASE, casebook, write

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa75\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")
WITH_IMAGE = MINIMAL_CASE.replace("Returns were high.", "Returns were high.\n\n![Returns by week](chart.png)")


def validate(root: Path):
    run = casebook("validate", "--as-of", AS_OF, cwd=root)
    assert "Traceback" not in run.output
    return run


def test_a_stored_item_never_hides_a_change(project: Path) -> None:
    write(project, "cases/acme.md", WITH_IMAGE)
    run = validate(project)
    assert run.returncode == 1 and "cases/acme.md:25: error: body: image" in run.stdout
    write(project, "cases/chart.png", PNG)  # the content file itself is unchanged
    run = validate(project)
    assert run.returncode == 0, run.output
    assert (project / ".casebook/cache/items.sqlite").is_file()
    assert validate(project).returncode == 0  # from the store
    write(project, "cases/chart.png", b"<html>not an image</html>")
    run = validate(project)
    assert run.returncode == 1 and "cases/acme.md:25: error: body: image" in run.stdout
    write(project, "cases/chart.png", PNG)
    assert validate(project).returncode == 0
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("    retail:", "    shops:", 1))  # the taxonomy changes
    run = validate(project)
    assert run.returncode == 1 and "cases/acme.md:7: error: customer.industry: 'retail' is not a known industry" in run.stdout


def test_a_stored_page_shows_the_current_image(project: Path) -> None:
    write(project, "cases/acme.md", WITH_IMAGE)
    write(project, "cases/chart.png", PNG)
    assert casebook("build", "--no-pdf", "--as-of", AS_OF, cwd=project).returncode == 0
    write(project, "cases/chart.png", PNG.replace(b"\x1f\x15\xc4\x89", b"\x1f\x15\xc4\x8a"))  # another image
    assert casebook("build", "--no-pdf", "--as-of", AS_OF, cwd=project).returncode == 0
    media = sorted(p.name for p in (project / "site/assets/casebook/media").glob("*chart.png"))
    page = (project / "site/cases/acme/index.html").read_text("utf-8")
    assert len(media) == 1 and media[0] in page


@pytest.mark.parametrize("damage", [b"this is not a database", b""])
def test_a_damaged_store_only_costs_time(project: Path, damage: bytes) -> None:
    write(project, "cases/acme.md", MINIMAL_CASE)
    write(project, ".casebook/cache/items.sqlite", damage)
    run = validate(project)
    assert run.returncode == 0, run.output
    assert "1 file checked: 0 errors, 0 warnings" in run.stdout


def test_parallel_parsing_reports_what_serial_parsing_does(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for n in range(24):
        text = MINIMAL_CASE.replace("Acme Widgets", f"Acme {n}")
        if n % 5 == 0:
            text = text.replace("industry: retail", "industry: retial")
        if n % 7 == 0:
            text = text.replace("stage: steady", "stage: steady\nsatge: steady")
        write(project, f"cases/acme-{n:02d}.md", text)
    settings, _ = load_settings(project / "mkdocs.yml")
    assert settings is not None

    def run(parallel_from: int) -> tuple[list, dict]:
        (project / ".casebook/cache/items.sqlite").unlink(missing_ok=True)
        monkeypatch.setattr(load, "PARALLEL_FILES", parallel_from)
        library = Loader().load(settings)
        return library.problems, {slug: item.rendered.html for slug, item in library.items["case"].items()}

    pools: list[int] = []
    real_pool = workers.ProcessPoolExecutor

    def counting_pool(workers: int, **kwargs):
        pools.append(workers)
        return real_pool(workers, **kwargs)

    monkeypatch.setattr(workers.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(workers, "ProcessPoolExecutor", counting_pool)
    serial = run(10_000)
    assert pools == []
    parallel = run(8)
    assert pools == [2]
    assert parallel == serial
    assert sum(p.severity == "error" for p in serial[0]) == 5 and len(serial[1]) == 19
    assert any(p.path == "cases/acme-07.md" and "satge" in p.message for p in serial[0])
