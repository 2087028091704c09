"""A picture of a document's first page, for the cards that offer the document: rendered
once per PDF with PDFium, kept in the cache under the PDF's digest, saved as WebP."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pypdfium2 as pdfium

from ..core.cache import read, versions, write

WIDTH = 480  # pixels: sharp on a 2x screen at the cards' 240 CSS pixels
KINDS = {"whitepaper", "kit", "casebook"}  # one-pagers are shown by the customer's logo instead
TEMPLATES = {"whitepaper.typ", "kit.typ", "casebook.typ"}  # what renders those kinds: their workers make the picture


def thumbnail_key(pdf: bytes) -> str:
    return hashlib.sha256(pdf + f"{WIDTH} {versions('pypdfium2', 'pillow')}".encode()).hexdigest()


def thumbnail(pdf: bytes, cache: Path) -> tuple[str, bytes]:
    """(cache key, WebP bytes) of the first page."""
    key = thumbnail_key(pdf)
    stored = cache / f"{key}.webp"
    data = read(stored)
    if data is None:
        document = pdfium.PdfDocument(pdf)
        try:
            page = document[0]
            image = page.render(scale=WIDTH / page.get_width()).to_pil().convert("RGB")
        finally:
            document.close()
        out = io.BytesIO()
        image.save(out, "WEBP", quality=80, method=6)
        data = out.getvalue()
        write(stored, data)
    return key, data
