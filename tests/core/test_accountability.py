"""The accountability list's rules without QGIS: which patches are listed, their history, the
responsibilities table, and the refusals."""

from __future__ import annotations

import sqlite3

import pytest
from campaign_log import Clock, define, run, tasks

from demolition_verifier.core import audit
from demolition_verifier.core.accountability import (
    compute_list,
    default_as_of,
    open_ledger,
    read_responsibilities,
)
from demolition_verifier.core.campaign import (
    Application,
    application_entry,
    judge_applications,
    parse_time,
    require_campaign,
)
from demolition_verifier.core.definitions import ACCOUNTABILITY_FIELDS, Role
from demolition_verifier.core.messages import Refusal

TASKS = tasks(
    ("A1", "城关镇", 1000.0),
    ("A2", "城关镇", 1000.0),
    ("A10", "城关镇", 1000.0),
    ("B1", "柳林镇", 1000.0),
    ("B2", "柳林镇", 3000.0),
    ("C1", "河西乡", 2000.0),
)
HEADERS = ["乡镇", "责任类型", "单位", "责任人", "电话"]
ROWS = [
    ["城关镇", "主体责任", "城关镇人民政府", "王镇长", "13800000001"],
    ["城关镇", "监管责任", "城关自然资源所", "李所长", None],
    ["城关镇", "监管责任", "城关自然资源所", "赵干事", None],
    ["城关镇", "监管责任", "城关自然资源所", "赵干事", None],  # an exact duplicate: merged
    ["城关镇", "整改责任", "城关镇拆违办", "钱主任", "13800000002"],
    ["柳林镇", "监管履职责任", "柳林自然资源所", "孙所长", None],  # no 主体/整改 rows: 未填
    ["北山镇", "主体责任", "北山镇人民政府", "周镇长", None],  # not in the task list
    ["城关镇", "领导责任", "县政府", "吴县长", None],  # a role not understood
]


def apply(path, clock, rows):
    """Applications as record_applications judges and logs them: (patch id, applied at)."""
    campaign = require_campaign(path)
    apps = [Application(pid, parse_time(when).at) for pid, when in rows]
    earlier = []
    decided: dict[str, int] = {}
    judge_applications(apps, campaign, earlier, decided, int(clock.now.timestamp()))
    entry = application_entry(campaign, apps, {}, audit.who(), {})
    if entry is not None:
        audit.append(path, [entry])
    return apps


@pytest.fixture
def county(tmp_path, monkeypatch):
    """A campaign: A1 passes, is overturned, then the return visit finds it rebuilt; A2 passes and
    stays passed; B1 applied and failed; B2 never applied and never verified; C1 applied late."""
    clock = Clock(monkeypatch)
    log = tmp_path / "audit.gpkg"
    clock.at("2024-06-01T08:00:00")
    define(log, TASKS)
    clock.at("2024-06-10T09:00:00")
    apply(log, clock, [("A1", "2024-06-10 09:00"), ("B1", "2024-06-10 09:00")])
    clock.at("2024-06-12T17:00:00")
    run(log, {"A1": "pass", "A2": "pass", "A10": "fail", "B1": "fail"})
    clock.at("2024-06-13T10:00:00")
    audit.mark_patch(log, "A1", "overturned", "复核：主体建筑仍在", "fail", user_name="督查室 陈")
    clock.at("2024-06-20T10:00:00")
    run(log, {"A1": "pass"}, {"A1": 0.5})  # new figures: the overturn no longer stands, A1 passes again
    clock.at("2024-07-02T09:00:00")
    apply(log, clock, [("C1", "2024-07-02 09:00")])  # after ACCEPT_BY: refused, late
    clock.at("2024-07-05T10:00:00")
    run(log, {"A1": "fail"})  # the return visit: rebuilt
    clock.at("2024-07-06T09:00:00")
    return clock, log


def table(rows=ROWS, headers=HEADERS):
    return read_responsibilities(headers, rows, {"source": "t.csv"})


def test_the_list_at_the_deadline(county):
    _clock, log = county
    ledger = open_ledger(log)
    assert default_as_of(ledger) == parse_time("2024-06-30T23:59:59+08:00").at
    listed = compute_list(ledger, table())
    assert not listed.provisional
    ids = [r.patch_id for r in listed.rows]
    # ranks at the deadline: 城关镇 2/3 passed (A1, A2) ranks first, then 柳林镇 (0 of 4000) and 河西乡 (0 of 2000) tied
    assert ids[0] == "A10" and set(ids) == {"A10", "B1", "B2", "C1"}
    assert ids.index("B1") < ids.index("B2")  # natural id within a township
    rows = {r.patch_id: r for r in listed.rows}
    assert rows["B2"].final_st == "unsurveyed" and rows["B2"].last_check == "" and rows["B2"].applied_at == ""
    assert rows["B1"].final_st == "fail" and rows["B1"].reasons == "over_tolerance"
    assert rows["B1"].applied_at == "2024-06-10T09:00:00+08:00" and rows["B1"].last_check == "2024-06-12T17:00:00+08:00"
    assert rows["C1"].applied_at == "" and rows["C1"].refused == []  # its late application came after AS_OF
    assert rows["A10"].sup_person == "李所长、赵干事" and rows["A10"].sup_unit == "城关自然资源所"
    assert rows["A10"].party == "王镇长" and rows["A10"].rect_person == "钱主任"
    assert (rows["B1"].party, rows["B1"].sup_person, rows["B1"].rect_unit) == ("未填", "孙所长", "未填")
    assert rows["C1"].party == rows["C1"].sup_unit == rows["C1"].rect_person == "未填"
    assert listed.unfilled == ["河西乡"] and listed.unknown == ["北山镇"]
    assert listed.missing_roles == {"柳林镇": [Role.PARTY, Role.RECTIFICATION]}
    keys = [n.key for n in listed.notices]
    for key in ("responsibility_unfilled", "responsibility_roles_missing", "responsibility_unknown_townships",
                "responsibility_bad_roles", "responsibility_duplicates"):  # fmt: skip
        assert key in keys
    assert "accountability_provisional" not in keys
    assert len(rows["A10"].values()) == len(ACCOUNTABILITY_FIELDS)


def test_passed_overturned_rebuilt(county):
    """A1: passed, overturned to fail (listed), passed again with new figures (not listed at the
    deadline), then failed on the return visit (listed again, with its whole history)."""
    _clock, log = county
    ledger = open_ledger(log)
    at_overturn = compute_list(ledger, table(), parse_time("2024-06-14 12:00").at)
    a1 = next(r for r in at_overturn.rows if r.patch_id == "A1")
    assert a1.final_st == "fail" and a1.computed == "pass" and a1.dispute == "overturned"
    assert a1.dispute_note == "复核：主体建筑仍在" and a1.record.final_status == "fail"
    assert at_overturn.provisional and "accountability_provisional" in [n.key for n in at_overturn.notices]
    assert "A1" not in [r.patch_id for r in compute_list(ledger, table()).rows]
    now = compute_list(ledger, table(), parse_time("2024-07-06 09:00").at)
    a1 = next(r for r in now.rows if r.patch_id == "A1")
    assert a1.final_st == "fail" and a1.last_check == "2024-07-05T10:00:00+08:00"
    kinds = [(e.kind, e.status) for e in a1.history]
    assert kinds == [("application", "accepted"), ("decision", "pass"), ("mark", "overturned"), ("decision", "pass"),
                     ("decision", "fail")]  # fmt: skip
    mark = a1.history[2]
    assert mark.who == "督查室 陈" and mark.new_status == "fail"
    assert a1.applied_at == "2024-06-10T09:00:00+08:00"
    c1 = next(r for r in now.rows if r.patch_id == "C1")
    assert c1.applied_at == "" and [(e.status, e.note) for e in c1.refused] == [("refused", "late")]


def test_party_from_the_layer_and_a_list_without_responsibilities(county):
    _clock, log = county
    ledger = open_ledger(log)
    listed = compute_list(ledger, table([]), parties={"B1": "张三（个人）"})
    rows = {r.patch_id: r for r in listed.rows}
    assert rows["B1"].party == "张三（个人）" and rows["B2"].party == "未填"
    assert set(listed.unfilled) == {"城关镇", "柳林镇", "河西乡"}  # warned, never dropped


def test_english_headers_and_roles():
    read = read_responsibilities(
        ["Township", "Role", "Unit", "Person", "Phone"],
        [["城关镇", "supervision", "所", "李", "1"], ["城关镇", "主体", "", "王", None]],
    )
    assert [p.person for p in read.people("城关镇", Role.SUPERVISION)] == ["李"]
    assert [p.person for p in read.people("城关镇", Role.PARTY)] == ["王"]


def test_refusals(county, tmp_path):
    _clock, log = county
    with pytest.raises(Refusal) as caught:
        read_responsibilities(["乡镇", "姓名"], [])
    assert "责任类型" in caught.value.text(True) and "role" in caught.value.text(False)
    ledger = open_ledger(log)
    with pytest.raises(Refusal) as caught:
        compute_list(ledger, table(), parse_time("2024-05-01").at)
    assert caught.value.key == "accountability_before_campaign"
    with pytest.raises(Refusal) as caught:
        compute_list(ledger, table(), parse_time("2024-08-01").at)
    assert caught.value.key == "accountability_future"

    empty = tmp_path / "empty.gpkg"
    run(empty, {"A1": "pass"})
    with pytest.raises(Refusal) as caught:
        open_ledger(empty)
    assert caught.value.key == "accountability_no_campaign" and "demolitionverifier:campaign" in caught.value.text(True)

    connection = sqlite3.connect(log)
    connection.execute("DROP TRIGGER audit_log_no_update")
    connection.execute("UPDATE audit_log SET status = 'pass' WHERE patch_id = 'B1'")
    connection.commit()
    connection.close()
    with pytest.raises(Refusal) as caught:
        open_ledger(log)
    assert caught.value.key == "accountability_log_broken" and "篡改" in caught.value.text(True)
