"""The accountability list (倒查责任清单): after the acceptance deadline, every task patch not finally
passed, with its history in the ledger and the three responsibilities traced for it (主体责任 the
violator, 监管责任 the supervisors, 整改责任 the rectification unit and person). Read from the
campaign's audit log through the bulletin's ledger (core/bulletin.py): "finally passed at AS_OF" and the
townships' rank are the bulletin's, computed once there. No QGIS here."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from . import audit
from . import campaign as _campaign
from .bulletin import Ledger, task_statuses, task_summary
from .campaign import CHINA, log_time, logged_seconds, norm_id, shown_time
from .definitions import ACCOUNTABILITY_FIELDS, RESPONSIBILITY_COLUMNS, AuditEntry, Mark, Role, Status
from .messages import Notice, Refusal
from .report_model import PatchRecord, Review, natural_key
from .words import NO_ID_ZH, ROLE_LABEL, ROLE_WORDS, UNFILLED

JOIN = "、"  # several people (or units) of one role
ID_CHUNK = 500  # patch ids per SQL query (SQLite's limit on bound values is 999 in old builds)


# -- the responsibilities table -----------------------------------------------------------------------
@dataclass(frozen=True)
class Person:
    unit: str | None
    person: str | None
    phone: str | None

    def shown(self) -> str:
        """'张三（13800000000）' or '张三', as the workbook lists a person."""
        name = self.person or UNFILLED
        return f"{name}（{self.phone}）" if self.phone else name


@dataclass
class Responsibilities:
    """Per township (normalised name) and role: the people, in the table's order, duplicates merged."""

    by_township: dict[str, dict[Role, list[Person]]] = field(default_factory=dict)
    rows: int = 0
    duplicates: int = 0
    bad_roles: list[str] = field(default_factory=list)  # role values not understood (rows skipped)
    no_township: int = 0  # rows without a township (skipped)
    source: dict = field(default_factory=dict)  # where the table came from (recorded in the log)

    def people(self, township: str, role: Role) -> list[Person]:
        return self.by_township.get(township, {}).get(role, [])


def parse_role(value: Any) -> Role | None:
    text = norm_id(value).replace(" ", "").casefold()
    return ROLE_WORDS.get(text)


def find_columns(headers: Sequence[str]) -> dict[str, int]:
    """The table's columns by name (exactly, then ignoring case, full-width and spaces); township and
    role are required, unit, person and phone where present."""
    keys = [norm_id(h).replace(" ", "").casefold() for h in headers]
    found: dict[str, int] = {}
    for name, accepted in RESPONSIBILITY_COLUMNS.items():
        for candidate in accepted:
            key = norm_id(candidate).replace(" ", "").casefold()
            if key in keys:
                found[name] = keys.index(key)
                break
    missing = [RESPONSIBILITY_COLUMNS[n][0] for n in ("township", "role") if n not in found]
    if missing:
        raise Refusal(
            "responsibility_columns",
            missing="、".join(f"{n}（{RESPONSIBILITY_COLUMNS[n][1]}）" for n in missing),
            columns="、".join(str(h) for h in headers) or "—",
        )
    return found


def read_responsibilities(headers: Sequence[str], rows: Sequence[Sequence[Any]], source: dict | None = None):
    """The RESPONSIBILITIES table as read by formats/table_file.py (or from a layer): one row per
    person and role; several rows per township and role are kept and merged, an exact duplicate once."""
    columns = find_columns(headers)
    out = Responsibilities(source=source or {})

    def cell(row, name) -> str | None:
        index = columns.get(name)
        if index is None or index >= len(row):
            return None
        text = norm_id(row[index])
        return text or None

    bad: dict[str, None] = {}
    for row in rows:
        if not any(norm_id(v) for v in row):
            continue
        out.rows += 1
        township = cell(row, "township")
        role_text = cell(row, "role")
        role = parse_role(role_text)
        if township is None:
            out.no_township += 1
            continue
        if role is None:
            bad.setdefault(role_text or NO_ID_ZH, None)
            continue
        person = Person(cell(row, "unit"), cell(row, "person"), cell(row, "phone"))
        people = out.by_township.setdefault(township, {}).setdefault(role, [])
        if person in people:
            out.duplicates += 1
        else:
            people.append(person)
    out.bad_roles = list(bad)
    return out


def joined(values: Sequence[str | None]) -> str:
    """Distinct non-empty values joined with '、' in first-seen order; 未填 when there is none."""
    seen = list(dict.fromkeys(v for v in values if v))
    return JOIN.join(seen) if seen else UNFILLED


# -- the list -----------------------------------------------------------------------------------------
@dataclass
class Event:
    """One line of a patch's history: an application, a verification, or an auditor's mark."""

    at: datetime
    kind: str  # "application", "decision" or "mark"
    status: str | None  # decision: its status; mark: the mark (存疑/维持/改判); application: accepted/refused
    run_id: str | None = None
    who: str | None = None
    note: str | None = None  # reasons (decision), the note (mark), the refusal reason (application)
    seq: int = 0
    new_status: str | None = None  # an overturn's status


@dataclass
class ListRow:
    patch_id: str
    township: str
    monitor_m2: float
    final_st: str
    reasons: str
    applied_at: str  # the latest accepted application's time ('' when none)
    last_check: str  # the latest decision's time ('' when never verified)
    party: str
    sup_unit: str
    sup_person: str
    rect_unit: str
    rect_person: str
    rank: int | None = None
    applications: int = 0  # accepted applications recorded by AS_OF
    refused: list[Event] = field(default_factory=list)  # applications refused (late, …)
    history: list[Event] = field(default_factory=list)
    dispute: str | None = None  # the standing mark (Mark value or reopened)
    dispute_note: str | None = None
    computed: str | None = None  # the latest run's own status (before an overturn)
    record: PatchRecord | None = None  # the latest decision's figures, as the 验收图 prints them
    party_from_layer: bool = False
    responsible: dict[Role, list[Person]] = field(default_factory=dict)

    def values(self) -> list:
        return [getattr(self, name) for name, _kind, _alias in ACCOUNTABILITY_FIELDS]


@dataclass
class AccountabilityList:
    campaign: Any  # core.campaign.Campaign as it stood at AS_OF
    as_of: datetime
    accept_by: datetime  # the acceptance deadline in force (now)
    provisional: bool  # AS_OF before that deadline: the list may still shrink
    head: str
    entries: int
    rows: list[ListRow]
    tasks: int  # task patches at AS_OF
    townships: list[str]  # every township of the task list, by the bulletin's rank
    unfilled: list[str]  # townships of the list without any responsibility row
    missing_roles: dict[str, list[Role]]  # township -> roles without a row (townships with some rows)
    unknown: list[str]  # townships of the responsibilities table not in the task list
    responsibilities: Responsibilities
    notices: list[Notice] = field(default_factory=list)

    def entry_data(self) -> dict:
        return {
            "campaign_id": self.campaign.campaign_id,
            "as_of": log_time(self.as_of),
            "accept_by": log_time(self.accept_by),
            "provisional": self.provisional,
            "computed_over": {"head": self.head, "entries": self.entries},
            "tasks": self.tasks,
            "fields": [name for name, _kind, _alias in ACCOUNTABILITY_FIELDS],
            "rows": [row.values() for row in self.rows],
            "unfilled": self.unfilled,
            "unknown_townships": self.unknown,
            "responsibilities": self.responsibilities.source,
        }


def open_ledger(path: str | os.PathLike) -> Ledger:
    """The campaign's ledger; a broken chain or a log without a campaign refused in the list's words."""
    try:
        return Ledger(path)
    except Refusal as refusal:
        if refusal.key == "campaign_log_broken":
            raise Refusal("accountability_log_broken", **refusal.values) from None
        if refusal.key == "campaign_missing":
            raise Refusal("accountability_no_campaign", **refusal.values) from None
        raise


def default_as_of(ledger: Ledger, now: datetime | None = None) -> datetime:
    """The acceptance deadline in force; now, while it is still ahead."""
    now = now or _campaign.china_now()  # looked up at call time: tests set the clock
    return min(ledger.campaign.accept_by, now)


def _who(data: dict | None) -> str | None:
    if not data:
        return None
    return data.get("name") or data.get("login")


def compute_list(
    ledger: Ledger,
    responsibilities: Responsibilities,
    as_of: datetime | None = None,
    parties: dict[str, str] | None = None,
) -> AccountabilityList:
    """The list at AS_OF. parties: patch id (normalised) -> the violator from PATCHES' PARTY_FIELD."""
    now = _campaign.china_now()
    accept_by = ledger.campaign.accept_by
    as_of = as_of or default_as_of(ledger, now)
    at = int(as_of.timestamp())
    snapshot = ledger.campaign_at(at)
    if snapshot is None:
        first = min(s.at for s in ledger._snapshots)
        raise Refusal("accountability_before_campaign", as_of=shown_time(as_of), defined=shown_time(_at(first)))
    if as_of > now:
        raise Refusal("accountability_future", as_of=shown_time(as_of), now=shown_time(now))
    final, decided = ledger.states([at])[at]
    status = task_statuses(snapshot, final, decided)
    summary = task_summary(snapshot, final, decided)
    order = {row.township: i for i, row in enumerate(summary) if row.rank is not None}
    ranks = {row.township: row.rank for row in summary}
    tasks = list(snapshot.campaign.tasks.values())
    unfinished = [i for i, s in enumerate(status) if s != Status.PASS.value]
    ids = {tasks[i].patch_id for i in unfinished}
    histories, states, latest_decisions, runs = _histories(ledger, ids, at)
    applications = _applications(ledger, ids, at)

    notices: list[Notice] = []
    rows: list[ListRow] = []
    known = {snapshot.names[i] for i in range(len(tasks))}
    for i in unfinished:
        task = tasks[i]
        township = str(snapshot.names[i])
        state = states.get(task.patch_id)
        accepted, applied, latest = applications.get(task.patch_id, (0, [], None))
        history = sorted(histories.get(task.patch_id, []) + applied, key=lambda e: (e.at, e.seq))
        refused = [e for e in applied if e.status == "refused"]
        people = {role: responsibilities.people(township, role) for role in Role}
        party = (parties or {}).get(task.patch_id) or ""
        row = ListRow(
            patch_id=task.patch_id,
            township=township,
            monitor_m2=float(task.monitor_m2),
            final_st=str(status[i]),
            reasons=(state.reasons or "") if state is not None and decided[snapshot.members[i]] >= 0 else "",
            applied_at=log_time(_at(latest)) if latest is not None else "",
            last_check=log_time(_at(int(decided[snapshot.members[i]]))) if decided[snapshot.members[i]] >= 0 else "",
            party=party or joined([p.person for p in people[Role.PARTY]]),
            sup_unit=joined([p.unit for p in people[Role.SUPERVISION]]),
            sup_person=joined([p.person for p in people[Role.SUPERVISION]]),
            rect_unit=joined([p.unit for p in people[Role.RECTIFICATION]]),
            rect_person=joined([p.person for p in people[Role.RECTIFICATION]]),
            rank=ranks.get(township),
            applications=accepted,
            refused=refused,
            history=history,
            dispute=state.dispute if state is not None else None,
            dispute_note=state.note if state is not None else None,
            computed=state.computed_status if state is not None else None,
            party_from_layer=bool(party),
            responsible=people,
        )
        row.record = _record(row, state, latest_decisions.get(task.patch_id, []), runs, task.monitor_m2)
        rows.append(row)
    rows.sort(key=lambda r: (order.get(r.township, len(order)), natural_key(r.patch_id)))

    listed = list(dict.fromkeys(r.township for r in rows))
    unfilled = [t for t in listed if t not in responsibilities.by_township]
    missing_roles = {
        t: [role for role in Role if not responsibilities.people(t, role)]
        for t in listed
        if t in responsibilities.by_township and any(not responsibilities.people(t, role) for role in Role)
    }
    unknown = [t for t in responsibilities.by_township if t not in known]
    provisional = as_of < accept_by
    if provisional:
        notices.append(
            Notice(
                "accountability_provisional", "warning", {"as_of": shown_time(as_of), "deadline": shown_time(accept_by)}
            )
        )
    if unfilled:
        notices.append(
            Notice("responsibility_unfilled", "warning", {"count": len(unfilled), "townships": JOIN.join(unfilled)})
        )
    if missing_roles:
        text = "；".join(f"{t}：{JOIN.join(ROLE_LABEL[r] for r in roles)}" for t, roles in missing_roles.items())
        notices.append(Notice("responsibility_roles_missing", "warning", {"missing": text}))
    if unknown:
        notices.append(
            Notice(
                "responsibility_unknown_townships", "warning", {"count": len(unknown), "townships": JOIN.join(unknown)}
            )
        )
    if responsibilities.bad_roles:
        notices.append(Notice("responsibility_bad_roles", "warning", {"values": JOIN.join(responsibilities.bad_roles)}))
    if responsibilities.no_township:
        notices.append(Notice("responsibility_no_township", "warning", {"count": responsibilities.no_township}))
    if responsibilities.duplicates:
        notices.append(Notice("responsibility_duplicates", "info", {"count": responsibilities.duplicates}))
    townships = [row.township for row in summary if row.rank is not None]
    return AccountabilityList(
        snapshot.campaign, as_of, accept_by, provisional, ledger.head, ledger.entries, rows, len(tasks), townships,
        unfilled, missing_roles, unknown, responsibilities, notices,
    )  # fmt: skip


def _at(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, CHINA)


def _histories(ledger: Ledger, ids: set[str], at: int):
    """For the unfinished patches (normalised ids): their decisions and marks logged by `at` as
    Events, their core.audit state then (reasons, dispute), the latest run's decisions of each (its
    figures, for the 验收图) and the runs' entries (who ran them)."""
    if not ids:
        return {}, {}, {}, {}
    raw = {p for _f, _l, _r, p, _s in audit.decision_rows(ledger.path) if p is not None and norm_id(p) in ids}
    raw |= {i.patch_id for i in audit.entries(ledger.path, kinds=(AuditEntry.MARK,)) if i.patch_id is not None
            and norm_id(i.patch_id) in ids}  # fmt: skip
    wanted = sorted(raw)
    items: list[audit.Entry] = []
    kinds = (AuditEntry.DECISION, AuditEntry.MARK)
    for start in range(0, len(wanted), ID_CHUNK):
        items += audit.entries(ledger.path, kinds=kinds, patch_ids=wanted[start : start + ID_CHUNK])
    items = sorted((i for i in items if logged_seconds(i.logged_at) <= at), key=lambda i: i.seq)
    items = [replace(i, patch_id=norm_id(i.patch_id)) for i in items]  # as the ledger keys them
    runs = {r.run_id: r.data for r in audit.entries(ledger.path, kinds=(AuditEntry.RUN,))}
    events: dict[str, list[Event]] = {}
    latest: dict[str, list[audit.Entry]] = {}
    for item in items:
        patch_id = item.patch_id
        assert patch_id is not None, "decisions and marks name their patch"
        when = _at(logged_seconds(item.logged_at))
        if item.entry == AuditEntry.DECISION.value:
            who = _who(runs.get(item.run_id, {}).get("who"))
            event = Event(when, "decision", item.status, item.run_id, who, item.data.get("reasons") or "", item.seq)
            group = latest.get(patch_id)
            if group and group[-1].run_id == item.run_id:
                group.append(item)
            else:
                latest[patch_id] = [item]
        else:
            mark = item.data.get("mark")
            note = item.data.get("note") or ""
            new_status = item.data.get("new_status") if mark == Mark.OVERTURNED.value else None
            event = Event(when, "mark", mark, item.run_id, _who(item.data.get("who")), note, item.seq, new_status)
        events.setdefault(patch_id, []).append(event)
    return events, audit.states_of(items), latest, runs


def _applications(ledger: Ledger, ids: set[str], at: int) -> dict[str, tuple[int, list[Event], int | None]]:
    """Per unfinished patch: the accepted applications recorded by `at`, every application as an Event
    (refused ones with their reason), and the time of the latest accepted one (the one the bulletin
    counts: the latest `since`)."""
    out: dict[str, tuple[int, list[Event], int | None]] = {}
    best: dict[str, int] = {}
    for n, item in enumerate(ledger.applications):
        if item.patch_id not in ids or item.recorded > at:
            continue
        accepted, events, latest = out.get(item.patch_id, (0, [], None))
        if item.accepted:
            accepted += 1
            if item.since > best.get(item.patch_id, -1):
                best[item.patch_id] = item.since
                latest = item.applied_at
        status = "accepted" if item.accepted else "refused"
        events = [*events, Event(_at(item.applied_at), "application", status, note=item.reason, seq=-1 - n)]
        out[item.patch_id] = (accepted, events, latest)
    return out


def _record(row: ListRow, state, decisions: list, runs: dict, monitor_m2: float) -> PatchRecord:
    """The 验收图's record of an unfinished patch: its latest decision's figures from the log, its
    final status (an overturn where one stands); a never-verified patch: unsurveyed, no figures."""
    if state is None or not decisions:
        return PatchRecord(row.patch_id, row.township, Status.UNSURVEYED.value, "", monitor_m2, None, None, None,
                           None, None, "", "")  # fmt: skip
    first = decisions[0]
    data = first.data
    run = runs.get(first.run_id, {})
    record = PatchRecord(
        patch_id=row.patch_id,
        township=row.township,
        status=state.computed_status or first.status or "",
        reasons=state.reasons or "",
        monitor_m2=data.get("monitor_m2") if data.get("monitor_m2") is not None else monitor_m2,
        geom_m2=data.get("geom_m2"),
        remain_m2=data.get("remain_m2"),
        remain_rt=data.get("remain_rt"),
        largest_m2=data.get("largest_m2"),
        remnants=data.get("remnants"),
        run_id=first.run_id or "",
        checked_at=run.get("checked_at") or first.logged_at,
    )
    if state.dispute:
        record.review = Review(state.dispute, state.final_status, state.note)
    return record
