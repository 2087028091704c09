"""The `casebook` command: validate, build, serve, new, schema and the reports."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from datetime import date
from pathlib import Path
from typing import Callable

from . import __version__
from .catalog.lifecycle import CATEGORIES, notices
from .channels.digest import digest
from .channels.posts import SOCIAL, LimitTooShort, drafts, json_text
from .channels.posts import csv_text as posts_csv
from .collateral.pack import DEFAULT_COUNT, Prospect, pack_cases, pack_job
from .collateral.render import render_here
from .content.model import KINDS
from .content.scaffold import new_file
from .content.schema import json_schema
from .content.settings import ENGINES, Settings, load_settings, unsafe_output
from .core.dates import ENV, parse_day, resolve_as_of, source_date_epoch
from .core.lock import Busy, build_lock
from .core.pdftext import texts_cache
from .core.problems import Problem, choice_hint, errors, summary
from .engines import Engine, engine
from .engines.compare import compare_sites
from .guard.audit import audit, public_sources
from .pipeline.publish import BuildFailed, built_by_casebook, publish, recover
from .pipeline.stage import Result, check, stage
from .reports.analytics import read_exports
from .reports.coverage import TITLES, csv_text, html_page, matrices, text_table
from .reports.performance import csv_report, html_report, performance, text_report

UNCHANGED = "build stopped: nothing was changed in the site directory"


class Stop(Exception):
    """Ends a command with exit status 1; the message (if any) goes to stderr."""


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except Stop as stop:
        if str(stop):
            print(f"error: {stop}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stdout = open(os.devnull, "w")
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="casebook", description="Customer cases, white papers and kits, published from git.")
    parser.add_argument("--version", action="version", version=f"casebook {__version__}")
    parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"), help="the project's mkdocs.yml (default: ./mkdocs.yml)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check every content file and report every problem")
    _as_of(validate)
    validate.add_argument("--format", choices=("text", "github"), default="text", help="github: GitHub Actions annotations")
    validate.set_defaults(run=_validate)

    build = commands.add_parser("build", help="validate, then build the site into site/")
    _as_of(build)
    build.add_argument("--site-dir", type=Path, help="where to write the site (default: site_dir of mkdocs.yml)")
    build.add_argument("--no-pdf", action="store_true", help="skip PDF collateral, for fast previews")
    build.add_argument("--force", action="store_true", help="replace a non-empty site folder that Casebook did not build")
    _engine_option(build)
    build.set_defaults(run=_build)

    serve = commands.add_parser("serve", help="live preview; edits to content and templates reload")
    _as_of(serve)
    serve.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", metavar="IP:PORT")
    _engine_option(serve)
    serve.set_defaults(run=_serve)

    compare = commands.add_parser("compare", help="compare two built sites page by page, e.g. one built by each engine")
    compare.add_argument("sites", type=Path, nargs=2, metavar="SITE_DIR")
    compare.set_defaults(run=_compare)

    audit = commands.add_parser("audit", help="prove a built site holds no non-public content or internal value")
    audit.add_argument("site_dir", type=Path, metavar="SITE_DIR")
    _as_of(audit)
    audit.set_defaults(run=_audit)

    report = commands.add_parser("report", help="reports for operators")
    reports = report.add_subparsers(dest="report", required=True, metavar="REPORT")
    fresh = reports.add_parser("freshness", help="approvals expiring or expired, embargoes lifting, old and unapproved cases")
    _as_of(fresh)
    fresh.add_argument("--within", type=int, metavar="DAYS", help="how far ahead to look (default: freshness.within_days)")
    fresh.add_argument("--format", choices=("text", "github"), default="text", help="github: warnings as annotations")
    fresh.set_defaults(run=_freshness)

    cover = reports.add_parser("coverage", help="public cases per industry x size, role and stage, with gaps")
    _as_of(cover)
    cover.add_argument("--format", choices=("text", "csv"), default="text")
    cover.add_argument("--html", type=Path, metavar="FILE", help="also write the heatmap page here")
    cover.set_defaults(run=_coverage)

    perf = reports.add_parser("performance", help="views, downloads and download rate per industry, role, size and kind")
    _as_of(perf)
    perf.add_argument("--analytics", type=Path, action="append", required=True, metavar="FILE",
                      help="a GA4 CSV export or a Plausible export (zip or CSV); repeat for several files")
    perf.add_argument("--format", choices=("text", "csv"), default="text")
    perf.add_argument("--html", type=Path, metavar="FILE", help="also write the charts page here")
    perf.set_defaults(run=_performance)

    export = commands.add_parser("export", help="ready-to-post drafts and newsletter digests of public items")
    exports = export.add_subparsers(dest="export", required=True, metavar="EXPORT")
    posts = exports.add_parser("posts", help="post drafts per public item and social channel (Publer bulk-upload CSV or JSON)")
    _as_of(posts)
    posts.add_argument("--channel", metavar="NAME", help="one channel of mkdocs.yml (default: every social channel)")
    posts.add_argument("--since", type=_date, metavar="YYYY-MM-DD", help="only items dated on or after this day")
    posts.add_argument("--format", choices=("csv", "json"), default="csv")
    posts.set_defaults(run=_posts)
    news = exports.add_parser("digest", help="an HTML e-mail fragment of new public items, tagged for the newsletter channel")
    _as_of(news)
    news.add_argument("--since", type=_date, required=True, metavar="YYYY-MM-DD", help="items dated on or after this day")
    news.add_argument("--industry", metavar="KEY", help="only items for this industry")
    news.add_argument("--role", metavar="KEY", help="only items for this role")
    news.set_defaults(run=_digest)

    pack = commands.add_parser("pack", help="a prospect pack PDF: the public cases closest to one prospect")
    pack.add_argument("--for", dest="prospect", required=True, metavar="NAME", help="the prospect's name, printed on the cover")
    for option in ("industry", "size", "role", "stage"):
        pack.add_argument(f"--{option}", metavar="KEY", help=f"the prospect's {option} (a taxonomy key)")
    pack.add_argument("--cases", metavar="SLUG,SLUG", help="these public cases instead of the closest ones")
    pack.add_argument("--rep", default="", metavar="NAME", help="the sales rep, printed on the cover and tagged as utm_content")
    pack.add_argument("--count", type=int, default=DEFAULT_COUNT, metavar="N", help=f"how many cases (default {DEFAULT_COUNT})")
    pack.add_argument("-o", "--output", type=Path, metavar="FILE", help="where to write it (default: <prospect>-customer-stories.pdf)")
    _as_of(pack)
    pack.set_defaults(run=_pack)

    new = commands.add_parser("new", help="write a valid, commented starting file")
    new.add_argument("kind", choices=KINDS)
    new.add_argument("slug", help="file name without .md; it becomes the page URL")
    new.set_defaults(run=_new)

    schema = commands.add_parser("schema", help="print the JSON Schema of a kind's front matter, for editor completion")
    schema.add_argument("kind", choices=KINDS)
    schema.set_defaults(run=_schema)
    return parser


def _as_of(command: argparse.ArgumentParser) -> None:
    command.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD", help="build day for approvals and embargoes (default: today)")


def _engine_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--engine", choices=ENGINES, help="the site engine for this run (default: engine in mkdocs.yml, else mkdocs)")


def _date(text: str) -> date:
    try:
        return parse_day(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _build_day(args: argparse.Namespace) -> date:
    try:
        return resolve_as_of(getattr(args, "as_of", None))
    except ValueError as exc:
        raise Stop(exc) from None


def _settings(args: argparse.Namespace) -> Settings:
    settings, problems = load_settings(args.config_file)
    _print(problems, getattr(args, "format", "text"))
    if settings is None or errors(problems):
        raise Stop(summary(problems, 1))
    return settings


def _print(problems: list[Problem], fmt: str = "text") -> None:
    for problem in problems:
        print(problem.github() if fmt == "github" else problem.text())


def _report(result: Result, fmt: str) -> None:
    _print(result.problems, fmt)
    print(summary(result.problems, result.library.files))


def _validate(args: argparse.Namespace) -> int:
    settings, as_of = _settings(args), _build_day(args)
    result = check(settings, as_of)
    _report(result, args.format)
    return 0 if result.ok else 1


def _build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    settings, as_of = _settings(args), _build_day(args)
    site_dir = _site_dir(args, settings)
    chosen = _engine(args, settings)
    os.environ.setdefault("SOURCE_DATE_EPOCH", source_date_epoch(as_of))
    try:
        with build_lock(settings.cache_dir):
            recover(site_dir)
            result = stage(settings, as_of, pdf="skip" if args.no_pdf else "render", progress=terminal_progress())
            _report(result, "text")
            if not result.ok or result.catalog is None:
                raise Stop(UNCHANGED)
            publish(settings, result, as_of, site_dir, chosen.build)
    except (BuildFailed, Busy) as exc:
        raise Stop(f"{exc}\n{UNCHANGED}") from None
    catalog, made = result.catalog, result.collateral
    collateral = (f"; collateral: {len(made.rendered)} rendered, {len(made.cached)} unchanged"
                  if made and made.files else "; no collateral (--no-pdf)")
    print(f"built {len(catalog.cases)} public cases, {len(catalog.whitepapers)} white papers, {len(catalog.kits)} kits "
          f"(as of {as_of.isoformat()}) into {_shown(site_dir)} in {time.perf_counter() - started:.1f}s{collateral}")
    return 0


def _site_dir(args: argparse.Namespace, settings: Settings) -> Path:
    """The folder to build into, refused unless replacing it loses nothing: never a file, a
    device or a symbolic link, and a folder Casebook did not build only with --force."""
    option = "--site-dir" if args.site_dir else f"site_dir in {settings.config_file.name}"
    given = Path(os.path.abspath(args.site_dir or settings.site_dir))
    if given.is_symlink():
        raise Stop(f"{option}: '{_shown(given)}' is a symbolic link; Casebook replaces the folder it names, so name the real folder")
    site_dir = given.parent.resolve() / given.name
    unsafe = unsafe_output(settings, site_dir)
    if unsafe:
        raise Stop(f"{option}: {unsafe}; choose a folder of its own")
    if os.path.lexists(site_dir) and not site_dir.is_dir():
        raise Stop(f"{option}: '{_shown(site_dir)}' is a file, not a folder; Casebook never replaces it (choose a folder of its own)")
    if site_dir.is_dir() and not args.force and not built_by_casebook(site_dir):
        raise Stop(f"{option}: '{_shown(site_dir)}' holds files Casebook did not build, and a build replaces the whole folder; "
                   "build into a new or empty folder, or add --force to replace it")
    return site_dir


def _checked(args: argparse.Namespace) -> tuple[Settings, date, Result]:
    """Settings, build day and checked content for the commands that only read them."""
    settings, as_of = _settings(args), _build_day(args)
    result = check(settings, as_of)
    if not result.ok or result.catalog is None:
        _report(result, "text")
        raise Stop("fix the content errors first: this command needs to know what is public")
    return settings, as_of, result


def _audit(args: argparse.Namespace) -> int:
    if not args.site_dir.is_dir():
        raise Stop(f"{args.site_dir} is not a folder")
    settings, as_of, result = _checked(args)
    started = time.perf_counter()
    leaks = audit(args.site_dir, result.library, as_of, texts_cache(settings.cache_dir), public=public_sources(settings))
    for leak in leaks:
        print(leak.text())
    files = sum(1 for p in args.site_dir.rglob("*") if p.is_file())
    print(f"audit of {files} files as of {as_of.isoformat()}: {len(leaks)} leak{'' if len(leaks) == 1 else 's'} "
          f"({time.perf_counter() - started:.1f}s)")
    return 1 if leaks else 0


def _compare(args: argparse.Namespace) -> int:
    for site in args.sites:
        if not site.is_dir():
            raise Stop(f"{site} is not a folder")
    found, files = compare_sites(*args.sites)
    for difference in found:
        print(difference)
    print(f"compared {files} files: {len(found)} difference{'' if len(found) == 1 else 's'}")
    return 1 if found else 0


def _freshness(args: argparse.Namespace) -> int:
    if args.within is not None and args.within < 1:
        raise Stop("--within takes a number of days, 1 or more")
    settings, as_of, result = _checked(args)
    within = args.within or settings.freshness.within_days
    found = notices(result.library, as_of, within, settings.freshness.max_age_days)
    if args.format == "github":
        _print([notice.problem(as_of) for notice in found], "github")
    else:
        for category, title in CATEGORIES.items():
            rows = [n for n in found if n.category == category]
            print(f"{title.capitalize()}: {len(rows)}")
            for n in rows:
                print(f"  {n.day.isoformat()}  {(n.day - as_of).days:+5d} days  {n.path}:{n.line}  {n.title}")
    print(f"freshness as of {as_of.isoformat()}, looking {within} days ahead, cases older than "
          f"{settings.freshness.max_age_days} days: {len(found)} notice{'' if len(found) == 1 else 's'}")
    return 0


def _coverage(args: argparse.Namespace) -> int:
    _, as_of, result = _checked(args)
    found = matrices(result.catalog)
    if args.format == "csv":
        print(csv_text(found), end="")
    else:
        for matrix in found:
            print(f"{TITLES[matrix.facet]} (public cases as of {as_of.isoformat()})")
            print(text_table(matrix) + "\n")
        gaps = sum(1 for m in found for n in m.counts.values() if n == 0)
        thin = sum(1 for m in found for n in m.counts.values() if n == 1)
        print(f"{gaps} gaps, {thin} thin cells")
    if args.html:
        _write_page(args.html, html_page(found, as_of.isoformat()))
    return 0


def _performance(args: argparse.Namespace) -> int:
    settings, _, result = _checked(args)
    traffic, problems = read_exports(args.analytics)
    if problems:
        _print(problems)
        raise Stop(f"{len(problems)} problem{'' if len(problems) == 1 else 's'} in the analytics export; nothing reported")
    report = performance(settings, result.catalog, result.library, traffic)
    print(csv_report(report) if args.format == "csv" else text_report(report), end="" if args.format == "csv" else "\n")
    if args.html:
        _write_page(args.html, html_report(report))
    return 0


def _posts(args: argparse.Namespace) -> int:
    settings, _, result = _checked(args)
    social = [name for name, channel in settings.channels.items() if channel.network in SOCIAL]
    if args.channel is not None and args.channel not in social:
        raise Stop(f"--channel: '{args.channel}' is not a social channel of {args.config_file} "
                   f"(hint: {choice_hint(args.channel, social) if social else 'add one under channels: with network: linkedin, x, facebook or wechat'})")
    if not settings.site_url:
        raise Stop(f"post drafts link to the published site: set site_url in {args.config_file}")
    try:
        found = drafts(settings, result.catalog, args.channel, args.since)
    except LimitTooShort as exc:
        raise Stop(f"{args.config_file}:{settings.line('channels')}: channels: {exc} (hint: raise the channel's limit)") from None
    print(json_text(found) if args.format == "json" else posts_csv(found), end="")
    return 0


def _digest(args: argparse.Namespace) -> int:
    settings, _, result = _checked(args)
    taxonomy = settings.taxonomy
    for option, facet in (("industry", "industries"), ("role", "roles")):
        key = getattr(args, option)
        if key is not None and key not in taxonomy.terms(facet):
            raise Stop(f"--{option}: '{key}' is not a key of the {facet} taxonomy (hint: {choice_hint(key, taxonomy.terms(facet))})")
    if not settings.site_url:
        raise Stop(f"the digest links to the published site: set site_url in {args.config_file}")
    print(digest(settings, result.catalog, args.since, args.industry, args.role), end="")
    return 0


def _pack(args: argparse.Namespace) -> int:
    settings, as_of, result = _checked(args)
    catalog, taxonomy = result.catalog, settings.taxonomy
    for option, facet in (("industry", "industries"), ("size", "sizes"), ("role", "roles"), ("stage", "stages")):
        key = getattr(args, option)
        if key is not None and key not in taxonomy.terms(facet):
            raise Stop(f"--{option}: '{key}' is not a key of the {facet} taxonomy (hint: {choice_hint(key, taxonomy.terms(facet))})")
    if args.count < 1:
        raise Stop("--count takes a number of cases, 1 or more")
    slugs = [slug.strip() for slug in (args.cases or "").split(",") if slug.strip()]
    public = {case.slug for case in catalog.cases}
    for slug in slugs:
        if slug in result.library.items["case"] and slug not in public:
            raise Stop(f"--cases: '{slug}' is not public as of {as_of.isoformat()}; a pack shows public cases only")
        if slug not in public:
            raise Stop(f"--cases: no public case '{slug}' (hint: {choice_hint(slug, sorted(public))})")
    if not public:
        raise Stop(f"no case is public as of {as_of.isoformat()}: there is nothing to put in a pack")
    prospect = Prospect(args.prospect.strip(), args.industry, args.size, args.role, args.stage, args.rep.strip())
    if not prospect.name:
        raise Stop("--for: give the prospect's name")
    cases = pack_cases(catalog, prospect, slugs, args.count)
    out = render_here(settings, pack_job(settings, catalog, prospect, cases, as_of))
    if isinstance(out, Problem):
        raise Stop(out.text())
    target = args.output or Path(f"{_slug(prospect.name)}-customer-stories.pdf")
    try:
        target.write_bytes(out)
    except OSError as exc:
        raise Stop(f"--output: cannot write {target}: {exc.strerror}") from None
    print(f"wrote {_shown(target)}: {len(cases)} case{'' if len(cases) == 1 else 's'} for {prospect.name} "
          f"({', '.join(case.slug for case in cases)})")
    return 0


def _slug(name: str) -> str:
    return "-".join("".join(c.lower() if c.isalnum() else " " for c in name).split()) or "prospect"


def _serve(args: argparse.Namespace) -> int:
    chosen = _engine(args, _settings(args))
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


def _new(args: argparse.Namespace) -> int:
    settings = _settings(args)
    try:
        path = new_file(settings, args.kind, args.slug, date.today())
    except (ValueError, OSError) as exc:
        raise Stop(exc) from None
    print(f"wrote {_shown(path)}: fill it in, then run `casebook validate`")
    return 0


def _schema(args: argparse.Namespace) -> int:
    with contextlib.redirect_stdout(sys.stderr):  # mkdocs.yml warnings must not corrupt the JSON
        settings = _settings(args)
    print(json.dumps(json_schema(args.kind, settings.taxonomy), indent=2, ensure_ascii=False))
    return 0


def _write_page(path: Path, text: str) -> None:
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


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit(main())
