"""Packaging: the downloads each page links, and one reproducible zip per kit (its PDF,
every included PDF, the attachments and a manifest)."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import date
from pathlib import Path

from ..catalog.catalog import Catalog, facet_keys, item_day
from ..channels.urls import casebook_path, item_src, kit_zip_path, pdf_path, segment_src, thumbnail_path
from ..content.load import local_files
from ..content.memo import Memo
from ..content.model import KIND_DIRS, Item
from ..content.settings import Settings
from ..core.cache import read, write
from .jobs import Collateral, Download
from .plan import online_link
from .thumbnails import KINDS as THUMBNAIL_KINDS
from .thumbnails import thumbnail


_PICTURES = Memo()  # PDF path -> its first page's picture, while the PDF is the same bytes (`serve`)


def record_downloads(settings: Settings, catalog: Catalog, result: Collateral, meta: dict[str, dict], cache: Path) -> set[str]:
    """The downloads each page lists, with a picture of the first page of the long ones;
    returns the cache keys of those pictures."""
    taxonomy = catalog.taxonomy
    used: set[str] = set()

    def add(owner: str, path: str, kind: str, title: str, industries, roles, source: str, gated: bool = False) -> None:
        if path not in meta:  # not rendered yet (serve renders in the background)
            return
        info = meta[path]
        cover = None
        if kind in THUMBNAIL_KINDS:
            pdf = result.files[path]
            key, data = _PICTURES.get((settings.locale.code, path), (pdf,), lambda: thumbnail(pdf, cache))
            cover = thumbnail_path(path)
            result.files[cover] = data
            used.add(key)
        result.downloads.setdefault(owner, []).append(
            Download(path, kind, title, info["size"], info.get("pages"), tuple(industries), tuple(roles), source, gated, cover))

    for item in [*catalog.cases, *catalog.whitepapers, *catalog.kits]:
        industries = facet_keys(item, "industries", taxonomy)
        add(item_src(item), pdf_path(item), item.kind, item.meta.title, industries, item.meta.roles, item.slug,
            gated=item.kind == "whitepaper" and item.meta.gated)
    for segment in catalog.segments["industries"]:
        if segment.cases:
            roles = sorted({r for c in segment.cases for r in c.meta.roles})
            add(segment_src("industries", segment.key), casebook_path(segment.key), "casebook",
                settings.locale.fill("pdf", "{industry} customer stories", industry=segment.label), [segment.key], roles, segment.key)
    return used


def zip_kits(settings: Settings, catalog: Catalog, result: Collateral, cache: Path) -> set[str]:
    """One zip per kit: its PDF, every included PDF, the attachments and a manifest,
    reproducibly; kept in the cache under the digest of its entries. Returns the keys used."""
    used = set()
    for kit in catalog.kits:
        day = max(item_day(catalog, kit), date(1980, 1, 1))
        stamp = (day.year, day.month, day.day, 0, 0, 0)
        members = [kit, *catalog.kit_cases[kit.slug], *catalog.kit_whitepapers[kit.slug]]
        if any(pdf_path(member) not in result.files for member in members):
            continue  # not all rendered yet (serve)
        entries = {(f"{kit.slug}.pdf" if member is kit else f"{KIND_DIRS[member.kind]}/{member.slug}.pdf"):
                   result.files[pdf_path(member)] for member in members}
        for _, path in local_files(settings, kit):
            entries[f"attachments/{path.name}"] = path.read_bytes()
        key, data = _ZIPS.get((settings.locale.code, kit.slug), (settings, kit, stamp, *entries.items()),
                              lambda: _kit_zip(settings, kit, entries, stamp, cache))
        used.add(key)
        path = kit_zip_path(kit)
        result.files[path] = data
        industries = facet_keys(kit, "industries", catalog.taxonomy)
        result.downloads.setdefault(item_src(kit), []).append(
            Download(path, "kit-zip", kit.meta.title, len(data), None, tuple(industries), tuple(kit.meta.roles), kit.slug))
    return used


_ZIPS = Memo()  # (language, kit) -> (key, zip) while its files are the same bytes (`serve`)


def _kit_zip(settings: Settings, kit: Item, entries: dict[str, bytes], stamp: tuple, cache: Path) -> tuple[str, bytes]:
    """The kit's zip with its manifest, from the cache under the digest of its entries."""
    entries = {**entries, "MANIFEST.txt": _manifest(settings, kit, entries).encode("utf-8")}
    digest = hashlib.sha256(repr(stamp).encode())
    for name in sorted(entries):
        digest.update(name.encode() + b"\0" + hashlib.sha256(entries[name]).digest())
    key = digest.hexdigest()
    stored = cache / f"{key}.zip"
    data = read(stored)
    if data is None:  # not made yet, or not intact
        data = _zip(entries, stamp)
        write(stored, data)
    return key, data


def _zip(entries: dict[str, bytes], stamp: tuple) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, entries[name])
    return buffer.getvalue()


def _manifest(settings: Settings, kit: Item, entries: dict[str, bytes]) -> str:
    lines = [kit.meta.title, "=" * len(kit.meta.title), "", kit.meta.summary, ""]
    link = online_link(settings, kit)[1]
    if link:
        lines += [f"Online: {link}", ""]
    lines += ["Contents:"] + [f"  {name}  ({len(data):,} bytes, sha256 {hashlib.sha256(data).hexdigest()[:16]})"
                             for name, data in sorted(entries.items())]
    return "\n".join(lines) + "\n"
