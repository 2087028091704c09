"""Where the case library has gaps: public cases per industry x size, role and stage.

Buyers trust cases from companies like theirs, so an empty cell is a segment that sales
cannot serve with proof, and a cell with one case is one withdrawal away from empty.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from html import escape

from ..catalog.catalog import Catalog, facet_keys
from ..core import spreadsheet

COLUMNS = ("sizes", "roles", "stages")


@dataclass(frozen=True)
class Matrix:
    facet: str  # the column facet; rows are industries
    rows: list[tuple[str, str]]  # (key, label)
    columns: list[tuple[str, str]]
    counts: dict[tuple[str, str], int]
    default: dict[tuple[str, str], int] | None = None  # a translation's matrix: the default language's counts

    def status(self, cell: tuple[str, str]) -> str:
        """'untranslated': the default language has cases here and this language none."""
        count = self.counts[cell]
        if count == 0 and self.default and self.default[cell]:
            return "untranslated"
        return "gap" if count == 0 else "thin" if count == 1 else ""


def matrices(catalog: Catalog, default: Catalog | None = None) -> list[Matrix]:
    """Public cases per cell; with `default`, the catalog is a language's, compared with the default language's."""
    reference = {m.facet: m.counts for m in matrices(default)} if default is not None else {}
    taxonomy = catalog.taxonomy
    rows = [(key, term.label) for key, term in taxonomy.industries.items()]
    result = []
    for facet in COLUMNS:
        columns = [(key, term.label) for key, term in taxonomy.terms(facet).items()]
        counts = {(r, c): 0 for r, _ in rows for c, _ in columns}
        for case in catalog.cases:
            industry = case.meta.customer.industry
            for key in facet_keys(case, facet, taxonomy):
                counts[(industry, key)] += 1
        result.append(Matrix(facet, rows, columns, counts, reference.get(facet)))
    return result


def text_table(matrix: Matrix) -> str:
    """A terminal table; 0 and 1 carry a marker so gaps read without colour."""
    width = max(len(label) for _, label in matrix.rows) + 2
    cells = [label[:12] for _, label in matrix.columns]
    lines = [" " * width + "".join(f"{c:>14}" for c in cells)]
    for key, label in matrix.rows:
        row = ""
        for column, _ in matrix.columns:
            count = matrix.counts[(key, column)]
            mark = {"gap": " gap", "thin": " thin", "untranslated": " untr."}.get(matrix.status((key, column)), "")
            row += f"{str(count) + mark:>14}"
        lines.append(f"{label:<{width}}{row}")
    return "\n".join(lines)


def csv_text(all_matrices: list[Matrix]) -> str:
    rows: list[list[object]] = [["facet", "industry", "segment", "public_cases", "status"]]
    rows += [[matrix.facet, key, column, matrix.counts[(key, column)], matrix.status((key, column))]
             for matrix in all_matrices for key, _ in matrix.rows for column, _ in matrix.columns]
    return spreadsheet.csv_text(rows)


def svg_heatmap(matrix: Matrix, title: str) -> str:
    """Shade by count, and print the count and 'gap'/'thin' in each cell: readable without colour."""
    cell_w, cell_h, left, top = 110, 34, 190, 62
    peak = max(matrix.counts.values(), default=0) or 1
    width = left + cell_w * len(matrix.columns) + 10
    height = top + cell_h * len(matrix.rows) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="{escape(title)}" font-family="sans-serif" font-size="13">']
    for i, (_, label) in enumerate(matrix.columns):  # whole labels, on up to three lines
        lines = textwrap.wrap(label, 15, max_lines=3, placeholder="…") or [""]
        x = left + i * cell_w + cell_w / 2
        spans = "".join(f'<tspan x="{x}" dy="{0 if n == 0 else 15}">{escape(line)}</tspan>' for n, line in enumerate(lines))
        parts.append(f'<text x="{x}" y="{top - 10 - 15 * (len(lines) - 1)}" text-anchor="middle"><title>{escape(label)}</title>{spans}</text>')
    for j, (key, label) in enumerate(matrix.rows):
        y = top + j * cell_h
        parts.append(f'<text x="{left - 8}" y="{y + cell_h / 2 + 4}" text-anchor="end">{escape(label)}</text>')
        for i, (column, _) in enumerate(matrix.columns):
            count = matrix.counts[(key, column)]
            shade = 245 - round(170 * count / peak)
            fill = f"rgb({shade},{shade},255)"
            status = matrix.status((key, column))
            stroke = ' stroke="#b00020" stroke-width="2" stroke-dasharray="4 3"' if status in ("gap", "untranslated") else ' stroke="#fff"'
            x = left + i * cell_w
            parts.append(f'<rect x="{x}" y="{y}" width="{cell_w}" height="{cell_h}" fill="{fill}"{stroke}/>')
            label_text = f"{count} {status}".strip()
            colour = "#fff" if shade < 140 else "#111"
            parts.append(f'<text x="{x + cell_w / 2}" y="{y + cell_h / 2 + 4}" text-anchor="middle" fill="{colour}">{label_text}</text>')
    parts.append("</svg>")
    return "".join(parts)


TITLES = {"sizes": "Industry × company size", "roles": "Industry × role", "stages": "Industry × growth stage"}


def html_page(all_matrices: list[Matrix], as_of: str) -> str:
    """The internal coverage page (written outside the public site)."""
    sections = "".join(f"<section><h2>{TITLES[m.facet]}</h2>{svg_heatmap(m, TITLES[m.facet])}</section>"
                       for m in all_matrices)
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Case coverage</title>"
            "<style>body{font-family:sans-serif;margin:2rem}section{margin-bottom:2rem}</style></head><body>"
            f"<h1>Case coverage, {escape(as_of)}</h1><p>Public cases per cell. <strong>gap</strong>: no case "
            "(dashed outline); <strong>thin</strong>: one case; <strong>untranslated</strong>: cases in the default language, "
            "none in this one.</p>" + sections + "</body></html>\n")
