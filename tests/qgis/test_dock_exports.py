"""The dock's 导出验收图… and 导出报表…: after a verify, the last result (核查结果, 残留部分 and the
project's audit log) goes to demolitionverifier:export_maps / export_report, on the main thread with
the progress in the dock's bar and Cancel live. Real QGIS (pytest-qgis); the file dialogs are bypassed."""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from qgis.core import Qgis, QgsSettings
from qgis.PyQt.QtCore import Qt, QTimer
from qgis.PyQt.QtTest import QTest
from qgis.PyQt.QtWidgets import QDialog, QPushButton

sys.path.insert(0, str(Path(__file__).resolve().parent))  # --import-mode=importlib: the dock tests' module by name
from test_dock import county, open_dock, plugin, verify  # noqa: F401 - fixtures and helpers of the dock tests

SHEETS = ["乡镇汇总", "图斑明细", "未通过图斑"]


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


@pytest.fixture
def verified(plugin, county):  # noqa: F811 - the fixtures imported above
    _project, patches, survey = county
    dock = open_dock(plugin, patches, survey)
    assert not dock.maps_button.isEnabled() and not dock.report_button.isEnabled(), "no result yet"
    verify(dock)
    assert dock.maps_button.isEnabled() and dock.report_button.isEnabled()
    return dock


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))


def pdf_text(path: Path) -> str:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return unicodedata.normalize("NFKC", out)


def success_item(iface, path: Path):
    """The message bar entry the export of `path` pushed (a text and an Open button)."""
    items = [
        item
        for item in iface.messageBar().items()
        if str(path) in item.text() and item.findChild(QPushButton, "openExportButton") is not None
    ]
    assert len(items) == 1, [item.text() for item in iface.messageBar().items()]
    return items[0]


def progress_values(dock) -> list[int]:
    seen: list[int] = []
    dock.progress.valueChanged.connect(seen.append)
    return seen


def test_maps_of_the_last_result_one_page_per_patch(verified, qgis_iface, tmp_path, monkeypatch):
    from demolition_verifier.ui import exports

    dock = verified
    seen = progress_values(dock)
    target = tmp_path / "out" / "maps.pdf"
    assert dock.export_maps(str(target))
    assert target.is_file() and pdf_pages(target) == 5, "one page per patch (H1 twice, H2, H3, H4)"
    text = pdf_text(target)
    for patch_id in ("H1", "H2", "H3", "H4"):
        assert patch_id in text
    assert dock.progress.value() == 100 and max(seen) == 100 and any(0 < v < 100 for v in seen), seen
    assert not list(target.parent.glob("*.part*")), "no temporary file left"
    # the audit log the dock's verify wrote is printed (its head hash)
    log = Path(dock.project.fileName()).with_name("county_audit.gpkg")
    assert log.is_file()
    item = success_item(qgis_iface, target)
    message = item.text()
    assert "5" in message and str(target) in message and "head" in message
    head = re.search(r"head printed: (\w+)", message).group(1)
    assert head in text.replace("\n", "")
    # the Open button opens the PDF
    opened = []
    monkeypatch.setattr(exports, "open_file", opened.append)
    QTest.mouseClick(item.findChild(QPushButton, "openExportButton"), Qt.MouseButton.LeftButton)
    assert opened == [str(target)]
    assert dock.maps_button.isEnabled() and dock.run_button.isEnabled() and not dock.cancel_button.isEnabled()


def test_maps_filter_by_result(verified, tmp_path):
    dock = verified
    failed = tmp_path / "failed.pdf"
    assert dock.export_maps(str(failed), status="fail")
    assert pdf_pages(failed) == 2
    text = pdf_text(failed)
    assert "H2" in text and "H4" in text and "H3" not in text
    passed = tmp_path / "passed"  # the suffix is added
    assert dock.export_maps(str(passed), status="pass")
    assert pdf_pages(tmp_path / "passed.pdf") == 3


def test_report_of_the_last_result(verified, qgis_iface, tmp_path):
    import openpyxl

    dock = verified
    seen = progress_values(dock)
    target = tmp_path / "report.xlsx"
    assert dock.export_report(str(target))
    assert target.is_file()
    assert dock.progress.value() == 100 and max(seen) == 100
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == SHEETS
    cells = [str(c) for row in book["图斑明细"].iter_rows(values_only=True) for c in row if c is not None]
    assert sorted(c for c in cells if re.fullmatch(r"H\d", c)) == ["H1", "H1", "H2", "H3", "H4"]
    message = success_item(qgis_iface, target).text()
    assert "5 patches" in message or "5 个图斑" in message
    found = re.search(r"head printed: (\w+)|头哈希：(\w+)", message)
    head = found.group(1) or found.group(2)
    assert any(head in c for c in cells), "the head hash is in the sheet"


def test_cancelled_maps_export_leaves_no_file(verified, qgis_iface, tmp_path):
    dock = verified
    target = tmp_path / "cancelled.pdf"
    seen = progress_values(dock)
    pressed = []

    def press_cancel_while_pages_are_written(value: int) -> None:
        if value > 70 and not pressed:  # the third step (pages) has begun
            assert (
                dock.cancel_button.isEnabled() and not dock.maps_button.isEnabled() and not dock.run_button.isEnabled()
            )
            pressed.append(value)
            # a click the event loop delivers: the dock processes events as the progress moves
            QTimer.singleShot(0, lambda: QTest.mouseClick(dock.cancel_button, Qt.MouseButton.LeftButton))

    dock.progress.valueChanged.connect(press_cancel_while_pages_are_written)
    assert not dock.export_maps(str(target))
    dock.progress.valueChanged.disconnect(press_cancel_while_pages_are_written)
    assert pressed and max(seen) < 100, seen
    assert not target.exists() and not list(tmp_path.glob("cancelled*"))
    assert any("cancelled" in m for m in qgis_iface.messageBar().get_messages(Qgis.MessageLevel.Info))
    assert not qgis_iface.messageBar().get_messages(Qgis.MessageLevel.Critical)
    assert dock.progress.value() == 0
    assert dock.maps_button.isEnabled() and not dock.cancel_button.isEnabled()
    # and the next export runs
    assert dock.export_maps(str(target)) and pdf_pages(target) == 5


def test_a_refusal_is_said_in_the_message_bar(verified, qgis_iface, tmp_path):
    dock = verified
    target = tmp_path / "none.pdf"
    assert not dock.export_maps(str(target), status="unsurveyed")  # every patch was surveyed
    assert not target.exists()
    critical = qgis_iface.messageBar().get_messages(Qgis.MessageLevel.Critical)[-1]
    assert "No patch to map" in critical or "没有可出图的图斑" in critical
    assert "Traceback" not in critical


def test_buttons_ask_where_to_save_and_remember_the_folder(verified, tmp_path, monkeypatch):
    from demolition_verifier.ui import exports

    dock = verified
    asked = []

    def save_as(_parent, _title, suggested, _filter):
        asked.append(suggested)
        return str(tmp_path / "chosen" / "mine"), ""

    (tmp_path / "chosen").mkdir()
    monkeypatch.setattr(exports.QFileDialog, "getSaveFileName", save_as)
    QTest.mouseClick(dock.report_button, Qt.MouseButton.LeftButton)
    suggested = Path(asked[0])
    assert suggested.parent == tmp_path, "beside the project"
    assert re.fullmatch(r"(核查报表|verification_report)_\d{4}-\d{2}-\d{2}\.xlsx", suggested.name)
    assert (tmp_path / "chosen" / "mine.xlsx").is_file()

    chosen = {}

    def accept(dialog):
        chosen["suggested"] = dialog.file.filePath()
        chosen["basemap"] = dialog.basemap.currentLayer()
        assert dialog.basemap.allowEmptyLayer()
        dialog.which.setCurrentIndex(dialog.which.findData("fail"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(exports.ExportMapsDialog, "exec", accept)
    QTest.mouseClick(dock.maps_button, Qt.MouseButton.LeftButton)
    suggested = Path(chosen["suggested"])
    assert suggested.parent == tmp_path / "chosen", "the last used folder"
    assert re.fullmatch(r"(验收图|verification_maps)_\d{4}-\d{2}-\d{2}\.pdf", suggested.name)
    assert chosen["basemap"] is None, "no basemap unless chosen"
    assert pdf_pages(suggested) == 2


def test_maps_start_from_the_table_filters(verified, tmp_path, monkeypatch):
    """Filtered to 不通过 and one township, 导出验收图… maps the rows in view, not the whole county."""
    from test_dock import LIU_TOWN, ZH_TOWN

    from demolition_verifier.ui import exports

    dock = verified
    dock.status_filter.setCurrentIndex(dock.status_filter.findData("fail"))
    dock.township_filter.setCurrentIndex(dock.township_filter.findData(ZH_TOWN))
    shown = dock.proxy.rowCount()
    assert shown == 1  # H2
    offered = {}

    def accept(dialog):
        offered["statuses"] = [dialog.which.itemData(i) or "" for i in range(dialog.which.count())]
        offered["townships"] = [dialog.township.itemData(i) for i in range(dialog.township.count())]
        offered["chosen"] = (dialog.status(), dialog.township_name())
        dialog.file.setFilePath(str(tmp_path / "filtered.pdf"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(exports.ExportMapsDialog, "exec", accept)
    QTest.mouseClick(dock.maps_button, Qt.MouseButton.LeftButton)
    assert offered["statuses"] == ["", "fail", "pass", "unsurveyed"]
    assert offered["townships"] == [None, LIU_TOWN, ZH_TOWN] or offered["townships"] == [None, ZH_TOWN, LIU_TOWN]
    assert offered["chosen"] == ("fail", ZH_TOWN), "the dialog starts from the table's filters"
    path = tmp_path / "filtered.pdf"
    assert pdf_pages(path) == shown
    text = pdf_text(path)
    assert "H2" in text and "H4" not in text

    # every result of one township: the pages are the rows shown
    dock.status_filter.setCurrentIndex(0)
    dock.township_filter.setCurrentIndex(dock.township_filter.findData(LIU_TOWN))
    shown = dock.proxy.rowCount()
    assert shown == 2  # H4, and the second H1
    QTest.mouseClick(dock.maps_button, Qt.MouseButton.LeftButton)
    assert offered["chosen"] == ("", LIU_TOWN)
    assert pdf_pages(path) == shown


def test_maps_filter_expression_quotes_values(verified):
    from qgis.core import QgsExpression

    from demolition_verifier.ui.exports import maps_filter

    layer = verified.result_layer()
    assert maps_filter(layer) == ""
    expression = maps_filter(layer, "fail", 'O\'Brien "镇"')
    parsed = QgsExpression(expression)
    assert not parsed.hasParserError(), parsed.parserErrorString()
    assert "'O''Brien \"镇\"'" in expression and '"final_st"' in expression and '"township"' in expression
    assert maps_filter(layer, township="") == "coalesce(\"township\", '') = ''"  # the patches without one


def test_no_picture_expression_error_when_there_are_no_photos(verified, tmp_path):
    from qgis.core import QgsApplication

    dock = verified
    logged = []

    def received(message, tag, _level):
        logged.append((tag, message))

    QgsApplication.messageLog().messageReceived.connect(received)
    try:
        assert dock.export_maps(str(tmp_path / "no_photos.pdf"))
    finally:
        QgsApplication.messageLog().messageReceived.disconnect(received)
    assert any("map pages written" in m for _t, m in logged), logged  # the log was listened to
    errors = [m for _t, m in logged if "Picture expression" in m or "图片表达式" in m]
    assert not errors, errors


def test_report_after_a_recheck_still_matches_the_log(verified, qgis_iface, tmp_path):
    """A re-check is a run of its own in the log: rows it rewrote are checked against it, the rest
    against the first run, and the report prints the head (nothing refused)."""
    import openpyxl
    from test_dock import X0, by_id

    dock = verified
    result = dock.result_layer()
    survey = dock.inputs.survey.currentLayer()
    assert survey.startEditing()
    building = next(f for f in survey.getFeatures() if f.geometry().boundingBox().xMinimum() > X0 + 600)
    assert survey.deleteFeature(building.id())
    dock.select_fids([by_id(result, "H4")[0].id()])
    assert dock.recheck_selected()
    assert by_id(result, "H4")[0]["status"] == "pass"
    assert survey.commitChanges()  # a patch checked against unsaved edits is not exported
    target = tmp_path / "after_recheck.xlsx"
    assert dock.export_report(str(target)), qgis_iface.messageBar().get_messages(Qgis.Critical)
    book = openpyxl.load_workbook(target)
    detail = {r[1]: r for r in book["图斑明细"].iter_rows(min_row=5, values_only=True) if r[1]}
    assert detail["H4"][3] == "通过"
