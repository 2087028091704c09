"""The MkDocs adapter: a thin plugin (plugin.py, hooks in event order) that runs the
pipeline and wires `serve`, and the build and serve commands that drive MkDocs (commands.py)."""

from .commands import ENGINE
from .plugin import CasebookPlugin

__all__ = ["ENGINE", "CasebookPlugin"]
