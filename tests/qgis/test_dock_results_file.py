# ruff: noqa: F811 - the dock tests' fixtures, imported by name
"""Results are work, not scratch: the dock saves the result and remnant layers (memory layers after a
verify) into a GeoPackage beside the project, says where they are, and the project's layers read
the file from then on, through a re-check, a mark, the exports and a reopened project. Real QGIS."""

from __future__ import annotations

import sys
from pathlib import Path

from qgis.core import Qgis, QgsRuleBasedRenderer, QgsVectorLayer
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtTest import QTest
from qgis.PyQt.QtWidgets import QPushButton

sys.path.insert(0, str(Path(__file__).resolve().parent))  # --import-mode=importlib: the dock tests' module by name
from test_dock import X0, by_id, county, mark, open_dock, plugin, table_rows, verify  # noqa: F401
from test_dock_day import xlsx_rows

from demolition_verifier.core import audit


def from_file(path: Path, table: str) -> dict:
    layer = QgsVectorLayer(f"{path}|layername={table}", table, "ogr")
    assert layer.isValid()
    return {
        f["patch_id"] + "@" + str(f["township"] if "township" in f.fields().names() else ""): f
        for f in layer.getFeatures()
    }


def test_results_saved_beside_the_project_keep_the_trail(plugin, county, tmp_path, qgis_iface, monkeypatch):
    from demolition_verifier.ui import result_files

    project, patches, survey = county
    dock = open_dock(plugin, patches, survey)
    verify(dock)
    result, remnants = dock.result_layer(), dock.remnants_layer()
    ids = (result.id(), remnants.id())
    assert result.providerType() == "memory"
    assert not dock.results_label.isHidden() and "temporary" in dock.results_label.text()
    assert not dock.save_results_button.isHidden()

    # saving the project while they are temporary: the bar says so and offers saving them
    assert project.write(str(tmp_path / "county.qgz"))
    offers = [
        item
        for item in qgis_iface.messageBar().items()
        if item.findChild(QPushButton, "saveResultsMessageButton") is not None
    ]
    assert offers and "temporary" in offers[-1].text()

    asked = []

    def save_as(_parent, _title, suggested, _filter):
        asked.append(suggested)
        return suggested, ""

    monkeypatch.setattr(result_files.QFileDialog, "getSaveFileName", save_as)
    QTest.mouseClick(dock.save_results_button, Qt.MouseButton.LeftButton)
    target = tmp_path / "county_verification_results.gpkg"
    assert asked == [str(target)], "beside the project, named after it"
    assert target.is_file()
    assert any(str(target) in m for m in qgis_iface.messageBar().get_messages(Qgis.MessageLevel.Success))
    # the same layers, now reading the file: ids, style, aliases and role kept
    assert (dock.result_layer().id(), dock.remnants_layer().id()) == ids
    result, remnants = dock.result_layer(), dock.remnants_layer()
    assert result.providerType() == "ogr" and result.source().split("|")[0] == str(target)
    assert remnants.source().split("|")[0] == str(target)
    assert isinstance(result.renderer(), QgsRuleBasedRenderer)
    assert result.attributeAlias(result.fields().lookupField("final_st")) == "最终结果"
    assert str(target) in dock.results_label.toolTip() and dock.save_results_button.isHidden()
    assert len(table_rows(dock)) == 5
    assert not list(tmp_path.glob(".~*")), "no staging folder left"

    # a mark: its final status is written into the file
    mark(dock, "H2", "overturned", "现场复核：主体已拆除", "pass")
    saved = from_file(target, "verify_result")
    assert saved["H2@城关镇"]["final_st"] == "pass" and saved["H2@城关镇"]["dispute"] == "overturned"

    # a re-check after a survey edit: the new figures and remnants in the file
    assert survey.startEditing()
    building = next(f for f in survey.getFeatures() if f.geometry().boundingBox().xMinimum() > X0 + 600)
    assert survey.deleteFeature(building.id())
    assert survey.commitChanges()
    dock.select_fids([by_id(result, "H4")[0].id()])
    assert dock.recheck_selected()
    assert from_file(target, "verify_result")["H4@柳林镇"]["status"] == "pass"
    assert "H4@" not in from_file(target, "verify_remnants"), "H4's remnant is gone from the file"
    log = tmp_path / "county_audit.gpkg"
    assert [e.data["kind"] for e in audit.entries(log, kinds=["run"])] == ["verify", "re-check"]

    # the exports over the saved layers still match the log
    assert dock.export_report(str(tmp_path / "after.xlsx"))
    rows = xlsx_rows(tmp_path / "after.xlsx", "图斑明细")
    assert any(c and "审计链头哈希" in str(c) for r in rows for c in r)
    assert dock.export_maps(str(tmp_path / "after.pdf"))

    # closed and reopened: the layers are there, with their rows, and the trail goes on
    assert project.write(str(tmp_path / "county.qgz"))
    project.clear()
    assert project.read(str(tmp_path / "county.qgz"))
    result = dock.result_layer()
    assert result is not None and result.featureCount() == 5 and result.source().split("|")[0] == str(target)
    assert len(table_rows(dock)) == 5
    assert next(r for r in table_rows(dock) if r["Patch id"] == "H2")["Result"] == "pass"
    assert dock.export_report(str(tmp_path / "reopened.xlsx"))
