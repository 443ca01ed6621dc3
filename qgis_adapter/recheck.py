"""Re-checking a few patches after the survey was edited, without re-running the county.

No widgets here, so a benchmark can call `recheck_patches` directly. Only the survey (and coverage)
features inside each patch's bounding box are read, through the layer itself, so unsaved edits
count; the engine decides with the same rules as the full run. With the run's farmland inputs
(land classes, basic farmland, approvals) their features in the same boxes are read too, and the
farmland figures and 整改方式 are recomputed with the status (an approval legalises a remainder, basic
farmland fails it: keeping the full run's figures beside a status decided without them would lie). Two facts only the full run can
know are kept from it: the patch's duplicate_id flag and its township (county-wide facts), and the
township summary is not recomputed. `rebuilt` the full run gave stays while the patch still fails.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from qgis.core import (
    QgsCoordinateTransform,
    QgsFeature,
    QgsFeatureRequest,
    QgsGeometry,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)

from ..core.definitions import (
    DEFAULT_FARMLAND_CODES,
    LAND_RESULT_FIELDS,
    REASON_ORDER,
    AreaUnit,
    DockField,
    Reason,
    RemnantField,
    ResultField,
    Status,
)
from ..core.engine import Layer, PatchLayer, Result, Rules, Verifier
from ..core.land import LandInputs, PolygonInput
from ..core.messages import Notice
from ..core.parameters import Param
from ..core.result_columns import RECHECKED, RESULT_NAMES, result_rows
from ..core.revisit import had_rebuilt
from .compat import spatial_index_present
from .layers import crs_text, from_shapely, plain_value, to_shapely


@dataclass
class RecheckOutcome:
    values: dict[int, dict[str, Any]]  # result-layer fid -> field -> new value
    run_id: str = ""
    notices: list[Notice] = field(default_factory=list)
    result: Result | None = None  # the engine's result, reasons as written (for the audit log)
    read: dict[str, list[int]] = field(default_factory=dict)  # SURVEY / COVERAGE -> feature ids read


@dataclass
class LandLayers:
    """The full run's farmland inputs (verify's LAND_CLASS, BASIC_FARMLAND, APPROVALS), each optional."""

    land_class: QgsVectorLayer | None = None
    land_class_field: str = ""
    farmland_codes: Sequence[str] = DEFAULT_FARMLAND_CODES
    basic_farmland: QgsVectorLayer | None = None
    approvals: QgsVectorLayer | None = None
    approval_id_field: str = ""


def ensure_spatial_index(layer: QgsVectorLayer | None) -> None:
    """A memory layer has no spatial index unless asked; without one a bbox request reads it all."""
    if layer is None or layer.providerType() != "memory":
        return
    provider = layer.dataProvider()
    if provider.hasSpatialIndex() != spatial_index_present():
        provider.createSpatialIndex()


def _features_in(layer: QgsVectorLayer, rects: list[QgsRectangle], transform: QgsCoordinateTransform | None) -> dict:
    """fid -> geometry of the features touching any of the rectangles (edit buffer included)."""
    seen: dict[int, QgsGeometry | None] = {}
    for rect in rects:
        if transform is not None:
            rect = transform.transformBoundingBox(rect)
        request = QgsFeatureRequest().setFilterRect(rect).setNoAttributes()
        for feature in layer.getFeatures(request):
            if feature.id() not in seen:
                seen[feature.id()] = feature.geometry() if feature.hasGeometry() else None
    return seen


def _transform(source: QgsVectorLayer, target: QgsVectorLayer) -> QgsCoordinateTransform | None:
    if not (source.crs().isValid() and target.crs().isValid()) or source.crs() == target.crs():
        return None
    return QgsCoordinateTransform(source.crs(), target.crs(), QgsProject.instance())


def _read_other(
    layer: QgsVectorLayer | None, patches: QgsVectorLayer, rects: list[QgsRectangle], read: dict, key: str
) -> Layer | None:
    if layer is None:
        return None
    ensure_spatial_index(layer)
    found = _features_in(layer, rects, _transform(patches, layer))
    read[key] = list(found)
    geoms, repaired = to_shapely(list(found.values()))
    return Layer(layer.name(), geoms, crs_text(layer.crs()), read_repaired=repaired)


def _read_polygons(
    layer: QgsVectorLayer, patches: QgsVectorLayer, rects: list[QgsRectangle], read: dict, key: str, attribute: str
) -> tuple[PolygonInput, list]:
    """The layer's features touching the boxes, as core.land reads them, with one attribute each
    (the feature id where `attribute` is '')."""
    ensure_spatial_index(layer)
    transform = _transform(patches, layer)
    seen: dict[int, tuple[QgsGeometry | None, Any]] = {}
    for rect in rects:
        if transform is not None:
            rect = transform.transformBoundingBox(rect)
        request = QgsFeatureRequest().setFilterRect(rect)
        request.setSubsetOfAttributes([attribute] if attribute else [], layer.fields())
        for feature in layer.getFeatures(request):
            if feature.id() not in seen:
                value = plain_value(feature[attribute]) if attribute else feature.id()
                seen[feature.id()] = (feature.geometry() if feature.hasGeometry() else None, value)
    read[key] = list(seen)
    geoms, repaired = to_shapely([g for g, _v in seen.values()])
    return PolygonInput(layer.name(), geoms, crs_text(layer.crs()), read_repaired=repaired), [
        v for _g, v in seen.values()
    ]


def _read_land(land: LandLayers | None, patches: QgsVectorLayer, rects, read: dict) -> LandInputs | None:
    if land is None or not (land.land_class or land.basic_farmland or land.approvals):
        return None
    inputs = LandInputs(farmland_codes=land.farmland_codes)
    if land.land_class is not None:
        inputs.land_class, inputs.land_codes = _read_polygons(
            land.land_class, patches, rects, read, Param.LAND_CLASS, land.land_class_field
        )
    if land.basic_farmland is not None:
        inputs.basic_farmland, _ids = _read_polygons(
            land.basic_farmland, patches, rects, read, Param.BASIC_FARMLAND, ""
        )
    if land.approvals is not None:
        inputs.approvals, inputs.approval_ids = _read_polygons(
            land.approvals, patches, rects, read, Param.APPROVALS, land.approval_id_field
        )
    return inputs


def _merge_reasons(new: str, old: str) -> str:
    """The engine's reasons for the patch, with duplicate_id as the full run found it."""
    codes = {c for c in new.split(",") if c} - {Reason.DUPLICATE_ID.value}
    if Reason.DUPLICATE_ID.value in (old or "").split(","):
        codes.add(Reason.DUPLICATE_ID.value)
    return ",".join(r.value for r in REASON_ORDER if r.value in codes)


@dataclass
class _Prior:
    final_status: str | None
    reasons: str | None


def _prior_states(features: list[QgsFeature], fields) -> dict[str, _Prior]:
    """A row the full run found rebuilt stays rebuilt while the re-check still fails it (as verify
    decides from its log). A re-check does not newly find a pass rebuilt: right after a run it is
    the user correcting the survey, not a return visit."""
    linked = fields.lookupField(DockField.FINAL_STATUS) >= 0
    out = {}
    for feature in features:
        patch_id = plain_value(feature[ResultField.PATCH_ID])
        status = plain_value(feature[ResultField.STATUS])
        reasons = plain_value(feature[ResultField.REASONS]) or ""
        if patch_id is not None and status == Status.FAIL.value and had_rebuilt(reasons):
            final = (plain_value(feature[DockField.FINAL_STATUS]) if linked else None) or status
            out[str(patch_id)] = _Prior(final, reasons)
    return out


def recheck_patches(
    result_layer: QgsVectorLayer,
    survey_layer: QgsVectorLayer,
    patch_fids: list[int],
    rules: Rules,
    *,
    area_field: str = "",
    coverage_layer: QgsVectorLayer | None = None,
    remnants_layer: QgsVectorLayer | None = None,
    land: LandLayers | None = None,
) -> RecheckOutcome:
    """Re-verifies the patches `patch_fids` of a verify OUTPUT layer against the survey as it is now
    (unsaved edits included) and writes the new figures into that layer (and the patches' pieces
    into `remnants_layer`). `rules`, `area_field` and `land` must be those of the full run.
    Raises core.messages.Refusal when the engine refuses the input."""
    request = QgsFeatureRequest().setFilterFids(list(patch_fids))
    features: list[QgsFeature] = list(result_layer.getFeatures(request))
    if not features:
        return RecheckOutcome({})
    fields = result_layer.fields()
    geometries = [f.geometry() if f.hasGeometry() else None for f in features]
    rects = [g.boundingBox() for g in geometries if g is not None and not g.isEmpty()]

    monitored = None
    if area_field and area_field.lower() not in RESULT_NAMES and fields.lookupField(area_field) >= 0:
        monitored = [plain_value(f[area_field]) for f in features]
    elif area_field:
        # The area field was itself a result field (an earlier output re-verified): its values were
        # replaced by monitor_m2, already in m².
        monitored = [plain_value(f[ResultField.MONITOR_M2]) for f in features]
        rules = Rules(**{**rules.__dict__, "monitored_area_unit": AreaUnit.SQUARE_METRE})
    patch_geoms, patch_repaired = to_shapely(geometries)
    patches = PatchLayer(
        name=result_layer.name(),
        geometries=patch_geoms,
        crs=crs_text(result_layer.crs()),
        read_repaired=patch_repaired,
        ids=[plain_value(f[ResultField.PATCH_ID]) for f in features],
        monitored=monitored,
        townships=[plain_value(f[ResultField.TOWNSHIP]) for f in features],
    )
    read: dict[str, list[int]] = {}
    survey = _read_other(survey_layer, result_layer, rects, read, Param.SURVEY)
    coverage = _read_other(coverage_layer, result_layer, rects, read, Param.COVERAGE)
    land_inputs = _read_land(land, result_layer, rects, read)
    assert survey is not None, "a re-check has its survey layer"
    result = Verifier(
        patches, survey, coverage, rules, prior_states=_prior_states(features, fields), land=land_inputs
    ).run()
    result.reasons = [
        _merge_reasons(new, plain_value(f[ResultField.REASONS]) or "") for new, f in zip(result.reasons, features)
    ]

    # the farmland fields the result layer has and this re-check computed (the full run's inputs)
    land_names = tuple(
        name
        for name, _kind, _alias in LAND_RESULT_FIELDS
        if getattr(result, name, None) is not None and fields.lookupField(name) >= 0
    )
    rows = result_rows(result, RECHECKED + land_names)
    values = {feature.id(): row for feature, row in zip(features, rows)}
    _write_values(result_layer, values)
    if remnants_layer is not None:
        ids = [plain_value(f[ResultField.PATCH_ID]) for f in features]
        _replace_remnants(remnants_layer, ids, rects, result)
    return RecheckOutcome(values, result.run_id, result.notices, result, read)


def _write_values(layer: QgsVectorLayer, values: dict[int, dict[str, Any]]) -> None:
    fields = layer.fields()
    write_changes(
        layer,
        {
            fid: {fields.lookupField(k): v for k, v in row.items() if fields.lookupField(k) >= 0}
            for fid, row in values.items()
        },
    )


def write_changes(layer: QgsVectorLayer, changes: dict[int, dict[int, Any]]) -> None:
    """Attribute changes (fid -> field index -> value) into a result layer, and a repaint."""
    if layer.isEditable():  # the user has it open for editing: go through the edit buffer
        for fid, change in changes.items():
            layer.changeAttributeValues(fid, change)
    else:
        layer.dataProvider().changeAttributeValues(changes)
    layer.triggerRepaint()


def _replace_remnants(layer: QgsVectorLayer, patch_ids: list, rects: list[QgsRectangle], result) -> None:
    ensure_spatial_index(layer)
    wanted = {str(p) for p in patch_ids if p is not None}
    old: set[int] = set()
    for rect in rects:
        request = QgsFeatureRequest().setFilterRect(rect).setSubsetOfAttributes([RemnantField.PATCH_ID], layer.fields())
        old.update(f.id() for f in layer.getFeatures(request) if str(plain_value(f[RemnantField.PATCH_ID])) in wanted)
    provider = layer.dataProvider()
    if old:
        provider.deleteFeatures(list(old))
    parts = result.remnant_parts
    new = []
    for p, n, a, g in zip(parts.patch_index, parts.part, parts.area_m2, parts.geometries):
        feature = QgsFeature(layer.fields())
        feature.setAttribute(RemnantField.PATCH_ID, result.patch_id[p])
        feature.setAttribute(RemnantField.PART, int(n))
        feature.setAttribute(RemnantField.AREA_M2, float(a))
        feature.setGeometry(from_shapely(g))
        new.append(feature)
    if new:
        provider.addFeatures(new)
    layer.updateExtents()
    layer.triggerRepaint()
