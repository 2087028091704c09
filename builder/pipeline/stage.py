"""One build, stage by stage: load and catalog (check), then collateral and the staging
docs tree (stage). Knows no site engine: what it writes is plain Markdown any engine builds."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from jinja2 import TemplateError

from ..catalog.catalog import Catalog, build_catalog
from ..catalog.languages import in_language, language_catalog
from ..catalog.lifecycle import notices
from ..collateral import Collateral, produce
from ..content.load import Library, Loader
from ..content.languages import site_settings
from ..content.settings import Settings
from ..core.problems import Problem, errors
from ..editor.admin import editor_files
from ..reports.coverage import html_page, matrices
from ..site.alternates import NONE as NO_ALTERNATES, Alternates
from ..site.pages import PageCache, page_plan
from ..site.staging import NotOurs, WriteStats, write_tree
from .tree import site_files

# Lifecycle notices every build shows (drafts awaiting approval are listed by the report only).
BUILD_WARNINGS = {"expiring", "expired", "embargo", "stale"}


@dataclass
class LanguageSite:
    """A language's site besides the default's: its own staging tree, built under /<code>/."""

    settings: Settings
    catalog: Catalog
    collateral: Collateral
    generated: set[str]
    stats: WriteStats


@dataclass
class Result:
    library: Library
    catalog: Catalog | None = None
    problems: list[Problem] = field(default_factory=list)
    stats: WriteStats | None = None
    collateral: Collateral | None = None
    generated: set[str] = field(default_factory=set)  # generated page paths in the staging tree
    others: list[LanguageSite] = field(default_factory=list)  # the other languages' sites, under /<code>/

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
    """Check, make the collateral, then write the staging docs tree of each language; nothing
    is written when there are errors. pdf: "render" (all), "late" (all, but the social cards
    still render while the engine builds the pages: publish.write_late adds them), "cached"
    (only what the cache has: serve), or "skip" (--no-pdf). `serve` keeps a loader and a
    page cache across rebuilds."""
    result = check(settings, as_of, loader)
    if not result.ok or result.catalog is None:
        return result
    sites = [(site, language_catalog(result.library, site, as_of, result.catalog))
             for site in (site_settings(settings, language) for language in settings.locales)]
    alternates = _alternates(settings, sites)
    made_all = []
    for site, catalog in sites:
        made = Collateral() if pdf == "skip" else produce(site, catalog, render=pdf in ("render", "late"), progress=progress,
                                                          late=pdf == "late")
        made_all.append(made)
        result.problems = _merged(result.problems, catalog.problems if not site.locale.default else [], made.problems)
        if not result.ok:  # a broken template breaks every language alike: reported once
            return result
    staged = []
    for (site, catalog), made in zip(sites, made_all):
        cache = None if pages is None else pages if site.locale.default else pages.others.setdefault(site.locale.code, PageCache())
        try:
            files, problems = site_files(site, catalog, made, cache, alternates)
            if settings.cms is not None and settings.cms.publish and site.locale.default:
                editor, found = editor_files(settings, result.library)
                files.update(editor)
                problems += found
        except TemplateError as exc:
            files, problems = {}, [template_problem(settings, exc)]
        result.problems = _merged(result.problems, problems, site.locale.problems())
        staged.append((site, catalog, made, files, cache))
    if not result.ok:
        return result
    reports = {"coverage.html": html_page(matrices(result.catalog), as_of.isoformat())}
    for site, catalog, made, files, cache in staged:
        written = _write(settings, site.staging_dir, "staging_dir", files, cache.staged if cache is not None else None)
        if isinstance(written, Problem):
            result.problems.append(written)
            return result
        generated = {path for path, source in files.items() if path.endswith(".md") and isinstance(source, str)}
        if site.locale.default:
            result.catalog, result.collateral, result.generated, result.stats = catalog, made, generated, written
        else:
            result.others.append(LanguageSite(site, catalog, made, generated, written))
    written = _write(settings, settings.reports_dir, "reports_dir", reports)
    if isinstance(written, Problem):
        result.problems.append(written)
    return result


def _write(settings: Settings, folder: Path, option: str, files: dict, staged: dict | None = None) -> WriteStats | Problem:
    try:
        return write_tree(folder, files, staged)
    except NotOurs as exc:
        return Problem(settings.config_file.name, settings.line(option), "error", f"{option}: {exc}",
                       "point it at a new folder inside .casebook/")


def _merged(problems: list[Problem], *more: list[Problem]) -> list[Problem]:
    """Each problem once: the languages' catalogs find the same warnings about shared files."""
    return sorted(set(problems).union(*more))


def _alternates(settings: Settings, sites: list[tuple[Settings, Catalog]]) -> Alternates:
    """Which languages have each generated page in their own language (an untranslated
    item a language's listings show keeps its one version)."""
    if len(sites) < 2:
        return NO_ALTERNATES
    pages: dict[str, set[str]] = {}
    for site, catalog in sites:
        for src, (_, values) in page_plan(site, catalog, Collateral()).items():
            item = values.get("item")
            if src.endswith(".md") and (item is None or in_language(item, site.locale)):
                pages.setdefault(src, set()).add(site.locale.code)
    return Alternates(settings.site_url, settings.use_directory_urls, settings.locales,
                      {src: frozenset(codes) for src, codes in pages.items()})


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
