"""A small .xlsx writer on the standard library alone.

QGIS's own Python has no openpyxl, so the report is written here: an .xlsx is a zip of
SpreadsheetML parts (workbook, one part per sheet, styles with number formats, shared strings).
Only what the report needs is supported: numbers, text, booleans, cell styles, column widths,
merged cells, frozen header rows, an autofilter and print set-up. The file is written to a
temporary file next to the target and renamed at the end, so a failed save leaves no half file.
"""

from __future__ import annotations

import math
import re
import time
import zipfile
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from itertools import count
from operator import itemgetter
from xml.sax.saxutils import escape

from ..core.definitions import WORKBOOK_FONT
from .atomic import atomic_write

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# Built-in number formats Excel knows by id; anything else is declared in styles.xml from id 164.
_BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10, "@": 49}
MAX_CELL_UNITS = 32_767  # Excel's limit for the text of one cell
# Characters XML 1.0 cannot hold; text from layers may carry them.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NEEDS_CLEANING = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # what _clean changes
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
MAX_SHEET_NAME = 31


@dataclass(frozen=True)
class Style:
    """How a cell looks. Colours are RGB hex ('C00000')."""

    number_format: str = "General"
    bold: bool = False
    size: float = 11.0
    color: str | None = None
    fill: str | None = None
    border: bool = False
    align: str | None = None  # 'left', 'center', 'right'
    wrap: bool = False


DEFAULT_STYLE = Style()


def column_letter(col: int) -> str:
    """1 -> 'A', 27 -> 'AA'."""
    letters = ""
    while col > 0:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_ref(row: int, col: int, absolute: bool = False) -> str:
    dollar = "$" if absolute else ""
    return f"{dollar}{column_letter(col)}{dollar}{row}"


def _clean(text: str) -> str:
    return escape(_ILLEGAL_XML.sub("", text))


def _attr(text: str) -> str:
    return escape(_ILLEGAL_XML.sub("", text), {'"': "&quot;"})


@dataclass
class Sheet:
    """One worksheet; rows and columns count from 1."""

    name: str
    cells: dict[tuple[int, int], tuple[object, Style]] = field(default_factory=dict)
    column_widths: dict[int, float] = field(default_factory=dict)
    row_heights: dict[int, float] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    freeze_rows: int = 0
    auto_filter: tuple[int, int, int, int] | None = None
    print_title_rows: tuple[int, int] | None = None
    landscape: bool = True
    # tables added whole (add_rows): (first row, first column, rows of values, each row's styles)
    blocks: list[tuple[int, int, Sequence[Sequence], Sequence[Sequence[Style | None]]]] = field(default_factory=list)

    def set(self, row: int, col: int, value: object, style: Style | None = None) -> None:
        if row < 1 or col < 1:
            raise ValueError(f"cell ({row}, {col}) is outside the sheet")
        self.cells[(row, col)] = (value, style or DEFAULT_STYLE)

    def set_row(
        self, row: int, values: list, styles: Style | list[Style | None] | None = None, first_col: int = 1
    ) -> None:
        for i, value in enumerate(values):
            style = styles[i] if isinstance(styles, list) else styles
            self.set(row, first_col + i, value, style)

    def add_rows(
        self,
        first_row: int,
        rows: Sequence[Sequence],
        styles: Sequence[Sequence[Style | None]],
        first_col: int = 1,
    ) -> None:
        """set_row(first_row + i, rows[i], styles[i]) for every row, kept as given until the sheet is
        written, where a table of many rows is written a row at a time (rows sharing one list of
        styles share its rendering). A cell set() sets in these rows takes the place of the table's."""
        if first_row < 1 or first_col < 1:
            raise ValueError(f"cell ({first_row}, {first_col}) is outside the sheet")
        if len(styles) != len(rows):
            raise ValueError("one list of styles per row")
        self.blocks.append((first_row, first_col, rows, styles))

    def merge(self, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
        self.merges.append((first_row, first_col, last_row, last_col))

    def _block_rows(self, skip: Collection[int] = ()):
        """(row, first column, values, styles) of the tables' rows but empty ones (and those of the tables `skip`)."""
        for k, (first_row, first_col, rows, styles) in enumerate(self.blocks):
            if k in skip:
                continue
            for i, values in enumerate(rows):
                if len(values):
                    yield first_row + i, first_col, values, styles[i]

    @property
    def max_row(self) -> int:
        listed = max((r for r, _c, _v, _s in self._block_rows()), default=0)
        return max(max((r for r, _c in self.cells), default=0), listed)

    @property
    def max_col(self) -> int:
        listed = max((c + len(v) - 1 for _r, c, v, _s in self._block_rows()), default=0)
        return max(max((c for _r, c in self.cells), default=0), listed)


class Workbook:
    """Sheets in order; `save(path)` writes the .xlsx."""

    def __init__(self, creator: str = "", title: str = "", font_name: str = WORKBOOK_FONT) -> None:
        self.sheets: list[Sheet] = []
        self.creator = creator
        self.title = title
        self.font_name = font_name

    def add_sheet(self, name: str) -> Sheet:
        clean = _SHEET_NAME_BAD.sub("_", name)[:MAX_SHEET_NAME] or f"Sheet{len(self.sheets) + 1}"
        if any(s.name.lower() == clean.lower() for s in self.sheets):
            raise ValueError(f"sheet name {clean!r} is used twice")
        sheet = Sheet(clean)
        self.sheets.append(sheet)
        return sheet

    def save(self, path: str) -> None:
        """Write to a temporary file in the target's folder, then rename over the target. Each part
        is compressed in a second thread as it is built, a sheet a few thousand rows at a time
        (zlib lets go of the interpreter while it works); deflate's fastest level takes a quarter of
        the default's time over a 100 000-patch report's 90 MB of sheet XML, for a file about a
        quarter larger."""
        with atomic_write(path) as temp, zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            with ThreadPoolExecutor(max_workers=1) as writer:  # one writer: the parts in their order
                written: list[Future] = []
                for name, chunks in self._each_part():
                    entry = writer.submit(archive.open, _entry_info(name, archive), "w")
                    written.append(entry)
                    try:
                        written += [writer.submit(_write, entry, chunk) for chunk in chunks]
                    finally:  # whatever stopped the part, the entry is let go of: the archive closes, the error shows
                        written.append(writer.submit(_close, entry))
            for done in written:
                done.result()

    # -- the parts -------------------------------------------------------------------------------
    def _parts(self) -> list[tuple[str, str]]:
        return [(name, "".join(chunks)) for name, chunks in self._each_part()]

    def _each_part(self) -> Iterator[tuple[str, Iterable[str]]]:
        """The parts in the order Excel writes them: the sheets before the styles and the shared
        strings, which are known once every sheet is built."""
        if not self.sheets:
            raise ValueError("a workbook needs at least one sheet")
        styles = _StyleTable()
        strings = _StringTable()
        yield ("[Content_Types].xml", [self._content_types()])
        yield ("_rels/.rels", [self._root_rels()])
        yield ("docProps/core.xml", [self._core()])
        yield ("docProps/app.xml", [self._app()])
        yield ("xl/workbook.xml", [self._workbook()])
        yield ("xl/_rels/workbook.xml.rels", [self._workbook_rels()])
        for i, sheet in enumerate(self.sheets):
            yield (f"xl/worksheets/sheet{i + 1}.xml", _sheet_chunks(sheet, styles, strings))
        yield ("xl/styles.xml", [styles.xml(self.font_name)])
        yield ("xl/sharedStrings.xml", [strings.xml()])

    def _content_types(self) -> str:
        sheets = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(len(self.sheets))
        )
        return (
            _XML_HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
            f"{sheets}</Types>"
        )

    def _root_rels(self) -> str:
        return (
            _XML_HEAD + f'<Relationships xmlns="{_PKG_REL_NS}">'
            f'<Relationship Id="rId1" Type="{_DOC_REL}/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
            'Target="docProps/core.xml"/>'
            f'<Relationship Id="rId3" Type="{_DOC_REL}/extended-properties" Target="docProps/app.xml"/>'
            "</Relationships>"
        )

    def _core(self) -> str:
        now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        return (
            _XML_HEAD
            + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{_clean(self.title)}</dc:title><dc:creator>{_clean(self.creator)}</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified>'
            "</cp:coreProperties>"
        )

    def _app(self) -> str:
        return (
            _XML_HEAD + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            f"<Application>{_clean(self.creator or 'xlsx')}</Application></Properties>"
        )

    def _workbook(self) -> str:
        sheets = "".join(
            f'<sheet name="{_attr(s.name)}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i, s in enumerate(self.sheets)
        )
        names = []
        for i, sheet in enumerate(self.sheets):
            quoted = "'" + sheet.name.replace("'", "''") + "'"
            if sheet.auto_filter:
                r0, c0, r1, c1 = sheet.auto_filter
                ref = f"{quoted}!{cell_ref(r0, c0, True)}:{cell_ref(r1, c1, True)}"
                names.append(
                    f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">{_clean(ref)}</definedName>'
                )
            if sheet.print_title_rows:
                first, last = sheet.print_title_rows
                names.append(
                    f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">{_clean(f"{quoted}!${first}:${last}")}</definedName>'
                )
        defined = f"<definedNames>{''.join(names)}</definedNames>" if names else ""
        return (
            _XML_HEAD + f'<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">'
            '<bookViews><workbookView activeTab="0"/></bookViews>'
            f"<sheets>{sheets}</sheets>{defined}</workbook>"
        )

    def _workbook_rels(self) -> str:
        n = len(self.sheets)
        rels = [
            f'<Relationship Id="rId{i + 1}" Type="{_DOC_REL}/worksheet" Target="worksheets/sheet{i + 1}.xml"/>'
            for i in range(n)
        ]
        rels.append(f'<Relationship Id="rId{n + 1}" Type="{_DOC_REL}/styles" Target="styles.xml"/>')
        rels.append(f'<Relationship Id="rId{n + 2}" Type="{_DOC_REL}/sharedStrings" Target="sharedStrings.xml"/>')
        return _XML_HEAD + f'<Relationships xmlns="{_PKG_REL_NS}">{"".join(rels)}</Relationships>'


class _StringTable:
    def __init__(self) -> None:
        # a text is numbered as it is first looked up (index[text]), in C where a row's texts are looked up at once
        self.index: defaultdict[str, int] = defaultdict(count().__next__)
        self.count = 0

    def add(self, text: str) -> int:
        self.count += 1
        return self.index[text]

    def xml(self) -> str:
        item = '<si><t xml:space="preserve">{}</t></si>'
        if _NEEDS_CLEANING.search("".join(self.index)) is None:  # as every text is: _clean changes none of them
            items = item.format('</t></si><si><t xml:space="preserve">'.join(self.index)) if self.index else ""
        else:
            items = "".join(item.format(_clean(s)) for s in self.index)
        return _XML_HEAD + f'<sst xmlns="{_MAIN_NS}" count="{self.count}" uniqueCount="{len(self.index)}">{items}</sst>'


class _StyleTable:
    """Collects the distinct styles used and writes them as cellXfs (index 0 is the default)."""

    def __init__(self) -> None:
        self.styles: dict[Style, int] = {DEFAULT_STYLE: 0}

    def add(self, style: Style) -> int:
        return self.styles.setdefault(style, len(self.styles))

    def xml(self, font_name: str) -> str:
        formats: dict[str, int] = {}
        fonts: dict[tuple, int] = {(False, 11.0, None): 0}
        fills: dict[str | None, int] = {None: 0}  # 1 is the mandatory gray125 pattern
        xfs = []
        for style in self.styles:
            fmt = _BUILTIN_FORMATS.get(style.number_format)
            if fmt is None:
                fmt = formats.setdefault(style.number_format, 164 + len(formats))
            font = fonts.setdefault((style.bold, style.size, style.color), len(fonts))
            fill = fills.setdefault(style.fill, len(fills) + 1) if style.fill else 0
            border = 1 if style.border else 0
            align = ""
            if style.align or style.wrap:
                horizontal = f' horizontal="{style.align}"' if style.align else ""
                wrap = ' wrapText="1"' if style.wrap else ""
                align = f'<alignment vertical="center"{horizontal}{wrap}/>'
            flags = "".join(
                f' {name}="1"'
                for name, used in (
                    ("applyNumberFormat", fmt),
                    ("applyFont", font),
                    ("applyFill", fill),
                    ("applyBorder", border),
                    ("applyAlignment", align),
                )
                if used
            )
            xfs.append(
                f'<xf numFmtId="{fmt}" fontId="{font}" fillId="{fill}" borderId="{border}" xfId="0"{flags}>{align}</xf>'
            )
        num_fmts = "".join(f'<numFmt numFmtId="{i}" formatCode="{_attr(code)}"/>' for code, i in formats.items())
        font_xml = "".join(_font_xml(bold, size, color, font_name) for bold, size, color in fonts)
        fill_xml = '<fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
        fill_xml += "".join(
            f'<fill><patternFill patternType="solid"><fgColor rgb="FF{rgb}"/><bgColor indexed="64"/></patternFill></fill>'
            for rgb in fills
            if rgb
        )
        thin = '<{0} style="thin"><color rgb="FF808080"/></{0}>'
        border_xml = (
            "<border><left/><right/><top/><bottom/><diagonal/></border><border>"
            + "".join(thin.format(side) for side in ("left", "right", "top", "bottom"))
            + "<diagonal/></border>"
        )
        return (
            _XML_HEAD
            + f'<styleSheet xmlns="{_MAIN_NS}">'
            + (f'<numFmts count="{len(formats)}">{num_fmts}</numFmts>' if formats else "")
            + f'<fonts count="{len(fonts)}">{font_xml}</fonts>'
            f'<fills count="{len(fills) + 1}">{fill_xml}</fills>'
            f'<borders count="2">{border_xml}</borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>"
        )


def _font_xml(bold: bool, size: float, color: str | None, name: str) -> str:
    weight = "<b/>" if bold else ""
    colour = f'<color rgb="FF{color}"/>' if color else ""
    return f'<font>{weight}<sz val="{size:g}"/>{colour}<name val="{_attr(name)}"/><charset val="134"/></font>'


def _cell_xml(ref: str, value: object, style_id: int, strings: _StringTable) -> str:
    s = f' s="{style_id}"' if style_id else ""
    if value is None:
        return f'<c r="{ref}"{s}/>' if style_id else ""
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        number = float(value)
        if math.isnan(number) or math.isinf(number):
            return f'<c r="{ref}"{s}/>' if style_id else ""  # no number to show; Excel has no NaN
        text = str(value) if isinstance(value, int) else repr(number)
        return f'<c r="{ref}"{s}><v>{text}</v></c>'
    return f'<c r="{ref}"{s} t="s"><v>{strings.add(_fit_cell(str(value)))}</v></c>'


RowWriter = Callable[[int, str, Sequence, list[int]], str]


def _row_plan(
    rendering: list[tuple[str, str, int]], kinds: tuple[type, ...]
) -> tuple[RowWriter, Callable[[Sequence], tuple] | None] | None:
    """A table row's writer: a function of the row number, its height attribute, its values and the
    index in the shared strings of each of its texts (in their order) that writes what _cell_xml
    writes cell by cell, made once per row of these styles and kinds of value as one f-string (the
    row number made text once, no format string parsed per row); and what picks the row's texts
    from its values (None: it holds none). None for a row holding other kinds of value."""
    fixed = ['<row r="', '"', ">"]  # the text the writer adds to the values
    pieces = ['<row r="{r}"{ht}>']
    text_at: list[int] = []
    for i, ((letter, s, sid), kind) in enumerate(zip(rendering, kinds)):
        if kind is str:
            value, s = "{t[" + str(len(text_at)) + "]}", s + ' t="s"'
            text_at.append(i)
        elif kind is float:
            value = "{v[" + str(i) + "]!r}"
        elif kind is int:
            value = "{v[" + str(i) + "]}"
        elif kind is type(None):
            if sid:
                pieces.append('<c r="' + letter + '{r}"' + s + "/>")
                fixed += ['<c r="' + letter, '"' + s + "/>"]
            continue
        else:
            return None
        pieces.append('<c r="' + letter + '{r}"' + s + "><v>" + value + "</v></c>")
        fixed += ['<c r="' + letter, '"' + s + "><v>", "</v></c>"]
    pieces.append("</row>")
    fixed.append("</row>")
    constant = "".join(fixed)
    # an n in what it writes comes from a value (nan, inf: no number to show, see _sheet_xml); the
    # fixed text is XML of letters, digits and quotes only, so it reads the same inside an f-string
    if "n" in constant or any(c in constant for c in "{}\\'\n"):
        return None
    namespace: dict = {}
    exec("def write(r, ht, v, t):\n    r = str(r)\n    return f'" + "".join(pieces) + "'\n", namespace)
    if len(text_at) > 1:
        return namespace["write"], itemgetter(*text_at)
    return namespace["write"], (lambda values, at=text_at[0]: (values[at],)) if text_at else None


def _table_cells(first_col: int, values: Sequence, styles: Sequence[Style | None]) -> dict[int, tuple[object, Style]]:
    return {first_col + i: (value, styles[i] or DEFAULT_STYLE) for i, value in enumerate(values)}


_SHORT_CELL = MAX_CELL_UNITS // 2  # a text this long or shorter fits in a cell whatever its characters


def _fit_cell(text: str) -> str:
    """Excel refuses a workbook with a cell over 32 767 characters (UTF-16 units): cut, and say so."""
    if len(text) <= _SHORT_CELL:
        return text
    units = text.encode("utf-16-le")
    if len(units) <= 2 * MAX_CELL_UNITS:
        return text
    return units[: 2 * (MAX_CELL_UNITS - 1)].decode("utf-16-le", errors="ignore") + "…"


def _whole_tables(sheet: Sheet, taken: set[int]) -> list[int]:
    """The indexes of the sheet's tables none of whose rows is empty or is another table's or in
    `taken` (rows of set() cells, rows with a height of their own)."""
    spans = [(first, first + len(table)) for first, _c0, table, _styles in sheet.blocks]
    return [
        k
        for k, (first, end) in enumerate(spans)
        if first < end
        and min(map(len, sheet.blocks[k][2])) > 0
        and not any(first <= r < end for r in taken)
        and not any(
            j != k and other_first < end and first < other_end for j, (other_first, other_end) in enumerate(spans)
        )
    ]


def _write(entry: Future, chunk: str) -> None:
    entry.result().write(chunk.encode())


def _close(entry: Future) -> None:
    entry.result().close()


def _entry_info(name: str, archive: zipfile.ZipFile) -> zipfile.ZipInfo:
    """The entry ZipFile.writestr would make for a part (its time now, its compression the archive's)."""
    info = zipfile.ZipInfo(name, date_time=time.localtime(time.time())[:6])
    info.compress_type = archive.compression
    # the level's attribute: compress_level from Python 3.13 on, _compresslevel (writestr's own) before
    setattr(info, "compress_level" if hasattr(info, "compress_level") else "_compresslevel", archive.compresslevel)
    info.external_attr = 0o600 << 16
    return info


_CHUNK_ROWS = 4096  # a sheet's rows handed to the compressing thread at a time


def _sheet_xml(sheet: Sheet, styles: _StyleTable, strings: _StringTable) -> str:
    return "".join(_sheet_chunks(sheet, styles, strings))


def _sheet_chunks(sheet: Sheet, styles: _StyleTable, strings: _StringTable) -> Iterator[str]:
    """The sheet's XML, in pieces of about _CHUNK_ROWS rows."""
    rows: dict[int, list[tuple[int, object, Style]]] = {}
    for (r, c), (value, style) in sheet.cells.items():
        rows.setdefault(r, []).append((c, value, style))
    # a table whose rows no set() cell, other table or height shares is written a row after another;
    # the other tables' rows one at a time, and one that shares a row with set() cells or another
    # table is merged cell by cell (the later table over the earlier, set() over both) and written
    # as set() cells are
    whole = _whole_tables(sheet, set(rows) | set(sheet.row_heights))
    listed: dict[int, tuple] = {}
    shared: dict[int, dict[int, tuple[object, Style]]] = {}
    max_row, max_col = 1, 1
    for k in whole:
        first_row, c0, table, _styles = sheet.blocks[k]
        max_row, max_col = max(max_row, first_row + len(table) - 1), max(max_col, c0 + max(map(len, table)) - 1)
    for r, c0, values, row_styles in sheet._block_rows(skip=whole):
        max_row, max_col = max(max_row, r), max(max_col, c0 + len(values) - 1)
        if r in rows or r in listed or r in shared:
            merged = shared.setdefault(r, {})
            if r in listed:
                merged.update(_table_cells(*listed.pop(r)))
            merged.update(_table_cells(c0, values, row_styles))
        else:
            listed[r] = (c0, values, row_styles)
    for r, merged in shared.items():
        merged.update({c: (value, style) for c, value, style in rows.get(r, [])})
        rows[r] = [(c, value, style) for c, (value, style) in merged.items()]
    for r, c in sheet.cells:
        max_row, max_col = max(max_row, r), max(max_col, c)
    parts = [_XML_HEAD, f'<worksheet xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">']
    parts.append('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>')
    parts.append(f'<dimension ref="A1:{cell_ref(max_row, max_col)}"/>')
    if sheet.freeze_rows:
        top = cell_ref(sheet.freeze_rows + 1, 1)
        parts.append(
            '<sheetViews><sheetView workbookViewId="0">'
            f'<pane ySplit="{sheet.freeze_rows}" topLeftCell="{top}" activePane="bottomLeft" state="frozen"/>'
            f'<selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/></sheetView></sheetViews>'
        )
    else:
        parts.append('<sheetViews><sheetView workbookViewId="0"/></sheetViews>')
    parts.append('<sheetFormatPr defaultRowHeight="15"/>')
    if sheet.column_widths:
        cols = "".join(
            f'<col min="{c}" max="{c}" width="{w:g}" customWidth="1"/>' for c, w in sorted(sheet.column_widths.items())
        )
        parts.append(f"<cols>{cols}</cols>")
    parts.append("<sheetData>")
    letters = [column_letter(c) for c in range(max_col + 1)]  # once per column, not per cell
    style_ids: dict[int, int] = {}  # by the Style object: a sheet shares a few among all its cells

    def style_id(style: Style) -> int:
        found = style_ids.get(id(style))
        if found is None:
            found = style_ids[id(style)] = styles.add(style)
        return found

    # a table row's styles -> its cells' (letter, s="..", id); its writer by its styles and its values' types
    renderings: dict[tuple, list[tuple[str, str, int]]] = {}
    plans: dict[tuple, tuple | None] = {}
    index = strings.index
    number_of = index.__getitem__
    texts = 0
    isfinite = math.isfinite

    def rendering_of(row_styles: Sequence[Style | None], c0: int, width: int) -> list[tuple[str, str, int]]:
        key = (id(row_styles), c0, width)  # the styles' list lives as long as the sheet: its id stays its own
        found = renderings.get(key)
        if found is None:
            ids = [style_id(row_styles[i] or DEFAULT_STYLE) for i in range(width)]
            found = renderings[key] = [
                (letters[c0 + i], f' s="{sid}"' if sid else "", sid) for i, sid in enumerate(ids)
            ]
        return found

    def table_rows(first: int, ht: str, c0: int, table: Sequence, table_styles: Sequence) -> Iterator[str]:
        """The rows of a table from row `first` on (all of height attribute `ht`) into parts, each in
        one call of its writer; the XML so far yielded every _CHUNK_ROWS rows."""
        nonlocal texts
        for r, values, row_styles in zip(count(first), table, table_styles):
            kinds = tuple(map(type, values))
            key = (id(row_styles), c0, kinds)
            plan = plans.get(key)
            if plan is None and key not in plans:
                plan = plans[key] = _row_plan(rendering_of(row_styles, c0, len(values)), kinds)
            if plan is not None:
                write, pick = plan
                if pick is None:
                    numbers = []
                else:
                    cell_texts = pick(values)
                    if max(map(len, cell_texts)) > _SHORT_CELL:
                        cell_texts = tuple(map(_fit_cell, cell_texts))
                    numbers = list(map(number_of, cell_texts))  # numbered as met: the same again below
                row_xml = write(r, ht, values, numbers)
                if "n" not in row_xml:  # only a float that is not finite writes an n (nan, inf): no number to show
                    texts += len(numbers)
                    parts.append(row_xml)
                    if len(parts) >= _CHUNK_ROWS:
                        yield "".join(parts)
                        parts.clear()
                    continue
            # _cell_xml's text for each cell, inline: one pass over the row, its styles' ids looked up once
            out = []
            for (letter, s, sid), value in zip(rendering_of(row_styles, c0, len(values)), values):
                kind = type(value)
                if kind is str:
                    if len(value) > _SHORT_CELL:
                        value = _fit_cell(value)
                    n = index[value]
                    texts += 1
                    out.append(f'<c r="{letter}{r}"{s} t="s"><v>{n}</v></c>')
                elif kind is float:
                    if isfinite(value):
                        out.append(f'<c r="{letter}{r}"{s}><v>{value!r}</v></c>')
                    elif sid:
                        out.append(f'<c r="{letter}{r}"{s}/>')
                elif kind is int:
                    out.append(f'<c r="{letter}{r}"{s}><v>{value}</v></c>')
                elif value is None:
                    if sid:
                        out.append(f'<c r="{letter}{r}"{s}/>')
                else:
                    out.append(_cell_xml(f"{letter}{r}", value, sid, strings))
            parts.append(f'<row r="{r}"{ht}>{"".join(out)}</row>')

    single = sorted(set(rows) | set(sheet.row_heights) | set(listed))
    for r, k in sorted([(r, -1) for r in single] + [(sheet.blocks[k][0], k) for k in whole]):
        if k >= 0:  # a whole table, from its first row r on: no heights among its rows
            _first, c0, table, table_styles = sheet.blocks[k]
            yield from table_rows(r, "", c0, table, table_styles)
            continue
        height = sheet.row_heights.get(r)
        ht = f' ht="{height:g}" customHeight="1"' if height else ""
        listed_row = listed.get(r)
        if listed_row is not None:
            c0, values, row_styles = listed_row
            yield from table_rows(r, ht, c0, (values,), (row_styles,))
            continue
        cells = "".join(
            _cell_xml(f"{letters[c]}{r}", value, style_id(style), strings)
            for c, value, style in sorted(rows.get(r, []), key=lambda t: t[0])
        )
        parts.append(f'<row r="{r}"{ht}>{cells}</row>')
    strings.count += texts
    parts.append("</sheetData>")
    if sheet.auto_filter:
        r0, c0, r1, c1 = sheet.auto_filter
        parts.append(f'<autoFilter ref="{cell_ref(r0, c0)}:{cell_ref(r1, c1)}"/>')
    if sheet.merges:
        merged = "".join(f'<mergeCell ref="{cell_ref(a, b)}:{cell_ref(c, d)}"/>' for a, b, c, d in sheet.merges)  # type: ignore[assignment]
        parts.append(f'<mergeCells count="{len(sheet.merges)}">{merged}</mergeCells>')
    parts.append('<pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>')
    orientation = "landscape" if sheet.landscape else "portrait"
    parts.append(f'<pageSetup paperSize="9" orientation="{orientation}" fitToWidth="1" fitToHeight="0"/>')
    parts.append("</worksheet>")
    yield "".join(parts)
