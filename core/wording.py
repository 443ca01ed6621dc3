"""A patch's figures and verdict in the words a township head reads (Chinese), for the map page and
the report: statuses, reviews, reasons, local times, numbers."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from .definitions import DISPUTE_REOPENED, AreaUnit, Mark, Status
from .words import COMPUTED_ZH, DISPUTE_REOPENED_ZH, MARK_ZH, REPORT_ZH, STATUS_ZH, UNIT_ZH, reasons_in_words

if TYPE_CHECKING:  # a type only: report_model itself uses these words
    from .report_model import PatchRecord

NO_VALUE = "—"
_IN_MU = f"({UNIT_ZH[AreaUnit.MU]})"  # a heading's unit: '耕地面积(亩)'


def status_words(status: str) -> str:
    try:
        return STATUS_ZH[Status(status)]
    except ValueError:
        return status


def dispute_words(dispute: str | None) -> str:
    if dispute == DISPUTE_REOPENED:
        return DISPUTE_REOPENED_ZH
    try:
        return MARK_ZH[Mark(dispute)]
    except ValueError:
        return ""


def review_words(record: PatchRecord) -> str:
    """复核状态 as printed: '' when not marked; an overturn names the computed status beside it
    ('改判（原计算：不通过）')."""
    review = record.review
    if review is None or not review.dispute:
        return ""
    words = dispute_words(review.dispute)
    if review.dispute == Mark.OVERTURNED.value:
        return f"{words}（{COMPUTED_ZH}：{status_words(record.status)}）"
    return words


def result_words(record: PatchRecord) -> str:
    """核查结果 as printed: the final status and, beside it, the review: '通过（改判；原计算：不通过）',
    '不通过（存疑）'; the plain status when the patch is not marked."""
    final = status_words(record.final_status)
    review = record.review
    if review is None or not review.dispute:
        return final
    if review.dispute == Mark.OVERTURNED.value:
        return f"{final}（{dispute_words(review.dispute)}；{COMPUTED_ZH}：{status_words(record.status)}）"
    return f"{final}（{dispute_words(review.dispute)}）"


def local_time_text(iso: str) -> str:
    """'2026-11-26T04:09:24+00:00' -> '2026-11-26 12:09' in this machine's time zone."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")


def _fixed(value: float | None, decimals: int = 2) -> str:
    return NO_VALUE if value is None else f"{value:.{decimals}f}"


def _percent(value: float | None) -> str:
    return NO_VALUE if value is None else f"{value * 100:.2f}%"


def wrap_words(words: list[str], width: int, separator: str = "、") -> str:
    """Words joined by `separator`, broken into lines of about `width` characters at separators
    (CJK text has no spaces where a table could break it)."""
    lines: list[str] = []
    line = ""
    for word in words:
        candidate = f"{line}{separator}{word}" if line else word
        if line and len(candidate) > width:
            lines.append(line + separator)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return "\n".join(lines)


# The farmland fields on the map page and in the report, in 亩: (field, REPORT_ZH key)
LAND_FIGURES = (
    ("farm_m2", "farm_mu"),
    ("farm_rem", "farm_rem_mu"),
    ("bfarm_m2", "bfarm_mu"),
    ("bfarm_rem", "bfarm_rem_mu"),
    ("appr_m2", "appr_mu"),
)
REMAINDER_FIGURES = ("farm_rem", "bfarm_rem", "appr_m2")  # measured on the survey: "—" when unsurveyed


def land_figures(record: PatchRecord) -> list[tuple[str, str]]:
    """The farmland rows the record's layer holds, areas in 亩: a figure and its remaining part share
    a row ('耕地面积 / 剩余耕地面积(亩)': '2.42 / 0.28'), as do 已补办面积 and 整改方式, so the map page's
    table keeps its size."""
    z = REPORT_ZH
    cells: dict[str, tuple[str, Any]] = {}
    for name, key in LAND_FIGURES:
        if name in record.land:
            value = record.land_mu(name)
            cells[name] = (z[key], _fixed(record.measured(value) if name in REMAINDER_FIGURES else value))
    if "method" in record.land:
        cells["method"] = (z["method"], record.land["method"] or NO_VALUE)
    rows = []
    for first, second in (("farm_m2", "farm_rem"), ("bfarm_m2", "bfarm_rem"), ("appr_m2", "method")):
        pair = [cells[n] for n in (first, second) if n in cells]
        if pair:
            headings = [h for h, _v in pair]
            if all(h.endswith(_IN_MU) for h in headings):  # one unit for both
                headings = [h.removesuffix(_IN_MU) for h in headings[:-1]] + headings[-1:]
            rows.append((" / ".join(headings), " / ".join(v for _h, v in pair)))
    return rows


def patch_figures(record: PatchRecord, reasons_width: int = 14) -> list[tuple[str, str]]:
    """The rows of the figures table on a patch's map page: (heading, value as text). The id and
    township stand in the page's title."""
    z = REPORT_ZH
    remnants = NO_VALUE if record.remnants is None else str(record.remnants)
    words = reasons_in_words(record.reasons).split("、") if record.reasons else []
    return [
        *_base_figures(record, z, remnants),
        (z["status"], result_words(record)),
        (z["reasons"], wrap_words(words, reasons_width) or NO_VALUE),
        *review_note_rows(record, reasons_width),
        *land_figures(record),
    ]


def _base_figures(record: PatchRecord, z: dict, remnants: str) -> list[tuple[str, str]]:
    return [
        (z["monitor_mu"], _fixed(record.monitor_mu)),
        (z["monitor_m2"], _fixed(record.monitor_m2)),
        (z["geom_m2"], _fixed(record.geom_m2)),
        (z["remain_m2"], _fixed(record.measured(record.remain_m2))),
        (z["remain_rt"], _percent(record.measured(record.remain_rt))),
        (z["largest_m2"], _fixed(record.measured(record.largest_m2))),
        (z["remnants"], record.measured(remnants) or NO_VALUE),
    ]


def review_note_rows(record: PatchRecord, width: int = 14) -> list[tuple[str, str]]:
    """复核说明 on the map page: the auditor's note where a mark stands (the page says why a patch
    reads as it does)."""
    note = record.review.note if record.review is not None else None
    if not note:
        return []
    lines = [note[i : i + width] for i in range(0, len(note), width)]  # CJK text breaks anywhere
    return [(REPORT_ZH["review_note"], "\n".join(lines))]
