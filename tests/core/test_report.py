"""The report workbook and the map page's figures, from verify records (no QGIS)."""

from __future__ import annotations

from datetime import datetime, timezone

import openpyxl
import pytest

from demolition_verifier.core.definitions import SQUARE_METRES_PER_MU, Reason
from demolition_verifier.core.report_model import AuditStamp, PatchRecord, Review, natural_order, run_info, summary_rows
from demolition_verifier.core.wording import local_time_text, patch_figures, result_words, review_words
from demolition_verifier.core.words import reasons_in_words
from demolition_verifier.formats.report_workbook import write_report

RUN = "20260301T020000-abc123"
AT = "2026-03-01T02:00:00+00:00"


def record(pid, town, status, reasons, monitor, remain, largest=0.0, parts=0, run=RUN):
    return PatchRecord.from_values(
        {
            "patch_id": pid, "township": town, "status": status, "reasons": reasons, "monitor_m2": monitor,
            "geom_m2": monitor, "remain_m2": remain, "remain_rt": remain / monitor, "largest_m2": largest,
            "remnants": parts, "run_id": run, "checked_at": AT,
        }
    )  # fmt: skip


RECORDS = [
    record("H10", "城关镇", "fail", "main_retained,over_tolerance", 2000.0, 150.0, 120.0, 2),
    record("H2", "城关镇", "pass", "", 1000.0, 0.0),
    record("H1", "柳林镇", "pass", "", 3000.0, 0.5, 0.5, 1),
    record("H3", "柳林镇", "unsurveyed", "not_surveyed", 1000.0, 0.0),
    record("H4", None, "fail", "over_tolerance", 600.0, 6.0, 6.0, 1),
]


def test_natural_order():
    ids = ["H10", "H2", "h1", "H2a", "A", None, "130401202400010", "130401202400009"]
    assert [ids[i] for i in natural_order(ids)] == [
        None,
        "130401202400009",
        "130401202400010",
        "A",
        "h1",
        "H2",
        "H2a",
        "H10",
    ]


def test_from_values_reads_nulls_and_text_numbers():
    r = PatchRecord.from_values(
        {"patch_id": 7, "township": "", "monitor_m2": "12.5", "remain_m2": None, "remnants": 2.0}
    )
    assert (r.patch_id, r.township, r.township_name) == ("7", None, "未填")
    assert r.monitor_m2 == 12.5 and r.remain_m2 is None and r.remnants == 2


def test_figures_of_a_page():
    rows = dict(patch_figures(RECORDS[0]))
    assert list(rows)[0] == "监测面积(亩)"  # id and township stand in the title
    assert rows["监测面积(亩)"] == "3.00" and rows["监测面积(平方米)"] == "2000.00"
    assert rows["剩余比例"] == "7.50%"
    assert rows["核查结果"] == "不通过"
    assert rows["原因"] == "拆次留主、超出容差"
    assert dict(patch_figures(RECORDS[1]))["原因"] == "—"
    unsurveyed = dict(patch_figures(RECORDS[3]))  # its 0 m² was never measured
    assert unsurveyed["剩余面积(平方米)"] == unsurveyed["剩余比例"] == unsurveyed["残留块数"] == "—"
    codes = ",".join(r.value for r in Reason)
    lines = dict(patch_figures(record("H9", "x", "fail", codes, 100.0, 50.0)))["原因"].split("\n")
    assert "".join(lines) == reasons_in_words(codes)  # broken only between words, nothing lost
    assert len(lines) > 1 and all(len(line) <= 15 for line in lines)


def test_run_info_and_local_time():
    info = run_info(RECORDS + [record("H9", "x", "pass", "", 1.0, 0.0, run="other")])
    assert info.run_ids == [RUN, "other"] and info.checked_at == [AT]
    moment = datetime(2026, 3, 1, 2, 0, tzinfo=timezone.utc).astimezone()
    assert local_time_text(AT) == moment.strftime("%Y-%m-%d %H:%M")
    assert local_time_text("not a time") == "not a time"


def test_report_sheets_hold_numbers_with_formats(tmp_path):
    path = tmp_path / "report.xlsx"
    write_report(RECORDS, str(path))
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["乡镇汇总", "图斑明细", "未通过图斑"]
    for ws in wb:
        assert RUN in ws["A2"].value  # the run stands on each sheet

    ws = wb["乡镇汇总"]
    header = [c.value for c in ws[4]]
    assert header == [
        "排名",
        "乡镇",
        "图斑数",
        "通过数",
        "不通过数",
        "未核查数",
        "监测面积(亩)",
        "通过面积(亩)",
        "面积完成率",
        "图斑完成率",
    ]
    body = {row[1].value: row for row in ws.iter_rows(min_row=5)}
    expected = {r.township: r for r in summary_rows(RECORDS)}  # the engine's own summary
    assert list(body) == list(expected) == ["柳林镇", "城关镇", "未填", "合计"]
    town = body["柳林镇"]
    assert town[0].value == 1 and town[2].value == 2 and town[3].value == 1 and town[5].value == 1
    assert town[6].value == pytest.approx(4000.0 / SQUARE_METRES_PER_MU) and town[6].number_format == "0.00"
    assert town[8].value == pytest.approx(0.75) and town[8].number_format == "0.00%"
    assert town[9].value == pytest.approx(0.5) and town[9].number_format == "0.00%"
    total = body["合计"]
    assert total[0].value is None and total[2].value == 5 and total[1].font.b
    assert total[8].value == pytest.approx(expected["合计"].done_area)

    ws = wb["图斑明细"]
    ids = [row[1].value for row in ws.iter_rows(min_row=5)]
    assert ids == ["H1", "H2", "H3", "H4", "H10"]
    h10 = list(ws.iter_rows(min_row=9, max_row=9))[0]
    assert [c.value for c in h10[:5]] == [5, "H10", "城关镇", "不通过", "拆次留主、超出容差"]
    assert h10[5].value == pytest.approx(3.0) and h10[5].number_format == "0.00"
    assert h10[6].value == pytest.approx(2000.0) and h10[6].number_format == "#,##0.00"
    assert h10[9].value == pytest.approx(0.075) and h10[9].number_format == "0.00%"
    assert ws.auto_filter.ref == "A4:L9" and ws.freeze_panes == "A5"
    h3 = [c.value for c in list(ws.iter_rows(min_row=7, max_row=7))[0]]
    assert h3[1] == "H3" and h3[3] == "未核查" and h3[8:] == [None] * 4  # unmeasured, not 0

    ws = wb["未通过图斑"]
    cells = [[c.value for c in row] for row in ws.iter_rows(min_row=5)]
    groups = [row[0] for row in cells if isinstance(row[0], str)]
    assert groups[0].startswith("柳林镇") and groups[1].startswith("城关镇") and groups[2].startswith("未填")
    listed = [(row[1], row[2], row[3]) for row in cells if isinstance(row[0], int)]
    assert listed == [("柳林镇", "H3", "未核查"), ("城关镇", "H10", "不通过"), ("未填", "H4", "不通过")]


def test_report_when_everything_passed(tmp_path):
    path = tmp_path / "r.xlsx"
    write_report([RECORDS[1]], str(path))
    ws = openpyxl.load_workbook(path)["未通过图斑"]
    assert ws["A5"].value == "全部图斑均已通过核查。"


def reviewed(pid, status, dispute, final=None, note=None):
    r = record(pid, "城关镇", status, "", 1000.0, 0.0 if status == "pass" else 100.0)
    r.review = Review(dispute, final or status, note)
    return r


def test_words_of_a_review():
    overturned = reviewed("H1", "fail", "overturned", "pass", "复核已拆除")
    assert overturned.final_status == "pass"
    assert result_words(overturned) == "通过（改判；原计算：不通过）"
    assert review_words(overturned) == "改判（原计算：不通过）"
    assert dict(patch_figures(overturned))["核查结果"] == "通过（改判；原计算：不通过）"
    assert result_words(reviewed("H2", "fail", "disputed")) == "不通过（存疑）"
    assert result_words(reviewed("H3", "pass", "upheld")) == "通过（维持）"
    assert result_words(reviewed("H4", "fail", "reopened")) == "不通过（重新存疑）"
    plain = record("H5", "城关镇", "fail", "", 1000.0, 100.0)
    assert plain.final_status == "fail" and result_words(plain) == "不通过" and review_words(plain) == ""


def test_the_summary_counts_final_statuses_without_partial_credit():
    records = [
        reviewed("H1", "fail", "overturned", "pass"),  # counts as passed
        reviewed("H2", "fail", "disputed"),  # still fail: a dispute is no decision
        reviewed("H3", "pass", "overturned", "fail"),  # counts as failed
        record("H4", "城关镇", "pass", "", 1000.0, 0.0),
    ]
    town = summary_rows(records)[0]
    assert (town.passed, town.failed, town.done_area) == (2, 2, pytest.approx(0.5))


def test_report_with_an_audit_stamp(tmp_path):
    records = [reviewed("H1", "fail", "overturned", "pass", "复核已拆除"), reviewed("H2", "fail", "disputed")]
    stamp = AuditStamp("a" * 64, "b" * 64, {"overturned": 1, "disputed": 1})
    path = tmp_path / "report.xlsx"
    write_report(records, str(path), stamp=stamp)
    wb = openpyxl.load_workbook(path)
    for ws in wb:
        assert ws["A2"].value.split("\n")[1:] == [
            f"审计链头哈希（核查运行后）：{'a' * 64}",
            f"审计链头哈希（导出时，含复核标记）：{'b' * 64}",
        ]
        assert ws["A2"].alignment.wrap_text
    detail = [r for r in wb["图斑明细"].iter_rows(min_row=5, values_only=True)]
    assert [r[3:5] for r in detail] == [("通过", "改判（原计算：不通过）"), ("不通过", "存疑")]
    assert detail[0][-1] == "复核已拆除" and detail[1][-1] is None
    failed = [r for r in wb["未通过图斑"].iter_rows(min_row=5, values_only=True) if isinstance(r[0], int)]
    assert [(r[2], r[3], r[4]) for r in failed] == [("H2", "不通过", "存疑")]
