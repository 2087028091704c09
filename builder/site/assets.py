"""The theme's own scripts and style sheets as the site serves them: minified (rjsmin,
rcssmin), since every page loads them; vendored files that come minified stay as they are."""

from __future__ import annotations

from pathlib import Path

import rcssmin
import rjsmin

from .staging import Source


def served(path: Path) -> Source:
    """A theme asset's staged content: a minified text for our .js and .css, else the file."""
    if path.name.endswith((".min.js", ".min.css")) or path.suffix not in (".js", ".css"):
        return path
    text = path.read_text("utf-8")
    return (rjsmin.jsmin(text) if path.suffix == ".js" else rcssmin.cssmin(text)) + "\n"
