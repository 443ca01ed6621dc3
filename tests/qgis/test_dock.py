"""The dock, driven as field staff drive it: choose layers, verify, read and filter the table, click a
patch, digitize a remnant without saving, re-check. Real QGIS (pytest-qgis), real task manager."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from qgis.core import (
    QgsApplication,
    QgsExpressionContextUtils,
    QgsFeature,
    QgsGeometry,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsProject,
    QgsRectangle,
    QgsRenderContext,
    QgsRuleBasedRenderer,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication, QEvent, QPoint, QSize, Qt
from qgis.PyQt.QtGui import QColor
from qgis.PyQt.QtTest import QTest
from qgis.PyQt.QtWidgets import QDockWidget, QToolBar
from qgis_layers import box_wkt, memory_layer, write_file

X0, Y0 = 39_550_000.0, 3_880_000.0  # EPSG:4527
ZH_TOWN, LIU_TOWN = "城关镇", "柳林镇"


def box(x0, y0, x1, y1) -> str:
    return box_wkt(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)


# id, township, JCMJ (亩), square (x0): 15 亩 = 10 000 m² = the 100 m squares
PATCHES = [
    ("H1", ZH_TOWN, 15.0, 0),  # nothing left: pass
    ("H2", ZH_TOWN, 15.0, 200),  # a 20 x 20 m building kept: fail
    ("H3", ZH_TOWN, 15.0, 400),  # nothing left; a shed is digitized later: pass, then fail
    ("H4", LIU_TOWN, 15.0, 600),  # a 10 x 10 m building, demolished later: fail, then pass
    ("H1", LIU_TOWN, 15.0, 800),  # the same id as the first: duplicate_id, county-wide
]


def process_until(condition, timeout: float = 60.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "timed out"
        QCoreApplication.processEvents()
        time.sleep(0.005)


def flush_deletes() -> None:
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()


@pytest.fixture
def county(qgis_new_project, tmp_path):
    """The patch layer (memory) and the survey layer (a GeoPackage, as field staff have it)."""
    patches = memory_layer(
        "督察图斑 patches",
        [box(x, 0, x + 100, 100) for *_rest, x in PATCHES],
        "EPSG:4527",
        [("JCBH", str), ("XZQMC", str), ("JCMJ", float)],
        [row[:3] for row in PATCHES],
    )
    survey_memory = memory_layer("survey", [box(210, 10, 230, 30), box(610, 10, 620, 20)], "EPSG:4527")
    path = write_file(survey_memory, str(tmp_path / "survey.gpkg"), layer_name="survey")
    survey = QgsVectorLayer(f"{path}|layername=survey", "现状调查 survey", "ogr")
    assert survey.isValid()
    qgis_new_project.addMapLayers([patches, survey])
    qgis_new_project.setFileName(str(tmp_path / "county.qgz"))  # its audit log goes beside it, in tmp
    return qgis_new_project, patches, survey


@pytest.fixture
def plugin(qgis_iface, qgis_processing):
    import demolition_verifier

    plugin = demolition_verifier.classFactory(qgis_iface)
    plugin.initGui()
    yield plugin
    plugin.unload()
    flush_deletes()


def open_dock(plugin, patches, survey):
    plugin.dock_action.trigger()  # the toolbar button
    dock = plugin.dock
    assert not dock.isHidden() and plugin.dock_action.isChecked()
    dock.inputs.patches.setLayer(patches)
    dock.inputs.survey.setLayer(survey)
    dock.inputs.area_unit.setCurrentIndex(dock.inputs.area_unit.findData(1))  # 亩
    return dock


def verify(dock) -> None:
    QTest.mouseClick(dock.run_button, Qt.MouseButton.LeftButton)
    assert dock.run is not None, "the run started"
    assert not dock.run_button.isEnabled() and dock.cancel_button.isEnabled()
    process_until(lambda: dock.run.finished)
    QCoreApplication.processEvents()


def table_rows(dock) -> list[dict]:
    """What the user reads in the table, by column header."""
    proxy = dock.proxy
    headers = [proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(proxy.columnCount())]
    return [
        {headers[c]: proxy.data(proxy.index(r, c)) for c in range(proxy.columnCount())}
        | {"fid": dock.model.rows[proxy.mapToSource(proxy.index(r, 0)).row()].fid}
        for r in range(proxy.rowCount())
    ]


def click_row(dock, patch_id: str, township: str | None = None) -> dict:
    rows = table_rows(dock)
    for r, row in enumerate(rows):
        if row["Patch id"] == patch_id and (township is None or row["Township"] == township):
            index = dock.proxy.index(r, 0)
            dock.table.scrollTo(index)
            QTest.mouseClick(
                dock.table.viewport(), Qt.MouseButton.LeftButton, pos=dock.table.visualRect(index).center()
            )
            return row
    raise AssertionError(f"{patch_id} not in the table")


def by_id(layer, patch_id, township=None):
    return [
        f for f in layer.getFeatures() if f["patch_id"] == patch_id and (township is None or f["township"] == township)
    ]


def test_layers_and_fields_are_guessed_and_defaults_come_from_the_definitions(plugin, county):
    """The layers arrive after the dock was made (plugin before county): nothing is chosen by hand."""
    from demolition_verifier.core.definitions import DEFAULT_AREA_TOLERANCE, DEFAULT_MAIN_STRUCTURE_AREA

    _project, patches, survey = county
    dock = plugin.dock
    assert dock.inputs.patches.currentLayer() is patches
    assert dock.inputs.survey.currentLayer() is survey
    assert dock.inputs.coverage.currentLayer() is None
    assert dock.inputs.id_field.currentField() == "JCBH"
    assert dock.inputs.area_field.currentField() == "JCMJ"
    assert dock.inputs.township_field.currentField() == "XZQMC"
    assert dock.inputs.tolerance.value() == DEFAULT_AREA_TOLERANCE
    assert dock.inputs.main_area.value() == DEFAULT_MAIN_STRUCTURE_AREA
    assert dock.inputs.max_ratio.value() == 0.0
    # only polygon layers are offered
    points = memory_layer("points", ["POINT(1 1)"], "EPSG:4527", geometry="Point")
    QgsProject.instance().addMapLayer(points)
    offered = [dock.inputs.survey.itemText(i) for i in range(dock.inputs.survey.count())]
    assert "points" not in offered and "现状调查 survey" in offered


def test_verify_fills_the_table_and_styles_the_layers(plugin, county, qgis_iface):
    from demolition_verifier.core.words import reasons_in_words
    from demolition_verifier.ui.i18n import is_chinese

    project, patches, survey = county
    dock = open_dock(plugin, patches, survey)
    verify(dock)
    rows = table_rows(dock)
    assert len(rows) == 5
    h2 = next(r for r in rows if r["Patch id"] == "H2")
    assert h2["Result"] == "fail"
    assert h2["Township"] == ZH_TOWN
    assert h2["Monitored (mu)"] == "15.00" and h2["Monitored (m²)"] == "10,000.0"
    assert float(h2["Remaining (m²)"].replace(",", "")) == pytest.approx(400.0, rel=1e-3)
    assert h2["Ratio"] == "4.0%"
    assert h2["Reasons"] == reasons_in_words("main_retained,over_tolerance", is_chinese())
    dups = [r for r in rows if r["Patch id"] == "H1"]
    assert all("duplicate" in r["Reasons"] or "编号重复" in r["Reasons"] for r in dups)
    assert "pass" in dock.counts_label.text() and "<b>3</b>" in dock.counts_label.text()  # 3 pass, 2 fail

    result, remnants = dock.result_layer(), dock.remnants_layer()
    renderer = result.renderer()
    assert isinstance(renderer, QgsRuleBasedRenderer)  # fill by final status, outlines by dispute state
    colours = {r.ruleKey(): r.symbol().color().name() for r in renderer.rootRule().children()}
    assert {k: colours[k] for k in ("pass", "fail", "unsurveyed")} == {
        "pass": "#4caf50",
        "fail": "#e53935",
        "unsurveyed": "#9e9e9e",
    }
    assert {f["final_st"] for f in result.getFeatures()} == {"pass", "fail"}  # no mark yet: the computed status
    assert not any(f["dispute"] for f in result.getFeatures())
    order = [node.layer() for node in project.layerTreeRoot().findLayers()]
    assert order.index(remnants) < order.index(result), "remnants drawn on top"
    assert sorted(f["patch_id"] for f in remnants.getFeatures()) == ["H2", "H4"]
    assert qgis_iface.messageBar().get_messages(3), "a success message"  # Qgis.Success

    # a second run replaces the layers instead of stacking copies
    result_name, remnants_name = result.name(), remnants.name()
    verify(dock)
    names = [layer.name() for layer in project.mapLayers().values()]
    assert names.count(result_name) == 1 and names.count(remnants_name) == 1
    assert len(project.mapLayers()) == 4
    # the choices are in the project
    assert project.readEntry("demolition_verifier", "setup/id_field")[0] == "JCBH"
    assert project.readNumEntry("demolition_verifier", "setup/area_unit")[0] == 1


def test_filter_sort_and_click_a_patch(plugin, county, qgis_iface):
    _project, patches, survey = county
    dock = open_dock(plugin, patches, survey)
    verify(dock)
    dock.status_filter.setCurrentIndex(dock.status_filter.findData("fail"))
    assert sorted(r["Patch id"] for r in table_rows(dock)) == ["H2", "H4"]
    assert "2 shown" in dock.counts_label.text()
    dock.township_filter.setCurrentIndex(dock.township_filter.findData(LIU_TOWN))
    assert [r["Patch id"] for r in table_rows(dock)] == ["H4"]
    dock.status_filter.setCurrentIndex(0)
    assert sorted(r["Patch id"] for r in table_rows(dock)) == ["H1", "H4"]
    dock.township_filter.setCurrentIndex(0)
    dock.search.setText("h2")
    assert [r["Patch id"] for r in table_rows(dock)] == ["H2"]
    dock.search.setText("")

    # sort by remaining area, largest first, by clicking the header twice
    column = dock.model.COLUMNS.index("remain_m2")
    header = dock.table.horizontalHeader()
    middle = QPoint(header.sectionViewportPosition(column) + header.sectionSize(column) // 2, header.height() // 2)
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=middle)
    ascending = [r["Patch id"] for r in table_rows(dock)]
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=middle)
    descending = [r["Patch id"] for r in table_rows(dock)]
    assert descending[:2] == ["H2", "H4"] and ascending[-2:] == ["H4", "H2"]

    canvas = qgis_iface.mapCanvas()
    row = click_row(dock, "H2")
    result = dock.result_layer()
    assert list(result.selectedFeatureIds()) == [row["fid"]]
    patch = result.getFeature(row["fid"])
    assert canvas.extent().contains(patch.geometry().boundingBox())
    assert canvas.extent().width() < 1000, "zoomed to the patch"
    assert dock.detail.values["patch"].text().startswith("<b>H2</b>")
    assert dock.detail.table.rowCount() == 1
    assert float(dock.detail.table.item(0, 1).text()) == pytest.approx(400.0, rel=1e-3)
    assert dock.detail.highlight_count() == 1


def test_recheck_after_unsaved_edits(plugin, county, qgis_iface):
    """Digitize a shed in H3, delete H4's building, without saving: re-check updates those rows,
    the result layer and the remnants, and keeps H1's county-wide duplicate_id flag."""
    _project, patches, survey = county
    dock = open_dock(plugin, patches, survey)
    verify(dock)
    result, remnants = dock.result_layer(), dock.remnants_layer()
    assert by_id(result, "H3")[0]["status"] == "pass" and by_id(result, "H4")[0]["status"] == "fail"
    run_id = by_id(result, "H3")[0]["run_id"]
    untouched = {f.id(): f.attributes() for f in result.getFeatures() if f["patch_id"] == "H2"}

    # found before the edit session: QGIS 3.40 with GDAL 3.10 now and then fails to open a second
    # connection to a GeoPackage just switched to WAL for editing ("unable to open database file")
    building = next(f for f in survey.getFeatures() if f.geometry().boundingBox().xMinimum() > X0 + 600)
    assert survey.startEditing()
    shed = QgsFeature(survey.fields())
    shed.setGeometry(QgsGeometry.fromWkt(box(420, 20, 425, 25)))  # 25 m² in H3
    assert survey.addFeature(shed)
    assert survey.deleteFeature(building.id())
    assert survey.isModified()

    dock.select_fids([by_id(result, "H3")[0].id(), by_id(result, "H4")[0].id(), by_id(result, "H1", ZH_TOWN)[0].id()])
    assert len(result.selectedFeatureIds()) == 3
    QTest.mouseClick(dock.recheck_button, Qt.MouseButton.LeftButton)

    h3, h4, h1 = by_id(result, "H3")[0], by_id(result, "H4")[0], by_id(result, "H1", ZH_TOWN)[0]
    assert h3["status"] == "fail" and h3["reasons"] == "main_retained,over_tolerance"
    assert h3["remain_m2"] == pytest.approx(25.0, rel=1e-3) and h3["run_id"] != run_id
    assert h4["status"] == "pass" and h4["reasons"] == "" and h4["remain_m2"] == 0
    assert h1["status"] == "pass" and h1["reasons"] == "duplicate_id"
    assert {f.id(): f.attributes() for f in result.getFeatures() if f["patch_id"] == "H2"} == untouched
    assert sorted(f["patch_id"] for f in remnants.getFeatures()) == ["H2", "H3"]
    assert survey.isEditable() and survey.isModified(), "the user's edits are left unsaved"

    rows = {r["Patch id"] + r["Township"]: r for r in table_rows(dock)}
    assert rows["H3" + ZH_TOWN]["Result"] == "fail" and rows["H4" + LIU_TOWN]["Result"] == "pass"
    assert "<b>3</b>" in dock.counts_label.text()  # still 3 pass, 2 fail, other patches now
    success = qgis_iface.messageBar().get_messages(3)[-1]
    assert "H3 pass → fail" in success and "H4 fail → pass" in success
    survey.rollBack()


def test_recheck_patches_function_without_widgets(plugin, county):
    """The function a benchmark calls: no dock needed once a result layer exists."""
    from demolition_verifier.qgis_adapter.recheck import recheck_patches
    from demolition_verifier.ui.settings import setup_of

    _project, patches, survey = county
    dock = open_dock(plugin, patches, survey)
    verify(dock)
    result = dock.result_layer()
    setup = setup_of(result)
    assert setup.survey == survey.id() and setup.area_unit == 1
    h1 = by_id(result, "H1", ZH_TOWN)[0]
    survey.startEditing()
    shed = QgsFeature(survey.fields())
    shed.setGeometry(QgsGeometry.fromWkt(box(50, 50, 50.5, 51)))  # 0.5 m²: survey noise
    survey.addFeature(shed)
    outcome = recheck_patches(result, survey, [h1.id()], setup.rules(), area_field=setup.area_field)
    values = outcome.values[h1.id()]
    assert values["status"] == "pass" and values["remain_m2"] == pytest.approx(0.5, rel=1e-3)
    assert values["reasons"] == "duplicate_id"
    survey.rollBack()


def test_cancel_and_errors_in_plain_words(plugin, county, qgis_iface):
    project, patches, survey = county
    dock = open_dock(plugin, patches, survey)
    assert dock.start_run()
    dock.cancel_run()
    process_until(lambda: dock.run.finished)
    assert dock.result_layer() is None
    assert any("cancelled" in m for m in qgis_iface.messageBar().get_messages(0))
    assert dock.run_button.isEnabled() and not dock.cancel_button.isEnabled()

    # planar area asked for a lon/lat patch layer: the algorithm refuses, the user reads why
    lonlat = memory_layer(
        "lonlat",
        ["POLYGON((114 36,114.001 36,114.001 36.001,114 36.001,114 36))"],
        "EPSG:4490",
        [("JCBH", str)],
        [["X1"]],
    )
    project.addMapLayer(lonlat)
    dock.inputs.patches.setLayer(lonlat)
    dock.inputs.area_method.setCurrentIndex(dock.inputs.area_method.findData(1))
    verify(dock)
    critical = qgis_iface.messageBar().get_messages(2)[-1]
    assert "Verification failed" in critical and "geographic CRS" in critical
    assert "Traceback" not in critical

    dock.inputs.survey.setLayer(lonlat)  # the survey cannot be the patch layer
    qgis_iface.messageBar().clear_messages()
    assert not dock.start_run()
    assert qgis_iface.messageBar().get_messages(1), "the user is told what to choose"


def test_choices_are_remembered_per_project(plugin, county, tmp_path):
    project, patches, survey = county
    dock = open_dock(plugin, patches, survey)
    dock.inputs.tolerance.setValue(2.5)
    dock.inputs.township_field.setField("")
    verify(dock)
    path = str(tmp_path / "county.qgz")
    patches_id = patches.id()
    assert project.write(path)
    dock.inputs.tolerance.setValue(7.0)
    dock.inputs.area_unit.setCurrentIndex(0)
    project.clear()
    assert project.read(path)
    assert dock.inputs.tolerance.value() == 2.5
    assert dock.inputs.area_unit.currentData() == 1
    assert dock.inputs.patches.currentLayer().id() == patches_id
    assert dock.inputs.township_field.currentField() == ""  # the user's choice, not the guess
    assert dock.inputs.id_field.currentField() == "JCBH"


def test_load_unload_twice_leaves_nothing(qgis_iface, qgis_processing, county):
    import demolition_verifier

    project = QgsProject.instance()
    signals = (project.readProject, project.cleared, project.layersWillBeRemoved, project.layersAdded)
    before = [project.receivers(s) for s in signals]
    registry = QgsApplication.processingRegistry()
    main_window = qgis_iface.mainWindow()
    for _ in range(2):
        plugin = demolition_verifier.classFactory(qgis_iface)
        plugin.initGui()
        assert all(project.receivers(s) > b for s, b in zip(signals, before))
        assert main_window.findChildren(QDockWidget, "DemolitionVerifierDock")
        plugin.dock_action.trigger()
        plugin.unload()
        flush_deletes()
        assert [project.receivers(s) for s in signals] == before
        assert not main_window.findChildren(QDockWidget, "DemolitionVerifierDock")
        assert not main_window.findChildren(QToolBar, "demolitionVerifierToolbar")
        assert registry.providerById("demolitionverifier") is None
        assert not plugin.actions


def test_audit_log_and_disputes(plugin, county, qgis_iface, tmp_path):
    """The audit trail through the dock: runs and re-checks go into the project's audit log; an auditor's
    overturn becomes the patch's result in the table, the computed one beside it."""
    from demolition_verifier.core import audit

    _project, patches, survey = county
    dock = open_dock(plugin, patches, survey)
    verify(dock)
    log = tmp_path / "county_audit.gpkg"
    assert log.is_file()
    assert "Audit log" in qgis_iface.messageBar().get_messages(3)[-1]
    h2 = by_id(dock.result_layer(), "H2")[0]
    dock.select_fids([h2.id()])
    assert dock.recheck_selected()
    runs = [e.data.get("kind") for e in audit.entries(log, kinds=("run",))]
    assert runs == ["verify", "re-check"]
    assert audit.verify_chain(log).valid

    click_row(dock, "H2")
    assert not dock.disputes_button.isHidden() and dock.disputes_button.isEnabled()
    QTest.mouseClick(dock.disputes_button, Qt.MouseButton.LeftButton)
    dialog = dock._dialogs[-1]
    dialog.mark_box.setCurrentIndex(dialog.mark_box.findData("overturned"))
    dialog.status_box.setCurrentIndex(dialog.status_box.findData("pass"))
    dialog.note.setPlainText("现场复核：主体已拆除，调查图层未更新")
    assert dialog.record()
    row = next(r for r in table_rows(dock) if r["Patch id"] == "H2")
    assert row["Result"] == "pass"
    assert row["Dispute"] == "overturned (computed: fail)"
    assert "<b>4</b>" in dock.counts_label.text()  # 4 pass now


# -- disputes on the map ------------------------------------------------------------
def mark(dock, patch_id: str, what: str, note: str, new_status: str | None = None) -> None:
    """An auditor's mark, as one is made: click the row, 争议与历史…, choose, write why, 记录."""
    click_row(dock, patch_id)
    QTest.mouseClick(dock.disputes_button, Qt.MouseButton.LeftButton)
    dialog = dock._dialogs[-1]
    assert dialog.patch_id == patch_id
    dialog.mark_box.setCurrentIndex(dialog.mark_box.findData(what))
    if new_status:
        dialog.status_box.setCurrentIndex(dialog.status_box.findData(new_status))
    dialog.note.setPlainText(note)
    assert dialog.record()
    dialog.close()


def legend_keys(layer, feature) -> set[str]:
    """The legend classes (result.qml's rule keys) the layer's renderer puts the feature in."""
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(layer.crs())
    settings.setExtent(layer.extent())
    settings.setOutputSize(QSize(200, 200))
    context = QgsRenderContext.fromMapSettings(settings)
    context.expressionContext().appendScopes(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    renderer = layer.renderer().clone()
    renderer.startRender(context, layer.fields())
    try:
        context.expressionContext().setFeature(feature)
        keys = set(renderer.legendKeysForFeature(feature, context))
    finally:
        renderer.stopRender(context)
    return keys & {rule.ruleKey() for rule in renderer.rootRule().children()}  # not the root's


def render(layer, extent: QgsRectangle, size: int = 400):
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(layer.crs())
    settings.setOutputSize(QSize(size, size))
    settings.setExtent(extent)
    settings.setBackgroundColor(QColor("white"))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    return job.renderedImage(), settings.mapToPixel()


def pixel(image, map_to_pixel, x: float, y: float) -> QColor:
    point = map_to_pixel.transform(x, y)
    return QColor(image.pixel(int(point.x()), int(point.y())))


def outline_colours(image, map_to_pixel, geometry) -> list[QColor]:
    """The pixels along a patch's boundary, every metre."""
    ring = geometry.constGet().exteriorRing()
    out = []
    for i in range(int(ring.length())):
        point = ring.interpolatePoint(float(i))
        out.append(pixel(image, map_to_pixel, point.x(), point.y()))
    return out


def near(colour: QColor, hex_colour: str, tolerance: int = 40) -> bool:
    wanted = QColor(hex_colour)
    return (
        max(abs(colour.red() - wanted.red()), abs(colour.green() - wanted.green()), abs(colour.blue() - wanted.blue()))
        <= tolerance
    )


def over_white(hex_colour: str, alpha: int = 140) -> str:
    """result.qml's fills are 140/255 opaque: their colour over a white background."""
    colour = QColor(hex_colour)
    blend = [round((c * alpha + 255 * (255 - alpha)) / 255) for c in (colour.red(), colour.green(), colour.blue())]
    return QColor(*blend).name()


def test_disputes_and_overturns_stand_out_on_the_map(plugin, county, qgis_iface):
    """An auditor overturns H2 (computed fail) to pass, disputes H3 and upholds H4; then H4's building
    is demolished and re-checked, which re-opens it. The result layer carries each patch's final
    status and dispute state from the audit log (status stays the computed one), the style fills by
    the final status and outlines each dispute state, in the legend and in the drawn map."""
    from demolition_verifier.core import audit
    from demolition_verifier.core.definitions import DockField
    from demolition_verifier.ui.styles import DISPUTE_COLOURS, STATUS_COLOURS

    project, patches, survey = county
    dock = open_dock(plugin, patches, survey)
    verify(dock)
    result = dock.result_layer()
    assert {f.name(): f.alias() for f in result.fields()}[DockField.FINAL_STATUS] == "最终结果"

    mark(dock, "H2", "overturned", "现场复核：主体已拆除，调查图层未更新", "pass")
    mark(dock, "H3", "disputed", "群众举报：疑似仍有附属房")
    mark(dock, "H4", "upheld", "复核属实，维持不通过")
    states = audit.final_statuses(project.fileName().replace(".qgz", "_audit.gpkg"))
    assert (states["H2"].dispute, states["H2"].final_status) == ("overturned", "pass")

    def values(patch_id, township=None):
        feature = by_id(result, patch_id, township)[0]
        return feature["status"], feature[DockField.FINAL_STATUS], feature[DockField.DISPUTE] or None

    assert values("H2") == ("fail", "pass", "overturned"), "status stays the computed one"
    assert values("H3") == ("pass", "pass", "disputed")
    assert values("H4") == ("fail", "fail", "upheld")
    assert values("H1", ZH_TOWN) == ("pass", "pass", None)

    # H4's building is demolished (not saved): the re-check changes its figures and re-opens it
    assert survey.startEditing()
    building = next(f for f in survey.getFeatures() if f.geometry().boundingBox().xMinimum() > X0 + 600)
    assert survey.deleteFeature(building.id())
    dock.select_fids([by_id(result, "H4")[0].id()])
    assert dock.recheck_selected()
    assert values("H4") == ("pass", "pass", "reopened")
    assert values("H2") == ("fail", "pass", "overturned"), "other patches keep their marks"
    survey.rollBack()

    # the table says the same, in the outline's colour
    rows = {r["Patch id"] + r["Township"]: r for r in table_rows(dock)}
    assert rows["H2" + ZH_TOWN]["Result"] == "pass" and rows["H2" + ZH_TOWN]["Dispute"] == "overturned (computed: fail)"
    assert rows["H3" + ZH_TOWN]["Dispute"] == "disputed" and rows["H4" + LIU_TOWN]["Dispute"] == "re-opened"
    column = dock.model.COLUMNS.index("dispute")
    h3_row = next(i for i, r in enumerate(dock.model.rows) if r.patch_id == "H3")
    brush = dock.model.data(dock.model.index(h3_row, column), Qt.ItemDataRole.ForegroundRole)
    assert brush.color().name() == DISPUTE_COLOURS["disputed"]

    # the legend: a class for each, in words; each patch in its classes
    renderer = result.renderer()
    labels = {r.ruleKey(): r.label() for r in renderer.rootRule().children()}
    assert labels["disputed"] == "Disputed" and labels["overturned"].startswith("Overturned")
    assert labels["reopened"] == "Re-opened" and labels["upheld"] == "Upheld"
    legend = [item.ruleKey() for item in renderer.legendSymbolItems()]
    assert set(legend) >= {"pass", "fail", "unsurveyed", "disputed", "reopened", "overturned", "upheld"}
    assert legend_keys(result, by_id(result, "H2")[0]) == {"pass", "overturned"}
    assert legend_keys(result, by_id(result, "H3")[0]) == {"pass", "disputed"}
    assert legend_keys(result, by_id(result, "H4")[0]) == {"pass", "reopened"}
    assert legend_keys(result, by_id(result, "H1", ZH_TOWN)[0]) == {"pass"}

    # the drawn map: H2 filled green (its final status) inside a blue ring, H3 in a dashed orange one
    image, to_pixel = render(result, QgsRectangle(X0 + 150, Y0 - 50, X0 + 550, Y0 + 150), 800)
    h2 = by_id(result, "H2")[0].geometry()
    centre = h2.centroid().asPoint()
    assert near(pixel(image, to_pixel, centre.x(), centre.y()), over_white(STATUS_COLOURS["pass"]), 12)
    ring = outline_colours(image, to_pixel, h2)
    assert sum(near(c, DISPUTE_COLOURS["overturned"]) for c in ring) > 0.8 * len(ring)
    h3 = by_id(result, "H3")[0].geometry()
    ring = outline_colours(image, to_pixel, h3)
    orange = sum(near(c, DISPUTE_COLOURS["disputed"]) for c in ring)
    assert 0.3 * len(ring) < orange < len(ring), "a dashed orange outline"
    centre = h3.centroid().asPoint()
    assert near(pixel(image, to_pixel, centre.x(), centre.y()), over_white(STATUS_COLOURS["pass"]), 12)
    image.save(str(Path(project.fileName()).with_name("disputes.png")))


def test_a_surveyed_extent_added_last_is_picked_up(plugin, county):
    """Field staff add layers one at a time: the extent arriving after the others must not be missed,
    or its unsurveyed patches would quietly count as passed."""
    project, patches, survey = county
    dock = plugin.dock
    assert dock.inputs.coverage.currentLayer() is None
    extent = memory_layer("调查范围 coverage", [box(-10, -10, 700, 110)], "EPSG:4527")
    project.addMapLayer(extent)
    assert dock.inputs.coverage.currentLayer() is extent
    assert dock.inputs.patches.currentLayer() is patches and dock.inputs.survey.currentLayer() is survey


def test_a_patch_selected_on_the_map_is_selected_in_the_table(plugin, county):
    """With QGIS's own select tool: the table and the detail view follow, so 核查选中图斑 and the
    table speak of the same patch."""
    _project, patches, survey = county
    dock = open_dock(plugin, patches, survey)
    verify(dock)
    click_row(dock, "H3")
    layer = dock.result_layer()
    h2 = by_id(layer, "H2")[0]
    layer.selectByIds([h2.id()])  # what the map's select tool does
    QCoreApplication.processEvents()
    assert dock.selected_fids() == [h2.id()]
    assert dock.detail.values["patch"].text().startswith("<b>H2</b>")
    assert layer.selectedFeatureIds() == [h2.id()]  # the table's answer did not undo the map's choice
