"""Image files that content names: known formats only, and SVGs without active parts.

An SVG is a document: opened from the site it could run script on our origin,
so anything that executes or loads from elsewhere is refused.
"""

from __future__ import annotations

import re
from pathlib import Path

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"}
_ACTIVE_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener"}
_EXTERNAL = re.compile(r"^\s*(?!#)\S")
_URL_FN = re.compile(r"url\(\s*['\"]?\s*(?!#)", re.IGNORECASE)


def check_image(path: Path) -> None:
    """Raise ValueError saying why path is not an image we publish."""
    if path.suffix.lower() not in IMAGE_TYPES:
        raise ValueError(f"'{path.name}' is not an image ({', '.join(sorted(IMAGE_TYPES))})")
    if path.suffix.lower() == ".svg":
        _check_svg(path)


def _check_svg(path: Path) -> None:
    try:
        root = ElementTree.parse(path).getroot()
    except (ElementTree.ParseError, DefusedXmlException) as exc:
        raise ValueError(f"'{path.name}' is not a well-formed SVG ({exc})") from None
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1].lower()
        if tag in _ACTIVE_ELEMENTS:
            raise ValueError(f"'{path.name}' contains a <{tag}> element")
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            if local.startswith("on"):
                raise ValueError(f"'{path.name}' has an event handler ({local})")
            if local == "href" and _EXTERNAL.match(value):
                raise ValueError(f"'{path.name}' links to '{value[:40]}'; only in-file references (#id) are allowed")
            if _URL_FN.search(value):
                raise ValueError(f"'{path.name}' loads an external resource in '{local}'")
        if tag == "style" and element.text and (_URL_FN.search(element.text) or "@import" in element.text):
            raise ValueError(f"'{path.name}' loads an external resource in <style>")
