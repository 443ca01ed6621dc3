"""The log read once (core/audit/reading.py): the same chain check, standing and output check as the
functions that read the log themselves, on logs built at random (marks, re-runs, shared ids, forged
copies of a run, edited rows)."""

from __future__ import annotations

import hashlib
import json
import random
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from demolition_verifier.core import audit
from demolition_verifier.core.audit.chain import _ROW, _row_is_sound
from demolition_verifier.core.audit.reading import row_body
from demolition_verifier.core.definitions import AUDIT_TABLE

# Text as SQLite hands it back: any code point but lone surrogates (UTF-8 cannot hold them).
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
MAYBE = st.none() | TEXT


@settings(max_examples=400, deadline=None)
@given(st.integers(1, 10**12), TEXT, TEXT, MAYBE, MAYBE, MAYBE, TEXT, TEXT)
def test_the_row_body_is_the_json_entry_hash_encodes(seq, entry, logged_at, run_id, patch_id, status, data, prev):
    body = row_body(seq, entry, logged_at, run_id, patch_id, status, data, prev)
    assert body == _ROW.encode([seq, entry, logged_at, run_id, patch_id, status, data, prev])
    assert audit.entry_hash(seq, entry, logged_at, run_id, patch_id, status, data, prev) == (
        hashlib.sha256(body.encode("utf-8")).hexdigest()
    )


def test_the_row_body_of_awkward_texts():
    awkward = ['{"a":"\\"q\\""}', "\x00\x1f\x7f", "\u2028\u2029", "城关镇", "😀", "\\", '"', "\ud7ff\ue000"]
    for text in awkward:
        assert row_body(1, text, text, text, None, text, text, text) == _ROW.encode(
            [1, text, text, text, None, text, text, text]
        )


# -- random logs ------------------------------------------------------------------------------------
PATCHES = [f"P{i}" for i in range(8)]
STATUSES = ("pass", "fail", "unsurveyed")
REASONS = ("", "over_tolerance", "main_retained,over_tolerance", "rebuilt", "over_tolerance,rebuilt")


def _figures(rng: random.Random) -> dict:
    remain = rng.choice((0.0, 12.5, 12.500000001, 40.0))
    return {"monitor_m2": 100.0, "geom_m2": 100.0, "remain_m2": remain, "remain_rt": remain / 100.0,
            "largest_m2": remain, "remnants": int(remain > 0)}  # fmt: skip


def build_log(path: str, seed: int) -> tuple[list[tuple], list[tuple]]:
    """A log of a few runs with marks between them; returns rows of outputs to check against it:
    (patch_id, run_id, status) for standing_states and check_output's full rows."""
    rng = random.Random(seed)
    runs, decided, output = [], [], []
    for r in range(rng.randint(1, 4)):
        run_id = f"run{r}"
        runs.append(run_id)
        chosen = rng.sample(PATCHES, rng.randint(1, len(PATCHES)))
        if rng.random() < 0.3:
            chosen.append(chosen[0])  # two patches sharing an id
        decisions = []
        for patch in chosen:
            status = rng.choice(STATUSES)
            data = {"reasons": rng.choice(REASONS), "township": rng.choice(("东镇", "西镇", None)), **_figures(rng)}
            if rng.random() < 0.5:
                data["geom_hash"] = rng.choice(("aa", "bb"))
            decisions.append(audit.NewEntry("decision", data, run_id, patch, status))
            decided.append((patch, run_id, status if rng.random() < 0.9 else rng.choice(STATUSES)))
            figures = tuple(data[n] for n in audit.FIGURES)
            if rng.random() < 0.1:
                figures = (figures[0] + 1.0, *figures[1:])
            evidence = {"geom_hash": rng.choice(("aa", "bb"))} if rng.random() < 0.5 else None
            output.append((patch, run_id, data["township"], status, data["reasons"], figures, evidence))
        audit.append(path, [audit.NewEntry("run", {"kind": "verify", "patches": len(decisions)}, run_id), *decisions])
        for _ in range(rng.randint(0, 4)):
            patch = rng.choice(PATCHES)
            mark = rng.choice(("disputed", "upheld", "overturned"))
            data = {"mark": mark, "note": f"n{rng.random():.3f}", "new_status": rng.choice(STATUSES)}
            audit.append(path, [audit.NewEntry("mark", data, run_id, patch, mark)])
        if rng.random() < 0.2:  # a forged copy of an earlier run's decision, outside its block
            patch = rng.choice(PATCHES)
            data = {"reasons": "", "township": "东镇", **_figures(rng)}
            audit.append(path, [audit.NewEntry("decision", data, rng.choice(runs), patch, "pass")])
        if rng.random() < 0.2:
            audit.append(path, [audit.NewEntry("sample", {"drawn": [rng.choice(PATCHES)]}, run_id)])
    decided += [("", runs[0], "pass"), (None, runs[0], "fail"), ("P9", runs[0], "pass"), ("P1", "nope", "pass")]
    output.append(("P1", "nope", "东镇", "pass", "", (100.0,) * 6, None))
    return decided, output


def reference_chain(path) -> audit.ChainCheck:
    """verify_chain as it was before the log was read once (chain._row_is_sound on every row)."""
    connection = sqlite3.connect(path)
    count, prev, broken = 0, audit.GENESIS, -1
    try:
        for row in connection.execute(f"SELECT * FROM {AUDIT_TABLE} ORDER BY fid"):
            count += 1
            if broken < 0 and not _row_is_sound(row, count, prev):
                broken = count
            prev = row[8] if isinstance(row[8], str) else ""
    finally:
        connection.close()
    return audit.ChainCheck(broken < 0, count, broken, prev if count else audit.GENESIS, -1)


@pytest.mark.parametrize("seed", range(60))
def test_one_read_gives_what_the_separate_reads_gave(tmp_path, seed):
    path = str(tmp_path / "audit.gpkg")
    decided, output = build_log(path, seed)
    read = audit.read_log(path)
    assert read.check == audit.verify_chain(path) == reference_chain(path)
    assert read.whole and len(read.rows) == read.check.entries

    before = audit.standing_states(path, decided)
    after = audit.standing_states(path, decided, read=read)
    assert dict(after.states) == before.states and list(after.states) == list(before.states)
    assert (after.superseded, after.unlogged, after.differing) == (before.superseded, before.unlogged, before.differing)
    assert after.states.marked == {p for p, s in before.states.items() if any(
        e.entry == "mark" for e in audit.entries(path, kinds=["mark"], patch_ids=[p]))}  # fmt: skip
    for rows in (output, output[::2]):  # every row; rows deleted
        for complete in (False, True):
            assert audit.check_output(path, rows, complete, read=read) == audit.check_output(path, rows, complete)
    runs = sorted({r[1] for r in output})
    for run in runs:
        assert audit.check_output(path, [r for r in output if r[1] == run], True, read=read) == audit.check_output(
            path, [r for r in output if r[1] == run], True
        )


def _tamper(path: str, statement: str, *args) -> None:
    connection = sqlite3.connect(path)
    connection.execute(f"DROP TRIGGER IF EXISTS {AUDIT_TABLE}_no_update")
    connection.execute(f"DROP TRIGGER IF EXISTS {AUDIT_TABLE}_no_delete")
    connection.execute(statement, args)
    connection.commit()
    connection.close()


@pytest.mark.parametrize("seed", range(12))
def test_an_edited_log_breaks_where_it_broke(tmp_path, seed):
    path = str(tmp_path / "audit.gpkg")
    build_log(path, seed)
    rng = random.Random(seed)
    count = audit.verify_chain(path).entries
    fid = rng.randint(1, count)
    edits = [
        (f"UPDATE {AUDIT_TABLE} SET status = 'pass' WHERE fid = ?", fid),
        (f"UPDATE {AUDIT_TABLE} SET data = ? WHERE fid = ?", json.dumps({"x": "\\u0001"}), fid),
        (f"UPDATE {AUDIT_TABLE} SET run_id = 7 WHERE fid = ?", fid),
        (f"UPDATE {AUDIT_TABLE} SET data = CAST(data AS BLOB) WHERE fid = ?", fid),
        (f"DELETE FROM {AUDIT_TABLE} WHERE fid = ?", fid),
    ]
    statement, *args = rng.choice(edits)
    _tamper(path, statement, *args)
    check = audit.read_log(path).check
    assert check == reference_chain(path)
    head = check.head
    assert audit.read_log(path, expected_head=head[:20]).check == audit.verify_chain(path, expected_head=head[:20])


def test_kept_and_brief_rows(tmp_path):
    path = str(tmp_path / "audit.gpkg")
    build_log(path, 3)
    read = audit.read_log(path, kinds=("run", "mark"), brief_kinds=("decision",))
    assert not read.whole
    assert [audit.entry_of(r) for r in read.rows] == audit.entries(path, kinds=("run", "mark"))
    assert [tuple(r) for r in read.brief] == [tuple(r) for r in audit.decision_rows(path)]
    assert read.check == audit.verify_chain(path)


def test_data_is_parsed_as_json_loads_parses_it():
    from demolition_verifier.core.audit.reading import parse_data

    for text in ['{"a":1}', ' {"a":1}', '{"a":1} ', '{"a":[1,{"b":null}]}', '"x"', "1", "[]", "{}"]:
        assert parse_data(text) == json.loads(text)
    for bad in ["", "{", '{"a":1}x', "{'a':1}", "nan1", '{"a":"\x01"}']:
        with pytest.raises(ValueError) as caught:
            parse_data(bad)
        with pytest.raises(ValueError) as expected:
            json.loads(bad)
        assert str(caught.value) == str(expected.value)


def test_a_log_of_awkward_texts_checks_as_entry_hash_has_it(tmp_path):
    path = str(tmp_path / "audit.gpkg")
    awkward = ['"q"', "\\", "\x01\x1f\n\t", "城关镇 😀 𠀀", "\u2028", "", "</v>&amp;"]
    audit.append(path, [audit.NewEntry("mark", {"note": t, t: [t]}, t, t, t) for t in awkward])
    audit.append(path, [audit.NewEntry("sample", {"x": 1}, None, None, None)])
    check = audit.read_log(path).check
    assert check.valid and check == reference_chain(path) and check.entries == len(awkward) + 1
    _tamper(path, f"UPDATE {AUDIT_TABLE} SET patch_id = ? WHERE fid = 3", "\x01")
    assert audit.read_log(path).check == reference_chain(path) == audit.verify_chain(path)
    assert audit.verify_chain(path).first_broken == 3
