"""Campaign-tagged links: the one place that adds query parameters to a URL, so every
channel's links carry exactly that channel's parameters."""

from __future__ import annotations

from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

from ..content.settings import Channel


def absolute(site_url: str, path: str) -> str:
    """A page path (e.g. 'cases/acme/') on the published site."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    return urljoin(base, path)


def tagged(url: str, channel: Channel, kind: str, slug: str, content: str = "", term: str = "") -> str:
    """url with the channel's utm parameters (and utm_content, utm_term when given: a
    prospect pack's rep and prospect). Other parameters are kept exactly as written (a
    bare `?flag` stays bare), every old utm_* parameter goes, the fragment stays, and the
    parameters keep a stable order for reproducible output."""
    parts = urlsplit(url)
    kept = [part for part in parts.query.split("&") if part and not part.split("=", 1)[0].startswith("utm_")]
    campaign = channel.utm_campaign.format(kind=kind, slug=slug)
    utm = urlencode([("utm_source", channel.utm_source), ("utm_medium", channel.utm_medium), ("utm_campaign", campaign),
                     *((("utm_content", content),) if content else ()), *((("utm_term", term),) if term else ())])
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "&".join([*kept, utm]), parts.fragment))


def display(url: str) -> str:
    """How a printed link reads: host and path, without scheme or campaign parameters."""
    parts = urlsplit(url)
    return (parts.netloc + parts.path).rstrip("/") + ("/" if parts.path.endswith("/") else "")
