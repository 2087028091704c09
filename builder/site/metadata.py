"""schema.org JSON-LD for case and white paper pages: search engines show a case as an
Article about the customer (an Organization), published by the brand."""

from __future__ import annotations

import json

from ..catalog.catalog import Catalog, item_day
from ..channels.links import absolute
from ..channels.urls import brand_logo_path
from ..content.model import Item
from ..content.settings import Settings

# Characters that could end a <script> element or start markup, written as JSON escapes.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def article(settings: Settings, catalog: Catalog, item: Item, url: str, image: str | None) -> str:
    """JSON text, safe to print inside <script type="application/ld+json"> as it is; `url` is the
    item's page and `image` its social card in the site."""
    meta = item.meta
    brand = settings.brand.name or settings.site_name
    publisher = {"@type": "Organization", "name": brand, "url": absolute(settings.site_url, "")}
    logo = brand_logo_path(settings)
    if logo:
        publisher["logo"] = absolute(settings.site_url, logo)
    data = {"@context": "https://schema.org", "@type": "Article", "headline": meta.title, "description": meta.summary,
            "datePublished": item_day(catalog, item).isoformat(), "url": url, "mainEntityOfPage": url,
            "publisher": publisher}
    if image:
        data["image"] = absolute(settings.site_url, image)
    if item.kind == "case":
        customer = {"@type": "Organization", "name": meta.customer.name}
        if meta.customer.website:
            customer["url"] = meta.customer.website
        data["about"] = customer
        data["author"] = publisher
        if meta.quote:
            data["citation"] = {"@type": "Quotation", "text": meta.quote.text,
                                "spokenByCharacter": {"@type": "Person", "name": meta.quote.author}}
    else:
        data["author"] = [{"@type": "Person", "name": name} for name in meta.authors]
    return json_text(data)


def json_text(data: object, indent: int | None = None) -> str:
    """JSON whose text holds no '<', '>' or '&': safe inside <script>, and inert if some
    reader of a feed pastes its strings into HTML. The decoded values are unchanged."""
    separators = (",", ": ") if indent else (",", ":")
    return json.dumps(data, ensure_ascii=False, indent=indent, separators=separators).translate(_SCRIPT_SAFE)
