"""The return visit (回头看) through processing.run in real QGIS: verify with AUDIT_LOG marks a patch that
passed before and fails now `rebuilt`, counts it per township; sample_audit draws the passed patches not
verified for a while."""

from __future__ import annotations

import csv
import sqlite3

from qgis.core import QgsVectorLayer
from qgis_layers import RecordingFeedback, box_wkt, memory_layer

from demolition_verifier.core import audit
from demolition_verifier.core.definitions import SUMMARY_FIELDS, Mark

X0, Y0 = 39_550_000.0, 3_880_000.0  # EPSG:4527
TOWNS = ["城关镇", "柳林镇", "南堡镇"]


def patches_layer() -> QgsVectorLayer:
    """12 patches, 4 per township (H1 柳林镇, H2 南堡镇, H3 城关镇, …)."""
    cells = [(f"H{i}", TOWNS[i % 3], i) for i in range(1, 13)]
    wkts = [box_wkt(X0 + 200 * i, Y0, X0 + 200 * i + 100, Y0 + 100) for _id, _t, i in cells]
    rows = [[pid, town, "15"] for pid, town, _i in cells]
    return memory_layer("patches", wkts, "EPSG:4527", [("JCBH", str), ("XZQMC", str), ("JCMJ", str)], rows)


def survey_layer(*cells: int) -> QgsVectorLayer:
    """A 20 m x 10 m building on each of the patches H<cell>."""
    return memory_layer(
        "survey", [box_wkt(X0 + 200 * i + 10, Y0 + 10, X0 + 200 * i + 30, Y0 + 20) for i in cells], "EPSG:4527"
    )


def verify(processing, survey, log=None, feedback=None, **extra):
    params = {
        "PATCHES": patches_layer(),
        "PATCH_ID_FIELD": "JCBH",
        "MONITORED_AREA_FIELD": "JCMJ",
        "MONITORED_AREA_UNIT": 1,
        "TOWNSHIP_FIELD": "XZQMC",
        "SURVEY": survey,
        "OUTPUT": "memory:",
        "OUTPUT_SUMMARY": "memory:",
    }
    if log:
        params["AUDIT_LOG"] = str(log)
    params.update(extra)
    return processing.run("demolitionverifier:verify", params, feedback=feedback)


def reasons(result) -> dict[str, str]:
    return {f["patch_id"]: f["reasons"] for f in result["OUTPUT"].getFeatures()}


def summary(result) -> dict[str, dict]:
    layer = result["OUTPUT_SUMMARY"]
    return {f["township"]: dict(zip(layer.fields().names(), f.attributes())) for f in layer.getFeatures()}


def test_a_passed_patch_with_a_new_building_is_rebuilt(processing, tmp_path):
    log = tmp_path / "audit.gpkg"
    first = verify(processing, survey_layer(5), log)
    assert "rebuilt" not in "".join(reasons(first).values())
    assert summary(first)["合计"]["rebuilt"] == 0
    feedback = RecordingFeedback()
    second = verify(processing, survey_layer(5, 9), log, feedback)  # H9 (城关镇) passed, now a building stands
    assert reasons(second)["H9"] == "main_retained,over_tolerance,rebuilt"
    assert reasons(second)["H5"] == "main_retained,over_tolerance"  # failing from the start: not rebuilt
    rows = summary(second)
    assert rows["城关镇"]["rebuilt"] == 1 and rows["柳林镇"]["rebuilt"] == 0 and rows["合计"]["rebuilt"] == 1
    assert rows["城关镇"]["passed"] == 3  # no credit kept from the earlier pass
    assert "1 patches rebuilt" in feedback.text() and "城关镇 1" in feedback.text()
    assert [d.data["reasons"] for d in audit.entries(log, kinds=["decision"]) if d.patch_id == "H9"] == [
        "",
        "main_retained,over_tolerance,rebuilt",
    ]
    third = verify(processing, survey_layer(5, 9), log)  # still standing: rebuilt stays on
    assert reasons(third)["H9"].endswith(",rebuilt")


def test_without_a_log_there_is_no_rebuilt_and_the_summary_is_as_ever(processing, tmp_path):
    verify(processing, survey_layer(), tmp_path / "audit.gpkg")
    plain = verify(processing, survey_layer(9), None, OUTPUT_SUMMARY=str(tmp_path / "plain.csv"))
    assert reasons(plain)["H9"] == "main_retained,over_tolerance"
    with open(tmp_path / "plain.csv", encoding="utf-8-sig", newline="") as handle:
        assert next(csv.reader(handle)) == [name for name, _kind, _alias in SUMMARY_FIELDS]
    logged = verify(processing, survey_layer(9), tmp_path / "audit.gpkg", OUTPUT_SUMMARY=str(tmp_path / "log.csv"))
    assert reasons(logged)["H9"].endswith(",rebuilt")
    with open(tmp_path / "log.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == [name for name, _kind, _alias in SUMMARY_FIELDS] + ["rebuilt"]
    assert {r["township"]: r["rebuilt"] for r in rows}["合计"] == "1"
    layer = QgsVectorLayer(str(tmp_path / "log.csv"), "summary", "ogr")
    assert layer.fields().field("rebuilt").typeName().lower().startswith("integer")


def test_a_broken_chain_warns_and_gives_no_rebuilt(processing, tmp_path):
    log = tmp_path / "audit.gpkg"
    verify(processing, survey_layer(), log)
    connection = sqlite3.connect(log)
    connection.execute("DROP TRIGGER audit_log_no_update")
    connection.execute("UPDATE audit_log SET status = 'fail' WHERE patch_id = 'H2'")
    connection.commit()
    connection.close()
    feedback = RecordingFeedback()
    result = verify(processing, survey_layer(9), log, feedback)
    assert reasons(result)["H9"] == "main_retained,over_tolerance"
    assert "rebuilt patches cannot be told from it" in feedback.text()
    assert summary(result)["合计"]["rebuilt"] == 0


def test_an_overturn_to_pass_counts_and_rebuilt_does_not_reopen_it(processing, tmp_path):
    log = tmp_path / "audit.gpkg"
    verify(processing, survey_layer(9), log)
    audit.mark_patch(log, "H9", Mark.OVERTURNED, "合法管理用房，有批文", new_status="pass")
    second = verify(processing, survey_layer(9), log)  # the same building the auditor judged
    assert reasons(second)["H9"].endswith(",rebuilt")
    state = audit.final_statuses(log)["H9"]
    assert (state.dispute, state.final_status) == ("overturned", "pass")


def test_a_recheck_keeps_rebuilt_while_the_patch_still_fails(processing, tmp_path):
    """A result layer linked to its audit log as the dock links it (final_st, dispute): the full run found
    H9 rebuilt; a re-check that still fails it keeps the code, one that passes it drops it."""
    from demolition_verifier.core.engine import Rules
    from demolition_verifier.qgis_adapter.recheck import recheck_patches
    from demolition_verifier.ui.result_layers import write_review

    log = tmp_path / "audit.gpkg"
    verify(processing, survey_layer(5), log)
    survey = survey_layer(5, 9)
    layer = verify(processing, survey, log)["OUTPUT"]
    decided = [(f["patch_id"], f["run_id"], f["status"]) for f in layer.getFeatures()]
    write_review(layer, audit.standing_states(log, decided).states)
    rules = Rules(monitored_area_unit=1)

    def recheck(patch_id):
        fid = next(f.id() for f in layer.getFeatures() if f["patch_id"] == patch_id)
        return recheck_patches(layer, survey, [fid], rules, area_field="JCMJ").values[fid]["reasons"]

    assert recheck("H9") == "main_retained,over_tolerance,rebuilt"
    assert recheck("H5") == "main_retained,over_tolerance"
    survey.startEditing()
    survey.deleteFeature(
        next(f.id() for f in survey.getFeatures() if f.geometry().boundingBox().xMinimum() > X0 + 1800)
    )
    assert recheck("H9") == ""
    survey.rollBack()


def test_the_report_shows_rebuilt_per_township_with_the_audit_log(processing, tmp_path):
    import openpyxl

    log = tmp_path / "audit.gpkg"
    verify(processing, survey_layer(5), log)
    out = verify(processing, survey_layer(5, 9, 10), log)["OUTPUT"]  # H9 (城关镇), H10 (柳林镇) rebuilt
    audit.mark_patch(log, "H10", Mark.OVERTURNED, "临时工棚，已批临时用地", new_status="pass")
    for name, extra in (("with.xlsx", {"AUDIT_LOG": str(log)}), ("without.xlsx", {})):
        processing.run("demolitionverifier:export_report", {"INPUT": out, "OUTPUT": str(tmp_path / name), **extra})
    sheet = openpyxl.load_workbook(tmp_path / "with.xlsx")["乡镇汇总"]
    assert [c.value for c in sheet[4]][-1] == "复建数"
    body = {r[1]: r for r in sheet.iter_rows(min_row=5, values_only=True)}
    # H10's overturn to pass stands: it counts as done, not as rebuilt
    assert (body["城关镇"][-1], body["柳林镇"][-1], body["南堡镇"][-1], body["合计"][-1]) == (1, 0, 0, 1)
    assert (body["城关镇"][4], body["柳林镇"][4], body["南堡镇"][4]) == (1, 0, 1)  # failed: H9; H10 overturned; H5
    details = {
        r[1]: r
        for r in openpyxl.load_workbook(tmp_path / "with.xlsx")["图斑明细"].iter_rows(min_row=5, values_only=True)
    }
    assert details["H9"][5] == "拆次留主、超出容差、复建"
    plain = openpyxl.load_workbook(tmp_path / "without.xlsx")["乡镇汇总"]
    assert [c.value for c in plain[4]][-1] == "图斑完成率"


# -- sample_audit: the return-visit sample (OLDER_THAN_DAYS, AS_OF) -------------------------------------
def sample(processing, out, feedback=None, **extra):
    params = {"INPUT": out, "COUNT": 1, "SEED": 5, "OUTPUT": "memory:", **extra}
    return processing.run("demolitionverifier:sample_audit", params, feedback=feedback)


def drawn(result) -> list[str]:
    return sorted(f["patch_id"] for f in result["OUTPUT"].getFeatures())


def test_the_return_visit_sample_draws_passed_patches_not_verified_for_a_while(processing, tmp_path, monkeypatch):
    from demolition_verifier.core.audit import log as audit_log

    log = tmp_path / "audit.gpkg"
    monkeypatch.setattr(audit_log, "now_text", lambda: "2026-01-01T10:00:00+08:00")
    out = verify(processing, survey_layer(9), log)["OUTPUT"]  # all 12 patches; H9 fails
    monkeypatch.setattr(audit_log, "now_text", lambda: "2026-03-01T10:00:00+08:00")
    subset = patches_layer()
    subset.dataProvider().deleteFeatures([f.id() for f in subset.getFeatures() if int(f["JCBH"][1:]) > 6])
    verify(processing, survey_layer(9), log, PATCHES=subset)  # H1–H6 seen again in March

    feedback = RecordingFeedback()
    every = sample(processing, out, feedback, COUNT=10, AUDIT_LOG=str(log), OLDER_THAN_DAYS=30, AS_OF="2026-03-15")
    assert drawn(every) == ["H10", "H11", "H12", "H7", "H8"]  # passed, last verified in January
    assert (
        "5 patches were last verified more than 30 days" in feedback.text()
        and "6 were verified more" in feedback.text()
    )
    assert every["AS_OF"] == "2026-03-15T00:00:00+08:00"
    entry = audit.entries(log)[-1]
    assert (entry.entry, entry.data["as_of"], entry.data["older_than_days"]) == ("sample", every["AS_OF"], 30.0)

    # the same AS_OF and SEED draw the same sample, whatever the log gained after AS_OF
    params = dict(AUDIT_LOG=str(log), OLDER_THAN_DAYS=30, AS_OF="2026-03-15T00:00:00+08:00")
    once = drawn(sample(processing, out, **params))
    monkeypatch.setattr(audit_log, "now_text", lambda: "2026-04-01T10:00:00+08:00")
    verify(processing, survey_layer(9), log)  # every patch seen again in April
    assert drawn(sample(processing, out, **params)) == once and len(once) == 3  # one per township
    assert drawn(sample(processing, out, AUDIT_LOG=str(log), OLDER_THAN_DAYS=30, AS_OF="2026-04-15")) == []
    # February: only January's decisions count, all more than 30 days old; mid-January: none is
    february = sample(processing, out, COUNT=10, AUDIT_LOG=str(log), OLDER_THAN_DAYS=30, AS_OF="2026-02-28")
    assert len(drawn(february)) == 11
    assert drawn(sample(processing, out, AUDIT_LOG=str(log), OLDER_THAN_DAYS=30, AS_OF="2026-01-20")) == []


def test_the_return_visit_sample_needs_the_audit_log(processing, tmp_path):
    import pytest
    from qgis.core import QgsProcessingException

    out = verify(processing, survey_layer(9))["OUTPUT"]
    with pytest.raises(QgsProcessingException, match="needs the audit log"):
        sample(processing, out, OLDER_THAN_DAYS=30)
    with pytest.raises(QgsProcessingException, match="AS_OF"):
        sample(processing, out, AUDIT_LOG=str(tmp_path / "a.gpkg"), OLDER_THAN_DAYS=30, AS_OF="soon")
