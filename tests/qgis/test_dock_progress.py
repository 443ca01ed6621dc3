# ruff: noqa: F811 - the dock tests' fixtures, imported by name
"""The dock's 进度 view over a campaign, driven as a user drives it: the campaign defined in the
project's audit log, two days of verify runs from the dock, applications from the table's selection
and from a township's GBK CSV, the view's figures against the bulletin's own table, 生成通报. Real
QGIS (pytest-qgis); the log's clock is the test's (tests/campaign_log.py)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from campaign_log import Clock
from qgis.core import QgsVectorLayer

sys.path.insert(0, str(Path(__file__).resolve().parent))  # --import-mode=importlib: the dock tests' module by name
from qgis_layers import memory_layer, write_file
from test_dock import LIU_TOWN, ZH_TOWN, box, by_id, open_dock, plugin, verify  # noqa: F401

from demolition_verifier.core import audit
from demolition_verifier.core.definitions import AuditEntry

# id, township, JCMJ (亩), square (x0): every id once (a task list refuses duplicates)
TASKS = [("H1", ZH_TOWN, 15.0, 0), ("H2", ZH_TOWN, 15.0, 200), ("H3", ZH_TOWN, 15.0, 400),
         ("H4", LIU_TOWN, 15.0, 600), ("H5", LIU_TOWN, 15.0, 800)]  # fmt: skip


@pytest.fixture
def campaign_county(qgis_new_project, tmp_path, monkeypatch):
    clock = Clock(monkeypatch)
    patches = memory_layer(
        "督察图斑 patches",
        [box(x, 0, x + 100, 100) for *_rest, x in TASKS],
        "EPSG:4527",
        [("JCBH", str), ("XZQMC", str), ("JCMJ", float)],
        [row[:3] for row in TASKS],
    )
    standing = memory_layer(
        "survey", [box(210, 10, 230, 30), box(610, 10, 620, 20), box(810, 10, 830, 30)], "EPSG:4527"
    )
    path = write_file(standing, str(tmp_path / "survey.gpkg"), layer_name="survey")
    survey = QgsVectorLayer(f"{path}|layername=survey", "现状调查 survey", "ogr")
    qgis_new_project.addMapLayers([patches, survey])
    qgis_new_project.setFileName(str(tmp_path / "county.qgz"))
    return clock, qgis_new_project, patches, survey


def define_campaign(log: str, patches) -> None:
    import processing

    processing.run(
        "demolitionverifier:campaign",
        {"AUDIT_LOG": log, "NAME": "2019–2023年例行督察整改", "PATCHES": patches, "PATCH_ID_FIELD": "JCBH",
         "MONITORED_AREA_FIELD": "JCMJ", "MONITORED_AREA_UNIT": 1, "TOWNSHIP_FIELD": "XZQMC",
         "RECTIFY_BY": "2024-06-20", "ACCEPT_BY": "2024-06-30 18:00", "TARGET": 0.9},
    )  # fmt: skip


def view_rows(view) -> dict[str, dict[str, str]]:
    """The view's township table as the user reads it, by township and heading."""
    from demolition_verifier.ui.progress import headings

    names = headings()
    table = view.table
    rows = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]
    return {row[1]: dict(zip(names, row)) for row in rows}


def selected_rows(dock, ids: list[str]) -> None:
    dock.select_fids([f.id() for patch_id in ids for f in by_id(dock.result_layer(), patch_id)])


def test_the_progress_view_over_two_days_of_a_campaign(plugin, campaign_county, tmp_path, monkeypatch):
    import processing

    from demolition_verifier.ui import audit_link, progress

    clock, project, patches, survey = campaign_county
    log = audit_link.log_path(project)
    clock.at("2024-06-01T08:00:00")
    define_campaign(log, patches)

    clock.at("2024-06-02T17:00:00")
    dock = open_dock(plugin, patches, survey)
    view = dock.progress_view
    assert view.isCollapsed(), "folded at first: the patch table keeps the room"
    verify(dock)  # H1, H3 pass; H2, H4, H5 fail

    # 城关镇 applies for H2, 柳林镇 for H4, from the table's selection
    clock.at("2024-06-02T18:00:00")
    view.setCollapsed(False)
    selected_rows(dock, ["H2", "H4"])
    assert view.apply_selected()
    applications = audit.entries(log, kinds=(AuditEntry.APPLICATION,))
    assert [(row[0], row[2]) for row in applications[-1].data["rows"]] == [("H2", True), ("H4", True)]
    assert {row[5] for row in applications[-1].data["rows"]} == {ZH_TOWN, LIU_TOWN}, "townships kept"

    # the next day H4 and H5 are demolished and verified again
    assert survey.startEditing()
    for feature in list(survey.getFeatures()):
        if feature.geometry().boundingBox().xMinimum() > box_x(600):
            assert survey.deleteFeature(feature.id())
    assert survey.commitChanges()
    clock.at("2024-06-03T17:00:00")
    verify(dock)

    # 柳林镇's file: H5 in full-width digits, and an id that is not a task
    clock.at("2024-06-03T17:30:00")
    sheet = tmp_path / "柳林镇申请.csv"
    sheet.write_bytes("图斑编号,乡镇,备注\r\nＨ５,柳林镇,已拆除\r\nH9,柳林镇,\r\n".encode("gbk"))
    assert view.apply_file(str(sheet))
    rows = audit.entries(log, kinds=(AuditEntry.APPLICATION,))[-1].data["rows"]
    assert [(row[0], row[2], row[3]) for row in rows] == [("H5", True, ""), ("H9", False, "unknown_id")]

    clock.at("2024-06-03T18:00:00")
    assert view.refresh()
    summary = view.summary.text()
    assert "2019–2023年例行督察整改" in summary
    assert "Rectify by 2024-06-20 (17 days left)" in summary
    assert "Accept by 2024-06-30 18:00 (27 days left)" in summary
    rows = view_rows(view)
    liu, zh, total = rows[LIU_TOWN], rows[ZH_TOWN], rows["合计"]
    assert (liu["Rank"], liu["Change"], liu["Passed"], liu["New (patches)"]) == ("1", "↑1", "2", "2")
    assert (zh["Rank"], zh["Change"], zh["Passed"], zh["Failed"]) == ("2", "↓1", "2", "1")
    assert (liu["Applied"], liu["Pending"], zh["Applied"], zh["Pending"]) == ("2", "1", "1", "0")
    assert total["Task patches"] == "5" and total["Done by area"] == "80.0%" and total["Rank"] == ""
    assert not view.chart.pixmap().isNull(), "the bulletin's chart"
    if os.environ.get("DV_PROGRESS_PNG"):  # to look at it: DV_PROGRESS_PNG=/tmp/progress.png pytest ...
        from qgis.PyQt.QtCore import QCoreApplication

        dock.setFloating(True)
        dock.resize(440, 1600)
        dock.show()
        dock.inputs.data_box.setCollapsed(True)
        view.setCollapsed(True)
        view.setCollapsed(False)
        for _ in range(5):
            QCoreApplication.processEvents()
        view.refresh()
        for _ in range(5):
            QCoreApplication.processEvents()
        view.grab().save(os.environ["DV_PROGRESS_PNG"])

    # the same figures as the bulletin's own table at this moment
    table_path = tmp_path / "bulletin_table.gpkg"
    processing.run("demolitionverifier:bulletin", {"AUDIT_LOG": log, "OUTPUT_TABLE": str(table_path)})
    table = QgsVectorLayer(str(table_path), "t", "ogr")
    assert view.refresh()
    shown = view_rows(view)
    for feature in table.getFeatures():
        row = shown[feature["township"]]
        assert row["Rank"] == ("" if feature["rank"] is None or feature["township"] == "合计" else str(feature["rank"]))
        for field, heading in (
            ("patches", "Task patches"),
            ("applied", "Applied"),
            ("pending", "Pending"),
            ("passed", "Passed"),
            ("failed", "Failed"),
            ("unsurveyed", "Unchecked"),
            ("new_passed", "New (patches)"),
        ):
            assert row[heading] == str(feature[field]), (feature["township"], field)
        assert row["Done by area"] == f"{feature['done_area']:.1%}"
        assert row["Task (mu)"] == f"{feature['task_m2'] / (2000 / 3):,.2f}"
        assert row["Done (mu)"] == f"{feature['passed_m2'] / (2000 / 3):,.2f}"

    # 生成通报: the PDF and its workbook, logged, the PDF opened
    opened: list[str] = []
    monkeypatch.setattr(progress, "open_file", opened.append)
    clock.tick(minutes=5)
    pdf = tmp_path / "进度通报.pdf"
    assert view.make_bulletin(str(pdf))
    assert pdf.is_file() and pdf.with_suffix(".xlsx").is_file() and opened == [str(pdf)]
    bulletins = audit.entries(log, kinds=(AuditEntry.BULLETIN,))
    assert len(bulletins) == 2 and bulletins[-1].data["as_of"] == "2024-06-03T18:05:00+08:00"
    assert "compared with 2024-06-03 18:00" in view.summary.text(), "the next 较上期 is the last bulletin"


def box_x(x: float) -> float:
    from test_dock import X0

    return X0 + x


def test_without_a_campaign_the_view_says_how_to_define_one(plugin, campaign_county):
    _clock, _project, patches, survey = campaign_county
    dock = open_dock(plugin, patches, survey)
    view = dock.progress_view
    view.setCollapsed(False)
    assert "No audit log yet" in view.summary.text()
    assert not view.define_button.isHidden() and not view.bulletin_button.isEnabled()
    verify(dock)  # the log now exists, without a campaign
    assert not view.refresh()
    assert "campaign" in view.summary.text().lower() and view.table.isHidden()
    selected_rows(dock, ["H2"])
    assert not view.apply_button.isEnabled()
