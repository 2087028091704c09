"""Read every content file into validated Items, collecting every located problem."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from .body import render
from .config import Settings
from .model import KIND_DIRS, MEDIA_DIR, SCHEMAS, SLUG, Item
from .problems import Problem, closest
from .source import SourceError, read_document
from .validation import validate


@dataclass
class Library:
    """All content that parsed, by kind and slug, plus every problem found."""

    items: dict[str, dict[str, Item]] = field(default_factory=lambda: {kind: {} for kind in KIND_DIRS})
    problems: list[Problem] = field(default_factory=list)
    files: int = 0

    def all(self) -> list[Item]:
        return [item for kind in KIND_DIRS for item in self.items[kind].values()]


@dataclass
class _Cached:
    stamp: tuple[int, int]
    item: Item | None
    problems: list[Problem]


class Loader:
    """Loads a project; keeps parsed files by (mtime, size) so `serve` re-reads only edits."""

    def __init__(self) -> None:
        self._cache: dict[Path, _Cached] = {}

    def load(self, settings: Settings) -> Library:
        library = Library()
        context = {"taxonomy": settings.taxonomy, "root": settings.root, "media_url": media_url(settings)}
        seen: set[Path] = set()
        for kind, folder in KIND_DIRS.items():
            for path in content_files(settings.root / folder):
                seen.add(path)
                library.files += 1
                item, problems = self._load_file(settings.root, kind, path, context)
                library.problems += problems
                if item is not None:
                    library.items[kind][item.slug] = item
        self._cache = {path: cached for path, cached in self._cache.items() if path in seen}
        library.problems += check_references(library)
        library.problems.sort()
        return library

    def _load_file(self, root: Path, kind: str, path: Path, context: dict) -> tuple[Item | None, list[Problem]]:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        cached = self._cache.get(path)
        if cached is None or cached.stamp != stamp:
            cached = _Cached(stamp, *load_file(root, kind, path, {**context, "base": path.parent}))
            self._cache[path] = cached
        return cached.item, cached.problems


def content_files(folder: Path) -> list[Path]:
    """The Markdown files directly in a content folder, in a stable order."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix == ".md" and not p.name.startswith((".", "_")))


def load_file(root: Path, kind: str, path: Path, context: dict) -> tuple[Item | None, list[Problem]]:
    rel = path.relative_to(root).as_posix()
    problems: list[Problem] = []
    if path.is_symlink() and not path.resolve().is_relative_to(root.resolve()):
        return None, [Problem(rel, 1, "error", "file is a symlink to outside the repository", "commit the file itself")]
    slug = path.stem
    if not SLUG.match(slug):
        suggestion = "-".join("".join(c if c.isalnum() and c.isascii() else " " for c in slug.lower()).split())
        problems.append(Problem(rel, 1, "error", f"file name '{path.name}' is not a valid slug (it becomes the page URL)",
                                f"rename it to '{suggestion or 'my-case'}.md': lowercase letters, digits and '-'"))
    try:
        doc = read_document(path)
    except SourceError as exc:
        return None, problems + [Problem(rel, exc.line, "error", exc.message, exc.hint)]
    meta, found = validate(SCHEMAS[kind], doc, rel, context)
    problems += found
    if meta is None or any(p.severity == "error" for p in problems):
        return None, problems
    item = Item(kind=kind, slug=slug, path=rel, meta=meta, body=doc.body, body_line=doc.body_line, lines=doc.lines)
    rendered = render(item, root, context["media_url"])
    problems += rendered.problems
    return replace(item, rendered=rendered), problems


def media_url(settings: Settings) -> str:
    """Item pages all sit one folder deep (cases/<slug>/), so one relative prefix serves them."""
    return ("../../" if settings.use_directory_urls else "../") + MEDIA_DIR + "/"


def check_references(library: Library) -> list[Problem]:
    """Kit members must exist; a name typo gets the closest slug as a hint."""
    problems: list[Problem] = []
    for kit in library.items["kit"].values():
        for field_name, kind in (("cases", "case"), ("whitepapers", "whitepaper")):
            known = library.items[kind]
            for slug in getattr(kit.meta, field_name):
                if slug not in known:
                    near = closest(slug, known)
                    problems.append(Problem(kit.path, kit.line_of((field_name,)), "error",
                                            f"{field_name}: no {kind} '{slug}' in {KIND_DIRS[kind]}/",
                                            f"did you mean '{near}'?" if near else f"check the file name in {KIND_DIRS[kind]}/"))
    return problems
