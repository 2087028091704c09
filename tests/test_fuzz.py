"""A seeded mutation fuzzer over the example's content files and mkdocs.yml: every mutant
is checked as `casebook validate` checks it, and some as `casebook build --no-pdf` stages
it. No mutant may raise (a traceback for the user), hang, or report an error anywhere but
in the mutated file or a file that names it.

CASEBOOK_FUZZ_MUTANTS (default 300) and CASEBOOK_FUZZ_SEED (default 20261201) set the run;
a failure names the seed and mutant, so `CASEBOOK_FUZZ_SEED=... pytest tests/test_fuzz.py`
replays it."""

from __future__ import annotations

import os
import random
import signal
import traceback
from datetime import date
from pathlib import Path
from typing import Callable

import pytest

from builder.content.load import Loader
from builder.content.settings import load_settings
from builder.pipeline.stage import check, stage
from conftest import copy_project

MUTANTS = int(os.environ.get("CASEBOOK_FUZZ_MUTANTS", "300"))
SEED = int(os.environ.get("CASEBOOK_FUZZ_SEED", "20261201"))
HANG_SECONDS = 20
STAGED_EVERY = 25  # one mutant in this many that validates is also staged, as a build does
AS_OF = date(2026, 11, 23)
NASTY = [":", ": ", '"', "'", "[", "]", "{", "}", "- ", "#", "\t", "\u2028", "\u0085", "\r", "!!int ", "!!bool ",
         "!!float ", "!!str ", "!custom ", "&a ", "*a ", "<<: ", "|", ">", "%", "@", "`", "\x00", "\x0b", "\ufeff",
         "\\", "\\u", "---", "...", "?", "~", "null", "true", "0x1F", "1e999", "2025-02-30", "2025-13-01", "../../etc",
         "/etc/passwd", "file:///etc/passwd", "javascript:alert(1)", "<script>alert(1)</script>", "😀", "中文",
         "\u202e", "  ", "\n", "\n  ", "\n- ", " " * 40, "x" * 300]


def _insert(rng: random.Random, text: str) -> str:
    at = rng.randrange(len(text) + 1)
    return text[:at] + rng.choice(NASTY) + text[at:]


def _delete(rng: random.Random, text: str) -> str:
    at = rng.randrange(len(text))
    return text[:at] + text[at + rng.randint(1, 12):]


def _lines(rng: random.Random, text: str) -> str:
    rows = text.split("\n")
    i, j = rng.randrange(len(rows)), rng.randrange(len(rows))
    operation = rng.choice(("drop", "duplicate", "swap", "indent", "dedent", "empty"))
    if operation == "drop":
        del rows[i]
    elif operation == "duplicate":
        rows.insert(j, rows[i])
    elif operation == "swap":
        rows[i], rows[j] = rows[j], rows[i]
    elif operation == "indent":
        rows[i] = "  " + rows[i]
    elif operation == "dedent":
        rows[i] = rows[i].lstrip()
    else:
        rows[i] = rows[i].split(":", 1)[0] + ":" if ":" in rows[i] else ""
    return "\n".join(rows)


def _value(rng: random.Random, text: str) -> str:
    """A value replaced by a nasty one, keeping the key."""
    rows = text.split("\n")
    keyed = [n for n, row in enumerate(rows) if ": " in row and not row.lstrip().startswith("#")]
    if not keyed:
        return text
    n = rng.choice(keyed)
    key = rows[n].split(": ", 1)[0]
    rows[n] = f"{key}: {rng.choice(NASTY)}{rng.choice(('', ' x', ' 12', ' [a, b]', ' {a: 1}'))}"
    return "\n".join(rows)


def _truncate(rng: random.Random, text: str) -> str:
    return text[:rng.randrange(len(text))]


MUTATIONS: list[Callable[[random.Random, str], str]] = [_insert, _insert, _delete, _lines, _lines, _value, _value, _truncate]


@pytest.fixture(scope="module")
def fuzz_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("fuzz") / "example")


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang()


def _referencing(root: Path, rel: str) -> set[str]:
    """The mutated file, and the kits that name it (a kit reports a member it cannot find)."""
    slug = Path(rel).stem
    kits = {f"kits/{p.name}" for p in (root / "kits").glob("*.md") if slug in p.read_text("utf-8")}
    return {rel, *kits}


def test_mutants_never_crash_hang_or_misplace_an_error(fuzz_project: Path) -> None:
    root = fuzz_project
    rng = random.Random(SEED)
    targets = sorted(p.relative_to(root).as_posix() for folder in ("cases", "whitepapers", "kits")
                     for p in (root / folder).glob("*.md")) + ["mkdocs.yml"] * 8
    failures: list[str] = []
    counts = {"mutants": 0, "rejected": 0, "staged": 0}
    previous = signal.signal(signal.SIGALRM, _alarm)
    try:
        for index in range(MUTANTS):
            rel = rng.choice(targets)
            path = root / rel
            original = path.read_bytes()
            text = original.decode("utf-8")
            for _ in range(rng.randint(1, 3)):
                text = rng.choice(MUTATIONS)(rng, text) if text else text
            label = f"seed {SEED}, mutant {index} of {rel}"
            path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
            counts["mutants"] += 1
            signal.alarm(HANG_SECONDS)
            try:
                settings, problems = load_settings(root / "mkdocs.yml")
                if settings is None:
                    assert problems and all(p.path == "mkdocs.yml" and p.line >= 1 for p in problems), problems
                    counts["rejected"] += 1
                    continue
                result = check(settings, AS_OF, Loader())
                wrong = [p.text() for p in result.problems if p.severity == "error" and rel != "mkdocs.yml"
                         and p.path not in _referencing(root, rel)]
                if wrong:
                    failures.append(f"{label}: errors located elsewhere: {wrong[:3]}")
                if not result.ok:
                    counts["rejected"] += 1
                elif index % STAGED_EVERY == 0:
                    staged = stage(settings, AS_OF, Loader(), pdf="skip")
                    counts["staged"] += 1
                    assert all(p.line >= 1 for p in staged.problems)
            except Hang:
                failures.append(f"{label}: no answer after {HANG_SECONDS} s")
            except Exception:  # noqa: BLE001 - any exception is a traceback for the user
                failures.append(f"{label}: {traceback.format_exc(limit=-3)}")
            finally:
                signal.alarm(0)
                path.write_bytes(original)
    finally:
        signal.signal(signal.SIGALRM, previous)
    print(f"fuzz: {counts['mutants']} mutants, {counts['rejected']} rejected with located errors, "
          f"{counts['staged']} staged, {len(failures)} failures")
    assert failures == [], "\n".join(failures[:10])
    assert counts["rejected"] > MUTANTS // 3  # the mutations are hostile enough to matter
