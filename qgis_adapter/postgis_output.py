"""verify's PostGIS outputs: staged in a temporary table and swapped in one transaction, and filled fast.

A PostGIS destination is written under a temporary table name beside the target (`<table>_dvtmp<hex>`,
same schema); once the run has succeeded the old table is dropped and the new one renamed in its place
in one transaction, so a reader (or a kill) sees the earlier table or the new one, never none or half
of one. A temporary table left by a killed run is dropped by the next run to the same destination.

The rows: QGIS's postgres provider sends one INSERT per feature (about 5.6 s per 100 000 patches).
Where everything is plain (text, integer and real columns), the empty table QGIS's sink created is filled
by one COPY in one transaction: straight from the columns through psycopg2 (which QGIS's Python carries:
reals as their shortest exact text, as QGIS's provider sends them); without psycopg2, by GDAL (the GDAL
QGIS uses) from a scratch GeoPackage, where its 15 significant digits print every real exactly. Anything
else goes through QGIS's provider as before.
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

from ..formats.gpkg_bulk import UnexpectedTable, distinct_integers, fill_table, open_table
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
        return f"{quote_ident(self.schema)}.{quote_ident(table or self.table)}"

    def with_table(self, table: str) -> str:
        """The destination with another table name (same connection, schema, geometry column, key)."""
        copy = QgsDataSourceUri(self.uri.uri(False))
        copy.setDataSource(self.schema, table, self.uri.geometryColumn(), self.uri.sql(), self.uri.keyColumn())
        return self.prefix + copy.uri(False)


def quote_ident(name: str) -> str:
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
    _run(target, [f"DROP TABLE IF EXISTS {target.qualified()}", f"ALTER TABLE {target.qualified(temp)} RENAME TO {quote_ident(target.table)}"])  # fmt: skip


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
    order = f"t.{quote_ident(key)}" if key else "t::text"
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


# a repr with 16 or more significant digits: two nonzero digits 15 digit-places apart or more
# (a repr's digits run uninterrupted but for one point; its exponent has at most three)
_SIXTEEN_DIGITS = re.compile(r"[1-9](?:\.?[0-9]){14}\.?[0-9]*[1-9]")


def _prints_exactly(values) -> bool:
    """GDAL's COPY prints reals with 15 significant digits: the column goes through it only where that
    gives back every value exactly (QGIS's provider sends the shortest exact text), i.e. where no value's
    shortest exact text (its repr) has more than 15 significant digits. NaN in an array is NULL; an
    infinite or NaN float in a list is not plain."""
    if isinstance(values, np.ndarray) and values.dtype.kind == "f":
        floats = values[np.isfinite(values)].tolist()
    else:
        floats = [float(v) for v in values if isinstance(v, float)]
        if not np.isfinite(np.asarray(floats, dtype=float)).all():
            return False
    # a repr of 15 characters or fewer has at most 15 digits: only the longer ones are looked into
    return not any(_SIXTEEN_DIGITS.search(t) for t in repr(floats)[1:-1].split(", ") if len(t) > 15)


def _has_nul(values) -> bool:
    return "\x00" in "".join(v for v in values if isinstance(v, str))


def fill(dest: str, fields: QgsFields, columns: Sequence, wkb: Sequence, bounds: np.ndarray) -> None:
    """The rows into the empty table at `dest` (which QGIS's sink created) by COPY, in one transaction:
    straight from the columns through psycopg2, else through GDAL; NotPlain (nothing written) where
    anything is unusual."""
    from osgeo import gdal, ogr

    target = pg_table(dest)
    if target is None:
        raise NotPlain("not a PostGIS table")
    types = [_ogr_type(f) for f in fields]
    for field, kind, values in zip(fields, types, columns):
        if kind == ogr.OFTString and _has_nul(values):
            raise NotPlain(f"field {field.name()}: a NUL character")
    if _copy_rows(target, fields, types, columns, wkb):
        return
    for field, kind, values in zip(fields, types, columns):  # GDAL's COPY, without psycopg2
        if kind == ogr.OFTReal and not _prints_exactly(values):
            raise NotPlain(f"field {field.name()}: reals GDAL would print shorter")
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


# -- COPY straight from the columns (psycopg2, which QGIS's own Python carries) ---------------------
COPY_NULL = "\\N"  # COPY's text form: NULL, and the characters it writes escaped (COPY_ESCAPES)
COPY_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
_SPECIAL = re.compile("[" + re.escape("".join(COPY_ESCAPES)) + "]")


def _copy_rows(target: PgTable, fields: QgsFields, types: Sequence, columns: Sequence, wkb: Sequence) -> bool:
    """The rows into the empty table by one COPY FROM in text form, in one transaction: each real as
    its shortest exact text (as QGIS's provider sends it), each geometry as its WKB in hex (the column
    gives the SRID). False (nothing done) where psycopg2 cannot be imported; NotPlain (nothing written)
    where the table or a value is not as expected; RuntimeError where the server refused the rows."""
    try:
        import psycopg2
    except ImportError:
        return False
    if any(len(values) != len(wkb) for values in columns):
        raise NotPlain("columns of other lengths than the geometries")
    try:
        connection = psycopg2.connect(target.conninfo())
    except psycopg2.Error as error:
        raise RuntimeError(str(error).strip()) from None
    lines = _Lines(fields, types, columns, wkb)
    try:
        connection.set_client_encoding("UTF8")
        with connection, connection.cursor() as cursor:  # committed if all goes in, else rolled back
            targets, keyed = _copy_targets(cursor, target, fields)
            keys: list = []
            if keyed is not None:
                keys = columns[keyed].tolist() if isinstance(columns[keyed], np.ndarray) else list(columns[keyed])
                if not distinct_integers(keys):
                    raise NotPlain("the key values are not distinct integers")
            cursor.copy_expert(f"COPY {target.qualified()} ({', '.join(map(quote_ident, targets))}) FROM STDIN", lines)
            if keyed is not None and keys:  # the keys given: a row added later gets a key after them
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, %s), %s)", (target.qualified(), targets[keyed], max(keys))
                )
    except psycopg2.Error as error:
        if lines.failed is not None:  # a value not plain, found as its rows were made: nothing written
            raise lines.failed from None
        raise RuntimeError(str(error).strip()) from None
    finally:
        connection.close()
    return True


class _Lines:
    """COPY's text, made a few thousand rows at a time as psycopg2 reads it: the server takes in one
    part while the next is made. A value found not plain stops the COPY (kept in `failed`)."""

    ROWS = 4096

    def __init__(self, fields: QgsFields, types: Sequence, columns: Sequence, wkb: Sequence) -> None:
        self.fields, self.types, self.columns, self.wkb = list(fields), types, columns, wkb
        self.start = 0
        self.failed: NotPlain | None = None

    def read(self, _size: int = -1) -> str:
        start, end = self.start, min(self.start + self.ROWS, len(self.wkb))
        if start >= end:
            return ""
        self.start = end
        try:
            texts = [
                _column_texts(field, kind, values[start:end])
                for field, kind, values in zip(self.fields, self.types, self.columns)
            ]
        except NotPlain as not_plain:
            self.failed = not_plain
            raise
        texts.append([COPY_NULL if b is None else bytes(b).hex() for b in self.wkb[start:end]])
        return "\n".join(map("\t".join, zip(*texts))) + "\n"


def _copy_targets(cursor, target: PgTable, fields: QgsFields) -> tuple[list[str], int | None]:
    """The table's column for each field and the geometry (a field under the table's key gives the keys,
    as QGIS writes them: its index is returned); NotPlain where the table is not the empty one the sink
    made."""
    qualified = target.qualified()
    cursor.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
        (qualified,),
    )
    names = [r[0] for r in cursor.fetchall()]
    cursor.execute(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
        "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary",
        (qualified,),
    )
    keys = [r[0] for r in cursor.fetchall()]
    cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {qualified})")
    geometry = target.uri.geometryColumn()
    if cursor.fetchone()[0] or len(keys) > 1 or geometry not in names:
        raise NotPlain("the table is not the empty one the sink made")
    targets, keyed = [], None
    for i, field in enumerate(fields):
        same = [n for n in names if n == field.name()] or [n for n in names if n.lower() == field.name().lower()]
        if len(same) != 1:
            raise NotPlain(f"no single column {field.name()}")
        if keys and same[0] == keys[0]:
            keyed = i
        targets.append(same[0])
    if len(set(targets)) != len(targets):
        raise NotPlain("two fields under one column")
    return [*targets, geometry], keyed


def _column_texts(field, kind, values) -> list[str]:
    """A column's values as COPY's text form reads them; NotPlain for a value of an unexpected type."""
    from osgeo import ogr

    if isinstance(values, np.ndarray) and values.dtype.kind in "fiu":
        items = values.tolist()
        if values.dtype.kind != "f":
            if kind == ogr.OFTReal:
                return list(map(repr, map(float, items)))
            return list(map(str, items))
        if kind != ogr.OFTReal:
            raise NotPlain(f"field {field.name()}: reals in a column of whole numbers")
        texts = list(map(repr, items))
        for i in np.flatnonzero(~np.isfinite(values)).tolist():  # NaN: no value (as SQLite stores it)
            v = items[i]
            texts[i] = COPY_NULL if v != v else ("Infinity" if v > 0 else "-Infinity")
        return texts
    if kind == ogr.OFTString:
        if any(v is not None and not isinstance(v, str) for v in values):
            raise NotPlain(f"field {field.name()}: a value that is not text")
        if _SPECIAL.search("".join(v for v in values if v is not None)):
            return [COPY_NULL if v is None else _SPECIAL.sub(lambda m: COPY_ESCAPES[m.group()], v) for v in values]
        return [COPY_NULL if v is None else v for v in values]
    if kind == ogr.OFTReal:
        out = []
        for v in values:
            if v is None:
                out.append(COPY_NULL)
            elif isinstance(v, (float, int, np.floating, np.integer)) and not isinstance(v, bool) and math.isfinite(v):
                out.append(repr(float(v)))
            else:  # NaN or infinity in a list: QGIS's provider stores them as they are
                raise NotPlain(f"field {field.name()}: {v!r}")
        return out
    if any(v is not None and (isinstance(v, bool) or not isinstance(v, (int, np.integer))) for v in values):
        raise NotPlain(f"field {field.name()}: a value that is not a whole number")
    return [COPY_NULL if v is None else str(int(v)) for v in values]


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
