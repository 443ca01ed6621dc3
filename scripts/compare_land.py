"""Every farmland figure of every patch, from this checkout and from a baseline checkout of the plugin, compared.

For a change to core/land.py that must not move any answer: each code runs in its own process on the same
inputs (engine only, no QGIS) and writes what it computed; then farm_m2, farm_rem, bfarm_m2, bfarm_rem,
appr_m2 (compared as numbers), appr_ids, method, status, reasons and the run's notices (compared exactly).
The inputs:
- `tests`: every call to the engine made by tests/core/test_land.py (each test run, assertions ignored);
- `sample`: the sample county of `make demo` (scripts/sample_data.py: land classes with overlapping
  polygons, basic farmland, approvals) at 3 000 patches, seeds 1, 2, 3;
- `bench`: the 100 000-patch bench county with the 1 000 000-polygon land-class layer of bench_farmland.py;
- `bench-all`: the same with basic farmland (a share of the land-class polygons, some re-digitised over a
  neighbour) and approvals (boxes around some patches' remnants, some overlapping), made here;
- `family`: the bench family's straddle30, holes and thin counties at 20 000 patches with a land-class
  layer of 200 000 polygons.
Usage: python compare_land.py --baseline DIR [--datasets tests sample bench bench-all family]
  (DIR: another checkout of the plugin, e.g. mkdir DIR && git archive main | tar -x -C DIR)
Prints per dataset and field the patches compared, how many differ and the largest relative difference;
exits 1 on any difference in a text field, status or reason, or a figure beyond --tolerance (relative) and
--absolute (m²; the figures are kept to the µm², and the numpy cuts of core/clip.py may move the last digit).
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

SCRIPTS = Path(__file__).resolve().parent
ROOT = SCRIPTS.parent
FIGURES = ("farm_m2", "farm_rem", "bfarm_m2", "bfarm_rem", "appr_m2")
TEXTS = ("appr_ids", "method", "status", "reasons")
DATASETS = ("tests", "sample", "bench", "bench-all", "family")


# -- what one checkout computes (run in its own process) ---------------------------------------------------
def _fields(result) -> dict:
    out = {}
    for name in FIGURES:
        value = getattr(result, name)
        out[name] = None if value is None else np.asarray(value, dtype=float)
    for name in ("appr_ids", "method"):
        value = getattr(result, name)
        out[name] = None if value is None else [str(v) for v in value]
    out["status"] = [str(v) for v in result.status]
    out["reasons"] = [str(v) for v in result.reasons]
    out["notices"] = sorted(repr((n.key, n.level, sorted(n.values.items()))) for n in result.notices)
    return out


def _test_cases() -> dict:
    """Each engine run of tests/core/test_land.py, by test name and call number."""
    sys.path.insert(0, str(ROOT / "tests"))
    sys.path.insert(0, str(ROOT / "tests" / "core"))
    import test_land

    from demolition_verifier.core import engine

    captured: dict = {}
    current = [""]
    real = engine.verify

    def recording(*args, **kwargs):
        result = real(*args, **kwargs)
        key = f"{current[0]}#{sum(1 for k in captured if k.startswith(current[0] + '#'))}"
        captured[key] = _fields(result)
        return result

    test_land.verify = recording
    for name in sorted(dir(test_land)):
        func = getattr(test_land, name)
        if not name.startswith("test_") or not callable(func) or getattr(func, "pytestmark", None):
            continue
        current[0] = name
        try:
            func()
        except Exception:  # a test's own assertion or refusal: what ran before it still counts
            pass
    return captured


def _read(path: str, name: str, fields: list[str]):
    sys.path.insert(0, str(SCRIPTS))
    from bench_compute import read

    geoms, columns, crs = read(path, name, fields)
    for key, value in columns.items():
        columns[key] = [v.decode() if isinstance(v, bytes) else v for v in value.tolist()]
    return geoms, columns, crs


def _engine(patches, survey, land=None, coverage=None):
    from demolition_verifier.core.definitions import AreaMethod, AreaUnit
    from demolition_verifier.core.engine import Layer, PatchLayer, Rules, Verifier

    geoms, columns, crs = patches
    return Verifier(
        PatchLayer("patches", geoms, crs, ids=columns["JCBH"], monitored=columns["JCMJ"], townships=columns["XZQMC"]),
        Layer("survey", survey[0], survey[2]),
        Layer("coverage", coverage[0], coverage[2]) if coverage is not None else None,
        rules=Rules(monitored_area_unit=AreaUnit.MU, area_method=AreaMethod.ELLIPSOIDAL),
        land=land,
    ).run()


def _sample_cases(work: str) -> dict:
    from demolition_verifier.core.land import LandInputs, PolygonInput

    sys.path.insert(0, str(SCRIPTS))
    import sample_data

    out = {}
    for seed in (1, 2, 3):
        path = os.path.join(work, f"sample_{seed}.gpkg")
        if not os.path.exists(path):
            from osgeo import ogr

            ogr.UseExceptions()
            sample_data.write(path, 3000, seed)
        patches = _read(path, "patches", ["JCBH", "JCMJ", "XZQMC", "XZQDM"])
        survey, coverage = _read(path, "survey", []), _read(path, "coverage", [])
        dltb, basic, approvals = _read(path, "DLTB", ["DLBM"]), _read(path, "JBNTBHTB", []), _read(path, "approvals", ["PZWH"])  # fmt: skip
        land = LandInputs(
            land_class=PolygonInput("DLTB", dltb[0], dltb[2]),
            land_codes=dltb[1]["DLBM"],
            basic_farmland=PolygonInput("JBNTBHTB", basic[0], basic[2]),
            approvals=PolygonInput("approvals", approvals[0], approvals[2]),
            approval_ids=approvals[1]["PZWH"],
        )
        out[f"seed {seed}"] = _fields(_engine(patches, survey, land, coverage))
        only = LandInputs(land_class=land.land_class, land_codes=land.land_codes)
        out[f"seed {seed}, LAND_CLASS only"] = _fields(_engine(patches, survey, only, coverage))
    return out


def _bench_inputs(n_patches: int, n_land: int, county_name: str = "bench"):
    sys.path.insert(0, str(SCRIPTS))
    from bench import county
    from bench_farmland import land_layer

    path, _survey = county(n_patches, county_name)
    patches = _read(str(path), "patches", ["JCBH", "JCMJ", "XZQMC"])
    survey = _read(str(path), "survey", [])
    land = _read(str(land_layer(n_patches, n_land)), "DLTB", ["DLBM"])
    return patches, survey, land


def _bench_cases(all_layers: bool) -> dict:
    import shapely

    from demolition_verifier.core.land import LandInputs, PolygonInput

    patches, survey, land = _bench_inputs(100_000, 1_000_000)
    inputs = LandInputs(land_class=PolygonInput("DLTB", land[0], land[2]), land_codes=land[1]["DLBM"])
    if not all_layers:
        return {"LAND_CLASS": _fields(_engine(patches, survey, inputs))}
    rng = np.random.default_rng(5)
    chosen = np.flatnonzero(rng.random(len(land[0])) < 0.25)
    basic = land[0][chosen]
    shifted = shapely.transform(basic[:200], lambda c: c + np.array([12.0, 0.0]))  # re-digitised over a neighbour
    basic = np.concatenate([basic, shifted])
    kept = rng.choice(len(survey[0]), size=20_000, replace=False)
    boxes = shapely.envelope(shapely.buffer(survey[0][kept], rng.uniform(-1.0, 8.0, len(kept))))
    inputs.basic_farmland = PolygonInput("JBNTBHTB", basic, land[2])
    inputs.approvals = PolygonInput("approvals", boxes, land[2])
    inputs.approval_ids = [f"批{k % 9000}" for k in range(len(boxes))]  # some ids shared by two approvals
    return {"all layers": _fields(_engine(patches, survey, inputs))}


def _family_cases() -> dict:
    from demolition_verifier.core.land import LandInputs, PolygonInput

    out = {}
    for name in ("straddle30", "holes", "thin"):
        patches, survey, land = _bench_inputs(20_000, 200_000, name)
        inputs = LandInputs(land_class=PolygonInput("DLTB", land[0], land[2]), land_codes=land[1]["DLBM"])
        out[name] = _fields(_engine(patches, survey, inputs))
    return out


def dump(root: str, out: str, datasets: list[str], work: str) -> None:
    with tempfile.TemporaryDirectory() as folder:  # the checkout under the package's own name
        os.symlink(os.path.abspath(root), os.path.join(folder, "demolition_verifier"))
        sys.path.insert(0, folder)
        import demolition_verifier

        assert Path(demolition_verifier.__file__).resolve().parent == Path(root).resolve(), demolition_verifier.__file__
        found = {}
        for name in datasets:
            cases = {
                "tests": _test_cases,
                "sample": lambda: _sample_cases(work),
                "bench": lambda: _bench_cases(False),
                "bench-all": lambda: _bench_cases(True),
                "family": _family_cases,
            }[name]()
            found.update({f"{name}: {case}": fields for case, fields in cases.items()})
        with open(out, "wb") as stream:
            pickle.dump(found, stream)


# -- the comparison ----------------------------------------------------------------------------------
def compare(before: dict, after: dict, tolerance: float, absolute: float = 0.0) -> bool:
    ok = True
    if sorted(before) != sorted(after):
        print(f"different cases: {sorted(set(before) ^ set(after))}")
        ok = False
    for case in sorted(set(before) & set(after)):
        b, a = before[case], after[case]
        n = len(b["status"])
        words = []
        for name in FIGURES:
            if (b[name] is None) != (a[name] is None):
                words.append(f"{name} present in one only")
                ok = False
                continue
            if b[name] is None:
                continue
            x, y = b[name], a[name]
            differ = ~((x == y) | (np.isnan(x) & np.isnan(y)))
            rel = np.abs(x - y) / np.maximum(np.abs(x), 1e-300)
            gap = np.abs(x - y)
            worst = float(np.nanmax(rel[differ])) if differ.any() else 0.0
            widest = float(np.nanmax(gap[differ])) if differ.any() else 0.0
            words.append(
                f"{name} {int(differ.sum())} differ"
                + (f" (max {worst:.1e} rel, {widest:.1e} m²)" if differ.any() else "")
            )
            ok &= bool(((rel <= tolerance) | (gap <= absolute) | ~differ).all())
        for name in (*TEXTS, "notices"):
            if b[name] != a[name]:
                count = "list" if name == "notices" else sum(p != q for p, q in zip(b[name] or [], a[name] or []))
                words.append(f"{name} DIFFER ({count})")
                ok = False
        print(f"{case} ({n} patches): " + ", ".join(words) + "; texts, statuses, reasons, notices identical"
              * all("DIFFER" not in w for w in words))  # fmt: skip
    return ok


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", help="the checkout to compare against")
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS), choices=DATASETS)
    parser.add_argument("--tolerance", type=float, default=1e-9, help="largest relative difference of a figure")
    parser.add_argument(
        "--absolute", type=float, default=0.0, help="or largest difference in m² (1e-6: the last digit kept)"
    )
    parser.add_argument("--dump", help=argparse.SUPPRESS)  # internal: one checkout's figures into this file
    parser.add_argument("--root", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    work = str(ROOT / ".build" / "bench-cache")
    os.makedirs(work, exist_ok=True)
    if args.dump:
        dump(args.root, args.dump, args.datasets, work)
        return 0
    if not args.baseline:
        parser.error("--baseline is required")
    found = []
    with tempfile.TemporaryDirectory() as folder:
        for k, root in enumerate((args.baseline, str(ROOT))):
            out = os.path.join(folder, f"{k}.pickle")
            command = [sys.executable, __file__, "--dump", out, "--root", root, "--datasets", *args.datasets]
            subprocess.run(command, check=True)
            with open(out, "rb") as stream:
                found.append(pickle.load(stream))
    ok = compare(found[0], found[1], args.tolerance, args.absolute)
    print("same answers" if ok else "ANSWERS DIFFER")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
