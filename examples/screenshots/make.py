"""The README's screenshots, made from the example build (never by hand):

    .venv/bin/python examples/screenshots/make.py

Builds the example into a temporary folder (its cache warm from your last build), serves
it on loopback, and takes the home page and a case page in Debian's Chromium through
Playwright, and the case's one-pager with poppler's pdftoppm; then the web editor on the
same case, in a scratch git copy of the example with decap-server (from `make test-npm`).
Writes home.png, case.png, one-pager.png and editor.png beside this file."""

from __future__ import annotations

import functools
import http.server
import io
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
AS_OF = "2026-11-23"
CASE = "northwind-grocers-shelf-gaps"
WIDTH, HEIGHT = 1280, 1500


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def save(png: bytes, name: str) -> None:
    """A palette PNG: the screenshots stay small in the repository."""
    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    image.save(HERE / name, optimize=True)


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def browser(playwright):
    return playwright.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                      args=["--no-sandbox", "--disable-gpu"])


def editor(tmp: Path) -> None:
    """The editor on the example case: the form beside the preview in the site's layout."""
    root = tmp / "repo"
    root.mkdir()
    for name in ("mkdocs.yml", "site_templates", "docs", "cases", "whitepapers", "kits"):
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy)(REPO / name, root / name)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("  - casebook:\n", (
        "  - casebook:\n      cms:\n        repo: lumora/customer-stories\n"
        f"        local_backend: http://127.0.0.1:{port}/api/v1\n"), 1), "utf-8")
    (root / ".gitignore").write_text("/site/\n/.casebook/\n", "utf-8")
    for args in (("init", "-q", "-b", "main"), ("add", "-A"), ("-c", "user.name=x", "-c", "user.email=x@x", "commit", "-qm", "x")):
        subprocess.run(["git", "-C", str(root), *args], check=True)
    casebook = Path(sys.executable).with_name("casebook")
    subprocess.run([str(casebook), "build", "--no-pdf", "--as-of", AS_OF], cwd=root, check=True, stdout=subprocess.DEVNULL)
    env = {**os.environ, "PORT": str(port), "BIND_HOST": "127.0.0.1", "MODE": "git", "GIT_REPO_DIRECTORY": str(root),
           "LOG_LEVEL": "error"}
    backend = subprocess.Popen(["node", str(REPO / ".cache/npm/node_modules/decap-server/dist/index.js")], env=env)
    server, base = serve(root / "site")
    try:
        with sync_playwright() as playwright:
            page = browser(playwright).new_page(viewport={"width": WIDTH, "height": 900})
            page.goto(base + "admin/")
            page.get_by_role("button", name="Login").click()
            page.get_by_text("Case studies").first.wait_for()
            page.goto(base + f"admin/#/collections/cases/entries/{CASE}")
            page.frame_locator("iframe").first.locator(".cb-metric__value").first.wait_for()
            page.wait_for_timeout(500)
            save(page.screenshot(), "editor.png")
    finally:
        server.shutdown()
        backend.terminate()


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        casebook = Path(sys.executable).with_name("casebook")
        subprocess.run([str(casebook), "build", "--as-of", AS_OF, "--site-dir", str(site)], cwd=REPO, check=True,
                       stdout=subprocess.DEVNULL)
        server, base = serve(site)
        try:
            with sync_playwright() as playwright:
                page = browser(playwright).new_page(viewport={"width": WIDTH, "height": HEIGHT})
                for path, name in (("", "home.png"), (f"cases/{CASE}/", "case.png")):
                    page.goto(base + path, wait_until="networkidle")
                    save(page.screenshot(), name)
        finally:
            server.shutdown()
        png = subprocess.run(["pdftoppm", "-r", "80", "-f", "1", "-l", "1", "-png", str(site / f"downloads/cases/{CASE}.pdf")],
                             capture_output=True, check=True).stdout
        save(png, "one-pager.png")
        editor(Path(tmp))
    print(f"wrote {', '.join(p.name for p in sorted(HERE.glob('*.png')))} in {HERE.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
