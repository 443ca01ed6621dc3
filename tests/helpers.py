"""Small builders shared by tests."""

from __future__ import annotations

import math
import os
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import shapely


def square(x: float, y: float, size: float) -> shapely.Polygon:
    return shapely.box(x, y, x + size, y + size)


def rotated_rect(cx: float, cy: float, w: float, h: float, angle: float) -> shapely.Polygon:
    c, s = math.cos(angle), math.sin(angle)
    pts = [(-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)]
    return shapely.Polygon([(cx + x * c - y * s, cy + x * s + y * c) for x, y in pts])


@contextmanager
def small_tmpfs(folder: Path, size: str) -> Iterator[Path]:
    """A tmpfs of `size` (e.g. "2m") mounted in a new folder under `folder`, unmounted after: a disk
    that fills up. Mounting needs root (the test machines run as root): skipped otherwise, saying so."""
    import pytest

    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root (the test machines run as root)")
    mount = folder / f"disk-{uuid.uuid4().hex[:6]}"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)
