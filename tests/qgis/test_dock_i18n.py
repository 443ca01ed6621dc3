"""Chinese first: every visible string of the dock is translated, and QGIS's zh-Hans (and zh_CN)
give the Chinese dock, any other locale the English one."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from qgis.core import QgsProject, QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QEvent, Qt
from qgis_layers import box_wkt, memory_layer

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "i18n" / "demolition_verifier_zh-Hans.ts"
QM = TS.with_suffix(".qm")
HELPERS = {("plugin.py", "_tr")}  # the one-line wrappers around QCoreApplication.translate


def visible_strings() -> set[tuple[str, str]]:
    """(context, source) of every tr(CONTEXT, "...") in ui/ and plugin.py; fails on a non-literal."""
    found = set()
    for path in [ROOT / "plugin.py", *sorted((ROOT / "ui").glob("*.py"))]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        consts = {
            target.id: node.value.value
            for node in tree.body
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        wrappers = {
            node.name for node in tree.body if isinstance(node, ast.FunctionDef) and (path.name, node.name) in HELPERS
        }
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id == "tr" and len(node.args) == 2:
                context, text = node.args
                if path.name == "plugin.py" and not isinstance(text, ast.Constant):
                    continue  # inside the _tr wrapper
                assert isinstance(text, ast.Constant), f"{path.name}:{node.lineno}: tr() needs a literal string"
                name = consts[context.id] if isinstance(context, ast.Name) else context.value
                found.add((name, text.value))
            elif node.func.id in wrappers:
                found.add((consts["CONTEXT"], node.args[0].value))
    return found


def translations() -> dict[tuple[str, str], str]:
    out = {}
    for context in ET.parse(TS).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation.get("type") not in ("unfinished", "obsolete") and translation.text:
                out[(name, message.findtext("source"))] = translation.text
    return out


def test_every_visible_string_has_a_chinese_translation():
    strings = visible_strings()
    assert len(strings) > 50
    zh = translations()
    missing = sorted(s for s in strings if s not in zh)
    assert not missing, f"add these to {TS.name}: {missing}"
    for key in strings:
        placeholders = set(re.findall(r"{\w+}", key[1]))
        assert placeholders == set(re.findall(r"{\w+}", zh[key])), key
        assert re.search(r"[\u4e00-\u9fff]", zh[key]) or key[1] in ("m²",), key


@pytest.fixture(scope="module")
def compiled_translation():
    """`make translations` builds the .qm; build it here too so the test runs on its own."""
    subprocess.run(["bash", str(ROOT / "scripts" / "translations.sh")], check=True, cwd=ROOT)
    assert shutil.which("lrelease") or QM.is_file()
    assert QM.is_file() and QM.stat().st_mtime >= TS.stat().st_mtime
    return QM


@pytest.fixture
def locale():
    settings = QgsSettings()
    saved = settings.value("locale/overrideFlag"), settings.value("locale/userLocale")

    def choose(name: str) -> None:
        settings.setValue("locale/overrideFlag", True)
        settings.setValue("locale/userLocale", name)

    yield choose
    for key, value in zip(("locale/overrideFlag", "locale/userLocale"), saved):
        if value is None:
            settings.remove(key)
        else:
            settings.setValue(key, value)


def load_plugin(iface):
    import demolition_verifier

    plugin = demolition_verifier.classFactory(iface)
    plugin.initGui()
    return plugin


def unload(plugin) -> None:
    plugin.unload()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.mark.parametrize(
    "name, chinese", [("zh-Hans", True), ("zh_CN", True), ("en_US", False), ("zh_TW", False), ("de", False)]
)
def test_the_locale_chooses_the_language(
    name, chinese, locale, compiled_translation, qgis_iface, qgis_new_project, qgis_processing
):
    locale(name)
    plugin = load_plugin(qgis_iface)
    try:
        dock = plugin.dock
        header = dock.proxy.headerData(0, Qt.Orientation.Horizontal)
        shown = (
            dock.windowTitle(),
            dock.run_button.text(),
            dock.recheck_button.text(),
            header,
            dock.status_filter.itemText(1),
            plugin.menu,
            dock.inputs.area_unit.itemText(1),
        )
        if chinese:
            assert shown == ("拆除核查", "核查", "核查选中图斑", "图斑编号", "通过", "拆除核查", "亩")
        else:
            assert shown == (
                "Demolition verification",
                "Verify",
                "Re-check selected patches",
                "Patch id",
                "pass",
                "Demolition Verifier",
                "mu",
            )
    finally:
        unload(plugin)
    # unload removed the translator: an English string stays English
    assert QCoreApplication.translate("VerifierDock", "Verify") == "Verify"


def test_chinese_table_and_legend(
    locale, compiled_translation, qgis_iface, qgis_new_project, qgis_processing, tmp_path
):
    locale("zh-Hans")
    qgis_new_project.setFileName(str(tmp_path / "county.qgz"))  # its audit log goes beside it, in tmp
    x0, y0 = 39_550_000.0, 3_880_000.0
    patches = memory_layer(
        "patches",
        [box_wkt(x0, y0, x0 + 100, y0 + 100)],
        "EPSG:4527",
        [("JCBH", str), ("XZQMC", str)],
        [["A1", "城关镇"]],
    )
    survey = memory_layer("survey", [box_wkt(x0 + 10, y0 + 10, x0 + 30, y0 + 30)], "EPSG:4527")
    QgsProject.instance().addMapLayers([patches, survey])
    plugin = load_plugin(qgis_iface)
    try:
        dock = plugin.dock
        dock.inputs.patches.setLayer(patches)
        dock.inputs.survey.setLayer(survey)
        assert dock.start_run()
        end = time.monotonic() + 60
        while not dock.run.finished:
            assert time.monotonic() < end
            QCoreApplication.processEvents()
            time.sleep(0.005)
        model = dock.proxy
        columns = {model.headerData(c, Qt.Orientation.Horizontal): c for c in range(model.columnCount())}
        assert model.data(model.index(0, columns["核查结果"])) == "不通过"
        assert model.data(model.index(0, columns["原因"])) == "拆次留主、超出容差"
        result = dock.result_layer()
        assert result.name() == "核查结果" and dock.remnants_layer().name() == "残留部分"
        labels = {rule.ruleKey(): rule.label() for rule in result.renderer().rootRule().children()}
        assert labels == {
            "pass": "通过",
            "fail": "不通过",
            "unsurveyed": "未核查",  # the fill, by final status
            "disputed": "存疑",
            "reopened": "重新存疑",
            "overturned": "改判（按改判结果着色）",
            "upheld": "维持",
        }
        aliases = {f.name(): f.alias() for f in result.fields()}
        assert aliases["final_st"] == "最终结果" and aliases["dispute"] == "争议状态"
        assert "不通过" in dock.counts_label.text()
    finally:
        unload(plugin)
