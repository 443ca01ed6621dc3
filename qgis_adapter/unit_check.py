"""The monitored-area unit checked on the patch layer before a run (core/unit_check.py decides)."""

from __future__ import annotations

from qgis.core import QgsFeatureRequest, QgsVectorLayer

from ..core.area import AreaMeter, parse_crs
from ..core.definitions import AreaMethod, AreaUnit
from ..core.messages import Refusal
from ..core.unit_check import UnitFit, unit_fit
from .layers import crs_text, plain_value, to_shapely

SAMPLE = 2000  # patches read for the check: enough to tell m² from 亩 from 公顷, quick on any county


def check_unit(
    layer: QgsVectorLayer, area_field: str, unit: AreaUnit | int, method: AreaMethod | int
) -> UnitFit | None:
    """How the first patches' monitored areas fit each unit; None when there is nothing to check
    (no field, or an area the engine would refuse to measure: verify says why then)."""
    if layer is None or not area_field or layer.fields().lookupField(area_field) < 0:
        return None
    request = QgsFeatureRequest().setSubsetOfAttributes([area_field], layer.fields()).setLimit(SAMPLE)
    values, geometries = [], []
    for feature in layer.getFeatures(request):
        values.append(plain_value(feature[area_field]))
        geometries.append(feature.geometry() if feature.hasGeometry() else None)
    if not values:
        return None
    try:
        meter = AreaMeter(parse_crs(crs_text(layer.crs()), layer.name()), AreaMethod(method), layer.name())
        areas = meter.measure(to_shapely(geometries)[0])
    except Refusal:
        return None
    return unit_fit(values, areas, unit)
