"""CSV that spreadsheets open safely: a cell that starts like a formula is prefixed with
an apostrophe, so text from content or from visitors (analytics props) is never run."""

from __future__ import annotations

import csv
import io
from typing import Iterable

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> object:
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def csv_text(rows: Iterable[Iterable[object]], line_end: str = "\n") -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=line_end)
    writer.writerows([cell(value) for value in row] for row in rows)
    return out.getvalue()
