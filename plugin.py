"""The plugin object QGIS holds: registers the Processing provider and the desktop entry points."""

from __future__ import annotations

import os

from qgis.core import Qgis, QgsApplication
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction

from .core.dependencies import missing_dependencies
from .core.messages import text
from .ui.logger import get_logger

HERE = os.path.dirname(__file__)
MENU = "拆除核查"


class DemolitionVerifierPlugin:
    def __init__(self, iface) -> None:
        self.iface = iface  # None under qgis_process
        self.provider = None
        self.actions: list[QAction] = []
        self.toolbar = None
        self.problems = missing_dependencies()

    def _chinese(self) -> bool:
        from .processing.ui_language import ui_is_chinese

        return ui_is_chinese()

    def _dependency_message(self) -> str:
        return "\n".join(
            text("missing_dependency", self._chinese(), detail=p.detail(self._chinese()), fix=p.fix(self._chinese()))
            for p in self.problems
        )

    # -- Processing (qgis_process calls only this) --------------------------------------------------
    def initProcessing(self) -> None:  # noqa: N802
        if self.provider is not None:
            return
        if self.problems:
            get_logger().error(self._dependency_message())
            return
        from .processing.provider import DemolitionVerifierProvider

        self.provider = DemolitionVerifierProvider()
        QgsApplication.processingRegistry().addProvider(self.provider)

    # -- desktop ----------------------------------------------------------------------------------
    def initGui(self) -> None:  # noqa: N802
        self.initProcessing()
        if self.problems and self.iface is not None:
            self.iface.messageBar().pushMessage(MENU, self._dependency_message(), Qgis.Critical, 0)
            return
        icon = QIcon(os.path.join(HERE, "resources", "icons", "icon.svg"))
        action = QAction(icon, "拆除核查…" if self._chinese() else "Verify demolition…", self.iface.mainWindow())
        action.setObjectName("demolitionVerifierRun")
        action.triggered.connect(self.open_verify_dialog)
        self.toolbar = self.iface.addToolBar(MENU)
        self.toolbar.setObjectName("demolitionVerifierToolbar")
        self.toolbar.addAction(action)
        self.iface.addPluginToMenu(MENU, action)
        self.actions.append(action)

    def open_verify_dialog(self) -> None:
        import processing

        processing.execAlgorithmDialog("demolitionverifier:verify")

    def unload(self) -> None:
        for action in self.actions:
            if self.iface is not None:
                self.iface.removePluginMenu(MENU, action)
            action.deleteLater()
        self.actions.clear()
        if self.toolbar is not None:
            self.toolbar.deleteLater()
            self.toolbar = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
