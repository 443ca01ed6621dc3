# ruff: noqa: F811 - the dock tests' fixtures, imported by name
"""Fits and flows: the panel opens usably wide in a main window (layer names whole, buttons in view),
a disputed (bold) row shows its whole id, and Tab leaves the table for 核查选中图斑 and the exports.
Real QGIS widgets (pytest-qgis) in a real QMainWindow, as QGIS docks the panel."""

from __future__ import annotations

import sys
from pathlib import Path

from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtTest import QTest
from qgis.PyQt.QtWidgets import QApplication, QMainWindow, QPushButton, QStyleOptionViewItem, QWidget

sys.path.insert(0, str(Path(__file__).resolve().parent))  # --import-mode=importlib: the dock tests' module by name
from test_dock import county, mark, open_dock, plugin, verify  # noqa: F401

LONG_IDS = [
    "130123202400012345",
    "130123202400012346",
    "130123202400012347",
    "130123202400012348",
    "130123202400012349",
]


def settle(rounds: int = 10) -> None:
    for _ in range(rounds):
        QCoreApplication.processEvents()


def test_the_panel_opens_usably_wide(plugin, county, qgis_iface):
    _project, patches, survey = county
    window = QMainWindow()
    window.setCentralWidget(QWidget())
    window.resize(1366, 768)
    dock = plugin.dock
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)  # as QGIS's iface.addDockWidget does
    window.show()
    try:
        open_dock(plugin, patches, survey)
        settle()
        assert dock.width() >= 400, dock.width()
        scroll = dock.widget()
        assert not scroll.horizontalScrollBar().isVisible()
        for combo in (dock.inputs.patches, dock.inputs.survey):
            name = combo.currentText()
            assert name and combo.width() >= combo.fontMetrics().horizontalAdvance(name) + 30, (name, combo.width())
        right = scroll.viewport().width()
        for button in dock.findChildren(QPushButton):
            if button.isVisible():
                assert button.mapTo(scroll.viewport(), button.rect().topRight()).x() <= right, button.objectName()

        # docked narrow (a state restored from an older version): widened on the first show of a session
        dock.hide()
        dock._widened = False
        window.resizeDocks([dock], [298], Qt.Orientation.Horizontal)
        settle()
        dock.show()
        settle()
        assert dock.width() >= 400, dock.width()
    finally:
        window.removeDockWidget(dock)
        dock.setParent(qgis_iface.mainWindow())  # the plugin's, as before: our window goes
        window.close()


def test_a_bold_disputed_row_shows_its_whole_id(plugin, county):
    _project, patches, survey = county
    index = patches.fields().lookupField("JCBH")
    assert patches.dataProvider().changeAttributeValues(
        {f.id(): {index: LONG_IDS[n]} for n, f in enumerate(patches.getFeatures())}
    )
    dock = open_dock(plugin, patches, survey)
    verify(dock)
    mark(dock, LONG_IDS[1], "disputed", "乡镇申辩")
    column = dock.model.COLUMNS.index("patch_id")
    delegate = dock.table.itemDelegate()
    for row in range(dock.proxy.rowCount()):
        cell = dock.proxy.index(row, column)
        if dock.proxy.data(cell) == LONG_IDS[1]:
            assert dock.proxy.data(cell, Qt.ItemDataRole.FontRole).bold()
        option = QStyleOptionViewItem()
        option.font = dock.table.font()
        assert delegate.sizeHint(option, cell).width() <= dock.table.columnWidth(column), dock.proxy.data(cell)


def test_tab_reaches_recheck_and_the_exports(plugin, county):
    _project, patches, survey = county
    dock = open_dock(plugin, patches, survey)
    verify(dock)
    dock.setFloating(True)
    dock.resize(460, 900)
    dock.show()
    dock.activateWindow()
    settle()
    dock.table.setFocus(Qt.FocusReason.TabFocusReason)
    settle()
    assert QApplication.focusWidget() is dock.table
    reached = []
    for _ in range(12):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        settle(3)
        reached.append(QApplication.focusWidget())
    assert reached[0] is dock.recheck_button, reached[0]
    for button in (dock.disputes_button, dock.maps_button, dock.report_button):
        assert button in reached, button.objectName()
