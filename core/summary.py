"""Township completion by monitored area, with no partial credit, and the ranking."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

from .definitions import (
    FARM_SUMMARY_FIELDS,
    LEGAL_SUMMARY_FIELDS,
    SUMMARY_FIELDS,
    SUMMARY_FIELDS_REBUILT,
    Method,
    RankBy,
    Status,
)
from .words import TOTAL_ROW, UNNAMED_TOWNSHIP

# Completion rates equal to this many decimals share a rank (float noise must not split a tie).
RANK_DECIMALS = 9


@dataclass
class SummaryRow:
    township: str
    patches: int
    passed: int
    failed: int
    unsurveyed: int
    monitor_m2: float
    passed_m2: float
    done_area: float
    done_count: float
    rank: int | None
    rebuilt: int | None = None  # patches rebuilt (复建); None where the run had no audit log to compare with
    # with LAND_CLASS (farm_*) and APPROVALS (legal_n) only; None otherwise, and then not written
    farm_m2: float | None = None
    farm_pass: float | None = None
    farm_done: float | None = None  # None also where the township has no farmland (it ranks last)
    farm_rem: float | None = None
    legal_n: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def summary_fields(rows: Sequence[SummaryRow]) -> tuple[tuple[str, str, str], ...]:
    """The summary's columns: SUMMARY_FIELDS, the rebuilt count where the rows carry one (a run with
    AUDIT_LOG), then the farmland ones where the rows hold them."""
    fields = SUMMARY_FIELDS_REBUILT if any(row.rebuilt is not None for row in rows) else SUMMARY_FIELDS
    if rows and rows[-1].farm_m2 is not None:
        fields += FARM_SUMMARY_FIELDS
    if rows and rows[-1].legal_n is not None:
        fields += LEGAL_SUMMARY_FIELDS
    return fields


def _row(name: str, status: np.ndarray, monitor_m2: np.ndarray, rebuilt=None, farm=None, legal=None) -> SummaryRow:
    passed = status == Status.PASS.value
    monitor = float(monitor_m2.sum())
    passed_m2 = float(monitor_m2[passed].sum())
    patches = len(status)
    row = SummaryRow(
        township=name,
        patches=patches,
        passed=int(passed.sum()),
        failed=int((status == Status.FAIL.value).sum()),
        unsurveyed=int((status == Status.UNSURVEYED.value).sum()),
        monitor_m2=monitor,
        passed_m2=passed_m2,
        # no partial credit: failed and unsurveyed patches stay in the denominator only
        done_area=passed_m2 / monitor if monitor > 0 else 0.0,
        done_count=int(passed.sum()) / patches if patches else 0.0,
        rank=None,
        rebuilt=None if rebuilt is None else int(rebuilt.sum()),
    )
    if farm is not None:
        farm_m2, farm_rem = farm
        row.farm_m2 = float(farm_m2.sum())
        row.farm_pass = float(farm_m2[passed].sum())
        row.farm_done = row.farm_pass / row.farm_m2 if row.farm_m2 > 0 else None
        row.farm_rem = float(farm_rem.sum())
    if legal is not None:
        row.legal_n = int(legal.sum())
    return row


def _rank_key(row: SummaryRow, rank_by: RankBy) -> float | None:
    if rank_by == RankBy.COUNT:
        return row.done_count
    if rank_by == RankBy.FARMLAND and row.farm_m2 is not None:
        return row.farm_done
    return row.done_area


def township_summary(
    townships: Sequence[str | None] | None,
    status: np.ndarray,
    monitor_m2: np.ndarray,
    rank_by: RankBy | int = RankBy.AREA,
    farm_m2: np.ndarray | None = None,
    farm_rem: np.ndarray | None = None,
    method: Sequence[str] | None = None,
    rebuilt: Sequence[bool] | None = None,
) -> list[SummaryRow]:
    """One row per township, ordered by rank then name, then the 合计 row.

    Patches without a township value form the row 未填. Rank 1 is the highest completion by
    `rank_by` (monitored area, farmland or patch count); equal values share a rank and the next rank
    skips (1, 2, 2, 4); a township without farmland (farm_done NULL) ranks after all others when
    ranking by farmland. Without townships: the total alone. farm_m2/farm_rem (per patch) add the
    farmland columns, method (per patch) legal_n; rebuilt (per patch, with an audit log) the count of
    rebuilt patches.
    """
    status = np.asarray(status, dtype=object)
    monitor_m2 = np.asarray(monitor_m2, dtype=float)
    rank_by = RankBy(rank_by)
    farm = None
    if farm_m2 is not None:
        farm = (np.asarray(farm_m2, dtype=float), np.asarray(farm_rem if farm_rem is not None else farm_m2 * 0, float))
    legal = None if method is None else np.array([m == Method.LEGALISED.value for m in method], dtype=bool)
    flags = None if rebuilt is None else np.asarray(rebuilt, dtype=bool)

    def part(member):
        return (
            None if flags is None else flags[member],
            None if farm is None else (farm[0][member], farm[1][member]),
            None if legal is None else legal[member],
        )

    rows: list[SummaryRow] = []
    if townships is not None:
        names = [t if t not in (None, "") else UNNAMED_TOWNSHIP for t in townships]
        order = sorted(set(names))
        # each township's patches as indexes in their own order (one pass, not a comparison per township)
        code = {name: i for i, name in enumerate(order)}
        codes = np.fromiter((code[n] for n in names), dtype=np.intp, count=len(names))
        by_town = np.argsort(codes, kind="stable")
        ends = np.cumsum(np.bincount(codes, minlength=len(order)))
        for i, name in enumerate(order):
            member = by_town[(ends[i - 1] if i else 0) : ends[i]]
            rows.append(_row(name, status[member], monitor_m2[member], *part(member)))
        keys = [_rank_key(r, rank_by) for r in rows]
        keys = [None if k is None else round(k, RANK_DECIMALS) for k in keys]
        ranked = [k for k in keys if k is not None]
        for row, key in zip(rows, keys):
            row.rank = 1 + (sum(other > key for other in ranked) if key is not None else len(ranked))
        rows.sort(key=lambda r: (r.rank, r.township))
    rows.append(_row(TOTAL_ROW, status, monitor_m2, *part(slice(None))))
    return rows
