"""Same answers before and after an engine change: every field of every patch, every remnant record.

Runs the engine of this checkout and of an earlier commit (extracted with `git archive` into a
temporary folder, imported under the package's name) on the same counties, each in its own process,
and compares the whole Result: status, reasons, ids, townships, monitored/geometry/remaining/largest
areas, ratios, remnant counts, every remnant record (patch, part number, area, geometry), the township
summary and the notices. Counties: bench GeoPackages (scripts/bench_data.py, as `make bench` caches
them) and/or counties built in memory (`--generate NAME:N:SEED`, unrounded coordinates).
Areas: exact equality counted, the largest relative difference reported; remnant geometries: identical
WKB, else identical after normalize(), else topologically equal (shapely.equals), else different.
Exit status 1 on any status/reason/id/count difference, an area differing by more than 1e-9 relative,
or a remnant geometry that is not topologically equal.
Usage: python compare_engine.py [COUNTY.gpkg ...] [--generate NAME:N:SEED ...] [--base REV] [--method M]
       python compare_engine.py --dump OUT.pkl (COUNTY.gpkg | --generate NAME:N:SEED) [--method M]
"""

from __future__ import annotations

import argparse
import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
AREA_FIELDS = ("monitor_m2", "geom_m2", "remain_m2", "remain_rt", "largest_m2")
EXACT_FIELDS = ("patch_id", "township", "status", "reasons", "remnants")
RELATIVE = 1e-9


def load_county(spec: str):
    """(patches, ids, monitored, townships, crs, survey, survey_crs) from a GeoPackage or NAME:N:SEED."""
    sys.path.insert(0, str(ROOT / "scripts"))
    if spec.endswith(".gpkg"):
        from bench_compute import read

        patches, columns, crs = read(spec, "patches", ["JCBH", "JCMJ", "XZQMC"])
        survey, _none, survey_crs = read(spec, "survey", [])
        return patches, columns["JCBH"], columns["JCMJ"], columns["XZQMC"], crs, survey, survey_crs
    import bench_data

    name, n, seed = spec.split(":")
    patches, jcmj, survey = bench_data.build(int(n), int(seed), bench_data.COUNTIES[name])
    ids = np.array([f"1304012024{i + 1:07d}" for i in range(int(n))], dtype=object)
    town = np.array(bench_data.TOWNSHIPS, dtype=object)[(np.arange(int(n)) * len(bench_data.TOWNSHIPS)) // int(n)]
    crs = f"EPSG:{bench_data.EPSG}"
    return patches, ids, jcmj, town, crs, survey, crs


def dump(spec: str, out: str, method: str) -> None:
    import shapely

    from demolition_verifier.core.definitions import AreaMethod, AreaUnit
    from demolition_verifier.core.engine import Layer, PatchLayer, Rules, Verifier

    patches, ids, monitored, townships, crs, survey, survey_crs = load_county(spec)
    result = Verifier(
        PatchLayer("patches", patches, crs, ids=ids, monitored=monitored, townships=townships),
        Layer("survey", survey, survey_crs),
        rules=Rules(monitored_area_unit=AreaUnit.MU, area_method=AreaMethod[method.upper()]),
    ).run()
    parts = result.remnant_parts
    record = {
        **{name: np.asarray(getattr(result, name)) for name in AREA_FIELDS},
        **{name: list(getattr(result, name)) for name in EXACT_FIELDS},
        "part_patch": np.asarray(parts.patch_index),
        "part_no": np.asarray(parts.part),
        "part_m2": np.asarray(parts.area_m2),
        "part_wkb": shapely.to_wkb(parts.geometries),
        "summary": [repr(row) for row in result.summary],
        "notices": [(n.key, n.level, sorted(n.values.items())) for n in result.notices],
    }
    with open(out, "wb") as f:
        pickle.dump(record, f)


def compare(before: dict, after: dict) -> tuple[bool, str]:
    """(all the same, a one-line report)."""
    import shapely

    ok, notes = True, []
    for name in EXACT_FIELDS + ("summary", "notices"):
        a, b = before[name], after[name]
        same = len(a) == len(b) and all(x == y for x, y in zip(a, b))
        if not same:
            ok = False
            differ = sum(x != y for x, y in zip(a, b)) + abs(len(a) - len(b))
            notes.append(f"{name}: {differ} DIFFER")
    for name in ("part_patch", "part_no"):
        if not np.array_equal(before[name], after[name]):
            ok = False
            notes.append(f"{name}: DIFFER")
    worst = 0.0
    unequal = 0
    for name in AREA_FIELDS + ("part_m2",):
        a, b = before[name], after[name]
        if a.shape != b.shape:
            ok = False
            notes.append(f"{name}: shape {a.shape} vs {b.shape}")
            continue
        diff = a != b
        unequal += int(diff.sum())
        if diff.any():
            rel = float(np.max(np.abs(a[diff] - b[diff]) / np.maximum(np.abs(a[diff]), 1e-300)))
            worst = max(worst, rel)
            if rel > RELATIVE:
                ok = False
                notes.append(f"{name}: {int(diff.sum())} differ, up to {rel:.1e} relative")
    wkb_a, wkb_b = before["part_wkb"], after["part_wkb"]
    geoms = "remnant geometries: count differs"
    if len(wkb_a) == len(wkb_b):
        same_wkb = np.array([x == y for x, y in zip(wkb_a, wkb_b)], dtype=bool)
        rest = np.flatnonzero(~same_wkb)
        ga, gb = shapely.from_wkb(wkb_a[rest]), shapely.from_wkb(wkb_b[rest])
        normal = shapely.equals_exact(shapely.normalize(ga), shapely.normalize(gb), tolerance=0.0)
        topo = shapely.equals(ga[~normal], gb[~normal])
        bad = int((~topo).sum())
        geoms = (
            f"remnant geometries {len(wkb_a)}: {int(same_wkb.sum())} identical WKB, {int(normal.sum())} same after "
            f"normalize, {int(topo.sum())} topologically equal, {bad} different"
        )
        ok &= bad == 0
    else:
        ok = False
    areas = f"areas: {unequal} values not bit-identical, largest relative difference {worst:.1e}"
    return ok, "; ".join([*notes, areas, geoms])


def base_checkout(rev: str, folder: Path) -> Path:
    """The plugin at `rev`, importable as demolition_verifier from folder/plugins."""
    tree = folder / "demolition_verifier"
    tree.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return folder


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("counties", nargs="*", help="bench GeoPackages")
    parser.add_argument("--generate", nargs="*", default=[], help="NAME:N:SEED counties built in memory")
    parser.add_argument("--base", default="HEAD", help="the commit to compare this checkout against")
    parser.add_argument("--method", default="ellipsoidal", choices=["ellipsoidal", "planar"])
    parser.add_argument("--dump", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    specs = [str(Path(c).resolve()) for c in args.counties] + list(args.generate)
    if args.dump:
        dump(specs[0], args.dump, args.method)
        return 0
    pydeps = os.environ.get("PYTHONPATH", str(ROOT / ".build" / "pydeps"))
    failed = False
    with tempfile.TemporaryDirectory(prefix="compare-", dir=ROOT / ".build") as tmp:
        base = base_checkout(args.base, Path(tmp) / "base")
        plugins = Path(tmp) / "plugins"
        plugins.mkdir()
        (plugins / "demolition_verifier").symlink_to(ROOT)
        print(f"== this checkout against {args.base} ({args.method} areas)")
        for spec in specs:
            records = []
            for label, path in (("before", base), ("after", plugins)):
                out = Path(tmp) / f"{label}.pkl"
                subprocess.run(
                    [
                        sys.executable,
                        str(ROOT / "scripts" / "compare_engine.py"),
                        "--dump",
                        str(out),
                        "--method",
                        args.method,
                    ]
                    + (["--generate", spec] if not spec.endswith(".gpkg") else [spec]),
                    check=True,
                    env={**os.environ, "PYTHONPATH": f"{path}:{pydeps}"},
                    cwd=tmp,
                )
                with open(out, "rb") as f:
                    records.append(pickle.load(f))
            ok, report = compare(*records)
            failed |= not ok
            patches = len(records[0]["status"])
            print(f"{'SAME' if ok else 'DIFFERENT'}  {Path(spec).name} ({patches} patches): {report}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
