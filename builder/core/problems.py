"""Located problems: every check reports here, so one run lists all of them."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    severity: Severity
    message: str
    hint: str = ""
    excerpt: str = ""  # the offending line and a caret under the column, for syntax errors

    def text(self) -> str:
        hint = f" (hint: {self.hint})" if self.hint else ""
        shown = "".join(f"\n    {_one_line(row)}" for row in self.excerpt.split("\n")) if self.excerpt else ""
        return _one_line(f"{self.path}:{self.line}: {self.severity}: {self.message}{hint}") + shown

    def github(self) -> str:
        # Workflow commands need '%', CR and LF escaped in the message part.
        message = self.message + (f" (hint: {self.hint})" if self.hint else "")
        escaped = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{self.severity} file={_one_line(self.path)},line={self.line}::{escaped}"


def _one_line(text: str) -> str:
    """Content quoted in a message must not fake further message lines."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The nearest known spelling, for 'did you mean' hints."""
    matches = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return matches[0] if matches else None


def choice_hint(word: str, choices: Iterable[str]) -> str:
    """'did you mean X?' plus the allowed values, as marketers need both."""
    options = list(choices)
    near = closest(word, options)
    allowed = "allowed: " + ", ".join(options)
    return f"did you mean '{near}'? {allowed}" if near else allowed


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def summary(problems: list[Problem], files: int) -> str:
    n_err = len(errors(problems))
    n_warn = len(problems) - n_err
    plural = lambda n, word: f"{n} {word}{'' if n == 1 else 's'}"  # noqa: E731
    return f"{plural(files, 'file')} checked: {plural(n_err, 'error')}, {plural(n_warn, 'warning')}"
