"""Two built sites side by side, as a reader sees them: the same files, the same text and
links on every page, the same bytes in every other file. Made for switching engines: build
with each, compare, and switch when nothing differs but the generator's name."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

PAGE_TYPES = {".html", ".htm"}
_SILENT = {"script", "style", "template"}


@dataclass(frozen=True)
class Page:
    """What a reader of one page gets: its words, where its links and images lead, and what
    its meta tags tell search engines and social networks (the generator's name aside)."""

    text: tuple[str, ...]
    links: tuple[str, ...]
    meta: tuple[str, ...]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []
        self.links: list[str] = []
        self.meta: list[str] = []
        self.silent = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SILENT:
            self.silent += 1
        self.links += [f"{tag}[{name}]={value}" for name, value in attrs if name in ("href", "src") and value]
        named = dict(attrs)
        key = named.get("name") or named.get("property")
        if tag == "meta" and key and key != "generator":
            self.meta.append(f"{key}={named.get('content') or ''}")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SILENT and self.silent:
            self.silent -= 1

    def handle_data(self, data: str) -> None:
        if not self.silent:
            self.words += data.split()


def read_page(html: str) -> Page:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return Page(tuple(reader.words), tuple(reader.links), tuple(reader.meta))


def _files(site: Path) -> dict[str, Path]:
    return {path.relative_to(site).as_posix(): path for path in sorted(site.rglob("*")) if path.is_file()}


def compare_sites(a: Path, b: Path) -> tuple[list[str], int]:
    """Each difference in words, and the number of files compared."""
    left, right = _files(a), _files(b)
    found = [f"only in {a}: {name}" for name in sorted(left.keys() - right.keys())]
    found += [f"only in {b}: {name}" for name in sorted(right.keys() - left.keys())]
    for name in sorted(left.keys() & right.keys()):
        one, other = left[name].read_bytes(), right[name].read_bytes()
        if one == other:
            continue
        if Path(name).suffix.lower() not in PAGE_TYPES:
            found.append(f"{name}: the files differ ({len(one):,} and {len(other):,} bytes)")
            continue
        first = read_page(one.decode("utf-8", errors="replace"))
        second = read_page(other.decode("utf-8", errors="replace"))
        for what in ("text", "links", "meta"):
            x, y = getattr(first, what), getattr(second, what)
            if x != y:
                found.append(f"{name}: the {what} differs: {_first_change(x, y)}")
    return found, len(left.keys() | right.keys())


def _first_change(x: tuple[str, ...], y: tuple[str, ...]) -> str:
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=x, b=y, autojunk=False).get_opcodes():
        if tag != "equal":
            return f"{' '.join(x[i1:i2][:12]) or '(nothing)'!r} against {' '.join(y[j1:j2][:12]) or '(nothing)'!r}"
    return "in order only"
