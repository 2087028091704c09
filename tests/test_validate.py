"""Bad input gets a located message (path:line: error: field: message (hint)), exit 1, no traceback."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from conftest import MINIMAL_CASE, casebook, write


def case_with(old: str, new: str) -> str:
    assert old in MINIMAL_CASE
    return MINIMAL_CASE.replace(old, new, 1)


def validate(root: Path, *args: str):
    run = casebook("validate", "--as-of", "2026-11-23", *args, cwd=root)
    assert "Traceback" not in run.output
    return run


def test_valid_case_passes(project: Path) -> None:
    write(project, "cases/acme.md", MINIMAL_CASE)
    run = validate(project)
    assert run.returncode == 0, run.output
    assert "1 file checked: 0 errors, 0 warnings" in run.stdout
    assert casebook("approve", "acme", "--by", "Jo Doe (Acme Widgets)", "--on", "2025-04-01", cwd=project).returncode == 0
    run = validate(project)  # pinned to its words: still valid, still public
    assert run.returncode == 0 and "1 file checked: 0 errors, 0 warnings" in run.stdout, run.output


BAD_CASES = {
    "yaml-syntax": (case_with('title: "How Acme Widgets halved returns"', "title: Results: 40% faster"),
                    "cases/bad.md:2: error: YAML syntax", "quoted"),
    "missing-field": (case_with('title: "How Acme Widgets halved returns"\n', ""),
                      "cases/bad.md:1: error: title: required field is missing", "add 'title:'"),
    "missing-nested": (case_with("  name: Acme Widgets\n", ""),
                       "cases/bad.md:5: error: customer.name: required field is missing", ""),
    "wrong-type": (case_with("roles: [decision-maker]", "roles: decision-maker"),
                   "cases/bad.md:9: error: roles: expected a list", "[a, b]"),
    "taxonomy-typo": (case_with("industry: retail", "industry: retial"),
                      "cases/bad.md:7: error: customer.industry: 'retial' is not a known industry", "did you mean 'retail'?"),
    "role-typo": (case_with("roles: [decision-maker]", "roles: [decision-makr]"),
                  "cases/bad.md:9: error: roles[0]: 'decision-makr' is not a known role", "did you mean 'decision-maker'?"),
    "bad-status": (case_with("status: approved", "status: aproved"),
                   "cases/bad.md:16: error: approval.status: 'aproved' is not allowed", "'approved'"),
    "not-a-date": (case_with("date: 2025-05-01", "date: 2025-02-30"),
                   "cases/bad.md:4: error: date: '2025-02-30' is not a real date", ""),
    "date-format": (case_with("date: 2025-05-01", "date: May 2025"),
                    "cases/bad.md:4: error: date: expected a date", "YYYY-MM-DD"),
    "summary-too-long": (case_with('summary: "Acme Widgets cut product returns in half with one shared workflow."',
                                   "summary: " + "x" * 300),
                         "cases/bad.md:3: error: summary: is 300 characters; at most 280 allowed", ""),
    "approved-unsigned": (case_with("  approved_by: Jo Doe (Acme Widgets)\n", ""),
                          "cases/bad.md:15: error: approval: an approved case needs approved_by", "who at the customer"),
    "duplicate-key": (case_with("stage: steady", "stage: steady\nstage: cold-start"),
                      "cases/bad.md:11: error: duplicate key 'stage'", "line 10"),
    "python-tag": (case_with("stage: steady", 'stage: !!python/object/apply:os.system ["touch pwned"]'),
                   "cases/bad.md:10: error: unsupported YAML tag", ""),
    "no-front-matter": ("# Just markdown\n", "cases/bad.md:1: error: missing front matter", "'---'"),
    "unclosed-front-matter": ("---\ntitle: x\n", "cases/bad.md:1: error: front matter is not closed", ""),
    "empty": ("  \n", "cases/bad.md:1: error: file is empty", "casebook new"),
    "bad-website": (case_with("  size: smb", "  size: smb\n  website: javascript:alert(1)"),
                    "cases/bad.md:9: error: customer.website: 'javascript:alert(1)' is not a web address", "https://"),
    "results-empty": (case_with('results:\n  - metric: Product returns\n    value: "-50%"', "results: []"),
                      "cases/bad.md:12: error: results: needs at least 1 item(s)", ""),
}


@pytest.mark.parametrize("name", BAD_CASES)
def test_bad_case_is_located(project: Path, name: str) -> None:
    text, expected, hint = BAD_CASES[name]
    write(project, "cases/bad.md", text)
    run = validate(project)
    assert run.returncode == 1, run.output
    assert expected in run.stdout, run.stdout
    assert hint in run.stdout
    assert "1 file checked: " in run.stdout
    assert not (project / "pwned").exists()


def test_unknown_key_warns_with_closest_name(project: Path) -> None:
    write(project, "cases/typo.md", case_with("summary:", "sumary:"))
    run = validate(project)
    assert "cases/typo.md:3: warning: unknown field 'sumary' is ignored (hint: did you mean 'summary'?)" in run.stdout
    assert "cases/typo.md:1: error: summary: required field is missing" in run.stdout
    assert run.returncode == 1


def test_unknown_key_alone_is_only_a_warning(project: Path) -> None:
    write(project, "cases/extra.md", case_with("stage: steady", "stage: steady\nfeatured_on_home: true"))
    run = validate(project)
    assert run.returncode == 0, run.output
    assert "warning: unknown field 'featured_on_home'" in run.stdout
    assert "0 errors, 1 warning" in run.stdout


def test_non_utf8_file(project: Path) -> None:
    write(project, "cases/latin1.md", MINIMAL_CASE.replace("Acme Widgets halved", "Acme Widgets \xe9").encode("latin-1"))
    run = validate(project)
    assert run.returncode == 1
    assert "cases/latin1.md:2: error: file is not valid UTF-8" in run.stdout


def test_all_problems_of_all_files_in_one_run(project: Path) -> None:
    write(project, "cases/one.md", case_with("industry: retail", "industry: retial"))
    write(project, "cases/two.md", case_with("date: 2025-05-01", "date: 2025-13-01"))
    write(project, "cases/three.md", MINIMAL_CASE)
    write(project, "whitepapers/paper.md", "---\ntitle: A paper\n---\n")
    run = validate(project)
    assert run.returncode == 1
    assert "cases/one.md:7: error" in run.stdout
    assert "cases/two.md:4: error" in run.stdout
    assert "whitepapers/paper.md:1: error: summary: required field is missing" in run.stdout
    assert "whitepapers/paper.md:1: error: authors: required field is missing" in run.stdout
    assert run.stdout.strip().splitlines()[-1].startswith("4 files checked: 8 errors")


def test_github_annotations(project: Path) -> None:
    write(project, "cases/bad.md", case_with("industry: retail", "industry: retial"))
    run = validate(project, "--format", "github")
    assert run.returncode == 1
    assert "::error file=cases/bad.md,line=7::customer.industry: 'retial' is not a known industry" in run.stdout


def test_slug_must_be_url_safe(project: Path) -> None:
    write(project, "cases/Acme Widgets.md", MINIMAL_CASE)
    run = validate(project)
    assert run.returncode == 1
    assert "cases/Acme Widgets.md:1: error: file name 'Acme Widgets.md' is not a valid slug" in run.stdout
    assert "rename it to 'acme-widgets.md'" in run.stdout


@pytest.mark.parametrize("logo, message", [
    ("/etc/passwd", "is an absolute path"),
    ("../../outside.svg", "points outside the repository"),
    ("logos/missing.svg", "does not exist"),
    ("file:///etc/passwd", "is a file: URL"),
    ("logos/escape.svg", "points outside the repository"),
    ("logos/evil.svg", "contains a <script> element"),
    ("logos/notes.txt", "is not an image"),
])
def test_file_references_stay_in_the_repo(project: Path, logo: str, message: str) -> None:
    outside = project.parent / "outside.svg"
    outside.write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (project / "cases" / "logos").mkdir(parents=True)
    os.symlink(outside, project / "cases" / "logos" / "escape.svg")
    write(project, "cases/logos/evil.svg", '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    write(project, "cases/logos/notes.txt", "hello")
    write(project, "cases/acme.md", case_with("  size: smb", f"  size: smb\n  logo: {logo}"))
    run = validate(project)
    assert run.returncode == 1
    assert "cases/acme.md:9: error: customer.logo: " in run.stdout
    assert message in run.stdout


def test_body_image_outside_repo(project: Path) -> None:
    write(project, "cases/acme.md", MINIMAL_CASE + "\n![chart](../../secret.png)\n")
    run = validate(project)
    assert run.returncode == 1
    assert "cases/acme.md:" in run.stdout and "body: image '../../secret.png' points outside the repository" in run.stdout


def test_kit_member_typo(project: Path) -> None:
    write(project, "cases/acme.md", MINIMAL_CASE)
    write(project, "kits/starter.md", """---
title: Starter kit
summary: Everything to start.
industry: retail
roles: [decision-maker]
status: published
cases: [acmee]
---
Intro.
""")
    run = validate(project)
    assert run.returncode == 1
    assert "kits/starter.md:7: error: cases: no case 'acmee' in cases/ (hint: did you mean 'acme'?)" in run.stdout


@pytest.mark.parametrize("front, message", [
    ("a: " + "[" * 5000 + "]" * 5000, "too deeply nested"),
    ("a: &a [1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
     "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]",
     "too large or too deeply nested"),
])
def test_hostile_yaml_fails_fast(project: Path, front: str, message: str) -> None:
    write(project, "cases/bomb.md", f"---\n{front}\n---\nbody\n")
    started = time.monotonic()
    run = validate(project)
    assert time.monotonic() - started < 20
    assert run.returncode == 1
    assert "cases/bomb.md:" in run.stdout and message in run.stdout


def test_huge_file_is_refused_before_parsing(project: Path) -> None:
    write(project, "cases/huge.md", "---\ntitle: x\n---\n" + "word " * 600_000)
    run = validate(project)
    assert run.returncode == 1
    assert "cases/huge.md:1: error: file is" in run.stdout and "KiB; at most 2048 KiB" in run.stdout


def test_bad_taxonomy_in_config_is_located(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("          retail: {label: Retail,", "          Retail Stores: {label: Retail,"))
    run = validate(project)
    assert run.returncode == 1
    assert "mkdocs.yml:" in run.stdout and "bad key(s): Retail Stores" in run.stdout


def test_example_content_is_valid() -> None:
    from conftest import REPO

    run = casebook("validate", "--as-of", "2026-11-23", cwd=REPO)
    assert run.returncode == 0, run.output
    assert " 0 errors" in run.stdout


REVIEWED = {
    "misspelt-embargo": (case_with("stage: steady", "stage: steady\npublish-on: 2030-01-01"),
                         "cases/bad.md:11: error: unknown field 'publish-on': did you mean 'publish_on'?"),
    "misspelt-expiry": (case_with("  approved_on: 2025-04-01", "  approved_on: 2025-04-01\n  expires: 2026-01-01"),
                        "cases/bad.md:19: error: unknown field 'approval.expires': did you mean 'expires_on'?"),
    "deep-flow-nesting": ("---\ntitle: " + "[" * 30000 + "]" * 30000 + "\n---\n",
                          "cases/bad.md:2: error: YAML is too deeply nested"),
    "control-character": (case_with("stage: steady", "stage: ste\x07ady"),
                          "cases/bad.md:10: error: YAML cannot contain the control character U+0007"),
    "tab-indent": (case_with("  size: smb", "\tsize: smb"), "(hint: indent with spaces, not tabs)"),
    "website-breaks-attribute": (case_with("  size: smb", '  size: smb\n  website: "https://x.example/\\" onmouseover=\\"alert(1)"'),
                                 "cases/bad.md:9: error: customer.website: "),
    "newline-in-value": (case_with("  size: smb", '  size: smb\n  website: "ftp://a\\ncases/x.md:1: error: fake"'),
                         "'ftp://a\\ncases/x.md:1: error: fake' is not a web address"),
    "reserved-slug": (MINIMAL_CASE, "cases/index.md:1: error: file name 'index.md' is not a valid slug"),
}


@pytest.mark.parametrize("name", REVIEWED)
def test_reviewed_inputs_are_located_errors(project: Path, name: str) -> None:
    text, expected = REVIEWED[name]
    write(project, "cases/index.md" if name == "reserved-slug" else "cases/bad.md", text)
    run = validate(project)
    assert run.returncode == 1, run.output
    assert expected in run.stdout, run.stdout
    # each problem is a `path:line:` line, a syntax error's excerpt and caret are indented below it
    assert len(run.stdout.strip().splitlines()) >= 2 and all(
        line.startswith(("cases/", "1 file", "    ")) for line in run.stdout.strip().splitlines())


def test_numbers_stay_as_written(project: Path) -> None:
    write(project, "cases/acme.md", case_with('value: "-50%"', "value: 010\n    before: 1:30\n    after: 0x1F"))
    assert casebook("build", "--as-of", "2026-11-23", cwd=project).returncode == 0
    page = (project / "site/cases/acme/index.html").read_text()
    assert ">010<" in page and "1:30 → 0x1F" in page


def test_white_paper_industry_typo_is_one_clear_error(project: Path) -> None:
    write(project, "whitepapers/paper.md", """---
title: A paper
summary: Short.
date: 2026-01-01
industries: [retial]
roles: [administrator]
authors: [Ann]
status: published
---
Body.
""")
    run = validate(project)
    assert run.returncode == 1
    assert "whitepapers/paper.md:5: error: industries[0]: 'retial' is not a known industry (hint: did you mean 'retail'?" in run.stdout
    assert "1 error" in run.stdout and "function-after" not in run.stdout


def test_body_errors_are_reported_with_front_matter_errors(project: Path) -> None:
    write(project, "cases/acme.md", case_with('title: "How Acme Widgets halved returns"', 'title: ""') + "\n![x](nope.png)\n")
    run = validate(project)
    assert "cases/acme.md:2: error: title: must not be empty" in run.stdout
    assert "body: image 'nope.png' does not exist" in run.stdout


def test_kit_naming_an_invalid_case_gets_no_misleading_error(project: Path) -> None:
    write(project, "cases/acme.md", case_with("industry: retail", "industry: retial"))
    write(project, "kits/kit.md", "---\ntitle: Kit\nsummary: S.\nindustry: retail\nroles: [administrator]\n"
                                  "status: published\ncases: [acme]\n---\nIntro.\n")
    run = validate(project)
    assert "no case 'acme'" not in run.stdout and "cases/acme.md:7: error" in run.stdout


def test_image_names_with_spaces_and_accents(project: Path) -> None:
    write(project, "cases/img/café chart.svg", '<svg xmlns="http://www.w3.org/2000/svg"><rect width="4" height="4"/></svg>')
    write(project, "cases/acme.md", MINIMAL_CASE + "\n![Chart](<img/café chart.svg>)\n")
    run = validate(project)
    assert run.returncode == 0, run.output


@pytest.mark.parametrize("svg, message", [
    ('<a><set attributeName="href" to="javascript:alert(1)"/><rect width="1" height="1"/></a>', "contains a <set> element"),
    ('<animate attributeName="href" values="javascript:alert(1)"/>', "contains a <animate> element"),
    ('<style>rect{fill:u\\rl(https://evil.example/t)}</style>', "in <style>"),
    ('<rect style="fill:url(https://evil.example/t)"/>', "in attribute 'style'"),
])
def test_svg_logos_with_active_content_are_refused(project: Path, svg: str, message: str) -> None:
    write(project, "cases/logos/bad.svg", f'<svg xmlns="http://www.w3.org/2000/svg">{svg}</svg>')
    write(project, "cases/acme.md", case_with("  size: smb", "  size: smb\n  logo: logos/bad.svg"))
    run = validate(project)
    assert run.returncode == 1 and "cases/acme.md:9: error: customer.logo:" in run.stdout and message in run.stdout


def test_a_renamed_html_file_is_not_an_image(project: Path) -> None:
    write(project, "cases/logos/fake.png", "<html><script>alert(1)</script></html>")
    write(project, "cases/acme.md", case_with("  size: smb", "  size: smb\n  logo: logos/fake.png"))
    run = validate(project)
    assert run.returncode == 1 and "'fake.png' is not really a PNG image" in run.stdout


def test_remote_logo_warns_and_is_not_hot_linked(project: Path) -> None:
    write(project, "cases/acme.md", case_with("  size: smb", "  size: smb\n  logo: https://cdn.example/logo.png"))
    run = casebook("build", "--as-of", "2026-11-23", cwd=project)
    assert run.returncode == 0, run.output
    assert "cases/acme.md:9: warning: customer.logo: remote file 'https://cdn.example/logo.png' is not published" in run.stdout
    assert "cdn.example" not in (project / "site/cases/acme/index.html").read_text()


def test_folder_and_broken_link_named_like_content(project: Path) -> None:
    (project / "cases/folder.md").mkdir(parents=True)
    os.symlink(project / "nowhere.md", project / "cases/broken.md")
    write(project, "cases/notes.MD", MINIMAL_CASE)
    run = validate(project)
    assert run.returncode == 1
    assert "cases/folder.md:1: error: a folder cannot be named like a content file" in run.stdout
    assert "cases/broken.md:1: error: file is a broken symlink" in run.stdout
    assert "cases/notes.MD:1: warning: file is ignored: content files end in '.md'" in run.stdout


@pytest.mark.parametrize("args, env, message", [
    (["--as-of", "20261123"], {}, "'20261123' is not a date like 2026-01-31"),
    ([], {"CASEBOOK_AS_OF": "garbage"}, "CASEBOOK_AS_OF: 'garbage' is not a date like 2026-01-31"),
])
def test_bad_build_day(project: Path, args: list[str], env: dict[str, str], message: str) -> None:
    run = casebook("validate", *args, cwd=project, env={**os.environ, **env})
    assert run.returncode != 0 and message in run.stderr and "Traceback" not in run.output


@pytest.mark.parametrize("old, new, message", [
    ("url: mailto:sales@lumora.example", "url: javascript:alert(1)", "cta.url: 'javascript:alert(1)' is not a web address"),
    ("site_name: Lumora Customer Stories", "site_name: [a]", "mkdocs.yml:2: error: site_name: expected text"),
    ("  - casebook:\n", "  - casebook_typo:\n", "the casebook plugin is not enabled"),
    ('primary: "#3949ab"', 'primary: "indigo"', "brand.colors.primary: 'indigo' is not a colour (hint: write it as #RRGGBB"),
    ("logo: site_templates/brand/lumora.svg", "logo: site_templates/brand/missing.svg",
     "brand.logo: 'site_templates/brand/missing.svg' does not exist"),
    ('utm_campaign: "{kind}-{slug}"', 'utm_campaign: "{kind}-{title}"',
     "channels.pdf.utm_campaign: '{kind}-{title}' uses an unknown placeholder (hint: only {kind} and {slug}"),
    ("  - casebook:\n", "  - casebook:\n      gate: {endpoint: 'javascript:alert(1)'}\n",
     "gate.endpoint: 'javascript:alert(1)' is not a web address"),
    ("  - casebook:\n", "  - casebook:\n      freshness: {within_days: 0}\n",
     "freshness.within_days: Input should be greater than or equal to 1"),
    ("  - casebook:\n", "  - casebook:\n      reports_dir: cases\n", "reports_dir: "),
    ('wechat: {utm_source: wechat, utm_medium: social, utm_campaign: "{kind}-{slug}", limit: 300}',
     "wechat: {utm_source: wechat, utm_medium: social, limit: 10}",
     "channels.wechat.limit: Input should be greater than or equal to 40"),
    ("network: email}", "network: myspace}",
     "channels.sales-email.network: 'myspace' is not allowed (hint: allowed: 'linkedin', 'x', 'facebook', 'wechat' or 'email')"),
])
def test_config_mistakes_are_located(project: Path, old: str, new: str, message: str) -> None:
    config = project / "mkdocs.yml"
    assert old in config.read_text()
    config.write_text(config.read_text().replace(old, new))
    run = validate(project)
    assert run.returncode == 1 and message in run.stdout and "Traceback" not in run.output


def test_config_file_that_is_a_folder(project: Path) -> None:
    run = casebook("-f", str(project), "validate", cwd=project)
    assert run.returncode == 1 and "is not a file" in run.stdout and "Traceback" not in run.output


def test_channel_mistakes_name_their_mkdocs_yml_line(project: Path) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text().replace('limit: 300}', 'limit: 10}').replace("network: email}", "network: myspace}")
    config.write_text(text)
    lines = text.splitlines()
    wechat = next(n for n, line in enumerate(lines, 1) if "wechat: {" in line)
    email = next(n for n, line in enumerate(lines, 1) if "sales-email: {" in line)
    run = validate(project)
    assert run.returncode == 1 and "Traceback" not in run.output
    assert f"mkdocs.yml:{wechat}: error: plugins[1].casebook.channels.wechat.limit:" in run.stdout
    assert f"mkdocs.yml:{email}: error: plugins[1].casebook.channels.sales-email.network:" in run.stdout
