"""`casebook pack`: a prospect pack PDF of the public cases closest to one prospect, with
every link and QR code tagged for the pack channel, the rep and the prospect."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from pypdf import PdfReader

from conftest import AS_OF, casebook
from content import cases, public

CASES = cases()
PUBLIC = {slug for slug, meta in CASES.items() if public(meta, date.fromisoformat(AS_OF))}


@pytest.fixture(scope="module")
def pack(example_site: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("pack") / "acme.pdf"
    run = casebook("pack", "--for", "Acme Corp", "--industry", "retail", "--size", "midmarket", "--role", "administrator",
                   "--rep", "Dana Reed", "--as-of", AS_OF, "-o", str(out), cwd=example_site.parent)
    assert run.returncode == 0, run.output
    return out, run.stdout


def links(pdf: Path) -> list[str]:
    return [annot.get_object()["/A"]["/URI"] for page in PdfReader(pdf).pages for annot in page.get("/Annots") or []
            if "/URI" in annot.get_object().get("/A", {})]


def test_the_pack_holds_the_closest_public_cases(pack: tuple[Path, str]) -> None:
    pdf, stdout = pack
    chosen = stdout.split("(", 1)[1].rstrip(")\n").split(", ")
    assert len(chosen) == 4 and set(chosen) <= PUBLIC
    assert all(CASES[slug]["customer"]["industry"] == "retail" for slug in chosen)
    assert CASES[chosen[0]]["customer"]["size"] == "midmarket"
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "PREPARED FOR ACME CORP" in text.upper() and "Prepared by Dana Reed" in text and "23 November 2026" in text
    for slug in chosen:
        assert CASES[slug]["title"].split(" ")[1] in text


def test_every_link_and_code_is_tagged_for_the_pack(pack: tuple[Path, str], tmp_path: Path) -> None:
    pdf, _ = pack
    tagged = [url for url in links(pdf) if "stories.lumora.example/cases/" in url]
    assert len(tagged) >= 4
    for url in tagged:
        query = parse_qs(urlsplit(url).query)
        assert query["utm_medium"] == ["pack"] and query["utm_content"] == ["Dana Reed"] and query["utm_term"] == ["Acme Corp"]
    subprocess.run(["pdftoppm", "-r", "150", "-f", "3", "-l", "3", "-png", str(pdf), str(tmp_path / "page")], check=True)
    scanned = subprocess.run(["zbarimg", "--quiet", "--raw", str(next(tmp_path.glob("page*.png")))],
                             capture_output=True, text=True).stdout.strip()
    assert scanned in tagged


def test_the_pack_is_reproducible_and_holds_nothing_non_public(pack: tuple[Path, str], example_site: Path, tmp_path: Path) -> None:
    pdf, _ = pack
    again = tmp_path / "out" / "acme.pdf"
    again.parent.mkdir()
    run = casebook("pack", "--for", "Acme Corp", "--industry", "retail", "--size", "midmarket", "--role", "administrator",
                   "--rep", "Dana Reed", "--as-of", AS_OF, "-o", str(again), cwd=example_site.parent)
    assert run.returncode == 0 and again.read_bytes() == pdf.read_bytes()
    audit = casebook("audit", str(again.parent), "--as-of", AS_OF, cwd=example_site.parent)
    assert audit.returncode == 0 and "0 leaks" in audit.stdout


def test_named_cases_must_be_public(example_site: Path, tmp_path: Path) -> None:
    hidden = sorted(set(CASES) - PUBLIC)[0]
    shown = sorted(PUBLIC)[:2]
    run = casebook("pack", "--for", "Acme", "--cases", ",".join(shown), "-o", str(tmp_path / "a.pdf"), "--as-of", AS_OF,
                   cwd=example_site.parent)
    assert run.returncode == 0 and f"2 cases for Acme ({shown[0]}, {shown[1]})" in run.stdout
    run = casebook("pack", "--for", "Acme", "--cases", f"{shown[0]},{hidden}", "-o", str(tmp_path / "b.pdf"), "--as-of", AS_OF,
                   cwd=example_site.parent)
    assert run.returncode == 1 and f"'{hidden}' is not public as of {AS_OF}" in run.stderr
    assert not (tmp_path / "b.pdf").exists()
    run = casebook("pack", "--for", "Acme", "--industry", "retial", "--as-of", AS_OF, cwd=example_site.parent)
    assert run.returncode == 1 and "did you mean 'retail'?" in run.stderr and "Traceback" not in run.output
