"""core.gpkg_bulk fills a GeoPackage table GDAL created: GDAL then reads exactly the rows written,
its R-tree answers spatial filters as a brute-force test does, and later edits keep index and count."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest
import shapely
from osgeo import ogr, osr

from demolition_verifier.formats.gpkg_bulk import UnexpectedTable, fill_table, gpkg_blobs, open_table

ogr.UseExceptions()
X0, Y0 = 39_550_000.0, 3_880_000.0


def empty_table(path, name="out", geometry_type=ogr.wkbPolygon) -> None:
    """An empty feature table as GDAL makes it (fid, geom, R-tree and triggers at close)."""
    dataset = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4527)
    layer = dataset.CreateLayer(name, srs, geometry_type)
    for field, kind in (("patch_id", ogr.OFTString), ("n", ogr.OFTInteger), ("area", ogr.OFTReal)):
        layer.CreateField(ogr.FieldDefn(field, kind))
    dataset = None


def sample(n: int, seed: int = 1):
    """Rotated rectangles scattered over 20 km, one NULL and one empty geometry among them."""
    rng = np.random.default_rng(seed)
    x = X0 + rng.uniform(0, 20_000, n)
    y = Y0 + rng.uniform(0, 20_000, n)
    boxes = shapely.box(x, y, x + rng.uniform(1, 60, n), y + rng.uniform(1, 60, n))
    geoms = np.array([shapely.affinity.rotate(b, a) for b, a in zip(boxes, rng.uniform(0, 90, n))], dtype=object)
    geoms[3] = None
    geoms[5] = shapely.Polygon()
    rows = [[f"编号{i}", i % 7, float(i) / 3] for i in range(n)]
    return geoms, rows


def fill(path, geoms, rows, name="out"):
    table = open_table(path, name)
    wkb = [None if g is None else shapely.to_wkb(g, flavor="iso", byte_order=1) for g in geoms]
    columns = [list(column) for column in zip(*rows)]
    fill_table(table, ["patch_id", "n", "area"], columns, wkb, shapely.bounds(geoms))
    return table


def rtree_ok(path, name="out") -> bool:
    with sqlite3.connect(path) as connection:
        return connection.execute(f"SELECT rtreecheck('rtree_{name}_geom')").fetchone()[0] == "ok"


def test_gdal_reads_back_every_row_and_geometry(tmp_path):
    path = tmp_path / "out.gpkg"
    empty_table(path)
    geoms, rows = sample(5_000)
    fill(path, geoms, rows)
    dataset = ogr.Open(str(path))  # kept: its layers die with it
    layer = dataset.GetLayerByName("out")
    assert layer.GetFeatureCount() == 5_000
    seen = 0
    for feature in layer:
        i = feature.GetFID() - 1
        assert [feature.GetField("patch_id"), feature.GetField("n"), feature.GetField("area")] == rows[i]
        geometry = feature.GetGeometryRef()
        if geoms[i] is None:
            assert geometry is None
        elif geoms[i].is_empty:
            assert geometry.IsEmpty()
        else:
            assert shapely.from_wkb(bytes(geometry.ExportToIsoWkb())).equals_exact(geoms[i], 0)
        seen += 1
    assert seen == 5_000
    extent = layer.GetExtent()  # (minx, maxx, miny, maxy) from gpkg_contents
    assert extent == pytest.approx(
        tuple(shapely.total_bounds(geoms[[i for i in range(5_000) if i not in (3, 5)]])[[0, 2, 1, 3]])
    )


def test_rtree_is_sound_and_answers_spatial_filters(tmp_path):
    path = tmp_path / "out.gpkg"
    empty_table(path)
    geoms, rows = sample(5_000, seed=2)  # 99 leaves: a tree of depth 2
    fill(path, geoms, rows)
    assert rtree_ok(path)
    with sqlite3.connect(path) as connection:
        depth = int.from_bytes(
            connection.execute("SELECT data FROM rtree_out_geom_node WHERE nodeno = 1").fetchone()[0][:2], "big"
        )
        boxes = connection.execute("SELECT id, minx, maxx, miny, maxy FROM rtree_out_geom ORDER BY id").fetchall()
    assert depth == 2
    ids = np.array([b[0] for b in boxes])
    assert set(ids) == set(range(1, 5_001)) - {4, 6}  # NULL and empty geometries are not indexed
    stored = np.array([b[1:] for b in boxes])
    exact = shapely.bounds(geoms[ids - 1])
    assert (stored[:, 0] <= exact[:, 0]).all() and (stored[:, 1] >= exact[:, 2]).all()  # float32 rounded outward
    assert (stored[:, 2] <= exact[:, 1]).all() and (stored[:, 3] >= exact[:, 3]).all()
    dataset = ogr.Open(str(path))  # kept: its layers die with it
    layer = dataset.GetLayerByName("out")
    present = np.array([g is not None and not g.is_empty for g in geoms])
    for x, y, size in ((X0 + 1_000, Y0 + 1_000, 500), (X0 + 15_000, Y0 + 3_000, 2_000), (X0 - 100, Y0 - 100, 150)):
        window = shapely.box(x, y, x + size, y + size)
        layer.SetSpatialFilterRect(x, y, x + size, y + size)
        got = {f.GetFID() for f in layer}
        expected = {i + 1 for i in np.flatnonzero(present) if shapely.intersects(window, geoms[i])}
        assert got == expected and (expected or size == 150)


def test_edits_after_the_fill_keep_index_and_count(tmp_path):
    path = tmp_path / "out.gpkg"
    empty_table(path)
    geoms, rows = sample(300, seed=3)
    fill(path, geoms, rows)
    dataset = ogr.Open(str(path), update=1)
    layer = dataset.GetLayerByName("out")
    feature = ogr.Feature(layer.GetLayerDefn())
    feature.SetField("patch_id", "新增")
    feature.SetGeometry(ogr.CreateGeometryFromWkt(f"POLYGON(({X0} {Y0},{X0 + 5} {Y0},{X0 + 5} {Y0 + 5},{X0} {Y0}))"))
    layer.CreateFeature(feature)
    layer.DeleteFeature(10)
    moved = layer.GetFeature(20)
    moved.SetGeometry(
        ogr.CreateGeometryFromWkt(f"POLYGON(({X0 - 50} {Y0},{X0 - 40} {Y0},{X0 - 40} {Y0 + 10},{X0 - 50} {Y0}))")
    )
    layer.SetFeature(moved)
    dataset = None
    assert rtree_ok(path)
    dataset = ogr.Open(str(path))  # kept: its layers die with it
    layer = dataset.GetLayerByName("out")
    assert layer.GetFeatureCount() == 300
    layer.SetSpatialFilterRect(X0 - 60, Y0 - 1, X0 - 30, Y0 + 20)
    assert [f.GetFID() for f in layer] == [20]
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT feature_count FROM gpkg_ogr_contents").fetchone()[0] == 300


def test_a_failure_leaves_the_table_empty_and_as_gdal_made_it(tmp_path):
    path = tmp_path / "out.gpkg"
    empty_table(path)
    geoms, rows = sample(100, seed=4)
    rows[60][1] = {"not": "a value"}  # sqlite3 cannot bind it: the insert fails half-way
    with sqlite3.connect(path) as connection:
        before = connection.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
    with pytest.raises(sqlite3.Error):
        fill(path, geoms, rows)
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT count(*) FROM out").fetchone()[0] == 0
        assert connection.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall() == before
    assert rtree_ok(path)


def test_a_table_with_rows_or_a_missing_column_is_refused_untouched(tmp_path):
    path = tmp_path / "out.gpkg"
    empty_table(path)
    geoms, rows = sample(20, seed=5)
    fill(path, geoms, rows)
    with pytest.raises(UnexpectedTable):
        open_table(path, "out")  # it has rows now
    other = tmp_path / "other.gpkg"
    empty_table(other)
    table = open_table(other, "out")
    with pytest.raises(UnexpectedTable):
        fill_table(table, ["patch_id", "no_such"], [["a"], [1]], [None], np.full((1, 4), np.nan))
    with pytest.raises(UnexpectedTable):
        open_table(other, "absent")


def test_a_fid_field_gives_the_feature_ids(tmp_path):
    path = tmp_path / "out.gpkg"
    empty_table(path)
    table = open_table(path, "out")
    geoms = np.array([shapely.box(X0, Y0, X0 + 1, Y0 + 1), shapely.box(X0 + 5, Y0, X0 + 6, Y0 + 1)], dtype=object)
    wkb = list(shapely.to_wkb(geoms, flavor="iso", byte_order=1))
    fill_table(table, ["FID", "patch_id"], [np.array([7, 3]), ["a", "b"]], wkb, shapely.bounds(geoms))
    dataset = ogr.Open(str(path))  # kept: its layers die with it
    layer = dataset.GetLayerByName("out")
    assert sorted((f.GetFID(), f.GetField("patch_id")) for f in layer) == [(3, "b"), (7, "a")]
    assert rtree_ok(path)


def test_blob_headers_follow_the_geopackage_encoding():
    geoms = np.array([shapely.box(1, 2, 3, 5), shapely.Polygon(), None], dtype=object)
    wkb = [None if g is None else shapely.to_wkb(g, flavor="iso", byte_order=1) for g in geoms]
    full, empty, null = gpkg_blobs(wkb, shapely.bounds(geoms), 4527)
    assert full[:4] == b"GP\x00\x03" and int.from_bytes(full[4:8], "little") == 4527
    assert np.frombuffer(full[8:40], "<f8").tolist() == [1, 3, 2, 5]
    assert shapely.from_wkb(full[40:]).equals(geoms[0])
    assert empty[:4] == b"GP\x00\x11" and shapely.from_wkb(empty[8:]).is_empty
    assert null is None
