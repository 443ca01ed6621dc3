"""Styles of the result layers (plain .qml files in resources/styles) and the status colours."""

from __future__ import annotations

import os

from qgis.core import QgsCategorizedSymbolRenderer, QgsMapLayer, QgsVectorLayer
from qgis.PyQt.QtGui import QColor

from ..core.definitions import Status
from .i18n import tr

STYLES_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "resources", "styles")
RESULT_QML = os.path.join(STYLES_DIR, "result.qml")
REMNANTS_QML = os.path.join(STYLES_DIR, "remnants.qml")

# The same colours as result.qml, for the table.
STATUS_COLOURS = {Status.PASS.value: "#4caf50", Status.FAIL.value: "#e53935", Status.UNSURVEYED.value: "#9e9e9e"}


def status_colour(status: str) -> QColor:
    return QColor(STATUS_COLOURS.get(status, "#ffffff"))


def status_label(status: str) -> str:
    """Legend words; tr() gives 通过 / 不通过 / 未核查 under the Chinese UI."""
    return {
        Status.PASS.value: tr("Styles", "Pass"),
        Status.FAIL.value: tr("Styles", "Fail"),
        Status.UNSURVEYED.value: tr("Styles", "Unsurveyed"),
    }.get(status, status)


def _load(layer: QgsVectorLayer, path: str) -> bool:
    _message, ok = layer.loadNamedStyle(path, categories=QgsMapLayer.StyleCategory.Symbology)
    return bool(ok)


def style_result_layer(layer: QgsVectorLayer) -> bool:
    ok = _load(layer, RESULT_QML)
    renderer = layer.renderer()
    if isinstance(renderer, QgsCategorizedSymbolRenderer):
        for i, category in enumerate(renderer.categories()):
            renderer.updateCategoryLabel(i, status_label(str(category.value())))
    return ok


def style_remnants_layer(layer: QgsVectorLayer) -> bool:
    return _load(layer, REMNANTS_QML)
