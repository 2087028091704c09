"""What every command shares: reading settings and the build day, printing problems, stopping with a message."""


from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path
from typing import Callable

from ..catalog.catalog import Catalog
from ..catalog.languages import language_catalog
from ..content.languages import language_of, site_settings
from ..content.settings import ENGINES, Settings, load_settings
from ..core.dates import parse_day, resolve_as_of
from ..core.problems import Problem, choice_hint, errors, summary
from ..pipeline.stage import Result, check

UNCHANGED = "build stopped: nothing was changed in the site directory"


class Stop(Exception):
    """Ends a command with exit status 1; the message (if any) goes to stderr."""


def as_of_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--as-of", type=parse_date, metavar="YYYY-MM-DD", help="build day for approvals and embargoes (default: today)")


def engine_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--engine", choices=ENGINES, help="the site engine for this run (default: engine in mkdocs.yml, else mkdocs)")


def parse_date(text: str) -> date:
    try:
        return parse_day(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def build_day(args: argparse.Namespace) -> date:
    try:
        return resolve_as_of(getattr(args, "as_of", None))
    except ValueError as exc:
        raise Stop(exc) from None


def load(args: argparse.Namespace) -> Settings:
    settings, problems = load_settings(args.config_file)
    print_problems(problems, getattr(args, "format", "text"))
    if settings is None or errors(problems):
        raise Stop(summary(problems, 1))
    return settings


def print_problems(problems: list[Problem], fmt: str = "text") -> None:
    for problem in problems:
        print(problem.github() if fmt == "github" else problem.text())


def report_result(result: Result, fmt: str) -> None:
    print_problems(result.problems, fmt)
    print(summary(result.problems, result.library.files))


def checked(args: argparse.Namespace) -> tuple[Settings, date, Result]:
    """Settings, build day and checked content for the commands that only read them."""
    settings, as_of = load(args), build_day(args)
    result = check(settings, as_of)
    if not result.ok or result.catalog is None:
        report_result(result, "text")
        raise Stop("fix the content errors first: this command needs to know what is public")
    return settings, as_of, result


def in_language(args: argparse.Namespace, settings: Settings, as_of: date, result: Result) -> tuple[Settings, Catalog]:
    """The settings and catalog of the site in --lang (default: the default language's)."""
    code = getattr(args, "lang", None)
    language = language_of(settings, code)
    if language is None:
        codes = [language.code for language in settings.locales]
        raise Stop(f"--lang: '{code}' is not a language of {args.config_file} "
                   f"(hint: {choice_hint(code, codes) if settings.languages else 'list the languages under languages: in the casebook options'})")
    site = site_settings(settings, language)
    return site, language_catalog(result.library, site, as_of, result.catalog)


def shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def write_page(path: Path, text: str) -> None:
    try:
        path.write_text(text, "utf-8")
    except OSError as exc:
        raise Stop(f"--html: cannot write {path}: {exc.strerror}") from None


def terminal_progress(stream=sys.stderr) -> Callable[[int, int], None] | None:
    """A one-line progress counter on a terminal; nothing in CI or when output is piped."""
    if not stream.isatty() or os.environ.get("CI"):
        return None

    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // total
        stream.write(f"\rrendering collateral [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done == total:
            stream.write("\n")
        stream.flush()

    return show
