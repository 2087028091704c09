"""Rendering with Typst: one compiler per worker process, long documents in fresh workers,
one-pagers and cards in shrinking batches, so both cores finish together; a failure is a
located problem at the template line Typst names."""

from __future__ import annotations

import ctypes
import json
import os
import re
import signal
import sys
import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable

import pypdfium2 as pdfium

from ..content.settings import Settings
from ..core.cache import write
from ..core.pdftext import keep_text, text_layer, texts_cache
from ..core.problems import Problem
from .embed import PLACED_TEMPLATES, placed_pages
from .fonts import font_files
from .jobs import Job, Late, key_of, value_of
from .thumbnails import TEMPLATES as THUMBNAIL_TEMPLATES
from .thumbnails import thumbnail

CARD_PPI = 144  # card.typ pages are 600 x 315 pt: 1200 x 630 px
WORKER_TASKS = 300  # one-pagers or cards per worker process before it is replaced (bounds memory)
MIN_BATCH = 20  # the smallest batch a worker process is started for (starting one costs about 4 renders)
LONG_TEMPLATES = {"kit.typ", "casebook.typ"}  # each rendered in a fresh worker (white papers are batched)


def timestamp(day: date | None) -> int:
    """Midnight UTC of the content's date: PDFs are reproducible and do not change with the build day."""
    day = day or date(2000, 1, 1)
    return int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp())


_compiler = None  # this process's compiler, once it renders: a process that has compiled may fork no more
_fonts_read: tuple[tuple, object] | None = None  # (root, font folders, font stamps) and a compiler that only read them
_fonts_lock = threading.Lock()


def _worker_init(root: str, font_dirs: list[str]) -> None:
    global _compiler
    import typst

    _compiler = typst.Compiler(root=root, font_paths=font_dirs, ignore_system_fonts=True)


def _read_fonts(settings: Settings) -> None:
    """Read the font folders once, in this process, for the workers it forks: a compiler
    that has never compiled holds no threads, so a worker can take it over instead of
    reading every font again (60 ms with Noto CJK's collections, for each of the forty
    workers of a cold build at 1,000 cases). A changed font file makes a new one."""
    global _fonts_read
    import typst

    dirs = _font_dirs(settings)
    key = (str(settings.root), tuple(dirs), tuple((p, p.stat().st_mtime_ns, p.stat().st_size) for p in font_files(settings)))
    with _fonts_lock:
        if _fonts_read is None or _fonts_read[0] != key:
            _fonts_read = (key, typst.Compiler(root=key[0], font_paths=dirs, ignore_system_fonts=True))


def _pool_worker_init(niceness: int) -> None:
    """A render worker holds none of its parent's output pipes (a caller waiting for the
    parent's output must not wait for the workers too), ends with its parent, and renders
    with the compiler that read the fonts in its parent before the fork (_read_fonts)."""
    global _compiler
    os.nice(niceness)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    if sys.platform == "linux":
        libc = ctypes.CDLL(None)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG: a killed `serve` leaves no workers behind
        # glibc hands each large block Typst frees back to the system, and every render then
        # faults its pages in anew (700 faults a one-pager); a worker lives for one batch, so
        # it keeps what it freed instead.
        if hasattr(libc, "mallopt"):
            libc.mallopt(-3, 256 << 20)  # M_MMAP_THRESHOLD: large blocks from the heap
            libc.mallopt(-1, 512 << 20)  # M_TRIM_THRESHOLD: the heap is not shrunk
    _compiler = _fonts_read[1]


def _render_one(template: str, job_data: dict, png: bool, timestamp: int) -> tuple[bytes, int] | tuple[None, str]:
    """One PDF or PNG and its page count, or (None, Typst's diagnostic)."""
    data = json.dumps(job_data, ensure_ascii=False, sort_keys=True, default=value_of)
    try:
        if png:
            return _compiler.compile(input=template, sys_inputs={"data": data}, format="png", ppi=CARD_PPI), 1
        out = _compiler.compile(input=template, sys_inputs={"data": data}, timestamp=timestamp)
    except Exception as exc:  # Typst's own error type may not survive the trip between processes
        return None, str(getattr(exc, "diagnostic", "") or exc)
    return out, _page_count(out)


def render_here(settings: Settings, job: Job) -> bytes | Problem:
    """One job rendered in this process (a single document on demand, such as a prospect
    pack): the file, or the located problem Typst reported."""
    if _compiler is None:
        _worker_init(str(settings.root), _font_dirs(settings))
    out, pages = _render_one(str(settings.templates_dir / "pdf" / job.template), job.data, job.png, timestamp(job.day))
    return out if out is not None else typst_problem(settings, pages, job.output)


def _produce_one(template: str, job_data: dict, png: bool, timestamp: int, texts: Path,
                 entry: Path) -> str | None:
    """Runs in a worker: one output, stored in the cache as `entry` (.pdf or .png) with its
    facts beside it; of a new PDF also its text for the leak guard (see core/pdftext.py) and,
    of a document that kits and case books place, its pages as they place them (embed.py),
    both read from the same loaded pages. The parent only learns that it is there, so no
    file crosses between the processes. Returns Typst's diagnostic when it fails."""
    out, pages = _render_one(template, job_data, png, timestamp)
    if out is None:
        return pages
    facts = None
    if not png:
        document = pdfium.PdfDocument(out)
        try:
            if Path(template).name not in PLACED_TEMPLATES:
                keep_text(out, text_layer(document, document), texts)  # a long document's pages one at a time
            else:
                loaded = list(document)
                keep_text(out, text_layer(document, loaded), texts)
                facts = placed_pages(document, loaded)
        finally:
            document.close()
    if Path(template).name in THUMBNAIL_TEMPLATES:
        thumbnail(out, entry.parent)  # in the cache for the build's downloads (package.py), made here in parallel
    ext = "png" if png else "pdf"
    write(entry.with_suffix(f".{ext}"), out)
    meta = {"ext": ext, "pages": pages, "size": len(out), **({"placed": facts} if facts else {})}
    write(entry.with_suffix(".json"), json.dumps(meta).encode())
    return None


_LOCATION = re.compile(r"┌─ (\S+?):(\d+):\d+")


def typst_problem(settings: Settings, diagnostic: str, output: str) -> Problem:
    """Typst's first error, at the file and line it names (a template, usually)."""
    lines = [line for line in diagnostic.strip().splitlines() if line.strip()]
    message = (lines[0] if lines else "unknown error").removeprefix("error: ")
    where = _LOCATION.search(diagnostic)
    path, line = (where.group(1), int(where.group(2))) if where else (f"{settings.templates_dir.name}/pdf", 1)
    return Problem(path.lstrip("/"), line, "error", f"PDF engine: {message} (rendering {output})",
                   "fix the template at this line; an image named in content may also be unreadable")


def _page_count(pdf: bytes) -> int:
    return len(pdfium.PdfDocument(pdf))


def render_all(settings: Settings, phases: list[list[tuple[Job, str]]], cache: Path,
               progress: Callable[[int, int], None] | None, background: bool) -> list[Problem]:
    """Render and store every miss, phase by phase: kits and case books place the documents'
    rendered PDFs, so a phase starts once the one before it is in the cache, and none after a
    failure. Rendering here or in workers is decided once for all phases, since a process
    that has compiled must not fork workers (Typst's threads would hang the child)."""
    cpus = os.cpu_count() or 1
    return _render(settings, phases, cache, progress, max(1, cpus - 1) if background else cpus, background)


def render_late(settings: Settings, misses: list[tuple[Job, str]], cache: Path) -> Late:
    """Render, in workers at a low priority, outputs no page is made from (social cards)
    while the build goes on with the pages, which take this process's core first: the
    renders get the other cores, and every core once the pages are built. A process that
    has compiled itself (a single core, a single miss) may not fork, so it renders them now."""
    outputs = {job.output: key for job, key in misses}
    if _compiler is not None:
        return Late(outputs, cache, None, render_all(settings, [misses], cache, None, False))
    problems: list[Problem] = []
    work = threading.Thread(target=lambda: problems.extend(_render(settings, [misses], cache, None, os.cpu_count() or 1, True)),
                            name="casebook-late-renders", daemon=True)
    _LATE[:] = [*(running for running in _LATE if running.is_alive()), work]
    work.start()
    return Late(outputs, cache, work, problems)


_LATE: list[threading.Thread] = []  # this process's late renders, which fork workers while they run


def _render(settings: Settings, phases: list[list[tuple[Job, str]]], cache: Path,
            progress: Callable[[int, int], None] | None, lanes: int, background: bool) -> list[Problem]:
    total = sum(len(phase) for phase in phases)
    count = min(lanes, total)
    problems: list[Problem] = []
    lock = threading.Lock()
    done = 0

    def store(job: Job, future_result) -> None:
        nonlocal done
        try:
            diagnostic = future_result()
        except Exception as exc:  # the worker process itself failed
            problems.append(Problem(settings.config_file.name, 1, "error", f"PDF engine stopped: {exc}",
                                    "build again; if it persists, build with --no-pdf and report it"))
            return
        if diagnostic is not None:
            problem = typst_problem(settings, diagnostic, job.output)
            if not any(p.path == problem.path and p.line == problem.line for p in problems):
                problems.append(problem)  # one report per cause, not one per output
            return
        done += 1
        if progress:
            progress(done, total)

    def stored(job: Job, future_result) -> None:
        with lock:
            store(job, future_result)

    # In-process rendering would hold up the preview, and bar late renders from forking.
    here = count <= 1 and not background and not any(work.is_alive() for work in _LATE)
    for misses in phases:
        if problems:
            break
        args = [_args(settings, job, cache / key) for job, key in misses]
        if here:
            if _compiler is None:
                _worker_init(str(settings.root), _font_dirs(settings))
            for (job, _), arg in zip(misses, args):
                store(job, lambda arg=arg: _produce_one(*arg))
        else:
            _in_lanes(settings, misses, args, count, background, stored)
    return problems


def _args(settings: Settings, job: Job, entry: Path) -> tuple:
    """What _produce_one takes for a job: entry is its cache entry, without an extension."""
    template = settings.templates_dir / "pdf" / job.template
    return str(template), job.data, job.png, timestamp(job.day), texts_cache(settings.cache_dir), entry


def _font_dirs(settings: Settings) -> list[str]:
    return [str(p) for p in settings.font_dirs if p.is_dir()]


def _in_lanes(settings: Settings, misses: list[tuple[Job, str]], args: list[tuple], count: int, background: bool,
              stored: Callable[..., None]) -> None:
    """One phase's misses in `count` lanes of worker processes. Typst's caches only grow, and
    a long document leaves a worker gigabytes large and slow, so a worker process renders one
    long document, or one batch of one-pagers and cards, and ends. Each lane starts worker
    after worker until all is done, so no core waits for a slower neighbour.
    (max_tasks_per_child would do this, but can hang on 3.11.)"""
    long_docs = [i for i, (job, _) in enumerate(misses) if job.template in LONG_TEMPLATES]
    size = {i: len(json.dumps(misses[i][0].data, default=key_of)) for i in long_docs}  # the biggest starts first
    short = [i for i, (job, _) in enumerate(misses) if job.template not in LONG_TEMPLATES]
    units = [[i] for i in sorted(long_docs, key=lambda i: -size[i])]
    units += _batches(short, count)
    _read_fonts(settings)
    initargs = (10 if background else 0,)

    def lane(unit: list[int]) -> None:
        with ProcessPoolExecutor(max_workers=1, initializer=_pool_worker_init, initargs=initargs) as pool:
            for i, future in [(i, pool.submit(_produce_one, *args[i])) for i in unit]:
                future.exception()  # wait outside the lock
                stored(misses[i][0], future.result)

    with ThreadPoolExecutor(max_workers=count) as lanes:
        list(lanes.map(lane, units))


def _batches(jobs: list[int], lanes: int) -> list[list[int]]:
    """One-pagers and cards in batches, one worker process each, that shrink towards the
    end (guided scheduling): the lanes then finish within a few renders of each other."""
    batches, start = [], 0
    while start < len(jobs):
        size = WORKER_TASKS if lanes == 1 else max(MIN_BATCH, min(WORKER_TASKS, (len(jobs) - start) // (2 * lanes)))
        batches.append(jobs[start:start + size])
        start += size
    return batches
