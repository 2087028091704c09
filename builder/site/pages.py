"""Generated pages: the catalog rendered through Jinja2 templates into Markdown files.

Each page is Markdown with YAML meta and HTML blocks, so any engine that builds
`mkdocs.yml` projects can render it. Text from content is HTML-escaped by Jinja's
autoescape; bodies arrive already sanitised (see body.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from jinja2 import BytecodeCache, Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup, escape

from ..catalog.catalog import Catalog, Segment, facet_keys, item_day
from ..catalog.languages import in_language
from ..channels.qr import prepare_page_codes, qr_data_uri
from ..channels.share import share_links
from ..channels.urls import PACK_COVER_PATH, PACK_PATH, Urls, attachment_path, card_path, item_src, page_url, pdf_path, segment_src
from ..content.memo import Memo
from ..content.model import ASSETS_DIR, FACET_PARAM, FACETS, MEDIA_DIR, Item, is_remote
from ..content.settings import Settings
from .alternates import NONE as NO_ALTERNATES, Alternates
from .webfonts import UNICODE_RANGE, web_name
from .feeds import Feed
from .grids import grid_style
from .metadata import article

# Generated pages that belong in the site navigation; all others stay out of it,
# since MkDocs renders the whole nav into every page.
NAV_PAGES = ("index.md", "cases/index.md", "whitepapers/index.md", "kits/index.md", "downloads/index.md", "quotes/index.md",
             *(f"{facet}/index.md" for facet in FACETS))
DOWNLOAD_KINDS = {"case": "Case studies", "whitepaper": "White papers", "kit": "Solution kits (PDF)",
                  "kit-zip": "Solution kits (zip)", "casebook": "Industry case books"}
DOWNLOAD_LABEL = {"case": "Case study", "whitepaper": "White paper", "kit": "Solution kit",
                  "kit-zip": "Solution kit, every file", "casebook": "Case book"}
FACET_TITLES = {"industries": "Industries", "sizes": "Company sizes", "roles": "Roles", "stages": "Growth stages"}
# A listing stays light however many cases there are: the library's HTML holds its first
# LIBRARY_CARDS cards (the rest come from cases/cards.json when a visitor filters or asks
# for more, and without JavaScript from its numbered pages); a hub shows its first HUB_CARDS.
# Downloads works alike: its first DOWNLOAD_CARDS files, the rest from downloads/files.json.
LIBRARY_CARDS = 48
HUB_CARDS = 24
DOWNLOAD_CARDS = 48

StagedMedia = dict[str, tuple[str, tuple[int, int] | None]]  # '<item path>::<ref>' -> staged name, width and height


def library_pages(catalog: Catalog) -> int:
    return _pages(len(catalog.cases), LIBRARY_CARDS)


def _pages(count: int, per_page: int) -> int:
    return max(1, -(-count // per_page))


def body_on_page(item: Item) -> bool:
    """A gated white paper's body is the download's reward, so its page shows only the outline."""
    return not (item.kind == "whitepaper" and item.meta.gated)


_WEIGHTS = {"thin": 100, "extralight": 200, "light": 300, "regular": 400, "medium": 500, "semibold": 600,
            "bold": 700, "extrabold": 800, "black": 900}


@dataclass(frozen=True)
class FontFace:
    family: str
    weight: int
    style: str
    file: str


def font_faces(settings: Settings) -> list[FontFace]:
    """@font-face rules for the vendored fonts, read from names like Inter-SemiBoldItalic.otf."""
    faces = []
    for path in sorted((settings.templates_dir / "fonts").glob("*-*.*")):
        if path.suffix.lower() not in (".otf", ".ttf", ".woff", ".woff2"):
            continue
        family, variant = path.stem.rsplit("-", 1)
        italic = variant.lower().endswith("italic")
        weight = _WEIGHTS.get(variant.lower().removesuffix("italic") or "regular", 400)
        faces.append(FontFace(family, weight, "italic" if italic else "normal", web_name(path)))
    return faces


def preload_fonts(settings: Settings) -> list[str]:
    """The faces the first screen sets (body text, bold headings): fetched with the page."""
    faces = font_faces(settings)
    wanted = [(settings.brand.fonts.body, 400), (settings.brand.fonts.heading, 700)]
    return [f"{ASSETS_DIR}/fonts/{face.file}" for family, weight in wanted for face in faces
            if face.family == family and face.weight == weight and face.style == "normal" and face.file.endswith(".woff2")]


def render_pages(settings: Settings, catalog: Catalog, staged_media: StagedMedia, collateral: Any,
                 site_feeds: dict[str, Feed], cache: PageCache | None = None,
                 alternates: Alternates = NO_ALTERNATES) -> dict[str, str]:
    """Every generated page as {staging path: Markdown text}. `collateral` is a
    collateral.Collateral: its downloads (possibly none, with --no-pdf) and card images.
    With a cache (serve), a page whose inputs are unchanged is not rendered again."""
    if cache is not None:
        context = (settings, catalog.as_of, _templates_stamp(settings), staged_media)
        if cache.context != context:
            cache.context, cache.pages, cache.cards = context, {}, Memo()
    if cache is None:  # a build, not `serve`: a first one draws a QR code for every page
        prepare_page_codes([link.href for item in [*catalog.cases, *catalog.whitepapers]
                            for link in share_links(settings, item) if link.network == "wechat"], settings.cache_dir / "qr")
    env = _environment(settings, catalog, staged_media, collateral, site_feeds, cache.cards if cache else Memo(), alternates)
    plan = page_plan(settings, catalog, collateral)
    if cache is None:
        return {src: env.get_template(name).render(src=src, **values) for src, (name, values) in plan.items()}
    pages = {}
    for src, (name, values) in plan.items():
        key = _dependencies(name, values, src, collateral)
        key = key and (*key, tuple(str(alt) for alt in alternates.of(src, settings.locale)))
        kept = cache.pages.get(src) if key is not None else None
        if kept is not None and kept[0] == key:
            pages[src] = kept[1]
            continue
        pages[src] = env.get_template(name).render(src=src, **values)
        if key is not None:
            cache.pages[src] = (key, pages[src])
    return pages


@dataclass
class PageCache:
    """Rendered pages kept across `serve` rebuilds, so an edit re-renders only the pages
    that show what changed (and stages only the files that changed). Any change of
    settings, templates, build day or images empties it."""

    context: tuple = ()
    pages: dict[str, tuple[tuple, str]] = field(default_factory=dict)
    cards: Memo = field(default_factory=Memo)  # case cards by (case, heading level, page folder)
    staged: dict = field(default_factory=dict)  # what each staging file last received (staging.Written)
    others: dict[str, PageCache] = field(default_factory=dict)  # the other languages' sites, by code


# Pages that read the whole catalog (home, libraries, quotes): always rendered.
_WHOLE_CATALOG = {"home.md.j2", "library.md.j2", "cards.json.j2", "whitepapers.md.j2", "kits.md.j2", "quotes.md.j2"}


def _dependencies(template: str, values: dict[str, Any], src: str, collateral: Any) -> tuple | None:
    """Everything a page shows besides settings and templates: its values, the files it
    links and the social cards of its items (None: always render). Items compare by
    identity first, and the loader keeps unchanged items as the same objects."""
    if template in _WHOLE_CATALOG:
        return None
    items = [value for value in values.values() if isinstance(value, Item)]
    cards = tuple(card_path(item) in collateral for item in items)
    downloads = tuple(collateral.downloads.get(src, ()))
    return (template, _flat(values), downloads, cards)


def _flat(value: Any) -> Any:
    if isinstance(value, list) and value and all(isinstance(v, Segment) for v in value):
        # a list of segments is shown by name and count (a facet's page, a hub's chips)
        return tuple((s.facet, s.key, s.label, s.intro, len(s.cases), len(s.whitepapers), len(s.kits)) for s in value)
    if isinstance(value, Segment):
        return (value.facet, value.key, value.label, value.intro, tuple(value.cases), tuple(value.whitepapers), tuple(value.kits))
    if isinstance(value, (list, tuple)):
        return tuple(_flat(v) for v in value)
    if isinstance(value, dict):
        return tuple((k, _flat(v)) for k, v in value.items())
    return value


def _templates_stamp(settings: Settings) -> tuple:
    folder = settings.templates_dir / "pages"
    return tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("*"))) if folder.is_dir() else ()


def page_plan(settings: Settings, catalog: Catalog, collateral: Any) -> dict[str, tuple[str, dict[str, Any]]]:
    """Which pages the site has: {staging path: (template, values)}, before any rendering."""
    pages: dict[str, tuple[str, dict[str, Any]]] = {
        "index.md": ("home.md.j2", {}),
        "cases/index.md": ("library.md.j2", {"page": 1}),
        "whitepapers/index.md": ("whitepapers.md.j2", {}),
        "kits/index.md": ("kits.md.j2", {}),
        "quotes/index.md": ("quotes.md.j2", {}),
        f"{ASSETS_DIR}/brand.css": ("brand.css.j2", {"brand": settings.brand, "font_faces": font_faces(settings),
                                                     "unicode_range": UNICODE_RANGE}),
    }
    for number in range(2, library_pages(catalog) + 1):
        pages[f"cases/page/{number}.md"] = ("library.md.j2", {"page": number})
    if library_pages(catalog) > 1:
        pages["cases/cards.json"] = ("cards.json.j2", {})
    # Downloads: the collections (case books, kits, white papers) first, then the one-pagers. Each
    # page's values hold its own files only, so what a `serve` rebuild compares stays linear.
    downloads = sorted(collateral.all_downloads(), key=lambda download: download.kind == "case")
    count, kinds, last = len(downloads), sorted({download.kind for download in downloads}), _pages(len(downloads), DOWNLOAD_CARDS)
    for number in range(1, last + 1):
        pages["downloads/index.md" if number == 1 else f"downloads/page/{number}.md"] = ("downloads.md.j2", {
            "files": downloads[(number - 1) * DOWNLOAD_CARDS:number * DOWNLOAD_CARDS], "count": count, "kinds": kinds,
            "page": number, "pages": last})
    if len(downloads) > DOWNLOAD_CARDS:
        pages["downloads/files.json"] = ("files.json.j2", {"downloads": downloads})
    for case in catalog.cases:
        pages[item_src(case)] = ("case.md.j2", {"item": case, "related": catalog.related[case.slug]})
    for paper in catalog.whitepapers:
        pages[item_src(paper)] = ("whitepaper.md.j2", {"item": paper})
    for kit in catalog.kits:
        pages[item_src(kit)] = ("kit.md.j2", {"item": kit, "cases": catalog.kit_cases[kit.slug],
                                              "papers": catalog.kit_whitepapers[kit.slug]})
    for facet, segments in catalog.segments.items():
        pages[f"{facet}/index.md"] = ("facet.md.j2", {"facet": facet, "segments": segments})
        for segment in segments:
            pages[segment_src(facet, segment.key)] = ("hub.md.j2", {"segment": segment, "segments": segments})
    return pages


class MemoryBytecode(BytecodeCache):
    """Compiled templates kept for the life of the process (a `serve` session): Jinja
    checks each template's source checksum, so an edited template is compiled again."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


COMPILED = MemoryBytecode()


def _environment(settings: Settings, catalog: Catalog, staged_media: StagedMedia, collateral: Any,
                 site_feeds: dict[str, Feed], cards: Memo, alternates: Alternates) -> Environment:
    env = Environment(
        loader=FileSystemLoader(settings.templates_dir / "pages"),
        extensions=["jinja2.ext.i18n"],
        bytecode_cache=COMPILED,
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    locale = settings.locale
    env.install_gettext_callables(locale.gettext, locale.ngettext, newstyle=True)
    urls = Urls(settings.use_directory_urls)
    taxonomy = catalog.taxonomy

    def url(context_src: str, target: str) -> str:
        return urls.relative(context_src, target)

    def staged(item: Item, ref: str | None) -> tuple[str, tuple[int, int] | None] | None:
        """The staged image a content file names (logo, cover): a remote one is never
        hot-linked (the loader warned about it)."""
        return staged_media.get(f"{item.path}::{ref}") if ref and not is_remote(ref) else None

    def media(context_src: str, item: Item, ref: str | None) -> str | None:
        """URL of the image, relative to the page."""
        found = staged(item, ref)
        return url(context_src, f"{MEDIA_DIR}/{found[0]}") if found else None

    def media_size(item: Item, ref: str | None) -> tuple[int, int] | None:
        """The image's width and height, where its file says."""
        found = staged(item, ref)
        return found[1] if found else None

    def card_for(item: Item) -> str | None:
        """The item's social card, if this build makes one (none with --no-pdf)."""
        path = card_path(item)
        return path if path in collateral else None

    env.globals.update(
        site_name=settings.site_name,
        positioning=settings.positioning,
        cta=settings.cta,
        catalog=catalog,
        taxonomy=taxonomy,
        facets=FACETS,
        facet_param=FACET_PARAM,
        facet_titles=FACET_TITLES,
        assets_dir=ASSETS_DIR,
        item_src=item_src,
        segment_src=segment_src,
        gate=settings.gate,
        download_kinds=DOWNLOAD_KINDS,
        download_label=DOWNLOAD_LABEL,
        downloads_for=lambda src: collateral.downloads.get(src, []),
        card_for=card_for,
        share_links=lambda item: share_links(settings, item),
        qr=lambda url: qr_data_uri(url, settings.cache_dir / "qr"),
        structured_data=lambda item: article(settings, catalog, item, page_url(settings, item), card_for(item)),
        feed_for=lambda key: site_feeds.get(key),
        item_day=lambda item: item_day(catalog, item),
        newest_day=lambda items: max((item_day(catalog, i) for i in items), default=catalog.as_of).isoformat(),
        quotes=[case for case in catalog.cases if case.meta.quote],
        grid_style=grid_style,
        attachment_path=attachment_path,
        library_cards=LIBRARY_CARDS,
        download_cards=DOWNLOAD_CARDS,
        library_pages=library_pages(catalog),
        hub_cards=HUB_CARDS,
        pack_cover=PACK_COVER_PATH if PACK_COVER_PATH in collateral.files else None,
        pack_path=PACK_PATH,
        brand_primary=settings.brand.colors.primary,
    )
    env.filters.update(
        meta=_meta_string,
        json_meta=lambda text: Markup(json.dumps(text, ensure_ascii=False)),
        longdate=lambda value: locale.date(value) or "",
        number=locale.number,
        label=lambda key, facet: taxonomy.label(facet, key),
        facet_keys=lambda item, facet: facet_keys(item, facet, taxonomy),
        safe_html=lambda item: Markup(item.rendered.html),
        filesize=_filesize,
        body_on_page=body_on_page,
    )
    def one_pager(case: Item) -> str | None:
        """The case's PDF, if this build made it (none with --no-pdf)."""
        return pdf_path(case) if pdf_path(case) in collateral.files else None

    def card(context_src: str, case: Item, level: int, pick: bool = False) -> Markup:
        """A case card, rendered once per page folder (its links are relative) and case.
        With `pick`, it offers its one-pager for the visitor's own PDF, when this build has it."""
        pdf = one_pager(case) if pick else None
        return Markup(cards.get((case.path, level, urls.folder(context_src), pdf), (case,),
                                lambda: env.get_template("case_card.html").render(case=case, level=level, src=context_src, pdf=pdf)))

    def card_row(context_src: str, case: Item) -> Markup:
        """One case of cases/cards.json as JSON, in the order casebook.js reads it."""
        meta, result, pdf = case.meta, case.meta.results[0], one_pager(case)
        row = lambda: [url(context_src, item_src(case)), media(context_src, case, meta.customer.logo) or "", meta.customer.name,  # noqa: E731
                       meta.title, result.value, result.metric, meta.summary,
                       taxonomy.label("industries", meta.customer.industry), taxonomy.label("sizes", meta.customer.size),
                       {FACET_PARAM[facet]: " ".join(facet_keys(case, facet, taxonomy)) for facet in FACETS},
                       url(context_src, pdf) if pdf else "", case.slug]
        return cards.get(("row", case.path, urls.folder(context_src)), (case, pdf), lambda: htmlsafe_json_dumps(
            row(), dumps=env.policies["json.dumps_function"], **env.policies["json.dumps_kwargs"]))

    def fragment(context_src: str, template: str, key: str, **values: Any) -> Markup:
        """The part of a listing that shows one thing (a quote, a download), rendered once per
        page folder while what it shows is the same: a `serve` rebuild renders only what changed."""
        return Markup(cards.get((template, key, urls.folder(context_src)), tuple(values.values()),
                                lambda: env.get_template(template).render(src=context_src, **values)))

    env.globals["url"] = _contextual(url)
    env.globals["card_row"] = _contextual(card_row)
    env.globals["card"] = _contextual(card)
    env.globals["fragment"] = _contextual(fragment)
    env.globals["media"] = _contextual(media)
    env.globals["media_size"] = media_size
    env.globals["alternates"] = _contextual(lambda src: alternates.of(src, locale))
    env.globals["language"] = locale
    env.globals["default_language"] = settings.locales[0]
    env.globals["in_language"] = lambda item: in_language(item, locale)
    env.globals["original"] = lambda item: alternates.href(item_src(item), locale, settings.locales[0])  # its default-language page
    return env


def _filesize(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB" if size >= 1_048_576 else f"{max(1, round(size / 1024))} KB"


def _contextual(function):
    """Pass the current page's path as the first argument, so links stay relative."""

    @pass_context
    def wrapper(context, *args, **kwargs):
        return function(context["src"], *args, **kwargs)

    return wrapper


def _meta_string(value: str) -> Markup:
    """A YAML-safe, HTML-escaped string for page meta: MkDocs themes print meta unescaped."""
    return Markup(json.dumps(str(escape(" ".join(str(value).split()))), ensure_ascii=False))

