"""The field staff's dock: choose the layers, verify in the background, walk the results, re-check a
patch after digitizing. Statuses and reasons come from the algorithm; nothing is decided here."""

from __future__ import annotations

import os

from qgis.core import Qgis, QgsFeatureRequest, QgsProject, QgsVectorLayer
from qgis.gui import QgsCollapsibleGroupBox, QgsDockWidget, QgsFilterLineEdit, QgsMessageBar
from qgis.PyQt.QtCore import QItemSelectionModel, QSize, Qt, QTimer
from qgis.PyQt.QtGui import QFontMetrics
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyle,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.definitions import AreaUnit, Mark, ResultField, Status
from ..core.messages import Refusal
from ..core.parameters import Param
from ..qgis_adapter.compat import right_aligned
from ..qgis_adapter.layers import plain_value
from ..qgis_adapter.recheck import ensure_spatial_index, recheck_patches
from ..qgis_adapter.unit_check import check_unit
from . import audit_link, exports, result_files
from .detail import PatchDetail
from .i18n import is_chinese, tr
from .inputs import InputsPanel
from .logger import get_logger
from .progress import ProgressView
from .result_layers import current, place_results, remnant_pieces, write_review
from .results_model import FID_ROLE, ResultsFilter, ResultsModel, row_of, rows_from_layer, status_word
from .settings import AUDIT_LOG_PROPERTY, ROLE_REMNANTS, ROLE_RESULT, VerifySetup, setup_of
from .staleness import SurveyWatch
from .styles import STATUS_COLOURS
from .task import VerifyRun
from .townships import TOWNSHIP_COLUMNS, township_headings, township_rows, township_values

CONTEXT = "VerifierDock"
USABLE_WIDTH = 400  # px: below it layer names are cut and buttons fall off; the panel opens wider
PREFERRED_WIDTH = 440


class _Scroll(QScrollArea):
    """The dock's scrolled body, asking for a width where layer names and buttons show whole (the
    main window sizes a new dock by this), while it still fits a laptop (minimum ~400 px)."""

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(max(hint.width(), PREFERRED_WIDTH), hint.height())


class VerifierDock(QgsDockWidget):
    def __init__(self, iface, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.iface = iface
        self.project = QgsProject.instance()
        self.run: VerifyRun | None = None
        self._run_setup: VerifySetup | None = None
        self._dialogs: list = []  # open dispute dialogs (not modal)
        self._watched: QgsVectorLayer | None = None  # the result layer whose map selection we follow
        self._syncing = False  # table and map selections follow each other without looping
        self._log = ""  # the audit log of the running verify
        self._export: exports.ExportFeedback | None = None  # the export running on the main thread
        # The township the user filters by (None: all); kept while a re-run replaces the rows.
        self._township: str | None = None
        self._widened = False  # the first show makes the panel usably wide
        self.watch = SurveyWatch(self)  # the survey's edits since each patch's check
        self.watch.changed.connect(self._staleness_changed)
        self.setObjectName("DemolitionVerifierDock")
        self.setWindowTitle(tr(CONTEXT, "Demolition verification"))

        body = QWidget()
        body.setObjectName("dockBody")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)  # a laptop's dock is about 420 px wide: every pixel counts
        self.inputs = InputsPanel()
        layout.addWidget(self.inputs)

        run_row = QHBoxLayout()
        self.run_button = QPushButton(tr(CONTEXT, "Verify"))
        self.run_button.setObjectName("runButton")
        self.run_button.setToolTip(tr(CONTEXT, "Verify every patch in the background"))
        self.cancel_button = QPushButton(tr(CONTEXT, "Cancel"))
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.progress.setTextVisible(True)
        run_row.addWidget(self.run_button)
        run_row.addWidget(self.cancel_button)
        run_row.addWidget(self.progress, 1)
        layout.addLayout(run_row)
        # Where the audit trail is: one log per project, shown so that nobody has to guess.
        self.log_label = QLabel()
        self.log_label.setObjectName("auditLogLabel")
        self.log_label.setWordWrap(True)
        self.log_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.log_label)
        # Where the result layers are: memory layers are lost with the session until saved.
        results_row = QHBoxLayout()
        self.results_label = QLabel()
        self.results_label.setObjectName("resultsPlaceLabel")
        self.results_label.setWordWrap(True)
        self.results_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_results_button = QPushButton(tr(CONTEXT, "Save results…"))
        self.save_results_button.setObjectName("saveResultsButton")
        self.save_results_button.setToolTip(
            tr(CONTEXT, "Save the result and remnant layers to a GeoPackage (beside the project) so they are kept")
        )
        results_row.addWidget(self.results_label, 1)
        results_row.addWidget(self.save_results_button)
        layout.addLayout(results_row)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self._results_widget())
        self.detail_box = QGroupBox(tr(CONTEXT, "Patch detail"))
        detail_layout = QVBoxLayout(self.detail_box)
        self.detail = PatchDetail(iface.mapCanvas() if iface is not None else None)
        detail_layout.addWidget(self.detail)
        splitter.addWidget(self.detail_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)
        self.progress_view = ProgressView(  # 进度: the campaign in the project's audit log
            self.project,
            lambda: audit_link.log_path(self.project),
            lambda: [(r.patch_id, r.township) for r in map(self.model.row_by_fid, self.selected_fids()) if r],
            self._message,
            lambda value: self.progress.setValue(int(value)),
            self.result_layer,
        )
        layout.addWidget(self.progress_view)
        # Scrolls (vertically) rather than pushing the main window past a small (laptop) screen; the
        # rows below wrap so that the width needs no scrolling down to about 400 px.
        scroll = _Scroll()
        scroll.setObjectName("dockScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        self.setWidget(scroll)

        self.run_button.clicked.connect(self.start_run)
        self.save_results_button.clicked.connect(self.save_results_clicked)
        self.cancel_button.clicked.connect(self.cancel_run)
        self._project_slots = (
            (self.project.readProject, self._project_read),
            (self.project.cleared, self._project_cleared),
            (self.project.layersWillBeRemoved, self._layers_removed),
            (self.project.layersAdded, self._layers_added),
            (self.project.fileNameChanged, self._file_name_changed),  # Save As names the file first
            (self.project.writeProject, self._project_writing),  # QgsProject.write(path) names no file first
        )
        for signal, slot in self._project_slots:
            signal.connect(slot)
        self._project_read()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._widened:
            self._widened = True
            QTimer.singleShot(0, self._usable_width)

    def _usable_width(self) -> None:
        """Docked narrower than usable (a state QGIS restored, a narrow neighbour): widened once a session."""
        window = self.parentWidget()
        if isinstance(window, QMainWindow) and not self.isFloating() and self.width() < USABLE_WIDTH:
            window.resizeDocks([self], [PREFERRED_WIDTH], Qt.Orientation.Horizontal)

    # -- building ---------------------------------------------------------------------------------
    def _results_widget(self) -> QWidget:
        widget = QWidget()
        layout = QVBoxLayout(widget)
        layout.setContentsMargins(0, 0, 0, 0)
        self.counts_label = QLabel()
        self.counts_label.setObjectName("countsLabel")
        self.counts_label.setWordWrap(True)
        layout.addWidget(self.counts_label)
        self.township_box = QgsCollapsibleGroupBox(tr(CONTEXT, "Townships"))
        self.township_box.setObjectName("townshipBox")
        box_layout = QVBoxLayout(self.township_box)
        box_layout.setContentsMargins(2, 2, 2, 2)
        self.township_table = QTableWidget(0, len(TOWNSHIP_COLUMNS))
        self.township_table.setObjectName("townshipTable")
        self.township_table.setHorizontalHeaderLabels(township_headings())
        self.township_table.verticalHeader().setVisible(False)
        self.township_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.township_table.setTabKeyNavigation(False)
        row_height = self.township_table.fontMetrics().height() + 6
        self.township_table.verticalHeader().setDefaultSectionSize(row_height)
        self.township_table.setMaximumHeight(row_height * 6 + 30)
        box_layout.addWidget(self.township_table)
        self.township_box.setCollapsed(True)  # one click away: the table of patches keeps the room
        layout.addWidget(self.township_box)

        filters = QGridLayout()  # the two filters side by side, the search under them
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("statusFilter")
        self.status_filter.addItem(tr(CONTEXT, "All results"), "")
        for status in Status:
            self.status_filter.addItem(status_word(status.value), status.value)
        self.township_filter = QComboBox()
        self.township_filter.setObjectName("townshipFilter")
        self.search = QgsFilterLineEdit()
        self.search.setObjectName("searchEdit")
        self.search.setPlaceholderText(tr(CONTEXT, "Find patch id"))
        for combo in (self.status_filter, self.township_filter):
            # Narrow docks: a long township name is elided in the closed combo, not a wider dock.
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(6)
        filters.addWidget(self.status_filter, 0, 0)
        filters.addWidget(self.township_filter, 0, 1)
        filters.addWidget(self.search, 1, 0, 1, 2)
        filters.setColumnStretch(0, 1)
        filters.setColumnStretch(1, 1)
        layout.addLayout(filters)

        self.model = ResultsModel(self)
        self.proxy = ResultsFilter(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setDynamicSortFilter(False)  # a re-checked row stays in view, under the user's eyes
        self.table = QTableView()
        self.table.setObjectName("resultsTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the layer's order until a header is clicked
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.setTabKeyNavigation(False)  # Tab goes on to 核查选中图斑 and the exports; arrows walk the rows
        self.table.setMinimumHeight(self.table.verticalHeader().defaultSectionSize() * 8 + 30)
        layout.addWidget(self.table, 1)

        # Two columns: what acts on the selected patch (re-check, disputes) and the exports.
        actions = QGridLayout()
        self.recheck_button = QPushButton(tr(CONTEXT, "Re-check selected patches"))
        self.recheck_button.setObjectName("recheckButton")
        self.recheck_button.setToolTip(
            tr(
                CONTEXT,
                "Verify the selected patches again against the survey layer as it is now, unsaved edits included",
            )
        )
        self.disputes_button = QPushButton(tr(CONTEXT, "Disputes and history…"))
        self.disputes_button.setObjectName("disputesButton")
        self.maps_button = QPushButton(tr(CONTEXT, "Export maps…"))
        self.maps_button.setObjectName("exportMapsButton")
        self.maps_button.setToolTip(tr(CONTEXT, "One verification map page per patch of the last result, as a PDF"))
        self.report_button = QPushButton(tr(CONTEXT, "Export report…"))
        self.report_button.setObjectName("exportReportButton")
        self.report_button.setToolTip(tr(CONTEXT, "The last result as the bureau's Excel report"))
        actions.addWidget(self.recheck_button, 0, 0)
        actions.addWidget(self.disputes_button, 1, 0)
        actions.addWidget(self.maps_button, 0, 1)
        actions.addWidget(self.report_button, 1, 1)
        # An export's progress where its button was pressed: the bar at the top may be scrolled away.
        self.export_progress = QProgressBar()
        self.export_progress.setObjectName("exportProgress")
        self.export_progress.setRange(0, 100)
        self.export_progress.setTextVisible(True)
        self.export_progress.setVisible(False)
        actions.addWidget(self.export_progress, 2, 0, 1, 2)
        actions.setColumnStretch(0, 1)
        actions.setColumnStretch(1, 1)
        layout.addLayout(actions)

        self.status_filter.currentIndexChanged.connect(self._filter_changed)
        self.township_filter.currentIndexChanged.connect(self._township_chosen)
        self.search.textChanged.connect(self._filter_changed)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.recheck_button.clicked.connect(self.recheck_selected)
        self.disputes_button.clicked.connect(self.open_disputes)
        self.maps_button.clicked.connect(self.export_maps_clicked)
        self.report_button.clicked.connect(self.export_report_clicked)
        self._update_buttons()
        return widget

    # -- project ----------------------------------------------------------------------------------
    def _project_read(self, *_args) -> None:
        setup = VerifySetup.load(self.project)
        if setup is None:
            self.inputs.reset(self.project)
        else:
            self.inputs.set_setup(setup, self.project)
        self.load_results()
        self._show_log()

    def _project_cleared(self) -> None:
        self._township = None
        self.inputs.forget()
        self.detail.clear()
        self.model.set_rows([])
        self._refresh_after_rows()
        self._show_log()

    def _project_writing(self, document) -> None:
        """The project is being written (its properties are already in the document)."""
        carried = self._file_name_changed()
        if carried is not None and carried.pinned:
            audit_link.pin_in_document(document, carried.path)
        if result_files.unsaved(self.result_layer(), self.remnants_layer()) and self.iface is not None:
            item = QgsMessageBar.createMessage(
                tr(CONTEXT, "Demolition verification"),
                tr(CONTEXT, "The result layers are temporary: the project keeps them only once they are saved."),
            )
            button = QPushButton(tr(CONTEXT, "Save results…"))
            button.setObjectName("saveResultsMessageButton")
            button.clicked.connect(self.save_results_clicked)
            item.layout().addWidget(button)
            self.iface.messageBar().pushWidget(item, Qgis.MessageLevel.Warning, 0)

    def _file_name_changed(self, *_args):
        """Saved (as): the audit trail follows the project, it is never split."""
        try:
            carried = audit_link.follow_file_name(self.project)
        except OSError as error:
            self._message(
                tr(CONTEXT, "The audit log could not be carried beside the project: {error}").format(error=error),
                Qgis.MessageLevel.Critical,
            )
            carried = None
        if carried is not None and carried.copied_from and not carried.kept_apart:
            self._message(
                tr(CONTEXT, "The audit log now lies beside the project: {path} (all entries carried over).").format(
                    path=carried.path
                ),
                Qgis.MessageLevel.Info,
            )
        elif carried is not None and carried.kept_apart:
            self._message(
                tr(
                    CONTEXT,
                    "A different audit log already lies at {other}; this project's entries were carried "
                    "to {path} instead, which it keeps as its log.",
                ).format(other=carried.kept_apart, path=carried.path),
                Qgis.MessageLevel.Warning,
            )
        self._show_log()
        return carried

    def _show_results_place(self) -> None:
        result, remnants = self.result_layer(), self.remnants_layer()
        self.results_label.setVisible(result is not None)
        self.save_results_button.setVisible(result is not None and result_files.unsaved(result, remnants))
        if result is None:
            return
        if result_files.unsaved(result, remnants):
            text = tr(CONTEXT, "Result layers: temporary (lost when QGIS closes) until saved.")
            self.results_label.setText(f"<span style='color:#c62828'>{text}</span>")
            self.results_label.setToolTip("")
            return
        path = result_files.stored_at(result)
        shown = path.replace(os.sep, os.sep + "\u200b")
        self.results_label.setText(tr(CONTEXT, "Result layers: {path}").format(path=shown))
        self.results_label.setToolTip(path)

    def save_results_clicked(self) -> None:
        path = result_files.ask_path(self, result_files.default_path(self.project))
        if path:
            self.save_results(path)

    def save_results(self, path: str | None = None) -> bool:
        """The result and remnant layers into a GeoPackage (`path`, else beside the project); the
        project's layers read it from then on. True when saved."""
        result, remnants = self.result_layer(), self.remnants_layer()
        if result is None or (self.run is not None and not self.run.finished) or self._export is not None:
            return False
        path = path or result_files.default_path(self.project)
        for layer in (result, remnants):
            if layer is not None and layer.isEditable() and not layer.commitChanges():
                self._message(tr(CONTEXT, "Save or discard the edits of {layer} first.").format(layer=layer.name()),
                              Qgis.MessageLevel.Warning)  # fmt: skip
                return False
        try:
            kept = result_files.save(self.project, result, remnants, path)
        except Refusal as refusal:
            self._message(refusal.text(is_chinese()), Qgis.MessageLevel.Critical)
            return False
        if not kept:
            self.load_results()  # the rows know the features by id
        self._show_results_place()
        self._message(
            tr(CONTEXT, "Result layers saved to {path}; save the project to keep them in it.").format(path=path),
            Qgis.MessageLevel.Success,
        )
        return True

    def _show_log(self) -> None:
        self._show_results_place()
        path = audit_link.log_path(self.project)
        self.log_label.setVisible(bool(path))
        if not path:
            return
        exists = os.path.isfile(path)
        shown = path.replace(os.sep, os.sep + "\u200b")  # a long path wraps at its separators
        text = (
            tr(CONTEXT, "Audit log: {path}") if exists else tr(CONTEXT, "Audit log (created by the first run): {path}")
        )
        self.log_label.setText(text.format(path=shown))
        self.log_label.setToolTip(path)

    def _layers_added(self, _layers) -> None:
        self.inputs.layers_added(self.project)

    def _layers_removed(self, layer_ids) -> None:
        result = self.result_layer()
        survey = self.watch.survey
        if (result is not None and result.id() in layer_ids) or (survey is not None and survey.id() in layer_ids):
            self.watch.stop()
        if result is not None and result.id() in layer_ids:
            self.detail.clear()
            self.model.set_rows([])
            self._refresh_after_rows()
        remnants = self.remnants_layer()
        if remnants is not None and remnants.id() in layer_ids:
            self.detail.clear_highlights()

    def cleanup(self) -> None:
        """Before the plugin unloads: no signal, task or canvas item of ours is left behind."""
        for signal, slot in self._project_slots:
            try:
                signal.disconnect(slot)
            except TypeError:
                pass
        if self._export is not None:
            self._export.cancel()
        if self.run is not None:
            self.run.disconnect_all()
            self.run.cancel()
            self.run = None
        for dialog in self._dialogs:
            dialog.close()
            dialog.deleteLater()
        self._dialogs = []
        self.detail.clear_highlights()
        self._watch_map_selection(None)
        self.watch.stop()
        self.progress_view.cleanup()

    # -- layers -----------------------------------------------------------------------------------
    def result_layer(self) -> QgsVectorLayer | None:
        return current(self.project, ROLE_RESULT)

    def remnants_layer(self) -> QgsVectorLayer | None:
        return current(self.project, ROLE_REMNANTS)

    def load_results(self) -> None:
        layer = self.result_layer()
        self._watch_map_selection(layer)
        self.model.set_rows(rows_from_layer(layer) if layer is not None else [])
        setup = setup_of(layer)
        self.model.rules = setup.rules() if setup is not None else None
        self.watch.watch(self.project.mapLayer(setup.survey) if setup is not None else None, layer)
        self.model.set_doubtful(set(), set())
        self._apply_disputes()
        self.detail.clear()
        self._refresh_after_rows()
        self.table.resizeColumnsToContents()  # looks at the visible rows only: cheap on a big county
        self._fit_id_column()
        self.progress_view.refresh_if_open()

    def _fit_id_column(self) -> None:
        """The id column wide enough for the longest ids in bold (a disputed row), shown or scrolled away."""
        ids = sorted({row.patch_id for row in self.model.rows}, key=len, reverse=True)[:50]
        if not ids:
            return
        font = self.table.font()
        font.setBold(True)
        metrics = QFontMetrics(font)
        needed = (
            max(metrics.horizontalAdvance(i) for i in ids)
            + 2 * self.table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin)
            + 12
        )  # the cell's margins
        column = self.model.COLUMNS.index("patch_id")
        header = self.table.horizontalHeader()
        needed = max(needed, header.sectionSizeHint(column))
        if self.table.columnWidth(column) < needed:
            self.table.setColumnWidth(column, needed)

    def _refresh_after_rows(self) -> None:
        """The township list of the new rows, the user's township still chosen when it is among them
        (a re-run first empties the table as the old layers go, then fills it: the choice outlives that)."""
        chosen = self._township
        self.township_filter.blockSignals(True)
        self.township_filter.clear()
        self.township_filter.addItem(tr(CONTEXT, "All townships"), None)
        for name in self.model.townships():
            self.township_filter.addItem(name or tr(CONTEXT, "(no township)"), name)
        index = self.township_filter.findData(chosen) if chosen is not None else 0
        if index < 0 and self.model.rowCount() > 0:
            self._township = None  # gone from the result: every township
        self.township_filter.setCurrentIndex(max(0, index))
        self.township_filter.blockSignals(False)
        self._filter_changed()
        self._update_counts()
        self._update_buttons()

    def _staleness_changed(self) -> None:
        self.model.set_doubtful(self.watch.stale, self.watch.unsaved)
        self._update_counts()
        current = self.table.currentIndex()
        if current.isValid():
            self.show_patch(int(self.proxy.data(current, FID_ROLE)), zoom=False)

    def _doubtful_in(self, status: str = "", township: str | None = None) -> list[str]:
        """Ids of the patches an export would print whose result does not hold for the saved survey."""
        doubtful = self.watch.doubtful()
        return [
            row.patch_id
            for row in self.model.rows
            if row.fid in doubtful
            and (not status or row.final == status)
            and (township is None or row.township == township)
        ]

    def _refuse_doubtful(self, ids: list[str]) -> bool:
        if not ids:
            return False
        self._message(
            tr(
                CONTEXT,
                "Export refused: {n} patches were checked against survey edits that are not saved, or their "
                "survey changed since their check ({examples}). Save the survey layer's edits and re-check them first.",
            ).format(n=len(ids), examples="、".join(ids[:5])),
            Qgis.MessageLevel.Critical,
        )
        return True

    def _update_townships(self) -> None:
        """core.summary.township_summary over the rows' final statuses (the report's own table)."""
        rows = township_rows(self.model.rows)
        self.township_table.setRowCount(len(rows))
        for r, summary in enumerate(rows):
            values = township_values(summary)
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c > 0:
                    item.setTextAlignment(right_aligned())
                self.township_table.setItem(r, c, item)
        self.township_table.resizeColumnsToContents()
        self.township_box.setVisible(len(rows) > 1)  # a county without townships: the total alone says nothing new

    def _update_counts(self) -> None:
        township = self.township_filter.currentData()
        counts = self.model.counts(township=township, text=self.search.text())
        total = sum(counts.values())
        self._update_townships()
        if not total:
            self.counts_label.setText(tr(CONTEXT, "No result yet: choose the layers and press Verify."))
            return
        parts = [
            f"<span style='color:{STATUS_COLOURS[s.value]}'>■</span>&nbsp;{status_word(s.value)}&nbsp;<b>{counts.get(s.value, 0)}</b>"
            for s in Status
        ]
        shown = self.proxy.rowCount()
        suffix = tr(CONTEXT, "{total} patches, {shown} shown").format(total=total, shown=shown)
        if township is not None:
            suffix = (township or tr(CONTEXT, "(no township)")) + ": " + suffix
        doubtful = len(self.watch.doubtful())
        if doubtful:
            suffix += (
                " &nbsp;· <span style='color:#c62828'>⚠&nbsp;"
                + tr(CONTEXT, "{n} out of date: re-check them").format(n=doubtful)
                + "</span>"
            )
        # A break may fall between two counts (a narrow dock wraps the line), never inside one.
        self.counts_label.setText(" &nbsp;".join(parts) + f" &nbsp;· {suffix}")

    def _update_buttons(self) -> None:
        running = self.run is not None and not self.run.finished
        exporting = self._export is not None
        has_results = self.model.rowCount() > 0
        self.run_button.setEnabled(not running and not exporting)
        self.cancel_button.setEnabled(running or exporting)
        self.recheck_button.setEnabled(has_results and not running and not exporting)
        self.maps_button.setEnabled(has_results and not running and not exporting)
        self.report_button.setEnabled(has_results and not running and not exporting)
        disputes = audit_link.available()
        self.disputes_button.setEnabled(has_results and disputes)
        self.disputes_button.setVisible(disputes)

    # -- the run ----------------------------------------------------------------------------------
    def _problem(self, setup: VerifySetup) -> str:
        if not setup.patches:
            return tr(CONTEXT, "Choose the patch layer.")
        if not setup.id_field:
            return tr(CONTEXT, "Choose the field that holds the patch id (e.g. JCBH).")
        if not setup.survey:
            return tr(CONTEXT, "Choose the survey layer (what still stands after demolition).")
        if setup.survey == setup.patches:
            return tr(CONTEXT, "The survey layer cannot be the patch layer itself.")
        return ""

    def start_run(self) -> bool:
        if (self.run is not None and not self.run.finished) or self._export is not None:
            return False
        setup = self.inputs.setup()
        problem = self._problem(setup)
        if problem:
            self._message(problem, Qgis.MessageLevel.Warning)
            return False
        setup = self._unit_checked(setup)
        if setup is None:
            return False
        setup.save(self.project)
        self._run_setup = setup
        parameters = setup.parameters()
        self._log = audit_link.log_path(self.project)
        if self._log:  # every run from the dock goes into the project's audit log
            audit_link.pin(self.project, self._log)
            parameters[Param.AUDIT_LOG] = self._log
            if audit_link.user_name():
                parameters[Param.AUDIT_USER] = audit_link.user_name()
        self.run = VerifyRun(parameters, self.project, self)
        self.run.progress.connect(lambda value: self.progress.setValue(int(value)))
        self.run.done.connect(self._run_done)
        self.progress.setValue(0)
        if not self.run.start():
            self._message(
                tr(CONTEXT, "The verify algorithm is not available; is the plugin's Processing provider loaded?"),
                Qgis.MessageLevel.Critical,
            )
            self.run = None
            return False
        self._update_buttons()
        return True

    def _unit_checked(self, setup: VerifySetup) -> VerifySetup | None:
        """The monitored-area unit checked before the run (the test verify makes afterwards): a unit
        most patches do not fit is put to the user, with the decided disputes such a run would
        re-open. None: the user cancelled."""
        layer = self.project.mapLayer(setup.patches)
        fit = check_unit(layer, setup.area_field, setup.area_unit, setup.area_method)
        if fit is None or fit.given_fits:
            return setup
        decided = [
            patch_id
            for patch_id, state in audit_link.standing_states(
                audit_link.log_path(self.project), self.result_layer()
            ).items()
            if state.dispute in (Mark.OVERTURNED.value, Mark.UPHELD.value)
        ]
        answer = self.ask_unit(fit, setup.area_field, sorted(decided))
        if answer == "best":
            self.inputs.area_unit.setCurrentIndex(self.inputs.area_unit.findData(int(fit.best)))
            return self.inputs.setup()
        return setup if answer == "keep" else None

    def ask_unit(self, fit, field: str, decided: list[str]) -> str:
        """'best' (run in the unit that fits), 'keep' (the chosen one, re-opening `decided`) or ''."""
        words = {int(AreaUnit.SQUARE_METRE): tr(CONTEXT, "m²"), int(AreaUnit.MU): tr(CONTEXT, "mu"),
                 int(AreaUnit.HECTARE): tr(CONTEXT, "ha")}  # fmt: skip
        given, best = words[int(fit.given)], words[int(fit.best)]
        text = tr(
            CONTEXT,
            "The monitored areas in “{field}” do not look like {given}: of {checked} patches, {fits_best} "
            "agree with their own area in {best}, {fits_given} in {given}.",
        ).format(
            field=field,
            given=given,
            best=best,
            checked=fit.checked,
            fits_best=fit.fits[fit.best],
            fits_given=fit.fits[fit.given],
        )
        if decided:
            text += "\n\n" + tr(
                CONTEXT,
                "A run in {given} changes every figure and re-opens {n} decided disputes ({examples}).",
            ).format(given=given, n=len(decided), examples="、".join(decided[:5]))
        box = QMessageBox(QMessageBox.Icon.Warning, tr(CONTEXT, "Monitored area unit"), text, parent=self)
        box.setObjectName("unitQuestion")
        use = box.addButton(tr(CONTEXT, "Verify in {unit}").format(unit=best), QMessageBox.ButtonRole.AcceptRole)
        use.setObjectName("useFittingUnit")
        keep_text = (
            tr(CONTEXT, "Keep {unit} and re-open them").format(unit=given)
            if decided
            else tr(CONTEXT, "Keep {unit}").format(unit=given)
        )
        keep = box.addButton(keep_text, QMessageBox.ButtonRole.DestructiveRole)
        keep.setObjectName("keepUnit")
        cancel = box.addButton(tr(CONTEXT, "Cancel"), QMessageBox.ButtonRole.RejectRole)
        cancel.setObjectName("cancelUnit")
        box.setDefaultButton(use)
        box.exec()
        clicked = box.clickedButton()
        return "best" if clicked is use else "keep" if clicked is keep else ""

    def cancel_run(self) -> None:
        if self._export is not None:
            self._export.cancel()
        elif self.run is not None:
            self.run.cancel()

    def _run_done(self, ok: bool) -> None:
        run = self.run
        if run is None:
            return
        feedback = run.feedback
        log = get_logger()
        for line in feedback.warnings:
            log.warning(line)
        result = run.take_layer(Param.OUTPUT) if ok else None
        remnants = run.take_layer(Param.OUTPUT_REMNANTS) if ok else None
        if result is None:
            if run.cancelled:
                self._message(
                    tr(CONTEXT, "Verification cancelled; the previous results are unchanged."), Qgis.MessageLevel.Info
                )
            else:
                errors = "\n".join(feedback.errors) or tr(CONTEXT, "unknown error (see the message log)")
                log.error(errors)
                self._message(
                    tr(CONTEXT, "Verification failed: {errors}").format(errors=errors), Qgis.MessageLevel.Critical
                )
            self.progress.setValue(0)
            self._update_buttons()
            return
        place_results(self.project, result, remnants, self._run_setup)
        if self._log and run.results.get(Param.AUDIT_HEAD):
            result.setCustomProperty(AUDIT_LOG_PROPERTY, self._log)  # its rows are in that log
        self._show_log()
        ensure_spatial_index(self.project.mapLayer(self._run_setup.survey))
        self.load_results()
        self.inputs.data_box.setCollapsed(True)  # room for the table; the choices stay one click away
        self.progress.setValue(100)
        counts = self.model.counts()
        text = tr(CONTEXT, "{n} patches verified: {passed} pass, {failed} fail, {unsurveyed} unsurveyed.").format(
            n=sum(counts.values()),
            passed=counts[Status.PASS.value],
            failed=counts[Status.FAIL.value],
            unsurveyed=counts[Status.UNSURVEYED.value],
        )
        head = run.results.get(Param.AUDIT_HEAD)
        if head:
            text += " " + tr(CONTEXT, "Audit log: {path} (head {head}).").format(path=self._log, head=str(head)[:16])
        self._message(text, Qgis.MessageLevel.Success)
        if feedback.warnings:
            self._message(" ".join(feedback.warnings[:3]), Qgis.MessageLevel.Warning)

    # -- table ------------------------------------------------------------------------------------
    def _township_chosen(self, *_args) -> None:
        self._township = self.township_filter.currentData()
        self._filter_changed()

    def _filter_changed(self, *_args) -> None:
        self.proxy.set_filter(
            status=self.status_filter.currentData() or "",
            township=self.township_filter.currentData(),
            text=self.search.text(),
        )
        self._update_counts()

    def selected_fids(self) -> list[int]:
        rows = self.table.selectionModel().selectedRows()
        return [int(self.proxy.data(index, FID_ROLE)) for index in rows]

    def _selection_changed(self, *_args) -> None:
        layer = self.result_layer()
        if layer is not None and not self._syncing:
            self._syncing = True
            try:
                layer.selectByIds(self.selected_fids())
            finally:
                self._syncing = False

    def _watch_map_selection(self, layer: QgsVectorLayer | None) -> None:
        """Patches selected on the map (with QGIS's own tools) are selected in the table too, and one
        of them is shown in the detail view, so 核查选中图斑 and the table agree."""
        if self._watched is not None:
            try:
                self._watched.selectionChanged.disconnect(self._map_selection_changed)
            except (TypeError, RuntimeError):
                pass
        self._watched = layer
        if layer is not None:
            layer.selectionChanged.connect(self._map_selection_changed)

    def _map_selection_changed(self, *_args) -> None:
        layer = self.result_layer()
        if layer is None or self._syncing:
            return
        fids = sorted(layer.selectedFeatureIds())
        self._syncing = True
        try:
            self.select_fids(fids)
        finally:
            self._syncing = False
        if len(fids) == 1:
            self.show_patch(fids[0], zoom=False)

    def _current_changed(self, current, _previous) -> None:
        if not current.isValid():
            return
        self.show_patch(int(self.proxy.data(current, FID_ROLE)))

    def show_patch(self, fid: int, zoom: bool = True) -> None:
        layer = self.result_layer()
        if layer is None:
            return
        feature = next(layer.getFeatures(QgsFeatureRequest(fid)), None)
        if feature is None:
            return
        geometry = feature.geometry() if feature.hasGeometry() else None
        patch_id = str(plain_value(feature[ResultField.PATCH_ID]) or "")
        remnants = self.remnants_layer()
        setup = setup_of(layer)
        self.detail.show_patch(
            feature,
            layer,
            remnant_pieces(remnants, patch_id, geometry),
            remnants,
            row=self.model.row_by_fid(fid),
            rules=setup.rules() if setup is not None else None,
            outline=geometry,
        )
        canvas = self.iface.mapCanvas() if self.iface is not None else None
        if zoom and canvas is not None and geometry is not None and not geometry.isEmpty():
            extent = canvas.mapSettings().layerExtentToOutputExtent(layer, geometry.boundingBox())
            extent.scale(2.5)  # the neighbours in view: a patch is judged with its surroundings
            canvas.setExtent(extent)
            canvas.refresh()
            canvas.flashFeatureIds(layer, [fid])

    def select_fids(self, fids: list[int]) -> None:
        """Selects those patches' rows (and so the features), as a user's click would."""
        selection = self.table.selectionModel()
        selection.clearSelection()
        wanted = set(fids)
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if int(self.proxy.data(index, FID_ROLE)) in wanted:
                flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
                selection.select(index, flags)

    def _context_menu(self, position) -> None:
        menu = QMenu(self.table)
        menu.addAction(tr(CONTEXT, "Re-check selected patches"), self.recheck_selected)
        if audit_link.available():
            menu.addAction(tr(CONTEXT, "Disputes and history…"), self.open_disputes)
        menu.exec(self.table.viewport().mapToGlobal(position))

    # -- re-check ---------------------------------------------------------------------------------
    def recheck_selected(self) -> bool:
        layer = self.result_layer()
        if layer is None:
            return False
        fids = list(layer.selectedFeatureIds())
        if not fids:
            self._message(
                tr(CONTEXT, "Select the patches to re-check in the table or on the map first."), Qgis.MessageLevel.Info
            )
            return False
        setup = setup_of(layer)
        survey = self.project.mapLayer(setup.survey) if setup is not None else None
        if setup is None or survey is None:
            self._message(
                tr(CONTEXT, "The survey layer of this result is no longer in the project; run Verify again."),
                Qgis.MessageLevel.Warning,
            )
            return False
        land, missing = setup.land_layers(self.project)
        if missing:  # without them the re-check would judge by other rules than the run
            self._message(
                tr(CONTEXT, "A farmland layer of this result is no longer in the project; run Verify again."),
                Qgis.MessageLevel.Warning,
            )
            return False
        before = {fid: self.model.row_by_fid(fid) for fid in fids}
        coverage = self.project.mapLayer(setup.coverage) if setup.coverage else None
        try:
            outcome = recheck_patches(
                layer,
                survey,
                fids,
                setup.rules(),
                area_field=setup.area_field,
                coverage_layer=coverage,
                remnants_layer=self.remnants_layer(),
                land=land,
            )
        except Refusal as refusal:
            self._message(refusal.text(is_chinese()), Qgis.MessageLevel.Critical)
            return False
        rows = [row_of(f) for f in layer.getFeatures(QgsFeatureRequest().setFilterFids(list(outcome.values)))]
        self.model.update_rows(rows)  # rows stay where they are (no dynamic re-filter) until the filter changes
        text = self._recheck_summary(before, rows)
        log = audit_link.log_path(self.project)
        try:
            head = audit_link.record_recheck(log, outcome, layer, fids, survey, coverage, setup.rules(), land)
        except Exception as error:
            self._message(
                tr(CONTEXT, "The re-check was not written to the audit log: {error}").format(error=error),
                Qgis.MessageLevel.Warning,
            )
            head = ""
        if head:
            audit_link.pin(self.project, log)
            text += " " + tr(CONTEXT, "Audit log: {path} (head {head}).").format(path=log, head=head[:16])
        self._apply_disputes()  # changed figures re-open a settled dispute; an unlogged re-check has no mark
        self.watch.rechecked(outcome.values)
        self._update_counts()
        current = self.table.currentIndex()
        if current.isValid():
            self.show_patch(int(self.proxy.data(current, FID_ROLE)), zoom=False)
        self._message(text, Qgis.MessageLevel.Success)
        return True

    def _recheck_summary(self, before: dict, rows: list) -> str:
        changes = []
        for row in rows:
            old = before.get(row.fid)
            if old is not None and old.status != row.status:
                changes.append(f"{row.patch_id} {status_word(old.status)} → {status_word(row.status)}")
        text = tr(CONTEXT, "Re-checked {n} patches.").format(n=len(rows))
        if changes:
            text += " " + tr(CONTEXT, "Changed: {changes}").format(changes=", ".join(changes[:10]))
        else:
            text += " " + tr(CONTEXT, "No result changed.")
        return text

    # -- disputes: a patch's history and marks, kept in the project's audit log --------------------
    def open_disputes(self) -> None:
        """ui/disputes.py's dialog for the current patch (history and marks, in the audit log)."""
        layer = self.result_layer()
        current = self.table.currentIndex()
        if layer is None or not current.isValid():
            self._message(tr(CONTEXT, "Click a patch in the table first."), Qgis.MessageLevel.Info)
            return
        row = self.model.row_by_fid(int(self.proxy.data(current, FID_ROLE)))
        dialog = audit_link.open_dialog(audit_link.log_path(self.project), row.patch_id, self, self._marked)
        if dialog is not None:
            self._dialogs = [d for d in self._dialogs if d.isVisible()] + [dialog]

    def _marked(self, *_args) -> None:
        audit_link.pin(self.project, audit_link.log_path(self.project))
        self._show_log()
        self._apply_disputes()
        self._fit_id_column()
        self._update_counts()
        current = self.table.currentIndex()
        if current.isValid():  # the detail reads as the table now does
            self.show_patch(int(self.proxy.data(current, FID_ROLE)), zoom=False)

    def _apply_disputes(self) -> None:
        """Where the audit log's marks stand for the result layer's rows (core.audit.standing_states,
        through ui/audit_link.py): in the table (final status, 争议 column, bold) and on the map (the
        layer's final_st and dispute fields, which result.qml fills and outlines by)."""
        layer = self.result_layer()
        if layer is None:
            return
        states = audit_link.standing_states(audit_link.log_path(self.project), layer)
        self.model.set_disputes(states)
        write_review(layer, states)

    # -- exports: the last result as 验收图 and 报表 ------------------------------------------------
    def _export_path(self, word: str, suffix: str, township: str | None) -> str:
        """The default file: <folder>/<word>_<township>_<run date><suffix>, never one already there."""
        name = None if township is None else (township or tr(CONTEXT, "(no township)"))
        stem = exports.export_stem(word, exports.run_date(self.result_layer()), name)
        return exports.free_path(exports.default_path(self.project, stem, suffix))

    def export_maps_clicked(self) -> None:
        layer = self.result_layer()
        if layer is None:
            return
        township = self.township_filter.currentData()
        word = tr(CONTEXT, "verification_maps")
        dialog = exports.ExportMapsDialog(
            self._export_path(word, ".pdf", township),
            self,
            status=self.status_filter.currentData() or "",
            township=township,
            townships=self.model.townships(),
            namer=lambda chosen: self._export_path(word, ".pdf", chosen),
            photos=exports.photo_layer(self.project),
        )  # starts from the table's filters: the pages are the rows in view
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.path():
            return
        self.export_maps(
            dialog.path(),
            basemap=dialog.basemap.currentLayer(),
            status=dialog.status(),
            township=dialog.township_name(),
            photos=dialog.photos.currentLayer(),
            before=dialog.before.currentLayer(),
        )

    def export_report_clicked(self) -> None:
        """The report of the township the table shows (every township when none is chosen)."""
        layer = self.result_layer()
        if layer is None:
            return
        township = self.township_filter.currentData()
        path = exports.ask_report_path(self, self._export_path(tr(CONTEXT, "verification_report"), ".xlsx", township))
        if path:
            self.export_report(path, township=township)

    def export_maps(
        self, path: str, basemap=None, status: str = "", township: str | None = None, photos=None, before=None
    ) -> bool:
        """demolitionverifier:export_maps over the dock's result (INPUT), its remnants (REMNANTS) and
        the project's audit log (AUDIT_LOG); `status` '' for every patch, else only those whose
        result (as the table shows it) is that status; `township` None for every township, else
        only that one's ('' those without); `photos` a point layer of field photos (PHOTOS);
        `before` the pre-demolition raster (BEFORE_BASEMAP: the page shows it beside `basemap`).
        True when the PDF was written."""
        layer = self.result_layer()
        if layer is None or not path or self._refuse_doubtful(self._doubtful_in(status, township)):
            return False
        parameters = {Param.INPUT: layer.id(), Param.OUTPUT: exports.with_suffix(path, ".pdf")}
        remnants = self.remnants_layer()
        if remnants is not None:
            parameters[Param.REMNANTS] = remnants.id()
        if basemap is not None:
            parameters[Param.BASEMAP] = basemap.id()
        if photos is not None:
            parameters[Param.PHOTOS] = photos.id()
        if before is not None:
            parameters[Param.BEFORE_BASEMAP] = before.id()
        expression = exports.maps_filter(layer, status, township)
        if expression:
            parameters[Param.FILTER] = expression
        outcome = self._export_run(exports.MAPS_ALGORITHM, parameters)
        if not outcome.ok:
            return False
        written = str(outcome.results.get(Param.OUTPUT) or parameters[Param.OUTPUT])
        text = tr(CONTEXT, "Verification maps written: {pages} pages, {path}").format(
            pages=int(outcome.results.get(Param.PAGES) or 0), path=written
        )
        self._export_done(outcome, written, text)
        return True

    def export_report(self, path: str, township: str | None = None) -> bool:
        """demolitionverifier:export_report over the dock's result and the project's audit log;
        `township` None for every township, else only that one's patches (FILTER; '' those
        without). True when the workbook was written."""
        layer = self.result_layer()
        if layer is None or not path or self._refuse_doubtful(self._doubtful_in(township=township)):
            return False
        parameters = {Param.INPUT: layer.id(), Param.OUTPUT: exports.with_suffix(path, ".xlsx")}
        if township is not None:
            parameters[Param.FILTER] = exports.maps_filter(layer, township=township)
        outcome = self._export_run(exports.REPORT_ALGORITHM, parameters)
        if not outcome.ok:
            return False
        written = str(outcome.results.get(Param.OUTPUT) or parameters[Param.OUTPUT])
        text = tr(CONTEXT, "Report written: {patches} patches, {path}").format(
            patches=int(outcome.results.get(Param.PATCHES) or 0), path=written
        )
        self._export_done(outcome, written, text)
        return True

    def _export_run(self, algorithm_id: str, parameters: dict) -> exports.ExportOutcome:
        """Runs an export on the main thread, the progress in the dock's bar, Cancel live; a refusal
        or a cancel is said in the message bar."""
        if self._export is not None or (self.run is not None and not self.run.finished):
            return exports.ExportOutcome(False)
        log = audit_link.log_path(self.project)
        recorded = self._recorded_log()
        if log and os.path.isfile(log):  # the head hash and the auditors' marks are printed
            parameters[Param.AUDIT_LOG] = log
        elif recorded:
            # the result was recorded in a log that is gone: an export would silently lose the marks
            # and the head hash
            self._message(
                tr(
                    CONTEXT,
                    "Export refused: this result was recorded in the audit log {path}, which cannot be found. "
                    "Without it the marks and the head hash would be missing from the file. "
                    "Put the log back, or run Verify again.",
                ).format(path=log or recorded),
                Qgis.MessageLevel.Critical,
            )
            return exports.ExportOutcome(False)
        self._export = exports.ExportFeedback(self._export_progressed)
        self.export_progress.setValue(0)
        self.export_progress.setVisible(True)
        self._update_buttons()
        self.widget().ensureWidgetVisible(self.export_progress)
        self.progress.setValue(0)
        try:
            outcome = exports.run_algorithm(algorithm_id, parameters, self.project, self._export)
        finally:
            self._export = None
            self.export_progress.setVisible(False)
            self._update_buttons()
        log_to = get_logger()
        for line in outcome.warnings:
            log_to.warning(line)
        if outcome.ok:
            self.progress.setValue(100)
            exports.remember_folder(parameters[Param.OUTPUT])
        elif outcome.cancelled:
            self.progress.setValue(0)
            self._message(tr(CONTEXT, "Export cancelled; no file was written."), Qgis.MessageLevel.Info)
        else:
            self.progress.setValue(0)
            errors = "\n".join(outcome.errors) or tr(CONTEXT, "unknown error (see the message log)")
            log_to.error(errors)
            self._message(tr(CONTEXT, "Export failed: {errors}").format(errors=errors), Qgis.MessageLevel.Critical)
        return outcome

    def _export_progressed(self, value: float) -> None:
        self.progress.setValue(int(value))
        self.export_progress.setValue(int(value))

    def _recorded_log(self) -> str:
        layer = self.result_layer()
        return str(layer.customProperty(AUDIT_LOG_PROPERTY, "") or "") if layer is not None else ""

    def _export_done(self, outcome: exports.ExportOutcome, path: str, text: str) -> None:
        head = str(outcome.results.get(Param.AUDIT_HEAD) or "")
        if head:
            text += " " + tr(CONTEXT, "Audit log head printed: {head}.").format(head=head[:16])
        elif self._recorded_log():
            # not a green success: the file lacks what the auditors rely on
            warning = tr(
                CONTEXT,
                "Written WITHOUT the audit log's head hash and marks: the log {path} does not hold this "
                "result's run. See the message log.",
            ).format(path=audit_link.log_path(self.project))
            get_logger().warning(warning)
            self._message(f"{warning} {path}", Qgis.MessageLevel.Critical)
            return
        get_logger().info(text)
        if self.iface is not None:
            bar = self.iface.messageBar()
            item = QgsMessageBar.createMessage(tr(CONTEXT, "Demolition verification"), text)
            button = QPushButton(tr(CONTEXT, "Open"))
            button.setObjectName("openExportButton")
            button.clicked.connect(lambda _checked=False, target=path: exports.open_file(target))
            item.layout().addWidget(button)
            bar.pushWidget(item, Qgis.MessageLevel.Success, 30)
        if outcome.warnings:
            self._message(" ".join(outcome.warnings[:3]), Qgis.MessageLevel.Warning)

    # -- messages ---------------------------------------------------------------------------------
    def _message(self, text: str, level) -> None:
        title = tr(CONTEXT, "Demolition verification")
        if self.iface is not None:
            duration = 0 if level == Qgis.MessageLevel.Critical else 8
            self.iface.messageBar().pushMessage(title, text, level, duration)
        else:
            get_logger().info(text)
