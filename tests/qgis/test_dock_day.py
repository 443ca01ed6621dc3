# ruff: noqa: F811 - the dock tests' fixtures, imported by name
"""A field officer's day in the dock, driven as one drives it: an unsaved project saved halfway, a
亩 field left at the default unit, an overturn read in every place, an unsaved survey edit before an
export, the township table, and text found in the PDF as it is printed. Real QGIS (pytest-qgis)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from qgis.core import Qgis
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtTest import QTest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # --import-mode=importlib: the dock tests' module by name
from test_dock import (  # noqa: F401 - fixtures and helpers of the dock tests
    LIU_TOWN,
    X0,
    ZH_TOWN,
    box,
    by_id,
    click_row,
    county,
    mark,
    open_dock,
    plugin,
    table_rows,
    verify,
)


def xlsx_rows(path: Path, sheet: str) -> list[tuple]:
    import openpyxl

    return [r for r in openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True)]


def raw_pdf_text(path: Path) -> str:
    """What a PDF viewer's search sees: pdftotext's text, not normalised."""
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def unsaved(county):
    """The sample county in a project that has no file yet (as a new officer starts)."""
    project, patches, survey = county
    project.setFileName("")
    return project, patches, survey


# -- 1: one audit trail that follows the work -------------------------------------------------------
def test_saving_the_project_between_a_mark_and_an_export_keeps_one_trail(plugin, unsaved, tmp_path, qgis_iface):
    from demolition_verifier.core import audit
    from demolition_verifier.ui import audit_link

    project, patches, survey = unsaved
    dock = open_dock(plugin, patches, survey)
    verify(dock)
    session_log = Path(audit_link.log_path(project))
    assert session_log.is_file() and not str(session_log).startswith(str(tmp_path))
    assert str(session_log) in dock.log_label.toolTip(), "the panel says where the log is"
    mark(dock, "H2", "overturned", "现场复核：主体已拆除", "pass")

    assert project.write(str(tmp_path / "county.qgz"))  # 保存项目
    beside = tmp_path / "county_audit.gpkg"
    assert beside.is_file(), "the log was carried beside the project"
    assert audit_link.log_path(project) == str(beside)
    assert dock.log_label.toolTip() == str(beside)
    assert audit.verify_chain(beside).valid
    assert audit.final_statuses(beside)["H2"].final_status == "pass", "the mark came along"
    assert any("beside the project" in m for m in qgis_iface.messageBar().get_messages(Qgis.MessageLevel.Info))

    # the dispute dialog still shows the history, and 记录 works
    click_row(dock, "H2")
    QTest.mouseClick(dock.disputes_button, Qt.MouseButton.LeftButton)
    dialog = dock._dialogs[-1]
    assert dialog.log_path == str(beside) and dialog.record_button.isEnabled()
    assert dialog.table.rowCount() >= 2  # the decision and the overturn
    dialog.close()

    # the report prints the review and the head hash
    target = tmp_path / "report.xlsx"
    assert dock.export_report(str(target))
    rows = xlsx_rows(target, "图斑明细")
    headings = next(r for r in rows if r and "复核状态" in r)
    h2 = next(r for r in rows if r and r[1] == "H2")
    assert h2[headings.index("复核说明")] == "现场复核：主体已拆除"
    assert any(c and "审计链头哈希" in str(c) for r in rows for c in r)

    # reopened later: the pinned log is used, not a new one
    project.clear()
    assert project.read(str(tmp_path / "county.qgz"))
    assert audit_link.log_path(project) == str(beside)


def test_an_export_whose_log_is_gone_is_refused(plugin, county, tmp_path, qgis_iface):
    from demolition_verifier.ui import audit_link

    project, patches, survey = county
    dock = open_dock(plugin, patches, survey)
    verify(dock)
    log = Path(audit_link.log_path(project))
    moved = log.with_name("elsewhere.gpkg")
    log.rename(moved)
    target = tmp_path / "no_log.xlsx"
    assert not dock.export_report(str(target))
    assert not target.exists()
    critical = qgis_iface.messageBar().get_messages(Qgis.MessageLevel.Critical)[-1]
    assert "refused" in critical and str(log) in critical
    moved.rename(log)
    assert dock.export_report(str(target))


def test_saved_over_a_name_that_has_a_log_the_trail_is_not_merged_into_it(plugin, unsaved, tmp_path):
    from demolition_verifier.core import audit
    from demolition_verifier.ui import audit_link

    project, patches, survey = unsaved
    other = tmp_path / "county_audit.gpkg"
    other.write_bytes(b"someone else's log")
    dock = open_dock(plugin, patches, survey)
    verify(dock)
    mark(dock, "H3", "disputed", "群众举报")
    assert project.write(str(tmp_path / "county.qgz"))
    own = Path(audit_link.log_path(project))
    assert own == tmp_path / "county_audit_2.gpkg" and other.read_bytes() == b"someone else's log"
    assert audit.final_statuses(own)["H3"].dispute == "disputed"
    project.clear()
    assert project.read(str(tmp_path / "county.qgz"))
    assert audit_link.log_path(project) == str(own), "the project file names its log"


# -- 5: one status everywhere ------------------------------------------------------------------------
def test_an_overturn_reads_the_same_in_table_detail_map_pdf_and_report(plugin, county, tmp_path):
    from demolition_verifier.core.definitions import DockField
    from demolition_verifier.ui.results_model import FID_ROLE

    _project, patches, survey = county
    dock = open_dock(plugin, patches, survey)
    verify(dock)
    note = "现场复核：主体已拆除，调查图层未更新"
    mark(dock, "H2", "overturned", note, "pass")
    click_row(dock, "H2")
    row = next(r for r in table_rows(dock) if r["Patch id"] == "H2")
    assert row["Result"] == "pass" and row["Reasons"].startswith("computed: ")
    detail = dock.detail.values
    assert "pass" in detail["status"].text() and "overturned (computed: fail)" in detail["status"].text()
    assert detail["note"].text() == note
    assert note in detail["why"].text()
    feature = by_id(dock.result_layer(), "H2")[0]
    assert feature[DockField.FINAL_STATUS] == "pass" and feature["status"] == "fail"  # the map's fill

    pdf = tmp_path / "h2.pdf"
    assert dock.export_maps(str(pdf), status="pass", township=ZH_TOWN)
    text = raw_pdf_text(pdf).replace("\n", "")
    import unicodedata

    def nfkc(words: str) -> str:
        return unicodedata.normalize("NFKC", words)

    text = nfkc(text)  # the search test checks the raw text
    assert nfkc("通过（改判；原计算：不通过）") in text
    assert nfkc("现场复核：主体已拆除") in text, "the auditor's note is on the page"

    report = tmp_path / "h2.xlsx"
    assert dock.export_report(str(report))
    rows = xlsx_rows(report, "图斑明细")
    headings = next(r for r in rows if r and "复核状态" in r)
    h2 = next(r for r in rows if r and r[1] == "H2")
    assert h2[headings.index("核查结果")] == "通过"
    assert h2[headings.index("复核状态")] == "改判（原计算：不通过）"
    assert h2[headings.index("复核说明")] == note

    # a failure in words a township head reads, with the threshold beside the figure
    proxy = dock.proxy
    h4 = next(
        r
        for r in range(proxy.rowCount())
        if dock.model.row_by_fid(proxy.data(proxy.index(r, 0), FID_ROLE)).patch_id == "H4"
    )
    tip = proxy.data(proxy.index(h4, dock.model.COLUMNS.index("reasons")), Qt.ItemDataRole.ToolTipRole)
    assert re.search(r"largest remnant 100\.0 m² ≥ main structure area 10 m²", tip), tip
    assert "main_retained" not in tip, "words, not codes"


# -- 3: the unit, before the run ---------------------------------------------------------------------
def answer_unit_question(button: str, seen: list) -> None:
    """Clicks a button of the unit question when it comes up (as the user would)."""
    from qgis.PyQt.QtCore import QTimer
    from qgis.PyQt.QtWidgets import QApplication, QMessageBox, QPushButton

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        seen.append(box.text())
        QTest.mouseClick(box.findChild(QPushButton, button), Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, click)


def test_a_mu_field_with_the_default_unit_is_caught_before_the_run(plugin, county):
    _project, patches, survey = county
    dock = open_dock(plugin, patches, survey)
    dock.inputs.area_unit.setCurrentIndex(dock.inputs.area_unit.findData(0))  # the default, 平方米
    seen: list[str] = []
    answer_unit_question("useFittingUnit", seen)
    verify(dock)
    assert seen and "JCMJ" in seen[0] and "5" in seen[0]
    assert dock.inputs.area_unit.currentData() == 1, "the unit that fits was chosen"
    h2 = next(r for r in table_rows(dock) if r["Patch id"] == "H2")
    assert h2["Monitored (mu)"] == "15.00" and h2["Result"] == "fail"

    # an overturn is decided; a run in the wrong unit asks first, and cancelling keeps it
    mark(dock, "H2", "overturned", "现场复核：已拆除", "pass")
    dock.inputs.area_unit.setCurrentIndex(dock.inputs.area_unit.findData(0))
    seen.clear()
    answer_unit_question("cancelUnit", seen)
    assert not dock.start_run()
    assert "re-opens 1 decided disputes (H2)" in seen[0]
    row = next(r for r in table_rows(dock) if r["Patch id"] == "H2")
    assert row["Result"] == "pass" and row["Dispute"].startswith("overturned")

    # a unit that fits asks nothing
    dock.inputs.area_unit.setCurrentIndex(dock.inputs.area_unit.findData(1))
    seen.clear()
    verify(dock)
    assert not seen
    row = next(r for r in table_rows(dock) if r["Patch id"] == "H2")
    assert row["Result"] == "pass", "the same figures: the overturn stands"


# -- 7: editing is not blind -------------------------------------------------------------------------
def flagged(dock) -> set[str]:
    """The patches whose result column carries the warning sign (out of date), with its tooltip."""
    proxy, column = dock.proxy, dock.model.COLUMNS.index("status")
    out = set()
    for r in range(proxy.rowCount()):
        index = proxy.index(r, column)
        if proxy.data(index, Qt.ItemDataRole.DecorationRole) is not None:
            tip = proxy.data(index, Qt.ItemDataRole.ToolTipRole)
            assert "Out of date" in tip or "not saved" in tip, tip
            out.add(proxy.data(proxy.index(r, 0)))
    return out


def test_an_unsaved_survey_edit_then_an_export(plugin, county, tmp_path, qgis_iface):
    from qgis.core import QgsFeature, QgsGeometry

    _project, patches, survey = county
    dock = open_dock(plugin, patches, survey)
    verify(dock)
    result = dock.result_layer()
    click_row(dock, "H3")
    assert dock.detail._outline is not None, "the current patch is outlined"

    assert survey.startEditing()
    assert result.opacity() < 0.5, "the remnants show through the result while editing"
    shed = QgsFeature(survey.fields())
    shed.setGeometry(QgsGeometry.fromWkt(box(420, 20, 425, 25)))  # 25 m² in H3, not saved
    assert survey.addFeature(shed)
    assert flagged(dock) == {"H3"}, "out of date"
    assert "1 out of date" in dock.counts_label.text()
    assert "Out of date" in dock.detail.values["why"].text()
    pdf = tmp_path / "stale.pdf"
    assert not dock.export_maps(str(pdf)) and not pdf.exists()
    critical = qgis_iface.messageBar().get_messages(Qgis.MessageLevel.Critical)[-1]
    assert "refused" in critical and "H3" in critical
    assert dock.export_maps(str(pdf), status="fail"), "the other patches export"

    # re-checked against the unsaved edit: still no export of H3 until the edit is saved
    dock.select_fids([by_id(result, "H3")[0].id()])
    assert dock.recheck_selected()
    row = next(r for r in table_rows(dock) if r["Patch id"] == "H3")
    assert row["Result"] == "fail" and flagged(dock) == {"H3"}
    assert not dock.export_report(str(tmp_path / "unsaved.xlsx"))
    assert survey.commitChanges()
    assert result.opacity() == 1.0
    assert not flagged(dock) and "out of date" not in dock.counts_label.text()
    assert dock.export_report(str(tmp_path / "saved.xlsx"))


def test_a_rolled_back_edit_leaves_the_saved_checks_valid(plugin, county):
    from qgis.core import QgsFeature, QgsGeometry

    _project, patches, survey = county
    dock = open_dock(plugin, patches, survey)
    verify(dock)
    # the building looked up on the saved layer: QGIS 3.40 opening a second connection to a GeoPackage
    # it has just switched to WAL for editing now and then fails ("unable to open database file")
    building = next(f for f in survey.getFeatures() if f.geometry().boundingBox().xMinimum() > X0 + 600)
    assert survey.startEditing()
    shed = QgsFeature(survey.fields())
    shed.setGeometry(QgsGeometry.fromWkt(box(420, 20, 425, 25)))
    assert survey.addFeature(shed)
    assert survey.deleteFeature(building.id())
    assert flagged(dock) == {"H3", "H4"}
    dock.select_fids([by_id(dock.result_layer(), "H4")[0].id()])
    assert dock.recheck_selected()
    survey.rollBack()
    # H3 was checked on the saved survey; H4 against a deletion that is gone
    assert flagged(dock) == {"H4"}


# -- 4: township figures in the panel ----------------------------------------------------------------
def test_the_township_table_and_counts_that_follow_the_filter(plugin, county):
    from demolition_verifier.ui.townships import TOWNSHIP_HEADINGS

    _project, patches, survey = county
    dock = open_dock(plugin, patches, survey)
    verify(dock)
    table = dock.township_table
    assert not dock.township_box.isHidden()
    rows = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]
    by_name = {r[0]: dict(zip(TOWNSHIP_HEADINGS, r)) for r in rows}
    # 城关镇: H1 pass, H2 fail, H3 pass (2 of 3 by count and area); 柳林镇: H4 fail, H1 pass
    assert by_name[ZH_TOWN]["Patches"] == "3" and by_name[ZH_TOWN]["Pass"] == "2"
    assert by_name[ZH_TOWN]["Monitored (mu)"] == "45.00" and by_name[ZH_TOWN]["Passed (mu)"] == "30.00"
    assert by_name[ZH_TOWN]["Done by area"] == "66.7%" and by_name[ZH_TOWN]["Rank"] == "1"
    assert by_name[LIU_TOWN]["Done by count"] == "50.0%" and by_name[LIU_TOWN]["Rank"] == "2"
    assert rows[-1][0] == "合计" and rows[-1][1] == "5"

    dock.township_filter.setCurrentIndex(dock.township_filter.findData(LIU_TOWN))
    label = dock.counts_label.text()
    assert LIU_TOWN in label and "<b>1</b>" in label and "2 patches, 2 shown" in label

    # an overturn moves the table (final statuses, as the report counts them)
    dock.township_filter.setCurrentIndex(0)
    mark(dock, "H4", "overturned", "已拆除，调查未更新", "pass")
    rows = {table.item(r, 0).text(): table.item(r, 7).text() for r in range(table.rowCount())}
    assert rows[LIU_TOWN] == "100.0%"


# -- 9: text a person can find -----------------------------------------------------------------------
def test_the_map_pdf_is_searchable_without_normalising(plugin, county, tmp_path):
    _project, patches, survey = county
    dock = open_dock(plugin, patches, survey)
    verify(dock)
    pdf = tmp_path / "maps.pdf"
    assert dock.export_maps(str(pdf))
    text = raw_pdf_text(pdf)
    for words in (ZH_TOWN, LIU_TOWN, "监测面积", "核查人", "日期", "土地例行督察整改验收图", "H2"):
        assert words in text, words
    assert not re.search(r"[\u2e80-\u2fdf]", text), "no look-alike radicals"


def test_the_tounicode_fix_keeps_the_file_intact(tmp_path):
    from demolition_verifier.formats.pdf_text import fix_cjk_text

    cmap = b"2 beginbfchar\n<0001> <2F1F>\n<2F00> <0041>\nendbfchar\n2 beginbfrange\n<0002> <0003> [<2F00> <2FA8>]\n<0004> <0006> <2F08>\nendbfrange\n"
    pdf = b"%PDF-1.4\n5 0 obj\n<< /ToUnicode 7 0 R >>\nendobj\n7 0 obj\n<< /Length " + str(len(cmap)).encode()
    pdf += b" >>\nstream\n"
    pdf += cmap + b"endstream\nendobj\n"
    path = tmp_path / "t.pdf"
    path.write_bytes(pdf)
    assert fix_cjk_text(path) == 3
    fixed = path.read_bytes()
    assert len(fixed) == len(pdf)
    assert b"<0001> <571F>" in fixed and b"<2F00> <0041>" in fixed, "the glyph code is not a character"
    assert b"[<4E00> <9580>]" in fixed and b"<0004> <0006> <2F08>" in fixed, "a run is left as it is"
