"""The township table of the dock: core.summary.township_summary (the report's and verify's own
ranking) over the table's rows, by final status; here only its figures become text."""

from __future__ import annotations

import numpy as np

from ..core.definitions import SQUARE_METRES_PER_MU
from ..core.summary import SummaryRow, township_summary
from .i18n import tr

# the columns' source strings (tr() in the dock gives the Chinese)
TOWNSHIP_HEADINGS = (
    "Township",
    "Patches",
    "Pass",
    "Fail",
    "Unsurveyed",
    "Monitored (mu)",
    "Passed (mu)",
    "Done by area",
    "Done by count",
    "Rank",
)
TOWNSHIP_COLUMNS = tuple(range(len(TOWNSHIP_HEADINGS)))
CONTEXT = "Townships"


def township_headings() -> list[str]:
    """The headings in the user's language (TOWNSHIP_HEADINGS, literally, for the translation check)."""
    return [
        tr(CONTEXT, "Township"),
        tr(CONTEXT, "Patches"),
        tr(CONTEXT, "Pass"),
        tr(CONTEXT, "Fail"),
        tr(CONTEXT, "Unsurveyed"),
        tr(CONTEXT, "Monitored (mu)"),
        tr(CONTEXT, "Passed (mu)"),
        tr(CONTEXT, "Done by area"),
        tr(CONTEXT, "Done by count"),
        tr(CONTEXT, "Rank"),
    ]


def township_rows(rows) -> list[SummaryRow]:
    """The ranked townships, then the total (合计), counting each patch's final status."""
    if not rows:
        return []
    status = np.array([r.final for r in rows], dtype=object)
    monitor = np.array([r.monitor_m2 for r in rows], dtype=float)
    return township_summary([r.township for r in rows], status, monitor)


def township_values(row: SummaryRow) -> list[str]:
    return [
        row.township,
        str(row.patches),
        str(row.passed),
        str(row.failed),
        str(row.unsurveyed),
        f"{row.monitor_m2 / SQUARE_METRES_PER_MU:,.2f}",
        f"{row.passed_m2 / SQUARE_METRES_PER_MU:,.2f}",
        f"{row.done_area * 100:.1f}%",
        f"{row.done_count * 100:.1f}%",
        "" if row.rank is None else str(row.rank),
    ]
