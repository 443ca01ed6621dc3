"""`demolitionverifier:bulletin` (进度通报): each township's completion at AS_OF from the campaign log."""

from __future__ import annotations

import os
import tempfile
import time

from qgis.core import (
    QgsProcessing,
    QgsProcessingOutputString,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterString,
)

from ..core import audit
from ..core.bulletin import BULLETIN_FIELDS, Ledger, bulletin_entry, compute_bulletin
from ..core.campaign import china_now, log_time, parse_time, shown_time, time_notices
from ..core.gc_pause import paused_gc
from ..core.messages import text
from ..core.parameters import Param
from ..core.words import BULLETIN_FIELD_ZH, TIMING_ZH, label
from ..formats.bulletin_files import matplotlib_available, write_chart, write_table_csv, write_workbook
from ..qgis_adapter.bulletin_layout import write_bulletin_pdf
from ..qgis_adapter.campaign_io import existing_log, log_input_parameter, versions
from ..qgis_adapter.language import ui_is_chinese
from .base import BaseAlgorithm

MATPLOTLIB_FIX = (
    "Debian/Ubuntu: apt install python3-matplotlib; Windows (OSGeo4W Shell): python -m pip install matplotlib"
)
TABLE_FIELDS = tuple((name, kind, BULLETIN_FIELD_ZH[name]) for name, kind in BULLETIN_FIELDS)


class BulletinAlgorithm(BaseAlgorithm):
    NAME = "bulletin"

    def initAlgorithm(self, config=None):
        self.addParameter(log_input_parameter(label("bulletin.AUDIT_LOG")))
        for name in (Param.AS_OF, Param.COMPARE_TO):
            self.addParameter(QgsProcessingParameterString(name, label(f"bulletin.{name}"), optional=True))
        for name, file_filter in (
            (Param.OUTPUT, "Excel (*.xlsx)"),
            (Param.OUTPUT_PDF, "PDF (*.pdf)"),
            (Param.OUTPUT_CHART, "PNG (*.png)"),
        ):
            self.addParameter(
                QgsProcessingParameterFileDestination(
                    name, label(f"bulletin.{name}"), file_filter, optional=True, createByDefault=False
                )
            )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                Param.OUTPUT_TABLE,
                label("bulletin.OUTPUT_TABLE"),
                QgsProcessing.TypeVector,
                optional=True,
                createByDefault=False,
            )
        )
        self.addOutput(QgsProcessingOutputString(Param.AUDIT_HEAD, label("audit.AUDIT_HEAD")))
        self.addOutput(QgsProcessingOutputString(Param.HEAD, label("check_audit_log.HEAD")))
        self.addOutput(QgsProcessingOutputString(Param.AS_OF, label("bulletin.AS_OF")))
        self.addOutput(QgsProcessingOutputString(Param.COMPARE_TO, label("bulletin.COMPARE_TO")))

    def execute(self, parameters, context, feedback):
        chinese = ui_is_chinese()
        clock = time.perf_counter()
        log = existing_log(self, parameters, context)
        moments = {}
        for key in (Param.AS_OF, Param.COMPARE_TO):
            given = (self.parameterAsString(parameters, key, context) or "").strip()
            if given:
                moments[key] = parse_time(given, key)
        xlsx = self.optional_file(parameters, Param.OUTPUT, context, ".xlsx")
        pdf = self.optional_file(parameters, Param.OUTPUT_PDF, context, ".pdf")
        png = self.optional_file(parameters, Param.OUTPUT_CHART, context, ".png")
        table_wanted = self.optional_table(parameters, Param.OUTPUT_TABLE, context, "table_shapefile")

        with paused_gc():  # the log's entries by the hundred thousand: no cycles among them
            ledger = Ledger(log)  # refuses a broken chain, or a log without a campaign
            as_of = moments[Param.AS_OF].at if Param.AS_OF in moments else china_now()
            bulletin = compute_bulletin(
                ledger, as_of, moments[Param.COMPARE_TO].at if Param.COMPARE_TO in moments else None
            )
        for notice in time_notices(moments):
            feedback.pushInfo(notice.text(chinese))
        computed = time.perf_counter() - clock
        generated = shown_time(china_now())

        outputs: dict[str, str] = {}
        charts = matplotlib_available()
        if not charts and (png or pdf):
            feedback.pushWarning(text("chart_unavailable", chinese, fix=MATPLOTLIB_FIX))
        if xlsx:
            write_workbook(bulletin, xlsx, generated)
            outputs[Param.OUTPUT] = xlsx
        if charts and png:
            write_chart(bulletin, png)
            outputs[Param.OUTPUT_CHART] = png
        if pdf:
            chart = png if Param.OUTPUT_CHART in outputs else None
            temporary = None
            if charts and chart is None:
                handle, temporary = tempfile.mkstemp(suffix=".png", prefix="dv-chart-")
                os.close(handle)
                write_chart(bulletin, temporary)
                chart = temporary
            try:
                note = "" if charts else text("chart_unavailable", chinese, fix=MATPLOTLIB_FIX)
                write_bulletin_pdf(bulletin, pdf, chart, generated, note)
            finally:
                if temporary and os.path.exists(temporary):
                    os.remove(temporary)
            outputs[Param.OUTPUT_PDF] = pdf
        if table_wanted:
            outputs[Param.OUTPUT_TABLE] = self._write_table(parameters, context, bulletin)

        entry = bulletin_entry(bulletin, outputs, audit.who(), versions())
        appended = audit.append(log, [entry])
        total = bulletin.total
        feedback.pushInfo(
            text(
                "bulletin_written",
                chinese,
                as_of=shown_time(bulletin.as_of),
                compare_to=shown_time(bulletin.compare_to),
                done=f"{total.done_area:.1%}",
                passed=total.passed,
                patches=total.patches,
                new=total.new_passed,
                head=bulletin.head,
            )
        )
        feedback.pushInfo(text("audit_appended", chinese, path=log, count=1, entries=appended.last, head=appended.head))
        timing = text("timing_bulletin", False, figures=computed, total=time.perf_counter() - clock)
        feedback.pushInfo(f"{TIMING_ZH} {timing}")  # both languages on one line, as the command line prints it
        return {
            **outputs,
            Param.AUDIT_HEAD: appended.head,
            Param.HEAD: bulletin.head,
            Param.AS_OF: log_time(bulletin.as_of),
            Param.COMPARE_TO: log_time(bulletin.compare_to),
        }

    def _write_table(self, parameters, context, bulletin) -> str:
        return self.write_table(
            parameters,
            Param.OUTPUT_TABLE,
            context,
            TABLE_FIELDS,
            bulletin.rows,
            lambda path: write_table_csv(path, bulletin),
        )
