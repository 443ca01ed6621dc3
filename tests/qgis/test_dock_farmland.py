# ruff: noqa: F811 - the dock tests' fixtures, imported by name
"""The dock with verify's farmland inputs: land classes (DLTB with DLBM), permanent basic farmland
(JBNTBHTB) and approvals guessed from their names, passed to the run, their figures in the table and
the detail view in 亩, and a re-check that recomputes them. Real QGIS (pytest-qgis)."""

from __future__ import annotations

import sys
from pathlib import Path

from qgis.core import QgsFeature, QgsGeometry

sys.path.insert(0, str(Path(__file__).resolve().parent))  # --import-mode=importlib: the dock tests' module by name
from qgis_layers import memory_layer
from test_dock import (  # noqa: F401 - fixtures and helpers of the dock tests
    LIU_TOWN,
    ZH_TOWN,
    box,
    by_id,
    click_row,
    county,
    open_dock,
    plugin,
    table_rows,
    verify,
)

APPROVAL = "冀政土批〔2024〕7号"


def farmland_layers():
    """Cultivated land (0101) over the lower half of every patch, other land above; basic farmland
    under H2's kept building; an approval over H4's building."""
    land = memory_layer(
        "DLTB 地类图斑",
        [box(0, 0, 1000, 50), box(0, 50, 1000, 100)],
        "EPSG:4527",
        [("BSM", str), ("DLBM", str)],
        [["DLTB000001", "0101"], ["DLTB000002", "0201"]],
    )
    basic = memory_layer("JBNTBHTB", [box(200, 0, 250, 50)], "EPSG:4527", [("JBNTTBBH", str)], [["JB00001"]])
    approvals = memory_layer(
        "用地批准范围 approvals", [box(605, 5, 625, 25)], "EPSG:4527", [("PZWH", str)], [[APPROVAL]]
    )
    return land, basic, approvals


def test_farmland_layers_are_guessed_passed_and_their_figures_shown(plugin, county):
    project, patches, survey = county
    land, basic, approvals = farmland_layers()
    project.addMapLayers([land, basic, approvals])  # they arrive after the patches and the survey
    dock = open_dock(plugin, patches, survey)
    inputs = dock.inputs
    assert inputs.land_class.currentLayer() is land and inputs.land_class_field.currentField() == "DLBM"
    assert inputs.basic_farmland.currentLayer() is basic
    assert inputs.approvals.currentLayer() is approvals and inputs.approval_id_field.currentField() == "PZWH"
    assert inputs.patches.currentLayer() is patches, "地类图斑 is not taken for the patches"
    assert inputs.coverage.currentLayer() is None, "用地批准范围 is not taken for the surveyed extent"
    assert "3" in inputs.farm_box.title()

    verify(dock)
    parameters = dock.run.parameters
    assert parameters["LAND_CLASS"] == land.id() and parameters["LAND_CLASS_FIELD"] == "DLBM"
    assert parameters["BASIC_FARMLAND"] == basic.id()
    assert parameters["APPROVALS"] == approvals.id() and parameters["APPROVAL_ID_FIELD"] == "PZWH"
    rows = {(r["Patch id"], r["Township"]): r for r in table_rows(dock)}
    h2, h4 = rows[("H2", ZH_TOWN)], rows[("H4", LIU_TOWN)]
    # 100 x 50 m of farmland per patch = 7.50 亩; H2's 20 x 20 m building stands on it and on basic farmland
    assert h2["Farmland (mu)"] == "7.50" and h2["Farmland left (mu)"] == "0.60"
    assert h2["Basic farmland (mu)"] == "3.75" and h2["Basic farmland left (mu)"] == "0.60"
    assert h2["Result"] == "fail" and "basic farmland" in h2["Reasons"]
    assert h2["Method"] == ""
    # H4's 10 x 10 m building lies in the approval: legalised, the patch passes by 补办
    assert h4["Result"] == "pass" and h4["Legalised (mu)"] == "0.15" and h4["Method"] == "legalised"
    assert rows[("H1", ZH_TOWN)]["Method"] == "demolished"

    click_row(dock, "H4")
    detail = dock.detail.values
    assert not detail["appr"].isHidden() and "0.15 mu" in detail["appr"].text() and APPROVAL in detail["appr"].text()
    assert detail["method"].text() == "legalised"
    assert "7.50 mu" in detail["farm"].text() and "0.15 mu" in detail["farm_rem"].text()
    assert "0.00 mu" in detail["bfarm"].text()

    # the re-check judges with the same farmland inputs and recomputes their figures
    result = dock.result_layer()
    assert survey.startEditing()
    shed = QgsFeature(survey.fields())
    shed.setGeometry(QgsGeometry.fromWkt(box(20, 20, 30, 30)))  # 100 m² on H1's farmland, not saved
    assert survey.addFeature(shed)
    h1 = by_id(result, "H1", ZH_TOWN)[0]
    dock.select_fids([h1.id(), by_id(result, "H4")[0].id()])
    assert dock.recheck_selected()
    rows = {(r["Patch id"], r["Township"]): r for r in table_rows(dock)}
    assert rows[("H1", ZH_TOWN)]["Result"] == "fail" and rows[("H1", ZH_TOWN)]["Farmland left (mu)"] == "0.15"
    assert rows[("H1", ZH_TOWN)]["Method"] == ""
    assert rows[("H4", LIU_TOWN)]["Result"] == "pass", "the approval still legalises H4's building"
    assert rows[("H4", LIU_TOWN)]["Method"] == "legalised"
    h1 = by_id(result, "H1", ZH_TOWN)[0]
    assert abs(h1["farm_rem"] - 100.0) < 0.01 and h1["method"] == ""
    survey.rollBack()


def test_without_farmland_layers_the_table_is_as_before(plugin, county):
    _project, patches, survey = county
    dock = open_dock(plugin, patches, survey)
    verify(dock)
    assert dock.inputs.land_class.currentLayer() is None
    assert "LAND_CLASS" not in dock.run.parameters and "APPROVALS" not in dock.run.parameters
    assert dock.model.COLUMNS == dock.model.BASE_COLUMNS
    click_row(dock, "H2")
    assert dock.detail.values["farm"].isHidden() and dock.detail.values["method"].isHidden()
