"""Disputes: an auditor marks a patch 存疑 / 维持 / 改判 (with the new status) and reads its history.

Self-contained so that the dock only has to call `open_dispute_dialog(...)` for the current patch
and `standing_states(...)` / `dispute_states(...)` to colour its table and map. Every mark is an audit-log entry
(core/audit/); nothing is kept anywhere else.
"""

from __future__ import annotations

import os

from qgis.core import QgsApplication, QgsProject
from qgis.PyQt.QtCore import pyqtSignal
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core import audit
from ..core.definitions import DISPUTE_REOPENED, AuditEntry, Mark, Status
from ..core.messages import Refusal
from ..core.words import (
    DISPUTE_REOPENED_EN,
    DISPUTE_REOPENED_ZH,
    MARK_EN,
    MARK_ZH,
    STATUS_EN,
    STATUS_ZH,
    reasons_in_words,
)
from ..qgis_adapter.language import ui_is_chinese
from .i18n import tr

CONTEXT = "DisputeDialog"


def _word(zh: str, en: str) -> str:
    """A word of the catalogue (core/words.py) in the UI language; the dialog's own texts go through tr()."""
    return zh if ui_is_chinese() else en


def status_words(code: str | None) -> str:
    try:
        status = Status(code)
    except ValueError:
        return code or ""
    return (STATUS_ZH if ui_is_chinese() else STATUS_EN)[status]


def dispute_words(state: str | None) -> str:
    if state == DISPUTE_REOPENED:
        return _word(DISPUTE_REOPENED_ZH, DISPUTE_REOPENED_EN)
    try:
        mark = Mark(state)
    except ValueError:
        return ""
    return _word(MARK_ZH[mark], MARK_EN[mark])


def project_log_path(project=None) -> str:
    """Where the dock keeps the project's audit log: beside the project file
    (`<project>_audit.gpkg`), or for an unsaved project in the user's profile folder."""
    project = project or QgsProject.instance()
    if project.fileName():
        stem, _ext = os.path.splitext(project.fileName())
        return f"{stem}_audit.gpkg"
    return os.path.join(QgsApplication.qgisSettingsDirPath(), "demolition_verifier", "audit.gpkg")


def dispute_states(log_path: str) -> dict[str, audit.PatchState]:
    """Per patch id: computed and final status and dispute state (None, disputed, upheld,
    overturned, reopened), for the dock's table, map and report. Empty without a log."""
    if not log_path or not os.path.isfile(log_path):
        return {}
    return audit.final_statuses(log_path)


def standing_states(log_path: str, decided) -> dict[str, audit.PatchState]:
    """Per patch id, the state that stands for the rows of a result layer ((patch_id, run_id,
    status) each): core.audit.standing_states, so a mark made on other figures (a later run or
    re-check changed them) is not applied to a row it does not concern. Empty without a log."""
    if not log_path or not os.path.isfile(log_path):
        return {}
    return audit.standing_states(log_path, decided).states


def history_rows(log_path: str, patch_id: str) -> list[tuple[str, str, str, str, str, str]]:
    """A patch's history as display rows: seq, time, what, run, result, detail."""
    chinese = ui_is_chinese()
    rows = []
    for item in audit.history(log_path, patch_id):
        data = item.data
        if item.entry == AuditEntry.DECISION.value:
            what = tr(CONTEXT, "verified")
            result = status_words(item.status)
            remain = data.get("remain_m2")
            detail = reasons_in_words(data.get("reasons") or "", chinese)
            if isinstance(remain, (int, float)):
                remaining = tr(CONTEXT, "remaining {area} m²").format(area=f"{remain:.2f}")
                detail = (remaining + (f"；{detail}" if detail else "")).strip()
        elif item.entry == AuditEntry.MARK.value:
            what = dispute_words(data.get("mark"))
            result = status_words(data.get("new_status")) if data.get("new_status") else ""
            by = (data.get("who") or {}).get("name") or (data.get("who") or {}).get("login") or ""
            detail = f"{data.get('note', '')}（{by}）" if by else data.get("note", "")
        else:
            what = tr(CONTEXT, "spot-check")
            result = ""
            detail = tr(CONTEXT, "seed {seed}").format(seed=data.get("seed"))
        when = item.logged_at[:19].replace("T", " ")  # local time of the entry; the log keeps the offset
        rows.append((str(item.seq), when, what, item.run_id or "", result, detail))
    return rows


class DisputeDialog(QDialog):
    """Marks one patch and shows its history. Emits `marked(patch_id, dispute_state, final_status)`."""

    marked = pyqtSignal(str, str, str)

    def __init__(self, log_path: str, patch_id: str, user_name: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.log_path = log_path
        self.patch_id = str(patch_id)
        self.user_name = user_name
        self.setObjectName("demolitionVerifierDisputeDialog")
        self.setWindowTitle(tr(CONTEXT, "Patch {patch} · disputes").format(patch=self.patch_id))
        self.resize(900, 480)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(
            [
                tr(CONTEXT, "#"),
                tr(CONTEXT, "Time"),
                tr(CONTEXT, "Entry"),
                tr(CONTEXT, "Run"),
                tr(CONTEXT, "Result"),
                tr(CONTEXT, "Detail"),
            ]
        )
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column in range(5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)

        self.mark_box = QComboBox()
        for mark in Mark:
            self.mark_box.addItem(_word(MARK_ZH[mark], MARK_EN[mark]), mark.value)
        self.status_box = QComboBox()
        for status in Status:
            self.status_box.addItem(status_words(status.value), status.value)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(tr(CONTEXT, "Why (required)"))
        self.note.setMaximumHeight(80)
        self.error = QLabel()
        self.error.setObjectName("markError")
        self.error.setStyleSheet("color: #c0392b")
        self.error.setWordWrap(True)
        self.record_button = QPushButton(tr(CONTEXT, "Record"))
        self.record_button.setObjectName("recordMark")
        self.mark_box.currentIndexChanged.connect(self._mark_changed)
        self.record_button.clicked.connect(self.record)

        form = QFormLayout()
        form.addRow(tr(CONTEXT, "Mark"), self.mark_box)
        form.addRow(tr(CONTEXT, "New status"), self.status_box)
        form.addRow(tr(CONTEXT, "Note"), self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        # Qt's own word stays English when QGIS loads no Qt translation for the locale
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr(CONTEXT, "Close"))
        buttons.rejected.connect(self.reject)
        buttons.addButton(self.record_button, QDialogButtonBox.ButtonRole.ActionRole)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._mark_changed()
        self.refresh()

    def _mark_changed(self) -> None:
        self.status_box.setEnabled(self.mark_box.currentData() == Mark.OVERTURNED.value)

    def refresh(self) -> None:
        """Reads the patch's state and history from the log again."""
        try:
            state = audit.patch_state(self.log_path, self.patch_id) if os.path.isfile(self.log_path) else None
            rows = history_rows(self.log_path, self.patch_id) if state else []
        except Refusal as refusal:
            state, rows = None, []
            self.summary.setText(refusal.text(ui_is_chinese()))
        if state is None:
            self.summary.setText(
                tr(
                    CONTEXT,
                    "The audit log “{path}” holds no decision for patch {patch}: run verify with the audit log first.",
                ).format(path=self.log_path, patch=self.patch_id)
            )
            self.record_button.setEnabled(False)
        else:
            text = tr(CONTEXT, "Computed: {status}").format(status=status_words(state.computed_status))
            text += tr(CONTEXT, "; final: {status}").format(status=status_words(state.final_status))
            if state.dispute:
                text += tr(CONTEXT, "; dispute: {state}").format(state=dispute_words(state.dispute))
            self.summary.setText(text)
            self.record_button.setEnabled(True)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(r, c, item)
        self.state = state

    def record(self) -> bool:
        """Appends the mark; a refusal (no note, no new status) is shown in the dialog, nothing is written."""
        mark = self.mark_box.currentData()
        new_status = self.status_box.currentData() if mark == Mark.OVERTURNED.value else None
        try:
            audit.mark_patch(self.log_path, self.patch_id, mark, self.note.toPlainText(), new_status, self.user_name)
        except Refusal as refusal:
            self.error.setText(refusal.text(ui_is_chinese()))
            return False
        self.error.clear()
        self.note.clear()
        self.refresh()
        if self.state is not None:
            self.marked.emit(self.patch_id, self.state.dispute or "", self.state.final_status or "")
        return True


def open_dispute_dialog(
    log_path: str, patch_id: str, user_name: str | None = None, parent: QWidget | None = None
) -> DisputeDialog:
    """Shows the dialog (not modal, so the map stays usable) and returns it; connect to `marked`
    to restyle the patch."""
    dialog = DisputeDialog(log_path, patch_id, user_name, parent)
    dialog.show()
    return dialog
