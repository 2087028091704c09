"""MkDocs hooks, in event order. The pipeline does the work; this file only
connects it to MkDocs: stage the docs tree, point MkDocs at it, keep generated
pages out of the navigation, and watch content and templates while serving."""

from __future__ import annotations

import functools
import logging
import os
import tempfile
import threading
import time
from contextlib import ExitStack
from datetime import date
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files, InclusionLevel
from watchdog.events import (FileAttribEvent, FileClosedEvent, FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent,
                             FileSystemEventHandler)
from watchdog.observers import Observer

from ...channels.urls import brand_logo_path
from ...collateral import produce
from ...content.load import Loader
from ...content.model import ASSETS_DIR, KIND_DIRS
from ...content.settings import load_settings
from ...core.dates import resolve_as_of, source_date_epoch
from ...core.lock import Busy, build_lock
from ...core.pdftext import texts_cache
from ...core.problems import Problem, errors
from ...guard.audit import audit, public_sources
from ...pipeline.publish import BuildFailed, write_late
from ...pipeline.stage import LanguageSite, Result, stage
from ...site.errors import error_page
from ...site.pages import COMPILED, NAV_PAGES, PageCache, preload_fonts
from .languages import build_language, language_extras, segment_chinese
from .search import compact_index

log = logging.getLogger("mkdocs.plugins.casebook")
MATERIAL_FAVICON = "assets/images/favicon.png"  # the theme's own, replaced by the brand logo
CSS = (f"{ASSETS_DIR}/brand.css", f"{ASSETS_DIR}/casebook.css")
JS = (f"{ASSETS_DIR}/casebook.js",)


class CasebookPlugin(BasePlugin):
    def __init__(self) -> None:
        self.loader = Loader()  # kept across `serve` rebuilds: unchanged files are not re-read
        self.pages = PageCache()  # ... and pages showing nothing that changed are not re-rendered
        self.staged: Result | None = None  # set by `casebook build`, which stages and reports itself
        self.as_of: date | None = None
        self.generated: set[str] = set()
        self.cases = 0  # public cases of this build: a large site gets a compact search index
        self.html: dict[str, str] = {}  # generated pages' bodies, already HTML, set aside from Markdown
        self.watch: list[Path] = []
        self.serving = False
        self.dirty = False
        self.rebuilds = 0  # builds so far in this `serve`: the first builds everything
        self.pending: tuple | None = None  # (settings, result) whose collateral `serve` has still to render
        self.started = 0.0
        self.background: threading.Thread | None = None
        self.audit_inputs: tuple | None = None
        self.late: tuple | None = None  # `mkdocs build`: (settings, result) whose late renders join the site here
        self.failed: tuple[Path, list[Problem]] | None = None  # `serve`: the preview shows these instead of pages
        self.shown: set[str] = set()  # `serve`: warnings already printed, printed once
        self.lock = ExitStack()  # held from staging to the end of the engine's build
        self.others: list[LanguageSite] = []  # the other languages' sites, built after this one (languages.py)
        self.language_site: LanguageSite | None = None  # set when this build is one of those
        self.plugins_of: dict[str, dict] = {}  # each language's plugin instances, kept for a whole `serve`

    def load_config(self, options, config_file_path=None):
        # Options are validated by the pipeline in on_config, with mkdocs.yml line numbers.
        self.config = options
        return [], []

    def on_startup(self, *, command, dirty) -> None:
        """Defining this keeps one plugin instance (and its caches) for a whole `serve`."""
        self.serving = command == "serve"
        self.dirty = dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.language_site is not None:  # staged, reported and audited by the default language's build
            site = self.language_site
            self.generated, self.cases, self.audit_inputs = site.generated, len(site.catalog.cases), None
            config.docs_dir = str(site.settings.staging_dir)
            return self._theme(config, site.settings)
        settings, problems = load_settings(Path(config.config_file_path))
        result = self.staged
        reported = result is not None  # `casebook build` staged and reported already
        self.staged = None
        try:
            as_of = resolve_as_of(self.as_of)
        except ValueError as exc:
            raise PluginError(f"casebook: {exc}") from None
        # Dates MkDocs writes (sitemap) follow the build day, as with `casebook build`.
        os.environ.setdefault("SOURCE_DATE_EPOCH", source_date_epoch(as_of))
        if settings is not None and result is None:
            try:
                self.lock.enter_context(build_lock(settings.cache_dir))
            except Busy as exc:
                raise PluginError(f"casebook: {exc}") from None
            # Serving never waits for PDFs: pages link what the cache has, the rest renders
            # in the background and its arrival in the (watched) cache triggers a rebuild.
            result = stage(settings, as_of, self.loader, pdf="cached" if self.serving else "late",
                           pages=self.pages if self.serving else None)
            # rendered after this build (on_post_build), so the edited page is served first
            self.pending = (settings, result) if self.serving and result.collateral and result.collateral.pending else None
        if result is not None:
            problems += result.problems
        for problem in problems if not reported else []:
            if problem.severity == "error":
                log.error(problem.text())
            elif problem.text() not in self.shown:
                log.warning(problem.text())
                if self.serving:
                    self.shown.add(problem.text())
        if settings is not None and self.serving and not self.watch:
            self.watch = watched(settings, Path(config.docs_dir))
        if (settings is None or result is None or errors(problems)) and self.serving:
            # The preview answers every page with the problems (see on_serve) and MkDocs
            # rebuilds nothing: the staging tree is left as the last good build wrote it.
            self.failed = (settings.templates_dir if settings else Path(config.config_file_path).parent / "site_templates",
                           problems)
            log.error(f"casebook: {len(errors(problems))} error(s): the preview lists them until they are fixed")
            config.docs_dir = str(settings.staging_dir) if settings is not None else tempfile.mkdtemp(prefix="casebook-")
            Path(config.docs_dir).mkdir(parents=True, exist_ok=True)
            self.audit_inputs = None
            return config
        self.failed = None
        if settings is None or result is None or errors(problems):
            raise PluginError(f"casebook: {len(errors(problems))} error(s) in content or settings; nothing was built")
        self.generated = result.generated
        self.cases = len(result.catalog.cases)
        self.others = result.others
        # `casebook build` adds the late renders and audits the finished site itself, before swapping it in
        self.late = None if reported else (settings, result)
        self.audit_inputs = None if reported else (result.library, as_of, texts_cache(settings.cache_dir), public_sources(settings))
        config.docs_dir = str(settings.staging_dir)
        return self._theme(config, settings)

    def _theme(self, config: MkDocsConfig, settings) -> MkDocsConfig:
        """Casebook's style sheets, script, theme overrides, logo and languages."""
        for option, assets in (("extra_css", CSS), ("extra_javascript", JS)):
            for asset in assets:
                if not any(str(entry) == asset for entry in config[option]):
                    config[option].append(asset)
        overrides = str((settings.templates_dir / "overrides").resolve())
        if Path(overrides).is_dir() and overrides not in [str(Path(d).resolve()) for d in config.theme.dirs]:
            # Below the project's own theme folder, if it has one, above Material's.
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, overrides)
        if settings.brand.logo and not config.theme.get("logo"):
            config.theme["logo"] = brand_logo_path(settings)
        if settings.brand.logo and config.theme.get("favicon") in (None, MATERIAL_FAVICON):
            config.theme["favicon"] = brand_logo_path(settings)
        config.extra.setdefault("generator", settings.brand.credit)
        config.extra["casebook_preload"] = preload_fonts(settings)  # overrides/casebook.html links them
        segment_chinese(settings.locale, settings.cache_dir)
        if len(settings.locales) > 1:
            config.site_name = settings.site_name
            config.extra.update(language_extras(settings))
        return config

    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        env.bytecode_cache = COMPILED  # the theme's templates are compiled once per `serve`
        return env

    def _render_in_background(self, settings, result: Result) -> None:
        if self.background is not None and self.background.is_alive():
            return
        log.info(f"casebook: rendering {len(result.collateral.pending)} collateral files in the background")
        self.background = threading.Thread(target=_render, args=(settings, result.catalog), daemon=True)
        self.background.start()

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        for file in files.documentation_pages():
            if file.src_uri in self.generated and file.src_uri not in NAV_PAGES:
                file.inclusion = InclusionLevel.NOT_IN_NAV
        return files

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self.started = time.time() - 1  # file times may be a second coarse

    def on_page_markdown(self, markdown: str, *, page, config: MkDocsConfig, files: Files) -> str:
        """A generated page's body is sanitised HTML already: hand Markdown nothing to parse
        (Python-Markdown's raw-HTML handling costs more than all of the pipeline)."""
        if page.file.src_uri not in self.generated:
            return markdown
        self.html[page.file.src_uri] = markdown
        return ""

    def on_page_content(self, html: str, *, page, config: MkDocsConfig, files: Files) -> str:
        return self.html.pop(page.file.src_uri, html)

    def on_page_context(self, context, *, page, config: MkDocsConfig, nav):
        """An item shown untranslated in another language's site names its original as canonical."""
        if page.meta.get("canonical"):
            page.canonical_url = page.meta["canonical"]
        return context

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """The leak guard for `mkdocs build` (`casebook build` audits before it swaps the site in).
        A dirty `serve` rebuild audits the files it wrote (Material's search plugin keeps the
        other pages' search entries itself)."""
        partial = self.serving and self.dirty and self.rebuilds > 0
        self.rebuilds += 1
        if not self.serving:  # the preview's index stays on this computer: no rebuild waits for it
            compact_index(Path(config.site_dir), self.cases)
        for site in self.others:  # below this site, before the leak guard reads the whole of it
            build_language(config, site, self, dirty=partial)
        if self.late is not None:
            late, self.late = self.late, None
            try:
                write_late(*late, Path(config.site_dir))
            except BuildFailed as exc:
                raise PluginError(f"casebook: {exc}") from None
        if self.audit_inputs is not None:
            check = functools.partial(_audit, Path(config.site_dir), self.audit_inputs, self.started if partial else None, self.serving)
            if self.serving:  # the preview shows the edit first; the guard's findings follow in the log
                threading.Thread(target=check, daemon=True).start()
            else:
                check()
        self.lock.close()
        if self.pending is not None:  # last: its planning must not slow this build
            self._render_in_background(*self.pending)
            self.pending = None

    def on_build_error(self, *, error: Exception) -> None:
        self.lock.close()

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder) -> LiveReloadServer:
        # The staging tree changes only when the pipeline runs; watch its inputs instead,
        # so one edit means one rebuild.
        server.unwatch(config.docs_dir)
        _watch_natively(server)
        for path in self.watch:
            if path.exists():
                server.watch(str(path))
        pages = server._serve_request

        def serve_request(environ, start_response):
            """While content has errors every page answers at once with them (MkDocs would
            hold each request until a build succeeds), with live reload, so the site comes
            back by itself when the files are fixed."""
            path = environ.get("PATH_INFO", "")
            if self.failed is None or path.startswith("/livereload/") or not (path.endswith(("/", ".html"))):
                return pages(environ, start_response)
            with server._epoch_cond:
                epoch = server._visible_epoch
            body = server._inject_js_into_html(error_page(*self.failed).encode("utf-8"), epoch)
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body))),
                                      ("Cache-Control", "no-store")])
            return [body]

        server._serve_request = serve_request
        return server



class _ChangesObserver(Observer):
    """Reports changes only: file events also tell of files opened and read, which every
    rebuild does to the files it watches, and each would start another rebuild. A touched
    file (the background renders' stamp) is an attribute change."""

    CHANGES = [FileCreatedEvent, FileModifiedEvent, FileDeletedEvent, FileMovedEvent, FileClosedEvent, FileAttribEvent]

    def schedule(self, event_handler, path, *, recursive=False, event_filter=None, follow_symlink=False):
        return super().schedule(event_handler, path, recursive=recursive, event_filter=event_filter or self.CHANGES,
                                follow_symlink=follow_symlink)


def _watch_natively(server: LiveReloadServer) -> None:
    """MkDocs polls what it watches every half second: an edit waits a quarter of a second on
    average before the rebuild starts, and each poll walks every content file. The system's
    file events (inotify, FSEvents, kqueue) report the edit at once; where they cannot watch
    these folders (a watch limit, a network drive), MkDocs' polling stays."""
    native = _ChangesObserver()
    paths = dict(server._watched_paths)
    try:
        for path in paths:
            native.schedule(FileSystemEventHandler(), path, recursive=True)
    except OSError:
        return
    native.unschedule_all()
    for path, count in paths.items():
        for _ in range(count):
            server.unwatch(path)
    server.observer = native
    for path, count in paths.items():
        for _ in range(count):
            server.watch(path)


def _audit(site_dir: Path, inputs: tuple, since: float | None, serving: bool) -> None:
    """The leak guard over what this build wrote; `mkdocs build` fails on a leak, the preview logs it."""
    leaks = audit(site_dir, *inputs[:3], since=since, collateral=not serving, public=inputs[3])
    for leak in leaks:
        log.error(leak.text())
    if leaks and not serving:
        raise PluginError(f"casebook: the leak guard found {len(leaks)} leak(s) in {site_dir}")


def watched(settings, docs_dir: Path) -> list[Path]:
    """What `serve` watches: content, templates, the user's docs/ and the stamp of background renders."""
    stamp = rendered_stamp(settings)
    if not stamp.exists():  # watched from the start; touching it would mean a rebuild
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.touch()
    return [settings.root / folder for folder in KIND_DIRS.values()] + [settings.templates_dir, docs_dir, stamp]


def rendered_stamp(settings) -> Path:
    """Touched when a background render ends: one change to watch (not every file of the
    cache), so the pages link the new files after one rebuild."""
    return settings.cache_dir / "collateral.rendered"


def _render(settings, catalog) -> None:
    """The background render of `serve`: its problems go to the log, never a thread traceback."""
    try:
        made = produce(settings, catalog, background=True)
    except Exception as exc:  # noqa: BLE001 - a preview must keep running
        log.error(f"casebook: rendering collateral failed: {exc}")
        return
    for problem in made.problems:
        (log.error if problem.severity == "error" else log.warning)(problem.text())
    rendered_stamp(settings).touch()

