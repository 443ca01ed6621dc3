"""Every key the dock stores, in one place: project entries (the choices, per QGIS project) and the
custom properties that mark the result layers it made, and the user's last export folder (QgsSettings)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields

from qgis.core import QgsMapLayer, QgsProject, QgsSettings

from ..core.definitions import (
    DEFAULT_AREA_TOLERANCE,
    DEFAULT_MAIN_STRUCTURE_AREA,
    DEFAULT_MAX_REMAINING_RATIO,
    AreaMethod,
    AreaUnit,
)
from ..core.engine import Rules
from ..core.parameters import Param

SCOPE = "demolition_verifier"  # QgsProject entry scope
ROLE_PROPERTY = "demolition_verifier/role"  # custom property on the layers the dock made
SETUP_PROPERTY = "demolition_verifier/setup"  # the run's choices, as JSON, on the result layer
AUDIT_LOG_PROPERTY = "demolition_verifier/audit_log"  # on the result layer: the log its run was recorded in
ROLE_RESULT = "result"
ROLE_REMNANTS = "remnants"
EXPORT_DIR_KEY = "demolition_verifier/export_dir"  # the folder of the last map or report export (QgsSettings)


@dataclass
class VerifySetup:
    """What the user chose in the dock; the same names as the algorithm's parameters."""

    patches: str = ""  # layer ids
    id_field: str = ""
    area_field: str = ""
    area_unit: int = int(AreaUnit.SQUARE_METRE)
    township_field: str = ""
    survey: str = ""
    coverage: str = ""
    max_ratio: float = DEFAULT_MAX_REMAINING_RATIO
    tolerance: float = DEFAULT_AREA_TOLERANCE
    main_area: float = DEFAULT_MAIN_STRUCTURE_AREA
    area_method: int = int(AreaMethod.ELLIPSOIDAL)
    # the optional farmland inputs (layer ids and fields; '' when not used)
    land_class: str = ""
    land_class_field: str = ""
    basic_farmland: str = ""
    approvals: str = ""
    approval_id_field: str = ""

    def rules(self) -> Rules:
        return Rules(
            max_remaining_ratio=self.max_ratio,
            area_tolerance=self.tolerance,
            main_structure_area=self.main_area,
            monitored_area_unit=AreaUnit(self.area_unit),
            area_method=AreaMethod(self.area_method),
        )

    def parameters(self) -> dict:
        """Parameters of demolitionverifier:verify; outputs to memory layers."""
        params = {
            Param.PATCHES: self.patches,
            Param.PATCH_ID_FIELD: self.id_field,
            Param.MONITORED_AREA_UNIT: self.area_unit,
            Param.SURVEY: self.survey,
            Param.MAX_REMAINING_RATIO: self.max_ratio,
            Param.AREA_TOLERANCE: self.tolerance,
            Param.MAIN_STRUCTURE_AREA: self.main_area,
            Param.AREA_METHOD: self.area_method,
            Param.OUTPUT: "memory:",
            Param.OUTPUT_REMNANTS: "memory:",
        }
        for key, value in (
            (Param.MONITORED_AREA_FIELD, self.area_field),
            (Param.TOWNSHIP_FIELD, self.township_field),
            (Param.COVERAGE, self.coverage),
            (Param.BASIC_FARMLAND, self.basic_farmland),
        ):
            if value:
                params[key] = value
        if self.land_class and self.land_class_field:
            params[Param.LAND_CLASS] = self.land_class
            params[Param.LAND_CLASS_FIELD] = self.land_class_field
        if self.approvals:
            params[Param.APPROVALS] = self.approvals
            if self.approval_id_field:
                params[Param.APPROVAL_ID_FIELD] = self.approval_id_field
        return params

    def land_layers(self, project: QgsProject):
        """The run's farmland layers for a re-check (qgis_adapter.recheck.LandLayers, None without
        any), and the ids of those no longer in the project."""
        from ..qgis_adapter.recheck import LandLayers

        chosen = {name: getattr(self, name) for name in ("land_class", "basic_farmland", "approvals")}
        layers = {name: project.mapLayer(layer_id) if layer_id else None for name, layer_id in chosen.items()}
        missing = [layer_id for name, layer_id in chosen.items() if layer_id and layers[name] is None]
        if not any(layers.values()):
            return None, missing
        land = LandLayers(
            land_class=layers["land_class"],
            land_class_field=self.land_class_field,
            basic_farmland=layers["basic_farmland"],
            approvals=layers["approvals"],
            approval_id_field=self.approval_id_field,
        )
        return land, missing

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> VerifySetup | None:
        try:
            data = json.loads(text)
        except (TypeError, ValueError):
            return None
        if not isinstance(data, dict):
            return None
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    # -- per project --------------------------------------------------------------------------------
    def save(self, project: QgsProject) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, float):
                project.writeEntryDouble(SCOPE, f"setup/{f.name}", value)
            elif isinstance(value, int):
                project.writeEntry(SCOPE, f"setup/{f.name}", int(value))
            else:
                project.writeEntry(SCOPE, f"setup/{f.name}", value)

    @classmethod
    def load(cls, project: QgsProject) -> VerifySetup | None:
        """The choices saved in this project, or None when it has none."""
        if not project.readEntry(SCOPE, "setup/patches", "")[1]:
            return None
        setup = cls()
        for f in fields(setup):
            default = getattr(setup, f.name)
            key = f"setup/{f.name}"
            if isinstance(default, float):
                value = project.readDoubleEntry(SCOPE, key, default)[0]
            elif isinstance(default, int):
                value = project.readNumEntry(SCOPE, key, default)[0]
            else:
                value = project.readEntry(SCOPE, key, default)[0]
            setattr(setup, f.name, value)
        return setup


def layer_role(layer: QgsMapLayer | None) -> str:
    return str(layer.customProperty(ROLE_PROPERTY, "") or "") if layer is not None else ""


def layers_with_role(project: QgsProject, role: str) -> list[QgsMapLayer]:
    return [layer for layer in project.mapLayers().values() if layer_role(layer) == role]


def setup_of(layer: QgsMapLayer | None) -> VerifySetup | None:
    """The choices a result layer was made with (stored on it so a re-check uses the same rules)."""
    if layer is None:
        return None
    return VerifySetup.from_json(layer.customProperty(SETUP_PROPERTY, "") or "")


# -- per user -------------------------------------------------------------------------------------------
def last_export_dir() -> str:
    """The folder the user last saved maps or a report to ('' before the first export)."""
    return str(QgsSettings().value(EXPORT_DIR_KEY, "", type=str) or "")


def set_last_export_dir(folder: str) -> None:
    QgsSettings().setValue(EXPORT_DIR_KEY, folder)
