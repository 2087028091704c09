"""Translations: `cases/<slug>.<lang>.md` beside the default language's `cases/<slug>.md`
(white papers and kits alike), for a project whose `languages` list that language.

A translation may give any text field in its language; what it leaves out comes from the
default file. The facts (who the customer is, the segment, the numbers) are the default
file's: a translation that states them differently is a located error. Each translation
has its own sign-off (a case's `approval`, a paper's or kit's `status`): the customer
approves the words in each language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..core.problems import Problem
from ..core.source import Document, SourceError, read_document
from .approval import check_approval
from .body import render
from .model import SCHEMAS, Item
from .validation import dotted, validate

ANY = "*"  # every item of a list
FACTS = {
    "case": (("customer", "name"), ("customer", "industry"), ("customer", "size"), ("customer", "website"),
             ("customer", "logo"), ("roles",), ("stage",), ("date",),
             ("results", ANY, "value"), ("results", ANY, "before"), ("results", ANY, "after")),
    "whitepaper": (("date",), ("industries",), ("roles",), ("authors",), ("cover",), ("gated",)),
    "kit": (("industry",), ("roles",), ("sizes",), ("cases",), ("select",), ("whitepapers",), ("attachments",)),
}
OWN = {"case": "approval", "whitepaper": "status", "kit": "status"}  # never taken from the default file


def split_language(stem: str, languages: tuple[str, ...]) -> tuple[str, str | None]:
    """'acme.zh' -> ('acme', 'zh') when zh is one of the project's other languages."""
    slug, dot, lang = stem.rpartition(".")
    return (slug, lang) if dot and lang in languages[1:] else (stem, None)


def load_translation(root: Path, kind: str, path: Path, lang: str, default: Item, context: dict,
                     raw: bytes | None = None) -> tuple[Item | None, list[Problem]]:
    """The translation over its default item; `raw`: the file's bytes at another revision."""
    rel = path.relative_to(root).as_posix()
    try:
        doc = read_document(path, raw)
    except SourceError as exc:
        return None, [exc.problem(rel)]
    own = OWN[kind]
    if own not in doc.data:
        return None, [Problem(rel, 1, "error", f"{own}: a translation needs its own {own}",
                              f"the customer approves the words in each language: give this file its own `{own}:`")]
    inherited = default.meta.model_dump(mode="json", exclude_unset=True, exclude={own})
    problems = _contradicted_facts(rel, kind, doc, inherited, default.path)
    if problems:
        return None, problems
    merged = Document(data=_merged(inherited, doc.data), lines=doc.lines, body=doc.body, body_line=doc.body_line)
    meta, problems = validate(SCHEMAS[kind], merged, rel, {**context, "base": path.parent})
    if not doc.body.strip():
        problems.append(Problem(rel, doc.body_line, "error", "a translation needs the story in its language",
                                f"write it below the front matter; the other fields come from {default.path}"))
    body = render(doc.body, rel, doc.body_line, root, context["media_url"])
    problems += body.problems
    if meta is None or any(p.severity == "error" for p in problems):
        return None, problems
    item = Item(kind=kind, slug=default.slug, path=rel, meta=meta, body=doc.body, body_line=doc.body_line,
                rendered=body, lines=doc.lines, lang=lang)
    if kind == "case":
        item, found = check_approval(root, item, context["fingerprints"])
        problems += found
    return item, problems


def _merged(base: Any, over: Any) -> Any:
    """The translation over the default file's fields: mappings key by key, a list of
    mappings (results) item by item, anything else replaced."""
    if isinstance(base, dict) and isinstance(over, dict):
        return {**base, **{key: _merged(base.get(key), value) for key, value in over.items()}}
    if isinstance(base, list) and isinstance(over, list) and all(isinstance(x, dict) for x in base + over):
        return [_merged(base[i] if i < len(base) else None, item) for i, item in enumerate(over)] + base[len(over):]
    return over


def _contradicted_facts(rel: str, kind: str, doc: Document, facts: dict, default_path: str) -> list[Problem]:
    problems = []
    results = doc.data.get("results")
    if kind == "case" and isinstance(results, list) and len(results) > len(facts.get("results", [])):
        problems.append(Problem(rel, doc.line_of(("results",)), "error",
                                f"results: {len(results)} results; {default_path} has {len(facts.get('results', []))}",
                                "a translation words the same results: one per result of the default file"))
    for loc, given in _values(doc.data, FACTS[kind]):
        expected = _value_at(facts, loc)
        if given is not None and _plain(given) != _plain(expected):
            problems.append(Problem(rel, doc.line_of(loc), "error",
                                    f"{dotted(loc)}: '{_plain(given)}' contradicts {default_path} ('{_plain(expected)}')",
                                    "leave it out: the facts come from the default language's file"))
    return problems


def _values(data: Any, paths: tuple[tuple, ...]) -> list[tuple[tuple, Any]]:
    """(location, value) of each fact the translation states."""
    found = []
    for path in paths:
        found += _walk(data, path, ())
    return found


def _walk(node: Any, path: tuple, loc: tuple) -> list[tuple[tuple, Any]]:
    if not path:
        return [(loc, node)]
    head, rest = path[0], path[1:]
    if head == ANY:
        return [hit for i, item in enumerate(node) for hit in _walk(item, rest, (*loc, i))] if isinstance(node, list) else []
    return _walk(node[head], rest, (*loc, head)) if isinstance(node, dict) and head in node else []


def _value_at(data: Any, loc: tuple) -> Any:
    for key in loc:
        if isinstance(data, dict):
            data = data.get(key)
        elif isinstance(data, list) and isinstance(key, int) and key < len(data):
            data = data[key]
        else:
            return None
    return data


def _plain(value: Any) -> str:
    """Facts compared as written: Casebook reads front matter as text."""
    if isinstance(value, list):
        return ", ".join(_plain(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_plain(v)}" for k, v in sorted(value.items()))
    return "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
