"""What flows through the collateral stage: a job to render (its data holds deferred values
that only the render worker makes), the downloads it yields, and the stage's result."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..channels.qr import qr_svg
from ..content.body import pdf_tree
from ..content.model import Item
from ..core.problems import Problem
from .embed import placed


@dataclass(frozen=True)
class Job:
    """One output to render: which template, with which data, reading which files."""

    output: str  # path in the staging tree
    template: str  # file name in site_templates/pdf/
    data: dict[str, Any]
    files: tuple[Path, ...] = ()
    png: bool = False
    day: date | None = None  # the content's own date: the PDF's timestamp, stable across build days


@dataclass(frozen=True)
class Story:
    """An item's body in a job's data. Job data holds values that are slow to make as such
    deferred values: the cache key takes `key()`, and only the render worker makes `value()`."""

    item: Item
    root: Path

    def key(self) -> str:
        return f"{self.item.path}\n{self.item.body}"  # the path places the body's images

    def value(self) -> list[dict]:
        """The PDF templates' tree of the body (see body.pdf_tree)."""
        return pdf_tree(self.item.body, self.item.path, self.root)


@dataclass(frozen=True)
class QrCode:
    """A deferred QR code (see Story): keyed by its address, drawn as SVG by the worker."""

    url: str
    cache: Path

    def key(self) -> str:
        return self.url

    def value(self) -> str:
        return qr_svg(self.url, self.cache)


@dataclass(frozen=True)
class Placed:
    """A rendered PDF whose pages a case book or kit places (see Story and embed.py): keyed
    by its cache entry's name, which is the key of what made it; the worker reads its pages,
    links and bookmarks from the entry, once the PDF is in the cache."""

    file: Path  # the cache entry
    path: str  # how Typst, whose root is the project, names it

    def key(self) -> str:
        return self.file.name

    def value(self) -> dict[str, Any]:
        return placed(self.file, self.path)


Deferred = Story | QrCode | Placed


def key_of(deferred: Deferred) -> str:
    return deferred.key()


def value_of(deferred: Deferred) -> Any:
    return deferred.value()


@dataclass(frozen=True)
class Download:
    """A file sales can download, as pages and the Downloads page list it."""

    path: str
    kind: str  # case, whitepaper, kit, kit-zip, casebook
    title: str
    size: int
    pages: int | None
    industries: tuple[str, ...]
    roles: tuple[str, ...]
    source: str = ""  # the item slug, or the industry key of a case book
    gated: bool = False  # a gated white paper: sites with a gate link its form, not the file
    thumbnail: str | None = None  # a picture of its first page, where the build made one


@dataclass
class Late:
    """Outputs still rendering while the pages are built (render.render_late): no page is
    made from them, so they join the built site afterwards (produce.late_files)."""

    outputs: dict[str, str]  # staging path -> cache key
    cache: Path
    work: threading.Thread | None  # None: rendered already
    problems: list[Problem]  # the renders', once `work` has ended


@dataclass
class Collateral:
    files: dict[str, bytes] = field(default_factory=dict)  # staging path -> bytes
    late: Late | None = None  # outputs this build is still rendering, not yet in files
    downloads: dict[str, list[Download]] = field(default_factory=dict)  # item src or hub src -> downloads
    rendered: list[str] = field(default_factory=list)  # outputs rendered this run (cache misses), late ones too
    cached: list[str] = field(default_factory=list)  # outputs taken unchanged from the cache
    pending: list[str] = field(default_factory=list)  # outputs not in the cache and not rendered (serve)
    problems: list[Problem] = field(default_factory=list)

    def __contains__(self, path: str) -> bool:
        """Whether the site will have this output: made, or still rendering (see Late)."""
        return path in self.files or (self.late is not None and path in self.late.outputs)

    def all_downloads(self) -> list[Download]:
        seen: dict[str, Download] = {}
        for downloads in self.downloads.values():
            seen.update({d.path: d for d in downloads})
        return sorted(seen.values(), key=lambda d: (d.kind, d.title.lower(), d.path))
