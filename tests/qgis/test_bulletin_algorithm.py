"""demolitionverifier:bulletin through processing.run, over verify runs of a small county."""

from __future__ import annotations

import re
import subprocess
import unicodedata

import openpyxl
import pytest
from campaign_layers import define, patches
from campaign_log import Clock
from qgis.core import QgsProcessingException, QgsVectorLayer
from qgis_layers import X0, Y0, box_wkt, memory_layer

from demolition_verifier.core import audit

TOWNS = [("A1", "城关镇", 15.0), ("A2", "城关镇", 15.0), ("B1", "柳林镇", 15.0), ("B2", "柳林镇", 30.0),
         ("C1", "东王庄乡", 15.0)]  # fmt: skip


def survey(left: list[int]):
    """What still stands: a 30 m shed in patch i for each i in `left` (the patch layer's order)."""
    wkts = [box_wkt(X0 + 200 * i + 10, Y0 + 10, X0 + 200 * i + 40, Y0 + 40) for i in left] or [
        box_wkt(X0 - 500, Y0 - 500, X0 - 490, Y0 - 490)
    ]
    return memory_layer("survey", wkts, "EPSG:4527")


def verify(processing, log, layer, left):
    processing.run(
        "demolitionverifier:verify",
        {"PATCHES": layer, "PATCH_ID_FIELD": "JCBH", "MONITORED_AREA_FIELD": "JCMJ", "MONITORED_AREA_UNIT": 1,
         "TOWNSHIP_FIELD": "XZQMC", "SURVEY": survey(left), "OUTPUT": "memory:", "AUDIT_LOG": str(log)},
    )  # fmt: skip


@pytest.fixture
def county(processing, tmp_path, monkeypatch):
    clock = Clock(monkeypatch)
    log = tmp_path / "audit.gpkg"
    layer = patches(TOWNS)
    clock.at("2024-06-01T08:00:00")
    define(processing, log, layer)
    clock.at("2024-06-02T17:00:00")
    verify(processing, log, layer, [1, 2, 3, 4])  # A1 passes
    clock.at("2024-06-03T17:00:00")
    verify(processing, log, layer, [1, 4])  # B1, B2 pass too: 柳林镇 moves up
    clock.at("2024-06-03T18:00:00")
    return clock, log, layer


def run_bulletin(processing, log, tmp_path, stem="b", **params):
    out = {
        "OUTPUT": str(tmp_path / f"{stem}.xlsx"),
        "OUTPUT_PDF": str(tmp_path / f"{stem}.pdf"),
        "OUTPUT_CHART": str(tmp_path / f"{stem}.png"),
        "OUTPUT_TABLE": str(tmp_path / f"{stem}.gpkg"),
    }
    out.update(params)
    return processing.run("demolitionverifier:bulletin", {"AUDIT_LOG": str(log), **out})


def table_rows(path):
    layer = QgsVectorLayer(str(path), "t", "ogr")
    return {f["township"]: {n: f[n] for n in layer.fields().names() if n != "fid"} for f in layer.getFeatures()}


def test_the_bulletin_files_and_its_log_entry(processing, county, tmp_path):
    _clock, log, _layer = county
    done = run_bulletin(processing, log, tmp_path, AS_OF="2024-06-03 18:00", COMPARE_TO="2024-06-02 18:00")
    rows = table_rows(done["OUTPUT_TABLE"])
    assert list(next(iter(rows.values())).keys()) == [
        "township", "rank", "rank_prev", "patches", "task_m2", "applied", "pending", "passed", "failed",
        "unsurveyed", "passed_m2", "done_area", "done_count", "new_passed", "new_pass_m2",
    ]  # fmt: skip
    assert (rows["柳林镇"]["rank"], rows["柳林镇"]["rank_prev"], rows["柳林镇"]["new_passed"]) == (1, 2, 2)
    assert rows["柳林镇"]["new_pass_m2"] == pytest.approx(30_000.0)
    total = rows["合计"]
    assert total["rank"] is None or str(total["rank"]) == "NULL"
    assert total["patches"] == 5 and total["passed"] == 3
    entry = audit.entries(log, kinds=("bulletin",))[-1]
    assert entry.data["as_of"] == "2024-06-03T18:00:00+08:00" and entry.data["computed_over"]["head"] == done["HEAD"]
    assert done["AUDIT_HEAD"] == audit.verify_chain(log).head and done["AUDIT_HEAD"] != done["HEAD"]

    book = openpyxl.load_workbook(done["OUTPUT"])
    sheet = book["进度通报"]
    texts = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert any(done["HEAD"] in str(t) for t in texts) and any("2024-06-03 18:00" in str(t) for t in texts)
    names = [row[1] for row in sheet.iter_rows(values_only=True) if row[1] in ("城关镇", "柳林镇", "东王庄乡", "合计")]
    assert names == ["柳林镇", "城关镇", "东王庄乡", "合计"]
    assert "完成进度" in book.sheetnames

    text = subprocess.run(["pdftotext", "-layout", done["OUTPUT_PDF"], "-"], capture_output=True, text=True).stdout
    for name in ("城关镇", "柳林镇", "东王庄乡", "合计"):  # found as printed, without normalising
        assert name in text, name
    text = unicodedata.normalize("NFKC", text)
    for name in ("城关镇", "柳林镇", "东王庄乡", "合计", "整改进度通报", done["HEAD"][:16], "2024-06-03 18:00"):
        assert name in text, name
    pages = subprocess.run(["pdfinfo", done["OUTPUT_PDF"]], capture_output=True, text=True).stdout
    assert re.search(r"^Pages:\s+1$", pages, re.M) and "595 x 842" in pages  # one A4 page
    images = subprocess.run(["pdfimages", "-list", done["OUTPUT_PDF"]], capture_output=True, text=True).stdout
    assert len(images.strip().splitlines()) >= 3  # the chart is in the page
    with open(done["OUTPUT_CHART"], "rb") as handle:
        assert handle.read(8) == b"\x89PNG\r\n\x1a\n"


def test_a_past_bulletin_is_unchanged_by_later_runs(processing, county, tmp_path):
    clock, log, layer = county
    first = table_rows(run_bulletin(processing, log, tmp_path, "one", AS_OF="2024-06-02 18:00")["OUTPUT_TABLE"])
    clock.at("2024-06-04T09:00:00")
    verify(processing, log, layer, [])  # everything passes now
    audit.mark_patch(log, "A1", "overturned", "复核：现场仍有主体建筑", "fail")
    clock.at("2024-06-04T10:00:00")
    again = table_rows(run_bulletin(processing, log, tmp_path, "two", AS_OF="2024-06-02 18:00")["OUTPUT_TABLE"])
    assert again == first
    now = table_rows(run_bulletin(processing, log, tmp_path, "three")["OUTPUT_TABLE"])
    assert now["城关镇"]["passed"] == 1 and now["合计"]["passed"] == 4  # the overturn counts


def test_csv_table_and_shapefile_refused(processing, county, tmp_path):
    _clock, log, _layer = county
    done = run_bulletin(processing, log, tmp_path, "c", OUTPUT_TABLE=str(tmp_path / "c.csv"), OUTPUT_PDF=None)
    raw = (tmp_path / "c.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "合计".encode() in raw
    assert raw.decode("utf-8-sig").splitlines()[0].endswith("new_passed,new_pass_m2")
    assert done["OUTPUT_TABLE"]
    entries = audit.verify_chain(log).entries
    for params in (
        {"OUTPUT_TABLE": str(tmp_path / "t.shp")},
        {"AS_OF": "2024-05-01"},
        {"AS_OF": "2024-06-03 18:00", "COMPARE_TO": "2024-06-03 19:00"},
        {"AS_OF": "yesterday"},
    ):
        with pytest.raises(QgsProcessingException) as caught:
            run_bulletin(processing, log, tmp_path, "x", **params)
        assert "Traceback" not in str(caught.value)
    assert audit.verify_chain(log).entries == entries
    assert not (tmp_path / "t.shp").exists() and not (tmp_path / "x.xlsx").exists()
