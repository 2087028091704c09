"""Safe YAML with line numbers: front matter and mkdocs.yml are read here.

PyYAML composes a node tree that keeps each key's line; we build plain data from
it ourselves so every later error can point at the line a marketer must edit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_FRONT_MATTER_BYTES = 256 * 1024
MAX_DEPTH = 24
MAX_NODES = 50_000

Loc = tuple[str | int, ...]

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BOOL = "tag:yaml.org,2002:bool"
_KEEP_TAGS = {"tag:yaml.org,2002:null", "tag:yaml.org,2002:merge"}


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Scalars stay text as written: no YAML 1.1 surprises such as `010` -> 8,
    `1:30` -> 90 or `NO` -> false. Dates are checked later, with a line; only
    true/false are booleans, and null stays null."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag in _KEEP_TAGS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}
# What an explicit scalar tag's value must look like (YAML's own patterns): `!!int _` is an
# error here, not an IndexError deep inside the parser.
_TAG_VALUES = {tag: [rx for rxs in yaml.SafeLoader.yaml_implicit_resolvers.values() for t, rx in rxs if t == tag]
               for tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
                           "tag:yaml.org,2002:null")}
_TAG_NOUNS = {"int": "a whole number", "float": "a number", "bool": "true or false", "null": "empty (null)"}
# mkdocs.yml may hold the tags MkDocs itself reads; they are left to MkDocs.
MKDOCS_TAGS = ("!ENV", "!relative", "tag:yaml.org,2002:python/name:")
# Characters YAML counts as line breaks but editors and the rest of Casebook do not: they
# would shift every later line number, so they are refused where they are.
_EXTRA_BREAKS = re.compile("[\u0085\u2028\u2029]")


class SourceError(Exception):
    """A problem that stops reading one file; carries the 1-based line (and, for syntax
    errors, the offending line with a caret under the column)."""

    def __init__(self, line: int, message: str, hint: str = "", excerpt: str = "") -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.hint = hint
        self.excerpt = excerpt

    def problem(self, path: str) -> Problem:
        return Problem(path, self.line, "error", self.message, self.hint, self.excerpt)


@dataclass
class Document:
    data: dict[str, Any]
    lines: dict[Loc, int] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    numbers: dict[Loc, str] = field(default_factory=dict)  # see yaml12_number

    def line_of(self, loc: Loc) -> int:
        return line_of(self.lines, loc)


def line_of(lines: dict[Loc, int], loc: Loc) -> int:
    """The line of loc, or of its nearest ancestor that exists (for missing keys)."""
    for end in range(len(loc), 0, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return 1


class _Builder:
    """Turns a composed node tree into data + a line map, within size limits."""

    def __init__(self, loader: Any, first_line: int, allowed_tags: tuple[str, ...]) -> None:
        self.loader = loader
        self.first_line = first_line
        self.allowed_tags = allowed_tags
        self.nodes = 0
        self.lines: dict[Loc, int] = {}
        self.numbers: dict[Loc, str] = {}

    def line(self, node: yaml.Node) -> int:
        return node.start_mark.line + self.first_line

    def build(self, node: yaml.Node, loc: Loc, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES or depth > MAX_DEPTH:
            raise SourceError(
                self.line(node),
                "YAML is too large or too deeply nested",
                f"at most {MAX_DEPTH} levels and {MAX_NODES} values; anchors and aliases count each use",
            )
        if node.tag not in _PLAIN_TAGS:
            if node.tag.startswith(self.allowed_tags):
                return None
            raise SourceError(
                self.line(node),
                f"unsupported YAML tag {_shown_tag(node.tag)!r}",
                "remove the tag: only plain text, numbers, lists and mappings are allowed",
            )
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc, depth)
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, child in enumerate(node.value):
                self.lines[(*loc, index)] = self.line(child)
                items.append(self.build(child, (*loc, index), depth + 1))
            return items
        patterns = _TAG_VALUES.get(node.tag)
        if patterns and not any(rx.match(node.value) for rx in patterns):
            kind = node.tag.rsplit(":", 1)[-1]
            raise SourceError(self.line(node), f"'{node.value}' is tagged !!{kind} but is not {_TAG_NOUNS[kind]}",
                              f"remove the tag '!!{kind}'; quote the value if it is text")
        try:
            value = self.loader.construct_object(node, deep=True)
        except Exception as exc:  # PyYAML's constructors fail in many ways on odd values
            raise SourceError(self.line(node), f"unreadable value: {exc}", "remove any '!!' tag and check the value") from exc
        read_as = yaml12_number(value) if not node.style and isinstance(value, str) else None
        if read_as not in (None, value):
            self.numbers[loc] = read_as
        bad = _UNPRINTABLE.search(value) if isinstance(value, str) else None
        if bad:
            raise SourceError(self.line(node), f"text contains the invisible character U+{ord(bad.group()):04X}",
                              "remove the escape sequence (such as \\v or \\x0b) from the quoted text")
        return value

    def _mapping(self, node: yaml.MappingNode, loc: Loc, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise SourceError(self.line(key_node), "YAML merge keys (<<) are not supported", "write the keys out")
            if not isinstance(key_node, yaml.ScalarNode):
                raise SourceError(self.line(key_node), "a key must be plain text")
            key = str(key_node.value)
            if key in result:
                raise SourceError(
                    self.line(key_node),
                    f"duplicate key '{key}'",
                    f"it is already set on line {self.lines[(*loc, key)]}; keep one",
                )
            self.lines[(*loc, key)] = self.line(key_node)
            result[key] = self.build(value_node, (*loc, key), depth + 1)
        return result


# Characters an escape in quoted YAML can produce that no page, feed or PDF can hold
# (XML forbids them, and lone surrogates are not text at all).
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _shown_tag(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag


def _excerpt(text: str, index: int, column: int) -> str:
    """The 0-based line `index` of text, and a caret under `column`."""
    rows = text.split("\n")
    if not 0 <= index < len(rows):
        return ""
    row = _EXTRA_BREAKS.sub("\u2424", rows[index].expandtabs(1))  # shown, not obeyed, by the terminal
    return f"{row}\n{' ' * min(column, len(row))}^"


def _check_breaks(text: str, first_line: int) -> None:
    found = _EXTRA_BREAKS.search(text)
    if found:
        index = text.count("\n", 0, found.start())
        column = found.start() - (text.rfind("\n", 0, found.start()) + 1)
        raise SourceError(index + first_line, f"YAML contains the line separator U+{ord(found.group()):04X}",
                          "delete it: it is invisible, usually pasted from a word processor, and YAML would read it as a new line",
                          _excerpt(text, index, column))


def _check_flow_depth(text: str, first_line: int) -> None:
    """Refuse deep [ { nesting before the C parser recurses into it (it would crash).

    Brackets inside quoted text count too: a false alarm needs 24 unclosed '['."""
    depth = 0
    for index, char in enumerate(text):
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise SourceError(text.count("\n", 0, index) + first_line, "YAML is too deeply nested",
                                  f"at most {MAX_DEPTH} levels")
        elif char in "]}":
            depth = max(depth - 1, 0)


def parse_yaml(text: str, first_line: int = 1, allowed_tags: tuple[str, ...] = (),
               numbers: dict[Loc, str] | None = None) -> tuple[Any, dict[Loc, int]]:
    """Parse one YAML document into data and a map from key path to line. Tags starting
    with one of allowed_tags are read as null (mkdocs.yml: MKDOCS_TAGS); any other
    non-plain tag is an error. `numbers` receives the unquoted values YAML 1.2 tools read
    as a different number (see yaml12_number)."""
    _check_breaks(text, first_line)
    if "[" in text or "{" in text:
        _check_flow_depth(text, first_line)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(text, first_line, exc) from exc
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + first_line
        raise SourceError(line, f"YAML cannot contain the control character U+{exc.character:04X}"
                          if isinstance(exc.character, int) else "YAML contains an unreadable character",
                          "delete it; it is usually invisible, pasted from another program") from exc
    except yaml.YAMLError as exc:
        raise SourceError(first_line, f"YAML syntax: {str(exc).splitlines()[0]}") from exc
    except RecursionError as exc:
        raise SourceError(first_line, "YAML is too deeply nested", f"at most {MAX_DEPTH} levels") from exc
    finally:
        loader.dispose()
    if node is None:
        return None, {}
    builder = _Builder(loader, first_line, allowed_tags)
    data = builder.build(node, (), 0)
    if numbers is not None:
        numbers.update(builder.numbers)
    return data, builder.lines


_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_SPECIAL = re.compile(r"^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|0o[0-7]+|0x[0-9a-fA-F]+)$")


def yaml12_number(text: str) -> str | None:
    """How YAML 1.2 tools (the web editor, most code editors) show an unquoted value that
    Casebook keeps as text: `010` is 10 to them, `1.50` is 1.5. None: not a number to them."""
    if _SPECIAL.match(text):
        return "a number other than written"
    if _INT.match(text):
        return str(int(text))
    if _FLOAT.match(text):
        number = float(text)
        return str(int(number)) if number.is_integer() and abs(number) < 1e21 else repr(number)
    return None


_KEY_VALUE = re.compile(r"^(\s*)(?:- +)?([^\s#'\"][^:#]*?):[ \t]+(\S.*)$")
_OPEN_QUOTE = re.compile(r"^\s*(?:- +)?(?:[^\s#'\"][^:#]*?:[ \t]+)?(['\"])")


def _syntax_error(text: str, first_line: int, exc: yaml.MarkedYAMLError) -> SourceError:
    """Where the author made the mistake, which is often above where the parser noticed it:
    a quote left open, or a key given both a value and an indented block."""
    mark = exc.problem_mark or exc.context_mark
    index, column = (mark.line, mark.column) if mark else (0, 0)
    rows = text.split("\n")
    message, hint = f"YAML syntax: {exc.problem or exc.context}", _syntax_hint(exc)
    opened = _unclosed_quote(rows, index)
    flow = str(exc.context or "").startswith("while parsing a flow") and exc.context_mark is not None
    if flow and exc.context_mark.line < index:
        index, column = exc.context_mark.line, exc.context_mark.column
        bracket = "[" if "sequence" in str(exc.context) else "{"
        message = f"YAML syntax: the '{bracket}' opened here is not closed"
        hint = f"close it with '{']' if bracket == '[' else '}'}' after the last item, or quote the value if it is text"
    elif opened is not None:
        index, column = opened
        message = "YAML syntax: this quote is not closed on its line"
        hint = "close the quote at the end of the value; for text over several lines use 'key: |' and indent the lines"
    elif "mapping values are not allowed" in str(exc.problem or "") and 0 < index < len(rows):
        indent = len(rows[index]) - len(rows[index].lstrip())
        above = next((i for i in range(index - 1, -1, -1) if rows[i].strip() and not rows[i].lstrip().startswith("#")), None)
        found = _KEY_VALUE.match(rows[above]) if above is not None else None
        if found and len(found.group(1)) < indent:
            index, column = above, found.start(3)
            message = f"YAML syntax: '{found.group(2).strip()}' has a value on this line and an indented block below it"
            hint = f"either keep the value and un-indent line {above + first_line + 1}, or move the value into the block"
    return SourceError(index + first_line, message, hint, _excerpt(text, index, column))


def _unclosed_quote(rows: list[str], error: int) -> tuple[int, int] | None:
    """(line, column) of a quoted value that opens above the error line and is still open
    there: the parser took a later quote (or the end) for its close."""
    index = 0
    while index < min(error, len(rows)):
        found = _OPEN_QUOTE.match(rows[index])
        if found is None:
            index += 1
            continue
        quote, start = found.group(1), found.end(1)
        closes_on = next((k for k in range(index, len(rows))
                          if _closes(quote, rows[k][start:] if k == index else rows[k])), None)
        if closes_on is None or (closes_on >= error and closes_on != index):
            return index, start - 1
        index = closes_on + 1
    return None


def _closes(quote: str, text: str) -> bool:
    if quote == "'":
        return "'" in text.replace("''", "")
    return re.search(r'(?<!\\)(?:\\\\)*"', text) is not None


def _syntax_hint(exc: yaml.MarkedYAMLError) -> str:
    problem = str(exc.problem or "")
    if "mapping values are not allowed" in problem:
        return "a value containing ': ' must be quoted, e.g. title: \"Results: 40% faster\""
    if "tab" in problem:
        return "indent with spaces, not tabs"
    if "could not find expected ':'" in problem or "expected <block end>" in problem:
        return "check the indentation of this line and the one before"
    return "check quoting and indentation"


def read_text(path: Path) -> str:
    """File text, refusing what no marketer means to commit (huge, binary, non-UTF-8)."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise SourceError(1, f"file is {size // 1024} KiB; at most {MAX_FILE_BYTES // 1024} KiB", "split it up")
    return decode_text(path.read_bytes())


def decode_text(raw: bytes) -> str:
    """A content file's bytes as text (from disk, or from git history)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SourceError(line, "file is not valid UTF-8", "save the file with UTF-8 encoding") from exc
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise SourceError(1, "file is empty", "start from `casebook new`")
    return text.replace("\r\n", "\n").replace("\r", "\n")  # a lone CR ends a line, as in every editor


def read_document(path: Path, raw: bytes | None = None) -> Document:
    """The content file at `path`, or its bytes `raw` at another revision (git history)."""
    return parse_document(read_text(path) if raw is None else decode_text(raw))


def parse_document(text: str) -> Document:
    """Split front matter from the Markdown body and parse it with line numbers."""
    lines = text.split("\n")
    if lines[0].strip() != "---":
        raise SourceError(1, "missing front matter", "the file must start with a line '---', then YAML fields, then '---'")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    except StopIteration:
        raise SourceError(1, "front matter is not closed", "add a line '---' after the YAML fields") from None
    front = "\n".join(lines[1:end])
    if len(front.encode("utf-8")) > MAX_FRONT_MATTER_BYTES:
        raise SourceError(2, "front matter is too large", f"at most {MAX_FRONT_MATTER_BYTES // 1024} KiB")
    numbers: dict[Loc, str] = {}
    data, line_map = parse_yaml(front, first_line=2, numbers=numbers)
    if data is None:
        raise SourceError(1, "front matter is empty", "add the required fields")
    if not isinstance(data, dict):
        raise SourceError(2, "front matter must be a mapping of fields", "write one 'field: value' per line")
    return Document(data=data, lines=line_map, body="\n".join(lines[end + 1 :]), body_line=end + 2, numbers=numbers)
