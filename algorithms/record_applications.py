"""`demolitionverifier:record_applications`: townships' applications for acceptance into the campaign log."""

from __future__ import annotations

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterString,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from ..core import audit
from ..core.campaign import (
    Application,
    ApplicationReason,
    application_entry,
    china_now,
    judge_applications,
    last_decisions,
    log_time,
    logged_applications,
    norm_id,
    parse_time,
    require_campaign,
    require_sound,
    time_notices,
)
from ..core.definitions import APPLICATION_COLUMNS, APPLICATION_FIELDS, AuditEntry
from ..core.messages import Refusal, text
from ..core.parameters import Param
from ..core.words import LAYER_NAMES, NO_ID_ZH, label
from ..qgis_adapter.campaign_io import existing_log, find_column, log_input_parameter, read_table, versions
from ..qgis_adapter.compat import field_type
from ..qgis_adapter.language import ui_is_chinese
from ..qgis_adapter.layers import new_feature
from ..qgis_adapter.writing import add_features, close_sink
from .base import BaseAlgorithm

ID_GUESSES = APPLICATION_COLUMNS["patch_id"]
TOWNSHIP_GUESSES = APPLICATION_COLUMNS["township"]
NOTE_GUESSES = APPLICATION_COLUMNS["note"]
OUTPUT_FIELDS = APPLICATION_FIELDS


class RecordApplicationsAlgorithm(BaseAlgorithm):
    NAME = "record_applications"

    def initAlgorithm(self, config=None):
        self.addParameter(log_input_parameter(label("record_applications.AUDIT_LOG")))
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                Param.INPUT, label("record_applications.INPUT"), [QgsProcessing.TypeVector]
            )
        )
        for name, optional in ((Param.ID_FIELD, True), (Param.APPLIED_AT_FIELD, True), (Param.APPLICANT_FIELD, True)):
            self.addParameter(
                QgsProcessingParameterField(
                    name, label(f"record_applications.{name}"), parentLayerParameterName=Param.INPUT, optional=optional
                )
            )
        self.addParameter(
            QgsProcessingParameterString(Param.APPLIED_AT, label("record_applications.APPLIED_AT"), optional=True)
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                Param.OUTPUT, label("record_applications.OUTPUT"), QgsProcessing.TypeVector
            )
        )
        for name in (Param.ACCEPTED, Param.REFUSED):
            self.addOutput(QgsProcessingOutputNumber(name, label(f"record_applications.{name}")))
        self.addOutput(QgsProcessingOutputString(Param.AUDIT_HEAD, label("audit.AUDIT_HEAD")))

    def execute(self, parameters, context, feedback):
        chinese = ui_is_chinese()
        log = existing_log(self, parameters, context)
        require_sound(log)
        items = audit.entries(log, kinds=(AuditEntry.CAMPAIGN, AuditEntry.AMENDMENT, AuditEntry.APPLICATION))
        campaign = require_campaign(log, [i for i in items if i.entry != AuditEntry.APPLICATION.value])
        table = read_table(self, parameters, Param.INPUT, context, LAYER_NAMES["APPLICATIONS"])

        def column(name: str, guesses=()) -> int | None:
            wanted = self.parameterAsString(parameters, name, context) or None
            index = find_column(table, wanted, guesses)
            if index is None and wanted:
                key = "application_no_id_column" if name == Param.ID_FIELD else "application_column_missing"
                raise Refusal(key, layer=table.name, field=wanted, fields="、".join(table.headers) or "—")
            return index

        id_index = column(Param.ID_FIELD, ID_GUESSES)
        if id_index is None:
            raise Refusal(
                "application_no_id_column",
                layer=table.name,
                field="/".join(ID_GUESSES),
                fields="、".join(table.headers) or "—",
            )
        time_index = column(Param.APPLIED_AT_FIELD)
        applicant_index = column(Param.APPLICANT_FIELD)
        township_index = find_column(table, None, TOWNSHIP_GUESSES)
        note_index = find_column(table, None, NOTE_GUESSES)

        now = china_now()
        given = (self.parameterAsString(parameters, Param.APPLIED_AT, context) or "").strip()
        default = parse_time(given, Param.APPLIED_AT) if given else None
        moments = {Param.APPLIED_AT: default} if default else {}
        applications: list[Application] = []
        normalised: list[tuple[str, str]] = []
        assumed = 0
        for row_number, row in enumerate(table.rows, start=2):  # row 1 is the header
            raw = row[id_index] if id_index < len(row) else None
            patch_id = norm_id(raw)
            if raw is not None and str(raw) != patch_id and not isinstance(raw, float):
                normalised.append((str(raw), patch_id))
            value = row[time_index] if time_index is not None and time_index < len(row) else None
            if value in (None, ""):
                moment = default
                at = moment.at if moment else now
            else:
                try:
                    moment = parse_time(value, Param.APPLIED_AT_FIELD)
                except Refusal:
                    raise Refusal("application_bad_time", row=row_number, patch=patch_id, value=value) from None
                assumed += moment.zone_assumed
                at = moment.at

            applications.append(
                Application(
                    patch_id, at, _cell(row, applicant_index), _cell(row, township_index), _cell(row, note_index)
                )
            )
        for notice in time_notices(moments):
            feedback.pushInfo(notice.text(chinese))
        if assumed:
            feedback.pushInfo(
                text("time_zone_assumed", chinese, name=f"{Param.APPLIED_AT_FIELD} ×{assumed}", time="+08:00")
            )
        if normalised:
            example, normal = normalised[0]
            feedback.pushInfo(
                text("applications_ids_normalised", chinese, count=len(normalised), example=example, normal=normal)
            )

        earlier = logged_applications(items)
        decided = last_decisions(audit.decision_rows(log))
        judged = judge_applications(applications, campaign, earlier, decided, int(now.timestamp()))
        source = {"source": table.source, "rows": len(table.rows), "who_sent": table.name}
        entry = application_entry(campaign, judged, source, audit.who(), versions())

        # the result table first (all or nothing), then the log
        fields = QgsFields()
        for name, kind, alias in OUTPUT_FIELDS:
            field = QgsField(name, QVariant.Bool if kind == "bool" else field_type(kind))
            field.setAlias(alias)
            fields.append(field)
        sink, dest = self.parameterAsSink(
            parameters, Param.OUTPUT, context, fields, QgsWkbTypes.NoGeometry, QgsCoordinateReferenceSystem()
        )
        features = [new_feature(fields, [a.patch_id, log_time(a.applied_at), a.accepted, a.reason]) for a in judged]
        add_features(sink, features, dest)
        close_sink(sink)
        del sink

        counts = {r: sum(a.reason == r for a in judged) for r in (ApplicationReason.LATE, ApplicationReason.UNKNOWN_ID, ApplicationReason.DUPLICATE)}  # fmt: skip
        accepted = sum(a.accepted for a in judged)
        head = audit.verify_chain(log).head
        if entry is not None:
            appended = audit.append(log, [entry])
            head = appended.head
            feedback.pushInfo(text("audit_appended", chinese, path=log, count=1, entries=appended.last, head=head))
        else:
            feedback.pushInfo(text("applications_none_appended", chinese))
        feedback.pushInfo(
            text(
                "applications_recorded",
                chinese,
                total=len(judged),
                accepted=accepted,
                late=counts[ApplicationReason.LATE],
                unknown=counts[ApplicationReason.UNKNOWN_ID],
                duplicate=counts[ApplicationReason.DUPLICATE],
            )
        )
        unknown = [a.patch_id or NO_ID_ZH for a in judged if a.reason == ApplicationReason.UNKNOWN_ID]
        if unknown:
            feedback.pushWarning(text("applications_unknown", chinese, examples="、".join(unknown[:50])))
        return {
            Param.OUTPUT: dest,
            Param.ACCEPTED: accepted,
            Param.REFUSED: len(judged) - accepted,
            Param.AUDIT_HEAD: head,
        }


def _cell(row: list, index: int | None) -> str | None:
    if index is None or index >= len(row) or row[index] in (None, ""):
        return None
    return str(row[index]).strip()
