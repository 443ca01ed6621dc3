"""The progress bulletin's files without QGIS: the workbook (.xlsx), the plain table as CSV, and the
chart (PNG, through matplotlib's object API: Figure and the Agg canvas, never pyplot, so it runs off
the main thread and opens no window). Every file states the log's head hash and AS_OF."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence

from ..core import messages
from ..core.bulletin import BULLETIN_FIELDS, Bulletin, BulletinRow, rank_change
from ..core.campaign import CHINA, days_left, shown_time
from ..core.definitions import SQUARE_METRES_PER_MU
from ..core.words import (
    BULLETIN_TITLE,
    BULLETIN_ZH,
    CHINA_TIME_INCLUSIVE,
    PRODUCT_NAME,
    SHEET_BULLETIN,
    SHEET_PROGRESS,
    TOTAL_ROW,
)
from .atomic import atomic_write
from .xlsx import Style, Workbook

# -- words and figures as printed --------------------------------------------------------------------
COLUMNS = (
    "rank", "township", "patches", "task_mu", "applied", "pending", "passed", "failed", "unsurveyed",
    "passed_mu", "done_area", "done_count", "change", "new_passed", "new_pass_mu", "gap_mu",
)  # fmt: skip


def mu(m2: float | None) -> float | None:
    return None if m2 is None else m2 / SQUARE_METRES_PER_MU


def deadline_text(bulletin: Bulletin, which: str) -> str:
    deadline = getattr(bulletin.campaign, which)
    days = days_left(deadline, bulletin.as_of)
    if days > 0:
        left = BULLETIN_ZH["days_left"].format(days=days)
    elif days == 0:
        left = BULLETIN_ZH["due_today"]
    else:
        left = BULLETIN_ZH["days_over"].format(days=-days)
    local = deadline.astimezone(CHINA)
    when = f"{local:%Y-%m-%d}" if (local.hour, local.minute, local.second) == (23, 59, 59) else shown_time(deadline)
    return f"{BULLETIN_ZH[which]} {when}（{left}）"


def title(bulletin: Bulletin) -> str:
    name = bulletin.campaign.name
    return f"{name}{BULLETIN_TITLE[2:]}" if name.endswith(BULLETIN_TITLE[:2]) else f"{name} {BULLETIN_TITLE}"


def heading_lines(bulletin: Bulletin) -> list[str]:
    """The lines above the table: moments, deadlines with days left, target, head hash."""
    campaign = bulletin.campaign
    target = f"{BULLETIN_ZH['target']} {campaign.target:.0%}" if campaign.target is not None else ""
    return [
        f"{BULLETIN_ZH['as_of']} {shown_time(bulletin.as_of)}{CHINA_TIME_INCLUSIVE}    "
        f"{BULLETIN_ZH['compare_to']} {shown_time(bulletin.compare_to)}",
        "    ".join(
            x for x in (deadline_text(bulletin, "rectify_by"), deadline_text(bulletin, "accept_by"), target) if x
        ),
    ]


def head_line(bulletin: Bulletin) -> str:
    return messages.text(
        "bulletin_head_line",
        True,
        heading=BULLETIN_ZH["head"],
        head=bulletin.head,
        entries=bulletin.entries,
        as_of=shown_time(bulletin.as_of),
    )


def total_line(bulletin: Bulletin) -> str:
    total = bulletin.total
    text = messages.text(
        "bulletin_total",
        True,
        patches=total.patches,
        task_mu=mu(total.task_m2),
        passed=total.passed,
        passed_mu=mu(total.passed_m2),
        done_area=total.done_area,
        new_passed=total.new_passed,
        new_pass_mu=mu(total.new_pass_m2),
        pending=total.pending,
    )
    if total.gap_m2 is not None:
        if total.gap_m2 > 0:
            text += messages.text("bulletin_gap", True, gap_mu=mu(total.gap_m2))
        else:
            text += messages.text("bulletin_target_reached", True)
    return text + "。"


def cells(row: BulletinRow) -> dict[str, object]:
    """One table row's values, keyed as COLUMNS (numbers as numbers; the workbook formats them)."""
    return {
        "rank": row.rank,
        "township": row.township,
        "patches": row.patches,
        "task_mu": mu(row.task_m2),
        "applied": row.applied,
        "pending": row.pending,
        "passed": row.passed,
        "failed": row.failed,
        "unsurveyed": row.unsurveyed,
        "passed_mu": mu(row.passed_m2),
        "done_area": row.done_area,
        "done_count": row.done_count,
        "change": rank_change(row),
        "new_passed": row.new_passed,
        "new_pass_mu": mu(row.new_pass_m2),
        "gap_mu": mu(row.gap_m2),
    }


def printed(row: BulletinRow) -> list[str]:
    """One row as text, for the PDF's table."""
    values = cells(row)
    out = []
    for key in COLUMNS:
        value = values[key]
        if value is None:
            out.append("")
        elif key in ("done_area", "done_count"):
            out.append(f"{value:.1%}")
        elif key.endswith("_mu"):
            out.append(f"{value:,.2f}")
        else:
            out.append(str(value))
    return out


# -- the workbook -----------------------------------------------------------------------------------
def write_workbook(bulletin: Bulletin, path: str, generated_at: str) -> None:
    book = Workbook(creator=PRODUCT_NAME, title=BULLETIN_TITLE)
    sheet = book.add_sheet(SHEET_BULLETIN)
    width = len(COLUMNS)
    sheet.set(1, 1, title(bulletin), Style(bold=True, size=16))
    sheet.merge(1, 1, 1, width)
    lines = [*heading_lines(bulletin), head_line(bulletin), f"{BULLETIN_ZH['generated_at']} {generated_at}"]
    for i, line in enumerate(lines, start=2):
        sheet.set(i, 1, line)
        sheet.merge(i, 1, i, width)
    top = len(lines) + 3
    header = Style(bold=True, fill="DDEBF7", border=True, align="center", wrap=True)
    sheet.set_row(top, [BULLETIN_ZH[k] for k in COLUMNS], header)
    styles = {
        "done_area": Style("0.0%", border=True),
        "done_count": Style("0.0%", border=True),
        "task_mu": Style("#,##0.00", border=True),
        "passed_mu": Style("#,##0.00", border=True),
        "new_pass_mu": Style("#,##0.00", border=True),
        "gap_mu": Style("#,##0.00", border=True),
        "change": Style(border=True, align="center"),
    }
    plain, bold_total = Style(border=True), Style(bold=True, border=True)
    for r, row in enumerate(bulletin.rows, start=top + 1):
        values = cells(row)
        for c, key in enumerate(COLUMNS, start=1):
            style = styles.get(key, plain)
            if row is bulletin.total:
                style = Style(style.number_format, bold=True, border=True, align=style.align)
            sheet.set(r, c, values[key], style if row is not bulletin.total or key != "township" else bold_total)
    sheet.set(top + len(bulletin.rows) + 2, 1, total_line(bulletin))
    sheet.freeze_rows = top
    for c, key in enumerate(COLUMNS, start=1):
        sheet.column_widths[c] = 14 if key == "township" else 11
    # completion over time: one row per moment the figures changed
    progress = book.add_sheet(SHEET_PROGRESS)
    towns = [r.township for r in bulletin.rows[:-1]]
    progress.set(
        1, 1, f"{BULLETIN_ZH['chart_lines']}（{BULLETIN_ZH['done_area']}）    {head_line(bulletin)}", Style(bold=True)
    )
    progress.set_row(3, [BULLETIN_ZH["time"], *towns, TOTAL_ROW], header)
    for r, point in enumerate(bulletin.series, start=4):
        progress.set(r, 1, shown_time(point.at))
        for c, town in enumerate([*towns, TOTAL_ROW], start=2):
            value = point.done_area.get(town)
            if value is not None:
                progress.set(r, c, value, Style("0.0%"))
    progress.column_widths[1] = 18
    book.save(path)


# -- the plain table --------------------------------------------------------------------------------
_CSVT = {"text": "String", "int": "Integer", "real": "Real(20.6)"}


def table_values(rows: Sequence[BulletinRow]) -> list[list]:
    return [row.values() for row in rows]


def write_table_csv(path: str, bulletin: Bulletin) -> None:
    """OUTPUT_TABLE as a CSV spreadsheets and GDAL read right: BOM, unquoted numbers, a .csvt, and a
    last line stating the head hash and AS_OF (a comment row GDAL skips as a row of one text cell)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([name for name, _kind in BULLETIN_FIELDS])
    for values in table_values(bulletin.rows):
        writer.writerow([_csv_cell(v, kind) for v, (_name, kind) in zip(values, BULLETIN_FIELDS)])
    csvt = ",".join(f'"{_CSVT[kind]}"' for _name, kind in BULLETIN_FIELDS) + "\r\n"
    _replace(path, "\ufeff" + buffer.getvalue())
    _replace(os.path.splitext(path)[0] + ".csvt", csvt)


def _csv_cell(value, kind: str) -> str:
    if value is None:
        return ""
    if kind == "int":
        return str(int(value))
    if kind == "real":
        return f"{float(value):.6f}"
    return str(value)


def _replace(path: str, text: str) -> None:
    with atomic_write(path) as temp, open(temp, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)


# -- the chart --------------------------------------------------------------------------------------
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC", "Microsoft YaHei", "SimHei",
             "WenQuanYi Micro Hei", "PingFang SC", "Noto Sans Mono CJK SC")  # fmt: skip


def matplotlib_available() -> bool:
    try:
        import matplotlib  # noqa: F401
        from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: F401
    except ImportError:
        return False
    return True


def _cjk_font():
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in names), None)


def write_chart(bulletin: Bulletin, path: str, width_mm: float = 190, height_mm: float = 100, dpi: int = 200) -> None:
    """Two panels: completion by area per township against TARGET (bars), and completion over time
    per township from every change in the log up to AS_OF, deadlines marked (lines)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    font = _cjk_font()
    rc = {"font.family": [font] if font else ["sans-serif"], "axes.unicode_minus": False}
    import matplotlib

    with matplotlib.rc_context(rc):
        figure = Figure(figsize=(width_mm / 25.4, height_mm / 25.4), dpi=dpi)
        FigureCanvasAgg(figure)
        bars, lines = figure.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.25]})
        rows = bulletin.rows[:-1]
        names = [r.township for r in rows]
        values = [r.done_area * 100 for r in rows]
        target = bulletin.campaign.target
        colours = ["#2b8a3e" if target is None or r.done_area >= target else "#c92a2a" for r in rows]
        positions = list(range(len(rows)))[::-1]
        bars.barh(positions, values, color=colours, height=0.65)
        bars.set_yticks(positions, names, fontsize=7)
        bars.set_xlim(0, 100)
        bars.tick_params(axis="x", labelsize=7)
        bars.set_xlabel(f"{BULLETIN_ZH['done_area']} %", fontsize=7)
        for y, v in zip(positions, values):
            bars.text(min(v + 1.5, 88), y, f"{v:.1f}%", va="center", fontsize=6)
        if target is not None:
            bars.axvline(target * 100, color="#1c7ed6", linestyle="--", linewidth=1)
            bars.text(target * 100, -0.6, f"{BULLETIN_ZH['chart_target']} {target:.0%}", color="#1c7ed6",
                      fontsize=6, ha="right", va="top")  # fmt: skip
        bars.set_title(BULLETIN_ZH["chart_bars"], fontsize=9)
        times = [p.at for p in bulletin.series]
        for name in [*names, TOTAL_ROW]:
            ys = [p.done_area.get(name, float("nan")) * 100 for p in bulletin.series]
            total = name == TOTAL_ROW
            lines.plot(times, ys, drawstyle="steps-post", linewidth=2.2 if total else 1.0,
                       color="black" if total else None, label=name, marker="." if len(times) < 40 else None,
                       markersize=3)  # fmt: skip
        for which, colour in (("rectify_by", "#e67700"), ("accept_by", "#c92a2a")):
            deadline = getattr(bulletin.campaign, which)
            if times and times[0] <= deadline <= bulletin.as_of:
                lines.axvline(deadline, color=colour, linestyle=":", linewidth=1)
        if target is not None:
            lines.axhline(target * 100, color="#1c7ed6", linestyle="--", linewidth=0.8)
        lines.set_ylim(0, 100)
        lines.tick_params(labelsize=6)
        lines.set_ylabel(f"{BULLETIN_ZH['done_area']} %", fontsize=7)
        lines.set_title(
            f"{BULLETIN_ZH['chart_lines']}（{BULLETIN_ZH['as_of']} {shown_time(bulletin.as_of)}）", fontsize=9
        )
        lines.legend(fontsize=5.5, ncol=2, loc="upper left", frameon=False)
        figure.autofmt_xdate(rotation=30)
        figure.tight_layout()
        with atomic_write(path) as temp:
            figure.savefig(temp, format="png", dpi=dpi, metadata={"Description": head_line(bulletin)})
