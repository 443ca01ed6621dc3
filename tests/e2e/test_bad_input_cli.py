"""The bad-input cases of tests/qgis/test_bad_input.py again, from files through qgis_process:
the same answers, the damage named in the log, the inputs' bytes unchanged."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from qgis_layers import box_wkt, memory_layer, write_file
from qgis_process_runner import read_layer

X0, Y0 = 39_550_000.0, 3_880_000.0  # EPSG:4527
FIELDS = [("JCBH", str), ("XZQMC", str), ("JCMJ", float)]
CURVE = (
    f"CURVEPOLYGON(COMPOUNDCURVE(({X0} {Y0},{X0 + 100} {Y0},{X0 + 100} {Y0 + 100}),"
    f"CIRCULARSTRING({X0 + 100} {Y0 + 100},{X0 + 50} {Y0 + 150},{X0} {Y0 + 100}),({X0} {Y0 + 100},{X0} {Y0})))"
)


def digest(folder: Path) -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def county(folder: Path, patches, survey) -> str:
    path = str(folder / "county.gpkg")
    write_file(patches, path, layer_name="patches")
    from qgis.core import QgsVectorFileWriter

    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = "survey"
    options.actionOnExistingFile = QgsVectorFileWriter.CreateOrOverwriteLayer
    from qgis.core import QgsCoordinateTransformContext

    error = QgsVectorFileWriter.writeAsVectorFormatV2(survey, path, QgsCoordinateTransformContext(), options)
    assert error[0] == QgsVectorFileWriter.NoError, error
    return path


def square(dx, size=100.0):
    return box_wkt(X0 + dx, Y0, X0 + dx + size, Y0 + size)


CASES = {
    # name: (patch wkts, patch rows, patch geometry type, survey wkts, survey type, extra params,
    #        expected [(id, status, reasons)], words expected in the log)
    "curves and zero-area and sliver survey polygons": (
        [CURVE, square(300)],
        [["A", "x", 1.0], ["B", "x", 1.0]],
        "CurvePolygon",
        [
            f"POLYGON(({X0 + 310} {Y0 + 10},{X0 + 330} {Y0 + 10},{X0 + 350} {Y0 + 10},{X0 + 310} {Y0 + 10}))",
            f"POLYGON(({X0 + 10} {Y0 + 10},{X0 + 90} {Y0 + 10},{X0 + 90} {Y0 + 10.01},{X0 + 10} {Y0 + 10.01},{X0 + 10} {Y0 + 10}))",
        ],
        "Polygon",
        [],
        [("A", "pass", ""), ("B", "pass", "geometry_repaired")],
        ["invalid geometries of layer “survey” were repaired"],
    ),
    "monitored area in the wrong unit": (
        [square(0), square(200, 80), square(400, 60)],
        [["A", "x", 10000 / (2000 / 3)], ["B", "x", 6400 / (2000 / 3)], ["C", "x", 3600 / (2000 / 3)]],
        "Polygon",
        [],
        "Polygon",
        ["MONITORED_AREA_FIELD=JCMJ", "AREA_METHOD=1"],
        [("A", "pass", "area_mismatch"), ("B", "pass", "area_mismatch"), ("C", "pass", "area_mismatch")],
        ["looks wrong", "亩/mu"],
    ),
    "an empty survey layer": (
        [square(0)],
        [["A", "x", 1.0]],
        "Polygon",
        [],
        "Polygon",
        [],
        [("A", "pass", "")],
        ["The survey layer is empty"],
    ),
    "an empty patch layer": (
        [],
        [],
        "Polygon",
        [square(0)],
        "Polygon",
        [],
        [],
        ["The patch layer is empty"],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_through_qgis_process(qgis_app, qgis_process, tmp_path, case):
    wkts, rows, ptype, survey_wkts, stype, extra, expected, words = CASES[case]
    data = tmp_path / "data"
    data.mkdir()
    path = county(
        data,
        memory_layer("patches", wkts, fields=FIELDS, rows=rows, geometry=ptype),
        memory_layer("survey", survey_wkts, geometry=stype),
    )
    before = digest(data)
    done = qgis_process.run(
        "demolitionverifier:verify",
        f"PATCHES={path}|layername=patches",
        "PATCH_ID_FIELD=JCBH",
        f"SURVEY={path}|layername=survey",
        *extra,
        f"OUTPUT={tmp_path / 'out.gpkg'}",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    log = done.stdout + done.stderr
    for word in words:
        assert word in log, word
    got = [(r["patch_id"], r["status"], r["reasons"]) for r in read_layer(str(tmp_path / "out.gpkg"))]
    assert got == expected
    assert digest(data) == before
