"""`demolitionverifier:check_audit_log`: is the audit log's hash chain intact (and does it hold the
head hash kept on paper)? A broken chain is a result (VALID false), not an error."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingOutputBoolean,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterFile,
    QgsProcessingParameterString,
)

from ..core import audit
from ..core.messages import text
from ..core.parameters import Param
from ..qgis_adapter.audit_io import GPKG_FILTER
from ..qgis_adapter.language import ui_is_chinese
from .base import BaseAlgorithm


class CheckAuditLogAlgorithm(BaseAlgorithm):
    NAME = "check_audit_log"
    DISPLAY_ZH = "校验审计日志"
    DISPLAY_EN = "Check audit log"
    HELP_ZH = (
        "重新计算审计日志每条记录的哈希，检查哈希链是否完整：任何一条记录被改动、删除或调换顺序都会使链条断开。"
        "填写报告上记录的链头哈希（EXPECTED_HEAD，完整 64 位或至少前 16 位）还能发现被删除的末尾记录或整体重写的日志；"
        "该哈希之后追加的记录不影响结果。输出 VALID（是否完整）、ENTRIES（记录数）、FIRST_BROKEN（首条出错记录的序号，-1 为无；"
        "给定的链头不在日志中时为 ENTRIES+1）、HEAD（当前链头哈希）。"
    )
    HELP_EN = (
        "Recomputes the hash of every entry of the audit log: an edited, deleted or re-ordered entry breaks the chain. "
        "With EXPECTED_HEAD (a head hash kept on paper: all 64 hex digits, or at least the first 16) a deleted tail or "
        "a rewritten log is caught too; entries appended after that head are fine. Outputs VALID, ENTRIES, "
        "FIRST_BROKEN (sequence number of the first bad entry, -1 when none, ENTRIES+1 when the expected head is "
        "not in the log) and HEAD (the current head hash)."
    )

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFile(Param.INPUT, "审计日志 Audit log", fileFilter=GPKG_FILTER))
        self.addParameter(
            QgsProcessingParameterString(
                Param.EXPECTED_HEAD, "报告上的链头哈希（可选）Expected head hash", optional=True
            )
        )
        self.addOutput(QgsProcessingOutputBoolean(Param.VALID, "完整 Valid"))
        self.addOutput(QgsProcessingOutputNumber(Param.ENTRIES, "记录数 Entries"))
        self.addOutput(QgsProcessingOutputNumber(Param.FIRST_BROKEN, "首条出错记录 First broken entry"))
        self.addOutput(QgsProcessingOutputString(Param.HEAD, "链头哈希 Head hash"))
        self.addOutput(QgsProcessingOutputNumber(Param.ANCHOR, "给定链头所在记录 Entry of the expected head"))

    def execute(self, parameters, context, feedback):
        chinese = ui_is_chinese()
        path = self.parameterAsFile(parameters, Param.INPUT, context)
        expected = self.parameterAsString(parameters, Param.EXPECTED_HEAD, context) or None
        check = audit.verify_chain(path, expected)
        if check.valid:
            feedback.pushInfo(text("audit_valid", chinese, entries=check.entries, head=check.head))
        elif check.first_broken <= check.entries:
            feedback.reportError(text("audit_broken", chinese, seq=check.first_broken, entries=check.entries))
        if expected and check.anchor >= 0:
            feedback.pushInfo(text("audit_anchor_found", chinese, seq=check.anchor, after=check.entries - check.anchor))
        elif expected and check.first_broken > check.entries:
            feedback.reportError(text("audit_anchor_missing", chinese, expected=expected))
        return {
            Param.VALID: check.valid,
            Param.ENTRIES: check.entries,
            Param.FIRST_BROKEN: check.first_broken,
            Param.HEAD: check.head,
            Param.ANCHOR: check.anchor,
        }
