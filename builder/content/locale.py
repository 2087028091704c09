"""A site language: the words Casebook writes (site_templates/strings/<code>.yml) and how
dates and numbers read (Babel, with the locale the catalog names).

A catalog maps the English text Casebook writes to the language's: `pages` for the page
templates and what Python writes on pages (feed titles, download kinds), `pdf` for the
Typst templates, `js` for casebook.js; `taxonomy` labels and intros; `site` for the
texts set in mkdocs.yml (name, positioning, call to action). Text without a translation
stays English and is reported once, so a gap never breaks a build."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import format_date
from babel.numbers import format_decimal

from ..core.problems import Problem
from ..core.source import Document, SourceError, parse_yaml, read_text

SECTIONS = ("pages", "pdf", "js")
DEFAULT_DATE = "d MMMM y"  # 12 June 2025
SITE_TEXTS = ("name", "positioning", "cta_label", "cta_text")


@dataclass(frozen=True)
class Language:
    code: str  # as listed under `languages:`, such as "zh"
    label: str  # as the language's readers name it: 简体中文
    default: bool  # served at the site's root; the others under /<code>/
    babel: str = "en"  # the Babel locale of dates and numbers
    date_format: str = DEFAULT_DATE  # a CLDR pattern, or short/medium/long/full
    strings: dict[str, dict[str, str]] = field(default_factory=dict)  # section -> English -> translation
    taxonomy: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)  # facet -> key -> {label, intro}
    site: dict[str, str] = field(default_factory=dict)  # SITE_TEXTS
    source: str = ""  # the catalog's path in the project, for problems
    missing: set[str] = field(default_factory=set, compare=False, hash=False)  # English texts asked for but not there

    @property
    def prefix(self) -> str:
        """Where its site lives inside the published site: '' or 'zh/'."""
        return "" if self.default else f"{self.code}/"

    @property
    def og_locale(self) -> str:
        """Open Graph's language_TERRITORY (zh_CN), from the locale's likely territory."""
        locale = Locale.parse(self.babel)
        likely = get_global("likely_subtags").get(locale.language, "")
        territory = locale.territory or Locale.parse(likely).territory if likely else locale.territory
        return f"{locale.language}_{territory}" if territory else locale.language

    def text(self, section: str, english: str) -> str:
        if self.default and not self.strings:
            return english
        found = self.strings.get(section, {}).get(english)
        if found is None:
            self.missing.add(f"{section}: {english}")
            return english
        return found

    def gettext(self, english: str) -> str:
        return self.text("pages", english)

    def fill(self, section: str, english: str, **values: object) -> str:
        """A text with {name} placeholders, filled in one pass (a value holding braces stays as it is)."""
        return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), m.group(0))), self.text(section, english))

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        """English picks the form; the catalog words each form (one for Chinese)."""
        return self.gettext(singular if count == 1 else plural)

    def date(self, value: date | None) -> str | None:
        if value is None:
            return None
        if self.babel == "en" and self.date_format == DEFAULT_DATE:
            return f"{value.day} {value:%B %Y}"  # as Casebook always printed it, without asking Babel
        return format_date(value, self.date_format, locale=self.babel)

    def number(self, value: int | float) -> str:
        return str(value) if self.babel == "en" and abs(value) < 1000 else format_decimal(value, locale=self.babel)

    def term(self, facet: str, key: str, part: str, english: str) -> str:
        return self.taxonomy.get(facet, {}).get(key, {}).get(part) or english

    def problems(self) -> list[Problem]:
        """One warning per text without a translation, asked for by this build."""
        return [Problem(self.source, 1, "warning", f"no {self.label} text for {entry!r}; it shows in the default language",
                        f"add it to {self.source}") for entry in sorted(self.missing)]


ENGLISH = Language("en", "English", default=True)


def load_languages(templates_dir: Path, root: Path, labels: dict[str, str]) -> tuple[tuple[Language, ...], list[Problem]]:
    """Every language of the project, the default first; one English language without `languages:`."""
    if not labels:
        return (ENGLISH,), []
    languages, problems = [], []
    for index, (code, label) in enumerate(labels.items()):
        path = templates_dir / "strings" / f"{code}.yml"
        language, found = _catalog(path, root, code, label, default=index == 0)
        languages.append(language)
        problems += found
    return tuple(languages), problems


def _catalog(path: Path, root: Path, code: str, label: str, default: bool) -> tuple[Language, list[Problem]]:
    shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    babel = code.replace("-", "_")
    if not path.is_file():
        locale = _known(babel) or "en"
        language = Language(code, label, default, babel=locale, date_format=DEFAULT_DATE if locale == "en" else "long", source=shown)
        return language, [] if default else [
            Problem(shown, 1, "warning", f"no strings catalog for {label} ({code}): its site shows Casebook's own words in English",
                    f"write {shown} (the README's Translations section shows how; Casebook's own zh.yml is an example)")]
    try:
        data, lines = parse_yaml(read_text(path))
    except SourceError as exc:
        return Language(code, label, default, source=shown), [exc.problem(shown)]
    doc = Document(data=data if isinstance(data, dict) else {}, lines=lines)
    if not isinstance(data, dict):
        return Language(code, label, default, source=shown), [
            Problem(shown, 1, "error", "a strings catalog is a mapping", "see site_templates/strings/zh.yml")]
    problems: list[Problem] = []
    locale = str(data.get("locale") or babel)
    if _known(locale) is None:
        problems.append(Problem(shown, doc.line_of(("locale",)), "error", f"locale: '{locale}' is not a locale Babel knows",
                                "a code such as zh_Hans_CN, en_GB or pt_BR"))
        locale = "en"
    strings = {section: _texts(data.get(section), (section,), doc, shown, problems) for section in SECTIONS}
    taxonomy = _taxonomy(data.get("taxonomy"), doc, shown, problems)
    site = _texts(data.get("site"), ("site",), doc, shown, problems)
    problems += [Problem(shown, doc.line_of(("site", key)), "error", f"site.{key}: not a text of the site",
                         f"one of: {', '.join(SITE_TEXTS)}") for key in site if key not in SITE_TEXTS]
    date_format = str(data.get("date") or ("long" if locale != "en" else DEFAULT_DATE))
    try:
        format_date(date(2025, 6, 12), date_format, locale=locale)
    except (ValueError, KeyError, AttributeError):
        problems.append(Problem(shown, doc.line_of(("date",)), "error", f"date: '{date_format}' is not a date format",
                                "short, medium, long, full, or a CLDR pattern such as y年M月d日"))
        date_format = "long"
    return Language(code, label, default, locale, date_format, strings, taxonomy, site, shown), problems


def _known(locale: str) -> str | None:
    try:
        Locale.parse(locale)
    except (UnknownLocaleError, ValueError, TypeError):
        return None
    return locale


def _texts(value: Any, loc: tuple, doc: Document, shown: str, problems: list[Problem]) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(Problem(shown, doc.line_of(loc), "error", f"{'.'.join(loc)}: expected a mapping of English text to its translation",
                                '"Case studies": 客户案例'))
        return {}
    texts = {}
    for english, translated in value.items():
        if not isinstance(translated, str) or not translated.strip():
            problems.append(Problem(shown, doc.line_of((*loc, english)), "error", f"{'.'.join(loc)}: {english!r} needs a text",
                                    "write the translation, or delete the line to keep the English"))
        else:
            texts[str(english)] = translated
    return texts


def _taxonomy(value: Any, doc: Document, shown: str, problems: list[Problem]) -> dict[str, dict[str, dict[str, str]]]:
    """facet: {key: label} or {key: {label, intro}}."""
    found: dict[str, dict[str, dict[str, str]]] = {}
    for facet, terms in (value or {}).items() if isinstance(value, dict) else []:
        for key, term in (terms or {}).items() if isinstance(terms, dict) else []:
            term = {"label": term} if isinstance(term, str) else term
            if not isinstance(term, dict) or not all(isinstance(v, str) for v in term.values()):
                problems.append(Problem(shown, doc.line_of(("taxonomy", facet, key)), "error",
                                        f"taxonomy.{facet}.{key}: expected a label, or label and intro", "retail: {label: 零售, intro: ...}"))
                continue
            found.setdefault(str(facet), {})[str(key)] = {k: v for k, v in term.items() if k in ("label", "intro")}
    return found
