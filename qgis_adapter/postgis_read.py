"""A whole PostGIS table read by one binary COPY through psycopg2 (which QGIS's own Python carries).

GDAL's PostgreSQL driver builds a feature per row before its Arrow stream hands the rows over (about
three times as long as reading a GeoPackage); here the server sends the rows as they are and Python
takes them apart. Each attribute comes as PostgreSQL prints it (`::text`) and is turned into the value
QGIS's postgres provider gives for its field (which also reads the printed text); each geometry as its
WKB (ST_AsBinary). One statement, in a read-only transaction, without parallel workers or a scan joined
half-way (`synchronize_seqscans`): the rows in the table's order, as GDAL's driver and QGIS's provider
read them. None wherever anything is not plain (no psycopg2, a column QGIS does not show by that name,
a geometry column that is not `geometry`): the caller reads through GDAL instead.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Callable
from typing import cast

import numpy as np
from qgis.core import QgsDataSourceUri

from ..core.geometry import wkb_to_shapely_where
from .compat import field_type
from .postgis_output import quote_ident

_SIGNATURE = b"PGCOPY\n\xff\r\n\x00"
_ROW = struct.Struct(">hi")  # a row's field count and its first field's length
_LENGTH = struct.Struct(">i")


class NotPlain(Exception):
    """Something this read does not take: GDAL's driver reads the table instead."""


def read_table(layer, fields, decode_where=None):
    """(field name -> Python values, shapely geometries, whether each needed a repair, WKB in one batch,
    whether each was decoded) as reading._arrow_columns gives them; None where not plain."""
    try:
        import psycopg2
    except ImportError:
        return None
    uri = QgsDataSourceUri(layer.source())
    wanted = [f.name() for f in fields] if fields is not None else []
    try:
        connection = psycopg2.connect(uri.connectionInfo(True))
    except psycopg2.Error:
        return None
    try:
        connection.set_session(readonly=True)
        with connection, connection.cursor() as cursor:
            table = f"{quote_ident(uri.schema() or 'public')}.{quote_ident(uri.table())}"
            _require_columns(cursor, table, wanted, uri.geometryColumn())
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
            cursor.execute("SET LOCAL synchronize_seqscans = off")
            cursor.execute("SET LOCAL extra_float_digits = 3")  # every real printed exactly, as QGIS sets it
            listed = [f"{quote_ident(name)}::text" for name in wanted] + [
                f"ST_AsBinary({quote_ident(uri.geometryColumn())})"
            ]
            data = io.BytesIO()
            cursor.copy_expert(f"COPY (SELECT {', '.join(listed)} FROM {table}) TO STDOUT WITH (FORMAT binary)", data)
        texts = _fields(data.getbuffer(), len(listed))
    except (psycopg2.Error, NotPlain):
        return None
    finally:
        connection.close()
    try:
        columns = {
            name: _values(values, fields.at(fields.lookupField(name)).type()) for name, values in zip(wanted, texts)
        }
    except ValueError:  # a printed value not read as QGIS would read it: GDAL's driver decides
        return None
    blobs = np.empty(len(texts[-1]), dtype=object)
    blobs[:] = texts[-1]
    chosen = np.ones(len(blobs), dtype=bool) if decode_where is None else np.asarray(decode_where(columns))
    geoms, repaired = wkb_to_shapely_where(blobs, chosen)
    return columns, geoms, repaired, [blobs], chosen


def _require_columns(cursor, table: str, wanted: list[str], geometry: str) -> None:
    cursor.execute(
        "SELECT attname, format_type(atttypid, NULL) FROM pg_attribute "
        "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
        (table,),
    )
    types = dict(cursor.fetchall())
    if types.get(geometry) != "geometry" or any(name not in types for name in wanted):
        raise NotPlain(table)


def _fields(data: memoryview, count: int) -> list[list[bytes | None]]:
    """The fields of a binary COPY's rows, by column (None for NULL)."""
    if bytes(data[:11]) != _SIGNATURE or len(data) < 21:
        raise NotPlain("not a binary COPY")
    raw = bytes(data) + b"\0\0\0\0"  # the end marker (-1) read as a row head too
    position = 19 + _LENGTH.unpack_from(raw, 15)[0]
    columns: list[list[bytes | None]] = [[] for _ in range(count)]
    row, length = _ROW.unpack_from, _LENGTH.unpack_from
    first, *others = [column.append for column in columns]
    while True:
        fields, size = row(raw, position)  # the row's field count and its first field's length
        if fields != count:
            break
        position += 6
        if size < 0:
            first(None)
        else:
            first(raw[position : position + size])
            position += size
        for append in others:
            (size,) = length(raw, position)
            position += 4
            if size < 0:
                append(None)
            else:
                append(raw[position : position + size])
                position += size
    if fields != -1 or position + 2 != len(raw) - 4:
        raise NotPlain("not the rows asked for")
    return columns


def _values(texts: list[bytes | None], qt_type) -> list:
    """A column's printed values as QGIS's provider reads them into its field's type (int() and float()
    read the printed digits as they are; a text is UTF-8)."""
    kind: Callable[[bytes], object] = (
        bytes.decode if qt_type == field_type("text") else float if qt_type == field_type("real") else int
    )
    if None not in texts:
        return list(map(kind, cast("list[bytes]", texts)))
    return [None if t is None else kind(t) for t in texts]
