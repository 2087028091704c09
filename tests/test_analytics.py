"""Analytics events in headless Chromium: a download or a share click sends one event with
the item's segment to the provider Material loaded, and nothing is sent before consent.

The machine has no network, so the provider's own script (gtag.js, Plausible's script.js)
cannot load: every request off the loopback server is recorded and aborted, and the event
is read where the page hands it to the provider (GA4's dataLayer, Plausible's queue)."""

from __future__ import annotations

from pathlib import Path

import pytest

from browser import chromium, static_server
from conftest import AS_OF, casebook, copy_project

CASE = "cases/northwind-grocers-shelf-gaps/"
GA4 = """
extra:
  analytics: {provider: google, property: G-CASEBOOK1}
  consent:
    title: Cookie consent
    description: We measure which stories help, with your consent.
    actions: [accept, reject]
"""
PLAUSIBLE = """
extra:
  analytics: {provider: plausible, domain: stories.lumora.example}
"""


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example built twice: GA4 behind Material's consent banner, and Plausible without one."""
    root = copy_project(tmp_path_factory.mktemp("analytics") / "example")
    config = (root / "mkdocs.yml").read_text("utf-8")
    built = {}
    for name, extra in (("ga4", GA4), ("plausible", PLAUSIBLE)):
        (root / "mkdocs.yml").write_text(config + extra, "utf-8")
        run = casebook("build", "--as-of", AS_OF, "--site-dir", f"site-{name}", cwd=root)
        assert run.returncode == 0, run.output
        built[name] = root / f"site-{name}"
    return built


def _page(browser, base: str, outside: list[str]):
    context = browser.new_context(accept_downloads=True)

    def route(request_route) -> None:
        if request_route.request.url.startswith(base):
            request_route.continue_()
        else:
            outside.append(request_route.request.url)
            request_route.abort()

    context.route("**/*", route)
    return context.new_page()


def _ga4_events(page) -> list[list]:
    return page.evaluate("(window.dataLayer || []).map(a => Array.from(a)).filter(a => a[0] === 'event')")


def test_ga4_sends_nothing_before_consent(sites: dict[str, Path]) -> None:
    outside: list[str] = []
    with static_server(sites["ga4"]) as base, chromium() as browser:
        page = _page(browser, base, outside)
        page.goto(base + CASE)
        page.locator("form[name=consent]").wait_for(state="visible")
        with page.expect_download():
            page.locator(".cb-download[data-cb-event=download]").first.dispatch_event("click")
        assert page.evaluate("typeof window.dataLayer") == "undefined"
        with page.expect_navigation():
            page.get_by_role("button", name="Reject").click()
        with page.expect_download():
            page.locator(".cb-download[data-cb-event=download]").first.click()
        assert page.evaluate("typeof window.dataLayer") == "undefined"
    assert outside == []


def test_ga4_download_and_share_send_one_event_each_after_consent(sites: dict[str, Path]) -> None:
    outside: list[str] = []
    with static_server(sites["ga4"]) as base, chromium() as browser:
        page = _page(browser, base, outside)
        page.goto(base + CASE)
        with page.expect_navigation():
            page.get_by_role("button", name="Accept").click()
        assert any(url.startswith("https://www.googletagmanager.com/gtag/js?id=G-CASEBOOK1") for url in outside)
        assert _ga4_events(page) == []
        with page.expect_download() as download:
            page.locator(".cb-download[data-cb-event=download]").first.click()
        assert download.value.suggested_filename == "northwind-grocers-shelf-gaps.pdf"
        events = _ga4_events(page)
        assert len(events) == 1
        name, params = events[0][1], events[0][2]
        assert name == "file_download"
        assert params["content_type"] == "case" and params["industry"] == "retail"
        assert params["role"] == "decision-maker administrator"
        assert params["file_name"] == "/downloads/cases/northwind-grocers-shelf-gaps.pdf" and params["file_extension"] == "pdf"
        with page.expect_popup():
            page.locator("a.cb-share__link[data-cb-network=linkedin]").click()
        share = _ga4_events(page)[1]
        assert share[1] == "share" and share[2]["method"] == "linkedin" and share[2]["industry"] == "retail"
        assert len(_ga4_events(page)) == 2


def test_plausible_download_event_carries_the_segment(sites: dict[str, Path]) -> None:
    outside: list[str] = []
    with static_server(sites["plausible"]) as base, chromium() as browser:
        page = _page(browser, base, outside)
        page.goto(base + "whitepapers/")
        page.goto(base + "downloads/")
        assert "https://plausible.io/js/script.js" in outside
        with page.expect_download():
            page.locator(".cb-download[data-cb-event=download][data-cb-kind=casebook]").first.click()
        queued = page.evaluate("(window.plausible.q || []).map(a => Array.from(a))")
        assert len(queued) == 1
        name, options = queued[0]
        assert name == "File Download"
        assert options["props"]["kind"] == "casebook" and options["props"]["industry"]
        assert options["props"]["url"].startswith(base + "downloads/casebooks/")
