"""The accountability list's files without QGIS: the workbook (.xlsx: the list, every patch's history,
the responsibilities as read) and the plain table as CSV; the words the dossier PDF prints too. Every
sheet states the log's head hash and AS_OF."""

from __future__ import annotations

import csv
import io
import os

from ..core import messages
from ..core.accountability import AccountabilityList, Event, ListRow
from ..core.campaign import shown_time
from ..core.definitions import ACCOUNTABILITY_FIELDS, SQUARE_METRES_PER_MU, Role, Status
from ..core.wording import dispute_words, status_words
from ..core.words import (
    ACCOUNTABILITY_TITLE,
    ACCOUNTABILITY_ZH,
    APPLICATION_REASON_ZH,
    APPLICATION_STATUS_ZH,
    CHINA_TIME_INCLUSIVE,
    COMPUTED_ZH,
    EVENT_ZH,
    MARK_ZH,
    NEVER_VERIFIED_ZH,
    PRODUCT_NAME,
    ROLE_LABEL,
    SHEET_ACCOUNTABILITY,
    SHEET_HISTORY,
    SHEET_RESPONSIBILITIES,
    UNFILLED,
    reasons_in_words,
)
from .atomic import atomic_write
from .xlsx import Style, Workbook

Z = ACCOUNTABILITY_ZH
COLUMNS = ("n", "rank", "township", "patch_id", "monitor_mu", "final_st", "reasons", "applied", "refused",
           "last_check", "checks", "dispute", "party", "sup_unit", "sup_person", "rect_unit", "rect_person")  # fmt: skip
HISTORY_COLUMNS = ("time", "event", "result", "run_id", "who", "note")


# -- words --------------------------------------------------------------------------------------------
def title(listing: AccountabilityList) -> str:
    return f"{listing.campaign.name} {ACCOUNTABILITY_TITLE}"


def head_line(listing: AccountabilityList, short: bool = False) -> str:
    provisional = Z["provisional_mark"] if listing.provisional else ""
    if short:  # one line of the map page's footer
        return f"{Z['head']}：{listing.head}　AS_OF {shown_time(listing.as_of)}{provisional}"
    head = messages.text(
        "accountability_head_line", True, heading=Z["head"], head=listing.head, entries=listing.entries
    )
    return f"{head}    {Z['as_of']} AS_OF {shown_time(listing.as_of)}{provisional}"


def heading_lines(listing: AccountabilityList) -> list[str]:
    state = Z["provisional"] if listing.provisional else Z["final"]
    listed_m2 = sum(r.monitor_m2 for r in listing.rows)
    return [
        f"{Z['as_of']} {shown_time(listing.as_of)}{CHINA_TIME_INCLUSIVE}    {Z['accept_by']} "
        f"{shown_time(listing.accept_by)}    {state}",
        messages.text(
            "accountability_counts",
            True,
            tasks=listing.tasks,
            listed=len(listing.rows),
            listed_mu=listed_m2 / SQUARE_METRES_PER_MU,
        ),
    ]


def final_words(row: ListRow) -> str:
    """The final status in words; a never-verified patch says so; an overturn names the computed status."""
    if not row.last_check:
        return f"{status_words(Status.UNSURVEYED.value)}（{NEVER_VERIFIED_ZH}）"
    words = status_words(row.final_st)
    if row.dispute:
        extra = dispute_words(row.dispute)
        if row.computed and row.computed != row.final_st:
            extra += f"；{COMPUTED_ZH}：{status_words(row.computed)}"
        return f"{words}（{extra}）"
    return words


def reasons_words(row: ListRow) -> str:
    return reasons_in_words(row.reasons) or ("—" if row.last_check else NEVER_VERIFIED_ZH)


def applied_words(row: ListRow) -> str:
    if not row.applied_at:
        return Z["no"]
    extra = Z["applications"].format(count=row.applications) if row.applications > 1 else ""
    return f"{Z['yes']}（{shown_time(_moment(row.applied_at))}{extra}）"


def refused_words(row: ListRow) -> str:
    return "；".join(f"{shown_time(e.at)} {APPLICATION_REASON_ZH.get(e.note or '', e.note or '')}" for e in row.refused)


def dispute_text(row: ListRow) -> str:
    if not row.dispute:
        return ""
    return f"{dispute_words(row.dispute)}：{row.dispute_note}" if row.dispute_note else dispute_words(row.dispute)


def _moment(text: str):
    from ..core.campaign import parse_time

    return parse_time(text).at


def event_cells(event: Event) -> list[str]:
    """One history line: time, what, result, run, who, note (all text)."""
    if event.kind == "application":
        result = APPLICATION_STATUS_ZH.get(event.status or "", event.status or "")
        note = APPLICATION_REASON_ZH.get(event.note or "", event.note or "")
    elif event.kind == "decision":
        result = status_words(event.status or "")
        note = reasons_in_words(event.note or "")
    else:
        result = MARK_ZH.get(_mark(event.status), event.status or "")
        if event.new_status:
            result += Z["marked_as"].format(status=status_words(event.new_status))
        note = event.note or ""
    return [shown_time(event.at), EVENT_ZH[event.kind], result, event.run_id or "", event.who or "", note]


def _mark(value):
    from ..core.definitions import Mark

    try:
        return Mark(value)
    except ValueError:
        return value


def cells(n: int, row: ListRow) -> dict[str, object]:
    checks = sum(1 for e in row.history if e.kind == "decision")
    return {
        "n": n,
        "rank": row.rank,
        "township": row.township,
        "patch_id": row.patch_id,
        "monitor_mu": row.monitor_m2 / SQUARE_METRES_PER_MU,
        "final_st": final_words(row),
        "reasons": reasons_words(row),
        "applied": applied_words(row),
        "refused": refused_words(row),
        "last_check": shown_time(_moment(row.last_check)) if row.last_check else NEVER_VERIFIED_ZH,
        "checks": checks,
        "dispute": dispute_text(row),
        "party": row.party,
        "sup_unit": row.sup_unit,
        "sup_person": row.sup_person,
        "rect_unit": row.rect_unit,
        "rect_person": row.rect_person,
    }


def responsibility_lines(row: ListRow) -> list[tuple[str, str]]:
    """The three responsibilities as the dossier page prints them: (role, 'unit：person (phone)')."""
    out = []
    for role in Role:
        people = row.responsible.get(role, [])
        if role is Role.PARTY and row.party_from_layer:
            text = row.party
        elif not people:
            text = UNFILLED
        else:
            units: dict[str, list[str]] = {}
            for p in people:
                units.setdefault(p.unit or UNFILLED, []).append(p.person or UNFILLED)
            text = "；".join(f"{unit}：{'、'.join(dict.fromkeys(names))}" for unit, names in units.items())
        out.append((ROLE_LABEL[role], text))
    return out


# -- the workbook -------------------------------------------------------------------------------------
HEADER = Style(bold=True, fill="DDEBF7", border=True, align="center", wrap=True)
PLAIN = Style(border=True, wrap=True)
UNFILLED_STYLE = Style(border=True, wrap=True, color="C00000")


def _top(sheet, listing: AccountabilityList, heading: str, width: int, generated_at: str) -> int:
    sheet.set(1, 1, heading, Style(bold=True, size=16))
    sheet.merge(1, 1, 1, width)
    lines = [*heading_lines(listing), head_line(listing), f"{Z['generated_at']} {generated_at}"]
    for i, line in enumerate(lines, start=2):
        sheet.set(
            i,
            1,
            line,
            Style(bold=listing.provisional and i == 2, color="C00000" if listing.provisional and i == 2 else None),
        )
        sheet.merge(i, 1, i, width)
    return len(lines) + 3


def write_workbook(listing: AccountabilityList, path: str, generated_at: str) -> None:
    book = Workbook(creator=PRODUCT_NAME, title=ACCOUNTABILITY_TITLE)
    sheet = book.add_sheet(SHEET_ACCOUNTABILITY)
    top = _top(sheet, listing, title(listing), len(COLUMNS), generated_at)
    sheet.set_row(top, [Z[k] for k in COLUMNS], HEADER)
    for r, row in enumerate(listing.rows, start=top + 1):
        values = cells(r - top, row)
        for c, key in enumerate(COLUMNS, start=1):
            style = PLAIN
            if key == "monitor_mu":
                style = Style("#,##0.00", border=True)
            elif values[key] == UNFILLED:
                style = UNFILLED_STYLE
            sheet.set(r, c, values[key], style)
    sheet.freeze_rows = top
    sheet.auto_filter = (top, 1, top + len(listing.rows), len(COLUMNS))
    sheet.print_title_rows = (top, top)
    widths = {"n": 5, "rank": 6, "township": 10, "patch_id": 12, "monitor_mu": 10, "final_st": 16, "reasons": 16,
              "applied": 20, "refused": 20, "last_check": 16, "checks": 6, "dispute": 24}  # fmt: skip
    for c, key in enumerate(COLUMNS, start=1):
        sheet.column_widths[c] = widths.get(key, 14)

    history = book.add_sheet(SHEET_HISTORY)
    heads: tuple[str, ...] = ("township", "patch_id", *HISTORY_COLUMNS)
    top = _top(history, listing, f"{title(listing)} · {SHEET_HISTORY}", len(heads), generated_at)
    history.set_row(top, [Z[k] for k in heads], HEADER)
    r = top
    for row in listing.rows:
        if not row.history:
            r += 1
            history.set_row(r, [row.township, row.patch_id, "", "", NEVER_VERIFIED_ZH, "", "", Z["no_history"]], PLAIN)
        for event in row.history:
            r += 1
            history.set_row(r, [row.township, row.patch_id, *event_cells(event)], PLAIN)
    history.freeze_rows = top
    for c, width in enumerate((10, 12, 17, 9, 12, 12, 14, 40), start=1):
        history.column_widths[c] = width

    people = book.add_sheet(SHEET_RESPONSIBILITIES)
    heads = ("township", "role", "unit", "person", "phone")
    top = _top(people, listing, f"{title(listing)} · {SHEET_RESPONSIBILITIES}", len(heads) + 1, generated_at)
    people.set_row(top, [*[Z[k] for k in heads], Z["note"]], HEADER)
    r = top
    read = listing.responsibilities
    for township in [*listing.townships, *[t for t in read.by_township if t not in listing.townships]]:
        note = Z["unknown_township"] if township in listing.unknown else ""
        roles = read.by_township.get(township)
        if not roles:
            r += 1
            people.set_row(r, [township, UNFILLED, UNFILLED, UNFILLED, "", Z["no_rows"]], UNFILLED_STYLE)
            continue
        for role in Role:
            found = roles.get(role, [])
            if not found:
                r += 1
                people.set_row(r, [township, ROLE_LABEL[role], UNFILLED, UNFILLED, "", note], UNFILLED_STYLE)
            for person in found:
                r += 1
                people.set_row(r, [township, ROLE_LABEL[role], person.unit, person.person, person.phone, note], PLAIN)
    for c, width in enumerate((12, 10, 22, 14, 16, 24), start=1):
        people.column_widths[c] = width
    book.save(path)


# -- the plain table ----------------------------------------------------------------------------------
_CSVT = {"text": "String", "int": "Integer", "real": "Real(20.6)"}


def write_table_csv(path: str, listing: AccountabilityList) -> None:
    """OUTPUT_TABLE as a CSV spreadsheets and GDAL read right: BOM, unquoted numbers, a .csvt beside it."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([name for name, _kind, _alias in ACCOUNTABILITY_FIELDS])
    for row in listing.rows:
        writer.writerow(
            [
                f"{float(v):.6f}" if kind == "real" else ("" if v is None else str(v))
                for v, (_name, kind, _alias) in zip(row.values(), ACCOUNTABILITY_FIELDS)
            ]
        )
    csvt = ",".join(f'"{_CSVT[kind]}"' for _name, kind, _alias in ACCOUNTABILITY_FIELDS) + "\r\n"
    for target, content in ((path, "\ufeff" + buffer.getvalue()), (os.path.splitext(path)[0] + ".csvt", csvt)):
        with atomic_write(target) as temp, open(temp, "w", encoding="utf-8", newline="") as handle:
            handle.write(content)
