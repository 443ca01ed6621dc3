"""The dock's 进度 (progress) view of the campaign in the project's audit log: the deadlines with the
days left, the township table with rank and change, the chart, applications for acceptance (from
the table's selection or from a township's file) and 生成通报.

Every figure is the bulletin's (qgis_adapter/progress.py over core.bulletin); applications, the
bulletin, the return-visit sample and the responsibility list are the algorithms', run through QGIS's
Processing registry (ui/exports.py runs them on the main thread). Nothing is decided here."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsFeature,
    QgsField,
    QgsProcessingContext,
    QgsProject,
    QgsVectorLayer,
)
from qgis.gui import QgsCollapsibleGroupBox, QgsSpinBox
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor, QPixmap
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.campaign import shown_time
from ..core.definitions import COMMON_PARTY_FIELDS, SQUARE_METRES_PER_MU
from ..core.messages import Refusal
from ..core.parameters import Param
from ..qgis_adapter import progress as figures
from ..qgis_adapter.compat import field_type, right_aligned
from . import exports
from .i18n import is_chinese, tr
from .inputs import guess_field
from .logger import get_logger
from .settings import VerifySetup

CONTEXT = "ProgressView"
BULLETIN_ALGORITHM = "demolitionverifier:bulletin"
APPLICATIONS_ALGORITHM = "demolitionverifier:record_applications"
CAMPAIGN_ALGORITHM = "demolitionverifier:campaign"
SAMPLE_ALGORITHM = "demolitionverifier:sample_audit"
ACCOUNTABILITY_ALGORITHM = "demolitionverifier:accountability"
REVISIT_CONTEXT = "ReturnVisit"
DEFAULT_REVISIT_DAYS = 30  # passed patches not verified for a month are visited again
CHART_SIZE_MM = (125.0, 62.0)  # a little wider than a laptop's dock: narrowed a little, the text stays readable
open_file = exports.open_file  # the written bulletin in the system's PDF viewer (tests put their own)


def headings() -> list[str]:
    """The township table's headings, in figures.SHOWN_COLUMNS order (the bulletin's Chinese under zh)."""
    return [
        tr(CONTEXT, "Rank"),
        tr(CONTEXT, "Township"),
        tr(CONTEXT, "Task patches"),
        tr(CONTEXT, "Task (mu)"),
        tr(CONTEXT, "Applied"),
        tr(CONTEXT, "Pending"),
        tr(CONTEXT, "Passed"),
        tr(CONTEXT, "Failed"),
        tr(CONTEXT, "Unchecked"),
        tr(CONTEXT, "Done (mu)"),
        tr(CONTEXT, "Done by area"),
        tr(CONTEXT, "Done by count"),
        tr(CONTEXT, "Change"),
        tr(CONTEXT, "New (patches)"),
        tr(CONTEXT, "New (mu)"),
    ]


def days_text(days: int) -> str:
    if days > 0:
        return tr(CONTEXT, "{days} days left").format(days=days)
    if days == 0:
        return tr(CONTEXT, "due today")
    return tr(CONTEXT, "{days} days over").format(days=-days)


class ProgressView(QgsCollapsibleGroupBox):
    """Folded at first (the patch table keeps the room); read when unfolded, after each of its own
    actions and when the dock's results change (refresh_if_open)."""

    def __init__(
        self,
        project: QgsProject,
        log_path: Callable[[], str],
        selected_ids: Callable[[], list[tuple[str, str]]],
        message: Callable[[str, object], None],
        progress: Callable[[float], None] | None = None,
        result_layer: Callable[[], QgsVectorLayer | None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(tr(CONTEXT, "Progress"), parent)
        self.setObjectName("progressBox")
        self.project = project
        self.log_path = log_path
        self.selected_ids = selected_ids  # (patch id, township) of the rows selected in the results table
        self.message = message
        self._progress = progress or (lambda _value: None)
        self.result_layer = result_layer or (lambda: None)  # the dock's 核查结果 (the sample's INPUT)
        self.bulletin = None  # the figures shown (core.bulletin.Bulletin), None without a campaign
        self._chart_dir = tempfile.mkdtemp(prefix="dv-progress-")
        self._busy = False
        self._pixmap: QPixmap | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        self.summary = QLabel()
        self.summary.setObjectName("progressSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, len(figures.SHOWN_COLUMNS))
        self.table.setObjectName("progressTable")
        self.table.setHorizontalHeaderLabels(headings())
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        layout.addWidget(self.table)
        self.chart = QLabel()
        self.chart.setObjectName("progressChart")
        self.chart.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.chart.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.chart)

        buttons = QGridLayout()
        self.apply_button = QPushButton(tr(CONTEXT, "Apply (selected)"))
        self.apply_button.setObjectName("applySelectedButton")
        self.apply_button.setToolTip(
            tr(CONTEXT, "Record an application for acceptance of the patches selected in the table, now")
        )
        self.apply_file_button = QPushButton(tr(CONTEXT, "Apply from a file…"))
        self.apply_file_button.setObjectName("applyFileButton")
        self.apply_file_button.setToolTip(
            tr(CONTEXT, "A township's table of applications (xlsx or csv, with the patch id column)")
        )
        self.bulletin_button = QPushButton(tr(CONTEXT, "Issue bulletin…"))
        self.bulletin_button.setObjectName("bulletinButton")
        self.bulletin_button.setToolTip(
            tr(CONTEXT, "The progress bulletin as of now: a one-page PDF and its workbook, recorded in the audit log")
        )
        self.refresh_button = QPushButton(tr(CONTEXT, "Refresh"))
        self.refresh_button.setObjectName("progressRefreshButton")
        self.define_button = QPushButton(tr(CONTEXT, "Define the campaign…"))
        self.define_button.setObjectName("defineCampaignButton")
        self.define_button.setToolTip(
            tr(CONTEXT, "Task list, deadlines and target, in this project's audit log (demolitionverifier:campaign)")
        )
        buttons.addWidget(self.apply_button, 0, 0)
        buttons.addWidget(self.apply_file_button, 0, 1)
        buttons.addWidget(self.bulletin_button, 1, 0)
        buttons.addWidget(self.refresh_button, 1, 1)
        buttons.addWidget(self.define_button, 2, 0, 1, 2)
        buttons.setColumnStretch(0, 1)
        buttons.setColumnStretch(1, 1)
        layout.addLayout(buttons)
        self.buttons = buttons
        self._after_deadline_widgets(layout)

        self.apply_button.clicked.connect(self.apply_selected)
        self.apply_file_button.clicked.connect(self._apply_file_clicked)
        self.bulletin_button.clicked.connect(self._bulletin_clicked)
        self.refresh_button.clicked.connect(self.refresh)
        self.define_button.clicked.connect(self._define_clicked)
        self.collapsedStateChanged.connect(self._folded)
        self.setCollapsed(True)
        self._show(None, "")

    def _after_deadline_widgets(self, layout: QVBoxLayout) -> None:
        """回头看 (the return-visit sample: passed patches last verified more than N days ago) and
        倒查责任 (the responsibility list, where demolitionverifier:accountability is installed)."""
        row = QHBoxLayout()
        self.revisit_days = QgsSpinBox()
        self.revisit_days.setObjectName("revisitDaysSpin")
        self.revisit_days.setRange(0, 3650)
        self.revisit_days.setValue(DEFAULT_REVISIT_DAYS)
        self.revisit_days.setClearValue(DEFAULT_REVISIT_DAYS)
        self.revisit_days.setSuffix(tr(REVISIT_CONTEXT, " days"))
        self.revisit_days.setToolTip(tr(REVISIT_CONTEXT, "Passed patches last verified more than this many days ago"))
        self.revisit_button = QPushButton(tr(REVISIT_CONTEXT, "Return visit sample"))
        self.revisit_button.setObjectName("revisitButton")
        self.revisit_button.setToolTip(
            tr(
                REVISIT_CONTEXT,
                "Draw passed patches not verified for that long, by township (sample_audit), to visit again; "
                "a rebuilt one fails as rebuilt at its next verify",
            )
        )
        self.accountability_button = QPushButton(tr(REVISIT_CONTEXT, "Trace responsibility…"))
        self.accountability_button.setObjectName("accountabilityButton")
        row.addWidget(self.revisit_days)
        row.addWidget(self.revisit_button, 1)
        layout.addLayout(row)
        layout.addWidget(self.accountability_button)
        self.revisit_button.clicked.connect(self.draw_revisit)
        self.accountability_button.clicked.connect(self._accountability_clicked)

    def _update_after_deadline(self, has_campaign: bool) -> None:
        layer = self.result_layer()
        self.revisit_button.setEnabled(layer is not None)
        installed = QgsApplication.processingRegistry().algorithmById(ACCOUNTABILITY_ALGORITHM) is not None
        self.accountability_button.setEnabled(installed and has_campaign)
        if not installed:
            tip = tr(
                REVISIT_CONTEXT,
                "The responsibility list (demolitionverifier:accountability) is not installed in this version "
                "of the plugin.",
            )
        elif not has_campaign:
            tip = tr(REVISIT_CONTEXT, "Needs the campaign in the project's audit log.")
        else:
            tip = tr(
                REVISIT_CONTEXT,
                "The responsibility list: every task patch not passed, with the responsible units and persons from your table",
            )
        self.accountability_button.setToolTip(tip)

    # -- reading ----------------------------------------------------------------------------------
    def _folded(self, collapsed: bool) -> None:
        if not collapsed:
            self.refresh()

    def setCollapsed(self, collapse: bool) -> None:
        """Unfolded by a script while the dock is hidden: QGIS emits no collapsedStateChanged then."""
        unfolding = self.isCollapsed() and not collapse and not self.isVisible()
        super().setCollapsed(collapse)
        if unfolding:
            self.refresh()

    def refresh_if_open(self) -> None:
        if not self.isCollapsed():
            self.refresh()

    def refresh(self) -> bool:
        """The figures now; True when the log holds a campaign whose figures are shown."""
        log = self.log_path()
        if not log or not os.path.isfile(log):
            self._show(None, tr(CONTEXT, "No audit log yet: verify once, then define the campaign in it."))
            return False
        try:
            bulletin = figures.read_progress(log)
        except Refusal as refusal:
            self._show(None, refusal.text(is_chinese()))
            return False
        except Exception as error:  # a log that cannot be read: said, never a traceback in the dock
            get_logger().warning(str(error))
            self._show(None, str(error))
            return False
        self._show(bulletin, "")
        return True

    def _show(self, bulletin, problem: str) -> None:
        self.bulletin = bulletin
        has = bulletin is not None
        for widget in (self.table, self.chart):
            widget.setVisible(has)
        for button in (self.apply_button, self.apply_file_button, self.bulletin_button):
            button.setEnabled(has)
        self.define_button.setVisible(not has)
        self._update_after_deadline(has)
        if not has:
            self.summary.setText(problem)
            self.table.setRowCount(0)
            self.chart.clear()
            self._pixmap = None
            return
        self.summary.setText(self._summary_text(bulletin))
        rows = figures.printed_rows(bulletin)
        self.table.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if figures.SHOWN_COLUMNS[c] != "township":
                    item.setTextAlignment(right_aligned())
                if r == len(rows) - 1:  # 合计
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        # as tall as its rows (up to 10, then it scrolls): the chart follows right under it
        shown = min(len(rows), 10)
        self.table.setFixedHeight(
            self.table.horizontalHeader().height()
            + self.table.verticalHeader().defaultSectionSize() * shown
            + self.table.horizontalScrollBar().sizeHint().height()
            + 2 * self.table.frameWidth()
        )
        self._draw_chart(bulletin)

    def _summary_text(self, bulletin) -> str:
        campaign = bulletin.campaign
        days = figures.deadline_days(bulletin)
        lines = [
            f"<b>{campaign.name}</b>",
            tr(CONTEXT, "As of {time}, compared with {before}").format(
                time=shown_time(bulletin.as_of), before=shown_time(bulletin.compare_to)
            ),
            tr(CONTEXT, "Rectify by {when} ({left})").format(
                when=figures.deadline_shown(campaign.rectify_by), left=days_text(days["rectify_by"])
            )
            + " &nbsp;· "
            + tr(CONTEXT, "Accept by {when} ({left})").format(
                when=figures.deadline_shown(campaign.accept_by), left=days_text(days["accept_by"])
            ),
        ]
        total = bulletin.total
        county = tr(
            CONTEXT,
            "County: {passed} of {patches} patches passed, {done} by area; {new} newly passed; {pending} waiting for checking.",
        ).format(
            passed=total.passed,
            patches=total.patches,
            done=f"{total.done_area:.1%}",
            new=total.new_passed,
            pending=total.pending,
        )
        if total.gap_m2 is not None and campaign.target is not None:
            county += " " + tr(CONTEXT, "Target {share}: {gap} mu to go.").format(
                share=f"{campaign.target:.0%}", gap=f"{total.gap_m2 / SQUARE_METRES_PER_MU:,.2f}"
            )
        lines.append(county)
        return "<br>".join(lines)

    def _draw_chart(self, bulletin) -> None:
        path = os.path.join(self._chart_dir, f"chart_{time.monotonic_ns()}.png")
        try:
            drawn = figures.chart(bulletin, path, *CHART_SIZE_MM)
        except Exception as error:  # the table stands without the chart
            get_logger().warning(str(error))
            drawn = False
        if not drawn:
            self.chart.setText(tr(CONTEXT, "No chart: matplotlib is not installed in QGIS's Python."))
            return
        self._pixmap = QPixmap(path)
        os.remove(path)
        self._fit_chart()
        self.chart.setToolTip(tr(CONTEXT, "The bulletin's chart, as Issue bulletin prints it in the PDF"))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_chart()

    def _fit_chart(self) -> None:
        """The chart at its own size, or narrowed to the dock (never widened: the text would blur)."""
        pixmap = self._pixmap
        if pixmap is None or pixmap.isNull():
            return
        width = self.chart.width()
        if pixmap.width() > width > 50:
            pixmap = pixmap.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
        self.chart.setPixmap(pixmap)

    # -- acting -----------------------------------------------------------------------------------
    def _run(self, algorithm: str, parameters: dict, context: QgsProcessingContext | None = None):
        """The algorithm on the main thread over the project's log; a refusal is said in the message bar."""
        if self._busy:
            return exports.ExportOutcome(False)
        parameters = {Param.AUDIT_LOG: self.log_path(), **parameters}
        self._busy = True
        feedback = exports.ExportFeedback(self._progress)
        try:
            outcome = exports.run_algorithm(algorithm, parameters, self.project, feedback, context)
        finally:
            self._busy = False
        for line in outcome.warnings:
            get_logger().warning(line)
        if not outcome.ok and not outcome.cancelled:
            errors = "\n".join(outcome.errors) or tr(CONTEXT, "unknown error (see the message log)")
            get_logger().error(errors)
            self.message(tr(CONTEXT, "Not done: {errors}").format(errors=errors), Qgis.MessageLevel.Critical)
        return outcome

    def apply_selected(self) -> bool:
        """record_applications for the patches selected in the results table, applied now."""
        chosen = self.selected_ids()
        if not chosen:
            self.message(
                tr(CONTEXT, "Select the patches that apply for acceptance in the table first."),
                Qgis.MessageLevel.Info,
            )
            return False
        table = QgsVectorLayer("None", tr(CONTEXT, "applications (selected patches)"), "memory")
        table.dataProvider().addAttributes(
            [QgsField("patch_id", field_type("text")), QgsField("township", field_type("text"))]
        )
        table.updateFields()
        rows = []
        for patch_id, township in dict.fromkeys(chosen):  # a row selected twice applies once
            feature = QgsFeature(table.fields())
            feature.setAttributes([patch_id, township])
            rows.append(feature)
        table.dataProvider().addFeatures(rows)
        return self._record(table, {Param.ID_FIELD: "patch_id"})

    def apply_file(self, path: str) -> bool:
        """record_applications for a township's table (xlsx, or csv as Excel saves it)."""
        return self._record(path, {})

    def _record(self, table, extra: dict) -> bool:
        outcome = self._run(APPLICATIONS_ALGORITHM, {Param.INPUT: table, Param.OUTPUT: "memory:", **extra})
        if not outcome.ok:
            return False
        accepted = int(outcome.results.get(Param.ACCEPTED) or 0)
        refused = int(outcome.results.get(Param.REFUSED) or 0)
        text = tr(CONTEXT, "Applications recorded: {accepted} accepted, {refused} not accepted.").format(
            accepted=accepted, refused=refused
        )
        if outcome.warnings:
            text += " " + " ".join(outcome.warnings[:2])
        self.message(text, Qgis.MessageLevel.Success if not refused else Qgis.MessageLevel.Warning)
        self.refresh()
        return True

    def _apply_file_clicked(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            tr(CONTEXT, "Applications for acceptance"),
            exports.default_path(self.project, "", ""),
            tr(CONTEXT, "Tables (*.xlsx *.csv)"),
        )
        if path:
            self.apply_file(path)

    def make_bulletin(self, path: str) -> bool:
        """demolitionverifier:bulletin as of now: the PDF at `path` and the workbook beside it, then
        the PDF opened. True when written."""
        pdf = exports.with_suffix(path, ".pdf")
        xlsx = os.path.splitext(pdf)[0] + ".xlsx"
        outcome = self._run(BULLETIN_ALGORITHM, {Param.OUTPUT_PDF: pdf, Param.OUTPUT: xlsx})
        if not outcome.ok:
            return False
        exports.remember_folder(pdf)
        written = str(outcome.results.get(Param.OUTPUT_PDF) or pdf)
        self.message(
            tr(CONTEXT, "Bulletin written: {path} (log head {head}).").format(
                path=written, head=str(outcome.results.get(Param.HEAD) or "")[:16]
            ),
            Qgis.MessageLevel.Success,
        )
        if outcome.warnings:
            self.message(" ".join(outcome.warnings[:3]), Qgis.MessageLevel.Warning)
        open_file(written)
        self.refresh()  # the next 较上期 compares with this bulletin
        return True

    def _bulletin_clicked(self) -> None:
        stem = tr(CONTEXT, "progress_bulletin") + "_" + time.strftime("%Y-%m-%d")
        path, _filter = QFileDialog.getSaveFileName(
            self,
            tr(CONTEXT, "Issue bulletin"),
            exports.default_path(self.project, stem, ".pdf"),
            tr(CONTEXT, "PDF document (*.pdf)"),
        )
        if path:
            self.make_bulletin(path)

    # -- after the deadline: 回头看 and 倒查责任 ---------------------------------------------------------
    def draw_revisit(self) -> QgsVectorLayer | None:
        """sample_audit over the dock's result: passed patches last verified more than the chosen days
        ago, stratified by township, the draw recorded in the log; the sample becomes a project layer."""
        layer = self.result_layer()
        if layer is None:
            return None
        days = self.revisit_days.value()
        context = QgsProcessingContext()
        parameters = {
            Param.INPUT: layer,
            Param.STATUS: "pass",
            Param.OLDER_THAN_DAYS: float(days),
            Param.OUTPUT: "memory:",
        }
        outcome = self._run(SAMPLE_ALGORITHM, parameters, context)
        if not outcome.ok:
            return None
        sample = context.takeResultLayer(str(outcome.results.get(Param.OUTPUT) or ""))
        drawn = int(outcome.results.get(Param.DRAWN) or 0)
        seed = int(outcome.results.get(Param.SEED) or 0)
        if sample is None:
            return None
        sample.setName(tr(REVISIT_CONTEXT, "Return visit sample ({n} patches, seed {seed})").format(n=drawn, seed=seed))
        symbol = sample.renderer().symbol() if hasattr(sample.renderer(), "symbol") else None
        if symbol is not None:  # outlined, over the result's fills
            symbol.setColor(QColor(0, 0, 0, 0))
            symbol.symbolLayer(0).setStrokeColor(QColor("#ff6d00"))
            symbol.symbolLayer(0).setStrokeWidth(1.2)
        self.project.addMapLayer(sample)
        self.message(
            tr(
                REVISIT_CONTEXT,
                "Return visit: {n} passed patches not verified for {days} days drawn (seed {seed}), recorded in the audit log.",
            ).format(n=drawn, days=days, seed=seed),
            Qgis.MessageLevel.Success if drawn else Qgis.MessageLevel.Info,
        )
        return sample

    def make_accountability(self, responsibilities: str, path: str) -> bool:
        """demolitionverifier:accountability: the list of unfinished task patches with their
        responsibilities (from the users' table) as a workbook at `path`, then opened."""
        xlsx = exports.with_suffix(path, ".xlsx")
        parameters = {Param.RESPONSIBILITIES: responsibilities, Param.OUTPUT: xlsx, **self._patch_parameters()}
        outcome = self._run(ACCOUNTABILITY_ALGORITHM, parameters)
        if not outcome.ok:
            return False
        exports.remember_folder(xlsx)
        written = str(outcome.results.get(Param.OUTPUT) or xlsx)
        self.message(
            tr(REVISIT_CONTEXT, "Responsibility list written: {path}").format(path=written), Qgis.MessageLevel.Success
        )
        if outcome.warnings:
            self.message(" ".join(outcome.warnings[:3]), Qgis.MessageLevel.Warning)
        open_file(written)
        return True

    def _patch_parameters(self) -> dict:
        """The dock's patch layer, so the list names each patch's violator (主体责任) from its column."""
        setup = VerifySetup.load(self.project)
        layer = self.project.mapLayer(setup.patches) if setup is not None else None
        if layer is None:
            return {}
        parameters = {Param.PATCHES: layer.id(), Param.PATCH_ID_FIELD: setup.id_field}
        party = guess_field(layer, COMMON_PARTY_FIELDS)
        if party:
            parameters[Param.PARTY_FIELD] = party
        return parameters

    def _accountability_clicked(self) -> None:
        table, _filter = QFileDialog.getOpenFileName(
            self,
            tr(REVISIT_CONTEXT, "Responsibilities (township, role, unit, person, phone)"),
            exports.default_path(self.project, "", ""),
            tr(CONTEXT, "Tables (*.xlsx *.csv)"),
        )
        if not table:
            return
        stem = tr(REVISIT_CONTEXT, "responsibility_list") + "_" + time.strftime("%Y-%m-%d")
        path, _filter = QFileDialog.getSaveFileName(
            self,
            tr(REVISIT_CONTEXT, "Trace responsibility"),
            exports.default_path(self.project, stem, ".xlsx"),
            tr(REVISIT_CONTEXT, "Excel workbook (*.xlsx)"),
        )
        if path:
            self.make_accountability(table, path)

    def _define_clicked(self) -> None:
        """QGIS's own dialog of demolitionverifier:campaign, the project's log filled in."""
        if QgsApplication.processingRegistry().algorithmById(CAMPAIGN_ALGORITHM) is None:
            return
        import processing

        processing.execAlgorithmDialog(CAMPAIGN_ALGORITHM, {Param.AUDIT_LOG: self.log_path()})
        self.refresh()

    def cleanup(self) -> None:
        for name in os.listdir(self._chart_dir) if os.path.isdir(self._chart_dir) else []:
            os.remove(os.path.join(self._chart_dir, name))
        if os.path.isdir(self._chart_dir):
            os.rmdir(self._chart_dir)
