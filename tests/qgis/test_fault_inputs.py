"""Malformed inputs through processing.run: non-finite coordinates and far-off coordinates refused
with a message (never a GEOSException, never a pass with no area); monitored areas written as text
read only where unambiguous; an empty survey of geometry type "any" means nothing remains; a damaged
file read through QGIS itself refused, not read in part; maps on a full disk refused, not a short PDF."""

from __future__ import annotations

import os

import pytest
from damage import damage_page
from export_data import verified_county
from helpers import small_tmpfs
from qgis.core import (
    QgsLineString,
    QgsPoint,
    QgsPolygon,
    QgsProcessingException,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis_layers import box_wkt, memory_layer, write_file

X0, Y0 = 39_550_000.0, 3_880_000.0
FIELDS = [("JCBH", str), ("XZQMC", str), ("JCMJ", str)]


def nan_polygon():
    ring = QgsLineString([QgsPoint(X0, Y0), QgsPoint(float("nan"), Y0), QgsPoint(X0 + 10, Y0 + 10), QgsPoint(X0, Y0)])
    polygon = QgsPolygon()
    polygon.setExteriorRing(ring)
    return polygon


def layer_with_nan(name: str, fields=None, rows=None):
    layer = memory_layer(name, [box_wkt(X0, Y0, X0 + 100, Y0 + 100)], fields=fields, rows=rows)
    from qgis.core import QgsFeature, QgsGeometry

    feature = QgsFeature(layer.fields())
    feature.setGeometry(QgsGeometry(nan_polygon()))
    if rows:
        feature.setAttributes(["NAN", "镇", "1"])
    layer.dataProvider().addFeatures([feature])
    return layer


def verify(processing, patches, survey, **extra):
    params = {"PATCHES": patches, "PATCH_ID_FIELD": "JCBH", "SURVEY": survey, "OUTPUT": "memory:", **extra}
    return processing.run("demolitionverifier:verify", params)


def refused(processing, patches, survey, **extra) -> str:
    with pytest.raises(QgsProcessingException) as caught:
        verify(processing, patches, survey, **extra)
    assert "GEOS" not in str(caught.value) and "Traceback" not in str(caught.value)
    return str(caught.value)


def patches(n=1, monitored=("15",)):
    wkts = [box_wkt(X0 + 200 * i, Y0, X0 + 200 * i + 100, Y0 + 100) for i in range(n)]
    return memory_layer("patches", wkts, fields=FIELDS, rows=[[f"H{i}", "镇", monitored[i]] for i in range(n)])


def test_a_nan_coordinate_in_a_patch_or_survey_polygon_is_refused_naming_the_layer(processing):
    message = refused(processing, layer_with_nan("督察图斑", FIELDS, [["H1", "镇", "1"]]), memory_layer("survey", []))
    assert "“督察图斑”" in message and "not finite" in message
    message = refused(processing, patches(), layer_with_nan("现状调查"))
    assert "“现状调查”" in message and "not finite" in message


def test_coordinates_far_outside_the_crs_do_not_pass(processing):
    far = memory_layer("far", [box_wkt(1e15, 1e15, 1e15 + 100, 1e15 + 100)], fields=FIELDS, rows=[["F1", "镇", "1"]])
    message = refused(processing, far, memory_layer("survey", []))
    assert "cannot be computed" in message and "F1" in message


def test_monitored_areas_as_text_are_read_only_where_unambiguous(processing):
    values = ["1000", "1,000.5", "1000.5 亩", "1_000", " 12,5 ", "٣", "10 公顷"]
    result = verify(
        processing, patches(len(values), values), memory_layer("survey", []),
        MONITORED_AREA_FIELD="JCMJ", MONITORED_AREA_UNIT=1,
    )  # fmt: skip
    rows = {f["patch_id"]: f for f in result["OUTPUT"].getFeatures()}
    mu = 2000.0 / 3.0
    for i, value in enumerate(values):
        reasons = rows[f"H{i}"]["reasons"]
        if i < 3:
            expected = {0: 1000.0, 1: 1000.5, 2: 1000.5}[i] * mu
            assert rows[f"H{i}"]["monitor_m2"] == pytest.approx(expected, abs=1e-3), value
            assert "monitored_area_missing" not in reasons, value
        else:  # never a guessed number: flagged, and the patch's own area stands in
            assert "monitored_area_missing" in reasons, value


def test_an_empty_survey_of_geometry_type_any_means_nothing_remains(processing, tmp_path):
    from osgeo import ogr

    path = tmp_path / "empty_survey.gpkg"
    dataset = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    dataset.CreateLayer("survey", None, ogr.wkbUnknown)
    dataset = None
    survey = QgsVectorLayer(f"{path}|layername=survey", "survey", "ogr")
    assert QgsWkbTypes.geometryType(survey.wkbType()) != QgsWkbTypes.PolygonGeometry  # "no geometry" to QGIS
    result = verify(processing, patches(), survey)
    assert [f["status"] for f in result["OUTPUT"].getFeatures()] == ["pass"]


def test_a_damaged_file_read_through_qgis_is_refused_not_read_in_part(processing, tmp_path):
    n = 3000
    wkts = [box_wkt(X0 + 20 * (i % 60), Y0 + 20 * (i // 60), X0 + 20 * (i % 60) + 5, Y0 + 20 * (i // 60) + 5)
            for i in range(n)]  # fmt: skip
    survey = write_file(memory_layer("survey", wkts), str(tmp_path / "survey.gpkg"), layer_name="survey")
    damage_page(tmp_path / "survey.gpkg", tmp_path / "damaged.gpkg", "survey")
    layer = QgsVectorLayer(f"{tmp_path / 'damaged.gpkg'}|layername=survey", "现状调查", "ogr")
    layer.startEditing()  # read by QGIS itself, not through GDAL's Arrow stream
    message = refused(processing, patches(), layer)
    assert "“现状调查”" in message and "damaged" in message
    layer.rollBack()
    assert survey


@pytest.fixture
def full_disk(tmp_path):
    with small_tmpfs(tmp_path, "4m") as mount:
        yield mount


def test_maps_on_a_full_disk_are_refused_not_a_short_pdf(processing, full_disk):
    county = verified_county(processing)
    params = {"INPUT": county["OUTPUT"], "REMNANTS": county["OUTPUT_REMNANTS"]}
    good = full_disk / "good.pdf"
    processing.run("demolitionverifier:export_maps", {**params, "OUTPUT": str(good)})
    size = good.stat().st_size
    good.unlink()
    stats = os.statvfs(full_disk)
    with open(full_disk / "filler.bin", "wb") as handle:  # room for about half the PDF
        handle.write(b"\0" * (stats.f_bavail * stats.f_frsize - size // 2))
    with pytest.raises(QgsProcessingException) as caught:
        processing.run("demolitionverifier:export_maps", {**params, "OUTPUT": str(full_disk / "maps.pdf")})
    assert "incomplete" in str(caught.value) or "No space" in str(caught.value), str(caught.value)
    assert sorted(p.name for p in full_disk.iterdir()) == ["filler.bin"]
