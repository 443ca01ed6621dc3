"""verify's PostGIS outputs: all or nothing (written to a temporary table, swapped in one transaction
once the run has succeeded; an earlier table survives a failure or a kill), and filled fast through
GDAL's COPY with exactly what QGIS's own postgres provider stores."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from qgis.core import QgsProcessingException, QgsVectorLayer
from qgis_process_runner import ROOT, WRAPPER

import demolition_verifier.algorithms.verify as verify_module
import demolition_verifier.qgis_adapter.postgis_output as postgis_output
from demolition_verifier.core.messages import Refusal

SRID = 4526
VARYING = ("run_id", "checked_at")  # differ from run to run


def params(patches, survey, output, **extra) -> dict:
    out = {
        "PATCHES": patches,
        "PATCH_ID_FIELD": "JCBH",
        "MONITORED_AREA_FIELD": "JCMJ",
        "MONITORED_AREA_UNIT": 1,
        "TOWNSHIP_FIELD": "XZQMC",
        "SURVEY": survey,
        "OUTPUT": output,
    }
    out.update(extra)
    return out


def columns(postgis, table: str) -> list[tuple[str, str]]:
    rows = postgis.psql(
        "SELECT column_name || ':' || data_type || ':' || coalesce(numeric_scale::text, '') FROM "
        f"information_schema.columns WHERE table_name = '{table}' ORDER BY ordinal_position"
    )
    return rows.splitlines()


def same_rows(postgis, a: str, b: str) -> None:
    """Both tables hold the same rows, column by column (keys and geometries included)."""
    names = [c.split(":")[0] for c in columns(postgis, a) if c.split(":")[0] not in VARYING]
    listed = ", ".join(f'"{n}"' for n in names)
    for x, y in ((a, b), (b, a)):
        extra = postgis.psql(f"SELECT count(*) FROM (SELECT {listed} FROM {x} EXCEPT ALL SELECT {listed} FROM {y}) d")
        assert extra == "0", f"{x} holds {extra} rows {y} does not"


def temp_tables(postgis) -> list[str]:
    return postgis.psql("SELECT tablename FROM pg_tables WHERE tablename LIKE '%\\_dvtmp%' ORDER BY 1").split()


def digest(postgis, table: str) -> str:
    return postgis.psql(f"SELECT md5(string_agg(t::text, '|' ORDER BY fid)) FROM public.{table} t")


@pytest.mark.parametrize("source", ["geopackage", "postgis"])
def test_the_fast_write_stores_what_qgis_provider_stores(
    processing, postgis, sample_county, county_in_postgis, source, monkeypatch
):
    county = str(sample_county)
    if source == "geopackage":  # its fid field becomes the table's key, as QGIS writes it
        inputs = (f"{county}|layername=patches", f"{county}|layername=survey")
    else:
        inputs = tuple(QgsVectorLayer(county_in_postgis[n], n, "postgres") for n in ("patches", "survey"))
    used = []
    fast_fill = postgis_output.fill

    def fill(*args):
        fast_fill(*args)
        used.append(args[0])

    monkeypatch.setattr(postgis_output, "fill", fill)
    fast, slow = f"fast_{source}", f"slow_{source}"
    processing.run("demolitionverifier:verify", params(*inputs, postgis.qgis_output(fast),
                   OUTPUT_REMNANTS=postgis.qgis_output(fast + "_rem")))  # fmt: skip
    assert len(used) == 2, "the GDAL path was not taken"

    def not_plain(*args):
        raise postgis_output.NotPlain("QGIS's provider, for the reference")

    monkeypatch.setattr(postgis_output, "fill", not_plain)
    processing.run("demolitionverifier:verify", params(*inputs, postgis.qgis_output(slow),
                   OUTPUT_REMNANTS=postgis.qgis_output(slow + "_rem")))  # fmt: skip
    for a, b in ((fast, slow), (fast + "_rem", slow + "_rem")):
        assert columns(postgis, a) == columns(postgis, b)
        assert postgis.psql(f"SELECT count(*) FROM {a}") == postgis.psql(f"SELECT count(*) FROM {b}") != "0"
        same_rows(postgis, a, b)
    assert postgis.psql(f"SELECT Find_SRID('public', '{fast}', 'geom')") == str(SRID)
    assert temp_tables(postgis) == []


def test_a_failed_run_leaves_the_earlier_table_and_a_good_one_replaces_it(
    processing, postgis, sample_county, tmp_path, monkeypatch
):
    county = str(sample_county)
    run = params(f"{county}|layername=patches", f"{county}|layername=survey", postgis.qgis_output("kept"),
                 AUDIT_LOG=str(tmp_path / "audit.gpkg"))  # fmt: skip
    first = processing.run("demolitionverifier:verify", run)
    before = digest(postgis, "kept")

    def log_fails(*args, **kwargs):
        raise Refusal("audit_log_unwritable", path=str(tmp_path / "audit.gpkg"), detail="No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(verify_module, "record_verify_run", log_fails)
        with pytest.raises(QgsProcessingException, match="earlier outputs are as they were"):
            processing.run("demolitionverifier:verify", run)
    assert digest(postgis, "kept") == before
    assert temp_tables(postgis) == []  # the failed run's table dropped
    second = processing.run("demolitionverifier:verify", run)
    assert postgis.psql("SELECT DISTINCT run_id FROM kept") == second["RUN_ID"] != first["RUN_ID"]
    assert postgis.psql("SELECT count(*) FROM kept") == "360"
    assert temp_tables(postgis) == []


@pytest.fixture(scope="module")
def big_county(tmp_path_factory) -> Path:
    """40 000 patches: a write long enough to be caught in the middle of."""
    path = tmp_path_factory.mktemp("big") / "county.gpkg"
    subprocess.run(
        ["/usr/bin/python3", str(ROOT / "scripts" / "bench_data.py"), str(path), "--patches", "40000"],
        check=True, capture_output=True, env=dict(os.environ, PYTHONPATH=str(ROOT / ".build" / "pydeps")),
    )  # fmt: skip
    return path


def test_a_kill_while_the_table_is_written_leaves_the_earlier_table(qgis_process, postgis, big_county):
    county = str(big_county)
    output = "postgres://" + postgis.qgis_output("killed")[len("postgres:") :]
    args = [f"{k}={v}" for k, v in params(f"{county}|layername=patches", f"{county}|layername=survey", output).items()]
    done = qgis_process.run("demolitionverifier:verify", *args)
    assert done.returncode == 0, done.stdout + done.stderr
    before = digest(postgis, "killed")
    env = dict(os.environ, QGIS_CUSTOM_CONFIG_PATH=str(qgis_process.profile))
    env.pop("PYTHONPATH", None)
    process = subprocess.Popen(
        ["bash", str(WRAPPER), "run", "demolitionverifier:verify", "--", *args],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    deadline, caught = time.monotonic() + 240, False
    while time.monotonic() < deadline and process.poll() is None:
        if any(t.startswith("killed_dvtmp") for t in temp_tables(postgis)):
            os.killpg(process.pid, signal.SIGKILL)
            caught = True
            break
        time.sleep(0.01)
    process.wait()
    assert caught, "the run ended before it was caught writing"
    assert digest(postgis, "killed") == before  # the earlier table, whole
    assert any(t.startswith("killed_dvtmp") for t in temp_tables(postgis))  # the killed run's, left behind
    # the next run to the same destination drops what the killed one left
    done = qgis_process.run("demolitionverifier:verify", *args)
    assert done.returncode == 0, done.stdout + done.stderr
    assert not [t for t in temp_tables(postgis) if t.startswith("killed_dvtmp")]
    assert "killed_dvtmp" in done.stdout  # and says so
