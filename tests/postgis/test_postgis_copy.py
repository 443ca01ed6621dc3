"""The PostGIS fast write's COPY straight from the columns (psycopg2): what it stores is what QGIS's own
postgres provider stores, for the values GDAL's COPY could not print (reals of 17 digits) and the texts
COPY must escape; a value found not plain part-way leaves the table empty; without psycopg2 GDAL's COPY
still writes the table."""

from __future__ import annotations

import sys

import numpy as np
import pytest
import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsVectorLayer,
    QgsVectorLayerExporter,
    QgsWkbTypes,
)

import demolition_verifier.qgis_adapter.postgis_output as postgis_output
from demolition_verifier.qgis_adapter.compat import field_type

ROWS = 9000  # more than two of the COPY's parts


def fields() -> QgsFields:
    out = QgsFields()
    out.append(QgsField("name", field_type("text")))
    out.append(QgsField("area", field_type("real")))
    out.append(QgsField("ratio", field_type("real")))
    out.append(QgsField("count", field_type("int")))
    return out


def empty_table(postgis, table: str) -> str:
    """An empty table as verify's sink leaves it (QGIS's postgres provider made it); its destination."""
    crs = QgsCoordinateReferenceSystem("EPSG:4526")
    exporter = QgsVectorLayerExporter(
        postgis.qgis_uri(table, key="fid"), "postgres", fields(), QgsWkbTypes.MultiPolygon, crs, True
    )
    assert exporter.errorCode() == 0, exporter.errorMessage()
    del exporter
    return postgis.qgis_output(table)


def awkward_columns(n: int):
    rng = np.random.default_rng(7)
    names = [f"城关镇-{i}" for i in range(n)]
    names[1], names[2], names[3], names[4] = "tab\there", "new\nline", "back\\slash", None
    names[5] = "carriage\rreturn \\N"
    area = rng.uniform(0, 5e4, n)  # measured, all 17 digits: GDAL's COPY would print 15
    area[6] = np.nan  # no value
    ratio = [0.1 + 0.2, 1 / 3, None] * (n // 3)
    count = list(range(n))
    count[7] = None
    boxes = shapely.box(np.arange(n) * 10.0, 0, np.arange(n) * 10.0 + 7.123456789012345, 5.5)
    wkb = [bytes(QgsGeometry.fromWkt(g.wkt).asWkb()) for g in shapely.multipolygons(boxes[:, None])]
    wkb[8] = None
    return [names, area, ratio, count], wkb


def by_provider(postgis, table: str, columns, wkb) -> None:
    """The same rows through QGIS's postgres provider: the reference."""
    empty_table(postgis, table)
    layer = QgsVectorLayer(postgis.qgis_uri(table, key="fid"), table, "postgres")
    features = []
    for i, blob in enumerate(wkb):
        feature = QgsFeature(layer.fields())
        values = [c[i].item() if isinstance(c[i], np.generic) else c[i] for c in columns]
        values[1] = None if values[1] != values[1] else values[1]  # NaN in an array is no value
        feature.setAttributes([None, *values])
        if blob is not None:
            geometry = QgsGeometry()
            geometry.fromWkb(blob)
            feature.setGeometry(geometry)
        features.append(feature)
    assert layer.dataProvider().addFeatures(features)[0]
    del layer


def rows(postgis, table: str) -> list[str]:
    text = "coalesce(encode(convert_to(name, 'UTF8'), 'hex'), 'NULL'), area::text, ratio::text, count, ST_AsEWKB(geom)"
    return postgis.psql(f"SELECT {text} FROM {table} ORDER BY fid").splitlines()


def test_copy_stores_what_the_provider_stores(postgis):
    columns, wkb = awkward_columns(ROWS)
    dest = empty_table(postgis, "copy_fast")
    postgis_output.fill(dest, fields(), columns, wkb, np.zeros((ROWS, 4)))
    by_provider(postgis, "copy_slow", columns, wkb)
    fast, slow = rows(postgis, "copy_fast"), rows(postgis, "copy_slow")
    assert len(fast) == ROWS and fast == slow
    # every real as it was: 17 significant digits kept
    stored = [float(v) for v in postgis.psql("SELECT area FROM copy_fast WHERE area IS NOT NULL ORDER BY fid").split()]
    assert stored == [v for v in columns[1].tolist() if v == v]
    assert postgis.psql("SELECT name = E'tab\\there' AND fid = 2 FROM copy_fast WHERE name LIKE 'tab%'") == "t"
    assert postgis.psql("SELECT count(*) FROM copy_fast WHERE name = E'carriage\\rreturn \\\\N'") == "1"
    assert postgis.psql("SELECT count(*) FROM copy_fast WHERE geom IS NULL") == "1"
    assert postgis.psql("SELECT DISTINCT ST_SRID(geom) FROM copy_fast WHERE geom IS NOT NULL") == "4526"


def test_a_value_not_plain_part_way_writes_nothing(postgis):
    columns, wkb = awkward_columns(ROWS)
    columns[2][ROWS - 10] = float("inf")  # in the COPY's last part: the first parts are sent by then
    dest = empty_table(postgis, "copy_refused")
    with pytest.raises(postgis_output.NotPlain, match="inf"):
        postgis_output.fill(dest, fields(), columns, wkb, np.zeros((ROWS, 4)))
    assert postgis.psql("SELECT count(*) FROM copy_refused") == "0"


def test_without_psycopg2_gdal_writes_the_table(postgis, monkeypatch):
    columns, wkb = awkward_columns(300)
    columns[1] = np.round(columns[1], 2)  # reals GDAL prints exactly
    columns[2] = [0.25, 0.5, None] * 100
    monkeypatch.setitem(sys.modules, "psycopg2", None)  # `import psycopg2` raises ImportError
    dest = empty_table(postgis, "copy_gdal")
    postgis_output.fill(dest, fields(), columns, wkb, np.zeros((300, 4)))
    by_provider(postgis, "copy_gdal_slow", columns, wkb)
    assert rows(postgis, "copy_gdal") == rows(postgis, "copy_gdal_slow")
    # and reals of 17 digits are refused there (QGIS's provider then writes them)
    with pytest.raises(postgis_output.NotPlain, match="print shorter"):
        postgis_output.fill(empty_table(postgis, "copy_gdal_17"), fields(), *awkward_columns(300), np.zeros((300, 4)))
