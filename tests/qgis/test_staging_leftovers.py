"""What a killed run leaves (a `.~dv-…` staging folder, a `…_dvtmp…` table) is removed by the next run
to the same destination, and only that: another output's staging folder is left alone."""

from __future__ import annotations

from osgeo import gdal, ogr
from qgis_layers import box_wkt, memory_layer

X0, Y0 = 39_550_000.0, 3_880_000.0
LEFT = ("keep", "verified_dvtmp0123abcd", "keep_dvtmp0123abcd")


def run(processing, output: str) -> list[str]:
    patches = memory_layer("p", [box_wkt(X0, Y0, X0 + 100, Y0 + 100)], fields=[("JCBH", str)], rows=[["A"]])
    survey = memory_layer("s", [])
    messages: list[str] = []

    class Feedback(__import__("qgis.core", fromlist=["QgsProcessingFeedback"]).QgsProcessingFeedback):
        def pushInfo(self, info):
            messages.append(info)

    processing.run(
        "demolitionverifier:verify",
        {"PATCHES": patches, "PATCH_ID_FIELD": "JCBH", "SURVEY": survey, "OUTPUT": output},
        feedback=Feedback(),
    )
    return messages


def test_a_killed_runs_staging_folder_is_removed_by_the_next_run(processing, tmp_path):
    mine, other = tmp_path / ".~dv-0123456789", tmp_path / ".~dv-abcdefabcd"
    mine.mkdir()
    (mine / "verified.gpkg").write_bytes(b"half a file")
    other.mkdir()
    (other / "remnants.gpkg").write_bytes(b"another output's")
    messages = run(processing, str(tmp_path / "verified.gpkg"))
    assert not mine.exists() and other.exists()
    assert any(str(mine) in m for m in messages)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".~dv-") and p != other]


def test_a_killed_runs_temporary_table_is_dropped_by_the_next_run(processing, tmp_path):
    path = tmp_path / "out.gpkg"
    gdal.UseExceptions()
    dataset = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    for name in LEFT:
        dataset.CreateLayer(name, None, ogr.wkbPolygon)
    dataset = None
    run(processing, f"ogr:dbname='{path}' table=\"verified\" (geom)")
    dataset = gdal.OpenEx(str(path), gdal.OF_VECTOR)
    names = sorted(dataset.GetLayer(i).GetName() for i in range(dataset.GetLayerCount()))
    dataset = None
    assert names == ["keep", "keep_dvtmp0123abcd", "verified"]
