"""demolitionverifier:accountability through processing.run, over a small county's campaign: a patch that
passed, was overturned, passed again and was rebuilt; a patch never applied for nor verified; a township
without responsibility rows; an AS_OF before the deadline; the dossier PDF; the workbook read back."""

from __future__ import annotations

import csv
import re
import sqlite3
import subprocess
import unicodedata

import openpyxl
import pytest
from campaign_layers import define
from campaign_log import Clock
from qgis.core import QgsProcessingException, QgsProcessingFeedback, QgsVectorLayer
from qgis_layers import X0, Y0, box_wkt, memory_layer

from demolition_verifier.core import audit

FIELDS = ["patch_id", "township", "monitor_m2", "final_st", "reasons", "applied_at", "last_check", "party",
          "sup_unit", "sup_person", "rect_unit", "rect_person"]  # fmt: skip
TOWNS = [("A1", "城关镇", 15.0, "张某"), ("A2", "城关镇", 15.0, None), ("B1", "柳林镇", 15.0, ""),
         ("B2", "柳林镇", 30.0, None), ("C1", "东王庄乡", 15.0, "李某某")]  # fmt: skip
RESPONSIBILITIES = [
    ["乡镇", "责任类型", "单位", "责任人", "电话"],
    ["城关镇", "主体责任", "城关镇人民政府", "王镇长", "13800000001"],
    ["城关镇", "监管责任", "城关自然资源所", "李所长", ""],
    ["城关镇", "监管责任", "城关自然资源所", "赵干事", ""],
    ["城关镇", "监管责任", "城关自然资源所", "赵干事", ""],
    ["城关镇", "整改责任", "城关镇拆违办", "钱主任", "13800000002"],
    ["柳林镇", "监管责任", "柳林自然资源所", "孙所长", ""],
    ["北山镇", "主体责任", "北山镇人民政府", "周镇长", ""],
]


class Feedback(QgsProcessingFeedback):
    def __init__(self) -> None:
        super().__init__()
        self.warnings: list[str] = []
        self.infos: list[str] = []

    def pushWarning(self, text):
        self.warnings.append(text)

    def pushInfo(self, text):
        self.infos.append(text)


def patch_layer():
    wkts = [box_wkt(X0 + 200 * i, Y0, X0 + 200 * i + 100, Y0 + 100) for i in range(len(TOWNS))]
    fields = [("JCBH", str), ("XZQMC", str), ("JCMJ", float), ("DSR", str)]
    return memory_layer("patches", wkts, "EPSG:4527", fields, [list(t) for t in TOWNS])


def survey(left: list[int], tiny: list[int] = ()):
    """A 30 m shed in patch i for each i in `left`; a 0.5 m² scrap (within tolerance) for i in `tiny`."""
    wkts = [box_wkt(X0 + 200 * i + 10, Y0 + 10, X0 + 200 * i + 40, Y0 + 40) for i in left]
    wkts += [box_wkt(X0 + 200 * i + 50, Y0 + 50, X0 + 200 * i + 51, Y0 + 50.5) for i in tiny]
    return memory_layer("survey", wkts or [box_wkt(X0 - 500, Y0 - 500, X0 - 490, Y0 - 490)], "EPSG:4527")


def verify(processing, log, layer, left, tiny=()):
    return processing.run(
        "demolitionverifier:verify",
        {"PATCHES": layer, "PATCH_ID_FIELD": "JCBH", "MONITORED_AREA_FIELD": "JCMJ", "MONITORED_AREA_UNIT": 1,
         "TOWNSHIP_FIELD": "XZQMC", "SURVEY": survey(left, tiny), "OUTPUT": "memory:", "AUDIT_LOG": str(log),
         "AUDIT_USER": "核查员 刘"},
    )  # fmt: skip


@pytest.fixture
def county(processing, tmp_path, monkeypatch):
    clock = Clock(monkeypatch)
    log = tmp_path / "audit.gpkg"
    layer = patch_layer()
    clock.at("2024-06-01T08:00:00")
    define(processing, log, layer)  # ACCEPT_BY 2024-06-30 18:00
    clock.at("2024-06-02T09:00:00")
    applications = tmp_path / "applications.csv"
    applications.write_bytes("图斑编号,申请时间\r\nA1,2024-06-02 09:00\r\nB1,2024-06-02 09:00\r\n".encode("gbk"))
    processing.run(
        "demolitionverifier:record_applications",
        {"AUDIT_LOG": str(log), "INPUT": str(applications), "ID_FIELD": "图斑编号", "APPLIED_AT_FIELD": "申请时间",
         "OUTPUT": "memory:"},
    )  # fmt: skip
    clock.at("2024-06-02T17:00:00")
    verify(processing, log, layer, [1, 2, 3])  # A1 and C1 pass
    clock.at("2024-06-03T10:00:00")
    audit.mark_patch(log, "A1", "overturned", "督查抽查：主房未拆", "fail", user_name="督查室 陈")
    clock.at("2024-06-10T17:00:00")
    verify(processing, log, layer, [1, 2, 3], tiny=[0])  # new figures for A1: the overturn re-opens, A1 passes
    clock.at("2024-07-02T09:00:00")
    late = tmp_path / "late.csv"
    late.write_bytes("图斑编号,申请时间\r\nB2,2024-07-02 09:00\r\n".encode("gbk"))
    processing.run(
        "demolitionverifier:record_applications",
        {"AUDIT_LOG": str(log), "INPUT": str(late), "ID_FIELD": "图斑编号", "APPLIED_AT_FIELD": "申请时间",
         "OUTPUT": "memory:"},
    )  # fmt: skip
    clock.at("2024-07-05T10:00:00")
    verify(processing, log, layer, [0, 1, 2, 3])  # the return visit: A1 rebuilt
    clock.at("2024-07-06T09:00:00")
    table = tmp_path / "责任人.csv"
    with open(table, "w", encoding="gbk", newline="") as handle:
        csv.writer(handle).writerows(RESPONSIBILITIES)
    return clock, log, layer, table


def run_list(processing, log, table, tmp_path, stem="acc", feedback=None, **params):
    out = {
        "AUDIT_LOG": str(log),
        "RESPONSIBILITIES": str(table),
        "OUTPUT": str(tmp_path / f"{stem}.xlsx"),
        "OUTPUT_TABLE": str(tmp_path / f"{stem}.gpkg"),
    }
    out.update(params)
    return processing.run("demolitionverifier:accountability", out, feedback=feedback)


def table_rows(path):
    layer = QgsVectorLayer(str(path), "t", "ogr")
    names = [n for n in layer.fields().names() if n != "fid"]
    return names, {f["patch_id"]: {n: f[n] for n in names} for f in layer.getFeatures()}


def pdf_text(path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    return unicodedata.normalize("NFKC", out)


def test_the_list_after_the_return_visit(processing, county, tmp_path):
    _clock, log, layer, table = county
    feedback = Feedback()
    done = run_list(processing, log, table, tmp_path, feedback=feedback, AS_OF="2024-07-06 09:00",
                    PATCHES=layer, PATCH_ID_FIELD="JCBH", PARTY_FIELD="DSR",
                    OUTPUT_PDF=str(tmp_path / "dossier.pdf"))  # fmt: skip
    assert done["PROVISIONAL"] is False and done["LISTED"] == 4
    names, rows = table_rows(done["OUTPUT_TABLE"])
    assert names == FIELDS
    # 东王庄乡 (C1 passed: 100 %) ranks first and has nothing listed; 城关镇 and 柳林镇 share rank 2 (0 %)
    order = [f["patch_id"] for f in QgsVectorLayer(done["OUTPUT_TABLE"], "t", "ogr").getFeatures()]
    assert order == ["A1", "A2", "B1", "B2"]
    a1 = rows["A1"]
    assert a1["final_st"] == "fail" and "rebuilt" in a1["reasons"].split(",")
    assert a1["applied_at"] == "2024-06-02T09:00:00+08:00" and a1["last_check"] == "2024-07-05T10:00:00+08:00"
    assert a1["party"] == "张某" and a1["sup_person"] == "李所长、赵干事" and a1["rect_unit"] == "城关镇拆违办"
    assert a1["monitor_m2"] == pytest.approx(10_000.0)
    b2 = rows["B2"]  # never applied for in time (its application was late), verified failing
    assert b2["applied_at"] in ("", None) or str(b2["applied_at"]) == "NULL"
    b1 = rows["B1"]
    assert b1["party"] == "未填" and b1["sup_person"] == "孙所长" and b1["rect_person"] == "未填"
    warnings = "\n".join(feedback.warnings)
    assert "北山镇" in warnings and "柳林镇" in warnings and "东王庄乡" not in warnings  # nothing of it is listed

    entry = audit.entries(log, kinds=("accountability",))[-1]
    assert entry.data["as_of"] == "2024-07-06T09:00:00+08:00" and entry.data["computed_over"]["head"] == done["HEAD"]
    assert [r[0] for r in entry.data["rows"]] == order and entry.data["fields"] == FIELDS
    assert done["AUDIT_HEAD"] == audit.verify_chain(log).head

    book = openpyxl.load_workbook(done["OUTPUT"])
    assert book.sheetnames == ["倒查责任清单", "核查与申请记录", "责任人"]
    for sheet in book.worksheets:
        texts = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
        assert any(done["HEAD"] in t for t in texts) and any("2024-07-06 09:00" in t for t in texts), sheet.title
    listed = [
        row for row in book["倒查责任清单"].iter_rows(values_only=True) if row[3] in ("A1", "A2", "B1", "B2", "C1")
    ]
    assert [row[3] for row in listed] == order
    a1_row = next(row for row in listed if row[3] == "A1")
    assert "不通过" in a1_row[5] and "复建" in a1_row[6] and a1_row[7].startswith("是")
    history = [row for row in book["核查与申请记录"].iter_rows(values_only=True) if row[1] == "A1"]
    events = [(row[3], row[4]) for row in history]
    assert events == [("申请验收", "已受理"), ("核查", "通过"), ("复核", "改判为不通过"), ("核查", "通过"),
                      ("核查", "不通过")]  # fmt: skip
    assert history[1][6] == "核查员 刘" and "主房未拆" in history[2][7]
    people = [row for row in book["责任人"].iter_rows(values_only=True) if row[0] == "东王庄乡"]
    assert people and people[0][2] == "未填"

    pdf = tmp_path / "dossier.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(r"^Pages:\s+4$", info, re.M)
    text = pdf_text(pdf)
    for word in ("城关镇", "柳林镇", "倒查责任清单", "核查与申请记录", done["HEAD"][:16], "2024-07-06 09:00",
                 "王镇长", "孙所长", "张某", "主房未拆"):  # fmt: skip
        assert word in text, word
    pages = text.split("\f")
    assert all(done["HEAD"][:16] in page for page in pages if page.strip())


def test_the_list_at_the_deadline_and_before_it(processing, county, tmp_path):
    _clock, log, layer, table = county
    done = run_list(processing, log, table, tmp_path, "deadline")  # AS_OF: the acceptance deadline
    assert done["AS_OF"] == "2024-06-30T18:00:00+08:00" and done["PROVISIONAL"] is False
    _names, rows = table_rows(done["OUTPUT_TABLE"])
    assert set(rows) == {"A2", "B1", "B2"}  # A1 passed again by then, C1 passed
    assert rows["B2"]["applied_at"] in ("", None) or str(rows["B2"]["applied_at"]) == "NULL"
    assert rows["A2"]["party"] == "王镇长"  # no party in the layer: the township's 主体责任

    feedback = Feedback()
    early = run_list(processing, log, table, tmp_path, "early", feedback=feedback, AS_OF="2024-06-03 12:00")
    assert early["PROVISIONAL"] is True
    assert any("暂定" in w or "provisional" in w for w in feedback.warnings)
    _names, rows = table_rows(early["OUTPUT_TABLE"])
    assert rows["A1"]["final_st"] == "fail"  # overturned
    book = openpyxl.load_workbook(early["OUTPUT"])
    texts = [str(c) for row in book["倒查责任清单"].iter_rows(values_only=True) for c in row if c is not None]
    assert any("暂定" in t for t in texts)
    assert any("改判" in t for t in texts)


def test_never_verified_and_csv_table(processing, tmp_path, monkeypatch):
    clock = Clock(monkeypatch)
    log = tmp_path / "audit.gpkg"
    layer = patch_layer()
    clock.at("2024-06-01T08:00:00")
    define(processing, log, layer)
    clock.at("2024-07-01T08:00:00")
    table = tmp_path / "r.csv"
    table.write_text("township,role,unit,person,phone\n城关镇,party,城关镇政府,王,1\n", encoding="utf-8")
    done = run_list(processing, log, table, tmp_path, "nv", OUTPUT_TABLE=str(tmp_path / "nv.csv"),
                    PATCHES=layer, PATCH_ID_FIELD="JCBH", OUTPUT_PDF=str(tmp_path / "nv.pdf"))  # fmt: skip
    lines = (tmp_path / "nv.csv").read_bytes().decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join(FIELDS) and len(lines) == 6
    first = dict(zip(FIELDS, next(csv.reader([lines[1]]))))
    assert first["final_st"] == "unsurveyed" and first["last_check"] == "" and first["reasons"] == ""
    assert done["LISTED"] == 5
    assert "从未核查" in pdf_text(tmp_path / "nv.pdf")


def test_refusals_append_nothing(processing, county, tmp_path):
    _clock, log, layer, table = county
    entries = audit.verify_chain(log).entries
    cases = [
        ({"PATCHES": layer, "PATCH_ID_FIELD": "JCBH", "PARTY_FIELD": "当事人"}, "JCBH"),  # the fields listed
        ({"OUTPUT_PDF": str(tmp_path / "x.pdf")}, "PATCHES"),
        ({"OUTPUT_TABLE": str(tmp_path / "x.shp")}, "rect_person"),
        ({"AS_OF": "2024-05-01"}, "AS_OF"),
        ({"AS_OF": "2099-01-01"}, "AS_OF"),
    ]
    for params, said in cases:
        with pytest.raises(QgsProcessingException) as caught:
            run_list(processing, log, table, tmp_path, "x", **params)
        message = str(caught.value)
        assert "Traceback" not in message and said in message, message
    bad = tmp_path / "bad.csv"
    bad.write_text("乡镇,姓名\n城关镇,王\n", encoding="utf-8")
    with pytest.raises(QgsProcessingException) as caught:
        run_list(processing, log, bad, tmp_path, "x")
    assert "责任类型" in str(caught.value)
    assert audit.verify_chain(log).entries == entries
    assert not (tmp_path / "x.xlsx").exists() and not (tmp_path / "x.gpkg").exists()

    other = tmp_path / "other.gpkg"
    audit.append(other, [audit.NewEntry("run", {"kind": "verify"}, "r1")])
    with pytest.raises(QgsProcessingException) as caught:
        run_list(processing, other, table, tmp_path, "x")
    assert "demolitionverifier:campaign" in str(caught.value) and audit.verify_chain(other).entries == 1

    connection = sqlite3.connect(log)
    connection.execute("DROP TRIGGER audit_log_no_update")
    connection.execute("UPDATE audit_log SET status = 'pass' WHERE patch_id = 'B1'")
    connection.commit()
    connection.close()
    with pytest.raises(QgsProcessingException) as caught:
        run_list(processing, log, table, tmp_path, "x")
    assert "篡改" in str(caught.value) or "tampered" in str(caught.value)
    assert sqlite3.connect(log).execute("SELECT COUNT(*) FROM audit_log").fetchone()[0] == entries
