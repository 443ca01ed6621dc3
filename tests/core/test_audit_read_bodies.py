"""The rows' bodies as SQLite's json_array builds them for the chain check (core/audit/reading.py):
the same bytes as row_body, and the same check whether SQLite builds them or Python does."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from demolition_verifier.core import audit
from demolition_verifier.core.audit import reading
from demolition_verifier.core.audit.reading import _SQL_BODY, _body_column, row_body
from demolition_verifier.core.definitions import AUDIT_TABLE

from .test_audit_read import TEXT, _tamper, build_log, reference_chain

MAYBE = st.none() | TEXT


def _sql_body(seq, entry, logged_at, run_id, patch_id, status, data, prev) -> bytes | None:
    connection = sqlite3.connect(":memory:")
    try:
        assert _body_column(connection) == _SQL_BODY  # this SQLite quotes as JSON's encoder does
        query = _SQL_BODY.replace("fid", "?1").replace("entry", "?2").replace("logged_at", "?3")
        query = query.replace("run_id", "?4").replace("patch_id", "?5").replace("status", "?6")
        query = query.replace("data", "?7").replace("prev_hash", "?8")
        return connection.execute(
            f"SELECT {query}", (seq, entry, logged_at, run_id, patch_id, status, data, prev)
        ).fetchone()[0]
    finally:
        connection.close()


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 10**12), TEXT, TEXT, MAYBE, MAYBE, MAYBE, TEXT, TEXT)
def test_sqlite_writes_the_row_body(seq, entry, logged_at, run_id, patch_id, status, data, prev):
    body = _sql_body(seq, entry, logged_at, run_id, patch_id, status, data, prev)
    assert body == row_body(seq, entry, logged_at, run_id, patch_id, status, data, prev).encode()


def test_sqlite_writes_the_body_of_awkward_texts():
    awkward = ['{"a":"\\"q\\""}', "\x00\x1f\x7f", "\x00", "a\x00b", "\u2028\u2029", "城关镇", "😀", "\\", '"']
    for text in awkward:
        assert _sql_body(1, text, text, text, None, text, text, text) == (
            row_body(1, text, text, text, None, text, text, text).encode()
        )


def test_a_column_of_another_type_has_no_body():
    assert _sql_body(1, "e", "t", None, None, None, b"blob", "p") is None
    assert _sql_body(1, "e", "t", 7, None, None, "{}", "p") is None
    assert _sql_body(1, "e", 1.5, None, None, None, "{}", "p") is None


def test_an_sqlite_quoting_otherwise_leaves_the_body_to_python(monkeypatch):
    monkeypatch.setattr(reading, "_PROBE", "\x01")
    connection = sqlite3.connect(":memory:")
    try:
        assert _body_column(connection) == _SQL_BODY
        connection.create_function("json_array", -1, lambda *values: "[]")  # quoting nothing as JSON does
        assert _body_column(connection) == "NULL"
    finally:
        connection.close()


@pytest.mark.parametrize("seed", range(8))
def test_the_chain_check_is_the_same_with_the_bodies_built_in_python(tmp_path, monkeypatch, seed):
    path = str(tmp_path / "audit.gpkg")
    build_log(path, seed)
    _tamper(path, f"UPDATE {AUDIT_TABLE} SET data = ? WHERE fid = ?", '{"x":"\\u0001\x01"}', 1 + seed % 3)
    for edited in (False, True):
        with_sqlite = audit.read_log(path)
        monkeypatch.setattr(reading, "_body_column", lambda connection: "NULL")
        in_python = audit.read_log(path)
        monkeypatch.undo()
        assert with_sqlite.check == in_python.check == reference_chain(path)
        assert with_sqlite.rows == in_python.rows
        if not edited:
            _tamper(path, f"UPDATE {AUDIT_TABLE} SET logged_at = CAST(logged_at AS BLOB) WHERE fid = ?", 2)
