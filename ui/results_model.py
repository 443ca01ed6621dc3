"""The results table: one row per patch of a verify OUTPUT layer, sortable and filterable.

Statuses and reasons are shown as the algorithm wrote them (in words); nothing is decided here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qgis.core import QgsApplication, QgsFeatureRequest, QgsVectorLayer
from qgis.PyQt.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from qgis.PyQt.QtGui import QBrush, QColor, QFont

from ..core.definitions import DISPUTE_REOPENED, SQUARE_METRES_PER_MU, Mark, Method, ResultField, Status
from ..core.engine import Rules
from ..core.explain import explain
from ..core.revisit import had_rebuilt
from ..core.words import STATUS_EN, STATUS_ZH, reasons_in_words
from ..qgis_adapter.compat import no_geometry_flag, right_aligned
from ..qgis_adapter.layers import plain_value
from .i18n import is_chinese, tr
from .styles import DISPUTE_COLOURS, REBUILT_COLOUR, status_colour

CONTEXT = "ResultsModel"
LAND_CONTEXT = "FarmlandColumns"
REVISIT_CONTEXT = "ReturnVisit"
SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # numbers sort as numbers
FID_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass
class Row:
    fid: int
    patch_id: str
    township: str
    status: str
    reasons: str
    monitor_m2: float
    remain_m2: float
    remain_rt: float
    largest_m2: float = 0.0
    dispute: str = ""  # disputed / upheld / overturned / reopened, from the audit log
    overturned_to: str = ""  # the auditors' status where an overturn stands
    note: str = ""  # the latest mark's note
    doubtful: str = ""  # "stale" (survey edited since the check) or "unsaved" (checked against unsaved edits)
    # the farmland figures (m²) and 整改方式, None where the run had not their input (no such field)
    farm_m2: float | None = None
    farm_rem: float | None = None
    bfarm_m2: float | None = None
    bfarm_rem: float | None = None
    appr_m2: float | None = None
    appr_ids: str | None = None
    method: str | None = None

    @property
    def rebuilt(self) -> bool:
        """复建: passed before in the audit log, failing now (verify's reason code)."""
        return had_rebuilt(self.reasons)

    @property
    def final(self) -> str:
        """The status that counts: an overturn's where one stands, else the algorithm's."""
        return self.overturned_to or self.status


def status_word(status: str, chinese: bool | None = None) -> str:
    chinese = is_chinese() if chinese is None else chinese
    try:
        return (STATUS_ZH if chinese else STATUS_EN)[Status(status)]
    except ValueError:
        return status


def _number(value: Any) -> float:
    value = plain_value(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


# Farmland columns of the table (key, result field), in the order of the report's: each shown only
# when the result layer has its field.
LAND_COLUMNS = (
    ("farm_mu", ResultField.FARM_M2),
    ("farm_rem_mu", ResultField.FARM_REM),
    ("bfarm_mu", ResultField.BFARM_M2),
    ("bfarm_rem_mu", ResultField.BFARM_REM),
    ("appr_mu", ResultField.APPR_M2),
    ("method", ResultField.METHOD),
)
LAND_NAMES = (*(field for _key, field in LAND_COLUMNS), ResultField.APPR_IDS)


def _land_value(feature, name: str, number: bool):
    if feature.fields().lookupField(name) < 0:
        return None
    value = plain_value(feature[name])
    if number:
        return _number(value)
    return "" if value is None else str(value)


def method_word(method: str | None, chinese: bool | None = None) -> str:
    """整改方式 as written (拆除 / 补办) under the Chinese UI, in English words otherwise."""
    if not method:
        return ""
    chinese = is_chinese() if chinese is None else chinese
    if chinese:
        return method
    return {Method.DEMOLISHED.value: "demolished", Method.LEGALISED.value: "legalised"}.get(method, method)


def row_of(feature) -> Row:
    return Row(
        fid=feature.id(),
        patch_id=str(plain_value(feature[ResultField.PATCH_ID]) or ""),
        township=str(plain_value(feature[ResultField.TOWNSHIP]) or ""),
        status=str(plain_value(feature[ResultField.STATUS]) or ""),
        reasons=str(plain_value(feature[ResultField.REASONS]) or ""),
        monitor_m2=_number(feature[ResultField.MONITOR_M2]),
        remain_m2=_number(feature[ResultField.REMAIN_M2]),
        remain_rt=_number(feature[ResultField.REMAIN_RT]),
        largest_m2=_number(feature[ResultField.LARGEST_M2]),
        **{
            name: _land_value(feature, name, name not in (ResultField.METHOD, ResultField.APPR_IDS))
            for name in LAND_NAMES
        },
    )


def rows_from_layer(layer: QgsVectorLayer) -> list[Row]:
    names = [
        ResultField.PATCH_ID,
        ResultField.TOWNSHIP,
        ResultField.STATUS,
        ResultField.REASONS,
        ResultField.MONITOR_M2,
        ResultField.REMAIN_M2,
        ResultField.REMAIN_RT,
        ResultField.LARGEST_M2,
    ]
    names += [name for name in LAND_NAMES if layer.fields().lookupField(name) >= 0]
    request = QgsFeatureRequest().setFlags(no_geometry_flag()).setSubsetOfAttributes(names, layer.fields())
    return [row_of(f) for f in layer.getFeatures(request)]


def reasons_text(row: Row, chinese: bool) -> str:
    """The reasons in words; under an overturn they are the computed verdict's, and say so."""
    words = reasons_in_words(row.reasons, chinese)
    if row.overturned_to and row.overturned_to != row.status and words:
        return tr(CONTEXT, "computed: {reasons}").format(reasons=words)
    return words


def dispute_text(row: Row, chinese: bool) -> str:
    if not row.dispute:
        return ""
    words = {
        Mark.DISPUTED.value: tr(CONTEXT, "disputed"),
        Mark.UPHELD.value: tr(CONTEXT, "upheld"),
        Mark.OVERTURNED.value: tr(CONTEXT, "overturned"),
        DISPUTE_REOPENED: tr(CONTEXT, "re-opened"),
    }
    text = words.get(row.dispute, row.dispute)
    if row.overturned_to:  # the computed status beside the final one
        text += tr(CONTEXT, " (computed: {status})").format(status=status_word(row.status, chinese))
    return text


def doubt_text(row: Row) -> str:
    if row.doubtful == "stale":
        return tr(CONTEXT, "Out of date: the survey changed here since this check. Re-check the patch.")
    if row.doubtful == "unsaved":
        return tr(CONTEXT, "Checked against survey edits that are not saved yet: save them before exporting.")
    return ""


def explain_row(row: Row, rules: Rules | None, chinese: bool) -> list[str]:
    doubt = doubt_text(row)
    return ([doubt] if doubt else []) + explain(
        row.status,
        row.reasons,
        row.remain_m2,
        row.remain_rt,
        row.largest_m2,
        rules,
        chinese,
        final_status=row.final,
        note=row.note,
    )


class ResultsModel(QAbstractTableModel):
    # Reasons right after the result: what a verifier walking the failures reads first.
    COLUMNS = (
        "patch_id",
        "township",
        "status",
        "reasons",
        "monitor_mu",
        "monitor_m2",
        "remain_m2",
        "remain_rt",
        "dispute",
    )

    BASE_COLUMNS = COLUMNS

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.COLUMNS = self.BASE_COLUMNS  # the farmland columns join where the result has them (set_rows)
        self.rows: list[Row] = []
        self._by_fid: dict[int, int] = {}
        self._chinese = is_chinese()
        self.rules: Rules | None = None  # the run's rules, for the reasons' explanations

    # -- content -----------------------------------------------------------------------------------
    def set_rows(self, rows: list[Row]) -> None:
        self.beginResetModel()
        self.rows = rows
        land = tuple(key for key, name in LAND_COLUMNS if any(getattr(r, name) is not None for r in rows[:1]))
        self.COLUMNS = self.BASE_COLUMNS[:-1] + land + self.BASE_COLUMNS[-1:]  # 争议 stays last (it stretches)
        self._by_fid = {r.fid: i for i, r in enumerate(rows)}
        self._chinese = is_chinese()
        self.endResetModel()

    def update_rows(self, rows: list[Row]) -> None:
        """New figures for some patches (after a re-check), without resetting the view."""
        for row in rows:
            i = self._by_fid.get(row.fid)
            if i is None:
                continue
            row.dispute, row.overturned_to, row.note = (
                self.rows[i].dispute,
                self.rows[i].overturned_to,
                self.rows[i].note,
            )
            self.rows[i] = row
            self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.COLUMNS) - 1))

    def set_disputes(self, states: dict) -> None:
        """Per patch id, the audit log's state (core.audit.PatchState); overturns become final."""
        for row in self.rows:
            state = states.get(row.patch_id)
            row.dispute = (state.dispute or "") if state is not None else ""
            overturned = state is not None and state.dispute == Mark.OVERTURNED.value and state.final_status
            row.overturned_to = state.final_status if overturned else ""
            row.note = (state.note or "") if state is not None and row.dispute else ""
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(self.COLUMNS) - 1))

    def set_doubtful(self, stale: set[int], unsaved: set[int]) -> None:
        for row in self.rows:
            row.doubtful = "stale" if row.fid in stale else "unsaved" if row.fid in unsaved else ""
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(self.COLUMNS) - 1))

    def row_by_fid(self, fid: int) -> Row | None:
        i = self._by_fid.get(fid)
        return None if i is None else self.rows[i]

    def counts(self, township: str | None = None, text: str = "") -> dict[str, int]:
        """Patches by final status, of one township (None: all) and ids containing `text`."""
        out = {s.value: 0 for s in Status}
        text = (text or "").strip().lower()
        for row in self.rows:
            if township is not None and row.township != township:
                continue
            if text and text not in row.patch_id.lower():
                continue
            out[row.final] = out.get(row.final, 0) + 1
        return out

    def townships(self) -> list[str]:
        return sorted({r.township for r in self.rows})

    # -- Qt ---------------------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return {
            "patch_id": tr(CONTEXT, "Patch id"),
            "township": tr(CONTEXT, "Township"),
            "status": tr(CONTEXT, "Result"),
            "reasons": tr(CONTEXT, "Reasons"),
            "monitor_mu": tr(CONTEXT, "Monitored (mu)"),
            "monitor_m2": tr(CONTEXT, "Monitored (m²)"),
            "remain_m2": tr(CONTEXT, "Remaining (m²)"),
            "remain_rt": tr(CONTEXT, "Ratio"),
            "dispute": tr(CONTEXT, "Dispute"),
            "farm_mu": tr(LAND_CONTEXT, "Farmland (mu)"),
            "farm_rem_mu": tr(LAND_CONTEXT, "Farmland left (mu)"),
            "bfarm_mu": tr(LAND_CONTEXT, "Basic farmland (mu)"),
            "bfarm_rem_mu": tr(LAND_CONTEXT, "Basic farmland left (mu)"),
            "appr_mu": tr(LAND_CONTEXT, "Legalised (mu)"),
            "method": tr(LAND_CONTEXT, "Method"),
        }[self.COLUMNS[section]]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = self.COLUMNS[index.column()]
        if role == FID_ROLE:
            return row.fid
        if role == SORT_ROLE:
            return self._sort_value(row, column)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in ("reasons", "status", "dispute"):
            return "\n".join(explain_row(row, self.rules, self._chinese)) or None
        if role == Qt.ItemDataRole.DecorationRole and column == "status" and row.doubtful:
            return QgsApplication.getThemeIcon("/mIconWarning.svg")  # out of date: see the tooltip
        if role == Qt.ItemDataRole.FontRole and row.dispute:
            font = QFont()
            font.setBold(True)  # disputed patches stand out
            return font
        if role == Qt.ItemDataRole.ForegroundRole and column == "dispute" and row.dispute in DISPUTE_COLOURS:
            return QBrush(QColor(DISPUTE_COLOURS[row.dispute]))  # the colour of its outline on the map
        if (
            role == Qt.ItemDataRole.BackgroundRole
            and column == "status"
            and row.rebuilt
            and row.final == Status.FAIL.value
        ):
            return QBrush(QColor(REBUILT_COLOUR))
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and column == "status"
            and row.rebuilt
            and row.final == Status.FAIL.value
        ):
            return QBrush(QColor("#ffffff"))
        if role == Qt.ItemDataRole.BackgroundRole and column == "status":
            colour = status_colour(row.final)
            colour.setAlpha(90)
            return QBrush(colour)
        if role == Qt.ItemDataRole.TextAlignmentRole and (
            column in ("monitor_mu", "monitor_m2", "remain_m2", "remain_rt") or column in _LAND_FIELD
        ):
            return right_aligned() if column != "method" else None
        return None

    def _display(self, row: Row, column: str) -> str:
        if column == "patch_id":
            return row.patch_id
        if column == "township":
            return row.township
        if column == "status":
            if row.rebuilt and row.final == Status.FAIL.value:  # 复建: the return visit's catch, at a glance
                return tr(REVISIT_CONTEXT, "{status} · rebuilt").format(status=status_word(row.final, self._chinese))
            return status_word(row.final, self._chinese)
        if column == "dispute":
            return self._dispute_text(row)
        if column == "monitor_mu":
            return f"{row.monitor_m2 / SQUARE_METRES_PER_MU:,.2f}"
        if column == "monitor_m2":
            return f"{row.monitor_m2:,.1f}"
        if column == "remain_m2":
            return f"{row.remain_m2:,.1f}"
        if column == "remain_rt":
            return f"{row.remain_rt * 100:.1f}%"
        if column == "method":
            return method_word(row.method, self._chinese)
        if column in _LAND_FIELD:
            value = getattr(row, _LAND_FIELD[column])
            return "" if value is None else f"{value / SQUARE_METRES_PER_MU:,.2f}"
        return reasons_text(row, self._chinese)

    def _dispute_text(self, row: Row) -> str:
        return dispute_text(row, self._chinese)

    @staticmethod
    def _sort_value(row: Row, column: str):
        if column in ("monitor_mu", "monitor_m2"):
            return row.monitor_m2
        if column in ("remain_m2", "remain_rt"):
            return getattr(row, column)
        if column == "status":
            order = [s.value for s in Status]
            return order.index(row.final) if row.final in order else len(order)
        if column in _LAND_FIELD:
            value = getattr(row, _LAND_FIELD[column])
            return value if value is not None else ""
        return getattr(row, column)


_LAND_FIELD = dict(LAND_COLUMNS)


class ResultsFilter(QSortFilterProxyModel):
    """Shows the rows of one status and/or one township, or whose id contains a text."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.status = ""
        self.township: str | None = None
        self.text = ""
        self.setSortRole(SORT_ROLE)

    def set_filter(self, status: str | None = None, township: str | None = ..., text: str | None = None) -> None:
        if status is not None:
            self.status = status
        if township is not ...:
            self.township = township
        if text is not None:
            self.text = text.strip()
        self.invalidateFilter()

    def filterAcceptsRow(self, source_row, source_parent) -> bool:
        row = self.sourceModel().rows[source_row]
        if self.status and row.final != self.status:
            return False
        if self.township is not None and row.township != self.township:
            return False
        return not self.text or self.text.lower() in row.patch_id.lower()
