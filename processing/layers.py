"""QGIS layers to the engine's arrays and back. No rule lives here."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureRequest,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsProcessingFeatureSource,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from ..core.messages import Cancelled, Refusal
from .ui_language import ui_is_chinese  # noqa: F401 - re-exported for the algorithms

_QT_TYPES = {"text": QVariant.String, "real": QVariant.Double, "int": QVariant.Int}


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
        QgsWkbTypes.PointGeometry: "点 points",
        QgsWkbTypes.LineGeometry: "线 lines",
        QgsWkbTypes.NullGeometry: "无几何 no geometry",
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
    blobs = []
    for geometry in geometries:
        if geometry is None or geometry.isNull() or geometry.isEmpty():
            blobs.append(None)
            continue
        wkb_type = geometry.wkbType()
        if QgsWkbTypes.isCurvedType(wkb_type) or QgsWkbTypes.hasZ(wkb_type) or QgsWkbTypes.hasM(wkb_type):
            linear = geometry.constGet().segmentize() if QgsWkbTypes.isCurvedType(wkb_type) else geometry.constGet().clone()
            linear.dropZValue()
            linear.dropMValue()
            geometry = QgsGeometry(linear)
        blobs.append(bytes(geometry.asWkb()))
    blob_array = np.array(blobs, dtype=object)
    geoms = shapely.from_wkb(blob_array, on_invalid="ignore")
    failed = np.array([b is not None for b in blobs], dtype=bool) & shapely.is_missing(geoms)
    if failed.any():
        try:  # shapely >= 2.1 closes unclosed rings
            geoms[failed] = shapely.from_wkb(blob_array[failed], on_invalid="fix")
        except ValueError:
            pass  # older shapely: left without geometry, and flagged as repaired
    return geoms, failed


@dataclass
class ReadLayer:
    geometries: np.ndarray
    read_repaired: np.ndarray
    attributes: list[list]
    qgs_geometries: list[QgsGeometry]
    crs: str | None


def read_source(source, feedback=None, with_attributes: bool = True, keep_features: bool = False) -> ReadLayer:
    """All features of a Processing source, skipping QGIS's invalid-geometry check: the engine
    repairs and flags invalid polygons instead of stopping the run."""
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
    geoms, repaired = to_shapely(qgs_geoms)
    return ReadLayer(
        geometries=geoms,
        read_repaired=repaired,
        attributes=attributes,
        qgs_geometries=qgs_geoms if keep_features else [],
        crs=crs_text(source.sourceCrs()),
    )


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
        field = QgsField(name, _QT_TYPES[kind])
        if kind == "real":
            field.setLength(20)
            field.setPrecision(6)
        elif kind == "text":
            field.setLength(254)
        if chinese_alias:
            field.setAlias(alias)
        fields.append(field)
    return fields


def from_shapely(geometry) -> QgsGeometry:
    qgs = QgsGeometry()
    if geometry is not None:
        qgs.fromWkb(shapely.to_wkb(geometry))
    return qgs


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
