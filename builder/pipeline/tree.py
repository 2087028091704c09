"""What the staging docs tree holds: generated pages, their media and collateral, feeds,
theme assets and the user's own docs/, which may neither leave the repo nor replace a
generated page."""

from __future__ import annotations

from pathlib import Path

from ..catalog.catalog import Catalog
from ..channels.urls import attachment_path, brand_logo_path
from ..collateral import Collateral
from ..content.body import asset_name
from ..content.images import image_size
from ..content.load import local_files
from ..content.model import ASSETS_DIR, MEDIA_DIR
from ..content.settings import Settings
from ..core.problems import Problem
from ..site.webfonts import web_font, web_name
from ..site.assets import served
from ..site.feeds import feed_files, feeds, robots
from ..site.alternates import NONE as NO_ALTERNATES, Alternates
from ..site.pages import PageCache, body_on_page, render_pages
from ..site.staging import Source


def site_files(settings: Settings, catalog: Catalog, made: Collateral, pages: PageCache | None = None,
               alternates: Alternates = NO_ALTERNATES) -> tuple[dict[str, Source], list[Problem]]:
    """The whole staging tree: generated pages, their media and collateral, theme assets and the user's docs."""
    media = public_media(settings, catalog)
    files: dict[str, Source] = {f"{MEDIA_DIR}/{name}": source for name, source in media.values()}
    files.update(made.files)
    site_feeds = feeds(settings, catalog)
    files.update(feed_files(settings, catalog, site_feeds, made))
    staged = {key: (name, image_size(source)) for key, (name, source) in media.items()}
    files.update(render_pages(settings, catalog, staged, made, site_feeds, pages, alternates))
    assets = settings.templates_dir / "assets"
    files.update({f"{ASSETS_DIR}/{p.relative_to(assets).as_posix()}": served(p) for p in _tree(assets)})
    fonts = settings.templates_dir / "fonts"  # served as web fonts (site/webfonts.py), with their licence
    files.update({f"{ASSETS_DIR}/fonts/{web_name(p)}": web_font(p) for p in _tree(fonts) if p.parent == fonts})
    for kit in catalog.kits:  # tools and templates, each a download of its own too (see attachment_path)
        files.update({attachment_path(kit, path.name): path for _, path in local_files(settings, kit)
                      if attachment_path(kit, path.name)})
    logo = brand_logo_path(settings)
    if logo:
        files[logo] = settings.root / settings.brand.logo
    docs, problems = docs_files(settings, set(files))
    files.update(docs)
    crawlers = robots(settings)
    if crawlers and "robots.txt" not in files:  # a robots.txt in docs/ wins
        files["robots.txt"] = crawlers
    return files, problems


def docs_files(settings: Settings, generated: set[str]) -> tuple[dict[str, Path], list[Problem]]:
    """Hand-written pages from docs/, which may neither leave the repo nor replace a generated page."""
    files: dict[str, Path] = {}
    problems: list[Problem] = []
    root = settings.root.resolve()
    for path in _tree(settings.docs_dir):
        rel = path.relative_to(settings.docs_dir).as_posix()
        shown = path.relative_to(settings.root).as_posix() if path.is_relative_to(settings.root) else str(path)
        if not path.resolve().is_relative_to(root):
            problems.append(Problem(shown, 1, "error", "file is a symlink to outside the repository", "commit the file itself"))
        elif rel in generated:
            problems.append(Problem(shown, 1, "error", f"'{rel}' would replace a page Casebook generates",
                                    "rename it, or change the page through site_templates/"))
        else:
            files[rel] = path
    return files, problems


def public_media(settings: Settings, catalog: Catalog) -> dict[str, tuple[str, Path]]:
    """Images that public pages show: {'<item path>::<ref>': (staged name, source file)}."""
    media: dict[str, tuple[str, Path]] = {}
    for item in [*catalog.cases, *catalog.whitepapers]:
        for ref, source in local_files(settings, item):
            media[f"{item.path}::{ref}"] = (asset_name(source), source)
    for item in [*catalog.cases, *catalog.whitepapers, *catalog.kits]:
        if body_on_page(item):
            media.update({f"{item.path}::body::{name}": (name, source) for name, source in item.rendered.assets.items()})
    return media


def _tree(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
