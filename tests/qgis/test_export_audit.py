"""The maps and the report of a verify run with its audit log (the trail and disputes on the exports): the
chain's head hash after the run on every page and sheet, an overturn as the final status with the
computed one beside it, disputed patches marked; and nothing printed that the log does not back."""

from __future__ import annotations

import re
import sqlite3

import openpyxl
import pytest
from export_data import (
    CRS,
    NATURAL_ORDER,
    PATCHES,
    SPACING,
    X0,
    Y0,
    colour_mask,
    pdf_text_pages,
    render_page,
    verified_county,
)
from qgis.core import QgsFeature, QgsProcessingException, QgsVectorLayer
from qgis_layers import RecordingFeedback, box_wkt, memory_layer
from qgis_process_runner import QgisProcess

from demolition_verifier.core import audit
from demolition_verifier.core.definitions import Mark
from demolition_verifier.core.messages import text

OVERTURN_NOTE = "复核：残留为可移动板房，已运走"
DISPUTE_NOTE = "乡镇申辩：残留为保留的水泵房"
PASS_BADGE_RGB = (198, 239, 206)  # the badge of a final pass (#c6efce)
BADGE_MM = (187.0, 26.0, 287.0, 36.0)


@pytest.fixture
def audited(processing, tmp_path):
    """The county verified with an audit log; then H2 (computed fail) overturned to pass and H10
    disputed, through core.audit's API as the dock's dispute dialog does it."""
    log = tmp_path / "audit.gpkg"
    county = verified_county(processing, tmp_path, audit_log=log)
    run_id = QgsVectorLayer(county["OUTPUT"], "verified", "ogr").getFeature(1)["run_id"]
    run_head = audit.head_after_run(log, run_id)
    assert run_head and county["AUDIT_HEAD"] == run_head
    audit.mark_patch(log, "H2", Mark.OVERTURNED, OVERTURN_NOTE, "pass", user_name="钱七")
    last = audit.mark_patch(log, "H10", Mark.DISPUTED, DISPUTE_NOTE, user_name="钱七")
    return {**county, "log": log, "run_id": run_id, "run_head": run_head, "export_head": last.head}


def report(processing, audited, path, feedback=None, **extra):
    params = {"INPUT": audited["OUTPUT"], "AUDIT_LOG": str(audited["log"]), "OUTPUT": str(path), **extra}
    return processing.run("demolitionverifier:export_report", params, feedback=feedback)


def maps(processing, audited, path, feedback=None, **extra):
    params = {
        "INPUT": audited["OUTPUT"], "REMNANTS": audited["OUTPUT_REMNANTS"], "AUDIT_LOG": str(audited["log"]),
        "OUTPUT": str(path), **extra,
    }  # fmt: skip
    return processing.run("demolitionverifier:export_maps", params, feedback=feedback)


def squeezed(page: str) -> str:
    """A page's text without the spaces pdftotext -layout puts between columns."""
    return "".join(page.split())


def test_report_prints_the_head_and_final_statuses(processing, audited, tmp_path):
    path = tmp_path / "report.xlsx"
    feedback = RecordingFeedback()
    result = report(processing, audited, path, feedback)
    assert result["AUDIT_HEAD"] == audited["run_head"]
    assert any(audited["run_head"] in line for line in feedback.lines)  # in the run's log too
    wb = openpyxl.load_workbook(path)
    for ws in wb:  # every sheet: run_id and time, the head after the run, the head covering the marks
        info = ws["A2"].value
        assert audited["run_id"] in info and "核查时间" in info
        lines = info.split("\n")
        assert lines[1] == f"审计链头哈希（核查运行后）：{audited['run_head']}"
        assert lines[2] == f"审计链头哈希（导出时，含复核标记）：{audited['export_head']}"

    ws = wb["图斑明细"]
    headings = [c.value for c in ws[4]]
    assert headings[3:6] == ["核查结果", "复核状态", "原因"] and headings[-1] == "复核说明"
    rows = {r[1]: r for r in ws.iter_rows(min_row=5, values_only=True)}
    assert list(rows) == ["H1", "H2", "H3", "H4", "H10"]
    assert rows["H2"][3:6] == ("通过", "改判（原计算：不通过）", "拆次留主、超出容差")
    assert rows["H2"][-1] == OVERTURN_NOTE
    assert rows["H10"][3:5] == ("不通过", "存疑") and rows["H10"][-1] == DISPUTE_NOTE
    assert rows["H1"][3:5] == ("通过", None) and rows["H1"][-1] is None

    ws = wb["乡镇汇总"]  # final statuses counted by the engine's own summary: 城关镇 now 2 of 2
    body = {r[1]: r for r in ws.iter_rows(min_row=5, values_only=True)}
    assert body["城关镇"][0] == 1 and body["城关镇"][2:6] == (2, 2, 0, 0) and body["城关镇"][8] == pytest.approx(1.0)
    assert body["合计"][2:6] == (5, 3, 1, 1)
    assert "改判的图斑（1 个）按改判结果计入" in ws["A3"].value

    ws = wb["未通过图斑"]  # H2 passed on review; H10 stays, marked as disputed
    listed = [(r[2], r[3], r[4]) for r in ws.iter_rows(min_row=5, values_only=True) if isinstance(r[0], int)]
    assert listed == [("H10", "不通过", "存疑"), ("H3", "未核查", None)]


def test_maps_print_the_head_and_final_statuses(processing, audited, tmp_path):
    path = tmp_path / "maps.pdf"
    result = maps(processing, audited, path)
    assert result["AUDIT_HEAD"] == audited["run_head"] and result["PAGES"] == 4
    pages = pdf_text_pages(path)
    for page in pages:  # every page: the full hashes, whole, each on a line of its own
        assert re.search(r"审计链头哈希\(核查运行后\):\s*([0-9a-f]{64})\s", page).group(1) == audited["run_head"]
        assert (
            re.search(r"审计链头哈希\(导出时,含复核标记\):\s*([0-9a-f]{64})\s", page).group(1) == audited["export_head"]
        )
        assert audited["run_id"] in page and re.search(r"第 \d / 4", page)
    by_id = dict(zip(NATURAL_ORDER, pages))
    h2 = squeezed(by_id["H2"])  # NFKC: （；：） read as (;:)
    assert "核查结果:通过(改判;原计算:不通过)" in h2  # the badge
    assert "核查结果通过(改判;原计算:不通过)" in h2  # the figures table's row
    assert "核查结果:不通过(存疑)" in squeezed(by_id["H10"])
    assert "核查结果:通过" in squeezed(by_id["H1"]) and "改判" not in by_id["H1"] and "存疑" not in by_id["H1"]
    # The badge of the overturned patch is coloured by its final status.
    dpi = 100
    x0, y0, x1, y1 = (round(v * dpi / 25.4) for v in BADGE_MM)
    badge = render_page(path, NATURAL_ORDER.index("H2") + 1, dpi, tmp_path)[y0 + 2 : y1 - 2, x0 + 2 : x1 - 2]
    assert colour_mask(badge, PASS_BADGE_RGB, 8).mean() > 0.5


def test_without_a_log_nothing_of_it_is_printed(processing, audited, tmp_path):
    path = tmp_path / "maps.pdf"
    result = processing.run(
        "demolitionverifier:export_maps",
        {"INPUT": audited["OUTPUT"], "OUTPUT": str(path), "FILTER": "\"patch_id\" = 'H2'"},
    )
    assert result["AUDIT_HEAD"] == ""
    page = squeezed(pdf_text_pages(path)[0])
    assert "核查结果:不通过" in page and "审计" not in page and "改判" not in page


def test_a_log_without_the_run_prints_no_head(processing, audited, tmp_path):
    other = tmp_path / "other" / "audit.gpkg"
    verified_county(processing, audit_log=other)  # another run, another log
    feedback = RecordingFeedback()
    path = tmp_path / "report.xlsx"
    result = report(processing, audited, path, feedback, AUDIT_LOG=str(other))
    assert result["AUDIT_HEAD"] == ""
    assert text("audit_run_not_in_log", False, path=str(other), runs=audited["run_id"]) in feedback.lines
    wb = openpyxl.load_workbook(path)
    assert all("审计" not in ws["A2"].value for ws in wb)
    assert [c.value for c in wb["图斑明细"][4]][4] == "原因"  # no review columns: nothing to say
    assert wb["图斑明细"]["D6"].value == "不通过"  # H2 as computed

    pdf = tmp_path / "maps.pdf"
    feedback = RecordingFeedback()
    maps(processing, audited, pdf, feedback, AUDIT_LOG=str(other), FILTER="\"patch_id\" = 'H2'")
    assert text("audit_run_not_in_log", False, path=str(other), runs=audited["run_id"]) in feedback.lines
    page = pdf_text_pages(pdf)[0]
    assert "审计" not in page and "改判" not in page


def test_a_later_run_with_other_figures_is_not_overturned_by_the_old_mark(processing, audited, tmp_path):
    """H2 re-verified into the same log with its remnant gone: the overturn judged other figures, so
    the first run's output shows H2 as computed, and says why."""
    wkts = [
        None if dx is None else box_wkt(X0 + dx * SPACING, Y0, X0 + dx * SPACING + 100, Y0 + 100)
        for _p, _t, dx in PATCHES
    ]
    patches = memory_layer(
        "patches", wkts, CRS, [("JCBH", str), ("XZQMC", str), ("JCMJ", str)], [[p, t, "15"] for p, t, _d in PATCHES]
    )
    processing.run(
        "demolitionverifier:verify",
        {"PATCHES": patches, "PATCH_ID_FIELD": "JCBH", "MONITORED_AREA_FIELD": "JCMJ", "MONITORED_AREA_UNIT": 1,
         "TOWNSHIP_FIELD": "XZQMC", "SURVEY": memory_layer("survey", [], CRS), "OUTPUT": "memory:",
         "AUDIT_LOG": str(audited["log"])},
    )  # fmt: skip
    path = tmp_path / "report.xlsx"
    with pytest.raises(QgsProcessingException, match="not the latest decisions"):
        report(processing, audited, path)  # the later run decided every patch again
    feedback = RecordingFeedback()
    result = report(processing, audited, path, feedback, ALLOW_OLDER_RUN=True)
    assert result["AUDIT_HEAD"] == audited["run_head"]  # the first run is still in the chain
    assert text("audit_superseded", False, count=2, examples="H2、H10") in feedback.lines
    rows = {r[1]: r for r in openpyxl.load_workbook(path)["图斑明细"].iter_rows(min_row=5, values_only=True)}
    assert rows["H2"][3:5] == ("不通过", None)


def test_a_result_changed_after_the_run_is_refused(processing, audited, tmp_path):
    """杜绝虚假整改: a status edited in the result layer is not printed under the log's head hash."""
    layer = QgsVectorLayer(audited["OUTPUT"], "verified", "ogr")
    h10 = next(f for f in layer.getFeatures() if f["patch_id"] == "H10")
    assert layer.dataProvider().changeAttributeValues({h10.id(): {layer.fields().lookupField("status"): "pass"}})
    path = tmp_path / "report.xlsx"
    with pytest.raises(QgsProcessingException) as refusal:
        report(processing, audited, path)
    assert "does not match the audit log" in str(refusal.value) and "H10" in str(refusal.value)
    assert not path.exists()


def test_a_broken_log_is_refused(processing, audited, tmp_path):
    connection = sqlite3.connect(audited["log"])
    connection.execute("DROP TRIGGER audit_log_no_update")
    connection.execute("UPDATE audit_log SET status = 'pass' WHERE patch_id = 'H2' AND entry = 'decision'")
    connection.commit()
    connection.close()
    path = tmp_path / "maps.pdf"
    with pytest.raises(QgsProcessingException) as refusal:
        maps(processing, audited, path)
    assert "breaks at entry" in str(refusal.value)
    assert not path.exists()
    with pytest.raises(QgsProcessingException, match="does not exist"):
        report(processing, audited, tmp_path / "report.xlsx", AUDIT_LOG=str(tmp_path / "nowhere.gpkg"))
    assert not (tmp_path / "report.xlsx").exists()


def test_report_through_qgis_process(audited, tmp_path):
    """As `make demo` and a bureau's script run it: scripts/qgis_process.sh ... AUDIT_LOG=..."""
    path = tmp_path / "cli.xlsx"
    profile = tmp_path / "profile"
    ini = profile / "profiles" / "default" / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True)
    ini.write_text("[PythonPlugins]\ndemolition_verifier=true\n[locale]\noverrideFlag=true\nuserLocale=en_US\n")
    (profile / ".demolition_verifier_enabled").touch()
    done = QgisProcess(profile).run(
        "demolitionverifier:export_report",
        f"INPUT={audited['OUTPUT']}",
        f"AUDIT_LOG={audited['log']}",
        f"OUTPUT={path}",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert QgisProcess.results(done)["AUDIT_HEAD"] == audited["run_head"]
    wb = openpyxl.load_workbook(path)
    assert all(audited["run_head"] in ws["A2"].value for ws in wb)
    rows = {r[1]: r for r in wb["图斑明细"].iter_rows(min_row=5, values_only=True)}
    assert rows["H2"][3:5] == ("通过", "改判（原计算：不通过）")


def test_a_result_merged_from_two_runs_prints_the_head_after_the_later(processing, audited, tmp_path):
    """As after a re-check from the dock: some rows carry a later run's id; that run's head anchors both.
    The later run re-checks H1 alone (the other rows are still their patches' latest decisions)."""
    h1 = memory_layer(
        "patches", [box_wkt(X0, Y0, X0 + 100, Y0 + 100)], CRS, [("JCBH", str), ("XZQMC", str), ("JCMJ", str)],
        [["H1", "城关镇", "15"]],
    )  # fmt: skip
    later = processing.run(
        "demolitionverifier:verify",
        {"PATCHES": h1, "PATCH_ID_FIELD": "JCBH", "MONITORED_AREA_FIELD": "JCMJ", "MONITORED_AREA_UNIT": 1,
         "TOWNSHIP_FIELD": "XZQMC", "SURVEY": memory_layer("survey", [], CRS), "OUTPUT": "memory:",
         "AUDIT_LOG": str(audited["log"]), "AUDIT_KIND": 1},
    )["RUN_ID"]  # fmt: skip
    layer = QgsVectorLayer(audited["OUTPUT"], "verified", "ogr")
    h1 = next(f for f in layer.getFeatures() if f["patch_id"] == "H1")
    assert layer.dataProvider().changeAttributeValues({h1.id(): {layer.fields().lookupField("run_id"): later}})
    path = tmp_path / "report.xlsx"
    result = report(processing, audited, path)
    assert result["AUDIT_HEAD"] == audit.head_after_run(audited["log"], later) != audited["run_head"]
    rows = {r[1]: r for r in openpyxl.load_workbook(path)["图斑明细"].iter_rows(min_row=5, values_only=True)}
    assert rows["H2"][3:5] == ("通过", "改判（原计算：不通过）")  # H2's overturn stands: no later run decided it


def _tampered(audited, tmp_path, edit) -> str:
    """A copy of the verified output edited after the run, as someone might before printing."""
    import shutil

    copy = tmp_path / "tampered.gpkg"
    shutil.copy(audited["OUTPUT"].split("|")[0], copy)
    layer = QgsVectorLayer(str(copy), "tampered", "ogr")
    assert layer.startEditing()
    edit(layer)
    assert layer.commitChanges(), layer.commitErrors()
    return str(copy)


def _set(layer, patch_id, field, value):
    feature = next(f for f in layer.getFeatures() if f["patch_id"] == patch_id)
    layer.changeAttributeValue(feature.id(), layer.fields().lookupField(field), value)


def _duplicate(layer, patch_id):
    feature = next(f for f in layer.getFeatures() if f["patch_id"] == patch_id)
    copy = QgsFeature(feature)
    copy.setAttribute(layer.fields().lookupField("fid"), None)
    layer.addFeature(copy)


def _delete(layer, patch_id):
    layer.deleteFeature(next(f for f in layer.getFeatures() if f["patch_id"] == patch_id).id())


@pytest.mark.parametrize(
    ("name", "edit"),
    [
        ("a passing patch's monitored area raised", lambda lyr: _set(lyr, "H1", "monitor_m2", 99999.0)),
        ("a failed patch moved to another township", lambda lyr: _set(lyr, "H10", "township", "新设乡")),
        ("reasons blanked", lambda lyr: _set(lyr, "H10", "reasons", "")),
        ("a passing row duplicated", lambda lyr: _duplicate(lyr, "H1")),
        ("a failed row deleted", lambda lyr: _delete(lyr, "H10")),
    ],
)
def test_no_head_is_printed_over_figures_the_log_does_not_hold(processing, audited, tmp_path, name, edit):
    tampered = _tampered(audited, tmp_path, edit)
    target = tmp_path / "report.xlsx"
    with pytest.raises(QgsProcessingException) as refusal:
        report(processing, {**audited, "OUTPUT": tampered}, target)
    assert "H" in str(refusal.value), name
    assert not target.exists(), name


def test_a_forged_copy_of_the_run_does_not_move_the_head(processing, audited, tmp_path):
    """Entries appended later under the run's id are not the run's: the head printed stays the one
    right after the run, and the forged decisions are not taken as the run's. They are later decisions
    of its patches, though: the export is refused unless ALLOW_OLDER_RUN, and then says so."""
    forged = [
        audit.NewEntry(e.entry, e.data, e.run_id, e.patch_id, "pass" if e.status else e.status)
        for e in audit.entries(audited["log"])
        if e.run_id == audited["run_id"] and e.entry in ("run", "decision")
    ]
    audit.append(audited["log"], forged)
    with pytest.raises(QgsProcessingException, match="decisions appended under run"):
        report(processing, audited, tmp_path / "report.xlsx")
    result = report(processing, audited, tmp_path / "report.xlsx", ALLOW_OLDER_RUN=True)
    assert result["AUDIT_HEAD"] == audited["run_head"]
