"""Ready-to-post drafts: one per public item and social channel, within the channel's
length limit, cut only where a line may break (never inside a word, an emoji or a URL).

X counts text its own way (a link is 23, CJK and emoji count 2): the twitter-text library
measures it. Other networks are measured in UTF-16 code units, the largest count any of
them uses, so a draft that fits here fits there.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import asdict, dataclass
from datetime import date
from typing import Callable

from uniseg.linebreak import line_break_units

from ..catalog.catalog import Catalog, item_day
from ..content.model import Item
from ..content.settings import Channel, Settings
from ..core import spreadsheet
from .links import absolute, tagged
from .urls import card_path, page_url

SOCIAL = ("linkedin", "x", "facebook", "wechat")
ELLIPSIS = "…"
OPENERS = {"case": "", "whitepaper": "New white paper: ", "kit": "Solution kit: "}
# The first six columns of Publer's bulk-upload template, which it reads by position;
# its later columns (alt text, comments, boards, ...) are left out.
CSV_COLUMNS = ("Date", "Text", "Link(s)", "Media URL(s)", "Title", "Label(s)")


@dataclass(frozen=True)
class Post:
    channel: str
    network: str
    kind: str
    slug: str
    title: str
    date: str
    text: str
    link: str
    image: str | None  # the social card in the built site
    image_url: str | None
    length: int  # as the network counts it
    limit: int


class LimitTooShort(ValueError):
    """The channel's limit cannot hold even the link."""


def measure(network: str) -> Callable[[str], int]:
    if network == "x":
        from twitter_text import parse_tweet  # compiles large regexes: a third of a second every other command should not pay

        return lambda text: parse_tweet(text).weightedLength
    return lambda text: len(text.encode("utf-16-le")) // 2


def shorten(text: str, fits: Callable[[str], bool]) -> str:
    """The longest start of text, ended at a line-break opportunity plus '…', that fits ('' if none)."""
    units = list(line_break_units(text))
    candidates = ["".join(units[:n]).rstrip(" \t\n,;:-–—") + ELLIPSIS for n in range(1, len(units))
                  if _word_end(units[n - 1], units[n])]
    low, high = 0, len(candidates)  # fits() is monotonic in the length, so bisect for the longest
    while low < high:
        middle = (low + high) // 2
        if fits(candidates[middle]):
            low = middle + 1
        else:
            high = middle
    return candidates[low - 1] if low else ""


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _word_end(unit: str, following: str) -> bool:
    """A line may break inside 'state-of-the-art' or at a soft hyphen; a post may not end
    there. Whitespace ends a word, and so does every CJK character or emoji."""
    return unit[-1].isspace() or _wide(unit[-1]) or _wide(following[0])


def compose(parts: list[str]) -> str:
    return "\n\n".join(part for part in parts if part)


def fit(headline: str, summary: str, hashtags: str, link: str, limit: int, network: str) -> str:
    """Full text if it fits; else without hashtags; else with the summary shortened at a word
    boundary; else the headline alone, shortened if need be. The link is never cut."""
    size = measure(network)
    fits = lambda *parts: size(compose(list(parts))) <= limit  # noqa: E731
    if not fits(link):
        raise LimitTooShort(f"a post needs {size(link)} characters for its link alone")
    for parts in ([headline, summary, hashtags, link], [headline, summary, link]):
        if fits(*parts):
            return compose(parts)
    short = shorten(summary, lambda s: fits(headline, s, link))
    if short:
        return compose([headline, short, link])
    if fits(headline, link):
        return compose([headline, link])
    short = shorten(headline, lambda s: fits(s, link))
    return compose([short, link]) if short else link


def _hashtags(item: Item) -> str:
    tags = ["#" + "".join(word[:1].upper() + word[1:] for word in tag.replace("-", " ").split()) for tag in getattr(item.meta, "tags", ())]  # only cases have tags
    return " ".join(tag for tag in tags if len(tag) > 1 and tag[1:].isalnum())



def drafts(settings: Settings, catalog: Catalog, channel: str | None = None, since: date | None = None) -> list[Post]:
    """Drafts for every public item dated on or after `since`, for one or every social channel."""
    channels = {name: c for name, c in settings.channels.items()
                if c.network in SOCIAL and (channel is None or name == channel)}
    items = [i for i in [*catalog.cases, *catalog.whitepapers, *catalog.kits] if since is None or item_day(catalog, i) >= since]
    return [_post(settings, catalog, name, c, item) for name, c in channels.items() for item in items]


def _post(settings: Settings, catalog: Catalog, name: str, channel: Channel, item: Item) -> Post:
    link = tagged(page_url(settings, item), channel, item.kind, item.slug)
    limit = channel.post_limit or 0
    opener = settings.locale.gettext(OPENERS[item.kind]) if OPENERS[item.kind] else ""
    text = fit(opener + item.meta.title, item.meta.summary, _hashtags(item), link, limit, channel.network)
    card = card_path(item) if item.kind != "kit" else None
    return Post(name, channel.network, item.kind, item.slug, item.meta.title, item_day(catalog, item).isoformat(), text, link,
                card, absolute(settings.site_url, card) if card else None, measure(channel.network)(text), limit)


def csv_text(posts: list[Post]) -> str:
    """Publer's bulk upload layout; the date is left empty, to be scheduled in the tool."""
    rows = [["", post.text, post.link, post.image_url or "", post.title, ", ".join(["casebook", post.channel, post.kind])]
            for post in posts]
    return spreadsheet.csv_text([CSV_COLUMNS, *rows], line_end="\r\n")


def json_text(posts: list[Post]) -> str:
    return json.dumps([asdict(post) for post in posts], ensure_ascii=False, indent=2) + "\n"
