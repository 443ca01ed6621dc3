"""The Processing provider `demolitionverifier`."""

from __future__ import annotations

import os

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from ..core.definitions import PROVIDER_ID
from ..core.words import PROVIDER_NAME
from ..qgis_adapter.language import ui_is_chinese

ICON = os.path.join(os.path.dirname(os.path.dirname(__file__)), "resources", "icons", "icon.svg")


class DemolitionVerifierProvider(QgsProcessingProvider):
    def id(self) -> str:
        return PROVIDER_ID

    def name(self) -> str:
        return PROVIDER_NAME[0] if ui_is_chinese() else PROVIDER_NAME[1]

    def longName(self) -> str:
        return self.name()

    def icon(self) -> QIcon:
        return QIcon(ICON)

    def svgIconPath(self) -> str:
        return ICON

    def loadAlgorithms(self) -> None:
        for algorithm_class in algorithm_classes():
            self.addAlgorithm(algorithm_class())


def algorithm_classes() -> list:
    """Every algorithm of the provider; one line each."""
    from .accountability import AccountabilityAlgorithm
    from .bulletin import BulletinAlgorithm
    from .campaign import CampaignAlgorithm
    from .check_audit_log import CheckAuditLogAlgorithm
    from .export_maps import ExportMapsAlgorithm
    from .export_report import ExportReportAlgorithm
    from .record_applications import RecordApplicationsAlgorithm
    from .sample_audit import SampleAuditAlgorithm
    from .verify import VerifyAlgorithm

    return [
        VerifyAlgorithm,
        CheckAuditLogAlgorithm,
        SampleAuditAlgorithm,
        ExportMapsAlgorithm,
        ExportReportAlgorithm,
        CampaignAlgorithm,
        RecordApplicationsAlgorithm,
        BulletinAlgorithm,
        AccountabilityAlgorithm,
    ]
