"""The verification map's print layout: the .qpt template, its layers and styles, and the PDF.

The template (resources/layouts/verification_map.qpt) holds the look; this module only wires the
run's layers into the items the template names: map, legend, figures (the figures table's frame).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from qgis.core import (
    Qgis,
    QgsCoordinateReferenceSystem,
    QgsExpressionContextUtils,
    QgsFillSymbol,
    QgsLayoutExporter,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLegendRenderer,
    QgsLegendStyle,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsPrintLayout,
    QgsProject,
    QgsReadWriteContext,
    QgsRenderContext,
    QgsRuleBasedRenderer,
    QgsSingleSymbolRenderer,
    QgsTextFormat,
    QgsUnitTypes,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtGui import QColor, QFont, QFontDatabase
from qgis.PyQt.QtXml import QDomDocument

from ..core.definitions import CJK_FONT_FAMILIES, MAP_TEMPLATE, MAP_TEMPLATE_FONT
from ..core.messages import Cancelled, Notice, Refusal, os_error
from ..core.words import MAP_LAYER_NAMES
from ..formats.atomic import atomic_write
from ..formats.pdf_check import pdf_page_count
from ..formats.pdf_text import fix_cjk_text

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_TEMPLATE = os.path.join(HERE, *MAP_TEMPLATE)
TEMPLATE_FONT = MAP_TEMPLATE_FONT
PATCH_COLOUR = QColor(227, 26, 28)  # the patch outline; tests look for it on the rendered page
PDF_DPI = 200  # rasters (basemap, photos) at print quality without 300-dpi file sizes
PATCH_RULE = "$id = @atlas_featureid"
PAGE_RULE = "\"page\" = attribute(@atlas_feature, 'page')"
FIGURES_FILTER = PAGE_RULE  # the template's figures table: the rows of the atlas feature's page


def cjk_family(available: set[str] | None = None) -> str | None:
    families = available if available is not None else set(QFontDatabase().families())
    return next((f for f in CJK_FONT_FAMILIES if f in families), None)


def load_layout(project: QgsProject, path: str, notices: list[Notice]) -> QgsPrintLayout:
    """The layout from the template, with the template's font swapped for an installed Chinese one
    where it is missing (an embedded CJK font, never empty boxes)."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as error:
        raise Refusal("template_unreadable", path=path, detail=os_error(error, with_file=False)) from None
    families = set(QFontDatabase().families())
    if TEMPLATE_FONT in text and TEMPLATE_FONT not in families:
        used = cjk_family(families)
        if used is None:
            notices.append(Notice("no_cjk_font", "warning"))
        else:
            text = text.replace(TEMPLATE_FONT, used)
            notices.append(Notice("font_substituted", "info", {"wanted": TEMPLATE_FONT, "used": used}))
    document = QDomDocument()
    parsed = document.setContent(text)
    ok = parsed[0] if isinstance(parsed, tuple) else bool(parsed)
    if not ok:
        detail = parsed[1] if isinstance(parsed, tuple) and len(parsed) > 1 else "XML"
        raise Refusal("template_unreadable", path=path, detail=detail)
    layout = QgsPrintLayout(project)
    _items, loaded = layout.loadFromTemplate(document, QgsReadWriteContext())
    if not loaded:
        raise Refusal("template_unreadable", path=path, detail="QGIS")
    return layout


def template_lacks(path: str, names: tuple[str, ...]) -> list[str]:
    """Those of `names` (fields, @variables) a template never mentions; [] when it cannot be read
    (load_layout refuses it then)."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError:
        return []
    return [name for name in names if name not in text]


def item(layout: QgsPrintLayout, item_id: str, kind: type, path: str, required: bool = True):
    found = layout.itemById(item_id)
    if not isinstance(found, kind):
        if required:
            raise Refusal("template_item_missing", path=path, item=item_id, kind=kind.__name__)
        return None
    return found


# -- styles ---------------------------------------------------------------------------------------
def style_patch(layer: QgsVectorLayer, label: str) -> None:
    """Only the page's own patch is drawn: a thick outline, nothing hidden under a fill."""
    symbol = QgsFillSymbol.createSimple(
        {"color": "0,0,0,0", "outline_color": _rgb(PATCH_COLOUR), "outline_width": "0.8", "joinstyle": "miter"}
    )
    root = QgsRuleBasedRenderer.Rule(None)
    root.appendChild(QgsRuleBasedRenderer.Rule(symbol, filterExp=PATCH_RULE, label=label))
    layer.setRenderer(QgsRuleBasedRenderer(root))


def style_context(layer: QgsVectorLayer) -> None:
    symbol = QgsFillSymbol.createSimple(
        {"color": "0,0,0,0", "outline_color": "100,100,100", "outline_width": "0.3", "outline_style": "dash"}
    )
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))


def style_remnants(layer: QgsVectorLayer) -> None:
    symbol = QgsFillSymbol.createSimple(
        {"color": "255,127,0,190", "outline_color": "140,45,4", "outline_width": "0.25"}
    )
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))


def style_evidence(layer: QgsVectorLayer, label: str) -> None:
    """The page's photos as numbered dots (1, 2) where they were taken."""
    symbol = QgsMarkerSymbol.createSimple(
        {"name": "circle", "color": "31,120,180", "outline_color": "255,255,255", "outline_width": "0.4", "size": "4.2"}
    )
    root = QgsRuleBasedRenderer.Rule(None)
    root.appendChild(QgsRuleBasedRenderer.Rule(symbol, filterExp=PAGE_RULE, label=label))
    layer.setRenderer(QgsRuleBasedRenderer(root))
    settings = QgsPalLayerSettings()
    settings.fieldName = f"if({PAGE_RULE}, to_string(\"n\"), '')"
    settings.isExpression = True
    # QGIS 3.40 wants Qgis.LabelPlacement; 3.22 has only the old enum on QgsPalLayerSettings
    settings.placement = getattr(Qgis, "LabelPlacement", QgsPalLayerSettings).OverPoint
    text = QgsTextFormat()
    font = QFont()
    font.setBold(True)
    text.setFont(font)
    text.setSize(7)
    text.setSizeUnit(QgsUnitTypes.RenderPoints)
    text.setColor(QColor(255, 255, 255))
    settings.setFormat(text)
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)


def style_layers(layers: PageLayers) -> None:
    style_patch(layers.coverage, MAP_LAYER_NAMES["patch"])
    style_context(layers.context)
    if layers.remnants is not None:
        style_remnants(layers.remnants)
    if layers.evidence is not None:
        style_evidence(layers.evidence, MAP_LAYER_NAMES["photos"])


def _rgb(colour: QColor) -> str:
    return f"{colour.red()},{colour.green()},{colour.blue()}"


# -- wiring -----------------------------------------------------------------------------------------
@dataclass
class PageLayers:
    coverage: QgsVectorLayer  # one feature per page, in page order
    figures: QgsVectorLayer  # the figures table rows, keyed by page
    context: QgsVectorLayer  # every patch, for the surroundings
    remnants: QgsVectorLayer | None
    evidence: QgsVectorLayer | None
    basemap: object | None  # QgsRasterLayer
    before: object | None = None  # QgsRasterLayer: the pre-demolition imagery, in its own frame beside the map


def wire(layout: QgsPrintLayout, layers: PageLayers, map_crs: QgsCoordinateReferenceSystem, template: str,
         variables: dict[str, str]) -> None:  # fmt: skip
    for name, value in variables.items():
        QgsExpressionContextUtils.setLayoutVariable(layout, name, value)
    map_item = item(layout, "map", QgsLayoutItemMap, template)
    drawn = [layers.evidence, layers.coverage, layers.remnants, layers.context, layers.basemap]
    map_item.setLayers([layer for layer in drawn if layer is not None])
    map_item.setKeepLayerSet(True)
    map_item.setFollowVisibilityPreset(False)  # a restyled template may follow a theme of its project
    if map_crs.isValid():
        map_item.setCrs(map_crs)
    map_item.setAtlasDriven(True)
    if layers.before is not None:  # before/after: the template shows the pair in the map's place
        pairs = (("map_before", [layers.coverage, layers.context, layers.before]), ("map_after", drawn))
        for item_id, shown in pairs:
            half = item(layout, item_id, QgsLayoutItemMap, template)
            half.setLayers([layer for layer in shown if layer is not None])
            half.setKeepLayerSet(True)
            half.setFollowVisibilityPreset(False)
            if map_crs.isValid():
                half.setCrs(map_crs)
            half.setAtlasDriven(True)

    frame = layout.itemById("figures")
    table = frame.multiFrame() if frame is not None and hasattr(frame, "multiFrame") else None
    if table is None or not hasattr(table, "setVectorLayer"):
        raise Refusal("template_item_missing", path=template, item="figures", kind="QgsLayoutItemAttributeTable")
    columns = table.columns()  # setVectorLayer resets the columns to the layer's fields
    table.setVectorLayer(layers.figures)
    table.setColumns(columns)
    if table.filterFeatures() and table.featureFilter() == FIGURES_FILTER and not table.filterToAtlasFeature():
        # the rows at the page's patch first (each row lies on its page's outline): the same rows, and
        # the filter tests a page's few instead of every page's (which grew with the square of the pages)
        table.setFilterToAtlasFeature(True)
    _fit_rows(table, layers.figures)

    legend = item(layout, "legend", QgsLayoutItemLegend, template, required=False)
    if legend is not None:
        legend.setAutoUpdateModel(False)
        root = legend.model().rootGroup()
        root.removeAllChildren()
        for layer in (layers.coverage, layers.remnants, layers.context, layers.evidence):
            if layer is None:
                continue
            node = root.addLayer(layer)
            if layer in (layers.coverage, layers.evidence):  # the rule's label is the entry
                QgsLegendRenderer.setNodeLegendStyle(node, QgsLegendStyle.Hidden)
        legend.updateLegend()

    atlas = layout.atlas()
    atlas.setCoverageLayer(layers.coverage)
    atlas.setEnabled(True)
    atlas.setHideCoverage(False)
    atlas.setFilterFeatures(False)
    atlas.setSortFeatures(True)
    atlas.setSortAscending(True)
    atlas.setSortExpression('"page"')


BASE_FIGURE_ROWS = 9  # the rows the template's figures frame was drawn for


def _fit_rows(table, figures: QgsVectorLayer) -> None:
    """More rows than the frame was drawn for (the farmland figures): a smaller type, so none is cut off."""
    index = figures.fields().lookupField("row")
    rows = max((f.attributes()[index] for f in figures.getFeatures()), default=0) if index >= 0 else 0
    if rows <= BASE_FIGURE_ROWS:
        return
    scale = max(0.75, BASE_FIGURE_ROWS / rows)
    for getter, setter in (
        (table.contentTextFormat, table.setContentTextFormat),
        (table.headerTextFormat, table.setHeaderTextFormat),
    ):
        text_format = getter()
        text_format.setSize(text_format.size() * scale)
        setter(text_format)
    table.setCellMargin(table.cellMargin() * scale)


def _always_text():
    """Text stays text in the PDF (searchable, selectable): the 3.22 name, or the newer enum."""
    enum = getattr(Qgis, "TextRenderFormat", None)
    return (
        enum.AlwaysText if enum is not None and hasattr(enum, "AlwaysText") else QgsRenderContext.TextFormatAlwaysText
    )


def export_pdf(layout: QgsPrintLayout, path: str, feedback, pages: int | None = None) -> None:
    """The atlas as one PDF, written to a temporary file beside `path` and renamed at the end, once it
    parses to its `pages` pages."""
    settings = QgsLayoutExporter.PdfExportSettings()
    settings.dpi = PDF_DPI
    settings.rasterizeWholeImage = False
    settings.forceVectorOutput = False
    settings.textRenderFormat = _always_text()
    settings.exportMetadata = True
    settings.appendGeoreference = True
    try:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    except OSError as error:
        raise Refusal("export_failed", path=path, detail=os_error(error, with_file=False)) from None
    try:
        with atomic_write(path) as temp:
            result, message = QgsLayoutExporter.exportToPdf(layout.atlas(), temp, settings, feedback)
            if result == QgsLayoutExporter.Canceled or (feedback is not None and feedback.isCanceled()):
                raise Cancelled()
            if result != QgsLayoutExporter.Success:
                raise Refusal("export_failed", path=path, detail=message or str(result))
            fix_cjk_text(temp)  # Chinese searchable as printed, not as look-alike radicals
            # what was written, read back: Qt reports success over a file a full disk cut short
            found = pdf_page_count(temp)
            if pages is not None and found != pages:
                raise Refusal("pdf_check_failed", path=path, expected=pages, found="—" if found is None else found)
    except OSError as error:
        raise Refusal("export_failed", path=path, detail=os_error(error, with_file=False)) from None
