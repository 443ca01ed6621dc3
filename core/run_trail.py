"""Whether the runs a layer's rows come from are one audit trail: a verify run and the dock's
re-checks of it, recorded after it in the same log (an ordinary day's work), or a mix of runs
that deserves a warning (layers of separate runs merged by hand)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from . import audit
from .definitions import AuditEntry, RunKind


@dataclass(frozen=True)
class Trail:
    verify_run: str
    rechecks: list[str]


def one_trail(log: str | os.PathLike | None, run_ids: Sequence[str]) -> Trail | None:
    """The trail when `run_ids` are one verify run and re-checks logged after it in `log`, with no
    other verify run logged between the first and the last of them; None otherwise (a run missing
    from the log, two verify runs, a re-check logged before the run it would re-check)."""
    wanted = list(dict.fromkeys(run_ids))
    if not log or not wanted or not os.path.isfile(log):
        return None
    try:
        runs = [e for e in audit.entries(log, kinds=[AuditEntry.RUN.value])]
    except Exception:  # an unreadable log: the exports' own check says so
        return None
    seq = {e.run_id: (e.seq, e.data.get("kind")) for e in runs if e.run_id in set(wanted)}
    if set(seq) != set(wanted):
        return None
    verifies = [r for r in wanted if seq[r][1] == RunKind.VERIFY.value]
    if len(verifies) != 1:
        return None
    first = seq[verifies[0]][0]
    rechecks = [r for r in wanted if r != verifies[0]]
    if any(seq[r][1] != RunKind.RECHECK.value or seq[r][0] < first for r in rechecks):
        return None
    last = max(seq[r][0] for r in wanted)
    between = [e for e in runs if first < e.seq <= last and e.data.get("kind") == RunKind.VERIFY.value]
    if between:
        return None
    return Trail(verifies[0], sorted(rechecks, key=lambda r: seq[r][0]))
