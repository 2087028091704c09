"""PDF collateral, social cards and kit zips: real Typst output, checked with real tools."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from datetime import date
from html import unescape
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

from conftest import AS_OF, MINIMAL_CASE, REPO, casebook, tree_bytes, write
from content import cases, front_matter, public

BUILD_DAY = date.fromisoformat(AS_OF)
CASES = cases()
PUBLIC = {slug for slug, meta in CASES.items() if public(meta, BUILD_DAY)}
HIDDEN = set(CASES) - PUBLIC


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_every_public_item_has_its_files_and_nothing_else(example_site: Path) -> None:
    downloads = example_site / "downloads"
    assert {p.stem for p in (downloads / "cases").glob("*.pdf")} == PUBLIC
    assert {p.name for p in (example_site / "assets/casebook/cards").glob("case-*.png")} == {f"case-{s}.png" for s in PUBLIC}
    assert {p.stem for p in (downloads / "whitepapers").glob("*.pdf")} == {
        "retail-benchmark-2026", "frontline-ai-playbook", "manufacturing-downtime-report"}
    assert {p.relative_to(downloads / "kits").as_posix() for p in (downloads / "kits").rglob("*") if p.is_file()} == {
        "retail-operations-starter-kit.pdf", "retail-operations-starter-kit.zip",
        "manufacturing-uptime-kit.pdf", "manufacturing-uptime-kit.zip",
        # tools and templates on their own too; Markdown ones only in the zip (an engine makes pages of them)
        "retail-operations-starter-kit/retail-roi-worksheet.csv", "manufacturing-uptime-kit/manufacturing-downtime-roi.csv",
        # and a picture of each kit PDF's first page, for the cards
        "retail-operations-starter-kit.cover.webp", "manufacturing-uptime-kit.cover.webp"}
    industries = {CASES[s]["customer"]["industry"] for s in PUBLIC}
    assert {p.stem for p in (downloads / "casebooks").glob("*.pdf")} == industries
    assert {p.name.removesuffix(".cover.webp") for p in (downloads / "casebooks").glob("*.cover.webp")} == industries
    assert {p.name for p in (downloads / "whitepapers").glob("*.cover.webp")} == {
        f"{s}.cover.webp" for s in ("retail-benchmark-2026", "frontline-ai-playbook", "manufacturing-downtime-report")}
    assert not list((downloads / "cases").glob("*.webp"))  # one-pagers are shown by their customer's logo


def test_pdfs_pass_qpdf_check(example_site: Path) -> None:
    pdfs = sorted((example_site / "downloads").rglob("*.pdf"))
    assert len(pdfs) > 40
    for pdf in pdfs:
        done = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
        assert done.returncode == 0, (pdf, done.stdout, done.stderr)


def test_case_pdf_holds_title_customer_results_and_quote(example_site: Path) -> None:
    slug = "northwind-grocers-shelf-gaps"
    meta = CASES[slug]
    text = squash(pdf_text(example_site / f"downloads/cases/{slug}.pdf"))
    assert squash(meta["title"]) in text
    assert meta["customer"]["name"] in text
    for result in meta["results"]:
        assert result["value"] in text and squash(result["metric"]) in text
    assert squash(meta["quote"]["text"][:60]) in text
    assert len(PdfReader(example_site / f"downloads/cases/{slug}.pdf").pages) <= 2


def test_chinese_text_is_real_text_in_the_pdf(example_site: Path) -> None:
    slug = "brightleaf-home-shenzhen-omnichannel"
    source = (Path(__file__).parents[1] / f"cases/{slug}.md").read_text("utf-8")
    chinese = re.findall(r"[\u4e00-\u9fff]{4,}", source)
    text = pdf_text(example_site / f"downloads/cases/{slug}.pdf").replace("\n", "").replace(" ", "")
    assert chinese and all(run in text for run in chinese[:5])


def test_links_are_clickable_and_the_qr_code_decodes_to_the_tagged_url(example_site: Path, tmp_path: Path) -> None:
    slug = "northwind-grocers-shelf-gaps"
    pdf = example_site / f"downloads/cases/{slug}.pdf"
    uris = [annot.get_object()["/A"]["/URI"] for page in PdfReader(pdf).pages
            for annot in page.get("/Annots", []) if "/A" in annot.get_object()]
    expected = f"https://stories.lumora.example/cases/{slug}/?utm_source=casebook&utm_medium=pdf&utm_campaign=case-{slug}"
    assert expected in uris
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(pdf), str(tmp_path / "page")], check=True)
    decoded = set()
    for png in sorted(tmp_path.glob("page*.png")):
        done = subprocess.run(["zbarimg", "--quiet", "--raw", str(png)], capture_output=True, text=True)
        decoded.update(line for line in done.stdout.splitlines() if line)
    assert decoded == {expected}


def test_white_paper_has_cover_contents_numbers_bookmarks_and_figures(example_site: Path) -> None:
    reader = PdfReader(example_site / "downloads/whitepapers/frontline-ai-playbook.pdf")
    assert len(reader.pages) >= 6
    contents = reader.pages[1].extract_text()
    assert "Contents" in contents and re.search(r"\d\s*$", contents.strip().splitlines()[-1])
    assert len(reader.outline) >= 5  # bookmarks
    text = squash(pdf_text(example_site / "downloads/whitepapers/frontline-ai-playbook.pdf"))
    assert "Figure 1" in text
    assert "Use case" in text  # a table's header
    last = reader.pages[-1].extract_text()
    assert str(len(reader.pages)) in last  # page numbers in the footer


def test_kit_pdf_and_zip_hold_only_public_members(example_site: Path) -> None:
    kit = "manufacturing-uptime-kit"
    text = squash(pdf_text(example_site / f"downloads/kits/{kit}.pdf"))
    manufacturing = {s for s in PUBLIC if CASES[s]["customer"]["industry"] == "manufacturing"}
    for slug in manufacturing:
        assert squash(CASES[slug]["title"]) in text
    hidden_names = [CASES[s]["customer"]["name"] for s in HIDDEN]
    assert not any(name in text for name in hidden_names)
    archive = zipfile.ZipFile(example_site / f"downloads/kits/{kit}.zip")
    names = archive.namelist()
    assert names == sorted(names)
    assert f"{kit}.pdf" in names and "MANIFEST.txt" in names
    assert {n.removeprefix("cases/").removesuffix(".pdf") for n in names if n.startswith("cases/")} == manufacturing
    kit_meta = front_matter(Path(__file__).parents[1] / f"kits/{kit}.md")
    assert {f"attachments/{Path(a).name}" for a in kit_meta["attachments"]} <= set(names)
    repo = Path(__file__).parents[1]
    dates = [CASES[s]["date"] for s in manufacturing] + [
        front_matter(repo / f"whitepapers/{w}.md")["date"] for w in kit_meta.get("whitepapers", [])]
    newest = max(dates + ([kit_meta["date"]] if kit_meta.get("date") else []))
    assert {info.date_time for info in archive.infolist()} == {(newest.year, newest.month, newest.day, 0, 0, 0)}
    for name in names:
        data = archive.read(name)
        body = pdf_text_bytes(data) if name.endswith(".pdf") else data.decode("utf-8", "ignore")
        assert not any(hidden in body for hidden in hidden_names), name


def pdf_text_bytes(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def test_industry_case_books_list_exactly_the_industrys_public_cases(example_site: Path) -> None:
    text = squash(pdf_text(example_site / "downloads/casebooks/retail.pdf"))
    for slug in PUBLIC:
        title = squash(CASES[slug]["title"])
        assert (title in text) == (CASES[slug]["customer"]["industry"] == "retail"), slug


def page_texts(reader: PdfReader) -> list[str]:
    return [squash(page.extract_text() or "").strip() for page in reader.pages]


def page_numbers(reader: PdfReader) -> dict[int, int]:
    """Page object number -> the page's number, from 1."""
    return {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages, 1)}


def bookmarks(reader: PdfReader) -> list[tuple[str, int, int]]:
    """(title, page from 1, depth) of every bookmark, in order."""
    found: list[tuple[str, int, int]] = []

    def walk(entries: list, depth: int) -> None:
        for entry in entries:
            if isinstance(entry, list):
                walk(entry, depth + 1)
            else:
                found.append((entry.title, reader.get_destination_page_number(entry) + 1, depth))
    walk(reader.outline, 0)
    return found


def links(reader: PdfReader, number: int) -> tuple[list[int], list[tuple[str, list[float]]]]:
    """The pages a page's internal links lead to, and its web links with their areas."""
    pages, index = [], page_numbers(reader)
    web = []
    for annot in reader.pages[number - 1].get("/Annots", []):
        annot = annot.get_object()
        if "/Dest" in annot:
            pages.append(index[annot["/Dest"][0].idnum])
        elif "/A" in annot and "/URI" in annot["/A"]:
            web.append((annot["/A"]["/URI"], [float(v) for v in annot["/Rect"]]))
    return pages, web


def test_case_book_places_every_one_pager_behind_linked_contents_and_continuous_page_numbers(example_site: Path, tmp_path: Path) -> None:
    book = PdfReader(example_site / "downloads/casebooks/retail.pdf")
    texts = page_texts(book)
    retail = [s for s in PUBLIC if CASES[s]["customer"]["industry"] == "retail"]
    first = {}  # slug -> the book page its one-pager starts on
    for slug in retail:
        own = PdfReader(example_site / f"downloads/cases/{slug}.pdf")
        own_texts = page_texts(own)
        start = next(n for n, text in enumerate(texts, 1) if own_texts[0] in text)
        first[slug] = start
        for k, own_text in enumerate(own_texts):  # the whole text of every page, as the one-pager has it
            assert own_text in texts[start - 1 + k], (slug, k)
            _, own_web = links(own, k + 1)
            _, web = links(book, start + k)  # its links are clickable in the book, where they are on the page
            for url, rect in own_web:
                assert any(u == url and all(abs(a - b) < 1 for a, b in zip(r, rect)) for u, r in web), (slug, url)
    assert sorted(first.values()) == list(range(3, len(book.pages) + 1))  # one-pagers of one page each
    contents, _ = links(book, 2)
    assert sorted(contents) == sorted(first.values())  # every contents entry jumps to its case's first page
    assert [(title, page) for title, page, depth in bookmarks(book) if depth == 0] == [
        (CASES[slug]["title"], page) for slug, page in sorted(first.items(), key=lambda kv: kv[1])]
    assert {title for title, _, depth in bookmarks(book) if depth == 1} == {"Challenge", "Solution", "Results"}
    for n, text in enumerate(texts[1:], 2):
        assert text.endswith(f" {n}"), (n, text[-40:])  # continuous page numbers, from the contents page on
    slug = "northwind-grocers-shelf-gaps"
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-f", str(first[slug]), "-l", str(first[slug]),
                    str(example_site / "downloads/casebooks/retail.pdf"), str(tmp_path / "page")], check=True)
    png = next(tmp_path.glob("page*.png"))
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(png)], capture_output=True, text=True).stdout.split()
    assert decoded == [f"https://stories.lumora.example/cases/{slug}/?utm_source=casebook&utm_medium=pdf&utm_campaign=case-{slug}"]


def test_kit_places_its_one_pagers_and_white_papers_behind_linked_contents(example_site: Path) -> None:
    kit = PdfReader(example_site / "downloads/kits/retail-operations-starter-kit.pdf")
    texts = page_texts(kit)
    marks = bookmarks(kit)
    papers = {front_matter(REPO / f"whitepapers/{w}.md")["title"]: w
              for w in front_matter(REPO / "kits/retail-operations-starter-kit.md")["whitepapers"]}
    covers = {page for title, page, _ in marks if title in papers}
    assert len(covers) == len(papers)
    for title, page, _ in marks:
        if title in papers:  # on its cover, an image in the example: its first section heads the next page
            assert next(p for t, p, _ in marks if p > page) == page + 1
        else:
            assert squash(title) in texts[page - 1], title
    for title, cover in ((t, p) for t, p, _ in marks if t in papers):
        own = page_texts(PdfReader(example_site / f"downloads/whitepapers/{papers[title]}.pdf"))
        assert own[0] in texts[cover - 1]  # its cover, then its body, without its own contents page
        for k, own_text in enumerate(own[2:]):
            assert own_text in texts[cover + k], (title, k)
    assert [n for n, text in enumerate(texts, 1) if text.startswith("Contents")] == [2]
    contents = set(links(kit, 2)[0])  # every case and paper, and the papers' sections
    assert {page for _, page, depth in marks if depth == 0} <= contents <= {page for _, page, depth in marks if depth <= 1}
    for n, text in enumerate(texts[1:], 2):
        if n not in covers:
            assert text.endswith(f" {n}"), (n, text[-40:])


def footer_ink(pdf: Path, number: int) -> int:
    """How wide (in pixels at 100 dpi) the ink in the page's bottom 15 mm is: a page number."""
    page = pdfium.PdfDocument(pdf)[number - 1]
    image = page.render(scale=100 / 72).to_pil().convert("L")
    strip = image.crop((0, image.height - round(15 / 25.4 * 100), image.width, image.height))
    columns = [x for x in range(strip.width) if any(strip.getpixel((x, y)) < 160 for y in range(strip.height))]
    return columns[-1] - columns[0] + 1 if columns else 0


def test_a_two_page_story_keeps_one_page_number_per_page_in_its_case_book(project: Path) -> None:
    story = "\n\n".join(f"Paragraph {n} of a long story about returns, shelves and the people who fix them every day. " * 6
                        for n in range(8))
    write(project, "cases/acme.md", MINIMAL_CASE.replace("Half the returns.", f"Half the returns.\n\n{story}"))
    run = casebook("build", "--as-of", AS_OF, cwd=project)
    assert run.returncode == 0, run.output
    own, book = project / "site/downloads/cases/acme.pdf", project / "site/downloads/casebooks/retail.pdf"
    assert len(PdfReader(own).pages) == 2 and len(PdfReader(book).pages) == 4  # cover, contents, the two pages
    assert footer_ink(own, 2) > 3 * footer_ink(book, 4) > 0  # "2 / 2" is covered by the book's "4"
    texts = page_texts(PdfReader(book))
    assert texts[2].endswith(" 3") and texts[3].endswith(" 4")
    assert links(PdfReader(book), 2)[0] == [3]


def test_no_hidden_or_internal_text_inside_any_pdf_or_zip(example_site: Path) -> None:
    needles = [CASES[s]["customer"]["name"] for s in HIDDEN] + [squash(CASES[s]["title"]) for s in HIDDEN]
    for slug, meta in CASES.items():
        needles += [str(v) for v in (meta.get("internal") or {}).values() if isinstance(v, str) and len(v) > 8]
    for path in sorted((example_site / "downloads").rglob("*")):
        if path.suffix == ".pdf":
            texts = [squash(pdf_text(path))]
        elif path.suffix == ".zip":
            archive = zipfile.ZipFile(path)
            texts = [squash(pdf_text_bytes(archive.read(n)) if n.endswith(".pdf") else archive.read(n).decode("utf-8", "ignore"))
                     for n in archive.namelist()]
        else:
            continue
        for text in texts:
            assert not [n for n in needles if n in text], path


def test_social_cards_are_1200_by_630_and_are_the_pages_og_image(example_site: Path) -> None:
    card = example_site / "assets/casebook/cards/case-northwind-grocers-shelf-gaps.png"
    header = card.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(header[16:20], "big") == 1200 and int.from_bytes(header[20:24], "big") == 630
    page = (example_site / "cases/northwind-grocers-shelf-gaps/index.html").read_text("utf-8")
    assert ('<meta property="og:image" content="https://stories.lumora.example/'
            'assets/casebook/cards/case-northwind-grocers-shelf-gaps.png">') in page


def test_pages_link_their_downloads_with_size_and_pages(example_site: Path) -> None:
    page = unescape((example_site / "cases/northwind-grocers-shelf-gaps/index.html").read_text("utf-8"))
    match = re.search(r'href="([^"]+northwind-grocers-shelf-gaps\.pdf)" download[^>]*>[^<]+</a>\s*'
                      r'<span class="cb-meta">PDF, (\d) pages?, (\d+) KB</span>', page)
    assert match, "no download link with page count and size"
    pdf = (example_site / "cases/northwind-grocers-shelf-gaps" / match.group(1)).resolve()
    assert pdf.exists() and int(match.group(2)) == len(PdfReader(pdf).pages)
    assert abs(int(match.group(3)) - round(pdf.stat().st_size / 1024)) <= 1
    kit = (example_site / "kits/retail-operations-starter-kit/index.html").read_text("utf-8")
    assert "retail-operations-starter-kit.zip" in kit and "retail-operations-starter-kit.pdf" in kit
    hub = (example_site / "industries/retail/index.html").read_text("utf-8")
    assert "casebooks/retail.pdf" in hub


def test_hostile_body_renders_literally(project: Path) -> None:
    hostile = ('#set page(width: 10pt) $x^2$ @fig <lbl> [a](b) \\ # {{ x }} <script>alert(1)</script> '
               '#import "/etc/passwd"')
    text = MINIMAL_CASE.replace('title: "How Acme Widgets halved returns"', f'title: "{hostile.replace(chr(92), chr(92) * 2).replace(chr(34), chr(39))}"')
    write(project, "cases/acme.md", text + f"\n{hostile}\n\n```\n#eval(\"1\")\n```\n")
    run = casebook("build", "--as-of", AS_OF, cwd=project)
    assert run.returncode == 0, run.output
    extracted = squash(pdf_text(project / "site/downloads/cases/acme.pdf"))
    for piece in ["#set page(width: 10pt)", "$x^2$", "@fig", "<lbl>", "{{ x }}", "<script>alert(1)</script>", '#eval("1")']:
        assert piece in extracted, piece


def test_rebuild_renders_nothing_then_only_what_an_edit_touches(example: Path, tmp_path: Path) -> None:
    first = casebook("build", "--as-of", AS_OF, "--site-dir", str(tmp_path / "one"), cwd=example)
    assert first.returncode == 0, first.output
    again = casebook("build", "--as-of", AS_OF, "--site-dir", str(tmp_path / "two"), cwd=example)
    assert "0 rendered" in again.stdout, again.stdout
    case = example / "cases/harbor-lane-outfitters-store-tasks.md"
    case.write_text(case.read_text().replace("## Solution", "## Solution\n\nOne more sentence.", 1))
    edited = casebook("build", "--as-of", AS_OF, "--site-dir", str(tmp_path / "three"), cwd=example)
    rendered = int(re.search(r"(\d+) rendered", edited.stdout).group(1))
    # its one-pager, the retail kit that lists it and the retail case book; its card shows no body
    assert rendered == 3, edited.stdout
    one, three = tree_bytes(tmp_path / "one"), tree_bytes(tmp_path / "three")
    changed = {rel for rel in one if one[rel] != three.get(rel) and rel.startswith("downloads/")}
    assert changed == {"downloads/cases/harbor-lane-outfitters-store-tasks.pdf", "downloads/casebooks/retail.pdf",
                       "downloads/kits/retail-operations-starter-kit.pdf", "downloads/kits/retail-operations-starter-kit.zip"}
    for book in ("downloads/casebooks/retail.pdf", "downloads/kits/retail-operations-starter-kit.pdf"):
        assert "One more sentence." in squash(pdf_text(tmp_path / "three" / book))  # the edited one-pager, placed


def test_no_pdf_builds_the_site_without_collateral(example: Path) -> None:
    run = casebook("build", "--as-of", AS_OF, "--no-pdf", cwd=example)
    assert run.returncode == 0 and "no collateral (--no-pdf)" in run.stdout
    assert not (example / "site/downloads/cases").exists()
    assert "No downloads in this build" in (example / "site/downloads/index.html").read_text()


def test_missing_cjk_font_is_an_error_not_empty_boxes(example: Path) -> None:
    config = example / "mkdocs.yml"
    config.write_text(config.read_text().replace("paths: [site_templates/fonts, /usr/share/fonts/opentype/noto]",
                                                 "paths: [site_templates/fonts]"))
    run = casebook("build", "--as-of", AS_OF, cwd=example)
    assert run.returncode == 1 and "Noto Sans CJK SC" in run.stdout and "fonts-noto-cjk" in run.stdout


def test_a_later_build_day_renders_nothing_new(example: Path) -> None:
    assert casebook("build", "--as-of", AS_OF, cwd=example).returncode == 0
    later = casebook("build", "--as-of", "2026-11-30", cwd=example)
    assert later.returncode == 0 and "collateral: 0 rendered" in later.stdout, later.stdout


def test_a_broken_pdf_template_is_one_located_error(example: Path) -> None:
    lib = example / "site_templates/pdf/lib.typ"
    lines = lib.read_text().split("\n")
    lines.insert(99, "#let broken( = ")
    lib.write_text("\n".join(lines))
    run = casebook("build", "--as-of", AS_OF, cwd=example)
    assert run.returncode == 1 and "Traceback" not in run.output
    errors = [line for line in run.stdout.splitlines() if ": error: PDF engine:" in line]
    assert len(errors) == 1 and errors[0].startswith("site_templates/pdf/lib.typ:100: error: PDF engine: unclosed delimiter")
    assert not (example / "site").exists()


def test_a_broken_card_template_fails_the_build_and_keeps_the_site(example: Path) -> None:
    """Social cards render while the pages are built: a failure among them still stops the
    build with the located error, and the site built before stays as it was."""
    assert casebook("build", "--as-of", AS_OF, cwd=example).returncode == 0
    before = tree_bytes(example / "site")
    shutil.rmtree(example / ".casebook/cache/collateral")
    card = example / "site_templates/pdf/card.typ"
    card.write_text(card.read_text().replace("#let margin = 34pt", "#let margin = (34pt"))
    run = casebook("build", "--as-of", AS_OF, cwd=example)
    assert run.returncode == 1 and "Traceback" not in run.output, run.output
    located = [line.strip() for line in run.output.splitlines() if ": error: PDF engine:" in line]
    assert located and all(line.startswith("site_templates/pdf/card.typ:") for line in located), run.output
    assert "nothing was changed in the site directory" in run.output
    assert tree_bytes(example / "site") == before


FONT_LINE = next(n for n, line in enumerate((REPO / "mkdocs.yml").read_text().splitlines(), 1) if "body: Inter " in line)


@pytest.mark.parametrize("old, new, message", [
    ("body: Inter ", "body: Intre ", f"mkdocs.yml:{FONT_LINE}: error: brand.fonts.body: no font 'Intre' in brand.fonts.paths"),
    ("site_url: https://stories.lumora.example/\n", "",
     "mkdocs.yml:1: warning: site_url is not set: PDFs carry no link or QR code"),
])
def test_font_and_site_url_settings(example: Path, old: str, new: str, message: str) -> None:
    config = example / "mkdocs.yml"
    assert old in config.read_text()
    config.write_text(config.read_text().replace(old, new))
    run = casebook("build", "--as-of", AS_OF, cwd=example)
    assert message in run.stdout, run.stdout
    assert run.returncode == (1 if ": error:" in message else 0)


def test_emoji_are_pointed_out(project: Path) -> None:
    write(project, "cases/acme.md", MINIMAL_CASE.replace("Half the returns.", "Half the returns 🚀."))
    run = casebook("build", "--as-of", AS_OF, cwd=project)
    assert run.returncode == 0
    assert "cases/acme.md:31: warning: emoji print as empty boxes in PDFs and social cards" in run.stdout


def test_kit_attachments_need_distinct_names(example: Path) -> None:
    write(example, "kits/attachments/v2/retail-rollout-checklist.md", "v2")
    kit = example / "kits/retail-operations-starter-kit.md"
    kit.write_text(kit.read_text().replace("attachments: [", "attachments: [attachments/v2/retail-rollout-checklist.md, "))
    run = casebook("validate", "--as-of", AS_OF, cwd=example)
    assert run.returncode == 1
    assert "kits/retail-operations-starter-kit.md:11: error: attachments: two attachments are named retail-rollout-checklist.md" in run.stdout
