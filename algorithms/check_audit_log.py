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
from ..core.messages import Refusal, text
from ..core.parameters import Param
from ..core.words import label
from ..qgis_adapter.audit_io import GPKG_FILTER
from ..qgis_adapter.language import ui_is_chinese
from .base import BaseAlgorithm


class CheckAuditLogAlgorithm(BaseAlgorithm):
    NAME = "check_audit_log"

    def _sent_heads(self, parameters, context) -> list:
        """The list of heads sent upward (HEADS), read before anything else: a bad list is refused."""
        path = self.parameterAsFile(parameters, Param.HEADS, context)
        if not path:
            return []
        try:
            with open(path, encoding="utf-8-sig", errors="replace") as handle:
                heads = audit.parse_heads(handle)
        except OSError as error:
            raise Refusal("audit_heads_unreadable", path=path, detail=error.strerror or str(error)) from None
        if not heads:
            raise Refusal("audit_heads_empty", path=path)
        return heads

    def initAlgorithm(self, config=None):
        self.addParameter(
            QgsProcessingParameterFile(Param.INPUT, label("check_audit_log.INPUT"), fileFilter=GPKG_FILTER)
        )
        self.addParameter(
            QgsProcessingParameterString(Param.EXPECTED_HEAD, label("check_audit_log.EXPECTED_HEAD"), optional=True)
        )
        self.addParameter(
            QgsProcessingParameterFile(
                Param.HEADS, label("check_audit_log.HEADS"), fileFilter="Text (*.txt *.csv);;*.*", optional=True
            )
        )
        self.addOutput(QgsProcessingOutputBoolean(Param.VALID, label("check_audit_log.VALID")))
        self.addOutput(QgsProcessingOutputNumber(Param.ENTRIES, label("check_audit_log.ENTRIES")))
        self.addOutput(QgsProcessingOutputNumber(Param.FIRST_BROKEN, label("check_audit_log.FIRST_BROKEN")))
        self.addOutput(QgsProcessingOutputString(Param.HEAD, label("check_audit_log.HEAD")))
        self.addOutput(QgsProcessingOutputNumber(Param.ANCHOR, label("check_audit_log.ANCHOR")))
        self.addOutput(QgsProcessingOutputNumber(Param.HEADS_FOUND, label("check_audit_log.HEADS_FOUND")))
        self.addOutput(QgsProcessingOutputString(Param.HEADS_MISSING, label("check_audit_log.HEADS_MISSING")))

    def execute(self, parameters, context, feedback):
        chinese = ui_is_chinese()
        path = self.parameterAsFile(parameters, Param.INPUT, context)
        expected = self.parameterAsString(parameters, Param.EXPECTED_HEAD, context) or None
        heads = self._sent_heads(parameters, context)
        check = audit.verify_chain(path, expected)
        if check.valid:
            feedback.pushInfo(text("audit_valid", chinese, entries=check.entries, head=check.head))
        elif check.first_broken <= check.entries:
            feedback.reportError(text("audit_broken", chinese, seq=check.first_broken, entries=check.entries))
        if expected and check.anchor >= 0:
            feedback.pushInfo(text("audit_anchor_found", chinese, seq=check.anchor, after=check.entries - check.anchor))
        elif expected and check.first_broken > check.entries:
            feedback.reportError(text("audit_anchor_missing", chinese, expected=expected))
        outputs = {
            Param.VALID: check.valid,
            Param.ENTRIES: check.entries,
            Param.FIRST_BROKEN: check.first_broken,
            Param.HEAD: check.head,
            Param.ANCHOR: check.anchor,
        }
        if heads:  # the list sent upward: every head still there, in the order sent
            sent = audit.check_heads(audit.chain_hashes(path), heads)
            wrong = sorted(sent.missing + sent.out_of_order, key=lambda h: h.line)
            if sent.missing:
                lines = "、".join(str(h.line) for h in sent.missing)
                feedback.reportError(text("audit_heads_missing", chinese, lines=lines))
            if sent.out_of_order:
                lines = "、".join(str(h.line) for h in sent.out_of_order)
                feedback.reportError(text("audit_heads_out_of_order", chinese, lines=lines))
            if sent.all_found:
                feedback.pushInfo(text("audit_heads_found", chinese, count=len(heads), last=sent.found[-1][1]))
            outputs[Param.VALID] = check.valid and sent.all_found
            outputs[Param.HEADS_FOUND] = len(sent.found) - len(sent.out_of_order)
            outputs[Param.HEADS_MISSING] = ",".join(str(h.line) for h in wrong)
        return outputs
