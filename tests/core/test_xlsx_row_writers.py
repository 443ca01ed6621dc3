"""The table rows' writers (formats/xlsx.py, one f-string per row's styles and kinds of value) write
what set_row's cells write: rows of every kind of value, with a height of their own, and every
column letter."""

from __future__ import annotations

from demolition_verifier.formats.xlsx import Style, Workbook

STYLES = [None, Style(), Style(number_format="0.00", border=True), Style(bold=True, fill="FFEB9C", align="center")]
VALUES = [None, 1.5, float("nan"), -0.0, 7, True, "城关镇", "a {b} 'c' \\d\n", "", 10**20, 1e300]


def _parts(book: Workbook) -> dict[str, str]:
    return {name: text for name, text in book._parts() if name != "docProps/core.xml"}


def test_table_rows_of_every_kind_with_heights_of_their_own():
    books = Workbook(), Workbook()
    sheets = [book.add_sheet("表") for book in books]
    rows, styles = [], []
    width = 30  # past column Z: letters AA...AD
    for n in range(60):
        rows.append([VALUES[(n * 7 + c * 3) % len(VALUES)] if (n + c) % 5 else VALUES[n % 2] for c in range(width)])
        styles.append([STYLES[(n + c) % len(STYLES)] for c in range(width)])
    sheets[0].add_rows(2, rows, styles)
    for i, (values, row_styles) in enumerate(zip(rows, styles)):
        sheets[1].set_row(2 + i, values, row_styles)
    for sheet in sheets:
        sheet.row_heights[3] = 30
        sheet.row_heights[40] = 12.5
    assert _parts(books[0]) == _parts(books[1])
    assert 'r="AD2"' in _parts(books[0])["xl/worksheets/sheet1.xml"]


def test_the_shared_strings_as_each_is_cleaned():
    from demolition_verifier.formats.xlsx import _clean, _StringTable

    for texts in (["城关镇", "P1", "", "a {b} 'c'\n\t"], ["a & b", "x"], ["\x01"], ["<"], ["\ufffe"], []):
        table = _StringTable()
        for text in texts:
            table.add(text)
        items = "".join(f'<si><t xml:space="preserve">{_clean(t)}</t></si>' for t in dict.fromkeys(texts))
        assert table.xml().endswith(f'uniqueCount="{len(set(texts))}">{items}</sst>')
