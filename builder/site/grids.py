"""Columns for a grid of items that leave no orphan row: 6 logos lay out as 6, 3 + 3 or
2 + 2 + 2, never 5 + 1; 7 results as 4 + 3. Pages set the counts as CSS variables (see
.cb-balanced in casebook.css), one for each screen width."""

from __future__ import annotations

import math


def balanced(count: int, widest: int) -> int:
    """The fewest rows that `widest` columns allow, filled as evenly as they can be."""
    if count <= 0:
        return 1
    rows = math.ceil(count / widest)
    return math.ceil(count / rows)


def grid_style(count: int, wide: int = 3, medium: int = 2, narrow: int = 1) -> str:
    """The style attribute of a .cb-balanced grid of `count` items."""
    return (f"--cb-cols:{balanced(count, wide)};--cb-cols-md:{balanced(count, medium)};"
            f"--cb-cols-sm:{balanced(count, narrow)}")
