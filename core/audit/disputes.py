"""Disputes over a patch's verdict: the auditors' marks (存疑 / 维持 / 改判), a patch's history, and the
state machine that gives each patch its final status (an overturn stands until a later run changes the
patch's figures, which re-opens it)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..definitions import AUDIT_TABLE, DISPUTE_REOPENED, AuditEntry, Mark, Reason, Status
from ..messages import Refusal
from .log import (
    COLUMNS,
    FIGURES,
    Appended,
    Entry,
    NewEntry,
    _decisions_in_run,
    _entry,
    _open_existing,
    append,
    entries,
    who,
)
from .reading import ENTRY, PATCH_ID, RUN_ID, STATUS, LogRead


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
    reasons: str | None = None  # the latest run's reason codes (of all its decisions where ids are shared)


_STATUS_PRECEDENCE = {Status.FAIL.value: 0, Status.UNSURVEYED.value: 1, Status.PASS.value: 2}
STATUS_PRECEDENCE = _STATUS_PRECEDENCE  # patches sharing an id in a run: the lowest stands (unknown: -1)


def _figures(item: Entry) -> tuple:
    """What a re-run must reproduce for a mark to stand; rounded so that float noise between
    machines does not re-open a settled patch. `rebuilt` is left out: it says what the log held
    before the run, not what the run measured, so by itself it re-opens nothing."""
    data = item.data
    rounded = [
        round(value, 6 if n == "remain_rt" else 2) if isinstance(value := data.get(n), float) else value
        for n in FIGURES
    ]
    return (item.status, _without_rebuilt(data.get("reasons")), *rounded)


def _without_rebuilt(reasons):
    if not isinstance(reasons, str) or Reason.REBUILT.value not in reasons:
        return reasons
    return ",".join(c for c in reasons.split(",") if c != Reason.REBUILT.value)


def _reasons_of(group: list[Entry]) -> str:
    codes = {c for i in group for c in (i.data.get("reasons") or "").split(",") if c}
    return ",".join(r.value for r in Reason if r.value in codes)


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


def states_of(items: list[Entry]) -> dict[str, PatchState]:
    """final_statuses over the given decisions and marks (e.g. those logged up to a moment), in log order."""
    return _states(items)


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
            state.reasons = _reasons_of(group)
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


@dataclass
class RunStanding:
    """What the log says about the patches of a run's output (see standing_states)."""

    states: Mapping[str, PatchState]  # patch id -> its state, where it stands for the run's figures
    superseded: list[str]  # marked patches a later run decided with other figures: not applied
    unlogged: list[str]  # patches the log holds no decision of in their run
    differing: list[str]  # patches whose status differs from the log's decision in their run


def standing_states(
    path: str | os.PathLike, decided: Iterable[tuple[str, str, str]], read: LogRead | None = None
) -> RunStanding:
    """For the rows of a verify output, (patch_id, run_id, status) each: the dispute state and final
    status that stand for them. A patch's state applies when its latest run in the log is the row's
    run, or a later run reproduced the row's figures (a mark stands until the figures change).
    A row whose status is not the log's decision of its run was changed after the run. Rows
    without a patch id are left out: nothing in the log can be matched to them.
    read: the log as read_log read it (with its decisions and marks), so it is not read again; the
    states are then worked out per patch as they are looked up (StandingStates)."""
    if read is not None:
        return _standing_from_read(read, decided)
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
            out.states[patch_id] = state  # type: ignore[index]
        elif state.dispute is not None:
            out.superseded.append(patch_id)
    return out


# -- the same standing from one read of the log, without an object per patch ---------------------------
class StandingStates(Mapping):
    """RunStanding.states from a read of the log: the patch ids that stand, in the order of the rows,
    each one's PatchState worked out (by _states, over its own decisions and marks) when it is looked
    up. `marked`: those among them the log holds a mark on (the others have no dispute)."""

    def __init__(self, order: list[str], marked: set[str], state_of) -> None:
        self._order = dict.fromkeys(order)
        self._state_of = state_of
        self.marked = marked

    def __getitem__(self, patch_id: str) -> PatchState:
        if patch_id not in self._order:
            raise KeyError(patch_id)
        return self._state_of(patch_id)

    def __iter__(self):
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, patch_id) -> bool:
        return patch_id in self._order


def _standing_from_read(read: LogRead, decided: Iterable[tuple[str, str, str]]) -> RunStanding:
    """standing_states over read rows: decisions are indexed by (patch, run), their data parsed only
    where figures are compared (a row whose run is not its patch's latest) or a state looked up."""
    decision, mark = AuditEntry.DECISION.value, AuditEntry.MARK.value
    rows = [row for row in read.rows if (row[ENTRY] == decision or row[ENTRY] == mark) and row[PATCH_ID] is not None]
    events: dict[str, list[int]] = {}  # patch id -> its rows, in log order (made as a state is first looked up)
    keys: dict[tuple[str, str | None], list[int]] = {}  # (patch, run) -> its decisions
    latest: dict[str, str | None] = {}  # patch id -> the run of its latest decision: the state's run_id
    marked: set[str] = set()
    for i, row in enumerate(rows):
        patch_id = row[PATCH_ID]
        if row[ENTRY] == decision:
            keys.setdefault((patch_id, row[RUN_ID]), []).append(i)
            latest[patch_id] = row[RUN_ID]
        else:
            marked.add(patch_id)
    figures: dict[tuple, list] = {}
    states: dict[str, PatchState] = {}

    def figures_of(key: tuple) -> list:
        found = figures.get(key)
        if found is None:
            found = figures[key] = sorted(_figures(_entry(rows[i])) for i in keys.get(key, ()))
        return found

    def state_of(patch_id: str) -> PatchState:
        state = states.get(patch_id)
        if state is None:
            if not events:
                for i, row in enumerate(rows):
                    events.setdefault(row[PATCH_ID], []).append(i)
            state = states[patch_id] = _states([_entry(rows[i]) for i in events[patch_id]])[patch_id]
        return state

    standing: list[str] = []
    out = RunStanding({}, [], [], [])
    for patch_id, run_id, status in decided:
        if patch_id is None or patch_id == "":
            continue
        patch_id = str(patch_id)
        key = (patch_id, run_id)
        found = keys.get(key)
        if found is None:
            out.unlogged.append(patch_id)
            continue
        if not any(rows[i][STATUS] == status for i in found):
            out.differing.append(patch_id)
            continue
        if latest[patch_id] == run_id or figures_of(key) == figures_of((patch_id, latest[patch_id])):
            standing.append(patch_id)
        elif patch_id in marked and state_of(patch_id).dispute is not None:  # unmarked: no dispute
            out.superseded.append(patch_id)
    out.states = StandingStates(standing, marked.intersection(standing), state_of)
    return out
