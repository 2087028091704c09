"""Read every content file into validated Items, collecting every located problem."""

from __future__ import annotations

import functools
import hashlib
import json
import pickle
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..core.cache import CACHE_DAYS, versions
from ..core.problems import Problem, closest
from ..core.source import Document, SourceError, read_document
from ..core.workers import fork_map
from .approval import check_approval
from .body import render
from .model import KIND_DIRS, MEDIA_DIR, RESERVED_SLUGS, SCHEMAS, SLUG, Item, file_refs, is_remote, references, resolve_ref
from .scaffold import placeholder_problems
from .settings import Settings
from .translations import load_translation, split_language
from .validation import dotted, validate

Stamp = tuple[int, int] | None


@dataclass
class Library:
    """All content that parsed, by kind and slug, plus every problem found."""

    items: dict[str, dict[str, Item]] = field(default_factory=lambda: {kind: {} for kind in KIND_DIRS})
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    slugs: dict[str, set[str]] = field(default_factory=lambda: {kind: set() for kind in KIND_DIRS})  # valid or not
    # kind -> slug -> language -> the translation (see translations.py); not in all()
    translations: dict[str, dict[str, dict[str, Item]]] = field(default_factory=lambda: {kind: {} for kind in KIND_DIRS})

    def all(self) -> list[Item]:
        return [item for kind in KIND_DIRS for item in self.items[kind].values()]

    def translated(self) -> list[Item]:
        return [item for kind in KIND_DIRS for languages in self.translations[kind].values() for item in languages.values()]


@dataclass
class _Cached:
    stamps: dict[Path, Stamp]  # the file and every file it references
    item: Item | None
    problems: list[Problem]


PARALLEL_FILES = 400  # from this many files to parse, parsing is spread over the CPUs


class Loader:
    """Loads a project. Parsed items are kept in memory (`serve` keeps one loader, so only
    edited files, or files whose images, attachments or taxonomy changed, are read again)
    and on disk (see ItemStore), so a build parses only what changed since the last one."""

    def __init__(self) -> None:
        self._cache: dict[Path, _Cached] = {}
        self._translated: dict[Path, tuple[Stamp, Item, tuple]] = {}  # by file: (its stamp, the default item, result)
        self._context_key = ""

    def load(self, settings: Settings) -> Library:
        context = loader_context(settings)
        context_key = settings.taxonomy.model_dump_json() + str(settings.root) + context["media_url"] + context["fingerprints"] + str(context["editor"])
        if context_key != self._context_key:
            self._cache, self._translated, self._context_key = {}, {}, context_key
        library = Library()
        files: list[tuple[str, Path]] = []
        translated: list[tuple[str, Path, str, str]] = []
        for kind, folder in KIND_DIRS.items():
            paths, problems = content_files(settings.root, folder)
            library.problems += problems
            for path in paths:
                slug, lang = split_language(path.stem, settings.languages)
                if lang is None:
                    files.append((kind, path))
                else:
                    translated.append((kind, path, slug, lang))
        with ItemStore(settings.cache_dir / "items.sqlite", context_key) as store:
            todo = [(kind, path) for kind, path in files if not self._fresh(path) and not self._restore(store, path)]
            parse = functools.partial(_parse, settings.root, context)
            for (kind, path), blob in zip(todo, fork_map(parse, todo, PARALLEL_FILES)):
                item, problems = pickle.loads(blob)
                refs = references(settings.root, item)
                self._remember(path, item, problems, refs)
                store.put(path, blob, item, refs)
        for kind, path in files:
            library.files += 1
            library.slugs[kind].add(path.stem)
            cached = self._cache[path]
            library.problems += cached.problems
            if cached.item is not None:
                library.items[kind][cached.item.slug] = cached.item
        self._cache = {path: self._cache[path] for _, path in files}
        for kind, path, slug, lang in translated:
            library.files += 1
            item, problems = self._translation(settings.root, context, kind, path, slug, lang, library)
            library.problems += problems
            if item is not None:
                library.translations[kind].setdefault(slug, {})[lang] = item
        self._translated = {path: self._translated[path] for _, path, _, _ in translated if path in self._translated}
        library.problems += check_references(library) + placeholder_problems(settings, library.all())
        library.problems.sort()
        return library

    def _translation(self, root: Path, context: dict, kind: str, path: Path, slug: str, lang: str,
                     library: Library) -> tuple[Item | None, list[Problem]]:
        """A translation, read again only when it or its default file changed."""
        default = library.items[kind].get(slug)
        if default is None and slug in library.slugs[kind]:
            return None, []  # the default file has errors of its own, reported where they are
        if default is None:
            rel, folder = path.relative_to(root).as_posix(), KIND_DIRS[kind]
            near = closest(slug, library.slugs[kind])
            return None, [Problem(rel, 1, "error", f"a translation of '{slug}', but there is no {folder}/{slug}.md",
                                  f"did you mean '{near}.{lang}.md'?" if near else f"write {folder}/{slug}.md in the default language first")]
        stamp, kept = _stamp(path), self._translated.get(path)
        if kept is not None and kept[0] == stamp and kept[1] is default:
            return kept[2]
        result = load_translation(root, kind, path, lang, default, context)
        self._translated[path] = (stamp, default, result)
        return result

    def _fresh(self, path: Path) -> bool:
        cached = self._cache.get(path)
        return cached is not None and all(_stamp(p) == stamp for p, stamp in cached.stamps.items())

    def _restore(self, store: ItemStore, path: Path) -> bool:
        found = store.get(path)
        if found is not None:
            self._remember(path, *found)
        return found is not None

    def _remember(self, path: Path, item: Item | None, problems: list[Problem], refs: list[Path]) -> None:
        self._cache[path] = _Cached({p: _stamp(p) for p in [path, *refs]}, item, problems)


def _parse(root: Path, context: dict, file: tuple[str, Path]) -> bytes:
    """(item, problems) of one (kind, path), pickled: the form workers hand back and the store keeps."""
    return pickle.dumps(load_file(root, *file, context), protocol=pickle.HIGHEST_PROTOCOL)


class ItemStore:
    """Parsed items on disk (one SQLite file), under the digest of the file's bytes, its
    place, the taxonomy and Casebook's own code. Each entry records the digest of every file
    the item references (images, logos, attachments), checked on every hit. Files with
    errors are not stored: they are parsed again until fixed, so a fix made elsewhere (an
    image added) shows. A damaged or locked store only means parsing everything."""

    def __init__(self, database: Path, context_key: str) -> None:
        self.database = database
        self.context = hashlib.sha256(f"{_CODE}\n{context_key}".encode()).digest()
        self.used: list[str] = []
        self.added: list[tuple[str, bytes, str, float]] = []
        self._digests: dict[Path, str] = {}
        self._keys: dict[Path, str | None] = {}
        self._db: sqlite3.Connection | None = None

    def __enter__(self) -> ItemStore:
        try:
            self.database.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.database, timeout=10)
            self._db.execute("CREATE TABLE IF NOT EXISTS items (key TEXT PRIMARY KEY, blob BLOB, refs TEXT, used REAL)")
        except (OSError, sqlite3.Error):
            self._db = None
        return self

    def __exit__(self, *exc: object) -> None:
        if self._db is None:
            return
        now = datetime.now().timestamp()
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO items VALUES (?, ?, ?, ?)", self.added)
                self._db.executemany("UPDATE items SET used = ? WHERE key = ? AND used < ?",
                                     [(now, key, now - 86400) for key in self.used])
                self._db.execute("DELETE FROM items WHERE used < ?", (now - CACHE_DAYS * 86400,))
        except sqlite3.Error:
            pass  # a locked or damaged store: this run's entries are simply not kept
        finally:
            self._db.close()

    def _key(self, path: Path) -> str | None:
        if path not in self._keys:
            try:
                data = path.read_bytes()
                place = str(path.resolve() if path.is_symlink() else path).encode()
                self._keys[path] = hashlib.sha256(self.context + place + b"\0" + data).hexdigest()
            except OSError:
                self._keys[path] = None
        return self._keys[path]

    def _digest(self, path: Path) -> str:
        if path not in self._digests:
            self._digests[path] = _file_digest(path)
        return self._digests[path]

    def get(self, path: Path) -> tuple[Item | None, list[Problem], list[Path]] | None:
        """(item, problems, the files it references), when stored and none of those files changed."""
        key = self._key(path)
        if self._db is None or key is None:
            return None
        try:
            row = self._db.execute("SELECT blob, refs FROM items WHERE key = ?", (key,)).fetchone()
            if row is None:
                return None
            refs = [(Path(ref), digest) for ref, digest in json.loads(row[1])]
            if any(self._digest(ref) != digest for ref, digest in refs):
                return None
            item, problems = pickle.loads(row[0])
        except (sqlite3.Error, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return None
        self.used.append(key)
        return item, problems, [ref for ref, _ in refs]

    def put(self, path: Path, blob: bytes, item: Item | None, refs: list[Path]) -> None:
        key = self._key(path)
        if self._db is None or item is None or key is None:  # a file with errors has no item
            return
        stored = [(str(ref), self._digest(ref)) for ref in refs]
        self.added.append((key, blob, json.dumps(stored), datetime.now().timestamp()))


def _file_digest(path: Path) -> str:
    """The bytes and real place of a file ('' when it is gone): a symlink retargeted
    outside the repository must not pass for the file it replaced."""
    try:
        return hashlib.sha256(str(path.resolve()).encode() + b"\0" + path.read_bytes()).hexdigest()
    except OSError:
        return ""


# The code that parses (this stage and the plumbing below it) and its parsers are part of
# every stored item's key: an upgrade parses everything again.
_CODE = hashlib.sha256(b"".join(p.read_bytes() for folder in (Path(__file__).parent, Path(__file__).parents[1] / "core")
                                for p in sorted(folder.glob("*.py")))).hexdigest() + versions(
    "PyYAML", "pydantic", "markdown-it-py", "mdit-py-plugins", "nh3")


def _stamp(path: Path) -> Stamp:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def loader_context(settings: Settings) -> dict:
    """What validating one file needs to know of the project."""
    return {"taxonomy": settings.taxonomy, "root": settings.root, "media_url": media_url(settings),
            "fingerprints": settings.fingerprints, "editor": settings.cms is not None}


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


def load_file(root: Path, kind: str, path: Path, context: dict, raw: bytes | None = None) -> tuple[Item | None, list[Problem]]:
    """One content file validated into an Item; `raw`: the file's bytes at another
    revision (its images are still the current ones)."""
    rel = path.relative_to(root).as_posix()
    problems: list[Problem] = []
    if path.is_symlink() and not path.resolve().is_relative_to(root.resolve()):
        return None, [Problem(rel, 1, "error", "file is a symlink to outside the repository", "commit the file itself")]
    slug = path.stem
    if not SLUG.match(slug) or slug in RESERVED_SLUGS:
        suggestion = "-".join("".join(c if c.isalnum() and c.isascii() else " " for c in slug.lower()).split())[:80]
        if not suggestion or suggestion in RESERVED_SLUGS:
            suggestion = f"my-{suggestion or 'story'}"
        base, dot, lang = slug.rpartition(".")
        hint = (f"a translation? list '{lang}' under `languages:` in mkdocs.yml, after the default language"
                if dot and SLUG.match(base) and lang.isalpha() and len(lang) <= 3 else
                f"rename it to '{suggestion}.md': lowercase letters, digits and '-', at most 100, not 'index'")
        problems.append(Problem(rel, 1, "error", f"file name '{path.name}' is not a valid slug (it becomes the page URL)", hint))
    try:
        doc = read_document(path, raw)
    except SourceError as exc:
        return None, problems + [exc.problem(rel)]
    meta, found = validate(SCHEMAS[kind], doc, rel, {**context, "base": path.parent})
    body = render(doc.body, rel, doc.body_line, root, context["media_url"])
    problems += found + body.problems + (_editor_numbers(rel, doc) if context.get("editor") else [])
    if meta is None or any(p.severity == "error" for p in problems):
        return None, problems
    item = Item(kind=kind, slug=slug, path=rel, meta=meta, body=doc.body, body_line=doc.body_line,
                rendered=body, lines=doc.lines)
    if kind == "case":
        item, found = check_approval(root, item, context["fingerprints"])
        problems += found
    problems += [Problem(rel, item.line_of(loc), "warning", f"{dotted(loc)}: remote file '{ref}' is not published",
                         "commit the file and link it with a relative path; Casebook fetches nothing from the network")
                 for loc, ref in file_refs(item) if is_remote(ref)]
    return item, problems


def _editor_numbers(rel: str, doc: Document) -> list[Problem]:
    """Unquoted values the web editor (YAML 1.2) would show, and save once edited, as a
    different number: Casebook keeps `010` as written, the editor reads 10."""
    found = []
    for loc, read_as in sorted(doc.numbers.items(), key=lambda entry: doc.line_of(entry[0])):
        written = functools.reduce(lambda value, key: value[key], loc, doc.data)
        found.append(Problem(rel, doc.line_of(loc), "warning", f"{dotted(loc)}: unquoted {written} is {read_as} to the web editor",
                             f'write it in quotes, "{written}", so every tool keeps it as written'))
    return found


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

