"""The bulletin's one A4 page as a QGIS print layout: title, moments and deadlines, the township table
(an attribute table over a memory layer, so every name stays searchable text in the PDF), the chart
picture, the totals and the log's head hash; exported as map_layout.py exports the maps."""

from __future__ import annotations

import os

from qgis.core import (
    QgsFeature,
    QgsField,
    QgsLayoutExporter,
    QgsLayoutFrame,
    QgsLayoutItemAttributeTable,
    QgsLayoutItemLabel,
    QgsLayoutItemPicture,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsLayoutTable,
    QgsLayoutTableColumn,
    QgsLayoutTableStyle,
    QgsPrintLayout,
    QgsProject,
    QgsTextFormat,
    QgsUnitTypes,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor, QFont

from ..core.messages import Refusal
from ..core.words import BULLETIN_ZH, PRODUCT_NAME
from ..formats.atomic import atomic_write
from ..formats.bulletin_files import COLUMNS, head_line, heading_lines, printed, title, total_line
from ..formats.pdf_check import pdf_page_count
from ..formats.pdf_text import fix_cjk_text
from .compat import field_type
from .map_layout import _always_text, cjk_family

MM = QgsUnitTypes.LayoutMillimeters
PAGE_W, PAGE_H, MARGIN = 210.0, 297.0, 10.0
# column widths in mm (the table spans the page between the margins)
WIDTHS = {"rank": 8, "township": 20, "patches": 10, "task_mu": 13, "applied": 9, "pending": 9, "passed": 9,
          "failed": 10, "unsurveyed": 10, "passed_mu": 13, "done_area": 12, "done_count": 12, "change": 10,
          "new_passed": 11, "new_pass_mu": 12, "gap_mu": 12}  # fmt: skip


def _font(size: float, bold: bool = False) -> QFont:
    font = QFont(cjk_family() or "")
    font.setPointSizeF(size)
    font.setBold(bold)
    return font


def _format(size: float, bold: bool = False) -> QgsTextFormat:
    text = QgsTextFormat()
    text.setFont(_font(size, bold))
    text.setSize(size)
    text.setSizeUnit(QgsUnitTypes.RenderPoints)
    text.setColor(QColor(0, 0, 0))
    return text


def _place(item, x: float, y: float, w: float, h: float) -> None:
    item.attemptMove(QgsLayoutPoint(x, y, MM))
    item.attemptResize(QgsLayoutSize(w, h, MM))


def _label(layout, text: str, y: float, h: float, size: float, bold=False, align=Qt.AlignLeft) -> QgsLayoutItemLabel:
    item = QgsLayoutItemLabel(layout)
    item.setText(text)
    item.setFont(_font(size, bold))
    item.setHAlign(align)
    item.setVAlign(Qt.AlignVCenter)
    layout.addLayoutItem(item)
    _place(item, MARGIN, y, PAGE_W - 2 * MARGIN, h)
    return item


def _table_layer(rows: list[list[str]]) -> QgsVectorLayer:
    layer = QgsVectorLayer("None", "bulletin", "memory")
    provider = layer.dataProvider()
    provider.addAttributes([QgsField(f"c{i}", field_type("text")) for i in range(len(COLUMNS))])
    layer.updateFields()
    features = []
    for row in rows:
        feature = QgsFeature(layer.fields())
        feature.setAttributes(row)
        features.append(feature)
    provider.addFeatures(features)
    return layer


def write_bulletin_pdf(bulletin, path: str, chart_png: str | None, generated_at: str, chart_note: str = "") -> None:
    project = QgsProject()
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    page = layout.pageCollection().page(0)
    page.setPageSize(QgsLayoutSize(PAGE_W, PAGE_H, MM))
    y = MARGIN
    _label(layout, title(bulletin), y, 10, 15, bold=True, align=Qt.AlignHCenter)
    y += 12
    for line in heading_lines(bulletin):
        _label(layout, line, y, 5, 8)
        y += 5.5
    y += 1.5

    layer = _table_layer([printed(row) for row in bulletin.rows])
    table = QgsLayoutItemAttributeTable.create(layout)
    table.setVectorLayer(layer)
    columns = []
    for i, key in enumerate(COLUMNS):
        column = QgsLayoutTableColumn(BULLETIN_ZH[key])
        column.setAttribute(f"c{i}")
        column.setWidth(WIDTHS[key] - 1.2)  # the cell margins come on top
        column.setHAlignment(Qt.AlignLeft if key == "township" else Qt.AlignRight)
        columns.append(column)
    table.setColumns(columns)
    table.setHeaderTextFormat(_format(6, True))
    table.setContentTextFormat(_format(6.5))
    table.setHeaderHAlignment(QgsLayoutTable.HeaderCenter)
    table.setWrapBehavior(QgsLayoutTable.WrapText)
    table.setMaximumNumberOfFeatures(len(bulletin.rows))
    table.setCellMargin(0.6)
    table.setGridStrokeWidth(0.2)
    table.setGridColor(QColor(128, 128, 128))
    header = QgsLayoutTableStyle()
    header.enabled = True
    header.cellBackgroundColor = QColor(221, 235, 247)
    table.setCellStyle(QgsLayoutTable.HeaderRow, header)
    last = QgsLayoutTableStyle()
    last.enabled = True
    last.cellBackgroundColor = QColor(242, 242, 242)
    table.setCellStyle(QgsLayoutTable.LastRow, last)
    table.setResizeMode(QgsLayoutTable.UseExistingFrames)
    table_height = min(6 + 4.2 * len(bulletin.rows), 150)
    frame = QgsLayoutFrame(layout, table)
    _place(frame, MARGIN, y, PAGE_W - 2 * MARGIN, table_height)
    table.addFrame(frame)
    layout.addMultiFrame(table)
    table.refresh()
    y += table_height + 2
    _label(layout, total_line(bulletin), y, 9, 7.5)
    y += 10

    chart_h = 100.0
    if chart_png and os.path.isfile(chart_png):
        picture = QgsLayoutItemPicture(layout)
        picture.setPicturePath(chart_png)
        picture.setResizeMode(QgsLayoutItemPicture.Zoom)
        layout.addLayoutItem(picture)
        _place(picture, MARGIN, y, PAGE_W - 2 * MARGIN, chart_h)
    else:
        _label(layout, chart_note, y, 10, 8)
    bottom = PAGE_H - MARGIN - 12
    _label(layout, head_line(bulletin), bottom, 5, 6.5)
    _label(layout, f"{BULLETIN_ZH['generated_at']} {generated_at}    {PRODUCT_NAME}", bottom + 6, 5, 6.5)

    settings = QgsLayoutExporter.PdfExportSettings()
    settings.dpi = 200
    settings.rasterizeWholeImage = False
    settings.forceVectorOutput = False
    settings.textRenderFormat = _always_text()
    settings.exportMetadata = True
    try:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    except OSError as error:
        raise Refusal("export_failed", path=path, detail=error.strerror or str(error)) from None
    try:
        with atomic_write(path) as temp:
            result = QgsLayoutExporter(layout).exportToPdf(temp, settings)
            if result != QgsLayoutExporter.Success:
                raise Refusal("export_failed", path=path, detail=str(result))
            fix_cjk_text(temp)  # township names searchable as printed, not as look-alike radicals
            found = pdf_page_count(temp)  # what was written, read back: a full disk cuts it short
            if found != 1:
                raise Refusal("pdf_short", path=path, expected=1, found="—" if found is None else found)
    except OSError as error:
        raise Refusal("export_failed", path=path, detail=error.strerror or str(error)) from None
