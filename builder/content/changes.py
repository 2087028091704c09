"""What changed since the customer approved a case, value by value, for the proof they
sign: the approved version is the newest in git history whose parts match the recorded
fingerprint. Without that version (no git, or never committed) only the parts are named."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from ..core.history import versions
from .approval import changed_parts, parts, read_fingerprint
from .load import load_file
from .translations import load_translation
from .model import Item

LABELS = {"title": "Title", "summary": "Summary", "customer": "Customer", "results": "Results", "quote": "Quote",
          "story": "Story", "images": "Images"}
MAX_STORY_LINES = 6  # changed story passages shown; a rewrite beyond that is summed up
CONTEXT_WORDS = 5  # words kept on either side of an edit inside a paragraph


@dataclass(frozen=True)
class Change:
    field: str
    approved: str
    now: str


@dataclass(frozen=True)
class Since:
    parts: tuple[str, ...]  # the parts that differ from the approval
    commit: str | None = None  # the approved version in git, when found
    day: str | None = None
    changes: tuple[Change, ...] = ()


def since_approval(root: Path, item: Item, context: dict, default: Item | None = None) -> Since:
    """`default`: a translation's default item (its facts)."""
    recorded = read_fingerprint(item.meta.approval.fingerprint or "")
    if recorded is None:
        return Since(tuple(LABELS))
    changed = changed_parts(recorded, parts(item, root))
    if not changed:
        return Since(())
    relaxed = {**context, "fingerprints": "optional"}  # an old version is read for its words, not judged
    for version in versions(root, item.path):
        old, _ = (load_translation(root, item.kind, root / item.path, item.lang, default, relaxed, raw=version.raw)
                  if item.lang and default is not None else load_file(root, item.kind, root / item.path, relaxed, raw=version.raw))
        if old is not None and not changed_parts(recorded, parts(old, root)):
            return Since(changed, version.commit, version.day, tuple(c for part in changed for c in _changes(part, old, item)))
    return Since(changed)


def _changes(part: str, old: Item, new: Item) -> list[Change]:
    before, after = old.meta, new.meta
    label = LABELS[part]
    if part in ("title", "summary"):
        return [Change(label, getattr(before, part), getattr(after, part))]
    if part == "customer":
        fields = [(f"Customer {key}", str(getattr(before.customer, key) or ""), str(getattr(after.customer, key) or ""))
                  for key in type(before.customer).model_fields if key != "logo"]
        fields.append(("Products", ", ".join(before.products), ", ".join(after.products)))
        return [Change(name, a, b) for name, a, b in fields if a != b]
    if part == "results":
        shown = lambda r: f"{r.value} {r.metric}" + (f" ({r.before} to {r.after})" if r.before or r.after else "")  # noqa: E731
        olds, news = [shown(r) for r in before.results], [shown(r) for r in after.results]
        return [Change(f"Result {i + 1}", a or "(none)", b or "(removed)")
                for i, (a, b) in enumerate(zip(olds + [""] * len(news), news + [""] * len(olds))) if a != b and (a or b)]
    if part == "quote":
        shown = lambda q: f"\u201c{q.text}\u201d \u2014 {q.author}" + (f", {q.title}" if q.title else "") if q else "(none)"  # noqa: E731
        return [Change(label, shown(before.quote), shown(after.quote))]
    if part == "story":
        return _story(old.body, new.body)
    return [Change(label, "the logo or a picture as approved", "a different file")]


def _story(old: str, new: str) -> list[Change]:
    """The story's changed paragraphs, each old beside new."""
    a, b = [line for line in old.split("\n") if line.strip()], [line for line in new.split("\n") if line.strip()]
    found = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "replace" and i2 - i1 == j2 - j1:  # paragraphs edited in place: the edits, in context
            found += [Change("Story", *_edits(old_line, new_line)) for old_line, new_line in zip(a[i1:i2], b[j1:j2])]
        elif tag != "equal":
            found.append(Change("Story", "\n".join(a[i1:i2]) or "(nothing)", "\n".join(b[j1:j2]) or "(removed)"))
    if len(found) > MAX_STORY_LINES:
        return found[:MAX_STORY_LINES] + [Change("Story", f"{len(found) - MAX_STORY_LINES} more passages", "changed as well")]
    return found


def _edits(old: str, new: str) -> tuple[str, str]:
    """The changed words of one paragraph with a few words around them, '…' for the rest."""
    a, b = old.split(), new.split()
    spans = [(i1, i2, j1, j2) for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
             if tag != "equal"]
    return _around(a, [(i1, i2) for i1, i2, _, _ in spans]), _around(b, [(j1, j2) for _, _, j1, j2 in spans])


def _around(words: list[str], spans: list[tuple[int, int]]) -> str:
    keep = sorted({i for start, end in spans for i in range(max(0, start - CONTEXT_WORDS), min(len(words), end + CONTEXT_WORDS))})
    out, last = [], -1
    for i in keep:
        if i != last + 1:
            out.append("\u2026")
        out.append(words[i])
        last = i
    if last < len(words) - 1:
        out.append("\u2026")
    return " ".join(out) or "(nothing)"
