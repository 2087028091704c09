"""The pages of a rendered PDF as a case book or kit places them, instead of typesetting the
document again (Typst's `image(path, page: n)`). A placed page shows the original, text
included, but brings none of its links or bookmarks along: they are read here with PDFium,
so the template can make them again over the page (see lib.typ's placed-pages)."""

from __future__ import annotations

import ctypes
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..core.cache import read

BODY = "cb-body"  # the named destination whitepaper.typ sets where the body starts, after the cover and contents


def placed_pages(file: Path, path: str) -> dict[str, Any]:
    """The file's pages with their size, links and bookmarks (in points, from the page's
    top left corner), and the page where a document with front matter starts its body.
    `path` names the file for Typst; the file is read through the cache's digest check, so a
    damaged entry stops the render instead of being shown."""
    data = read(file)
    if data is None:
        raise RuntimeError(f"{file} is missing or damaged; build again to render it anew")
    document = pdfium.PdfDocument(data)
    try:
        marks = _marks(document)
        pages = [_page(document, index, marks.get(index, [])) for index in range(len(document))]
        body = _named_page(document, BODY)
    finally:
        document.close()
    return {"path": path, "pages": pages, "body": body}


def _page(document: pdfium.PdfDocument, index: int, marks: list[dict[str, Any]]) -> dict[str, Any]:
    page = document[index]
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
        top = document[index].get_height() - view[1] if len(view) > 1 and view[1] is not None else 0.0
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
