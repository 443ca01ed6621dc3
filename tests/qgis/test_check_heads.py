"""check_audit_log against the list of heads sent upward, through processing.run in real QGIS."""

from __future__ import annotations

import sqlite3

import pytest
from qgis.core import QgsProcessingException
from qgis_layers import box_wkt, memory_layer

X0, Y0 = 39_550_000.0, 3_880_000.0  # EPSG:4527


def verify(processing, log, **extra) -> dict:
    """Three patches, one keeping a 20 m x 10 m building, verified into the log."""
    wkts = [box_wkt(X0 + 200 * i, Y0, X0 + 200 * i + 100, Y0 + 100) for i in range(3)]
    patches = memory_layer("patches", wkts, "EPSG:4527", [("JCBH", str)], [[f"H{i}"] for i in range(3)])
    survey = memory_layer("survey", [box_wkt(X0 + 10, Y0 + 10, X0 + 30, Y0 + 20)], "EPSG:4527")
    params = {"PATCHES": patches, "PATCH_ID_FIELD": "JCBH", "SURVEY": survey, "OUTPUT": "memory:"}
    return processing.run("demolitionverifier:verify", {**params, "AUDIT_LOG": str(log), **extra})


def check(processing, log, **extra) -> dict:
    return processing.run("demolitionverifier:check_audit_log", {"INPUT": str(log), **extra})


def test_heads_sent_upward_are_all_found_then_one_is_lost(processing, tmp_path):
    log = tmp_path / "audit.gpkg"
    first = verify(processing, log)["AUDIT_HEAD"]
    second = verify(processing, log)["AUDIT_HEAD"]
    sent = tmp_path / "heads.txt"
    sent.write_text(f"# sent to the city\n2026-12-01 进度通报 {first}\n2026-12-02 进度通报 {second[:16]}\n", "utf-8")
    result = check(processing, log, HEADS=str(sent))
    assert (result["VALID"], result["HEADS_FOUND"], result["HEADS_MISSING"]) == (True, 2, "")
    # the second run's entries rewritten as a forger would: a new chain, valid on its own
    connection = sqlite3.connect(log)
    connection.execute("DROP TRIGGER audit_log_no_delete")
    connection.execute("DELETE FROM audit_log WHERE fid > 4")  # one run: its entry and 3 decisions
    connection.commit()
    connection.close()
    verify(processing, log, MAIN_STRUCTURE_AREA=1000.0)  # a looser run appended in its place
    assert check(processing, log)["VALID"] is True  # the chain alone cannot tell
    lost = check(processing, log, HEADS=str(sent))
    assert (lost["VALID"], lost["HEADS_FOUND"], lost["HEADS_MISSING"]) == (False, 1, "3")


def test_heads_out_of_order_and_a_list_without_heads(processing, tmp_path):
    log = tmp_path / "audit.gpkg"
    first = verify(processing, log)["AUDIT_HEAD"]
    second = verify(processing, log)["AUDIT_HEAD"]
    swapped = tmp_path / "swapped.txt"
    swapped.write_text(f"{second}\n{first}\n", "utf-8")
    result = check(processing, log, HEADS=str(swapped))
    assert (result["VALID"], result["HEADS_MISSING"]) == (False, "2")
    empty = tmp_path / "empty.txt"
    empty.write_text("no heads here\n", "utf-8")
    with pytest.raises(QgsProcessingException, match="holds no hash"):
        check(processing, log, HEADS=str(empty))
