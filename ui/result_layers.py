"""The result layers in the project: a re-run replaces them instead of stacking copies."""

from __future__ import annotations

from qgis.core import QgsFeatureRequest, QgsField, QgsGeometry, QgsProject, QgsVectorLayer

from ..core.definitions import DOCK_FIELDS, DockField, Mark, RemnantField, ResultField
from ..qgis_adapter.compat import field_type, no_geometry_flag
from ..qgis_adapter.layers import plain_value
from ..qgis_adapter.recheck import ensure_spatial_index, write_changes
from .i18n import tr
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
    add_review_fields(result)
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


def remnant_pieces(
    remnants: QgsVectorLayer | None, patch_id: str, around: QgsGeometry | None
) -> list[tuple[int, float, QgsGeometry]]:
    """(part, m², geometry) of a patch's remaining pieces, largest first."""
    if remnants is None or around is None or around.isEmpty():
        return []
    request = QgsFeatureRequest().setFilterRect(around.boundingBox())
    pieces = [
        (int(plain_value(f[RemnantField.PART]) or 0), float(plain_value(f[RemnantField.AREA_M2]) or 0.0), f.geometry())
        for f in remnants.getFeatures(request)
        if str(plain_value(f[RemnantField.PATCH_ID])) == patch_id
    ]
    return sorted(pieces, key=lambda p: p[0])


# -- where the audit log's marks stand, on the map, so a reviewer sees disputes without opening them ---
def add_review_fields(layer: QgsVectorLayer) -> bool:
    """Adds final_st and dispute (core.definitions.DOCK_FIELDS, Chinese aliases) to the dock's own
    result layer, a memory layer; another provider (a user's file) is left as it is. True when the
    layer has both fields afterwards."""
    missing = [(name, alias) for name, _kind, alias in DOCK_FIELDS if layer.fields().lookupField(name) < 0]
    if missing and layer.providerType() == "memory":
        layer.dataProvider().addAttributes([QgsField(name, field_type("text"), "string") for name, _alias in missing])
        layer.updateFields()
    for name, _kind, alias in DOCK_FIELDS:
        index = layer.fields().lookupField(name)
        if index >= 0 and not layer.attributeAlias(index):
            layer.setFieldAlias(index, alias)
    return all(layer.fields().lookupField(name) >= 0 for name, _kind, _alias in DOCK_FIELDS)


def write_review(layer: QgsVectorLayer, states: dict) -> int:
    """Writes each patch's final status and dispute state (core.audit.PatchState per patch id, as
    ui/audit_link.standing_states gives them) into final_st / dispute; the status field keeps the
    computed status. A patch without a standing state gets its computed status and no dispute.
    Returns how many features changed."""
    if not add_review_fields(layer):
        return 0
    fields = layer.fields()
    names = [ResultField.PATCH_ID, ResultField.STATUS, DockField.FINAL_STATUS, DockField.DISPUTE]
    index = {name: fields.lookupField(name) for name in names}
    request = QgsFeatureRequest().setFlags(no_geometry_flag()).setSubsetOfAttributes(names, fields)
    changes: dict[int, dict[int, object]] = {}
    for feature in layer.getFeatures(request):
        state = states.get(str(plain_value(feature[ResultField.PATCH_ID]) or ""))
        status = plain_value(feature[ResultField.STATUS])
        dispute = (state.dispute or None) if state is not None else None
        overturned = dispute == Mark.OVERTURNED.value and state.final_status
        final = state.final_status if overturned else status
        new = {DockField.FINAL_STATUS: final, DockField.DISPUTE: dispute}
        change = {index[k]: v for k, v in new.items() if plain_value(feature[k]) != v}
        if change:
            changes[feature.id()] = change
    if not changes:
        return 0
    write_changes(layer, changes)
    return len(changes)
