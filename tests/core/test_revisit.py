"""The return visit (回头看): rebuilt patches from the audit log, and the sample of patches not seen for a while."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from types import SimpleNamespace

import numpy as np
import pytest
from helpers import square

from demolition_verifier.core import audit
from demolition_verifier.core.definitions import SUMMARY_FIELDS, AreaMethod, Mark
from demolition_verifier.core.engine import Layer, PatchLayer, Rules, verify
from demolition_verifier.core.messages import Refusal
from demolition_verifier.core.revisit import (
    CHINA_TIME,
    last_verified,
    not_verified_since,
    parse_as_of,
    prior_states,
    rebuilt_flags,
    rebuilt_notice,
)
from demolition_verifier.core.summary import township_summary
from demolition_verifier.formats.summary_csv import write_summary_csv

IDS = ["P0", "P1", "P2"]


def run(log=None, remnant: float = 0.0, remnant_p2: float = 0.0):
    """Three patches (P0, P1 in 东镇, P2 in 西镇); P1 and P2 keep a square of the given side (m).
    With a log: compared with it, then appended to it, as verify does."""
    patches = [square(0, 0, 100), square(200, 0, 100), square(400, 0, 100)]
    survey = [square(210, 10, remnant)] if remnant else []
    survey += [square(410, 10, remnant_p2)] if remnant_p2 else []
    prior, notices = prior_states(log)
    result = verify(
        PatchLayer("patches", patches, None, ids=IDS, townships=["东镇", "东镇", "西镇"]),
        Layer("survey", survey, None),
        None,
        Rules(area_method=AreaMethod.PLANAR),
        prior_states=prior,
    )
    if log:
        audit.append_run(log, result, {}, {})
    return result, notices


def reasons(result) -> dict[str, str]:
    return dict(zip(result.patch_id, result.reasons))


def test_passed_then_failing_is_rebuilt_and_stays_on_while_it_keeps_failing(tmp_path):
    log = str(tmp_path / "audit.gpkg")
    first, _ = run(log)
    assert first.counts()["pass"] == 3 and "rebuilt" not in "".join(first.reasons)
    second, notices = run(log, remnant=5.0)
    assert notices == []
    assert reasons(second)["P1"] == "main_retained,over_tolerance,rebuilt"
    assert reasons(second)["P0"] == "" and reasons(second)["P2"] == ""
    third, _ = run(log, remnant=6.0)  # still failing (other figures): stays rebuilt
    assert reasons(third)["P1"] == "main_retained,over_tolerance,rebuilt"
    fourth, _ = run(log)  # demolished again: passes, no rebuilt
    assert reasons(fourth)["P1"] == "" and fourth.status[1] == "pass"
    fifth, _ = run(log, remnant=5.0)  # rebuilt a second time
    assert reasons(fifth)["P1"].endswith(",rebuilt")


def test_failing_from_the_start_is_not_rebuilt(tmp_path):
    log = str(tmp_path / "audit.gpkg")
    run(log, remnant=5.0)
    second, _ = run(log, remnant=5.0)
    assert reasons(second)["P1"] == "main_retained,over_tolerance"


def test_overturned_to_pass_then_rebuilt_reopens_by_its_figures(tmp_path):
    """P1 failed, an auditor overturned it to pass (a movable container), then a building stands there."""
    log = str(tmp_path / "audit.gpkg")
    run(log, remnant=5.0)
    audit.mark_patch(log, "P1", Mark.OVERTURNED, "集装箱，已运走", "pass")
    assert audit.final_statuses(log)["P1"].final_status == "pass"
    second, _ = run(log, remnant=8.0)
    assert reasons(second)["P1"] == "main_retained,over_tolerance,rebuilt"
    state = audit.final_statuses(log)["P1"]
    assert (state.dispute, state.final_status) == ("reopened", "fail")  # the new figures re-open it
    third, _ = run(log, remnant=8.0)  # keeps failing: rebuilt stays on
    assert reasons(third)["P1"].endswith(",rebuilt")


def test_overturned_to_pass_and_still_failing_is_rebuilt_without_reopening_the_dispute(tmp_path):
    """The final status before the run was pass (the overturn), the computed one now fail: rebuilt. The
    figures are those the auditor judged, so the overturn stands: rebuilt alone re-opens nothing."""
    log = str(tmp_path / "audit.gpkg")
    run(log, remnant=5.0)
    audit.mark_patch(log, "P1", Mark.OVERTURNED, "合法管理用房", "pass")
    second, _ = run(log, remnant=5.0)
    assert reasons(second)["P1"] == "main_retained,over_tolerance,rebuilt"
    state = audit.final_statuses(log)["P1"]
    assert (state.dispute, state.final_status, state.computed_status) == ("overturned", "pass", "fail")
    assert state.reasons == "main_retained,over_tolerance,rebuilt"
    standing = audit.standing_states(log, [("P1", second.run_id, "fail")])
    assert standing.states["P1"].dispute == "overturned" and not standing.superseded


def test_an_upheld_mark_is_not_reopened_by_rebuilt_either(tmp_path):
    log = str(tmp_path / "audit.gpkg")
    run(log)
    run(log, remnant=5.0)  # rebuilt
    audit.mark_patch(log, "P1", Mark.UPHELD, "现场确认复建")
    third, _ = run(log, remnant=5.0)
    assert reasons(third)["P1"].endswith(",rebuilt")
    assert audit.final_statuses(log)["P1"].dispute == "upheld"


def test_passed_then_overturned_to_fail_is_not_rebuilt(tmp_path):
    """Overturns count: a pass overturned to fail is finally failing, so failing next time is no rebuild."""
    log = str(tmp_path / "audit.gpkg")
    run(log)
    audit.mark_patch(log, "P1", Mark.OVERTURNED, "影像可见未拆", "fail")
    second, _ = run(log, remnant=5.0)
    assert reasons(second)["P1"] == "main_retained,over_tolerance"


def test_the_chain_pass_fail_rebuilt_is_ended_by_an_unsurveyed_decision():
    state = SimpleNamespace
    prior = {
        "A": state(final_status="pass", reasons=""),
        "B": state(final_status="fail", reasons="over_tolerance,rebuilt"),
        "C": state(final_status="unsurveyed", reasons="not_surveyed"),
        "D": state(final_status="fail", reasons="over_tolerance"),
    }
    status = np.array(["fail", "fail", "fail", "fail", "fail", "pass"], dtype=object)
    flags = rebuilt_flags(status, ["A", "B", "C", "D", "E", None], prior)
    assert flags.tolist() == [True, True, False, False, False, False]
    assert rebuilt_flags(np.array(["pass", "unsurveyed"], dtype=object), ["A", "B"], prior).tolist() == [False, False]


def test_a_broken_chain_warns_and_gives_no_rebuilt(tmp_path):
    log = str(tmp_path / "audit.gpkg")
    run(log)
    connection = sqlite3.connect(log)
    connection.execute("DROP TRIGGER audit_log_no_update")
    connection.execute("UPDATE audit_log SET status = 'fail' WHERE patch_id = 'P2'")
    connection.commit()
    connection.close()
    result, notices = run(log, remnant=5.0)
    assert [n.key for n in notices] == ["rebuilt_chain_broken"] and notices[0].level == "warning"
    assert "rebuilt" not in "".join(result.reasons)
    assert result.summary[-1].rebuilt == 0  # AUDIT_LOG was given: the column is there, with nothing in it


def test_the_summary_counts_rebuilt_per_township_only_with_a_log(tmp_path):
    log = str(tmp_path / "audit.gpkg")
    run(log)
    result, _ = run(log, remnant=5.0, remnant_p2=4.0)
    by_town = {r.township: r.rebuilt for r in result.summary}
    assert by_town == {"东镇": 1, "西镇": 1, "合计": 2}
    notice = rebuilt_notice(result.summary)
    assert notice.key == "rebuilt_found" and notice.values == {"count": 2, "townships": "东镇 1、西镇 1"}
    assert notice.text(True) and notice.text(False)
    plain, _ = run(None, remnant=5.0)
    assert {r.rebuilt for r in plain.summary} == {None} and rebuilt_notice(plain.summary) is None
    first_run, _ = run(str(tmp_path / "new.gpkg"), remnant=5.0)  # a log made by this run: nothing before it
    assert first_run.summary[-1].rebuilt == 0 and "rebuilt" not in "".join(first_run.reasons)


def test_the_summary_csv_gains_the_column_only_with_a_log(tmp_path):
    status = np.array(["pass", "fail", "fail"], dtype=object)
    monitor = np.array([100.0, 200.0, 300.0])
    towns = ["东镇", "东镇", "西镇"]
    without = township_summary(towns, status, monitor)
    write_summary_csv(tmp_path / "a.csv", without)
    header = (tmp_path / "a.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header == ",".join(name for name, _kind, _alias in SUMMARY_FIELDS)
    assert (tmp_path / "a.csvt").read_text().count('"') == 2 * len(SUMMARY_FIELDS)
    with_log = township_summary(towns, status, monitor, rebuilt=[False, True, False])
    write_summary_csv(tmp_path / "b.csv", with_log)
    lines = (tmp_path / "b.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == header + ",rebuilt"
    assert [line.rsplit(",", 1)[1] for line in lines[1:]] == ["1", "0", "1"]  # 东镇 (rank 1), 西镇, 合计
    assert (tmp_path / "b.csvt").read_bytes().endswith(b'"Integer","Integer"\r\n')


# -- the return-visit sample's reference time ------------------------------------------------------------
def test_as_of_is_china_time_unless_an_offset_is_given():
    assert parse_as_of("2026-12-01") == datetime(2026, 12, 1, tzinfo=CHINA_TIME)
    assert parse_as_of("2026-12-01 08:30").isoformat() == "2026-12-01T08:30:00+08:00"
    assert parse_as_of("2026-12-01T00:00:00Z").utcoffset() == timedelta(0)
    assert parse_as_of("", now=datetime(2026, 5, 1, 12, 0, 0, 123456, tzinfo=CHINA_TIME)).isoformat() == (
        "2026-05-01T12:00:00+08:00"
    )
    with pytest.raises(Refusal, match="AS_OF"):
        parse_as_of("next tuesday")


def test_last_verified_ignores_decisions_after_as_of(tmp_path):
    log = str(tmp_path / "audit.gpkg")
    run(log)
    moment = datetime.fromisoformat(audit.entries(log, kinds=["decision"])[0].logged_at)
    assert set(last_verified(log, moment)) == set(IDS)
    assert last_verified(log, moment - timedelta(seconds=1)) == {}
    last = last_verified(log, moment + timedelta(days=40))
    assert not_verified_since(IDS + ["X", None], last, moment + timedelta(days=40), 30) == [
        True,
        True,
        True,
        False,
        False,
    ]
    assert not_verified_since(IDS, last, moment + timedelta(days=20), 30) == [False, False, False]
