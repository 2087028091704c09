"""The other languages' sites: each is one more MkDocs build of its own staging tree into
<site>/<code>/, run by the default build's plugin once its own pages are written, with
the theme (Material's own words, `lang`, the search tokenizer) in that language."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from ...content.locale import Language
from ...content.settings import PLUGIN, Settings
from ...pipeline.stage import LanguageSite


def build_language(parent: MkDocsConfig, site: LanguageSite, plugin: Any, dirty: bool) -> None:
    """Build one language's site below the parent's site folder; `plugin` is the parent's
    CasebookPlugin, whose state (as-of day, serving) the language's plugin takes over."""
    language = site.settings.locale
    config = _config(parent, site, plugin.plugins_of.setdefault(language.code, {}))
    config.theme["language"] = language.code  # before the search plugin reads it
    if config.nav:
        config.nav = localized_nav(config.nav, language, site.settings.staging_dir)
    config.plugins.on_startup(command="serve" if plugin.serving else "build", dirty=dirty)
    child = config.plugins[PLUGIN]
    child.language_site, child.as_of, child.rebuilds = site, plugin.as_of, plugin.rebuilds
    build(config, dirty=dirty)


def _config(parent: MkDocsConfig, site: LanguageSite, plugins: dict) -> MkDocsConfig:
    """The language's own configuration, with plugin instances of its own: MkDocs keeps one
    instance of a plugin per process for `serve` (those with on_startup, such as search and
    Casebook), which the language's build must neither share nor reset. `plugins` holds the
    language's instances from one `serve` rebuild to the next."""
    cache = dict(MkDocsConfig._schema)["plugins"]
    kept, cache.plugin_cache = cache.plugin_cache, plugins
    try:
        return load_config(config_file=parent.config_file_path, site_dir=str(Path(parent.site_dir) / site.settings.locale.code),
                           docs_dir=str(site.settings.staging_dir), site_url=site.settings.site_url or None)
    finally:
        cache.plugin_cache = kept


def localized_nav(nav: list, language: Language, docs_dir: Path) -> list:
    """The navigation in the language's words, with only the pages its site has."""
    entries = []
    for entry in nav:
        if isinstance(entry, dict):
            for title, target in entry.items():
                if isinstance(target, list):
                    inner = localized_nav(target, language, docs_dir)
                    if inner:
                        entries.append({language.gettext(title): inner})
                elif _present(target, docs_dir):
                    entries.append({language.gettext(title): target})
        elif _present(entry, docs_dir):
            entries.append(entry)
    return entries


def _present(target: Any, docs_dir: Path) -> bool:
    return isinstance(target, str) and ("://" in target or (docs_dir / target).is_file())


def language_extras(settings: Settings) -> dict[str, Any]:
    """What the theme overrides print for a site of several languages: the switcher,
    og:locale and its alternates, and casebook.js's words. `alternate` is True, not a
    list: Material's header then includes the switcher (partials/alternate.html, which
    Casebook overrides with per-page links), while base.html prints no site-wide
    alternates, which would claim that every page's translation is the other home page."""
    current = settings.locale
    up = "../" * current.prefix.count("/")
    return {
        "alternate": True,
        "casebook_languages": [{"lang": language.code, "name": language.label, "current": language == current,
                                "path": "" if language == current else up + language.prefix}
                               for language in settings.locales],
        "casebook_locale": current.og_locale,
        "casebook_locale_alternates": [language.og_locale for language in settings.locales if language != current],
        "casebook_strings": {} if current.default else current.strings.get("js", {}),
    }


def segment_chinese(language: Language, cache_dir: Path) -> None:
    """Material's search segments Chinese words (jieba) whenever jieba is importable, on
    any site. Casebook installs jieba for its Chinese sites, so it turns segmentation on
    for those alone: a site in another language indexes exactly as before. jieba's
    dictionary cache goes to Casebook's cache, not /tmp."""
    try:
        from material.plugins.search import plugin as search
    except ImportError:
        return
    if language.code.split("-")[0] != "zh":
        search.jieba = None
        return
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.dt.tmp_dir = str(cache_dir)
    search.jieba = jieba
