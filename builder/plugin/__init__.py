"""The MkDocs adapter: a thin plugin that runs the pipeline and wires `serve`."""

from .plugin import CasebookPlugin

__all__ = ["CasebookPlugin"]
