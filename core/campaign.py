"""The campaign (整改任务) over time: its times, its task list and deadlines as amended, and the
applications for acceptance (申请验收). Everything is read back from the audit log, where each step
is one hash-chained entry; the state at a moment is what was logged at or before it. No QGIS here.

Times: compared as instants. A time without a zone is China time (UTC+8); a date alone is the end of
that day (a deadline given by the day includes the whole day); the log records times as
YYYY-MM-DDTHH:MM:SS+08:00, to the second.
"""

from __future__ import annotations

import math
import os
import re
import unicodedata
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from . import audit
from .definitions import SQUARE_METRES_PER_UNIT, AreaUnit, AuditEntry
from .messages import Notice, Refusal

CHINA = timezone(timedelta(hours=8))
END_OF_DAY = time(23, 59, 59)

# -- times ------------------------------------------------------------------------------------------
_TIME = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:(?:\s*T\s*|\s+|(?<=日))(\d{1,2})\s*[:时點点]\s*(\d{1,2})\s*(?:[:分]\s*(\d{1,2})(?:[.,]\d+)?\s*秒?)?\s*分?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Moment:
    """A parsed time: the instant, and whether its zone was assumed (China time) or it was a bare date."""

    at: datetime  # aware, whole seconds
    zone_assumed: bool = False
    date_only: bool = False


def parse_time(value: Any, name: str = "") -> Moment:
    """A time as users and files give it: ISO 8601 with or without zone ('2024-06-30T18:00:00+08:00',
    '2024-06-30 18:00'), '2024/6/30', '2024年6月30日 18时', a datetime or date. Refused when unreadable."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return Moment(value.replace(tzinfo=CHINA, microsecond=0), zone_assumed=True)
        return Moment(value.replace(microsecond=0))
    if isinstance(value, date):
        return Moment(datetime.combine(value, END_OF_DAY, CHINA), zone_assumed=True, date_only=True)
    text = unicodedata.normalize("NFKC", str(value if value is not None else "")).strip()
    match = _TIME.match(text)
    if not match:
        raise Refusal("time_unreadable", name=name, value=text)
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        day_value = date(int(year), int(month), int(day))
        if hour is None:
            at, date_only = datetime.combine(day_value, END_OF_DAY), True
        else:
            at, date_only = datetime.combine(day_value, time(int(hour), int(minute), int(second or 0))), False
    except ValueError:
        raise Refusal("time_unreadable", name=name, value=text) from None
    if zone is None:
        return Moment(at.replace(tzinfo=CHINA), zone_assumed=True, date_only=date_only)
    if zone.upper() == "Z":
        tz = timezone.utc
    else:
        digits = zone.replace(":", "")
        sign = -1 if digits[0] == "-" else 1
        hours, minutes = int(digits[1:3]), int(digits[3:5] or 0)
        tz = timezone(sign * timedelta(hours=hours, minutes=minutes))
    return Moment(at.replace(tzinfo=tz), date_only=date_only)


def log_time(at: datetime) -> str:
    """How the log records a time: China time, to the second, with its offset."""
    return at.astimezone(CHINA).strftime("%Y-%m-%dT%H:%M:%S+08:00")


def shown_time(at: datetime) -> str:
    """A time as printed on a bulletin: China time to the minute (seconds where they are not 0)."""
    local = at.astimezone(CHINA)
    return local.strftime("%Y-%m-%d %H:%M:%S" if local.second else "%Y-%m-%d %H:%M")


def china_now() -> datetime:
    return datetime.now(CHINA).replace(microsecond=0)


_LOGGED: dict[str, int] = {}


def logged_seconds(text: str) -> int:
    """An entry's logged_at as epoch seconds (cached: every entry of one append shares its text)."""
    seconds = _LOGGED.get(text)
    if seconds is None:
        seconds = int(parse_time(text, "logged_at").at.timestamp())
        if len(_LOGGED) > 100_000:
            _LOGGED.clear()
        _LOGGED[text] = seconds
    return seconds


def days_left(deadline: datetime, at: datetime) -> int:
    """Calendar days from `at` to the deadline, both in China time: 0 on the day itself, negative after."""
    return (deadline.astimezone(CHINA).date() - at.astimezone(CHINA).date()).days


# -- ids --------------------------------------------------------------------------------------------
def norm_id(value: Any) -> str:
    """Ids compare after NFKC (full-width digits and letters to ASCII) and trimming; 12.0 is '12'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def _township(value: Any) -> str | None:
    text = norm_id(value)
    return text or None


# -- the task list ----------------------------------------------------------------------------------
@dataclass
class Task:
    patch_id: str
    township: str | None
    monitor_m2: float

    def row(self) -> list:
        return [self.patch_id, self.township, self.monitor_m2]


def make_tasks(
    ids: Sequence[Any], townships: Sequence[Any] | None, monitored: Sequence[Any], unit: AreaUnit | int
) -> dict[str, Task]:
    """The task list from a patch layer's columns: ids normalised and unique, areas in m²."""
    factor = SQUARE_METRES_PER_UNIT[AreaUnit(unit)]
    tasks: dict[str, Task] = {}
    duplicates: list[str] = []
    empty = 0
    missing: list[str] = []
    for i, raw in enumerate(ids):
        patch_id = norm_id(raw)
        if not patch_id:
            empty += 1
            continue
        if patch_id in tasks:
            duplicates.append(patch_id)
            continue
        area = monitored[i]
        if area is None or not math.isfinite(area) or area <= 0:
            missing.append(patch_id)
            area = 0.0
        tasks[patch_id] = Task(patch_id, _township(townships[i]) if townships is not None else None, area * factor)
    if empty:
        raise Refusal("task_id_empty", count=empty)
    if duplicates:
        unique = list(dict.fromkeys(duplicates))
        raise Refusal("task_duplicate_ids", count=len(unique), examples="、".join(unique[:5]))
    if missing:
        raise Refusal("task_area_missing", count=len(missing), examples="、".join(missing[:5]))
    if not tasks:
        raise Refusal("task_list_empty")
    return tasks


def task_difference(old: dict[str, Task], new: dict[str, Task]) -> dict[str, list]:
    """What an amendment of the task list logs: patches added, withdrawn, and changed (township or area)."""
    added = [t.row() for k, t in new.items() if k not in old]
    withdrawn = [k for k in old if k not in new]
    changed = [
        t.row()
        for k, t in new.items()
        if k in old
        and (old[k].township != t.township or not math.isclose(old[k].monitor_m2, t.monitor_m2, abs_tol=1e-6))
    ]
    return {"added": added, "withdrawn": withdrawn, "changed": changed}


# -- the campaign as logged -------------------------------------------------------------------------
@dataclass
class Campaign:
    """The campaign at a moment: the definition with every amendment logged up to then."""

    campaign_id: str
    name: str
    defined_at: int  # epoch seconds of the definition entry
    rectify_by: datetime
    accept_by: datetime
    target: float | None
    tasks: dict[str, Task]
    amendments: int = 0
    history: list[dict] = field(default_factory=list)  # (logged_at, what changed, note) per entry


def apply_entry(campaign: Campaign | None, item: audit.Entry) -> Campaign:
    data = item.data
    if item.entry == AuditEntry.CAMPAIGN.value:
        tasks = {row[0]: Task(row[0], row[1], float(row[2])) for row in data["tasks"]}
        return Campaign(
            data["campaign_id"],
            data["name"],
            logged_seconds(item.logged_at),
            parse_time(data["rectify_by"]).at,
            parse_time(data["accept_by"]).at,
            data.get("target"),
            tasks,
            history=[{"logged_at": item.logged_at, "kind": "define", "note": data.get("note")}],
        )
    assert campaign is not None
    for row in data.get("added", []) + data.get("changed", []):
        campaign.tasks[row[0]] = Task(row[0], row[1], float(row[2]))
    for patch_id in data.get("withdrawn", []):
        campaign.tasks.pop(patch_id, None)
    if data.get("rectify_by"):
        campaign.rectify_by = parse_time(data["rectify_by"]).at
    if data.get("accept_by"):
        campaign.accept_by = parse_time(data["accept_by"]).at
    if "target" in data:
        campaign.target = data["target"]
    campaign.amendments += 1
    campaign.history.append({"logged_at": item.logged_at, "kind": "amend", "note": data.get("note")})
    return campaign


def campaign_entries(path: str | os.PathLike) -> list[audit.Entry]:
    return audit.entries(path, kinds=(AuditEntry.CAMPAIGN, AuditEntry.AMENDMENT))


def campaign_at(items: Iterable[audit.Entry], at: int | None = None) -> Campaign | None:
    """The campaign as it stood at `at` (epoch seconds; None: now, with everything logged)."""
    campaign = None
    for item in items:
        if at is not None and logged_seconds(item.logged_at) > at:
            continue
        if item.entry == AuditEntry.AMENDMENT.value and campaign is None:
            continue
        campaign = apply_entry(campaign, item)
    return campaign


def require_sound(path: str | os.PathLike) -> audit.ChainCheck:
    """A campaign's figures are never taken from a broken log."""
    check = audit.verify_chain(path)
    if not check.valid:
        raise Refusal("campaign_log_broken", path=os.fspath(path), seq=check.first_broken)
    return check


def require_campaign(path: str | os.PathLike, items: list[audit.Entry] | None = None) -> Campaign:
    items = campaign_entries(path) if items is None else items
    definitions = [i for i in items if i.entry == AuditEntry.CAMPAIGN.value]
    if not definitions:
        raise Refusal("campaign_missing", path=os.fspath(path))
    if len({d.data.get("campaign_id") for d in definitions}) > 1:
        raise Refusal("campaign_several", path=os.fspath(path))
    campaign = campaign_at(items)
    assert campaign is not None
    return campaign


def check_deadlines(rectify_by: datetime, accept_by: datetime) -> None:
    if rectify_by > accept_by:
        raise Refusal("deadlines_order", rectify_by=shown_time(rectify_by), accept_by=shown_time(accept_by))


def check_target(target: float | None) -> None:
    if target is not None and not (0.0 <= target <= 1.0):
        raise Refusal("target_range", value=target)


def time_notices(moments: dict[str, Moment]) -> list[Notice]:
    """Says which times were taken as China time for want of a zone (and which were a bare date)."""
    out = []
    for name, moment in moments.items():
        if moment.zone_assumed:
            key = "time_date_only" if moment.date_only else "time_zone_assumed"
            out.append(Notice(key, "info", {"name": name, "time": log_time(moment.at)}))
    return out


def define_entry(
    name: str,
    tasks: dict[str, Task],
    rectify_by: datetime,
    accept_by: datetime,
    target: float | None,
    source: dict,
    note: str | None,
    who: dict,
    versions: dict,
) -> audit.NewEntry:
    check_deadlines(rectify_by, accept_by)
    check_target(target)
    data = {
        "campaign_id": uuid.uuid4().hex,
        "name": name,
        "rectify_by": log_time(rectify_by),
        "accept_by": log_time(accept_by),
        "target": target,
        "tasks": [t.row() for t in tasks.values()],
        "source": source,
        "note": note,
        "who": who,
        **versions,
    }
    return audit.NewEntry(AuditEntry.CAMPAIGN.value, data)


def amend_entry(
    campaign: Campaign,
    note: str,
    tasks: dict[str, Task] | None,
    rectify_by: datetime | None,
    accept_by: datetime | None,
    target: float | None,
    target_given: bool,
    source: dict | None,
    who: dict,
    versions: dict,
) -> tuple[audit.NewEntry, dict[str, list]]:
    """An amendment: the deadlines given, and the task list replaced by `tasks` (its difference is
    logged). Refused without a note, or when it changes nothing."""
    if not (note or "").strip():
        raise Refusal("amend_note_required")
    new_rectify = rectify_by or campaign.rectify_by
    new_accept = accept_by or campaign.accept_by
    check_deadlines(new_rectify, new_accept)
    check_target(target)
    difference = (
        task_difference(campaign.tasks, tasks) if tasks is not None else {"added": [], "withdrawn": [], "changed": []}
    )
    data: dict[str, Any] = {"campaign_id": campaign.campaign_id, "note": note.strip(), **difference}
    changed = any(difference.values())
    if rectify_by is not None and rectify_by != campaign.rectify_by:
        data["rectify_by"] = log_time(rectify_by)
        data["rectify_by_was"] = log_time(campaign.rectify_by)
        changed = True
    if accept_by is not None and accept_by != campaign.accept_by:
        data["accept_by"] = log_time(accept_by)
        data["accept_by_was"] = log_time(campaign.accept_by)
        changed = True
    if target_given and target != campaign.target:
        data["target"] = target
        data["target_was"] = campaign.target
        changed = True
    if not changed:
        raise Refusal("amend_nothing")
    if tasks is not None and not tasks:
        raise Refusal("task_list_empty")
    data.update(source=source, who=who, **versions)
    return audit.NewEntry(AuditEntry.AMENDMENT.value, data), difference


# -- applications for acceptance ----------------------------------------------------------------------
class ApplicationReason:
    """Why an application was refused, in precedence order (unknown_id > late > duplicate)."""

    UNKNOWN_ID = "unknown_id"
    LATE = "late"
    DUPLICATE = "duplicate"


@dataclass
class Application:
    patch_id: str
    applied_at: datetime
    applicant: str | None = None
    township: str | None = None
    note: str | None = None
    accepted: bool = False
    reason: str = ""

    def row(self) -> list:
        return [
            self.patch_id,
            log_time(self.applied_at),
            self.accepted,
            self.reason,
            self.applicant,
            self.township,
            self.note,
        ]


@dataclass
class Logged:
    """An application as the log holds it, with the time its entry was logged."""

    patch_id: str
    applied_at: int  # epoch seconds
    accepted: bool
    reason: str
    recorded: int  # epoch seconds of the entry

    @property
    def since(self) -> int:
        """From when a decision counts as made since the application: when it was made, or recorded
        if that is earlier (a time from a township's clock ahead of the log's)."""
        return min(self.applied_at, self.recorded)


def logged_applications(items: Iterable[audit.Entry]) -> list[Logged]:
    out = []
    for item in items:
        if item.entry != AuditEntry.APPLICATION.value:
            continue
        recorded = logged_seconds(item.logged_at)
        for row in item.data.get("rows", []):
            out.append(Logged(row[0], logged_seconds(row[1]), bool(row[2]), row[3] or "", recorded))
    return out


def last_decisions(rows: Iterable[tuple]) -> dict[str, int]:
    """Per normalised patch id, the epoch seconds of its latest decision (rows of audit.decision_rows)."""
    out: dict[str, int] = {}
    names: dict[str, str] = {}
    for _fid, logged_at, _run_id, patch_id, _status in rows:
        key = names.get(patch_id)
        if key is None:
            key = names[patch_id] = norm_id(patch_id)
        seconds = logged_seconds(logged_at)
        if seconds > out.get(key, -1):
            out[key] = seconds
    return out


def judge_applications(
    applications: list[Application], campaign: Campaign, earlier: list[Logged], decided: dict[str, int], now: int
) -> list[Application]:
    """Each application accepted or refused: unknown_id (not in the task list in force), late (applied
    after the ACCEPT_BY in force), duplicate (no decision on the patch since its last accepted
    application, this batch included); in that precedence. Sets accepted and reason in place.
    decided: per patch, epoch seconds of its latest decision; now: when this batch is recorded."""
    last_accepted: dict[str, int] = {}
    for item in earlier:
        if item.accepted:
            last_accepted[item.patch_id] = max(last_accepted.get(item.patch_id, -1), item.since)
    deadline = campaign.accept_by.timestamp()
    for application in applications:
        applied = int(application.applied_at.timestamp())
        previous = last_accepted.get(application.patch_id)
        if application.patch_id not in campaign.tasks:
            application.accepted, application.reason = False, ApplicationReason.UNKNOWN_ID
        elif applied > deadline:
            application.accepted, application.reason = False, ApplicationReason.LATE
        elif previous is not None and decided.get(application.patch_id, -1) < previous:
            application.accepted, application.reason = False, ApplicationReason.DUPLICATE
        else:
            application.accepted, application.reason = True, ""
            last_accepted[application.patch_id] = min(applied, now)
    return applications


def application_entry(campaign: Campaign, applications: list[Application], source: dict, who: dict, versions: dict):
    """One entry for a batch; duplicates append nothing (None when every row is one)."""
    rows = [a.row() for a in applications if a.reason != ApplicationReason.DUPLICATE]
    if not rows:
        return None
    data = {"campaign_id": campaign.campaign_id, "rows": rows, "source": source, "who": who, **versions}
    return audit.NewEntry(AuditEntry.APPLICATION.value, data)
