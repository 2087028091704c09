"""The preview's answer while content has errors: one page listing every located problem
(file, line, message, hint), so a marketer sees what to fix without reading the terminal."""

from __future__ import annotations

from html import escape
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, TemplateError, select_autoescape

from ..core.problems import Problem, errors

TEMPLATE = "preview/errors.html"


def error_page(templates_dir: Path, problems: list[Problem]) -> str:
    found = errors(problems)
    warnings = [p for p in problems if p.severity != "error"]
    env = Environment(loader=FileSystemLoader(templates_dir), autoescape=select_autoescape(default=True))
    try:
        return env.get_template(TEMPLATE).render(errors=found, warnings=warnings)
    except (TemplateError, OSError):  # a broken or missing template must not hide the errors
        rows = "".join(f"<li>{escape(p.text())}</li>" for p in found + warnings)
        return f"<!doctype html><html lang=en><title>Errors to fix</title><h1>Errors to fix</h1><ol>{rows}</ol></html>"
