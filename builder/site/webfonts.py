"""The vendored fonts as the site serves them. The PDF engine reads the full OpenType
files (about 270 KB each); a visitor's phone gets each face subset to the Latin scripts,
punctuation, currency signs and arrows the pages set, compressed as WOFF2 (about a
tenth): other characters, such as Chinese, fall back to the next font of the stack, as
`unicode-range` tells the browser. Made once per font file and fontTools version, kept in
the user's cache (core.cache.user_cache), so every project of the machine shares it."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

from ..core.cache import read, user_cache, versions, write

UNICODE_RANGE = ("U+0000-024F, U+02BB-02BC, U+02C6, U+02DA, U+02DC, U+0300-0301, U+2000-206F, U+20A0-20CF, "
                 "U+2100-214F, U+2190-21FF, U+2212, U+2215, U+25CF, U+2713, U+FEFF, U+FFFD")
SOURCE_SUFFIXES = (".otf", ".ttf")


def _codepoints() -> list[int]:
    points: list[int] = []
    for part in UNICODE_RANGE.replace("U+", "").split(", "):
        first, _, last = part.partition("-")
        points += range(int(first, 16), int(last or first, 16) + 1)
    return points


def web_name(path: Path) -> str:
    """Inter-Bold.otf -> Inter-Bold.woff2"""
    return path.with_suffix(".woff2").name if path.suffix.lower() in SOURCE_SUFFIXES else path.name


def web_font(path: Path) -> bytes:
    """The face's web file: a WOFF2 subset of an OpenType or TrueType font; a web font as it is."""
    data = path.read_bytes()
    if path.suffix.lower() not in SOURCE_SUFFIXES:
        return data
    key = hashlib.sha256(data + f"{versions('fonttools')} {UNICODE_RANGE}".encode()).hexdigest()
    entry = user_cache() / "webfonts" / f"{key}.woff2"
    cached = read(entry)
    if cached is not None:
        return cached
    font = TTFont(io.BytesIO(data))
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features += ["tnum", "case"]  # the default set (kerning, ligatures) and tabular figures
    options.hinting = False  # browsers rasterise without it
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=_codepoints())
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out)
    write(entry, out.getvalue())
    return out.getvalue()
