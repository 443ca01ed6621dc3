# ruff: noqa: F811 - the dock tests' fixtures, imported by name
"""After the deadline, in the dock: a rebuilt patch (复建) styled apart in the table and on the map,
the return-visit sample drawn from the 进度 view, and 倒查责任 from there, naming the violators.
Real QGIS (pytest-qgis)."""

from __future__ import annotations

import sys
from pathlib import Path

from qgis.core import (
    QgsExpression,
    QgsExpressionContext,
    QgsExpressionContextUtils,
    QgsFeature,
    QgsField,
    QgsGeometry,
    edit,
)
from qgis.PyQt.QtCore import Qt, QVariant

sys.path.insert(0, str(Path(__file__).resolve().parent))  # --import-mode=importlib: the dock tests' module by name
from test_dock import ZH_TOWN, box, by_id, open_dock, plugin, table_rows, verify  # noqa: F401
from test_dock_progress import campaign_county  # noqa: F401

from demolition_verifier.core import audit
from demolition_verifier.core.definitions import AuditEntry


def add_shed(survey, x0: float) -> None:
    assert survey.startEditing()
    shed = QgsFeature(survey.fields())
    shed.setGeometry(QgsGeometry.fromWkt(box(x0 + 20, 20, x0 + 40, 40)))  # 400 m², saved
    assert survey.addFeature(shed)
    assert survey.commitChanges()


def matches(layer, feature, expression: str) -> bool:
    context = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    context.setFeature(feature)
    return bool(QgsExpression(expression).evaluate(context))


def test_a_rebuilt_patch_stands_apart_and_the_return_visit_is_drawn(plugin, campaign_county):
    from demolition_verifier.ui.styles import REBUILT_COLOUR

    clock, project, patches, survey = campaign_county
    clock.at("2024-06-02T17:00:00")
    dock = open_dock(plugin, patches, survey)
    verify(dock)  # H1, H3 pass
    add_shed(survey, 400)  # something stands again on H3
    clock.at("2024-07-20T10:00:00")
    verify(dock)

    rows = {r["Patch id"]: r for r in table_rows(dock)}
    assert rows["H3"]["Result"] == "fail · rebuilt" and "rebuilt" in rows["H3"]["Reasons"]
    assert rows["H2"]["Result"] == "fail", "a patch failing all along is no rebuilt one"
    proxy, column = dock.proxy, dock.model.COLUMNS.index("status")
    h3_row = next(r for r in range(proxy.rowCount()) if proxy.data(proxy.index(r, 0)) == "H3")
    brush = proxy.data(proxy.index(h3_row, column), Qt.ItemDataRole.BackgroundRole)
    assert brush.color().name() == REBUILT_COLOUR

    layer = dock.result_layer()
    fail_rule = next(r for r in layer.renderer().rootRule().children() if r.ruleKey() == "fail")
    rule = next(r for r in fail_rule.children() if r.ruleKey() == "rebuilt")  # over the red fill, in its legend
    assert rule.label() in ("Rebuilt", "复建")
    assert matches(layer, by_id(layer, "H3")[0], fail_rule.filterExpression())
    assert matches(layer, by_id(layer, "H3")[0], rule.filterExpression())
    assert not matches(layer, by_id(layer, "H2")[0], rule.filterExpression())
    assert not matches(layer, by_id(layer, "H1")[0], rule.filterExpression())

    # 回头看: passed patches not verified for 30 days (H1 only: H3 fails now), the draw in the log
    view = dock.progress_view
    view.setCollapsed(False)
    assert view.revisit_button.isEnabled() and view.revisit_days.value() == 30
    sample = view.draw_revisit()
    assert sample is not None and sample in project.mapLayers().values()
    assert [f["patch_id"] for f in sample.getFeatures()] == ["H1"]
    draws = audit.entries(audit_log(project), kinds=(AuditEntry.SAMPLE,))
    assert draws[-1].data["older_than_days"] == 30.0 and draws[-1].data["drawn"] == ["H1"], "the draw is logged"
    view.revisit_days.setValue(3650)  # nothing that old
    empty = view.draw_revisit()
    assert empty is not None and empty.featureCount() == 0


def audit_log(project) -> str:
    from demolition_verifier.ui import audit_link

    return audit_link.log_path(project)


def test_trace_responsibility_from_the_dock_names_the_violators(plugin, campaign_county, tmp_path, monkeypatch):
    """倒查责任 from the 进度 view: the real demolitionverifier:accountability over the project's log,
    the dock's patch layer given with its violator column (guessed), the workbook opened."""
    from test_dock_progress import define_campaign

    from demolition_verifier.formats.table_file import read_xlsx_table
    from demolition_verifier.ui import progress

    clock, project, patches, survey = campaign_county
    assert patches.dataProvider().addAttributes([QgsField("DSR", QVariant.String)])
    patches.updateFields()
    with edit(patches):
        for feature in patches.getFeatures():
            patches.changeAttributeValue(feature.id(), patches.fields().indexOf("DSR"), f"当事人{feature['JCBH']}")
    clock.at("2024-06-01T08:00:00")
    define_campaign(audit_log(project), patches)
    clock.at("2024-06-02T17:00:00")
    dock = open_dock(plugin, patches, survey)
    verify(dock)
    view = dock.progress_view
    view.setCollapsed(False)
    assert view.refresh() and view.accountability_button.isEnabled()
    opened: list[str] = []
    monkeypatch.setattr(progress, "open_file", opened.append)
    table = tmp_path / "责任.csv"
    table.write_text("乡镇,责任类型,单位,责任人,电话\n城关镇,整改责任,城关镇政府,张三,123\n", encoding="utf-8")
    target = tmp_path / "倒查责任清单"
    assert view.make_accountability(str(table), str(target))
    written = str(target) + ".xlsx"
    assert opened == [written]
    headers, rows = read_xlsx_table(written)
    text = "\n".join(" ".join(str(v) for v in row) for row in [headers, *rows])
    assert "H2" in text and "当事人H2" in text, "the unfinished patch with its violator from the DSR column"
    assert "张三" in text and "城关镇政府" in text
