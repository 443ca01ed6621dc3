"""The dock's input form: layers, fields, unit, rules. Reads and writes a VerifySetup."""

from __future__ import annotations

from qgis.core import QgsMapLayer, QgsProject, QgsVectorLayer
from qgis.gui import QgsCollapsibleGroupBox, QgsDoubleSpinBox, QgsFieldComboBox, QgsMapLayerComboBox
from qgis.PyQt.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from ..core.definitions import (
    COMMON_AREA_FIELDS,
    COMMON_BASIC_FARMLAND_LAYERS,
    COMMON_ID_FIELDS,
    COMMON_LAND_CLASS_FIELDS,
    COMMON_LAND_CLASS_LAYERS,
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
FARM_CONTEXT = "FarmlandInputs"
# Words in layer names that tell which layer is which, for a first guess.
PATCH_WORDS = ("图斑", "patch", "jctb", "督察")
SURVEY_WORDS = ("调查", "现状", "残留", "survey", "remain", "building", "建筑")
COVERAGE_WORDS = ("范围", "coverage", "extent", "覆盖")
# The farmland inputs (三调 地类图斑 DLTB, 永久基本农田 JBNTBHTB, approvals such as 用地批准范围 / 补办).
LAND_CLASS_WORDS = tuple(w.lower() for w in COMMON_LAND_CLASS_LAYERS) + ("land class", "landuse", "三调")
BASIC_FARMLAND_WORDS = tuple(w.lower() for w in COMMON_BASIC_FARMLAND_LAYERS) + ("基本农田", "jbnt", "basic farmland")
APPROVAL_WORDS = ("批", "approval", "补办", "permit")
APPROVAL_ID_FIELDS = ("PZWH", "批准文号", "批文号", "PZWJH", "approval_id", "appr_id", "WH")


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


def guess_land_class(layers: list[QgsMapLayer], avoid: set[str]) -> QgsMapLayer | None:
    """A land-class layer by its name (DLTB, 地类图斑), else the first layer with a class-code field (DLBM)."""
    found = guess_layer(layers, LAND_CLASS_WORDS, avoid)
    if found is not None:
        return found
    for layer in layers:
        if layer.id() not in avoid and guess_field(layer, COMMON_LAND_CLASS_FIELDS):
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
        self._farmland_widgets(layout)

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

    def _farmland_widgets(self, layout: QVBoxLayout) -> None:
        """The optional farmland inputs of verify: land classes with their code field, permanent basic
        farmland, approvals with their id field; folded, its title says how many are chosen."""
        self.farm_box = QgsCollapsibleGroupBox(tr(FARM_CONTEXT, "Farmland and approvals (optional)"))
        self.farm_box.setObjectName("farmlandBox")
        form = QFormLayout(self.farm_box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.land_class = self._layer_combo("landClassCombo", optional=True)
        self.land_class_field = self._field_combo("landClassFieldCombo", field_types("String", "Numeric"), False)
        self.basic_farmland = self._layer_combo("basicFarmlandCombo", optional=True)
        self.approvals = self._layer_combo("approvalsCombo", optional=True)
        self.approval_id_field = self._field_combo("approvalIdFieldCombo", field_types("String", "Numeric"), True)
        form.addRow(tr(FARM_CONTEXT, "Land classes (e.g. DLTB)"), self.land_class)
        form.addRow(tr(FARM_CONTEXT, "Class code field"), self.land_class_field)
        form.addRow(tr(FARM_CONTEXT, "Permanent basic farmland"), self.basic_farmland)
        form.addRow(tr(FARM_CONTEXT, "Approvals"), self.approvals)
        form.addRow(tr(FARM_CONTEXT, "Approval id field"), self.approval_id_field)
        self.land_class.setToolTip(
            tr(
                FARM_CONTEXT,
                "Land-use survey polygons (三调 地类图斑): the farmland area of each patch and what remains on it",
            )
        )
        self.basic_farmland.setToolTip(
            tr(FARM_CONTEXT, "Permanent basic farmland: a remainder on it fails the patch, whatever the approvals")
        )
        self.approvals.setToolTip(
            tr(FARM_CONTEXT, "Approved land (用地审批, 补办, 临时用地): a remainder inside is legalised (补办)")
        )
        self.land_class.layerChanged.connect(self._land_class_changed)
        self.approvals.layerChanged.connect(self._approvals_changed)
        for combo in (self.land_class, self.basic_farmland, self.approvals):
            combo.layerChanged.connect(self._farm_title)
        self.farm_box.setCollapsed(True)
        layout.addWidget(self.farm_box)
        self._farm_title()

    def _land_class_changed(self, layer: QgsMapLayer | None) -> None:
        self.land_class_field.setLayer(layer)
        remembered = self._remembered
        saved = (
            remembered.land_class_field
            if remembered is not None and layer is not None and remembered.land_class == layer.id()
            else ""
        )
        self.land_class_field.setField(saved or guess_field(layer, COMMON_LAND_CLASS_FIELDS))

    def _approvals_changed(self, layer: QgsMapLayer | None) -> None:
        self.approval_id_field.setLayer(layer)
        remembered = self._remembered
        same = remembered is not None and layer is not None and remembered.approvals == layer.id()
        self.approval_id_field.setField(
            remembered.approval_id_field if same else guess_field(layer, APPROVAL_ID_FIELDS)
        )

    def _farm_title(self, *_args) -> None:
        chosen = sum(c.currentLayer() is not None for c in (self.land_class, self.basic_farmland, self.approvals))
        title = tr(FARM_CONTEXT, "Farmland and approvals (optional)")
        if chosen:
            title = tr(FARM_CONTEXT, "Farmland and approvals: {n} layers chosen").format(n=chosen)
        self.farm_box.setTitle(title)

    def guess_farmland(self, layers: list[QgsMapLayer], used: set[str]) -> None:
        """Land classes, basic farmland and approvals by their names (and a DLBM field), only where
        none is chosen; `used` gains them, so they are never taken for the patches or the survey."""
        for combo, guess in (
            (self.land_class, lambda avoid: guess_land_class(layers, avoid)),
            (self.basic_farmland, lambda avoid: guess_layer(layers, BASIC_FARMLAND_WORDS, avoid)),
            (self.approvals, lambda avoid: guess_layer(layers, APPROVAL_WORDS, avoid)),
        ):
            layer = combo.currentLayer()
            if layer is None:
                layer = guess(used)
                if layer is not None:
                    combo.setLayer(layer)
            if layer is not None:
                used.add(layer.id())

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
            return
        # layers added one at a time: a surveyed extent or a farmland layer arriving last must still
        # be picked up (unsurveyed patches would otherwise quietly count as passed)
        chosen = {c.currentLayer().id() for c in (self.patches, self.survey, self.coverage) if c.currentLayer()}
        self.guess_farmland(self._candidates(project), chosen)
        if self.coverage.currentLayer() is None:
            self.guess_layers(project, only_coverage=True)

    def guess_layers(self, project: QgsProject, only_coverage: bool = False) -> None:
        """Picks patch, survey and coverage layers (and the farmland ones, first: 地类图斑 is no patch
        layer) by their names when nothing is remembered."""
        layers = self._candidates(project)
        used: set[str] = set()
        if only_coverage:  # never an approvals layer (用地批准范围) for the surveyed extent
            used |= {
                c.currentLayer().id()
                for c in (self.land_class, self.basic_farmland, self.approvals)
                if c.currentLayer()
            }
        else:
            self.guess_farmland(layers, used)
        for combo, words in ((self.patches, PATCH_WORDS), (self.survey, SURVEY_WORDS), (self.coverage, COVERAGE_WORDS)):
            if only_coverage and combo is not self.coverage:
                if combo.currentLayer() is not None:
                    used.add(combo.currentLayer().id())
                continue
            layer = guess_layer(layers, words, used)
            if layer is not None:
                combo.setLayer(layer)
                used.add(layer.id())

    @staticmethod
    def _candidates(project: QgsProject) -> list[QgsVectorLayer]:
        return [
            layer
            for layer in project.mapLayers().values()  # the layer tree may not have them yet
            if isinstance(layer, QgsVectorLayer) and not layer.customProperty(ROLE_PROPERTY, "")
        ]

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
            land_class=layer_id(self.land_class),
            land_class_field=self.land_class_field.currentField() if self.land_class.currentLayer() else "",
            basic_farmland=layer_id(self.basic_farmland),
            approvals=layer_id(self.approvals),
            approval_id_field=self.approval_id_field.currentField() if self.approvals.currentLayer() else "",
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
        for combo, layer_id in (
            (self.land_class, setup.land_class),
            (self.basic_farmland, setup.basic_farmland),
            (self.approvals, setup.approvals),
        ):
            combo.setLayer(project.mapLayer(layer_id) if layer_id else None)
        self._land_class_changed(self.land_class.currentLayer())
        self._approvals_changed(self.approvals.currentLayer())
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
        for combo in (self.coverage, self.land_class, self.basic_farmland, self.approvals):
            combo.setLayer(None)
        self.guess_layers(project)
        self._patches_changed(self.patches.currentLayer())
