"""An export prints only the latest decisions of its patches (core/audit/latest.py and
report_model.apply_audit_log): an older run, cherry-picked after a later run or a re-check decided
the same patches again, is refused unless asked for, and then stamped as not the latest."""

from __future__ import annotations

import pytest
from helpers import square

from demolition_verifier.core import audit
from demolition_verifier.core.definitions import AreaMethod, Mark, RunKind
from demolition_verifier.core.engine import Layer, PatchLayer, Rules, verify
from demolition_verifier.core.messages import Refusal, text
from demolition_verifier.core.report_model import PatchRecord, apply_audit_log
from demolition_verifier.core.wording import local_time_text

IDS = ["P0", "P1", "P2"]


def append(log, ids=IDS, remnant: float = 0.0, kind=RunKind.VERIFY) -> str:
    """The engine over the patches `ids` (P1 keeps a remnant of side `remnant`), appended; its run id."""
    boxes = {"P0": square(0, 0, 100), "P1": square(200, 0, 100), "P2": square(400, 0, 100)}
    towns = {"P0": "东镇", "P1": "东镇", "P2": "西镇"}
    survey = [square(210, 10, remnant)] if remnant else []
    result = verify(
        PatchLayer("patches", [boxes[i] for i in ids], None, ids=list(ids), townships=[towns[i] for i in ids]),
        Layer("survey", survey, None),
        None,
        Rules(area_method=AreaMethod.PLANAR),
    )
    audit.append_run(log, result, {}, {}, kind)
    return result.run_id


def records(log, run_id) -> list[PatchRecord]:
    """The rows a verify output of run `run_id` holds: its decisions, as written."""
    return [
        PatchRecord(e.patch_id, e.data["township"], e.status, e.data["reasons"] or "",
                    *[e.data[name] for name in audit.FIGURES], run_id=e.run_id, checked_at="")  # type: ignore[arg-type]
        for e in audit.entries(log, kinds=["decision"])
        if e.run_id == run_id
    ]  # fmt: skip


def later(log, run_id, rows=None) -> audit.Latest:
    rows = records(log, run_id) if rows is None else rows
    return audit.later_decisions(audit.read_log(log), [(r.patch_id, r.run_id) for r in rows])


@pytest.fixture
def log(tmp_path) -> str:
    return str(tmp_path / "audit.gpkg")


def test_the_latest_run_is_the_latest_and_an_earlier_one_is_superseded(log):
    first = append(log)
    second = append(log, remnant=5.0)
    assert not later(log, second)
    found = later(log, first)
    assert found.superseded == IDS
    run = audit.entries(log, kinds=["run"])[-1]
    assert found.runs == [audit.LaterRun(second, RunKind.VERIFY.value, run.data["checked_at"], 3)]


def test_a_recheck_supersedes_the_patches_it_rechecked_and_a_trail_is_the_latest(log):
    first = append(log, remnant=5.0)
    recheck = append(log, ids=["P1"], kind=RunKind.RECHECK)  # the remnant gone
    found = later(log, first)
    assert found.superseded == ["P1"] and [(r.run_id, r.kind, r.patches) for r in found.runs] == [
        (recheck, "re-check", 1)
    ]
    # the output as the dock leaves it: P1's row replaced by the re-check's
    trail = [r for r in records(log, first) if r.patch_id != "P1"] + records(log, recheck)
    assert not later(log, first, trail)
    # a later full run supersedes both
    append(log)
    assert later(log, first, trail).superseded == ["P0", "P2", "P1"]


def test_marks_samples_and_other_entries_are_not_decisions(log):
    first = append(log, remnant=5.0)
    audit.mark_patch(log, "P1", Mark.OVERTURNED, "复核：残留为可移动板房", new_status="pass")
    audit.mark_patch(log, "P0", Mark.DISPUTED, "乡镇申辩")
    audit.append_sample(log, {"drawn": ["P0"], "seed": 1}, run_id=first)
    assert not later(log, first)


def test_decisions_appended_later_under_the_runs_id_are_not_the_runs(log):
    first = append(log, remnant=5.0)
    forged = [
        audit.NewEntry(e.entry, e.data, e.run_id, e.patch_id, "pass" if e.status else e.status)
        for e in audit.entries(log)
        if e.run_id == first
    ]
    appended = audit.append(log, forged)
    found = later(log, first)
    assert found.superseded == IDS
    when = audit.entries(log)[appended.first - 1].logged_at
    assert found.runs == [audit.LaterRun(first, None, when, 3)]


def test_rows_the_log_cannot_place_are_left_to_the_output_check(log):
    first = append(log)
    append(log)
    rows = [("", first), ("P9", first), ("P0", "no-such-run"), ("P0", None)]
    assert not audit.later_decisions(audit.read_log(log), rows)


def test_an_export_of_an_older_run_is_refused_naming_the_later_run(log):
    first = append(log, remnant=5.0)
    recheck = append(log, ids=["P1"], kind=RunKind.RECHECK)
    with pytest.raises(Refusal) as refused:
        apply_audit_log(log, records(log, first), complete=True)
    assert refused.value.key == "export_not_latest"
    values = refused.value.values
    assert (values["count"], values["examples"]) == (1, "P1")
    at = local_time_text(audit.entries(log, kinds=["run"])[-1].data["checked_at"])
    assert values["runs_zh"] == f"{at} 的复核（核查选中图斑），运行编号 {recheck}，1 个图斑"
    assert values["runs_en"] == f"the re-check {recheck} of {at}, 1 patches"
    english = refused.value.text(False)
    assert "1 patches were decided again" in english and recheck in english and "ALLOW_OLDER_RUN" in english
    assert "允许导出较早的核查结果" in refused.value.text(True)


def test_an_older_run_allowed_is_stamped_as_not_the_latest(log):
    first = append(log, remnant=5.0)
    head = audit.verify_chain(log).head
    append(log, ids=["P1"], kind=RunKind.RECHECK)
    stamp, notices = apply_audit_log(log, records(log, first), complete=True, allow_older=True)
    assert stamp is not None and stamp.older is not None and stamp.older.superseded == ["P1"]
    assert stamp.run_head == head  # the head right after the run printed, as for any run
    at = local_time_text(audit.entries(log, kinds=["run"])[-1].data["checked_at"])
    banner = f"非最新核查结果 Not the latest decisions：1 个图斑已被 {at} 的核查取代"
    assert stamp.banner == banner and stamp.lines()[0] == banner and stamp.lines()[1].endswith(head)
    warning = [n for n in notices if n.key == "export_older_allowed"]
    assert len(warning) == 1 and warning[0].level == "warning" and warning[0].values["examples"] == "P1"
    # the latest decisions: no banner, nothing to allow
    latest, notices = apply_audit_log(log, records(log, audit.entries(log, kinds=["run"])[-1].run_id))
    assert latest is not None and latest.older is None and latest.banner == ""
    assert not any(n.key == "export_older_allowed" for n in notices)


def test_only_the_printed_rows_must_be_the_latest(log):
    first = append(log, remnant=5.0)
    append(log, ids=["P1"], kind=RunKind.RECHECK)
    every = records(log, first)
    shown = [r for r in every if r.patch_id != "P1"]  # a township's report that does not print P1
    stamp, _notices = apply_audit_log(log, every, complete=True, printed=shown)
    assert stamp is not None and stamp.older is None
    with pytest.raises(Refusal, match="not the latest"):
        apply_audit_log(log, every, complete=True, printed=[r for r in every if r.patch_id == "P1"])


def test_the_banner_names_the_last_three_times():
    runs = [audit.LaterRun(f"r{i}", "verify", f"2026-12-0{i}T10:00:00+08:00", 1) for i in range(1, 6)]
    from demolition_verifier.core.report_model import AuditStamp

    stamp = AuditStamp("ab" * 32, None, {}, audit.Latest([f"P{i}" for i in range(5)], runs))
    times = "、".join(local_time_text(r.at) for r in runs[-3:])
    assert stamp.banner == text("older_run_banner", True, count=5, times=f"{times} 等共 5 次")
