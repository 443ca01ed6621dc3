"""demolitionverifier:record_applications through processing.run: tables as townships send them."""

from __future__ import annotations

import datetime
import os

import openpyxl
import pytest
from campaign_layers import define
from qgis.core import QgsProcessingException, QgsVectorLayer
from qgis_layers import memory_layer

from demolition_verifier.core import audit


@pytest.fixture
def log(processing, tmp_path):
    path = tmp_path / "audit.gpkg"
    define(processing, path, ACCEPT_BY="2024-06-30 18:00:00")
    return path


def record(processing, log, table, **params):
    done = processing.run(
        "demolitionverifier:record_applications",
        {"AUDIT_LOG": str(log), "INPUT": table, "OUTPUT": "memory:", **params},
    )
    layer = done["OUTPUT"]
    if isinstance(layer, str):
        layer = QgsVectorLayer(layer, "out", "ogr")
    rows = [(f["patch_id"], f["applied_at"], bool(f["accepted"]), f["reason"] or "") for f in layer.getFeatures()]
    return done, rows


def test_an_xlsx_with_text_cells_and_full_width_ids(processing, log, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["图斑编号", "申请时间", "申请人", "备注"])
    sheet.append(["A1", "2024-06-30 18:00:00", "张三", "已拆除"])
    sheet.append([" Ａ2 ", "2024-06-30 18:00:01", "李四", None])
    sheet.append(["B1", datetime.datetime(2024, 6, 30, 10, 0), "王五", None])  # a date-time cell, China time
    sheet.append(["Z9", "2024-06-01", "赵六", None])
    path = tmp_path / "城关镇申请.xlsx"
    book.save(path)
    done, rows = record(
        processing, log, str(path), ID_FIELD="图斑编号", APPLIED_AT_FIELD="申请时间", APPLICANT_FIELD="申请人"
    )
    assert rows == [
        ("A1", "2024-06-30T18:00:00+08:00", True, ""),
        ("A2", "2024-06-30T18:00:01+08:00", False, "late"),
        ("B1", "2024-06-30T10:00:00+08:00", True, ""),
        ("Z9", "2024-06-01T23:59:59+08:00", False, "unknown_id"),
    ]
    assert (done["ACCEPTED"], done["REFUSED"]) == (2, 2)
    entry = audit.entries(log, kinds=("application",))[0]
    assert [r[0] for r in entry.data["rows"]] == ["A1", "A2", "B1", "Z9"]  # refusals recorded too
    assert entry.data["rows"][0][4] == "张三" and entry.data["rows"][0][6] == "已拆除"
    assert done["AUDIT_HEAD"] == audit.verify_chain(log).head
    # the same table again: duplicates append nothing; late and unknown are recorded again as refused
    entries = audit.verify_chain(log).entries
    _done, rows = record(processing, log, str(path), ID_FIELD="图斑编号", APPLIED_AT_FIELD="申请时间")
    assert [r[3] for r in rows] == ["duplicate", "late", "duplicate", "unknown_id"]
    assert audit.verify_chain(log).entries == entries + 1


def test_a_gbk_csv_from_excel_loads(processing, log, tmp_path):
    path = tmp_path / "柳林镇.csv"
    path.write_bytes("图斑编号,申请时间,申请人\r\nB1,2024/6/5 9:30,刘一\r\n１Ａ,2024/6/5 9:30,刘一\r\n".encode("gbk"))
    _done, rows = record(processing, log, str(path), ID_FIELD="图斑编号", APPLIED_AT_FIELD="申请时间")
    assert rows == [
        ("B1", "2024-06-05T09:30:00+08:00", True, ""),
        ("1A", "2024-06-05T09:30:00+08:00", False, "unknown_id"),
    ]


def test_rows_without_a_time_take_applied_at_and_a_layer_works(processing, log):
    layer = memory_layer("apps", [None, None], "EPSG:4527", [("JCBH", str)], [["A1"], ["A2"]], geometry="None")
    _done, rows = record(processing, log, layer, ID_FIELD="JCBH", APPLIED_AT="2024-06-10 08:00")
    assert rows == [("A1", "2024-06-10T08:00:00+08:00", True, ""), ("A2", "2024-06-10T08:00:00+08:00", True, "")]


def test_refusals_append_nothing(processing, log, tmp_path):
    entries = audit.verify_chain(log).entries
    layer = memory_layer("apps", [None], "EPSG:4527", [("name", str)], [["A1"]], geometry="None")
    for params in (
        {"INPUT": layer},  # no id column to be found
        {"INPUT": layer, "ID_FIELD": "JCBH"},
        {
            "INPUT": memory_layer(
                "a", [None], "EPSG:4527", [("JCBH", str), ("t", str)], [["A1", "soon"]], geometry="None"
            ),
            "ID_FIELD": "JCBH",
            "APPLIED_AT_FIELD": "t",
        },  # fmt: skip
        {"INPUT": layer, "ID_FIELD": "name", "AUDIT_LOG": str(tmp_path / "none.gpkg")},
    ):
        with pytest.raises(QgsProcessingException) as caught:
            processing.run(
                "demolitionverifier:record_applications", {"AUDIT_LOG": str(log), "OUTPUT": "memory:", **params}
            )
        assert "Traceback" not in str(caught.value) and str(caught.value)
    assert audit.verify_chain(log).entries == entries
    assert not os.path.exists(tmp_path / "none.gpkg")
