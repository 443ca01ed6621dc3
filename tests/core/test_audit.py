"""The audit log: a hash chain in a GeoPackage that catches edits, deletions and a lost tail."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import square

from demolition_verifier.core import audit
from demolition_verifier.core.definitions import AreaMethod, Mark, RunKind
from demolition_verifier.core.engine import Layer, PatchLayer, Rules, verify
from demolition_verifier.core.messages import Refusal

ROOT = Path(__file__).resolve().parents[2]
PLUGINS = ROOT / ".build" / "plugins"


def run_engine(remnant: float = 0.0):
    """Three patches; P1 keeps a remnant of `remnant` m (side of a square)."""
    patches = [square(0, 0, 100), square(200, 0, 100), square(400, 0, 100)]
    survey = [square(210, 10, remnant)] if remnant else []
    return verify(
        PatchLayer("patches", patches, None, ids=["P0", "P1", "P2"], townships=["东镇", "东镇", "西镇"]),
        Layer("survey", survey, None),
        None,
        Rules(area_method=AreaMethod.PLANAR),
    )


def append_run(log, remnant: float = 0.0, kind=RunKind.VERIFY):
    result = run_engine(remnant)
    inputs = {
        "PATCHES": {"source": "patches.gpkg", "features": 3, "content_hash": "ab" * 32, "hashed": "geometry+attributes"}
    }
    return result, audit.append_run(log, result, inputs, {"AREA_TOLERANCE": 1.0}, kind, "张三", "3.22.16")


def sql(log, statement: str, *args) -> None:
    """What someone with sqlite3 and bad intentions does: drop the guard, then change rows."""
    connection = sqlite3.connect(log)
    connection.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    connection.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    connection.execute(statement, args)
    connection.commit()
    connection.close()


@pytest.fixture
def log(tmp_path) -> str:
    path = str(tmp_path / "sub" / "audit.gpkg")
    append_run(path)
    append_run(path, remnant=5.0)  # P1 fails in the second run
    return path


def test_a_fresh_log_is_a_geopackage_with_an_attribute_table(log):
    connection = sqlite3.connect(log)
    assert connection.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47
    assert connection.execute("PRAGMA user_version").fetchone()[0] == 10200
    assert connection.execute("SELECT data_type FROM gpkg_contents WHERE table_name='audit_log'").fetchone() == (
        "attributes",
    )
    assert {r[0] for r in connection.execute("SELECT srs_id FROM gpkg_spatial_ref_sys")} == {-1, 0, 4326}
    connection.close()


def test_the_chain_validates_and_records_the_run(log):
    check = audit.verify_chain(log)
    assert check == audit.ChainCheck(True, 8, -1, check.head, -1)
    items = audit.entries(log)
    assert [i.seq for i in items] == list(range(1, 9))
    assert check.head == items[-1].hash and items[0].prev_hash == audit.GENESIS
    run = items[0]
    assert run.entry == "run" and run.data["kind"] == "verify"
    assert run.data["who"]["name"] == "张三" and run.data["who"]["login"]
    assert run.data["plugin_version"] == "0.1.0" and run.data["qgis_version"] == "3.22.16"
    assert run.data["counts"] == {"pass": 3, "fail": 0, "unsurveyed": 0}
    assert run.data["inputs"]["PATCHES"]["features"] == 3 and run.data["parameters"] == {"AREA_TOLERANCE": 1.0}
    decision = items[6]  # P1 in the second run
    assert (decision.entry, decision.patch_id, decision.status) == ("decision", "P1", "fail")
    assert (
        decision.data["remain_m2"] == pytest.approx(25.0) and decision.data["reasons"] == "main_retained,over_tolerance"
    )
    assert decision.run_id == items[4].run_id != items[0].run_id
    assert audit.head_after_run(log, items[0].run_id) == items[3].hash


def test_the_log_refuses_updates_and_deletes_through_sqlite(log):
    connection = sqlite3.connect(log)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        connection.execute("UPDATE audit_log SET status='pass' WHERE fid=7")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        connection.execute("DELETE FROM audit_log WHERE fid=8")
    connection.close()
    assert audit.verify_chain(log).valid


def test_changing_one_character_of_one_row_breaks_the_chain_there(log):
    data = audit.entries(log)[6].data
    sql(log, "UPDATE audit_log SET data = replace(data, 'over_tolerance', 'over_tolerancf') WHERE fid=7")
    assert audit.entries(log)[6].data["reasons"] == "main_retained,over_tolerancf" != data["reasons"]
    check = audit.verify_chain(log)
    assert (check.valid, check.entries, check.first_broken) == (False, 8, 7)


def test_changing_one_byte_of_the_file_breaks_the_chain(log):
    raw = bytearray(Path(log).read_bytes())
    at = raw.find(b'"reasons":"main_retained,over_tolerance"')
    assert at > 0 and raw.find(b'"reasons":"main_retained,over_tolerance"', at + 1) < 0
    raw[at + len('"reasons":"main_retained,over_toleranc')] ^= 0x03  # 'e' -> 'f'
    Path(log).write_bytes(bytes(raw))
    check = audit.verify_chain(log)
    assert (check.valid, check.first_broken) == (False, 7)


def test_a_status_changed_and_its_hash_recomputed_still_breaks_the_next_link(log):
    row = sqlite3.connect(log).execute("SELECT * FROM audit_log WHERE fid=7").fetchone()
    forged = audit.entry_hash(7, row[1], row[2], row[3], row[4], "pass", row[6], row[7])
    sql(log, "UPDATE audit_log SET status='pass', hash=? WHERE fid=7", forged)
    assert audit.verify_chain(log).first_broken == 8


def test_deleting_a_row_breaks_the_chain(log):
    sql(log, "DELETE FROM audit_log WHERE fid=3")
    check = audit.verify_chain(log)
    assert (check.valid, check.entries, check.first_broken) == (False, 7, 3)


def test_reordering_two_rows_breaks_the_chain(log):
    """Rows 2 and 3 (P0 and P1 of the first run) trade places, each with its own hash."""
    connection = sqlite3.connect(log)
    rows = connection.execute("SELECT * FROM audit_log WHERE fid IN (2, 3) ORDER BY fid").fetchall()
    connection.close()
    sql(log, "DELETE FROM audit_log WHERE fid IN (2, 3)")
    for fid, row in ((2, rows[1]), (3, rows[0])):
        sql(log, "INSERT INTO audit_log VALUES (?,?,?,?,?,?,?,?,?)", fid, *row[1:])
    assert [e.patch_id for e in audit.entries(log)[1:3]] == ["P1", "P0"]
    assert audit.verify_chain(log).first_broken == 2


def test_a_deleted_tail_is_caught_by_the_head_on_paper(log):
    paper = audit.verify_chain(log).head
    earlier = audit.entries(log)[3].hash  # the head printed after the first run
    sql(log, "DELETE FROM audit_log WHERE fid=8")
    assert audit.verify_chain(log).valid  # the chain alone cannot know its tail is gone
    check = audit.verify_chain(log, expected_head=paper)
    assert (check.valid, check.entries, check.first_broken, check.anchor) == (False, 7, 8, -1)
    # A head from an earlier run is still inside the longer chain: later runs append, they don't break it.
    check = audit.verify_chain(log, expected_head=earlier[:16].upper())
    assert (check.valid, check.anchor) == (True, 4)


def test_a_malformed_expected_head_is_refused(log):
    with pytest.raises(Refusal) as refusal:
        audit.verify_chain(log, expected_head="12ab")
    assert refusal.value.key == "audit_anchor_malformed"


def test_a_file_that_is_not_a_log_is_refused(tmp_path):
    with pytest.raises(Refusal) as missing:
        audit.verify_chain(tmp_path / "none.gpkg")
    assert missing.value.key == "audit_log_missing"
    other = tmp_path / "other.gpkg"
    sqlite3.connect(other).execute("CREATE TABLE t (a)").connection.commit()
    with pytest.raises(Refusal) as invalid:
        audit.verify_chain(other)
    assert invalid.value.key == "audit_log_invalid"
    text = tmp_path / "notes.gpkg"
    text.write_text("not a database at all, just text " * 100)
    with pytest.raises(Refusal) as garbage:
        audit.verify_chain(text)
    assert garbage.value.key == "audit_log_invalid"


APPENDER = """
import sys, time, os
from demolition_verifier.core import audit
log, name, go, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
while not os.path.exists(go):
    time.sleep(0.001)
for i in range(n):
    audit.append(log, [audit.NewEntry("mark", {"writer": name, "i": i}, patch_id=f"{name}-{i}"),
                       audit.NewEntry("mark", {"writer": name, "i": i, "second": True}, patch_id=f"{name}-{i}")])
"""


def test_two_processes_appending_at_once_lose_nothing(tmp_path):
    log, go = tmp_path / "shared.gpkg", tmp_path / "go"
    env = {"PYTHONPATH": f"{PLUGINS}:{ROOT / '.build' / 'pydeps'}"}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", APPENDER, str(log), name, str(go), "60"], env=env, stderr=subprocess.PIPE, text=True
        )
        for name in ("A", "B")
    ]
    time.sleep(0.5)  # both interpreters are up and waiting
    go.touch()
    for worker in workers:
        assert worker.wait(timeout=120) == 0, worker.stderr.read()
    check = audit.verify_chain(log)
    assert (check.valid, check.entries) == (True, 240)
    items = audit.entries(log)
    for name in ("A", "B"):
        mine = [(i.data["i"], i.data.get("second", False)) for i in items if i.data["writer"] == name]
        assert mine == [(i, s) for i in range(60) for s in (False, True)]  # in order, each pair together
    writers = "".join(i.data["writer"] for i in items[::2])
    assert "AB" in writers or "BA" in writers  # they really interleaved


def test_a_patch_history_across_two_runs_and_an_overturn(log):
    audit.mark_patch(log, "P1", Mark.DISPUTED, "现场复核发现残留为临时堆放物", user_name="李四")
    audit.mark_patch(log, "P1", Mark.OVERTURNED, "复核：已拆除，残留为建筑垃圾", new_status="pass", user_name="李四")
    steps = [(h.entry, h.status) for h in audit.history(log, "P1")]
    assert steps == [("decision", "pass"), ("decision", "fail"), ("mark", "disputed"), ("mark", "overturned")]
    state = audit.final_statuses(log)["P1"]
    assert (state.computed_status, state.final_status, state.dispute) == ("fail", "pass", "overturned")
    assert state.note == "复核：已拆除，残留为建筑垃圾" and state.marked_by["name"] == "李四"
    others = audit.final_statuses(log)["P0"]
    assert (others.computed_status, others.final_status, others.dispute) == ("pass", "pass", None)
    assert audit.verify_chain(log).valid


def test_a_rerun_with_the_same_figures_keeps_the_overturn_a_changed_one_reopens_it(log):
    audit.mark_patch(log, "P1", Mark.OVERTURNED, "复核通过", new_status="pass")
    append_run(log, remnant=5.0, kind=RunKind.RECHECK)  # same figures
    state = audit.final_statuses(log)["P1"]
    assert (state.final_status, state.dispute) == ("pass", "overturned")
    append_run(log, remnant=6.0)  # the remnant grew: the overturn no longer stands
    state = audit.final_statuses(log)["P1"]
    assert (state.computed_status, state.final_status, state.dispute) == ("fail", "fail", "reopened")
    assert [h.entry for h in audit.history(log, "P1")] == ["decision", "decision", "mark", "decision", "decision"]
    assert audit.entries(log, kinds=["run"])[-2].data["kind"] == "re-check"


def test_marks_need_a_note_a_new_status_for_an_overturn_and_a_known_patch(log):
    with pytest.raises(Refusal) as no_note:
        audit.mark_patch(log, "P1", Mark.UPHELD, "  ")
    assert no_note.value.key == "mark_note_required"
    with pytest.raises(Refusal) as no_status:
        audit.mark_patch(log, "P1", Mark.OVERTURNED, "改判", new_status="done")
    assert no_status.value.key == "mark_new_status"
    with pytest.raises(Refusal) as unknown:
        audit.mark_patch(log, "P9", Mark.DISPUTED, "?")
    assert unknown.value.key == "mark_unknown_patch"
    assert audit.verify_chain(log).entries == 8  # nothing was written


def test_samples_are_entries_and_show_in_the_history(log):
    appended = audit.append_sample(log, {"seed": 7, "drawn": ["P0", "P2"]}, run_id="r1", user_name="王五")
    assert appended.first == appended.last == 9
    assert [h.entry for h in audit.history(log, "P2")] == ["decision", "decision", "sample"]
    assert [h.entry for h in audit.history(log, "P1")] == ["decision", "decision"]
    assert audit.verify_chain(log).head == appended.head


def test_a_mark_on_an_id_two_patches_share_is_refused(tmp_path):
    """Duplicate ids share one history: a mark would land on both patches, across townships."""
    path = str(tmp_path / "audit.gpkg")
    result = verify(
        PatchLayer(
            "patches", [square(0, 0, 100), square(200, 0, 100)], None, ids=["D1", "D1"], townships=["东镇", "西镇"]
        ),
        Layer("survey", [], None),
        None,
        Rules(area_method=AreaMethod.PLANAR),
    )
    audit.append_run(path, result, {}, {}, RunKind.VERIFY, "张三", "3.22.16")
    with pytest.raises(Refusal) as refusal:
        audit.mark_patch(path, "D1", Mark.OVERTURNED, "复核", "fail")
    assert refusal.value.key == "mark_duplicate_id"
    assert "D1" in refusal.value.text(True) and "2" in refusal.value.text(False)


def test_the_fast_encodings_write_what_the_general_ones_wrote():
    """Entries and hashes of existing logs stay reproducible: the fast paths give the same text."""
    import json

    import numpy as np

    result = verify(
        PatchLayer(
            "p",
            [square(0, 0, 100), square(200, 0, 100), None],
            None,
            ids=["A", "B", "C"],
            monitored=[1.0, None, 2.0],
            townships=["甲镇", None, "乙乡"],
        ),
        Layer("s", [square(10, 10, 30), square(190, 0, 20)], None),
        rules=Rules(area_method=AreaMethod.PLANAR),
    )
    result.remain_rt[1] = np.nan  # as a broken figure would be: stored as null
    for i, entry in enumerate(audit.decisions_from_result(result)):
        data = {"reasons": result.reasons[i], "township": result.township[i]}
        for name in audit.FIGURES:
            data[name] = getattr(result, name)[i]
        expected = json.dumps(
            audit.plain(data), ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
        )
        assert entry.text == expected == audit.canonical(entry.data)
    assert '"remain_rt":null' in audit.decisions_from_result(result)[1].text
    plain_row = ["城关镇", 3, 2.5, None, True, "", -0.0]
    assert (
        audit.canonical_plain(plain_row)
        == audit.canonical(plain_row)
        == json.dumps(plain_row, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    )
    for odd in (["x", float("nan")], [np.float64(1.5)], [b"\x01"], [np.int64(3)]):
        assert audit.canonical_plain(odd) is None  # left to the general way
    row = [7, "run", "2026-11-26T10:00:00+08:00", "r1", "H2", "pass", '{"a":1}', "0" * 64]
    assert (
        audit.entry_hash(*row)
        == hashlib.sha256(json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode("utf-8")).hexdigest()
    )


def test_output_check_takes_figures_as_any_writer_rounded_them(tmp_path):
    """A ratio exactly on a rounding tie (0.0703125) is written 0.070313 by QGIS (half away from
    zero) and 0.070312 by numpy (half to even): both are the logged decision; a real change is not."""
    log = tmp_path / "audit.gpkg"
    result, _appended = append_run(log, remnant=5.0)
    i = result.patch_id.index("P1")
    figures = [getattr(result, n)[i].item() for n in audit.FIGURES]
    row = ["P1", result.run_id, result.township[i], str(result.status[i]), result.reasons[i]]

    def changed(ratio=None, area_shift=0.0):
        written = list(figures)
        if ratio is not None:
            written[3] = ratio
        written[2] += area_shift
        return audit.check_output(log, [(*row, tuple(written))]).changed

    logged_ratio = figures[3]
    assert changed() == []
    assert changed(ratio=round(logged_ratio, 6)) == [] and changed(area_shift=0.004) == []
    assert changed(ratio=logged_ratio + 2e-6) == ["P1"] and changed(area_shift=0.02) == ["P1"]
    # the tie itself, as a logged value would meet it
    with sqlite3.connect(log) as connection:
        data = connection.execute("SELECT data FROM audit_log WHERE patch_id = 'P1'").fetchone()[0]
    assert '"remain_rt":' in data
    assert audit._same_figures([1.0, 1.0, 1.0, 0.0703125, 1.0, 1], [1.0, 1.0, 1.0, 0.070313, 1.0, 1])
    assert audit._same_figures([1.0, 1.0, 1.0, 0.0703125, 1.0, 1], [1.0, 1.0, 1.0, 0.070312, 1.0, 1])
    assert not audit._same_figures([1.0, 1.0, 1.0, 0.0703125, 1.0, 1], [1.0, 1.0, 1.0, 0.0703125, 1.0, 2])
