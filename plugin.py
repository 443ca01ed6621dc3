"""The plugin object QGIS holds: the Processing provider (initProcessing, also under qgis_process)
and the desktop entry points (initGui): the dock, its toolbar button and Plugins-menu entries."""

from __future__ import annotations

import os

from qgis.core import Qgis, QgsApplication
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction

from .core.dependencies import missing_dependencies
from .core.messages import text
from .ui.logger import get_logger

HERE = os.path.dirname(__file__)
CONTEXT = "DemolitionVerifierPlugin"


def _tr(message: str) -> str:
    from .ui.i18n import tr

    return tr(CONTEXT, message)


class DemolitionVerifierPlugin:
    def __init__(self, iface) -> None:
        self.iface = iface  # None under qgis_process
        self.provider = None
        self.actions: list[QAction] = []
        self.toolbar = None
        self.dock = None
        self.dock_action: QAction | None = None
        self.translator = None
        self.menu = ""
        self.problems = missing_dependencies()

    def _chinese(self) -> bool:
        from .qgis_adapter.language import ui_is_chinese

        return ui_is_chinese()

    def _dependency_message(self) -> str:
        return "\n".join(
            text("missing_dependency", self._chinese(), detail=p.detail(self._chinese()), fix=p.fix(self._chinese()))
            for p in self.problems
        )

    # -- Processing (qgis_process calls only this) --------------------------------------------------
    def initProcessing(self) -> None:
        if self.provider is not None:
            return
        if self.problems:
            get_logger().error(self._dependency_message())
            return
        from .algorithms.provider import DemolitionVerifierProvider

        self.provider = DemolitionVerifierProvider()
        QgsApplication.processingRegistry().addProvider(self.provider)

    # -- desktop ----------------------------------------------------------------------------------
    def initGui(self) -> None:
        from .ui.i18n import install_translator

        self.translator = install_translator()  # before any widget is made
        self.initProcessing()
        self.menu = _tr("Demolition Verifier")
        if self.problems and self.iface is not None:
            self.iface.messageBar().pushMessage(self.menu, self._dependency_message(), Qgis.MessageLevel.Critical, 0)
            return
        main_window = self.iface.mainWindow()
        icon = QIcon(os.path.join(HERE, "resources", "icons", "icon.svg"))
        self.dock_action = QAction(icon, _tr("Demolition verification panel"), main_window)
        self.dock_action.setObjectName("demolitionVerifierDockAction")
        self.dock_action.setToolTip(_tr("Open the demolition verification panel"))
        self.dock_action.setCheckable(True)
        algorithm_action = QAction(icon, _tr("Verify algorithm (Processing dialog)…"), main_window)
        algorithm_action.setObjectName("demolitionVerifierAlgorithmAction")
        algorithm_action.triggered.connect(self.open_verify_dialog)

        self.toolbar = self.iface.addToolBar(self.menu)
        self.toolbar.setObjectName("demolitionVerifierToolbar")
        self.toolbar.addAction(self.dock_action)
        for action in (self.dock_action, algorithm_action):
            self.iface.addPluginToMenu(self.menu, action)
            self.actions.append(action)

        from .ui.dock import VerifierDock

        # Made now, hidden, so that QGIS can restore where the user left it last time.
        self.dock = VerifierDock(self.iface, main_window)
        self.iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.hide()
        self.dock.setToggleVisibilityAction(self.dock_action)  # the button and menu entry open and close it

    def open_verify_dialog(self) -> None:
        import processing

        processing.execAlgorithmDialog("demolitionverifier:verify")

    def unload(self) -> None:
        if self.dock is not None:
            self.dock.cleanup()
            if self.iface is not None:
                self.iface.removeDockWidget(self.dock)
            self.dock.setParent(None)
            self.dock.deleteLater()
            self.dock = None
        for action in self.actions:
            if self.iface is not None:
                self.iface.removePluginMenu(self.menu, action)
            action.deleteLater()
        self.actions.clear()
        self.dock_action = None
        if self.toolbar is not None:
            self.toolbar.setParent(None)
            self.toolbar.deleteLater()
            self.toolbar = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        if self.translator is not None:
            from .ui.i18n import remove_translator

            remove_translator(self.translator)
            self.translator = None
