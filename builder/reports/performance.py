"""Content performance by segment: analytics traffic joined with the catalog.

Operators decide which cases to commission from what each segment reads and downloads,
so traffic is counted per public item and summed per industry, role, size and kind.
Paths that match no public page or file are listed, never dropped: a renamed slug or a
withdrawn case would otherwise vanish from the figures unnoticed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape
from urllib.parse import parse_qs, unquote, urlsplit

from ..catalog.catalog import Catalog, is_public
from ..channels.urls import PACK_PATH, Urls, casebook_path, item_src, kit_zip_path, pdf_path
from ..collateral import Collateral
from ..content.load import Library
from ..content.model import Item
from ..content.settings import Settings
from ..core import spreadsheet
from ..site.pages import page_plan
from .analytics import Traffic

FACETS = ("industries", "roles", "sizes", "kinds")
FACET_TITLES = {"industries": "By industry", "roles": "By role", "sizes": "By company size", "kinds": "By content kind"}
KIND_LABELS = {"case": "Case studies", "whitepaper": "White papers", "kit": "Solution kits", "casebook": "Industry case books"}
PAGE_KINDS = ("case", "whitepaper", "kit")
ANY = "*"  # an item that speaks to the whole facet (a white paper for all industries, any size)
ANY_LABEL = "All / not specific"
TOP = 5


@dataclass(frozen=True)
class Target:
    """A public item (or an industry case book) that traffic is credited to."""

    kind: str
    slug: str
    title: str
    segments: dict[str, tuple[str, ...]]


@dataclass
class Row:
    target: Target
    views: int = 0
    downloads: int = 0
    packs: int = 0  # downloads of visitors' own PDFs (the case library) that hold this item

    @property
    def rate(self) -> float | None:
        return self.downloads / self.views if self.views else None


@dataclass(frozen=True)
class Stat:
    facet: str
    key: str
    label: str
    items: int
    views: int
    downloads: int
    page_downloads: int  # downloads of items that have a page: a case book has none, so no rate
    packs: int = 0  # visitors' own PDFs holding at least one item of the segment

    @property
    def rate(self) -> float | None:
        return self.page_downloads / self.views if self.views else None


@dataclass(frozen=True)
class Unknown:
    path: str  # site path, normalised
    views: int
    downloads: int
    reason: str


@dataclass
class Report:
    as_of: date
    files: int
    rows: list[Row]
    stats: dict[str, list[Stat]]
    unknown: list[Unknown]
    site_views: int = 0  # views of pages that are no item: home, hubs, libraries, docs
    site_downloads: int = 0  # downloads whose export names only the page they happened on
    packs: int = 0  # visitors' own PDFs merged in the case library

    def ranked(self) -> list[Row]:
        """Items with traffic, most viewed first (then most downloaded, then by title)."""
        return sorted((r for r in self.rows if r.views), key=lambda r: (-r.views, -r.downloads, r.target.title.lower()))

    def top(self) -> list[Row]:
        return self.ranked()[:TOP]

    def bottom(self) -> list[Row]:
        ranked = self.ranked()
        return list(reversed(ranked[max(TOP, len(ranked) - TOP):]))

    def silent(self) -> list[Row]:
        return [r for r in self.rows if not r.views and not r.downloads]


def site_path(raw: str, base: str) -> str | None:
    """'/customers/cases/acme/index.html?utm_source=x' -> 'cases/acme/' for a site under /customers/;
    None for what is no address at all, such as GA4's '(not set)'."""
    parts = urlsplit(raw.strip())
    if not parts.path.startswith("/") and not parts.netloc:
        return None
    path = unquote(parts.path)
    if base != "/" and (path + "/").startswith(base):
        path = path[len(base) - 1:]
    return page_key(path.lstrip("/"))


def page_key(path: str) -> str:
    """One spelling per page, for site paths and exported ones alike: 'cases/index.html',
    'cases/' and 'cases' are the same page."""
    if path == "index.html" or path.endswith("/index.html"):
        path = path[: -len("index.html")]
    last = path.rsplit("/", 1)[-1]
    return path + "/" if last and "." not in last else path


def _segments(item: Item) -> dict[str, tuple[str, ...]]:
    meta = item.meta
    if item.kind == "case":
        return {"industries": (meta.customer.industry,), "roles": tuple(meta.roles), "sizes": (meta.customer.size,)}
    industries = tuple(meta.industries) if item.kind == "whitepaper" else (meta.industry,)
    sizes = tuple(meta.sizes) if item.kind == "kit" and meta.sizes else (ANY,)
    return {"industries": (ANY,) if "all" in industries else industries, "roles": tuple(meta.roles), "sizes": sizes}


def _targets(settings: Settings, catalog: Catalog) -> tuple[dict[str, tuple[Target, bool]], list[Target]]:
    """{site path: (target, is a file)} for every public page and download, and the targets in report order."""
    urls = Urls(settings.use_directory_urls)
    paths: dict[str, tuple[Target, bool]] = {}
    order: list[Target] = []
    for item in [*catalog.cases, *catalog.whitepapers, *catalog.kits]:
        target = Target(item.kind, item.slug, item.meta.title, _segments(item))
        order.append(target)
        paths[page_key(urls.page(item_src(item)))] = (target, False)
        files = [pdf_path(item)] + ([kit_zip_path(item)] if item.kind == "kit" else [])
        paths.update({path: (target, True) for path in files})
    for segment in catalog.segments["industries"]:
        if segment.cases:
            target = Target("casebook", segment.key, f"{segment.label} case book",
                            {"industries": (segment.key,), "roles": (ANY,), "sizes": (ANY,)})
            order.append(target)
            paths[casebook_path(segment.key)] = (target, True)
    return paths, order


def _site_pages(settings: Settings, catalog: Catalog) -> set[str]:
    """Pages that exist but are no item: home, libraries, hubs, and the docs/ pages."""
    urls = Urls(settings.use_directory_urls)
    sources = [src for src in page_plan(settings, catalog, Collateral()) if src.endswith(".md")]
    if settings.docs_dir.is_dir():
        sources += [p.relative_to(settings.docs_dir).as_posix() for p in settings.docs_dir.rglob("*.md")]
    return {page_key(urls.page(src)) for src in sources}


def _hidden(settings: Settings, library: Library, as_of: date) -> set[str]:
    """Where non-public items would live: traffic there predates a withdrawal or leaked early."""
    urls = Urls(settings.use_directory_urls)
    found = set()
    for item in library.all():
        if not is_public(item, as_of):
            found |= {page_key(urls.page(item_src(item))), pdf_path(item)} | ({kit_zip_path(item)} if item.kind == "kit" else set())
    return found


def performance(settings: Settings, catalog: Catalog, library: Library, traffic: Traffic) -> Report:
    base = urlsplit(settings.site_url).path or "/"
    base = base if base.endswith("/") else base + "/"
    paths, order = _targets(settings, catalog)
    rows = {(target.kind, target.slug): Row(target) for target in order}
    site_pages, hidden = _site_pages(settings, catalog), _hidden(settings, library, catalog.as_of)
    report = Report(catalog.as_of, traffic.files, list(rows.values()), {}, [])
    unknown: dict[str, list[int]] = {}
    packs: list[tuple[list[Row], int]] = []
    for counts, is_download in ((traffic.views, False), (traffic.downloads, True)):
        for raw, count in counts.items():
            path = site_path(raw, base)
            if is_download and path == PACK_PATH:
                report.packs += count
                packs.append((_pack_rows(raw, rows, unknown, count), count))
            elif path is None:
                unknown.setdefault(raw, [0, 0])[is_download] += count
            elif path in paths:
                target, is_file = paths[path]
                row = rows[(target.kind, target.slug)]
                if is_download or is_file:  # a file opened directly counts as its download
                    row.downloads += count
                else:
                    row.views += count
            elif path in site_pages:
                report.site_views += 0 if is_download else count
                report.site_downloads += count if is_download else 0
            else:
                unknown.setdefault("/" + path, [0, 0])[is_download] += count
    report.unknown = sorted(
        (Unknown(path, views, downloads, f"not public on {catalog.as_of.isoformat()}" if path[1:] in hidden
                 else "a visitor's own PDF held a case that is not public now" if path.startswith(f"/{PACK_PATH}?")
                 else "no such page or file" if path.startswith("/") else "not a page address")
         for path, (views, downloads) in unknown.items()),
        key=lambda u: (-(u.views + u.downloads), u.path))
    report.stats = {facet: _stats(catalog, report.rows, packs, facet) for facet in FACETS}
    return report


def _pack_rows(raw: str, rows: dict[tuple[str, str], Row], unknown: dict[str, list[int]], count: int) -> list[Row]:
    """The rows of the cases a visitor's own PDF held (its address lists them: ?cases=a,b),
    each credited with the download; a case no longer public is listed as unknown."""
    slugs = ",".join(parse_qs(urlsplit(raw.strip()).query).get("cases", [])).split(",")
    held = []
    for slug in dict.fromkeys(s.strip() for s in slugs if s.strip()):
        row = rows.get(("case", slug))
        if row is None:
            unknown.setdefault(f"/{PACK_PATH}?cases={slug}", [0, 0])[1] += count
        else:
            row.packs += count
            held.append(row)
    return held


def _stats(catalog: Catalog, rows: list[Row], packs: list[tuple[list[Row], int]], facet: str) -> list[Stat]:
    """One line per segment; an item counts in every segment it belongs to (a case for two
    roles counts for both), so a facet's lines may add up to more than the total. A
    visitor's own PDF counts once in each segment it holds a case of."""
    if facet == "kinds":
        keys = [(kind, label) for kind, label in KIND_LABELS.items()]
        member = lambda row, key: row.target.kind == key  # noqa: E731
    else:
        keys = [(key, term.label) for key, term in catalog.taxonomy.terms(facet).items()] + [(ANY, ANY_LABEL)]
        member = lambda row, key: key in row.target.segments[facet]  # noqa: E731
    stats = []
    for key, label in keys:
        members = [row for row in rows if member(row, key)]
        if members or key != ANY:
            held = sum(count for pack, count in packs if any(member(row, key) for row in pack))
            stats.append(Stat(facet, key, label, len(members), sum(r.views for r in members), sum(r.downloads for r in members),
                              sum(r.downloads for r in members if r.target.kind in PAGE_KINDS), held))
    return stats


# --- output ------------------------------------------------------------------------


def _rate(rate: float | None) -> str:
    return f"{rate:.1%}" if rate is not None else "—"


def text_report(report: Report) -> str:
    matched_views = sum(r.views for r in report.rows)
    matched_downloads = sum(r.downloads for r in report.rows)
    lines = [f"Content performance as of {report.as_of.isoformat()}, from {report.files} analytics "
             f"file{'' if report.files == 1 else 's'}: {matched_views:,} page views and {matched_downloads:,} downloads "
             f"of {len(report.rows)} public items and case books; {report.site_views:,} views and {report.site_downloads:,} downloads "
             f"on other site pages (home, hubs, libraries); "
             + (f"{report.packs:,} visitors' own PDFs from the case library; " if report.packs else "") +
             f"{len(report.unknown)} unknown path{'' if len(report.unknown) == 1 else 's'}.", ""]
    for facet in FACETS:
        stats = report.stats[facet]
        width = max(len(s.label) for s in stats) + 2
        own = report.packs > 0  # the column appears once visitors have made their own PDFs
        lines.append(f"{FACET_TITLES[facet]:<{width}}{'items':>6}{'views':>10}{'downloads':>11}{'rate':>8}{'own PDFs' if own else '':>10}".rstrip())
        lines += [f"{s.label:<{width}}{s.items:>6}{s.views:>10,}{s.downloads:>11,}{_rate(s.rate):>8}{f'{s.packs:,}' if own else '':>10}".rstrip()
                  for s in stats]
        lines.append("")
    for title, rows in ((f"Top {TOP} items by views", report.top()), (f"Bottom {TOP} items by views (with traffic)", report.bottom())):
        lines.append(title)
        lines += [f"{r.views:>8,} views {r.downloads:>6,} downloads {_rate(r.rate):>7}  {r.target.kind:<10} {r.target.slug}  {r.target.title}"
                  for r in rows] or ["  (none)"]
        lines.append("")
    silent = report.silent()
    lines.append(f"No traffic ({len(silent)})")
    lines += [f"  {r.target.kind:<10} {r.target.slug}  {r.target.title}" for r in silent] or ["  (none)"]
    lines += ["", f"Unknown or renamed paths ({len(report.unknown)}): in the export, but no public page or file"]
    lines += [f"{u.views:>8,} views {u.downloads:>6,} downloads  {u.path}  ({u.reason})" for u in report.unknown] or ["  (none)"]
    return "\n".join(lines)


def csv_report(report: Report) -> str:
    """One table for spreadsheets: segment lines, item lines and unknown paths, told apart by `section`.
    Unknown paths come from visitors' browsers, so cells are made formula-safe."""
    share = lambda rate: "" if rate is None else f"{rate:.4f}"  # noqa: E731
    rows: list[list[object]] = [["section", "facet", "key", "label", "items", "views", "downloads", "download_rate", "own_pdfs"]]
    rows += [["segment", facet, s.key, s.label, s.items, s.views, s.downloads, share(s.rate), s.packs]
             for facet in FACETS for s in report.stats[facet]]
    rows += [["item", r.target.kind, r.target.slug, r.target.title, 1, r.views, r.downloads, share(r.rate), r.packs]
             for r in report.rows]
    rows += [["unknown", "path", u.path, u.reason, 0, u.views, u.downloads, "", ""] for u in report.unknown]
    return spreadsheet.csv_text(rows)


def _bars(stats: list[Stat], title: str) -> str:
    """Views and downloads as paired bars, each labelled with its number: readable without colour."""
    row_h, left, bar_w = 40, 190, 420
    peak = max((s.views for s in stats), default=0) or 1
    peak_dl = max((s.downloads for s in stats), default=0) or 1
    height = row_h * len(stats) + 30
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + bar_w + 140}" height="{height}" role="img" '
             f'aria-label="{escape(title)}: views and downloads per segment" font-family="sans-serif" font-size="12">',
             f'<text x="{left}" y="14">views (solid, scale {peak:,}) · downloads (hatched, scale {peak_dl:,})</text>',
             '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
             '<rect width="6" height="6" fill="#fff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#e65100" stroke-width="3"/></pattern></defs>']
    for i, s in enumerate(stats):
        y = 24 + i * row_h
        views_w, dl_w = round(bar_w * s.views / peak), round(bar_w * s.downloads / peak_dl)
        parts += [f'<text x="{left - 8}" y="{y + 20}" text-anchor="end">{escape(s.label)}</text>',
                  f'<rect x="{left}" y="{y + 2}" width="{views_w}" height="14" fill="#3949ab"/>',
                  f'<text x="{left + views_w + 6}" y="{y + 14}">{s.views:,} views</text>',
                  f'<rect x="{left}" y="{y + 19}" width="{dl_w}" height="14" fill="url(#hatch)" stroke="#e65100"/>',
                  f'<text x="{left + dl_w + 6}" y="{y + 31}">{s.downloads:,} downloads ({_rate(s.rate)})</text>']
    parts.append("</svg>")
    return "".join(parts)


def html_report(report: Report) -> str:
    """An internal page for operators: a chart per facet and the item lists."""
    def table(rows: list[Row]) -> str:
        body = "".join(f"<tr><td>{escape(r.target.title)}</td><td>{r.target.kind}</td><td>{r.views:,}</td>"
                       f"<td>{r.downloads:,}</td><td>{_rate(r.rate)}</td><td>{r.packs:,}</td></tr>" for r in rows)
        return ("<table><tr><th>item</th><th>kind</th><th>views</th><th>downloads</th><th>rate</th><th>in own PDFs</th></tr>"
                f"{body}</table>" if rows else "<p>None.</p>")

    def packs(stats: list[Stat]) -> str:
        held = " · ".join(f"{escape(s.label)} {s.packs:,}" for s in stats if s.packs)
        return f"<p>Visitors' own PDFs holding a case of the segment: {held}</p>" if held else ""

    charts = "".join(f"<section><h2>{FACET_TITLES[f]}</h2>{_bars(report.stats[f], FACET_TITLES[f])}{packs(report.stats[f])}</section>"
                     for f in FACETS)
    unknown = "".join(f"<li><code>{escape(u.path)}</code>: {u.views:,} views, {u.downloads:,} downloads ({escape(u.reason)})</li>"
                      for u in report.unknown) or "<li>None.</li>"
    silent = "".join(f"<li>{escape(r.target.title)} ({r.target.kind})</li>" for r in report.silent()) or "<li>None.</li>"
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Content performance</title>"
            "<style>body{font-family:sans-serif;margin:2rem}td,th{padding:.2rem .6rem;text-align:left}</style></head><body>"
            f"<h1>Content performance, {report.as_of.isoformat()}</h1><p>Download rate: downloads per page view of the item.</p>"
            f"{charts}<h2>Top {TOP} by views</h2>{table(report.top())}<h2>Bottom {TOP} by views</h2>{table(report.bottom())}"
            f"<h2>No traffic</h2><ul>{silent}</ul><h2>Unknown or renamed paths</h2><ul>{unknown}</ul></body></html>\n")
