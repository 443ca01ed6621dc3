"""The result layers in the project: a re-run replaces them instead of stacking copies."""

from __future__ import annotations

from qgis.core import QgsFeatureRequest, QgsGeometry, QgsProject, QgsVectorLayer

from ..core.definitions import RF
from ..processing.layers import plain_value
from .i18n import tr
from .recheck import ensure_spatial_index
from .settings import ROLE_PROPERTY, ROLE_REMNANTS, ROLE_RESULT, SETUP_PROPERTY, VerifySetup, layers_with_role
from .styles import style_remnants_layer, style_result_layer

CONTEXT = "ResultLayers"


def current(project: QgsProject, role: str) -> QgsVectorLayer | None:
    layers = layers_with_role(project, role)
    return layers[0] if layers else None


def place_results(
    project: QgsProject, result: QgsVectorLayer, remnants: QgsVectorLayer | None, setup: VerifySetup
) -> None:
    """Styles the new layers, removes the previous run's, and puts the new ones on top
    (remnants above the patches)."""
    old = [layer.id() for role in (ROLE_RESULT, ROLE_REMNANTS) for layer in layers_with_role(project, role)]
    if old:
        project.removeMapLayers(old)
    result.setName(tr(CONTEXT, "Verification result"))
    result.setCustomProperty(ROLE_PROPERTY, ROLE_RESULT)
    result.setCustomProperty(SETUP_PROPERTY, setup.to_json())
    style_result_layer(result)
    ensure_spatial_index(result)
    root = project.layerTreeRoot()
    project.addMapLayer(result, False)
    node = root.insertLayer(0, result)
    if remnants is not None:
        remnants.setName(tr(CONTEXT, "Remnants"))
        remnants.setCustomProperty(ROLE_PROPERTY, ROLE_REMNANTS)
        style_remnants_layer(remnants)
        ensure_spatial_index(remnants)
        project.addMapLayer(remnants, False)
        root.insertLayer(0, remnants)
    # The legend (通过 / 不通过 / 未核查) in view: a view that met the node before its legend rows
    # existed shows it folded; toggling makes the view follow the node.
    node.setExpanded(False)
    node.setExpanded(True)


def remnant_pieces(remnants: QgsVectorLayer | None, patch_id: str, around: QgsGeometry | None) -> list[tuple[int, float, QgsGeometry]]:
    """(part, m², geometry) of a patch's remaining pieces, largest first."""
    if remnants is None or around is None or around.isEmpty():
        return []
    request = QgsFeatureRequest().setFilterRect(around.boundingBox())
    pieces = [
        (int(plain_value(f[RF.PART]) or 0), float(plain_value(f[RF.AREA_M2]) or 0.0), f.geometry())
        for f in remnants.getFeatures(request)
        if str(plain_value(f[RF.PATCH_ID])) == patch_id
    ]
    return sorted(pieces, key=lambda p: p[0])
