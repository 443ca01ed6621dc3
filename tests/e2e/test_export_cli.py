"""The maps and the report through qgis_process, as `make demo` and a bureau's script run them."""

from __future__ import annotations

import re

import openpyxl
from export_data import pdf_fonts, pdf_pages, pdf_text_pages
from qgis_process_runner import read_layer


def test_maps_and_report_of_the_sample_county(qgis_process, sample_county, tmp_path):
    verified = tmp_path / "verified.gpkg"
    done = qgis_process.run(
        "demolitionverifier:verify",
        f"PATCHES={sample_county}|layername=patches", "PATCH_ID_FIELD=JCBH", "MONITORED_AREA_FIELD=JCMJ",
        "MONITORED_AREA_UNIT=1", "TOWNSHIP_FIELD=XZQMC", f"SURVEY={sample_county}|layername=survey",
        f"COVERAGE={sample_county}|layername=coverage", f"OUTPUT={verified}",
        f"OUTPUT_REMNANTS={tmp_path / 'remnants.gpkg'}",
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    rows = read_layer(str(verified))
    town = "柳林镇"
    expected = sorted(r["patch_id"] for r in rows if r["township"] == town and r["status"] != "pass")

    pdf = tmp_path / "maps.pdf"
    done = qgis_process.run(
        "demolitionverifier:export_maps", f"INPUT={verified}", f"REMNANTS={tmp_path / 'remnants.gpkg'}",
        f"FILTER=\"township\" = '{town}' AND \"status\" <> 'pass'", f"OUTPUT={pdf}",
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert int(qgis_process.results(done)["PAGES"]) == pdf_pages(pdf) == len(expected)
    pages = pdf_text_pages(pdf)
    ids = [re.search(r"图斑编号:\s*(\d+)", page).group(1) for page in pages]
    assert ids == expected  # equal-length numeric ids: natural order is their plain order
    assert all(town in page for page in pages)
    assert any(embedded and "CJK" in name for name, embedded in pdf_fonts(pdf))

    xlsx = tmp_path / "report.xlsx"
    done = qgis_process.run("demolitionverifier:export_report", f"INPUT={verified}", f"OUTPUT={xlsx}")
    assert done.returncode == 0, done.stdout + done.stderr
    wb = openpyxl.load_workbook(xlsx)
    detail = [r for r in wb["图斑明细"].iter_rows(min_row=5, values_only=True)]
    assert len(detail) == len(rows) == int(qgis_process.results(done)["PATCHES"])
    total = [r for r in wb["乡镇汇总"].iter_rows(min_row=5, values_only=True) if r[1] == "合计"][0]
    assert total[2:6] == (len(rows), *(sum(r["status"] == s for r in rows) for s in ("pass", "fail", "unsurveyed")))


def test_refusal_in_chinese_under_a_chinese_locale(qgis_process_zh, sample_county, tmp_path):
    xlsx = tmp_path / "report.xlsx"
    done = qgis_process_zh.run(
        "demolitionverifier:export_report", f"INPUT={sample_county}|layername=patches", f"OUTPUT={xlsx}"
    )
    assert done.returncode != 0
    assert "不是核查结果" in done.stdout + done.stderr and "Traceback" not in done.stdout + done.stderr
    assert not xlsx.exists()
