"""The editor's files in the site: admin/index.html (no content in it), the generated
config.yml, the preview script and Decap CMS itself."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..content.load import Library
from ..content.settings import Settings
from ..core.problems import Problem
from .config import config_text, decap_config, key_order
from .vendor import VendorError, decap_files

ADMIN_DIR = "admin"
INTERNAL_KEY_CHARS = 40  # a key is a field name, e.g. deal_size; longer ones are notes and stay out


def internal_keys(library: Library) -> dict[str, list[str]]:
    """Per kind, the keys the project's files use under `internal`, in first-seen order: the
    editor shows one field each, so none of them is dropped when a file is saved."""
    found: dict[str, dict[str, None]] = {}
    for item in library.all():
        for key in (item.meta.internal or {}):
            if isinstance(key, str) and key.isidentifier() and len(key) <= INTERNAL_KEY_CHARS:
                found.setdefault(item.kind, {})[key] = None
    return {kind: list(keys) for kind, keys in found.items()}


def editor_files(settings: Settings, library: Library) -> tuple[dict[str, str | Path], list[Problem]]:
    try:
        decap = decap_files()
    except VendorError as exc:
        return {}, [Problem(settings.config_file.name, settings.line("cms"), "error", f"cms: {exc}",
                            "connect to the npm registry once (or set npm_config_registry to your mirror); "
                            "the download is kept in ~/.cache/casebook")]
    folder = settings.templates_dir / "editor"
    env = Environment(loader=FileSystemLoader(folder), autoescape=select_autoescape(default=True))
    taxonomy, config = settings.taxonomy, decap_config(settings, internal_keys(library))
    data = {"home": "../", "order": key_order(config),
            "labels": {facet: {key: term.label for key, term in taxonomy.terms(facet).items()}
                       for facet in ("industries", "sizes", "roles", "stages")}}
    files: dict[str, str | Path] = {f"{ADMIN_DIR}/{name}": path for name, path in decap.items()}
    files[f"{ADMIN_DIR}/index.html"] = env.get_template("index.html").render(site_name=settings.site_name, data=data)
    files[f"{ADMIN_DIR}/config.yml"] = config_text(config)
    files[f"{ADMIN_DIR}/casebook-editor.js"] = folder / "casebook-editor.js"
    files[f"{ADMIN_DIR}/yaml.min.js"] = folder / "vendor" / "yaml-2.8.2.min.js"
    files[f"{ADMIN_DIR}/yaml-LICENSE.txt"] = folder / "vendor" / "yaml-LICENSE"
    return files, []
