"""verify with and without a land-class layer of 1 000 000 polygons over the 100 000-patch bench county,
end to end through qgis_process (as scripts/bench.py times verify). Not part of `make test`.

The land-class layer tiles the county's extent with jittered quadrilaterals (about 2 250 m² each,
about the size of a patch) whose DLBM codes are drawn like a rural county's (about half cultivated
land, some written as numbers), a few re-digitised over a neighbour. Made once into
.build/bench-cache/ beside the county. Runs in rounds (without, then with, for each checkout) and reports
medians and the ratio of medians. Usage: python bench_farmland.py [--patches N] [--land N] [--repeat K]
[--baseline DIR] (DIR: an earlier checkout, e.g. `git archive` of a commit, with .build/venv and
.build/pydeps linked in; timed in the same rounds)
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import statistics
import sys
import tempfile
from pathlib import Path

import numpy as np
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import CACHE, QGIS_PROCESS, county, timed
from bench_data import EPSG, ORIGIN, SPACING

CODES = [("0101", 0.2), ("101", 0.05), ("0102", 0.1), ("0103", 0.15), ("0201", 0.1), ("0301", 0.12),
         ("0702", 0.15), ("1003", 0.08), ("1101", 0.05)]  # fmt: skip


def land_layer(n_patches: int, n_land: int, seed: int = 11) -> Path:
    path = CACHE / f"land_{n_patches}_{n_land}.gpkg"
    if path.exists():
        return path
    print(f"== generating {path.name} (once)", flush=True)
    rng = np.random.default_rng(seed)
    cols = int(math.ceil(math.sqrt(n_patches)))
    x0, y0 = ORIGIN[0] - 100, ORIGIN[1] - 100
    width = cols * SPACING + 200
    side = int(math.ceil(math.sqrt(n_land)))
    step = width / side
    jitter = step * 0.3
    gx = x0 + np.arange(side + 1)[None, :] * step + rng.uniform(-jitter, jitter, (side + 1, side + 1))
    gy = y0 + np.arange(side + 1)[:, None] * step + rng.uniform(-jitter, jitter, (side + 1, side + 1))
    i, j = np.meshgrid(np.arange(side), np.arange(side), indexing="ij")
    i, j = i.ravel()[:n_land], j.ravel()[:n_land]
    xs = np.stack([gx[i, j], gx[i, j + 1], gx[i + 1, j + 1], gx[i + 1, j], gx[i, j]], axis=1)
    ys = np.stack([gy[i, j], gy[i, j + 1], gy[i + 1, j + 1], gy[i + 1, j], gy[i, j]], axis=1)
    polygons = shapely.polygons(np.stack([xs, ys], axis=2))
    weights = np.array([w for _, w in CODES])
    codes = rng.choice([c for c, _ in CODES], size=n_land, p=weights / weights.sum()).astype(object)
    k = max(1, n_land // 10_000)  # the last few replaced by re-digitised copies overlapping a neighbour
    copies = rng.choice(n_land - k, size=k, replace=False)
    polygons[n_land - k :] = shapely.transform(polygons[copies], lambda c: c + np.array([step * 0.3, 0.0]))
    codes[n_land - k :] = "0103"
    from osgeo import gdal

    gdal.UseExceptions()
    with tempfile.TemporaryDirectory(dir=CACHE) as folder:
        source = os.path.join(folder, "land.csv")
        with open(source, "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(["WKT", "DLBM"])
            writer.writerows(zip(shapely.to_wkt(polygons, rounding_precision=3), codes))
        with open(os.path.join(folder, "land.csvt"), "w") as out:
            out.write('"WKT","String"')
        tmp = str(path) + ".part.gpkg"
        gdal.VectorTranslate(
            tmp,
            source,
            options=f"-f GPKG -nln DLTB -a_srs EPSG:{EPSG} -nlt POLYGON -oo GEOM_POSSIBLE_NAMES=WKT "
            "-oo KEEP_GEOM_COLUMNS=NO -lco GEOMETRY_NAME=geom -gt 100000",
        )
        os.replace(tmp, path)
    return path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patches", type=int, default=100_000)
    parser.add_argument("--land", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline", help="an earlier checkout of the plugin, timed in the same rounds")
    args = parser.parse_args(argv)
    path, survey = county(args.patches)
    land = land_layer(args.patches, args.land)
    codes = {"this checkout": QGIS_PROCESS}
    if args.baseline:  # its own qgis_process.sh runs it as the plugin, from its own .build
        codes["baseline"] = Path(args.baseline).resolve() / "scripts" / "qgis_process.sh"
    with tempfile.TemporaryDirectory() as work:

        def command(tool: Path, out: str, with_land: bool) -> list[str]:
            base = [
                str(tool), "run", "demolitionverifier:verify", "--ELLIPSOID=EPSG:1024", "--",
                f"PATCHES={path}|layername=patches", "PATCH_ID_FIELD=JCBH", "MONITORED_AREA_FIELD=JCMJ",
                "MONITORED_AREA_UNIT=1", "TOWNSHIP_FIELD=XZQMC", f"SURVEY={path}|layername=survey", f"OUTPUT={out}",
            ]  # fmt: skip
            return base + ([f"LAND_CLASS={land}|layername=DLTB", "LAND_CLASS_FIELD=DLBM"] if with_land else [])

        # rounds of (without, with) for each checkout, so each pair sees the same load on a shared host
        results: dict[tuple[str, bool], list] = {}
        for k in range(args.repeat):
            for code, tool in codes.items():
                for with_land in (False, True):
                    out = os.path.join(work, f"out_{len(results)}_{with_land}_{k}.gpkg")
                    run, _output = timed(command(tool, out, with_land))
                    results.setdefault((code, with_land), []).append(run)
                    label = "with LAND_CLASS" if with_land else "without LAND_CLASS"
                    print(
                        f"round {k + 1}, {code}, {label}: {run.wall:.1f} s, peak {run.peak_mib:,.0f} MiB, "
                        f"read/compute/write {run.split}",
                        flush=True,
                    )
    print(f"\n{args.patches:,} patches, {survey:,} survey polygons, {args.land:,} land-class polygons:")
    for code in codes:
        plain, farm = results[(code, False)], results[(code, True)]
        ratios = [f.wall / p.wall for p, f in zip(plain, farm)]
        print(
            f"{code}: verify {median(plain, 'wall'):.1f} s without, {median(farm, 'wall'):.1f} s with, median of "
            f"{args.repeat} ({median(farm, 'wall') / median(plain, 'wall'):.2f}x; per round "
            f"{', '.join(f'{r:.2f}' for r in ratios)}; goal <= 2x); compute {median(plain, 'compute'):.1f} / "
            f"{median(farm, 'compute'):.1f} s; peak {max(r.peak_mib for r in plain):,.0f} / "
            f"{max(r.peak_mib for r in farm):,.0f} MiB"
        )
    return 0


def median(runs: list, what: str) -> float:
    values = [r.wall if what == "wall" else (r.split[1] if r.split else math.nan) for r in runs]
    return statistics.median(values)


if __name__ == "__main__":
    sys.exit(main())
