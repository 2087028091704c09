"""QR codes of page addresses: printed on one-pagers, and shown on pages for WeChat,
which has no web share link (readers scan the code in the app)."""

from __future__ import annotations

import base64
import functools
import hashlib
import io
from pathlib import Path

import segno

from ..core.cache import read, write
from ..core.workers import run_all


def _stored(url: str, cache: Path, scale: int, border: int) -> Path:
    return cache / f"{hashlib.sha256(f'{url} {scale} {border}'.encode()).hexdigest()}.svg"


@functools.lru_cache(maxsize=None)
def qr_svg(url: str, cache: Path, scale: int = 1, border: int = 0) -> str:
    """The QR code as SVG text. Drawn once per URL and size, and kept in the cache folder;
    a fixed mask skips segno's search over all eight (eight times the work, and every one
    of them scans)."""
    stored = _stored(url, cache, scale, border)
    kept = read(stored)
    if kept is not None:
        return kept.decode("utf-8")
    out = io.BytesIO()
    segno.make(url, error="m", mask=0, micro=False).save(out, kind="svg", scale=scale, border=border,
                                                         xmldecl=False, svgns=True)
    write(stored, out.getvalue())
    return out.getvalue().decode("utf-8")


PAGE_QR = {"scale": 4, "border": 2}  # the size an <img> on a page shows


def qr_data_uri(url: str, cache: Path) -> str:
    """A QR code an <img> can show at a scannable size without scripts."""
    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(url, cache, **PAGE_QR).encode("utf-8")).decode("ascii")


def prepare_page_codes(urls: list[str], cache: Path) -> None:
    """Draw the pages' QR codes that are not in the cache yet, spread over the CPUs when
    there are many (a few milliseconds each: thousands on a first build)."""
    missing = [url for url in dict.fromkeys(urls) if read(_stored(url, cache, **PAGE_QR)) is None]
    run_all(functools.partial(_draw, cache=cache), missing, minimum=200)


def _draw(url: str, cache: Path) -> None:
    qr_svg(url, cache, **PAGE_QR)
