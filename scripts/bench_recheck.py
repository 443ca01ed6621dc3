"""Times re-checking single patches, as the dock does on a click, on a verified county.

Runs inside PyQGIS (the project's venv). Uses qgis_adapter/recheck.py's widget-free recheck_patches: it reads
only the survey inside the patch through the layer's own spatial index (the GeoPackage's R-tree),
so nothing is rebuilt per click. Where qgis_adapter/recheck.py is not there, times the core Verifier on one
patch against a survey index built once. Prints one line: `recheck: first X ms, median Y ms, max Z ms`.
Usage: python bench_recheck.py VERIFIED.gpkg COUNTY.gpkg [--clicks N]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("verified")
    parser.add_argument("county")
    parser.add_argument("--clicks", type=int, default=20)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path[:0] = [str(ROOT / ".build" / "plugins"), str(ROOT / ".build" / "pydeps")]
    from qgis.core import QgsApplication, QgsVectorLayer

    app = QgsApplication([], False)
    app.initQgis()
    result = QgsVectorLayer(args.verified, "verified", "ogr")
    survey = QgsVectorLayer(f"{args.county}|layername=survey", "survey", "ogr")
    fids = random.Random(6).sample(sorted(result.allFeatureIds()), args.clicks + 1)
    try:
        times = _with_recheck(result, survey, fids)
        how = "ui.recheck.recheck_patches"
    except ImportError:
        times = _with_core(result, survey, fids)
        how = "core Verifier, survey index built once"
    first, rest = times[0], times[1:]
    print(
        f"recheck: first {first:.1f} ms, median {statistics.median(rest):.1f} ms, max {max(rest):.1f} ms "
        f"({len(rest)} clicks on {result.featureCount()} patches; {how})"
    )
    app.exitQgis()
    return 0


def _with_recheck(result, survey, fids: list[int]) -> list[float]:
    from demolition_verifier.core.definitions import AreaUnit
    from demolition_verifier.core.engine import Rules
    from demolition_verifier.qgis_adapter.recheck import recheck_patches

    rules = Rules(monitored_area_unit=AreaUnit.MU)
    times = []
    for fid in fids:
        clock = time.perf_counter()
        recheck_patches(result, survey, [fid], rules, area_field="JCMJ")
        times.append((time.perf_counter() - clock) * 1000)
    return times


def _with_core(result, survey, fids: list[int]) -> list[float]:
    from demolition_verifier.core.definitions import AreaUnit
    from demolition_verifier.core.engine import Layer, PatchLayer, Rules, Verifier
    from demolition_verifier.qgis_adapter.layers import crs_text, to_shapely

    survey_geoms, _repaired = to_shapely(f.geometry() for f in survey.getFeatures())
    features = {f.id(): f for f in result.getFeatures(fids)}
    verifier = None
    times = []
    for fid in fids:
        feature = features[fid]
        clock = time.perf_counter()
        geoms, _ = to_shapely([feature.geometry()])
        patch = PatchLayer(
            "patches", geoms, crs_text(result.crs()), ids=[feature["patch_id"]], monitored=[feature["JCMJ"]]
        )
        if verifier is None:  # the survey and its index, built once, outside the timing of later clicks
            verifier = Verifier(
                patch,
                Layer("survey", survey_geoms, crs_text(survey.crs())),
                rules=Rules(monitored_area_unit=AreaUnit.MU),
            )
        verifier.patches = patch
        verifier.run()
        times.append((time.perf_counter() - clock) * 1000)
    return times


if __name__ == "__main__":
    sys.exit(main())
