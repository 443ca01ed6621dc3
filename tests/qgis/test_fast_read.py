"""The GeoPackage fast read (GDAL's Arrow interface) gives what QGIS's own reading gives, and is
used only where that is sure: other layers fall back to QGIS's feature iteration."""

from __future__ import annotations

import pytest
import shapely
from osgeo import ogr
from qgis.core import (
    QgsFeatureRequest,
    QgsProcessingContext,
    QgsProcessingFeatureSource,
    QgsProcessingFeatureSourceDefinition,
    QgsVectorLayer,
)
from qgis_layers import X0, Y0, box_wkt, gdal_gpkg, make_gpkg, memory_layer, write_file

from demolition_verifier.qgis_adapter.reading import read_source


def both_ways(layer, value=None, with_attributes=True):
    source = QgsProcessingFeatureSource(layer, QgsProcessingContext())
    fast = read_source(source, with_attributes=with_attributes, keep_features=True, layer=layer, value=value)
    slow = read_source(source, with_attributes=with_attributes, keep_features=True)
    return fast, slow


def same_reading(fast, slow) -> None:
    assert fast.fast and not slow.fast
    assert len(fast.geometries) == len(slow.geometries)
    for a, b in zip(fast.geometries, slow.geometries):
        assert (a is None and b is None) or shapely.equals_exact(shapely.force_2d(a), shapely.force_2d(b), 0), (a, b)
        if a is not None:
            assert a.geom_type == b.geom_type
    assert list(fast.read_repaired) == list(slow.read_repaired)
    assert [tuple(r) for r in fast.attributes] == [
        tuple(None if v is None or getattr(v, "isNull", lambda: False)() else v for v in r) for r in slow.attributes
    ]
    fast_out = [None if g is None else g.asWkt(3) for g in fast.output_geometries()]
    slow_out = [None if g is None else g.asWkt(3) for g in slow.output_geometries()]
    assert fast_out == slow_out
    assert fast.crs == slow.crs


@pytest.mark.parametrize("layer_type", [ogr.wkbPolygon, ogr.wkbMultiPolygon, ogr.wkbPolygon25D])
def test_gpkg_fast_read_gives_what_qgis_gives(qgis_app, tmp_path, layer_type):
    uri = make_gpkg(tmp_path / "p.gpkg", layer_type)
    layer = QgsVectorLayer(uri, "patches", "ogr")
    assert layer.isValid()
    fast, slow = both_ways(layer, uri)
    same_reading(fast, slow)
    fast, slow = both_ways(layer, uri, with_attributes=False)
    assert fast.fast and fast.attributes == [] and slow.attributes == []


def test_everything_else_falls_back_to_qgis(qgis_app, tmp_path):
    uri = make_gpkg(tmp_path / "p.gpkg")
    layer = QgsVectorLayer(uri, "patches", "ogr")

    def is_fast(lyr, value=None):
        return read_source(QgsProcessingFeatureSource(lyr, QgsProcessingContext()), layer=lyr, value=value).fast

    assert is_fast(layer)
    memory = memory_layer("m", [box_wkt(X0, Y0, X0 + 1, Y0 + 1)])
    assert not is_fast(memory)
    layer.selectByIds([1])
    assert not is_fast(layer, QgsProcessingFeatureSourceDefinition(layer.id(), True))
    layer.setSubsetString('"N" > 1')
    assert not is_fast(layer)
    layer.setSubsetString("")
    layer.startEditing()  # unsaved edits are QGIS's to give
    assert not is_fast(layer)
    layer.rollBack()
    shapefile = write_file(memory, str(tmp_path / "s.shp"), "ESRI Shapefile")  # text encodings are QGIS's
    assert not is_fast(QgsVectorLayer(shapefile, "s", "ogr"))
    dated = QgsVectorLayer(make_gpkg(tmp_path / "d.gpkg", extra_field=("QSX", ogr.OFTDate)), "d", "ogr")
    assert not is_fast(dated)  # dates: QGIS gives QDate


def test_verify_gives_the_same_output_from_a_gpkg_and_from_memory(processing, qgis_app, tmp_path):
    uri = make_gpkg(tmp_path / "p.gpkg")
    survey_uri = str(tmp_path / "s.gpkg")
    survey = memory_layer(
        "survey", [box_wkt(X0 + 10, Y0 + 10, X0 + 14, Y0 + 13), box_wkt(X0 + 12, Y0 + 11, X0 + 20, Y0 + 12)]
    )
    write_file(survey, survey_uri)
    file_layer = QgsVectorLayer(uri, "patches", "ogr")
    memory = file_layer.materialize(QgsFeatureRequest())  # the same features, in a memory layer
    common = {"PATCH_ID_FIELD": "JCBH", "MONITORED_AREA_FIELD": "JCMJ", "TOWNSHIP_FIELD": "XZQMC", "OUTPUT": "memory:"}

    def run(patches, survey_layer):
        out = processing.run("demolitionverifier:verify", {"PATCHES": patches, "SURVEY": survey_layer, **common})[
            "OUTPUT"
        ]
        return [
            {k: v for k, v in zip(out.fields().names(), f.attributes()) if k not in ("run_id", "checked_at")}
            for f in out.getFeatures()
        ]

    from_file = run(uri, survey_uri)
    from_memory = run(memory, QgsVectorLayer(survey_uri, "survey", "ogr"))
    assert from_file == from_memory
    assert [r["status"] for r in from_file][:1] == ["fail"]


def test_a_curve_in_a_polygon_layer_is_read_as_qgis_reads_it(qgis_app, tmp_path):
    """GDAL lets a CurvePolygon into a layer declared Polygon; shapely cannot read it, QGIS can."""
    x, y = X0, Y0
    path = tmp_path / "curve.gpkg"
    gdal_gpkg(
        path,
        [("JCBH", ogr.OFTString)],
        [
            ("P0", box_wkt(x, y, x + 50, y + 50)),
            (
                "P1",
                f"CURVEPOLYGON(CIRCULARSTRING({x + 200} {y},{x + 210} {y + 10},{x + 220} {y},{x + 210} {y - 10},{x + 200} {y}))",
            ),
        ],
    )
    qgis_layer = QgsVectorLayer(f"{path}|layername=patches", "patches", "ogr")
    fast, slow = both_ways(qgis_layer, f"{path}|layername=patches")
    if fast.fast:  # GDAL 3.6 hands the curve over; GDAL 3.10's Arrow stream declines the layer
        same_reading(fast, slow)
    assert fast.geometries[1] is not None and fast.geometries[1].area > 300  # a circle of radius 10
    assert not fast.read_repaired[1]  # straightening a curve is not a repair
