"""The log itself: an append-only table in a GeoPackage (plain SQLite; triggers refuse UPDATE and
DELETE). Creating, appending run, decision and sample entries, reading them back, checking the chain."""

from __future__ import annotations

import configparser
import getpass
import json
import math
import os
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from ..definitions import AUDIT_TABLE, AuditEntry, RunKind
from ..messages import Refusal, said
from ..words import AUDIT_LOG_DESCRIPTION
from .chain import (
    _CANONICAL,
    GENESIS,
    canonical,
    entry_hash,
    plain,
)

CHINA_TIME = timezone(timedelta(hours=8))
BUSY_TIMEOUT_S = 60.0  # another session appending holds the write lock for well under this
GPKG_APPLICATION_ID = 0x47504B47  # 'GPKG'
GPKG_USER_VERSION = 10200  # GeoPackage 1.2: read by GDAL 3.2+ (QGIS 3.22) without warnings
COLUMNS = ("fid", "entry", "logged_at", "run_id", "patch_id", "status", "data", "prev_hash", "hash")
FIGURES = ("monitor_m2", "geom_m2", "remain_m2", "remain_rt", "largest_m2", "remnants")


# -- who and which version ------------------------------------------------------------------------
def who(name: str | None = None) -> dict[str, str | None]:
    """The OS login, and the person's name once the dock has asked for it."""
    login: str | None
    try:
        login = getpass.getuser()
    except Exception:
        login = os.environ.get("USERNAME") or os.environ.get("USER")
    return {"login": login, "name": (name or "").strip() or None}


def plugin_version() -> str | None:
    metadata = Path(__file__).resolve().parents[2] / "metadata.txt"
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(metadata, encoding="utf-8")
        return parser.get("general", "version")
    except (configparser.Error, OSError):
        return None


def now_text() -> str:
    """The log records times in China time (the campaign's deadlines are China time), to the second."""
    return datetime.now(CHINA_TIME).isoformat(timespec="seconds")


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
  VALUES ('{AUDIT_TABLE}', 'attributes', '{AUDIT_TABLE}', '{AUDIT_LOG_DESCRIPTION}');
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


def _is_empty_database(path: str | os.PathLike) -> bool:
    """An SQLite file without a single table: a log whose creation was killed (opening it rolls its
    hot journal back, leaving it empty). It is created afresh, as a missing log is."""
    try:
        connection = _connect(path)
        try:
            return connection.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0] == 0
        finally:
            connection.close()
    except sqlite3.Error:
        return False


def check_target(path: str | os.PathLike) -> None:
    """Refuses, before a run, a log it could not append to: another kind of file, or a folder
    that cannot be written. A missing or empty file is fine: the log is created."""
    if os.path.isfile(path) and os.path.getsize(path) > 0 and not _is_empty_database(path):
        _open_existing(path).close()
        if not os.access(path, os.W_OK):
            raise Refusal("audit_log_unwritable", path=os.fspath(path), detail=said("audit_log_read_only"))
        folder = os.path.dirname(os.path.abspath(path))
        if not os.access(folder, os.W_OK | os.X_OK):  # SQLite's rollback journal is a new file beside the log
            raise Refusal(
                "audit_log_unwritable", path=os.fspath(path), detail=said("audit_log_journal_denied", folder=folder)
            )
        return
    folder = os.path.dirname(os.path.abspath(path))
    while not os.path.isdir(folder):  # the nearest existing ancestor must take a new folder
        folder = os.path.dirname(folder)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise Refusal(
            "audit_log_unwritable", path=os.fspath(path), detail=said("audit_log_folder_denied", folder=folder)
        )


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


def decisions_from_result(result, evidence: dict[str, list] | None = None) -> list[NewEntry]:
    """One decision entry per patch of an engine Result (core.engine.Result). The columns are made
    plain once, as whole arrays, so each entry's canonical text is one encoding. evidence: name ->
    one value per patch (core/audit/evidence.py: the outline's and the remnants' hashes)."""
    figures = [_plain_column(getattr(result, name)) for name in FIGURES]
    townships = [plain(t) for t in result.township]
    reasons = [plain(r) for r in result.reasons]
    statuses = [str(s) for s in result.status]
    extra = sorted((evidence or {}).items())
    entries = []
    for i, values in enumerate(zip(*figures)):
        data = {"reasons": reasons[i], "township": townships[i], **dict(zip(FIGURES, values))}
        for name, column in extra:
            data[name] = column[i]
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
    outputs: dict[str, dict[str, Any]] | None = None,
    evidence: dict[str, list] | None = None,
) -> Appended:
    """A verify run (or a re-check) and every patch's decision in it.

    inputs: per input parameter, {"source", "features", "content_hash", "hashed"} from the adapter;
    outputs: per output parameter, {"destination", "sha256"} of what was written; evidence: see
    decisions_from_result.
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
    if outputs is not None:
        run["outputs"] = outputs
    return append(path, [NewEntry(AuditEntry.RUN.value, run, result.run_id), *decisions_from_result(result, evidence)])


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


def entries(
    path: str | os.PathLike, kinds: Iterable[str] | None = None, patch_ids: Iterable[str] | None = None
) -> list[Entry]:
    """Entries in log order; of these kinds only, and of these patch ids only, where given."""
    connection = _open_existing(path)
    try:
        sql = f"SELECT {', '.join(COLUMNS)} FROM {AUDIT_TABLE}"
        where: list[str] = []
        args: tuple = ()
        if kinds is not None:
            kinds = [AuditEntry(k).value for k in kinds]
            where.append(f"entry IN ({','.join('?' * len(kinds))})")
            args += tuple(kinds)
        if patch_ids is not None:
            patch_ids = [str(p) for p in patch_ids]
            if not patch_ids:
                return []
            where.append(f"patch_id IN ({','.join('?' * len(patch_ids))})")
            args += tuple(patch_ids)
        if where:
            sql += " WHERE " + " AND ".join(where)
        return [_entry(row) for row in connection.execute(sql + " ORDER BY fid", args)]
    finally:
        connection.close()


def decision_rows(path: str | os.PathLike) -> list[tuple[int, str, str | None, str | None, str | None]]:
    """Every decision as (fid, logged_at, run_id, patch_id, status), in log order, without its data:
    what a campaign's progress needs from a log of millions of decisions, read in one pass."""
    connection = _open_existing(path)
    try:
        return connection.execute(
            f"SELECT fid, logged_at, run_id, patch_id, status FROM {AUDIT_TABLE} WHERE entry = ? ORDER BY fid",
            (AuditEntry.DECISION.value,),
        ).fetchall()
    finally:
        connection.close()


@dataclass(frozen=True)
class ChainCheck:
    valid: bool
    entries: int
    first_broken: int  # sequence number where the chain first goes wrong; -1 when none
    head: str  # hash of the last entry (GENESIS for an empty log)
    anchor: int = -1  # sequence number of the entry whose hash is expected_head; -1 when not found


def verify_chain(path: str | os.PathLike, expected_head: str | None = None) -> ChainCheck:
    """Recomputes every entry's hash. An intact chain that does not contain `expected_head` (a head
    kept on paper) is not valid either: its tail was deleted or the chain rewritten. A head from an
    earlier run is found inside a longer chain: later runs append, they do not invalidate it."""
    from .reading import read_log  # one pass that keeps no rows (reading imports this module)

    return read_log(path, kinds=(), expected_head=expected_head).check


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


def chain_hashes(path: str | os.PathLike) -> list[str]:
    """Every entry's stored hash, in order (what a list of heads sent upward is checked against;
    verify_chain says whether they are sound)."""
    connection = _open_existing(path)
    try:
        return [row[0] for row in connection.execute(f"SELECT hash FROM {AUDIT_TABLE} ORDER BY fid")]
    except sqlite3.DatabaseError:
        return []
    finally:
        connection.close()
