"""Careless and hostile input, odd folders, kills and concurrent builds: every problem is a
located error (never a traceback), and nothing the user had is lost."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import AS_OF, CASEBOOK, MINIMAL_CASE, casebook, tree_bytes, write
from test_serve import free_port, wait_for


def validate(root: Path):
    return casebook("validate", "--as-of", AS_OF, cwd=root)


def line_of(text: str, needle: str) -> int:
    return next(n for n, row in enumerate(text.split("\n"), 1) if needle in row)


def with_option(project: Path, option: str) -> int:
    """Adds a casebook option to mkdocs.yml; returns its line."""
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("  - casebook:\n", f"  - casebook:\n      {option}\n", 1), "utf-8")
    return line_of(config.read_text("utf-8"), option)


@pytest.mark.parametrize("value, message", [
    ("!!bool maybe", "'maybe' is tagged !!bool but is not true or false"),
    ('!!bool ""', "'' is tagged !!bool but is not true or false"),
    ("!!int _", "'_' is tagged !!int but is not a whole number"),
    ('!!int ""', "'' is tagged !!int but is not a whole number"),
    ("!!int +", "'+' is tagged !!int but is not a whole number"),
    ("!!float", "'' is tagged !!float but is not a number"),
    ("!!timestamp 2025-01-01", "unsupported YAML tag '!!timestamp'"),
    ("!ENV HOME", "unsupported YAML tag '!ENV'"),
])
def test_explicit_yaml_tags_are_located_errors(project: Path, value: str, message: str) -> None:
    text = MINIMAL_CASE.replace('title: "How Acme Widgets halved returns"', f"title: {value}")
    write(project, "cases/acme.md", text)
    run = validate(project)
    assert run.returncode == 1 and "Traceback" not in run.output
    assert f"cases/acme.md:{line_of(text, 'title:')}: error: {message}" in run.stdout


@pytest.mark.parametrize("value", ["!!int _", "!!bool maybe", "!!float x"])
def test_explicit_yaml_tags_in_mkdocs_yml_are_located_errors(project: Path, value: str) -> None:
    line = with_option(project, f"freshness: {{within_days: {value}}}")
    run = validate(project)
    assert run.returncode == 1 and "Traceback" not in run.output
    assert f"mkdocs.yml:{line}: error: " in run.stdout and "is tagged" in run.stdout


def test_mkdocs_own_tags_stay_allowed_in_mkdocs_yml(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + "extra:\n  home: !ENV [HOME, /root]\n", "utf-8")
    assert validate(project).returncode == 0


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085"])
def test_yaml_line_separators_are_refused_where_they_are(project: Path, separator: str) -> None:
    text = MINIMAL_CASE.replace("  name: Acme Widgets", f"  name: Acme{separator}Widgets")
    write(project, "cases/acme.md", text)
    run = validate(project)
    assert run.returncode == 1
    assert f"cases/acme.md:{line_of(text, '  name: Acme')}: error: YAML contains the line separator U+{ord(separator):04X}" in run.stdout


def test_a_lone_carriage_return_ends_a_line_as_in_an_editor(project: Path) -> None:
    text = MINIMAL_CASE.replace("date: 2025-05-01\n", "date: 2025-05-01\r").replace("  industry: retail", "  industry: retial")
    write(project, "cases/acme.md", text)
    run = validate(project)
    shown = text.replace("\r", "\n")  # what an editor shows
    assert f"cases/acme.md:{line_of(shown, 'industry: retial')}: error: customer.industry: 'retial'" in run.stdout


def test_an_open_quote_is_reported_where_it_opens_with_a_caret(project: Path) -> None:
    text = MINIMAL_CASE.replace('title: "How Acme Widgets halved returns"', 'title: "How Acme Widgets halved returns')
    write(project, "cases/acme.md", text)
    run = validate(project)
    assert run.returncode == 1
    assert f"cases/acme.md:{line_of(text, 'title:')}: error: YAML syntax: this quote is not closed on its line" in run.stdout
    rows = run.stdout.splitlines()
    at = next(i for i, row in enumerate(rows) if "this quote is not closed" in row)
    assert rows[at + 1] == '    title: "How Acme Widgets halved returns'
    assert rows[at + 2] == "    " + " " * len("title: ") + "^"


def test_a_key_with_a_value_and_a_block_is_reported_at_the_key(project: Path) -> None:
    text = MINIMAL_CASE.replace("customer:\n", "customer: Acme\n")
    write(project, "cases/acme.md", text)
    run = validate(project)
    assert f"cases/acme.md:{line_of(text, 'customer: Acme')}: error: YAML syntax: 'customer' has a value on this line " \
           "and an indented block below it" in run.stdout


def test_an_unclosed_bracket_is_reported_where_it_opens(project: Path) -> None:
    text = MINIMAL_CASE.replace("roles: [decision-maker]", "roles: [decision-maker")
    write(project, "cases/acme.md", text)
    run = validate(project)
    assert f"cases/acme.md:{line_of(text, 'roles:')}: error: YAML syntax: the '[' opened here is not closed" in run.stdout


@pytest.mark.parametrize("option, message", [
    ("cache_dir: /proc/casebook", "cache_dir: '/proc/casebook' is outside the project"),
    ("staging_dir: /proc/casebook/docs", "staging_dir: '/proc/casebook/docs' is outside the project"),
    ("reports_dir: ../reports", "is outside the project"),
    ("cache_dir: README.md", "cache_dir: 'README.md' is a file, not a folder"),
])
def test_casebook_folders_are_checked_by_validate(project: Path, option: str, message: str) -> None:
    write(project, "README.md", "read me")
    line = with_option(project, option)
    for command in ("validate", "build"):
        run = casebook(command, "--as-of", AS_OF, cwd=project)
        assert run.returncode == 1 and "Traceback" not in run.output, run.output
        assert f"mkdocs.yml:{line}: error: {message}" in run.stdout or message in run.stdout
    assert (project / "README.md").read_text() == "read me"


def test_a_file_where_the_cache_folder_goes_is_a_located_error(project: Path) -> None:
    write(project, ".casebook", "not a folder")
    run = casebook("build", "--as-of", AS_OF, cwd=project)
    assert run.returncode == 1 and "Traceback" not in run.output
    assert "cache_dir: '.casebook' is a file, not a folder" in run.stdout
    assert (project / ".casebook").read_text() == "not a folder"


def test_site_dir_that_is_a_file_is_refused_and_kept(project: Path) -> None:
    write(project, "notes.txt", "precious")
    run = casebook("build", "--as-of", AS_OF, "--no-pdf", "--site-dir", "notes.txt", cwd=project)
    assert run.returncode == 1 and "is a file, not a folder" in run.stderr
    assert (project / "notes.txt").read_text() == "precious"
    assert not list(project.glob(".notes.txt.*"))


@pytest.mark.skipif(os.geteuid() != 0, reason="replacing /dev/null needs root: the defect only shows as root")
def test_site_dir_that_is_a_device_is_refused(project: Path) -> None:
    run = casebook("build", "--as-of", AS_OF, "--no-pdf", "--site-dir", "/dev/null", cwd=project)
    assert run.returncode == 1 and "is a file, not a folder" in run.stderr
    assert Path("/dev/null").is_char_device()


def test_site_dir_that_is_a_dangling_symlink_is_refused(project: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    os.symlink(target, project / "site")
    run = casebook("build", "--as-of", AS_OF, "--no-pdf", cwd=project)
    assert run.returncode == 1 and "is a symbolic link" in run.stderr
    assert not target.exists() and (project / "site").is_symlink()


def test_a_folder_casebook_did_not_build_needs_force(project: Path) -> None:
    write(project, "public/index.html", "<h1>Our old site</h1>")
    run = casebook("build", "--as-of", AS_OF, "--no-pdf", "--site-dir", "public", cwd=project)
    assert run.returncode == 1 and "holds files Casebook did not build" in run.stderr and "--force" in run.stderr
    assert (project / "public/index.html").read_text() == "<h1>Our old site</h1>"
    run = casebook("build", "--as-of", AS_OF, "--no-pdf", "--site-dir", "public", "--force", cwd=project)
    assert run.returncode == 0, run.output
    assert (project / "public/assets/casebook/casebook.css").is_file()
    run = casebook("build", "--as-of", AS_OF, "--no-pdf", "--site-dir", "public", cwd=project)
    assert run.returncode == 0, run.output  # now Casebook's own


def test_an_empty_folder_is_built_into(project: Path) -> None:
    (project / "site").mkdir()
    run = casebook("build", "--as-of", AS_OF, "--no-pdf", cwd=project)
    assert run.returncode == 0, run.output


def test_two_builds_at_once_wait_for_each_other(example: Path) -> None:
    assert casebook("build", "--as-of", AS_OF, "--no-pdf", cwd=example).returncode == 0
    clean = tree_bytes(example / "site")
    runs = [subprocess.Popen([CASEBOOK, "build", "--as-of", AS_OF, "--no-pdf"], cwd=example,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(3)]
    outputs = [run.communicate(timeout=300)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], outputs
    assert any("waiting for another Casebook build" in output for output in outputs)
    assert not any("Traceback" in output for output in outputs)
    assert tree_bytes(example / "site") == clean
    assert not list(example.glob(".site.*"))


def _kill_during_build(example: Path, after: float) -> None:
    build = subprocess.Popen([CASEBOOK, "build", "--as-of", AS_OF, "--no-pdf"], cwd=example,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(after)
    os.killpg(build.pid, signal.SIGKILL)
    build.wait()


def test_a_kill_at_any_moment_leaves_a_whole_site(example: Path, tmp_path: Path) -> None:
    """The old and the new build differ (a new case goes public), so each kill must leave
    exactly one of them; the next build then equals a clean build and leaves nothing behind."""
    assert casebook("build", "--as-of", AS_OF, "--no-pdf", cwd=example).returncode == 0
    old = tree_bytes(example / "site")
    write(example, "cases/acme-widgets-returns.md", MINIMAL_CASE)
    started = time.monotonic()
    assert casebook("build", "--as-of", AS_OF, "--no-pdf", "--site-dir", str(tmp_path / "new"), cwd=example).returncode == 0
    duration = time.monotonic() - started
    new = tree_bytes(tmp_path / "new")
    assert new != old
    seen = set()
    for step in range(12):
        after = duration * (0.2 + step * 0.12)
        _kill_during_build(example, after)
        site = tree_bytes(example / "site")
        assert site in (old, new), f"a kill after {after:.2f}s left a partial site"
        seen.add("new" if site == new else "old")
        if site == new:
            (example / "cases/acme-widgets-returns.md").unlink()
            assert casebook("build", "--as-of", AS_OF, "--no-pdf", cwd=example).returncode == 0
            write(example, "cases/acme-widgets-returns.md", MINIMAL_CASE)
    assert casebook("build", "--as-of", AS_OF, "--no-pdf", cwd=example).returncode == 0
    assert tree_bytes(example / "site") == new
    assert not list(example.glob(".site.*")), "an interrupted build's folders are cleared by the next build"
    assert "old" in seen, seen


def test_the_next_build_puts_back_a_site_a_killed_swap_moved_aside(example: Path) -> None:
    """Where the system has no atomic exchange, a kill between the swap's two renames leaves
    the old site beside site_dir: the next build restores it before anything else, even when
    that build then stops on a content error."""
    assert casebook("build", "--as-of", AS_OF, "--no-pdf", cwd=example).returncode == 0
    old = tree_bytes(example / "site")
    (example / "site").rename(example / ".site.old-999999")
    write(example, "cases/broken.md", "---\ntitle: [\n---\n")
    run = casebook("build", "--as-of", AS_OF, "--no-pdf", cwd=example)
    assert run.returncode == 1
    assert tree_bytes(example / "site") == old and not (example / ".site.old-999999").exists()


def test_serve_answers_at_once_with_the_errors_and_recovers(example: Path) -> None:
    case = example / "cases/northwind-grocers-shelf-gaps.md"
    good = case.read_text("utf-8")
    case.write_text(good.replace("  industry: retail", "  industry: retial"), "utf-8")
    port = free_port()
    server = subprocess.Popen([CASEBOOK, "serve", "--as-of", AS_OF, "-a", f"127.0.0.1:{port}"], cwd=example,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log: list[str] = []
    reader = threading.Thread(target=lambda: log.extend(server.stdout), daemon=True)
    reader.start()
    try:
        url = f"http://127.0.0.1:{port}/"
        page = wait_for(url + "cases/", "error to fix")
        assert "cases/northwind-grocers-shelf-gaps.md:" in page and "&#39;retial&#39; is not a known industry" in page
        assert "/livereload/" in page  # it reloads by itself when the file is fixed
        started = time.monotonic()
        urllib.request.urlopen(url + "industries/retail/", timeout=5).read()
        assert time.monotonic() - started < 2
        case.write_text(good, "utf-8")
        wait_for(url + "cases/", "Northwind Grocers")
    finally:
        server.terminate()
        server.wait(timeout=30)
        reader.join(timeout=10)
    text = "".join(log)
    assert "Traceback" not in text
    stale = "older than the freshness limit"
    assert text.count(stale) > 0
    assert len({row for row in text.splitlines() if stale in row}) == text.count(stale), "each warning is printed once"


@pytest.mark.parametrize("kind, approve", [
    ("case", ("  status: draft ", "  status: approved\n  approved_by: Jo Doe (Example Co)\n  approved_on: 2026-01-05\n#")),
    ("whitepaper", ("status: draft ", "status: published #")),
])
def test_an_approved_starting_file_still_holding_its_samples_is_an_error(project: Path, kind: str, approve) -> None:
    assert casebook("new", kind, "fresh", cwd=project).returncode == 0
    path = project / ("cases" if kind == "case" else "whitepapers") / "fresh.md"
    assert validate(project).returncode == 0  # a draft may hold them
    text = path.read_text("utf-8").replace(*approve, 1)
    path.write_text(text, "utf-8")
    run = validate(project)
    assert run.returncode == 1
    shown = text.split("\n")
    title = next(n for n, row in enumerate(shown, 1) if row.startswith("title:"))
    assert f"{path.relative_to(project)}:{title}: error: title: still the sample text of `casebook new`" in run.stdout
    assert "body: still the sample text" in run.stdout
    if kind == "case":
        assert "customer.name: still the sample text of `casebook new` ('Example Co')" in run.stdout
    path.write_text(text.replace("Example Co", "Acme Widgets").replace("How ", "Why ").replace(
        "The State of Example Operations", "Operations in 2026"), "utf-8")
    assert "title: still the sample text" not in validate(project).stdout


def test_the_summary_counts_warnings_also_when_there_are_errors(example: Path) -> None:
    clean = validate(example)
    warnings = int(clean.stdout.strip().splitlines()[-1].split(", ")[-1].split()[0])
    assert warnings > 0
    write(example, "cases/broken.md", "---\ntitle: [\n---\n")
    run = validate(example)
    assert run.returncode == 1
    assert run.stdout.strip().splitlines()[-1].endswith(f"1 error, {warnings} warnings")


def test_a_file_name_too_long_for_the_system_is_a_located_error(project: Path) -> None:
    """Found by the fuzzer: a reference longer than a file name may be raised OSError."""
    text = MINIMAL_CASE.replace("  size: smb\n", f"  size: smb\n  logo: {'x' * 300}.svg\n")
    write(project, "cases/acme.md", text)
    run = validate(project)
    assert run.returncode == 1 and "Traceback" not in run.output
    assert f"cases/acme.md:{line_of(text, '  logo:')}: error: customer.logo: '{'x' * 77}...' cannot be read" in run.stdout


def test_a_bad_brand_credit_is_a_located_error(project: Path) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text("utf-8")
    assert "      brand:\n" in text
    config.write_text(text.replace("      brand:\n", "      brand:\n        credit: maybe\n", 1), "utf-8")
    run = validate(project)
    assert run.returncode == 1 and "Traceback" not in run.output
    assert f"mkdocs.yml:{line_of(config.read_text('utf-8'), 'credit: maybe')}: error: plugins[1].casebook.brand.credit:" in run.stdout


def test_sales_commands_refuse_impossible_numbers_and_dates(project: Path) -> None:
    write(project, "cases/acme.md", MINIMAL_CASE)
    run = casebook("pack", "--for", "Acme", "--count", "0", "--as-of", AS_OF, cwd=project)
    assert run.returncode == 1 and "--count takes a number of cases, 1 or more" in run.stderr
    before = (project / "cases/acme.md").read_text("utf-8")
    run = casebook("approve", "acme", "--by", "Jo", "--on", "2026-01-10", "--expires", "2026-01-01", cwd=project)
    assert run.returncode == 1 and "--expires: the approval must lapse after the day it was given" in run.stderr
    assert (project / "cases/acme.md").read_text("utf-8") == before
