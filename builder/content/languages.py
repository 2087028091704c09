"""One site per language: the settings each language's outputs are made with. The
default language's site is the project's own; another's lives under /<code>/ with its
own staging tree, and reads its taxonomy labels and site texts from its strings catalog."""

from __future__ import annotations

from dataclasses import replace

from .locale import Language
from .model import FACETS
from .settings import Settings, Taxonomy, Term


def site_settings(settings: Settings, language: Language) -> Settings:
    """The settings of `language`'s site; a project's default language is unchanged but for its catalog's texts."""
    texts = language.site
    localized = replace(
        settings, locale=language, taxonomy=_taxonomy(settings.taxonomy, language),
        site_name=texts.get("name", settings.site_name), positioning=texts.get("positioning", settings.positioning),
        cta=settings.cta.model_copy(update={"label": texts.get("cta_label", settings.cta.label),
                                            "text": texts.get("cta_text", settings.cta.text)}))
    if language.default:
        return localized
    base = settings.site_url if not settings.site_url or settings.site_url.endswith("/") else settings.site_url + "/"
    return replace(localized, site_url=f"{base}{language.prefix}" if base else "",
                   staging_dir=settings.staging_dir.with_name(f"{settings.staging_dir.name}-{language.code}"))


def language_of(settings: Settings, code: str | None) -> Language | None:
    """The project's language with this code (None: the default); None if it has no such language."""
    if code is None:
        return settings.locales[0]
    return next((language for language in settings.locales if language.code == code), None)


def _taxonomy(taxonomy: Taxonomy, language: Language) -> Taxonomy:
    if not language.taxonomy:
        return taxonomy
    return Taxonomy(**{facet: {key: Term(label=language.term(facet, key, "label", term.label),
                                         intro=language.term(facet, key, "intro", term.intro))
                               for key, term in getattr(taxonomy, facet).items()}
                       for facet in FACETS})
