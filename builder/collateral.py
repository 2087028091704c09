"""Sales collateral: branded PDFs (case one-pagers, white papers, kits, industry case
books), social card PNGs and kit zips, rendered by Typst from the public catalog.

Content reaches Typst only as JSON data (see body.py's tree), never as markup.
Every output is cached under a key made of everything that shapes it (its data,
the files it shows, the templates, the fonts, the engine version), so unchanged
items are copied, not rendered, whatever the build day; misses render in parallel, one Typst
compiler per process.
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import io
import json
import os
import re
import signal
import sys
import threading
import zipfile
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Callable

import pypdfium2 as pdfium

from .catalog.catalog import Catalog, Segment, facet_keys, item_day
from .content.settings import Settings
from .channels.links import display, tagged
from .core.pdftext import pdf_text, texts_cache
from .content.body import pdf_tree
from .core.cache import prune, versions, write
from .content.load import local_files
from .content.memo import Memo
from .content.model import KIND_DIRS, Item
from .core.dates import long_date
from .channels.urls import card_path, casebook_path, item_src, kit_zip_path, page_url, pdf_path, segment_src
from .core.problems import Problem
from .channels.qr import qr_svg

CARD_PPI = 144  # card.typ pages are 600 x 315 pt: 1200 x 630 px
WORKER_TASKS = 300  # one-pagers or cards per worker process before it is replaced (bounds memory)
MIN_BATCH = 20  # the smallest batch a worker process is started for (starting one costs about 4 renders)
LONG_TEMPLATES = {"whitepaper.typ", "kit.typ", "casebook.typ"}  # each rendered in a fresh worker
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_EMOJI = re.compile(r"[\U0001F000-\U0001FAFF\u2600-\u27BF]")


@dataclass(frozen=True)
class Job:
    """One output to render: which template, with which data, reading which files."""

    output: str  # path in the staging tree
    template: str  # file name in site_templates/pdf/
    data: dict[str, Any]
    files: tuple[Path, ...] = ()
    png: bool = False
    day: date | None = None  # the content's own date: the PDF's timestamp, stable across build days


@dataclass(frozen=True)
class Story:
    """An item's body in a job's data. Job data holds values that are slow to make as such
    deferred values: the cache key takes `key()`, and only the render worker makes `value()`."""

    item: Item
    root: Path

    def key(self) -> str:
        return f"{self.item.path}\n{self.item.body}"  # the path places the body's images

    def value(self) -> list[dict]:
        """The PDF templates' tree of the body (see body.pdf_tree)."""
        return pdf_tree(self.item.body, self.item.path, self.root)


@dataclass(frozen=True)
class QrCode:
    """A deferred QR code (see Story): keyed by its address, drawn as SVG by the worker."""

    url: str
    cache: Path

    def key(self) -> str:
        return self.url

    def value(self) -> str:
        return qr_svg(self.url, self.cache)


def _key_of(deferred: Story | QrCode) -> str:
    return deferred.key()


def _value_of(deferred: Story | QrCode) -> Any:
    return deferred.value()


@dataclass(frozen=True)
class Download:
    """A file sales can download, as pages and the Downloads page list it."""

    path: str
    kind: str  # case, whitepaper, kit, kit-zip, casebook
    title: str
    size: int
    pages: int | None
    industries: tuple[str, ...]
    roles: tuple[str, ...]
    source: str = ""  # the item slug, or the industry key of a case book
    gated: bool = False  # a gated white paper: sites with a gate link its form, not the file


@dataclass
class Collateral:
    files: dict[str, bytes] = field(default_factory=dict)  # staging path -> bytes
    downloads: dict[str, list[Download]] = field(default_factory=dict)  # item src or hub src -> downloads
    rendered: list[str] = field(default_factory=list)  # outputs rendered this run (cache misses)
    cached: list[str] = field(default_factory=list)  # outputs taken unchanged from the cache
    pending: list[str] = field(default_factory=list)  # outputs not in the cache and not rendered (serve)
    problems: list[Problem] = field(default_factory=list)

    def all_downloads(self) -> list[Download]:
        seen: dict[str, Download] = {}
        for downloads in self.downloads.values():
            seen.update({d.path: d for d in downloads})
        return sorted(seen.values(), key=lambda d: (d.kind, d.title.lower(), d.path))


# --- what to produce ---------------------------------------------------------------


Planned = tuple[str, tuple, Callable[[], Job]]  # output, the items (and values) it shows, how to make its job


def plan(settings: Settings, catalog: Catalog) -> list[Planned]:
    """Every collateral output of the public catalog, and nothing for anything else; a job
    is made only when what it shows changed (see produce). Social cards exist for the
    og:image tag, which needs site_url."""
    brand = brand_data(settings)
    made: dict[str, tuple[dict[str, Any], tuple[Path, ...]]] = {}

    def data(item: Item) -> tuple[dict[str, Any], tuple[Path, ...]]:
        """A case's or paper's document data: its own PDF, kits and case books share it."""
        if item.path not in made:
            made[item.path] = (_case if item.kind == "case" else _paper)(settings, catalog, item)
        return made[item.path]

    def document(item: Item) -> Job:
        name, template = ("case", "case.typ") if item.kind == "case" else ("paper", "whitepaper.typ")
        content, files = data(item)
        return Job(pdf_path(item), template, {"brand": brand, name: content}, files, day=item.meta.date)

    def kit_job(kit: Item) -> Job:
        cases = [data(c) for c in catalog.kit_cases[kit.slug]]
        papers = [data(p) for p in catalog.kit_whitepapers[kit.slug]]
        content = {**_common(settings, catalog, kit), "sizes": [catalog.taxonomy.label("sizes", s) for s in kit.meta.sizes],
                   "intro": Story(kit, settings.root), "cases": [d for d, _ in cases], "whitepapers": [d for d, _ in papers],
                   "attachments": [path.name for _, path in local_files(settings, kit)]}
        files = tuple(f for _, member_files in cases + papers for f in member_files) + _body_files(kit)
        return Job(pdf_path(kit), "kit.typ", {"brand": brand, "kit": content}, files, day=item_day(catalog, kit))

    def book_job(segment: Segment) -> Job:
        cases = [data(c) for c in segment.cases]
        newest = max(c.meta.date for c in segment.cases)
        book = {"title": f"{segment.label} customer stories", "summary": segment.intro,
                "date": long_date(newest), "cases": [content for content, _ in cases]}
        return Job(casebook_path(segment.key), "casebook.typ", {"brand": brand, "book": book},
                   tuple(f for _, files in cases for f in files), day=newest)

    planned: list[Planned] = []
    for item in [*catalog.cases, *catalog.whitepapers]:
        planned.append((pdf_path(item), (item,), lambda item=item: document(item)))
        if settings.site_url:
            planned.append((card_path(item), (item,), lambda item=item: _card(settings, catalog, item, brand)))
    for kit in catalog.kits:
        members = (kit, *catalog.kit_cases[kit.slug], *catalog.kit_whitepapers[kit.slug])
        planned.append((pdf_path(kit), members, lambda kit=kit: kit_job(kit)))
    for segment in catalog.segments["industries"]:
        if segment.cases:
            planned.append((casebook_path(segment.key), tuple(segment.cases), lambda segment=segment: book_job(segment)))
    return planned


def brand_data(settings: Settings) -> dict[str, Any]:
    brand = settings.brand
    colours = brand.colors.model_dump()
    colours["tint"] = _mix(colours["primary"], "#ffffff", 0.9)
    logo = _root_path(settings, settings.root / brand.logo) if brand.logo else None
    return {"name": brand.name, "logo": logo, "colors": colours,
            "fonts": {"body": brand.fonts.body, "heading": brand.fonts.heading, "cjk": brand.fonts.cjk,
                      "mono": "DejaVu Sans Mono"}}


def _mix(colour: str, other: str, amount: float) -> str:
    a = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    b = [int(other[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * amount):02x}" for x, y in zip(a, b))


def _root_path(settings: Settings, path: Path) -> str:
    """How the Typst engine, whose root is the project, names a file."""
    return "/" + path.resolve().relative_to(settings.root.resolve()).as_posix()


def _body_files(item: Item) -> tuple[Path, ...]:
    return tuple(sorted(item.rendered.assets.values()))


def online_link(settings: Settings, item: Item) -> tuple[str, str]:
    """The item's page on the published site, and that address tagged for the pdf channel
    (both empty without site_url)."""
    url = page_url(settings, item)
    return (url, tagged(url, settings.channels["pdf"], item.kind, item.slug)) if url else ("", "")


def _common(settings: Settings, catalog: Catalog, item: Item) -> dict[str, Any]:
    """Fields every document shares: title, summary, audience and the tagged online link."""
    url, link = online_link(settings, item)
    label = catalog.taxonomy.label
    return {
        "title": item.meta.title, "summary": item.meta.summary, "date": long_date(item.meta.date),
        "audience": {"industries": [label("industries", k) for k in facet_keys(item, "industries", catalog.taxonomy)],
                     "roles": [label("roles", k) for k in item.meta.roles]},
        "url": link, "url_display": display(url) if url else "",
    }


def _case(settings: Settings, catalog: Catalog, case: Item) -> tuple[dict[str, Any], tuple[Path, ...]]:
    meta, label = case.meta, catalog.taxonomy.label
    logo = next((path for _, path in local_files(settings, case)), None)
    data = {
        **_common(settings, catalog, case),
        "customer": {"name": meta.customer.name, "industry": label("industries", meta.customer.industry),
                     "size": label("sizes", meta.customer.size), "region": meta.customer.region,
                     "website": meta.customer.website, "logo": _root_path(settings, logo) if logo else None},
        "stage": label("stages", meta.stage) if meta.stage else None,
        "roles": [label("roles", r) for r in meta.roles],
        "products": list(meta.products),
        "results": [r.model_dump() for r in meta.results],
        "quote": meta.quote.model_dump() if meta.quote else None,
        "body": Story(case, settings.root),
        "fit": _may_fit(case),
    }
    data["qr"] = QrCode(data["url"], settings.cache_dir / "qr") if data["url"] else None
    return data, ((logo,) if logo else ()) + _body_files(case)


# A one-pager's story column holds about 2,600 characters at the smallest size (8.6 pt);
# longer stories cannot be fitted onto one page, so case.typ skips its trial layouts.
FIT_CHARS = 3600


def _may_fit(case: Item) -> bool:
    text = re.sub(r"<[^>]+>", " ", case.rendered.html)
    return len(" ".join(text.split())) <= FIT_CHARS


def _paper(settings: Settings, catalog: Catalog, paper: Item) -> tuple[dict[str, Any], tuple[Path, ...]]:
    cover = next((path for _, path in local_files(settings, paper)), None)
    data = {**_common(settings, catalog, paper), "authors": list(paper.meta.authors),
            "cover": _root_path(settings, cover) if cover else None, "body": Story(paper, settings.root)}
    return data, ((cover,) if cover else ()) + _body_files(paper)


def _card(settings: Settings, catalog: Catalog, item: Item, brand: dict) -> Job:
    """The social card shows the title, the headline result and the customer's logo."""
    logos = tuple(path for _, path in local_files(settings, item)) if item.kind == "case" else ()
    if item.kind == "case":
        meta = item.meta
        eyebrow = f"Customer story · {catalog.taxonomy.label('industries', meta.customer.industry)}"
        result = meta.results[0]
        card = {"eyebrow": eyebrow, "title": meta.title, "customer": meta.customer.name,
                "metric": {"value": result.value, "label": result.metric},
                "logo": _root_path(settings, logos[0]) if logos else None}
    else:
        card = {"eyebrow": "White paper", "title": item.meta.title, "customer": None, "metric": None, "logo": None}
    return Job(card_path(item), "card.typ", {"brand": brand, "card": card}, logos, png=True)


# --- rendering, with the cache --------------------------------------------------------


_KEYED = Memo()  # output -> (job, key): a `serve` rebuild plans only what shows an edited item


def _keyed(job: Job, fingerprint: str) -> tuple[Job, str]:
    return job, job_key(job, fingerprint)


def job_key(job: Job, fingerprint: str) -> str:
    digest = hashlib.sha256(fingerprint.encode())
    day = job.day.isoformat() if job.day and not job.png else None
    digest.update(json.dumps([job.template, job.png, day, job.data], sort_keys=True, ensure_ascii=False,
                             default=_key_of).encode())
    for path in job.files:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def fingerprint(settings: Settings) -> str:
    """What every output depends on besides its own data: engines, templates, fonts, logo."""
    parts = [versions("typst", "segno", "markdown-it-py", "mdit-py-plugins"), f"ppi {CARD_PPI}"]
    templates = settings.templates_dir / "pdf"
    parts += [hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(templates.glob("*.typ"))]
    parts += [f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in font_files(settings)]
    if settings.brand.logo:
        parts.append(hashlib.sha256((settings.root / settings.brand.logo).read_bytes()).hexdigest())
    return "\n".join(parts)


def font_files(settings: Settings) -> list[Path]:
    return sorted(p for folder in settings.font_dirs if folder.is_dir()
                  for p in folder.rglob("*") if p.suffix.lower() in (".otf", ".ttf", ".ttc", ".otc"))


def timestamp(day: date | None) -> int:
    """Midnight UTC of the content's date: PDFs are reproducible and do not change with the build day."""
    day = day or date(2000, 1, 1)
    return int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp())


def produce(settings: Settings, catalog: Catalog, render: bool = True,
            progress: Callable[[int, int], None] | None = None, background: bool = False) -> Collateral:
    """Render (or take from the cache) every collateral file, then the kit zips.
    With render=False only cached outputs are used and the rest is left out. In the
    background (`serve`), renders leave a core and priority to the rebuilds of the preview."""
    planned = plan(settings, catalog)
    result = Collateral()
    result.problems = check_fonts(settings, catalog)
    if not settings.site_url:
        result.problems.append(Problem(settings.config_file.name, 1, "warning",
                                       "site_url is not set: PDFs carry no link or QR code, and pages no social image",
                                       "set site_url in mkdocs.yml to the address the site is published at"))
    if any(p.severity == "error" for p in result.problems):
        return result
    shared = fingerprint(settings)
    cache = settings.cache_dir / "collateral"
    cache.mkdir(parents=True, exist_ok=True)
    _KEYED.use((settings, shared))
    keyed = [_KEYED.get(output, shows, lambda make=make: _keyed(make(), shared)) for output, shows, make in planned]
    misses = [(job, key) for job, key in keyed if not (cache / f"{key}.json").exists()]
    if misses and render:
        failures = _render_all(settings, misses, cache, progress, background)
        result.problems += failures
        if failures:
            return result
        result.rendered = [job.output for job, _ in misses]
    elif misses:
        result.pending = [job.output for job, _ in misses]
        missing = {key for _, key in misses}
        keyed = [(job, key) for job, key in keyed if key not in missing]
    result.cached = [job.output for job, _ in keyed if job.output not in result.rendered]
    global _READ
    _READ = {key: _READ.get(key) or _read(cache, key) for _, key in keyed}
    meta = {job.output: _READ[key][0] for job, key in keyed}
    result.files.update({job.output: _READ[key][1] for job, key in keyed})
    _record_downloads(settings, catalog, result, meta)
    zips = _zip_kits(settings, catalog, result, cache)
    prune(cache, {key for _, key in keyed} | zips)
    return result


_READ: dict[str, tuple[dict, bytes]] = {}  # key -> (meta, output) of the last build: a `serve` rebuild reads no entry twice


def _read(cache: Path, key: str) -> tuple[dict, bytes]:
    """A cache entry's facts and file; entries are named by content, so they never change."""
    meta = json.loads((cache / f"{key}.json").read_text())
    return meta, (cache / f"{key}.{meta['ext']}").read_bytes()


def check_fonts(settings: Settings, catalog: Catalog) -> list[Problem]:
    """Missing fonts would make Typst fall back silently, or print CJK text as empty boxes;
    emoji have no glyphs in the brand fonts, so they are pointed out where they are written."""
    fonts = settings.brand.fonts
    stamps = tuple((p, p.stat().st_mtime_ns, p.stat().st_size) for p in font_files(settings))
    families = _families(stamps, tuple(str(p) for p in settings.font_dirs if p.is_dir()))
    name = settings.config_file.name
    where = ", ".join(str(p) for p in settings.font_dirs)
    problems = [Problem(name, settings.line("brand", "fonts", role), "error",
                        f"brand.fonts.{role}: no font '{family}' in brand.fonts.paths ({where})",
                        "check the family name and the font folders, or build with --no-pdf")
                for role, family in (("body", fonts.body), ("heading", fonts.heading)) if family not in families]
    _SCRIPTS.use(settings.root)
    items = [*catalog.cases, *catalog.whitepapers, *catalog.kits]
    scripts = [(item, _SCRIPTS.get(item.path, (item,), lambda item=item: _scripts(settings, item))) for item in items]
    cjk = next((item for item, (has_cjk, _) in scripts if has_cjk), None)
    if cjk is not None and fonts.cjk not in families:
        problems.append(Problem(name, settings.line("brand", "fonts", "cjk"), "error",
                                f"{cjk.path} has Chinese, Japanese or Korean text, but there is no font "
                                f"'{fonts.cjk}' in brand.fonts.paths ({where})",
                                "install it (Debian: apt-get install fonts-noto-cjk), or build with --no-pdf"))
    problems += [Problem(item.path, emoji, "warning", "emoji print as empty boxes in PDFs and social cards",
                         "the brand fonts have no emoji; use words instead") for item, (_, emoji) in scripts if emoji]
    return problems


@functools.lru_cache(maxsize=4)
def _families(stamps: tuple, folders: tuple[str, ...]) -> frozenset[str]:
    """The font families Typst finds; the font files' stamps key the cache, so an added or
    replaced font is seen."""
    import typst

    return frozenset(typst.Fonts(include_system_fonts=False, include_embedded_fonts=True, font_paths=list(folders)).families())


_SCRIPTS = Memo()  # item path -> (has CJK text, line of its first emoji or 0)


def _scripts(settings: Settings, item: Item) -> tuple[bool, int]:
    text = item.public_text()
    if not _EMOJI.search(text):
        return bool(_CJK.search(text)), 0
    rows = (settings.root / item.path).read_text("utf-8").split("\n")
    return bool(_CJK.search(text)), next((n for n, row in enumerate(rows, 1) if _EMOJI.search(row)), 1)


_compiler = None


def _worker_init(root: str, font_dirs: list[str]) -> None:
    global _compiler
    import typst

    _compiler = typst.Compiler(root=root, font_paths=font_dirs, ignore_system_fonts=True)


def _pool_worker_init(root: str, font_dirs: list[str], niceness: int) -> None:
    """A render worker holds none of its parent's output pipes (a caller waiting for the
    parent's output must not wait for the workers too) and ends with its parent."""
    os.nice(niceness)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    if sys.platform == "linux":  # PR_SET_PDEATHSIG: a killed `serve` leaves no workers behind
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)
    _worker_init(root, font_dirs)


def _render_one(template: str, job_data: dict, png: bool, timestamp: int) -> tuple[bytes, int] | tuple[None, str]:
    """One PDF or PNG and its page count, or (None, Typst's diagnostic)."""
    data = json.dumps(job_data, ensure_ascii=False, sort_keys=True, default=_value_of)
    try:
        if png:
            return _compiler.compile(input=template, sys_inputs={"data": data}, format="png", ppi=CARD_PPI), 1
        out = _compiler.compile(input=template, sys_inputs={"data": data}, timestamp=timestamp)
    except Exception as exc:  # Typst's own error type may not survive the trip between processes
        return None, str(getattr(exc, "diagnostic", "") or exc)
    return out, _page_count(out)


def _produce_one(template: str, job_data: dict, png: bool, timestamp: int,
                 texts: Path) -> tuple[bytes, int] | tuple[None, str]:
    """Runs in a worker: one output, and a new PDF's text for the leak guard (see audit.pdf_text)."""
    out, pages = _render_one(template, job_data, png, timestamp)
    if out is not None and not png:
        pdf_text(out, texts)
    return out, pages


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


def _render_all(settings: Settings, misses: list[tuple[Job, str]], cache: Path,
                progress: Callable[[int, int], None] | None, background: bool) -> list[Problem]:
    templates = settings.templates_dir / "pdf"
    font_dirs = [str(p) for p in settings.font_dirs if p.is_dir()]
    args = [(str(templates / job.template), job.data, job.png, timestamp(job.day), texts_cache(settings.cache_dir)) for job, _ in misses]
    cpus = os.cpu_count() or 1
    count = max(1, cpus - 1) if background else min(cpus, len(misses))
    problems: list[Problem] = []

    def store(index: int, job: Job, key: str, future_result) -> None:
        try:
            out, pages = future_result()
        except Exception as exc:  # the worker process itself failed
            problems.append(Problem(settings.config_file.name, 1, "error", f"PDF engine stopped: {exc}",
                                    "build again; if it persists, build with --no-pdf and report it"))
            return
        if out is None:
            problem = typst_problem(settings, pages, job.output)
            if not any(p.path == problem.path and p.line == problem.line for p in problems):
                problems.append(problem)  # one report per cause, not one per output
            return
        ext = "png" if job.png else "pdf"
        write(cache / f"{key}.{ext}", out)
        write(cache / f"{key}.json", json.dumps({"ext": ext, "pages": pages, "size": len(out)}).encode())
        if progress:
            progress(index + 1, len(misses))

    if count <= 1 and not background:  # rendering in-process would hold up the preview
        if _compiler is None:
            _worker_init(str(settings.root), font_dirs)
        for index, ((job, key), arg) in enumerate(zip(misses, args)):
            store(index, job, key, lambda arg=arg: _produce_one(*arg))
        return problems
    # Typst's caches only grow, and a long document leaves a worker gigabytes large and slow,
    # so a worker process renders one long document, or one batch of one-pagers and cards,
    # and ends. `count` lanes each start worker after worker until all is done, so no core
    # waits for a slower neighbour. (max_tasks_per_child would do this, but can hang on 3.11.)
    long_docs = [i for i, (job, _) in enumerate(misses) if job.template in LONG_TEMPLATES]
    size = {i: len(json.dumps(misses[i][0].data, default=_key_of)) for i in long_docs}  # the biggest starts first
    short = [i for i, (job, _) in enumerate(misses) if job.template not in LONG_TEMPLATES]
    units = [[i] for i in sorted(long_docs, key=lambda i: -size[i])]
    units += _batches(short, count)
    lock = threading.Lock()
    done = 0

    def lane(unit: list[int]) -> None:
        nonlocal done
        with ProcessPoolExecutor(max_workers=1, initializer=_pool_worker_init,
                                 initargs=(str(settings.root), font_dirs, 10 if background else 0)) as pool:
            for i, future in [(i, pool.submit(_produce_one, *args[i])) for i in unit]:
                future.exception()  # wait outside the lock
                with lock:
                    store(done, *misses[i], future.result)
                    done += 1

    with ThreadPoolExecutor(max_workers=count) as lanes:
        list(lanes.map(lane, units))
    return problems


def _batches(jobs: list[int], lanes: int) -> list[list[int]]:
    """One-pagers and cards in batches, one worker process each, that shrink towards the
    end (guided scheduling): the lanes then finish within a few renders of each other."""
    batches, start = [], 0
    while start < len(jobs):
        size = WORKER_TASKS if lanes == 1 else max(MIN_BATCH, min(WORKER_TASKS, (len(jobs) - start) // (2 * lanes)))
        batches.append(jobs[start:start + size])
        start += size
    return batches


# --- what the site links ----------------------------------------------------------------


def _record_downloads(settings: Settings, catalog: Catalog, result: Collateral, meta: dict[str, dict]) -> None:
    taxonomy = catalog.taxonomy

    def add(owner: str, path: str, kind: str, title: str, industries, roles, source: str, gated: bool = False) -> None:
        if path not in meta:  # not rendered yet (serve renders in the background)
            return
        info = meta[path]
        result.downloads.setdefault(owner, []).append(
            Download(path, kind, title, info["size"], info.get("pages"), tuple(industries), tuple(roles), source, gated))

    for item in [*catalog.cases, *catalog.whitepapers, *catalog.kits]:
        industries = facet_keys(item, "industries", taxonomy)
        add(item_src(item), pdf_path(item), item.kind, item.meta.title, industries, item.meta.roles, item.slug,
            gated=item.kind == "whitepaper" and item.meta.gated)
    for segment in catalog.segments["industries"]:
        if segment.cases:
            roles = sorted({r for c in segment.cases for r in c.meta.roles})
            add(segment_src("industries", segment.key), casebook_path(segment.key), "casebook",
                f"{segment.label} customer stories", [segment.key], roles, segment.key)


def _zip_kits(settings: Settings, catalog: Catalog, result: Collateral, cache: Path) -> set[str]:
    """One zip per kit: its PDF, every included PDF, the attachments and a manifest,
    reproducibly; kept in the cache under the digest of its entries. Returns the keys used."""
    used = set()
    for kit in catalog.kits:
        day = max(item_day(catalog, kit), date(1980, 1, 1))
        stamp = (day.year, day.month, day.day, 0, 0, 0)
        members = [kit, *catalog.kit_cases[kit.slug], *catalog.kit_whitepapers[kit.slug]]
        if any(pdf_path(member) not in result.files for member in members):
            continue  # not all rendered yet (serve)
        entries = {(f"{kit.slug}.pdf" if member is kit else f"{KIND_DIRS[member.kind]}/{member.slug}.pdf"):
                   result.files[pdf_path(member)] for member in members}
        for _, path in local_files(settings, kit):
            entries[f"attachments/{path.name}"] = path.read_bytes()
        entries["MANIFEST.txt"] = _manifest(settings, kit, entries).encode("utf-8")
        digest = hashlib.sha256(repr(stamp).encode())
        for name in sorted(entries):
            digest.update(name.encode() + b"\0" + hashlib.sha256(entries[name]).digest())
        key = digest.hexdigest()
        stored = cache / f"{key}.zip"
        if stored.exists():
            data = stored.read_bytes()
        else:
            data = _zip(entries, stamp)
            write(stored, data)
        used.add(key)
        path = kit_zip_path(kit)
        result.files[path] = data
        industries = facet_keys(kit, "industries", catalog.taxonomy)
        result.downloads.setdefault(item_src(kit), []).append(
            Download(path, "kit-zip", kit.meta.title, len(data), None, tuple(industries), tuple(kit.meta.roles), kit.slug))
    return used


def _zip(entries: dict[str, bytes], stamp: tuple) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, entries[name])
    return buffer.getvalue()


def _manifest(settings: Settings, kit: Item, entries: dict[str, bytes]) -> str:
    lines = [kit.meta.title, "=" * len(kit.meta.title), "", kit.meta.summary, ""]
    link = online_link(settings, kit)[1]
    if link:
        lines += [f"Online: {link}", ""]
    lines += ["Contents:"] + [f"  {name}  ({len(data):,} bytes, sha256 {hashlib.sha256(data).hexdigest()[:16]})"
                             for name, data in sorted(entries.items())]
    return "\n".join(lines) + "\n"


def terminal_progress(stream=sys.stderr) -> Callable[[int, int], None] | None:
    """A one-line progress counter on a terminal; nothing in CI or when output is piped."""
    if not stream.isatty() or os.environ.get("CI"):
        return None

    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // total
        stream.write(f"\rrendering collateral [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done == total:
            stream.write("\n")
        stream.flush()

    return show
