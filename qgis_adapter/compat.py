"""Enum spellings that moved between QGIS 3.22 and QGIS 3.34+/4 (Qt6), in one place."""

from __future__ import annotations

from functools import reduce
from operator import or_

from qgis.core import Qgis, QgsFeatureRequest, QgsFeatureSource, QgsFieldProxyModel, QgsMapLayerProxyModel
from qgis.PyQt.QtCore import Qt


def field_type(kind: str):
    """A QgsField type for 'text', 'real', 'int' or 'int64': QMetaType.Type from QGIS 3.38 (QGIS 4 with
    Qt6 takes nothing else), QVariant.Type before (QGIS 3.22 takes nothing else). field.type() answers
    in the same family, so values from here also compare with it."""
    if Qgis.QGIS_VERSION_INT >= 33800:
        from qgis.PyQt.QtCore import QMetaType

        types = {
            "text": QMetaType.Type.QString,
            "real": QMetaType.Type.Double,
            "int": QMetaType.Type.Int,
            "int64": QMetaType.Type.LongLong,
        }
    else:
        from qgis.PyQt.QtCore import QVariant

        types = {"text": QVariant.String, "real": QVariant.Double, "int": QVariant.Int, "int64": QVariant.LongLong}
    return types[kind]


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
