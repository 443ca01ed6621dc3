"""The campaign through qgis_process, as a county's script runs it: define, apply, verify, bulletin."""

from __future__ import annotations

import subprocess
import unicodedata

from qgis_process_runner import ROOT, QgisProcess, read_layer


def test_campaign_applications_and_bulletin_through_qgis_process(qgis_process: QgisProcess, sample_county, tmp_path):
    log = tmp_path / "audit.gpkg"
    tasks = tmp_path / "tasks.gpkg"
    subprocess.run(
        ["/usr/bin/python3", str(ROOT / "scripts" / "campaign_demo.py"), "tasks", str(sample_county), str(tasks)],
        check=True,
        capture_output=True,
    )
    done = qgis_process.run(
        "demolitionverifier:campaign",
        f"AUDIT_LOG={log}",
        "NAME=2019–2023年例行督察整改",
        f"PATCHES={tasks}|layername=patches",
        "PATCH_ID_FIELD=JCBH",
        "MONITORED_AREA_FIELD=JCMJ",
        "MONITORED_AREA_UNIT=1",
        "TOWNSHIP_FIELD=XZQMC",
        "RECTIFY_BY=2099-06-20",
        "ACCEPT_BY=2099-06-30 18:00",
        "TARGET=0.9",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert QgisProcess.results(done)["TASKS"] == "359"
    # a second definition under another name is refused: one campaign per log, nothing appended
    refused = qgis_process.run(
        "demolitionverifier:campaign", f"AUDIT_LOG={log}", "NAME=另一任务", "NOTE=x", "ACCEPT_BY=2099-07-01"
    )
    assert refused.returncode != 0 and "Traceback" not in refused.stdout + refused.stderr
    assert "another campaign" in refused.stdout + refused.stderr

    ids = [row["JCBH"] for row in read_layer(str(tasks), "patches")]
    csv = tmp_path / "申请.csv"
    csv.write_bytes(
        (
            "图斑编号,申请时间,申请人\r\n"
            f"{ids[0]},2099-06-30 18:00:00,城关镇\r\n"
            f"{ids[1]},2099-06-30 18:00:01,城关镇\r\n"
            "X1,2099-06-01 09:00,城关镇\r\n"
        ).encode("gbk")
    )
    out = tmp_path / "recorded.csv"
    done = qgis_process.run(
        "demolitionverifier:record_applications",
        f"AUDIT_LOG={log}",
        f"INPUT={csv}",
        "ID_FIELD=图斑编号",
        "APPLIED_AT_FIELD=申请时间",
        f"OUTPUT={out}",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    rows = read_layer(str(out))
    assert [(r["patch_id"], r["reason"] or "") for r in rows] == [(ids[0], ""), (ids[1], "late"), ("X1", "unknown_id")]

    done = qgis_process.run(
        "demolitionverifier:verify",
        f"PATCHES={sample_county}|layername=patches",
        "PATCH_ID_FIELD=JCBH",
        "MONITORED_AREA_FIELD=JCMJ",
        "MONITORED_AREA_UNIT=1",
        "TOWNSHIP_FIELD=XZQMC",
        f"SURVEY={sample_county}|layername=survey",
        f"COVERAGE={sample_county}|layername=coverage",
        f"OUTPUT={tmp_path / 'verified.gpkg'}",
        f"AUDIT_LOG={log}",
    )
    assert done.returncode == 0, done.stdout + done.stderr

    pdf, table = tmp_path / "bulletin.pdf", tmp_path / "bulletin.gpkg"
    done = qgis_process.run(
        "demolitionverifier:bulletin", f"AUDIT_LOG={log}", f"OUTPUT_PDF={pdf}", f"OUTPUT_TABLE={table}"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    results = QgisProcess.results(done)
    rows = read_layer(str(table))
    assert rows[-1]["township"] == "合计" and rows[-1]["rank"] is None and rows[-1]["patches"] == 359
    assert rows[-1]["applied"] == 1 and rows[-1]["pending"] == 0  # the verify run came after it
    text = unicodedata.normalize("NFKC", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                                        text=True).stdout)  # fmt: skip
    for name in ("城关镇", "柳林镇", "经济开发区", results["HEAD"]):
        assert name in text.replace("\n", ""), name
    shp = qgis_process.run("demolitionverifier:bulletin", f"AUDIT_LOG={log}", f"OUTPUT_TABLE={tmp_path / 't.shp'}")
    assert shp.returncode != 0 and "new_pass_m2" in shp.stdout + shp.stderr
