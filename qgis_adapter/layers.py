"""QGIS layers to the engine's arrays and back. No rule lives here."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator

import numpy as np
import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from ..core.geometry import wkb_to_shapely
from ..core.messages import Refusal
from ..core.words import GEOMETRY_KINDS
from .compat import field_type
from .credentials import is_connection_string

# Processing parameter types whose value is a layer (by id, path or the layer itself).
LAYER_PARAMETER_TYPES = ("source", "vector", "layer")


def crs_text(crs: QgsCoordinateReferenceSystem) -> str | None:
    """What pyproj needs: the authority id where there is one, else WKT; None for no CRS."""
    if not crs.isValid():
        return None
    authid = crs.authid()
    if re.fullmatch(r"(EPSG|ESRI):\d+", authid or ""):
        return authid
    return crs.toWkt(QgsCoordinateReferenceSystem.WKT_PREFERRED)


def describe_geometry_type(wkb_type: int) -> str:
    kind = QgsWkbTypes.geometryType(wkb_type)
    return {
        QgsWkbTypes.PointGeometry: GEOMETRY_KINDS["point"],
        QgsWkbTypes.LineGeometry: GEOMETRY_KINDS["line"],
        QgsWkbTypes.NullGeometry: GEOMETRY_KINDS["none"],
    }.get(kind, QgsWkbTypes.displayString(wkb_type))


def require_polygons(source, name: str) -> None:
    if QgsWkbTypes.geometryType(source.wkbType()) != QgsWkbTypes.PolygonGeometry:
        raise Refusal("not_polygons", layer=name, kind=describe_geometry_type(source.wkbType()))


def require_field(source, name: str, field: str | None) -> int | None:
    if not field:
        return None
    index = source.fields().lookupField(field)
    if index < 0:
        raise Refusal("field_missing", layer=name, field=field, fields=", ".join(source.fields().names()))
    return index


def to_shapely(geometries: Iterable[QgsGeometry | None]) -> tuple[np.ndarray, np.ndarray]:
    """QGIS geometries to 2D linear shapely ones; also whether reading needed a repair
    (an unclosed ring). Straightening curves and dropping Z/M is not a repair."""
    blobs: list[bytes | None] = []
    for geometry in geometries:
        if geometry is None or geometry.isNull() or geometry.isEmpty():
            blobs.append(None)
            continue
        wkb_type = geometry.wkbType()
        if QgsWkbTypes.isCurvedType(wkb_type) or QgsWkbTypes.hasZ(wkb_type) or QgsWkbTypes.hasM(wkb_type):
            linear = (
                geometry.constGet().segmentize() if QgsWkbTypes.isCurvedType(wkb_type) else geometry.constGet().clone()
            )
            linear.dropZValue()
            linear.dropMValue()
            geometry = QgsGeometry(linear)
        blobs.append(bytes(geometry.asWkb()))
    return wkb_to_shapely(np.array(blobs, dtype=object))


def plain_value(value):
    """QGIS NULL (a QVariant) to None, other values as they are."""
    if value is None:
        return None
    if isinstance(value, QVariant):
        return None if value.isNull() else value.value()
    return value


def make_fields(spec: Iterable[tuple[str, str, str]], chinese_alias: bool = True) -> QgsFields:
    fields = QgsFields()
    for name, kind, alias in spec:
        field = QgsField(name, field_type(kind))
        if kind == "real":
            field.setLength(20)
            field.setPrecision(6)
        elif kind == "text":
            # no length: QGIS refuses a whole batch over a value longer than a field's length;
            # a shapefile still gets QGIS's widest text column (254 bytes)
            field.setLength(0)
        if chinese_alias:
            field.setAlias(alias)
        fields.append(field)
    return fields


def from_wkb(blob) -> QgsGeometry:
    """A QgsGeometry from WKB (bytes, or a numpy bytes value); None gives a null geometry."""
    geometry = QgsGeometry()
    if blob is not None:
        geometry.fromWkb(bytes(blob))
    return geometry


def from_shapely(geometry) -> QgsGeometry:
    return from_wkb(None if geometry is None else shapely.to_wkb(geometry))


def from_shapely_array(geometries) -> Iterator[QgsGeometry]:
    """from_shapely over an array: the WKB in one call, then one QgsGeometry each."""
    for blob in shapely.to_wkb(np.asarray(geometries, dtype=object)) if len(geometries) else []:
        yield from_wkb(blob)


def new_feature(fields: QgsFields, attributes: list, geometry: QgsGeometry | None = None) -> QgsFeature:
    feature = QgsFeature(fields)
    feature.setAttributes(attributes)
    if geometry is not None:
        feature.setGeometry(geometry)
    return feature


def source_path(uri: str) -> tuple[str | None, str | None]:
    """(file path, layer name) of an OGR data source or output destination, as far as they show."""
    if not uri:
        return None, None
    text = uri
    if is_connection_string(text):  # a database table: no file, whatever its text ends in
        return None, None
    match = re.match(r"^ogr:dbname='([^']*)'\s+table=\"?([^\"\s]+)\"?", text)
    if match:
        return os.path.realpath(match.group(1)), match.group(2)
    parts = text.split("|")
    path = parts[0]
    layer = None
    for option in parts[1:]:
        if option.startswith("layername="):
            layer = option.split("=", 1)[1]
    if not os.path.splitext(path)[1]:
        return None, None
    return os.path.realpath(path), layer
