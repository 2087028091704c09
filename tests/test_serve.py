"""`casebook serve`: edits to content and templates show up without a restart."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from conftest import CASEBOOK


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, text: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    body = ""
    while time.monotonic() < deadline:
        try:
            body = urllib.request.urlopen(url, timeout=5).read().decode("utf-8")
            if text in body:
                return body
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{text!r} did not appear at {url}")


@contextmanager
def serving(project: Path, log: list[str], *options: str) -> Iterator[str]:
    """`casebook serve` on a free port; its output lands in log when it stops."""
    port = free_port()
    server = subprocess.Popen([CASEBOOK, "serve", "--as-of", "2026-11-23", "-a", f"127.0.0.1:{port}", *options], cwd=project,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        log.append(server.communicate(timeout=30)[0])
    assert "Traceback" not in log[-1], log[-1]


def test_serve_reloads_content_and_template_edits(example: Path) -> None:
    log: list[str] = []
    with serving(example, log) as base:
        wait_for(base + "cases/petalworks-florist-first-workflows/", "Petalworks")
        case = example / "cases/petalworks-florist-first-workflows.md"
        case.write_text(case.read_text().replace("## Challenge", "## Challenge\n\nEdited while serving.", 1))
        wait_for(base + "cases/petalworks-florist-first-workflows/", "Edited while serving.")
        template = example / "site_templates/pages/library.md.j2"
        template.write_text(template.read_text().replace("Filter by what matters to you.", "Template edited live."))
        wait_for(base + "cases/", "Template edited live.")
        embargoed = base + "cases/zephyrine-rail-freight-yard-automation/"
        try:
            urllib.request.urlopen(embargoed, timeout=5)
            raise AssertionError("an embargoed case is served")
        except urllib.error.HTTPError as exc:
            assert exc.code == 404


def test_serve_adds_collateral_rendered_in_the_background(example: Path) -> None:
    log: list[str] = []
    with serving(example, log) as base:
        wait_for(base + "cases/northwind-grocers-shelf-gaps/", "northwind-grocers-shelf-gaps.pdf", timeout=120)
        pdf = urllib.request.urlopen(base + "downloads/cases/northwind-grocers-shelf-gaps.pdf", timeout=10).read()
        assert pdf.startswith(b"%PDF-")
    assert "collateral files in the background" in log[-1], log[-1]
