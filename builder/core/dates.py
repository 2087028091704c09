"""Days: the build day (which cases are public depends on it, so every command takes
--as-of) and how dates read on pages and in PDFs."""

from __future__ import annotations

import os
import re
from datetime import date, datetime, timezone

ENV = "CASEBOOK_AS_OF"


def parse_day(text: str) -> date:
    """A YYYY-MM-DD date, and nothing else Python would also accept (20261123, 2026W471)."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        raise ValueError(f"'{text}' is not a date like 2026-01-31")
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"'{text}' is not a real date") from None


def resolve_as_of(value: date | None) -> date:
    """--as-of, else $CASEBOOK_AS_OF (how `casebook serve` tells MkDocs), else today."""
    if value is not None:
        return value
    text = os.environ.get(ENV)
    if not text:
        return date.today()
    try:
        return parse_day(text)
    except ValueError as exc:
        raise ValueError(f"{ENV}: {exc}") from None


def source_date_epoch(as_of: date) -> str:
    """Midnight UTC of the build day, so dates MkDocs writes (sitemap) are reproducible."""
    return str(int(datetime(as_of.year, as_of.month, as_of.day, tzinfo=timezone.utc).timestamp()))


def long_date(value: date | None) -> str | None:
    """How pages and PDFs print a date: 12 June 2025."""
    return f"{value.day} {value:%B %Y}" if value else None
