"""Damaged files for the fault tests: one page of a GeoPackage (an SQLite file) overwritten."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path


def damage_page(source: Path, target: Path, table: str, where: float = 0.5) -> int:
    """A copy of `source` with one leaf page of `table`'s B-tree (the one `where` along it) overwritten
    with 0xFF bytes; the page size is the file's own (its header). Returns the page number."""
    shutil.copyfile(source, target)
    with sqlite3.connect(target) as connection:
        size = connection.execute("PRAGMA page_size").fetchone()[0]
        pages = [
            row[0]
            for row in connection.execute(
                "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno", (table,)
            )
        ]
    connection.close()
    assert len(pages) >= 4, f"{table} spans too few pages to damage one in the middle"
    page = pages[int(len(pages) * where)]
    with open(target, "r+b") as handle:
        handle.seek((page - 1) * size)
        handle.write(b"\xff" * size)
    return page
