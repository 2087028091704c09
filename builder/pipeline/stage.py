"""One build, stage by stage: load and catalog (check), then collateral and the staging
docs tree (stage). Knows no site engine: what it writes is plain Markdown any engine builds."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from jinja2 import TemplateError

from ..catalog.catalog import Catalog, build_catalog
from ..catalog.lifecycle import notices
from ..collateral import Collateral, produce
from ..content.load import Library, Loader
from ..content.settings import Settings
from ..core.problems import Problem, errors
from ..editor.admin import editor_files
from ..reports.coverage import html_page, matrices
from ..site.pages import PageCache
from ..site.staging import NotOurs, WriteStats, write_tree
from .tree import site_files

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
    # Lifecycle warnings come from every file that loaded, also when another has errors:
    # the summary counts all that one run found.
    lifecycle = [notice.problem(as_of) for notice in
                 notices(library, as_of, settings.freshness.within_days, settings.freshness.max_age_days)
                 if notice.category in BUILD_WARNINGS]
    result = Result(library=library, problems=sorted(library.problems + lifecycle))
    if not errors(library.problems):
        result.catalog = build_catalog(library, settings.taxonomy, as_of)
        result.problems = sorted(result.problems + result.catalog.problems)
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
        if settings.cms is not None and settings.cms.publish:
            editor, found = editor_files(settings, result.library)
            files.update(editor)
            problems += found
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
