"""The sales commands: prospect packs and customer approvals."""


from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from ..collateral.jobs import Job
from ..collateral.pack import Prospect, pack_cases, pack_job, proof_job
from ..collateral.render import render_here
from ..content.approval import ApprovalEditError, Approved, approve_file, fingerprint, parts
from ..content.changes import since_approval
from ..content.load import load_file, loader_context
from ..content.translations import load_translation
from ..content.locale import ENGLISH
from ..content.settings import Settings
from ..core.problems import Problem, choice_hint
from .common import Stop, checked, in_language, load, print_problems, shown


def run_pack(args: argparse.Namespace) -> int:
    settings, as_of, result = checked(args)
    settings, catalog = in_language(args, settings, as_of, result)  # --lang: the pack of that language's site
    taxonomy = settings.taxonomy
    for option, facet in (("industry", "industries"), ("size", "sizes"), ("role", "roles"), ("stage", "stages")):
        for key in args.role if option == "role" else [getattr(args, option)]:
            if key is not None and key not in taxonomy.terms(facet):
                raise Stop(f"--{option}: '{key}' is not a key of the {facet} taxonomy (hint: {choice_hint(key, taxonomy.terms(facet))})")
    products = sorted({product for case in catalog.cases for product in case.meta.products})
    for product in args.product:
        if product not in products:
            raise Stop(f"--product: no public case names '{product}' (hint: {choice_hint(product, products) if products else 'leave it out'})")
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
    prospect = Prospect(args.prospect.strip(), args.industry, args.size, tuple(args.role), tuple(args.product), args.stage,
                        args.rep.strip())
    if not prospect.name:
        raise Stop("--for: give the prospect's name")
    cases = pack_cases(catalog, prospect, slugs, args.count)
    target = _write(settings, pack_job(settings, catalog, prospect, cases, as_of),
                    args.output or Path(f"{_slug(prospect.name)}-customer-stories.pdf"))
    print(f"wrote {shown(target)}: {len(cases)} case{'' if len(cases) == 1 else 's'} for {prospect.name} "
          f"({', '.join(case.slug for case in cases)})")
    return 0


def run_approve(args: argparse.Namespace) -> int:
    settings = load(args)
    path = settings.root / "cases" / f"{args.slug}.md"
    if not path.is_file():
        known = sorted(p.stem for p in (settings.root / "cases").glob("*.md") if "." not in p.stem)
        raise Stop(f"no case '{args.slug}' in cases/ (hint: {choice_hint(args.slug, known) if known else 'casebook new case SLUG'})")
    lang = None if args.lang in (None, *settings.languages[:1]) else args.lang
    if lang is not None and lang not in settings.languages:
        others = ", ".join(settings.languages[1:]) or "none: add `languages:` to mkdocs.yml"
        raise Stop(f"--lang: '{lang}' is not one of the site's other languages ({others})")
    context = {**loader_context(settings), "fingerprints": "optional"}  # approving is how a case gets its fingerprint
    item, problems = load_file(settings.root, "case", path, context)
    if item is not None and lang is not None:
        path = path.with_name(f"{args.slug}.{lang}.md")
        if not path.is_file():
            raise Stop(f"no translation cases/{path.name} (hint: write it beside cases/{args.slug}.md)")
        item, problems = load_translation(settings.root, "case", path, lang, item, context)
    rel = path.relative_to(settings.root).as_posix()
    if item is None:
        print_problems([p for p in problems if p.severity == "error"])
        raise Stop(f"fix {rel} first: the approval must pin valid content")
    on = args.on or date.today()
    if args.expires is not None and args.expires <= on:
        raise Stop("--expires: the approval must lapse after the day it was given")
    approved = Approved(args.by.strip(), on, args.expires, fingerprint(parts(item, settings.root)))
    if not approved.by:
        raise Stop("--by: name who at the customer signed off")
    try:
        changed = approve_file(path, approved)
    except ApprovalEditError as exc:
        raise Stop(f"{rel}: {exc}") from None
    print(f"{'approved' if changed else 'already approved as it is'}: {rel} by {approved.by} on {on.isoformat()} "
          f"({approved.fingerprint.split()[0]} ...)")
    return 0


def run_proof(args: argparse.Namespace) -> int:
    settings, as_of, result = checked(args)
    case = result.library.items["case"].get(args.slug)
    if case is None:
        raise Stop(f"no valid case '{args.slug}' (hint: {choice_hint(args.slug, sorted(result.library.items['case']))})")
    if args.lang not in (None, *settings.languages[:1]):
        translations = result.library.translations["case"].get(args.slug, {})
        if args.lang not in translations:
            raise Stop(f"--lang: no valid translation cases/{args.slug}.{args.lang}.md "
                       f"(translations of this case: {', '.join(sorted(translations)) or 'none'})")
        case = translations[args.lang]
    current = fingerprint(parts(case, settings.root))
    approval = case.meta.approval
    default = result.library.items["case"][args.slug]
    since = since_approval(settings.root, case, loader_context(settings), default) if approval.fingerprint else None
    if since is None:
        changes = "Not approved with a fingerprint before: the whole case is for approval"
    elif since.parts:
        changes = "Changed since the approval of {day}: {fields}"
    else:
        changes = "Unchanged since the approval of {day}"
    values = {"day": approval.approved_on.isoformat() if approval.approved_on else "", "fields": ", ".join(since.parts) if since else ""}
    site, catalog = in_language(args, settings, as_of, result)  # the proof in the translation's language
    target = _write(site, proof_job(site, catalog, case, current, site.locale.fill("pdf", changes, **values), since),
                    args.output or Path(f"{case.slug}-proof.pdf"))
    changes = ENGLISH.fill("pdf", changes, **values)
    print(f"wrote {shown(target)}: {changes.lower()}")
    if since and since.parts:
        count = len(since.changes)
        print(f"  approved version: commit {since.commit[:10]} of {since.day}; {count} change{'' if count == 1 else 's'} "
              "listed on the last page" if since.commit else "  the approved version is not in git history: the proof names the fields that changed")
    return 0


def _write(settings: Settings, job: Job, target: Path) -> Path:
    """Render one document here and write it where asked."""
    out = render_here(settings, job)
    if isinstance(out, Problem):
        raise Stop(out.text())
    try:
        target.write_bytes(out)
    except OSError as exc:
        raise Stop(f"--output: cannot write {target}: {exc.strerror}") from None
    return target


def _slug(name: str) -> str:
    return "-".join("".join(c.lower() if c.isalnum() else " " for c in name).split()) or "prospect"
