"""Analytics exports read into page views and downloads per path, with located errors.

Marketers download these files from their analytics tool by hand, so the reader takes
them as the tools write them: GA4's report CSVs (comment lines, several tables in one
file) and Plausible's dashboard export (a zip of CSVs, or its CSVs one by one). Header
names are matched case-insensitively; other columns are ignored. See the README's
"Content performance" section for the layouts.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..core.problems import Problem

MAX_BYTES = 100 * 1024 * 1024  # a larger "export" is the wrong file, or a zip bomb
PLAUSIBLE_FILES = ("pages.csv", "custom_props.csv")  # the members of Plausible's zip that matter here

PAGE_COLUMNS = ("page path and screen class", "page path", "page path + query string", "page location", "page")
VIEW_COLUMNS = ("views", "screen page views", "pageviews")
LINK_COLUMNS = ("link url", "file name")
PROP_COLUMNS = ("prop", "property")
PROP_VALUE_COLUMNS = ("name", "value")
PROP_COUNT_COLUMNS = ("total_conversions", "events")
VIEW_EVENTS = {"page_view", "pageview"}
DOWNLOAD_EVENTS = {"file_download", "file download"}  # GA4's and Plausible's names; Casebook's pages send these
DOWNLOAD_PROP = "url"  # Plausible's File Download goal carries the file's address in this property
LAYOUTS = ("GA4 pages: 'Page path and screen class' (or 'Page path') and 'Views'; "
           "GA4 events: 'Event name', 'Event count' and 'Link URL' or a page column; "
           "Plausible pages.csv: 'name' and 'pageviews'; Plausible custom_props.csv: 'prop', 'name', 'total_conversions'")


@dataclass
class Traffic:
    """Counts per path exactly as exported (full URLs, query strings and all)."""

    views: Counter[str] = field(default_factory=Counter)
    downloads: Counter[str] = field(default_factory=Counter)
    files: int = 0


@dataclass(frozen=True)
class _Layout:
    """Which columns of a table hold what; `kind` is views, events or props."""

    kind: str
    columns: dict[str, int]
    names: dict[str, str]  # role -> the header as written, for messages


def read_exports(paths: list[Path]) -> tuple[Traffic, list[Problem]]:
    traffic, problems = Traffic(), []
    for path in paths:
        problems += _read_file(path, traffic)
        traffic.files += 1
    return traffic, problems


def _read_file(path: Path, traffic: Traffic) -> list[Problem]:
    shown = str(path)
    if not path.is_file():
        return [Problem(shown, 1, "error", "analytics file not found", "give the path of the CSV or zip you exported")]
    if path.stat().st_size > MAX_BYTES:
        return [Problem(shown, 1, "error", f"file is larger than {MAX_BYTES // 2**20} MB", "export a shorter date range")]
    data = path.read_bytes()
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return _read_csv(shown, data, traffic)
    try:
        return _read_zip(shown, data, traffic)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        return [Problem(shown, 1, "error", f"the zip is damaged: {exc}", "download the export again")]


def _read_zip(shown: str, data: bytes, traffic: Traffic) -> list[Problem]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {Path(info.filename).name: info for info in archive.infolist()}
        wanted = [members[name] for name in PLAUSIBLE_FILES if name in members]
        if "pages.csv" not in members:
            return [Problem(shown, 1, "error", "zip holds no pages.csv", "use Plausible's dashboard export (Export, then the zip)")]
        problems = []
        for info in wanted:
            if info.file_size > MAX_BYTES:
                problems.append(Problem(f"{shown}/{info.filename}", 1, "error", "member is too large", "export a shorter date range"))
            else:
                problems += _read_csv(f"{shown}/{info.filename}", archive.read(info), traffic)
        return problems


def _decode(shown: str, data: bytes) -> tuple[str | None, list[Problem]]:
    encoding = "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"
    try:
        return data.decode(encoding), []
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        return None, [Problem(shown, line, "error", "file is not UTF-8 text", "export it again as CSV, without converting it")]


def _read_csv(shown: str, data: bytes, traffic: Traffic) -> list[Problem]:
    text, problems = _decode(shown, data)
    if text is None:
        return problems
    if "\x00" in text:
        line = text[:text.index("\x00")].count("\n") + 1
        return [Problem(shown, line, "error", "file holds binary data, not CSV", "export the report as CSV")]
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
    layout: _Layout | None = None
    tables = recognised = 0
    try:
        for row in reader:
            if not any(cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
                layout = None  # GA4 separates tables with blank and comment lines
                continue
            if layout is None:
                layout = _layout(row)
                tables += 1
                recognised += layout.kind != "unknown"
                continue
            if layout.kind != "unknown":
                problems += _add_row(shown, reader.line_num, row, layout, traffic)
    except csv.Error as exc:
        problems.append(Problem(shown, reader.line_num, "error", f"not a readable CSV: {exc}", "export the report as CSV"))
    if not recognised and not problems:
        problems.append(Problem(shown, 1, "error", "no table with page views or downloads" if tables else "file is empty",
                                f"expected the columns of one of: {LAYOUTS}"))
    return problems


def _delimiter(text: str) -> str:
    """Comma as the tools write it; semicolon or tab when a spreadsheet saved it again
    (Excel in many European locales, or as "Unicode text")."""
    first = next((line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")), "")
    return max((",", ";", "\t"), key=first.count)


def _find(header: list[str], names: tuple[str, ...]) -> int | None:
    folded = [cell.strip().lower() for cell in header]
    return next((folded.index(name) for name in names if name in folded), None)


def _layout(header: list[str]) -> _Layout:
    """The first row of a table names its columns; tables of anything else are skipped."""
    found = {role: _find(header, names) for role, names in (
        ("page", PAGE_COLUMNS), ("views", VIEW_COLUMNS), ("event", ("event name",)), ("count", ("event count",)),
        ("link", LINK_COLUMNS), ("prop", PROP_COLUMNS), ("value", PROP_VALUE_COLUMNS), ("total", PROP_COUNT_COLUMNS))}
    if found["page"] is None and found["views"] is not None and _find(header, ("name",)) is not None:
        found["page"] = _find(header, ("name",))  # Plausible's pages.csv calls the page 'name'
    roles = {"events": ("event", "count"), "props": ("prop", "value", "total"), "views": ("page", "views")}
    for kind, needed in roles.items():
        if all(found[role] is not None for role in needed) and (kind != "events" or found["page"] is not None or found["link"] is not None):
            columns = {role: index for role, index in found.items() if index is not None}
            return _Layout(kind, columns, {role: header[index].strip() for role, index in columns.items()})
    return _Layout("unknown", {}, {})


def _count(shown: str, line: int, row: list[str], layout: _Layout, role: str) -> tuple[int | None, list[Problem]]:
    raw = row[layout.columns[role]].strip().replace(",", "").replace("\u00a0", "").replace(" ", "")
    if raw.isascii() and raw.isdigit() and len(raw) <= 15:
        return int(raw), []
    return None, [Problem(shown, line, "error", f"{layout.names[role]}: '{row[layout.columns[role]]}' is not a count",
                          "a whole number of 0 or more; export the report again without editing it")]


def _add_row(shown: str, line: int, row: list[str], layout: _Layout, traffic: Traffic) -> list[Problem]:
    width = max(layout.columns.values()) + 1
    if len(row) < width:
        return [Problem(shown, line, "error", f"row has {len(row)} columns; the table's header has at least {width}",
                        "a cell or separator is missing on this line")]
    cell = lambda role: row[layout.columns[role]].strip() if role in layout.columns else ""  # noqa: E731
    if layout.kind == "views":
        if cell("page").lower() in ("", "grand total", "total"):
            return []
        count, problems = _count(shown, line, row, layout, "views")
        if count is not None:
            traffic.views[cell("page")] += count
        return problems
    if layout.kind == "props":
        if cell("prop").lower() != DOWNLOAD_PROP:
            return []
        count, problems = _count(shown, line, row, layout, "total")
        if count is not None:
            traffic.downloads[cell("value")] += count
        return problems
    event = cell("event").lower()
    if event not in VIEW_EVENTS | DOWNLOAD_EVENTS:
        return []
    count, problems = _count(shown, line, row, layout, "count")
    target = cell("page") if event in VIEW_EVENTS else cell("link") or cell("page")
    if count is not None and target:
        (traffic.views if event in VIEW_EVENTS else traffic.downloads)[target] += count
    return problems
