"""The report workbook (.xlsx): 乡镇汇总 / 图斑明细 / 未通过图斑, every sheet stamped with the run and the
audit log's head hash. Layout only: the figures and words come from core.report_model and core.wording."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from itertools import count, repeat
from operator import attrgetter
from typing import Any

from ..core.definitions import DISPUTE_REOPENED, SQUARE_METRES_PER_MU, Mark, RankBy, Status
from ..core.messages import text
from ..core.report_model import (
    AuditStamp,
    PatchRecord,
    final_statuses,
    natural_order,
    run_info,
    summary_rows,
)
from ..core.summary import SummaryRow
from ..core.wording import (
    LAND_FIGURES,
    REMAINDER_FIGURES,
    review_words,
    status_words,
)
from ..core.words import (
    PRODUCT_NAME,
    REPORT_BOOK_TITLE,
    REPORT_SHEET_TITLES,
    REPORT_ZH,
    SHEET_FAILED,
    SHEET_PATCHES,
    SHEET_SUMMARY,
    TOTAL_ROW,
    UNNAMED_TOWNSHIP,
    reasons_in_words,
)
from .xlsx import Style, Workbook

# -- the workbook ------------------------------------------------------------------------------------
_BORDER: dict[str, Any] = {"border": True}
TITLE = Style(bold=True, size=14)
INFO = Style(size=10)
INFO_LINES = Style(size=10, wrap=True)
NOTE = Style(size=9, color="595959", wrap=True)
HEADER = Style(bold=True, fill="DDEBF7", align="center", wrap=True, **_BORDER)
TEXT = Style(**_BORDER)
CENTER = Style(align="center", **_BORDER)
INT = Style(number_format="0", **_BORDER)
MU = Style(number_format="0.00", **_BORDER)
M2 = Style(number_format="#,##0.00", **_BORDER)
RATIO = Style(number_format="0.00%", **_BORDER)
DISPUTED = Style(align="center", bold=True, fill="FFEB9C", **_BORDER)
GROUP = Style(bold=True, fill="FCE4D6", **_BORDER)
STATUS_STYLE = {
    Status.PASS.value: Style(align="center", color="006100", **_BORDER),
    Status.FAIL.value: Style(align="center", color="C00000", bold=True, **_BORDER),
    Status.UNSURVEYED.value: Style(align="center", color="7F6000", **_BORDER),
}


def _total(style: Style) -> Style:
    return Style(
        number_format=style.number_format, bold=True, fill="F2F2F2", border=True, align=style.align, wrap=style.wrap
    )


def _mu(m2: float | None) -> float | None:
    return None if m2 is None else m2 / SQUARE_METRES_PER_MU


def _heading(sheet, title: str, info: str, note: str, width: int) -> None:
    sheet.set(1, 1, title, TITLE)
    sheet.merge(1, 1, 1, width)
    sheet.row_heights[1] = 24
    lines = info.count("\n") + 1
    sheet.set(2, 1, info, INFO_LINES if lines > 1 else INFO)
    sheet.merge(2, 1, 2, width)
    if lines > 1:  # the audit-log head hashes, each on its own line
        sheet.row_heights[2] = 14 * lines
    sheet.set(3, 1, note, NOTE)
    sheet.merge(3, 1, 3, width)
    sheet.row_heights[3] = 30


def _columns(sheet, row: int, headings: Sequence[tuple[str, float]]) -> None:
    for col, (heading, width) in enumerate(headings, start=1):
        sheet.set(row, col, heading, HEADER)
        sheet.column_widths[col] = width
    sheet.row_heights[row] = 30
    sheet.freeze_rows = row
    sheet.print_title_rows = (row, row)


def _final_note(stamp: AuditStamp | None) -> str:
    if stamp is None:
        return ""
    overturned = stamp.counts.get(Mark.OVERTURNED.value, 0)
    open_ = stamp.counts.get(Mark.DISPUTED.value, 0) + stamp.counts.get(DISPUTE_REOPENED, 0)
    return text("report_final_note", True, overturned=overturned, open=open_)


_RANK_NOTE = {
    RankBy.AREA: "report_rank_area",
    RankBy.FARMLAND: "report_rank_farmland",
    RankBy.COUNT: "report_rank_count",
}


def _summary_sheet(
    book: Workbook, rows: list[SummaryRow], info: str, stamp: AuditStamp | None = None, rank_by: RankBy = RankBy.AREA
) -> None:
    z = REPORT_ZH
    sheet = book.add_sheet(SHEET_SUMMARY)
    farm = bool(rows) and rows[-1].farm_m2 is not None
    legal = bool(rows) and rows[-1].legal_n is not None
    headings = [
        (z["rank"], 6), (z["township"], 16), (z["patches"], 9), (z["passed"], 9), (z["failed"], 9),
        (z["unsurveyed"], 9), (z["monitor_mu"], 14), (z["passed_mu"], 14), (z["done_area"], 12), (z["done_count"], 12),
        *([(z["farm_mu"], 14), (z["farm_pass_mu"], 14), (z["farm_done"], 12), (z["farm_rem_mu"], 14)] if farm else []),
        *([(z["legal_n"], 10)] if legal else []),
        *([(z["rebuilt"], 9)] if stamp is not None else []),  # 复建 (the return visit): with the audit log, last
    ]  # fmt: skip
    _heading(
        sheet,
        REPORT_SHEET_TITLES["summary"],
        info,
        text("report_summary_note", True) + text(_RANK_NOTE[RankBy(rank_by)], True) + _final_note(stamp),
        len(headings),
    )
    if stamp is not None:
        sheet.row_heights[3] = 42
    _columns(sheet, 4, headings)
    styles = [CENTER, TEXT, INT, INT, INT, INT, MU, MU, RATIO, RATIO]
    styles += [MU, MU, RATIO, MU] if farm else []
    styles += [INT] if legal else []
    styles += [INT] if stamp is not None else []
    for i, row in enumerate(rows):
        values = [
            row.rank, row.township, row.patches, row.passed, row.failed, row.unsurveyed,
            _mu(row.monitor_m2), _mu(row.passed_m2), row.done_area, row.done_count,
            *([_mu(row.farm_m2), _mu(row.farm_pass), row.farm_done, _mu(row.farm_rem)] if farm else []),
            *([row.legal_n] if legal else []),
            *([row.rebuilt or 0] if stamp is not None else []),
        ]  # fmt: skip
        is_total = row.township == TOTAL_ROW and row.rank is None
        row_styles: list[Style | None] = [_total(s) for s in styles] if is_total else list(styles)
        sheet.set_row(5 + i, values, row_styles)


def _review_style(record: PatchRecord) -> Style:
    if record.review is not None and record.review.dispute in (Mark.DISPUTED.value, DISPUTE_REOPENED):
        return DISPUTED
    return CENTER


def _patch_sheet(
    book: Workbook, records: Sequence[PatchRecord], shown: _Shown, info: str, stamp: AuditStamp | None = None
) -> None:
    z = REPORT_ZH
    sheet = book.add_sheet(SHEET_PATCHES)
    reviewed = stamp is not None
    land = _land_columns(records)
    headings = [
        (z["index"], 6), (z["patch_id"], 20), (z["township"], 14), (z["status"], 10),
        *([(z["review"], 22)] if reviewed else []), (z["reasons"], 28),
        (z["monitor_mu"], 13), (z["monitor_m2"], 15), (z["geom_m2"], 15), (z["remain_m2"], 15),
        (z["remain_rt"], 11), (z["largest_m2"], 15), (z["remnants"], 9),
        *[(heading, width) for heading, width, _get, _style in land], *([(z["review_note"], 30)] if reviewed else []),
    ]  # fmt: skip
    note = text("report_patches_note", True)
    if reviewed:
        note += text("report_patches_final_note", True)
    _heading(sheet, REPORT_SHEET_TITLES["patches"], info, note, len(headings))
    _columns(sheet, 4, headings)

    def styles_of(status: str, review: Style | None) -> list[Style | None]:
        return [
            INT, TEXT, TEXT, STATUS_STYLE.get(status, CENTER), *([review] if reviewed else []),
            TEXT, MU, M2, M2, M2, RATIO, M2, INT, *[style for _h, _w, _g, style in land], *([TEXT] if reviewed else []),
        ]  # fmt: skip

    row_styles = _RowStyles(styles_of)
    land_values = [list(map(get, shown.records)) for _heading, _width, get, _style in land]
    rows = list(
        zip(
            count(1), shown.patch_id, shown.township, shown.status, *([shown.review] if reviewed else ()),
            shown.reasons, shown.monitor_mu, shown.monitor_m2, shown.geom_m2, *shown.remnant_figures,
            *land_values, *([shown.note] if reviewed else ()),
        )
    )  # fmt: skip
    sheet.add_rows(5, rows, shown.row_styles(row_styles, range(len(rows))))
    sheet.auto_filter = (4, 1, max(4 + len(rows), 5), len(headings))


def _land_mu_of(name: str, remainder: bool) -> Callable[[PatchRecord], Any]:
    """A farmland field of a record in 亩; a remainder only where the patch was measured."""
    if remainder:
        return lambda r: r.measured(r.land_mu(name))
    return lambda r: r.land_mu(name)


_PATCH_ID, _STATUS, _TOWNSHIP, _REASONS = (attrgetter(n) for n in ("patch_id", "status", "township", "reasons"))
_MONITOR_M2, _GEOM_M2, _REVIEW = attrgetter("monitor_m2"), attrgetter("geom_m2"), attrgetter("review")
_REMNANT_FIGURES = tuple(attrgetter(n) for n in ("remain_m2", "remain_rt", "largest_m2", "remnants"))
_UNSURVEYED = Status.UNSURVEYED.value


class _Shown:
    """What a sheet's rows print of the records at `order`, a column each: final status, township_name,
    the status and reasons in words, monitor_mu, remnant_figures(), and with `reviewed` the review's
    words, note and style, as a record gives them one by one; worked out over whole columns (the words
    of each distinct status and reasons once, a record's review only where one is set)."""

    def __init__(self, records: Sequence[PatchRecord], order: Sequence[int], reviewed: bool, words: _Words) -> None:
        shown = list(records) if order == range(len(records)) else list(map(records.__getitem__, order))
        self.records = shown
        n = len(shown)
        statuses = list(map(_STATUS, shown))
        marked = any(map(_REVIEW, shown))
        self.final = final_statuses(shown)
        self.patch_id = list(map(_PATCH_ID, shown))
        self.township = [t or UNNAMED_TOWNSHIP for t in map(_TOWNSHIP, shown)]
        status_text = {s: words.status(s) for s in set(self.final)}
        self.status = list(map(status_text.__getitem__, self.final))
        reasons = list(map(_REASONS, shown))
        reasons_text = {r: words.reasons(r) for r in set(reasons)}
        self.reasons = list(map(reasons_text.__getitem__, reasons))
        self.monitor_m2 = list(map(_MONITOR_M2, shown))
        self.monitor_mu = [None if m is None else m / SQUARE_METRES_PER_MU for m in self.monitor_m2]
        self.geom_m2 = list(map(_GEOM_M2, shown))
        self.remnant_figures = [list(map(get, shown)) for get in _REMNANT_FIGURES]
        unsurveyed = [i for i, s in enumerate(statuses) if s == _UNSURVEYED]  # remnants never measured
        for column in self.remnant_figures:
            for i in unsurveyed:
                column[i] = None
        self.review: list = [None] * n
        self.note: list = [None] * n
        self.review_style: list[Style | None] = [CENTER if reviewed else None] * n
        if reviewed and marked:
            self.review = [review_words(r) or None for r in shown]
            self.note = [(r.review.note if r.review else None) or None for r in shown]
            self.review_style = list(map(_review_style, shown))

    def row_styles(self, styles: _RowStyles, at: Sequence[int]) -> list[list[Style | None]]:
        """styles(final status, review style) of the rows `at` (one look-up per final status where
        every row shares its review's style)."""
        review = self.review_style
        if len(set(map(id, review))) <= 1:
            by_final = {final: styles(final, review[0]) for final in set(self.final)} if review else {}
            return list(map(by_final.__getitem__, map(self.final.__getitem__, at)))
        return [styles(self.final[i], review[i]) for i in at]


class _Words:
    """status_words and reasons_in_words, each text worked out once (a county has a few dozen)."""

    def __init__(self) -> None:
        self._status: dict[str, str] = {}
        self._reasons: dict[str, str] = {}

    def status(self, status: str) -> str:
        found = self._status.get(status)
        if found is None:
            found = self._status[status] = status_words(status)
        return found

    def reasons(self, reasons: str) -> str:
        found = self._reasons.get(reasons)
        if found is None:
            found = self._reasons[reasons] = reasons_in_words(reasons)
        return found


class _RowStyles:
    """A row's list of styles by what varies between rows (the status, the review's style), one list each."""

    def __init__(self, make) -> None:
        self._make = make
        self._made: dict[tuple, list[Style | None]] = {}

    def __call__(self, status: str, review: Style | None) -> list[Style | None]:
        key = (status, id(review))  # the review's style is one of this module's: its id stays its own
        found = self._made.get(key)
        if found is None:
            found = self._made[key] = self._make(status, review)
        return found


def _land_columns(records: Sequence[PatchRecord]) -> list[tuple]:
    """(heading, width, value of a record, style) of the farmland fields every record holds: areas in 亩."""
    z = REPORT_ZH
    columns: list[tuple[str, int, Callable[[PatchRecord], Any], Style]] = []
    held = set.intersection(*(set(r.land) for r in records)) if records else set()
    for name, key in LAND_FIGURES:
        if name in held:
            columns.append((z[key], 14, _land_mu_of(name, name in REMAINDER_FIGURES), MU))
    if "appr_ids" in held:
        columns.append((z["appr_ids"], 20, lambda r: r.land["appr_ids"] or None, TEXT))
    if "method" in held:
        columns.append((z["method"], 9, lambda r: r.land["method"] or None, CENTER))
    return columns


def _failed_sheet(
    book: Workbook,
    shown: _Shown,
    rows: list[SummaryRow],
    info: str,
    stamp: AuditStamp | None = None,
) -> None:
    """Failed and unsurveyed patches (by final status) grouped by township, in rank order, for accountability."""
    z = REPORT_ZH
    sheet = book.add_sheet(SHEET_FAILED)
    reviewed = stamp is not None
    headings = [
        (z["index"], 6), (z["township"], 14), (z["patch_id"], 20), (z["status"], 10),
        *([(z["review"], 22)] if reviewed else []), (z["reasons"], 28),
        (z["monitor_mu"], 13), (z["remain_m2"], 15), (z["remain_rt"], 11), (z["largest_m2"], 15),
        (z["responsible"], 14), (z["note"], 20),
    ]  # fmt: skip
    note = text("report_failed_final_note" if reviewed else "report_failed_note", True)
    _heading(sheet, REPORT_SHEET_TITLES["failed"], info, note, len(headings))
    _columns(sheet, 4, headings)
    status_rank = {Status.FAIL.value: 0, Status.UNSURVEYED.value: 1}
    passed = Status.PASS.value
    by_town: dict[str, list[int]] = {}
    for i, final in enumerate(shown.final):  # the records in natural id order: so within each group
        if final != passed:
            by_town.setdefault(shown.township[i], []).append(i)
    rank = list(map(status_rank.get, shown.final, repeat(2)))
    columns = [
        shown.township, shown.patch_id, shown.status, *([shown.review] if reviewed else ()), shown.reasons,
        shown.monitor_mu, *shown.remnant_figures[:3],
    ]  # fmt: skip

    def styles_of(status: str, review: Style | None) -> list[Style | None]:
        return [
            INT, TEXT, TEXT, STATUS_STYLE.get(status, CENTER), *([review] if reviewed else []),
            TEXT, MU, M2, RATIO, M2, TEXT, TEXT,
        ]  # fmt: skip

    row_styles = _RowStyles(styles_of)
    row_no, n = 5, 0
    for summary in rows:
        members = sorted(by_town.get(summary.township, []), key=rank.__getitem__)
        if (summary.township == TOTAL_ROW and summary.rank is None) or not members:
            continue
        group_mu = sum(shown.monitor_mu[i] or 0.0 for i in members)
        sheet.set(
            row_no,
            1,
            text(
                "report_failed_group",
                True,
                township=summary.township,
                rank=summary.rank,
                failed=summary.failed,
                unsurveyed=summary.unsurveyed,
                monitor_mu=group_mu,
            ),
            GROUP,
        )
        sheet.merge(row_no, 1, row_no, len(headings))
        row_no += 1
        picked = [list(map(column.__getitem__, members)) for column in columns]
        group = list(zip(count(n + 1), *picked, repeat(None), repeat(None)))
        n += len(members)
        sheet.add_rows(row_no, group, shown.row_styles(row_styles, members))
        row_no += len(group)
    if n == 0:
        sheet.set(row_no, 1, text("report_all_passed", True), TEXT)
        sheet.merge(row_no, 1, row_no, len(headings))


def build_report(
    records: Sequence[PatchRecord],
    generated_at: datetime | None = None,
    stamp: AuditStamp | None = None,
    rank_by: RankBy | int = RankBy.AREA,
    scope: str = "",
) -> Workbook:
    """The three sheets: 乡镇汇总, 图斑明细, 未通过图斑; the run id and time stand on each, and with
    an audit log (`stamp`, from apply_audit_log) the chain's head hash, each on its own line; `scope`
    (the filter that limited the records) after the time, so a part is never read as the county."""
    generated = (generated_at or datetime.now().astimezone()).strftime("%Y-%m-%d %H:%M")
    info = f"{run_info(records).text()}    {REPORT_ZH['generated_at']}：{generated}"
    if scope:
        info += f"    {REPORT_ZH['scope']}：{scope}"
    if stamp is not None:
        info = "\n".join([info, *stamp.lines()])
    rows = summary_rows(records, rank_by, with_rebuilt=stamp is not None)
    if rows and rows[-1].farm_m2 is None:
        rank_by = RankBy.AREA if RankBy(rank_by) == RankBy.FARMLAND else rank_by
    order = natural_order([r.patch_id for r in records])
    shown = _Shown(records, order, stamp is not None, _Words())
    book = Workbook(creator=PRODUCT_NAME, title=REPORT_BOOK_TITLE)
    _summary_sheet(book, rows, info, stamp, RankBy(rank_by))
    _patch_sheet(book, records, shown, info, stamp)
    _failed_sheet(book, shown, rows, info, stamp)
    return book


def write_report(
    records: Sequence[PatchRecord],
    path: str,
    generated_at: datetime | None = None,
    stamp: AuditStamp | None = None,
    rank_by: RankBy | int = RankBy.AREA,
    scope: str = "",
) -> None:
    """Build the report and write it to `path` (a temporary file renamed at the end)."""
    build_report(records, generated_at, stamp, rank_by, scope).save(path)
