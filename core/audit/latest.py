"""Are the rows an export prints the latest decisions of their patches? A row is its run's decision;
the log holds every run in the order they were appended, so a patch decided again after that run (a
later verify run, the dock's re-check of some patches, or decisions appended later under the run's
own id) makes the row an older decision. Marks (存疑 / 维持 / 改判) are not decisions: they supersede
nothing. Log order decides what is later, not the times a run says it was made."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..definitions import AuditEntry
from .output_check import own_blocks
from .reading import DATA, ENTRY, FID, LOGGED_AT, PATCH_ID, RUN_ID, LogRead, parse_data


@dataclass(frozen=True)
class LaterRun:
    """A run holding the latest decision of some of the rows' patches."""

    run_id: str | None
    kind: str | None  # a RunKind value; None: decisions outside the run's own entries (appended later under its id)
    at: str  # when: the run's checked_at, else when its entries were logged
    patches: int  # how many of the rows' patches it decided last (each patch once)


@dataclass
class Latest:
    """What the log decided after the rows' runs."""

    superseded: list[str] = field(default_factory=list)  # ids of the rows a later decision of their patch supersedes
    runs: list[LaterRun] = field(default_factory=list)  # the runs of those later decisions, in log order

    def __bool__(self) -> bool:
        return bool(self.superseded)


def later_decisions(read: LogRead, rows: Iterable[tuple[str, str]]) -> Latest:
    """rows: (patch_id, run_id) of what an export prints. A row whose run is in the log is superseded
    when its patch's last decision in the log comes after that run's own entries. Rows without a patch
    id, or of a run the log does not hold, are left to check_output (nothing here to compare them with).
    read: the log as read_log read it, with its run and decision rows kept whole."""
    rows = [(str(p), r) for p, r in rows if p not in (None, "") and r]
    wanted = {p for p, _r in rows}
    decision = AuditEntry.DECISION.value
    last: dict[str, tuple] = {}  # patch id -> its latest decision row
    for row in read.rows:
        if row[ENTRY] == decision and row[PATCH_ID] in wanted:
            last[row[PATCH_ID]] = row
    blocks = own_blocks(read.rows, [*(r for _p, r in rows), *(row[RUN_ID] for row in last.values())])
    out = Latest()
    seen: set[str] = set()
    later: dict[tuple, list] = {}  # (run entry fid, run id) or (None, run id) -> [order, LaterRun's fields]
    for patch_id, run_id in rows:
        block, latest = blocks.get(run_id), last.get(patch_id)
        if block is None or latest is None:
            continue
        first, end, _run = block
        if latest[RUN_ID] == run_id and first < latest[FID] <= end:
            continue  # the row's run decided its patch last
        if latest[FID] <= first or patch_id in seen:
            continue  # the row's run never decided its patch (check_output's to refuse), or said already
        seen.add(patch_id)
        out.superseded.append(patch_id)
        own = blocks.get(latest[RUN_ID])
        if own is not None and own[0] < latest[FID] <= own[1]:
            data = parse_data(own[2][DATA])
            key: tuple = (own[0], latest[RUN_ID])
            described = [own[0], latest[RUN_ID], data.get("kind"), data.get("checked_at") or own[2][LOGGED_AT]]
        else:  # decisions appended outside any run's own entries: a forged-looking copy
            key = (None, latest[RUN_ID])
            described = [latest[FID], latest[RUN_ID], None, latest[LOGGED_AT]]
        found = later.setdefault(key, [*described, 0])
        found[4] += 1
        if described[0] < found[0]:  # the stray decision logged first names the group
            found[:4] = described
    out.runs = [LaterRun(*values[1:]) for values in sorted(later.values(), key=lambda v: v[0])]
    return out
