"""Markdown bodies to safe HTML.

Content is untrusted: markdown-it runs with raw HTML off (so `<script>` stays
text), nh3 sanitises the result as a second wall, and every image must be a file
inside the repository, which the pipeline then copies under a content hash.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from urllib.parse import unquote

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.anchors import anchors_plugin

from ..core.problems import Problem
from .images import check_image, image_size
from .model import is_remote, resolve_ref

_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "del", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6",
    "hr", "img", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "td": {"style"}, "th": {"style"},
    "ol": {"start"},
    "code": {"class"},
}


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    anchors_plugin(md, min_level=2, max_level=4)
    return md


_MD = _parser()


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str


@dataclass
class Body:
    html: str
    outline: list[Heading]
    assets: dict[str, Path] = field(default_factory=dict)  # staged name -> source file
    problems: list[Problem] = field(default_factory=list)


def asset_name(source: Path) -> str:
    """A content-addressed name, so equal files are stored once and edits change the URL."""
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:12]
    return f"{digest}-{source.name}"


def render(text: str, path: str, first_line: int, root: Path, media_url: str) -> Body:
    """Render the body of content file `path`; image URLs become media_url + the staged asset name."""
    tokens, body = _parse(text, path, first_line, root, media_url)
    body.html = nh3.clean(_MD.renderer.render(tokens, _MD.options, {}), tags=_TAGS, attributes=_ATTRIBUTES,
                          url_schemes={"http", "https", "mailto"})
    return body


def pdf_tree(text: str, path: str, root: Path) -> list[dict]:
    """The body as plain data for the PDF templates (never markup). Made only when a PDF is
    actually rendered, which most builds skip, so loading does not hold it for every item."""
    tokens, _ = _parse(text, path, 1, root, "")
    return [_block(node) for node in SyntaxTreeNode(tokens).children]


def _parse(text: str, path: str, first_line: int, root: Path, media_url: str) -> tuple[list[Token], Body]:
    tokens = _MD.parse(text)
    body = Body(html="", outline=[])
    base = (root / path).parent
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            if token.tag == "h1":  # the page title is the only h1
                token.tag = tokens[index + 2].tag = "h2"
            text = tokens[index + 1].content
            body.outline.append(Heading(int(token.tag[1]), text, str(token.attrs.get("id", ""))))
        for child in token.children or []:
            if child.type == "image":
                _stage_image(child, path, first_line + (token.map[0] if token.map else 0), root, base, media_url, body)
        if _is_figure(tokens, index):
            _make_figure(tokens, index)
    return tokens, body


def _block(node: SyntaxTreeNode) -> dict:
    """One block of the Markdown tree as plain data for the PDF templates."""
    kind = node.type
    if kind == "heading":
        return {"type": "heading", "level": int(node.tag[1]), "children": _inlines(node.children[0])}
    if kind == "paragraph" and node.tag == "figure":
        image = next(c for c in node.children[0].children if c.type == "image")
        return {"type": "figure", "src": image.meta.get("file", ""), "caption": [{"type": "text", "text": image.content}]}
    if kind == "paragraph":
        return {"type": "paragraph", "children": _inlines(node.children[0])}
    if kind in ("bullet_list", "ordered_list"):
        start = node.attrs.get("start", 1)
        return {"type": "list", "ordered": kind == "ordered_list", "start": int(start),
                "items": [[_block(child) for child in item.children] for item in node.children]}
    if kind == "blockquote":
        return {"type": "blockquote", "children": [_block(child) for child in node.children]}
    if kind in ("fence", "code_block"):
        return {"type": "code", "text": node.content}
    if kind == "table":
        head, *bodies = node.children
        header_row = head.children[0]
        return {
            "type": "table",
            "align": [_align(cell) for cell in header_row.children],
            "header": [_inlines(cell.children[0]) if cell.children else [] for cell in header_row.children],
            "rows": [[_inlines(cell.children[0]) if cell.children else [] for cell in row.children]
                     for tbody in bodies for row in tbody.children],
        }
    return {"type": "hr"}


def _align(cell: SyntaxTreeNode) -> str | None:
    style = str(cell.attrs.get("style", ""))
    return style.removeprefix("text-align:") or None


_INLINE_CONTAINERS = {"strong": "strong", "em": "em", "s": "strike"}


def _inlines(node: SyntaxTreeNode) -> list[dict]:
    out: list[dict] = []
    for child in node.children:
        kind = child.type
        if kind == "text":
            out.append({"type": "text", "text": child.content})
        elif kind in _INLINE_CONTAINERS:
            out.append({"type": _INLINE_CONTAINERS[kind], "children": _inlines(child)})
        elif kind == "code_inline":
            out.append({"type": "codespan", "text": child.content})
        elif kind == "link":
            out.append({"type": "link", "href": str(child.attrs.get("href", "")), "children": _inlines(child)})
        elif kind == "image":
            out.append({"type": "image", "src": child.meta.get("file", ""), "alt": child.content})
        elif kind == "softbreak":
            out.append({"type": "text", "text": " "})
        elif kind == "hardbreak":
            out.append({"type": "break"})
    return out


def _is_figure(tokens: list[Token], index: int) -> bool:
    """A paragraph holding one captioned image is a figure."""
    token = tokens[index]
    if token.type != "paragraph_open" or index + 2 >= len(tokens):
        return False
    children = [c for c in tokens[index + 1].children or [] if not (c.type == "text" and not c.content.strip())]
    return len(children) == 1 and children[0].type == "image" and bool(children[0].content)


def _make_figure(tokens: list[Token], index: int) -> None:
    image = next(c for c in tokens[index + 1].children if c.type == "image")
    tokens[index].tag = tokens[index + 2].tag = "figure"
    caption = Token("html_inline", "", 0, content=f"<figcaption>{escape(image.content)}</figcaption>")
    tokens[index + 1].children.append(caption)


def _stage_image(image: Token, path: str, line: int, root: Path, base: Path, media_url: str, body: Body) -> None:
    src = unquote(str(image.attrs.get("src", "")))  # markdown-it percent-encodes spaces and accents
    try:
        if is_remote(src):
            raise ValueError(f"'{src}' is a remote image; images must be files in the repository")
        source = resolve_ref(root, base, src)
        check_image(source)
    except ValueError as exc:
        body.problems.append(Problem(path, line, "error", f"body: image {exc}",
                                     "put the image next to the file and link it with a relative path"))
        image.attrs["src"] = ""
        return
    name = asset_name(source)
    body.assets[name] = source
    image.attrs["src"] = media_url + name
    size = image_size(source)
    if size:
        image.attrs["width"], image.attrs["height"] = str(size[0]), str(size[1])
    image.meta["file"] = "/" + source.relative_to(root.resolve()).as_posix()  # for the PDF engine, from its root
