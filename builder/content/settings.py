"""Project settings: read from the `casebook` plugin entry of mkdocs.yml.

The pipeline reads mkdocs.yml itself (tolerating MkDocs' own YAML tags) so that
`casebook validate` and any future engine adapter share one definition.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

import yaml
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from ..core.problems import Problem
from ..core.source import MKDOCS_TAGS, Document, SourceError, line_of, parse_yaml, read_text
from .images import check_image
from .locale import ENGLISH, Language, load_languages
from .model import FACETS, RESERVED_SLUGS, SLUG, WebURL, matching, resolve_ref, web_url
from .validation import validate

DEFAULTS_FILE = Path(__file__).with_name("defaults.yml")
PLUGIN = "casebook"
# Site engines Casebook has an adapter for (builder/engines/); each reads mkdocs.yml.
EngineName = Literal["mkdocs", "properdocs"]
ENGINES: tuple[str, ...] = get_args(EngineName)


def _term(value: Any) -> Any:
    """A term may be written as just its label."""
    return {"label": value} if isinstance(value, str) else value


def _term_keys(terms: dict[str, Any]) -> dict[str, Any]:
    if not terms:
        raise PydanticCustomError("taxonomy", "needs at least one key", {"hint": "or leave the facet out to keep the defaults"})
    bad = [key for key in terms if not SLUG.match(key) or key in ("all", *RESERVED_SLUGS)]
    if bad:
        raise PydanticCustomError("taxonomy", "bad key(s): {bad}",
                                  {"bad": ", ".join(bad), "hint": "lowercase words joined by '-', and not 'all' or 'index'"})
    return terms


class Term(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    label: str = Field(min_length=1)
    intro: str = ""


Terms = Annotated[dict[str, Annotated[Term, BeforeValidator(_term)]], AfterValidator(_term_keys)]


class TaxonomyOverrides(BaseModel):
    """Facets set in mkdocs.yml replace the default keys of that facet."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    industries: Terms | None = None
    sizes: Terms | None = None
    roles: Terms | None = None
    stages: Terms | None = None


class Taxonomy(BaseModel):
    model_config = ConfigDict(frozen=True)
    industries: dict[str, Term]
    sizes: dict[str, Term]
    roles: dict[str, Term]
    stages: dict[str, Term]

    def terms(self, facet: str) -> dict[str, Term]:
        return getattr(self, facet)

    def label(self, facet: str, key: str) -> str:
        return self.terms(facet)[key].label


def _link(value: str) -> str:
    if value.startswith(("/", "./", "../", "#")) and not value.startswith("//"):
        return value
    return web_url(value, schemes=("http", "https", "mailto", "tel"))


class CallToAction(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    label: str = "Talk to our team"
    url: Annotated[str, AfterValidator(_link)] = "mailto:sales@example.com"
    text: str = "See what your team could achieve: we will walk you through the results companies like yours got."


Colour = Annotated[str, matching(r"#[0-9a-fA-F]{6}", "a colour", "write it as #RRGGBB, e.g. #3949ab"), AfterValidator(str.lower)]
Repo = Annotated[str, matching(r"[\w.-]+(/[\w.-]+)+", "a repository", "write owner/name as in its address, e.g. lumora/customer-stories")]
LanguageCode = Annotated[str, matching(r"[a-z]{2,3}(-[a-z0-9]{2,8})*", "a language code", "lowercase, such as en, zh or pt-br")]


class Colours(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    primary: Colour = "#3949ab"
    accent: Colour = "#ff7043"
    text: Colour = "#1f2937"
    muted: Colour = "#6b7280"


class Fonts(BaseModel):
    """Font families for site and PDFs; `paths` are the only font folders the PDF engine reads."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    body: str = "Inter"
    heading: str = "Inter"
    cjk: str = "Noto Sans CJK SC"
    paths: list[str] = ["site_templates/fonts", "/usr/share/fonts/opentype/noto"]


class Brand(BaseModel):
    """One brand for the site and the PDFs."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    name: str | None = None  # default: site_name
    logo: str | None = None  # an image file, relative to mkdocs.yml
    colors: Colours = Colours()
    fonts: Fonts = Fonts()
    credit: bool = False  # true: the footer also says "Made with Material for MkDocs"


def _campaign(value: str) -> str:
    try:
        value.format(kind="case", slug="x")
    except (KeyError, IndexError, ValueError):
        raise PydanticCustomError("campaign", "'{value}' uses an unknown placeholder",
                                  {"value": value, "hint": "only {kind} and {slug} are filled in"}) from None
    return value


# Networks Casebook makes share links and post drafts for, and their post length limits
# (X counts a link as 23 characters and CJK or emoji as 2: see posts.py).
NETWORK_LIMITS = {"linkedin": 3000, "x": 280, "facebook": 63206, "wechat": 600, "email": None}
Network = Literal["linkedin", "x", "facebook", "wechat", "email"]


class Channel(BaseModel):
    """Campaign parameters a channel adds to every link it carries; a channel on a social
    network or e-mail also gets share links and post drafts."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    utm_source: str = Field(min_length=1)
    utm_medium: str = Field(min_length=1)
    utm_campaign: Annotated[str, AfterValidator(_campaign)] = "{kind}-{slug}"
    network: Network | None = None  # default: the channel's name, when it names a network
    limit: int | None = Field(default=None, ge=40)  # post length; default: the network's

    @property
    def post_limit(self) -> int | None:
        return self.limit or (NETWORK_LIMITS[self.network] if self.network else None)


DEFAULT_CHANNELS = {"pdf": Channel(utm_source="casebook", utm_medium="pdf"),
                    "pack": Channel(utm_source="casebook", utm_medium="pack"),  # prospect packs (casebook pack)
                    "newsletter": Channel(utm_source="newsletter", utm_medium="email")}


def _networks(channels: dict[str, Channel]) -> dict[str, Channel]:
    """`linkedin:` is the LinkedIn channel unless it says otherwise."""
    return {name: channel if channel.network or name not in NETWORK_LIMITS else channel.model_copy(update={"network": name})
            for name, channel in channels.items()}


class Gate(BaseModel):
    """Gated white papers: the form posts here; without an endpoint downloads are plain."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    endpoint: Annotated[str, AfterValidator(web_url)] | None = None
    fields: list[Literal["name", "email", "company", "role", "phone"]] = ["name", "email", "company"]


class Freshness(BaseModel):
    """How far ahead the approval lifecycle looks, and when a case counts as old."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    within_days: int = Field(default=60, ge=1)
    max_age_days: int = Field(default=730, ge=1)


class Cms(BaseModel):
    """The web editor at admin/ (Decap CMS): which repository it edits, through which host."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    backend: Literal["github", "gitlab"] = "github"
    repo: Repo | None = None  # owner/name (GitLab: group/subgroup/name)
    branch: str = "main"
    base_url: WebURL | None = None  # GitHub: the OAuth proxy that signs editors in
    auth_endpoint: str | None = None
    app_id: str | None = None  # GitLab: the OAuth application's id (PKCE, no server needed)
    api_root: WebURL | None = None  # a self-hosted GitLab's API, e.g. https://gitlab.example.com/api/v4
    # decap-server on this computer for previews (true), or its API address
    local_backend: Annotated[bool | str, AfterValidator(lambda v: v if isinstance(v, bool) else web_url(v))] = True
    publish: bool = True  # false: `casebook build` leaves admin/ out (the editor is hosted elsewhere)


class Options(BaseModel):
    """What a marketer may set under `plugins: - casebook:` in mkdocs.yml."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    engine: EngineName = "mkdocs"  # which site generator `casebook build` and `serve` run
    staging_dir: str = ".casebook/docs"
    cache_dir: str = ".casebook/cache"
    reports_dir: str = ".casebook/reports"  # internal reports: never part of the public site
    templates_dir: str = "site_templates"
    positioning: str = "Results our customers measured, told by the people who got them."
    cta: CallToAction = CallToAction()
    taxonomy: TaxonomyOverrides = TaxonomyOverrides()
    brand: Brand = Brand()
    channels: dict[str, Channel] = {}
    gate: Gate = Gate()
    freshness: Freshness = Freshness()
    # Approved cases without a fingerprint: "optional" keeps the contract's rule silently,
    # "warn" suggests `casebook approve`, "required" makes them errors (see content/approval.py).
    fingerprints: Literal["optional", "warn", "required"] = "optional"
    # set (`cms: true` or a mapping): `casebook build` publishes the web editor at admin/
    cms: Annotated[Cms | None, BeforeValidator(lambda value: {} if value is True else None if value is False else value)] = None
    # code: label, the default first; translations are `<slug>.<code>.md` (content/translations.py)
    languages: dict[LanguageCode, Annotated[str, Field(min_length=1)]] = {}
    untranslated: Literal["hide", "show"] = "hide"  # other languages list only translations, or also the rest, marked


@dataclass(frozen=True)
class Settings:
    """Everything the pipeline needs to know about one project."""

    root: Path
    config_file: Path
    site_name: str
    site_url: str
    engine: str
    docs_dir: Path
    site_dir: Path
    use_directory_urls: bool
    staging_dir: Path
    templates_dir: Path
    positioning: str
    cta: CallToAction
    taxonomy: Taxonomy
    brand: Brand
    channels: dict[str, Channel]
    gate: Gate
    freshness: Freshness
    cache_dir: Path
    reports_dir: Path
    font_dirs: tuple[Path, ...]
    fingerprints: str = "optional"
    cms: Cms | None = None
    languages: tuple[str, ...] = ()  # codes, the default language first; () for a project of one language
    locales: tuple[Language, ...] = (ENGLISH,)  # the same languages with their strings catalogs (content/locale.py)
    locale: Language = ENGLISH  # the language of what is being made: one of locales
    untranslated: str = "hide"
    lines: dict = field(default_factory=dict, compare=False, repr=False)  # mkdocs.yml key path -> line
    options_at: tuple = ()  # where the casebook options sit in mkdocs.yml

    def line(self, *option: str | int) -> int:
        """The mkdocs.yml line of a casebook option (or of its nearest parent)."""
        return line_of(self.lines, (*self.options_at, *option))


def _taxonomy(overrides: TaxonomyOverrides) -> Taxonomy:
    defaults = yaml.safe_load(DEFAULTS_FILE.read_text("utf-8"))
    chosen = {facet: getattr(overrides, facet) or defaults[facet] for facet in FACETS}
    return Taxonomy.model_validate(chosen)


def load_settings(config_file: Path) -> tuple[Settings | None, list[Problem]]:
    """Read mkdocs.yml; problems are located in it like content problems."""
    config_file = config_file.resolve()
    try:
        data, lines = parse_yaml(read_text(config_file), allowed_tags=MKDOCS_TAGS)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None, [Problem(config_file.name, 1, "error", f"{config_file} is not a file",
                              "run casebook in the project folder, or pass --config-file path/to/mkdocs.yml")]
    except SourceError as exc:
        return None, [exc.problem(config_file.name)]
    if not isinstance(data, dict):
        return None, [Problem(config_file.name, 1, "error", "mkdocs.yml must be a mapping of settings")]
    return settings_from(config_file, data, Document(data=data, lines=lines))


class SiteOptions(BaseModel):
    """The MkDocs settings the pipeline itself reads; MkDocs checks the rest."""

    model_config = ConfigDict(extra="allow", frozen=True)
    site_name: str = "Customer stories"
    site_url: str = ""
    docs_dir: str = "docs"
    site_dir: str = "site"
    use_directory_urls: bool = True
    plugins: list[Any] | dict[str, Any] = []


def plugin_location(data: dict[str, Any]) -> tuple | None:
    """Where the casebook entry sits under `plugins:` (list or mapping form), if anywhere."""
    plugins = data.get("plugins")
    if isinstance(plugins, dict):
        return ("plugins", PLUGIN) if PLUGIN in plugins else None
    for index, entry in enumerate(plugins if isinstance(plugins, list) else []):
        if entry == PLUGIN:
            return ("plugins", index)
        if isinstance(entry, dict) and PLUGIN in entry:
            return ("plugins", index, PLUGIN)
    return None


def settings_from(config_file: Path, data: dict[str, Any], doc: Document) -> tuple[Settings | None, list[Problem]]:
    """Validate the settings found in mkdocs.yml; shared by the CLI and the MkDocs adapter."""
    name = config_file.name
    site, problems = validate(SiteOptions, doc, name)
    base = plugin_location(doc.data)
    if base is None:
        return None, problems + [Problem(name, doc.line_of(("plugins",)), "error", "the casebook plugin is not enabled",
                                         "add '- casebook' under 'plugins:' (keep '- search' too)")]
    raw = doc.data
    for part in base:
        raw = raw[part]
    if raw in (None, PLUGIN):
        doc, base = Document(data={PLUGIN: {}}), (PLUGIN,)
    options, found = validate(Options, doc, name, base=base)
    problems += found
    if site is None or options is None:
        return None, problems
    root = config_file.parent
    settings = Settings(
        root=root,
        config_file=config_file,
        site_name=site.site_name,
        site_url=site.site_url,
        engine=options.engine,
        docs_dir=root / site.docs_dir,
        site_dir=root / site.site_dir,
        use_directory_urls=site.use_directory_urls,
        staging_dir=root / options.staging_dir,
        templates_dir=root / options.templates_dir,
        positioning=options.positioning,
        cta=options.cta,
        taxonomy=_taxonomy(options.taxonomy),
        brand=options.brand.model_copy(update={"name": options.brand.name or site.site_name}),
        channels=_networks({**DEFAULT_CHANNELS, **options.channels}),
        gate=options.gate,
        freshness=options.freshness,
        cache_dir=root / options.cache_dir,
        reports_dir=root / options.reports_dir,
        font_dirs=tuple(root / path for path in options.brand.fonts.paths),
        fingerprints=options.fingerprints,
        cms=options.cms,
        languages=tuple(options.languages),
        untranslated=options.untranslated,
        lines=doc.lines,
        options_at=base,
    )
    locales, found = load_languages(settings.templates_dir, root, options.languages)
    settings, problems = replace(settings, locales=locales, locale=locales[0]), problems + found
    if options.brand.logo:
        try:
            check_image(resolve_ref(root, root, options.brand.logo))
        except ValueError as exc:
            problems.append(Problem(name, doc.line_of((*base, "brand", "logo")), "error", f"brand.logo: {exc}",
                                    "a PNG, JPEG or SVG file inside the repository, relative to mkdocs.yml"))
    if options.cms is not None and options.cms.publish and not options.cms.repo:
        problems.append(Problem(name, doc.line_of((*base, "cms")), "warning",
                                "cms: no repo set: the published editor cannot sign in (the local backend still works)",
                                "add `repo: owner/name`, the repository the editor commits to"))
    own = {"staging_dir": settings.staging_dir, "cache_dir": settings.cache_dir, "reports_dir": settings.reports_dir}
    for field_name, path in {**own, "site_dir": settings.site_dir}.items():
        loc = ("site_dir",) if field_name == "site_dir" else (*base, field_name)
        reason = unsafe_output(settings, path)
        unusable = _unusable_folder(root, path) if field_name in own and not reason else None
        default = Options.model_fields[field_name].default if field_name in own else "site"
        if reason or unusable:
            problems.append(Problem(name, doc.line_of(loc), "error", f"{field_name}: {reason or unusable}",
                                    f"use a folder of its own inside the project, such as '{default}'" if not unusable
                                    or "outside" in unusable else f"move that file away, or set {field_name} to another folder"))
    if not (settings.templates_dir / "pages").is_dir():
        problems.append(Problem(name, doc.line_of((*base, "templates_dir")), "error",
                                f"templates_dir: no page templates in '{options.templates_dir}/pages'",
                                "keep the project's site_templates/ folder, or point templates_dir at a copy"))
    return (None if any(p.severity == "error" for p in problems) else settings), problems


def _unusable_folder(root: Path, path: Path) -> str | None:
    """Why Casebook could not keep one of its own folders here: outside the project (where
    it could clash with anything), under a file, or not writable."""
    real_root = root.resolve()
    target = path.resolve()
    if not target.is_relative_to(real_root):
        return f"'{path}' is outside the project"
    for folder in [target, *target.parents]:
        if folder == real_root.parent:
            break
        if folder.exists() and not folder.is_dir():
            return f"'{folder.relative_to(real_root)}' is a file, not a folder"
        if folder.is_dir() and not os.access(folder, os.W_OK | os.X_OK):
            return f"'{folder.relative_to(real_root) if folder != real_root else '.'}' is not writable"
        if folder.exists():
            break
    return None


def unsafe_output(settings: Settings, path: Path) -> str | None:
    """Why a folder Casebook empties and rewrites would destroy sources, or None if it is safe."""
    path, root = path.resolve(), settings.root.resolve()
    if root.is_relative_to(path):
        return f"'{path}' holds the project itself"
    protected = [root / folder for folder in ("cases", "whitepapers", "kits", ".git")]
    protected += [settings.docs_dir.resolve(), settings.templates_dir.resolve(), settings.config_file]
    for source in protected:
        if path.is_relative_to(source) or source.is_relative_to(path):
            return f"'{path}' overlaps '{source.relative_to(root) if source.is_relative_to(root) else source}'"
    outputs = {settings.staging_dir.resolve(), settings.site_dir.resolve(), settings.cache_dir.resolve(),
               settings.reports_dir.resolve()} - {path}
    for other in outputs:
        if path.is_relative_to(other) or other.is_relative_to(path):
            return f"'{path}' overlaps another output folder '{other}'"
    return None
