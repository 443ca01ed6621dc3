"""One patch in detail: its figures, each remaining piece with its area, the pieces lit on the map."""

from __future__ import annotations

from html import escape

from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer
from qgis.gui import QgsHighlight, QgsMapCanvas
from qgis.PyQt.QtCore import QDateTime, Qt
from qgis.PyQt.QtGui import QColor
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.definitions import SQUARE_METRES_PER_MU, ResultField
from ..core.engine import Rules
from ..qgis_adapter.compat import right_aligned
from ..qgis_adapter.layers import plain_value
from .i18n import is_chinese, tr
from .results_model import Row, dispute_text, explain_row, method_word, reasons_text, row_of, status_word
from .styles import status_colour

CONTEXT = "PatchDetail"
LAND_CONTEXT = "FarmlandDetail"
# The farmland rows (key, result field): shown only for a result that has the field.
LAND_ROWS = (
    ("farm", ResultField.FARM_M2),
    ("farm_rem", ResultField.FARM_REM),
    ("bfarm", ResultField.BFARM_M2),
    ("bfarm_rem", ResultField.BFARM_REM),
    ("appr", ResultField.APPR_M2),
    ("method", ResultField.METHOD),
)
OUTLINE = QColor(255, 0, 255)  # magenta: the current patch, apart from the status fills and the pieces' cyan
HIGHLIGHT = QColor(0, 229, 255)  # cyan: apart from the status colours, QGIS's yellow selection and imagery


def _num(feature: QgsFeature, name: str) -> float:
    try:
        return float(plain_value(feature[name]) or 0.0)
    except (KeyError, TypeError, ValueError):
        return 0.0


def local_time(value) -> str:
    """checked_at (ISO 8601 with its UTC offset, as verify writes it, or a QDateTime) in the user's
    local time, e.g. 2026-11-26T05:24:37+00:00 -> 2026-11-26 13:24:37 in China; anything else as is."""
    if value is None or value == "":
        return ""
    if isinstance(value, QDateTime):
        moment = value
    else:
        moment = QDateTime.fromString(str(value).strip(), Qt.DateFormat.ISODate)
        if not moment.isValid():
            moment = QDateTime.fromString(str(value).strip(), Qt.DateFormat.ISODateWithMs)
    if not moment.isValid():
        return str(value)
    return moment.toLocalTime().toString("yyyy-MM-dd HH:mm:ss")


class PatchDetail(QWidget):
    def __init__(self, canvas: QgsMapCanvas | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = canvas
        self._highlights: list[QgsHighlight] = []
        self._outline: QgsHighlight | None = None
        self._layer: QgsVectorLayer | None = None
        self.pieces: list[tuple[int, float, QgsGeometry]] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.form = QFormLayout()
        self.form.setVerticalSpacing(2)
        self.values: dict[str, QLabel] = {}
        for key, label in (
            ("patch", tr(CONTEXT, "Patch")),
            ("status", tr(CONTEXT, "Result")),
            ("reasons", tr(CONTEXT, "Reasons")),
            ("why", tr(CONTEXT, "Why")),
            ("note", tr(CONTEXT, "Review note")),
            ("monitor", tr(CONTEXT, "Monitored area")),
            ("geom", tr(CONTEXT, "Patch area")),
            ("remain", tr(CONTEXT, "Remaining")),
            ("largest", tr(CONTEXT, "Largest piece")),
            ("checked", tr(CONTEXT, "Checked at")),
            ("farm", tr(LAND_CONTEXT, "Farmland area")),
            ("farm_rem", tr(LAND_CONTEXT, "Farmland remaining")),
            ("bfarm", tr(LAND_CONTEXT, "Basic farmland area")),
            ("bfarm_rem", tr(LAND_CONTEXT, "Basic farmland remaining")),
            ("appr", tr(LAND_CONTEXT, "Legalised area")),
            ("method", tr(LAND_CONTEXT, "Method")),
        ):
            value = QLabel()
            value.setObjectName(f"detail_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = value
            self.form.addRow(label, value)
        layout.addLayout(self.form)
        self.table = QTableWidget(0, 2)
        self.table.setObjectName("remnantsTable")
        self.table.setHorizontalHeaderLabels([tr(CONTEXT, "Piece"), tr(CONTEXT, "Area (m²)")])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.itemSelectionChanged.connect(self._piece_selected)
        row_height = self.table.fontMetrics().height() + 6
        self.table.verticalHeader().setDefaultSectionSize(row_height)
        self.table.setMinimumHeight(row_height * 3 + 28)
        self.table.setMaximumHeight(row_height * 6 + 28)  # more pieces scroll
        layout.addWidget(self.table)
        self.clear()

    # -- content ----------------------------------------------------------------------------------
    def _show_land_rows(self, layer: QgsVectorLayer | None) -> None:
        for key, name in LAND_ROWS:
            shown = layer is not None and layer.fields().lookupField(name) >= 0
            self.values[key].setVisible(shown)
            label = self.form.labelForField(self.values[key])
            if label is not None:
                label.setVisible(shown)

    def _land_figures(self, feature: QgsFeature, layer: QgsVectorLayer, chinese: bool) -> None:
        """耕地面积 … 整改方式 in 亩 (m² beside), as the report and the 验收图 name them."""
        self._show_land_rows(layer)
        fields = layer.fields()
        for key, name in LAND_ROWS[:-1]:
            if fields.lookupField(name) < 0:
                continue
            m2 = _num(feature, name)
            text = tr(CONTEXT, "{mu} mu ({m2} m²)").format(mu=f"{m2 / SQUARE_METRES_PER_MU:,.2f}", m2=f"{m2:,.1f}")
            if key == "appr" and fields.lookupField(ResultField.APPR_IDS) >= 0:
                ids = str(plain_value(feature[ResultField.APPR_IDS]) or "")
                text += f"  · {ids}" if ids else ""
            self.values[key].setText(escape(text))
        if fields.lookupField(ResultField.METHOD) >= 0:
            method = str(plain_value(feature[ResultField.METHOD]) or "")
            self.values["method"].setText(escape(method_word(method, chinese)) or "—")

    def clear(self) -> None:
        for label in self.values.values():
            label.setText("—")
        self._show_land_rows(None)
        self.table.setRowCount(0)
        self.pieces = []
        self.clear_highlights()

    def show_patch(
        self,
        feature: QgsFeature,
        layer: QgsVectorLayer,
        pieces: list[tuple[int, float, QgsGeometry]],
        remnants_layer,
        row: Row | None = None,
        rules: Rules | None = None,
        outline: QgsGeometry | None = None,
    ) -> None:
        """The patch as the table shows it (`row`: its final status, dispute and note from the audit
        log), and why, with the run's `rules` beside the figures."""
        chinese = is_chinese()
        computed = str(plain_value(feature[ResultField.STATUS]) or "")
        row = row if row is not None else row_of(feature)
        status = row.final or computed
        monitor = _num(feature, ResultField.MONITOR_M2)
        township = plain_value(feature[ResultField.TOWNSHIP]) or ""
        self.values["patch"].setText(
            f"<b>{escape(str(plain_value(feature[ResultField.PATCH_ID]) or ''))}</b>  {escape(str(township))}"
        )
        colour = status_colour(status).name()
        review = dispute_text(row, chinese)
        self.values["status"].setText(
            f"<span style='color:{colour}; font-weight:bold'>■ {status_word(status, chinese)}</span>"
            + (f"  （{escape(review)}）" if review else "")
        )
        self.values["reasons"].setText(escape(reasons_text(row, chinese)) or "—")
        self.values["why"].setText("<br>".join(escape(line) for line in explain_row(row, rules, chinese)) or "—")
        self.values["note"].setText(escape(row.note) or "—")
        self.values["monitor"].setText(
            tr(CONTEXT, "{mu} mu ({m2} m²)").format(mu=f"{monitor / SQUARE_METRES_PER_MU:,.2f}", m2=f"{monitor:,.1f}")
        )
        self.values["geom"].setText(tr(CONTEXT, "{m2} m²").format(m2=f"{_num(feature, ResultField.GEOM_M2):,.1f}"))
        self.values["remain"].setText(
            tr(CONTEXT, "{m2} m² ({ratio} of the monitored area) in {n} pieces").format(
                m2=f"{_num(feature, ResultField.REMAIN_M2):,.2f}",
                ratio=f"{_num(feature, ResultField.REMAIN_RT) * 100:.2f}%",
                n=int(_num(feature, ResultField.REMNANTS)),
            )
        )
        self.values["largest"].setText(
            tr(CONTEXT, "{m2} m²").format(m2=f"{_num(feature, ResultField.LARGEST_M2):,.2f}")
        )
        checked = local_time(plain_value(feature[ResultField.CHECKED_AT]))
        self.values["checked"].setText(
            f"{escape(checked)}  ·  {escape(str(plain_value(feature[ResultField.RUN_ID]) or ''))}"
        )
        self._land_figures(feature, layer, chinese)
        self.pieces = pieces
        self.table.setRowCount(len(pieces))
        for i, (part, area, _geometry) in enumerate(pieces):
            for column, text in enumerate((str(part), f"{area:,.2f}")):
                item = QTableWidgetItem(text)
                if column == 1:
                    item.setTextAlignment(right_aligned())
                self.table.setItem(i, column, item)
        self.highlight([g for _p, _a, g in pieces], remnants_layer)
        self.outline(outline, layer)

    def outline(self, geometry: QgsGeometry | None, layer: QgsVectorLayer) -> None:
        """The current patch outlined (not filled): its status colour stays visible under QGIS's selection."""
        if self._outline is not None and self.canvas is not None:
            self.canvas.scene().removeItem(self._outline)
        self._outline = None
        if self.canvas is None or geometry is None or geometry.isEmpty():
            return
        item = QgsHighlight(self.canvas, geometry, layer)
        item.setColor(OUTLINE)
        item.setFillColor(QColor(0, 0, 0, 0))
        item.setWidth(4)
        item.show()
        self._outline = item

    # -- map --------------------------------------------------------------------------------------
    def highlight(self, geometries: list[QgsGeometry], layer: QgsVectorLayer | None, strong: bool = False) -> None:
        self._clear_pieces()
        if self.canvas is None or layer is None:
            return
        for geometry in geometries:
            item = QgsHighlight(self.canvas, geometry, layer)
            item.setColor(HIGHLIGHT)
            fill = QColor(HIGHLIGHT)
            fill.setAlpha(160 if strong else 90)
            item.setFillColor(fill)
            item.setWidth(5 if strong else 3)
            item.show()
            self._highlights.append(item)
        self._layer = layer

    def clear_highlights(self) -> None:
        self._clear_pieces()
        if self._outline is not None and self.canvas is not None:
            self.canvas.scene().removeItem(self._outline)
        self._outline = None

    def _clear_pieces(self) -> None:
        for item in self._highlights:
            if self.canvas is not None:
                self.canvas.scene().removeItem(item)
        self._highlights = []

    def highlight_count(self) -> int:
        return len(self._highlights)

    def _piece_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        if rows and self._layer is not None:
            self.highlight([self.pieces[r][2] for r in rows if r < len(self.pieces)], self._layer, strong=True)
