"""The progress bulletin (进度通报): each township's completion at a moment, its rank and how the rank
moved, what was newly completed, what waits for checking, and completion over time. Read from the
campaign's audit log; the state at a moment is what was logged at or before it, so a bulletin at a
past moment is the same whatever ran since. Completion is the engine's own township summary
(core.summary.township_summary) over each task patch's final status (core.audit's state machine:
overturns count): by monitored area, no partial credit. No QGIS here."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

import numpy as np

from . import audit
from .campaign import (
    CHINA,
    Campaign,
    Logged,
    apply_entry,
    campaign_at,
    china_now,
    log_time,
    logged_applications,
    logged_seconds,
    norm_id,
    require_campaign,
    shown_time,
)
from .definitions import AuditEntry, Status
from .messages import Refusal
from .summary import SummaryRow, township_summary
from .words import TOTAL_ROW, UNNAMED_TOWNSHIP

DEFAULT_COMPARE = timedelta(hours=24)

# The figures of OUTPUT_TABLE, in its order: (name, kind).
BULLETIN_FIELDS: tuple[tuple[str, str], ...] = (
    ("township", "text"),
    ("rank", "int"),
    ("rank_prev", "int"),
    ("patches", "int"),
    ("task_m2", "real"),
    ("applied", "int"),
    ("pending", "int"),
    ("passed", "int"),
    ("failed", "int"),
    ("unsurveyed", "int"),
    ("passed_m2", "real"),
    ("done_area", "real"),
    ("done_count", "real"),
    ("new_passed", "int"),
    ("new_pass_m2", "real"),
)


@dataclass
class BulletinRow:
    township: str
    rank: int | None
    rank_prev: int | None
    patches: int
    task_m2: float
    applied: int
    pending: int
    passed: int
    failed: int
    unsurveyed: int
    passed_m2: float
    done_area: float
    done_count: float
    new_passed: int
    new_pass_m2: float
    gap_m2: float | None = None  # to TARGET (by area), where the campaign has one

    def values(self) -> list:
        return [getattr(self, name) for name, _kind in BULLETIN_FIELDS]

    @property
    def is_total(self) -> bool:
        return self.township == TOTAL_ROW and self.rank is None


@dataclass
class SeriesPoint:
    at: datetime
    done_area: dict[str, float]  # township -> completion by area; TOTAL_ROW for the county


@dataclass
class Bulletin:
    campaign: Campaign  # as it stood at AS_OF
    as_of: datetime
    compare_to: datetime
    previous_as_of: datetime | None  # AS_OF of the previous bulletin, when COMPARE_TO came from it
    rows: list[BulletinRow]  # ranked townships, then 合计
    head: str  # the log's head hash the figures were read from
    entries: int
    series: list[SeriesPoint] = field(default_factory=list)

    @property
    def total(self) -> BulletinRow:
        return self.rows[-1]

    def entry_data(self) -> dict:
        """What the bulletin's own log entry holds: its moments and its figures."""
        return {
            "campaign_id": self.campaign.campaign_id,
            "as_of": log_time(self.as_of),
            "compare_to": log_time(self.compare_to),
            "computed_over": {"head": self.head, "entries": self.entries},
            "fields": [name for name, _kind in BULLETIN_FIELDS],
            "rows": [row.values() for row in self.rows],
        }


# -- the ledger -------------------------------------------------------------------------------------
class _Snapshot:
    """The task list in force from one moment on, as arrays over the ledger's patch index."""

    def __init__(self, at: int, campaign: Campaign, index: dict[str, int]) -> None:
        self.at = at
        self.campaign = campaign
        tasks = list(campaign.tasks.values())
        self.members = np.array([index[t.patch_id] for t in tasks], dtype=np.int64)
        self.townships = [t.township for t in tasks]
        self.names = np.array([t.township or UNNAMED_TOWNSHIP for t in tasks], dtype=object)
        self.monitor_m2 = np.array([t.monitor_m2 for t in tasks], dtype=float)


class Ledger:
    """A campaign's audit log, read once: the campaign and its amendments, the decisions (without
    their figures), the marks and the decisions of marked patches, the applications, the bulletins."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = os.fspath(path)
        kinds = (
            AuditEntry.CAMPAIGN,
            AuditEntry.AMENDMENT,
            AuditEntry.APPLICATION,
            AuditEntry.BULLETIN,
            AuditEntry.MARK,
        )
        # one pass: the chain checked, these entries kept whole and the decisions without their figures
        read = audit.read_log(path, kinds=[k.value for k in kinds], brief_kinds=(AuditEntry.DECISION.value,))
        check = read.check
        if not check.valid:  # as require_sound: no figures from a broken log
            raise Refusal("campaign_log_broken", path=self.path, seq=check.first_broken)
        self.head, self.entries = check.head, check.entries
        items = [audit.entry_of(row) for row in read.rows]
        self.campaign_items = [i for i in items if i.entry in (AuditEntry.CAMPAIGN.value, AuditEntry.AMENDMENT.value)]
        require_campaign(path, [i for i in self.campaign_items if i.entry == AuditEntry.CAMPAIGN.value])
        self.applications: list[Logged] = logged_applications(items)
        self.bulletins = [i for i in items if i.entry == AuditEntry.BULLETIN.value]
        marks = [i for i in items if i.entry == AuditEntry.MARK.value]
        # every patch id the task list ever held, in one index
        self.index: dict[str, int] = {}
        for item in self.campaign_items:
            for row in item.data.get("tasks", []) + item.data.get("added", []) + item.data.get("changed", []):
                self.index.setdefault(row[0], len(self.index))
        self._snapshots = self._timeline()
        self.campaign = self._snapshots[-1].campaign
        self._blocks = self._decision_blocks(read.brief)
        marked = sorted({m.patch_id for m in marks if m.patch_id is not None})
        events = audit.entries(path, kinds=(AuditEntry.DECISION, AuditEntry.MARK), patch_ids=marked) if marked else []
        # marked patches go through core.audit's own state machine, under their normalised ids
        self._marked_events = [(logged_seconds(e.logged_at), replace(e, patch_id=norm_id(e.patch_id))) for e in events]
        self._marked = {norm_id(p) for p in marked}

    def _timeline(self) -> list[_Snapshot]:
        out: list[_Snapshot] = []
        campaign = None
        for item in self.campaign_items:
            if item.entry == AuditEntry.AMENDMENT.value and campaign is None:
                continue
            campaign = campaign_at([item]) if campaign is None else _amended(campaign, item)
            assert campaign is not None, "a campaign entry starts the timeline"
            out.append(_Snapshot(logged_seconds(item.logged_at), campaign, self.index))
        return out

    def campaign_at(self, at: int) -> _Snapshot | None:
        """The task list and deadlines in force at `at`: every campaign entry logged at or before it."""
        if all(a.at <= b.at for a, b in zip(self._snapshots, self._snapshots[1:])):
            found = None
            for snapshot in self._snapshots:
                if snapshot.at <= at:
                    found = snapshot
            return found
        campaign = campaign_at(self.campaign_items, at)  # a clock that went back: fold what counts, in log order
        return None if campaign is None else _Snapshot(at, campaign, self.index)

    def _decision_blocks(self, rows) -> list[tuple[int, list[tuple[int, str]]]]:
        """Decisions grouped as appended (one run, one time), each as (task index, status)."""
        blocks: list[tuple[int, list[tuple[int, str]]]] = []
        key = None
        members: dict[str, int] = {}
        for _fid, logged_at, run_id, patch_id, status in rows:
            task = members.get(patch_id)
            if task is None:
                task = members[patch_id] = self.index.get(norm_id(patch_id), -1)
            if (run_id, logged_at) != key:
                key = (run_id, logged_at)
                blocks.append((logged_seconds(logged_at), []))
            if task >= 0:
                blocks[-1][1].append((task, status))
        return blocks

    # -- the state at a moment ---------------------------------------------------------------------
    def states(self, moments: list[int]) -> dict[int, tuple[np.ndarray, np.ndarray]]:
        """Per moment: each indexed patch's final status (None: never verified) and the epoch seconds
        of its latest decision (-1), from what was logged at or before the moment."""
        n = len(self.index)
        precedence = audit.STATUS_PRECEDENCE
        out: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        monotone = all(a[0] <= b[0] for a, b in zip(self._blocks, self._blocks[1:]))
        status = np.full(n, None, dtype=object)
        decided = np.full(n, -1, dtype=np.int64)
        done = 0
        for moment in sorted(set(moments)):
            if not monotone:  # fold again, in log order, what was logged by then
                status, decided, done = np.full(n, None, dtype=object), np.full(n, -1, dtype=np.int64), 0
            blocks = self._blocks[done:] if monotone else self._blocks
            for at, block in blocks:
                if at > moment:
                    if monotone:
                        break
                    continue
                done += 1
                seen: set[int] = set()
                for task, value in block:
                    # patches sharing an id in one run: the lowest status stands, as in core.audit
                    if task in seen and precedence.get(value, -1) >= precedence.get(status[task], -1):
                        continue
                    seen.add(task)
                    status[task] = value
                    decided[task] = at
            final = status.copy()
            if self._marked:
                standing = audit.states_of([e for at, e in self._marked_events if at <= moment])
                for patch_id, state in standing.items():
                    marked, final_status = self.index.get(patch_id), state.final_status
                    if marked is not None and final_status is not None:
                        final[marked] = final_status
            out[moment] = (final, decided.copy())
        return out

    def previous_bulletin(self, as_of: int) -> int | None:
        """The AS_OF of the logged bulletin with the latest AS_OF strictly earlier than `as_of`."""
        earlier = [logged_seconds(b.data["as_of"]) for b in self.bulletins]
        earlier = [t for t in earlier if t < as_of]
        return max(earlier) if earlier else None

    def event_times(self, start: int, end: int) -> list[int]:
        """Every moment the figures may have changed: runs, marks, amendments, within [start, end]."""
        times = (
            {at for at, _b in self._blocks} | {at for at, _e in self._marked_events} | {s.at for s in self._snapshots}
        )
        return sorted(t for t in times if start <= t <= end)


def _amended(campaign: Campaign, item: audit.Entry) -> Campaign:
    """The next snapshot: the amendment applied to a copy (earlier snapshots stay as they were)."""
    return apply_entry(replace(campaign, tasks=dict(campaign.tasks), history=list(campaign.history)), item)


# -- the bulletin -----------------------------------------------------------------------------------
def task_statuses(snapshot: _Snapshot, final: np.ndarray, decided: np.ndarray) -> np.ndarray:
    """Each task patch's final status at the moment of `final`/`decided` (Ledger.states), in the
    snapshot's task order: a patch never verified by then is unsurveyed."""
    status = final[snapshot.members]  # a copy: fancy indexing
    status[decided[snapshot.members] < 0] = Status.UNSURVEYED.value  # never verified by then
    return status


def _summary(snapshot: _Snapshot | None, final: np.ndarray, decided: np.ndarray) -> list[SummaryRow]:
    if snapshot is None or not len(snapshot.members):
        return []
    return township_summary(snapshot.townships, task_statuses(snapshot, final, decided), snapshot.monitor_m2)


task_summary = _summary  # the ranked township summary at a moment (the accountability list sorts by it)


def compute_bulletin(
    ledger: Ledger, as_of: datetime | None = None, compare_to: datetime | None = None, with_series: bool = True
) -> Bulletin:
    now = china_now()
    as_of = as_of or now
    at = int(as_of.timestamp())
    first = min(s.at for s in ledger._snapshots)
    if at < first:
        raise Refusal("as_of_before_campaign", as_of=shown_time(as_of), defined=shown_time(_from_seconds(first)))
    if as_of > now:
        raise Refusal("as_of_future", as_of=shown_time(as_of), now=shown_time(now))
    previous = None
    if compare_to is None:
        previous = ledger.previous_bulletin(at)
        compare_to = _from_seconds(previous) if previous is not None else as_of - DEFAULT_COMPARE
    before = int(compare_to.timestamp())
    if before >= at:
        raise Refusal("compare_not_before", compare_to=shown_time(compare_to), as_of=shown_time(as_of))
    moments = [before, at]
    if with_series:
        moments += ledger.event_times(first, at)
    states = ledger.states(moments)
    snapshot = ledger.campaign_at(at)
    assert snapshot is not None
    earlier = ledger.campaign_at(before)
    final, decided = states[at]
    final_prev, _ = states[before]
    summaries = {at: _summary(snapshot, final, decided), before: _summary(earlier, final_prev, states[before][1])}
    rows = _rows(ledger, snapshot, final, decided, final_prev, earlier, at, summaries[at], summaries[before])
    series = []
    if with_series:
        for moment in sorted(set(moments) - {before} | {at}):
            if moment < first:
                continue
            summary = summaries.get(moment)
            if summary is None:
                summary = _summary(ledger.campaign_at(moment), *states[moment])
            series.append(SeriesPoint(_from_seconds(moment), {r.township: r.done_area for r in summary}))
    return Bulletin(
        snapshot.campaign,
        as_of,
        compare_to,
        _from_seconds(previous) if previous is not None else None,
        rows,
        ledger.head,
        ledger.entries,
        series,
    )


def _from_seconds(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, CHINA)


def _rows(ledger, snapshot, final, decided, final_prev, earlier, at: int, summary, summary_prev) -> list[BulletinRow]:
    ranks_prev = {r.township: r.rank for r in summary_prev if r.rank is not None}
    members = snapshot.members
    latest: dict[str, int] = {}
    for item in ledger.applications:  # the latest accepted application of each patch, recorded by AS_OF
        if item.accepted and item.recorded <= at and item.since > latest.get(item.patch_id, -1):
            latest[item.patch_id] = item.since
    tasks = list(snapshot.campaign.tasks)
    applied_at = np.array([latest.get(t, -1) for t in tasks], dtype=np.int64)
    applied = applied_at >= 0
    pending = applied & (decided[members] < applied_at)  # applied, and not verified since
    passed_now = final[members] == Status.PASS.value
    passed_before = final_prev[members] == Status.PASS.value
    if earlier is not None:  # a patch outside the task list then was not passed then
        then = set(earlier.campaign.tasks)
        passed_before &= np.array([t in then for t in tasks], dtype=bool)
    else:
        passed_before[:] = False
    new = passed_now & ~passed_before
    target = snapshot.campaign.target
    out = []
    for row in summary:
        total = row is summary[-1]
        member = np.ones(len(tasks), dtype=bool) if total else snapshot.names == row.township
        out.append(
            BulletinRow(
                township=row.township,
                rank=row.rank,
                rank_prev=ranks_prev.get(row.township) if row.rank is not None else None,
                patches=row.patches,
                task_m2=row.monitor_m2,
                applied=int(applied[member].sum()),
                pending=int(pending[member].sum()),
                passed=row.passed,
                failed=row.failed,
                unsurveyed=row.unsurveyed,
                passed_m2=row.passed_m2,
                done_area=row.done_area,
                done_count=row.done_count,
                new_passed=int(new[member].sum()),
                new_pass_m2=float(snapshot.monitor_m2[member & new].sum()),
                gap_m2=None if target is None else max(0.0, target * row.monitor_m2 - row.passed_m2),
            )
        )
    return out


def rank_change(row: BulletinRow) -> str:
    """较上期: ↑2 (two places up), ↓1, – (unchanged); empty without a previous rank."""
    if row.rank is None or row.rank_prev is None:
        return ""
    moved = row.rank_prev - row.rank
    return f"↑{moved}" if moved > 0 else f"↓{-moved}" if moved < 0 else "–"


def bulletin_entry(bulletin: Bulletin, outputs: dict, who: dict, versions: dict) -> audit.NewEntry:
    data = dict(bulletin.entry_data(), outputs=outputs, who=who, **versions)
    return audit.NewEntry(AuditEntry.BULLETIN.value, data)
