"""The case library filter in a real browser."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from browser import chromium, static_server
from conftest import AS_OF
from content import cases, public

CASES = cases()
PUBLIC = {slug for slug, meta in CASES.items() if public(meta, date.fromisoformat(AS_OF))}


def visible_slugs(page) -> set[str]:
    hrefs = page.eval_on_selector_all(".cb-card:not([hidden]) .cb-card__link", "els => els.map(e => e.getAttribute('href'))")
    return {href.strip("/").rsplit("/", 1)[-1] for href in hrefs}


def test_two_facets_filter_cards_and_survive_a_reload(example_site: Path) -> None:
    want_industries, want_size = {"retail", "healthcare"}, "midmarket"
    expected = {s for s in PUBLIC if CASES[s]["customer"]["industry"] in want_industries
                and CASES[s]["customer"]["size"] == want_size}
    assert 0 < len(expected) < len(PUBLIC)
    with static_server(example_site) as base, chromium() as browser:
        page = browser.new_page()
        page.goto(base + "cases/")
        assert visible_slugs(page) == PUBLIC
        page.check("input[name=industry][value=retail]")
        page.check("input[name=industry][value=healthcare]")
        page.check("input[name=size][value=midmarket]")
        assert visible_slugs(page) == expected
        assert page.inner_text(".cb-filter__status") == f"Showing {len(expected)} of {len(PUBLIC)} case studies"
        assert "industry=healthcare,retail" in page.url and "size=midmarket" in page.url
        page.reload()
        assert visible_slugs(page) == expected
        assert page.is_checked("input[name=industry][value=retail]") and page.is_checked("input[name=size][value=midmarket]")
        shared = browser.new_page()
        shared.goto(page.url)
        assert visible_slugs(shared) == expected
        page.click("[data-cb-clear]")
        assert visible_slugs(page) == PUBLIC and "industry=" not in page.url


def test_a_filter_with_no_match_says_so(example_site: Path) -> None:
    with static_server(example_site) as base, chromium() as browser:
        page = browser.new_page()
        page.goto(base + "cases/?industry=public-sector&size=startup")
        assert visible_slugs(page) == set()
        assert page.is_visible(".cb-empty")


def test_without_javascript_every_case_shows(example_site: Path) -> None:
    with static_server(example_site) as base, chromium() as browser:
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(base + "cases/?industry=retail")
        assert visible_slugs(page) == PUBLIC
        assert not page.is_visible("#cb-filter")


def test_downloads_page_filters_by_industry_role_and_kind(example_site: Path) -> None:
    with static_server(example_site) as base, chromium() as browser:
        page = browser.new_page()
        page.goto(base + "downloads/")
        everything = page.locator("#cb-files [data-cb-item]").count()
        assert everything > 40
        page.check("input[name=kind][value=case]")
        page.check("input[name=industry][value=manufacturing]")
        page.check("input[name=role][value=administrator]")
        shown = page.eval_on_selector_all("#cb-files [data-cb-item]:not([hidden]) a",
                                          "els => els.map(e => e.getAttribute('href'))")
        expected = {s for s in PUBLIC if CASES[s]["customer"]["industry"] == "manufacturing"
                    and "administrator" in CASES[s]["roles"]}
        assert {href.rsplit("/", 1)[-1].removesuffix(".pdf") for href in shown} == expected
        assert "kind=case" in page.url and "industry=manufacturing" in page.url
        page.reload()
        assert page.locator("#cb-files [data-cb-item]:not([hidden])").count() == len(expected)
        href = shown[0]
        response = page.request.get(base + "downloads/" + href)
        assert response.ok and response.body()[:5] == b"%PDF-"
