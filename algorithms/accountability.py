"""`demolitionverifier:accountability` (倒查责任清单): every task patch not finally passed at AS_OF, its
history in the campaign log and the three responsibilities traced for it."""

from __future__ import annotations

import hashlib
import os

from qgis.core import (
    Qgis,
    QgsFeatureRequest,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingFeatureSource,
    QgsProcessingOutputBoolean,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterString,
    QgsWkbTypes,
)

from ..core import audit
from ..core.accountability import compute_list, open_ledger, read_responsibilities
from ..core.campaign import china_now, log_time, norm_id, parse_time, shown_time, time_notices
from ..core.definitions import ACCOUNTABILITY_FIELDS, PATCH_ID_GUESSES, SQUARE_METRES_PER_MU, AuditEntry
from ..core.messages import Refusal, text
from ..core.parameters import Param
from ..core.wording import patch_figures
from ..core.words import ACCOUNTABILITY_ZH, LAYER_NAMES, MAP_LAYER_NAMES, SHEET_HISTORY, VERIFICATION_MAP, label
from ..formats.accountability_files import applied_words as applied_text
from ..formats.accountability_files import (
    event_cells,
    head_line,
    responsibility_lines,
    title,
    write_table_csv,
    write_workbook,
)
from ..qgis_adapter.campaign_io import existing_log, log_input_parameter, read_table, versions
from ..qgis_adapter.compat import field_type
from ..qgis_adapter.dossier_layout import add_history, history_layer
from ..qgis_adapter.language import ui_is_chinese
from ..qgis_adapter.layers import plain_value, require_field, source_path
from ..qgis_adapter.map_layout import DEFAULT_TEMPLATE, PageLayers
from ..qgis_adapter.records import ReadPatch, layer_name
from .base import BaseAlgorithm
from .export_maps import PagePhotos, _add, _memory_layer, coverage_layer, crs_label, figures_layer, metric_crs, render

ID_GUESSES = PATCH_ID_GUESSES


class AccountabilityAlgorithm(BaseAlgorithm):
    NAME = "accountability"

    def flags(self):
        # the dossier is a print layout (a Qt graphics scene) in a project of its own: main thread only
        flag = getattr(getattr(Qgis, "ProcessingAlgorithmFlag", None), "NoThreading", None)
        return super().flags() | (flag if flag is not None else QgsProcessingAlgorithm.FlagNoThreading)

    def initAlgorithm(self, config=None):
        self.addParameter(log_input_parameter(label("accountability.AUDIT_LOG")))
        self.addParameter(QgsProcessingParameterString(Param.AS_OF, label("accountability.AS_OF"), optional=True))
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                Param.RESPONSIBILITIES, label("accountability.RESPONSIBILITIES"), [QgsProcessing.TypeVector]
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                Param.PATCHES, label("accountability.PATCHES"), [QgsProcessing.TypeVector], optional=True
            )
        )
        for name in (Param.PATCH_ID_FIELD, Param.PARTY_FIELD):
            self.addParameter(
                QgsProcessingParameterField(
                    name, label(f"accountability.{name}"), parentLayerParameterName=Param.PATCHES, optional=True
                )
            )
        for name, file_filter in ((Param.OUTPUT, "Excel (*.xlsx)"), (Param.OUTPUT_PDF, "PDF (*.pdf)")):
            self.addParameter(
                QgsProcessingParameterFileDestination(
                    name, label(f"accountability.{name}"), file_filter, optional=True, createByDefault=False
                )
            )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                Param.OUTPUT_TABLE,
                label("accountability.OUTPUT_TABLE"),
                QgsProcessing.TypeVector,
                optional=True,
                createByDefault=False,
            )
        )
        self.addOutput(QgsProcessingOutputNumber(Param.LISTED, label("accountability.LISTED")))
        self.addOutput(QgsProcessingOutputBoolean(Param.PROVISIONAL, label("accountability.PROVISIONAL")))
        self.addOutput(QgsProcessingOutputString(Param.AUDIT_HEAD, label("audit.AUDIT_HEAD")))
        self.addOutput(QgsProcessingOutputString(Param.HEAD, label("check_audit_log.HEAD")))
        self.addOutput(QgsProcessingOutputString(Param.AS_OF, label("accountability.AS_OF")))

    def execute(self, parameters, context, feedback):
        chinese = ui_is_chinese()
        log = existing_log(self, parameters, context)
        given = (self.parameterAsString(parameters, Param.AS_OF, context) or "").strip()
        moments = {Param.AS_OF: parse_time(given, Param.AS_OF)} if given else {}
        xlsx = self.optional_file(parameters, Param.OUTPUT, context, ".xlsx")
        pdf = self.optional_file(parameters, Param.OUTPUT_PDF, context, ".pdf")
        table_wanted = self.optional_table(parameters, Param.OUTPUT_TABLE, context, "accountability_table_shapefile")

        patches = self._patches(parameters, context, with_geometry=bool(pdf))
        if pdf and patches is None:
            raise Refusal("accountability_pdf_needs_patches")
        responsibilities = self._responsibilities(parameters, context)
        ledger = open_ledger(log)  # refuses a broken chain, or a log without a campaign
        parties = {pid: party for pid, (party, _g) in patches[2].items() if party} if patches else None
        listing = compute_list(ledger, responsibilities, moments[Param.AS_OF].at if moments else None, parties)
        for notice in time_notices(moments):
            feedback.pushInfo(notice.text(chinese))
        for notice in listing.notices:
            (feedback.pushWarning if notice.level == "warning" else feedback.pushInfo)(notice.text(chinese))
        generated = shown_time(china_now())

        outputs: dict[str, str] = {}
        if xlsx:
            write_workbook(listing, xlsx, generated)
            outputs[Param.OUTPUT] = xlsx
        if pdf:
            self._dossier(listing, patches, pdf, context, feedback, chinese)
            outputs[Param.OUTPUT_PDF] = pdf
        if table_wanted:
            outputs[Param.OUTPUT_TABLE] = self._write_table(parameters, context, listing)

        recorded = {name: {"destination": value, "sha256": _sha256(value)} for name, value in outputs.items()}
        entry = audit.NewEntry(
            AuditEntry.ACCOUNTABILITY.value,
            dict(listing.entry_data(), outputs=recorded, who=audit.who(), **versions()),
        )
        appended = audit.append(log, [entry])
        listed_mu = sum(r.monitor_m2 for r in listing.rows) / SQUARE_METRES_PER_MU
        feedback.pushInfo(
            text(
                "accountability_written",
                chinese,
                as_of=shown_time(listing.as_of),
                tasks=listing.tasks,
                listed=len(listing.rows),
                mu=f"{listed_mu:,.2f}",
                head=listing.head,
            )
        )
        feedback.pushInfo(text("audit_appended", chinese, path=log, count=1, entries=appended.last, head=appended.head))
        return {
            **outputs,
            Param.LISTED: len(listing.rows),
            Param.PROVISIONAL: listing.provisional,
            Param.AUDIT_HEAD: appended.head,
            Param.HEAD: listing.head,
            Param.AS_OF: log_time(listing.as_of),
        }

    # -- inputs ------------------------------------------------------------------------------------
    def _responsibilities(self, parameters, context):
        try:
            table = read_table(self, parameters, Param.RESPONSIBILITIES, context, LAYER_NAMES["RESPONSIBILITIES"])
        except Refusal as refusal:
            if refusal.key == "application_unreadable":
                raise Refusal("responsibility_unreadable", **refusal.values) from None
            raise
        source = {"source": table.source, "name": table.name, "rows": len(table.rows)}
        if table.source and os.path.isfile(table.source):
            source["sha256"] = _sha256(table.source)
        return read_responsibilities(table.headers, table.rows, source)

    def _patches(self, parameters, context, with_geometry: bool):
        """(source, layer name, {normalised id: (party, geometry)}) of PATCHES; None when not given."""
        source = self.parameterAsSource(parameters, Param.PATCHES, context) if parameters.get(Param.PATCHES) else None
        if source is None:
            return None
        name = layer_name(self, parameters, Param.PATCHES, context, LAYER_NAMES["PATCHES"])
        wanted = self.parameterAsString(parameters, Param.PATCH_ID_FIELD, context) or None
        names = source.fields().names()
        if wanted:
            id_index = require_field(source, name, wanted)
        else:
            id_index = next((names.index(g) for g in ID_GUESSES if g in names), None)
            if id_index is None:
                raise Refusal(
                    "accountability_patch_id_missing", layer=name, field="/".join(ID_GUESSES), fields=", ".join(names)
                )
        party_index = require_field(source, name, self.parameterAsString(parameters, Param.PARTY_FIELD, context))
        if with_geometry and QgsWkbTypes.geometryType(source.wkbType()) != QgsWkbTypes.PolygonGeometry:
            raise Refusal("accountability_not_polygons", layer=name)
        request = QgsFeatureRequest()
        attributes = [id_index] + ([party_index] if party_index is not None else [])
        request.setSubsetOfAttributes(attributes)
        if not with_geometry:
            request.setFlags(QgsFeatureRequest.NoGeometry)
        rows: dict[str, tuple[str | None, object]] = {}
        for feature in source.getFeatures(request, QgsProcessingFeatureSource.FlagSkipGeometryValidityChecks):
            values = feature.attributes()
            patch_id = norm_id(plain_value(values[id_index]))
            if not patch_id or patch_id in rows:
                continue
            party = norm_id(plain_value(values[party_index])) if party_index is not None else ""
            geometry = feature.geometry() if with_geometry and feature.hasGeometry() else None
            rows[patch_id] = (party or None, geometry)
        return source, name, rows

    # -- outputs -----------------------------------------------------------------------------------
    def _write_table(self, parameters, context, listing) -> str:
        return self.write_table(
            parameters, Param.OUTPUT_TABLE, context, ACCOUNTABILITY_FIELDS, listing.rows,
            lambda path: write_table_csv(path, listing),  # BOM and .csvt, as spreadsheets read them
        )  # fmt: skip

    def _dossier(self, listing, patches, output: str, context, feedback, chinese: bool) -> None:
        """One 验收图 page per listed patch (export_maps' template, layers and atlas), the history table
        in the photos' place, the responsibilities among the figures, the head hash and AS_OF below."""
        source, _name, rows = patches
        pages, missing = [], []
        for row in listing.rows:
            geometry = rows.get(row.patch_id, (None, None))[1]
            if geometry is None or geometry.isEmpty():
                missing.append(row.patch_id)
            else:
                pages.append((row, geometry))
        if missing:
            feedback.pushWarning(
                text("accountability_no_geometry", chinese, count=len(missing), examples="、".join(missing[:10]))
            )
        if not pages:
            raise Refusal("no_pages", total=len(listing.rows), expression="—")
        crs = source.sourceCrs()
        map_crs = metric_crs(crs, source.sourceExtent())
        read = [ReadPatch(row.record, geometry) for row, geometry in pages]
        layers = PageLayers(
            coverage=coverage_layer(read, crs, source.wkbType(), PagePhotos.empty(len(read), given=False)),
            figures=figures_layer(read, crs, lines=lambda i, _page: _figure_lines(pages[i][0])),
            context=_context_layer(rows, crs, source.wkbType()),
            remnants=None,
            evidence=None,
            basemap=None,
        )
        history = history_layer(
            [[event_cells(e) for e in row.history] for row, _g in pages],
            lambda count: ACCOUNTABILITY_ZH["earlier"].format(count=count),
        )
        variables = {
            "dv_title": f"{title(listing)} · {VERIFICATION_MAP}",
            "dv_crs": crs_label(map_crs if map_crs.isValid() else crs),
            "dv_basemap": "",
            "dv_audit": f"\n{head_line(listing, short=True)}",
            "dv_audit_head": listing.head,
        }
        render(
            layers,
            map_crs if map_crs.isValid() else crs,
            DEFAULT_TEMPLATE,
            variables,
            output,
            feedback,
            feedback,
            decorate=lambda layout: add_history(layout, history, SHEET_HISTORY),
        )


def _figure_lines(row) -> list[tuple[str, str]]:
    """The 验收图's figures (core/wording.patch_figures over the log's latest decision), then the
    application and the three responsibilities."""
    lines = [*patch_figures(row.record), (ACCOUNTABILITY_ZH["applied"], applied_text(row))]
    return lines + [(role, _wrap(value)) for role, value in responsibility_lines(row)]


def _wrap(value: str, width: int = 20) -> str:
    return "\n".join(value[i : i + width] for i in range(0, len(value), width))


def _context_layer(rows, crs, wkb_type):
    """Every patch of PATCHES, for the page's surroundings (export_maps' context layer reads a verify
    output's patch_id; PATCHES here is any patch layer)."""
    layer = _memory_layer(
        QgsWkbTypes.displayString(wkb_type), crs, MAP_LAYER_NAMES["other_patches"], (("patch_id", field_type("text")),)
    )
    _add(layer, [([pid], geometry) for pid, (_party, geometry) in rows.items() if geometry is not None])
    layer.dataProvider().createSpatialIndex()
    return layer


def _sha256(path: str) -> str | None:
    path, _layer = source_path(path)
    if not path or not os.path.isfile(path):
        return None
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
