"""files -> load -> catalog -> staged pages: the engine-independent pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Callable
from pathlib import Path

from jinja2 import TemplateError

from .content.body import asset_name
from .collateral import Collateral, produce
from .catalog.catalog import Catalog, build_catalog
from .content.settings import Settings
from .reports.coverage import html_page, matrices
from .site.feeds import feed_files, feeds, robots
from .catalog.lifecycle import notices
from .content.load import Library, Loader, local_files
from .content.model import ASSETS_DIR, MEDIA_DIR
from .site.pages import PageCache, body_on_page, render_pages
from .core.problems import Problem, errors
from .site.staging import NotOurs, Source, WriteStats, write_tree
from .channels.urls import brand_logo_path


# Lifecycle notices every build shows (drafts awaiting approval are listed by the report only).
BUILD_WARNINGS = {"expiring", "expired", "embargo", "stale"}


@dataclass
class Result:
    library: Library
    catalog: Catalog | None = None
    problems: list[Problem] = field(default_factory=list)
    stats: WriteStats | None = None
    collateral: Collateral | None = None
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
        lifecycle = [notice.problem(as_of) for notice in
                     notices(library, as_of, settings.freshness.within_days, settings.freshness.max_age_days)
                     if notice.category in BUILD_WARNINGS]
        result.problems = sorted(result.problems + result.catalog.problems + lifecycle)
    return result


def stage(settings: Settings, as_of: date, loader: Loader | None = None, pdf: str = "render",
          progress: Callable[[int, int], None] | None = None, pages: PageCache | None = None) -> Result:
    """Check, make the collateral, then write the staging docs tree; nothing is written
    when there are errors. pdf: "render" (all), "cached" (only what the cache has: serve),
    or "skip" (--no-pdf). `serve` keeps a loader and a page cache across rebuilds."""
    result = check(settings, as_of, loader)
    if not result.ok or result.catalog is None:
        return result
    made = Collateral() if pdf == "skip" else produce(settings, result.catalog, render=pdf == "render", progress=progress)
    result.collateral = made
    result.problems = sorted(result.problems + made.problems)
    if not result.ok:
        return result
    try:
        files, problems = site_files(settings, result.catalog, made, pages)
    except TemplateError as exc:
        files, problems = {}, [template_problem(settings, exc)]
    result.problems = sorted(result.problems + problems)
    if result.ok:
        result.generated = {path for path, source in files.items() if path.endswith(".md") and isinstance(source, str)}
        outputs = ((settings.staging_dir, "staging_dir", files),
                   (settings.reports_dir, "reports_dir",
                    {"coverage.html": html_page(matrices(result.catalog), as_of.isoformat())}))
        for folder, option, content in outputs:
            try:
                stats = write_tree(folder, content, pages.staged if pages is not None and option == "staging_dir" else None)
            except NotOurs as exc:
                result.problems.append(Problem(settings.config_file.name, settings.line(option), "error",
                                               f"{option}: {exc}", "point it at a new folder inside .casebook/"))
                return result
            if option == "staging_dir":
                result.stats = stats
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


def site_files(settings: Settings, catalog: Catalog, made: Collateral,
               pages: PageCache | None = None) -> tuple[dict[str, Source], list[Problem]]:
    """The whole staging tree: generated pages, their media and collateral, theme assets and the user's docs."""
    media = public_media(settings, catalog)
    files: dict[str, Source] = {f"{MEDIA_DIR}/{name}": source for name, source in media.values()}
    files.update(made.files)
    site_feeds = feeds(settings, catalog)
    files.update(feed_files(settings, catalog, site_feeds, made.files))
    files.update(render_pages(settings, catalog, {key: name for key, (name, _) in media.items()}, made, site_feeds, pages))
    for folder, target in (("assets", ASSETS_DIR), ("fonts", f"{ASSETS_DIR}/fonts")):
        source = settings.templates_dir / folder
        files.update({f"{target}/{p.relative_to(source).as_posix()}": p for p in _tree(source)})
    logo = brand_logo_path(settings)
    if logo:
        files[logo] = settings.root / settings.brand.logo
    docs, problems = docs_files(settings, set(files))
    files.update(docs)
    crawlers = robots(settings)
    if crawlers and "robots.txt" not in files:  # a robots.txt in docs/ wins
        files["robots.txt"] = crawlers
    return files, problems


def docs_files(settings: Settings, generated: set[str]) -> tuple[dict[str, Path], list[Problem]]:
    """Hand-written pages from docs/, which may neither leave the repo nor replace a generated page."""
    files: dict[str, Path] = {}
    problems: list[Problem] = []
    root = settings.root.resolve()
    for path in _tree(settings.docs_dir):
        rel = path.relative_to(settings.docs_dir).as_posix()
        shown = path.relative_to(settings.root).as_posix() if path.is_relative_to(settings.root) else str(path)
        if not path.resolve().is_relative_to(root):
            problems.append(Problem(shown, 1, "error", "file is a symlink to outside the repository", "commit the file itself"))
        elif rel in generated:
            problems.append(Problem(shown, 1, "error", f"'{rel}' would replace a page Casebook generates",
                                    "rename it, or change the page through site_templates/"))
        else:
            files[rel] = path
    return files, problems


def public_media(settings: Settings, catalog: Catalog) -> dict[str, tuple[str, Path]]:
    """Images that public pages show: {'<item path>::<ref>': (staged name, source file)}."""
    media: dict[str, tuple[str, Path]] = {}
    for item in [*catalog.cases, *catalog.whitepapers]:
        for ref, source in local_files(settings, item):
            media[f"{item.path}::{ref}"] = (asset_name(source), source)
    for item in [*catalog.cases, *catalog.whitepapers, *catalog.kits]:
        if body_on_page(item):
            media.update({f"{item.path}::body::{name}": (name, source) for name, source in item.rendered.assets.items()})
    return media


def _tree(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
