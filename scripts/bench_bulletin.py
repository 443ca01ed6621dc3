"""make bench's bulletin figure (not a test): a bulletin over a campaign log holding a 100 000-patch task
list, 30 verify runs and 50 000 applications; the goal is under 5 s.

The log is built once into .build/bench-cache/ (about a minute). Its shape is a campaign's: the first run
verifies the whole county, each later run the patches applied for since (about 3 400 a day); with
--full-runs every run verifies all 100 000 patches (3 million decisions; the chain check alone, which
every bulletin makes, then takes most of the time). Timed in one QGIS process: the whole algorithm
(processing.run, with the xlsx, the chart, the csv table and the one-page PDF), and the figures alone.

Usage: python scripts/bench_bulletin.py [--full-runs] [--rebuild]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / ".build" / "plugins"))
PATCHES, RUNS, APPLICATIONS, TOWNSHIPS = 100_000, 30, 50_000, 20


def build(path: Path, full_runs: bool) -> None:
    import random

    from demolition_verifier.core import audit
    from demolition_verifier.core.campaign import (
        Application,
        Task,
        application_entry,
        china_now,
        define_entry,
        judge_applications,
        parse_time,
    )

    rng = random.Random(15)
    towns = [f"乡镇{i:02d}" for i in range(TOWNSHIPS)]
    ids = [f"1304012024{i:06d}" for i in range(PATCHES)]
    tasks = {p: Task(p, towns[i % TOWNSHIPS], 500.0 + (i % 97) * 20) for i, p in enumerate(ids)}
    now = china_now()
    entry = define_entry("基准测试整改任务", tasks, parse_time("2099-06-20").at, parse_time("2099-06-30").at, 0.9,
                         {}, None, audit.who(), {})  # fmt: skip
    audit.append(path, [entry])
    campaign = audit.entries(path)[0]
    from demolition_verifier.core.campaign import campaign_at

    state = campaign_at([campaign])
    passed: set[str] = set()
    per_batch = APPLICATIONS // (RUNS - 1)
    for run in range(RUNS):
        run_id = f"bench-{run:02d}-{uuid.uuid4().hex[:6]}"
        if run == 0 or full_runs:
            chosen = ids
        else:  # the patches applied for since the last run
            batch = [p for p in rng.sample(ids, per_batch * 2) if p not in passed][:per_batch]
            applications = [Application(p, now) for p in batch]
            judge_applications(applications, state, [], {}, int(now.timestamp()))
            audit.append(path, [application_entry(state, applications, {}, {}, {})])
            chosen = batch
        items = [audit.NewEntry("run", {"kind": "verify", "patches": len(chosen)}, run_id)]
        for p in chosen:
            status = "pass" if p in passed or rng.random() < 0.35 + run * 0.02 else "fail"
            if status == "pass":
                passed.add(p)
            remain = 0.0 if status == "pass" else 42.5
            data = {"reasons": "" if status == "pass" else "over_tolerance", "township": tasks[p].township,
                    "monitor_m2": tasks[p].monitor_m2, "geom_m2": tasks[p].monitor_m2, "remain_m2": remain,
                    "remain_rt": remain / tasks[p].monitor_m2, "largest_m2": remain, "remnants": int(remain > 0)}  # fmt: skip
            items.append(audit.NewEntry("decision", data, run_id, p, status))
        audit.append(path, items)
        print(f"  run {run + 1}/{RUNS}: {len(chosen)} decisions", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--full-runs", action="store_true", help="every run verifies all 100 000 patches")
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    cache = ROOT / ".build" / "bench-cache"
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / ("bulletin_full.gpkg" if args.full_runs else "bulletin.gpkg")
    if args.rebuild or not path.exists():
        if path.exists():
            path.unlink()
        print(f"== building {path}")
        clock = time.perf_counter()
        build(path, args.full_runs)
        print(f"   built in {time.perf_counter() - clock:.1f} s")

    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    sys.path.insert(0, "/usr/share/qgis/python/plugins")
    import processing
    from processing.core.Processing import Processing

    import demolition_verifier
    from demolition_verifier.core import audit
    from demolition_verifier.core.bulletin import Ledger, compute_bulletin

    Processing.initialize()
    plugin = demolition_verifier.classFactory(None)
    plugin.initProcessing()
    entries = audit.verify_chain(path).entries
    print(f"== {path.name}: {entries} entries ({os.path.getsize(path) / 1e6:.0f} MB)")

    clock = time.perf_counter()
    ledger = Ledger(path)
    loaded = time.perf_counter() - clock
    bulletin = compute_bulletin(ledger)
    figures = time.perf_counter() - clock
    print(f"   figures alone: {figures:.2f} s (of which reading and checking the log {loaded:.2f} s); "
          f"{len(bulletin.rows) - 1} townships, {len(bulletin.series)} points over time")  # fmt: skip
    with tempfile.TemporaryDirectory() as out:
        clock = time.perf_counter()
        processing.run(
            "demolitionverifier:bulletin",
            {"AUDIT_LOG": str(path), "OUTPUT": f"{out}/b.xlsx", "OUTPUT_PDF": f"{out}/b.pdf",
             "OUTPUT_CHART": f"{out}/b.png", "OUTPUT_TABLE": f"{out}/b.csv"},
        )  # fmt: skip
        whole = time.perf_counter() - clock
    verdict = "within" if whole < 5 else "OVER"
    print(f"   bulletin (processing.run, all four outputs): {whole:.2f} s — {verdict} the 5 s goal")
    plugin.unload()
    os._exit(0)  # QGIS's teardown is not part of the figure


if __name__ == "__main__":
    main()
