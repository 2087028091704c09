"""What each language's site lists: the public translations into it, and, when the
project says `untranslated: show`, the other public items in the default language.

A translation is public by its own approval alone: the default file being public does
not make it public, nor the reverse."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from ..content.load import Library
from ..content.locale import Language
from ..content.settings import Settings
from ..content.model import Item
from .catalog import Catalog, build_catalog, is_public


def language_catalog(library: Library, settings: Settings, as_of: date, checked: Catalog) -> Catalog:
    """The catalog of settings.locale's site (site_settings() of that language); `checked` is
    the catalog `check` built, which the default language reuses unless its strings catalog
    relabels the taxonomy."""
    language = settings.locale
    if language.default:
        return checked if settings.taxonomy is checked.taxonomy else build_catalog(library, settings.taxonomy, as_of)
    show = settings.untranslated == "show"
    items: dict[str, dict[str, Item]] = {}
    for kind, slugs in library.items.items():
        items[kind] = {}
        for slug, item in slugs.items():
            own = library.translations[kind].get(slug, {}).get(language.code)
            if own is not None and is_public(own, as_of):
                items[kind][slug] = own
            elif show or own is not None:  # a translation not public yet keeps its item out (is_public)
                items[kind][slug] = item if show else own
    return build_catalog(replace(library, items=items), settings.taxonomy, as_of)


def in_language(item: Item, language: Language) -> bool:
    """Whether the item reads in this language (an untranslated item shown in a listing does not)."""
    return item.lang == language.code or (item.lang is None and language.default)
