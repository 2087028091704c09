"""Build the site next to the old one, then swap: a failed build leaves site/ as it was."""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
from datetime import date
from pathlib import Path
from typing import Callable

from ..collateral import late_files
from ..content.model import ASSETS_DIR
from ..content.settings import Settings
from ..core.pdftext import texts_cache
from ..guard.audit import audit, public_sources
from .stage import Result


class BuildFailed(Exception):
    """The site engine could not build; the message says why."""


# An engine's build: (mkdocs.yml, the staged result, build day, the folder to build into).
BuildSite = Callable[[Path, Result, date, Path], None]


def publish(settings: Settings, result: Result, as_of: date, site_dir: Path, build_site: BuildSite) -> None:
    """Build with the chosen engine into a fresh folder, prove it leaks nothing, then swap it
    in at once: whenever this process is stopped, site_dir holds the old site or the new.
    The caller runs recover() first, before anything can fail."""
    fresh = _sibling(site_dir, "tmp", os.getpid())
    shutil.rmtree(fresh, ignore_errors=True)
    try:
        build_site(settings.config_file, result, as_of, fresh)
        write_late(settings, result, fresh)
        leaks = audit(fresh, result.library, as_of, texts_cache(settings.cache_dir), public=public_sources(settings))
        if leaks:
            raise BuildFailed("the leak guard found non-public content in the built site:\n"
                              + "\n".join(f"  {leak.text()}" for leak in leaks))
        _swap(fresh, site_dir)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)


def write_late(settings: Settings, result: Result, site_dir: Path) -> None:
    """Add to a built site the outputs rendered while it was built (social cards, see
    collateral.Late): the engine never reads them, so no page waited for them."""
    sites = [(settings, result.collateral, site_dir)]
    sites += [(site.settings, site.collateral, site_dir / site.settings.locale.code) for site in result.others]
    for site, made, folder in sites:
        if made is None:
            continue
        files, problems = late_files(site, made)
        if problems:
            raise BuildFailed("collateral rendered while the site was built failed:\n"
                              + "\n".join(f"  {problem.text()}" for problem in problems))
        for path, data in files.items():
            target = folder / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)


def built_by_casebook(site_dir: Path) -> bool:
    """An empty folder, or a site with Casebook's own style sheet: replacing it loses nothing
    that a build cannot make again."""
    return not any(site_dir.iterdir()) or (site_dir / ASSETS_DIR / "casebook.css").is_file()


def recover(site_dir: Path) -> None:
    """Put back or clear what a build that was killed left beside site_dir: an old site
    moved aside (restored if site_dir is gone), and folders of builds no longer running."""
    leftovers = sorted(site_dir.parent.glob(f".{site_dir.name}.*-*"), key=lambda p: p.stat().st_mtime, reverse=True)
    for path in leftovers:
        kind, _, pid = path.name.rpartition("-")
        if not pid.isdigit() or not path.is_dir() or path.is_symlink() or _running(int(pid)):
            continue
        if kind.endswith(".old") and not os.path.lexists(site_dir):
            path.rename(site_dir)
        else:
            shutil.rmtree(path, ignore_errors=True)


def _sibling(site_dir: Path, kind: str, pid: int) -> Path:
    return site_dir.parent / f".{site_dir.name}.{kind}-{pid}"


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux renameat2); False where the system cannot."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _swap(fresh: Path, site_dir: Path) -> None:
    """The new site takes site_dir's place in one rename, or one exchange when there is an
    old site (which then sits in `fresh` and is removed). Without an atomic exchange, two
    renames; a kill between them is undone by the next build's recover()."""
    try:
        if not site_dir.exists():
            fresh.rename(site_dir)
        elif not _exchange(fresh, site_dir):
            old = _sibling(site_dir, "old", os.getpid())
            site_dir.rename(old)
            try:
                fresh.rename(site_dir)
            except OSError:
                old.rename(site_dir)
                raise
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        raise BuildFailed(f"could not replace {site_dir}: {exc}") from None
