"""Site engines: adapters that build the staged docs tree into a site (MkDocs, ProperDocs).
An adapter is imported only when chosen, so a project on one engine never loads another."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..content.settings import ENGINES
from ..pipeline.publish import BuildSite


@dataclass(frozen=True)
class Engine:
    name: str
    build: BuildSite  # `casebook build`: the staged result into a site folder
    serve: Callable[[Path, str], None]  # `casebook serve`: (mkdocs.yml, IP:PORT) until interrupted


def engine(name: str) -> Engine:
    """The adapter of one of ENGINES, each a module of this package with an ENGINE."""
    if name not in ENGINES:
        raise ValueError(f"unknown engine '{name}' (one of: {', '.join(ENGINES)})")
    return importlib.import_module(f"{__name__}.{name}").ENGINE
