"""files -> load -> catalog -> staged pages: the engine-independent pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from jinja2 import TemplateError

from .body import asset_name
from .catalog import Catalog, build_catalog
from .config import Settings
from .load import Library, Loader
from .model import ASSETS_DIR, MEDIA_DIR, Item, is_remote, resolve_ref
from .pages import render_pages
from .problems import Problem, errors
from .staging import Source, WriteStats, write_tree


@dataclass
class Result:
    library: Library
    catalog: Catalog | None = None
    problems: list[Problem] = field(default_factory=list)
    stats: WriteStats | None = None
    generated: set[str] = field(default_factory=set)  # generated page paths in the staging tree

    @property
    def ok(self) -> bool:
        return not errors(self.problems)


def check(settings: Settings, as_of: date, loader: Loader | None = None) -> Result:
    """Load and catalog: every problem `casebook validate` reports."""
    library = (loader or Loader()).load(settings)
    result = Result(library=library, problems=list(library.problems))
    if result.ok:
        result.catalog = build_catalog(library, settings.taxonomy, as_of)
        result.problems = sorted(result.problems + result.catalog.problems)
    return result


def stage(settings: Settings, as_of: date, loader: Loader | None = None) -> Result:
    """Check, then write the staging docs tree; nothing is written when there are errors."""
    result = check(settings, as_of, loader)
    if result.ok and result.catalog is not None:
        try:
            files = site_files(settings, result.catalog)
        except TemplateError as exc:
            result.problems.append(template_problem(settings, exc))
            return result
        result.generated = {path for path, source in files.items() if path.endswith(".md") and isinstance(source, str)}
        result.stats = write_tree(settings.staging_dir, files)
    return result


def template_problem(settings: Settings, exc: TemplateError) -> Problem:
    """A broken site template is a located error like broken content."""
    name = getattr(exc, "filename", None) or getattr(exc, "name", None) or "site_templates"
    path = Path(name)
    shown = path.relative_to(settings.root).as_posix() if path.is_absolute() and path.is_relative_to(settings.root) else str(name)
    line = getattr(exc, "lineno", None) or _template_line(exc.__traceback__)
    return Problem(shown, line or 1, "error", f"template: {exc.message or exc}", "check the Jinja2 syntax and the variable names")


def _template_line(tb) -> int | None:
    """Jinja rewrites tracebacks so template frames carry the template's line."""
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith((".j2", ".html")):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def site_files(settings: Settings, catalog: Catalog) -> dict[str, Source]:
    """The whole staging tree: the user's docs, theme assets, media and generated pages."""
    files: dict[str, Source] = {}
    media = public_media(settings, catalog)
    files.update({f"{MEDIA_DIR}/{name}": source for name, source in media.values()})
    files.update(render_pages(settings, catalog, {key: name for key, (name, _) in media.items()}))
    assets = settings.templates_dir / "assets"
    files.update({f"{ASSETS_DIR}/{p.relative_to(assets).as_posix()}": p for p in _tree(assets)})
    files.update({p.relative_to(settings.docs_dir).as_posix(): p for p in _tree(settings.docs_dir)})
    return files


def public_media(settings: Settings, catalog: Catalog) -> dict[str, tuple[str, Path]]:
    """Images of public items only: {'<item path>::<ref>': (staged name, source file)}."""
    media: dict[str, tuple[str, Path]] = {}
    for item in [*catalog.cases, *catalog.whitepapers, *catalog.kits]:
        for ref in _image_refs(item):
            source = resolve_ref(settings.root, (settings.root / item.path).parent, ref)
            media[f"{item.path}::{ref}"] = (asset_name(source), source)
        for name, source in item.rendered.assets.items():
            media[f"{item.path}::body::{name}"] = (name, source)
    return media


def _image_refs(item: Item) -> list[str]:
    meta = item.meta
    refs = [meta.customer.logo] if item.kind == "case" else [meta.cover] if item.kind == "whitepaper" else []
    return [ref for ref in refs if ref and not is_remote(ref)]


def _tree(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
