"""Share links: a reader passes a case or white paper on through a configured channel,
and the link they pass carries that channel's campaign parameters."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from ..content.model import Item
from ..content.settings import Settings
from .links import tagged
from .urls import page_url

# Share intents: each network's documented address for "share this URL".
INTENTS = {
    "linkedin": ("https://www.linkedin.com/sharing/share-offsite/", lambda url, text: {"url": url}),
    "x": ("https://x.com/intent/post", lambda url, text: {"text": text, "url": url}),
    "facebook": ("https://www.facebook.com/sharer/sharer.php", lambda url, text: {"u": url}),
}
LABELS = {"linkedin": "LinkedIn", "x": "X", "facebook": "Facebook", "wechat": "WeChat", "email": "E-mail"}


@dataclass(frozen=True)
class ShareLink:
    channel: str
    network: str
    label: str
    href: str  # the share intent, a mailto: link, or (WeChat) the tagged page address for a QR code


def share_links(settings: Settings, item: Item) -> list[ShareLink]:
    """One link per channel with a network, in mkdocs.yml order; none without site_url."""
    if not settings.site_url:
        return []
    links = []
    for name, channel in settings.channels.items():
        if not channel.network:
            continue
        url = tagged(page_url(settings, item), channel, item.kind, item.slug)
        title = item.meta.title
        if channel.network in INTENTS:
            base, params = INTENTS[channel.network]
            href = f"{base}?{urlencode(params(url, title))}"
        elif channel.network == "email":
            href = "mailto:?" + urlencode({"subject": title, "body": f"{item.meta.summary}\n\n{url}"}, quote_via=_quote)
        else:
            href = url
        links.append(ShareLink(name, channel.network, LABELS[channel.network], href))
    return links


def _quote(text: str, safe: str = "", encoding: str | None = None, errors: str | None = None) -> str:
    """mailto: wants %20 for spaces, not '+', or mail apps show the pluses."""
    return quote(text, safe="", encoding=encoding, errors=errors)
