"""A damaged GeoPackage page under verify and the exports, through qgis_process (a read that looped
for ever must end: the subprocess has a time limit): refused naming the layer, never a partial read."""

from __future__ import annotations

import os
import subprocess

from damage import damage_page
from qgis_process_runner import ROOT


def county(tmp_path, patches: int = 3000):
    path = tmp_path / "county.gpkg"
    env = dict(os.environ, PYTHONPATH=str(ROOT / ".build" / "pydeps"))
    subprocess.run(
        ["/usr/bin/python3", str(ROOT / "scripts" / "bench_data.py"), str(path), "--patches", str(patches)],
        check=True,
        capture_output=True,
        env=env,
    )
    return path


def verify_args(path, out):
    return [
        f"PATCHES={path}|layername=patches", "PATCH_ID_FIELD=JCBH", "MONITORED_AREA_FIELD=JCMJ",
        "MONITORED_AREA_UNIT=1", "TOWNSHIP_FIELD=XZQMC", f"SURVEY={path}|layername=survey", f"OUTPUT={out}",
    ]  # fmt: skip


def test_a_damaged_survey_page_is_refused_naming_the_layer(qgis_process, tmp_path):
    good = county(tmp_path)
    damaged = tmp_path / "damaged.gpkg"
    damage_page(good, damaged, "survey")
    out = tmp_path / "verified.gpkg"
    done = qgis_process.run("demolitionverifier:verify", *verify_args(damaged, out))
    assert done.returncode != 0
    assert "“survey”" in done.stdout + done.stderr and "damaged" in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert not out.exists()


def test_a_damaged_or_empty_verify_output_is_not_exported(qgis_process, tmp_path):
    path = county(tmp_path)
    out = tmp_path / "verified.gpkg"
    done = qgis_process.run("demolitionverifier:verify", *verify_args(path, out))
    assert done.returncode == 0, done.stdout + done.stderr
    damaged = tmp_path / "damaged.gpkg"
    damage_page(out, damaged, "verified")
    for algorithm, target in (("export_report", "r.xlsx"), ("export_maps", "m.pdf")):
        done = qgis_process.run(f"demolitionverifier:{algorithm}", f"INPUT={damaged}", f"OUTPUT={tmp_path / target}")
        assert done.returncode != 0 and "damaged or truncated" in done.stdout + done.stderr, done.stdout
        assert not (tmp_path / target).exists()
    # a valid but empty verified table, as an interrupted write once left it
    empty = tmp_path / "empty.gpkg"
    subprocess.run(
        ["/usr/bin/ogr2ogr", "-f", "GPKG", str(empty), str(out), "-where", "1=0", "-nln", "verified"], check=True
    )
    for algorithm, target in (("export_report", "r.xlsx"), ("export_maps", "m.pdf")):
        done = qgis_process.run(f"demolitionverifier:{algorithm}", f"INPUT={empty}", f"OUTPUT={tmp_path / target}")
        assert done.returncode != 0 and "holds no patches" in done.stdout + done.stderr, done.stdout
        assert "全部图斑均已通过核查" not in done.stdout and not (tmp_path / target).exists()
