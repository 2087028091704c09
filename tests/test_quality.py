"""Site quality on the built example site, with the tools a reviewer would use:
axe-core in Chromium (accessibility), the Nu HTML Checker (valid markup), LinkChecker
(every internal link, anchor and asset) and a weight budget for a case page."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Iterator

import pytest

from browser import chromium, static_server
from conftest import AS_OF, npm_tool
from content import cases, public

CASES = cases()
BUILD_DAY = date.fromisoformat(AS_OF)
PUBLIC_CASE = min(slug for slug, meta in CASES.items() if public(meta, BUILD_DAY))
NON_PUBLIC = {slug for slug, meta in CASES.items() if not public(meta, BUILD_DAY)}
NAMED_NON_PUBLIC = ("marlowe-ridge", "quenby-hollow", "zephyrine-rail", "ottoline-savings")
PAGES = {  # the pages a buyer meets first, and the two that list everything
    "home": "",
    "hub": "industries/retail/",
    "library": "cases/",
    "case": f"cases/{PUBLIC_CASE}/",
    "downloads": "downloads/",
    "white paper": "whitepapers/retail-benchmark-2026/",
    "kit": "kits/retail-operations-starter-kit/",
    "quote wall": "quotes/",
}
# A case page's HTML plus the CSS and JS it loads (uncompressed; about 80 KB gzipped today).
# Measured on 2026-11-23: HTML 21 KB, CSS 157 KB, JS 158 KB (Material's bundle and search worker: 153 KB).
HTML_BUDGET = 50_000
CSS_JS_BUDGET = 400_000
# Material for MkDocs puts autocomplete="off" on its two toggle checkboxes (drawer and
# search) so that browsers do not restore them on "back"; HTML allows the attribute only on
# text-like inputs. The markup is Material's base.html, outside any block we could override.
MATERIAL_TOGGLE = re.compile(r'<input class="md-toggle" data-md-toggle="(drawer|search)" type="checkbox"')


@pytest.fixture(scope="module")
def site(example_site: Path) -> Iterator[tuple[str, object]]:
    """The example site on a loopback server, and one headless Chromium."""
    with static_server(example_site) as base, chromium() as browser:
        yield base, browser


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_accessibility_violations(site, name: str) -> None:
    base, browser = site
    page = browser.new_page()
    try:
        page.goto(base + PAGES[name])
        page.add_script_tag(path=str(npm_tool("axe-core/axe.min.js")))
        violations = page.evaluate("""async () => (await axe.run(document)).violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map(n => n.target.join(' ')).slice(0, 5).join(', ')}`)""")
    finally:
        page.close()
    assert violations == [], "\n".join(violations)


def test_every_page_is_valid_html(example_site: Path) -> None:
    vnu = npm_tool("vnu-jar/build/dist/vnu.jar")
    run = subprocess.run(["java", "-jar", str(vnu), "--errors-only", "--skip-non-html", "--format", "json", str(example_site)],
                         capture_output=True, text=True, timeout=300)
    messages = json.loads(run.stderr)["messages"]
    material = [m for m in messages if m["message"].startswith("Attribute “autocomplete” is only allowed")
                and MATERIAL_TOGGLE.search(m.get("extract", ""))]
    ours = [f"{m['url'].rsplit('/site/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages if m not in material]
    assert ours == [], "\n".join(ours)
    pages = list(example_site.rglob("*.html"))
    assert len(pages) > 50 and len(material) == 2 * len(pages)  # the filter takes Material's two toggles per page, no more


def test_every_link_and_asset_resolves_and_no_link_names_a_non_public_case(example_site: Path, tmp_path: Path) -> None:
    checked = link_check(example_site, tmp_path)
    broken = [f"{row['url']} (linked from {row['parentname']}): {row['result']} {row['warningstring']}".strip()
              for row in checked if row["valid"] != "True" or row["warningstring"]]
    assert broken == [], "\n".join(broken)
    urls = {row["url"] for row in checked}
    assert all(any(slug.startswith(name) for slug in NON_PUBLIC) for name in NAMED_NON_PUBLIC)
    assert [url for url in urls if any(slug in url for slug in NON_PUBLIC)] == []
    reached = {url.split("#")[0] for url in urls}
    for html in example_site.rglob("*.html"):
        path = html.relative_to(example_site).as_posix().removesuffix("index.html")
        assert path.endswith("404.html") and path.count("/") <= 1 or any(url.endswith("/" + path) for url in reached), \
            f"no page links {path}"  # a site's (and each language's) page for a missing address


def link_check(site_dir: Path, work: Path) -> list[dict[str, str]]:
    """LinkChecker over a loopback server: every URL it met, with its result (external ones are listed, not fetched)."""
    config = work / "linkcheckerrc"
    # The LinkChecker response header lifts LinkChecker's politeness limit for a server we own.
    config.write_text("[checking]\nmaxrequestspersecond=1000\nthreads=4\n[AnchorCheck]\n", "utf-8")
    with static_server(site_dir, headers={"LinkChecker": "allow"}) as base:
        run = subprocess.run([str(Path(sys.executable).with_name("linkchecker")), "--config", str(config), "--no-status",
                              "--verbose", "--output", "csv", base], capture_output=True, text=True, timeout=300)
    assert run.returncode in (0, 1), run.stderr
    rows = list(csv.DictReader([line for line in run.stdout.splitlines() if not line.startswith("#")], delimiter=";"))
    assert len([row for row in rows if row["result"] == "200 OK"]) > 100, run.stdout + run.stderr
    return rows


def test_a_case_page_stays_within_its_weight_budget(site) -> None:
    base, browser = site
    page = browser.new_page()
    loaded: list = []
    page.on("response", lambda response: loaded.append(response))
    try:
        page.goto(base + PAGES["case"], wait_until="networkidle")
        sizes = {kind: sum(len(r.body()) for r in loaded if r.request.resource_type == kind)
                 for kind in ("document", "stylesheet", "script")}
    finally:
        page.close()
    assert 0 < sizes["document"] <= HTML_BUDGET, sizes
    assert sizes["stylesheet"] > 0 and sizes["script"] > 0
    assert sizes["stylesheet"] + sizes["script"] <= CSS_JS_BUDGET, sizes
