"""The text layer of PDFs, kept by content: render workers extract it as they render,
so the leak guard, which reads every output, parses no PDF twice."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pypdfium2 as pdfium

from .cache import write


def texts_cache(cache_dir: Path) -> Path:
    """Where PDFs' text layers are kept: render workers fill it, so the guard reads no PDF twice."""
    return cache_dir / "audit"


def pdf_text(data: bytes, cache_dir: Path | None, used: set[str] | None = None) -> str:
    """A PDF's text layer; cached by content, so unchanged PDFs are not parsed again."""
    key = hashlib.sha256(data).hexdigest()
    if used is not None:
        used.add(key)
    stored = cache_dir / f"{key}.pdfium.json" if cache_dir else None
    if stored and stored.exists():
        return json.loads(stored.read_text("utf-8"))
    document = pdfium.PdfDocument(data)  # PDFium: about ten times faster than a pure-Python reader
    try:
        parts = [page.get_textpage().get_text_range() for page in document]
        parts += [str(value) for value in document.get_metadata_dict().values()]
    finally:
        document.close()
    text = "\n".join(parts)
    if stored:
        write(stored, json.dumps(text).encode("utf-8"))
    return text
