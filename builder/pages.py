"""Generated pages: the catalog rendered through Jinja2 templates into Markdown files.

Each page is Markdown with YAML meta and HTML blocks, so any engine that builds
`mkdocs.yml` projects can render it. Text from content is HTML-escaped by Jinja's
autoescape; bodies arrive already sanitised (see body.py).
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from markupsafe import Markup, escape

from .catalog import Catalog, facet_keys
from .config import Settings
from .model import ASSETS_DIR, FACET_PARAM, FACETS, KIND_DIRS, MEDIA_DIR, Item, is_remote

# Generated pages that belong in the site navigation; all others stay out of it,
# since MkDocs renders the whole nav into every page.
NAV_PAGES = ("index.md", "cases/index.md", "whitepapers/index.md", "kits/index.md",
             *(f"{facet}/index.md" for facet in FACETS))
FACET_TITLES = {"industries": "Industries", "sizes": "Company sizes", "roles": "Roles", "stages": "Growth stages"}


@dataclass(frozen=True)
class Urls:
    """Page-relative links between generated pages, for directory or file URLs."""

    use_directory_urls: bool

    def page(self, src: str) -> str:
        if not src.endswith(".md"):
            return src
        stem = src[:-3]
        if stem == "index" or stem.endswith("/index"):
            return stem[:-5] if self.use_directory_urls else stem + ".html"
        return stem + "/" if self.use_directory_urls else stem + ".html"

    def relative(self, from_src: str, to_src: str) -> str:
        current, target = self.page(from_src), self.page(to_src)
        here = current if current.endswith("/") or not current else posixpath.dirname(current)
        rel = posixpath.relpath(target or ".", here or ".")
        if target.endswith("/") or not target:
            return "./" if rel == "." else rel + "/"
        return rel


def body_on_page(item: Item) -> bool:
    """A gated white paper's body is the download's reward, so its page shows only the outline."""
    return not (item.kind == "whitepaper" and item.meta.gated)


def item_src(item: Item) -> str:
    return f"{KIND_DIRS[item.kind]}/{item.slug}.md"


def segment_src(facet: str, key: str) -> str:
    return f"{facet}/{key}.md"


def render_pages(settings: Settings, catalog: Catalog, staged_media: dict[str, str]) -> dict[str, str]:
    """Every generated page as {staging path: Markdown text}."""
    env = _environment(settings, catalog, staged_media)
    pages: dict[str, tuple[str, dict[str, Any]]] = {
        "index.md": ("home.md.j2", {}),
        "cases/index.md": ("library.md.j2", {}),
        "whitepapers/index.md": ("whitepapers.md.j2", {}),
        "kits/index.md": ("kits.md.j2", {}),
    }
    for case in catalog.cases:
        pages[item_src(case)] = ("case.md.j2", {"item": case, "related": catalog.related[case.slug]})
    for paper in catalog.whitepapers:
        pages[item_src(paper)] = ("whitepaper.md.j2", {"item": paper})
    for kit in catalog.kits:
        pages[item_src(kit)] = ("kit.md.j2", {"item": kit, "cases": catalog.kit_cases[kit.slug],
                                              "papers": catalog.kit_whitepapers[kit.slug]})
    for facet, segments in catalog.segments.items():
        pages[f"{facet}/index.md"] = ("facet.md.j2", {"facet": facet, "segments": segments})
        for segment in segments:
            pages[segment_src(facet, segment.key)] = ("hub.md.j2", {"segment": segment, "segments": segments})
    return {src: env.get_template(name).render(src=src, **values) for src, (name, values) in pages.items()}


def _environment(settings: Settings, catalog: Catalog, staged_media: dict[str, str]) -> Environment:
    env = Environment(
        loader=FileSystemLoader(settings.templates_dir / "pages"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    urls = Urls(settings.use_directory_urls)
    taxonomy = catalog.taxonomy

    def url(context_src: str, target: str) -> str:
        return urls.relative(context_src, target)

    def media(context_src: str, item: Item, ref: str | None) -> str | None:
        """URL of an image a content file names (logo, cover), relative to the page."""
        if not ref:
            return None
        if is_remote(ref):
            return None  # never hot-linked: the loader warned about it
        name = staged_media.get(f"{item.path}::{ref}")
        return url(context_src, f"{MEDIA_DIR}/{name}") if name else None

    env.globals.update(
        site_name=settings.site_name,
        positioning=settings.positioning,
        cta=settings.cta,
        catalog=catalog,
        taxonomy=taxonomy,
        facets=FACETS,
        facet_param=FACET_PARAM,
        facet_titles=FACET_TITLES,
        assets_dir=ASSETS_DIR,
        item_src=item_src,
        segment_src=segment_src,
    )
    env.filters.update(
        meta=_meta_string,
        longdate=lambda value: f"{value.day} {value:%B %Y}" if value else "",
        label=lambda key, facet: taxonomy.label(facet, key),
        facet_keys=lambda item, facet: facet_keys(item, facet, taxonomy),
        safe_html=lambda item: Markup(item.rendered.html),
        body_on_page=body_on_page,
    )
    env.globals["url"] = _contextual(url)
    env.globals["media"] = _contextual(media)
    return env


def _contextual(function):
    """Pass the current page's path as the first argument, so links stay relative."""

    @pass_context
    def wrapper(context, *args):
        return function(context["src"], *args)

    return wrapper


def _meta_string(value: str) -> Markup:
    """A YAML-safe, HTML-escaped string for page meta: MkDocs themes print meta unescaped."""
    return Markup(json.dumps(str(escape(" ".join(str(value).split()))), ensure_ascii=False))

