"""The dock's input form: layers, fields, unit, rules. Reads and writes a VerifySetup."""

from __future__ import annotations

from qgis.core import QgsMapLayer, QgsProject, QgsVectorLayer
from qgis.gui import QgsCollapsibleGroupBox, QgsDoubleSpinBox, QgsFieldComboBox, QgsMapLayerComboBox
from qgis.PyQt.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from ..core.definitions import (
    COMMON_AREA_FIELDS,
    COMMON_ID_FIELDS,
    COMMON_TOWNSHIP_FIELDS,
    DEFAULT_AREA_TOLERANCE,
    DEFAULT_MAIN_STRUCTURE_AREA,
    DEFAULT_MAX_REMAINING_RATIO,
    AreaMethod,
    AreaUnit,
)
from ..qgis_adapter.compat import field_types, polygon_layers
from . import audit_link
from .i18n import tr
from .settings import ROLE_PROPERTY, VerifySetup

CONTEXT = "InputsPanel"
# Words in layer names that tell which layer is which, for a first guess.
PATCH_WORDS = ("图斑", "patch", "jctb", "督察")
SURVEY_WORDS = ("调查", "现状", "残留", "survey", "remain", "building", "建筑")
COVERAGE_WORDS = ("范围", "coverage", "extent", "覆盖")


def guess_field(layer: QgsVectorLayer | None, candidates: tuple[str, ...]) -> str:
    """The first of the common names the layer has (case-insensitive), else ''."""
    if layer is None:
        return ""
    names = {name.lower(): name for name in layer.fields().names()}
    for candidate in candidates:
        if candidate.lower() in names:
            return names[candidate.lower()]
    return ""


def guess_layer(layers: list[QgsMapLayer], words: tuple[str, ...], avoid: set[str]) -> QgsMapLayer | None:
    for layer in layers:
        if layer.id() not in avoid and any(w in layer.name().lower() for w in words):
            return layer
    return None


class InputsPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        self.data_box = QgsCollapsibleGroupBox(tr(CONTEXT, "Data"))
        form = QFormLayout(self.data_box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # a narrow dock puts fields under labels
        self.patches = self._layer_combo("patchesCombo")
        self.id_field = self._field_combo("idFieldCombo", field_types("String", "Numeric"), optional=False)
        self.area_field = self._field_combo("areaFieldCombo", field_types("String", "Numeric"), optional=True)
        self.area_unit = QComboBox()
        self.area_unit.setObjectName("areaUnitCombo")
        for unit, word in (
            (AreaUnit.SQUARE_METRE, tr(CONTEXT, "m²")),
            (AreaUnit.MU, tr(CONTEXT, "mu")),
            (AreaUnit.HECTARE, tr(CONTEXT, "ha")),
        ):
            self.area_unit.addItem(word, int(unit))
        self.area_unit.setToolTip(tr(CONTEXT, "The unit of the monitored area field (1 mu = 666.67 m², 1 ha = 15 mu)"))
        self.township_field = self._field_combo("townshipFieldCombo", field_types("String", "Numeric"), optional=True)
        self.survey = self._layer_combo("surveyCombo")
        self.coverage = self._layer_combo("coverageCombo", optional=True)
        area_row = QHBoxLayout()
        area_row.addWidget(self.area_field, 3)
        area_row.addWidget(self.area_unit, 1)
        form.addRow(tr(CONTEXT, "Patches"), self.patches)
        form.addRow(tr(CONTEXT, "Patch id"), self.id_field)
        form.addRow(tr(CONTEXT, "Monitored area"), area_row)
        form.addRow(tr(CONTEXT, "Township"), self.township_field)
        form.addRow(tr(CONTEXT, "Survey (what still stands)"), self.survey)
        form.addRow(tr(CONTEXT, "Surveyed extent (optional)"), self.coverage)
        self.user_name = QLineEdit(audit_link.user_name())
        self.user_name.setObjectName("userNameEdit")
        self.user_name.setPlaceholderText(tr(CONTEXT, "Your name, for the audit log"))
        self.user_name.editingFinished.connect(lambda: audit_link.set_user_name(self.user_name.text()))
        form.addRow(tr(CONTEXT, "Verifier"), self.user_name)
        self.patches.setToolTip(tr(CONTEXT, "The supervision patches (polygons)"))
        self.survey.setToolTip(tr(CONTEXT, "Polygons of what still stands after demolition"))
        self.coverage.setToolTip(tr(CONTEXT, "Where the survey was done; a patch covered less than 99 % is unsurveyed"))
        layout.addWidget(self.data_box)

        self.rules_box = QgsCollapsibleGroupBox(tr(CONTEXT, "Rules"))
        rules = QFormLayout(self.rules_box)
        rules.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.max_ratio = self._spin("maxRatioSpin", DEFAULT_MAX_REMAINING_RATIO, 0.0, 1.0, 3, 0.01)
        self.max_ratio.setToolTip(
            tr(CONTEXT, "Remaining area / monitored area tolerated; 0 is the rule, more is a local policy choice")
        )
        self.tolerance = self._spin("toleranceSpin", DEFAULT_AREA_TOLERANCE, 0.0, 1e6, 2, 0.5)
        self.tolerance.setToolTip(tr(CONTEXT, "Survey noise ignored (a digitizing error), not a policy allowance"))
        self.main_area = self._spin("mainAreaSpin", DEFAULT_MAIN_STRUCTURE_AREA, 0.0, 1e6, 1, 1.0)
        self.main_area.setToolTip(
            tr(CONTEXT, "A remaining part this large is a kept main building; 0 turns the check off")
        )
        self.area_method = QComboBox()
        self.area_method.setObjectName("areaMethodCombo")
        self.area_method.addItem(tr(CONTEXT, "Ellipsoidal (CGCS2000)"), int(AreaMethod.ELLIPSOIDAL))
        self.area_method.addItem(tr(CONTEXT, "Planar (patch layer CRS)"), int(AreaMethod.PLANAR))
        rules.addRow(tr(CONTEXT, "Max remaining ratio"), self.max_ratio)
        rules.addRow(tr(CONTEXT, "Area tolerance (m²)"), self.tolerance)
        rules.addRow(tr(CONTEXT, "Main structure area (m²)"), self.main_area)
        rules.addRow(tr(CONTEXT, "Area method"), self.area_method)
        self.rules_box.setCollapsed(True)
        layout.addWidget(self.rules_box)

        self.patches.layerChanged.connect(self._patches_changed)
        self._remembered: VerifySetup | None = None
        self._patches_changed(self.patches.currentLayer())

    # -- widgets ----------------------------------------------------------------------------------
    def _layer_combo(self, name: str, optional: bool = False) -> QgsMapLayerComboBox:
        combo = QgsMapLayerComboBox()
        combo.setObjectName(name)
        combo.setFilters(polygon_layers())
        combo.setAllowEmptyLayer(optional)
        if optional:
            combo.setLayer(None)
        return combo

    def _field_combo(self, name: str, filters, optional: bool) -> QgsFieldComboBox:
        combo = QgsFieldComboBox()
        combo.setObjectName(name)
        combo.setFilters(filters)
        combo.setAllowEmptyFieldName(optional)
        return combo

    def _spin(self, name: str, default: float, low: float, high: float, decimals: int, step: float) -> QgsDoubleSpinBox:
        spin = QgsDoubleSpinBox()
        spin.setObjectName(name)
        spin.setRange(low, high)
        spin.setDecimals(decimals)
        spin.setSingleStep(step)
        spin.setClearValue(default)  # the clear button puts the default back
        spin.setShowClearButton(True)
        spin.setValue(default)
        return spin

    # -- guessing ---------------------------------------------------------------------------------
    def _patches_changed(self, layer: QgsMapLayer | None) -> None:
        for combo in (self.id_field, self.area_field, self.township_field):
            combo.setLayer(layer)
        remembered = self._remembered
        same = remembered is not None and layer is not None and remembered.patches == layer.id()
        for combo, candidates, saved in (
            (self.id_field, COMMON_ID_FIELDS, remembered.id_field if same else None),
            (self.area_field, COMMON_AREA_FIELDS, remembered.area_field if same else None),
            (self.township_field, COMMON_TOWNSHIP_FIELDS, remembered.township_field if same else None),
        ):
            combo.setField(saved if saved is not None else guess_field(layer, candidates))

    def layers_added(self, project: QgsProject) -> None:
        """A combo picks a layer by itself when layers arrive, without saying so: follow it."""
        if self.id_field.layer() is not self.patches.currentLayer():
            self._patches_changed(self.patches.currentLayer())
        patches, survey = self.patches.currentLayer(), self.survey.currentLayer()
        if self._remembered is not None:
            return
        if survey is None or survey is patches:
            self.guess_layers(project)
        elif self.coverage.currentLayer() is None:
            # layers added one at a time: a surveyed extent arriving last must still be picked up,
            # or its unsurveyed patches would quietly count as passed
            self.guess_layers(project, only_coverage=True)

    def guess_layers(self, project: QgsProject, only_coverage: bool = False) -> None:
        """Picks patch, survey and coverage layers by their names when nothing is remembered."""
        layers = [
            layer
            for layer in project.mapLayers().values()  # the layer tree may not have them yet
            if isinstance(layer, QgsVectorLayer) and not layer.customProperty(ROLE_PROPERTY, "")
        ]
        used: set[str] = set()
        for combo, words in ((self.patches, PATCH_WORDS), (self.survey, SURVEY_WORDS), (self.coverage, COVERAGE_WORDS)):
            if only_coverage and combo is not self.coverage:
                if combo.currentLayer() is not None:
                    used.add(combo.currentLayer().id())
                continue
            layer = guess_layer(layers, words, used)
            if layer is not None:
                combo.setLayer(layer)
                used.add(layer.id())

    # -- the setup --------------------------------------------------------------------------------
    def setup(self) -> VerifySetup:
        def layer_id(combo: QgsMapLayerComboBox) -> str:
            layer = combo.currentLayer()
            return layer.id() if layer is not None else ""

        return VerifySetup(
            patches=layer_id(self.patches),
            id_field=self.id_field.currentField(),
            area_field=self.area_field.currentField(),
            area_unit=int(self.area_unit.currentData()),
            township_field=self.township_field.currentField(),
            survey=layer_id(self.survey),
            coverage=layer_id(self.coverage),
            max_ratio=self.max_ratio.value(),
            tolerance=self.tolerance.value(),
            main_area=self.main_area.value(),
            area_method=int(self.area_method.currentData()),
        )

    def set_setup(self, setup: VerifySetup, project: QgsProject) -> None:
        self._remembered = setup
        self.survey.setLayer(project.mapLayer(setup.survey))
        self.coverage.setLayer(project.mapLayer(setup.coverage) if setup.coverage else None)
        self.area_unit.setCurrentIndex(max(0, self.area_unit.findData(int(setup.area_unit))))
        self.area_method.setCurrentIndex(max(0, self.area_method.findData(int(setup.area_method))))
        self.max_ratio.setValue(setup.max_ratio)
        self.tolerance.setValue(setup.tolerance)
        self.main_area.setValue(setup.main_area)
        layer = project.mapLayer(setup.patches)
        if layer is not None:
            self.patches.setLayer(layer)
        self._patches_changed(self.patches.currentLayer())  # the fields, even when the layer did not change

    def forget(self) -> None:
        """The project was closed: its remembered choices no longer apply."""
        self._remembered = None

    def reset(self, project: QgsProject) -> None:
        """A project without remembered choices: defaults and guesses."""
        self.set_setup(VerifySetup(), project)
        self._remembered = None
        self.coverage.setLayer(None)
        self.guess_layers(project)
        self._patches_changed(self.patches.currentLayer())
