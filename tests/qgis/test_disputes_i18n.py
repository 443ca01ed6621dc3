"""The dispute dialog speaks the dock's language: its texts are English sources translated by the
plugin's .qm (resources/i18n), the marks and statuses come from core/words.py. A Chinese user sees
the Chinese dialog; any other locale the English one."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from qgis.core import QgsSettings
from qgis.PyQt.QtWidgets import QDialogButtonBox, QFormLayout
from qgis_layers import box_wkt, memory_layer

from demolition_verifier.core import audit
from demolition_verifier.ui.disputes import DisputeDialog
from demolition_verifier.ui.i18n import install_translator, remove_translator

ROOT = Path(__file__).resolve().parents[2]
X0, Y0 = 39_550_000.0, 3_880_000.0


@pytest.fixture
def log(processing, tmp_path):
    """A2 verified (fails: a remnant of about 200 m²), then overturned to pass."""
    path = tmp_path / "audit.gpkg"
    patches = memory_layer(
        "patches",
        [box_wkt(X0, Y0, X0 + 100, Y0 + 100), box_wkt(X0 + 200, Y0, X0 + 300, Y0 + 100)],
        "EPSG:4527",
        [("JCBH", str), ("XZQMC", str)],
        [["A1", "城关镇"], ["A2", "城关镇"]],
    )
    survey = memory_layer("survey", [box_wkt(X0 + 210, Y0 + 10, X0 + 230, Y0 + 20)], "EPSG:4527")
    processing.run(
        "demolitionverifier:verify",
        {
            "PATCHES": patches,
            "PATCH_ID_FIELD": "JCBH",
            "TOWNSHIP_FIELD": "XZQMC",
            "SURVEY": survey,
            "OUTPUT": "memory:",
            "AUDIT_LOG": str(path),
        },
    )
    audit.mark_patch(str(path), "A2", "overturned", "现场复核：残留为集装箱，已运走", "pass", "钱七")
    return str(path)


@pytest.fixture
def language():
    """language("zh-Hans") chooses the locale and loads the plugin's translation as the plugin does."""
    settings = QgsSettings()
    saved = settings.value("locale/overrideFlag"), settings.value("locale/userLocale")
    translators = []

    def choose(name: str) -> None:
        settings.setValue("locale/overrideFlag", True)
        settings.setValue("locale/userLocale", name)
        subprocess.run(["bash", str(ROOT / "scripts" / "translations.sh")], check=True, cwd=ROOT)
        translators.append(install_translator())

    yield choose
    for translator in translators:
        remove_translator(translator)
    for key, value in zip(("locale/overrideFlag", "locale/userLocale"), saved):
        if value is None:
            settings.remove(key)
        else:
            settings.setValue(key, value)


def shown(dialog: DisputeDialog) -> dict:
    form = dialog.findChild(QFormLayout)
    buttons = dialog.findChild(QDialogButtonBox)
    history = [dialog.table.item(0, c).text() for c in range(dialog.table.columnCount())]
    return {
        "title": dialog.windowTitle(),
        "headers": [dialog.table.horizontalHeaderItem(c).text() for c in range(dialog.table.columnCount())],
        "form": [form.labelForField(w).text() for w in (dialog.mark_box, dialog.status_box, dialog.note)],
        "marks": [dialog.mark_box.itemText(i) for i in range(dialog.mark_box.count())],
        "placeholder": dialog.note.placeholderText(),
        "buttons": (buttons.button(QDialogButtonBox.StandardButton.Close).text(), dialog.record_button.text()),
        "summary": dialog.summary.text(),
        "first_entry": history[2],
        "first_detail": re.sub(r"\d+\.\d\d", "N", history[5].split("；")[0]),  # ellipsoidal m²
        "mark_entry": dialog.table.item(1, 2).text(),
    }


def test_the_chinese_dialog(log, language, qgis_app):
    language("zh-Hans")
    dialog = DisputeDialog(log, "A2")
    assert shown(dialog) == {
        "title": "图斑 A2 · 存疑与改判",
        "headers": ["序号", "时间", "事项", "运行编号", "结果", "说明"],
        "form": ["标记", "改判为", "说明"],
        "marks": ["存疑", "维持", "改判"],
        "placeholder": "说明理由（必填）",
        "buttons": ("关闭", "记录"),
        "summary": "核查结果：不通过；最终结果：通过；争议状态：改判",
        "first_entry": "核查",
        "first_detail": "剩余 N m²",
        "mark_entry": "改判",
    }
    unknown = DisputeDialog(log, "Z9")
    assert unknown.summary.text() == f"审计日志“{log}”中没有图斑 Z9 的核查记录：请先带审计日志运行核查。"


def test_the_english_dialog(log, language, qgis_app):
    language("en_US")
    dialog = DisputeDialog(log, "A2")
    assert shown(dialog) == {
        "title": "Patch A2 · disputes",
        "headers": ["#", "Time", "Entry", "Run", "Result", "Detail"],
        "form": ["Mark", "New status", "Note"],
        "marks": ["disputed", "upheld", "overturned"],
        "placeholder": "Why (required)",
        "buttons": ("Close", "Record"),
        "summary": "Computed: fail; final: pass; dispute: overturned",
        "first_entry": "verified",
        "first_detail": "remaining N m²",
        "mark_entry": "overturned",
    }
    unknown = DisputeDialog(log, "Z9")
    assert unknown.summary.text() == (
        f"The audit log “{log}” holds no decision for patch Z9: run verify with the audit log first."
    )
