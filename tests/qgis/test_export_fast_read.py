"""The report reads a verify OUTPUT GeoPackage through GDAL's Arrow interface (records.read_records):
the same records, outline hashes and refusals as QGIS's own reading (read_patches)."""

from __future__ import annotations

import math
import random

import pytest
from osgeo import ogr
from qgis.core import QgsProcessingContext, QgsProcessingFeatureSource, QgsVectorLayer
from qgis_layers import X0, Y0, box_wkt, gdal_gpkg

from demolition_verifier.core.definitions import LAND_RESULT_FIELDS, RESULT_FIELDS
from demolition_verifier.core.report_model import PatchRecord
from demolition_verifier.qgis_adapter import records as records_io

OGR = {"text": ogr.OFTString, "real": ogr.OFTReal, "int": ogr.OFTInteger}


def _read_both(path: str, with_evidence: bool = True):
    layer = QgsVectorLayer(path, "verified", "ogr")
    assert layer.isValid()
    source = QgsProcessingFeatureSource(layer, QgsProcessingContext())
    indexes = records_io.require_verify_fields(source, "verified")
    fast = records_io._arrow_records(source, indexes, with_evidence, layer, path)
    slow, total = records_io.read_patches(source, indexes, with_geometry=with_evidence)
    return fast, [p.record for p in slow], total, (source, indexes, layer)


def _value(rng: random.Random, kind: str):
    if rng.random() < 0.15:
        return None
    if kind == "real":
        return rng.choice([rng.random() * 3000, 0.0, float("nan"), 1791.1999999999998, -0.0])
    if kind == "int":
        return rng.randint(0, 5)
    return rng.choice(
        ["", "城关镇", "H12", "main_retained,over_tolerance", "pass", "fail", " 柳林镇 ", "legalised", "x"]
    )


def _geometry(rng: random.Random, i: int):
    x = X0 + 200 * i
    return rng.choice(
        [
            None,
            "POLYGON EMPTY",
            box_wkt(x, Y0, x + 100, Y0 + 100),
            f"MULTIPOLYGON((({x} {Y0},{x + 9} {Y0},{x + 9} {Y0 + 9},{x} {Y0})),(({x + 20} {Y0},{x + 29} {Y0},"
            f"{x + 29} {Y0 + 9},{x + 20} {Y0})))",
            f"POLYGON(({x} {Y0},{x + 10} {Y0 + 10},{x + 10} {Y0},{x} {Y0 + 10},{x} {Y0}))",  # a bow tie: invalid
        ]
    )


@pytest.mark.parametrize("seed", range(4))
def test_the_arrow_read_gives_the_records_qgis_reading_gives(tmp_path, seed):
    rng = random.Random(seed)
    spec = list(RESULT_FIELDS) + (list(LAND_RESULT_FIELDS) if seed % 2 else [])
    fields = [(name, OGR[kind]) for name, kind, _alias in spec] + [("JCBH", ogr.OFTString)]
    rows = [(*[_value(rng, kind) for _name, kind, _alias in spec], f"J{i}", _geometry(rng, i)) for i in range(60)]
    layer_type = ogr.wkbMultiPolygon if seed >= 2 else ogr.wkbPolygon
    if layer_type == ogr.wkbPolygon:
        rows = [r if r[-1] is None or not r[-1].startswith("MULTI") else (*r[:-1], None) for r in rows]
    path = gdal_gpkg(tmp_path / "verified.gpkg", fields, rows, layer_type=layer_type, name="verified")
    fast, slow, total, _ = _read_both(path)
    assert fast is not None, "a plain GeoPackage layer is read through GDAL"
    records, count = fast
    assert count == total == len(rows)
    assert len(records) == len(slow)
    for a, b in zip(records, slow):
        assert _same(a, b), (a, b)
    assert any(r.evidence["geom_hash"] is None for r in records)
    assert any(r.evidence["geom_hash"] is not None for r in records)


def _same(a: PatchRecord, b: PatchRecord) -> bool:
    """Equal, NaN equal to NaN (a real NULL in neither reading)."""

    def plain(record):
        values = vars(record).copy()
        values["land"] = {k: ("nan" if isinstance(v, float) and math.isnan(v) else v) for k, v in record.land.items()}
        return values

    return plain(a) == plain(b) and all(type(x) is type(y) for x, y in zip(vars(a).values(), vars(b).values()))


def test_the_records_of_a_verify_output_and_its_report(processing, tmp_path):
    from export_data import verified_county

    county = verified_county(processing, tmp_path)
    fast, slow, total, (source, indexes, layer) = _read_both(county["OUTPUT"])
    assert fast is not None and fast[1] == total == 5
    assert fast[0] == slow
    no_hash, _ = records_io.read_records(source, indexes, None, False, layer, county["OUTPUT"])
    assert all(r.evidence is None for r in no_hash) and [r.patch_id for r in no_hash] == [r.patch_id for r in slow]


def test_from_columns_is_from_values_row_by_row():
    rng = random.Random(7)
    names = [name for name, _kind, _alias in RESULT_FIELDS + LAND_RESULT_FIELDS]
    values = [None, "", "12", 12, 12.5, float("nan"), True, "城关镇", "legalised", "demolished", "other", 0, -0.0]
    for drop in (set(), {name for name, _kind, _alias in LAND_RESULT_FIELDS}, {"method", "farm_m2"}):
        columns = {n: [rng.choice(values) for _ in range(200)] for n in names if n not in drop}
        rows = [{n: c[i] for n, c in columns.items()} for i in range(200)]
        for a, b in zip(PatchRecord.from_columns(columns), [PatchRecord.from_values(r) for r in rows]):
            assert _same(a, b), (a, b)
    assert PatchRecord.from_columns({}) == []


def test_a_layer_the_arrow_read_cannot_take_is_read_by_qgis(tmp_path):
    spec = list(RESULT_FIELDS)
    fields = [(name, OGR[kind]) for name, kind, _alias in spec] + [("when", ogr.OFTDateTime)]
    row = ("H1", "城关镇", "pass", "", 10.0, 10.0, 0.0, 0.0, 0.0, 0, "r1", "2026-01-01T00:00:00+00:00")
    path = gdal_gpkg(tmp_path / "v.gpkg", fields, [(*row, "2026/01/01 00:00:00", box_wkt(X0, Y0, X0 + 9, Y0 + 9))])
    fast, slow, total, (source, indexes, layer) = _read_both(path)
    assert fast is not None  # the date field is not among those read
    assert fast[0] == slow
    memory = QgsVectorLayer(
        f"Polygon?crs=EPSG:4527&{'&'.join(f'field={n}:string' for n, _k, _a in spec)}", "m", "memory"
    )
    source = QgsProcessingFeatureSource(memory, QgsProcessingContext())
    indexes = records_io.require_verify_fields(source, "m")
    assert records_io._arrow_records(source, indexes, True, memory, "m") is None
    assert records_io.read_records(source, indexes, None, True, memory, "m") == ([], 0)
