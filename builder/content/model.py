"""The content model: one pydantic schema per kind, the single source of truth for
validation and for the JSON Schema that editors use (`casebook schema`).

Taxonomy keys and file references depend on the project, so the checks read them
from the validation context: {"taxonomy": Taxonomy, "root": Path, "base": Path}.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ..core.problems import choice_hint
from ..core.source import line_of
from .images import check_image

KINDS = ("case", "whitepaper", "kit")
KIND_DIRS = {"case": "cases", "whitepaper": "whitepapers", "kit": "kits"}
KIND_NAMES = {"case": "Customer story", "whitepaper": "White paper", "kit": "Solution kit"}  # how feeds and e-mails label an item
FACETS = ("industries", "sizes", "roles", "stages")
# One facet's name in URLs, HTML data attributes and kit `select`: ?industry=retail
FACET_PARAM = {"industries": "industry", "sizes": "size", "roles": "role", "stages": "stage"}
ASSETS_DIR = "assets/casebook"
MEDIA_DIR = ASSETS_DIR + "/media"
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
RESERVED_SLUGS = {"index"}  # each kind's index page lives there
# Fields that decide what is public: a misspelt one is an error, not a warning.
PUBLICATION_FIELDS = {"publish_on", "approval", "status", "approved_by", "approved_on", "expires_on", "internal"}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Marks a taxonomy key in the JSON Schema; `casebook schema` turns it into the project's keys.
TAXONOMY_MARK = "x-casebook-taxonomy"
# Marks a file reference ("image" or "file"): the web editor offers an upload for it.
FILE_MARK = "x-casebook-file"


def _iso_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise PydanticCustomError("date", "'{value}' is not a real date", {"value": value, "hint": "check month and day"}) from None
    raise PydanticCustomError("date", "expected a date, got {value!r}", {"value": value, "hint": "write it as YYYY-MM-DD, e.g. 2025-06-12"})


def web_url(value: str, schemes: tuple[str, ...] = ("http", "https")) -> str:
    """A link we print into href: a known scheme, and nothing that could break out of the attribute."""
    parts = urlsplit(value)
    if parts.scheme not in schemes or (parts.scheme.startswith("http") and not parts.netloc) or re.search(r"[\s\"'<>`]", value):
        raise PydanticCustomError("url", "'{value}' is not a web address", {"value": value, "hint": "use a full https:// address"})
    return value


def matching(pattern: str, what: str, hint: str) -> AfterValidator:
    """A text that must have a form, with a message a marketer can act on."""

    def check(value: str) -> str:
        if not re.fullmatch(pattern, value):
            raise PydanticCustomError("form", "'{value}' is not {what}", {"value": value, "what": what, "hint": hint})
        return value

    return AfterValidator(check)


def _taxonomy_key(facet: str, noun: str, also: tuple[str, ...] = ()) -> Any:
    """A key of one taxonomy facet; the keys come from the project, so they are checked in context."""

    def check(value: str, info: ValidationInfo) -> str:
        taxonomy = (info.context or {}).get("taxonomy")
        if taxonomy is not None and value not in taxonomy.terms(facet) and value not in also:
            keys = [*also, *taxonomy.terms(facet)]
            raise PydanticCustomError(
                "taxonomy", "'{value}' is not a known {noun}",
                {"value": value, "noun": noun, "hint": choice_hint(value, keys)},
            )
        return value

    return Annotated[str, AfterValidator(check), Field(json_schema_extra={TAXONOMY_MARK: [facet, *also]})]


def resolve_ref(root: Path, base: Path, ref: str) -> Path:
    """The real file a content reference names; refuses anything outside the repo."""
    parts = urlsplit(ref)
    if parts.scheme and len(parts.scheme) > 1:  # one letter is a Windows drive, caught below
        raise ValueError(f"'{ref}' is a {parts.scheme}: URL; only files inside the repository or http(s) links are allowed")
    if PurePosixPath(ref).is_absolute() or re.match(r"^[A-Za-z]:[\\/]", ref) or ref.startswith("\\"):
        raise ValueError(f"'{ref}' is an absolute path; write it relative to this file")
    shown = ref if len(ref) <= 80 else ref[:77] + "..."
    try:
        target = (base / ref).resolve()
        real_root = root.resolve()
        if not target.is_relative_to(real_root):
            raise ValueError(f"'{shown}' points outside the repository")
        if not target.is_file():
            raise ValueError(f"'{shown}' does not exist")
    except (OSError, RuntimeError) as exc:  # a name too long, a symlink loop: no such file to use
        raise ValueError(f"'{shown}' cannot be read ({getattr(exc, 'strerror', None) or exc})") from None
    inside = target.relative_to(real_root).parts
    if inside[0] in (".git", ".casebook") or (len(inside) == 2 and inside[0] in KIND_DIRS.values() and target.suffix == ".md"):
        raise ValueError(f"'{ref}' is a content or tool file, not an attachment")
    return target


def is_remote(ref: str) -> bool:
    return urlsplit(ref).scheme in ("http", "https")


def _ref(check=None):
    def validate_ref(value: str, info: ValidationInfo) -> str:
        context = info.context or {}
        if "root" not in context or is_remote(value):
            return value
        try:
            target = resolve_ref(context["root"], context["base"], value)
            if check is not None:
                check(target)
        except ValueError as exc:
            raise PydanticCustomError("reference", "{reason}", {
                "reason": str(exc), "hint": "paths are relative to this file and stay inside the repository"}) from None
        return value

    return AfterValidator(validate_ref)


Text = Annotated[str, Field(min_length=1)]
ISODate = Annotated[date, BeforeValidator(_iso_date)]
# Editors read YAML 1.2, where an unquoted 12 is a number; Casebook keeps it as the text written.
Figure = Annotated[str, Field(min_length=1), WithJsonSchema({"type": ["string", "number"], "minLength": 1})]
WebURL = Annotated[str, AfterValidator(web_url)]
FileRef = Annotated[str, Field(min_length=1, json_schema_extra={FILE_MARK: "file"}), _ref()]
ImageRef = Annotated[str, Field(min_length=1, json_schema_extra={FILE_MARK: "image"}), _ref(check_image)]
IndustryKey = _taxonomy_key("industries", "industry")
IndustryOrAll = _taxonomy_key("industries", "industry", also=("all",))
SizeKey = _taxonomy_key("sizes", "company size")
RoleKey = _taxonomy_key("roles", "role")
StageKey = _taxonomy_key("stages", "growth stage")
Slug = Annotated[str, Field(min_length=1)]
Status = Literal["draft", "published"]


class Schema(BaseModel):
    # Each field's docstring is its description in the JSON Schema: editors show it on hover.
    model_config = ConfigDict(extra="ignore", frozen=True, use_attribute_docstrings=True)


class Customer(Schema):
    name: Text
    """The customer's public name."""
    industry: IndustryKey
    """A key of the industry taxonomy."""
    size: SizeKey
    """A key of the company-size taxonomy."""
    region: Text | None = None
    """Region label, e.g. Europe."""
    website: WebURL | None = None
    """The customer's site: a full https:// address."""
    logo: ImageRef | None = None
    """Logo image (PNG, JPEG, GIF, WebP or SVG), relative to this file."""


class Result(Schema):
    metric: Text
    """What was measured, e.g. Time to onboard a new site."""
    value: Figure
    """The change, as the customer states it, e.g. -50%."""
    before: Figure | None = None
    """The figure before, e.g. 6 weeks."""
    after: Figure | None = None
    """The figure after, e.g. 3 weeks."""


class Quote(Schema):
    text: Text
    """What the customer said, in their words."""
    author: Text
    """Who said it."""
    title: Text | None = None
    """Their job title."""


class Approval(Schema):
    # JSON Schema only: the same rule as _signed_off, so editors flag it too.
    model_config = ConfigDict(json_schema_extra={
        "if": {"properties": {"status": {"const": "approved"}}, "required": ["status"]},
        "then": {"required": ["approved_by", "approved_on"]},
    })
    status: Literal["draft", "in_review", "approved", "withdrawn"]
    """Only an approved case is published."""
    approved_by: Text | None = None
    """Who at the customer signed off; required when approved."""
    approved_on: ISODate | None = None
    """When they signed off (YYYY-MM-DD); required when approved."""
    expires_on: ISODate | None = None
    """The approval lapses on this day (YYYY-MM-DD): the case is then taken off the site."""
    fingerprint: str | None = None
    """Written by `casebook approve`: what the customer approved. If the case's words, numbers or images change, it is not public until approved again."""

    @model_validator(mode="after")
    def _signed_off(self) -> "Approval":
        if self.status == "approved" and not (self.approved_by and self.approved_on):
            missing = " and ".join(f for f in ("approved_by", "approved_on") if not getattr(self, f))
            raise PydanticCustomError(
                "approval", "an approved case needs {missing}",
                {"missing": missing, "hint": "record who at the customer signed off, and when (YYYY-MM-DD)"},
            )
        return self


class Case(Schema):
    title: Text
    """Headline: the customer, the outcome, the product."""
    summary: Annotated[str, Field(min_length=1, max_length=280)]
    """One or two sentences, at most 280 characters: cards, feeds and social posts."""
    date: ISODate
    """The day the case was written (YYYY-MM-DD)."""
    customer: Customer
    """Who the customer is."""
    roles: Annotated[list[RoleKey], Field(min_length=1)]
    """Who this case speaks to: one or more role keys."""
    stage: StageKey | None = None
    """The customer's growth stage."""
    products: list[Text] = []
    """Product names."""
    results: Annotated[list[Result], Field(min_length=1)]
    """Measured results: one or more {metric, value}, with optional before and after."""
    quote: Quote | None = None
    """A quote from the customer."""
    featured: bool = False
    """true: a lighthouse case, shown on the home page and the logo wall."""
    tags: list[Text] = []
    """Free labels."""
    publish_on: ISODate | None = None
    """Embargo: not public before this day (YYYY-MM-DD)."""
    approval: Approval
    """The customer's sign-off: nothing is published without it."""
    internal: dict[str, Any] | None = None
    """Sales-only notes; never published, not even for a public case."""


class WhitePaper(Schema):
    title: Text
    """The paper's title."""
    summary: Annotated[str, Field(min_length=1, max_length=280)]
    """One or two sentences, at most 280 characters."""
    date: ISODate
    """The day the paper was written (YYYY-MM-DD)."""
    industries: Annotated[list[IndustryOrAll], Field(min_length=1)]
    """Industry keys, or [all]."""
    roles: Annotated[list[RoleKey], Field(min_length=1)]
    """Who the paper speaks to: one or more role keys."""
    authors: Annotated[list[Text], Field(min_length=1)]
    """Author names."""
    status: Status
    """draft or published: only published papers appear."""
    publish_on: ISODate | None = None
    """Not public before this day (YYYY-MM-DD)."""
    cover: ImageRef | None = None
    """Cover image, relative to this file."""
    gated: bool = False
    """true: visitors leave contact details before the download."""
    internal: dict[str, Any] | None = None
    """Internal notes; never published."""


class Select(Schema):
    # JSON Schema only: the same rule as _not_empty.
    model_config = ConfigDict(json_schema_extra={"minProperties": 1})
    industry: IndustryKey | None = None
    """Public cases of this industry."""
    size: SizeKey | None = None
    """Public cases of this company size."""
    role: RoleKey | None = None
    """Public cases that speak to this role."""
    stage: StageKey | None = None
    """Public cases of this growth stage."""

    @model_validator(mode="after")
    def _not_empty(self) -> "Select":
        if not any((self.industry, self.size, self.role, self.stage)):
            raise PydanticCustomError("select", "select needs at least one filter", {"hint": "use industry, size, role or stage"})
        return self


class Kit(Schema):
    # JSON Schema only: the same rule as _has_cases.
    model_config = ConfigDict(json_schema_extra={"anyOf": [
        {"required": ["cases"], "properties": {"cases": {"minItems": 1}}},
        {"required": ["select"], "properties": {"select": {"type": "object"}}},
    ]})
    title: Text
    """The kit's title."""
    summary: Annotated[str, Field(min_length=1, max_length=280)]
    """One or two sentences, at most 280 characters."""
    date: ISODate | None = None
    """The day the kit was put together (YYYY-MM-DD)."""
    industry: IndustryKey
    """The industry key this kit is for."""
    roles: Annotated[list[RoleKey], Field(min_length=1)]
    """Who the kit speaks to: one or more role keys."""
    sizes: list[SizeKey] = []
    """Company sizes this kit is for."""
    status: Status
    """draft or published: only published kits appear."""
    publish_on: ISODate | None = None
    """Not public before this day (YYYY-MM-DD)."""
    cases: list[Slug] = []
    """Case slugs (file names without .md); only public ones are included."""
    select: Select | None = None
    """Filters that pick public cases: {industry, size, role, stage}."""
    whitepapers: list[Slug] = []
    """White paper slugs."""
    attachments: list[FileRef] = []
    """Files shipped as they are in the kit's zip, relative to this file."""
    internal: dict[str, Any] | None = None
    """Internal notes; never published."""

    @field_validator("attachments")
    @classmethod
    def _distinct_names(cls, attachments: list[str]) -> list[str]:
        names = [PurePosixPath(ref).name for ref in attachments]
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:
            raise PydanticCustomError("attachments", "two attachments are named {names}",
                                      {"names": ", ".join(twice), "hint": "the kit's zip keeps file names: rename one"})
        return attachments

    @model_validator(mode="after")
    def _has_cases(self) -> "Kit":
        if not self.cases and self.select is None:
            raise PydanticCustomError("kit", "a kit needs 'cases' and/or 'select'", {"hint": "list case slugs, or a select filter such as {industry: retail}"})
        return self


SCHEMAS: dict[str, type[Schema]] = {"case": Case, "whitepaper": WhitePaper, "kit": Kit}


@dataclass(frozen=True)
class Item:
    """One loaded content file: validated front matter plus its Markdown body."""

    kind: str
    slug: str
    path: str  # relative to the project root, POSIX separators: used in messages
    meta: Any  # Case | WhitePaper | Kit, by kind
    body: str
    body_line: int
    rendered: Any = field(default=None, compare=False, repr=False)  # body.Body: safe HTML, outline, images
    lines: dict[tuple, int] = field(default_factory=dict, compare=False, repr=False)
    unapproved: tuple[str, ...] = ()  # a case's parts changed since its fingerprinted approval (see content/approval.py)
    lang: str | None = None  # a translation's language (content/translations.py); None: the default language's file

    def line_of(self, loc: tuple) -> int:
        return line_of(self.lines, loc)

    def public_text(self) -> str:
        """Everything of the item that may be published: front matter without `internal`, and the body."""
        return self.meta.model_dump_json(exclude={"internal"}) + " " + self.body

    @property
    def title(self) -> str:
        return self.meta.title


def file_refs(item: Item) -> list[tuple[tuple, str]]:
    """(field location, reference) of every file a content item names in its front matter."""
    meta = item.meta
    if item.kind == "case":
        return [(("customer", "logo"), meta.customer.logo)] if meta.customer.logo else []
    if item.kind == "whitepaper":
        return [(("cover",), meta.cover)] if meta.cover else []
    return [(("attachments", index), ref) for index, ref in enumerate(meta.attachments)]


def references(root: Path, item: Item | None) -> list[Path]:
    """Every local file an item shows or links: editing one of them reloads the item."""
    if item is None:
        return []
    base = (root / item.path).parent
    refs = [(base / ref) for _, ref in file_refs(item) if not is_remote(ref)]
    return refs + list(item.rendered.assets.values())
