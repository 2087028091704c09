"""The pages of a rendered PDF as a case book or kit places them, instead of typesetting the
document again (Typst's `image(path, page: n)`). A placed page shows the original, text
included, but brings none of its links or bookmarks along, so the template makes them again
over the page (see lib.typ's placed-pages) from what is read here with PDFium: read once,
by the worker that renders the document, from the pages it loads for the guard's text
anyway, and kept in the document's cache entry."""

from __future__ import annotations

import ctypes
import json
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..core.cache import read

PLACED_TEMPLATES = {"case.typ", "whitepaper.typ"}  # the documents kits and case books place
FORMAT = 1  # of what placed_pages reads: part of every cache key (produce.fingerprint), so a change renders anew
BODY = "cb-body"  # the named destination whitepaper.typ sets where the body starts, after the cover and contents


def placed_pages(document: pdfium.PdfDocument, pages: list[pdfium.PdfPage]) -> dict[str, Any]:
    """The document's loaded pages with their size, links and bookmarks (in points, from the
    page's top left corner), and the page where a document with front matter starts its body."""
    marks = _marks(document)
    return {"pages": [_page(document, page, index, marks.get(index, [])) for index, page in enumerate(pages)],
            "body": _named_page(document, BODY)}


def placed(entry: Path, path: str) -> dict[str, Any]:
    """A rendered document as a book places it: `path` names its PDF for Typst, and the pages
    come from its cache entry's facts (entry: the PDF in the cache; see render._produce_one). The
    entries were checked before the book was planned; one damaged since stops the render."""
    raw = read(entry.with_suffix(".json"))
    facts = json.loads(raw).get("placed") if raw is not None else None
    if not isinstance(facts, dict):
        raise RuntimeError(f"{entry.with_suffix('.json')} is missing or damaged; build again to render it anew")
    return {"path": path, **facts}


def _page(document: pdfium.PdfDocument, page: pdfium.PdfPage, index: int, marks: list[dict[str, Any]]) -> dict[str, Any]:
    width, height = page.get_size()
    return {"number": index + 1, "width": _pt(width), "height": _pt(height), "marks": marks,
            "links": _links(document, page, height)}


def _marks(document: pdfium.PdfDocument) -> dict[int, list[dict[str, Any]]]:
    """The bookmarks by page index, in document order: level (0 at the top), title and the
    height the viewer jumps to."""
    marks: dict[int, list[dict[str, Any]]] = {}
    for bookmark in document.get_toc():
        dest = bookmark.get_dest()
        if dest is None or dest.get_index() is None:
            continue
        index = dest.get_index()
        _, view = dest.get_view()
        top = document.get_page_size(index)[1] - view[1] if len(view) > 1 and view[1] is not None else 0.0
        marks.setdefault(index, []).append({"level": bookmark.level, "title": bookmark.get_title(), "y": _pt(max(top, 0.0))})
    return marks


def _links(document: pdfium.PdfDocument, page: pdfium.PdfPage, height: float) -> list[dict[str, Any]]:
    """The page's web links and their areas. Links within the document (a contents page's)
    are left out: they would point into pages the book does not hold as such."""
    links = []
    position, link = ctypes.c_int(0), pdfium_c.FPDF_LINK()
    while pdfium_c.FPDFLink_Enumerate(page.raw, ctypes.byref(position), ctypes.byref(link)):
        action = pdfium_c.FPDFLink_GetAction(link)
        rect = pdfium_c.FS_RECTF()
        if not action or pdfium_c.FPDFAction_GetType(action) != pdfium_c.PDFACTION_URI \
                or not pdfium_c.FPDFLink_GetAnnotRect(link, rect):
            continue
        size = pdfium_c.FPDFAction_GetURIPath(document.raw, action, None, 0)
        buffer = ctypes.create_string_buffer(size)
        pdfium_c.FPDFAction_GetURIPath(document.raw, action, buffer, size)
        links.append({"url": buffer.value.decode("utf-8", "replace"), "x": _pt(rect.left), "y": _pt(height - rect.top),
                      "w": _pt(rect.right - rect.left), "h": _pt(rect.top - rect.bottom)})
    return links


def _named_page(document: pdfium.PdfDocument, name: str) -> int | None:
    """The page number (from 1) a named destination points at, if the document has it."""
    dest = pdfium_c.FPDF_GetNamedDestByName(document.raw, name.encode("ascii"))
    index = pdfium_c.FPDFDest_GetDestPageIndex(document.raw, dest) if dest else -1
    return index + 1 if index >= 0 else None


def _pt(value: float) -> float:
    return round(value, 2)
