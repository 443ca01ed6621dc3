"""Reading a Processing source into the engine's arrays: QGIS's feature iteration, or GDAL's Arrow
interface for a whole GeoPackage layer as saved (about ten times faster, the same values)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import shapely
from qgis.core import (
    QgsDataSourceUri,
    QgsFeatureRequest,
    QgsGeometry,
    QgsProcessingFeatureSource,
    QgsProcessingFeatureSourceDefinition,
    QgsProviderRegistry,
    QgsWkbTypes,
)

from ..core.geometry import wkb_to_shapely_where
from ..core.messages import Cancelled, Refusal
from .compat import field_type
from .layers import crs_text, from_wkb, plain_value, to_shapely
from .postgis_read import read_table


@dataclass
class ReadLayer:
    geometries: np.ndarray
    read_repaired: np.ndarray
    attributes: list[list]
    qgs_geometries: list[QgsGeometry]
    crs: str | None
    wkb: list | None = None  # read through GDAL: the features' own WKB (arrays by batch), made QgsGeometry when written
    fast: bool = False  # read through GDAL's Arrow interface
    columns: list[list] | None = None  # read through GDAL: the same values as `attributes`, by field
    multi: bool = False  # read through GDAL from a multipolygon layer: single polygons are promoted, as QGIS does
    promoted: np.ndarray | None = None  # which geometries were

    def column(self, index: int) -> list:
        """One field's values, NULL as None."""
        if self.columns is not None:
            return self.columns[index]
        return [plain_value(row[index]) for row in self.attributes]

    def output_wkb(self, has_z: bool) -> tuple[list[bytes | None], np.ndarray, np.ndarray | None]:
        """The features' own WKB as read through GDAL, as QGIS's writer stores them in a layer of
        this type (output_geometries): single polygons of a multipolygon layer promoted, Z added (0)
        or dropped, an empty polygon made the layer's empty type; with each one's bounds (NaN:
        empty) and, in a Z layer, its Z range. Only those needing it go through QgsGeometry: the
        converted ones, and those shapely could not read (a curve in a polygon layer)."""
        assert self.wkb is not None, "read through GDAL, with its WKB kept"
        blobs: list = []
        for batch in self.wkb:
            blobs.extend(batch.tolist())  # bytes (None: no geometry), at C speed
        geometries = self.geometries
        present = np.not_equal(geometries, None)
        promoted = self.promoted if self.promoted is not None else np.zeros(len(blobs), dtype=bool)
        unread = ~present & np.not_equal(np.array(blobs, dtype=object), None) if blobs else present
        convert = np.flatnonzero((present & ((shapely.has_z(geometries) != has_z) | promoted)) | unread)
        bounds = shapely.bounds(geometries)
        z_range = None
        if has_z:
            z_range = np.full((len(blobs), 2), np.nan)
            coords, index = shapely.get_coordinates(geometries, include_z=True, return_index=True)
            if len(index):
                starts = np.r_[0, np.flatnonzero(np.diff(index)) + 1]
                owners = index[starts]
                z_range[owners, 0] = np.minimum.reduceat(coords[:, 2], starts)
                z_range[owners, 1] = np.maximum.reduceat(coords[:, 2], starts)
        for i in convert.tolist():
            blobs[i], bounds[i], z = _as_written(blobs[i], self.multi, has_z)
            if z_range is not None:
                z_range[i] = z
        return blobs, bounds, z_range

    def output_geometries(self) -> Iterator[QgsGeometry | None]:
        """The features' own geometries (Z, M and curves as read), for writing them out again."""
        if self.wkb is None:
            yield from self.qgs_geometries
            return
        for blob in (b for batch in self.wkb for b in batch):
            if blob is None:
                yield None
                continue
            geometry = from_wkb(blob)
            if self.multi and not geometry.isMultipart():
                geometry.convertToMultiType()
            yield geometry


def read_source(
    source,
    feedback=None,
    with_attributes: bool = True,
    keep_features: bool = False,
    layer=None,
    value=None,
    name: str | None = None,
) -> ReadLayer:
    """All features of a Processing source, skipping QGIS's invalid-geometry check: the engine
    repairs and flags invalid polygons instead of stopping the run. Given the source's `layer`
    and parameter `value`, a whole GeoPackage layer as saved is read through GDAL's Arrow
    interface instead (about ten times faster, same values). A read that ends short of (or past)
    the feature count the provider keeps is refused naming the layer (`name`): a damaged file is
    never read in part in silence."""
    name = name or source.sourceName()
    if layer is not None:
        fast = read_gpkg_arrow(layer, value, source, with_attributes, keep_features, name)
        if fast is not None:
            return fast
    request = QgsFeatureRequest()
    if not with_attributes:
        request.setNoAttributes()
    qgs_geoms: list[QgsGeometry] = []
    attributes: list[list] = []
    for i, feature in enumerate(source.getFeatures(request, QgsProcessingFeatureSource.FlagSkipGeometryValidityChecks)):
        if feedback is not None and i % 5000 == 0 and feedback.isCanceled():
            raise Cancelled()
        qgs_geoms.append(feature.geometry() if feature.hasGeometry() else None)
        if with_attributes:
            attributes.append(feature.attributes())
    _require_count(source, len(qgs_geoms), name, layer)
    geoms, repaired = to_shapely(qgs_geoms)
    return ReadLayer(
        geometries=geoms,
        read_repaired=repaired,
        attributes=attributes,
        qgs_geometries=qgs_geoms if keep_features else [],
        crs=crs_text(source.sourceCrs()),
    )


# -- GDAL's Arrow interface: the fast read of a plain GeoPackage layer ------------------------------
# QGIS field types whose values GDAL's Arrow arrays give exactly as QGIS would (others: fall back).
_ARROW_TYPES = {field_type("text"): "SUO", field_type("int"): "iu", field_type("int64"): "iu", field_type("real"): "f"}


def _as_written(blob: bytes, multi: bool, has_z: bool) -> tuple[bytes, tuple, tuple]:
    """One WKB as QGIS's writer turns it into a feature of a (multi)polygon layer with or without
    Z; its bounds and, with Z, its Z range (NaN when empty)."""
    geometry = from_wkb(blob)
    if multi and not geometry.isMultipart():
        geometry.convertToMultiType()
    if has_z and not QgsWkbTypes.hasZ(geometry.wkbType()):
        geometry.get().addZValue(0)
    elif not has_z and QgsWkbTypes.hasZ(geometry.wkbType()):
        geometry.get().dropZValue()
    written = bytes(geometry.asWkb())
    nan = (float("nan"),) * 4
    if geometry.isEmpty():
        return written, nan, nan[:2]
    box = geometry.boundingBox()
    z = nan[:2]
    if has_z:
        values = [vertex.z() for vertex in geometry.vertices()]
        z = (min(values), max(values)) if values else z
    return written, (box.xMinimum(), box.yMinimum(), box.xMaximum(), box.yMaximum()), z


def _whole_saved_layer(layer, value) -> tuple[str, str | int] | None:
    """(GDAL dataset, layer name or index) when the source is a whole GeoPackage layer as saved on
    disk, or a whole PostGIS table: no selection, limit, filter, subset, SQL or edit buffer (those
    are QGIS's to apply)."""
    if isinstance(value, QgsProcessingFeatureSourceDefinition):
        if value.selectedFeaturesOnly or value.featureLimit not in (-1, None) or getattr(value, "filterExpression", ""):
            return None
    if layer is None or layer.isEditable() or layer.isModified() or layer.subsetString():
        return None
    if layer.providerType() == "postgres":
        return _whole_postgis_table(layer)
    if layer.providerType() != "ogr":
        return None
    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
    path = parts.get("path") or ""
    if parts.get("subset") or not path.lower().endswith(".gpkg") or not os.path.isfile(path):
        return None
    name = plain_value(parts.get("layerName"))
    index = plain_value(parts.get("layerId"))
    return path, name if name else (int(index) if index is not None else 0)


def _whole_postgis_table(layer) -> tuple[str, str] | None:
    """GDAL's PostgreSQL driver on the same table: the connection as QGIS makes it (an authcfg expanded
    here, in memory only), the table and its geometry column named, so GDAL reads that table alone."""
    uri = QgsDataSourceUri(layer.source())
    if uri.sql() or not uri.table() or not uri.geometryColumn():
        return None
    schema = uri.schema() or "public"
    table = f"{schema}.{uri.table()}({uri.geometryColumn()})"
    connection = uri.connectionInfo(True)
    if not connection:
        return None
    return f"PG:{connection} tables={table}", table


def _require_count(source, read: int, name: str, layer=None) -> None:
    if _estimated_count(layer):
        return  # the provider only estimates its count (PostGIS with estimated metadata): nothing to hold to
    count = source.featureCount()
    if count >= 0 and count != read:
        raise Refusal("layer_read_short", layer=name, read=read, count=count)


def _estimated_count(layer) -> bool:
    return (
        layer is not None
        and layer.providerType() == "postgres"
        and QgsDataSourceUri(layer.source()).useEstimatedMetadata()
    )


class _Stuck(Exception):
    """GDAL's Arrow stream handed back empty batches (GDAL 3.6 does so, for ever, past a damaged page)."""


def read_gpkg_arrow(
    layer,
    value,
    source,
    with_attributes: bool = True,
    keep_features: bool = False,
    name: str = "",
    fields=None,
    columns_only: bool = False,
    decode_where=None,
) -> ReadLayer | None:
    """The ReadLayer read_source gives, through GDAL's Arrow interface (GDAL >= 3.6, the GDAL QGIS
    itself runs on) or, for a PostGIS table, two COPYs (qgis_adapter/postgis_read.py); None
    wherever that is not sure to give the same features and values. fields
    (QgsFields): only these of the source's fields, in this order (default: all of them).
    columns_only: their values by field (`columns`) and no rows (`attributes` empty).
    decode_where(columns of a batch -> mask): only those features' geometries are decoded, the
    others are None (a caller that needs only some, and no hash of them all)."""
    where = _whole_saved_layer(layer, value)
    if where is None:
        return None
    wkb_type = source.wkbType()
    if QgsWkbTypes.isCurvedType(wkb_type) or QgsWkbTypes.hasM(wkb_type):
        return None
    if fields is None:
        fields = source.fields() if with_attributes else None
    if fields is not None and any(f.type() not in _ARROW_TYPES for f in fields):
        return None
    # a PostGIS table by its two COPYs where it is plain, else (and a GeoPackage) through GDAL
    read = read_table(layer, fields, decode_where) if layer.providerType() == "postgres" else None
    driver = "PostgreSQL"
    if read is None:
        read, driver = _gdal_read(layer, where, source, fields, decode_where, name)
    if read is None:
        return None
    columns, geoms, repaired, wkb, decoded = read
    missing = np.flatnonzero(shapely.is_missing(geoms) & decoded)
    blobs = [b for batch in wkb for b in batch] if len(missing) else []
    unread = [i for i in missing.tolist() if blobs[i] is not None]
    if unread:  # a curve in a polygon layer, say: read as QGIS's own reading does (straightened)
        geoms[unread], repaired[unread] = to_shapely(from_wkb(blobs[i]) for i in unread)
    _require_count(source, len(geoms), name or layer.name(), layer)  # not read by QGIS instead: it stops short too
    multi = QgsWkbTypes.isMultiType(wkb_type)
    promoted = np.zeros(len(geoms), dtype=bool)
    if multi:  # single polygons of a multipolygon layer: QGIS's writer stores them as multipolygons
        promoted = shapely.get_type_id(geoms) == shapely.GeometryType.POLYGON
        single = np.flatnonzero(promoted)
        # QGIS's OGR provider also reads them as multipolygons; its PostGIS provider gives them as stored
        if len(single) and driver == "GPKG":
            geoms[single] = shapely.multipolygons(geoms[single], indices=np.arange(len(single)))
    geoms[shapely.is_empty(geoms)] = None  # as to_shapely: an empty geometry is no geometry
    by_field = [columns[f.name()] for f in fields] if fields is not None else []
    rows = fields is not None and not columns_only
    attributes: list = (list(zip(*by_field)) if by_field else [()] * len(geoms)) if rows else []
    return ReadLayer(
        geometries=geoms,
        read_repaired=repaired,
        attributes=attributes,
        qgs_geometries=[],
        crs=crs_text(source.sourceCrs()),
        wkb=wkb if keep_features else None,
        fast=True,
        columns=by_field if fields is not None else None,
        multi=multi,
        promoted=promoted,
    )


def _gdal_read(layer, where, source, fields, decode_where, name: str) -> tuple[tuple | None, str]:
    """_arrow_columns through GDAL's Arrow stream, and GDAL's driver; (None, "") where it cannot."""
    try:
        from osgeo import gdal, ogr

        if not hasattr(ogr.Layer, "GetArrowStreamAsNumPy"):
            return None, ""
        dataset = gdal.OpenEx(where[0], gdal.OF_VECTOR | gdal.OF_READONLY)
        if dataset is None:
            return None, ""
        gdal_layer = dataset.GetLayerByName(where[1]) if isinstance(where[1], str) else dataset.GetLayer(where[1])
        if gdal_layer is None and dataset.GetLayerCount() == 1 and dataset.GetDriver().ShortName == "PostgreSQL":
            gdal_layer = dataset.GetLayer(0)  # GDAL names the one table it was asked for its own way
        if gdal_layer is None or dataset.GetDriver().ShortName not in ("GPKG", "PostgreSQL"):
            return None, ""
        expected = -1 if _estimated_count(layer) else source.featureCount()
        return _arrow_columns(gdal_layer, fields, expected, decode_where), dataset.GetDriver().ShortName
    except _Stuck:
        raise Refusal("layer_read_stuck", layer=name or layer.name()) from None
    except Exception:
        return None, ""


EMPTY_BATCHES = 3  # in a row: GDAL going round a damaged page, not the end of a stream


def _arrow_columns(
    gdal_layer, fields, expected: int = -1, decode_where=None
) -> tuple[dict, np.ndarray, np.ndarray, list, np.ndarray] | None:
    """(field name -> list of Python values (None for NULL), shapely geometries, whether each needed
    a repair to be read, WKB by batch, whether each was decoded: see read_gpkg_arrow's decode_where).
    The stream is bounded: empty batches in a row, or more rows than the `expected` count, stop it
    (_Stuck)."""
    geometry_column = gdal_layer.GetGeometryColumn() or "wkb_geometry"
    fid_column = gdal_layer.GetFIDColumn()
    wanted = [f.name() for f in fields] if fields is not None else []
    definition = gdal_layer.GetLayerDefn()
    layer_fields = [definition.GetFieldDefn(i).GetName() for i in range(definition.GetFieldCount())]
    if any(name not in layer_fields and name != fid_column for name in wanted):
        return None
    # (no SetIgnoredFields: with it, GDAL 3.6 hands back empty geometries)
    include_fid = "YES" if fid_column and fid_column in wanted else "NO"
    columns: dict = {name: [] for name in wanted}
    geoms, repaired, wkb, decoded = [], [], [], []
    empty, rows = 0, 0
    for batch in gdal_layer.GetArrowStreamAsNumPy(options=["USE_MASKED_ARRAYS=YES", f"INCLUDE_FID={include_fid}"]):
        blobs = batch.get(geometry_column)
        if blobs is None:
            return None
        rows += len(blobs)
        empty = empty + 1 if not len(blobs) else 0
        if empty >= EMPTY_BATCHES or (expected >= 0 and rows > expected):
            raise _Stuck()
        if isinstance(blobs, np.ma.MaskedArray):  # NULL geometries
            blobs = np.where(np.ma.getmaskarray(blobs), None, blobs.data.astype(object))
        elif blobs.dtype != object:  # equal-length WKB as fixed-size bytes, in GDAL's memory: copy
            blobs = blobs.copy()
        if blobs.dtype == object and any(b is not None and not len(b) for b in blobs):
            return None  # an empty WKB is GDAL going wrong, not a feature without geometry
        batch_columns = {}
        for name in wanted:
            values = _python_values(batch.get(name), fields.at(fields.lookupField(name)).type())
            if values is None:
                return None
            batch_columns[name] = values
            columns[name].extend(values)
        chosen = np.ones(len(blobs), dtype=bool) if decode_where is None else np.asarray(decode_where(batch_columns))
        batch_geoms, batch_repaired = wkb_to_shapely_where(blobs, chosen)
        geoms.append(batch_geoms)
        repaired.append(batch_repaired)
        wkb.append(blobs)
        decoded.append(chosen)
    if not geoms:
        return columns, np.zeros(0, dtype=object), np.zeros(0, dtype=bool), wkb, np.zeros(0, dtype=bool)
    return columns, np.concatenate(geoms), np.concatenate(repaired), wkb, np.concatenate(decoded)


def _python_values(array, qt_type) -> list | None:
    """A column as QGIS would give its values (str, int, float; None for NULL)."""
    if array is None or array.dtype.kind not in _ARROW_TYPES[qt_type]:
        return None
    if array.dtype.kind == "f" and array.dtype.itemsize != 8:
        return None  # a float4 column: QGIS reads the printed value (1.1), not the float32 widened (1.1000000238…)
    values = array.tolist()  # masked entries become None
    if qt_type == field_type("text"):  # each distinct value decoded once (a class code column repeats a few)
        text = {v: v.decode("utf-8") if isinstance(v, bytes) else v for v in set(values)}
        values = list(map(text.__getitem__, values))
    return values
