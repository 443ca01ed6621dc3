"""The dock's exports of the last result: 验收图 (demolitionverifier:export_maps, a PDF) and 报表
(demolitionverifier:export_report, an .xlsx). Both algorithms do the work; this module picks the
file, runs them on the main thread (the maps are FlagNoThreading: QGIS's print layouts are) with a
feedback that drives the dock's progress bar and keeps the UI painting, and says what came out."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

from qgis.core import (
    QgsApplication,
    QgsExpression,
    QgsFeatureRequest,
    QgsMapLayerProxyModel,
    QgsProcessingContext,
    QgsProject,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.gui import QgsFileWidget, QgsMapLayerComboBox
from qgis.PyQt.QtCore import QCoreApplication, QUrl
from qgis.PyQt.QtGui import QDesktopServices
from qgis.PyQt.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QWidget

from ..core.definitions import PHOTO_FIELD, DockField, ResultField, Status
from ..qgis_adapter.compat import no_geometry_flag
from ..qgis_adapter.layers import plain_value
from .i18n import tr
from .settings import last_export_dir, set_last_export_dir
from .task import CollectingFeedback

CONTEXT = "Exports"
MAPS_ALGORITHM = "demolitionverifier:export_maps"
REPORT_ALGORITHM = "demolitionverifier:export_report"
REPAINT_EVERY_S = 0.05  # while the percent stands still, events are processed this often


@dataclass
class ExportOutcome:
    ok: bool
    cancelled: bool = False
    results: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class ExportFeedback(CollectingFeedback):
    """Progress to the dock's bar; events are processed now and then so the dock repaints and its
    Cancel button can be pressed while the algorithm runs on the main thread."""

    def __init__(self, on_progress) -> None:
        super().__init__()
        self._on_progress = on_progress
        self._last = (-1, 0.0)  # the percent and the time events were last processed at
        self.progressChanged.connect(self._progress)

    def _progress(self, value: float) -> None:
        self._on_progress(value)
        percent, now = int(value), time.monotonic()
        if percent != self._last[0] or now - self._last[1] >= REPAINT_EVERY_S:  # a few hundred times a run
            self._last = (percent, now)
            QCoreApplication.processEvents()


def run_algorithm(
    algorithm_id: str,
    parameters: dict,
    project: QgsProject,
    feedback: ExportFeedback,
    context: QgsProcessingContext | None = None,
) -> ExportOutcome:
    """Runs the algorithm here, on the main thread (what FlagNoThreading asks for, and harmless for the
    report, which is quick). Errors and refusals are in the outcome, never raised. A `context` given
    keeps the output layers (context.takeResultLayer)."""
    algorithm = QgsApplication.processingRegistry().createAlgorithmById(algorithm_id)
    if algorithm is None:
        return ExportOutcome(
            False,
            errors=[
                tr(
                    CONTEXT, "The algorithm {name} is not available; is the plugin's Processing provider loaded?"
                ).format(name=algorithm_id)
            ],
        )
    context = context or QgsProcessingContext()
    context.setProject(project)
    QCoreApplication.processEvents()  # the button's click and the dialog's close are painted first
    try:
        results, ok = algorithm.run(parameters, context, feedback)
    except Exception as error:
        results, ok = {}, False
        feedback.errors.append(str(error))
    cancelled = feedback.isCanceled()
    return ExportOutcome(
        bool(ok) and not cancelled,
        cancelled=cancelled,
        results=dict(results or {}),
        errors=[plain_error(e) for e in feedback.errors if e.strip()],
        warnings=list(feedback.warnings),
    )


def plain_error(error: str) -> str:
    """The algorithm's message without a Python traceback around it (its last line)."""
    if "Traceback" not in error:
        return error.strip()
    lines = [line.strip() for line in error.strip().splitlines() if line.strip()]
    return lines[-1] if lines else error.strip()


# -- what goes in -------------------------------------------------------------------------------------
def maps_filter(layer: QgsVectorLayer, status: str = "", township: str | None = None) -> str:
    """FILTER for the patches the dock's table shows under its status and township filters: the
    result as the table shows it (final_st, an overturn standing in the audit log, where the layer
    has it, else the computed status) and the township field; '' for every patch. `township` None
    is every township, '' the patches without one. Values are quoted by QgsExpression."""
    parts = []
    if status:
        column = QgsExpression.quotedColumnRef(ResultField.STATUS)
        if layer.fields().lookupField(DockField.FINAL_STATUS) >= 0:
            column = f"coalesce({QgsExpression.quotedColumnRef(DockField.FINAL_STATUS)}, {column})"
        parts.append(f"{column} = {QgsExpression.quotedValue(status)}")
    if township is not None:
        parts.append(
            f"coalesce({QgsExpression.quotedColumnRef(ResultField.TOWNSHIP)}, '') = {QgsExpression.quotedValue(township)}"
        )
    return " AND ".join(parts)


def status_filter(layer: QgsVectorLayer, status: str) -> str:
    """FILTER for one result (every township); see maps_filter."""
    return maps_filter(layer, status)


def run_date(layer: QgsVectorLayer | None) -> str:
    """The day of the layer's latest verify (checked_at, ISO), e.g. 2024-05-01; today when unknown."""
    latest = ""
    if layer is not None and layer.fields().lookupField(ResultField.CHECKED_AT) >= 0:
        request = (
            QgsFeatureRequest()
            .setFlags(no_geometry_flag())
            .setSubsetOfAttributes([ResultField.CHECKED_AT], layer.fields())
        )
        for feature in layer.getFeatures(request):
            value = plain_value(feature[ResultField.CHECKED_AT])
            text = value.toString("yyyy-MM-dd") if hasattr(value, "toString") else str(value or "")
            latest = max(latest, text[:10])
    return latest or time.strftime("%Y-%m-%d")


def default_path(project: QgsProject, stem: str, suffix: str) -> str:
    """<last used folder, else the project's folder, else home>/<stem><suffix>."""
    folder = last_export_dir()
    if not folder or not os.path.isdir(folder):
        folder = project.homePath() if project.fileName() else ""
    if not folder or not os.path.isdir(folder):
        folder = os.path.expanduser("~")
    return os.path.join(folder, stem + suffix)


def name_part(text: str) -> str:
    """A township name as part of a file name: the characters Windows refuses become _."""
    return "".join("_" if c in '\\/:*?"<>|' or ord(c) < 32 else c for c in text).strip(" .") or "_"


def export_stem(word: str, date: str, township: str | None = None) -> str:
    """验收图_<township>_<date> (no township part for the whole county): one township's export and the
    county's, or two days', never share a name."""
    parts = [word] + ([name_part(township)] if township else []) + [date]
    return "_".join(parts)


def free_path(path: str) -> str:
    """`path`, or with _2, _3 … before the suffix when a file of that name is already there."""
    if not os.path.exists(path):
        return path
    stem, ext = os.path.splitext(path)
    n = 2
    while os.path.exists(f"{stem}_{n}{ext}"):
        n += 1
    return f"{stem}_{n}{ext}"


def with_suffix(path: str, suffix: str) -> str:
    return path if path.lower().endswith(suffix) else path + suffix


def remember_folder(path: str) -> None:
    set_last_export_dir(os.path.dirname(os.path.abspath(path)))


def ask_report_path(parent: QWidget | None, suggested: str) -> str:
    path, _filter = QFileDialog.getSaveFileName(
        parent, tr(CONTEXT, "Export report"), suggested, tr(CONTEXT, "Excel workbook (*.xlsx)")
    )
    return with_suffix(path, ".xlsx") if path else ""


def photo_layer(project: QgsProject) -> QgsVectorLayer | None:
    """The first point layer holding photo paths (QGIS's "Import geotagged photos" output), else None."""
    for layer in project.mapLayers().values():
        if (
            isinstance(layer, QgsVectorLayer)
            and layer.geometryType() == QgsWkbTypes.PointGeometry
            and layer.fields().lookupField(PHOTO_FIELD) >= 0
        ):
            return layer
    return None


class ExportMapsDialog(QDialog):
    """Where to save the PDF, an optional basemap raster and photo layer, and which patches get a
    page: by result and by township, starting from the dock table's filters (what the user is
    looking at). `namer(township)` gives the default file for a township: the file follows the
    township chosen here until the user types a name of their own."""

    def __init__(
        self,
        suggested: str,
        parent: QWidget | None = None,
        status: str = "",
        township: str | None = None,
        townships: list[str] | tuple[str, ...] = (),
        namer=None,
        photos: QgsVectorLayer | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportMapsDialog")
        self.setWindowTitle(tr(CONTEXT, "Export verification maps"))
        layout = QFormLayout(self)
        self.file = QgsFileWidget()
        self.file.setObjectName("mapsFile")
        self.file.setStorageMode(QgsFileWidget.SaveFile)
        self.file.setConfirmOverwrite(True)
        self.file.setFilter(tr(CONTEXT, "PDF document (*.pdf)"))
        self.file.setDialogTitle(tr(CONTEXT, "Export verification maps"))
        self.file.setFilePath(suggested)
        self.basemap = QgsMapLayerComboBox()
        self.basemap.setObjectName("mapsBasemap")
        self.basemap.setFilters(QgsMapLayerProxyModel.RasterLayer)
        self.basemap.setAllowEmptyLayer(True)
        self.basemap.setLayer(None)
        self.basemap.setToolTip(tr(CONTEXT, "A raster under the map, e.g. the post-demolition orthophoto"))
        self.before = QgsMapLayerComboBox()
        self.before.setObjectName("mapsBeforeBasemap")
        self.before.setFilters(QgsMapLayerProxyModel.RasterLayer)
        self.before.setAllowEmptyLayer(True)
        self.before.setLayer(None)
        self.before.setToolTip(
            tr(CONTEXT, "The pre-demolition imagery: given, each page shows it beside the basemap, before and after")
        )
        self.photos = QgsMapLayerComboBox()
        self.photos.setObjectName("mapsPhotos")
        self.photos.setFilters(QgsMapLayerProxyModel.PointLayer)
        self.photos.setAllowEmptyLayer(True)
        self.photos.setLayer(photos)
        self.photos.setToolTip(
            tr(
                CONTEXT,
                "Field photos: a point layer with a “photo” field (Processing → Import geotagged photos); "
                "up to two photos inside or near each patch are printed on its page",
            )
        )
        self.which = QComboBox()
        self.which.setObjectName("mapsFilter")
        self.which.addItem(tr(CONTEXT, "All patches"), "")
        self.which.addItem(tr(CONTEXT, "Only failed patches"), Status.FAIL.value)
        self.which.addItem(tr(CONTEXT, "Only passed patches"), Status.PASS.value)
        self.which.addItem(tr(CONTEXT, "Only unsurveyed patches"), Status.UNSURVEYED.value)
        self.which.setCurrentIndex(max(0, self.which.findData(status or "")))
        self.township = QComboBox()
        self.township.setObjectName("mapsTownship")
        self.township.addItem(tr(CONTEXT, "All townships"), None)
        for name in townships:
            self.township.addItem(name or tr(CONTEXT, "(no township)"), name)
        found = self.township.findData(township) if township is not None else 0
        self.township.setCurrentIndex(max(0, found))
        layout.addRow(tr(CONTEXT, "Save as"), self.file)
        layout.addRow(tr(CONTEXT, "Before demolition (optional)"), self.before)
        layout.addRow(tr(CONTEXT, "Basemap (optional)"), self.basemap)
        layout.addRow(tr(CONTEXT, "Photos (optional)"), self.photos)
        layout.addRow(tr(CONTEXT, "Patches"), self.which)
        layout.addRow(tr(CONTEXT, "Township"), self.township)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr(CONTEXT, "Export"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr(CONTEXT, "Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)
        self.resize(520, self.sizeHint().height())
        self._namer = namer
        self._suggested = suggested
        self.township.currentIndexChanged.connect(self._township_changed)

    def _township_changed(self, *_args) -> None:
        if self._namer is None or self.file.filePath() != self._suggested:
            return  # a name the user chose stays
        self._suggested = self._namer(self.township_name())
        self.file.setFilePath(self._suggested)

    def path(self) -> str:
        path = self.file.filePath().strip()
        return with_suffix(path, ".pdf") if path else ""

    def status(self) -> str:
        return self.which.currentData() or ""

    def township_name(self) -> str | None:
        """None for every township, '' for the patches without one, else the name."""
        return self.township.currentData()


def open_file(path: str) -> bool:
    """The exported file in the system's viewer (PDF reader, spreadsheet)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(path))
