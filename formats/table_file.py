"""Reading a table as townships send it (.csv, .xlsx), with the standard library alone. Excel saves
"CSV" in the machine's code page (GBK on a Chinese Windows), other tools in UTF-8 with or without a
byte-order mark, with commas, semicolons or tabs; GDAL reads such a file as UTF-8 and garbles GBK."""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from datetime import date, datetime, time, timedelta
from xml.etree import ElementTree

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


# -- xlsx ---------------------------------------------------------------------------------------------
# GDAL's XLSX driver (3.6) takes an all-text first row for data and types a column of dates and
# date-times as dates (dropping the time, which decides a late application): so the plugin reads
# the sheet itself. The first non-empty row of the first sheet is the header.
_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_DATE_FORMAT_IDS = set(range(14, 23)) | {45, 46, 47}
_EPOCH = datetime(1899, 12, 30)


def _is_date_format(code: str) -> bool:
    code = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", code).lower()
    return bool(re.search(r"[ymdhs]", code)) and "general" not in code


def _column_number(ref: str) -> int:
    number = 0
    for char in ref:
        if not char.isalpha():
            break
        number = number * 26 + ord(char.upper()) - 64
    return number


def _excel_time(serial: float, with_time: bool) -> date | datetime:
    moment = _EPOCH + timedelta(seconds=round(serial * 86400))
    return moment if with_time or moment.time() != time(0) else moment.date()


def read_xlsx_table(path: str | os.PathLike) -> tuple[list[str], list[list]]:
    """(headers, rows) of the first sheet: text as text, numbers as numbers, dates as date or datetime."""
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        strings: list[str] = []
        if "xl/sharedStrings.xml" in names:
            root = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
            strings = ["".join(t.text or "" for t in si.iter(f"{{{_NS['m']}}}t")) for si in root.findall("m:si", _NS)]
        date_styles: set[int] = set()
        time_styles: set[int] = set()
        if "xl/styles.xml" in names:
            root = ElementTree.fromstring(archive.read("xl/styles.xml"))
            codes = {int(f.get("numFmtId", "")): f.get("formatCode", "") for f in root.iter(f"{{{_NS['m']}}}numFmt")}
            cell_xfs = root.find("m:cellXfs", _NS)
            for i, xf in enumerate(cell_xfs.findall("m:xf", _NS) if cell_xfs is not None else []):
                fmt = int(xf.get("numFmtId", 0))
                code = codes.get(fmt, "")
                if fmt in _DATE_FORMAT_IDS or (code and _is_date_format(code)):
                    date_styles.add(i)
                    if fmt in (18, 19, 20, 21, 22, 45, 46, 47) or re.search(r"[hs]", code.lower()):
                        time_styles.add(i)
        sheet = _first_sheet(archive, names)
        root = ElementTree.fromstring(archive.read(sheet))
    rows: list[list] = []
    for row in root.iter(f"{{{_NS['m']}}}row"):
        values: dict[int, object] = {}
        for position, c in enumerate(row.findall("m:c", _NS), start=1):
            column = _column_number(c.get("r", "")) or position
            kind, style = c.get("t", "n"), int(c.get("s", 0))
            v = c.find("m:v", _NS)
            if kind == "inlineStr":
                value: object = "".join(t.text or "" for t in c.iter(f"{{{_NS['m']}}}t"))
            elif v is None or v.text is None:
                continue
            elif kind == "s":
                value = strings[int(v.text)]
            elif kind in ("str", "e"):
                value = v.text
            elif kind == "b":
                value = v.text == "1"
            else:
                number = float(v.text)
                if style in date_styles:
                    value = _excel_time(number, style in time_styles)
                else:
                    value = int(number) if number.is_integer() else number
            values[column] = value
        if values and any(str(x).strip() for x in values.values()):
            width = max(values)
            rows.append([values.get(i) for i in range(1, width + 1)])
    if not rows:
        raise ValueError("the sheet holds no header row")
    headers = ["" if h is None else str(h).strip() for h in rows[0]]
    body = [[(None if isinstance(x, str) and not x.strip() else x) for x in row] for row in rows[1:]]
    return headers, body


def _first_sheet(archive: zipfile.ZipFile, names: set[str]) -> str:
    """The first sheet in the workbook's order (its part name from the workbook's relationships)."""
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        first = workbook.find("m:sheets/m:sheet", _NS)
        if first is None:
            raise KeyError("no sheet listed")
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        target = next(r.get("Target") for r in rels if r.get("Id") == first.get(_REL))
        if target is None:
            raise KeyError("no target")
        target = target.lstrip("/")
        part = target if target.startswith("xl/") else f"xl/{target}"
        if part in names:
            return part
    except (KeyError, StopIteration, AttributeError, ElementTree.ParseError):
        pass
    sheets = sorted(n for n in names if n.startswith("xl/worksheets/sheet") and n.endswith(".xml"))
    if not sheets:
        raise ValueError("no worksheet")
    return sheets[0]
