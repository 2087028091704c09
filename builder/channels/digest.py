"""The newsletter digest: new public items since a day, for one segment or everyone, as an
HTML e-mail fragment whose links carry the `newsletter` channel's parameters."""

from __future__ import annotations

import re
from datetime import date

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from ..catalog.catalog import Catalog, facet_keys, item_day
from ..content.model import KIND_NAMES, Item
from ..content.settings import Settings
from .links import tagged
from .urls import page_url

ACTIONS = {"case": "Read the story", "whitepaper": "Read the paper", "kit": "Get the kit"}



def digest_items(catalog: Catalog, since: date, industry: str | None, role: str | None) -> list[Item]:
    """Public items dated on or after `since` that speak to the segment, newest first."""
    taxonomy = catalog.taxonomy
    chosen = [item for item in [*catalog.cases, *catalog.whitepapers, *catalog.kits]
              if item_day(catalog, item) >= since
              and (industry is None or industry in facet_keys(item, "industries", taxonomy))
              and (role is None or role in facet_keys(item, "roles", taxonomy))]
    return sorted(chosen, key=lambda item: (item_day(catalog, item), item.kind == "case"), reverse=True)


def digest(settings: Settings, catalog: Catalog, since: date, industry: str | None = None, role: str | None = None) -> str:
    channel = settings.channels["newsletter"]
    words = settings.locale
    label = catalog.taxonomy.label
    entries = []
    for item in digest_items(catalog, since, industry, role):
        metric = None
        if item.kind == "case":
            first = item.meta.results[0]
            metric = {"value": first.value, "label": f"{first.metric} · {item.meta.customer.name}"}
        entries.append({"eyebrow": words.gettext(KIND_NAMES[item.kind]), "title": item.meta.title, "summary": item.meta.summary,
                        "metric": metric, "action": words.gettext(ACTIONS[item.kind]),
                        "link": tagged(page_url(settings, item), channel, item.kind, item.slug)})
    audience = " · ".join(filter(None, [label("industries", industry) if industry else None,
                                        label("roles", role) if role else None])) or words.gettext("All industries")
    env = Environment(loader=FileSystemLoader(settings.templates_dir / "email"), undefined=StrictUndefined, extensions=["jinja2.ext.i18n"],
                      autoescape=select_autoescape(default=True, default_for_string=True), trim_blocks=True, lstrip_blocks=True)
    env.install_gettext_callables(words.gettext, words.ngettext, newstyle=True)
    brand = settings.brand
    return env.get_template("digest.html.j2").render(
        entries=entries, since=words.date(since), audience=audience, brand_name=brand.name or settings.site_name,
        heading=words.gettext("New since {day}").replace("{day}", words.date(since) or ""), colors=brand.colors,
        font=re.sub(r"[^A-Za-z0-9 -]", "", brand.fonts.body))
