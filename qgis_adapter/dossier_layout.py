"""The accountability dossier's addition to the 验收图 layout (map_layout.py, the export_maps template):
the photo boxes give way to the patch's history table (applications, verifications, marks), an
attribute table over a memory layer filtered to the atlas page, so its text stays searchable."""

from __future__ import annotations

from qgis.core import (
    QgsFeature,
    QgsField,
    QgsLayoutFrame,
    QgsLayoutItemAttributeTable,
    QgsLayoutItemLabel,
    QgsLayoutSize,
    QgsLayoutTable,
    QgsLayoutTableColumn,
    QgsLayoutTableStyle,
    QgsUnitTypes,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor

from ..core.words import ACCOUNTABILITY_ZH, SHEET_HISTORY
from .bulletin_layout import _format, _place
from .compat import field_type
from .map_layout import PAGE_RULE

HISTORY_ROWS = 9  # lines a page's history box holds; earlier ones are counted and left to the workbook
PHOTO_ITEMS = ("photo1", "photo2", "photo1_caption", "photo2_caption", "photo_note")
HEADING_ITEM = "photos_heading"
BOX = (187.0, 140.5, 100.0, 45.5)  # x, y, width, height (mm): where the template keeps its photos
# (heading, width in mm) of the history table's columns: a time, a run id in one line at 5 pt
COLUMNS = tuple(
    (ACCOUNTABILITY_ZH[key], width)
    for key, width in (
        ("time", 15.5),
        ("event", 8.5),
        ("result", 12.0),
        ("run_id", 21.0),
        ("who_short", 10.5),
        ("note", 32.5),
    )
)
FONT_PT = 5.0
# The figures table gains the application and the three responsibilities: it grows into the legend's
# place, and the legend (two entries) takes one line under it.
FIGURES_SIZE = (99.6, 82.5)
LEGEND_BOX = (187.0, 121.5, 100.0, 13.0)
NOTE_CHARS = 40


def history_layer(pages: list[list[list[str]]], earlier_text) -> QgsVectorLayer:
    """pages[i]: the history lines (6 texts each) of page i + 1; the last HISTORY_ROWS are kept, the
    first line then says how many earlier ones the workbook holds (earlier_text(count))."""
    layer = QgsVectorLayer("None", SHEET_HISTORY, "memory")
    provider = layer.dataProvider()
    provider.addAttributes(
        [QgsField("page", field_type("int"))] + [QgsField(f"c{i}", field_type("text")) for i in range(len(COLUMNS))]
    )
    layer.updateFields()
    features = []
    for number, lines in enumerate(pages, start=1):
        shown = lines
        if len(lines) > HISTORY_ROWS:
            hidden = len(lines) - (HISTORY_ROWS - 1)
            shown = [["", "", "", "", "", earlier_text(hidden)], *lines[-(HISTORY_ROWS - 1) :]]
        if not shown:
            shown = [["", "", "", "", "", ACCOUNTABILITY_ZH["no_history_page"]]]
        for line in shown:
            feature = QgsFeature(layer.fields())
            note = line[5] if len(line[5]) <= NOTE_CHARS else line[5][: NOTE_CHARS - 1] + "…"
            feature.setAttributes([number, *line[:5], note])
            features.append(feature)
    provider.addFeatures(features)
    return layer


def add_history(layout, layer: QgsVectorLayer, heading: str) -> None:
    """The history table in the photos' place (the dossier has no photos), under the heading; the
    figures table taller, the legend shorter."""
    figures = layout.itemById("figures")
    if figures is not None:
        figures.attemptResize(QgsLayoutSize(*FIGURES_SIZE, QgsUnitTypes.LayoutMillimeters))
    legend = layout.itemById("legend")
    if legend is not None:
        legend.setResizeToContents(False)
        _place(legend, *LEGEND_BOX)
    for item_id in PHOTO_ITEMS:
        found = layout.itemById(item_id)
        if found is not None:
            layout.removeLayoutItem(found)
    title = layout.itemById(HEADING_ITEM)
    if isinstance(title, QgsLayoutItemLabel):
        title.setText(heading)
    table = QgsLayoutItemAttributeTable.create(layout)
    table.setVectorLayer(layer)
    columns = []
    for i, (name, width) in enumerate(COLUMNS):
        column = QgsLayoutTableColumn(name)
        column.setAttribute(f"c{i}")
        column.setWidth(width - 1.0)  # the cell margins come on top
        column.setHAlignment(Qt.AlignLeft)
        columns.append(column)
    table.setColumns(columns)
    table.setFilterFeatures(True)
    table.setFeatureFilter(PAGE_RULE)
    table.setHeaderTextFormat(_format(FONT_PT, True))
    table.setContentTextFormat(_format(FONT_PT))
    table.setHeaderHAlignment(QgsLayoutTable.HeaderCenter)
    table.setWrapBehavior(QgsLayoutTable.WrapText)
    table.setMaximumNumberOfFeatures(HISTORY_ROWS)
    table.setCellMargin(0.5)
    table.setGridStrokeWidth(0.2)
    table.setGridColor(QColor(128, 128, 128))
    header = QgsLayoutTableStyle()
    header.enabled = True
    header.cellBackgroundColor = QColor(221, 235, 247)
    table.setCellStyle(QgsLayoutTable.HeaderRow, header)
    table.setResizeMode(QgsLayoutTable.UseExistingFrames)
    frame = QgsLayoutFrame(layout, table)
    _place(frame, *BOX)
    table.addFrame(frame)
    layout.addMultiFrame(table)
    table.refresh()
