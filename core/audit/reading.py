"""The log read once: one pass over the table that checks the chain and keeps the rows a caller needs
(an export's decisions, marks and runs; a bulletin's campaign entries), so the checks that follow
(output_check, disputes) work on what was read instead of reading the log again.

The chain check hashes the stored columns as they are: entry_hash's body is the JSON array of the
row's columns, and JSON's encoder writes each text with encode_basestring, so the body is built
here from the stored texts with that one function (no encoder set up per row, no json round trip),
or by SQLite's json_array beside the row where it writes the same bytes (_body_column).
tests/core/test_audit_read.py holds it byte for byte to entry_hash."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Collection
from dataclasses import dataclass
from json.encoder import encode_basestring

from ..definitions import AUDIT_TABLE
from .chain import GENESIS, normalise_head
from .log import COLUMNS, ChainCheck, Entry, _entry, _open_existing

# A row as read: (fid, entry, logged_at, run_id, patch_id, status, data, prev_hash, hash); data as text.
Row = tuple
FID, ENTRY, LOGGED_AT, RUN_ID, PATCH_ID, STATUS, DATA, PREV_HASH, HASH = range(9)


@dataclass
class LogRead:
    """What one pass over a log gave: the chain's check and the rows kept, in log order."""

    path: str
    check: ChainCheck
    rows: list[Row]  # the rows of the kinds kept, whole (data as its stored text)
    brief: list[Row]  # the rows of the kinds kept briefly: (fid, logged_at, run_id, patch_id, status)
    whole: bool  # every row was kept whole: rows[fid - 1] is the row of fid (in an intact chain)

    def of_kind(self, *kinds: str) -> list[Row]:
        wanted = set(kinds)
        return [row for row in self.rows if row[ENTRY] in wanted]


def entry_of(row: Row) -> Entry:
    """A read row as audit.entries gives it (its data parsed)."""
    return _entry(row)


# json.loads without its checks around the text (a canonical one has none)
_scan = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def parse_data(text: str):
    """json.loads(text): the same value, or the same error."""
    try:
        value, end = _scan(text, 0)
    except (StopIteration, TypeError, ValueError):
        return json.loads(text)
    return value if end == len(text) else json.loads(text)


def row_body(seq: int, entry, logged_at, run_id, patch_id, status, data, prev_hash) -> str:
    """entry_hash's JSON text of a row whose columns are texts (or None where they may be)."""
    return (
        f"[{seq},{encode_basestring(entry)},{encode_basestring(logged_at)},"
        f"{'null' if run_id is None else encode_basestring(run_id)},"
        f"{'null' if patch_id is None else encode_basestring(patch_id)},"
        f"{'null' if status is None else encode_basestring(status)},"
        f"{encode_basestring(data)},{encode_basestring(prev_hash)}]"
    )


# Every ASCII character and the others a JSON encoder might write apart (line and paragraph separators,
# the byte order mark, the last code points of each plane, an emoji): what json_array must quote as
# encode_basestring does for SQLite to build the rows' bodies. Both quote a text one character at a
# time, so these cover every text.
_PROBE = "".join(map(chr, range(128))) + "\x80\x9f\xa0é\u20ac\u2028\u2029\ufeff\uffff\U0001f600\U0010ffff"
# the body of a row whose columns are of the types the chain check asks for (else NULL: it is broken)
_SQL_BODY = (
    "CASE WHEN typeof(entry) = 'text' AND typeof(logged_at) = 'text' AND typeof(data) = 'text'"
    " AND typeof(prev_hash) = 'text' AND typeof(run_id) IN ('text', 'null')"
    " AND typeof(patch_id) IN ('text', 'null') AND typeof(status) IN ('text', 'null')"
    " THEN CAST(json_array(fid, entry, logged_at, run_id, patch_id, status, data, prev_hash) AS BLOB) END"
)


def _body_column(connection: sqlite3.Connection) -> str:
    """The column that gives each row's body as UTF-8 (row_body's text): SQLite's json_array, which
    writes it in C as the row is read, where it quotes as encode_basestring does; else NULL (an
    SQLite without JSON functions, or one that quotes otherwise), and row_body builds it."""
    try:
        (probe,) = connection.execute("SELECT CAST(json_array(1, ?, NULL) AS BLOB)", (_PROBE,)).fetchone()
    except sqlite3.DatabaseError:
        return "NULL"
    return _SQL_BODY if probe == f"[1,{encode_basestring(_PROBE)},null]".encode() else "NULL"


def read_log(
    path: str | os.PathLike,
    kinds: Collection[str] | None = None,
    expected_head: str | None = None,
    brief_kinds: Collection[str] = (),
) -> LogRead:
    """One pass in log order: verify_chain's check (the same ChainCheck), the rows of `kinds` kept
    whole (None: every row) and those of `brief_kinds` kept without their data (as decision_rows
    gives them). A log that is missing or not an audit log is refused as verify_chain refuses it."""
    expected = normalise_head(expected_head)
    connection = _open_existing(path)
    count, prev, broken, anchor = 0, GENESIS, -1, -1
    keep_all = kinds is None
    wanted = frozenset(kinds or ())
    briefly = frozenset(brief_kinds)
    rows: list[Row] = []
    brief: list[Row] = []
    sha256 = hashlib.sha256
    try:
        body_column = _body_column(connection)
        cursor = connection.execute(f"SELECT {', '.join(COLUMNS)}, {body_column} FROM {AUDIT_TABLE} ORDER BY fid")
        for whole in cursor:
            count += 1
            row = whole[:9]
            fid, entry, logged_at, run_id, patch_id, status, data, prev_hash, digest, body = whole
            if broken < 0:
                # what chain._row_is_sound checks (SQLite checked the columns' types where it wrote the
                # body), then the hash of the stored columns
                if (
                    fid != count
                    or prev_hash != prev
                    or body is None
                    and (
                        type(data) is not str
                        or type(entry) is not str
                        or type(logged_at) is not str
                        or (run_id is not None and type(run_id) is not str)
                        or (patch_id is not None and type(patch_id) is not str)
                        or (status is not None and type(status) is not str)
                    )
                ):
                    broken = count
                else:
                    if body is None:  # row_body, inline; prev_hash is the hex digest before it
                        body = (
                            f"[{count},{encode_basestring(entry)},{encode_basestring(logged_at)},"
                            f"{'null' if run_id is None else encode_basestring(run_id)},"
                            f"{'null' if patch_id is None else encode_basestring(patch_id)},"
                            f"{'null' if status is None else encode_basestring(status)},"
                            f'{encode_basestring(data)},"{prev_hash}"]'
                        ).encode()
                    if sha256(body).hexdigest() != digest:
                        broken = count
            prev = digest if isinstance(digest, str) else ""
            if expected and broken < 0 and prev.startswith(expected):
                anchor = count
            if keep_all or entry in wanted:
                rows.append(row)
            elif entry in briefly:
                brief.append((fid, logged_at, run_id, patch_id, status))
    except sqlite3.DatabaseError:  # a damaged file is a broken chain, not a crash
        broken = count + 1 if broken < 0 else broken
    finally:
        connection.close()
    head = prev if count else GENESIS
    if expected and broken < 0 and anchor < 0:
        if GENESIS.startswith(expected):
            anchor = 0
        else:
            broken = count + 1  # past the end: what the anchor covered is gone or rewritten
    check = ChainCheck(broken < 0, count, broken, head, anchor)
    return LogRead(os.fspath(path), check, rows, brief, keep_all and len(rows) == count)
