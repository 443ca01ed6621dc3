# ruff: noqa: F811 - the dock tests' fixtures, imported by name
"""After the deadline, in the dock: a rebuilt patch (复建) styled apart in the table and on the map,
the return-visit sample drawn from the 进度 view, and 倒查责任 offered only where its algorithm is
installed. Real QGIS (pytest-qgis)."""

from __future__ import annotations

import sys
from pathlib import Path

from qgis.core import (
    QgsApplication,
    QgsExpression,
    QgsExpressionContext,
    QgsExpressionContextUtils,
    QgsFeature,
    QgsGeometry,
    QgsProcessingAlgorithm,
    QgsProcessingOutputString,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import Qt

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


class StandInAccountability(QgsProcessingAlgorithm):
    """Where demolitionverifier:accountability is not in this checkout yet: an algorithm of that id
    with the contract's parameters, which writes the workbook it is asked for."""

    seen: list[dict] = []

    def name(self):
        return "accountability"

    def displayName(self):
        return "倒查责任清单"

    def createInstance(self):
        return StandInAccountability()

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFile("AUDIT_LOG", "log", extension="gpkg"))
        self.addParameter(QgsProcessingParameterString("AS_OF", "as of", optional=True))
        self.addParameter(QgsProcessingParameterFile("RESPONSIBILITIES", "responsibilities"))
        self.addParameter(QgsProcessingParameterFileDestination("OUTPUT", "list", "Excel (*.xlsx)"))
        self.addOutput(QgsProcessingOutputString("AUDIT_HEAD", "head"))

    def processAlgorithm(self, parameters, context, feedback):
        StandInAccountability.seen.append(dict(parameters))
        path = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        Path(path).write_bytes(b"PK")
        return {"OUTPUT": path, "AUDIT_HEAD": ""}


def test_trace_responsibility_only_where_the_algorithm_is_installed(plugin, campaign_county, tmp_path, monkeypatch):
    from test_dock_progress import define_campaign

    from demolition_verifier.ui import progress

    clock, project, patches, survey = campaign_county
    clock.at("2024-06-01T08:00:00")
    define_campaign(audit_log(project), patches)
    clock.at("2024-06-02T17:00:00")
    dock = open_dock(plugin, patches, survey)
    verify(dock)
    view = dock.progress_view
    view.setCollapsed(False)
    registry = QgsApplication.processingRegistry()
    if registry.algorithmById(progress.ACCOUNTABILITY_ALGORITHM) is None:
        assert not view.accountability_button.isEnabled()
        assert "not installed" in view.accountability_button.toolTip()
        provider = registry.providerById("demolitionverifier")
        assert provider.addAlgorithm(StandInAccountability())
    try:
        assert view.refresh()
        assert view.accountability_button.isEnabled()
        if registry.algorithmById(progress.ACCOUNTABILITY_ALGORITHM).__class__ is not StandInAccountability:
            return  # the real algorithm is tested on its own
        opened: list[str] = []
        monkeypatch.setattr(progress, "open_file", opened.append)
        table = tmp_path / "责任.csv"
        table.write_text("乡镇,责任类型,单位,责任人,电话\n城关镇,整改责任,城关镇政府,张三,123\n", encoding="utf-8")
        target = tmp_path / "倒查责任清单"
        assert view.make_accountability(str(table), str(target))
        given = StandInAccountability.seen[-1]
        assert given["AUDIT_LOG"] == audit_log(project) and given["RESPONSIBILITIES"] == str(table)
        assert given["OUTPUT"] == str(target) + ".xlsx" and opened == [str(target) + ".xlsx"]
    finally:
        registry.providerById("demolitionverifier").refreshAlgorithms()
