"""The README's screenshots, made from the example build (never by hand):

    .venv/bin/python examples/screenshots/make.py

Builds the example into a temporary folder (its cache warm from your last build), serves
it on loopback, and takes the home page and a case page in Debian's Chromium through
Playwright, and the case's one-pager with poppler's pdftoppm. Writes home.png, case.png
and one-pager.png beside this file."""

from __future__ import annotations

import functools
import http.server
import io
import shutil
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


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        casebook = Path(sys.executable).with_name("casebook")
        subprocess.run([str(casebook), "build", "--as-of", AS_OF, "--site-dir", str(site)], cwd=REPO, check=True,
                       stdout=subprocess.DEVNULL)
        handler = functools.partial(_Quiet, directory=str(site))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                                     args=["--no-sandbox", "--disable-gpu"])
                page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
                for path, name in (("", "home.png"), (f"cases/{CASE}/", "case.png")):
                    page.goto(base + path, wait_until="networkidle")
                    save(page.screenshot(), name)
                browser.close()
        finally:
            server.shutdown()
        png = subprocess.run(["pdftoppm", "-r", "80", "-f", "1", "-l", "1", "-png", str(site / f"downloads/cases/{CASE}.pdf")],
                             capture_output=True, check=True).stdout
        save(png, "one-pager.png")
    print(f"wrote {', '.join(p.name for p in sorted(HERE.glob('*.png')))} in {HERE.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
