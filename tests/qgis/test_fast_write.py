"""A GeoPackage OUTPUT filled in bulk (qgis_adapter/gpkg_output.py) holds what QGIS's own writer
puts there: the same fields, ids, values and geometries, with a sound spatial index."""

from __future__ import annotations

import sqlite3

import pytest
from osgeo import ogr
from qgis.core import QgsFeatureSource, QgsVectorLayer, QgsWkbTypes
from qgis_layers import X0, Y0, box_wkt, gdal_gpkg, make_gpkg, memory_layer, write_file

from demolition_verifier.algorithms import verify
from demolition_verifier.qgis_adapter import gpkg_output

VOLATILE = {"run_id", "checked_at"}


def survey_gpkg(tmp_path) -> str:
    survey = memory_layer(
        "survey",
        [
            box_wkt(X0 + 10, Y0 + 10, X0 + 60, Y0 + 50),  # on A1
            box_wkt(X0 + 40, Y0 + 30, X0 + 120, Y0 + 60),  # overlaps it and leaves A1
            box_wkt(X0 + 2, Y0 + 1, X0 + 8, Y0 + 3),  # on A4's small multipolygon
        ],
    )
    return write_file(survey, str(tmp_path / "survey.gpkg"))


def run(processing, patches: str, survey: str, out_dir, bulk: bool, monkeypatch) -> dict:
    with monkeypatch.context() as patch:
        if not bulk:  # QGIS's own writer, for comparison
            patch.setattr(verify, "bulk_destination", lambda value, dest: False)
        return processing.run(
            "demolitionverifier:verify",
            {
                "PATCHES": patches,
                "PATCH_ID_FIELD": "JCBH",
                "MONITORED_AREA_FIELD": "JCMJ",
                "TOWNSHIP_FIELD": "XZQMC",
                "SURVEY": survey,
                "OUTPUT": str(out_dir / "核查 结果.gpkg"),  # a Chinese name with a space: the table is named so
                "OUTPUT_REMNANTS": str(out_dir / "remnants.gpkg"),
            },
        )


def table(path: str) -> tuple[list, dict, list]:
    layer = QgsVectorLayer(path, "out", "ogr")
    assert layer.isValid()
    fields = [(f.name(), f.type()) for f in layer.fields()]
    rows = {}
    for feature in layer.getFeatures():
        values = {name: feature[name] for name, _type in fields if name not in VOLATILE}
        geometry = feature.geometry()
        rows[feature.id()] = (values, None if geometry.isNull() else geometry.asWkt(6))
    return fields, rows, [layer.wkbType(), layer.hasSpatialIndex(), layer.extent().toString(3)]


def rtree_ok(path: str) -> bool:
    with sqlite3.connect(path) as connection:
        name = connection.execute("SELECT table_name, column_name FROM gpkg_geometry_columns").fetchone()
        return connection.execute(f"SELECT rtreecheck('rtree_{name[0]}_{name[1]}')").fetchone()[0] == "ok"


@pytest.mark.parametrize("layer_type", [ogr.wkbPolygon, ogr.wkbMultiPolygon, ogr.wkbPolygon25D])
def test_bulk_output_equals_qgis_writer(processing, tmp_path, monkeypatch, layer_type):
    patches = make_gpkg(tmp_path / "patches.gpkg", layer_type)
    dataset = ogr.Open(str(tmp_path / "patches.gpkg"), update=1)
    dataset.GetLayerByName("patches").DeleteFeature(2)  # ids no longer 1..n: QGIS keeps them
    dataset = None
    survey = survey_gpkg(tmp_path)
    (tmp_path / "bulk").mkdir()
    (tmp_path / "plain").mkdir()
    calls = []
    fill = gpkg_output.fill_table
    monkeypatch.setattr(gpkg_output, "fill_table", lambda *a, **k: calls.append(1) or fill(*a, **k))
    bulk = run(processing, patches, survey, tmp_path / "bulk", True, monkeypatch)
    assert len(calls) == 2  # both outputs went in bulk
    plain = run(processing, patches, survey, tmp_path / "plain", False, monkeypatch)
    assert len(calls) == 2
    for key in ("OUTPUT", "OUTPUT_REMNANTS"):
        fields, rows, meta = table(bulk[key])
        expected_fields, expected_rows, expected_meta = table(plain[key])
        assert fields == expected_fields
        assert rows == expected_rows
        assert meta == expected_meta
        assert meta[1] == QgsFeatureSource.SpatialIndexPresent
        assert rtree_ok(bulk[key])
    fields, rows, meta = table(bulk["OUTPUT"])
    assert sorted(rows) == [1, 3, 4, 5]
    assert QgsWkbTypes.isMultiType(meta[0]) == (layer_type == ogr.wkbMultiPolygon)
    assert rows[1][0]["status"] == "fail" and rows[1][0]["patch_id"] == "A1"


def test_memory_and_shapefile_outputs_still_go_through_the_sink(processing, tmp_path, monkeypatch):
    patches = make_gpkg(tmp_path / "patches.gpkg")
    survey = survey_gpkg(tmp_path)
    calls = []
    monkeypatch.setattr(gpkg_output, "fill_table", lambda *a, **k: calls.append(1))
    result = processing.run(
        "demolitionverifier:verify",
        {
            "PATCHES": patches,
            "PATCH_ID_FIELD": "JCBH",
            "SURVEY": survey,
            "OUTPUT": "memory:",
            "OUTPUT_REMNANTS": str(tmp_path / "remnants.shp"),
        },
    )
    assert not calls
    assert result["OUTPUT"].featureCount() == 5
    parts = sum(f["remnants"] for f in result["OUTPUT"].getFeatures())
    assert parts >= 2 and QgsVectorLayer(result["OUTPUT_REMNANTS"], "r", "ogr").featureCount() == parts


def test_an_unexpected_table_falls_back_to_the_provider(processing, tmp_path, monkeypatch):
    """Should the table QGIS made not be the one expected, the rows still arrive, through QGIS."""
    patches = make_gpkg(tmp_path / "patches.gpkg")
    survey = survey_gpkg(tmp_path)
    (tmp_path / "plain").mkdir()
    plain = run(processing, patches, survey, tmp_path / "plain", False, monkeypatch)

    def refuse(*_args, **_kwargs):
        raise gpkg_output.UnexpectedTable("test")

    monkeypatch.setattr(gpkg_output, "open_table", refuse)
    (tmp_path / "fallback").mkdir()
    fallback = run(processing, patches, survey, tmp_path / "fallback", True, monkeypatch)
    for key in ("OUTPUT", "OUTPUT_REMNANTS"):
        fields, rows, _meta = table(fallback[key])
        expected_fields, expected_rows, _meta = table(plain[key])
        assert fields == expected_fields
        assert {k: v[0] for k, v in rows.items()} == {k: v[0] for k, v in expected_rows.items()}
        # the provider keeps its own habits with odd geometries (an empty one as NULL, a
        # multipolygon in a polygon layer as its polygon); ordinary ones arrive as they are
        ordinary = [k for k, v in expected_rows.items() if v[1] and v[1].startswith("Polygon ((")]
        assert ordinary and all(rows[k][1] == expected_rows[k][1] for k in ordinary)


def test_a_new_table_in_an_existing_geopackage_leaves_its_other_tables(processing, tmp_path, monkeypatch):
    patches = make_gpkg(tmp_path / "patches.gpkg")
    survey = survey_gpkg(tmp_path)
    target = tmp_path / "project.gpkg"
    target.write_bytes((tmp_path / "patches.gpkg").read_bytes())  # a GeoPackage with a layer already
    before = table(f"{target}|layername=patches")
    calls = []
    fill = gpkg_output.fill_table
    monkeypatch.setattr(gpkg_output, "fill_table", lambda *a, **k: calls.append(a[0].name) or fill(*a, **k))
    result = processing.run(
        "demolitionverifier:verify",
        {
            "PATCHES": patches,
            "PATCH_ID_FIELD": "JCBH",
            "SURVEY": survey,
            "OUTPUT": f"ogr:dbname='{target}' table=\"verified\" (geom)",
        },
    )
    # filled once, under the temporary name it is swapped in from (qgis_adapter/staging.py)
    assert [name.split("_dvtmp")[0] for name in calls] == ["verified"]
    layer = QgsVectorLayer(result["OUTPUT"], "v", "ogr")
    assert sorted(str(f["patch_id"]) for f in layer.getFeatures()) == ["A1", "A3", "A4", "A5", "NULL"]
    assert table(f"{target}|layername=patches") == before
    with sqlite3.connect(target) as connection:
        assert connection.execute("SELECT rtreecheck('rtree_verified_geom')").fetchone()[0] == "ok"


def test_long_ids_and_names_survive_every_writer(processing, tmp_path, monkeypatch):
    """QGIS refuses a whole batch over one value longer than its field: a 300-character id or
    township name once left the output silently empty."""
    patches = memory_layer(
        "p",
        [box_wkt(X0, Y0, X0 + 10, Y0 + 10), box_wkt(X0 + 20, Y0, X0 + 30, Y0 + 10)],
        fields=[("JCBH", str), ("XZQMC", str)],
        rows=[["A" * 300, "镇"], ["B", "镇" * 300]],
    )
    survey = memory_layer("s", [box_wkt(X0 + 1, Y0 + 1, X0 + 2, Y0 + 2)])
    for bulk in (True, False):
        with monkeypatch.context() as patch:
            if not bulk:
                patch.setattr(verify, "bulk_destination", lambda value, dest: False)
            for out in ("memory:", str(tmp_path / f"{bulk}.gpkg"), str(tmp_path / f"{bulk}.shp")):
                result = processing.run(
                    "demolitionverifier:verify",
                    {
                        "PATCHES": patches,
                        "PATCH_ID_FIELD": "JCBH",
                        "TOWNSHIP_FIELD": "XZQMC",
                        "SURVEY": survey,
                        "OUTPUT": out,
                    },
                )
                layer = (
                    result["OUTPUT"]
                    if not isinstance(result["OUTPUT"], str)
                    else QgsVectorLayer(result["OUTPUT"], "o", "ogr")
                )
                rows = {f["patch_id"][:1]: f for f in layer.getFeatures()}
                assert sorted(rows) == ["A", "B"], out
                if out.endswith(".shp"):  # a dBASE text column holds 254 bytes: cut there, not lost
                    assert len(rows["A"]["patch_id"]) == 254
                else:
                    assert rows["A"]["patch_id"] == "A" * 300 and rows["B"]["township"] == "镇" * 300


def test_a_value_the_writer_refuses_stops_the_run_with_a_clear_message(processing, tmp_path):
    from qgis.core import QgsProcessingException

    narrow = ogr.FieldDefn("JCBH", ogr.OFTString)
    narrow.SetWidth(5)  # a declared width that GeoPackage does not enforce
    path = tmp_path / "narrow.gpkg"
    gdal_gpkg(path, [narrow], [("13040120240000001", box_wkt(X0, Y0, X0 + 10, Y0 + 10))])
    survey = memory_layer("s", [box_wkt(X0 + 1, Y0 + 1, X0 + 2, Y0 + 2)])
    with pytest.raises(QgsProcessingException, match="incomplete|不完整"):
        processing.run(
            "demolitionverifier:verify",
            {"PATCHES": f"{path}|layername=patches", "PATCH_ID_FIELD": "JCBH", "SURVEY": survey, "OUTPUT": "memory:"},
        )


def odd_geometries_gpkg(path, layer_type, with_curve: bool = True) -> str:
    """What a county's layer may hold beyond plain polygons: a curve, an empty polygon, NULL, a
    polygon without Z in a Z layer, and a feature id out of sequence."""
    curve = f"CURVEPOLYGON(CIRCULARSTRING({X0 + 200} {Y0},{X0 + 210} {Y0 + 10},{X0 + 220} {Y0},{X0 + 210} {Y0 - 10},{X0 + 200} {Y0}))"
    wkts = {
        1: box_wkt(X0, Y0, X0 + 50, Y0 + 50),
        2: curve if with_curve else box_wkt(X0 + 200, Y0 - 10, X0 + 220, Y0 + 10),
        3: "POLYGON EMPTY",
        4: None,
        9: box_wkt(X0 + 400, Y0, X0 + 420, Y0 + 20),
    }
    fields = [("JCBH", ogr.OFTString), ("XZQMC", ogr.OFTString), ("JCMJ", ogr.OFTReal)]
    return gdal_gpkg(path, fields, [(f"P{fid}", "城关镇", 2500.0, wkt, fid) for fid, wkt in wkts.items()], layer_type)


@pytest.mark.parametrize("with_curve", [True, False])
@pytest.mark.parametrize("layer_type", [ogr.wkbPolygon, ogr.wkbMultiPolygon, ogr.wkbPolygon25D])
def test_odd_geometries_are_stored_as_qgis_stores_them(processing, tmp_path, monkeypatch, layer_type, with_curve):
    """Byte for byte in the file (not only as QGIS reads them back), with the index and extent."""
    patches = odd_geometries_gpkg(tmp_path / "patches.gpkg", layer_type, with_curve)
    survey = survey_gpkg(tmp_path)
    calls = []  # the verified patches' table, when it went in bulk (the remnants always do)
    fill = gpkg_output.fill_table
    monkeypatch.setattr(
        gpkg_output,
        "fill_table",
        lambda *a, **k: calls.extend([1] if a[0].name == "核查 结果" else []) or fill(*a, **k),
    )
    stored = {}
    for bulk in (True, False):
        folder = tmp_path / str(bulk)
        folder.mkdir()
        result = run(processing, patches, survey, folder, bulk, monkeypatch)
        path = result["OUTPUT"].split("|")[0]
        with sqlite3.connect(path) as connection:
            table, column = connection.execute("SELECT table_name, column_name FROM gpkg_geometry_columns").fetchone()
            blobs = dict(connection.execute(f'SELECT fid, "{column}" FROM "{table}"').fetchall())
            indexed = sorted(r[0] for r in connection.execute(f'SELECT id FROM "rtree_{table}_{column}"'))
            extent = connection.execute(
                "SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = ?", (table,)
            ).fetchone()
        stored[bulk] = (blobs, indexed, extent)
    (bulk_blobs, bulk_indexed, bulk_extent), (plain_blobs, plain_indexed, plain_extent) = stored[True], stored[False]
    # GDAL 3.10's Arrow stream declines a layer holding a curve: then QGIS reads it and writes both
    assert calls or with_curve
    assert sorted(bulk_blobs) == sorted(plain_blobs) == [1, 2, 3, 4, 9]
    for fid in (1, 2, 3, 9):
        assert bulk_blobs[fid] == plain_blobs[fid], fid
    # a feature without geometry: NULL, as read; QGIS's writer stores an empty polygon instead
    assert bulk_blobs[4] is None if calls else bulk_blobs[4] == plain_blobs[4]
    assert bulk_indexed == [1, 2, 9] and set(bulk_indexed) <= set(plain_indexed)
    assert bulk_extent == pytest.approx(plain_extent)
    dataset = ogr.Open(path.replace("False", "True"))
    layer = dataset.GetLayer(0)
    layer.SetSpatialFilterRect(X0 + 195, Y0 - 15, X0 + 225, Y0 + 15)
    assert [f.GetFID() for f in layer] == [2]  # found through the index (a curve by its true extent)
