"""What the land bureau reads: the figures of one patch for its map page, and the report workbook.

Built from the verify OUTPUT's fields; the township table is the engine's own summary
(core.summary.township_summary), so no rule is computed twice. No QGIS here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from ..formats.xlsx import Style, Workbook
from . import audit
from .definitions import (
    DISPUTE_REOPENED,
    DISPUTE_REOPENED_ZH,
    MARK_ZH,
    REPORT_ZH,
    SHEET_FAILED,
    SHEET_PATCHES,
    SHEET_SUMMARY,
    SQUARE_METRES_PER_MU,
    STATUS_ZH,
    TOTAL_ROW,
    UNNAMED_TOWNSHIP,
    F,
    Mark,
    Status,
    reasons_in_words,
)
from .messages import Notice, Refusal
from .summary import SummaryRow, township_summary

NO_VALUE = "—"


@dataclass(frozen=True)
class Review:
    """An auditor's marks on a patch, from the audit log (core/audit.py): what the outputs print."""

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

    @classmethod
    def from_values(cls, values: Mapping[str, object]) -> PatchRecord:
        """From a mapping of verify field names to plain values (None for NULL)."""

        def text(name: str) -> str:
            value = values.get(name)
            return "" if value is None else str(value)

        township = values.get(F.TOWNSHIP)
        remnants = _number(values.get(F.REMNANTS))
        return cls(
            patch_id=text(F.PATCH_ID),
            township=None if township in (None, "") else str(township),
            status=text(F.STATUS),
            reasons=text(F.REASONS),
            monitor_m2=_number(values.get(F.MONITOR_M2)),
            geom_m2=_number(values.get(F.GEOM_M2)),
            remain_m2=_number(values.get(F.REMAIN_M2)),
            remain_rt=_number(values.get(F.REMAIN_RT)),
            largest_m2=_number(values.get(F.LARGEST_M2)),
            remnants=None if remnants is None else int(remnants),
            run_id=text(F.RUN_ID),
            checked_at=text(F.CHECKED_AT),
        )

    @property
    def township_name(self) -> str:
        return self.township or UNNAMED_TOWNSHIP

    @property
    def monitor_mu(self) -> float | None:
        return None if self.monitor_m2 is None else self.monitor_m2 / SQUARE_METRES_PER_MU

    @property
    def final_status(self) -> str:
        """The status that counts: an overturn (改判) where one stands, else the computed status."""
        return self.review.final_status if self.review is not None and self.review.final_status else self.status

    def measured(self, value):
        """A remnant figure, or None for an unsurveyed patch: its 0 m² was never measured and must
        not read as "nothing left"."""
        return None if self.status == Status.UNSURVEYED.value else value


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
    return sorted(range(len(ids)), key=lambda i: natural_key(ids[i]))


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
        return f"{words}（原计算：{status_words(record.status)}）"
    return words


def result_words(record: PatchRecord) -> str:
    """核查结果 as printed: the final status and, beside it, the review: '通过（改判；原计算：不通过）',
    '不通过（存疑）'; the plain status when the patch is not marked."""
    final = status_words(record.final_status)
    review = record.review
    if review is None or not review.dispute:
        return final
    if review.dispute == Mark.OVERTURNED.value:
        return f"{final}（{dispute_words(review.dispute)}；原计算：{status_words(record.status)}）"
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


def patch_figures(record: PatchRecord, reasons_width: int = 14) -> list[tuple[str, str]]:
    """The rows of the figures table on a patch's map page: (heading, value as text). The id and
    township stand in the page's title."""
    z = REPORT_ZH
    remnants = NO_VALUE if record.remnants is None else str(record.remnants)
    words = reasons_in_words(record.reasons).split("、") if record.reasons else []
    return [
        (z["monitor_mu"], _fixed(record.monitor_mu)),
        (z["monitor_m2"], _fixed(record.monitor_m2)),
        (z["geom_m2"], _fixed(record.geom_m2)),
        (z["remain_m2"], _fixed(record.measured(record.remain_m2))),
        (z["remain_rt"], _percent(record.measured(record.remain_rt))),
        (z["largest_m2"], _fixed(record.measured(record.largest_m2))),
        (z["remnants"], record.measured(remnants) or NO_VALUE),
        (z["status"], result_words(record)),
        (z["reasons"], wrap_words(words, reasons_width) or NO_VALUE),
    ]


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
    runs: dict[str, None] = {}
    times: dict[str, None] = {}
    for record in records:
        if record.run_id:
            runs.setdefault(record.run_id, None)
        if record.checked_at:
            times.setdefault(record.checked_at, None)
    return RunInfo(list(runs), list(times))


def summary_rows(records: Sequence[PatchRecord]) -> list[SummaryRow]:
    """The engine's township summary over the records (ranked townships, then 合计), counting each
    patch's final status: an overturn where one stands (no partial credit either way)."""
    status = np.array([r.final_status for r in records], dtype=object)
    monitor = np.array([r.monitor_m2 or 0.0 for r in records], dtype=float)
    return township_summary([r.township for r in records], status, monitor)


# -- the audit log: the anchor on paper, and the auditors' marks --------------------------------------
@dataclass
class AuditStamp:
    """What the report and the maps of a run print from its audit log."""

    run_head: str  # the chain's head right after the run (the last run, when the records hold several)
    export_head: str | None  # the head at export, covering the marks shown; None when no mark is shown
    counts: dict[str, int]  # dispute state -> patches shown with it

    def lines(self) -> list[str]:
        out = [f"{REPORT_ZH['run_head']}：{self.run_head}"]
        if self.export_head:
            out.append(f"{REPORT_ZH['export_head']}：{self.export_head}")
        return out


def apply_audit_log(
    log: str, records: Sequence[PatchRecord], complete: bool = False
) -> tuple[AuditStamp | None, list[Notice]]:
    """Reads the audit log for the records' run(s): sets each marked record's review (an overturn
    becomes its final status) and returns the head hashes to print, with what the run's log should
    say. Nothing is printed from a log that does not hold the run (None, and a warning); a broken
    chain, or records that are not what the log says the run decided, are refused."""
    check = audit.verify_chain(log)
    if not check.valid:
        raise Refusal("audit_export_broken", path=log, seq=check.first_broken)
    runs = run_info(records).run_ids
    # every row must be what its run decided (township, status, reasons, figures), each decision used
    # once; with `complete` (the whole output, as the report takes it) none may be missing either
    output = audit.check_output(
        log,
        [
            (
                r.patch_id,
                r.run_id,
                r.township,
                r.status,
                r.reasons,
                (r.monitor_m2, r.geom_m2, r.remain_m2, r.remain_rt, r.largest_m2, r.remnants),
            )
            for r in records
        ],
        complete=complete,
    )
    head, missing = output.head, output.missing_runs
    if head is None or missing:
        return None, [
            Notice("audit_run_not_in_log", "warning", {"path": log, "runs": "、".join(missing or runs) or NO_VALUE})
        ]
    standing = audit.standing_states(log, [(r.patch_id, r.run_id, r.status) for r in records])
    wrong = list(dict.fromkeys(output.changed + output.dropped + standing.differing + standing.unlogged))
    if wrong:
        raise Refusal("audit_mismatch", path=log, count=len(wrong), examples="、".join(wrong[:5]))
    counts: dict[str, int] = {}
    for record in records:
        state = standing.states.get(record.patch_id)
        if state is not None and state.dispute:
            record.review = Review(state.dispute, state.final_status or record.status, state.note)
            counts[state.dispute] = counts.get(state.dispute, 0) + 1
    notices = []
    if standing.superseded:
        examples = "、".join(standing.superseded[:5])
        notices.append(Notice("audit_superseded", "warning", {"count": len(standing.superseded), "examples": examples}))
    stamp = AuditStamp(head, check.head if counts and check.head != head else None, counts)
    states = (Mark.OVERTURNED.value, Mark.DISPUTED.value, Mark.UPHELD.value, DISPUTE_REOPENED)
    notices.append(Notice("audit_stamped", "info", {"head": head, **{k: counts.get(k, 0) for k in states}}))
    if stamp.export_head:
        notices.append(Notice("audit_export_head", "info", {"head": stamp.export_head}))
    return stamp, notices


# -- the workbook ------------------------------------------------------------------------------------
_BORDER = dict(border=True)
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


def _columns(sheet, row: int, headings: list[tuple[str, float]]) -> None:
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
    return (
        f"按复核后的最终结果统计：改判的图斑（{overturned} 个）按改判结果计入，存疑的图斑（{open_} 个）尚无定论、"
        "按计算结果计入。"
    )


def _summary_sheet(book: Workbook, rows: list[SummaryRow], info: str, stamp: AuditStamp | None = None) -> None:
    z = REPORT_ZH
    sheet = book.add_sheet(SHEET_SUMMARY)
    headings = [
        (z["rank"], 6), (z["township"], 16), (z["patches"], 9), (z["passed"], 9), (z["failed"], 9),
        (z["unsurveyed"], 9), (z["monitor_mu"], 14), (z["passed_mu"], 14), (z["done_area"], 12), (z["done_count"], 12),
    ]  # fmt: skip
    _heading(
        sheet,
        "乡镇整改完成情况汇总",
        info,
        "面积完成率 = 通过图斑的监测面积 ÷ 全部图斑的监测面积；不通过、未核查的图斑留在分母中、不计入完成"
        "（拆不到位、达不到标准的，一律不计入完成比例）。排名按面积完成率，并列同名次。" + _final_note(stamp),
        len(headings),
    )
    if stamp is not None:
        sheet.row_heights[3] = 42
    _columns(sheet, 4, headings)
    styles = [CENTER, TEXT, INT, INT, INT, INT, MU, MU, RATIO, RATIO]
    for i, row in enumerate(rows):
        values = [
            row.rank, row.township, row.patches, row.passed, row.failed, row.unsurveyed,
            _mu(row.monitor_m2), _mu(row.passed_m2), row.done_area, row.done_count,
        ]  # fmt: skip
        is_total = row.township == TOTAL_ROW and row.rank is None
        sheet.set_row(5 + i, values, [_total(s) for s in styles] if is_total else styles)


def _review_style(record: PatchRecord) -> Style:
    if record.review is not None and record.review.dispute in (Mark.DISPUTED.value, DISPUTE_REOPENED):
        return DISPUTED
    return CENTER


def _patch_sheet(
    book: Workbook, records: Sequence[PatchRecord], order: list[int], info: str, stamp: AuditStamp | None = None
) -> None:
    z = REPORT_ZH
    sheet = book.add_sheet(SHEET_PATCHES)
    reviewed = stamp is not None
    headings = [
        (z["index"], 6), (z["patch_id"], 20), (z["township"], 14), (z["status"], 10),
        *([(z["review"], 22)] if reviewed else []), (z["reasons"], 28),
        (z["monitor_mu"], 13), (z["monitor_m2"], 15), (z["geom_m2"], 15), (z["remain_m2"], 15),
        (z["remain_rt"], 11), (z["largest_m2"], 15), (z["remnants"], 9), *([(z["review_note"], 30)] if reviewed else []),
    ]  # fmt: skip
    note = "剩余比例 = 剩余面积 ÷ 监测面积；最大残留达到主体建筑面积阈值即为“拆次留主”，不论比例一律不通过。"
    if reviewed:
        note += "核查结果为最终结果：改判的以改判结果为准，复核状态栏注明原计算结果；原因与各项面积为核查计算所得。"
    _heading(sheet, "图斑核查明细", info, note, len(headings))
    _columns(sheet, 4, headings)
    for n, i in enumerate(order, start=1):
        r = records[i]
        values = [
            n, r.patch_id, r.township_name, status_words(r.final_status), *([review_words(r) or None] if reviewed else []),
            reasons_in_words(r.reasons), r.monitor_mu, r.monitor_m2, r.geom_m2, r.measured(r.remain_m2),
            r.measured(r.remain_rt), r.measured(r.largest_m2), r.measured(r.remnants),
            *([(r.review.note if r.review else None) or None] if reviewed else []),
        ]  # fmt: skip
        styles = [
            INT, TEXT, TEXT, STATUS_STYLE.get(r.final_status, CENTER), *([_review_style(r)] if reviewed else []),
            TEXT, MU, M2, M2, M2, RATIO, M2, INT, *([TEXT] if reviewed else []),
        ]  # fmt: skip
        sheet.set_row(4 + n, values, styles)
    sheet.auto_filter = (4, 1, max(4 + len(order), 5), len(headings))


def _failed_sheet(
    book: Workbook,
    records: Sequence[PatchRecord],
    order: list[int],
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
    note = "按乡镇排名分组列出不通过和未核查的图斑；责任人、备注两栏由各乡镇填写。"
    if reviewed:
        note = (
            "按乡镇排名分组列出最终结果为不通过和未核查的图斑（改判的以改判结果为准）；责任人、备注两栏由各乡镇填写。"
        )
    _heading(sheet, "未通过图斑清单（逐图斑倒查责任）", info, note, len(headings))
    _columns(sheet, 4, headings)
    status_rank = {Status.FAIL.value: 0, Status.UNSURVEYED.value: 1}
    by_town: dict[str, list[int]] = {}
    for i in order:  # natural id order within each group
        if records[i].final_status != Status.PASS.value:
            by_town.setdefault(records[i].township_name, []).append(i)
    row_no, n = 5, 0
    for summary in rows:
        members = sorted(by_town.get(summary.township, []), key=lambda i: status_rank.get(records[i].final_status, 2))
        if (summary.township == TOTAL_ROW and summary.rank is None) or not members:
            continue
        group_mu = sum(records[i].monitor_mu or 0.0 for i in members)
        sheet.set(
            row_no,
            1,
            f"{summary.township}（排名 {summary.rank}）：不通过 {summary.failed} 个，未核查 {summary.unsurveyed} 个，"
            f"监测面积合计 {group_mu:.2f} 亩",
            GROUP,
        )
        sheet.merge(row_no, 1, row_no, len(headings))
        row_no += 1
        for i in members:
            n += 1
            r = records[i]
            values = [
                n, r.township_name, r.patch_id, status_words(r.final_status), *([review_words(r) or None] if reviewed else []),
                reasons_in_words(r.reasons), r.monitor_mu, r.measured(r.remain_m2), r.measured(r.remain_rt),
                r.measured(r.largest_m2), None, None,
            ]  # fmt: skip
            styles = [
                INT, TEXT, TEXT, STATUS_STYLE.get(r.final_status, CENTER), *([_review_style(r)] if reviewed else []),
                TEXT, MU, M2, RATIO, M2, TEXT, TEXT,
            ]  # fmt: skip
            sheet.set_row(row_no, values, styles)
            row_no += 1
    if n == 0:
        sheet.set(row_no, 1, "全部图斑均已通过核查。", TEXT)
        sheet.merge(row_no, 1, row_no, len(headings))


def build_report(
    records: Sequence[PatchRecord], generated_at: datetime | None = None, stamp: AuditStamp | None = None
) -> Workbook:
    """The three sheets: 乡镇汇总, 图斑明细, 未通过图斑; the run id and time stand on each, and with
    an audit log (`stamp`, from apply_audit_log) the chain's head hash, each on its own line."""
    generated = (generated_at or datetime.now().astimezone()).strftime("%Y-%m-%d %H:%M")
    info = f"{run_info(records).text()}    {REPORT_ZH['generated_at']}：{generated}"
    if stamp is not None:
        info = "\n".join([info, *stamp.lines()])
    rows = summary_rows(records)
    order = natural_order([r.patch_id for r in records])
    book = Workbook(creator="拆除核查 Demolition Verifier", title="拆除核查报表")
    _summary_sheet(book, rows, info, stamp)
    _patch_sheet(book, records, order, info, stamp)
    _failed_sheet(book, records, order, rows, info, stamp)
    return book


def write_report(
    records: Sequence[PatchRecord], path: str, generated_at: datetime | None = None, stamp: AuditStamp | None = None
) -> None:
    """Build the report and write it to `path` (a temporary file renamed at the end)."""
    build_report(records, generated_at, stamp).save(path)
