"""Sales collateral: branded PDFs, social cards and kit zips rendered by Typst from the
public catalog: planning (plan), rendering (render, fonts) and packaging (package), with
the cache that ties them together (produce)."""

from .jobs import Collateral, Download
from .produce import late_files, produce

__all__ = ["Collateral", "Download", "late_files", "produce"]
