"""Left in English no more: the 验收图's footer names the CGCS2000 CRS in Chinese (pdftotext, not
normalised: what a PDF viewer's search finds), and verify's timing line is Chinese for a Chinese UI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from export_data import X0, Y0, verified_county
from qgis.core import QgsSettings
from qgis_layers import RecordingFeedback

sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture
def chinese():
    settings = QgsSettings()
    saved = settings.value("locale/overrideFlag"), settings.value("locale/userLocale")
    settings.setValue("locale/overrideFlag", True)
    settings.setValue("locale/userLocale", "zh-Hans")
    yield
    for key, value in zip(("locale/overrideFlag", "locale/userLocale"), saved):
        if value is None:
            settings.remove(key)
        else:
            settings.setValue(key, value)


def test_footer_names_the_crs_in_chinese(processing, tmp_path):
    county = verified_county(processing, tmp_path)  # EPSG:4527
    path = tmp_path / "maps.pdf"
    processing.run("demolitionverifier:export_maps", {"INPUT": county["OUTPUT"], "OUTPUT": str(path)})
    raw = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True).stdout
    assert "坐标系：CGCS2000 3度带高斯-克吕格 第39带（EPSG:4527）" in raw.replace("\n", "")
    assert "Gauss" not in raw


def test_verify_timing_in_chinese(processing, chinese):
    feedback = RecordingFeedback()

    from demolition_verifier.qgis_adapter.language import ui_is_chinese

    assert ui_is_chinese()
    from qgis_layers import box_wkt, memory_layer

    patches = memory_layer("patches", [box_wkt(X0, Y0, X0 + 100, Y0 + 100)], "EPSG:4527", [("JCBH", str)], [["H1"]])
    survey = memory_layer("survey", [box_wkt(X0 + 10, Y0 + 10, X0 + 20, Y0 + 20)], "EPSG:4527")
    processing.run(
        "demolitionverifier:verify",
        {"PATCHES": patches, "PATCH_ID_FIELD": "JCBH", "SURVEY": survey, "OUTPUT": "memory:"},
        feedback=feedback,
    )
    timing = [line for line in feedback.lines if line.startswith("耗时")]
    assert timing and "读取" in timing[0] and "秒" in timing[0] and "Timing" not in feedback.text()
