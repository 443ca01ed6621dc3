"""The tamper-evident audit log: an append-only hash chain in a GeoPackage (plain SQLite).

Every entry (a verify run, a patch's decision in it, a spot-check draw, an auditor's mark) is one
row of the table `audit_log`; its hash covers its sequence number, its columns exactly as stored and
the previous entry's hash, so an edited, deleted or re-ordered row breaks the chain. A deleted tail
or a rewritten chain is caught against a head hash kept on paper (`verify_chain(expected_head=...)`).

Pure Python (sqlite3, hashlib, json): the Processing algorithms, the dock and a server share it.
"""

from __future__ import annotations

import configparser
import getpass
import hashlib
import json
import math
import os
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Any

from .definitions import AUDIT_TABLE, DISPUTE_REOPENED, AuditEntry, Mark, RunKind, Status
from .messages import Refusal

GENESIS = "0" * 64  # the "previous hash" of entry 1
BUSY_TIMEOUT_S = 60.0  # another session appending holds the write lock for well under this
GPKG_APPLICATION_ID = 0x47504B47  # 'GPKG'
GPKG_USER_VERSION = 10200  # GeoPackage 1.2: read by GDAL 3.2+ (QGIS 3.22) without warnings
COLUMNS = ("fid", "entry", "logged_at", "run_id", "patch_id", "status", "data", "prev_hash", "hash")
FIGURES = ("monitor_m2", "geom_m2", "remain_m2", "remain_rt", "largest_m2", "remnants")


# -- canonical content and hashes -----------------------------------------------------------------
def plain(value: Any) -> Any:
    """JSON-safe, machine-independent values: numpy scalars to Python, non-finite floats to None."""
    kind = type(value)
    if value is None or kind is str or kind is int or kind is bool:  # the common case, first
        return value
    if kind is float:
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).hex()
    if isinstance(value, Enum):
        return plain(value.value)
    if isinstance(value, float):  # numpy.float64 among others
        return plain(float(value))
    if isinstance(value, str):
        return str(value)
    if hasattr(value, "item"):  # other numpy scalars
        return plain(value.item())
    return str(value)


# What json.dumps with these arguments builds on every call, built once (a log of 100 000 decisions
# is 300 000 encodings): the same text, byte for byte.
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
_ROW = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_PLAIN_TYPES = frozenset((str, int, bool, type(None)))


def canonical(value: Any) -> str:
    return _CANONICAL.encode(plain(value))


def canonical_plain(values: Sequence[Any]) -> str | None:
    """canonical(list(values)) when every value is plain already (str, int, bool, None, finite
    float: a layer's attributes as read through GDAL), without a call per value; else None."""
    for value in values:
        kind = type(value)
        if kind is float:
            if not math.isfinite(value):
                return None
        elif kind not in _PLAIN_TYPES:
            return None
    return _CANONICAL.encode(list(values))


def entry_hash(seq: int, entry: str, logged_at: str, run_id, patch_id, status, data: str, prev_hash: str) -> str:
    """The hash of one row: every column as stored (data is hashed as its exact text)."""
    body = _ROW.encode([seq, entry, logged_at, run_id, patch_id, status, data, prev_hash])
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


# -- who and which version ------------------------------------------------------------------------
def who(name: str | None = None) -> dict[str, str | None]:
    """The OS login, and the person's name once the dock has asked for it."""
    try:
        login = getpass.getuser()
    except Exception:
        login = os.environ.get("USERNAME") or os.environ.get("USER")
    return {"login": login, "name": (name or "").strip() or None}


def plugin_version() -> str | None:
    metadata = Path(__file__).resolve().parents[1] / "metadata.txt"
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(metadata, encoding="utf-8")
        return parser.get("general", "version")
    except (configparser.Error, OSError):
        return None


def now_text() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


# -- the GeoPackage -------------------------------------------------------------------------------
_WGS84_WKT = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],'
    'AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],'
    'UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]'
)
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES
  ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
  ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
  ('WGS 84 geodetic', 4326, 'EPSG', 4326, '{_WGS84_WKT}', 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
CREATE TABLE IF NOT EXISTS gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
  description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE IF NOT EXISTS gpkg_geometry_columns (
  table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
CREATE TABLE {AUDIT_TABLE} (
  fid INTEGER PRIMARY KEY, entry TEXT NOT NULL, logged_at TEXT NOT NULL, run_id TEXT, patch_id TEXT,
  status TEXT, data TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE INDEX {AUDIT_TABLE}_patch ON {AUDIT_TABLE}(patch_id);
CREATE INDEX {AUDIT_TABLE}_run ON {AUDIT_TABLE}(run_id);
-- Append-only against slips (an edit session in QGIS); deliberate tampering is what the hashes catch.
CREATE TRIGGER {AUDIT_TABLE}_no_update BEFORE UPDATE ON {AUDIT_TABLE}
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER {AUDIT_TABLE}_no_delete BEFORE DELETE ON {AUDIT_TABLE}
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
INSERT INTO gpkg_contents (table_name, data_type, identifier, description)
  VALUES ('{AUDIT_TABLE}', 'attributes', '{AUDIT_TABLE}', '拆除核查审计日志 Demolition Verifier audit log (hash chain)');
"""


def _connect(path: str | os.PathLike) -> sqlite3.Connection:
    # isolation_level=None: transactions are ours (BEGIN IMMEDIATE), not the module's implicit ones.
    connection = sqlite3.connect(os.fspath(path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
    connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    return connection


def _has_table(connection: sqlite3.Connection) -> bool:
    row = connection.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (AUDIT_TABLE,)).fetchone()
    return row is not None


def _create(connection: sqlite3.Connection) -> None:
    """Inside the caller's write transaction, so two sessions creating one log at once cannot race."""
    if connection.execute("PRAGMA application_id").fetchone()[0] != GPKG_APPLICATION_ID:
        connection.execute(f"PRAGMA application_id = {GPKG_APPLICATION_ID}")
        connection.execute(f"PRAGMA user_version = {GPKG_USER_VERSION}")
    for statement in _SCHEMA.split(";\n"):
        if statement.strip():
            connection.execute(statement)


def _open_existing(path: str | os.PathLike) -> sqlite3.Connection:
    """A log to read: refused, in the user's words, when it is missing or not an audit log."""
    if not os.path.isfile(path):
        raise Refusal("audit_log_missing", path=os.fspath(path))
    connection = _connect(path)
    try:
        if not _has_table(connection):
            raise Refusal("audit_log_invalid", path=os.fspath(path), detail=f"no table {AUDIT_TABLE}")
        names = [row[1] for row in connection.execute(f"PRAGMA table_info({AUDIT_TABLE})")]
        if tuple(names) != COLUMNS:
            raise Refusal("audit_log_invalid", path=os.fspath(path), detail="columns " + ", ".join(names))
    except sqlite3.DatabaseError as error:
        connection.close()
        raise Refusal("audit_log_invalid", path=os.fspath(path), detail=str(error)) from None
    except Refusal:
        connection.close()
        raise
    return connection


def check_target(path: str | os.PathLike) -> None:
    """Refuses, before a run, a log it could not append to: another kind of file, or a folder
    that cannot be written. A missing or empty file is fine: the log is created."""
    if os.path.isfile(path) and os.path.getsize(path) > 0:
        _open_existing(path).close()
        if not os.access(path, os.W_OK):
            raise Refusal("audit_log_unwritable", path=os.fspath(path), detail="read-only")
        return
    folder = os.path.dirname(os.path.abspath(path))
    while not os.path.isdir(folder):  # the nearest existing ancestor must take a new folder
        folder = os.path.dirname(folder)
    if not os.access(folder, os.W_OK):
        raise Refusal("audit_log_unwritable", path=os.fspath(path), detail=f"{folder}: read-only")


# -- appending ------------------------------------------------------------------------------------
@dataclass
class NewEntry:
    entry: str
    data: dict[str, Any]
    run_id: str | None = None
    patch_id: str | None = None
    status: str | None = None
    text: str | None = None  # canonical(data), where the caller made it already


@dataclass(frozen=True)
class Appended:
    first: int  # sequence number of the first entry appended
    last: int
    head: str  # the chain's head hash after the append


def append(path: str | os.PathLike, entries: Iterable[NewEntry]) -> Appended:
    """Appends entries in one transaction, creating the log if absent. BEGIN IMMEDIATE takes the
    write lock before the head is read, so concurrent appenders queue and each extends the other."""
    entries = list(entries)
    folder = os.path.dirname(os.path.abspath(path))
    try:
        os.makedirs(folder, exist_ok=True)
        connection = _connect(path)
    except (OSError, sqlite3.Error) as error:
        raise Refusal("audit_log_unwritable", path=os.fspath(path), detail=str(error)) from None
    try:
        connection.execute("BEGIN IMMEDIATE")
        if not _has_table(connection):
            _create(connection)
        last = connection.execute(f"SELECT fid, hash FROM {AUDIT_TABLE} ORDER BY fid DESC LIMIT 1").fetchone()
        seq, prev = (last[0], last[1]) if last else (0, GENESIS)
        first = seq + 1
        logged_at = now_text()
        rows = []
        for new in entries:
            seq += 1
            data = new.text if new.text is not None else canonical(new.data)
            digest = entry_hash(seq, new.entry, logged_at, new.run_id, new.patch_id, new.status, data, prev)
            rows.append((seq, new.entry, logged_at, new.run_id, new.patch_id, new.status, data, prev, digest))
            prev = digest
        connection.executemany(f"INSERT INTO {AUDIT_TABLE} VALUES (?,?,?,?,?,?,?,?,?)", rows)
        connection.execute(
            "UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name = ?",
            (AUDIT_TABLE,),
        )
        connection.execute("COMMIT")
    except sqlite3.Error as error:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise Refusal("audit_log_unwritable", path=os.fspath(path), detail=str(error)) from None
    finally:
        connection.close()
    return Appended(first, seq, prev)


def decisions_from_result(result) -> list[NewEntry]:
    """One decision entry per patch of an engine Result (core.engine.Result). The columns are made
    plain once, as whole arrays, so each entry's canonical text is one encoding."""
    figures = [_plain_column(getattr(result, name)) for name in FIGURES]
    townships = [plain(t) for t in result.township]
    reasons = [plain(r) for r in result.reasons]
    statuses = [str(s) for s in result.status]
    entries = []
    for i, values in enumerate(zip(*figures)):
        data = {"reasons": reasons[i], "township": townships[i], **dict(zip(FIGURES, values))}
        entries.append(
            NewEntry(
                AuditEntry.DECISION.value, data, result.run_id, result.patch_id[i], statuses[i], _CANONICAL.encode(data)
            )
        )
    return entries


def _plain_column(values) -> list:
    """plain() over a column: a numpy array's numbers to Python at once, non-finite ones to None."""
    kind = getattr(getattr(values, "dtype", None), "kind", None)
    if kind in ("i", "u", "b"):
        return values.tolist()
    if kind == "f":
        return [v if math.isfinite(v) else None for v in values.tolist()]
    return [plain(v) for v in values]


def append_run(
    path: str | os.PathLike,
    result,
    inputs: dict[str, dict[str, Any]],
    parameters: dict[str, Any],
    kind: RunKind = RunKind.VERIFY,
    user_name: str | None = None,
    qgis_version: str | None = None,
) -> Appended:
    """A verify run (or a re-check) and every patch's decision in it.

    inputs: per input parameter, {"source", "features", "content_hash", "hashed"} from the adapter.
    """
    run = {
        "kind": RunKind(kind).value,
        "checked_at": result.checked_at,
        "who": who(user_name),
        "plugin_version": plugin_version(),
        "qgis_version": qgis_version,
        "inputs": inputs,
        "parameters": parameters,
        "counts": result.counts(),
        "patches": len(result),
    }
    return append(path, [NewEntry(AuditEntry.RUN.value, run, result.run_id), *decisions_from_result(result)])


def append_sample(
    path: str | os.PathLike,
    sample: dict[str, Any],
    run_id: str | None = None,
    user_name: str | None = None,
    qgis_version: str | None = None,
) -> Appended:
    """A spot-check draw: seed, parameters, input, drawn ids (run_id: the verify run sampled)."""
    data = dict(sample, who=who(user_name), plugin_version=plugin_version(), qgis_version=qgis_version)
    return append(path, [NewEntry(AuditEntry.SAMPLE.value, data, run_id)])


def mark_patch(
    path: str | os.PathLike,
    patch_id: str,
    mark: Mark | str,
    note: str,
    new_status: Status | str | None = None,
    user_name: str | None = None,
) -> Appended:
    """An auditor's mark: 存疑 disputed, 维持 upheld, or 改判 overturned (with the new status)."""
    mark = Mark(mark)
    valid = ", ".join(s.value for s in Status)
    if not (note or "").strip():
        raise Refusal("mark_note_required")
    if mark is Mark.OVERTURNED:
        try:
            new_status = Status(new_status).value
        except ValueError:
            raise Refusal("mark_new_status", valid=valid) from None
    else:
        new_status = None
    state = patch_state(path, patch_id) if os.path.isfile(path) else None
    if state is None:
        raise Refusal("mark_unknown_patch", patch=patch_id)
    # Patches sharing an id share one history: a mark would land on all of them, across townships.
    sharing = _decisions_in_run(path, patch_id, state.run_id)
    if sharing > 1:
        raise Refusal("mark_duplicate_id", patch=patch_id, count=sharing)
    data = {
        "mark": mark.value,
        "new_status": new_status,
        "note": note.strip(),
        "who": who(user_name),
        "computed_status": state.computed_status,
        "decided_in": state.run_id,  # the run whose figures the mark judges
    }
    return append(path, [NewEntry(AuditEntry.MARK.value, data, state.run_id, str(patch_id), mark.value)])


def _decisions_in_run(path: str | os.PathLike, patch_id: str, run_id: str | None) -> int:
    connection = _open_existing(path)
    try:
        return connection.execute(
            f"SELECT COUNT(*) FROM {AUDIT_TABLE} WHERE patch_id = ? AND run_id IS ? AND entry = ?",
            (str(patch_id), run_id, AuditEntry.DECISION.value),
        ).fetchone()[0]
    finally:
        connection.close()


# -- reading --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Entry:
    seq: int
    entry: str
    logged_at: str
    run_id: str | None
    patch_id: str | None
    status: str | None
    data: dict[str, Any]
    prev_hash: str
    hash: str


def _entry(row: Sequence) -> Entry:
    return Entry(row[0], row[1], row[2], row[3], row[4], row[5], json.loads(row[6]), row[7], row[8])


def entries(path: str | os.PathLike, kinds: Iterable[str] | None = None) -> list[Entry]:
    connection = _open_existing(path)
    try:
        sql = f"SELECT {', '.join(COLUMNS)} FROM {AUDIT_TABLE}"
        args: tuple = ()
        if kinds is not None:
            kinds = [AuditEntry(k).value for k in kinds]
            sql += f" WHERE entry IN ({','.join('?' * len(kinds))})"
            args = tuple(kinds)
        return [_entry(row) for row in connection.execute(sql + " ORDER BY fid", args)]
    finally:
        connection.close()


@dataclass(frozen=True)
class ChainCheck:
    valid: bool
    entries: int
    first_broken: int  # sequence number where the chain first goes wrong; -1 when none
    head: str  # hash of the last entry (GENESIS for an empty log)
    anchor: int = -1  # sequence number of the entry whose hash is expected_head; -1 when not found


def _is_hex(text: str) -> bool:
    return all(c in "0123456789abcdef" for c in text)


def normalise_head(expected: str | None) -> str | None:
    """A head hash as typed from paper: case and spaces ignored; at least its first 16 digits."""
    if expected is None:
        return None
    text = "".join(expected.split()).lower()
    if not text:
        return None
    if len(text) < 16 or len(text) > 64 or not _is_hex(text):
        raise Refusal("audit_anchor_malformed", expected=expected)
    return text


def verify_chain(path: str | os.PathLike, expected_head: str | None = None) -> ChainCheck:
    """Recomputes every entry's hash. An intact chain that does not contain `expected_head` (a head
    kept on paper) is not valid either: its tail was deleted or the chain rewritten. A head from an
    earlier run is found inside a longer chain: later runs append, they do not invalidate it."""
    expected = normalise_head(expected_head)
    connection = _open_existing(path)
    count, prev, broken, anchor = 0, GENESIS, -1, -1
    try:
        cursor = connection.execute(f"SELECT {', '.join(COLUMNS)} FROM {AUDIT_TABLE} ORDER BY fid")
        for row in cursor:
            count += 1
            seq = count
            if broken < 0 and not _row_is_sound(row, seq, prev):
                broken = seq
            prev = row[8] if isinstance(row[8], str) else ""
            if expected and prev.startswith(expected) and broken < 0:
                anchor = seq
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
    return ChainCheck(broken < 0, count, broken, head, anchor)


def _row_is_sound(row: Sequence, seq: int, prev: str) -> bool:
    fid, entry, logged_at, run_id, patch_id, status, data, prev_hash, digest = row
    if fid != seq or prev_hash != prev or not isinstance(data, str) or not isinstance(entry, str):
        return False
    if not isinstance(logged_at, str) or not all(v is None or isinstance(v, str) for v in (run_id, patch_id, status)):
        return False
    return digest == entry_hash(seq, entry, logged_at, run_id, patch_id, status, data, prev_hash)


def head_after_run(path: str | os.PathLike, run_id: str) -> str | None:
    """The head hash right after a run's entries were appended: what its report and maps print."""
    connection = _open_existing(path)
    try:
        row = connection.execute(
            f"SELECT hash FROM {AUDIT_TABLE} WHERE run_id = ? AND entry IN (?, ?) ORDER BY fid DESC LIMIT 1",
            (run_id, AuditEntry.RUN.value, AuditEntry.DECISION.value),
        ).fetchone()
    finally:
        connection.close()
    return row[0] if row else None


# -- patches: history and final status ------------------------------------------------------------
def history(path: str | os.PathLike, patch_id: str) -> list[Entry]:
    """A patch's decisions across runs, the marks on it and the spot-check draws that drew it."""
    patch_id = str(patch_id)
    connection = _open_existing(path)
    try:
        rows = connection.execute(
            f"SELECT {', '.join(COLUMNS)} FROM {AUDIT_TABLE} WHERE patch_id = ? OR entry = ? ORDER BY fid",
            (patch_id, AuditEntry.SAMPLE.value),
        ).fetchall()
    finally:
        connection.close()
    out = []
    for row in rows:
        item = _entry(row)
        if item.entry != AuditEntry.SAMPLE.value or patch_id in item.data.get("drawn", []):
            out.append(item)
    return out


@dataclass
class PatchState:
    patch_id: str
    computed_status: str | None  # the latest run's status
    final_status: str | None  # the overturned status where an overturn stands, else the computed one
    dispute: str | None = None  # None, a Mark value, or DISPUTE_REOPENED
    note: str | None = None  # the note of the latest mark
    run_id: str | None = None  # the latest run that decided the patch
    marked_at: str | None = None
    marked_by: dict | None = None
    history: list[int] = field(default_factory=list)  # sequence numbers of its decisions and marks


_STATUS_PRECEDENCE = {Status.FAIL.value: 0, Status.UNSURVEYED.value: 1, Status.PASS.value: 2}


def _figures(item: Entry) -> tuple:
    """What a re-run must reproduce for a mark to stand; rounded so that float noise between
    machines does not re-open a settled patch."""
    data = item.data
    rounded = [
        round(data.get(n), 6 if n == "remain_rt" else 2) if isinstance(data.get(n), float) else data.get(n)
        for n in FIGURES
    ]
    return (item.status, data.get("reasons"), *rounded)


def final_statuses(path: str | os.PathLike) -> dict[str, PatchState]:
    """Per patch id: the computed and final status and where its dispute stands. An overturn (改判)
    is the final status until a later run changes the patch's figures, which re-opens it."""
    return _states(entries(path, kinds=(AuditEntry.DECISION, AuditEntry.MARK)))


def patch_state(path: str | os.PathLike, patch_id: str) -> PatchState | None:
    """final_statuses for one patch, read through the patch_id index (fast on a large log)."""
    connection = _open_existing(path)
    try:
        rows = connection.execute(
            f"SELECT {', '.join(COLUMNS)} FROM {AUDIT_TABLE} WHERE patch_id = ? AND entry IN (?, ?) ORDER BY fid",
            (str(patch_id), AuditEntry.DECISION.value, AuditEntry.MARK.value),
        ).fetchall()
    finally:
        connection.close()
    return _states([_entry(row) for row in rows]).get(str(patch_id))


def _states(items: list[Entry]) -> dict[str, PatchState]:
    # Group consecutive decisions of one run per patch (duplicate ids share one history).
    events: dict[str, list] = {}
    for item in items:
        if item.patch_id is None:
            continue
        patch_events = events.setdefault(item.patch_id, [])
        if item.entry == AuditEntry.DECISION.value:
            last = patch_events[-1] if patch_events else None
            if last and last[0] == "run" and last[1] == item.run_id:
                last[2].append(item)
            else:
                patch_events.append(["run", item.run_id, [item]])
        else:
            patch_events.append(["mark", item.run_id, [item]])
    return {patch_id: _state(patch_id, patch_events) for patch_id, patch_events in events.items()}


def _state(patch_id: str, patch_events: list) -> PatchState:
    state = PatchState(patch_id, None, None)
    figures = None
    mark_figures = None
    overturned_to = None
    for kind, run_id, group in patch_events:
        state.history.extend(i.seq for i in group)
        if kind == "run":
            figures = sorted(_figures(i) for i in group)
            state.run_id = run_id
            state.computed_status = min((i.status for i in group), key=lambda s: _STATUS_PRECEDENCE.get(s, -1))
            if state.dispute in (Mark.UPHELD.value, Mark.OVERTURNED.value) and figures != mark_figures:
                state.dispute, overturned_to = DISPUTE_REOPENED, None
        else:
            mark = group[0]
            state.dispute = mark.data.get("mark")
            state.note = mark.data.get("note")
            state.marked_at = mark.logged_at
            state.marked_by = mark.data.get("who")
            overturned_to = mark.data.get("new_status") if state.dispute == Mark.OVERTURNED.value else None
            mark_figures = figures
    state.final_status = overturned_to or state.computed_status
    return state


# -- what the report and the maps of a run print ------------------------------------------------------
def head_after_runs(path: str | os.PathLike, run_ids: Iterable[str]) -> tuple[str | None, list[str]]:
    """The head hash right after the last of these runs (it anchors them all, being later in the
    chain) and the runs the log holds no entry of. For one run the head is head_after_run's."""
    wanted = [r for r in dict.fromkeys(run_ids) if r]
    if not wanted:
        return None, []
    connection = _open_existing(path)
    try:
        marks = ",".join("?" * len(wanted))
        rows = connection.execute(
            f"SELECT run_id, MAX(fid) FROM {AUDIT_TABLE} WHERE run_id IN ({marks}) AND entry IN (?, ?) GROUP BY run_id",
            (*wanted, AuditEntry.RUN.value, AuditEntry.DECISION.value),
        ).fetchall()
        last = {run_id: fid for run_id, fid in rows}
        head = None
        if last:
            head = connection.execute(
                f"SELECT hash FROM {AUDIT_TABLE} WHERE fid = ?", (max(last.values()),)
            ).fetchone()[0]
    finally:
        connection.close()
    return head, [r for r in wanted if r not in last]


@dataclass
class RunStanding:
    """What the log says about the patches of a run's output (see standing_states)."""

    states: dict[str, PatchState]  # patch id -> its state, where it stands for the run's figures
    superseded: list[str]  # marked patches a later run decided with other figures: not applied
    unlogged: list[str]  # patches the log holds no decision of in their run
    differing: list[str]  # patches whose status differs from the log's decision in their run


def standing_states(path: str | os.PathLike, decided: Iterable[tuple[str, str, str]]) -> RunStanding:
    """For the rows of a verify output, (patch_id, run_id, status) each: the dispute state and final
    status that stand for them. A patch's state applies when its latest run in the log is the row's
    run, or a later run reproduced the row's figures (a mark stands until the figures change).
    A row whose status is not the log's decision of its run was changed after the run. Rows
    without a patch id are left out: nothing in the log can be matched to them."""
    items = entries(path, kinds=(AuditEntry.DECISION, AuditEntry.MARK))
    states = _states(items)
    figures: dict[tuple[str, str | None], list] = {}
    statuses: dict[tuple[str, str | None], set] = {}
    for item in items:
        if item.entry == AuditEntry.DECISION.value and item.patch_id is not None:
            figures.setdefault((item.patch_id, item.run_id), []).append(_figures(item))
            statuses.setdefault((item.patch_id, item.run_id), set()).add(item.status)
    out = RunStanding({}, [], [], [])
    for patch_id, run_id, status in decided:
        if patch_id is None or patch_id == "":  # a patch without an id has no history to match
            continue
        patch_id = str(patch_id)
        key = (patch_id, run_id)
        if key not in figures:
            out.unlogged.append(patch_id)
            continue
        if status not in statuses[key]:
            out.differing.append(patch_id)
            continue
        state = states[patch_id]
        if state.run_id == run_id or sorted(figures[key]) == sorted(figures.get((patch_id, state.run_id), [])):
            out.states[patch_id] = state
        elif state.dispute is not None:
            out.superseded.append(patch_id)
    return out


# -- does a verify output still say what its run decided? ---------------------------------------------
def _run_blocks(connection: sqlite3.Connection, run_ids: Iterable[str]) -> dict[str, tuple[int, int]]:
    """Per run id, the fids of the run's own entries: its first RUN entry and the decisions appended
    with it in the same transaction. Entries appended later under the same run id (a forged copy of
    the run) are not the run's: the head after the run and its decisions come from this block only."""
    blocks = {}
    for run_id in dict.fromkeys(r for r in run_ids if r):
        row = connection.execute(
            f"SELECT fid, data FROM {AUDIT_TABLE} WHERE run_id = ? AND entry = ? ORDER BY fid LIMIT 1",
            (run_id, AuditEntry.RUN.value),
        ).fetchone()
        if row is None:
            continue
        patches = int(json.loads(row[1]).get("patches") or 0)
        blocks[run_id] = (row[0], row[0] + patches)
    return blocks


def _row_key(patch_id, township, status, reasons) -> tuple:
    return (patch_id or None, township or None, status, reasons or "")


# How far a written figure may sit from the logged one: writers round reals to 6 decimals, each in
# its own way (QGIS half away from zero, numpy half to even, a memory layer not at all), so figures
# are compared within a tolerance, never by rounding both (a value on a tie rounds apart).
FIGURE_TOLERANCE = {"remain_rt": 1e-6, "remnants": 0}
AREA_TOLERANCE_M2 = 0.005


def _same_figures(logged: Sequence, written: Sequence) -> bool:
    for name, a, b in zip(FIGURES, logged, written):
        if a is None or b is None or isinstance(a, bool) or isinstance(b, bool):
            if a != b:
                return False
            continue
        try:
            if abs(float(a) - float(b)) > FIGURE_TOLERANCE.get(name, AREA_TOLERANCE_M2) + 1e-9:
                return False
        except (TypeError, ValueError):
            return False
    return True


@dataclass
class OutputCheck:
    head: str | None  # the head right after the last of the runs' own blocks
    missing_runs: list[str]  # run ids the log holds no run of
    changed: list[str]  # ids of rows that are not a decision of their run (edited, added, duplicated)
    dropped: list[str]  # ids of decisions whose patch is nowhere in the rows (deleted rows)


def check_output(path: str | os.PathLike, rows: Iterable[tuple], complete: bool = False) -> OutputCheck:
    """rows: (patch_id, run_id, township, status, reasons, (monitor_m2, geom_m2, remain_m2, remain_rt,
    largest_m2, remnants)) of a verify output. Each row must be one decision of its run, used once,
    with the same township, status, reasons and figures (areas within 0.005 m², the ratio within 1e-6,
    whichever way a writer rounded them); with `complete`, every decision
    of those runs must still have its patch among the rows. So a paper head is never printed over
    figures the log does not hold."""
    rows = list(rows)
    connection = _open_existing(path)
    try:
        blocks = _run_blocks(connection, (r[1] for r in rows))
        decisions: dict[str, list[Entry]] = {}
        for run_id, (first, last) in blocks.items():
            found = connection.execute(
                f"SELECT {', '.join(COLUMNS)} FROM {AUDIT_TABLE} WHERE fid > ? AND fid <= ? AND run_id = ? AND entry = ?",
                (first, last, run_id, AuditEntry.DECISION.value),
            ).fetchall()
            decisions[run_id] = [_entry(row) for row in found]
        head = None
        if blocks:
            head = connection.execute(
                f"SELECT hash FROM {AUDIT_TABLE} WHERE fid = ?", (max(last for _first, last in blocks.values()),)
            ).fetchone()[0]
    finally:
        connection.close()
    wanted = list(dict.fromkeys(r[1] for r in rows if r[1]))
    out = OutputCheck(head, [r for r in wanted if r not in blocks], [], [])
    for run_id, entries_of_run in decisions.items():
        left: dict[tuple, list] = {}  # decisions not matched yet: their figures, by key
        for item in entries_of_run:
            data = item.data
            key = _row_key(item.patch_id, data.get("township"), item.status, data.get("reasons"))
            left.setdefault(key, []).append([data.get(n) for n in FIGURES])
        for patch_id, row_run, township, status, reasons, figures in rows:
            if row_run != run_id:
                continue
            candidates = left.get(_row_key(patch_id, township, status, reasons), [])
            match = next((k for k, logged in enumerate(candidates) if _same_figures(logged, figures)), None)
            if match is None:
                out.changed.append(str(patch_id or "?"))
            else:
                candidates.pop(match)  # each decision is used once
        if complete:
            present = {(r[0] or None, r[2] or None) for r in rows}
            for key, unmatched in left.items():
                if unmatched and (key[0], key[1]) not in present:
                    out.dropped.append(str(key[0] or "?"))
    return out
