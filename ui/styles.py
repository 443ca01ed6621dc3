"""Styles of the result layers (plain .qml files in resources/styles) and the status colours.

result.qml is rule-based: each patch is filled by its final status (the `final_st` field the dock
fills from the audit log, else `status`), and a disputed, re-opened, overturned or upheld patch gets
an outline of its own on top (the `dispute` field)."""

from __future__ import annotations

import os

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsFillSymbol,
    QgsLinePatternFillSymbolLayer,
    QgsMapLayer,
    QgsRuleBasedRenderer,
    QgsSimpleLineSymbolLayer,
    QgsVectorLayer,
)
from qgis.PyQt.QtGui import QColor

from ..core.definitions import DISPUTE_REOPENED, Mark, Reason, Status
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


# 复建 (the return visit found it standing again): dark red hatching and a heavy outline over the
# red fill of a failure; in the table the result cell is that colour.
REBUILT_COLOUR = "#7f0000"
REBUILT_KEY = Reason.REBUILT.value
REBUILT_FILTER = "regexp_match(coalesce(\"reasons\", ''), '(^|,)rebuilt(,|$)')"  # inside the 不通过 rule


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
        add_rebuilt_rule(renderer)
    return ok


def add_rebuilt_rule(renderer: QgsRuleBasedRenderer) -> None:
    """The rebuilt patches (reason code `rebuilt`) hatched apart: a rule inside 不通过's (a kind of
    failure; the legend shows it under it), drawn over its fill and under the dispute outlines."""
    failed = next((r for r in renderer.rootRule().children() if r.ruleKey() == Status.FAIL.value), None)
    if failed is None or any(rule.ruleKey() == REBUILT_KEY for rule in failed.children()):
        return
    hatch = QgsLinePatternFillSymbolLayer()
    hatch.setLineAngle(45)
    hatch.setDistance(1.6)
    hatch.setLineWidth(0.45)
    hatch.setColor(QColor(REBUILT_COLOUR))
    outline = QgsSimpleLineSymbolLayer(QColor(REBUILT_COLOUR), 0.9)
    symbol = QgsFillSymbol()
    symbol.changeSymbolLayer(0, hatch)
    symbol.appendSymbolLayer(outline)
    rule = QgsRuleBasedRenderer.Rule(symbol, filterExp=REBUILT_FILTER, label=tr("ReturnVisit", "Rebuilt"))
    rule.setRuleKey(REBUILT_KEY)
    failed.appendChild(rule)


def style_remnants_layer(layer: QgsVectorLayer) -> bool:
    return _load(layer, REMNANTS_QML)
