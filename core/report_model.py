"""What the outputs print about each patch, as records: a verify OUTPUT row (PatchRecord), the auditors'
marks on it (Review, from the audit log), the run it came from, and the township table built by the
engine's own summary (core.summary.township_summary), so no rule is computed twice. No QGIS here."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import attrgetter
from typing import cast

import numpy as np

from . import audit
from .definitions import (
    DISPUTE_REOPENED,
    LAND_RESULT_FIELDS,
    SQUARE_METRES_PER_MU,
    AuditEntry,
    Mark,
    Method,
    RankBy,
    ResultField,
    RunKind,
    Status,
)
from .messages import Notice, Refusal, text
from .revisit import had_rebuilt
from .summary import SummaryRow, township_summary
from .wording import NO_VALUE, local_time_text
from .words import REPORT_ZH, UNNAMED_TOWNSHIP


@dataclass(frozen=True)
class Review:
    """An auditor's marks on a patch, from the audit log (core/audit/): what the outputs print."""

    dispute: str  # a Mark value, or DISPUTE_REOPENED
    final_status: str  # the overturned status where an overturn stands, else the computed one
    note: str | None = None  # the latest mark's note


@dataclass
class PatchRecord:
    """One patch of a verify OUTPUT, as the maps and the report read it."""

    patch_id: str
    township: str | None
    status: str
    reasons: str
    monitor_m2: float | None
    geom_m2: float | None
    remain_m2: float | None
    remain_rt: float | None
    largest_m2: float | None
    remnants: int | None
    run_id: str
    checked_at: str
    review: Review | None = None  # set from an audit log (apply_audit_log); None: not marked, or no log
    # what the export recomputed of the row's evidence (core/audit/evidence.py): "geom_hash" of the
    # outline it prints, "remnants_hash" of the remnants it draws; a key absent is not checked
    evidence: dict | None = None
    # the farmland fields the layer holds (farm_m2 ... method; written only where verify had their
    # inputs): field name -> value (None for NULL); a field the layer lacks is not a key
    land: dict[str, object] = field(default_factory=dict)

    @classmethod
    def from_values(cls, values: Mapping[str, object]) -> PatchRecord:
        """From a mapping of verify field names to plain values (None for NULL)."""

        def text(name: str) -> str:
            value = values.get(name)
            return "" if value is None else str(value)

        township = values.get(ResultField.TOWNSHIP)
        remnants = _number(values.get(ResultField.REMNANTS))
        return cls(
            patch_id=text(ResultField.PATCH_ID),
            township=None if township in (None, "") else str(township),
            status=text(ResultField.STATUS),
            reasons=text(ResultField.REASONS),
            monitor_m2=_number(values.get(ResultField.MONITOR_M2)),
            geom_m2=_number(values.get(ResultField.GEOM_M2)),
            remain_m2=_number(values.get(ResultField.REMAIN_M2)),
            remain_rt=_number(values.get(ResultField.REMAIN_RT)),
            largest_m2=_number(values.get(ResultField.LARGEST_M2)),
            remnants=None if remnants is None else int(remnants),
            run_id=text(ResultField.RUN_ID),
            checked_at=text(ResultField.CHECKED_AT),
            land=_land_values(values),
        )

    @classmethod
    def from_columns(cls, columns: Mapping[str, Sequence]) -> list[PatchRecord]:
        """[from_values(row) for each row] of columns of equal length (field name -> values, None for
        NULL), each conversion made over a whole column."""
        n = len(next(iter(columns.values()))) if columns else 0
        nothing = [None] * n

        def column(name: str) -> Sequence:
            return columns.get(name, nothing)

        def texts(name: str) -> list[str]:
            return ["" if v is None else v if type(v) is str else str(v) for v in column(name)]

        def numbers(name: str) -> list[float | None]:
            # a float that is not NaN is its own _number, an int its float()
            return [
                v if type(v) is float and v == v else float(v) if type(v) is int else _number(v) for v in column(name)
            ]

        township = [None if v in (None, "") else str(v) for v in column(ResultField.TOWNSHIP)]
        remnants = [None if v is None else int(v) for v in numbers(ResultField.REMNANTS)]
        land_names = [name for name, _kind, _alias in LAND_RESULT_FIELDS if name in columns]
        if land_names:
            land_columns = [
                numbers(name) if kind == "real" else column(name)
                for name, kind, _alias in LAND_RESULT_FIELDS
                if name in columns
            ]
            lands = [dict(zip(land_names, values)) for values in zip(*land_columns)]
            if ResultField.METHOD in land_names:
                for land in lands:
                    if land.get(ResultField.METHOD, "") not in _METHODS:
                        del land[ResultField.METHOD]
        else:
            lands = [{} for _ in range(n)]
        return list(
            map(
                cls,
                texts(ResultField.PATCH_ID),
                township,
                texts(ResultField.STATUS),
                texts(ResultField.REASONS),
                numbers(ResultField.MONITOR_M2),
                numbers(ResultField.GEOM_M2),
                numbers(ResultField.REMAIN_M2),
                numbers(ResultField.REMAIN_RT),
                numbers(ResultField.LARGEST_M2),
                remnants,
                texts(ResultField.RUN_ID),
                texts(ResultField.CHECKED_AT),
                repeat(None),  # review
                repeat(None),  # evidence
                lands,
            )
        )

    def land_mu(self, name: str) -> float | None:
        """A farmland area field in 亩 (None: NULL, or the layer lacks it)."""
        value = self.land.get(name)
        return None if value is None else float(value) / SQUARE_METRES_PER_MU  # type: ignore[arg-type]

    @property
    def township_name(self) -> str:
        return self.township or UNNAMED_TOWNSHIP

    @property
    def monitor_mu(self) -> float | None:
        return None if self.monitor_m2 is None else self.monitor_m2 / SQUARE_METRES_PER_MU

    @property
    def rebuilt(self) -> bool:
        return had_rebuilt(self.reasons)

    @property
    def final_status(self) -> str:
        """The status that counts: an overturn (改判) where one stands, else the computed status."""
        return self.review.final_status if self.review is not None and self.review.final_status else self.status

    def measured(self, value):
        """A remnant figure, or None for an unsurveyed patch: its 0 m² was never measured and must
        not read as "nothing left"."""
        return None if self.status == _UNSURVEYED else value

    def remnant_figures(self) -> tuple:
        """measured() of remain_m2, remain_rt, largest_m2 and remnants, at once."""
        if self.status == _UNSURVEYED:
            return (None, None, None, None)
        return (self.remain_m2, self.remain_rt, self.largest_m2, self.remnants)


_METHODS = frozenset((None, "", *(m.value for m in Method)))
_UNSURVEYED = Status.UNSURVEYED.value  # read per figure of every row printed: not through the enum each time


def _land_values(values: Mapping[str, object]) -> dict[str, object]:
    """The farmland fields among `values`; a `method` holding other words is the patch layer's own
    field of that name (kept in an output without APPROVALS), not verify's."""
    land = {
        name: (_number(values[name]) if kind == "real" else values[name])
        for name, kind, _alias in LAND_RESULT_FIELDS
        if name in values
    }
    if land.get(ResultField.METHOD, "") not in _METHODS:
        del land[ResultField.METHOD]
    return land


def _number(value: object) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


# -- order and words ---------------------------------------------------------------------------------
_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str | None) -> tuple:
    """'H2' before 'H10': digit runs compare as numbers, the rest as text."""
    parts = _DIGITS.split(text or "")
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p.casefold()) for p in parts if p != "")


def natural_order(ids: Sequence[str | None]) -> list[int]:
    """Indexes of `ids` in natural order (stable for equal ids)."""
    texts = cast("Sequence[str]", ids)
    if ids and {*map(type, ids)} == {str} and all(map(str.isdecimal, texts)):
        # ids of digits alone (a county's codes): natural_key is ((0, the number, ""),), so the number orders them
        return sorted(range(len(ids)), key=list(map(int, texts)).__getitem__)
    return sorted(range(len(ids)), key=lambda i: natural_key(ids[i]))


@dataclass
class RunInfo:
    """The verify run(s) the records come from."""

    run_ids: list[str]
    checked_at: list[str]

    def text(self) -> str:
        runs = "、".join(self.run_ids) or NO_VALUE
        times = "、".join(local_time_text(t) for t in self.checked_at) or NO_VALUE
        return f"{REPORT_ZH['run_id']}：{runs}    {REPORT_ZH['checked_at']}：{times}"


def run_info(records: Iterable[PatchRecord]) -> RunInfo:
    """Distinct run ids and times in first-seen order (a layer merged from runs holds several)."""
    records = records if isinstance(records, Sequence) else list(records)
    runs = dict.fromkeys(map(_RUN_ID, records))
    times = dict.fromkeys(map(_CHECKED_AT, records))
    return RunInfo([r for r in runs if r], [t for t in times if t])


_RUN_ID, _CHECKED_AT = attrgetter("run_id"), attrgetter("checked_at")


def summary_rows(
    records: Sequence[PatchRecord], rank_by: RankBy | int = RankBy.AREA, with_rebuilt: bool = False
) -> list[SummaryRow]:
    """The engine's township summary over the records (ranked townships, then 合计), counting each
    patch's final status: an overturn where one stands (no partial credit either way); with the
    farmland columns where every record holds farm_m2 (legal_n where they hold method). with_rebuilt
    (a report with its audit log): also the rebuilt patches (复建) whose final status is not pass."""
    finals = final_statuses(records)
    status = np.array(finals, dtype=object)
    monitor = np.array([m or 0.0 for m in map(_MONITOR_M2, records)], dtype=float)
    extra: dict = {}
    if records and all(ResultField.FARM_M2 in r.land for r in records):
        extra["farm_m2"] = np.array([r.land[ResultField.FARM_M2] or 0.0 for r in records], dtype=float)
        extra["farm_rem"] = np.array([r.land.get(ResultField.FARM_REM) or 0.0 for r in records], dtype=float)
    if records and all(ResultField.METHOD in r.land for r in records):
        # a patch overturned to pass has no method of its own: it counts as 拆除, not as 补办
        extra["method"] = [(r.land[ResultField.METHOD] or "") if r.final_status == r.status else "" for r in records]
    if with_rebuilt:
        reasons = list(map(_REASONS, records))
        rebuilt = {text: had_rebuilt(text) for text in set(reasons)}  # PatchRecord.rebuilt, once a text
        passed = Status.PASS.value
        extra["rebuilt"] = [rebuilt[text] and final != passed for text, final in zip(reasons, finals)]
    if RankBy(rank_by) == RankBy.FARMLAND and "farm_m2" not in extra:
        rank_by = RankBy.AREA  # nothing to rank by farmland with: as the export's caller was told
    return township_summary(list(map(_TOWNSHIP, records)), status, monitor, rank_by, **extra)


def final_statuses(records: Sequence[PatchRecord]) -> list[str]:
    """[r.final_status for r in records]: the statuses themselves where no record holds a review."""
    if any(map(_REVIEW, records)):
        return [r.final_status for r in records]
    return list(map(_STATUS, records))


_MONITOR_M2, _REASONS, _TOWNSHIP = attrgetter("monitor_m2"), attrgetter("reasons"), attrgetter("township")
_REVIEW, _STATUS = attrgetter("review"), attrgetter("status")


# -- the audit log: the anchor on paper, and the auditors' marks --------------------------------------
@dataclass
class AuditStamp:
    """What the report and the maps of a run print from its audit log."""

    run_head: str  # the chain's head right after the run (the last run, when the records hold several)
    export_head: str | None  # the head at export, covering the marks shown; None when no mark is shown
    counts: dict[str, int]  # dispute state -> patches shown with it
    # rows printed though later decisions supersede them (ALLOW_OLDER_RUN); None: the latest decisions
    older: audit.Latest | None = None

    @property
    def banner(self) -> str:
        """The line every sheet and page of an older run's export prints first; '' for the latest."""
        if not self.older:
            return ""
        return text("older_run_banner", True, count=len(self.older.superseded), times=_later_times(self.older))

    def lines(self) -> list[str]:
        out = [self.banner] if self.older else []
        out.append(f"{REPORT_ZH['run_head']}：{self.run_head}")
        if self.export_head:
            out.append(f"{REPORT_ZH['export_head']}：{self.export_head}")
        return out


def apply_audit_log(
    log: str,
    records: Sequence[PatchRecord],
    complete: bool = False,
    read: audit.LogRead | None = None,
    allow_older: bool = False,
    printed: Sequence[PatchRecord] | None = None,
    columns: audit.RowColumns | None = None,
) -> tuple[AuditStamp | None, list[Notice]]:
    """Reads the audit log for the records' run(s): sets each marked record's review (an overturn
    becomes its final status) and returns the head hashes to print, with what the run's log should
    say. Nothing is printed from a log that does not hold the run (None, and a warning); a broken
    chain, or records that are not what the log says the run decided, are refused. So are printed
    rows (`printed`, of the records; all of them by default) whose patches the log decided again
    after their run, unless `allow_older`: then the stamp says so on every page. The log is read
    once (audit.read_log; `read`: as read already, whole). columns: row_columns(records), made
    already (while the log was being read)."""
    read = read if read is not None else audit.read_log(log)
    check = read.check
    if not check.valid:
        raise Refusal("audit_export_broken", path=log, seq=check.first_broken)
    runs = run_info(records).run_ids
    # every row must be what its run decided (township, status, reasons, figures), each decision used
    # once; with `complete` (the whole output, as the report takes it) none may be missing either.
    # A log of the records' run alone, its decisions in the records' order, is checked at once
    # (audit.one_run_check: the same answers, and then no state or later decision to find)
    one_run = audit.one_run_check(read, columns if columns is not None else row_columns(records))
    if one_run is not None:
        # no state stands on any row, none marked (one_run_check's conditions)
        output, latest = one_run, audit.Latest()
        standing = audit.RunStanding(audit.StandingStates([], set(), None), [], [], [])
    else:
        # (patch_id, run_id, township, status, reasons, (its figures), evidence) of each record, a field at a time
        compared = list(
            zip(
                *(map(attrgetter(name), records) for name in _COMPARED), map(_FIGURES, records), map(_EVIDENCE, records)
            )
        )
        output = audit.check_output(log, compared, complete=complete, read=read)
    head, missing = output.head, output.missing_runs
    if head is None or missing:
        return None, [
            Notice("audit_run_not_in_log", "warning", {"path": log, "runs": "、".join(missing or runs) or NO_VALUE})
        ]
    if one_run is None:
        standing = audit.standing_states(log, list(map(_DECIDED, records)), read=read)
    wrong = list(dict.fromkeys(output.changed + output.dropped + standing.differing + standing.unlogged))
    if wrong:
        raise Refusal("audit_mismatch", path=log, count=len(wrong), examples="、".join(wrong[:5]))
    if one_run is None:
        latest = audit.later_decisions(read, list(map(_PRINTED, records if printed is None else printed)))
    if latest and not allow_older:
        raise Refusal("export_not_latest", path=log, **_later_values(latest))
    counts: dict[str, int] = {}
    marked = getattr(standing.states, "marked", None)  # the only patches with a dispute, when known
    for record in records if marked is None or marked else ():  # (none marked: no record to look up)
        if marked is not None and record.patch_id not in marked:
            continue
        state = standing.states.get(record.patch_id)
        if state is not None and state.dispute:
            record.review = Review(state.dispute, state.final_status or record.status, state.note)
            counts[state.dispute] = counts.get(state.dispute, 0) + 1
    notices = []
    if output.unhashed:  # a log written before decisions covered the outline and remnants
        examples = "、".join(output.unhashed[:5])
        notices.append(Notice("audit_no_evidence", "warning", {"count": len(output.unhashed), "examples": examples}))
    if standing.superseded:
        examples = "、".join(standing.superseded[:5])
        notices.append(Notice("audit_superseded", "warning", {"count": len(standing.superseded), "examples": examples}))
    stamp = AuditStamp(head, check.head if counts and check.head != head else None, counts, latest or None)
    if latest:
        notices.append(Notice("export_older_allowed", "warning", _later_values(latest)))
    states = (Mark.OVERTURNED.value, Mark.DISPUTED.value, Mark.UPHELD.value, DISPUTE_REOPENED)
    notices.append(Notice("audit_stamped", "info", {"head": head, **{k: counts.get(k, 0) for k in states}}))
    if stamp.export_head:
        notices.append(Notice("audit_export_head", "info", {"head": stamp.export_head}))
    return stamp, notices


# what apply_audit_log hands the log's checks of each record
_COMPARED = ("patch_id", "run_id", "township", "status", "reasons")
_FIGURES = attrgetter("monitor_m2", "geom_m2", "remain_m2", "remain_rt", "largest_m2", "remnants")
_EVIDENCE = attrgetter("evidence")


def row_columns(records: Sequence[PatchRecord]) -> audit.RowColumns:
    """What the log's checks take of each record (_COMPARED, _FIGURES, _EVIDENCE), a field at a time."""
    patch_id, run_id, township, status, reasons = (list(map(attrgetter(name), records)) for name in _COMPARED)
    figures = [list(map(attrgetter(name), records)) for name in audit.FIGURES]
    return audit.RowColumns(patch_id, run_id, township, status, reasons, figures, list(map(_EVIDENCE, records)))


_DECIDED = attrgetter("patch_id", "run_id", "status")
_PRINTED = attrgetter("patch_id", "run_id")


def _later_values(latest: audit.Latest) -> dict[str, object]:
    """What a refusal or warning about later decisions names: how many patches, which, and the runs."""
    runs = {}
    for chinese, name in ((True, "runs_zh"), (False, "runs_en")):
        parts = [
            text(f"later_run.{run.kind if run.kind in _RUN_KINDS else 'appended'}", chinese,
                 at=local_time_text(run.at), run=run.run_id or NO_VALUE, count=run.patches)
            for run in latest.runs[-3:]
        ]  # fmt: skip
        if len(latest.runs) > 3:
            parts.append(text("later_runs_more", chinese, count=len(latest.runs)))
        runs[name] = ("；" if chinese else "; ").join(parts)
    return {"count": len(latest.superseded), "examples": "、".join(latest.superseded[:5]), **runs}


_RUN_KINDS = frozenset(kind.value for kind in RunKind)


def _later_times(latest: audit.Latest) -> str:
    """The times of the later runs, the last three (the latest is what a reader checks first)."""
    times = list(dict.fromkeys(local_time_text(run.at) for run in latest.runs))
    shown = "、".join(times[-3:])
    return shown if len(times) <= 3 else f"{shown} {text('later_runs_more', True, count=len(times))}"


def recorded_rank_by(log: str, run_ids: Sequence[str], read: audit.LogRead | None = None) -> RankBy | None:
    """The RANK_BY the (last) verify run of `run_ids` recorded in the audit log; None when the log
    holds none (a run made before RANK_BY, or not in this log). read: the log as read already."""
    from .parameters import Param

    wanted = set(run_ids)
    found = None
    runs = (
        audit.entries(log, kinds=[AuditEntry.RUN.value])
        if read is None
        else [audit.entry_of(row) for row in read.of_kind(AuditEntry.RUN.value)]
    )
    for entry in runs:
        if entry.run_id in wanted:
            value = (entry.data.get("parameters") or {}).get(Param.RANK_BY)
            if value is not None:
                found = RankBy(int(value))
    return found
