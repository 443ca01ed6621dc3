"""The dock on a laptop (a 1366 x 768 screen leaves about 420 px for it), the township filter across a
re-run, and 核查时间 in local time. Real QGIS (pytest-qgis), driven as in test_dock.py."""

from __future__ import annotations

import os
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from qgis.PyQt.QtCore import QCoreApplication, QDateTime, Qt
from qgis.PyQt.QtWidgets import QPushButton, QScrollArea

sys.path.insert(0, str(Path(__file__).resolve().parent))  # --import-mode=importlib: the dock tests' module by name
from test_dock import LIU_TOWN, ZH_TOWN, click_row, county, open_dock, plugin, table_rows, verify  # noqa: F401

LAPTOP = (420, 760)


def settle() -> None:
    for _ in range(5):
        QCoreApplication.processEvents()


def at_laptop_width(dock, png: Path) -> None:
    """The dock alone at 420 x 760: everything in width, nothing behind a horizontal scroll bar."""
    dock.setFloating(True)
    dock.resize(*LAPTOP)
    settle()
    scroll = dock.widget()
    assert isinstance(scroll, QScrollArea)
    assert dock.minimumSizeHint().width() <= 440
    assert scroll.widget().minimumSizeHint().width() <= 440 - scroll.verticalScrollBar().sizeHint().width()
    assert not scroll.horizontalScrollBar().isVisible(), "nothing falls off the right edge"
    right = scroll.viewport().width()
    for widget in (
        dock.progress,
        dock.counts_label,
        dock.search,
        dock.township_filter,
        *dock.findChildren(QPushButton),
    ):
        if widget.isVisible():
            edge = widget.mapTo(scroll.viewport(), widget.rect().topRight()).x()
            assert edge <= right, (widget.objectName(), edge, right)
    assert dock.grab().save(str(png))


def test_the_dock_fits_a_laptop_screen(plugin, county, tmp_path):  # noqa: F811 - the fixtures imported above
    _project, patches, survey = county
    dock = open_dock(plugin, patches, survey)
    dock.inputs.rules_box.setCollapsed(False)  # every input shown: the widest the dock gets
    at_laptop_width(dock, tmp_path / "dock_inputs.png")
    verify(dock)
    assert dock.counts_label.wordWrap()
    at_laptop_width(dock, tmp_path / "dock_results.png")
    if os.environ.get("DV_DOCK_PNG"):  # to look at it: DV_DOCK_PNG=/tmp/dock.png pytest ...
        dock.grab().save(os.environ["DV_DOCK_PNG"])


def test_the_township_filter_survives_a_rerun(plugin, county):  # noqa: F811 - the fixtures imported above
    _project, patches, survey = county
    dock = open_dock(plugin, patches, survey)
    verify(dock)
    dock.status_filter.setCurrentIndex(dock.status_filter.findData("fail"))
    dock.township_filter.setCurrentIndex(dock.township_filter.findData(LIU_TOWN))
    assert [r["Patch id"] for r in table_rows(dock)] == ["H4"]
    verify(dock)  # the result layers are replaced: the table empties, then fills
    assert dock.status_filter.currentData() == "fail"
    assert dock.township_filter.currentData() == LIU_TOWN
    assert [r["Patch id"] for r in table_rows(dock)] == ["H4"]
    # the user's next choice is the one kept
    dock.township_filter.setCurrentIndex(dock.township_filter.findData(ZH_TOWN))
    verify(dock)
    assert dock.township_filter.currentData() == ZH_TOWN
    assert [r["Patch id"] for r in table_rows(dock)] == ["H2"]
    dock.township_filter.setCurrentIndex(0)
    verify(dock)
    assert dock.township_filter.currentData() is None and len(table_rows(dock)) == 2


@pytest.fixture
def china_time():
    saved = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Shanghai"
    time.tzset()
    yield
    if saved is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = saved
    time.tzset()


def test_checked_at_in_local_time(china_time):
    from demolition_verifier.ui.detail import local_time

    assert local_time("2026-11-26T05:24:37+00:00") == "2026-11-26 13:24:37"
    assert local_time("2026-11-26T05:24:37.250+00:00") == "2026-11-26 13:24:37"
    assert local_time("2026-11-26T13:24:37+08:00") == "2026-11-26 13:24:37"
    assert local_time(QDateTime.fromString("2026-11-26T05:24:37Z", Qt.DateFormat.ISODate)) == "2026-11-26 13:24:37"
    assert local_time(None) == "" and local_time("") == ""
    assert local_time("not a time") == "not a time"


def test_the_detail_shows_local_time_and_run_id(plugin, county):  # noqa: F811 - the fixtures imported above
    from demolition_verifier.core.definitions import ResultField

    _project, patches, survey = county
    dock = open_dock(plugin, patches, survey)
    verify(dock)
    click_row(dock, "H2")
    feature = next(f for f in dock.result_layer().getFeatures() if f[ResultField.PATCH_ID] == "H2")
    raw, run_id = str(feature[ResultField.CHECKED_AT]), str(feature[ResultField.RUN_ID])
    shown = dock.detail.values["checked"].text()
    expected = datetime.fromisoformat(raw).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    assert shown.startswith(expected) and run_id in shown, (raw, shown)
    assert "T" not in shown.split("·")[0] and "+00:00" not in shown
