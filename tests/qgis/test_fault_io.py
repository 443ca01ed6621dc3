"""I/O faults at every output of verify, on a real full or read-only disk (a small tmpfs mounted by
the test): a clear message in the user's words, never a traceback, and the earlier outputs left as
they were (each output is written in a staging place and swapped in only when the run succeeded)."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest
from helpers import small_tmpfs
from qgis.core import QgsProcessingException, QgsVectorLayer
from qgis_layers import box_wkt, memory_layer, write_file

from demolition_verifier.core import audit

X0, Y0 = 39_550_000.0, 3_880_000.0
FIELDS = [("JCBH", str), ("XZQMC", str), ("JCMJ", float)]
KEPT = "earlier outputs are as they were"


def patches_layer(n: int = 300):
    wkts = [box_wkt(X0 + 200 * i, Y0, X0 + 200 * i + 100, Y0 + 100) for i in range(n)]
    return memory_layer("patches", wkts, fields=FIELDS, rows=[[f"H{i}", f"镇{i % 7}", 10_000.0] for i in range(n)])


def survey_layer():
    return memory_layer("survey", [box_wkt(X0 + 40, Y0 + 40, X0 + 60, Y0 + 60)])


def run(processing, n: int = 300, **outputs):
    params = {
        "PATCHES": patches_layer(n),
        "PATCH_ID_FIELD": "JCBH",
        "TOWNSHIP_FIELD": "XZQMC",
        "SURVEY": survey_layer(),
        "OUTPUT": "memory:",
    }
    params.update({k: str(v) for k, v in outputs.items()})
    return processing.run("demolitionverifier:verify", params)


def digest(folder: Path) -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def refusal(processing, **outputs) -> str:
    with pytest.raises(QgsProcessingException) as caught:
        run(processing, **outputs)
    message = str(caught.value)
    assert "Traceback" not in message and "Error" not in message.split(":")[0], message
    return message


@pytest.fixture
def small_disk(tmp_path):
    """A 2 MB tmpfs: filled with `fill(free_bytes)`, made read-only with `read_only()`."""
    with small_tmpfs(tmp_path, "2m") as mount:
        yield _disk(mount)


def _disk(mount):
    class Disk:
        path = mount

        @staticmethod
        def fill(free: int = 0) -> None:
            stats = os.statvfs(mount)
            size = max(stats.f_bavail * stats.f_frsize - free, 0)
            with open(mount / "filler.bin", "wb") as handle:
                handle.write(b"\0" * size)

        @staticmethod
        def read_only() -> None:
            subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)

    return Disk


def test_a_full_disk_at_each_output_is_a_message_and_the_earlier_outputs_stay(processing, small_disk):
    disk = small_disk.path
    targets = {"OUTPUT": disk / "verified.gpkg", "OUTPUT_REMNANTS": disk / "remnants.gpkg"}
    targets["OUTPUT_SUMMARY"] = disk / "townships.csv"
    run(processing, n=5, **targets)  # the earlier, good run
    before = digest(disk)
    small_disk.fill(free=4096)
    message = refusal(processing, **targets)
    assert KEPT in message
    after = digest(disk)
    after.pop("filler.bin")
    before_files = {k: v for k, v in before.items()}
    assert after == before_files
    assert not [p for p in disk.iterdir() if p.name.startswith(".~dv-")]  # nothing left behind


@pytest.mark.parametrize("output", ["OUTPUT_REMNANTS", "OUTPUT_SUMMARY"])
def test_a_full_disk_at_a_later_output_leaves_the_first_output_as_it_was(processing, small_disk, tmp_path, output):
    roomy = tmp_path / "roomy"
    roomy.mkdir()
    names = {"OUTPUT_REMNANTS": "remnants.gpkg", "OUTPUT_SUMMARY": "townships.csv"}
    targets = {"OUTPUT": roomy / "verified.gpkg", output: small_disk.path / names[output]}
    run(processing, n=5, **targets)
    before_roomy, before_disk = digest(roomy), digest(small_disk.path)
    small_disk.fill(free=2048)
    message = refusal(processing, **targets)
    assert KEPT in message and names[output] in message
    assert digest(roomy) == before_roomy  # OUTPUT was written in full, but never swapped in
    after = digest(small_disk.path)
    after.pop("filler.bin")
    assert after == before_disk


def test_a_read_only_disk_is_a_message(processing, small_disk):
    target = small_disk.path / "verified.gpkg"
    run(processing, n=5, OUTPUT=target)
    before = digest(small_disk.path)
    small_disk.read_only()
    for output in ("OUTPUT", "OUTPUT_REMNANTS", "OUTPUT_SUMMARY"):
        extra = {"OUTPUT": target} if output != "OUTPUT" else {}
        name = {"OUTPUT": "verified.gpkg", "OUTPUT_REMNANTS": "r.gpkg", "OUTPUT_SUMMARY": "s.csv"}[output]
        message = refusal(processing, **{**extra, output: small_disk.path / name})
        assert "Read-only file system" in message and KEPT in message, message
    assert digest(small_disk.path) == before


def test_a_folder_that_cannot_exist_is_a_message(processing, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    for output, name in (("OUTPUT", "v.gpkg"), ("OUTPUT_REMNANTS", "r.shp"), ("OUTPUT_SUMMARY", "s.csv")):
        message = refusal(processing, **{output: blocker / "sub" / name})
        assert "Not a directory" in message and KEPT in message, message


def test_an_audit_log_on_a_full_disk_writes_no_output_of_an_unlogged_run(processing, small_disk, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    log = small_disk.path / "audit.gpkg"
    run(processing, n=5, OUTPUT=out / "verified.gpkg", AUDIT_LOG=log)
    entries = len(audit.entries(log))
    before = digest(out)
    small_disk.fill(free=0)
    message = refusal(processing, n=2000, OUTPUT=out / "verified.gpkg", AUDIT_LOG=log)
    assert "audit log" in message and "no output was written" in message.lower(), message
    assert digest(out) == before  # no output of a run the log does not hold
    assert len(audit.entries(log)) == entries and audit.verify_chain(log).valid


def test_a_new_table_in_an_existing_geopackage_is_swapped_in_whole(processing, tmp_path):
    """Over a table of the same name in a GeoPackage that holds other tables: the old table stays
    until the new one is whole, then the new one replaces it in one transaction."""
    target = tmp_path / "project.gpkg"
    write_file(memory_layer("keep", [box_wkt(0, 0, 1, 1)]), str(target), layer_name="keep")
    dest = f"ogr:dbname='{target}' table=\"verified\" (geom)"
    run(processing, n=5, OUTPUT=dest)
    first = QgsVectorLayer(f"{target}|layername=verified", "v", "ogr").featureCount()
    assert first == 5
    # a failing second run (its summary cannot be written) leaves the first run's table
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    refusal(processing, n=7, OUTPUT=dest, OUTPUT_SUMMARY=blocker / "s.csv")
    with sqlite3.connect(target) as connection:
        tables = {r[0] for r in connection.execute("SELECT table_name FROM gpkg_contents")}
        assert tables == {"keep", "verified"}
        assert connection.execute('SELECT COUNT(*) FROM "verified"').fetchone()[0] == 5
    run(processing, n=7, OUTPUT=dest)
    with sqlite3.connect(target) as connection:
        tables = {r[0] for r in connection.execute("SELECT table_name FROM gpkg_contents")}
        assert tables == {"keep", "verified"}
        assert connection.execute('SELECT COUNT(*) FROM "verified"').fetchone()[0] == 7
        assert connection.execute("SELECT rtreecheck('rtree_verified_geom')").fetchone()[0] == "ok"
