"""Related cases ("companies like yours") by weighted facet similarity.

Cases are indexed by (industry, size, stage), and within that by their roles
and products (their "signature": all cases sharing one score alike against any
other case, so only the first k+1 of each signature can make a top k). Buckets
are visited best-first by the score their facets guarantee, and the search stops
once no unvisited bucket can beat the current k-th best case. The work per case
depends on how many facet combinations exist, not on how many cases there are.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from ..content.memo import Memo
from ..content.model import Item

WEIGHTS = {"industry": 4, "size": 2, "stage": 1, "role": 1, "product": 1}
Key = tuple[str, str, str | None]


def _key(case: Item) -> Key:
    customer = case.meta.customer
    return customer.industry, customer.size, case.meta.stage


def _base(a: Key, b: Key) -> int:
    return (WEIGHTS["industry"] * (a[0] == b[0]) + WEIGHTS["size"] * (a[1] == b[1])
            + WEIGHTS["stage"] * (a[2] is not None and a[2] == b[2]))


def _tie(case: Item) -> tuple[int, str]:
    """Newer cases first, then by slug: deterministic whatever the file order."""
    return -(case.meta.date or date.min).toordinal(), case.slug


Signature = tuple[frozenset[str], frozenset[str]]
Index = dict[Key, dict[Signature, list[Item]]]


_RANKED = Memo()  # the ranking by slug, while no case's facets change: `serve` after an edit


def related_cases(cases: list[Item], k: int = 3) -> dict[str, list[Item]]:
    """The k most similar cases of each case. Only facets, dates and slugs rank, so an
    edit to anything else reuses the last ranking (with the current items)."""
    facets = tuple((_key(case), _tie(case), _signature(case)) for case in cases)
    ranked = _RANKED.get("related", (k, facets), lambda: _rank(cases, k))
    by_slug = {case.slug: case for case in cases}
    return {slug: [by_slug[other] for other in others] for slug, others in ranked.items()}


def closest_to(cases: list[Item], industry: str | None, size: str | None, roles: tuple[str, ...],
               products: tuple[str, ...], stage: str | None, count: int) -> list[Item]:
    """The `count` cases most like a prospect: the ranking of related cases, for a case
    that has the prospect's facets (a facet left out matches nothing)."""
    probe = _Probe((industry or "", size or "", stage), frozenset(roles), frozenset(products), None)
    return _top(probe, _index(cases, count), count)


def _signature(case: Item) -> Signature:
    return frozenset(case.meta.roles), frozenset(case.meta.products)


@dataclass(frozen=True)
class _Probe:
    """What the ranking compares others against: a case's facets, or a prospect's."""

    key: Key
    roles: frozenset[str]
    products: frozenset[str]
    slug: str | None  # the case itself, never its own match


def _index(cases: list[Item], k: int) -> Index:
    index: Index = defaultdict(lambda: defaultdict(list))
    for case in sorted(cases, key=_tie):
        group = index[_key(case)][_signature(case)]
        if len(group) <= k:  # k others, plus the case itself
            group.append(case)
    return index


def _rank(cases: list[Item], k: int) -> dict[str, list[str]]:
    index = _index(cases, k)
    probes = {case.slug: _Probe(_key(case), *_signature(case), case.slug) for case in cases}
    return {slug: [other.slug for other in _top(probe, index, k)] for slug, probe in probes.items()}


@dataclass(frozen=True)
class _Entry:
    """Heap entry ordered worse-first: lower score, then later in tie order."""

    score: int
    tie: tuple[int, str]
    case: Item = field(compare=False)

    def __lt__(self, other: "_Entry") -> bool:
        return (self.score, other.tie) < (other.score, self.tie)


def _top(probe: _Probe, index: Index, k: int) -> list[Item]:
    key, roles, products = probe.key, probe.roles, probe.products
    headroom = WEIGHTS["role"] * len(roles) + WEIGHTS["product"] * len(products)
    order = sorted(index, key=lambda other: (-_base(key, other), other[0], other[1], other[2] or ""))
    kept: list[_Entry] = []  # min-heap: kept[0] is the worst of the k best so far
    for other in order:
        base = _base(key, other)
        if len(kept) == k and base + headroom < kept[0].score:
            break
        for (their_roles, their_products), group in index[other].items():
            score = (base + WEIGHTS["role"] * len(roles & their_roles)
                     + WEIGHTS["product"] * len(products & their_products))
            for candidate in group:
                if candidate.slug == probe.slug:
                    continue
                entry = _Entry(score, _tie(candidate), candidate)
                if len(kept) < k:
                    heapq.heappush(kept, entry)
                elif kept[0] < entry:
                    heapq.heapreplace(kept, entry)
                else:
                    break  # the group is in tie order: the rest rank lower still
    return [entry.case for entry in sorted(kept, reverse=True)]
