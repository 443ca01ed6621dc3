"""`make bench`: verify against QGIS's own Overlap analysis, end to end through qgis_process.

For each synthetic county (made once into .build/bench-cache by bench_data.py) runs, on the same
GeoPackage, native:calculatevectoroverlaps and demolitionverifier:verify (both --ELLIPSOID=EPSG:1024,
both writing a GeoPackage), then the command-line engine (cli.py, outside QGIS), each under
/usr/bin/time for its peak memory; then re-checks single patches of the 100 000-patch county.
Prints a Markdown table (and writes it to .build/bench-results.md for README.md).
Usage: python bench.py [--million] [--sizes N ...] [--repeat R]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".build" / "bench-cache"
QGIS_PROCESS = ROOT / "scripts" / "qgis_process.sh"
TIMING = re.compile(
    r"(?:read|读取) ([\d.]+) (?:s|秒)[,，] ?(?:compute|计算) ([\d.]+) (?:s|秒)[,，] ?(?:write|写出) ([\d.]+)"
)
RECHECK_SIZE = 100_000


@dataclass
class Run:
    wall: float
    peak_mib: float
    split: tuple[float, float, float] | None = None


@dataclass
class Row:
    patches: int
    survey: int
    runs: dict[str, Run] = field(default_factory=dict)


def county(n: int) -> tuple[Path, int]:
    """The cached county of n patches (made on first use) and its number of survey polygons."""
    path = CACHE / f"county_{n}.gpkg"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        print(f"== generating {path.name} (once)", flush=True)
        subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "bench_data.py"), str(path), "--patches", str(n)], check=True
        )
    from osgeo import ogr

    ogr.UseExceptions()  # GDAL >= 3.9 warns when neither is chosen
    dataset = ogr.Open(str(path))
    return path, dataset.GetLayerByName("survey").GetFeatureCount()


def timed(command: list[str], env: dict | None = None) -> tuple[Run, str]:
    """Wall time and peak memory (max RSS, through GNU time) of one command; its output."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as stats:
        clock = time.perf_counter()
        done = subprocess.run(
            ["/usr/bin/time", "-f", "%M", "-o", stats.name, *command], capture_output=True, text=True, env=env
        )
        wall = time.perf_counter() - clock
        if done.returncode != 0:
            raise SystemExit(f"failed: {' '.join(command)}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
        peak_kib = float(stats.read().strip().splitlines()[-1])
    output = done.stdout + done.stderr
    match = TIMING.search(output)
    split = tuple(float(v) for v in match.groups()) if match else None
    return Run(wall, peak_kib / 1024, split), output


def best(runs: list[Run]) -> Run:
    return min(runs, key=lambda r: r.wall)


def bench_size(n: int, repeat: int, work: Path, keep_output: bool) -> Row:
    path, survey = county(n)
    row = Row(n, survey)
    patches, survey_layer = f"{path}|layername=patches", f"{path}|layername=survey"
    tools = {
        "native": lambda out: [
            str(QGIS_PROCESS),
            "run",
            "native:calculatevectoroverlaps",
            "--ELLIPSOID=EPSG:1024",
            "--",
            f"INPUT={patches}",
            f"LAYERS={survey_layer}",
            f"OUTPUT={out}",
        ],
        "verify": lambda out: [
            str(QGIS_PROCESS),
            "run",
            "demolitionverifier:verify",
            "--ELLIPSOID=EPSG:1024",
            "--",
            f"PATCHES={patches}",
            "PATCH_ID_FIELD=JCBH",
            "MONITORED_AREA_FIELD=JCMJ",
            "MONITORED_AREA_UNIT=1",
            "TOWNSHIP_FIELD=XZQMC",
            f"SURVEY={survey_layer}",
            f"OUTPUT={out}",
        ],
        "cli": lambda out: [
            str(ROOT / ".build" / "venv" / "bin" / "python"),
            "-m",
            "demolition_verifier.cli",
            str(path),
            str(path),
            "--patches-layer",
            "patches",
            "--survey-layer",
            "survey",
            "--id-field",
            "JCBH",
            "--area-field",
            "JCMJ",
            "--area-unit",
            "1",
            "--township-field",
            "XZQMC",
            "-o",
            out,
        ],
    }
    env = {
        **os.environ,
        "PYTHONPATH": f"{ROOT / '.build' / 'plugins'}:{ROOT / '.build' / 'pydeps'}",
        "QT_QPA_PLATFORM": "offscreen",
    }
    for name, command in tools.items():
        runs = []
        for attempt in range(repeat):
            out = work / f"{name}_{n}_{attempt}.gpkg"
            run, output = timed(command(str(out)), env)
            runs.append(run)
            if name == "verify" and n == RECHECK_SIZE and keep_output and attempt == 0:
                shutil.copy(out, work / "verified_for_recheck.gpkg")
            out.unlink(missing_ok=True)
        row.runs[name] = best(runs)
        print(
            f"   {n:>9,} patches  {name:<6} {row.runs[name].wall:7.2f} s  peak {row.runs[name].peak_mib:7.0f} MiB"
            + (
                f"  (read {row.runs[name].split[0]:.2f}, compute {row.runs[name].split[1]:.2f}, write {row.runs[name].split[2]:.2f})"
                if row.runs[name].split
                else ""
            ),
            flush=True,
        )
    return row


def machine() -> str:
    cpu = "?"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = ""
    try:
        kib = int(next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")))
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    version = subprocess.run([str(QGIS_PROCESS), "--version"], capture_output=True, text=True).stdout
    qgis = next((line.split("-")[0].strip() for line in version.splitlines() if line.startswith("QGIS ")), "QGIS ?")
    gdal = next((line.strip() for line in version.splitlines() if line.startswith("GDAL")), "")
    debian = (
        Path("/etc/debian_version").read_text().strip() if Path("/etc/debian_version").exists() else platform.platform()
    )
    return f"{os.cpu_count()} × {cpu}{memory}; Debian {debian}; {qgis}; {gdal}".strip("; ")


def table(rows: list[Row]) -> str:
    lines = [
        "| patches | survey polygons | native s | verify s | ratio | verify peak MiB | verify read / compute / write s | CLI s | CLI peak MiB |",
        "|---:|---:|---:|---:|---:|---:|:--|---:|---:|",
    ]
    for row in rows:
        native, verify, cli = row.runs["native"], row.runs["verify"], row.runs.get("cli")
        split = " / ".join(f"{v:.2f}" for v in verify.split) if verify.split else "?"
        lines.append(
            f"| {row.patches:,} | {row.survey:,} | {native.wall:.1f} | {verify.wall:.1f} | {native.wall / verify.wall:.1f}× "
            f"| {verify.peak_mib:,.0f} | {split} | {cli.wall:.1f} | {cli.peak_mib:,.0f} |"
        )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--million", action="store_true", help="also 1 000 000 patches (about 2 000 000 survey polygons)"
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per tool and size below 1 000 000; the best counts")
    args = parser.parse_args(argv)
    sizes = sorted(set(args.sizes + ([1_000_000] if args.million else [])))
    print(f"== machine: {machine()}", flush=True)
    work = Path(tempfile.mkdtemp(prefix="bench-", dir=ROOT / ".build"))
    rows = []
    try:
        for n in sizes:
            rows.append(bench_size(n, args.repeat if n < 1_000_000 else 1, work, keep_output=RECHECK_SIZE in sizes))
        recheck = ""
        verified = work / "verified_for_recheck.gpkg"
        if verified.exists():
            done = subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "scripts" / "bench_recheck.py"),
                    str(verified),
                    str(CACHE / f"county_{RECHECK_SIZE}.gpkg"),
                ],
                capture_output=True,
                text=True,
            )
            recheck = next(
                (line for line in done.stdout.splitlines() if line.startswith("recheck:")), done.stderr[-500:]
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report = f"{table(rows)}\n\n"
    if recheck:
        report += f"Re-check of one patch on the {RECHECK_SIZE:,}-patch result: {recheck.removeprefix('recheck: ')}\n\n"
    report += (
        f"Machine: {machine()}. Wall times end to end (qgis_process start-up included), best of "
        f"{args.repeat} below 1 000 000 patches; ratio = native / verify.\n"
    )
    print()
    print(report)
    (ROOT / ".build" / "bench-results.md").write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
