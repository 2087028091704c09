"""The report and export commands: freshness, coverage, performance, posts, digest."""


from __future__ import annotations

import argparse

from ..catalog.lifecycle import CATEGORIES, notices
from ..channels.digest import digest
from ..channels.posts import SOCIAL, LimitTooShort, drafts, json_text
from ..channels.posts import csv_text as posts_csv
from ..core.problems import choice_hint
from ..reports.analytics import read_exports
from ..reports.coverage import TITLES, csv_text, html_page, matrices, text_table
from ..reports.performance import csv_report, html_report, performance, text_report
from .common import Stop, checked, in_language, print_problems, write_page


def run_freshness(args: argparse.Namespace) -> int:
    if args.within is not None and args.within < 1:
        raise Stop("--within takes a number of days, 1 or more")
    settings, as_of, result = checked(args)
    within = args.within or settings.freshness.within_days
    found = notices(result.library, as_of, within, settings.freshness.max_age_days)
    if args.format == "github":
        print_problems([notice.problem(as_of) for notice in found], "github")
    else:
        for category, title in CATEGORIES.items():
            rows = [n for n in found if n.category == category]
            print(f"{title.capitalize()}: {len(rows)}")
            for n in rows:
                print(f"  {n.day.isoformat()}  {(n.day - as_of).days:+5d} days  {n.path}:{n.line}  {n.title}")
    print(f"freshness as of {as_of.isoformat()}, looking {within} days ahead, cases older than "
          f"{settings.freshness.max_age_days} days: {len(found)} notice{'' if len(found) == 1 else 's'}")
    return 0


def run_coverage(args: argparse.Namespace) -> int:
    settings, as_of, result = checked(args)
    site, catalog = in_language(args, settings, as_of, result)
    found = matrices(catalog, None if site.locale.default else result.catalog)
    if args.format == "csv":
        print(csv_text(found), end="")
    else:
        for matrix in found:
            print(f"{TITLES[matrix.facet]} (public cases as of {as_of.isoformat()})")
            print(text_table(matrix) + "\n")
        status = [m.status(cell) for m in found for cell in m.counts]
        untranslated = f", {status.count('untranslated')} untranslated" if not site.locale.default else ""
        print(f"{status.count('gap')} gaps, {status.count('thin')} thin cells{untranslated}")
    if args.html:
        write_page(args.html, html_page(found, as_of.isoformat()))
    return 0


def run_performance(args: argparse.Namespace) -> int:
    settings, _, result = checked(args)
    traffic, problems = read_exports(args.analytics)
    if problems:
        print_problems(problems)
        raise Stop(f"{len(problems)} problem{'' if len(problems) == 1 else 's'} in the analytics export; nothing reported")
    report = performance(settings, result.catalog, result.library, traffic)
    print(csv_report(report) if args.format == "csv" else text_report(report), end="" if args.format == "csv" else "\n")
    if args.html:
        write_page(args.html, html_report(report))
    return 0


def run_posts(args: argparse.Namespace) -> int:
    settings, as_of, result = checked(args)
    settings, catalog = in_language(args, settings, as_of, result)
    social = [name for name, channel in settings.channels.items() if channel.network in SOCIAL]
    if args.channel is not None and args.channel not in social:
        raise Stop(f"--channel: '{args.channel}' is not a social channel of {args.config_file} "
                   f"(hint: {choice_hint(args.channel, social) if social else 'add one under channels: with network: linkedin, x, facebook or wechat'})")
    if not settings.site_url:
        raise Stop(f"post drafts link to the published site: set site_url in {args.config_file}")
    try:
        found = drafts(settings, catalog, args.channel, args.since)
    except LimitTooShort as exc:
        raise Stop(f"{args.config_file}:{settings.line('channels')}: channels: {exc} (hint: raise the channel's limit)") from None
    print(json_text(found) if args.format == "json" else posts_csv(found), end="")
    return 0


def run_digest(args: argparse.Namespace) -> int:
    settings, as_of, result = checked(args)
    settings, catalog = in_language(args, settings, as_of, result)
    taxonomy = settings.taxonomy
    for option, facet in (("industry", "industries"), ("role", "roles")):
        key = getattr(args, option)
        if key is not None and key not in taxonomy.terms(facet):
            raise Stop(f"--{option}: '{key}' is not a key of the {facet} taxonomy (hint: {choice_hint(key, taxonomy.terms(facet))})")
    if not settings.site_url:
        raise Stop(f"the digest links to the published site: set site_url in {args.config_file}")
    print(digest(settings, catalog, args.since, args.industry, args.role), end="")
    return 0
