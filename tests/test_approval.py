"""Approvals pinned to the words approved: `casebook approve` records a fingerprint of what a
case publishes; an edit after it takes the case off every output until it is approved
again; approving rewrites only the approval lines."""

from __future__ import annotations

import difflib
from pathlib import Path

from conftest import AS_OF, MINIMAL_CASE, casebook, write

SLUG = "northwind-grocers-shelf-gaps"


def line_of(path: Path, start: str) -> int:
    return next(n for n, row in enumerate(path.read_text("utf-8").split("\n"), 1) if row.lstrip().startswith(start))


def pin(example: Path) -> None:
    """Record the example case's approval as casebook approve does (same signer and day)."""
    run = casebook("approve", SLUG, "--by", "Ingrid Haldorsen (Northwind Grocers)", "--on", "2025-06-20", cwd=example)
    assert run.returncode == 0, run.output


def test_an_edit_after_approval_unpublishes_until_approved_again(example: Path) -> None:
    case = example / f"cases/{SLUG}.md"
    unpinned = case.read_text("utf-8")
    pin(example)
    approved = case.read_text("utf-8")
    diff = [row for row in difflib.ndiff(unpinned.split("\n"), approved.split("\n")) if row[:2] in ("- ", "+ ")]
    assert len(diff) == 1 and diff[0].startswith('+   fingerprint: "')  # one line added, nothing else
    assert '  fingerprint: "title:' in approved
    case.write_text(approved.replace("cut shelf gaps by 41%", "cut shelf gaps by 45%", 1), "utf-8")
    run = casebook("validate", "--as-of", AS_OF, cwd=example)
    assert run.returncode == 0
    assert (f"cases/{SLUG}.md:{line_of(case, 'fingerprint:')}: warning: changed since the customer approved it (title): "
            "not public until approved again") in run.stdout
    assert f"casebook approve {SLUG} --by NAME --on DATE" in run.stdout
    fresh = casebook("report", "freshness", "--as-of", AS_OF, cwd=example)
    assert "Changed since the customer approved it: 1" in fresh.stdout and f"cases/{SLUG}.md" in fresh.stdout

    built = casebook("build", "--as-of", AS_OF, "--no-pdf", cwd=example)
    assert built.returncode == 0, built.output  # the leak guard read every output: nothing of the edited case
    assert not (example / f"site/cases/{SLUG}").exists()
    assert "Northwind Grocers" not in (example / "site/cases/index.html").read_text("utf-8")

    before = case.read_text("utf-8")
    run = casebook("approve", SLUG, "--by", "Ingrid Haldorsen (Northwind Grocers)", "--on", "2026-11-20", cwd=example)
    assert run.returncode == 0, run.output
    after = case.read_text("utf-8")
    changed = [row for row in difflib.ndiff(before.split("\n"), after.split("\n")) if row[:2] in ("- ", "+ ")]
    assert sorted(row[2:].split(":", 1)[0].strip() for row in changed) == sorted(["approved_on", "approved_on", "fingerprint", "fingerprint"])
    assert casebook("validate", "--as-of", AS_OF, cwd=example).stdout.count("changed since the customer approved") == 0
    assert casebook("build", "--as-of", AS_OF, "--no-pdf", cwd=example).returncode == 0
    assert "cut shelf gaps by 45%" in (example / f"site/cases/{SLUG}/index.html").read_text("utf-8")


def test_approve_adds_what_is_missing_and_keeps_the_rest(project: Path) -> None:
    path = write(project, "cases/acme.md", MINIMAL_CASE.replace("  status: approved\n  approved_by: Jo Doe (Acme Widgets)\n"
                                                                "  approved_on: 2025-04-01\n", "  status: draft   # waiting for Jo\n"))
    run = casebook("approve", "acme", "--by", "Jo Doe", "--on", "2025-04-02", "--expires", "2027-04-02", cwd=project)
    assert run.returncode == 0, run.output
    text = path.read_text("utf-8")
    assert "  status: approved   # waiting for Jo\n" in text
    assert '  approved_by: "Jo Doe"\n  approved_on: 2025-04-02\n  fingerprint: "title:' in text and "  expires_on: 2027-04-02" in text
    assert casebook("validate", "--as-of", AS_OF, cwd=project).stdout.endswith("0 errors, 0 warnings\n")
    again = casebook("approve", "acme", "--by", "Jo Doe", "--on", "2025-04-02", "--expires", "2027-04-02", cwd=project)
    assert again.returncode == 0 and "already approved as it is" in again.stdout and path.read_text("utf-8") == text


def test_approve_refuses_what_it_cannot_pin(project: Path) -> None:
    write(project, "cases/acme.md", MINIMAL_CASE)
    run = casebook("approve", "acmee", "--by", "Jo", cwd=project)
    assert run.returncode == 1 and "no case 'acmee'" in run.stderr and "did you mean 'acme'?" in run.stderr
    write(project, "cases/broken.md", MINIMAL_CASE.replace("  industry: retail", "  industry: retial"))
    before = (project / "cases/broken.md").read_text("utf-8")
    run = casebook("approve", "broken", "--by", "Jo", cwd=project)
    assert run.returncode == 1 and "'retial' is not a known industry" in run.output and "fix cases/broken.md first" in run.stderr
    assert (project / "cases/broken.md").read_text("utf-8") == before
    write(project, "cases/flow.md", MINIMAL_CASE.replace(
        "approval:\n  status: approved\n  approved_by: Jo Doe (Acme Widgets)\n  approved_on: 2025-04-01\n",
        "approval: {status: draft}\n"))
    run = casebook("approve", "flow", "--by", "Jo", cwd=project)
    assert run.returncode == 1 and "approval must be a block" in run.stderr and "Traceback" not in run.output


def test_a_changed_logo_also_needs_approval(example: Path) -> None:
    case = example / f"cases/{SLUG}.md"
    pin(example)
    logo = next((example / "cases/logos").glob("northwind*"))
    logo.write_text(logo.read_text("utf-8").replace("</svg>", "<circle cx='1' cy='1' r='1'/></svg>"), "utf-8")
    run = casebook("validate", "--as-of", AS_OF, cwd=example)
    assert f"cases/{SLUG}.md:{line_of(case, 'fingerprint:')}: warning: changed since the customer approved it (images)" in run.stdout


def test_the_proof_is_marked_on_every_page_and_names_what_changed(example: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    case = example / f"cases/{SLUG}.md"
    pin(example)
    case.write_text(case.read_text("utf-8").replace("cut shelf gaps by 41%", "cut shelf gaps by 45%", 1)
                    .replace("Northwind standardised its gap check", "Northwind standardised its shelf check", 1), "utf-8")
    out = tmp_path / "proof.pdf"
    run = casebook("proof", SLUG, "--as-of", AS_OF, "-o", str(out), cwd=example)
    assert run.returncode == 0, run.output
    assert "changed since the approval of 2025-06-20: title, story" in run.stdout
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(out).pages]
    assert pages and all("FOR APPROVAL" in page and "For approval" in page for page in pages)
    assert "Changed since the approval of 2025-06-20: title, story" in pages[0]
    approve = casebook("approve", SLUG, "--by", "Ingrid Haldorsen (Northwind Grocers)", "--on", "2025-06-20", cwd=example)
    assert approve.returncode == 0
    recorded = next(row for row in case.read_text("utf-8").split("\n") if "fingerprint:" in row).split('"')[1]
    assert recorded.split()[0] in pages[0]  # the proof shows the fingerprint that approving records


def test_a_draft_can_be_proofed(project: Path, tmp_path: Path) -> None:
    write(project, "cases/acme.md", MINIMAL_CASE.replace("  status: approved\n", "  status: draft\n"))
    run = casebook("proof", "acme", "--as-of", AS_OF, "-o", str(tmp_path / "p.pdf"), cwd=project)
    assert run.returncode == 0 and "the whole case is for approval" in run.stdout


def test_the_fingerprints_option_warns_or_requires_pinned_approvals(project: Path) -> None:
    path = write(project, "cases/acme.md", MINIMAL_CASE)
    config = project / "mkdocs.yml"
    original = config.read_text("utf-8")
    status_line = line_of(path, "status: approved")
    run = casebook("validate", "--as-of", AS_OF, cwd=project)
    assert run.returncode == 0 and "fingerprint" not in run.stdout  # the default: the contract's rule, no warning
    assert run.stderr.startswith("note: 1 approved case carries no fingerprint")
    for policy, severity, code in (("warn", "warning", 0), ("required", "error", 1)):
        config.write_text(original.replace("  - casebook:\n", f"  - casebook:\n      fingerprints: {policy}\n", 1), "utf-8")
        run = casebook("validate", "--as-of", AS_OF, cwd=project)
        assert run.returncode == code, run.output
        assert (f"cases/acme.md:{status_line}: {severity}: approved without a fingerprint: an edit after the approval "
                "would go live under it (hint: pin the approved words with `casebook approve acme --by NAME --on DATE`") in run.output
    run = casebook("approve", "acme", "--by", "Jo Doe (Acme Widgets)", "--on", "2025-04-01", cwd=project)
    assert run.returncode == 0, run.output
    run = casebook("validate", "--as-of", AS_OF, cwd=project)
    assert run.returncode == 0 and "fingerprint" not in run.output
    config.write_text(original.replace("  - casebook:\n", "  - casebook:\n      fingerprints: always\n", 1), "utf-8")
    run = casebook("validate", "--as-of", AS_OF, cwd=project)
    assert run.returncode == 1 and "fingerprints" in run.output and "optional" in run.output


def test_with_git_history_the_proof_sets_each_change_beside_the_approved_words(example: Path, tmp_path: Path) -> None:
    import subprocess

    from pypdf import PdfReader

    git = lambda *args: subprocess.run(["git", "-C", str(example), "-c", "user.name=Marketing", "-c",  # noqa: E731
                                        "user.email=marketing@lumora.example", *args], check=True, capture_output=True)
    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "content")
    pin(example)
    git("commit", "-qam", "approved by Northwind")
    approved = git("rev-parse", "HEAD").stdout.decode().strip()
    case = example / f"cases/{SLUG}.md"
    case.write_text(case.read_text("utf-8").replace("cut shelf gaps by 41%", "cut shelf gaps by 45%", 1)
                    .replace("Northwind standardised its gap check", "Northwind standardised its shelf check", 1), "utf-8")
    git("commit", "-qam", "new figure")
    out = tmp_path / "proof.pdf"
    run = casebook("proof", SLUG, "--as-of", AS_OF, "-o", str(out), cwd=example)
    assert run.returncode == 0, run.output
    assert f"approved version: commit {approved[:10]}" in run.stdout and "2 changes listed on the last page" in run.stdout
    last = " ".join(PdfReader(out).pages[-1].extract_text().split())
    assert "What changed since you approved it" in last and f"20 June 2025 (commit {approved[:10]})" in last
    assert "cut shelf gaps by 41%" in last and "cut shelf gaps by 45%" in last
    assert "standardised its gap check" in last and "standardised its shelf check" in last
    assert "Result" not in last and "Quote" not in last  # only what changed


def test_validate_notes_unpinned_approvals_without_counting_a_warning(example: Path) -> None:
    from content import cases

    approved = sum(1 for meta in cases(example).values() if meta["approval"]["status"] == "approved")
    run = casebook("validate", "--as-of", AS_OF, cwd=example)
    assert run.stderr.startswith(f"note: {approved} approved cases carry no fingerprint") and "casebook approve SLUG" in run.stderr
    files = sum(1 for folder in ("cases", "whitepapers", "kits") for _ in (example / folder).glob("*.md"))
    assert "note:" not in run.stdout and run.stdout.endswith(f"{files} files checked: 0 errors, 11 warnings\n")
    pin(example)
    assert f"note: {approved - 1} approved cases" in casebook("validate", "--as-of", AS_OF, cwd=example).stderr
