"""Messy files through qgis_process: repaired and flagged, or refused; the files never change."""

from __future__ import annotations

import hashlib
from pathlib import Path

from qgis_layers import box_wkt, memory_layer, write_file
from qgis_process_runner import read_layer

X0, Y0 = 39_550_000.0, 3_880_000.0  # EPSG:4527


def digest(folder: Path) -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def messy_files(folder: Path) -> tuple[str, str]:
    """A GBK shapefile of patches (a bow-tie patch, a duplicate id, a NULL geometry, text areas) and a
    survey shapefile with a self-intersecting building, Z values and a NULL geometry."""
    patches = memory_layer(
        "patches",
        [
            box_wkt(X0, Y0, X0 + 100, Y0 + 100),
            f"POLYGON(({X0 + 200} {Y0},{X0 + 300} {Y0 + 100},{X0 + 300} {Y0},{X0 + 200} {Y0 + 100},{X0 + 200} {Y0}))",
            None,
            box_wkt(X0 + 400, Y0, X0 + 500, Y0 + 100),
        ],
        fields=[("JCBH", str), ("XZQMC", str), ("JCMJ", str)],
        rows=[["H1", "城关镇", "15"], ["H2", "柳林镇", "7.5"], ["H3", "柳林镇", "abc"], ["H1", "河西乡", "15"]],
    )
    bowtie = (
        f"POLYGON Z(({X0 + 410} {Y0 + 10} 3,{X0 + 430} {Y0 + 30} 3,{X0 + 430} {Y0 + 10} 3,"
        f"{X0 + 410} {Y0 + 30} 3,{X0 + 410} {Y0 + 10} 3))"
    )
    survey = memory_layer("survey", [bowtie, None], geometry="PolygonZ")
    return (
        write_file(patches, str(folder / "patches.shp"), "ESRI Shapefile", "GBK"),
        write_file(survey, str(folder / "survey.shp"), "ESRI Shapefile"),
    )


def test_messy_shapefiles_are_repaired_and_flagged(qgis_app, qgis_process, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    patches, survey = messy_files(data)
    before = digest(data)
    done = qgis_process.run(
        "demolitionverifier:verify",
        f"PATCHES={patches}",
        "PATCH_ID_FIELD=JCBH",
        "MONITORED_AREA_FIELD=JCMJ",
        "MONITORED_AREA_UNIT=1",
        "TOWNSHIP_FIELD=XZQMC",
        f"SURVEY={survey}",
        f"OUTPUT={tmp_path / 'out.shp'}",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    log = done.stdout + done.stderr
    assert "1 features of survey layer “survey” have no geometry and were skipped" in log
    assert "1 patches have no geometry" in log
    rows = read_layer(str(tmp_path / "out.shp"))
    reasons = [r["reasons"] for r in rows]
    assert reasons == [
        "duplicate_id",
        "geometry_repaired",  # the bow tie is two triangles of 2 500 m²: 7.5 亩, as monitored
        "no_geometry,monitored_area_missing",
        "main_retained,over_tolerance,geometry_repaired,duplicate_id",
    ]
    assert [r["township"] for r in rows] == ["城关镇", "柳林镇", "柳林镇", "河西乡"]
    # a shapefile others can read: UTF-8, and said so in the .cpg (QGIS would write "system")
    assert (tmp_path / "out.cpg").read_text().strip().upper() == "UTF-8"
    assert "城关镇".encode() in (tmp_path / "out.dbf").read_bytes()
    assert abs(rows[3]["remain_m2"] - 200.0) < 0.05  # the bow tie counted, not 0 m²
    assert digest(data) == before


def test_a_shapefile_without_crs(qgis_app, qgis_process, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    patches, survey = messy_files(data)
    for stem in ("patches", "survey"):
        (data / f"{stem}.prj").unlink()
    before = digest(data)
    args = [f"PATCHES={patches}", "PATCH_ID_FIELD=JCBH", f"SURVEY={survey}"]
    refused = qgis_process.run("demolitionverifier:verify", *args, f"OUTPUT={tmp_path / 'a.gpkg'}")
    assert refused.returncode != 0
    assert "Layer “patches” has no coordinate reference system" in refused.stdout + refused.stderr
    assert not (tmp_path / "a.gpkg").exists()
    planar = qgis_process.run("demolitionverifier:verify", *args, "AREA_METHOD=1", f"OUTPUT={tmp_path / 'b.gpkg'}")
    assert planar.returncode == 0, planar.stdout + planar.stderr
    assert abs(read_layer(str(tmp_path / "b.gpkg"))[0]["geom_m2"] - 10000.0) < 1e-6
    assert digest(data) == before
