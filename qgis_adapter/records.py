"""A verify OUTPUT layer read back as PatchRecords, for the maps and the report."""

from __future__ import annotations

from concurrent.futures import Executor, Future
from dataclasses import dataclass

from qgis.core import (
    QgsExpression,
    QgsExpressionContext,
    QgsFeatureRequest,
    QgsFields,
    QgsGeometry,
    QgsProcessingFeatureSource,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFile,
)

from ..core import audit
from ..core.definitions import LAND_RESULT_FIELDS, RESULT_FIELDS
from ..core.messages import Cancelled, Refusal, text
from ..core.parameters import Param
from ..core.report_model import AuditStamp, PatchRecord, apply_audit_log, row_columns, run_info
from ..core.run_trail import one_trail
from ..core.words import label
from .language import ui_is_chinese
from .layers import plain_value, source_path, to_shapely
from .reading import read_gpkg_arrow

VERIFY_FIELDS = [name for name, _kind, _alias in RESULT_FIELDS]


@dataclass
class ReadPatch:
    record: PatchRecord
    geometry: QgsGeometry | None
    chosen: bool = True  # kept by the filter (read_patches(keep_all=True) also returns the others)


def layer_name(algorithm, parameters, name: str, context, fallback: str) -> str:
    """What the user calls the layer: its table or its name in the project."""
    layer = algorithm.parameterAsVectorLayer(parameters, name, context)
    if layer is None:
        return fallback
    _path, table = source_path(layer.source())
    return table or layer.name()


def require_verify_fields(source, name: str) -> dict[str, int]:
    """Field indexes of the verify result fields; a layer lacking any of them is refused."""
    fields = source.fields()
    indexes = {f: fields.lookupField(f) for f in VERIFY_FIELDS}
    missing = [f for f, i in indexes.items() if i < 0]
    if missing:
        raise Refusal("not_verify_output", layer=name, fields=", ".join(missing))
    for land_field, _kind, _alias in LAND_RESULT_FIELDS:  # the farmland fields, where the run wrote them
        if fields.lookupField(land_field) >= 0:
            indexes[land_field] = fields.lookupField(land_field)
    return indexes


def read_patches(
    source,
    indexes: dict[str, int],
    feedback=None,
    with_geometry: bool = True,
    expression: QgsExpression | None = None,
    expression_context: QgsExpressionContext | None = None,
    filter_text: str = "",
    keep_all: bool = False,
) -> tuple[list[ReadPatch], int]:
    """The patches of a verify OUTPUT (those passing `expression` when given; with keep_all every
    patch, those it does not keep with chosen False) and how many there are in all. Invalid
    geometries are read as they are: these tools draw and count, they do not measure, so QGIS's
    invalid-geometry check must not stop them."""
    request = QgsFeatureRequest()
    if not with_geometry:
        request.setFlags(QgsFeatureRequest.NoGeometry)
    context = expression_context or QgsExpressionContext()
    if expression is not None:
        expression.prepare(context)
    out: list[ReadPatch] = []
    total = 0
    for feature in source.getFeatures(request, QgsProcessingFeatureSource.FlagSkipGeometryValidityChecks):
        total += 1
        if feedback is not None and total % 1000 == 1 and feedback.isCanceled():
            raise Cancelled()
        chosen = True
        if expression is not None:
            context.setFeature(feature)
            value = plain_value(expression.evaluate(context))
            if expression.hasEvalError():
                raise Refusal("bad_filter", expression=filter_text, detail=expression.evalErrorString())
            chosen = bool(value)
            if not chosen and not keep_all:
                continue
        attributes = feature.attributes()
        values = {f: plain_value(attributes[i]) for f, i in indexes.items()}
        geometry = feature.geometry() if with_geometry and feature.hasGeometry() else None
        out.append(ReadPatch(PatchRecord.from_values(values), geometry, chosen))
    if with_geometry:  # what the log's decisions cover: the outline each row prints
        for patch, digest in zip(out, audit.geometry_hashes(to_shapely(p.geometry for p in out)[0])):
            patch.record.evidence = {"geom_hash": digest}
    return out, total


def read_records(
    source, indexes: dict[str, int], feedback=None, with_evidence: bool = False, layer=None, value=None
) -> tuple[list[PatchRecord], int]:
    """read_patches' records (their outlines' hashes with_evidence) and how many features there are,
    for an export that prints no outline (the report). A whole GeoPackage layer as saved (`layer`,
    the parameter's `value`) is read through GDAL's Arrow interface (reading.py): the same values
    and hashes without a QGIS feature per patch."""
    fast = _arrow_records(source, indexes, with_evidence, layer, value) if layer is not None else None
    if fast is not None:
        if feedback is not None and feedback.isCanceled():
            raise Cancelled()
        return fast
    patches, total = read_patches(source, indexes, feedback, with_geometry=with_evidence)
    return [p.record for p in patches], total


def _arrow_records(source, indexes, with_evidence: bool, layer, value) -> tuple[list[PatchRecord], int] | None:
    fields = QgsFields()
    for index in indexes.values():
        fields.append(source.fields().at(index))
    try:
        read = read_gpkg_arrow(layer, value, source, fields=fields, columns_only=True)  # by field: no rows made
    except Refusal:
        return None  # a damaged file: QGIS reads it, and the export refuses it in its own words, as before
    if read is None or read.columns is None:
        return None
    records = PatchRecord.from_columns(dict(zip(indexes, read.columns)))
    if with_evidence:  # what the log's decisions cover: the outline each row prints
        for record, digest in zip(records, audit.geometry_hashes(read.geometries)):
            record.evidence = {"geom_hash": digest}
    return records, len(records)


def remnants_evidence(source, patches: list[ReadPatch]) -> None:
    """Each patch's remnants hash over the REMNANTS layer's parts under its id (core/audit/evidence.py),
    so an edited remnants layer shows against the log. A layer without patch_id is not checked."""
    index = source.fields().lookupField("patch_id")
    if index < 0:
        return
    keys, geometries = [], []
    request = QgsFeatureRequest().setSubsetOfAttributes([index])
    for feature in source.getFeatures(request, QgsProcessingFeatureSource.FlagSkipGeometryValidityChecks):
        value = plain_value(feature.attributes()[index])
        keys.append(None if value in (None, "") else str(value))
        geometries.append(feature.geometry() if feature.hasGeometry() else None)
    grouped = audit.grouped_hashes(keys, to_shapely(geometries)[0])
    for patch in patches:
        evidence = dict(patch.record.evidence or {})
        evidence["remnants_hash"] = grouped.get(patch.record.patch_id or None, audit.EMPTY_GROUP)
        patch.record.evidence = evidence


def require_complete(source, total: int, name: str) -> None:
    """A verify OUTPUT read whole: an empty one (an interrupted write, a table emptied) is no result
    to print as "all passed", and a read that stopped short of the count the provider keeps (a
    damaged file) is no result either."""
    if total == 0:
        raise Refusal("export_empty_input", layer=name)
    count = source.featureCount()
    if count >= 0 and count != total:
        raise Refusal("export_input_short", layer=name, read=total, count=count)


def parse_filter(text: str, fields=None) -> QgsExpression | None:
    """The FILTER expression, refused with the parser's words when it does not parse, and when it
    names a field the layer lacks (QGIS would read it as NULL and silently select nothing)."""
    if not text or not text.strip():
        return None
    expression = QgsExpression(text)
    if expression.hasParserError():
        raise Refusal("bad_filter", expression=text, detail=expression.parserErrorString())
    if fields is not None:
        unknown = sorted(
            c
            for c in expression.referencedColumns()
            if c != QgsFeatureRequest.ALL_ATTRIBUTES and fields.lookupField(c) < 0
        )
        if unknown:
            raise Refusal(
                "filter_unknown_field", expression=text, unknown=", ".join(unknown), fields=", ".join(fields.names())
            )
    return expression


# -- the audit log the verify run wrote to: its head hash and the auditors' marks -----------
AUDIT_LOG_FILTER = "GeoPackage (*.gpkg *.GPKG)"


def add_audit_log_input(algorithm) -> None:
    """The exports' optional AUDIT_LOG (an existing log: exporting never writes to it) and the
    AUDIT_HEAD output (the head hash printed, empty when none is)."""
    algorithm.addParameter(
        QgsProcessingParameterFile(
            Param.AUDIT_LOG, label("audit.AUDIT_LOG"), fileFilter=AUDIT_LOG_FILTER, optional=True
        )
    )
    algorithm.addOutput(QgsProcessingOutputString(Param.AUDIT_HEAD, label("export.AUDIT_HEAD")))


def audit_stamp(
    algorithm, parameters, context, feedback, records: list[PatchRecord], complete: bool = False
) -> AuditStamp | None:
    """Reads AUDIT_LOG when given: marks the records' reviews and returns the head hashes to print;
    what it found is said in the run's log. complete: the records are the whole output (the report)."""
    return audit_stamp_and_log(algorithm, parameters, context, feedback, records, complete)[0]


def add_allow_older_run(algorithm) -> None:
    """The exports' ALLOW_OLDER_RUN: print rows the log decided again later, marked as not the latest."""
    algorithm.addParameter(
        QgsProcessingParameterBoolean(
            Param.ALLOW_OLDER_RUN, label(f"{algorithm.NAME}.ALLOW_OLDER_RUN"), defaultValue=False, optional=True
        )
    )


def read_log_ahead(algorithm, parameters, context, pool: Executor) -> Future | None:
    """AUDIT_LOG read in `pool` (audit.read_log) while the export reads its layer: SQLite reading the
    log and GDAL reading the layer let go of the interpreter, so the two share the machine's cores.
    Its refusal, if any, comes where audit_stamp_and_log takes the result, as it would unread."""
    log = algorithm.parameterAsFile(parameters, Param.AUDIT_LOG, context) if parameters.get(Param.AUDIT_LOG) else ""
    return pool.submit(audit.read_log, log) if log else None


def audit_stamp_and_log(
    algorithm,
    parameters,
    context,
    feedback,
    records: list[PatchRecord],
    complete: bool = False,
    printed: list[PatchRecord] | None = None,
    ahead: Future | None = None,
) -> tuple[AuditStamp | None, audit.LogRead | None]:
    """audit_stamp, and the log as it was read (once) for whatever else the export takes from it.
    printed: the records the export prints (all by default): those must be their patches' latest
    decisions unless ALLOW_OLDER_RUN (core.report_model.apply_audit_log). ahead: the log as
    read_log_ahead reads it."""
    log = algorithm.parameterAsFile(parameters, Param.AUDIT_LOG, context) if parameters.get(Param.AUDIT_LOG) else ""
    if not log:
        return None, None
    allow_older = algorithm.parameterDefinition(Param.ALLOW_OLDER_RUN) is not None and algorithm.parameterAsBoolean(
        parameters, Param.ALLOW_OLDER_RUN, context
    )
    columns = row_columns(records)  # (while the log is still being read, where it is read ahead)
    read = ahead.result() if ahead is not None else audit.read_log(log)
    stamp, notices = apply_audit_log(
        log, records, complete, read=read, allow_older=allow_older, printed=printed, columns=columns
    )
    chinese = ui_is_chinese()
    for notice in notices:
        (feedback.pushWarning if notice.level == "warning" else feedback.pushInfo)(notice.text(chinese))
    return stamp, read


def say_runs(algorithm, parameters, context, feedback, records: list[PatchRecord]) -> None:
    """Rows of several runs: one trail (a verify run and the dock's re-checks of it, in AUDIT_LOG)
    is said as such; any other mix is warned about, as layers of separate runs merged by hand."""
    runs = run_info(records).run_ids
    if len(runs) <= 1:
        return
    chinese = ui_is_chinese()
    log = algorithm.parameterAsFile(parameters, Param.AUDIT_LOG, context) if parameters.get(Param.AUDIT_LOG) else ""
    trail = one_trail(log, runs)
    if trail is not None:
        rechecks = trail.rechecks
        feedback.pushInfo(
            text("one_trail", chinese, run=trail.verify_run, count=len(rechecks), rechecks="、".join(rechecks[:5]))
        )
    else:
        feedback.pushWarning(text("several_runs", chinese, count=len(runs), runs="、".join(runs[:5])))
