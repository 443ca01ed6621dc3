"""`demolitionverifier:export_maps` through processing.run: the PDF read back as the bureau sees it."""

from __future__ import annotations

import os
import re
import subprocess

import numpy as np
import pytest
from export_data import (
    NATURAL_ORDER,
    TOWNSHIPS,
    colour_mask,
    orthophoto,
    pdf_fonts,
    pdf_images,
    pdf_pages,
    pdf_text_pages,
    photo_folder,
    render_page,
    verified_county,
)
from qgis.core import QgsProcessingException, QgsProcessingFeedback, QgsVectorLayer
from qgis_layers import RecordingFeedback, box_wkt, memory_layer

from demolition_verifier.algorithms.export_maps import PHOTO_PIXELS
from demolition_verifier.core.messages import text
from demolition_verifier.core.words import DEFAULT_MAP_TITLE
from demolition_verifier.qgis_adapter.map_layout import DEFAULT_TEMPLATE, PATCH_COLOUR, cjk_family

PATCH_RGB = (PATCH_COLOUR.red(), PATCH_COLOUR.green(), PATCH_COLOUR.blue())
REMNANT_RGB = (255, 160, 65)  # the remnant fill (255,127,0 at 190/255) over white
MAP_MM = (10.0, 26.0, 182.0, 182.0)  # the map item of the template: x0, y0, x1, y1


@pytest.fixture
def county(processing):
    return verified_county(processing)


def export(processing, county, path, feedback=None, **extra):
    params = {"INPUT": county["OUTPUT"], "REMNANTS": county["OUTPUT_REMNANTS"], "OUTPUT": str(path)}
    params.update(extra)
    return processing.run("demolitionverifier:export_maps", params, feedback=feedback)


def page_ids(pages: list[str]) -> list[str]:
    return [re.search(r"图斑编号:\s*(H\d+)", page).group(1) for page in pages]


def test_one_page_per_patch_in_natural_order_with_chinese_text(processing, county, tmp_path):
    path = tmp_path / "maps.pdf"
    feedback = RecordingFeedback()
    result = export(processing, county, path, feedback=feedback)
    assert result["PAGES"] == 4 and result["OUTPUT"] == str(path)
    assert pdf_pages(path) == 4  # H3 has no geometry: no map, and the run says so
    assert text("maps_no_geometry", False, count=1, examples="H3") in feedback.lines
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "842 x 595 pts (A4)" in info  # A4 landscape
    pages = pdf_text_pages(path)
    assert page_ids(pages) == NATURAL_ORDER  # H2 before H10
    for page in pages:
        assert DEFAULT_MAP_TITLE in page
        assert "核查人" in page and "审核人" in page
        assert county["OUTPUT"].getFeature(1)["run_id"] in page
    assert all(town in "".join(pages) for town in TOWNSHIPS)
    h2 = pages[1]
    assert "城关镇" in h2 and "不通过" in h2 and "超出容差" in h2
    assert "未提供现场照片" in h2
    cjk = [(name, embedded) for name, embedded in pdf_fonts(path) if re.search("CJK|Han|Hei|Song|Ming", name)]
    assert cjk and all(embedded for _name, embedded in cjk)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["maps.pdf"]  # no temporary file left
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask  # the user's usual permissions


def test_filter_and_title(processing, county, tmp_path):
    path = tmp_path / "fail.pdf"
    result = export(processing, county, path, FILTER="\"status\" = 'fail'", TITLE="整改验收图（复核）")
    assert result["PAGES"] == pdf_pages(path) == 2
    pages = pdf_text_pages(path)
    assert page_ids(pages) == ["H2", "H10"]
    assert all("整改验收图(复核)" in page for page in pages)  # NFKC turns （） into ()


def test_the_map_area_holds_the_patch_centred_with_remnants(processing, county, tmp_path):
    path = tmp_path / "maps.pdf"
    export(processing, county, path)
    dpi = 100
    px = dpi / 25.4
    x0, y0, x1, y1 = (round(v * px) for v in MAP_MM)
    rgb = render_page(path, 2, dpi, tmp_path)  # H2: failed, one remnant of 20 m x 20 m
    inside = rgb[y0 + 3 : y1 - 3, x0 + 3 : x1 - 3]
    outline = colour_mask(inside, PATCH_RGB)
    assert outline.sum() > 1000, "the patch outline is not drawn in the map"
    rows, cols = np.nonzero(outline)
    centre_x, centre_y = (cols.min() + cols.max()) / 2, (rows.min() + rows.max()) / 2
    assert abs(centre_x - inside.shape[1] / 2) < 0.05 * inside.shape[1]  # centred on the patch
    assert abs(centre_y - inside.shape[0] / 2) < 0.05 * inside.shape[0]
    width = cols.max() - cols.min()
    assert 0.15 * inside.shape[1] < width < 0.5 * inside.shape[1]  # with surroundings around it
    patch = inside[rows.min() : rows.max(), cols.min() : cols.max()]
    remnant = colour_mask(patch, REMNANT_RGB, 12).sum()
    expected = (20 / 100 * width) ** 2  # the remnant is a fifth of the patch's side
    assert 0.6 * expected < remnant < 1.4 * expected
    page1 = render_page(path, 1, dpi, tmp_path)[y0 + 3 : y1 - 3, x0 + 3 : x1 - 3]
    ox, oy = np.nonzero(colour_mask(page1, PATCH_RGB))[::-1]
    h1 = page1[oy.min() : oy.max(), ox.min() : ox.max()]
    assert colour_mask(h1, REMNANT_RGB, 12).sum() == 0  # H1 passed: nothing inside its outline


def test_evidence_photos_and_basemap(processing, county, tmp_path):
    photo_folder(tmp_path / "photos")
    imported = processing.run("native:importphotos", {"FOLDER": str(tmp_path / "photos"), "OUTPUT": "memory:"})
    layer = imported["OUTPUT"]
    assert layer.featureCount() == 3 and "photo" in layer.fields().names()
    basemap = orthophoto(tmp_path / "ortho.tif")
    path = tmp_path / "out" / "maps.pdf"
    feedback = QgsProcessingFeedback()
    progress: list[float] = []
    feedback.progressChanged.connect(progress.append)
    export(processing, county, path, PHOTOS=layer, BASEMAP=str(basemap), feedback=feedback)
    pages = pdf_text_pages(path)
    h2 = pages[NATURAL_ORDER.index("H2")]
    assert "h2_inside.jpg" in h2 and "h2_near.jpg" in h2 and "h2_far.jpg" not in h2
    assert "图斑内" in h2 and "距图斑 30 米" in h2
    h1 = pages[NATURAL_ORDER.index("H1")]
    assert "50 米内无现场照片" in h1 and "h2_" not in h1
    assert "底图:ortho" in h2.replace(" ", "")
    # page 2: the basemap and two photos, scaled from 2400 x 1800 (a PDF of hundreds of pages stays small)
    assert pdf_images(path, 2).count((PHOTO_PIXELS, PHOTO_PIXELS * 3 // 4)) == 2
    assert len(pdf_images(path, 2)) == 3 and len(pdf_images(path, 1)) == 1  # page 1: the basemap only
    assert progress and max(progress) == pytest.approx(100) and any(0 < p < 100 for p in progress)


def test_a_chinese_font_is_found_where_the_template_font_is_missing():
    assert cjk_family({"Arial", "SimSun", "Microsoft YaHei"}) == "Microsoft YaHei"
    assert cjk_family({"Arial"}) is None
    assert cjk_family() is not None  # this machine has one (fonts-noto-cjk)


def test_a_restyled_template_is_used(processing, county, tmp_path):
    restyled = tmp_path / "bureau.qpt"
    qpt = open(DEFAULT_TEMPLATE, encoding="utf-8").read().replace("[% @dv_title %]", "XX县自然资源局 [% @dv_title %]")
    restyled.write_text(qpt, encoding="utf-8")
    path = tmp_path / "maps.pdf"
    export(processing, county, path, TEMPLATE=str(restyled), FILTER="\"patch_id\" = 'H1'")
    assert "XX县自然资源局" in pdf_text_pages(path)[0]


def test_refusals_are_clear_and_write_nothing(processing, county, tmp_path):
    path = tmp_path / "maps.pdf"
    plain = memory_layer("patches", [box_wkt(0, 0, 1, 1)], fields=[("JCBH", str)], rows=[["H1"]])
    with pytest.raises(QgsProcessingException) as refusal:
        export(processing, county, path, INPUT=plain)
    assert "is not a verify result" in str(refusal.value) and "status" in str(refusal.value)

    with pytest.raises(QgsProcessingException) as refusal:
        export(processing, county, path, FILTER='"status" = ')
    assert "filter expression" in str(refusal.value)

    with pytest.raises(QgsProcessingException) as refusal:
        export(processing, county, path, FILTER='"no_such_field" = 1')
    assert "no_such_field" in str(refusal.value) and "patch_id" in str(refusal.value)

    with pytest.raises(QgsProcessingException) as refusal:
        export(processing, county, path, FILTER="\"status\" = 'nothing'")
    assert "No patch to map" in str(refusal.value)

    points = memory_layer("photos", ["POINT(0 0)"], geometry="Point", fields=[("name", str)], rows=[["a"]])
    with pytest.raises(QgsProcessingException) as refusal:
        export(processing, county, path, PHOTOS=points)
    assert "photo" in str(refusal.value)

    broken = tmp_path / "broken.qpt"
    broken.write_text(
        open(DEFAULT_TEMPLATE, encoding="utf-8").read().replace('id="map"', 'id="karte"'), encoding="utf-8"
    )
    with pytest.raises(QgsProcessingException) as refusal:
        export(processing, county, path, TEMPLATE=str(broken))
    assert "“map”" in str(refusal.value)
    assert list(tmp_path.iterdir()) == [broken]


@pytest.mark.parametrize("at", [-1, 75])
def test_cancel_leaves_no_file(processing, county, tmp_path, at):
    """Cancelled before the run, or while the pages are being written (the last third of progress)."""
    path = tmp_path / "maps.pdf"
    feedback = QgsProcessingFeedback()
    if at < 0:
        feedback.cancel()
    else:
        feedback.progressChanged.connect(lambda progress: progress > at and feedback.cancel())
    with pytest.raises(QgsProcessingException) as refusal:
        export(processing, county, path, feedback=feedback)
    assert str(refusal.value) == text("cancelled", False)
    assert list(tmp_path.iterdir()) == []


def test_from_files_with_invalid_geometry(processing, tmp_path):
    """GeoPackages as users have them, and a self-intersecting patch QGIS's default check would stop on."""
    county = verified_county(processing, tmp_path)
    layer = QgsVectorLayer(county["OUTPUT"], "verified", "ogr")
    provider = layer.dataProvider()
    bowtie = "POLYGON((39550000 3879500,39550100 3879600,39550100 3879500,39550000 3879600,39550000 3879500))"
    from qgis.core import QgsFeature, QgsGeometry

    feature = QgsFeature(layer.fields())
    values = {name: layer.getFeature(1)[name] for name in layer.fields().names() if name != "fid"}
    values.update(patch_id="H20", status="fail", reasons="geometry_repaired")
    feature.setAttributes([values.get(name) for name in layer.fields().names()])
    feature.setGeometry(QgsGeometry.fromWkt(bowtie))
    assert provider.addFeatures([feature])[0]
    path = tmp_path / "maps.pdf"
    result = processing.run(
        "demolitionverifier:export_maps",
        {"INPUT": county["OUTPUT"], "REMNANTS": county["OUTPUT_REMNANTS"], "OUTPUT": str(path)},
    )
    assert result["PAGES"] == 5
    assert page_ids(pdf_text_pages(path)) == NATURAL_ORDER + ["H20"]


def test_lon_lat_patches_are_drawn_in_their_gauss_kruger_zone(processing, county, tmp_path):
    """EPSG:4490 data: the page says which CGCS2000 zone it is drawn in, and the patch stays square."""
    lonlat = {
        key: processing.run(
            "native:reprojectlayer", {"INPUT": county[key], "TARGET_CRS": "EPSG:4490", "OUTPUT": "memory:"}
        )["OUTPUT"]
        for key in ("OUTPUT", "OUTPUT_REMNANTS")
    }
    path = tmp_path / "maps.pdf"
    export(processing, lonlat, path, FILTER="\"patch_id\" = 'H2'")
    assert "EPSG:4548" in pdf_text_pages(path)[0]  # central meridian 117°E
    px = 100 / 25.4
    x0, y0, x1, y1 = (round(v * px) for v in MAP_MM)
    rgb = render_page(path, 1, 100, tmp_path)[y0 + 3 : y1 - 3, x0 + 3 : x1 - 3]
    rows, cols = np.nonzero(colour_mask(rgb, PATCH_RGB))
    assert len(rows) > 1000
    assert (cols.max() - cols.min()) == pytest.approx(rows.max() - rows.min(), rel=0.03)  # not squashed
