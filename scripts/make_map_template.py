"""Builds resources/layouts/verification_map.qpt, the print layout of one verification map page.

The .qpt is what ships and what a bureau restyles in QGIS's layout designer; this script only
records how the original was made (run it with the system Python that has PyQGIS:
`QT_QPA_PLATFORM=offscreen /usr/bin/python3 scripts/make_map_template.py`).

The plugin finds items by their ids (map, legend, figures, photo1, photo2; map_before and map_after,
the before/after pair shown in the map's place when @dv_before_after is 1); the texts read the
atlas fields and variables listed in the README, so moving, resizing and restyling items is safe.
"""

from __future__ import annotations

import importlib.util
import os
import sys

from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsLayoutFrame,
    QgsLayoutItem,
    QgsLayoutItemAttributeTable,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemPage,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsLayoutMeasurement,
    QgsLayoutObject,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsLayoutTable,
    QgsLayoutTableColumn,
    QgsLayoutTableStyle,
    QgsLegendStyle,
    QgsPrintLayout,
    QgsProject,
    QgsProperty,
    QgsReadWriteContext,
    QgsRectangle,
    QgsScaleBarSettings,
    QgsTextFormat,
    QgsUnitTypes,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor, QFont

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_spec = importlib.util.spec_from_file_location("definitions", os.path.join(ROOT, "core", "definitions.py"))
definitions = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(definitions)  # the plugin's own names, without importing the plugin
TARGET = os.path.join(ROOT, *definitions.MAP_TEMPLATE)
FONT = definitions.MAP_TEMPLATE_FONT  # why this font: core/definitions.py
MM = QgsUnitTypes.LayoutMillimeters
GREY = QColor(90, 90, 90)


def font(size: float, bold: bool = False) -> QFont:
    f = QFont(FONT)
    f.setPointSizeF(size)
    f.setBold(bold)
    return f


def text_format(size: float, bold: bool = False, color: QColor | None = None) -> QgsTextFormat:
    fmt = QgsTextFormat()
    fmt.setFont(font(size, bold))
    fmt.setSize(size)
    fmt.setSizeUnit(QgsUnitTypes.RenderPoints)
    fmt.setColor(color or QColor(0, 0, 0))
    return fmt


def place(item: QgsLayoutItem, x: float, y: float, w: float, h: float, item_id: str) -> None:
    item.attemptMove(QgsLayoutPoint(x, y, MM))
    item.attemptResize(QgsLayoutSize(w, h, MM))
    item.setId(item_id)


def label(layout, item_id, text, x, y, w, h, size, bold=False, align=Qt.AlignLeft, color=None, frame=False):
    item = QgsLayoutItemLabel(layout)
    item.setText(text)
    item.setFont(font(size, bold))
    item.setFontColor(color or QColor(0, 0, 0))
    item.setHAlign(align)
    item.setVAlign(Qt.AlignVCenter)
    item.setMarginX(1.0)
    item.setMarginY(0.5)
    item.setFrameEnabled(frame)
    layout.addLayoutItem(item)
    place(item, x, y, w, h, item_id)
    return item


def scale_bar(layout, linked: QgsLayoutItemMap, item_id: str, x: float, excluded: str) -> QgsLayoutItemScaleBar:
    bar = QgsLayoutItemScaleBar(layout)
    bar.setStyle("Single Box")
    bar.setLinkedMap(linked)
    bar.setUnits(QgsUnitTypes.DistanceMeters)
    bar.setUnitLabel("米")
    bar.setNumberOfSegments(2)
    bar.setNumberOfSegmentsLeft(0)
    bar.setSegmentSizeMode(QgsScaleBarSettings.SegmentSizeFitWidth)
    bar.setMinimumBarWidth(25)
    bar.setMaximumBarWidth(45)
    bar.setHeight(2)
    bar.setTextFormat(text_format(8))
    bar.setBackgroundEnabled(True)
    bar.setBackgroundColor(QColor(255, 255, 255, 220))
    bar.setBoxContentSpace(1.5)
    bar.setReferencePoint(QgsLayoutItem.LowerLeft)
    layout.addLayoutItem(bar)
    bar.resizeToMinimumWidth()
    bar.attemptMove(QgsLayoutPoint(x, 180, MM))
    bar.setId(item_id)
    bar.dataDefinedProperties().setProperty(QgsLayoutObject.ExcludeFromExports, QgsProperty.fromExpression(excluded))
    return bar


def build() -> QgsPrintLayout:
    project = QgsProject()
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    layout.setName("拆除核查验收图")
    page = layout.pageCollection().page(0)
    page.setPageSize("A4", QgsLayoutItemPage.Landscape)

    # -- title band ---------------------------------------------------------------------------------
    label(layout, "title", "[% @dv_title %]", 10, 5, 277, 11, 20, True, Qt.AlignHCenter)
    label(
        layout, "subtitle", '[% "township" %]　　图斑编号：[% "patch_id" %]', 10, 16, 277, 8, 13, False, Qt.AlignHCenter
    )
    # result_zh: the final status, with the review beside it (通过（改判；原计算：不通过）, 不通过（存疑）)
    badge = label(
        layout, "status_badge", '核查结果：[% "result_zh" %]', 187, 26, 100, 10, 13, True, Qt.AlignHCenter, frame=True
    )
    badge.setBackgroundEnabled(True)
    badge.setFrameStrokeWidth(QgsLayoutMeasurement(0.5, MM))
    colour = (
        "CASE WHEN coalesce(\"final_status\", \"status\") = 'pass' THEN '#c6efce' "
        "WHEN coalesce(\"final_status\", \"status\") = 'fail' THEN '#ffc7ce' ELSE '#ffeb9c' END"
    )
    badge.dataDefinedProperties().setProperty(QgsLayoutObject.BackgroundColor, QgsProperty.fromExpression(colour))

    # -- the map --------------------------------------------------------------------------------------
    map_item = QgsLayoutItemMap(layout)
    map_item.setFrameEnabled(True)
    map_item.setFrameStrokeWidth(QgsLayoutMeasurement(0.4, MM))
    map_item.setBackgroundColor(QColor(255, 255, 255))
    map_item.setAtlasDriven(True)
    map_item.setAtlasScalingMode(QgsLayoutItemMap.Auto)
    map_item.setAtlasMargin(1.5)  # the patch spans about a quarter of the map: its surroundings show
    map_item.setKeepLayerSet(True)
    layout.addLayoutItem(map_item)
    place(map_item, 10, 26, 172, 156, "map")
    map_item.setCrs(QgsCoordinateReferenceSystem("EPSG:4526"))  # any metric CRS and extent, so the scale
    map_item.setExtent(QgsRectangle(38560000, 4052000, 38560172, 4052156))  # bar can size itself

    # Before/after (BEFORE_BASEMAP given, @dv_before_after = 1): two frames side by side in the
    # single map's place, each with its raster and caption; otherwise they are left out of the page.
    pair_only = QgsProperty.fromExpression("coalesce(@dv_before_after, 0) = 0")
    map_item.dataDefinedProperties().setProperty(
        QgsLayoutObject.ExcludeFromExports, QgsProperty.fromExpression("coalesce(@dv_before_after, 0) = 1")
    )
    for item_id, x, caption in (
        ("map_before", 10, "拆除前[% @dv_before_name %]"),
        ("map_after", 96.5, "拆除后[% @dv_after_name %]"),
    ):
        half = QgsLayoutItemMap(layout)
        half.setFrameEnabled(True)
        half.setFrameStrokeWidth(QgsLayoutMeasurement(0.4, MM))
        half.setBackgroundColor(QColor(255, 255, 255))
        half.setAtlasDriven(True)
        half.setAtlasScalingMode(QgsLayoutItemMap.Auto)
        half.setAtlasMargin(0.6)  # a narrower frame: the patch a little larger in it
        half.setKeepLayerSet(True)
        half.dataDefinedProperties().setProperty(QgsLayoutObject.ExcludeFromExports, pair_only)
        layout.addLayoutItem(half)
        place(half, x, 32, 85.5, 150, item_id)
        half.setCrs(QgsCoordinateReferenceSystem("EPSG:4526"))
        half.setExtent(QgsRectangle(38560000, 4052000, 38560085.5, 4052150))
        title = label(layout, f"{item_id}_caption", caption, x, 26, 85.5, 6, 10, True, Qt.AlignHCenter)
        title.dataDefinedProperties().setProperty(QgsLayoutObject.ExcludeFromExports, pair_only)

    north = QgsLayoutItemPicture(layout)
    north.setPicturePath(os.path.join(QgsApplication.svgPaths()[0], "arrows", "NorthArrow_02.svg"))
    north.setLinkedMap(map_item)
    north.setBackgroundEnabled(True)
    north.setBackgroundColor(QColor(255, 255, 255, 200))
    layout.addLayoutItem(north)
    place(north, 167, 28, 13, 17, "north_arrow")

    scale_bar(layout, map_item, "scalebar", 12, "coalesce(@dv_before_after, 0) = 1")
    after = layout.itemById("map_after")
    scale_bar(layout, after, "scalebar_after", 98.5, "coalesce(@dv_before_after, 0) = 0")  # the pair's

    # -- right panel: status, figures, legend, photos ---------------------------------------------------------
    table = QgsLayoutItemAttributeTable.create(layout)
    columns = []
    for attribute, heading, width in (("item", "项目", 33), ("value", "数值", 62)):
        column = QgsLayoutTableColumn(heading)
        column.setAttribute(attribute)
        column.setWidth(width)
        column.setHAlignment(Qt.AlignLeft)
        columns.append(column)
    table.setColumns(columns)
    table.setHeaderTextFormat(text_format(9, True))
    table.setContentTextFormat(text_format(9))
    table.setHeaderHAlignment(QgsLayoutTable.FollowColumn)
    table.setFilterFeatures(True)
    table.setFeatureFilter("\"page\" = attribute(@atlas_feature, 'page')")
    table.setMaximumNumberOfFeatures(40)
    table.setWrapBehavior(QgsLayoutTable.WrapText)
    table.setCellMargin(1.0)
    table.setGridStrokeWidth(0.2)
    table.setGridColor(QColor(128, 128, 128))
    table.setResizeMode(QgsLayoutTable.UseExistingFrames)
    header = QgsLayoutTableStyle()
    header.enabled = True
    header.cellBackgroundColor = QColor(221, 235, 247)
    table.setCellStyle(QgsLayoutTable.HeaderRow, header)
    first = QgsLayoutTableStyle()
    first.enabled = True
    first.cellBackgroundColor = QColor(242, 242, 242)
    table.setCellStyle(QgsLayoutTable.FirstColumn, first)
    frame = QgsLayoutFrame(layout, table)
    place(frame, 187, 38, 100, 70, "figures")
    table.addFrame(frame)
    layout.addMultiFrame(table)

    legend = QgsLayoutItemLegend(layout)
    legend.setTitle("图例")
    legend.setLinkedMap(map_item)
    legend.setAutoUpdateModel(False)
    legend.setColumnCount(2)
    legend.setResizeToContents(False)
    legend.setStyleFont(QgsLegendStyle.Title, font(10, True))
    legend.setStyleFont(QgsLegendStyle.Subgroup, font(9))
    legend.setStyleFont(QgsLegendStyle.SymbolLabel, font(9))
    legend.setStyleMargin(QgsLegendStyle.Title, QgsLegendStyle.Bottom, 1.5)
    legend.setStyleMargin(QgsLegendStyle.Symbol, QgsLegendStyle.Top, 1.5)
    legend.setBoxSpace(2)
    legend.setSymbolWidth(8)
    legend.setSymbolHeight(4)
    legend.setFrameEnabled(True)
    legend.setFrameStrokeWidth(QgsLayoutMeasurement(0.2, MM))
    layout.addLayoutItem(legend)
    place(legend, 187, 110, 100, 24, "legend")

    label(layout, "photos_heading", "现场照片", 187, 135, 100, 5, 10, True)
    for n, x in ((1, 187), (2, 238)):
        picture = QgsLayoutItemPicture(layout)
        picture.setResizeMode(QgsLayoutItemPicture.Zoom)
        picture.setPictureAnchor(QgsLayoutItem.Middle)
        picture.setFrameEnabled(True)
        props = picture.dataDefinedProperties()
        # Read from the atlas feature, '' when none: "photo_1" alone is an eval error (logged as
        # "Picture expression eval error") whenever QGIS refreshes the picture outside a page.
        source = f"coalesce(attribute(@atlas_feature, 'photo_{n}'), '')"
        props.setProperty(QgsLayoutObject.PictureSource, QgsProperty.fromExpression(source))
        props.setProperty(
            QgsLayoutObject.ExcludeFromExports, QgsProperty.fromExpression(f"coalesce(\"photo_{n}\", '') = ''")
        )
        layout.addLayoutItem(picture)
        place(picture, x, 140, 49, 34, f"photo{n}")
        caption = label(layout, f"photo{n}_caption", f'[% "photo_{n}_cap" %]', x, 174.5, 49, 8, 7, color=GREY)
        caption.setVAlign(Qt.AlignTop)
    note = label(layout, "photo_note", '[% "photo_note" %]', 187, 140, 100, 34, 9, align=Qt.AlignHCenter, color=GREY)
    note.setVAlign(Qt.AlignVCenter)

    # -- bottom band: the run (with the audit log's head hashes under it, when given), and the signatures --
    # @dv_audit is '' or one or two lines, each after a line break: the band holds up to four lines.
    info = (
        '核查时间：[% "checked_txt" %]　运行编号：[% "run_id" %]　'
        "出图时间：[% format_date(now(), 'yyyy-MM-dd HH:mm') %]　"
        "第 [% @atlas_featurenumber %] / [% @atlas_totalfeatures %] 页[% @dv_audit %]\n"
        "坐标系：[% @dv_crs %]　比例尺 1:[% format_number(map_get(item_variables("
        ""
        "if(coalesce(@dv_before_after, 0) = 1, 'map_after', 'map')), 'map_scale'), 0) %]"
        "[% @dv_basemap %]"
    )
    run = label(layout, "run_info", info, 10, 183.5, 172, 21, 8, color=GREY)
    run.setVAlign(Qt.AlignTop)
    signatures = (
        "核查人（签字）：________________　日期：____________\n\n审核人（签字）：________________　日期：____________"
    )
    sign = label(layout, "signatures", signatures, 187, 187, 100, 17, 10)
    sign.setVAlign(Qt.AlignVCenter)

    atlas = layout.atlas()
    atlas.setEnabled(True)
    atlas.setPageNameExpression('"patch_id"')
    atlas.setSortFeatures(True)
    atlas.setSortExpression('"page"')
    atlas.setFilenameExpression("'验收图_' || \"patch_id\"")
    return layout


def main() -> int:
    app = QgsApplication([], False)
    app.initQgis()
    layout = build()
    os.makedirs(os.path.dirname(TARGET), exist_ok=True)
    ok = layout.saveAsTemplate(TARGET, QgsReadWriteContext())
    print(TARGET if ok else "failed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
