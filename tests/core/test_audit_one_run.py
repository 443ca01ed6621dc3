"""The three checks at once for one run's log and output (core/audit/one_run.py): where it answers,
the same as check_output, with standing_states and later_decisions finding nothing, and
apply_audit_log gives the same stamp, notices and refusals as it does check by check; on logs and
outputs built at random (edited, reordered, deleted or added rows, marks, later runs, forged
decisions, figures of every kind JSON holds, duplicate keys, hashes missing or apart)."""

from __future__ import annotations

import json
import random

import pytest

from demolition_verifier.core import audit, report_model
from demolition_verifier.core.messages import Refusal
from demolition_verifier.core.report_model import PatchRecord, apply_audit_log

RUN = "R1"
TOWNS = ("东镇", "西镇", None, "")
REASONS = ("", "over_tolerance", "main_retained,over_tolerance", None)


def _data(rng: random.Random, i: int) -> dict:
    remain = rng.choice((0.0, 12.5, 12.500000001, 40.0, 1e-7))
    data = {"monitor_m2": 100.0 + i, "geom_m2": 99.5, "remain_m2": remain, "remain_rt": remain / 100.0,
            "largest_m2": remain, "remnants": int(remain > 0), "township": rng.choice(TOWNS),
            "reasons": rng.choice(REASONS)}  # fmt: skip
    if rng.random() < 0.8:
        data["geom_hash"] = rng.choice(("aa", "bb", None))
    if rng.random() < 0.3:
        data["remnants_hash"] = rng.choice(("cc", "dd"))
    return data


# values a forged or odd log may hold where a figure stands (json.loads reads each as itself)
ODD_FIGURES = (None, True, False, "12.5", "x", 3, 2**70, 10**400, [1.0], {"a": 1})


def _text(rng: random.Random, data: dict) -> str | None:
    """The stored text: canonical mostly; else one json.loads reads otherwise than SQLite would."""
    roll = rng.random()
    if roll < 0.06:  # a key twice: json.loads keeps the last
        body = json.dumps(data, ensure_ascii=False)[1:-1]
        return "{" + body + ', "remain_m2": ' + rng.choice(("1e3", "12.5", "NaN", "-Infinity")) + "}"
    if roll < 0.09:
        return json.dumps({**data, "remain_rt": float("nan")})
    if roll < 0.12:
        return json.dumps(data, ensure_ascii=True, indent=1)  # escapes and white space
    return None


def build(path: str, seed: int) -> tuple[list[tuple], list[PatchRecord], list[tuple]]:
    """A log of one run (sometimes with more after it) and that run's output, edited at random.
    Returns the rows check_output takes, the records they are of, and (patch_id, run_id, status)."""
    rng = random.Random(seed)
    n = rng.randint(1, 7)
    ids = [f"P{i}" for i in range(n)]
    if rng.random() < 0.1:
        ids[-1] = ids[0]  # two patches sharing an id
    if rng.random() < 0.05:
        ids[0] = ""
    statuses = [rng.choice(("pass", "fail", "unsurveyed")) for _ in ids]
    datas = [_data(rng, i) for i in range(n)]
    for data in datas:
        if rng.random() < 0.08:
            data[rng.choice(audit.FIGURES)] = rng.choice(ODD_FIGURES)
    texts = [_text(rng, d) for d in datas]
    patches = n + rng.choice((0,) * 12 + (1, -1))
    decisions = [audit.NewEntry("decision", d, RUN, p, s, text=t) for p, s, d, t in zip(ids, statuses, datas, texts)]
    if rng.random() < 0.05:
        decisions.append(audit.NewEntry("sample", {"drawn": ids[:1]}, RUN))
    audit.append(path, [audit.NewEntry("run", {"kind": "verify", "patches": patches}, RUN), *decisions])
    roll = rng.random()
    if roll < 0.08:
        mark = rng.choice(("disputed", "upheld", "overturned"))
        audit.append(path, [audit.NewEntry("mark", {"mark": mark, "new_status": "pass"}, RUN, rng.choice(ids), mark)])
    elif roll < 0.14:  # a later run deciding one patch again
        again = audit.NewEntry("decision", datas[0], "R2", ids[0], statuses[0])
        audit.append(path, [audit.NewEntry("run", {"kind": "recheck", "patches": 1}, "R2"), again])
    elif roll < 0.18:  # a forged decision outside the run's own block
        audit.append(path, [audit.NewEntry("decision", datas[-1], RUN, ids[-1], statuses[-1])])
    elif roll < 0.22:
        audit.append(path, [audit.NewEntry("sample", {"drawn": ids[:1]}, RUN)])

    rows = []
    for p, s, d in zip(ids, statuses, datas):
        figures = [d.get(name) for name in audit.FIGURES]
        figures = [f if type(f) in (float, int) and abs(f) < 1e300 else 1.0 for f in figures]
        evidence = rng.choice(({"geom_hash": d.get("geom_hash", "aa")}, {"geom_hash": "aa"}, None, {}))
        row = [p, RUN, d.get("township"), s, d.get("reasons") or "", figures, evidence]
        roll = rng.random()
        if roll < 0.05:
            row[2] = "北镇"
        elif roll < 0.1:
            row[3] = "pass" if s != "pass" else "fail"
        elif roll < 0.14:
            row[4] = "rebuilt"
        elif roll < 0.2:
            row[5][2] = (row[5][2] or 0.0) + rng.choice((0.004, 0.02, -0.006))
        elif roll < 0.23:
            row[5][rng.randrange(6)] = None
        elif roll < 0.26:
            row[6] = {"geom_hash": "zz", "remnants_hash": rng.choice(("cc", "zz"))}
        elif roll < 0.28:
            row[6] = {"other": "x"}
        elif roll < 0.3:
            row[6] = {"geom_hash": float("nan")}
        elif roll < 0.33:  # a figure printed as NaN (a PostGIS double can hold one), or both sides NaN
            row[5][rng.randrange(6)] = float("nan")
        rows.append(tuple(row[:5]) + (tuple(row[5]), row[6]))
    roll = rng.random()
    if roll < 0.05 and n > 1:
        rows[0], rows[1] = rows[1], rows[0]
    elif roll < 0.1:
        rows.pop(rng.randrange(len(rows)))
    elif roll < 0.14:
        rows.append(rows[0])
    elif roll < 0.17:
        rows[-1] = (rows[-1][0], "R9", *rows[-1][2:])
    records = [
        PatchRecord(p, t, s, r, *figures, run_id=run, checked_at="2026-12-01T00:00:00+00:00", evidence=e)
        for p, run, t, s, r, figures, e in rows
    ]
    return rows, records, [(r[0], r[1], r[3]) for r in rows]


def _outcome(path: str, records: list[PatchRecord], read: audit.LogRead):
    for record in records:
        record.review = None
    try:
        stamp, notices = apply_audit_log(path, records, complete=True, read=read)
    except Refusal as refusal:
        return ("refused", refusal.key, refusal.values)
    return stamp, [(n.key, n.level, n.values) for n in notices], [r.review for r in records]


def test_where_it_answers_it_answers_as_the_three_checks(tmp_path):
    answered = 0
    seeds = range(400)
    for seed in seeds:
        path = str(tmp_path / f"audit{seed}.gpkg")
        rows, records, decided = build(path, seed)
        read = audit.read_log(path)
        try:
            fast = audit.one_run_check(read, report_model.row_columns(records))
        except Exception as error:  # should a log be one the checks cannot read, they fail the same way
            with pytest.raises(type(error)):
                audit.check_output(path, rows, True, read=read)
            continue
        if fast is None:
            continue
        answered += 1
        assert fast == audit.check_output(path, rows, True, read=read) == audit.check_output(path, rows, True)
        assert fast == audit.check_output(path, rows, False, read=read)
        standing = audit.standing_states(path, decided, read=read)
        assert (standing.superseded, standing.unlogged, standing.differing) == ([], [], [])
        assert list(standing.states) == [r[0] for r in rows] and not standing.states.marked
        assert not audit.later_decisions(read, [(r[0], r[1]) for r in rows])
    assert len(seeds) // 4 < answered < len(seeds)  # it answered often, and left some to the checks


@pytest.mark.parametrize("seed", range(300))
def test_an_export_is_stamped_or_refused_as_check_by_check(tmp_path, monkeypatch, seed):
    path = str(tmp_path / "audit.gpkg")
    _rows, records, _decided = build(path, seed)
    read = audit.read_log(path)
    try:
        fast = _outcome(path, records, read)
    except Exception as error:  # what the checks meet in a log they cannot read, the same way
        fast = type(error)
    monkeypatch.setattr(audit, "one_run_check", lambda *_args: None)
    try:
        general = _outcome(path, records, read)
    except Exception as error:
        general = type(error)
    assert fast == general


def test_a_plain_run_and_its_output_are_checked_at_once(tmp_path):
    path = str(tmp_path / "audit.gpkg")
    rng = random.Random(1)
    datas = [{**_data(rng, i), "geom_hash": f"h{i}", "township": "东镇", "reasons": ""} for i in range(50)]
    ids = [f"H{i}" for i in range(50)]
    decisions = [audit.NewEntry("decision", d, RUN, p, "fail") for p, d in zip(ids, datas)]
    audit.append(path, [audit.NewEntry("run", {"kind": "verify", "patches": 50}, RUN), *decisions])
    records = [
        PatchRecord(p, "东镇", "fail", "", *(d[n] for n in audit.FIGURES), run_id=RUN, checked_at="",
                    evidence={"geom_hash": d["geom_hash"]})
        for p, d in zip(ids, datas)
    ]  # fmt: skip
    read = audit.read_log(path)
    fast = audit.one_run_check(read, report_model.row_columns(records))
    assert fast == audit.check_output(path, [(r.patch_id, RUN, r.township, r.status, r.reasons,
                                              report_model._FIGURES(r), r.evidence) for r in records], True)  # fmt: skip
    assert fast.changed == [] and fast.unhashed == []
    records[7].remain_m2 = (records[7].remain_m2 or 0.0) + 0.02
    records[9].evidence = {"geom_hash": "swapped"}
    records[11].evidence = {"geom_hash": "h11", "remnants_hash": "r"}  # a hash the decision does not hold
    fast = audit.one_run_check(read, report_model.row_columns(records))
    assert fast is not None and fast.changed == ["H7", "H9"] and fast.unhashed == ["H11"]
    with pytest.raises(Refusal) as refused:
        apply_audit_log(path, records, complete=True, read=read)
    assert refused.value.key == "audit_mismatch" and refused.value.values["examples"] == "H7、H9"


def test_whole_numbers_are_compared_as_doubles_as_check_output_compares_them(tmp_path):
    """2**60 + 1 and 2**60 are one double apart by nothing: the same figure to check_output, as here."""
    path = str(tmp_path / "audit.gpkg")
    data = {"monitor_m2": 2**53 + 1, "geom_m2": 1.5, "remain_m2": 0.0, "remain_rt": 0.0, "largest_m2": 0.0,
            "remnants": 2**60 + 1, "township": "东镇", "reasons": ""}  # fmt: skip
    audit.append(path, [audit.NewEntry("run", {"kind": "verify", "patches": 1}, RUN),
                        audit.NewEntry("decision", data, RUN, "H1", "pass")])  # fmt: skip
    for written in ((2**53, 1.5, 0.0, 0.0, 0.0, 2**60), (float(2**53), 1.5, 0.0, 0.0, 0.0, 2**60 + 2**10)):
        record = PatchRecord("H1", "东镇", "pass", "", *written, run_id=RUN, checked_at="")
        read = audit.read_log(path)
        fast = audit.one_run_check(read, report_model.row_columns([record]))
        row = ("H1", RUN, "东镇", "pass", "", written, None)
        assert fast is not None and fast == audit.check_output(path, [row], True)
    assert fast.changed == ["H1"]


def test_a_figure_no_double_holds_is_a_changed_row_not_a_crash():
    from demolition_verifier.core.audit.output_check import _same_figures

    assert not _same_figures([10**400], [1.0]) and not _same_figures([1.0], [10**400])
    assert _same_figures([2**70], [float(2**70)])


def test_nan_is_the_same_only_as_nan():
    from demolition_verifier.core.audit.output_check import _same_figures

    nan, inf = float("nan"), float("inf")
    assert not _same_figures([12.5], [nan]) and not _same_figures([nan], [12.5]) and not _same_figures([nan], [3])
    assert _same_figures([nan], [nan]) and _same_figures([inf], [inf]) and _same_figures([-inf], [-inf])
    assert not _same_figures([inf], [-inf]) and not _same_figures([inf], [1e308]) and not _same_figures([inf], [nan])
    assert _same_figures([12.5], [12.5 + 1e-9]) and not _same_figures([12.5], [12.6])
