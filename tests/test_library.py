"""A library larger than one page stays light: its HTML holds the first 48 cards, the rest
come from cases/cards.json when a visitor filters or asks for more (Chromium), every case
is on a numbered page without JavaScript, and a hub shows its first 24 cards."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from browser import chromium, first_search_result, static_server
from conftest import AS_OF, REPO, casebook
from content import cases, internal_values, public

COUNT = 70
RARE = "Zanzibarite"  # planted at the very end of one story: search must still find it


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("library") / "project"
    subprocess.run([sys.executable, str(REPO / "bench/generate.py"), str(COUNT), str(root)], check=True, capture_output=True)
    case = root / "cases/synthetic-case-00061.md"
    case.write_text(case.read_text("utf-8").rstrip("\n") + f" The rollout ended with {RARE} sensors.\n", "utf-8")
    run = casebook("build", "--as-of", AS_OF, cwd=root, timeout=600)
    assert run.returncode == 0, run.output
    return root / "site"


def cards_in(html: Path) -> list[str]:
    return re.findall(r'class="cb-card__link" href="(?:\.\./)*([^"/]+)/"', html.read_text("utf-8"))


def test_the_first_page_holds_48_cards_and_the_numbered_pages_list_every_case(large: Path) -> None:
    rows = json.loads((large / "cases/cards.json").read_text("utf-8"))
    public = [row[11] for row in rows]
    assert len(public) > 48
    first = cards_in(large / "cases/index.html")
    assert first == public[:48]
    later = [slug for page in sorted((large / "cases/page").glob("*/index.html")) for slug in cards_in(page)]
    assert first + later == public  # every public case once, in the library's order
    assert (large / "cases/index.html").stat().st_size < 120_000


def files_in(html: str) -> list[str]:
    return re.findall(r'class="cb-download" href="(?:\.\./)*([^"]+)"', html)


def test_downloads_shows_its_first_48_files_and_the_numbered_pages_list_every_file(large: Path) -> None:
    rows = json.loads((large / "downloads/files.json").read_text("utf-8"))
    every = [files_in(row)[0] for row in rows]
    assert len(every) > 48 and len(set(every)) == len(every)
    first = files_in((large / "downloads/index.html").read_text("utf-8"))
    assert first == every[:48]
    one_pagers = [path.startswith("cases/") for path in every]
    assert one_pagers == sorted(one_pagers) and 0 < sum(one_pagers) < len(every)  # the collections first, the one-pagers after
    later = [path for page in sorted((large / "downloads/page").glob("*/index.html"), key=lambda p: int(p.parent.name))
             for path in files_in(page.read_text("utf-8"))]
    assert first + later == every
    assert (large / "downloads/index.html").stat().st_size < 120_000


def test_downloads_pages_and_files_json_hold_no_draft_and_no_internal_value(large: Path) -> None:
    metas = cases(large.parent)
    drafts = [slug for slug, meta in metas.items() if not public(meta, date.fromisoformat(AS_OF))]
    secrets = [value for meta in metas.values() for value in internal_values(meta.get("internal", {}))]
    assert drafts and secrets
    outputs = [large / "downloads/files.json", large / "downloads/index.html", *(large / "downloads/page").glob("*/index.html")]
    assert len(outputs) > 2
    for output in outputs:
        text = output.read_text("utf-8")
        assert not [slug for slug in drafts if slug in text], output
        assert not [value for value in secrets if value in text], output


def show_more_reaches_every(page, url: str, item: str, total: int, noun: str) -> None:
    """The listing at url shows its first 48, and "Show more" reaches all `total`, then hides."""
    page.goto(url)
    assert page.locator(".cb-filter__status").text_content() == f"Showing 48 of {total} {noun}"
    page.locator("[data-cb-more]").click()
    page.locator(item).nth(total - 1).wait_for()
    assert page.locator(item).count() == total and not page.locator("[data-cb-more]").is_visible()


def test_a_downloads_filter_reaches_files_beyond_the_first_page(large: Path) -> None:
    rows = json.loads((large / "downloads/files.json").read_text("utf-8"))
    beyond = rows[55]
    assert 'data-kind="case"' in beyond
    industry = re.search(r'data-industry="([^" ]+)', beyond).group(1)
    matching = [row for row in rows if 'data-kind="case"' in row and re.search(rf'data-industry="[^"]*\b{industry}\b', row)]
    with static_server(large) as base, chromium() as browser:
        page = browser.new_page()
        show_more_reaches_every(page, base + "downloads/", ".cb-file", len(rows), "files")
        page.goto(base + f"downloads/?kind=case&industry={industry}")
        page.get_by_text(f"Showing {len(matching)} of {len(matching)} matching files").wait_for()
        link = page.locator(".cb-download", has_text=re.search(r'download[^>]*>([^<]+)</a>', beyond).group(1))
        assert link.get_attribute("href") == files_in(beyond)[0]
        with page.expect_response(lambda response: response.url.endswith(".pdf")) as fetched:
            page.evaluate("href => fetch(href)", link.get_attribute("href"))
        assert fetched.value.status == 200


def test_a_hub_shows_its_first_24_cards_and_links_the_rest(large: Path) -> None:
    rows = json.loads((large / "cases/cards.json").read_text("utf-8"))
    members = [row[11] for row in rows if "decision-maker" in row[9]["role"].split()]
    assert len(members) > 24
    hub = large / "roles/decision-maker/index.html"
    section = hub.read_text("utf-8").split('id="cases"', 1)[1].split("</section>", 1)[0]
    assert len(re.findall('class="cb-card__link"', section)) == 24
    assert f"All {len(members)} of them in the case library" in section and "?role=decision-maker" in section


def test_filters_and_show_more_reach_every_case_and_cards_built_later_can_be_picked(large: Path, tmp_path: Path) -> None:
    rows = json.loads((large / "cases/cards.json").read_text("utf-8"))
    beyond = rows[60]  # not in the page's HTML
    industry = beyond[9]["industry"]
    matching = [row for row in rows if row[9]["industry"] == industry]
    with static_server(large) as base, chromium() as browser:
        page = browser.new_page(accept_downloads=True)
        show_more_reaches_every(page, base + "cases/", ".cb-card", len(rows), "case studies")
        page.goto(base + f"cases/?industry={industry}")
        page.get_by_text(f"Showing {len(matching)} of {len(matching)} matching case studies").wait_for()
        card = page.locator(".cb-card", has_text=beyond[3])
        assert card.locator(".cb-card__customer").text_content() == beyond[2]
        card.locator("input[data-cb-pick]").check()
        page.locator(".cb-card").first.locator("input[data-cb-pick]").check()
        with page.expect_download() as made:
            page.locator(".cb-pack button").click()
        made.value.save_as(tmp_path / "own.pdf")
        card.locator(".cb-card__link").click()
        page.wait_for_url(f"**/cases/{beyond[11]}/")
    one_pagers = [large / "downloads/cases" / f"{slug}.pdf" for slug in (beyond[11], matching[0][11])]
    assert len(PdfReader(tmp_path / "own.pdf").pages) == sum(len(PdfReader(pdf).pages) for pdf in one_pagers)


def test_a_large_index_is_compact_yet_finds_every_case_by_customer_title_metric_and_story(large: Path) -> None:
    index = json.loads((large / "search/search_index.json").read_text("utf-8"))
    rows = json.loads((large / "cases/cards.json").read_text("utf-8"))
    by_page: dict[str, str] = {}
    for doc in index["docs"]:
        page = doc["location"].split("#")[0]
        by_page[page] = by_page.get(page, "") + " " + doc["title"] + " " + doc["text"]
        assert doc["text"] or "#" not in doc["location"] or not doc["location"].startswith("cases/")
        assert "<p>" not in doc["text"] or not doc["location"].startswith("cases/")
    for row in rows:
        text = by_page[f"cases/{row[11]}/"]
        assert row[2] in text and row[3] in text and row[4] in text, row[11]
    assert RARE in by_page["cases/synthetic-case-00061/"]
    with static_server(large) as base, chromium() as browser:
        first = first_search_result(browser, base, RARE)
        assert "cases/synthetic-case-00061" in first, first


def test_the_large_library_files_hold_public_cases_only(large: Path) -> None:
    """cards.json, the numbered pages and the compact search index: no draft, no internal value."""
    project = large.parent
    drafts, internal = [], []
    for path in sorted((project / "cases").glob("*.md")):
        text = path.read_text("utf-8")
        if "status: draft" in text:
            drafts.append(path.stem)
        internal += re.findall(r"deal_size: ['\"]?([^'\"\n]+)", text)
    assert drafts and internal
    outputs = [large / "cases/cards.json", large / "search/search_index.json", *sorted((large / "cases/page").glob("*/index.html"))]
    for output in outputs:
        text = output.read_text("utf-8")
        assert not [slug for slug in drafts if f"{slug}/" in text or f'"{slug}"' in text], output
        assert not [value for value in internal if value in text], output
