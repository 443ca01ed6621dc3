"""`make bench`: verify against QGIS's own Overlap analysis, end to end through qgis_process.

By default, the family of synthetic counties of bench_data.py (COUNTIES: 0/10/30/60 % of remnants
straddling the patch's edge, dense re-surveys, large remnants, thin patches, patches with holes), each at
100 000 patches (made once into .build/bench-cache): on the same GeoPackage, native:calculatevectoroverlaps
and demolitionverifier:verify (both --ELLIPSOID=EPSG:1024, both writing a GeoPackage, under /usr/bin/time
for their peak memory), then compute alone outside QGIS (bench_compute.py): the engine against a plain
shapely 2 reference. `--classic` runs the earlier bench instead: the bench county at 10 000 and 100 000
patches with the command-line engine (cli.py) and re-checks of single patches.
Prints a Markdown table (and writes it to .build/bench-results.md for README.md).
Usage: python bench.py [--counties NAME ...] [--sizes N ...] [--repeat R] [--no-native] [--baseline DIR]
       python bench.py --classic [--million] [--sizes N ...] [--repeat R]
"""

from __future__ import annotations

import argparse
import math
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
COMPUTE = re.compile(r"compute: engine ([\d.]+) s, reference ([\d.]+) s, pairs (\d+), cut (\d+)")
sys.path.insert(0, str(ROOT / "scripts"))
from bench_data import COUNTIES  # noqa: E402

FAMILY = [name for name in COUNTIES if name != "bench"]
RECHECK_SIZE = 100_000
BASELINE = ""  # --baseline: an earlier checkout of the plugin, timed alongside in the same run


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
    county: str = "bench"
    compute: tuple[float, float, int, int] | None = None  # engine s, reference s, pairs, cut pairs
    baseline_compute: tuple[float, float, int, int] | None = None  # the same for --baseline


def county(n: int, name: str = "bench") -> tuple[Path, int]:
    """The cached county of n patches (made on first use) and its number of survey polygons."""
    path = CACHE / (f"county_{n}.gpkg" if name == "bench" else f"{name}_{n}.gpkg")
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        print(f"== generating {path.name} (once)", flush=True)
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "scripts" / "bench_data.py"),
                str(path),
                "--patches",
                str(n),
                "--county",
                name,
            ],
            check=True,
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


def median(runs: list[Run]) -> Run:
    """The run of median wall time (the lower middle one of an even count): on a shared host the
    best run flatters whichever tool had a quiet moment."""
    return sorted(runs, key=lambda r: r.wall)[(len(runs) - 1) // 2]


def bench_size(
    n: int, repeat: int, work: Path, keep_output: bool, name: str = "bench", tools_wanted=("native", "verify", "cli")
) -> Row:
    path, survey = county(n, name)
    row = Row(n, survey, county=name)
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
        "baseline": lambda out: [
            str(Path(BASELINE) / "scripts" / "qgis_process.sh"),
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
    # alternated (native, verify, native, verify, ...), so a busy minute on the shared host hits both
    runs: dict[str, list[Run]] = {tool: [] for tool in tools if tool in tools_wanted}
    for attempt in range(repeat):
        for tool in runs:
            out = work / f"{tool}_{n}_{attempt}.gpkg"
            run, _output = timed(tools[tool](str(out)), env)
            runs[tool].append(run)
            if tool == "verify" and n == RECHECK_SIZE and keep_output and attempt == 0:
                shutil.copy(out, work / "verified_for_recheck.gpkg")
            out.unlink(missing_ok=True)
    for tool in runs:
        row.runs[tool] = median(runs[tool])
        print(
            f"   {name:<11} {n:>9,} patches  {tool:<6} {row.runs[tool].wall:7.2f} s  peak {row.runs[tool].peak_mib:7.0f} MiB"
            + (
                f"  (read {row.runs[tool].split[0]:.2f}, compute {row.runs[tool].split[1]:.2f}, write {row.runs[tool].split[2]:.2f})"
                if row.runs[tool].split
                else ""
            ),
            flush=True,
        )
    if "compute" in tools_wanted:
        row.compute = compute(ROOT, path, repeat, env)
        print(f"   {name:<11} {n:>9,} patches  compute: {row.compute}", flush=True)
        if "baseline" in tools_wanted:
            baseline_env = {
                **env,
                "PYTHONPATH": f"{Path(BASELINE) / '.build' / 'plugins'}:{ROOT / '.build' / 'pydeps'}",
            }
            row.baseline_compute = compute(Path(BASELINE), path, repeat, baseline_env)
            print(f"   {name:<11} {n:>9,} patches  baseline compute: {row.baseline_compute}", flush=True)
    return row


def compute(root: Path, path: Path, repeat: int, env: dict) -> tuple[float, float, int, int]:
    """Compute alone (bench_compute.py of the checkout at `root`): engine s, reference s, pairs, cut pairs."""
    done = subprocess.run(
        [
            str(ROOT / ".build" / "venv" / "bin" / "python"),
            str(root / "scripts" / "bench_compute.py"),
            str(path),
            "--repeat",
            str(repeat),
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    match = COMPUTE.search(done.stdout)
    if not match:
        raise SystemExit(f"bench_compute failed on {path.name}:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    engine, reference, pairs, cut = match.groups()
    return float(engine), float(reference), int(pairs), int(cut)


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


def family_table(rows: list[Row]) -> str:
    baseline = any("baseline" in row.runs for row in rows)
    head = (
        "| county | patches | survey polygons | pairs (cut) | native s | verify s | ratio | verify read / compute / write s "
        "| engine compute s | shapely reference s | engine / reference |"
    )
    rule = "|:--|---:|---:|---:|---:|---:|---:|:--|---:|---:|---:|"
    if baseline:
        head += " baseline verify s | baseline ratio | baseline engine s |"
        rule += "---:|---:|---:|"
    lines = [head, rule]
    for row in rows:
        native, verify = row.runs.get("native"), row.runs.get("verify")
        split = " / ".join(f"{v:.2f}" for v in verify.split) if verify and verify.split else "?"
        engine, reference, pairs, cut = row.compute or (math.nan, math.nan, 0, 0)
        line = (
            f"| {row.county} | {row.patches:,} | {row.survey:,} | {pairs:,} ({100 * cut / max(pairs, 1):.0f} %) "
            f"| {native.wall if native else math.nan:.1f} | {verify.wall if verify else math.nan:.1f} "
            f"| {native.wall / verify.wall if native and verify else math.nan:.1f}× | {split} "
            f"| {engine:.2f} | {reference:.2f} | {engine / reference:.2f} |"
        )
        if baseline:
            old = row.runs.get("baseline")
            old_engine = row.baseline_compute[0] if row.baseline_compute else math.nan
            line += (
                f" {old.wall if old else math.nan:.1f} | {native.wall / old.wall if native and old else math.nan:.1f}× "
                f"| {old_engine:.2f} |"
            )
        lines.append(line)
    return "\n".join(lines)


def main_family(args) -> int:
    sizes = sorted(set(args.sizes or [100_000]))
    counties = args.counties or FAMILY
    tools = ("native", "verify", "compute") if not args.no_native else ("verify", "compute")
    if args.baseline:
        global BASELINE
        BASELINE = str(Path(args.baseline).resolve())
        tools += ("baseline",)
    print(f"== machine: {machine()}", flush=True)
    work = Path(tempfile.mkdtemp(prefix="bench-", dir=ROOT / ".build"))
    rows = []
    try:
        for n in sizes:
            for name in counties:
                rows.append(bench_size(n, args.repeat, work, False, name, tools))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report = (
        f"{family_table(rows)}\n\nMachine: {machine()}. Wall times end to end (qgis_process start-up included), "
        f"median of {args.repeat}, native and verify alternated; ratio = native / verify. Engine and reference: "
        f"compute alone outside QGIS (scripts/bench_compute.py), median of {args.repeat}.\n"
    )
    print()
    print(report)
    (ROOT / ".build" / "bench-results.md").write_text(report, encoding="utf-8")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--million", action="store_true", help="also 1 000 000 patches (about 2 000 000 survey polygons)"
    )
    parser.add_argument("--sizes", type=int, nargs="+", help="patches per county (100 000; --classic: 10 000 100 000)")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per tool and size below 1 000 000; the median counts"
    )
    parser.add_argument("--classic", action="store_true", help="the earlier bench: one county, CLI and re-check")
    parser.add_argument("--counties", nargs="+", choices=sorted(COUNTIES), help=f"default: {' '.join(FAMILY)}")
    parser.add_argument("--no-native", action="store_true", help="skip native (when only verify changed)")
    parser.add_argument(
        "--baseline",
        help="an earlier checkout of the plugin (e.g. from git archive, with .build/venv and .build/pydeps linked): "
        "its verify and engine timed alongside, alternated in the same run",
    )
    args = parser.parse_args(argv)
    if not args.classic:
        return main_family(args)
    args.sizes = args.sizes or [10_000, 100_000]
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
        f"Machine: {machine()}. Wall times end to end (qgis_process start-up included), median of "
        f"{args.repeat} below 1 000 000 patches; ratio = native / verify.\n"
    )
    print()
    print(report)
    (ROOT / ".build" / "bench-results.md").write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
