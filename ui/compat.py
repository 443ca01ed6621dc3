"""Enum spellings that moved between QGIS 3.22 and QGIS 3.34+/4 (Qt6)."""

from __future__ import annotations

from functools import reduce
from operator import or_

from qgis.core import Qgis, QgsFeatureRequest, QgsFeatureSource, QgsFieldProxyModel, QgsMapLayerProxyModel
from qgis.PyQt.QtCore import Qt


def polygon_layers():
    """The layer-combo filter for polygon layers (Qgis.LayerFilter since 3.34)."""
    enum = getattr(Qgis, "LayerFilter", None) or getattr(QgsMapLayerProxyModel, "Filter", QgsMapLayerProxyModel)
    return enum.PolygonLayer


def field_types(*names: str):
    """A field-combo filter from names such as 'Numeric', 'String' (Qgis.FieldProxyModelFilter later)."""
    enum = (
        getattr(Qgis, "FieldProxyModelFilter", None)
        or getattr(QgsFieldProxyModel, "Filter", None)
        or QgsFieldProxyModel
    )
    return reduce(or_, (getattr(enum, n) for n in names))


def no_geometry_flag():
    """QgsFeatureRequest's NoGeometry flag (Qgis.FeatureRequestFlag since 3.36)."""
    enum = getattr(Qgis, "FeatureRequestFlag", None) or QgsFeatureRequest.Flag
    return enum.NoGeometry


def spatial_index_present():
    """QgsFeatureSource's SpatialIndexPresent (Qgis.SpatialIndexPresence since 3.36)."""
    enum = getattr(Qgis, "SpatialIndexPresence", None)
    return enum.Present if enum is not None else QgsFeatureSource.SpatialIndexPresent


def right_aligned():
    """Right and vertically centred, as item views take it: an int for PyQt5, the flag for PyQt6."""
    flags = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    try:
        return int(flags)
    except TypeError:
        return flags
