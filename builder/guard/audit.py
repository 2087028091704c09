"""The leak guard: prove that a built site holds nothing it must not.

Every output file is read as text (HTML unescaped, PDFs through their text layer,
zips and gzip members opened) and searched for the distinctive strings of every
non-public item and for every `internal` value. It reads the outputs, not the
pipeline's intentions, so a template that prints `internal`, a kit naming a draft
or a stale file left in the site directory are all caught.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import zipfile
from dataclasses import dataclass
from datetime import date
from html import unescape
from pathlib import Path
from typing import Iterator

import ahocorasick

from ..catalog.catalog import is_public
from ..content.load import Library
from ..content.memo import Memo
from ..content.model import Item
from ..content.settings import Settings
from ..core.cache import prune
from ..core.pdftext import pdf_text
from .fragments import fragments

MIN_LENGTH = 8  # shorter strings are too common to prove a leak
BACKGROUND_TYPES = {".j2", ".html", ".md", ".typ", ".yml", ".yaml", ".txt", ".xml", ".css", ".js", ".json"}
TEXT_TYPES = {".html", ".htm", ".xml", ".json", ".txt", ".md", ".js", ".css", ".csv", ".svg", ".webmanifest", ".yml", ".yaml"}


# Style sheets and scripts are the theme's own, never content: fragments (short by nature)
# are not searched for there, whole values are.
FRAGMENT_FREE = (".css", ".js")


@dataclass(frozen=True)
class Needle:
    text: str  # normalised
    what: str
    source: str
    fragment: bool = False


@dataclass(frozen=True, order=True)
class Finding:
    output: str
    what: str
    source: str

    def text(self) -> str:
        return f"{self.output}: leaked {self.what} from {self.source}"


def normalise(text: str) -> str:
    """Entities decoded, case folded, whitespace runs as one space. Done in slices cut at
    whitespace (no entity spans one), so a large file such as the search index costs a
    copy or two, not a list of all its words."""
    return " ".join(part for part in (" ".join(unescape(piece).casefold().split()) for piece in _slices(text)) if part)


_SPACE = re.compile(r"\s")


def _slices(text: str, size: int = 1 << 20) -> Iterator[str]:
    start = 0
    while start < len(text):
        space = _SPACE.search(text, start + size)
        end = space.start() if space else len(text)
        yield text[start:end]
        start = end


def needles(library: Library, as_of: date, background: str = "") -> list[Needle]:
    """Distinctive strings of non-public items, and every internal value, that no public
    item also contains (a customer with a public and a draft case may be named), with their
    distinctive fragments (see fragments.py) that `background` (the templates and
    hand-written pages) does not contain either: a template's own words are no fragment of
    a leak, but a template that prints a whole hidden value leaks it."""
    items = library.all() + library.translated()  # a translation is public by its own approval
    found: dict[str, Needle] = {}
    for item in items:
        candidates = [] if is_public(item, as_of) else _distinctive(item)
        candidates += [(f"internal value {value!r}", value) for value in _leaves(item.meta.internal)]
        for what, value in candidates:
            text = normalise(str(value))
            if len(text) >= MIN_LENGTH and text not in found:
                found[text] = Needle(text, what, item.path)
            for kind, part in fragments(str(value), text):
                if part != text and part not in found:
                    found[part] = Needle(part, f"{kind} {part!r} of {what}", item.path, fragment=True)
    if not found:
        return []
    public = [item for item in items if is_public(item, as_of)]
    public_text = " ".join(_public_text(item) for item in public)
    automaton = ahocorasick.Automaton()  # which candidates public content contains, in one pass
    for text in found:
        automaton.add_word(text, text)
    automaton.make_automaton()
    for _, text in automaton.iter(public_text):
        found.pop(text, None)
    for _, text in automaton.iter(background) if background else ():
        if text in found and found[text].fragment:
            del found[text]
    return sorted(found.values(), key=lambda n: (-len(n.text), n.text))


_PUBLIC = Memo()  # item path -> its normalised publishable text: `serve` audits after every edit


def _public_text(item: Item) -> str:
    return _PUBLIC.get(item.path, (item,), lambda: normalise(item.public_text()))


def _distinctive(item: Item) -> list[tuple[str, str]]:
    meta = item.meta
    values = [("title", meta.title), ("summary", meta.summary)]
    if item.kind == "case":
        values.append(("customer name", meta.customer.name))
        if meta.quote:
            values.append(("quote", meta.quote.text))
    return [(f"{what} {value!r}", value) for what, value in values]


def _leaves(value) -> list[str]:
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in _leaves(v)]
    return [] if value is None else [str(value)]


def audit(site_dir: Path, library: Library, as_of: date, cache_dir: Path | None = None,
          since: float | None = None, collateral: bool = True, public: tuple[Path, ...] = ()) -> list[Finding]:
    """Every leak in site_dir, reported per output file. `serve` narrows it to keep previews
    quick: `since` reads only the files a rebuild wrote, but not the search index (its text
    is the pages' own, read already), and collateral=False skips PDFs and zips (every
    build still reads them all). `public`: folders and files whose words count as public
    (see public_sources)."""
    _NEEDLES.use((as_of, _stamps(public)))
    automaton = _NEEDLES.get("needles", tuple(library.all() + library.translated()), lambda: _automaton(needles(library, as_of, _read_all(public))))
    if automaton is None:
        return []
    findings: set[Finding] = set()
    used: set[str] = set()  # PDF texts read, by digest
    skipped = (() if collateral else (".pdf", ".zip")) + (() if since is None else (SEARCH_INDEX,))
    for rel, path in _files(site_dir, skipped, since):
        for label, text in _texts(rel, path.read_bytes(), cache_dir, used):
            theme = label.endswith(FRAGMENT_FREE)
            for _, needle in automaton.iter(normalise(text)):
                if not (needle.fragment and theme):
                    findings.add(Finding(label, needle.what, needle.source))
    if cache_dir and since is None and collateral:  # a full reading knows every PDF still in use
        prune(cache_dir, used)
    return sorted(findings)


def public_sources(settings: Settings) -> tuple[Path, ...]:
    """What the site shows besides content: its templates, hand-written pages and settings."""
    return settings.templates_dir, settings.docs_dir, settings.config_file


def _source_files(paths: tuple[Path, ...]) -> list[Path]:
    return sorted(p for path in paths for p in ([path] if path.is_file() else path.rglob("*") if path.is_dir() else [])
                  if p.is_file() and p.suffix.lower() in BACKGROUND_TYPES)


def _stamps(paths: tuple[Path, ...]) -> tuple:
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in _source_files(paths))


def _read_all(paths: tuple[Path, ...]) -> str:
    return " ".join(normalise(p.read_text("utf-8", errors="replace")) for p in _source_files(paths))


def _files(site_dir: Path, skipped: tuple[str, ...], since: float | None) -> list[tuple[str, Path]]:
    """(path in the site, file) for each file to read, in order. `serve` lists the whole site
    after every edit, so this stats each file once and skips pathlib's overhead."""
    found = []
    for folder, _, names in os.walk(site_dir):
        for name in names:
            path = os.path.join(folder, name)
            if not path.endswith(skipped) and (since is None or os.stat(path).st_mtime >= since):
                file = Path(path)
                found.append((file.relative_to(site_dir).as_posix(), file))
    return sorted(found)


SEARCH_INDEX = "/search/search_index.json"
_NEEDLES = Memo()  # the needles' automaton, while `serve` rebuilds change no item


def _automaton(targets: list[Needle]) -> ahocorasick.Automaton | None:
    """All needles, found in one pass over each text."""
    if not targets:
        return None
    automaton = ahocorasick.Automaton()
    for needle in targets:
        automaton.add_word(needle.text, needle)
    automaton.make_automaton()
    return automaton


def _texts(label: str, data: bytes, cache_dir: Path | None, used: set[str]) -> list[tuple[str, str]]:
    """(label, text) for a file and, inside archives, for each member."""
    suffix = Path(label).suffix.lower()
    if suffix == ".zip":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [pair for name in archive.namelist() if not name.endswith("/")
                    for pair in _texts(f"{label}!{name}", archive.read(name), cache_dir, used)]
    if suffix == ".gz":
        return _texts(label[:-3], gzip.decompress(data), cache_dir, used)
    if suffix == ".pdf":
        return [(label, pdf_text(data, cache_dir, used))]
    if suffix in TEXT_TYPES:
        return [(label, data.decode("utf-8", errors="replace"))]
    return []
