"""Lighthouse 12.2.3 (mobile, the default) on every kind of page: accessibility, SEO and
best practices score 100, and nothing shifts as a page loads (cumulative layout shift under
0.1). The performance score depends on the machine: the benchmark measures it, not this."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from browser import CHROMIUM, static_server
from conftest import npm_tool

PAGES = {
    "home": "", "library": "cases/", "industry hub": "industries/retail/", "role hub": "roles/decision-maker/",
    "case": "cases/northwind-grocers-shelf-gaps/", "white paper": "whitepapers/retail-benchmark-2026/",
    "kit": "kits/retail-operations-starter-kit/", "downloads": "downloads/",
}


@pytest.fixture(scope="module")
def base(example_site: Path):
    with static_server(example_site) as url:
        yield url


@pytest.mark.parametrize("kind", PAGES)
def test_lighthouse_scores_every_kind_of_page_100(base: str, kind: str, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    run = subprocess.run(
        ["node", str(npm_tool("lighthouse/cli/index.js")), base + PAGES[kind], "--quiet", "--output=json",
         f"--output-path={report}", "--only-categories=performance,accessibility,best-practices,seo",
         "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run"],
        capture_output=True, text=True, timeout=240, env={**os.environ, "CHROME_PATH": CHROMIUM})
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(report.read_text("utf-8"))
    failing = {key: audit.get("title") for key, audit in result["audits"].items()
               if audit.get("score") is not None and audit["score"] < 1 and any(
                   ref["id"] == key for category in ("accessibility", "best-practices", "seo")
                   for ref in result["categories"][category]["auditRefs"] if ref.get("weight"))}
    scores = {category: result["categories"][category]["score"] for category in ("accessibility", "best-practices", "seo")}
    assert scores == {"accessibility": 1, "best-practices": 1, "seo": 1}, failing
    assert result["audits"]["cumulative-layout-shift"]["numericValue"] < 0.1
