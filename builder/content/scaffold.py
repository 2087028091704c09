"""`casebook new`: a commented starting file that passes validation as written, and the
check that none of its sample text goes live once someone approves the item."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Iterator

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError

from ..core.problems import Problem
from ..core.source import SourceError, parse_yaml
from .model import KIND_DIRS, KINDS, SLUG, Item
from .settings import Settings


def new_file(settings: Settings, kind: str, slug: str, today: date) -> Path:
    """Write <kind dir>/<slug>.md; never overwrites an existing file."""
    if not SLUG.match(slug):
        raise ValueError(f"'{slug}' is not a valid slug: use lowercase letters, digits and '-' (it becomes the page URL)")
    target = settings.root / KIND_DIRS[kind] / f"{slug}.md"
    if target.exists():
        raise ValueError(f"{target.relative_to(settings.root)} already exists; choose another slug")
    text = _starting_file(settings, kind, slug, today)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as out:
        out.write(text)
    return target


def _starting_file(settings: Settings, kind: str, slug: str, today: date) -> str:
    env = Environment(loader=FileSystemLoader(settings.templates_dir / "new"), undefined=StrictUndefined,
                      keep_trailing_newline=True, autoescape=False)
    return env.get_template(f"{kind}.md").render(
        slug=slug, today=today.isoformat(), taxonomy=settings.taxonomy,
        first={facet: next(iter(settings.taxonomy.terms(facet))) for facet in ("industries", "sizes", "roles", "stages")},
    )


def placeholder_problems(settings: Settings, items: list[Item]) -> list[Problem]:
    """An approved case, or a published paper or kit, that still holds the starting file's
    sample text would publish it: each such field (or body line) is a located error."""
    samples = _samples(settings)
    problems = []
    for item in items:
        live = item.meta.approval.status == "approved" if item.kind == "case" else item.meta.status == "published"
        fields, lines = samples.get(item.kind, (frozenset(), ()))
        if not live:
            continue
        found = [(item.line_of(loc), _dotted(loc), text) for loc, text in _shown_fields(item) if _normal(text) in fields]
        found += [(item.body_line + n, "body", row.strip()) for line in lines if line in item.body
                  for n, row in enumerate(item.body.split("\n")) if row.strip() == line]
        problems += [Problem(item.path, line, "error", f"{where}: still the sample text of `casebook new` ('{text[:60]}')",
                             "write the real text: this item is approved or published, so it would go live as it is")
                     for line, where, text in found]
    return problems


def _shown_fields(item: Item) -> list[tuple[tuple, str]]:
    """The front matter texts a starting file fills in with samples."""
    meta = item.meta
    found = [(("title",), meta.title), (("summary",), meta.summary)]
    if item.kind == "case":
        found.append((("customer", "name"), meta.customer.name))
        found += [(("results", n, key), str(getattr(r, key))) for n, r in enumerate(meta.results)
                  for key in ("metric", "value", "before", "after") if getattr(r, key)]
        if meta.quote:
            found += [(("quote", key), getattr(meta.quote, key)) for key in ("text", "author", "title") if getattr(meta.quote, key)]
    if item.kind == "whitepaper":
        found += [(("authors", n), name) for n, name in enumerate(meta.authors)]
    return found


_SAMPLES: dict[tuple, dict[str, tuple[frozenset[str], tuple[str, ...]]]] = {}  # starting files' stamps -> samples, for `serve`


def _samples(settings: Settings) -> dict[str, tuple[frozenset[str], tuple[str, ...]]]:
    """Per kind, the starting file's sample texts (normalised values, and body lines as
    written): two words or more and at least 9 characters ('6 weeks' could be anyone's;
    'Example Co' is ours)."""
    folder = settings.templates_dir / "new"
    stamp = (str(folder), settings.taxonomy.model_dump_json(),
             *((p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.md")) if folder.is_dir()))
    if stamp not in _SAMPLES:
        _SAMPLES.clear()
        _SAMPLES[stamp] = _read_samples(settings)
    return _SAMPLES[stamp]


def _read_samples(settings: Settings) -> dict[str, tuple[frozenset[str], tuple[str, ...]]]:
    found = {}
    for kind in KINDS:
        try:
            text = _starting_file(settings, kind, "sample", date(2000, 1, 1))
            _, front, body = text.split("---\n", 2)
            data, _ = parse_yaml(front)
        except (TemplateError, OSError, ValueError, SourceError):
            continue  # a project without (or with broken) starting files has no samples to find
        values = frozenset(t for t in (_normal(value) for _, value in _leaves(data, ())) if _distinct(t))
        lines = tuple(row.strip() for row in body.split("\n") if _distinct(row.strip()) and not row.lstrip().startswith("#"))
        found[kind] = (values, lines)
    return found


def _leaves(value: Any, loc: tuple) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _leaves(child, (*loc, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _leaves(child, (*loc, index))
    elif isinstance(value, str):
        yield loc, value


def _distinct(text: str) -> bool:
    return len(text) >= 9 and " " in text


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def _dotted(loc: tuple) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc).lstrip(".")
