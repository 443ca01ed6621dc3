"""A whole PostGIS table read by two COPYs through psycopg2 (which QGIS's own Python carries).

GDAL's PostgreSQL driver builds a feature per row before its Arrow stream hands the rows over (about
three times as long as reading a GeoPackage); here the server sends the rows as they are and Python
takes them apart by whole columns. The attributes come in one COPY in text form, each as PostgreSQL
prints it (`::text`, UTF-8), and are turned into the values QGIS's postgres provider gives for its
field (which also reads the printed text): COPY's text escapes tabs and newlines, so the whole text
splits into its fields at once. The geometries come as WKB (ST_AsBinary) in a second, binary COPY.
Both statements in one read-only transaction that sees one snapshot (REPEATABLE READ), without
parallel workers or a scan joined half-way (`synchronize_seqscans`): the same rows in the table's
order, as GDAL's driver and QGIS's provider read them. None wherever anything is not plain (no
psycopg2, a column QGIS does not show by that name, a geometry column that is not `geometry`, a
view or a foreign table, the two COPYs giving different numbers of rows): the caller reads through
GDAL instead.
"""

from __future__ import annotations

import io
import re
import struct
from collections.abc import Callable

import numpy as np
from qgis.core import QgsDataSourceUri

from ..core.geometry import wkb_to_shapely_where
from .compat import field_type
from .postgis_output import COPY_ESCAPES, COPY_NULL, quote_ident

_SIGNATURE = b"PGCOPY\n\xff\r\n\x00"
_ROW = struct.Struct(">hi")  # a row's field count and its (only) field's length
_LENGTH = struct.Struct(">i")
# what COPY TO writes after a backslash (it never writes octal or hex escapes)
_UNESCAPED = {escape[1]: char for char, escape in COPY_ESCAPES.items()} | {"b": "\b", "f": "\f", "v": "\v"}
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


class NotPlain(Exception):
    """Something this read does not take: GDAL's driver reads the table instead."""


def read_table(layer, fields, decode_where=None):
    """(field name -> Python values, shapely geometries, whether each needed a repair, WKB in one batch,
    whether each was decoded) as reading._arrow_columns gives them; None where not plain."""
    try:
        import psycopg2
        import psycopg2.extensions
    except ImportError:
        return None
    uri = QgsDataSourceUri(layer.source())
    wanted = [f.name() for f in fields] if fields is not None else []
    try:
        connection = psycopg2.connect(uri.connectionInfo(True))
    except psycopg2.Error:
        return None
    try:
        connection.set_client_encoding("UTF8")
        connection.set_session(readonly=True, isolation_level=psycopg2.extensions.ISOLATION_LEVEL_REPEATABLE_READ)
        with connection, connection.cursor() as cursor:
            table = f"{quote_ident(uri.schema() or 'public')}.{quote_ident(uri.table())}"
            _require_columns(cursor, table, wanted, uri.geometryColumn())
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
            cursor.execute("SET LOCAL synchronize_seqscans = off")
            cursor.execute("SET LOCAL extra_float_digits = 3")  # every real printed exactly, as QGIS sets it
            listed = ", ".join(f"{quote_ident(name)}::text" for name in wanted)
            texts = _copy_out(cursor, f"SELECT {listed} FROM {table}") if wanted else b""
            data = _copy_out(
                cursor, f"SELECT ST_AsBinary({quote_ident(uri.geometryColumn())}) FROM {table}", "WITH (FORMAT binary)"
            )
        wkb = _blobs(data)
        printed = _text_columns(texts.decode(), len(wanted), len(wkb)) if wanted else []
    except (psycopg2.Error, NotPlain, UnicodeDecodeError):
        return None
    finally:
        connection.close()
    try:
        columns = {
            name: _values(values, fields.at(fields.lookupField(name)).type()) for name, values in zip(wanted, printed)
        }
    except ValueError:  # a printed value not read as QGIS would read it: GDAL's driver decides
        return None
    blobs = np.empty(len(wkb), dtype=object)
    blobs[:] = wkb
    chosen = np.ones(len(blobs), dtype=bool) if decode_where is None else np.asarray(decode_where(columns))
    geoms, repaired = wkb_to_shapely_where(blobs, chosen)
    return columns, geoms, repaired, [blobs], chosen


def _copy_out(cursor, query: str, options: str = "") -> bytes:
    data = io.BytesIO()
    cursor.copy_expert(f"COPY ({query}) TO STDOUT {options}".rstrip(), data)
    return data.getvalue()


def _require_columns(cursor, table: str, wanted: list[str], geometry: str) -> None:
    """The columns are there, the geometry's of type geometry, and the relation is stored rows (a table
    or a materialized view): the two COPYs then scan the same heap in the same order. A view's query
    or a foreign table could give the two statements their rows in different orders."""
    cursor.execute("SELECT relkind::text FROM pg_class WHERE oid = %s::regclass", (table,))
    if cursor.fetchone() not in (("r",), ("m",)):
        raise NotPlain(table)
    cursor.execute(
        "SELECT attname, format_type(atttypid, NULL) FROM pg_attribute "
        "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
        (table,),
    )
    types = dict(cursor.fetchall())
    if types.get(geometry) != "geometry" or any(name not in types for name in wanted):
        raise NotPlain(table)


def _blobs(data: bytes) -> list[bytes | None]:
    """The only field of each row of a binary COPY (None for NULL)."""
    if data[:11] != _SIGNATURE or len(data) < 21:
        raise NotPlain("not a binary COPY")
    raw = data + b"\0\0\0\0"  # the end marker (-1) read as a row head too
    position = 19 + _LENGTH.unpack_from(raw, 15)[0]
    out: list[bytes | None] = []
    row, append = _ROW.unpack_from, out.append
    while True:
        fields, size = row(raw, position)  # the row's field count and its field's length
        if fields != 1:
            break
        position += 6
        if size < 0:
            append(None)
        else:
            append(raw[position : position + size])
            position += size
    if fields != -1 or position + 2 != len(raw) - 4:
        raise NotPlain("not the rows asked for")
    return out


def _text_columns(text: str, count: int, rows: int) -> list[list[str | None]]:
    """The `count` columns of a COPY in text form of `rows` rows (None for NULL, escapes undone)."""
    if rows == 0:
        if text:
            raise NotPlain("rows where none were read")
        return [[] for _ in range(count)]
    if not text.endswith("\n"):
        raise NotPlain("not whole rows")
    flat: list = text[:-1].replace("\n", "\t").split("\t")  # tabs and newlines in a value are escaped
    if len(flat) != count * rows:
        raise NotPlain("not the rows asked for")
    columns = [flat[i::count] for i in range(count)]
    if "\\" not in text:  # neither NULL nor escape anywhere
        return columns
    return [[_unescaped(v) if "\\" in v else v for v in column] for column in columns]


def _unescaped(value: str) -> str | None:
    if value == COPY_NULL:
        return None
    try:
        return _ESCAPE.sub(lambda m: _UNESCAPED[m.group(1)], value)
    except KeyError:
        raise NotPlain("an escape COPY does not write") from None


def _values(texts: list[str | None], qt_type) -> list:
    """A column's printed values as QGIS's provider reads them into its field's type (int() and float()
    read the printed digits as they are)."""
    if qt_type == field_type("text"):
        return texts
    kind: Callable[[str], object] = float if qt_type == field_type("real") else int
    if None not in texts:
        return list(map(kind, texts))  # type: ignore[arg-type]
    return [None if t is None else kind(t) for t in texts]
