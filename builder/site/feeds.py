"""Atom and JSON Feed 1.1 feeds of public items: one for everything, one per industry and
per role, so a buyer (or a partner's newsletter tool) follows exactly their segment.

Feeds read only the catalog, so they list public items only. Dates are the items' own,
so the same content gives byte-identical feeds on any build day.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from urllib.parse import urlsplit

from feedgen.feed import FeedGenerator

from ..catalog.catalog import Catalog, facet_keys, item_day
from ..channels.links import absolute, tagged
from ..channels.urls import Urls, card_path, page_url, segment_src
from ..content.memo import Memo
from ..content.model import KIND_NAMES, Item
from ..content.settings import Settings
from .metadata import json_text

FEEDS_DIR = "feeds"
FEED_FACETS = ("industries", "roles")
MAX_ENTRIES = 100  # newest first; feed readers poll for what is new, not for the archive


@dataclass(frozen=True)
class Feed:
    """One feed, as pages link it: `<link rel=alternate>` in the head."""

    key: str  # "all", or "<facet>/<key>"
    title: str
    items: tuple[Item, ...]
    home: str  # the page it follows: the site root or the segment's hub

    @property
    def atom(self) -> str:
        return f"{FEEDS_DIR}/{self.key}.atom.xml"

    @property
    def json(self) -> str:
        return f"{FEEDS_DIR}/{self.key}.json"


def _newest(catalog: Catalog, items: list[Item]) -> tuple[Item, ...]:
    ordered = sorted(items, key=lambda item: (item.kind, item.slug))
    return tuple(sorted(ordered, key=lambda item: item_day(catalog, item), reverse=True)[:MAX_ENTRIES])


def feeds(settings: Settings, catalog: Catalog) -> dict[str, Feed]:
    """Every feed by key; none without site_url, since feed entries need absolute addresses."""
    if not settings.site_url:
        return {}
    everything = [*catalog.cases, *catalog.whitepapers, *catalog.kits]
    found = {"all": Feed("all", settings.locale.gettext("{site}: everything new").replace("{site}", settings.site_name), _newest(catalog, everything), "")}
    urls = Urls(settings.use_directory_urls)
    for facet in FEED_FACETS:
        for segment in catalog.segments[facet]:
            key = f"{facet}/{segment.key}"
            found[key] = Feed(key, settings.locale.fill("pages", "{site}: {segment}", site=settings.site_name, segment=segment.label),
                              _newest(catalog, [*segment.cases, *segment.whitepapers, *segment.kits]),
                              urls.page(segment_src(facet, segment.key)))
    return found


def feed_files(settings: Settings, catalog: Catalog, site_feeds: dict[str, Feed], images: Container[str]) -> dict[str, str]:
    """{staging path: text} for every feed in both formats; `images` holds the social cards made."""
    files: dict[str, str] = {}
    entries: dict[str, dict] = {}
    _WRITTEN.use(settings)
    for feed in site_feeds.values():
        def write(feed: Feed = feed) -> tuple[str, str]:
            for item in feed.items:
                if item.path not in entries:
                    entries[item.path] = _entry(settings, catalog, item, images)
            data = [entries[item.path] for item in feed.items]
            return atom(settings, catalog, feed, data), json_feed(settings, feed, data)

        shows = (feed.title, feed.home, _updated(feed, catalog), *feed.items,
                 *(card_path(item) in images for item in feed.items), *(item_day(catalog, item) for item in feed.items))
        files[feed.atom], files[feed.json] = _WRITTEN.get(feed.key, shows, write)
    return files


_WRITTEN = Memo()  # feed key -> (Atom, JSON): a `serve` rebuild writes only the feeds showing an edited item


def _stamp(day: date) -> datetime:
    return datetime.combine(day, time(0), timezone.utc)


def _entry(settings: Settings, catalog: Catalog, item: Item, images: Container[str]) -> dict:
    """What both formats say about one item."""
    page = page_url(settings, item)
    channel = settings.channels.get("feed")
    label = catalog.taxonomy.label
    tags = [label("industries", k) for k in facet_keys(item, "industries", catalog.taxonomy)]
    tags += [label("roles", k) for k in item.meta.roles]
    card = card_path(item)
    title = item.meta.title
    if item.kind == "case":
        result = item.meta.results[0]
        title_note = f"{item.meta.customer.name}: {result.value} {result.metric}"
    else:
        title_note = settings.locale.gettext(KIND_NAMES[item.kind])
    return {"id": page, "url": tagged(page, channel, item.kind, item.slug) if channel else page, "title": title,
            "summary": f"{item.meta.summary} ({title_note})", "date": _stamp(item_day(catalog, item)),
            "tags": list(dict.fromkeys(tags)), "image": absolute(settings.site_url, card) if card in images else None}


def _updated(feed: Feed, catalog: Catalog) -> datetime:
    """The newest entry's day; an empty feed takes the catalog's newest, never the build day."""
    newest = [item_day(catalog, i) for i in (feed.items or (*catalog.cases, *catalog.whitepapers, *catalog.kits))]
    return _stamp(max(newest, default=date(2000, 1, 1)))


def atom(settings: Settings, catalog: Catalog, feed: Feed, entries: list[dict]) -> str:
    generator = FeedGenerator()
    generator.id(absolute(settings.site_url, feed.atom))
    generator.title(feed.title)
    generator.author({"name": settings.brand.name or settings.site_name})
    generator.link(href=absolute(settings.site_url, feed.atom), rel="self")
    generator.link(href=absolute(settings.site_url, feed.home), rel="alternate")
    generator.updated(_updated(feed, catalog))
    generator.generator("Casebook")
    if len(settings.locales) > 1:  # a site of several languages says which this feed is in
        generator.language(settings.locale.code)
    for data in reversed(entries):  # feedgen prepends each entry
        entry = generator.add_entry()
        entry.id(data["id"])
        entry.title(data["title"])
        entry.link(href=data["url"], rel="alternate")
        entry.summary(data["summary"])
        entry.published(data["date"])
        entry.updated(data["date"])
        for tag in data["tags"]:
            entry.category(term=tag)
    return generator.atom_str(pretty=True).decode("utf-8")


def json_feed(settings: Settings, feed: Feed, entries: list[dict]) -> str:
    items = []
    for data in entries:
        entry = {"id": data["id"], "url": data["url"], "title": data["title"], "summary": data["summary"],
                 "content_text": data["summary"], "date_published": data["date"].isoformat(), "tags": data["tags"]}
        if data["image"]:
            entry["image"] = data["image"]
        items.append(entry)
    document = {"version": "https://jsonfeed.org/version/1.1", "title": feed.title,
                "home_page_url": absolute(settings.site_url, feed.home), "feed_url": absolute(settings.site_url, feed.json),
                "authors": [{"name": settings.brand.name or settings.site_name}], "items": items}
    if len(settings.locales) > 1:
        document["language"] = settings.locale.code
    return json_text(document, indent=2) + "\n"


def robots(settings: Settings) -> str:
    """Crawlers may read everything the site holds (only public content is ever built) but the web editor.
    Crawlers read robots.txt only at a host's root, so a site under a sub-path gets none."""
    if urlsplit(settings.site_url).path not in ("", "/"):
        return ""
    sitemap = "".join(f"Sitemap: {absolute(settings.site_url, language.prefix + 'sitemap.xml')}\n"
                      for language in settings.locales) if settings.site_url else ""  # each language's site has its own
    editor = "Disallow: /admin/\n" if settings.cms is not None and settings.cms.publish else ""  # the web editor
    return f"User-agent: *\n{editor}Allow: /\n{sitemap}"
