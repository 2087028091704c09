"""Casebook's benchmark: what a build costs at 100, 1,000 and 5,000 cases, as whole
processes, side by side with plain MkDocs building the same pages.

    .venv/bin/python bench/run.py                                  # the full run (about 30 minutes on 2 cores)
    .venv/bin/python bench/run.py --sizes 100 1000 --runs 1 --collateral 100

For each size it generates a project (bench/generate.py), then measures:
  validate      casebook validate, from an empty .casebook/ (as a fresh CI checkout)
  validate cached   the same with the parsed items kept by the run before (.casebook/cache)
  no-pdf        casebook build --no-pdf, from an empty .casebook/
  no-pdf cached the same with .casebook/cache kept (as CI restoring its cache)
  baseline      plain MkDocs + Material (search on, same theme, nav and assets) building the
                very pages Casebook generated, copied out as ordinary Markdown: the ratio
                no-pdf / baseline is the pipeline's own overhead
  bodies baseline   plain MkDocs + Material building only the case bodies, one page each:
                what a plain static site of the same stories costs (reported, no limit)
and, for the sizes given to --collateral:
  cold          casebook build with an empty cache and no site/ (every PDF, card and zip rendered)
  warm          casebook build again, on the next build day (nothing to render)
  edit          casebook build after editing one case's summary (re-renders only what holds it)
  serve         casebook serve: seconds from saving an edit to the page serving it, each edit
                made once the server is idle (earlier rebuilds and background renders done)
  mkdocs serve --dirty   the same for plain MkDocs serving the baseline's copy of the pages,
                an edit of the same page's description
  machine speed CPU seconds of a fixed pure-Python loop, to compare runs on a drifting machine
  one-pager     CPU per case one-pager (and per social card), one Typst compiler, warm
  sizes         the library, a hub, Downloads, cards.json, files.json and the search index
                (at every size: from the no-pdf build where no collateral is measured)
  lighthouse    Lighthouse (mobile) on home, library, hub, case, white paper and Downloads
                (the example, and sizes from 1,000 with collateral), three runs each: the median run's performance score in the note (with every
                run's), its largest paint as the time
And first (--no-example to skip) the repository's example, every language: example cold
(casebook build with an empty cache), then its sizes and Lighthouse.
Each is the median of --runs runs (the example's cold build: one run). Wall and CPU time cover the process
and every worker it starts; peak memory is the largest total RSS of that process tree.
What a step starts without is moved into a trash folder, emptied at the end (see discard).
Writes results.md and results.json into --out.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import REPO, generate  # noqa: E402

AS_OF = date(2026, 11, 23)
BIN = Path(sys.executable).parent
CASEBOOK, MKDOCS = str(BIN / "casebook"), str(BIN / "mkdocs")
EDITED = "synthetic-case-00001"  # public (every tenth synthetic case is a draft)
TARGETS = {
    "no-pdf / baseline at 1,000": 1.3,
    "no-pdf t(5,000) / t(1,000)": 5.5,
    "one-pager CPU (ms)": 30.0,
    "cold collateral at 1,000, wall (s)": 30.0,
    "serve: edit visible at 1,000 (s)": 0.65,  # plain `mkdocs serve --dirty` on the same pages, measured beside it
    "serve: edit visible at 100 (s)": 0.3,
    "peak memory at 5,000, no-pdf / baseline": 1.5,
    "validate at 5,000 (s)": 5.0,
    "no-pdf / bodies baseline at 1,000": None,  # reported: a site of the stories alone
}


@dataclass
class Measure:
    size: int
    step: str
    wall: float
    cpu: float
    peak_mb: float
    runs: int
    note: str = ""
    samples: list[float] = field(default_factory=list)
    score: int | None = None  # Lighthouse's performance score, of its median run


# --- running and measuring one process tree -------------------------------------------------


def _tree(root: int) -> tuple[int, float]:
    """(resident bytes, CPU seconds so far) of a process and all its live descendants, from /proc."""
    children: dict[int, list[int]] = {}
    usage: dict[int, tuple[int, float]] = {}
    ticks = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            usage[int(entry)] = (int(fields[21]) * os.sysconf("SC_PAGE_SIZE"), (int(fields[11]) + int(fields[12])) / ticks)
        except (OSError, IndexError, ValueError):
            continue
    rss, cpu, stack = 0, 0.0, [root]
    while stack:
        pid = stack.pop()
        rss += usage.get(pid, (0, 0.0))[0]
        cpu += usage.get(pid, (0, 0.0))[1]
        stack += children.get(pid, [])
    return rss, cpu


def _settle(pid: int, limit: float = 300) -> None:
    """Wait until a process tree is idle: its rebuilds and background renders are done."""
    deadline = time.monotonic() + limit
    before = _tree(pid)[1]
    while time.monotonic() < deadline:
        time.sleep(1)
        now = _tree(pid)[1]
        if now - before < 0.05:
            return
        before = now


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float, float, str]:
    """(wall s, CPU s of the whole tree, peak tree RSS in MB, stdout+stderr) of one process."""
    environment = {**os.environ, "CASEBOOK_AS_OF": AS_OF.isoformat(), **(env or {})}
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree(process.pid)[0])
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = process.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{output[-3000:]}")
    return wall, usage.ru_utime + usage.ru_stime, max(peak, usage.ru_maxrss * 1024) / 2**20, output


def measure(size: int, step: str, runs: int, command: list[str], cwd: Path, before=None, note=None) -> Measure:
    results = []
    for index in range(runs):
        if before:
            before(index)
        results.append(run(command, cwd))
    wall = statistics.median(r[0] for r in results)
    found = Measure(size, step, wall, statistics.median(r[1] for r in results), statistics.median(r[2] for r in results),
                    runs, note(results[-1][3]) if note else "", [round(r[0], 3) for r in results])
    print(f"  {size:>5} {step:<15} {found.wall:8.2f} s wall {found.cpu:8.2f} s CPU {found.peak_mb:8.0f} MB  {found.note}", flush=True)
    return found


# --- the steps ---------------------------------------------------------------------------


def discard(path: Path) -> None:
    """Move a tree into the work folder's trash instead of deleting it, so the step measured
    next starts on a disk as a fresh CI checkout finds it: ext4 passes over the inodes freed
    in the last minutes when it makes a file, and deleting the run before's 20,000 files
    just before a cold build cost that build about 7 s of kernel CPU. main() empties the
    trash once everything is measured."""
    if path.exists():
        TRASH.mkdir(parents=True, exist_ok=True)
        path.rename(TRASH / f"{len(list(TRASH.iterdir()))}-{path.name}")


TRASH = Path("/tmp/casebook-bench/.trash")  # set by main() inside --work, on the same disk


def _clean(project: Path, site: bool = False) -> None:
    """An empty .casebook/ (and for a cold build no site/ either), as a fresh CI checkout has."""
    discard(project / ".casebook")
    if site:
        discard(project / "site")


def baseline_project(project: Path) -> Path:
    """Plain MkDocs over the pages Casebook staged: same theme, nav, CSS, JS and search; no plugin."""
    base = project / "baseline"
    discard(base)
    shutil.copytree(project / ".casebook/docs", base / "docs")
    config = (project / "mkdocs.yml").read_text("utf-8")
    plugins = config.index("\nplugins:")
    after = re.search(r"\n(?=\S)", config[plugins + 1:])
    end = plugins + 1 + after.start() if after else len(config)
    config = config[:plugins] + "\nplugins:\n  - search\n" + config[end:]
    config = config.replace("custom_dir: site_templates/overrides", f"custom_dir: {project / 'site_templates/overrides'}")
    config += ("\nextra_css: [assets/casebook/brand.css, assets/casebook/casebook.css]"
               "\nextra_javascript: [assets/casebook/casebook.js]"
               "\nnot_in_nav: |\n  /*/*.md\n  !/*/index.md\n")
    (base / "mkdocs.yml").write_text(config, "utf-8")
    return base


def bodies_project(project: Path) -> Path:
    """Plain MkDocs + Material over the case bodies alone, one page each (title and story)."""
    base = project / "bodies"
    discard(base)
    (base / "docs/cases").mkdir(parents=True)
    (base / "docs/index.md").write_text("# Customer stories\n", "utf-8")
    for path in sorted((project / "cases").glob("*.md")):
        _, front, body = path.read_text("utf-8").split("---\n", 2)
        title = re.search(r"(?m)^title: (.*)$", front).group(1).strip('"')
        (base / "docs/cases" / path.name).write_text(f"# {title}\n{body}", "utf-8")
    (base / "mkdocs.yml").write_text("site_name: Stories\ntheme: {name: material, font: false}\nplugins: [search]\n"
                                     "markdown_extensions: [tables, attr_list, md_in_html]\n"
                                     "nav: [index.md]\nnot_in_nav: |\n  /cases/*.md\n", "utf-8")
    return base


def edit(project: Path, token: str, staged: bool = False) -> None:
    """Change the edited case's summary; `staged`: in the baseline's copy of its generated page (its description)."""
    path = project / (f"docs/cases/{EDITED}.md" if staged else f"cases/{EDITED}.md")
    text = path.read_text("utf-8")
    line = f'description: "{EDITED} measured again, edit {token}."' if staged else \
        f"summary: {EDITED} measured again, edit {token}."  # a plain scalar: the generated summary runs onto a second line
    path.write_text(re.sub(r"(?m)^(description|summary): .*$", line, text, count=1), "utf-8")


def rendered(output: str) -> str:
    found = re.search(r"collateral: (\d+) rendered, (\d+) unchanged", output)
    return f"{found.group(1)} rendered, {found.group(2)} unchanged" if found else ""


def expected_rerender(project: Path) -> int:
    """What editing one case must re-render: its one-pager, its industry's case book, and each kit holding it."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from builder.content.settings import load_settings
    from builder.pipeline.stage import check

    settings, _ = load_settings(project / "mkdocs.yml")
    catalog = check(settings, AS_OF).catalog
    kits = sum(1 for kit in catalog.kits if any(c.slug == EDITED for c in catalog.kit_cases[kit.slug]))
    return 2 + kits


def serve_latency(project: Path, size: int, runs: int, plain: bool = False) -> Measure:
    """Seconds from saving an edit to `casebook serve` serving the edited page; `plain`: the
    same for `mkdocs serve --dirty` over the baseline project's copy of the staged pages."""
    port = 8800 + os.getpid() % 100 + plain
    command = [MKDOCS, "serve", "--dirty"] if plain else [CASEBOOK, "serve"]
    process = subprocess.Popen([*command, "-a", f"127.0.0.1:{port}"], cwd=project,
                               env={**os.environ, "CASEBOOK_AS_OF": AS_OF.isoformat()},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    page = f"http://127.0.0.1:{port}/cases/{EDITED}/"

    def fetch() -> str:
        try:
            with urllib.request.urlopen(page, timeout=5) as response:
                return response.read().decode("utf-8", "replace")
        except OSError:
            return ""

    samples = []
    try:
        deadline = time.monotonic() + 600
        while not fetch() and time.monotonic() < deadline:
            time.sleep(0.2)
        for index in range(runs):
            _settle(process.pid)  # the previous rebuild and its background renders are done
            token = f"{'plain' if plain else 'serve'}-{os.getpid()}-{index}"
            edit(project, token, staged=plain)
            started = time.perf_counter()
            while token not in fetch():
                if time.perf_counter() - started > 120:
                    raise SystemExit("casebook serve did not show the edit within 120 s")
                time.sleep(0.02)
            samples.append(time.perf_counter() - started)
    finally:
        process.terminate()
        process.wait(30)
    step = "mkdocs serve --dirty" if plain else "serve"
    found = Measure(size, step, statistics.median(samples), 0.0, 0.0, runs, "edit saved → page served", [round(s, 3) for s in samples])
    print(f"  {found.size:>5} {step}      {found.wall:8.2f} s from saving to serving", flush=True)
    return found


PAGE_TYPES = {"home": "", "library": "cases/", "hub": "industries/retail/", "case": f"cases/{EDITED}/",
              "white paper": None, "downloads": "downloads/"}  # None: the first white paper of the build
LIGHTHOUSE = Path(__file__).resolve().parents[1] / ".cache/npm/node_modules/lighthouse/cli/index.js"
LIGHTHOUSE_TARGET = 95  # mobile performance, every page type
LIGHTHOUSE_FROM = 1000  # the sizes Lighthouse runs at (besides the example): its target is set for the example and 1,000
LIGHTHOUSE_RUNS = 3  # per page; the median run is reported, since one run can land on a busy moment


class _Compressing(http.server.SimpleHTTPRequestHandler):
    """Serves text gzip-compressed, as GitHub Pages, GitLab Pages and Netlify do: Lighthouse
    then weighs what a visitor's phone really downloads."""

    TEXT = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt")

    def log_message(self, *args) -> None:
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.name.endswith(self.TEXT) or "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def page_sizes(project: Path, size: int) -> Measure:
    """The heavy files a phone may load: the library, a hub, Downloads, the card and file data
    they fetch on demand, the search index (fetched once the visitor opens search)."""
    site = project / "site"
    sizes = {"library": site / "cases/index.html", "hub": site / "industries/retail/index.html",
             "downloads": site / "downloads/index.html", "cards.json": site / "cases/cards.json",
             "files.json": site / "downloads/files.json", "search index": site / "search/search_index.json"}
    note = ", ".join(f"{name} {path.stat().st_size / 1024:,.0f} KB" for name, path in sizes.items() if path.is_file())
    return Measure(size, "sizes", 0.0, 0.0, 0.0, 1, note)


def visitor(project: Path, size: int, lighthouse: bool = True) -> list[Measure]:
    """What a visitor's phone gets: the sizes of the heavy files, and Lighthouse (mobile,
    its default throttling) on each kind of page, served from loopback with compression."""
    site = project / "site"
    found = [page_sizes(project, size)]
    paper = next(iter(sorted((site / "whitepapers").glob("*/index.html"))), None)
    case = f"cases/{EDITED}/" if (site / f"cases/{EDITED}").is_dir() else \
        next(iter(sorted((site / "cases").glob("*/index.html")))).parent.relative_to(site).as_posix() + "/"  # the example
    handler = functools.partial(_Compressing, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        for kind, path in PAGE_TYPES.items():
            path = case if kind == "case" else path if path is not None else (paper.parent.relative_to(site).as_posix() + "/" if paper else None)
            if path is None or not lighthouse or not LIGHTHOUSE.is_file():
                continue
            runs = [run for run in (_lighthouse(base + path) for _ in range(LIGHTHOUSE_RUNS)) if run is not None]
            scored = sorted((run for run in runs if run["categories"]["performance"]["score"] is not None),
                            key=lambda run: run["categories"]["performance"]["score"])
            if not scored:  # Lighthouse could not measure the page
                message = runs[0].get("runtimeError", {}).get("message", "no score") if runs else "no report"
                print(f"  {size:>5} lighthouse {kind}: {message}", flush=True)
                continue
            result = scored[len(scored) // 2]  # the median run by score, as Lighthouse advises for a noisy machine
            audits = result["audits"]
            score = round(result["categories"]["performance"]["score"] * 100)
            scores = ", ".join(str(round(run["categories"]["performance"]["score"] * 100)) for run in scored)
            lcp = audits["largest-contentful-paint"]["numericValue"] / 1000
            found.append(Measure(size, f"lighthouse {kind}", lcp, 0.0, 0.0, len(scored),
                                 f"performance {score} (runs: {scores}); largest paint {lcp:.1f} s, layout shift "
                                 f"{audits['cumulative-layout-shift']['numericValue']:.2f}, blocking "
                                 f"{audits['total-blocking-time']['numericValue']:.0f} ms", score=score))
            print(f"  {size:>5} lighthouse {kind}: {found[-1].note}", flush=True)
    finally:
        server.shutdown()
    return found


def _lighthouse(url: str) -> dict | None:
    """One Lighthouse run (mobile, its default throttling): its report, or None."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run(["node", str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
                        "--only-categories=performance",
                        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run"],
                       capture_output=True, timeout=300, env={**os.environ, "CHROME_PATH": shutil.which("chromium") or ""})
        return json.loads(report.read_text("utf-8")) if report.is_file() else None


def one_pager_cpu(project: Path, size: int, count: int = 60) -> list[Measure]:
    """CPU per case one-pager and per social card, rendered one after another by one warm
    compiler as a render worker does it, from job data to the file; then the leak guard's
    reading of each one-pager, which the worker does as well."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from builder.collateral import plan, render
    from builder.content.settings import load_settings
    from builder.core.pdftext import pdf_text
    from builder.pipeline.stage import check

    settings, _ = load_settings(project / "mkdocs.yml")
    catalog = check(settings, AS_OF).catalog
    jobs = [make() for _, _, make in plan.plan(settings, catalog)]
    render._worker_init(str(settings.root), [str(p) for p in settings.font_dirs if p.is_dir()])
    found = []
    for template, label in (("case.typ", "one-pager"), ("card.typ", "card")):
        chosen = [job for job in jobs if job.template == template][: count + 5]
        times, reading = [], []
        for index, job in enumerate(chosen):
            started = time.process_time()
            out, _ = render._render_one(str(settings.templates_dir / "pdf" / template), job.data, job.png,
                                            render.timestamp(job.day))
            rendered_at = time.process_time()
            if out is None:
                raise SystemExit(f"{job.output} failed to render")
            if not job.png:  # the leak guard's reading, done by the render worker too
                pdf_text(out, None)
            if index >= 5:  # the first renders warm the compiler's caches
                times.append((rendered_at - started) * 1000)
                reading.append((time.process_time() - rendered_at) * 1000)
        median = statistics.median(times)
        guard = f"; the leak guard's reading of it {statistics.median(reading):.1f} ms more" if template == "case.typ" else ""
        found.append(Measure(size, label, median / 1000, median / 1000, 0.0, len(times),
                             f"{median:.1f} ms CPU median, p90 {sorted(times)[int(len(times) * 0.9)]:.1f} ms{guard}"))
        print(f"  {size:>5} {label:<10} {median:8.1f} ms CPU (median of {len(times)}){guard}", flush=True)
    return found


def machine_speed(size: int) -> Measure:
    """CPU seconds of a fixed pure-Python loop: a shared machine's speed drifts between runs
    (by a third here), and this row tells a slow run from a slower Casebook."""
    samples = []
    for _ in range(5):
        started = time.process_time()
        total = 0
        for number in range(3_000_000):
            total += number
        samples.append(time.process_time() - started)
    speed = statistics.median(samples)
    print(f"  {size:>5} machine speed {speed:8.3f} s for the fixed loop", flush=True)
    return Measure(size, "machine speed", speed, speed, 0.0, 5, "a fixed pure-Python loop; lower is faster")


def bench_size(size: int, runs: int, collateral: bool, root: Path) -> list[Measure]:
    project = root / f"cases-{size}"
    print(f"generating {size} cases in {project}", flush=True)
    discard(project)
    generate(size, project)
    found = [machine_speed(size)]
    found.append(measure(size, "validate", runs, [CASEBOOK, "validate"], project, before=lambda _: _clean(project)))
    found.append(measure(size, "validate cached", runs, [CASEBOOK, "validate"], project))
    found.append(measure(size, "no-pdf", runs, [CASEBOOK, "build", "--no-pdf"], project, before=lambda _: _clean(project)))
    found.append(measure(size, "no-pdf cached", runs, [CASEBOOK, "build", "--no-pdf"], project))
    base = baseline_project(project)
    found.append(measure(size, "baseline", runs, [MKDOCS, "build", "-q"], base))
    found.append(measure(size, "bodies baseline", runs, [MKDOCS, "build", "-q"], bodies_project(project)))
    if not collateral:
        return found + [page_sizes(project, size)]
    found.append(measure(size, "cold", runs, [CASEBOOK, "build"], project, before=lambda _: _clean(project, site=True),
                         note=rendered))
    next_day = {"CASEBOOK_AS_OF": (AS_OF + timedelta(days=1)).isoformat()}
    warm = measure(size, "warm", runs, [CASEBOOK, "build", "--as-of", next_day["CASEBOOK_AS_OF"]], project, note=rendered)
    found.append(warm)
    expected = expected_rerender(project)
    found.append(measure(size, "edit", runs, [CASEBOOK, "build"], project, before=lambda i: edit(project, f"build-{i}"),
                         note=lambda out: f"{rendered(out)} (expected {expected} re-rendered)"))
    found += visitor(project, size, lighthouse=size >= LIGHTHOUSE_FROM)
    found.append(serve_latency(project, size, runs))
    found.append(serve_latency(base, size, runs, plain=True))
    found += one_pager_cpu(project, size)
    return found


def example(root: Path) -> list[Measure]:
    """The repository's own example, built cold with its PDFs (in every language), then what a visitor gets."""
    project = root / "example"
    discard(project)
    project.mkdir(parents=True)
    for item in ("mkdocs.yml", "site_templates", "docs", "cases", "whitepapers", "kits"):
        source = REPO / item
        (shutil.copytree if source.is_dir() else shutil.copy)(source, project / item)
    size = sum(1 for path in (project / "cases").glob("*.md") if "." not in path.stem)
    found = [measure(size, "example cold", 1, [CASEBOOK, "build"], project, note=rendered)]
    return found + visitor(project, size)


# --- the report --------------------------------------------------------------------------


def targets(results: list[Measure]) -> list[dict]:
    get = {(m.size, m.step): m for m in results}

    def value(name: str) -> float | None:
        try:
            return {
                "no-pdf / baseline at 1,000": lambda: get[1000, "no-pdf"].wall / get[1000, "baseline"].wall,
                "no-pdf t(5,000) / t(1,000)": lambda: get[5000, "no-pdf"].wall / get[1000, "no-pdf"].wall,
                "one-pager CPU (ms)": lambda: get[1000, "one-pager"].cpu * 1000,
                "cold collateral at 1,000, wall (s)": lambda: get[1000, "cold"].wall,
                "serve: edit visible at 1,000 (s)": lambda: get[1000, "serve"].wall,
                "serve: edit visible at 100 (s)": lambda: get[100, "serve"].wall,
                "peak memory at 5,000, no-pdf / baseline": lambda: get[5000, "no-pdf"].peak_mb / get[5000, "baseline"].peak_mb,
                "validate at 5,000 (s)": lambda: get[5000, "validate"].wall,
                "no-pdf / bodies baseline at 1,000": lambda: get[1000, "no-pdf"].wall / get[1000, "bodies baseline"].wall,
            }[name]()
        except KeyError:
            return None

    checks = [{"target": name, "limit": limit, "measured": None if value(name) is None else round(value(name), 3),
               "met": None if value(name) is None or limit is None else value(name) <= limit} for name, limit in TARGETS.items()]
    examples = {m.size for m in results if m.step == "example cold"}
    for size in sorted({m.size for m in results if m.score is not None}):  # a score is a floor, not a ceiling
        scores = {m.step.removeprefix("lighthouse "): m.score for m in results if m.size == size and m.score is not None}
        lowest = min(scores, key=scores.get)
        checks.append({"target": f"Lighthouse at {'the example' if size in examples else f'{size:,}'}: lowest page ({lowest}), at least",
                       "limit": LIGHTHOUSE_TARGET, "measured": scores[lowest], "met": scores[lowest] >= LIGHTHOUSE_TARGET})
    return checks


def markdown(results: list[Measure], checks: list[dict], machine: dict) -> str:
    lines = [f"Measured {machine['date']} on {machine['cores']} cores, Python {machine['python']}, "
             f"{machine['platform']}; median of the runs shown.", "",
             "| cases | step | wall s | CPU s | peak MB | runs | note |", "|---:|---|---:|---:|---:|---:|---|"]
    for m in results:
        wall = f"{m.wall * 1000:.1f} ms" if m.step in ("one-pager", "card") else "" if m.step == "sizes" else f"{m.wall:.2f}"
        cpu = "" if m.step in ("serve", "one-pager", "card", "machine speed", "sizes") or m.step.startswith("lighthouse") \
            else f"{m.cpu:.2f}"
        peak = f"{m.peak_mb:.0f}" if m.peak_mb else ""
        lines.append(f"| {m.size:,} | {m.step} | {wall} | {cpu} | {peak} | {m.runs} | {m.note} |")
    lines += ["", "| target | limit | measured | met |", "|---|---:|---:|---|"]
    for check in checks:
        met = {True: "yes", False: "**no**", None: "not measured" if check["measured"] is None else "reported"}[check["met"]]
        measured = "" if check["measured"] is None else check["measured"]
        lines.append(f"| {check['target']} | {'-' if check['limit'] is None else check['limit']} | {measured} | {met} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--collateral", type=int, nargs="*", default=[100, 1000], help="sizes that also measure collateral and serve")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--example", action=argparse.BooleanOptionalAction, default=True,
                        help="also build the example project with its PDFs and run the visitor step on it")
    parser.add_argument("--work", type=Path, default=Path("/tmp/casebook-bench"))
    parser.add_argument("--out", type=Path, default=Path("bench/results"))
    parser.add_argument("--report", type=Path, metavar="RESULTS.json", help="only write the tables again from an earlier run")
    args = parser.parse_args()
    if args.report:
        earlier = json.loads(args.report.read_text("utf-8"))
        results = [Measure(**m) for m in earlier["results"]]
        print(markdown(results, targets(results), earlier["machine"]))
        return
    machine = {"date": date.today().isoformat(), "cores": os.cpu_count(), "python": platform.python_version(),
               "platform": platform.platform()}
    global TRASH
    TRASH = args.work / ".trash"
    try:
        results: list[Measure] = example(args.work) if args.example else []
        for size in args.sizes:
            results += bench_size(size, args.runs, size in args.collateral, args.work)
    finally:
        shutil.rmtree(TRASH, ignore_errors=True)
    checks = targets(results)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps({"machine": machine, "results": [asdict(m) for m in results],
                                                       "targets": checks}, indent=2) + "\n", "utf-8")
    table = markdown(results, checks, machine)
    (args.out / "results.md").write_text(table, "utf-8")
    print("\n" + table)


if __name__ == "__main__":
    main()
