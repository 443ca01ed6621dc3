"""All or nothing on disk: a file is written under a temporary name beside its target and renamed over
it only when it is whole, so a failure or a kill leaves the previous file (or none), never half of one."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager


def part_path(path: str) -> str:
    """A unique temporary name beside `path`, for writing a file whole and renaming it at the end
    (the writer creates it, so it gets the user's usual permissions)."""
    folder, name = os.path.split(os.path.abspath(path))
    return os.path.join(folder, f".~{name}.{uuid.uuid4().hex[:8]}.part")


@contextmanager
def atomic_write(path: str) -> Iterator[str]:
    """Yields the temporary path to write; on a clean exit it is flushed to disk and renamed over
    `path`; on any exception (a full disk, a cancel) it is removed and `path` stays as it was."""
    temp = part_path(path)
    try:
        yield temp
        with open(temp, "rb+") as handle:  # the bytes on disk before the name points to them
            os.fsync(handle.fileno())
        os.replace(temp, path)
    finally:
        if os.path.exists(temp):
            os.remove(temp)
