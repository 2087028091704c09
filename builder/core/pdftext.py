"""The text layer of PDFs, kept by content: render workers extract it as they render,
so the leak guard, which reads every output, parses no PDF twice."""

from __future__ import annotations

import hashlib
import json
from importlib import metadata
from pathlib import Path
from typing import Iterable

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
    kept = _kept(_stored(cache_dir, key), key) if cache_dir else None
    if kept is not None:
        return kept
    document = pdfium.PdfDocument(data)  # PDFium: about ten times faster than a pure-Python reader
    try:
        text = text_layer(document, document)
    finally:
        document.close()
    if cache_dir:
        _keep(cache_dir, key, text)
    return text


def text_layer(document: pdfium.PdfDocument, pages: Iterable[pdfium.PdfPage]) -> str:
    """What the guard reads of a PDF: the text of its (loaded) pages, then its metadata.
    A render worker that loads the pages for more than their text passes them in."""
    parts = [page.get_textpage().get_text_range() for page in pages]
    parts += [str(value) for value in document.get_metadata_dict().values()]
    return "\n".join(parts)


def keep_text(data: bytes, text: str, cache_dir: Path) -> None:
    """Keep the text layer of the PDF `data` for the guard, made by text_layer."""
    _keep(cache_dir, hashlib.sha256(data).hexdigest(), text)


def _keep(cache_dir: Path, key: str, text: str) -> None:
    write(_stored(cache_dir, key), json.dumps({"pdf": key, "text": text}).encode("utf-8"))


def _stored(cache_dir: Path, key: str) -> Path:
    return cache_dir / f"{key}.pdfium-{_READER}.json"


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
