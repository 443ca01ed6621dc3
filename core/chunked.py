"""Shapely's array functions over chunks, on a few threads.

Most of them release the GIL, so two chunks on two cores take about half the time. Chunks are cut
only where a `groups` key changes, so no geometry appears in two threads at once (a prepared
geometry builds its index lazily and must not be shared between threads).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np

MIN_CHUNK = 4_000  # below this, a thread costs more than it saves (an overlay is ~10 µs a pair)
THREAD_PREFIX = "demolition_verifier_worker"
_pool: ThreadPoolExecutor | None = None


def workers() -> int:
    """Threads to use: DEMOLITION_VERIFIER_THREADS, else the cores (at most 4)."""
    try:
        wanted = int(os.environ.get("DEMOLITION_VERIFIER_THREADS", "0"))
    except ValueError:
        wanted = 0
    return max(1, wanted or min(4, os.cpu_count() or 1))


def _executor() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=workers(), thread_name_prefix=THREAD_PREFIX)
    return _pool


def cuts(n: int, groups: np.ndarray | None = None, parts: int | None = None) -> list[tuple[int, int]]:
    """(start, stop) of about equal chunks; with `groups` (sorted), never inside a group."""
    parts = parts or workers()
    parts = max(1, min(parts, n // MIN_CHUNK))
    if parts == 1:
        return [(0, n)]
    bounds = [0]
    for k in range(1, parts):
        at = n * k // parts
        if groups is not None:
            at = int(np.searchsorted(groups, groups[at], side="left"))
        if at > bounds[-1]:
            bounds.append(at)
    bounds.append(n)
    return list(zip(bounds[:-1], bounds[1:]))


def _in_worker() -> bool:
    """Inside one of the pool's threads: work asked for there runs in place (a worker waiting on
    the pool it belongs to could wait forever)."""
    return threading.current_thread().name.startswith(THREAD_PREFIX)


def map_chunks(func: Callable[..., np.ndarray], *arrays: np.ndarray, groups: np.ndarray | None = None) -> np.ndarray:
    """func(*arrays) computed chunk by chunk on threads; same result as one call."""
    n = len(arrays[0])
    chunks = [(0, n)] if _in_worker() else cuts(n, groups)
    if len(chunks) == 1:
        return func(*arrays)
    results = list(_executor().map(lambda c: func(*(a[c[0] : c[1]] for a in arrays)), chunks))
    return np.concatenate(results)


def map_ranges(
    func: Callable[[int, int], object], n: int, groups: np.ndarray | None = None, per_worker: int = 1
) -> list:
    """func(start, stop) for each chunk of range(n), on threads; the results in order. With
    `per_worker` > 1, smaller chunks, taken by whichever thread is free: a thread slowed by other
    work on the host then holds up the end less."""
    chunks = [(0, n)] if _in_worker() else cuts(n, groups, workers() * per_worker)
    if len(chunks) == 1:
        return [func(0, n)]
    return list(_executor().map(lambda c: func(*c), chunks))
