"""The ProperDocs adapter. ProperDocs, a maintained fork of MkDocs 1.x, answers every
`mkdocs.*` import once `properdocs.replacement` is loaded, so the MkDocs adapter (plugin
and commands) runs on it unchanged; only the engine behind those imports differs."""

from __future__ import annotations

import sys

from ..pipeline.publish import BuildFailed

if "mkdocs.commands" in sys.modules and not sys.modules["mkdocs.commands"].__name__.startswith("properdocs"):
    # The redirect only reaches modules imported after it: half of each would build nothing sound.
    raise BuildFailed("MkDocs is already loaded in this process; run the ProperDocs engine in a process of its own")

try:
    import properdocs.replacement  # noqa: F401 - must come before anything imports mkdocs
except ImportError:
    raise BuildFailed("engine: properdocs is not installed (pip install 'properdocs>=1.6.7,<1.7')") from None

from . import Engine  # noqa: E402
from .mkdocs.commands import build_site, serve_site  # noqa: E402

ENGINE = Engine("properdocs", build_site, serve_site)
