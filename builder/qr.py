"""QR codes of page addresses: printed on one-pagers, and shown on pages for WeChat,
which has no web share link (readers scan the code in the app)."""

from __future__ import annotations

import base64
import functools
import hashlib
import io
from pathlib import Path

import segno

from .cache import write


@functools.lru_cache(maxsize=None)
def qr_svg(url: str, cache: Path, scale: int = 1, border: int = 0) -> str:
    """The QR code as SVG text. Drawn once per URL and size, and kept in the cache folder;
    a fixed mask skips segno's search over all eight (eight times the work, and every one
    of them scans)."""
    stored = cache / f"{hashlib.sha256(f'{url} {scale} {border}'.encode()).hexdigest()}.svg"
    if stored.exists():
        return stored.read_text("utf-8")
    out = io.BytesIO()
    segno.make(url, error="m", mask=0, micro=False).save(out, kind="svg", scale=scale, border=border,
                                                         xmldecl=False, svgns=True)
    write(stored, out.getvalue())
    return out.getvalue().decode("utf-8")


def qr_data_uri(url: str, cache: Path) -> str:
    """A QR code an <img> can show at a scannable size without scripts."""
    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(url, cache, 4, 2).encode("utf-8")).decode("ascii")
