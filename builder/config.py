"""Project settings: read from the `casebook` plugin entry of mkdocs.yml.

The pipeline reads mkdocs.yml itself (tolerating MkDocs' own YAML tags) so that
`casebook validate` and any future engine adapter share one definition.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from .model import FACETS, SLUG
from .problems import Problem
from .source import Document, SourceError, parse_yaml, read_text
from .validation import validate

DEFAULTS_FILE = Path(__file__).with_name("defaults.yml")
PLUGIN = "casebook"


def _term(value: Any) -> Any:
    """A term may be written as just its label."""
    return {"label": value} if isinstance(value, str) else value


def _term_keys(terms: dict[str, Any]) -> dict[str, Any]:
    if not terms:
        raise PydanticCustomError("taxonomy", "needs at least one key", {"hint": "or leave the facet out to keep the defaults"})
    bad = [key for key in terms if not SLUG.match(key) or key == "all"]
    if bad:
        raise PydanticCustomError("taxonomy", "bad key(s): {bad}", {"bad": ", ".join(bad), "hint": "lowercase words joined by '-', and not 'all'"})
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


class CallToAction(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    label: str = "Talk to our team"
    url: str = "mailto:sales@example.com"
    text: str = "See what your team could achieve: we will walk you through the results companies like yours got."


class Options(BaseModel):
    """What a marketer may set under `plugins: - casebook:` in mkdocs.yml."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    staging_dir: str = ".casebook/docs"
    templates_dir: str = "site_templates"
    positioning: str = "Results our customers measured, told by the people who got them."
    cta: CallToAction = CallToAction()
    taxonomy: TaxonomyOverrides = TaxonomyOverrides()


@dataclass(frozen=True)
class Settings:
    """Everything the pipeline needs to know about one project."""

    root: Path
    config_file: Path
    site_name: str
    site_url: str
    docs_dir: Path
    site_dir: Path
    use_directory_urls: bool
    staging_dir: Path
    templates_dir: Path
    positioning: str
    cta: CallToAction
    taxonomy: Taxonomy


def _taxonomy(overrides: TaxonomyOverrides) -> Taxonomy:
    defaults = yaml.safe_load(DEFAULTS_FILE.read_text("utf-8"))
    chosen = {facet: getattr(overrides, facet) or defaults[facet] for facet in FACETS}
    return Taxonomy.model_validate(chosen)


def load_settings(config_file: Path) -> tuple[Settings | None, list[Problem]]:
    """Read mkdocs.yml; problems are located in it like content problems."""
    config_file = config_file.resolve()
    try:
        data, lines = parse_yaml(read_text(config_file), strict_tags=False)
    except FileNotFoundError:
        return None, [Problem(config_file.name, 1, "error", f"{config_file} not found",
                              "run casebook in the project folder, or pass --config-file")]
    except SourceError as exc:
        return None, [Problem(config_file.name, exc.line, "error", exc.message, exc.hint)]
    if not isinstance(data, dict):
        return None, [Problem(config_file.name, 1, "error", "mkdocs.yml must be a mapping of settings")]
    return settings_from(config_file, data, Document(data=data, lines=lines))


def plugin_location(data: dict[str, Any]) -> tuple | None:
    """Where the casebook options sit under `plugins:` (list or mapping form)."""
    plugins = data.get("plugins")
    if isinstance(plugins, dict):
        return ("plugins", PLUGIN) if isinstance(plugins.get(PLUGIN), dict) else None
    for index, entry in enumerate(plugins or []):
        if isinstance(entry, dict) and isinstance(entry.get(PLUGIN), dict):
            return ("plugins", index, PLUGIN)
    return None


def settings_from(config_file: Path, data: dict[str, Any], doc: Document) -> tuple[Settings | None, list[Problem]]:
    """Validate the plugin options found in doc; shared by the CLI and the MkDocs adapter."""
    base = plugin_location(doc.data)
    if base is None:
        doc, base = Document(data={PLUGIN: {}}), (PLUGIN,)
    options, problems = validate(Options, doc, config_file.name, base=base)
    if options is None:
        return None, problems
    root = config_file.parent
    return Settings(
        root=root,
        config_file=config_file,
        site_name=str(data.get("site_name") or "Customer stories"),
        site_url=str(data.get("site_url") or ""),
        docs_dir=root / str(data.get("docs_dir") or "docs"),
        site_dir=root / str(data.get("site_dir") or "site"),
        use_directory_urls=data.get("use_directory_urls", True) is not False,
        staging_dir=root / options.staging_dir,
        templates_dir=root / options.templates_dir,
        positioning=options.positioning,
        cta=options.cta,
        taxonomy=_taxonomy(options.taxonomy),
    ), problems
