# ruff: noqa: F811 - the dock tests' fixtures, imported by name
"""A verify run in QGIS's task manager (from the dock, or the toolbox's background run) while the map
keeps refreshing. QGIS resolves a layer given by id on the task's thread by walking the project's
layer store, which races with the main thread building the project's expression scope (every map
refresh does): QGIS 3.22 and 3.40 crash. The algorithms take the project's layers on the main thread
(prepareAlgorithm) and hand them on as objects. Real QGIS (pytest-qgis), real task manager."""

from __future__ import annotations

import sys
from pathlib import Path

from qgis.core import (
    QgsApplication,
    QgsExpressionContextUtils,
    QgsProcessingAlgRunnerTask,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtTest import QTest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # --import-mode=importlib: the dock tests' module by name
from test_dock import county, open_dock, plugin, table_rows  # noqa: F401 - fixtures and helpers of the dock tests

VERIFY = "demolitionverifier:verify"


def test_the_project_layers_are_taken_as_objects(plugin, county):
    from demolition_verifier.qgis_adapter.threads import project_layers_as_objects

    project, patches, survey = county
    algorithm = QgsApplication.processingRegistry().createAlgorithmById(VERIFY)
    context = QgsProcessingContext()
    context.setProject(project)
    parameters = {"PATCHES": patches.id(), "SURVEY": "/no/such/file.gpkg", "PATCH_ID_FIELD": "JCBH"}
    layers = project_layers_as_objects(algorithm, parameters, context)
    assert layers == {"PATCHES": patches}, "only the project's layers; paths and other values as given"
    assert project_layers_as_objects(algorithm, parameters, QgsProcessingContext()) == {}, "no project, nothing"


def _refresh_until(condition, project) -> None:
    while not condition():
        QgsExpressionContextUtils.projectScope(project)  # what QgsMapCanvas::refreshMap does first
        QCoreApplication.processEvents()
    QCoreApplication.processEvents()


def test_toolbox_background_runs_while_the_map_refreshes(plugin, county):
    """As QGIS's own dialog runs an algorithm in the background: layer ids, a task."""
    project, patches, survey = county
    statuses = []
    for _run in range(25):
        extra = QgsVectorLayer("Polygon?crs=EPSG:4527", "extra", "memory")
        project.addMapLayer(extra)  # resets the project's cached scope, as a layer added does
        algorithm = QgsApplication.processingRegistry().createAlgorithmById(VERIFY)
        context, feedback = QgsProcessingContext(), QgsProcessingFeedback()
        context.setProject(project)
        parameters = {"PATCHES": patches.id(), "SURVEY": survey.id(), "PATCH_ID_FIELD": "JCBH",
                      "MONITORED_AREA_FIELD": "JCMJ", "MONITORED_AREA_UNIT": 1, "TOWNSHIP_FIELD": "XZQMC",
                      "OUTPUT": "memory:"}  # fmt: skip
        task = QgsProcessingAlgRunnerTask(algorithm, parameters, context, feedback)
        ended = []
        task.executed.connect(lambda ok, results, ended=ended: ended.append((ok, results)))
        QgsApplication.taskManager().addTask(task)
        _refresh_until(lambda ended=ended: ended, project)
        ok, results = ended[0]
        assert ok
        layer = context.takeResultLayer(results["OUTPUT"])
        statuses.append(sorted((f["patch_id"], f["status"]) for f in layer.getFeatures()))
        project.removeMapLayer(extra.id())
    assert ("H2", "fail") in statuses[0]
    assert all(s == statuses[0] for s in statuses)


def test_runs_while_the_map_refreshes_all_end_with_the_same_answers(plugin, county):
    project, patches, survey = county
    dock = open_dock(plugin, patches, survey)
    answers = []
    for _run in range(25):
        # a layer added resets the project's cached scope; the refresh then builds it again while the
        # task starts resolving its inputs (before the fix: a segfault within a few runs)
        extra = QgsVectorLayer("Polygon?crs=EPSG:4527", "extra", "memory")
        project.addMapLayer(extra)
        QTest.mouseClick(dock.run_button, Qt.MouseButton.LeftButton)
        assert dock.run is not None
        _refresh_until(lambda: dock.run.finished, project)
        answers.append({(r["Patch id"], r["Township"]): r["Result"] for r in table_rows(dock)})
        project.removeMapLayer(extra.id())
    assert answers[0][("H2", "城关镇")] == "fail"
    assert all(a == answers[0] for a in answers)
