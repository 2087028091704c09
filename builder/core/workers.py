"""Spreading many small CPU-bound tasks (parsing files, drawing QR codes) over the CPUs."""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def fork_map(function: Callable[[T], R], items: list[T], minimum: int) -> Iterator[R]:
    """function(item) for each item, in order; in forked worker processes when there are at
    least `minimum` items (below that a pool costs more than it saves) and this process runs
    one thread (forking a threaded process, such as `serve`, can deadlock). Results stream
    back, so the caller's own work on them overlaps the rest."""
    workers = min(os.cpu_count() or 1, len(items) // max(1, minimum // 2))
    if workers < 2 or len(items) < minimum or threading.active_count() > 1:
        yield from map(function, items)
        return
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        yield from pool.map(function, items, chunksize=max(1, len(items) // (workers * 16)))


def run_all(function: Callable[[T], object], items: Iterable[T], minimum: int) -> None:
    for _ in fork_map(function, list(items), minimum):
        pass
