"""`demolitionverifier:export_report`: the bureau's workbook (.xlsx) from a verify OUTPUT.

Written by formats/xlsx.py on the standard library alone: QGIS's own Python has no openpyxl.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from qgis.core import (
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingParameterEnum,
    QgsProcessingParameterExpression,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFileDestination,
)

from ..core.definitions import RankBy
from ..core.gc_pause import paused_gc
from ..core.messages import Refusal, os_error, text
from ..core.parameters import Param
from ..core.report_model import recorded_rank_by, run_info
from ..core.words import LAYER_NAMES, PROGRESS, label
from ..formats.report_workbook import write_report
from ..qgis_adapter.language import ui_is_chinese
from ..qgis_adapter.records import (
    add_allow_older_run,
    add_audit_log_input,
    audit_stamp_and_log,
    layer_name,
    parse_filter,
    read_log_ahead,
    read_patches,
    read_records,
    require_complete,
    require_verify_fields,
    say_runs,
)
from .base import BaseAlgorithm


class ExportReportAlgorithm(BaseAlgorithm):
    NAME = "export_report"

    def initAlgorithm(self, config=None):
        self.addParameter(
            QgsProcessingParameterFeatureSource(Param.INPUT, label("export_report.INPUT"), [QgsProcessing.TypeVector])
        )
        add_audit_log_input(self)
        self.addParameter(
            QgsProcessingParameterExpression(
                Param.FILTER, label("export_report.FILTER"), parentLayerParameterName=Param.INPUT, optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterFileDestination(Param.OUTPUT, label("export_report.OUTPUT"), "Excel (*.xlsx)")
        )
        self.addOutput(QgsProcessingOutputNumber(Param.PATCHES, label("export_report.PATCHES")))
        self.addParameter(
            QgsProcessingParameterEnum(
                Param.RANK_BY,
                label("export_report.RANK_BY"),
                options=[label("verify.RANK_BY.area"), label("verify.RANK_BY.farmland"), label("verify.RANK_BY.count")],
                optional=True,
            )
        )
        add_allow_older_run(self)

    def _rank_by(self, parameters, context, records, read=None) -> RankBy:
        """RANK_BY as given; else as the verify run recorded it in AUDIT_LOG (as read for the stamp);
        else by monitored area."""
        if parameters.get(Param.RANK_BY) not in (None, ""):
            return RankBy(self.parameterAsEnum(parameters, Param.RANK_BY, context))
        log = self.parameterAsFile(parameters, Param.AUDIT_LOG, context) if parameters.get(Param.AUDIT_LOG) else ""
        recorded = recorded_rank_by(log, run_info(records).run_ids, read=read) if log else None
        return recorded if recorded is not None else RankBy.AREA

    def execute(self, parameters, context, feedback):
        # 100 000 records, their log entries and 2 million cells: no cycles among them
        with paused_gc(), ThreadPoolExecutor(max_workers=1) as pool:
            return self._execute(parameters, context, feedback, pool)

    def _execute(self, parameters, context, feedback, pool):
        chinese = ui_is_chinese()
        source = self.parameterAsSource(parameters, Param.INPUT, context)
        name = layer_name(self, parameters, Param.INPUT, context, LAYER_NAMES["RESULTS"])
        indexes = require_verify_fields(source, name)
        output = self.parameterAsFileOutput(parameters, Param.OUTPUT, context)
        if not output.lower().endswith(".xlsx"):
            output += ".xlsx"
        # the text itself (as export_maps): a typo is refused, never a report of the whole county
        filter_text = self.parameterAsString(parameters, Param.FILTER, context) or ""
        expression = parse_filter(filter_text, source.fields())
        feedback.setProgressText(PROGRESS["export_report.read"])
        ahead = read_log_ahead(self, parameters, context, pool)
        # every patch is read (with a log, the outlines too: its decisions cover them), so the log is
        # checked against the whole output; FILTER then picks the patches the report shows
        with_geometry = bool(parameters.get(Param.AUDIT_LOG))
        if expression is not None:
            patches, total = read_patches(
                source,
                indexes,
                feedback,
                with_geometry=with_geometry,
                expression=expression,
                expression_context=self.createExpressionContext(parameters, context, source),
                filter_text=filter_text,
                keep_all=True,
            )
            every = [p.record for p in patches]
            records = [p.record for p in patches if p.chosen]
        else:  # the whole output: read through GDAL's Arrow interface where it is a saved GeoPackage layer
            layer = self.parameterAsVectorLayer(parameters, Param.INPUT, context)
            every, total = read_records(source, indexes, feedback, with_geometry, layer, parameters.get(Param.INPUT))
            records = every
        require_complete(source, total, name)
        stamp, read = audit_stamp_and_log(
            self, parameters, context, feedback, every, complete=True, printed=records, ahead=ahead
        )
        if not records:
            raise Refusal("report_no_patches", total=total, expression=filter_text)
        say_runs(self, parameters, context, feedback, records)
        feedback.setProgress(50)
        feedback.setProgressText(PROGRESS["export_report.write"])
        try:
            write_report(
                records,
                output,
                stamp=stamp,
                rank_by=self._rank_by(parameters, context, records, read),
                scope=filter_text.strip(),
            )
        except OSError as error:
            raise Refusal("export_failed", path=output, detail=os_error(error, with_file=False)) from None
        townships = len({r.township_name for r in records})  # the summary's rows but 合计
        feedback.pushInfo(text("report_written", chinese, path=output, patches=len(records), townships=townships))
        feedback.setProgress(100)
        return {Param.OUTPUT: output, Param.PATCHES: len(records), Param.AUDIT_HEAD: stamp.run_head if stamp else ""}
