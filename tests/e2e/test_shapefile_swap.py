"""A shapefile output is five files renamed into place one by one. A process killed (SIGKILL) between
any two of those renames leaves a state the next run to that destination sets right and says so: the
earlier set put back when the run was not logged, the new set completed when it was, never a mix.

The kill is real, at an exact rename: a child process runs the swap (formats/atomic.py, the code
verify's staging calls) with its `before_rename` seam sending SIGKILL to itself at the chosen rename;
at random moments the window would be too small to hit."""

from __future__ import annotations

import hashlib
import json
import shutil
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from qgis_process_runner import ROOT, read_layer

from demolition_verifier.core.messages import MESSAGES
from demolition_verifier.formats import atomic

NAMES = ("verified.cpg", "verified.dbf", "verified.prj", "verified.shp", "verified.shx")
RENAMES = 2 * len(NAMES)  # each earlier file aside, then each new file in

KILLER = """
import os, signal, sys
sys.path.insert(0, sys.argv[1])
from demolition_verifier.formats import atomic
staged, at, log, run_id = sys.argv[2], int(sys.argv[3]), sys.argv[4] or None, sys.argv[5] or None
count = [0]
def before_rename(step, name):
    if count[0] == at:
        os.kill(os.getpid(), signal.SIGKILL)
    count[0] += 1
atomic.before_rename = before_rename
atomic.set_aside(staged, log, run_id)  # what OutputStaging.prepare does before the run is logged
atomic.swap_in(staged)  # what OutputStaging.commit does after
"""


def verify_params(sample: Path, output: Path, **given) -> list[str]:
    params = {
        "PATCHES": f"{sample}|layername=patches", "PATCH_ID_FIELD": "JCBH", "MONITORED_AREA_FIELD": "JCMJ",
        "MONITORED_AREA_UNIT": "1", "TOWNSHIP_FIELD": "XZQMC", "SURVEY": f"{sample}|layername=survey",
        "OUTPUT": str(output), **{k: str(v) for k, v in given.items()},
    }  # fmt: skip
    return [f"{k}={v}" for k, v in params.items()]


@pytest.fixture(scope="module")
def sets(qgis_process, sample_county, tmp_path_factory):
    """Two real shapefile outputs of verify that differ in every file but the .prj and .cpg: the earlier
    run's and a stricter run's (logged, so a swap can name a run the log holds)."""
    earlier, new = tmp_path_factory.mktemp("earlier"), tmp_path_factory.mktemp("new")
    done = qgis_process.run("demolitionverifier:verify", *verify_params(sample_county, earlier / "verified.shp"))
    assert done.returncode == 0, done.stdout + done.stderr
    log = new / "audit.gpkg"
    done = qgis_process.run(
        "demolitionverifier:verify",
        *verify_params(sample_county, new / "verified.shp", MAX_REMAINING_RATIO=0.5, AUDIT_LOG=log),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    run_id = qgis_process.results(done)["RUN_ID"]
    found = {p.name for p in earlier.iterdir()}
    assert set(NAMES) <= found and {p.name for p in new.iterdir()} - {"audit.gpkg"} == found
    return {"earlier": earlier, "new": new, "log": log, "run_id": run_id}


def files(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()}


def dataset(folder: Path) -> dict[str, str]:
    return {name: digest for name, digest in files(folder).items() if name.startswith("verified.")}


def killed_swap(sets, folder: Path, at: int, logged: bool = False) -> Path:
    """The earlier set in `folder`, the new one staged beside it, and a swap killed before rename `at`."""
    folder.mkdir()
    for name in NAMES:
        shutil.copyfile(sets["earlier"] / name, folder / name)
    staged = folder / f"{atomic.STAGING_PREFIX}{uuid.uuid4().hex[:10]}"
    staged.mkdir()
    for name in NAMES:
        shutil.copyfile(sets["new"] / name, staged / name)
    log, run_id = (str(sets["log"]), sets["run_id"]) if logged else ("", uuid.uuid4().hex)
    done = subprocess.run(
        [sys.executable, "-c", KILLER, str(ROOT / ".build" / "plugins"), str(staged), str(at), log, run_id],
        capture_output=True,
        text=True,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    return staged


@pytest.mark.parametrize("at", range(RENAMES))
def test_a_kill_at_each_rename_is_set_right(sets, tmp_path, at):
    folder = tmp_path / "out"
    staged = killed_swap(sets, folder, at)
    earlier, new = dataset(sets["earlier"]), dataset(sets["new"])
    if at:  # the window: the destination holds neither set whole
        assert dataset(folder) not in (earlier, new)
    journal = json.loads((staged / atomic.SWAP_JOURNAL).read_text(encoding="utf-8"))
    assert journal["state"] == ("aside" if at < len(NAMES) else "in")
    how = atomic.recover(str(staged), lambda log, run_id: False)
    # set aside, not logged: undone; going in (the run was logged first): finished
    assert (how, dataset(folder)) == (("restored", earlier) if at < len(NAMES) else ("completed", new))
    assert [p.name for p in folder.iterdir()] == [p.name for p in folder.iterdir() if p.is_file()]  # no staging left


@pytest.mark.parametrize("at", [1, len(NAMES) - 1])
def test_a_kill_while_setting_aside_a_logged_runs_outputs_is_finished(sets, tmp_path, at):
    """The run is in the log (killed between its log entry and its swap): its outputs are the logged ones."""
    folder = tmp_path / "out"
    staged = killed_swap(sets, folder, at, logged=True)
    assert atomic.recover(str(staged), lambda log, run_id: (log, run_id) == (str(sets["log"]), sets["run_id"]))
    assert dataset(folder) == dataset(sets["new"]) and not staged.exists()


def rows(folder: Path) -> list[dict]:
    return [
        {k: v for k, v in row.items() if k not in ("run_id", "checked_at")}
        for row in read_layer(str(folder / "verified.shp"))
    ]


def message(key: str) -> str:
    return max(MESSAGES[key][1].split("{name}"), key=len).strip()


@pytest.mark.parametrize(
    ("at", "logged", "key"),
    [(2, False, "swap_restored"), (2, True, "swap_completed"), (len(NAMES) + 2, False, "swap_completed")],
)
def test_the_next_verify_run_sets_a_killed_swap_right_and_says_so(
    qgis_process, sample_county, sets, tmp_path, at, logged, key
):
    folder = tmp_path / "out"
    staged = killed_swap(sets, folder, at, logged=logged)
    done = qgis_process.run("demolitionverifier:verify", *verify_params(sample_county, folder / "verified.shp"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert message(key) in done.stdout and str(folder / "verified.shp") in done.stdout, done.stdout
    assert not staged.exists()
    # the run's own output, whole: the same rows as the earlier run with the same parameters
    assert dataset(folder).keys() == dataset(sets["earlier"]).keys()
    assert rows(folder) == rows(sets["earlier"])
