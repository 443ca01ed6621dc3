"""The farmland overlay's compute alone, outside QGIS: the engine on the 100 000-patch bench county with and
without the 1 000 000-polygon land-class layer of bench_farmland.py, runs interleaved (without, with, without,
...) so both see the same load on a shared host; medians and the ratio of medians. Both start from shapely
geometries already decoded (the read is not timed). Not part of `make test`.
Usage: python bench_farmland_compute.py [--patches N] [--land N] [--repeat K] [--profile]
With --profile, cProfile of one run with LAND_CLASS (top 30 by own time) in one thread.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import county
from bench_compute import read
from bench_farmland import land_layer


def load(patches_n: int, land_n: int) -> dict:
    path, _survey = county(patches_n)
    patches, columns, crs = read(str(path), "patches", ["JCBH", "JCMJ", "XZQMC"])
    survey, _none, survey_crs = read(str(path), "survey", [])
    land_path = land_layer(patches_n, land_n)
    land, land_columns, land_crs = read(str(land_path), "DLTB", ["DLBM"])
    codes = [c.decode() if isinstance(c, bytes) else c for c in land_columns["DLBM"].tolist()]  # as QGIS gives them
    return {
        "patches": (patches, columns, crs),
        "survey": (survey, survey_crs),
        "land": (land, codes, land_crs),
    }


def run_engine(data: dict, with_land: bool, basic=None, approvals=None):
    from demolition_verifier.core.definitions import AreaMethod, AreaUnit
    from demolition_verifier.core.engine import Layer, PatchLayer, Rules, Verifier
    from demolition_verifier.core.land import LandInputs, PolygonInput

    patches, columns, crs = data["patches"]
    survey, survey_crs = data["survey"]
    land = None
    if with_land:
        geoms, codes, land_crs = data["land"]
        land = LandInputs(land_class=PolygonInput("DLTB", geoms, land_crs), land_codes=codes)
        if basic is not None:
            land.basic_farmland = PolygonInput("JBNTBHTB", basic, land_crs)
        if approvals is not None:
            land.approvals = PolygonInput("APPROVALS", approvals, land_crs)
    return Verifier(
        PatchLayer("patches", patches, crs, ids=columns["JCBH"], monitored=columns["JCMJ"], townships=columns["XZQMC"]),
        Layer("survey", survey, survey_crs),
        rules=Rules(monitored_area_unit=AreaUnit.MU, area_method=AreaMethod.ELLIPSOIDAL),
        land=land,
    ).run()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patches", type=int, default=100_000)
    parser.add_argument("--land", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)
    from demolition_verifier.core.gc_pause import paused_gc

    data = load(args.patches, args.land)
    if args.profile:
        import cProfile
        import os
        import pstats

        os.environ["DEMOLITION_VERIFIER_THREADS"] = "1"
        with paused_gc():
            profiler = cProfile.Profile()
            profiler.enable()
            run_engine(data, True)
            profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
        return 0
    times: dict[bool, list[float]] = {False: [], True: []}
    with paused_gc():
        for k in range(args.repeat):
            for with_land in (False, True):
                clock = time.perf_counter()
                run_engine(data, with_land)
                times[with_land].append(time.perf_counter() - clock)
            print(f"run {k + 1}: without {times[False][-1]:.2f} s, with {times[True][-1]:.2f} s", flush=True)
    plain, farm = statistics.median(times[False]), statistics.median(times[True])
    print(
        f"compute, median of {args.repeat}: {plain:.2f} s without LAND_CLASS, {farm:.2f} s with "
        f"(+{farm - plain:.2f} s, {farm / plain:.2f}x)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
