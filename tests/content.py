"""The example content read independently of the builder, so tests check it from outside."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from conftest import REPO


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8").split("---\n", 2)[1])


def cases(root: Path = REPO) -> dict[str, dict]:
    return {p.stem: front_matter(p) for p in sorted((root / "cases").glob("*.md")) if "." not in p.stem}  # not translations


def public(meta: dict, as_of: date) -> bool:
    approval = meta["approval"]
    return (approval["status"] == "approved"
            and (meta.get("publish_on") is None or meta["publish_on"] <= as_of)
            and (approval.get("expires_on") is None or approval["expires_on"] > as_of))


def internal_values(value) -> list[str]:
    """Every leaf string under `internal`."""
    if isinstance(value, dict):
        return [s for v in value.values() for s in internal_values(v)]
    if isinstance(value, list):
        return [s for v in value for s in internal_values(v)]
    return [str(value)] if value not in (None, "") else []
