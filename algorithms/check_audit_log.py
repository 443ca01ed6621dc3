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
from ..core.words import label
from ..qgis_adapter.audit_io import GPKG_FILTER
from ..qgis_adapter.language import ui_is_chinese
from .base import BaseAlgorithm


class CheckAuditLogAlgorithm(BaseAlgorithm):
    NAME = "check_audit_log"

    def initAlgorithm(self, config=None):
        self.addParameter(
            QgsProcessingParameterFile(Param.INPUT, label("check_audit_log.INPUT"), fileFilter=GPKG_FILTER)
        )
        self.addParameter(
            QgsProcessingParameterString(Param.EXPECTED_HEAD, label("check_audit_log.EXPECTED_HEAD"), optional=True)
        )
        self.addOutput(QgsProcessingOutputBoolean(Param.VALID, label("check_audit_log.VALID")))
        self.addOutput(QgsProcessingOutputNumber(Param.ENTRIES, label("check_audit_log.ENTRIES")))
        self.addOutput(QgsProcessingOutputNumber(Param.FIRST_BROKEN, label("check_audit_log.FIRST_BROKEN")))
        self.addOutput(QgsProcessingOutputString(Param.HEAD, label("check_audit_log.HEAD")))
        self.addOutput(QgsProcessingOutputNumber(Param.ANCHOR, label("check_audit_log.ANCHOR")))

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
