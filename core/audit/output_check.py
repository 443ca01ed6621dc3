"""Does a verify output still say what its run decided? The rows an export is about to print compared
with the run's logged decisions (figures within a writer's rounding)."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..definitions import AUDIT_TABLE, AuditEntry
from .evidence import EVIDENCE_KEYS
from .log import COLUMNS, FIGURES, _open_existing
from .reading import DATA, ENTRY, FID, HASH, PATCH_ID, RUN_ID, STATUS, LogRead, Row, parse_data


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


_LIMITS = tuple(FIGURE_TOLERANCE.get(name, AREA_TOLERANCE_M2) + 1e-9 for name in FIGURES)


def _same_figures(logged: Sequence, written: Sequence) -> bool:
    """Each figure within its tolerance of the logged one; a NaN is the same only as a NaN (a number
    against NaN is a figure changed, not one "within" any tolerance), an infinity only as itself."""
    for limit, a, b in zip(_LIMITS, logged, written):
        if type(a) is not float or type(b) is not float:  # (two floats, the common case, compare as they are)
            if a is None or b is None or isinstance(a, bool) or isinstance(b, bool):
                if a != b:
                    return False
                continue
            try:
                a, b = float(a), float(b)
            except (TypeError, ValueError, OverflowError):  # OverflowError: an int no double holds (10**400)
                return False
        if a != b and not abs(a - b) <= limit and (a == a or b == b):
            return False
    return True


def _same_evidence(data: dict, recomputed: dict) -> bool:
    """Every hash the export recomputed equals the decision's (its data), where the decision holds
    one (a log written before decisions covered them holds none: checked by figures alone, and said so)."""
    for k, v in recomputed.items():
        if k in EVIDENCE_KEYS and k in data and data[k] != v:
            return False
    return True


@dataclass
class OutputCheck:
    head: str | None  # the head right after the last of the runs' own blocks
    missing_runs: list[str]  # run ids the log holds no run of
    changed: list[str]  # ids of rows that are not a decision of their run (edited, added, duplicated)
    dropped: list[str]  # ids of decisions whose patch is nowhere in the rows (deleted rows)
    unhashed: list[str] = field(default_factory=list)  # rows whose decision holds no evidence hash (older logs)


def check_output(
    path: str | os.PathLike, rows: Iterable[tuple], complete: bool = False, read: LogRead | None = None
) -> OutputCheck:
    """rows: (patch_id, run_id, township, status, reasons, (monitor_m2, geom_m2, remain_m2, remain_rt,
    largest_m2, remnants)) of a verify output. Each row must be one decision of its run, used once,
    with the same township, status, reasons and figures (areas within 0.005 m², the ratio within 1e-6,
    whichever way a writer rounded them); with `complete`, every decision
    of those runs must still have its patch among the rows. So a paper head is never printed over
    figures the log does not hold. read: the log as read_log read it whole (its chain intact), so
    it is not read again."""
    rows = list(rows)
    found = _from_read(read, (r[1] for r in rows)) if read is not None and read.whole and read.check.valid else None
    if found is not None:
        return _check(rows, *found, complete)
    connection = _open_existing(path)
    try:
        blocks = _run_blocks(connection, (r[1] for r in rows))
        decisions: dict[str, list[tuple]] = {}
        for run_id, (first, last) in blocks.items():
            found = connection.execute(  # type: ignore[assignment]
                f"SELECT {', '.join(COLUMNS)} FROM {AUDIT_TABLE} WHERE fid > ? AND fid <= ? AND run_id = ? AND entry = ?",
                (first, last, run_id, AuditEntry.DECISION.value),
            ).fetchall()
            decisions[run_id] = [(row[4], row[5], json.loads(row[6])) for row in found]  # type: ignore[attr-defined]
        head = None
        if blocks:
            head = connection.execute(
                f"SELECT hash FROM {AUDIT_TABLE} WHERE fid = ?", (max(last for _first, last in blocks.values()),)
            ).fetchone()[0]
    finally:
        connection.close()
    return _check(rows, blocks, decisions, head, complete)


def own_blocks(rows: Iterable[Row], run_ids: Iterable[str | None]) -> dict[str, tuple[int, int, Row]]:
    """_run_blocks over read rows (in log order): per run id, the fids of its own entries (its first
    RUN entry and the decisions appended with it) and that RUN entry's row."""
    wanted = dict.fromkeys(r for r in run_ids if r)
    first_run: dict[str, Row] = {}
    run_kind = AuditEntry.RUN.value
    for row in rows:
        if row[ENTRY] == run_kind and row[RUN_ID] in wanted and row[RUN_ID] not in first_run:
            first_run[row[RUN_ID]] = row
    blocks = {}
    for run_id in wanted:  # in the order _run_blocks gives them
        run_row = first_run.get(run_id)
        if run_row is not None:
            blocks[run_id] = (run_row[FID], run_row[FID] + int(json.loads(run_row[DATA]).get("patches") or 0), run_row)
    return blocks


def _from_read(read: LogRead, run_ids: Iterable[str]) -> tuple[dict, dict[str, list[tuple]], str | None] | None:
    """_run_blocks, the blocks' decisions and the head after them, from a whole read of an intact
    chain (where the row of fid n is rows[n - 1]); None for a block said to end outside the log
    (a forged run entry: left to the queries, as before)."""
    rows = read.rows
    blocks = {run_id: (first, last) for run_id, (first, last, _row) in own_blocks(rows, run_ids).items()}
    decision = AuditEntry.DECISION.value
    decisions = {
        run_id: [
            (row[PATCH_ID], row[STATUS], parse_data(row[DATA]))
            for row in rows[first:last]
            if row[RUN_ID] == run_id and row[ENTRY] == decision
        ]
        for run_id, (first, last) in blocks.items()
    }
    head = None
    if blocks:
        last = max(last for _first, last in blocks.values())
        if not 0 < last <= len(rows):
            return None
        head = rows[last - 1][HASH]
    return blocks, decisions, head


def _check(rows: list[tuple], blocks: dict, decisions: dict[str, list[tuple]], head, complete: bool) -> OutputCheck:
    """decisions: per run, its decisions as (patch_id, status, data)."""
    wanted = list(dict.fromkeys(r[1] for r in rows if r[1]))
    out = OutputCheck(head, [r for r in wanted if r not in blocks], [], [])
    for run_id, entries_of_run in decisions.items():
        left: dict[tuple, list] = {}  # the data of decisions not matched yet, by key (_row_key's, inline)
        for patch_id, status, data in entries_of_run:
            key = (patch_id or None, data.get("township") or None, status, data.get("reasons") or "")
            found = left.get(key)
            if found is None:
                left[key] = [data]
            else:
                found.append(data)
        for row in rows:
            if row[1] != run_id:
                continue
            patch_id, _run, township, status, reasons, figures = row[:6]
            evidence = (row[6] if len(row) > 6 else None) or {}
            candidates = left.get((patch_id or None, township or None, status, reasons or ""), [])
            match = None
            for k, data in enumerate(candidates):
                if _same_figures(list(map(data.get, FIGURES)), figures) and _same_evidence(data, evidence):
                    match = k
                    break
            if match is None:
                out.changed.append(str(patch_id or "?"))
            else:
                if evidence and any(k not in EVIDENCE_KEYS or k not in candidates[match] for k in evidence):
                    out.unhashed.append(str(patch_id or "?"))
                candidates.pop(match)  # each decision is used once
        unmatched = [key for key, data in left.items() if data] if complete else []
        if unmatched:
            present = {(r[0] or None, r[2] or None) for r in rows}
            for key in unmatched:
                if (key[0], key[1]) not in present:
                    out.dropped.append(str(key[0] or "?"))
    return out
