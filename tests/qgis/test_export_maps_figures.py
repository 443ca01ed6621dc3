"""The map pages' figures table takes its page's rows at the page's patch (filtered to the atlas
feature first, map_layout.wire): on every page the same rows as the template's filter alone gives,
with patches that overlap, touch, nest, or are invalid (a bow tie), and multipolygons."""

from __future__ import annotations

from qgis.core import QgsCoordinateReferenceSystem, QgsGeometry, QgsProject, QgsWkbTypes
from qgis_layers import X0, Y0, box_wkt

from demolition_verifier.algorithms import export_maps
from demolition_verifier.core.report_model import PatchRecord
from demolition_verifier.qgis_adapter import map_layout
from demolition_verifier.qgis_adapter.records import ReadPatch

CRS = QgsCoordinateReferenceSystem("EPSG:4527")
SHAPES = [
    box_wkt(X0, Y0, X0 + 100, Y0 + 100),
    box_wkt(X0 + 50, Y0 + 50, X0 + 150, Y0 + 150),  # overlaps the first; its first vertex inside it
    box_wkt(X0 + 100, Y0, X0 + 200, Y0 + 50),  # touches the first along an edge
    box_wkt(X0 + 10, Y0 + 10, X0 + 20, Y0 + 20),  # inside the first
    f"POLYGON(({X0} {Y0 + 300},{X0 + 10} {Y0 + 310},{X0 + 10} {Y0 + 300},{X0} {Y0 + 310},{X0} {Y0 + 300}))",  # bow tie
    f"MULTIPOLYGON((({X0 + 500} {Y0},{X0 + 509} {Y0},{X0 + 509} {Y0 + 9},{X0 + 500} {Y0})),"
    f"(({X0} {Y0},{X0 + 5} {Y0},{X0 + 5} {Y0 + 5},{X0} {Y0})))",  # a part on the first's corner
    box_wkt(X0, Y0, X0 + 100, Y0 + 100),  # the first again, another patch
]


def _pages() -> list[ReadPatch]:
    pages = []
    for i, wkt in enumerate(SHAPES):
        record = PatchRecord(f"H{i}", "城关镇", "fail", "over_tolerance", 1000.0 + i, 1000.0 + i, 10.0 + i, 0.01 * i,
                             5.0 + i, i, "r1", "2026-11-26T04:09:24+00:00")  # fmt: skip
        pages.append(ReadPatch(record, QgsGeometry.fromWkt(wkt)))
    return pages


def _tables(prefilter: bool) -> list[list[list]]:
    pages = _pages()
    photos = export_maps.PagePhotos.empty(len(pages), given=False)
    wkb = QgsWkbTypes.MultiPolygon
    layers = map_layout.PageLayers(
        coverage=export_maps.coverage_layer(pages, CRS, wkb, photos),
        figures=export_maps.figures_layer(pages, CRS),
        context=export_maps.coverage_layer(pages, CRS, wkb, photos),
        remnants=None,
        evidence=None,
        basemap=None,
    )
    map_layout.style_layers(layers)
    project = QgsProject()
    project.addMapLayers([layers.coverage, layers.figures, layers.context], False)
    layout = map_layout.load_layout(project, map_layout.DEFAULT_TEMPLATE, [])
    map_layout.wire(layout, layers, CRS, map_layout.DEFAULT_TEMPLATE, {"dv_title": "t"})
    table = layout.itemById("figures").multiFrame()
    assert table.filterToAtlasFeature()
    if not prefilter:
        table.setFilterToAtlasFeature(False)
    atlas = layout.atlas()
    out = []
    assert atlas.beginRender()
    for n in range(atlas.count()):
        assert atlas.seekTo(n)
        table.refreshAttributes()
        out.append([[str(v) for v in row] for row in table.contents()])
    atlas.endRender()
    del layout
    return out


def test_every_page_shows_its_own_rows_whatever_its_neighbours():
    with_prefilter, without = _tables(True), _tables(False)
    assert len(with_prefilter) == len(SHAPES)
    assert with_prefilter == without
    for n, rows in enumerate(with_prefilter):
        assert rows and any(f"{1000.0 + n:.2f}" in value for row in rows for value in row), (n, rows)
