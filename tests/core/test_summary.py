"""Township completion by monitored area: no partial credit, ranks with ties."""

from __future__ import annotations

import pytest

from demolition_verifier.core.summary import township_summary


def test_no_partial_credit_and_ranks_with_ties():
    townships = ["甲镇", "甲镇", "乙乡", "乙乡", "丙乡", None]
    status = ["pass", "fail", "pass", "unsurveyed", "fail", "pass"]
    monitor = [100.0, 300.0, 50.0, 150.0, 80.0, 20.0]
    rows = township_summary(townships, status, monitor)
    by_name = {r.township: r for r in rows}
    assert by_name["甲镇"].done_area == pytest.approx(0.25)  # the failed 300 stays in the denominator
    assert by_name["乙乡"].done_area == pytest.approx(0.25)
    assert by_name["甲镇"].rank == by_name["乙乡"].rank == 2
    assert by_name["未填"].rank == 1 and by_name["未填"].done_area == 1.0
    assert by_name["丙乡"].rank == 4  # after a tie the next rank skips
    assert [r.township for r in rows] == ["未填", "乙乡", "甲镇", "丙乡", "合计"]
    total = rows[-1]
    assert total.rank is None
    assert (total.patches, total.passed, total.failed, total.unsurveyed) == (6, 3, 2, 1)
    assert total.monitor_m2 == pytest.approx(700.0)
    assert total.passed_m2 == pytest.approx(170.0)
    assert total.done_count == pytest.approx(0.5)


def test_float_noise_does_not_split_a_tie():
    rows = township_summary(["A", "B"], ["pass", "pass"], [0.1 + 0.2, 0.3])
    assert rows[0].rank == rows[1].rank == 1


def test_without_townships_only_the_total():
    rows = township_summary(None, ["pass"], [10.0])
    assert [r.township for r in rows] == ["合计"]


def test_summary_csv_reads_right_in_a_spreadsheet_and_in_gdal(tmp_path):
    from osgeo import ogr

    from demolition_verifier.formats.summary_csv import write_summary_csv

    rows = township_summary(["甲镇", "甲镇", "乙乡"], ["pass", "fail", "pass"], [100.0, 300.0, 50.0])
    path = tmp_path / "乡镇汇总.csv"
    write_summary_csv(path, rows)
    raw = path.read_bytes()
    assert raw.startswith("\ufefftownship,patches,".encode())  # BOM: Excel shows the Chinese names
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[1].startswith("乙乡,1,1,0,0,50.000000,50.000000,1.000000,1.000000,1")
    assert lines[-1].startswith("合计,3,2,1,0,450.000000") and lines[-1].endswith(",")  # no rank for the total
    assert '"' not in "".join(lines)
    assert (tmp_path / "乡镇汇总.csvt").read_text(encoding="utf-8").startswith('"String","Integer"')
    ogr.UseExceptions()
    dataset = ogr.Open(str(path))
    layer = dataset.GetLayer(0)
    definition = layer.GetLayerDefn()
    kinds = {
        definition.GetFieldDefn(i).GetName(): definition.GetFieldDefn(i).GetType()
        for i in range(definition.GetFieldCount())
    }
    assert (
        kinds["township"] == ogr.OFTString and kinds["patches"] == ogr.OFTInteger and kinds["done_area"] == ogr.OFTReal
    )
    by_name = {f.GetField("township"): f for f in layer}
    assert by_name["甲镇"].GetField("failed") == 1 and not by_name["合计"].IsFieldSetAndNotNull("rank")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["乡镇汇总.csv", "乡镇汇总.csvt"]  # no temporary file left
