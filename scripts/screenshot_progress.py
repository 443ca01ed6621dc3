"""Run inside QGIS desktop (qgis --code): the dock's 进度 view over the sample county's campaign of
`make demo`, after one more verify through the dock, then the main window saved as a PNG.
`bash scripts/screenshot.sh docs/progress.png scripts/screenshot_progress.py` sets it all up
(`make demo` first: its demo_output/audit.gpkg holds the campaign, two days of runs, applications and
bulletins; a copy is used, the demo's own log is left as it is).

Environment: DV_SAMPLE (the sample GeoPackage, beside the demo's audit.gpkg), DV_SCREENSHOT (the PNG).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import traceback

from qgis.core import QgsApplication, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import Qt, QTimer
from qgis.PyQt.QtGui import QColor
from qgis.utils import iface, plugins

SAMPLE = os.environ["DV_SAMPLE"]
OUTPUT = os.environ["DV_SCREENSHOT"]
DEMO = os.path.dirname(SAMPLE)
state: dict = {}


def fail(message: str) -> None:
    sys.stderr.write(f"screenshot: {message}\n")
    sys.stderr.flush()
    os._exit(1)


def guarded(step):
    def run():
        try:
            step()
        except Exception:
            fail(traceback.format_exc())

    return run


def quiet_style(layer: QgsVectorLayer, outline: str, dashed: bool = False) -> None:
    symbol = layer.renderer().symbol()
    symbol.setColor(QColor(0, 0, 0, 0))
    fill = symbol.symbolLayer(0)
    fill.setStrokeColor(QColor(outline))
    fill.setStrokeWidth(0.3)
    if dashed:
        fill.setStrokeStyle(Qt.PenStyle.DashLine)


@guarded
def start() -> None:
    plugin = plugins.get("demolition_verifier")
    if plugin is None or plugin.dock is None:
        fail("the plugin did not load (is QGIS_PLUGINPATH set and the plugin enabled?)")
    log = os.path.join(DEMO, "audit.gpkg")
    survey_path = os.path.join(DEMO, "survey_day2.gpkg")
    if not (os.path.isfile(log) and os.path.isfile(survey_path)):
        fail(f"no campaign in {DEMO}: run `make demo` first")
    folder = tempfile.mkdtemp(prefix="dv-progress-shot-")
    shutil.copyfile(log, os.path.join(folder, "county_audit.gpkg"))  # the project's log, beside it
    window = iface.mainWindow()
    window.setGeometry(0, 0, 1600, 1000)
    project = QgsProject.instance()
    project.setFileName(os.path.join(folder, "county.qgz"))
    layers = {}
    for path, name, title in (
        (SAMPLE, "coverage", "调查范围"),
        (SAMPLE, "approvals", "用地批准范围"),
        (SAMPLE, "JBNTBHTB", "永久基本农田 JBNTBHTB"),
        (SAMPLE, "DLTB", "地类图斑 DLTB"),
        (survey_path, "survey", "现状调查（第 3 天）"),
        (SAMPLE, "patches", "督察图斑"),
    ):
        layer = QgsVectorLayer(f"{path}|layername={name}", title, "ogr")
        if not layer.isValid():
            fail(f"cannot open {path} layer {name}")
        layers[name] = layer
    quiet_style(layers["coverage"], "#1565c0", dashed=True)
    quiet_style(layers["survey"], "#424242")
    quiet_style(layers["DLTB"], "#c8c8c8")
    quiet_style(layers["JBNTBHTB"], "#f9a825")
    quiet_style(layers["approvals"], "#6a1b9a", dashed=True)
    project.addMapLayers(list(layers.values()))
    root = project.layerTreeRoot()
    for name in ("patches", "DLTB"):
        root.findLayer(layers[name].id()).setItemVisibilityChecked(False)

    dock = plugin.dock
    plugin.dock_action.trigger()
    window.resizeDocks([dock], [640], Qt.Orientation.Horizontal)
    inputs = dock.inputs
    inputs.patches.setLayer(layers["patches"])
    inputs.survey.setLayer(layers["survey"])
    inputs.coverage.setLayer(layers["coverage"])
    inputs.area_unit.setCurrentIndex(inputs.area_unit.findData(1))
    if inputs.land_class.currentLayer() is not layers["DLTB"] or inputs.approvals.currentLayer() is None:
        fail("the farmland layers were not guessed")
    if not dock.start_run():
        fail("the run did not start")
    state["plugin"] = plugin
    QTimer.singleShot(300, wait_for_run)


@guarded
def wait_for_run() -> None:
    dock = state["plugin"].dock
    if not dock.run.finished:
        QTimer.singleShot(300, wait_for_run)
        return
    if dock.result_layer() is None:
        fail("the verify run gave no result: " + "; ".join(dock.run.feedback.errors))
    view = dock.progress_view
    view.setCollapsed(False)
    if view.bulletin is None:
        fail("the progress view shows no campaign: " + view.summary.text())
    QTimer.singleShot(1500, scroll_to_view)


@guarded
def scroll_to_view() -> None:
    dock = state["plugin"].dock
    view = dock.progress_view
    scroll = dock.widget()
    # from the view's title down to 倒查责任: the whole view in sight
    bar = scroll.verticalScrollBar()
    bar.setValue(view.mapTo(scroll.widget(), view.rect().topLeft()).y() - 4)
    scroll.ensureWidgetVisible(view.accountability_button, 0, 6)
    iface.messageBar().clearWidgets()  # the run's notes about the sample's repaired geometries
    QTimer.singleShot(3000, grab)


@guarded
def grab() -> None:
    QgsApplication.processEvents()
    image = iface.mainWindow().grab()
    if not image.save(OUTPUT):
        fail(f"cannot write {OUTPUT}")
    print(f"screenshot: {OUTPUT} ({image.width()}x{image.height()})", flush=True)
    os._exit(0)


QTimer.singleShot(1000, start)
