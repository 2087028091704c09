"""Build the site next to the old one, then swap: a failed build leaves site/ as it was."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path
from typing import Callable

from ..content.settings import Settings
from ..core.pdftext import texts_cache
from ..guard.audit import audit
from .stage import Result


class BuildFailed(Exception):
    """The site engine could not build; the message says why."""


# An engine's build: (mkdocs.yml, the staged result, build day, the folder to build into).
BuildSite = Callable[[Path, Result, date, Path], None]


def publish(settings: Settings, result: Result, as_of: date, site_dir: Path, build_site: BuildSite) -> None:
    """Build with the chosen engine into a fresh folder, prove it leaks nothing, then swap it in."""
    fresh = site_dir.parent / f".{site_dir.name}.tmp-{os.getpid()}"
    old = site_dir.parent / f".{site_dir.name}.old-{os.getpid()}"
    shutil.rmtree(fresh, ignore_errors=True)
    try:
        build_site(settings.config_file, result, as_of, fresh)
        leaks = audit(fresh, result.library, as_of, texts_cache(settings.cache_dir))
        if leaks:
            raise BuildFailed("the leak guard found non-public content in the built site:\n"
                              + "\n".join(f"  {leak.text()}" for leak in leaks))
        _swap(fresh, site_dir, old)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)


def _swap(fresh: Path, site_dir: Path, old: Path) -> None:
    """Two renames; if the second fails the old site is put back."""
    try:
        if site_dir.exists():
            site_dir.rename(old)
        try:
            fresh.rename(site_dir)
        except OSError:
            if old.exists():
                old.rename(site_dir)
            raise
    except OSError as exc:
        raise BuildFailed(f"could not replace {site_dir}: {exc}") from None
