"""Synthetic counties for `make bench`: N patches and about 2N survey polygons in one GeoPackage.

Geometries are built as whole numpy arrays (shapely), written as a WKT CSV and converted by GDAL
in one call (gdal.VectorTranslate: the GDAL QGIS uses, so any QGIS opens the file), instead of one
Python call per feature. Each patch is a rectangle (70 % rotated), with 0-4 remnants: most inside,
some straddling the edge, some overlapping a second team's outline, a few self-intersecting.
The family (`COUNTIES`): the bench county of earlier runs, 0/10/30/60 % of remnants straddling the patch's
edge, dense overlapping re-surveys, large remnants (up to the patch's size), long thin patches, patches with holes.
Usage: python bench_data.py OUT.gpkg --patches N [--seed S] [--county NAME]
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import sys
import tempfile
from typing import NamedTuple

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


class Shape(NamedTuple):
    """What a synthetic county looks like (the family of `make bench`). A NamedTuple, not a dataclass:
    tests load this file without registering it as a module, which a dataclass needs."""

    straddle: float = 0.08  # share of remnants across the patch's edge
    overlap: float = 0.10  # share of remnants that are a second team's outline of the previous one
    resurveys: int = 1  # outlines of each overlapping remnant (dense re-surveys: several teams)
    large: float = 0.0  # share of remnants sized up to the patch itself
    thin: bool = False  # long thin patches (roadside, river bank), 5-12 m wide
    holes: bool = False  # patches with a courtyard hole; remnants also across the hole's edge
    bad: float = 0.005  # self-intersecting outlines (field digitizing)
    remnants: int = 5  # 0 .. remnants-1 per patch
    all_sides: bool = True  # straddling any of the four edges (the bench county: the east one only)


# name -> shape; "bench" is the county of earlier runs (8 % straddling, 10 % overlapping)
COUNTIES = {
    "bench": Shape(all_sides=False),
    "straddle0": Shape(straddle=0.0),
    "straddle10": Shape(straddle=0.10),
    "straddle30": Shape(straddle=0.30),
    "straddle60": Shape(straddle=0.60),
    "resurvey": Shape(straddle=0.30, overlap=0.5, resurveys=3),
    "large": Shape(straddle=0.30, large=0.3),
    "thin": Shape(straddle=0.10, thin=True),
    "holes": Shape(straddle=0.10, holes=True),
}


def build(n: int, seed: int, shape: Shape | None = None):
    shape = shape or COUNTIES["bench"]
    rng = np.random.default_rng(seed)
    cols = int(math.ceil(math.sqrt(n)))
    row, col = np.divmod(np.arange(n), cols)
    cx = ORIGIN[0] + col * SPACING + rng.uniform(-15, 15, n)
    cy = ORIGIN[1] + row * SPACING + rng.uniform(-15, 15, n)
    w, h = rng.uniform(30, 75, n), rng.uniform(25, 60, n)
    if shape.thin:
        w, h = rng.uniform(90, 140, n), rng.uniform(5, 12, n)
    angle = np.where(rng.random(n) < 0.3, 0.0, rng.uniform(-0.6, 0.6, n))
    patches = rectangles(cx, cy, w, h, angle)
    if shape.holes:
        hole_w, hole_h = w * rng.uniform(0.2, 0.4, n), h * rng.uniform(0.2, 0.4, n)
        rings = shapely.get_exterior_ring(rectangles(cx, cy, hole_w, hole_h, angle))
        patches = np.array(
            [shapely.Polygon(shapely.get_exterior_ring(p), [r]) for p, r in zip(patches, rings)], dtype=object
        )

    # remnants: 0 .. remnants-1 per patch, in the patch's own frame
    k = rng.integers(0, shape.remnants, n)
    owner = np.repeat(np.arange(n), k)
    m = len(owner)
    size = np.where(rng.random(m) < 0.5, rng.uniform(0.5, 3.0, m), rng.uniform(4.0, 16.0, m))
    bw, bh = size, size * rng.uniform(0.6, 1.4, m)
    if shape.thin:  # buildings along a thin patch are cut by its long sides
        bh = np.minimum(bh, h[owner] * rng.uniform(0.4, 1.6, m))
    if shape.large:
        large = rng.random(m) < shape.large
        bw = np.where(large, w[owner] * rng.uniform(0.3, 1.0, m), bw)
        bh = np.where(large, h[owner] * rng.uniform(0.3, 1.0, m), bh)
    u = rng.uniform(-0.35, 0.35, m) * w[owner]
    v = rng.uniform(-0.35, 0.35, m) * h[owner]
    straddle = rng.random(m) < shape.straddle  # across one of the patch's edges (mostly the east one)
    side = rng.integers(0, 4, m) if shape.all_sides else np.zeros(m, dtype=int)
    u = np.where(straddle & (side == 0), w[owner] / 2, u)
    u = np.where(straddle & (side == 1), -w[owner] / 2, u)
    v = np.where(straddle & (side == 2), h[owner] / 2, v)
    v = np.where(straddle & (side == 3), -h[owner] / 2, v)
    if shape.holes:  # a quarter of the remnants across the courtyard's edge
        across = rng.random(m) < 0.25
        u = np.where(across, hole_w[owner] / 2, u)
        v = np.where(across, rng.uniform(-0.5, 0.5, m) * hole_h[owner], v)
    for _team in range(shape.resurveys):
        overlap = rng.random(m) < shape.overlap  # another team's outline of the previous remnant, shifted
        prev = np.maximum(np.arange(m) - 1, 0)
        overlap &= (owner[prev] == owner) & (np.arange(m) > 0)
        du, dv = (0.3, 0.2) if shape.resurveys == 1 else (rng.uniform(-0.3, 0.3, m), rng.uniform(-0.3, 0.3, m))
        u = np.where(overlap, u[prev] + du * bw[prev], u)
        v = np.where(overlap, v[prev] + dv * bh[prev], v)
        bw, bh = np.where(overlap, bw[prev], bw), np.where(overlap, bh[prev], bh)
    a = angle[owner]
    sx = cx[owner] + u * np.cos(a) - v * np.sin(a)
    sy = cy[owner] + u * np.sin(a) + v * np.cos(a)
    bad = rng.random(m) < shape.bad  # self-intersecting field digitizing
    survey = rectangles(sx, sy, bw, bh, a)
    if bad.any():
        survey[bad] = rectangles(sx[bad], sy[bad], bw[bad], bh[bad], a[bad], BOWTIE)
    jcmj = np.round(shapely.area(patches) / MU, 4) if shape.holes else np.round(w * h / MU, 4)
    return patches, jcmj, survey


def write_csv(path: str, header: list[str], types: list[str], columns: list) -> None:
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(zip(*columns))
    with open(os.path.splitext(path)[0] + ".csvt", "w") as out:
        out.write(",".join(f'"{t}"' for t in types))


def write(path: str, n: int, seed: int, county: str = "bench") -> tuple[int, int]:
    gdal.UseExceptions()
    patches, jcmj, survey = build(n, seed, COUNTIES[county])
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
    parser.add_argument("--county", default="bench", choices=sorted(COUNTIES), help="the shape of the county")
    args = parser.parse_args(argv)
    n, m = write(args.output, args.patches, args.seed, args.county)
    print(f"{args.output}: {n} patches, {m} survey polygons")
    return 0


if __name__ == "__main__":
    sys.exit(main())
