"""What a visitor sees, in real Chromium at a phone's and a laptop's width: no page scrolls
sideways, chips and logos lie in rows, grids leave no orphan row, no console error and no
failed request; headings, favicon and footer are the brand's. And the PDF covers: the
title printed once, nothing clipped, no text over other text."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from browser import chromium, first_search_result, static_server
from conftest import REPO

PAGES = ["", "cases/", "industries/retail/", "roles/decision-maker/", "cases/northwind-grocers-shelf-gaps/",
         "whitepapers/retail-benchmark-2026/", "kits/retail-operations-starter-kit/", "downloads/", "quotes/"]
WIDTHS = {"phone": 390, "laptop": 1366}


def rows(page, selector: str) -> list[list[float]]:
    """The boxes' left edges, grouped by their top edge."""
    boxes = page.eval_on_selector_all(selector, "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.top, r.left]; })")
    found: dict[float, list[float]] = {}
    for top, left in boxes:
        found.setdefault(round(top), []).append(left)
    return [sorted(lefts) for _, lefts in sorted(found.items())]


@pytest.mark.parametrize("width", WIDTHS)
def test_pages_fit_the_screen_and_load_cleanly(example_site: Path, width: str) -> None:
    with static_server(example_site) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": WIDTHS[width], "height": 900})
        errors: list[str] = []
        page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: errors.append(f"failed: {r.url}"))
        page.on("response", lambda r: errors.append(f"{r.status}: {r.url}") if r.status >= 400 else None)
        for path in PAGES:
            page.goto(base + path, wait_until="networkidle")
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {WIDTHS[width]}px"
        assert errors == []


def test_chips_and_logos_lie_in_rows(example_site: Path) -> None:
    with static_server(example_site) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(base)
        chips = rows(page, "#by-industry + .cb-chips > li")
        assert len(chips) == 1 and len(chips[0]) == 8, chips  # eight industries, one row
        logos = rows(page, ".cb-logo-wall li")
        assert [len(row) for row in logos] == [6], logos
        page.goto(base + "industries/retail/")
        assert len(rows(page, "#more + .cb-chips > li")) == 1
        phone = browser.new_page(viewport={"width": 390, "height": 900})
        phone.goto(base)
        assert [len(row) for row in rows(phone, ".cb-logo-wall li")] == [3, 3]
        assert all(len(row) > 1 for row in rows(phone, "#by-industry + .cb-chips > li"))


@pytest.mark.parametrize("selector, laptop, phone", [
    (".cb-results > .cb-metric", [3, 3], [2, 2, 2]),  # six headline results
    ("#by-role + .cb-balanced > .cb-tile", [3], [1, 1, 1]),  # three roles fill their row
    ("#latest + .cb-grid > .cb-card", [3, 3], [1] * 6),
])
def test_home_grids_leave_no_orphan_row(example_site: Path, selector: str, laptop: list[int], phone: list[int]) -> None:
    with static_server(example_site) as base, chromium() as browser:
        for width, expected in ((1366, laptop), (390, phone)):
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(base)
            assert [len(row) for row in rows(page, selector)] == expected, (width, rows(page, selector))


def test_headings_favicon_and_footer_are_the_brands(example_site: Path) -> None:
    html = (example_site / "index.html").read_text("utf-8")
    assert '<link rel="icon" href="assets/casebook/brand/lumora.svg">' in html
    assert "Made with" not in html and "Material for MkDocs" not in html
    with static_server(example_site) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(base + "cases/northwind-grocers-shelf-gaps/")
        weight, colour = page.eval_on_selector("h1", "e => [getComputedStyle(e).fontWeight, getComputedStyle(e).color]")
        assert int(weight) >= 700
        assert colour == "rgba(0, 0, 0, 0.87)"  # Material's text colour, not its light grey (0.54)


def test_the_wechat_panel_opens_without_moving_its_neighbours(example_site: Path) -> None:
    with static_server(example_site) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(base + "cases/northwind-grocers-shelf-gaps/")
        email = page.locator(".cb-share__link[data-cb-network=email]")
        where = "e => { const r = e.getBoundingClientRect(); return [r.left, r.top + window.scrollY, r.width, r.height]; }"
        before = email.evaluate(where)
        wechat = page.locator("summary.cb-share__link")
        pill = page.locator(".cb-share__link[data-cb-network=linkedin]")
        assert wechat.evaluate("e => getComputedStyle(e).borderTopColor") == pill.evaluate("e => getComputedStyle(e).borderTopColor")
        assert abs(wechat.bounding_box()["height"] - pill.bounding_box()["height"]) < 1
        wechat.click()
        assert page.is_visible(".cb-share__panel img")
        assert email.evaluate(where) == before


def test_search_skips_related_cases_and_share_links(example_site: Path) -> None:
    index = json.loads((example_site / "search/search_index.json").read_text("utf-8"))
    story = [doc for doc in index["docs"] if doc["location"].startswith("cases/northwind-grocers-shelf-gaps/")]
    text = " ".join(doc["text"] + " " + doc["title"] for doc in story)
    assert "Northwind standardised its gap check" in text
    assert "Companies like yours" not in text and "Harbor Lane Outfitters" not in text and "Share this story" not in text


def test_kit_tools_are_downloads_and_sizes_sit_in_the_facts(example_site: Path) -> None:
    html = (example_site / "kits/retail-operations-starter-kit/index.html").read_text("utf-8")
    assert re.search(r'<a href="\.\./\.\./downloads/kits/retail-operations-starter-kit/retail-roi-worksheet\.csv" download', html)
    assert (example_site / "downloads/kits/retail-operations-starter-kit/retail-roi-worksheet.csv").is_file()
    assert re.search(r'<a href="\.\./\.\./downloads/kits/retail-operations-starter-kit\.zip" download[^>]*>retail-rollout-checklist\.md', html)
    facts = html.split('<dl class="cb-facts cb-facts--inline">', 1)[1].split("</dl>", 1)[0]
    assert "<dt>Company sizes</dt>" in facts


def test_the_quotes_page_heading_matches_its_nav_label(example_site: Path) -> None:
    html = (example_site / "quotes/index.html").read_text("utf-8")
    assert "<h1>Customer voices</h1>" in html


def words_with_boxes(pdf: Path) -> list[tuple[str, float, float, float, float]]:
    """(word, xMin, yMin, xMax, yMax) of page 1, from poppler's pdftotext -bbox."""
    out = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return [(m.group(5), *map(float, m.groups()[:4])) for m in
            re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', out)]


@pytest.mark.parametrize("slug, title", [
    ("retail-benchmark-2026", "The 2026 Retail Operations Benchmark"),
    ("frontline-ai-playbook", "The Frontline AI Playbook"),
    ("manufacturing-downtime-report", None),
])
def test_white_paper_covers_print_the_title_once_and_clip_nothing(example_site: Path, slug: str, title: str | None) -> None:
    pdf = example_site / f"downloads/whitepapers/{slug}.pdf"
    words = words_with_boxes(pdf)
    assert words
    page = subprocess.run(["pdfinfo", "-f", "1", "-l", "1", str(pdf)], capture_output=True, text=True).stdout
    width, height = map(float, re.search(r"Page\s+1 size:\s+([\d.]+) x ([\d.]+)", page).groups())
    for word, x0, y0, x1, y1 in words:
        assert 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height, f"{word!r} runs off the cover"
    if title:
        text = " ".join(w for w, *_ in words)
        assert text.count(title.split()[-1]) == 1, text
    boxes = [(x0, y0, x1, y1) for _, x0, y0, x1, y1 in words]
    for i, (ax0, ay0, ax1, ay1) in enumerate(boxes):
        for bx0, by0, bx1, by1 in boxes[i + 1:]:
            overlap_x = min(ax1, bx1) - max(ax0, bx0)
            overlap_y = min(ay1, by1) - max(ay0, by0)
            assert not (overlap_x > 1 and overlap_y > 1), f"text boxes overlap on the {slug} cover"


def test_the_one_pager_quote_mark_keeps_clear_of_the_facts_box(example_site: Path) -> None:
    checked = 0
    for pdf in sorted((example_site / "downloads/cases").glob("*.pdf")):
        words = words_with_boxes(pdf)
        marks = [w for w in words if w[0] == "\u201c"]
        if not marks:
            continue
        _, mx0, my0, _, _ = marks[0]
        above = [y1 for word, x0, y0, x1, y1 in words if x0 >= mx0 - 2 and y1 <= my0 + 3 and word != "\u201c"]
        assert my0 - max(above) >= 6, f"the quote mark of {pdf.name} touches the facts box"
        checked += 1
    assert checked >= 10


def test_download_cards_show_the_first_page_of_long_documents(example_site: Path) -> None:
    from PIL import Image

    html = (example_site / "downloads/index.html").read_text("utf-8")
    covers = re.findall(r'<img class="cb-card__cover" src="([^"]+\.cover\.webp)"', html)
    assert len(covers) == 3 + 2 + 8  # white papers, kits, industry case books
    with Image.open(example_site / "downloads" / covers[0]) as image:
        assert image.format == "WEBP" and image.width == 480 and image.height > image.width
    kits = (example_site / "kits/index.html").read_text("utf-8")
    assert kits.count('class="cb-card__cover"') == 2


def test_the_dark_scheme_keeps_headings_and_numbers_legible(example_site: Path) -> None:
    """Casebook's colours follow Material's scheme: in dark mode headings turn light and the
    big numbers are lifted off the dark background."""
    with static_server(example_site) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1366, "height": 900}, color_scheme="dark")
        page.goto(base + "cases/northwind-grocers-shelf-gaps/")
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
        heading = page.eval_on_selector("h1", "e => getComputedStyle(e).color")
        figure = page.eval_on_selector(".cb-metric__value", "e => getComputedStyle(e).color")
        facts = page.eval_on_selector(".cb-facts-box", "e => getComputedStyle(e).backgroundColor")

        def light(colour: str) -> float:
            """Mean channel, 0-255, of rgb() or of color(srgb ...) (color-mix() yields the latter)."""
            scale = 255 if colour.startswith("color(") else 1
            r, g, b = (float(v) * scale for v in re.findall(r"[\d.]+", colour)[:3])
            return (r + g + b) / 3

        assert light(heading) > 180 and light(figure) > 130 and light(facts) < 80, (heading, figure, facts)


@pytest.mark.parametrize("query, slug", [("Northwind Grocers", "northwind-grocers-shelf-gaps"),
                                         ("Harbor Lane Outfitters", "harbor-lane-outfitters-store-tasks")])
def test_searching_a_customer_finds_its_own_case_first(example_site: Path, query: str, slug: str) -> None:
    with static_server(example_site) as base, chromium() as browser:
        first = first_search_result(browser, base, query)
        assert first.rstrip("/").endswith(f"cases/{slug}"), first


def test_the_search_index_loads_only_once_the_visitor_reaches_for_search(example_site: Path) -> None:
    """Material fetches the whole index with every page; a phone on a case page should not."""
    with static_server(example_site) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        fetched: list[str] = []
        page.on("request", lambda request: fetched.append(request.url) if "search_index" in request.url else None)
        page.goto(base + "cases/northwind-grocers-shelf-gaps/", wait_until="networkidle")
        page.wait_for_timeout(500)
        assert fetched == []
        page.keyboard.press("s")  # Material's shortcut opens search
        page.keyboard.type("Harbor Lane", delay=20)
        page.wait_for_selector(".md-search-result__item", timeout=30000)
        assert fetched == [base + "search/search_index.json"]
        first = page.eval_on_selector(".md-search-result__item > a", "e => e.getAttribute('href')")
        assert first.rstrip("/").endswith("cases/harbor-lane-outfitters-store-tasks"), first


def test_a_theme_folder_of_the_projects_own_keeps_casebooks_design(example: Path) -> None:
    """theme.custom_dir pointing at the project's own folder: its templates win, and
    Casebook's overrides (head metadata, feeds, sitemap, the script flag) still apply
    beneath them."""
    from conftest import AS_OF, casebook, write

    write(example, "my_theme/main.html", '{% extends "casebook.html" %}\n'
          '{% block footer %}<p class="our-footer">Lumora GmbH, Berlin</p>{{ super() }}{% endblock %}\n')
    config = example / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("custom_dir: site_templates/overrides", "custom_dir: my_theme"), "utf-8")
    run = casebook("build", "--as-of", AS_OF, "--no-pdf", cwd=example)
    assert run.returncode == 0, run.output
    html = (example / "site/cases/northwind-grocers-shelf-gaps/index.html").read_text("utf-8")
    assert '<p class="our-footer">Lumora GmbH, Berlin</p>' in html
    assert '<meta property="og:title"' in html and 'classList.add("cb-js")' in html
    assert "<lastmod>2025-06-12</lastmod>" in (example / "site/sitemap.xml").read_text("utf-8")


def test_case_cards_show_the_customers_logo_and_the_quote_spans_the_page(example_site: Path) -> None:
    library = (example_site / "cases/index.html").read_text("utf-8")
    brands = re.findall(r'<div class="cb-card__brand">(.*?)</div>', library, re.S)
    assert len(brands) == library.count('class="cb-card__link"') > 20
    with_logo = {path.stem for path in (example_site.parent / "cases").glob("*.md") if "\n  logo: " in path.read_text("utf-8")}
    shown = [brand for brand in brands if '<img class="cb-logo"' in brand]
    assert len(shown) == len(with_logo & {p.parent.name for p in (example_site / "cases").glob("*/index.html")}) > 5
    with static_server(example_site) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(base + "cases/northwind-grocers-shelf-gaps/")
        quote = page.eval_on_selector(".cb-quote--feature", "e => e.getBoundingClientRect().width")
        column = page.eval_on_selector(".cb-page", "e => e.getBoundingClientRect().width")
        assert abs(quote - column) < 2  # the customer's words span the page, not a shrunken box
        assert page.locator(".cb-body blockquote").count() == 1
        styles = [page.eval_on_selector(s, "e => getComputedStyle(e).backgroundColor") for s in (".cb-quote--feature", ".cb-body blockquote")]
        assert styles[0] == styles[1]  # one style for the customer's words


def test_the_site_serves_its_fonts_as_small_woff2_files_and_preloads_the_first_two(example_site: Path) -> None:
    fonts = example_site / "assets/casebook/fonts"
    served = sorted(p.name for p in fonts.iterdir())
    assert served == sorted(p.with_suffix(".woff2").name for p in (REPO / "site_templates/fonts").glob("*.otf")) + ["OFL.txt"]
    for font in fonts.glob("*.woff2"):
        assert font.read_bytes()[:4] == b"wOF2" and font.stat().st_size < 70_000
    css = (example_site / "assets/casebook/brand.css").read_text("utf-8")
    assert 'src: url("fonts/Inter-Regular.woff2") format("woff2"); unicode-range: U+0000-024F' in css
    html = (example_site / "index.html").read_text("utf-8")
    assert html.count('rel="preload"') == 2 and 'href="./assets/casebook/fonts/Inter-Bold.woff2" as="font"' in html


SIZED = {  # images whose files say their size, by page: each keeps its room before it arrives
    "whitepapers/frontline-ai-playbook/": [".cb-cover", ".cb-body img"],
    "cases/northwind-grocers-shelf-gaps/": ["img.cb-logo"],
    "": [".cb-logo-wall .cb-logo"],
    "cases/": [".cb-card__brand .cb-logo"],
}


@pytest.mark.parametrize("path", SIZED)
def test_images_keep_their_room_before_their_files_arrive(example_site: Path, path: str) -> None:
    def boxes(page) -> list[list[float]]:
        """Each image's width, height and whether its file has arrived."""
        found = []
        for selector in SIZED[path]:
            found += page.eval_on_selector_all(selector, "els => els.map(e => { const r = e.getBoundingClientRect(); "
                                                         "return [r.width, r.height, e.naturalWidth > 0]; })")
        return found

    with static_server(example_site) as base, chromium() as browser:
        waiting = browser.new_page(viewport={"width": 390, "height": 900})
        held = []
        waiting.route("**/assets/casebook/media/**", lambda route: held.append(route))  # never answered while measured
        waiting.goto(base + path, wait_until="domcontentloaded")
        before = boxes(waiting)
        loaded = browser.new_page(viewport={"width": 390, "height": 900})
        loaded.goto(base + path, wait_until="networkidle")
        loaded.evaluate("document.querySelectorAll('img').forEach(e => e.loading = 'eager')")  # the lazy ones below the fold too
        loaded.wait_for_load_state("networkidle")
        after = boxes(loaded)
        assert len(before) == len(after) >= len(SIZED[path])
        assert not any(arrived for _, _, arrived in before) and all(arrived for _, _, arrived in after)
        for (width, height, _), (final_width, final_height, _) in zip(before, after):
            assert final_height > 10 and abs(width - final_width) < 1 and abs(height - final_height) < 1, (before, after)
