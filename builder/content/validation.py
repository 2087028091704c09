"""Validate parsed YAML against a pydantic model, with located, friendly messages.

Pydantic's messages speak to programmers; marketers need the line, the field,
what was expected and a hint. Unknown keys are warnings naming the closest key.
"""

from __future__ import annotations

import functools
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..core.problems import Problem, closest
from ..core.source import Document, Loc
from .model import PUBLICATION_FIELDS

M = TypeVar("M", bound=BaseModel)

_TYPE_NAMES = {
    "str": "text",
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "list": "a list",
    "dict": "a mapping of fields",
    "NoneType": "nothing",
    "date": "a date",
}

_EXPECTED = {
    "string_type": ("expected text", 'quote it: "..."'),
    "list_type": ("expected a list", "write [a, b] or one '- item' per line"),
    "dict_type": ("expected a mapping of fields", "indent the fields below this key"),
    "model_type": ("expected a mapping of fields", "indent the fields below this key"),
    "model_attributes_type": ("expected a mapping of fields", "indent the fields below this key"),
    "bool_type": ("expected true or false", ""),
    "bool_parsing": ("expected true or false", ""),
    "int_type": ("expected a whole number", ""),
    "int_parsing": ("expected a whole number", ""),
    "float_type": ("expected a number", ""),
    "float_parsing": ("expected a number", ""),
}


def dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def validate(model: type[M], doc: Document, path: str, context: dict[str, Any] | None = None,
             base: Loc = ()) -> tuple[M | None, list[Problem]]:
    """Validate doc.data (or its subtree at base) and report every problem located."""
    data = doc.data
    for part in base:
        data = data[part]
    problems = [
        Problem(path, doc.line_of((*base, *loc)), "error" if guarded else "warning", message, hint)
        for loc, message, hint, guarded in unknown_keys(model, data, ())
    ]
    try:
        return model.model_validate(data, context=context), problems
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            message, hint = explain(error)
            problems.append(Problem(path, doc.line_of((*base, *loc)), "error", f"{dotted((*base, *loc))}: {message}", hint))
        return None, problems


def explain(error: Any) -> tuple[str, str]:
    """Turn one pydantic error into (message, hint)."""
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "required field is missing", f"add '{error['loc'][-1]}:' here"
    if kind in _EXPECTED:
        message, hint = _EXPECTED[kind]
        return f"{message}, got {_describe(value)}", hint
    if kind in ("literal_error", "enum"):
        return f"{_describe(value)} is not allowed", f"allowed: {ctx.get('expected', '')}"
    if kind == "string_too_long":
        return (f"is {len(value)} characters; at most {ctx['max_length']} allowed",
                "shorten it: cards, feeds and social posts show it whole")
    if kind == "string_too_short":
        return "must not be empty", ""
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length', 1)} item(s)", ""
    if kind == "too_long":
        return f"has too many items: at most {ctx.get('max_length')}", ""
    if kind == "extra_forbidden":
        return "unknown field", ""
    custom_hint = ctx.get("hint", "")
    message = error["msg"].removeprefix("Value error, ")
    return message, custom_hint


def _describe(value: Any) -> str:
    if value is None or isinstance(value, (dict, list)):
        return _TYPE_NAMES[type(value).__name__]
    text = repr(value) if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def unknown_keys(model: type[BaseModel], data: Any, loc: Loc) -> list[tuple[Loc, str, str, bool]]:
    """Keys the model does not know, recursively, with the closest known name, and whether
    the likely intended field decides what is public (then the typo is an error)."""
    if not isinstance(data, dict) or model.model_config.get("extra") == "allow":
        return []
    found: list[tuple[Loc, str, str, bool]] = []
    fields = _fields(model)
    for key, value in data.items():
        if key not in fields:
            near = closest(key, fields)
            if near in PUBLICATION_FIELDS:
                found.append(((*loc, key), f"unknown field '{dotted((*loc, key))}': did you mean '{near}'?",
                              f"'{near}' decides what is public, so this typo stops the build", True))
            else:
                found.append(((*loc, key), f"unknown field '{dotted((*loc, key))}' is ignored",
                              f"did you mean '{near}'?" if near else "known fields: " + ", ".join(fields), False))
            continue
        inner, many = fields[key]
        if inner is None:
            continue
        if many and isinstance(value, list):
            for index, item in enumerate(value):
                found += unknown_keys(inner, item, (*loc, key, index))
        elif not many:
            found += unknown_keys(inner, value, (*loc, key))
    return found


@functools.cache
def _fields(model: type[BaseModel]) -> dict[str, tuple[type[BaseModel] | None, bool]]:
    """Each field's YAML name -> (nested model, is a list), worked out once per model."""
    return {(f.alias or name): _inner_model(f.annotation) for name, f in model.model_fields.items()}


def _inner_model(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """The model inside Optional[...] / list[...] annotations, and whether it is a list."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (list, tuple):
        inner, _ = _inner_model(args[0]) if args else (None, False)
        return inner, True
    if origin in (typing.Union, types.UnionType) or origin is typing.Annotated:
        for arg in args:
            inner, many = _inner_model(arg)
            if inner is not None:
                return inner, many
    return None, False
