"""The return visit (回头看) end to end through qgis_process on the sample county, as `make demo` runs it:
a second verify into the same audit log, with a survey in which a building stands on a passed patch."""

from __future__ import annotations

import csv
import subprocess

from qgis_process_runner import ROOT, read_layer

from demolition_verifier.core import audit


def verify(qgis_process, county, survey, out, log, summary):
    done = qgis_process.run(
        "demolitionverifier:verify",
        f"PATCHES={county}|layername=patches",
        "PATCH_ID_FIELD=JCBH",
        "MONITORED_AREA_FIELD=JCMJ",
        "MONITORED_AREA_UNIT=1",
        "TOWNSHIP_FIELD=XZQMC",
        f"SURVEY={survey}|layername=survey",
        f"COVERAGE={county}|layername=coverage",
        f"OUTPUT={out}",
        f"OUTPUT_SUMMARY={summary}",
        f"AUDIT_LOG={log}",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def test_a_rebuilt_patch_on_the_sample_county(qgis_process, sample_county, tmp_path):
    log = tmp_path / "audit.gpkg"
    verify(qgis_process, sample_county, sample_county, tmp_path / "v1.gpkg", log, tmp_path / "s1.csv")
    survey = tmp_path / "revisit_survey.gpkg"
    made = subprocess.run(
        ["/usr/bin/python3", str(ROOT / "scripts" / "revisit_demo.py"), "survey", str(tmp_path / "v1.gpkg"),
         str(sample_county), str(survey)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    rebuilt_id = made.stdout.strip()
    done = verify(qgis_process, sample_county, survey, tmp_path / "v2.gpkg", log, tmp_path / "s2.csv")
    assert "1 patches rebuilt" in done.stdout + done.stderr

    before = {r["patch_id"]: r for r in read_layer(str(tmp_path / "v1.gpkg"))}
    after = read_layer(str(tmp_path / "v2.gpkg"))
    rebuilt = [r for r in after if "rebuilt" in (r["reasons"] or "").split(",")]
    assert [r["patch_id"] for r in rebuilt] == [rebuilt_id]
    assert before[rebuilt_id]["status"] == "pass" and rebuilt[0]["status"] == "fail"
    assert rebuilt[0]["reasons"] == "main_retained,over_tolerance,rebuilt"
    first_run = read_layer(str(tmp_path / "v1.gpkg"))  # the same features in the same order (ids repeat)
    changed = [
        b["patch_id"] for a, b in zip(first_run, after) if (a["status"], a["reasons"]) != (b["status"], b["reasons"])
    ]
    assert changed == [rebuilt_id]  # every other patch decided as before
    assert audit.verify_chain(log).valid and audit.final_statuses(log)[rebuilt_id].reasons.endswith(",rebuilt")

    with open(tmp_path / "s1.csv", encoding="utf-8-sig", newline="") as handle:
        first = list(csv.DictReader(handle))
    with open(tmp_path / "s2.csv", encoding="utf-8-sig", newline="") as handle:
        second = list(csv.DictReader(handle))
    assert {r["rebuilt"] for r in first} == {"0"}
    town = rebuilt[0]["township"]
    assert {r["township"]: r["rebuilt"] for r in second} == {
        r["township"]: ("1" if r["township"] in (town, "合计") else "0") for r in second
    }
    passed = {r["township"]: int(r["passed"]) for r in first}
    assert {r["township"]: int(r["passed"]) for r in second}[town] == passed[town] - 1  # no credit kept
