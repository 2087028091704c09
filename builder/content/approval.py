"""Approvals pinned to the words approved. `casebook approve` records, beside who signed off
and when, a fingerprint of everything a case publishes, one short digest per part; a case
whose published parts no longer match it is not public until it is approved again, and
the parts that changed can be named.

The parts: title, summary, customer (its facts and the products named), results, quote,
story (the Markdown body) and images (the logo and every body image, by content)."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from ..core.problems import Problem
from ..core.source import read_document
from .model import Item, references

PARTS = ("title", "summary", "customer", "results", "quote", "story", "images")
DIGEST_CHARS = 8  # per part: a change goes unnoticed once in four billion edits
_ENTRY = re.compile(r"^([a-z]+):([0-9a-f]+)$")


def parts(item: Item, root: Path) -> dict[str, str]:
    """The digest of each part the case publishes."""
    meta = item.meta.model_dump(mode="json")
    customer = {key: value for key, value in meta["customer"].items() if key != "logo"}
    images = references(root, item)  # the logo and every body image
    values = {
        "title": meta["title"], "summary": meta["summary"],
        "customer": {**customer, "products": meta["products"]},
        "results": meta["results"], "quote": meta["quote"], "story": item.body,
        "images": [hashlib.sha256(path.read_bytes()).hexdigest() for path in images],
    }
    return {part: _digest(values[part]) for part in PARTS}


def fingerprint(found: dict[str, str]) -> str:
    return " ".join(f"{part}:{found[part]}" for part in PARTS)


def read_fingerprint(text: str) -> dict[str, str] | None:
    """The parts of a recorded fingerprint, or None when it is not one."""
    entries = [_ENTRY.match(entry) for entry in text.split()]
    if not entries or any(e is None for e in entries):
        return None
    found = {e.group(1): e.group(2) for e in entries}
    return found if set(found) == set(PARTS) else None


def changed_parts(recorded: dict[str, str], current: dict[str, str]) -> tuple[str, ...]:
    return tuple(part for part in PARTS if recorded.get(part) != current[part])


def check_approval(root: Path, item: Item, policy: str) -> tuple[Item, list[Problem]]:
    """An approved case with a fingerprint is public only as approved: while it still
    matches. Without one it keeps the contract's rule (public while approved), unless the
    project's `fingerprints` option asks for a warning or makes it an error."""
    approval = item.meta.approval
    lang = f" --lang {item.lang}" if item.lang else ""
    command = f"casebook approve {item.slug}{lang} --by NAME --on DATE"
    if approval.status != "approved":
        return item, []
    if approval.fingerprint is None:
        if policy == "optional":
            return item, []
        return item, [Problem(
            item.path, item.line_of(("approval", "status")), "error" if policy == "required" else "warning",
            "approved without a fingerprint: an edit after the approval would go live under it",
            f"pin the approved words with `{command}` (the project's `fingerprints` option is '{policy}')")]
    recorded = read_fingerprint(approval.fingerprint)
    line = item.line_of(("approval", "fingerprint"))
    if recorded is None:
        return replace(item, unapproved=PARTS), [Problem(
            item.path, line, "error", "approval.fingerprint: not a fingerprint Casebook wrote",
            f"leave it as `casebook approve` writes it; to approve this version, run `{command}`")]
    changed = changed_parts(recorded, parts(item, root))
    if not changed:
        return item, []
    return replace(item, unapproved=changed), [Problem(
        item.path, line, "warning",
        f"changed since the customer approved it ({', '.join(changed)}): not public until approved again",
        f"send the customer the proof (`casebook proof {item.slug}{lang}`), then run `{command}`")]


def _digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()[:DIGEST_CHARS]


# --- writing an approval into the file ------------------------------------------------


class ApprovalEditError(ValueError):
    """The file's approval block cannot be edited line by line; the message says why."""


@dataclass(frozen=True)
class Approved:
    by: str
    on: date
    expires: date | None
    fingerprint: str


def approve_file(path: Path, approved: Approved) -> bool:
    """Write the approval into the case's file, changing only the approval block's lines
    (each kept with its comment, missing ones added at the block's end). True if it changed."""
    doc = read_document(path)
    rows = path.read_text("utf-8").split("\n")
    if ("approval", "status") not in doc.lines or rows[doc.lines[("approval",)] - 1].rstrip().endswith("}"):
        raise ApprovalEditError("approval must be a block of 'key: value' lines (not {...} on one line)")
    first = doc.lines[("approval", "status")]
    indent = rows[first - 1][:len(rows[first - 1]) - len(rows[first - 1].lstrip())]
    wanted = {"status": "approved", "approved_by": approved.by, "approved_on": approved.on.isoformat(),
              "fingerprint": approved.fingerprint}
    if approved.expires is not None:
        wanted["expires_on"] = approved.expires.isoformat()
    current = doc.data.get("approval") or {}
    # A line already saying what it should is left as written (its quoting, its comment).
    values = {key: value if key in ("status", "approved_on", "expires_on") else json.dumps(value, ensure_ascii=False)
              for key, value in wanted.items() if str(current.get(key, "")) != value}
    last = max(line for loc, line in doc.lines.items() if loc[:1] == ("approval",))
    added = []
    for key, value in values.items():
        line = doc.lines.get(("approval", key))
        if line is None:
            added.append(f"{indent}{key}: {value}")
            continue
        comment = re.search(r"\s+#[^'\"]*$", rows[line - 1])
        rows[line - 1] = f"{indent}{key}: {value}{comment.group(0) if comment else ''}"
    rows[last:last] = added
    text = "\n".join(rows)
    if text == path.read_text("utf-8"):
        return False
    path.write_text(text, "utf-8")
    return True
