"""A campaign defined through processing.run, for the Processing tests of the campaign algorithms."""

from __future__ import annotations

from qgis_layers import X0, Y0, box_wkt, memory_layer


def patches(rows):
    """rows: (id, township, JCMJ in mu or None)"""
    wkts = [box_wkt(X0 + 200 * i, Y0, X0 + 200 * i + 100, Y0 + 100) for i in range(len(rows))]
    return memory_layer("patches", wkts, "EPSG:4527", [("JCBH", str), ("XZQMC", str), ("JCMJ", float)], rows)


TASKS = [("A1", "城关镇", 15.0), ("A2", "城关镇", 15.0), ("B1", "柳林镇", None)]


def define(processing, log, layer=None, **extra):
    params = {
        "AUDIT_LOG": str(log),
        "NAME": "2019–2023年例行督察整改",
        "PATCHES": layer or patches(TASKS),
        "PATCH_ID_FIELD": "JCBH",
        "MONITORED_AREA_FIELD": "JCMJ",
        "MONITORED_AREA_UNIT": 1,
        "TOWNSHIP_FIELD": "XZQMC",
        "RECTIFY_BY": "2024-06-20",
        "ACCEPT_BY": "2024-06-30 18:00",
        "TARGET": 0.9,
    }
    params.update(extra)
    return processing.run("demolitionverifier:campaign", params)
