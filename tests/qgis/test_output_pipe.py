"""verify's OUTPUT given as `file.gpkg|layername=table` (the form QGIS writes a layer's source in): a new
table in that GeoPackage, as the `ogr:dbname=... table=...` form makes it. QGIS's own sink takes the
pipe form for a file name (it writes a file called `file.gpkg|layername=table.gpkg`), so the staging
gives the sink the ogr: form."""

from __future__ import annotations

import sqlite3

from qgis.core import QgsVectorLayer
from qgis_layers import box_wkt, memory_layer, write_file

from demolition_verifier.core import audit

X0, Y0 = 39_550_000.0, 3_880_000.0


def run(processing, n: int, output: str, **extra) -> dict:
    wkts = [box_wkt(X0 + 200 * i, Y0, X0 + 200 * i + 100, Y0 + 100) for i in range(n)]
    patches = memory_layer("patches", wkts, "EPSG:4527", [("JCBH", str)], [[f"H{i}"] for i in range(n)])
    survey = memory_layer("survey", [box_wkt(X0 + 40, Y0 + 40, X0 + 60, Y0 + 60)], "EPSG:4527")
    params = {"PATCHES": patches, "PATCH_ID_FIELD": "JCBH", "SURVEY": survey, "OUTPUT": output, **extra}
    return processing.run("demolitionverifier:verify", params)


def tables(path) -> set[str]:
    with sqlite3.connect(path) as connection:
        return {row[0] for row in connection.execute("SELECT table_name FROM gpkg_contents")}


def test_a_new_table_in_an_existing_geopackage_by_the_pipe_form(processing, tmp_path):
    target = tmp_path / "project.gpkg"
    write_file(memory_layer("keep", [box_wkt(0, 0, 1, 1)]), str(target), layer_name="keep")
    log = tmp_path / "audit.gpkg"
    result = run(processing, 5, f"{target}|layername=verified", AUDIT_LOG=str(log))
    assert result["OUTPUT"] == f"{target}|layername=verified"
    assert tables(target) == {"keep", "verified"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audit.gpkg", "project.gpkg"]  # no stray file
    layer = QgsVectorLayer(result["OUTPUT"], "verified", "ogr")
    assert layer.featureCount() == 5 and {f["patch_id"] for f in layer.getFeatures()} == {f"H{i}" for i in range(5)}
    # the run entry names the table it wrote, and the output exports against the log
    run_entry = audit.entries(log, kinds=["run"])[-1]
    assert run_entry.data["outputs"]["OUTPUT"]["destination"] == f"{target}|layername=verified"
    report = processing.run(
        "demolitionverifier:export_report",
        {"INPUT": result["OUTPUT"], "AUDIT_LOG": str(log), "OUTPUT": str(tmp_path / "report.xlsx")},
    )
    assert report["PATCHES"] == 5 and report["AUDIT_HEAD"] == audit.verify_chain(log).head
    # again over the same table: replaced whole, the other table kept
    run(processing, 7, f"{target}|layername=verified")
    assert tables(target) == {"keep", "verified"}
    assert QgsVectorLayer(f"{target}|layername=verified", "v", "ogr").featureCount() == 7


def test_a_new_geopackage_by_the_pipe_form(processing, tmp_path):
    target = tmp_path / "new.gpkg"
    result = run(processing, 3, f"{target}|layername=verified")
    assert result["OUTPUT"] == f"{target}|layername=verified"
    assert [p.name for p in tmp_path.iterdir()] == ["new.gpkg"]
    assert tables(target) == {"verified"}
    assert QgsVectorLayer(result["OUTPUT"], "verified", "ogr").featureCount() == 3
