"""Sheet.add_rows (a table written a row at a time) writes what set_row cell by cell wrote: the same
parts byte for byte, and read back with openpyxl the same values and styles in every cell."""

from __future__ import annotations

import random
from datetime import datetime

import numpy as np
import openpyxl
import pytest

from demolition_verifier.core.definitions import Mark, Status
from demolition_verifier.core.report_model import AuditStamp, PatchRecord, Review
from demolition_verifier.formats import report_workbook
from demolition_verifier.formats.xlsx import Sheet, Style, Workbook

STYLES = [
    None,
    Style(),
    Style(number_format="0.00", border=True),
    Style(number_format="0.00%", border=True),
    Style(number_format="0", border=True),
    Style(number_format="0.00", border=True),  # equal to the third, another object
    Style(bold=True, fill="FFEB9C", align="center", border=True),
    Style(color="C00000", wrap=True),
]


def _value(rng: random.Random):
    return rng.choice(
        [
            None,
            rng.random() * 1e4,
            float("nan"),
            float("inf"),
            -0.0,
            1e-300,
            rng.randint(-5, 10**12),
            True,
            False,
            np.float64(rng.random()),
            np.int64(rng.randint(0, 99)),
            "",
            "城关镇",
            f"P{rng.randint(0, 30)}",
            'a <&> "b"\x01\x0b',
            "核查" * 9000,  # over Excel's limit: cut
            "长" * 16383,
            "😀 𠀀",
        ]
    )


def _table(rng: random.Random, rows: int, width: int) -> tuple[list, list]:
    kinds = [[rng.choice(STYLES) for _ in range(width)] for _ in range(3)]  # a few row types, shared lists
    values, styles = [], []
    for _ in range(rows):
        n = width if rng.random() < 0.9 else rng.randint(0, width)
        values.append([_value(rng) for _ in range(n)])
        styles.append(rng.choice(kinds) if rng.random() < 0.8 else [rng.choice(STYLES) for _ in range(width)])
    return values, styles


def _books(seed: int) -> tuple[Workbook, Workbook]:
    """The same workbook twice: its tables through add_rows, and through set_row."""
    rng = random.Random(seed)
    books = Workbook(creator="t", title="t"), Workbook(creator="t", title="t")
    for s in range(rng.randint(1, 3)):
        sheets = [book.add_sheet(f"表{s}") for book in books]
        plan = []
        row = 1
        for _ in range(rng.randint(1, 4)):
            if rng.random() < 0.4:  # a cell of its own row (a group's heading)
                plan.append(("set", row, rng.randint(1, 5), _value(rng), rng.choice(STYLES)))
                row += 1
            first_col = rng.randint(1, 3)
            values, styles = _table(rng, rng.randint(0, 40), rng.randint(1, 12))
            plan.append(("table", row, first_col, values, styles))
            if rng.random() < 0.3:  # a cell set inside the table, and a table over another's rows
                plan.append(("set", row + 1, first_col + 1, "over", STYLES[6]))
            if rng.random() < 0.2:
                plan.append(("table", row + 2, first_col + 2, *_table(rng, 3, 3)))
            row += len(values) + rng.randint(0, 3)
        for sheet_a, sheet_b in [sheets]:
            for step in plan:
                if step[0] == "set":
                    for sheet in (sheet_a, sheet_b):
                        sheet.set(*step[1:])
                else:
                    _kind, first, col, values, styles = step
                    sheet_a.add_rows(first, values, styles, first_col=col)
                    for i, (row_values, row_styles) in enumerate(zip(values, styles)):
                        sheet_b.set_row(first + i, row_values, row_styles, first_col=col)
            for sheet in (sheet_a, sheet_b):
                sheet.row_heights[row + 5] = 20
                sheet.merge(1, 1, 1, 3)
                sheet.freeze_rows = 1
                sheet.column_widths[2] = 12
    return books


def _parts(book: Workbook) -> dict[str, str]:
    return {name: text for name, text in book._parts() if name != "docProps/core.xml"}  # core: the time


def _cells(path) -> dict:
    out = {}
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                out[(sheet.title, cell.coordinate)] = (
                    cell.value,
                    cell.data_type,
                    cell.number_format,
                    cell.font.b,
                    cell.font.color.rgb if cell.font.color is not None else None,
                    cell.fill.fgColor.rgb,
                    cell.border.left.style,
                    cell.alignment.horizontal,
                    cell.alignment.wrap_text,
                )
    return out


@pytest.mark.parametrize("seed", range(25))
def test_tables_write_what_cells_wrote(tmp_path, seed):
    table, cells = _books(seed)
    assert _parts(table) == _parts(cells)
    for sheet_a, sheet_b in zip(table.sheets, cells.sheets):
        assert (sheet_a.max_row, sheet_a.max_col) == (sheet_b.max_row, sheet_b.max_col)
    table.save(str(tmp_path / "a.xlsx"))
    cells.save(str(tmp_path / "b.xlsx"))
    assert _cells(tmp_path / "a.xlsx") == _cells(tmp_path / "b.xlsx")


def test_a_table_needs_a_list_of_styles_per_row():
    with pytest.raises(ValueError):
        Sheet("a").add_rows(1, [[1], [2]], [[None]])
    with pytest.raises(ValueError):
        Sheet("a").add_rows(0, [[1]], [[None]])


def _records(seed: int) -> list[PatchRecord]:
    rng = random.Random(seed)
    out = []
    for _ in range(300):
        status = rng.choice([s.value for s in Status])
        record = PatchRecord(
            patch_id=f"H{rng.randint(1, 400)}",
            township=rng.choice(["城关镇", "东镇", None, ""]),
            status=status,
            reasons=rng.choice(["", "over_tolerance", "main_retained,over_tolerance", "rebuilt", "odd_code"]),
            monitor_m2=rng.choice([None, rng.random() * 3000]),
            geom_m2=rng.random() * 3000,
            remain_m2=rng.random() * 50,
            remain_rt=rng.random() / 10,
            largest_m2=rng.choice([None, rng.random() * 20]),
            remnants=rng.randint(0, 4),
            run_id="run-1",
            checked_at="2026-11-26T04:09:24+00:00",
        )
        if rng.random() < 0.3:
            mark = rng.choice([Mark.DISPUTED.value, Mark.UPHELD.value, Mark.OVERTURNED.value, "reopened"])
            final = rng.choice([s.value for s in Status]) if mark == Mark.OVERTURNED.value else status
            record.review = Review(mark, final, rng.choice([None, "复核意见"]))
        if seed % 2:
            record.land = {"farm_m2": rng.random() * 100, "farm_rem": 0.0, "method": rng.choice(["", "legalised"])}
        out.append(record)
    return out


def _set_row_tables(self, first_row, rows, styles, first_col=1):
    for i, (values, row_styles) in enumerate(zip(rows, styles)):
        self.set_row(first_row + i, values, row_styles, first_col)


@pytest.mark.parametrize("seed", range(4))
def test_the_report_is_the_same_through_tables(monkeypatch, seed):
    records = _records(seed)
    stamp = AuditStamp("ab" * 32, None, {}) if seed >= 2 else None
    when = datetime(2026, 11, 26, 12, 0)
    fast = _parts(report_workbook.build_report(records, when, stamp))
    monkeypatch.setattr(Sheet, "add_rows", _set_row_tables)
    assert _parts(report_workbook.build_report(records, when, stamp)) == fast
