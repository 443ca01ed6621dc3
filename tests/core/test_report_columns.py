"""The report's patch and failed sheets, built by columns (formats/report_workbook.py _Shown): the
same rows, values and styles as a record gives them one by one (final_status, township_name,
monitor_mu, remnant_figures(), review_words, the review's note and style), on records at random
(reviews of every kind, unsurveyed patches, NULL figures and townships, farmland fields)."""

from __future__ import annotations

import random

import pytest

from demolition_verifier.core.definitions import DISPUTE_REOPENED, Mark, Status
from demolition_verifier.core.report_model import AuditStamp, PatchRecord, Review, natural_order, summary_rows
from demolition_verifier.core.wording import review_words, status_words
from demolition_verifier.core.words import TOTAL_ROW, reasons_in_words
from demolition_verifier.formats import report_workbook as rw

MARKS = (Mark.DISPUTED.value, Mark.UPHELD.value, Mark.OVERTURNED.value, DISPUTE_REOPENED)
REASONS = ("", "over_tolerance", "main_retained,over_tolerance", "rebuilt", "over_tolerance,rebuilt", "not_surveyed")


def records_at_random(seed: int) -> list[PatchRecord]:
    rng = random.Random(seed)
    out = []
    for i in range(rng.randint(1, 60)):
        status = rng.choice(("pass", "fail", "unsurveyed"))
        remain = rng.choice((0.0, 3.5, None))
        record = PatchRecord(
            patch_id=rng.choice((f"H{i}", f"{1000 + i}", f"H{i % 5}")), township=rng.choice(("城关镇", "柳林镇", None, "")),
            status=status, reasons=rng.choice(REASONS), monitor_m2=rng.choice((1000.0 + i, None, 0.0)),
            geom_m2=rng.choice((999.5, None)), remain_m2=remain, remain_rt=None if remain is None else remain / 1000,
            largest_m2=remain, remnants=rng.choice((0, 2, None)), run_id="R1", checked_at="2026-03-01T02:00:00+00:00",
        )  # fmt: skip
        if seed % 3 and rng.random() < 0.3:
            record.review = Review(
                rng.choice(MARKS), rng.choice(("pass", "fail", "unsurveyed", "")), rng.choice((None, "", "见照片"))
            )
        if seed % 4 == 0:
            record.land = {
                "farm_m2": rng.choice((None, 120.0)),
                "farm_rem": 1.5,
                "appr_ids": rng.choice(("", "A1")),
                "method": "",
            }
        out.append(record)
    return out


def _reference_patch_rows(records, order, reviewed, land):
    rows, styles = [], []
    for n, i in enumerate(order, start=1):
        r = records[i]
        rows.append((
            n, r.patch_id, r.township_name, status_words(r.final_status), *([review_words(r) or None] if reviewed else ()),
            reasons_in_words(r.reasons), r.monitor_mu, r.monitor_m2, r.geom_m2, *r.remnant_figures(),
            *[get(r) for _h, _w, get, _s in land], *([(r.review.note if r.review else None) or None] if reviewed else ()),
        ))  # fmt: skip
        styles.append((r.final_status, rw._review_style(r) if reviewed else None))
    return rows, styles


def _reference_failed_groups(records, order, summary, reviewed):
    rank = {Status.FAIL.value: 0, Status.UNSURVEYED.value: 1}
    by_town: dict = {}
    for i in order:
        if records[i].final_status != Status.PASS.value:
            by_town.setdefault(records[i].township_name, []).append(i)
    groups, n = [], 0
    for row in summary:
        members = sorted(by_town.get(row.township, []), key=lambda i: rank.get(records[i].final_status, 2))
        if (row.township == TOTAL_ROW and row.rank is None) or not members:
            continue
        group = []
        for i in members:
            n += 1
            r = records[i]
            group.append((
                n, r.township_name, r.patch_id, status_words(r.final_status),
                *([review_words(r) or None] if reviewed else ()), reasons_in_words(r.reasons), r.monitor_mu,
                *r.remnant_figures()[:3], None, None,
            ))  # fmt: skip
        header = rw.text("report_failed_group", True, township=row.township, rank=row.rank, failed=row.failed,
                         unsurveyed=row.unsurveyed, monitor_mu=sum(records[i].monitor_mu or 0.0 for i in members))  # fmt: skip
        groups.append((header, group, members))
    return groups


@pytest.mark.parametrize("seed", range(80))
def test_the_sheets_rows_are_the_records_one_by_one(seed):
    records = records_at_random(seed)
    stamp = AuditStamp("a" * 64, None, {}, None) if seed % 2 else None
    reviewed = stamp is not None
    book = rw.build_report(records, stamp=stamp)
    order = natural_order([r.patch_id for r in records])
    land = rw._land_columns(records)
    patches, failed = book.sheets[1], book.sheets[2]

    (_first, _c0, rows, styles), *_ = patches.blocks
    expected_rows, expected_styles = _reference_patch_rows(records, order, reviewed, land)
    assert [tuple(r) for r in rows] == expected_rows
    assert len(styles) == len(expected_styles)
    for got, (final, review) in zip(styles, expected_styles):
        assert got[3] is rw.STATUS_STYLE.get(final, rw.CENTER)
        if reviewed:
            assert got[4] is review

    groups = _reference_failed_groups(records, order, summary_rows(records, with_rebuilt=reviewed), reviewed)
    assert [[tuple(r) for r in table] for _r, _c, table, _s in failed.blocks] == [g for _h, g, _m in groups]
    for (_r, _c, _t, table_styles), (_h, _g, members) in zip(failed.blocks, groups):
        assert [s[3] for s in table_styles] == [
            rw.STATUS_STYLE.get(records[i].final_status, rw.CENTER) for i in members
        ]
        if reviewed:
            assert [s[4] for s in table_styles] == [rw._review_style(records[i]) for i in members]
    headers = [v for (row, col), (v, _s) in sorted(failed.cells.items()) if row > 4 and col == 1]
    assert headers == ([h for h, _g, _m in groups] or [rw.text("report_all_passed", True)])


def test_summary_counts_final_statuses_and_rebuilt_as_records_say():
    for seed in range(40):
        records = records_at_random(seed)
        rows = summary_rows(records, with_rebuilt=True)
        total = rows[-1]
        finals = [r.final_status for r in records]
        assert total.patches == len(records)
        assert (total.passed, total.failed, total.unsurveyed) == tuple(
            finals.count(s) for s in ("pass", "fail", "unsurveyed")
        )
        assert (total.rebuilt or 0) == sum(r.rebuilt and r.final_status != "pass" for r in records)
