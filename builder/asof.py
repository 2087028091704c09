"""The build day: which cases are public depends on it, so every command takes --as-of."""

from __future__ import annotations

import os
from datetime import date, datetime, timezone

ENV = "CASEBOOK_AS_OF"


def resolve_as_of(value: str | None) -> date:
    """--as-of, else $CASEBOOK_AS_OF (how `casebook serve` tells MkDocs), else today."""
    text = value or os.environ.get(ENV)
    return date.fromisoformat(text) if text else date.today()


def source_date_epoch(as_of: date) -> str:
    """Midnight UTC of the build day, so dates MkDocs writes (sitemap) are reproducible."""
    return str(int(datetime(as_of.year, as_of.month, as_of.day, tzinfo=timezone.utc).timestamp()))
