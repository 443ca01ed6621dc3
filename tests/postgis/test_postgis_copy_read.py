"""A whole PostGIS table read by COPY (qgis_adapter/postgis_read.py) gives what QGIS's own postgres
provider gives, value for value, for the column types a bureau's table holds (float4 and numeric
printed as QGIS reads them, int8, texts with tabs, newlines, carriage returns, the other control
characters COPY escapes, backslashes, `\\N` and Chinese, NULLs, a row without geometry); without
psycopg2 GDAL's driver reads it, the same."""

from __future__ import annotations

import sys

import numpy as np
import pytest
import shapely
from qgis.core import QgsProcessingContext, QgsProcessingFeatureSource, QgsVectorLayer

import demolition_verifier.qgis_adapter.postgis_read as postgis_read
from demolition_verifier.qgis_adapter.reading import read_gpkg_arrow, read_source

SRID = 4526


@pytest.fixture(scope="module")
def awkward_table(postgis) -> str:
    postgis.psql(
        f"""
        DROP TABLE IF EXISTS awkward;
        CREATE TABLE awkward (fid serial PRIMARY KEY, name text, code varchar(12), small real,
                              money numeric(12, 4), big bigint, n integer, ratio double precision,
                              "乡镇 名称""x" text, geom geometry(MultiPolygon, {SRID}));
        INSERT INTO awkward (name, code, small, money, big, n, ratio, "乡镇 名称""x", geom)
        SELECT CASE i % 5 WHEN 0 THEN '城关镇' WHEN 1 THEN E'tab\\there\\r\\b\\f\\x0b\\\\' WHEN 2 THEN E'new\\nline \\\\N'
                          WHEN 3 THEN NULL ELSE 'plain ' || i END,
               'c' || (i % 7), (i * 1.1)::real, i * 0.0625, 9007199254740993 + i, CASE WHEN i % 9 = 0 THEN NULL ELSE i END,
               CASE WHEN i % 11 = 0 THEN NULL ELSE i / 3.0 END, '第' || (i % 13) || '镇',
               CASE WHEN i = 17 THEN NULL ELSE ST_Multi(ST_MakeEnvelope(i * 10, 0, i * 10 + 7.123456789012345, 5.5, {SRID})) END
        FROM generate_series(1, 3000) AS i;
        DROP TABLE IF EXISTS awkward_doubles;
        CREATE TABLE awkward_doubles AS SELECT fid, name, code, money, big, n, ratio, "乡镇 名称""x", geom FROM awkward;
        ALTER TABLE awkward_doubles ADD PRIMARY KEY (fid);
        """
    )
    return postgis.qgis_uri("awkward", srid=SRID, kind="MultiPolygon")


def reads(uri: str, table: str = "awkward"):
    layer = QgsVectorLayer(uri.replace('"awkward"', f'"{table}"'), table, "postgres")
    assert layer.isValid()
    source = QgsProcessingFeatureSource(layer, QgsProcessingContext())
    return read_gpkg_arrow(layer, None, source, True, True), read_source(source, None, True, True)


def same(fast, qgis) -> None:
    assert fast is not None and fast.fast
    assert len(fast.geometries) == len(qgis.geometries) == 3000
    assert np.all(
        shapely.equals_exact(fast.geometries, qgis.geometries, 0)
        | (shapely.is_missing(fast.geometries) & shapely.is_missing(qgis.geometries))
    )
    assert np.array_equal(fast.read_repaired, qgis.read_repaired)
    assert [list(row) for row in fast.attributes] == [list(row) for row in qgis.attributes]


def test_the_copy_read_gives_what_qgis_gives(awkward_table, monkeypatch):
    taken = []
    read_table = postgis_read.read_table

    def spy(*args, **kwargs):
        taken.append(read_table(*args, **kwargs))
        return taken[-1]

    monkeypatch.setattr("demolition_verifier.qgis_adapter.reading.read_table", spy)
    fast, qgis = reads(awkward_table)
    assert taken and taken[0] is not None, "the COPY read was not taken"
    same(fast, qgis)
    row = fast.attributes[0]  # i = 1
    assert row[1] == "tab\there\r\b\f\v\\" and row[3] == pytest.approx(1.1) and row[5] == 9007199254740994
    assert sum(g is None for g in fast.geometries) == 1


def test_without_psycopg2_gdal_reads_the_same(awkward_table, monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg2", None)
    assert postgis_read.read_table(QgsVectorLayer(awkward_table, "awkward", "postgres"), None) is None
    # GDAL gives a float4 as the float32 widened (1.1000000238…) where QGIS reads 1.1: left to QGIS
    fast, _qgis = reads(awkward_table)
    assert fast is None
    fast, qgis = reads(awkward_table, "awkward_doubles")
    same(fast, qgis)


def test_an_empty_table_and_a_one_text_column_table(postgis, monkeypatch):
    postgis.psql(
        f"""
        DROP TABLE IF EXISTS nothing; DROP TABLE IF EXISTS one_text;
        CREATE TABLE nothing (fid serial PRIMARY KEY, name text, geom geometry(Polygon, {SRID}));
        CREATE TABLE one_text (fid serial PRIMARY KEY, name text, geom geometry(Polygon, {SRID}));
        INSERT INTO one_text (name, geom)
        SELECT CASE WHEN i % 3 = 0 THEN NULL WHEN i % 3 = 1 THEN E'\\\\N' ELSE '' END,
               ST_MakeEnvelope(i, 0, i + 1, 1, {SRID}) FROM generate_series(1, 30) AS i;
        """
    )
    empty = QgsVectorLayer(postgis.qgis_uri("nothing", srid=SRID, kind="Polygon"), "nothing", "postgres")
    columns, geoms, *_ = postgis_read.read_table(empty, empty.fields())
    assert len(geoms) == 0 and columns == {"fid": [], "name": []}
    layer = QgsVectorLayer(postgis.qgis_uri("one_text", srid=SRID, kind="Polygon"), "one_text", "postgres")
    fields = layer.fields()
    fields.remove(fields.lookupField("fid"))
    columns, geoms, *_ = postgis_read.read_table(layer, fields)
    qgis = read_source(QgsProcessingFeatureSource(layer, QgsProcessingContext()), None, True, True)
    assert columns["name"] == [row[1] for row in qgis.attributes]
    assert columns["name"][:3] == ["\\N", "", None] and len(geoms) == 30


def test_a_view_is_left_to_gdal(awkward_table, postgis):
    """Two statements over a view's query may get its rows in different orders: GDAL's one read decides."""
    postgis.psql("CREATE OR REPLACE VIEW awkward_view AS SELECT * FROM awkward_doubles")
    uri = awkward_table.replace('"awkward"', '"awkward_view"')
    layer = QgsVectorLayer(uri, "awkward_view", "postgres")
    assert layer.isValid() and layer.featureCount() == 3000
    assert postgis_read.read_table(layer, layer.fields()) is None
    table = QgsVectorLayer(awkward_table.replace('"awkward"', '"awkward_doubles"'), "t", "postgres")
    assert postgis_read.read_table(table, table.fields()) is not None
