"""The `casebook` command: validate, build, serve, new, schema and the reports."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from datetime import date
from pathlib import Path

from .. import __version__
from ..collateral.pack import DEFAULT_COUNT
from ..content.model import KINDS
from ..content.scaffold import new_file
from ..content.load import Loader
from ..content.schema import json_schema
from ..editor.admin import internal_keys
from ..editor.config import config_text, decap_config
from . import reports as report_commands
from . import sales, site
from .common import Stop, as_of_option, engine_option, load, parse_date, shown


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
    as_of_option(validate)
    validate.add_argument("--format", choices=("text", "github"), default="text", help="github: GitHub Actions annotations")
    validate.set_defaults(run=site.run_validate)

    build = commands.add_parser("build", help="validate, then build the site into site/")
    as_of_option(build)
    build.add_argument("--site-dir", type=Path, help="where to write the site (default: site_dir of mkdocs.yml)")
    build.add_argument("--no-pdf", action="store_true", help="skip PDF collateral, for fast previews")
    build.add_argument("--force", action="store_true", help="replace a non-empty site folder that Casebook did not build")
    engine_option(build)
    build.set_defaults(run=site.run_build)

    serve = commands.add_parser("serve", help="live preview; edits to content and templates reload")
    as_of_option(serve)
    serve.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", metavar="IP:PORT")
    engine_option(serve)
    serve.set_defaults(run=site.run_serve)

    compare = commands.add_parser("compare", help="compare two built sites page by page, e.g. one built by each engine")
    compare.add_argument("sites", type=Path, nargs=2, metavar="SITE_DIR")
    compare.set_defaults(run=site.run_compare)

    audit = commands.add_parser("audit", help="prove a built site holds no non-public content or internal value")
    audit.add_argument("site_dir", type=Path, metavar="SITE_DIR")
    as_of_option(audit)
    audit.set_defaults(run=site.run_audit)

    report = commands.add_parser("report", help="reports for operators")
    reports = report.add_subparsers(dest="report", required=True, metavar="REPORT")
    fresh = reports.add_parser("freshness", help="approvals expiring or expired, embargoes lifting, old and unapproved cases")
    as_of_option(fresh)
    fresh.add_argument("--within", type=int, metavar="DAYS", help="how far ahead to look (default: freshness.within_days)")
    fresh.add_argument("--format", choices=("text", "github"), default="text", help="github: warnings as annotations")
    fresh.set_defaults(run=report_commands.run_freshness)

    cover = reports.add_parser("coverage", help="public cases per industry x size, role and stage, with gaps")
    as_of_option(cover)
    cover.add_argument("--format", choices=("text", "csv"), default="text")
    cover.add_argument("--html", type=Path, metavar="FILE", help="also write the heatmap page here")
    cover.add_argument("--lang", metavar="CODE", help="the site in this language: cells with cases in the default language only are 'untranslated'")
    cover.set_defaults(run=report_commands.run_coverage)

    perf = reports.add_parser("performance", help="views, downloads and download rate per industry, role, size and kind")
    as_of_option(perf)
    perf.add_argument("--analytics", type=Path, action="append", required=True, metavar="FILE",
                      help="a GA4 CSV export or a Plausible export (zip or CSV); repeat for several files")
    perf.add_argument("--format", choices=("text", "csv"), default="text")
    perf.add_argument("--html", type=Path, metavar="FILE", help="also write the charts page here")
    perf.set_defaults(run=report_commands.run_performance)

    export = commands.add_parser("export", help="ready-to-post drafts and newsletter digests of public items")
    exports = export.add_subparsers(dest="export", required=True, metavar="EXPORT")
    posts = exports.add_parser("posts", help="post drafts per public item and social channel (Publer bulk-upload CSV or JSON)")
    as_of_option(posts)
    posts.add_argument("--channel", metavar="NAME", help="one channel of mkdocs.yml (default: every social channel)")
    posts.add_argument("--since", type=parse_date, metavar="YYYY-MM-DD", help="only items dated on or after this day")
    posts.add_argument("--format", choices=("csv", "json"), default="csv")
    posts.add_argument("--lang", metavar="CODE", help="drafts of the site in this language (see languages:)")
    posts.set_defaults(run=report_commands.run_posts)
    news = exports.add_parser("digest", help="an HTML e-mail fragment of new public items, tagged for the newsletter channel")
    as_of_option(news)
    news.add_argument("--since", type=parse_date, required=True, metavar="YYYY-MM-DD", help="items dated on or after this day")
    news.add_argument("--industry", metavar="KEY", help="only items for this industry")
    news.add_argument("--role", metavar="KEY", help="only items for this role")
    news.add_argument("--lang", metavar="CODE", help="the digest of the site in this language (see languages:)")
    news.set_defaults(run=report_commands.run_digest)

    pack = commands.add_parser("pack", help="a prospect pack PDF: the public cases closest to one prospect")
    pack.add_argument("--for", dest="prospect", required=True, metavar="NAME", help="the prospect's name, printed on the cover")
    for option in ("industry", "size", "stage"):
        pack.add_argument(f"--{option}", metavar="KEY", help=f"the prospect's {option} (a taxonomy key)")
    pack.add_argument("--role", action="append", default=[], metavar="KEY",
                      help="a role the pack speaks to (a taxonomy key); repeat for several")
    pack.add_argument("--product", action="append", default=[], metavar="NAME",
                      help="a product the prospect is looking at, as cases name it; repeat for several")
    pack.add_argument("--cases", metavar="SLUG,SLUG", help="these public cases instead of the closest ones")
    pack.add_argument("--rep", default="", metavar="NAME", help="the sales rep, printed on the cover and tagged as utm_content")
    pack.add_argument("--count", type=int, default=DEFAULT_COUNT, metavar="N", help=f"how many cases (default {DEFAULT_COUNT})")
    pack.add_argument("--lang", metavar="CODE", help="the cases of the site in this language, in its words (see languages:)")
    pack.add_argument("-o", "--output", type=Path, metavar="FILE", help="where to write it (default: <prospect>-customer-stories.pdf)")
    as_of_option(pack)
    pack.set_defaults(run=sales.run_pack)

    approve = commands.add_parser("approve", help="record a customer's approval of a case, pinned to its current words")
    approve.add_argument("slug", metavar="SLUG", help="the case (cases/SLUG.md)")
    approve.add_argument("--by", required=True, metavar="NAME", help="who at the customer signed off")
    approve.add_argument("--on", type=parse_date, metavar="YYYY-MM-DD", help="when they signed off (default: today)")
    approve.add_argument("--expires", type=parse_date, metavar="YYYY-MM-DD", help="the day the approval lapses")
    approve.add_argument("--lang", metavar="CODE", help="approve the translation cases/SLUG.CODE.md (see languages:)")
    approve.set_defaults(run=sales.run_approve)

    proof = commands.add_parser("proof", help="a case's one-pager marked for the customer's approval")
    proof.add_argument("slug", metavar="SLUG", help="the case (cases/SLUG.md), in any status")
    proof.add_argument("-o", "--output", type=Path, metavar="FILE", help="where to write it (default: SLUG-proof.pdf)")
    as_of_option(proof)
    proof.add_argument("--lang", metavar="CODE", help="the translation cases/SLUG.CODE.md")
    proof.set_defaults(run=sales.run_proof)

    new = commands.add_parser("new", help="write a valid, commented starting file")
    new.add_argument("kind", choices=KINDS)
    new.add_argument("slug", help="file name without .md; it becomes the page URL")
    new.set_defaults(run=_new)

    cms = commands.add_parser("cms", help="the web editor (Decap CMS)").add_subparsers(dest="cms_command", required=True)
    cms.add_parser("config", help="print the editor's config.yml, generated from the content model and mkdocs.yml"
                   ).set_defaults(run=_cms_config)

    schema = commands.add_parser("schema", help="print the JSON Schema of a kind's front matter, for editor completion")
    schema.add_argument("kind", choices=KINDS)
    schema.set_defaults(run=_schema)
    return parser


def _new(args: argparse.Namespace) -> int:
    settings = load(args)
    try:
        path = new_file(settings, args.kind, args.slug, date.today())
    except (ValueError, OSError) as exc:
        raise Stop(exc) from None
    print(f"wrote {shown(path)}: fill it in, then run `casebook validate`")
    return 0


def _schema(args: argparse.Namespace) -> int:
    with contextlib.redirect_stdout(sys.stderr):  # mkdocs.yml warnings must not corrupt the JSON
        settings = load(args)
    print(json.dumps(json_schema(args.kind, settings.taxonomy), indent=2, ensure_ascii=False))
    return 0


def _cms_config(args: argparse.Namespace) -> int:
    with contextlib.redirect_stdout(sys.stderr):  # mkdocs.yml and content warnings must not corrupt the YAML
        settings = load(args)
        library = Loader().load(settings)
    print(config_text(decap_config(settings, internal_keys(library))), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
