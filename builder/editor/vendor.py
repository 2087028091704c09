"""Decap CMS itself, as files the site serves (no CDN, no third-party request): the npm
package's browser build, downloaded once from the npm registry, checked against its
pinned digest and kept in the user's cache, shared by every project."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import tarfile
import urllib.request
from pathlib import Path

from ..core.cache import user_cache

PACKAGE, VERSION = "decap-cms", "3.16.3"
INTEGRITY = "sha512-hf+dPlCh7TJmWl8+6VRzHYOWhri5xgUknrZbDewaWe4s9B7xJ8PQugp2QHeSldMUKzav6+z0oIpwUYhUJDYtYw=="
DEFAULT_REGISTRY = "https://registry.npmjs.org/"
TIMEOUT = 120


class VendorError(Exception):
    """Decap could not be fetched or did not match its digest; the message says which."""


def decap_files() -> dict[str, Path]:
    """{name in admin/: file}: decap-cms.js, its chunks, WebAssembly and licence."""
    folder = user_cache() / f"{PACKAGE}-{VERSION}"
    done = folder / ".verified"
    if not done.is_file():
        _unpack(_download(), folder)
        done.write_text(INTEGRITY, "utf-8")
    return {path.name: path for path in sorted(folder.iterdir()) if path.name != done.name}


def _download() -> bytes:
    registry = os.environ.get("npm_config_registry") or DEFAULT_REGISTRY
    url = f"{registry.rstrip('/')}/{PACKAGE}/-/{PACKAGE}-{VERSION}.tgz"
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:  # noqa: S310 (an https registry, pinned digest)
            data = response.read()
    except (OSError, ValueError) as exc:
        raise VendorError(f"cannot download {PACKAGE} {VERSION} from {registry} ({getattr(exc, 'reason', exc)})") from None
    algorithm, _, expected = INTEGRITY.partition("-")
    if base64.b64encode(hashlib.new(algorithm, data).digest()).decode() != expected:
        raise VendorError(f"{PACKAGE} {VERSION} from {registry} does not match its pinned digest: not used")
    return data


def _wanted(name: str) -> bool:
    """The browser build only: decap-cms.js, its numbered chunks, WebAssembly, the licence."""
    return name == "decap-cms.js" or name.endswith((".decap-cms.js", ".wasm")) or name == "decap-cms.js.LICENSE.txt"


def _unpack(data: bytes, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for member in archive.getmembers():
            name = member.name.removeprefix("package/dist/")
            if member.isfile() and name != member.name and "/" not in name and _wanted(name):
                extracted = archive.extractfile(member)
                if extracted is not None:
                    (folder / name).write_bytes(extracted.read())
