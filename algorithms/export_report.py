"""`demolitionverifier:export_report`: the bureau's workbook (.xlsx) from a verify OUTPUT.

Written by core/xlsx.py on the standard library alone: QGIS's own Python has no openpyxl.
"""

from __future__ import annotations

from qgis.core import (
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFileDestination,
)

from ..core.messages import Refusal, text
from ..core.parameters import Param
from ..core.report_model import run_info, summary_rows
from ..formats.report_workbook import write_report
from ..qgis_adapter.language import ui_is_chinese
from ..qgis_adapter.records import add_audit_log_input, audit_stamp, layer_name, read_patches, require_verify_fields
from .base import BaseAlgorithm


class ExportReportAlgorithm(BaseAlgorithm):
    NAME = "export_report"
    DISPLAY_ZH = "核查报表"
    DISPLAY_EN = "Export report"
    HELP_ZH = (
        "由核查结果生成 Excel 报表（.xlsx）：乡镇汇总（各状态图斑数、监测面积与通过面积（亩）、面积与图斑完成率、"
        "排名、合计）、图斑明细、按乡镇分组的未通过图斑（不通过与未核查，供逐图斑倒查责任）。每页注明运行编号与核查时间。"
        "指定该次核查的审计日志（AUDIT_LOG）时，每页另注明核查运行后的审计链头哈希，改判的图斑按改判结果统计并注明原计算结果，"
        "存疑的图斑予以标注。"
    )
    HELP_EN = (
        "Writes the report workbook (.xlsx) from a verify OUTPUT: township summary (counts by status, monitored "
        "and passed area in mu, completion by area and by count, rank, total), every patch, and the failed and "
        "unsurveyed patches grouped by township for accountability. Each sheet states the run id and time. "
        "Given the run's AUDIT_LOG, each sheet also prints the log's head hash after the run, overturned patches "
        "count with their final status (the computed one shown beside it) and disputed patches are marked."
    )

    def initAlgorithm(self, config=None):
        self.addParameter(
            QgsProcessingParameterFeatureSource(Param.INPUT, "核查结果 Verified patches", [QgsProcessing.TypeVector])
        )
        add_audit_log_input(self)
        self.addParameter(QgsProcessingParameterFileDestination(Param.OUTPUT, "报表 Report", "Excel (*.xlsx)"))
        self.addOutput(QgsProcessingOutputNumber(Param.PATCHES, "图斑数 Patches"))

    def execute(self, parameters, context, feedback):
        chinese = ui_is_chinese()
        source = self.parameterAsSource(parameters, Param.INPUT, context)
        name = layer_name(self, parameters, Param.INPUT, context, "核查结果")
        indexes = require_verify_fields(source, name)
        output = self.parameterAsFileOutput(parameters, Param.OUTPUT, context)
        if not output.lower().endswith(".xlsx"):
            output += ".xlsx"
        feedback.setProgressText("读取核查结果 Reading results")
        patches, _total = read_patches(source, indexes, feedback, with_geometry=False)
        records = [p.record for p in patches]
        runs = run_info(records).run_ids
        if len(runs) > 1:
            feedback.pushWarning(text("several_runs", chinese, count=len(runs), runs="、".join(runs[:5])))
        stamp = audit_stamp(self, parameters, context, feedback, records, complete=True)
        feedback.setProgress(50)
        feedback.setProgressText("写出报表 Writing the report")
        try:
            write_report(records, output, stamp=stamp)
        except OSError as error:
            raise Refusal("export_failed", path=output, detail=error.strerror or str(error)) from None
        townships = len(summary_rows(records)) - 1
        feedback.pushInfo(text("report_written", chinese, path=output, patches=len(records), townships=townships))
        feedback.setProgress(100)
        return {Param.OUTPUT: output, Param.PATCHES: len(records), Param.AUDIT_HEAD: stamp.run_head if stamp else ""}
