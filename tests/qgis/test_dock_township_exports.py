# ruff: noqa: F811 - the dock tests' fixtures, imported by name
"""Exports a township can use: the report of one township (export_report's FILTER, as export_maps
has it), default names that carry the township and the date and never overwrite an earlier export,
field photos offered by the maps dialog, the export's progress in view where its button was
pressed, and a re-check that is one trail with its run, not 'results of 2 runs'. Real QGIS."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import openpyxl
import pytest
from qgis.core import Qgis, QgsProcessingException, QgsSettings, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtTest import QTest
from qgis.PyQt.QtWidgets import QDialog

sys.path.insert(0, str(Path(__file__).resolve().parent))  # --import-mode=importlib: the dock tests' module by name
from export_data import geotagged_photo, verified_county
from qgis_layers import RecordingFeedback
from test_dock import LIU_TOWN, X0, Y0, ZH_TOWN, by_id, county, open_dock, plugin, verify  # noqa: F401
from test_dock_exports import pdf_text

from demolition_verifier.core import audit
from demolition_verifier.core.messages import text


@pytest.fixture(autouse=True)
def no_remembered_folder():
    from demolition_verifier.ui.settings import EXPORT_DIR_KEY

    settings = QgsSettings()
    saved = settings.value(EXPORT_DIR_KEY)
    settings.remove(EXPORT_DIR_KEY)
    yield
    if saved is None:
        settings.remove(EXPORT_DIR_KEY)
    else:
        settings.setValue(EXPORT_DIR_KEY, saved)


def detail_ids(path: Path) -> list[str]:
    return [r[1] for r in openpyxl.load_workbook(path)["图斑明细"].iter_rows(min_row=5, values_only=True) if r[1]]


# -- the algorithm: FILTER ---------------------------------------------------------------------------
def test_export_report_filter_limits_the_report_to_one_township(processing, tmp_path):
    log = tmp_path / "audit.gpkg"
    county = verified_county(processing, tmp_path, audit_log=log)
    expression = "\"township\" = '城关镇'"
    path = tmp_path / "town.xlsx"
    result = processing.run(
        "demolitionverifier:export_report",
        {"INPUT": county["OUTPUT"], "AUDIT_LOG": str(log), "FILTER": expression, "OUTPUT": str(path)},
    )
    assert result["PATCHES"] == 2 and result["AUDIT_HEAD"], "the log is checked against the whole layer"
    assert sorted(detail_ids(path)) == ["H1", "H2"]
    book = openpyxl.load_workbook(path)
    summary = [r[1] for r in book["乡镇汇总"].iter_rows(min_row=5, values_only=True) if r[1]]
    assert summary == ["城关镇", "合计"]
    assert all(expression in ws["A2"].value for ws in book), "the sheet says it is a part"

    # a filter that keeps nothing, or does not parse, writes nothing
    for bad in ("\"township\" = '无此乡'", '"township" = = 1', '"no_such_field" = 1'):
        target = tmp_path / "none.xlsx"
        with pytest.raises(QgsProcessingException):
            processing.run(
                "demolitionverifier:export_report", {"INPUT": county["OUTPUT"], "FILTER": bad, "OUTPUT": str(target)}
            )
        assert not target.exists()
    # without FILTER: the county, as before
    whole = tmp_path / "whole.xlsx"
    processing.run("demolitionverifier:export_report", {"INPUT": county["OUTPUT"], "OUTPUT": str(whole)})
    assert len(detail_ids(whole)) == 5


def test_two_unrelated_runs_are_still_warned(processing, tmp_path):
    """Rows of two verify runs (merged by hand) into one log: the warning stays. The later run decided
    every patch again, so the first run's rows are older decisions: refused unless ALLOW_OLDER_RUN."""
    log = tmp_path / "audit.gpkg"
    first = verified_county(processing, tmp_path, audit_log=log)
    (tmp_path / "again").mkdir()
    again = verified_county(processing, tmp_path / "again", audit_log=log)
    later = QgsVectorLayer(again["OUTPUT"], "again", "ogr").getFeature(1)["run_id"]
    layer = QgsVectorLayer(first["OUTPUT"], "verified", "ogr")
    h1 = next(f for f in layer.getFeatures() if f["patch_id"] == "H1")
    assert layer.dataProvider().changeAttributeValues({h1.id(): {layer.fields().lookupField("run_id"): later}})
    params = {"INPUT": first["OUTPUT"], "AUDIT_LOG": str(log), "OUTPUT": str(tmp_path / "r.xlsx")}
    with pytest.raises(QgsProcessingException, match="4 patches were decided again"):
        processing.run("demolitionverifier:export_report", params)
    feedback = RecordingFeedback()
    processing.run("demolitionverifier:export_report", {**params, "ALLOW_OLDER_RUN": True}, feedback=feedback)
    assert "verify runs" in feedback.text() and "merged on purpose" in feedback.text()
    assert "one audit trail" not in feedback.text()


# -- the dock ------------------------------------------------------------------------------------------
@pytest.fixture
def verified(plugin, county):
    _project, patches, survey = county
    dock = open_dock(plugin, patches, survey)
    verify(dock)
    return dock


def test_report_of_the_township_in_view_named_with_township_and_date(verified, tmp_path, monkeypatch):
    from demolition_verifier.ui import exports

    dock = verified
    asked = []

    def save_as(_parent, _title, suggested, _filter):
        asked.append(suggested)
        return suggested, ""

    monkeypatch.setattr(exports.QFileDialog, "getSaveFileName", save_as)
    dock.township_filter.setCurrentIndex(dock.township_filter.findData(ZH_TOWN))
    QTest.mouseClick(dock.report_button, Qt.MouseButton.LeftButton)
    first = Path(asked[-1])
    assert re.fullmatch(rf"(核查报表|verification_report)_{ZH_TOWN}_\d{{4}}-\d{{2}}-\d{{2}}\.xlsx", first.name)
    assert first.is_file() and sorted(detail_ids(first)) == ["H1", "H2", "H3"]

    # the same township again: a new name, the first file kept
    before = first.read_bytes()
    QTest.mouseClick(dock.report_button, Qt.MouseButton.LeftButton)
    second = Path(asked[-1])
    assert second != first and second.stem == first.stem + "_2" and second.is_file()
    assert first.read_bytes() == before

    # another township, then the whole county: names of their own
    dock.township_filter.setCurrentIndex(dock.township_filter.findData(LIU_TOWN))
    QTest.mouseClick(dock.report_button, Qt.MouseButton.LeftButton)
    assert LIU_TOWN in Path(asked[-1]).name and sorted(detail_ids(Path(asked[-1]))) == ["H1", "H4"]
    dock.township_filter.setCurrentIndex(0)
    QTest.mouseClick(dock.report_button, Qt.MouseButton.LeftButton)
    county_file = Path(asked[-1])
    assert ZH_TOWN not in county_file.name and LIU_TOWN not in county_file.name
    assert len(detail_ids(county_file)) == 5


def test_maps_dialog_names_by_township_and_offers_photos(verified, tmp_path, monkeypatch):
    from qgis.PyQt.QtGui import QColor

    from demolition_verifier.ui import exports

    dock = verified
    project = dock.project
    photo = geotagged_photo(tmp_path / "h2.jpg", X0 + 250, Y0 + 50, QColor(200, 60, 60), "H2")
    imported = __import__("processing").run(
        "native:importphotos", {"FOLDER": str(tmp_path), "RECURSIVE": False, "OUTPUT": "memory:"}
    )["OUTPUT"]
    imported.setName("现场照片")
    project.addMapLayer(imported)
    seen = {}

    def accept(dialog):
        seen["photos"] = dialog.photos.currentLayer()
        seen["allow_empty"] = dialog.photos.allowEmptyLayer()
        seen["first"] = dialog.file.filePath()
        dialog.township.setCurrentIndex(dialog.township.findData(ZH_TOWN))  # the name follows the township
        seen["named"] = dialog.file.filePath()
        dialog.which.setCurrentIndex(dialog.which.findData("fail"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(exports.ExportMapsDialog, "exec", accept)
    QTest.mouseClick(dock.maps_button, Qt.MouseButton.LeftButton)
    assert seen["photos"] is imported and seen["allow_empty"], "the photo layer is offered, and can be left out"
    assert re.fullmatch(r"(验收图|verification_maps)_\d{4}-\d{2}-\d{2}\.pdf", Path(seen["first"]).name)
    named = Path(seen["named"])
    assert re.fullmatch(rf"(验收图|verification_maps)_{ZH_TOWN}_\d{{4}}-\d{{2}}-\d{{2}}\.pdf", named.name)
    assert named.is_file()
    text = pdf_text(named).replace("\n", "")
    assert "H2" in text and photo.name in text, "the photo's caption is on H2's page"

    # a name the user typed is kept when the township changes
    def typed(dialog):
        dialog.file.setFilePath(str(tmp_path / "mine.pdf"))
        dialog.township.setCurrentIndex(dialog.township.findData(LIU_TOWN))
        seen["typed"] = dialog.file.filePath()
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(exports.ExportMapsDialog, "exec", typed)
    QTest.mouseClick(dock.maps_button, Qt.MouseButton.LeftButton)
    assert seen["typed"] == str(tmp_path / "mine.pdf")


def test_export_progress_is_in_view_where_the_button_was_pressed(verified, tmp_path):
    dock = verified
    dock.setFloating(True)
    dock.resize(420, 520)  # a short dock: the top bar is scrolled away once the buttons are in view
    for _ in range(5):
        QCoreApplication.processEvents()
    scroll = dock.widget()
    scroll.ensureWidgetVisible(dock.report_button)
    for _ in range(5):
        QCoreApplication.processEvents()
    assert not dock.export_progress.isVisible(), "shown only while an export runs"
    views = []

    def look(_value) -> None:
        bar = dock.export_progress
        top_left = bar.mapTo(scroll.widget(), bar.rect().topLeft())
        shown = scroll.viewport().rect().translated(0, scroll.verticalScrollBar().value())
        views.append((bar.isVisible(), shown.contains(top_left) and shown.bottom() >= top_left.y() + bar.height()))

    dock.progress.valueChanged.connect(look)
    assert dock.export_maps(str(tmp_path / "maps.pdf"))
    dock.progress.valueChanged.disconnect(look)
    assert views and all(visible and in_view for visible, in_view in views), views
    assert dock.export_progress.value() == 100 and not dock.export_progress.isVisible()


def test_a_recheck_is_one_trail_with_its_run(verified, tmp_path, qgis_iface):
    """After an ordinary re-check the exports say the rows are one trail, and warn of nothing."""
    from demolition_verifier.ui import audit_link

    dock = verified
    result = dock.result_layer()
    survey = dock.inputs.survey.currentLayer()
    assert survey.startEditing()
    building = next(f for f in survey.getFeatures() if f.geometry().boundingBox().xMinimum() > X0 + 600)
    assert survey.deleteFeature(building.id())
    dock.select_fids([by_id(result, "H4")[0].id()])
    assert dock.recheck_selected()
    assert survey.commitChanges()
    runs = {f["run_id"] for f in result.getFeatures()}
    assert len(runs) == 2, "the re-checked row carries the re-check's run id"
    log = audit_link.log_path(dock.project)
    kinds = [e.data["kind"] for e in audit.entries(log, kinds=["run"])]
    assert kinds == ["verify", "re-check"]

    warnings_before = len(qgis_iface.messageBar().get_messages(Qgis.MessageLevel.Warning))
    for export, target in ((dock.export_maps, tmp_path / "m.pdf"), (dock.export_report, tmp_path / "r.xlsx")):
        assert export(str(target))
    warnings = qgis_iface.messageBar().get_messages(Qgis.MessageLevel.Warning)[warnings_before:]
    assert not [w for w in warnings if "runs" in w or "运行的结果" in w], warnings

    feedback = RecordingFeedback()
    __import__("processing").run(
        "demolitionverifier:export_report",
        {"INPUT": result.id(), "AUDIT_LOG": log, "OUTPUT": str(tmp_path / "again.xlsx")},
        feedback=feedback,
    )
    verify_run = next(e.run_id for e in audit.entries(log, kinds=["run"]) if e.data["kind"] == "verify")
    recheck_run = next(r for r in runs if r != verify_run)
    said = text("one_trail", False, run=verify_run, count=1, rechecks=recheck_run)
    assert said in feedback.lines
    assert "merged on purpose" not in feedback.text()
