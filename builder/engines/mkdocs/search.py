"""Material's search index, made light for phones once a site is large: a visitor's phone
loads the whole index at the first search (5.6 MB for 900 public cases as Material writes it).

On the pages of cases, white papers and kits, each section keeps its first words as they
are (the snippet a result shows), then only the words it has not used yet, so every word
of the story still finds the page (set apart by "·": no phrase is made up); sections
left empty by `data-search-exclude` (related cases, share links) are dropped, and markup
is reduced to text. Other pages, sites of no more than LARGE public cases, and `serve`'s
preview (where the index never leaves this computer, and rewriting it would slow every
rebuild by 0.3 s at 1,000 cases) keep Material's index as it is."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ...content.model import KIND_DIRS
from ...site.pages import LIBRARY_CARDS

LARGE = LIBRARY_CARDS  # the size from which the library is paged too
SNIPPET = 240  # characters of a section kept as written
_TAG = re.compile(r"<[^>]+>")
_EDGE = re.compile(r"^\W+|\W+$")
ITEM_FOLDERS = tuple(f"{folder}/" for folder in KIND_DIRS.values())


def compact_index(site_dir: Path, cases: int) -> None:
    path = site_dir / "search" / "search_index.json"
    if cases <= LARGE or not path.is_file():
        return
    index = json.loads(path.read_text("utf-8"))
    separator = re.compile(index.get("config", {}).get("separator", r"[\s\-]+"))
    docs = []
    for doc in index["docs"]:
        if not doc["location"].startswith(ITEM_FOLDERS):
            docs.append(doc)
            continue
        text = " ".join(_TAG.sub(" ", doc["text"]).split())
        if "#" in doc["location"] and not text:
            continue
        docs.append({**doc, "text": _distinct_tail(text, separator) if "#" in doc["location"] else text})
    index["docs"] = docs
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), "utf-8")


def _distinct_tail(text: str, separator: re.Pattern) -> str:
    """The first SNIPPET characters, then each further word once (as search splits words)."""
    if len(text) <= SNIPPET:
        return text
    cut = text.rfind(" ", 0, SNIPPET)
    head, tail = (text[:cut], text[cut:]) if cut > 0 else (text[:SNIPPET], text[SNIPPET:])
    seen = {_EDGE.sub("", word).lower() for word in separator.split(head)}
    extra = []
    for word in separator.split(tail):
        key = _EDGE.sub("", word).lower()
        if key and key not in seen:
            seen.add(key)
            extra.append(word)
    # "·" between the words: they were not written side by side, so they make no phrase
    return f"{head} \u2026 {' · '.join(extra)}" if extra else head
