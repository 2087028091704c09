"""The web editor (Decap CMS at admin/): its config comes from the content model, it loads
from the site alone, and through its UI (real Chromium, decap-server in git mode on
loopback) a marketer's edit is a one-value diff and a new case is a branch that
validates and merges."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from pathlib import Path
from typing import Iterator

import pytest
import yaml

from browser import chromium, static_server
from conftest import AS_OF, casebook, copy_project, npm_tool, write

SLUG = "northwind-grocers-shelf-gaps"
NEW_TITLE = "Acme Widgets halves returns with Lumora Flow"
NEW_SLUG = "acme-widgets-halves-returns-with-lumora-flow"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def enable_editor(root: Path, port: int | None = None) -> None:
    """Turn on the editor in a project's mkdocs.yml (the example leaves it commented out)."""
    config = root / "mkdocs.yml"
    local = f"        local_backend: http://127.0.0.1:{port}/api/v1\n" if port else ""
    config.write_text(config.read_text("utf-8").replace(
        "  - casebook:\n", f"  - casebook:\n      cms:\n        backend: github\n        repo: lumora/customer-stories\n{local}", 1),
        "utf-8")


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(root), "-c", "user.name=Marketing", "-c", "user.email=marketing@lumora.example",
                           *args], check=True, capture_output=True, text=True)
    return done.stdout


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """The example as a scratch git repository whose editor talks to decap-server on `port`."""
    root = copy_project(tmp_path_factory.mktemp("editor") / "repo")
    port = free_port()
    enable_editor(root, port)
    write(root, ".gitignore", "/site/\n/.casebook/\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "content")
    run = casebook("build", "--no-pdf", "--as-of", AS_OF, cwd=root)
    assert run.returncode == 0, run.output
    return root, port


@pytest.fixture(scope="module")
def editor(repo: tuple[Path, int]) -> Iterator[tuple[Path, str]]:
    """decap-server (git mode, loopback only) and the built site, served; yields (repo, site address)."""
    root, port = repo
    env = {**os.environ, "PORT": str(port), "BIND_HOST": "127.0.0.1", "MODE": "git", "GIT_REPO_DIRECTORY": str(root),
           "LOG_LEVEL": "warn"}
    server = subprocess.Popen(["node", str(npm_tool("decap-server/dist/index.js"))], env=env)
    try:
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        with static_server(root / "site") as base:
            yield root, base
    finally:
        server.terminate()
        server.wait(10)


def field(page, label: str, nth: int = 0):
    """The input a Decap field label points at."""
    return page.locator(f"[id='{page.locator(f'label:text-is({label!r})').nth(nth).get_attribute('for')}']")


def choose(page, label: str, option: str) -> None:
    box = field(page, label)
    box.click()
    box.press_sequentially(option)
    page.keyboard.press("Enter")


def signed_in(browser, base: str, requests: list[str] | None = None):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    if requests is not None:
        page.on("request", lambda request: requests.append(request.url))
    page.goto(base + "admin/")
    page.get_by_role("button", name="Login").click()
    page.get_by_text("Case studies").first.wait_for()
    return page


def schema_paths(node: dict, defs: dict, prefix: str = "") -> set[str]:
    found = set()
    for name, prop in node.get("properties", {}).items():
        found.add(prefix + name)
        for choice in [prop, *prop.get("anyOf", [])]:
            target = choice.get("items", choice)
            if "$ref" in target:
                found |= schema_paths(defs[target["$ref"].rsplit("/", 1)[-1]], defs, f"{prefix}{name}.")
    return found


def config_paths(fields: list[dict], prefix: str = "") -> set[str]:
    return {p for f in fields for p in {prefix + f["name"]} | config_paths(f.get("fields", []), f"{prefix}{f['name']}.")}


def test_the_config_covers_every_field_of_the_schema_and_the_taxonomy(example: Path) -> None:
    enable_editor(example)
    run = casebook("cms", "config", cwd=example)
    assert run.returncode == 0, run.output
    config = yaml.safe_load(run.stdout)
    collections = {c["name"]: c for c in config["collections"]}
    assert config["publish_mode"] == "editorial_workflow" and config["backend"]["name"] == "github"
    for kind, folder in (("case", "cases"), ("whitepaper", "whitepapers"), ("kit", "kits")):
        schema = json.loads(casebook("schema", kind, cwd=example).stdout)
        fields = collections[folder]["fields"]
        offered = {path for path in config_paths(fields) if not path.startswith("internal.")}  # internal: the keys in use
        assert offered - {"body"} == schema_paths(schema, schema.get("$defs", {})), kind
        top = {f["name"]: f for f in fields}
        assert all(top[name].get("required", True) for name in schema["required"]), kind
        assert top["body"]["widget"] == "markdown" and top["internal"]["hint"].startswith("Never published")
    case = {f["name"]: f for f in collections["cases"]["fields"]}
    assert case["date"]["widget"] == "datetime" and case["date"]["time_format"] is False
    assert case["results"]["widget"] == "list" and case["results"]["min"] == 1
    assert {"name": "logo", "widget": "image"}.items() <= {f["name"]: f for f in case["customer"]["fields"]}["logo"].items()
    assert {"label": "Retail", "value": "retail"} in {f["name"]: f for f in case["customer"]["fields"]}["industry"]["options"]
    assert "approve" in {f["name"]: f for f in case["approval"]["fields"]}["fingerprint"]["hint"]
    kit = {f["name"]: f for f in collections["kits"]["fields"]}
    assert kit["cases"]["widget"] == "relation" and kit["cases"]["collection"] == "cases"
    assert kit["attachments"]["field"]["widget"] == "file"

    config_file = example / "mkdocs.yml"
    config_file.write_text(config_file.read_text("utf-8").replace(
        "          retail: {label: Retail,", "          aerospace: {label: Aerospace and defence}\n          retail: {label: Retail,", 1),
        "utf-8")
    again = yaml.safe_load(casebook("cms", "config", cwd=example).stdout)
    industry = next(f for f in again["collections"][0]["fields"] if f["name"] == "customer")["fields"][1]
    assert {"label": "Aerospace and defence", "value": "aerospace"} in industry["options"]


def test_the_editor_loads_from_the_site_alone(editor: tuple[Path, str]) -> None:
    root, base = editor
    site = root / "site"
    page_html = (site / "admin/index.html").read_text("utf-8")
    config_text = (site / "admin/config.yml").read_text("utf-8")
    for text in (page_html, config_text):  # no content in the editor's files: field names, labels and hints only
        assert "Northwind" not in text and "sofia.brandt@lumora.example" not in text
    assert (site / "admin/decap-cms.js").stat().st_size > 4_000_000
    assert "Disallow: /admin/" in (site / "robots.txt").read_text("utf-8")
    assert "/admin/" not in (site / "sitemap.xml").read_text("utf-8")
    assert not [d for d in json.loads((site / "search/search_index.json").read_text("utf-8"))["docs"]
                if d["location"].startswith("admin")]
    requests: list[str] = []
    with chromium() as browser:
        page = signed_in(browser, base, requests)
        page.goto(base + f"admin/#/collections/cases/entries/{SLUG}")
        field(page, "Title").wait_for()
        # the preview pane is the case page's own layout, with the site's style sheets
        preview = page.frame_locator("iframe").first
        assert preview.locator(".cb-case .cb-metric__value").first.text_content() == "-41%"
    assert requests and all(url.startswith(("http://127.0.0.1:", "blob:", "data:")) for url in requests), \
        [url for url in requests if not url.startswith("http://127.0.0.1:")]


def test_an_edited_result_is_a_one_value_diff_that_validates(editor: tuple[Path, str], tmp_path: Path) -> None:
    root, base = editor
    with chromium() as browser:
        page = signed_in(browser, base)
        page.goto(base + f"admin/#/collections/cases/entries/{SLUG}")
        value = field(page, "Value")
        assert value.input_value() == "-41%"
        value.fill("-45%")
        page.get_by_role("button", name="Save").click()
        page.get_by_text("Entry saved").first.wait_for()
    branch = f"cms/cases/{SLUG}"
    diff = git(root, "diff", "--unified=0", "main", branch)
    changed = [line for line in diff.splitlines() if line and line[0] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == ['-    value: "-41%"', '+    value: "-45%"']
    checkout = tmp_path / "review"
    git(root, "worktree", "add", "-q", str(checkout), branch)
    run = casebook("validate", "--as-of", AS_OF, cwd=checkout)
    assert run.returncode == 0 and "0 errors" in run.stdout, run.output


def test_a_new_case_is_a_branch_that_validates_then_is_merged(editor: tuple[Path, str], tmp_path: Path) -> None:
    root, base = editor
    with chromium() as browser:
        page = signed_in(browser, base)
        page.on("dialog", lambda dialog: dialog.accept())
        page.goto(base + "admin/#/collections/cases/new")
        field(page, "Title").fill(NEW_TITLE)
        field(page, "Summary").fill("Acme Widgets cut product returns in half with one shared workflow.")
        field(page, "Date").fill("2026-11-20")
        field(page, "Name").fill("Acme Widgets")
        choose(page, "Industry", "Retail")
        choose(page, "Size", "Mid-market")
        choose(page, "Roles", "Decision-makers")
        page.get_by_role("button", name="Add results").click()
        field(page, "Metric").fill("Product returns")
        field(page, "Value").fill("-50%")
        choose(page, "Status", "in_review")
        page.locator("[data-slate-editor='true']").first.click()
        page.keyboard.type("Acme Widgets sells garden tools online. Returns fell by half.")
        page.get_by_role("button", name="Save").click()
        page.get_by_text("Entry saved").first.wait_for()

        branch = f"cms/cases/{NEW_SLUG}"
        assert branch in git(root, "branch", "--list", "cms/*")
        checkout = tmp_path / "draft"
        git(root, "worktree", "add", "-q", str(checkout), branch)
        written = (checkout / f"cases/{NEW_SLUG}.md").read_text("utf-8")
        assert written.startswith(f"---\ntitle: {NEW_TITLE}\nsummary: ")  # the model's order, not the order of typing
        run = casebook("validate", "--as-of", AS_OF, cwd=checkout)
        assert run.returncode == 0 and "0 errors" in run.stdout, run.output
        git(root, "worktree", "remove", "--force", str(checkout))

        page.get_by_text("Status: Draft").click()
        page.get_by_role("menuitem", name="Ready").click()
        page.get_by_text("Status: Ready").wait_for()
        page.get_by_text("Publish", exact=True).click()
        page.get_by_role("menuitem", name="Publish now").click()
        page.get_by_text("Entry published").first.wait_for()
    assert branch not in git(root, "branch", "--list", "cms/*")
    assert git(root, "show", f"main:cases/{NEW_SLUG}.md") == written


def test_unquoted_numbers_the_editor_reads_differently_are_warned(example: Path) -> None:
    case = example / f"cases/{SLUG}.md"
    case.write_text(case.read_text("utf-8").replace('before: "220"', "before: 0220", 1), "utf-8")
    assert "web editor" not in casebook("validate", "--as-of", AS_OF, cwd=example).stdout  # only once it is on
    enable_editor(example)
    run = casebook("validate", "--as-of", AS_OF, cwd=example)
    assert 'warning: results[0].before: unquoted 0220 is 220 to the web editor (hint: write it in quotes, "0220"' in run.stdout


def test_the_leak_guard_reads_the_editor_page(example: Path) -> None:
    enable_editor(example)
    hidden = "Ottoline Savings Bank"  # an expired case: in the repository, on no output
    page = example / "site_templates/editor/index.html"
    page.write_text(page.read_text("utf-8").replace("<body></body>", f"<body><p>{hidden}</p></body>"), "utf-8")
    run = casebook("build", "--no-pdf", "--as-of", AS_OF, cwd=example)
    assert run.returncode == 1 and "admin/index.html" in run.output, run.output


def test_cms_true_turns_the_editor_on_and_a_missing_repo_is_warned(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("  - casebook:\n", "  - casebook:\n      cms: true\n", 1), "utf-8")
    run = casebook("validate", "--as-of", AS_OF, cwd=project)
    assert "warning: cms: no repo set: the published editor cannot sign in" in run.stdout, run.output
    run = casebook("build", "--no-pdf", "--as-of", AS_OF, cwd=project)
    assert run.returncode == 0, run.output
    assert (project / "site/admin/index.html").is_file() and (project / "site/admin/config.yml").is_file()


def test_decap_that_cannot_be_fetched_or_does_not_match_its_digest_is_a_located_error(project: Path, tmp_path: Path) -> None:
    enable_editor(project)
    line = next(n for n, row in enumerate((project / "mkdocs.yml").read_text("utf-8").split("\n"), 1) if row.strip() == "cms:")
    fake = tmp_path / "registry/decap-cms/-"
    fake.mkdir(parents=True)
    (fake / "decap-cms-3.16.3.tgz").write_bytes(b"not the package")
    with static_server(tmp_path / "registry") as registry:
        for url, message in (("http://127.0.0.1:9/", "cannot download decap-cms 3.16.3 from http://127.0.0.1:9/"),
                             (registry, "does not match its pinned digest: not used")):
            env = {**os.environ, "npm_config_registry": url, "XDG_CACHE_HOME": str(tmp_path / "empty-cache")}
            run = casebook("build", "--no-pdf", "--as-of", AS_OF, cwd=project, env=env)
            assert run.returncode == 1 and f"mkdocs.yml:{line}: error: cms: " in run.output and message in run.output, run.output
            assert "Traceback" not in run.output and not (project / "site").exists()


def test_bad_editor_settings_are_located_errors(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("  - casebook:\n", (
        "  - casebook:\n      cms:\n        backend: bitbucket\n        repo: not a repo\n"
        "        base_url: auth.example.com\n        local_backend: localhost:8081\n"), 1), "utf-8")
    rows = config.read_text("utf-8").split("\n")
    line = lambda key: next(n for n, row in enumerate(rows, 1) if row.strip().startswith(f"{key}:"))  # noqa: E731
    run = casebook("validate", "--as-of", AS_OF, cwd=project)
    assert run.returncode == 1 and "Traceback" not in run.output
    for key, message in (("backend", "'bitbucket' is not allowed (hint: allowed: 'github' or 'gitlab')"),
                         ("repo", "'not a repo' is not a repository (hint: write owner/name"),
                         ("base_url", "'auth.example.com' is not a web address"),
                         ("local_backend", "'localhost:8081' is not a web address")):
        assert f"mkdocs.yml:{line(key)}: error: plugins[1].casebook.cms.{key}: {message}" in run.output, run.output
