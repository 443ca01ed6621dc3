"""The audit log as evidence against forgeries an insider could make to a verify output after the run:
a patch's outline swapped for another's, its remnants edited; what each decision and run entry now
covers; and a log written before decisions covered them still exports, with a warning."""

from __future__ import annotations

import hashlib

import pytest
from export_data import verified_county
from qgis.core import QgsGeometry, QgsProcessingException, QgsVectorLayer
from qgis_layers import RecordingFeedback

from demolition_verifier.core import audit
from demolition_verifier.core.definitions import AuditEntry


@pytest.fixture
def audited(processing, tmp_path):
    log = tmp_path / "audit.gpkg"
    county = verified_county(processing, tmp_path, audit_log=log)
    return {**county, "log": log}


def export(processing, audited, algorithm, path, log=None, feedback=None):
    params = {"INPUT": audited["OUTPUT"], "AUDIT_LOG": str(log or audited["log"]), "OUTPUT": str(path)}
    if algorithm == "export_maps":
        params["REMNANTS"] = audited["OUTPUT_REMNANTS"]
    return processing.run(f"demolitionverifier:{algorithm}", params, feedback=feedback)


def edit(path: str, change) -> None:
    layer = QgsVectorLayer(path, "edit", "ogr")
    assert layer.startEditing()
    change(layer)
    assert layer.commitChanges(), layer.commitErrors()
    del layer


def by_id(layer) -> dict:
    return {f["patch_id"]: f for f in layer.getFeatures()}


def test_decisions_cover_outline_and_remnants_and_the_run_names_its_outputs(audited):
    run = audit.entries(audited["log"], kinds=[AuditEntry.RUN])[-1]
    outputs = run.data["outputs"]
    for name in ("OUTPUT", "OUTPUT_REMNANTS"):
        digest = hashlib.sha256(b"".join([]))
        path = audited[name].split("|")[0]
        with open(path, "rb") as handle:
            digest = hashlib.sha256(path.rsplit("/", 1)[-1].encode() + b"\x00" + handle.read()).hexdigest()
        assert outputs[name]["sha256"] == digest and outputs[name]["destination"] == audited[name]
    decisions = audit.entries(audited["log"], kinds=[AuditEntry.DECISION])
    assert all({"geom_hash", "remnants_hash"} <= set(d.data) for d in decisions)
    assert {d.patch_id: d.data["geom_hash"] is None for d in decisions}["H3"]  # no geometry: nothing to hash


@pytest.mark.parametrize("algorithm,target", [("export_report", "r.xlsx"), ("export_maps", "m.pdf")])
def test_a_swapped_outline_is_refused(processing, audited, tmp_path, algorithm, target):
    export(processing, audited, algorithm, tmp_path / f"before.{target}")  # the untouched output exports

    def swap(layer):
        rows = by_id(layer)
        h1, h2 = rows["H1"], rows["H2"]
        g1, g2 = QgsGeometry(h1.geometry()), QgsGeometry(h2.geometry())
        layer.changeGeometry(h1.id(), g2)
        layer.changeGeometry(h2.id(), g1)

    edit(audited["OUTPUT"], swap)
    with pytest.raises(QgsProcessingException) as caught:
        export(processing, audited, algorithm, tmp_path / target)
    assert "does not match the audit log" in str(caught.value) and "H1" in str(caught.value)
    assert not (tmp_path / target).exists()


def test_edited_remnants_are_refused(processing, audited, tmp_path):
    def shrink(layer):
        feature = next(f for f in layer.getFeatures() if f["patch_id"] == "H2")
        layer.changeGeometry(feature.id(), QgsGeometry(feature.geometry().buffer(-5, 4)))

    edit(audited["OUTPUT_REMNANTS"], shrink)
    with pytest.raises(QgsProcessingException) as caught:
        export(processing, audited, "export_maps", tmp_path / "m.pdf")
    assert "does not match the audit log" in str(caught.value) and "H2" in str(caught.value)


def test_a_log_written_before_decisions_had_hashes_still_exports_with_a_warning(processing, audited, tmp_path):
    older = tmp_path / "older.gpkg"
    rewritten = []
    for item in audit.entries(audited["log"]):
        data = {k: v for k, v in item.data.items() if k not in ("geom_hash", "remnants_hash", "outputs")}
        rewritten.append(audit.NewEntry(item.entry, data, item.run_id, item.patch_id, item.status))
    audit.append(older, rewritten)
    feedback = RecordingFeedback()
    result = export(processing, audited, "export_report", tmp_path / "r.xlsx", log=older, feedback=feedback)
    assert result["PATCHES"] == 5
    assert "hold no hash of the outline and remnants" in feedback.text()
