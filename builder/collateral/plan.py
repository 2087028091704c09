"""What to produce: one job per collateral output of the public catalog (case one-pagers,
white papers, social cards; then the kits and industry case books that place their
pages), each with the data its Typst template reads. Content reaches Typst only as JSON
data (see content/body.py's tree), never as markup."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable

from ..catalog.catalog import Catalog, Segment, facet_keys, item_day
from ..channels.links import display, tagged
from ..channels.urls import PACK_COVER_PATH, card_path, casebook_path, page_url, pdf_path
from ..content.load import local_files
from ..content.model import Item
from ..content.settings import Settings
from .jobs import Job, Placed, QrCode, Story

Planned = tuple[str, tuple, Callable[[], Job]]  # output, the items (and values) it shows, how to make its job


def plan(settings: Settings, catalog: Catalog) -> list[Planned]:
    """Every document and card of the public catalog, and nothing for anything else; a job
    is made only when what it shows changed (see produce). Social cards exist for the
    og:image tag, which needs site_url. Kits and case books follow in plan_collections."""
    brand = brand_data(settings)

    def document(item: Item) -> Job:
        name, template = ("case", "case.typ") if item.kind == "case" else ("paper", "whitepaper.typ")
        content, files = (case_data if item.kind == "case" else _paper)(settings, catalog, item)
        return Job(pdf_path(item), template, {"brand": brand, name: content}, files, day=item.meta.date)

    planned: list[Planned] = []
    for item in [*catalog.cases, *catalog.whitepapers]:
        planned.append((pdf_path(item), (item,), lambda item=item: document(item)))
        if settings.site_url:
            planned.append((card_path(item), (item,), lambda item=item: _card(settings, catalog, item, brand)))
    if catalog.cases:
        planned.append((PACK_COVER_PATH, (), lambda: pack_cover_job(settings)))
    return planned


def plan_collections(settings: Settings, catalog: Catalog, rendered: dict[str, Path]) -> list[Planned]:
    """The kits and industry case books, which place the pages of their members' rendered
    PDFs (`rendered`: a document's output -> its cache entry) instead of typesetting them
    again: so they are rendered after those, and what they show includes the entries' names,
    the keys of the members' PDFs, so a member that renders differently renders them again."""
    brand = brand_data(settings)

    def member(item: Item) -> dict[str, Any]:
        entry = rendered[pdf_path(item)]
        return {"title": item.meta.title, "pdf": Placed(entry, _root_path(settings, entry))}

    def kit_job(kit: Item) -> Job:
        content = {**_common(settings, catalog, kit), "sizes": [catalog.taxonomy.label("sizes", s) for s in kit.meta.sizes],
                   "intro": Story(kit, settings.root),
                   "cases": [member(c) for c in catalog.kit_cases[kit.slug]],
                   "whitepapers": [member(p) for p in catalog.kit_whitepapers[kit.slug]],
                   "attachments": [path.name for _, path in local_files(settings, kit)]}
        return Job(pdf_path(kit), "kit.typ", {"brand": brand, "kit": content}, _body_files(kit), day=item_day(catalog, kit))

    def book_job(segment: Segment) -> Job:
        newest = max(c.meta.date for c in segment.cases)
        book = {"title": settings.locale.fill("pdf", "{industry} customer stories", industry=segment.label), "summary": segment.intro,
                "date": settings.locale.date(newest), "cases": [member(c) for c in segment.cases]}
        return Job(casebook_path(segment.key), "casebook.typ", {"brand": brand, "book": book}, (), day=newest)

    def shows(members: tuple[Item, ...]) -> tuple:
        return members + tuple(rendered[pdf_path(m)].name for m in members)

    planned: list[Planned] = []
    for kit in catalog.kits:
        members = (*catalog.kit_cases[kit.slug], *catalog.kit_whitepapers[kit.slug])
        planned.append((pdf_path(kit), (kit, *shows(members)), lambda kit=kit: kit_job(kit)))
    for segment in catalog.segments["industries"]:
        if segment.cases:
            planned.append((casebook_path(segment.key), shows(tuple(segment.cases)), lambda segment=segment: book_job(segment)))
    return planned


PACK_SUMMARY = "Companies like yours, in their own numbers and approved by them."


def pack_cover_job(settings: Settings) -> Job:
    """The cover of the pack a visitor merges in the browser: the prospect's line is left
    blank for the browser to write (see casebook.js), so one file serves every visitor."""
    words = settings.locale
    pack = {"title": words.fill("pdf", "Customer stories"), "prospect": "", "rep": "", "date": None, "cases": [],
            "summary": words.fill("pdf", PACK_SUMMARY)}
    return Job(PACK_COVER_PATH, "pack.typ", {"brand": brand_data(settings), "pack": pack}, ())


def brand_data(settings: Settings) -> dict[str, Any]:
    brand = settings.brand
    colours = brand.colors.model_dump()
    colours["tint"] = _mix(colours["primary"], "#ffffff", 0.9)
    logo = _root_path(settings, settings.root / brand.logo) if brand.logo else None
    data = {"name": brand.name, "logo": logo, "colors": colours,
            "fonts": {"body": brand.fonts.body, "heading": brand.fonts.heading, "cjk": brand.fonts.cjk,
                      "mono": "DejaVu Sans Mono"}}
    if not settings.locale.default:  # lib.typ's t() words the labels in the PDF's language
        data.update(lang=settings.locale.code, labels=settings.locale.strings.get("pdf", {}))
    return data


def _mix(colour: str, other: str, amount: float) -> str:
    a = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    b = [int(other[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * amount):02x}" for x, y in zip(a, b))


def _root_path(settings: Settings, path: Path) -> str:
    """How the Typst engine, whose root is the project, names a file."""
    return "/" + path.resolve().relative_to(settings.root.resolve()).as_posix()


def _body_files(item: Item) -> tuple[Path, ...]:
    return tuple(sorted(item.rendered.assets.values()))


def online_link(settings: Settings, item: Item) -> tuple[str, str]:
    """The item's page on the published site, and that address tagged for the pdf channel
    (both empty without site_url)."""
    url = page_url(settings, item)
    return (url, tagged(url, settings.channels["pdf"], item.kind, item.slug)) if url else ("", "")


def _common(settings: Settings, catalog: Catalog, item: Item) -> dict[str, Any]:
    """Fields every document shares: title, summary, audience and the tagged online link."""
    url, link = online_link(settings, item)
    label = catalog.taxonomy.label
    return {
        "title": item.meta.title, "summary": item.meta.summary, "date": settings.locale.date(item.meta.date),
        "audience": {"industries": [label("industries", k) for k in facet_keys(item, "industries", catalog.taxonomy)],
                     "roles": [label("roles", k) for k in item.meta.roles]},
        "url": link, "url_display": display(url) if url else "",
    }


def case_data(settings: Settings, catalog: Catalog, case: Item) -> tuple[dict[str, Any], tuple[Path, ...]]:
    meta, label = case.meta, catalog.taxonomy.label
    logo = next((path for _, path in local_files(settings, case)), None)
    data = {
        **_common(settings, catalog, case),
        "customer": {"name": meta.customer.name, "industry": label("industries", meta.customer.industry),
                     "size": label("sizes", meta.customer.size), "region": meta.customer.region,
                     "website": meta.customer.website, "logo": _root_path(settings, logo) if logo else None},
        "stage": label("stages", meta.stage) if meta.stage else None,
        "roles": [label("roles", r) for r in meta.roles],
        "products": list(meta.products),
        "results": [r.model_dump() for r in meta.results],
        "quote": meta.quote.model_dump() if meta.quote else None,
        "body": Story(case, settings.root),
        "fit": _may_fit(case),
    }
    data["qr"] = QrCode(data["url"], settings.cache_dir / "qr") if data["url"] else None
    return data, ((logo,) if logo else ()) + _body_files(case)


# A one-pager's story column holds about 2,600 characters at the smallest size (8.6 pt);
# longer stories cannot be fitted onto one page, so case.typ skips its trial layouts.
FIT_CHARS = 3600


def _may_fit(case: Item) -> bool:
    text = re.sub(r"<[^>]+>", " ", case.rendered.html)
    return len(" ".join(text.split())) <= FIT_CHARS


def _paper(settings: Settings, catalog: Catalog, paper: Item) -> tuple[dict[str, Any], tuple[Path, ...]]:
    cover = next((path for _, path in local_files(settings, paper)), None)
    data = {**_common(settings, catalog, paper), "authors": list(paper.meta.authors),
            "cover": _root_path(settings, cover) if cover else None, "body": Story(paper, settings.root)}
    return data, ((cover,) if cover else ()) + _body_files(paper)


def _card(settings: Settings, catalog: Catalog, item: Item, brand: dict) -> Job:
    """The social card shows the title, the headline result and the customer's logo."""
    logos = tuple(path for _, path in local_files(settings, item)) if item.kind == "case" else ()
    if item.kind == "case":
        meta = item.meta
        eyebrow = settings.locale.fill("pdf", "Customer story · {industry}", industry=catalog.taxonomy.label("industries", meta.customer.industry))
        result = meta.results[0]
        card = {"eyebrow": eyebrow, "title": meta.title, "customer": meta.customer.name,
                "metric": {"value": result.value, "label": result.metric},
                "logo": _root_path(settings, logos[0]) if logos else None}
    else:
        card = {"eyebrow": settings.locale.fill("pdf", "White paper"), "title": item.meta.title, "customer": None, "metric": None, "logo": None}
    return Job(card_path(item), "card.typ", {"brand": brand, "card": card}, logos, png=True)
