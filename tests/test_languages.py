"""One site per language from one repository: the example's Chinese site under /zh/,
linked to the English one page by page, with its own search, feeds and PDFs; a
translation still in review in no output byte; a project without `languages` unchanged."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from pypdf import PdfReader

from browser import chromium, static_server
from conftest import AS_OF, REPO, casebook, copy_project, write

SITE_URL = "https://stories.lumora.example/"
TRANSLATED = "kestrel-electronics-suzhou-quality"
UNTRANSLATED = "orbitdesk-customer-onboarding"
IN_REVIEW = "pronto-parcel-driver-exceptions"  # public in English, its Chinese still in review
ALTERNATE = re.compile(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">')


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8").split("---")[1])


def page_file(site: Path, href: str) -> Path:
    path = urlsplit(href).path.lstrip("/")
    return site / (path + "index.html" if path.endswith("/") or not path else path)


def page_url(site: Path, file: Path) -> str:
    rel = file.relative_to(site).as_posix()
    return SITE_URL + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def alternates(file: Path) -> dict[str, str]:
    return dict(ALTERNATE.findall(file.read_text("utf-8")))


def test_every_alternate_exists_and_points_back(example_site: Path) -> None:
    pages = sorted(example_site.rglob("*.html"))
    linked = 0
    for file in pages:
        versions = alternates(file)
        if not versions:
            continue
        here = page_url(example_site, file)
        assert here in versions.values(), f"{file} does not name itself among its versions"
        assert versions["x-default"] == versions["en"]
        for lang, href in versions.items():
            target = page_file(example_site, href)
            assert target.is_file(), f"{file}: hreflang {lang} points to {href}, which does not exist"
            assert here in alternates(target).values(), f"{href} does not point back to {here}"
            linked += 1
    assert linked > 100
    case = alternates(example_site / "cases" / TRANSLATED / "index.html")
    assert case == {"en": f"{SITE_URL}cases/{TRANSLATED}/", "x-default": f"{SITE_URL}cases/{TRANSLATED}/",
                    "zh": f"{SITE_URL}zh/cases/{TRANSLATED}/"}
    assert alternates(example_site / "cases" / UNTRANSLATED / "index.html") == {}  # one language: no alternates
    sitemap = (example_site / "zh" / "sitemap.xml").read_text("utf-8")
    assert f'<loc>{SITE_URL}zh/cases/{TRANSLATED}/</loc>' in sitemap
    assert f'<xhtml:link rel="alternate" hreflang="en" href="{SITE_URL}cases/{TRANSLATED}/"/>' in sitemap
    assert f"{SITE_URL}zh/cases/{UNTRANSLATED}/" not in sitemap


def test_each_site_speaks_its_language(example_site: Path) -> None:
    zh = (example_site / "zh" / "cases" / TRANSLATED / "index.html").read_text("utf-8")
    en = (example_site / "cases" / TRANSLATED / "index.html").read_text("utf-8")
    title = front(REPO / "cases" / f"{TRANSLATED}.zh.md")["title"]
    assert '<html lang="zh"' in zh and '<html lang="en"' in en
    assert '<meta property="og:locale" content="zh_CN">' in zh and '<meta property="og:locale:alternate" content="en_US">' in zh
    assert '<meta property="og:locale" content="en_US">' in en
    assert title in zh and title not in en
    assert "2025年" in zh  # the date, by Babel's Chinese pattern
    assert 'id="cb-strings"' in zh and 'id="cb-strings"' not in en
    feed = (example_site / "zh" / "feeds" / "all.atom.xml").read_text("utf-8")
    assert 'xml:lang="zh"' in feed and f"{SITE_URL}zh/cases/{TRANSLATED}/" in feed and title in feed
    assert not (example_site / "zh" / "cases" / UNTRANSLATED).exists()  # untranslated: not listed by default
    assert (example_site / "zh" / "search" / "search_index.json").is_file()


def test_the_translation_in_review_is_in_no_output_byte(example_site: Path) -> None:
    meta = front(REPO / "cases" / f"{IN_REVIEW}.zh.md")
    assert meta["approval"]["status"] == "in_review"
    assert (example_site / "cases" / IN_REVIEW / "index.html").is_file()  # the English case is public
    assert not (example_site / "zh" / "cases" / IN_REVIEW).exists()
    secrets = [meta["title"], meta["summary"], meta["quote"]["text"][:30]]
    for file in example_site.rglob("*"):
        if not file.is_file():
            continue
        data = file.read_bytes()
        text = " ".join(page.extract_text() for page in PdfReader(file).pages) if file.suffix == ".pdf" else data.decode("utf-8", "replace")
        for secret in secrets:
            assert secret not in text, f"{file} holds {secret!r} of the translation in review"


def test_the_guard_finds_a_leak_planted_in_the_chinese_tree(example_site: Path, tmp_path: Path) -> None:
    example = copy_project(tmp_path / "example")
    site = tmp_path / "site"
    shutil.copytree(example_site, site)
    meta = front(REPO / "cases" / f"{IN_REVIEW}.zh.md")
    home = site / "zh" / "index.html"
    home.write_text(home.read_text("utf-8").replace("</main>", f"<p>{meta['summary']}</p></main>"), "utf-8")
    run = casebook("audit", str(site), "--as-of", AS_OF, cwd=example)
    assert run.returncode == 1, run.output
    assert "zh/index.html" in run.output and f"cases/{IN_REVIEW}.zh.md" in run.output


def test_a_chinese_one_pager_is_set_in_a_cjk_font_and_links_the_chinese_page(example_site: Path, tmp_path: Path) -> None:
    pdf = example_site / "zh" / "downloads" / "cases" / f"{TRANSLATED}.pdf"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "NotoSansCJK" in fonts, fonts
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    meta = front(REPO / "cases" / f"{TRANSLATED}.zh.md")
    assert meta["results"][0]["metric"] in text.replace("\n", "")
    english = front(REPO / "cases" / f"{TRANSLATED}.md")
    assert english["summary"] not in text
    expected = f"{SITE_URL}zh/cases/{TRANSLATED}/?utm_source=casebook&utm_medium=pdf&utm_campaign=case-{TRANSLATED}"
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True)
    decoded = set()
    for png in sorted(tmp_path.glob("page*.png")):
        done = subprocess.run(["zbarimg", "--quiet", "--raw", str(png)], capture_output=True, text=True)
        decoded.update(line for line in done.stdout.splitlines() if line)
    assert decoded == {expected}
    english_pdf = example_site / "downloads" / "cases" / f"{TRANSLATED}.pdf"
    assert english["summary"].split()[0] in PdfReader(english_pdf).pages[0].extract_text()
    assert (example_site / "zh" / "downloads" / "whitepapers" / "manufacturing-downtime-report.pdf").is_file()
    assert (example_site / "zh" / "downloads" / "kits" / "manufacturing-uptime-kit.pdf").is_file()
    assert (example_site / "zh" / "assets" / "casebook" / "cards" / f"case-{TRANSLATED}.png").is_file()


def _results(page, query: str) -> list[str]:
    page.click(".md-search__input")
    page.keyboard.type(query, delay=30)
    # Playwright inserts characters a keyboard has no key for without key events; an input
    # method ends with one, and Material's search listens for it
    page.keyboard.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=30000)
    return page.eval_on_selector_all(".md-search-result__item a", "links => links.map(a => a.getAttribute('href'))")


def test_chinese_search_and_the_language_switcher_in_chromium(example_site: Path) -> None:
    with static_server(example_site) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(base + "zh/")
        hrefs = _results(page, "苏州")
        assert any(TRANSLATED in href for href in hrefs), hrefs
        assert all("/zh/" in href for href in hrefs), hrefs  # the Chinese site's own index
        # The switcher links the published addresses (site_url): answer them from the built site.
        page.route(SITE_URL + "**", lambda route: route.fulfill(path=page_file(example_site, route.request.url))
                   if page_file(example_site, route.request.url).is_file() else route.fulfill(status=404))
        for start, lang, expected in ((f"cases/{TRANSLATED}/", "zh", f"zh/cases/{TRANSLATED}/"),
                                      (f"zh/cases/{TRANSLATED}/", "en", f"cases/{TRANSLATED}/"),
                                      (f"cases/{UNTRANSLATED}/", "zh", "zh/"),
                                      ("zh/quotes/", "en", "quotes/")):
            page.goto(SITE_URL + start)
            page.click(".md-header__option .md-select > button")
            page.click(f'.md-select__link[hreflang="{lang}"]')
            page.wait_for_url(SITE_URL + expected, timeout=15000)
            assert page.locator("html").get_attribute("lang") == lang


def test_exports_and_reports_per_language(example: Path) -> None:
    digest = casebook("export", "digest", "--since", "2025-01-01", "--lang", "zh", "--as-of", AS_OF, cwd=example)
    title = front(example / "cases" / f"{TRANSLATED}.zh.md")["title"]
    assert digest.returncode == 0 and title in digest.stdout and f"{SITE_URL}zh/cases/{TRANSLATED}/" in digest.stdout
    posts = casebook("export", "posts", "--lang", "zh", "--as-of", AS_OF, cwd=example)
    assert posts.returncode == 0 and title in posts.stdout and UNTRANSLATED not in posts.stdout
    coverage = casebook("report", "coverage", "--lang", "zh", "--as-of", AS_OF, cwd=example)
    assert coverage.returncode == 0 and "untr." in coverage.stdout and "untranslated" in coverage.stdout.splitlines()[-1]
    assert "untranslated" not in casebook("report", "coverage", "--as-of", AS_OF, cwd=example).stdout
    wrong = casebook("export", "digest", "--since", "2025-01-01", "--lang", "fr", "--as-of", AS_OF, cwd=example)
    assert wrong.returncode == 1 and "--lang: 'fr' is not a language of mkdocs.yml" in wrong.stderr


def test_a_project_without_languages_has_one_site(example_site: Path, tmp_path: Path) -> None:
    example = copy_project(tmp_path / "example")
    config = example / "mkdocs.yml"
    config.write_text(re.sub(r"^ *languages:.*\n", "", config.read_text("utf-8"), flags=re.M), "utf-8")
    for path in example.glob("*/*.zh.md"):
        path.unlink()
    run = casebook("build", "--as-of", AS_OF, "--no-pdf", cwd=example)
    assert run.returncode == 0, run.output
    site = example / "site"
    assert not (site / "zh").exists()
    for file in site.rglob("*"):
        if file.suffix in (".html", ".xml", ".json"):
            text = file.read_text("utf-8")
            for marker in ("hreflang", "og:locale", 'id="cb-strings"', "xmlns:xhtml", "md-select"):
                assert marker not in text, f"{file} has {marker}"
    both = {p.relative_to(example_site).as_posix() for p in example_site.rglob("*")
            if p.is_file() and not p.relative_to(example_site).as_posix().startswith(("zh/", "assets/casebook/cards/"))
            and p.suffix not in (".pdf", ".webp", ".zip")}  # the example's site is built with PDFs, this one without
    one = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert one == both  # the default language's site has the same files, at the same addresses


def test_strings_catalog_problems_are_located(example: Path) -> None:
    catalog = example / "site_templates" / "strings" / "zh.yml"
    text = catalog.read_text("utf-8")
    write(example, "site_templates/strings/zh.yml", text.replace("locale: zh_Hans_CN", "locale: xx_Nowhere"))
    run = casebook("validate", "--as-of", AS_OF, cwd=example)
    at = next(n for n, row in enumerate(catalog.read_text("utf-8").split("\n"), 1) if row.startswith("locale:"))
    assert run.returncode == 1
    assert f"site_templates/strings/zh.yml:{at}: error: locale: 'xx_Nowhere' is not a locale Babel knows" in run.stdout
    catalog.unlink()
    run = casebook("validate", "--as-of", AS_OF, cwd=example)
    assert run.returncode == 0 and "warning: no strings catalog for 简体中文 (zh)" in run.stdout


@pytest.mark.parametrize("setting", ["hide", "show"])
def test_untranslated_items_hidden_or_shown_in_the_default_language(example: Path, setting: str) -> None:
    config = example / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("  - casebook:\n", f"  - casebook:\n      untranslated: {setting}\n", 1), "utf-8")
    run = casebook("build", "--as-of", AS_OF, "--no-pdf", cwd=example)
    assert run.returncode == 0, run.output
    page = example / "site" / "zh" / "cases" / UNTRANSLATED / "index.html"
    library = (example / "site" / "zh" / "cases" / "index.html").read_text("utf-8")
    english = front(example / "cases" / f"{UNTRANSLATED}.md")["title"]
    if setting == "hide":
        assert not page.exists() and english not in library
        return
    html = page.read_text("utf-8")
    assert english in html and english in library
    assert f'<link rel="canonical" href="{SITE_URL}cases/{UNTRANSLATED}/">' in html  # the English page is the original
    assert 'lang="en"' in html and "hreflang" not in html.split("md-header")[0]


def test_internal_values_of_a_translated_case_reach_no_chinese_output(example_site: Path) -> None:
    """A translation takes everything it leaves out from its default file, `internal` too:
    none of it may reach the Chinese site, its PDFs or its feeds."""
    internal = front(REPO / "cases" / "brightleaf-home-shenzhen-omnichannel.md")["internal"]
    assert (example_site / "zh" / "cases" / "brightleaf-home-shenzhen-omnichannel" / "index.html").is_file()
    for file in (example_site / "zh").rglob("*"):
        if not file.is_file():
            continue
        text = " ".join(page.extract_text() for page in PdfReader(file).pages) if file.suffix == ".pdf" \
            else file.read_bytes().decode("utf-8", "replace")
        for value in internal.values():
            assert str(value) not in text, f"{file} holds the internal value {value!r}"


def test_a_bad_untranslated_setting_is_a_located_error(example: Path) -> None:
    config = example / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("  - casebook:\n", "  - casebook:\n      untranslated: sometimes\n", 1), "utf-8")
    run = casebook("validate", "--as-of", AS_OF, cwd=example)
    at = next(n for n, row in enumerate(config.read_text("utf-8").split("\n"), 1) if "untranslated:" in row)
    assert run.returncode == 1 and f"mkdocs.yml:{at}: error:" in run.stdout and "untranslated" in run.stdout, run.output
