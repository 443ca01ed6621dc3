"""verify's PostGIS outputs: staged in a temporary table and swapped in one transaction, and filled fast.

A PostGIS destination is written under a temporary table name beside the target (`<table>_dvtmp<hex>`,
same schema); once the run has succeeded the old table is dropped and the new one renamed in its place
in one transaction, so a reader (or a kill) sees the earlier table or the new one, never none or half
of one. A temporary table left by a killed run is dropped by the next run to the same destination.

The rows: QGIS's postgres provider sends one INSERT per feature (about 5.6 s per 100 000 patches).
Where everything is plain (text, integer and real columns, reals that GDAL's COPY prints exactly), the
empty table QGIS's sink created is filled by GDAL (the GDAL QGIS uses) from a scratch GeoPackage with
COPY, in one transaction; anything else goes through QGIS's provider as before.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import tempfile
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from qgis.core import QgsDataSourceUri, QgsFields

from ..formats.gpkg_bulk import UnexpectedTable, fill_table, open_table
from .compat import field_type

_PREFIX = re.compile(r"^(postgis|postgres|postgresql):(//)?", re.I)
TEMP_MARK = "_dvtmp"


@dataclass(frozen=True)
class PgTable:
    prefix: str  # the destination's provider prefix, as given ("postgres:")
    uri: QgsDataSourceUri
    schema: str
    table: str

    def conninfo(self) -> str:
        """libpq's connection string, the password (or authcfg's) included: never to be recorded."""
        return self.uri.connectionInfo(True)

    def gdal(self) -> str:
        return "PG:" + self.conninfo()

    def qualified(self, table: str | None = None) -> str:
        return f"{_ident(self.schema)}.{_ident(table or self.table)}"

    def with_table(self, table: str) -> str:
        """The destination with another table name (same connection, schema, geometry column, key)."""
        copy = QgsDataSourceUri(self.uri.uri(False))
        copy.setDataSource(self.schema, table, self.uri.geometryColumn(), self.uri.sql(), self.uri.keyColumn())
        return self.prefix + copy.uri(False)


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def pg_table(dest: str | None) -> PgTable | None:
    """A PostGIS destination ("postgres:" or "postgis:" + URI naming a table); None for anything else."""
    if not dest:
        return None
    match = _PREFIX.match(str(dest))
    if not match:
        return None
    uri = QgsDataSourceUri(str(dest)[match.end() :])
    if not uri.table() or not (uri.database() or uri.service()):
        return None
    return PgTable(match.group(0), uri, uri.schema() or "public", uri.table())


def temp_name(table: str) -> str:
    return f"{table[:40]}{TEMP_MARK}{uuid.uuid4().hex[:8]}"


# -- SQL through GDAL's PostgreSQL driver ----------------------------------------------------------
def _open(target: PgTable, update: bool = True):
    from osgeo import gdal

    gdal.UseExceptions()
    return gdal.OpenEx(target.gdal(), gdal.OF_VECTOR | (gdal.OF_UPDATE if update else 0))


def _run(target: PgTable, statements: Sequence[str]) -> None:
    """Statements in one transaction: all of them or none."""
    dataset = _open(target)
    try:
        dataset.StartTransaction()
        try:
            for sql in statements:
                dataset.ExecuteSQL(sql)
            dataset.CommitTransaction()
        except BaseException:
            dataset.RollbackTransaction()
            raise
    finally:
        dataset = None


def _query(target: PgTable, sql: str) -> list[tuple]:
    dataset = _open(target, update=False)
    try:
        result = dataset.ExecuteSQL(sql)
        try:
            rows = []
            for feature in result:
                rows.append(tuple(feature.GetField(i) for i in range(feature.GetFieldCount())))
            return rows
        finally:
            dataset.ReleaseResultSet(result)
    finally:
        dataset = None


def swap(target: PgTable, temp: str) -> None:
    """The temporary table renamed over the target (dropped) in one transaction. No CASCADE: a view
    built on the old table makes the swap fail (the old table stays) rather than vanish."""
    _run(target, [f"DROP TABLE IF EXISTS {target.qualified()}", f"ALTER TABLE {target.qualified(temp)} RENAME TO {_ident(target.table)}"])  # fmt: skip


def drop(target: PgTable, table: str) -> None:
    _run(target, [f"DROP TABLE IF EXISTS {target.qualified(table)}"])


def leftovers(target: PgTable) -> list[str]:
    """Temporary tables of this destination left by a run that was killed."""
    pattern = target.table[:40].replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%") + TEMP_MARK.replace(
        "_", "\\_"
    )
    rows = _query(
        target,
        f"SELECT tablename FROM pg_tables WHERE schemaname = {_literal(target.schema)} "
        f"AND tablename LIKE {_literal(pattern + '%')} ORDER BY tablename",
    )  # fmt: skip
    return [r[0] for r in rows if re.fullmatch(r"[0-9a-f]{8}", r[0][len(target.table[:40]) + len(TEMP_MARK) :])]


def row_count(target: PgTable, table: str) -> int:
    return int(_query(target, f"SELECT count(*) FROM {target.qualified(table)}")[0][0])


def digest(target: PgTable, table: str) -> str:
    """SHA-256 over the table's rows as PostgreSQL prints them, in key order (the run entry's hash of it)."""
    key = target.uri.keyColumn() or "fid"
    order = f"t.{_ident(key)}" if key else "t::text"
    rows = _query(
        target,
        f"SELECT encode(sha256(convert_to(coalesce(string_agg(t::text, E'\\n' ORDER BY {order}), ''), 'UTF8')), 'hex') "
        f"FROM {target.qualified(table)} t",
    )  # fmt: skip
    return rows[0][0]


# -- filling the empty table fast -------------------------------------------------------------------
class NotPlain(Exception):
    """Something the fast path does not take: the rows go through QGIS's provider instead."""


def _ogr_type(field):
    from osgeo import ogr

    kinds = {
        field_type("text"): ogr.OFTString,
        field_type("real"): ogr.OFTReal,
        field_type("int"): ogr.OFTInteger,
        field_type("int64"): ogr.OFTInteger64,
    }
    if field.type() not in kinds:
        raise NotPlain(f"field {field.name()} of type {field.typeName()}")
    return kinds[field.type()]


def _prints_exactly(values) -> bool:
    """GDAL's COPY prints reals with 15 significant digits: the column goes through it only where that
    gives back every value exactly (QGIS's provider sends the shortest exact text)."""
    if isinstance(values, np.ndarray) and values.dtype.kind == "f":
        finite = values[np.isfinite(values)]
        return all(float(f"{v:.15g}") == v for v in finite.tolist())
    for v in values:
        if type(v) is float and math.isfinite(v) and float(f"{v:.15g}") != v:
            return False
        if type(v) is float and not math.isfinite(v):
            return False
    return True


def fill(dest: str, fields: QgsFields, columns: Sequence, wkb: Sequence, bounds: np.ndarray) -> None:
    """The rows into the empty table at `dest` (which QGIS's sink created) through GDAL and COPY, in one
    transaction; NotPlain (nothing written) where anything is unusual."""
    from osgeo import gdal, ogr

    target = pg_table(dest)
    if target is None:
        raise NotPlain("not a PostGIS table")
    types = [_ogr_type(f) for f in fields]
    for field, kind, values in zip(fields, types, columns):
        if kind == ogr.OFTReal and not _prints_exactly(values):
            raise NotPlain(f"field {field.name()}: reals GDAL would print shorter")
        if kind == ogr.OFTString and any(isinstance(v, str) and "\x00" in v for v in values):
            raise NotPlain(f"field {field.name()}: a NUL character")
    dataset = _open(target)
    try:
        layer = dataset.GetLayerByName(f"{target.schema}.{target.table}")
        if layer is None or layer.GetFeatureCount() != 0:
            raise NotPlain("the table is not the empty one the sink made")
        geometry_type = layer.GetGeomType()
        key = layer.GetFIDColumn()
    finally:
        dataset = None
    # a field under the table's key (a GeoPackage source's fid): QGIS writes its values as the keys
    keyed = [i for i, f in enumerate(fields) if key and f.name().lower() == key.lower()]
    scratch = tempfile.mkdtemp(prefix="dv-pg-")
    try:
        path = os.path.join(scratch, "rows.gpkg")
        source = ogr.GetDriverByName("GPKG").CreateDataSource(path)
        fid_name = fields.at(keyed[0]).name() if keyed else "dv_fid"
        out = source.CreateLayer("rows", None, geometry_type, ["SPATIAL_INDEX=NO", f"FID={fid_name}"])
        for i, (field, kind) in enumerate(zip(fields, types)):
            if i not in keyed:
                out.CreateField(ogr.FieldDefn(field.name(), kind))
        source = None
        try:
            fill_table(open_table(path, "rows"), fields.names(), list(columns), list(wkb), bounds)
        except UnexpectedTable as unexpected:  # e.g. key values that are not distinct integers
            raise NotPlain(str(unexpected)) from None
        with _Config({"PG_USE_COPY": "YES"}):
            done = gdal.VectorTranslate(
                target.gdal(),
                path,
                options=gdal.VectorTranslateOptions(
                    accessMode="append", layerName=f"{target.schema}.{target.table}", layers=["rows"],
                    options=["-gt", "unlimited"] + (["-preserve_fid"] if keyed else []),
                ),
            )  # fmt: skip
            if done is None:
                raise RuntimeError(gdal.GetLastErrorMsg() or "GDAL could not write the table")
            done = None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


class _Config:
    def __init__(self, values: dict) -> None:
        self.values = values
        self.saved: dict = {}

    def __enter__(self):
        from osgeo import gdal

        for k, v in self.values.items():
            self.saved[k] = gdal.GetConfigOption(k)
            gdal.SetConfigOption(k, v)

    def __exit__(self, *exc):
        from osgeo import gdal

        for k, v in self.saved.items():
            gdal.SetConfigOption(k, v)
