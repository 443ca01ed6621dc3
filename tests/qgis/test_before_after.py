# ruff: noqa: F811 - the dock tests' fixtures, imported by name
"""Before/after 验收图: with BEFORE_BASEMAP the page shows two map frames side by side (before: that
raster, after: BASEMAP), each captioned; without it the one map as before. Rendered with pdftoppm and
read back (pdftotext, not normalised). The dock offers both rasters."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
from export_data import CRS, X0, Y0, colour_mask, pdf_pages, render_page, verified_county
from qgis.core import QgsRasterLayer
from qgis.PyQt.QtWidgets import QDialog

sys.path.insert(0, str(Path(__file__).resolve().parent))  # --import-mode=importlib: the dock tests' module by name
from test_dock import county, open_dock, plugin, verify  # noqa: F401

BEFORE_RGB = (150, 90, 160)  # plain colours: which frame shows which raster is read off the page
AFTER_RGB = (90, 170, 150)
DPI = 60
MM = DPI / 25.4


def plain_raster(path: Path, rgb: tuple[int, int, int], x0: float, y0: float) -> QgsRasterLayer:
    from osgeo import gdal, osr

    ds = gdal.GetDriverByName("GTiff").Create(str(path), 1400, 600, 3, gdal.GDT_Byte)
    ds.SetGeoTransform((x0 - 300, 1.0, 0, y0 + 300, 0, -1.0))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(int(CRS.split(":")[1]))
    ds.SetProjection(srs.ExportToWkt())
    for band, value in enumerate(rgb, start=1):
        ds.GetRasterBand(band).Fill(value)
    ds = None
    layer = QgsRasterLayer(str(path), path.stem)
    assert layer.isValid()
    return layer


def share(rgb: np.ndarray, colour, x0_mm: float, x1_mm: float) -> float:
    """The part of the map band (y 40–170 mm) between x0 and x1 mm in that colour."""
    band = rgb[int(40 * MM) : int(170 * MM), int(x0_mm * MM) : int(x1_mm * MM)]
    return float(colour_mask(band, colour, 12).mean())


def raw_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True).stdout


def test_before_and_after_side_by_side(processing, tmp_path):
    county = verified_county(processing, tmp_path)
    before = plain_raster(tmp_path / "2023年前时相.tif", BEFORE_RGB, X0, Y0)
    after = plain_raster(tmp_path / "2024年后时相.tif", AFTER_RGB, X0, Y0)
    pair = tmp_path / "pair.pdf"
    processing.run(
        "demolitionverifier:export_maps",
        {"INPUT": county["OUTPUT"], "BASEMAP": after, "BEFORE_BASEMAP": before, "OUTPUT": str(pair)},
    )
    assert pdf_pages(pair) == 4
    rgb = render_page(pair, 1, DPI, tmp_path)
    assert share(rgb, BEFORE_RGB, 12, 94) > 0.5 and share(rgb, AFTER_RGB, 12, 94) < 0.01, "left: before"
    assert share(rgb, AFTER_RGB, 99, 180) > 0.5 and share(rgb, BEFORE_RGB, 99, 180) < 0.01, "right: after"
    text = raw_text(pair).replace("\n", "")
    assert "拆除前：2023年前时相" in text and "拆除后：2024年后时相" in text
    assert "比例尺 1:" in text and "比例尺 1:0" not in text

    # without BEFORE_BASEMAP: the one map, under the basemap, no captions
    single = tmp_path / "single.pdf"
    processing.run(
        "demolitionverifier:export_maps", {"INPUT": county["OUTPUT"], "BASEMAP": after, "OUTPUT": str(single)}
    )
    rgb = render_page(single, 1, DPI, tmp_path)
    assert share(rgb, AFTER_RGB, 12, 180) > 0.5 and share(rgb, BEFORE_RGB, 12, 180) == 0
    assert "拆除前" not in raw_text(single)


def test_the_dock_offers_both_rasters(plugin, county, tmp_path, monkeypatch):
    from demolition_verifier.ui import exports

    project, patches, survey = county
    before = plain_raster(tmp_path / "before.tif", BEFORE_RGB, X0, 3_880_000.0)
    after = plain_raster(tmp_path / "after.tif", AFTER_RGB, X0, 3_880_000.0)
    project.addMapLayers([before, after])
    dock = open_dock(plugin, patches, survey)
    verify(dock)

    def accept(dialog):
        assert dialog.before.allowEmptyLayer() and dialog.before.currentLayer() is None
        dialog.before.setLayer(before)
        dialog.basemap.setLayer(after)
        dialog.file.setFilePath(str(tmp_path / "dock_pair.pdf"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(exports.ExportMapsDialog, "exec", accept)
    dock.maps_button.click()
    text = raw_text(tmp_path / "dock_pair.pdf")
    assert "拆除前：before" in text.replace("\n", "") and "拆除后：after" in text.replace("\n", "")
