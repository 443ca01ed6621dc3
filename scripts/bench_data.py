"""Synthetic counties for `make bench`: N patches and about 2N survey polygons in one GeoPackage.

Geometries are built as whole numpy arrays (shapely), written as a WKT CSV and converted by GDAL
in one call (gdal.VectorTranslate: the GDAL QGIS uses, so any QGIS opens the file), instead of one
Python call per feature. Each patch is a rectangle (70 % rotated), with 0-4 remnants: most inside,
some straddling the edge, some overlapping a second team's outline, a few self-intersecting.
Usage: python bench_data.py OUT.gpkg --patches N [--seed S]
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import sys
import tempfile

import numpy as np
import shapely
from osgeo import gdal

EPSG = 4526  # CGCS2000 3-degree GK zone 38, as the sample county
ORIGIN = (38_560_000.0, 4_052_000.0)
SPACING = 150.0
MU = 2000.0 / 3.0
TOWNSHIPS = ["城关镇", "柳林镇", "河西乡", "东王庄乡", "南堡镇", "经济开发区", "北辛店乡", "西河头镇"]
UNIT_SQUARE = np.array([(-0.5, -0.5), (0.5, -0.5), (0.5, 0.5), (-0.5, 0.5), (-0.5, -0.5)])
BOWTIE = np.array([(-0.5, -0.5), (0.5, 0.5), (0.5, -0.5), (-0.5, 0.5), (-0.5, -0.5)])


def rectangles(cx, cy, w, h, angle, shape=UNIT_SQUARE) -> np.ndarray:
    """Rotated rectangles (or bow ties) as a shapely array, all at once."""
    local = shape[None, :, :] * np.stack([w, h], axis=1)[:, None, :]
    c, s = np.cos(angle)[:, None], np.sin(angle)[:, None]
    x = cx[:, None] + local[..., 0] * c - local[..., 1] * s
    y = cy[:, None] + local[..., 0] * s + local[..., 1] * c
    return shapely.polygons(np.stack([x, y], axis=2))


def build(n: int, seed: int):
    rng = np.random.default_rng(seed)
    cols = int(math.ceil(math.sqrt(n)))
    row, col = np.divmod(np.arange(n), cols)
    cx = ORIGIN[0] + col * SPACING + rng.uniform(-15, 15, n)
    cy = ORIGIN[1] + row * SPACING + rng.uniform(-15, 15, n)
    w, h = rng.uniform(30, 75, n), rng.uniform(25, 60, n)
    angle = np.where(rng.random(n) < 0.3, 0.0, rng.uniform(-0.6, 0.6, n))
    patches = rectangles(cx, cy, w, h, angle)

    # remnants: 0-4 per patch, in the patch's own frame
    k = rng.integers(0, 5, n)
    owner = np.repeat(np.arange(n), k)
    m = len(owner)
    size = np.where(rng.random(m) < 0.5, rng.uniform(0.5, 3.0, m), rng.uniform(4.0, 16.0, m))
    bw, bh = size, size * rng.uniform(0.6, 1.4, m)
    u = rng.uniform(-0.35, 0.35, m) * w[owner]
    v = rng.uniform(-0.35, 0.35, m) * h[owner]
    straddle = rng.random(m) < 0.08  # across the patch's east edge
    u = np.where(straddle, w[owner] / 2, u)
    overlap = rng.random(m) < 0.10  # a second team's outline of the previous remnant, shifted
    prev = np.maximum(np.arange(m) - 1, 0)
    same_patch = owner[prev] == owner
    overlap &= same_patch & (np.arange(m) > 0)
    u = np.where(overlap, u[prev] + 0.3 * bw[prev], u)
    v = np.where(overlap, v[prev] + 0.2 * bh[prev], v)
    bw, bh = np.where(overlap, bw[prev], bw), np.where(overlap, bh[prev], bh)
    a = angle[owner]
    sx = cx[owner] + u * np.cos(a) - v * np.sin(a)
    sy = cy[owner] + u * np.sin(a) + v * np.cos(a)
    bad = rng.random(m) < 0.005  # self-intersecting field digitizing
    survey = rectangles(sx, sy, bw, bh, a)
    if bad.any():
        survey[bad] = rectangles(sx[bad], sy[bad], bw[bad], bh[bad], a[bad], BOWTIE)
    jcmj = np.round(w * h / MU, 4)
    return patches, jcmj, survey


def write_csv(path: str, header: list[str], types: list[str], columns: list) -> None:
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(zip(*columns))
    with open(os.path.splitext(path)[0] + ".csvt", "w") as out:
        out.write(",".join(f'"{t}"' for t in types))


def write(path: str, n: int, seed: int) -> tuple[int, int]:
    gdal.UseExceptions()
    patches, jcmj, survey = build(n, seed)
    town = np.array(TOWNSHIPS)[(np.arange(n) * len(TOWNSHIPS)) // max(n, 1)]
    tmp = os.path.splitext(path)[0] + ".part.gpkg"
    if os.path.exists(tmp):
        os.remove(tmp)
    with tempfile.TemporaryDirectory(dir=os.path.dirname(os.path.abspath(path))) as folder:
        pcsv, scsv = os.path.join(folder, "patches.csv"), os.path.join(folder, "survey.csv")
        ids = [f"1304012024{i + 1:07d}" for i in range(n)]
        write_csv(
            pcsv,
            ["WKT", "JCBH", "XZQMC", "JCMJ", "TBLX"],
            ["WKT", "String", "String", "Real", "String"],
            [shapely.to_wkt(patches, rounding_precision=3), ids, town, jcmj, ["违法建设"] * n],
        )
        write_csv(
            scsv,
            ["WKT", "LX"],
            ["WKT", "String"],
            [shapely.to_wkt(survey, rounding_precision=3), ["建筑物"] * len(survey)],
        )
        for src, name, mode, keep in (
            (pcsv, "patches", "-overwrite", "JCBH,XZQMC,JCMJ,TBLX"),
            (scsv, "survey", "-update", "LX"),
        ):
            gdal.VectorTranslate(
                tmp,
                src,
                options=f"-f GPKG {mode} -nln {name} -select {keep} -a_srs EPSG:{EPSG} -nlt POLYGON -oo GEOM_POSSIBLE_NAMES=WKT "
                "-oo KEEP_GEOM_COLUMNS=NO -lco GEOMETRY_NAME=geom -gt 100000",
            )
    os.replace(tmp, path)
    return n, len(survey)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("output")
    parser.add_argument("--patches", type=int, required=True)
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args(argv)
    n, m = write(args.output, args.patches, args.seed)
    print(f"{args.output}: {n} patches, {m} survey polygons")
    return 0


if __name__ == "__main__":
    sys.exit(main())
