"""The site commands: validate, build, serve, compare, audit."""


from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from ..content.settings import Settings, unsafe_output
from ..core.dates import ENV, source_date_epoch
from ..core.lock import Busy, build_lock
from ..core.pdftext import texts_cache
from ..core.problems import summary
from ..engines import Engine, engine
from ..engines.compare import compare_sites
from ..guard.audit import audit, public_sources
from ..pipeline.publish import BuildFailed, built_by_casebook, publish, recover
from ..pipeline.stage import check, stage
from .common import UNCHANGED, Stop, build_day, checked, load, print_problems, report_result, shown, terminal_progress


def run_validate(args: argparse.Namespace) -> int:
    settings, as_of = load(args), build_day(args)
    result = check(settings, as_of)
    print_problems(result.problems, args.format)
    unpinned = [case for case in result.library.items["case"].values()
                if case.meta.approval.status == "approved" and case.meta.approval.fingerprint is None]
    if unpinned and settings.fingerprints == "optional" and args.format == "text":  # a note, not a warning: see README
        print(f"note: {len(unpinned)} approved case{'s carry' if len(unpinned) > 1 else ' carries'} no fingerprint, so an edit "
              "after the customer's approval would go live under it; pin one with `casebook approve SLUG --by NAME --on DATE` "
              "(`fingerprints: warn` lists them)", file=sys.stderr)  # stdout keeps the contract: problems, then the summary
    print(summary(result.problems, result.library.files))
    return 0 if result.ok else 1


def run_build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    settings, as_of = load(args), build_day(args)
    site_dir = _site_dir(args, settings)
    chosen = _engine(args, settings)
    os.environ.setdefault("SOURCE_DATE_EPOCH", source_date_epoch(as_of))
    try:
        with build_lock(settings.cache_dir):
            recover(site_dir)
            result = stage(settings, as_of, pdf="skip" if args.no_pdf else "late", progress=terminal_progress())
            report_result(result, "text")
            if not result.ok or result.catalog is None:
                raise Stop(UNCHANGED)
            publish(settings, result, as_of, site_dir, chosen.build)
    except (BuildFailed, Busy) as exc:
        raise Stop(f"{exc}\n{UNCHANGED}") from None
    catalog, made = result.catalog, result.collateral
    every = [made, *(site.collateral for site in result.others)]
    collateral = (f"; collateral: {sum(len(m.rendered) for m in every)} rendered, {sum(len(m.cached) for m in every)} unchanged"
                  if made and made.files else "; no collateral (--no-pdf)")
    others = "".join(f"; {site.settings.locale.code}/: {_count(site.catalog.cases, 'case')}, "
                     f"{_count(site.catalog.whitepapers, 'white paper')}, {_count(site.catalog.kits, 'kit')}" for site in result.others)
    print(f"built {len(catalog.cases)} public cases, {len(catalog.whitepapers)} white papers, {len(catalog.kits)} kits{others} "
          f"(as of {as_of.isoformat()}) into {shown(site_dir)} in {time.perf_counter() - started:.1f}s{collateral}")
    return 0


def _count(items: list, noun: str) -> str:
    return f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"


def _site_dir(args: argparse.Namespace, settings: Settings) -> Path:
    """The folder to build into, refused unless replacing it loses nothing: never a file, a
    device or a symbolic link, and a folder Casebook did not build only with --force."""
    option = "--site-dir" if args.site_dir else f"site_dir in {settings.config_file.name}"
    given = Path(os.path.abspath(args.site_dir or settings.site_dir))
    if given.is_symlink():
        raise Stop(f"{option}: '{shown(given)}' is a symbolic link; Casebook replaces the folder it names, so name the real folder")
    site_dir = given.parent.resolve() / given.name
    unsafe = unsafe_output(settings, site_dir)
    if unsafe:
        raise Stop(f"{option}: {unsafe}; choose a folder of its own")
    if os.path.lexists(site_dir) and not site_dir.is_dir():
        raise Stop(f"{option}: '{shown(site_dir)}' is a file, not a folder; Casebook never replaces it (choose a folder of its own)")
    if site_dir.is_dir() and not args.force and not built_by_casebook(site_dir):
        raise Stop(f"{option}: '{shown(site_dir)}' holds files Casebook did not build, and a build replaces the whole folder; "
                   "build into a new or empty folder, or add --force to replace it")
    return site_dir


def run_audit(args: argparse.Namespace) -> int:
    if not args.site_dir.is_dir():
        raise Stop(f"{args.site_dir} is not a folder")
    settings, as_of, result = checked(args)
    started = time.perf_counter()
    leaks = audit(args.site_dir, result.library, as_of, texts_cache(settings.cache_dir), public=public_sources(settings))
    for leak in leaks:
        print(leak.text())
    files = sum(1 for p in args.site_dir.rglob("*") if p.is_file())
    print(f"audit of {files} files as of {as_of.isoformat()}: {len(leaks)} leak{'' if len(leaks) == 1 else 's'} "
          f"({time.perf_counter() - started:.1f}s)")
    return 1 if leaks else 0


def run_compare(args: argparse.Namespace) -> int:
    for site in args.sites:
        if not site.is_dir():
            raise Stop(f"{site} is not a folder")
    found, files = compare_sites(*args.sites)
    for difference in found:
        print(difference)
    print(f"compared {files} files: {len(found)} difference{'' if len(found) == 1 else 's'}")
    return 1 if found else 0


def run_serve(args: argparse.Namespace) -> int:
    chosen = _engine(args, load(args))
    if args.as_of:
        os.environ[ENV] = args.as_of.isoformat()
    try:
        chosen.serve(args.config_file, args.dev_addr)
    except BuildFailed as exc:
        raise Stop(exc) from None
    return 0


def _engine(args: argparse.Namespace, settings: Settings) -> Engine:
    """--engine, else the engine option of mkdocs.yml."""
    try:
        return engine(args.engine or settings.engine)
    except BuildFailed as exc:
        raise Stop(exc) from None
