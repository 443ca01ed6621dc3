"""The farmland figures on paper: export_report's sheets (read back with openpyxl), ranked as the verify
run's RANK_BY says, and the 验收图's figures table; absent where the run had no farmland inputs."""

from __future__ import annotations

import openpyxl
import pytest
from farmland_data import approvals, basic_farmland, land_class, run
from qgis.core import QgsVectorLayer

from demolition_verifier.core.definitions import SQUARE_METRES_PER_MU
from demolition_verifier.core.report_model import PatchRecord
from demolition_verifier.core.wording import patch_figures

MU = SQUARE_METRES_PER_MU


def verified(processing, tmp_path, rank_by=1, **extra):
    inputs = dict(
        LAND_CLASS=land_class(),
        LAND_CLASS_FIELD="DLBM",
        BASIC_FARMLAND=basic_farmland(),
        APPROVALS=approvals(),
        APPROVAL_ID_FIELD="PZWH",
    )
    inputs.update(extra)
    log = tmp_path / "audit.gpkg"
    result = run(processing, RANK_BY=rank_by, OUTPUT=str(tmp_path / "verified.gpkg"), AUDIT_LOG=str(log), **inputs)
    return QgsVectorLayer(result["OUTPUT"], "verified", "ogr"), log


def headings(ws) -> list:
    return [c.value for c in ws[4]]


def test_report_names_the_farmland_figures_and_ranks_as_the_run(processing, tmp_path):
    layer, log = verified(processing, tmp_path)
    path = tmp_path / "report.xlsx"
    processing.run("demolitionverifier:export_report", {"INPUT": layer, "AUDIT_LOG": str(log), "OUTPUT": str(path)})
    wb = openpyxl.load_workbook(path)
    ws = wb["乡镇汇总"]
    # with the audit log the return visit's 复建数 stands last
    assert headings(ws)[10:] == [
        "耕地面积(亩)",
        "通过耕地面积(亩)",
        "耕地完成率",
        "剩余耕地面积(亩)",
        "补办图斑数",
        "复建数",
    ]
    body = {r[1].value: [c.value for c in r] for r in ws.iter_rows(min_row=5)}
    # by farmland: 城关镇 10 000 of 15 000 m² done; 柳林镇 has no farmland and ranks last
    assert body["城关镇"][0] == 1 and body["柳林镇"][0] == 2
    assert body["城关镇"][10] == pytest.approx(15000 / MU, rel=1e-4)
    assert body["城关镇"][12] == pytest.approx(2 / 3, rel=1e-4) and body["柳林镇"][12] is None
    assert body["合计"][14] == 1
    assert "耕地完成率" in ws["A3"].value
    ws = wb["图斑明细"]
    assert headings(ws)[13:] == [
        "耕地面积(亩)", "剩余耕地面积(亩)", "永久基本农田面积(亩)", "剩余永久基本农田面积(亩)", "已补办面积(亩)",
        "补办批文编号", "整改方式", "复核说明",
    ]  # fmt: skip
    rows = {r[1].value: [c.value for c in r] for r in ws.iter_rows(min_row=5)}
    assert rows["H1"][17] == pytest.approx(400 / MU, rel=1e-4) and rows["H1"][18:20] == ["冀批2024-12", "补办"]
    assert rows["H2"][16] == pytest.approx(200 / MU, rel=1e-4) and rows["H2"][19] is None
    assert rows["H10"][19] == "拆除"
    # asked for explicitly, RANK_BY wins over the run's
    path2 = tmp_path / "by_area.xlsx"
    processing.run("demolitionverifier:export_report", {"INPUT": layer, "RANK_BY": 0, "OUTPUT": str(path2)})
    ws = openpyxl.load_workbook(path2)["乡镇汇总"]
    assert [r[1].value for r in ws.iter_rows(min_row=5)][:2] == ["柳林镇", "城关镇"]  # 柳林镇: 100 % by area


def test_report_without_farmland_inputs_has_the_columns_of_before(processing, tmp_path):
    layer, log = verified(
        processing, tmp_path, rank_by=0, LAND_CLASS=None, LAND_CLASS_FIELD=None, BASIC_FARMLAND=None, APPROVALS=None
    )
    path = tmp_path / "report.xlsx"
    processing.run("demolitionverifier:export_report", {"INPUT": layer, "AUDIT_LOG": str(log), "OUTPUT": str(path)})
    wb = openpyxl.load_workbook(path)
    # the columns of before, and the return visit's 复建数 that the audit log brings
    assert len(headings(wb["乡镇汇总"])) == 11 and headings(wb["乡镇汇总"])[-2:] == ["图斑完成率", "复建数"]
    assert "farm" not in "".join(str(h) for h in headings(wb["图斑明细"]))
    assert "耕地" not in "".join(str(h) for h in headings(wb["图斑明细"]))


def test_map_figures_name_the_farmland_figures_in_mu(processing, tmp_path):
    layer, log = verified(processing, tmp_path)
    pdf = tmp_path / "maps.pdf"
    result = processing.run(
        "demolitionverifier:export_maps", {"INPUT": layer, "AUDIT_LOG": str(log), "OUTPUT": str(pdf)}
    )
    assert result["PAGES"] == 3 and pdf.stat().st_size > 0
    values = {f["patch_id"]: dict(zip(layer.fields().names(), f.attributes())) for f in layer.getFeatures()}
    figures = dict(patch_figures(PatchRecord.from_values(values["H1"])))
    assert figures["耕地面积 / 剩余耕地面积(亩)"] == f"{10000 / MU:.2f} / {400 / MU:.2f}"
    assert figures["永久基本农田面积 / 剩余永久基本农田面积(亩)"] == "0.00 / 0.00"
    assert figures["已补办面积(亩) / 整改方式"] == f"{400 / MU:.2f} / 补办"
    assert list(figures)[-5:-3] == ["核查结果", "原因"]  # the verdict stays where it stood
    plain = dict(
        patch_figures(
            PatchRecord.from_values(
                {k: v for k, v in values["H1"].items() if "farm" not in k and "appr" not in k and k != "method"}
            )
        )
    )
    assert not any("耕地" in k or "整改方式" in k for k in plain)
