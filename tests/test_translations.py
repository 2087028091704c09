"""Translations as content: `cases/<slug>.<lang>.md` beside the default file, for the
languages mkdocs.yml lists. The facts come from the default file (a contradiction is a
located error); each translation has its own approval, pinned by `casebook approve --lang`."""

from __future__ import annotations

import difflib
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import AS_OF, casebook, write

SLUG = "northwind-grocers-shelf-gaps"
ZH = f"cases/{SLUG}.zh.md"
TRANSLATION = """---
title: "Northwind Grocers 借助 Lumora Flow 将货架缺货减少 41%"
summary: "Northwind Grocers 在 64 家门店用自动补货任务取代纸质缺货检查，两个季度内每周货架缺货减少 41%。"
customer:
  region: 欧洲
results:
  - metric: 每店每周货架缺货
  - metric: 新门店上线时间
approval:
  status: in_review   # 等待客户确认中文版
---

## 挑战

Northwind Grocers 三年内从 38 家门店增长到 64 家。
"""


LANGUAGES = re.compile(r"^ *languages:.*\n", re.M)


def without_languages(root: Path) -> None:
    config = root / "mkdocs.yml"
    config.write_text(LANGUAGES.sub("", config.read_text("utf-8")), "utf-8")


def with_languages(root: Path) -> None:
    without_languages(root)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace(
        "  - casebook:\n", "  - casebook:\n      languages: {en: English, zh: 简体中文}\n", 1), "utf-8")


def line(text: str, start: str) -> int:
    return next(n for n, row in enumerate(text.split("\n"), 1) if row.lstrip().startswith(start))


def test_a_translation_needs_its_language_listed(example: Path) -> None:
    without_languages(example)
    write(example, ZH, TRANSLATION)
    run = casebook("validate", "--as-of", AS_OF, cwd=example)
    assert run.returncode == 1
    assert (f"{ZH}:1: error: file name '{SLUG}.zh.md' is not a valid slug (it becomes the page URL) "
            "(hint: a translation? list 'zh' under `languages:` in mkdocs.yml, after the default language)") in run.stdout
    with_languages(example)
    run = casebook("validate", "--as-of", AS_OF, cwd=example)
    assert run.returncode == 0 and "0 errors" in run.stdout, run.output


@pytest.mark.parametrize("change, message", [
    (("  region: 欧洲\n", "  region: 欧洲\n  industry: logistics\n"),
     "customer.industry: 'logistics' contradicts cases/northwind-grocers-shelf-gaps.md ('retail') "
     "(hint: leave it out: the facts come from the default language's file)"),
    (("  - metric: 新门店上线时间\n", "  - metric: 新门店上线时间\n    value: \"4 days\"\n"),
     "results[1].value: '4 days' contradicts cases/northwind-grocers-shelf-gaps.md ('3 days')"),
    (("  - metric: 新门店上线时间\n", "  - metric: 新门店上线时间\n  - metric: 一\n  - metric: 二\n"),
     "results: 4 results; cases/northwind-grocers-shelf-gaps.md has 3"),
    (("approval:\n  status: in_review   # 等待客户确认中文版\n", ""),
     "approval: a translation needs its own approval"),
])
def test_a_translation_that_contradicts_the_facts_is_a_located_error(example: Path, change: tuple[str, str], message: str) -> None:
    with_languages(example)
    text = TRANSLATION.replace(*change)
    write(example, ZH, text)
    run = casebook("validate", "--as-of", AS_OF, cwd=example)
    assert run.returncode == 1 and f"{ZH}:" in run.stdout and message in run.stdout, run.output
    if "contradicts" in message:
        field = message.split(":")[0].rsplit(".", 1)[-1]
        assert f"{ZH}:{line(text, field + ':') if 'industry' in message else line(text, 'value:')}: error" in run.stdout


def test_a_translation_of_a_missing_case_says_which_file_is_missing(example: Path) -> None:
    with_languages(example)
    write(example, "cases/northwind-grocers-shelf-gap.zh.md", TRANSLATION)
    run = casebook("validate", "--as-of", AS_OF, cwd=example)
    assert ("cases/northwind-grocers-shelf-gap.zh.md:1: error: a translation of 'northwind-grocers-shelf-gap', but "
            "there is no cases/northwind-grocers-shelf-gap.md (hint: did you mean "
            "'northwind-grocers-shelf-gaps.zh.md'?)") in run.stdout


def test_approve_lang_pins_the_translation_alone_and_proof_lang_shows_its_changes(example: Path, tmp_path: Path) -> None:
    with_languages(example)
    path = write(example, ZH, TRANSLATION)
    default = (example / f"cases/{SLUG}.md").read_text("utf-8")
    run = casebook("approve", SLUG, "--lang", "zh", "--by", "林女士 (Northwind Grocers)", "--on", "2026-11-25", cwd=example)
    assert run.returncode == 0 and f"approved: {ZH}" in run.stdout, run.output
    after = path.read_text("utf-8")
    changed = [row for row in difflib.ndiff(TRANSLATION.split("\n"), after.split("\n")) if row[:2] in ("- ", "+ ")]
    assert sorted(row[2:].split(":", 1)[0].strip() for row in changed) == [
        "approved_by", "approved_on", "fingerprint", "status", "status"]
    assert "  status: approved   # 等待客户确认中文版" in after  # its comment kept
    assert (example / f"cases/{SLUG}.md").read_text("utf-8") == default
    assert "0 errors, 11 warnings" in casebook("validate", "--as-of", AS_OF, cwd=example).stdout

    git = lambda *args: subprocess.run(["git", "-C", str(example), "-c", "user.name=M", "-c", "user.email=m@example.org",  # noqa: E731
                                        *args], check=True, capture_output=True)
    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "approved in Chinese")
    path.write_text(after.replace("从 38 家门店", "从 39 家门店"), "utf-8")
    run = casebook("validate", "--as-of", AS_OF, cwd=example)
    assert (f"{ZH}:{line(after, 'fingerprint:')}: warning: changed since the customer approved it (story)") in run.stdout
    assert f"casebook approve {SLUG} --lang zh --by NAME --on DATE" in run.stdout
    out = tmp_path / "proof.pdf"
    run = casebook("proof", SLUG, "--lang", "zh", "--as-of", AS_OF, "-o", str(out), cwd=example)
    assert run.returncode == 0 and "1 change listed on the last page" in run.stdout, run.output
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(out).pages]
    assert "借助" in pages[0] and "从 38 家门店" in pages[-1] and "从 39 家门店" in pages[-1]
    wrong = casebook("approve", SLUG, "--lang", "fr", "--by", "x", cwd=example)
    assert wrong.returncode == 1 and "--lang: 'fr' is not one of the site's other languages (zh)" in wrong.stderr


def test_a_bad_language_code_is_a_located_error(project: Path) -> None:
    config = project / "mkdocs.yml"
    without_languages(project)
    config.write_text(config.read_text("utf-8").replace(
        "  - casebook:\n", "  - casebook:\n      languages: {en: English, ZH: Chinese}\n", 1), "utf-8")
    run = casebook("validate", "--as-of", AS_OF, cwd=project)
    at = line(config.read_text("utf-8"), "languages:")
    assert run.returncode == 1 and f"mkdocs.yml:{at}: error: plugins[1].casebook.languages.ZH" in run.output
    assert "'ZH' is not a language code (hint: lowercase, such as en, zh or pt-br)" in run.output
