"""A small county with farmland inputs for the processing tests: three patches, a land-class layer
whose first two polygons overlap, basic farmland and two approvals (EPSG:4527, metres)."""

from __future__ import annotations

from qgis_layers import box_wkt, memory_layer

X0, Y0 = 39_550_000.0, 3_880_000.0  # EPSG:4527


def box(x0, y0, x1, y1) -> str:
    return box_wkt(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)


def patches():
    return memory_layer(
        "patches",
        [box(0, 0, 100, 100), box(200, 0, 300, 100), box(400, 0, 500, 100)],
        fields=[("JCBH", str), ("XZQMC", str), ("method", str)],
        rows=[["H1", "城关镇", "x"], ["H2", "城关镇", "y"], ["H10", "柳林镇", "z"]],
    )


def survey():
    # H1: a building inside an approval; H2: one on basic farmland; H10: crumbs
    return memory_layer("survey", [box(10, 10, 30, 30), box(210, 10, 230, 30), box(410, 10, 410.5, 11)])


def land_class():
    return memory_layer(
        "DLTB",
        [box(-10, -10, 60, 110), box(40, -10, 250, 110), box(250, -10, 600, 110)],
        fields=[("DLBM", str), ("TBMJ", float)],
        rows=[["0101", 1.0], ["103", 1.0], ["0702", 1.0]],  # the first two overlap; 103 is 0103
    )


def approvals():
    return memory_layer(
        "批准范围",
        [box(0, 0, 50, 50), box(200, 0, 250, 50)],
        fields=[("PZWH", str)],
        rows=[["冀批2024-12"], ["冀批2024-3"]],
    )


def basic_farmland():
    return memory_layer("JBNTBHTB", [box(200, 0, 220, 100)])


def run(processing, feedback=None, **extra):
    params = {
        "PATCHES": patches(),
        "PATCH_ID_FIELD": "JCBH",
        "TOWNSHIP_FIELD": "XZQMC",
        "SURVEY": survey(),
        "OUTPUT": "memory:",
    }
    params.update(extra)
    return processing.run("demolitionverifier:verify", params, feedback=feedback)
