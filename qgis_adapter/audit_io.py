"""QGIS side of the audit log: the AUDIT_LOG parameters, content hashes of the layers a run read,
and the run entry. The log itself (the hash chain) is core/audit/."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import shapely
from qgis.core import (
    Qgis,
    QgsFeatureRequest,
    QgsProcessingFeatureSourceDefinition,
    QgsProcessingOutputString,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QByteArray, QDate, QDateTime, Qt, QTime

from ..core import audit
from ..core.definitions import RunKind
from ..core.messages import Refusal, text
from ..core.parameters import Param
from ..core.words import label
from .credentials import redact
from .language import ui_is_chinese
from .layers import LAYER_PARAMETER_TYPES, plain_value, source_path, to_shapely

GPKG_FILTER = "GeoPackage (*.gpkg *.GPKG)"
RUN_KINDS = tuple(RunKind)


def qgis_version() -> str:
    return Qgis.version() if hasattr(Qgis, "version") else Qgis.QGIS_VERSION


# -- parameters -----------------------------------------------------------------------------------
def _advanced(parameter: QgsProcessingParameterDefinition) -> QgsProcessingParameterDefinition:
    flag = getattr(QgsProcessingParameterDefinition, "FlagAdvanced", None)
    if flag is None:  # QGIS >= 3.36 without the old alias
        flag = Qgis.ProcessingParameterFlag.Advanced
    parameter.setFlags(parameter.flags() | flag)
    return parameter


def audit_log_parameter(description: str = label("audit.AUDIT_LOG")) -> QgsProcessingParameterFileDestination:
    """Optional; a log that does not exist yet is created; nothing is written unless one is given."""
    return QgsProcessingParameterFileDestination(
        Param.AUDIT_LOG, description, fileFilter=GPKG_FILTER, optional=True, createByDefault=False
    )


def add_audit_parameters(algorithm) -> None:
    """verify's AUDIT_LOG, AUDIT_USER (the person's name), AUDIT_KIND (0 verify, 1 re-check) and
    the AUDIT_HEAD output."""
    algorithm.addParameter(audit_log_parameter())
    algorithm.addParameter(
        _advanced(QgsProcessingParameterString(Param.AUDIT_USER, label("audit.AUDIT_USER"), optional=True))
    )
    algorithm.addParameter(
        _advanced(
            QgsProcessingParameterEnum(
                Param.AUDIT_KIND,
                label("audit.AUDIT_KIND"),
                options=[label("audit.AUDIT_KIND.verify"), label("audit.AUDIT_KIND.recheck")],
                defaultValue=0,
                optional=True,
            )
        )
    )
    algorithm.addOutput(QgsProcessingOutputString(Param.AUDIT_HEAD, label("audit.AUDIT_HEAD")))


def audit_log_target(algorithm, parameters, context) -> str | None:
    """The log to append to, checked before the run so that a wrong file leaves no output."""
    if not parameters.get(Param.AUDIT_LOG):
        return None
    path = algorithm.parameterAsFileOutput(parameters, Param.AUDIT_LOG, context)
    if not path:
        return None
    try:
        audit.check_target(path)
    except Refusal as refusal:
        if refusal.key != "audit_log_unwritable":
            raise
        raise Refusal("audit_log_unwritable_before", **refusal.values) from None
    return path


# -- content hashes -------------------------------------------------------------------------------
def plain_attribute(value: Any) -> Any:
    """Attribute values as machine-independent JSON values (dates as ISO 8601, bytes as hex)."""
    value = plain_value(value)
    if isinstance(value, QDateTime):
        return value.toString(Qt.DateFormat.ISODateWithMs) if value.isValid() else None
    if isinstance(value, (QDate, QTime)):
        return value.toString(Qt.DateFormat.ISODate) if value.isValid() else None
    if isinstance(value, QByteArray):
        return bytes(value).hex()
    if isinstance(value, (list, tuple)):
        return [plain_attribute(v) for v in value]
    return audit.plain(value)


def _canonical_attributes(row: Sequence) -> str:
    """audit.canonical of a row's plain_attribute values; plain rows without a call per value."""
    text = audit.canonical_plain(row)
    return text if text is not None else audit.canonical([plain_attribute(v) for v in row])


def _hashes_attributes(geometries, attributes, field_names) -> bool:
    return bool(field_names) and attributes is not None and len(attributes) == len(geometries)


def content_hash(geometries, attributes: Sequence[Sequence] | None, field_names: Sequence[str] | None) -> str:
    """SHA-256 over the features in a fixed order (each feature's own digest, sorted), so the
    provider's feature order does not matter. A feature's digest covers the 2D linear WKB the engine
    reads (little-endian) and, where fields are given, its attributes; the layer's hash also covers
    the field names."""
    blobs = shapely.to_wkb(geometries, byte_order=1, output_dimension=2) if len(geometries) else []
    with_attributes = _hashes_attributes(geometries, attributes, field_names)
    rows = attributes if with_attributes and attributes is not None else []
    names = list(field_names) if with_attributes and field_names is not None else []
    digests = []
    for i, blob in enumerate(blobs):
        h = hashlib.sha256(blob if blob is not None else b"")
        if with_attributes:
            h.update(b"\x1e" + _canonical_attributes(rows[i]).encode("utf-8"))
        digests.append(h.digest())
    digests.sort()
    layer = hashlib.sha256(audit.canonical(names).encode("utf-8"))
    for digest in digests:
        layer.update(digest)
    return layer.hexdigest()


def input_record(source: str, geometries, attributes=None, field_names=None, selected_only: bool = False) -> dict:
    path, _table = source_path(source)
    record = {
        "source": redact(source),
        "path": path,  # absolute, where the source is a file
        "features": len(geometries),
        "content_hash": content_hash(geometries, attributes, field_names),
        "hashed": "geometry+attributes" if _hashes_attributes(geometries, attributes, field_names) else "geometry",
    }
    if selected_only:
        record["selected_only"] = True
    return record


def layer_record(layer, feature_ids: Sequence[int] | None = None, with_attributes: bool = True) -> dict:
    """The dock's record of a QgsVectorLayer as it stands, unsaved edits included (a re-check).
    verify hashes the survey and coverage without attributes (it does not read them): pass
    with_attributes=False for those to get the hash verify gives."""
    request = QgsFeatureRequest()
    if not with_attributes:
        request.setNoAttributes()
    if feature_ids is not None:
        request.setFilterFids(list(feature_ids))
    qgs_geoms, attributes = [], []
    for feature in layer.getFeatures(request):
        qgs_geoms.append(feature.geometry() if feature.hasGeometry() else None)
        attributes.append(feature.attributes())
    geometries, _repaired = to_shapely(qgs_geoms)
    names = layer.fields().names() if with_attributes else None
    return input_record(layer.source(), geometries, attributes, names, feature_ids is not None)


# -- the verify run -------------------------------------------------------------------------------
def _source_text(algorithm, parameters, name: str, context) -> tuple[str, bool]:
    value = parameters.get(name)
    selected = isinstance(value, QgsProcessingFeatureSourceDefinition) and value.selectedFeaturesOnly
    layer = algorithm.parameterAsVectorLayer(parameters, name, context)
    return (layer.source() if layer is not None else algorithm.parameterAsString(parameters, name, context)), selected


def parameter_record(algorithm, parameters, context, outputs: dict) -> dict:
    """Every parameter as the run used it (layers by source, outputs by destination)."""
    out: dict[str, Any] = {}
    for definition in algorithm.parameterDefinitions():
        name, kind = definition.name(), definition.type()
        if kind in LAYER_PARAMETER_TYPES:
            out[name] = redact(_source_text(algorithm, parameters, name, context)[0]) if parameters.get(name) else None
        elif kind == "sink":
            out[name] = redact(outputs.get(name)) if isinstance(outputs.get(name), str) else outputs.get(name)
        elif kind == "enum":
            out[name] = algorithm.parameterAsEnum(parameters, name, context)
        elif kind == "number":
            out[name] = algorithm.parameterAsDouble(parameters, name, context)
        elif kind == "boolean":
            out[name] = algorithm.parameterAsBoolean(parameters, name, context)
        elif kind == "fileDestination":
            out[name] = algorithm.parameterAsFileOutput(parameters, name, context) or None
        else:
            out[name] = redact(algorithm.parameterAsString(parameters, name, context)) or None
    return out


def record_verify_run(
    algorithm,
    log: str | None,
    parameters,
    context,
    feedback,
    result,
    read: dict,
    outputs: dict,
    digests: dict | None = None,
) -> dict:
    """Appends the run and its decisions; prints the head hash. read: parameter name -> (source,
    ReadLayer) of the layers the run read (None for an absent optional one); digests: output
    parameter -> SHA-256 of what it holds (the run entry names each output with it)."""
    if not log:
        return {}
    inputs = {}
    for name, pair in read.items():
        if pair is None or pair[0] is None or pair[1] is None:
            continue
        source, layer = pair
        source_text, selected = _source_text(algorithm, parameters, name, context)
        attributes = getattr(layer, "attributes", None) or None
        inputs[name] = input_record(source_text, layer.geometries, attributes, source.fields().names(), selected)
    kind = RUN_KINDS[algorithm.parameterAsEnum(parameters, Param.AUDIT_KIND, context)]
    user = algorithm.parameterAsString(parameters, Param.AUDIT_USER, context) or None
    written = {
        name: {"destination": redact(str(outputs[name])), "sha256": (digests or {}).get(name)}
        for name in (Param.OUTPUT, Param.OUTPUT_REMNANTS, Param.OUTPUT_SUMMARY)
        if outputs.get(name)
    }
    patches = read.get(Param.PATCHES)
    evidence = audit.evidence_of(patches[1].geometries if patches and patches[1] is not None else None, result)
    appended = audit.append_run(
        log,
        result,
        inputs,
        parameter_record(algorithm, parameters, context, outputs),
        kind,
        user,
        qgis_version(),
        outputs=written,
        evidence=evidence,
    )
    feedback.pushInfo(
        text(
            "audit_appended",
            ui_is_chinese(),
            path=log,
            count=appended.last - appended.first + 1,
            entries=appended.last,
            head=appended.head,
        )
    )
    return {Param.AUDIT_LOG: log, Param.AUDIT_HEAD: appended.head}


def record_recheck(
    log: str,
    result,
    layers: dict[str, tuple[Any, Sequence[int] | None] | None],
    parameters: dict[str, Any],
    user_name: str | None = None,
) -> str:
    """The dock's re-check as a run of kind re-check; returns the new head hash.

    layers: PATCHES / SURVEY / COVERAGE -> (QgsVectorLayer, ids of the features the re-check
    read, or None for the whole layer). Giving the ids keeps a one-patch re-check fast on a county
    layer; edits not yet saved are hashed as they stand. The survey and coverage are hashed without
    attributes, as verify does. parameters: the rules used (e.g. dataclasses.asdict(rules)).
    """
    inputs = {}
    for name, pair in layers.items():
        if pair is None or pair[0] is None:
            continue
        layer, ids = pair
        inputs[name] = layer_record(layer, ids, with_attributes=name == Param.PATCHES)
    appended = audit.append_run(log, result, inputs, parameters, RunKind.RECHECK, user_name, qgis_version())
    return appended.head
