"""The audit log end to end through qgis_process: the head in the run's log, a broken log is a
result (exit 0, VALID false), and a spot-check draw goes into the log."""

from __future__ import annotations

import sqlite3

from qgis_process_runner import read_layer

from demolition_verifier.core import audit


def verify_params(county, out, log):
    return [
        f"PATCHES={county}|layername=patches",
        "PATCH_ID_FIELD=JCBH",
        "MONITORED_AREA_FIELD=JCMJ",
        "MONITORED_AREA_UNIT=1",
        "TOWNSHIP_FIELD=XZQMC",
        f"SURVEY={county}|layername=survey",
        f"OUTPUT={out}",
        f"AUDIT_LOG={log}",
        "AUDIT_USER=张三",
    ]


def test_verify_check_and_sample_through_qgis_process(qgis_process, sample_county, tmp_path):
    log, out = tmp_path / "audit.gpkg", tmp_path / "verified.gpkg"
    done = qgis_process.run("demolitionverifier:verify", *verify_params(sample_county, out, log))
    assert done.returncode == 0, done.stdout + done.stderr
    head = qgis_process.results(done)["AUDIT_HEAD"]
    assert f"Head hash (keep it on paper): {head}" in done.stdout

    done = qgis_process.run("demolitionverifier:check_audit_log", f"INPUT={log}", f"EXPECTED_HEAD={head}")
    assert done.returncode == 0, done.stdout + done.stderr
    results = qgis_process.results(done)
    assert (results["VALID"], results["ENTRIES"], results["FIRST_BROKEN"], results["HEAD"]) == (
        "true",
        "361",
        "-1",
        head,
    )

    done = qgis_process.run(
        "demolitionverifier:sample_audit",
        f"INPUT={out}",
        "SEED=99",
        f"AUDIT_LOG={log}",
        f"OUTPUT={tmp_path / 'sample.gpkg'}",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    drawn = read_layer(str(tmp_path / "sample.gpkg"))
    assert len(drawn) == len({r["township"] for r in read_layer(str(out))})  # one per township
    assert {r["seed"] for r in drawn} == {99} and {r["status"] for r in drawn} == {"pass"}
    entry = audit.entries(log)[-1]
    assert entry.entry == "sample" and sorted(entry.data["drawn"]) == sorted(r["patch_id"] for r in drawn)


def test_a_broken_log_is_a_result_not_a_crash(qgis_process, sample_county, tmp_path):
    log = tmp_path / "audit.gpkg"
    done = qgis_process.run("demolitionverifier:verify", *verify_params(sample_county, tmp_path / "v.gpkg", log))
    head = qgis_process.results(done)["AUDIT_HEAD"]
    connection = sqlite3.connect(log)  # someone quietly turns one failed patch into a pass
    connection.execute("DROP TRIGGER audit_log_no_update")
    broken_at = connection.execute("SELECT min(fid) FROM audit_log WHERE status = 'fail'").fetchone()[0]
    connection.execute("UPDATE audit_log SET status = 'pass' WHERE fid = ?", (broken_at,))
    connection.commit()
    connection.close()
    done = qgis_process.run("demolitionverifier:check_audit_log", f"INPUT={log}", f"EXPECTED_HEAD={head}")
    assert done.returncode == 0, done.stdout + done.stderr
    results = qgis_process.results(done)
    assert (results["VALID"], results["FIRST_BROKEN"]) == ("false", str(broken_at))
    assert f"the hash chain breaks at entry {results['FIRST_BROKEN']}" in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_a_deleted_last_entry_is_caught_with_the_head_from_paper(qgis_process, sample_county, tmp_path):
    log = tmp_path / "audit.gpkg"
    done = qgis_process.run("demolitionverifier:verify", *verify_params(sample_county, tmp_path / "v.gpkg", log))
    head = qgis_process.results(done)["AUDIT_HEAD"]
    connection = sqlite3.connect(log)
    connection.execute("DROP TRIGGER audit_log_no_delete")
    connection.execute("DELETE FROM audit_log WHERE fid = (SELECT max(fid) FROM audit_log)")
    connection.commit()
    connection.close()
    done = qgis_process.run("demolitionverifier:check_audit_log", f"INPUT={log}", f"EXPECTED_HEAD={head[:16]}")
    assert done.returncode == 0, done.stdout + done.stderr
    results = qgis_process.results(done)
    assert (results["VALID"], results["ENTRIES"], results["FIRST_BROKEN"]) == ("false", "360", "361")
