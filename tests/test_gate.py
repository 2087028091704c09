"""Gated white papers: the download appears after the form posts to the configured service."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path

from browser import chromium, static_server
from conftest import AS_OF, casebook

GATED = "retail-benchmark-2026"


class FormService(http.server.BaseHTTPRequestHandler):
    """A stand-in form service on loopback, as Formspree or HubSpot would answer."""

    received: list[bytes] = []

    def do_POST(self) -> None:
        FormService.received.append(self.rfile.read(int(self.headers["Content-Length"])))
        self.send_response(200)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"ok": true}')

    def log_message(self, *args) -> None:
        pass


def test_gated_download_appears_after_the_form_posts(example: Path) -> None:
    service = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FormService)
    threading.Thread(target=service.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{service.server_address[1]}/f/lumora"
    config = example / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - casebook:\n", f"  - casebook:\n      gate: {{endpoint: '{endpoint}'}}\n"))
    run = casebook("build", "--as-of", AS_OF, cwd=example)
    assert run.returncode == 0, run.output
    html = (example / f"site/whitepapers/{GATED}/index.html").read_text("utf-8")
    assert f'action="{endpoint}"' in html and "<template>" in html
    assert "frontline-ai-playbook.pdf" in (example / "site/whitepapers/frontline-ai-playbook/index.html").read_text()
    downloads = (example / "site/downloads/index.html").read_text("utf-8")
    assert f"{GATED}.pdf" not in downloads and f'href="../whitepapers/{GATED}/"' in downloads
    try:
        with static_server(example / "site") as base, chromium() as browser:
            page = browser.new_page()
            page.goto(base + f"whitepapers/{GATED}/")
            assert page.locator(f"a[href$='{GATED}.pdf']").count() == 0
            page.fill("input[name=name]", "Dana Buyer")
            page.fill("input[name=email]", "dana@prospect.example")
            page.fill("input[name=company]", "Prospect Retail")
            page.click("form[data-cb-gate] button[type=submit]")
            link = page.locator(f"a[href$='{GATED}.pdf']")
            link.wait_for(timeout=10_000)
            assert page.request.get(base + f"whitepapers/{GATED}/" + link.get_attribute("href")).ok
    finally:
        service.shutdown()
    fields = FormService.received[-1].decode("utf-8", "ignore")
    assert "dana@prospect.example" in fields and GATED in fields


def test_without_an_endpoint_the_gated_download_is_plain(example_site: Path) -> None:
    html = (example_site / f"whitepapers/{GATED}/index.html").read_text("utf-8")
    assert "data-cb-gate" not in html and f"{GATED}.pdf" in html
