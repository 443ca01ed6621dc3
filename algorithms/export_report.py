"""`demolitionverifier:export_report`: the bureau's workbook (.xlsx) from a verify OUTPUT.

Written by formats/xlsx.py on the standard library alone: QGIS's own Python has no openpyxl.
"""

from __future__ import annotations

from qgis.core import (
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFileDestination,
)

from ..core.allocation import collector_paused
from ..core.definitions import RankBy
from ..core.messages import Refusal, text
from ..core.parameters import Param
from ..core.report_model import recorded_rank_by, run_info
from ..core.words import label
from ..formats.report_workbook import write_report
from ..qgis_adapter.language import ui_is_chinese
from ..qgis_adapter.records import (
    add_audit_log_input,
    audit_stamp_and_log,
    layer_name,
    read_records,
    require_complete,
    require_verify_fields,
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

    def _rank_by(self, parameters, context, records, read=None) -> RankBy:
        """RANK_BY as given; else as the verify run recorded it in AUDIT_LOG (as read for the stamp);
        else by monitored area."""
        if parameters.get(Param.RANK_BY) not in (None, ""):
            return RankBy(self.parameterAsEnum(parameters, Param.RANK_BY, context))
        log = self.parameterAsFile(parameters, Param.AUDIT_LOG, context) if parameters.get(Param.AUDIT_LOG) else ""
        recorded = recorded_rank_by(log, run_info(records).run_ids, read=read) if log else None
        return recorded if recorded is not None else RankBy.AREA

    def execute(self, parameters, context, feedback):
        with collector_paused():  # 100 000 records, their log entries and 2 million cells: no cycles among them
            return self._execute(parameters, context, feedback)

    def _execute(self, parameters, context, feedback):
        chinese = ui_is_chinese()
        source = self.parameterAsSource(parameters, Param.INPUT, context)
        name = layer_name(self, parameters, Param.INPUT, context, "核查结果")
        indexes = require_verify_fields(source, name)
        output = self.parameterAsFileOutput(parameters, Param.OUTPUT, context)
        if not output.lower().endswith(".xlsx"):
            output += ".xlsx"
        feedback.setProgressText("读取核查结果 Reading results")
        # with a log, the outlines too: its decisions cover them
        layer = self.parameterAsVectorLayer(parameters, Param.INPUT, context)
        records, total = read_records(
            source, indexes, feedback, bool(parameters.get(Param.AUDIT_LOG)), layer, parameters.get(Param.INPUT)
        )
        require_complete(source, total, name)
        runs = run_info(records).run_ids
        if len(runs) > 1:
            feedback.pushWarning(text("several_runs", chinese, count=len(runs), runs="、".join(runs[:5])))
        stamp, read = audit_stamp_and_log(self, parameters, context, feedback, records, complete=True)
        feedback.setProgress(50)
        feedback.setProgressText("写出报表 Writing the report")
        try:
            write_report(records, output, stamp=stamp, rank_by=self._rank_by(parameters, context, records, read))
        except OSError as error:
            raise Refusal("export_failed", path=output, detail=error.strerror or str(error)) from None
        townships = len({r.township_name for r in records})  # the summary's rows but 合计
        feedback.pushInfo(text("report_written", chinese, path=output, patches=len(records), townships=townships))
        feedback.setProgress(100)
        return {Param.OUTPUT: output, Param.PATCHES: len(records), Param.AUDIT_HEAD: stamp.run_head if stamp else ""}
