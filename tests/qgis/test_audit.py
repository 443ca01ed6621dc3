"""The audit log, samples and checks through processing.run in real QGIS."""

from __future__ import annotations

import sqlite3

import pytest
from qgis.core import QgsGeometry, QgsProcessingException, QgsVectorLayer
from qgis_layers import RecordingFeedback, box_wkt, memory_layer, write_file

from demolition_verifier.core import audit
from demolition_verifier.core.definitions import Mark
from demolition_verifier.core.engine import Layer, PatchLayer, Rules
from demolition_verifier.core.engine import verify as engine_verify
from demolition_verifier.qgis_adapter.audit_io import layer_record, record_recheck
from demolition_verifier.qgis_adapter.layers import to_shapely

X0, Y0 = 39_550_000.0, 3_880_000.0  # EPSG:4527
TOWNS = ["城关镇", "柳林镇", "南堡镇"]


def patches_layer(order=None) -> QgsVectorLayer:
    """12 patches, 4 per township; H5 and H9 keep a 20 m x 10 m building."""
    cells = [(f"H{i}", TOWNS[i % 3], i) for i in range(1, 13)]
    if order is not None:
        cells = [cells[k] for k in order]
    wkts = [box_wkt(X0 + 200 * i, Y0, X0 + 200 * i + 100, Y0 + 100) for _id, _t, i in cells]
    rows = [[pid, town, "15"] for pid, town, _i in cells]
    return memory_layer("patches", wkts, "EPSG:4527", [("JCBH", str), ("XZQMC", str), ("JCMJ", str)], rows)


def survey_layer() -> QgsVectorLayer:
    return memory_layer(
        "survey", [box_wkt(X0 + 200 * i + 10, Y0 + 10, X0 + 200 * i + 30, Y0 + 20) for i in (5, 9)], "EPSG:4527"
    )


def verify(processing, log=None, patches=None, survey=None, **extra):
    params = {
        "PATCHES": patches or patches_layer(),
        "PATCH_ID_FIELD": "JCBH",
        "MONITORED_AREA_FIELD": "JCMJ",
        "MONITORED_AREA_UNIT": 1,
        "TOWNSHIP_FIELD": "XZQMC",
        "SURVEY": survey or survey_layer(),
        "OUTPUT": "memory:",
    }
    if log:
        params["AUDIT_LOG"] = str(log)
    params.update(extra)
    return processing.run("demolitionverifier:verify", params)


def test_verify_appends_the_run_and_every_decision(processing, tmp_path):
    log = tmp_path / "project_audit.gpkg"
    result = verify(processing, log, AUDIT_USER="张三")
    check = audit.verify_chain(log)
    assert (check.valid, check.entries) == (True, 13)
    assert result["AUDIT_HEAD"] == check.head and result["AUDIT_LOG"] == str(log)
    run = audit.entries(log, kinds=["run"])[0]
    assert run.run_id == result["RUN_ID"] and run.data["kind"] == "verify"
    assert run.data["who"]["name"] == "张三"
    assert run.data["qgis_version"].startswith("3.")
    assert run.data["counts"] == {"pass": 10, "fail": 2, "unsurveyed": 0}
    assert run.data["inputs"]["PATCHES"]["features"] == 12
    assert run.data["inputs"]["PATCHES"]["hashed"] == "geometry+attributes"
    assert run.data["inputs"]["SURVEY"]["features"] == 2 and "COVERAGE" not in run.data["inputs"]
    assert run.data["parameters"]["MAIN_STRUCTURE_AREA"] == 10.0 and run.data["parameters"]["PATCH_ID_FIELD"] == "JCBH"
    decisions = {e.patch_id: e for e in audit.entries(log, kinds=["decision"])}
    assert decisions["H5"].status == "fail" and decisions["H5"].data["remain_m2"] == pytest.approx(200.0, rel=1e-4)
    # QGIS opens the log as an ordinary table.
    table = QgsVectorLayer(f"{log}|layername=audit_log", "audit", "ogr")
    assert table.isValid() and table.featureCount() == 13
    assert {f["entry"] for f in table.getFeatures()} == {"run", "decision"}


def test_no_log_unless_asked(processing, tmp_path):
    result = verify(processing)
    assert not result.get("AUDIT_HEAD")
    assert list(tmp_path.iterdir()) == []


def test_a_file_that_is_not_a_log_is_refused_before_any_output(processing, tmp_path):
    other = write_file(patches_layer(), str(tmp_path / "patches.gpkg"))
    out = tmp_path / "verified.gpkg"
    with pytest.raises(QgsProcessingException, match="not a Demolition Verifier audit log"):
        verify(processing, other, OUTPUT=str(out))
    assert not out.exists()


def test_content_hash_ignores_feature_order_but_sees_unsaved_edits(processing, tmp_path):
    log = tmp_path / "audit.gpkg"
    verify(processing, log)
    verify(processing, log, patches=patches_layer(order=list(reversed(range(12)))))
    survey = survey_layer()
    survey.startEditing()
    first = next(survey.getFeatures())
    assert survey.changeGeometry(first.id(), QgsGeometry.fromWkt(box_wkt(X0 + 1010, Y0 + 10, X0 + 1031, Y0 + 20)))
    verify(processing, log, survey=survey)  # the edit is not saved
    runs = [e.data["inputs"] for e in audit.entries(log, kinds=["run"])]
    assert (
        runs[0]["PATCHES"]["content_hash"] == runs[1]["PATCHES"]["content_hash"] == runs[2]["PATCHES"]["content_hash"]
    )
    assert runs[0]["SURVEY"]["content_hash"] == runs[1]["SURVEY"]["content_hash"] != runs[2]["SURVEY"]["content_hash"]
    assert layer_record(survey, with_attributes=False)["content_hash"] == runs[2]["SURVEY"]["content_hash"]
    survey.rollBack()
    assert layer_record(survey, with_attributes=False)["content_hash"] == runs[0]["SURVEY"]["content_hash"]
    renamed = patches_layer()
    renamed.startEditing()
    renamed.changeAttributeValue(next(renamed.getFeatures()).id(), 1, "城关街道")
    assert layer_record(renamed)["content_hash"] != layer_record(patches_layer())["content_hash"]


def test_history_across_two_runs_and_an_overturn(processing, tmp_path):
    log = tmp_path / "audit.gpkg"
    verify(processing, log)
    cleared = memory_layer("survey", [box_wkt(X0 + 1810, Y0 + 10, X0 + 1830, Y0 + 20)], "EPSG:4527")  # H5 cleared
    second = verify(processing, log, survey=cleared, AUDIT_KIND=1)
    audit.mark_patch(log, "H9", Mark.DISPUTED, "无人机影像显示为新建临时棚", user_name="赵六")
    audit.mark_patch(log, "H9", Mark.OVERTURNED, "现场复核：棚已拆除", new_status="pass", user_name="赵六")
    assert [(h.entry, h.status) for h in audit.history(log, "H5")] == [("decision", "fail"), ("decision", "pass")]
    assert [(h.entry, h.status) for h in audit.history(log, "H9")] == [
        ("decision", "fail"),
        ("decision", "fail"),
        ("mark", "disputed"),
        ("mark", "overturned"),
    ]
    states = audit.final_statuses(log)
    assert (states["H9"].computed_status, states["H9"].final_status, states["H9"].dispute) == (
        "fail",
        "pass",
        "overturned",
    )
    assert states["H9"].run_id == second["RUN_ID"]
    assert audit.entries(log, kinds=["run"])[1].data["kind"] == "re-check"
    assert audit.verify_chain(log).valid


def check(processing, log, **extra):
    return processing.run("demolitionverifier:check_audit_log", {"INPUT": str(log), **extra})


def test_check_audit_log_reports_a_broken_chain_as_a_result(processing, tmp_path):
    log = tmp_path / "audit.gpkg"
    head = verify(processing, log)["AUDIT_HEAD"]
    assert check(processing, log) == {"VALID": True, "ENTRIES": 13, "FIRST_BROKEN": -1, "HEAD": head, "ANCHOR": -1}
    assert check(processing, log, EXPECTED_HEAD=head)["ANCHOR"] == 13
    connection = sqlite3.connect(log)
    connection.execute("DROP TRIGGER audit_log_no_delete")
    connection.execute("DELETE FROM audit_log WHERE fid = 13")
    connection.commit()
    connection.close()
    assert check(processing, log)["VALID"] is True  # a lost tail needs the head from paper
    lost = check(processing, log, EXPECTED_HEAD=head)
    assert (lost["VALID"], lost["ENTRIES"], lost["FIRST_BROKEN"]) == (False, 12, 13)
    connection = sqlite3.connect(log)
    connection.execute("DROP TRIGGER audit_log_no_update")
    connection.execute("UPDATE audit_log SET status = 'pass' WHERE patch_id = 'H5'")
    connection.commit()
    connection.close()
    broken = check(processing, log)
    assert (broken["VALID"], broken["FIRST_BROKEN"]) == (False, 6)


def test_check_audit_log_refuses_a_missing_file(processing, tmp_path):
    with pytest.raises(QgsProcessingException, match="does not exist"):
        check(processing, tmp_path / "nowhere.gpkg")


def sample(processing, layer, **extra):
    return processing.run("demolitionverifier:sample_audit", {"INPUT": layer, "OUTPUT": "memory:", **extra})


def test_same_seed_same_sample_in_any_feature_order(processing, tmp_path):
    out = verify(processing)["OUTPUT"]
    shuffled = verify(processing, patches=patches_layer(order=[7, 2, 11, 0, 5, 9, 1, 4, 10, 3, 8, 6]))["OUTPUT"]
    on_disk = write_file(out, str(tmp_path / "verified.gpkg"))
    drawn = []
    for layer in (out, shuffled, on_disk):
        result = sample(processing, layer, SEED=12345)
        drawn.append(sorted(f["patch_id"] for f in result["OUTPUT"].getFeatures()))
        assert result["SEED"] == 12345
    assert drawn[0] == drawn[1] == drawn[2]
    rows = list(sample(processing, out, SEED=12345)["OUTPUT"].getFeatures())
    assert sorted(r["township"] for r in rows) == sorted(TOWNS)  # one per township
    assert all(r["status"] == "pass" and r["seed"] == 12345 for r in rows)
    assert "remain_m2" in rows[0].fields().names()  # with their fields
    others = {
        tuple(sorted(f["patch_id"] for f in sample(processing, out, SEED=s)["OUTPUT"].getFeatures()))
        for s in range(1, 25)
    }
    assert len(others) > 1  # a different seed may draw differently


def test_sample_percent_status_fresh_seed_and_log_entry(processing, tmp_path):
    log = tmp_path / "audit.gpkg"
    out = verify(processing, log)["OUTPUT"]
    result = sample(processing, out, COUNT=0, PERCENT=50, STATUS="pass,fail", AUDIT_LOG=str(log))
    rows = list(result["OUTPUT"].getFeatures())
    assert len(rows) == 6 and result["DRAWN"] == 6  # 50 % of 4 per township
    assert 1 <= result["SEED"] <= 2**31 - 1
    entry = audit.entries(log)[-1]
    assert entry.entry == "sample" and entry.data["seed"] == result["SEED"]
    assert sorted(entry.data["drawn"]) == sorted(r["patch_id"] for r in rows)
    assert entry.data["statuses"] == ["pass", "fail"] and entry.data["percent"] == 50
    assert entry.run_id == rows[0]["run_id"]
    assert result["AUDIT_HEAD"] == audit.verify_chain(log).head
    failed = sample(processing, out, COUNT=5, STATUS="fail")
    assert sorted(f["patch_id"] for f in failed["OUTPUT"].getFeatures()) == ["H5", "H9"]


def test_sample_refuses_unknown_status_codes_and_a_layer_without_results(processing):
    out = verify(processing)["OUTPUT"]
    with pytest.raises(QgsProcessingException, match="not a status code"):
        sample(processing, out, STATUS="通过")
    with pytest.raises(QgsProcessingException, match="patch_id"):
        sample(processing, patches_layer())


def test_a_recheck_from_the_dock_is_a_run_of_its_own(processing, tmp_path):
    log = tmp_path / "audit.gpkg"
    patches, survey = patches_layer(), survey_layer()
    verify(processing, log, patches=patches, survey=survey)
    survey.startEditing()  # the remnant on H5 is digitized away, not yet saved
    remnant = next(f for f in survey.getFeatures() if f.geometry().boundingBox().xMinimum() < X0 + 1100)
    assert survey.deleteFeature(remnant.id())
    h5 = next(f for f in patches.getFeatures() if f["JCBH"] == "H5")
    geoms, _ = to_shapely([h5.geometry()])
    result = engine_verify(
        PatchLayer("patches", geoms, "EPSG:4527", ids=["H5"], monitored=["15"], townships=[h5["XZQMC"]]),
        Layer("survey", to_shapely([f.geometry() for f in survey.getFeatures()])[0], "EPSG:4527"),
        None,
        Rules(monitored_area_unit=1),
    )
    head = record_recheck(
        str(log),
        result,
        {"PATCHES": (patches, [h5.id()]), "SURVEY": (survey, None)},
        {"MONITORED_AREA_UNIT": 1},
        user_name="孙八",
    )
    check = audit.verify_chain(log)
    assert (check.valid, check.entries, check.head) == (True, 13 + 2, head)
    run = audit.entries(log, kinds=["run"])[-1]
    assert run.data["kind"] == "re-check" and run.data["who"]["name"] == "孙八"
    assert run.data["inputs"]["PATCHES"] == {**run.data["inputs"]["PATCHES"], "features": 1, "selected_only": True}
    assert run.data["inputs"]["SURVEY"]["features"] == 1
    state = audit.final_statuses(log)["H5"]
    assert (state.computed_status, state.run_id) == ("pass", result.run_id)


def test_duplicate_ids_draw_the_same_patch_from_a_re_saved_geopackage(processing, tmp_path):
    """Two patches share an id: which one is drawn depends on their content, not on the fid a
    GeoPackage gives them (re-saving a layer in another order changes every fid)."""
    wkts = [f"POLYGON(({x} 0,{x + 10} 0,{x + 10} 10,{x} 10,{x} 0))" for x in (0, 20)]
    rows = [["D1", "甲镇", "pass", 100.0 + x] for x in (0, 1)]
    fields = [("patch_id", str), ("township", str), ("status", str), ("monitor_m2", float)]
    forward = write_file(memory_layer("a", wkts, "EPSG:4527", fields, rows), str(tmp_path / "a.gpkg"))
    backward = write_file(memory_layer("b", wkts[::-1], "EPSG:4527", fields, rows[::-1]), str(tmp_path / "b.gpkg"))
    drawn = []
    for path in (forward, backward):
        layer = QgsVectorLayer(path, "verified", "ogr")
        for seed in range(1, 9):
            feature = next(sample(processing, layer, SEED=seed)["OUTPUT"].getFeatures())
            drawn.append((seed, feature["monitor_m2"]))
    assert drawn[:8] == drawn[8:]


def test_sample_draws_an_overturned_patch_by_its_final_status(processing, tmp_path):
    log = tmp_path / "audit.gpkg"
    out = verify(processing, log)["OUTPUT"]
    audit.mark_patch(log, "H9", Mark.DISPUTED, "现场照片显示已拆除", user_name="赵六")
    audit.mark_patch(log, "H9", Mark.OVERTURNED, "复核：已拆除到位", new_status="pass", user_name="赵六")
    feedback = RecordingFeedback()
    passed = processing.run(
        "demolitionverifier:sample_audit",
        {"INPUT": out, "COUNT": 10, "STATUS": "pass", "SEED": 7, "AUDIT_LOG": str(log), "OUTPUT": "memory:"},
        feedback=feedback,
    )
    assert "H9" in {f["patch_id"] for f in passed["OUTPUT"].getFeatures()}
    assert "H9 fail→pass" in feedback.text()
    assert audit.entries(log)[-1].data["overturned"] == [["H9", "pass"]]
    failed = sample(processing, out, COUNT=10, STATUS="fail", SEED=7, AUDIT_LOG=str(log))
    assert sorted(f["patch_id"] for f in failed["OUTPUT"].getFeatures()) == ["H5"]
    without_log = sample(processing, out, COUNT=10, STATUS="fail", SEED=7)  # the computed status, as the layer says
    assert sorted(f["patch_id"] for f in without_log["OUTPUT"].getFeatures()) == ["H5", "H9"]
