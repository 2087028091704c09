"""The text layer of PDFs, kept by content: render workers extract it as they render,
so the leak guard, which reads every output, parses no PDF twice."""

from __future__ import annotations

import hashlib
import json
from importlib import metadata
from pathlib import Path

import pypdfium2 as pdfium

from .cache import read, write


def texts_cache(cache_dir: Path) -> Path:
    """Where PDFs' text layers are kept: render workers fill it, so the guard reads no PDF twice."""
    return cache_dir / "audit"


def pdf_text(data: bytes, cache_dir: Path | None, used: set[str] | None = None) -> str:
    """A PDF's text layer; cached by content, so unchanged PDFs are not parsed again. An entry
    is used only if intact and made from this very PDF by this PDFium: an emptied, edited or
    stale entry could hide a leak, so it is read from the PDF again."""
    key = hashlib.sha256(data).hexdigest()
    if used is not None:
        used.add(key)
    stored = cache_dir / f"{key}.pdfium-{_READER}.json" if cache_dir else None
    kept = _kept(stored, key) if stored else None
    if kept is not None:
        return kept
    document = pdfium.PdfDocument(data)  # PDFium: about ten times faster than a pure-Python reader
    try:
        parts = [page.get_textpage().get_text_range() for page in document]
        parts += [str(value) for value in document.get_metadata_dict().values()]
    finally:
        document.close()
    text = "\n".join(parts)
    if stored:
        write(stored, json.dumps({"pdf": key, "text": text}).encode("utf-8"))
    return text


_READER = metadata.version("pypdfium2")


def _kept(stored: Path, key: str) -> str | None:
    raw = read(stored)
    try:
        entry = json.loads(raw) if raw is not None else None
    except ValueError:
        return None
    if isinstance(entry, dict) and entry.get("pdf") == key and isinstance(entry.get("text"), str):
        return entry["text"]
    return None
