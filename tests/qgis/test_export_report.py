"""`demolitionverifier:export_report` through processing.run, the workbook read back with openpyxl."""

from __future__ import annotations

import openpyxl
import pytest
from export_data import verified_county
from qgis.core import QgsProcessingException, QgsVectorLayer
from qgis_layers import box_wkt, memory_layer

from demolition_verifier.core.definitions import SQUARE_METRES_PER_MU


def report(processing, layer, path):
    return processing.run("demolitionverifier:export_report", {"INPUT": layer, "OUTPUT": str(path)})


def test_report_matches_the_verify_run(processing, tmp_path):
    county = verified_county(processing, tmp_path)
    verified = QgsVectorLayer(county["OUTPUT"], "verified", "ogr")  # the GeoPackage, as a user loads it
    path = tmp_path / "report.xlsx"
    result = report(processing, verified, path)
    assert result["OUTPUT"] == str(path) and result["PATCHES"] == 5
    rows = {f["patch_id"]: f for f in verified.getFeatures()}
    run_id = rows["H1"]["run_id"]

    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["乡镇汇总", "图斑明细", "未通过图斑"]
    for ws in wb:
        assert run_id in ws["A2"].value and "核查时间" in ws["A2"].value

    ws = wb["乡镇汇总"]
    body = {r[1].value: r for r in ws.iter_rows(min_row=5)}
    assert list(body) == ["西河头镇", "城关镇", "柳林镇", "合计"]  # ranked by completion by area
    town = body["城关镇"]  # H1 passed, H2 failed: 15 亩 of 30 done
    assert [c.value for c in town[:6]] == [2, "城关镇", 2, 1, 1, 0]
    assert town[6].value == pytest.approx(2 * rows["H1"]["monitor_m2"] / SQUARE_METRES_PER_MU)
    assert town[6].number_format == "0.00" and town[7].value == pytest.approx(15.0)
    assert town[8].value == pytest.approx(0.5) and town[8].number_format == "0.00%"
    assert body["西河头镇"][0].value == 1 and body["西河头镇"][8].value == pytest.approx(1.0)
    assert body["柳林镇"][0].value == 3 and body["柳林镇"][8].value == 0
    total = body["合计"]
    assert total[0].value is None and [c.value for c in total[2:6]] == [5, 2, 2, 1]

    ws = wb["图斑明细"]
    detail = [[c.value for c in r] for r in ws.iter_rows(min_row=5)]
    assert [r[1] for r in detail] == ["H1", "H2", "H3", "H4", "H10"]
    h2 = detail[1]
    assert h2[2:5] == ["城关镇", "不通过", "拆次留主、超出容差"]
    assert h2[6] == pytest.approx(rows["H2"]["monitor_m2"]) and isinstance(h2[8], float)
    assert h2[9] == pytest.approx(rows["H2"]["remain_rt"])
    assert detail[2][3:5] == ["未核查", "无几何"]

    ws = wb["未通过图斑"]
    listed = [(r[2].value, r[3].value) for r in ws.iter_rows(min_row=5) if isinstance(r[0].value, int)]
    assert listed == [("H2", "不通过"), ("H10", "不通过"), ("H3", "未核查")]
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".xlsx") == ["report.xlsx"]


def test_a_layer_that_is_not_a_verify_output_is_refused(processing, tmp_path):
    plain = memory_layer("patches", [box_wkt(0, 0, 1, 1)], fields=[("JCBH", str)], rows=[["H1"]])
    path = tmp_path / "report.xlsx"
    with pytest.raises(QgsProcessingException) as refusal:
        report(processing, plain, path)
    assert "is not a verify result" in str(refusal.value) and "run_id" in str(refusal.value)
    assert not path.exists()


def test_an_existing_report_is_replaced_whole(processing, tmp_path):
    county = verified_county(processing)
    path = tmp_path / "report.xlsx"
    path.write_bytes(b"an old report")
    report(processing, county["OUTPUT"], path)
    assert openpyxl.load_workbook(path)["图斑明细"]["B5"].value == "H1"
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]
