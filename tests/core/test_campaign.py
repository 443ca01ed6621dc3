"""The campaign's rules without QGIS: times, the task list and its amendments, applications, bulletins."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from campaign_log import Clock, define, run, tasks

from demolition_verifier.core import audit
from demolition_verifier.core.bulletin import Ledger, compute_bulletin, rank_change
from demolition_verifier.core.campaign import (
    CHINA,
    Application,
    amend_entry,
    application_entry,
    define_entry,
    judge_applications,
    last_decisions,
    log_time,
    logged_applications,
    make_tasks,
    norm_id,
    parse_time,
    require_campaign,
)
from demolition_verifier.core.messages import Refusal

TASKS = tasks(
    ("A1", "城关镇", 1000.0),
    ("A2", "城关镇", 1000.0),
    ("B1", "柳林镇", 1000.0),
    ("B2", "柳林镇", 3000.0),
    ("C1", "河西乡", 2000.0),
)


# -- times ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected", "assumed"),
    [
        ("2024-06-30T18:00:00+08:00", "2024-06-30T18:00:00+08:00", False),
        ("2024-06-30T10:00:00Z", "2024-06-30T18:00:00+08:00", False),
        ("2024-06-30 18:00", "2024-06-30T18:00:00+08:00", True),
        ("2024/6/30 18:00:05", "2024-06-30T18:00:05+08:00", True),
        ("２０２４-０６-３０　１８:００", "2024-06-30T18:00:00+08:00", True),
        ("2024年6月30日", "2024-06-30T23:59:59+08:00", True),
        ("2024-06-30", "2024-06-30T23:59:59+08:00", True),
        ("2024-06-30T18:00:00.750+08:00", "2024-06-30T18:00:00+08:00", False),
    ],
)
def test_times_are_instants_in_china_time(text, expected, assumed):
    moment = parse_time(text, "ACCEPT_BY")
    assert log_time(moment.at) == expected
    assert moment.zone_assumed is assumed


def test_a_bare_date_is_the_end_of_that_day_and_naive_datetimes_are_china_time():
    assert parse_time("2024-06-30").date_only
    naive = parse_time(datetime(2024, 6, 30, 9, 0))
    assert naive.zone_assumed and log_time(naive.at) == "2024-06-30T09:00:00+08:00"
    assert log_time(parse_time(datetime(2024, 6, 30, 1, 0, tzinfo=timezone.utc)).at) == "2024-06-30T09:00:00+08:00"


@pytest.mark.parametrize("text", ["", "tomorrow", "2024-13-01", "2024-06-31 10:00", "30/06/2024"])
def test_unreadable_times_are_refused_in_both_languages(text):
    with pytest.raises(Refusal) as caught:
        parse_time(text, "ACCEPT_BY")
    assert "ACCEPT_BY" in caught.value.text(True) and "ACCEPT_BY" in caught.value.text(False)


def test_ids_are_compared_nfkc_and_trimmed():
    assert norm_id(" Ａ１２ ") == "A12"
    assert norm_id(1001.0) == "1001"
    assert norm_id(None) == ""


# -- the task list ----------------------------------------------------------------------------------
def test_task_list_from_columns_in_mu_and_duplicates_refused():
    made = make_tasks(["H1", "H2"], ["城关镇", None], [1.5, 3.0], 1)
    assert made["H1"].monitor_m2 == pytest.approx(1000.0) and made["H2"].township is None
    with pytest.raises(Refusal) as caught:
        make_tasks(["H1", " Ｈ1"], None, [1.0, 1.0], 0)
    assert caught.value.key == "task_duplicate_ids" and "H1" in caught.value.text(True)
    with pytest.raises(Refusal):
        make_tasks(["H1", ""], None, [1.0, 1.0], 0)


def test_deadlines_in_the_wrong_order_are_refused(tmp_path):
    with pytest.raises(Refusal) as caught:
        define_entry("x", TASKS, parse_time("2024-07-01").at, parse_time("2024-06-30").at, None, {}, None, {}, {})
    assert caught.value.key == "deadlines_order"
    with pytest.raises(Refusal):
        define_entry("x", TASKS, parse_time("2024-06-01").at, parse_time("2024-06-30").at, 95, {}, None, {}, {})


def test_amendments_keep_the_history_and_log_the_difference(tmp_path, monkeypatch):
    clock = Clock(monkeypatch)
    log = tmp_path / "audit.gpkg"
    define(log, TASKS)
    campaign = require_campaign(log)
    clock.at("2024-06-10T09:00:00")
    new = dict(TASKS)
    del new["C1"]
    new["D1"] = tasks(("D1", "河西乡", 500.0))["D1"]
    with pytest.raises(Refusal) as caught:
        amend_entry(campaign, " ", new, None, None, None, False, {}, {}, {})
    assert caught.value.key == "amend_note_required"
    with pytest.raises(Refusal) as caught:
        amend_entry(campaign, "无变化", dict(TASKS), None, None, None, False, {}, {}, {})
    assert caught.value.key == "amend_nothing"
    with pytest.raises(Refusal) as caught:  # an extension of acceptance before rectification
        amend_entry(campaign, "n", None, None, parse_time("2024-06-19").at, None, False, {}, {}, {})
    assert caught.value.key == "deadlines_order"
    entry, difference = amend_entry(
        campaign, "市通知延长验收节点", new, None, parse_time("2024-07-10").at, None, False, {}, {}, {}
    )
    assert difference == {"added": [["D1", "河西乡", 500.0]], "withdrawn": ["C1"], "changed": []}
    audit.append(log, [entry])
    amended = require_campaign(log)
    assert set(amended.tasks) == {"A1", "A2", "B1", "B2", "D1"} and amended.amendments == 1
    assert log_time(amended.accept_by) == "2024-07-10T23:59:59+08:00"
    assert [h["kind"] for h in amended.history] == ["define", "amend"]
    assert audit.verify_chain(log).valid


# -- applications -----------------------------------------------------------------------------------
def _apply(log, rows, clock):
    campaign = require_campaign(log)
    earlier = logged_applications(audit.entries(log, kinds=("application",)))
    apps = [Application(norm_id(pid), parse_time(at).at) for pid, at in rows]
    now = int(clock.now.timestamp())
    judged = judge_applications(apps, campaign, earlier, last_decisions(audit.decision_rows(log)), now)
    entry = application_entry(campaign, judged, {}, {}, {})
    if entry is not None:
        audit.append(log, [entry])
    return [(a.patch_id, a.accepted, a.reason) for a in judged]


def test_late_applications_are_refused_at_the_second(tmp_path, monkeypatch):
    clock = Clock(monkeypatch)
    log = tmp_path / "audit.gpkg"
    define(log, TASKS, accept="2024-06-30T18:00:00+08:00")
    got = _apply(log, [("A1", "2024-06-30T18:00:00+08:00"), ("A2", "2024-06-30T18:00:01+08:00"),
                       ("B1", "2024-06-30T10:00:00Z"), ("B2", "2024-06-30T10:00:01Z")], clock)  # fmt: skip
    assert got == [("A1", True, ""), ("A2", False, "late"), ("B1", True, ""), ("B2", False, "late")]


def test_application_precedence_unknown_then_late_then_duplicate(tmp_path, monkeypatch):
    clock = Clock(monkeypatch)
    log = tmp_path / "audit.gpkg"
    define(log, TASKS, accept="2024-06-30")
    assert _apply(log, [(" Ａ1 ", "2024-06-05 10:00")], clock) == [("A1", True, "")]
    clock.tick(hours=1)
    got = _apply(
        log,
        [("A1", "2024-06-05 12:00"), ("Z9", "2024-07-05"), ("A1", "2024-07-02"), ("B1", "2024-06-05"),
         ("B1", "2024-06-05")],
        clock,
    )  # fmt: skip
    assert got == [
        ("A1", False, "duplicate"),
        ("Z9", False, "unknown_id"),
        ("A1", False, "late"),
        ("B1", True, ""),
        ("B1", False, "duplicate"),
    ]
    entries_before = audit.verify_chain(log).entries
    assert _apply(log, [("A1", "2024-06-06")], clock) == [("A1", False, "duplicate")]
    assert audit.verify_chain(log).entries == entries_before  # a duplicate appends nothing
    clock.tick(hours=1)
    run(log, {"A1": "fail"})  # failed after its application: it may apply again
    clock.tick(hours=1)
    assert _apply(log, [("A1", "2024-06-06")], clock) == [("A1", True, "")]


# -- bulletins --------------------------------------------------------------------------------------
def _bulletin(log, as_of=None, compare_to=None):
    ledger = Ledger(log)
    return compute_bulletin(
        ledger, parse_time(as_of).at if as_of else None, parse_time(compare_to).at if compare_to else None
    )


def _by_town(bulletin):
    return {r.township: r for r in bulletin.rows}


def test_completion_by_area_no_partial_credit_ranks_and_new_passes(tmp_path, monkeypatch):
    clock = Clock(monkeypatch)
    log = tmp_path / "audit.gpkg"
    define(log, TASKS)
    clock.at("2024-06-02T18:00:00")
    run(log, {"A1": "pass", "A2": "fail", "B1": "pass", "B2": "fail", "ZZ": "pass"})  # ZZ: not a task
    clock.at("2024-06-03T18:00:00")
    run(log, {"B2": "pass", "C1": "fail"})
    clock.at("2024-06-03T20:00:00")
    day1 = _bulletin(log, "2024-06-02T18:00:00")
    town = _by_town(day1)
    assert (town["城关镇"].passed, town["城关镇"].done_area) == (1, 0.5)
    assert town["柳林镇"].done_area == 0.25  # by area: B2 is three times B1
    assert town["河西乡"].unsurveyed == 1 and town["河西乡"].done_area == 0.0
    assert [r.township for r in day1.rows] == ["城关镇", "柳林镇", "河西乡", "合计"]
    assert day1.total.rank is None and day1.total.patches == 5 and day1.total.passed == 2
    day2 = _bulletin(log, "2024-06-03T18:00:00", "2024-06-02T18:00:00")
    town = _by_town(day2)
    assert (town["柳林镇"].rank, town["柳林镇"].rank_prev, rank_change(town["柳林镇"])) == (1, 2, "↑1")
    assert rank_change(town["城关镇"]) == "↓1"
    assert (town["柳林镇"].new_passed, town["柳林镇"].new_pass_m2) == (1, 3000.0)
    assert day2.total.new_passed == 1 and day2.total.passed_m2 == 5000.0
    assert day2.total.gap_m2 == pytest.approx(0.9 * 8000 - 5000)
    assert len(day2.series) >= 2 and day2.series[-1].done_area["柳林镇"] == 1.0


def test_rank_ties_share_a_rank_and_the_next_skips(tmp_path, monkeypatch):
    clock = Clock(monkeypatch)
    log = tmp_path / "audit.gpkg"
    define(log, tasks(("A1", "甲镇", 100.0), ("B1", "乙镇", 100.0), ("C1", "丙镇", 100.0), ("C2", "丙镇", 100.0)))
    clock.tick(hours=1)
    run(log, {"A1": "pass", "B1": "pass", "C1": "pass", "C2": "fail"})
    clock.tick(hours=1)
    ranks = {r.township: r.rank for r in _bulletin(log).rows}
    assert ranks == {"甲镇": 1, "乙镇": 1, "丙镇": 3, "合计": None}


def test_a_past_bulletin_is_unchanged_by_later_runs_and_marks(tmp_path, monkeypatch):
    clock = Clock(monkeypatch)
    log = tmp_path / "audit.gpkg"
    define(log, TASKS)
    clock.at("2024-06-02T17:00:00")
    run(log, {"A1": "pass", "A2": "fail", "B1": "pass"})
    clock.at("2024-06-02T18:00:00")  # logged exactly at AS_OF: counts (inclusive)
    run(log, {"C1": "pass"})
    clock.at("2024-06-02T18:30:00")
    before = [r.values() for r in _bulletin(log, "2024-06-02 18:00").rows]
    assert _by_town(_bulletin(log, "2024-06-02 18:00"))["河西乡"].passed == 1
    clock.at("2024-06-02T18:00:01")  # a clock cannot go back in practice; one second later counts later
    clock.at("2024-06-03T09:00:00")
    run(log, {"A2": "pass", "B2": "pass", "C1": "fail"})
    audit.mark_patch(log, "A1", "overturned", "复核：主体建筑仍在", "fail")
    assert [r.values() for r in _bulletin(log, "2024-06-02 18:00").rows] == before
    now = _by_town(_bulletin(log))
    assert now["城关镇"].passed == 1 and now["城关镇"].failed == 1  # A1 overturned to fail, A2 now passes


def test_overturns_count_and_a_changed_rerun_reopens_them(tmp_path, monkeypatch):
    clock = Clock(monkeypatch)
    log = tmp_path / "audit.gpkg"
    define(log, TASKS)
    clock.tick(hours=1)
    run(log, {"A1": "fail", "A2": "fail"})
    clock.tick(hours=1)
    audit.mark_patch(log, "A1", "overturned", "残留为可移动集装箱，已运走", "pass")
    clock.tick(hours=1)
    assert _by_town(_bulletin(log))["城关镇"].passed == 1
    run(log, {"A1": "fail", "A2": "fail"}, figures={"A1": 50.0})  # same figures: the overturn stands
    clock.tick(hours=1)
    assert _by_town(_bulletin(log))["城关镇"].passed == 1
    run(log, {"A1": "fail"}, figures={"A1": 80.0})  # other figures: re-opened, the computed status counts
    clock.tick(hours=1)
    assert _by_town(_bulletin(log))["城关镇"].passed == 0
    expected = audit.final_statuses(log)
    assert expected["A1"].final_status == "fail"


def test_applied_and_pending(tmp_path, monkeypatch):
    clock = Clock(monkeypatch)
    log = tmp_path / "audit.gpkg"
    define(log, TASKS)
    clock.at("2024-06-02T09:00:00")
    _apply(log, [("A1", "2024-06-02 08:00"), ("A2", "2024-06-02 08:30"), ("B1", "2024-06-02 08:00")], clock)
    clock.at("2024-06-02T12:00:00")
    run(log, {"A1": "pass"})
    clock.at("2024-06-02T13:00:00")
    town = _by_town(_bulletin(log))
    assert (town["城关镇"].applied, town["城关镇"].pending) == (2, 1)
    assert (town["柳林镇"].applied, town["柳林镇"].pending) == (1, 1)
    assert town["合计"].applied == 3 and town["合计"].pending == 2
    # an application recorded after AS_OF does not count at AS_OF
    assert _by_town(_bulletin(log, "2024-06-02T08:59:59"))["合计"].applied == 0


def test_a_task_list_that_changed_counts_what_was_in_force(tmp_path, monkeypatch):
    clock = Clock(monkeypatch)
    log = tmp_path / "audit.gpkg"
    define(log, TASKS)
    clock.at("2024-06-02T18:00:00")
    run(log, {"C1": "pass", "A1": "pass"})
    clock.at("2024-06-03T09:00:00")
    new = {k: v for k, v in TASKS.items() if k != "C1"}
    new.update(tasks(("D1", "河西乡", 500.0), ("A1", "城关镇", 2000.0)))
    entry, _difference = amend_entry(require_campaign(log), "调整任务清单", new, None, None, None, False, {}, {}, {})
    audit.append(log, [entry])
    clock.at("2024-06-03T10:00:00")
    then = _by_town(_bulletin(log, "2024-06-02T18:00:00"))
    assert then["河西乡"].patches == 1 and then["河西乡"].passed == 1 and then["城关镇"].task_m2 == 2000.0
    now = _by_town(_bulletin(log, compare_to="2024-06-02T18:00:00"))
    assert now["河西乡"].patches == 1 and now["河西乡"].passed == 0 and now["城关镇"].task_m2 == 3000.0
    assert now["城关镇"].passed_m2 == 2000.0 and now["合计"].new_passed == 0


def test_bulletin_moments_refused(tmp_path, monkeypatch):
    clock = Clock(monkeypatch)
    log = tmp_path / "audit.gpkg"
    define(log, TASKS)
    clock.tick(hours=2)
    for as_of, compare_to, key in [
        ("2024-05-31 12:00", None, "as_of_before_campaign"),
        ("2024-06-09 12:00", None, "as_of_future"),
        ("2024-06-01 09:00", "2024-06-01 09:30", "compare_not_before"),
    ]:
        with pytest.raises(Refusal) as caught:
            _bulletin(log, as_of, compare_to)
        assert caught.value.key == key
        assert caught.value.text(True) != caught.value.text(False)


def test_compare_to_defaults_to_the_previous_bulletin_else_a_day(tmp_path, monkeypatch):
    from demolition_verifier.core.bulletin import bulletin_entry

    clock = Clock(monkeypatch)
    log = tmp_path / "audit.gpkg"
    define(log, TASKS)
    clock.at("2024-06-03T18:00:00")
    first = _bulletin(log)
    assert first.compare_to == first.as_of - timedelta(hours=24) and first.previous_as_of is None
    audit.append(log, [bulletin_entry(first, {}, {}, {})])
    clock.at("2024-06-04T18:00:00")
    second = _bulletin(log)
    assert second.compare_to == datetime(2024, 6, 3, 18, tzinfo=CHINA) and second.previous_as_of == second.compare_to


def test_a_broken_chain_or_no_campaign_is_refused(tmp_path, monkeypatch):
    import sqlite3

    Clock(monkeypatch)
    log = tmp_path / "audit.gpkg"
    run(log, {"A1": "pass"})
    with pytest.raises(Refusal) as caught:
        Ledger(log)
    assert caught.value.key == "campaign_missing"
    define(log, TASKS)
    connection = sqlite3.connect(log)
    connection.execute("DROP TRIGGER audit_log_no_update")
    connection.execute("UPDATE audit_log SET status = 'fail' WHERE fid = 2")
    connection.commit()
    connection.close()
    with pytest.raises(Refusal) as caught:
        Ledger(log)
    assert caught.value.key == "campaign_log_broken"


def test_fast_state_matches_core_audit_final_statuses(tmp_path, monkeypatch):
    """The ledger's one-pass fold gives what core.audit's state machine gives, at every moment."""
    import random

    from demolition_verifier.core.audit.disputes import states_of

    clock = Clock(monkeypatch)
    log = tmp_path / "audit.gpkg"
    ids = [f"P{i}" for i in range(30)]
    define(log, {i: t for i, t in tasks(*[(p, "镇", 10.0) for p in ids]).items()})
    rng = random.Random(4)
    for _ in range(12):
        clock.tick(minutes=rng.randint(1, 90))
        if rng.random() < 0.3:
            target = rng.choice(ids)
            state = audit.patch_state(log, target)
            if state is not None:
                mark = rng.choice(["overturned", "disputed", "upheld"])
                audit.mark_patch(log, target, mark, "n", rng.choice(["pass", "fail"]) if mark == "overturned" else None)
                continue
        chosen = rng.sample(ids, 12)
        run(log, {p: rng.choice(["pass", "fail", "unsurveyed"]) for p in chosen},
            figures={p: rng.choice([0.0, 50.0, 80.0]) for p in chosen})  # fmt: skip
    clock.tick(minutes=1)
    ledger = Ledger(log)
    items = audit.entries(log, kinds=("decision", "mark"))
    from demolition_verifier.core.campaign import logged_seconds

    moments = sorted({logged_seconds(i.logged_at) for i in items})
    states = ledger.states(moments)
    for moment in moments:
        expected = states_of([i for i in items if logged_seconds(i.logged_at) <= moment])
        final, _decided = states[moment]
        for pid in ids:
            want = expected[pid].final_status if pid in expected else None
            assert final[ledger.index[pid]] == want, (moment, pid)
