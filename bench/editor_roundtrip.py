"""What the web editor's save keeps and changes, on every example file: each is opened
in Decap CMS (real Chromium, decap-server in git mode), its title edited and saved; the
file on the draft branch is compared with the original line by line, and the branch is
validated by `casebook validate`.

    .venv/bin/python bench/editor_roundtrip.py              # about 3 minutes; prints a table

Needs what `make test` installs (Chromium, decap-server in .cache/npm)."""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from browser import chromium, static_server  # noqa: E402

SUFFIX = " (edited)"
COLLECTIONS = {"cases": "cases", "whitepapers": "whitepapers", "kits": "kits"}


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), "-c", "user.name=Bench", "-c", "user.email=bench@example.org", *args],
                          check=True, capture_output=True, text=True).stdout


def scratch(folder: Path, port: int) -> Path:
    root = folder / "repo"
    root.mkdir()
    for name in ("mkdocs.yml", "site_templates", "docs", "cases", "whitepapers", "kits"):
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy)(REPO / name, root / name)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("  - casebook:\n", (
        "  - casebook:\n      cms:\n        backend: github\n        repo: lumora/customer-stories\n"
        f"        local_backend: http://127.0.0.1:{port}/api/v1\n"), 1), "utf-8")
    (root / ".gitignore").write_text("/site/\n/.casebook/\n", "utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "example")
    subprocess.run([str(REPO / ".venv/bin/casebook"), "build", "--no-pdf"], cwd=root, check=True, capture_output=True)
    return root


def save_with_edited_title(page, base: str, root: Path, collection: str, slug: str) -> None:
    page.goto(base + f"admin/#/collections/{collection}/entries/{slug}")
    page.reload()  # a fresh editor per file: no form of the last one lingers
    label = page.locator("label:text-is('Title')").first
    label.wait_for()
    title = page.locator(f"[id='{label.get_attribute('for')}']")
    page.wait_for_function("document.querySelector('input') && document.querySelector('input').value.length > 0")
    title.fill(title.input_value() + SUFFIX)
    page.get_by_text("UNSAVED CHANGES", exact=False).first.wait_for()
    page.get_by_role("button", name="Save").click()
    main = git(root, "rev-parse", "main")
    for _ in range(200):  # the save is done once the draft branch has a commit of its own
        branch = git(root, "branch", "--list", "--format=%(objectname)", f"cms/{collection}/{slug}")
        if branch.strip() and branch != main:
            time.sleep(0.3)  # decap-server checks main out again after committing
            return
        time.sleep(0.1)
    raise TimeoutError(f"{collection}/{slug}: no draft branch after saving")


def main() -> int:
    port = 18000 + os.getpid() % 1000
    with tempfile.TemporaryDirectory() as tmp:
        root = scratch(Path(tmp), port)
        env = {**os.environ, "PORT": str(port), "BIND_HOST": "127.0.0.1", "MODE": "git", "GIT_REPO_DIRECTORY": str(root),
               "LOG_LEVEL": "warn"}
        server = subprocess.Popen(["node", str(REPO / ".cache/npm/node_modules/decap-server/dist/index.js")], env=env)
        time.sleep(2)
        rows = []
        try:
            with static_server(root / "site") as base, chromium() as browser:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(base + "admin/")
                page.get_by_role("button", name="Login").click()
                page.get_by_text("Case studies").first.wait_for()
                for folder in COLLECTIONS:
                    for path in sorted((root / folder).glob("*.md")):
                        rel = f"{folder}/{path.name}"
                        before = path.read_text("utf-8")
                        save_with_edited_title(page, base, root, COLLECTIONS[folder], path.stem)
                        after = git(root, "show", f"cms/{folder}/{path.stem}:{rel}")
                        changed = [line for line in difflib.unified_diff(before.split("\n"), after.split("\n"), lineterm="", n=0)
                                   if line and line[0] in "+-" and not line.startswith(("+++", "---"))]
                        expected = len(changed) == 2 and changed[0].startswith("-title:") and changed[1].startswith("+title:") \
                            and SUFFIX in changed[1]
                        rows.append((rel, expected, changed))
        finally:
            server.terminate()
        kept = sum(1 for _, ok, _ in rows if ok)
        print(f"{kept} of {len(rows)} files: the save changed the title line only")
        for rel, ok, changed in rows:
            if not ok:
                print(f"  {rel}:\n    " + "\n    ".join(changed))
        merged = Path(tmp) / "merged"
        git(root, "worktree", "add", "-q", "-b", "all-edits", str(merged), "main")
        for rel, _, _ in rows:
            folder, name = rel.split("/")
            git(merged, "checkout", f"cms/{folder}/{name.removesuffix('.md')}", "--", rel)
        run = subprocess.run([str(REPO / ".venv/bin/casebook"), "validate"], cwd=merged, capture_output=True, text=True)
        print(f"casebook validate on every saved file together: {run.stdout.strip().splitlines()[-1]} (exit {run.returncode})")
        return 0 if kept == len(rows) and run.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
