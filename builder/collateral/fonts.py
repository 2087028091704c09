"""Fonts the PDFs need: a missing brand or CJK font would make Typst fall back silently,
or print text as empty boxes, so it is a located error before anything renders."""

from __future__ import annotations

import functools
import re
from pathlib import Path

from ..catalog.catalog import Catalog
from ..content.memo import Memo
from ..content.model import Item
from ..content.settings import Settings
from ..core.problems import Problem

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_EMOJI = re.compile(r"[\U0001F000-\U0001FAFF\u2600-\u27BF]")


def font_files(settings: Settings) -> list[Path]:
    return sorted(p for folder in settings.font_dirs if folder.is_dir()
                  for p in folder.rglob("*") if p.suffix.lower() in (".otf", ".ttf", ".ttc", ".otc"))


def check_fonts(settings: Settings, catalog: Catalog) -> list[Problem]:
    """Missing fonts would make Typst fall back silently, or print CJK text as empty boxes;
    emoji have no glyphs in the brand fonts, so they are pointed out where they are written."""
    fonts = settings.brand.fonts
    stamps = tuple((p, p.stat().st_mtime_ns, p.stat().st_size) for p in font_files(settings))
    families = _families(stamps, tuple(str(p) for p in settings.font_dirs if p.is_dir()))
    name = settings.config_file.name
    where = ", ".join(str(p) for p in settings.font_dirs)
    problems = [Problem(name, settings.line("brand", "fonts", role), "error",
                        f"brand.fonts.{role}: no font '{family}' in brand.fonts.paths ({where})",
                        "check the family name and the font folders, or build with --no-pdf")
                for role, family in (("body", fonts.body), ("heading", fonts.heading)) if family not in families]
    _SCRIPTS.use(settings.root)
    items = [*catalog.cases, *catalog.whitepapers, *catalog.kits]
    scripts = [(item, _SCRIPTS.get(item.path, (item,), lambda item=item: _scripts(settings, item))) for item in items]
    cjk = next((item for item, (has_cjk, _) in scripts if has_cjk), None)
    if cjk is not None and fonts.cjk not in families:
        problems.append(Problem(name, settings.line("brand", "fonts", "cjk"), "error",
                                f"{cjk.path} has Chinese, Japanese or Korean text, but there is no font "
                                f"'{fonts.cjk}' in brand.fonts.paths ({where})",
                                "install it (Debian: apt-get install fonts-noto-cjk), or build with --no-pdf"))
    problems += [Problem(item.path, emoji, "warning", "emoji print as empty boxes in PDFs and social cards",
                         "the brand fonts have no emoji; use words instead") for item, (_, emoji) in scripts if emoji]
    return problems


@functools.lru_cache(maxsize=4)
def _families(stamps: tuple, folders: tuple[str, ...]) -> frozenset[str]:
    """The font families Typst finds; the font files' stamps key the cache, so an added or
    replaced font is seen."""
    import typst

    return frozenset(typst.Fonts(include_system_fonts=False, include_embedded_fonts=True, font_paths=list(folders)).families())


_SCRIPTS = Memo()  # item path -> (has CJK text, line of its first emoji or 0)


def _scripts(settings: Settings, item: Item) -> tuple[bool, int]:
    text = item.public_text()
    if not _EMOJI.search(text):
        return bool(_CJK.search(text)), 0
    rows = (settings.root / item.path).read_text("utf-8").split("\n")
    return bool(_CJK.search(text)), next((n for n, row in enumerate(rows, 1) if _EMOJI.search(row)), 1)
