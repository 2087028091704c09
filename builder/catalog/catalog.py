"""The catalog: what is public on a given day, grouped into market segments.

Everything downstream (pages, feeds, collateral) reads only the catalog, so the
public filter lives in exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from ..content.load import Library
from ..content.model import FACETS, Item
from ..content.settings import Taxonomy
from ..core.problems import Problem
from .related import related_cases


def is_public(item: Item, as_of: date) -> bool:
    """The contract's public filter, evaluated for build day as_of."""
    meta = item.meta
    if meta.publish_on is not None and meta.publish_on > as_of:
        return False
    if item.kind == "case":
        approval = meta.approval
        return (approval.status == "approved" and (approval.expires_on is None or approval.expires_on > as_of)
                and not item.unapproved)
    return meta.status == "published"


def facet_keys(item: Item, facet: str, taxonomy: Taxonomy) -> tuple[str, ...]:
    """The segment keys an item belongs to; an item silent on a facet speaks to all of it."""
    meta = item.meta
    everyone = tuple(taxonomy.terms(facet))
    if item.kind == "case":
        value = {"industries": meta.customer.industry, "sizes": meta.customer.size,
                 "roles": None, "stages": meta.stage}[facet]
        return tuple(meta.roles) if facet == "roles" else ((value,) if value else ())
    if facet == "industries":
        keys = meta.industries if item.kind == "whitepaper" else [meta.industry]
        return everyone if "all" in keys else tuple(keys)
    if facet == "roles":
        return tuple(meta.roles)
    if facet == "sizes" and item.kind == "kit" and meta.sizes:
        return tuple(meta.sizes)
    return everyone


@dataclass(frozen=True)
class Segment:
    facet: str
    key: str
    label: str
    intro: str
    cases: list[Item]
    whitepapers: list[Item]
    kits: list[Item]


@dataclass
class Catalog:
    as_of: date
    taxonomy: Taxonomy
    cases: list[Item]
    whitepapers: list[Item]
    kits: list[Item]
    kit_cases: dict[str, list[Item]]
    kit_whitepapers: dict[str, list[Item]]
    segments: dict[str, list[Segment]]
    problems: list[Problem] = field(default_factory=list)

    @cached_property
    def related(self) -> dict[str, list[Item]]:
        """Related cases ("companies like yours"), worked out when pages first ask: `validate` never does."""
        return related_cases(self.cases)

    def segment(self, facet: str, key: str) -> Segment:
        return next(s for s in self.segments[facet] if s.key == key)


def item_day(catalog: Catalog, item: Item) -> date:
    """How new an item is: its date; a kit is as new as its newest part."""
    if item.kind != "kit":
        return item.meta.date
    members = [*catalog.kit_cases[item.slug], *catalog.kit_whitepapers[item.slug]]
    return max([m.meta.date for m in members] + ([item.meta.date] if item.meta.date else []), default=date(2000, 1, 1))


def _newest_first(items: list[Item]) -> list[Item]:
    dated = sorted(items, key=lambda item: item.slug)
    return sorted(dated, key=lambda item: item.meta.date or date.min, reverse=True)


def build_catalog(library: Library, taxonomy: Taxonomy, as_of: date) -> Catalog:
    public = {kind: {slug: item for slug, item in items.items() if is_public(item, as_of)}
              for kind, items in library.items.items()}
    cases = _newest_first(list(public["case"].values()))
    whitepapers = _newest_first(list(public["whitepaper"].values()))
    kits = _newest_first(list(public["kit"].values()))
    problems: list[Problem] = []
    kit_cases: dict[str, list[Item]] = {}
    kit_whitepapers: dict[str, list[Item]] = {}
    by_industry: dict[str, list[Item]] = {}  # kits mostly select by industry: each scans only its own
    for case in cases:
        by_industry.setdefault(case.meta.customer.industry, []).append(case)
    for kit in kits:
        select = kit.meta.select
        candidates = by_industry.get(select.industry, []) if select and select.industry else cases
        kit_cases[kit.slug], kit_whitepapers[kit.slug], found = _resolve_kit(kit, public, library, candidates, as_of)
        problems += found
    problems += [
        Problem(case.path, case.line_of(("featured",)), "warning", "featured case has no customer.logo",
                "the logo wall shows the customer's name as text; add a logo file")
        for case in cases if case.meta.featured and not case.meta.customer.logo
    ]
    segments = {facet: _segments(facet, taxonomy, (cases, whitepapers, kits)) for facet in FACETS}
    return Catalog(as_of, taxonomy, cases, whitepapers, kits, kit_cases, kit_whitepapers, segments, problems)


def _segments(facet: str, taxonomy: Taxonomy, groups: tuple[list[Item], ...]) -> list[Segment]:
    """One pass over the items per facet, each filed under every key it belongs to, in order."""
    members: dict[str, tuple[list[Item], ...]] = {key: tuple([] for _ in groups) for key in taxonomy.terms(facet)}
    for index, items in enumerate(groups):
        for item in items:
            for key in facet_keys(item, facet, taxonomy):
                if key in members:
                    members[key][index].append(item)
    return [Segment(facet, key, term.label, term.intro, *members[key]) for key, term in taxonomy.terms(facet).items()]


def _resolve_kit(kit: Item, public: dict[str, dict[str, Item]], library: Library, cases: list[Item],
                 as_of: date) -> tuple[list[Item], list[Item], list[Problem]]:
    """A kit's public members: listed cases, then cases (of those given, newest first) its select filter picks."""
    meta = kit.meta
    problems = [
        Problem(kit.path, kit.line_of((field_name,)), "warning",
                f"{field_name}: '{slug}' is not public on {as_of.isoformat()}; it is left out of this kit's public outputs",
                "publish it, or remove it from the kit")
        for field_name, kind in (("cases", "case"), ("whitepapers", "whitepaper"))
        for slug in getattr(meta, field_name)
        if slug in library.items[kind] and slug not in public[kind]
    ]
    chosen = [public["case"][slug] for slug in dict.fromkeys(meta.cases) if slug in public["case"]]
    if meta.select is not None:
        listed = {item.slug for item in chosen}
        chosen += [case for case in cases if case.slug not in listed and _selects(meta.select, case)]
    papers = [public["whitepaper"][slug] for slug in dict.fromkeys(meta.whitepapers) if slug in public["whitepaper"]]
    if not chosen and not papers:
        problems.append(Problem(kit.path, kit.line_of(("select",) if meta.select else ("cases",)), "warning",
                                f"the kit includes no public case or white paper on {as_of.isoformat()}",
                                "widen its select filter or list cases; it is published with its intro only"))
    return chosen, papers, problems


def _selects(select, case: Item) -> bool:
    meta = case.meta
    return all((
        select.industry in (None, meta.customer.industry),
        select.size in (None, meta.customer.size),
        select.role is None or select.role in meta.roles,
        select.stage in (None, meta.stage),
    ))
