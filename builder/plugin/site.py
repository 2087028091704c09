"""`casebook build` through MkDocs: the pipeline has already staged and reported,
so the plugin is handed that result instead of running the pipeline again."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from ..content.settings import PLUGIN
from ..pipeline import Result
from ..publish import BuildFailed


def build_site(config_file: Path, result: Result, as_of: date, site_dir: Path) -> None:
    _quiet_info()
    try:
        config = load_config(config_file=str(config_file), site_dir=str(site_dir))
        plugin = config.plugins.get(PLUGIN)
        if plugin is None:
            raise BuildFailed(f"{config_file.name} does not enable the casebook plugin: add '- {PLUGIN}' under 'plugins:'")
        plugin.staged, plugin.as_of = result, as_of
        build(config)
    except MkDocsException as exc:
        raise BuildFailed(f"MkDocs: {exc}") from None
    except OSError as exc:
        raise BuildFailed(f"could not write the site: {exc}") from None


def _quiet_info() -> None:
    """Show MkDocs' warnings and errors, not its per-step chatter."""
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
