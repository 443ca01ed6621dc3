"""Does a PDF file parse to its pages? A writer on a full disk (Qt's, through QGIS's layout exporter)
can report success over a file cut short: its cross-reference table or its end is missing, or objects
it points at lie past the end of the file. Reads the classic cross-reference table Qt writes."""

from __future__ import annotations

import os
import re

_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
_OBJECT = re.compile(rb"\s*(\d+)\s+(\d+)\s+obj\b")


def pdf_page_count(path: str | os.PathLike) -> int | None:
    """The number of page objects of a whole PDF; None when the file does not parse (cut short,
    its cross-reference table missing or pointing past the end or at no object)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    tail = data[-1024:]
    if not data.startswith(b"%PDF-") or b"%%EOF" not in tail:
        return None
    found = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", tail)
    if found is None:
        return None
    start = int(found.group(1))
    if start >= len(data) or not data.startswith(b"xref", start):
        return None
    table = re.match(rb"xref\s+(\d+)\s+(\d+)\s+", data[start : start + 64])
    if table is None:
        return None
    first, count = int(table.group(1)), int(table.group(2))
    rows = data[start + table.end() : start + table.end() + 20 * count]
    if len(rows) < 20 * count:
        return None
    for i in range(count):
        row = rows[20 * i : 20 * i + 20]
        if row[17:18] != b"n":
            continue
        offset = int(row[:10])
        match = _OBJECT.match(data, offset) if offset < len(data) else None
        if match is None or int(match.group(1)) != first + i:
            return None
    if b"trailer" not in data[start:]:
        return None
    return len(_PAGE.findall(data))
