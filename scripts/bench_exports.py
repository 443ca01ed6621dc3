"""The exports' speed (a timing script, not a test): export_report of a 100 000-patch verify output with
its audit log, and export_maps' cost per page, both through qgis_process as a user runs them.

verify writes the output and the log once (cached in .build/bench-cache/exports/); then export_report
runs on the whole output with AUDIT_LOG, and export_maps on FILTERed subsets of two sizes, so that
the per-page cost is the slope between them (start-up and layout loading cancel out).
Usage: .build/venv/bin/python scripts/bench_exports.py [--patches N] [--pages A B] [--repeat R]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".build" / "bench-cache"
QGIS_PROCESS = ROOT / "scripts" / "qgis_process.sh"


def run(*args: str) -> float:
    clock = time.perf_counter()
    done = subprocess.run([str(QGIS_PROCESS), "run", *args], capture_output=True, text=True)
    wall = time.perf_counter() - clock
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(args)}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return wall


def verified(n: int) -> tuple[Path, Path]:
    """A verify output of the n-patch bench county and its audit log (made once)."""
    county = CACHE / f"county_{n}.gpkg"
    if not county.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(ROOT / "scripts" / "bench_data.py"), str(county), "--patches", str(n)])
    work = CACHE / "exports"
    work.mkdir(exist_ok=True)
    output, log = work / f"verified_{n}.gpkg", work / f"audit_{n}.gpkg"
    if not output.exists() or not log.exists():
        for stale in (output, log):
            stale.unlink(missing_ok=True)
        run(
            "demolitionverifier:verify", "--",
            f"PATCHES={county}|layername=patches", "PATCH_ID_FIELD=JCBH", "MONITORED_AREA_FIELD=JCMJ",
            "MONITORED_AREA_UNIT=1", "TOWNSHIP_FIELD=XZQMC", f"SURVEY={county}|layername=survey",
            f"OUTPUT={output}", f"AUDIT_LOG={log}",
        )  # fmt: skip
    return output, log


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patches", type=int, default=100_000)
    parser.add_argument("--pages", type=int, nargs=2, default=(20, 120))
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    output, log = verified(args.patches)
    layer = f"{output}|layername={output.stem}"
    work = output.parent
    report = min(
        run("demolitionverifier:export_report", "--", f"INPUT={layer}", f"AUDIT_LOG={log}", f"OUTPUT={work / 'r.xlsx'}")
        for _ in range(args.repeat)
    )
    print(f"export_report, {args.patches} patches with AUDIT_LOG: {report:.2f} s (best of {args.repeat})")
    walls = {}
    for pages in args.pages:
        # the first `pages` patches by feature id
        walls[pages] = min(
            run(
                "demolitionverifier:export_maps",
                "--",
                f"INPUT={layer}",
                f"AUDIT_LOG={log}",
                f'FILTER="fid" <= {pages}',
                f"OUTPUT={work / f'm{pages}.pdf'}",
            )  # fmt: skip
            for _ in range(args.repeat)
        )
        print(f"export_maps, {pages} pages: {walls[pages]:.2f} s")
    small, large = args.pages
    print(f"export_maps per page: {(walls[large] - walls[small]) / (large - small):.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
