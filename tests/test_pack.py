"""`casebook pack`: a prospect pack PDF of the public cases closest to one prospect, with
every link and QR code tagged for the pack channel, the rep and the prospect."""

from __future__ import annotations

import re
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


def related_on_page(site: Path, slug: str) -> list[str]:
    """The cases the site's "Companies like yours" shows on a case's page, in order."""
    html = (site / "cases" / slug / "index.html").read_text("utf-8")
    section = html.split('id="companies-like-yours"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'class="cb-card__link" href="\.\./([^/"]+)/"', section)


@pytest.mark.parametrize("slug", sorted(PUBLIC)[::5])
def test_a_pack_for_a_cases_facets_is_that_case_and_its_related_cases(example_site: Path, tmp_path: Path, slug: str) -> None:
    meta = CASES[slug]
    facets = ["--industry", meta["customer"]["industry"], "--size", meta["customer"]["size"]]
    facets += ["--stage", meta["stage"]] if meta.get("stage") else []
    facets += [arg for role in meta["roles"] for arg in ("--role", role)]
    facets += [arg for product in meta.get("products", []) for arg in ("--product", product)]
    run = casebook("pack", "--for", "Acme", *facets, "--count", "4", "--as-of", AS_OF, "-o", str(tmp_path / "p.pdf"),
                   cwd=example_site.parent)
    assert run.returncode == 0, run.output
    chosen = run.stdout.split("(", 1)[1].rstrip(")\n").split(", ")
    related = related_on_page(example_site, slug)
    assert len(related) == 3 and slug in chosen
    assert [other for other in chosen if other != slug] == related


def test_unknown_facets_and_products_are_refused_with_a_hint(example_site: Path, tmp_path: Path) -> None:
    run = casebook("pack", "--for", "Acme", "--role", "administrator", "--role", "admin", "--as-of", AS_OF,
                   "-o", str(tmp_path / "p.pdf"), cwd=example_site.parent)
    assert run.returncode == 1 and "--role: 'admin' is not a key of the roles taxonomy" in run.stderr
    run = casebook("pack", "--for", "Acme", "--product", "Lumora Flwo", "--as-of", AS_OF, "-o", str(tmp_path / "p.pdf"),
                   cwd=example_site.parent)
    assert run.returncode == 1 and "--product: no public case names 'Lumora Flwo'" in run.stderr
    assert "Lumora Flow" in run.stderr and not (tmp_path / "p.pdf").exists()


def pages_of(pdf: Path) -> int:
    return len(PdfReader(pdf).pages)


def test_visitors_merge_chosen_one_pagers_into_one_pdf_in_the_browser(example_site: Path, tmp_path: Path) -> None:
    from browser import chromium, static_server

    with static_server(example_site) as base, chromium() as browser:
        page = browser.new_page(accept_downloads=True)
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(base + "cases/")
        page.evaluate("window.dataLayer = []")  # as Material's GA4 provider makes it
        boxes = page.locator("input[data-cb-pick]")
        assert boxes.count() == len(PUBLIC) and page.locator(".cb-pack button").is_disabled()
        picked = [boxes.nth(i).get_attribute("value") for i in (4, 0, 7)]
        for i in (4, 0, 7):
            boxes.nth(i).check()
        assert page.locator(".cb-pack__status").text_content() == "3 stories in your PDF"
        page.fill("input[name=prospect]", "Acme Corp")
        with page.expect_download() as made:
            page.click(".cb-pack button")
        merged = tmp_path / made.value.suggested_filename
        made.value.save_as(merged)
        events = page.evaluate("window.dataLayer.map(e => [e[1], e[2] && e[2].link_url])")
        # the same visitor, now a non-Latin name the cover's standard font cannot write
        page.fill("input[name=prospect]", "明叶家居")
        with page.expect_download() as again:
            page.click(".cb-pack button")
        bare = tmp_path / "bare.pdf"
        again.value.save_as(bare)
        status = page.locator(".cb-pack__status").text_content()
    assert merged.name == "customer-stories-for-acme-corp.pdf"
    subprocess.run(["qpdf", "--check", str(merged)], check=True, capture_output=True)
    one_pagers = [example_site / "downloads" / "cases" / f"{slug}.pdf" for slug in picked]
    assert pages_of(merged) == 1 + sum(pages_of(pdf) for pdf in one_pagers)
    reader = PdfReader(merged)
    assert "PREPARED FOR ACME CORP" in reader.pages[0].extract_text()
    assert CASES[picked[0]]["customer"]["name"] in reader.pages[1].extract_text()  # in the order ticked
    assert reader.metadata.title == "Customer stories for Acme Corp"
    assert events[0] == ["file_download", f"{base}downloads/customer-stories.pdf?cases={','.join(picked)}"]
    assert pages_of(bare) == sum(pages_of(pdf) for pdf in one_pagers)
    assert status == "Downloaded: 3 stories, without the cover: its font writes Latin letters only"
    assert all(url.startswith(base) or url.startswith("blob:") for url in requests), requests


def test_without_javascript_the_own_pdf_option_is_hidden(example_site: Path) -> None:
    from browser import chromium, static_server

    with static_server(example_site) as base, chromium() as browser:
        page = browser.new_page(java_script_enabled=False)
        page.goto(base + "cases/")
        assert page.locator(".cb-card").first.is_visible()
        assert not page.locator(".cb-pack").is_visible() and not page.locator(".cb-card__pick").first.is_visible()
