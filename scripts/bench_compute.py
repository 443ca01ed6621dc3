"""Compute alone, outside QGIS: the plugin's engine against a plain shapely 2 reference, on one bench county.

The reference is what a careful user would write with shapely 2 alone (not part of the plugin): repair
invalid survey polygons with make_valid, one bulk STRtree query, the survey polygons of each patch united
first (union_all per patch that has several), then one intersection per patch, areas and parts of the
result; on the same threads as the engine (patches split into equal runs). It gives remaining area per
patch (planar) and is checked against the engine's planar figures, so both do the same work.
The engine is timed as verify's "compute" is: Verifier(...) and run(), ellipsoidal area, the same rules.
Both start from shapely geometries already decoded (the read is not timed). Median of --repeat runs
(the host is shared: a median is steadier than the best), the runs' spread on stderr.
Usage: python bench_compute.py COUNTY.gpkg [--repeat R] [--profile]
Prints one line: `compute: engine E s, reference R s, pairs P, cut C` (C: pairs a survey polygon
crosses the patch's boundary, which need a real cut).
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import shapely
from osgeo import ogr


def read(path: str, name: str, fields: list[str]) -> tuple[np.ndarray, dict, str]:
    ogr.UseExceptions()
    dataset = ogr.Open(path)
    layer = dataset.GetLayerByName(name)
    wkb, columns = [], {f: [] for f in fields}
    for batch in layer.GetArrowStreamAsNumPy(options=["USE_MASKED_ARRAYS=NO"]):
        wkb.append(batch[layer.GetGeometryColumn() or "geom"])
        for f in fields:
            columns[f].append(batch[f])
    geoms = shapely.from_wkb(np.concatenate(wkb))
    columns = {f: np.concatenate(v) for f, v in columns.items()}
    for f, v in columns.items():  # text comes as bytes (fixed-width or objects); QGIS's reader gives str
        if v.dtype == object or v.dtype.kind == "S":
            columns[f] = np.array([b.decode() if isinstance(b, bytes) else b for b in v.tolist()], dtype=object)
    return geoms, columns, layer.GetSpatialRef().ExportToWkt()


def reference(patches: np.ndarray, survey: np.ndarray, threads: int) -> np.ndarray:
    """Remaining (planar) area per patch: survey pieces united per patch, one intersection per patch."""
    invalid = ~shapely.is_valid(survey)
    survey = survey.copy()
    survey[invalid] = shapely.make_valid(survey[invalid])
    tree = shapely.STRtree(survey)
    n = len(patches)
    shapely.prepare(patches)

    def run(start: int, stop: int) -> np.ndarray:
        pi, si = tree.query(patches[start:stop], predicate="intersects")
        pi += start
        bounds = np.r_[0, np.flatnonzero(np.diff(pi)) + 1, len(pi)]
        first, count = pi[bounds[:-1]], np.diff(bounds)
        united = survey[si[bounds[:-1]]].copy()
        for k in np.flatnonzero(count > 1):
            united[k] = shapely.union_all(survey[si[bounds[k] : bounds[k + 1]]])
        inside = shapely.intersection(patches[first], united)
        parts, owner = shapely.get_parts(inside, return_index=True)
        polygon = shapely.get_type_id(parts) == shapely.GeometryType.POLYGON
        parts, owner = parts[polygon], owner[polygon]
        area = shapely.area(parts)
        out = np.zeros(stop - start)
        np.add.at(out, first[owner] - start, area)
        return out

    step = -(-n // threads)
    with ThreadPoolExecutor(threads) as pool:
        results = list(pool.map(lambda s: run(s, min(n, s + step)), range(0, n, step)))
    shapely.destroy_prepared(patches)
    return np.concatenate(results)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("county")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="cProfile one engine run (top 25 by own time)")
    parser.add_argument("--engine-only", action="store_true", help="time the engine alone (no reference, no check)")
    args = parser.parse_args(argv)

    from demolition_verifier.core.chunked import workers
    from demolition_verifier.core.definitions import AreaMethod, AreaUnit
    from demolition_verifier.core.engine import Layer, PatchLayer, Rules, Verifier
    from demolition_verifier.core.gc_pause import paused_gc

    patches, columns, crs = read(args.county, "patches", ["JCBH", "JCMJ", "XZQMC"])
    survey, _none, survey_crs = read(args.county, "survey", [])

    def engine(method=AreaMethod.ELLIPSOIDAL):
        return Verifier(
            PatchLayer(
                "patches",
                patches,
                crs,
                ids=columns["JCBH"],
                monitored=columns["JCMJ"],
                townships=columns["XZQMC"],
            ),
            Layer("survey", survey, survey_crs),
            rules=Rules(monitored_area_unit=AreaUnit.MU, area_method=method),
        ).run()

    times: dict[str, list[float]] = {"engine": [], "reference": []}
    cpu_times: list[float] = []  # CPU seconds of all threads: steadier than wall time on a shared host
    with paused_gc():
        for _ in range(args.repeat):
            clock, cpu = time.perf_counter(), time.process_time()
            engine()
            times["engine"].append(time.perf_counter() - clock)
            cpu_times.append(time.process_time() - cpu)
            if args.engine_only:
                continue
            clock = time.perf_counter()
            ref = reference(patches, survey, workers())
            times["reference"].append(time.perf_counter() - clock)
        if args.engine_only:
            print(
                f"engine: {float(np.median(times['engine'])):.3f} s median of "
                + " ".join(f"{v:.3f}" for v in sorted(times["engine"]))
                + f"; CPU {float(np.median(cpu_times)):.3f} s median of "
                + " ".join(f"{v:.3f}" for v in sorted(cpu_times))
            )
            return 0
        planar = engine(AreaMethod.PLANAR)
    worst = float(np.max(np.abs(planar.remain_m2 - ref) / np.maximum(1.0, ref)))
    if worst > 1e-4:
        print(f"warning: engine and reference differ by {worst:.2e} (relative) somewhere", file=sys.stderr)

    tree = shapely.STRtree(survey)
    pi, si = tree.query(patches, predicate="intersects")
    shapely.prepare(patches)
    cut = int((~shapely.covers(patches[pi], survey[si])).sum())
    if args.profile:
        import cProfile
        import pstats

        with paused_gc():
            profiler = cProfile.Profile()
            profiler.enable()
            engine()
            profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    for name, values in times.items():
        print(f"{name}: " + " ".join(f"{v:.2f}" for v in sorted(values)) + " s", file=sys.stderr)
    print(
        f"compute: engine {float(np.median(times['engine'])):.2f} s, "
        f"reference {float(np.median(times['reference'])):.2f} s, pairs {len(pi)}, cut {cut}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
