"""The standard-library xlsx writer, read back with openpyxl (as Excel, WPS and LibreOffice read it)."""

from __future__ import annotations

import os
import zipfile
from xml.dom import minidom

import openpyxl
import pytest

from demolition_verifier.formats.xlsx import Style, Workbook, column_letter


def test_column_letters():
    assert [column_letter(c) for c in (1, 26, 27, 52, 703)] == ["A", "Z", "AA", "AZ", "AAA"]


def test_numbers_text_and_formats_read_back(tmp_path):
    book = Workbook(creator="test")
    sheet = book.add_sheet("乡镇汇总")
    sheet.set(1, 1, '城关镇 <&> "引号"', Style(bold=True, fill="DDEBF7"))
    sheet.set(2, 1, 1234.5678, Style(number_format="0.00"))
    sheet.set(2, 2, 0.1234, Style(number_format="0.00%"))
    sheet.set(2, 3, 42, Style(number_format="0"))
    sheet.set(2, 4, 1500.0, Style(number_format='#,##0.00 "m²"'))
    sheet.set(2, 5, True)
    sheet.set(2, 6, float("nan"), Style(number_format="0.00"))
    sheet.set(3, 1, "bad\x01char")
    sheet.merge(4, 1, 4, 3)
    sheet.column_widths[1] = 20
    sheet.freeze_rows = 1
    sheet.auto_filter = (1, 1, 3, 6)
    sheet.print_title_rows = (1, 1)
    book.add_sheet("图斑明细").set(1, 1, "第二页")
    path = tmp_path / "r.xlsx"
    book.save(str(path))

    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["乡镇汇总", "图斑明细"]
    ws = wb["乡镇汇总"]
    assert ws["A1"].value == '城关镇 <&> "引号"' and ws["A1"].font.b
    assert ws["A1"].fill.fgColor.rgb == "FFDDEBF7"
    assert isinstance(ws["A2"].value, float) and ws["A2"].value == pytest.approx(1234.5678)
    assert ws["A2"].number_format == "0.00"
    assert ws["B2"].number_format == "0.00%" and ws["B2"].value == pytest.approx(0.1234)
    assert ws["C2"].value == 42 and isinstance(ws["C2"].value, int)
    assert ws["D2"].number_format == '#,##0.00 "m²"'
    assert ws["E2"].value is True
    assert ws["F2"].value is None  # no NaN in a sheet
    assert ws["A3"].value == "badchar"
    assert "A4:C4" in {str(r) for r in ws.merged_cells.ranges}
    assert ws.column_dimensions["A"].width == 20
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:F3"
    assert wb["图斑明细"]["A1"].value == "第二页"


def test_parts_are_well_formed_xml(tmp_path):
    book = Workbook()
    book.add_sheet("a").set(1, 1, "x")
    path = tmp_path / "r.xlsx"
    book.save(str(path))
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert "[Content_Types].xml" in names and "xl/workbook.xml" in names
        for name in names:
            minidom.parseString(archive.read(name))


def test_save_is_atomic(tmp_path):
    path = tmp_path / "r.xlsx"
    path.write_bytes(b"old")
    book = Workbook()
    with pytest.raises(ValueError):
        book.save(str(path))  # no sheets: nothing written, the old file stays whole
    assert path.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["r.xlsx"]


def test_sheet_names_are_made_valid_and_unique():
    book = Workbook()
    assert book.add_sheet("a/b:c" + "x" * 40).name == "a_b_c" + "x" * 26
    book.add_sheet("Same")
    with pytest.raises(ValueError):
        book.add_sheet("same")


def test_a_cell_longer_than_excel_allows_is_cut_and_marked(tmp_path):
    book = Workbook()
    sheet = book.add_sheet("图斑明细")
    long_note = "核查意见" * 10_000 + "𠀀"  # 40 001 characters, one outside the BMP
    sheet.set(1, 1, long_note)
    sheet.set(2, 1, "短")
    path = tmp_path / "long.xlsx"
    book.save(str(path))
    cells = openpyxl.load_workbook(path).active
    cut = cells["A1"].value
    assert cut.endswith("…") and long_note.startswith(cut[:-1])
    assert len(cut.encode("utf-16-le")) // 2 <= 32_767
    assert cells["A2"].value == "短"
