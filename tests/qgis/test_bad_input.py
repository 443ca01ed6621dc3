"""Messy real data through processing.run: a clear refusal, or a repaired and flagged result;
inputs never changed, outputs never half-written."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from qgis.core import QgsProcessingException, QgsProcessingFeedback, QgsVectorLayer, QgsWkbTypes
from qgis_layers import RecordingFeedback, box_wkt, memory_layer, write_file

X0, Y0 = 39_550_000.0, 3_880_000.0  # EPSG:4527
FIELDS = [("JCBH", str), ("XZQMC", str), ("JCMJ", float)]


def square(dx: float, size: float = 100.0) -> str:
    return box_wkt(X0 + dx, Y0, X0 + dx + size, Y0 + size)


def verify(processing, patches, survey, feedback=None, **extra):
    params = {"PATCHES": patches, "PATCH_ID_FIELD": "JCBH", "SURVEY": survey, "OUTPUT": "memory:"}
    params.update(extra)
    return processing.run("demolitionverifier:verify", params, feedback=feedback)


def by_id(layer) -> dict:
    return {f["patch_id"]: f for f in layer.getFeatures()}


def digest(folder: Path) -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def test_lines_as_patches_are_refused_naming_the_layer(processing):
    lines = memory_layer(
        "道路",
        [f"LINESTRING({X0} {Y0},{X0 + 5} {Y0 + 5})"],
        geometry="LineString",
        fields=FIELDS,
        rows=[["A", "镇", 1.0]],
    )
    survey = memory_layer("survey", [square(0, 5)])
    with pytest.raises(QgsProcessingException) as refusal:
        verify(processing, lines, survey)
    assert "道路" in str(refusal.value) and "lines" in str(refusal.value)


def test_bad_monitored_values_and_duplicate_ids_are_flagged_and_counted(processing):
    patches = memory_layer(
        "patches",
        [square(0), square(200), square(400), square(600)],
        fields=[("JCBH", str), ("JCMJ", str)],
        rows=[["A", "abc"], ["A", "-5"], ["B", None], ["C", "10000"]],
    )
    feedback = RecordingFeedback()
    out = verify(processing, patches, memory_layer("survey", []), feedback, MONITORED_AREA_FIELD="JCMJ")["OUTPUT"]
    reasons = [f["reasons"] for f in out.getFeatures()]
    assert reasons == [
        "monitored_area_missing,duplicate_id",
        "monitored_area_missing,duplicate_id",
        "monitored_area_missing",
        "",
    ]
    assert "3 patches have a monitored area that is NULL" in feedback.text()
    assert "2 patches share their id" in feedback.text()


def test_null_geometries(processing):
    patches = memory_layer(
        "patches",
        [square(0), None, square(200)],
        fields=FIELDS,
        rows=[["A", "x", 1.0], ["B", "x", 1.0], ["C", "x", 1.0]],
    )
    survey = memory_layer("survey", [None, box_wkt(X0 + 210, Y0 + 10, X0 + 230, Y0 + 30), None])
    feedback = RecordingFeedback()
    rows = by_id(verify(processing, patches, survey, feedback)["OUTPUT"])
    assert rows["B"]["status"] == "unsurveyed" and rows["B"]["reasons"] == "no_geometry"
    assert rows["A"]["status"] == "pass" and rows["C"]["status"] == "fail"
    assert "2 features of survey layer “survey” have no geometry" in feedback.text()


@pytest.mark.parametrize(
    ("name", "wkt", "area", "repaired"),
    [
        ("self-intersecting", "POLYGON((10 10,30 30,30 10,10 30,10 10))", 200.0, True),
        ("duplicate vertices", "POLYGON((10 10,30 10,30 10,30 30,10 30,10 30,10 10))", 400.0, False),
        ("zero area", "POLYGON((10 10,30 10,50 10,10 10))", 0.0, True),
        ("sliver", "POLYGON((10 10,90 10,90 10.01,10 10.01,10 10))", 0.8, False),
        (
            "overlapping parts",
            "MULTIPOLYGON(((10 10,30 10,30 30,10 30,10 10)),((20 20,40 20,40 40,20 40,20 20)))",
            700.0,
            True,
        ),
        ("unclosed ring", "POLYGON((10 10,30 10,30 30,10 30))", 400.0, True),
    ],
)
def test_broken_survey_polygons_are_measured_right(processing, name, wkt, area, repaired):
    moved = _shift(wkt, X0, Y0)
    patches = memory_layer("patches", [square(0)], fields=FIELDS, rows=[["A", "x", 1.0]])
    survey = memory_layer("survey", [moved])
    row = by_id(verify(processing, patches, survey, AREA_METHOD=1)["OUTPUT"])["A"]
    assert row["remain_m2"] == pytest.approx(area, abs=1e-6), name
    assert ("geometry_repaired" in row["reasons"]) == repaired, name


def _shift(wkt: str, dx: float, dy: float) -> str:
    from qgis.core import QgsGeometry

    if "POLYGON((10 10,30 10,30 30,10 30))" == wkt:  # QGIS keeps an unclosed ring as given
        return f"POLYGON(({dx + 10} {dy + 10},{dx + 30} {dy + 10},{dx + 30} {dy + 30},{dx + 10} {dy + 30}))"
    geometry = QgsGeometry.fromWkt(wkt)
    geometry.translate(dx, dy)
    return geometry.asWkt(6)


def test_curves_and_z_m_values_are_read_without_being_called_repairs(processing, tmp_path):
    curve = (
        f"CURVEPOLYGON(COMPOUNDCURVE(({X0} {Y0},{X0 + 100} {Y0},{X0 + 100} {Y0 + 100}),"
        f"CIRCULARSTRING({X0 + 100} {Y0 + 100},{X0 + 50} {Y0 + 150},{X0} {Y0 + 100}),({X0} {Y0 + 100},{X0} {Y0})))"
    )
    patches = memory_layer("patches", [curve], fields=FIELDS, rows=[["A", "x", 1.0]], geometry="CurvePolygon")
    gpkg = write_file(patches, str(tmp_path / "curves.gpkg"))
    z = f"POLYGON ZM(({X0 + 10} {Y0 + 10} 5 1,{X0 + 30} {Y0 + 10} 5 1,{X0 + 30} {Y0 + 30} 5 1,{X0 + 10} {Y0 + 30} 5 1,{X0 + 10} {Y0 + 10} 5 1))"
    survey = memory_layer("survey", [z], geometry="PolygonZM")
    layer = QgsVectorLayer(gpkg, "curves", "ogr")
    assert QgsWkbTypes.isCurvedType(layer.wkbType())
    row = by_id(verify(processing, layer, survey, AREA_METHOD=1)["OUTPUT"])["A"]
    half_disc = 3.141592653589793 * 50**2 / 2
    assert row["geom_m2"] == pytest.approx(10000 + half_disc, rel=1e-3)
    assert row["remain_m2"] == pytest.approx(400.0)
    assert row["reasons"] == "main_retained,over_tolerance"


def test_layer_without_crs(processing):
    patches = memory_layer("无坐标图斑", [square(0)], crs="", fields=FIELDS, rows=[["A", "x", 1.0]])
    survey = memory_layer("survey", [box_wkt(X0 + 10, Y0 + 10, X0 + 30, Y0 + 30)], crs="")
    with pytest.raises(QgsProcessingException) as refusal:
        verify(processing, patches, survey)
    assert "无坐标图斑" in str(refusal.value) and "CRS" in str(refusal.value)
    row = by_id(verify(processing, patches, survey, AREA_METHOD=1)["OUTPUT"])["A"]
    assert row["remain_m2"] == pytest.approx(400.0)


def test_mixed_crs_is_reprojected(processing):
    patches = memory_layer("patches", [square(0)], fields=FIELDS, rows=[["A", "x", 1.0]])
    lonlat = memory_layer("survey", [box_wkt(X0 + 10, Y0 + 10, X0 + 30, Y0 + 30)])
    from qgis.core import QgsCoordinateReferenceSystem

    moved = processing.run(
        "native:reprojectlayer",
        {"INPUT": lonlat, "TARGET_CRS": QgsCoordinateReferenceSystem("EPSG:4490"), "OUTPUT": "memory:"},
    )["OUTPUT"]
    same = by_id(verify(processing, patches, lonlat)["OUTPUT"])["A"]["remain_m2"]
    other = by_id(verify(processing, patches, moved)["OUTPUT"])["A"]["remain_m2"]
    assert other == pytest.approx(same, rel=1e-5)


def test_wrong_unit_is_named_in_the_log(processing):
    wkts = [square(0), square(200, 80), square(400, 60), square(600, 90)]
    mu = [[f"P{i}", "x", (s * s) / (2000 / 3)] for i, s in enumerate([100, 80, 60, 90])]
    patches = memory_layer("patches", wkts, fields=FIELDS, rows=mu)
    feedback = RecordingFeedback()
    out = verify(processing, patches, memory_layer("survey", []), feedback, MONITORED_AREA_FIELD="JCMJ", AREA_METHOD=1)[
        "OUTPUT"
    ]
    assert all("area_mismatch" in f["reasons"] for f in out.getFeatures())
    assert "the unit “平方米/m²” looks wrong" in feedback.text() and "亩/mu" in feedback.text()


def test_empty_layers_and_a_single_patch(processing):
    empty = memory_layer("patches", [], fields=FIELDS)
    feedback = RecordingFeedback()
    result = verify(processing, empty, memory_layer("survey", [square(0)]), feedback, OUTPUT_SUMMARY="memory:")
    assert result["OUTPUT"].featureCount() == 0
    assert [f["township"] for f in result["OUTPUT_SUMMARY"].getFeatures()] == ["合计"]
    assert "The patch layer is empty" in feedback.text()
    one = memory_layer("patches", [square(0)], fields=FIELDS, rows=[["A", "x", 1.0]])
    rows = by_id(verify(processing, one, memory_layer("survey", []))["OUTPUT"])
    assert rows["A"]["status"] == "pass"


def test_output_over_a_layer_inside_the_input_geopackage_is_refused(processing, tmp_path):
    patches = memory_layer("patches", [square(0)], fields=FIELDS, rows=[["A", "x", 1.0]])
    gpkg = write_file(patches, str(tmp_path / "county.gpkg"), layer_name="patches")
    before = digest(tmp_path)
    layer = QgsVectorLayer(f"{gpkg}|layername=patches", "patches", "ogr")
    survey = memory_layer("survey", [])
    for target in (gpkg, f"ogr:dbname='{gpkg}' table=\"patches\" (geom)"):
        with pytest.raises(QgsProcessingException) as refusal:
            verify(processing, layer, survey, OUTPUT=target)
        assert "patches" in str(refusal.value)
    del layer
    assert digest(tmp_path) == before


def test_a_cancelled_run_writes_nothing(processing, tmp_path):
    patches = memory_layer("patches", [square(0)], fields=FIELDS, rows=[["A", "x", 1.0]])
    feedback = QgsProcessingFeedback()
    feedback.cancel()
    target = tmp_path / "out.gpkg"
    with pytest.raises(QgsProcessingException):
        verify(processing, patches, memory_layer("survey", []), feedback, OUTPUT=str(target))
    assert not target.exists()
