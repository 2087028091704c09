"""`casebook new`: a commented starting file that passes validation as written."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from .model import KIND_DIRS, SLUG
from .settings import Settings


def new_file(settings: Settings, kind: str, slug: str, today: date) -> Path:
    """Write <kind dir>/<slug>.md; never overwrites an existing file."""
    if not SLUG.match(slug):
        raise ValueError(f"'{slug}' is not a valid slug: use lowercase letters, digits and '-' (it becomes the page URL)")
    target = settings.root / KIND_DIRS[kind] / f"{slug}.md"
    if target.exists():
        raise ValueError(f"{target.relative_to(settings.root)} already exists; choose another slug")
    env = Environment(loader=FileSystemLoader(settings.templates_dir / "new"), undefined=StrictUndefined,
                      keep_trailing_newline=True, autoescape=False)
    text = env.get_template(f"{kind}.md").render(
        slug=slug, today=today.isoformat(), taxonomy=settings.taxonomy,
        first={facet: next(iter(settings.taxonomy.terms(facet))) for facet in ("industries", "sizes", "roles", "stages")},
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as out:
        out.write(text)
    return target
