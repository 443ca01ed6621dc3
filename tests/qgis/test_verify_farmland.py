"""verify's farmland inputs through processing.run: the fields only with their inputs, the rules,
the summary, and clear refusals that leave the inputs as they were."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest
from farmland_data import X0, Y0, approvals, basic_farmland, box, land_class, run
from qgis.core import QgsProcessingException, QgsVectorLayer
from qgis_layers import RecordingFeedback, memory_layer, write_file

from demolition_verifier.core import audit
from demolition_verifier.core.definitions import LAND_RESULT_FIELDS, RESULT_FIELDS, SUMMARY_FIELDS

BASE = [name for name, _k, _a in RESULT_FIELDS]


def rows_of(layer: QgsVectorLayer) -> dict:
    return {f["patch_id"]: f for f in layer.getFeatures()}


def test_without_the_new_inputs_the_fields_are_as_before(processing):
    out = run(processing)["OUTPUT"]
    assert out.fields().names() == ["JCBH", "XZQMC", "method", *BASE]  # the source's own "method" kept
    assert rows_of(out)["H1"]["method"] == "x"


def test_land_class_alone_adds_the_farmland_fields(processing):
    feedback = RecordingFeedback()
    result = run(processing, feedback, LAND_CLASS=land_class(), LAND_CLASS_FIELD="DLBM", OUTPUT_SUMMARY="memory:")
    out = result["OUTPUT"]
    assert out.fields().names() == ["JCBH", "XZQMC", "method", *BASE, "farm_m2", "farm_rem"]
    rows = rows_of(out)
    assert rows["H1"]["farm_m2"] == pytest.approx(10000.0, rel=1e-4)  # the overlap counted once
    assert rows["H2"]["farm_m2"] == pytest.approx(5000.0, rel=1e-4)
    assert rows["H10"]["farm_m2"] == 0.0
    assert rows["H1"]["farm_rem"] == pytest.approx(400.0, rel=1e-4)
    assert out.fields().field("farm_m2").alias() == "耕地面积(平方米)"
    assert "overlap" in feedback.text()
    summary = result["OUTPUT_SUMMARY"]
    names = [n for n, _k, _a in SUMMARY_FIELDS]
    assert summary.fields().names() == [*names, "farm_m2", "farm_pass", "farm_done", "farm_rem"]
    total = {f["township"]: f for f in summary.getFeatures()}["合计"]
    assert total["farm_m2"] == pytest.approx(15000.0, rel=1e-4) and total["farm_rem"] == pytest.approx(800.0, rel=1e-4)


def test_every_input_the_rules_and_the_summary_csv(processing, tmp_path):
    summary_csv = tmp_path / "townships.csv"
    result = run(
        processing,
        LAND_CLASS=land_class(),
        LAND_CLASS_FIELD="DLBM",
        BASIC_FARMLAND=basic_farmland(),
        APPROVALS=approvals(),
        APPROVAL_ID_FIELD="PZWH",
        RANK_BY=1,
        OUTPUT_SUMMARY=str(summary_csv),
    )
    out = result["OUTPUT"]
    assert out.fields().names() == ["JCBH", "XZQMC", *BASE, *[n for n, _k, _a in LAND_RESULT_FIELDS]]
    rows = rows_of(out)
    h1, h2, h10 = rows["H1"], rows["H2"], rows["H10"]
    assert (h1["status"], h1["reasons"], h1["method"], h1["appr_ids"]) == (
        "pass",
        "approved_part",
        "补办",
        "冀批2024-12",
    )
    assert h1["appr_m2"] == pytest.approx(400.0, rel=1e-4)
    assert (h2["status"], h2["reasons"], h2["method"]) == (
        "fail",
        "main_retained,over_tolerance,basic_farmland,approved_part",
        "",
    )
    assert h2["bfarm_m2"] == pytest.approx(2000.0, rel=1e-4) and h2["bfarm_rem"] == pytest.approx(200.0, rel=1e-4)
    assert h2["appr_m2"] == pytest.approx(200.0, rel=1e-4) and h2["appr_ids"] == "冀批2024-3"
    assert (h10["status"], h10["method"], h10["appr_ids"]) == ("pass", "拆除", "")
    with open(summary_csv, encoding="utf-8-sig") as handle:
        table = list(csv.DictReader(handle))
    assert list(table[0]) == [n for n, _k, _a in SUMMARY_FIELDS] + [
        "farm_m2",
        "farm_pass",
        "farm_done",
        "farm_rem",
        "legal_n",
    ]
    by_town = {r["township"]: r for r in table}
    assert by_town["柳林镇"]["farm_done"] == "" and by_town["柳林镇"]["rank"] == "2"  # no farmland: last
    assert by_town["城关镇"]["rank"] == "1" and by_town["城关镇"]["legal_n"] == "1"
    assert float(by_town["城关镇"]["farm_done"]) == pytest.approx(10000 / 15000, rel=1e-4)


def test_approvals_without_id_field_give_feature_ids(processing):
    out = run(processing, APPROVALS=approvals())["OUTPUT"]
    assert out.fields().names()[-3:] == ["appr_m2", "appr_ids", "method"]
    assert rows_of(out)["H1"]["appr_ids"] == "1"


def digest(folder: Path) -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def test_a_missing_land_class_field_is_refused_with_the_fields_listed(processing, tmp_path):
    path = write_file(land_class(), str(tmp_path / "dltb.gpkg"))
    before = digest(tmp_path)
    with pytest.raises(QgsProcessingException) as refusal:
        run(processing, LAND_CLASS=path, LAND_CLASS_FIELD="DLDM", OUTPUT=str(tmp_path / "out.gpkg"))
    message = str(refusal.value)
    assert "DLDM" in message and "DLBM, TBMJ" in message and "Traceback" not in message
    assert digest(tmp_path) == before  # input untouched, no output


def test_land_class_without_its_field_is_refused(processing):
    with pytest.raises(QgsProcessingException) as refusal:
        run(processing, LAND_CLASS=land_class())
    assert "LAND_CLASS_FIELD" in str(refusal.value) and "DLBM" in str(refusal.value)


def test_approvals_as_points_are_refused(processing, tmp_path):
    points = memory_layer(
        "批准点", [f"POINT({X0 + 5} {Y0 + 5})"], geometry="Point", fields=[("PZWH", str)], rows=[["A"]]
    )
    path = write_file(points, str(tmp_path / "points.gpkg"))
    before = digest(tmp_path)
    with pytest.raises(QgsProcessingException) as refusal:
        run(processing, APPROVALS=path, OUTPUT=str(tmp_path / "out.gpkg"))
    message = str(refusal.value)
    assert "points" in message and "polygon" in message and "Traceback" not in message
    assert digest(tmp_path) == before


def test_ranking_by_farmland_without_land_class_is_refused(processing):
    with pytest.raises(QgsProcessingException) as refusal:
        run(processing, RANK_BY=1)
    assert "LAND_CLASS" in str(refusal.value)


def _land_class_with_more():
    """The land classes above, plus polygons that are not farmland (one of them a bow tie) and a
    polygon with no code, over the patches."""
    layer = memory_layer(
        "DLTB",
        [
            box(-10, -10, 60, 110),
            box(40, -10, 250, 110),
            box(250, -10, 600, 110),
            f"POLYGON(({X0 + 300} {Y0}, {X0 + 400} {Y0 + 100}, {X0 + 400} {Y0}, {X0 + 300} {Y0 + 100}, {X0 + 300} {Y0}))",
            box(100, 0, 180, 50),
        ],
        fields=[("DLBM", str), ("TBMJ", float)],
        rows=[["0101", 1.0], ["103", 1.0], ["0702", 1.0], ["1003", 1.0], [None, 1.0]],
    )
    return layer


def test_a_saved_land_class_layer_read_fast_gives_the_answers_of_one_read_by_qgis(processing, tmp_path):
    """A whole saved GeoPackage layer is read through GDAL (only its farmland decoded when no
    log keeps its hash); a memory layer through QGIS: the same figures, reasons and notices. With
    AUDIT_LOG every geometry is read, so the run records the hash of the whole layer."""
    memory = _land_class_with_more()
    path = write_file(memory, str(tmp_path / "dltb.gpkg"))
    fast_feedback, slow_feedback = RecordingFeedback(), RecordingFeedback()
    fast = run(processing, fast_feedback, LAND_CLASS=f"{path}|layername=DLTB", LAND_CLASS_FIELD="DLBM")["OUTPUT"]
    slow = run(processing, slow_feedback, LAND_CLASS=memory, LAND_CLASS_FIELD="DLBM")["OUTPUT"]
    fields = ["status", "reasons", *[name for name, _k, _a in LAND_RESULT_FIELDS if name.startswith("farm")]]
    fast_rows, slow_rows = rows_of(fast), rows_of(slow)
    assert fast_rows.keys() == slow_rows.keys() and fast_rows
    for patch in fast_rows:
        assert [fast_rows[patch][f] for f in fields] == [slow_rows[patch][f] for f in fields]
    assert any(fast_rows[p]["farm_m2"] > 0 for p in fast_rows)

    def notices(feedback) -> list[str]:
        return [line for line in feedback.lines if not line.startswith(("Timing", "Results"))]

    assert notices(fast_feedback) == notices(slow_feedback)
    assert any("overlap" in line for line in notices(fast_feedback))
    logs = [tmp_path / "fast.gpkg", tmp_path / "slow.gpkg"]
    run(processing, LAND_CLASS=f"{path}|layername=DLTB", LAND_CLASS_FIELD="DLBM", AUDIT_LOG=str(logs[0]))
    run(processing, LAND_CLASS=memory, LAND_CLASS_FIELD="DLBM", AUDIT_LOG=str(logs[1]))
    recorded = [next(iter(audit.entries(log, kinds=["run"]))).data["inputs"]["LAND_CLASS"] for log in logs]
    assert recorded[0]["features"] == recorded[1]["features"] == 5
    assert recorded[0]["content_hash"] == recorded[1]["content_hash"]


def test_the_fast_read_decodes_only_the_polygons_asked_for(tmp_path):
    from qgis.core import QgsProcessingContext, QgsProcessingFeatureSource

    from demolition_verifier.core.land import is_farmland
    from demolition_verifier.qgis_adapter.land_io import read_land_class

    path = write_file(_land_class_with_more(), str(tmp_path / "dltb.gpkg"))
    layer = QgsVectorLayer(f"{path}|layername=DLTB", "DLTB", "ogr")
    source = QgsProcessingFeatureSource(layer, QgsProcessingContext())
    index = layer.fields().indexOf("DLBM")
    every, codes = read_land_class(source, index, layer=layer, value=layer.source())
    assert every.fast and codes == ["0101", "103", "0702", "1003", None]
    assert [g is not None for g in every.geometries] == [True] * 5
    farmland = lambda values: is_farmland(values, ("0101", "0102", "0103"))  # noqa: E731
    some, some_codes = read_land_class(source, index, layer=layer, value=layer.source(), farmland=farmland)
    assert some.fast and some_codes == codes and some.attributes == [] and some.columns is None
    assert [g is not None for g in some.geometries] == [True, True, False, False, False]
    assert [g.equals(h) for g, h in zip(some.geometries[:2], every.geometries[:2])] == [True, True]
    assert not some.read_repaired.any()
