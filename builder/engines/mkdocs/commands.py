"""`casebook build` and `serve` through MkDocs' own commands. The pipeline has already
staged and reported when `build` runs, so the plugin is handed that result instead of
running the pipeline again. ProperDocs runs this module unchanged (see ../properdocs.py)."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import mkdocs
from mkdocs.commands.build import build
from mkdocs.commands.serve import serve
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from ...content.settings import PLUGIN
from ...pipeline.publish import BuildFailed
from ...pipeline.stage import Result
from .. import Engine

# The engine behind the `mkdocs` imports: ProperDocs names itself here when it stands in.
NAME = {"properdocs": "ProperDocs"}.get(mkdocs.__name__, "MkDocs")
LOGGERS = ("mkdocs", "properdocs")  # MkDocs' and plugins' loggers, and ProperDocs' own


def build_site(config_file: Path, result: Result, as_of: date, site_dir: Path) -> None:
    _logging(logging.WARNING, "%(levelname)s: %(message)s")
    try:
        config = load_config(config_file=str(config_file), site_dir=str(site_dir))
        plugin = config.plugins.get(PLUGIN)
        if plugin is None:
            raise BuildFailed(f"{config_file.name} does not enable the casebook plugin: add '- {PLUGIN}' under 'plugins:'")
        plugin.staged, plugin.as_of = result, as_of
        build(config)
    except MkDocsException as exc:
        raise BuildFailed(f"{NAME}: {exc}") from None
    except OSError as exc:
        raise BuildFailed(f"could not write the site: {exc}") from None


def serve_site(config_file: Path, dev_addr: str) -> None:
    """Dirty rebuilds: the engine builds only the pages the pipeline rewrote (the staging
    tree keeps unchanged files untouched), and the plugin completes the search index."""
    _logging(logging.INFO, "%(levelname)-7s -  %(message)s")
    try:
        serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True, build_type="dirty")
    except MkDocsException as exc:
        raise BuildFailed(f"{NAME}: {exc}") from None


def _logging(level: int, layout: str) -> None:
    """Show the engine's warnings (and, serving, its progress) as its own command does.
    `casebook serve` chooses dirty rebuilds on purpose (the pipeline knows which pages
    changed), so the engine's warning about them would only alarm the marketer."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not logger.handlers:
            handler = logging.StreamHandler()
            handler.setFormatter(logging.Formatter(layout))
            handler.addFilter(lambda record: "'dirty' build is being performed" not in record.getMessage())
            logger.addHandler(handler)
        logger.setLevel(level)


ENGINE = Engine("mkdocs", build_site, serve_site)
