"""Sales documents made on demand. Prospect packs: the few public cases closest to one
prospect, in one PDF a sales rep sends before a meeting. Every link and QR code in it carries the `pack` channel's campaign
parameters, with the rep as utm_content and the prospect as utm_term, so marketing sees
which pack led to a visit. Proofs: a case's one-pager as the customer will see it, marked
for approval, whatever its status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..catalog.catalog import Catalog
from ..catalog.related import closest_to
from ..channels.links import tagged
from ..channels.urls import page_url
from ..content.changes import Since
from ..content.model import Item
from ..content.settings import Settings
from .jobs import Job, QrCode
from .plan import brand_data, case_data

DEFAULT_COUNT = 4


@dataclass(frozen=True)
class Prospect:
    name: str
    industry: str | None = None
    size: str | None = None
    roles: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    stage: str | None = None
    rep: str = ""


def pack_cases(catalog: Catalog, prospect: Prospect, slugs: list[str], count: int) -> list[Item]:
    """The cases named (all public: the caller checked), or the closest public ones, ranked
    as related cases are: a pack for a case's own facets is that case and its related cases."""
    if slugs:
        by_slug = {case.slug: case for case in catalog.cases}
        return [by_slug[slug] for slug in slugs]
    return closest_to(catalog.cases, prospect.industry, prospect.size, prospect.roles, prospect.products, prospect.stage, count)


def pack_job(settings: Settings, catalog: Catalog, prospect: Prospect, cases: list[Item], day: date) -> Job:
    channel = settings.channels["pack"]
    stories, files = [], []
    for case in cases:
        data, shown = case_data(settings, catalog, case)
        url = page_url(settings, case)
        if url:
            data["url"] = tagged(url, channel, case.kind, case.slug, content=prospect.rep, term=prospect.name)
            data["qr"] = QrCode(data["url"], settings.cache_dir / "qr")
        stories.append(data)
        files += shown
    words = settings.locale
    summary = ("One company like yours, in their own numbers and approved by them." if len(cases) == 1 else
               "{count} companies like yours, in their own numbers and approved by them.")
    pack = {"title": words.fill("pdf", "Customer stories for {name}", name=prospect.name), "prospect": prospect.name, "rep": prospect.rep,
            "date": settings.locale.date(day), "cases": stories,
            "summary": words.fill("pdf", summary, count=len(cases))}
    return Job("pack.pdf", "pack.typ", {"brand": brand_data(settings), "pack": pack}, tuple(files), day=day)


def proof_job(settings: Settings, catalog: Catalog, case: Item, fingerprint: str, changes: str, since: Since | None) -> Job:
    """The one-pager marked for approval; with the approved version found, a last page
    sets each changed value beside the approved one."""
    data, shown = case_data(settings, catalog, case)
    details = [{"field": c.field, "approved": c.approved, "now": c.now} for c in since.changes] if since else []
    approved = case.meta.approval.approved_on
    proof = {"fingerprint": fingerprint, "changes": changes, "details": details,
             "approved": f"{settings.locale.date(approved)} (commit {since.commit[:10]})" if since and since.commit and approved else None}
    return Job(f"{case.slug}-proof.pdf", "case.typ", {"brand": brand_data(settings), "case": data, "proof": proof},
               shown, day=case.meta.date)
