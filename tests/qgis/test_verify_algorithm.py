"""`demolitionverifier:verify` through processing.run with QGIS's default context."""

from __future__ import annotations

import pytest
from qgis.core import QgsProcessingException, QgsVectorLayer
from qgis_layers import box_wkt, memory_layer, write_file

X0, Y0 = 39_550_000.0, 3_880_000.0  # EPSG:4527, near the central meridian


def patches_layer(crs="EPSG:4527"):
    wkts = [
        box_wkt(X0, Y0, X0 + 100, Y0 + 100),
        box_wkt(X0 + 200, Y0, X0 + 300, Y0 + 100),
        box_wkt(X0 + 400, Y0, X0 + 500, Y0 + 100),
        None,
    ]
    rows = [["H1", "城关镇", "15"], ["H2", "城关镇", "15"], ["H10", "柳林镇", None], ["H3", "柳林镇", "2"]]
    return memory_layer("patches", wkts, crs, [("JCBH", str), ("XZQMC", str), ("JCMJ", str)], rows)


def survey_layer(crs="EPSG:4527"):
    bowtie = f"POLYGON(({X0 + 210} {Y0 + 10},{X0 + 230} {Y0 + 30},{X0 + 230} {Y0 + 10},{X0 + 210} {Y0 + 30},{X0 + 210} {Y0 + 10}))"
    return memory_layer(
        "survey",
        [box_wkt(X0 + 410, Y0 + 10, X0 + 410.5, Y0 + 11), bowtie, None],
        crs,
    )


def run_verify(processing, **extra):
    params = {
        "PATCHES": patches_layer(),
        "PATCH_ID_FIELD": "JCBH",
        "MONITORED_AREA_FIELD": "JCMJ",
        "MONITORED_AREA_UNIT": 1,
        "TOWNSHIP_FIELD": "XZQMC",
        "SURVEY": survey_layer(),
        "OUTPUT": "memory:",
    }
    params.update(extra)
    return processing.run("demolitionverifier:verify", params)


def rows_of(layer: QgsVectorLayer) -> dict:
    return {f["patch_id"]: f for f in layer.getFeatures()}


def test_verify_with_default_context_repairs_instead_of_stopping(processing):
    result = run_verify(processing)
    out = result["OUTPUT"]
    rows = rows_of(out)
    assert rows["H1"]["status"] == "pass" and rows["H1"]["reasons"] == ""
    assert rows["H2"]["status"] == "fail"
    assert rows["H2"]["reasons"] == "main_retained,over_tolerance,geometry_repaired"
    assert rows["H2"]["remain_m2"] == pytest.approx(200.0, rel=1e-4)  # ellipsoidal, not planar GK
    assert rows["H10"]["status"] == "pass"  # 0.5 m² of crumbs: within tolerance
    assert rows["H10"]["reasons"] == "monitored_area_missing"
    assert rows["H3"]["status"] == "unsurveyed" and rows["H3"]["reasons"] == "no_geometry"
    assert rows["H1"]["monitor_m2"] == pytest.approx(10000.0)
    assert rows["H1"]["township"] == "城关镇"
    assert result["PASS_COUNT"] == 2 and result["FAIL_COUNT"] == 1 and result["UNSURVEYED_COUNT"] == 1
    assert result["RUN_ID"] and rows["H1"]["run_id"] == result["RUN_ID"]
    assert out.fields().field("status").alias() == "核查结果"
    assert "OUTPUT_REMNANTS" not in result or not result["OUTPUT_REMNANTS"]


def test_optional_outputs(processing):
    result = run_verify(processing, OUTPUT_REMNANTS="memory:", OUTPUT_SUMMARY="memory:")
    remnants = list(result["OUTPUT_REMNANTS"].getFeatures())
    assert sorted((f["patch_id"], f["part"]) for f in remnants) == [("H10", 1), ("H2", 1), ("H2", 2)]
    assert sum(f["area_m2"] for f in remnants if f["patch_id"] == "H2") == pytest.approx(200.0, rel=1e-4)
    summary = {f["township"]: f for f in result["OUTPUT_SUMMARY"].getFeatures()}
    assert set(summary) == {"城关镇", "柳林镇", "合计"}
    assert summary["城关镇"]["done_area"] == pytest.approx(0.5)
    assert summary["合计"]["patches"] == 4


def test_reverifying_an_output_replaces_fields(processing):
    first = run_verify(processing)["OUTPUT"]
    second = run_verify(processing, PATCHES=first)["OUTPUT"]
    names = second.fields().names()
    assert len(names) == len(set(n.lower() for n in names))
    assert names.count("status") == 1
    assert second.featureCount() == 4


def test_point_layer_is_refused_with_a_clear_message(processing):
    points = memory_layer("points", [f"POINT({X0} {Y0})"], geometry="Point")
    with pytest.raises(QgsProcessingException) as refusal:
        run_verify(processing, SURVEY=points)
    assert "points" in str(refusal.value)


def test_missing_field_is_refused_listing_the_fields(processing):
    with pytest.raises(QgsProcessingException) as refusal:
        run_verify(processing, TOWNSHIP_FIELD="XZMC")
    message = str(refusal.value)
    assert "XZMC" in message and "JCBH" in message


def test_gbk_shapefile_with_chinese_names(processing, tmp_path):
    path = write_file(patches_layer(), str(tmp_path / "patches_gbk.shp"), "ESRI Shapefile", "GBK")
    raw = (tmp_path / "patches_gbk.dbf").read_bytes()
    assert "城关镇".encode("gbk") in raw  # really GBK on disk
    layer = QgsVectorLayer(path, "patches_gbk", "ogr")
    result = run_verify(processing, PATCHES=layer, OUTPUT_SUMMARY="memory:")
    towns = {f["township"] for f in result["OUTPUT_SUMMARY"].getFeatures()}
    assert towns == {"城关镇", "柳林镇", "合计"}


def test_output_onto_the_input_file_is_refused(processing, tmp_path):
    path = write_file(patches_layer(), str(tmp_path / "patches.shp"), "ESRI Shapefile")
    before = (tmp_path / "patches.dbf").read_bytes()
    with pytest.raises(QgsProcessingException):
        run_verify(processing, PATCHES=QgsVectorLayer(path, "patches", "ogr"), OUTPUT=path)
    assert (tmp_path / "patches.dbf").read_bytes() == before
