"""Spreading many small CPU-bound tasks (parsing files, drawing QR codes) over the CPUs."""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")
R = TypeVar("R")


_TASK: Callable | None = None  # the running fork_map's function: forked workers inherit it


def _run_task(item):
    return _TASK(item)


def fork_map(function: Callable[[T], R], items: list[T], minimum: int) -> Iterator[R]:
    """function(item) for each item, in order; in forked worker processes when there are at
    least `minimum` items (below that a pool costs more than it saves) and this process runs
    one thread (forking a threaded process, such as `serve`, can deadlock). The workers
    inherit `function` with the memory it closes over (templates, the catalog), so nothing
    but the items and results is pickled. Results stream back, so the caller's own work on
    them overlaps the rest."""
    global _TASK
    workers = min(os.cpu_count() or 1, len(items) // max(1, minimum // 2))
    if workers < 2 or len(items) < minimum or threading.active_count() > 1 or _TASK is not None:
        yield from map(function, items)
        return
    _TASK = function
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            yield from pool.map(_run_task, items, chunksize=max(1, len(items) // (workers * 16)))
    finally:
        _TASK = None


def run_all(function: Callable[[T], object], items: Iterable[T], minimum: int) -> None:
    for _ in fork_map(function, list(items), minimum):
        pass
