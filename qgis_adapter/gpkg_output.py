"""Writing an output that is a plain GeoPackage file faster than feature by feature.

The output is still made by the ordinary Processing sink (its file, table, fields, CRS, and the
layer QGIS loads afterwards are QGIS's own); only the rows go in through core.gpkg_bulk once the
sink has closed the empty table. Any other destination (memory layer, Shapefile, database,
appending to an existing layer) is written through the sink as before.
"""

from __future__ import annotations

import math
import os
import sqlite3
from collections.abc import Iterable, Sequence

import numpy as np
from qgis.core import QgsFields, QgsProcessingOutputLayerDefinition, QgsVectorLayer

from ..core.messages import Refusal
from ..formats.gpkg_bulk import UnexpectedTable, fill_table, open_table
from .compat import field_type
from .layers import from_wkb, source_path
from .writing import write_features


def bulk_destination(value, dest: str) -> bool:
    """Whether the sink made for parameter `value` writes a new table in a GeoPackage file."""
    if isinstance(value, QgsProcessingOutputLayerDefinition):
        use_remapping = getattr(value, "useRemapping", None)
        if use_remapping is not None and use_remapping():
            return False  # appending to a layer that exists: its rows are the user's
    path, _table = source_path(dest)
    return path is not None and path.lower().endswith(".gpkg") and os.path.isfile(path)


def fast_postgis_destination(value, dest: str) -> bool:
    """Whether the sink made for parameter `value` writes a new PostGIS table (filled by fill_postgis)."""
    from .postgis_output import pg_table

    if isinstance(value, QgsProcessingOutputLayerDefinition):
        use_remapping = getattr(value, "useRemapping", None)
        if use_remapping is not None and use_remapping():
            return False
    return pg_table(dest) is not None


def fill_postgis(dest: str, fields: QgsFields, columns: Sequence[Sequence], wkb: Sequence, bounds: np.ndarray) -> None:
    """The rows into the empty PostGIS table the closed sink left: through GDAL and COPY where the
    values are plain, else through QGIS's postgres provider (as the sink would have written them)."""
    from .postgis_output import NotPlain, fill, pg_table

    columns = _as_qgis_writes(fields, columns)
    try:
        fill(dest, fields, columns, wkb, bounds)
        return
    except NotPlain:
        pass
    except RuntimeError as error:  # GDAL: the transaction was rolled back, the table is empty
        raise Refusal("output_write_failed", output=dest, detail=str(error)) from None
    target = pg_table(dest)
    assert target is not None, "a PostGIS destination (bulk_postgis_destination)"
    _fill_through_provider(dest[len(target.prefix) :], fields.names(), zip(*columns), wkb, provider="postgres")


def fill_output(
    dest: str,
    fields: QgsFields,
    columns: Sequence[Sequence],
    wkb: Sequence[bytes | None],
    bounds: np.ndarray,
    z_range: np.ndarray | None = None,
) -> None:
    """Columns of values (one per field) and geometries (WKB in the table's type) into the empty
    table the closed sink left. Should the table not be as expected, they go in through QGIS's
    data provider instead."""
    names = fields.names()
    columns = _as_qgis_writes(fields, columns)
    path, table_name = source_path(dest)
    assert path is not None, "a GeoPackage destination (bulk_destination)"
    try:
        fill_table(open_table(path, table_name), names, columns, wkb, bounds, z_range)
    except sqlite3.Error as error:  # locked, full disk...: the transaction left the table empty
        raise Refusal("output_write_failed", output=dest, detail=str(error)) from None
    except UnexpectedTable:  # nothing was written
        _fill_through_provider(dest, names, zip(*columns), wkb)


def _as_qgis_writes(fields: QgsFields, columns: Sequence[Sequence]) -> list:
    """The values as QGIS's writer stores them: a real field with a precision is rounded to it
    (QgsField.convertCompatible: half away from zero)."""
    double = field_type("real")
    out = list(columns)
    for i, field in enumerate(fields):
        if field.type() != double or field.precision() <= 0:
            continue
        scale = 10.0 ** field.precision()
        values = out[i]
        if isinstance(values, np.ndarray) and values.dtype.kind == "f":
            scaled = values * scale
            with np.errstate(invalid="ignore"):
                out[i] = np.where(scaled < 0, np.ceil(scaled - 0.5), np.floor(scaled + 0.5)) / scale
            continue
        out[i] = [
            (math.ceil(v * scale - 0.5) if v < 0 else math.floor(v * scale + 0.5)) / scale
            if type(v) is float and math.isfinite(v)
            else v
            for v in values
        ]
    return out


def _fill_through_provider(
    dest: str, names: Sequence[str], rows: Iterable[Sequence], wkb: Sequence[bytes | None], provider: str = "ogr"
) -> None:
    layer = QgsVectorLayer(dest, "output", provider)
    if not layer.isValid():
        raise Refusal("output_write_failed", output=dest, detail="the file cannot be opened")
    fields = layer.dataProvider().fields()
    index = [fields.lookupField(name) for name in names]
    if -1 in index:
        missing = ", ".join(n for n, i in zip(names, index) if i < 0)
        raise Refusal("output_write_failed", output=dest, detail=f"no field {missing}")

    def provider_rows():
        for row in rows:
            values = [None] * fields.count()
            for i, value in zip(index, row):
                values[i] = value.item() if isinstance(value, np.generic) else value
            yield values

    write_features(layer.dataProvider(), provider_rows(), map(from_wkb, wkb), output=dest)
    del layer
