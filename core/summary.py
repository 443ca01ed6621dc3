"""Township completion by monitored area, with no partial credit, and the ranking."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

from .definitions import SUMMARY_FIELDS, SUMMARY_FIELDS_REBUILT, Status
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

    def as_dict(self) -> dict:
        return asdict(self)


def _row(name: str, status: np.ndarray, monitor_m2: np.ndarray, rebuilt: np.ndarray | None = None) -> SummaryRow:
    passed = status == Status.PASS.value
    monitor = float(monitor_m2.sum())
    passed_m2 = float(monitor_m2[passed].sum())
    patches = len(status)
    return SummaryRow(
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


def township_summary(
    townships: Sequence[str | None] | None,
    status: np.ndarray,
    monitor_m2: np.ndarray,
    rebuilt: Sequence[bool] | None = None,
) -> list[SummaryRow]:
    """One row per township, ordered by rank then name, then the 合计 row.

    Patches without a township value form the row 未填. Rank 1 is the highest done_area; equal
    values share a rank and the next rank skips (1, 2, 2, 4). Without townships: the total alone.
    rebuilt (per patch, with an audit log): each row also counts the rebuilt patches.
    """
    status = np.asarray(status, dtype=object)
    monitor_m2 = np.asarray(monitor_m2, dtype=float)
    flags = None if rebuilt is None else np.asarray(rebuilt, dtype=bool)
    rows: list[SummaryRow] = []
    if townships is not None:
        names = np.array([t if t not in (None, "") else UNNAMED_TOWNSHIP for t in townships], dtype=object)
        for name in sorted(set(names.tolist())):
            member = names == name
            rows.append(_row(name, status[member], monitor_m2[member], None if flags is None else flags[member]))
        keys = [round(r.done_area, RANK_DECIMALS) for r in rows]
        for row, key in zip(rows, keys):
            row.rank = 1 + sum(other > key for other in keys)
        rows.sort(key=lambda r: (r.rank, r.township))
    rows.append(_row(TOTAL_ROW, status, monitor_m2, flags))
    return rows


def summary_fields(rows: Sequence[SummaryRow]) -> tuple[tuple[str, str, str], ...]:
    """The summary's columns: the rebuilt count only where the rows carry one (a run with AUDIT_LOG)."""
    return SUMMARY_FIELDS_REBUILT if any(row.rebuilt is not None for row in rows) else SUMMARY_FIELDS
