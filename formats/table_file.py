"""Reading a CSV table as townships send it: Excel saves "CSV" in the machine's code page (GBK on a
Chinese Windows), other tools in UTF-8 with or without a byte-order mark, with commas, semicolons or
tabs. GDAL reads such a file as UTF-8 and garbles GBK, so the plugin reads CSV itself."""

from __future__ import annotations

import csv
import io
import os

ENCODINGS = ("utf-8-sig", "gb18030")  # GB18030 is a superset of GBK and GB2312


def decode(data: bytes) -> str:
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError("not UTF-8 and not GBK/GB18030 text")


def read_csv_table(path: str | os.PathLike) -> tuple[list[str], list[list[str | None]]]:
    """(headers, rows): the first row is the header; empty cells are None; blank lines are skipped."""
    with open(path, "rb") as handle:
        text = decode(handle.read())
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows = [row for row in reader if any(cell.strip() for cell in row)]
    if not rows:
        raise ValueError("the file holds no header row")
    headers = [h.strip() for h in rows[0]]
    body = [[(cell if cell.strip() else None) for cell in row] for row in rows[1:]]
    return headers, body
