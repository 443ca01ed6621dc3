"""The exports print only their patches' latest decisions: a verify output of a run the audit log holds
a later decision after (another verify run, the dock's re-check of some patches) is refused, unless
ALLOW_OLDER_RUN, and then every sheet and page says it is not the latest. Through processing.run."""

from __future__ import annotations

import re
import shutil

import openpyxl
import pytest
from export_data import CRS, NATURAL_ORDER, pdf_text_pages, verified_county
from qgis.core import QgsProcessingException, QgsVectorLayer
from qgis_layers import RecordingFeedback, memory_layer

from demolition_verifier.core import audit
from demolition_verifier.core.definitions import Mark
from demolition_verifier.core.engine import Rules
from demolition_verifier.core.messages import text
from demolition_verifier.core.wording import local_time_text
from demolition_verifier.qgis_adapter.audit_io import record_recheck
from demolition_verifier.qgis_adapter.map_layout import DEFAULT_TEMPLATE
from demolition_verifier.qgis_adapter.recheck import recheck_patches

BANNER = "非最新核查结果 Not the latest decisions"


@pytest.fixture
def county(processing, tmp_path):
    """The county verified with an audit log into tmp_path/first."""
    log = tmp_path / "audit.gpkg"
    (tmp_path / "first").mkdir()
    first = verified_county(processing, tmp_path / "first", audit_log=log)
    run_id = QgsVectorLayer(first["OUTPUT"], "verified", "ogr").getFeature(1)["run_id"]
    return {**first, "log": log, "run_id": run_id}


def export(processing, algorithm, county, path, feedback=None, **extra) -> dict:
    params = {"INPUT": county["OUTPUT"], "AUDIT_LOG": str(county["log"]), "OUTPUT": str(path), **extra}
    if algorithm == "export_maps":
        params.setdefault("REMNANTS", county["OUTPUT_REMNANTS"])
    return processing.run(f"demolitionverifier:{algorithm}", params, feedback=feedback)


def refused(processing, algorithm, county, path, **extra) -> str:
    with pytest.raises(QgsProcessingException) as caught:
        export(processing, algorithm, county, path, **extra)
    assert not path.exists()
    return str(caught.value)


def last_run(log) -> audit.Entry:
    return audit.entries(log, kinds=["run"])[-1]


def test_an_older_verify_run_is_refused_then_printed_as_not_the_latest(processing, county, tmp_path):
    (tmp_path / "second").mkdir()
    second = verified_county(processing, tmp_path / "second", audit_log=county["log"])  # the same patches again
    later = last_run(county["log"])
    at = local_time_text(later.data["checked_at"])
    # the report prints every patch; the maps the four with an outline (H3 has none)
    for algorithm, name, count in (("export_report", "report.xlsx", 5), ("export_maps", "maps.pdf", 4)):
        message = refused(processing, algorithm, county, tmp_path / name)
        assert "These are not the latest decisions" in message and f"{count} patches were decided again" in message
        assert f"the verify run {later.run_id} of {at}, {count} patches" in message and "ALLOW_OLDER_RUN" in message

    feedback = RecordingFeedback()
    report = tmp_path / "report.xlsx"
    result = export(processing, "export_report", county, report, feedback, ALLOW_OLDER_RUN=True)
    assert result["AUDIT_HEAD"] == audit.head_after_run(county["log"], county["run_id"])  # the older run's own
    values = {"count": 5, "examples": "H1、H2、H10、H3、H4"}
    runs = {
        "runs_zh": f"{at} 的核查，运行编号 {later.run_id}，5 个图斑",
        "runs_en": f"the verify run {later.run_id} of {at}, 5 patches",
    }
    assert text("export_older_allowed", False, **values, **runs) in feedback.lines
    banner = f"{BANNER}：5 个图斑已被 {at} 的核查取代"
    for sheet in openpyxl.load_workbook(report):  # every sheet: the banner first of the log's lines
        lines = sheet["A2"].value.split("\n")
        assert county["run_id"] in lines[0] and lines[1] == banner and lines[2].endswith(result["AUDIT_HEAD"])

    maps = tmp_path / "maps.pdf"
    assert export(processing, "export_maps", county, maps, ALLOW_OLDER_RUN=True)["PAGES"] == 4
    pages = pdf_text_pages(maps)
    assert len(pages) == 4
    for page in pages:  # every page: the title marked, the banner in the footer
        squeezed = "".join(page.split())
        assert "【非最新核查结果】土地例行督察整改验收图" in squeezed
        assert "".join(f"{BANNER}:4 个图斑已被 {at} 的核查取代".split()) in squeezed  # NFKC: ： read as :

    # the later run's output is the latest: printed as it is, without asking
    latest = {**county, "OUTPUT": second["OUTPUT"], "OUTPUT_REMNANTS": second["OUTPUT_REMNANTS"]}
    fresh = tmp_path / "latest.xlsx"
    export(processing, "export_report", latest, fresh)
    assert all(BANNER not in sheet["A2"].value for sheet in openpyxl.load_workbook(fresh))
    fresh_maps = tmp_path / "latest.pdf"
    export(processing, "export_maps", latest, fresh_maps, ALLOW_OLDER_RUN=True)  # nothing older to mark
    assert all("非最新" not in page for page in pdf_text_pages(fresh_maps))


def test_the_docks_recheck_supersedes_the_patches_it_rechecked(processing, county, tmp_path):
    """核查选中图斑: H2 re-checked with its remnant gone, written into the output (as the dock does) and
    logged as a re-check. The output is its patches' latest decisions; a copy made before is not, for H2."""
    older = tmp_path / "before_recheck.gpkg"
    shutil.copy(county["OUTPUT"].split("|")[0], older)
    layer = QgsVectorLayer(county["OUTPUT"], "verified", "ogr")
    remnants = QgsVectorLayer(county["OUTPUT_REMNANTS"], "remnants", "ogr")
    h2 = next(f.id() for f in layer.getFeatures() if f["patch_id"] == "H2")
    survey = memory_layer("survey", [], CRS)
    outcome = recheck_patches(layer, survey, [h2], Rules(monitored_area_unit=1), remnants_layer=remnants)
    record_recheck(str(county["log"]), outcome.result, {"PATCHES": (layer, [h2]), "SURVEY": (survey, [])}, {})
    recheck = last_run(county["log"])
    assert recheck.data["kind"] == "re-check" and outcome.run_id == recheck.run_id
    audit.mark_patch(county["log"], "H10", Mark.DISPUTED, "乡镇申辩：残留为保留的水泵房")  # a mark supersedes nothing
    del layer, remnants

    report = tmp_path / "report.xlsx"
    export(processing, "export_report", county, report)  # the verify run and its re-check: the latest
    rows = {r[1]: r for r in openpyxl.load_workbook(report)["图斑明细"].iter_rows(min_row=5, values_only=True)}
    assert rows["H2"][3] == "通过" and rows["H10"][4] == "存疑"
    maps = tmp_path / "maps.pdf"
    assert export(processing, "export_maps", county, maps)["PAGES"] == len(NATURAL_ORDER)
    assert all("非最新" not in page for page in pdf_text_pages(maps))

    copy = {**county, "OUTPUT": str(older)}
    at = local_time_text(recheck.data["checked_at"])
    message = refused(processing, "export_report", copy, tmp_path / "older.xlsx")
    assert "1 patches were decided again" in message and "e.g. H2." in message
    assert f"the re-check {recheck.run_id} of {at}, 1 patches" in message
    # what a township's report prints is what must be the latest: H1 alone was not re-checked
    township = tmp_path / "h1.xlsx"
    export(processing, "export_report", copy, township, FILTER="\"patch_id\" = 'H1'")
    assert all(BANNER not in sheet["A2"].value for sheet in openpyxl.load_workbook(township))
    refused(processing, "export_maps", copy, tmp_path / "h2.pdf", FILTER="\"patch_id\" = 'H2'", REMNANTS=None)
    pdf = tmp_path / "h2_allowed.pdf"
    export(processing, "export_maps", copy, pdf, FILTER="\"patch_id\" = 'H2'", REMNANTS=None, ALLOW_OLDER_RUN=True)
    (page,) = pdf_text_pages(pdf)
    assert re.search(r"非最新核查结果 Not the latest decisions:1 个图斑已被 \S+ \S+ 的核查取代", page)
    assert "不通过" in page  # H2 as the older run decided it


def test_a_template_that_could_not_say_so_is_refused(processing, county, tmp_path):
    verified_county(processing, audit_log=county["log"])  # a later run: the first output is older
    bare = tmp_path / "bare.qpt"
    qpt = open(DEFAULT_TEMPLATE, encoding="utf-8").read()
    bare.write_text(qpt.replace("[% @dv_title %]", "验收图").replace("[% @dv_audit %]", ""), encoding="utf-8")
    message = refused(
        processing, "export_maps", county, tmp_path / "maps.pdf", TEMPLATE=str(bare), ALLOW_OLDER_RUN=True
    )
    assert "prints neither @dv_title nor @dv_audit" in message
