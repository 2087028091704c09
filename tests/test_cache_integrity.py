"""The build cache is never trusted blindly: whatever happened to an entry (replaced,
swapped, truncated, deleted, garbage), the next build ships what a clean build ships, with
no traceback; and the leak guard's cache of PDF texts cannot hide a leak."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Callable

import pytest

from conftest import AS_OF, casebook, tree_bytes

CASE_PDF = "downloads/cases/northwind-grocers-shelf-gaps.pdf"
OTHER_PDF = "downloads/cases/copper-kettle-cafes-shift-handover.pdf"
CARD = "assets/casebook/cards/case-northwind-grocers-shelf-gaps.png"
KIT_ZIP = "downloads/kits/retail-operations-starter-kit.zip"


@pytest.fixture
def built(example_site: Path, tmp_path: Path) -> Path:
    """A private copy of the built example project, its cache included."""
    root = tmp_path / "example"
    shutil.copytree(example_site.parent, root, symlinks=True)
    return root


def entry(root: Path, folder: str, output: str) -> Path:
    """The cache file holding the bytes the site shows at `output`."""
    data = (root / "site" / output).read_bytes()
    return next(p for p in (root / ".casebook/cache" / folder).iterdir() if p.is_file() and p.read_bytes() == data)


def swap(a: Path, b: Path) -> None:
    data = a.read_bytes()
    a.write_bytes(b.read_bytes())
    b.write_bytes(data)


def qr(root: Path) -> Path:
    return sorted((root / ".casebook/cache/qr").glob("*.svg"))[0]


CORRUPTIONS: dict[str, Callable[[Path], None]] = {
    "pdf replaced by another valid pdf": lambda r: entry(r, "collateral", CASE_PDF).write_bytes((r / "site" / OTHER_PDF).read_bytes()),
    "two pdfs swapped": lambda r: swap(entry(r, "collateral", CASE_PDF), entry(r, "collateral", OTHER_PDF)),
    "pdf truncated": lambda r: entry(r, "collateral", CASE_PDF).write_bytes((r / "site" / CASE_PDF).read_bytes()[:1000]),
    "pdf deleted": lambda r: entry(r, "collateral", CASE_PDF).unlink(),
    "random bytes in a card": lambda r: entry(r, "collateral", CARD).write_bytes(bytes(range(256)) * 40),
    "invalid entry json": lambda r: entry(r, "collateral", CASE_PDF).with_suffix(".json").write_text("{not json"),
    "non-utf-8 entry json": lambda r: entry(r, "collateral", CASE_PDF).with_suffix(".json").write_bytes(b"\xff\xfe\x00"),
    "garbage kit zip": lambda r: entry(r, "collateral", KIT_ZIP).write_bytes(b"PK\x03\x04 garbage"),
    "garbage qr svg": lambda r: qr(r).write_text("<svg xmlns='http://www.w3.org/2000/svg'><rect width='9' height='9'/></svg>"),
    "non-utf-8 qr svg": lambda r: qr(r).write_bytes(b"\xff\xfe\xfa"),
}


@pytest.mark.parametrize("name", CORRUPTIONS)
def test_a_damaged_cache_entry_is_made_again(example_site: Path, built: Path, name: str) -> None:
    clean = tree_bytes(example_site)
    CORRUPTIONS[name](built)
    run = casebook("build", "--as-of", AS_OF, cwd=built)
    assert run.returncode == 0, run.output
    assert "Traceback" not in run.output
    assert tree_bytes(built / "site") == clean


def test_the_pdf_text_cache_cannot_hide_a_leak(built: Path) -> None:
    """A site whose one-pager names a case that is no longer public: the guard finds it, also
    after the cached text of that PDF was emptied, edited or pointed at another PDF."""
    case = built / "cases/northwind-grocers-shelf-gaps.md"
    case.write_text(case.read_text("utf-8").replace("status: approved", "status: withdrawn", 1), "utf-8")
    texts = built / ".casebook/cache/audit"

    def audit() -> str:
        run = casebook("audit", "site", "--as-of", AS_OF, cwd=built)
        assert run.returncode == 1, run.output
        assert f"{CASE_PDF}: leaked" in run.stdout
        return run.stdout

    audit()
    data = (built / "site" / CASE_PDF).read_bytes()
    stored = next(texts.glob(f"{hashlib.sha256(data).hexdigest()}.*.json"))
    for tamper in (lambda: stored.write_text('""'), lambda: stored.write_text(json.dumps({"pdf": "x", "text": ""})),
                   lambda: stored.write_text(""), lambda: stored.unlink()):
        tamper()
        audit()
