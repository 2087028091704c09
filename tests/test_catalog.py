"""The public filter, segments and related cases, on the library's own data types."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from builder.catalog.catalog import build_catalog, is_public
from builder.content.settings import load_settings
from builder.content.load import Loader, Library
from builder.content.model import Approval, Case, Customer, Item, Result
from builder.catalog.related import WEIGHTS, related_cases
from conftest import REPO

INDUSTRIES = ["retail", "manufacturing", "healthcare", "logistics"]
SIZES = ["startup", "smb", "midmarket", "enterprise"]
ROLES = ["decision-maker", "administrator", "business-user"]
STAGES = [None, "cold-start", "accelerating", "steady"]
PRODUCTS = ["Flow", "Insight", "Connect", "Assist", "Guard"]


def make_case(slug: str, rng: random.Random, **approval) -> Item:
    meta = Case(
        title=slug, summary=slug, date=date(2024, 1, 1) + timedelta(days=rng.randrange(600)),
        customer=Customer(name=slug, industry=rng.choice(INDUSTRIES), size=rng.choice(SIZES)),
        roles=rng.sample(ROLES, rng.randint(1, 3)), stage=rng.choice(STAGES),
        products=rng.sample(PRODUCTS, rng.randint(0, 3)), results=[Result(metric="m", value="1")],
        approval=Approval(**({"status": "approved", "approved_by": "x", "approved_on": date(2024, 1, 1)} | approval)),
    )
    return Item(kind="case", slug=slug, path=f"cases/{slug}.md", meta=meta, body="", body_line=1)


def brute_force(cases: list[Item], k: int = 3) -> dict[str, list[str]]:
    """Score every pair: the reference the indexed search must equal."""
    def score(a: Case, b: Case) -> int:
        return (WEIGHTS["industry"] * (a.customer.industry == b.customer.industry)
                + WEIGHTS["size"] * (a.customer.size == b.customer.size)
                + WEIGHTS["stage"] * (a.stage is not None and a.stage == b.stage)
                + WEIGHTS["role"] * len(set(a.roles) & set(b.roles))
                + WEIGHTS["product"] * len(set(a.products) & set(b.products)))
    return {
        case.slug: [o.slug for o in sorted((o for o in cases if o.slug != case.slug),
                                           key=lambda o: (-score(case.meta, o.meta), -o.meta.date.toordinal(), o.slug))[:k]]
        for case in cases
    }


def test_related_equals_brute_force_and_ignores_input_order() -> None:
    rng = random.Random(7)
    cases = [make_case(f"case-{n:04d}", rng) for n in range(400)]
    expected = brute_force(cases)
    got = {slug: [c.slug for c in related] for slug, related in related_cases(cases).items()}
    assert got == expected
    rng.shuffle(cases)
    assert {slug: [c.slug for c in r] for slug, r in related_cases(cases).items()} == expected


def test_related_after_edits_as_serve_makes_them() -> None:
    """`serve` ranks again only when facets change; either way the lists hold the current items."""
    rng = random.Random(11)
    cases = [make_case(f"case-{n:04d}", rng) for n in range(200)]
    shown_slug = related_cases(cases)[cases[0].slug][0].slug
    index = next(n for n, case in enumerate(cases) if case.slug == shown_slug)
    retitled = replace(cases[index], meta=cases[index].meta.model_copy(update={"title": "Retitled"}))
    cases[index] = retitled
    shown = [r for related in related_cases(cases).values() for r in related if r.slug == retitled.slug]
    assert shown and all(r is retitled for r in shown)
    for index, update in ((7, {"roles": ["administrator"]}), (9, {"date": date(2026, 1, 1)}),
                          (11, {"customer": cases[11].meta.customer.model_copy(update={"industry": "retail"})})):
        cases[index] = replace(cases[index], meta=cases[index].meta.model_copy(update=update))
        assert {slug: [c.slug for c in r] for slug, r in related_cases(cases).items()} == brute_force(cases)


def test_related_cases_in_a_tiny_library() -> None:
    rng = random.Random(1)
    cases = [make_case("only", rng), make_case("other", rng)]
    related = related_cases(cases)
    assert [c.slug for c in related["only"]] == ["other"] and [c.slug for c in related["other"]] == ["only"]


def test_public_filter_boundaries() -> None:
    rng = random.Random(3)
    day = date(2026, 6, 1)
    assert is_public(make_case("plain", rng), day)
    assert not is_public(make_case("draft", rng, status="draft", approved_by=None, approved_on=None), day)
    assert not is_public(make_case("review", rng, status="in_review", approved_by=None, approved_on=None), day)
    assert not is_public(make_case("gone", rng, status="withdrawn"), day)
    assert not is_public(make_case("expires-today", rng, expires_on=day), day)
    assert is_public(make_case("expires-tomorrow", rng, expires_on=day + timedelta(days=1)), day)
    embargoed = make_case("embargo", rng)
    embargoed = Item(**{**embargoed.__dict__, "meta": embargoed.meta.model_copy(update={"publish_on": day})})
    assert is_public(embargoed, day) and not is_public(embargoed, day - timedelta(days=1))


def test_example_catalog_excludes_hidden_cases_everywhere() -> None:
    settings, problems = load_settings(REPO / "mkdocs.yml")
    assert settings is not None and not problems
    library = Loader().load(settings)
    catalog = build_catalog(library, settings.taxonomy, date(2026, 11, 23))
    public = {c.slug for c in catalog.cases}
    hidden = set(library.items["case"]) - public
    assert len(hidden) == 4
    assert all({r.slug for r in related} <= public for related in catalog.related.values())
    for segments in catalog.segments.values():
        assert all({c.slug for c in s.cases} <= public for s in segments)
    assert all({c.slug for c in members} <= public for members in catalog.kit_cases.values())
    assert sum(len(s.cases) for s in catalog.segments["industries"]) == len(public)


def test_kit_naming_a_hidden_case_warns_and_leaves_it_out(tmp_path: Path) -> None:
    settings, _ = load_settings(REPO / "mkdocs.yml")
    library = Loader().load(settings)
    kit = library.items["kit"]["retail-operations-starter-kit"]
    hidden_slug = "marlowe-ridge-dairy-demand-forecasting"
    meta = kit.meta.model_copy(update={"cases": [*kit.meta.cases, hidden_slug]})
    library.items["kit"][kit.slug] = Item(**{**kit.__dict__, "meta": meta})
    catalog = build_catalog(Library(items=library.items), settings.taxonomy, date(2026, 11, 23))
    assert hidden_slug not in {c.slug for c in catalog.kit_cases[kit.slug]}
    assert any(p.path == kit.path and f"'{hidden_slug}' is not public on 2026-11-23" in p.message for p in catalog.problems)
