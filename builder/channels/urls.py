"""Where things live on the published site: page paths, relative links and full addresses."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..content.model import ASSETS_DIR, KIND_DIRS, Item
from ..content.settings import Settings
from .links import absolute

DOWNLOADS_DIR = "downloads"
CARDS_DIR = f"{ASSETS_DIR}/cards"


@dataclass(frozen=True)
class Urls:
    """Page-relative links between generated pages, for directory or file URLs."""

    use_directory_urls: bool

    def page(self, src: str) -> str:
        if not src.endswith(".md"):
            return src
        stem = src[:-3]
        if stem == "index" or stem.endswith("/index"):
            return stem[:-5] if self.use_directory_urls else stem + ".html"
        return stem + "/" if self.use_directory_urls else stem + ".html"

    def folder(self, src: str) -> str:
        """The folder relative links on the page start from."""
        current = self.page(src)
        return current if current.endswith("/") or not current else posixpath.dirname(current)

    def relative(self, from_src: str, to_src: str) -> str:
        here, target = self.folder(from_src), self.page(to_src)
        rel = posixpath.relpath(target or ".", here or ".")
        if target.endswith("/") or not target:
            return "./" if rel == "." else rel + "/"
        return rel


def item_src(item: Item) -> str:
    return f"{KIND_DIRS[item.kind]}/{item.slug}.md"


def page_url(settings: Settings, item: Item) -> str:
    """The item's page on the published site ('' without site_url)."""
    return absolute(settings.site_url, Urls(settings.use_directory_urls).page(item_src(item))) if settings.site_url else ""


def segment_src(facet: str, key: str) -> str:
    return f"{facet}/{key}.md"


def pdf_path(item: Item) -> str:
    return f"{DOWNLOADS_DIR}/{KIND_DIRS[item.kind]}/{item.slug}.pdf"


def kit_zip_path(kit: Item) -> str:
    return f"{DOWNLOADS_DIR}/kits/{kit.slug}.zip"


PAGE_SUFFIXES = (".md", ".markdown")  # a site engine turns these into pages, not downloads


def attachment_path(kit: Item, name: str) -> str | None:
    """Where a kit's attachment (a tool or template) is downloaded on its own; None for a
    Markdown file, which a site engine would publish as a page: it ships in the kit's zip."""
    return None if name.lower().endswith(PAGE_SUFFIXES) else f"{DOWNLOADS_DIR}/kits/{kit.slug}/{name}"


def thumbnail_path(pdf: str) -> str:
    """The picture of a PDF's first page, beside it."""
    return pdf.removesuffix(".pdf") + ".cover.webp"


# The case library's "your own PDF": the visitor's browser merges the chosen one-pagers
# behind this cover and reports the download as PACK_PATH?cases=a,b,c (a name, no file).
PACK_COVER_PATH = f"{ASSETS_DIR}/pack/cover.pdf"  # a theme file, not a download of its own
PACK_PATH = f"{DOWNLOADS_DIR}/customer-stories.pdf"


def casebook_path(industry: str) -> str:
    return f"{DOWNLOADS_DIR}/casebooks/{industry}.pdf"


def card_path(item: Item) -> str:
    """The 1200x630 social card of a case or white paper."""
    return f"{CARDS_DIR}/{item.kind}-{item.slug}.png"


def brand_logo_path(settings: Settings) -> str | None:
    """Where the brand logo is served: the theme's header, JSON-LD's publisher."""
    return f"{ASSETS_DIR}/brand/{PurePosixPath(settings.brand.logo).name}" if settings.brand.logo else None
