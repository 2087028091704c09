"""Image files that content names: known formats only, and SVGs without active parts.

An SVG is a document: opened from the site it could run script on our origin,
so anything that executes, animates links or loads from elsewhere is refused.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from PIL import Image

# Leading bytes of each raster format, so a renamed HTML file is not published as an image.
MAGIC = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
}
IMAGE_TYPES = {*MAGIC, ".svg"}
_REFUSED_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener",
                     "set", "animate", "animatemotion", "animatetransform", "animatecolor"}
_EXTERNAL = re.compile(r"^\s*(?!#)\S")
_ACTIVE_CSS = re.compile(r"url\s*\(|@import|expression\s*\(|\\", re.IGNORECASE)
_LOCAL_URL = re.compile(r"url\(\s*['\"]?#[\w.-]+['\"]?\s*\)")


def _active(css: str) -> bool:
    """CSS that loads, imports or hides behind escapes; url(#id) within the file is fine."""
    return bool(_ACTIVE_CSS.search(_LOCAL_URL.sub("", css)))


def check_image(path: Path) -> None:
    """Raise ValueError saying why path is not an image we publish."""
    suffix = path.suffix.lower()
    if suffix not in IMAGE_TYPES:
        raise ValueError(f"'{path.name}' is not an image ({', '.join(sorted(IMAGE_TYPES))})")
    if suffix == ".svg":
        _check_svg(path)
    else:
        with path.open("rb") as handle:
            head = handle.read(12)
        if not head.startswith(MAGIC[suffix]) or (suffix == ".webp" and head[8:12] != b"WEBP"):
            raise ValueError(f"'{path.name}' is not really a {suffix[1:].upper()} image")


def _check_svg(path: Path) -> None:
    raw = path.read_bytes()
    if b"<?xml-stylesheet" in raw:
        raise ValueError(f"'{path.name}' loads a style sheet")
    try:
        root = ElementTree.fromstring(raw)
    except (ElementTree.ParseError, DefusedXmlException) as exc:
        raise ValueError(f"'{path.name}' is not a well-formed SVG ({exc})") from None
    if root.tag.rsplit("}", 1)[-1].lower() != "svg":
        raise ValueError(f"'{path.name}' is not an SVG image")
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1].lower()
        if tag in _REFUSED_ELEMENTS:
            raise ValueError(f"'{path.name}' contains a <{tag}> element")
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            if local.startswith("on"):
                raise ValueError(f"'{path.name}' has an event handler ({local})")
            if local == "href" and _EXTERNAL.match(value):
                raise ValueError(f"'{path.name}' links to '{value[:40]}'; only in-file references (#id) are allowed")
            if _active(value):
                raise ValueError(f"'{path.name}' loads or escapes in attribute '{local}'")
        if tag == "style" and element.text and _active(element.text):
            raise ValueError(f"'{path.name}' loads an external resource or uses escapes in <style>")


_LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(px)?\s*$")
_TURNED = {5, 6, 7, 8}  # EXIF orientations a browser shows turned a quarter: width and height swap


def image_size(path: Path) -> tuple[int, int] | None:
    """The width and height a browser gives the image (CSS pixels), for <img width height>:
    it keeps the room before the file arrives, so nothing below the image moves. None when
    the file does not say (an SVG sized in %, cm or not at all, without a viewBox)."""
    try:
        stamp = path.stat()
    except OSError:
        return None
    return _size(path, stamp.st_mtime_ns, stamp.st_size)


@functools.lru_cache(maxsize=4096)
def _size(path: Path, mtime_ns: int, size: int) -> tuple[int, int] | None:
    try:
        if path.suffix.lower() == ".svg":
            return _svg_size(ElementTree.fromstring(path.read_bytes()).attrib)
        with Image.open(path) as image:
            width, height = image.size
            turned = image.getexif().get(0x0112) in _TURNED
    except Exception:  # a damaged file (Pillow raises SyntaxError, struct.error, ...): no size, and its own check reports it
        return None
    return (height, width) if turned else (width, height)


def _svg_size(attributes: dict[str, str]) -> tuple[int, int] | None:
    """The root's width and height in px, or what one of them and the viewBox imply; none
    that rounds to nothing (a 0.4 x 0.2 viewBox), which would hide the image."""
    width, height = (_px(attributes.get(name, "")) for name in ("width", "height"))
    box = attributes.get("viewBox", "").replace(",", " ").split()
    try:
        ratio = float(box[2]) / float(box[3]) if len(box) == 4 and float(box[3]) > 0 else None
    except ValueError:
        ratio = None
    if width and height:
        size = width, height
    elif ratio and (width or height):
        size = (width, round(width / ratio)) if width else (round(height * ratio), height)
    elif ratio:
        size = round(float(box[2])), round(float(box[3]))
    else:
        return None
    return size if min(size) >= 1 else None


def _px(value: str) -> int | None:
    match = _LENGTH.match(value)
    return round(float(match.group(1))) or None if match else None
