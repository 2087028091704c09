"""The example site, built with the real command: pages, segments, leaks, determinism."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import date
from html import unescape
from pathlib import Path

import pytest

from conftest import AS_OF, MINIMAL_CASE, REPO, casebook, tree_bytes, write
from content import cases, internal_values, public

BUILD_DAY = date.fromisoformat(AS_OF)
CASES = cases()
PUBLIC = {slug for slug, meta in CASES.items() if public(meta, BUILD_DAY)}
HIDDEN = set(CASES) - PUBLIC


def html(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text("utf-8")


def card_slugs(page_html: str, section: str = "") -> set[str]:
    """Slugs of the case cards on a page (optionally only inside one section)."""
    if section:
        page_html = page_html.split(f'id="{section}"', 1)[1].split("</section>", 1)[0]
    return {href.rstrip("/").rsplit("/", 1)[-1] for href in re.findall(r'class="cb-card__link" href="([^"]+)"', page_html)}


def test_example_has_hidden_cases_of_every_kind() -> None:
    states = {CASES[slug]["approval"]["status"] for slug in HIDDEN}
    assert {"draft", "in_review", "approved"} <= states  # approved ones are embargoed or expired
    assert any(CASES[s].get("publish_on") for s in HIDDEN) and any(CASES[s]["approval"].get("expires_on") for s in HIDDEN)
    assert len(PUBLIC) >= 24


def test_every_public_case_has_a_page_and_no_hidden_one_does(example_site: Path) -> None:
    built = {p.parent.name for p in (example_site / "cases").glob("*/index.html")}
    assert built == PUBLIC
    library = html(example_site, "cases")
    assert card_slugs(library) == PUBLIC


@pytest.mark.parametrize("facet, field", [("industries", "industry"), ("sizes", "size"), ("roles", "roles"), ("stages", "stage")])
def test_hubs_list_exactly_the_public_cases_of_their_segment(example_site: Path, facet: str, field: str) -> None:
    hubs = [p.parent.name for p in (example_site / facet).glob("*/index.html")]
    assert hubs
    for key in hubs:
        expected = {
            slug for slug in PUBLIC
            if key in ((CASES[slug]["roles"]) if field == "roles"
                       else [CASES[slug].get(field) or CASES[slug]["customer"].get(field)])
        }
        assert card_slugs(html(example_site, f"{facet}/{key}"), "cases") == expected, (facet, key)


def test_role_hubs_speak_to_their_role(example_site: Path) -> None:
    assert "return on investment" in html(example_site, "roles/decision-maker")
    assert "integrated, secured and rolled out" in html(example_site, "roles/administrator")
    assert "your day" in html(example_site, "roles/business-user")


def test_case_page_has_facts_results_quote_related_and_cta(example_site: Path) -> None:
    page = unescape(html(example_site, "cases/northwind-grocers-shelf-gaps"))
    meta = CASES["northwind-grocers-shelf-gaps"]
    assert f"<h1>{meta['title']}</h1>" in page
    for result in meta["results"]:
        assert result["value"] in page and result["metric"] in page
    assert meta["quote"]["text"] in page
    assert "Customer facts" in page and meta["customer"]["region"] in page
    assert "<h2 id=\"challenge\">Challenge</h2>" in page
    related = card_slugs(page, "companies-like-yours")
    assert len(related) == 3 and related <= PUBLIC - {"northwind-grocers-shelf-gaps"}
    assert "mailto:sales@lumora.example" in page


def test_chinese_text_is_published_intact(example_site: Path) -> None:
    page = html(example_site, "cases/brightleaf-home-shenzhen-omnichannel")
    chinese = re.findall(r"[\u4e00-\u9fff]{4,}", (REPO / "cases/brightleaf-home-shenzhen-omnichannel.md").read_text("utf-8"))
    assert chinese and all(text in page for text in chinese)


def test_home_has_logo_wall_results_and_entry_points(example_site: Path) -> None:
    page = html(example_site, "")
    featured = {slug for slug in PUBLIC if CASES[slug].get("featured")}
    wall = page.split('id="trusted-by"', 1)[1].split("</section>", 1)[0]
    assert set(re.findall(r'href="cases/([a-z0-9-]+)/"', wall)) == featured
    assert wall.count("<img") == len(featured)
    assert 'href="roles/decision-maker/"' in page and 'href="industries/retail/"' in page


def test_white_paper_and_kit_landing_pages(example_site: Path) -> None:
    gated = html(example_site, "whitepapers/retail-benchmark-2026")
    assert "Who it is for" in gated and "Contents" in gated
    assert 'class="cb-body cb-paper__body"' not in gated  # a gated paper's body is not on the page
    open_paper = html(example_site, "whitepapers/frontline-ai-playbook")
    assert 'class="cb-body cb-paper__body"' in open_paper and "<table>" in open_paper
    assert re.search(r'<img src="\.\./\.\./assets/casebook/media/[0-9a-f]{12}-[^"]+\.svg"', open_paper)
    assert not (example_site / "whitepapers/continuous-compliance-regional-lenders").exists()
    kit = html(example_site, "kits/manufacturing-uptime-kit")
    assert card_slugs(kit) == {s for s in PUBLIC if CASES[s]["customer"]["industry"] == "manufacturing"}
    assert not (example_site / "kits/lender-compliance-bundle").exists()


def test_generated_pages_stay_out_of_the_sidebar_nav(example_site: Path) -> None:
    page = html(example_site, "cases/northwind-grocers-shelf-gaps")
    nav_links = re.findall(r'class="md-nav__link[^"]*"[^>]*href="([^"]+)"|href="([^"]+)"[^>]*class="md-nav__link', page)
    targets = {a or b for a, b in nav_links}
    assert targets and not any(re.search(r"cases/[a-z0-9-]+/$", t) for t in targets)


def test_nothing_hidden_or_internal_in_any_output_byte(example_site: Path) -> None:
    needles: dict[str, str] = {}
    for slug in HIDDEN:
        meta = CASES[slug]
        needles[meta["customer"]["name"]] = slug
        needles[meta["title"]] = slug
        needles[meta["summary"]] = slug
        needles[slug] = slug
    for slug, meta in CASES.items():
        for value in internal_values(meta.get("internal")):
            needles[value] = f"{slug} internal"
    assert len(needles) > 40
    for rel, data in tree_bytes(example_site).items():
        text = data.decode("utf-8", errors="ignore")
        for needle, source in needles.items():
            assert needle not in text and unescape(needle) not in unescape(text), f"{rel} leaks {source}: {needle!r}"


def test_search_index_holds_public_content_only(example_site: Path) -> None:
    index = (example_site / "search/search_index.json").read_text("utf-8")
    assert CASES["northwind-grocers-shelf-gaps"]["customer"]["name"] in index
    for slug in HIDDEN:
        assert f"cases/{slug}/" not in index


def test_no_raw_content_copied(example_site: Path) -> None:
    files = tree_bytes(example_site)
    assert not any(rel.endswith(".md") for rel in files)
    assert not any("approval:" in data.decode("utf-8", "ignore") for data in files.values())


def test_two_builds_are_byte_identical(example: Path, tmp_path: Path) -> None:
    first = casebook("build", "--as-of", AS_OF, "--site-dir", str(tmp_path / "one"), cwd=example)
    second = casebook("build", "--as-of", AS_OF, "--site-dir", str(tmp_path / "two"), cwd=example)
    assert first.returncode == second.returncode == 0, first.output + second.output
    one, two = tree_bytes(tmp_path / "one"), tree_bytes(tmp_path / "two")
    assert one.keys() == two.keys()
    assert [rel for rel in one if one[rel] != two[rel]] == []


def test_as_of_decides_what_is_public(example: Path, tmp_path: Path) -> None:
    run = casebook("build", "--as-of", "2031-03-02", "--site-dir", str(tmp_path / "later"), cwd=example)
    assert run.returncode == 0, run.output
    later = {p.parent.name for p in (tmp_path / "later/cases").glob("*/index.html")}
    assert "zephyrine-rail-freight-yard-automation" in later  # the embargo has lifted
    assert "ottoline-savings-bank-branch-queues" not in later  # still expired


def test_failed_build_leaves_site_untouched(example: Path) -> None:
    assert casebook("build", "--as-of", AS_OF, cwd=example).returncode == 0
    before = tree_bytes(example / "site")
    write(example, "cases/northwind-grocers-shelf-gaps.md",
          (example / "cases/northwind-grocers-shelf-gaps.md").read_text().replace("industry: retail", "industry: retial"))
    run = casebook("build", "--as-of", AS_OF, cwd=example)
    assert run.returncode == 1
    assert "cases/northwind-grocers-shelf-gaps.md:" in run.stdout and "did you mean 'retail'?" in run.stdout
    assert "nothing was changed" in run.stderr
    assert tree_bytes(example / "site") == before


def test_broken_template_is_located_and_leaves_site_untouched(example: Path) -> None:
    assert casebook("build", "--as-of", AS_OF, cwd=example).returncode == 0
    before = tree_bytes(example / "site")
    template = example / "site_templates/pages/case.md.j2"
    template.write_text(template.read_text().replace("{{ m.summary }}", "{{ m.summary }"))
    run = casebook("build", "--as-of", AS_OF, cwd=example)
    assert run.returncode == 1 and "Traceback" not in run.output
    assert "site_templates/pages/case.md.j2:" in run.stdout and "error: template:" in run.stdout
    assert tree_bytes(example / "site") == before


def test_hostile_content_renders_literally(project: Path, tmp_path: Path) -> None:
    hostile = MINIMAL_CASE.replace('title: "How Acme Widgets halved returns"',
                                   'title: "<img src=x onerror=alert(1)> {{ 7*7 }}"')
    hostile += "\n<script>alert('body')</script>\n\n{% raw %}{{ config }}{% endraw %} [click](javascript:alert(2))\n"
    write(project, "cases/acme.md", hostile)
    run = casebook("build", "--as-of", AS_OF, cwd=project)
    assert run.returncode == 0, run.output
    page = (project / "site/cases/acme/index.html").read_text("utf-8")
    assert "<script>alert" not in page and "<img src=x" not in page and 'href="javascript:' not in page
    assert "&lt;script&gt;alert(&#x27;body&#x27;)&lt;/script&gt;" in page or "&lt;script&gt;alert('body')&lt;/script&gt;" in page
    assert "{{ 7*7 }}" in unescape(page) and "{% raw %}{{ config }}{% endraw %}" in unescape(page)
    for rel, data in tree_bytes(project / "site").items():
        if rel.endswith((".html", ".xml", ".json", ".js")):
            assert b"<img src=x onerror" not in data, rel


def test_mkdocs_build_gives_the_same_site(example: Path, tmp_path: Path) -> None:
    """Both commands, each from an empty cache: each renders every PDF and social card
    (the cards while the pages are built) and makes the same files."""
    env = {"CASEBOOK_AS_OF": AS_OF, "SOURCE_DATE_EPOCH": "1795392000", "PATH": str(Path(sys.executable).parent)}
    done = subprocess.run([str(Path(sys.executable).with_name("mkdocs")), "build", "-q", "-d", str(tmp_path / "theirs")],
                          cwd=example, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    shutil.rmtree(example / ".casebook")
    ours = casebook("build", "--as-of", AS_OF, "--site-dir", str(tmp_path / "ours"), cwd=example)
    assert ours.returncode == 0, ours.output
    assert "0 unchanged" in ours.stdout, ours.stdout
    theirs = tree_bytes(tmp_path / "theirs")
    assert sum(rel.startswith("assets/casebook/cards/") for rel in theirs) > 20
    assert tree_bytes(tmp_path / "ours") == theirs

@pytest.mark.parametrize("svg, attributes", [
    ('width="640" height="400"', ' width="640" height="400"'),
    ('viewBox="0 0 300 200"', ' width="300" height="200"'),
    ('width="150" viewBox="0 0 300 200"', ' width="150" height="100"'),
    ('width="100%" height="100%"', ""),  # sized by its container: no size of its own
    ('viewBox="0 0 0.4 0.2"', ""),  # would round to 0 x 0 and hide the figure
])
def test_a_story_figure_carries_the_size_its_file_gives(project: Path, svg: str, attributes: str) -> None:
    write(project, "cases/img/chart.svg", f'<svg xmlns="http://www.w3.org/2000/svg" {svg}><rect width="1" height="1"/></svg>')
    write(project, "cases/acme.md", MINIMAL_CASE + "\n![Chart](img/chart.svg)\n")
    assert casebook("build", "--no-pdf", "--as-of", AS_OF, cwd=project).returncode == 0
    page = (project / "site/cases/acme/index.html").read_text("utf-8")
    assert re.search(rf'<img src="[^"]*chart\.svg" alt="Chart"{attributes}>', page), re.findall(r"<img [^>]*chart[^>]*>", page)
