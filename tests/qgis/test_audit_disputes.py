"""The dispute dialog, driven as an auditor would: read the history, mark, overturn."""

from __future__ import annotations

import pytest
from qgis_layers import box_wkt, memory_layer

from demolition_verifier.core import audit
from demolition_verifier.ui.disputes import (
    DisputeDialog,
    dispute_states,
    history_rows,
    open_dispute_dialog,
    project_log_path,
)

X0, Y0 = 39_550_000.0, 3_880_000.0


@pytest.fixture
def log(processing, tmp_path):
    path = tmp_path / "audit.gpkg"
    patches = memory_layer(
        "patches",
        [box_wkt(X0, Y0, X0 + 100, Y0 + 100), box_wkt(X0 + 200, Y0, X0 + 300, Y0 + 100)],
        "EPSG:4527",
        [("JCBH", str), ("XZQMC", str)],
        [["A1", "城关镇"], ["A2", "城关镇"]],
    )
    survey = memory_layer("survey", [box_wkt(X0 + 210, Y0 + 10, X0 + 230, Y0 + 20)], "EPSG:4527")
    processing.run(
        "demolitionverifier:verify",
        {
            "PATCHES": patches,
            "PATCH_ID_FIELD": "JCBH",
            "TOWNSHIP_FIELD": "XZQMC",
            "SURVEY": survey,
            "OUTPUT": "memory:",
            "AUDIT_LOG": str(path),
        },
    )
    return str(path)


def test_mark_and_overturn_through_the_dialog(log, qgis_app):
    dialog = open_dispute_dialog(log, "A2", user_name="钱七")
    assert dialog.isVisible()
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 2).text() in ("核查", "verified")
    seen = []
    dialog.marked.connect(lambda *args: seen.append(args))

    dialog.mark_box.setCurrentIndex(dialog.mark_box.findData("overturned"))
    assert dialog.status_box.isEnabled()
    assert not dialog.record()  # no note: refused in the dialog, nothing written
    assert dialog.error.text() and audit.verify_chain(log).entries == 3

    dialog.status_box.setCurrentIndex(dialog.status_box.findData("pass"))
    dialog.note.setPlainText("现场复核：残留为可移动集装箱，已运走")
    assert dialog.record()
    assert seen == [("A2", "overturned", "pass")]
    assert dialog.table.rowCount() == 2 and not dialog.error.text()
    state = dispute_states(log)["A2"]
    assert (state.computed_status, state.final_status, state.dispute) == ("fail", "pass", "overturned")
    assert state.marked_by["name"] == "钱七"
    assert history_rows(log, "A2")[1][5].startswith("现场复核")
    assert audit.verify_chain(log).valid
    dialog.close()


def test_a_patch_the_log_does_not_know_cannot_be_marked(log, qgis_app):
    dialog = DisputeDialog(log, "Z9")
    assert not dialog.record_button.isEnabled()
    assert "Z9" in dialog.summary.text()
    assert dispute_states("") == {}


def test_the_project_log_sits_beside_the_project_or_in_the_profile(qgis_app, tmp_path):
    from qgis.core import QgsApplication, QgsProject

    project = QgsProject()
    assert project_log_path(project).startswith(QgsApplication.qgisSettingsDirPath())
    project.setFileName(str(tmp_path / "县督察整改.qgz"))
    assert project_log_path(project) == str(tmp_path / "县督察整改_audit.gpkg")
