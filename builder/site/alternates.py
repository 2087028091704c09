"""hreflang alternates: which languages' sites have each page in their own language, so
every page (and the sitemap) names its versions, and the language switcher lands on
the same item in the other language or, where there is none, on that language's home."""

from __future__ import annotations

from dataclasses import dataclass

from ..channels.links import absolute
from ..channels.urls import Urls
from ..content.locale import Language


@dataclass(frozen=True)
class Alternates:
    site_url: str  # the default language's site, '' when not set (links are then relative)
    use_directory_urls: bool
    languages: tuple[Language, ...]
    pages: dict[str, frozenset[str]]  # staging path -> codes of the languages that have it in their language

    def of(self, src: str, current: Language) -> list[dict[str, str]]:
        """{lang, href} of each version of the page, the current one included; [] if it has no other."""
        codes = self.pages.get(src, frozenset())
        if len(self.languages) < 2 or current.code not in codes or len(codes) < 2:
            return []
        return [{"lang": language.code, "href": self.href(src, current, language)}
                for language in self.languages if language.code in codes]

    def homes(self, current: Language) -> list[dict[str, str]]:
        """Each language's home, for the switcher where a page has no version in that language."""
        return [{"lang": language.code, "name": language.label, "href": self.href("index.md", current, language)}
                for language in self.languages]

    def href(self, src: str, current: Language, target: Language) -> str:
        urls = Urls(self.use_directory_urls)
        if self.site_url:
            return absolute(self.site_url, target.prefix + urls.page(src))
        return urls.relative(current.prefix + src, target.prefix + src)


NONE = Alternates("", True, (), {})
