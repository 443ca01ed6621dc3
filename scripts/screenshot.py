"""Run inside QGIS desktop (qgis --code): the sample county, a verify through the dock, a failing
patch clicked, then the main window saved as a PNG. scripts/screenshot.sh sets it all up.

Environment: DV_SAMPLE (the sample GeoPackage), DV_SCREENSHOT (the PNG to write).
"""

from __future__ import annotations

import os
import sys
import traceback

from qgis.core import QgsApplication, QgsProject, QgsRectangle, QgsVectorLayer
from qgis.PyQt.QtCore import Qt, QTimer
from qgis.PyQt.QtGui import QColor
from qgis.utils import iface, plugins

SAMPLE = os.environ["DV_SAMPLE"]
OUTPUT = os.environ["DV_SCREENSHOT"]
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
    window = iface.mainWindow()
    window.setGeometry(0, 0, 1600, 1000)  # Xvfb has no window manager to maximise it
    project = QgsProject.instance()
    layers = {}
    for name, title in (("coverage", "调查范围"), ("survey", "现状调查"), ("patches", "督察图斑")):
        layer = QgsVectorLayer(f"{SAMPLE}|layername={name}", title, "ogr")
        if not layer.isValid():
            fail(f"cannot open {SAMPLE} layer {name}")
        layers[name] = layer
    quiet_style(layers["coverage"], "#1565c0", dashed=True)
    quiet_style(layers["survey"], "#424242")
    project.addMapLayers(list(layers.values()))
    root = project.layerTreeRoot()
    root.findLayer(layers["patches"].id()).setItemVisibilityChecked(False)  # the result is drawn instead

    dock = plugin.dock
    plugin.dock_action.trigger()  # the toolbar button opens the dock
    window.resizeDocks([dock], [700], Qt.Orientation.Horizontal)
    inputs = dock.inputs
    inputs.patches.setLayer(layers["patches"])
    inputs.survey.setLayer(layers["survey"])
    inputs.coverage.setLayer(layers["coverage"])
    inputs.area_unit.setCurrentIndex(inputs.area_unit.findData(1))  # JCMJ is in 亩
    if not dock.start_run():
        fail("the run did not start")
    state["plugin"] = plugin
    QTimer.singleShot(300, wait_for_run)


@guarded
def wait_for_run() -> None:
    from demolition_verifier.ui.results_model import FID_ROLE

    dock = state["plugin"].dock
    if not dock.run.finished:
        QTimer.singleShot(300, wait_for_run)
        return
    if dock.result_layer() is None:
        fail("the verify run gave no result: " + "; ".join(dock.run.feedback.errors))
    # walk to a patch whose main building was kept (拆次留主), near the middle of the county
    result = dock.result_layer()
    middle = result.extent().center()
    proxy = dock.proxy
    candidates = []
    for row in range(proxy.rowCount()):
        fid = proxy.data(proxy.index(row, 0), FID_ROLE)
        record = dock.model.row_by_fid(fid)
        if "main_retained" in record.reasons and "geometry_repaired" not in record.reasons:
            centre = result.getFeature(fid).geometry().centroid().asPoint()
            candidates.append((centre.sqrDist(middle), row))
    if not candidates:
        fail("no 拆次留主 patch in the sample")
    target = min(candidates)[1]
    dock.table.selectRow(target)
    dock.table.scrollTo(proxy.index(target, 0))
    QTimer.singleShot(1500, widen_view)


@guarded
def widen_view() -> None:
    canvas = iface.mapCanvas()
    centre = canvas.extent().center()
    half = 260.0  # about 3 x 3 patches around the one clicked
    canvas.setExtent(
        QgsRectangle(centre.x() - half * 1.4, centre.y() - half, centre.x() + half * 1.4, centre.y() + half)
    )
    canvas.refresh()
    QTimer.singleShot(4000, grab)


@guarded
def grab() -> None:
    QgsApplication.processEvents()
    image = iface.mainWindow().grab()
    if not image.save(OUTPUT):
        fail(f"cannot write {OUTPUT}")
    print(f"screenshot: {OUTPUT} ({image.width()}x{image.height()})", flush=True)
    os._exit(0)  # no "save the project?" question


QTimer.singleShot(1000, start)
