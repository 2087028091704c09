"""Read every content file into validated Items, collecting every located problem."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .body import render
from .config import Settings
from .model import KIND_DIRS, MEDIA_DIR, RESERVED_SLUGS, SCHEMAS, SLUG, Item, is_remote, resolve_ref
from .problems import Problem, closest
from .source import SourceError, read_document
from .validation import dotted, validate

Stamp = tuple[int, int] | None


@dataclass
class Library:
    """All content that parsed, by kind and slug, plus every problem found."""

    items: dict[str, dict[str, Item]] = field(default_factory=lambda: {kind: {} for kind in KIND_DIRS})
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    slugs: dict[str, set[str]] = field(default_factory=lambda: {kind: set() for kind in KIND_DIRS})  # valid or not

    def all(self) -> list[Item]:
        return [item for kind in KIND_DIRS for item in self.items[kind].values()]


@dataclass
class _Cached:
    stamps: dict[Path, Stamp]  # the file and every file it references
    item: Item | None
    problems: list[Problem]


class Loader:
    """Loads a project; `serve` keeps one, so only edited files (or files whose images,
    attachments or taxonomy changed) are read again."""

    def __init__(self) -> None:
        self._cache: dict[Path, _Cached] = {}
        self._context_key = ""

    def load(self, settings: Settings) -> Library:
        context = {"taxonomy": settings.taxonomy, "root": settings.root, "media_url": media_url(settings)}
        context_key = settings.taxonomy.model_dump_json() + str(settings.root) + context["media_url"]
        if context_key != self._context_key:
            self._cache, self._context_key = {}, context_key
        library = Library()
        seen: set[Path] = set()
        for kind, folder in KIND_DIRS.items():
            paths, problems = content_files(settings.root, folder)
            library.problems += problems
            for path in paths:
                seen.add(path)
                library.files += 1
                library.slugs[kind].add(path.stem)
                item, found = self._load_file(settings.root, kind, path, context)
                library.problems += found
                if item is not None:
                    library.items[kind][item.slug] = item
        self._cache = {path: cached for path, cached in self._cache.items() if path in seen}
        library.problems += check_references(library)
        library.problems.sort()
        return library

    def _load_file(self, root: Path, kind: str, path: Path, context: dict) -> tuple[Item | None, list[Problem]]:
        cached = self._cache.get(path)
        if cached is None or any(_stamp(p) != stamp for p, stamp in cached.stamps.items()):
            item, problems = load_file(root, kind, path, context)
            cached = _Cached({p: _stamp(p) for p in [path, *_references(root, item)]}, item, problems)
            self._cache[path] = cached
        return cached.item, cached.problems


def _stamp(path: Path) -> Stamp:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def media_url(settings: Settings) -> str:
    """Item pages all sit one folder deep (cases/<slug>/), so one relative prefix serves them."""
    return ("../../" if settings.use_directory_urls else "../") + MEDIA_DIR + "/"


def content_files(root: Path, folder: str) -> tuple[list[Path], list[Problem]]:
    """The Markdown files directly in a content folder, in a stable order."""
    directory = root / folder
    if not directory.is_dir():
        return [], []
    paths, problems = [], []
    for path in sorted(directory.iterdir()):
        rel = f"{folder}/{path.name}"
        if path.name.startswith((".", "_")):
            continue
        if path.suffix.lower() in (".md", ".markdown") and path.suffix != ".md":
            problems.append(Problem(rel, 1, "warning", "file is ignored: content files end in '.md'", f"rename it to '{path.stem}.md'"))
        elif path.suffix != ".md":
            continue
        elif path.is_symlink() and not path.exists():
            problems.append(Problem(rel, 1, "error", "file is a broken symlink", "commit the file itself"))
        elif path.is_file():
            paths.append(path)
        else:
            problems.append(Problem(rel, 1, "error", "a folder cannot be named like a content file", "rename the folder"))
    return paths, problems


def load_file(root: Path, kind: str, path: Path, context: dict) -> tuple[Item | None, list[Problem]]:
    rel = path.relative_to(root).as_posix()
    problems: list[Problem] = []
    if path.is_symlink() and not path.resolve().is_relative_to(root.resolve()):
        return None, [Problem(rel, 1, "error", "file is a symlink to outside the repository", "commit the file itself")]
    slug = path.stem
    if not SLUG.match(slug) or slug in RESERVED_SLUGS:
        suggestion = "-".join("".join(c if c.isalnum() and c.isascii() else " " for c in slug.lower()).split())[:80]
        if not suggestion or suggestion in RESERVED_SLUGS:
            suggestion = f"my-{suggestion or 'story'}"
        problems.append(Problem(rel, 1, "error", f"file name '{path.name}' is not a valid slug (it becomes the page URL)",
                                f"rename it to '{suggestion}.md': lowercase letters, digits and '-', at most 100, not 'index'"))
    try:
        doc = read_document(path)
    except SourceError as exc:
        return None, problems + [Problem(rel, exc.line, "error", exc.message, exc.hint)]
    meta, found = validate(SCHEMAS[kind], doc, rel, {**context, "base": path.parent})
    body = render(doc.body, rel, doc.body_line, root, context["media_url"])
    problems += found + body.problems
    if meta is None or any(p.severity == "error" for p in problems):
        return None, problems
    item = Item(kind=kind, slug=slug, path=rel, meta=meta, body=doc.body, body_line=doc.body_line,
                rendered=body, lines=doc.lines)
    problems += [Problem(rel, item.line_of(loc), "warning", f"{dotted(loc)}: remote file '{ref}' is not published",
                         "commit the file and link it with a relative path; Casebook fetches nothing from the network")
                 for loc, ref in file_refs(item) if is_remote(ref)]
    return item, problems


def file_refs(item: Item) -> list[tuple[tuple, str]]:
    """(field location, reference) of every file a content item names in its front matter."""
    meta = item.meta
    if item.kind == "case":
        return [(("customer", "logo"), meta.customer.logo)] if meta.customer.logo else []
    if item.kind == "whitepaper":
        return [(("cover",), meta.cover)] if meta.cover else []
    return [(("attachments", index), ref) for index, ref in enumerate(meta.attachments)]


def _references(root: Path, item: Item | None) -> list[Path]:
    if item is None:
        return []
    base = (root / item.path).parent
    refs = [(base / ref) for _, ref in file_refs(item) if not is_remote(ref)]
    return refs + list(item.rendered.assets.values())


def check_references(library: Library) -> list[Problem]:
    """Kit members must exist; a name typo gets the closest slug as a hint."""
    problems: list[Problem] = []
    for kit in library.items["kit"].values():
        for field_name, kind in (("cases", "case"), ("whitepapers", "whitepaper")):
            known = library.slugs[kind]
            for slug in getattr(kit.meta, field_name):
                if slug not in known:
                    near = closest(slug, known)
                    problems.append(Problem(kit.path, kit.line_of((field_name,)), "error",
                                            f"{field_name}: no {kind} '{slug}' in {KIND_DIRS[kind]}/",
                                            f"did you mean '{near}'?" if near else f"check the file name in {KIND_DIRS[kind]}/"))
    return problems


def local_files(settings: Settings, item: Item) -> list[tuple[str, Path]]:
    """Local files (ref, path) that an item's front matter names, already validated."""
    base = (settings.root / item.path).parent
    return [(ref, resolve_ref(settings.root, base, ref)) for _, ref in file_refs(item) if not is_remote(ref)]

