"""Python's cyclic garbage collector held off while an export builds its hundreds of thousands of
records, rows and cells: none of them is a cycle, but every collection of the oldest generation walks
all of them again (a third of a 100 000-patch report's time). No QGIS here."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The collector off inside, on again after (as it was before: a caller that had it off keeps it
    off); the cycles made meanwhile are collected later as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
