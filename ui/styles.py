"""Styles of the result layers (plain .qml files in resources/styles) and the status colours.

result.qml is rule-based: each patch is filled by its final status (the `final_st` field the dock
fills from the audit log, else `status`), and a disputed, re-opened, overturned or upheld patch gets
an outline of its own on top (the `dispute` field)."""

from __future__ import annotations

import os

from qgis.core import QgsCategorizedSymbolRenderer, QgsMapLayer, QgsRuleBasedRenderer, QgsVectorLayer
from qgis.PyQt.QtGui import QColor

from ..core.definitions import DISPUTE_REOPENED, Mark, Status
from .i18n import tr

STYLES_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "resources", "styles")
RESULT_QML = os.path.join(STYLES_DIR, "result.qml")
REMNANTS_QML = os.path.join(STYLES_DIR, "remnants.qml")

# The same colours as result.qml, for the table.
STATUS_COLOURS = {Status.PASS.value: "#4caf50", Status.FAIL.value: "#e53935", Status.UNSURVEYED.value: "#9e9e9e"}


# The outlines result.qml draws over a patch whose dispute state is set (its rule keys are these
# codes); the table's 争议 column uses them too.
DISPUTE_COLOURS = {
    Mark.DISPUTED.value: "#ff8f00",
    DISPUTE_REOPENED: "#8e24aa",
    Mark.OVERTURNED.value: "#1565c0",
    Mark.UPHELD.value: "#00695c",
}


def status_colour(status: str) -> QColor:
    return QColor(STATUS_COLOURS.get(status, "#ffffff"))


def status_label(status: str) -> str:
    """Legend words; tr() gives 通过 / 不通过 / 未核查 under the Chinese UI."""
    return {
        Status.PASS.value: tr("Styles", "Pass"),
        Status.FAIL.value: tr("Styles", "Fail"),
        Status.UNSURVEYED.value: tr("Styles", "Unsurveyed"),
    }.get(status, status)


def dispute_label(state: str) -> str:
    """Legend words of the dispute outlines; 存疑 / 重新存疑 / 改判 / 维持 under the Chinese UI."""
    return {
        Mark.DISPUTED.value: tr("Styles", "Disputed"),
        DISPUTE_REOPENED: tr("Styles", "Re-opened"),
        Mark.OVERTURNED.value: tr("Styles", "Overturned (filled with the final result)"),
        Mark.UPHELD.value: tr("Styles", "Upheld"),
    }.get(state, state)


def _load(layer: QgsVectorLayer, path: str) -> bool:
    _message, ok = layer.loadNamedStyle(path, categories=QgsMapLayer.StyleCategory.Symbology)
    return bool(ok)


def style_result_layer(layer: QgsVectorLayer) -> bool:
    ok = _load(layer, RESULT_QML)
    renderer = layer.renderer()
    if isinstance(renderer, QgsCategorizedSymbolRenderer):
        for i, category in enumerate(renderer.categories()):
            renderer.updateCategoryLabel(i, status_label(str(category.value())))
    elif isinstance(renderer, QgsRuleBasedRenderer):
        # result.qml's rules: fill by final status (keys pass / fail / unsurveyed), then an outline
        # per dispute state (keys disputed / reopened / overturned / upheld).
        for rule in renderer.rootRule().descendants():
            key = rule.ruleKey()
            if key in STATUS_COLOURS:
                rule.setLabel(status_label(key))
            elif key in DISPUTE_COLOURS:
                rule.setLabel(dispute_label(key))
    return ok


def style_remnants_layer(layer: QgsVectorLayer) -> bool:
    return _load(layer, REMNANTS_QML)
