"""Outputs all or nothing under faults: verify killed with SIGKILL while it writes leaves the earlier
run's outputs whole, byte for byte (each output is written in a staging place and swapped in only once
the run has succeeded)."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from qgis_process_runner import ROOT, WRAPPER

OUTPUTS = ("verified.gpkg", "remnants.gpkg", "townships.csv")


@pytest.fixture(scope="module")
def big_county(tmp_path_factory) -> Path:
    """40 000 patches: long enough a write to be caught in the middle of."""
    path = tmp_path_factory.mktemp("big") / "county.gpkg"
    env = dict(os.environ, PYTHONPATH=str(ROOT / ".build" / "pydeps"))
    subprocess.run(
        ["/usr/bin/python3", str(ROOT / "scripts" / "bench_data.py"), str(path), "--patches", "40000"],
        check=True,
        capture_output=True,
        env=env,
    )
    return path


def verify_args(county: Path, folder: Path) -> list[str]:
    return [
        "run", "demolitionverifier:verify", "--",
        f"PATCHES={county}|layername=patches", "PATCH_ID_FIELD=JCBH", "MONITORED_AREA_FIELD=JCMJ",
        "MONITORED_AREA_UNIT=1", "TOWNSHIP_FIELD=XZQMC", f"SURVEY={county}|layername=survey",
        f"OUTPUT={folder / OUTPUTS[0]}", f"OUTPUT_REMNANTS={folder / OUTPUTS[1]}", f"OUTPUT_SUMMARY={folder / OUTPUTS[2]}",
    ]  # fmt: skip


def start(qgis_process, args: list[str]) -> subprocess.Popen:
    env = dict(os.environ, QGIS_CUSTOM_CONFIG_PATH=str(qgis_process.profile))
    env.pop("PYTHONPATH", None)
    return subprocess.Popen(
        ["bash", str(WRAPPER), *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def staging_folders(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.is_dir() and p.name.startswith(".~dv-")]


def kill_when(process: subprocess.Popen, condition, limit_s: float = 240.0) -> bool:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline and process.poll() is None:
        if condition():
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return True
        time.sleep(0.002)
    process.wait()
    return False


def test_a_kill_during_the_writes_leaves_the_earlier_outputs_whole(qgis_process, big_county, tmp_path):
    done = subprocess.run(
        ["bash", str(WRAPPER), *verify_args(big_county, tmp_path)],
        env={k: v for k, v in dict(os.environ, QGIS_CUSTOM_CONFIG_PATH=str(qgis_process.profile)).items() if k != "PYTHONPATH"},
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    good = digests(tmp_path)
    assert set(OUTPUTS) <= set(good)
    mtimes = {name: (tmp_path / name).stat().st_mtime_ns for name in OUTPUTS}

    # killed as soon as the first output is being written, then once the second one is
    for stage in (1, 2):
        left = set(staging_folders(tmp_path))  # by a run killed before: not this run's

        def started(stage=stage, left=left):
            staged = [p for p in staging_folders(tmp_path) if p not in left]
            if len(staged) >= stage and all(any(p.iterdir()) for p in staged):
                return True
            return any(not (tmp_path / n).exists() or (tmp_path / n).stat().st_mtime_ns != mtimes[n] for n in OUTPUTS)

        process = start(qgis_process, verify_args(big_county, tmp_path))
        assert kill_when(process, started), "the run ended before it was caught writing"
        assert digests(tmp_path) == good, f"killed at output {stage}: the earlier outputs changed"
        assert len(staging_folders(tmp_path)) > len(left)  # caught while writing, not before
