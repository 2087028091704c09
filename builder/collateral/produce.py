"""Sales collateral, produced: branded PDFs, social card PNGs and kit zips from the public
catalog. Every output is cached under a key made of everything that shapes it (its data,
the files it shows, the templates, the fonts, the engine version), so unchanged items are
copied, not rendered, whatever the build day; misses render in parallel (render.py)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Callable

from ..catalog.catalog import Catalog
from ..content.memo import Memo
from ..content.settings import Settings
from ..core.cache import prune, read, versions
from ..core.problems import Problem
from .embed import FORMAT as PLACED_FORMAT
from .fonts import check_fonts, font_files
from .jobs import Collateral, Job, key_of
from .package import record_downloads, zip_kits
from .plan import Planned, plan, plan_collections
from .render import CARD_PPI, render_all, render_late

_KEYED: dict[str, Memo] = {}  # language -> output -> (job, key): a `serve` rebuild plans only what shows an edited item


def _keyed(job: Job, fingerprint: str) -> tuple[Job, str]:
    return job, job_key(job, fingerprint)


def job_key(job: Job, fingerprint: str) -> str:
    digest = hashlib.sha256(fingerprint.encode())
    day = job.day.isoformat() if job.day and not job.png else None
    digest.update(json.dumps([job.template, job.png, day, job.data], sort_keys=True, ensure_ascii=False,
                             default=key_of).encode())
    for path in job.files:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def fingerprint(settings: Settings) -> str:
    """What every output depends on besides its own data: engines, templates, fonts, logo,
    and what books read of the pages they place (embed.FORMAT)."""
    parts = [versions("typst", "segno", "markdown-it-py", "mdit-py-plugins"), f"ppi {CARD_PPI}", f"placed {PLACED_FORMAT}"]
    templates = settings.templates_dir / "pdf"
    parts += [hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(templates.glob("*.typ"))]
    parts += [f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in font_files(settings)]
    if settings.brand.logo:
        parts.append(hashlib.sha256((settings.root / settings.brand.logo).read_bytes()).hexdigest())
    return "\n".join(parts)


def produce(settings: Settings, catalog: Catalog, render: bool = True,
            progress: Callable[[int, int], None] | None = None, background: bool = False, late: bool = False) -> Collateral:
    """Render (or take from the cache) every collateral file, then the kit zips.
    With render=False only cached outputs are used and the rest is left out. In the
    background (`serve`), renders leave a core and priority to the rebuilds of the preview.
    With late, the social cards are still rendering on return (see Late, late_files)."""
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
    memo = _KEYED.setdefault(settings.locale.code, Memo())
    memo.use((settings, shared))

    def key_all(planned: list[Planned]) -> list[tuple[Job, str]]:
        return [memo.get(output, shows, lambda make=make: _keyed(make(), shared)) for output, shows, make in planned]

    documents = key_all(plan(settings, catalog))
    entry_of = {job.output: cache / f"{key}.pdf" for job, key in documents if not job.png}
    phases = [documents, key_all(plan_collections(settings, catalog, entry_of))]
    last = _READ.get(settings.locale.code, {})
    entries = {key: last.get(key) or _read(cache, key) for phase in phases for _, key in phase}  # None: not cached, or not intact
    misses = [[(job, key) for job, key in phase if entries[key] is None] for phase in phases]
    # Social cards: no page is made from them, so they render while the pages are built.
    deferred = [(job, key) for job, key in misses[0] if job.png] if late and render and not background else []
    if deferred:
        misses[0] = [(job, key) for job, key in misses[0] if not job.png]
    missed, everything = [pair for phase in misses for pair in phase], [pair for phase in phases for pair in phase]
    if missed and render:
        failures = render_all(settings, misses, cache, progress, background)
        entries.update({key: _read(cache, key) for _, key in missed})
        lost = [job.output for job, key in missed if entries[key] is None]
        if lost and not failures:
            failures.append(_lost(settings, lost[0], cache))
        result.problems += failures
        if failures:
            return result
        result.rendered = [job.output for job, _ in missed]
    elif missed:
        result.pending = [job.output for job, _ in missed]
    if deferred:
        result.late = render_late(settings, deferred, cache)
        result.rendered += [job.output for job, _ in deferred]
    used = {key for _, key in everything}
    everything = [(job, key) for job, key in everything if entries[key] is not None]
    rendered = set(result.rendered)
    result.cached = [job.output for job, _ in everything if job.output not in rendered]
    kept = _READ[settings.locale.code] = {key: entries[key] for _, key in everything}
    meta = {job.output: kept[key][0] for job, key in everything}
    result.files.update({job.output: kept[key][1] for job, key in everything})
    thumbnails = record_downloads(settings, catalog, result, meta, cache)
    zips = zip_kits(settings, catalog, result, cache)
    if background or settings.locale.code not in _PRUNED:  # once a process: `serve` leaves it to its background renders
        prune(cache, used | zips | thumbnails)
        _PRUNED.add(settings.locale.code)
    return result


def late_files(settings: Settings, made: Collateral) -> tuple[dict[str, bytes], list[Problem]]:
    """The outputs rendered while the pages were built (see Late), once they all are; they
    join made.files, and a second call finds none."""
    late, made.late = made.late, None
    if late is None:
        return {}, []
    if late.work is not None:
        late.work.join()
    if late.problems:
        return {}, late.problems
    files = {}
    for output, key in late.outputs.items():
        entry = _read(late.cache, key)
        if entry is None:
            return {}, [_lost(settings, output, late.cache)]
        files[output] = entry[1]
    made.files.update(files)
    return files, []


def _lost(settings: Settings, output: str, cache: Path) -> Problem:
    return Problem(settings.config_file.name, 1, "error", f"could not keep {output} in {cache}",
                   "check that the disk is not full and the cache folder is writable")


_PRUNED: set[str] = set()  # languages whose outputs this process has kept fresh in the cache (prune)


# language -> key -> (meta, output) of the last build: a `serve` rebuild reads no entry twice
_READ: dict[str, dict[str, tuple[dict, bytes]]] = {}


def _read(cache: Path, key: str) -> tuple[dict, bytes] | None:
    """A cache entry's facts and file, or None unless both are intact (see core/cache.py);
    entries are named by content, so an intact one is always right."""
    raw = read(cache / f"{key}.json")
    try:
        meta = json.loads(raw) if raw is not None else None
    except ValueError:
        return None
    if not isinstance(meta, dict) or meta.get("ext") not in ("pdf", "png"):
        return None
    output = read(cache / f"{key}.{meta['ext']}")
    return None if output is None or len(output) != meta.get("size") else (meta, output)
