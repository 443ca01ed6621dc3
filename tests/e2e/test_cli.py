"""The command-line engine (cli.py) against the verify algorithm on the same sample county.

Both run in their own processes, as users run them: the CLI from the project's venv (its pyogrio
wheel bundles a GDAL that must never share a process with QGIS's), verify through qgis_process.
Their outputs are read back here with the system's GDAL.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from osgeo import ogr

ROOT = Path(__file__).resolve().parents[2]
PLUGINS = ROOT / ".build" / "plugins"
QGIS_PROCESS = ROOT / "scripts" / "qgis_process.sh"


def sample_county(folder: Path) -> Path:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import sample_data
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    ogr.UseExceptions()
    path = folder / "county.gpkg"
    sample_data.write(str(path), 120, 7)
    return path


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": f"{PLUGINS}:{ROOT / '.build' / 'pydeps'}"}
    return subprocess.run(
        [sys.executable, "-m", "demolition_verifier.cli", *args], env=env, capture_output=True, text=True, timeout=300
    )


def rows(path: Path) -> dict[str, dict]:
    """Features by patch_id (the sample has one duplicated id: keyed with its fid)."""
    dataset = ogr.Open(str(path))
    layer = dataset.GetLayer(0)
    definition = layer.GetLayerDefn()
    names = [definition.GetFieldDefn(i).GetName() for i in range(definition.GetFieldCount())]
    out = {}
    for feature in layer:
        values = {n: feature.GetField(n) for n in names}
        geometry = feature.GetGeometryRef()
        values["wkb"] = bytes(geometry.ExportToIsoWkb()) if geometry is not None else None
        out[f"{values.get('patch_id')}#{feature.GetFID()}"] = values
    return out


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    assert shutil.which("qgis_process.bin") or shutil.which("qgis_process"), "make test installs QGIS"
    folder = tmp_path_factory.mktemp("cli")
    county = sample_county(folder)
    common = ["--id-field", "JCBH", "--area-field", "JCMJ", "--area-unit", "1", "--township-field", "XZQMC"]
    cli = run_cli(
        f"{county}",
        f"{county}",
        "--patches-layer",
        "patches",
        "--survey-layer",
        "survey",
        "--coverage",
        f"{county}",
        "--coverage-layer",
        "coverage",
        *common,
        "-o",
        str(folder / "cli.gpkg"),
        "--remnants",
        str(folder / "cli_remnants.gpkg"),
        "--summary",
        str(folder / "cli_summary.csv"),
        "--lang",
        "en",
    )
    assert cli.returncode == 0, cli.stderr
    verify = subprocess.run(
        [
            str(QGIS_PROCESS),
            "run",
            "demolitionverifier:verify",
            "--",
            f"PATCHES={county}|layername=patches",
            f"SURVEY={county}|layername=survey",
            f"COVERAGE={county}|layername=coverage",
            "PATCH_ID_FIELD=JCBH",
            "MONITORED_AREA_FIELD=JCMJ",
            "MONITORED_AREA_UNIT=1",
            "TOWNSHIP_FIELD=XZQMC",
            f"OUTPUT={folder / 'qgis.gpkg'}",
            f"OUTPUT_REMNANTS={folder / 'qgis_remnants.gpkg'}",
            f"OUTPUT_SUMMARY={folder / 'qgis_summary.csv'}",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
    return folder, cli


def test_cli_output_matches_the_verify_algorithm(both):
    folder, _cli = both
    ours, theirs = rows(folder / "cli.gpkg"), rows(folder / "qgis.gpkg")
    assert ours.keys() == theirs.keys()
    first = next(iter(ours.values()))
    assert list(first) == list(next(iter(theirs.values())))  # the same fields, in the same order
    statuses = set()
    for key, row in ours.items():
        other = theirs[key]
        for name, value in row.items():
            if name in ("run_id", "checked_at"):
                continue
            if isinstance(value, float):
                assert value == pytest.approx(other[name], abs=2e-6), (key, name)
            else:
                assert value == other[name], (key, name)
        statuses.add((row["status"], row["reasons"]))
    # the sample holds every case: the comparison is not between two empty answers
    assert {s for s, _r in statuses} == {"pass", "fail", "unsurveyed"}
    assert any("geometry_repaired" in r for _s, r in statuses) and any("duplicate_id" in r for _s, r in statuses)


def test_cli_remnants_and_summary_match(both):
    folder, _cli = both

    def parts(path):
        dataset = ogr.Open(str(path))  # must outlive its layer
        layer = dataset.GetLayer(0)
        return sorted((f.GetField("patch_id"), f.GetField("part"), round(f.GetField("area_m2"), 4)) for f in layer)

    assert parts(folder / "cli_remnants.gpkg") == parts(folder / "qgis_remnants.gpkg")
    import csv

    def summary(path):
        with open(path, encoding="utf-8-sig") as f:
            return [
                {k: (round(float(v), 5) if v not in ("",) and k != "township" else v) for k, v in row.items()}
                for row in csv.DictReader(f)
            ]

    assert summary(folder / "cli_summary.csv") == summary(folder / "qgis_summary.csv")


def test_cli_prints_its_counts_and_timing(both):
    _folder, cli = both
    assert "120 patches:" in cli.stdout
    assert "Timing: read" in cli.stdout


def test_cli_refuses_to_write_over_its_input(tmp_path):
    county = sample_county(tmp_path)
    before = county.read_bytes()
    done = run_cli(
        str(county),
        str(county),
        "--patches-layer",
        "patches",
        "--survey-layer",
        "survey",
        "--id-field",
        "JCBH",
        "-o",
        str(county),
        "--lang",
        "en",
    )
    assert done.returncode == 2
    assert str(county) in done.stderr
    assert county.read_bytes() == before


def test_missing_field_is_a_message_not_a_traceback(tmp_path):
    county = sample_county(tmp_path)
    done = run_cli(
        str(county),
        str(county),
        "--patches-layer",
        "patches",
        "--survey-layer",
        "survey",
        "--id-field",
        "TBBH",
        "-o",
        str(tmp_path / "out.gpkg"),
        "--lang",
        "en",
    )
    assert done.returncode == 2
    assert "TBBH" in done.stderr and "JCBH" in done.stderr and "Traceback" not in done.stderr


def test_nothing_the_plugin_loads_imports_geopandas_or_pyogrio():
    """Their wheels bundle GDAL: only cli.py (never loaded by QGIS) may import them."""
    offenders = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in (".build", "tests", "scripts") or relative == Path("cli.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n.split(".")[0] in ("geopandas", "pyogrio", "fiona", "pandas") for n in names):
                offenders.append(str(relative))
    assert offenders == []
