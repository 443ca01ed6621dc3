"""The built-in sample county, and synthetic counties for benchmarks, written as GeoPackages.

Written through GDAL's own Python bindings (the GDAL QGIS uses), so any QGIS opens the files.
Usage: python sample_data.py OUT.gpkg [--patches N] [--seed S]
"""

from __future__ import annotations

import argparse
import math
import os
import sys

import numpy as np
from osgeo import ogr, osr

EPSG = 4526  # CGCS2000 3-degree Gauss-Kruger zone 38 (central meridian 114°E), easting with zone prefix
ORIGIN = (38_560_000.0, 4_052_000.0)  # near Handan, Hebei
TOWNSHIPS = [
    ("130401101", "城关镇"),
    ("130401102", "柳林镇"),
    ("130401201", "河西乡"),
    ("130401202", "东王庄乡"),
    ("130401103", "南堡镇"),
    ("130401400", "经济开发区"),
    ("130401203", "北辛店乡"),
    ("130401104", "西河头镇"),
]
MU = 2000.0 / 3.0

# share of each case in a sample county
CASES = [
    ("demolished", 0.38),
    ("debris_small", 0.10),  # a few crumbs, together under the 1 m² tolerance
    ("debris_large", 0.08),  # scattered sheds left: over tolerance, none a main building
    ("main_kept", 0.12),  # 拆次留主: sheds gone, the main building kept
    ("resurvey_overlap", 0.07),  # two teams surveyed the same building, overlapping
    ("straddling", 0.07),  # a building across the patch edge
    ("unsurveyed", 0.08),  # outside the surveyed extent
    ("bad_survey", 0.04),  # a self-intersecting survey polygon (bow tie)
    ("bad_patch", 0.02),  # a self-intersecting patch
    ("monitor_missing", 0.02),
    ("area_mismatch", 0.02),
]


def rotated_rect(cx, cy, w, h, angle):
    c, s = math.cos(angle), math.sin(angle)
    pts = [(-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)]
    return [(cx + x * c - y * s, cy + x * s + y * c) for x, y in pts]


def ring_wkt(points):
    pts = list(points) + [points[0]]
    return "(" + ", ".join(f"{x:.3f} {y:.3f}" for x, y in pts) + ")"


def polygon_wkt(*rings):
    return "POLYGON (" + ", ".join(ring_wkt(r) for r in rings) + ")"


def bowtie_wkt(cx, cy, size):
    h = size / 2
    pts = [(cx - h, cy - h), (cx + h, cy + h), (cx + h, cy - h), (cx - h, cy + h)]
    return polygon_wkt(pts)


def build(n_patches: int, seed: int):
    """Patches, survey polygons and the surveyed extent as WKT with attributes."""
    rng = np.random.default_rng(seed)
    names = [c for c, _ in CASES]
    weights = np.array([w for _, w in CASES])
    cases = rng.choice(names, size=n_patches, p=weights / weights.sum())
    cols = int(math.ceil(math.sqrt(n_patches)))
    spacing = 150.0
    patches, survey, coverage = [], [], []
    for i in range(n_patches):
        case = cases[i]
        row, col = divmod(i, cols)
        cx = ORIGIN[0] + col * spacing + rng.uniform(-15, 15)
        cy = ORIGIN[1] + row * spacing + rng.uniform(-15, 15)
        w, h = rng.uniform(30, 75), rng.uniform(25, 60)
        angle = rng.uniform(-0.6, 0.6)
        township = TOWNSHIPS[min(int(col * len(TOWNSHIPS) / cols), len(TOWNSHIPS) - 1)]
        ring = rotated_rect(cx, cy, w, h, angle)
        if case == "bad_patch":  # the corners crossed: a bow tie
            ring = [ring[0], ring[2], ring[1], ring[3]]
        area_m2 = w * h if case != "bad_patch" else w * h / 2
        jcmj = round(area_m2 / MU, 4)
        if case == "monitor_missing":
            jcmj = None
        elif case == "area_mismatch":
            jcmj = round(jcmj * 1.4, 4)
        patches.append(
            {
                "wkt": polygon_wkt(ring),
                "JCBH": f"130401{2024:04d}{i + 1:05d}",
                "XZQDM": township[0],
                "XZQMC": township[1],
                "JCMJ": jcmj,
                "TBLX": "违法建设",
                "QSX": "2023-10",
                "HSX": "2024-04",
            }
        )

        def building(bw, bh, dx=0.0, dy=0.0, kind="建筑物", cx=cx, cy=cy, angle=angle):
            survey.append({"wkt": polygon_wkt(rotated_rect(cx + dx, cy + dy, bw, bh, angle)), "LX": kind})

        if case == "debris_small":
            for _ in range(rng.integers(1, 4)):
                building(0.4, 0.6, rng.uniform(-w / 3, w / 3), rng.uniform(-h / 3, h / 3), "构筑物")
        elif case == "debris_large":
            for _ in range(rng.integers(2, 5)):
                building(
                    rng.uniform(1.5, 2.8),
                    rng.uniform(1.5, 3),
                    rng.uniform(-w / 3, w / 3),
                    rng.uniform(-h / 3, h / 3),
                    "构筑物",
                )
        elif case == "main_kept":
            building(rng.uniform(8, 16), rng.uniform(8, 14))
        elif case == "resurvey_overlap":
            building(12, 10)
            building(12, 10, 3, 2)  # a second team's outline of the same building
        elif case == "straddling":
            building(14, 10, w / 2, 0)
        elif case == "bad_survey":
            survey.append({"wkt": bowtie_wkt(cx, cy, 8), "LX": "建筑物"})
        if case != "unsurveyed":
            coverage.append({"wkt": polygon_wkt(rotated_rect(cx, cy, w + 40, h + 40, angle))})
    if n_patches > 1:  # one duplicated id, as vendors' lists have them
        patches[-1]["JCBH"] = patches[0]["JCBH"]
    return patches, survey, coverage


# Land classes of the sample's land-use survey (三调 DLBM) and their shares; "101" is cultivated land
# written as a number would be, as some vendors' layers hold it.
LAND_CLASSES = [
    ("0101", 0.18), ("101", 0.06), ("0102", 0.10), ("0103", 0.18), ("0201", 0.08), ("0301", 0.10),
    ("0702", 0.16), ("1003", 0.08), ("1101", 0.06),
]  # fmt: skip
LAND_CELL = 75.0  # m: the land-class polygons tile the county in cells this size


def build_land(patches, survey, seed: int):
    """Land-class polygons (DLTB) tiling the county, a few of them overlapping a neighbour;
    basic farmland (JBNTBHTB) over part of the cultivated land; approvals around a few kept buildings.
    Drawn from their own random numbers, so the patches and the survey stay as they were."""
    rng = np.random.default_rng(seed + 17)
    xs, ys = [], []
    for row in patches:
        envelope = ogr.CreateGeometryFromWkt(row["wkt"]).GetEnvelope()
        xs += envelope[:2]
        ys += envelope[2:]
    x0, y0 = min(xs) - 100, min(ys) - 100
    nx, ny = int((max(xs) + 100 - x0) // LAND_CELL) + 1, int((max(ys) + 100 - y0) // LAND_CELL) + 1
    codes = [c for c, _ in LAND_CLASSES]
    weights = np.array([w for _, w in LAND_CLASSES])
    land, basic = [], []
    for j in range(ny):
        for i in range(nx):
            cell = [
                (x0 + i * LAND_CELL, y0 + j * LAND_CELL),
                (x0 + (i + 1) * LAND_CELL, y0 + j * LAND_CELL),
                (x0 + (i + 1) * LAND_CELL, y0 + (j + 1) * LAND_CELL),
                (x0 + i * LAND_CELL, y0 + (j + 1) * LAND_CELL),
            ]
            code = str(rng.choice(codes, p=weights / weights.sum()))
            land.append({"wkt": polygon_wkt(cell), "DLBM": code, "DLMC": "", "BSM": f"DLTB{len(land) + 1:06d}"})
            if code in ("0101", "101", "0103") and rng.random() < 0.4:
                basic.append({"wkt": polygon_wkt(cell), "JBNTTBBH": f"JB{len(basic) + 1:05d}"})
    for k in rng.choice(len(land), size=8, replace=False):  # re-digitised: overlapping the cell east of it
        env = ogr.CreateGeometryFromWkt(land[k]["wkt"]).GetEnvelope()
        shifted = rotated_rect((env[0] + env[1]) / 2 + 30, (env[2] + env[3]) / 2, LAND_CELL, LAND_CELL, 0.0)
        land.append({"wkt": polygon_wkt(shifted), "DLBM": "0103", "DLMC": "", "BSM": f"DLTB{len(land) + 1:06d}"})
    approvals = []
    kept = [row for row in survey if ogr.CreateGeometryFromWkt(row["wkt"]).GetArea() >= 64.0]
    for n, row in enumerate(kept[:: max(1, len(kept) // 6)][:6], start=1):  # 补办: the kept building's ground
        env = ogr.CreateGeometryFromWkt(row["wkt"]).Buffer(6.0).GetEnvelope()
        rect = [(env[0], env[2]), (env[1], env[2]), (env[1], env[3]), (env[0], env[3])]
        approvals.append({"wkt": polygon_wkt(rect), "PZWH": f"冀政土批〔2024〕{n * 7}号", "PZLX": "补办"})
    return land, basic, approvals


def write_layer(ds, name, rows, fields):
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(EPSG)
    layer = ds.CreateLayer(name, srs, ogr.wkbPolygon, options=["SPATIAL_INDEX=YES"])
    for field_name, kind in fields:
        layer.CreateField(ogr.FieldDefn(field_name, kind))
    defn = layer.GetLayerDefn()
    layer.StartTransaction()
    for row in rows:
        feature = ogr.Feature(defn)
        for field_name, _ in fields:
            if row.get(field_name) is not None:
                feature.SetField(field_name, row[field_name])
        feature.SetGeometryDirectly(ogr.CreateGeometryFromWkt(row["wkt"]))
        layer.CreateFeature(feature)
    layer.CommitTransaction()


def write(path: str, n_patches: int, seed: int) -> None:
    patches, survey, coverage = build(n_patches, seed)
    if os.path.exists(path):
        os.remove(path)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    write_layer(
        ds,
        "patches",
        patches,
        [
            ("JCBH", ogr.OFTString),
            ("XZQDM", ogr.OFTString),
            ("XZQMC", ogr.OFTString),
            ("JCMJ", ogr.OFTReal),
            ("TBLX", ogr.OFTString),
            ("QSX", ogr.OFTString),
            ("HSX", ogr.OFTString),
        ],
    )
    write_layer(ds, "survey", survey, [("LX", ogr.OFTString)])
    write_layer(ds, "coverage", coverage, [])
    land, basic, approvals = build_land(patches, survey, seed)
    write_layer(ds, "DLTB", land, [("BSM", ogr.OFTString), ("DLBM", ogr.OFTString), ("DLMC", ogr.OFTString)])
    write_layer(ds, "JBNTBHTB", basic, [("JBNTTBBH", ogr.OFTString)])
    write_layer(ds, "approvals", approvals, [("PZWH", ogr.OFTString), ("PZLX", ogr.OFTString)])
    ds = None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("output")
    parser.add_argument("--patches", type=int, default=360)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)
    ogr.UseExceptions()
    write(args.output, args.patches, args.seed)
    print(f"{args.output}: {args.patches} patches")
    return 0


if __name__ == "__main__":
    sys.exit(main())
