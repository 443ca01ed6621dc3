"""The township summary as a CSV file that a spreadsheet and GDAL both read right.

QGIS (through GDAL 3.6's CSV driver) quotes integers ("38") and leaves out the .csvt that tells
GDAL each column's type; Excel shows Chinese names in a UTF-8 file as mojibake unless the file
starts with a byte-order mark. Here: a BOM, numbers unquoted (reals to 6 decimals, as QGIS writes
the fields), a .csvt beside the file, written whole or not at all.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence

from ..core.summary import SummaryRow, summary_fields
from .atomic import atomic_write

REAL_DECIMALS = 6
_CSVT = {"text": "String", "int": "Integer", "real": "Real(20.6)"}


def write_summary_csv(path: str | os.PathLike, rows: Sequence[SummaryRow]) -> None:
    path = os.fspath(path)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    columns = summary_fields(rows)  # the farmland columns only where the run had them
    writer.writerow([name for name, _kind, _alias in columns])
    for row in rows:
        values = row.as_dict()
        writer.writerow([_cell(values[name], kind) for name, kind, _alias in columns])
    csvt = ",".join(f'"{_CSVT[kind]}"' for _name, kind, _alias in columns) + "\r\n"
    _replace(path, "\ufeff" + buffer.getvalue())
    _replace(os.path.splitext(path)[0] + ".csvt", csvt)


def _cell(value, kind: str) -> str:
    if value is None:
        return ""
    if kind == "int":
        return str(int(value))
    if kind == "real":
        return f"{float(value):.{REAL_DECIMALS}f}"
    return str(value)


def _replace(path: str, text: str) -> None:
    """Written beside the target and renamed over it, as the report and the maps are."""
    with atomic_write(path) as temp, open(temp, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
