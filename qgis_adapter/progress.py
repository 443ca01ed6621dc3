"""The dock's 进度 view reads the campaign's progress here: the bulletin's own figures
(core.bulletin.compute_bulletin over the log, at now), its table as the bulletin prints it and its
chart drawn by the bulletin's own matplotlib code. Nothing is logged (the bulletin algorithm logs a
bulletin); no rule is computed here."""

from __future__ import annotations

import os

from ..core.bulletin import Bulletin, BulletinRow, Ledger, compute_bulletin
from ..core.campaign import CHINA, days_left, shown_time
from ..formats.bulletin_files import COLUMNS, matplotlib_available, printed, write_chart

# The bulletin table's columns the dock shows (its printed text, in the bulletin's order), without
# the gap to the target (said once, for the county, above the table).
SHOWN_COLUMNS = tuple(key for key in COLUMNS if key != "gap_mu")


def read_progress(log: str | os.PathLike) -> Bulletin:
    """The campaign's figures now, as a bulletin issued now would print them. Raises
    core.messages.Refusal for a log without a campaign or with a broken chain."""
    return compute_bulletin(Ledger(log))


def printed_rows(bulletin: Bulletin) -> list[list[str]]:
    """Each township's row (then 合计) as text, keyed as SHOWN_COLUMNS: the PDF's own cells."""
    keep = [COLUMNS.index(key) for key in SHOWN_COLUMNS]
    return [[cells[i] for i in keep] for cells in (printed(row) for row in bulletin.rows)]


def deadline_days(bulletin: Bulletin) -> dict[str, int]:
    """rectify_by / accept_by -> calendar days left at AS_OF (0 on the day, negative after)."""
    campaign = bulletin.campaign
    return {which: days_left(getattr(campaign, which), bulletin.as_of) for which in ("rectify_by", "accept_by")}


def deadline_shown(deadline) -> str:
    """A deadline as the bulletin prints it: the day alone where it is the end of a day (given as a date)."""
    local = deadline.astimezone(CHINA)
    return f"{local:%Y-%m-%d}" if (local.hour, local.minute, local.second) == (23, 59, 59) else shown_time(deadline)


def chart(bulletin: Bulletin, path: str, width_mm: float, height_mm: float) -> bool:
    """The bulletin's chart as a PNG sized for the dock; False where matplotlib is missing."""
    if not matplotlib_available():
        return False
    write_chart(bulletin, path, width_mm=width_mm, height_mm=height_mm, dpi=100)
    return True


def total(bulletin: Bulletin) -> BulletinRow:
    return bulletin.total
